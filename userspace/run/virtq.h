/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues (virtio 1.x, 2.7) processed against guest RAM.  The
 * ring lives in guest memory and is untrusted: every index, length and
 * address is checked, and a malformed ring marks the queue broken (the
 * transport then sets NEEDS_RESET).  Only gpa_to_hva() touches guest RAM.
 */
#ifndef VMXRUN_VIRTQ_H
#define VMXRUN_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

struct vm;

#define VIRTQ_MAX_SIZE		1024	/* largest queue we offer */
#define VIRTQ_MAX_SEGS		1024	/* buffers in one chain, indirect too */

#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2
#define VIRTQ_DESC_F_INDIRECT	4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY	1

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq {
	struct vm *vm;
	const char *name;		/* for the one log line */
	uint16_t size;
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool ready;			/* rings mapped */
	bool broken;			/* malformed: no more processing */
	uint64_t desc_gpa, avail_gpa, used_gpa;
	struct virtq_desc *desc;
	uint16_t *avail;		/* flags, idx, ring[size], used_event */
	uint16_t *used;			/* flags, idx, {le32 id, le32 len}[size], avail_event */
	uint16_t last_avail;		/* next avail entry to pop */
	uint16_t used_idx;		/* next used entry to fill */
	uint16_t signalled_used;	/* used_idx at the last interrupt */
	bool signalled_valid;
};

/* One popped chain: out (device-readable) iovecs first, then in. */
struct virtq_elem {
	uint16_t head;
	unsigned int n_out, n_in;
	uint64_t out_len, in_len;	/* total bytes each way */
	struct iovec iov[VIRTQ_MAX_SEGS];
};

/* Map the rings at desc/avail/used_gpa for size entries; -EINVAL if bad. */
int virtq_start(struct virtq *vq);
void virtq_reset(struct virtq *vq);
/* 1: elem filled, 0: ring empty, -EIO: malformed (queue now broken). */
int virtq_pop(struct virtq *vq, struct virtq_elem *e);
/* Return a chain to the driver with len bytes written into its in part. */
void virtq_push(struct virtq *vq, const struct virtq_elem *e, uint32_t len);
/* After pushes: does the driver want an interrupt now? */
bool virtq_need_irq(struct virtq *vq);

/* Byte-wise helpers over an iovec array (a copy of a chain's part). */
size_t iov_to_buf(const struct iovec *iov, unsigned int n, size_t off,
		  void *buf, size_t len);
size_t iov_from_buf(const struct iovec *iov, unsigned int n, size_t off,
		    const void *buf, size_t len);
/* dst = bytes [off, off + len) of iov; returns entries used (<= max). */
unsigned int iov_slice(const struct iovec *iov, unsigned int n, size_t off,
		       size_t len, struct iovec *dst, unsigned int max);

#endif
