// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID: the table KVM_GET_SUPPORTED_CPUID offers (host CPUID filtered to
 * what a guest can use here), the per-vCPU table from KVM_SET_CPUID2, and
 * the in-kernel CPUID exit.  Like KVM, a vCPU without a table sees zeros.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>
#include <asm/msr-index.h>
#include <asm/fpu/xcr.h>
#include <asm/kvm_para.h>

#include "core.h"

#define MAX_CPUID_ENTRIES	256
#define SIGNIFICANT		KVM_CPUID_FLAG_SIGNIFCANT_INDEX

/* Which host feature bits a guest may see, per leaf and register. */
struct cpuid_mask {
	u32 function, index;
	u32 eax, ebx, ecx, edx;
};

static const struct cpuid_mask masks[] = {
	/*
	 * 1: ECX SSE3 PCLMUL SSSE3 FMA CX16 PCID SSE4.1/2 MOVBE POPCNT AES
	 * XSAVE AVX F16C RDRAND; EDX the classic features.  OSXSAVE is
	 * vCPU state, set at run time (update_runtime()).
	 */
	{ 1, 0, ~0u, ~0u, 0x76da3203, 0x178bfbff },
	/*
	 * 7.0: EBX FSGSBASE BMI1 AVX2 SMEP BMI2 ERMS AVX512 RDSEED ADX SMAP
	 * CLFLUSHOPT CLWB SHA; ECX VBMI UMIP VBMI2 GFNI VAES VPCLMUL VNNI
	 * BITALG VPOPCNTDQ; EDX FSRM.
	 */
	{ 7, 0, 0, 0xfdbf03a9, 0x00005f46, 0x00000010 },
	/*
	 * 0x80000001: ECX LAHF ABM SSE4A MISALIGNSSE PREFETCH XOP FMA4 TBM;
	 * EDX SYSCALL NX MMXEXT FXSR_OPT PDPE1GB RDTSCP LM + leaf-1 dups.
	 */
	{ 0x80000001, 0, ~0u, ~0u, 0x002109e1, 0x2fd3fbff },
	/* 0x80000007: invariant TSC only. */
	{ 0x80000007, 0, 0, 0, 0, 0x00000100 },
	/* 0x80000008: address sizes; no core count, few EBX features. */
	{ 0x80000008, 0, 0x0000ffff, 0, 0, 0 },
};

static const struct cpuid_mask *find_mask(u32 fn, u32 idx)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(masks); i++)
		if (masks[i].function == fn && masks[i].index == idx)
			return &masks[i];
	return NULL;
}

static u64 supported_xcr0(void)
{
	u64 x = XFEATURE_MASK_FP | XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
		XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 |
		XFEATURE_MASK_Hi16_ZMM;

	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return 0;
	return x & xgetbv(XCR_XFEATURE_ENABLED_MASK);
}

static void add(struct kvm_cpuid_entry2 *e, int *n, u32 fn, u32 idx,
		u32 flags)
{
	struct kvm_cpuid_entry2 *x = &e[*n];
	const struct cpuid_mask *m;

	memset(x, 0, sizeof(*x));
	x->function = fn;
	x->index = idx;
	x->flags = flags;
	cpuid_count(fn, idx, &x->eax, &x->ebx, &x->ecx, &x->edx);
	m = find_mask(fn, idx);
	if (m) {
		x->eax &= m->eax;
		x->ebx &= m->ebx;
		x->ecx &= m->ecx;
		x->edx &= m->edx;
	}
	(*n)++;
}

/*
 * Hypervisor leaves.  0x40000000 is vmx's own identity ("vmxvmxvmxvmx",
 * no features of its own yet).  Linux guests look for KVM's signature
 * in every 0x100 block up to 0x40010000, so the KVM-compatible leaves sit
 * at 0x40000100: the kvmclock features, nothing else we lack.
 */
#define VMX_CPUID_BASE		0x40000000
#define VMX_CPUID_KVM_BASE	0x40000100
#define VMX_KVM_FEATURES	(BIT(KVM_FEATURE_CLOCKSOURCE) | \
				 BIT(KVM_FEATURE_CLOCKSOURCE2) | \
				 BIT(KVM_FEATURE_CLOCKSOURCE_STABLE_BIT))

