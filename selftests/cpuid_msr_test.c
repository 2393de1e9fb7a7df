// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID, RDMSR and WRMSR of MSRs the hypervisor implements never reach
 * user space: the next exit is the guest's port report, and the values
 * agree with KVM_SET_CPUID2 and KVM_GET/SET_MSRS.  CPUID bits that are
 * vCPU state (OSXSAVE, APIC) follow that state in the vCPU's table, and
 * the table is fixed once the vCPU has run.
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
SNIPPET(cm_osxsave);
SNIPPET(cm_inert);
SNIPPET(cm_rdpmc);
SNIPPET_LABEL(cm_rdpmc_gp);
SNIPPET_LABEL(cm_rdpmc_ud);

/* Leaf 0 of our own CPUID table: max leaf 1, vendor "vmxselftests". */
#define LEAF0_EAX	1
#define LEAF0_EBX	0x73786d76	/* "vmxs" */
#define LEAF0_EDX	0x74666c65	/* "elft" */
#define LEAF0_ECX	0x73747365	/* "ests" */
#define LSTAR_HOST	0xffffffff81000000ull
#define MAX_ENTRIES	256
#define CPUID1_ECX_XSAVE	(1u << 26)
#define CPUID1_ECX_OSXSAVE	(1u << 27)
#define CPUID1_EDX_APIC		(1u << 9)
#define MSR_APIC_BASE		0x1b
#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_DEFAULT	0xfee00000ull

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

/* Linux's boot probes of AMD's NB_CFG and SYSCFG: no #GP, both read 0. */
static void test_amd_inert_msrs(void)
{
	struct vcpu *v = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(cm_inert));
	struct kvm_regs regs;

	if (RUN_EXPECT_IO(v, KVM_EXIT_IO_OUT, 1, PORT_INERT, 1)) {
		vcpu_get_regs(v, &regs);
		CHECK_EQ(regs.rsi, 0);
		CHECK_EQ(regs.rdi, 0);
	}
	guest_destroy(v);
}

/*
 * Neither backend has a virtual PMU: RDPMC must raise #GP, as on a CPU
 * without counters, and never read the host's (SVM needs the intercept
 * for that; QEMU's TCG would give #UD without it).  A KVM with a virtual
 * PMU may read its counter instead, which the guest never started: 0.
 */
static void test_rdpmc(void)
{
	struct vcpu *v = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(cm_rdpmc));
	struct kvm_regs regs;

	guest_set_idt_gate(v, 13, SNIPPET_GPA(cm_rdpmc, cm_rdpmc_gp));
	guest_set_idt_gate(v, 6, SNIPPET_GPA(cm_rdpmc, cm_rdpmc_ud));
	if (CHECK_EQ(vcpu_run(v), 0) && CHECK_EXIT(v, KVM_EXIT_IO)) {
		vcpu_get_regs(v, &regs);
		switch (v->run->io.port) {
		case PORT_PMC_GP:
			break;
		case PORT_PMC_VALUE:
			tap_diag("RDPMC read %#llx:%#llx", regs.rdx, regs.rax);
			CHECK_EQ((uint32_t)regs.rax | (uint32_t)regs.rdx, 0);
			break;
		default:
			tap_diag("RDPMC raised %s, want #GP",
				 v->run->io.port == PORT_PMC_UD ? "#UD" : "?");
			CHECK_EQ(v->run->io.port, PORT_PMC_GP);
		}
	}
	guest_destroy(v);
}

static struct kvm_cpuid2 *cpuid_alloc(void)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + MAX_ENTRIES *
				      sizeof(struct kvm_cpuid_entry2));

	if (!c)
		tap_bail("out of memory");
	c->nent = MAX_ENTRIES;
	return c;
}

/* KVM_GET_SUPPORTED_CPUID (fd = system fd) or KVM_GET_CPUID2 (vCPU). */
static struct kvm_cpuid2 *get_cpuid(int fd, unsigned long ioctl_nr)
{
	struct kvm_cpuid2 *c = cpuid_alloc();

	if (!CHECK_SUCCESS(ioctl(fd, ioctl_nr, c))) {
		free(c);
		return NULL;
	}
	return c;
}

static struct kvm_cpuid_entry2 *leaf1(struct kvm_cpuid2 *c)
{
	unsigned int i;

	for (i = 0; c && i < c->nent; i++)
		if (c->entries[i].function == 1)
			return &c->entries[i];
	CHECK(!"CPUID table has leaf 1");
	return NULL;
}

/* Leaf 1 of the vCPU's table, through a fresh KVM_GET_CPUID2. */
static bool vcpu_leaf1(struct vcpu *v, struct kvm_cpuid_entry2 *out)
{
	struct kvm_cpuid2 *c = get_cpuid(v->fd, KVM_GET_CPUID2);
	struct kvm_cpuid_entry2 *e = leaf1(c);

	if (e)
		*out = *e;
	free(c);
	return e != NULL;
}

static struct vcpu *osx_vcpu;
static struct kvm_cpuid2 *osx_supported;

static void test_supported_no_osxsave(void)
{
	struct kvm_cpuid_entry2 *e;

	osx_supported = get_cpuid(kvm_fd(), KVM_GET_SUPPORTED_CPUID);
	e = leaf1(osx_supported);
	if (e)
		CHECK_EQ(e->ecx & CPUID1_ECX_OSXSAVE, 0);
}

