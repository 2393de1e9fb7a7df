// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net (virtio spec 5.1): queue 0 receives, queue 1 transmits.  The
 * backend is a tap device ("tap=NAME", frames carry the 12-byte virtio net
 * header both ways) or "loop": a fake peer that answers ARP requests for
 * any other address and ICMP echo requests, so a guest can ping without
 * root on the host.  Everything runs on the I/O thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "virtio_pci.h"

#define NET_F_MAC	5
#define HDR_LEN		12	/* virtio_net_hdr_v1: VERSION_1 always has num_buffers */
#define FRAME_MAX	1536
#define PENDING		32
#define RXQ		0
#define TXQ		1

struct net {
	struct virtio_dev v;
	struct virtio_ops ops;
	int tap_fd;		/* -1 in loop mode */
	struct virtq_elem e;
	/* Loop mode: replies waiting for receive buffers. */
	uint8_t frame[PENDING][FRAME_MAX];
	uint16_t frame_len[PENDING];
	unsigned int head, tail;
};

static const uint8_t peer_mac[6] = { 0x52, 0x54, 0x00, 0xfe, 0xfe, 0xfe };

static uint16_t be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += be16(p + i);
	if (len & 1)
		s += p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/* Build the peer's answer to frame f in r; returns its length or 0. */
static size_t loop_reply(const uint8_t *f, size_t len, uint8_t *r)
{
	size_t ihl;
	uint16_t c;

	if (len < 14)
		return 0;
	memcpy(r, f + 6, 6);
	memcpy(r + 6, peer_mac, 6);
	memcpy(r + 12, f + 12, len - 12);
	if (be16(f + 12) == 0x0806 && len >= 42 && be16(f + 20) == 1 &&
	    memcmp(f + 28, f + 38, 4)) {
		r[21] = 2;				/* ARP reply */
		memcpy(r + 22, peer_mac, 6);		/* sha */
		memcpy(r + 28, f + 38, 4);		/* spa = asked ip */
		memcpy(r + 32, f + 22, 6);		/* tha */
		memcpy(r + 38, f + 28, 4);		/* tpa */
		return 42;
	}
	if (be16(f + 12) != 0x0800 || len < 34 || f[23] != 1)
		return 0;
	ihl = (f[14] & 15) * 4;
	if (ihl < 20 || len < 14 + ihl + 8 || f[14 + ihl] != 8)
		return 0;
	if (be16(f + 16) < ihl + 8 || be16(f + 16) > len - 14)
		return 0;
	memcpy(r + 26, f + 30, 4);			/* swap addresses */
	memcpy(r + 30, f + 26, 4);
	r[14 + ihl] = 0;				/* echo reply */
	r[14 + ihl + 2] = r[14 + ihl + 3] = 0;
	c = csum(r + 14 + ihl, be16(f + 16) - ihl);
	r[14 + ihl + 2] = c >> 8;
	r[14 + ihl + 3] = c;
	return 14 + be16(f + 16);
}

/* Loop mode: hand queued replies to the guest's receive buffers. */
static void loop_deliver(struct net *n)
{
	struct virtq *vq = &n->v.q[RXQ].vq;
	uint8_t hdr[HDR_LEN] = { [10] = 1 };	/* num_buffers = 1 */
	unsigned int i;
	bool pushed = false;
	size_t len;

	if (!virtio_queue_ready(&n->v, RXQ))
		return;
	while (n->head != n->tail) {
		if (virtq_pop(vq, &n->e) <= 0)
			break;
		i = n->head % PENDING;
		len = n->frame_len[i];
		if (n->e.in_len < HDR_LEN + len) {
			virtq_push(vq, &n->e, 0);	/* too small: drop */
		} else {
			iov_from_buf(n->e.iov + n->e.n_out, n->e.n_in, 0, hdr,
				     HDR_LEN);
			iov_from_buf(n->e.iov + n->e.n_out, n->e.n_in, HDR_LEN,
				     n->frame[i], len);
			virtq_push(vq, &n->e, HDR_LEN + len);
		}
		n->head++;
		pushed = true;
	}
	if (pushed)
		virtio_queue_done(&n->v, RXQ);
}

