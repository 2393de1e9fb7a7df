// SPDX-License-Identifier: GPL-2.0
/*
 * Port and MMIO dispatch.  Ranges may overlap: an access goes to the
 * smallest range that contains all of it (so 0xcf9, the reset control
 * byte, can live inside the PCI config-address dword at 0xcf8).
 * Nobody's access: reads give all-ones, writes are dropped, logged once.
 */
#include <errno.h>
#include <string.h>
#include "core.h"

#define MAX_RANGES	256
#define MAX_LOGGED_MMIO	64

struct range {
	enum io_space sp;
	uint64_t base, len;
	io_fn fn;
	void *opaque;
};

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct range ranges[MAX_RANGES];
static int nr_ranges;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t logged_port[65536 / 8];
static uint64_t logged_mmio[MAX_LOGGED_MMIO];
static int nr_logged_mmio;

int io_register(struct vm *vm, enum io_space sp, uint64_t base, uint64_t len,
		io_fn fn, void *opaque)
{
	int i, r = 0;

	(void)vm;
	if (!len || !fn || base + len < base ||
	    (sp == IO_PIO && base + len > 0x10000))
		return -EINVAL;
	pthread_rwlock_wrlock(&lock);
	for (i = 0; i < nr_ranges; i++)
		if (ranges[i].sp == sp && ranges[i].base == base &&
		    ranges[i].len == len)
			r = -EEXIST;
	if (!r && nr_ranges == MAX_RANGES)
		r = -ENOSPC;
	if (!r)
		ranges[nr_ranges++] = (struct range){ sp, base, len, fn, opaque };
	pthread_rwlock_unlock(&lock);
	return r;
}

int io_unregister(struct vm *vm, enum io_space sp, uint64_t base)
{
	int i, r = -ENOENT;

	(void)vm;
	pthread_rwlock_wrlock(&lock);
	for (i = 0; i < nr_ranges; i++) {
		if (ranges[i].sp != sp || ranges[i].base != base)
			continue;
		ranges[i] = ranges[--nr_ranges];
		r = 0;
		break;
	}
	pthread_rwlock_unlock(&lock);
	return r;
}

/* True the first time this address is seen. */
static bool first_time(enum io_space sp, uint64_t addr)
{
	bool first = false;
	int i;

	pthread_mutex_lock(&log_lock);
	if (sp == IO_PIO) {
		first = !(logged_port[addr / 8] & (1 << (addr % 8)));
		logged_port[addr / 8] |= 1 << (addr % 8);
	} else if (nr_logged_mmio < MAX_LOGGED_MMIO) {
		first = true;
		for (i = 0; i < nr_logged_mmio; i++)
			if (logged_mmio[i] == addr)
				first = false;
		if (first)
			logged_mmio[nr_logged_mmio++] = addr;
	}
	pthread_mutex_unlock(&log_lock);
	return first;
}

void io_dispatch(struct vm *vm, enum io_space sp, uint64_t addr,
		 uint8_t *data, uint32_t len, bool is_write)
{
	struct range *best = NULL, r;
	int i;

	(void)vm;
	pthread_rwlock_rdlock(&lock);
	for (i = 0; i < nr_ranges; i++) {
		struct range *c = &ranges[i];

		if (c->sp != sp || addr < c->base ||
		    addr + len > c->base + c->len)
			continue;
		if (!best || c->len < best->len)
			best = c;
	}
	if (best)
		r = *best;
	pthread_rwlock_unlock(&lock);

	if (best) {
		r.fn(r.opaque, addr - r.base, data, len, is_write);
		return;
	}
	if (!is_write)
		memset(data, 0xff, len);
	if (first_time(sp, addr))
		mon_log("unhandled %s %s %#llx len %u (logged once)",
			sp == IO_PIO ? "port" : "mmio",
			is_write ? "write" : "read",
			(unsigned long long)addr, len);
}
