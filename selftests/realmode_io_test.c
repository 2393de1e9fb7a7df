// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O from a real-mode guest: OUT/IN of 1, 2 and 4 bytes with
 * immediate and DX ports, and string I/O (rep outsb/insb/outsw). Checks
 * kvm_run->io (port, size, direction, count), the data area, and that IN
 * data supplied by the host lands in the guest's AL/AX/EAX.
 */
#include <string.h>

#include "check.h"
#include "guest.h"
#include "realmode_io.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(rmio);
SNIPPET(rmio_cx);

static struct vcpu *vcpu;

static uint8_t pattern(unsigned int i)
{
	return (uint8_t)(i * 7 + 3);
}

/* The I/O data of the current exit as a little-endian number. */
static uint64_t io_value(void)
{
	uint64_t v = 0;

	memcpy(&v, vcpu_io_data(vcpu), vcpu->run->io.size);
	return v;
}

static void io_supply(uint64_t value)
{
	memcpy(vcpu_io_data(vcpu), &value, vcpu->run->io.size);
}

static void expect_out(uint8_t size, uint16_t port, uint64_t value)
{
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, size, port, 1))
		CHECK_EQ(io_value(), value);
}

static void test_outb(void)
{
	uint8_t *data = guest_mem(vcpu, GUEST_DATA_GPA);
	unsigned int i;

	for (i = 0; i < GUEST_DATA_SIZE; i++)
		data[i] = pattern(i);
	expect_out(1, PORT_OUTB, 0xab);
	/* Where RIP points while the OUT is pending is KVM-internal. */
	tap_diag("rip at OUT exit: %#llx",
		 (unsigned long long)vcpu_get_rip(vcpu));
}

static void test_outw(void)
{
	expect_out(2, PORT_OUTW, 0xbeef);
}

static void test_outl(void)
{
	expect_out(4, PORT_OUTL, 0xdeadbeef);
}

static void test_out_dx(void)
{
	expect_out(1, PORT_OUT_DX, 0x5a);
}

/*
 * IN on @port of @size bytes answered with @supply; the guest then writes
 * EAX to @echo_port. Only the low @size bytes of the primed EAX change.
 */
static void expect_in(uint8_t size, uint16_t port, uint64_t supply,
		      uint16_t echo_port, uint32_t want_eax)
{
	struct kvm_regs regs;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_IN, size, port, 1))
		return;
	io_supply(supply);
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, echo_port, 1))
		return;
	CHECK_EQ(io_value(), want_eax);
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rax & 0xffffffff, want_eax);
}

static void test_inb(void)
{
	expect_in(1, PORT_INB, 0x5a, PORT_INB_ECHO, 0x1122335a);
}

static void test_inw(void)
{
	expect_in(2, PORT_INW, 0xbeef, PORT_INW_ECHO, 0x5566beef);
}

static void test_inl(void)
{
	expect_in(4, PORT_INL, 0xcafef00d, PORT_INL_ECHO, 0xcafef00d);
}

static void test_in_dx(void)
{
	expect_in(1, PORT_IN_DX, 0x7e, PORT_IN_DX_ECHO, 0x7e);
}

/*
 * String OUT: how many elements one exit carries (count) is up to the
 * hypervisor; the sum and the bytes are not. Stops at @done_port.
 */
static void collect_outs(uint8_t size, uint16_t port, uint16_t done_port,
			 unsigned int elements)
{
	struct kvm_run *run = vcpu->run;
	unsigned int bytes = elements * size, got = 0, exits = 0, i;
	uint8_t buf[STRING_BYTES * 2];
	struct kvm_regs regs;

	while (RUN_EXPECT(vcpu, KVM_EXIT_IO)) {
		unsigned int n = run->io.count * run->io.size;

		if (run->io.port == done_port)
			break;
		if (!CHECK_EQ(run->io.port, port) ||
		    !CHECK_EQ(run->io.direction, KVM_EXIT_IO_OUT) ||
		    !CHECK_EQ(run->io.size, size) ||
		    !CHECK(run->io.count >= 1 && got + n <= bytes))
			return;
		memcpy(buf + got, vcpu_io_data(vcpu), n);
		got += n;
		exits++;
	}
	if (tap_case_failed())
		return;
	tap_diag("%u elements of %u bytes in %u exits", elements, size,
		 exits);
	CHECK_EQ(got, bytes);
	for (i = 0; i < got; i++)
		if (!CHECK_EQ(buf[i], pattern(i)))
			break;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rcx & 0xffff, 0);
	CHECK_EQ(regs.rsi & 0xffff, GUEST_DATA_GPA + bytes);
}

