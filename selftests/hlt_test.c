// SPDX-License-Identifier: GPL-2.0
/*
 * HLT without an in-kernel irqchip: every HLT is a KVM_EXIT_HLT with RIP
 * already past the instruction, and the next KVM_RUN continues there.
 */
#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

#define RFLAGS_IF	(1ull << 9)

SNIPPET(hlt_real);
SNIPPET_LABEL(hlt_real_after1);
SNIPPET_LABEL(hlt_real_after2);
SNIPPET_LABEL(hlt_real_after3);
SNIPPET_LABEL(hlt_real_after4);
SNIPPET(hlt_long);
SNIPPET_LABEL(hlt_long_after1);
SNIPPET_LABEL(hlt_long_after2);

static struct vcpu *real, *lm;

/* Run to the next exit, expect HLT at @rip with AX/RAX = @rax. */
static void expect_hlt(struct vcpu *vcpu, uint64_t rip, uint64_t rax,
		       uint64_t rax_mask)
{
	struct kvm_regs regs;

	if (!RUN_EXPECT(vcpu, KVM_EXIT_HLT))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rip, rip);
	CHECK_EQ(regs.rax & rax_mask, rax);
}

static void test_real_first(void)
{
	real = guest_create(GUEST_REAL_MODE, SNIPPET_CODE(hlt_real));
	expect_hlt(real, SNIPPET_OFFSET(hlt_real, hlt_real_after1), 0x1111,
		   0xffff);
}

static void test_real_resume(void)
{
	expect_hlt(real, SNIPPET_OFFSET(hlt_real, hlt_real_after2), 0x2222,
		   0xffff);
}

static void test_real_cli(void)
{
	struct kvm_regs regs;

	expect_hlt(real, SNIPPET_OFFSET(hlt_real, hlt_real_after3), 0x3333,
		   0xffff);
	vcpu_get_regs(real, &regs);
	CHECK_EQ(regs.rflags & RFLAGS_IF, 0);
}

static void test_real_sti(void)
{
	struct kvm_regs regs;

	/* No irqchip, nothing to wake the vCPU: still a HLT exit. */
	expect_hlt(real, SNIPPET_OFFSET(hlt_real, hlt_real_after4), 0x4444,
		   0xffff);
	vcpu_get_regs(real, &regs);
	CHECK_EQ(regs.rflags & RFLAGS_IF, RFLAGS_IF);
	guest_destroy(real);
}

static void test_long_first(void)
{
	lm = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(hlt_long));
	expect_hlt(lm, SNIPPET_GPA(hlt_long, hlt_long_after1),
		   0x1111222233334444, ~0ull);
}

static void test_long_resume(void)
{
	struct kvm_regs regs;

	expect_hlt(lm, SNIPPET_GPA(hlt_long, hlt_long_after2),
		   0x5555666677778888, ~0ull);
	vcpu_get_regs(lm, &regs);
	CHECK_EQ(regs.r15, 0x99);
}

static void test_set_rip_after_hlt(void)
{
	struct kvm_regs regs;

	/* A HLT exit leaves nothing pending: a new RIP is simply taken. */
	vcpu_get_regs(lm, &regs);
	regs.rip = SNIPPET_GPA(hlt_long, hlt_long_after1);
	vcpu_set_regs(lm, &regs);
	expect_hlt(lm, SNIPPET_GPA(hlt_long, hlt_long_after2),
		   0x5555666677778888, ~0ull);
	guest_destroy(lm);
}

static const struct tap_case cases[] = {
	{ "real mode: HLT exits with RIP after the hlt", test_real_first },
	{ "real mode: KVM_RUN after HLT resumes at the next insn",
	  test_real_resume },
	{ "real mode: HLT with IF=0 exits", test_real_cli },
	{ "real mode: HLT with IF=1 and no irqchip exits", test_real_sti },
	{ "long mode: HLT exits with RIP after the hlt", test_long_first },
	{ "long mode: KVM_RUN after HLT resumes at the next insn",
	  test_long_resume },
	{ "long mode: KVM_SET_REGS RIP after HLT is honoured",
	  test_set_rip_after_hlt },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
