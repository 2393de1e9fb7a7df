// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page logging: KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG, and the
 * manual-protect flow of KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 with
 * KVM_CLEAR_DIRTY_LOG.  A long-mode guest stores to, loads from, string-
 * stores to and INSes into pages of a 64-page logged slot as the host
 * tells it; the log must hold exactly the written pages.
 */
#include <cpuid.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(dl_worker);

#define PAGE		0x1000ull
#define LOG_SLOT	1
#define LOG_GPA		0x1000000ull
#define LOG_PAGES	64
#define MOVED_GPA	0x1800000ull
#define BIG_SLOT	3
#define BIG_GPA		0x2000000ull
#define BIG_PAGES	70		/* a partial last bitmap word */
#define RO_SLOT		4
#define RO_GPA		0x3000000ull
#define EXTRA_SLOT	6
#define EXTRA_GPA	0x5000000ull	/* a 2 MiB page never touched */
#define SLOT0_WORDS	(GUEST_MEM_SIZE / PAGE / 64)
/* Bits of pages GUEST_PML4_GPA up to the last page directory. */
#define PAGE_TABLE_PAGES	(BIT(GUEST_PD_GPA / PAGE + 4) -		\
				 BIT(GUEST_PML4_GPA / PAGE))
#define INS_PORT	0x84
#define INS_VALUE	0xc0ffee11u
#define STORE_VALUE	0x5a5a5a5au
#define STRING_VALUE	0xa5a5a5a5u

/* Guest commands (dirty_log_guest.S): address | operation. */
#define OP_STORE	1
#define OP_LOAD		2
#define OP_STRING	3	/* 64 bytes from 32 below the page end */
#define OP_INS		4
#define W(p)	(log_gpa + (p) * PAGE + OP_STORE)
#define R(p)	(log_gpa + (p) * PAGE + 0x40 + OP_LOAD)
#define S(p)	(log_gpa + (p) * PAGE + PAGE - 32 + OP_STRING)
#define I(p)	(log_gpa + (p) * PAGE + 0x100 + OP_INS)
#define BIT(n)	(1ull << (n))

static struct vcpu *vcpu;
static struct vm *vm;
static uint8_t *log_mem, *big_mem, *ro_mem;
static uint64_t log_gpa = LOG_GPA;
static unsigned int mmio_exits;

static void *anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		tap_bail("mmap failed");
	return p;
}

/* Let the guest run a zero-terminated command list up to its HLT. */
static bool run_cmds(const uint64_t *list, unsigned int n)
{
	uint64_t *cmds = guest_mem(vcpu, GUEST_DATA_GPA);
	uint32_t value = INS_VALUE;
	struct kvm_run *run = vcpu->run;

	memcpy(cmds, list, n * sizeof(*list));
	cmds[n] = 0;
	for (;;) {
		if (!CHECK_SUCCESS(vcpu_run(vcpu)))
			return false;
		if (run->exit_reason == KVM_EXIT_HLT)
			return true;
		if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write) {
			mmio_exits++;
			continue;
		}
		if (run->exit_reason != KVM_EXIT_IO ||
		    run->io.direction != KVM_EXIT_IO_IN ||
		    run->io.port != INS_PORT || run->io.size != 4 ||
		    run->io.count != 1) {
			describe_exit(vcpu);
			return CHECK_EQ(run->exit_reason, KVM_EXIT_HLT);
		}
		memcpy(vcpu_io_data(vcpu), &value, 4);
	}
}

#define RUN_CMDS(...)							\
	({								\
		const uint64_t l_[] = { __VA_ARGS__ };			\
		run_cmds(l_, ARRAY_SIZE(l_));				\
	})

static int get_log(uint32_t slot, void *bitmap)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };

	return ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log);
}

static int clear_log(uint32_t slot, uint64_t first, uint32_t num,
		     void *bitmap)
{
	struct kvm_clear_dirty_log log = {
		.slot = slot, .first_page = first, .num_pages = num,
		.dirty_bitmap = bitmap,
	};

	return ioctl(vm->fd, KVM_CLEAR_DIRTY_LOG, &log);
}

/* The log of the 64-page slot is exactly @want. */
static void expect_log(uint64_t want)
{
	uint64_t got = 0xdeadbeef;

	if (CHECK_SUCCESS(get_log(LOG_SLOT, &got)))
		CHECK_EQ(got, want);
}

static int set_log_slot(uint32_t flags, uint64_t gpa)
{
	return vm_set_region(vm, LOG_SLOT, flags, gpa, LOG_PAGES * PAGE,
			     log_mem);
}

static uint32_t mem32(const uint8_t *base, uint64_t off)
{
	uint32_t v;

	memcpy(&v, base + off, 4);
	return v;
}

