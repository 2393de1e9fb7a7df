// SPDX-License-Identifier: GPL-2.0
/*
 * Bad ioctl arguments at each fd level (system, VM, vCPU): unknown
 * commands, bad pointers, bad sizes, bad values. The errno values are the
 * ones Linux's KVM returns; vmx must return the same ones.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "check.h"
#include "tap.h"
#include "vm.h"

/* No KVM ioctl uses number 0xfe. */
#define KVM_UNKNOWN_IOCTL	_IO(KVMIO, 0xfe)
/* A kernel address: never accessible from user space. */
#define BAD_PTR			((void *)0xffff800000000000ull)

#define CR0_PE		(1ull << 0)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)

static struct vm *vm;
static struct vcpu *vcpu;

/*
 * Unknown commands: KVM answers EINVAL on the system and vCPU fds and
 * ENOTTY on the VM fd (x86's kvm_arch_vm_ioctl default), also for
 * commands of another driver (TCGETS).
 */
static void test_unknown_system(void)
{
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_UNKNOWN_IOCTL, 0), EINVAL);
	CHECK_ERRNO(ioctl(kvm_fd(), TCGETS, 0), EINVAL);
}

static void test_unknown_vm(void)
{
	CHECK_ERRNO(ioctl(vm->fd, KVM_UNKNOWN_IOCTL, 0), ENOTTY);
	CHECK_ERRNO(ioctl(vm->fd, TCGETS, 0), ENOTTY);
}

static void test_unknown_vcpu(void)
{
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_UNKNOWN_IOCTL, 0), EINVAL);
	CHECK_ERRNO(ioctl(vcpu->fd, TCGETS, 0), EINVAL);
}

/* An ioctl of one level sent to another level is just unknown there. */
static void test_wrong_level(void)
{
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_CREATE_VCPU, 0), EINVAL);
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_RUN, 0), EINVAL);
	CHECK_ERRNO(ioctl(vm->fd, KVM_RUN, 0), ENOTTY);
	CHECK_ERRNO(ioctl(vm->fd, KVM_CREATE_VM, 0), ENOTTY);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_CREATE_VCPU, 1), EINVAL);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_USER_MEMORY_REGION, NULL),
		    EINVAL);
}

/* The size is part of the command number: a wrong size is unknown. */
static void test_wrong_size_encoding(void)
{
	unsigned long set_region = _IOC(_IOC_WRITE, KVMIO, 0x46, 16);
	unsigned long get_regs = _IOC(_IOC_READ, KVMIO, 0x81, 8);
	unsigned long msr_list = _IOC(_IOC_READ | _IOC_WRITE, KVMIO, 0x02, 8);
	char buf[64] = { 0 };

	CHECK_ERRNO(ioctl(vm->fd, set_region, buf), ENOTTY);
	CHECK_ERRNO(ioctl(vcpu->fd, get_regs, buf), EINVAL);
	CHECK_ERRNO(ioctl(kvm_fd(), msr_list, buf), EINVAL);
}

/* Commands that take no argument insist on 0. */
static void test_nonzero_arg(void)
{
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_GET_API_VERSION, 1), EINVAL);
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_GET_VCPU_MMAP_SIZE, 1), EINVAL);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_RUN, 1), EINVAL);
}

static void test_create_vm_type(void)
{
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_CREATE_VM, 1), EINVAL);
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_CREATE_VM, 0xdead), EINVAL);
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_CREATE_VM, -1L), EINVAL);
}

static void test_efault_system(void)
{
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_GET_MSR_INDEX_LIST, NULL), EFAULT);
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_GET_MSR_INDEX_LIST, BAD_PTR), EFAULT);
}

static void test_efault_vm(void)
{
	CHECK_ERRNO(ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, NULL), EFAULT);
	CHECK_ERRNO(ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, BAD_PTR),
		    EFAULT);
}

static void test_efault_vcpu(void)
{
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_GET_REGS, NULL), EFAULT);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_REGS, NULL), EFAULT);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_GET_SREGS, BAD_PTR), EFAULT);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_SREGS, NULL), EFAULT);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_GET_MSRS, NULL), EFAULT);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_MSRS, BAD_PTR), EFAULT);
}

static void test_msrs_too_many(void)
{
	struct kvm_msrs *msrs = calloc(1, sizeof(*msrs) +
				       256 * sizeof(struct kvm_msr_entry));

	/* KVM moves at most 255 MSRs per call. */
	msrs->nmsrs = 256;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_GET_MSRS, msrs), E2BIG);
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_MSRS, msrs), E2BIG);
	free(msrs);
}

