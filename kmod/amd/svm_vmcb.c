// SPDX-License-Identifier: GPL-2.0
/*
 * VMCB state: the power-on state, and conversion between the VMCB and the
 * KVM ABI's segment, special-register and MSR views.
 */
#include <linux/mem_encrypt.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "svm.h"

#define EFER_GUEST_BITS (EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_FFXSR)

static void seg_to_kvm(const struct vmcb_seg *s, struct kvm_segment *k)
{
	u16 a = s->attrib;

	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->selector;
	k->type = a & SVM_SEG_TYPE_MASK;
	k->s = !!(a & SVM_SEG_S);
	k->dpl = (a >> SVM_SEG_DPL_SHIFT) & 3;
	k->present = !!(a & SVM_SEG_P);
	k->avl = !!(a & SVM_SEG_AVL);
	k->l = !!(a & SVM_SEG_L);
	k->db = !!(a & SVM_SEG_DB);
	k->g = !!(a & SVM_SEG_G);
	k->unusable = !k->present;
}

static void seg_from_kvm(struct vmcb_seg *s, const struct kvm_segment *k)
{
	s->base = k->base;
	s->limit = k->limit;
	s->selector = k->selector;
	s->attrib = 0;
	if (k->unusable || !k->present)
		return;
	s->attrib = (k->type & SVM_SEG_TYPE_MASK) | (k->s ? SVM_SEG_S : 0) |
		    ((k->dpl & 3) << SVM_SEG_DPL_SHIFT) | SVM_SEG_P |
		    (k->avl ? SVM_SEG_AVL : 0) | (k->l ? SVM_SEG_L : 0) |
		    (k->db ? SVM_SEG_DB : 0) | (k->g ? SVM_SEG_G : 0);
}

static struct vmcb_seg *seg_ptr(struct vmcb *vmcb, int which)
{
	struct vmcb_seg *segs[] = {
		&vmcb->save.es, &vmcb->save.cs, &vmcb->save.ss,
		&vmcb->save.ds, &vmcb->save.fs, &vmcb->save.gs,
	};

	return segs[which];
}

void svm_get_segment(struct vmx_vcpu *vcpu, struct kvm_segment *seg,
		     int which)
{
	seg_to_kvm(seg_ptr(to_svm(vcpu)->vmcb, which), seg);
}

static void real_seg(struct vmcb_seg *s, u16 type)
{
	s->selector = 0;
	s->base = 0;
	s->limit = 0xffff;
	s->attrib = SVM_SEG_P | SVM_SEG_S | type;
}

static void reset_control(struct svm_vcpu *svm)
{
	struct vmcb_control *c = &svm->vmcb->control;

	c->intercepts[SVM_ICPT_DR] = 0xffffffff;	/* host owns DR0-3 */
	/* #DB and #AC: a guest could otherwise hang the CPU in a loop. */
	c->intercepts[SVM_ICPT_EXC] = BIT(1) | BIT(17);
	c->intercepts[SVM_ICPT_MISC3] = SVM_I3_INTR | SVM_I3_NMI |
		SVM_I3_SMI | SVM_I3_INIT | SVM_I3_RDPMC | SVM_I3_CPUID |
		SVM_I3_RSM | SVM_I3_INVD | SVM_I3_HLT | SVM_I3_INVLPGA |
		SVM_I3_IOIO | SVM_I3_MSR | SVM_I3_TASK_SWITCH |
		SVM_I3_SHUTDOWN;
	c->intercepts[SVM_ICPT_MISC4] = SVM_I4_VMRUN | SVM_I4_VMMCALL |
		SVM_I4_VMLOAD | SVM_I4_VMSAVE | SVM_I4_STGI | SVM_I4_CLGI |
		SVM_I4_SKINIT | SVM_I4_RDTSCP | SVM_I4_MONITOR |
		SVM_I4_MWAIT | SVM_I4_MWAIT_COND | SVM_I4_XSETBV |
		SVM_I4_RDPRU;
	c->iopm_base_pa = svm_iopm_pa;
	c->msrpm_base_pa = svm_msrpm_pa;
	c->asid = svm->asid;	/* reassigned per CPU before entry */
	/* Guest IF and TPR must never mask host interrupts. */
	c->int_ctl = SVM_V_INTR_MASKING;
	c->nested_ctl = 1;
	c->nested_cr3 = __sme_set(svm->vcpu.vm->npt.root_pa);
}

