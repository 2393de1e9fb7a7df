// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-run's kernel loaders, end to end on $VMX_DEV: the small kernels of
 * selftests/loader (in /boot/loader, see harness/mkinitramfs.sh) report on
 * COM1 what they were handed, and exit through port 0xf4 with the exit=N
 * of their command line:
 * - multiboot v1 as an ELF and as a flat binary with the address fields:
 *   EAX magic, 32-bit protected mode without paging, the info flags,
 *   mem_lower/upper and the memory map against -m (5G: RAM above 4 GiB
 *   too), the command line "KERNEL ARGS", two modules with their strings,
 *   lengths, checksums, page alignment;
 * - a 64-bit ELF entered as vmx-run enters a vmlinux (long mode, RSI =
 *   zero page): e820, command line, initrd;
 * - Debian's kernel as an ELF vmlinux (/boot/vmlinux) boots to the L2
 *   /init (harness/l2-init.sh) and uses a virtio disk;
 * - bad kernels and modules: status 2 and a message naming the file.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "spawn.h"
#include "tap.h"

#define DIR		"/boot/loader/"
#define MB_ELF		DIR "mb.elf"
#define MB_AOUT		DIR "mb-aout.bin"
#define LINUX64		DIR "linux64.elf"
#define VMLINUX		"/boot/vmlinux"
#define L2_INITRD	"/boot/l2-initrd.gz"
#define SMALL_TIMEOUT	60	/* seconds, for the small kernels */
#define LINUX_TIMEOUT	240	/* an L2 Linux, nested under TCG */

static const char *vmx_run = "/bin/vmx-run";
static const char *dev = "/dev/vmx";
static struct spawn_result res;

