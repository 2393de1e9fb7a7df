// SPDX-License-Identifier: GPL-2.0
/*
 * Generic nested paging: a 4-level table (NPT or EPT, entry format from
 * the backend) filled lazily on nested page faults from pinned pages of
 * the memslots.  Intermediate tables live until the VM dies.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/io.h>
#include <linux/mem_encrypt.h>

#include "core.h"

#define NPT_LEVELS	4
#define NPT_ENTRIES	512
#define NPT_ADDR_MASK	GENMASK_ULL(51, 12)

/* The table an entry points to; SVM sets SME's C-bit in the address. */
static u64 *npt_next(u64 e)
{
	return __va(__sme_clr(e & NPT_ADDR_MASK));
}

static unsigned int npt_index(u64 gfn, int level)
{
	return (gfn >> (9 * (level - 1))) & (NPT_ENTRIES - 1);
}

static bool npt_present(u64 e)
{
	return e & vmx_ops->npt_present_mask;
}

int vmx_npt_init(struct vmx_vm *vm)
{
	struct page *p = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!p)
		return -ENOMEM;
	vm->npt.root = page_address(p);
	vm->npt.root_pa = page_to_phys(p);
	vm->npt.nr_table_pages = 1;
	return 0;
}

static void npt_free_table(u64 *table, int level)
{
	int i;

	if (level > 1) {
		for (i = 0; i < NPT_ENTRIES; i++)
			if (npt_present(table[i]))
				npt_free_table(npt_next(table[i]), level - 1);
	}
	free_page((unsigned long)table);
}

void vmx_npt_free(struct vmx_vm *vm)
{
	if (vm->npt.root)
		npt_free_table(vm->npt.root, NPT_LEVELS);
	vm->npt.root = NULL;
}

/*
 * Find the leaf entry for @gfn; with @cache, create missing tables from
 * it (pages preallocated outside mmu_lock).  Returns NULL if absent.
 */
static u64 *npt_walk(struct vmx_vm *vm, u64 gfn, struct page **cache,
		     int *ncache)
{
	u64 *table = vm->npt.root;
	int level;

	for (level = NPT_LEVELS; level > 1; level--) {
		u64 *e = &table[npt_index(gfn, level)];

		if (!npt_present(*e)) {
			struct page *p;

			if (!cache || !*ncache)
				return NULL;
			p = cache[--(*ncache)];
			*e = vmx_ops->npt_table_entry(page_to_phys(p));
			vm->npt.nr_table_pages++;
		}
		table = npt_next(*e);
	}
	return &table[npt_index(gfn, 1)];
}

/*
 * Map one guest page of @slot.  Runs under the VM's SRCU read lock, so
 * the slot cannot be freed meanwhile; a concurrent delete zaps after us.
 */
int vmx_npt_map(struct vmx_vm *vm, struct vmx_memslot *slot, u64 gfn,
		bool write)
{
	bool writable = !(slot->flags & KVM_MEM_READONLY);
	unsigned long hva = slot->uaddr + (gfn - slot->base_gfn) * PAGE_SIZE;
	struct page *cache[NPT_LEVELS - 1];
	struct page *page;
	int ncache = 0, r, i;
	u64 *leaf;

	if (write && !writable)
		return -EPERM;
	r = pin_user_pages_fast(hva, 1, (writable ? FOLL_WRITE : 0) |
				FOLL_LONGTERM, &page);
	if (r != 1)
		return r < 0 ? r : -EFAULT;

	for (i = 0; i < NPT_LEVELS - 1; i++) {
		struct page *p = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

		if (!p)
			break;
		cache[ncache++] = p;
	}

	spin_lock(&vm->mmu_lock);
	leaf = npt_walk(vm, gfn, cache, &ncache);
	if (!leaf) {
		spin_unlock(&vm->mmu_lock);
		unpin_user_page(page);
		r = -ENOMEM;
		goto out;
	}
	i = gfn - slot->base_gfn;
	if (slot->pages[i]) {
		/* Another vCPU won the race: keep its pin. */
		unpin_user_page(page);
		page = slot->pages[i];
	} else {
		slot->pages[i] = page;
	}
	/*
	 * A logged page is writable only once its dirty bit is set, both
	 * under mmu_lock: collecting the log clears bits and write-protects
	 * under the same lock, so no write can go unrecorded.
	 */
	if (writable && slot->dirty_bitmap) {
		if (write)
			vmx_mark_slot_dirty(slot, gfn);
		else
			writable = false;
	}
	*leaf = vmx_ops->npt_leaf_entry(page_to_phys(page), writable);
	spin_unlock(&vm->mmu_lock);
	r = 0;
out:
	while (ncache)
		__free_page(cache[--ncache]);
	return r;
}

void vmx_npt_zap_slot(struct vmx_vm *vm, struct vmx_memslot *slot)
{
	u64 i;

	spin_lock(&vm->mmu_lock);
	for (i = 0; i < slot->npages; i++) {
		u64 *leaf;

		if (!slot->pages[i])
			continue;
		leaf = npt_walk(vm, slot->base_gfn + i, NULL, NULL);
		if (leaf)
			*leaf = 0;
		if (!(i & 1023))
			cond_resched_lock(&vm->mmu_lock);
	}
	spin_unlock(&vm->mmu_lock);
}

/* Make page @idx of @slot read-only if it is mapped; mmu_lock held. */
static void write_protect_one(struct vmx_vm *vm, struct vmx_memslot *slot,
			      u64 idx)
{
	u64 *leaf;

	if (!slot->pages[idx])
		return;
	leaf = npt_walk(vm, slot->base_gfn + idx, NULL, NULL);
	if (leaf && npt_present(*leaf))
		*leaf = vmx_ops->npt_leaf_entry(page_to_phys(slot->pages[idx]),
						false);
}

/*
 * Write-protect the pages @first + set bits of @mask of @slot.  Caller
 * holds mmu_lock and flushes TLBs afterwards.
 */
void vmx_npt_write_protect(struct vmx_vm *vm, struct vmx_memslot *slot,
			   u64 first, unsigned long mask)
{
	while (mask) {
		write_protect_one(vm, slot, first + __ffs(mask));
		mask &= mask - 1;
	}
}

/* The whole slot; mmu_lock held (may be dropped to reschedule). */
void vmx_npt_write_protect_slot(struct vmx_vm *vm, struct vmx_memslot *slot)
{
	u64 i;

	for (i = 0; i < slot->npages; i++) {
		write_protect_one(vm, slot, i);
		if (!(i & 1023))
			cond_resched_lock(&vm->mmu_lock);
	}
}

static void flush_ipi(void *unused)
{
	/* The IPI itself forces the vCPU out of guest mode. */
}

/*
 * Make every vCPU drop cached translations before it next runs guest
 * code.  A vCPU in guest mode is kicked out with an IPI and waited for.
 */
void vmx_flush_remote_tlbs(struct vmx_vm *vm)
{
	int i, n;

	atomic64_inc(&vm->tlb_gen);
	/* Order the bump before reading modes; pairs with the run loop. */
	smp_mb();
	n = READ_ONCE(vm->nr_vcpus);
	/* Pairs with smp_wmb() in vmx_create_vcpu(). */
	smp_rmb();
	for (i = 0; i < n; i++) {
		struct vmx_vcpu *v = vm->vcpus[i];

		if (READ_ONCE(v->mode) == VMX_IN_GUEST)
			smp_call_function_single(READ_ONCE(v->cpu), flush_ipi,
						 NULL, 1);
	}
}
