// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_IRQCHIP: the PIC pair and the IOAPIC, GSI routing, line and
 * MSI injection, KVM_GET/SET_IRQCHIP and the ack notifiers.
 */
#include <linux/sort.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"
#include "irqchip.h"

#define PIC_CHIP_PINS		8

/* x86 MSI address and data (Intel SDM 10.11). */
#define MSI_ADDR_DEST_SHIFT	12
#define MSI_ADDR_DEST_MASK	0xff
#define MSI_ADDR_REDIR_HINT	BIT(3)
#define MSI_ADDR_DEST_LOGICAL	BIT(2)
#define MSI_DATA_VECTOR_MASK	0xff
#define MSI_DATA_DM_SHIFT	8
#define MSI_DATA_DM_MASK	7
#define MSI_DATA_LEVEL		BIT(15)
#define APIC_DM_FIXED_NR	0
#define APIC_DM_LOWEST_NR	1

static struct vmx_irqchip *vm_chip(struct vmx_vm *vm)
{
	/* Pairs with the publish in create_irqchip(). */
	return smp_load_acquire(&vm->irqchip);
}

static int route_cmp(const void *a, const void *b)
{
	const struct vmx_route *x = a, *y = b;

	return x->gsi < y->gsi ? -1 : x->gsi > y->gsi;
}

/* Check and convert a user table as KVM does: -EINVAL for any mistake. */
static struct vmx_routing *routing_build(const struct kvm_irq_routing_entry *ue,
					 u32 nr)
{
	struct vmx_routing *rt;
	u32 i, j, nr_gsi = 0;

	for (i = 0; i < nr; i++) {
		if (ue[i].gsi >= VMX_MAX_IRQ_ROUTES)
			return ERR_PTR(-EINVAL);
		nr_gsi = max(nr_gsi, ue[i].gsi + 1);
	}
	rt = kvzalloc(struct_size(rt, route, nr), GFP_KERNEL_ACCOUNT);
	if (!rt)
		return ERR_PTR(-ENOMEM);
	rt->first = kvcalloc(nr_gsi + 1, sizeof(*rt->first),
			     GFP_KERNEL_ACCOUNT);
	if (!rt->first)
		goto nomem;
	rt->nr = nr;
	rt->nr_gsi = nr_gsi;
	memset(rt->pin_gsi, 0xff, sizeof(rt->pin_gsi));

	for (i = 0; i < nr; i++) {
		struct vmx_route *r = &rt->route[i];

		r->gsi = ue[i].gsi;
		r->type = ue[i].type;
		switch (ue[i].type) {
		case KVM_IRQ_ROUTING_IRQCHIP:
			if (ue[i].flags)
				goto inval;
			r->irqchip.chip = ue[i].u.irqchip.irqchip;
			r->irqchip.pin = ue[i].u.irqchip.pin;
			if (r->irqchip.chip > KVM_IRQCHIP_IOAPIC ||
			    r->irqchip.pin >= (r->irqchip.chip ==
					       KVM_IRQCHIP_IOAPIC ?
					       VMX_IOAPIC_PINS : PIC_CHIP_PINS))
				goto inval;
			break;
		case KVM_IRQ_ROUTING_MSI:
			if (ue[i].flags & ~KVM_MSI_VALID_DEVID)
				goto inval;
			r->msi = ue[i].u.msi;
			break;
		default:
			goto inval;
		}
	}
	sort(rt->route, nr, sizeof(rt->route[0]), route_cmp, NULL);

	/* A GSI reaches each chip at most once; an MSI GSI nothing else. */
	for (i = 0; i < nr; i = j) {
		u32 chips = 0;

		for (j = i; j < nr && rt->route[j].gsi == rt->route[i].gsi; j++) {
			struct vmx_route *r = &rt->route[j];

			if (r->type == KVM_IRQ_ROUTING_MSI) {
				if (j > i || (j + 1 < nr &&
					      rt->route[j + 1].gsi == r->gsi))
					goto inval;
				continue;
			}
			if (chips & BIT(r->irqchip.chip))
				goto inval;
			chips |= BIT(r->irqchip.chip);
			rt->pin_gsi[r->irqchip.chip][r->irqchip.pin] = r->gsi;
		}
	}
	for (i = 0, j = 0; j <= nr_gsi; j++) {
		while (i < nr && rt->route[i].gsi < j)
			i++;
		rt->first[j] = i;
	}
	return rt;

inval:
	kvfree(rt->first);
	kvfree(rt);
	return ERR_PTR(-EINVAL);
nomem:
	kvfree(rt);
	return ERR_PTR(-ENOMEM);
}

