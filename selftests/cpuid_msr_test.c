// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID, RDMSR and WRMSR of MSRs the hypervisor implements never reach
 * user space: the next exit is the guest's port report, and the values
 * agree with KVM_SET_CPUID2 and KVM_GET/SET_MSRS.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "check.h"
#include "cpuid_msr.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(cm_main);
SNIPPET(cm_rdmsr_unknown);
SNIPPET(cm_wrmsr_unknown);

/* Leaf 0 of our own CPUID table: max leaf 1, vendor "vmxselftests". */
#define LEAF0_EAX	1
#define LEAF0_EBX	0x73786d76	/* "vmxs" */
#define LEAF0_EDX	0x74666c65	/* "elft" */
#define LEAF0_ECX	0x73747365	/* "ests" */
#define LSTAR_HOST	0xffffffff81000000ull

static struct vcpu *vcpu;
static bool have_cpuid_table;

static bool set_cpuid_leaf0(struct vcpu *v)
{
	struct kvm_cpuid2 *cpuid = calloc(1, sizeof(*cpuid) +
					  sizeof(struct kvm_cpuid_entry2));
	struct kvm_cpuid_entry2 *e = &cpuid->entries[0];
	int r;

	cpuid->nent = 1;
	e->function = 0;
	e->eax = LEAF0_EAX;
	e->ebx = LEAF0_EBX;
	e->ecx = LEAF0_ECX;
	e->edx = LEAF0_EDX;
	r = ioctl(v->fd, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	return CHECK_SUCCESS(r);
}

static void test_cpuid_no_table(void)
{
	struct vcpu *v = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(cm_main));
	struct kvm_regs regs;

	/* What CPUID returns with no table is up to the hypervisor. */
	if (RUN_EXPECT_IO(v, KVM_EXIT_IO_OUT, 1, PORT_CPUID0, 1)) {
		vcpu_get_regs(v, &regs);
		tap_diag("CPUID.0 without a table: %#llx %#llx %#llx %#llx",
			 (unsigned long long)regs.rax,
			 (unsigned long long)regs.rbx,
			 (unsigned long long)regs.rcx,
			 (unsigned long long)regs.rdx);
	}
	guest_destroy(v);
}

static void test_cpuid_leaf0(void)
{
	struct kvm_regs regs;

	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(cm_main));
	/* Guest CPUID must come from KVM_SET_CPUID2 (before the 1st run). */
	have_cpuid_table = set_cpuid_leaf0(vcpu);
	vcpu_set_msr(vcpu, MSR_LSTAR, LSTAR_HOST);

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_CPUID0, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	if (!have_cpuid_table)
		return;
	CHECK_EQ(regs.rax, LEAF0_EAX);
	CHECK_EQ(regs.rbx, LEAF0_EBX);
	CHECK_EQ(regs.rcx, LEAF0_ECX);
	CHECK_EQ(regs.rdx, LEAF0_EDX);
}

static void test_cpuid_loop(void)
{
	struct kvm_regs regs;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_CPUID_LOOP, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rsi, 0);
	CHECK_EQ(regs.rbx, LEAF0_EBX);
}

static void test_sysenter_cs(void)
{
	struct kvm_regs regs;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_SYSENTER_CS, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rax, SYSENTER_CS_VALUE);
	CHECK_EQ(regs.rdx, 0);
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_SYSENTER_CS), SYSENTER_CS_VALUE);
}

static void test_star(void)
{
	struct kvm_regs regs;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_STAR, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rax, STAR_LO);
	CHECK_EQ(regs.rdx, STAR_HI);
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_STAR),
		 (uint64_t)STAR_HI << 32 | STAR_LO);
}

static void test_lstar_host_to_guest(void)
{
	struct kvm_regs regs;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_LSTAR_READ, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rax, LSTAR_HOST & 0xffffffff);
	CHECK_EQ(regs.rdx, LSTAR_HOST >> 32);
}

static void test_lstar_guest_to_host(void)
{
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_LSTAR_WRITTEN, 1))
		return;
	CHECK_EQ(vcpu_get_msr(vcpu, MSR_LSTAR),
		 (uint64_t)LSTAR_GUEST_HI << 32 | LSTAR_GUEST_LO);
	RUN_EXPECT(vcpu, KVM_EXIT_HLT);
	guest_destroy(vcpu);
}

static void expect_shutdown(const void *code, size_t len)
{
	struct vcpu *v = guest_create(GUEST_LONG_MODE, code, len);

	RUN_EXPECT(v, KVM_EXIT_SHUTDOWN);
	guest_destroy(v);
}

static void test_rdmsr_unknown(void)
{
	expect_shutdown(SNIPPET_CODE(cm_rdmsr_unknown));
}

static void test_wrmsr_unknown(void)
{
	expect_shutdown(SNIPPET_CODE(cm_wrmsr_unknown));
}

static const struct tap_case cases[] = {
	{ "CPUID without KVM_SET_CPUID2 does not exit to user space",
	  test_cpuid_no_table },
	{ "CPUID leaf 0 returns the KVM_SET_CPUID2 entry, no exit",
	  test_cpuid_leaf0 },
	{ "1000 CPUIDs run without a user-space exit", test_cpuid_loop },
	{ "WRMSR/RDMSR SYSENTER_CS round trip, KVM_GET_MSRS agrees",
	  test_sysenter_cs },
	{ "WRMSR/RDMSR STAR round trip, KVM_GET_MSRS agrees", test_star },
	{ "RDMSR LSTAR sees the KVM_SET_MSRS value",
	  test_lstar_host_to_guest },
	{ "WRMSR LSTAR is seen by KVM_GET_MSRS", test_lstar_guest_to_host },
	{ "RDMSR of an unknown MSR: #GP, no IDT -> SHUTDOWN",
	  test_rdmsr_unknown },
	/*
	 * Not "WRMSR of a non-canonical LSTAR": kvm-amd lets the guest
	 * write LSTAR directly and QEMU's emulated SVM takes any value.
	 */
	{ "WRMSR of an unknown MSR: #GP, no IDT -> SHUTDOWN",
	  test_wrmsr_unknown },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
