// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel loading, common part: format detection, memory map, initrd, and
 * the first vCPU's state (long mode with an identity map of 0-4 GiB and a
 * flat GDT, or 32-bit protected mode without paging for multiboot).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "boot.h"

void *boot_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *buf;

	if (!f || fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		mon_log("%s: %s", path, f ? "not a regular file" : strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		mon_log("%s: cannot read", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = st.st_size;
	return buf;
}

bool boot_copy(struct vm *vm, uint64_t gpa, const void *src, size_t len,
	       const char *what)
{
	void *p = gpa_to_hva(vm, gpa, len);

	if (!p) {
		mon_log("%s (%zu bytes at %#llx) does not fit in guest RAM",
			what, len, (unsigned long long)gpa);
		return false;
	}
	memcpy(p, src, len);
	return true;
}

int boot_e820(struct vm *vm, struct e820 *m)
{
	int n = 0;

	m[n++] = (struct e820){ 0, EBDA_ADDR, E820_RAM };
	m[n++] = (struct e820){ EBDA_ADDR, 0xa0000 - EBDA_ADDR, E820_RESERVED };
	m[n++] = (struct e820){ ACPI_ADDR, 0x100000 - ACPI_ADDR, E820_RESERVED };
	m[n++] = (struct e820){ KERNEL_ADDR, vm->low_size - KERNEL_ADDR, E820_RAM };
	if (vm->high_size)
		m[n++] = (struct e820){ HIGH_RAM_BASE, vm->high_size, E820_RAM };
	return n;
}

int boot_file_high(struct vm *vm, const char *path, uint64_t floor,
		   uint64_t limit, uint64_t *addr, uint64_t *size)
{
	size_t sz;
	uint8_t *buf = boot_read_file(path, &sz);
	uint64_t top = vm->low_size < limit ? vm->low_size : limit;

	if (!buf)
		return -1;
	if (sz > top || ((top - sz) & ~0xfffULL) < floor) {
		mon_log("%s: %zu bytes do not fit in guest RAM between %#llx and %#llx (see -m)",
			path, sz, (unsigned long long)floor,
			(unsigned long long)top);
		free(buf);
		return -1;
	}
	*addr = (top - sz) & ~0xfffULL;
	*size = sz;
	memcpy(gpa_to_hva(vm, *addr, sz), buf, sz);
	free(buf);
	return 0;
}

/*
 * The format decides: a bzImage by its setup header, then multiboot (a
 * header in the first 8 KiB, also inside an ELF), then a 64-bit ELF
 * (the Linux boot protocol's 64-bit entry, as a vmlinux needs).
 */
static int load_image(struct vm *vm, const struct boot_args *a,
		      const uint8_t *img, size_t size, struct boot_entry *e)
{
	enum mb_found mb;
	size_t off;

	if (size > 0x260 && !memcmp(img + 0x202, "HdrS", 4))
		return linux_load(vm, a, img, size, e);
	mb = multiboot_find(img, size, &off);
	if (mb == MB_FOUND)
		return multiboot_load(vm, a, img, size, off, e);
	if (mb == MB_BAD_CHECKSUM)
		mon_log("%s: multiboot header at offset %#zx has a bad checksum",
			a->kernel, off);
	else if (size >= EI_NIDENT && !memcmp(img, ELFMAG, SELFMAG) &&
		 img[EI_CLASS] == ELFCLASS64)
		return elf_load(vm, a, img, size, e);
	else
		mon_log("%s: not a bzImage, multiboot kernel or 64-bit ELF",
			a->kernel);
	return -1;
}

int boot_load(struct vm *vm, const struct boot_args *a, struct boot_entry *e)
{
	size_t size;
	uint8_t *img = boot_read_file(a->kernel, &size);
	int r;

	if (!img)
		return -1;
	memset(e, 0, sizeof(*e));
	r = load_image(vm, a, img, size, e);
	free(img);
	return r;
}

static void identity_map(struct vm *vm)
{
	uint64_t *pml4 = gpa_to_hva(vm, PML4_ADDR, 4096);
	uint64_t *pdpt = gpa_to_hva(vm, PDPT_ADDR, 4096);
	uint64_t *pd = gpa_to_hva(vm, PD_ADDR, 4 * 4096);
	int i;

	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	pml4[0] = PDPT_ADDR | 3;
	for (i = 0; i < 4; i++)
		pdpt[i] = (PD_ADDR + i * 4096) | 3;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;	/* present, rw, 2M */
}

static void flat_seg(struct kvm_segment *s, uint16_t sel, uint8_t type,
		     bool l)
{
	*s = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.present = 1, .s = 1, .l = l, .db = !l, .g = 1,
	};
}

int boot_set_regs(struct vcpu *vcpu, const struct boot_entry *e)
{
	struct vm *vm = vcpu->vm;
	uint64_t *gdt = gpa_to_hva(vm, GDT_ADDR, 4 * 8);
	struct kvm_sregs s;
	struct kvm_regs r = { 0 };

	/* __BOOT_CS = 0x10, __BOOT_DS = 0x18, as the boot protocol wants. */
	gdt[0] = 0;
	gdt[1] = 0;
	gdt[2] = e->long_mode ? 0x00af9b000000ffffULL : 0x00cf9b000000ffffULL;
	gdt[3] = 0x00cf93000000ffffULL;
	if (ioctl(vcpu->fd, KVM_GET_SREGS, &s) < 0)
		return -errno;
	flat_seg(&s.cs, 0x10, 11, e->long_mode);
	flat_seg(&s.ds, 0x18, 3, false);
	s.es = s.fs = s.gs = s.ss = s.ds;
	s.gdt.base = GDT_ADDR;
	s.gdt.limit = 4 * 8 - 1;
	s.cr0 = 0x11;				/* PE, ET */
	if (e->long_mode) {
		identity_map(vm);
		s.cr0 |= 0x80000022;		/* PG, NE, MP */
		s.cr3 = PML4_ADDR;
		s.cr4 = 0x20;			/* PAE */
		s.efer = 0x500;			/* LME, LMA */
	}
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &s) < 0)
		return -errno;
	r.rip = e->rip;
	r.rsi = e->rsi;
	r.rax = e->rax;
	r.rbx = e->rbx;
	r.rsp = BOOT_STACK;
	r.rflags = 2;
	if (ioctl(vcpu->fd, KVM_SET_REGS, &r) < 0)
		return -errno;
	return 0;
}
