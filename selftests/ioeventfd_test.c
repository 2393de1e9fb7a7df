// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IOEVENTFD: guest writes to a registered port or MMIO address, of
 * the registered length (any with length 0) and value (any without
 * DATAMATCH), signal the eventfd without a KVM_RUN return; other writes
 * and all reads still exit to user space.  Several values may share an
 * address; the ioctl's errors are KVM's.
 */
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "check.h"
#include "guest.h"
#include "ioeventfd.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(ioefd_guest);

#define KICKS		5
#define PIO		KVM_IOEVENTFD_FLAG_PIO
#define DATAMATCH	KVM_IOEVENTFD_FLAG_DATAMATCH
#define DEASSIGN	KVM_IOEVENTFD_FLAG_DEASSIGN

static struct vcpu *vcpu;

static int ioeventfd(int fd, uint64_t addr, uint32_t len, uint32_t flags,
		     uint64_t datamatch)
{
	struct kvm_ioeventfd a = {
		.datamatch = datamatch, .addr = addr, .len = len, .fd = fd,
		.flags = flags,
	};

	return ioctl(vcpu->vm->fd, KVM_IOEVENTFD, &a);
}

static int new_eventfd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);

	if (fd < 0)
		tap_bail("eventfd: %m");
	return fd;
}

/* The eventfd's counter (reset to 0), 0 when it was not signalled. */
static uint64_t efd_count(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static void command(uint32_t kind, uint32_t len, uint64_t addr,
		    uint64_t value, uint32_t count)
{
	*(uint32_t *)vm_hva(vcpu->vm, CMD_KIND) = kind;
	*(uint32_t *)vm_hva(vcpu->vm, CMD_LEN) = len;
	*(uint64_t *)vm_hva(vcpu->vm, CMD_ADDR) = addr;
	*(uint64_t *)vm_hva(vcpu->vm, CMD_VALUE) = value;
	*(uint32_t *)vm_hva(vcpu->vm, CMD_COUNT) = count;
}

/* The one KVM_RUN return of a command whose accesses all stayed inside. */
static bool expect_done(void)
{
	return RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_DONE, 1);
}

static void write_cmd(bool pio, uint32_t len, uint64_t value, uint32_t n)
{
	command(pio ? CMD_PIO_WRITE : CMD_MMIO_WRITE, len,
		pio ? KICK_PORT : KICK_MMIO, value, n);
}

/* @n writes of @wlen bytes of @value; all of them must signal @fd. */
static void kicks_signal(int fd, bool pio, uint32_t wlen, uint64_t value,
			 uint32_t n)
{
	write_cmd(pio, wlen, value, n);
	if (expect_done())
		CHECK_EQ(efd_count(fd), n);
}

/* One write that no ioeventfd takes: it exits with its data. */
static void kick_exits(bool pio, uint32_t len, uint64_t value)
{
	uint64_t data = 0;

	write_cmd(pio, len, value, 1);
	if (pio) {
		if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, len, KICK_PORT, 1))
			return;
		memcpy(&data, vcpu_io_data(vcpu), len);
	} else {
		if (!RUN_EXPECT_MMIO(vcpu, KICK_MMIO, len, true))
			return;
		memcpy(&data, vcpu->run->mmio.data, len);
	}
	CHECK_EQ(data, value);
	expect_done();
}

/* Register, kick KICKS times, deassign. */
static void kick_case(bool pio, uint32_t len, uint32_t flags,
		      uint64_t datamatch, uint32_t wlen, uint64_t value)
{
	uint64_t addr = pio ? KICK_PORT : KICK_MMIO;
	int fd = new_eventfd();

	flags |= pio ? PIO : 0;
	if (CHECK_SUCCESS(ioeventfd(fd, addr, len, flags, datamatch))) {
		kicks_signal(fd, pio, wlen, value, KICKS);
		CHECK_SUCCESS(ioeventfd(fd, addr, len, flags | DEASSIGN,
					datamatch));
	}
	close(fd);
}

