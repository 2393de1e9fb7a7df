// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU state ioctls: FPU, XSAVE, XCRS, debug registers.
 *
 * Outside KVM_RUN the guest's vector state lives in vcpu->guest_fpu's
 * fpstate (the kernel's own format, possibly compacted); the kernel's
 * uABI copy helpers convert it to and from the standard XSAVE layout of
 * struct kvm_xsave.  The legacy 512-byte area and the XSAVE header are
 * at the same place in both formats, so KVM_GET/SET_FPU use them directly.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/processor.h>

#include "core.h"

/* MXCSR bits this CPU implements (exported by the x86 FPU code). */
extern unsigned int mxcsr_feature_mask;

#define XFEATURE_MASK_AVX512_ALL (XFEATURE_MASK_OPMASK | \
				  XFEATURE_MASK_ZMM_Hi256 | \
				  XFEATURE_MASK_Hi16_ZMM)
#define XCR0_INDEX		0	/* XCR_XFEATURE_ENABLED_MASK */
#define DR_UPPER_MASK		GENMASK_ULL(63, 32)

/* State components a guest may enable: those we also offer in CPUID. */
static u64 guest_xcr0_mask(void)
{
	u64 m = XFEATURE_MASK_FPSSE | XFEATURE_MASK_YMM |
		XFEATURE_MASK_AVX512_ALL;

	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return XFEATURE_MASK_FPSSE;
	return m & xgetbv(XCR_XFEATURE_ENABLED_MASK);
}

/* The XSETBV rules (Intel SDM Vol. 1 13.3) for a new XCR0 value. */
static bool xcr0_valid(u64 v)
{
	u64 avx512 = v & XFEATURE_MASK_AVX512_ALL;

	if (!(v & XFEATURE_MASK_FP) || (v & ~guest_xcr0_mask()))
		return false;
	if ((v & XFEATURE_MASK_YMM) && !(v & XFEATURE_MASK_SSE))
		return false;
	if (avx512 && (avx512 != XFEATURE_MASK_AVX512_ALL ||
		       !(v & XFEATURE_MASK_YMM)))
		return false;
	return true;
}

static struct fxregs_state *guest_fx(struct vmx_vcpu *vcpu)
{
	return &vcpu->guest_fpu.fpstate->regs.fxsave;
}

static long get_fpu(struct vmx_vcpu *vcpu, void __user *argp)
{
	const struct fxregs_state *fx = guest_fx(vcpu);
	struct kvm_fpu f;

	memset(&f, 0, sizeof(f));
	memcpy(f.fpr, fx->st_space, sizeof(f.fpr));
	f.fcw = fx->cwd;
	f.fsw = fx->swd;
	f.ftwx = fx->twd;
	f.last_opcode = fx->fop;
	f.last_ip = fx->rip;
	f.last_dp = fx->rdp;
	memcpy(f.xmm, fx->xmm_space, sizeof(f.xmm));
	f.mxcsr = fx->mxcsr;
	return copy_to_user(argp, &f, sizeof(f)) ? -EFAULT : 0;
}

static long set_fpu(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct fxregs_state *fx = guest_fx(vcpu);
	struct kvm_fpu f;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	/* A reserved MXCSR bit would make the next restore fault. */
	if (f.mxcsr & ~mxcsr_feature_mask)
		return -EINVAL;
	memcpy(fx->st_space, f.fpr, sizeof(f.fpr));
	fx->cwd = f.fcw;
	fx->swd = f.fsw;
	fx->twd = f.ftwx;
	fx->fop = f.last_opcode;
	fx->rip = f.last_ip;
	fx->rdp = f.last_dp;
	memcpy(fx->xmm_space, f.xmm, sizeof(f.xmm));
	fx->mxcsr = f.mxcsr;
	/* Mark x87 and SSE in use, or XRSTOR would load their init state. */
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		vcpu->guest_fpu.fpstate->regs.xsave.header.xfeatures |=
			XFEATURE_MASK_FPSSE;
	return 0;
}

/* @size bytes of standard-format XSAVE image to user space. */
static long get_xsave(struct vmx_vcpu *vcpu, void __user *argp,
		      unsigned int size)
{
	void *buf;
	long r = 0;

	if (vcpu->guest_fpu.uabi_size > size)
		return -EINVAL;
	buf = kzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	/* No PKRU for guests: its component is never offered. */
	fpu_copy_guest_fpstate_to_uabi(&vcpu->guest_fpu, buf, size,
				       guest_xcr0_mask(), 0);
	if (copy_to_user(argp, buf, size))
		r = -EFAULT;
	kfree(buf);
	return r;
}

