// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VT-x backend: load-time checks, VMXON per CPU, VMCS life cycle
 * across CPUs, and the world switch.  VMCS contents are in vtx_vmcs.c,
 * exits in vtx_exit.c.
 */
#define pr_fmt(fmt) "vmx: vt-x: " fmt

#include <linux/module.h>
#include <linux/bitmap.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/apic.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vtx.h"

struct vtx_config vtx_cfg;

u32 vtx_autoload_index[AL_NR] = {
	[AL_STAR] = MSR_STAR, [AL_LSTAR] = MSR_LSTAR, [AL_CSTAR] = MSR_CSTAR,
	[AL_SFMASK] = MSR_SYSCALL_MASK, [AL_KGSBASE] = MSR_KERNEL_GS_BASE,
	[AL_TSC_AUX] = MSR_TSC_AUX,
};

/* Per CPU: the VMXON region and the VMCSs active on this CPU. */
struct vtx_cpu {
	void *vmxon;
	struct list_head loaded;
	struct vtx_vcpu *current_vmcs;
};
static DEFINE_PER_CPU(struct vtx_cpu, vtx_cpu);

#define VPID_MAX 0xffff
static DECLARE_BITMAP(vpid_map, VPID_MAX + 1);
static DEFINE_SPINLOCK(vpid_lock);

/* Combine required and wanted controls with what the CPU allows. */
static int adjust_ctls(u32 need, u32 want, u32 msr, u32 *out)
{
	u32 lo, hi;

	rdmsr(msr, lo, hi);
	if (need & ~hi)
		return -EIO;
	*out = ((need | want) & hi) | lo;
	return 0;
}

static int vtx_probe_ctls(u64 basic)
{
	bool t = basic & VTX_BASIC_TRUE_CTLS;
	int r;

	r = adjust_ctls(PIN_EXT_INTR_EXITING | PIN_NMI_EXITING,
			PIN_VIRTUAL_NMIS,
			t ? VTX_MSR_TRUE_PINBASED_CTLS : VTX_MSR_PINBASED_CTLS,
			&vtx_cfg.pin);
	r = r ?: adjust_ctls(CPU_HLT_EXITING | CPU_MWAIT_EXITING |
			     CPU_RDPMC_EXITING | CPU_CR8_LOAD_EXITING |
			     CPU_CR8_STORE_EXITING | CPU_MOV_DR_EXITING |
			     CPU_UNCOND_IO_EXITING | CPU_MONITOR_EXITING |
			     CPU_USE_TSC_OFFSETTING | CPU_SECONDARY_CONTROLS, 0,
			     t ? VTX_MSR_TRUE_PROCBASED_CTLS :
				 VTX_MSR_PROCBASED_CTLS, &vtx_cfg.cpu);
	r = r ?: adjust_ctls(CPU2_ENABLE_EPT | CPU2_ENABLE_VPID |
			     CPU2_UNRESTRICTED_GUEST,
			     CPU2_ENABLE_RDTSCP | CPU2_ENABLE_INVPCID,
			     VTX_MSR_PROCBASED_CTLS2, &vtx_cfg.cpu2);
	r = r ?: adjust_ctls(EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_IA32_PAT |
			     EXIT_LOAD_IA32_PAT | EXIT_SAVE_IA32_EFER |
			     EXIT_LOAD_IA32_EFER, EXIT_SAVE_DEBUG_CONTROLS,
			     t ? VTX_MSR_TRUE_EXIT_CTLS : VTX_MSR_EXIT_CTLS,
			     &vtx_cfg.exit);
	r = r ?: adjust_ctls(ENTRY_LOAD_IA32_PAT | ENTRY_LOAD_IA32_EFER,
			     ENTRY_LOAD_DEBUG_CONTROLS,
			     t ? VTX_MSR_TRUE_ENTRY_CTLS : VTX_MSR_ENTRY_CTLS,
			     &vtx_cfg.entry);
	if (r) {
		pr_err("CPU lacks required VMX controls (EPT, VPID, unrestricted guest, EFER/PAT switching)\n");
		return -ENODEV;
	}
	/* Without TRUE controls CR3 exiting may be forced on: we do not
	 * handle CR3 exits, so refuse rather than misbehave.
	 */
	if (vtx_cfg.cpu & (CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING)) {
		pr_err("CPU forces CR3 exiting; not supported\n");
		return -ENODEV;
	}
	vtx_cfg.entry &= ~ENTRY_IA32E_MODE;	/* set per vCPU from EFER.LMA */
	return 0;
}