/* Architectural state after RESET/INIT, as KVM gives a new vCPU. */
void svm_vcpu_reset(struct vmx_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_save *s = &svm->vmcb->save;

	memset(svm->vmcb, 0, PAGE_SIZE);
	svm->asid_cpu = -1;
	svm->nmi_masked = false;
	svm->iret_pending = false;
	reset_control(svm);

	real_seg(&s->es, 3);
	real_seg(&s->ss, 3);
	real_seg(&s->ds, 3);
	real_seg(&s->fs, 3);
	real_seg(&s->gs, 3);
	real_seg(&s->cs, 0xb);
	s->cs.selector = 0xf000;
	s->cs.base = 0xffff0000;
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->ldtr.limit = 0xffff;
	s->ldtr.attrib = SVM_SEG_P | 2;
	s->tr.limit = 0xffff;
	s->tr.attrib = SVM_SEG_P | 3;
	s->cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	s->efer = EFER_SVME;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ULL;

	memset(vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs[VMX_RDX] = 0x600;	/* CPUID.1 signature, like KVM */
	vcpu->rip = 0xfff0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	memset(vcpu->dr, 0, sizeof(vcpu->dr));
	vcpu->exception.pending = false;
	vcpu->reinject.pending = false;
	vcpu->inject.pending = false;
	vcpu->pending = VMX_PEND_NONE;
	vcpu->flush_tlb = true;
}

void svm_get_sregs(struct vmx_vcpu *vcpu, struct kvm_sregs *sr)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	struct vmcb_save *s = &vmcb->save;

	seg_to_kvm(&s->cs, &sr->cs);
	seg_to_kvm(&s->ds, &sr->ds);
	seg_to_kvm(&s->es, &sr->es);
	seg_to_kvm(&s->fs, &sr->fs);
	seg_to_kvm(&s->gs, &sr->gs);
	seg_to_kvm(&s->ss, &sr->ss);
	seg_to_kvm(&s->tr, &sr->tr);
	seg_to_kvm(&s->ldtr, &sr->ldt);
	/* TR and LDTR are usable whenever they are present. */
	sr->gdt.base = s->gdtr.base;
	sr->gdt.limit = s->gdtr.limit;
	sr->idt.base = s->idtr.base;
	sr->idt.limit = s->idtr.limit;
	sr->cr0 = s->cr0;
	sr->cr2 = s->cr2;
	sr->cr3 = s->cr3;
	sr->cr4 = s->cr4;
	sr->cr8 = vmcb->control.int_ctl & SVM_V_TPR_MASK;
	sr->efer = s->efer & ~EFER_SVME;
}

int svm_set_sregs(struct vmx_vcpu *vcpu, const struct kvm_sregs *sr)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	struct vmcb_save *s = &vmcb->save;

	seg_from_kvm(&s->cs, &sr->cs);
	seg_from_kvm(&s->ds, &sr->ds);
	seg_from_kvm(&s->es, &sr->es);
	seg_from_kvm(&s->fs, &sr->fs);
	seg_from_kvm(&s->gs, &sr->gs);
	seg_from_kvm(&s->ss, &sr->ss);
	seg_from_kvm(&s->tr, &sr->tr);
	seg_from_kvm(&s->ldtr, &sr->ldt);
	s->gdtr.base = sr->gdt.base;
	s->gdtr.limit = sr->gdt.limit;
	s->idtr.base = sr->idt.base;
	s->idtr.limit = sr->idt.limit;
	s->cr0 = sr->cr0;
	s->cr2 = sr->cr2;
	s->cr3 = sr->cr3;
	s->cr4 = sr->cr4;
	s->efer = (sr->efer & EFER_GUEST_BITS) | EFER_SVME;
	s->cpl = (sr->cr0 & X86_CR0_PE) ? sr->ss.dpl & 3 : 0;
	vmcb->control.int_ctl = (vmcb->control.int_ctl & ~SVM_V_TPR_MASK) |
				(sr->cr8 & 0xf);
	vcpu->flush_tlb = true;
	return 0;
}

/* MSRs that VMRUN/VMLOAD switch live in the VMCB save area. */
static u64 *msr_field(struct vmcb_save *s, u32 index)
{
	switch (index) {
	case MSR_STAR:			return &s->star;
	case MSR_LSTAR:			return &s->lstar;
	case MSR_CSTAR:			return &s->cstar;
	case MSR_SYSCALL_MASK:		return &s->sfmask;
	case MSR_KERNEL_GS_BASE:	return &s->kernel_gs_base;
	case MSR_IA32_SYSENTER_CS:	return &s->sysenter_cs;
	case MSR_IA32_SYSENTER_ESP:	return &s->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP:	return &s->sysenter_eip;
	case MSR_FS_BASE:		return &s->fs.base;
	case MSR_GS_BASE:		return &s->gs.base;
	case MSR_IA32_CR_PAT:		return &s->g_pat;
	case MSR_IA32_DEBUGCTLMSR:	return &s->dbgctl;
	default:			return NULL;
	}
}

int svm_get_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data)
{
	struct vmcb_save *s = &to_svm(vcpu)->vmcb->save;
	u64 *f;

	if (index == MSR_EFER) {
		*data = s->efer & ~EFER_SVME;
		return 0;
	}
	f = msr_field(s, index);
	if (!f)
		return 1;
	*data = *f;
	return 0;
}

int svm_set_msr(struct vmx_vcpu *vcpu, u32 index, u64 data)
{
	struct vmcb_save *s = &to_svm(vcpu)->vmcb->save;
	u64 *f;

	/* The core has checked the value; LMA stays read-only. */
	if (index == MSR_EFER) {
		s->efer = (data & ~EFER_LMA) | (s->efer & EFER_LMA) | EFER_SVME;
		return 0;
	}
	if (index == MSR_IA32_DEBUGCTLMSR)
		return 0;
	f = msr_field(s, index);
	if (!f)
		return 1;
	*f = data;
	return 0;
}
