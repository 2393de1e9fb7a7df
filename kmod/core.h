/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic core of vmx.ko: VMs, vCPUs, memory slots and the helpers that
 * vendor exit handlers call.  Vendor-neutral: no VMCB or VMCS here.
 */
#ifndef VMX_CORE_H
#define VMX_CORE_H

#include <linux/types.h>
#include <linux/kvm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/refcount.h>
#include <linux/preempt.h>
#include <asm/fpu/api.h>

#include <linux/rcuwait.h>

#include "backend.h"
#include "irq.h"

#define VMX_API_VERSION		12
#define VMX_MAX_VCPUS		256
#define VMX_MAX_VCPU_ID		1024
#define VMX_MIN_MMU_PAGES	64	/* KVM_SET_NR_MMU_PAGES lower bound */
#define VMX_MEM_SLOTS		509	/* KVM_USER_MEM_SLOTS on x86 */
/* Guest-physical width our nested page tables cover (4 levels). */
#define VMX_GPA_BITS		48
#define VMX_MAX_SLOT_PAGES	(1ULL << (VMX_GPA_BITS - PAGE_SHIFT))
#define VMX_RUN_MMAP_PAGES	2	/* kvm_run + PIO data page */

#define pr_fmt_vmx "vmx: "

/* General purpose registers in hardware encoding order. */
enum vmx_reg {
	VMX_RAX, VMX_RCX, VMX_RDX, VMX_RBX, VMX_RSP, VMX_RBP, VMX_RSI,
	VMX_RDI, VMX_R8, VMX_R9, VMX_R10, VMX_R11, VMX_R12, VMX_R13,
	VMX_R14, VMX_R15, VMX_NR_REGS
};

/* Event types; the numbers are those of both SVM EVENTINJ and VMX. */
enum vmx_event_type {
	VMX_EV_EXTINT = 0,
	VMX_EV_NMI = 2,
	VMX_EV_EXCEPTION = 3,
	VMX_EV_SOFTINT = 4,
};

struct vmx_event {
	bool pending;
	u8 type;
	u8 vector;
	bool has_error;
	u32 error;
};

struct vmx_memslot {
	u32 id;
	u32 flags;
	u64 base_gfn;
	u64 npages;
	unsigned long uaddr;
	/* Pinned backing pages, filled on nested page faults (mmu_lock). */
	struct page **pages;
	/* KVM_MEM_LOG_DIRTY_PAGES: one bit per page, KVM's layout.  Set and
	 * cleared under mmu_lock and slots_lock, read under either or SRCU.
	 */
	unsigned long *dirty_bitmap;
};

struct vmx_memslots {
	int count;
	struct vmx_memslot *by_id[VMX_MEM_SLOTS];
	struct vmx_memslot *active[VMX_MEM_SLOTS];	/* count entries */
};

/* Nested page table: a 4-level radix tree of pages. */
struct vmx_npt {
	u64 *root;
	phys_addr_t root_pa;
	unsigned long nr_table_pages;
};

struct vmx_vm {
	refcount_t refs;		/* VM fd + one per vCPU fd */
	struct mm_struct *mm;
	struct mutex lock;		/* vCPU creation */
	struct mutex slots_lock;	/* memslot updates */
	struct srcu_struct srcu;	/* readers of ->slots */
	struct vmx_memslots __rcu *slots;
	spinlock_t mmu_lock;		/* ->npt and slot page arrays */
	struct vmx_npt npt;
	atomic64_t tlb_gen;		/* bumped when mappings go away */
	int nr_vcpus;
	struct vmx_vcpu *vcpus[VMX_MAX_VCPUS];
	u64 tss_addr;
	u32 max_vcpu_ids;		/* KVM_CAP_MAX_VCPU_ID, 0 = default */
	unsigned long nr_mmu_pages;	/* KVM_SET_NR_MMU_PAGES: kept only */

	/* Interrupt controllers (irqchip.c): NULL until KVM_CREATE_IRQCHIP,
	 * set once with smp_store_release().
	 */
	struct vmx_irqchip *irqchip;

	/* The PIT (pit.c): NULL until KVM_CREATE_PIT2. */
	struct vmx_pit *pit;

	/* In-kernel device buses (iobus.c). */
	struct vmx_io_bus __rcu *buses[VMX_NR_BUSES];

