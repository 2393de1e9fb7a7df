// SPDX-License-Identifier: GPL-2.0
/*
 * Many vCPUs in one VM: 64 vCPUs, one thread each, run the same guest at
 * the same time.  Every vCPU must see its own registers (its number and
 * counter come back in order on every exit) and finish with HLT; with
 * more vCPUs than ASIDs/VPIDs per CPU this also exercises their reuse.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>

#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(smp_loop);

#define NR_VCPUS	64
#define ROUNDS		50

struct worker {
	struct vcpu *vcpu;
	pthread_t thread;
	int errors;		/* wrong exits or values */
	int outs;
	bool halted;
};

static pthread_barrier_t go;

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct kvm_run *run = w->vcpu->run;
	uint32_t want, got;

	pthread_barrier_wait(&go);
	for (;;) {
		if (vcpu_run(w->vcpu)) {
			w->errors++;
			break;
		}
		if (run->exit_reason == KVM_EXIT_HLT) {
			w->halted = true;
			break;
		}
		if (run->exit_reason != KVM_EXIT_IO || run->io.port != 0x10 ||
		    run->io.size != 4) {
			w->errors++;
			break;
		}
		memcpy(&got, vcpu_io_data(w->vcpu), 4);
		want = (w->vcpu->id << 16) | w->outs;
		if (got != want)
			w->errors++;
		w->outs++;
	}
	return NULL;
}

static void test_64_vcpus(void)
{
	static struct worker w[NR_VCPUS];
	struct kvm_regs regs;
	struct vm *vm;
	int i, n = 0;

	if (kvm_check_cap(KVM_CAP_MAX_VCPUS) < NR_VCPUS) {
		tap_case_skip("KVM_CAP_MAX_VCPUS < 64");
		return;
	}
	vm = vm_create();
	vm_add_memory(vm, 0, 0, GUEST_MEM_SIZE);
	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(smp_loop));
	for (i = 0; i < NR_VCPUS; i++) {
		w[i].vcpu = vcpu_create(vm, i);
		guest_setup_long_mode(w[i].vcpu);
		vcpu_get_regs(w[i].vcpu, &regs);
		regs.rbx = i;
		regs.rcx = ROUNDS;
		vcpu_set_regs(w[i].vcpu, &regs);
	}
	pthread_barrier_init(&go, NULL, NR_VCPUS);
	for (i = 0; i < NR_VCPUS; i++)
		if (pthread_create(&w[i].thread, NULL, worker_fn, &w[i]))
			tap_bail("pthread_create failed");
	for (i = 0; i < NR_VCPUS; i++) {
		pthread_join(w[i].thread, NULL);
		if (!w[i].errors && w[i].halted && w[i].outs == ROUNDS)
			n++;
		else
			tap_diag("vCPU %d: %d errors, %d OUTs, halted %d", i,
				 w[i].errors, w[i].outs, w[i].halted);
	}
	CHECK_EQ(n, NR_VCPUS);
	for (i = 0; i < NR_VCPUS; i++)
		vcpu_free(w[i].vcpu);
	vm_free(vm);
}

static const struct tap_case cases[] = {
	{ "64 vCPUs in threads each see their own state and finish",
	  test_64_vcpus },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
