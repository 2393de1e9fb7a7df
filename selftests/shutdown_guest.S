/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests that triple-fault. guest.c gives long-mode guests an IDT with
 * limit 0, so any exception fails to deliver, then #DF does, then the CPU
 * shuts down. The real-mode guest empties its IVT limit itself.
 */
#include "snippet.h"

SNIPPET_BEGIN(sd_ud2)
	.code64
	ud2
SNIPPET_END(sd_ud2)

/* Not-present page: the tables map only 0-4 GiB. */
SNIPPET_BEGIN(sd_pf)
	.code64
	movabs	$0x100000000, %rax
	mov	(%rax), %rbx
	hlt
SNIPPET_END(sd_pf)

/* Non-canonical address: #GP. */
SNIPPET_BEGIN(sd_gp)
	.code64
	movabs	$0x8000000000000000, %rax
	mov	(%rax), %rbx
	hlt
SNIPPET_END(sd_gp)

SNIPPET_BEGIN(sd_real)
	.code16
	/* An IVT limit of 0: INT 3 cannot be delivered, nor #GP, nor #DF. */
	lidt	%cs:(idt_desc - sd_real_start)
	int3
	hlt
idt_desc:
	.word	0
	.long	0
SNIPPET_END(sd_real)

SNIPPET_BEGIN(sd_hlt)
	.code64
	hlt
SNIPPET_END(sd_hlt)
