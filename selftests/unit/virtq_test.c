// SPDX-License-Identifier: GPL-2.0
/*
 * User-space unit test of userspace/run/virtq.c against a fake guest: RAM
 * is a buffer that ends right before a PROT_NONE page, and gpa_to_hva()
 * and mon_log() are fakes.  Valid chains (direct, indirect, event idx) and
 * each kind of malformed ring must give the documented result, break the
 * queue with exactly one log line, and never touch memory outside RAM.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "monitor.h"
#include "virtq.h"

#define RAM_SIZE	(1u << 20)
#define QSZ		16
#define DESC_GPA	0x1000
#define AVAIL_GPA	0x2000
#define USED_GPA	0x3000
#define IND_GPA		0x4000
#define BUF_GPA		0x10000

static uint8_t *ram;
static int log_lines;
static char last_log[256];
static int test_nr, failed;
static struct virtq_elem elem;

void *gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len)
{
	(void)vm;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return NULL;
	return ram + gpa;
}

void mon_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	log_lines++;
}

static void ok(int cond, const char *name)
{
	test_nr++;
	if (!cond)
		failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", test_nr, name);
}

static struct virtq_desc *desc(unsigned int i)
{
	return (struct virtq_desc *)(ram + DESC_GPA) + i;
}

static struct virtq_desc *ind(unsigned int i)
{
	return (struct virtq_desc *)(ram + IND_GPA) + i;
}

static uint16_t *avail(void)
{
	return (uint16_t *)(ram + AVAIL_GPA);
}

static uint16_t *used16(void)
{
	return (uint16_t *)(ram + USED_GPA);
}

static void set_desc(struct virtq_desc *d, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

/* Fresh RAM and queue; the driver made heads[0..n) available. */
static void setup(struct virtq *vq, bool event_idx, bool indirect)
{
	memset(ram, 0, RAM_SIZE);
	memset(vq, 0, sizeof(*vq));
	vq->name = "test";
	vq->size = QSZ;
	vq->desc_gpa = DESC_GPA;
	vq->avail_gpa = AVAIL_GPA;
	vq->used_gpa = USED_GPA;
	if (virtq_start(vq))
		abort();
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	log_lines = 0;
}

static void make_avail(uint16_t head)
{
	uint16_t idx = avail()[1];

	avail()[2 + idx % QSZ] = head;
	avail()[1] = idx + 1;
}

static int iov_in_ram(const struct virtq_elem *e)
{
	unsigned int i;

	for (i = 0; i < e->n_out + e->n_in; i++) {
		uint8_t *b = e->iov[i].iov_base;

		if (b < ram || b + e->iov[i].iov_len > ram + RAM_SIZE)
			return 0;
	}
	return 1;
}

/* A malformed ring: pop fails, the queue is broken, one line logged. */
static void expect_broken(struct virtq *vq, const char *name)
{
	char msg[128];
	int r1 = virtq_pop(vq, &elem);
	int r2 = virtq_pop(vq, &elem);

	snprintf(msg, sizeof(msg), "%s: -EIO, broken, one log line", name);
	ok(r1 < 0 && r2 < 0 && vq->broken && log_lines == 1, msg);
}

static void test_direct(void)
{
	struct virtq vq;
	uint32_t *u;

	setup(&vq, false, false);
	set_desc(desc(3), BUF_GPA, 16, VIRTQ_DESC_F_NEXT, 7);
	set_desc(desc(7), BUF_GPA + 0x100, 512, VIRTQ_DESC_F_NEXT, 1);
	set_desc(desc(1), BUF_GPA + 0x400, 1, VIRTQ_DESC_F_WRITE, 0);
	ok(virtq_pop(&vq, &elem) == 0, "empty ring pops nothing");
	make_avail(3);
	ok(virtq_pop(&vq, &elem) == 1 && elem.head == 3 && elem.n_out == 2 &&
	   elem.n_in == 1 && elem.out_len == 528 && elem.in_len == 1,
	   "direct chain: 2 readable + 1 writable");
	ok(elem.iov[0].iov_base == ram + BUF_GPA &&
	   elem.iov[2].iov_base == ram + BUF_GPA + 0x400 && iov_in_ram(&elem),
	   "direct chain: iovecs point at the guest buffers");
	virtq_push(&vq, &elem, 1);
	u = (uint32_t *)(ram + USED_GPA + 4);
	ok(used16()[1] == 1 && u[0] == 3 && u[1] == 1,
	   "push: used idx 1, element {3, 1}");
	ok(virtq_need_irq(&vq), "no flags: interrupt wanted");
	avail()[0] = VIRTQ_AVAIL_F_NO_INTERRUPT;
	virtq_push(&vq, &elem, 1);
	ok(!virtq_need_irq(&vq), "VIRTQ_AVAIL_F_NO_INTERRUPT suppresses");
	ok(virtq_pop(&vq, &elem) == 0 && !vq.broken && log_lines == 0,
	   "ring drained, nothing logged");
}

