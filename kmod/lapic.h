/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the local APIC (lapic.c registers and delivery,
 * lapic_timer.c timer and state ioctls).
 */
#ifndef VMX_LAPIC_H
#define VMX_LAPIC_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <asm/apicdef.h>

#include "core.h"

/* Version register: integrated APIC 0x14, six LVT entries (max index 5). */
#define LAPIC_VERSION		(0x14 | (5 << 16))
#define LAPIC_REGS_SIZE		KVM_APIC_REG_SIZE	/* 0x400 */
#define ID_XAPIC_SHIFT		24	/* xAPIC ID in bits 31:24 */

/* Guest CPUID bits that gate x2APIC and the TSC-deadline timer. */
#define CPUID1_ECX_X2APIC	BIT(21)
#define CPUID1_ECX_TSC_DEADLINE	BIT(24)

/* Timer modes: LVT timer bits 18:17. */
#define LVTT_MODE_MASK		(3 << 17)
#define LVTT_ONESHOT		0
#define LVTT_PERIODIC		APIC_LVT_TIMER_PERIODIC
#define LVTT_TSCDEADLINE	APIC_LVT_TIMER_TSCDEADLINE

/* ICR fields beyond <asm/apicdef.h>'s. */
#define ICR_DM_SHIFT		8
#define ICR_DEST_LOGICAL	BIT(11)
#define ICR_LEVEL_ASSERT	BIT(14)
#define ICR_TRIG_LEVEL		BIT(15)
#define ICR_SHORTHAND_SHIFT	18

/* Delivery modes as in vmx_apic_irq.delivery_mode. */
enum {
	LAPIC_DM_FIXED = 0, LAPIC_DM_LOWEST = 1, LAPIC_DM_SMI = 2,
	LAPIC_DM_NMI = 4, LAPIC_DM_INIT = 5, LAPIC_DM_SIPI = 6,
	LAPIC_DM_EXTINT = 7,
};

struct vmx_lapic {
	struct vmx_vcpu *vcpu;
	spinlock_t lock;	/* regs and timer state; IRQs saved */
	struct hrtimer timer;
	u32 timer_mode;		/* LVTT_* of the armed timer */
	u64 period_ns;		/* periodic: clamped period */
	u32 divide;		/* 1 .. 128 */
	u64 tsc_deadline;	/* guest TSC value, 0 = disarmed */
	bool timer_armed;	/* counting down (TMCCT != 0) */
	u8 regs[LAPIC_REGS_SIZE] __aligned(16);	/* xAPIC page layout */
};

static inline u32 lapic_get(struct vmx_lapic *a, u32 reg)
{
	return *(u32 *)(a->regs + reg);
}

static inline void lapic_set(struct vmx_lapic *a, u32 reg, u32 val)
{
	*(u32 *)(a->regs + reg) = val;
}

static inline bool lapic_x2apic(struct vmx_vcpu *vcpu)
{
	return vcpu->apic_base & X2APIC_ENABLE;
}

static inline bool lapic_hw_enabled(struct vmx_vcpu *vcpu)
{
	return vcpu->apic_base & MSR_IA32_APICBASE_ENABLE;
}

static inline bool lapic_sw_enabled(struct vmx_lapic *a)
{
	return lapic_get(a, APIC_SPIV) & APIC_SPIV_APIC_ENABLED;
}

static inline u32 lapic_x2apic_ldr(u32 id)
{
	/* Cluster in 31:16, one bit of 16 in 15:0. */
	return ((id >> 4) << 16) | BIT(id & 0xf);
}

/* lapic.c; the _locked ones run under a->lock. */
bool lapic_guest_cpuid_has(struct vmx_vcpu *vcpu, u32 ecx_bit);
void lapic_set_irr_locked(struct vmx_lapic *a, u8 vector, bool level);
void lapic_update_ppr(struct vmx_lapic *a);
int lapic_eoi_locked(struct vmx_lapic *a);	/* level vector or -1 */
void lapic_icr_to_irq(struct vmx_vcpu *vcpu, u32 lo, u32 hi,
		      struct vmx_apic_irq *irq);

/* lapic_timer.c; the _locked ones run under a->lock. */
void lapic_timer_init(struct vmx_lapic *a);
void lapic_timer_cancel(struct vmx_lapic *a);	/* not under the lock */
void lapic_timer_start_locked(struct vmx_lapic *a);
u32 lapic_timer_current_count(struct vmx_lapic *a);
void lapic_timer_set_deadline(struct vmx_lapic *a, u64 tsc);
u64 lapic_timer_get_deadline(struct vmx_lapic *a);
u32 lapic_divide(u32 tdcr);

#endif
