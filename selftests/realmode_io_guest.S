/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real-mode port I/O, one step per exit; realmode_io_test.c walks through
 * the exits in this order. AX/EAX is primed before each IN so the test can
 * see which bits the IN replaced.
 */
#include "snippet.h"
#include "realmode_io.h"

SNIPPET_BEGIN(rmio)
	.code16
	mov	$0xab, %al
	out	%al, $PORT_OUTB
	mov	$0xbeef, %ax
	out	%ax, $PORT_OUTW
	mov	$0xdeadbeef, %eax
	out	%eax, $PORT_OUTL
	mov	$PORT_OUT_DX, %dx
	mov	$0x5a, %al
	out	%al, (%dx)

	mov	$0x11223344, %eax
	in	$PORT_INB, %al
	out	%eax, $PORT_INB_ECHO
	mov	$0x55667788, %eax
	in	$PORT_INW, %ax
	out	%eax, $PORT_INW_ECHO
	mov	$0x99aabbcc, %eax
	in	$PORT_INL, %eax
	out	%eax, $PORT_INL_ECHO
	mov	$PORT_IN_DX, %dx
	xor	%eax, %eax
	in	(%dx), %al
	out	%eax, $PORT_IN_DX_ECHO

	cld
	mov	$GUEST_DATA_GPA, %si
	mov	$STRING_BYTES, %cx
	mov	$PORT_OUTSB, %dx
	rep outsb
	out	%al, $PORT_OUTSB_DONE

	mov	$INSB_BUF_GPA, %di
	mov	$STRING_BYTES, %cx
	mov	$PORT_INSB, %dx
	rep insb
	out	%al, $PORT_INSB_DONE

	mov	$GUEST_DATA_GPA, %si
	mov	$STRING_WORDS, %cx
	mov	$PORT_OUTSW, %dx
	rep outsw
	out	%al, $PORT_OUTSW_DONE

	/* A single outsb without rep: one byte, count 1. */
	mov	$GUEST_DATA_GPA + 5, %si
	mov	$PORT_OUTSB_1, %dx
	outsb
	hlt
SNIPPET_END(rmio)

/*
 * rep insb / rep outsb of CX_FULL elements; the host lowers CX at the
 * first exit.  The guest reports CX (in AX) at each DONE port.
 */
SNIPPET_BEGIN(rmio_cx)
	.code16
	cld
	mov	$CX_BUF_GPA, %di
	mov	$CX_FULL, %cx
	mov	$PORT_INSB_CX, %dx
	rep insb
	mov	%cx, %ax
	out	%ax, $PORT_INSB_CX_DONE

	mov	$GUEST_DATA_GPA, %si
	mov	$CX_FULL, %cx
	mov	$PORT_OUTSB_CX, %dx
	rep outsb
	mov	%cx, %ax
	out	%ax, $PORT_OUTSB_CX_DONE
	hlt
SNIPPET_END(rmio_cx)