	/* Eventfds (eventfd.c). */
	struct vmx_eventfds *eventfds;

	/* Guest time (clock.c). */
	s64 kvmclock_offset;		/* kvmclock = boot-time ns + this */
	spinlock_t clock_lock;		/* the reference point below */
	u64 clock_ref_tsc;		/* host TSC at the reference point */
	u64 clock_ref_ns;		/* kvmclock at clock_ref_tsc */
	u64 wall_clock_msr;		/* MSR_KVM_WALL_CLOCK_NEW value */
	u32 tsc_khz;			/* KVM_SET_TSC_KHZ on the VM, 0 host */
	u64 tsc_base;			/* host TSC where guest TSCs read 0 */

	/* Dirty logging (dirtylog.c): KVM_DIRTY_LOG_* enabled through
	 * KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 (slots_lock).
	 */
	u64 dirty_log_manual;
};

static inline bool vmx_irqchip_in_kernel(struct vmx_vm *vm)
{
	/* Pairs with the release that publishes the chips. */
	return smp_load_acquire(&vm->irqchip) != NULL;
}

enum vmx_vcpu_mode { VMX_OUTSIDE_GUEST, VMX_IN_GUEST };

/* A port I/O exit as the vendor decoded it. */
struct vmx_pio {
	u16 port;
	u8 size;		/* 1, 2, 4 */
	bool in;
	bool string;
	bool rep;
	u8 addr_size;		/* 2, 4, 8 (string forms) */
	int seg;		/* segment of the source for OUTS, -1 default */
	u8 insn_len;
};

/* What a pending user-space completion must do on the next KVM_RUN. */
enum vmx_pending { VMX_PEND_NONE, VMX_PEND_PIO, VMX_PEND_MMIO };

struct vmx_vcpu {
	struct vmx_vm *vm;
	u32 id;
	struct mutex mutex;		/* one ioctl at a time */
	/* Follows the ioctl's thread across CPUs (backend vcpu_load/put). */
	struct preempt_notifier pn;
	struct kvm_run *run;
	struct page *run_pages[VMX_RUN_MMAP_PAGES];

	int mode;			/* enum vmx_vcpu_mode */
	int cpu;			/* CPU while in guest mode */
	int last_cpu;			/* CPU of the previous entry, -1 none */
	s64 tlb_gen;			/* vm->tlb_gen seen at last flush */
	bool flush_tlb;			/* vendor must flush before entry */

	unsigned long regs[VMX_NR_REGS];
	unsigned long rip;
	unsigned long rflags;

	struct vmx_event exception;	/* queued by the core */
	struct vmx_event reinject;	/* interrupted delivery to redo */

	enum vmx_pending pending;
	unsigned long pending_rip;	/* RIP of the instruction to complete */
	struct vmx_pio pio;
	u32 pio_count;			/* elements user space was given */
	struct {
		u8 reg;
		u8 reg_size;
		u8 size;
		bool high8;
		bool sign;
		u8 insn_len;
	} mmio;

	struct fpu_guest guest_fpu;
	u64 xcr0;
	u32 pkru;			/* the guest's, while the host's is loaded */
	u64 dr[4];
	u64 dr6;			/* where the backend keeps no DR6 */
	u64 apic_base;
	u64 misc_enable;
	u64 tsc_aux;
	u64 mtrr_deftype;
	u64 mtrr_fixed[11];
	u64 mtrr_var[16];
	u64 tsc_offset;
	u64 tsc_adjust;			/* IA32_TSC_ADJUST */

	struct kvm_cpuid_entry2 *cpuid;
	int cpuid_nent;

	/* Interrupts and power states (events.c). */
	unsigned long requests;		/* VMX_REQ_* bits */
	struct rcuwait wait;		/* a blocked (halted) vCPU */
	int mp_state;			/* KVM_MP_STATE_* */
	unsigned long apic_events;	/* VMX_APIC_EV_* from other vCPUs */
	u8 sipi_vector;
	atomic_t nmi_queued;		/* NMIs raised, not yet counted */
	u8 nmi_pending;			/* NMIs waiting for injection */
	int user_irq;			/* KVM_INTERRUPT vector, -1 none */
	struct vmx_event inject;	/* what this entry delivers */

	/* The local APIC (lapic.c); NULL without an in-kernel irqchip. */
	struct vmx_lapic *apic;