static void test_indirect(void)
{
	struct virtq vq;

	setup(&vq, false, true);
	set_desc(ind(0), BUF_GPA, 16, VIRTQ_DESC_F_NEXT, 2);
	set_desc(ind(2), BUF_GPA + 0x100, 4096, VIRTQ_DESC_F_NEXT |
		 VIRTQ_DESC_F_WRITE, 1);
	set_desc(ind(1), BUF_GPA + 0x2000, 1, VIRTQ_DESC_F_WRITE, 0);
	set_desc(desc(5), IND_GPA, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(5);
	ok(virtq_pop(&vq, &elem) == 1 && elem.head == 5 && elem.n_out == 1 &&
	   elem.n_in == 2 && elem.in_len == 4097 && iov_in_ram(&elem),
	   "indirect chain: 1 readable + 2 writable");
}

static void test_event_idx(void)
{
	struct virtq vq;
	uint16_t *avail_event = (uint16_t *)(ram + USED_GPA + 4 + 8 * QSZ);
	uint16_t *used_event = &avail()[2 + QSZ];

	setup(&vq, true, false);
	set_desc(desc(0), BUF_GPA, 8, 0, 0);
	make_avail(0);
	make_avail(0);
	ok(virtq_pop(&vq, &elem) == 1 && virtq_pop(&vq, &elem) == 1 &&
	   virtq_pop(&vq, &elem) == 0 && *avail_event == 2,
	   "event idx: avail_event set to avail idx when drained");
	virtq_push(&vq, &elem, 0);
	ok(virtq_need_irq(&vq), "event idx: first completion interrupts");
	*used_event = 5;
	virtq_push(&vq, &elem, 0);
	ok(!virtq_need_irq(&vq), "event idx: used_event 5 not reached at 2");
	virtq_push(&vq, &elem, 0);
	virtq_push(&vq, &elem, 0);
	virtq_push(&vq, &elem, 0);
	ok(!virtq_need_irq(&vq), "event idx: used_event 5 not crossed at 5");
	virtq_push(&vq, &elem, 0);
	ok(virtq_need_irq(&vq), "event idx: used_event 5 crossed at 6");
	avail()[0] = VIRTQ_AVAIL_F_NO_INTERRUPT;
	*used_event = 6;
	virtq_push(&vq, &elem, 0);
	ok(virtq_need_irq(&vq), "event idx: avail flags ignored");
}

static void test_malformed(void)
{
	struct virtq vq;
	unsigned int i;

	setup(&vq, false, false);
	set_desc(desc(0), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 1);
	set_desc(desc(1), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 0);
	make_avail(0);
	expect_broken(&vq, "descriptor loop");

	setup(&vq, false, false);
	for (i = 0; i < QSZ; i++)
		set_desc(desc(i), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, i);
	make_avail(4);
	expect_broken(&vq, "descriptor points to itself");

	setup(&vq, false, false);
	make_avail(QSZ);
	expect_broken(&vq, "avail head past queue size");

	setup(&vq, false, false);
	set_desc(desc(0), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, QSZ);
	make_avail(0);
	expect_broken(&vq, "next past queue size");

	setup(&vq, false, false);
	avail()[1] = QSZ + 1;
	expect_broken(&vq, "avail idx jumps past queue size");

	setup(&vq, true, false);
	avail()[1] = 0x8000;
	expect_broken(&vq, "avail idx jump with event idx");

	setup(&vq, false, false);
	set_desc(desc(0), RAM_SIZE - 4, 16, 0, 0);
	make_avail(0);
	expect_broken(&vq, "buffer crosses the end of RAM");

	setup(&vq, false, false);
	set_desc(desc(0), ~0ULL - 0xff, 0x200, 0, 0);
	make_avail(0);
	expect_broken(&vq, "buffer address wraps around");

	setup(&vq, false, false);
	set_desc(desc(0), BUF_GPA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	set_desc(desc(1), BUF_GPA, 8, 0, 0);
	make_avail(0);
	expect_broken(&vq, "readable after writable");

	setup(&vq, false, true);
	set_desc(desc(0), IND_GPA, 20, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "indirect length not a multiple of 16");

	setup(&vq, false, true);
	set_desc(desc(0), IND_GPA, 0, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "indirect length 0");

	setup(&vq, false, true);
	set_desc(desc(0), RAM_SIZE - 32, 64, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "indirect table outside RAM");

	setup(&vq, false, true);
	set_desc(ind(0), IND_GPA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(desc(0), IND_GPA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "nested indirect");

	setup(&vq, false, false);
	set_desc(desc(0), IND_GPA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "indirect not negotiated");

	setup(&vq, false, true);
	set_desc(ind(0), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 1);
	set_desc(ind(1), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 0);
	set_desc(desc(0), IND_GPA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "loop inside an indirect table");

	setup(&vq, false, true);
	set_desc(ind(0), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 2);
	set_desc(desc(0), IND_GPA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "next past indirect table");

	setup(&vq, false, true);
	for (i = 0; i < VIRTQ_MAX_SEGS + 1; i++)
		set_desc(ind(i), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, i + 1);
	ind(VIRTQ_MAX_SEGS)->flags = 0;
	set_desc(desc(0), IND_GPA, 16 * (VIRTQ_MAX_SEGS + 1),
		 VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken(&vq, "indirect chain longer than the segment limit");

	setup(&vq, false, false);
	vq.used_gpa = RAM_SIZE - 16;
	ok(virtq_start(&vq) < 0, "used ring outside RAM refused");
	vq.used_gpa = USED_GPA + 2;
	ok(virtq_start(&vq) < 0, "misaligned used ring refused");
	vq.used_gpa = USED_GPA;
	vq.size = 3;
	ok(virtq_start(&vq) < 0, "queue size not a power of 2 refused");
	vq.size = QSZ;
	ok(virtq_start(&vq) == 0 && !vq.broken, "valid rings accepted");
	ok(log_lines == 0, "refused rings log nothing by themselves");
}

/* Random rings: the only acceptable outcomes are 0, 1 or -EIO. */
static void test_fuzz(void)
{
	struct virtq vq;
	unsigned int iter, i, bad = 0, logs_ok = 1;

	srand(12345);
	for (iter = 0; iter < 20000; iter++) {
		setup(&vq, iter & 1, iter & 2);
		for (i = 0; i < QSZ; i++)
			set_desc(desc(i), (uint64_t)rand() * (iter & 4 ? 1 : 64),
				 rand() & 0x3fff, rand() & 7, rand() % (QSZ + 2));
		for (i = 0; i < 64; i++)
			set_desc(ind(i), rand() & 0xfffff, rand() & 0xfff,
				 rand() & 7, rand() % 66);
		if (iter & 8)
			desc(0)->addr = IND_GPA;
		for (i = 0; i < QSZ + 2; i++)
			avail()[i] = rand() % (QSZ + 1);
		avail()[1] = rand() % (QSZ + 3);
		for (i = 0; i < 2 * QSZ; i++) {
			int r = virtq_pop(&vq, &elem);

			if (r == 1 && !iov_in_ram(&elem))
				bad++;
			if (r != 1)
				break;
			virtq_push(&vq, &elem, 0);
		}
		if (log_lines > 1)
			logs_ok = 0;
	}
	ok(!bad, "fuzz: every iovec lies inside RAM");
	ok(logs_ok, "fuzz: at most one log line per broken queue");
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *p;

	p = mmap(NULL, RAM_SIZE + pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + RAM_SIZE, pg, PROT_NONE))
		return 1;
	ram = p;
	printf("TAP version 13\n");
	test_direct();
	test_indirect();
	test_event_idx();
	test_malformed();
	test_fuzz();
	printf("1..%d\n", test_nr);
	printf("# %d passed, %d failed\n", test_nr - failed, failed);
	return failed ? 1 : 0;
}
