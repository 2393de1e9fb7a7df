// SPDX-License-Identifier: GPL-2.0
/*
 * Guest time: the kvmclock MSRs and time pages, KVM_GET/SET_CLOCK and
 * the TSC rate ioctls.
 *
 * kvmclock is a nanosecond count per VM.  With a stable host TSC every
 * vCPU's time page describes one VM-wide line, kvmclock = ref_ns +
 * scale(host TSC - ref_tsc), so all vCPUs agree and the guest may trust
 * PVCLOCK_TSC_STABLE_BIT.  Otherwise kvmclock is host boot time plus an
 * offset, and each page is redone from a fresh sample whenever its vCPU
 * moves to another CPU.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <asm/kvm_para.h>
#include <asm/pvclock-abi.h>
#include <asm/tsc.h>

#include "core.h"

#define KVMCLOCK_ENABLE		BIT_ULL(0)	/* system time MSR bit 0 */
#define CLOCK_FLAGS		(KVM_CLOCK_TSC_STABLE | KVM_CLOCK_REALTIME | \
				 KVM_CLOCK_HOST_TSC)
/* A requested TSC rate this close to the host's needs no scaling. */
#define TSC_TOLERANCE_PPM	250

/* One moment in three clocks, taken with interrupts off. */
struct clock_sample {
	u64 tsc;
	u64 boot_ns;
	u64 real_ns;
};

static void clock_sample(struct clock_sample *s)
{
	unsigned long flags;

	local_irq_save(flags);
	s->tsc = rdtsc();
	s->boot_ns = ktime_get_boottime_ns();
	s->real_ns = ktime_get_real_ns();
	local_irq_restore(flags);
}

static bool host_tsc_stable(void)
{
	return tsc_khz && boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
	       !check_tsc_unstable();
}

/*
 * pvclock scale (mul, shift) such that ns = ((delta << shift) * mul) >> 32
 * (a negative shift shifts right): shift brings the TSC rate into
 * (1 GHz, 2 GHz], so mul = 2^32 * 1 GHz / scaled rate fits in 32 bits.
 */
static void tsc_scale(u64 hz, u32 *mul, s8 *shift)
{
	u64 scaled = hz;
	s8 s = 0;

	while (scaled > 2 * NSEC_PER_SEC) {
		scaled >>= 1;
		s--;
	}
	while (scaled <= NSEC_PER_SEC) {
		scaled <<= 1;
		s++;
	}
	if (s < 0)
		*mul = mul_u64_u64_div_u64(NSEC_PER_SEC, 1ULL << (32 - s), hz);
	else
		*mul = mul_u64_u64_div_u64(NSEC_PER_SEC, 1ULL << 32, hz << s);
	*shift = s;
}

static u64 tsc_to_ns(u64 delta)
{
	u32 mul;
	s8 shift;

	tsc_scale(tsc_khz * 1000ULL, &mul, &shift);
	delta = shift < 0 ? delta >> -shift : delta << shift;
	return mul_u64_u32_shr(delta, mul, 32);
}

/* kvmclock at the moment of @s. */
static u64 kvmclock_at(struct vmx_vm *vm, const struct clock_sample *s,
		       bool stable)
{
	u64 ns;

	spin_lock(&vm->clock_lock);
	/* @s may predate a reference point set meanwhile on another CPU. */
	if (!stable)
		ns = s->boot_ns + vm->kvmclock_offset;
	else if ((s64)(s->tsc - vm->clock_ref_tsc) >= 0)
		ns = vm->clock_ref_ns + tsc_to_ns(s->tsc - vm->clock_ref_tsc);
	else
		ns = vm->clock_ref_ns - tsc_to_ns(vm->clock_ref_tsc - s->tsc);
	spin_unlock(&vm->clock_lock);
	return ns;
}

/* Make kvmclock read @ns at the moment of @s. */
static void kvmclock_set(struct vmx_vm *vm, const struct clock_sample *s,
			 u64 ns)
{
	spin_lock(&vm->clock_lock);
	vm->clock_ref_tsc = s->tsc;
	vm->clock_ref_ns = ns;
	vm->kvmclock_offset = ns - s->boot_ns;
	spin_unlock(&vm->clock_lock);
}

