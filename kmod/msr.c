// SPDX-License-Identifier: GPL-2.0
/*
 * Model-specific registers: guest RDMSR/WRMSR exits and the KVM_GET/SET_MSRS
 * ioctls share one accessor.  State held in the VMCB/VMCS belongs to the
 * backend; what is left lives in struct vmx_vcpu.  Unknown MSRs #GP.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/kvm_para.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "core.h"
#include "msr_inert.h"

#define MAX_IO_MSRS		256
#define APIC_BASE_DEFAULT	0xfee00000ULL
#define MTRR_CAP_VALUE		0x508	/* 8 variable, fixed and WC */

static const u32 msrs_to_save[] = {
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_STAR, MSR_CSTAR, MSR_KERNEL_GS_BASE, MSR_SYSCALL_MASK, MSR_LSTAR,
	MSR_EFER, MSR_IA32_TSC, MSR_IA32_TSC_ADJUST, MSR_IA32_CR_PAT,
	MSR_TSC_AUX,
	MSR_IA32_MISC_ENABLE, MSR_IA32_APICBASE, MSR_MTRRdefType,
	MSR_KVM_SYSTEM_TIME_NEW, MSR_KVM_WALL_CLOCK_NEW,
	MSR_KVM_SYSTEM_TIME, MSR_KVM_WALL_CLOCK,
};

void vmx_msr_reset(struct vmx_vcpu *vcpu)
{
	vcpu->apic_base = APIC_BASE_DEFAULT | MSR_IA32_APICBASE_ENABLE |
			  (vcpu->id == 0 ? MSR_IA32_APICBASE_BSP : 0);
	vcpu->misc_enable = MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL |
			    MSR_IA32_MISC_ENABLE_BTS_UNAVAIL;
	/* The guest's TSCs count from zero at VM creation, in step. */
	vcpu->tsc_offset = -vcpu->vm->tsc_base;
}

static u64 *mtrr_slot(struct vmx_vcpu *vcpu, u32 index)
{
	static const u32 fixed[] = {
		MSR_MTRRfix64K_00000, MSR_MTRRfix16K_80000,
		MSR_MTRRfix16K_A0000, MSR_MTRRfix4K_C0000,
		MSR_MTRRfix4K_C8000, MSR_MTRRfix4K_D0000,
		MSR_MTRRfix4K_D8000, MSR_MTRRfix4K_E0000,
		MSR_MTRRfix4K_E8000, MSR_MTRRfix4K_F0000,
		MSR_MTRRfix4K_F8000,
	};
	int i;

	if (index == MSR_MTRRdefType)
		return &vcpu->mtrr_deftype;
	if (index >= 0x200 && index < 0x210)
		return &vcpu->mtrr_var[index - 0x200];
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (fixed[i] == index)
			return &vcpu->mtrr_fixed[i];
	return NULL;
}

static bool pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = (pat >> (i * 8)) & 0xff;

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

#define EFER_GUEST_BITS (EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_FFXSR)

/* Values no CPU accepts, checked here once for both backends. */
static int msr_check(struct vmx_vcpu *vcpu, u32 index, u64 data)
{
	switch (index) {
	case MSR_EFER:
		if (data & ~EFER_GUEST_BITS)
			return -EINVAL;
		/* LME cannot change while paging is on. */
		if ((vmx_ops->get_cr0(vcpu) & X86_CR0_PG) &&
		    ((data ^ vmx_ops->get_efer(vcpu)) & EFER_LME))
			return -EINVAL;
		return 0;
	case MSR_IA32_CR_PAT:
		return pat_valid(data) ? 0 : -EINVAL;
	case MSR_IA32_DEBUGCTLMSR:
		/* No branch tracing for guests yet. */
		return data ? -EINVAL : 0;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return __is_canonical_address(data, 48) ? 0 : -EINVAL;
	}
	return 0;
}

/* MSRs of the in-kernel APIC and of kvmclock: 0 done, 1 not theirs. */
static int msr_component(struct vmx_vcpu *vcpu, u32 index, u64 *data,
			 bool write, bool host)
{
	int r = 1;

	if (vcpu->apic)
		r = vmx_lapic_msr(vcpu, index, data, write, host);
	if (r == 1)
		r = vmx_clock_msr(vcpu, index, data, write, host);
	return r;
}

/* @host: the access comes from KVM_GET/SET_MSRS, not from the guest. */
static int msr_get(struct vmx_vcpu *vcpu, u32 index, u64 *data, bool host)
{
	u64 *m;
	int r = vmx_ops->get_msr(vcpu, index, data);

	if (r <= 0)
		return r;
	r = msr_component(vcpu, index, data, false, host);
	if (r <= 0)
		return r;
	switch (index) {
	case MSR_IA32_TSC:
		*data = rdtsc() + vcpu->tsc_offset;
		return 0;
	case MSR_IA32_TSC_ADJUST:
		*data = vcpu->tsc_adjust;
		return 0;
	case MSR_TSC_AUX:
		*data = vcpu->tsc_aux;
		return 0;
	case MSR_IA32_APICBASE:
		*data = vcpu->apic_base;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*data = vcpu->misc_enable;
		return 0;
	case MSR_IA32_UCODE_REV:
		*data = 0x100000000ULL;
		return 0;
	case MSR_MTRRcap:
		*data = MTRR_CAP_VALUE;
		return 0;
	case MSR_IA32_MCG_CAP:
	case MSR_IA32_MCG_STATUS:
	case MSR_IA32_TSC_DEADLINE:
		*data = 0;
		return 0;
	}
	if (msr_inert(index)) {
		*data = 0;
		return 0;
	}
	m = mtrr_slot(vcpu, index);
	if (!m)
		return -EINVAL;
	*data = *m;
	return 0;
}

