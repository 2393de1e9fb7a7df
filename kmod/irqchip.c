// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_IRQCHIP: PIC, IOAPIC and GSI routing.  STUB.
 */
#include "core.h"

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
}

long vmx_irqchip_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			  unsigned long arg)
{
	return -ENOIOCTLCMD;
}

long vmx_irqchip_check_extension(long cap)
{
	return 0;
}
