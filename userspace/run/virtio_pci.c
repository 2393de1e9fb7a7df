// SPDX-License-Identifier: GPL-2.0
/*
 * virtio 1.x modern PCI transport (virtio spec 4.1).  One 32 KiB memory
 * BAR holds every structure the vendor capabilities point at, plus the
 * MSI-X table and PBA.  Kicks: a KVM ioeventfd per queue on its notify
 * address, or the MMIO exit writing the same eventfd when that fails.
 * Interrupts: an irqfd per MSI-X vector on an MSI route, else INTx + ISR.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "virtio_pci.h"

#define BAR_SIZE	0x8000
#define COMMON_OFF	0x0000
#define COMMON_LEN	0x38
#define ISR_OFF		0x1000
#define DEVICE_OFF	0x2000
#define NOTIFY_OFF	0x3000
#define NOTIFY_MUL	4
#define MSIX_OFF	0x4000
#define PBA_OFF		0x5000

#define CAP_COMMON	1
#define CAP_NOTIFY	2
#define CAP_ISR		3
#define CAP_DEVICE	4

#define S_ACK		0x01
#define S_DRIVER	0x02
#define S_DRIVER_OK	0x04
#define S_FEATURES_OK	0x08
#define S_NEEDS_RESET	0x40

#define NO_VECTOR	0xffff
#define ISR_QUEUE	1
#define ISR_CONFIG	2

#define MSIX_ENABLE	0x8000
#define MSIX_MASKALL	0x4000

static uint64_t offered(const struct virtio_dev *v)
{
	return v->ops->features | 1ULL << VIRTIO_F_VERSION_1 |
	       1ULL << VIRTIO_F_EVENT_IDX | 1ULL << VIRTIO_F_INDIRECT_DESC;
}

bool virtio_has(const struct virtio_dev *v, int bit)
{
	return v->driver_features >> bit & 1;
}

bool virtio_queue_ready(const struct virtio_dev *v, int q)
{
	return (v->status & (S_DRIVER_OK | S_NEEDS_RESET)) == S_DRIVER_OK &&
	       v->q[q].enabled && v->q[q].vq.ready && !v->q[q].vq.broken;
}

/* ---- interrupts ---- */

static uint16_t msix_ctrl(const struct virtio_dev *v)
{
	return __atomic_load_n(&v->pci.cfg[v->msix_cap + 2], __ATOMIC_RELAXED) |
	       __atomic_load_n(&v->pci.cfg[v->msix_cap + 3], __ATOMIC_RELAXED) << 8;
}

static void msix_fire(struct virtio_dev *v, int vec)
{
	struct msix_entry *e = &v->msix[vec];
	uint64_t addr = (uint64_t)e->addr_hi << 32 | e->addr_lo, one = 1;
	struct kvm_irqfd irqfd = { 0 };

	if (e->gsi < 0) {
		e->gsi = vm_msi_route_add(v->vm, addr, e->data);
		e->dirty = false;
		if (e->gsi >= 0) {
			irqfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
			irqfd.gsi = e->gsi;
			if ((int)irqfd.fd >= 0 &&
			    ioctl(vm_fd(v->vm), KVM_IRQFD, &irqfd) == 0) {
				e->irqfd = irqfd.fd;
			} else if ((int)irqfd.fd >= 0) {
				close(irqfd.fd);
			}
		}
	} else if (e->dirty) {
		vm_msi_route_update(v->vm, e->gsi, addr, e->data);
		e->dirty = false;
	}
	if (e->irqfd >= 0 && write(e->irqfd, &one, 8) == 8)
		return;
	vm_msi(v->vm, addr, e->data);
}

static void raise_irq(struct virtio_dev *v, uint16_t vec, uint8_t isr)
{
	uint16_t ctrl = msix_ctrl(v);

	if (ctrl & MSIX_ENABLE) {
		if (vec > v->ops->nr_queues)
			return;
		if ((ctrl & MSIX_MASKALL) || (v->msix[vec].ctrl & 1))
			v->pba |= 1ULL << vec;
		else
			msix_fire(v, vec);
		return;
	}
	v->isr |= isr;
	if (!(pci_cfg16(&v->pci, 0x04) & PCI_CMD_INTX_OFF))
		vm_irq_line(v->vm, pci_intx_gsi(v->pci.slot), 1);
}

/* Deliver what was held back by a mask that is now gone. */
static void msix_flush(struct virtio_dev *v)
{
	uint16_t ctrl = msix_ctrl(v);
	int i;

	if (!(ctrl & MSIX_ENABLE) || (ctrl & MSIX_MASKALL))
		return;
	for (i = 0; i <= v->ops->nr_queues; i++) {
		if ((v->pba >> i & 1) && !(v->msix[i].ctrl & 1)) {
			v->pba &= ~(1ULL << i);
			msix_fire(v, i);
		}
	}
}