static void routing_free(struct vmx_routing *rt)
{
	if (rt) {
		kvfree(rt->first);
		kvfree(rt);
	}
}

static int routing_set(struct vmx_irqchip *chip,
		       const struct kvm_irq_routing_entry *ue, u32 nr)
{
	struct vmx_routing *rt = routing_build(ue, nr), *old;

	if (IS_ERR(rt))
		return PTR_ERR(rt);
	mutex_lock(&chip->routing_lock);
	old = rcu_replace_pointer(chip->routing, rt,
				  lockdep_is_held(&chip->routing_lock));
	mutex_unlock(&chip->routing_lock);
	synchronize_rcu();
	routing_free(old);
	return 0;
}

/* KVM's default: GSI 0-15 to a PIC pin and the same IOAPIC pin, 16-23 IOAPIC. */
static int routing_default(struct vmx_irqchip *chip)
{
	struct kvm_irq_routing_entry *ue;
	int gsi, n = 0, r;

	ue = kcalloc(VMX_PIC_PINS + VMX_IOAPIC_PINS, sizeof(*ue), GFP_KERNEL);
	if (!ue)
		return -ENOMEM;
	for (gsi = 0; gsi < VMX_IOAPIC_PINS; gsi++) {
		if (gsi < VMX_PIC_PINS) {
			ue[n].gsi = gsi;
			ue[n].type = KVM_IRQ_ROUTING_IRQCHIP;
			ue[n].u.irqchip.irqchip = gsi / PIC_CHIP_PINS;
			ue[n++].u.irqchip.pin = gsi % PIC_CHIP_PINS;
		}
		ue[n].gsi = gsi;
		ue[n].type = KVM_IRQ_ROUTING_IRQCHIP;
		ue[n].u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		ue[n++].u.irqchip.pin = gsi;
	}
	r = routing_set(chip, ue, n);
	kfree(ue);
	return r;
}

/* Decode the x86 MSI format into an APIC interrupt message. */
static int msi_deliver(struct vmx_vm *vm, u32 addr_lo, u32 data)
{
	struct vmx_apic_irq irq = {
		.dest_id = (addr_lo >> MSI_ADDR_DEST_SHIFT) & MSI_ADDR_DEST_MASK,
		.vector = data & MSI_DATA_VECTOR_MASK,
		.delivery_mode = (data >> MSI_DATA_DM_SHIFT) & MSI_DATA_DM_MASK,
		.dest_logical = !!(addr_lo & MSI_ADDR_DEST_LOGICAL),
		.level = true,
		.trig_level = !!(data & MSI_DATA_LEVEL),
	};

	/* RH in logical mode: lowest priority among the destinations. */
	if ((addr_lo & MSI_ADDR_REDIR_HINT) && irq.dest_logical &&
	    irq.delivery_mode == APIC_DM_FIXED_NR)
		irq.delivery_mode = APIC_DM_LOWEST_NR;
	return vmx_apic_deliver(vm, NULL, &irq);
}

int vmx_irq_msi(struct vmx_vm *vm, const struct kvm_msi *msi)
{
	if (!vmx_irqchip_in_kernel(vm) || (msi->flags & ~KVM_MSI_VALID_DEVID))
		return -EINVAL;
	return msi_deliver(vm, msi->address_lo, msi->data);
}

/*
 * Every route of @gsi gets the level; results combine as in KVM:
 * -1 when no chip took it, else the sum of what each delivered.
 */