static void tx_one(struct net *n, struct virtq_elem *e)
{
	uint8_t f[FRAME_MAX];
	size_t len;

	if (n->tap_fd >= 0) {
		if (writev(n->tap_fd, e->iov, e->n_out) < 0 && errno != EAGAIN)
			mon_log("virtio-net: tap write: %s", strerror(errno));
		return;
	}
	if (e->out_len <= HDR_LEN || e->out_len > HDR_LEN + FRAME_MAX)
		return;
	len = iov_to_buf(e->iov, e->n_out, HDR_LEN, f, e->out_len - HDR_LEN);
	if (n->tail - n->head >= PENDING)
		return;		/* guest not receiving: the peer drops */
	len = loop_reply(f, len, n->frame[n->tail % PENDING]);
	if (len) {
		n->frame_len[n->tail % PENDING] = len;
		n->tail++;
	}
}

static void net_kick(struct virtio_dev *v, int q)
{
	struct net *n = v->priv;
	struct virtq *vq = &v->q[TXQ].vq;

	if (q == TXQ) {
		while (virtq_pop(vq, &n->e) > 0) {
			tx_one(n, &n->e);
			virtq_push(vq, &n->e, 0);
		}
		virtio_queue_done(v, TXQ);
	}
	if (n->tap_fd < 0)
		loop_deliver(n);
}

/* Tap readable: one frame per receive buffer; none free means drop. */
static void tap_cb(void *opaque)
{
	struct net *n = opaque;
	struct virtq *vq = &n->v.q[RXQ].vq;
	uint8_t junk[HDR_LEN + 65536];
	bool pushed = false;
	ssize_t r;
	int i;

	pthread_mutex_lock(&n->v.lock);
	for (i = 0; i < 64; i++) {
		if (!virtio_queue_ready(&n->v, RXQ) || virtq_pop(vq, &n->e) <= 0) {
			if (read(n->tap_fd, junk, sizeof(junk)) < 0)
				break;
			continue;
		}
		r = readv(n->tap_fd, n->e.iov + n->e.n_out, n->e.n_in);
		virtq_push(vq, &n->e, r > 0 ? r : 0);
		pushed = true;
		if (r <= 0)
			break;
	}
	if (pushed)
		virtio_queue_done(&n->v, RXQ);
	if (vq->broken)
		virtio_needs_reset(&n->v);
	pthread_mutex_unlock(&n->v.lock);
}

static int tap_open(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd, hdr = HDR_LEN;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETVNETHDRSZ, &hdr)) {
		hdr = -errno;
		close(fd);
		return hdr;
	}
	return fd;
}

int virtio_net_create(struct vm *vm, const char *spec)
{
	static int count;
	struct net *n;
	int r;

	if (strcmp(spec, "loop") && strncmp(spec, "tap=", 4)) {
		mon_log("virtio-net: '%s': expected tap=NAME or loop", spec);
		return -EINVAL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->tap_fd = -1;
	if (spec[0] == 't') {
		n->tap_fd = tap_open(spec + 4);
		if (n->tap_fd < 0) {
			mon_log("virtio-net: tap %s: %s", spec + 4,
				strerror(-n->tap_fd));
			r = n->tap_fd;
			free(n);
			return r;
		}
	}
	n->ops = (struct virtio_ops){
		.name = "virtio-net",
		.id = VIRTIO_ID_NET,
		.features = 1ULL << NET_F_MAC,
		.cfg_size = 8,
		.nr_queues = 2,
		.queue_size = 256,
		.queue_kick = net_kick,
	};
	memcpy(n->v.cfg, (uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, 6);
	n->v.cfg[5] += count++;
	r = virtio_pci_create(vm, &n->v, &n->ops, n);
	if (!r && n->tap_fd >= 0)
		r = loop_add(vm, n->tap_fd, tap_cb, n);
	if (r)	/* n stays allocated: the loop may point into it */
		mon_log("virtio-net: cannot attach (%d)", r);
	return r;
}
