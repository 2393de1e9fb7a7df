// SPDX-License-Identifier: GPL-2.0
/*
 * Event injection without and with an in-kernel irqchip:
 * request_interrupt_window / KVM_EXIT_IRQ_WINDOW_OPEN / KVM_INTERRUPT,
 * KVM_NMI with NMI blocking until IRET, KVM_GET/SET_VCPU_EVENTS,
 * KVM_GET/SET_MP_STATE, and HLT that sleeps in the kernel (woken by a
 * signal or an NMI) once KVM_CREATE_IRQCHIP exists.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(ev_real);
SNIPPET_LABEL(ev_ready);
SNIPPET_LABEL(ev_spin);
SNIPPET(ev_halt);

#define RFLAGS_IF	(1ull << 9)

static struct vcpu *start(const void *code, size_t len, bool irqchip)
{
	struct vm *vm = vm_create();
	struct vcpu *vcpu;

	vm_add_memory(vm, 0, 0, GUEST_MEM_SIZE);
	if (irqchip && ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		tap_bail("KVM_CREATE_IRQCHIP: %s", strerror(errno));
	vcpu = vcpu_create(vm, 0);
	guest_load(vm, GUEST_CODE_GPA, code, len);
	guest_setup_real_mode(vcpu);
	return vcpu;
}

/* Run to the guest's "ready" OUT (IF = 0, vectors installed). */
static struct vcpu *start_ready(bool irqchip)
{
	struct vcpu *vcpu = start(SNIPPET_CODE(ev_real), irqchip);

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x10, 1))
		tap_bail("guest did not reach its ready point");
	return vcpu;
}

static void test_irq_window(void)
{
	struct vcpu *vcpu = start_ready(false);
	struct kvm_interrupt irq = { .irq = 0x40 };

	/* At the OUT the guest has IF = 0: not ready for injection. */
	CHECK_EQ(vcpu->run->if_flag, 0);
	CHECK_EQ(vcpu->run->ready_for_interrupt_injection, 0);
	vcpu->run->request_interrupt_window = 1;
	if (RUN_EXPECT(vcpu, KVM_EXIT_IRQ_WINDOW_OPEN)) {
		CHECK_EQ(vcpu->run->if_flag, 1);
		CHECK_EQ(vcpu->run->ready_for_interrupt_injection, 1);
	}
	vcpu->run->request_interrupt_window = 0;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_INTERRUPT, &irq));
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x12, 1);
	guest_destroy(vcpu);
}

static void test_interrupt_errors(void)
{
	struct vcpu *vcpu = start(SNIPPET_CODE(ev_real), true);
	struct kvm_interrupt irq = { .irq = 0x40 };

	/* The in-kernel PIC owns ExtINT: KVM_INTERRUPT is refused. */
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_INTERRUPT, &irq), ENXIO);
	guest_destroy(vcpu);

	vcpu = start(SNIPPET_CODE(ev_real), false);
	irq.irq = 256;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_INTERRUPT, &irq), EINVAL);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_INTERRUPT, NULL), EFAULT);
	guest_destroy(vcpu);
}

/*
 * Run the NMI handler through its IRET (IF comes back on, so the window
 * opens and exits).  Without this Bochs 2.7 carries the virtual-NMI
 * blocking over into the next VMCS it enters, whatever that VMCS says.
 */
static void leave_nmi_handler(struct vcpu *vcpu)
{
	vcpu->run->request_interrupt_window = 1;
	RUN_EXPECT(vcpu, KVM_EXIT_IRQ_WINDOW_OPEN);
	vcpu->run->request_interrupt_window = 0;
}

/*
 * Two NMIs: the second, raised while the handler runs, must wait for the
 * handler's IRET, so both handler runs see the same stack pointer.
 */
static void test_nmi_blocking(void)
{
	struct vcpu *vcpu = start_ready(false);
	struct kvm_regs r1, r2;

	vcpu->run->request_interrupt_window = 0;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_NMI));
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x13, 1))
		goto out;
	vcpu_get_regs(vcpu, &r1);
	CHECK_EQ(r1.rsi & 0xffff, 1);
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_NMI));
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x13, 1))
		goto out;
	vcpu_get_regs(vcpu, &r2);
	CHECK_EQ(r2.rsi & 0xffff, 2);
	/* Nested delivery would have pushed a second frame. */
	CHECK_EQ(r2.rdi & 0xffff, r1.rdi & 0xffff);
	leave_nmi_handler(vcpu);
out:
	guest_destroy(vcpu);
}