static void test_rep_outsb(void)
{
	collect_outs(1, PORT_OUTSB, PORT_OUTSB_DONE, STRING_BYTES);
}

static void test_rep_insb(void)
{
	struct kvm_run *run = vcpu->run;
	uint8_t *buf = guest_mem(vcpu, INSB_BUF_GPA);
	unsigned int got = 0, exits = 0, i;
	struct kvm_regs regs;

	memset(buf, 0, STRING_BYTES + 1);
	while (RUN_EXPECT(vcpu, KVM_EXIT_IO)) {
		uint8_t *data = vcpu_io_data(vcpu);

		if (run->io.port == PORT_INSB_DONE)
			break;
		if (!CHECK_EQ(run->io.port, PORT_INSB) ||
		    !CHECK_EQ(run->io.direction, KVM_EXIT_IO_IN) ||
		    !CHECK_EQ(run->io.size, 1) ||
		    !CHECK(run->io.count >= 1 &&
			   got + run->io.count <= STRING_BYTES))
			return;
		for (i = 0; i < run->io.count; i++)
			data[i] = pattern(1000 + got + i);
		got += run->io.count;
		exits++;
	}
	if (tap_case_failed())
		return;
	tap_diag("%u bytes in %u exits", got, exits);
	CHECK_EQ(got, STRING_BYTES);
	for (i = 0; i < STRING_BYTES; i++)
		if (!CHECK_EQ(buf[i], pattern(1000 + i)))
			break;
	/* The guest wrote exactly STRING_BYTES bytes. */
	CHECK_EQ(buf[STRING_BYTES], 0);
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rcx & 0xffff, 0);
	CHECK_EQ(regs.rdi & 0xffff, INSB_BUF_GPA + STRING_BYTES);
}

static void test_rep_outsw(void)
{
	collect_outs(2, PORT_OUTSW, PORT_OUTSW_DONE, STRING_WORDS);
}

static void test_outsb_single(void)
{
	struct kvm_regs regs;

	expect_out(1, PORT_OUTSB_1, pattern(5));
	if (!RUN_EXPECT(vcpu, KVM_EXIT_HLT))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.rsi & 0xffff, GUEST_DATA_GPA + 6);
}

/*
 * Run @v to the first exit of a rep string I/O on @port, lower CX to
 * CX_LOWERED there (CX as found goes to *@first_cx), and run on to
 * @done_port, where the guest reports its CX, which must be 0.  How many
 * elements each exit carries is the hypervisor's business.  Returns the
 * elements the host was handed in total (IN data: pattern(100 + i)), 0
 * on failure.
 */
static unsigned int lower_cx(struct vcpu *v, uint8_t dir, uint16_t port,
			     uint16_t done_port, uint16_t *first_cx)
{
	struct kvm_run *run = v->run;
	unsigned int total = 0, exits = 0, i;
	struct kvm_regs regs;

	while (RUN_EXPECT(v, KVM_EXIT_IO) && run->io.port != done_port) {
		uint8_t *data = vcpu_io_data(v);

		/* A CX that wrapped below 0 would run on for 64K bytes. */
		if (!CHECK_EQ(run->io.port, port) ||
		    !CHECK_EQ(run->io.direction, dir) ||
		    !CHECK_EQ(run->io.size, 1) || !CHECK(run->io.count >= 1) ||
		    !CHECK(++exits <= CX_FULL))
			return 0;
		for (i = 0; dir == KVM_EXIT_IO_IN && i < run->io.count; i++)
			data[i] = pattern(100 + total + i);
		total += run->io.count;
		if (exits == 1) {
			vcpu_get_regs(v, &regs);
			*first_cx = regs.rcx;
			regs.rcx = CX_LOWERED;
			vcpu_set_regs(v, &regs);
		}
	}
	if (tap_case_failed())
		return 0;
	tap_diag("%u exits, %u elements handed over, CX %u at the first",
		 exits, total, *first_cx);
	/* The guest's own report of CX after the rep. */
	if (!CHECK_EQ(run->io.size, 2) ||
	    !CHECK_EQ(*(uint16_t *)vcpu_io_data(v), 0))
		return 0;
	return total;
}

