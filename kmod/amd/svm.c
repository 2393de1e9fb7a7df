// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM backend: load-time checks, per-CPU enable, vCPU set-up and the
 * world switch around VMRUN.  Exits are in svm_exit.c, VMCB state in
 * svm_vmcb.c.
 */
#define pr_fmt(fmt) "vmx: svm: " fmt

#include <linux/module.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/irq_work.h>
#include <linux/mem_encrypt.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>

#include "svm.h"

struct svm_caps svm_caps;
phys_addr_t svm_iopm_pa, svm_msrpm_pa;

/* With SME on, every address SVM is given carries the C-bit. */
static phys_addr_t svm_pa(struct page *p)
{
	return __sme_set(page_to_phys(p));
}

static struct page *iopm_pages, *msrpm_pages;

/*
 * Per CPU: the host save area VMRUN uses, our VMSAVE of host state, and
 * the ASID allocator.  ASIDs are few (16 under QEMU), so each CPU hands
 * them out per generation and flushes everything when it starts anew.
 */
struct svm_cpu {
	struct page *hsave;
	struct page *host_vmsave;
	u64 asid_gen;
	u32 next_asid;
};
static DEFINE_PER_CPU(struct svm_cpu, svm_cpu);

/* Nothing to do: the self-IPI it raises is what we want (see below). */
static void svm_kick_fn(struct irq_work *w)
{
}

static DEFINE_PER_CPU(struct irq_work, svm_kick);

/* QEMU's TCG names itself in the hypervisor CPUID leaf. */
static bool host_is_qemu_tcg(void)
{
	u32 eax, sig[3];

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(0x40000000, &eax, &sig[0], &sig[1], &sig[2]);
	return !memcmp(sig, "TCGTCGTCGTCG", sizeof(sig));
}

static int svm_probe(void)
{
	u32 eax, ebx, ecx, edx;
	u64 vm_cr;

	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		pr_err("AMD-V (SVM) is not available on this CPU\n");
		return -ENODEV;
	}
	rdmsrl(SVM_MSR_VM_CR, vm_cr);
	if (vm_cr & SVM_VM_CR_SVMDIS) {
		pr_err("SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		return -EIO;
	}
	cpuid(0x8000000a, &eax, &ebx, &ecx, &edx);
	if (!(edx & SVM_FEAT_NPT)) {
		pr_err("nested paging (NPT) is required but not available\n");
		return -ENODEV;
	}
	svm_caps.max_asid = ebx;
	svm_caps.nrips = edx & SVM_FEAT_NRIPS;
	svm_caps.flush_by_asid = edx & SVM_FEAT_FLUSHBYASID;
	svm_caps.decode_assists = edx & SVM_FEAT_DECODEASSISTS;
	if (svm_caps.max_asid < 2) {
		pr_err("no guest ASIDs available\n");
		return -ENODEV;
	}
	svm_caps.tcg_evtinj_quirk = host_is_qemu_tcg();
	if (svm_caps.tcg_evtinj_quirk) {
		int cpu;

		for_each_possible_cpu(cpu)
			init_irq_work(per_cpu_ptr(&svm_kick, cpu), svm_kick_fn);
		pr_info("host is QEMU TCG: each injected interrupt is followed by an exit\n");
	}
	return 0;
}

static void svm_unsetup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sc = per_cpu_ptr(&svm_cpu, cpu);

		/* No kick may still run our (empty) function after unload. */
		if (svm_caps.tcg_evtinj_quirk)
			irq_work_sync(per_cpu_ptr(&svm_kick, cpu));
		if (sc->hsave)
			__free_page(sc->hsave);
		if (sc->host_vmsave)
			__free_page(sc->host_vmsave);
		sc->hsave = sc->host_vmsave = NULL;
	}
	if (iopm_pages)
		__free_pages(iopm_pages, get_order(SVM_IOPM_SIZE));
	if (msrpm_pages)
		__free_pages(msrpm_pages, get_order(SVM_MSRPM_SIZE));
	iopm_pages = msrpm_pages = NULL;
}

