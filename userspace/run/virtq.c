// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue processing.  The guest owns the rings and may change them
 * under us at any time, so each descriptor is copied once before use and
 * every guest address goes through gpa_to_hva() with its full length.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "monitor.h"
#include "virtq.h"

/* Offsets in the avail ring (u16 units) and used ring (bytes). */
#define AVAIL_FLAGS	0
#define AVAIL_IDX	1
#define AVAIL_RING	2
#define USED_IDX_OFF	2
#define USED_RING_OFF	4

static uint16_t ld16_acquire(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint16_t ld16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void st16(uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

__attribute__((format(printf, 2, 3)))
static int vq_fail(struct virtq *vq, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (!vq->broken) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		mon_log("%s: malformed virtqueue, device needs reset: %s",
			vq->name ? vq->name : "virtq", msg);
	}
	vq->broken = true;
	return -EIO;
}

int virtq_start(struct virtq *vq)
{
	uint64_t n = vq->size;

	vq->ready = false;
	if (!n || n > VIRTQ_MAX_SIZE || (n & (n - 1)))
		return -EINVAL;
	/* Alignment from the spec (2.7): desc 16, avail 2, used 4. */
	if ((vq->desc_gpa & 15) || (vq->avail_gpa & 1) || (vq->used_gpa & 3))
		return -EINVAL;
	vq->desc = gpa_to_hva(vq->vm, vq->desc_gpa, 16 * n);
	vq->avail = gpa_to_hva(vq->vm, vq->avail_gpa, 6 + 2 * n);
	vq->used = gpa_to_hva(vq->vm, vq->used_gpa, 6 + 8 * n);
	if (!vq->desc || !vq->avail || !vq->used)
		return -EINVAL;
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->signalled_valid = false;
	vq->broken = false;
	vq->ready = true;
	return 0;
}

void virtq_reset(struct virtq *vq)
{
	vq->ready = false;
	vq->broken = false;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	vq->desc_gpa = vq->avail_gpa = vq->used_gpa = 0;
	vq->last_avail = vq->used_idx = 0;
	vq->signalled_valid = false;
	vq->event_idx = vq->indirect = false;
}

static uint16_t *avail_event(struct virtq *vq)
{
	return (uint16_t *)((uint8_t *)vq->used + USED_RING_OFF + 8 * vq->size);
}

/* Entries the driver made available; -EIO if the index is impossible. */
static int avail_pending(struct virtq *vq)
{
	uint16_t idx = ld16_acquire(&vq->avail[AVAIL_IDX]);
	uint16_t n = idx - vq->last_avail;

	if (n > vq->size)
		return vq_fail(vq, "avail idx %u is %u past %u (size %u)",
			       idx, n, vq->last_avail, vq->size);
	if (n || !vq->event_idx)
		return n;
	/* Empty: ask for a kick past idx, then look again (no lost kick). */
	st16(avail_event(vq), idx);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	idx = ld16_acquire(&vq->avail[AVAIL_IDX]);
	n = idx - vq->last_avail;
	if (n > vq->size)
		return vq_fail(vq, "avail idx %u jumped", idx);
	return n;
}

static int add_buf(struct virtq *vq, struct virtq_elem *e,
		   const struct virtq_desc *d)
{
	unsigned int i = e->n_out + e->n_in;
	void *hva;

	if (d->flags & VIRTQ_DESC_F_WRITE) {
		e->in_len += d->len;
	} else {
		if (e->n_in)
			return vq_fail(vq, "readable buffer after writable");
		e->out_len += d->len;
	}
	if (!d->len)
		return 0;
	if (i >= VIRTQ_MAX_SEGS)
		return vq_fail(vq, "chain has more than %d buffers",
			       VIRTQ_MAX_SEGS);
	hva = gpa_to_hva(vq->vm, d->addr, d->len);
	if (!hva)
		return vq_fail(vq, "buffer %#llx+%#x outside RAM",
			       (unsigned long long)d->addr, d->len);
	e->iov[i].iov_base = hva;
	e->iov[i].iov_len = d->len;
	if (d->flags & VIRTQ_DESC_F_WRITE)
		e->n_in++;
	else
		e->n_out++;
	return 0;
}

/* Walk the chain at head; a table switch happens at most once. */
static int walk_chain(struct virtq *vq, struct virtq_elem *e, uint16_t head)
{
	const struct virtq_desc *table = vq->desc;
	uint32_t tsize = vq->size, idx = head, count = 0;
	bool indirect = false;
	struct virtq_desc d;

	for (;;) {
		if (idx >= tsize)
			return vq_fail(vq, "descriptor %u past table size %u",
				       idx, tsize);
		if (++count > tsize)
			return vq_fail(vq, "descriptor chain loops");
		/* One copy: the guest can change the table meanwhile. */
		memcpy(&d, (const void *)&table[idx], sizeof(d));
		__atomic_signal_fence(__ATOMIC_SEQ_CST);

		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (indirect)
				return vq_fail(vq, "nested indirect table");
			if (!vq->indirect)
				return vq_fail(vq, "indirect not negotiated");
			if (d.flags & VIRTQ_DESC_F_NEXT)
				return vq_fail(vq, "indirect with NEXT");
			if (!d.len || d.len % sizeof(d))
				return vq_fail(vq, "indirect length %u", d.len);
			table = gpa_to_hva(vq->vm, d.addr, d.len);
			if (!table)
				return vq_fail(vq, "indirect table %#llx+%#x outside RAM",
					       (unsigned long long)d.addr, d.len);
			tsize = d.len / sizeof(d);
			idx = 0;
			count = 0;
			indirect = true;
			continue;
		}
		if (add_buf(vq, e, &d))
			return -EIO;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		idx = d.next;
	}
}

