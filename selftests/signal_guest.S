/* SPDX-License-Identifier: GPL-2.0 */
/* Guests for signal_test.c. */
#include "snippet.h"

/* Spins forever: only a signal gets KVM_RUN back. */
SNIPPET_BEGIN(sig_spin)
	.code64
	xor	%eax, %eax
SNIPPET_LABEL(sig_spin_loop)
	inc	%rax
SNIPPET_LABEL(sig_spin_jmp)
	jmp	sig_spin_loop
SNIPPET_END(sig_spin)

SNIPPET_BEGIN(sig_outs)
	.code64
	out	%al, $0x60
SNIPPET_LABEL(sig_outs_second)
	out	%al, $0x61
	out	%al, $0x62
	hlt
SNIPPET_END(sig_outs)
