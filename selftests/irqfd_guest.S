/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long-mode guest for irqfd_test: enables its local APIC, programs an
 * edge and a level IOAPIC pin, then halts with interrupts on.  Each
 * handler counts the interrupt and reports count and vector before and
 * after its EOI.
 */
#include "snippet.h"
#include "irqfd.h"

/* IOAPIC register \reg = \val, through %rbx = IOAPIC_MMIO. */
.macro ioapic_write reg, val
	movl	$\reg, (%rbx)
	movl	$\val, IOAPIC_WIN(%rbx)
.endm

SNIPPET_BEGIN(irqfd_guest)
	.code64
	mov	$GUEST_STACK_TOP, %rsp
	movl	$0, IRQFD_COUNT_GPA
	mov	$APIC_MMIO, %ebx
	movl	$APIC_SVR_ENABLE, APIC_SVR(%rbx)
	mov	$IOAPIC_MMIO, %ebx
	ioapic_write IOAPIC_REDIR(EDGE_GSI), EDGE_VECTOR
	ioapic_write IOAPIC_REDIR(EDGE_GSI) + 1, 0	/* APIC ID 0 */
	ioapic_write IOAPIC_REDIR(LEVEL_GSI), RTE_LEVEL | LEVEL_VECTOR
	ioapic_write IOAPIC_REDIR(LEVEL_GSI) + 1, 0
	out	%eax, $PORT_READY
	sti
1:	hlt
	jmp	1b

common:
	push	%rbx
	incl	IRQFD_COUNT_GPA
	mov	IRQFD_COUNT_GPA, %ebx
	shl	$8, %ebx
	or	%ebx, %eax
	out	%eax, $PORT_VECTOR
	mov	$APIC_MMIO, %ebx
	movl	$0, APIC_EOI(%rbx)
	out	%eax, $PORT_EOI_DONE
	pop	%rbx
	pop	%rax
	iretq

SNIPPET_LABEL(irqfd_isr_edge)
	push	%rax
	mov	$EDGE_VECTOR, %eax
	jmp	common
SNIPPET_LABEL(irqfd_isr_level)
	push	%rax
	mov	$LEVEL_VECTOR, %eax
	jmp	common
SNIPPET_LABEL(irqfd_isr_msi)
	push	%rax
	mov	$MSI_VECTOR, %eax
	jmp	common
SNIPPET_LABEL(irqfd_isr_stop)
	push	%rax
	mov	$STOP_VECTOR, %eax
	jmp	common
SNIPPET_END(irqfd_guest)
