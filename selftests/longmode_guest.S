/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 64-bit guest for longmode_test.c, entered directly in long mode. Each
 * step ends in an exit the test checks, in this order.
 */
#include "snippet.h"
#include "longmode.h"

/* A distinct constant in every GPR but RSP, for KVM_GET_REGS to find. */
.macro load_markers
	movabs	$0x1111111111111111, %rax
	movabs	$0x2222222222222222, %rbx
	movabs	$0x3333333333333333, %rcx
	movabs	$0x4444444444444444, %rdx
	movabs	$0x5555555555555555, %rsi
	movabs	$0x6666666666666666, %rdi
	movabs	$0x7777777777777777, %rbp
	movabs	$0x8888888888888888, %r8
	movabs	$0x9999999999999999, %r9
	movabs	$0xaaaaaaaaaaaaaaaa, %r10
	movabs	$0xbbbbbbbbbbbbbbbb, %r11
	movabs	$0xcccccccccccccccc, %r12
	movabs	$0xdddddddddddddddd, %r13
	movabs	$0xeeeeeeeeeeeeeeee, %r14
	movabs	$0xffffffffffffffff, %r15
.endm

SNIPPET_BEGIN(lm)
	.code64
	/* 1: data[i] = i * PATTERN_MUL + PATTERN_ADD, then HLT. */
	mov	$GUEST_DATA_GPA, %rdi
	movabs	$PATTERN_MUL, %rbx
	xor	%ecx, %ecx
1:	mov	%rcx, %rax
	imul	%rbx, %rax
	add	$PATTERN_ADD, %rax
	mov	%rax, (%rdi, %rcx, 8)
	inc	%rcx
	cmp	$PATTERN_QWORDS, %rcx
	jne	1b
	load_markers
	hlt
SNIPPET_LABEL(lm_after_hlt)

	/* 2: CALL pushes the return address on the stack. */
	call	2f
SNIPPET_LABEL(lm_ret_addr)
	jmp	3f
2:	mov	%rsp, %rax
	out	%eax, $PORT_STACK
	ret
3:	mov	%rsp, %rax
	out	%eax, $PORT_STACK_DONE

	/* 3: a port exit with every GPR holding a marker. */
	load_markers
	out	%eax, $PORT_REGS

	/* 4: sum the qwords the host wrote. */
	mov	$SUM_GPA, %rsi
	xor	%eax, %eax
	xor	%ecx, %ecx
4:	add	(%rsi, %rcx, 8), %rax
	inc	%rcx
	cmp	$SUM_QWORDS, %rcx
	jne	4b
	out	%al, $PORT_SUM

	/* 5: the pattern again, into the last page of slot 1 (1 GiB up). */
	mov	$HIGH_SLOT_GPA + HIGH_OFFSET, %edi
	movabs	$PATTERN_MUL, %rbx
	xor	%ecx, %ecx
5:	mov	%rcx, %rax
	imul	%rbx, %rax
	not	%rax
	mov	%rax, (%rdi, %rcx, 8)
	inc	%rcx
	cmp	$HIGH_QWORDS, %rcx
	jne	5b
	hlt
6:	hlt
	jmp	6b
SNIPPET_END(lm)
