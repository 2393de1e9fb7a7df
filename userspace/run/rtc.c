// SPDX-License-Identifier: GPL-2.0
/*
 * MC146818 RTC / CMOS at 0x70 (index, bit 7 = NMI mask) and 0x71 (data).
 * The clock reads the host's UTC time in BCD, 24-hour mode; it never
 * raises IRQ 8.  CMOS bytes hold the memory sizes the way BIOSes do.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "core.h"

#define CMOS_BASE	0x70

static struct {
	pthread_mutex_t lock;
	uint8_t index;
	uint8_t ram[128];
} cmos = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint8_t bcd(int v)
{
	return (v / 10) << 4 | v % 10;
}

static uint8_t read_clock(uint8_t idx)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	switch (idx) {
	case 0x00: return bcd(tm.tm_sec);
	case 0x02: return bcd(tm.tm_min);
	case 0x04: return bcd(tm.tm_hour);
	case 0x06: return bcd(tm.tm_wday + 1);
	case 0x07: return bcd(tm.tm_mday);
	case 0x08: return bcd(tm.tm_mon + 1);
	case 0x09: return bcd(tm.tm_year % 100);
	case 0x32: return bcd((tm.tm_year + 1900) / 100);
	}
	return cmos.ram[idx];
}

static void cmos_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		    bool is_write)
{
	(void)opaque;
	if (len != 1) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	pthread_mutex_lock(&cmos.lock);
	if (off == 0) {
		if (is_write)
			cmos.index = data[0] & 0x7f;
		else
			data[0] = 0xff;
	} else if (is_write) {
		/* Status A-D are fixed; clock writes are dropped (host time). */
		if (cmos.index > 0x0d && cmos.index != 0x32)
			cmos.ram[cmos.index] = data[0];
	} else {
		data[0] = read_clock(cmos.index);
	}
	pthread_mutex_unlock(&cmos.lock);
}

static void put16(uint8_t idx, uint64_t v)
{
	if (v > 0xffff)
		v = 0xffff;
	cmos.ram[idx] = v;
	cmos.ram[idx + 1] = v >> 8;
}

int rtc_init(struct vm *vm)
{
	uint64_t low = vm_mem_size(vm) < LOW_RAM_MAX ? vm_mem_size(vm) : LOW_RAM_MAX;
	uint64_t high = vm_mem_size(vm) - low;
	uint64_t above16 = low > (16 << 20) ? low - (16 << 20) : 0;

	cmos.ram[0x0a] = 0x26;		/* 32.768 kHz base, 1024 Hz rate */
	cmos.ram[0x0b] = 0x02;		/* 24-hour, BCD, no interrupts */
	cmos.ram[0x0d] = 0x80;		/* valid RAM and time */
	put16(0x15, 640);		/* base memory, KiB */
	put16(0x17, (low - (1 << 20)) >> 10);	/* 1M-65M, KiB */
	put16(0x30, (low - (1 << 20)) >> 10);
	put16(0x34, above16 >> 16);	/* 16M-4G, 64 KiB units */
	cmos.ram[0x5b] = high >> 16;	/* above 4G, 64 KiB units, 24 bits */
	cmos.ram[0x5c] = high >> 24;
	cmos.ram[0x5d] = high >> 32;
	return io_register(vm, IO_PIO, CMOS_BASE, 2, cmos_io, NULL);
}