static uint32_t fnv1a(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* A file in /tmp holding data; its path goes into path (a template). */
static void make_file(char *path, const void *data, size_t len)
{
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		tap_bail("%s: %s", path, strerror(errno));
	close(fd);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		tap_bail("%s: %s", path, strerror(errno));
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		tap_bail("%s: cannot read", path);
	close(fd);
	*len = st.st_size;
	return buf;
}

/* vmx-run on dev with these options; the kernel's output in res. */
static void run(const char *const *opts, int timeout, const char *when,
		const char *type)
{
	const char *argv[32] = { vmx_run, "--dev", dev };
	int n = 3;

	while (*opts && n < 31)
		argv[n++] = *opts++;
	argv[n] = NULL;
	spawn_run(argv, timeout, when, type, &res);
}

/* The value of a line "<prefix>..." scanned with fmt; false if missing. */
#define SCAN(prefix, fmt, ...)						\
	({								\
		const char *l_ = spawn_line(res.out, prefix);		\
		bool ok_ = l_ && sscanf(l_, fmt, __VA_ARGS__) > 0;	\
		if (!ok_)						\
			tap_diag("no line '%s%s'", prefix, fmt);	\
		ok_;							\
	})

static void show_failure(void)
{
	if (!tap_case_failed())
		return;
	tap_diag("vmx-run exit %d after %.1f s", res.status, res.secs);
	spawn_diag("serial", res.out, "", 60);
	spawn_diag("vmx-run", res.err, "", 20);
}

/* The "MB: mod i" line against the module file and its string. */
static void check_module(int i, const char *path, const char *args,
			 uint32_t kernel_end)
{
	unsigned int start = 0, end = 0, fnv = 0;
	char prefix[32], want[300], got[300] = "";
	size_t len;
	uint8_t *data = read_file(path, &len);

	snprintf(prefix, sizeof(prefix), "MB: mod %d ", i);
	snprintf(want, sizeof(want), "%s%s%s", path, *args ? " " : "", args);
	if (SCAN(prefix, "start %x end %x fnv %x string '%299[^']",
		 &start, &end, &fnv, got)) {
		CHECK_EQ(end - start, len);
		CHECK_EQ(fnv, fnv1a(data, len));
		CHECK_EQ(start & 0xfff, 0);
		CHECK(start >= kernel_end);
		if (!CHECK(!strcmp(got, want)))
			tap_diag("module string '%s', want '%s'", got, want);
	}
	free(data);
}

/* What every multiboot boot must show, with -m mem_mib. */
static uint32_t check_multiboot(uint64_t mem_mib, const char *cmdline)
{
	unsigned int magic = 0, info = 0, cr0 = 0, eflags = 0, kstart = 0;
	unsigned int kend = 0, flags = 0, lower = 0, upper = 0, ram = 0;
	uint64_t low = mem_mib < 3072 ? mem_mib : 3072;
	char got[600] = "";

	SCAN("MB: magic ", "%x info %x", &magic, &info);
	CHECK_EQ(magic, 0x2badb002);
	CHECK_EQ(info, 0x10000);
	SCAN("MB: cr0 ", "%x eflags %x kernel %x-%x", &cr0, &eflags, &kstart,
	     &kend);
	CHECK_EQ(cr0 & 0x80000001, 1);		/* PE, no paging */
	CHECK_EQ(eflags & 0x20200, 0);		/* IF and VM clear */
	CHECK_EQ(kstart, 0x100000);
	SCAN("MB: flags ", "%x", &flags);
	CHECK_EQ(flags & 0x245, 0x245);		/* mem, cmdline, mmap, loader */
	SCAN("MB: mem_lower ", "%u mem_upper %u", &lower, &upper);
	CHECK_EQ(lower, 639);
	CHECK_EQ(upper, (low - 1) << 10);
	SCAN("MB: ram ", "%u", &ram);
	CHECK_EQ(ram, 639 + ((mem_mib - 1) << 10));
	SCAN("MB: cmdline ", "'%599[^']", got);
	if (!CHECK(!strcmp(got, cmdline)))
		tap_diag("command line '%s', want '%s'", got, cmdline);
	CHECK(spawn_line(res.out, "MB: loader 'vmx-run'"));
	CHECK(spawn_line(res.out, "MB: done"));
	return kend;
}

static void test_multiboot_elf(void)
{
	char m1[] = "/tmp/loader-mod1-XXXXXX", m2[] = "/tmp/loader-mod2-XXXXXX";
	char list[128];
	uint8_t d1[5000], d2[123];
	const char *opts[] = { "-k", MB_ELF, "-m", "64", "-a",
			       "exit=21 hello world", "-i", list, NULL };
	unsigned int n = 0, i;
	uint32_t kend;

	for (i = 0; i < sizeof(d1); i++)
		d1[i] = i * 7 + (i >> 8);
	memset(d2, 'z', sizeof(d2));
	make_file(m1, d1, sizeof(d1));
	make_file(m2, d2, sizeof(d2));
	snprintf(list, sizeof(list), "%s alpha beta,%s", m1, m2);
	run(opts, SMALL_TIMEOUT, NULL, NULL);
	kend = check_multiboot(64, MB_ELF " exit=21 hello world");
	SCAN("MB: mods ", "%u", &n);
	CHECK_EQ(n, 2);
	check_module(0, m1, "alpha beta", kend);
	check_module(1, m2, "", kend);
	CHECK_EQ(res.status, (21 << 1) | 1);
	show_failure();
	unlink(m1);
	unlink(m2);
}

/* The flat binary, no modules, and RAM above 4 GiB in the memory map. */
static void test_multiboot_aout(void)
{
	const char *opts[] = { "-k", MB_AOUT, "-m", "5G", "-a", "exit=9",
			       NULL };
	const char *hi;
	unsigned int flags = 0;

	run(opts, SMALL_TIMEOUT, NULL, NULL);
	check_multiboot(5 << 10, MB_AOUT " exit=9");
	SCAN("MB: flags ", "%x", &flags);
	CHECK_EQ(flags & 8, 0);			/* no modules */
	hi = spawn_line(res.out, "MB: mmap 4 ");
	if (!CHECK(hi && !strcmp(hi, "addr 0000000100000000 "
				 "len 0000000080000000 type 1")))
		tap_diag("mmap 4: %s", hi ? hi : "(none)");
	CHECK_EQ(res.status, (9 << 1) | 1);
	show_failure();
}

static void test_linux64(void)
{
	char rd[] = "/tmp/loader-initrd-XXXXXX";
	const char *opts[] = { "-k", LINUX64, "-m", "128", "-a",
			       "exit=33 x=y", "-i", rd, NULL };
	unsigned long long zp = 0, cr0 = 0, cr4 = 0, efer = 0, rflags = 0;
	unsigned long long addr = 0, len = 0, kstart = 0, kend = 0;
	unsigned int cs = 0, flag = 0, hdr = 0, n = 0, ram = 0, rlen = 0;
	unsigned int fnv = 0;
	uint8_t data[3000];
	char got[300] = "";

	memset(data, 0xc3, sizeof(data));
	make_file(rd, data, sizeof(data));
	run(opts, SMALL_TIMEOUT, NULL, NULL);
	SCAN("L64: zero page ", "%llx kernel %llx-%llx", &zp, &kstart, &kend);
	CHECK_EQ(zp, 0x10000);
	CHECK_EQ(kstart, 0x100000);
	SCAN("L64: cr0 ", "%llx cr4 %llx efer %llx rflags %llx cs %x", &cr0,
	     &cr4, &efer, &rflags, &cs);
	CHECK_EQ(cr0 & 0x80000001, 0x80000001);	/* PE, PG */
	CHECK_EQ(cr4 & 0x20, 0x20);		/* PAE */
	CHECK_EQ(efer & 0x500, 0x500);		/* LME, LMA */
	CHECK_EQ(rflags & 0x200, 0);
	CHECK_EQ(cs, 0x10);			/* __BOOT_CS */
	SCAN("L64: boot_flag ", "%x header %x", &flag, &hdr);
	CHECK_EQ(flag, 0xaa55);
	CHECK_EQ(hdr, 0x53726448);		/* "HdrS" */
	SCAN("L64: e820 entries ", "%u", &n);
	CHECK_EQ(n, 4);
	SCAN("L64: e820 3 addr ", "%llx len %llx", &addr, &len);
	CHECK_EQ(addr, 0x100000);
	CHECK_EQ(len, (128 - 1) << 20);
	SCAN("L64: ram ", "%u", &ram);
	CHECK_EQ(ram, 639 + (127 << 10));
	SCAN("L64: cmdline ", "'%299[^']", got);
	CHECK(!strcmp(got, "exit=33 x=y"));
	SCAN("L64: initrd ", "%llx len %u fnv %x", &addr, &rlen, &fnv);
	CHECK_EQ(addr & 0xfff, 0);
	CHECK(addr >= kend);
	CHECK_EQ(rlen, sizeof(data));
	CHECK_EQ(fnv, fnv1a(data, sizeof(data)));
	CHECK(spawn_line(res.out, "L64: done"));
	CHECK_EQ(res.status, (33 << 1) | 1);
	show_failure();
	unlink(rd);
}

/*
 * The L1 kernel itself as an ELF: l2-init.sh waits for a typed line, then
 * uses the disk; without one it would wait 10 s for it.
 */
static void test_vmlinux(void)
{
	char disk[] = "/tmp/loader-disk-XXXXXX";
	const char *opts[] = { "-k", VMLINUX, "-i", L2_INITRD, "-m", "256",
			       "-a", "console=ttyS0 panic=-1 l2_exit=13",
			       "-d", disk, NULL };
	static char zero[1 << 20];

	if (access(VMLINUX, R_OK) || access(L2_INITRD, R_OK)) {
		tap_case_skip("no %s or %s (left out under Bochs: an L2 Linux boot takes too long there)",
			      VMLINUX, L2_INITRD);
		return;
	}
	make_file(disk, zero, sizeof(zero));
	run(opts, LINUX_TIMEOUT, "L2: ready", "typed\n");
	/* Nested TCG sometimes triple-faults an L2 Linux early (README). */
	if (!strstr(res.out, "L2: init ran")) {
		tap_diag("no /init after %.1f s (exit %d); booting again",
			 res.secs, res.status);
		spawn_diag("serial", res.out, "", 40);
		spawn_diag("vmx-run", res.err, "", 10);
		run(opts, LINUX_TIMEOUT, "L2: ready", "typed\n");
	}
	tap_diag("vmlinux: to 'L2: ready' %.1f s, vmx-run ran %.1f s, exit %d",
		 res.ready_secs, res.secs, res.status);
	spawn_diag("guest", res.out, "L2: ", 12);
	CHECK(strstr(res.out, "Linux version") != NULL);
	CHECK(strstr(res.out, "L2: init ran") != NULL);
	CHECK(strstr(res.out, "L2: read 'typed'") != NULL);
	CHECK(strstr(res.out, "L2: disk ok") != NULL);
	CHECK_EQ(res.status, (13 << 1) | 1);
	show_failure();
	unlink(disk);
}

/* Status 2 and a message naming the file and saying what is wrong. */
static void expect_refused(const char *kernel, const char *initrd,
			   const char *name, const char *why)
{
	const char *opts[] = { "-k", kernel, "-m", "64", initrd ? "-i" : NULL,
			       initrd, NULL };

	run(opts, SMALL_TIMEOUT, NULL, NULL);
	CHECK_EQ(res.status, 2);
	if (!CHECK(strstr(res.err, name) && strstr(res.err, why)))
		tap_diag("want '%s' and '%s' in: %s", name, why, res.err);
}

/* A copy of the kernel at path, changed by fix(); its path in tmp. */
static void mangle(const char *path, char *tmp, size_t keep,
		   void (*fix)(uint8_t *img, size_t len))
{
	size_t len;
	uint8_t *img = read_file(path, &len);

	if (keep && keep < len)
		len = keep;
	if (fix)
		fix(img, len);
	make_file(tmp, img, len);
	free(img);
}

static void elf_high(uint8_t *img, size_t len)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	memcpy(&eh, img, sizeof(eh));
	if (eh.e_phoff + sizeof(ph) > len)
		tap_bail("%s: no program header", LINUX64);
	memcpy(&ph, img + eh.e_phoff, sizeof(ph));
	ph.p_paddr = 0xfff00000;		/* the top of the PCI hole */
	memcpy(img + eh.e_phoff, &ph, sizeof(ph));
}

