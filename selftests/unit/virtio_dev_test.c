// SPDX-License-Identifier: GPL-2.0
/*
 * User-space test of vmx-run's PCI bus, virtio PCI transport, virtio-blk
 * and virtio-net "loop" against a fake core: port/MMIO accesses call the
 * registered handlers directly, RAM is a buffer, KVM ioctls fail (vm_fd is
 * -1) so the MMIO-kick and vm_msi fallbacks are what gets exercised.  The
 * test plays Linux's driver: conf1 probe, BAR sizing, capability walk,
 * feature negotiation, queue setup, requests, MSI-X masking, a malformed
 * ring (NEEDS_RESET) and reset.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monitor.h"
#include "unit.h"

static int nr_loop, irq_level[64], msi_count;
/* virtio-blk is the first device, slot 1, INTA#. */
#define BLK_GSI PCI_INTX_GSI(1, 0)
static struct { int fd; void (*cb)(void *); void *opaque; } loops[16];
static uint64_t msi_addr;
static uint32_t msi_data;

int vm_fd(struct vm *vm) { (void)vm; return -1; }
int vm_irq_line(struct vm *vm, uint32_t gsi, int level)
{
	(void)vm;
	irq_level[gsi & 63] = level;
	return 0;
}
int vm_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	(void)vm;
	msi_addr = addr;
	msi_data = data;
	msi_count++;
	return 0;
}
int vm_msi_route_add(struct vm *vm, uint64_t a, uint32_t d)
{
	(void)vm, (void)a, (void)d;
	return -38;
}
int vm_msi_route_update(struct vm *vm, int g, uint64_t a, uint32_t d)
{
	(void)vm, (void)g, (void)a, (void)d;
	return -38;
}
int loop_add(struct vm *vm, int fd, void (*cb)(void *), void *opaque)
{
	(void)vm;
	loops[nr_loop].fd = fd;
	loops[nr_loop].cb = cb;
	loops[nr_loop].opaque = opaque;
	nr_loop++;
	return 0;
}
#define inl(p)		io_access(IO_PIO, p, 4, 0, false)
#define outl(p, v)	io_access(IO_PIO, p, 4, v, true)
#define mr(a, l)	io_access(IO_MMIO, a, l, 0, false)
#define mw(a, l, v)	io_access(IO_MMIO, a, l, v, true)

static uint32_t cfg_rd(int slot, int reg, int len)
{
	outl(0xcf8, 0x80000000u | slot << 11 | (reg & 0xfc));
	return io_access(IO_PIO, 0xcfc + (reg & 3), len, 0, false);
}

static void cfg_wr(int slot, int reg, int len, uint32_t v)
{
	outl(0xcf8, 0x80000000u | slot << 11 | (reg & 0xfc));
	io_access(IO_PIO, 0xcfc + (reg & 3), len, v, true);
}

/* Run every loop callback once (the fake I/O thread). */
static void run_loop(void)
{
	int i;

	for (i = 0; i < nr_loop; i++)
		loops[i].cb(loops[i].opaque);
}

struct vdev { int slot; uint64_t bar, common, notify, isr, device; uint32_t mult; };

static void find_caps(struct vdev *d)
{
	int p = cfg_rd(d->slot, 0x34, 1), n = 0;

	while (p && n++ < 16) {
		if (cfg_rd(d->slot, p, 1) == 9) {
			int type = cfg_rd(d->slot, p + 3, 1);
			uint64_t a = d->bar + cfg_rd(d->slot, p + 8, 4);

			if (type == 1) d->common = a;
			if (type == 2) { d->notify = a; d->mult = cfg_rd(d->slot, p + 16, 4); }
			if (type == 3) d->isr = a;
			if (type == 4) d->device = a;
		}
		p = cfg_rd(d->slot, p + 1, 1);
	}
}

#define DESC	0x1000
#define AVAIL	0x2000
#define USED	0x3000
#define BUF	0x8000

static void setup_queue(struct vdev *d, int q, uint64_t base)
{
	mw(d->common + 0x16, 2, q);
	mw(d->common + 0x18, 2, 16);
	mw(d->common + 0x20, 4, base + DESC);
	mw(d->common + 0x24, 4, 0);
	mw(d->common + 0x28, 4, base + AVAIL);
	mw(d->common + 0x2c, 4, 0);
	mw(d->common + 0x30, 4, base + USED);
	mw(d->common + 0x34, 4, 0);
	mw(d->common + 0x1c, 2, 1);
}

static int negotiate(struct vdev *d, uint32_t lo, uint32_t hi)
{
	mw(d->common + 0x14, 1, 0);
	mw(d->common + 0x14, 1, 3);
	mw(d->common + 0x08, 4, 0);
	mw(d->common + 0x0c, 4, lo);
	mw(d->common + 0x08, 4, 1);
	mw(d->common + 0x0c, 4, hi);
	mw(d->common + 0x14, 1, 0xb);
	return mr(d->common + 0x14, 1);
}

