/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by mmio_test.c and mmio_guest.S. */
#ifndef MMIO_H
#define MMIO_H

#define PORT_SYNC		0x50	/* "the load before me is done" */
#define RAX_PRIMED		0x1122334455667788

/* Real-mode guest: slot 0 covers only this, 0xb8000 has no slot. */
#define RM_MEM_SIZE		0x20000
#define RM_MMIO_SEG		0xb800
#define RM_MMIO_GPA		0xb8000

#endif
