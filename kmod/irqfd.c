// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IRQFD: a write to an eventfd raises a GSI through the routing.
 *
 * The eventfd's wake-up callback injects directly: it runs under the
 * eventfd's wait-queue lock, and vmx_irq_set() may be called from any
 * context (irq.h).  Teardown may sleep, so deassign, EPOLLHUP (the
 * eventfd closed) and VM destruction take the irqfd off the list and
 * leave the rest to a work item; deassign and VM destruction wait for it.
 *
 * With KVM_IRQFD_FLAG_RESAMPLE the GSI stays asserted until the guest
 * acknowledges it; the resampler of that GSI (one per GSI, shared by its
 * irqfds) then lowers the line and signals every resamplefd.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "core.h"
#include "eventfd.h"

struct resampler {
	struct vmx_vm *vm;
	struct list_head link;		/* eventfds->resamplers, ->lock */
	struct list_head irqfds;	/* RCU; changed under eventfds->lock */
	struct vmx_irq_ack_notifier ack;
};

struct irqfd {
	struct vmx_vm *vm;
	struct vmx_eventfds *e;
	/* eventfds->irqfds under ->irqfd_lock; empty once deactivated. */
	struct list_head link;
	struct eventfd_ctx *ctx;
	u32 gsi;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct shutdown;
	struct resampler *resampler;	/* NULL without RESAMPLE */
	struct eventfd_ctx *resamplefd;
	struct list_head resample_link;
};

static void irqfd_inject(struct irqfd *irqfd)
{
	vmx_irq_set(irqfd->vm, irqfd->gsi, 1);
	if (!irqfd->resampler)	/* an edge; else held until the EOI */
		vmx_irq_set(irqfd->vm, irqfd->gsi, 0);
}

/* The guest acknowledged the GSI: lower it and tell user space. */
static void resampler_acked(struct vmx_irq_ack_notifier *n)
{
	struct resampler *r = container_of(n, struct resampler, ack);
	struct irqfd *irqfd;

	vmx_irq_set(r->vm, n->gsi, 0);
	/* Called under rcu_read_lock() (vmx_irqchip_acked). */
	list_for_each_entry_rcu(irqfd, &r->irqfds, resample_link)
		eventfd_signal(irqfd->resamplefd, 1);
}

/* Under eventfds->lock. */
static int resampler_attach(struct irqfd *irqfd)
{
	struct vmx_eventfds *e = irqfd->e;
	struct resampler *r;

	list_for_each_entry(r, &e->resamplers, link)
		if (r->ack.gsi == irqfd->gsi)
			goto found;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->vm = irqfd->vm;
	INIT_LIST_HEAD(&r->irqfds);
	r->ack.gsi = irqfd->gsi;
	r->ack.acked = resampler_acked;
	list_add(&r->link, &e->resamplers);
	vmx_register_irq_ack_notifier(irqfd->vm, &r->ack);
found:
	irqfd->resampler = r;
	list_add_rcu(&irqfd->resample_link, &r->irqfds);
	return 0;
}

/* Under eventfds->lock.  The last irqfd of a GSI leaves it deasserted. */
static void resampler_detach(struct irqfd *irqfd)
{
	struct resampler *r = irqfd->resampler;

	list_del_rcu(&irqfd->resample_link);
	synchronize_rcu();
	if (list_empty(&r->irqfds)) {
		list_del(&r->link);
		vmx_unregister_irq_ack_notifier(r->vm, &r->ack);
		vmx_irq_set(r->vm, r->ack.gsi, 0);
		kfree(r);
	}
}

static void irqfd_free(struct irqfd *irqfd)
{
	if (irqfd->resamplefd)
		eventfd_ctx_put(irqfd->resamplefd);
	eventfd_ctx_put(irqfd->ctx);
	kfree(irqfd);
}

static void irqfd_shutdown(struct work_struct *work)
{
	struct irqfd *irqfd = container_of(work, struct irqfd, shutdown);
	u64 cnt;

	/* After this no wake-up can run for us any more. */
	eventfd_ctx_remove_wait_queue(irqfd->ctx, &irqfd->wait, &cnt);
	if (irqfd->resampler) {
		mutex_lock(&irqfd->e->lock);
		resampler_detach(irqfd);
		mutex_unlock(&irqfd->e->lock);
	}
	irqfd_free(irqfd);
}

/* Under ->irqfd_lock. */
static void irqfd_deactivate(struct irqfd *irqfd)
{
	list_del_init(&irqfd->link);
	queue_work(irqfd->e->wq, &irqfd->shutdown);
}

/* Under the eventfd's wait-queue lock, interrupts off. */
static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync,
			void *key)
{
	struct irqfd *irqfd = container_of(wait, struct irqfd, wait);
	__poll_t flags = key_to_poll(key);
	unsigned long irqflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		/* Consume the count so that each write is a new edge. */
		eventfd_ctx_do_read(irqfd->ctx, &cnt);
		irqfd_inject(irqfd);
	}
	if (flags & EPOLLHUP) {
		spin_lock_irqsave(&irqfd->e->irqfd_lock, irqflags);
		if (!list_empty(&irqfd->link))
			irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&irqfd->e->irqfd_lock, irqflags);
	}
	return 0;
}

