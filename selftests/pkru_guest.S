/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protection keys: set CR4.PKE, report PKRU, WRPKRU the value in ESI,
 * exit, then forever report PKRU with RDPKRU (the host changes its own
 * between runs).  A #GP on the CR4 write ends in pk_gp.
 */
#include "snippet.h"
#include "pkru.h"

SNIPPET_BEGIN(pkru_guest)
	.code64
	mov	%cr4, %rax
	or	$(1 << 22), %rax	/* CR4.PKE */
	mov	%rax, %cr4
	xor	%ecx, %ecx
	rdpkru
	out	%al, $PORT_PK_RESET
	mov	%esi, %eax
	xor	%ecx, %ecx
	xor	%edx, %edx
	wrpkru
	out	%al, $PORT_PK_WRITTEN
1:	xor	%ecx, %ecx
	rdpkru
	out	%al, $PORT_PK_READ
	jmp	1b
SNIPPET_LABEL(pk_gp)
	out	%al, $PORT_PK_GP
	hlt
	jmp	pk_gp
SNIPPET_END(pkru_guest)
