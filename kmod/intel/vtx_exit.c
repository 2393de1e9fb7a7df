// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x exit handlers, dispatched from a table indexed by basic exit
 * reason.  A handler returns >0 to resume the guest, 0 to exit to user.
 */
#include "vtx.h"

typedef int (*vtx_exit_fn)(struct vtx_vcpu *vtx);

static unsigned int insn_len(void)
{
	return vmcs_read(VM_EXIT_INSTRUCTION_LEN);
}

static u64 qual(void)
{
	return vmcs_read(EXIT_QUALIFICATION);
}

static int exit_resume(struct vtx_vcpu *vtx)
{
	/* Host interrupts (taken once IRQs are on), INIT, SIPI. */
	return 1;
}

static int exit_exception_nmi(struct vtx_vcpu *vtx)
{
	u32 info = vmcs_read(VM_EXIT_INTR_INFO);
	u8 type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	u8 vec = info & INTR_INFO_VECTOR_MASK;

	if (type == INTR_TYPE_NMI)
		return 1;	/* re-raised for the host in vcpu_enter */
	/* #DB and #AC: intercepted only so they cannot loop; reflect. */
	if (vec == 1 || vec == 17) {
		vmx_queue_exception(&vtx->vcpu, vec, vec == 17,
				    (info & INTR_INFO_DELIVER_CODE) ?
				    vmcs_read(VM_EXIT_INTR_ERROR_CODE) : 0);
		return 1;
	}
	return vmx_exit_unknown(&vtx->vcpu, EXIT_EXCEPTION_NMI);
}

static int exit_triple_fault(struct vtx_vcpu *vtx)
{
	/* INIT the vCPU so it is in a known state, as on SVM. */
	vtx_vcpu_reset(&vtx->vcpu);
	return vmx_exit_shutdown(&vtx->vcpu);
}

static int exit_cpuid(struct vtx_vcpu *vtx)
{
	return vmx_emulate_cpuid(&vtx->vcpu, insn_len());
}

static int exit_hlt(struct vtx_vcpu *vtx)
{
	return vmx_exit_hlt(&vtx->vcpu, insn_len());
}

static int exit_skip(struct vtx_vcpu *vtx)
{
	/* INVD, WBINVD: caches stay coherent for the guest anyway. */
	vmx_skip_insn(&vtx->vcpu, insn_len());
	return 1;
}

static int exit_gp(struct vtx_vcpu *vtx)
{
	/* RDPMC: no virtual PMU, so like a CPU without counters. */
	vmx_inject_gp(&vtx->vcpu);
	return 1;
}

static int exit_ud(struct vtx_vcpu *vtx)
{
	/* VMX instructions, GETSEC, MONITOR/MWAIT, RSM: not for guests. */
	vmx_inject_ud(&vtx->vcpu);
	return 1;
}

static int exit_vmcall(struct vtx_vcpu *vtx)
{
	return vmx_hypercall(&vtx->vcpu, insn_len());
}

static int set_cr(struct vtx_vcpu *vtx, int cr, u64 val)
{
	struct vmx_vcpu *vcpu = &vtx->vcpu;
	int r = -EINVAL;

	switch (cr) {
	case 0:
		r = vtx_set_cr0(vcpu, val);
		break;
	case 4:
		r = vtx_set_cr4(vcpu, val);
		break;
	case 8:
		if (val <= 15) {
			if (vcpu->apic)
				vmx_lapic_set_cr8(vcpu, val);
			else
				vtx->cr8 = val;
			r = 0;
		}
		break;
	}
	return r;
}

static int exit_cr_access(struct vtx_vcpu *vtx)
{
	struct vmx_vcpu *vcpu = &vtx->vcpu;
	u64 q = qual(), cr0;
	int cr = CR_QUAL_NUM(q), reg = CR_QUAL_REG(q);
	u64 val = vcpu->regs[reg];

	switch (CR_QUAL_TYPE(q)) {
	case CR_TYPE_MOV_TO:
		if (vmx_cpu_mode(vcpu) != 64)
			val = (u32)val;
		if (set_cr(vtx, cr, val)) {
			vmx_inject_gp(vcpu);
			return 1;
		}
		break;
	case CR_TYPE_MOV_FROM:
		if (cr != 8)
			return vmx_exit_unknown(vcpu, EXIT_CR_ACCESS);
		vmx_reg_write(vcpu, reg, 8, vcpu->apic ?
			      vmx_lapic_get_cr8(vcpu) : vtx->cr8);
		break;
	case CR_TYPE_CLTS:
		vtx_set_cr0(vcpu, vtx_get_cr0(vcpu) & ~X86_CR0_TS);
		break;
	default:	/* LMSW: low four bits; it cannot clear PE */
		cr0 = vtx_get_cr0(vcpu);
		val = (cr0 & ~0xeULL) | (CR_QUAL_LMSW_SRC(q) & 0xf);
		if (vtx_set_cr0(vcpu, val)) {
			vmx_inject_gp(vcpu);
			return 1;
		}
	}
	vmx_skip_insn(vcpu, insn_len());
	return 1;
}

