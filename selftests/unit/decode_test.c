// SPDX-License-Identifier: GPL-2.0
/*
 * User-space unit test of kmod/x86_decode.c: a hand-derived table of
 * encodings (SDM vol. 2, cross-checked with GNU objdump, see
 * crosscheck.sh), every truncation of each entry, and a seeded fuzz run.
 *
 * Inputs are copied to the very end of a mapped page followed by an
 * inaccessible page, so a read past buf[avail - 1] faults even without
 * sanitizers.
 *
 * Usage: decode_test                 run the tests, kselftest TAP on stdout
 *        decode_test --emit N        print "mode len hex" for up to N fuzz
 *                                    inputs that decode, for crosscheck.sh
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "x86_decode.h"
#include "decode_cases.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FUZZ_ITERS	1000000
#define FUZZ_SEED	0x5eed1234abcd9876ULL

static u8 *guard_end;	/* first byte of the PROT_NONE page */

static int guard_init(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	u8 *p;

	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if (mprotect(p + pg, pg, PROT_NONE))
		return -1;
	guard_end = p + pg;
	return 0;
}

/* Decode @n bytes placed right before the guard page. */
static int decode_at_end(const u8 *bytes, unsigned int n, int mode,
			 struct x86_insn *out)
{
	u8 *buf = guard_end - n;

	memcpy(buf, bytes, n);
	return x86_decode(buf, n, mode, out);
}

static bool same_insn(const struct x86_insn *a, const struct x86_insn *b)
{
	return a->op == b->op && a->len == b->len &&
	       a->mem_size == b->mem_size && a->reg_size == b->reg_size &&
	       a->reg == b->reg && a->high8 == b->high8 && a->dr == b->dr &&
	       a->addr_size == b->addr_size && a->imm == b->imm &&
	       a->moffs == b->moffs && a->seg == b->seg &&
	       a->rep == b->rep && a->repne == b->repne &&
	       a->lock == b->lock;
}

static void print_insn(const char *what, const struct x86_insn *i)
{
	printf("# %s: op=%d len=%u mem=%u reg_size=%u reg=%u high8=%d dr=%u",
	       what, i->op, i->len, i->mem_size, i->reg_size, i->reg,
	       i->high8, i->dr);
	printf(" addr=%u imm=%#llx moffs=%#llx seg=%d rep=%d repne=%d lock=%d\n",
	       i->addr_size, (unsigned long long)i->imm,
	       (unsigned long long)i->moffs, i->seg, i->rep, i->repne,
	       i->lock);
}

static struct x86_insn expected_insn(const struct tcase *t)
{
	struct x86_insn e = {
		.op = t->op, .len = t->len, .mem_size = t->mem,
		.reg_size = t->rsz, .reg = t->reg, .high8 = t->high8,
		.dr = t->dr, .imm = t->imm, .moffs = t->moffs,
		.seg = t->seg - 1, .rep = t->rep, .repne = t->repne,
		.lock = t->lock,
	};

	/* Unless the case says otherwise: the mode's default, 67 absent. */
	e.addr_size = t->asz ? t->asz : (t->mode == 64 ? 8 : t->mode / 8);
	return e;
}

/* One table entry: full decode, every truncation, trailing bytes. */
static bool run_case(const struct tcase *t)
{
	struct x86_insn got, exp = expected_insn(t);
	u8 padded[32];
	unsigned int k, stop;
	int ret;

	ret = decode_at_end(t->bytes, t->n, t->mode, &got);
	if (ret != t->ret) {
		printf("# ret %d, expected %d\n", ret, t->ret);
		if (!ret)
			print_insn("got", &got);
		return false;
	}
	if (!ret && !same_insn(&got, &exp)) {
		print_insn("got", &got);
		print_insn("expected", &exp);
		return false;
	}

	/* Shorter buffers: only "need more bytes" or the same error. */
	stop = ret ? t->n : got.len;
	for (k = 0; k < stop; k++) {
		int r = decode_at_end(t->bytes, k, t->mode, &got);

		if (r != X86_DECODE_ETRUNC && (ret == 0 || r != ret)) {
			printf("# truncated to %u bytes: ret %d\n", k, r);
			return false;
		}
	}

	/* Bytes after the instruction must not matter. */
	if (ret == X86_DECODE_ETRUNC)
		return true;
	memset(padded, 0x8b, sizeof(padded));
	memcpy(padded, t->bytes, t->n);
	for (k = t->n; k <= sizeof(padded); k++) {
		int r = decode_at_end(padded, k, t->mode, &got);

		if (r != ret || (!r && !same_insn(&got, &exp))) {
			printf("# with %u trailing bytes: ret %d\n", k - t->n, r);
			return false;
		}
	}
	return true;
}

static u64 rng_state = FUZZ_SEED;

