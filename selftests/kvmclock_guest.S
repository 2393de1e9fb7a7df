/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmclock: write R14 (page address | enable) to the system time MSR and
 * enable the wall clock, snapshot the page (read through R15) with the
 * TSC, spin RSI TSC cycles, snapshot again and exit; then snapshot into
 * KC_SNAP_C and exit, forever.
 */
#include "snippet.h"
#include "kvmclock.h"

.macro	snap dst
	mov	0(%r15), %rax
	mov	%rax, \dst
	mov	8(%r15), %rax
	mov	%rax, \dst + 8
	mov	16(%r15), %rax
	mov	%rax, \dst + 16
	mov	24(%r15), %rax
	mov	%rax, \dst + 24
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	mov	%rdx, \dst + 32
.endm

SNIPPET_BEGIN(kc_main)
	.code64
	mov	$MSR_KVM_SYSTEM_TIME_NEW, %ecx
	mov	%r14d, %eax
	xor	%edx, %edx
	wrmsr
	mov	$MSR_KVM_WALL_CLOCK_NEW, %ecx
	mov	$KC_WALL_GPA, %eax
	wrmsr

	snap	KC_SNAP_A
	mov	%rdx, %rdi
	add	%rsi, %rdi
1:	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	cmp	%rdi, %rdx
	jb	1b
	snap	KC_SNAP_B
	out	%al, $PORT_KC_TWO

2:	snap	KC_SNAP_C
	out	%al, $PORT_KC_SNAP
	jmp	2b
SNIPPET_END(kc_main)
