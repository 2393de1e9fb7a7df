/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by debugregs_test.c and debugregs_guest.S. */
#ifndef DEBUGREGS_H
#define DEBUGREGS_H

#define PORT_DR_READ		0x70
#define PORT_DR_WRITTEN		0x71

/* What the guest writes into DR0-3 and DR7 after reading them. */
#define GUEST_DR0		0x111000
#define GUEST_DR1		0x222000
#define GUEST_DR2		0x333000
#define GUEST_DR3		0x444000
/* DR7: reserved bit 10 set, LE/GE set, no breakpoint enabled. */
#define GUEST_DR7		0x700

#endif