static void test_caps(void)
{
	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(ioefd_guest));
	CHECK(kvm_check_cap(KVM_CAP_IOEVENTFD) > 0);
	CHECK(kvm_check_cap(KVM_CAP_IOEVENTFD_NO_LENGTH) > 0);
	CHECK(kvm_check_cap(KVM_CAP_IOEVENTFD_ANY_LENGTH) > 0);
	/* Without ioeventfds a write is an ordinary exit. */
	kick_exits(true, 1, 0x5a);
}

static void test_pio_wildcard(void)
{
	kick_case(true, 1, 0, 0, 1, 0x12);
	kick_case(true, 2, 0, 0, 2, 0x1234);
	kick_case(true, 4, 0, 0, 4, 0x12345678);
}

static void test_mmio_wildcard(void)
{
	kick_case(false, 1, 0, 0, 1, 0x12);
	kick_case(false, 2, 0, 0, 2, 0x1234);
	kick_case(false, 4, 0, 0, 4, 0x12345678);
	kick_case(false, 8, 0, 0, 8, 0x123456789abcdef0);
}

static void test_datamatch(void)
{
	kick_case(true, 1, DATAMATCH, 0xab, 1, 0xab);
	kick_case(true, 2, DATAMATCH, 0xabcd, 2, 0xabcd);
	kick_case(true, 4, DATAMATCH, 0xabcdef01, 4, 0xabcdef01);
	kick_case(false, 1, DATAMATCH, 0xab, 1, 0xab);
	kick_case(false, 2, DATAMATCH, 0xabcd, 2, 0xabcd);
	kick_case(false, 4, DATAMATCH, 0xabcdef01, 4, 0xabcdef01);
	kick_case(false, 8, DATAMATCH, 0xfedcba9876543210, 8,
		  0xfedcba9876543210);
}

/* Length 0: the address alone decides, whatever the write's size. */
static void test_any_length(void)
{
	int pfd = new_eventfd(), mfd = new_eventfd();

	if (!CHECK_SUCCESS(ioeventfd(mfd, KICK_MMIO, 0, 0, 0)) ||
	    !CHECK_SUCCESS(ioeventfd(pfd, KICK_PORT, 0, PIO, 0)))
		goto out;
	kicks_signal(mfd, false, 1, 0x11, 2);
	kicks_signal(mfd, false, 2, 0x1122, 3);
	kicks_signal(mfd, false, 4, 0x11223344, 4);
	kicks_signal(mfd, false, 8, 0x1122334455667788, 5);
	kicks_signal(pfd, true, 1, 0x11, 2);
	kicks_signal(pfd, true, 2, 0x1122, 3);
	kicks_signal(pfd, true, 4, 0x11223344, 4);
	/*
	 * Reads are not intercepted.  (Not tried on the length-0 MMIO
	 * address: KVM on VT-x signals it for any access there, through
	 * its fast path that skips decoding; test_no_match reads MMIO.)
	 */
	command(CMD_PIO_READ, 1, KICK_PORT, 0, 1);
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_IN, 1, KICK_PORT, 1))
		expect_done();
	CHECK_SUCCESS(ioeventfd(mfd, KICK_MMIO, 0, DEASSIGN, 0));
	CHECK_SUCCESS(ioeventfd(pfd, KICK_PORT, 0, PIO | DEASSIGN, 0));
	kick_exits(false, 4, 0x99);
	kick_exits(true, 4, 0x99);
	CHECK_EQ(efd_count(mfd), 0);
	CHECK_EQ(efd_count(pfd), 0);
out:
	close(pfd);
	close(mfd);
}