int virtq_pop(struct virtq *vq, struct virtq_elem *e)
{
	uint16_t head;
	int n;

	if (vq->broken)
		return -EIO;
	if (!vq->ready)
		return 0;
	n = avail_pending(vq);
	if (n <= 0)
		return n < 0 ? -EIO : 0;
	head = ld16(&vq->avail[AVAIL_RING + vq->last_avail % vq->size]);
	if (head >= vq->size)
		return vq_fail(vq, "avail head %u past size %u", head,
			       vq->size);
	e->head = head;
	e->n_out = e->n_in = 0;
	e->out_len = e->in_len = 0;
	if (walk_chain(vq, e, head))
		return -EIO;
	vq->last_avail++;
	return 1;
}

void virtq_push(struct virtq *vq, const struct virtq_elem *e, uint32_t len)
{
	uint8_t *u = (uint8_t *)vq->used;
	uint32_t elem[2] = { e->head, len };

	if (!vq->ready || vq->broken)
		return;
	memcpy(u + USED_RING_OFF + 8 * (vq->used_idx % vq->size), elem,
	       sizeof(elem));
	vq->used_idx++;
	__atomic_store_n((uint16_t *)(u + USED_IDX_OFF), vq->used_idx,
			 __ATOMIC_RELEASE);
}

bool virtq_need_irq(struct virtq *vq)
{
	uint16_t old, new, ev;
	bool valid;

	if (!vq->ready)
		return false;
	/* Our used idx store must be visible before we read the driver's. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vq->event_idx)
		return !(ld16(&vq->avail[AVAIL_FLAGS]) &
			 VIRTQ_AVAIL_F_NO_INTERRUPT);
	ev = ld16(&vq->avail[AVAIL_RING + vq->size]);
	old = vq->signalled_used;
	new = vq->used_idx;
	valid = vq->signalled_valid;
	vq->signalled_used = new;
	vq->signalled_valid = true;
	if (!valid)
		return true;
	/* Interrupt if used_event lies in (old, new]. */
	return (uint16_t)(new - ev - 1) < (uint16_t)(new - old);
}

/* Copy between a flat buffer and bytes [off, off + len) of an iovec array. */
static size_t iov_copy(const struct iovec *iov, unsigned int n, size_t off,
		       uint8_t *buf, size_t len, bool to_iov)
{
	size_t done = 0, c;
	unsigned int i;
	uint8_t *p;

	for (i = 0; i < n && done < len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		c = iov[i].iov_len - off;
		if (c > len - done)
			c = len - done;
		p = (uint8_t *)iov[i].iov_base + off;
		if (to_iov)
			memcpy(p, buf + done, c);
		else
			memcpy(buf + done, p, c);
		done += c;
		off = 0;
	}
	return done;
}

size_t iov_to_buf(const struct iovec *iov, unsigned int n, size_t off,
		  void *buf, size_t len)
{
	return iov_copy(iov, n, off, buf, len, false);
}

size_t iov_from_buf(const struct iovec *iov, unsigned int n, size_t off,
		    const void *buf, size_t len)
{
	return iov_copy(iov, n, off, (uint8_t *)buf, len, true);
}

unsigned int iov_slice(const struct iovec *iov, unsigned int n, size_t off,
		       size_t len, struct iovec *dst, unsigned int max)
{
	unsigned int i, k = 0;
	size_t c;

	for (i = 0; i < n && len && k < max; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		c = iov[i].iov_len - off;
		if (c > len)
			c = len;
		dst[k].iov_base = (uint8_t *)iov[i].iov_base + off;
		dst[k].iov_len = c;
		k++;
		len -= c;
		off = 0;
	}
	return k;
}
