// SPDX-License-Identifier: GPL-2.0
/*
 * The 82093AA I/O APIC: 24 redirection entries behind IOREGSEL/IOWIN at
 * 0xfec00000.  Inputs are the logical (already polarity-adjusted) line
 * levels, as KVM takes them; s.irr holds them.  Deliveries go to the
 * local APICs after the lock is dropped.
 */
#include <asm/apicdef.h>

#include "core.h"
#include "irqchip.h"

#define IOAPIC_BASE		0xfec00000ULL
#define IOAPIC_MMIO_LEN		0x100
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_EOI		0x40	/* version 0x20 EOI register */

#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDIR	0x10	/* two registers per entry */
#define IOAPIC_VERSION		0x11
#define IOAPIC_ID_SHIFT		24
#define IOAPIC_ID_MASK		0xf
#define IOAPIC_MAX_REDIR_SHIFT	16

/* Redirection entry bits. */
#define RTE_VECTOR		0xffULL
#define RTE_DM_SHIFT		8
#define RTE_DM_MASK		7
#define RTE_DEST_LOGICAL	BIT_ULL(11)
#define RTE_DELIVERY_STATUS	BIT_ULL(12)
#define RTE_REMOTE_IRR		BIT_ULL(14)
#define RTE_LEVEL		BIT_ULL(15)
#define RTE_MASKED		BIT_ULL(16)
#define RTE_DEST_SHIFT		56
#define RTE_RO_BITS		(RTE_DELIVERY_STATUS | RTE_REMOTE_IRR)

static struct vmx_ioapic *vm_ioapic(struct vmx_vm *vm)
{
	/* Pairs with the publish in create_irqchip(). */
	return &smp_load_acquire(&vm->irqchip)->ioapic;
}

/*
 * Under the lock: may pin @pin's interrupt go out now?  A level entry
 * waits for the EOI of its previous delivery (remote IRR), which it
 * claims here.
 */
static bool ioapic_claim(struct vmx_ioapic *io, int pin,
			 struct vmx_apic_irq *irq)
{
	u64 *e = &io->s.redirtbl[pin].bits;

	if (*e & RTE_MASKED)
		return false;
	if (*e & RTE_LEVEL) {
		if (*e & RTE_REMOTE_IRR)
			return false;
		*e |= RTE_REMOTE_IRR;
	}
	*irq = (struct vmx_apic_irq){
		.dest_id = *e >> RTE_DEST_SHIFT,
		.vector = *e & RTE_VECTOR,
		.delivery_mode = (*e >> RTE_DM_SHIFT) & RTE_DM_MASK,
		.dest_logical = !!(*e & RTE_DEST_LOGICAL),
		.level = true,
		.trig_level = !!(*e & RTE_LEVEL),
	};
	return true;
}

/*
 * Deliver what ioapic_claim() let out.  A level interrupt no local APIC
 * accepted (all software-disabled, as during an OS's shutdown) will see
 * no EOI: drop its remote IRR again, or the pin would stay dead.
 */
static int ioapic_send(struct vmx_vm *vm, struct vmx_ioapic *io, int pin,
		       const struct vmx_apic_irq *irq)
{
	unsigned long flags;
	int r = vmx_apic_deliver(vm, NULL, irq);

	if (r == 0 && irq->trig_level) {
		spin_lock_irqsave(&io->lock, flags);
		io->s.redirtbl[pin].bits &= ~RTE_REMOTE_IRR;
		spin_unlock_irqrestore(&io->lock, flags);
	}
	return r;
}

int vmx_ioapic_set_irq(struct vmx_vm *vm, int pin, int level)
{
	struct vmx_ioapic *io = vm_ioapic(vm);
	struct vmx_apic_irq irq;
	unsigned long flags;
	u32 mask = BIT(pin);
	bool go = false;
	int ret = 1;

	spin_lock_irqsave(&io->lock, flags);
	if (!level) {
		io->s.irr &= ~mask;
	} else if (!(io->s.redirtbl[pin].bits & RTE_LEVEL) &&
		   (io->s.irr & mask)) {
		ret = 0;	/* no new edge */
	} else {
		io->s.irr |= mask;
		go = ioapic_claim(io, pin, &irq);
		ret = -1;
	}
	spin_unlock_irqrestore(&io->lock, flags);
	if (go)
		ret = ioapic_send(vm, io, pin, &irq);
	return ret;
}

