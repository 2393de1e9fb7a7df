/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by longmode_test.c and longmode_guest.S. */
#ifndef LONGMODE_H
#define LONGMODE_H

#define PATTERN_QWORDS		512		/* one page at GUEST_DATA_GPA */
#define PATTERN_MUL		0x0101010101010101	/* C: cast to uint64_t */
#define PATTERN_ADD		0x1234

#define SUM_GPA			(GUEST_DATA_GPA + 0x1000)
#define SUM_QWORDS		16

#define HIGH_SLOT_GPA		0x40000000	/* slot 1, 2 MiB at 1 GiB */
#define HIGH_SLOT_SIZE		0x200000
#define HIGH_QWORDS		256
#define HIGH_OFFSET		0x1ff000	/* last page of slot 1 */

#define PORT_STACK		0x40
#define PORT_STACK_DONE		0x41
#define PORT_REGS		0x42
#define PORT_SUM		0x43

#endif
