/* SPDX-License-Identifier: GPL-2.0 */
/* Intel VT-x backend: private types shared by the files of kmod/intel/. */
#ifndef VMX_INTEL_VTX_H
#define VMX_INTEL_VTX_H

#include <linux/list.h>

#include "../core.h"
#include "vmcs_defs.h"
#include "vmx_insn.h"

/* MSRs the CPU switches through the VM-entry/exit MSR lists. */
enum vtx_autoload {
	AL_STAR, AL_LSTAR, AL_CSTAR, AL_SFMASK, AL_KGSBASE, AL_TSC_AUX,
	AL_NR
};

struct vtx_msr_entry {
	u32 index;
	u32 reserved;
	u64 value;
};

struct vtx_vcpu {
	struct vmx_vcpu vcpu;		/* must stay first: core allocates */
	void *vmcs;
	phys_addr_t vmcs_pa;
	int loaded_cpu;			/* CPU the VMCS is active on, -1 none */
	bool launched;			/* VMRESUME rather than VMLAUNCH */
	bool entry_failed;		/* last VMLAUNCH/VMRESUME: VMfail */
	struct list_head loaded_link;	/* on the CPU's list while active */
	u16 vpid;
	u32 exit_reason;
	u64 cr2;
	u8 cr8;				/* without an in-kernel APIC */
	u32 cpu_ctls;			/* CPU_BASED_VM_EXEC_CONTROL now */
	/* One page: guest list (entry load + exit store), then host list. */
	struct vtx_msr_entry *guest_msrs;
	struct vtx_msr_entry *host_msrs;
	/* Host state that changes per thread or CPU, to skip VMWRITEs. */
	unsigned long host_cr3, host_cr4, host_fs_base;
};

static inline struct vtx_vcpu *to_vtx(struct vmx_vcpu *vcpu)
{
	return container_of(vcpu, struct vtx_vcpu, vcpu);
}

/* What the CPU allows, computed once at load. */
struct vtx_config {
	u32 revision;
	u32 vmcs_size;
	u32 pin, cpu, cpu2, exit, entry;
	u64 ept_vpid_cap;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	bool inout_info;
	bool has_debugctl;		/* some emulators lack the MSR */
	u64 host_pat, host_efer;
	u64 host_msr[AL_NR];
};

extern struct vtx_config vtx_cfg;

/* Interrupt/NMI-window exiting come and go per vCPU. */
static inline void vtx_set_cpu_ctl(struct vtx_vcpu *vtx, u32 bit, bool on)
{
	u32 v = on ? vtx->cpu_ctls | bit : vtx->cpu_ctls & ~bit;

	if (v != vtx->cpu_ctls) {
		vtx->cpu_ctls = v;
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, v);
	}
}
extern u32 vtx_autoload_index[AL_NR];

/* vtx_entry.S: returns 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed. */
int __vtx_vmentry(unsigned long *regs, int launched);
extern char vtx_vmexit[];

/* vtx.c */
void vtx_load_vmcs(struct vtx_vcpu *vtx, int cpu);

/* vtx_vmcs.c */
void vtx_vcpu_reset(struct vmx_vcpu *vcpu);
void vtx_refresh_host_cpu_state(struct vtx_vcpu *vtx, int cpu);
void vtx_get_sregs(struct vmx_vcpu *vcpu, struct kvm_sregs *s);
int vtx_set_sregs(struct vmx_vcpu *vcpu, const struct kvm_sregs *s);
void vtx_get_segment(struct vmx_vcpu *vcpu, struct kvm_segment *seg,
		     int which);
u64 vtx_get_cr0(struct vmx_vcpu *vcpu);
u64 vtx_get_cr4(struct vmx_vcpu *vcpu);
int vtx_set_cr0(struct vmx_vcpu *vcpu, u64 val);
int vtx_set_cr4(struct vmx_vcpu *vcpu, u64 val);
u64 vtx_get_efer(struct vmx_vcpu *vcpu);
int vtx_get_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data);
int vtx_set_msr(struct vmx_vcpu *vcpu, u32 index, u64 data);

/* vtx_exit.c */
int vtx_handle_exit(struct vmx_vcpu *vcpu);

#endif