static long set_xsave(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct xregs_state *xs;
	u32 pkru = 0;
	long r;

	xs = memdup_user(argp, vcpu->guest_fpu.uabi_size);
	if (IS_ERR(xs))
		return PTR_ERR(xs);
	/* Components the host traps (XFD) must stay in their init state. */
	xs->header.xfeatures &= ~vcpu->guest_fpu.fpstate->xfd;
	/* Checks the header, reserved bits and MXCSR: -EINVAL if bad. */
	r = fpu_copy_uabi_to_guest_fpstate(&vcpu->guest_fpu, xs,
					   guest_xcr0_mask(), &pkru);
	kfree(xs);
	return r;
}

static long get_xcrs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_xcrs x;

	memset(&x, 0, sizeof(x));
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		x.nr_xcrs = 1;
		x.xcrs[0].xcr = XCR0_INDEX;
		x.xcrs[0].value = vcpu->xcr0;
	}
	return copy_to_user(argp, &x, sizeof(x)) ? -EFAULT : 0;
}

static long set_xcrs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_xcrs x;
	int i;

	if (copy_from_user(&x, argp, sizeof(x)))
		return -EFAULT;
	if (!boot_cpu_has(X86_FEATURE_XSAVE) ||
	    x.nr_xcrs > KVM_MAX_XCRS || x.flags)
		return -EINVAL;
	/* Like KVM: the first XCR0 entry counts, other XCRs are ignored. */
	for (i = 0; i < x.nr_xcrs; i++) {
		if (x.xcrs[i].xcr != XCR0_INDEX)
			continue;
		if (!xcr0_valid(x.xcrs[i].value))
			return -EINVAL;
		vcpu->xcr0 = x.xcrs[i].value;
		break;
	}
	return 0;
}

static long get_debugregs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_debugregs d;

	memset(&d, 0, sizeof(d));
	memcpy(d.db, vcpu->dr, sizeof(d.db));
	d.dr6 = vmx_ops->get_dr(vcpu, 6);
	d.dr7 = vmx_ops->get_dr(vcpu, 7);
	return copy_to_user(argp, &d, sizeof(d)) ? -EFAULT : 0;
}

static long set_debugregs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_debugregs d;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	/* DR6 and DR7 are 32 bits wide; the upper half must be zero. */
	if (d.flags || (d.dr6 & DR_UPPER_MASK) || (d.dr7 & DR_UPPER_MASK))
		return -EINVAL;
	memcpy(vcpu->dr, d.db, sizeof(vcpu->dr));
	vmx_ops->set_dr(vcpu, 6, d.dr6);
	vmx_ops->set_dr(vcpu, 7, d.dr7);
	return 0;
}

long vmx_state_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_GET_FPU:
		return get_fpu(vcpu, argp);
	case KVM_SET_FPU:
		return set_fpu(vcpu, argp);
	case KVM_GET_XSAVE:
		return get_xsave(vcpu, argp, sizeof(struct kvm_xsave));
	case KVM_GET_XSAVE2:
		return get_xsave(vcpu, argp, vcpu->guest_fpu.uabi_size);
	case KVM_SET_XSAVE:
		return set_xsave(vcpu, argp);
	case KVM_GET_XCRS:
		return get_xcrs(vcpu, argp);
	case KVM_SET_XCRS:
		return set_xcrs(vcpu, argp);
	case KVM_GET_DEBUGREGS:
		return get_debugregs(vcpu, argp);
	case KVM_SET_DEBUGREGS:
		return set_debugregs(vcpu, argp);
	default:
		return vmx_clock_vcpu_ioctl(vcpu, ioctl, arg);
	}
}

/* Size of the standard-format XSAVE image of every offered component. */
static long xsave2_size(void)
{
	u64 mask = guest_xcr0_mask();
	u32 eax, ebx, ecx, edx, end = sizeof(struct kvm_xsave);
	int i;

	for (i = FIRST_EXTENDED_XFEATURE; i < 64; i++) {
		if (!(mask & BIT_ULL(i)))
			continue;
		/* CPUID.0xd.i: EAX size, EBX offset of component i. */
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		end = max(end, eax + ebx);
	}
	return end;
}

long vmx_state_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_XCRS:
		return boot_cpu_has(X86_FEATURE_XSAVE);
	case KVM_CAP_XSAVE:	/* FP and SSE work without XSAVE too */
	case KVM_CAP_DEBUGREGS:
		return 1;
	case KVM_CAP_XSAVE2:
		return xsave2_size();
	default:
		return 0;
	}
}
