// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_IRQCHIP: PIC, IOAPIC and GSI routing.  STUB: creates an
 * empty irqchip so that vCPUs get local APICs.
 */
#include <linux/slab.h>

#include "core.h"

struct vmx_irqchip {
	int unused;
};

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
	/* Pairs with vmx_irqchip_in_kernel(). */
	smp_store_release(&vm->irqchip, chip);
	r = 0;
out:
	mutex_unlock(&vm->lock);
	return r;
}

int vmx_irq_set(struct vmx_vm *vm, u32 gsi, int level)
{
	return -ENXIO;
}

int vmx_irq_msi(struct vmx_vm *vm, const struct kvm_msi *msi)
{
	return -ENXIO;
}

int vmx_pic_has_interrupt(struct vmx_vm *vm)
{
	return -1;
}

int vmx_pic_read_irq(struct vmx_vm *vm)
{
	return -1;
}

void vmx_ioapic_eoi(struct vmx_vm *vm, int vector)
{
}

void vmx_register_irq_ack_notifier(struct vmx_vm *vm,
				   struct vmx_irq_ack_notifier *n)
{
}

void vmx_unregister_irq_ack_notifier(struct vmx_vm *vm,
				     struct vmx_irq_ack_notifier *n)
{
}

void vmx_irqchip_free(struct vmx_vm *vm)
{
	kfree(vm->irqchip);
}

long vmx_irqchip_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			  unsigned long arg)
{
	if (ioctl == KVM_CREATE_IRQCHIP)
		return create_irqchip(vm);
	return -ENOIOCTLCMD;
}

long vmx_irqchip_check_extension(long cap)
{
	return 0;
}