	/* Guest time (clock.c). */
	u64 kvmclock_msr;		/* MSR_KVM_SYSTEM_TIME_NEW value */
	u32 pvclock_version;		/* of the guest's time info */
	u32 tsc_khz;			/* KVM_SET_TSC_KHZ, 0 = VM default */
	int clock_cpu;			/* CPU the time info was made on */
};

/* events.c */
#define VMX_APIC_EV_INIT	0
#define VMX_APIC_EV_SIPI	1
void vmx_events_init(struct vmx_vcpu *vcpu);
void vmx_inject_pending(struct vmx_vcpu *vcpu);
bool vmx_interrupt_allowed(struct vmx_vcpu *vcpu);
int vmx_vcpu_block(struct vmx_vcpu *vcpu);
void vmx_accept_apic_events(struct vmx_vcpu *vcpu);
bool vmx_user_irq_window_open(struct vmx_vcpu *vcpu);
void vmx_post_run(struct vmx_vcpu *vcpu);
long vmx_events_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg);

/* vcpu_state.c: FPU, XSAVE, XCRS, debug registers */
long vmx_state_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg);
long vmx_state_check_extension(long cap);

/* clock.c: kvmclock MSRs (0 handled, 1 not ours, <0 #GP), KVM_*_CLOCK */
int vmx_clock_msr(struct vmx_vcpu *vcpu, u32 index, u64 *data, bool write,
		  bool host);
void vmx_kvmclock_update(struct vmx_vcpu *vcpu);
void vmx_kvmclock_load(struct vmx_vcpu *vcpu, int cpu);
void vmx_clock_vm_init(struct vmx_vm *vm);
long vmx_clock_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			  unsigned long arg);
long vmx_clock_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			unsigned long arg);
long vmx_clock_check_extension(long cap);

/* dirtylog.c: KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG */
long vmx_dirtylog_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			   unsigned long arg);
long vmx_dirtylog_check_extension(long cap);
int vmx_dirtylog_slot_init(struct vmx_vm *vm, struct vmx_memslot *new,
			   struct vmx_memslot *old);
int vmx_dirtylog_set_flags(struct vmx_vm *vm, struct vmx_memslot *slot,
			   u32 flags);
void vmx_mark_slot_dirty(struct vmx_memslot *slot, u64 gfn);
void vmx_mark_page_dirty(struct vmx_vm *vm, u64 gfn);

/* main.c */
int vmx_hw_get(void);
void vmx_hw_put(void);

/* dev_ioctl.c */
long vmx_check_extension(long cap);

/* vm.c */
int vmx_create_vm(unsigned long type);
void vmx_vm_put(struct vmx_vm *vm);
long vmx_vm_ioctl(struct file *f, unsigned int ioctl, unsigned long arg);

/* memslot.c */
int vmx_set_memory_region(struct vmx_vm *vm,
			  const struct kvm_userspace_memory_region *mem);
struct vmx_memslot *vmx_find_slot(struct vmx_memslots *slots, u64 gfn);
void vmx_free_memslots(struct vmx_vm *vm);
int vmx_read_guest(struct vmx_vcpu *vcpu, u64 gpa, void *buf, size_t len);
int vmx_write_guest(struct vmx_vcpu *vcpu, u64 gpa, const void *buf,
		    size_t len);

/* mmu.c */
int vmx_npt_init(struct vmx_vm *vm);
void vmx_npt_free(struct vmx_vm *vm);
int vmx_npt_map(struct vmx_vm *vm, struct vmx_memslot *slot, u64 gfn,
		bool write);
void vmx_npt_zap_slot(struct vmx_vm *vm, struct vmx_memslot *slot);
void vmx_npt_write_protect(struct vmx_vm *vm, struct vmx_memslot *slot,
			   u64 first, unsigned long mask);
void vmx_npt_write_protect_slot(struct vmx_vm *vm, struct vmx_memslot *slot);
void vmx_flush_remote_tlbs(struct vmx_vm *vm);

