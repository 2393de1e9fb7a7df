/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the interrupt pieces of the core: event injection and
 * vCPU wake-ups (events.c), the local APIC (lapic.c), the PIC, IOAPIC and
 * GSI routing (irqchip.c, pic.c, ioapic.c), the PIT (pit.c), in-kernel
 * device buses (iobus.c) and eventfds (eventfd.c, ioeventfd.c, irqfd.c).
 *
 * Context rules: everything that raises an interrupt (vmx_irq_set,
 * vmx_irq_msi, vmx_apic_deliver, vmx_vcpu_kick, ...) may be called from
 * any context, hard IRQ included, so the chips use spinlocks with IRQs
 * saved and never sleep there.
 */
#ifndef VMX_IRQ_H
#define VMX_IRQ_H

#include <linux/types.h>
#include <linux/kvm.h>

struct vmx_vm;
struct vmx_vcpu;

/* ---- events.c: requests, kicks, INIT/SIPI/NMI, injection ---- */

/* Bits of vcpu->requests. */
enum {
	VMX_REQ_EVENT,		/* re-evaluate pending interrupts */
	VMX_REQ_CLOCK_UPDATE,	/* refresh the kvmclock page (clock.c) */
	VMX_REQ_NR
};

void vmx_make_request(struct vmx_vcpu *vcpu, int req);
bool vmx_check_request(struct vmx_vcpu *vcpu, int req);	/* test+clear */
/* Make the vCPU notice new work: wake it if blocked, IPI it if in guest. */
void vmx_vcpu_kick(struct vmx_vcpu *vcpu);
struct vmx_vcpu *vmx_vcpu_by_id(struct vmx_vm *vm, u32 id);

/* Delivered by the local APIC to the target vCPU. */
void vmx_vcpu_deliver_init(struct vmx_vcpu *vcpu);
void vmx_vcpu_deliver_sipi(struct vmx_vcpu *vcpu, u8 vector);
void vmx_vcpu_deliver_nmi(struct vmx_vcpu *vcpu);

/* ---- lapic.c: the in-kernel local APIC (NULL vcpu->apic without) ---- */

struct vmx_apic_irq {
	u32 dest_id;		/* physical APIC ID or logical MDA */
	u8 vector;
	u8 delivery_mode;	/* APIC_DM_* >> 8: 0 fixed .. 7 ExtINT */
	u8 shorthand;		/* APIC_DEST_* >> 18: 0 none, 1 self, 2/3 all */
	bool dest_logical;
	bool level;		/* assert (INIT level de-assert is 0) */
	bool trig_level;	/* level-triggered (IOAPIC EOI needed) */
};

int vmx_lapic_create(struct vmx_vcpu *vcpu);
void vmx_lapic_free(struct vmx_vcpu *vcpu);
/* Power-on (init=false) or INIT (init=true) state. */
void vmx_lapic_reset(struct vmx_vcpu *vcpu, bool init);
/* Highest-priority deliverable vector, or -1. */
int vmx_apic_has_interrupt(struct vmx_vcpu *vcpu);
/* The vector is being injected: IRR -> ISR (and EOI bookkeeping). */
void vmx_apic_ack_interrupt(struct vmx_vcpu *vcpu, int vector);
/* Does LVT0 (or a disabled APIC) let the PIC's ExtINT through? */
bool vmx_apic_accept_pic_intr(struct vmx_vcpu *vcpu);
/* Deliver to every matching vCPU; @src for self/all-but-self, may be NULL.
 * Returns the number of vCPUs reached, -1 when none matched.
 */
int vmx_apic_deliver(struct vmx_vm *vm, struct vmx_vcpu *src,
		     const struct vmx_apic_irq *irq);
/* xAPIC MMIO at the vCPU's APIC base: 0 handled, -EOPNOTSUPP not ours. */
int vmx_lapic_mmio(struct vmx_vcpu *vcpu, u64 gpa, int len, void *val,
		   bool write);
