/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real-mode guest that writes a greeting to the COM1 data port, one
 * byte per OUT, then halts.  Loaded at guest-physical 0x1000.
 */
	.code16
	.section .rodata
	.globl hello_guest_start, hello_guest_end
hello_guest_start:
	mov	$(msg - hello_guest_start + 0x1000), %si
	mov	$0x3f8, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	hlt
	jmp	2b
msg:	.asciz	"Hello from a vmx guest!\n"
hello_guest_end:
	.section .note.GNU-stack, "", @progbits
