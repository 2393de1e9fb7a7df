// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU life cycle, the kvm_run mapping and the run loop.
 */
#define pr_fmt(fmt) "vmx: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <asm/fpu/api.h>
#include <asm/special_insns.h>

#include "core.h"

static vm_fault_t run_fault(struct vm_fault *vmf)
{
	struct vmx_vcpu *vcpu = vmf->vma->vm_file->private_data;

	if (vmf->pgoff >= VMX_RUN_MMAP_PAGES)
		return VM_FAULT_SIGBUS;
	vmf->page = vcpu->run_pages[vmf->pgoff];
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct run_vm_ops = {
	.fault = run_fault,
};

static int vcpu_mmap(struct file *f, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff + vma_pages(vma) > VMX_RUN_MMAP_PAGES)
		return -EINVAL;
	vma->vm_ops = &run_vm_ops;
	return 0;
}

static int vcpu_release(struct inode *inode, struct file *f)
{
	struct vmx_vcpu *vcpu = f->private_data;

	vmx_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner = THIS_MODULE,
	.release = vcpu_release,
	.unlocked_ioctl = vmx_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vcpu_mmap,
	.llseek = noop_llseek,
};

/* Called when the VM goes away; no fd refers to @vcpu any more. */
void vmx_vcpu_free(struct vmx_vcpu *vcpu)
{
	int i;

	if (vcpu->apic)
		vmx_lapic_free(vcpu);
	vmx_ops->vcpu_destroy(vcpu);
	vmx_cpuid_free(vcpu);
	fpu_free_guest_fpstate(&vcpu->guest_fpu);
	for (i = 0; i < VMX_RUN_MMAP_PAGES; i++)
		if (vcpu->run_pages[i])
			__free_page(vcpu->run_pages[i]);
	kfree(vcpu);
}

static struct vmx_vcpu *vcpu_alloc(struct vmx_vm *vm, u32 id)
{
	struct vmx_vcpu *vcpu;
	int i;

	vcpu = kzalloc(vmx_ops->vcpu_size, GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->last_cpu = -1;
	vcpu->clock_cpu = -1;
	vcpu->tlb_gen = -1;
	mutex_init(&vcpu->mutex);
	preempt_notifier_init(&vcpu->pn, &vmx_preempt_ops);
	for (i = 0; i < VMX_RUN_MMAP_PAGES; i++) {
		vcpu->run_pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!vcpu->run_pages[i])
			goto fail;
	}
	vcpu->run = page_address(vcpu->run_pages[0]);
	if (!fpu_alloc_guest_fpstate(&vcpu->guest_fpu))
		goto fail;
	if (vmx_ops->vcpu_init(vcpu)) {
		fpu_free_guest_fpstate(&vcpu->guest_fpu);
		goto fail;
	}
	vmx_ops->vcpu_reset(vcpu);
	vmx_msr_reset(vcpu);
	vcpu->xcr0 = XFEATURE_MASK_FP;
	if (vmx_irqchip_in_kernel(vm) && vmx_lapic_create(vcpu)) {
		vmx_ops->vcpu_destroy(vcpu);
		fpu_free_guest_fpstate(&vcpu->guest_fpu);
		goto fail;
	}
	vmx_events_init(vcpu);
	return vcpu;
fail:
	for (i = 0; i < VMX_RUN_MMAP_PAGES; i++)
		if (vcpu->run_pages[i])
			__free_page(vcpu->run_pages[i]);
	kfree(vcpu);
	return NULL;
}

int vmx_create_vcpu(struct vmx_vm *vm, unsigned long id)
{
	struct vmx_vcpu *vcpu;
	struct file *file;
	char name[24];
	int i, fd, r;

	if (id >= VMX_MAX_VCPU_ID)
		return -EINVAL;
	mutex_lock(&vm->lock);
	r = -EINVAL;
	if (vm->nr_vcpus >= VMX_MAX_VCPUS ||
	    (vm->max_vcpu_ids && id >= vm->max_vcpu_ids))
		goto out;
	r = -EEXIST;
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i]->id == id)
			goto out;
	r = -ENOMEM;
	vcpu = vcpu_alloc(vm, id);
	if (!vcpu)
		goto out;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		r = fd;
		goto out_free;
	}
	snprintf(name, sizeof(name), "vmx-vcpu:%lu", id);
	file = anon_inode_getfile(name, &vcpu_fops, vcpu, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		r = PTR_ERR(file);
		goto out_free;
	}
	refcount_inc(&vm->refs);
	vm->vcpus[vm->nr_vcpus] = vcpu;
	smp_wmb();	/* publish the pointer before the count */
	WRITE_ONCE(vm->nr_vcpus, vm->nr_vcpus + 1);
	fd_install(fd, file);
	mutex_unlock(&vm->lock);
	return fd;

