// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel i8254 PIT.  STUB.
 */
#include "core.h"

void vmx_pit_free(struct vmx_vm *vm)
{
}

long vmx_pit_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
		      unsigned long arg)
{
	return -ENOIOCTLCMD;
}
