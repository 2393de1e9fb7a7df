// SPDX-License-Identifier: GPL-2.0
/*
 * kvmclock: the guest enables its time page and the wall clock through
 * the MSRs and reads the page around a TSC spin.  The page must be
 * consistent (even version, a scale matching the TSC rate, time moving
 * with the TSC and between the host's KVM_GET_CLOCK readings), follow
 * KVM_SET_CLOCK, and the MSRs must round-trip.  The KVM signature must be
 * in KVM_GET_SUPPORTED_CPUID where Linux looks for it.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>

#include "check.h"
#include "guest.h"
#include "kvmclock.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(kc_main);

#define MSR_KVM_WALL_CLOCK	0x11
#define MSR_KVM_SYSTEM_TIME	0x12
#define PVCLOCK_TSC_STABLE	0x1
#define KVM_FEATURE_CLOCKSOURCE		0
#define KVM_FEATURE_CLOCKSOURCE2	3
#define KVM_FEATURE_CLOCKSOURCE_STABLE	24
#define NSEC			1000000000ull
#define MSEC			1000000ull
#define SPIN_MS			5
#define CLOCK_STEP		(10 * NSEC)	/* KVM_SET_CLOCK jump */

struct pvti {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t mul;
	int8_t shift;
	uint8_t flags;
	uint8_t pad[2];
	uint64_t guest_tsc;	/* the guest's RDTSC right after the copy */
};

struct wall_clock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
} __attribute__((packed));

static struct vcpu *vcpu, *vcpu1;
static int tsc_khz;
static uint64_t clock_after, guest_tb;

static uint64_t pvti_ns(const struct pvti *p)
{
	uint64_t delta = p->guest_tsc - p->tsc_timestamp;

	if (p->shift < 0)
		delta >>= -p->shift;
	else
		delta <<= p->shift;
	return p->system_time +
	       (uint64_t)(((unsigned __int128)delta * p->mul) >> 32);
}

static struct pvti snap(uint64_t gpa)
{
	struct pvti p;

	memcpy(&p, guest_mem(vcpu, gpa), sizeof(p));
	return p;
}

static struct kvm_clock_data get_clock(void)
{
	struct kvm_clock_data d;

	memset(&d, 0, sizeof(d));
	if (ioctl(vcpu->vm->fd, KVM_GET_CLOCK, &d))
		tap_bail("KVM_GET_CLOCK: %s", strerror(errno));
	return d;
}

/* Slack for comparing kvmclock readings taken by host and guest. */
static uint64_t tolerance(uint64_t span)
{
	return 5 * MSEC + span / 50;
}

/* The TSC rate the page's scale stands for, in kHz. */
static uint64_t pvti_khz(const struct pvti *p)
{
	double hz = 4294967296.0 * NSEC / p->mul;

	hz = p->shift < 0 ? hz * (1u << -p->shift) : hz / (1u << p->shift);
	return (uint64_t)(hz / 1000);
}

static bool page_sane(const struct pvti *p)
{
	uint64_t khz = p->mul ? pvti_khz(p) : 0;

	tap_diag("version %u mul %#x shift %d flags %#x (%llu kHz)",
		 p->version, p->mul, p->shift, p->flags,
		 (unsigned long long)khz);
	return CHECK(p->version && !(p->version & 1)) &&
	       CHECK(p->mul) && CHECK(p->shift >= -8 && p->shift <= 8) &&
	       CHECK(khz > (uint64_t)tsc_khz - tsc_khz / 100 &&
		     khz < (uint64_t)tsc_khz + tsc_khz / 100);
}

static void test_caps(void)
{
	CHECK_EQ(kvm_check_cap(KVM_CAP_ADJUST_CLOCK),
		 KVM_CLOCK_TSC_STABLE | KVM_CLOCK_REALTIME |
		 KVM_CLOCK_HOST_TSC);
	CHECK_EQ(kvm_check_cap(KVM_CAP_GET_TSC_KHZ), 1);
}

