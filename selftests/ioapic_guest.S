/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long-mode guest for ioapic_test: enables its local APIC, programs two
 * IOAPIC redirection entries itself (an edge and a level one), and counts
 * the interrupts the host raises, reporting each from its handler before
 * and after the EOI.
 */
#include "snippet.h"
#include "ioapic.h"

/* IOAPIC register \reg = \val, through %rbx = IOAPIC_MMIO. */
.macro ioapic_write reg, val
	movl	$\reg, (%rbx)
	movl	$\val, IOAPIC_WIN(%rbx)
.endm

.macro wait_count n
	mov	$\n, %ecx
	call	wait_for
.endm

SNIPPET_BEGIN(ioapic_guest)
	.code64
	mov	$GUEST_STACK_TOP, %rsp
	movl	$0, IOAPIC_COUNT_GPA
	mov	$APIC_MMIO, %ebx
	movl	$APIC_SVR_ENABLE, APIC_SVR(%rbx)

	mov	$IOAPIC_MMIO, %ebx
	movl	$1, (%rbx)
	mov	IOAPIC_WIN(%rbx), %eax
	out	%eax, $PORT_VERSION
	ioapic_write IOAPIC_REDIR(EDGE_GSI), EDGE_VECTOR
	ioapic_write IOAPIC_REDIR(EDGE_GSI) + 1, 0	/* APIC ID 0 */
	ioapic_write IOAPIC_REDIR(LEVEL_GSI), RTE_LEVEL | LEVEL_VECTOR
	ioapic_write IOAPIC_REDIR(LEVEL_GSI) + 1, 0

	out	%eax, $PORT_READY
	sti
	wait_count 1			/* edge */
	wait_count 3			/* level, then again after the EOI */
	wait_count 4			/* MSI */
	mov	IOAPIC_COUNT_GPA, %eax
	out	%eax, $PORT_DONE
1:	hlt
	jmp	1b

wait_for:
	cli
	cmp	%ecx, IOAPIC_COUNT_GPA
	jae	2f
	sti				/* the STI shadow covers the HLT */
	hlt
	jmp	wait_for
2:	sti
	ret

ioapic_common:
	out	%eax, $PORT_VECTOR
	incl	IOAPIC_COUNT_GPA
	push	%rbx
	mov	$APIC_MMIO, %ebx
	movl	$0, APIC_EOI(%rbx)
	pop	%rbx
	out	%eax, $PORT_EOI_DONE
	pop	%rax
	iretq

SNIPPET_LABEL(ioapic_isr_edge)
	push	%rax
	mov	$EDGE_VECTOR, %eax
	jmp	ioapic_common
SNIPPET_LABEL(ioapic_isr_level)
	push	%rax
	mov	$LEVEL_VECTOR, %eax
	jmp	ioapic_common
SNIPPET_LABEL(ioapic_isr_msi)
	push	%rax
	mov	$MSI_VECTOR, %eax
	jmp	ioapic_common
SNIPPET_END(ioapic_guest)
