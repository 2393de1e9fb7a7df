// SPDX-License-Identifier: GPL-2.0
/*
 * Exit round-trip benchmarks on $VMX_DEV (default /dev/vmx):
 *   pio_roundtrip_ns    guest OUT -> KVM_RUN returns -> KVM_RUN again
 *   cpuid_roundtrip_ns  guest CPUID handled inside the hypervisor
 * Each is the median over REPS repetitions. Prints "bench <name> <ns>".
 *
 * usage: bench_exits [pio_iterations [cpuid_iterations]]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "guest.h"
#include "names.h"
#include "snippet.h"
#include "stats.h"
#include "tap.h"

SNIPPET(bench_pio);
SNIPPET(bench_cpuid);

#define REPS		5
#define PORT_PIO	0x90
#define PORT_CPUID	0x91

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One KVM_RUN that must end in an OUT to @port; anything else is fatal. */
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

static double bench_pio(unsigned long iters)
{
	struct vcpu *vcpu = guest_create(GUEST_LONG_MODE,
					 SNIPPET_CODE(bench_pio));
	double ns[REPS];
	unsigned long i;
	unsigned int r;

	/* Warm up: first runs fault in memory and caches. */
	for (i = 0; i < iters / 10 + 1; i++)
		run_to_port(vcpu, PORT_PIO);
	for (r = 0; r < REPS; r++) {
		double start = now_ns();

		for (i = 0; i < iters; i++)
			run_to_port(vcpu, PORT_PIO);
		ns[r] = (now_ns() - start) / iters;
	}
	guest_destroy(vcpu);
	return median(ns, REPS);
}

static double bench_cpuid(unsigned long iters)
{
	struct vcpu *vcpu = guest_create(GUEST_LONG_MODE,
					 SNIPPET_CODE(bench_cpuid));
	struct kvm_regs regs;
	double ns[REPS];
	unsigned int r;

	/* The guest does R8 CPUIDs per port exit. */
	vcpu_get_regs(vcpu, &regs);
	regs.r8 = iters;
	vcpu_set_regs(vcpu, &regs);
	run_to_port(vcpu, PORT_CPUID);
	for (r = 0; r < REPS; r++) {
		double start = now_ns();

		run_to_port(vcpu, PORT_CPUID);
		ns[r] = (now_ns() - start) / iters;
	}
	guest_destroy(vcpu);
	return median(ns, REPS);
}

int main(int argc, char **argv)
{
	unsigned long pio_iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
	unsigned long cpuid_iters = argc > 2 ? strtoul(argv[2], NULL, 0) :
					       20000;

	if (!pio_iters || !cpuid_iters) {
		fprintf(stderr, "usage: %s [pio_iterations [cpuid_iterations]]\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# bench_exits on %s: %lu OUT exits x %d, %lu CPUIDs x %d\n",
	       kvm_path(), pio_iters, REPS, cpuid_iters, REPS);
	kvm_fd();
	printf("bench pio_roundtrip_ns %.1f\n", bench_pio(pio_iters));
	printf("bench cpuid_roundtrip_ns %.1f\n", bench_cpuid(cpuid_iters));
	return 0;
}
