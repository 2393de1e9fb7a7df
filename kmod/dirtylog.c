// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page logging: KVM_MEM_LOG_DIRTY_PAGES slots keep a bitmap of the
 * pages written since the log was last collected (KVM_GET_DIRTY_LOG) or
 * cleared (KVM_CLEAR_DIRTY_LOG with KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2).
 *
 * Guest writes are caught by write-protecting logged pages in the nested
 * page table; the fault sets the page's bit and maps it writable, both
 * under mmu_lock (mmu.c).  Collecting clears bits and write-protects the
 * pages again under the same lock, then flushes TLBs.  Bitmaps change
 * only under slots_lock; SRCU readers (vmx_mark_page_dirty) may still
 * hold a bitmap until synchronize_srcu().
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"

#define MANUAL_CAPS	(KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | \
			 KVM_DIRTY_LOG_INITIALLY_SET)
/* KVM_CLEAR_DIRTY_LOG works on whole bitmap words of the ABI (u64). */
#define CLEAR_ALIGN	64

static unsigned long bitmap_bytes(u64 npages)
{
	return ALIGN(npages, BITS_PER_LONG) / 8;
}

/* x86 is little-endian, so set_bit() gives KVM's bitmap layout. */
void vmx_mark_slot_dirty(struct vmx_memslot *slot, u64 gfn)
{
	unsigned long *bm = READ_ONCE(slot->dirty_bitmap);

	if (bm)
		set_bit(gfn - slot->base_gfn, bm);
}

/* For writes to guest memory that bypass vmx_write_guest(). */
void vmx_mark_page_dirty(struct vmx_vm *vm, u64 gfn)
{
	struct vmx_memslot *slot;
	int idx;

	idx = srcu_read_lock(&vm->srcu);
	slot = vmx_find_slot(srcu_dereference(vm->slots, &vm->srcu), gfn);
	if (slot)
		vmx_mark_slot_dirty(slot, gfn);
	srcu_read_unlock(&vm->srcu, idx);
}

static unsigned long *bitmap_new(struct vmx_vm *vm, u64 npages)
{
	unsigned long *bm = kvzalloc(bitmap_bytes(npages), GFP_KERNEL_ACCOUNT);

	/* KVM_DIRTY_LOG_INITIALLY_SET: every page starts dirty. */
	if (bm && (vm->dirty_log_manual & KVM_DIRTY_LOG_INITIALLY_SET))
		bitmap_set(bm, 0, npages);
	return bm;
}

/*
 * A slot being created or moved (slots_lock held, not yet published): a
 * move keeps the old slot's log, which memslot.c then leaves alone.
 */
int vmx_dirtylog_slot_init(struct vmx_vm *vm, struct vmx_memslot *new,
			   struct vmx_memslot *old)
{
	if (!(new->flags & KVM_MEM_LOG_DIRTY_PAGES))
		return 0;
	if (old && old->dirty_bitmap) {
		new->dirty_bitmap = old->dirty_bitmap;
		return 0;
	}
	new->dirty_bitmap = bitmap_new(vm, new->npages);
	return new->dirty_bitmap ? 0 : -ENOMEM;
}

/* A flags-only change of a published slot (slots_lock held). */
int vmx_dirtylog_set_flags(struct vmx_vm *vm, struct vmx_memslot *slot,
			   u32 flags)
{
	unsigned long *bm;

	if (!((flags ^ slot->flags) & KVM_MEM_LOG_DIRTY_PAGES))
		return 0;
	if (flags & KVM_MEM_LOG_DIRTY_PAGES) {
		bm = bitmap_new(vm, slot->npages);
		if (!bm)
			return -ENOMEM;
		spin_lock(&vm->mmu_lock);
		/* Faults see the bitmap first, then find pages read-only. */
		smp_store_release(&slot->dirty_bitmap, bm);
		WRITE_ONCE(slot->flags, flags);
		/* All pages count as dirty already: protect them on CLEAR. */
		if (!(vm->dirty_log_manual & KVM_DIRTY_LOG_INITIALLY_SET))
			vmx_npt_write_protect_slot(vm, slot);
		spin_unlock(&vm->mmu_lock);
		vmx_flush_remote_tlbs(vm);
		return 0;
	}
	spin_lock(&vm->mmu_lock);
	bm = slot->dirty_bitmap;
	WRITE_ONCE(slot->dirty_bitmap, NULL);
	WRITE_ONCE(slot->flags, flags);
	spin_unlock(&vm->mmu_lock);
	/* vmx_mark_slot_dirty() may still be setting a bit in it. */
	synchronize_srcu_expedited(&vm->srcu);
	kvfree(bm);
	return 0;
}

/* The logged slot named by a dirty-log ioctl; slots_lock held. */
static int logged_slot(struct vmx_vm *vm, u32 slot_arg,
		       struct vmx_memslot **slotp)
{
	struct vmx_memslots *slots;
	struct vmx_memslot *slot;
	u32 id = slot_arg & 0xffff;

	/* Bits 16+ are the address space: only 0, there is no SMM. */
	if ((slot_arg >> 16) || id >= VMX_MEM_SLOTS)
		return -EINVAL;
	slots = rcu_dereference_protected(vm->slots,
					  lockdep_is_held(&vm->slots_lock));
	slot = slots->by_id[id];
	if (!slot || !slot->dirty_bitmap)
		return -ENOENT;
	*slotp = slot;
	return 0;
}

