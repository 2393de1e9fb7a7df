// SPDX-License-Identifier: GPL-2.0
/*
 * User-space test of vmx-run's kernel loaders (boot.c, elf.c, linux.c,
 * multiboot.c) against a fake VM of 64 MiB: the loader test kernels of
 * selftests/build/loader (LOADER_DIR) land where their headers say, with
 * the info structures, command lines and modules the boot conventions
 * promise; bad images fail with a message naming the file; and every
 * truncation and many corruptions of the good images are refused or
 * loaded without a stray access (built with ASan and UBSan).
 */
#include <elf.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"

#define RAM_SIZE	(64u << 20)
#define INFO		0x10000u

static struct vm vm;
static char last_log[1024], dir[] = "/tmp/loader_test-XXXXXX";
static int test_nr, failed;

void *gpa_to_hva(struct vm *v, uint64_t gpa, uint64_t len)
{
	return gpa < v->low_size && len <= v->low_size - gpa ?
	       v->low_mem + gpa : NULL;
}

uint64_t vm_mem_size(struct vm *v)
{
	return v->low_size;
}

void mon_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	test_nr++;
	failed += !cond;
	printf("%sok %d - ", cond ? "" : "not ", test_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond && last_log[0])
		printf("# last message: %s\n", last_log);
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, vm.low_mem + gpa, 4);
	return v;
}

static const char *str_at(uint64_t gpa)
{
	return (const char *)vm.low_mem + gpa;
}

static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0) {
		printf("Bail out! %s: cannot read (make -C selftests)\n", path);
		exit(1);
	}
	rewind(f);
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		exit(1);
	fclose(f);
	*size = n;
	return buf;
}

/* A file in the test directory; its path (a buffer per name). */
static const char *put(const char *name, const void *data, size_t len)
{
	static char paths[32][256];
	static int nr;
	char *p;
	FILE *f;
	int i;

	for (i = 0; i < nr && strcmp(strrchr(paths[i], '/') + 1, name); i++)
		;
	if (i == 32)
		exit(1);
	p = paths[i];
	if (i == nr++)
		snprintf(p, 256, "%s/%s", dir, name);
	else
		nr--;
	if (!name[0]) {		/* "": remove them all */
		while (nr--)
			unlink(paths[nr]);
		return NULL;
	}
	f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		exit(1);
	return p;
}

/* Load with RAM filled with 0xff first, or as it is (fast: mangled). */
static int load_as_is(const char *kernel, const char *cmdline,
		      const char *initrd, struct boot_entry *e)
{
	struct boot_args a = { kernel, cmdline, initrd };

	last_log[0] = 0;
	return boot_load(&vm, &a, e);
}

static int load(const char *kernel, const char *cmdline, const char *initrd,
		struct boot_entry *e)
{
	memset(vm.low_mem, 0xff, RAM_SIZE);
	return load_as_is(kernel, cmdline, initrd, e);
}

