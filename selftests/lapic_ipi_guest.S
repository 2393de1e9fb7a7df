/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests for lapic_ipi_test, all in xAPIC mode.  The BSP (ipi) starts
 * the APs with INIT + SIPI into ipi_tramp, which enters long mode and
 * joins the common worker.  Each vCPU then sends IPI_N fixed IPIs to
 * every other vCPU (waiting for each to be counted, so none coalesce),
 * IPI_N all-but-self broadcasts and IPI_N self IPIs.  Handlers count per
 * receiving vCPU and vector in CNT.  IF stays 1 while anything waits.
 */
#include "snippet.h"
#include "lapic.h"


/* Spin (IF=1) until the qword at \addr equals \reg. */
.macro wait_eq addr, reg
.Lw\@:	pause
	cmp	\reg, \addr
	jne	.Lw\@
.endm

SNIPPET_BEGIN(ipi)
	.code64
	xor	%r15, %r15			/* xAPIC for apic_wr */
	mov	$SVR_ENABLE_SPURIOUS, %eax
	apic_wr	APIC_REG_SVR
	mov	$(ICR_ALL_BUT_SELF | ICR_INIT_ASSERT), %eax
	apic_wr	APIC_REG_ICR
	out	%al, $PORT_INIT_SENT
	mov	$(ICR_ALL_BUT_SELF | ICR_STARTUP | (TRAMP_GPA >> 12)), %eax
	apic_wr	APIC_REG_ICR
	sti
	mov	$1, %rax
	wait_eq	ALIVE_GPA + 8, %rax
	wait_eq	ALIVE_GPA + 16, %rax
	wait_eq	ALIVE_GPA + 24, %rax
	movq	$1, GO_GPA

SNIPPET_LABEL(ipi_worker)
	xor	%r15, %r15
	mov	$APIC_MMIO_GPA, %esi
	mov	APIC_REG_ID(%rsi), %r14d
	shr	$24, %r14d
	lea	1(%r14), %rsp
	shl	$12, %rsp
	add	$STACKS_GPA, %rsp
	mov	$SVR_ENABLE_SPURIOUS, %eax
	apic_wr	APIC_REG_SVR
	/* Flat logical ID: bit (24 + APIC ID). */
	lea	24(%r14), %ecx
	mov	$1, %eax
	shl	%cl, %eax
	apic_wr	0xd0				/* LDR */
	movq	$1, ALIVE_GPA(, %r14, 8)
	sti
	mov	$1, %rax
	wait_eq	GO_GPA, %rax

	/* Fixed IPIs to every other vCPU, one outstanding at a time. */
	xor	%ebx, %ebx
1:	cmp	%r14, %rbx
	je	3f
	xor	%r12, %r12
2:	mov	%ebx, %eax
	shl	$24, %eax
	apic_wr	APIC_REG_ICR2
	lea	VEC_FIXED(%r14), %eax
	apic_wr	APIC_REG_ICR
	inc	%r12
	mov	%rbx, %rdi
	shl	$9, %rdi			/* * CNT_STRIDE */
	lea	CNT_GPA + (VEC_FIXED - VEC_FIRST) * 8(%rdi, %r14, 8), %rdi
	wait_eq	(%rdi), %r12
	cmp	$IPI_N, %r12
	jb	2b
3:	inc	%rbx
	cmp	$IPI_NCPUS, %rbx
	jb	1b

	/* All-but-self broadcasts: every other vCPU counts each one. */
	xor	%r12, %r12
4:	lea	(ICR_ALL_BUT_SELF | VEC_BCAST)(%r14), %eax
	apic_wr	APIC_REG_ICR
	inc	%r12
	xor	%ebx, %ebx
5:	cmp	%r14, %rbx
	je	6f
	mov	%rbx, %rdi
	shl	$9, %rdi
	lea	CNT_GPA + (VEC_BCAST - VEC_FIRST) * 8(%rdi, %r14, 8), %rdi
	wait_eq	(%rdi), %r12
6:	inc	%rbx
	cmp	$IPI_NCPUS, %rbx
	jb	5b
	cmp	$IPI_N, %r12
	jb	4b

	/* Self IPIs through the shorthand. */
	xor	%r12, %r12
	mov	%r14, %rdi
	shl	$9, %rdi
	lea	CNT_GPA + (VEC_SELF - VEC_FIRST) * 8(%rdi), %rdi
7:	mov	$(ICR_SELF | VEC_SELF), %eax
	mov	%rdi, %rbx
	apic_wr	APIC_REG_ICR
	mov	%rbx, %rdi
	inc	%r12
	wait_eq	(%rdi), %r12
	cmp	$IPI_N, %r12
	jb	7b

	movq	$1, DONE_GPA(, %r14, 8)
	mov	$1, %rax
	test	%r14, %r14
	jnz	8f
	wait_eq	DONE_GPA + 8, %rax
	wait_eq	DONE_GPA + 16, %rax
	wait_eq	DONE_GPA + 24, %rax
	call	logical_phase
	movq	$1, FINISH_GPA
	out	%al, $PORT_DONE
	jmp	.