static void test_empty(void)
{
	vcpu = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(dl_worker));
	vm = vcpu->vm;
	log_mem = anon(LOG_PAGES * PAGE);
	if (!CHECK_SUCCESS(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, LOG_GPA)))
		tap_bail("cannot add a logged slot");
	expect_log(0);
}

static void test_first_writes(void)
{
	uint64_t every3 = 0;
	uint64_t list[32];
	unsigned int n = 0, p;

	for (p = 0; p < LOG_PAGES; p += 3) {
		list[n++] = W(p);
		every3 |= BIT(p);
	}
	list[n++] = S(10);	/* pages 10 and 11 */
	list[n++] = R(1);
	list[n++] = R(4);
	list[n++] = R(40);
	list[n++] = I(50);	/* written by the kernel on the guest's behalf */
	if (!run_cmds(list, n))
		return;
	expect_log(every3 | BIT(10) | BIT(11) | BIT(50));
	CHECK_EQ(mem32(log_mem, 3 * PAGE), STORE_VALUE);
	CHECK_EQ(mem32(log_mem, 11 * PAGE - 32), STRING_VALUE);
	CHECK_EQ(mem32(log_mem, 11 * PAGE + 28), STRING_VALUE);
	CHECK_EQ(mem32(log_mem, 50 * PAGE + 0x100), INS_VALUE);
}

static void test_second_get_empty(void)
{
	expect_log(0);
}

static void test_new_writes_only(void)
{
	/* Page 3 was written and collected: it must fault and log again. */
	if (!RUN_CMDS(W(1), W(3), R(5), W(62)))
		return;
	expect_log(BIT(1) | BIT(3) | BIT(62));
	if (!RUN_CMDS(I(3), I(7)))
		return;
	expect_log(BIT(3) | BIT(7));
	expect_log(0);
}

static void test_off_on(void)
{
	uint64_t bm;

	if (!CHECK_SUCCESS(set_log_slot(0, LOG_GPA)))
		return;
	CHECK_ERRNO(get_log(LOG_SLOT, &bm), ENOENT);
	/* Without logging pages 5 and 6 become writable in the NPT/EPT. */
	if (!RUN_CMDS(W(5), W(6)))
		return;
	if (!CHECK_SUCCESS(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, LOG_GPA)))
		return;
	expect_log(0);
	if (!RUN_CMDS(W(5), R(6)))
		return;
	expect_log(BIT(5));
}

static void test_move(void)
{
	if (!RUN_CMDS(W(20)))
		return;
	if (!CHECK_SUCCESS(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, MOVED_GPA)))
		return;
	log_gpa = MOVED_GPA;
	/* The moved slot keeps its log. */
	expect_log(BIT(20));
	if (!RUN_CMDS(W(21)))
		return;
	expect_log(BIT(21));
	CHECK_EQ(mem32(log_mem, 21 * PAGE), STORE_VALUE);
}

static bool is_intel(void)
{
	unsigned int eax, ebx, ecx, edx;

	__cpuid(0, eax, ebx, ecx, edx);
	return ebx == 0x756e6547;	/* "Genu" */
}

/* The guest's page-table walk sets A/D bits: a write like any other. */
static void test_page_tables(void)
{
	uint8_t *extra = anon(PAGE);
	uint64_t bm[SLOT0_WORDS];
	unsigned int i;

	if (!CHECK_SUCCESS(vm_set_region(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0,
					 GUEST_MEM_SIZE, vm_hva(vm, 0))) ||
	    !CHECK_SUCCESS(vm_set_region(vm, EXTRA_SLOT, 0, EXTRA_GPA, PAGE,
					 extra)))
		return;
	if (!RUN_CMDS(EXTRA_GPA + OP_STORE))
		return;
	CHECK_EQ(mem32(extra, 0), STORE_VALUE);
	if (CHECK_SUCCESS(get_log(0, bm))) {
		/*
		 * The page directory holding the new PDE's A and D bits; the
		 * other page-table pages may count too (AMD's nested paging
		 * treats every guest page-table access as a write, so does
		 * EPT with its A/D flags on), nothing else is written.
		 * Bochs 2.7 sets guest A/D bits without the EPT write check
		 * when EPT A/D flags are off (vmx on VT-x): no fault, no bit.
		 */
		tap_diag("slot 0 log: %#llx", (unsigned long long)bm[0]);
		if (!is_intel())
			CHECK(bm[0] & BIT(GUEST_PD_GPA / PAGE));
		CHECK_EQ(bm[0] & ~PAGE_TABLE_PAGES, 0);
		for (i = 1; i < SLOT0_WORDS; i++)
			CHECK_EQ(bm[i], 0);
	}
	CHECK_SUCCESS(vm_set_region(vm, 0, 0, 0, GUEST_MEM_SIZE,
				    vm_hva(vm, 0)));
	CHECK_SUCCESS(vm_set_region(vm, EXTRA_SLOT, 0, EXTRA_GPA, 0, extra));
	munmap(extra, PAGE);
}