static void test_multiboot_elf(void)
{
	char kernel[256], list[600], want[700];
	uint8_t m1[5000], m2[123];
	const char *p1, *p2;
	struct boot_entry e;
	uint32_t mods, i;
	int r;

	snprintf(kernel, sizeof(kernel), "%s/mb.elf", LOADER_DIR);
	for (i = 0; i < sizeof(m1); i++)
		m1[i] = i * 7;
	memset(m2, 0x5a, sizeof(m2));
	p1 = put("m,1", m1, sizeof(m1));
	p2 = put("m2", m2, sizeof(m2));
	/* "m,1" needs ",," in the list. */
	snprintf(list, sizeof(list), "%s/m,,1 alpha beta,%s", dir, p2);
	r = load(kernel, "exit=5 x", list, &e);
	ok(!r && !e.long_mode && e.rip == 0x10000c && e.rax == 0x2badb002 &&
	   e.rbx == INFO, "multiboot ELF: 32-bit entry %#llx, EAX magic, EBX info",
	   (unsigned long long)e.rip);
	ok(rd32(INFO) == 0x24d, "info flags mem, cmdline, mods, mmap, loader: %#x",
	   rd32(INFO));
	ok(rd32(INFO + 4) == 639 && rd32(INFO + 8) == 63 * 1024,
	   "mem_lower 639, mem_upper %u KiB", rd32(INFO + 8));
	snprintf(want, sizeof(want), "%s exit=5 x", kernel);
	ok(!strcmp(str_at(rd32(INFO + 16)), want),
	   "command line is 'KERNEL ARGS': '%s'", str_at(rd32(INFO + 16)));
	ok(!strcmp(str_at(rd32(INFO + 64)), "vmx-run"), "loader name");
	ok(rd32(INFO + 20) == 2, "two modules");
	mods = rd32(INFO + 24);
	snprintf(want, sizeof(want), "%s alpha beta", p1);
	ok(!strcmp(str_at(rd32(mods + 8)), want) &&
	   !strcmp(str_at(rd32(mods + 24)), p2),
	   "module strings: '%s', '%s'", str_at(rd32(mods + 8)),
	   str_at(rd32(mods + 24)));
	ok(rd32(mods + 4) - rd32(mods) == sizeof(m1) &&
	   !memcmp(vm.low_mem + rd32(mods), m1, sizeof(m1)) &&
	   rd32(mods + 20) - rd32(mods + 16) == sizeof(m2) &&
	   !memcmp(vm.low_mem + rd32(mods + 16), m2, sizeof(m2)),
	   "module contents and lengths");
	ok(!(rd32(mods) & 0xfff) && !(rd32(mods + 16) & 0xfff) &&
	   rd32(mods + 16) >= 0x110000 && rd32(mods + 4) <= RAM_SIZE,
	   "modules page-aligned, above the kernel, in RAM");
	ok(rd32(INFO + 44) == 4 * 24 && rd32(rd32(INFO + 48) + 4 + 3 * 24) ==
	   0x100000, "memory map: 4 entries, the last from 1 MiB");

	r = load(kernel, NULL, NULL, &e);
	ok(!r && !strcmp(str_at(rd32(INFO + 16)), kernel) && !(rd32(INFO) & 8),
	   "no -a, no -i: command line is the kernel's name, no modules");
}

static void test_multiboot_aout(void)
{
	char kernel[256];
	uint32_t h[8];
	size_t size, i;
	uint8_t *img;
	struct boot_entry e;
	bool bss_zero = true;
	int r;

	snprintf(kernel, sizeof(kernel), "%s/mb-aout.bin", LOADER_DIR);
	img = read_all(kernel, &size);
	memcpy(h, img, sizeof(h));
	r = load(kernel, "exit=3", NULL, &e);
	for (i = h[5]; i < h[6]; i++)
		bss_zero &= vm.low_mem[i] == 0;
	ok(!r && e.rip == h[7] && !memcmp(vm.low_mem + h[4], img, size) &&
	   h[5] - h[4] == size, "multiboot address fields: image at %#x, entry %#x",
	   h[4], h[7]);
	ok(bss_zero && h[6] > h[5], "bss %#x-%#x zeroed", h[5], h[6]);
	free(img);
}

static void test_linux64(void)
{
	char kernel[256];
	uint8_t rd[3000];
	uint32_t rd_addr;
	struct boot_entry e;
	int r;

	snprintf(kernel, sizeof(kernel), "%s/linux64.elf", LOADER_DIR);
	memset(rd, 0xa5, sizeof(rd));
	r = load(kernel, NULL, put("rd", rd, sizeof(rd)), &e);
	ok(!r && e.long_mode && e.rip == 0x100000 && e.rsi == INFO,
	   "64-bit ELF: long mode at e_entry, RSI = zero page");
	ok(*(uint16_t *)(vm.low_mem + INFO + 0x1fe) == 0xaa55 &&
	   rd32(INFO + 0x202) == 0x53726448, "zero page: boot flag, HdrS");
	ok(!strcmp(str_at(rd32(INFO + 0x228)), "console=ttyS0"),
	   "default command line console=ttyS0");
	ok(vm.low_mem[INFO + 0x1e8] == 4 &&
	   rd32(INFO + 0x2d0 + 3 * 20) == 0x100000 &&
	   rd32(INFO + 0x2d0 + 3 * 20 + 8) == RAM_SIZE - 0x100000,
	   "e820: 4 entries, RAM from 1 MiB to the end");
	rd_addr = rd32(INFO + 0x218);
	ok(rd32(INFO + 0x21c) == sizeof(rd) && !(rd_addr & 0xfff) &&
	   rd_addr > 0x110000 && !memcmp(vm.low_mem + rd_addr, rd, sizeof(rd)),
	   "initrd at %#x, page-aligned, contents", rd_addr);
}