out_free:
	vmx_vcpu_free(vcpu);
out:
	mutex_unlock(&vm->lock);
	return r;
}

void vmx_skip_insn(struct vmx_vcpu *vcpu, unsigned int len)
{
	vcpu->rip += len;
	if (vmx_cpu_mode(vcpu) != 64)
		vcpu->rip &= 0xffffffffUL;
	if (vmx_ops->set_intr_shadow)
		vmx_ops->set_intr_shadow(vcpu, false);
}

/* Write @val into the low @size bytes of @reg the way hardware does. */
void vmx_reg_write(struct vmx_vcpu *vcpu, int reg, u8 size, u64 val)
{
	unsigned long *r = &vcpu->regs[reg];

	switch (size) {
	case 1:
		*r = (*r & ~0xffUL) | (val & 0xff);
		break;
	case 2:
		*r = (*r & ~0xffffUL) | (val & 0xffff);
		break;
	case 4:
		*r = (u32)val;	/* 32-bit writes zero-extend */
		break;
	default:
		*r = val;
	}
}

void vmx_queue_exception(struct vmx_vcpu *vcpu, u8 vector, bool has_error,
			 u32 error)
{
	/* Real mode has no error codes. */
	if (!(vmx_ops->get_cr0(vcpu) & X86_CR0_PE))
		has_error = false;
	vcpu->exception = (struct vmx_event){
		.pending = true, .type = VMX_EV_EXCEPTION, .vector = vector,
		.has_error = has_error, .error = error,
	};
}

/* Work that must happen in process context before the next entry. */
static int before_entry(struct vmx_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->apic_events) ||
	    vcpu->mp_state != KVM_MP_STATE_RUNNABLE) {
		int r = vmx_vcpu_block(vcpu);

		if (r <= 0)
			return r;
	}
	if (vmx_check_request(vcpu, VMX_REQ_CLOCK_UPDATE))
		vmx_kvmclock_update(vcpu);
	return 1;
}

/* Requests that need before_entry() rather than just an injection pass. */
#define VMX_REQ_PROCESS_MASK	BIT(VMX_REQ_CLOCK_UPDATE)

/*
 * Neither VMRUN nor VM entry switches PKRU, and the kernel's FPU swap
 * leaves it alone too: a guest that set CR4.PKE (SVM cannot intercept it
 * without a CR4 write exit) or XRSTORed it would leave its keys in force
 * for the host's own user-memory accesses and for the monitor.
 */
static void enter_guest(struct vmx_vcpu *vcpu)
{
	u32 host_pkru = 0;
	bool pk = cpu_feature_enabled(X86_FEATURE_OSPKE);

	if (pk) {
		host_pkru = rdpkru();
		if (vcpu->pkru != host_pkru)
			wrpkru(vcpu->pkru);
	}
	vmx_ops->vcpu_enter(vcpu);
	if (pk) {
		vcpu->pkru = rdpkru();
		if (vcpu->pkru != host_pkru)
			wrpkru(host_pkru);
	}
}

