// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt benchmarks on $VMX_DEV (default /dev/vmx), in-kernel irqchip:
 *   timer_latency_ns   TSC-deadline timer: deadline -> guest handler
 *   ipi_roundtrip_ns   vCPU 0 -> IPI -> vCPU 1 (halted) -> IPI -> vCPU 0
 * Medians over the samples, converted with the host's TSC rate.  Prints
 * "bench <name> <ns>".
 *
 * usage: bench_irq [timer_samples [ipi_samples]]
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <x86intrin.h>

#include "guest.h"
#include "names.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(birq);
SNIPPET_LABEL(birq_timer);
SNIPPET_LABEL(birq_ping);
SNIPPET_LABEL(birq_pong);
SNIPPET_LABEL(birq_isr_done);
SNIPPET_LABEL(birq_isr_pong);

#define STACK1_TOP	0x40000
#define SAMPLES_GPA	0x50000
#define MAX_SAMPLES	((GUEST_MEM_SIZE - SAMPLES_GPA) / 8)
#define TIMER_DELAY_NS	100000

static double tsc_per_ns;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The guest's TSC runs at the host's rate: measure it once. */
static void measure_tsc(void)
{
	double t0 = now_ns();
	uint64_t c0 = __rdtsc();

	while (now_ns() - t0 < 200e6)
		;
	tsc_per_ns = (__rdtsc() - c0) / (now_ns() - t0);
}

static void setup(struct vcpu *vcpu, uint64_t rip, uint64_t rsp,
		  uint64_t samples)
{
	struct kvm_regs regs;
	struct kvm_mp_state mp = { KVM_MP_STATE_RUNNABLE };

	guest_set_supported_cpuid(vcpu);
	guest_setup_long_mode(vcpu);
	guest_set_idt_gate(vcpu, 0x40, SNIPPET_GPA(birq, birq_isr_done));
	guest_set_idt_gate(vcpu, 0x42, SNIPPET_GPA(birq, birq_isr_done));
	guest_set_idt_gate(vcpu, 0x41, SNIPPET_GPA(birq, birq_isr_pong));
	vcpu_get_regs(vcpu, &regs);
	regs.rip = rip;
	regs.rsp = rsp;
	regs.rbx = samples;
	regs.r12 = TIMER_DELAY_NS * tsc_per_ns;
	regs.r13 = SAMPLES_GPA;
	vcpu_set_regs(vcpu, &regs);
	/* With an in-kernel APIC, APs wait for INIT/SIPI otherwise. */
	if (ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp))
		tap_bail("KVM_SET_MP_STATE: %s", errno_name(errno));
}

static struct vm *create_vm(void)
{
	struct vm *vm = guest_create_irqchip_vm();

	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(birq));
	return vm;
}

static void run_to_port(struct vcpu *vcpu, uint16_t port)
{
	struct kvm_run *run = vcpu->run;

	if (vcpu_run(vcpu))
		tap_bail("KVM_RUN: %s", errno_name(errno));
	if (run->exit_reason != KVM_EXIT_IO || run->io.port != port)
		tap_bail("unexpected exit %s (port %#x), want IO on %#x",
			 exit_reason_name(run->exit_reason), run->io.port,
			 port);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static double median_ns(struct vm *vm, unsigned long n)
{
	uint64_t *s = vm_hva(vm, SAMPLES_GPA);

	qsort(s, n, sizeof(*s), cmp_u64);
	return s[n / 2] / tsc_per_ns;
}

static double bench_timer(unsigned long n)
{
	struct vm *vm = create_vm();
	struct vcpu *vcpu = vcpu_create(vm, 0);
	double r;

	setup(vcpu, SNIPPET_GPA(birq, birq_timer), GUEST_STACK_TOP, n);
	run_to_port(vcpu, 0x90);
	r = median_ns(vm, n);
	vcpu_free(vcpu);
	vm_free(vm);
	return r;
}

static void *pong_thread(void *arg)
{
	struct vcpu *vcpu = arg;

	/* Runs until the main thread's signal-free teardown: an exit here
	 * (anything but EINTR) is a broken guest.
	 */
	while (!vcpu_run(vcpu) || errno == EINTR)
		;
	return NULL;
}

static double bench_ipi(unsigned long n)
{
	struct vm *vm = create_vm();
	struct vcpu *ping = vcpu_create(vm, 0);
	struct vcpu *pong = vcpu_create(vm, 1);
	pthread_t t;
	double r;

	setup(ping, SNIPPET_GPA(birq, birq_ping), GUEST_STACK_TOP, n);
	setup(pong, SNIPPET_GPA(birq, birq_pong), STACK1_TOP, 0);
	if (pthread_create(&t, NULL, pong_thread, pong))
		tap_bail("pthread_create failed");
	run_to_port(ping, 0x91);
	r = median_ns(vm, n);
	/* The pong vCPU sleeps in HLT forever: end the process instead of
	 * tearing the VM down under it.
	 */
	return r;
}

int main(int argc, char **argv)
{
	unsigned long nt = argc > 1 ? strtoul(argv[1], NULL, 0) : 500;
	unsigned long ni = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000;

	if (!nt || !ni || nt > MAX_SAMPLES || ni > MAX_SAMPLES) {
		fprintf(stderr, "usage: %s [timer_samples [ipi_samples]] (1..%lu)\n",
			argv[0], (unsigned long)MAX_SAMPLES);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	kvm_fd();
	measure_tsc();
	printf("# bench_irq on %s: %lu timer samples (deadline +%d us), %lu IPI round trips, TSC %.3f GHz\n",
	       kvm_path(), nt, TIMER_DELAY_NS / 1000, ni, tsc_per_ns);
	printf("bench timer_latency_ns %.1f\n", bench_timer(nt));
	printf("bench ipi_roundtrip_ns %.1f\n", bench_ipi(ni));
	return 0;
}