int vmx_irq_set(struct vmx_vm *vm, u32 gsi, int level)
{
	struct vmx_irqchip *chip = vm_chip(vm);
	struct vmx_routing *rt;
	int ret = -1, r;
	u32 i;

	if (!chip)
		return -ENXIO;
	rcu_read_lock();
	rt = rcu_dereference(chip->routing);
	for (i = gsi < rt->nr_gsi ? rt->first[gsi] : rt->nr;
	     i < rt->nr && rt->route[i].gsi == gsi; i++) {
		const struct vmx_route *e = &rt->route[i];

		if (e->type == KVM_IRQ_ROUTING_MSI)
			r = level ? msi_deliver(vm, e->msi.address_lo,
						e->msi.data) : -1;
		else if (e->irqchip.chip == KVM_IRQCHIP_IOAPIC)
			r = vmx_ioapic_set_irq(vm, e->irqchip.pin, level);
		else
			r = vmx_pic_set_irq(vm, e->irqchip.chip * PIC_CHIP_PINS +
					    e->irqchip.pin, level);
		if (r >= 0)
			ret = r + max(ret, 0);
	}
	rcu_read_unlock();
	return ret;
}

void vmx_irqchip_acked(struct vmx_vm *vm, int chip_id, int pin)
{
	struct vmx_irqchip *chip = vm_chip(vm);
	struct vmx_irq_ack_notifier *n;
	struct vmx_routing *rt;
	int gsi;

	rcu_read_lock();
	rt = rcu_dereference(chip->routing);
	gsi = rt->pin_gsi[chip_id][pin];
	if (gsi >= 0)
		hlist_for_each_entry_rcu(n, &chip->ack_list, link)
			if (n->gsi == gsi)
				n->acked(n);
	rcu_read_unlock();
}

void vmx_register_irq_ack_notifier(struct vmx_vm *vm,
				   struct vmx_irq_ack_notifier *n)
{
	struct vmx_irqchip *chip = vm_chip(vm);
	unsigned long flags;

	if (!chip)
		return;		/* nothing would ever acknowledge */
	spin_lock_irqsave(&chip->ack_lock, flags);
	hlist_add_head_rcu(&n->link, &chip->ack_list);
	spin_unlock_irqrestore(&chip->ack_lock, flags);
}

/* May sleep: waits until no EOI is still calling @n. */
void vmx_unregister_irq_ack_notifier(struct vmx_vm *vm,
				     struct vmx_irq_ack_notifier *n)
{
	struct vmx_irqchip *chip = vm_chip(vm);
	unsigned long flags;

	if (!chip)
		return;
	spin_lock_irqsave(&chip->ack_lock, flags);
	hlist_del_init_rcu(&n->link);
	spin_unlock_irqrestore(&chip->ack_lock, flags);
	synchronize_rcu();
}

static int create_irqchip(struct vmx_vm *vm)
{
	struct vmx_irqchip *chip;
	int r = -EEXIST;

	mutex_lock(&vm->lock);
	if (vm->irqchip)
		goto out;
	r = -EINVAL;	/* as KVM: the chips must exist before any vCPU */
	if (vm->nr_vcpus)
		goto out;
	r = -ENOMEM;
	chip = kzalloc(sizeof(*chip), GFP_KERNEL_ACCOUNT);
	if (!chip)
		goto out;
	mutex_init(&chip->routing_lock);
	spin_lock_init(&chip->ack_lock);
	INIT_HLIST_HEAD(&chip->ack_list);
	r = routing_default(chip);
	if (r)
		goto free;
	r = vmx_pic_init(vm, &chip->pic);
	if (r)
		goto free;
	r = vmx_ioapic_init(vm, &chip->ioapic);
	if (r)
		goto free_pic;
	/* Pairs with vmx_irqchip_in_kernel(). */
	smp_store_release(&vm->irqchip, chip);
	goto out;

free_pic:
	vmx_pic_destroy(vm, &chip->pic);
free:
	routing_free(rcu_dereference_protected(chip->routing, 1));
	kfree(chip);
out:
	mutex_unlock(&vm->lock);
	return r;
}

