// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU-level ioctls: one small handler each; copy in, validate, act.
 */
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/cpufeature.h>

#include "core.h"

/* struct kvm_regs field order, as hardware register numbers. */
static const u8 kvm_regs_order[16] = {
	VMX_RAX, VMX_RBX, VMX_RCX, VMX_RDX, VMX_RSI, VMX_RDI, VMX_RSP,
	VMX_RBP, VMX_R8, VMX_R9, VMX_R10, VMX_R11, VMX_R12, VMX_R13,
	VMX_R14, VMX_R15,
};

static long get_regs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_regs regs = {};
	__u64 *r = &regs.rax;
	int i;

	for (i = 0; i < 16; i++)
		r[i] = vcpu->regs[kvm_regs_order[i]];
	regs.rip = vcpu->rip;
	regs.rflags = vcpu->rflags;
	return copy_to_user(argp, &regs, sizeof(regs)) ? -EFAULT : 0;
}

static long set_regs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_regs regs;
	__u64 *r = &regs.rax;
	int i;

	if (copy_from_user(&regs, argp, sizeof(regs)))
		return -EFAULT;
	for (i = 0; i < 16; i++)
		vcpu->regs[kvm_regs_order[i]] = r[i];
	vcpu->rip = regs.rip;
	vcpu->rflags = regs.rflags | X86_EFLAGS_FIXED;
	/* Like KVM: new registers cancel a queued exception. */
	vcpu->exception.pending = false;
	return 0;
}

static long get_sregs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs sregs = {};

	vmx_ops->get_sregs(vcpu, &sregs);
	sregs.apic_base = vcpu->apic_base;
	if (vcpu->apic)
		sregs.cr8 = vmx_lapic_get_cr8(vcpu);
	return copy_to_user(argp, &sregs, sizeof(sregs)) ? -EFAULT : 0;
}

/* CR4 bits a guest may set: the base set plus what this CPU has. */
u64 vmx_cr4_valid_bits(void)
{
	u64 v = X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |
		X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |
		X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

	if (boot_cpu_has(X86_FEATURE_UMIP))
		v |= X86_CR4_UMIP;
	if (boot_cpu_has(X86_FEATURE_FSGSBASE))
		v |= X86_CR4_FSGSBASE;
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		v |= X86_CR4_OSXSAVE;
	if (boot_cpu_has(X86_FEATURE_SMEP))
		v |= X86_CR4_SMEP;
	if (boot_cpu_has(X86_FEATURE_SMAP))
		v |= X86_CR4_SMAP;
	if (boot_cpu_has(X86_FEATURE_PCID))
		v |= X86_CR4_PCIDE;
	return v;
}

#define EFER_SUPPORTED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_FFXSR)

/* The checks KVM makes before accepting KVM_SET_SREGS. */
static bool sregs_valid(const struct kvm_sregs *s)
{
	if ((s->cr0 >> 32) || ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD)))
		return false;
	if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		return false;
	if (s->cr4 & ~vmx_cr4_valid_bits())
		return false;
	if (s->efer & ~EFER_SUPPORTED)
		return false;
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG)) {
		if (!(s->cr4 & X86_CR4_PAE) || !(s->efer & EFER_LMA))
			return false;
		if (s->cr3 >> VMX_GPA_BITS)
			return false;
	} else if ((s->efer & EFER_LMA) || s->cs.l) {
		return false;
	}
	if (s->cr8 > 15)
		return false;
	return true;
}

static long set_sregs(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs sregs;
	int r;

	if (copy_from_user(&sregs, argp, sizeof(sregs)))
		return -EFAULT;
	if (!sregs_valid(&sregs))
		return -EINVAL;
	r = vmx_ops->set_sregs(vcpu, &sregs);
	if (r)
		return r;
	if (!vcpu->apic) {
		vcpu->apic_base = sregs.apic_base;
		return 0;
	}
	vmx_lapic_set_cr8(vcpu, sregs.cr8);
	return vmx_lapic_msr(vcpu, MSR_IA32_APICBASE, &sregs.apic_base, true,
			     true) < 0 ? -EINVAL : 0;
}

/* vCPU ioctls owned by the event, APIC and CPU-state code. */
static long vcpu_component_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
				 unsigned long arg)
{
	static long (*const handlers[])(struct vmx_vcpu *, unsigned int,
					unsigned long) = {
		vmx_events_vcpu_ioctl, vmx_lapic_vcpu_ioctl,
		vmx_state_vcpu_ioctl,
	};
	long r;
	int i;

	for (i = 0; i < ARRAY_SIZE(handlers); i++) {
		r = handlers[i](vcpu, ioctl, arg);
		if (r != -ENOIOCTLCMD)
			return r;
	}
	/* KVM answers unknown vCPU ioctls with EINVAL. */
	return -EINVAL;
}

long vmx_vcpu_ioctl(struct file *f, unsigned int ioctl, unsigned long arg)
{
	struct vmx_vcpu *vcpu = f->private_data;
	void __user *argp = (void __user *)arg;
	long r;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (_IOC_TYPE(ioctl) != KVMIO)
		return -EINVAL;
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	vmx_vcpu_load(vcpu);

	switch (ioctl) {
	case KVM_RUN:
		r = arg ? -EINVAL : vmx_vcpu_run(vcpu);
		break;
	case KVM_GET_REGS:
		r = get_regs(vcpu, argp);
		break;
	case KVM_SET_REGS:
		r = set_regs(vcpu, argp);
		break;
	case KVM_GET_SREGS:
		r = get_sregs(vcpu, argp);
		break;
	case KVM_SET_SREGS:
		r = set_sregs(vcpu, argp);
		break;
	case KVM_GET_MSRS:
		r = vmx_msrs_ioctl(vcpu, argp, false);
		break;
	case KVM_SET_MSRS:
		r = vmx_msrs_ioctl(vcpu, argp, true);
		break;
	case KVM_SET_CPUID2:
		r = vmx_set_cpuid2(vcpu, argp);
		break;
	case KVM_GET_CPUID2:
		r = vmx_get_cpuid2(vcpu, argp);
		break;
	default:
		r = vcpu_component_ioctl(vcpu, ioctl, arg);
	}
	vmx_vcpu_put(vcpu);
	mutex_unlock(&vcpu->mutex);
	return r;
}
