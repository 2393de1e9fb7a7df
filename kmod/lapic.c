// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel local APIC (Intel SDM vol. 3 ch. 11): the register page
 * in xAPIC (MMIO) and x2APIC (MSR) form, IA32_APIC_BASE, interrupt
 * priority, EOI, and interrupt/IPI delivery between vCPUs.  The timer and
 * the KVM_GET/SET_LAPIC ioctls are in lapic_timer.c, register access in
 * lapic_regs.c.
 *
 * The registers live in a copy of the xAPIC page under a->lock (IRQs
 * saved: interrupts arrive from any context).  Work that touches other
 * vCPUs or the IOAPIC runs after the lock is dropped.
 */
#include <linux/slab.h>
#include <asm/msr-index.h>

#include "lapic.h"

#define DFR_FLAT		0xf
#define VEC_REG(base, v)	((base) + ((v) >> 5) * 0x10)

bool lapic_guest_cpuid_has(struct vmx_vcpu *vcpu, u32 ecx_bit)
{
	int i;

	for (i = 0; i < vcpu->cpuid_nent; i++)
		if (vcpu->cpuid[i].function == 1)
			return vcpu->cpuid[i].ecx & ecx_bit;
	return false;
}

static int highest_vec(struct vmx_lapic *a, u32 base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 w = lapic_get(a, base + i * 0x10);

		if (w)
			return i * 32 + __fls(w);
	}
	return -1;
}

static void vec_assign(struct vmx_lapic *a, u32 base, u8 v, bool set)
{
	u32 w = lapic_get(a, VEC_REG(base, v));

	w = set ? (w | BIT(v & 31)) : (w & ~BIT(v & 31));
	lapic_set(a, VEC_REG(base, v), w);
}

static bool vec_test(struct vmx_lapic *a, u32 base, u8 v)
{
	return lapic_get(a, VEC_REG(base, v)) & BIT(v & 31);
}

void lapic_update_ppr(struct vmx_lapic *a)
{
	u32 tpr = lapic_get(a, APIC_TASKPRI) & 0xff;
	int isr = highest_vec(a, APIC_ISR);
	u32 isrv = isr < 0 ? 0 : isr & 0xf0;

	lapic_set(a, APIC_PROCPRI, (tpr & 0xf0) >= isrv ? tpr : isrv);
}

void lapic_set_irr_locked(struct vmx_lapic *a, u8 vector, bool level)
{
	vec_assign(a, APIC_IRR, vector, true);
	vec_assign(a, APIC_TMR, vector, level);
}

/* ---- priority, acknowledge, EOI ---- */

