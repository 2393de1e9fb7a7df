/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest for lapic_regs_test: reads and writes local APIC registers in
 * xAPIC and x2APIC mode and walks IA32_APIC_BASE through its states.
 * Each step stores %rax in the next qword at RES_GPA; #GP is counted in
 * GP_GPA by a handler that skips the 2-byte RDMSR/WRMSR.
 */
#include "snippet.h"
#include "lapic.h"

#define RES_GPA		(GUEST_DATA_GPA + 0x100)
#define GP_GPA		(GUEST_DATA_GPA + 0x8)
#define IRQ_GPA		(GUEST_DATA_GPA + 0x10)
#define IRQ_PPR_GPA	(GUEST_DATA_GPA + 0x18)

.macro res n
	mov	%rax, RES_GPA + \n * 8
.endm

.macro xrd off
	mov	\off(%rdi), %eax
.endm

.macro xwr off, val
	movl	$\val, \off(%rdi)
.endm

/* RDMSR \msr into %rax (0 after a #GP). */
.macro msr_rd msr
	mov	$\msr, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
.endm

.macro msr_wr msr, val
	mov	$\msr, %ecx
	mov	$(\val & 0xffffffff), %eax
	mov	$(\val >> 32), %edx
	wrmsr
.endm

.macro gp_count
	mov	GP_GPA, %rax
.endm

SNIPPET_BEGIN(lr)
	.code64
	mov	$APIC_MMIO_GPA, %edi
	/* 0-6: power-on state in xAPIC mode. */
	xrd	0x30
	res	0
	xrd	APIC_REG_ID
	res	1
	xrd	APIC_REG_SVR
	res	2
	xrd	APIC_REG_LVTT
	res	3
	xrd	0x350			/* LINT0 */
	res	4
	xrd	0xe0			/* DFR */
	res	5
	msr_rd	MSR_APIC_BASE
	res	6

	/* 7-10: TPR, PPR, CR8, LDR, DFR. */
	xwr	APIC_REG_SVR, SVR_ENABLE_SPURIOUS
	/* Class only: KVM on SVM rewrites TPR from V_TPR after each exit. */
	xwr	APIC_REG_TPR, 0x30
	xrd	0xa0			/* PPR */
	res	7
	mov	%cr8, %rax
	res	8
	xwr	0xd0, 0x12345678	/* LDR */
	xrd	0xd0
	res	9
	xwr	0xe0, 0
	xrd	0xe0
	res	10

	/* 11-13: TPR holds off a self IPI of a lower class; PPR in ISR. */
	xwr	APIC_REG_TPR, 0x50
	sti
	xwr	APIC_REG_ICR, 0x40045		/* self, fixed, vector 0x45 */
	nop
	nop
	mov	IRQ_GPA, %rax
	res	11
	xrd	0x220				/* IRR bits 64-95 */
	res	12
	xwr	APIC_REG_TPR, 0
	nop
	nop
	mov	IRQ_GPA, %rax
	shl	$8, %rax
	or	IRQ_PPR_GPA, %rax
	res	13

	/* 14: x2APIC MSRs #GP in xAPIC mode. */
	msr_rd	0x802
	gp_count
	res	14

	/* 15-19: x2APIC mode. */
	msr_wr	MSR_APIC_BASE, 0xfee00d00	/* BSP, EN, EXTD */
	msr_rd	0x802
	res	15
	msr_rd	0x80d				/* LDR */
	res	16
	msr_rd	0x803
	res	17
	mov	$APIC_MMIO_GPA, %edi
	xrd	0x30				/* no xAPIC page now */
	res	18
	msr_rd	0x808				/* TPR */
	res	19

	/* 20: reserved and read-only x2APIC registers #GP. */
	msr_rd	0x80b				/* EOI is write-only */
	msr_wr	0x802, 1			/* ID is read-only */
	msr_rd	0x80e				/* no DFR */
	msr_rd	0x831				/* no ICR2 */
	msr_wr	0x83f, 0x100			/* SELF_IPI vector only */
	msr_wr	0x808, 0x100000000		/* high half reserved */
	gp_count
	res	20

	/* 21-22: IA32_APIC_BASE transitions. */
	msr_wr	MSR_APIC_BASE, 0xfee00900	/* x2APIC -> xAPIC: #GP */
	msr_wr	MSR_APIC_BASE, 0xfee00100	/* -> disabled */
	msr_wr	MSR_APIC_BASE, 0xfee00500	/* EXTD without EN: #GP */
	msr_wr	MSR_APIC_BASE, 0xfee00d00	/* disabled -> x2APIC: #GP */
	msr_wr	MSR_APIC_BASE, 0xfee00b00	/* reserved bit 9: #GP */
	msr_wr	MSR_APIC_BASE, 0xfee00900	/* -> xAPIC */
	gp_count
	res	21
	msr_rd	MSR_APIC_BASE
	res	22
	/* 23: TSC_DEADLINE reads 0 outside TSC-deadline mode. */
	msr_wr	MSR_TSC_DEADLINE, 0x123456789
	msr_rd	MSR_TSC_DEADLINE
	res	23
	mov	$APIC_MMIO_GPA, %edi
	xrd	APIC_REG_ID
	res	24
	out	%al, $PORT_DONE
	jmp	.

SNIPPET_LABEL(lr_gp)
	add	$8, %rsp			/* error code */
	addq	$2, (%rsp)			/* past RDMSR/WRMSR */
	incq	GP_GPA
	iretq

SNIPPET_LABEL(lr_isr)
	push	%rax
	push	%rdi
	mov	$APIC_MMIO_GPA, %edi
	xrd	0xa0				/* PPR while in service */
	mov	%rax, IRQ_PPR_GPA
	incq	IRQ_GPA
	xwr	APIC_REG_EOI, 0
	pop	%rdi
	pop	%rax
	iretq
SNIPPET_LABEL(lr_spurious)
	iretq
SNIPPET_END(lr)
