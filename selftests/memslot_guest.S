/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads guest-physical addresses the host hands in: IN gives the address,
 * a 4-byte load reads it (RAM or MMIO), OUT reports the value. Forever.
 */
#include "snippet.h"

SNIPPET_BEGIN(ms_reader)
	.code64
1:	in	$0x80, %eax
	mov	(%rax), %eax
	out	%eax, $0x81
	jmp	1b
SNIPPET_END(ms_reader)