void vmx_clock_vm_init(struct vmx_vm *vm)
{
	struct clock_sample s;

	spin_lock_init(&vm->clock_lock);
	clock_sample(&s);
	kvmclock_set(vm, &s, 0);	/* a new VM's clock starts at zero */
}

/* Rewrite the vCPU's pvclock_vcpu_time_info; odd version meanwhile. */
void vmx_kvmclock_update(struct vmx_vcpu *vcpu)
{
	struct vmx_vm *vm = vcpu->vm;
	u64 gpa = vcpu->kvmclock_msr & ~KVMCLOCK_ENABLE;
	struct pvclock_vcpu_time_info ti = {};
	bool stable = host_tsc_stable();
	struct clock_sample s;
	u64 tsc, ns;

	if (!(vcpu->kvmclock_msr & KVMCLOCK_ENABLE) || !tsc_khz)
		return;
	vcpu->clock_cpu = raw_smp_processor_id();
	if (stable) {
		spin_lock(&vm->clock_lock);
		tsc = vm->clock_ref_tsc;
		ns = vm->clock_ref_ns;
		spin_unlock(&vm->clock_lock);
	} else {
		clock_sample(&s);
		tsc = s.tsc;
		ns = kvmclock_at(vm, &s, false);
	}
	/* The page speaks of the guest's TSC (host TSC + offset). */
	ti.tsc_timestamp = tsc + vcpu->tsc_offset;
	ti.system_time = ns;
	tsc_scale(tsc_khz * 1000ULL, &ti.tsc_to_system_mul, &ti.tsc_shift);
	ti.flags = stable ? PVCLOCK_TSC_STABLE_BIT : 0;

	vcpu->pvclock_version = (vcpu->pvclock_version + 1) | 1;
	ti.version = vcpu->pvclock_version;
	/* A bad address only leaves the guest without a clock, as on KVM. */
	if (vmx_write_guest(vcpu, gpa, &ti.version, sizeof(ti.version)))
		return;
	smp_wmb();	/* odd version before the data, for other vCPUs */
	vmx_write_guest(vcpu, gpa, &ti, sizeof(ti));
	smp_wmb();	/* the data before the even version */
	ti.version = ++vcpu->pvclock_version;
	vmx_write_guest(vcpu, gpa, &ti.version, sizeof(ti.version));
}

/* Called with preemption off whenever the vCPU's thread gets a CPU. */
void vmx_kvmclock_load(struct vmx_vcpu *vcpu, int cpu)
{
	if ((vcpu->kvmclock_msr & KVMCLOCK_ENABLE) && cpu != vcpu->clock_cpu &&
	    !host_tsc_stable())
		vmx_make_request(vcpu, VMX_REQ_CLOCK_UPDATE);
}

/* struct pvclock_wall_clock: the real time at which kvmclock was zero. */
static void write_wall_clock(struct vmx_vcpu *vcpu, u64 gpa)
{
	struct pvclock_wall_clock wc;
	struct clock_sample s;
	u32 rem, version;
	u64 ns;

	if (vmx_read_guest(vcpu, gpa, &version, sizeof(version)))
		return;
	version = (version + 1) | 1;
	if (vmx_write_guest(vcpu, gpa, &version, sizeof(version)))
		return;
	clock_sample(&s);
	ns = s.real_ns - kvmclock_at(vcpu->vm, &s, host_tsc_stable());
	wc.version = version;
	wc.sec = div_u64_rem(ns, NSEC_PER_SEC, &rem);	/* wraps in 2106 */
	wc.nsec = rem;
	smp_wmb();	/* odd version before the data */
	vmx_write_guest(vcpu, gpa, &wc, sizeof(wc));
	smp_wmb();	/* the data before the even version */
	version++;
	vmx_write_guest(vcpu, gpa, &version, sizeof(version));
}

