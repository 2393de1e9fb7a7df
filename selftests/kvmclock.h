/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by kvmclock_test.c and kvmclock_guest.S. */
#ifndef KVMCLOCK_H
#define KVMCLOCK_H

#include "layout.h"

#define MSR_KVM_WALL_CLOCK_NEW	0x4b564d00
#define MSR_KVM_SYSTEM_TIME_NEW	0x4b564d01

#define KC_WALL_GPA		(GUEST_DATA_GPA + 0x40)
#define KC_PVTI_GPA		(GUEST_DATA_GPA + 0x100)
#define KC_PVTI2_GPA		(GUEST_DATA_GPA + 0x200)
#define KC_PVTI3_GPA		(GUEST_DATA_GPA + 0x300)	/* vCPU 1 */
/* Snapshots: 32 bytes of pvclock_vcpu_time_info, then the guest TSC. */
#define KC_SNAP_A		(GUEST_DATA_GPA + 0x400)
#define KC_SNAP_B		(GUEST_DATA_GPA + 0x440)
#define KC_SNAP_C		(GUEST_DATA_GPA + 0x480)

#define PORT_KC_TWO		0x70	/* SNAP_A, spin, SNAP_B taken */
#define PORT_KC_SNAP		0x71	/* SNAP_C taken */

#endif
