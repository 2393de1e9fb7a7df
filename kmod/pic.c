// SPDX-License-Identifier: GPL-2.0
/*
 * The cascaded 8259A pair (8259A datasheet) with the PIIX edge/level
 * control registers (ELCR).  The master's INT line is the BSP's ExtINT;
 * the slave's INT drives master IR2.  kvm_pic_state is the chip state:
 * last_irr holds the input line levels, irr the latched requests.
 */
#include <linux/bitops.h>

#include "core.h"
#include "irqchip.h"

#define PIC_MASTER_PORT		0x20
#define PIC_SLAVE_PORT		0xa0
#define PIC_ELCR_PORT		0x4d0
#define PIC_CASCADE_PIN		2
#define PIC_SPURIOUS_PIN	7

/* Written to the command port (A0 = 0). */
#define ICW1			0x10
#define ICW1_IC4		0x01	/* ICW4 follows */
#define ICW1_SNGL		0x02	/* single: no ICW3 */
#define OCW3			0x08
#define OCW3_RIS		0x01	/* read ISR (else IRR) */
#define OCW3_RR			0x02	/* RIS is valid */
#define OCW3_POLL		0x04
#define OCW3_SMM		0x20	/* set special mask mode */
#define OCW3_ESMM		0x40	/* SMM is valid */
#define OCW2_CMD(v)		((v) >> 5)
#define OCW2_LEVEL(v)		((v) & 7)
enum {
	OCW2_ROTATE_AEOI_CLEAR = 0,
	OCW2_EOI = 1,
	OCW2_NOP = 2,
	OCW2_SPECIFIC_EOI = 3,
	OCW2_ROTATE_AEOI_SET = 4,
	OCW2_ROTATE_EOI = 5,
	OCW2_SET_PRIORITY = 6,
	OCW2_ROTATE_SPECIFIC_EOI = 7,
};
#define ICW4_AEOI		0x02
#define ICW4_SFNM		0x10
#define POLL_IRQ		0x80

/* The PIIX ELCR: IRQ0-2, 8 and 13 are always edge-triggered. */
#define ELCR_MASK_MASTER	0xf8
#define ELCR_MASK_SLAVE		0xde

static struct vmx_pic *vm_pic(struct vmx_vm *vm)
{
	/* Pairs with the publish in create_irqchip(). */
	return &smp_load_acquire(&vm->irqchip)->pic;
}

/* Priority level 0 (highest) .. 7 of the best bit of @mask; 8 if none. */
static int get_priority(const struct kvm_pic_state *s, u8 mask)
{
	int prio;

	if (!mask)
		return 8;
	for (prio = 0; !(mask & BIT((prio + s->priority_add) & 7)); prio++)
		;
	return prio;
}

/* The IR this chip would raise INT for now, or -1. */
static int pic_get_irq(const struct kvm_pic_state *s, bool master)
{
	u8 in_service = s->isr;
	int prio = get_priority(s, s->irr & ~s->imr);

	if (prio == 8)
		return -1;
	/* Special mask mode: a masked level in service blocks no one. */
	if (s->special_mask)
		in_service &= ~s->imr;
	/* Fully nested: the slave may interrupt its own service routine. */
	if (master && s->special_fully_nested_mode)
		in_service &= ~BIT(PIC_CASCADE_PIN);
	return prio < get_priority(s, in_service) ?
	       (prio + s->priority_add) & 7 : -1;
}

/* An input line changes; returns -1 masked, 0 coalesced, 1 raised. */
static int pic_set_irq1(struct kvm_pic_state *s, int irq, int level)
{
	u8 mask = BIT(irq);
	int ret = 1;

	if (level) {
		/*
		 * Level: IRR follows the line; edge: only a rising edge
		 * latches (a line already high reports 1, as in KVM).
		 */
		if ((s->elcr & mask) || !(s->last_irr & mask)) {
			ret = !(s->irr & mask);
			s->irr |= mask;
		}
		s->last_irr |= mask;
	} else {
		if (s->elcr & mask)
			s->irr &= ~mask;
		s->last_irr &= ~mask;
	}
	return (s->imr & mask) ? -1 : ret;
}

/* Propagate the slave's INT to master IR2; true when the master's INT is up. */
static bool pic_update(struct vmx_pic *pic)
{
	struct kvm_pic_state *m = &pic->chip[0].s;

	if (pic_get_irq(&pic->chip[1].s, false) >= 0)
		m->irr |= BIT(PIC_CASCADE_PIN);
	else
		m->irr &= ~BIT(PIC_CASCADE_PIN);
	return pic_get_irq(m, true) >= 0;
}

