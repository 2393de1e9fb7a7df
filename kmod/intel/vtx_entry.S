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

#define R_RAX	(0 * 8)
#define R_RCX	(1 * 8)
#define R_RDX	(2 * 8)
#define R_RBX	(3 * 8)
#define R_RBP	(5 * 8)
#define R_RSI	(6 * 8)
#define R_RDI	(7 * 8)
#define R_R8	(8 * 8)
#define R_R9	(9 * 8)
#define R_R10	(10 * 8)
#define R_R11	(11 * 8)
#define R_R12	(12 * 8)
#define R_R13	(13 * 8)
#define R_R14	(14 * 8)
#define R_R15	(15 * 8)

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
	jbe	.Lfail_early

	/* ZF decides VMLAUNCH vs VMRESUME; MOVs below keep the flags. */
	test	%esi, %esi
	mov	%rdi, %rax
	mov	R_RCX(%rax), %rcx
	mov	R_RDX(%rax), %rdx
	mov	R_RBX(%rax), %rbx
	mov	R_RBP(%rax), %rbp
	mov	R_RSI(%rax), %rsi
	mov	R_RDI(%rax), %rdi
	mov	R_R8(%rax), %r8
	mov	R_R9(%rax), %r9
	mov	R_R10(%rax), %r10
	mov	R_R11(%rax), %r11
	mov	R_R12(%rax), %r12
	mov	R_R13(%rax), %r13
	mov	R_R14(%rax), %r14
	mov	R_R15(%rax), %r15
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
	mov	%rcx, R_RCX(%rax)
	mov	%rdx, R_RDX(%rax)
	mov	%rbx, R_RBX(%rax)
	mov	%rbp, R_RBP(%rax)
	mov	%rsi, R_RSI(%rax)
	mov	%rdi, R_RDI(%rax)
	mov	%r8, R_R8(%rax)
	mov	%r9, R_R9(%rax)
	mov	%r10, R_R10(%rax)
	mov	%r11, R_R11(%rax)
	mov	%r12, R_R12(%rax)
	mov	%r13, R_R13(%rax)
	mov	%r14, R_R14(%rax)
	mov	%r15, R_R15(%rax)
	pop	%rcx
	mov	%rcx, R_RAX(%rax)
	xor	%eax, %eax

.Lout:
	/* Guest-controlled return predictions must not steer the host. */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT
	/* Do not leave guest values in caller-clobbered registers. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
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
.Lfail_early:
	mov	$1, %eax
	jmp	.Lout
SYM_FUNC_END(__vtx_vmentry)
