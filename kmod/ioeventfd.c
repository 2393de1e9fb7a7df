// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IOEVENTFD: a guest write to a registered port or MMIO address (of
 * the registered length, with the registered value if any) signals an
 * eventfd and the vCPU goes on in the guest.  Each ioeventfd is a device
 * on the port or MMIO bus; the bus offers a write to every device that
 * covers it until one takes it, so several values may share an address.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>

#include "core.h"
#include "eventfd.h"

/* KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY: accepted as on x86, never hit. */
#define IOEVENTFD_CCW_BUS	VMX_NR_BUSES

struct ioeventfd {
	struct list_head link;
	struct vmx_io_device dev;
	struct eventfd_ctx *ctx;
	u64 addr;
	int len;		/* 0: any length */
	int bus;
	bool wildcard;		/* no DATAMATCH */
	u64 datamatch;
};

static int ioeventfd_write(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			   u64 addr, int len, const void *val)
{
	struct ioeventfd *p = container_of(dev, struct ioeventfd, dev);
	u64 v = 0;

	if (addr != p->addr)
		return -EOPNOTSUPP;
	if (p->len) {
		if (len != p->len)
			return -EOPNOTSUPP;
		memcpy(&v, val, len);	/* little-endian: the low bytes */
		if (!p->wildcard && v != p->datamatch)
			return -EOPNOTSUPP;
	}
	eventfd_signal(p->ctx, 1);
	return 0;
}

static const struct vmx_io_ops ioeventfd_ops = {
	.write = ioeventfd_write,
};

static int bus_of(u32 flags)
{
	if (flags & KVM_IOEVENTFD_FLAG_PIO)
		return VMX_PIO_BUS;
	if (flags & KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY)
		return IOEVENTFD_CCW_BUS;
	return VMX_MMIO_BUS;
}

/* As KVM: a length-0 or wildcard entry collides with anything there. */
static bool collides(struct vmx_eventfds *e, const struct ioeventfd *p)
{
	struct ioeventfd *q;

	list_for_each_entry(q, &e->ioeventfds, link)
		if (q->bus == p->bus && q->addr == p->addr &&
		    (!q->len || !p->len ||
		     (q->len == p->len &&
		      (q->wildcard || p->wildcard ||
		       q->datamatch == p->datamatch))))
			return true;
	return false;
}

static int assign(struct vmx_vm *vm, const struct kvm_ioeventfd *args)
{
	struct vmx_eventfds *e;
	struct eventfd_ctx *ctx;
	struct ioeventfd *p;
	int r;

	switch (args->len) {
	case 0: case 1: case 2: case 4: case 8:
		break;
	default:
		return -EINVAL;
	}
	if (args->addr + args->len < args->addr ||
	    (args->flags & ~KVM_IOEVENTFD_VALID_FLAG_MASK) ||
	    (!args->len && (args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH)))
		return -EINVAL;
	e = vmx_eventfds_get(vm);
	if (!e)
		return -ENOMEM;
	ctx = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		r = -ENOMEM;
		goto put;
	}
	p->dev.ops = &ioeventfd_ops;
	p->ctx = ctx;
	p->addr = args->addr;
	p->len = args->len;
	p->bus = bus_of(args->flags);
	p->wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	if (!p->wildcard)
		p->datamatch = args->datamatch;

	mutex_lock(&e->lock);
	r = -EEXIST;
	if (collides(e, p))
		goto unlock;
	if (p->bus != IOEVENTFD_CCW_BUS) {
		r = vmx_io_bus_register(vm, p->bus, p->addr, p->len, &p->dev);
		if (r)
			goto unlock;
	}
	list_add_tail(&p->link, &e->ioeventfds);
	mutex_unlock(&e->lock);
	return 0;

unlock:
	mutex_unlock(&e->lock);
	kfree(p);
put:
	eventfd_ctx_put(ctx);
	return r;
}

static void release(struct vmx_vm *vm, struct ioeventfd *p, bool bus)
{
	if (bus && p->bus != IOEVENTFD_CCW_BUS)
		vmx_io_bus_unregister(vm, p->bus, &p->dev);
	list_del(&p->link);
	eventfd_ctx_put(p->ctx);
	kfree(p);
}

/* KVM checks only the fd and what identifies the entry. */
static int deassign(struct vmx_vm *vm, const struct kvm_ioeventfd *args)
{
	/* Pairs with the release in vmx_eventfds_get(). */
	struct vmx_eventfds *e = smp_load_acquire(&vm->eventfds);
	bool wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	int bus = bus_of(args->flags);
	struct eventfd_ctx *ctx;
	struct ioeventfd *p;
	int r = -ENOENT;

	ctx = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	if (!e)
		goto put;
	mutex_lock(&e->lock);
	list_for_each_entry(p, &e->ioeventfds, link) {
		if (p->bus != bus || p->ctx != ctx || p->addr != args->addr ||
		    p->len != args->len || p->wildcard != wildcard ||
		    (!wildcard && p->datamatch != args->datamatch))
			continue;
		release(vm, p, true);
		r = 0;
		break;
	}
	mutex_unlock(&e->lock);
put:
	eventfd_ctx_put(ctx);
	return r;
}

int vmx_ioeventfd(struct vmx_vm *vm, const struct kvm_ioeventfd *args)
{
	if (args->flags & KVM_IOEVENTFD_FLAG_DEASSIGN)
		return deassign(vm, args);
	return assign(vm, args);
}

/*
 * VM teardown: no vCPU is left to walk the buses, and vmx_io_bus_free()
 * drops them whole, so skip the per-device unregister (and its wait).
 */
void vmx_ioeventfd_free(struct vmx_vm *vm, struct vmx_eventfds *e)
{
	struct ioeventfd *p, *tmp;

	list_for_each_entry_safe(p, tmp, &e->ioeventfds, link)
		release(vm, p, false);
}
