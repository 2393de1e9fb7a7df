// SPDX-License-Identifier: GPL-2.0
/*
 * SVM exit handlers, dispatched from a table indexed by exit code.  A
 * handler returns >0 to resume the guest, 0 to exit to user space.
 */
#include "svm.h"

typedef int (*svm_exit_fn)(struct svm_vcpu *svm);

/* Length of an intercepted instruction: NRIP when we have it. */
static unsigned int insn_len(struct svm_vcpu *svm, unsigned int fallback)
{
	struct vmcb_control *c = &svm->vmcb->control;

	if (svm_caps.nrips && c->next_rip > svm->vcpu.rip &&
	    c->next_rip - svm->vcpu.rip <= 15)
		return c->next_rip - svm->vcpu.rip;
	return fallback;
}

static int exit_host_event(struct svm_vcpu *svm)
{
	/* The host takes the interrupt or NMI once GIF and IF are set. */
	return 1;
}

static int exit_cpuid(struct svm_vcpu *svm)
{
	return vmx_emulate_cpuid(&svm->vcpu, insn_len(svm, 2));
}

static int exit_hlt(struct svm_vcpu *svm)
{
	return vmx_exit_hlt(&svm->vcpu, insn_len(svm, 1));
}

static int exit_ioio(struct svm_vcpu *svm)
{
	struct vmcb_control *c = &svm->vmcb->control;
	u64 info = c->exit_info_1;
	struct vmx_pio pio = {
		.port = info >> SVM_IOIO_PORT_SHIFT,
		.in = info & SVM_IOIO_IN,
		.string = info & SVM_IOIO_STR,
		.rep = info & SVM_IOIO_REP,
		.size = (info >> SVM_IOIO_SIZE_SHIFT) & 7,
		.addr_size = ((info >> SVM_IOIO_ASIZE_SHIFT) & 7) * 2,
		.seg = -1,
		/* exit_info_2 holds the next RIP for IOIO on every CPU. */
		.insn_len = c->exit_info_2 - svm->vcpu.rip,
	};

	if (pio.size == 0 || pio.size == 3 || pio.size > 4)
		return vmx_exit_unknown(&svm->vcpu, SVM_EXIT_IOIO);
	if (pio.string && pio.addr_size != 2 && pio.addr_size != 4 &&
	    pio.addr_size != 8)
		pio.addr_size = 8;
	/* Only decode assists report OUTS's segment; else it is DS. */
	if (svm_caps.decode_assists)
		pio.seg = (info >> SVM_IOIO_SEG_SHIFT) & 7;
	return vmx_handle_pio(&svm->vcpu, &pio);
}

static int exit_msr(struct svm_vcpu *svm)
{
	if (svm->vmcb->control.exit_info_1)
		return vmx_emulate_wrmsr(&svm->vcpu, insn_len(svm, 2));
	return vmx_emulate_rdmsr(&svm->vcpu, insn_len(svm, 2));
}

static int exit_shutdown(struct svm_vcpu *svm)
{
	/* The VMCB is undefined after SHUTDOWN: INIT the vCPU, as KVM does. */
	svm_vcpu_reset(&svm->vcpu);
	return vmx_exit_shutdown(&svm->vcpu);
}

static int exit_ud(struct svm_vcpu *svm)
{
	vmx_inject_ud(&svm->vcpu);
	return 1;
}

static int exit_gp(struct svm_vcpu *svm)
{
	/*
	 * RDPMC: no virtual PMU, so like a CPU without counters; without
	 * the intercept a guest would read the host's counters.
	 */
	vmx_inject_gp(&svm->vcpu);
	return 1;
}

static int exit_vmmcall(struct svm_vcpu *svm)
{
	return vmx_hypercall(&svm->vcpu, insn_len(svm, 3));
}

static int exit_skip(struct svm_vcpu *svm)
{
	/* INVD: the cache is coherent for the guest anyway. */
	vmx_skip_insn(&svm->vcpu, insn_len(svm, 2));
	return 1;
}

static int exit_rdtscp(struct svm_vcpu *svm)
{
	return vmx_emulate_rdtscp(&svm->vcpu, insn_len(svm, 3));
}

static int exit_xsetbv(struct svm_vcpu *svm)
{
	return vmx_emulate_xsetbv(&svm->vcpu, insn_len(svm, 3));
}

static int exit_dr(struct svm_vcpu *svm)
{
	return vmx_emulate_mov_dr(&svm->vcpu);
}

