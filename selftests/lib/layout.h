/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical memory layout shared by the library, the guest snippets
 * (.S files) and the tests. Plain numbers only: the assembler includes it.
 *
 * Everything below 1 MiB so that real-mode guests (DS = ES = SS = 0,
 * CS = GUEST_CODE_GPA >> 4) reach it too.
 */
#ifndef SELFTEST_LAYOUT_H
#define SELFTEST_LAYOUT_H

#define GUEST_MEM_SIZE		0x200000	/* slot 0: 2 MiB at GPA 0 */

#define GUEST_GDT_GPA		0x1000
#define GUEST_TSS_GPA		0x1800		/* 104-byte 64-bit TSS */
#define GUEST_PML4_GPA		0x2000
#define GUEST_PDPT_GPA		0x3000
#define GUEST_PD_GPA		0x4000		/* 4 page directories: 0-4 GiB */
#define GUEST_DATA_GPA		0x8000		/* scratch data for tests */
#define GUEST_DATA_SIZE		0x4000
#define GUEST_STACK_TOP		0xf000		/* grows down towards DATA */
#define GUEST_IDT_GPA		0xf000		/* guest_set_idt_gate(): 4 KiB */
#define GUEST_CODE_GPA		0x10000		/* snippets are copied here */
#define GUEST_CODE_MAX		0x10000

/* Identity-mapped by the long-mode page tables, never backed by a slot. */
#define GUEST_MMIO_GPA		0xd0000000

/* Long-mode GDT selectors (see guest.c). */
#define GUEST_SEL_CODE64	0x08
#define GUEST_SEL_DATA		0x10
#define GUEST_SEL_TSS		0x18

#endif
