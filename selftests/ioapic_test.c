// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel IOAPIC and MSIs with the local APIC: a long-mode guest
 * programs IOAPIC redirection entries itself; KVM_IRQ_LINE on an edge
 * GSI delivers its vector; a level GSI keeps remote IRR set until the
 * guest's EOI and is delivered again while still asserted, but not when
 * no APIC took it; KVM_SIGNAL_MSI delivers a vector.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "check.h"
#include "guest.h"
#include "ioapic.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(ioapic_guest);
SNIPPET_LABEL(ioapic_isr_edge);
SNIPPET_LABEL(ioapic_isr_level);
SNIPPET_LABEL(ioapic_isr_msi);

#define IOAPIC_VERSION_24	0x170011	/* 24 pins, version 0x11 */

static struct vcpu *vcpu;

static void set_gate(struct vm *vm, uint8_t vector, uint64_t handler)
{
	uint64_t *gate = vm_hva(vm, IOAPIC_IDT_GPA + vector * 16);

	/* 64-bit interrupt gate, present, DPL 0. */
	gate[0] = (handler & 0xffff) | (uint64_t)GUEST_SEL_CODE64 << 16 |
		  0x8eull << 40 | ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

static void irq_line(unsigned int gsi, int level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	if (ioctl(vcpu->vm->fd, KVM_IRQ_LINE, &l))
		tap_bail("KVM_IRQ_LINE: %m");
}

static uint64_t redir(unsigned int pin)
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

/* The handler of @vector runs: its report, then its EOI. */
static void expect_vector(uint32_t vector)
{
	if (expect_out(PORT_VECTOR, vector))
		RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_EOI_DONE, 1);
}

static void test_setup(void)
{
	struct vm *vm = vm_create();
	struct kvm_sregs sregs;
	uint32_t v;

	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		tap_bail("KVM_CREATE_IRQCHIP: %m");
	vm_add_memory(vm, 0, 0, GUEST_MEM_SIZE);
	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(ioapic_guest));
	vcpu = vcpu_create(vm, 0);
	guest_setup_long_mode(vcpu);
	memset(vm_hva(vm, IOAPIC_IDT_GPA), 0, 4096);
	set_gate(vm, EDGE_VECTOR, SNIPPET_GPA(ioapic_guest, ioapic_isr_edge));
	set_gate(vm, LEVEL_VECTOR,
		 SNIPPET_GPA(ioapic_guest, ioapic_isr_level));
	set_gate(vm, MSI_VECTOR, SNIPPET_GPA(ioapic_guest, ioapic_isr_msi));
	vcpu_get_sregs(vcpu, &sregs);
	sregs.idt.base = IOAPIC_IDT_GPA;
	sregs.idt.limit = 4095;
	vcpu_set_sregs(vcpu, &sregs);

	if (RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_VERSION, 1)) {
		v = *(uint32_t *)vcpu_io_data(vcpu);
		CHECK_EQ(v, IOAPIC_VERSION_24);
	}
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_READY, 1);
	/* What the guest wrote through IOREGSEL/IOWIN. */
	CHECK_EQ(redir(EDGE_GSI), EDGE_VECTOR);
	CHECK_EQ(redir(LEVEL_GSI), RTE_LEVEL | LEVEL_VECTOR);
}

static void test_edge(void)
{
	irq_line(EDGE_GSI, 1);
	irq_line(EDGE_GSI, 0);
	expect_vector(EDGE_VECTOR);
	CHECK_EQ(redir(EDGE_GSI) & RTE_REMOTE_IRR, 0);
}

static void test_level(void)
{
	irq_line(LEVEL_GSI, 1);
	if (!expect_out(PORT_VECTOR, LEVEL_VECTOR))
		return;
	/* In service, not yet EOIed. */
	CHECK(redir(LEVEL_GSI) & RTE_REMOTE_IRR);
	if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_EOI_DONE, 1))
		return;
	/* The EOI cleared it, the line still high delivered again. */
	CHECK(redir(LEVEL_GSI) & RTE_REMOTE_IRR);
	irq_line(LEVEL_GSI, 0);
	expect_vector(LEVEL_VECTOR);
	CHECK_EQ(redir(LEVEL_GSI) & RTE_REMOTE_IRR, 0);
}

static void test_msi(void)
{
	struct kvm_msi msi = {
		.address_lo = APIC_MMIO,	/* physical, APIC ID 0 */
		.data = MSI_VECTOR,		/* fixed, edge */
	};

	CHECK_EQ(ioctl(vcpu->vm->fd, KVM_SIGNAL_MSI, &msi), 1);
	expect_vector(MSI_VECTOR);
	expect_out(PORT_DONE, 4);
	guest_destroy(vcpu);
}

/*
 * A level interrupt that no local APIC accepts (a new vCPU's APIC is
 * software-disabled) gets no EOI: remote IRR must stay clear, or the pin
 * would never fire again.
 */
static void test_level_unaccepted(void)
{
	struct vm *vm = vm_create();
	struct kvm_irqchip c = { .chip_id = KVM_IRQCHIP_IOAPIC };
	struct vcpu *v;

	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		tap_bail("KVM_CREATE_IRQCHIP: %m");
	v = vcpu_create(vm, 0);
	vcpu = v;
	if (!CHECK_SUCCESS(ioctl(vm->fd, KVM_GET_IRQCHIP, &c)))
		goto out;
	c.chip.ioapic.redirtbl[LEVEL_GSI].bits = RTE_LEVEL | LEVEL_VECTOR;
	if (!CHECK_SUCCESS(ioctl(vm->fd, KVM_SET_IRQCHIP, &c)))
		goto out;
	irq_line(LEVEL_GSI, 1);
	CHECK_EQ(redir(LEVEL_GSI), RTE_LEVEL | LEVEL_VECTOR);
	irq_line(LEVEL_GSI, 0);
out:
	guest_destroy(v);
}

static const struct tap_case cases[] = {
	{ "guest enables its APIC and programs the IOAPIC", test_setup },
	{ "edge GSI delivers its vector", test_edge },
	{ "level GSI: remote IRR until EOI, again while asserted",
	  test_level },
	{ "KVM_SIGNAL_MSI delivers a vector", test_msi },
	{ "level GSI no APIC accepts: remote IRR stays clear",
	  test_level_unaccepted },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
