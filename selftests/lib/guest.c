// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "guest.h"
#include "names.h"
#include "tap.h"

#define CR0_PE		(1ull << 0)
#define CR0_MP		(1ull << 1)
#define CR0_ET		(1ull << 4)
#define CR0_NE		(1ull << 5)
#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_PS		(1ull << 7)

#define SEG_TYPE_DATA_RW_A	0x3
#define SEG_TYPE_CODE_RX_A	0xb
#define SEG_TYPE_TSS64_BUSY	0xb
#define SEG_TYPE_LDT		0x2

void guest_load(struct vm *vm, uint64_t gpa, const void *code, size_t len)
{
	if (len > GUEST_CODE_MAX)
		tap_bail("guest code too large: %zu bytes", len);
	memcpy(vm_hva(vm, gpa), code, len);
}

void *guest_mem(struct vcpu *vcpu, uint64_t gpa)
{
	return vm_hva(vcpu->vm, gpa);
}

struct vcpu *guest_create(enum guest_mode mode, const void *code, size_t len)
{
	struct vm *vm = vm_create();
	struct vcpu *vcpu;

	vm_add_memory(vm, 0, 0, GUEST_MEM_SIZE);
	guest_load(vm, GUEST_CODE_GPA, code, len);
	vcpu = vcpu_create(vm, 0);
	if (mode == GUEST_LONG_MODE)
		guest_setup_long_mode(vcpu);
	else
		guest_setup_real_mode(vcpu);
	return vcpu;
}

void guest_destroy(struct vcpu *vcpu)
{
	struct vm *vm;

	if (!vcpu)
		return;
	vm = vcpu->vm;
	vcpu_free(vcpu);
	vm_free(vm);
}

/* A legacy 8-byte descriptor (code/data) in GDT format. */
static uint64_t gdt_entry(uint32_t base, uint32_t limit, uint8_t access,
			  uint8_t flags)
{
	return (uint64_t)(limit & 0xffff) |
	       (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)access << 40 |
	       (uint64_t)((limit >> 16) & 0xf) << 48 |
	       (uint64_t)(flags & 0xf) << 52 |
	       (uint64_t)(base >> 24) << 56;
}

static void write_gdt(struct vm *vm)
{
	uint64_t *gdt = vm_hva(vm, GUEST_GDT_GPA);

	gdt[0] = 0;
	/* P, S, code exec/read accessed; G and L (64-bit). */
	gdt[GUEST_SEL_CODE64 / 8] = gdt_entry(0, 0xfffff, 0x9b, 0xa);
	/* P, S, data read/write accessed; G and D/B. */
	gdt[GUEST_SEL_DATA / 8] = gdt_entry(0, 0xfffff, 0x93, 0xc);
	/* 16-byte 64-bit TSS descriptor, busy (as TR expects after LTR). */
	gdt[GUEST_SEL_TSS / 8] = gdt_entry(GUEST_TSS_GPA, 0x67, 0x8b, 0);
	gdt[GUEST_SEL_TSS / 8 + 1] = 0;
	memset(vm_hva(vm, GUEST_TSS_GPA), 0, 0x68);
}

/* Identity map 0-4 GiB with 2 MiB pages: PML4[0] -> PDPT[0..3] -> PDs. */
static void write_page_tables(struct vm *vm)
{
	uint64_t *pml4 = vm_hva(vm, GUEST_PML4_GPA);
	uint64_t *pdpt = vm_hva(vm, GUEST_PDPT_GPA);
	uint64_t *pd = vm_hva(vm, GUEST_PD_GPA);
	unsigned int i;

	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	pml4[0] = GUEST_PDPT_GPA | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (GUEST_PD_GPA + i * 4096ull) | PTE_P | PTE_RW;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
}

static struct kvm_segment flat_segment(uint16_t selector, uint8_t type)
{
	struct kvm_segment s = {
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.s = 1,
		.db = 1,
		.g = 1,
	};

	return s;
}

