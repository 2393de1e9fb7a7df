/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests for the tests: one VM, slot 0 = GUEST_MEM_SIZE bytes at GPA 0,
 * one vCPU (id 0), code copied to GUEST_CODE_GPA, started either in real
 * mode (CS = GUEST_CODE_GPA >> 4, IP = 0) or directly in 64-bit mode
 * through KVM_SET_SREGS (identity-mapped 0-4 GiB with 2 MiB pages, flat
 * GDT, IDT limit 0 so any exception ends in a triple fault).
 */
#ifndef SELFTEST_GUEST_H
#define SELFTEST_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "vm.h"

enum guest_mode {
	GUEST_REAL_MODE,
	GUEST_LONG_MODE,
};

/* VM + memory + code + vCPU 0 ready to run; bails out on failure. */
struct vcpu *guest_create(enum guest_mode mode, const void *code, size_t len);
/* Frees the vCPU and its VM. */
void guest_destroy(struct vcpu *vcpu);

/* Copy @len bytes of code to @gpa (must be in a vm_add_memory region). */
void guest_load(struct vm *vm, uint64_t gpa, const void *code, size_t len);

/* Host pointer to guest-physical @gpa of the vCPU's VM. */
void *guest_mem(struct vcpu *vcpu, uint64_t gpa);

/* Write GDT, TSS and page tables into slot 0 and enter 64-bit mode. */
void guest_setup_long_mode(struct vcpu *vcpu);
/*
 * Long mode: a 64-bit interrupt gate for @vector to the handler at
 * @handler_gpa, in an IDT at GUEST_IDT_GPA that this loads into IDTR.
 * Vectors without a gate still end in a triple fault.
 */
void guest_set_idt_gate(struct vcpu *vcpu, uint8_t vector,
			uint64_t handler_gpa);
/* VM with an in-kernel irqchip (before any vCPU) and slot 0 of
 * GUEST_MEM_SIZE bytes at GPA 0; bails out on failure.
 */
struct vm *guest_create_irqchip_vm(void);
/* KVM_SET_CPUID2 with everything KVM_GET_SUPPORTED_CPUID reports, plus
 * the TSC-deadline bit when KVM_CAP_TSC_DEADLINE_TIMER says so.
 */
void guest_set_supported_cpuid(struct vcpu *vcpu);
/* Flat real mode: CS = GUEST_CODE_GPA >> 4, DS = ES = SS = 0. */
void guest_setup_real_mode(struct vcpu *vcpu);

#endif