static void test_msr_list(void)
{
	struct kvm_msr_list *l = calloc(1, sizeof(*l) + 1024 * 4);
	bool sys = false, wall = false;

	l->nmsrs = 1024;
	if (!CHECK_SUCCESS(ioctl(kvm_fd(), KVM_GET_MSR_INDEX_LIST, l)))
		goto out;
	for (uint32_t i = 0; i < l->nmsrs; i++) {
		sys |= l->indices[i] == MSR_KVM_SYSTEM_TIME_NEW;
		wall |= l->indices[i] == MSR_KVM_WALL_CLOCK_NEW;
	}
	CHECK(sys);
	CHECK(wall);
out:
	free(l);
}

static void test_cpuid_signature(void)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
				      256 * sizeof(struct kvm_cpuid_entry2));
	const struct kvm_cpuid_entry2 *sig = NULL, *feat = NULL;
	uint32_t base;

	c->nent = 256;
	if (!CHECK_SUCCESS(ioctl(kvm_fd(), KVM_GET_SUPPORTED_CPUID, c)))
		goto out;
	/* Linux: every 0x100 leaves from 0x40000000 to 0x40010000. */
	for (base = 0x40000000; base < 0x40010000 && !sig; base += 0x100) {
		for (uint32_t i = 0; i < c->nent; i++) {
			const struct kvm_cpuid_entry2 *e = &c->entries[i];

			if (e->function == base && e->ebx == 0x4b4d564b &&
			    e->ecx == 0x564b4d56 && e->edx == 0x4d) {
				sig = e;
				break;
			}
		}
	}
	if (!CHECK(sig))
		goto out;
	tap_diag("KVM signature at %#x, max leaf %#x", sig->function,
		 sig->eax);
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == sig->function + 1)
			feat = &c->entries[i];
	if (!CHECK(feat))
		goto out;
	CHECK(sig->eax >= sig->function + 1);
	CHECK(feat->eax & 1u << KVM_FEATURE_CLOCKSOURCE);
	CHECK(feat->eax & 1u << KVM_FEATURE_CLOCKSOURCE2);
	CHECK(feat->eax & 1u << KVM_FEATURE_CLOCKSOURCE_STABLE);
out:
	free(c);
}

static void test_tsc_khz(void)
{
	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(kc_main));
	tsc_khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	tap_diag("TSC %d kHz", tsc_khz);
	if (!CHECK(tsc_khz > 0))
		tap_bail("no TSC rate");
	CHECK_EQ(ioctl(vcpu->vm->fd, KVM_GET_TSC_KHZ, 0), tsc_khz);
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_SET_TSC_KHZ, tsc_khz));
	CHECK_EQ(ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0), tsc_khz);
}

static void start_regs(struct vcpu *v, uint64_t page)
{
	struct kvm_regs regs;

	vcpu_get_regs(v, &regs);
	regs.rsi = (uint64_t)tsc_khz * SPIN_MS;
	regs.r14 = page | 1;
	regs.r15 = page;
	vcpu_set_regs(v, &regs);
}

static void test_guest_reads(void)
{
	struct kvm_clock_data c0, c1;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct pvti a, b;
	uint64_t ta, tb, spin_ns = SPIN_MS * MSEC;

	/* vCPU 1 starts like vCPU 0, with its own page. */
	vcpu_get_regs(vcpu, &regs);
	vcpu_get_sregs(vcpu, &sregs);
	vcpu1 = vcpu_create(vcpu->vm, 1);
	vcpu_set_sregs(vcpu1, &sregs);
	vcpu_set_regs(vcpu1, &regs);
	start_regs(vcpu1, KC_PVTI3_GPA);
	start_regs(vcpu, KC_PVTI_GPA);
	c0 = get_clock();
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_KC_TWO, 1))
		return;
	c1 = get_clock();
	clock_after = c1.clock;
	a = snap(KC_SNAP_A);
	b = snap(KC_SNAP_B);
	if (!page_sane(&a) || !page_sane(&b))
		return;
	ta = pvti_ns(&a);
	tb = pvti_ns(&b);
	tap_diag("host %llu .. %llu, guest %llu .. %llu (flags %#x)",
		 (unsigned long long)c0.clock, (unsigned long long)c1.clock,
		 (unsigned long long)ta, (unsigned long long)tb, c1.flags);
	/* The spin lasted SPIN_MS by the TSC, and so by kvmclock. */
	CHECK(tb >= ta + spin_ns - spin_ns / 50);
	/* Guest readings lie between the host's, give or take. */
	CHECK(ta + tolerance(c1.clock - c0.clock) >= c0.clock);
	CHECK(tb <= c1.clock + tolerance(c1.clock - c0.clock));
	CHECK(tb - ta <= c1.clock - c0.clock + tolerance(c1.clock - c0.clock));
	/* The page claims a stable TSC exactly when KVM_GET_CLOCK does. */
	CHECK_EQ(!!(b.flags & PVCLOCK_TSC_STABLE),
		 !!(c1.flags & KVM_CLOCK_TSC_STABLE));
	guest_tb = tb;
}