static void signature(struct kvm_cpuid_entry2 *e, u32 fn, u32 max,
		      const char sig[12])
{
	e->function = fn;
	e->eax = max;
	memcpy(&e->ebx, sig, 4);
	memcpy(&e->ecx, sig + 4, 4);
	memcpy(&e->edx, sig + 8, 4);
}

static int add_hypervisor_leaves(struct kvm_cpuid_entry2 *e)
{
	memset(e, 0, sizeof(*e) * 4);
	signature(&e[0], VMX_CPUID_BASE, VMX_CPUID_BASE + 1, "vmxvmxvmxvmx");
	e[1].function = VMX_CPUID_BASE + 1;
	signature(&e[2], VMX_CPUID_KVM_BASE, VMX_CPUID_KVM_BASE + 1,
		  "KVMKVMKVM\0\0\0");
	e[3].function = VMX_CPUID_KVM_BASE + 1;
	e[3].eax = VMX_KVM_FEATURES;
	return 4;
}

static int build_supported(struct kvm_cpuid_entry2 *e)
{
	u32 max = min_t(u32, cpuid_eax(0), 0xd);
	u32 xmax = min_t(u32, cpuid_eax(0x80000000), 0x80000008);
	u64 xcr0 = supported_xcr0();
	int n = 0, i;
	u32 fn;

	add(e, &n, 0, 0, 0);
	e[0].eax = max;
	add(e, &n, 1, 0, 0);
	e[n - 1].ecx |= BIT(31);	/* running under a hypervisor */
	e[n - 1].ecx |= BIT(21) | BIT(24);	/* x2APIC, TSC-deadline: lapic.c */
	e[n - 1].ebx &= 0x0000ffff;	/* no APIC ID / CPU count from host */
	if (max >= 7) {
		add(e, &n, 7, 0, SIGNIFICANT);
		e[n - 1].eax = 0;
	}
	if (max >= 0xd && xcr0) {
		add(e, &n, 0xd, 0, SIGNIFICANT);
		e[n - 1].eax = (u32)xcr0;
		e[n - 1].edx = xcr0 >> 32;
		add(e, &n, 0xd, 1, SIGNIFICANT);
		e[n - 1].eax &= 0x7;	/* XSAVEOPT, XSAVEC, XGETBV1; no XSAVES */
		e[n - 1].ebx = e[n - 1].ecx = e[n - 1].edx = 0;
		for (i = 2; i < 64; i++)
			if (xcr0 & BIT_ULL(i))
				add(e, &n, 0xd, i, SIGNIFICANT);
	}
	i = n;
	for (fn = 0x80000000; fn <= xmax; fn++)
		add(e, &n, fn, 0, 0);
	e[i].eax = xmax;
	if (xmax >= 0x80000008)	/* our nested tables cover 48 bits */
		e[n - 1].eax = (e[n - 1].eax & ~0xffu) |
			       min_t(u32, e[n - 1].eax & 0xff, VMX_GPA_BITS);

	return n + add_hypervisor_leaves(&e[n]);
}

