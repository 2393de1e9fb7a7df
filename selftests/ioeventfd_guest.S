/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long-mode guest for ioeventfd_test: carries out the command the host
 * left at CMD_GPA (see ioeventfd.h), reports with an OUT to PORT_DONE and
 * starts over with the next command.
 */
#include "snippet.h"
#include "ioeventfd.h"

SNIPPET_BEGIN(ioefd_guest)
	.code64
next:
	movl	CMD_KIND, %ebx
	movl	CMD_LEN, %esi
	mov	CMD_ADDR, %rdx
	mov	%rdx, %rdi
	mov	CMD_VALUE, %rax
	movl	CMD_COUNT, %ecx
	test	%ecx, %ecx
	jz	done
kick:
	cmp	$CMD_PIO_WRITE, %ebx
	je	pio
	cmp	$CMD_MMIO_WRITE, %ebx
	je	mmio
	cmp	$CMD_PIO_READ, %ebx
	je	pio_in
	mov	(%rdi), %eax
	jmp	again
pio_in:
	in	(%dx), %al
	jmp	again
pio:
	cmp	$1, %esi
	jne	1f
	out	%al, (%dx)
	jmp	again
1:	cmp	$2, %esi
	jne	2f
	out	%ax, (%dx)
	jmp	again
2:	out	%eax, (%dx)
	jmp	again
mmio:
	cmp	$1, %esi
	jne	1f
	mov	%al, (%rdi)
	jmp	again
1:	cmp	$2, %esi
	jne	2f
	mov	%ax, (%rdi)
	jmp	again
2:	cmp	$4, %esi
	jne	3f
	mov	%eax, (%rdi)
	jmp	again
3:	mov	%rax, (%rdi)
again:
	dec	%ecx
	jnz	kick
done:
	out	%al, $PORT_DONE
	jmp	next
SNIPPET_END(ioefd_guest)
