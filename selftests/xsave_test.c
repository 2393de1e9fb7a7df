// SPDX-License-Identifier: GPL-2.0
/*
 * Guest vector state: what the guest loads shows in KVM_GET_XSAVE and
 * KVM_GET_FPU, what the host sets with KVM_SET_XSAVE / KVM_SET_FPU is
 * what the guest reads next, two VMs keep their own registers, the test
 * process keeps its own across KVM_RUN, and KVM_GET/SET_XCRS follow the
 * XSETBV rules.  YMM only where the CPU offers AVX.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "check.h"
#include "guest.h"
#include "snippet.h"
#include "tap.h"
#include "xsave.h"

SNIPPET(xs_main);
SNIPPET(xs_spin);
SNIPPET(xs_xsetbv);

#define CR4_OSFXSR		(1ull << 9)
#define CR4_OSXMMEXCPT		(1ull << 10)
#define CR4_OSXSAVE		(1ull << 18)
#define XFEATURE_FP		(1ull << 0)
#define XFEATURE_SSE		(1ull << 1)
#define XFEATURE_YMM		(1ull << 2)
#define CPUID1_ECX_XSAVE	(1u << 26)
#define CPUID1_ECX_AVX		(1u << 28)

/* Standard (non-compacted) XSAVE layout, Intel SDM Vol. 1 13.4. */
#define XS_OFF_FCW		0
#define XS_OFF_MXCSR		24
#define XS_OFF_XMM		160
#define XS_OFF_XSTATE_BV	512
#define XS_OFF_XCOMP_BV		520
#define XS_OFF_YMM_HI		576	/* CPUID.0xd.2 EBX on every AVX CPU */
#define FCW_INIT		0x37f
#define MXCSR_INIT		0x1f80
#define SPIN_MS			300

struct xs_guest {
	struct vcpu *v;
	uint8_t regs[XS_NREGS][XS_REG_BYTES];	/* what the guest holds */
};

static struct kvm_cpuid2 *supported;
static bool has_xsave, has_avx;
static uint64_t xcr0;
static struct xs_guest a, b;

static const struct kvm_cpuid_entry2 *supported_leaf(uint32_t fn,
						     uint32_t idx)
{
	for (uint32_t i = 0; i < supported->nent; i++)
		if (supported->entries[i].function == fn &&
		    supported->entries[i].index == idx)
			return &supported->entries[i];
	return NULL;
}

static void get_supported(void)
{
	const struct kvm_cpuid_entry2 *e;
	int n = 256;

	supported = calloc(1, sizeof(*supported) +
			   n * sizeof(struct kvm_cpuid_entry2));
	supported->nent = n;
	if (ioctl(kvm_fd(), KVM_GET_SUPPORTED_CPUID, supported))
		tap_bail("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	e = supported_leaf(1, 0);
	has_xsave = e && (e->ecx & CPUID1_ECX_XSAVE);
	e = supported_leaf(0xd, 0);
	has_avx = has_xsave && e && (e->eax & XFEATURE_YMM) &&
		  (supported_leaf(1, 0)->ecx & CPUID1_ECX_AVX);
	xcr0 = XFEATURE_FP | XFEATURE_SSE | (has_avx ? XFEATURE_YMM : 0);
	tap_diag("guest XSAVE %s, AVX %s", has_xsave ? "yes" : "no",
		 has_avx ? "yes" : "no");
}

static void fill(struct xs_guest *g, uint8_t seed)
{
	for (int r = 0; r < XS_NREGS; r++)
		for (int i = 0; i < XS_REG_BYTES; i++)
			g->regs[r][i] = seed + r * 37 + i * 3;
}

/* Guest with SSE (and AVX) enabled, its load area holding g->regs. */
static void xs_create_code(struct xs_guest *g, uint8_t seed,
			   const void *code, size_t len)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	g->v = guest_create(GUEST_LONG_MODE, code, len);
	if (ioctl(g->v->fd, KVM_SET_CPUID2, supported))
		tap_bail("KVM_SET_CPUID2: %s", strerror(errno));
	vcpu_get_sregs(g->v, &sregs);
	sregs.cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT |
		     (has_xsave ? CR4_OSXSAVE : 0);
	vcpu_set_sregs(g->v, &sregs);
	if (has_xsave) {
		struct kvm_xcrs x = { .nr_xcrs = 1 };

		x.xcrs[0].value = xcr0;
		if (ioctl(g->v->fd, KVM_SET_XCRS, &x))
			tap_bail("KVM_SET_XCRS: %s", strerror(errno));
	}
	vcpu_get_regs(g->v, &regs);
	regs.rbx = (has_avx ? XS_FLAG_AVX : 0) |
		   (has_xsave ? XS_FLAG_XGETBV : 0);
	vcpu_set_regs(g->v, &regs);
	fill(g, seed);
	memcpy(guest_mem(g->v, XS_LOAD_GPA), g->regs, sizeof(g->regs));
}