/*
 * EOI of @vector by a local APIC (or the EOI register): the level entries
 * with that vector may fire again; ack notifiers hear of every pin.
 */
static void ioapic_eoi(struct vmx_vm *vm, struct vmx_ioapic *io, int vector)
{
	struct vmx_apic_irq irq;
	unsigned long flags;
	int pin;
	bool go;

	for (pin = 0; pin < VMX_IOAPIC_PINS; pin++) {
		u64 *e = &io->s.redirtbl[pin].bits;

		if ((READ_ONCE(*e) & RTE_VECTOR) != vector)
			continue;
		vmx_irqchip_acked(vm, KVM_IRQCHIP_IOAPIC, pin);
		go = false;
		spin_lock_irqsave(&io->lock, flags);
		if ((*e & RTE_VECTOR) == vector && (*e & RTE_LEVEL)) {
			*e &= ~RTE_REMOTE_IRR;
			/* Still asserted: deliver again. */
			if (io->s.irr & BIT(pin))
				go = ioapic_claim(io, pin, &irq);
		}
		spin_unlock_irqrestore(&io->lock, flags);
		if (go)
			ioapic_send(vm, io, pin, &irq);
	}
}

void vmx_ioapic_eoi(struct vmx_vm *vm, int vector)
{
	if (vmx_irqchip_in_kernel(vm))
		ioapic_eoi(vm, vm_ioapic(vm), vector);
}

static u32 ioapic_read_reg(struct vmx_ioapic *io)
{
	u32 sel = io->s.ioregsel;
	int pin;

	switch (sel) {
	case IOAPIC_REG_ID:
	case IOAPIC_REG_ARB:
		return (io->s.id & IOAPIC_ID_MASK) << IOAPIC_ID_SHIFT;
	case IOAPIC_REG_VERSION:
		return IOAPIC_VERSION |
		       ((VMX_IOAPIC_PINS - 1) << IOAPIC_MAX_REDIR_SHIFT);
	}
	pin = (sel - IOAPIC_REG_REDIR) / 2;
	if (sel < IOAPIC_REG_REDIR || pin >= VMX_IOAPIC_PINS)
		return 0;
	return io->s.redirtbl[pin].bits >> (sel & 1 ? 32 : 0);
}

/* Under the lock; returns the pin whose interrupt @irq must go out now
 * (a level entry), or -1.
 */
static int ioapic_write_reg(struct vmx_ioapic *io, u32 val,
			    struct vmx_apic_irq *irq)
{
	u32 sel = io->s.ioregsel;
	int pin = (sel - IOAPIC_REG_REDIR) / 2;
	u64 *e, old;