/* INTA (or a poll read) of @irq on chip @id. */
static void pic_intack(struct vmx_pic *pic, int id, int irq)
{
	struct kvm_pic_state *s = &pic->chip[id].s;

	if (s->auto_eoi) {
		if (s->rotate_on_auto_eoi)
			s->priority_add = (irq + 1) & 7;
		pic->acked |= BIT(irq + 8 * id);
	} else {
		s->isr |= BIT(irq);
	}
	/* A level request stays latched while its line is asserted. */
	if (!(s->elcr & BIT(irq)))
		s->irr &= ~BIT(irq);
}

/*
 * After the lock is dropped: report EOIs to the ack notifiers and make
 * the BSP look at a raised INT.
 */
static void pic_after(struct vmx_vm *vm, struct vmx_pic *pic, bool out)
{
	unsigned long flags, acked;
	struct vmx_vcpu *bsp;
	int pin;

	spin_lock_irqsave(&pic->lock, flags);
	acked = pic->acked;
	pic->acked = 0;
	spin_unlock_irqrestore(&pic->lock, flags);
	for_each_set_bit(pin, &acked, VMX_PIC_PINS)
		vmx_irqchip_acked(vm, pin / 8, pin % 8);

	bsp = out ? vmx_vcpu_by_id(vm, 0) : NULL;
	if (bsp) {
		vmx_make_request(bsp, VMX_REQ_EVENT);
		vmx_vcpu_kick(bsp);
	}
}

int vmx_pic_set_irq(struct vmx_vm *vm, int pin, int level)
{
	struct vmx_pic *pic = vm_pic(vm);
	unsigned long flags;
	bool out;
	int ret;

	spin_lock_irqsave(&pic->lock, flags);
	ret = pic_set_irq1(&pic->chip[pin / 8].s, pin % 8, level);
	out = pic_update(pic);
	spin_unlock_irqrestore(&pic->lock, flags);
	pic_after(vm, pic, out);
	return ret;
}

/* The vector INTA would return: @ack also performs the INTA cycle. */
static int pic_intr(struct vmx_pic *pic, bool ack)
{
	struct kvm_pic_state *m = &pic->chip[0].s, *sl = &pic->chip[1].s;
	int irq, irq2;

	irq = pic_get_irq(m, true);
	if (irq < 0) {
		/* The request went away before INTA: spurious IR7. */
		return ack ? m->irq_base + PIC_SPURIOUS_PIN : -1;
	}
	if (ack)
		pic_intack(pic, 0, irq);
	if (irq != PIC_CASCADE_PIN)
		return m->irq_base + irq;
	irq2 = pic_get_irq(sl, false);
	if (irq2 < 0)
		irq2 = PIC_SPURIOUS_PIN;	/* IR15 */
	else if (ack)
		pic_intack(pic, 1, irq2);
	return sl->irq_base + irq2;
}

int vmx_pic_has_interrupt(struct vmx_vm *vm)
{
	struct vmx_pic *pic;
	unsigned long flags;
	int v;

	if (!vmx_irqchip_in_kernel(vm))
		return -1;
	pic = vm_pic(vm);
	spin_lock_irqsave(&pic->lock, flags);
	v = pic_intr(pic, false);
	spin_unlock_irqrestore(&pic->lock, flags);
	return v;
}

int vmx_pic_read_irq(struct vmx_vm *vm)
{
	struct vmx_pic *pic;
	unsigned long flags;
	int v;

	if (!vmx_irqchip_in_kernel(vm))
		return -1;
	pic = vm_pic(vm);
	spin_lock_irqsave(&pic->lock, flags);
	v = pic_intr(pic, true);
	pic_update(pic);
	spin_unlock_irqrestore(&pic->lock, flags);
	/* The caller is the BSP taking the interrupt: no kick needed. */
	pic_after(vm, pic, false);
	return v;
}

/* ICW1: start of the initialization sequence. */
static void pic_icw1(struct vmx_pic *pic, int id, u8 val)
{
	struct vmx_8259 *c = &pic->chip[id];
	struct kvm_pic_state *s = &c->s;

	pic->acked |= s->isr << (8 * id);
	s->isr = 0;
	/* Edge sense is reset: an edge input needs a new rising edge. */
	s->irr = s->last_irr & s->elcr;
	s->imr = 0;
	s->priority_add = 0;
	s->special_mask = 0;
	s->read_reg_select = 0;
	s->poll = 0;
	s->rotate_on_auto_eoi = 0;
	s->init4 = !!(val & ICW1_IC4);
	c->single = !!(val & ICW1_SNGL);
	if (!s->init4) {
		s->auto_eoi = 0;
		s->special_fully_nested_mode = 0;
	}
	s->init_state = 1;
}

