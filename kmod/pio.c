// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O exits to user space (KVM_EXIT_IO), including string forms.
 * As in KVM, RIP stays on the instruction until the next KVM_RUN
 * completes it, so an IN's data can land before the guest moves on.
 */
#include <linux/mm.h>
#include <asm/processor-flags.h>

#include "core.h"

static u64 addr_mask(u8 addr_size)
{
	return addr_size == 8 ? ~0ULL : (1ULL << (addr_size * 8)) - 1;
}

static void reg_advance(struct vmx_vcpu *vcpu, int reg, u8 addr_size, s64 d)
{
	u64 m = addr_mask(addr_size);
	u64 v = (vcpu->regs[reg] + d) & m;

	vmx_reg_write(vcpu, reg, addr_size, v);
}

/* Elements of a string I/O that fit the data page and one guest page. */
static u32 string_count(struct vmx_vcpu *vcpu, const struct vmx_pio *pio,
			u64 la)
{
	u64 count = 1;
	u64 room;

	if (pio->rep)
		count = vcpu->regs[VMX_RCX] & addr_mask(pio->addr_size);
	if (vcpu->rflags & X86_EFLAGS_DF)
		return count ? 1 : 0;
	room = (PAGE_SIZE - (la & ~PAGE_MASK)) / pio->size;
	if (!room)
		room = 1;
	return min3(count, room, (u64)(PAGE_SIZE / pio->size));
}

static u64 string_la(struct vmx_vcpu *vcpu, const struct vmx_pio *pio)
{
	if (pio->in)	/* INS always writes ES:rDI */
		return vmx_seg_base(vcpu, 0) +
		       (vcpu->regs[VMX_RDI] & addr_mask(pio->addr_size));
	return vmx_seg_base(vcpu, pio->seg >= 0 ? pio->seg : 3) +
	       (vcpu->regs[VMX_RSI] & addr_mask(pio->addr_size));
}

/* A plain IN/OUT that an in-kernel device (PIC, PIT, ioeventfd) takes. */
static bool pio_in_kernel(struct vmx_vcpu *vcpu, const struct vmx_pio *pio)
{
	u64 v = 0;

	if (pio->in) {
		if (vmx_io_bus_read(vcpu, VMX_PIO_BUS, pio->port, pio->size,
				    &v))
			return false;
		vmx_reg_write(vcpu, VMX_RAX, pio->size, v);
	} else if (vmx_io_bus_write(vcpu, VMX_PIO_BUS, pio->port, pio->size,
				    &vcpu->regs[VMX_RAX])) {
		return false;
	}
	vmx_skip_insn(vcpu, pio->insn_len);
	return true;
}

int vmx_handle_pio(struct vmx_vcpu *vcpu, const struct vmx_pio *pio)
{
	struct kvm_run *run = vcpu->run;
	void *data = page_address(vcpu->run_pages[1]);
	u32 count = 1;

	if (!pio->string && pio_in_kernel(vcpu, pio))
		return 1;
	if (pio->string) {
		u64 la = string_la(vcpu, pio);

		count = string_count(vcpu, pio, la);
		if (!count) {	/* REP with rCX = 0 does nothing */
			vmx_skip_insn(vcpu, pio->insn_len);
			return 1;
		}
		if (!pio->in &&
		    vmx_read_linear(vcpu, la, data, (size_t)count * pio->size)) {
			u64 d[2] = { la, pio->port };

			return vmx_exit_internal(vcpu,
						 KVM_INTERNAL_ERROR_EMULATION,
						 2, d);
		}
	} else if (!pio->in) {
		memcpy(data, &vcpu->regs[VMX_RAX], pio->size);
	}

	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = pio->in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = pio->size;
	run->io.port = pio->port;
	run->io.count = count;
	run->io.data_offset = PAGE_SIZE;
	vcpu->pio = *pio;
	vcpu->pio_count = count;
	vcpu->pending = VMX_PEND_PIO;
	vcpu->pending_rip = vcpu->rip;
	return 0;
}

int vmx_complete_pio(struct vmx_vcpu *vcpu)
{
	struct vmx_pio *pio = &vcpu->pio;
	void *data = page_address(vcpu->run_pages[1]);
	u32 count = vcpu->pio_count;
	s64 step;

	if (!pio->string) {
		if (pio->in) {
			u64 v = 0;

			memcpy(&v, data, pio->size);
			vmx_reg_write(vcpu, VMX_RAX, pio->size, v);
		}
		vmx_skip_insn(vcpu, pio->insn_len);
		return 1;
	}

	/*
	 * User space may have lowered rCX at the exit (never trust
	 * run->io.count, it could overrun the data page): do no more than
	 * either allows (KVM, too, never goes past rCX).  rCX = 0 ends
	 * the instruction.
	 */
	if (pio->rep)
		count = min_t(u64, count,
			      vcpu->regs[VMX_RCX] & addr_mask(pio->addr_size));
	step = (s64)count * pio->size;
	if (vcpu->rflags & X86_EFLAGS_DF)
		step = -step;
	if (pio->in) {
		u64 la = string_la(vcpu, pio);

		if (vmx_write_linear(vcpu, la, data, (size_t)count * pio->size)) {
			u64 d[2] = { la, pio->port };

			return vmx_exit_internal(vcpu,
						 KVM_INTERNAL_ERROR_EMULATION,
						 2, d);
		}
		reg_advance(vcpu, VMX_RDI, pio->addr_size, step);
	} else {
		reg_advance(vcpu, VMX_RSI, pio->addr_size, step);
	}
	if (pio->rep) {
		reg_advance(vcpu, VMX_RCX, pio->addr_size, -(s64)count);
		if (vcpu->regs[VMX_RCX] & addr_mask(pio->addr_size))
			return 1;	/* re-execute for the rest */
	}
	vmx_skip_insn(vcpu, pio->insn_len);
	return 1;
}
