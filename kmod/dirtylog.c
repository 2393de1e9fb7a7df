// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page logging.  STUB.
 */
#include "core.h"

long vmx_dirtylog_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			   unsigned long arg)
{
	return -ENOIOCTLCMD;
}

long vmx_dirtylog_check_extension(long cap)
{
	return 0;
}