8:	wait_eq	FINISH_GPA, %rax
	out	%al, $PORT_AP_DONE
	jmp	.

/* Wait until CNT[\id][\vec] == 1. */
.macro wait_cnt id, vec
	mov	$1, %rax
	wait_eq	(CNT_GPA + \id * CNT_STRIDE + (\vec - VEC_FIRST) * 8), %rax
.endm

.macro send dest, icr
	mov	$(\dest << 24), %eax
	apic_wr	APIC_REG_ICR2
	mov	$(\icr), %eax
	apic_wr	APIC_REG_ICR
.endm

	/* BSP, APs idle: logical, lowest priority and NMI IPIs. */
logical_phase:
	send	0x0e, (ICR_LOGICAL | VEC_LOGICAL)
	wait_cnt 1, VEC_LOGICAL
	wait_cnt 2, VEC_LOGICAL
	wait_cnt 3, VEC_LOGICAL
	send	0x04, (ICR_LOGICAL | VEC_LOGICAL_ONE)
	wait_cnt 2, VEC_LOGICAL_ONE
	send	0x0a, (ICR_LOGICAL | ICR_LOWEST | VEC_LOWEST)
9:	pause
	mov	CNT_GPA + 1 * CNT_STRIDE + (VEC_LOWEST - VEC_FIRST) * 8, %rax
	add	CNT_GPA + 3 * CNT_STRIDE + (VEC_LOWEST - VEC_FIRST) * 8, %rax
	jz	9b
	send	3, (ICR_NMI)
	mov	$1, %rax
	wait_eq	(NMI_GPA + 3 * 8), %rax
	/* A lower vector last: anything sent before it was taken first. */
	send	1, (VEC_SYNC)
	wait_cnt 1, VEC_SYNC
	send	2, (VEC_SYNC)
	wait_cnt 2, VEC_SYNC
	send	3, (VEC_SYNC)
	wait_cnt 3, VEC_SYNC
	ret

SNIPPET_LABEL(ipi_nmi)
	push	%rax
	push	%rsi
	mov	$APIC_MMIO_GPA, %esi
	mov	APIC_REG_ID(%rsi), %eax
	shr	$24, %eax
	lock incq NMI_GPA(, %rax, 8)
	pop	%rsi
	pop	%rax
	iretq

	/* One 16-byte stub per vector from VEC_FIRST: %eax = vector. */
	.balign	16
SNIPPET_LABEL(ipi_stubs)
	.set	vec, VEC_FIRST
	.rept	VEC_STUBS
	push	%rax
	mov	$vec, %eax
	jmp	isr_common
	.balign	16
	.set	vec, vec + 1
	.endr
isr_common:
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	mov	$APIC_MMIO_GPA, %esi
	mov	APIC_REG_ID(%rsi), %edi
	shr	$24, %edi
	shl	$9, %edi
	sub	$VEC_FIRST, %eax
	lea	CNT_GPA(%rdi, %rax, 8), %rdi
	lock incq (%rdi)
	xor	%eax, %eax
	mov	%eax, APIC_REG_EOI(%rsi)
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq
SNIPPET_LABEL(ipi_spurious)
	iretq
SNIPPET_END(ipi)

/* At TRAMP_GPA: real mode (CS = TRAMP_GPA >> 4) straight to long mode. */
SNIPPET_BEGIN(ipi_tramp)
	.code16
	cli
	lgdtl	%cs:(tramp_gdtr - ipi_tramp_start)
	mov	$0x20, %eax			/* CR4.PAE */
	mov	%eax, %cr4
	mov	$GUEST_PML4_GPA, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER.LME */
	rdmsr
	or	$0x100, %eax
	wrmsr
	mov	$0x80000011, %eax		/* PG, ET, PE */
	mov	%eax, %cr0
	ljmpl	$GUEST_SEL_CODE64, $(TRAMP_GPA + tramp64 - ipi_tramp_start)
tramp_gdtr:
	.word	5 * 8 - 1
	.long	GUEST_GDT_GPA
tramp_idtr:
	.word	0xfff
	.quad	GUEST_IDT_GPA
	.code64
tramp64:
	mov	$GUEST_SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	lidt	TRAMP_GPA + tramp_idtr - ipi_tramp_start
	movabs	$(GUEST_CODE_GPA + ipi_worker - ipi_start), %rax
	jmp	*%rax
SNIPPET_END(ipi_tramp)

/*
 * INIT and SIPI back to back, as Linux sends them: the AP has not run
 * in between, so it sees both at once and must still take the SIPI.
 */
SNIPPET_BEGIN(ipi_b2b)
	.code64
	xor	%r15, %r15
	mov	$SVR_ENABLE_SPURIOUS, %eax
	apic_wr	APIC_REG_SVR
	mov	$(ICR_ALL_BUT_SELF | ICR_INIT_ASSERT), %eax
	apic_wr	APIC_REG_ICR
	mov	$(ICR_ALL_BUT_SELF | ICR_STARTUP | (TRAMP_GPA >> 12)), %eax
	apic_wr	APIC_REG_ICR
	out	%al, $PORT_DONE
	hlt
SNIPPET_END(ipi_b2b)
