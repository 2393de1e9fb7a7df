// SPDX-License-Identifier: GPL-2.0
/*
 * An interrupt is delivered once: the guest's handler spins with IF=0
 * before it reports how many deliveries it has seen, so an injection the
 * CPU repeated while the guest ran (QEMU's TCG does that with EVENTINJ
 * interrupts when the emulated CPU is kicked before the guest's next
 * exit) shows as a count ahead of the host's.  Many rounds, as such a
 * kick is a matter of timing.
 */
#include <sys/ioctl.h>

#include "check.h"
#include "guest.h"
#include "irq_once.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(irq_once_guest);
SNIPPET_LABEL(irq_once_isr);

#define ROUNDS		300

static struct vcpu *vcpu;

static void test_setup(void)
{
	struct vm *vm = guest_create_irqchip_vm();

	guest_load(vm, GUEST_CODE_GPA, SNIPPET_CODE(irq_once_guest));
	vcpu = vcpu_create(vm, 0);
	guest_setup_long_mode(vcpu);
	guest_set_idt_gate(vcpu, ONCE_VECTOR,
			   SNIPPET_GPA(irq_once_guest, irq_once_isr));
	RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_READY, 1);
}

static void test_rounds(void)
{
	struct kvm_msi msi = {
		.address_lo = APIC_MMIO,	/* physical, APIC ID 0 */
		.data = ONCE_VECTOR,		/* fixed, edge */
	};
	uint32_t got;
	unsigned int i;

	for (i = 1; i <= ROUNDS; i++) {
		if (!CHECK_EQ(ioctl(vcpu->vm->fd, KVM_SIGNAL_MSI, &msi), 1))
			return;
		if (!RUN_EXPECT_IO(vcpu, KVM_EXIT_IO_OUT, 4, PORT_GOT, 1))
			return;
		got = *(uint32_t *)vcpu_io_data(vcpu);
		if (got != i) {
			tap_diag("round %u: the guest counted %u deliveries",
				 i, got);
			CHECK_EQ(got, i);
			return;
		}
	}
	tap_diag("%u interrupts, each delivered once", ROUNDS);
}

static void test_done(void)
{
	guest_destroy(vcpu);
}

static const struct tap_case cases[] = {
	{ "guest enables its APIC and halts", test_setup },
	{ "300 MSIs into an IF=0 spin: each delivered once", test_rounds },
	{ "VM torn down", test_done },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
