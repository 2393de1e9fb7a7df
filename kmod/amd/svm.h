/* SPDX-License-Identifier: GPL-2.0 */
/* AMD SVM backend: private types shared by the files of kmod/amd/. */
#ifndef VMX_AMD_SVM_H
#define VMX_AMD_SVM_H

#include "../core.h"
#include "vmcb_defs.h"

struct svm_vcpu {
	struct vmx_vcpu vcpu;		/* must stay first: core allocates */
	struct vmcb *vmcb;
	phys_addr_t vmcb_pa;
	u32 asid;
	int asid_cpu;		/* CPU the ASID belongs to, -1 none */
	u64 asid_gen;		/* that CPU's generation when assigned */
	/* SVM does not track NMI blocking: IRET intercepts end it. */
	bool nmi_masked;
	bool iret_pending;	/* unmask once RIP leaves the IRET */
	unsigned long iret_rip;
};

static inline struct svm_vcpu *to_svm(struct vmx_vcpu *vcpu)
{
	return container_of(vcpu, struct svm_vcpu, vcpu);
}

struct svm_caps {
	u32 max_asid;
	bool nrips;
	bool flush_by_asid;
	bool decode_assists;
	/* Host is QEMU's TCG: see svm_vcpu_enter() on injected interrupts. */
	bool tcg_evtinj_quirk;
};

extern struct svm_caps svm_caps;
extern phys_addr_t svm_iopm_pa, svm_msrpm_pa;

/* svm_entry.S: load guest GPRs, VMLOAD/VMRUN/VMSAVE, store guest GPRs. */
void __svm_vmrun(unsigned long *regs, phys_addr_t vmcb_pa);

/* svm_vmcb.c */
void svm_vcpu_reset(struct vmx_vcpu *vcpu);
void svm_get_sregs(struct vmx_vcpu *vcpu, struct kvm_sregs *s);
int svm_set_sregs(struct vmx_vcpu *vcpu, const struct kvm_sregs *s);
void svm_get_segment(struct vmx_vcpu *vcpu, struct kvm_segment *seg,
		     int which);
int svm_get_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data);
int svm_set_msr(struct vmx_vcpu *vcpu, u32 index, u64 data);

/* svm.c */
void svm_set_nmi_mask(struct vmx_vcpu *vcpu, bool masked);

/* svm_exit.c */
int svm_handle_exit(struct vmx_vcpu *vcpu);

#endif
