// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty logging while the guest writes: two vCPUs store ever-new values
 * to random pages of a 512-page logged slot while the host collects the
 * log over and over (KVM_GET_DIRTY_LOG, then with manual protection GET +
 * KVM_CLEAR_DIRTY_LOG).  A page whose contents changed although its bit
 * was clear must have been written after that collection, so its bit
 * must be set in the next one: no write may go unlogged.
 */
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(dl_racer);

#define PAGE		0x1000ull
#define RACE_SLOT	1
#define RACE_GPA	0x4000000ull	/* as in dirty_log_race_guest.S */
#define RACE_PAGES	512
#define RACE_WORDS	(RACE_PAGES / 64)
#define NR_VCPUS	2
#define ROUNDS		150
#define RFLAGS_IF	(1ull << 9)

static struct vcpu *vcpus[NR_VCPUS];
static pthread_t threads[NR_VCPUS];
static int run_result[NR_VCPUS];
static struct vm *vm;
static volatile uint64_t *race_mem, *ctl;
static uint64_t stable[RACE_PAGES];
static bool must[RACE_PAGES];
static unsigned long dirty_seen, late_writes;

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;

	run_result[vcpu->id] = vcpu_run(vcpu) ? -1 :
			       (int)vcpu->run->exit_reason;
	return NULL;
}

static uint64_t page_value(unsigned int p)
{
	return race_mem[p * PAGE / 8];
}

/*
 * One collected bitmap: a page flagged last time must be dirty now; a
 * clean page whose value moved was written after the collection.
 */
static bool check_round(const uint64_t *bm)
{
	unsigned int p;
	bool ok = true;

	for (p = 0; p < RACE_PAGES; p++) {
		bool dirty = bm[p / 64] >> (p % 64) & 1;
		uint64_t v = page_value(p);

		if (must[p] && !dirty) {
			if (ok)
				tap_diag("page %u: write seen, never logged", p);
			ok = false;
		}
		if (dirty) {
			dirty_seen++;
			stable[p] = v;
			must[p] = false;
		} else if (v != stable[p]) {
			late_writes++;
			must[p] = true;
		}
	}
	return ok;
}

static bool collect(bool manual)
{
	uint64_t bm[RACE_WORDS];
	struct kvm_dirty_log log = { .slot = RACE_SLOT, .dirty_bitmap = bm };
	struct kvm_clear_dirty_log clear = {
		.slot = RACE_SLOT, .num_pages = RACE_PAGES, .dirty_bitmap = bm,
	};

	if (!CHECK_SUCCESS(ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log)))
		return false;
	if (manual &&
	    !CHECK_SUCCESS(ioctl(vm->fd, KVM_CLEAR_DIRTY_LOG, &clear)))
		return false;
	return CHECK(check_round(bm));
}

static void test_start(void)
{
	struct kvm_regs regs;
	unsigned int i;
	uint64_t bm[RACE_WORDS];
	struct kvm_dirty_log log = { .slot = RACE_SLOT, .dirty_bitmap = bm };

	vcpus[0] = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(dl_racer));
	vm = vcpus[0]->vm;
	ctl = guest_mem(vcpus[0], GUEST_DATA_GPA);
	race_mem = mmap(NULL, RACE_PAGES * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (race_mem == MAP_FAILED)
		tap_bail("mmap failed");
	/*
	 * 4 KiB host pages: on KVM under QEMU TCG, splitting a huge NPT
	 * mapping for dirty logging sometimes ends the guest in a triple
	 * fault (seen in 2 runs of 10, then none in 6 with this): not our subject.
	 */
	madvise((void *)race_mem, RACE_PAGES * PAGE, MADV_NOHUGEPAGE);
	if (!CHECK_SUCCESS(vm_set_region(vm, RACE_SLOT,
					 KVM_MEM_LOG_DIRTY_PAGES, RACE_GPA,
					 RACE_PAGES * PAGE,
					 (void *)race_mem)))
		tap_bail("cannot add a logged slot");
	CHECK_SUCCESS(ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log));
	for (i = 1; i < NR_VCPUS; i++) {
		vcpus[i] = vcpu_create(vm, i);
		guest_setup_long_mode(vcpus[i]);
	}
	for (i = 0; i < NR_VCPUS; i++) {
		vcpu_get_regs(vcpus[i], &regs);
		regs.rsi = i;
		/* No interrupts come (no irqchip), but Bochs 2.7 never
		 * interrupts an L2 that spins with IF=0 and L1 hangs.
		 */
		regs.rflags |= RFLAGS_IF;
		vcpu_set_regs(vcpus[i], &regs);
		if (pthread_create(&threads[i], NULL, vcpu_thread, vcpus[i]))
			tap_bail("pthread_create failed");
	}
}

static void rounds(bool manual)
{
	struct timespec pause = { 0, 2000000 };
	unsigned int i;

	for (i = 0; i < ROUNDS; i++) {
		nanosleep(&pause, NULL);
		if (!collect(manual))
			return;
	}
	tap_diag("%lu dirty pages collected, %lu written after collection",
		 dirty_seen, late_writes);
}

static void test_get_rounds(void)
{
	rounds(false);
}

static void test_manual_rounds(void)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
		.args = { KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE },
	};

	if (!CHECK_SUCCESS(ioctl(vm->fd, KVM_ENABLE_CAP, &cap)))
		return;
	rounds(true);
}

static void test_stop(void)
{
	unsigned int i;

	ctl[0] = 1;
	for (i = 0; i < NR_VCPUS; i++) {
		pthread_join(threads[i], NULL);
		if (!CHECK_EQ(run_result[i], KVM_EXIT_HLT))
			describe_exit(vcpus[i]);
		/* Each vCPU made progress: the test raced for real. */
		tap_diag("vCPU %u: %llu writes", i,
			 (unsigned long long)(ctl[1 + i] & 0xffffffffffff));
		CHECK(ctl[1 + i] & 0xffffffffffff);
	}
	/* The last writes show in a final collection. */
	collect(true);
	CHECK(dirty_seen > 0);
	for (i = 0; i < NR_VCPUS; i++)
		vcpu_free(vcpus[i]);
	vm_free(vm);
	munmap((void *)race_mem, RACE_PAGES * PAGE);
}

static const struct tap_case cases[] = {
	{ "two vCPUs write a logged slot", test_start },
	{ "GET_DIRTY_LOG rounds: no write unlogged", test_get_rounds },
	{ "GET + CLEAR_DIRTY_LOG rounds: no write unlogged",
	  test_manual_rounds },
	{ "guest stops; the last writes are logged", test_stop },
};

int main(void)
{
	kvm_fd();
	tap_run(cases, ARRAY_SIZE(cases));
}
