/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin wrappers around the KVM ioctl ABI as spoken by /dev/vmx (or by
 * /dev/kvm: the device is taken from $VMX_DEV, default /dev/vmx).
 *
 * Functions named *_or_bail treat failure as a broken setup and end the
 * test with "Bail out!"; the raw ones return the ioctl result so tests can
 * check errno.
 */
#ifndef SELFTEST_VM_H
#define SELFTEST_VM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#define VM_MAX_REGIONS	8

struct vm_region {
	uint32_t slot;
	uint64_t gpa;
	uint64_t size;
	void *hva;
};

struct vm {
	int fd;
	unsigned int nr_regions;
	struct vm_region regions[VM_MAX_REGIONS];
};

struct vcpu {
	struct vm *vm;
	int fd;
	uint32_t id;
	struct kvm_run *run;
	size_t run_size;
};

/* The device: opened once; the whole test is skipped if it is missing. */
const char *kvm_path(void);
int kvm_fd(void);
int kvm_check_cap(long cap);
int kvm_vcpu_mmap_size(void);

struct vm *vm_create(void);
void vm_free(struct vm *vm);

/* Raw KVM_SET_USER_MEMORY_REGION; returns the ioctl result. */
int vm_set_region(struct vm *vm, uint32_t slot, uint32_t flags,
		  uint64_t gpa, uint64_t size, void *hva);
/* mmap anonymous memory and map it at @gpa; returns the host address. */
void *vm_add_memory(struct vm *vm, uint32_t slot, uint64_t gpa,
		    uint64_t size);
/* Host address backing @gpa in a region added by vm_add_memory(). */
void *vm_hva(struct vm *vm, uint64_t gpa);

struct vcpu *vcpu_create(struct vm *vm, uint32_t id);
void vcpu_free(struct vcpu *vcpu);

/* Raw KVM_RUN; returns the ioctl result (errno set on -1). */
int vcpu_run(struct vcpu *vcpu);

void vcpu_get_regs(struct vcpu *vcpu, struct kvm_regs *regs);
void vcpu_set_regs(struct vcpu *vcpu, const struct kvm_regs *regs);
void vcpu_get_sregs(struct vcpu *vcpu, struct kvm_sregs *sregs);
void vcpu_set_sregs(struct vcpu *vcpu, const struct kvm_sregs *sregs);
uint64_t vcpu_get_rip(struct vcpu *vcpu);

/* Host-side MSR access through KVM_GET_MSRS / KVM_SET_MSRS. */
uint64_t vcpu_get_msr(struct vcpu *vcpu, uint32_t index);
void vcpu_set_msr(struct vcpu *vcpu, uint32_t index, uint64_t value);

/* The port-I/O data area of the last KVM_EXIT_IO (kvm_run + data_offset). */
void *vcpu_io_data(struct vcpu *vcpu);

#endif
