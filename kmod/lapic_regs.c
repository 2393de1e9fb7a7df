// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC register access: the xAPIC page (MMIO), the x2APIC MSRs
 * (0x800-0x8ff), IA32_APIC_BASE and IA32_TSC_DEADLINE.  Reads and writes
 * run under a->lock; what reaches other vCPUs or the IOAPIC (IPIs, EOIs)
 * runs after it is dropped.
 */
#include <asm/msr-index.h>

#include "lapic.h"

#define APIC_BASE_RESERVED	0x2ffULL	/* bits 0-7 and 9 */

/* Writable bits of the LVT entries (SDM fig. 11-8). */
#define LVT_TIMER_BITS		(APIC_VECTOR_MASK | APIC_LVT_MASKED)
#define LVT_DM_BITS		(APIC_VECTOR_MASK | APIC_MODE_MASK | \
				 APIC_LVT_MASKED)
#define LVT_LINT_BITS		(LVT_DM_BITS | APIC_INPUT_POLARITY | \
				 APIC_LVT_LEVEL_TRIGGER)
#define LVT_ERR_BITS		(APIC_VECTOR_MASK | APIC_LVT_MASKED)
#define SPIV_BITS		0x3ff	/* vector, enable, focus check */
#define TDCR_BITS		0xb
/* ICR low reads back as written but for delivery status, as on KVM. */
#define ICR_LOW_BITS		(~(u32)APIC_ICR_BUSY)

/* What a register write leaves to do once the lock is dropped. */
struct lapic_post {
	bool send;
	struct vmx_apic_irq irq;
	int eoi_vector;		/* level-triggered EOI for the IOAPIC */
};

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

static int lapic_read(struct vmx_lapic *a, u32 reg, u64 *val, bool x2)
{
	unsigned long flags;
	int r;

	spin_lock_irqsave(&a->lock, flags);
	r = lapic_reg_read(a, reg, val, x2);
	spin_unlock_irqrestore(&a->lock, flags);
	return r;
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
		lapic_icr_to_irq(vcpu, v, lapic_get(a, APIC_ICR2), &post->irq);
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
		lapic_read(vcpu->apic, reg, &v, false);
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
		lapic_set(a, APIC_LDR, lapic_x2apic_ldr(vcpu->id));
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
	return lapic_read(a, reg, data, true);
}
