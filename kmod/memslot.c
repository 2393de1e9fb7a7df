// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory slots (KVM_SET_USER_MEMORY_REGION) and host access to
 * guest-physical memory.  Readers use SRCU; updates copy the slot table,
 * publish it, wait for readers, then tear down what went away.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"

static struct vmx_memslots *slots_deref(struct vmx_vm *vm)
{
	return srcu_dereference_check(vm->slots, &vm->srcu,
				      lockdep_is_held(&vm->slots_lock));
}

struct vmx_memslot *vmx_find_slot(struct vmx_memslots *slots, u64 gfn)
{
	int i;

	for (i = 0; i < slots->count; i++) {
		struct vmx_memslot *s = slots->active[i];

		if (gfn >= s->base_gfn && gfn - s->base_gfn < s->npages)
			return s;
	}
	return NULL;
}

static bool overlaps(struct vmx_memslots *slots, u32 skip_id, u64 base,
		     u64 npages)
{
	int i;

	for (i = 0; i < slots->count; i++) {
		struct vmx_memslot *s = slots->active[i];

		if (s->id == skip_id)
			continue;
		if (base < s->base_gfn + s->npages && s->base_gfn < base + npages)
			return true;
	}
	return false;
}

static void slot_unpin(struct vmx_memslot *slot)
{
	u64 i;

	for (i = 0; i < slot->npages; i++)
		if (slot->pages[i])
			unpin_user_page(slot->pages[i]);
	kvfree(slot->pages);
	kvfree(slot->dirty_bitmap);
	kfree(slot);
}

/* Rebuild the compact active list from by_id. */
static void slots_relink(struct vmx_memslots *slots)
{
	int i;

	slots->count = 0;
	for (i = 0; i < VMX_MEM_SLOTS; i++)
		if (slots->by_id[i])
			slots->active[slots->count++] = slots->by_id[i];
}

static struct vmx_memslot *slot_alloc(u32 id, u32 flags, u64 base_gfn,
				      u64 npages, unsigned long uaddr)
{
	struct vmx_memslot *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	s->pages = kvcalloc(npages, sizeof(*s->pages), GFP_KERNEL_ACCOUNT);
	if (!s->pages) {
		kfree(s);
		return NULL;
	}
	s->id = id;
	s->flags = flags;
	s->base_gfn = base_gfn;
	s->npages = npages;
	s->uaddr = uaddr;
	return s;
}

static int check_region(const struct kvm_userspace_memory_region *mem)
{
	u64 end;

	if (mem->flags & ~(KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES))
		return -EINVAL;
	if ((mem->slot >> 16) || (mem->slot & 0xffff) >= VMX_MEM_SLOTS)
		return -EINVAL;
	if (!PAGE_ALIGNED(mem->memory_size) ||
	    !PAGE_ALIGNED(mem->guest_phys_addr) ||
	    !PAGE_ALIGNED(mem->userspace_addr))
		return -EINVAL;
	if (check_add_overflow(mem->guest_phys_addr, mem->memory_size, &end) ||
	    end > (1ULL << VMX_GPA_BITS))
		return -EINVAL;
	if (mem->memory_size &&
	    !access_ok((void __user *)(unsigned long)mem->userspace_addr,
		       mem->memory_size))
		return -EINVAL;
	return 0;
}

