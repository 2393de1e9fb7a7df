// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IOEVENTFD and KVM_IRQFD: the per-VM state, the ioctls and the
 * capabilities.  The work is in ioeventfd.c and irqfd.c.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"
#include "eventfd.h"

struct vmx_eventfds *vmx_eventfds_get(struct vmx_vm *vm)
{
	/* Pairs with the release below. */
	struct vmx_eventfds *e = smp_load_acquire(&vm->eventfds);

	if (e)
		return e;
	mutex_lock(&vm->lock);
	e = vm->eventfds;
	if (e)
		goto out;
	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		goto out;
	e->wq = alloc_workqueue("vmx-irqfd", 0, 0);
	if (!e->wq) {
		kfree(e);
		e = NULL;
		goto out;
	}
	mutex_init(&e->lock);
	INIT_LIST_HEAD(&e->ioeventfds);
	spin_lock_init(&e->irqfd_lock);
	INIT_LIST_HEAD(&e->irqfds);
	INIT_LIST_HEAD(&e->resamplers);
	/* Pairs with the acquire above. */
	smp_store_release(&vm->eventfds, e);
out:
	mutex_unlock(&vm->lock);
	return e;
}

/* Before the irqchip goes: irqfds inject into it until they are gone. */
void vmx_eventfd_free(struct vmx_vm *vm)
{
	struct vmx_eventfds *e = vm->eventfds;

	if (!e)
		return;
	vmx_irqfd_release_all(e);
	destroy_workqueue(e->wq);	/* drains the teardowns */
	vmx_ioeventfd_free(vm, e);
	kfree(e);
	vm->eventfds = NULL;
}

long vmx_eventfd_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct kvm_ioeventfd io;
	struct kvm_irqfd irq;

	switch (ioctl) {
	case KVM_IOEVENTFD:
		if (copy_from_user(&io, argp, sizeof(io)))
			return -EFAULT;
		return vmx_ioeventfd(vm, &io);
	case KVM_IRQFD:
		if (copy_from_user(&irq, argp, sizeof(irq)))
			return -EFAULT;
		return vmx_irqfd(vm, &irq);
	default:
		return -ENOIOCTLCMD;
	}
}

long vmx_eventfd_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_IOEVENTFD_NO_LENGTH:
	case KVM_CAP_IOEVENTFD_ANY_LENGTH:
	case KVM_CAP_IRQFD:
	case KVM_CAP_IRQFD_RESAMPLE:
		return 1;
	default:
		return 0;
	}
}