int vmx_clock_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data, bool write,
		  bool host)
{
	switch (index) {
	case MSR_KVM_SYSTEM_TIME_NEW:
	case MSR_KVM_SYSTEM_TIME:
		if (!write) {
			*data = vcpu->kvmclock_msr;
			return 0;
		}
		vcpu->kvmclock_msr = *data;
		if (*data & KVMCLOCK_ENABLE)
			vmx_make_request(vcpu, VMX_REQ_CLOCK_UPDATE);
		return 0;
	case MSR_KVM_WALL_CLOCK_NEW:
	case MSR_KVM_WALL_CLOCK:
		if (!write) {
			*data = READ_ONCE(vcpu->vm->wall_clock_msr);
			return 0;
		}
		WRITE_ONCE(vcpu->vm->wall_clock_msr, *data);
		write_wall_clock(vcpu, *data);
		return 0;
	default:
		return 1;
	}
}

static long get_clock(struct vmx_vm *vm, void __user *argp)
{
	bool stable = host_tsc_stable();
	struct kvm_clock_data d;
	struct clock_sample s;

	memset(&d, 0, sizeof(d));
	clock_sample(&s);
	d.clock = kvmclock_at(vm, &s, stable);
	if (stable) {
		d.flags = CLOCK_FLAGS;
		d.realtime = s.real_ns;
		d.host_tsc = s.tsc;
	}
	return copy_to_user(argp, &d, sizeof(d)) ? -EFAULT : 0;
}

static long set_clock(struct vmx_vm *vm, void __user *argp)
{
	struct kvm_clock_data d;
	struct clock_sample s;
	int i, n;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	/* KVM_GET_CLOCK's flags may come back; only REALTIME means a thing. */
	if (d.flags & ~CLOCK_FLAGS)
		return -EINVAL;
	clock_sample(&s);
	/* The time since user space read @realtime passed for the guest too. */
	if ((d.flags & KVM_CLOCK_REALTIME) && s.real_ns > d.realtime)
		d.clock += s.real_ns - d.realtime;
	kvmclock_set(vm, &s, d.clock);

	n = READ_ONCE(vm->nr_vcpus);
	smp_rmb();	/* pairs with the publish in vmx_create_vcpu() */
	for (i = 0; i < n; i++) {
		vmx_make_request(vm->vcpus[i], VMX_REQ_CLOCK_UPDATE);
		vmx_vcpu_kick(vm->vcpus[i]);
	}
	return 0;
}

/*
 * Without TSC scaling only the host's own rate (or 0 = the host's) is
 * possible.  KVM also accepts higher rates, by catching the TSC up in
 * software; we refuse them.
 */
static int check_tsc_khz(u32 *khz)
{
	u32 tol = (u64)tsc_khz * TSC_TOLERANCE_PPM / 1000000;

	if (!*khz)
		*khz = tsc_khz;
	if (!*khz || *khz < tsc_khz - tol || *khz > tsc_khz + tol)
		return -EINVAL;
	return 0;
}

static u32 vm_tsc_khz(struct vmx_vm *vm)
{
	return READ_ONCE(vm->tsc_khz) ?: tsc_khz;
}

long vmx_clock_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			unsigned long arg)
{
	u32 khz = arg;

	switch (ioctl) {
	case KVM_GET_CLOCK:
		return get_clock(vm, (void __user *)arg);
	case KVM_SET_CLOCK:
		return set_clock(vm, (void __user *)arg);
	case KVM_GET_TSC_KHZ:
		return vm_tsc_khz(vm);
	case KVM_SET_TSC_KHZ:
		if (check_tsc_khz(&khz))
			return -EINVAL;
		WRITE_ONCE(vm->tsc_khz, khz);
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}

long vmx_clock_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg)
{
	u32 khz = arg;

	switch (ioctl) {
	case KVM_GET_TSC_KHZ:
		return vcpu->tsc_khz ?: vm_tsc_khz(vcpu->vm);
	case KVM_SET_TSC_KHZ:
		if (check_tsc_khz(&khz))
			return -EINVAL;
		vcpu->tsc_khz = khz;
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}

long vmx_clock_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_ADJUST_CLOCK:
		return CLOCK_FLAGS;
	case KVM_CAP_GET_TSC_KHZ:
		return 1;
	default:
		return 0;
	}
}