/* Called with vm->slots_lock held. */
int vmx_set_memory_region(struct vmx_vm *vm,
			  const struct kvm_userspace_memory_region *mem)
{
	struct vmx_memslots *old_slots, *slots;
	struct vmx_memslot *old, *new = NULL;
	u64 npages = mem->memory_size >> PAGE_SHIFT;
	u64 base = mem->guest_phys_addr >> PAGE_SHIFT;
	u32 id = mem->slot & 0xffff;
	int r;

	r = check_region(mem);
	if (r)
		return r;
	old_slots = slots_deref(vm);
	old = old_slots->by_id[id];

	if (!npages) {
		if (!old)
			return -EINVAL;
	} else if (old) {
		/* Only the guest address may change (a move). */
		if (mem->userspace_addr != old->uaddr ||
		    npages != old->npages ||
		    ((mem->flags ^ old->flags) & KVM_MEM_READONLY))
			return -EINVAL;
		/* Flags only: the slot is changed in place. */
		if (base == old->base_gfn)
			return vmx_dirtylog_set_flags(vm, old, mem->flags);
	}
	if (npages && overlaps(old_slots, id, base, npages))
		return -EEXIST;

	slots = kvmalloc(sizeof(*slots), GFP_KERNEL_ACCOUNT);
	if (!slots)
		return -ENOMEM;
	if (npages) {
		new = slot_alloc(id, mem->flags, base, npages,
				 mem->userspace_addr);
		r = new ? vmx_dirtylog_slot_init(vm, new, old) : -ENOMEM;
		if (r) {
			if (new)
				slot_unpin(new);
			kvfree(slots);
			return r;
		}
	}
	memcpy(slots, old_slots, sizeof(*slots));
	slots->by_id[id] = new;
	slots_relink(slots);

	rcu_assign_pointer(vm->slots, slots);
	synchronize_srcu_expedited(&vm->srcu);
	kvfree(old_slots);

	if (old) {
		/* No reader can find @old now: unmap it, then unpin. */
		vmx_npt_zap_slot(vm, old);
		vmx_flush_remote_tlbs(vm);
		/* A moved slot took over the dirty log. */
		if (new && new->dirty_bitmap == old->dirty_bitmap)
			old->dirty_bitmap = NULL;
		slot_unpin(old);
	}
	return 0;
}

/* VM teardown: the NPT is already gone. */
void vmx_free_memslots(struct vmx_vm *vm)
{
	struct vmx_memslots *slots = rcu_dereference_protected(vm->slots, 1);
	int i;

	if (!slots)
		return;
	for (i = 0; i < slots->count; i++)
		slot_unpin(slots->active[i]);
	kvfree(slots);
}

/* Copy to or from guest-physical memory through the user mapping. */
static int guest_copy(struct vmx_vcpu *vcpu, u64 gpa, void *buf, size_t len,
		      bool write)
{
	struct vmx_vm *vm = vcpu->vm;
	int idx, r = 0;

	idx = srcu_read_lock(&vm->srcu);
	while (len) {
		struct vmx_memslot *s;
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(gpa));
		unsigned long left;
		void __user *hva;

		s = vmx_find_slot(srcu_dereference(vm->slots, &vm->srcu),
				  gpa >> PAGE_SHIFT);
		if (!s || (write && (s->flags & KVM_MEM_READONLY))) {
			r = -EFAULT;
			break;
		}
		hva = (void __user *)(s->uaddr +
			((gpa >> PAGE_SHIFT) - s->base_gfn) * PAGE_SIZE +
			offset_in_page(gpa));
		left = write ? copy_to_user(hva, buf, chunk) :
			       copy_from_user(buf, hva, chunk);
		/* After the write (even a partial one): a log collected in
		 * between sees the page next time.
		 */
		if (write && left < chunk)
			vmx_mark_slot_dirty(s, gpa >> PAGE_SHIFT);
		if (left) {
			r = -EFAULT;
			break;
		}
		gpa += chunk;
		buf += chunk;
		len -= chunk;
	}
	srcu_read_unlock(&vm->srcu, idx);
	return r;
}

int vmx_read_guest(struct vmx_vcpu *vcpu, u64 gpa, void *buf, size_t len)
{
	return guest_copy(vcpu, gpa, buf, len, false);
}

int vmx_write_guest(struct vmx_vcpu *vcpu, u64 gpa, const void *buf,
		    size_t len)
{
	return guest_copy(vcpu, gpa, (void *)buf, len, true);
}
