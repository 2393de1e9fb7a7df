/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio 1.x modern PCI transport (virtio_pci.c) shared by the devices.
 * Queue work runs on the monitor's I/O thread with the device lock held;
 * guest accesses to the BAR and config space take the same lock.
 */
#ifndef VMXRUN_VIRTIO_PCI_H
#define VMXRUN_VIRTIO_PCI_H

#include <pthread.h>

#include "pci.h"
#include "virtq.h"

#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_F_EVENT_IDX	29
#define VIRTIO_F_VERSION_1	32

#define VIRTIO_ID_NET		1
#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_ID_RNG		4

#define VIRTIO_MAX_QUEUES	4
#define VIRTIO_CFG_MAX		64

struct virtio_dev;

struct virtio_ops {
	const char *name;
	uint16_t id;			/* virtio device id */
	uint64_t features;		/* device bits; the transport adds its own */
	uint32_t cfg_size;		/* device config bytes in v->cfg */
	int nr_queues;
	uint16_t queue_size;
	/* Queue q was kicked (or is worth a look); pop, push, virtio_queue_done. */
	void (*queue_kick)(struct virtio_dev *v, int q);
	void (*reset)(struct virtio_dev *v);	/* optional */
};

struct virtio_queue {
	struct virtq vq;
	struct virtio_dev *v;
	int idx;
	uint16_t vector;
	bool enabled;
	bool ioeventfd;			/* kicks bypass the MMIO exit */
	int kick_fd;			/* eventfd served by the I/O thread */
	char name[32];
};

struct msix_entry {
	uint32_t addr_lo, addr_hi, data, ctrl;
	int gsi;			/* MSI route, -1: none yet */
	int irqfd;			/* eventfd bound to gsi, -1: use vm_msi */
	bool dirty;			/* message changed since the route was set */
};

struct virtio_dev {
	struct vm *vm;
	const struct virtio_ops *ops;
	void *priv;
	pthread_mutex_t lock;
	struct pci_dev pci;
	uint8_t cfg[VIRTIO_CFG_MAX];	/* device-specific configuration */
	uint64_t driver_features;
	uint32_t dfsel, gfsel;
	uint16_t qsel, config_vector;
	uint8_t status, cfg_gen, isr;
	int msix_cap;
	struct virtio_queue q[VIRTIO_MAX_QUEUES];
	struct msix_entry msix[VIRTIO_MAX_QUEUES + 1];
	uint64_t pba;
};

int virtio_pci_create(struct vm *vm, struct virtio_dev *v,
		      const struct virtio_ops *ops, void *priv);
bool virtio_has(const struct virtio_dev *v, int bit);
bool virtio_queue_ready(const struct virtio_dev *v, int q);
/* After pushing used entries: interrupt the driver if it wants one. */
void virtio_queue_done(struct virtio_dev *v, int q);
/* Device error: NEEDS_RESET and a config-change interrupt. */
void virtio_needs_reset(struct virtio_dev *v);
/* Ask the I/O thread to look at queue q (from any thread). */
void virtio_queue_poke(struct virtio_dev *v, int q);

#endif
