/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named assertions for tests run by tap_run(). A failed check prints what
 * was expected and what was found as a TAP diagnostic (with the source
 * line), marks the current case failed, and returns false so the caller
 * can stop early when later steps depend on it. Checks never abort.
 */
#ifndef SELFTEST_CHECK_H
#define SELFTEST_CHECK_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

bool check_eq(int line, const char *expr, uint64_t got, uint64_t want);
bool check_true(int line, const char *expr, bool cond);
bool check_errno(int line, const char *expr, long ret, int err, int want);
bool check_success(int line, const char *expr, long ret, int err);
bool check_exit(int line, struct vcpu *vcpu, uint32_t want);
bool check_run(int line, struct vcpu *vcpu, uint32_t want);
bool check_run_io(int line, struct vcpu *vcpu, uint8_t direction,
		  uint8_t size, uint16_t port, uint32_t count);
bool check_run_mmio(int line, struct vcpu *vcpu, uint64_t addr,
		    uint32_t len, bool is_write);

/* Print what the last exit was about (reason, its fields, RIP). */
void describe_exit(struct vcpu *vcpu);

/* @got == @want, compared as 64-bit unsigned numbers. */
#define CHECK_EQ(got, want)						\
	check_eq(__LINE__, #got, (uint64_t)(got), (uint64_t)(want))

#define CHECK(cond)	check_true(__LINE__, #cond, !!(cond))

/* @expr returns -1 with errno == @want. */
#define CHECK_ERRNO(expr, want)						\
	({								\
		long ret_;						\
		errno = 0;						\
		ret_ = (long)(expr);					\
		check_errno(__LINE__, #expr, ret_, errno, want);	\
	})

/* @expr returns >= 0. */
#define CHECK_SUCCESS(expr)						\
	({								\
		long ret_;						\
		errno = 0;						\
		ret_ = (long)(expr);					\
		check_success(__LINE__, #expr, ret_, errno);		\
	})

/* The last KVM_RUN ended with exit_reason @reason (no new run). */
#define CHECK_EXIT(vcpu, reason)	check_exit(__LINE__, vcpu, reason)

/* KVM_RUN returns 0 with exit_reason @reason. */
#define RUN_EXPECT(vcpu, reason)	check_run(__LINE__, vcpu, reason)

/* KVM_RUN returns 0 with KVM_EXIT_IO and these io fields. */
#define RUN_EXPECT_IO(vcpu, dir, size, port, count)			\
	check_run_io(__LINE__, vcpu, dir, size, port, count)

/* KVM_RUN returns 0 with KVM_EXIT_MMIO and these mmio fields. */
#define RUN_EXPECT_MMIO(vcpu, addr, len, is_write)			\
	check_run_mmio(__LINE__, vcpu, addr, len, is_write)

#endif
