/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real-mode guest for pic_test: programs both 8259As through their ports
 * (vectors 0x20 and 0x28), opens IRQ3 and IRQ10, and reports each
 * interrupt from its handler with an OUT; the host raises the lines.
 */
#include "snippet.h"
#include "pic.h"

/* Wait with IF=1 until the interrupt count reaches \n. */
.macro wait_count n
	mov	$\n, %bx
	call	wait_for
.endm

SNIPPET_BEGIN(pic_guest)
	.code16
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$GUEST_STACK_TOP, %sp
	movw	$0, PIC_COUNT_GPA
	/* Real-mode IVT at 0: vectors 0x20-0x2f -> stubs 0-15. */
	movw	$0x3ff, PIC_IDTR_GPA
	movl	$0, PIC_IDTR_GPA + 2
	lidt	PIC_IDTR_GPA
	mov	$PIC_VECTOR_MASTER * 4, %di
	mov	$(pic_stubs - pic_guest_start), %bx
	mov	$16, %cx
1:	mov	%bx, (%di)
	movw	$(GUEST_CODE_GPA >> 4), 2(%di)
	add	$8, %bx
	add	$4, %di
	loop	1b

	/* ICW1 (edge, cascade, ICW4), ICW2 base, ICW3 wiring, ICW4 8086. */
	mov	$0x11, %al
	out	%al, $0x20
	out	%al, $0xa0
	mov	$PIC_VECTOR_MASTER, %al
	out	%al, $0x21
	mov	$PIC_VECTOR_SLAVE, %al
	out	%al, $0xa1
	mov	$0x04, %al		/* slave on IR2 */
	out	%al, $0x21
	mov	$0x02, %al		/* slave ID 2 */
	out	%al, $0xa1
	mov	$0x01, %al
	out	%al, $0x21
	out	%al, $0xa1
	mov	$PIC_MASTER_IMR, %al
	out	%al, $0x21
	mov	$PIC_SLAVE_IMR, %al
	out	%al, $0xa1

	out	%al, $PORT_READY
	sti
	wait_count 1			/* IRQ3; IRQ4 is masked */
	mov	$0x0a, %al		/* OCW3: read IRR */
	out	%al, $0x20
	in	$0x20, %al
	out	%al, $PORT_IRR
	mov	$PIC_MASTER_IMR2, %al	/* open IRQ4: its request fires */
	out	%al, $0x21
	wait_count 2
	wait_count 3			/* IRQ10 through the cascade */
	wait_count 4			/* IRQ3 from another thread */
	mov	PIC_COUNT_GPA, %ax
	out	%ax, $PORT_DONE
2:	hlt
	jmp	2b

wait_for:
	cli
	cmp	%bx, PIC_COUNT_GPA
	jae	3f
	sti				/* the STI shadow covers the HLT */
	hlt
	jmp	wait_for
3:	sti
	ret

	/* Handler for IRQ n: report n, EOI the slave (n >= 8) and master. */
pic_common:
	push	%ax
	push	%bp
	mov	%sp, %bp
	mov	4(%bp), %ax
	out	%ax, $PORT_IRQ
	incw	PIC_COUNT_GPA
	cmp	$8, %ax
	mov	$0x20, %al		/* OCW2: non-specific EOI */
	jb	4f
	out	%al, $0xa0
4:	out	%al, $0x20
	pop	%bp
	pop	%ax
	add	$2, %sp
	iret

	.balign	8
pic_stubs:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	8
	pushw	$\n
	jmp	pic_common
	.endr
SNIPPET_END(pic_guest)

/*
 * pic_modes: with IF=0, poll commands show which request wins under
 * fixed and rotated priorities; ELCR is writable; then auto-EOI mode
 * takes IRQ3 twice without any EOI.
 */
.macro report_poll
	mov	$0x0c, %al		/* OCW3: poll */
	out	%al, $0x20
	in	$0x20, %al
	out	%al, $PORT_VAL
.endm

SNIPPET_BEGIN(pic_modes)
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
	movw	$(modes_isr - pic_modes_start), (PIC_VECTOR_MASTER + 3) * 4
	movw	$(GUEST_CODE_GPA >> 4), (PIC_VECTOR_MASTER + 3) * 4 + 2

	mov	$0x11, %al
	out	%al, $0x20
	mov	$PIC_VECTOR_MASTER, %al
	out	%al, $0x21
	mov	$0x04, %al
	out	%al, $0x21
	mov	$0x01, %al
	out	%al, $0x21
	xor	%al, %al		/* all master lines open */
	out	%al, $0x21

	out	%al, $PORT_SYNC		/* host: IRQ5, then IRQ3 */
	report_poll			/* IRQ3 wins: 0x83 */
	mov	$0x63, %al		/* specific EOI, level 3 */
	out	%al, $0x20
	mov	$0xc4, %al		/* set priority: IRQ4 lowest */
	out	%al, $0x20
	out	%al, $PORT_SYNC		/* host: IRQ3 again */
	report_poll			/* now IRQ5 wins: 0x85 */
	mov	$0x20, %al		/* non-specific EOI */
	out	%al, $0x20
	report_poll			/* then IRQ3: 0x83 */
	mov	$0x20, %al
	out	%al, $0x20

	mov	$0x40, %al		/* IRQ6 level-triggered */
	mov	$0x4d0, %dx
	out	%al, (%dx)
	in	(%dx), %al
	out	%al, $PORT_VAL
	out	%al, $PORT_SYNC		/* host checks the level input */

	/* Auto-EOI: ICW4 = 8086 | AEOI; only IRQ3 open. */
	mov	$0x11, %al
	out	%al, $0x20
	mov	$PIC_VECTOR_MASTER, %al
	out	%al, $0x21
	mov	$0x04, %al
	out	%al, $0x21
	mov	$0x03, %al
	out	%al, $0x21
	mov	$0xf7, %al
	out	%al, $0x21
	out	%al, $PORT_SYNC		/* host: IRQ3 */
1:	cli
	cmpw	$2, PIC_COUNT_GPA
	jae	2f
	sti				/* the STI shadow covers the HLT */
	hlt
	jmp	1b
2:	mov	PIC_COUNT_GPA, %ax
	out	%ax, $PORT_DONE
3:	hlt
	jmp	3b

	/* No EOI: report ISR, which auto-EOI left empty. */
modes_isr:
	push	%ax
	incw	PIC_COUNT_GPA
	mov	$0x0b, %al		/* OCW3: read ISR */
	out	%al, $0x20
	in	$0x20, %al
	out	%al, $PORT_VAL
	pop	%ax
	iret
SNIPPET_END(pic_modes)
