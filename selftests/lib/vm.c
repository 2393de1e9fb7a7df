// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "names.h"
#include "tap.h"
#include "vm.h"

static int dev_fd = -1;

const char *kvm_path(void)
{
	const char *path = getenv("VMX_DEV");

	return path && *path ? path : "/dev/vmx";
}

int kvm_fd(void)
{
	if (dev_fd >= 0)
		return dev_fd;

	dev_fd = open(kvm_path(), O_RDWR | O_CLOEXEC);
	if (dev_fd < 0) {
		/* Like the kernel's selftests: no device means skip. */
		if (errno == ENOENT)
			tap_skip_all("%s not present", kvm_path());
		tap_bail("open %s: %s", kvm_path(), errno_name(errno));
	}
	return dev_fd;
}

int kvm_check_cap(long cap)
{
	int r = ioctl(kvm_fd(), KVM_CHECK_EXTENSION, cap);

	if (r < 0)
		tap_bail("KVM_CHECK_EXTENSION(%ld): %s", cap,
			 errno_name(errno));
	return r;
}

int kvm_vcpu_mmap_size(void)
{
	int r = ioctl(kvm_fd(), KVM_GET_VCPU_MMAP_SIZE, 0);

	if (r < 0)
		tap_bail("KVM_GET_VCPU_MMAP_SIZE: %s", errno_name(errno));
	return r;
}

struct vm *vm_create(void)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		tap_bail("out of memory");
	vm->fd = ioctl(kvm_fd(), KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		tap_bail("KVM_CREATE_VM: %s", errno_name(errno));
	return vm;
}

void vm_free(struct vm *vm)
{
	unsigned int i;

	if (!vm)
		return;
	close(vm->fd);
	/* Unmap only after the VM is gone: it may still map the pages. */
	for (i = 0; i < vm->nr_regions; i++)
		munmap(vm->regions[i].hva, vm->regions[i].size);
	free(vm);
}

int vm_set_region(struct vm *vm, uint32_t slot, uint32_t flags,
		  uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
}

void *vm_add_memory(struct vm *vm, uint32_t slot, uint64_t gpa,
		    uint64_t size)
{
	struct vm_region *reg;
	void *hva;

	if (vm->nr_regions == VM_MAX_REGIONS)
		tap_bail("too many memory regions");
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (hva == MAP_FAILED)
		tap_bail("mmap %#llx bytes: %s", (unsigned long long)size,
			 errno_name(errno));
	if (vm_set_region(vm, slot, 0, gpa, size, hva))
		tap_bail("KVM_SET_USER_MEMORY_REGION slot %u gpa %#llx: %s",
			 slot, (unsigned long long)gpa,
			 errno_name(errno));

	reg = &vm->regions[vm->nr_regions++];
	reg->slot = slot;
	reg->gpa = gpa;
	reg->size = size;
	reg->hva = hva;
	return hva;
}

void *vm_hva(struct vm *vm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < vm->nr_regions; i++) {
		struct vm_region *reg = &vm->regions[i];

		if (gpa >= reg->gpa && gpa - reg->gpa < reg->size)
			return (char *)reg->hva + (gpa - reg->gpa);
	}
	tap_bail("no memory region holds gpa %#llx",
		 (unsigned long long)gpa);
}

struct vcpu *vcpu_create(struct vm *vm, uint32_t id)
{
	struct vcpu *vcpu = calloc(1, sizeof(*vcpu));

	if (!vcpu)
		tap_bail("out of memory");
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (vcpu->fd < 0)
		tap_bail("KVM_CREATE_VCPU %u: %s", id, errno_name(errno));

	vcpu->run_size = kvm_vcpu_mmap_size();
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED)
		tap_bail("mmap vcpu %u: %s", id, errno_name(errno));
	return vcpu;
}

void vcpu_free(struct vcpu *vcpu)
{
	if (!vcpu)
		return;
	munmap(vcpu->run, vcpu->run_size);
	close(vcpu->fd);
	free(vcpu);
}

int vcpu_run(struct vcpu *vcpu)
{
	return ioctl(vcpu->fd, KVM_RUN, 0);
}

#define VCPU_IOCTL_OR_BAIL(vcpu, req, arg)				\
	do {								\
		if (ioctl((vcpu)->fd, req, arg) < 0)			\
			tap_bail("%s: %s", #req,			\
				 errno_name(errno));		\
	} while (0)

void vcpu_get_regs(struct vcpu *vcpu, struct kvm_regs *regs)
{
	VCPU_IOCTL_OR_BAIL(vcpu, KVM_GET_REGS, regs);
}

void vcpu_set_regs(struct vcpu *vcpu, const struct kvm_regs *regs)
{
	VCPU_IOCTL_OR_BAIL(vcpu, KVM_SET_REGS, regs);
}

void vcpu_get_sregs(struct vcpu *vcpu, struct kvm_sregs *sregs)
{
	VCPU_IOCTL_OR_BAIL(vcpu, KVM_GET_SREGS, sregs);
}

void vcpu_set_sregs(struct vcpu *vcpu, const struct kvm_sregs *sregs)
{
	VCPU_IOCTL_OR_BAIL(vcpu, KVM_SET_SREGS, sregs);
}

uint64_t vcpu_get_rip(struct vcpu *vcpu)
{
	struct kvm_regs regs;

	vcpu_get_regs(vcpu, &regs);
	return regs.rip;
}

struct msr_buf {
	struct kvm_msrs hdr;
	struct kvm_msr_entry entry;
};

uint64_t vcpu_get_msr(struct vcpu *vcpu, uint32_t index)
{
	struct msr_buf buf = {
		.hdr.nmsrs = 1,
		.entry.index = index,
	};
	int r = ioctl(vcpu->fd, KVM_GET_MSRS, &buf);

	/* KVM_GET_MSRS returns the number of MSRs it processed. */
	if (r != 1)
		tap_bail("KVM_GET_MSRS %#x: returned %d (%s)", index, r,
			 r < 0 ? errno_name(errno) : "short");
	return buf.entry.data;
}

void vcpu_set_msr(struct vcpu *vcpu, uint32_t index, uint64_t value)
{
	struct msr_buf buf = {
		.hdr.nmsrs = 1,
		.entry.index = index,
		.entry.data = value,
	};
	int r = ioctl(vcpu->fd, KVM_SET_MSRS, &buf);

	if (r != 1)
		tap_bail("KVM_SET_MSRS %#x: returned %d (%s)", index, r,
			 r < 0 ? errno_name(errno) : "short");
}

void *vcpu_io_data(struct vcpu *vcpu)
{
	return (char *)vcpu->run + vcpu->run->io.data_offset;
}
