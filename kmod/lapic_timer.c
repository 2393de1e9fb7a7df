// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC timer on an hrtimer (one-shot, periodic, TSC-deadline)
 * and the KVM_GET/SET_LAPIC ioctls.  The APIC bus runs at 1 GHz as on
 * KVM, so one count is divide-configuration nanoseconds.
 *
 * Only the vCPU's own thread arms or cancels the timer; the callback runs
 * in hard IRQ context and takes a->lock, so lapic_timer_cancel() is
 * called without the lock held.
 */
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/tsc.h>

#include "lapic.h"

/* As KVM's min_timer_period_us: a guest cannot storm the host. */
#define LAPIC_MIN_PERIOD_NS	200000ULL
/* Deadlines further out than this (days) wait this long: no overflow. */
#define DEADLINE_MAX_CYCLES	BIT_ULL(52)

u32 lapic_divide(u32 tdcr)
{
	/* TDCR bits 3,1:0: 000 = 2 ... 110 = 128, 111 = 1. */
	u32 v = (tdcr & 3) | ((tdcr & 8) >> 1);

	return 1U << ((v + 1) & 7);
}

/* The timer reached zero or its deadline: latch the vector (locked). */
static bool lapic_timer_expire_locked(struct vmx_lapic *a)
{
	u32 lvtt = lapic_get(a, APIC_LVTT);
	/* A masked timer still counts; it just delivers nothing. */
	bool fire = !(lvtt & APIC_LVT_MASKED) && lapic_sw_enabled(a);

	if (fire)
		lapic_set_irr_locked(a, lvtt & APIC_VECTOR_MASK, false);
	return fire;
}

static void lapic_timer_notify(struct vmx_lapic *a)
{
	vmx_make_request(a->vcpu, VMX_REQ_EVENT);
	vmx_vcpu_kick(a->vcpu);
}