void virtio_queue_done(struct virtio_dev *v, int q)
{
	if (virtq_need_irq(&v->q[q].vq))
		raise_irq(v, v->q[q].vector, ISR_QUEUE);
}

void virtio_needs_reset(struct virtio_dev *v)
{
	if (v->status & S_NEEDS_RESET)
		return;
	v->status |= S_NEEDS_RESET;
	v->cfg_gen++;
	if (v->status & S_DRIVER_OK)
		raise_irq(v, v->config_vector, ISR_CONFIG);
}

/* ---- queues ---- */

static void set_ioeventfd(struct virtio_dev *v, struct virtio_queue *q,
			  bool on)
{
	static bool warned;
	struct kvm_ioeventfd io = {
		.addr = v->pci.bar[0].addr + NOTIFY_OFF + NOTIFY_MUL * q->idx,
		.len = 2,
		.fd = q->kick_fd,
		.flags = on ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
	};

	if (q->ioeventfd == on)
		return;
	if (ioctl(vm_fd(v->vm), KVM_IOEVENTFD, &io) == 0) {
		q->ioeventfd = on;
	} else if (on && !warned) {
		warned = true;
		mon_log("%s: KVM_IOEVENTFD failed (%s); kicks take MMIO exits",
			v->ops->name, strerror(errno));
	}
}

void virtio_queue_poke(struct virtio_dev *v, int q)
{
	uint64_t one = 1;

	if (write(v->q[q].kick_fd, &one, 8) != 8)
		mon_log("%s: kick eventfd write failed", v->ops->name);
}

static void kick_cb(void *opaque)
{
	struct virtio_queue *q = opaque;
	struct virtio_dev *v = q->v;
	uint64_t n;

	if (read(q->kick_fd, &n, 8) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&v->lock);
	if (virtio_queue_ready(v, q->idx)) {
		v->ops->queue_kick(v, q->idx);
		if (q->vq.broken)
			virtio_needs_reset(v);
	}
	pthread_mutex_unlock(&v->lock);
}

static void queue_enable(struct virtio_dev *v, struct virtio_queue *q)
{
	if (q->enabled)
		return;
	q->vq.event_idx = virtio_has(v, VIRTIO_F_EVENT_IDX);
	q->vq.indirect = virtio_has(v, VIRTIO_F_INDIRECT_DESC);
	q->enabled = true;
	if (virtq_start(&q->vq)) {
		mon_log("%s: queue %d: bad ring addresses or size %u",
			v->ops->name, q->idx, q->vq.size);
		virtio_needs_reset(v);
		return;
	}
	set_ioeventfd(v, q, true);
}

static void device_reset(struct virtio_dev *v)
{
	int i;

	for (i = 0; i < v->ops->nr_queues; i++) {
		struct virtio_queue *q = &v->q[i];

		set_ioeventfd(v, q, false);
		virtq_reset(&q->vq);
		q->vq.size = v->ops->queue_size;
		q->enabled = false;
		q->vector = NO_VECTOR;
	}
	v->status = 0;
	v->driver_features = 0;
	v->dfsel = v->gfsel = 0;
	v->qsel = 0;
	v->config_vector = NO_VECTOR;
	if (v->isr)
		vm_irq_line(v->vm, pci_intx_gsi(v->pci.slot), 0);
	v->isr = 0;
	if (v->ops->reset)
		v->ops->reset(v);
}

static void set_status(struct virtio_dev *v, uint8_t val)
{
	uint8_t old = v->status;
	int i;

	if (!val) {
		device_reset(v);
		return;
	}
	if ((val & S_FEATURES_OK) && !(old & S_FEATURES_OK) &&
	    ((v->driver_features & ~offered(v)) ||
	     !virtio_has(v, VIRTIO_F_VERSION_1)))
		val &= ~S_FEATURES_OK;	/* the driver reads it back */
	v->status = val | (old & S_NEEDS_RESET);
	if ((val & S_DRIVER_OK) && !(old & S_DRIVER_OK))
		for (i = 0; i < v->ops->nr_queues; i++)
			if (v->q[i].enabled)
				virtio_queue_poke(v, i);
}

/* ---- common configuration (4.1.4.3) ---- */

static void put(uint8_t *p, uint64_t v, int n)
{
	memcpy(p, &v, n);	/* x86 hosts only: little endian */
}