static int vtx_probe(void)
{
	u64 feat, basic, cap;
	int i;

	BUILD_BUG_ON(HOST_RSP != 0x6c14);	/* used by vtx_entry.S */
	if (!boot_cpu_has(X86_FEATURE_VMX)) {
		pr_err("Intel VT-x (VMX) is not available on this CPU\n");
		return -ENODEV;
	}
	rdmsrl(VTX_MSR_FEATURE_CONTROL, feat);
	if ((feat & VTX_FEAT_LOCKED) && !(feat & VTX_FEAT_VMX_OUTSIDE_SMX)) {
		pr_err("VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked)\n");
		return -EIO;
	}
	rdmsrl(VTX_MSR_BASIC, basic);
	vtx_cfg.revision = basic & VTX_BASIC_REVISION_MASK;
	vtx_cfg.vmcs_size = (basic >> VTX_BASIC_SIZE_SHIFT) & VTX_BASIC_SIZE_MASK;
	vtx_cfg.inout_info = basic & VTX_BASIC_INOUT;
	if (vtx_cfg.vmcs_size > PAGE_SIZE ||
	    ((basic >> VTX_BASIC_MEMTYPE_SHIFT) & 0xf) != VTX_BASIC_MEMTYPE_WB) {
		pr_err("unsupported VMCS size or memory type (IA32_VMX_BASIC 0x%llx)\n",
		       basic);
		return -ENODEV;
	}
	if (vtx_probe_ctls(basic))
		return -ENODEV;
	rdmsrl(VTX_MSR_EPT_VPID_CAP, cap);
	vtx_cfg.ept_vpid_cap = cap;
	if (!(cap & EPT_CAP_WALK4) || !(cap & EPT_CAP_WB) ||
	    !(cap & EPT_CAP_INVEPT) ||
	    !(cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
		pr_err("EPT lacks 4-level walks, WB memory or INVEPT (cap 0x%llx)\n",
		       cap);
		return -ENODEV;
	}
	rdmsrl(VTX_MSR_CR0_FIXED0, vtx_cfg.cr0_fixed0);
	rdmsrl(VTX_MSR_CR0_FIXED1, vtx_cfg.cr0_fixed1);
	rdmsrl(VTX_MSR_CR4_FIXED0, vtx_cfg.cr4_fixed0);
	rdmsrl(VTX_MSR_CR4_FIXED1, vtx_cfg.cr4_fixed1);
	vtx_cfg.has_debugctl = !rdmsrl_safe(MSR_IA32_DEBUGCTLMSR, &feat);
	rdmsrl(MSR_IA32_CR_PAT, vtx_cfg.host_pat);
	rdmsrl(MSR_EFER, vtx_cfg.host_efer);
	for (i = 0; i < AL_NR; i++)
		if (i != AL_KGSBASE && i != AL_TSC_AUX)
			rdmsrl(vtx_autoload_index[i], vtx_cfg.host_msr[i]);
	__set_bit(0, vpid_map);		/* VPID 0 is the host's */
	return 0;
}

static void vtx_unsetup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vtx_cpu *vc = per_cpu_ptr(&vtx_cpu, cpu);

		free_page((unsigned long)vc->vmxon);
		vc->vmxon = NULL;
	}
}

static int vtx_setup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vtx_cpu *vc = per_cpu_ptr(&vtx_cpu, cpu);
		struct page *p = alloc_pages_node(cpu_to_node(cpu),
						  GFP_KERNEL | __GFP_ZERO, 0);

		if (!p) {
			vtx_unsetup();
			return -ENOMEM;
		}
		vc->vmxon = page_address(p);
		*(u32 *)vc->vmxon = vtx_cfg.revision;
		INIT_LIST_HEAD(&vc->loaded);
	}
	return 0;
}