	if (sel == IOAPIC_REG_ID) {
		io->s.id = (val >> IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
		return -1;
	}
	if (sel < IOAPIC_REG_REDIR || pin >= VMX_IOAPIC_PINS)
		return -1;	/* version, arbitration: read-only */
	e = &io->s.redirtbl[pin].bits;
	old = *e;
	if (sel & 1)
		*e = (*e & 0xffffffffULL) | ((u64)val << 32);
	else
		*e = (*e & ~0xffffffffULL) | val;
	*e = (*e & ~RTE_RO_BITS) | (old & RTE_RO_BITS);
	/* OSes expect an edge entry to have no remote IRR (Linux does). */
	if (!(*e & RTE_LEVEL))
		*e &= ~RTE_REMOTE_IRR;
	/* A level line held while masked or busy fires once it may. */
	if ((*e & RTE_LEVEL) && (io->s.irr & BIT(pin)) &&
	    ioapic_claim(io, pin, irq))
		return pin;
	return -1;
}

static int ioapic_mmio_read(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			    u64 addr, int len, void *val)
{
	struct vmx_ioapic *io = vm_ioapic(vcpu->vm);
	unsigned long flags;
	u64 v = 0;

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return -EOPNOTSUPP;
	spin_lock_irqsave(&io->lock, flags);
	switch (addr - IOAPIC_BASE) {
	case IOAPIC_REGSEL:
		v = io->s.ioregsel;
		break;
	case IOAPIC_WINDOW:
		v = ioapic_read_reg(io);
		break;
	}
	spin_unlock_irqrestore(&io->lock, flags);
	memcpy(val, &v, len);
	return 0;
}

static int ioapic_mmio_write(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			     u64 addr, int len, const void *val)
{
	struct vmx_vm *vm = vcpu->vm;
	struct vmx_ioapic *io = vm_ioapic(vm);
	struct vmx_apic_irq irq;
	unsigned long flags;
	int pin = -1;
	u32 v;

	/* Registers are 32 bits wide; narrower writes are dropped. */
	if (len != 4 && len != 8)
		return 0;
	memcpy(&v, val, sizeof(v));
	switch (addr - IOAPIC_BASE) {
	case IOAPIC_REGSEL:
		spin_lock_irqsave(&io->lock, flags);
		io->s.ioregsel = v & 0xff;
		spin_unlock_irqrestore(&io->lock, flags);
		break;
	case IOAPIC_WINDOW:
		spin_lock_irqsave(&io->lock, flags);
		pin = ioapic_write_reg(io, v, &irq);
		spin_unlock_irqrestore(&io->lock, flags);
		break;
	case IOAPIC_EOI:
		ioapic_eoi(vm, io, v & RTE_VECTOR);
		break;
	}
	if (pin >= 0)
		ioapic_send(vm, io, pin, &irq);
	return 0;
}

static const struct vmx_io_ops ioapic_ops = {
	.read = ioapic_mmio_read,
	.write = ioapic_mmio_write,
};

void vmx_ioapic_get_state(struct vmx_ioapic *io, struct kvm_ioapic_state *s)
{
	unsigned long flags;

	spin_lock_irqsave(&io->lock, flags);
	*s = io->s;
	spin_unlock_irqrestore(&io->lock, flags);
}

void vmx_ioapic_set_state(struct vmx_vm *vm, const struct kvm_ioapic_state *s)
{
	struct vmx_ioapic *io = vm_ioapic(vm);
	struct vmx_apic_irq irq[VMX_IOAPIC_PINS];
	bool go[VMX_IOAPIC_PINS] = {};
	unsigned long flags;
	int pin;

	spin_lock_irqsave(&io->lock, flags);
	io->s = *s;
	/* The window stays where KVM has it. */
	io->s.base_address = IOAPIC_BASE;
	io->s.id &= IOAPIC_ID_MASK;
	io->s.irr &= GENMASK(VMX_IOAPIC_PINS - 1, 0);
	for (pin = 0; pin < VMX_IOAPIC_PINS; pin++)
		if ((io->s.redirtbl[pin].bits & RTE_LEVEL) &&
		    (io->s.irr & BIT(pin)))
			go[pin] = ioapic_claim(io, pin, &irq[pin]);
	spin_unlock_irqrestore(&io->lock, flags);
	for (pin = 0; pin < VMX_IOAPIC_PINS; pin++)
		if (go[pin])
			vmx_apic_deliver(vm, NULL, &irq[pin]);
}

/* Power-on: every entry masked, ID 0. */
int vmx_ioapic_init(struct vmx_vm *vm, struct vmx_ioapic *io)
{
	int pin;

	spin_lock_init(&io->lock);
	io->s.base_address = IOAPIC_BASE;
	for (pin = 0; pin < VMX_IOAPIC_PINS; pin++)
		io->s.redirtbl[pin].bits = RTE_MASKED;
	io->dev.ops = &ioapic_ops;
	return vmx_io_bus_register(vm, VMX_MMIO_BUS, IOAPIC_BASE,
				   IOAPIC_MMIO_LEN, &io->dev);
}

void vmx_ioapic_destroy(struct vmx_vm *vm, struct vmx_ioapic *io)
{
	vmx_io_bus_unregister(vm, VMX_MMIO_BUS, &io->dev);
}
