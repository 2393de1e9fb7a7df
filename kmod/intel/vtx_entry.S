/* SPDX-License-Identifier: GPL-2.0 */
/*
 * World switch for VT-x.  Called with IRQs off and the vCPU's VMCS
 * current.  A VM exit lands at vtx_vmexit with RSP as written to HOST_RSP
 * here, so the exit path finds the regs pointer on the stack.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* VMCS encoding of HOST_RSP; vtx.c checks it against vmcs_defs.h. */
#define VMCS_HOST_RSP	0x6c14

#include "../entry_gprs.inc"

/* int __vtx_vmentry(unsigned long *regs @rdi, int launched @esi) */
SYM_FUNC_START(__vtx_vmentry)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	push	%rdi

	/* The exit path resumes with this stack. */
	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfail

	/* ZF decides VMLAUNCH vs VMRESUME; MOVs below keep the flags. */
	test	%esi, %esi
	mov	%rdi, %rax
	GUEST_GPRS_LOAD %rax
	mov	R_RDI(%rax), %rdi
	mov	R_RAX(%rax), %rax
	jz	.Llaunch

	UNWIND_HINT_SAVE
	vmresume
	jmp	.Lfail
.Llaunch:
	vmlaunch
	jmp	.Lfail

SYM_INNER_LABEL(vtx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	/* Guest RAX to the stack, then store every guest GPR. */
	push	%rax
	mov	8(%rsp), %rax
	GUEST_GPRS_STORE %rax
	pop	%rcx
	mov	%rcx, R_RAX(%rax)
	xor	%eax, %eax

.Lout:
	/* Guest-controlled return predictions must not steer the host. */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT
	CLEAR_CALLER_SAVED
	pop	%rdi
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET

	/* VMfail: registers hold guest values; report failure. */
.Lfail:
	mov	$1, %eax
	jmp	.Lout
SYM_FUNC_END(__vtx_vmentry)
