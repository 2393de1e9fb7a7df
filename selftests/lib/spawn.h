/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run a program (vmx-run) with stdin, stdout and stderr on pipes, under a
 * deadline, optionally typing one line on its stdin once a pattern shows
 * in its stdout (the guest's serial console); then look at what it wrote.
 */
#ifndef SELFTEST_SPAWN_H
#define SELFTEST_SPAWN_H

#include <stddef.h>

struct spawn_result {
	int status;		/* exit status, -1 if killed or signalled */
	char out[1 << 20];	/* stdout, NUL-terminated, cut at the size */
	char err[1 << 16];	/* stderr, likewise */
	size_t out_len, err_len;
	double ready_secs;	/* until the pattern appeared, or -1 */
	double secs;
};

/*
 * Run argv[0] (a path) for at most timeout seconds (then SIGKILL); when
 * `when` shows in its stdout, write `type` to its stdin (both may be NULL).
 */
void spawn_run(const char *const *argv, int timeout, const char *when,
	       const char *type, struct spawn_result *r);

/*
 * The rest of the first line of buf that starts with prefix, without the
 * line end (a static buffer, overwritten by the next call), or NULL.
 */
const char *spawn_line(const char *buf, const char *prefix);

/*
 * The lines of buf containing pat ("" for all; at most max of them, the
 * last ones) as TAP diagnostics "what: line".  A guest kernel's "[ secs]"
 * becomes "t=secs": the harness reads such lines as the L1 kernel's.
 */
void spawn_diag(const char *what, const char *buf, const char *pat, int max);

#endif
