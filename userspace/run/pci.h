/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI bus 0 behind configuration mechanism #1 (pci.c).  A device is a
 * 256-byte type 0 header with a write mask; memory BARs are 32-bit and
 * placed by the monitor (the guest keeps them: there is no firmware).
 */
#ifndef VMXRUN_PCI_H
#define VMXRUN_PCI_H

#include "monitor.h"

#define PCI_NR_BARS		6
#define PCI_CMD_MEM		0x0002
#define PCI_CMD_MASTER		0x0004
#define PCI_CMD_INTX_OFF	0x0400

struct pci_bar {
	uint64_t addr;		/* current guest address (0: none) */
	uint32_t size;		/* power of two >= 4096; 0: unused */
	io_fn fn;		/* off relative to the BAR */
	void *opaque;
};

struct pci_dev {
	uint8_t cfg[256];
	uint8_t wmask[256];	/* bits the guest may change */
	struct pci_bar bar[PCI_NR_BARS];
	int slot;
	uint8_t cap_end;	/* next free capability offset */
	uint8_t cap_last;	/* offset of the last capability, 0: none */
	/* After a guest write of len bytes at off, with the PCI lock held. */
	void (*cfg_write)(struct pci_dev *d, uint32_t off, uint32_t len);
	void *opaque;
};

void pci_dev_init(struct pci_dev *d, uint16_t vendor, uint16_t device,
		  uint32_t class_rev, uint16_t sub_vendor, uint16_t sub_id);
/* Append a capability (id in byte 0); returns its offset or -ENOSPC. */
int pci_add_cap(struct pci_dev *d, const void *cap, uint8_t len);
void pci_set_bar(struct pci_dev *d, int idx, uint32_t size, io_fn fn,
		 void *opaque);
/* Put d on bus 0 at the next slot, place and register its BARs. */
int pci_register(struct vm *vm, struct pci_dev *d);
bool pci_mem_enabled(const struct pci_dev *d);
/* The IOAPIC input a slot's INTA# is wired to (for the MP table). */
int pci_intx_gsi(int slot);

static inline uint16_t pci_cfg16(const struct pci_dev *d, uint32_t off)
{
	return d->cfg[off] | d->cfg[off + 1] << 8;
}

#endif