static void test_readonly(void)
{
	uint64_t bm = 0xdeadbeef;

	ro_mem = anon(LOG_PAGES * PAGE);
	if (!CHECK_SUCCESS(vm_set_region(vm, RO_SLOT, KVM_MEM_READONLY |
					 KVM_MEM_LOG_DIRTY_PAGES, RO_GPA,
					 LOG_PAGES * PAGE, ro_mem)))
		return;
	mmio_exits = 0;
	if (!RUN_CMDS(RO_GPA + OP_STORE, RO_GPA + 0x40 + OP_LOAD))
		return;
	CHECK_EQ(mmio_exits, 1);
	CHECK_EQ(mem32(ro_mem, 0), 0);
	if (CHECK_SUCCESS(get_log(RO_SLOT, &bm)))
		CHECK_EQ(bm, 0);
	CHECK_SUCCESS(vm_set_region(vm, RO_SLOT, 0, RO_GPA, 0, ro_mem));
}

static void test_get_errnos(void)
{
	int nr = kvm_check_cap(KVM_CAP_NR_MEMSLOTS);
	uint64_t bm;

	/* Address space 2 exists nowhere on x86 (1 is SMM on KVM). */
	CHECK_ERRNO(get_log(LOG_SLOT | (2u << 16), &bm), EINVAL);
	CHECK_ERRNO(get_log(nr, &bm), EINVAL);
	CHECK_ERRNO(get_log(0xffff, &bm), EINVAL);
	CHECK_ERRNO(get_log(2, &bm), ENOENT);	/* no such slot */
	CHECK_ERRNO(get_log(0, &bm), ENOENT);	/* slot without logging */
	CHECK_ERRNO(get_log(LOG_SLOT, NULL), EFAULT);
	CHECK_ERRNO(ioctl(vm->fd, KVM_GET_DIRTY_LOG, NULL), EFAULT);
	/* Unknown slot flags still fail. */
	CHECK_ERRNO(vm_set_region(vm, 5, 1u << 3, BIG_GPA, PAGE, log_mem),
		    EINVAL);
}

static void test_manual_cap(void)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 };
	long want = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
		    KVM_DIRTY_LOG_INITIALLY_SET;

	CHECK_EQ(kvm_check_cap(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2), want);
	CHECK_EQ(ioctl(vm->fd, KVM_CHECK_EXTENSION,
		       KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2), want);
	cap.args[0] = 1ull << 2;
	CHECK_ERRNO(ioctl(vm->fd, KVM_ENABLE_CAP, &cap), EINVAL);
	cap.args[0] = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;
	cap.flags = 1;
	CHECK_ERRNO(ioctl(vm->fd, KVM_ENABLE_CAP, &cap), EINVAL);
	cap.flags = 0;
	/* Start the manual flow from an empty log. */
	expect_log(0);
	CHECK_SUCCESS(ioctl(vm->fd, KVM_ENABLE_CAP, &cap));
}

static void test_manual_flow(void)
{
	uint64_t mask;

	if (!RUN_CMDS(W(0), W(7), W(63)))
		return;
	expect_log(BIT(0) | BIT(7) | BIT(63));
	/* GET no longer clears. */
	expect_log(BIT(0) | BIT(7) | BIT(63));
	mask = BIT(0) | BIT(7);
	if (!CHECK_SUCCESS(clear_log(LOG_SLOT, 0, LOG_PAGES, &mask)))
		return;
	expect_log(BIT(63));
	/* Cleared pages are write-protected again; page 63 is not. */
	if (!RUN_CMDS(W(0), W(8), R(7)))
		return;
	expect_log(BIT(0) | BIT(8) | BIT(63));
	mask = ~0ull;
	CHECK_SUCCESS(clear_log(LOG_SLOT, 0, LOG_PAGES, &mask));
	expect_log(0);
	if (!RUN_CMDS(W(63)))
		return;
	expect_log(BIT(63));
	CHECK_SUCCESS(clear_log(LOG_SLOT, 0, LOG_PAGES, &mask));
}