static void mb_checksum(uint8_t *img, size_t len)
{
	uint32_t magic = 0x1badb002;
	size_t i;

	for (i = 0; i + 12 <= len; i += 4)
		if (!memcmp(img + i, &magic, 4))
			break;
	if (i + 12 > len)
		tap_bail("%s: no multiboot header", MB_ELF);
	img[i + 8] ^= 0x10;
}

/* One -i: a module list is one option, as QEMU's -initrd. */
static void initrd_twice(const char *file)
{
	const char *opts[] = { "-k", MB_ELF, "-i", file, "-i", file, NULL };

	run(opts, SMALL_TIMEOUT, NULL, NULL);
	CHECK_EQ(res.status, 2);
	CHECK(strstr(res.err, "--initrd: given twice"));
}

static void test_bad_kernels(void)
{
	char junk[] = "/tmp/loader-junk-XXXXXX", cut[] = "/tmp/loader-cut-XXXXXX";
	char high[] = "/tmp/loader-high-XXXXXX", csum[] = "/tmp/loader-csum-XXXXXX";
	char list[64];
	static const char text[] = "#!/bin/sh\necho not a kernel\n";

	make_file(junk, text, sizeof(text) - 1);
	mangle(LINUX64, cut, 2048, NULL);
	mangle(LINUX64, high, 0, elf_high);
	mangle(MB_ELF, csum, 0, mb_checksum);
	expect_refused(junk, NULL, junk, "not a bzImage, multiboot kernel");
	expect_refused(cut, NULL, cut, "past the end of the file");
	expect_refused(high, NULL, high, "not in guest RAM");
	expect_refused(csum, NULL, csum, "bad checksum");
	snprintf(list, sizeof(list), "%s,/no/such/module x", junk);
	expect_refused(MB_ELF, list, "/no/such/module", "No such file");
	/* A module that is a device, not a file. */
	expect_refused(MB_ELF, "/dev/zero", "/dev/zero", "not a regular file");
	initrd_twice(junk);
	unlink(junk);
	unlink(cut);
	unlink(high);
	unlink(csum);
}

static const struct tap_case cases[] = {
	{ "multiboot ELF: magic, CPU state, memory, mmap, command line, 2 modules", test_multiboot_elf },
	{ "multiboot address fields: image, bss, RAM above 4 GiB in the mmap", test_multiboot_aout },
	{ "64-bit ELF, Linux boot protocol: long mode, zero page, e820, initrd", test_linux64 },
	{ "Debian's vmlinux (ELF) boots to the L2 /init with a virtio disk", test_vmlinux },
	{ "bad kernels and modules: status 2, the file named", test_bad_kernels },
};

int main(void)
{
	if (getenv("VMX_RUN"))
		vmx_run = getenv("VMX_RUN");
	if (getenv("VMX_DEV"))
		dev = getenv("VMX_DEV");
	if (access(dev, R_OK | W_OK))
		tap_skip_all("%s: %s", dev, strerror(errno));
	if (access(vmx_run, X_OK) || access(MB_ELF, R_OK) ||
	    access(MB_AOUT, R_OK) || access(LINUX64, R_OK))
		tap_bail("needs %s and the kernels in %s (see harness/mkinitramfs.sh)",
			 vmx_run, DIR);
	tap_run(cases, ARRAY_SIZE(cases));
}
