/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest for lapic_timer_test: enables its local APIC (xAPIC or, with
 * %r15 != 0, x2APIC), runs the timer in the mode given in %r14 and
 * counts ticks in the interrupt handler.  %r12: initial count or TSC
 * delta, %r13: periodic ticks to wait.  Waits with HLT and IF=1.
 */
#include "snippet.h"
#include "lapic.h"

SNIPPET_BEGIN(lt)
	.code64
	test	%r15, %r15
	jz	1f
	mov	$MSR_APIC_BASE, %ecx
	rdmsr
	or	$APIC_BASE_EN_EXTD, %eax
	wrmsr
1:	mov	$SVR_ENABLE_SPURIOUS, %eax
	apic_wr	APIC_REG_SVR
	mov	$TDCR_DIV1, %eax
	apic_wr	APIC_REG_TDCR
	cmp	$TIMER_KIND_DEADLINE, %r14
	je	deadline
	cmp	$TIMER_KIND_ONESHOT, %r14
	je	oneshot

	/* Periodic: wait for %r13 ticks, then stop the timer. */
	mov	$(LVTT_PERIODIC | TIMER_VECTOR), %eax
	apic_wr	APIC_REG_LVTT
	mov	%r12d, %eax
	apic_wr	APIC_REG_TMICT
	sti
2:	hlt
	cmp	%r13, TICKS_GPA
	jb	2b
	mov	$(LVT_MASKED | TIMER_VECTOR), %eax
	apic_wr	APIC_REG_LVTT
	xor	%eax, %eax
	apic_wr	APIC_REG_TMICT
	mov	TICKS_GPA, %rax
	out	%eax, $PORT_DONE
	jmp	end

oneshot:
	mov	$TIMER_VECTOR, %eax
	apic_wr	APIC_REG_LVTT
	mov	%r12d, %eax
	apic_wr	APIC_REG_TMICT
	call	wait_first_tick
	apic_rd	APIC_REG_TMCCT
	mov	%eax, %ebx
	jmp	report

deadline:
	mov	$(LVTT_TSC_DEADLINE | TIMER_VECTOR), %eax
	apic_wr	APIC_REG_LVTT
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	add	%r12, %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	mov	$MSR_TSC_DEADLINE, %ecx
	wrmsr
	call	wait_first_tick
	mov	$MSR_TSC_DEADLINE, %ecx
	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, %rbx

	/* Ticks so far; then again after the host waited (IF=1 meanwhile). */
report:
	mov	TICKS_GPA, %rax
	out	%eax, $PORT_DONE
	nop
	nop
	mov	TICKS_GPA, %rax
	out	%eax, $PORT_AGAIN
end:
	jmp	end

	/* STI;HLT with nothing counted yet: no wake-up can slip between. */
wait_first_tick:
	cli
	cmpq	$0, TICKS_GPA
	jne	3f
	sti
	hlt
	jmp	wait_first_tick
3:	sti
	ret

SNIPPET_LABEL(lt_isr)
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	incq	TICKS_GPA
	xor	%eax, %eax
	apic_wr	APIC_REG_EOI
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq
SNIPPET_LABEL(lt_spurious)
	iretq
SNIPPET_END(lt)
