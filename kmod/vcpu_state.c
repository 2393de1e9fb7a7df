// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU state ioctls: FPU, XSAVE, XCRS, debug registers.  STUB.
 */
#include "core.h"

long vmx_state_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg)
{
	return -ENOIOCTLCMD;
}

long vmx_state_check_extension(long cap)
{
	return 0;
}
