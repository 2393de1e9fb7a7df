// SPDX-License-Identifier: GPL-2.0
/*
 * Decoder for the MOV forms the hypervisor emulates; see x86_decode.h.
 * Encodings follow the Intel SDM vol. 2 (sections 2.1-2.2 and the MOV,
 * MOVZX, MOVSX/MOVSXD and MOV DR pages) and the AMD APM vol. 3.
 *
 * The guest controls every byte, so each byte is fetched through one
 * bounds check that knows both the buffer end and the 15-byte limit.
 */
#include "x86_decode.h"

/* REX.X only extends SIB.index, which never changes the length. */
#define REX_B	0x01
#define REX_R	0x04
#define REX_W	0x08

#define MODRM_MOD(m)	((m) >> 6)
#define MODRM_REG(m)	(((m) >> 3) & 7)
#define MODRM_RM(m)	((m) & 7)

/* Bytes consumed so far; the bounds live here and nowhere else. */
struct x86_cursor {
	const u8 *buf;
	unsigned int avail;
	unsigned int pos;
};

static int x86_fetch(struct x86_cursor *c, u8 *byte)
{
	/* Too long is decided first: more bytes would not change it. */
	if (c->pos >= X86_MAX_INSN_LEN)
		return X86_DECODE_ETOOLONG;
	if (c->pos >= c->avail)
		return X86_DECODE_ETRUNC;
	*byte = c->buf[c->pos++];
	return 0;
}

/* Fetch an @n-byte little-endian field (displacement, immediate, moffs). */
static int x86_fetch_le(struct x86_cursor *c, unsigned int n, u64 *val)
{
	unsigned int i;
	u64 v = 0;
	u8 byte;
	int ret;

	for (i = 0; i < n; i++) {
		ret = x86_fetch(c, &byte);
		if (ret)
			return ret;
		v |= (u64)byte << (8 * i);
	}
	*val = v;
	return 0;
}

/* Prefix state gathered before the opcode. */
struct x86_prefixes {
	bool opsize;	/* 66 */
	bool adsize;	/* 67 */
	u8 rex;		/* the REX byte (0x40..0x4f) or 0 when none */
};

/*
 * Consume one legacy prefix into @pfx/@insn; false when @byte is not one.
 * A REX prefix only counts right before the opcode, so a legacy prefix
 * after it cancels it (SDM 2.2.1).
 */
static bool x86_legacy_prefix(u8 byte, struct x86_prefixes *pfx,
			      struct x86_insn *insn)
{
	switch (byte) {
	case 0x66:
		pfx->opsize = true;
		break;
	case 0x67:
		pfx->adsize = true;
		break;
	case 0xf0:
		insn->lock = true;
		break;
	case 0xf2:
		insn->repne = true;
		break;
	case 0xf3:
		insn->rep = true;
		break;
	case 0x26:
		insn->seg = X86_SEG_ES;
		break;
	case 0x2e:
		insn->seg = X86_SEG_CS;
		break;
	case 0x36:
		insn->seg = X86_SEG_SS;
		break;
	case 0x3e:
		insn->seg = X86_SEG_DS;
		break;
	case 0x64:
		insn->seg = X86_SEG_FS;
		break;
	case 0x65:
		insn->seg = X86_SEG_GS;
		break;
	default:
		return false;
	}
	pfx->rex = 0;
	return true;
}

/* Operand size of a non-byte form (SDM 2.2.1.2, table 2-4). */
static u8 x86_op_size(int mode, const struct x86_prefixes *pfx)
{
	if (pfx->rex & REX_W)
		return 8;
	if (mode == 16)
		return pfx->opsize ? 4 : 2;
	return pfx->opsize ? 2 : 4;
}

static u8 x86_addr_size(int mode, const struct x86_prefixes *pfx)
{
	switch (mode) {
	case 16:
		return pfx->adsize ? 4 : 2;
	case 32:
		return pfx->adsize ? 2 : 4;
	default:
		return pfx->adsize ? 4 : 8;
	}
}

/*
 * Consume ModRM and whatever addressing bytes it implies (SIB, disp).
 * Only memory forms reach the caller: mod=11 is EUNSUPPORTED.
 */