static void pic_eoi(struct vmx_pic *pic, int id, int irq, bool rotate)
{
	struct kvm_pic_state *s = &pic->chip[id].s;

	s->isr &= ~BIT(irq);
	if (rotate)
		s->priority_add = (irq + 1) & 7;
	pic->acked |= BIT(irq + 8 * id);
}

static void pic_ocw2(struct vmx_pic *pic, int id, u8 val)
{
	struct kvm_pic_state *s = &pic->chip[id].s;
	int prio;

	switch (OCW2_CMD(val)) {
	case OCW2_ROTATE_AEOI_CLEAR:
	case OCW2_ROTATE_AEOI_SET:
		s->rotate_on_auto_eoi = OCW2_CMD(val) == OCW2_ROTATE_AEOI_SET;
		break;
	case OCW2_EOI:
	case OCW2_ROTATE_EOI:
		/* Non-specific: the highest-priority level in service. */
		prio = get_priority(s, s->isr);
		if (prio != 8)
			pic_eoi(pic, id, (prio + s->priority_add) & 7,
				OCW2_CMD(val) == OCW2_ROTATE_EOI);
		break;
	case OCW2_SPECIFIC_EOI:
	case OCW2_ROTATE_SPECIFIC_EOI:
		pic_eoi(pic, id, OCW2_LEVEL(val),
			OCW2_CMD(val) == OCW2_ROTATE_SPECIFIC_EOI);
		break;
	case OCW2_SET_PRIORITY:
		/* The given level becomes the lowest priority. */
		s->priority_add = (OCW2_LEVEL(val) + 1) & 7;
		break;
	default:
		break;
	}
}

static void pic_write_cmd(struct vmx_pic *pic, int id, u8 val)
{
	struct kvm_pic_state *s = &pic->chip[id].s;

	if (val & ICW1) {
		pic_icw1(pic, id, val);
	} else if (val & OCW3) {
		if (val & OCW3_POLL)
			s->poll = 1;
		if (val & OCW3_RR)
			s->read_reg_select = val & OCW3_RIS;
		if (val & OCW3_ESMM)
			s->special_mask = !!(val & OCW3_SMM);
	} else {
		pic_ocw2(pic, id, val);
	}
}

static void pic_write_data(struct vmx_pic *pic, int id, u8 val)
{
	struct vmx_8259 *c = &pic->chip[id];
	struct kvm_pic_state *s = &c->s;

	switch (s->init_state) {
	case 0:		/* OCW1 */
		s->imr = val;
		break;
	case 1:		/* ICW2: vector base (8086 mode) */
		s->irq_base = val & 0xf8;
		s->init_state = c->single ? (s->init4 ? 3 : 0) : 2;
		break;
	case 2:		/* ICW3: cascade wiring, fixed here */
		s->init_state = s->init4 ? 3 : 0;
		break;
	default:	/* ICW4 */
		s->auto_eoi = !!(val & ICW4_AEOI);
		s->special_fully_nested_mode = !!(val & ICW4_SFNM);
		s->init_state = 0;
		break;
	}
}

/* Poll command: the read is an INTA that returns the level, not a vector. */
static u8 pic_poll(struct vmx_pic *pic, int id)
{
	int irq = pic_get_irq(&pic->chip[id].s, id == 0);

	if (irq < 0)
		return 0;
	pic_intack(pic, id, irq);
	return POLL_IRQ | irq;
}

/* Ports 0x20-0x21 and 0xa0-0xa1: A0 selects command or data. */
static int pic_port_write(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			  u64 addr, int len, const void *val)
{
	struct vmx_pic *pic = vm_pic(vcpu->vm);
	int id = (addr & ~1ULL) == PIC_SLAVE_PORT;
	unsigned long flags;
	bool out;

	/* As KVM: the chips take byte accesses only, others are dropped. */
	if (len != 1)
		return 0;
	spin_lock_irqsave(&pic->lock, flags);
	if (addr & 1)
		pic_write_data(pic, id, *(const u8 *)val);
	else
		pic_write_cmd(pic, id, *(const u8 *)val);
	out = pic_update(pic);
	spin_unlock_irqrestore(&pic->lock, flags);
	pic_after(vcpu->vm, pic, out);
	return 0;
}