static void xs_create(struct xs_guest *g, uint8_t seed)
{
	xs_create_code(g, seed, SNIPPET_CODE(xs_main));
}

static int reg_bytes(void)
{
	return has_avx ? XS_REG_BYTES : 16;
}

/* The guest's store area holds exactly g->regs. */
static bool stored_match(struct xs_guest *g)
{
	const uint8_t *st = guest_mem(g->v, XS_STORE_GPA);
	bool ok = true;

	for (int r = 0; r < XS_NREGS; r++)
		if (memcmp(st + r * XS_REG_BYTES, g->regs[r], reg_bytes())) {
			tap_diag("register %d differs", r);
			ok = false;
		}
	return CHECK(ok);
}

static bool run_store(struct xs_guest *g)
{
	memset(guest_mem(g->v, XS_STORE_GPA), 0xcc,
	       XS_NREGS * XS_REG_BYTES);
	return RUN_EXPECT_IO(g->v, KVM_EXIT_IO_OUT, 1, PORT_XS_STORED, 1) &&
	       stored_match(g);
}

/* KVM_RUN by hand with XMM8-15 of this process loaded; they must stay. */
static bool run_check_host_xmm(struct vcpu *v)
{
	uint8_t in[8][16], out[8][16];
	long ret;

	for (int r = 0; r < 8; r++)
		for (int i = 0; i < 16; i++)
			in[r][i] = 0xa5 ^ (r * 16 + i);
	memset(out, 0, sizeof(out));
	asm volatile("movdqu 0(%[in]), %%xmm8\n\t"
		     "movdqu 16(%[in]), %%xmm9\n\t"
		     "movdqu 32(%[in]), %%xmm10\n\t"
		     "movdqu 48(%[in]), %%xmm11\n\t"
		     "movdqu 64(%[in]), %%xmm12\n\t"
		     "movdqu 80(%[in]), %%xmm13\n\t"
		     "movdqu 96(%[in]), %%xmm14\n\t"
		     "movdqu 112(%[in]), %%xmm15\n\t"
		     "syscall\n\t"
		     "movdqu %%xmm8, 0(%[out])\n\t"
		     "movdqu %%xmm9, 16(%[out])\n\t"
		     "movdqu %%xmm10, 32(%[out])\n\t"
		     "movdqu %%xmm11, 48(%[out])\n\t"
		     "movdqu %%xmm12, 64(%[out])\n\t"
		     "movdqu %%xmm13, 80(%[out])\n\t"
		     "movdqu %%xmm14, 96(%[out])\n\t"
		     "movdqu %%xmm15, 112(%[out])"
		     : "=a"(ret)
		     : "a"((long)SYS_ioctl), "D"((long)v->fd),
		       "S"((long)KVM_RUN), "d"(0L), [in] "r"(in),
		       [out] "r"(out)
		     : "rcx", "r11", "memory", "xmm8", "xmm9", "xmm10",
		       "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	return CHECK_EQ(ret, 0) && CHECK(!memcmp(in, out, sizeof(in)));
}

static void get_xsave(struct vcpu *v, struct kvm_xsave *xs)
{
	if (ioctl(v->fd, KVM_GET_XSAVE, xs))
		tap_bail("KVM_GET_XSAVE: %s", strerror(errno));
}

static void test_caps(void)
{
	CHECK_EQ(kvm_check_cap(KVM_CAP_XSAVE), 1);
	CHECK_EQ(kvm_check_cap(KVM_CAP_XCRS), has_xsave);
	CHECK(kvm_check_cap(KVM_CAP_XSAVE2) >= (int)sizeof(struct kvm_xsave));
}

static void test_initial(void)
{
	struct vcpu *v = guest_create(GUEST_LONG_MODE, SNIPPET_CODE(xs_main));
	struct kvm_xsave xs;
	struct kvm_xcrs x;
	struct kvm_fpu f;

	CHECK_SUCCESS(ioctl(v->fd, KVM_GET_FPU, &f));
	CHECK_EQ(f.fcw, FCW_INIT);
	get_xsave(v, &xs);
	CHECK_EQ(xs.region[XS_OFF_FCW / 4] & 0xffff, FCW_INIT);
	CHECK_EQ(xs.region[XS_OFF_MXCSR / 4], MXCSR_INIT);
	if (has_xsave) {
		CHECK_SUCCESS(ioctl(v->fd, KVM_GET_XCRS, &x));
		CHECK_EQ(x.nr_xcrs, 1);
		CHECK_EQ(x.flags, 0);
		CHECK_EQ(x.xcrs[0].xcr, 0);
		CHECK_EQ(x.xcrs[0].value, XFEATURE_FP);
	}
	guest_destroy(v);
}

static void test_guest_load(void)
{
	struct kvm_xsave xs;
	struct kvm_regs regs;
	struct kvm_fpu f;
	const uint8_t *p = (const uint8_t *)xs.region;

	xs_create(&a, 0x10);
	if (!run_check_host_xmm(a.v) ||
	    !CHECK_EXIT(a.v, KVM_EXIT_IO) ||
	    !CHECK_EQ(a.v->run->io.port, PORT_XS_LOADED))
		return;
	if (has_xsave) {
		vcpu_get_regs(a.v, &regs);
		CHECK_EQ(regs.r12, xcr0);
	}
	get_xsave(a.v, &xs);
	CHECK_SUCCESS(ioctl(a.v->fd, KVM_GET_FPU, &f));
	for (int r = 0; r < XS_NREGS; r++) {
		CHECK(!memcmp(p + XS_OFF_XMM + r * 16, a.regs[r], 16));
		CHECK(!memcmp(f.xmm[r], a.regs[r], 16));
		if (has_avx)
			CHECK(!memcmp(p + XS_OFF_YMM_HI + r * 16,
				      a.regs[r] + 16, 16));
	}
	if (has_avx)
		CHECK(*(uint64_t *)(p + XS_OFF_XSTATE_BV) & XFEATURE_YMM);
}

static void test_set_xsave(void)
{
	struct kvm_xsave xs;
	uint8_t *p = (uint8_t *)xs.region;

	get_xsave(a.v, &xs);
	fill(&a, 0x60);
	for (int r = 0; r < XS_NREGS; r++) {
		memcpy(p + XS_OFF_XMM + r * 16, a.regs[r], 16);
		if (has_avx)
			memcpy(p + XS_OFF_YMM_HI + r * 16, a.regs[r] + 16, 16);
	}
	if (has_xsave)
		*(uint64_t *)(p + XS_OFF_XSTATE_BV) |= xcr0;
	if (CHECK_SUCCESS(ioctl(a.v->fd, KVM_SET_XSAVE, &xs)))
		run_store(&a);
}

static void test_set_fpu(void)
{
	struct kvm_fpu f, g;

	CHECK_SUCCESS(ioctl(a.v->fd, KVM_GET_FPU, &f));
	for (int r = 0; r < XS_NREGS; r++) {
		for (int i = 0; i < 16; i++)
			a.regs[r][i] = 0xf0 - r * 5 - i;
		memcpy(f.xmm[r], a.regs[r], 16);
	}
	/* x87 fields only round-trip: the guest leaves x87 alone. */
	f.fcw = 0x27f;
	memset(f.fpr[0], 0x42, 10);
	if (!CHECK_SUCCESS(ioctl(a.v->fd, KVM_SET_FPU, &f)))
		return;
	CHECK_SUCCESS(ioctl(a.v->fd, KVM_GET_FPU, &g));
	CHECK_EQ(g.fcw, 0x27f);
	CHECK(!memcmp(g.fpr, f.fpr, sizeof(f.fpr)));
	CHECK(!memcmp(g.xmm, f.xmm, sizeof(f.xmm)));
	/* The upper YMM halves stay as KVM_SET_XSAVE left them. */
	run_store(&a);
}

static void test_two_vms(void)
{
	xs_create(&b, 0x90);
	if (!run_check_host_xmm(b.v) ||
	    !CHECK_EQ(b.v->run->io.port, PORT_XS_LOADED))
		return;
	for (int round = 0; round < 2; round++) {
		if (!run_store(&a) || !run_store(&b))
			return;
	}
	CHECK(run_check_host_xmm(a.v) && stored_match(&a));
}

static void test_xsave2(void)
{
	int size = kvm_check_cap(KVM_CAP_XSAVE2);
	struct kvm_xsave xs;
	uint8_t *buf;

	if (size < (int)sizeof(xs)) {
		tap_case_skip("no KVM_CAP_XSAVE2");
		return;
	}
	buf = calloc(1, size);
	get_xsave(a.v, &xs);
	if (CHECK_SUCCESS(ioctl(a.v->fd, KVM_GET_XSAVE2, buf)))
		CHECK(!memcmp(buf, xs.region, sizeof(xs)));
	free(buf);
}

static void test_set_xsave_errors(void)
{
	struct kvm_xsave xs, bad;
	uint8_t *p = (uint8_t *)bad.region;

	get_xsave(a.v, &xs);
	bad = xs;
	*(uint64_t *)(p + XS_OFF_XSTATE_BV) |= 1ull << 62;
	CHECK_ERRNO(ioctl(a.v->fd, KVM_SET_XSAVE, &bad), EINVAL);
	bad = xs;
	*(uint64_t *)(p + XS_OFF_XSTATE_BV) |= XFEATURE_SSE;
	bad.region[XS_OFF_MXCSR / 4] = 0xffffffff;
	CHECK_ERRNO(ioctl(a.v->fd, KVM_SET_XSAVE, &bad), EINVAL);
	if (has_xsave) {
		bad = xs;
		*(uint64_t *)(p + XS_OFF_XCOMP_BV) = 1ull << 63 | xcr0;
		CHECK_ERRNO(ioctl(a.v->fd, KVM_SET_XSAVE, &bad), EINVAL);
	}
	/* Nothing changed: the guest still has its registers. */
	run_store(&a);
}

static int set_xcr0(struct vcpu *v, uint32_t nr, uint32_t flags,
		    uint64_t value)
{
	struct kvm_xcrs x = { .nr_xcrs = nr, .flags = flags };

	x.xcrs[0].value = value;
	return ioctl(v->fd, KVM_SET_XCRS, &x);
}

static void test_xcrs(void)
{
	struct kvm_xcrs x;

	if (!has_xsave) {
		tap_case_skip("no XSAVE");
		return;
	}
	CHECK_ERRNO(set_xcr0(a.v, 1, 1, xcr0), EINVAL);
	CHECK_ERRNO(set_xcr0(a.v, KVM_MAX_XCRS + 1, 0, xcr0), EINVAL);
	CHECK_ERRNO(set_xcr0(a.v, 1, 0, 0), EINVAL);
	CHECK_ERRNO(set_xcr0(a.v, 1, 0, XFEATURE_SSE), EINVAL);
	CHECK_ERRNO(set_xcr0(a.v, 1, 0, XFEATURE_FP | XFEATURE_YMM), EINVAL);
	CHECK_ERRNO(set_xcr0(a.v, 1, 0, XFEATURE_FP | 1ull << 62), EINVAL);
	CHECK_SUCCESS(ioctl(a.v->fd, KVM_GET_XCRS, &x));
	CHECK_EQ(x.xcrs[0].value, xcr0);
	CHECK_SUCCESS(set_xcr0(a.v, 1, 0, XFEATURE_FP | XFEATURE_SSE));
	CHECK_SUCCESS(ioctl(a.v->fd, KVM_GET_XCRS, &x));
	CHECK_EQ(x.nr_xcrs, 1);
	CHECK_EQ(x.xcrs[0].value, XFEATURE_FP | XFEATURE_SSE);
	CHECK_SUCCESS(set_xcr0(a.v, 1, 0, xcr0));
	/* No entries: nothing to do. */
	CHECK_SUCCESS(set_xcr0(a.v, 0, 0, 0));
	run_store(&a);
	guest_destroy(a.v);
	guest_destroy(b.v);
}

/*
 * What the guest loads with its own XSETBV is what it reads back after an
 * exit, whatever XCR0 the host last set (nested QEMU TCG runs XSETBV
 * without the intercept).  KVM_GET_XCRS is not checked: kvm-amd under
 * TCG reports its stale value.
 */
static void test_guest_xsetbv(void)
{
	struct xs_guest g;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (!has_xsave) {
		tap_case_skip("no XSAVE");
		return;
	}
	xs_create_code(&g, 0x40, SNIPPET_CODE(xs_xsetbv));
	CHECK_SUCCESS(set_xcr0(g.v, 1, 0, XFEATURE_FP));
	vcpu_get_sregs(g.v, &sregs);
	sregs.cr4 &= ~CR4_OSXSAVE;
	vcpu_set_sregs(g.v, &sregs);
	vcpu_get_regs(g.v, &regs);
	regs.rsi = xcr0;
	vcpu_set_regs(g.v, &regs);
	RUN_EXPECT_IO(g.v, KVM_EXIT_IO_OUT, 1, PORT_XS_LOADED, 1);
	if (RUN_EXPECT_IO(g.v, KVM_EXIT_IO_OUT, 1, PORT_XS_STORED, 1)) {
		vcpu_get_regs(g.v, &regs);
		CHECK_EQ(regs.rax & 0xffffffff, xcr0 & 0xffffffff);
	}
	guest_destroy(g.v);
}

static volatile int scribble_stop, scribble_leak;

/* Keep the CPU busy with other vector values; they must stay ours. */
static void *scribbler(void *arg)
{
	uint8_t mine[16], seen[16];

	(void)arg;
	memset(mine, 0x5a, sizeof(mine));
	while (!scribble_stop) {
		asm volatile("movdqu %0, %%xmm0\n\t"
			     "movdqu %0, %%xmm7\n\t"
			     "movdqu %0, %%xmm15"
			     : : "m"(mine) : "xmm0", "xmm7", "xmm15");
		for (int i = 0; i < 10000; i++)
			asm volatile("pause");
		asm volatile("por %%xmm15, %%xmm7\n\t"
			     "por %%xmm7, %%xmm0\n\t"
			     "movdqu %%xmm0, %0"
			     : "=m"(seen) : : "xmm0", "xmm7");
		if (memcmp(seen, mine, sizeof(seen)))
			scribble_leak = 1;
	}
	return NULL;
}

static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The guest spins while another thread of ours wants the same CPU: the
 * run loop gets preempted, and the guest must come back to its own
 * registers, never the other thread's (nor leave it the guest's).
 */