static int vtx_cpu_enable(void)
{
	struct vtx_cpu *vc = this_cpu_ptr(&vtx_cpu);
	u64 feat;

	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_err_ratelimited("CR4.VMXE already set on CPU %d: another hypervisor (kvm_intel?) owns VMX\n",
				   smp_processor_id());
		return -EBUSY;
	}
	rdmsrl(VTX_MSR_FEATURE_CONTROL, feat);
	if (!(feat & VTX_FEAT_LOCKED)) {
		/* Unlocked by the firmware: enable and lock, like Linux. */
		feat |= VTX_FEAT_LOCKED | VTX_FEAT_VMX_OUTSIDE_SMX;
		wrmsrl(VTX_MSR_FEATURE_CONTROL, feat);
	}
	if (!(feat & VTX_FEAT_VMX_OUTSIDE_SMX))
		return -EIO;
	cr4_set_bits(X86_CR4_VMXE);
	if (vtx_vmxon(virt_to_phys(vc->vmxon))) {
		cr4_clear_bits(X86_CR4_VMXE);
		pr_err_ratelimited("VMXON failed on CPU %d\n", smp_processor_id());
		return -EIO;
	}
	if (vtx_cfg.ept_vpid_cap & EPT_CAP_INVEPT_ALL)
		vtx_invept(2, 0);
	return 0;
}

static void vmcs_clear_local(struct vtx_vcpu *vtx)
{
	struct vtx_cpu *vc = this_cpu_ptr(&vtx_cpu);

	vtx_vmclear(vtx->vmcs_pa);
	if (vc->current_vmcs == vtx)
		vc->current_vmcs = NULL;
	list_del(&vtx->loaded_link);
	vtx->launched = false;
	/* Another CPU may VMPTRLD it as soon as it sees -1. */
	smp_store_release(&vtx->loaded_cpu, -1);
}

static void vtx_cpu_disable(void)
{
	struct vtx_cpu *vc = this_cpu_ptr(&vtx_cpu);
	struct vtx_vcpu *vtx, *tmp;

	list_for_each_entry_safe(vtx, tmp, &vc->loaded, loaded_link)
		vmcs_clear_local(vtx);
	vtx_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
}

static void vmcs_clear_ipi(void *arg)
{
	struct vtx_vcpu *vtx = arg;
	unsigned long flags;

	local_irq_save(flags);
	if (READ_ONCE(vtx->loaded_cpu) == smp_processor_id())
		vmcs_clear_local(vtx);
	local_irq_restore(flags);
}

/* VMCLEAR the VMCS wherever it is active, so it can move. */
static void vmcs_clear_remote(struct vtx_vcpu *vtx)
{
	int cpu = READ_ONCE(vtx->loaded_cpu);

	if (cpu >= 0)
		smp_call_function_single(cpu, vmcs_clear_ipi, vtx, 1);
}

/* Make @vtx's VMCS current on @cpu (this CPU, preemption off). */
void vtx_load_vmcs(struct vtx_vcpu *vtx, int cpu)
{
	struct vtx_cpu *vc = this_cpu_ptr(&vtx_cpu);
	unsigned long flags;

	/* Pairs with the release in vmcs_clear_local() on the old CPU. */
	if (smp_load_acquire(&vtx->loaded_cpu) != cpu) {
		vmcs_clear_remote(vtx);
		local_irq_save(flags);
		list_add(&vtx->loaded_link, &vc->loaded);
		WRITE_ONCE(vtx->loaded_cpu, cpu);
		local_irq_restore(flags);
		vc->current_vmcs = NULL;
	}
	if (vc->current_vmcs != vtx) {
		if (vtx_vmptrld(vtx->vmcs_pa))
			pr_err_ratelimited("VMPTRLD failed: error %u\n",
					   vtx_insn_error());
		vc->current_vmcs = vtx;
		vtx_refresh_host_cpu_state(vtx, cpu);
	}
}

/*
 * The thread's user FS base and KERNEL_GS_BASE cannot change while it is
 * in a vCPU ioctl, so read them when it gets a CPU, not on every entry.
 */
static void vtx_vcpu_load(struct vmx_vcpu *vcpu, int cpu)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);
	unsigned long fs;

	vtx_load_vmcs(vtx, cpu);
	rdmsrl(MSR_FS_BASE, fs);
	if (fs != vtx->host_fs_base) {
		vmcs_write(HOST_FS_BASE, fs);
		vtx->host_fs_base = fs;
	}
	rdmsrl(MSR_KERNEL_GS_BASE, vtx->host_msrs[AL_KGSBASE].value);
}