static void test_vcpu_events(void)
{
	struct vcpu *vcpu = start_ready(false);
	struct kvm_vcpu_events ev;
	struct kvm_regs regs;

	memset(&ev, 0, sizeof(ev));
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev));
	CHECK_EQ(ev.interrupt.injected, 0);
	CHECK_EQ(ev.nmi.pending, 0);
	CHECK_EQ(ev.nmi.masked, 0);
	CHECK_EQ(ev.exception.injected, 0);

	/* An injected interrupt is delivered as is: no window is asked
	 * for.  (IF must be 1: VMX refuses to enter otherwise.)
	 */
	vcpu_get_regs(vcpu, &regs);
	regs.rflags |= RFLAGS_IF;
	vcpu_set_regs(vcpu, &regs);
	ev.interrupt.injected = 1;
	ev.interrupt.nr = 0x40;
	ev.flags = 0;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev));
	memset(&ev, 0xff, sizeof(ev));
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev));
	CHECK_EQ(ev.interrupt.injected, 1);
	CHECK_EQ(ev.interrupt.nr, 0x40);
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x12, 1);

	/* A pending NMI set through the ioctl is delivered. */
	memset(&ev, 0, sizeof(ev));
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	ev.nmi.pending = 1;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev));
	memset(&ev, 0, sizeof(ev));
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev));
	CHECK_EQ(ev.nmi.pending, 1);
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x13, 1))
		leave_nmi_handler(vcpu);

	/* Bad input. */
	memset(&ev, 0, sizeof(ev));
	ev.flags = 0x80000000;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	ev.flags = 0;
	ev.exception.injected = 1;
	ev.exception.nr = 2;	/* NMI is not an exception */
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	ev.exception.nr = 32;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, NULL), EFAULT);
	guest_destroy(vcpu);
}

static void test_mp_state(void)
{
	struct vcpu *vcpu = start(SNIPPET_CODE(ev_real), false);
	struct kvm_mp_state mp = { 0xff };

	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp));
	CHECK_EQ(mp.mp_state, KVM_MP_STATE_RUNNABLE);
	/* Without an in-kernel APIC only RUNNABLE makes sense. */
	mp.mp_state = KVM_MP_STATE_HALTED;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp), EINVAL);
	mp.mp_state = KVM_MP_STATE_RUNNABLE;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp));
	guest_destroy(vcpu);

	vcpu = start(SNIPPET_CODE(ev_real), true);
	mp.mp_state = KVM_MP_STATE_HALTED;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp));
	mp.mp_state = 0xff;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp));
	CHECK_EQ(mp.mp_state, KVM_MP_STATE_HALTED);
	mp.mp_state = 1000;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp), EINVAL);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_GET_MP_STATE, NULL), EFAULT);
	guest_destroy(vcpu);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* With an irqchip, HLT sleeps in KVM_RUN: a signal ends the sleep with
 * EINTR and the vCPU stays HALTED; an NMI wakes it into its handler.
 */
static void test_hlt_sleeps(void)
{
	struct vcpu *vcpu = start(SNIPPET_CODE(ev_halt), true);
	struct itimerspec its = { .it_value.tv_nsec = 200 * 1000 * 1000 };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct kvm_mp_state mp;
	struct timespec t0, t1;
	timer_t timer;
	double secs;

	sigaction(SIGUSR1, &sa, NULL);
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer))
		tap_bail("timer_create failed");
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x10, 1))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	timer_settime(timer, 0, &its, NULL);
	CHECK_ERRNO(vcpu_run(vcpu), EINTR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_EXIT(vcpu, KVM_EXIT_INTR);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* It slept until the signal rather than returning at once. */
	CHECK(secs >= 0.15);
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp));
	CHECK_EQ(mp.mp_state, KVM_MP_STATE_HALTED);

	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_NMI));
	/* The handler runs first, then its IRET returns past the HLT. */
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x13, 1))
		goto out;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp));
	CHECK_EQ(mp.mp_state, KVM_MP_STATE_RUNNABLE);
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x14, 1);
out:
	timer_delete(timer);
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "request_interrupt_window -> IRQ_WINDOW_OPEN, KVM_INTERRUPT delivers",
	  test_irq_window },
	{ "KVM_INTERRUPT errors: ENXIO with irqchip, EINVAL, EFAULT",
	  test_interrupt_errors },
	{ "KVM_NMI: a second NMI waits for the handler's IRET",
	  test_nmi_blocking },
	{ "KVM_GET/SET_VCPU_EVENTS: injected IRQ, pending NMI, errors",
	  test_vcpu_events },
	{ "KVM_GET/SET_MP_STATE with and without an irqchip", test_mp_state },
	{ "irqchip: HLT sleeps until a signal (EINTR, HALTED) or an NMI",
	  test_hlt_sleeps },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