static int x86_modrm_mem(struct x86_cursor *c, u8 addr_size, u8 *modrm)
{
	unsigned int disp = 0;
	u64 unused;
	u8 mod, rm, sib;
	int ret;

	ret = x86_fetch(c, modrm);
	if (ret)
		return ret;
	mod = MODRM_MOD(*modrm);
	rm = MODRM_RM(*modrm);
	if (mod == 3)
		return X86_DECODE_EUNSUPPORTED;

	if (addr_size == 2) {
		/* 16-bit forms (table 2-1): no SIB; rm=110 mod=00 is disp16. */
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || rm == 6)
			disp = 2;
		return x86_fetch_le(c, disp, &unused);
	}

	/*
	 * 32/64-bit forms (tables 2-2, 2-3).  REX.B plays no part in the
	 * special cases: r12 still needs a SIB and r13 a displacement.
	 */
	if (rm == 4) {
		ret = x86_fetch(c, &sib);
		if (ret)
			return ret;
		if (mod == 0 && MODRM_RM(sib) == 5)
			disp = 4;	/* no base, disp32 */
	}
	if (mod == 1)
		disp = 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		disp = 4;		/* mod=00 rm=101: [disp32] / [rip+disp32] */
	return x86_fetch_le(c, disp, &unused);
}

/* Register operand in ModRM.reg: REX.R, and AH..BH without any REX. */
static void x86_set_reg(struct x86_insn *insn, u8 modrm,
			const struct x86_prefixes *pfx, u8 size)
{
	insn->reg_size = size;
	insn->reg = MODRM_REG(modrm) | (pfx->rex & REX_R ? 8 : 0);
	insn->high8 = size == 1 && !pfx->rex && insn->reg >= 4;
}

/* 88/89/8A/8B and movzx/movsx/movsxd: a register and a memory operand. */
static int x86_decode_mov_rm(struct x86_cursor *c, struct x86_insn *insn,
			     const struct x86_prefixes *pfx, enum x86_op op,
			     u8 mem_size, u8 reg_size)
{
	u8 modrm;
	int ret;

	ret = x86_modrm_mem(c, insn->addr_size, &modrm);
	if (ret)
		return ret;
	insn->op = op;
	insn->mem_size = mem_size;
	x86_set_reg(insn, modrm, pfx, reg_size);
	return 0;
}

/* C6 /0 ib, C7 /0 iw/id: the immediate follows the addressing bytes. */
static int x86_decode_store_imm(struct x86_cursor *c, struct x86_insn *insn,
				u8 size)
{
	u64 imm;
	u8 modrm;
	int ret;

	ret = x86_modrm_mem(c, insn->addr_size, &modrm);
	if (ret)
		return ret;
	/* The other /reg values are #UD (C6/C7 F8 XABORT/XBEGIN are mod=11). */
	if (MODRM_REG(modrm) != 0)
		return X86_DECODE_EUNSUPPORTED;
	ret = x86_fetch_le(c, size == 8 ? 4 : size, &imm);
	if (ret)
		return ret;
	if (size == 8 && (imm & 0x80000000))
		imm |= 0xffffffff00000000ULL;	/* imm32 sign-extended */
	insn->op = X86_OP_STORE_IMM;
	insn->mem_size = size;
	insn->imm = imm;
	return 0;
}

/* A0-A3: the address is an immediate as wide as the address size. */
static int x86_decode_moffs(struct x86_cursor *c, struct x86_insn *insn,
			    enum x86_op op, u8 size)
{
	int ret;

	ret = x86_fetch_le(c, insn->addr_size, &insn->moffs);
	if (ret)
		return ret;
	insn->op = op;
	insn->mem_size = size;
	insn->reg_size = size;
	insn->reg = 0;
	return 0;
}

/*
 * 0F 21 / 0F 23: always a register form, mod is ignored (SDM "MOV--Move
 * to/from Debug Registers"), and the size is fixed by the mode: 66 and
 * REX.W change nothing.
 */
static int x86_decode_mov_dr(struct x86_cursor *c, struct x86_insn *insn,
			     const struct x86_prefixes *pfx, int mode,
			     enum x86_op op)
{
	u8 modrm;
	int ret;

