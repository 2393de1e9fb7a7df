// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page faults: map guest RAM from its memslot, or emulate the
 * faulting MOV as an MMIO exit to user space (KVM_EXIT_MMIO).
 */
#include <linux/mm.h>

#include "core.h"
#include "x86_decode.h"

/* Fetch the instruction at CS:RIP; returns how many bytes were read. */
static int fetch_insn(struct vmx_vcpu *vcpu, u8 *buf)
{
	u64 la = vmx_seg_base(vcpu, 1) + vcpu->rip;
	int first = min_t(int, 15, PAGE_SIZE - (la & ~PAGE_MASK));

	if (vmx_cpu_mode(vcpu) != 64)
		la &= 0xffffffffULL;
	if (vmx_read_linear(vcpu, la, buf, first))
		return 0;
	if (first < 15 && !vmx_read_linear(vcpu, la + first, buf + first,
					   15 - first))
		return 15;
	return first;
}

static int emulation_failed(struct vmx_vcpu *vcpu, const u8 *insn, int n,
			    u64 gpa)
{
	u64 d[3] = { gpa, 0, 0 };

	memcpy(&d[1], insn, min(n, 16));
	return vmx_exit_internal(vcpu, KVM_INTERNAL_ERROR_EMULATION, 3, d);
}

static u64 reg_read(struct vmx_vcpu *vcpu, const struct x86_insn *in)
{
	if (in->high8)
		return (vcpu->regs[in->reg - 4] >> 8) & 0xff;
	return vcpu->regs[in->reg];
}

static bool is_store(const struct x86_insn *in)
{
	return in->op == X86_OP_STORE || in->op == X86_OP_STORE_IMM ||
	       in->op == X86_OP_STORE_MOFFS;
}

/* Where a load's value goes when it completes. */
static void set_load(struct vmx_vcpu *vcpu, const struct x86_insn *in)
{
	vcpu->mmio.reg = in->op == X86_OP_LOAD_MOFFS ? VMX_RAX : in->reg;
	vcpu->mmio.reg_size = in->reg_size;
	vcpu->mmio.size = in->mem_size;
	vcpu->mmio.high8 = in->high8;
	vcpu->mmio.sign = in->op == X86_OP_LOAD_SX;
	vcpu->mmio.insn_len = in->len;
}

/* The local APIC page, then in-kernel devices (IOAPIC, ioeventfds). */
static bool mmio_in_kernel(struct vmx_vcpu *vcpu, const struct x86_insn *in,
			   u64 gpa, u64 *val)
{
	bool write = is_store(in);
	int len = in->mem_size;

	if ((!vcpu->apic || vmx_lapic_mmio(vcpu, gpa, len, val, write)) &&
	    (write ? vmx_io_bus_write(vcpu, VMX_MMIO_BUS, gpa, len, val) :
		     vmx_io_bus_read(vcpu, VMX_MMIO_BUS, gpa, len, val)))
		return false;
	if (write) {
		vmx_skip_insn(vcpu, in->len);
		return true;
	}
	set_load(vcpu, in);
	memcpy(vcpu->run->mmio.data, val, len);
	vmx_complete_mmio(vcpu);
	return true;
}

static int emulate_mmio(struct vmx_vcpu *vcpu, u64 gpa)
{
	struct kvm_run *run = vcpu->run;
	struct x86_insn in;
	u8 buf[16] = {};
	u64 val = 0;
	int n;

	n = fetch_insn(vcpu, buf);
	if (!n || x86_decode(buf, n, vmx_cpu_mode(vcpu), &in))
		return emulation_failed(vcpu, buf, n, gpa);

	switch (in.op) {
	case X86_OP_STORE:
		val = reg_read(vcpu, &in);
		break;
	case X86_OP_STORE_IMM:
		val = in.imm;
		break;
	case X86_OP_STORE_MOFFS:
		val = vcpu->regs[VMX_RAX];
		break;
	case X86_OP_LOAD:
	case X86_OP_LOAD_ZX:
	case X86_OP_LOAD_SX:
	case X86_OP_LOAD_MOFFS:
		break;
	default:
		return emulation_failed(vcpu, buf, n, gpa);
	}
	/* An access that straddles a page needs two exits: not yet. */
	if (offset_in_page(gpa) + in.mem_size > PAGE_SIZE)
		return emulation_failed(vcpu, buf, n, gpa);

	if (mmio_in_kernel(vcpu, &in, gpa, &val))
		return 1;

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = in.mem_size;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	run->mmio.is_write = is_store(&in);
	if (run->mmio.is_write) {
		/* A store is complete once user space has the data: as on
		 * KVM, RIP is already past it at the exit.
		 */
		memcpy(run->mmio.data, &val, in.mem_size);
		vmx_skip_insn(vcpu, in.len);
		return 0;
	}

	set_load(vcpu, &in);
	vcpu->pending = VMX_PEND_MMIO;
	vcpu->pending_rip = vcpu->rip;
	return 0;
}

int vmx_complete_mmio(struct vmx_vcpu *vcpu)
{
	u8 size = vcpu->mmio.size;
	u64 val = 0;

	memcpy(&val, vcpu->run->mmio.data, size);
	if (vcpu->mmio.sign && size < 8)
		val = (u64)sign_extend64(val, size * 8 - 1);
	if (vcpu->mmio.high8) {
		unsigned long *r = &vcpu->regs[vcpu->mmio.reg - 4];

		*r = (*r & ~0xff00UL) | ((val & 0xff) << 8);
	} else {
		vmx_reg_write(vcpu, vcpu->mmio.reg, vcpu->mmio.reg_size, val);
	}
	vmx_skip_insn(vcpu, vcpu->mmio.insn_len);
	return 1;
}

int vmx_handle_npf(struct vmx_vcpu *vcpu, u64 gpa, unsigned int flags)
{
	struct vmx_vm *vm = vcpu->vm;
	bool write = flags & VMX_NPF_WRITE;
	struct vmx_memslot *slot;
	int idx, r;

	idx = srcu_read_lock(&vm->srcu);
	slot = vmx_find_slot(srcu_dereference(vm->slots, &vm->srcu),
			     gpa >> PAGE_SHIFT);
	if (slot && !(write && (slot->flags & KVM_MEM_READONLY))) {
		r = vmx_npt_map(vm, slot, gpa >> PAGE_SHIFT, write);
		srcu_read_unlock(&vm->srcu, idx);
		return r ? r : 1;
	}
	srcu_read_unlock(&vm->srcu, idx);

	/* Page tables or code in MMIO space are beyond this emulator. */
	if (flags & (VMX_NPF_IN_WALK | VMX_NPF_FETCH)) {
		u64 d[2] = { gpa, flags };

		return vmx_exit_internal(vcpu, KVM_INTERNAL_ERROR_EMULATION,
					 2, d);
	}
	return emulate_mmio(vcpu, gpa);
}