int vmx_get_supported_cpuid(struct kvm_cpuid2 __user *uc)
{
	struct kvm_cpuid_entry2 *e;
	struct kvm_cpuid2 c;
	int n, r = 0;

	if (copy_from_user(&c, uc, sizeof(c)))
		return -EFAULT;
	e = kcalloc(MAX_CPUID_ENTRIES, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	n = build_supported(e);
	if (c.nent < n) {
		r = -E2BIG;
		goto out;
	}
	c.nent = n;
	if (copy_to_user(uc, &c, sizeof(c)) ||
	    copy_to_user(uc->entries, e, n * sizeof(*e)))
		r = -EFAULT;
out:
	kfree(e);
	return r;
}

/* The entry the CPUID instruction would read for fn/idx, or NULL. */
static struct kvm_cpuid_entry2 *find_entry(struct kvm_cpuid_entry2 *e, int n,
					   u32 fn, u32 idx)
{
	int i;

	for (i = 0; i < n; i++)
		if (e[i].function == fn &&
		    (!(e[i].flags & SIGNIFICANT) || e[i].index == idx))
			return &e[i];
	return NULL;
}

static void set_bit_to(u32 *reg, int bit, bool on)
{
	*reg = (*reg & ~BIT(bit)) | (on ? BIT(bit) : 0);
}

/*
 * Bits that are vCPU state rather than CPU model: OSXSAVE and OSPKE
 * follow CR4, APIC follows IA32_APIC_BASE's enable.  As in KVM they live
 * in the table itself, so KVM_GET_CPUID2 shows what the guest would read.
 */
static void update_runtime(struct vmx_vcpu *vcpu, struct kvm_cpuid_entry2 *e,
			   int n)
{
	struct kvm_cpuid_entry2 *x;
	u64 cr4;

	if (!n)
		return;
	cr4 = vmx_ops->get_cr4(vcpu);
	x = find_entry(e, n, 1, 0);
	if (x) {
		set_bit_to(&x->ecx, 27, cr4 & X86_CR4_OSXSAVE);
		set_bit_to(&x->edx, 9,
			   vcpu->apic_base & MSR_IA32_APICBASE_ENABLE);
	}
	x = find_entry(e, n, 7, 0);
	if (x)
		set_bit_to(&x->ecx, 4, cr4 & X86_CR4_PKE);
}

static bool same_entries(const struct kvm_cpuid_entry2 *a,
			 const struct kvm_cpuid_entry2 *b, int n)
{
	int i;

	for (i = 0; i < n; i++, a++, b++)
		if (a->function != b->function || a->index != b->index ||
		    a->flags != b->flags || a->eax != b->eax ||
		    a->ebx != b->ebx || a->ecx != b->ecx || a->edx != b->edx)
			return false;
	return true;
}

int vmx_set_cpuid2(struct vmx_vcpu *vcpu, struct kvm_cpuid2 __user *uc)
{
	struct kvm_cpuid_entry2 *e = NULL;
	struct kvm_cpuid2 c;
	int r = 0;

	if (copy_from_user(&c, uc, sizeof(c)))
		return -EFAULT;
	if (c.nent > MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (c.nent) {
		e = memdup_user(uc->entries, c.nent * sizeof(*e));
		if (IS_ERR(e))
			return PTR_ERR(e);
	}
	update_runtime(vcpu, e, c.nent);
	/*
	 * As KVM 6.1: once the vCPU has run, its CPU model is fixed; setting
	 * the same table again (VMMs do on vCPU hotplug) is a no-op.
	 */
	if (vcpu->last_cpu >= 0) {
		update_runtime(vcpu, vcpu->cpuid, vcpu->cpuid_nent);
		if (c.nent != vcpu->cpuid_nent ||
		    !same_entries(e, vcpu->cpuid, c.nent))
			r = -EINVAL;
		kfree(e);
		return r;
	}
	kfree(vcpu->cpuid);
	vcpu->cpuid = e;
	vcpu->cpuid_nent = c.nent;
	return 0;
}

int vmx_get_cpuid2(struct vmx_vcpu *vcpu, struct kvm_cpuid2 __user *uc)
{
	struct kvm_cpuid2 c;

	if (copy_from_user(&c, uc, sizeof(c)))
		return -EFAULT;
	if (c.nent < vcpu->cpuid_nent)
		return -E2BIG;
	c.nent = vcpu->cpuid_nent;
	update_runtime(vcpu, vcpu->cpuid, c.nent);
	if (copy_to_user(uc, &c, sizeof(c)) ||
	    copy_to_user(uc->entries, vcpu->cpuid,
			 c.nent * sizeof(*vcpu->cpuid)))
		return -EFAULT;
	return 0;
}

void vmx_cpuid_free(struct vmx_vcpu *vcpu)
{
	kfree(vcpu->cpuid);
	vcpu->cpuid = NULL;
}

int vmx_emulate_cpuid(struct vmx_vcpu *vcpu, unsigned int insn_len)
{
	u32 fn = vcpu->regs[VMX_RAX], idx = vcpu->regs[VMX_RCX];
	const struct kvm_cpuid_entry2 *e;
	u32 a = 0, b = 0, c = 0, d = 0;

	update_runtime(vcpu, vcpu->cpuid, vcpu->cpuid_nent);
	e = find_entry(vcpu->cpuid, vcpu->cpuid_nent, fn, idx);
	if (e) {
		a = e->eax;
		b = e->ebx;
		c = e->ecx;
		d = e->edx;
	}
	vmx_reg_write(vcpu, VMX_RAX, 4, a);
	vmx_reg_write(vcpu, VMX_RBX, 4, b);
	vmx_reg_write(vcpu, VMX_RCX, 4, c);
	vmx_reg_write(vcpu, VMX_RDX, 4, d);
	vmx_skip_insn(vcpu, insn_len);
	return 1;
}
