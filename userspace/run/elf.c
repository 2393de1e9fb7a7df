// SPDX-License-Identifier: GPL-2.0
/*
 * ELF images, 32- or 64-bit x86: PT_LOAD segments copied to their physical
 * addresses (for a vmlinux in linux.c, for multiboot in multiboot.c).  The
 * file is untrusted: every header and segment is checked against the file
 * and against guest RAM from 1 MiB up (below is the monitor's boot data).
 */
#include <elf.h>
#include <string.h>
#include "boot.h"

/* A program header of either class. */
struct seg {
	uint64_t type, off, vaddr, paddr, filesz, memsz;
};

struct ehdr {
	bool is64;
	uint64_t entry, phoff;
	unsigned int phnum;
};

static bool read_ehdr(const char *path, const uint8_t *img, size_t size,
		      struct ehdr *h)
{
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;
	unsigned int machine, phentsize;

	if (size < EI_NIDENT || memcmp(img, ELFMAG, SELFMAG) ||
	    (img[EI_CLASS] != ELFCLASS32 && img[EI_CLASS] != ELFCLASS64) ||
	    img[EI_DATA] != ELFDATA2LSB) {
		mon_log("%s: not a little-endian ELF32 or ELF64 image", path);
		return false;
	}
	h->is64 = img[EI_CLASS] == ELFCLASS64;
	if (size < (h->is64 ? sizeof(e64) : sizeof(e32))) {
		mon_log("%s: ELF header cut short (%zu bytes)", path, size);
		return false;
	}
	if (h->is64) {
		memcpy(&e64, img, sizeof(e64));
		machine = e64.e_machine;
		phentsize = e64.e_phentsize;
		h->entry = e64.e_entry;
		h->phoff = e64.e_phoff;
		h->phnum = e64.e_phnum;
	} else {
		memcpy(&e32, img, sizeof(e32));
		machine = e32.e_machine;
		phentsize = e32.e_phentsize;
		h->entry = e32.e_entry;
		h->phoff = e32.e_phoff;
		h->phnum = e32.e_phnum;
	}
	if (machine != (h->is64 ? EM_X86_64 : EM_386)) {
		mon_log("%s: ELF for machine %u, not x86", path, machine);
		return false;
	}
	if (phentsize != (h->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
	    !h->phnum || h->phoff > size ||
	    h->phnum > (size - h->phoff) / phentsize) {
		mon_log("%s: ELF program headers missing or past the end of the file",
			path);
		return false;
	}
	return true;
}

static void read_seg(const uint8_t *img, const struct ehdr *h, unsigned int i,
		     struct seg *s)
{
	Elf64_Phdr p64;
	Elf32_Phdr p32;

	if (h->is64) {
		memcpy(&p64, img + h->phoff + i * sizeof(p64), sizeof(p64));
		*s = (struct seg){ p64.p_type, p64.p_offset, p64.p_vaddr,
				   p64.p_paddr, p64.p_filesz, p64.p_memsz };
	} else {
		memcpy(&p32, img + h->phoff + i * sizeof(p32), sizeof(p32));
		*s = (struct seg){ p32.p_type, p32.p_offset, p32.p_vaddr,
				   p32.p_paddr, p32.p_filesz, p32.p_memsz };
	}
}

static bool load_seg(struct vm *vm, const char *path, const uint8_t *img,
		     size_t size, unsigned int i, const struct seg *s)
{
	uint8_t *dst;

	if (s->off > size || s->filesz > size - s->off) {
		mon_log("%s: ELF segment %u (%llu bytes at offset %#llx) runs past the end of the file (%zu bytes)",
			path, i, (unsigned long long)s->filesz,
			(unsigned long long)s->off, size);
		return false;
	}
	if (s->filesz > s->memsz) {
		mon_log("%s: ELF segment %u is larger in the file than in memory",
			path, i);
		return false;
	}
	dst = s->paddr < KERNEL_ADDR ? NULL : gpa_to_hva(vm, s->paddr, s->memsz);
	if (!dst) {
		mon_log("%s: ELF segment %u at %#llx (%llu bytes) is not in guest RAM from 1 MiB up (%llu MiB)",
			path, i, (unsigned long long)s->paddr,
			(unsigned long long)s->memsz,
			(unsigned long long)(vm_mem_size(vm) >> 20));
		return false;
	}
	memcpy(dst, img + s->off, s->filesz);
	memset(dst + s->filesz, 0, s->memsz - s->filesz);
	return true;
}

/*
 * The entry point: an address inside a segment's virtual range becomes
 * the matching physical one (higher-half kernels); else it must already
 * be a physical address inside a segment (Linux's vmlinux).
 */
static bool find_entry(const uint8_t *img, const struct ehdr *h,
		       uint64_t *entry)
{
	struct seg s;
	unsigned int i;

	for (i = 0; i < h->phnum; i++) {
		read_seg(img, h, i, &s);
		if (s.type == PT_LOAD && h->entry >= s.vaddr &&
		    h->entry - s.vaddr < s.memsz) {
			*entry = h->entry - s.vaddr + s.paddr;
			return true;
		}
	}
	for (i = 0; i < h->phnum; i++) {
		read_seg(img, h, i, &s);
		if (s.type == PT_LOAD && h->entry >= s.paddr &&
		    h->entry - s.paddr < s.memsz) {
			*entry = h->entry;
			return true;
		}
	}
	return false;
}

int elf_load_segments(struct vm *vm, const char *path, const uint8_t *img,
		      size_t size, uint64_t *end, uint64_t *entry)
{
	struct ehdr h;
	struct seg s;
	unsigned int i, loaded = 0;

	if (!read_ehdr(path, img, size, &h))
		return -1;
	*end = 0;
	for (i = 0; i < h.phnum; i++) {
		read_seg(img, &h, i, &s);
		if (s.type != PT_LOAD || !s.memsz)
			continue;
		if (!load_seg(vm, path, img, size, i, &s))
			return -1;
		if (s.paddr + s.memsz > *end)
			*end = s.paddr + s.memsz;
		loaded++;
	}
	if (!loaded) {
		mon_log("%s: ELF image without a loadable segment", path);
		return -1;
	}
	if (!find_entry(img, &h, entry)) {
		mon_log("%s: ELF entry point %#llx is in no segment", path,
			(unsigned long long)h.entry);
		return -1;
	}
	return 0;
}
