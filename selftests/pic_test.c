// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel 8259A pair: a real-mode guest programs both PICs through
 * their ports and takes the lines user space raises with KVM_IRQ_LINE
 * (masked lines wait in IRR, the slave cascades through IRQ2, another
 * thread's KVM_IRQ_LINE wakes a halted vCPU); KVM_GET/SET_IRQCHIP state
 * and the errors of the irqchip ioctls.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "check.h"
#include "guest.h"
#include "pic.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(pic_guest);
SNIPPET(pic_modes);

#define MAX_ROUTES	4096	/* KVM_MAX_IRQ_ROUTES */
#define IOAPIC_BASE	0xfec00000ull
#define RTE_MASKED	(1ull << 16)

static struct vcpu *vcpu;

/* VM with an in-kernel irqchip and the real-mode guest on vCPU 0. */
static struct vcpu *irqchip_guest(const void *code, size_t len)
{
	struct vm *vm = vm_create();
	struct vcpu *v;

	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		tap_bail("KVM_CREATE_IRQCHIP: %m");
	vm_add_memory(vm, 0, 0, GUEST_MEM_SIZE);
	guest_load(vm, GUEST_CODE_GPA, code, len);
	v = vcpu_create(vm, 0);
	guest_setup_real_mode(v);
	return v;
}

/* KVM_IRQ_LINE_STATUS: returns the status. */
static int irq_line(struct vm *vm, unsigned int irq, int level)
{
	struct kvm_irq_level l = { .irq = irq, .level = level };

	if (ioctl(vm->fd, KVM_IRQ_LINE_STATUS, &l))
		tap_bail("KVM_IRQ_LINE_STATUS: %m");
	return l.status;
}

/* An edge: returns the status of the rising half. */
static int pulse(struct vm *vm, unsigned int irq)
{
	int s = irq_line(vm, irq, 1);

	irq_line(vm, irq, 0);
	return s;
}

/* Next exit is the handler reporting @irq. */
static bool expect_irq(unsigned int irq)
{
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 2, PORT_IRQ, 1))
		return false;
	return CHECK_EQ(*(uint16_t *)vcpu_io_data(vcpu), irq);
}

static void test_setup(void)
{
	vcpu = irqchip_guest(SNIPPET_CODE(pic_guest));
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_READY, 1);
}

static void test_masked_then_open(void)
{
	/* Masked in the PIC (and the IOAPIC): not delivered anywhere. */
	CHECK(pulse(vcpu->vm, 4) <= 0);
	CHECK(pulse(vcpu->vm, 3) > 0);
	expect_irq(3);
}

static void test_masked_waits_in_irr(void)
{
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 1, PORT_IRR, 1))
		CHECK_EQ(*(uint8_t *)vcpu_io_data(vcpu), 1 << 4);
	/* The guest unmasks IRQ4: the latched request is taken. */
	expect_irq(4);
}

static void test_cascade(void)
{
	CHECK(pulse(vcpu->vm, 10) > 0);
	expect_irq(10);
}

static void *raise_later(void *arg)
{
	usleep(100 * 1000);
	pulse(arg, 3);
	return NULL;
}

static void test_wake_from_hlt(void)
{
	pthread_t t;

	/* The vCPU halts in the kernel until the other thread's line. */
	if (pthread_create(&t, NULL, raise_later, vcpu->vm))
		tap_bail("pthread_create failed");
	expect_irq(3);
	pthread_join(t, NULL);
	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 2, PORT_DONE, 1))
		CHECK_EQ(*(uint16_t *)vcpu_io_data(vcpu), 4);
}

static int get_chip(struct vm *vm, struct kvm_irqchip *c, unsigned int id)
{
	memset(c, 0, sizeof(*c));
	c->chip_id = id;
	return ioctl(vm->fd, KVM_GET_IRQCHIP, c);
}

