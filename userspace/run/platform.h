/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform constants that the C code and the DSDT (dsdt.dsl, compiled by
 * iasl) share.  iasl's preprocessor takes only plain #defines: no integer
 * suffixes, no expressions, no macros with arguments.
 */
#ifndef VMXRUN_PLATFORM_H
#define VMXRUN_PLATFORM_H

/* The 32-bit PCI memory window: BARs are placed here (pci.c). */
#define PCI_MMIO_BASE	0xe0000000
#define PCI_MMIO_SIZE	0x10000000
#define PCI_MMIO_LAST	0xefffffff

/* SLP_TYP of the \_S5 (soft-off) object: acpi_pm.c powers off on it. */
#define ACPI_S5_TYP	5

#endif
