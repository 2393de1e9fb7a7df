// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1: 32-bit protected mode entry, EAX = 0x2BADB002, EBX = info
 * (memory sizes, command line, modules, memory map, loader name).  The
 * image is an ELF (32- or 64-bit, entered in 32-bit mode) or, with the
 * address fields (flag 16), loaded as they say.  As GRUB and QEMU do, the
 * command line starts with the kernel's file name, and each module's
 * string with the module's.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot.h"

#define MB_MAGIC		0x1badb002
#define MB_LOADER_MAGIC		0x2badb002
#define MB_SEARCH		8192
#define MB_FLAG_ADDRS		(1 << 16)
/* Page-aligned modules, memory info, video mode (ignored, as QEMU does). */
#define MB_FLAGS_KNOWN		(0x7 | MB_FLAG_ADDRS)

#define MB_INFO_MEM		(1 << 0)
#define MB_INFO_CMDLINE		(1 << 2)
#define MB_INFO_MODS		(1 << 3)
#define MB_INFO_MMAP		(1 << 6)
#define MB_INFO_LOADER		(1 << 9)

/* The info structure and what it points to, below the command line. */
#define INFO_ADDR	ZERO_PAGE_ADDR
#define MMAP_ADDR	(INFO_ADDR + 0x100)
#define LOADER_ADDR	(INFO_ADDR + 0x200)
#define MODS_ADDR	(INFO_ADDR + 0x400)	/* MAX_MODULES entries */
#define STRINGS_ADDR	(INFO_ADDR + 0x1000)	/* up to CMDLINE_ADDR */

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

void modules_free(struct module *m, int n)
{
	while (n--) {
		free(m[n].file);
		free(m[n].string);
	}
}

int modules_parse(const char *list, struct module *m)
{
	const char *p = list;
	size_t len;
	bool ok;
	int n = 0;

	for (;;) {
		char *s = malloc(strlen(p) + 1);

		if (n == MAX_MODULES || !s) {
			free(s);
			break;
		}
		for (len = 0; *p && !(p[0] == ',' && p[1] != ','); len++) {
			if (*p == ',')		/* ",," is a comma */
				p++;
			s[len] = *p++;
		}
		s[len] = 0;
		m[n].string = s;
		m[n].file = strndup(s, strcspn(s, " "));
		ok = m[n].file && *m[n].file;
		n++;
		if (!ok)
			break;
		if (!*p++)
			return n;
	}
	modules_free(m, n);
	return -1;
}

enum mb_found multiboot_find(const uint8_t *img, size_t size, size_t *off)
{
	size_t o, lim = size < MB_SEARCH ? size : MB_SEARCH;
	enum mb_found r = MB_NONE;
	uint32_t h[3];

	for (o = 0; o + sizeof(h) <= lim; o += 4) {
		memcpy(h, img + o, sizeof(h));
		if (h[0] != MB_MAGIC)
			continue;
		if (h[0] + h[1] + h[2] == 0) {
			*off = o;
			return MB_FOUND;
		}
		if (r == MB_NONE) {
			*off = o;
			r = MB_BAD_CHECKSUM;
		}
	}
	return r;
}

/* With the address fields: load_addr..load_end_addr from the file, bss. */
static int load_aout(struct vm *vm, const char *path, const uint8_t *img,
		     size_t size, size_t off, uint64_t *end, uint64_t *entry)
{
	/* magic, flags, checksum, header, load, load_end, bss_end, entry */
	uint32_t h[8];
	uint64_t foff, len, mem_end;
	uint8_t *dst;

	if (off + sizeof(h) > size) {
		mon_log("%s: multiboot address fields past the end of the file",
			path);
		return -1;
	}
	memcpy(h, img + off, sizeof(h));
	if (h[3] < h[4] || h[3] - h[4] > off) {
		mon_log("%s: multiboot header_addr %#x and load_addr %#x do not match the header's offset %#zx",
			path, h[3], h[4], off);
		return -1;
	}
	foff = off - (h[3] - h[4]);
	len = h[5] ? (uint64_t)h[5] - h[4] : size - foff;
	if (h[5] && (h[5] <= h[4] || len > size - foff)) {
		mon_log("%s: multiboot load_end_addr %#x is not within the file (%zu bytes from load_addr %#x)",
			path, h[5], size - foff, h[4]);
		return -1;
	}
	mem_end = h[6] ? h[6] : h[4] + len;
	if (mem_end < h[4] + len) {
		mon_log("%s: multiboot bss_end_addr %#x below load_end_addr",
			path, h[6]);
		return -1;
	}
	dst = h[4] < KERNEL_ADDR ? NULL : gpa_to_hva(vm, h[4], mem_end - h[4]);
	if (!dst) {
		mon_log("%s: multiboot image at %#x-%#llx is not in guest RAM from 1 MiB up",
			path, h[4], (unsigned long long)mem_end);
		return -1;
	}
	memcpy(dst, img + foff, len);
	memset(dst + len, 0, mem_end - h[4] - len);
	if (h[7] < h[4] || h[7] >= mem_end) {
		mon_log("%s: multiboot entry_addr %#x outside the image", path,
			h[7]);
		return -1;
	}
	*end = mem_end;
	*entry = h[7];
	return 0;
}