static void common_image(struct virtio_dev *v, uint8_t *c)
{
	struct virtio_queue *q = v->qsel < v->ops->nr_queues ?
				 &v->q[v->qsel] : NULL;
	uint64_t f = v->dfsel < 2 ? offered(v) >> (32 * v->dfsel) : 0;
	uint16_t cv = v->config_vector > v->ops->nr_queues ? NO_VECTOR :
		      v->config_vector;

	memset(c, 0, 64);
	put(c + 0x00, v->dfsel, 4);
	put(c + 0x04, (uint32_t)f, 4);
	put(c + 0x08, v->gfsel, 4);
	if (v->gfsel < 2)
		put(c + 0x0c, v->driver_features >> (32 * v->gfsel), 4);
	put(c + 0x10, cv, 2);
	put(c + 0x12, v->ops->nr_queues, 2);
	c[0x14] = v->status;
	c[0x15] = v->cfg_gen;
	put(c + 0x16, v->qsel, 2);
	if (!q)
		return;
	put(c + 0x18, q->vq.size, 2);
	put(c + 0x1a, q->vector > v->ops->nr_queues ? NO_VECTOR : q->vector, 2);
	put(c + 0x1c, q->enabled, 2);
	put(c + 0x1e, q->idx, 2);
	put(c + 0x20, q->vq.desc_gpa, 8);
	put(c + 0x28, q->vq.avail_gpa, 8);
	put(c + 0x30, q->vq.used_gpa, 8);
}

static bool touches(uint64_t off, uint32_t len, uint32_t f, uint32_t flen)
{
	return off < f + flen && off + len > f;
}

static void common_write(struct virtio_dev *v, uint64_t off,
			 const uint8_t *data, uint32_t len)
{
	struct virtio_queue *q = v->qsel < v->ops->nr_queues ?
				 &v->q[v->qsel] : NULL;
	uint8_t c[64];
	uint32_t w;

	common_image(v, c);
	memcpy(c + off, data, len);
	if (touches(off, len, 0x00, 4))
		memcpy(&v->dfsel, c + 0x00, 4);
	if (touches(off, len, 0x08, 4))
		memcpy(&v->gfsel, c + 0x08, 4);
	if (touches(off, len, 0x0c, 4) && v->gfsel < 2 &&
	    !(v->status & S_FEATURES_OK)) {
		memcpy(&w, c + 0x0c, 4);
		v->driver_features &= ~(0xffffffffULL << (32 * v->gfsel));
		v->driver_features |= (uint64_t)w << (32 * v->gfsel);
	}
	if (touches(off, len, 0x10, 2))
		memcpy(&v->config_vector, c + 0x10, 2);
	if (touches(off, len, 0x14, 1))
		set_status(v, c[0x14]);
	if (touches(off, len, 0x16, 2))
		memcpy(&v->qsel, c + 0x16, 2);
	if (!q || q->enabled)
		goto vector;	/* a live queue's layout is fixed */
	if (touches(off, len, 0x18, 2)) {
		memcpy(&q->vq.size, c + 0x18, 2);
		if (q->vq.size > v->ops->queue_size)
			q->vq.size = v->ops->queue_size;
	}
	if (touches(off, len, 0x20, 8))
		memcpy(&q->vq.desc_gpa, c + 0x20, 8);
	if (touches(off, len, 0x28, 8))
		memcpy(&q->vq.avail_gpa, c + 0x28, 8);
	if (touches(off, len, 0x30, 8))
		memcpy(&q->vq.used_gpa, c + 0x30, 8);
	if (touches(off, len, 0x1c, 2) && c[0x1c] == 1)
		queue_enable(v, q);
vector:
	if (q && touches(off, len, 0x1a, 2))
		memcpy(&q->vector, c + 0x1a, 2);
}

/* ---- the BAR ---- */

static void msix_access(struct virtio_dev *v, uint64_t off, uint8_t *data,
			uint32_t len, bool is_write)
{
	int vec = off / 16, nvec = v->ops->nr_queues + 1;
	uint32_t w[4], was_masked;
	struct msix_entry *e;

	if (vec >= nvec || (off & 15) + len > 16) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	e = &v->msix[vec];
	w[0] = e->addr_lo;
	w[1] = e->addr_hi;
	w[2] = e->data;
	w[3] = e->ctrl;
	if (!is_write) {
		memcpy(data, (uint8_t *)w + (off & 15), len);
		return;
	}
	was_masked = e->ctrl & 1;
	memcpy((uint8_t *)w + (off & 15), data, len);
	if (w[0] != e->addr_lo || w[1] != e->addr_hi || w[2] != e->data)
		e->dirty = true;
	e->addr_lo = w[0];
	e->addr_hi = w[1];
	e->data = w[2];
	e->ctrl = w[3] & 1;
	if (was_masked && !(e->ctrl & 1))
		msix_flush(v);
}