/* vcpu.c */
int vmx_create_vcpu(struct vmx_vm *vm, unsigned long id);
void vmx_vcpu_free(struct vmx_vcpu *vcpu);
int vmx_vcpu_run(struct vmx_vcpu *vcpu);
void vmx_vcpu_load(struct vmx_vcpu *vcpu);
void vmx_vcpu_put(struct vmx_vcpu *vcpu);
extern struct preempt_ops vmx_preempt_ops;
void vmx_skip_insn(struct vmx_vcpu *vcpu, unsigned int len);
void vmx_reg_write(struct vmx_vcpu *vcpu, int reg, u8 size, u64 val);
void vmx_queue_exception(struct vmx_vcpu *vcpu, u8 vector, bool has_error,
			 u32 error);
static inline void vmx_inject_gp(struct vmx_vcpu *vcpu)
{
	vmx_queue_exception(vcpu, 13, true, 0);
}

static inline void vmx_inject_ud(struct vmx_vcpu *vcpu)
{
	vmx_queue_exception(vcpu, 6, false, 0);
}

/* vcpu_ioctl.c */
u64 vmx_cr4_valid_bits(void);
long vmx_vcpu_ioctl(struct file *f, unsigned int ioctl, unsigned long arg);

/* exits.c: generic exit handling shared by both backends */
int vmx_exit_hlt(struct vmx_vcpu *vcpu, unsigned int insn_len);
int vmx_exit_shutdown(struct vmx_vcpu *vcpu);
int vmx_exit_fail_entry(struct vmx_vcpu *vcpu, u64 reason);
int vmx_exit_internal(struct vmx_vcpu *vcpu, u32 suberror, int ndata,
		      const u64 *data);
int vmx_exit_unknown(struct vmx_vcpu *vcpu, u64 reason);
int vmx_emulate_xsetbv(struct vmx_vcpu *vcpu, unsigned int insn_len);
int vmx_emulate_mov_dr(struct vmx_vcpu *vcpu);
int vmx_mov_dr(struct vmx_vcpu *vcpu, bool to_dr, int dr, int reg,
	       unsigned int len);
int vmx_hypercall(struct vmx_vcpu *vcpu, unsigned int insn_len);
int vmx_emulate_rdtscp(struct vmx_vcpu *vcpu, unsigned int insn_len);

/* pio.c */
int vmx_handle_pio(struct vmx_vcpu *vcpu, const struct vmx_pio *pio);
int vmx_complete_pio(struct vmx_vcpu *vcpu);

/* mmio.c: nested page fault resolution and MMIO emulation */
#define VMX_NPF_WRITE		BIT(0)
#define VMX_NPF_FETCH		BIT(1)
#define VMX_NPF_IN_WALK		BIT(2)	/* during the guest's table walk */
int vmx_handle_npf(struct vmx_vcpu *vcpu, u64 gpa, unsigned int flags);
int vmx_complete_mmio(struct vmx_vcpu *vcpu);

/* gva.c */
int vmx_linear_to_gpa(struct vmx_vcpu *vcpu, u64 la, bool write, u64 *gpa);
int vmx_read_linear(struct vmx_vcpu *vcpu, u64 la, void *buf, size_t len);
int vmx_write_linear(struct vmx_vcpu *vcpu, u64 la, const void *buf,
		     size_t len);
int vmx_cpu_mode(struct vmx_vcpu *vcpu);	/* 16, 32 or 64 */
u64 vmx_seg_base(struct vmx_vcpu *vcpu, int seg);

/* cpuid.c */
int vmx_emulate_cpuid(struct vmx_vcpu *vcpu, unsigned int insn_len);
int vmx_get_supported_cpuid(struct kvm_cpuid2 __user *ucpuid);
int vmx_set_cpuid2(struct vmx_vcpu *vcpu, struct kvm_cpuid2 __user *uc);
int vmx_get_cpuid2(struct vmx_vcpu *vcpu, struct kvm_cpuid2 __user *uc);
void vmx_cpuid_free(struct vmx_vcpu *vcpu);

/* msr.c */
int vmx_emulate_rdmsr(struct vmx_vcpu *vcpu, unsigned int insn_len);
int vmx_emulate_wrmsr(struct vmx_vcpu *vcpu, unsigned int insn_len);
int vmx_get_msr_index_list(struct kvm_msr_list __user *ulist);
int vmx_get_msr_feature_index_list(struct kvm_msr_list __user *ulist);
int vmx_msrs_ioctl(struct vmx_vcpu *vcpu, struct kvm_msrs __user *umsrs,
		   bool set);
void vmx_msr_reset(struct vmx_vcpu *vcpu);

#endif
