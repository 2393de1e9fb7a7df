// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC registers as a guest sees them: power-on values, TPR/PPR/CR8
 * and the priority check, LDR/DFR, x2APIC MSRs and their #GPs, the
 * IA32_APIC_BASE state machine (SDM "x2APIC State Transitions") and the
 * xAPIC page turning into a hole that reads all ones in x2APIC mode.
 */
#include "check.h"
#include "guest.h"
#include "lapic.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(lr);
SNIPPET_LABEL(lr_gp);
SNIPPET_LABEL(lr_isr);
SNIPPET_LABEL(lr_spurious);

#define RES_GPA		(GUEST_DATA_GPA + 0x100)
#define SELF_VECTOR	0x45

static struct vcpu *vcpu;
static bool ran;

static uint64_t res(int n)
{
	return ((uint64_t *)guest_mem(vcpu, RES_GPA))[n];
}

static void test_run(void)
{
	struct vm *vm = guest_create_irqchip_vm();

	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(lr));
	vcpu = vcpu_create(vm, 0);
	guest_set_supported_cpuid(vcpu);
	guest_setup_long_mode(vcpu);
	guest_set_idt_gate(vcpu, 13, SNIPPET_GPA(lr, lr_gp));
	guest_set_idt_gate(vcpu, SELF_VECTOR, SNIPPET_GPA(lr, lr_isr));
	guest_set_idt_gate(vcpu, SPURIOUS_VECTOR, SNIPPET_GPA(lr, lr_spurious));
	ran = RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_DONE, 1);
}

static void test_power_on(void)
{
	if (!ran)
		return tap_case_skip("guest did not finish");
	CHECK_EQ(res(0), 0x50014);		/* version, 6 LVTs */
	CHECK_EQ(res(1), 0);			/* APIC ID of vCPU 0 */
	CHECK_EQ(res(2), 0xff);			/* SVR: software-disabled */
	CHECK_EQ(res(3), LVT_MASKED);
	CHECK_EQ(res(4), 0x700);		/* BSP LINT0: ExtINT */
	CHECK_EQ(res(5), 0xffffffff);		/* DFR: flat */
	CHECK_EQ(res(6), 0xfee00900);		/* base, EN, BSP */
}

static void test_tpr(void)
{
	if (!ran)
		return tap_case_skip("guest did not finish");
	CHECK_EQ(res(7), 0x30);			/* PPR = TPR, ISR empty */
	CHECK_EQ(res(8), 3);			/* CR8 = TPR[7:4] */
	CHECK_EQ(res(9), 0x12000000);		/* LDR: bits 31:24 */
	CHECK_EQ(res(10), 0x0fffffff);		/* DFR: model bits only */
}

static void test_priority(void)
{
	if (!ran)
		return tap_case_skip("guest did not finish");
	CHECK_EQ(res(11), 0);			/* held off by TPR 0x50 */
	CHECK_EQ(res(12), 1u << (SELF_VECTOR - 64));	/* pending in IRR */
	CHECK_EQ(res(13), 0x100 | 0x40);	/* taken; PPR = ISR class */
}

static void test_x2apic(void)
{
	if (!ran)
		return tap_case_skip("guest did not finish");
	CHECK_EQ(res(14), 1);			/* x2APIC MSR in xAPIC */
	CHECK_EQ(res(15), 0);			/* x2APIC ID */
	CHECK_EQ(res(16), 1);			/* LDR cluster 0, bit 0 */
	CHECK_EQ(res(17), 0x50014);
	CHECK_EQ(res(18), 0xffffffff);		/* MMIO hole */
	CHECK_EQ(res(19), 0);			/* TPR after the test */
	CHECK_EQ(res(20), 1 + 6);		/* six more #GPs */
}

static void test_base(void)
{
	if (!ran)
		return tap_case_skip("guest did not finish");
	CHECK_EQ(res(21), 7 + 4);		/* four illegal writes */
	CHECK_EQ(res(22), 0xfee00900);
	CHECK_EQ(res(23), 0);
	CHECK_EQ(res(24), 0);			/* xAPIC ID back */
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "guest runs to its report without other exits", test_run },
	{ "power-on register values", test_power_on },
	{ "TPR, PPR, CR8, LDR and DFR", test_tpr },
	{ "TPR holds a self IPI in IRR; PPR follows the ISR", test_priority },
	{ "x2APIC MSRs: #GP in xAPIC mode, ID, LDR, read-only/reserved",
	  test_x2apic },
	{ "IA32_APIC_BASE transitions and TSC_DEADLINE outside its mode",
	  test_base },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
