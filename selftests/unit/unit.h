/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake core that vmx-run's unit tests share (include after
 * monitor.h): 1 MiB of guest RAM at 0, an I/O registry whose handlers
 * io_access() calls directly, mon_log() printed as a TAP comment and
 * counted, and ok() for TAP output.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RAM_SIZE	(1u << 20)
#define MAX_IO		16

static uint8_t ram[RAM_SIZE];
static struct { int sp; uint64_t base, len; io_fn fn; void *opaque; } io[MAX_IO];
static int nr_io, test_nr, failed, log_lines;

void *gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len)
{
	(void)vm;
	return gpa < RAM_SIZE && len <= RAM_SIZE - gpa ? ram + gpa : NULL;
}

int io_register(struct vm *vm, enum io_space sp, uint64_t base, uint64_t len,
		io_fn fn, void *opaque)
{
	(void)vm;
	io[nr_io].sp = sp;
	io[nr_io].base = base;
	io[nr_io].len = len;
	io[nr_io].fn = fn;
	io[nr_io].opaque = opaque;
	return nr_io++ < MAX_IO - 1 ? 0 : -1;
}

/* An access of len (1, 2 or 4) bytes; unclaimed reads give all-ones. */
static uint32_t io_access(int sp, uint64_t addr, uint32_t len, uint32_t val,
			  bool wr)
{
	uint8_t d[8] = { 0 };
	int i;

	memcpy(d, &val, 4);
	for (i = 0; i < nr_io; i++)
		if (io[i].sp == sp && addr >= io[i].base &&
		    addr + len <= io[i].base + io[i].len) {
			io[i].fn(io[i].opaque, addr - io[i].base, d, len, wr);
			break;
		}
	if (i == nr_io)
		memset(d, 0xff, 4);
	memcpy(&val, d, 4);
	return len == 4 ? val : val & ((1u << 8 * len) - 1);
}

void mon_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# log: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	log_lines++;
}

static void ok(int cond, const char *name)
{
	test_nr++;
	failed += !cond;
	printf("%sok %d - %s\n", cond ? "" : "not ", test_nr, name);
}

#endif
