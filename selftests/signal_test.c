// SPDX-License-Identifier: GPL-2.0
/*
 * Signals and KVM_RUN: a signal for the vCPU thread makes KVM_RUN return
 * -1/EINTR with exit_reason KVM_EXIT_INTR, even while the guest spins; a
 * blocked signal does not; kvm_run->immediate_exit makes KVM_RUN return
 * EINTR without running guest code, after completing a pending OUT.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(sig_spin);
SNIPPET_LABEL(sig_spin_loop);
SNIPPET_LABEL(sig_spin_jmp);
SNIPPET(sig_outs);
SNIPPET_LABEL(sig_outs_second);

static volatile sig_atomic_t usr1_count, usr2_count;
static struct vcpu *spin;
static timer_t timer;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

static void on_usr2(int sig)
{
	(void)sig;
	usr2_count++;
}

static void install_handlers(void)
{
	struct sigaction sa;
	struct sigevent sev;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer))
		tap_bail("timer_create failed");
}

static void arm_timer_ms(long ms)
{
	struct itimerspec its = {
		.it_value.tv_sec = ms / 1000,
		.it_value.tv_nsec = (ms % 1000) * 1000000,
	};

	timer_settime(timer, 0, &its, NULL);
}

/* KVM_RUN returns -1/EINTR with KVM_EXIT_INTR. */
static bool expect_eintr(struct vcpu *vcpu)
{
	if (!CHECK_ERRNO(vcpu_run(vcpu), EINTR))
		return false;
	return CHECK_EXIT(vcpu, KVM_EXIT_INTR);
}

static void test_timer_signal(void)
{
	spin = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(sig_spin));
	arm_timer_ms(50);
	if (expect_eintr(spin))
		CHECK_EQ(usr1_count, 1);
}

static void test_resume_after_signal(void)
{
	struct kvm_regs regs;
	uint64_t count;

	vcpu_get_regs(spin, &regs);
	count = regs.rax;
	arm_timer_ms(50);
	if (!expect_eintr(spin))
		return;
	CHECK_EQ(usr1_count, 2);
	vcpu_get_regs(spin, &regs);
	/* Still in the loop, and it kept counting. */
	CHECK(regs.rip == SNIPPET_GPA(sig_spin, sig_spin_loop) ||
	      regs.rip == SNIPPET_GPA(sig_spin, sig_spin_jmp));
	CHECK(regs.rax > count);
	tap_diag("guest loop iterations so far: %llu",
		 (unsigned long long)regs.rax);
}

struct kicker {
	pthread_t target;
};

static void *kick(void *arg)
{
	struct kicker *k = arg;

	usleep(50 * 1000);
	pthread_kill(k->target, SIGUSR2);
	return NULL;
}

static void test_pthread_kill(void)
{
	struct kicker k = { .target = pthread_self() };
	pthread_t thread;

	if (pthread_create(&thread, NULL, kick, &k))
		tap_bail("pthread_create failed");
	if (expect_eintr(spin))
		CHECK_EQ(usr2_count, 1);
	pthread_join(thread, NULL);
	guest_destroy(spin);
}

static void test_blocked_signal(void)
{
	struct vcpu *vcpu = guest_create(GUEST_LONG_MODE,
					 SNIPPET_CODE(sig_outs));
	sigset_t set, old;

	/* Pending but blocked: KVM_RUN must not see it. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR2);
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x60, 1);
	CHECK_EQ(usr2_count, 1);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	CHECK_EQ(usr2_count, 2);
	guest_destroy(vcpu);
}

static void test_immediate_exit_first(void)
{
	struct vcpu *vcpu = guest_create(GUEST_LONG_MODE,
					 SNIPPET_CODE(sig_outs));

	vcpu->run->immediate_exit = 1;
	if (CHECK_ERRNO(vcpu_run(vcpu), EINTR)) {
		/* Not one guest instruction ran. */
		CHECK_EQ(vcpu_get_rip(vcpu), GUEST_CODE_GPA);
		tap_diag("exit_reason after immediate_exit: %u",
			 vcpu->run->exit_reason);
	}
	vcpu->run->immediate_exit = 0;
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x60, 1);
	guest_destroy(vcpu);
}

/*
 * KVM's documented way to finish a pending I/O without running the guest
 * on (e.g. before saving state): KVM_RUN with immediate_exit set.
 */
static void test_immediate_exit_completes_io(void)
{
	struct vcpu *vcpu = guest_create(GUEST_LONG_MODE,
					 SNIPPET_CODE(sig_outs));

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x60, 1))
		goto out;
	vcpu->run->immediate_exit = 1;
	if (CHECK_ERRNO(vcpu_run(vcpu), EINTR))
		CHECK_EQ(vcpu_get_rip(vcpu),
			 SNIPPET_GPA(sig_outs, sig_outs_second));
	/* Twice in a row is harmless and runs nothing either. */
	if (CHECK_ERRNO(vcpu_run(vcpu), EINTR))
		CHECK_EQ(vcpu_get_rip(vcpu),
			 SNIPPET_GPA(sig_outs, sig_outs_second));
	vcpu->run->immediate_exit = 0;
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, 0x61, 1);
out:
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "timer signal interrupts a spinning guest: EINTR, EXIT_INTR",
	  test_timer_signal },
	{ "the interrupted guest resumes and is interrupted again",
	  test_resume_after_signal },
	{ "pthread_kill from another thread interrupts KVM_RUN",
	  test_pthread_kill },
	{ "a pending blocked signal does not interrupt KVM_RUN",
	  test_blocked_signal },
	{ "immediate_exit=1: EINTR at once, no guest instruction runs",
	  test_immediate_exit_first },
	{ "immediate_exit=1 after an OUT exit completes the OUT only",
	  test_immediate_exit_completes_io },
};

int main(void)
{
	kvm_fd();
	install_handlers();
	tap_run(cases, ARRAY_SIZE(cases));
}