int vmx_apic_has_interrupt(struct vmx_vcpu *vcpu)
{
	struct vmx_lapic *a = vcpu->apic;
	unsigned long flags;
	int v = -1;

	if (!lapic_hw_enabled(vcpu))
		return -1;
	spin_lock_irqsave(&a->lock, flags);
	if (lapic_sw_enabled(a)) {
		v = highest_vec(a, APIC_IRR);
		if (v >= 0 && (v & 0xf0) <= (lapic_get(a, APIC_PROCPRI) & 0xf0))
			v = -1;
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return v;
}

void vmx_apic_ack_interrupt(struct vmx_vcpu *vcpu, int vector)
{
	struct vmx_lapic *a = vcpu->apic;
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	vec_assign(a, APIC_IRR, vector, false);
	vec_assign(a, APIC_ISR, vector, true);
	lapic_update_ppr(a);
	spin_unlock_irqrestore(&a->lock, flags);
}

bool vmx_apic_accept_pic_intr(struct vmx_vcpu *vcpu)
{
	u32 lvt0 = lapic_get(vcpu->apic, APIC_LVT0);

	if (!lapic_hw_enabled(vcpu))
		return true;
	return !(lvt0 & APIC_LVT_MASKED) &&
	       (lvt0 & APIC_MODE_MASK) == APIC_DM_EXTINT;
}

/* Under the lock: retire the highest in-service vector. */
int lapic_eoi_locked(struct vmx_lapic *a)
{
	int v = highest_vec(a, APIC_ISR);

	if (v < 0)
		return -1;
	vec_assign(a, APIC_ISR, v, false);
	lapic_update_ppr(a);
	return vec_test(a, APIC_TMR, v) ? v : -1;
}

/* ---- delivery ---- */

static bool lapic_match(struct vmx_vcpu *t, struct vmx_vcpu *src,
			const struct vmx_apic_irq *irq)
{
	struct vmx_lapic *a = t->apic;
	u32 dest = irq->dest_id, ldr;
	bool x2;

	if (!a || !lapic_hw_enabled(t))
		return false;
	switch (irq->shorthand) {
	case 1:
		return t == src;
	case 2:
		return true;
	case 3:
		return t != src;
	}
	x2 = lapic_x2apic(t);
	/* An xAPIC-format broadcast still reaches x2APIC targets. */
	if (x2 && dest == 0xff && !(src && lapic_x2apic(src)))
		dest = U32_MAX;
	if (x2) {
		if (dest == U32_MAX)
			return true;
		if (!irq->dest_logical)
			return dest == t->id;
		ldr = lapic_get(a, APIC_LDR);
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	}
	dest &= 0xff;
	if (dest == 0xff)
		return true;
	if (!irq->dest_logical)
		return dest == lapic_get(a, APIC_ID) >> ID_XAPIC_SHIFT;
	ldr = lapic_get(a, APIC_LDR) >> ID_XAPIC_SHIFT;
	if (lapic_get(a, APIC_DFR) >> 28 == DFR_FLAT)
		return dest & ldr;
	/* Cluster model: cluster in bits 7:4, members in 3:0. */
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

static int lapic_accept(struct vmx_vcpu *t, const struct vmx_apic_irq *irq)
{
	struct vmx_lapic *a = t->apic;
	unsigned long flags;
	bool ok;

	switch (irq->delivery_mode) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		spin_lock_irqsave(&a->lock, flags);
		ok = lapic_sw_enabled(a);
		if (ok)
			lapic_set_irr_locked(a, irq->vector, irq->trig_level);
		spin_unlock_irqrestore(&a->lock, flags);
		if (!ok)
			return 0;
		break;
	case LAPIC_DM_NMI:
		vmx_vcpu_deliver_nmi(t);
		return 1;
	case LAPIC_DM_INIT:
		/* The level de-assert of old SMP start-up does nothing. */
		if (irq->trig_level && !irq->level)
			return 0;
		vmx_vcpu_deliver_init(t);
		return 1;
	case LAPIC_DM_SIPI:
		vmx_vcpu_deliver_sipi(t, irq->vector);
		return 1;
	case LAPIC_DM_EXTINT:
		break;	/* the PIC supplies the vector */
	default:
		return 0;	/* SMI and reserved modes */
	}
	vmx_make_request(t, VMX_REQ_EVENT);
	vmx_vcpu_kick(t);
	return 1;
}

int vmx_apic_deliver(struct vmx_vm *vm, struct vmx_vcpu *src,
		     const struct vmx_apic_irq *irq)
{
	int i, n = READ_ONCE(vm->nr_vcpus), r = -1, accepted;

	smp_rmb();	/* pairs with the publish in vmx_create_vcpu() */
	for (i = 0; i < n; i++) {
		struct vmx_vcpu *t = vm->vcpus[i];

		if (!lapic_match(t, src, irq))
			continue;
		accepted = lapic_accept(t, irq);
		r = max(r, 0) + accepted;
		/* Lowest priority: any one accepting vCPU will do. */
		if (irq->delivery_mode == LAPIC_DM_LOWEST && accepted)
			break;
	}
	return r;
}

void lapic_icr_to_irq(struct vmx_vcpu *vcpu, u32 lo, u32 hi,
		      struct vmx_apic_irq *irq)
{
	*irq = (struct vmx_apic_irq){
		.dest_id = lapic_x2apic(vcpu) ? hi : hi >> ID_XAPIC_SHIFT,
		.vector = lo & APIC_VECTOR_MASK,
		.delivery_mode = (lo & APIC_MODE_MASK) >> ICR_DM_SHIFT,
		.shorthand = (lo >> ICR_SHORTHAND_SHIFT) & 3,
		.dest_logical = lo & ICR_DEST_LOGICAL,
		.level = lo & ICR_LEVEL_ASSERT,
		.trig_level = lo & ICR_TRIG_LEVEL,
	};
}

u8 vmx_lapic_get_cr8(struct vmx_vcpu *vcpu)
{
	return (lapic_get(vcpu->apic, APIC_TASKPRI) >> 4) & 0xf;
}

void vmx_lapic_set_cr8(struct vmx_vcpu *vcpu, u8 cr8)
{
	struct vmx_lapic *a = vcpu->apic;
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	lapic_set(a, APIC_TASKPRI, (cr8 & 0xf) << 4);
	lapic_update_ppr(a);
	spin_unlock_irqrestore(&a->lock, flags);
	vmx_make_request(vcpu, VMX_REQ_EVENT);
}

/* ---- life cycle ---- */

void vmx_lapic_reset(struct vmx_vcpu *vcpu, bool init)
{
	static const u32 lvts[] = { APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC,
				    APIC_LVT0, APIC_LVT1, APIC_LVTERR };
	struct vmx_lapic *a = vcpu->apic;
	bool x2 = lapic_x2apic(vcpu);
	unsigned long flags;
	u32 id;
	int i;

	lapic_timer_cancel(a);
	spin_lock_irqsave(&a->lock, flags);
	/* INIT keeps the APIC ID (SDM 11.4.7.3); power-on derives it. */
	id = lapic_get(a, APIC_ID);
	if (!init)
		id = x2 ? vcpu->id : vcpu->id << ID_XAPIC_SHIFT;
	memset(a->regs, 0, sizeof(a->regs));
	lapic_set(a, APIC_ID, id);
	lapic_set(a, APIC_LVR, LAPIC_VERSION);
	lapic_set(a, APIC_DFR, U32_MAX);
	lapic_set(a, APIC_SPIV, 0xff);
	for (i = 0; i < ARRAY_SIZE(lvts); i++)
		lapic_set(a, lvts[i], APIC_LVT_MASKED);
	/* As KVM: the BSP's LINT0 takes the 8259 after reset. */
	if (vcpu->apic_base & MSR_IA32_APICBASE_BSP)
		lapic_set(a, APIC_LVT0, APIC_DM_EXTINT);
	if (x2)
		lapic_set(a, APIC_LDR, lapic_x2apic_ldr(vcpu->id));
	a->divide = lapic_divide(0);
	a->timer_mode = LVTT_ONESHOT;
	a->tsc_deadline = 0;
	a->timer_armed = false;
	spin_unlock_irqrestore(&a->lock, flags);
}

int vmx_lapic_create(struct vmx_vcpu *vcpu)
{
	struct vmx_lapic *a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);

	if (!a)
		return -ENOMEM;
	a->vcpu = vcpu;
	spin_lock_init(&a->lock);
	lapic_timer_init(a);
	vcpu->apic = a;
	vmx_lapic_reset(vcpu, false);
	return 0;
}

void vmx_lapic_free(struct vmx_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->apic->timer);
	kfree(vcpu->apic);
	vcpu->apic = NULL;
}