static enum hrtimer_restart lapic_timer_fn(struct hrtimer *t)
{
	struct vmx_lapic *a = container_of(t, struct vmx_lapic, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;
	bool fire;

	spin_lock_irqsave(&a->lock, flags);
	fire = lapic_timer_expire_locked(a);
	if (a->timer_mode == LVTT_PERIODIC && a->timer_armed) {
		hrtimer_forward_now(t, ns_to_ktime(a->period_ns));
		ret = HRTIMER_RESTART;
	} else {
		a->timer_armed = false;
		a->tsc_deadline = 0;	/* reads 0 once it has fired */
	}
	spin_unlock_irqrestore(&a->lock, flags);
	if (fire)
		lapic_timer_notify(a);
	return ret;
}

void lapic_timer_init(struct vmx_lapic *a)
{
	hrtimer_init(&a->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	a->timer.function = lapic_timer_fn;
}

void lapic_timer_cancel(struct vmx_lapic *a)
{
	unsigned long flags;

	hrtimer_cancel(&a->timer);
	spin_lock_irqsave(&a->lock, flags);
	a->timer_armed = false;
	spin_unlock_irqrestore(&a->lock, flags);
}

/* One-shot or periodic from TMICT; the timer is stopped on entry. */
void lapic_timer_start_locked(struct vmx_lapic *a)
{
	u64 ns = (u64)lapic_get(a, APIC_TMICT) * a->divide;

	a->timer_armed = false;
	if (!ns || a->timer_mode == LVTT_TSCDEADLINE)
		return;
	if (a->timer_mode == LVTT_PERIODIC)
		ns = max(ns, LAPIC_MIN_PERIOD_NS);
	a->period_ns = ns;
	a->timer_armed = true;
	hrtimer_start(&a->timer, ktime_add_ns(ktime_get(), ns),
		      HRTIMER_MODE_ABS_HARD);
}

/* TMCCT: what is left of the current period, in counts. */
u32 lapic_timer_current_count(struct vmx_lapic *a)
{
	s64 left;

	if (!a->timer_armed || a->timer_mode == LVTT_TSCDEADLINE)
		return 0;
	left = ktime_to_ns(ktime_sub(hrtimer_get_expires(&a->timer),
				     ktime_get()));
	if (left <= 0)
		return 0;
	left = min_t(u64, left, a->period_ns);
	return min_t(u64, div_u64(left, a->divide), lapic_get(a, APIC_TMICT));
}

static bool deadline_mode(struct vmx_lapic *a)
{
	return (lapic_get(a, APIC_LVTT) & LVTT_MODE_MASK) == LVTT_TSCDEADLINE;
}

/* IA32_TSC_DEADLINE write: ignored outside TSC-deadline mode. */
void lapic_timer_set_deadline(struct vmx_lapic *a, u64 tsc)
{
	struct vmx_vcpu *vcpu = a->vcpu;
	unsigned long flags;
	u64 now, ns = 0;
	bool fire = false;

	if (!deadline_mode(a))
		return;
	lapic_timer_cancel(a);
	spin_lock_irqsave(&a->lock, flags);
	a->tsc_deadline = tsc;
	if (tsc) {
		now = rdtsc() + vcpu->tsc_offset;
		if (tsc > now && tsc_khz)
			ns = mul_u64_u32_div(min(tsc - now, DEADLINE_MAX_CYCLES),
					     NSEC_PER_MSEC, tsc_khz);
		/*
		 * A deadline already passed fires now, before the guest runs
		 * again: as on hardware, the interrupt is pending by the
		 * next instruction.
		 */
		if (!ns) {
			fire = lapic_timer_expire_locked(a);
			a->tsc_deadline = 0;
		} else {
			a->timer_armed = true;
			hrtimer_start(&a->timer, ktime_add_ns(ktime_get(), ns),
				      HRTIMER_MODE_ABS_HARD);
		}
	}
	spin_unlock_irqrestore(&a->lock, flags);
	if (fire)
		lapic_timer_notify(a);
}

u64 lapic_timer_get_deadline(struct vmx_lapic *a)
{
	return deadline_mode(a) ? READ_ONCE(a->tsc_deadline) : 0;
}

/* ---- KVM_GET_LAPIC / KVM_SET_LAPIC ---- */

static long get_lapic(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct vmx_lapic *a = vcpu->apic;
	struct kvm_lapic_state *s;
	unsigned long flags;
	long r = 0;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	spin_lock_irqsave(&a->lock, flags);
	memcpy(s->regs, a->regs, sizeof(s->regs));
	*(u32 *)(s->regs + APIC_TMCCT) = lapic_timer_current_count(a);
	spin_unlock_irqrestore(&a->lock, flags);
	/* Without KVM_CAP_X2APIC_API the ID is in xAPIC form, as on KVM. */
	if (lapic_x2apic(vcpu))
		*(u32 *)(s->regs + APIC_ID) <<= ID_XAPIC_SHIFT;
	if (copy_to_user(argp, s, sizeof(*s)))
		r = -EFAULT;
	kfree(s);
	return r;
}

static long set_lapic(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct vmx_lapic *a = vcpu->apic;
	struct kvm_lapic_state *s;
	unsigned long flags;
	u32 *id;
	long r = 0;

	s = memdup_user(argp, sizeof(*s));
	if (IS_ERR(s))
		return PTR_ERR(s);
	id = (u32 *)(s->regs + APIC_ID);
	if (lapic_x2apic(vcpu)) {
		/* The x2APIC ID is the vCPU's and cannot change. */
		*id >>= ID_XAPIC_SHIFT;
		if (*id != vcpu->id) {
			r = -EINVAL;
			goto out;
		}
		*(u32 *)(s->regs + APIC_LDR) = lapic_x2apic_ldr(*id);
	}
	lapic_timer_cancel(a);
	spin_lock_irqsave(&a->lock, flags);
	memcpy(a->regs, s->regs, sizeof(a->regs));
	lapic_set(a, APIC_LVR, LAPIC_VERSION);
	lapic_set(a, APIC_TMCCT, 0);
	lapic_update_ppr(a);
	a->divide = lapic_divide(lapic_get(a, APIC_TDCR));
	a->timer_mode = lapic_get(a, APIC_LVTT) & LVTT_MODE_MASK;
	/* A restored count restarts from its initial value. */
	lapic_timer_start_locked(a);
	spin_unlock_irqrestore(&a->lock, flags);
	if (a->timer_mode == LVTT_TSCDEADLINE)
		lapic_timer_set_deadline(a, a->tsc_deadline);
	vmx_make_request(vcpu, VMX_REQ_EVENT);
out:
	kfree(s);
	return r;
}

long vmx_lapic_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_GET_LAPIC:
	case KVM_SET_LAPIC:
		/* As KVM, for a vCPU without an in-kernel APIC. */
		if (!vcpu->apic)
			return -EINVAL;
		return ioctl == KVM_GET_LAPIC ? get_lapic(vcpu, argp) :
						set_lapic(vcpu, argp);
	default:
		return -ENOIOCTLCMD;
	}
}

long vmx_lapic_check_extension(long cap)
{
	return cap == KVM_CAP_TSC_DEADLINE_TIMER;
}