static int pic_port_read(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			 u64 addr, int len, void *val)
{
	struct vmx_pic *pic = vm_pic(vcpu->vm);
	int id = (addr & ~1ULL) == PIC_SLAVE_PORT;
	struct kvm_pic_state *s = &pic->chip[id].s;
	unsigned long flags;
	bool out;
	u8 v;

	if (len != 1) {
		memset(val, 0, len);
		return 0;
	}
	spin_lock_irqsave(&pic->lock, flags);
	if (s->poll) {
		s->poll = 0;
		v = pic_poll(pic, id);
	} else if (addr & 1) {
		v = s->imr;
	} else {
		v = s->read_reg_select ? s->isr : s->irr;
	}
	out = pic_update(pic);
	spin_unlock_irqrestore(&pic->lock, flags);
	pic_after(vcpu->vm, pic, out);
	*(u8 *)val = v;
	return 0;
}

/* ELCR at 0x4d0 (master) and 0x4d1 (slave): 1 = level-triggered. */
static int elcr_write(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
		      u64 addr, int len, const void *val)
{
	struct vmx_pic *pic = vm_pic(vcpu->vm);
	struct kvm_pic_state *s = &pic->chip[addr & 1].s;
	unsigned long flags;
	bool out;

	/* As KVM: the chips take byte accesses only, others are dropped. */
	if (len != 1)
		return 0;
	spin_lock_irqsave(&pic->lock, flags);
	s->elcr = *(const u8 *)val & s->elcr_mask;
	/* Level inputs latch what their line says right now. */
	s->irr = (s->irr & ~s->elcr) | (s->last_irr & s->elcr);
	out = pic_update(pic);
	spin_unlock_irqrestore(&pic->lock, flags);
	pic_after(vcpu->vm, pic, out);
	return 0;
}

static int elcr_read(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
		     u64 addr, int len, void *val)
{
	struct vmx_pic *pic = vm_pic(vcpu->vm);

	if (len != 1) {
		memset(val, 0, len);
		return 0;
	}
	*(u8 *)val = READ_ONCE(pic->chip[addr & 1].s.elcr);
	return 0;
}

static const struct vmx_io_ops pic_ops = {
	.read = pic_port_read,
	.write = pic_port_write,
};

static const struct vmx_io_ops elcr_ops = {
	.read = elcr_read,
	.write = elcr_write,
};

void vmx_pic_get_state(struct vmx_pic *pic, int id, struct kvm_pic_state *s)
{
	unsigned long flags;

	spin_lock_irqsave(&pic->lock, flags);
	*s = pic->chip[id].s;
	spin_unlock_irqrestore(&pic->lock, flags);
}

void vmx_pic_set_state(struct vmx_vm *vm, int id,
		       const struct kvm_pic_state *s)
{
	struct vmx_pic *pic = vm_pic(vm);
	struct kvm_pic_state *d = &pic->chip[id].s;
	unsigned long flags;
	bool out;

	spin_lock_irqsave(&pic->lock, flags);
	*d = *s;
	/* Keep the fields we index with in range. */
	d->priority_add &= 7;
	d->irq_base &= 0xf8;
	d->init_state &= 3;
	d->elcr_mask = id ? ELCR_MASK_SLAVE : ELCR_MASK_MASTER;
	d->elcr &= d->elcr_mask;
	pic->chip[id].single = false;
	out = pic_update(pic);
	spin_unlock_irqrestore(&pic->lock, flags);
	pic_after(vm, pic, out);
}

/* KVM's power-on state: everything zero, all inputs unmasked. */
int vmx_pic_init(struct vmx_vm *vm, struct vmx_pic *pic)
{
	int r;

	spin_lock_init(&pic->lock);
	pic->chip[0].s.elcr_mask = ELCR_MASK_MASTER;
	pic->chip[1].s.elcr_mask = ELCR_MASK_SLAVE;
	pic->dev_master.ops = &pic_ops;
	pic->dev_slave.ops = &pic_ops;
	pic->dev_elcr.ops = &elcr_ops;
	r = vmx_io_bus_register(vm, VMX_PIO_BUS, PIC_MASTER_PORT, 2,
				&pic->dev_master);
	if (!r)
		r = vmx_io_bus_register(vm, VMX_PIO_BUS, PIC_SLAVE_PORT, 2,
					&pic->dev_slave);
	if (!r)
		r = vmx_io_bus_register(vm, VMX_PIO_BUS, PIC_ELCR_PORT, 2,
					&pic->dev_elcr);
	if (r)
		vmx_pic_destroy(vm, pic);
	return r;
}

void vmx_pic_destroy(struct vmx_vm *vm, struct vmx_pic *pic)
{
	vmx_io_bus_unregister(vm, VMX_PIO_BUS, &pic->dev_master);
	vmx_io_bus_unregister(vm, VMX_PIO_BUS, &pic->dev_slave);
	vmx_io_bus_unregister(vm, VMX_PIO_BUS, &pic->dev_elcr);
}
