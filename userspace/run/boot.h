/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel loaders share the guest-physical layout and a few helpers. */
#ifndef VMXRUN_BOOT_H
#define VMXRUN_BOOT_H

#include <stddef.h>
#include "core.h"

/* Guest-physical layout of what the monitor writes before the kernel. */
#define GDT_ADDR	0x1000ULL
#define BOOT_STACK	0x8000ULL	/* grows down from here */
#define PML4_ADDR	0x9000ULL
#define PDPT_ADDR	0xa000ULL
#define PD_ADDR		0xb000ULL	/* 4 pages: 0-4 GiB in 2 MiB pages */
#define ZERO_PAGE_ADDR	0x10000ULL	/* Linux boot_params / multiboot info */
#define CMDLINE_ADDR	0x20000ULL
#define CMDLINE_MAX	0x10000ULL
#define EBDA_ADDR	0x9fc00ULL	/* last KiB of base memory: reserved */
#define ACPI_ADDR	0xe0000U	/* ACPI tables, RSDP first: reserved */
#define ACPI_SIZE	0x10000U
#define BIOS_ADDR	0xf0000ULL	/* MP table lives here: reserved */
#define KERNEL_ADDR	0x100000ULL

#define E820_RAM	1
#define E820_RESERVED	2
struct e820 {
	uint64_t addr, size;
	uint32_t type;
};
#define E820_MAX	8

/* The guest's memory map; returns the number of entries. */
int boot_e820(struct vm *vm, struct e820 *map);

/* Whole file in a malloc'ed buffer, or NULL after naming the file. */
void *boot_read_file(const char *path, size_t *size);

/* Copy into guest RAM; false (after a message) when it does not fit. */
bool boot_copy(struct vm *vm, uint64_t gpa, const void *src, size_t len,
	       const char *what);

/* Place the initrd as high as possible below limit, above floor. */
int boot_initrd_high(struct vm *vm, const char *path, uint64_t floor,
		     uint64_t limit, uint64_t *addr, uint64_t *size);

int linux_load(struct vm *vm, const uint8_t *img, size_t size,
	       const char *initrd, const char *cmdline, struct boot_entry *e);
int elf_load(struct vm *vm, const uint8_t *img, size_t size,
	     const char *initrd, const char *cmdline, struct boot_entry *e);
/* 1 if img is a multiboot kernel (and was loaded or failed), 0 if not. */
int multiboot_load(struct vm *vm, const uint8_t *img, size_t size,
		   const char *initrd, const char *cmdline,
		   struct boot_entry *e, int *err);

#endif
