/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD system-configuration MSRs (APM vol. 2, appendix A) that a Linux
 * guest probes at boot but that mean nothing inside a VM: reads give 0
 * and writes are dropped, as on KVM (on either vendor), instead of a #GP
 * the guest logs as "unchecked MSR access error".
 */
#ifndef VMX_MSR_INERT_H
#define VMX_MSR_INERT_H

#include <linux/kernel.h>
#include <linux/types.h>

static const u32 inert_msrs[] = {
	0xc0010010,	/* SYSCFG */
	0xc0010015,	/* HWCR */
	0xc001001f,	/* NB_CFG */
};

static inline bool msr_inert(u32 index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(inert_msrs); i++)
		if (inert_msrs[i] == index)
			return true;
	return false;
}

#endif