static void test_get_state(void)
{
	struct kvm_irqchip c;

	if (!CHECK_SUCCESS(get_chip(vcpu->vm, &c, KVM_IRQCHIP_PIC_MASTER)))
		return;
	CHECK_EQ(c.chip.pic.irq_base, PIC_VECTOR_MASTER);
	CHECK_EQ(c.chip.pic.imr, PIC_MASTER_IMR2);
	CHECK_EQ(c.chip.pic.isr, 0);
	CHECK_EQ(c.chip.pic.init_state, 0);
	CHECK_EQ(c.chip.pic.elcr_mask, 0xf8);
	if (!CHECK_SUCCESS(get_chip(vcpu->vm, &c, KVM_IRQCHIP_PIC_SLAVE)))
		return;
	CHECK_EQ(c.chip.pic.irq_base, PIC_VECTOR_SLAVE);
	CHECK_EQ(c.chip.pic.imr, PIC_SLAVE_IMR);
	CHECK_EQ(c.chip.pic.elcr_mask, 0xde);
	if (!CHECK_SUCCESS(get_chip(vcpu->vm, &c, KVM_IRQCHIP_IOAPIC)))
		return;
	CHECK_EQ(c.chip.ioapic.base_address, IOAPIC_BASE);
	CHECK_EQ(c.chip.ioapic.id, 0);
	CHECK_EQ(c.chip.ioapic.redirtbl[0].bits, RTE_MASKED);
	CHECK_EQ(c.chip.ioapic.redirtbl[23].bits, RTE_MASKED);
}

static void test_set_state(void)
{
	struct kvm_irqchip c, back;

	get_chip(vcpu->vm, &c, KVM_IRQCHIP_PIC_MASTER);
	c.chip.pic.imr = 0x5a;
	c.chip.pic.irq_base = 0x40;
	CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_SET_IRQCHIP, &c));
	get_chip(vcpu->vm, &back, KVM_IRQCHIP_PIC_MASTER);
	CHECK(!memcmp(&back, &c, sizeof(c)));

	get_chip(vcpu->vm, &c, KVM_IRQCHIP_IOAPIC);
	c.chip.ioapic.redirtbl[5].bits = 0x0100000000000035ull;
	c.chip.ioapic.id = 3;
	CHECK_SUCCESS(ioctl(vcpu->vm->fd, KVM_SET_IRQCHIP, &c));
	get_chip(vcpu->vm, &back, KVM_IRQCHIP_IOAPIC);
	CHECK(!memcmp(&back, &c, sizeof(c)));
}

static void test_chip_errors(void)
{
	struct kvm_irqchip c;
	struct vm *vm = vm_create();
	struct kvm_irq_level l = { .irq = 3, .level = 1 };

	/* No irqchip yet. */
	CHECK_ERRNO(get_chip(vm, &c, KVM_IRQCHIP_PIC_MASTER), ENXIO);
	CHECK_ERRNO(ioctl(vm->fd, KVM_SET_IRQCHIP, &c), ENXIO);
	CHECK_ERRNO(ioctl(vm->fd, KVM_IRQ_LINE, &l), ENXIO);
	CHECK_ERRNO(ioctl(vm->fd, KVM_IRQ_LINE_STATUS, &l), ENXIO);
	CHECK_SUCCESS(ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0));
	CHECK_ERRNO(ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0), EEXIST);
	CHECK_ERRNO(get_chip(vm, &c, 3), EINVAL);
	CHECK_ERRNO(get_chip(vm, &c, 0x80000000u), EINVAL);
	c.chip_id = 3;
	CHECK_ERRNO(ioctl(vm->fd, KVM_SET_IRQCHIP, &c), EINVAL);
	CHECK_ERRNO(ioctl(vm->fd, KVM_GET_IRQCHIP, NULL), EFAULT);
	/* No route for this GSI: nobody took it, still a success. */
	CHECK_EQ(irq_line(vm, 1000, 1), -1);
	vm_free(vm);

	vm = vm_create();
	vcpu_free(vcpu_create(vm, 0));
	CHECK_ERRNO(ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0), EINVAL);
	vm_free(vm);
}

static struct kvm_irq_routing *routing;

static int set_routing(struct vm *vm, unsigned int nr)
{
	routing->nr = nr;
	return ioctl(vm->fd, KVM_SET_GSI_ROUTING, routing);
}

static void route_chip(unsigned int i, uint32_t gsi, uint32_t chip,
		       uint32_t pin)
{
	memset(&routing->entries[i], 0, sizeof(routing->entries[i]));
	routing->entries[i].gsi = gsi;
	routing->entries[i].type = KVM_IRQ_ROUTING_IRQCHIP;
	routing->entries[i].u.irqchip.irqchip = chip;
	routing->entries[i].u.irqchip.pin = pin;
}

