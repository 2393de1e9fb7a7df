// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_USER_MEMORY_REGION: add, move, delete, and every rule KVM
 * enforces (overlap, alignment, flags, slot ids, size and address of an
 * existing slot), then a guest reading through a moved and a deleted slot.
 */
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(ms_reader);

#define SLOT_SIZE	0x10000
#define GPA_A		0x100000
#define GPA_B		0x200000
#define PORT_ADDR	0x80
#define PORT_VALUE	0x81
#define DATA_SLOT_SIZE	0x200000
#define DATA_GPA_OLD	0x40000000
#define DATA_GPA_NEW	0x80000000

static struct vm *vm;
static uint8_t *mem, *mem2;

static void *anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		tap_bail("mmap failed");
	return p;
}

static void test_add(void)
{
	vm = vm_create();
	mem = anon(SLOT_SIZE);
	mem2 = anon(SLOT_SIZE);
	CHECK_SUCCESS(vm_set_region(vm, 1, 0, GPA_A, SLOT_SIZE, mem));
	/* Setting a slot to what it already is succeeds. */
	CHECK_SUCCESS(vm_set_region(vm, 1, 0, GPA_A, SLOT_SIZE, mem));
	/* Adjacent, not overlapping. */
	CHECK_SUCCESS(vm_set_region(vm, 2, 0, GPA_A + SLOT_SIZE, SLOT_SIZE,
				    mem2));
	CHECK_SUCCESS(vm_set_region(vm, 2, 0, 0, 0, mem2));
}

static void test_overlap(void)
{
	void *big = anon(4 * SLOT_SIZE);

	CHECK_ERRNO(vm_set_region(vm, 2, 0, GPA_A, SLOT_SIZE, mem2), EEXIST);
	CHECK_ERRNO(vm_set_region(vm, 2, 0, GPA_A + 0x8000, SLOT_SIZE, mem2),
		    EEXIST);
	CHECK_ERRNO(vm_set_region(vm, 2, 0, GPA_A - 0x8000, SLOT_SIZE, mem2),
		    EEXIST);
	/* Inside, and around. */
	CHECK_ERRNO(vm_set_region(vm, 2, 0, GPA_A + 0x1000, 0x1000, mem2),
		    EEXIST);
	CHECK_ERRNO(vm_set_region(vm, 3, 0, GPA_A - 0x1000, 4 * SLOT_SIZE,
				  big), EEXIST);
	munmap(big, 4 * SLOT_SIZE);
}

static void test_move(void)
{
	CHECK_SUCCESS(vm_set_region(vm, 1, 0, GPA_B, SLOT_SIZE, mem));
	/* The old range is free now. */
	CHECK_SUCCESS(vm_set_region(vm, 2, 0, GPA_A, SLOT_SIZE, mem2));
	/* Moving onto another slot is an overlap. */
	CHECK_ERRNO(vm_set_region(vm, 1, 0, GPA_A + 0x1000, SLOT_SIZE, mem),
		    EEXIST);
}

static void test_modify_rules(void)
{
	/* An existing slot keeps its size and host address. */
	CHECK_ERRNO(vm_set_region(vm, 1, 0, GPA_B, 2 * SLOT_SIZE, mem),
		    EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 1, 0, GPA_B, SLOT_SIZE / 2, mem),
		    EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 1, 0, GPA_B, SLOT_SIZE, mem2), EINVAL);
}

static void test_delete(void)
{
	CHECK_SUCCESS(vm_set_region(vm, 2, 0, GPA_A, 0, mem2));
	/* Deleting a slot that does not exist (any more). */
	CHECK_ERRNO(vm_set_region(vm, 2, 0, GPA_A, 0, mem2), EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 7, 0, 0, 0, NULL), EINVAL);
	/* Its range can be reused by another slot id. */
	CHECK_SUCCESS(vm_set_region(vm, 5, 0, GPA_A, SLOT_SIZE, mem2));
	CHECK_SUCCESS(vm_set_region(vm, 5, 0, GPA_A, 0, mem2));
}

static void test_alignment(void)
{
	CHECK_ERRNO(vm_set_region(vm, 3, 0, GPA_A + 0x800, SLOT_SIZE, mem2),
		    EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 3, 0, GPA_A, SLOT_SIZE - 0x800, mem2),
		    EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 3, 0, GPA_A, SLOT_SIZE, mem2 + 0x800),
		    EINVAL);
	/* gpa + size wraps around. */
	CHECK_ERRNO(vm_set_region(vm, 3, 0, 0xfffffffffffff000ull, 0x2000,
				  mem2), EINVAL);
}

static void test_flags(void)
{
	CHECK_ERRNO(vm_set_region(vm, 3, 1u << 5, GPA_A, SLOT_SIZE, mem2),
		    EINVAL);
	CHECK_ERRNO(vm_set_region(vm, 3, 1u << 31, GPA_A, SLOT_SIZE, mem2),
		    EINVAL);
}