/* APIC_BASE, x2APIC (0x800-0x8ff) and TSC_DEADLINE MSRs:
 * 0 handled, 1 not ours, <0 #GP.
 */
int vmx_lapic_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data, bool write,
		  bool host);
/* CR8 is TPR[7:4]. */
u8 vmx_lapic_get_cr8(struct vmx_vcpu *vcpu);
void vmx_lapic_set_cr8(struct vmx_vcpu *vcpu, u8 cr8);
/* KVM_GET/SET_LAPIC etc.: -ENOIOCTLCMD when not ours. */
long vmx_lapic_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg);
/* KVM_CAP_TSC_DEADLINE_TIMER. */
long vmx_lapic_check_extension(long cap);

/* ---- irqchip.c, pic.c, ioapic.c: KVM_CREATE_IRQCHIP and routing ---- */

/* vmx_irqchip_in_kernel() is in core.h: vm->irqchip set once created. */
/* Line-level GSI input (KVM_IRQ_LINE, irqfd): >0 delivered, 0 coalesced
 * or masked, <0 errno.
 */
int vmx_irq_set(struct vmx_vm *vm, u32 gsi, int level);
int vmx_irq_msi(struct vmx_vm *vm, const struct kvm_msi *msi);
/* The 8259's ExtINT for the BSP: vector or -1; read_irq acknowledges. */
int vmx_pic_has_interrupt(struct vmx_vm *vm);
int vmx_pic_read_irq(struct vmx_vm *vm);
/* The local APIC accepted an EOI for a level-triggered @vector. */
void vmx_ioapic_eoi(struct vmx_vm *vm, int vector);

/* Told when a guest acknowledges (EOIs) an interrupt on @gsi: resamplefd. */
struct vmx_irq_ack_notifier {
	struct hlist_node link;
	u32 gsi;
	void (*acked)(struct vmx_irq_ack_notifier *n);
};
void vmx_register_irq_ack_notifier(struct vmx_vm *vm,
				   struct vmx_irq_ack_notifier *n);
void vmx_unregister_irq_ack_notifier(struct vmx_vm *vm,
				     struct vmx_irq_ack_notifier *n);

void vmx_irqchip_free(struct vmx_vm *vm);
long vmx_irqchip_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			  unsigned long arg);
long vmx_irqchip_check_extension(long cap);

/* pit.c: KVM_CREATE_PIT2 and friends */
void vmx_pit_free(struct vmx_vm *vm);
long vmx_pit_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
		      unsigned long arg);

/* ---- iobus.c: in-kernel port and MMIO devices ---- */

enum vmx_bus_id { VMX_PIO_BUS, VMX_MMIO_BUS, VMX_NR_BUSES };

struct vmx_io_device;
struct vmx_io_ops {
	/* 0 handled, -EOPNOTSUPP to pass the access on. */
	int (*read)(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
		    u64 addr, int len, void *val);
	int (*write)(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
		     u64 addr, int len, const void *val);
};

struct vmx_io_device {
	const struct vmx_io_ops *ops;
};

int vmx_io_bus_register(struct vmx_vm *vm, enum vmx_bus_id bus, u64 addr,
			int len, struct vmx_io_device *dev);
void vmx_io_bus_unregister(struct vmx_vm *vm, enum vmx_bus_id bus,
			   struct vmx_io_device *dev);
/* 0 when an in-kernel device took the access, -EOPNOTSUPP otherwise. */
int vmx_io_bus_write(struct vmx_vcpu *vcpu, enum vmx_bus_id bus, u64 addr,
		     int len, const void *val);
int vmx_io_bus_read(struct vmx_vcpu *vcpu, enum vmx_bus_id bus, u64 addr,
		    int len, void *val);
void vmx_io_bus_free(struct vmx_vm *vm);

/* ---- eventfd.c, ioeventfd.c, irqfd.c: KVM_IOEVENTFD, KVM_IRQFD ---- */
void vmx_eventfd_free(struct vmx_vm *vm);
long vmx_eventfd_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			  unsigned long arg);
long vmx_eventfd_check_extension(long cap);

#endif
