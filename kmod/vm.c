// SPDX-License-Identifier: GPL-2.0
/*
 * VM life cycle and the VM-level ioctls.
 */
#define pr_fmt(fmt) "vmx: " fmt

#include <linux/anon_inodes.h>
#include <linux/module.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"

static void vmx_vm_free(struct vmx_vm *vm)
{
	int i;

	/* Sources before sinks: eventfds and the PIT raise interrupts. */
	vmx_eventfd_free(vm);
	vmx_pit_free(vm);
	for (i = 0; i < vm->nr_vcpus; i++)
		vmx_vcpu_free(vm->vcpus[i]);
	vmx_irqchip_free(vm);
	vmx_io_bus_free(vm);
	if (vmx_ops->vm_destroy)
		vmx_ops->vm_destroy(vm);
	vmx_npt_free(vm);
	vmx_free_memslots(vm);
	cleanup_srcu_struct(&vm->srcu);
	mmdrop(vm->mm);
	kfree(vm);
	vmx_hw_put();
	module_put(THIS_MODULE);
}

void vmx_vm_put(struct vmx_vm *vm)
{
	if (refcount_dec_and_test(&vm->refs))
		vmx_vm_free(vm);
}

static int vmx_vm_release(struct inode *inode, struct file *f)
{
	vmx_vm_put(f->private_data);
	return 0;
}

static long vm_set_memory_region(struct vmx_vm *vm, void __user *argp)
{
	struct kvm_userspace_memory_region mem;
	long r;

	if (copy_from_user(&mem, argp, sizeof(mem)))
		return -EFAULT;
	mutex_lock(&vm->slots_lock);
	r = vmx_set_memory_region(vm, &mem);
	mutex_unlock(&vm->slots_lock);
	return r;
}

/*
 * VM ioctls owned by the interrupt, eventfd, clock and dirty-log code.
 * Each returns -ENOIOCTLCMD for what is not its own (KVM_ENABLE_CAP
 * included: a handler takes only its capabilities).
 */
static long vm_component_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			       unsigned long arg)
{
	static long (*const handlers[])(struct vmx_vm *, unsigned int,
					unsigned long) = {
		vmx_irqchip_vm_ioctl, vmx_pit_vm_ioctl, vmx_eventfd_vm_ioctl,
		vmx_clock_vm_ioctl, vmx_dirtylog_vm_ioctl,
	};
	long r;
	int i;

	for (i = 0; i < ARRAY_SIZE(handlers); i++) {
		r = handlers[i](vm, ioctl, arg);
		if (r != -ENOIOCTLCMD)
			return r;
	}
	/* KVM: an unknown capability is EINVAL, an unknown ioctl ENOTTY. */
	return ioctl == KVM_ENABLE_CAP ? -EINVAL : -ENOTTY;
}

/* KVM_ENABLE_CAP for capabilities of the VM itself. */
static long vm_enable_cap(struct vmx_vm *vm, void __user *argp)
{
	struct kvm_enable_cap cap;
	long r = -EINVAL;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.cap != KVM_CAP_MAX_VCPU_ID)
		return -ENOIOCTLCMD;
	if (cap.flags || cap.args[0] > VMX_MAX_VCPU_ID)
		return -EINVAL;
	/* Settable once (setting the same value again is fine). */
	mutex_lock(&vm->lock);
	if (!vm->max_vcpu_ids || vm->max_vcpu_ids == cap.args[0]) {
		vm->max_vcpu_ids = cap.args[0];
		r = 0;
	}
	mutex_unlock(&vm->lock);
	return r;
}

long vmx_vm_ioctl(struct file *f, unsigned int ioctl, unsigned long arg)
{
	struct vmx_vm *vm = f->private_data;
	void __user *argp = (void __user *)arg;

	if (vm->mm != current->mm)
		return -EIO;

	switch (ioctl) {
	case KVM_CREATE_VCPU:
		return vmx_create_vcpu(vm, arg);
	case KVM_SET_USER_MEMORY_REGION:
		return vm_set_memory_region(vm, argp);
	case KVM_CHECK_EXTENSION:
		return vmx_check_extension(arg);
	case KVM_SET_TSS_ADDR:
		/* Only real-mode emulation needs it; we run real mode natively. */
		vm->tss_addr = arg;
		return 0;
	case KVM_SET_IDENTITY_MAP_ADDR: {
		u64 addr;

		return copy_from_user(&addr, argp, sizeof(addr)) ? -EFAULT : 0;
	}
	case KVM_SET_NR_MMU_PAGES:
		/* Nested page tables grow on demand; KVM's lower bound only. */
		if (arg < VMX_MIN_MMU_PAGES)
			return -EINVAL;
		vm->nr_mmu_pages = arg;
		return 0;
	case KVM_GET_NR_MMU_PAGES:
		return vm->nr_mmu_pages;
	case KVM_ENABLE_CAP: {
		long r = vm_enable_cap(vm, argp);

		if (r != -ENOIOCTLCMD)
			return r;
		return vm_component_ioctl(vm, ioctl, arg);
	}
	default:
		return vm_component_ioctl(vm, ioctl, arg);
	}
}

static const struct file_operations vmx_vm_fops = {
	.owner = THIS_MODULE,
	.release = vmx_vm_release,
	.unlocked_ioctl = vmx_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct vmx_vm *vmx_vm_alloc(void)
{
	struct vmx_vm *vm;

	vm = kzalloc(vmx_ops->vm_size, GFP_KERNEL_ACCOUNT);
	if (!vm)
		return NULL;
	refcount_set(&vm->refs, 1);
	mutex_init(&vm->lock);
	mutex_init(&vm->slots_lock);
	spin_lock_init(&vm->mmu_lock);
	atomic64_set(&vm->tlb_gen, 0);
	vmx_clock_vm_init(vm);
	return vm;
}

int vmx_create_vm(unsigned long type)
{
	struct vmx_memslots *slots;
	struct vmx_vm *vm;
	int r, fd;

	if (type)
		return -EINVAL;
	r = vmx_hw_get();
	if (r) {
		pr_err_ratelimited("virtualization hardware is in use by another hypervisor (kvm_amd/kvm_intel?): %d\n",
				   r);
		return r;
	}
	r = -ENOMEM;
	vm = vmx_vm_alloc();
	if (!vm)
		goto out_hw;
	slots = kvzalloc(sizeof(*slots), GFP_KERNEL_ACCOUNT);
	if (!slots)
		goto out_vm;
	RCU_INIT_POINTER(vm->slots, slots);
	r = init_srcu_struct(&vm->srcu);
	if (r)
		goto out_slots;
	r = vmx_npt_init(vm);
	if (r)
		goto out_srcu;
	if (vmx_ops->vm_init) {
		r = vmx_ops->vm_init(vm);
		if (r)
			goto out_npt;
	}
	vm->mm = current->mm;
	mmgrab(vm->mm);
	/* The VM pins the module until its last reference goes. */
	__module_get(THIS_MODULE);

	fd = anon_inode_getfd("vmx-vm", &vmx_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		vmx_vm_put(vm);
	return fd;

out_npt:
	vmx_npt_free(vm);
out_srcu:
	cleanup_srcu_struct(&vm->srcu);
out_slots:
	kvfree(slots);
out_vm:
	kfree(vm);
out_hw:
	vmx_hw_put();
	return r;
}