static void bar_rw(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct virtio_dev *v = opaque;
	uint8_t c[64];
	uint32_t q;

	if (off >= NOTIFY_OFF && off < MSIX_OFF) {
		/* Reached only when the ioeventfd is not registered. */
		q = (off - NOTIFY_OFF) / NOTIFY_MUL;
		if (is_write && q < (uint32_t)v->ops->nr_queues)
			virtio_queue_poke(v, q);
		else if (!is_write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&v->lock);
	if (off + len <= COMMON_OFF + COMMON_LEN) {
		if (is_write) {
			common_write(v, off, data, len);
		} else {
			common_image(v, c);
			memcpy(data, c + off, len);
		}
	} else if (off >= ISR_OFF && off < ISR_OFF + 4) {
		if (!is_write) {
			memset(data, 0, len);
			data[0] = v->isr;	/* reading acknowledges */
			if (v->isr)
				vm_irq_line(v->vm, pci_intx_gsi(v->pci.slot), 0);
			v->isr = 0;
		}
	} else if (off >= DEVICE_OFF && off + len <= DEVICE_OFF + v->ops->cfg_size) {
		if (!is_write)
			memcpy(data, v->cfg + off - DEVICE_OFF, len);
	} else if (off >= MSIX_OFF && off < PBA_OFF) {
		msix_access(v, off - MSIX_OFF, data, len, is_write);
	} else if (off >= PBA_OFF && off + len <= PBA_OFF + 8) {
		if (!is_write)
			memcpy(data, (uint8_t *)&v->pba + off - PBA_OFF, len);
	} else if (!is_write) {
		memset(data, 0, len);
	}
	pthread_mutex_unlock(&v->lock);
}

/* MSI-X enable or function mask changed in config space. */
static void cfg_written(struct pci_dev *d, uint32_t off, uint32_t len)
{
	struct virtio_dev *v = d->opaque;

	if (!touches(off, len, v->msix_cap + 2, 2))
		return;
	pthread_mutex_lock(&v->lock);
	msix_flush(v);
	pthread_mutex_unlock(&v->lock);
}

static int add_vcap(struct pci_dev *d, uint8_t type, uint32_t off,
		    uint32_t len, bool notify)
{
	uint8_t cap[20] = { 0x09, 0, notify ? 20 : 16, type, 0 };

	put(cap + 8, off, 4);
	put(cap + 12, len, 4);
	put(cap + 16, NOTIFY_MUL, 4);
	return pci_add_cap(d, cap, cap[2]);
}

int virtio_pci_create(struct vm *vm, struct virtio_dev *v,
		      const struct virtio_ops *ops, void *priv)
{
	uint8_t msix[12] = { 0x11, 0 };
	int i, r;

	v->vm = vm;
	v->ops = ops;
	v->priv = priv;
	pthread_mutex_init(&v->lock, NULL);
	/* Class: network, mass storage, communication, other. */
	pci_dev_init(&v->pci, 0x1af4, 0x1040 + ops->id,
		     (ops->id == VIRTIO_ID_NET ? 0x02000000 :
		      ops->id == VIRTIO_ID_BLOCK ? 0x01800000 :
		      ops->id == VIRTIO_ID_CONSOLE ? 0x07800000 : 0xff000000) | 1,
		     0x1af4, ops->id);
	v->pci.cfg[0x3d] = 1;	/* INTA# */
	v->pci.opaque = v;
	v->pci.cfg_write = cfg_written;
	add_vcap(&v->pci, CAP_COMMON, COMMON_OFF, COMMON_LEN, false);
	add_vcap(&v->pci, CAP_ISR, ISR_OFF, 4, false);
	if (ops->cfg_size)
		add_vcap(&v->pci, CAP_DEVICE, DEVICE_OFF, ops->cfg_size, false);
	add_vcap(&v->pci, CAP_NOTIFY, NOTIFY_OFF,
		 NOTIFY_MUL * ops->nr_queues, true);
	put(msix + 2, ops->nr_queues, 2);	/* table size - 1 */
	put(msix + 4, MSIX_OFF, 4);		/* BIR 0 */
	put(msix + 8, PBA_OFF, 4);
	v->msix_cap = pci_add_cap(&v->pci, msix, sizeof(msix));
	v->pci.wmask[v->msix_cap + 3] = 0xc0;	/* enable, function mask */
	pci_set_bar(&v->pci, 0, BAR_SIZE, bar_rw, v);

	for (i = 0; i <= ops->nr_queues; i++) {
		v->msix[i].ctrl = 1;	/* masked at reset */
		v->msix[i].gsi = -1;
		v->msix[i].irqfd = -1;
	}
	for (i = 0; i < ops->nr_queues; i++) {
		struct virtio_queue *q = &v->q[i];

		q->v = v;
		q->idx = i;
		q->vq.vm = vm;
		snprintf(q->name, sizeof(q->name), "%s.%d", ops->name, i);
		q->vq.name = q->name;
		q->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (q->kick_fd < 0)
			return -errno;
		r = loop_add(vm, q->kick_fd, kick_cb, q);
		if (r < 0)
			return r;
	}
	device_reset(v);
	return pci_register(vm, &v->pci);
}
