// SPDX-License-Identifier: GPL-2.0
/*
 * VMCS contents: controls and host state, the power-on guest state, and
 * conversion between the VMCS and the KVM ABI's views of segments,
 * control registers and MSRs.  The VMCS must be current (vcpu_load).
 */
#include <linux/io.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/tlbflush.h>

#include "vtx.h"

#define EFER_GUEST_BITS (EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_FFXSR)
/* CR0 bits the guest may flip without an exit; all of CR4 exits. */
#define CR0_GUEST_OWNED (X86_CR0_TS | X86_CR0_MP | X86_CR0_EM | \
			 X86_CR0_WP | X86_CR0_AM)

/* Segment fields come in ES, CS, SS, DS, FS, GS, LDTR, TR order. */
#define SEG_SEL(n)	(GUEST_ES_SELECTOR + 2 * (n))
#define SEG_LIMIT(n)	(GUEST_ES_LIMIT + 2 * (n))
#define SEG_AR(n)	(GUEST_ES_AR_BYTES + 2 * (n))
#define SEG_BASE(n)	(GUEST_ES_BASE + 2 * (n))
#define SEG_LDTR	6
#define SEG_TR		7

/* Host state that depends on the CPU: refreshed when the VMCS moves. */
void vtx_refresh_host_cpu_state(struct vtx_vcpu *vtx, int cpu)
{
	struct desc_ptr idt;
	u64 v;

	vmcs_write(HOST_TR_BASE,
		   (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_write(HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	store_idt(&idt);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmcs_write(HOST_IA32_SYSENTER_ESP, v);
	vmcs_write(HOST_GS_BASE, cpu_kernelmode_gs_base(cpu));
	rdmsrl(MSR_TSC_AUX, vtx->host_msrs[AL_TSC_AUX].value);
	vtx->host_cr3 = vtx->host_cr4 = vtx->host_fs_base = ~0UL;
}

static void setup_host_state(struct vtx_vcpu *vtx)
{
	u64 v;

	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vmcs_write(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmcs_write(HOST_IA32_SYSENTER_EIP, v);
	vmcs_write(HOST_IA32_PAT, vtx_cfg.host_pat);
	vmcs_write(HOST_IA32_EFER, vtx_cfg.host_efer);
	vmcs_write(HOST_RIP, (unsigned long)vtx_vmexit);
	vtx_refresh_host_cpu_state(vtx, smp_processor_id());
}

static void setup_controls(struct vtx_vcpu *vtx)
{
	phys_addr_t msrs = virt_to_phys(vtx->guest_msrs);

	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, vtx_cfg.pin);
	vtx->cpu_ctls = vtx_cfg.cpu;
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, vtx_cfg.cpu);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, vtx_cfg.cpu2);
	vmcs_write(VM_EXIT_CONTROLS, vtx_cfg.exit);
	vmcs_write(VM_ENTRY_CONTROLS, vtx_cfg.entry);
	/* #DB and #AC: a guest could otherwise hang the CPU in a loop. */
	vmcs_write(EXCEPTION_BITMAP, BIT(1) | BIT(17));
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VIRTUAL_PROCESSOR_ID, vtx->vpid);
	vmcs_write(EPT_POINTER, vtx->vcpu.vm->npt.root_pa | EPTP_MT_WB |
		   EPTP_WALK4);
	vmcs_write(VM_ENTRY_MSR_LOAD_ADDR, msrs);
	vmcs_write(VM_EXIT_MSR_STORE_ADDR, msrs);
	vmcs_write(VM_EXIT_MSR_LOAD_ADDR, virt_to_phys(vtx->host_msrs));
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, AL_NR);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, AL_NR);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, AL_NR);
	vmcs_write(CR0_GUEST_HOST_MASK, ~(u64)CR0_GUEST_OWNED);
	vmcs_write(CR4_GUEST_HOST_MASK, ~0ULL);
	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
}

static void set_seg(int n, u16 sel, u64 base, u32 limit, u32 ar)
{
	vmcs_write(SEG_SEL(n), sel);
	vmcs_write(SEG_BASE(n), base);
	vmcs_write(SEG_LIMIT(n), limit);
	vmcs_write(SEG_AR(n), ar);
}

