// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit ELF test kernel entered as vmx-run enters a vmlinux (the Linux
 * boot protocol's 64-bit entry): reports the CPU state and the zero page
 * (e820 map, command line, initrd) on COM1 as "L64: ..." lines and exits
 * through port 0xf4 with the command line's exit=N.  Offsets: Linux's
 * Documentation/x86/zero-page.rst and boot.rst.
 */
#include "kio.h"

#define ZP8(zp, off)	(*(const uint8_t *)((zp) + (off)))
#define ZP16(zp, off)	(*(const uint16_t *)((zp) + (off)))
#define ZP32(zp, off)	(*(const uint32_t *)((zp) + (off)))
#define ZP64(zp, off)	(*(const uint64_t *)((zp) + (off)))

#define EXT_RAMDISK_IMAGE	0x0c0
#define EXT_RAMDISK_SIZE	0x0c4
#define E820_ENTRIES		0x1e8
#define BOOT_FLAG		0x1fe
#define HEADER			0x202
#define RAMDISK_IMAGE		0x218
#define RAMDISK_SIZE		0x21c
#define CMD_LINE_PTR		0x228
#define E820_TABLE		0x2d0	/* 20-byte entries: addr, size, type */

#define MSR_EFER	0xc0000080

extern char _image_start[], _end[];
void linux64_main(const uint8_t *zp);

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void show_cpu(const uint8_t *zp)
{
	uint64_t cr0, cr4, rflags;
	uint16_t cs;

	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1; pushf; pop %2; mov %%cs, %3"
			 : "=r"(cr0), "=r"(cr4), "=r"(rflags), "=r"(cs));
	kprintf("L64: zero page %q kernel %q-%q\n", (uint64_t)(uintptr_t)zp,
		(uint64_t)(uintptr_t)_image_start, (uint64_t)(uintptr_t)_end);
	kprintf("L64: cr0 %q cr4 %q efer %q rflags %q cs %x\n", cr0, cr4,
		rdmsr(MSR_EFER), rflags, cs);
}

static void show_e820(const uint8_t *zp)
{
	unsigned int i, n = ZP8(zp, E820_ENTRIES);
	uint64_t ram = 0;

	kprintf("L64: e820 entries %u\n", n);
	for (i = 0; i < n && i < 128; i++) {
		const uint8_t *e = zp + E820_TABLE + 20 * i;

		kprintf("L64: e820 %u addr %q len %q type %u\n", i,
			ZP64(e, 0), ZP64(e, 8), ZP32(e, 16));
		if (ZP32(e, 16) == 1)
			ram += ZP64(e, 8);
	}
	kprintf("L64: ram %u KiB\n", (unsigned int)(ram >> 10));
}

void linux64_main(const uint8_t *zp)
{
	const char *cmdline;
	uint64_t rd, rd_len;

	show_cpu(zp);
	kprintf("L64: boot_flag %x header %x\n", ZP16(zp, BOOT_FLAG),
		ZP32(zp, HEADER));
	show_e820(zp);
	cmdline = (const char *)(uintptr_t)ZP32(zp, CMD_LINE_PTR);
	kprintf("L64: cmdline '%s'\n", cmdline);
	rd = ZP32(zp, RAMDISK_IMAGE) |
	     (uint64_t)ZP32(zp, EXT_RAMDISK_IMAGE) << 32;
	rd_len = ZP32(zp, RAMDISK_SIZE) |
		 (uint64_t)ZP32(zp, EXT_RAMDISK_SIZE) << 32;
	kprintf("L64: initrd %q len %u fnv %x\n", rd, (unsigned int)rd_len,
		rd_len ? fnv1a((const uint8_t *)(uintptr_t)rd, rd_len) : 0);
	kprintf("L64: done\n");
	kexit(cmdline_exit(cmdline));
}
