// SPDX-License-Identifier: GPL-2.0
/*
 * System-level ioctls on the device fd: API version, capabilities, vCPU
 * mmap size and the MSR index list.
 */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "check.h"
#include "tap.h"
#include "vm.h"

#define MSR_SYSENTER_CS	0x174
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082

static void test_api_version(void)
{
	CHECK_EQ(ioctl(kvm_fd(), KVM_GET_API_VERSION, 0), KVM_API_VERSION);
	CHECK_EQ(KVM_API_VERSION, 12);
}

static void test_cap_immediate_exit(void)
{
	CHECK(kvm_check_cap(KVM_CAP_IMMEDIATE_EXIT) > 0);
}

static void test_cap_user_memory(void)
{
	CHECK(kvm_check_cap(KVM_CAP_USER_MEMORY) > 0);
}

static void test_cap_vcpu_limits(void)
{
	int nr = kvm_check_cap(KVM_CAP_NR_VCPUS);
	int max = kvm_check_cap(KVM_CAP_MAX_VCPUS);
	int max_id = kvm_check_cap(KVM_CAP_MAX_VCPU_ID);

	tap_diag("NR_VCPUS %d MAX_VCPUS %d MAX_VCPU_ID %d", nr, max, max_id);
	CHECK(nr > 0);
	/* Recommended count <= hard limit <= number of usable ids. */
	CHECK(max >= nr);
	CHECK(max_id >= max);
}

static void test_cap_nr_memslots(void)
{
	int n = kvm_check_cap(KVM_CAP_NR_MEMSLOTS);

	tap_diag("NR_MEMSLOTS %d", n);
	/* KVM guarantees at least 32 on every architecture. */
	CHECK(n >= 32);
}

static void test_cap_unknown(void)
{
	/* Unknown extensions are "not supported", not an error. */
	CHECK_EQ(ioctl(kvm_fd(), KVM_CHECK_EXTENSION, 0x7fffffff), 0);
	CHECK_EQ(ioctl(kvm_fd(), KVM_CHECK_EXTENSION, -1L), 0);
}

static void test_vcpu_mmap_size(void)
{
	int size = ioctl(kvm_fd(), KVM_GET_VCPU_MMAP_SIZE, 0);
	long page = sysconf(_SC_PAGESIZE);

	tap_diag("vCPU mmap size %d", size);
	CHECK(size >= 4096);
	CHECK_EQ(size % page, 0);
	/* x86 puts the PIO data page right after struct kvm_run. */
	CHECK(size >= 2 * page);
}

static void test_msr_list_e2big(void)
{
	struct kvm_msr_list list = { .nmsrs = 1 };

	if (!CHECK_ERRNO(ioctl(kvm_fd(), KVM_GET_MSR_INDEX_LIST, &list),
			 E2BIG))
		return;
	/* The needed count is written back even on E2BIG. */
	tap_diag("MSR index list has %u entries", list.nmsrs);
	CHECK(list.nmsrs > 1);

	list.nmsrs = 0;
	CHECK_ERRNO(ioctl(kvm_fd(), KVM_GET_MSR_INDEX_LIST, &list), E2BIG);
	CHECK(list.nmsrs > 1);
}

static bool list_has(const struct kvm_msr_list *list, uint32_t msr)
{
	unsigned int i;

	for (i = 0; i < list->nmsrs; i++)
		if (list->indices[i] == msr)
			return true;
	return false;
}

static void test_msr_list(void)
{
	struct kvm_msr_list probe = { .nmsrs = 0 };
	struct kvm_msr_list *list;
	uint32_t needed;

	ioctl(kvm_fd(), KVM_GET_MSR_INDEX_LIST, &probe);
	needed = probe.nmsrs;
	if (!CHECK(needed > 0))
		return;

	/* Room for more than needed: nmsrs comes back as the real count. */
	list = calloc(1, sizeof(*list) + (needed + 8) * sizeof(uint32_t));
	list->nmsrs = needed + 8;
	if (CHECK_SUCCESS(ioctl(kvm_fd(), KVM_GET_MSR_INDEX_LIST, list))) {
		CHECK_EQ(list->nmsrs, needed);
		CHECK(list_has(list, MSR_SYSENTER_CS));
		CHECK(list_has(list, MSR_STAR));
		CHECK(list_has(list, MSR_LSTAR));
	}
	free(list);
}

static void test_check_extension_on_vm(void)
{
	struct vm *vm;

	if (kvm_check_cap(KVM_CAP_CHECK_EXTENSION_VM) <= 0) {
		tap_case_skip("no KVM_CAP_CHECK_EXTENSION_VM");
		return;
	}
	vm = vm_create();
	CHECK(ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) > 0);
	CHECK_EQ(ioctl(vm->fd, KVM_CHECK_EXTENSION, 0x7fffffff), 0);
	vm_free(vm);
}

static const struct tap_case cases[] = {
	{ "KVM_GET_API_VERSION is 12", test_api_version },
	{ "KVM_CAP_IMMEDIATE_EXIT supported", test_cap_immediate_exit },
	{ "KVM_CAP_USER_MEMORY supported", test_cap_user_memory },
	{ "NR_VCPUS <= MAX_VCPUS <= MAX_VCPU_ID", test_cap_vcpu_limits },
	{ "KVM_CAP_NR_MEMSLOTS >= 32", test_cap_nr_memslots },
	{ "unknown extension returns 0", test_cap_unknown },
	{ "KVM_GET_VCPU_MMAP_SIZE is a page multiple >= 2 pages",
	  test_vcpu_mmap_size },
	{ "KVM_GET_MSR_INDEX_LIST too small: E2BIG, count written back",
	  test_msr_list_e2big },
	/* Not EFER: KVM leaves it out (user space saves it with sregs). */
	{ "KVM_GET_MSR_INDEX_LIST lists SYSENTER_CS, STAR, LSTAR",
	  test_msr_list },
	{ "KVM_CHECK_EXTENSION on a VM fd", test_check_extension_on_vm },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