/* Architectural state after RESET/INIT, as KVM gives a new vCPU. */
void vtx_vcpu_reset(struct vmx_vcpu *vcpu)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);
	int n;

	preempt_disable();
	vtx_load_vmcs(vtx, smp_processor_id());
	vtx->launched = false;
	setup_controls(vtx);
	setup_host_state(vtx);

	for (n = 0; n < 6; n++)
		set_seg(n, 0, 0, 0xffff, 0x93);
	set_seg(1, 0xf000, 0xffff0000, 0xffff, 0x9b);
	set_seg(SEG_LDTR, 0, 0, 0xffff, 0x82);
	set_seg(SEG_TR, 0, 0, 0xffff, 0x8b);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_DR7, 0x400);
	vmcs_write(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, 0);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write(GUEST_CR3, 0);
	vmcs_write(GUEST_IA32_EFER, 0);
	for (n = 0; n < AL_NR; n++)
		vtx->guest_msrs[n].value = 0;
	vtx_set_cr4(vcpu, 0);
	vtx_set_cr0(vcpu, X86_CR0_ET | X86_CR0_CD | X86_CR0_NW);
	vtx->cr2 = 0;
	vtx->cr8 = 0;
	preempt_enable();

	memset(vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs[VMX_RDX] = 0x600;	/* CPUID.1 signature, like KVM */
	vcpu->rip = 0xfff0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	memset(vcpu->dr, 0, sizeof(vcpu->dr));
	vcpu->dr6 = 0xffff0ff0;
	vcpu->exception.pending = false;
	vcpu->reinject.pending = false;
	vcpu->inject.pending = false;
	vcpu->pending = VMX_PEND_NONE;
	vcpu->flush_tlb = true;
}

u64 vtx_get_cr0(struct vmx_vcpu *vcpu)
{
	return (vmcs_read(GUEST_CR0) & CR0_GUEST_OWNED) |
	       (vmcs_read(CR0_READ_SHADOW) & ~(u64)CR0_GUEST_OWNED);
}

u64 vtx_get_cr4(struct vmx_vcpu *vcpu)
{
	return vmcs_read(CR4_READ_SHADOW);
}

u64 vtx_get_efer(struct vmx_vcpu *vcpu)
{
	return vmcs_read(GUEST_IA32_EFER);
}

static void set_efer(u64 efer)
{
	u64 entry = vmcs_read(VM_ENTRY_CONTROLS) & ~(u64)ENTRY_IA32E_MODE;

	vmcs_write(GUEST_IA32_EFER, efer);
	vmcs_write(VM_ENTRY_CONTROLS,
		   entry | ((efer & EFER_LMA) ? ENTRY_IA32E_MODE : 0));
}

/* With EPT the CPU loads PAE PDPTEs from the VMCS at entry. */
static void load_pdptrs(struct vmx_vcpu *vcpu)
{
	u64 cr3 = vmcs_read(GUEST_CR3), pdpte[4] = {};
	int i;

	if (!(vtx_get_cr0(vcpu) & X86_CR0_PG) ||
	    !(vtx_get_cr4(vcpu) & X86_CR4_PAE) ||
	    (vtx_get_efer(vcpu) & EFER_LMA))
		return;
	vmx_read_guest(vcpu, cr3 & 0xffffffe0ULL, pdpte, sizeof(pdpte));
	for (i = 0; i < 4; i++)
		vmcs_write(GUEST_PDPTR0 + 2 * i, pdpte[i]);
}

/* Hardware CR0/CR4 must honour the VMX fixed bits the guest never sees. */
static u64 hw_cr0(u64 cr0)
{
	u64 fixed0 = vtx_cfg.cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);

	return (cr0 | fixed0) & vtx_cfg.cr0_fixed1;
}

