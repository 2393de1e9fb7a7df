// SPDX-License-Identifier: GPL-2.0
/*
 * Guest time: kvmclock, KVM_GET/SET_CLOCK.  STUB.
 */
#include "core.h"

int vmx_clock_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data, bool write,
		  bool host)
{
	return 1;
}

void vmx_kvmclock_update(struct vmx_vcpu *vcpu)
{
}

long vmx_clock_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			unsigned long arg)
{
	return -ENOIOCTLCMD;
}

long vmx_clock_check_extension(long cap)
{
	return 0;
}
