/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code snippets: assembly between SNIPPET_BEGIN(name) and
 * SNIPPET_END(name) in a .S file is stored in the test binary as data and
 * copied into guest memory at GUEST_CODE_GPA by guest_create().
 *
 * Snippets must be position independent (relative jumps, RIP-relative or
 * constant addresses): they run at GUEST_CODE_GPA, not where the host
 * linker put them. SNIPPET_LABEL() exports an address inside a snippet so
 * that a test can compute the guest RIP it expects.
 */
#ifndef SELFTEST_SNIPPET_H
#define SELFTEST_SNIPPET_H

#include "layout.h"

#ifdef __ASSEMBLER__

/* Snippets are data: the test binaries need no executable stack. */
	.section .note.GNU-stack, "", @progbits
	.previous

#define SNIPPET_BEGIN(name)				\
	.pushsection .rodata.guest, "a";		\
	.globl name##_start, name##_end;		\
	name##_start:

/* Back to .code64 so that a following snippet starts from a known mode. */
#define SNIPPET_END(name)				\
	name##_end:					\
	.code64;					\
	.popsection

#define SNIPPET_LABEL(label)				\
	.globl label;					\
	label:

#else

#include <stddef.h>
#include <stdint.h>

#define SNIPPET(name)							\
	extern const unsigned char name##_start[], name##_end[]

#define SNIPPET_LABEL(label) extern const unsigned char label[]

/* Arguments for guest_create()/guest_load(): pointer and length. */
#define SNIPPET_CODE(name)						\
	name##_start, (size_t)(name##_end - name##_start)

/* Guest address of a SNIPPET_LABEL inside snippet @name. */
#define SNIPPET_GPA(name, label)					\
	((uint64_t)GUEST_CODE_GPA + (uint64_t)((label) - name##_start))

/* Offset from CS base (the real-mode IP) of a label in snippet @name. */
#define SNIPPET_OFFSET(name, label)					\
	((uint64_t)((label) - name##_start))

#endif /* __ASSEMBLER__ */
#endif
