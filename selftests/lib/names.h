/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SELFTEST_NAMES_H
#define SELFTEST_NAMES_H

#include <stdint.h>

/* "IO", "HLT", ... for KVM_EXIT_*; "?" for numbers we do not know. */
const char *exit_reason_name(uint32_t reason);
/* "EINVAL", ... (never NULL). */
const char *errno_name(int err);

#endif