static void test_osxsave_follows_cr4(void)
{
	struct kvm_cpuid_entry2 *s = leaf1(osx_supported), e;
	struct kvm_regs regs;

	if (!s)
		return;
	if (!(s->ecx & CPUID1_ECX_XSAVE)) {
		tap_case_skip("no XSAVE in KVM_GET_SUPPORTED_CPUID");
		return;
	}
	osx_vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(cm_osxsave));
	if (!CHECK_SUCCESS(ioctl(osx_vcpu->fd, KVM_SET_CPUID2, osx_supported)))
		return;
	if (vcpu_leaf1(osx_vcpu, &e))
		CHECK_EQ(e.ecx & CPUID1_ECX_OSXSAVE, 0);
	if (!RUN_EXPECT_IO(osx_vcpu, KVM_EXIT_IO_OUT, 1, PORT_OSXSAVE_BEFORE, 1))
		return;
	vcpu_get_regs(osx_vcpu, &regs);
	CHECK_EQ(regs.rcx & CPUID1_ECX_OSXSAVE, 0);
	if (!RUN_EXPECT_IO(osx_vcpu, KVM_EXIT_IO_OUT, 1, PORT_OSXSAVE_AFTER, 1))
		return;
	vcpu_get_regs(osx_vcpu, &regs);
	CHECK_EQ(regs.rcx & CPUID1_ECX_OSXSAVE, CPUID1_ECX_OSXSAVE);
	if (vcpu_leaf1(osx_vcpu, &e))
		CHECK_EQ(e.ecx & CPUID1_ECX_OSXSAVE, CPUID1_ECX_OSXSAVE);
}

static void test_apic_bit_follows_apic_base(void)
{
	struct kvm_cpuid_entry2 e;

	if (!osx_vcpu) {
		tap_case_skip("no vCPU from the OSXSAVE case");
		return;
	}
	vcpu_set_msr(osx_vcpu, MSR_APIC_BASE, APIC_BASE_DEFAULT | APIC_BASE_BSP);
	if (vcpu_leaf1(osx_vcpu, &e))
		CHECK_EQ(e.edx & CPUID1_EDX_APIC, 0);
	vcpu_set_msr(osx_vcpu, MSR_APIC_BASE,
		     APIC_BASE_DEFAULT | APIC_BASE_BSP | APIC_BASE_ENABLE);
	if (vcpu_leaf1(osx_vcpu, &e))
		CHECK_EQ(e.edx & CPUID1_EDX_APIC, CPUID1_EDX_APIC);
}

static void test_set_cpuid_after_run(void)
{
	struct kvm_cpuid2 *c;

	if (!osx_vcpu) {
		tap_case_skip("no vCPU from the OSXSAVE case");
		return;
	}
	c = get_cpuid(osx_vcpu->fd, KVM_GET_CPUID2);
	if (!c)
		goto out;
	/* KVM 6.1's KVM_GET_CPUID2 leaves nent as passed in. */
	c->nent = osx_supported->nent;
	/* The very table it has: accepted. */
	CHECK_SUCCESS(ioctl(osx_vcpu->fd, KVM_SET_CPUID2, c));
	/*
	 * The table first given: only OSXSAVE differs, and that is vCPU
	 * state, not the model, so it is the same table.
	 */
	CHECK_SUCCESS(ioctl(osx_vcpu->fd, KVM_SET_CPUID2, osx_supported));
	/* A changed model: refused. */
	c->entries[0].eax--;
	CHECK_ERRNO(ioctl(osx_vcpu->fd, KVM_SET_CPUID2, c), EINVAL);
	c->nent--;
	CHECK_ERRNO(ioctl(osx_vcpu->fd, KVM_SET_CPUID2, c), EINVAL);
	c->nent = 0;
	CHECK_ERRNO(ioctl(osx_vcpu->fd, KVM_SET_CPUID2, c), EINVAL);
	/* The table is unchanged and the guest runs on. */
	RUN_EXPECT(osx_vcpu, KVM_EXIT_HLT);
	free(c);
	c = get_cpuid(osx_vcpu->fd, KVM_GET_CPUID2);
	if (c) {
		CHECK_EQ(c->entries[0].function, 0);
		CHECK_EQ(c->entries[0].eax, osx_supported->entries[0].eax);
	}
out:
	free(c);
	free(osx_supported);
	guest_destroy(osx_vcpu);
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
	{ "AMD NB_CFG write and SYSCFG read: no #GP, both read 0",
	  test_amd_inert_msrs },
	{ "RDPMC: #GP (no virtual PMU), never the host's counters",
	  test_rdpmc },
	{ "KVM_GET_SUPPORTED_CPUID has no OSXSAVE (it is CR4 state)",
	  test_supported_no_osxsave },
	{ "CPUID and KVM_GET_CPUID2 OSXSAVE follow the guest's CR4",
	  test_osxsave_follows_cr4 },
	{ "KVM_GET_CPUID2 APIC bit follows IA32_APIC_BASE enable",
	  test_apic_bit_follows_apic_base },
	{ "KVM_SET_CPUID2 after KVM_RUN: same table 0, changed EINVAL",
	  test_set_cpuid_after_run },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
