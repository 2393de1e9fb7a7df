/* SPDX-License-Identifier: GPL-2.0 */
/* Guests for hlt_test: a few HLTs, each after loading a marker in AX. */
#include "snippet.h"

SNIPPET_BEGIN(hlt_real)
	.code16
	mov	$0x1111, %ax
	hlt
SNIPPET_LABEL(hlt_real_after1)
	mov	$0x2222, %ax
	hlt
SNIPPET_LABEL(hlt_real_after2)
	cli
	mov	$0x3333, %ax
	hlt
SNIPPET_LABEL(hlt_real_after3)
	sti
	mov	$0x4444, %ax
	hlt
SNIPPET_LABEL(hlt_real_after4)
1:	hlt
	jmp	1b
SNIPPET_END(hlt_real)

SNIPPET_BEGIN(hlt_long)
	.code64
	movabs	$0x1111222233334444, %rax
	hlt
SNIPPET_LABEL(hlt_long_after1)
	movabs	$0x5555666677778888, %rax
	mov	$0x99, %r15
	hlt
SNIPPET_LABEL(hlt_long_after2)
1:	hlt
	jmp	1b
SNIPPET_END(hlt_long)
