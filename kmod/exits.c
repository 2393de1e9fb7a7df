// SPDX-License-Identifier: GPL-2.0
/*
 * Exit handling that does not depend on the vendor: the exits to user
 * space without data, and instructions emulated the same way on both.
 */
#define pr_fmt(fmt) "vmx: " fmt

#include <linux/kernel.h>
#include <asm/fpu/xcr.h>
#include <asm/processor-flags.h>
#include <asm/msr.h>

#include "core.h"
#include "x86_decode.h"

int vmx_exit_hlt(struct vmx_vcpu *vcpu, unsigned int insn_len)
{
	vmx_skip_insn(vcpu, insn_len);
	/* With an in-kernel APIC, HLT sleeps until an interrupt wakes it. */
	if (vcpu->apic) {
		vcpu->mp_state = KVM_MP_STATE_HALTED;
		return 1;
	}
	vcpu->run->exit_reason = KVM_EXIT_HLT;
	return 0;
}

int vmx_exit_shutdown(struct vmx_vcpu *vcpu)
{
	vcpu->run->exit_reason = KVM_EXIT_SHUTDOWN;
	return 0;
}

int vmx_exit_fail_entry(struct vmx_vcpu *vcpu, u64 reason)
{
	vcpu->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
	vcpu->run->fail_entry.hardware_entry_failure_reason = reason;
	vcpu->run->fail_entry.cpu = vcpu->last_cpu;
	return 0;
}

int vmx_exit_internal(struct vmx_vcpu *vcpu, u32 suberror, int ndata,
		      const u64 *data)
{
	struct kvm_run *run = vcpu->run;
	int i;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	ndata = min_t(int, ndata, ARRAY_SIZE(run->internal.data));
	run->internal.ndata = ndata;
	for (i = 0; i < ndata; i++)
		run->internal.data[i] = data[i];
	return 0;
}

/* Nobody handles this exit: say so loudly and stop the vCPU cleanly. */
int vmx_exit_unknown(struct vmx_vcpu *vcpu, u64 reason)
{
	u64 d[2] = { reason, vcpu->last_cpu };

	pr_warn_ratelimited("vCPU %u: unhandled exit 0x%llx at rip 0x%lx\n",
			    vcpu->id, reason, vcpu->rip);
	return vmx_exit_internal(vcpu,
				 KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON,
				 2, d);
}

static u64 host_xcr0(void)
{
	return boot_cpu_has(X86_FEATURE_XSAVE) ? xgetbv(XCR_XFEATURE_ENABLED_MASK) :
						 XFEATURE_MASK_FP;
}

int vmx_emulate_xsetbv(struct vmx_vcpu *vcpu, unsigned int insn_len)
{
	u64 val = (u32)vcpu->regs[VMX_RAX] | (vcpu->regs[VMX_RDX] << 32);
	u64 avx512 = XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 |
		     XFEATURE_MASK_Hi16_ZMM;

	if ((u32)vcpu->regs[VMX_RCX] != 0 || vmx_ops->get_cpl(vcpu) ||
	    !(val & XFEATURE_MASK_FP) || (val & ~host_xcr0()) ||
	    ((val & XFEATURE_MASK_YMM) && !(val & XFEATURE_MASK_SSE)) ||
	    ((val & avx512) && (val & avx512) != avx512) ||
	    ((val & avx512) && !(val & XFEATURE_MASK_YMM))) {
		vmx_inject_gp(vcpu);
		return 1;
	}
	vcpu->xcr0 = val;
	vmx_skip_insn(vcpu, insn_len);
	return 1;
}

int vmx_emulate_rdtscp(struct vmx_vcpu *vcpu, unsigned int insn_len)
{
	u64 tsc = rdtsc() + vcpu->tsc_offset;

	vmx_reg_write(vcpu, VMX_RAX, 4, tsc);
	vmx_reg_write(vcpu, VMX_RDX, 4, tsc >> 32);
	vmx_reg_write(vcpu, VMX_RCX, 4, vcpu->tsc_aux);
	vmx_skip_insn(vcpu, insn_len);
	return 1;
}

static int fetch(struct vmx_vcpu *vcpu, u8 *buf, int len)
{
	u64 la = vmx_seg_base(vcpu, 1) + vcpu->rip;

	return vmx_read_linear(vcpu, la, buf, len);
}

/*
 * MOV to/from DRn, intercepted so the guest never reaches host DR0-3.
 * @to_dr: a write; @reg: the GPR; @len: instruction length.
 */
int vmx_mov_dr(struct vmx_vcpu *vcpu, bool to_dr, int dr, int reg,
	       unsigned int len)
{
	bool wide = vmx_cpu_mode(vcpu) == 64;

	if (dr == 4 || dr == 5) {
		if (vmx_ops->get_cr4(vcpu) & X86_CR4_DE) {
			vmx_inject_ud(vcpu);
			return 1;
		}
		dr += 2;
	}
	if (dr > 7) {
		vmx_inject_ud(vcpu);
		return 1;
	}
	if (vmx_ops->get_cpl(vcpu)) {
		vmx_inject_gp(vcpu);
		return 1;
	}
	if (!to_dr) {
		u64 v = dr < 4 ? vcpu->dr[dr] : vmx_ops->get_dr(vcpu, dr);

		vmx_reg_write(vcpu, reg, wide ? 8 : 4, v);
	} else {
		u64 v = vcpu->regs[reg];

		if (!wide)
			v = (u32)v;
		if (dr >= 6 && (v >> 32)) {
			vmx_inject_gp(vcpu);
			return 1;
		}
		if (dr < 4)
			vcpu->dr[dr] = v;
		else
			vmx_ops->set_dr(vcpu, dr, v);
	}
	vmx_skip_insn(vcpu, len);
	return 1;
}

/* MOV DR without decode assists: decode the instruction ourselves. */
int vmx_emulate_mov_dr(struct vmx_vcpu *vcpu)
{
	struct x86_insn in;
	u8 buf[16] = {};

	if (fetch(vcpu, buf, 15) && fetch(vcpu, buf, 4))
		return vmx_exit_internal(vcpu, KVM_INTERNAL_ERROR_EMULATION,
					 0, NULL);
	if (x86_decode(buf, 15, vmx_cpu_mode(vcpu), &in) ||
	    (in.op != X86_OP_MOV_FROM_DR && in.op != X86_OP_MOV_TO_DR)) {
		u64 d[2];

		memcpy(d, buf, sizeof(d));
		return vmx_exit_internal(vcpu, KVM_INTERNAL_ERROR_EMULATION,
					 2, d);
	}
	return vmx_mov_dr(vcpu, in.op == X86_OP_MOV_TO_DR, in.dr, in.reg,
			  in.len);
}

/* VMCALL/VMMCALL: no hypercalls are defined yet; answer like KVM does. */
int vmx_hypercall(struct vmx_vcpu *vcpu, unsigned int insn_len)
{
	long ret = vmx_ops->get_cpl(vcpu) ? -1L /* -KVM_EPERM */ :
					    -1000L /* -KVM_ENOSYS */;

	vmx_reg_write(vcpu, VMX_RAX, vmx_cpu_mode(vcpu) == 64 ? 8 : 4, ret);
	vmx_skip_insn(vcpu, insn_len);
	return 1;
}