void vmx_irqchip_free(struct vmx_vm *vm)
{
	struct vmx_irqchip *chip = vm->irqchip;

	if (!chip)
		return;
	vmx_ioapic_destroy(vm, &chip->ioapic);
	vmx_pic_destroy(vm, &chip->pic);
	routing_free(rcu_dereference_protected(chip->routing, 1));
	kfree(chip);
	vm->irqchip = NULL;
}

static long irq_line(struct vmx_vm *vm, void __user *argp, bool status)
{
	struct kvm_irq_level l;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	if (!vmx_irqchip_in_kernel(vm))
		return -ENXIO;
	l.status = vmx_irq_set(vm, l.irq, l.level);
	if (status && copy_to_user(argp, &l, sizeof(l)))
		return -EFAULT;
	return 0;
}

static long set_gsi_routing(struct vmx_vm *vm, void __user *argp)
{
	struct kvm_irq_routing __user *ur = argp;
	struct kvm_irq_routing_entry *ue = NULL;
	struct kvm_irq_routing hdr;
	long r;

	if (copy_from_user(&hdr, ur, sizeof(hdr)))
		return -EFAULT;
	if (!vmx_irqchip_in_kernel(vm) || hdr.nr > VMX_MAX_IRQ_ROUTES ||
	    hdr.flags)
		return -EINVAL;
	if (hdr.nr) {
		ue = vmemdup_user(ur->entries, array_size(sizeof(*ue), hdr.nr));
		if (IS_ERR(ue))
			return PTR_ERR(ue);
	}
	r = routing_set(vm_chip(vm), ue, hdr.nr);
	kvfree(ue);
	return r;
}

static long get_set_irqchip(struct vmx_vm *vm, void __user *argp, bool set)
{
	struct vmx_irqchip *chip = vm_chip(vm);
	struct kvm_irqchip *c;
	long r = 0;

	c = memdup_user(argp, sizeof(*c));
	if (IS_ERR(c))
		return PTR_ERR(c);
	if (!chip) {
		r = -ENXIO;
		goto out;
	}
	switch (c->chip_id) {
	case KVM_IRQCHIP_PIC_MASTER:
	case KVM_IRQCHIP_PIC_SLAVE:
		if (set)
			vmx_pic_set_state(vm, c->chip_id, &c->chip.pic);
		else
			vmx_pic_get_state(&chip->pic, c->chip_id, &c->chip.pic);
		break;
	case KVM_IRQCHIP_IOAPIC:
		if (set)
			vmx_ioapic_set_state(vm, &c->chip.ioapic);
		else
			vmx_ioapic_get_state(&chip->ioapic, &c->chip.ioapic);
		break;
	default:
		r = -EINVAL;
		goto out;
	}
	if (!set && copy_to_user(argp, c, sizeof(*c)))
		r = -EFAULT;
out:
	kfree(c);
	return r;
}

long vmx_irqchip_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct kvm_msi msi;

	switch (ioctl) {
	case KVM_CREATE_IRQCHIP:
		return create_irqchip(vm);
	case KVM_IRQ_LINE:
	case KVM_IRQ_LINE_STATUS:
		return irq_line(vm, argp, ioctl == KVM_IRQ_LINE_STATUS);
	case KVM_SET_GSI_ROUTING:
		return set_gsi_routing(vm, argp);
	case KVM_SIGNAL_MSI:
		if (copy_from_user(&msi, argp, sizeof(msi)))
			return -EFAULT;
		return vmx_irq_msi(vm, &msi);
	case KVM_GET_IRQCHIP:
	case KVM_SET_IRQCHIP:
		return get_set_irqchip(vm, argp, ioctl == KVM_SET_IRQCHIP);
	default:
		return -ENOIOCTLCMD;
	}
}

long vmx_irqchip_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_IRQ_INJECT_STATUS:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_PIT:		/* pit.c */
	case KVM_CAP_PIT2:
	case KVM_CAP_PIT_STATE2:
	case KVM_CAP_REINJECT_CONTROL:
		return 1;
	case KVM_CAP_IRQ_ROUTING:
		return VMX_MAX_IRQ_ROUTES;
	default:
		return 0;
	}
}
