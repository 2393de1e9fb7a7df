// SPDX-License-Identifier: GPL-2.0
/*
 * Protection keys: PKRU is the host's until the guest runs and the guest's
 * while it runs.  Neither VMRUN nor VM entry switches it, and a guest on
 * SVM can set CR4.PKE without an exit, so a hypervisor that forgets it
 * leaves the guest's keys in force for the monitor (and for the kernel's
 * own accesses to its memory).  Needs a host with protection keys
 * (CPUID.7.0:ECX.OSPKE; the QEMU L1 host has +pku).
 */
#include <cpuid.h>
#include <sys/ioctl.h>

#include "check.h"
#include "guest.h"
#include "pkru.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(pkru_guest);
SNIPPET_LABEL(pk_gp);

/* Access and write disable for key 1: not the host's usual value. */
#define GUEST_PKRU	0x0000000cu
/* Write disable for key 15, which nothing here uses. */
#define HOST_EXTRA	0x80000000u
#define ROUNDS		3

static struct vcpu *vcpu;
static uint32_t host_pkru;
static bool refused;

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	asm volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static void wrpkru(uint32_t v)
{
	asm volatile("wrpkru" :: "a"(v), "c"(0), "d"(0) : "memory");
}

static uint32_t guest_eax(void)
{
	struct kvm_regs regs;

	vcpu_get_regs(vcpu, &regs);
	return (uint32_t)regs.rax;
}

static void test_enable(void)
{
	struct kvm_regs regs;

	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(pkru_guest));
	guest_set_supported_cpuid(vcpu);
	guest_set_idt_gate(vcpu, PK_VECTOR_GP, SNIPPET_GPA(pkru_guest, pk_gp));
	vcpu_get_regs(vcpu, &regs);
	regs.rsi = GUEST_PKRU;
	vcpu_set_regs(vcpu, &regs);
	host_pkru = rdpkru();
	if (!CHECK_EQ(vcpu_run(vcpu), 0) || !CHECK_EXIT(vcpu, KVM_EXIT_IO))
		return;
	if (vcpu->run->io.port == PORT_PK_GP) {
		/* VT-x: vmx.ko and KVM only allow what the guest's CPUID has. */
		refused = true;
		tap_case_skip("CR4.PKE raised #GP: this vCPU has no protection keys");
		return;
	}
	if (!CHECK_EQ(vcpu->run->io.port, PORT_PK_RESET))
		return;
	CHECK_EQ(guest_eax(), 0);	/* PKRU's reset value */
	CHECK_EQ(rdpkru(), host_pkru);
}

static void test_write(void)
{
	if (refused) {
		tap_case_skip("CR4.PKE refused");
		return;
	}
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_PK_WRITTEN, 1))
		return;
	if (!CHECK_EQ(rdpkru(), host_pkru))
		tap_diag("the guest's PKRU %#x is the monitor's now", GUEST_PKRU);
}

static void test_keep(void)
{
	unsigned int i;
	uint32_t mine = host_pkru ^ HOST_EXTRA, got, now;

	if (refused) {
		tap_case_skip("CR4.PKE refused");
		return;
	}
	for (i = 0; i < ROUNDS; i++) {
		wrpkru(mine);
		if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_PK_READ, 1))
			break;
		now = rdpkru();
		got = guest_eax();
		if (!CHECK_EQ(got, GUEST_PKRU) || !CHECK_EQ(now, mine))
			break;
	}
	wrpkru(host_pkru);
}

static void test_done(void)
{
	guest_destroy(vcpu);
	CHECK_EQ(rdpkru(), host_pkru);
}

static const struct tap_case cases[] = {
	{ "guest sets CR4.PKE: its PKRU reads 0, not the monitor's", test_enable },
	{ "guest's WRPKRU: the monitor's PKRU is unchanged after the exit", test_write },
	{ "guest's PKRU survives exits and the monitor's own WRPKRU", test_keep },
	{ "VM torn down", test_done },
};

int main(void)
{
	unsigned int a, b, c, d;

	kvm_fd();
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(c & (1u << 4)))
		tap_skip_all("the host has no protection keys (CPUID.7.0:ECX.OSPKE)");
	tap_run(cases, ARRAY_SIZE(cases));
}