/* Reflect #DB/#AC: intercepted only so they cannot loop in microcode. */
static int exit_reflect_exc(struct svm_vcpu *svm)
{
	u32 vec = svm->vmcb->control.exit_code - SVM_EXIT_EXCP_BASE;

	vmx_queue_exception(&svm->vcpu, vec, vec == 17, 0);
	return 1;
}

static int exit_task_switch(struct svm_vcpu *svm)
{
	return vmx_exit_unknown(&svm->vcpu, SVM_EXIT_TASK_SWITCH);
}

/* The interrupt window opened: the core injects on the way back in. */
static int exit_vintr(struct svm_vcpu *svm)
{
	struct vmcb_control *c = &svm->vmcb->control;

	c->int_ctl &= ~(SVM_V_IRQ | (0xfULL << SVM_V_INTR_PRIO_SHIFT) |
			SVM_V_IGN_TPR);
	c->intercepts[SVM_ICPT_MISC3] &= ~SVM_I3_VINTR;
	return 1;
}

/* NMI blocking ends once this IRET has executed. */
static int exit_iret(struct svm_vcpu *svm)
{
	svm_set_nmi_mask(&svm->vcpu, false);
	svm->iret_pending = true;
	svm->iret_rip = svm->vcpu.rip;
	return 1;
}

static const svm_exit_fn svm_exit_table[SVM_EXIT_NR] = {
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_WRITE_DR7] = exit_dr,
	[SVM_EXIT_EXCP_BASE + 1] = exit_reflect_exc,
	[SVM_EXIT_EXCP_BASE + 17] = exit_reflect_exc,
	[SVM_EXIT_INTR] = exit_host_event,
	[SVM_EXIT_NMI] = exit_host_event,
	[SVM_EXIT_VINTR] = exit_vintr,
	[SVM_EXIT_IRET] = exit_iret,
	[SVM_EXIT_SMI] = exit_host_event,
	[SVM_EXIT_INIT] = exit_host_event,
	[SVM_EXIT_RDPMC] = exit_gp,
	[SVM_EXIT_CPUID] = exit_cpuid,
	[SVM_EXIT_RSM] = exit_ud,
	[SVM_EXIT_INVD] = exit_skip,
	[SVM_EXIT_HLT] = exit_hlt,
	[SVM_EXIT_INVLPGA] = exit_ud,
	[SVM_EXIT_IOIO] = exit_ioio,
	[SVM_EXIT_MSR] = exit_msr,
	[SVM_EXIT_TASK_SWITCH] = exit_task_switch,
	[SVM_EXIT_SHUTDOWN] = exit_shutdown,
	[SVM_EXIT_VMRUN] = exit_ud,
	[SVM_EXIT_VMMCALL] = exit_vmmcall,
	[SVM_EXIT_VMLOAD] = exit_ud,
	[SVM_EXIT_VMSAVE] = exit_ud,
	[SVM_EXIT_STGI] = exit_ud,
	[SVM_EXIT_CLGI] = exit_ud,
	[SVM_EXIT_SKINIT] = exit_ud,
	[SVM_EXIT_RDTSCP] = exit_rdtscp,
	[SVM_EXIT_MONITOR] = exit_ud,
	[SVM_EXIT_MWAIT] = exit_ud,
	[SVM_EXIT_MWAIT_COND] = exit_ud,
	[SVM_EXIT_XSETBV] = exit_xsetbv,
	[SVM_EXIT_RDPRU] = exit_ud,
};

static int exit_npf(struct svm_vcpu *svm)
{
	u64 err = svm->vmcb->control.exit_info_1;
	unsigned int flags = 0;

	if (err & SVM_NPF_WRITE)
		flags |= VMX_NPF_WRITE;
	if (err & SVM_NPF_FETCH)
		flags |= VMX_NPF_FETCH;
	if (err & SVM_NPF_GUEST_TABLE)
		flags |= VMX_NPF_IN_WALK;
	return vmx_handle_npf(&svm->vcpu, svm->vmcb->control.exit_info_2,
			      flags);
}

int svm_handle_exit(struct vmx_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	u64 code = svm->vmcb->control.exit_code;

	if (code < SVM_EXIT_NR && svm_exit_table[code])
		return svm_exit_table[code](svm);
	if (code == SVM_EXIT_NPF)
		return exit_npf(svm);
	if (code == (u64)SVM_EXIT_INVALID)
		return vmx_exit_fail_entry(vcpu, code);
	return vmx_exit_unknown(vcpu, code);
}
