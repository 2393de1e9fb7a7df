/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmx-run internals shared by the core files (not by devices: they see
 * only monitor.h).
 */
#ifndef VMXRUN_CORE_H
#define VMXRUN_CORE_H

#include <pthread.h>
#include <linux/kvm.h>
#include "monitor.h"

/* Guest RAM: [0, low) and, when larger than the hole allows, [4G, 4G+high). */
#define LOW_RAM_MAX	0xc0000000ULL
#define HIGH_RAM_BASE	0x100000000ULL

/* Exit status of vmx-run itself (debug-exit codes are always odd). */
#define EXIT_USAGE	2
#define EXIT_FAILURE_VM	4

#define MAX_VCPUS	64
#define MAX_ROUTES	256

struct vcpu {
	struct vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
};

struct vm {
	int dev_fd;
	int fd;
	const char *dev;
	int nr_vcpus;
	uint64_t low_size, high_size;
	uint8_t *low_mem, *high_mem;
	struct vcpu vcpus[MAX_VCPUS];
	size_t run_size;

	pthread_mutex_t route_lock;
	struct kvm_irq_routing_entry routes[MAX_ROUTES];
	int nr_routes;
	int next_msi_gsi;

	pthread_mutex_t exit_lock;
	pthread_cond_t exit_cond;
	bool exiting;
	bool reset;		/* the exit is a guest reset */
	int exit_code;
};

/* vm.c */
int vm_create(struct vm *vm, const char *dev, uint64_t mem, int cpus);
int vm_check_cap(struct vm *vm, long cap);
/* Any thread: ask the main thread to end the VM with this status. */
void vm_fail(struct vm *vm, const char *why);
int vm_wait_exit(struct vm *vm);

/* vcpu.c */
int vcpus_create(struct vm *vm);
int vcpus_start(struct vm *vm);

/* io.c */
void io_dispatch(struct vm *vm, enum io_space sp, uint64_t addr,
		 uint8_t *data, uint32_t len, bool is_write);

/* loop.c */
int loop_start(struct vm *vm);

/* boot.c: what to boot, and the first vCPU's registers at its entry */
struct boot_args {
	const char *kernel;
	const char *cmdline;	/* NULL: the format's default */
	const char *initrd;	/* Linux initrd or multiboot modules, or NULL */
};
struct boot_entry {
	bool long_mode;		/* else 32-bit protected mode, paging off */
	uint64_t rip, rsi, rax, rbx;
};
/* Errors (after a message naming the file) are the user's: bad input. */
int boot_load(struct vm *vm, const struct boot_args *a,
	      struct boot_entry *entry);
int boot_set_regs(struct vcpu *vcpu, const struct boot_entry *entry);

/*
 * multiboot.c: -i for a multiboot kernel is a module list, as QEMU's
 * -initrd: "FILE [ARGS][,FILE [ARGS]]...", ",," for a comma in it.  Each
 * module's string (what the guest sees) is its whole item.
 */
#define MAX_MODULES	16
struct module {
	char *file;		/* the item up to its first space */
	char *string;		/* the whole item */
};
/* The number of modules, or -1 for an empty item or too many. */
int modules_parse(const char *list, struct module *m);
void modules_free(struct module *m, int n);

/* mptable.c */
int mptable_write(struct vm *vm);

/* platform.c: debug exit, reset ports */
int platform_init(struct vm *vm);

/* legacy.c: ports of absent legacy chips, quietly floating */
int legacy_init(struct vm *vm);

/* term.c */
extern bool term_is_raw;	/* mon_log then ends lines with CR LF */
void term_restore(void);

#endif
