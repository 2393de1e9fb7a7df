/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPUID, RDMSR and WRMSR are handled inside the hypervisor: the guest does
 * them and reports through a port; no exit may come in between.
 */
#include "snippet.h"
#include "cpuid_msr.h"

SNIPPET_BEGIN(cm_main)
	.code64
	xor	%eax, %eax
	xor	%ecx, %ecx
	cpuid
	out	%al, $PORT_CPUID0

	mov	$CPUID_LOOPS, %esi
1:	xor	%eax, %eax
	cpuid
	dec	%esi
	jnz	1b
	out	%al, $PORT_CPUID_LOOP

	mov	$MSR_SYSENTER_CS, %ecx
	mov	$SYSENTER_CS_VALUE, %eax
	xor	%edx, %edx
	wrmsr
	xor	%eax, %eax
	mov	$-1, %edx
	rdmsr
	out	%al, $PORT_SYSENTER_CS

	mov	$MSR_STAR, %ecx
	mov	$STAR_LO, %eax
	mov	$STAR_HI, %edx
	wrmsr
	xor	%eax, %eax
	xor	%edx, %edx
	rdmsr
	out	%al, $PORT_STAR

	/* The host put a value in LSTAR before the first run. */
	mov	$MSR_LSTAR, %ecx
	rdmsr
	out	%al, $PORT_LSTAR_READ

	mov	$MSR_LSTAR, %ecx
	mov	$LSTAR_GUEST_LO, %eax
	mov	$LSTAR_GUEST_HI, %edx
	wrmsr
	out	%al, $PORT_LSTAR_WRITTEN
	hlt
SNIPPET_END(cm_main)

/* An MSR nobody implements: #GP, and with no IDT a triple fault. */
SNIPPET_BEGIN(cm_rdmsr_unknown)
	.code64
	mov	$MSR_UNKNOWN, %ecx
	rdmsr
	hlt
SNIPPET_END(cm_rdmsr_unknown)

SNIPPET_BEGIN(cm_wrmsr_unknown)
	.code64
	mov	$MSR_UNKNOWN, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	hlt
SNIPPET_END(cm_wrmsr_unknown)

/*
 * CPUID.1:ECX.OSXSAVE before and after the guest sets CR4.OSXSAVE; the
 * host reads ECX at each port exit.
 */
SNIPPET_BEGIN(cm_osxsave)
	.code64
	mov	$1, %eax
	xor	%ecx, %ecx
	cpuid
	out	%al, $PORT_OSXSAVE_BEFORE
	mov	%cr4, %rax
	or	$CR4_OSXSAVE, %rax
	mov	%rax, %cr4
	mov	$1, %eax
	xor	%ecx, %ecx
	cpuid
	out	%al, $PORT_OSXSAVE_AFTER
	hlt
SNIPPET_END(cm_osxsave)

/*
 * AMD configuration MSRs Linux probes (NB_CFG write, SYSCFG read): no
 * #GP, reads give 0 even after a write.  ESI and EDI get the reads.
 */
SNIPPET_BEGIN(cm_inert)
	.code64
	mov	$MSR_AMD_NB_CFG, %ecx
	xor	%eax, %eax
	mov	$0x4000, %edx
	wrmsr
	mov	$-1, %eax
	mov	$-1, %edx
	rdmsr
	mov	%eax, %esi
	or	%edx, %esi
	mov	$MSR_AMD_SYSCFG, %ecx
	mov	$-1, %eax
	mov	$-1, %edx
	rdmsr
	mov	%eax, %edi
	or	%edx, %edi
	out	%al, $PORT_INERT
	hlt
SNIPPET_END(cm_inert)

/*
 * RDPMC of counter 0 at CPL 0: which of a value, #GP or #UD the guest
 * got, each through its own port.
 */
SNIPPET_BEGIN(cm_rdpmc)
	.code64
	xor	%ecx, %ecx
	rdpmc
	out	%al, $PORT_PMC_VALUE
	hlt
SNIPPET_LABEL(cm_rdpmc_gp)
	out	%al, $PORT_PMC_GP
	hlt
SNIPPET_LABEL(cm_rdpmc_ud)
	out	%al, $PORT_PMC_UD
	hlt
SNIPPET_END(cm_rdpmc)
