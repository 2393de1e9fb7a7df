/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long-mode guest for irq_once_test: enables its local APIC and halts
 * with IF=1.  Its handler counts the delivery, spins with IF=0 (no exits:
 * the window in which a delivered interrupt must not come again), then
 * reports the count and EOIs.
 */
#include "snippet.h"
#include "irq_once.h"

SNIPPET_BEGIN(irq_once_guest)
	.code64
	mov	$GUEST_STACK_TOP, %rsp
	movl	$0, ONCE_COUNT_GPA
	mov	$APIC_MMIO, %ebx
	movl	$APIC_SVR_ENABLE, APIC_SVR(%rbx)
	out	%eax, $PORT_READY
	sti
1:	hlt
	jmp	1b

SNIPPET_LABEL(irq_once_isr)
	push	%rax
	push	%rbx
	push	%rcx
	incl	ONCE_COUNT_GPA
	mov	$ONCE_SPIN, %ecx
2:	dec	%ecx
	jnz	2b
	mov	ONCE_COUNT_GPA, %eax
	out	%eax, $PORT_GOT
	mov	$APIC_MMIO, %ebx
	movl	$0, APIC_EOI(%rbx)
	pop	%rcx
	pop	%rbx
	pop	%rax
	iretq
SNIPPET_END(irq_once_guest)
