/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest-style TAP output: "TAP version 13", "1..N", "ok N desc",
 * "not ok N desc", "ok N desc # SKIP reason", diagnostics as "# ...".
 * Exit status: 0 all passed (or skipped), 4 whole binary skipped, 1 else.
 *
 * Tests are usually a table of cases run by tap_run(): each case runs
 * CHECK_*() assertions (check.h); a case passes if none of them failed.
 */
#ifndef SELFTEST_TAP_H
#define SELFTEST_TAP_H

#include <stdbool.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct tap_case {
	const char *name;
	void (*run)(void);
};

void tap_plan(unsigned int n);
void tap_ok(bool pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tap_skip(const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole binary cannot run here (e.g. no device): "1..0 # SKIP", exit 4. */
_Noreturn void tap_skip_all(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* Setup failed, nothing sensible can follow: "Bail out!", exit 1. */
_Noreturn void tap_bail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
_Noreturn void tap_finish(void);

/* Plan ARRAY_SIZE(cases), run them in order, finish. */
_Noreturn void tap_run(const struct tap_case *cases, unsigned int n);

/* Inside a case run by tap_run(): record a failed check / skip the case. */
void tap_case_fail(void);
void tap_case_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool tap_case_failed(void);

#endif
