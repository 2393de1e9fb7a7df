/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by cpuid_msr_test.c and cpuid_msr_guest.S. */
#ifndef CPUID_MSR_H
#define CPUID_MSR_H

#define MSR_SYSENTER_CS		0x174
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_UNKNOWN		0xdeadbeef
#define MSR_AMD_SYSCFG		0xc0010010
#define MSR_AMD_NB_CFG		0xc001001f

#define PORT_CPUID0		0x70
#define PORT_CPUID_LOOP		0x71
#define PORT_SYSENTER_CS	0x72
#define PORT_STAR		0x73
#define PORT_LSTAR_READ		0x74
#define PORT_LSTAR_WRITTEN	0x75
#define PORT_OSXSAVE_BEFORE	0x76
#define PORT_OSXSAVE_AFTER	0x77
#define PORT_INERT		0x78
#define PORT_PMC_VALUE		0x79	/* RDPMC returned EDX:EAX */
#define PORT_PMC_GP		0x7a
#define PORT_PMC_UD		0x7b

#define CR4_OSXSAVE		(1 << 18)

#define CPUID_LOOPS		1000
#define SYSENTER_CS_VALUE	0x1234
#define STAR_LO			0x9abcdef0
#define STAR_HI			0x00230010
#define LSTAR_GUEST_LO		0x81234560
#define LSTAR_GUEST_HI		0xffffffff

#endif