static int exit_dr_access(struct vtx_vcpu *vtx)
{
	u64 q = qual();

	return vmx_mov_dr(&vtx->vcpu, !(q & DR_QUAL_FROM), DR_QUAL_NUM(q),
			  DR_QUAL_REG(q), insn_len());
}

static int exit_io(struct vtx_vcpu *vtx)
{
	u64 q = qual();
	struct vmx_pio pio = {
		.port = q >> IO_QUAL_PORT_SHIFT,
		.size = (q & IO_QUAL_SIZE_MASK) + 1,
		.in = q & IO_QUAL_IN,
		.string = q & IO_QUAL_STRING,
		.rep = q & IO_QUAL_REP,
		.addr_size = 8,
		.seg = -1,
		.insn_len = insn_len(),
	};

	if (pio.string) {
		if (vtx_cfg.inout_info) {
			u32 info = vmcs_read(VMX_INSTRUCTION_INFO);

			pio.addr_size = 2 << INSN_INFO_ASIZE(info);
			if (!pio.in)
				pio.seg = INSN_INFO_SEG(info);
		} else {
			int mode = vmx_cpu_mode(&vtx->vcpu);

			pio.addr_size = mode / 8;
		}
	}
	return vmx_handle_pio(&vtx->vcpu, &pio);
}

static int exit_rdmsr(struct vtx_vcpu *vtx)
{
	return vmx_emulate_rdmsr(&vtx->vcpu, insn_len());
}

static int exit_wrmsr(struct vtx_vcpu *vtx)
{
	return vmx_emulate_wrmsr(&vtx->vcpu, insn_len());
}

static int exit_ept_violation(struct vtx_vcpu *vtx)
{
	u64 q = qual();
	unsigned int flags = 0;

	if (q & EPT_QUAL_WRITE)
		flags |= VMX_NPF_WRITE;
	if (q & EPT_QUAL_FETCH)
		flags |= VMX_NPF_FETCH;
	if ((q & EPT_QUAL_LA_VALID) && !(q & EPT_QUAL_FINAL))
		flags |= VMX_NPF_IN_WALK;
	return vmx_handle_npf(&vtx->vcpu, vmcs_read(GUEST_PHYSICAL_ADDRESS),
			      flags);
}

static int exit_xsetbv(struct vtx_vcpu *vtx)
{
	return vmx_emulate_xsetbv(&vtx->vcpu, insn_len());
}

/* A window opened: the core injects what waited on the way back in. */
static int exit_intr_window(struct vtx_vcpu *vtx)
{
	vtx_set_cpu_ctl(vtx, CPU_INTR_WINDOW_EXITING, false);
	return 1;
}

static int exit_nmi_window(struct vtx_vcpu *vtx)
{
	vtx_set_cpu_ctl(vtx, CPU_NMI_WINDOW_EXITING, false);
	return 1;
}

static const vtx_exit_fn vtx_exit_table[EXIT_NR] = {
	[EXIT_EXCEPTION_NMI] = exit_exception_nmi,
	[EXIT_EXTERNAL_INTERRUPT] = exit_resume,
	[EXIT_TRIPLE_FAULT] = exit_triple_fault,
	[EXIT_INIT] = exit_resume,
	[EXIT_INTERRUPT_WINDOW] = exit_intr_window,
	[EXIT_NMI_WINDOW] = exit_nmi_window,
	[EXIT_SIPI] = exit_resume,
	[EXIT_CPUID] = exit_cpuid,
	[EXIT_GETSEC] = exit_ud,
	[EXIT_HLT] = exit_hlt,
	[EXIT_INVD] = exit_skip,
	[EXIT_RDPMC] = exit_gp,
	[EXIT_RSM] = exit_ud,
	[EXIT_VMCALL] = exit_vmcall,
	[EXIT_VMCLEAR ... EXIT_VMXON] = exit_ud,
	[EXIT_CR_ACCESS] = exit_cr_access,
	[EXIT_DR_ACCESS] = exit_dr_access,
	[EXIT_IO_INSTRUCTION] = exit_io,
	[EXIT_MSR_READ] = exit_rdmsr,
	[EXIT_MSR_WRITE] = exit_wrmsr,
	[EXIT_MWAIT] = exit_ud,
	[EXIT_MONITOR] = exit_ud,
	[EXIT_EPT_VIOLATION] = exit_ept_violation,
	[EXIT_INVEPT] = exit_ud,
	[EXIT_INVVPID] = exit_ud,
	[EXIT_WBINVD] = exit_skip,
	[EXIT_XSETBV] = exit_xsetbv,
	[EXIT_VMFUNC] = exit_ud,
};

int vtx_handle_exit(struct vmx_vcpu *vcpu)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);
	u32 reason = vtx->exit_reason;

	if (vtx->entry_failed)
		return vmx_exit_fail_entry(vcpu, vtx_insn_error());
	if (reason & EXIT_REASON_ENTRY_FAIL)
		return vmx_exit_fail_entry(vcpu, reason);
	reason = EXIT_REASON_BASIC(reason);
	if (reason < EXIT_NR && vtx_exit_table[reason])
		return vtx_exit_table[reason](vtx);
	return vmx_exit_unknown(vcpu, reason);
}
