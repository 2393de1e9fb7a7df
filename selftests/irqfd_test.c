// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IRQFD: writing an eventfd raises a GSI through the routing.  An
 * MSI route interrupts the guest whether the write comes before KVM_RUN
 * or from another thread while the vCPU halts; an IOAPIC edge pin gets
 * a pulse; with RESAMPLE a level pin stays asserted until the guest's
 * EOI, which lowers it and signals the resamplefd.  Deassign stops the
 * delivery; the ioctl's errors are KVM's.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "check.h"
#include "guest.h"
#include "irqfd.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(irqfd_guest);
SNIPPET_LABEL(irqfd_isr_edge);
SNIPPET_LABEL(irqfd_isr_level);
SNIPPET_LABEL(irqfd_isr_msi);
SNIPPET_LABEL(irqfd_isr_stop);

#define DEASSIGN	KVM_IRQFD_FLAG_DEASSIGN
#define RESAMPLE	KVM_IRQFD_FLAG_RESAMPLE

static struct vcpu *vcpu;
static uint32_t count;		/* interrupts the guest has reported */
static int msi_fd, level_fd, resample_fd;

static int irqfd(int vm_fd, int fd, uint32_t gsi, uint32_t flags,
		 int resamplefd)
{
	struct kvm_irqfd a = {
		.fd = fd, .gsi = gsi, .flags = flags,
		.resamplefd = resamplefd,
	};

	return ioctl(vm_fd, KVM_IRQFD, &a);
}

static int new_eventfd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);

	if (fd < 0)
		tap_bail("eventfd: %m");
	return fd;
}

static void signal_fd(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		tap_bail("eventfd write: %m");
}

/* The eventfd's counter (reset to 0), 0 when it was not signalled. */
static uint64_t efd_count(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static uint64_t ioapic_rte(unsigned int pin)
{
	struct kvm_irqchip c = { .chip_id = KVM_IRQCHIP_IOAPIC };

	if (ioctl(vcpu->vm->fd, KVM_GET_IRQCHIP, &c))
		tap_bail("KVM_GET_IRQCHIP: %m");
	return c.chip.ioapic.redirtbl[pin].bits;
}

static bool expect_out(uint16_t port, uint32_t want)
{
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, port, 1))
		return false;
	return CHECK_EQ(*(uint32_t *)vcpu_io_data(vcpu), want);
}

/* The handler of @vector reports before its EOI: the next interrupt. */
static bool expect_irq(uint32_t vector)
{
	return expect_out(PORT_VECTOR, ++count << 8 | vector);
}

static bool expect_eoi(uint32_t vector)
{
	return expect_out(PORT_EOI_DONE, count << 8 | vector);
}

static void expect_irq_eoi(uint32_t vector)
{
	if (expect_irq(vector))
		expect_eoi(vector);
}

/* Anything raised before this one would have been reported first. */
static void expect_nothing_pending(void)
{
	struct kvm_msi msi = { .address_lo = APIC_MMIO, .data = STOP_VECTOR };

	CHECK_EQ(ioctl(vcpu->vm->fd, KVM_SIGNAL_MSI, &msi), 1);
	expect_irq_eoi(STOP_VECTOR);
}

static void set_routing(void)
{
	struct kvm_irq_routing *r = calloc(1, sizeof(*r) +
					   3 * sizeof(r->entries[0]));

	if (!r)
		tap_bail("out of memory");
	r->nr = 3;
	r->entries[0].gsi = MSI_GSI;
	r->entries[0].type = KVM_IRQ_ROUTING_MSI;
	r->entries[0].u.msi.address_lo = APIC_MMIO;	/* physical, ID 0 */
	r->entries[0].u.msi.data = MSI_VECTOR;		/* fixed, edge */
	r->entries[1].gsi = EDGE_GSI;
	r->entries[1].type = KVM_IRQ_ROUTING_IRQCHIP;
	r->entries[1].u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
	r->entries[1].u.irqchip.pin = EDGE_GSI;
	r->entries[2] = r->entries[1];
	r->entries[2].gsi = LEVEL_GSI;
	r->entries[2].u.irqchip.pin = LEVEL_GSI;
	if (ioctl(vcpu->vm->fd, KVM_SET_GSI_ROUTING, r))
		tap_bail("KVM_SET_GSI_ROUTING: %m");
	free(r);
}

