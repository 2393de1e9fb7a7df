/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small x86 instruction decoder for the few instructions the hypervisor
 * emulates after a nested-page fault on MMIO or a debug-register intercept:
 * the MOV family that touches memory and MOV to/from DRn.
 *
 * It is pure: no allocation, no state, no dependency beyond fixed-width
 * types, so the same file builds in vmx.ko and in a user-space unit test
 * (selftests/unit/).  It decodes lengths and operands only; it does not
 * compute effective addresses (the fault already gives the guest-physical
 * address) and it does not check privilege or CPU state.
 */
#ifndef VMX_X86_DECODE_H
#define VMX_X86_DECODE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

/* Architectural limit: a longer instruction raises #GP. */
#define X86_MAX_INSN_LEN	15

/*
 * Return values of x86_decode() besides 0.
 * EUNSUPPORTED: not one of the instructions below (including the register
 *	(mod=11) forms of the memory MOVs and an invalid @mode); the caller
 *	should report an emulation failure, not guess.
 * ETRUNC: the bytes ended before the instruction did; fetch more (up to
 *	X86_MAX_INSN_LEN) and decode again.
 * ETOOLONG: the instruction would exceed X86_MAX_INSN_LEN bytes; on real
 *	hardware this is #GP(0).
 * Errors are reported in byte order: the first problem met wins.
 */
#define X86_DECODE_EUNSUPPORTED	(-1)
#define X86_DECODE_ETRUNC	(-2)
#define X86_DECODE_ETOOLONG	(-3)

enum x86_op {
	X86_OP_NONE = 0,
	X86_OP_STORE,		/* mov r/m, reg (88, 89): reg -> mem */
	X86_OP_STORE_IMM,	/* mov r/m, imm (C6 /0, C7 /0): imm -> mem */
	X86_OP_LOAD,		/* mov reg, r/m (8A, 8B): mem -> reg */
	X86_OP_LOAD_ZX,		/* movzx reg, r/m8 / r/m16 (0F B6, 0F B7) */
	X86_OP_LOAD_SX,		/* movsx (0F BE, 0F BF), movsxd (63, 64-bit) */
	X86_OP_LOAD_MOFFS,	/* mov AL/eAX/rAX, moffs (A0, A1) */
	X86_OP_STORE_MOFFS,	/* mov moffs, AL/eAX/rAX (A2, A3) */
	X86_OP_MOV_FROM_DR,	/* mov reg, DRn (0F 21) */
	X86_OP_MOV_TO_DR,	/* mov DRn, reg (0F 23) */
};

/* Segment numbers used in x86_insn.seg (SDM order, as in the Sreg field). */
#define X86_SEG_NONE	(-1)
#define X86_SEG_ES	0
#define X86_SEG_CS	1
#define X86_SEG_SS	2
#define X86_SEG_DS	3
#define X86_SEG_FS	4
#define X86_SEG_GS	5

struct x86_insn {
	enum x86_op op;
	/* Total length in bytes, prefixes included; 1..15, never > avail. */
	u8 len;
	/*
	 * Bytes accessed in memory: 1, 2, 4 or 8.  0 for MOV DR, which has
	 * no memory operand.
	 */
	u8 mem_size;
	/*
	 * Size of the register operand read or written: 1, 2, 4 or 8; for
	 * movzx/movsx/movsxd the destination size.  0 for STORE_IMM.  The
	 * usual write rules are the caller's: a 4-byte write in 64-bit mode
	 * zeroes bits 63:32, 1- and 2-byte writes keep the other bits.
	 */
	u8 reg_size;
	/*
	 * Register number 0..15 (RAX=0 ... R15=15) of the register operand,
	 * REX.R (or REX.B for MOV DR) applied.  Always 0 (AL/eAX/rAX) for the
	 * MOFFS forms; 0 for STORE_IMM.
	 */
	u8 reg;
	/*
	 * The register operand is AH/CH/DH/BH: byte operand, no REX prefix,
	 * reg 4..7.  reg is left as 4..7; the register is reg - 4, bits 15:8.
	 * With any REX prefix, byte regs 4..7 are SPL/BPL/SIL/DIL instead.
	 */
	bool high8;
	/*
	 * Debug register number for MOV DR, REX.R applied: 8..15 are #UD,
	 * as are 4/5 with CR4.DE=1 (both left to the caller).
	 */
	u8 dr;
	/* Effective address size in bytes (2, 4 or 8); moffs has this width. */
	u8 addr_size;
	/*
	 * Immediate of STORE_IMM as it will be stored: the low mem_size
	 * bytes hold it and upper bytes are zero, except that an imm32 with
	 * an 8-byte operand (REX.W C7) is already sign-extended to 64 bits.
	 */
	u64 imm;
	/* Address of the MOFFS forms, zero-extended from addr_size bytes. */
	u64 moffs;
	/*
	 * Last segment override prefix seen (X86_SEG_*), or X86_SEG_NONE.
	 * Reported as encoded: in 64-bit mode ES/CS/SS/DS overrides have no
	 * effect and the caller must treat them as none.
	 */
	int seg;
	/* F3 prefix seen (REP/XRELEASE; no effect on MOV). */
	bool rep;
	/* F2 prefix seen (REPNE/XACQUIRE; no effect on MOV). */
	bool repne;
	/* F0 prefix seen: every instruction decoded here then raises #UD. */
	bool lock;
};

/*
 * Decode the instruction at @buf, of which only @avail bytes are valid
 * (bytes past buf[avail - 1] are never read; @avail may exceed 15).
 * @mode is the default operand/address size of the code segment in bits:
 * 16 (real mode, vm86, 16-bit protected mode), 32 (CS.D=1) or 64 (long
 * mode with CS.L=1).  Returns 0 and fills *@out, or a negative
 * X86_DECODE_E* value and leaves *@out untouched.
 */
int x86_decode(const u8 *buf, unsigned int avail, int mode,
	       struct x86_insn *out);

#endif /* VMX_X86_DECODE_H */
