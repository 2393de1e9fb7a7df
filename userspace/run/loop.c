// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop: one thread, epoll, level-triggered.  Handlers live in a
 * table indexed by fd, so loop_del (even from inside a callback) never
 * leaves the loop holding a freed handler.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "core.h"

#define MAX_FD	4096

struct handler {
	void (*cb)(void *opaque);
	void *opaque;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct handler handlers[MAX_FD];
static int epfd = -1;

int loop_add(struct vm *vm, int fd, void (*cb)(void *opaque), void *opaque)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	int r = 0;

	(void)vm;
	if (fd < 0 || fd >= MAX_FD || !cb)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	if (handlers[fd].cb)
		r = -EEXIST;
	else if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		r = -errno;
	else
		handlers[fd] = (struct handler){ cb, opaque };
	pthread_mutex_unlock(&lock);
	return r;
}

int loop_del(struct vm *vm, int fd)
{
	int r = 0;

	(void)vm;
	if (fd < 0 || fd >= MAX_FD)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	if (!handlers[fd].cb)
		r = -ENOENT;
	else if (epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
		r = -errno;
	handlers[fd].cb = NULL;
	pthread_mutex_unlock(&lock);
	return r;
}

static void *loop_thread(void *arg)
{
	struct vm *vm = arg;
	struct epoll_event ev[16];
	struct handler h;
	int i, n;

	for (;;) {
		n = epoll_wait(epfd, ev, 16, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vm_fail(vm, "epoll_wait failed");
			return NULL;
		}
		for (i = 0; i < n; i++) {
			pthread_mutex_lock(&lock);
			h = handlers[ev[i].data.fd];
			pthread_mutex_unlock(&lock);
			if (h.cb)
				h.cb(h.opaque);
		}
	}
}

int loop_start(struct vm *vm)
{
	pthread_t t;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -errno;
	return -pthread_create(&t, NULL, loop_thread, vm);
}
