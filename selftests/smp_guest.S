/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest for smp_test (64-bit, one copy shared by all vCPUs): report the
 * vCPU's number (RBX, set by the host) and a counter on port 0x10 RCX
 * times, then HLT.
 */
#include "snippet.h"

SNIPPET_BEGIN(smp_loop)
	.code64
	xor	%edx, %edx
1:	mov	%ebx, %eax
	shl	$16, %eax
	or	%edx, %eax
	out	%eax, $0x10
	inc	%edx
	cmp	%ecx, %edx
	jb	1b
	hlt
SNIPPET_END(smp_loop)