/*
 * Take the log: each word is swapped for zero and its pages protected
 * again under mmu_lock, so a write after that faults and sets the bit.
 */
static int get_dirty_log(struct vmx_vm *vm, struct kvm_dirty_log *log)
{
	unsigned long n, i, words, *bm, *buf;
	struct vmx_memslot *slot;
	bool flush = false;
	int r;

	r = logged_slot(vm, log->slot, &slot);
	if (r)
		return r;
	bm = slot->dirty_bitmap;
	n = bitmap_bytes(slot->npages);
	/* As KVM: any flag of the capability means manual protection. */
	if (vm->dirty_log_manual)
		return copy_to_user(log->dirty_bitmap, bm, n) ? -EFAULT : 0;

	buf = kvmalloc(n, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	words = n / sizeof(long);
	spin_lock(&vm->mmu_lock);
	for (i = 0; i < words; i++) {
		buf[i] = READ_ONCE(bm[i]) ? xchg(&bm[i], 0) : 0;
		if (buf[i]) {
			vmx_npt_write_protect(vm, slot, i * BITS_PER_LONG,
					      buf[i]);
			flush = true;
		}
		if (!(i & 1023))
			cond_resched_lock(&vm->mmu_lock);
	}
	spin_unlock(&vm->mmu_lock);
	if (flush)
		vmx_flush_remote_tlbs(vm);
	r = copy_to_user(log->dirty_bitmap, buf, n) ? -EFAULT : 0;
	kvfree(buf);
	return r;
}

static int clear_dirty_log(struct vmx_vm *vm, struct kvm_clear_dirty_log *log)
{
	unsigned long n, i, words, first_word, *bm, *buf;
	struct vmx_memslot *slot;
	bool flush = false;
	int r;

	if ((log->slot >> 16) || (log->slot & 0xffff) >= VMX_MEM_SLOTS ||
	    log->first_page % CLEAR_ALIGN)
		return -EINVAL;
	r = logged_slot(vm, log->slot, &slot);
	if (r)
		return r;
	/* Inside the slot; whole words unless the range reaches its end. */
	if (log->first_page > slot->npages ||
	    log->num_pages > slot->npages - log->first_page ||
	    (log->num_pages < slot->npages - log->first_page &&
	     log->num_pages % CLEAR_ALIGN))
		return -EINVAL;
	n = bitmap_bytes(log->num_pages);
	if (!n)
		return 0;
	buf = vmemdup_user(log->dirty_bitmap, n);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	bm = slot->dirty_bitmap;
	words = n / sizeof(long);
	first_word = log->first_page / BITS_PER_LONG;
	spin_lock(&vm->mmu_lock);
	for (i = 0; i < words; i++) {
		/* Only bits that were set and are now cleared need work. */
		unsigned long mask = buf[i] ?
			buf[i] & atomic_long_fetch_andnot(buf[i],
				(atomic_long_t *)&bm[first_word + i]) : 0;

		if (mask) {
			vmx_npt_write_protect(vm, slot, log->first_page +
					      i * BITS_PER_LONG, mask);
			flush = true;
		}
		if (!(i & 1023))
			cond_resched_lock(&vm->mmu_lock);
	}
	spin_unlock(&vm->mmu_lock);
	if (flush)
		vmx_flush_remote_tlbs(vm);
	kvfree(buf);
	return 0;
}

static int enable_cap(struct vmx_vm *vm, const struct kvm_enable_cap *cap)
{
	if (cap->flags || (cap->args[0] & ~MANUAL_CAPS))
		return -EINVAL;
	mutex_lock(&vm->slots_lock);
	vm->dirty_log_manual = cap->args[0];
	mutex_unlock(&vm->slots_lock);
	return 0;
}

long vmx_dirtylog_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			   unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	union {
		struct kvm_dirty_log get;
		struct kvm_clear_dirty_log clear;
		struct kvm_enable_cap cap;
	} u;
	long r;

	switch (ioctl) {
	case KVM_GET_DIRTY_LOG:
		if (copy_from_user(&u.get, argp, sizeof(u.get)))
			return -EFAULT;
		mutex_lock(&vm->slots_lock);
		r = get_dirty_log(vm, &u.get);
		mutex_unlock(&vm->slots_lock);
		return r;
	case KVM_CLEAR_DIRTY_LOG:
		if (copy_from_user(&u.clear, argp, sizeof(u.clear)))
			return -EFAULT;
		mutex_lock(&vm->slots_lock);
		r = clear_dirty_log(vm, &u.clear);
		mutex_unlock(&vm->slots_lock);
		return r;
	case KVM_ENABLE_CAP:
		if (copy_from_user(&u.cap, argp, sizeof(u.cap)))
			return -EFAULT;
		if (u.cap.cap != KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2)
			return -ENOIOCTLCMD;
		return enable_cap(vm, &u.cap);
	default:
		return -ENOIOCTLCMD;
	}
}

long vmx_dirtylog_check_extension(long cap)
{
	return cap == KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 ? MANUAL_CAPS : 0;
}
