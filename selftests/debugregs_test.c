// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET/SET_DEBUGREGS: reset values, what the host sets is what the
 * guest's MOV from DRn reads, what the guest writes is what the host
 * gets, and the errno cases (flags, upper halves of DR6/DR7).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "check.h"
#include "debugregs.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(dr_main);

#define DR6_INIT		0xffff0ff0ull	/* reserved bits read as 1 */
#define DR7_INIT		0x400ull
#define HOST_DR6		(DR6_INIT | 0x1)	/* B0 */
#define HOST_DR7		(DR7_INIT | 0x200)	/* GE */

static struct vcpu *vcpu;

static const uint64_t host_db[4] = {
	0x1000, 0x2000, 0xffffffff12345678ull, 0x7ffffffff000ull,
};

static void test_cap(void)
{
	CHECK_EQ(kvm_check_cap(KVM_CAP_DEBUGREGS), 1);
}

static void test_initial(void)
{
	struct kvm_debugregs d;

	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(dr_main));
	memset(&d, 0xff, sizeof(d));
	if (!CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &d)))
		return;
	for (int i = 0; i < 4; i++)
		CHECK_EQ(d.db[i], 0);
	CHECK_EQ(d.dr6, DR6_INIT);
	CHECK_EQ(d.dr7, DR7_INIT);
	CHECK_EQ(d.flags, 0);
}

static void test_host_to_guest(void)
{
	struct kvm_debugregs d = { .dr6 = HOST_DR6, .dr7 = HOST_DR7 };
	struct kvm_regs regs;

	memcpy(d.db, host_db, sizeof(d.db));
	if (!CHECK_SUCCESS(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &d)))
		return;
	memset(&d, 0, sizeof(d));
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &d));
	CHECK(!memcmp(d.db, host_db, sizeof(d.db)));
	CHECK_EQ(d.dr6, HOST_DR6);
	CHECK_EQ(d.dr7, HOST_DR7);

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_DR_READ, 1))
		return;
	vcpu_get_regs(vcpu, &regs);
	CHECK_EQ(regs.r8, host_db[0]);
	CHECK_EQ(regs.r9, host_db[1]);
	CHECK_EQ(regs.r10, host_db[2]);
	CHECK_EQ(regs.r11, host_db[3]);
	CHECK_EQ(regs.r12, HOST_DR7);
	CHECK_EQ(regs.r13, HOST_DR6);
}

static void test_guest_to_host(void)
{
	struct kvm_debugregs d;

	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_DR_WRITTEN, 1))
		return;
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &d));
	CHECK_EQ(d.db[0], GUEST_DR0);
	CHECK_EQ(d.db[1], GUEST_DR1);
	CHECK_EQ(d.db[2], GUEST_DR2);
	CHECK_EQ(d.db[3], GUEST_DR3);
	CHECK_EQ(d.dr7, GUEST_DR7);
}

static void test_errors(void)
{
	struct kvm_debugregs d, got;

	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &d));
	d.flags = 1;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &d), EINVAL);
	d.flags = 0;
	d.dr6 = DR6_INIT | 1ull << 32;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &d), EINVAL);
	d.dr6 = DR6_INIT;
	d.dr7 = DR7_INIT | 1ull << 40;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &d), EINVAL);
	/* Refused means unchanged. */
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &got));
	CHECK_EQ(got.db[0], GUEST_DR0);
	CHECK_EQ(got.dr7, GUEST_DR7);
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "KVM_CAP_DEBUGREGS", test_cap },
	{ "a new vCPU: DR0-3 zero, DR6 0xffff0ff0, DR7 0x400",
	  test_initial },
	{ "KVM_SET_DEBUGREGS values are what the guest's MOV DR reads",
	  test_host_to_guest },
	{ "guest MOV to DR0-3/DR7 shows in KVM_GET_DEBUGREGS",
	  test_guest_to_host },
	{ "KVM_SET_DEBUGREGS: flags, DR6/DR7 upper bits -> EINVAL",
	  test_errors },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
