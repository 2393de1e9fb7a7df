/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vector registers: load all 16 from XS_LOAD_GPA and exit, then forever
 * store all 16 to XS_STORE_GPA and exit, so the host can change them
 * between runs and see what the guest sees.  RBX holds XS_FLAG_*.
 */
#include "snippet.h"
#include "xsave.h"

.macro	load_all
	test	$XS_FLAG_AVX, %ebx
	jz	2f
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	XS_LOAD_GPA + \n * XS_REG_BYTES, %ymm\n
	.endr
	jmp	3f
2:	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	XS_LOAD_GPA + \n * XS_REG_BYTES, %xmm\n
	.endr
3:
.endm

.macro	store_all
	test	$XS_FLAG_AVX, %ebx
	jz	5f
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	%ymm\n, XS_STORE_GPA + \n * XS_REG_BYTES
	.endr
	jmp	6f
5:	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	%xmm\n, XS_STORE_GPA + \n * XS_REG_BYTES
	.endr
6:
.endm

SNIPPET_BEGIN(xs_main)
	.code64
	test	$XS_FLAG_XGETBV, %ebx
	jz	1f
	xor	%ecx, %ecx
	xgetbv
	mov	%eax, %r12d
	shl	$32, %rdx
	or	%rdx, %r12
1:	load_all
	out	%al, $PORT_XS_LOADED
4:	store_all
	out	%al, $PORT_XS_STORED
	jmp	4b
SNIPPET_END(xs_main)

/* Load, spin RSI TSC cycles (host interrupts, other tasks), store, exit. */
SNIPPET_BEGIN(xs_spin)
	.code64
	load_all
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	lea	(%rdx, %rsi), %rdi
1:	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	cmp	%rdi, %rdx
	jb	1b
	store_all
	out	%al, $PORT_XS_STORED
	hlt
SNIPPET_END(xs_spin)

/*
 * The guest sets CR4.OSXSAVE and XCR0 := RSI itself, then exits; after the
 * exit it reads XCR0 back with XGETBV into RAX and exits again: the value
 * must survive the exit and the host's own XCR0.
 */
SNIPPET_BEGIN(xs_xsetbv)
	.code64
	mov	%cr4, %rax
	or	$(1 << 18), %rax	/* CR4.OSXSAVE, as Linux sets it */
	mov	%rax, %cr4
	mov	%esi, %eax
	xor	%edx, %edx
	xor	%ecx, %ecx
	xsetbv
	out	%al, $PORT_XS_LOADED
	xor	%ecx, %ecx
	xgetbv
	out	%al, $PORT_XS_STORED
1:	hlt
	jmp	1b
SNIPPET_END(xs_xsetbv)