static void test_context_switch(void)
{
	struct xs_guest g;
	struct kvm_regs regs;
	pthread_t t;
	int khz;

	xs_create_code(&g, 0x30, SNIPPET_CODE(xs_spin));
	khz = ioctl(g.v->fd, KVM_GET_TSC_KHZ, 0);
	if (!CHECK(khz > 0))
		goto out;
	vcpu_get_regs(g.v, &regs);
	regs.rsi = (uint64_t)khz * SPIN_MS;
	vcpu_set_regs(g.v, &regs);
	pin_to_cpu0();
	scribble_stop = 0;
	if (pthread_create(&t, NULL, scribbler, NULL))
		tap_bail("pthread_create");
	run_store(&g);
	scribble_stop = 1;
	pthread_join(t, NULL);
	CHECK_EQ(scribble_leak, 0);
out:
	guest_destroy(g.v);
}

static const struct tap_case cases[] = {
	{ "KVM_CAP_XSAVE, XCRS, XSAVE2", test_caps },
	{ "a new vCPU: FCW, MXCSR, XCR0 at their reset values",
	  test_initial },
	{ "registers the guest loaded show in KVM_GET_XSAVE/GET_FPU",
	  test_guest_load },
	{ "KVM_SET_XSAVE values are what the guest reads", test_set_xsave },
	{ "KVM_SET_FPU values are what the guest reads", test_set_fpu },
	{ "two VMs run alternately and keep their own registers",
	  test_two_vms },
	{ "KVM_GET_XSAVE2 agrees with KVM_GET_XSAVE", test_xsave2 },
	{ "KVM_SET_XSAVE: bad XSTATE_BV, MXCSR, XCOMP_BV -> EINVAL",
	  test_set_xsave_errors },
	{ "the XCR0 the guest loads survives its exits",
	  test_guest_xsetbv },
	{ "KVM_SET_XCRS: XSETBV rules, flags, count -> EINVAL",
	  test_xcrs },
	{ "a guest preempted by another thread keeps its registers",
	  test_context_switch },
};

int main(void)
{
	kvm_fd();
	get_supported();
	tap_run(cases, ARRAY_SIZE(cases));
}
