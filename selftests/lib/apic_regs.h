/* SPDX-License-Identifier: GPL-2.0 */
/* xAPIC and IOAPIC registers the interrupt tests program (SDM, 82093AA). */
#ifndef SELFTEST_APIC_REGS_H
#define SELFTEST_APIC_REGS_H

#define APIC_MMIO		0xfee00000
#define APIC_SVR		0xf0
#define APIC_EOI		0xb0
#define APIC_SVR_ENABLE		0x1ff	/* enabled, spurious vector 0xff */
#define IOAPIC_MMIO		0xfec00000
#define IOAPIC_WIN		0x10
#define IOAPIC_REDIR(pin)	(0x10 + 2 * (pin))
#define RTE_LEVEL		0x8000
#define RTE_REMOTE_IRR		(1ull << 14)

#endif
