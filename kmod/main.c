// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry: pick the backend for this CPU, register /dev/vmx, and
 * switch the virtualization hardware on while at least one VM exists.
 */
#define pr_fmt(fmt) "vmx: " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/percpu.h>
#include <asm/processor.h>

#include "core.h"
#include "dev.h"

const struct vmx_backend *vmx_ops;

/* Hardware-on reference count: one per live VM. */
static DEFINE_MUTEX(hw_lock);
static int hw_users;
static DEFINE_PER_CPU(bool, hw_on);
static enum cpuhp_state hp_state;

static void cpu_enable_one(void *failed)
{
	int r;

	if (this_cpu_read(hw_on))
		return;
	r = vmx_ops->cpu_enable();
	if (r)
		atomic_inc(failed);
	else
		this_cpu_write(hw_on, true);
}

static void cpu_disable_one(void *unused)
{
	if (!this_cpu_read(hw_on))
		return;
	vmx_ops->cpu_disable();
	this_cpu_write(hw_on, false);
}

static int hp_online(unsigned int cpu)
{
	atomic_t failed = ATOMIC_INIT(0);

	mutex_lock(&hw_lock);
	if (hw_users) {
		local_irq_disable();
		cpu_enable_one(&failed);
		local_irq_enable();
	}
	mutex_unlock(&hw_lock);
	return atomic_read(&failed) ? -EBUSY : 0;
}

static int hp_offline(unsigned int cpu)
{
	mutex_lock(&hw_lock);
	if (hw_users) {
		local_irq_disable();
		cpu_disable_one(NULL);
		local_irq_enable();
	}
	mutex_unlock(&hw_lock);
	return 0;
}

/* Called for every new VM: the first one turns the hardware on. */
int vmx_hw_get(void)
{
	atomic_t failed = ATOMIC_INIT(0);
	int r = 0;

	cpus_read_lock();
	mutex_lock(&hw_lock);
	if (hw_users++ == 0) {
		on_each_cpu(cpu_enable_one, &failed, 1);
		if (atomic_read(&failed)) {
			on_each_cpu(cpu_disable_one, NULL, 1);
			hw_users = 0;
			r = -EBUSY;
		}
	}
	mutex_unlock(&hw_lock);
	cpus_read_unlock();
	return r;
}

void vmx_hw_put(void)
{
	cpus_read_lock();
	mutex_lock(&hw_lock);
	if (--hw_users == 0)
		on_each_cpu(cpu_disable_one, NULL, 1);
	mutex_unlock(&hw_lock);
	cpus_read_unlock();
}

static const struct vmx_backend *pick_backend(void)
{
	if (boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
	    boot_cpu_data.x86_vendor == X86_VENDOR_HYGON)
		return &vmx_svm_backend;
	if (boot_cpu_data.x86_vendor == X86_VENDOR_INTEL ||
	    boot_cpu_data.x86_vendor == X86_VENDOR_ZHAOXIN)
		return &vmx_vtx_backend;
	return NULL;
}

static int __init vmx_init(void)
{
	int r;

	vmx_ops = pick_backend();
	if (!vmx_ops) {
		pr_err("no supported CPU vendor (need AMD-V or Intel VT-x)\n");
		return -ENODEV;
	}
	r = vmx_ops->probe();
	if (r)
		return r;
	r = vmx_ops->setup ? vmx_ops->setup() : 0;
	if (r)
		return r;

	r = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "vmx:online",
				      hp_online, hp_offline);
	if (r < 0)
		goto out_unsetup;
	hp_state = r;

	preempt_notifier_inc();
	r = misc_register(&vmx_misc);
	if (r) {
		pr_err("cannot register /dev/vmx: %d\n", r);
		preempt_notifier_dec();
		goto out_hp;
	}
	pr_info("loaded, %s backend, API %d\n", vmx_ops->name, VMX_API_VERSION);
	return 0;

out_hp:
	cpuhp_remove_state_nocalls(hp_state);
out_unsetup:
	if (vmx_ops->unsetup)
		vmx_ops->unsetup();
	return r;
}

static void __exit vmx_exit(void)
{
	misc_deregister(&vmx_misc);
	preempt_notifier_dec();
	cpuhp_remove_state_nocalls(hp_state);
	if (vmx_ops->unsetup)
		vmx_ops->unsetup();
	pr_info("unloaded\n");
}

module_init(vmx_init);
module_exit(vmx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmx: a hosted hypervisor speaking the KVM ABI on /dev/vmx");