static int vpid_alloc(void)
{
	int v;

	spin_lock(&vpid_lock);
	v = find_first_zero_bit(vpid_map, VPID_MAX + 1);
	if (v <= VPID_MAX)
		__set_bit(v, vpid_map);
	spin_unlock(&vpid_lock);
	return v <= VPID_MAX ? v : -ENOSPC;
}

static void vpid_free(int v)
{
	spin_lock(&vpid_lock);
	__clear_bit(v, vpid_map);
	spin_unlock(&vpid_lock);
}

static int vtx_vcpu_init(struct vmx_vcpu *vcpu)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);
	struct page *vmcs, *msrs;
	int vpid, i;

	vpid = vpid_alloc();
	if (vpid < 0)
		return vpid;
	vmcs = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	msrs = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vmcs || !msrs) {
		if (vmcs)
			__free_page(vmcs);
		vpid_free(vpid);
		return -ENOMEM;
	}
	vtx->vpid = vpid;
	vtx->vmcs = page_address(vmcs);
	vtx->vmcs_pa = page_to_phys(vmcs);
	*(u32 *)vtx->vmcs = vtx_cfg.revision;
	vtx->guest_msrs = page_address(msrs);
	vtx->host_msrs = vtx->guest_msrs + AL_NR;
	for (i = 0; i < AL_NR; i++) {
		vtx->guest_msrs[i].index = vtx_autoload_index[i];
		vtx->host_msrs[i].index = vtx_autoload_index[i];
		vtx->host_msrs[i].value = vtx_cfg.host_msr[i];
	}
	vtx->loaded_cpu = -1;
	INIT_LIST_HEAD(&vtx->loaded_link);
	/* A new VMCS must be cleared once before its first VMPTRLD. */
	return vtx_vmclear(vtx->vmcs_pa) ? -EIO : 0;
}

static void vtx_vcpu_destroy(struct vmx_vcpu *vcpu)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);

	vmcs_clear_remote(vtx);
	free_page((unsigned long)vtx->vmcs);
	free_page((unsigned long)vtx->guest_msrs);
	vpid_free(vtx->vpid);
}

static void inject(const struct vmx_event *ev)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, ev->vector |
		   (ev->type << INTR_INFO_TYPE_SHIFT) | INTR_INFO_VALID |
		   (ev->has_error ? INTR_INFO_DELIVER_CODE : 0));
	if (ev->has_error)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, ev->error);
}

/* An event whose delivery the exit interrupted must be delivered again. */
static void save_idt_vectoring(struct vmx_vcpu *vcpu)
{
	u32 info = vmcs_read(IDT_VECTORING_INFO_FIELD);
	u8 type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	if (!(info & INTR_INFO_VALID))
		return;
	/* Software events re-execute: RIP still points at the INTn. */
	if (type >= INTR_TYPE_SOFT_INTR)
		return;
	vcpu->reinject = (struct vmx_event){
		.pending = true, .type = type,
		.vector = info & INTR_INFO_VECTOR_MASK,
		.has_error = info & INTR_INFO_DELIVER_CODE,
		.error = (info & INTR_INFO_DELIVER_CODE) ?
			 vmcs_read(IDT_VECTORING_ERROR_CODE) : 0,
	};
}

/* Drop guest-physical and combined mappings of this vCPU on this CPU. */
static void vtx_flush(struct vtx_vcpu *vtx)
{
	u64 eptp = vmcs_read(EPT_POINTER);
	u64 cap = vtx_cfg.ept_vpid_cap;

	if (cap & EPT_CAP_INVEPT_SINGLE)
		vtx_invept(1, eptp);
	else
		vtx_invept(2, 0);
	if (cap & VPID_CAP_INVVPID_SINGLE)
		vtx_invvpid(1, vtx->vpid, 0);
	else if (cap & VPID_CAP_INVVPID_ALL)
		vtx_invvpid(2, 0, 0);
}