void guest_setup_long_mode(struct vcpu *vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	write_gdt(vcpu->vm);
	write_page_tables(vcpu->vm);

	vcpu_get_sregs(vcpu, &sregs);
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.cr3 = GUEST_PML4_GPA;
	sregs.cr4 = CR4_PAE;
	sregs.efer = EFER_LME | EFER_LMA;

	sregs.cs = flat_segment(GUEST_SEL_CODE64, SEG_TYPE_CODE_RX_A);
	sregs.cs.db = 0;	/* must be 0 when L = 1 */
	sregs.cs.l = 1;
	sregs.ds = flat_segment(GUEST_SEL_DATA, SEG_TYPE_DATA_RW_A);
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;

	memset(&sregs.tr, 0, sizeof(sregs.tr));
	sregs.tr.base = GUEST_TSS_GPA;
	sregs.tr.limit = 0x67;
	sregs.tr.selector = GUEST_SEL_TSS;
	sregs.tr.type = SEG_TYPE_TSS64_BUSY;
	sregs.tr.present = 1;

	memset(&sregs.ldt, 0, sizeof(sregs.ldt));
	sregs.ldt.type = SEG_TYPE_LDT;
	sregs.ldt.unusable = 1;

	sregs.gdt.base = GUEST_GDT_GPA;
	sregs.gdt.limit = 5 * 8 - 1;
	/* No IDT: any exception escalates to a triple fault (SHUTDOWN). */
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	vcpu_set_sregs(vcpu, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_CODE_GPA;
	regs.rsp = GUEST_STACK_TOP;
	regs.rflags = 0x2;
	vcpu_set_regs(vcpu, &regs);
}

static struct kvm_segment real_segment(uint16_t selector, uint8_t type)
{
	struct kvm_segment s = {
		.base = (uint64_t)selector << 4,
		.limit = 0xffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.s = 1,
	};

	return s;
}

void guest_setup_real_mode(struct vcpu *vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	/* Set everything rather than trust the reset state under test. */
	vcpu_get_sregs(vcpu, &sregs);
	sregs.cr0 = CR0_ET;
	sregs.cr3 = 0;
	sregs.cr4 = 0;
	sregs.efer = 0;
	sregs.cs = real_segment(GUEST_CODE_GPA >> 4, SEG_TYPE_CODE_RX_A);
	sregs.ds = real_segment(0, SEG_TYPE_DATA_RW_A);
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;
	/* The architectural reset values; VMX checks TR even in real mode. */
	memset(&sregs.tr, 0, sizeof(sregs.tr));
	sregs.tr.limit = 0xffff;
	sregs.tr.type = SEG_TYPE_TSS64_BUSY;
	sregs.tr.present = 1;
	memset(&sregs.ldt, 0, sizeof(sregs.ldt));
	sregs.ldt.limit = 0xffff;
	sregs.ldt.type = SEG_TYPE_LDT;
	sregs.ldt.present = 1;
	sregs.gdt.base = 0;
	sregs.gdt.limit = 0xffff;
	sregs.idt.base = 0;
	sregs.idt.limit = 0x3ff;
	vcpu_set_sregs(vcpu, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = 0;
	regs.rsp = GUEST_STACK_TOP;
	regs.rflags = 0x2;
	vcpu_set_regs(vcpu, &regs);
}

#define IDT_GATE_INT64		0x8e	/* present, DPL 0, interrupt gate */
#define IDT_ENTRIES		256
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)

void guest_set_idt_gate(struct vcpu *vcpu, uint8_t vector,
			uint64_t handler_gpa)
{
	uint64_t *idt = vm_hva(vcpu->vm, GUEST_IDT_GPA);
	struct kvm_sregs sregs;

	idt[vector * 2] = (handler_gpa & 0xffff) |
			  (uint64_t)GUEST_SEL_CODE64 << 16 |
			  (uint64_t)IDT_GATE_INT64 << 40 |
			  ((handler_gpa >> 16) & 0xffff) << 48;
	idt[vector * 2 + 1] = handler_gpa >> 32;
	vcpu_get_sregs(vcpu, &sregs);
	sregs.idt.base = GUEST_IDT_GPA;
	sregs.idt.limit = IDT_ENTRIES * 16 - 1;
	vcpu_set_sregs(vcpu, &sregs);
}

struct vm *guest_create_irqchip_vm(void)
{
	struct vm *vm = vm_create();

	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		tap_bail("KVM_CREATE_IRQCHIP: %s", errno_name(errno));
	vm_add_memory(vm, 0, 0, GUEST_MEM_SIZE);
	return vm;
}

void guest_set_supported_cpuid(struct vcpu *vcpu)
{
	const int max = 100;
	unsigned int i;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
				      max * sizeof(struct kvm_cpuid_entry2));

	if (!c)
		tap_bail("out of memory");
	c->nent = max;
	if (ioctl(kvm_fd(), KVM_GET_SUPPORTED_CPUID, c))
		tap_bail("KVM_GET_SUPPORTED_CPUID: %s", errno_name(errno));
	/*
	 * KVM reports the TSC-deadline timer through its capability, not
	 * always in leaf 1 (api.rst, KVM_CAP_TSC_DEADLINE_TIMER): add it as
	 * a VMM would.
	 */
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 1 &&
		    kvm_check_cap(KVM_CAP_TSC_DEADLINE_TIMER) > 0)
			c->entries[i].ecx |= CPUID1_ECX_TSC_DEADLINE;
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, c))
		tap_bail("KVM_SET_CPUID2: %s", errno_name(errno));
	free(c);
}
