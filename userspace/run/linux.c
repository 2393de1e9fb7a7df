// SPDX-License-Identifier: GPL-2.0
/*
 * Linux x86 boot protocol, 64-bit entry: bzImage (setup header copied from
 * the image) and ELF vmlinux (a minimal header made up here).  Both get a
 * zero page with the e820 map, the command line and the initrd.
 */
#include <string.h>
#include <asm/bootparam.h>
#include "boot.h"

#define XLF_KERNEL_64_BIT	(1 << 0)
#define LOADER_UNDEFINED	0xff
#define CAN_USE_HEAP_FLAG	0x80

/* Zero page fields common to both formats; hdr is already in bp. */
static int fill_zero_page(struct vm *vm, struct boot_params *bp,
			  const struct boot_args *a, uint64_t kernel_end)
{
	const char *cmdline = a->cmdline ? a->cmdline : "console=ttyS0";
	struct e820 map[E820_MAX];
	size_t len = strlen(cmdline) + 1;
	uint32_t max = bp->hdr.cmdline_size ? bp->hdr.cmdline_size : 255;
	uint64_t limit = bp->hdr.initrd_addr_max ?
			 (uint64_t)bp->hdr.initrd_addr_max + 1 : 0x38000000;
	uint64_t addr, size;
	int i, n;

	if (len > max + 1 || len > CMDLINE_MAX) {
		mon_log("-a: command line of %zu bytes, %s takes %u at most",
			len - 1, a->kernel, max);
		return -1;
	}
	if (!boot_copy(vm, CMDLINE_ADDR, cmdline, len, "command line"))
		return -1;
	bp->hdr.cmd_line_ptr = CMDLINE_ADDR;
	bp->hdr.type_of_loader = LOADER_UNDEFINED;
	bp->hdr.loadflags |= CAN_USE_HEAP_FLAG;
	bp->hdr.heap_end_ptr = 0xfe00;
	if (bp->hdr.version >= 0x20e)	/* else the kernel scans for it */
		bp->acpi_rsdp_addr = ACPI_ADDR;
	if (a->initrd) {
		if (boot_file_high(vm, a->initrd, kernel_end, limit, &addr, &size))
			return -1;
		bp->hdr.ramdisk_image = addr;
		bp->hdr.ramdisk_size = size;
		bp->ext_ramdisk_image = addr >> 32;
		bp->ext_ramdisk_size = size >> 32;
	}
	n = boot_e820(vm, map);
	for (i = 0; i < n; i++) {
		bp->e820_table[i].addr = map[i].addr;
		bp->e820_table[i].size = map[i].size;
		bp->e820_table[i].type = map[i].type;
	}
	bp->e820_entries = n;
	return boot_copy(vm, ZERO_PAGE_ADDR, bp, sizeof(*bp), "zero page") ?
	       0 : -1;
}

int linux_load(struct vm *vm, const struct boot_args *a, const uint8_t *img,
	       size_t size, struct boot_entry *e)
{
	struct boot_params bp;
	size_t setup = img[0x1f1] ? img[0x1f1] : 4, hdr_end;
	uint64_t end, run_end;

	memset(&bp, 0, sizeof(bp));
	/* The header ends where the jump at 0x200 lands. */
	hdr_end = 0x202 + img[0x201];
	if (hdr_end > size)
		hdr_end = size;
	memcpy(&bp.hdr, img + 0x1f1, hdr_end - 0x1f1);
	setup = (setup + 1) * 512;
	if (bp.hdr.version < 0x20c || !(bp.hdr.xloadflags & XLF_KERNEL_64_BIT) ||
	    setup >= size) {
		mon_log("%s: bzImage of boot protocol %#x without a 64-bit entry point",
			a->kernel, bp.hdr.version);
		return -1;
	}
	if (!boot_copy(vm, KERNEL_ADDR, img + setup, size - setup, a->kernel))
		return -1;
	/* Where the kernel decompresses to and runs: keep the initrd above. */
	end = KERNEL_ADDR + size - setup;
	run_end = (bp.hdr.pref_address > KERNEL_ADDR ? bp.hdr.pref_address :
		   KERNEL_ADDR) + bp.hdr.init_size;
	if (run_end > end)
		end = run_end;
	if (fill_zero_page(vm, &bp, a, end))
		return -1;
	e->long_mode = true;
	e->rip = KERNEL_ADDR + 0x200;	/* startup_64 */
	e->rsi = ZERO_PAGE_ADDR;
	return 0;
}

/*
 * A 64-bit ELF (vmlinux): PT_LOAD segments at their physical addresses,
 * entered in long mode at e_entry with RSI = a zero page made up here, as
 * the decompressor of a bzImage would.
 */
int elf_load(struct vm *vm, const struct boot_args *a, const uint8_t *img,
	     size_t size, struct boot_entry *e)
{
	struct boot_params bp;
	uint64_t end, entry;

	if (elf_load_segments(vm, a->kernel, img, size, &end, &entry))
		return -1;
	memset(&bp, 0, sizeof(bp));
	bp.hdr.boot_flag = 0xaa55;
	bp.hdr.header = 0x53726448;	/* "HdrS" */
	bp.hdr.version = 0x20f;
	bp.hdr.cmdline_size = CMDLINE_MAX - 1;
	bp.hdr.initrd_addr_max = 0x7fffffff;
	if (fill_zero_page(vm, &bp, a, end))
		return -1;
	e->long_mode = true;
	e->rip = entry;
	e->rsi = ZERO_PAGE_ADDR;
	return 0;
}
