/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot v1 test kernel entry: the header (with -DMB_AOUT also the
 * address fields, for the flat binary), a stack, mb_main(EAX, EBX).
 */
#define MB_MAGIC	0x1badb002
#ifdef MB_AOUT
#define MB_FLAGS	0x00010003	/* page-aligned modules, memory, addresses */
#else
#define MB_FLAGS	0x00000003
#endif

	.section .mbheader, "a"
	.align 4
mb_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
#ifdef MB_AOUT
	/* header, load, load end, bss end, entry */
	.long mb_header, mb_header, _edata, _end, _start
#endif

	.text
	.code32
	.globl _start
_start:
	mov $stack_top, %esp
	push %ebx
	push %eax
	call mb_main
1:	hlt
	jmp 1b

	.bss
	.align 16
	.space 8192
stack_top:
	.section .note.GNU-stack, "", @progbits