static void test_setup(void)
{
	struct vm *vm = guest_create_irqchip_vm();

	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(irqfd_guest));
	vcpu = vcpu_create(vm, 0);
	guest_set_supported_cpuid(vcpu);
	guest_setup_long_mode(vcpu);
	guest_set_idt_gate(vcpu, EDGE_VECTOR,
			   SNIPPET_GPA(irqfd_guest, irqfd_isr_edge));
	guest_set_idt_gate(vcpu, LEVEL_VECTOR,
			   SNIPPET_GPA(irqfd_guest, irqfd_isr_level));
	guest_set_idt_gate(vcpu, MSI_VECTOR,
			   SNIPPET_GPA(irqfd_guest, irqfd_isr_msi));
	guest_set_idt_gate(vcpu, STOP_VECTOR,
			   SNIPPET_GPA(irqfd_guest, irqfd_isr_stop));
	set_routing();
	CHECK(kvm_check_cap(KVM_CAP_IRQFD) > 0);
	CHECK(kvm_check_cap(KVM_CAP_IRQFD_RESAMPLE) > 0);
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_READY, 1);
}

static void test_msi_before_run(void)
{
	msi_fd = new_eventfd();
	if (!CHECK_SUCCESS(irqfd(vcpu->vm->fd, msi_fd, MSI_GSI, 0, 0)))
		return;
	signal_fd(msi_fd);
	/* The irqfd took the count as it injected. */
	CHECK_EQ(efd_count(msi_fd), 0);
	expect_irq_eoi(MSI_VECTOR);
}

static void *late_signal(void *fd)
{
	usleep(100 * 1000);
	signal_fd(*(int *)fd);
	return NULL;
}

/* The vCPU halts in the kernel; the write must wake it. */
static void test_msi_from_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, late_signal, &msi_fd))
		tap_bail("pthread_create failed");
	expect_irq_eoi(MSI_VECTOR);
	pthread_join(t, NULL);
	expect_nothing_pending();
}

static void test_ioapic_edge(void)
{
	int fd = new_eventfd();

	if (CHECK_SUCCESS(irqfd(vcpu->vm->fd, fd, EDGE_GSI, 0, 0))) {
		signal_fd(fd);
		expect_irq_eoi(EDGE_VECTOR);
		signal_fd(fd);
		expect_irq_eoi(EDGE_VECTOR);
		CHECK_EQ(ioapic_rte(EDGE_GSI) & RTE_REMOTE_IRR, 0);
		CHECK_SUCCESS(irqfd(vcpu->vm->fd, fd, EDGE_GSI, DEASSIGN, 0));
	}
	close(fd);
}

/* Asserted until the EOI, then lowered and the resamplefd signalled. */
static void resample_once(void)
{
	signal_fd(level_fd);
	if (!expect_irq(LEVEL_VECTOR))
		return;
	CHECK(ioapic_rte(LEVEL_GSI) & RTE_REMOTE_IRR);
	CHECK_EQ(efd_count(resample_fd), 0);
	if (!expect_eoi(LEVEL_VECTOR))
		return;
	/* Lowered at the EOI: not delivered again. */
	CHECK_EQ(ioapic_rte(LEVEL_GSI) & RTE_REMOTE_IRR, 0);
	CHECK_EQ(efd_count(resample_fd), 1);
}

static void test_resample(void)
{
	level_fd = new_eventfd();
	resample_fd = new_eventfd();
	if (!CHECK_SUCCESS(irqfd(vcpu->vm->fd, level_fd, LEVEL_GSI, RESAMPLE,
				 resample_fd)))
		return;
	resample_once();
	resample_once();
	expect_nothing_pending();
	CHECK_EQ(efd_count(resample_fd), 0);
}

static void test_deassign(void)
{
	CHECK_SUCCESS(irqfd(vcpu->vm->fd, msi_fd, MSI_GSI, DEASSIGN, 0));
	CHECK_SUCCESS(irqfd(vcpu->vm->fd, level_fd, LEVEL_GSI, DEASSIGN, 0));
	signal_fd(msi_fd);
	signal_fd(level_fd);
	expect_nothing_pending();
	/* Nobody took the counts this time. */
	CHECK_EQ(efd_count(msi_fd), 1);
	CHECK_EQ(efd_count(level_fd), 1);
	CHECK_EQ(efd_count(resample_fd), 0);
	CHECK_EQ(ioapic_rte(LEVEL_GSI) & RTE_REMOTE_IRR, 0);
	/* Nothing left to deassign is no error. */
	CHECK_SUCCESS(irqfd(vcpu->vm->fd, msi_fd, MSI_GSI, DEASSIGN, 0));
	/* Assignable again, and a count already there fires at once. */
	signal_fd(msi_fd);
	if (CHECK_SUCCESS(irqfd(vcpu->vm->fd, msi_fd, MSI_GSI, 0, 0)))
		expect_irq_eoi(MSI_VECTOR);
	CHECK_SUCCESS(irqfd(vcpu->vm->fd, msi_fd, MSI_GSI, DEASSIGN, 0));
	close(level_fd);
	close(resample_fd);
}