static int write_cmdline(struct vm *vm, const struct boot_args *a)
{
	const char *args = a->cmdline ? a->cmdline : "";
	size_t len = strlen(a->kernel) + 1 + strlen(args) + 1;
	char *s = malloc(len);
	bool ok;

	if (!s)
		return -1;
	snprintf(s, len, "%s%s%s", a->kernel, *args ? " " : "", args);
	len = strlen(s) + 1;
	if (len > CMDLINE_MAX)
		mon_log("-a: command line of %zu bytes, at most %llu", len - 1,
			CMDLINE_MAX - 1);
	ok = len <= CMDLINE_MAX &&
	     boot_copy(vm, CMDLINE_ADDR, s, len, "command line");
	free(s);
	return ok ? 0 : -1;
}

/* Modules go high in RAM, page-aligned, the first one highest. */
static int write_modules(struct vm *vm, const char *list, uint64_t kend)
{
	struct module m[MAX_MODULES];
	uint32_t mod[MAX_MODULES][4];	/* start, end, string, reserved */
	uint64_t top = vm->low_size, addr, size, str = STRINGS_ADDR;
	int i, n = modules_parse(list, m);

	if (n < 0) {
		mon_log("-i: '%s' is not FILE [ARGS][,FILE [ARGS]]... with at most %d modules",
			list, MAX_MODULES);
		return -1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(m[i].string) + 1;

		if (boot_file_high(vm, m[i].file, kend, top, &addr, &size))
			break;
		if (len > CMDLINE_ADDR - str) {
			mon_log("-i: module strings of more than %llu bytes",
				CMDLINE_ADDR - STRINGS_ADDR);
			break;
		}
		boot_copy(vm, str, m[i].string, len, "module string");
		mod[i][0] = addr;
		mod[i][1] = addr + size;
		mod[i][2] = str;
		mod[i][3] = 0;
		str += len;
		top = addr;
	}
	modules_free(m, n);
	if (i < n)
		return -1;
	boot_copy(vm, MODS_ADDR, mod, n * sizeof(mod[0]), "module list");
	return n;
}

static int write_info(struct vm *vm, const struct boot_args *a, uint64_t kend)
{
	struct mb_info info = { 0 };
	struct e820 map[E820_MAX];
	struct mb_mmap mm[E820_MAX];
	int i, n;

	info.flags = MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MMAP |
		     MB_INFO_LOADER;
	info.mem_lower = EBDA_ADDR >> 10;
	info.mem_upper = (vm->low_size - KERNEL_ADDR) >> 10;
	if (write_cmdline(vm, a))
		return -1;
	info.cmdline = CMDLINE_ADDR;
	if (a->initrd) {
		n = write_modules(vm, a->initrd, kend);
		if (n < 0)
			return -1;
		info.flags |= MB_INFO_MODS;
		info.mods_count = n;
		info.mods_addr = MODS_ADDR;
	}
	n = boot_e820(vm, map);
	for (i = 0; i < n; i++)
		mm[i] = (struct mb_mmap){ 20, map[i].addr, map[i].size,
					  map[i].type };
	boot_copy(vm, MMAP_ADDR, mm, n * sizeof(mm[0]), "memory map");
	info.mmap_addr = MMAP_ADDR;
	info.mmap_length = n * sizeof(mm[0]);
	boot_copy(vm, LOADER_ADDR, "vmx-run", 8, "loader name");
	info.loader_name = LOADER_ADDR;
	return boot_copy(vm, INFO_ADDR, &info, sizeof(info), "info") ? 0 : -1;
}

int multiboot_load(struct vm *vm, const struct boot_args *a,
		   const uint8_t *img, size_t size, size_t off,
		   struct boot_entry *e)
{
	uint64_t end, entry;
	uint32_t flags;

	memcpy(&flags, img + off + 4, sizeof(flags));
	if (flags & 0xffff & ~MB_FLAGS_KNOWN) {
		mon_log("%s: multiboot flags %#x ask for what vmx-run does not offer (%#x)",
			a->kernel, flags, flags & 0xffff & ~MB_FLAGS_KNOWN);
		return -1;
	}
	if (flags & MB_FLAG_ADDRS) {
		if (load_aout(vm, a->kernel, img, size, off, &end, &entry))
			return -1;
	} else if (size < SELFMAG || memcmp(img, ELFMAG, SELFMAG)) {
		mon_log("%s: multiboot kernel neither ELF nor with address fields (flag 16)",
			a->kernel);
		return -1;
	} else if (elf_load_segments(vm, a->kernel, img, size, &end, &entry)) {
		return -1;
	}
	if (entry >> 32) {
		mon_log("%s: multiboot entry point %#llx above 4 GiB", a->kernel,
			(unsigned long long)entry);
		return -1;
	}
	if (write_info(vm, a, end))
		return -1;
	e->long_mode = false;
	e->rip = entry;
	e->rax = MB_LOADER_MAGIC;
	e->rbx = INFO_ADDR;
	return 0;
}
