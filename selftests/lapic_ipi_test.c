// SPDX-License-Identifier: GPL-2.0
/*
 * IPIs between the in-kernel local APICs of a 4-vCPU VM, one thread per
 * vCPU: the BSP starts the APs with INIT + SIPI (they report
 * UNINITIALIZED, then INIT_RECEIVED in KVM_GET_MP_STATE), every AP
 * reaches long mode, then fixed, all-but-self and self IPIs arrive
 * exactly as often as they were sent; flat logical, lowest-priority and
 * NMI IPIs reach only their targets.  Also KVM_GET/SET_LAPIC.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "check.h"
#include "guest.h"
#include "lapic.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(ipi);
SNIPPET(ipi_tramp);
SNIPPET(ipi_b2b);
SNIPPET_LABEL(ipi_stubs);
SNIPPET_LABEL(ipi_spurious);
SNIPPET_LABEL(ipi_nmi);

#define LAPIC_REG(s, off)	(*(uint32_t *)((s)->regs + (off)))
#define LAPIC_VERSION		0x50014

static struct vm *vm;
static struct vcpu *cpus[IPI_NCPUS];
static pthread_t threads[IPI_NCPUS];

struct ap_result {
	int ret;
	uint32_t exit_reason;
	uint16_t port;
};
static struct ap_result results[IPI_NCPUS];

static uint64_t mem64(uint64_t gpa)
{
	return *(volatile uint64_t *)vm_hva(vm, gpa);
}

static int mp_state(struct vcpu *v)
{
	struct kvm_mp_state mp = { .mp_state = 0xff };

	if (ioctl(v->fd, KVM_GET_MP_STATE, &mp))
		return -1;
	return mp.mp_state;
}

static void *ap_thread(void *arg)
{
	struct ap_result *r = arg;
	int id = r - results;

	r->ret = vcpu_run(cpus[id]);
	r->exit_reason = cpus[id]->run->exit_reason;
	r->port = cpus[id]->run->io.port;
	return NULL;
}

static void setup(void)
{
	struct kvm_regs regs;
	int i, v;

	vm = guest_create_irqchip_vm();
	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(ipi));
	guest_load(vm, TRAMP_GPA, SNIPPET_CODE(ipi_tramp));
	for (i = 0; i < IPI_NCPUS; i++) {
		cpus[i] = vcpu_create(vm, i);
		guest_set_supported_cpuid(cpus[i]);
	}
	guest_setup_long_mode(cpus[0]);
	for (v = 0; v < VEC_STUBS; v++)
		guest_set_idt_gate(cpus[0], VEC_FIRST + v,
				   SNIPPET_GPA(ipi, ipi_stubs) + v * 16);
	guest_set_idt_gate(cpus[0], 2, SNIPPET_GPA(ipi, ipi_nmi));
	guest_set_idt_gate(cpus[0], SPURIOUS_VECTOR,
			   SNIPPET_GPA(ipi, ipi_spurious));
	vcpu_get_regs(cpus[0], &regs);
	regs.rsp = STACKS_GPA + 0x1000;
	vcpu_set_regs(cpus[0], &regs);
}

static void test_uninitialized(void)
{
	int i;

	CHECK_EQ(mp_state(cpus[0]), KVM_MP_STATE_RUNNABLE);
	for (i = 1; i < IPI_NCPUS; i++)
		CHECK_EQ(mp_state(cpus[i]), KVM_MP_STATE_UNINITIALIZED);
}

static void test_init(void)
{
	int i;

	if (!RUN_EXPECT_IO(cpus[0], KVM_EXIT_IO_OUT, 1, PORT_INIT_SENT, 1))
		return;
	for (i = 1; i < IPI_NCPUS; i++)
		CHECK_EQ(mp_state(cpus[i]), KVM_MP_STATE_INIT_RECEIVED);
}

static void test_storm(void)
{
	int i, s, d;

	for (i = 1; i < IPI_NCPUS; i++)
		if (pthread_create(&threads[i], NULL, ap_thread, &results[i]))
			tap_bail("pthread_create");
	RUN_EXPECT_IO(cpus[0], KVM_EXIT_IO_OUT, 1, PORT_DONE, 1);
	for (i = 1; i < IPI_NCPUS; i++) {
		pthread_join(threads[i], NULL);
		CHECK_EQ(results[i].ret, 0);
		CHECK_EQ(results[i].exit_reason, KVM_EXIT_IO);
		CHECK_EQ(results[i].port, PORT_AP_DONE);
	}
	for (i = 0; i < IPI_NCPUS; i++) {
		CHECK_EQ(mem64(ALIVE_GPA + i * 8), 1);
		CHECK_EQ(mem64(DONE_GPA + i * 8), 1);
	}
	for (d = 0; d < IPI_NCPUS; d++) {
		uint64_t row = CNT_GPA + d * CNT_STRIDE;

		for (s = 0; s < IPI_NCPUS; s++) {
			uint64_t want = s == d ? 0 : IPI_N;

			CHECK_EQ(mem64(row + (VEC_FIXED + s - VEC_FIRST) * 8),
				 want);
			CHECK_EQ(mem64(row + (VEC_BCAST + s - VEC_FIRST) * 8),
				 want);
		}
		CHECK_EQ(mem64(row + (VEC_SELF - VEC_FIRST) * 8), IPI_N);
	}
}

static uint64_t cnt(int id, int vec)
{
	return mem64(CNT_GPA + id * CNT_STRIDE + (vec - VEC_FIRST) * 8);
}

static void test_logical(void)
{
	int i;

	for (i = 0; i < IPI_NCPUS; i++) {
		/* Flat mask 0x0e, then 0x04 alone. */
		CHECK_EQ(cnt(i, VEC_LOGICAL), i != 0);
		CHECK_EQ(cnt(i, VEC_LOGICAL_ONE), i == 2);
		CHECK_EQ(cnt(i, VEC_SYNC), i != 0);
		CHECK_EQ(mem64(NMI_GPA + i * 8), i == 3);
	}
	/* Lowest priority among mask 0x0a: exactly one of vCPUs 1 and 3. */
	CHECK_EQ(cnt(0, VEC_LOWEST) + cnt(2, VEC_LOWEST), 0);
	CHECK_EQ(cnt(1, VEC_LOWEST) + cnt(3, VEC_LOWEST), 1);
}