int vtx_set_cr0(struct vmx_vcpu *vcpu, u64 val)
{
	u64 old = vtx_get_cr0(vcpu), efer = vtx_get_efer(vcpu);

	if ((val >> 32) || ((val & X86_CR0_NW) && !(val & X86_CR0_CD)) ||
	    ((val & X86_CR0_PG) && !(val & X86_CR0_PE)))
		return -EINVAL;
	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & EFER_LME)) {
		if (!(vtx_get_cr4(vcpu) & X86_CR4_PAE))
			return -EINVAL;
		set_efer(efer | EFER_LMA);
	} else if (!(val & X86_CR0_PG) && (old & X86_CR0_PG) &&
		   (efer & EFER_LMA)) {
		set_efer(efer & ~EFER_LMA);
	}
	vmcs_write(CR0_READ_SHADOW, val);
	vmcs_write(GUEST_CR0, hw_cr0(val));
	if ((val ^ old) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		vcpu->flush_tlb = true;
	load_pdptrs(vcpu);
	return 0;
}

int vtx_set_cr4(struct vmx_vcpu *vcpu, u64 val)
{
	u64 old = vmcs_read(CR4_READ_SHADOW);

	if (val & ~vmx_cr4_valid_bits())
		return -EINVAL;
	if ((vtx_get_efer(vcpu) & EFER_LMA) && !(val & X86_CR4_PAE))
		return -EINVAL;
	vmcs_write(CR4_READ_SHADOW, val);
	vmcs_write(GUEST_CR4, (val | vtx_cfg.cr4_fixed0) & vtx_cfg.cr4_fixed1);
	if ((val ^ old) & (X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PSE |
			   X86_CR4_PCIDE | X86_CR4_SMEP))
		vcpu->flush_tlb = true;
	load_pdptrs(vcpu);
	return 0;
}

static void seg_to_kvm(int n, struct kvm_segment *k)
{
	u32 ar = vmcs_read(SEG_AR(n));

	memset(k, 0, sizeof(*k));
	k->base = vmcs_read(SEG_BASE(n));
	k->limit = vmcs_read(SEG_LIMIT(n));
	k->selector = vmcs_read(SEG_SEL(n));
	k->type = ar & 0xf;
	k->s = (ar >> 4) & 1;
	k->dpl = (ar >> 5) & 3;
	k->present = (ar >> 7) & 1;
	k->avl = (ar >> 12) & 1;
	k->l = (ar >> 13) & 1;
	k->db = (ar >> 14) & 1;
	k->g = (ar >> 15) & 1;
	k->unusable = !!(ar & AR_UNUSABLE);
}

static void seg_from_kvm(int n, const struct kvm_segment *k)
{
	u32 ar;

	if (k->unusable || !k->present)
		ar = AR_UNUSABLE;
	else
		ar = (k->type & 0xf) | (k->s << 4) | ((k->dpl & 3) << 5) |
		     (1 << 7) | (k->avl << 12) | (k->l << 13) |
		     (k->db << 14) | (k->g << 15);
	set_seg(n, k->selector, k->base, k->limit, ar);
}

void vtx_get_segment(struct vmx_vcpu *vcpu, struct kvm_segment *seg,
		     int which)
{
	seg_to_kvm(which, seg);
}

void vtx_get_sregs(struct vmx_vcpu *vcpu, struct kvm_sregs *sr)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);

	seg_to_kvm(0, &sr->es);
	seg_to_kvm(1, &sr->cs);
	seg_to_kvm(2, &sr->ss);
	seg_to_kvm(3, &sr->ds);
	seg_to_kvm(4, &sr->fs);
	seg_to_kvm(5, &sr->gs);
	seg_to_kvm(SEG_LDTR, &sr->ldt);
	seg_to_kvm(SEG_TR, &sr->tr);
	sr->gdt.base = vmcs_read(GUEST_GDTR_BASE);
	sr->gdt.limit = vmcs_read(GUEST_GDTR_LIMIT);
	sr->idt.base = vmcs_read(GUEST_IDTR_BASE);
	sr->idt.limit = vmcs_read(GUEST_IDTR_LIMIT);
	sr->cr0 = vtx_get_cr0(vcpu);
	sr->cr2 = vtx->cr2;
	sr->cr3 = vmcs_read(GUEST_CR3);
	sr->cr4 = vtx_get_cr4(vcpu);
	sr->cr8 = vtx->cr8;
	sr->efer = vtx_get_efer(vcpu);
}

