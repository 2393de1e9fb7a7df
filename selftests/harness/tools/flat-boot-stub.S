/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protected-mode part of a "flat" bzImage (built by flat-kernel.sh): instead
 * of Debian's xz decompressor, which takes over a minute of emulated time
 * in Bochs, this stub is followed by the kernel already laid out as it must
 * sit in memory. The stock real-mode setup code (detect memory, read the
 * command line ...) runs as usual and jumps here in 32-bit protected mode,
 * %esi = boot_params, with a usable stack. The stub moves the image to its
 * link-time physical address, identity-maps the first 4 GB, enters long
 * mode and jumps to the kernel's startup_64 with %rsi = boot_params: the
 * x86 64-bit boot protocol, as the real decompressor does at its end.
 *
 * Defined by the builder (gcc -D...):
 *   FLAT_DEST   physical address of the image (vmlinux's lowest p_paddr)
 *   FLAT_SIZE   bytes to move (multiple of 4)
 *   FLAT_END    end of the image in memory: [FLAT_DEST + FLAT_SIZE,
 *               FLAT_END) is zeroed (bss, and the image's trailing zeros,
 *               which the builder leaves out of the file)
 *   FLAT_ENTRY  physical address of startup_64 (vmlinux's e_entry)
 *   FLAT_PGT    24 KB of free, 4 KB-aligned memory for the page tables,
 *               above both the image's source and its destination (+ bss)
 * Not relocatable: the kernel runs where it was linked, so KASLR is off.
 */
#define BOOT_CS		0x10	/* the selector numbers the kernel's setup uses */
#define BOOT_DS		0x18
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define CR0_PE_PG	0x80000001
#define CR4_PAE		(1 << 5)
#define PTE_P_W		0x3
#define PDE_2M		0x83	/* present, writable, 2 MB page */

	.text
	.code32
	.globl	flat_start
flat_start:
	cli
	cld
	/* Where did the loader put us? (normally 0x100000) */
	call	1f
1:	popl	%ebp
	subl	$(1b - flat_start), %ebp
	movl	%esi, %ebx			/* boot_params, for the kernel */

	/* memmove(FLAT_DEST, payload, FLAT_SIZE): the ranges may overlap. */
	leal	(payload - flat_start)(%ebp), %esi
	movl	$FLAT_DEST, %edi
	movl	$(FLAT_SIZE / 4), %ecx
	cmpl	%esi, %edi
	jbe	2f
	leal	-4(%esi,%ecx,4), %esi		/* destination above: copy down */
	leal	-4(%edi,%ecx,4), %edi
	std
2:	rep movsl
	cld
	movl	$(FLAT_DEST + FLAT_SIZE), %edi
	movl	$((FLAT_END - FLAT_DEST - FLAT_SIZE) / 4), %ecx
	xorl	%eax, %eax
	rep stosl

	/* PML4 -> one PDPT -> four PDs of 2 MB pages: identity map 0-4 GB. */
	movl	$FLAT_PGT, %edi
	xorl	%eax, %eax
	movl	$(6 * 4096 / 4), %ecx
	rep stosl
	movl	$FLAT_PGT, %edi
	leal	(0x1000 + PTE_P_W)(%edi), %eax
	movl	%eax, (%edi)			/* PML4[0] */
	leal	0x1000(%edi), %edx		/* PDPT */
	leal	(0x2000 + PTE_P_W)(%edi), %eax
	movl	$4, %ecx
3:	movl	%eax, (%edx)
	addl	$8, %edx
	addl	$0x1000, %eax
	decl	%ecx
	jnz	3b
	leal	0x2000(%edi), %edx		/* the 2048 PDEs, contiguous */
	movl	$PDE_2M, %eax
	movl	$2048, %ecx
4:	movl	%eax, (%edx)
	addl	$8, %edx
	addl	$0x200000, %eax
	decl	%ecx
	jnz	4b

	/* A GDT of our own: the setup code's may not survive the kernel. */
	leal	(gdt - flat_start)(%ebp), %eax
	movl	%eax, (gdt_desc + 2 - flat_start)(%ebp)
	lgdt	(gdt_desc - flat_start)(%ebp)

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$FLAT_PGT, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	leal	(flat_start64 - flat_start)(%ebp), %eax
	pushl	$BOOT_CS
	pushl	%eax
	movl	%cr0, %eax
	orl	$CR0_PE_PG, %eax
	movl	%eax, %cr0
	lret

	.code64
flat_start64:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%ebx, %esi			/* zero-extends: boot_params */
	movq	$FLAT_ENTRY, %rax
	jmp	*%rax

	.balign	8
gdt:
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff		/* BOOT_CS: 64-bit code */
	.quad	0x00cf92000000ffff		/* BOOT_DS: flat data */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	0				/* filled in: where gdt landed */

	.balign	16
payload:					/* the builder appends the image */
