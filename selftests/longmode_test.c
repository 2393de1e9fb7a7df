// SPDX-License-Identifier: GPL-2.0
/*
 * A 64-bit guest entered directly through KVM_SET_SREGS (paging on, no
 * firmware): memory written by the guest is seen through the host mmap and
 * the other way round, registers are reported exactly by KVM_GET_REGS at
 * HLT and port exits, and the stack works.
 */
#include <string.h>

#include "check.h"
#include "guest.h"
#include "longmode.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(lm);
SNIPPET_LABEL(lm_after_hlt);
SNIPPET_LABEL(lm_ret_addr);

static struct vcpu *vcpu;
static uint64_t *high_mem;

static void check_markers(const struct kvm_regs *r, bool check_rax)
{
	if (check_rax)
		CHECK_EQ(r->rax, 0x1111111111111111);
	CHECK_EQ(r->rbx, 0x2222222222222222);
	CHECK_EQ(r->rcx, 0x3333333333333333);
	CHECK_EQ(r->rdx, 0x4444444444444444);
	CHECK_EQ(r->rsi, 0x5555555555555555);
	CHECK_EQ(r->rdi, 0x6666666666666666);
	CHECK_EQ(r->rbp, 0x7777777777777777);
	CHECK_EQ(r->r8, 0x8888888888888888);
	CHECK_EQ(r->r9, 0x9999999999999999);
	CHECK_EQ(r->r10, 0xaaaaaaaaaaaaaaaa);
	CHECK_EQ(r->r11, 0xbbbbbbbbbbbbbbbb);
	CHECK_EQ(r->r12, 0xcccccccccccccccc);
	CHECK_EQ(r->r13, 0xdddddddddddddddd);
	CHECK_EQ(r->r14, 0xeeeeeeeeeeeeeeee);
	CHECK_EQ(r->r15, 0xffffffffffffffff);
	CHECK_EQ(r->rsp, GUEST_STACK_TOP);
}

static void test_pattern(void)
{
	uint64_t *data = guest_mem(vcpu, GUEST_DATA_GPA);
	uint64_t *sum = guest_mem(vcpu, SUM_GPA);
	unsigned int i;

	/* Step 4 sums these; written before the guest ever runs. */
	for (i = 0; i < SUM_QWORDS; i++)
		sum[i] = 0x100000001ull * (i + 1);

	if (!RUN_EXPECT(vcpu, KVM_EXIT_HLT))
		return;
	for (i = 0; i < PATTERN_QWORDS; i++)
		if (!CHECK_EQ(data[i], i * (uint64_t)PATTERN_MUL + PATTERN_ADD))
			break;
}

static void test_regs_at_hlt(void)
{
	struct kvm_regs regs;

	vcpu_get_regs(vcpu, &regs);
	check_markers(&regs, true);
	CHECK_EQ(regs.rip, SNIPPET_GPA(lm, lm_after_hlt));
}

static void test_sregs(void)
{
	struct kvm_sregs s;

	vcpu_get_sregs(vcpu, &s);
	CHECK_EQ(s.cs.l, 1);
	CHECK_EQ(s.cs.selector, GUEST_SEL_CODE64);
	CHECK_EQ(s.ds.selector, GUEST_SEL_DATA);
	CHECK_EQ(s.tr.selector, GUEST_SEL_TSS);
	CHECK_EQ(s.cr0 & 0x80000001, 0x80000001);	/* PG, PE */
	CHECK_EQ(s.cr3, GUEST_PML4_GPA);
	CHECK_EQ(s.cr4 & 0x20, 0x20);			/* PAE */
	CHECK_EQ(s.efer & 0x500, 0x500);		/* LME, LMA */
	CHECK_EQ(s.gdt.base, GUEST_GDT_GPA);
}

static void test_stack(void)
{
	uint64_t *slot = guest_mem(vcpu, GUEST_STACK_TOP - 8);
	struct kvm_regs regs;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_STACK, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rsp, GUEST_STACK_TOP - 8);
	CHECK_EQ(*slot, SNIPPET_GPA(lm, lm_ret_addr));

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_STACK_DONE, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rsp, GUEST_STACK_TOP);
}

static void test_regs_at_port_exit(void)
{
	struct kvm_regs regs;
	uint32_t data;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_REGS, 1))
		return;
	memcpy(&data, vcpu_io_data(vcpu), 4);
	CHECK_EQ(data, 0x11111111);
	vcpu_get_regs(vcpu, &regs);
	check_markers(&regs, true);
	tap_diag("rip at OUT exit %#llx",
		 (unsigned long long)regs.rip);
}

static void test_host_to_guest(void)
{
	struct kvm_regs regs;
	uint64_t want = 0;
	unsigned int i;

	for (i = 0; i < SUM_QWORDS; i++)
		want += 0x100000001ull * (i + 1);
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_SUM, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rax, want);
}

static void test_second_slot(void)
{
	uint64_t *p = (uint64_t *)((char *)high_mem + HIGH_OFFSET);
	unsigned int i;

	if (!RUN_EXPECT(vcpu, KVM_EXIT_HLT))
		return;
	for (i = 0; i < HIGH_QWORDS; i++)
		if (!CHECK_EQ(p[i], ~(i * (uint64_t)PATTERN_MUL)))
			break;
}

static const struct tap_case cases[] = {
	{ "guest pattern write is visible in the host mmap", test_pattern },
	{ "KVM_GET_REGS at HLT: all GPRs, RSP, RIP", test_regs_at_hlt },
	{ "KVM_GET_SREGS returns the long-mode state", test_sregs },
	{ "call/ret use the stack in guest memory", test_stack },
	{ "KVM_GET_REGS at a port exit: all GPRs", test_regs_at_port_exit },
	{ "guest reads memory the host wrote", test_host_to_guest },
	{ "guest writes a second slot at 1 GiB", test_second_slot },
};

int main(void)
{
	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(lm));
	high_mem = vm_add_memory(vcpu->vm, 1, HIGH_SLOT_GPA, HIGH_SLOT_SIZE);
	tap_run(cases, ARRAY_SIZE(cases));
}
