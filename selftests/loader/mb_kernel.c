// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1 test kernel: reports what the loader gave it on COM1 as
 * "MB: ..." lines (vmxrun_loader_test asserts them) and exits through
 * port 0xf4 with the command line's exit=N.
 */
#include "kio.h"

#define MB_LOADER_MAGIC	0x2badb002

/* From the multiboot spec again, not vmx-run's: a test of its layout too. */
struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, loader_name;
};

struct mb_mod {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

extern char _image_start[], _end[];
void mb_main(uint32_t magic, const struct mb_info *mbi);

static void show_mmap(const struct mb_info *mbi)
{
	uint32_t off = 0, i = 0;
	uint64_t ram = 0;

	while (off + 4 <= mbi->mmap_length) {
		const struct mb_mmap *m =
			(const void *)(uintptr_t)(mbi->mmap_addr + off);

		kprintf("MB: mmap %u addr %q len %q type %u\n", i++, m->addr,
			m->len, m->type);
		if (m->type == 1)
			ram += m->len;
		off += m->size + 4;
	}
	kprintf("MB: ram %u KiB\n", (unsigned int)(ram >> 10));
}

static void show_mods(const struct mb_info *mbi)
{
	const struct mb_mod *m = (const void *)(uintptr_t)mbi->mods_addr;
	uint32_t i;

	kprintf("MB: mods %u\n", mbi->mods_count);
	for (i = 0; i < mbi->mods_count; i++)
		kprintf("MB: mod %u start %x end %x fnv %x string '%s'\n", i,
			m[i].start, m[i].end,
			fnv1a((const void *)(uintptr_t)m[i].start,
			      m[i].end - m[i].start),
			(const char *)(uintptr_t)m[i].string);
}

void mb_main(uint32_t magic, const struct mb_info *mbi)
{
	const char *cmdline = "";
	uint32_t cr0, eflags;

	__asm__ volatile("mov %%cr0, %0; pushf; pop %1"
			 : "=r"(cr0), "=r"(eflags));
	kprintf("MB: magic %x info %x\n", magic, (uint32_t)(uintptr_t)mbi);
	kprintf("MB: cr0 %x eflags %x kernel %x-%x\n", cr0, eflags,
		(uint32_t)(uintptr_t)_image_start, (uint32_t)(uintptr_t)_end);
	if (magic != MB_LOADER_MAGIC)
		kexit(0x7e);
	kprintf("MB: flags %x\n", mbi->flags);
	if (mbi->flags & (1 << 0))
		kprintf("MB: mem_lower %u mem_upper %u\n", mbi->mem_lower,
			mbi->mem_upper);
	if (mbi->flags & (1 << 6))
		show_mmap(mbi);
	if (mbi->flags & (1 << 2)) {
		cmdline = (const char *)(uintptr_t)mbi->cmdline;
		kprintf("MB: cmdline '%s'\n", cmdline);
	}
	if (mbi->flags & (1 << 9))
		kprintf("MB: loader '%s'\n",
			(const char *)(uintptr_t)mbi->loader_name);
	if (mbi->flags & (1 << 3))
		show_mods(mbi);
	kprintf("MB: done\n");
	kexit(cmdline_exit(cmdline));
}