static int svm_setup(void)
{
	int cpu;

	/* All ports and all MSRs intercepted: one shared pair of maps. */
	iopm_pages = alloc_pages(GFP_KERNEL, get_order(SVM_IOPM_SIZE));
	msrpm_pages = alloc_pages(GFP_KERNEL, get_order(SVM_MSRPM_SIZE));
	if (!iopm_pages || !msrpm_pages)
		goto nomem;
	memset(page_address(iopm_pages), 0xff,
	       PAGE_SIZE << get_order(SVM_IOPM_SIZE));
	memset(page_address(msrpm_pages), 0xff,
	       PAGE_SIZE << get_order(SVM_MSRPM_SIZE));
	svm_iopm_pa = svm_pa(iopm_pages);
	svm_msrpm_pa = svm_pa(msrpm_pages);

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sc = per_cpu_ptr(&svm_cpu, cpu);

		sc->hsave = alloc_pages_node(cpu_to_node(cpu),
					     GFP_KERNEL | __GFP_ZERO, 0);
		sc->host_vmsave = alloc_pages_node(cpu_to_node(cpu),
						   GFP_KERNEL | __GFP_ZERO, 0);
		if (!sc->hsave || !sc->host_vmsave)
			goto nomem;
		sc->asid_gen = 1;
		sc->next_asid = 1;
	}
	return 0;
nomem:
	svm_unsetup();
	return -ENOMEM;
}

static int svm_cpu_enable(void)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err_ratelimited("EFER.SVME already set on CPU %d: another hypervisor (kvm_amd?) owns SVM\n",
				   smp_processor_id());
		return -EBUSY;
	}
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(SVM_MSR_VM_HSAVE_PA, svm_pa(this_cpu_ptr(&svm_cpu)->hsave));
	return 0;
}

static void svm_cpu_disable(void)
{
	u64 efer;

	wrmsrl(SVM_MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	if (!(efer & EFER_SVME))
		return;
	/*
	 * Clearing SVME leaves GIF as it is, and STGI #UDs from then on:
	 * set it now, as Linux's own cpu_svm_disable() does, so that no
	 * CLGI left unpaired keeps interrupts and NMIs off for good.
	 */
	asm volatile("stgi" ::: "memory");
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}

static int svm_vcpu_init(struct vmx_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct page *p;

	p = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!p)
		return -ENOMEM;
	svm->asid_cpu = -1;
	svm->vmcb = page_address(p);
	svm->vmcb_pa = svm_pa(p);
	return 0;
}

static void svm_vcpu_destroy(struct vmx_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	free_page((unsigned long)svm->vmcb);
}

static void svm_vcpu_load(struct vmx_vcpu *vcpu, int cpu)
{
	/* Nothing is cached per CPU: VMLOAD/VMSAVE run on every entry. */
}

/* Give the vCPU an ASID valid on this CPU; returns the TLB control. */
static u8 svm_pick_asid(struct svm_vcpu *svm, int cpu)
{
	struct svm_cpu *sc = this_cpu_ptr(&svm_cpu);
	u8 tlb = 0;

	if (svm->asid_cpu == cpu && svm->asid_gen == sc->asid_gen)
		return 0;
	if (sc->next_asid >= svm_caps.max_asid) {
		sc->asid_gen++;
		sc->next_asid = 1;
		tlb = SVM_TLB_FLUSH_ALL;
	}
	svm->asid = sc->next_asid++;
	svm->asid_gen = sc->asid_gen;
	svm->asid_cpu = cpu;
	svm->vmcb->control.asid = svm->asid;
	return tlb;
}

static void inject(struct vmcb *vmcb, const struct vmx_event *ev)
{
	vmcb->control.event_inj = ev->vector |
		(ev->type << SVM_EVTINJ_TYPE_SHIFT) | SVM_EVTINJ_VALID |
		(ev->has_error ? SVM_EVTINJ_VALID_ERR |
				 ((u64)ev->error << 32) : 0);
}

/* An event whose delivery the exit interrupted must be delivered again. */
static void save_exit_int_info(struct vmx_vcpu *vcpu, u64 info)
{
	u8 type = (info & SVM_EVTINJ_TYPE_MASK) >> SVM_EVTINJ_TYPE_SHIFT;
	u8 vec = info & SVM_EVTINJ_VEC_MASK;

	if (!(info & SVM_EVTINJ_VALID))
		return;
	/* INTn, INT3 and INTO re-execute: RIP still points at them. */
	if (type == VMX_EV_SOFTINT ||
	    (type == VMX_EV_EXCEPTION && (vec == 3 || vec == 4)))
		return;
	vcpu->reinject = (struct vmx_event){
		.pending = true, .type = type, .vector = vec,
		.has_error = info & SVM_EVTINJ_VALID_ERR,
		.error = info >> 32,
	};
}

