/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmx-run's DSDT, compiled by iasl into build/dsdt.hex (userspace/Makefile)
 * and copied into guest memory by acpi.c.  It holds what the static tables
 * cannot say: the soft-off sleep type and the PCI root bridge with its
 * windows and INTx routing.  Processors are in the MADT, the PM registers
 * in the FADT.
 */
#include "platform.h"

DefinitionBlock ("", "DSDT", 2, "VMX", "VMXRUN", 1)
{
    /* PM1a_CNT.SLP_TYP for S5; PM1b does not exist. */
    Name (\_S5, Package (4) { ACPI_S5_TYP, Zero, Zero, Zero })

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A03"))
            Name (_UID, Zero)
            Name (_BBN, Zero)

            /* pci.c emulates bus 0 only; BARs are memory, in one window. */
            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed,
                    PosDecode, 0x0000, 0x0000, 0x0000, 0x0000, 0x0001)
                /* Configuration mechanism #1: the bridge's own ports. */
                IO (Decode16, 0x0cf8, 0x0cf8, 0x01, 0x08)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    EntireRange, 0x0000, 0x0000, 0x0cf7, 0x0000, 0x0cf8)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    EntireRange, 0x0000, 0x0d00, 0xffff, 0x0000, 0xf300)
                DWordMemory (ResourceProducer, PosDecode, MinFixed,
                    MaxFixed, NonCacheable, ReadWrite, 0x00000000,
                    PCI_MMIO_BASE, PCI_MMIO_LAST, 0x00000000,
                    PCI_MMIO_SIZE)
            })

            /*
             * INTx of device 1-31, pins INTA-INTD, straight to IOAPIC
             * inputs (level, active low), the same as PCI_INTX_GSI() in
             * monitor.h and the MP table: GSI 16 + (dev + pin) % 8.
             * Built in a loop rather than spelt out 124 times.
             */
            Method (_PRT, 0, NotSerialized)
            {
                Local0 = Package (124) {}
                Local1 = Zero
                While (Local1 < 124)
                {
                    Local2 = (Local1 >> 2) + 1      /* device */
                    Local3 = Local1 & 3             /* pin */
                    Local4 = Package (4) { Zero, Zero, Zero, Zero }
                    Local4 [0] = (Local2 << 16) | 0xffff
                    Local4 [1] = Local3
                    Local4 [3] = 16 + ((Local2 + Local3) % 8)
                    Local0 [Local1] = Local4
                    Local1++
                }
                Return (Local0)
            }
        }
    }
}
