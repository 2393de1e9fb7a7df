/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest for events_test (real mode, CS = GUEST_CODE_GPA >> 4, DS = 0):
 * installs IVT entries for vector 0x40 and NMI, reports "ready" on port
 * 0x10 with IF = 0, then STI and spins.  The 0x40 handler reports on port
 * 0x12, the NMI handler on port 0x13 with SI = its count, DI = SP.
 */
#include "snippet.h"

#define OFF(l)	((l) - ev_real_start)
#define OFF2(l)	((l) - ev_halt_start)

SNIPPET_BEGIN(ev_real)
	.code16
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	xor	%si, %si
	movw	$OFF(ev_irq), 0x40 * 4
	mov	%cs, 0x40 * 4 + 2
	movw	$OFF(ev_nmi), 2 * 4
	mov	%cs, 2 * 4 + 2
	out	%al, $0x10
SNIPPET_LABEL(ev_ready)
	sti
	nop
SNIPPET_LABEL(ev_spin)
1:	pause
	jmp	1b

ev_irq:
	mov	$0x40, %al
	out	%al, $0x12
	iret

ev_nmi:
	inc	%si
	mov	%sp, %di
	out	%al, $0x13
	iret
SNIPPET_END(ev_real)

/* HLT with IF = 0: only an NMI (or INIT) can wake it. */
SNIPPET_BEGIN(ev_halt)
	.code16
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	xor	%si, %si
	movw	$OFF2(ev_halt_nmi), 2 * 4
	mov	%cs, 2 * 4 + 2
	out	%al, $0x10
	hlt
	out	%al, $0x14	/* back from the NMI handler's IRET */
1:	hlt
	jmp	1b
ev_halt_nmi:
	inc	%si
	mov	%sp, %di
	out	%al, $0x13
	iret
SNIPPET_END(ev_halt)