static struct vcpu *cx_vcpu;

/* As Linux's userspace_io_test: KVM does min(count at exit, new CX). */
static void test_rep_insb_cx_lowered(void)
{
	uint16_t first_cx;
	struct kvm_regs regs;
	unsigned int i;
	uint8_t *buf;

	cx_vcpu = guest_create(GUEST_REAL_MODE, SNIPPET_CODE(rmio_cx));
	buf = guest_mem(cx_vcpu, CX_BUF_GPA);
	memset(buf, 0, CX_FULL);
	if (!lower_cx(cx_vcpu, KVM_EXIT_IO_IN, PORT_INSB_CX, PORT_INSB_CX_DONE,
		      &first_cx))
		return;
	/* No IN element completes before user space has supplied it. */
	CHECK_EQ(first_cx, CX_FULL);
	vcpu_get_regs(cx_vcpu, &regs);
	CHECK_EQ(regs.rdi & 0xffff, CX_BUF_GPA + CX_LOWERED);
	/* The first CX_LOWERED bytes arrived, nothing past them. */
	for (i = 0; i < CX_FULL; i++)
		if (!CHECK_EQ(buf[i], i < CX_LOWERED ? pattern(100 + i) : 0))
			break;
}

/*
 * OUTS differs: KVM sends one element per exit and has counted it in CX
 * and SI by the exit, vmx sends a batch and counts it on the next
 * KVM_RUN.  Either way the guest ends with CX = 0, SI within bounds.
 */
static void test_rep_outsb_cx_lowered(void)
{
	uint16_t first_cx;
	struct kvm_regs regs;
	unsigned int moved;

	if (!cx_vcpu) {
		tap_case_skip("no vCPU from the rep insb case");
		return;
	}
	if (lower_cx(cx_vcpu, KVM_EXIT_IO_OUT, PORT_OUTSB_CX,
		     PORT_OUTSB_CX_DONE, &first_cx)) {
		vcpu_get_regs(cx_vcpu, &regs);
		moved = (regs.rsi & 0xffff) - GUEST_DATA_GPA;
		tap_diag("SI moved %u bytes", moved);
		CHECK(moved >= CX_LOWERED && moved <= CX_FULL);
		CHECK_EQ(moved, CX_FULL - first_cx + CX_LOWERED);
		RUN_EXPECT(cx_vcpu, KVM_EXIT_HLT);
	}
	guest_destroy(cx_vcpu);
}

static const struct tap_case cases[] = {
	{ "outb imm8 port: port, size 1, out, count 1, data", test_outb },
	{ "outw imm8 port: size 2 data", test_outw },
	{ "outl imm8 port: size 4 data", test_outl },
	{ "outb to DX port 0x1234", test_out_dx },
	{ "inb: host data reaches AL, rest of EAX kept", test_inb },
	{ "inw: host data reaches AX, rest of EAX kept", test_inw },
	{ "inl: host data reaches EAX", test_inl },
	{ "inb from DX port 0x4321", test_in_dx },
	{ "rep outsb: 100 bytes in order, CX/SI updated", test_rep_outsb },
	{ "rep insb: host bytes land in guest memory, CX/DI updated",
	  test_rep_insb },
	{ "rep outsw: 8 words in order", test_rep_outsw },
	{ "outsb without rep: one byte, then HLT", test_outsb_single },
	{ "rep insb, CX lowered at the exit: CX bytes land, CX/DI end right",
	  test_rep_insb_cx_lowered },
	{ "rep outsb, CX lowered at the exit: CX = 0, SI moved as counted",
	  test_rep_outsb_cx_lowered },
};

int main(void)
{
	vcpu = guest_create(GUEST_REAL_MODE, SNIPPET_CODE(rmio));
	tap_run(cases, ARRAY_SIZE(cases));
}