static int svm_vcpu_enter(struct vmx_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	phys_addr_t host = svm_pa(this_cpu_ptr(&svm_cpu)->host_vmsave);
	u64 hxcr0 = 0;

	vmcb->save.rax = vcpu->regs[VMX_RAX];
	vmcb->save.rsp = vcpu->regs[VMX_RSP];
	vmcb->save.rip = vcpu->rip;
	vmcb->save.rflags = vcpu->rflags;
	vmcb->control.tsc_offset = vcpu->tsc_offset;
	vmcb->control.tlb_ctl = svm_pick_asid(svm, smp_processor_id());
	if (vcpu->flush_tlb && !vmcb->control.tlb_ctl)
		vmcb->control.tlb_ctl = svm_caps.flush_by_asid ?
					SVM_TLB_FLUSH_ASID : SVM_TLB_FLUSH_ALL;
	vcpu->flush_tlb = false;
	vmcb->control.event_inj = 0;
	if (vcpu->inject.pending) {
		inject(vmcb, &vcpu->inject);
		/*
		 * QEMU's TCG delivers an EVENTINJ interrupt inside VMRUN but
		 * keeps its vector as the CPU's pending exception, and delivers
		 * it again, IF=0 or not, if the CPU is kicked before the guest's
		 * next exit (irq_once_test; an L2 Linux deadlocked in a nested
		 * handle_edge_irq()).  A host interrupt pending at VMRUN makes
		 * that exit come right after the delivery, before any kick.
		 */
		if (svm_caps.tcg_evtinj_quirk &&
		    vcpu->inject.type == VMX_EV_EXTINT)
			irq_work_queue(this_cpu_ptr(&svm_kick));
		vcpu->inject.pending = false;
		if (vcpu->inject.type == VMX_EV_NMI)
			svm_set_nmi_mask(vcpu, true);
	}
	/* With V_INTR_MASKING the guest's CR8 is V_TPR: keep the APIC's. */
	if (vcpu->apic)
		vmcb->control.int_ctl = (vmcb->control.int_ctl &
					 ~SVM_V_TPR_MASK) |
					vmx_lapic_get_cr8(vcpu);

	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		hxcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		if (hxcr0 != vcpu->xcr0)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu->xcr0);
	}

	/* GIF=0 holds off NMIs while guest FS/GS/TR state is loaded. */
	asm volatile("clgi" ::: "memory");
	asm volatile("vmsave %0" :: "a"(host) : "memory");
	__svm_vmrun(vcpu->regs, svm->vmcb_pa);
	asm volatile("vmload %0" :: "a"(host) : "memory");
	/* The host's XCR0 is back before GIF=1 lets a pending NMI in. */
	if (hxcr0) {
		/*
		 * QEMU's TCG runs a guest's XSETBV without the intercept: keep
		 * what the guest loaded, or its next XRSTOR of a state it
		 * enabled would #GP.
		 */
		u64 gxcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);

		vcpu->xcr0 = gxcr0;
		if (hxcr0 != gxcr0)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, hxcr0);
	}
	asm volatile("stgi" ::: "memory");

	/* #VMEXIT resets DR7; give hardware breakpoints back to the host. */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();

	vcpu->regs[VMX_RAX] = vmcb->save.rax;
	vcpu->regs[VMX_RSP] = vmcb->save.rsp;
	vcpu->rip = vmcb->save.rip;
	vcpu->rflags = vmcb->save.rflags;
	vmcb->control.event_inj = 0;
	save_exit_int_info(vcpu, vmcb->control.exit_int_info);
	if (vcpu->apic && (vmcb->control.int_ctl & SVM_V_TPR_MASK) !=
			  vmx_lapic_get_cr8(vcpu))
		vmx_lapic_set_cr8(vcpu, vmcb->control.int_ctl & SVM_V_TPR_MASK);
	return 0;
}

/* A virtual interrupt request with the lowest priority and TPR ignored:
 * the CPU exits (VINTR) as soon as the guest could take an interrupt.
 */
static void svm_enable_irq_window(struct vmx_vcpu *vcpu)
{
	struct vmcb_control *c = &to_svm(vcpu)->vmcb->control;

	c->int_ctl |= SVM_V_IRQ | (0xfULL << SVM_V_INTR_PRIO_SHIFT) |
		      SVM_V_IGN_TPR;
	c->intercepts[SVM_ICPT_MISC3] |= SVM_I3_VINTR;
}