static void irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
			     poll_table *pt)
{
	struct irqfd *irqfd = container_of(pt, struct irqfd, pt);

	add_wait_queue(wqh, &irqfd->wait);
}

/* An eventfd feeds at most one irqfd of a VM, whatever the GSI. */
static bool irqfd_busy(struct vmx_eventfds *e, struct eventfd_ctx *ctx)
{
	struct irqfd *tmp;
	bool busy = false;

	spin_lock_irq(&e->irqfd_lock);
	list_for_each_entry(tmp, &e->irqfds, link)
		busy |= tmp->ctx == ctx;
	spin_unlock_irq(&e->irqfd_lock);
	return busy;
}

static int assign(struct vmx_vm *vm, const struct kvm_irqfd *args)
{
	struct vmx_eventfds *e;
	struct irqfd *irqfd;
	__poll_t events;
	struct fd f;
	int r;

	/* As KVM on x86: no irqfd without the in-kernel irqchip. */
	if (!vmx_irqchip_in_kernel(vm))
		return -EINVAL;
	e = vmx_eventfds_get(vm);
	if (!e)
		return -ENOMEM;
	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		return -ENOMEM;
	irqfd->vm = vm;
	irqfd->e = e;
	irqfd->gsi = args->gsi;
	INIT_LIST_HEAD(&irqfd->link);
	INIT_WORK(&irqfd->shutdown, irqfd_shutdown);
	init_waitqueue_func_entry(&irqfd->wait, irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, irqfd_queue_proc);

	f = fdget(args->fd);
	if (!f.file) {
		kfree(irqfd);
		return -EBADF;
	}
	irqfd->ctx = eventfd_ctx_fileget(f.file);
	if (IS_ERR(irqfd->ctx)) {
		r = PTR_ERR(irqfd->ctx);
		kfree(irqfd);
		goto out;
	}
	if (args->flags & KVM_IRQFD_FLAG_RESAMPLE) {
		irqfd->resamplefd = eventfd_ctx_fdget(args->resamplefd);
		if (IS_ERR(irqfd->resamplefd)) {
			r = PTR_ERR(irqfd->resamplefd);
			irqfd->resamplefd = NULL;
			goto free;
		}
	}

	/*
	 * Held until the irqfd waits on the eventfd, so that a deassign
	 * cannot start its teardown before that.
	 */
	mutex_lock(&e->lock);
	r = -EBUSY;
	if (irqfd_busy(e, irqfd->ctx))
		goto unlock;
	if (irqfd->resamplefd) {
		r = resampler_attach(irqfd);
		if (r)
			goto unlock;
	}
	spin_lock_irq(&e->irqfd_lock);
	list_add_tail(&irqfd->link, &e->irqfds);
	spin_unlock_irq(&e->irqfd_lock);

	/* A count already there fires as if it came after. */
	events = vfs_poll(f.file, &irqfd->pt);
	if (events & EPOLLIN)
		irqfd_inject(irqfd);
	mutex_unlock(&e->lock);
	r = 0;
	goto out;

unlock:
	mutex_unlock(&e->lock);
free:
	irqfd_free(irqfd);
out:
	fdput(f);
	return r;
}

/* As KVM: fd and GSI name it; nothing to remove is no error. */
static int deassign(struct vmx_vm *vm, const struct kvm_irqfd *args)
{
	/* Pairs with the release in vmx_eventfds_get(). */
	struct vmx_eventfds *e = smp_load_acquire(&vm->eventfds);
	struct irqfd *irqfd, *tmp;
	struct eventfd_ctx *ctx;

	ctx = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	if (e) {
		mutex_lock(&e->lock);
		spin_lock_irq(&e->irqfd_lock);
		list_for_each_entry_safe(irqfd, tmp, &e->irqfds, link)
			if (irqfd->ctx == ctx && irqfd->gsi == args->gsi)
				irqfd_deactivate(irqfd);
		spin_unlock_irq(&e->irqfd_lock);
		mutex_unlock(&e->lock);
		/* No interrupt from it once we return. */
		flush_workqueue(e->wq);
	}
	eventfd_ctx_put(ctx);
	return 0;
}

int vmx_irqfd(struct vmx_vm *vm, const struct kvm_irqfd *args)
{
	if (args->flags & ~(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE))
		return -EINVAL;
	if (args->flags & KVM_IRQFD_FLAG_DEASSIGN)
		return deassign(vm, args);
	return assign(vm, args);
}

void vmx_irqfd_release_all(struct vmx_eventfds *e)
{
	struct irqfd *irqfd, *tmp;

	spin_lock_irq(&e->irqfd_lock);
	list_for_each_entry_safe(irqfd, tmp, &e->irqfds, link)
		irqfd_deactivate(irqfd);
	spin_unlock_irq(&e->irqfd_lock);
}