static void test_modules_parse(void)
{
	struct module m[MAX_MODULES];
	char many[200] = "a";
	int n, i;

	n = modules_parse("a,,b c d,e", m);
	ok(n == 2 && !strcmp(m[0].file, "a,b") &&
	   !strcmp(m[0].string, "a,b c d") && !strcmp(m[1].file, "e") &&
	   !strcmp(m[1].string, "e"),
	   "module list: ',,' is a comma, the file ends at a space");
	if (n > 0)
		modules_free(m, n);
	for (i = 1; i < MAX_MODULES; i++)
		strcat(many, ",a");
	n = modules_parse(many, m);
	ok(n == MAX_MODULES, "%d modules", MAX_MODULES);
	if (n > 0)
		modules_free(m, n);
	strcat(many, ",a");
	ok(modules_parse(many, m) < 0 && modules_parse("a,", m) < 0 &&
	   modules_parse("", m) < 0 && modules_parse(" x", m) < 0,
	   "too many, empty items and empty file names refused");
}

/* Fails, with a message naming the file and containing what. */
static void bad(const char *path, const char *initrd, const char *what,
		const char *why)
{
	struct boot_entry e;
	int r = load(path, NULL, initrd, &e);

	ok(r < 0 && strstr(last_log, initrd ? initrd : path) &&
	   strstr(last_log, what), "%s: refused ('%s')", why, last_log);
}

static void test_bad(void)
{
	char path[256];
	uint8_t *img, *p;
	size_t size, i;
	Elf64_Phdr ph;
	Elf64_Ehdr eh;

	bad(put("garbage", "hello, world\n", 13), NULL, "not a bzImage",
	    "a text file");
	bad(put("empty", "", 0), NULL, "not a bzImage", "an empty file");

	snprintf(path, sizeof(path), "%s/linux64.elf", LOADER_DIR);
	img = read_all(path, &size);
	memcpy(&eh, img, sizeof(eh));
	bad(put("half.elf", img, size / 2), NULL, "past the end of the file",
	    "a truncated ELF");
	bad(put("hdr.elf", img, 40), NULL, "cut short", "an ELF header cut short");
	p = malloc(size);
	memcpy(p, img, size);
	memcpy(&ph, img + eh.e_phoff, sizeof(ph));
	ph.p_paddr = 0xfff00000;
	memcpy(p + eh.e_phoff, &ph, sizeof(ph));
	bad(put("high.elf", p, size), NULL, "not in guest RAM",
	    "an ELF segment outside RAM");
	ph.p_paddr = 0x8000;
	memcpy(p + eh.e_phoff, &ph, sizeof(ph));
	bad(put("low.elf", p, size), NULL, "not in guest RAM",
	    "an ELF segment below 1 MiB");
	memcpy(p, img, size);
	p[EI_CLASS] = ELFCLASS32;
	bad(put("elf32", p, size), NULL, "not a bzImage",
	    "a 32-bit ELF without a multiboot header");
	free(p);
	free(img);

	snprintf(path, sizeof(path), "%s/mb.elf", LOADER_DIR);
	img = read_all(path, &size);
	for (i = 0; i + 12 <= size && *(uint32_t *)(img + i) != 0x1badb002; i += 4)
		;
	img[i + 8] ^= 1;
	bad(put("csum.elf", img, size), NULL, "bad checksum",
	    "a multiboot header with a bad checksum");
	img[i + 8] ^= 1;
	*(uint32_t *)(img + i + 4) |= 8;	/* an unknown required flag */
	*(uint32_t *)(img + i + 8) -= 8;
	bad(put("flags.elf", img, size), NULL, "flags",
	    "unknown required multiboot flags");
	free(img);
	bad(path, "/no/such/module", "/no/such/module", "a missing module");

	snprintf(path, sizeof(path), "%s/mb-aout.bin", LOADER_DIR);
	img = read_all(path, &size);
	bad(put("cut.bin", img, 64), NULL, "load_end_addr",
	    "multiboot address fields past the end of the file");
	free(img);

	/* A setup header whose jump says it runs past the end of the file. */
	img = calloc(1, 0x261);
	memcpy(img + 0x202, "HdrS", 4);
	img[0x201] = 0xff;
	img[0x206] = 0x0b;
	img[0x207] = 0x02;
	bad(put("old-bz", img, 0x261), NULL, "boot protocol 0x20b",
	    "a short bzImage of protocol 2.11");
	free(img);
}