static void test_clear_errnos(void)
{
	uint64_t mask[2] = { 0, 0 };

	CHECK_ERRNO(clear_log(LOG_SLOT, 1, 63, mask), EINVAL);
	CHECK_ERRNO(clear_log(LOG_SLOT, 32, 32, mask), EINVAL);
	CHECK_ERRNO(clear_log(LOG_SLOT, 0, 32, mask), EINVAL);
	CHECK_ERRNO(clear_log(LOG_SLOT, 0, 65, mask), EINVAL);
	CHECK_ERRNO(clear_log(LOG_SLOT, 64, 64, mask), EINVAL);
	CHECK_ERRNO(clear_log(LOG_SLOT, 128, 0, mask), EINVAL);
	CHECK_ERRNO(clear_log(LOG_SLOT | (2u << 16), 0, 64, mask), EINVAL);
	CHECK_ERRNO(clear_log(0xffff, 0, 64, mask), EINVAL);
	CHECK_ERRNO(clear_log(2, 0, 64, mask), ENOENT);
	CHECK_ERRNO(clear_log(0, 0, 64, mask), ENOENT);
	CHECK_ERRNO(clear_log(LOG_SLOT, 0, 64, NULL), EFAULT);
	/* An empty range at the end is fine. */
	CHECK_SUCCESS(clear_log(LOG_SLOT, 64, 0, mask));
}

static void test_initially_set(void)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
		.args = { KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
			  KVM_DIRTY_LOG_INITIALLY_SET },
	};
	uint64_t bm[2] = { 0, 0 }, mask[2] = { ~0ull, 0x3f };

	if (!CHECK_SUCCESS(ioctl(vm->fd, KVM_ENABLE_CAP, &cap)))
		return;
	big_mem = anon(BIG_PAGES * PAGE);
	if (!CHECK_SUCCESS(vm_set_region(vm, BIG_SLOT, KVM_MEM_LOG_DIRTY_PAGES,
					 BIG_GPA, BIG_PAGES * PAGE, big_mem)))
		return;
	if (CHECK_SUCCESS(get_log(BIG_SLOT, bm))) {
		CHECK_EQ(bm[0], ~0ull);
		CHECK_EQ(bm[1], 0x3f);	/* nothing past the slot end */
	}
	/* The last 6 pages: not a multiple of 64, but up to the end. */
	CHECK_SUCCESS(clear_log(BIG_SLOT, 64, 6, &mask[1]));
	if (CHECK_SUCCESS(get_log(BIG_SLOT, bm))) {
		CHECK_EQ(bm[0], ~0ull);
		CHECK_EQ(bm[1], 0);
	}
	CHECK_SUCCESS(clear_log(BIG_SLOT, 0, BIG_PAGES, mask));
	log_gpa = BIG_GPA;
	if (!RUN_CMDS(W(2), W(65)))
		return;
	if (CHECK_SUCCESS(get_log(BIG_SLOT, bm))) {
		CHECK_EQ(bm[0], BIT(2));
		CHECK_EQ(bm[1], BIT(1));
	}
}

static void test_initially_set_on(void)
{
	uint64_t mask = ~0ull;

	log_gpa = MOVED_GPA;
	if (!CHECK_SUCCESS(set_log_slot(0, MOVED_GPA)))
		return;
	/* Unlogged writes leave pages 5 and 63 writable in the NPT/EPT. */
	if (!RUN_CMDS(W(63), W(5)))
		return;
	/* With INITIALLY_SET, turning logging on need not protect them. */
	if (!CHECK_SUCCESS(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, MOVED_GPA)))
		return;
	expect_log(~0ull);
	CHECK_SUCCESS(clear_log(LOG_SLOT, 0, LOG_PAGES, &mask));
	expect_log(0);
	if (!RUN_CMDS(W(63), W(5)))
		return;
	expect_log(BIT(63) | BIT(5));
	guest_destroy(vcpu);
	munmap(log_mem, LOG_PAGES * PAGE);
	munmap(big_mem, BIG_PAGES * PAGE);
	munmap(ro_mem, LOG_PAGES * PAGE);
}

static const struct tap_case cases[] = {
	{ "new logged slot: empty log", test_empty },
	{ "stores, a string store and INS are logged, loads are not",
	  test_first_writes },
	{ "a second GET without writes is empty", test_second_get_empty },
	{ "after GET only new writes show, pages fault again",
	  test_new_writes_only },
	{ "logging off -> ENOENT; on again write-protects mapped pages",
	  test_off_on },
	{ "a moved slot keeps its log", test_move },
	{ "guest page-table A/D updates are logged", test_page_tables },
	{ "read-only logged slot: writes are MMIO, log stays empty",
	  test_readonly },
	{ "GET_DIRTY_LOG errnos", test_get_errnos },
	{ "MANUAL_DIRTY_LOG_PROTECT2: check and enable", test_manual_cap },
	{ "manual protect: GET keeps bits, CLEAR write-protects",
	  test_manual_flow },
	{ "CLEAR_DIRTY_LOG errnos", test_clear_errnos },
	{ "INITIALLY_SET: a new slot starts dirty, partial last word",
	  test_initially_set },
	{ "INITIALLY_SET: logging turned on starts dirty, CLEAR protects",
	  test_initially_set_on },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
