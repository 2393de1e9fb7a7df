// SPDX-License-Identifier: GPL-2.0
/*
 * Intel MP specification 1.4 table at 0xf0000 (the BIOS area, which the
 * e820 map reserves): every vCPU, buses PCI 0 and ISA 1, the IOAPIC at
 * 0xfec00000 with ISA IRQ n on pin n (as the in-kernel irqchip's default
 * routes have it), PCI INTx per PCI_INTX_GSI, LINT0 ExtINT and LINT1 NMI.
 */
#include <string.h>
#include "acpi.h"	/* acpi_checksum(): the same byte sum */
#include "boot.h"

#define LAPIC_ADDR	0xfee00000
#define IOAPIC_ADDR	0xfec00000
#define BUS_PCI		0
#define BUS_ISA		1
/* Level, active low: what PCI INTx lines are. */
#define PCI_IRQ_FLAGS	0x0f

struct mpf {
	char sig[4];
	uint32_t physptr;
	uint8_t length, rev, checksum, feature[5];
} __attribute__((packed));

struct mpc {
	char sig[4];
	uint16_t length;
	uint8_t rev, checksum;
	char oem[8], product[12];
	uint32_t oemptr;
	uint16_t oemsize, count;
	uint32_t lapic;
	uint16_t extlen;
	uint8_t extsum, reserved;
} __attribute__((packed));

struct mpc_cpu {
	uint8_t type, apicid, apicver, flags;
	uint32_t signature, features, reserved[2];
} __attribute__((packed));

struct mpc_bus {
	uint8_t type, id;
	char name[6];
} __attribute__((packed));

struct mpc_ioapic {
	uint8_t type, id, ver, flags;
	uint32_t addr;
} __attribute__((packed));

struct mpc_irq {
	uint8_t type, irqtype;
	uint16_t flags;
	uint8_t srcbus, srcirq, dstapic, dstpin;
} __attribute__((packed));

static uint8_t *put(uint8_t *p, const void *e, size_t len, struct mpc *h)
{
	memcpy(p, e, len);
	h->count++;
	return p + len;
}

int mptable_write(struct vm *vm)
{
	uint8_t *base = gpa_to_hva(vm, BIOS_ADDR, 0x10000);
	struct mpf *f = (struct mpf *)base;
	struct mpc *h = (struct mpc *)(base + sizeof(*f));
	uint8_t *p = (uint8_t *)(h + 1);
	uint8_t ioapic_id = vm->nr_vcpus;
	int i, dev, pin;

	if (!base)
		return -1;
	memset(base, 0, 0x10000);
	memcpy(h->sig, "PCMP", 4);
	h->rev = 4;
	memcpy(h->oem, "VMX     ", 8);
	memcpy(h->product, "VMX-RUN     ", 12);
	h->lapic = LAPIC_ADDR;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct mpc_cpu c = {
			.type = 0, .apicid = i, .apicver = 0x14,
			.flags = 1 | (i == 0 ? 2 : 0),	/* enabled, BSP */
			.signature = 0x600, .features = 0x201, /* FPU, APIC */
		};
		p = put(p, &c, sizeof(c), h);
	}
	p = put(p, &(struct mpc_bus){ 1, BUS_PCI, "PCI   " }, 8, h);
	p = put(p, &(struct mpc_bus){ 1, BUS_ISA, "ISA   " }, 8, h);
	p = put(p, &(struct mpc_ioapic){ 2, ioapic_id, 0x11, 1, IOAPIC_ADDR },
		8, h);
	for (i = 0; i < 16; i++) {
		if (i == 2)	/* the PIC cascade */
			continue;
		p = put(p, &(struct mpc_irq){ 3, 0, 0, BUS_ISA, i, ioapic_id, i },
			8, h);
	}
	for (dev = 1; dev < 32; dev++)
		for (pin = 0; pin < 4; pin++)
			p = put(p, &(struct mpc_irq){ 3, 0, PCI_IRQ_FLAGS, BUS_PCI,
				dev << 2 | pin, ioapic_id,
				PCI_INTX_GSI(dev, pin) }, 8, h);
	p = put(p, &(struct mpc_irq){ 4, 3, 0, BUS_ISA, 0, 0xff, 0 }, 8, h);
	p = put(p, &(struct mpc_irq){ 4, 1, 0, BUS_ISA, 0, 0xff, 1 }, 8, h);
	h->length = p - (uint8_t *)h;
	h->checksum = acpi_checksum(h, h->length);

	memcpy(f->sig, "_MP_", 4);
	f->physptr = BIOS_ADDR + sizeof(*f);
	f->length = 1;
	f->rev = 4;
	f->checksum = acpi_checksum(f, sizeof(*f));
	return 0;
}
