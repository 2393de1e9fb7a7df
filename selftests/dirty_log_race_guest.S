/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stores ever-new values to pseudo-random pages of the logged slot until
 * the host sets the stop word; then HLT.  RSI = this vCPU's index: it
 * seeds the generator, tags the values and picks the progress word.
 */
#include "snippet.h"

#define RACE_GPA	0x4000000
#define RACE_PAGES	512
#define LCG_MUL		6364136223846793005
#define LCG_ADD		1442695040888963407

SNIPPET_BEGIN(dl_racer)
	.code64
	mov	%rsi, %rbx
	shl	$48, %rbx		/* values: index << 48 | count */
	lea	(%rsi,%rsi,2), %r8
	inc	%r8			/* generator state */
	lea	GUEST_DATA_GPA + 8(,%rsi,8), %r9
	movabs	$LCG_MUL, %r10
	movabs	$LCG_ADD, %r11
1:	cmpq	$0, GUEST_DATA_GPA
	jne	9f
	imul	%r10, %r8
	add	%r11, %r8
	mov	%r8, %rax
	shr	$33, %rax
	and	$RACE_PAGES - 1, %eax
	shl	$12, %rax
	inc	%rbx
	mov	%rbx, RACE_GPA(%rax)
	mov	%rbx, (%r9)
	jmp	1b
9:	hlt
	jmp	9b
SNIPPET_END(dl_racer)
