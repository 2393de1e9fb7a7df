/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs the command list the host leaves at GUEST_DATA_GPA: each entry is
 * an 8-byte-aligned guest-physical address with an operation in bits 0-2
 * (1 dword store, 2 dword load, 3 "rep stosl" of 64 bytes, 4 "insl" from
 * port 0x84).  A zero entry ends the list: HLT, then start over.
 */
#include "snippet.h"

SNIPPET_BEGIN(dl_worker)
	.code64
1:	mov	$GUEST_DATA_GPA, %esi
2:	lodsq
	test	%rax, %rax
	jz	9f
	mov	%rax, %rdi
	and	$-8, %rdi
	and	$7, %eax
	cmp	$1, %eax
	je	3f
	cmp	$2, %eax
	je	4f
	cmp	$3, %eax
	je	5f
	mov	$0x84, %dx
	insl
	jmp	2b
3:	movl	$0x5a5a5a5a, (%rdi)
	jmp	2b
4:	mov	(%rdi), %edx
	jmp	2b
5:	mov	$16, %ecx
	mov	$0xa5a5a5a5, %eax
	rep stosl
	jmp	2b
9:	hlt
	jmp	1b
SNIPPET_END(dl_worker)
