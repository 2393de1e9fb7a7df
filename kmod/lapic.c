// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel local APIC (Intel SDM vol. 3 ch. 11): the register page
 * in xAPIC (MMIO) and x2APIC (MSR) form, IA32_APIC_BASE, interrupt
 * priority, EOI, and interrupt/IPI delivery between vCPUs.  The timer and
 * the KVM_GET/SET_LAPIC ioctls are in lapic_timer.c.
 *
 * The registers live in a copy of the xAPIC page under a->lock (IRQs
 * saved: interrupts arrive from any context).  Work that touches other
 * vCPUs or the IOAPIC runs after the lock is dropped.
 */
#include <linux/slab.h>
#include <asm/msr-index.h>

#include "lapic.h"

#define APIC_BASE_RESERVED	0x2ffULL	/* bits 0-7 and 9 */
#define ID_XAPIC_SHIFT		24
#define DFR_FLAT		0xf
#define VEC_REG(base, v)	((base) + ((v) >> 5) * 0x10)

/* Writable bits of the LVT entries (SDM fig. 11-8). */
#define LVT_TIMER_BITS		(APIC_VECTOR_MASK | APIC_LVT_MASKED)
#define LVT_DM_BITS		(APIC_VECTOR_MASK | APIC_MODE_MASK | \
				 APIC_LVT_MASKED)
#define LVT_LINT_BITS		(LVT_DM_BITS | APIC_INPUT_POLARITY | \
				 APIC_LVT_LEVEL_TRIGGER)
#define LVT_ERR_BITS		(APIC_VECTOR_MASK | APIC_LVT_MASKED)
#define SPIV_BITS		0x3ff	/* vector, enable, focus check */
#define TDCR_BITS		0xb
#define ICR_LOW_BITS		0xccfff	/* all but delivery status, rsvd */

/* What a register write leaves to do once the lock is dropped. */
struct lapic_post {
	bool send;
	struct vmx_apic_irq irq;
	int eoi_vector;		/* level-triggered EOI for the IOAPIC */
};

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

static u32 x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | BIT(id & 0xf);
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
static int lapic_eoi_locked(struct vmx_lapic *a)
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
	int i, n = READ_ONCE(vm->nr_vcpus), r = -1;

	smp_rmb();	/* pairs with the publish in vmx_create_vcpu() */
	for (i = 0; i < n; i++) {
		struct vmx_vcpu *t = vm->vcpus[i];

		if (!lapic_match(t, src, irq))
			continue;
		r = max(r, 0) + lapic_accept(t, irq);
		/* Lowest priority: any one of the matching vCPUs will do. */
		if (irq->delivery_mode == LAPIC_DM_LOWEST)
			break;
	}
	return r;
}

