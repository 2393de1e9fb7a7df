/* SPDX-License-Identifier: GPL-2.0 */
/*
 * World switch for SVM.  Called with GIF=0 (CLGI) and IRQs off, after the
 * host's VMSAVE state is stored; the caller VMLOADs it back.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "../entry_gprs.inc"

/* void __svm_vmrun(unsigned long *regs @rdi, phys_addr_t vmcb_pa @rsi) */
SYM_FUNC_START(__svm_vmrun)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	push	%rdi

	/* RAX and RSP come from the VMCB; load the rest of the guest GPRs. */
	mov	%rsi, %rax
	GUEST_GPRS_LOAD %rdi
	mov	R_RDI(%rdi), %rdi

	vmload	%rax
	/*
	 * With V_INTR_MASKING the host's IF at VMRUN decides whether host
	 * interrupts exit the guest; GIF=0 keeps them pending until then.
	 */
	sti
	vmrun	%rax
	cli
	vmsave	%rax

	/* RAX and RSP are the host's again; store the guest's other GPRs. */
	mov	(%rsp), %rax
	GUEST_GPRS_STORE %rax

	/* Guest-controlled return predictions must not steer the host. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT
	UNTRAIN_RET
	/* SRSO: where the kernel chose IBPB on VM exit, issue it here. */
	ALTERNATIVE "", "call entry_ibpb", X86_FEATURE_IBPB_ON_VMEXIT
	CLEAR_CALLER_SAVED

	pop	%rax
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(__svm_vmrun)