static void test_slot_ids(void)
{
	int nr = kvm_check_cap(KVM_CAP_NR_MEMSLOTS);

	tap_diag("KVM_CAP_NR_MEMSLOTS %d", nr);
	CHECK_ERRNO(vm_set_region(vm, nr, 0, GPA_A, SLOT_SIZE, mem2), EINVAL);
	CHECK_ERRNO(vm_set_region(vm, nr + 1, 0, GPA_A, SLOT_SIZE, mem2),
		    EINVAL);
	/* The highest id is usable. */
	CHECK_SUCCESS(vm_set_region(vm, nr - 1, 0, GPA_A, SLOT_SIZE, mem2));
	CHECK_SUCCESS(vm_set_region(vm, nr - 1, 0, GPA_A, 0, mem2));
	vm_free(vm);
	munmap(mem, SLOT_SIZE);
	munmap(mem2, SLOT_SIZE);
}

static struct vcpu *reader;
static uint32_t *data;

/* The guest loads 4 bytes at @gpa; expect RAM contents @want. */
static void read_ram(uint64_t gpa, uint32_t want)
{
	uint32_t got;

	if (!RUN_EXPECT_IO(reader, KVM_EXIT_IO_IN, 4, PORT_ADDR, 1))
		return;
	memcpy(vcpu_io_data(reader), &gpa, 4);
	if (!RUN_EXPECT_IO(reader, KVM_EXIT_IO_OUT, 4, PORT_VALUE, 1))
		return;
	memcpy(&got, vcpu_io_data(reader), 4);
	CHECK_EQ(got, want);
}

/* The guest loads 4 bytes at @gpa with no slot there: MMIO exit. */
static void read_unbacked(uint64_t gpa)
{
	uint32_t got, fill = 0xfeedface;

	if (!RUN_EXPECT_IO(reader, KVM_EXIT_IO_IN, 4, PORT_ADDR, 1))
		return;
	memcpy(vcpu_io_data(reader), &gpa, 4);
	if (!RUN_EXPECT_MMIO(reader, gpa, 4, false))
		return;
	memcpy(reader->run->mmio.data, &fill, 4);
	if (!RUN_EXPECT_IO(reader, KVM_EXIT_IO_OUT, 4, PORT_VALUE, 1))
		return;
	memcpy(&got, vcpu_io_data(reader), 4);
	CHECK_EQ(got, fill);
}

static void test_guest_reads_slot(void)
{
	unsigned int i;

	reader = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(ms_reader));
	data = vm_add_memory(reader->vm, 1, DATA_GPA_OLD, DATA_SLOT_SIZE);
	for (i = 0; i < DATA_SLOT_SIZE / 4; i++)
		data[i] = 0xa0000000 + i;
	read_ram(DATA_GPA_OLD + 0x10, 0xa0000004);
	read_ram(DATA_GPA_OLD + 0x1ffffc, 0xa0000000 + 0x1ffffc / 4);
}

static void test_guest_reads_moved_slot(void)
{
	if (!CHECK_SUCCESS(vm_set_region(reader->vm, 1, 0, DATA_GPA_NEW,
					 DATA_SLOT_SIZE, data)))
		return;
	read_ram(DATA_GPA_NEW + 0x10, 0xa0000004);
	/* Same host memory: a host write shows at the new address. */
	data[5] = 0x12345678;
	read_ram(DATA_GPA_NEW + 0x14, 0x12345678);
}

static void test_old_address_unbacked(void)
{
	/* The guest saw RAM there before the move; it must not any more. */
	read_unbacked(DATA_GPA_OLD + 0x10);
}

static void test_deleted_slot_unbacked(void)
{
	if (!CHECK_SUCCESS(vm_set_region(reader->vm, 1, 0, DATA_GPA_NEW, 0,
					 data)))
		return;
	read_unbacked(DATA_GPA_NEW + 0x10);
	/* And a slot added again in its place is RAM again. */
	if (!CHECK_SUCCESS(vm_set_region(reader->vm, 2, 0, DATA_GPA_NEW,
					 DATA_SLOT_SIZE, data)))
		return;
	read_ram(DATA_GPA_NEW + 0x10, 0xa0000004);
	guest_destroy(reader);
}

static const struct tap_case cases[] = {
	{ "add slots; re-setting a slot unchanged succeeds", test_add },
	{ "overlapping slots -> EEXIST", test_overlap },
	{ "move a slot; its old range becomes free", test_move },
	{ "changing size or host address of a slot -> EINVAL",
	  test_modify_rules },
	{ "delete a slot; deleting a missing slot -> EINVAL", test_delete },
	{ "unaligned gpa, size, uaddr or wrapping range -> EINVAL",
	  test_alignment },
	{ "unknown flags -> EINVAL", test_flags },
	{ "slot id >= KVM_CAP_NR_MEMSLOTS -> EINVAL, highest id works",
	  test_slot_ids },
	{ "guest reads a slot at 1 GiB", test_guest_reads_slot },
	{ "guest reads the slot moved to 2 GiB", test_guest_reads_moved_slot },
	{ "guest read at the old address is MMIO", test_old_address_unbacked },
	{ "deleted slot is MMIO; re-added slot is RAM again",
	  test_deleted_slot_unbacked },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