static void test_lapic_state(void)
{
	struct kvm_lapic_state s;
	struct kvm_sregs sregs;
	int i;

	for (i = 0; i < IPI_NCPUS; i++) {
		if (!CHECK_SUCCESS(ioctl(cpus[i]->fd, KVM_GET_LAPIC, &s)))
			return;
		CHECK_EQ(LAPIC_REG(&s, APIC_REG_ID), (uint32_t)i << 24);
		CHECK_EQ(LAPIC_REG(&s, 0x30), LAPIC_VERSION);
		CHECK_EQ(LAPIC_REG(&s, APIC_REG_SVR), SVR_ENABLE_SPURIOUS);
	}
	/* TPR through KVM_SET_LAPIC shows in KVM_GET_LAPIC and in CR8. */
	LAPIC_REG(&s, APIC_REG_TPR) = 0x20;
	CHECK_SUCCESS(ioctl(cpus[3]->fd, KVM_SET_LAPIC, &s));
	memset(&s, 0, sizeof(s));
	CHECK_SUCCESS(ioctl(cpus[3]->fd, KVM_GET_LAPIC, &s));
	CHECK_EQ(LAPIC_REG(&s, APIC_REG_TPR), 0x20);
	vcpu_get_sregs(cpus[3], &sregs);
	CHECK_EQ(sregs.cr8, 2);
}

static void test_no_irqchip(void)
{
	struct vm *plain = vm_create();
	struct vcpu *v = vcpu_create(plain, 0);
	struct kvm_lapic_state s = {};

	/* KVM's answer for a vCPU without an in-kernel APIC. */
	CHECK_ERRNO(ioctl(v->fd, KVM_GET_LAPIC, &s), EINVAL);
	CHECK_ERRNO(ioctl(v->fd, KVM_SET_LAPIC, &s), EINVAL);
	vcpu_free(v);
	vm_free(plain);
}

/*
 * INIT then SIPI with the AP's thread not running in between: the AP
 * takes the SIPI (Linux boots its APs this way; a dropped SIPI left one
 * offline).  KVM_GET_MP_STATE applies pending INIT/SIPI, as on KVM.
 */
static void test_init_sipi_back_to_back(void)
{
	struct vm *m = guest_create_irqchip_vm();
	struct vcpu *bsp, *ap;
	struct kvm_sregs s;

	guest_load(m, GUEST_CODE_GPA, SNIPPET_CODE(ipi_b2b));
	bsp = vcpu_create(m, 0);
	ap = vcpu_create(m, 1);
	guest_set_supported_cpuid(bsp);
	guest_set_supported_cpuid(ap);
	guest_setup_long_mode(bsp);
	if (RUN_EXPECT_IO(bsp, KVM_EXIT_IO_OUT, 1, PORT_DONE, 1)) {
		struct kvm_mp_state mp = { .mp_state = 0xff };

		CHECK_SUCCESS(ioctl(ap->fd, KVM_GET_MP_STATE, &mp));
		CHECK_EQ(mp.mp_state, KVM_MP_STATE_RUNNABLE);
		vcpu_get_sregs(ap, &s);
		CHECK_EQ(s.cs.selector, TRAMP_GPA >> 4);
		CHECK_EQ(s.cs.base, TRAMP_GPA);
	}
	vcpu_free(ap);
	vcpu_free(bsp);
	vm_free(m);
}

static const struct tap_case cases[] = {
	{ "APs are UNINITIALIZED before INIT, the BSP RUNNABLE",
	  test_uninitialized },
	{ "INIT to all-but-self: APs report INIT_RECEIVED", test_init },
	{ "SIPI starts every AP; fixed, broadcast and self IPIs counted "
	  "exactly", test_storm },
	{ "flat logical, lowest-priority and NMI IPIs reach their targets",
	  test_logical },
	{ "KVM_GET_LAPIC IDs and version; KVM_SET_LAPIC TPR is CR8",
	  test_lapic_state },
	{ "KVM_GET/SET_LAPIC without an irqchip fail", test_no_irqchip },
	{ "INIT and SIPI back to back, AP not yet running: it takes the SIPI",
	  test_init_sipi_back_to_back },
};

int main(void)
{
	kvm_fd();
	setup();
	tap_run(cases, ARRAY_SIZE(cases));
}