static void route_msi(unsigned int i, uint32_t gsi)
{
	memset(&routing->entries[i], 0, sizeof(routing->entries[i]));
	routing->entries[i].gsi = gsi;
	routing->entries[i].type = KVM_IRQ_ROUTING_MSI;
	routing->entries[i].u.msi.address_lo = 0xfee00000;
	routing->entries[i].u.msi.data = 0x40;
}

static void test_routing_errors(void)
{
	struct vm *vm = vm_create();
	struct kvm_msi msi = { .address_lo = 0xfee00000, .data = 0x40 };

	routing = calloc(1, sizeof(*routing) +
			    (MAX_ROUTES + 1) * sizeof(routing->entries[0]));
	route_chip(0, 5, KVM_IRQCHIP_IOAPIC, 5);
	/* Without an irqchip. */
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	CHECK_ERRNO(ioctl(vm->fd, KVM_SIGNAL_MSI, &msi), EINVAL);
	CHECK_SUCCESS(ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0));

	CHECK_SUCCESS(set_routing(vm, 1));
	CHECK_SUCCESS(set_routing(vm, 0));
	CHECK_ERRNO(set_routing(vm, MAX_ROUTES + 1), EINVAL);
	routing->flags = 1;
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	routing->flags = 0;
	routing->entries[0].flags = 1;
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	route_chip(0, 5, 3, 0);				/* no such chip */
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	route_chip(0, 5, KVM_IRQCHIP_PIC_SLAVE, 8);	/* PIC pins 0-7 */
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	route_chip(0, 5, KVM_IRQCHIP_IOAPIC, 24);	/* IOAPIC pins 0-23 */
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	route_chip(0, MAX_ROUTES, KVM_IRQCHIP_IOAPIC, 1);	/* GSI range */
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	route_chip(0, 5, KVM_IRQCHIP_IOAPIC, 24);
	routing->entries[0].type = 99;			/* unknown type */
	CHECK_ERRNO(set_routing(vm, 1), EINVAL);
	/* One GSI on the same chip twice. */
	route_chip(0, 7, KVM_IRQCHIP_IOAPIC, 7);
	route_chip(1, 7, KVM_IRQCHIP_IOAPIC, 8);
	CHECK_ERRNO(set_routing(vm, 2), EINVAL);
	/* An MSI GSI routes nowhere else. */
	route_msi(1, 7);
	CHECK_ERRNO(set_routing(vm, 2), EINVAL);
	/* Fine: a GSI on PIC and IOAPIC, an MSI, the max GSI. */
	route_chip(0, 7, KVM_IRQCHIP_PIC_MASTER, 7);
	route_chip(1, 7, KVM_IRQCHIP_IOAPIC, 7);
	route_msi(2, 30);
	route_chip(3, MAX_ROUTES - 1, KVM_IRQCHIP_IOAPIC, 23);
	CHECK_SUCCESS(set_routing(vm, 4));

	msi.flags = 2;
	CHECK_ERRNO(ioctl(vm->fd, KVM_SIGNAL_MSI, &msi), EINVAL);
	free(routing);
	vm_free(vm);
}

static struct vcpu *modes;

static bool expect_val(uint8_t val)
{
	if (!RUN_EXPECT_IO(modes, KVM_EXIT_IO_OUT, 1, PORT_VAL, 1))
		return false;
	return CHECK_EQ(*(uint8_t *)vcpu_io_data(modes), val);
}

/*
 * A poll read: the 8259A datasheet sets bit 7 when a request was found;
 * KVM 6.1 returns the bare level.  Both give the level in bits 0-2.
 */
static void expect_poll(uint8_t irq)
{
	uint8_t v;

	if (!RUN_EXPECT_IO(modes, KVM_EXIT_IO_OUT, 1, PORT_VAL, 1))
		return;
	v = *(uint8_t *)vcpu_io_data(modes);
	CHECK_EQ(v & 0x7f, irq);
	if (!(v & 0x80))
		tap_diag("poll read without bit 7 (KVM does this)");
}

static bool expect_sync(void)
{
	return RUN_EXPECT_IO(modes, KVM_EXIT_IO_OUT, 1, PORT_SYNC, 1);
}