	ret = x86_fetch(c, &modrm);
	if (ret)
		return ret;
	insn->op = op;
	insn->reg_size = mode == 64 ? 8 : 4;
	insn->reg = MODRM_RM(modrm) | (pfx->rex & REX_B ? 8 : 0);
	insn->dr = MODRM_REG(modrm) | (pfx->rex & REX_R ? 8 : 0);
	return 0;
}

static int x86_decode_0f(struct x86_cursor *c, struct x86_insn *insn,
			 const struct x86_prefixes *pfx, int mode)
{
	u8 osz = x86_op_size(mode, pfx);
	u8 opc;
	int ret;

	ret = x86_fetch(c, &opc);
	if (ret)
		return ret;
	switch (opc) {
	case 0x21:
		return x86_decode_mov_dr(c, insn, pfx, mode, X86_OP_MOV_FROM_DR);
	case 0x23:
		return x86_decode_mov_dr(c, insn, pfx, mode, X86_OP_MOV_TO_DR);
	case 0xb6:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_LOAD_ZX, 1, osz);
	case 0xb7:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_LOAD_ZX, 2, osz);
	case 0xbe:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_LOAD_SX, 1, osz);
	case 0xbf:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_LOAD_SX, 2, osz);
	default:
		return X86_DECODE_EUNSUPPORTED;
	}
}

static int x86_decode_opcode(struct x86_cursor *c, struct x86_insn *insn,
			     const struct x86_prefixes *pfx, int mode, u8 opc)
{
	u8 osz = x86_op_size(mode, pfx);

	switch (opc) {
	case 0x88:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_STORE, 1, 1);
	case 0x89:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_STORE, osz, osz);
	case 0x8a:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_LOAD, 1, 1);
	case 0x8b:
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_LOAD, osz, osz);
	case 0xc6:
		return x86_decode_store_imm(c, insn, 1);
	case 0xc7:
		return x86_decode_store_imm(c, insn, osz);
	case 0xa0:
		return x86_decode_moffs(c, insn, X86_OP_LOAD_MOFFS, 1);
	case 0xa1:
		return x86_decode_moffs(c, insn, X86_OP_LOAD_MOFFS, osz);
	case 0xa2:
		return x86_decode_moffs(c, insn, X86_OP_STORE_MOFFS, 1);
	case 0xa3:
		return x86_decode_moffs(c, insn, X86_OP_STORE_MOFFS, osz);
	case 0x63:
		/*
		 * MOVSXD exists only in 64-bit mode (elsewhere 63 is ARPL).
		 * With REX.W it sign-extends r/m32 to 64 bits; without, the
		 * SDM's r16/r32 forms read as much as they write.
		 */
		if (mode != 64)
			return X86_DECODE_EUNSUPPORTED;
		return x86_decode_mov_rm(c, insn, pfx, X86_OP_LOAD_SX,
					 osz == 8 ? 4 : osz, osz);
	case 0x0f:
		return x86_decode_0f(c, insn, pfx, mode);
	default:
		return X86_DECODE_EUNSUPPORTED;
	}
}

int x86_decode(const u8 *buf, unsigned int avail, int mode,
	       struct x86_insn *out)
{
	struct x86_cursor c = { .buf = buf, .avail = avail };
	struct x86_insn insn = { .op = X86_OP_NONE, .seg = X86_SEG_NONE };
	struct x86_prefixes pfx = { .rex = 0 };
	u8 byte;
	int ret;

	if (mode != 16 && mode != 32 && mode != 64)
		return X86_DECODE_EUNSUPPORTED;

	/* Prefixes repeat and mix freely; only the 15-byte limit ends them. */
	for (;;) {
		ret = x86_fetch(&c, &byte);
		if (ret)
			return ret;
		if (x86_legacy_prefix(byte, &pfx, &insn))
			continue;
		/* 40-4F are REX only in 64-bit mode (INC/DEC elsewhere). */
		if (mode == 64 && (byte & 0xf0) == 0x40) {
			pfx.rex = byte;
			continue;
		}
		break;
	}
	insn.addr_size = x86_addr_size(mode, &pfx);

	ret = x86_decode_opcode(&c, &insn, &pfx, mode, byte);
	if (ret)
		return ret;
	insn.len = (u8)c.pos;	/* <= X86_MAX_INSN_LEN */
	*out = insn;
	return 0;
}
