// SPDX-License-Identifier: GPL-2.0
/*
 * Guest linear addresses: CPU mode, segment bases and a walk of the
 * guest's own page tables (none, 32-bit, PAE, 4-level), so emulation
 * can fetch instructions and string I/O can reach guest buffers.
 */
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "core.h"

#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
#define ADDR_52		GENMASK_ULL(51, 12)

int vmx_cpu_mode(struct vmx_vcpu *vcpu)
{
	struct kvm_segment cs;

	if (!(vmx_ops->get_cr0(vcpu) & X86_CR0_PE) ||
	    (vcpu->rflags & X86_EFLAGS_VM))
		return 16;
	vmx_ops->get_segment(vcpu, &cs, 1);
	if ((vmx_ops->get_efer(vcpu) & EFER_LMA) && cs.l)
		return 64;
	return cs.db ? 32 : 16;
}

u64 vmx_seg_base(struct vmx_vcpu *vcpu, int seg)
{
	struct kvm_segment s;

	/* In 64-bit mode only FS and GS have a base. */
	if (vmx_cpu_mode(vcpu) == 64 && seg < 4)
		return 0;
	vmx_ops->get_segment(vcpu, &s, seg);
	return s.base;
}

static int read_pte(struct vmx_vcpu *vcpu, u64 gpa, int size, u64 *pte)
{
	u64 v = 0;

	if (vmx_read_guest(vcpu, gpa, &v, size))
		return -EFAULT;
	*pte = v;
	return (v & PTE_P) ? 0 : -EFAULT;
}

static int walk64(struct vmx_vcpu *vcpu, u64 table, u64 la, int levels,
		  u64 *gpa)
{
	int level;
	u64 pte;

	for (level = levels; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);

		if (read_pte(vcpu, table + ((la >> shift) & 511) * 8, 8, &pte))
			return -EFAULT;
		if (level == 1 || (level <= 3 && (pte & PTE_PS))) {
			u64 mask = (1ULL << shift) - 1;

			*gpa = ((pte & ADDR_52) & ~mask) | (la & mask);
			return 0;
		}
		table = pte & ADDR_52;
	}
	return -EFAULT;
}

int vmx_linear_to_gpa(struct vmx_vcpu *vcpu, u64 la, bool write, u64 *gpa)
{
	u64 cr0 = vmx_ops->get_cr0(vcpu);
	u64 cr3 = vmx_ops->get_cr3(vcpu);
	u64 cr4 = vmx_ops->get_cr4(vcpu);
	u64 pte;

	if (!(cr0 & X86_CR0_PG)) {
		*gpa = la & 0xffffffffULL;
		return 0;
	}
	if (vmx_ops->get_efer(vcpu) & EFER_LMA)
		return walk64(vcpu, cr3 & ADDR_52, la,
			      (cr4 & X86_CR4_LA57) ? 5 : 4, gpa);
	la &= 0xffffffffULL;
	if (cr4 & X86_CR4_PAE) {
		u64 pdpt = (cr3 & 0xffffffe0ULL) + ((la >> 30) & 3) * 8;

		if (read_pte(vcpu, pdpt, 8, &pte))
			return -EFAULT;
		return walk64(vcpu, pte & ADDR_52, la, 2, gpa);
	}
	/* 32-bit paging: 4-byte entries, 4 MiB pages with CR4.PSE. */
	if (read_pte(vcpu, (cr3 & 0xfffff000ULL) + (la >> 22) * 4, 4, &pte))
		return -EFAULT;
	if ((pte & PTE_PS) && (cr4 & X86_CR4_PSE)) {
		*gpa = (pte & 0xffc00000ULL) | ((pte & 0x1fe000ULL) << 19) |
		       (la & 0x3fffff);
		return 0;
	}
	if (read_pte(vcpu, (pte & 0xfffff000ULL) + ((la >> 12) & 1023) * 4, 4,
		     &pte))
		return -EFAULT;
	*gpa = (pte & 0xfffff000ULL) | (la & 0xfff);
	return 0;
}

static int linear_copy(struct vmx_vcpu *vcpu, u64 la, void *buf, size_t len,
		       bool write)
{
	while (len) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE - (la & ~PAGE_MASK));
		u64 gpa;
		int r;

		r = vmx_linear_to_gpa(vcpu, la, write, &gpa);
		if (r)
			return r;
		r = write ? vmx_write_guest(vcpu, gpa, buf, chunk) :
			    vmx_read_guest(vcpu, gpa, buf, chunk);
		if (r)
			return r;
		la += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int vmx_read_linear(struct vmx_vcpu *vcpu, u64 la, void *buf, size_t len)
{
	return linear_copy(vcpu, la, buf, len, false);
}

int vmx_write_linear(struct vmx_vcpu *vcpu, u64 la, const void *buf,
		     size_t len)
{
	return linear_copy(vcpu, la, (void *)buf, len, true);
}
