/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by ioeventfd_guest.S and ioeventfd_test.c. */
#ifndef SELFTEST_IOEVENTFD_H
#define SELFTEST_IOEVENTFD_H

#include "layout.h"

/*
 * The host's command to the guest: @count accesses of @len bytes of kind
 * @kind at @addr (writes store @value), then an OUT to PORT_DONE.
 */
#define CMD_GPA			GUEST_DATA_GPA
#define CMD_KIND		(CMD_GPA + 0)	/* u32, CMD_* */
#define CMD_LEN			(CMD_GPA + 4)	/* u32 */
#define CMD_ADDR		(CMD_GPA + 8)	/* u64 */
#define CMD_VALUE		(CMD_GPA + 16)	/* u64 */
#define CMD_COUNT		(CMD_GPA + 24)	/* u32 */

#define CMD_PIO_WRITE		0
#define CMD_MMIO_WRITE		1
#define CMD_PIO_READ		2
#define CMD_MMIO_READ		3

#define PORT_DONE		0xe5	/* OUT byte: the command is done */
#define KICK_PORT		0x510
#define KICK_MMIO		(GUEST_MMIO_GPA + 0x100)

#endif