static void test_poll_priority(void)
{
	modes = irqchip_guest(SNIPPET_CODE(pic_modes));
	if (!expect_sync())
		return;
	pulse(modes->vm, 5);
	pulse(modes->vm, 3);
	expect_poll(3);
	if (!expect_sync())
		return;
	/* IRQ5 is still requested; rotated priorities put it first. */
	pulse(modes->vm, 3);
	expect_poll(5);
	expect_poll(3);
}

static uint8_t master_irr(void)
{
	struct kvm_irqchip c;

	if (get_chip(modes->vm, &c, KVM_IRQCHIP_PIC_MASTER))
		tap_bail("KVM_GET_IRQCHIP: %m");
	return c.chip.pic.irr;
}

static void test_elcr(void)
{
	struct kvm_irqchip c;

	expect_val(0x40);
	if (!expect_sync())
		return;
	get_chip(modes->vm, &c, KVM_IRQCHIP_PIC_MASTER);
	CHECK_EQ(c.chip.pic.elcr, 0x40);
	/* A level input follows its line; an edge one stays latched. */
	irq_line(modes->vm, 6, 1);
	CHECK_EQ(master_irr() & 0x40, 0x40);
	CHECK_EQ(irq_line(modes->vm, 6, 1), 0);	/* already requested */
	irq_line(modes->vm, 6, 0);
	CHECK_EQ(master_irr() & 0x40, 0);
	pulse(modes->vm, 5);
	CHECK_EQ(master_irr() & 0x20, 0x20);
	CHECK_EQ(pulse(modes->vm, 5), 0);		/* coalesced */
	/* An edge line raised again while high: no new edge, KVM says 1. */
	CHECK_EQ(irq_line(modes->vm, 4, 1), 1);
	CHECK_EQ(irq_line(modes->vm, 4, 1), 1);
	irq_line(modes->vm, 4, 0);
}

static void test_auto_eoi(void)
{
	struct kvm_irqchip c;

	if (!expect_sync())
		return;
	get_chip(modes->vm, &c, KVM_IRQCHIP_PIC_MASTER);
	CHECK_EQ(c.chip.pic.auto_eoi, 1);
	CHECK_EQ(c.chip.pic.imr, 0xf7);
	pulse(modes->vm, 3);
	/* In the handler: auto-EOI left ISR empty. */
	expect_val(0);
	/* Without any EOI the same level is taken again. */
	pulse(modes->vm, 3);
	expect_val(0);
	if (RUN_EXPECT_IO(modes, KVM_EXIT_IO_OUT, 2, PORT_DONE, 1))
		CHECK_EQ(*(uint16_t *)vcpu_io_data(modes), 2);
	guest_destroy(modes);
}

static void test_caps(void)
{
	CHECK_EQ(kvm_check_cap(KVM_CAP_IRQCHIP), 1);
	CHECK_EQ(kvm_check_cap(KVM_CAP_IRQ_ROUTING), MAX_ROUTES);
	CHECK_EQ(kvm_check_cap(KVM_CAP_IRQ_INJECT_STATUS), 1);
	CHECK_EQ(kvm_check_cap(KVM_CAP_SIGNAL_MSI), 1);
}

static void test_cleanup(void)
{
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "guest programs both 8259As", test_setup },
	{ "masked IRQ4 not delivered, IRQ3 taken with its vector",
	  test_masked_then_open },
	{ "masked request waits in IRR until unmasked",
	  test_masked_waits_in_irr },
	{ "slave IRQ10 through the cascade", test_cascade },
	{ "KVM_IRQ_LINE from another thread wakes HLT", test_wake_from_hlt },
	{ "KVM_GET_IRQCHIP shows the guest's programming", test_get_state },
	{ "KVM_SET_IRQCHIP round trip", test_set_state },
	{ "irqchip ioctl errors", test_chip_errors },
	{ "KVM_SET_GSI_ROUTING and KVM_SIGNAL_MSI errors",
	  test_routing_errors },
	{ "poll command, specific EOI, rotated priority", test_poll_priority },
	{ "ELCR: level input follows the line, edge latches", test_elcr },
	{ "auto-EOI: no ISR bit, no EOI needed", test_auto_eoi },
	{ "capabilities", test_caps },
	{ "teardown", test_cleanup },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
