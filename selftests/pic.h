/* SPDX-License-Identifier: GPL-2.0 */
/* Ports and layout shared by pic_guest.S / pit_guest.S and their tests. */
#ifndef SELFTEST_PIC_H
#define SELFTEST_PIC_H

#include "layout.h"

#define PIC_VECTOR_MASTER	0x20
#define PIC_VECTOR_SLAVE	0x28
/* Guest -> host reports (OUT). */
#define PORT_READY		0xe1	/* PICs programmed, about to STI */
#define PORT_IRQ		0xe0	/* word: IRQ number, from the handler */
#define PORT_IRR		0xe2	/* byte: master IRR */
#define PORT_DONE		0xe3	/* word: interrupts counted */
#define PORT_VAL		0xe4	/* byte: a value the host checks */
#define PORT_SYNC		0xe5	/* host acts, then resumes */
/* Guest data: interrupt count (word) and the IDTR image. */
#define PIC_COUNT_GPA		GUEST_DATA_GPA
#define PIC_IDTR_GPA		(GUEST_DATA_GPA + 0x10)
/* The unmasked lines: IRQ3 on the master, IRQ10 behind the cascade. */
#define PIC_MASTER_IMR		0xf3	/* IRQ2 (cascade) and IRQ3 open */
#define PIC_MASTER_IMR2		0xe3	/* ... and IRQ4 */
#define PIC_SLAVE_IMR		0xfb	/* IRQ10 open */
/* pit_test: ticks to count at ~100 Hz, and what the guest reports. */
#define PIT_TICKS		100
#define PIT_DIVISOR		11932	/* 1193182 Hz / 100 */
#define PIT_IMR			0xfe	/* only IRQ0 */
#define PORT_PIT_STATUS		0xe4	/* byte: read-back status of ch 0 */
#define PORT_PIT_COUNT		0xe5	/* word: latched count of ch 0 */
#define PORT_SPEAKER		0xe6	/* byte: port 0x61 after writing 1 */

#endif
