// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1: 32-bit protected mode entry, EAX = 0x2BADB002, EBX = info
 * (memory sizes, command line, the initrd as the one module, memory map,
 * loader name).  Kernels with the address fields (flag 16) or ELF32.
 */
#include <elf.h>
#include <string.h>
#include "boot.h"

#define MB_MAGIC		0x1badb002
#define MB_LOADER_MAGIC		0x2badb002
#define MB_SEARCH		8192
#define MB_FLAG_ADDRS		(1 << 16)
#define MB_FLAGS_KNOWN		(0x7 | MB_FLAG_ADDRS)	/* align, mem, video */

#define MB_INFO_MEM		(1 << 0)
#define MB_INFO_CMDLINE		(1 << 2)
#define MB_INFO_MODS		(1 << 3)
#define MB_INFO_MMAP		(1 << 6)
#define MB_INFO_LOADER		(1 << 9)

#define MODS_ADDR	(ZERO_PAGE_ADDR + 0x200)
#define MODNAME_ADDR	(ZERO_PAGE_ADDR + 0x300)
#define MMAP_ADDR	(ZERO_PAGE_ADDR + 0x400)
#define LOADER_ADDR	(ZERO_PAGE_ADDR + 0x600)

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, loader_name;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

static int load_aout(struct vm *vm, const uint8_t *img, size_t size,
		     size_t hoff, const uint32_t *h, uint64_t *end)
{
	uint32_t header_addr = h[3], load = h[4], load_end = h[5];
	uint32_t bss_end = h[6];
	uint64_t off, len;

	if (header_addr < load || header_addr - load > hoff) {
		mon_log("multiboot: header_addr below load_addr");
		return -1;
	}
	off = hoff - (header_addr - load);
	len = load_end ? (uint64_t)load_end - load : size - off;
	if (load_end && load_end < load)
		return -1;
	if (len > size - off)
		len = size - off;
	if (!boot_copy(vm, load, img + off, len, "multiboot kernel"))
		return -1;
	*end = load + len;
	if (bss_end > *end) {
		uint8_t *b = gpa_to_hva(vm, *end, bss_end - *end);

		if (!b)
			return -1;
		memset(b, 0, bss_end - *end);
		*end = bss_end;
	}
	return 0;
}

static int load_elf32(struct vm *vm, const uint8_t *img, size_t size,
		      uint64_t *end, uint32_t *entry)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)img;
	int i;

	if (size < sizeof(*eh) || memcmp(img, "\177ELF", 4) ||
	    img[4] != ELFCLASS32 || eh->e_phentsize != sizeof(Elf32_Phdr) ||
	    eh->e_phoff > size ||
	    eh->e_phnum > (size - eh->e_phoff) / sizeof(Elf32_Phdr)) {
		mon_log("multiboot: no address fields and not an ELF32 image");
		return -1;
	}
	*entry = eh->e_entry;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf32_Phdr *ph = (const Elf32_Phdr *)(img + eh->e_phoff) + i;
		uint8_t *dst;

		if (ph->p_type != PT_LOAD)
			continue;
		dst = gpa_to_hva(vm, ph->p_paddr, ph->p_memsz);
		if (!dst || ph->p_offset > size ||
		    ph->p_filesz > size - ph->p_offset ||
		    ph->p_filesz > ph->p_memsz) {
			mon_log("multiboot: ELF segment %d does not fit", i);
			return -1;
		}
		memcpy(dst, img + ph->p_offset, ph->p_filesz);
		memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
		if (eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry - ph->p_vaddr < ph->p_memsz)
			*entry = eh->e_entry - ph->p_vaddr + ph->p_paddr;
		if ((uint64_t)ph->p_paddr + ph->p_memsz > *end)
			*end = (uint64_t)ph->p_paddr + ph->p_memsz;
	}
	return 0;
}

static int write_info(struct vm *vm, const char *initrd, const char *cmdline,
		      uint64_t kend)
{
	struct mb_info info = { 0 };
	struct e820 map[E820_MAX];
	struct mb_mmap mm[E820_MAX];
	uint32_t mod[4] = { 0 };
	uint64_t addr, size;
	int i, n;

	info.flags = MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MMAP | MB_INFO_LOADER;
	info.mem_lower = EBDA_ADDR >> 10;
	info.mem_upper = (vm->low_size - KERNEL_ADDR) >> 10;
	if (strlen(cmdline) >= CMDLINE_MAX ||
	    !boot_copy(vm, CMDLINE_ADDR, cmdline, strlen(cmdline) + 1, "command line"))
		return -1;
	info.cmdline = CMDLINE_ADDR;
	if (initrd) {
		if (strlen(initrd) >= MMAP_ADDR - MODNAME_ADDR ||
		    boot_initrd_high(vm, initrd, kend, vm->low_size, &addr, &size))
			return -1;
		mod[0] = addr;
		mod[1] = addr + size;
		mod[2] = MODNAME_ADDR;
		boot_copy(vm, MODNAME_ADDR, initrd, strlen(initrd) + 1, "module name");
		boot_copy(vm, MODS_ADDR, mod, sizeof(mod), "module list");
		info.flags |= MB_INFO_MODS;
		info.mods_count = 1;
		info.mods_addr = MODS_ADDR;
	}
	n = boot_e820(vm, map);
	for (i = 0; i < n; i++)
		mm[i] = (struct mb_mmap){ 20, map[i].addr, map[i].size, map[i].type };
	boot_copy(vm, MMAP_ADDR, mm, n * sizeof(mm[0]), "memory map");
	info.mmap_addr = MMAP_ADDR;
	info.mmap_length = n * sizeof(mm[0]);
	boot_copy(vm, LOADER_ADDR, "vmx-run", 8, "loader name");
	info.loader_name = LOADER_ADDR;
	return boot_copy(vm, ZERO_PAGE_ADDR, &info, sizeof(info), "info") ? 0 : -1;
}

int multiboot_load(struct vm *vm, const uint8_t *img, size_t size,
		   const char *initrd, const char *cmdline,
		   struct boot_entry *e, int *err)
{
	size_t off, lim = size < MB_SEARCH ? size : MB_SEARCH;
	const uint32_t *h = NULL;
	uint64_t end = 0;
	uint32_t entry;

	for (off = 0; off + 32 <= lim; off += 4) {
		const uint32_t *p = (const uint32_t *)(img + off);

		if (p[0] == MB_MAGIC && p[0] + p[1] + p[2] == 0) {
			h = p;
			break;
		}
	}
	if (!h)
		return 0;
	*err = -1;
	if (h[1] & 0xffff & ~MB_FLAGS_KNOWN) {
		mon_log("multiboot: unsupported required flags %#x", h[1]);
		return 1;
	}
	if (h[1] & MB_FLAG_ADDRS) {
		if (load_aout(vm, img, size, off, h, &end))
			return 1;
		entry = h[7];
	} else if (load_elf32(vm, img, size, &end, &entry)) {
		return 1;
	}
	if (write_info(vm, initrd, cmdline, end))
		return 1;
	e->long_mode = false;
	e->rip = entry;
	e->rax = MB_LOADER_MAGIC;
	e->rbx = ZERO_PAGE_ADDR;
	*err = 0;
	return 1;
}