/* vCPU 1 reads its own page after vCPU 0: the clock went on from there. */
static void test_second_vcpu(void)
{
	struct kvm_clock_data c;
	struct pvti a, b;
	uint64_t ta, tb;

	if (!RUN_EXPECT_IO(vcpu1, KVM_EXIT_IO_OUT, 1, PORT_KC_TWO, 1))
		return;
	c = get_clock();
	a = snap(KC_SNAP_A);
	b = snap(KC_SNAP_B);
	if (!page_sane(&a) || !page_sane(&b))
		return;
	ta = pvti_ns(&a);
	tb = pvti_ns(&b);
	tap_diag("vCPU 1: guest %llu .. %llu, host after %llu",
		 (unsigned long long)ta, (unsigned long long)tb,
		 (unsigned long long)c.clock);
	CHECK(ta + tolerance(0) >= guest_tb);
	CHECK(tb <= c.clock + tolerance(c.clock - clock_after));
	CHECK_EQ(vcpu_get_msr(vcpu1, MSR_KVM_SYSTEM_TIME_NEW), KC_PVTI3_GPA | 1);
	clock_after = c.clock;
	vcpu_free(vcpu1);
}

static void test_msrs(void)
{
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_KVM_SYSTEM_TIME_NEW), KC_PVTI_GPA | 1);
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_KVM_WALL_CLOCK_NEW), KC_WALL_GPA);
	vcpu_set_msr(vcpu, MSR_KVM_SYSTEM_TIME, KC_PVTI_GPA | 1);
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_KVM_SYSTEM_TIME), KC_PVTI_GPA | 1);
	vcpu_set_msr(vcpu, MSR_KVM_SYSTEM_TIME_NEW, KC_PVTI_GPA | 1);
}

static void test_wall_clock(void)
{
	const struct wall_clock *w = guest_mem(vcpu, KC_WALL_GPA);
	struct timespec now;
	int64_t boot_ns, want;

	clock_gettime(CLOCK_REALTIME, &now);
	tap_diag("wall clock version %u: %u.%09u", w->version, w->sec,
		 w->nsec);
	CHECK(w->version && !(w->version & 1));
	CHECK(w->nsec < NSEC);
	/* The real time at which kvmclock was zero, within two seconds. */
	boot_ns = (int64_t)w->sec * NSEC + w->nsec;
	want = (int64_t)now.tv_sec * NSEC + now.tv_nsec - clock_after;
	CHECK(llabs(boot_ns - want) < 2 * (int64_t)NSEC);
}

static void test_set_clock(void)
{
	struct kvm_clock_data d = { .clock = clock_after + CLOCK_STEP };
	struct kvm_clock_data g, bad = { .flags = 1 };
	uint64_t target = d.clock, tc;
	struct pvti c;

	CHECK_ERRNO(ioctl(vcpu->vm->fd, KVM_SET_CLOCK, &bad), EINVAL);
	if (!CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_SET_CLOCK, &d)))
		return;
	g = get_clock();
	tap_diag("set %llu, got %llu", (unsigned long long)target,
		 (unsigned long long)g.clock);
	CHECK(g.clock >= target - tolerance(0));
	CHECK(g.clock < target + 500 * MSEC);
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_KC_SNAP, 1))
		return;
	g = get_clock();
	c = snap(KC_SNAP_C);
	if (!page_sane(&c))
		return;
	tc = pvti_ns(&c);
	CHECK(tc + tolerance(0) >= target);
	CHECK(tc <= g.clock + tolerance(g.clock - target));
}

