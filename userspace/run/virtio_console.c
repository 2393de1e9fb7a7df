// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (virtio spec 5.3), single port, no MULTIPORT: queue 0
 * receives, queue 1 transmits to the monitor's stdout.  Input is not wired
 * up: stdin belongs to the UART console.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "virtio_pci.h"

struct cons {
	struct virtio_dev v;
	struct virtq_elem e;
};

static void cons_kick(struct virtio_dev *v, int q)
{
	struct cons *c = v->priv;
	struct virtq *vq = &v->q[q].vq;

	if (q != 1)
		return;		/* receive buffers wait for input that never comes */
	while (virtq_pop(vq, &c->e) > 0) {
		if (writev(STDOUT_FILENO, c->e.iov, c->e.n_out) < 0)
			mon_log("virtio-console: stdout: write failed");
		virtq_push(vq, &c->e, 0);
	}
	virtio_queue_done(v, q);
}

static const struct virtio_ops cons_ops = {
	.name = "virtio-console",
	.id = VIRTIO_ID_CONSOLE,
	.cfg_size = 12,
	.nr_queues = 2,
	.queue_size = 64,
	.queue_kick = cons_kick,
};

int virtio_console_create(struct vm *vm)
{
	struct cons *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	r = virtio_pci_create(vm, &c->v, &cons_ops, c);
	if (r)	/* c stays allocated: the loop may point into it */
		mon_log("virtio-console: cannot attach (%d)", r);
	return r;
}