/* Enter the guest until an exit needs user space or a signal arrives. */
static int vcpu_run_loop(struct vmx_vcpu *vcpu)
{
	struct vmx_vm *vm = vcpu->vm;
	int r, cpu;
	s64 gen;

	for (;;) {
		if (signal_pending(current)) {
			vcpu->run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
		cond_resched();
		r = before_entry(vcpu);
		if (r <= 0)
			return r;

		preempt_disable();
		cpu = smp_processor_id();
		local_irq_disable();
		WRITE_ONCE(vcpu->cpu, cpu);
		/* Pairs with the barriers in vmx_flush_remote_tlbs() and
		 * vmx_vcpu_kick(): later requests and IRR bits IPI us.
		 */
		smp_store_mb(vcpu->mode, VMX_IN_GUEST);
		if (need_resched() || signal_pending(current) ||
		    (READ_ONCE(vcpu->requests) & VMX_REQ_PROCESS_MASK) ||
		    READ_ONCE(vcpu->apic_events)) {
			WRITE_ONCE(vcpu->mode, VMX_OUTSIDE_GUEST);
			local_irq_enable();
			preempt_enable();
			continue;
		}
		/*
		 * A context switch or kernel FPU use since the swap left the
		 * guest's FPU state in memory and someone else's in the
		 * registers: load the guest's before it runs, or it would see
		 * (and its exit would drop) the wrong state.
		 */
		if (test_thread_flag(TIF_NEED_FPU_LOAD))
			switch_fpu_return();
		clear_bit(VMX_REQ_EVENT, &vcpu->requests);
		vmx_inject_pending(vcpu);
		gen = atomic64_read(&vm->tlb_gen);
		if (gen != vcpu->tlb_gen || cpu != vcpu->last_cpu) {
			vcpu->tlb_gen = gen;
			vcpu->flush_tlb = true;
		}
		enter_guest(vcpu);
		vcpu->last_cpu = cpu;
		WRITE_ONCE(vcpu->mode, VMX_OUTSIDE_GUEST);
		local_irq_enable();
		preempt_enable();

		r = vmx_ops->handle_exit(vcpu);
		if (r <= 0)
			return r;
		if (vmx_user_irq_window_open(vcpu)) {
			vcpu->run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
			return 0;
		}
	}
}

static struct vmx_vcpu *pn_to_vcpu(struct preempt_notifier *pn)
{
	return container_of(pn, struct vmx_vcpu, pn);
}

static void vmx_sched_in(struct preempt_notifier *pn, int cpu)
{
	vmx_ops->vcpu_load(pn_to_vcpu(pn), cpu);
	vmx_kvmclock_load(pn_to_vcpu(pn), cpu);
}

static void vmx_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	if (vmx_ops->vcpu_put)
		vmx_ops->vcpu_put(pn_to_vcpu(pn));
}

struct preempt_ops vmx_preempt_ops = {
	.sched_in = vmx_sched_in,
	.sched_out = vmx_sched_out,
};

/* Make the vCPU's hardware state current on this thread's CPU. */
void vmx_vcpu_load(struct vmx_vcpu *vcpu)
{
	int cpu = get_cpu();

	preempt_notifier_register(&vcpu->pn);
	vmx_ops->vcpu_load(vcpu, cpu);
	vmx_kvmclock_load(vcpu, cpu);
	put_cpu();
}

void vmx_vcpu_put(struct vmx_vcpu *vcpu)
{
	preempt_disable();
	if (vmx_ops->vcpu_put)
		vmx_ops->vcpu_put(vcpu);
	preempt_notifier_unregister(&vcpu->pn);
	preempt_enable();
}

static int complete_pending(struct vmx_vcpu *vcpu)
{
	enum vmx_pending p = vcpu->pending;

	vcpu->pending = VMX_PEND_NONE;
	/* Like KVM: user space that moved RIP has abandoned the instruction. */
	if (p != VMX_PEND_NONE && vcpu->rip != vcpu->pending_rip)
		return 1;
	switch (p) {
	case VMX_PEND_PIO:
		return vmx_complete_pio(vcpu);
	case VMX_PEND_MMIO:
		return vmx_complete_mmio(vcpu);
	default:
		return 1;
	}
}

int vmx_vcpu_run(struct vmx_vcpu *vcpu)
{
	int r;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	r = complete_pending(vcpu);
	if (r <= 0)
		goto out;
	if (READ_ONCE(vcpu->run->immediate_exit)) {
		r = -EINTR;
		goto out;
	}

	fpu_swap_kvm_fpstate(&vcpu->guest_fpu, true);
	r = vcpu_run_loop(vcpu);
	fpu_swap_kvm_fpstate(&vcpu->guest_fpu, false);
out:
	vmx_post_run(vcpu);
	return r;
}