/* Other values, other lengths and reads go to user space as before. */
static void test_no_match(void)
{
	int pfd = new_eventfd(), mfd = new_eventfd();

	if (!CHECK_SUCCESS(ioeventfd(pfd, KICK_PORT, 2, PIO | DATAMATCH,
				     0x1234)) ||
	    !CHECK_SUCCESS(ioeventfd(mfd, KICK_MMIO, 8, DATAMATCH,
				     0x1122334455667788)))
		goto out;
	kick_exits(true, 2, 0x4321);
	kick_exits(true, 1, 0x34);
	kick_exits(true, 4, 0x1234);
	kick_exits(false, 8, 0x1122334455667789);
	kick_exits(false, 4, 0x55667788);
	command(CMD_PIO_READ, 1, KICK_PORT, 0, 1);
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_IN, 1, KICK_PORT, 1))
		expect_done();
	command(CMD_MMIO_READ, 4, KICK_MMIO, 0, 1);
	if (RUN_EXPECT_MMIO(vcpu, KICK_MMIO, 4, false))
		expect_done();
	CHECK_EQ(efd_count(pfd), 0);
	CHECK_EQ(efd_count(mfd), 0);
	/* The matching ones still signal. */
	kicks_signal(pfd, true, 2, 0x1234, 3);
	kicks_signal(mfd, false, 8, 0x1122334455667788, 3);
	CHECK_SUCCESS(ioeventfd(pfd, KICK_PORT, 2, PIO | DATAMATCH | DEASSIGN,
				0x1234));
	CHECK_SUCCESS(ioeventfd(mfd, KICK_MMIO, 8, DATAMATCH | DEASSIGN,
				0x1122334455667788));
out:
	close(pfd);
	close(mfd);
}

/* One address, one eventfd per value; the other values still exit. */
static void test_shared_address(void)
{
	int a = new_eventfd(), b = new_eventfd();

	if (!CHECK_SUCCESS(ioeventfd(a, KICK_PORT, 4, PIO | DATAMATCH, 1)) ||
	    !CHECK_SUCCESS(ioeventfd(b, KICK_PORT, 4, PIO | DATAMATCH, 2)))
		goto out;
	kicks_signal(a, true, 4, 1, 3);
	kicks_signal(b, true, 4, 2, 4);
	kick_exits(true, 4, 3);
	CHECK_EQ(efd_count(a), 0);
	CHECK_EQ(efd_count(b), 0);
	/* Without a, its value exits; b is untouched. */
	CHECK_SUCCESS(ioeventfd(a, KICK_PORT, 4, PIO | DATAMATCH | DEASSIGN,
				1));
	kick_exits(true, 4, 1);
	kicks_signal(b, true, 4, 2, 2);
	CHECK_SUCCESS(ioeventfd(b, KICK_PORT, 4, PIO | DATAMATCH | DEASSIGN,
				2));
out:
	close(a);
	close(b);
}

