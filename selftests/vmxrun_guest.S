/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny multiboot v1 kernel for vmxrun_test, written to a file and booted
 * by vmx-run: it prints "B" on COM1, then resets the machine the way the
 * first letter of its arguments says (the command line is "KERNEL ARGS",
 * as GRUB and QEMU give it): 'c' port 0xcf9 (the ACPI reset
 * register), 'k' the keyboard controller's pulse (0xfe to port 0x64),
 * 't' a triple fault (INT3 with an empty IDT).  Should the reset do
 * nothing, it writes 0x7f to the debug-exit port: status 255.
 */
#include "snippet.h"

#define LOAD		0x100000	/* where the image is loaded */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00010000	/* the address fields are valid */
#define ADDR(x)		(LOAD + ((x) - mbreset_start))

SNIPPET_BEGIN(mbreset)
	.code32
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long	ADDR(mbreset_start)	/* header_addr */
	.long	LOAD			/* load_addr */
	.long	0			/* load_end_addr: the whole file */
	.long	0			/* bss_end_addr: none */
	.long	ADDR(entry)		/* entry_addr */
entry:
	mov	$'B', %al
	mov	$0x3f8, %dx
	out	%al, %dx
	mov	16(%ebx), %esi		/* multiboot info: cmdline */
skip:	lodsb				/* past the kernel's file name */
	test	%al, %al
	jz	fail
	cmp	$' ', %al
	jne	skip
	movzbl	(%esi), %eax
	cmp	$'c', %al
	je	1f
	cmp	$'k', %al
	je	2f
	cmp	$'t', %al
	je	3f
	jmp	fail
1:	mov	$6, %al
	mov	$0xcf9, %dx
	out	%al, %dx
	jmp	fail
2:	mov	$0xfe, %al
	out	%al, $0x64
	jmp	fail
3:	lidt	ADDR(empty_idt)
	int3
fail:
	/* The first request wins: after a reset this one is ignored. */
	mov	$0x7f, %al
	out	%al, $0xf4
	hlt
	jmp	fail
empty_idt:
	.word	0
	.long	0
SNIPPET_END(mbreset)
