/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by irq_once_guest.S and irq_once_test.c. */
#ifndef SELFTEST_IRQ_ONCE_H
#define SELFTEST_IRQ_ONCE_H

#include "apic_regs.h"
#include "layout.h"

#define ONCE_VECTOR		0x51
#define ONCE_SPIN		500000	/* loop turns with IF=0, no exits */

/* Guest -> host reports (OUT, dword). */
#define PORT_READY		0xe0
#define PORT_GOT		0xe1	/* handler: deliveries so far */

#define ONCE_COUNT_GPA		GUEST_DATA_GPA

#endif
