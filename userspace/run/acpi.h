/* SPDX-License-Identifier: GPL-2.0 */
/* The ACPI fixed hardware that the FADT (acpi.c) points at (acpi_pm.c). */
#ifndef VMXRUN_ACPI_H
#define VMXRUN_ACPI_H

#include <stddef.h>
#include <stdint.h>
#include "platform.h"

/* I/O ports of the PM1a event and control blocks and the PM timer. */
#define ACPI_PM1A_EVT		0x600	/* status (2 bytes), enable (2) */
#define ACPI_PM1A_CNT		0x604
#define ACPI_PM_TMR		0x608
#define ACPI_PM1_EVT_LEN	4
#define ACPI_PM1_CNT_LEN	2
#define ACPI_PM_TMR_LEN		4
#define ACPI_PM_TMR_HZ		3579545

/* PM1 control bits */
#define ACPI_SCI_EN		(1 << 0)
#define ACPI_SLP_TYP_SHIFT	10
#define ACPI_SLP_TYP_MASK	(7 << ACPI_SLP_TYP_SHIFT)
#define ACPI_SLP_EN		(1 << 13)

/* The reset register: platform.c's reset control at 0xcf9, RST | SYS_RST. */
#define ACPI_RESET_PORT		0xcf9
#define ACPI_RESET_VALUE	6

struct vm;
/* The tables at ACPI_ADDR (boot.h); the registers' ports. */
int acpi_write(struct vm *vm);
int acpi_pm_init(struct vm *vm);
uint8_t acpi_checksum(const void *p, size_t len);
uint32_t acpi_pm_timer(void);		/* the PM timer's current count */

#endif
