// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IOEVENTFD and KVM_IRQFD.  STUB.
 */
#include "core.h"

void vmx_eventfd_free(struct vmx_vm *vm)
{
}

long vmx_eventfd_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			  unsigned long arg)
{
	return -ENOIOCTLCMD;
}

long vmx_eventfd_check_extension(long cap)
{
	return 0;
}
