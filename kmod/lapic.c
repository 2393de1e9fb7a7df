// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel local APIC.  STUB: replaced by the LAPIC work.  It marks
 * the vCPU as having an APIC (HLT sleeps, the PIC's ExtINT gets through)
 * without any registers.
 */
#include "core.h"

static char stub_apic;

int vmx_lapic_create(struct vmx_vcpu *vcpu)
{
	vcpu->apic = (struct vmx_lapic *)&stub_apic;
	return 0;
}

void vmx_lapic_free(struct vmx_vcpu *vcpu)
{
}

void vmx_lapic_reset(struct vmx_vcpu *vcpu, bool init)
{
}

int vmx_apic_has_interrupt(struct vmx_vcpu *vcpu)
{
	return -1;
}

void vmx_apic_ack_interrupt(struct vmx_vcpu *vcpu, int vector)
{
}

bool vmx_apic_accept_pic_intr(struct vmx_vcpu *vcpu)
{
	return true;
}

int vmx_apic_deliver(struct vmx_vm *vm, struct vmx_vcpu *src,
		     const struct vmx_apic_irq *irq)
{
	return -1;
}

int vmx_lapic_mmio(struct vmx_vcpu *vcpu, u64 gpa, int len, void *val,
		   bool write)
{
	return -EOPNOTSUPP;
}

int vmx_lapic_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data, bool write,
		  bool host)
{
	return 1;
}

u8 vmx_lapic_get_cr8(struct vmx_vcpu *vcpu)
{
	return 0;
}

void vmx_lapic_set_cr8(struct vmx_vcpu *vcpu, u8 cr8)
{
}

long vmx_lapic_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg)
{
	return -ENOIOCTLCMD;
}
