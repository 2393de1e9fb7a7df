// SPDX-License-Identifier: GPL-2.0
/*
 * PCI host bridge and bus 0 through configuration mechanism #1: the
 * address register at 0xcf8 (dword only) selects bus/device/function/
 * register and 0xcfc-0xcff carry the data.  Only function 0 of bus 0
 * exists; everything else reads as all-ones (no device).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pci.h"

#define PCI_SLOTS	32
#define CONF1_ENABLE	0x80000000u

/* One BAR placement; stale ones stay registered and ignore accesses. */
struct bar_map {
	struct pci_dev *dev;
	int idx;
	uint64_t base;
};

static struct {
	struct vm *vm;
	pthread_mutex_t lock;	/* config space and the address latch */
	uint32_t addr;
	struct pci_dev *dev[PCI_SLOTS];
	int next_slot;
	uint64_t next_mmio;
	struct pci_dev host;
} pci = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void put_le(uint8_t *p, uint32_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

void pci_dev_init(struct pci_dev *d, uint16_t vendor, uint16_t device,
		  uint32_t class_rev, uint16_t sub_vendor, uint16_t sub_id)
{
	memset(d, 0, sizeof(*d));
	put_le(d->cfg + 0x00, vendor, 2);
	put_le(d->cfg + 0x02, device, 2);
	put_le(d->cfg + 0x08, class_rev, 4);
	put_le(d->cfg + 0x2c, sub_vendor, 2);
	put_le(d->cfg + 0x2e, sub_id, 2);
	put_le(d->wmask + 0x04, PCI_CMD_MEM | PCI_CMD_MASTER | PCI_CMD_INTX_OFF, 2);
	d->wmask[0x0c] = 0xff;	/* cache line size */
	d->wmask[0x3c] = 0xff;	/* interrupt line */
	d->cap_end = 0x40;
}

int pci_add_cap(struct pci_dev *d, const void *cap, uint8_t len)
{
	int off = d->cap_end;

	if (len < 2 || off + len > 256)
		return -ENOSPC;
	memcpy(d->cfg + off, cap, len);
	d->cfg[off + 1] = 0;
	if (d->cap_last)
		d->cfg[d->cap_last + 1] = off;
	else
		d->cfg[0x34] = off;
	d->cfg[0x06] |= 0x10;	/* status: capability list */
	d->cap_last = off;
	d->cap_end = (off + len + 3) & ~3;
	return off;
}

void pci_set_bar(struct pci_dev *d, int idx, uint32_t size, io_fn fn,
		 void *opaque)
{
	d->bar[idx].size = size;
	d->bar[idx].fn = fn;
	d->bar[idx].opaque = opaque;
	/* Bits 3:0 (32-bit, non-prefetchable memory) are read-only zero. */
	put_le(d->wmask + 0x10 + 4 * idx, ~(size - 1) & ~0xfu, 4);
}

bool pci_mem_enabled(const struct pci_dev *d)
{
	return __atomic_load_n(&d->cfg[0x04], __ATOMIC_RELAXED) & PCI_CMD_MEM;
}

/* INTA#, routed as the MP table says (monitor.h). */
int pci_intx_gsi(int slot)
{
	return PCI_INTX_GSI(slot, 0);
}

static void bar_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct bar_map *m = opaque;
	struct pci_bar *b = &m->dev->bar[m->idx];

	/* Decoding off, or the guest moved the BAR since: master abort. */
	if (!pci_mem_enabled(m->dev) ||
	    __atomic_load_n(&b->addr, __ATOMIC_RELAXED) != m->base) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	b->fn(b->opaque, off, data, len, is_write);
}