static void put_desc(uint64_t base, int i, uint64_t a, uint32_t l,
		     uint16_t f, uint16_t n)
{
	uint8_t *p = ram + base + DESC + 16 * i;

	memcpy(p, &a, 8);
	memcpy(p + 8, &l, 4);
	memcpy(p + 12, &f, 2);
	memcpy(p + 14, &n, 2);
}

static void make_avail(uint64_t base, uint16_t head)
{
	uint16_t *av = (uint16_t *)(ram + base + AVAIL);

	av[2 + av[1] % 16] = head;
	av[1]++;
}

static uint16_t used_idx(uint64_t base)
{
	return *(uint16_t *)(ram + base + USED + 2);
}

/* One virtio-blk request: header, optional data, status. */
static int blk_req(struct vdev *d, uint32_t type, uint64_t sector,
		   uint32_t len, bool data_in)
{
	struct { uint32_t t, r; uint64_t s; } h = { type, 0, sector };
	uint16_t before = used_idx(0);

	/* used_event: like Linux, ask for an interrupt on this completion. */
	*(uint16_t *)(ram + AVAIL + 4 + 2 * 16) = before;
	memcpy(ram + BUF, &h, 16);
	ram[BUF + 0x100] = 0xee;
	put_desc(0, 0, BUF, 16, 1, 1);
	if (len) {
		put_desc(0, 1, BUF + 0x1000, len, 1 | (data_in ? 2 : 0), 2);
		put_desc(0, 2, BUF + 0x100, 1, 2, 0);
	} else {
		put_desc(0, 0, BUF, 16, 1, 2);
		put_desc(0, 2, BUF + 0x100, 1, 2, 0);
	}
	make_avail(0, 0);
	mw(d->notify, 2, 0);
	run_loop();
	return used_idx(0) == (uint16_t)(before + 1) ? ram[BUF + 0x100] : -1;
}

int virtio_blk_create(struct vm *vm, const char *path, bool readonly);
int virtio_net_create(struct vm *vm, const char *spec);
int pci_init(struct vm *vm);

