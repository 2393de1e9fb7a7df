// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel 8254 PIT: channel 0 as a rate generator interrupts a
 * real-mode guest through the in-kernel PIC at the programmed rate while
 * it halts (KVM_RUN does not return in between); the guest sees the
 * read-back status, latched counts and port 0x61; KVM_GET/SET_PIT2 and
 * the errors of the PIT ioctls.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "check.h"
#include "guest.h"
#include "pic.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(pit_guest);

#define PIT_HZ		1193182.0

static struct vcpu *vcpu;
static double t_start;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool expect_out(unsigned int size, uint16_t port, uint32_t *val)
{
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, size, port, 1))
		return false;
	*val = 0;
	memcpy(val, vcpu_io_data(vcpu), size);
	return true;
}

static void test_create(void)
{
	struct kvm_pit_config cfg = { .flags = KVM_PIT_SPEAKER_DUMMY };
	struct vm *vm = vm_create();

	/* KVM 6.1 takes a PIT before (or without) the irqchip too. */
	CHECK_SUCCESS(ioctl(vm->fd, KVM_CREATE_PIT2, &cfg));
	CHECK_ERRNO(ioctl(vm->fd, KVM_CREATE_PIT2, &cfg), EEXIST);
	vm_free(vm);

	vm = vm_create();
	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		tap_bail("KVM_CREATE_IRQCHIP: %m");
	/* KVM 6.1 ignores flags it does not know. */
	cfg.flags = 0x80;
	CHECK_SUCCESS(ioctl(vm->fd, KVM_CREATE_PIT2, &cfg));
	cfg.flags = KVM_PIT_SPEAKER_DUMMY;
	vm_free(vm);

	vm = vm_create();
	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		tap_bail("KVM_CREATE_IRQCHIP: %m");
	CHECK_SUCCESS(ioctl(vm->fd, KVM_CREATE_PIT2, &cfg));
	vm_add_memory(vm, 0, 0, GUEST_MEM_SIZE);
	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(pit_guest));
	vcpu = vcpu_create(vm, 0);
	guest_setup_real_mode(vcpu);
}

static void test_speaker(void)
{
	uint32_t v;

	/* Gate 2 reads back; the speaker data bit stays off. */
	if (expect_out(1, PORT_SPEAKER, &v))
		CHECK_EQ(v & 3, 1);
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_READY, 1))
		t_start = now();
}

static void test_readback(void)
{
	uint32_t v;

	/* RW = LSB/MSB, mode 2, binary; OUT is high right after loading. */
	if (expect_out(1, PORT_PIT_STATUS, &v))
		CHECK_EQ(v & 0x3f, 0x34);
	if (expect_out(2, PORT_PIT_COUNT, &v)) {
		CHECK(v >= 1 && v <= PIT_DIVISOR);
		tap_diag("latched count %u of %u", v, PIT_DIVISOR);
	}
}

static void test_ticks(void)
{
	double want = PIT_TICKS * PIT_DIVISOR / PIT_HZ, got;
	uint32_t v;

	/* The next exit is the end: every tick was handled in the kernel. */
	if (!expect_out(2, PORT_DONE, &v))
		return;
	got = now() - t_start;
	CHECK_EQ(v, PIT_TICKS);
	tap_diag("%d ticks in %.3f s, expected %.3f s", PIT_TICKS, got, want);
	CHECK(got > want * 0.5 && got < want * 1.5);
}

static void same_channel(const struct kvm_pit_channel_state *a,
			 const struct kvm_pit_channel_state *b)
{
	CHECK_EQ(a->count, b->count);
	CHECK_EQ(a->latched_count, b->latched_count);
	CHECK_EQ(a->count_latched, b->count_latched);
	CHECK_EQ(a->status_latched, b->status_latched);
	CHECK_EQ(a->status, b->status);
	CHECK_EQ(a->read_state, b->read_state);
	CHECK_EQ(a->write_state, b->write_state);
	CHECK_EQ(a->write_latch, b->write_latch);
	CHECK_EQ(a->rw_mode, b->rw_mode);
	CHECK_EQ(a->mode, b->mode);
	CHECK_EQ(a->bcd, b->bcd);
	CHECK_EQ(a->gate, b->gate);
	/* KVM restarts every channel's count at KVM_SET_PIT2. */
	CHECK(a->count_load_time >= b->count_load_time);
}

static void test_get_pit2(void)
{
	struct kvm_pit_state2 s, back;
	struct kvm_pit_channel_state *c = s.channels;

	memset(&s, 0xaa, sizeof(s));
	if (!CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_GET_PIT2, &s)))
		return;
	CHECK_EQ(c[0].count, PIT_DIVISOR);
	CHECK_EQ(c[0].mode, 2);
	CHECK_EQ(c[0].rw_mode, 3);
	CHECK_EQ(c[0].bcd, 0);
	CHECK_EQ(c[0].gate, 1);
	CHECK_EQ(c[2].gate, 1);		/* opened through port 0x61 */
	CHECK_EQ(c[1].count, 0x10000);	/* reset: 0 means 65536 */
	CHECK_EQ(s.reserved[0], 0);

	/* Channel 1 state goes in and out unchanged. */
	c[1].mode = 3;
	c[1].rw_mode = 1;
	c[1].read_state = 1;
	c[1].write_state = 1;
	c[1].count = 0x1234;
	CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_SET_PIT2, &s));
	memset(&back, 0, sizeof(back));
	CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_GET_PIT2, &back));
	same_channel(&back.channels[1], &c[1]);
	same_channel(&back.channels[2], &c[2]);
	CHECK_EQ(back.channels[0].count, PIT_DIVISOR);
	CHECK_EQ(back.channels[0].mode, 2);
	CHECK_EQ(back.flags, s.flags);
}

static void test_old_pit_state(void)
{
	struct kvm_pit_state s;

	CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_GET_PIT, &s));
	CHECK_EQ(s.channels[0].count, PIT_DIVISOR);
	CHECK_EQ(s.channels[1].count, 0x1234);
	CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_SET_PIT, &s));
}

static void test_errors(void)
{
	struct kvm_reinject_control rc = { .pit_reinject = 0 };
	struct vm *vm = vm_create();
	struct kvm_pit_state2 s;

	CHECK_ERRNO(ioctl(vm->fd, KVM_GET_PIT2, &s), ENXIO);
	CHECK_ERRNO(ioctl(vm->fd, KVM_SET_PIT2, &s), ENXIO);
	CHECK_ERRNO(ioctl(vm->fd, KVM_REINJECT_CONTROL, &rc), ENXIO);
	vm_free(vm);
	CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_REINJECT_CONTROL, &rc));
	CHECK_ERRNO(ioctl(vcpu->vm->fd, KVM_GET_PIT2, NULL), EFAULT);
	CHECK_EQ(kvm_check_cap(KVM_CAP_PIT2), 1);
	CHECK_EQ(kvm_check_cap(KVM_CAP_PIT_STATE2), 1);
	CHECK_EQ(kvm_check_cap(KVM_CAP_REINJECT_CONTROL), 1);
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "KVM_CREATE_PIT2 needs the irqchip, once", test_create },
	{ "port 0x61 gates channel 2", test_speaker },
	{ "read-back status and counter latch", test_readback },
	{ "channel 0 ticks at the programmed rate in the kernel",
	  test_ticks },
	{ "KVM_GET_PIT2 / KVM_SET_PIT2", test_get_pit2 },
	{ "KVM_GET_PIT / KVM_SET_PIT", test_old_pit_state },
	{ "PIT ioctl errors and capabilities", test_errors },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