static void test_errors(void)
{
	int fd = new_eventfd(), fd2 = new_eventfd(), closed = new_eventfd();

	close(closed);
	CHECK_ERRNO(ioeventfd(fd, KICK_PORT, 1, PIO | 0x20, 0), EINVAL);
	CHECK_ERRNO(ioeventfd(fd, KICK_PORT, 3, PIO, 0), EINVAL);
	CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 16, 0, 0), EINVAL);
	CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 0, DATAMATCH, 0), EINVAL);
	CHECK_ERRNO(ioeventfd(fd, ~0ull - 1, 4, 0, 0), EINVAL);
	CHECK_ERRNO(ioeventfd(-1, KICK_MMIO, 4, 0, 0), EBADF);
	CHECK_ERRNO(ioeventfd(closed, KICK_MMIO, 4, 0, 0), EBADF);
	/* Not an eventfd. */
	CHECK_ERRNO(ioeventfd(vcpu->vm->fd, KICK_MMIO, 4, 0, 0), EINVAL);

	if (CHECK_SUCCESS(ioeventfd(fd, KICK_MMIO, 4, DATAMATCH, 7))) {
		/* The same again, even through another eventfd. */
		CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 4, DATAMATCH, 7), EEXIST);
		CHECK_ERRNO(ioeventfd(fd2, KICK_MMIO, 4, DATAMATCH, 7),
			    EEXIST);
		/* A wildcard or length 0 there would overlap it. */
		CHECK_ERRNO(ioeventfd(fd2, KICK_MMIO, 4, 0, 0), EEXIST);
		CHECK_ERRNO(ioeventfd(fd2, KICK_MMIO, 0, 0, 0), EEXIST);
		/* Another value, length or bus is another entry. */
		CHECK_SUCCESS(ioeventfd(fd2, KICK_MMIO, 4, DATAMATCH, 8));
		CHECK_SUCCESS(ioeventfd(fd2, KICK_MMIO, 2, DATAMATCH, 7));
		CHECK_SUCCESS(ioeventfd(fd2, KICK_MMIO, 4, PIO | DATAMATCH,
					7));
		CHECK_SUCCESS(ioeventfd(fd2, KICK_MMIO, 4, PIO | DATAMATCH |
					DEASSIGN, 7));
		CHECK_SUCCESS(ioeventfd(fd2, KICK_MMIO, 2, DATAMATCH |
					DEASSIGN, 7));
		CHECK_SUCCESS(ioeventfd(fd2, KICK_MMIO, 4, DATAMATCH |
					DEASSIGN, 8));
		/* Deassign names eventfd, bus, address, length and value. */
		CHECK_ERRNO(ioeventfd(fd2, KICK_MMIO, 4, DATAMATCH | DEASSIGN,
				      7), ENOENT);
		CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 4, DATAMATCH | DEASSIGN,
				      8), ENOENT);
		CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 4, DEASSIGN, 0), ENOENT);
		CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 2, DATAMATCH | DEASSIGN,
				      7), ENOENT);
		CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 4, PIO | DATAMATCH |
				      DEASSIGN, 7), ENOENT);
		CHECK_SUCCESS(ioeventfd(fd, KICK_MMIO, 4, DATAMATCH | DEASSIGN,
					7));
	}
	CHECK_ERRNO(ioeventfd(fd, KICK_MMIO, 4, DATAMATCH | DEASSIGN, 7),
		    ENOENT);
	CHECK_ERRNO(ioeventfd(-1, KICK_MMIO, 4, DEASSIGN, 0), EBADF);

	/* x86 takes the virtio-ccw flag too; such an entry never fires. */
	if (CHECK_SUCCESS(ioeventfd(fd, KICK_MMIO, 4,
				    KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY, 0))) {
		kick_exits(false, 4, 0x42);
		CHECK_SUCCESS(ioeventfd(fd, KICK_MMIO, 4, DEASSIGN |
					KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY,
					0));
	}
	CHECK_EQ(efd_count(fd), 0);
	close(fd);
	close(fd2);
}

/* The eventfd closed by user space stays referenced; the VM frees it. */
static void test_teardown(void)
{
	int fd = new_eventfd();

	if (CHECK_SUCCESS(ioeventfd(fd, KICK_PORT, 1, PIO, 0)) &&
	    CHECK_SUCCESS(ioeventfd(fd, KICK_MMIO, 0, 0, 0))) {
		kicks_signal(fd, true, 1, 1, 2);
		close(fd);
		write_cmd(false, 4, 1, 3);
		expect_done();
	}
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "capabilities; a write without ioeventfd exits", test_caps },
	{ "port writes of 1, 2, 4 bytes signal without an exit",
	  test_pio_wildcard },
	{ "MMIO writes of 1, 2, 4, 8 bytes signal without an exit",
	  test_mmio_wildcard },
	{ "DATAMATCH: matching writes signal", test_datamatch },
	{ "length 0 matches every size; reads exit; deassign",
	  test_any_length },
	{ "other values and lengths exit with their data", test_no_match },
	{ "several values on one address", test_shared_address },
	{ "errors: EINVAL, EBADF, EEXIST, ENOENT", test_errors },
	{ "VM teardown with ioeventfds assigned", test_teardown },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
