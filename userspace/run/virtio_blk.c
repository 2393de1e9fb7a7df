// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk (virtio spec 5.2) on a raw image file.  Requests are served
 * synchronously on the I/O thread with preadv/pwritev straight into guest
 * buffers; FLUSH is fdatasync.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virtio_pci.h"

#define BLK_F_SEG_MAX	2
#define BLK_F_RO	5
#define BLK_F_FLUSH	9

#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define T_GET_ID	8

#define S_OK		0
#define S_IOERR		1
#define S_UNSUPP	2

#define SECTOR		512
#define QUEUE_SIZE	256
#define ID_LEN		20

struct blk {
	struct virtio_dev v;
	struct virtio_ops ops;
	int fd;
	bool ro;
	uint64_t bytes;
	char id[ID_LEN];
	struct virtq_elem e;
	struct iovec data[VIRTQ_MAX_SEGS];
};

struct req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* The whole transfer or an error: p{read,write}v may stop short. */
static int rw_all(int fd, struct iovec *iov, unsigned int n, uint64_t off,
		  bool write)
{
	ssize_t r;

	while (n) {
		r = write ? pwritev(fd, iov, n, off) : preadv(fd, iov, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		off += r;
		while (n && (size_t)r >= iov->iov_len) {
			r -= iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (uint8_t *)iov->iov_base + r;
			iov->iov_len -= r;
		}
	}
	return 0;
}

/* Serve one request; returns the bytes written into the in part. */
static uint32_t blk_req(struct blk *b, struct virtq_elem *e)
{
	const struct iovec *in = e->iov + e->n_out;
	uint64_t len, off;
	struct req_hdr h;
	uint8_t status = S_OK;
	uint32_t written = 0;
	unsigned int n;

	if (!e->in_len)
		return 0;	/* no room for a status byte: nothing to say */
	if (iov_to_buf(e->iov, e->n_out, 0, &h, sizeof(h)) != sizeof(h)) {
		status = S_IOERR;
		goto out;
	}
	switch (h.type) {
	case T_IN:
	case T_OUT:
		len = h.type == T_IN ? e->in_len - 1 : e->out_len - sizeof(h);
		if (h.sector > b->bytes / SECTOR ||
		    len > b->bytes - h.sector * SECTOR) {
			status = S_IOERR;
			break;
		}
		if (h.type == T_OUT && b->ro) {
			status = S_IOERR;
			break;
		}
		off = h.sector * SECTOR;
		n = h.type == T_IN ?
		    iov_slice(in, e->n_in, 0, len, b->data, VIRTQ_MAX_SEGS) :
		    iov_slice(e->iov, e->n_out, sizeof(h), len, b->data,
			      VIRTQ_MAX_SEGS);
		if (rw_all(b->fd, b->data, n, off, h.type == T_OUT))
			status = S_IOERR;
		else if (h.type == T_IN)
			written = len;
		break;
	case T_FLUSH:
		if (!b->ro && fdatasync(b->fd))
			status = S_IOERR;
		break;
	case T_GET_ID:
		len = e->in_len - 1 < ID_LEN ? e->in_len - 1 : ID_LEN;
		written = iov_from_buf(in, e->n_in, 0, b->id, len);
		break;
	default:
		status = S_UNSUPP;
	}
out:
	iov_from_buf(in, e->n_in, e->in_len - 1, &status, 1);
	return written + 1;
}

static void blk_kick(struct virtio_dev *v, int q)
{
	struct blk *b = v->priv;
	struct virtq *vq = &v->q[q].vq;

	while (virtq_pop(vq, &b->e) > 0)
		virtq_push(vq, &b->e, blk_req(b, &b->e));
	virtio_queue_done(v, q);
}

int virtio_blk_create(struct vm *vm, const char *path, bool readonly)
{
	static int count;
	struct blk *b = calloc(1, sizeof(*b));
	uint32_t seg_max = VIRTQ_MAX_SEGS - 2;	/* header and status */
	struct stat st;
	int r;

	if (!b)
		return -ENOMEM;
	b->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (b->fd < 0 || fstat(b->fd, &st)) {
		r = -errno;
		mon_log("virtio-blk: %s: %s", path, strerror(errno));
		goto fail;
	}
	b->ro = readonly;
	b->bytes = (uint64_t)st.st_size / SECTOR * SECTOR;
	snprintf(b->id, sizeof(b->id), "vmx-blk%d", count++);
	b->ops = (struct virtio_ops){
		.name = "virtio-blk",
		.id = VIRTIO_ID_BLOCK,
		.features = 1ULL << BLK_F_SEG_MAX | 1ULL << BLK_F_FLUSH |
			    (uint64_t)readonly << BLK_F_RO,
		.cfg_size = 0x18,
		.nr_queues = 1,
		.queue_size = QUEUE_SIZE,
		.queue_kick = blk_kick,
	};
	memcpy(b->v.cfg + 0x00, &(uint64_t){ b->bytes / SECTOR }, 8);
	memcpy(b->v.cfg + 0x0c, &seg_max, 4);
	r = virtio_pci_create(vm, &b->v, &b->ops, b);
	if (!r)
		return 0;
	/* Kept: the event loop may already hold pointers into b. */
	mon_log("virtio-blk: %s: cannot attach (%d)", path, r);
	return r;
fail:
	if (b->fd >= 0)
		close(b->fd);
	free(b);
	return r;
}