static void test_set_clock_realtime(void)
{
	struct kvm_clock_data d = get_clock(), g;
	uint64_t target = d.clock + CLOCK_STEP;

	if (!(d.flags & KVM_CLOCK_REALTIME)) {
		tap_case_skip("KVM_GET_CLOCK gives no realtime");
		return;
	}
	/* Set as of one second ago: the clock must be a second further. */
	d.clock = target;
	d.realtime -= NSEC;
	if (!CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_SET_CLOCK, &d)))
		return;
	g = get_clock();
	CHECK(g.clock >= target + NSEC - tolerance(0));
	CHECK(g.clock < target + NSEC + 500 * MSEC);
}

static bool pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set);
}

/* Without a stable TSC a page is only good on the CPU it was made on. */
static void test_cpu_move(void)
{
	const struct pvti *page = guest_mem(vcpu, KC_PVTI_GPA);
	uint32_t before;
	struct pvti c;

	if (!pin_to(0) ||
	    !RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_KC_SNAP, 1))
		return;
	if (page->flags & PVCLOCK_TSC_STABLE) {
		tap_case_skip("stable TSC: one page is good on every CPU");
		return;
	}
	before = page->version;
	if (!pin_to(1)) {
		tap_case_skip("no second CPU");
		return;
	}
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_KC_SNAP, 1))
		return;
	c = snap(KC_SNAP_C);
	tap_diag("version %u before the move, %u after", before, c.version);
	CHECK(c.version > before);
	page_sane(&c);
	pin_to(0);
}

static void test_host_msr_write(void)
{
	struct kvm_regs regs;
	struct pvti c;

	memset(guest_mem(vcpu, KC_PVTI2_GPA), 0, 32);
	vcpu_set_msr(vcpu, MSR_KVM_SYSTEM_TIME_NEW, KC_PVTI2_GPA | 1);
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_KVM_SYSTEM_TIME_NEW),
		 KC_PVTI2_GPA | 1);
	vcpu_get_regs(vcpu, &regs);
	regs.r15 = KC_PVTI2_GPA;
	vcpu_set_regs(vcpu, &regs);
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_KC_SNAP, 1))
		return;
	c = snap(KC_SNAP_C);
	page_sane(&c);
	vcpu_set_msr(vcpu, MSR_KVM_SYSTEM_TIME_NEW, 0);
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_KVM_SYSTEM_TIME_NEW), 0);
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "KVM_CAP_ADJUST_CLOCK flags, KVM_CAP_GET_TSC_KHZ", test_caps },
	{ "KVM_GET_MSR_INDEX_LIST has the kvmclock MSRs", test_msr_list },
	{ "KVM signature and clocksource features in supported CPUID",
	  test_cpuid_signature },
	{ "KVM_GET/SET_TSC_KHZ: the host rate", test_tsc_khz },
	{ "the guest's time page: sane, moving with TSC and host clock",
	  test_guest_reads },
	{ "a second vCPU's page continues the same clock", test_second_vcpu },
	{ "kvmclock MSRs round-trip through KVM_GET/SET_MSRS", test_msrs },
	{ "wall clock: real time of kvmclock zero", test_wall_clock },
	{ "KVM_SET_CLOCK: KVM_GET_CLOCK and the guest follow",
	  test_set_clock },
	{ "KVM_SET_CLOCK with KVM_CLOCK_REALTIME adds the time since",
	  test_set_clock_realtime },
	{ "time page redone when the vCPU moves to another CPU",
	  test_cpu_move },
	{ "time page enabled by KVM_SET_MSRS is written", test_host_msr_write },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