static u64 rng(void)
{
	/* xorshift64*: deterministic across libcs. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Half the bytes from here, so prefixes and opcodes meet often. */
static const u8 interesting[] = {
	0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
	0x40, 0x41, 0x44, 0x48, 0x4c, 0x4f, 0x88, 0x89, 0x8a, 0x8b, 0xc6,
	0xc7, 0xa0, 0xa1, 0xa2, 0xa3, 0x63, 0x0f, 0xb6, 0xb7, 0xbe, 0xbf,
	0x21, 0x23, 0x04, 0x05, 0x06, 0x24, 0x25, 0x44, 0x45, 0x84, 0x85,
	0x86, 0xc0,
};

static const u8 prefixes[] = {
	0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
	0x40, 0x48, 0x4c, 0x41,
};

static void fuzz_input(u8 *b, unsigned int *avail, int *mode)
{
	static const int modes[] = { 16, 32, 64 };
	unsigned int i, npfx;
	u64 r = rng();

	*mode = modes[r % 3];
	*avail = (r >> 8) % 16;
	/* A quarter of the inputs open with a run of prefixes. */
	npfx = (r >> 16) % 4 ? 0 : (unsigned int)(r >> 24) % 16;
	for (i = 0; i < *avail; i++) {
		r = rng();
		if (i < npfx)
			b[i] = prefixes[(r >> 8) % sizeof(prefixes)];
		else if (r & 1)
			b[i] = interesting[(r >> 8) % sizeof(interesting)];
		else
			b[i] = (u8)(r >> 8);
	}
}

static bool sane(const struct x86_insn *i, unsigned int avail)
{
	bool dr = i->op == X86_OP_MOV_FROM_DR || i->op == X86_OP_MOV_TO_DR;
	u8 m = i->mem_size;

	if (i->len < 1 || i->len > avail || i->len > X86_MAX_INSN_LEN)
		return false;
	if (i->op <= X86_OP_NONE || i->op > X86_OP_MOV_TO_DR)
		return false;
	if (dr ? m != 0 : (m != 1 && m != 2 && m != 4 && m != 8))
		return false;
	if (i->reg > 15 || i->dr > 15 || i->seg < -1 || i->seg > 5)
		return false;
	if (i->high8 && (i->reg < 4 || i->reg > 7 || i->reg_size != 1))
		return false;
	return i->addr_size == 2 || i->addr_size == 4 || i->addr_size == 8;
}

static bool fuzz(void)
{
	unsigned long counts[4] = { 0 }, ops[X86_OP_MOV_TO_DR + 1] = { 0 };
	struct x86_insn a, b;
	unsigned int avail, it;
	u8 in[16];
	int mode, ret, r;

	for (it = 0; it < FUZZ_ITERS; it++) {
		fuzz_input(in, &avail, &mode);
		ret = decode_at_end(in, avail, mode, &a);
		if (ret < X86_DECODE_ETOOLONG || ret > 0)
			goto bad;
		counts[-ret]++;
		/* ETRUNC only when short of 15, ETOOLONG only at 15. */
		if ((ret == X86_DECODE_ETRUNC && avail >= X86_MAX_INSN_LEN) ||
		    (ret == X86_DECODE_ETOOLONG && avail < X86_MAX_INSN_LEN))
			goto bad;
		if (ret)
			continue;
		ops[a.op]++;
		if (!sane(&a, avail))
			goto bad;
		r = decode_at_end(in, a.len, mode, &b);
		if (r || !same_insn(&a, &b))
			goto bad;
		if (decode_at_end(in, a.len - 1, mode, &b) != X86_DECODE_ETRUNC)
			goto bad;
	}
	printf("# random inputs: %u, ok %lu, unsupported %lu, truncated %lu, too long %lu\n",
	       FUZZ_ITERS, counts[0], counts[1], counts[2], counts[3]);
	printf("# decoded: store %lu store_imm %lu load %lu zx %lu sx %lu",
	       ops[1], ops[2], ops[3], ops[4], ops[5]);
	printf(" load_moffs %lu store_moffs %lu from_dr %lu to_dr %lu\n",
	       ops[6], ops[7], ops[8], ops[9]);
	return true;
bad:
	printf("# random input %u mode %d avail %u ret %d:", it, mode, avail,
	       ret);
	for (r = 0; r < (int)avail; r++)
		printf(" %02x", in[r]);
	printf("\n");
	if (!ret)
		print_insn("got", &a);
	return false;
}

/* For crosscheck.sh: decodable fuzz inputs, whole buffer and our length. */
static int emit(unsigned long want)
{
	struct x86_insn a;
	unsigned int avail, i;
	unsigned long n = 0, it;
	u8 in[16];
	int mode;

	for (it = 0; n < want && it < 100 * want; it++) {
		fuzz_input(in, &avail, &mode);
		if (decode_at_end(in, avail, mode, &a))
			continue;
		printf("%d %u ", mode, a.len);
		for (i = 0; i < avail; i++)
			printf("%02x", in[i]);
		printf("\n");
		n++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i, n = ARRAY_SIZE(cases);
	unsigned int failed = 0;

	if (guard_init()) {
		perror("mmap");
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "--emit"))
		return emit(strtoul(argv[2], NULL, 0));

	printf("TAP version 13\n1..%u\n", n + 1);
	for (i = 0; i < n; i++) {
		bool ok = run_case(&cases[i]);

		printf("%sok %u mode%u %s\n", ok ? "" : "not ", i + 1,
		       cases[i].mode, cases[i].name);
		failed += !ok;
	}
	if (fuzz()) {
		printf("ok %u fuzz %u random inputs\n", n + 1, FUZZ_ITERS);
	} else {
		printf("not ok %u fuzz %u random inputs\n", n + 1, FUZZ_ITERS);
		failed++;
	}
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:0 error:0\n",
	       n + 1 - failed, failed);
	return failed ? 1 : 0;
}
