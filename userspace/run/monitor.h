/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmx-run: the per-VM monitor.  This header is the contract between the
 * core (VM, vCPU threads, exit dispatch, event loop, boot) and the devices
 * (UART, RTC, PCI, virtio).  Devices never touch vCPU threads directly:
 * they register I/O ranges, raise interrupts and add fds to the event loop.
 */
#ifndef VMXRUN_MONITOR_H
#define VMXRUN_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "platform.h"	/* PCI_MMIO_BASE, PCI_MMIO_SIZE */

struct vm;

/* ---- core (main.c, vm.c) ---- */

int vm_fd(struct vm *vm);		/* for KVM_IOEVENTFD, KVM_IRQFD, routing */
int vm_nr_vcpus(struct vm *vm);
uint64_t vm_mem_size(struct vm *vm);	/* guest RAM bytes (below + above 4G) */

/*
 * Host pointer to [gpa, gpa + len) of guest RAM, or NULL when any byte of
 * it is outside RAM or the sum overflows.  Devices must use this for every
 * guest address they get from the guest (rings are untrusted).
 */
void *gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len);

/* Port and MMIO dispatch for exits that reach user space. */
enum io_space { IO_PIO, IO_MMIO };
/* off is relative to base; data holds len bytes (1, 2, 4 or 8). */
typedef void (*io_fn)(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		      bool is_write);
int io_register(struct vm *vm, enum io_space sp, uint64_t base, uint64_t len,
		io_fn fn, void *opaque);
/*
 * Added by the core: ranges may overlap, an access goes to the smallest
 * range containing all of it.  io_unregister removes the range at base.
 */
int io_unregister(struct vm *vm, enum io_space sp, uint64_t base);

/* Interrupts: a GSI level (KVM_IRQ_LINE) and an MSI (KVM_SIGNAL_MSI). */
int vm_irq_line(struct vm *vm, uint32_t gsi, int level);
int vm_msi(struct vm *vm, uint64_t addr, uint32_t data);

/*
 * GSIs above the IOAPIC's 24 pins for MSI routes (KVM_SET_GSI_ROUTING
 * replaces the whole table: the core keeps it and adds to it).
 * Returns the GSI or -errno; vm_msi_route_update() changes one.
 */
int vm_msi_route_add(struct vm *vm, uint64_t addr, uint32_t data);
int vm_msi_route_update(struct vm *vm, int gsi, uint64_t addr, uint32_t data);

/* Event loop (one I/O thread, epoll): cb runs when fd is readable. */
int loop_add(struct vm *vm, int fd, void (*cb)(void *opaque), void *opaque);
int loop_del(struct vm *vm, int fd);

/* The monitor's own messages go to stderr, one line each, prefixed. */
void mon_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The host terminal, for the device that reads stdin: raw mode (restored
 * at exit), and the Ctrl-A escape (x quits; returns whether c is input).
 */
void term_raw(int fd);
bool term_escape(struct vm *vm, bool *pending, uint8_t c);

/*
 * Guest asked to power off (code >= 0 becomes the exit status) or reset
 * (why names the way, for the log): vmx-run then boots it again from
 * scratch, or exits with status 0 under --no-reboot.
 */
void vm_request_exit(struct vm *vm, int code);
void vm_request_reset(struct vm *vm, const char *why);

/* ---- PCI (pci.c) ---- */
/*
 * Host bridge at 00:00.0; configuration mechanism #1 at 0xcf8/0xcfc.
 * Memory BARs are placed in the 32-bit hole from PCI_MMIO_BASE up
 * (platform.h).
 */
int pci_init(struct vm *vm);
/*
 * Added by the core: the MP table and the DSDT's _PRT (dsdt.dsl: change
 * both) route INTx of PCI device dev (1-31), pin 0-3 (INTA-INTD), to this
 * IOAPIC pin (level, active low).
 */
#define PCI_INTX_GSI(dev, pin)	(16 + ((dev) + (pin)) % 8)

/* ---- devices, created from the command line ---- */
int uart_init(struct vm *vm, int in_fd, int out_fd);	/* COM1, IRQ 4 */
int rtc_init(struct vm *vm);				/* CMOS at 0x70 */
int virtio_blk_create(struct vm *vm, const char *path, bool readonly);
int virtio_net_create(struct vm *vm, const char *spec);	/* "tap=NAME" or "loop" */
int virtio_console_create(struct vm *vm, int in_fd);	/* hvc0; in_fd or -1 */
int virtio_rng_create(struct vm *vm);

#endif
