// SPDX-License-Identifier: GPL-2.0
/*
 * A triple fault ends KVM_RUN with KVM_EXIT_SHUTDOWN. What the vCPU state
 * is afterwards differs between KVM backends (SVM resets the vCPU), so
 * nothing is asserted about it; a fresh VM must work normally though.
 */
#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(sd_ud2);
SNIPPET(sd_pf);
SNIPPET(sd_gp);
SNIPPET(sd_real);
SNIPPET(sd_hlt);

static void expect_shutdown(enum guest_mode mode, const void *code,
			    size_t len)
{
	struct vcpu *vcpu = guest_create(mode, code, len);

	RUN_EXPECT(vcpu, KVM_EXIT_SHUTDOWN);
	guest_destroy(vcpu);
}

static void test_ud2(void)
{
	expect_shutdown(GUEST_LONG_MODE, SNIPPET_CODE(sd_ud2));
}

static void test_page_fault(void)
{
	expect_shutdown(GUEST_LONG_MODE, SNIPPET_CODE(sd_pf));
}

static void test_noncanonical(void)
{
	expect_shutdown(GUEST_LONG_MODE, SNIPPET_CODE(sd_gp));
}

static void test_real_mode(void)
{
	expect_shutdown(GUEST_REAL_MODE, SNIPPET_CODE(sd_real));
}

static void test_fresh_vm(void)
{
	struct vcpu *vcpu = guest_create(GUEST_LONG_MODE,
					 SNIPPET_CODE(sd_hlt));

	RUN_EXPECT(vcpu, KVM_EXIT_HLT);
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "long mode: #UD with no IDT -> SHUTDOWN", test_ud2 },
	{ "long mode: #PF (not-present) with no IDT -> SHUTDOWN",
	  test_page_fault },
	{ "long mode: #GP (non-canonical) with no IDT -> SHUTDOWN",
	  test_noncanonical },
	{ "real mode: INT3 with IVT limit 0 -> SHUTDOWN", test_real_mode },
	{ "a new VM runs normally after the shutdowns", test_fresh_vm },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