int main(void)
{
	char path[] = "/tmp/virtio_dev_test.XXXXXX";
	struct vdev blk = { .slot = 1 }, net = { .slot = 2 };
	uint8_t pattern[512], back[512];
	uint32_t bar;
	int fd, i;

	printf("TAP version 13\n");
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 64 * 512))
		return 1;
	ok(pci_init(NULL) == 0 && virtio_blk_create(NULL, path, false) == 0 &&
	   virtio_net_create(NULL, "loop") == 0, "devices created");
	outl(0xcf8, 0x80000000);
	ok(inl(0xcf8) == 0x80000000, "conf1 address register reads back");
	ok(cfg_rd(0, 0, 4) == 0x29c08086 && cfg_rd(0, 0x0a, 2) == 0x0600,
	   "host bridge 00:00.0, class 0x0600");
	ok(cfg_rd(1, 0, 4) == 0x10421af4 && cfg_rd(2, 0, 4) == 0x10411af4 &&
	   cfg_rd(3, 0, 4) == 0xffffffff, "virtio-blk at 01.0, -net at 02.0, 03.0 empty");
	ok(cfg_rd(1, 8, 1) == 1 && cfg_rd(1, 0x2e, 2) == 2 && cfg_rd(1, 0x3d, 1) == 1,
	   "revision 1, subsystem id 2, INTA#");
	bar = cfg_rd(1, 0x10, 4);
	cfg_wr(1, 0x10, 4, 0xffffffff);
	ok(cfg_rd(1, 0x10, 4) == 0xffff8000, "BAR0 sizing: 32 KiB memory");
	cfg_wr(1, 0x10, 4, bar);
	ok(bar >= 0xe0000000 && cfg_rd(1, 0x10, 4) == bar, "BAR0 restored in the PCI hole");
	blk.bar = bar;
	net.bar = cfg_rd(2, 0x10, 4);
	find_caps(&blk);
	find_caps(&net);
	ok(blk.common && blk.notify && blk.isr && blk.device && blk.mult == 4,
	   "vendor capabilities: common, notify (x4), ISR, device");
	ok(mr(blk.common + 0x12, 2) == 0xffff, "memory decode off: BAR reads all-ones");
	cfg_wr(1, 4, 2, 6);
	cfg_wr(2, 4, 2, 6);
	ok(mr(blk.common + 0x12, 2) == 1, "memory decode on: num_queues 1");
	ok(mr(blk.device, 4) == 64, "capacity 64 sectors");

	ok(!(negotiate(&blk, 0, 0) & 8), "FEATURES_OK refused without VERSION_1");
	ok(negotiate(&blk, 1u << 28 | 1u << 29 | 1u << 9, 1) & 8,
	   "FEATURES_OK with VERSION_1, EVENT_IDX, INDIRECT, FLUSH");
	setup_queue(&blk, 0, 0);
	mw(blk.common + 0x14, 1, 0xf);
	for (i = 0; i < 512; i++)
		pattern[i] = i * 7;
	memcpy(ram + BUF + 0x1000, pattern, 512);
	ok(blk_req(&blk, 1, 3, 512, false) == 0, "OUT sector 3: status OK");
	ok(pread(fd, back, 512, 3 * 512) == 512 && !memcmp(back, pattern, 512),
	   "OUT: image holds the data");
	ok(irq_level[BLK_GSI] == 1 && mr(blk.isr, 1) == 1 &&
	   irq_level[BLK_GSI] == 0,
	   "INTx: line raised, ISR read returns 1 and lowers it");
	memset(ram + BUF + 0x1000, 0, 512);
	ok(blk_req(&blk, 0, 3, 512, true) == 0 &&
	   !memcmp(ram + BUF + 0x1000, pattern, 512), "IN sector 3 reads it back");
	ok(blk_req(&blk, 0, 64, 512, true) == 1, "IN past capacity: IOERR");
	ok(blk_req(&blk, 4, 0, 0, false) == 0, "FLUSH: OK");
	ok(blk_req(&blk, 8, 0, 20, true) == 0 &&
	   !strcmp((char *)ram + BUF + 0x1000, "vmx-blk0"), "GET_ID");
	ok(blk_req(&blk, 99, 0, 0, false) == 2, "unknown type: UNSUPP");

	/* MSI-X: enable, vector 0 for the queue, then mask/unmask. */
	{
		int cap = cfg_rd(1, 0x34, 1);
		uint64_t tbl;

		while (cap && cfg_rd(1, cap, 1) != 0x11)
			cap = cfg_rd(1, cap + 1, 1);
		tbl = blk.bar + (cfg_rd(1, cap + 4, 4) & ~7u);
		cfg_wr(1, cap + 2, 2, 0x8000);
		mw(tbl, 4, 0xfee00000);
		mw(tbl + 4, 4, 0);
		mw(tbl + 8, 4, 0x41);
		mw(tbl + 12, 4, 0);
		mw(blk.common + 0x16, 2, 0);
		mw(blk.common + 0x1a, 2, 0);
		ok(mr(blk.common + 0x1a, 2) == 0 && mr(blk.common + 0x10, 2) == 0xffff,
		   "queue vector 0 accepted, config vector none");
		msi_count = 0;
		blk_req(&blk, 4, 0, 0, false);
		ok(msi_count == 1 && msi_addr == 0xfee00000 && msi_data == 0x41,
		   "MSI-X: completion sends the vector's message");
		mw(tbl + 12, 4, 1);
		blk_req(&blk, 4, 0, 0, false);
		ok(msi_count == 1 && (mr(blk.bar + 0x5000, 4) & 1), "masked: pending bit set");
		mw(tbl + 12, 4, 0);
		ok(msi_count == 2 && !(mr(blk.bar + 0x5000, 4) & 1),
		   "unmasked: pending message delivered");
	}

	/* A descriptor loop: NEEDS_RESET, one log line, reset clears it. */
	log_lines = 0;
	put_desc(0, 0, BUF, 16, 1, 1);
	put_desc(0, 1, BUF, 16, 1, 0);
	make_avail(0, 0);
	mw(blk.notify, 2, 0);
	run_loop();
	run_loop();
	ok((mr(blk.common + 0x14, 1) & 0x40) && log_lines == 1,
	   "descriptor loop: NEEDS_RESET, one log line");
	mw(blk.common + 0x14, 1, 0);
	ok(mr(blk.common + 0x14, 1) == 0, "reset clears the status");

	/* virtio-net loop: an ARP request for 10.0.2.2 is answered. */
	{
		uint8_t arp[12 + 42] = { 0 }, *f = arp + 12, *rx;
		uint64_t nb = 0x40000;
		uint16_t *used;

		ok(negotiate(&net, 1u << 5, 1) & 8, "net: features accepted");
		setup_queue(&net, 0, nb);
		setup_queue(&net, 1, nb + 0x10000);
		mw(net.common + 0x14, 1, 0xf);
		memset(f, 0xff, 6);
		memcpy(f + 6, "\x52\x54\x00\x12\x34\x57", 6);
		memcpy(f + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01", 10);
		memcpy(f + 22, f + 6, 6);
		memcpy(f + 28, "\x0a\x00\x02\x0f", 4);
		memcpy(f + 38, "\x0a\x00\x02\x02", 4);
		memcpy(ram + nb + BUF, arp, sizeof(arp));
		put_desc(nb, 0, nb + BUF + 0x1000, 2048, 2, 0);
		make_avail(nb, 0);
		put_desc(nb + 0x10000, 0, nb + BUF, sizeof(arp), 0, 0);
		make_avail(nb + 0x10000, 0);
		mw(net.notify + 4, 2, 1);
		run_loop();
		rx = ram + nb + BUF + 0x1000 + 12;
		used = (uint16_t *)(ram + nb + USED);
		ok(used[1] == 1 && *(uint32_t *)(used + 4) == 54 && rx[21] == 2 &&
		   !memcmp(rx + 28, "\x0a\x00\x02\x02", 4) && !memcmp(rx, f + 6, 6),
		   "net loop: ARP reply for 10.0.2.2 to the guest's MAC");
	}
	unlink(path);
	printf("1..%d\n# %d passed, %d failed\n", test_nr, test_nr - failed, failed);
	return !!failed;
}