static int msr_set(struct vmx_vcpu *vcpu, u32 index, u64 data, bool host)
{
	u64 *m;
	int r = msr_check(vcpu, index, data);

	if (r)
		return r;
	r = vmx_ops->set_msr(vcpu, index, data);
	if (r <= 0)
		return r;
	r = msr_component(vcpu, index, &data, true, host);
	if (r <= 0)
		return r;
	switch (index) {
	case MSR_IA32_TSC:
		/* A guest's own TSC write shows in TSC_ADJUST (SDM 17.17.3);
		 * user space setting the TSC (restore) does not.
		 */
		if (!host)
			vcpu->tsc_adjust += data - (rdtsc() + vcpu->tsc_offset);
		vcpu->tsc_offset = data - rdtsc();
		/* The kvmclock page speaks of the guest's TSC. */
		vmx_make_request(vcpu, VMX_REQ_CLOCK_UPDATE);
		return 0;
	case MSR_IA32_TSC_ADJUST:
		/* The guest moves its TSC with it; user space only sets it. */
		if (!host) {
			vcpu->tsc_offset += data - vcpu->tsc_adjust;
			vmx_make_request(vcpu, VMX_REQ_CLOCK_UPDATE);
		}
		vcpu->tsc_adjust = data;
		return 0;
	case MSR_TSC_AUX:
		if (data >> 32)
			return -EINVAL;
		vcpu->tsc_aux = data;
		return 0;
	case MSR_IA32_APICBASE:
		if (data & ~(GENMASK_ULL(VMX_GPA_BITS - 1, 12) |
			     MSR_IA32_APICBASE_ENABLE | MSR_IA32_APICBASE_BSP |
			     X2APIC_ENABLE))
			return -EINVAL;
		vcpu->apic_base = data;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		vcpu->misc_enable = data;
		return 0;
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_MCG_STATUS:
	case MSR_IA32_TSC_DEADLINE:
		return (host || !data) ? 0 : -EINVAL;
	}
	if (msr_inert(index))
		return 0;
	m = mtrr_slot(vcpu, index);
	if (!m)
		return -EINVAL;
	*m = data;
	return 0;
}

int vmx_emulate_rdmsr(struct vmx_vcpu *vcpu, unsigned int insn_len)
{
	u64 v;

	if (msr_get(vcpu, vcpu->regs[VMX_RCX], &v, false)) {
		vmx_inject_gp(vcpu);
		return 1;
	}
	vmx_reg_write(vcpu, VMX_RAX, 4, v);
	vmx_reg_write(vcpu, VMX_RDX, 4, v >> 32);
	vmx_skip_insn(vcpu, insn_len);
	return 1;
}

int vmx_emulate_wrmsr(struct vmx_vcpu *vcpu, unsigned int insn_len)
{
	u64 v = (u32)vcpu->regs[VMX_RAX] | ((u64)(u32)vcpu->regs[VMX_RDX] << 32);

	if (msr_set(vcpu, vcpu->regs[VMX_RCX], v, false)) {
		vmx_inject_gp(vcpu);
		return 1;
	}
	vmx_skip_insn(vcpu, insn_len);
	return 1;
}

/* Feature MSRs: read-only CPU properties user space may query. */
static const u32 feature_msrs[] = {
	MSR_IA32_UCODE_REV,
};

static int copy_msr_list(struct kvm_msr_list __user *ulist, const u32 *idx,
			 u32 n)
{
	struct kvm_msr_list l;

	if (copy_from_user(&l, ulist, sizeof(l)))
		return -EFAULT;
	if (put_user(n, &ulist->nmsrs))
		return -EFAULT;
	if (l.nmsrs < n)
		return -E2BIG;
	if (copy_to_user(ulist->indices, idx, n * sizeof(*idx)))
		return -EFAULT;
	return 0;
}

int vmx_get_msr_index_list(struct kvm_msr_list __user *ulist)
{
	return copy_msr_list(ulist, msrs_to_save, ARRAY_SIZE(msrs_to_save));
}

int vmx_get_msr_feature_index_list(struct kvm_msr_list __user *ulist)
{
	return copy_msr_list(ulist, feature_msrs, ARRAY_SIZE(feature_msrs));
}

static int feature_msr_get(u32 index, u64 *data)
{
	if (index != MSR_IA32_UCODE_REV)
		return -EINVAL;
	*data = 0x100000000ULL;	/* what a vCPU reads, as on KVM */
	return 0;
}

/*
 * Returns how many entries were processed, stopping at the first bad one.
 * Without a vCPU (the system fd) only feature MSRs can be read.
 */
int vmx_msrs_ioctl(struct vmx_vcpu *vcpu, struct kvm_msrs __user *umsrs,
		   bool set)
{
	struct kvm_msr_entry *e;
	struct kvm_msrs hdr;
	int i, r;

	if (copy_from_user(&hdr, umsrs, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nmsrs >= MAX_IO_MSRS)
		return -E2BIG;
	e = memdup_user(umsrs->entries, hdr.nmsrs * sizeof(*e));
	if (IS_ERR(e))
		return PTR_ERR(e);
	for (i = 0; i < hdr.nmsrs; i++) {
		if (!vcpu ? feature_msr_get(e[i].index, &e[i].data) :
		    set ? msr_set(vcpu, e[i].index, e[i].data, true) :
			  msr_get(vcpu, e[i].index, &e[i].data, true))
			break;
	}
	r = i;
	if (!set && copy_to_user(umsrs->entries, e, i * sizeof(*e)))
		r = -EFAULT;
	kfree(e);
	return r;
}
