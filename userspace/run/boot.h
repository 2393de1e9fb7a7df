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

/*
 * Place a file (initrd, module) page-aligned as high as possible below
 * limit and above floor.
 */
int boot_file_high(struct vm *vm, const char *path, uint64_t floor,
		   uint64_t limit, uint64_t *addr, uint64_t *size);

/* elf.c: PT_LOAD segments at their physical addresses, from 1 MiB up. */
int elf_load_segments(struct vm *vm, const char *path, const uint8_t *img,
		      size_t size, uint64_t *end, uint64_t *entry);

/* linux.c: the 64-bit boot protocol, for a bzImage or a 64-bit ELF. */
int linux_load(struct vm *vm, const struct boot_args *a, const uint8_t *img,
	       size_t size, struct boot_entry *e);
int elf_load(struct vm *vm, const struct boot_args *a, const uint8_t *img,
	     size_t size, struct boot_entry *e);

/* multiboot.c */
enum mb_found { MB_NONE, MB_FOUND, MB_BAD_CHECKSUM };
/* Look for the header in the first 8 KiB; *off is where it is. */
enum mb_found multiboot_find(const uint8_t *img, size_t size, size_t *off);
int multiboot_load(struct vm *vm, const struct boot_args *a,
		   const uint8_t *img, size_t size, size_t off,
		   struct boot_entry *e);

#endif