int vtx_set_sregs(struct vmx_vcpu *vcpu, const struct kvm_sregs *sr)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);

	seg_from_kvm(0, &sr->es);
	seg_from_kvm(1, &sr->cs);
	seg_from_kvm(2, &sr->ss);
	seg_from_kvm(3, &sr->ds);
	seg_from_kvm(4, &sr->fs);
	seg_from_kvm(5, &sr->gs);
	seg_from_kvm(SEG_LDTR, &sr->ldt);
	seg_from_kvm(SEG_TR, &sr->tr);
	vmcs_write(GUEST_GDTR_BASE, sr->gdt.base);
	vmcs_write(GUEST_GDTR_LIMIT, sr->gdt.limit);
	vmcs_write(GUEST_IDTR_BASE, sr->idt.base);
	vmcs_write(GUEST_IDTR_LIMIT, sr->idt.limit);
	vtx->cr2 = sr->cr2;
	vtx->cr8 = sr->cr8 & 0xf;
	vmcs_write(GUEST_CR3, sr->cr3);
	/* EFER first: CR0 and CR4 checks look at LMA. */
	set_efer(sr->efer & EFER_GUEST_BITS);
	vmcs_write(CR4_READ_SHADOW, sr->cr4);
	vmcs_write(GUEST_CR4, (sr->cr4 | vtx_cfg.cr4_fixed0) &
		   vtx_cfg.cr4_fixed1);
	vmcs_write(CR0_READ_SHADOW, sr->cr0);
	vmcs_write(GUEST_CR0, hw_cr0(sr->cr0));
	load_pdptrs(vcpu);
	vcpu->flush_tlb = true;
	return 0;
}

/* MSRs switched through the autoload lists or held in the VMCS. */
static int autoload_slot(u32 index)
{
	int i;

	for (i = 0; i < AL_NR; i++)
		if (vtx_autoload_index[i] == index && i != AL_TSC_AUX)
			return i;
	return -1;
}

static long vmcs_msr_field(u32 index)
{
	switch (index) {
	case MSR_FS_BASE:		return SEG_BASE(4);
	case MSR_GS_BASE:		return SEG_BASE(5);
	case MSR_IA32_SYSENTER_CS:	return GUEST_SYSENTER_CS;
	case MSR_IA32_SYSENTER_ESP:	return GUEST_SYSENTER_ESP;
	case MSR_IA32_SYSENTER_EIP:	return GUEST_SYSENTER_EIP;
	case MSR_IA32_CR_PAT:		return GUEST_IA32_PAT;
	case MSR_IA32_DEBUGCTLMSR:	return GUEST_IA32_DEBUGCTL;
	default:			return -1;
	}
}

int vtx_get_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data)
{
	int slot = autoload_slot(index);
	long f;

	if (index == MSR_EFER) {
		*data = vtx_get_efer(vcpu);
		return 0;
	}
	if (slot >= 0) {
		*data = to_vtx(vcpu)->guest_msrs[slot].value;
		return 0;
	}
	f = vmcs_msr_field(index);
	if (f < 0)
		return 1;
	*data = vmcs_read(f);
	return 0;
}

int vtx_set_msr(struct vmx_vcpu *vcpu, u32 index, u64 data)
{
	u64 efer = vtx_get_efer(vcpu);
	int slot = autoload_slot(index);
	long f;

	/* The core has checked the value; LMA stays read-only. */
	if (index == MSR_EFER) {
		set_efer((data & ~EFER_LMA) | (efer & EFER_LMA));
		return 0;
	}
	if (index == MSR_IA32_DEBUGCTLMSR)
		return 0;
	if (slot >= 0) {
		to_vtx(vcpu)->guest_msrs[slot].value = data;
		return 0;
	}
	f = vmcs_msr_field(index);
	if (f < 0)
		return 1;
	vmcs_write(f, data);
	return 0;
}
