/* SPDX-License-Identifier: GPL-2.0 */
/* Guests for bench_exits: one exit to user space per loop iteration, or
 * R8 CPUIDs (handled in the hypervisor) per exit to user space. */
#include "snippet.h"

SNIPPET_BEGIN(bench_pio)
	.code64
1:	out	%al, $0x90
	jmp	1b
SNIPPET_END(bench_pio)

SNIPPET_BEGIN(bench_cpuid)
	.code64
1:	mov	%r8, %rsi
2:	xor	%eax, %eax
	xor	%ecx, %ecx
	cpuid
	dec	%rsi
	jnz	2b
	out	%al, $0x91
	jmp	1b
SNIPPET_END(bench_cpuid)
