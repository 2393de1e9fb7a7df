// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel port and MMIO device buses.  An exit's access is offered to
 * the devices whose range covers it, in registration order, before it
 * goes to user space; several devices may share a range (ioeventfds with
 * different datamatch values); a length-0 range matches one address at
 * any access length.  Readers run under vm->srcu; updates copy
 * the array under vm->slots_lock and wait out the readers.
 */
#include <linux/slab.h>

#include "core.h"

#define VMX_BUS_MAX_DEVS	1024

struct vmx_io_range {
	u64 addr;
	int len;
	struct vmx_io_device *dev;
};

struct vmx_io_bus {
	int count;
	struct vmx_io_range range[];
};

static struct vmx_io_bus *bus_get(struct vmx_vm *vm, enum vmx_bus_id bus)
{
	return srcu_dereference_check(vm->buses[bus], &vm->srcu,
				      lockdep_is_held(&vm->slots_lock));
}

int vmx_io_bus_register(struct vmx_vm *vm, enum vmx_bus_id bus, u64 addr,
			int len, struct vmx_io_device *dev)
{
	struct vmx_io_bus *old, *new;
	int n;

	if (len < 0 || addr + len < addr)
		return -EINVAL;
	mutex_lock(&vm->slots_lock);
	old = bus_get(vm, bus);
	n = old ? old->count : 0;
	if (n >= VMX_BUS_MAX_DEVS) {
		mutex_unlock(&vm->slots_lock);
		return -ENOSPC;
	}
	new = kmalloc(struct_size(new, range, n + 1), GFP_KERNEL_ACCOUNT);
	if (!new) {
		mutex_unlock(&vm->slots_lock);
		return -ENOMEM;
	}
	if (n)
		memcpy(new->range, old->range, n * sizeof(new->range[0]));
	new->range[n] = (struct vmx_io_range){ addr, len, dev };
	new->count = n + 1;
	rcu_assign_pointer(vm->buses[bus], new);
	mutex_unlock(&vm->slots_lock);
	synchronize_srcu_expedited(&vm->srcu);
	kfree(old);
	return 0;
}

void vmx_io_bus_unregister(struct vmx_vm *vm, enum vmx_bus_id bus,
			   struct vmx_io_device *dev)
{
	struct vmx_io_bus *old, *new;
	int i, j;

	mutex_lock(&vm->slots_lock);
	old = bus_get(vm, bus);
	if (!old) {
		mutex_unlock(&vm->slots_lock);
		return;
	}
	/* Shrinking never fails: on no memory keep a same-size copy. */
	new = kmalloc(struct_size(new, range, old->count),
		      GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	for (i = j = 0; i < old->count; i++)
		if (old->range[i].dev != dev)
			new->range[j++] = old->range[i];
	new->count = j;
	rcu_assign_pointer(vm->buses[bus], new);
	mutex_unlock(&vm->slots_lock);
	synchronize_srcu_expedited(&vm->srcu);
	kfree(old);
}

/* A length-0 range (an any-length ioeventfd) takes its address only. */
static bool covers(const struct vmx_io_range *r, u64 addr, int len)
{
	if (!r->len)
		return addr == r->addr;
	return addr >= r->addr && addr + len <= r->addr + r->len;
}

static int bus_access(struct vmx_vcpu *vcpu, enum vmx_bus_id bus, u64 addr,
		      int len, void *val, bool write)
{
	struct vmx_vm *vm = vcpu->vm;
	struct vmx_io_bus *b;
	int i, idx, r = -EOPNOTSUPP;

	idx = srcu_read_lock(&vm->srcu);
	b = srcu_dereference(vm->buses[bus], &vm->srcu);
	for (i = 0; b && i < b->count && r; i++) {
		const struct vmx_io_range *rg = &b->range[i];

		if (!covers(rg, addr, len))
			continue;
		if (write)
			r = rg->dev->ops->write ?
			    rg->dev->ops->write(vcpu, rg->dev, addr, len, val) :
			    -EOPNOTSUPP;
		else
			r = rg->dev->ops->read ?
			    rg->dev->ops->read(vcpu, rg->dev, addr, len, val) :
			    -EOPNOTSUPP;
	}
	srcu_read_unlock(&vm->srcu, idx);
	return r ? -EOPNOTSUPP : 0;
}

int vmx_io_bus_write(struct vmx_vcpu *vcpu, enum vmx_bus_id bus, u64 addr,
		     int len, const void *val)
{
	return bus_access(vcpu, bus, addr, len, (void *)val, true);
}

int vmx_io_bus_read(struct vmx_vcpu *vcpu, enum vmx_bus_id bus, u64 addr,
		    int len, void *val)
{
	return bus_access(vcpu, bus, addr, len, val, false);
}

/* The devices themselves belong to their owners, which unregister first. */
void vmx_io_bus_free(struct vmx_vm *vm)
{
	int i;

	for (i = 0; i < VMX_NR_BUSES; i++) {
		kfree(rcu_dereference_protected(vm->buses[i], 1));
		RCU_INIT_POINTER(vm->buses[i], NULL);
	}
}
