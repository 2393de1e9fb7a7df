/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD SVM encodings as data: VMCB layout, intercept bits, exit codes,
 * MSRs and CPUID bits (AMD APM volume 2, appendix B and chapter 15).
 */
#ifndef VMX_AMD_VMCB_DEFS_H
#define VMX_AMD_VMCB_DEFS_H

#include <linux/types.h>
#include <linux/build_bug.h>

/* MSRs */
#define SVM_MSR_VM_CR		0xc0010114
#define SVM_MSR_VM_HSAVE_PA	0xc0010117
#define SVM_VM_CR_SVMDIS	BIT_ULL(4)

/* CPUID 0x8000000A EDX */
#define SVM_FEAT_NPT		BIT(0)
#define SVM_FEAT_NRIPS		BIT(3)
#define SVM_FEAT_FLUSHBYASID	BIT(6)
#define SVM_FEAT_DECODEASSISTS	BIT(7)

/* Intercept words: index into control.intercepts[] and bit. */
enum svm_intercept_word {
	SVM_ICPT_CR = 0,	/* bits 0-15 reads, 16-31 writes */
	SVM_ICPT_DR = 1,	/* bits 0-15 reads, 16-31 writes */
	SVM_ICPT_EXC = 2,
	SVM_ICPT_MISC3 = 3,
	SVM_ICPT_MISC4 = 4,
	SVM_ICPT_MISC5 = 5,
};

/* control.intercepts[SVM_ICPT_MISC3] */
#define SVM_I3_INTR		BIT(0)
#define SVM_I3_NMI		BIT(1)
#define SVM_I3_SMI		BIT(2)
#define SVM_I3_INIT		BIT(3)
#define SVM_I3_VINTR		BIT(4)
#define SVM_I3_RDPMC		BIT(15)
#define SVM_I3_IRET		BIT(20)
#define SVM_I3_CPUID		BIT(18)
#define SVM_I3_RSM		BIT(19)
#define SVM_I3_INVD		BIT(22)
#define SVM_I3_HLT		BIT(24)
#define SVM_I3_INVLPGA		BIT(26)
#define SVM_I3_IOIO		BIT(27)
#define SVM_I3_MSR		BIT(28)
#define SVM_I3_TASK_SWITCH	BIT(29)
#define SVM_I3_SHUTDOWN		BIT(31)

/* control.intercepts[SVM_ICPT_MISC4] */
#define SVM_I4_VMRUN		BIT(0)
#define SVM_I4_VMMCALL		BIT(1)
#define SVM_I4_VMLOAD		BIT(2)
#define SVM_I4_VMSAVE		BIT(3)
#define SVM_I4_STGI		BIT(4)
#define SVM_I4_CLGI		BIT(5)
#define SVM_I4_SKINIT		BIT(6)
#define SVM_I4_RDTSCP		BIT(7)
#define SVM_I4_MONITOR		BIT(10)
#define SVM_I4_MWAIT		BIT(11)
#define SVM_I4_MWAIT_COND	BIT(12)
#define SVM_I4_XSETBV		BIT(13)
#define SVM_I4_RDPRU		BIT(14)

/* control.int_ctl */
#define SVM_V_TPR_MASK		0xffULL
#define SVM_V_IRQ		BIT_ULL(8)
#define SVM_V_INTR_PRIO_SHIFT	16
#define SVM_V_IGN_TPR		BIT_ULL(20)
#define SVM_V_INTR_MASKING	BIT_ULL(24)

/* control.event_inj / exit_int_info */
#define SVM_EVTINJ_VEC_MASK	0xff
#define SVM_EVTINJ_TYPE_SHIFT	8
#define SVM_EVTINJ_TYPE_MASK	(7 << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_VALID_ERR	BIT(11)
#define SVM_EVTINJ_VALID	BIT(31)

/* control.tlb_ctl */
#define SVM_TLB_FLUSH_ALL	1
#define SVM_TLB_FLUSH_ASID	3

/* IOIO exit_info_1 */
#define SVM_IOIO_IN		BIT(0)
#define SVM_IOIO_STR		BIT(2)
#define SVM_IOIO_REP		BIT(3)
#define SVM_IOIO_SIZE_SHIFT	4	/* SZ8, SZ16, SZ32 one-hot */
#define SVM_IOIO_ASIZE_SHIFT	7	/* A16, A32, A64 one-hot */
#define SVM_IOIO_SEG_SHIFT	10
#define SVM_IOIO_PORT_SHIFT	16

/* NPF exit_info_1 */
#define SVM_NPF_PRESENT		BIT_ULL(0)
#define SVM_NPF_WRITE		BIT_ULL(1)
#define SVM_NPF_FETCH		BIT_ULL(4)
#define SVM_NPF_GUEST_PAGE	BIT_ULL(32)
#define SVM_NPF_GUEST_TABLE	BIT_ULL(33)

/* Segment attribute bits (packed descriptor bits 8-15 and 20-23). */
#define SVM_SEG_TYPE_MASK	0xf
#define SVM_SEG_S		BIT(4)
#define SVM_SEG_DPL_SHIFT	5
#define SVM_SEG_P		BIT(7)
#define SVM_SEG_AVL		BIT(8)
#define SVM_SEG_L		BIT(9)
#define SVM_SEG_DB		BIT(10)
#define SVM_SEG_G		BIT(11)

