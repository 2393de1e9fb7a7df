/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by irqfd_guest.S and irqfd_test.c. */
#ifndef SELFTEST_IRQFD_H
#define SELFTEST_IRQFD_H

#include "apic_regs.h"
#include "layout.h"

#define EDGE_GSI		17	/* IOAPIC pins, no PIC pin */
#define LEVEL_GSI		18
#define MSI_GSI			30	/* routed to an MSI by the test */
#define STOP_VECTOR		0x40	/* KVM_SIGNAL_MSI: below the others */
#define EDGE_VECTOR		0x51
#define LEVEL_VECTOR		0x52
#define MSI_VECTOR		0x53

/* Guest -> host reports (OUT, dword). */
#define PORT_READY		0xe1
#define PORT_VECTOR		0xe2	/* count << 8 | vector, before EOI */
#define PORT_EOI_DONE		0xe3	/* the same, after the EOI */

#define IRQFD_COUNT_GPA		GUEST_DATA_GPA

#endif
