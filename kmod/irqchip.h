/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the in-kernel irqchip: the 8259A pair (pic.c), the 82093AA
 * IOAPIC (ioapic.c) and the GSI routing that feeds them (irqchip.c).
 *
 * Lock order: routing (RCU) -> one chip's lock.  No chip lock is held
 * while calling into the local APIC, kicking a vCPU or running an ack
 * notifier, so those may raise interrupts again.
 */
#ifndef VMX_IRQCHIP_H
#define VMX_IRQCHIP_H

#include <linux/kvm.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>

#include "irq.h"

#define VMX_PIC_PINS		16	/* 8 per chip */
#define VMX_IOAPIC_PINS		KVM_IOAPIC_NUM_PINS
#define VMX_IRQCHIP_PINS	KVM_IOAPIC_NUM_PINS	/* widest chip */
/* KVM's limit on routing entries (and GSI numbers). */
#define VMX_MAX_IRQ_ROUTES	4096

/* One 8259A; @s is the state KVM_GET/SET_IRQCHIP exchanges. */
struct vmx_8259 {
	struct kvm_pic_state s;
	u8 lines;		/* input levels (ELCR changes re-sample) */
	bool single;		/* ICW1 SNGL: no ICW3 in this sequence */
};

struct vmx_pic {
	spinlock_t lock;
	struct vmx_8259 chip[2];	/* master, slave */
	u16 acked;			/* pins to report to ack notifiers */
	struct vmx_io_device dev_master, dev_slave, dev_elcr;
};

struct vmx_ioapic {
	spinlock_t lock;
	struct kvm_ioapic_state s;	/* s.irr: line levels */
	struct vmx_io_device dev;
};

struct vmx_route {
	u32 gsi;
	u32 type;		/* KVM_IRQ_ROUTING_IRQCHIP or _MSI */
	union {
		struct {
			u32 chip;	/* KVM_IRQCHIP_* */
			u32 pin;
		} irqchip;
		struct kvm_irq_routing_msi msi;
	};
};

/* An RCU-replaced table, entries sorted by GSI. */
struct vmx_routing {
	struct rcu_head rcu;
	u32 nr;
	u32 nr_gsi;		/* max GSI + 1 */
	u32 *first;		/* first entry of each GSI; nr_gsi + 1 */
	/* GSI of each chip pin, or -1: ack notifiers speak GSIs. */
	int pin_gsi[3][VMX_IRQCHIP_PINS];
	struct vmx_route route[];
};

struct vmx_irqchip {
	struct vmx_pic pic;
	struct vmx_ioapic ioapic;
	struct mutex routing_lock;		/* updates of ->routing */
	struct vmx_routing __rcu *routing;
	spinlock_t ack_lock;			/* updates of ->ack_list */
	struct hlist_head ack_list;
};

/* pic.c */
int vmx_pic_init(struct vmx_vm *vm, struct vmx_pic *pic);
void vmx_pic_destroy(struct vmx_vm *vm, struct vmx_pic *pic);
/* pin 0-15; -1 masked, 0 coalesced, 1 raised. */
int vmx_pic_set_irq(struct vmx_vm *vm, int pin, int level);
void vmx_pic_get_state(struct vmx_pic *pic, int id, struct kvm_pic_state *s);
void vmx_pic_set_state(struct vmx_vm *vm, int id,
		       const struct kvm_pic_state *s);

/* ioapic.c */
int vmx_ioapic_init(struct vmx_vm *vm, struct vmx_ioapic *ioapic);
void vmx_ioapic_destroy(struct vmx_vm *vm, struct vmx_ioapic *ioapic);
/* -1 masked or blocked, 0 coalesced, else vmx_apic_deliver()'s count. */
int vmx_ioapic_set_irq(struct vmx_vm *vm, int pin, int level);
void vmx_ioapic_get_state(struct vmx_ioapic *ioapic,
			  struct kvm_ioapic_state *s);
void vmx_ioapic_set_state(struct vmx_vm *vm, const struct kvm_ioapic_state *s);

/* irqchip.c: tell the ack notifiers of the GSI behind @chip/@pin. */
void vmx_irqchip_acked(struct vmx_vm *vm, int chip, int pin);

#endif