static int map_bar(struct pci_dev *d, int idx, uint64_t base)
{
	struct bar_map *m = malloc(sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	m->dev = d;
	m->idx = idx;
	m->base = base;
	__atomic_store_n(&d->bar[idx].addr, base, __ATOMIC_RELAXED);
	r = io_register(pci.vm, IO_MMIO, base, d->bar[idx].size, bar_io, m);
	if (r < 0) {
		mon_log("pci: 00:%02x.0 BAR%d at %#llx: cannot register (%d)",
			d->slot, idx, (unsigned long long)base, r);
		free(m);
	}
	return r;
}

/* A BAR write that is not the sizing pattern moves the BAR. */
static void bar_written(struct pci_dev *d, int idx)
{
	uint32_t v;
	uint64_t base;

	memcpy(&v, d->cfg + 0x10 + 4 * idx, 4);
	base = v & ~0xfu;
	if (!d->bar[idx].size || base == d->bar[idx].addr)
		return;
	if (base == (~(uint64_t)(d->bar[idx].size - 1) & 0xfffffff0u) ||
	    !base) {
		return;		/* sizing in progress: decode stays put */
	}
	map_bar(d, idx, base);
}

static void cfg_access(uint32_t addr, uint32_t off, uint8_t *data,
		       uint32_t len, bool is_write)
{
	uint32_t reg = (addr & 0xfc) + off, i;
	int slot = (addr >> 11) & 31;
	struct pci_dev *d = NULL;

	if ((addr & CONF1_ENABLE) && !(addr & 0x00ff0700))
		d = slot ? pci.dev[slot] : &pci.host;
	if (!d || reg + len > 256) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (!is_write) {
		memcpy(data, d->cfg + reg, len);
		return;
	}
	for (i = 0; i < len; i++)
		d->cfg[reg + i] = (d->cfg[reg + i] & ~d->wmask[reg + i]) |
				  (data[i] & d->wmask[reg + i]);
	for (i = 0; i < PCI_NR_BARS; i++)
		if (reg < 0x14 + 4 * i && reg + len > 0x10 + 4 * i)
			bar_written(d, i);
	if (d->cfg_write)
		d->cfg_write(d, reg, len);
}

static void conf1_addr(void *opaque, uint64_t off, uint8_t *data,
		       uint32_t len, bool is_write)
{
	(void)opaque;
	/* Only dword accesses reach the latch (byte 0xcfb is type 2 probing). */
	if (off || len != 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	pthread_mutex_lock(&pci.lock);
	if (is_write)
		memcpy(&pci.addr, data, 4);
	else
		memcpy(data, &pci.addr, 4);
	pthread_mutex_unlock(&pci.lock);
}

static void conf1_data(void *opaque, uint64_t off, uint8_t *data,
		       uint32_t len, bool is_write)
{
	(void)opaque;
	if (off + len > 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	pthread_mutex_lock(&pci.lock);
	cfg_access(pci.addr, off, data, len, is_write);
	pthread_mutex_unlock(&pci.lock);
}

int pci_register(struct vm *vm, struct pci_dev *d)
{
	int i, r, slot;
	uint64_t base;

	if (!pci.vm)
		pci.vm = vm;
	pthread_mutex_lock(&pci.lock);
	slot = ++pci.next_slot;
	if (slot >= PCI_SLOTS) {
		pthread_mutex_unlock(&pci.lock);
		return -ENOSPC;
	}
	d->slot = slot;
	d->cfg[0x3c] = pci_intx_gsi(slot);
	if (!pci.next_mmio)
		pci.next_mmio = PCI_MMIO_BASE;
	for (i = 0; i < PCI_NR_BARS; i++) {
		if (!d->bar[i].size)
			continue;
		/* Naturally aligned, as the sizing protocol implies. */
		base = (pci.next_mmio + d->bar[i].size - 1) &
		       ~(uint64_t)(d->bar[i].size - 1);
		if (base + d->bar[i].size > PCI_MMIO_BASE + PCI_MMIO_SIZE) {
			pthread_mutex_unlock(&pci.lock);
			return -ENOSPC;
		}
		pci.next_mmio = base + d->bar[i].size;
		put_le(d->cfg + 0x10 + 4 * i, base, 4);
		r = map_bar(d, i, base);
		if (r < 0) {
			pthread_mutex_unlock(&pci.lock);
			return r;
		}
	}
	pci.dev[slot] = d;
	pthread_mutex_unlock(&pci.lock);
	return 0;
}

int pci_init(struct vm *vm)
{
	int r;

	pci.vm = vm;
	/* An Intel DRAM controller: Linux's conf1 sanity check looks for one. */
	pci_dev_init(&pci.host, 0x8086, 0x29c0, 0x06000000, 0x8086, 0x29c0);
	pci.host.wmask[0x3c] = 0;
	r = io_register(vm, IO_PIO, 0xcf8, 4, conf1_addr, NULL);
	if (r < 0)
		return r;
	return io_register(vm, IO_PIO, 0xcfc, 4, conf1_data, NULL);
}
