/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real-mode guest for pit_test: PIT channel 0 as a ~100 Hz rate generator
 * on IRQ0 through the master 8259A; counts PIT_TICKS interrupts with HLT
 * in between and reports the count.  On the way it reports the channel 0
 * read-back status, a latched count and port 0x61.
 */
#include "snippet.h"
#include "pic.h"

SNIPPET_BEGIN(pit_guest)
	.code16
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$GUEST_STACK_TOP, %sp
	movw	$0, PIC_COUNT_GPA
	movw	$0x3ff, PIC_IDTR_GPA
	movl	$0, PIC_IDTR_GPA + 2
	lidt	PIC_IDTR_GPA
	movw	$(pit_isr - pit_guest_start), PIC_VECTOR_MASTER * 4
	movw	$(GUEST_CODE_GPA >> 4), PIC_VECTOR_MASTER * 4 + 2

	mov	$0x11, %al
	out	%al, $0x20
	out	%al, $0xa0
	mov	$PIC_VECTOR_MASTER, %al
	out	%al, $0x21
	mov	$PIC_VECTOR_SLAVE, %al
	out	%al, $0xa1
	mov	$0x04, %al
	out	%al, $0x21
	mov	$0x02, %al
	out	%al, $0xa1
	mov	$0x01, %al
	out	%al, $0x21
	out	%al, $0xa1
	mov	$PIT_IMR, %al
	out	%al, $0x21
	mov	$0xff, %al
	out	%al, $0xa1

	/* Channel 2 gate through port 0x61. */
	mov	$0x01, %al
	out	%al, $0x61
	in	$0x61, %al
	out	%al, $PORT_SPEAKER

	out	%al, $PORT_READY
	/* Channel 0: LSB then MSB, mode 2, binary. */
	mov	$0x34, %al
	out	%al, $0x43
	mov	$(PIT_DIVISOR & 0xff), %al
	out	%al, $0x40
	mov	$(PIT_DIVISOR >> 8), %al
	out	%al, $0x40
	/* Read-back: status only, channel 0. */
	mov	$0xe2, %al
	out	%al, $0x43
	in	$0x40, %al
	out	%al, $PORT_PIT_STATUS
	/* Counter latch of channel 0, then LSB and MSB. */
	mov	$0x00, %al
	out	%al, $0x43
	in	$0x40, %al
	mov	%al, %bl
	in	$0x40, %al
	mov	%al, %bh
	mov	%bx, %ax
	out	%ax, $PORT_PIT_COUNT

1:	cli
	cmpw	$PIT_TICKS, PIC_COUNT_GPA
	jae	2f
	sti				/* the STI shadow covers the HLT */
	hlt
	jmp	1b
2:	mov	PIC_COUNT_GPA, %ax
	out	%ax, $PORT_DONE
3:	hlt
	jmp	3b

pit_isr:
	push	%ax
	incw	PIC_COUNT_GPA
	mov	$0x20, %al
	out	%al, $0x20
	pop	%ax
	iret
SNIPPET_END(pit_guest)
