/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loads and stores to guest-physical addresses with no memslot, in the
 * order mmio_test.c expects them. After each load, an OUT to PORT_SYNC
 * lets the test read the loaded register with KVM_GET_REGS.
 */
#include "snippet.h"
#include "mmio.h"

SNIPPET_BEGIN(mmio_long)
	.code64
	mov	$GUEST_MMIO_GPA, %edi
	movb	$0x11, (%rdi)
	movw	$0x2233, 0x10(%rdi)
	movl	$0x44556677, 0x20(%rdi)
	movabs	$0x8899aabbccddeeff, %rax
	mov	%rax, 0x30(%rdi)
	movq	$-2, 0x40(%rdi)

	movabs	$RAX_PRIMED, %rax
	mov	0x100(%rdi), %al
	out	%al, $PORT_SYNC
	movabs	$RAX_PRIMED, %rax
	mov	0x200(%rdi), %ax
	out	%al, $PORT_SYNC
	movabs	$RAX_PRIMED, %rax
	mov	0x300(%rdi), %eax
	out	%al, $PORT_SYNC
	movabs	$RAX_PRIMED, %rax
	mov	0x400(%rdi), %rax
	out	%al, $PORT_SYNC
	/* Load into another register, from an unaligned address. */
	movabs	$RAX_PRIMED, %rbx
	mov	0x503(%rdi), %ebx
	out	%al, $PORT_SYNC
	hlt
SNIPPET_LABEL(mmio_long_end)
SNIPPET_END(mmio_long)

SNIPPET_BEGIN(mmio_real)
	.code16
	mov	$RM_MMIO_SEG, %ax
	mov	%ax, %es
	movb	$0x41, %es:0x10
	mov	%es:0x20, %bx
	hlt
SNIPPET_LABEL(mmio_real_end)
SNIPPET_END(mmio_real)
