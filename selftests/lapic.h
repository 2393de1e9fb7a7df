/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the lapic_*_test.c files and their guests. */
#ifndef LAPIC_TEST_H
#define LAPIC_TEST_H

#define APIC_MMIO_GPA		0xfee00000
#define X2APIC_MSR_BASE		0x800
#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
#define APIC_BASE_EN_EXTD	0xc00	/* global enable + x2APIC */

/* Register offsets in the xAPIC page (x2APIC MSR = 0x800 + off / 16). */
#define APIC_REG_ID		0x20
#define APIC_REG_TPR		0x80
#define APIC_REG_EOI		0xb0
#define APIC_REG_SVR		0xf0
#define APIC_REG_ICR		0x300
#define APIC_REG_ICR2		0x310
#define APIC_REG_LVTT		0x320
#define APIC_REG_TMICT		0x380
#define APIC_REG_TMCCT		0x390
#define APIC_REG_TDCR		0x3e0

#define SVR_ENABLE_SPURIOUS	0x1ff	/* APIC on, spurious vector 0xff */
#define TDCR_DIV1		0xb
#define LVTT_PERIODIC		0x20000
#define LVTT_TSC_DEADLINE	0x40000
#define LVT_MASKED		0x10000

#define TIMER_VECTOR		0x40
#define SPURIOUS_VECTOR		0xff

/* lapic_timer_test: guest parameters in registers. */
#define TIMER_KIND_PERIODIC	0
#define TIMER_KIND_ONESHOT	1
#define TIMER_KIND_DEADLINE	2
#define TICKS_GPA		GUEST_DATA_GPA	/* qword tick counter */
#define PORT_DONE		0x10
#define PORT_AGAIN		0x11

/* lapic_ipi_test */
#define IPI_NCPUS		4
#define IPI_N			5	/* IPIs per sender and kind */
#define TRAMP_GPA		0x20000	/* SIPI vector 0x20 */
#define STACKS_GPA		0x30000	/* 4 KiB per vCPU */
#define ALIVE_GPA		(GUEST_DATA_GPA + 0x000)	/* [id] */
#define GO_GPA			(GUEST_DATA_GPA + 0x040)
#define FINISH_GPA		(GUEST_DATA_GPA + 0x048)
#define DONE_GPA		(GUEST_DATA_GPA + 0x080)	/* [id] */
#define CNT_GPA			(GUEST_DATA_GPA + 0x400)	/* [id][vec] */
#define CNT_STRIDE		0x200
#define VEC_FIXED		0x50	/* + sender id */
#define VEC_BCAST		0x60	/* + sender id */
#define VEC_SELF		0x70
#define VEC_FIRST		0x50
#define VEC_STUBS		48	/* 0x50 .. 0x7f, 16 bytes each */
#define VEC_LOGICAL		0x74	/* flat logical to vCPUs 1-3 */
#define VEC_LOGICAL_ONE		0x75	/* flat logical to vCPU 2 */
#define VEC_LOWEST		0x76	/* lowest priority among 1 and 3 */
#define VEC_SYNC		0x58	/* below the above: sent last */
#define NMI_GPA			(GUEST_DATA_GPA + 0x100)	/* [id] */
#define ICR_LOGICAL		0x800
#define ICR_LOWEST		0x100
#define ICR_NMI			0x400
#define ICR_INIT_ASSERT		0x4500
#define ICR_STARTUP		0x4600
#define ICR_ALL_BUT_SELF	0xc0000
#define ICR_SELF		0x40000
#define PORT_INIT_SENT		0x30	/* not 0x20: the in-kernel PIC */
#define PORT_AP_DONE		0x31

/* Write %eax to APIC register \off; xAPIC unless %r15 != 0 (x2APIC).
 * Clobbers %ecx, %edx, %rsi.
 */
#ifdef __ASSEMBLER__
.macro apic_wr off
	test	%r15, %r15
	jnz	.Lx2w\@
	mov	$APIC_MMIO_GPA, %esi
	mov	%eax, \off(%rsi)
	jmp	.Ldonew\@
.Lx2w\@:
	mov	$(X2APIC_MSR_BASE + (\off >> 4)), %ecx
	xor	%edx, %edx
	wrmsr
.Ldonew\@:
.endm

/* Read APIC register \off into %eax (same rules as apic_wr). */
.macro apic_rd off
	test	%r15, %r15
	jnz	.Lx2r\@
	mov	$APIC_MMIO_GPA, %esi
	mov	\off(%rsi), %eax
	jmp	.Ldoner\@
.Lx2r\@:
	mov	$(X2APIC_MSR_BASE + (\off >> 4)), %ecx
	rdmsr
.Ldoner\@:
.endm
#endif

#endif
