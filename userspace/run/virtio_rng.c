// SPDX-License-Identifier: GPL-2.0
/* virtio-rng (virtio spec 5.4): the host's getrandom() into every buffer. */
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#include "virtio_pci.h"

struct rng {
	struct virtio_dev v;
	struct virtq_elem e;
};

static void rng_kick(struct virtio_dev *v, int q)
{
	struct rng *r = v->priv;
	struct virtq *vq = &v->q[q].vq;
	unsigned int i;
	uint32_t done;
	ssize_t n;

	while (virtq_pop(vq, &r->e) > 0) {
		done = 0;
		for (i = r->e.n_out; i < r->e.n_out + r->e.n_in; i++) {
			n = getrandom(r->e.iov[i].iov_base, r->e.iov[i].iov_len,
				      GRND_NONBLOCK);
			if (n <= 0)
				break;
			done += n;
			if ((size_t)n < r->e.iov[i].iov_len)
				break;
		}
		virtq_push(vq, &r->e, done);
	}
	virtio_queue_done(v, q);
}

static const struct virtio_ops rng_ops = {
	.name = "virtio-rng",
	.id = VIRTIO_ID_RNG,
	.nr_queues = 1,
	.queue_size = 64,
	.queue_kick = rng_kick,
};

int virtio_rng_create(struct vm *vm)
{
	struct rng *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return -ENOMEM;
	ret = virtio_pci_create(vm, &r->v, &rng_ops, r);
	if (ret)	/* r stays allocated: the loop may point into it */
		mon_log("virtio-rng: cannot attach (%d)", ret);
	return ret;
}