static void icr_to_irq(struct vmx_vcpu *vcpu, u32 lo, u32 hi,
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

/* ---- register access ---- */

static bool is_vec_reg(u32 reg)
{
	return reg >= APIC_ISR && reg < APIC_IRR + 0x80 && !(reg & 0xf);
}

/* 0 with *val, or -EINVAL (#GP in x2APIC mode; xAPIC reads give 0). */
static int lapic_reg_read(struct vmx_lapic *a, u32 reg, u64 *val, bool x2)
{
	*val = 0;
	if (is_vec_reg(reg)) {
		*val = lapic_get(a, reg);
		return 0;
	}
	switch (reg) {
	case APIC_ID:
	case APIC_LVR:
	case APIC_TASKPRI:
	case APIC_PROCPRI:
	case APIC_LDR:
	case APIC_SPIV:
	case APIC_ESR:
	case APIC_LVTT:
	case APIC_LVTTHMR:
	case APIC_LVTPC:
	case APIC_LVT0:
	case APIC_LVT1:
	case APIC_LVTERR:
	case APIC_TMICT:
	case APIC_TDCR:
		*val = lapic_get(a, reg);
		return 0;
	case APIC_TMCCT:
		*val = lapic_timer_current_count(a);
		return 0;
	case APIC_ICR:
		*val = lapic_get(a, APIC_ICR);
		if (x2)
			*val |= (u64)lapic_get(a, APIC_ICR2) << 32;
		return 0;
	case APIC_ARBPRI:
	case APIC_DFR:
	case APIC_ICR2:
		if (!x2)
			*val = lapic_get(a, reg);
		break;
	}
	return x2 ? -EINVAL : 0;
}

static void lapic_set_lvt(struct vmx_lapic *a, u32 reg, u32 val, u32 bits)
{
	val &= bits;
	/* A software-disabled APIC keeps every LVT entry masked. */
	if (!lapic_sw_enabled(a))
		val |= APIC_LVT_MASKED;
	lapic_set(a, reg, val);
}

static void lapic_write_lvtt(struct vmx_lapic *a, u32 val)
{
	u32 bits = LVT_TIMER_BITS | LVTT_PERIODIC;
	u32 old = lapic_get(a, APIC_LVTT);

	if (lapic_guest_cpuid_has(a->vcpu, CPUID1_ECX_TSC_DEADLINE))
		bits |= LVTT_TSCDEADLINE;
	lapic_set_lvt(a, APIC_LVTT, val, bits);
	if ((old ^ lapic_get(a, APIC_LVTT)) & LVTT_MODE_MASK) {
		/* A new mode starts stopped (the caller cancelled it). */
		lapic_set(a, APIC_TMICT, 0);
		a->tsc_deadline = 0;
		a->timer_armed = false;
	}
	a->timer_mode = lapic_get(a, APIC_LVTT) & LVTT_MODE_MASK;
}

static void lapic_write_spiv(struct vmx_lapic *a, u32 val)
{
	static const u32 lvts[] = { APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC,
				    APIC_LVT0, APIC_LVT1, APIC_LVTERR };
	int i;

	lapic_set(a, APIC_SPIV, val & SPIV_BITS);
	if (lapic_sw_enabled(a))
		return;
	for (i = 0; i < ARRAY_SIZE(lvts); i++)
		lapic_set(a, lvts[i], lapic_get(a, lvts[i]) | APIC_LVT_MASKED);
}

/* Under the lock.  0, or -EINVAL for a #GP (x2APIC only). */
static int lapic_write_locked(struct vmx_lapic *a, u32 reg, u64 val,
			      bool x2, struct lapic_post *post)
{
	struct vmx_vcpu *vcpu = a->vcpu;
	u32 v = val;

	if (x2 && reg != APIC_ICR && (val >> 32))
		return -EINVAL;
	switch (reg) {
	case APIC_ID:
		if (x2)
			return -EINVAL;
		lapic_set(a, APIC_ID, v & 0xff000000);
		break;
	case APIC_TASKPRI:
		lapic_set(a, APIC_TASKPRI, v & 0xff);
		lapic_update_ppr(a);
		break;
	case APIC_EOI:
		if (x2 && v)
			return -EINVAL;
		post->eoi_vector = lapic_eoi_locked(a);
		break;
	case APIC_LDR:
		if (x2)
			return -EINVAL;
		lapic_set(a, APIC_LDR, v & 0xff000000);
		break;
	case APIC_DFR:
		if (x2)
			return -EINVAL;
		lapic_set(a, APIC_DFR, v | 0x0fffffff);
		break;
	case APIC_SPIV:
		lapic_write_spiv(a, v);
		break;
	case APIC_ESR:
		if (x2 && v)
			return -EINVAL;
		lapic_set(a, APIC_ESR, 0);	/* no errors are latched */
		break;
	case APIC_ICR:
		lapic_set(a, APIC_ICR, v & ICR_LOW_BITS);
		if (x2)
			lapic_set(a, APIC_ICR2, val >> 32);
		icr_to_irq(vcpu, v, lapic_get(a, APIC_ICR2), &post->irq);
		post->send = true;
		break;
	case APIC_ICR2:
		if (x2)
			return -EINVAL;
		lapic_set(a, APIC_ICR2, v & 0xff000000);
		break;
	case APIC_LVTT:
		lapic_write_lvtt(a, v);
		break;
	case APIC_LVTTHMR:
	case APIC_LVTPC:
		lapic_set_lvt(a, reg, v, LVT_DM_BITS);
		break;
	case APIC_LVT0:
	case APIC_LVT1:
		lapic_set_lvt(a, reg, v, LVT_LINT_BITS);
		break;
	case APIC_LVTERR:
		lapic_set_lvt(a, reg, v, LVT_ERR_BITS);
		break;
	case APIC_TMICT:
		if (a->timer_mode == LVTT_TSCDEADLINE)
			break;	/* ignored in TSC-deadline mode */
		lapic_set(a, APIC_TMICT, v);
		lapic_timer_start_locked(a);
		break;
	case APIC_TDCR:
		lapic_set(a, APIC_TDCR, v & TDCR_BITS);
		a->divide = lapic_divide(v);
		break;
	case APIC_SELF_IPI:
		if (!x2)
			break;
		if (v & ~APIC_VECTOR_MASK)
			return -EINVAL;
		post->irq = (struct vmx_apic_irq){ .vector = v, .shorthand = 1 };
		post->send = true;
		break;
	default:
		/* Read-only and reserved: #GP in x2APIC, ignored in xAPIC. */
		return x2 ? -EINVAL : 0;
	}
	return 0;
}

static int lapic_reg_write(struct vmx_vcpu *vcpu, u32 reg, u64 val, bool x2)
{
	struct vmx_lapic *a = vcpu->apic;
	struct lapic_post post = { .eoi_vector = -1 };
	unsigned long flags;
	bool stop;
	int r;

	/*
	 * Only this vCPU's thread arms the timer; stop it first where the
	 * write restarts it, so the callback never runs against new state.
	 */
	stop = (reg == APIC_TMICT && a->timer_mode != LVTT_TSCDEADLINE) ||
	       (reg == APIC_LVTT &&
		((val ^ lapic_get(a, APIC_LVTT)) & LVTT_MODE_MASK));
	if (stop)
		lapic_timer_cancel(a);
	spin_lock_irqsave(&a->lock, flags);
	r = lapic_write_locked(a, reg, val, x2, &post);
	/* The mode bit was refused (no CPUID bit): keep counting. */
	if (stop && reg == APIC_LVTT && lapic_get(a, APIC_TMICT))
		lapic_timer_start_locked(a);
	spin_unlock_irqrestore(&a->lock, flags);
	if (post.send)
		vmx_apic_deliver(vcpu->vm, vcpu, &post.irq);
	if (post.eoi_vector >= 0)
		vmx_ioapic_eoi(vcpu->vm, post.eoi_vector);
	/* TPR, EOI and enable changes can make an interrupt deliverable. */
	vmx_make_request(vcpu, VMX_REQ_EVENT);
	return r;
}

int vmx_lapic_mmio(struct vmx_vcpu *vcpu, u64 gpa, int len, void *val,
		   bool write)
{
	u64 base = vcpu->apic_base & MSR_IA32_APICBASE_BASE;
	u32 off = gpa - base, reg = off & ~0xf;
	u64 v;

	if (gpa < base || gpa >= base + PAGE_SIZE)
		return -EOPNOTSUPP;
	/*
	 * Disabled or in x2APIC mode, the page is a hole that reads all
	 * ones, as KVM's default KVM_X86_QUIRK_LAPIC_MMIO_HOLE.
	 */
	if (!lapic_hw_enabled(vcpu) || lapic_x2apic(vcpu)) {
		if (!write)
			memset(val, 0xff, len);
		return 0;
	}
	if (write) {
		/* Registers take aligned 32-bit stores; others are dropped. */
		if (len == 4 && !(off & 0xf) && off < LAPIC_REGS_SIZE)
			lapic_reg_write(vcpu, off, *(u32 *)val, false);
		return 0;
	}
	memset(val, 0, len);
	if ((off & 0xf) + len <= 4 && off < LAPIC_REGS_SIZE) {
		lapic_reg_read(vcpu->apic, reg, &v, false);
		memcpy(val, (u8 *)&v + (off & 0xf), len);
	}
	return 0;
}

/* ---- IA32_APIC_BASE, MSRs, CR8 ---- */

static int lapic_set_base(struct vmx_vcpu *vcpu, u64 val, bool host)
{
	struct vmx_lapic *a = vcpu->apic;
	u64 rsvd = APIC_BASE_RESERVED | ~GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, 0);
	u64 old = vcpu->apic_base, en = MSR_IA32_APICBASE_ENABLE;
	unsigned long flags;

	if (!lapic_guest_cpuid_has(vcpu, CPUID1_ECX_X2APIC))
		rsvd |= X2APIC_ENABLE;
	/* SDM 11.12.5: EXTD without EN is invalid. */
	if ((val & rsvd) || (val & (en | X2APIC_ENABLE)) == X2APIC_ENABLE)
		return -EINVAL;
	/* x2APIC -> xAPIC and disabled -> x2APIC must pass the other way. */
	if (!host && (old & X2APIC_ENABLE) && !(val & X2APIC_ENABLE) &&
	    (val & en))
		return -EINVAL;
	if (!host && !(old & en) && (val & X2APIC_ENABLE))
		return -EINVAL;

	spin_lock_irqsave(&a->lock, flags);
	vcpu->apic_base = val;
	if ((val & X2APIC_ENABLE) && !(old & X2APIC_ENABLE)) {
		lapic_set(a, APIC_ID, vcpu->id);
		lapic_set(a, APIC_LDR, x2apic_ldr(vcpu->id));
	} else if ((val & en) && !(val & X2APIC_ENABLE) &&
		   ((old & X2APIC_ENABLE) || !(old & en))) {
		lapic_set(a, APIC_ID, vcpu->id << ID_XAPIC_SHIFT);
		lapic_set(a, APIC_LDR, 0);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	vmx_make_request(vcpu, VMX_REQ_EVENT);
	return 0;
}

int vmx_lapic_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data, bool write,
		  bool host)
{
	struct vmx_lapic *a = vcpu->apic;
	u32 reg = (index - APIC_BASE_MSR) << 4;

	switch (index) {
	case MSR_IA32_APICBASE:
		if (write)
			return lapic_set_base(vcpu, *data, host);
		*data = vcpu->apic_base;
		return 0;
	case MSR_IA32_TSC_DEADLINE:
		if (write)
			lapic_timer_set_deadline(a, *data);
		else
			*data = lapic_timer_get_deadline(a);
		return 0;
	}
	if (index < APIC_BASE_MSR || index > APIC_BASE_MSR + 0xff)
		return 1;
	if (!lapic_x2apic(vcpu))
		return -EINVAL;
	if (write)
		return lapic_reg_write(vcpu, reg, *data, true);
	/* EOI and SELF_IPI are write-only in x2APIC mode. */
	if (reg == APIC_EOI || reg == APIC_SELF_IPI)
		return -EINVAL;
	return lapic_reg_read(a, reg, data, true);
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
		lapic_set(a, APIC_LDR, x2apic_ldr(vcpu->id));
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
