// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include "tap.h"

/* Seconds a test binary may run before the watchdog ends it. */
#define WATCHDOG_DEFAULT_SECONDS	300

static unsigned int planned, reported, failed;

/* State of the case currently run by tap_run(). */
static unsigned int case_failures;
static char case_skip_reason[256];

static void watchdog_fired(int sig)
{
	static const char msg[] = "Bail out! watchdog: test took too long\n";

	(void)sig;
	/* Only async-signal-safe calls here. */
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(KSFT_FAIL);
	_exit(KSFT_FAIL);
}

/*
 * A guest that never exits would leave KVM_RUN blocked forever; SIGALRM
 * makes KVM_RUN return and ends the test as failed. $VMX_TEST_TIMEOUT
 * overrides the limit (0 disables it).
 */
static void start_watchdog(void)
{
	const char *env = getenv("VMX_TEST_TIMEOUT");
	unsigned int seconds = env ? strtoul(env, NULL, 0) :
				     WATCHDOG_DEFAULT_SECONDS;

	if (!seconds)
		return;
	signal(SIGALRM, watchdog_fired);
	alarm(seconds);
}

void tap_plan(unsigned int n)
{
	/* Line-buffer stdout: a killed test must not lose finished lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%u\n", n);
	planned = n;
	start_watchdog();
}

static void vreport(bool pass, const char *skip, const char *fmt, va_list ap)
{
	reported++;
	if (!pass)
		failed++;
	printf("%sok %u ", pass ? "" : "not ", reported);
	vprintf(fmt, ap);
	if (skip)
		printf(" # SKIP %s", skip);
	putchar('\n');
	fflush(stdout);
}

void tap_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(pass, NULL, fmt, ap);
	va_end(ap);
}

void tap_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(true, reason, fmt, ap);
	va_end(ap);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void tap_skip_all(const char *fmt, ...)
{
	va_list ap;

	printf("TAP version 13\n1..0 # SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(KSFT_SKIP);
}

void tap_bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(KSFT_FAIL);
}

void tap_finish(void)
{
	if (reported != planned) {
		tap_diag("planned %u tests but ran %u", planned, reported);
		exit(KSFT_FAIL);
	}
	tap_diag("%u passed, %u failed", reported - failed, failed);
	exit(failed ? KSFT_FAIL : KSFT_PASS);
}

void tap_case_fail(void)
{
	case_failures++;
}

bool tap_case_failed(void)
{
	return case_failures != 0;
}

void tap_case_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(case_skip_reason, sizeof(case_skip_reason), fmt, ap);
	va_end(ap);
}

void tap_run(const struct tap_case *cases, unsigned int n)
{
	unsigned int i;

	tap_plan(n);
	for (i = 0; i < n; i++) {
		case_failures = 0;
		case_skip_reason[0] = '\0';
		cases[i].run();
		if (case_skip_reason[0] && !case_failures)
			tap_skip(case_skip_reason, "%s", cases[i].name);
		else
			tap_ok(!case_failures, "%s", cases[i].name);
	}
	tap_finish();
}
