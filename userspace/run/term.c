// SPDX-License-Identifier: GPL-2.0
/* The host terminal: raw while the guest owns it, restored at any exit. */
#include <signal.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include "core.h"

static struct termios saved;
static int saved_fd = -1;
bool term_is_raw;

void term_restore(void)
{
	if (saved_fd >= 0)
		tcsetattr(saved_fd, TCSANOW, &saved);
	term_is_raw = false;
}

static void on_signal(int sig)
{
	term_restore();
	_exit(128 + sig);
}

void term_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &saved))
		return;
	saved_fd = fd;
	atexit(term_restore);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	t = saved;
	cfmakeraw(&t);
	if (!tcsetattr(fd, TCSANOW, &t))
		term_is_raw = true;
}

/*
 * The Ctrl-A escape on a terminal, for whichever device reads stdin:
 * Ctrl-A x ends the VM, Ctrl-A Ctrl-A sends one Ctrl-A.  Returns whether
 * c goes on to the guest.
 */
bool term_escape(struct vm *vm, bool *pending, uint8_t c)
{
	if (*pending) {
		*pending = false;
		if (c == 'x')
			vm_request_exit(vm, 0);
		return c == 1;
	}
	if (c == 1) {
		*pending = true;
		return false;
	}
	return true;
}
