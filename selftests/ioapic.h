/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by ioapic_guest.S and ioapic_test.c. */
#ifndef SELFTEST_IOAPIC_H
#define SELFTEST_IOAPIC_H

#include "apic_regs.h"
#include "layout.h"

#define EDGE_GSI		17	/* IOAPIC only: no PIC pin */
#define LEVEL_GSI		18
#define EDGE_VECTOR		0x41
#define LEVEL_VECTOR		0x42
#define MSI_VECTOR		0x43

/* Guest -> host reports (OUT, dword). */
#define PORT_VERSION		0xe0	/* IOAPIC version register */
#define PORT_READY		0xe1
#define PORT_VECTOR		0xe2	/* from the handler, before its EOI */
#define PORT_EOI_DONE		0xe3	/* from the handler, after its EOI */
#define PORT_DONE		0xe4	/* interrupts counted */

#define IOAPIC_COUNT_GPA	GUEST_DATA_GPA
#define IOAPIC_IDT_GPA		(GUEST_DATA_GPA + 0x2000)

#endif
