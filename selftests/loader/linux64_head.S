/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 64-bit ELF test kernel entry, Linux boot protocol style: long mode,
 * RSI = the zero page (boot_params).  A stack, linux64_main(RSI).
 */
	.text
	.code64
	.globl _start
_start:
	lea stack_top(%rip), %rsp
	mov %rsi, %rdi
	call linux64_main
1:	hlt
	jmp 1b

	.bss
	.align 16
	.space 8192
stack_top:
	.section .note.GNU-stack, "", @progbits
