/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests for bench_irq (64-bit, xAPIC at 0xfee00000, IDT set by the host).
 *  - birq_timer (vCPU 0): RBX samples of TSC-deadline timer latency
 *    (handler TSC - deadline) into the array at R13; each deadline is R12
 *    cycles ahead; spins with IF = 1 meanwhile (QEMU TCG loses the STI
 *    shadow at an exit, so "sti; hlt" can miss a wake-up there).  OUT
 *    0x90 when done.
 *  - birq_ping (vCPU 0): RBX IPI round trips to APIC 1 and back, cycles
 *    into the array at R13, spinning with IF = 1.  OUT 0x91 when done.
 *  - birq_pong (vCPU 1): answers vector 0x41 with vector 0x42 to APIC 0.
 * Handlers leave the TSC in R11 and set R10 = 1.
 */
#include "snippet.h"

#define APIC		0xfee00000
#define APIC_EOI	0xb0
#define APIC_SVR	0xf0
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVTT	0x320
#define LVT_TSC_DEADLINE	(2 << 17)
#define MSR_TSC_DEADLINE	0x6e0
#define PONG_READY	GUEST_DATA_GPA	/* pong's APIC is on */

.macro tsc_rax
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
.endm

SNIPPET_BEGIN(birq)
	.code64
SNIPPET_LABEL(birq_timer)
	mov	$APIC, %esi
	movl	$0x1ff, APIC_SVR(%rsi)
	movl	$(0x40 | LVT_TSC_DEADLINE), APIC_LVTT(%rsi)
	xor	%r14, %r14
1:	cli
	xor	%r10d, %r10d
	tsc_rax
	add	%r12, %rax
	mov	%rax, %r9
	mov	%rax, %rdx
	shr	$32, %rdx
	mov	$MSR_TSC_DEADLINE, %ecx
	wrmsr
	sti
2:	pause
	test	%r10, %r10
	jz	2b
	mov	%r11, %rax
	sub	%r9, %rax
	mov	%rax, (%r13, %r14, 8)
	inc	%r14
	cmp	%rbx, %r14
	jb	1b
	out	%al, $0x90
3:	hlt
	jmp	3b

SNIPPET_LABEL(birq_ping)
	mov	$APIC, %esi
	movl	$0x1ff, APIC_SVR(%rsi)
	xor	%r14, %r14
	/* A software-disabled APIC drops fixed IPIs: wait for pong's.  With
	 * IF = 1, as Bochs 2.7 lets no host interrupt exit an IF = 0 guest
	 * and a 1-CPU host would never run pong's thread.
	 */
	sti
0:	pause
	cmpl	$1, PONG_READY
	jne	0b
1:	xor	%r10d, %r10d
	tsc_rax
	mov	%rax, %r9
	movl	$(1 << 24), APIC_ICR2(%rsi)
	movl	$0x41, APIC_ICR(%rsi)
2:	pause
	test	%r10, %r10
	jz	2b
	mov	%r11, %rax
	sub	%r9, %rax
	mov	%rax, (%r13, %r14, 8)
	inc	%r14
	cmp	%rbx, %r14
	jb	1b
	out	%al, $0x91
3:	hlt
	jmp	3b

SNIPPET_LABEL(birq_pong)
	mov	$APIC, %esi
	movl	$0x1ff, APIC_SVR(%rsi)
	movl	$1, PONG_READY
1:	sti
	hlt
	jmp	1b

/* Vector 0x40 (timer) and 0x42 (pong's answer) on vCPU 0. */
SNIPPET_LABEL(birq_isr_done)
	tsc_rax
	mov	%rax, %r11
	mov	$1, %r10d
	movl	$0, APIC_EOI(%rsi)
	iretq

/* Vector 0x41 on vCPU 1: answer APIC 0. */
SNIPPET_LABEL(birq_isr_pong)
	movl	$0, APIC_EOI(%rsi)
	movl	$0, APIC_ICR2(%rsi)
	movl	$0x42, APIC_ICR(%rsi)
	iretq
SNIPPET_END(birq)
