/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read DR0-3, DR6 and DR7 into R8-R11, R13 and R12 and exit; then write
 * the GUEST_DR* values and exit again.
 */
#include "snippet.h"
#include "debugregs.h"

SNIPPET_BEGIN(dr_main)
	.code64
	mov	%dr0, %r8
	mov	%dr1, %r9
	mov	%dr2, %r10
	mov	%dr3, %r11
	mov	%dr7, %r12
	mov	%dr6, %r13
	out	%al, $PORT_DR_READ

	mov	$GUEST_DR0, %rax
	mov	%rax, %dr0
	mov	$GUEST_DR1, %rax
	mov	%rax, %dr1
	mov	$GUEST_DR2, %rax
	mov	%rax, %dr2
	mov	$GUEST_DR3, %rax
	mov	%rax, %dr3
	mov	$GUEST_DR7, %rax
	mov	%rax, %dr7
	out	%al, $PORT_DR_WRITTEN
	hlt
SNIPPET_END(dr_main)
