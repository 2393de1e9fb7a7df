// SPDX-License-Identifier: GPL-2.0
/*
 * Accesses to guest-physical addresses that no memslot covers become
 * KVM_EXIT_MMIO: stores of 1, 2, 4 and 8 bytes report address, length,
 * is_write and data; loads take the data the host puts in mmio.data on
 * the next KVM_RUN.
 */
#include <string.h>

#include "check.h"
#include "guest.h"
#include "mmio.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(mmio_long);
SNIPPET_LABEL(mmio_long_end);
SNIPPET(mmio_real);
SNIPPET_LABEL(mmio_real_end);

static struct vcpu *vcpu;

static uint64_t mmio_value(void)
{
	uint64_t v = 0;

	memcpy(&v, vcpu->run->mmio.data, vcpu->run->mmio.len);
	return v;
}

static void expect_store(uint64_t offset, uint32_t len, uint64_t value)
{
	if (RUN_EXPECT_MMIO(vcpu, GUEST_MMIO_GPA + offset, len, true))
		CHECK_EQ(mmio_value(), value);
}

static void test_store1(void)
{
	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(mmio_long));
	expect_store(0, 1, 0x11);
	/* Whether RIP is already past a store here is KVM-internal. */
	tap_diag("rip at MMIO store exit %#llx",
		 (unsigned long long)vcpu_get_rip(vcpu));
}

static void test_store2(void)
{
	expect_store(0x10, 2, 0x2233);
}

static void test_store4(void)
{
	expect_store(0x20, 4, 0x44556677);
}

static void test_store8(void)
{
	expect_store(0x30, 8, 0x8899aabbccddeeff);
}

static void test_store8_imm(void)
{
	expect_store(0x40, 8, 0xfffffffffffffffe);
}

/*
 * A load of @len bytes at @offset answered with @supply; at the following
 * PORT_SYNC exit, RAX (or RBX) must hold @want.
 */
static void expect_load(uint64_t offset, uint32_t len, uint64_t supply,
			bool into_rbx, uint64_t want)
{
	struct kvm_regs regs;

	if (!RUN_EXPECT_MMIO(vcpu, GUEST_MMIO_GPA + offset, len, false))
		return;
	memcpy(vcpu->run->mmio.data, &supply, len);
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_SYNC, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(into_rbx ? regs.rbx : regs.rax, want);
}

static void test_load1(void)
{
	/* 8- and 16-bit loads keep the rest of RAX. */
	expect_load(0x100, 1, 0xa1, false, 0x11223344556677a1);
	tap_diag("rip at the following OUT exit %#llx",
		 (unsigned long long)vcpu_get_rip(vcpu));
}

static void test_load2(void)
{
	expect_load(0x200, 2, 0xb2c3, false, 0x112233445566b2c3);
}

static void test_load4(void)
{
	/* 32-bit loads zero-extend into RAX. */
	expect_load(0x300, 4, 0xd4e5f607, false, 0xd4e5f607);
}

static void test_load8(void)
{
	expect_load(0x400, 8, 0x0123456789abcdef, false, 0x0123456789abcdef);
}

static void test_load_unaligned(void)
{
	expect_load(0x503, 4, 0x87654321, true, 0x87654321);
}

static void test_rip_after(void)
{
	if (RUN_EXPECT(vcpu, KVM_EXIT_HLT))
		CHECK_EQ(vcpu_get_rip(vcpu),
			 SNIPPET_GPA(mmio_long, mmio_long_end));
	guest_destroy(vcpu);
}

static void test_real_mode(void)
{
	struct vm *vm = vm_create();
	struct kvm_regs regs;
	struct vcpu *rm;

	/* Only 128 KiB of RAM, so 0xb8000 is not backed. */
	vm_add_memory(vm, 0, 0, RM_MEM_SIZE);
	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(mmio_real));
	rm = vcpu_create(vm, 0);
	guest_setup_real_mode(rm);

	/* The segment base is part of the reported address. */
	if (RUN_EXPECT_MMIO(rm, RM_MMIO_GPA + 0x10, 1, true))
		CHECK_EQ(rm->run->mmio.data[0], 0x41);
	if (RUN_EXPECT_MMIO(rm, RM_MMIO_GPA + 0x20, 2, false)) {
		rm->run->mmio.data[0] = 0x34;
		rm->run->mmio.data[1] = 0x12;
	}
	if (RUN_EXPECT(rm, KVM_EXIT_HLT)) {
		vcpu_get_regs(rm, &regs);
		CHECK_EQ(regs.rbx & 0xffff, 0x1234);
		CHECK_EQ(regs.rip, SNIPPET_OFFSET(mmio_real, mmio_real_end));
	}
	vcpu_free(rm);
	vm_free(vm);
}

static const struct tap_case cases[] = {
	{ "1-byte store: addr, len, is_write, data", test_store1 },
	{ "2-byte store", test_store2 },
	{ "4-byte store", test_store4 },
	{ "8-byte store from a register", test_store8 },
	{ "8-byte store of a sign-extended immediate", test_store8_imm },
	{ "1-byte load: host data reaches AL", test_load1 },
	{ "2-byte load: host data reaches AX", test_load2 },
	{ "4-byte load: zero-extended into RAX", test_load4 },
	{ "8-byte load: host data reaches RAX", test_load8 },
	{ "unaligned 4-byte load into EBX", test_load_unaligned },
	{ "guest runs on to the final HLT", test_rip_after },
	{ "real mode: segment base in address, store and load",
	  test_real_mode },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