/* A kernel of the build machine's, when there is one. */
static void test_bzimage(void)
{
	struct boot_entry e;
	const char *path;
	glob_t g;
	int r;

	if (glob("/boot/vmlinuz-*", 0, NULL, &g) || access(g.gl_pathv[0], R_OK)) {
		printf("ok %d - # SKIP no /boot/vmlinuz-*\n", ++test_nr);
		return;
	}
	path = g.gl_pathv[0];
	r = load(path, "quiet", NULL, &e);
	ok(!r && e.long_mode && e.rip == 0x100200 && e.rsi == INFO &&
	   !strcmp(str_at(rd32(INFO + 0x228)), "quiet") &&
	   *(uint16_t *)(vm.low_mem + INFO + 0x206) >= 0x20c,
	   "%s: 64-bit entry at 1 MiB + 0x200, setup header copied", path);
	globfree(&g);
}

/* Where the bytes to load end in the file: PT_LOAD ends, or all of it. */
static size_t loaded_end(const uint8_t *img, size_t size)
{
	Elf32_Ehdr e32;
	Elf32_Phdr p32;
	Elf64_Ehdr e64;
	Elf64_Phdr p64;
	size_t end = 0;
	int i;

	if (memcmp(img, ELFMAG, SELFMAG))
		return size;
	if (img[EI_CLASS] == ELFCLASS32) {
		memcpy(&e32, img, sizeof(e32));
		for (i = 0; i < e32.e_phnum; i++) {
			memcpy(&p32, img + e32.e_phoff + i * sizeof(p32),
			       sizeof(p32));
			if (p32.p_type == PT_LOAD &&
			    p32.p_offset + p32.p_filesz > end)
				end = p32.p_offset + p32.p_filesz;
		}
		return end;
	}
	memcpy(&e64, img, sizeof(e64));
	for (i = 0; i < e64.e_phnum; i++) {
		memcpy(&p64, img + e64.e_phoff + i * sizeof(p64), sizeof(p64));
		if (p64.p_type == PT_LOAD && p64.p_offset + p64.p_filesz > end)
			end = p64.p_offset + p64.p_filesz;
	}
	return end;
}

/*
 * Prefixes of a good image (every length in the headers, then a sample),
 * and every byte of its headers flipped (the first 512 bytes, and the
 * multiboot header of an ELF at 0x1000): refused or loaded, never an
 * access outside the buffers (ASan).  A prefix that cuts into the loaded
 * bytes must be refused.
 */
static void test_mangled(const char *name)
{
	char path[256];
	struct boot_entry e;
	size_t size, i, bad_ok = 0, cut_loaded = 0, must_have, flips = 0;
	uint8_t *img;

	snprintf(path, sizeof(path), "%s/%s", LOADER_DIR, name);
	img = read_all(path, &size);
	must_have = loaded_end(img, size);
	for (i = 0; i < size; i += i < 1024 ? 1 : 37) {
		uint8_t *cut = malloc(i + 1);

		memcpy(cut, img, i);
		if (!load_as_is(put("cut", cut, i), "x", NULL, &e) &&
		    i < must_have)
			cut_loaded++;
		free(cut);
	}
	for (i = 0; i < size && i < 0x1040; i = i == 511 ? 0x1000 : i + 1) {
		img[i] ^= 0xff;
		bad_ok += !load_as_is(put("flip", img, size), "x", NULL, &e);
		img[i] ^= 0xff;
		flips++;
	}
	ok(!cut_loaded, "%s: every prefix shorter than %zu bytes refused, %zu flips of %zu loaded",
	   name, must_have, bad_ok, flips);
	free(img);
}

int main(void)
{
	vm.low_size = RAM_SIZE;
	vm.low_mem = malloc(RAM_SIZE);
	if (!vm.low_mem || !mkdtemp(dir))
		return 1;
	printf("TAP version 13\n");
	test_multiboot_elf();
	test_multiboot_aout();
	test_linux64();
	test_modules_parse();
	test_bad();
	test_bzimage();
	test_mangled("mb.elf");
	test_mangled("mb-aout.bin");
	test_mangled("linux64.elf");
	printf("1..%d\n", test_nr);
	put("", NULL, 0);
	rmdir(dir);
	return failed ? 1 : 0;
}
