// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (virtio spec 5.3), single port, no MULTIPORT: queue 0
 * carries input to the guest, queue 1 its output to stdout.  With
 * --console, hvc0 owns stdin (the UART then only prints).  Input waits in
 * a small buffer until the guest posts receive buffers; while that buffer
 * is full stdin is not polled, so a guest that never reads cannot make
 * the I/O thread spin.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtio_pci.h"

#define RXQ		0
#define TXQ		1
#define PENDING_MAX	4096

struct cons {
	struct virtio_dev v;
	struct vm *vm;
	int in_fd;
	bool tty, escape, polling, eof;
	pthread_mutex_t lock;		/* pending, polling (after v.lock) */
	uint8_t pending[PENDING_MAX];
	size_t n_pending;
	struct virtq_elem rx, tx;
};

static void cons_input(void *opaque);

/*
 * Move pending input into the guest's receive buffers.  Runs from the
 * transport's kick path, under v.lock like every queue operation.
 */
static void deliver(struct cons *c)
{
	struct virtq *vq = &c->v.q[RXQ].vq;
	bool pushed = false;
	size_t n;

	pthread_mutex_lock(&c->lock);
	while (c->n_pending && virtio_queue_ready(&c->v, RXQ) &&
	       virtq_pop(vq, &c->rx) > 0) {
		n = iov_from_buf(c->rx.iov + c->rx.n_out, c->rx.n_in, 0,
				 c->pending, c->n_pending);
		memmove(c->pending, c->pending + n, c->n_pending - n);
		c->n_pending -= n;
		virtq_push(vq, &c->rx, n);
		pushed = true;
	}
	if (pushed)
		virtio_queue_done(&c->v, RXQ);
	/* Room again: listen to stdin. */
	if (!c->polling && !c->eof && c->n_pending < PENDING_MAX &&
	    !loop_add(c->vm, c->in_fd, cons_input, c))
		c->polling = true;
	pthread_mutex_unlock(&c->lock);
}

static void cons_input(void *opaque)
{
	struct cons *c = opaque;
	uint8_t buf[256];
	ssize_t n, i;

	pthread_mutex_lock(&c->lock);
	n = read(c->in_fd, buf, sizeof(buf) < PENDING_MAX - c->n_pending ?
		 sizeof(buf) : PENDING_MAX - c->n_pending);
	if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN)))
		c->eof = true;
	for (i = 0; i < n; i++)
		if (!c->tty || term_escape(c->vm, &c->escape, buf[i]))
			c->pending[c->n_pending++] = buf[i];
	if (c->eof || c->n_pending == PENDING_MAX) {
		loop_del(c->vm, c->in_fd);
		c->polling = false;
	}
	pthread_mutex_unlock(&c->lock);
	/* The queue is the transport's: deliver from its kick path. */
	virtio_queue_poke(&c->v, RXQ);
}

static void cons_kick(struct virtio_dev *v, int q)
{
	struct cons *c = v->priv;
	struct virtq *vq = &v->q[q].vq;

	if (q == RXQ) {			/* new receive buffers, or input */
		deliver(c);
		return;
	}
	while (virtq_pop(vq, &c->tx) > 0) {
		if (writev(STDOUT_FILENO, c->tx.iov, c->tx.n_out) < 0)
			mon_log("virtio-console: stdout: write failed");
		virtq_push(vq, &c->tx, 0);
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

int virtio_console_create(struct vm *vm, int in_fd)
{
	struct cons *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->vm = vm;
	c->in_fd = in_fd;
	c->eof = in_fd < 0;
	c->tty = in_fd >= 0 && isatty(in_fd);
	pthread_mutex_init(&c->lock, NULL);
	if (c->tty)
		term_raw(in_fd);
	r = virtio_pci_create(vm, &c->v, &cons_ops, c);
	if (r) {	/* c stays allocated: the loop may point into it */
		mon_log("virtio-console: cannot attach (%d)", r);
		return r;
	}
	if (!c->eof) {
		r = loop_add(vm, in_fd, cons_input, c);
		if (r == -EPERM) {	/* a regular file or /dev/null */
			mon_log("console input: fd %d cannot be polled, ignored",
				in_fd);
			c->eof = true;
			return 0;
		}
		c->polling = !r;
	}
	return r;
}