static void test_errors(void)
{
	int vm_fd = vcpu->vm->fd, fd = new_eventfd(), rfd = new_eventfd();
	int closed = new_eventfd();
	struct vm *plain;

	close(closed);
	CHECK_ERRNO(irqfd(vm_fd, fd, MSI_GSI, 4, 0), EINVAL);
	CHECK_ERRNO(irqfd(vm_fd, fd, MSI_GSI, DEASSIGN | 4, 0), EINVAL);
	CHECK_ERRNO(irqfd(vm_fd, -1, MSI_GSI, 0, 0), EBADF);
	CHECK_ERRNO(irqfd(vm_fd, closed, MSI_GSI, 0, 0), EBADF);
	CHECK_ERRNO(irqfd(vm_fd, vm_fd, MSI_GSI, 0, 0), EINVAL);
	CHECK_ERRNO(irqfd(vm_fd, fd, LEVEL_GSI, RESAMPLE, -1), EBADF);
	CHECK_ERRNO(irqfd(vm_fd, -1, MSI_GSI, DEASSIGN, 0), EBADF);
	if (CHECK_SUCCESS(irqfd(vm_fd, fd, MSI_GSI, 0, 0))) {
		/* One irqfd per eventfd, whatever the GSI. */
		CHECK_ERRNO(irqfd(vm_fd, fd, MSI_GSI, 0, 0), EBUSY);
		CHECK_ERRNO(irqfd(vm_fd, fd, EDGE_GSI, 0, 0), EBUSY);
		CHECK_ERRNO(irqfd(vm_fd, fd, LEVEL_GSI, RESAMPLE, rfd), EBUSY);
		/* Deassign names the GSI too. */
		CHECK_SUCCESS(irqfd(vm_fd, fd, EDGE_GSI, DEASSIGN, 0));
		CHECK_ERRNO(irqfd(vm_fd, fd, EDGE_GSI, 0, 0), EBUSY);
		CHECK_SUCCESS(irqfd(vm_fd, fd, MSI_GSI, DEASSIGN, 0));
	}

	/* No irqfd at all without the in-kernel irqchip. */
	plain = vm_create();
	CHECK_ERRNO(irqfd(plain->fd, fd, LEVEL_GSI, RESAMPLE, rfd), EINVAL);
	CHECK_ERRNO(irqfd(plain->fd, fd, MSI_GSI, 0, 0), EINVAL);
	vm_free(plain);
	close(fd);
	close(rfd);
}

/* EPOLLHUP takes the irqfd down; VM teardown frees the rest. */
static void test_teardown(void)
{
	int a = new_eventfd(), b = new_eventfd(), r = new_eventfd();

	if (CHECK_SUCCESS(irqfd(vcpu->vm->fd, a, MSI_GSI, 0, 0)))
		close(a);
	/* The GSI works through another eventfd. */
	if (CHECK_SUCCESS(irqfd(vcpu->vm->fd, b, MSI_GSI, 0, 0))) {
		signal_fd(b);
		expect_irq_eoi(MSI_VECTOR);
	}
	CHECK_SUCCESS(irqfd(vcpu->vm->fd, r, LEVEL_GSI, RESAMPLE, r));
	expect_nothing_pending();
	guest_destroy(vcpu);
	close(b);
	close(r);
}

static const struct tap_case cases[] = {
	{ "capabilities; guest programs APIC and IOAPIC", test_setup },
	{ "MSI route: a write before KVM_RUN interrupts the guest",
	  test_msi_before_run },
	{ "MSI route: a write from another thread wakes the halted vCPU",
	  test_msi_from_thread },
	{ "IOAPIC edge pin: one interrupt per write", test_ioapic_edge },
	{ "RESAMPLE: asserted until EOI, then resamplefd", test_resample },
	{ "deassign stops delivery", test_deassign },
	{ "errors: EINVAL, EBADF, EBUSY, no irqchip", test_errors },
	{ "EPOLLHUP and VM teardown with irqfds assigned", test_teardown },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
