/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the eventfd code: KVM_IOEVENTFD (ioeventfd.c), KVM_IRQFD
 * (irqfd.c) and the per-VM state they share (eventfd.c).
 */
#ifndef VMX_EVENTFD_H
#define VMX_EVENTFD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct vmx_vm;

/* Allocated on the first KVM_IOEVENTFD or KVM_IRQFD, freed with the VM. */
struct vmx_eventfds {
	/* Assign and deassign of both kinds, the resampler list. */
	struct mutex lock;
	struct list_head ioeventfds;
	/* ->irqfds: also changed by EPOLLHUP, under the eventfd's lock. */
	spinlock_t irqfd_lock;
	struct list_head irqfds;
	struct list_head resamplers;
	/* Irqfd teardown, which may sleep, runs here. */
	struct workqueue_struct *wq;
};

/* NULL on no memory. */
struct vmx_eventfds *vmx_eventfds_get(struct vmx_vm *vm);

int vmx_ioeventfd(struct vmx_vm *vm, const struct kvm_ioeventfd *args);
void vmx_ioeventfd_free(struct vmx_vm *vm, struct vmx_eventfds *e);

int vmx_irqfd(struct vmx_vm *vm, const struct kvm_irqfd *args);
/* Start the teardown of every irqfd; the caller drains ->wq after. */
void vmx_irqfd_release_all(struct vmx_eventfds *e);

#endif
