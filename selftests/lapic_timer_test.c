// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel local APIC timer (KVM_CREATE_IRQCHIP): a 64-bit guest
 * enables its APIC through the xAPIC page or the x2APIC MSRs, runs the
 * timer periodic, one-shot and TSC-deadline, and sleeps in HLT between
 * ticks.  HLT never reaches user space; the tick rate follows host time;
 * one-shot and deadline timers fire once.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "guest.h"
#include "lapic.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(lt);
SNIPPET_LABEL(lt_isr);
SNIPPET_LABEL(lt_spurious);

#define PERIOD_NS	10000000ull	/* 10 ms at the 1 GHz APIC bus */
#define PERIOD_TICKS	30
#define ONESHOT_COUNT	1000000		/* 1 ms */
#define DEADLINE_DELTA	1000000		/* TSC cycles: well under 1 ms */
#define QUIET_US	50000		/* no second tick in this time */

#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct vcpu *timer_guest(int x2apic, int kind, uint64_t count,
				uint64_t ticks)
{
	struct vm *vm = guest_create_irqchip_vm();
	struct vcpu *vcpu;
	struct kvm_regs regs;

	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(lt));
	vcpu = vcpu_create(vm, 0);
	guest_set_supported_cpuid(vcpu);
	guest_setup_long_mode(vcpu);
	guest_set_idt_gate(vcpu, TIMER_VECTOR, SNIPPET_GPA(lt, lt_isr));
	guest_set_idt_gate(vcpu, SPURIOUS_VECTOR, SNIPPET_GPA(lt, lt_spurious));
	vcpu_get_regs(vcpu, &regs);
	regs.r15 = x2apic;
	regs.r14 = kind;
	regs.r13 = ticks;
	regs.r12 = count;
	vcpu_set_regs(vcpu, &regs);
	return vcpu;
}

static uint32_t io_u32(struct vcpu *vcpu)
{
	uint32_t v;

	memcpy(&v, vcpu_io_data(vcpu), 4);
	return v;
}

static void periodic(int x2apic)
{
	struct vcpu *vcpu = timer_guest(x2apic, TIMER_KIND_PERIODIC,
					PERIOD_NS, PERIOD_TICKS);
	double t0 = now_s(), dt, want = PERIOD_TICKS * PERIOD_NS / 1e9;

	/* Every HLT sleeps in the kernel: the first exit is the report. */
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_DONE, 1)) {
		dt = now_s() - t0;
		tap_diag("%d ticks in %.3f s (%.3f s expected)", PERIOD_TICKS,
			 dt, want);
		/* One more may land before the guest stops the timer. */
		CHECK(io_u32(vcpu) >= PERIOD_TICKS &&
		      io_u32(vcpu) <= PERIOD_TICKS + 1);
		/*
		 * Never faster than programmed; slower only as far as a
		 * loaded emulator host delays the timer and a tick that
		 * finds the last one still pending is lost (on KVM too).
		 */
		CHECK(dt > want * 0.5 && dt < want * 3);
	}
	guest_destroy(vcpu);
}

static void test_periodic_xapic(void)
{
	periodic(0);
}

static void test_periodic_x2apic(void)
{
	periodic(1);
}

/* One tick, then none while the host waits with the guest IF=1. */
static void fires_once(int kind, uint64_t count)
{
	struct vcpu *vcpu = timer_guest(1, kind, count, 0);
	struct kvm_regs regs;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_DONE, 1))
		goto out;
	CHECK_EQ(io_u32(vcpu), 1);
	vcpu_get_regs(vcpu, &regs);
	/* TMCCT of an expired one-shot, IA32_TSC_DEADLINE after firing. */
	CHECK_EQ(regs.rbx, 0);
	usleep(QUIET_US);
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_AGAIN, 1))
		CHECK_EQ(io_u32(vcpu), 1);
out:
	guest_destroy(vcpu);
}

static void test_oneshot(void)
{
	fires_once(TIMER_KIND_ONESHOT, ONESHOT_COUNT);
}

static void test_deadline(void)
{
	fires_once(TIMER_KIND_DEADLINE, DEADLINE_DELTA);
}

static void test_caps(void)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
				      100 * sizeof(struct kvm_cpuid_entry2));
	unsigned int i;
	uint32_t ecx = 0;

	CHECK(kvm_check_cap(KVM_CAP_TSC_DEADLINE_TIMER) > 0);
	c->nent = 100;
	if (!CHECK_SUCCESS(ioctl(kvm_fd(), KVM_GET_SUPPORTED_CPUID, c)))
		goto out;
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 1)
			ecx = c->entries[i].ecx;
	CHECK(ecx & CPUID1_ECX_X2APIC);
	/* KVM may leave this to the capability (api.rst): not asserted. */
	tap_diag("KVM_GET_SUPPORTED_CPUID leaf 1 TSC-deadline bit: %d",
		 !!(ecx & CPUID1_ECX_TSC_DEADLINE));
out:
	free(c);
}

static const struct tap_case cases[] = {
	{ "x2APIC and TSC-deadline capabilities and CPUID", test_caps },
	{ "xAPIC periodic timer ticks at its rate, HLT stays in the kernel",
	  test_periodic_xapic },
	{ "x2APIC periodic timer ticks at its rate", test_periodic_x2apic },
	{ "one-shot timer fires once, TMCCT reads 0 after", test_oneshot },
	{ "TSC-deadline timer fires once, the MSR reads 0 after",
	  test_deadline },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
