/* SPDX-License-Identifier: GPL-2.0 */
/*
 * World switch for SVM.  Called with GIF=0 (CLGI) and IRQs off, after the
 * host's VMSAVE state is stored; the caller VMLOADs it back.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

/* Offsets into the unsigned long regs[] array (hardware order). */
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
	mov	R_RCX(%rdi), %rcx
	mov	R_RDX(%rdi), %rdx
	mov	R_RBX(%rdi), %rbx
	mov	R_RBP(%rdi), %rbp
	mov	R_RSI(%rdi), %rsi
	mov	R_R8(%rdi), %r8
	mov	R_R9(%rdi), %r9
	mov	R_R10(%rdi), %r10
	mov	R_R11(%rdi), %r11
	mov	R_R12(%rdi), %r12
	mov	R_R13(%rdi), %r13
	mov	R_R14(%rdi), %r14
	mov	R_R15(%rdi), %r15
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

	/* Guest-controlled return predictions must not steer the host. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT
	UNTRAIN_RET

	/* Do not leave guest values in caller-clobbered registers. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	pop	%rax
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(__svm_vmrun)