static void svm_enable_nmi_window(struct vmx_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	/* The IRET intercept (set while masked) is the NMI window; right
	 * after an IRET, the next exit with RIP moved on is.
	 */
	if (svm->iret_pending)
		svm_enable_irq_window(vcpu);
}

static bool svm_get_nmi_mask(struct vmx_vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	if (svm->iret_pending) {
		if (vcpu->rip == svm->iret_rip)
			return true;
		svm->iret_pending = false;
	}
	return svm->nmi_masked;
}

void svm_set_nmi_mask(struct vmx_vcpu *vcpu, bool masked)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	u32 *i3 = &svm->vmcb->control.intercepts[SVM_ICPT_MISC3];

	svm->nmi_masked = masked;
	svm->iret_pending = false;
	if (masked)
		*i3 |= SVM_I3_IRET;
	else
		*i3 &= ~SVM_I3_IRET;
}

static u64 svm_get_cr0(struct vmx_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cr0;
}

static u64 svm_get_cr3(struct vmx_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cr3;
}

static u64 svm_get_cr4(struct vmx_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cr4;
}

static u64 svm_get_efer(struct vmx_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.efer & ~EFER_SVME;
}

static int svm_get_cpl(struct vmx_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cpl;
}

static bool svm_get_intr_shadow(struct vmx_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->control.int_state & 1;
}

static void svm_set_intr_shadow(struct vmx_vcpu *vcpu, bool on)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	vmcb->control.int_state = (vmcb->control.int_state & ~1ULL) | on;
}

static u64 svm_get_dr(struct vmx_vcpu *vcpu, int n)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	return n == 6 ? vmcb->save.dr6 : vmcb->save.dr7;
}

static void svm_set_dr(struct vmx_vcpu *vcpu, int n, u64 val)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	if (n == 6)
		vmcb->save.dr6 = (val & 0xffffefffULL) | 0xffff0ff0ULL;
	else
		vmcb->save.dr7 = (val & 0xffffffffULL) | 0x400;
}

/* NPT entries are ordinary long-mode PTEs; all must be user-accessible. */
#define NPT_P	BIT_ULL(0)
#define NPT_RW	BIT_ULL(1)
#define NPT_US	BIT_ULL(2)
#define NPT_A	BIT_ULL(5)
#define NPT_D	BIT_ULL(6)

static u64 svm_npt_table_entry(phys_addr_t pa)
{
	return __sme_set(pa) | NPT_P | NPT_RW | NPT_US | NPT_A;
}

static u64 svm_npt_leaf_entry(phys_addr_t pa, bool writable)
{
	return __sme_set(pa) | NPT_P | NPT_US | NPT_A |
	       (writable ? NPT_RW | NPT_D : 0);
}

const struct vmx_backend vmx_svm_backend = {
	.name = "AMD SVM",
	.probe = svm_probe,
	.setup = svm_setup,
	.unsetup = svm_unsetup,
	.cpu_enable = svm_cpu_enable,
	.cpu_disable = svm_cpu_disable,
	.vm_size = sizeof(struct vmx_vm),
	.vcpu_size = sizeof(struct svm_vcpu),
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_reset = svm_vcpu_reset,
	.vcpu_load = svm_vcpu_load,
	.vcpu_enter = svm_vcpu_enter,
	.handle_exit = svm_handle_exit,
	.get_sregs = svm_get_sregs,
	.set_sregs = svm_set_sregs,
	.get_segment = svm_get_segment,
	.get_cr0 = svm_get_cr0,
	.get_cr3 = svm_get_cr3,
	.get_cr4 = svm_get_cr4,
	.get_efer = svm_get_efer,
	.get_cpl = svm_get_cpl,
	.get_intr_shadow = svm_get_intr_shadow,
	.set_intr_shadow = svm_set_intr_shadow,
	.enable_irq_window = svm_enable_irq_window,
	.enable_nmi_window = svm_enable_nmi_window,
	.get_nmi_mask = svm_get_nmi_mask,
	.set_nmi_mask = svm_set_nmi_mask,
	.get_msr = svm_get_msr,
	.set_msr = svm_set_msr,
	.get_dr = svm_get_dr,
	.set_dr = svm_set_dr,
	.npt_table_entry = svm_npt_table_entry,
	.npt_leaf_entry = svm_npt_leaf_entry,
	.npt_present_mask = NPT_P,
};