static void test_msrs_unknown_index(void)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[2];
	} buf;

	/* Not an error: the return value counts the MSRs done, in order. */
	memset(&buf, 0, sizeof(buf));
	buf.hdr.nmsrs = 2;
	buf.e[0].index = 0xdeadbeef;
	buf.e[1].index = 0xc0000081;	/* STAR */
	CHECK_EQ(ioctl(vcpu->fd, KVM_GET_MSRS, &buf), 0);
	CHECK_EQ(ioctl(vcpu->fd, KVM_SET_MSRS, &buf), 0);
	buf.e[0].index = 0xc0000081;
	buf.e[1].index = 0xdeadbeef;
	CHECK_EQ(ioctl(vcpu->fd, KVM_GET_MSRS, &buf), 1);
}

static void test_bad_memory_slot(void)
{
	void *mem = vm_hva(vm, 0);
	int nr = kvm_check_cap(KVM_CAP_NR_MEMSLOTS);

	CHECK_ERRNO(vm_set_region(vm, nr, 0, 0x100000, 4096, mem), EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 0xffff, 0, 0x100000, 4096, mem),
		    EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 1, 0, 0x100000, 4096, BAD_PTR),
		    EINVAL);
}

/* KVM_SET_SREGS refuses architecturally impossible control states. */
static void test_bad_sregs(void)
{
	struct kvm_sregs good, s;

	vcpu_get_sregs(vcpu, &good);

	s = good;
	s.cr0 |= CR0_PG;
	s.cr0 &= ~CR0_PE;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_SREGS, &s), EINVAL);

	s = good;
	s.cr0 |= 1ull << 32;		/* reserved */
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_SREGS, &s), EINVAL);

	s = good;			/* long mode without PAE */
	s.cr0 |= CR0_PE | CR0_PG;
	s.cr4 &= ~CR4_PAE;
	s.efer |= EFER_LME | EFER_LMA;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_SREGS, &s), EINVAL);

	s = good;			/* LMA without paging */
	s.efer |= EFER_LMA;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_SREGS, &s), EINVAL);

	s = good;			/* 64-bit CS outside long mode */
	s.cs.l = 1;
	CHECK_ERRNO(ioctl(vcpu->fd, KVM_SET_SREGS, &s), EINVAL);

	/* Nothing of the above stuck. */
	vcpu_get_sregs(vcpu, &s);
	CHECK_EQ(s.cr0, good.cr0);
	CHECK_EQ(s.efer, good.efer);
	CHECK_EQ(s.cs.l, 0);
	CHECK_SUCCESS(ioctl(vcpu->fd, KVM_SET_SREGS, &good));
}

static const struct tap_case cases[] = {
	{ "system fd: unknown ioctl -> EINVAL", test_unknown_system },
	{ "VM fd: unknown ioctl -> ENOTTY", test_unknown_vm },
	{ "vCPU fd: unknown ioctl -> EINVAL", test_unknown_vcpu },
	{ "ioctl of another fd level is unknown", test_wrong_level },
	{ "known ioctl number with a wrong size is unknown",
	  test_wrong_size_encoding },
	{ "argument-less ioctls with arg != 0 -> EINVAL", test_nonzero_arg },
	{ "KVM_CREATE_VM with a bad type -> EINVAL", test_create_vm_type },
	{ "system fd: bad pointers -> EFAULT", test_efault_system },
	{ "VM fd: bad pointers -> EFAULT", test_efault_vm },
	{ "vCPU fd: bad pointers -> EFAULT", test_efault_vcpu },
	{ "KVM_GET/SET_MSRS with 256 entries -> E2BIG", test_msrs_too_many },
	{ "KVM_GET/SET_MSRS stop at an unknown MSR, return count done",
	  test_msrs_unknown_index },
	{ "KVM_SET_USER_MEMORY_REGION bad slot or address -> EINVAL",
	  test_bad_memory_slot },
	{ "KVM_SET_SREGS with impossible CR0/CR4/EFER/CS -> EINVAL",
	  test_bad_sregs },
};

int main(void)
{
	vm = vm_create();
	vm_add_memory(vm, 0, 0, 0x10000);
	vcpu = vcpu_create(vm, 0);
	tap_run(cases, ARRAY_SIZE(cases));
}