/* Exit codes */
enum svm_exit_code {
	SVM_EXIT_READ_DR0 = 0x020,
	SVM_EXIT_WRITE_DR0 = 0x030,
	SVM_EXIT_WRITE_DR7 = 0x037,
	SVM_EXIT_EXCP_BASE = 0x040,
	SVM_EXIT_INTR = 0x060,
	SVM_EXIT_NMI = 0x061,
	SVM_EXIT_SMI = 0x062,
	SVM_EXIT_INIT = 0x063,
	SVM_EXIT_VINTR = 0x064,
	SVM_EXIT_RDPMC = 0x06f,
	SVM_EXIT_CPUID = 0x072,
	SVM_EXIT_RSM = 0x073,
	SVM_EXIT_INVD = 0x076,
	SVM_EXIT_HLT = 0x078,
	SVM_EXIT_INVLPGA = 0x07a,
	SVM_EXIT_IOIO = 0x07b,
	SVM_EXIT_MSR = 0x07c,
	SVM_EXIT_TASK_SWITCH = 0x07d,
	SVM_EXIT_SHUTDOWN = 0x07f,
	SVM_EXIT_VMRUN = 0x080,
	SVM_EXIT_VMMCALL = 0x081,
	SVM_EXIT_VMLOAD = 0x082,
	SVM_EXIT_VMSAVE = 0x083,
	SVM_EXIT_STGI = 0x084,
	SVM_EXIT_CLGI = 0x085,
	SVM_EXIT_SKINIT = 0x086,
	SVM_EXIT_RDTSCP = 0x087,
	SVM_EXIT_MONITOR = 0x08a,
	SVM_EXIT_MWAIT = 0x08b,
	SVM_EXIT_MWAIT_COND = 0x08c,
	SVM_EXIT_XSETBV = 0x08d,
	SVM_EXIT_IRET = 0x074,
	SVM_EXIT_RDPRU = 0x08e,
	SVM_EXIT_NR = 0x090,		/* size of the dense table */
	SVM_EXIT_NPF = 0x400,
	SVM_EXIT_INVALID = -1,
};

struct vmcb_control {
	u32 intercepts[6];		/* 0x000 */
	u8 reserved_1[0x3c - 0x18];
	u16 pause_filter_thresh;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_ctl;			/* 0x05c */
	u8 reserved_2[3];
	u64 int_ctl;			/* 0x060 */
	u64 int_state;			/* 0x068: bit 0 interrupt shadow */
	u64 exit_code;			/* 0x070 */
	u64 exit_info_1;		/* 0x078 */
	u64 exit_info_2;		/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 nested_ctl;			/* 0x090: bit 0 NP_ENABLE */
	u64 avic_vapic_bar;		/* 0x098 */
	u64 ghcb_gpa;			/* 0x0a0 */
	u64 event_inj;			/* 0x0a8 */
	u64 nested_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean;			/* 0x0c0 */
	u32 reserved_3;
	u64 next_rip;			/* 0x0c8 */
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];		/* 0x0d1 */
	u8 reserved_4[0x400 - 0xe0];
} __packed;

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;		/* 0x460 */
	u8 reserved_1[0xcb - 0xa0];
	u8 cpl;						/* 0x4cb */
	u32 reserved_2;
	u64 efer;					/* 0x4d0 */
	u8 reserved_3[0x548 - 0x4d8];
	u64 cr4;					/* 0x548 */
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip;					/* 0x578 */
	u8 reserved_4[0x5d8 - 0x580];
	u64 rsp;					/* 0x5d8 */
	u8 reserved_5[0x5f8 - 0x5e0];
	u64 rax;					/* 0x5f8 */
	u64 star;
	u64 lstar;
	u64 cstar;
	u64 sfmask;
	u64 kernel_gs_base;
	u64 sysenter_cs;
	u64 sysenter_esp;
	u64 sysenter_eip;
	u64 cr2;					/* 0x640 */
	u8 reserved_6[0x668 - 0x648];
	u64 g_pat;					/* 0x668 */
	u64 dbgctl;
	u64 br_from;
	u64 br_to;
	u64 last_excp_from;
	u64 last_excp_to;
} __packed;

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __packed;

#define VMCB_SAVE(f) (0x400 + offsetof(struct vmcb_save, f))
static_assert(offsetof(struct vmcb_control, asid) == 0x058);
static_assert(offsetof(struct vmcb_control, event_inj) == 0x0a8);
static_assert(offsetof(struct vmcb_control, next_rip) == 0x0c8);
static_assert(sizeof(struct vmcb_control) == 0x400);
static_assert(VMCB_SAVE(cpl) == 0x4cb);
static_assert(VMCB_SAVE(efer) == 0x4d0);
static_assert(VMCB_SAVE(cr4) == 0x548);
static_assert(VMCB_SAVE(rip) == 0x578);
static_assert(VMCB_SAVE(rsp) == 0x5d8);
static_assert(VMCB_SAVE(rax) == 0x5f8);
static_assert(VMCB_SAVE(cr2) == 0x640);
static_assert(VMCB_SAVE(g_pat) == 0x668);

#define SVM_IOPM_SIZE		(3 * PAGE_SIZE)
#define SVM_MSRPM_SIZE		(2 * PAGE_SIZE)

#endif
