// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmx: the system-level ioctls of the KVM ABI.
 */
#define pr_fmt(fmt) "vmx: " fmt

#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/cpumask.h>
#include <linux/uaccess.h>

#include "core.h"
#include "dev.h"

/* KVM_CHECK_EXTENSION: only what really works answers non-zero. */
long vmx_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_SET_TSS_ADDR:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_EXT_CPUID:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_GET_MSR_FEATURES:
		return 1;
	case KVM_CAP_NR_VCPUS:
		return min_t(long, num_online_cpus(), VMX_MAX_VCPUS);
	case KVM_CAP_MAX_VCPUS:
		return VMX_MAX_VCPUS;
	case KVM_CAP_MAX_VCPU_ID:
		return VMX_MAX_VCPU_ID;
	case KVM_CAP_NR_MEMSLOTS:
		return VMX_MEM_SLOTS;
	case KVM_CAP_MP_STATE:
	case KVM_CAP_VCPU_EVENTS:
		return 1;
	default:
		return vmx_irqchip_check_extension(cap) ?:
		       vmx_lapic_check_extension(cap) ?:
		       vmx_eventfd_check_extension(cap) ?:
		       vmx_state_check_extension(cap) ?:
		       vmx_clock_check_extension(cap) ?:
		       vmx_dirtylog_check_extension(cap);
	}
}

static long vmx_dev_ioctl(struct file *f, unsigned int ioctl,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : VMX_API_VERSION;
	case KVM_CREATE_VM:
		return vmx_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return vmx_check_extension(arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : VMX_RUN_MMAP_PAGES * PAGE_SIZE;
	case KVM_GET_MSR_INDEX_LIST:
		return vmx_get_msr_index_list(argp);
	case KVM_GET_SUPPORTED_CPUID:
		return vmx_get_supported_cpuid(argp);
	case KVM_GET_MSR_FEATURE_INDEX_LIST:
		return vmx_get_msr_feature_index_list(argp);
	case KVM_GET_MSRS:
		return vmx_msrs_ioctl(NULL, argp, false);
	default:
		/* KVM answers unknown system ioctls with EINVAL. */
		return -EINVAL;
	}
}

static const struct file_operations vmx_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vmx_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

struct miscdevice vmx_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vmx",
	.fops = &vmx_dev_fops,
	.mode = 0660,
};
