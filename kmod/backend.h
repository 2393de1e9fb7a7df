/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vendor backend table.  One const instance per vendor (kmod/amd/,
 * kmod/intel/), picked once at module load.  The generic core calls only
 * through this table and never includes a vendor header.
 *
 * Context rules:
 *  - cpu_enable/cpu_disable run on the CPU in question with IRQs disabled.
 *  - vcpu_load runs with preemption disabled whenever a thread working on
 *    the vCPU (any vCPU ioctl) gets a CPU: at ioctl start and each time
 *    the scheduler moves it; vcpu_put (optional) when it leaves the CPU.
 *  - vcpu_enter runs with IRQs disabled and must return with IRQs disabled.
 *  - everything else runs in process context and may sleep, except where
 *    noted.
 * Optional hooks may be NULL; they are marked so below.
 */
#ifndef VMX_BACKEND_H
#define VMX_BACKEND_H

#include <linux/types.h>
#include <linux/kvm.h>

struct vmx_vm;
struct vmx_vcpu;

struct vmx_backend {
	const char *name;

	/* Load time: check the CPU, print one line and fail when unusable. */
	int (*probe)(void);
	/* Global allocations after a successful probe; undone by unsetup. */
	int (*setup)(void);
	void (*unsetup)(void);

	/* Per-CPU hardware switch; -EBUSY when another hypervisor owns it. */
	int (*cpu_enable)(void);
	void (*cpu_disable)(void);

	/* Sizes of the vendor structs that embed struct vmx_vm / vmx_vcpu. */
	size_t vm_size;
	size_t vcpu_size;

	int (*vm_init)(struct vmx_vm *vm);		/* optional */
	void (*vm_destroy)(struct vmx_vm *vm);		/* optional */

	int (*vcpu_init)(struct vmx_vcpu *vcpu);
	void (*vcpu_destroy)(struct vmx_vcpu *vcpu);
	/* Architectural power-on state (as after KVM_CREATE_VCPU). */
	void (*vcpu_reset)(struct vmx_vcpu *vcpu);

	void (*vcpu_load)(struct vmx_vcpu *vcpu, int cpu);
	void (*vcpu_put)(struct vmx_vcpu *vcpu);		/* optional */
	/* Enter the guest once; returns 0, or -EIO when entry failed. */
	int (*vcpu_enter)(struct vmx_vcpu *vcpu);
	/* Handle the last exit: >0 resume the guest, 0 exit to user, <0 errno */
	int (*handle_exit)(struct vmx_vcpu *vcpu);

	void (*get_sregs)(struct vmx_vcpu *vcpu, struct kvm_sregs *sregs);
	/* The core has validated control registers and EFER already. */
	int (*set_sregs)(struct vmx_vcpu *vcpu, const struct kvm_sregs *sregs);
	void (*get_segment)(struct vmx_vcpu *vcpu, struct kvm_segment *seg,
			    int which);
	u64 (*get_cr0)(struct vmx_vcpu *vcpu);
	u64 (*get_cr3)(struct vmx_vcpu *vcpu);
	u64 (*get_cr4)(struct vmx_vcpu *vcpu);
	u64 (*get_efer)(struct vmx_vcpu *vcpu);
	int (*get_cpl)(struct vmx_vcpu *vcpu);
	bool (*get_intr_shadow)(struct vmx_vcpu *vcpu);
	void (*set_intr_shadow)(struct vmx_vcpu *vcpu, bool on);

	/*
	 * Events: vcpu_enter delivers vcpu->inject when pending (an NMI
	 * also starts NMI blocking).  The windows ask for an exit as soon
	 * as the guest can take an interrupt or an NMI; the exit handler
	 * closes the window and resumes.  IRQs are off for the windows.
	 */
	void (*enable_irq_window)(struct vmx_vcpu *vcpu);
	void (*enable_nmi_window)(struct vmx_vcpu *vcpu);
	bool (*get_nmi_mask)(struct vmx_vcpu *vcpu);
	void (*set_nmi_mask)(struct vmx_vcpu *vcpu, bool masked);

	/*
	 * MSRs whose state lives in the VMCB/VMCS.  Return 0 when handled,
	 * 1 when the MSR is not the backend's, <0 for a bad value (#GP).
	 */
	int (*get_msr)(struct vmx_vcpu *vcpu, u32 index, u64 *data);
	int (*set_msr)(struct vmx_vcpu *vcpu, u32 index, u64 data);

	/* Debug registers 6 and 7 live in the VMCB/VMCS. */
	u64 (*get_dr)(struct vmx_vcpu *vcpu, int n);
	void (*set_dr)(struct vmx_vcpu *vcpu, int n, u64 val);

	/* Nested paging entry format (NPT: x86 PTE; EPT: RWX bits). */
	u64 (*npt_table_entry)(phys_addr_t pa);
	u64 (*npt_leaf_entry)(phys_addr_t pa, bool writable);
	u64 npt_present_mask;
};

extern const struct vmx_backend *vmx_ops;
extern const struct vmx_backend vmx_svm_backend;
extern const struct vmx_backend vmx_vtx_backend;

#endif