/* CR3 and CR4 can change under a running thread (PCID, CR4.PCE): check. */
static void refresh_host_cr3_cr4(struct vtx_vcpu *vtx)
{
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow();

	if (cr3 != vtx->host_cr3) {
		vmcs_write(HOST_CR3, cr3);
		vtx->host_cr3 = cr3;
	}
	if (cr4 != vtx->host_cr4) {
		vmcs_write(HOST_CR4, cr4);
		vtx->host_cr4 = cr4;
	}
}

static int vtx_vcpu_enter(struct vmx_vcpu *vcpu)
{
	struct vtx_vcpu *vtx = to_vtx(vcpu);
	u16 ds, es, ldt;
	u64 hxcr0 = 0, debugctl;
	int cpu = smp_processor_id(), fail;

	vmcs_write(GUEST_RSP, vcpu->regs[VMX_RSP]);
	vmcs_write(GUEST_RIP, vcpu->rip);
	vmcs_write(GUEST_RFLAGS, vcpu->rflags);
	vmcs_write(TSC_OFFSET, vcpu->tsc_offset);
	vtx->guest_msrs[AL_TSC_AUX].value = vcpu->tsc_aux;
	refresh_host_cr3_cr4(vtx);
	if (vcpu->flush_tlb) {
		vtx_flush(vtx);
		vcpu->flush_tlb = false;
	}
	/* With virtual NMIs the CPU blocks NMIs as it delivers one. */
	if (vcpu->inject.pending) {
		inject(&vcpu->inject);
		vcpu->inject.pending = false;
	}

	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		hxcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		if (hxcr0 != vcpu->xcr0)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu->xcr0);
	}
	/* VM exits reset DS/ES/LDTR and IA32_DEBUGCTL; keep the host's. */
	savesegment(ds, ds);
	savesegment(es, es);
	asm volatile("sldt %0" : "=r"(ldt));
	debugctl = vtx_cfg.has_debugctl ? get_debugctlmsr() : 0;
	if (native_read_cr2() != vtx->cr2)
		native_write_cr2(vtx->cr2);

	fail = __vtx_vmentry(vcpu->regs, vtx->launched);

	vtx->cr2 = native_read_cr2();
	if (ds)
		loadsegment(ds, ds);
	if (es)
		loadsegment(es, es);
	if (ldt)
		asm volatile("lldt %0" :: "r"(ldt));
	/* VM exits set the GDT limit to 0xffff and TR's to 0x67. */
	load_fixmap_gdt(cpu);
	invalidate_tss_limit();
	if (debugctl)
		update_debugctlmsr(debugctl);
	if (hxcr0 && hxcr0 != vcpu->xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, hxcr0);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();

	vtx->entry_failed = fail;
	if (fail)
		return 0;
	vtx->launched = true;
	vtx->exit_reason = vmcs_read(VM_EXIT_REASON);
	vcpu->regs[VMX_RSP] = vmcs_read(GUEST_RSP);
	vcpu->rip = vmcs_read(GUEST_RIP);
	vcpu->rflags = vmcs_read(GUEST_RFLAGS);
	if (vtx->exit_reason & EXIT_REASON_ENTRY_FAIL)
		return 0;
	save_idt_vectoring(vcpu);
	/* NMI exiting consumed a host NMI: raise it again for the host. */
	if (EXIT_REASON_BASIC(vtx->exit_reason) == EXIT_EXCEPTION_NMI &&
	    ((vmcs_read(VM_EXIT_INTR_INFO) & INTR_INFO_TYPE_MASK) >>
	     INTR_INFO_TYPE_SHIFT) == INTR_TYPE_NMI)
		apic->send_IPI_self(NMI_VECTOR);
	return 0;
}

static u64 vtx_get_cr3(struct vmx_vcpu *vcpu)
{
	return vmcs_read(GUEST_CR3);
}

static int vtx_get_cpl(struct vmx_vcpu *vcpu)
{
	if (!(vtx_get_cr0(vcpu) & X86_CR0_PE))
		return 0;
	return (vmcs_read(GUEST_ES_AR_BYTES + 2 * 2) >> 5) & 3;	/* SS.DPL */
}

static bool vtx_get_intr_shadow(struct vmx_vcpu *vcpu)
{
	return vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
	       (GUEST_INTR_STI | GUEST_INTR_MOV_SS);
}

