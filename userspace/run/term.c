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
