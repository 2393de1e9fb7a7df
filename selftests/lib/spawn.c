// SPDX-License-Identifier: GPL-2.0
/* Run a program on pipes under a deadline; see spawn.h. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"
#include "tap.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Append what fd has to buf; close it at EOF or when buf is full. */
static void drain(int *fd, char *buf, size_t *len, size_t cap)
{
	ssize_t n = read(*fd, buf + *len, cap - 1 - *len);

	if (n > 0) {
		*len += n;
		buf[*len] = 0;
	}
	if (n <= 0 || *len == cap - 1) {
		close(*fd);
		*fd = -1;
	}
}

static pid_t start(const char *const *argv, int in[2], int out[2], int err[2])
{
	pid_t pid;

	if (pipe(in) || pipe(out) || pipe(err))
		tap_bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		tap_bail("fork: %s", strerror(errno));
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[1]);
		close(out[0]);
		close(err[0]);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	return pid;
}

void spawn_run(const char *const *argv, int timeout, const char *when,
	       const char *type, struct spawn_result *r)
{
	int in[2], out[2], err[2], status;
	double t0 = now();
	bool typed = !when;
	pid_t pid;

	r->status = -1;
	r->out_len = r->err_len = 0;
	r->out[0] = r->err[0] = 0;
	r->ready_secs = -1;
	pid = start(argv, in, out, err);
	while (out[0] >= 0 || err[0] >= 0) {
		struct pollfd p[2] = { { out[0], POLLIN, 0 },
				       { err[0], POLLIN, 0 } };
		int left = (int)((t0 + timeout - now()) * 1000);

		if (left <= 0 || poll(p, 2, left) == 0) {
			tap_diag("%s still running after %d s: killed", argv[0],
				 timeout);
			kill(pid, SIGKILL);
			break;
		}
		if (p[0].revents)
			drain(&out[0], r->out, &r->out_len, sizeof(r->out));
		if (p[1].revents)
			drain(&err[0], r->err, &r->err_len, sizeof(r->err));
		if (!typed && strstr(r->out, when)) {
			r->ready_secs = now() - t0;
			typed = !type || write(in[1], type, strlen(type)) >= 0;
		}
	}
	if (out[0] >= 0)
		close(out[0]);
	if (err[0] >= 0)
		close(err[0]);
	close(in[1]);
	waitpid(pid, &status, 0);
	r->secs = now() - t0;
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
}

const char *spawn_line(const char *buf, const char *prefix)
{
	static char line[4096];
	size_t n = strlen(prefix), len;
	const char *p = buf;

	while (p && *p) {
		if (!strncmp(p, prefix, n)) {
			len = strcspn(p + n, "\r\n");
			if (len >= sizeof(line))
				len = sizeof(line) - 1;
			memcpy(line, p + n, len);
			line[len] = 0;
			return line;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

static bool has(const char *line, const char *end, const char *pat)
{
	return memmem(line, end - line, pat, strlen(pat)) != NULL;
}

void spawn_diag(const char *what, const char *buf, const char *pat, int max)
{
	const char *p = buf + strlen(buf), *nl;
	int lines = 0;

	/* Start max matching lines before the end. */
	while (p > buf && lines < max) {
		const char *b = p - 1;

		while (b > buf && b[-1] != '\n')
			b--;
		nl = strchrnul(b, '\n');
		lines += has(b, nl, pat);
		p = b;
	}
	for (; *p; p = *nl ? nl + 1 : nl) {
		int len;
		const char *ts;

		nl = strchrnul(p, '\n');
		len = nl - p - (nl > p && nl[-1] == '\r');
		if (!has(p, nl, pat))
			continue;
		ts = p[0] == '[' ? memchr(p, ']', len) : NULL;
		if (ts)
			tap_diag("%s: t=%.*s%.*s", what, (int)(ts - p - 1), p + 1,
				 (int)(len - (ts + 1 - p)), ts + 1);
		else
			tap_diag("%s: %.*s", what, len, p);
	}
}