static void vtx_set_intr_shadow(struct vmx_vcpu *vcpu, bool on)
{
	u64 v = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	v &= ~(u64)(GUEST_INTR_STI | GUEST_INTR_MOV_SS);
	if (on)
		v |= GUEST_INTR_MOV_SS;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, v);
}

static void vtx_enable_irq_window(struct vmx_vcpu *vcpu)
{
	vtx_set_cpu_ctl(to_vtx(vcpu), CPU_INTR_WINDOW_EXITING, true);
}

static void vtx_enable_nmi_window(struct vmx_vcpu *vcpu)
{
	if (vtx_cfg.pin & PIN_VIRTUAL_NMIS)
		vtx_set_cpu_ctl(to_vtx(vcpu), CPU_NMI_WINDOW_EXITING, true);
}

/* Without virtual NMIs nothing tracks the guest's NMI blocking: such a
 * CPU never gets NMIs injected.
 */
static bool vtx_get_nmi_mask(struct vmx_vcpu *vcpu)
{
	if (!(vtx_cfg.pin & PIN_VIRTUAL_NMIS))
		return true;
	return vmcs_read(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_NMI;
}

static void vtx_set_nmi_mask(struct vmx_vcpu *vcpu, bool masked)
{
	u64 v = vmcs_read(GUEST_INTERRUPTIBILITY_INFO) & ~(u64)GUEST_INTR_NMI;

	if (!(vtx_cfg.pin & PIN_VIRTUAL_NMIS))
		return;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, v | (masked ? GUEST_INTR_NMI : 0));
}

static u64 vtx_get_dr(struct vmx_vcpu *vcpu, int n)
{
	return n == 7 ? vmcs_read(GUEST_DR7) : vcpu->dr6;
}

static void vtx_set_dr(struct vmx_vcpu *vcpu, int n, u64 val)
{
	if (n == 7)
		vmcs_write(GUEST_DR7, (val & 0xffffffffULL) | 0x400);
	else
		vcpu->dr6 = (val & 0xffffefffULL) | 0xffff0ff0ULL;
}

static u64 vtx_ept_table_entry(phys_addr_t pa)
{
	return pa | EPT_R | EPT_W | EPT_X;
}

static u64 vtx_ept_leaf_entry(phys_addr_t pa, bool writable)
{
	return pa | EPT_R | EPT_X | EPT_MT_WB | (writable ? EPT_W : 0);
}

const struct vmx_backend vmx_vtx_backend = {
	.name = "Intel VT-x",
	.probe = vtx_probe,
	.setup = vtx_setup,
	.unsetup = vtx_unsetup,
	.cpu_enable = vtx_cpu_enable,
	.cpu_disable = vtx_cpu_disable,
	.vm_size = sizeof(struct vmx_vm),
	.vcpu_size = sizeof(struct vtx_vcpu),
	.vcpu_init = vtx_vcpu_init,
	.vcpu_destroy = vtx_vcpu_destroy,
	.vcpu_reset = vtx_vcpu_reset,
	.vcpu_load = vtx_vcpu_load,
	.vcpu_enter = vtx_vcpu_enter,
	.handle_exit = vtx_handle_exit,
	.get_sregs = vtx_get_sregs,
	.set_sregs = vtx_set_sregs,
	.get_segment = vtx_get_segment,
	.get_cr0 = vtx_get_cr0,
	.get_cr3 = vtx_get_cr3,
	.get_cr4 = vtx_get_cr4,
	.get_efer = vtx_get_efer,
	.get_cpl = vtx_get_cpl,
	.get_intr_shadow = vtx_get_intr_shadow,
	.set_intr_shadow = vtx_set_intr_shadow,
	.enable_irq_window = vtx_enable_irq_window,
	.enable_nmi_window = vtx_enable_nmi_window,
	.get_nmi_mask = vtx_get_nmi_mask,
	.set_nmi_mask = vtx_set_nmi_mask,
	.get_msr = vtx_get_msr,
	.set_msr = vtx_set_msr,
	.get_dr = vtx_get_dr,
	.set_dr = vtx_set_dr,
	.npt_table_entry = vtx_ept_table_entry,
	.npt_leaf_entry = vtx_ept_leaf_entry,
	.npt_present_mask = EPT_R | EPT_W | EPT_X,
};
