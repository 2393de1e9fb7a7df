// SPDX-License-Identifier: GPL-2.0
/* vCPUs: creation, CPUID, LAPIC LINT setup, one thread each, exit dispatch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "core.h"

#define CPUID_MAX_ENTRIES	256
#define CPUID_1_ECX_TSC_DEADLINE	(1u << 24)
#define CPUID_1_EDX_HTT		(1u << 28)

static struct kvm_cpuid2 *supported_cpuid(struct vm *vm)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + CPUID_MAX_ENTRIES * sizeof(c->entries[0]));
	if (!c)
		return NULL;
	c->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vm->dev_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		mon_log("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		free(c);
		return NULL;
	}
	return c;
}

/* Give vCPU id its own APIC id (= id) in leaves 1 and 0xB. */
static int set_cpuid(struct vcpu *vcpu, const struct kvm_cpuid2 *sup,
		     bool deadline)
{
	size_t sz = sizeof(*sup) + sup->nent * sizeof(sup->entries[0]);
	struct kvm_cpuid2 *c = malloc(sz);
	uint32_t n = vcpu->vm->nr_vcpus, i;
	int r;

	if (!c)
		return -1;
	memcpy(c, sup, sz);
	for (i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 1) {
			e->ebx = (e->ebx & 0xffff) | (n << 16) |
				 ((uint32_t)vcpu->id << 24);
			if (n > 1)
				e->edx |= CPUID_1_EDX_HTT;
			if (deadline)
				e->ecx |= CPUID_1_ECX_TSC_DEADLINE;
		} else if (e->function == 0xb) {
			e->edx = vcpu->id;
		}
	}
	r = ioctl(vcpu->fd, KVM_SET_CPUID2, c);
	if (r < 0)
		mon_log("KVM_SET_CPUID2: %s", strerror(errno));
	free(c);
	return r;
}

/* As firmware leaves it: LINT0 ExtINT (virtual wire to the PIC), LINT1 NMI. */
static void set_lint(struct vcpu *vcpu)
{
	struct kvm_lapic_state l;
	uint32_t *lvt0 = (uint32_t *)&l.regs[0x350];
	uint32_t *lvt1 = (uint32_t *)&l.regs[0x360];

	if (ioctl(vcpu->fd, KVM_GET_LAPIC, &l) < 0) {
		mon_log("KVM_GET_LAPIC: %s (LINT left as reset)", strerror(errno));
		return;
	}
	*lvt0 = (*lvt0 & ~0x10700u) | 0x700;	/* unmasked, ExtINT */
	*lvt1 = (*lvt1 & ~0x10700u) | 0x400;	/* unmasked, NMI */
	if (ioctl(vcpu->fd, KVM_SET_LAPIC, &l) < 0)
		mon_log("KVM_SET_LAPIC: %s (LINT left as reset)", strerror(errno));
}

int vcpus_create(struct vm *vm)
{
	struct kvm_cpuid2 *sup;
	bool deadline;
	int i, sz;

	sz = ioctl(vm->dev_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		mon_log("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -1;
	}
	vm->run_size = sz;
	sup = supported_cpuid(vm);
	if (!sup)
		return -1;
	deadline = vm_check_cap(vm, KVM_CAP_TSC_DEADLINE_TIMER);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, i);
		if (v->fd < 0) {
			mon_log("KVM_CREATE_VCPU %d: %s", i, strerror(errno));
			break;
		}
		v->run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED,
			      v->fd, 0);
		if (v->run == MAP_FAILED) {
			mon_log("mmap vcpu %d: %s", i, strerror(errno));
			break;
		}
		if (set_cpuid(v, sup, deadline))
			break;
		set_lint(v);
	}
	free(sup);
	return i == vm->nr_vcpus ? 0 : -1;
}

static void dump_regs(struct vcpu *v)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(v->fd, KVM_GET_REGS, &r) || ioctl(v->fd, KVM_GET_SREGS, &s))
		return;
	mon_log("vcpu %d: rip %#llx rsp %#llx rax %#llx cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx",
		v->id, r.rip, r.rsp, r.rax, s.cr0, s.cr3, s.cr4, s.efer);
}

static void handle_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t *p = (uint8_t *)run + run->io.data_offset;
	uint32_t i;

	for (i = 0; i < run->io.count; i++, p += run->io.size)
		io_dispatch(v->vm, IO_PIO, run->io.port, p, run->io.size,
			    run->io.direction == KVM_EXIT_IO_OUT);
}

/*
 * What the hypervisor says about an internal error: for an emulation
 * failure the faulting address and the instruction bytes, which is what
 * one needs to find the instruction it could not handle.
 */
static void log_internal(struct vcpu *v, struct kvm_run *run)
{
	char line[16 * 19 + 1];
	unsigned int i, n = run->internal.ndata;
	int len = 0;

	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++)
		len += snprintf(line + len, sizeof(line) - len, " %#llx",
				(unsigned long long)run->internal.data[i]);
	if (n)
		mon_log("vcpu %d: internal error data:%s", v->id, line);
}

/* Returns false when the vCPU must stop. */
static bool handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	char msg[96];

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(v);
		return true;
	case KVM_EXIT_MMIO:
		io_dispatch(v->vm, IO_MMIO, run->mmio.phys_addr, run->mmio.data,
			    run->mmio.len, run->mmio.is_write);
		return true;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_SHUTDOWN:
		mon_log("vcpu %d: triple fault (shutdown)", v->id);
		vm_request_reset(v->vm, "triple fault");
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		if (run->system_event.type == KVM_SYSTEM_EVENT_RESET)
			vm_request_reset(v->vm, "system event");
		else
			vm_request_exit(v->vm, 0);
		return false;
	case KVM_EXIT_HLT:
		/* With the in-kernel LAPIC HLT stays in the kernel. */
		snprintf(msg, sizeof(msg), "vcpu %d: HLT exit", v->id);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(msg, sizeof(msg), "vcpu %d: entry failed, reason %#llx",
			 v->id, (unsigned long long)
			 run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(msg, sizeof(msg), "vcpu %d: internal error, suberror %u",
			 v->id, run->internal.suberror);
		log_internal(v, run);
		break;
	default:
		snprintf(msg, sizeof(msg), "vcpu %d: unexpected exit reason %u",
			 v->id, run->exit_reason);
		break;
	}
	dump_regs(v);
	vm_fail(v->vm, msg);
	return false;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	char msg[64];

	for (;;) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(msg, sizeof(msg), "vcpu %d: KVM_RUN: %s",
				 v->id, strerror(errno));
			dump_regs(v);
			vm_fail(v->vm, msg);
			return NULL;
		}
		if (!handle_exit(v))
			return NULL;
	}
}

int vcpus_start(struct vm *vm)
{
	int i, r;

	for (i = 0; i < vm->nr_vcpus; i++) {
		r = pthread_create(&vm->vcpus[i].thread, NULL, vcpu_thread,
				   &vm->vcpus[i]);
		if (r) {
			mon_log("pthread_create: %s", strerror(r));
			return -1;
		}
	}
	return 0;
}
