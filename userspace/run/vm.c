// SPDX-License-Identifier: GPL-2.0
/* The VM: device fd, memory, in-kernel irqchip and PIT, GSI routing, exit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "core.h"

/* Below the IOAPIC, like everyone else puts them (VT-x real-mode helpers). */
#define TSS_ADDR	0xfffbd000ULL
#define IDENTITY_ADDR	0xfffbc000ULL
/* First GSI handed out for MSI routes: after the IOAPIC's 24 pins. */
#define FIRST_MSI_GSI	24

int vm_fd(struct vm *vm) { return vm->fd; }
int vm_nr_vcpus(struct vm *vm) { return vm->nr_vcpus; }
uint64_t vm_mem_size(struct vm *vm) { return vm->low_size + vm->high_size; }

int vm_check_cap(struct vm *vm, long cap)
{
	int r = ioctl(vm->fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

void *gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	if (end < gpa)
		return NULL;
	if (end <= vm->low_size)
		return vm->low_mem + gpa;
	if (gpa >= HIGH_RAM_BASE && end <= HIGH_RAM_BASE + vm->high_size)
		return vm->high_mem + (gpa - HIGH_RAM_BASE);
	return NULL;
}

static int add_slot(struct vm *vm, int slot, uint64_t gpa, uint64_t size,
		    uint8_t **mem)
{
	struct kvm_userspace_memory_region r = { 0 };

	*mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (*mem == MAP_FAILED) {
		mon_log("cannot allocate %llu MiB of guest memory: %s",
			(unsigned long long)(size >> 20), strerror(errno));
		return -errno;
	}
	madvise(*mem, size, MADV_HUGEPAGE);
	r.slot = slot;
	r.guest_phys_addr = gpa;
	r.memory_size = size;
	r.userspace_addr = (uintptr_t)*mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		mon_log("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int set_routes_locked(struct vm *vm)
{
	size_t sz = sizeof(struct kvm_irq_routing) +
		    vm->nr_routes * sizeof(struct kvm_irq_routing_entry);
	struct kvm_irq_routing *t = calloc(1, sz);
	int r;

	if (!t)
		return -ENOMEM;
	t->nr = vm->nr_routes;
	memcpy(t->entries, vm->routes, vm->nr_routes * sizeof(vm->routes[0]));
	r = ioctl(vm->fd, KVM_SET_GSI_ROUTING, t) < 0 ? -errno : 0;
	free(t);
	return r;
}

/* The table KVM starts with: 0-15 PIC and IOAPIC, 16-23 IOAPIC only. */
static void default_routes(struct vm *vm)
{
	struct kvm_irq_routing_entry *e;
	uint32_t gsi;

	for (gsi = 0; gsi < 24; gsi++) {
		if (gsi < 16) {
			e = &vm->routes[vm->nr_routes++];
			e->gsi = gsi;
			e->type = KVM_IRQ_ROUTING_IRQCHIP;
			e->u.irqchip.irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
							 KVM_IRQCHIP_PIC_SLAVE;
			e->u.irqchip.pin = gsi % 8;
		}
		e = &vm->routes[vm->nr_routes++];
		e->gsi = gsi;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		e->u.irqchip.pin = gsi;
	}
	vm->next_msi_gsi = FIRST_MSI_GSI;
}

static void msi_entry(struct kvm_irq_routing_entry *e, int gsi,
		      uint64_t addr, uint32_t data)
{
	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = (uint32_t)addr;
	e->u.msi.address_hi = addr >> 32;
	e->u.msi.data = data;
}

int vm_msi_route_add(struct vm *vm, uint64_t addr, uint32_t data)
{
	int gsi, r;

	pthread_mutex_lock(&vm->route_lock);
	if (vm->nr_routes == MAX_ROUTES) {
		pthread_mutex_unlock(&vm->route_lock);
		return -ENOSPC;
	}
	gsi = vm->next_msi_gsi;
	msi_entry(&vm->routes[vm->nr_routes++], gsi, addr, data);
	r = set_routes_locked(vm);
	if (r)
		vm->nr_routes--;
	else
		vm->next_msi_gsi++;
	pthread_mutex_unlock(&vm->route_lock);
	return r ? r : gsi;
}

int vm_msi_route_update(struct vm *vm, int gsi, uint64_t addr, uint32_t data)
{
	struct kvm_irq_routing_entry old;
	int i, r = -ENOENT;

	pthread_mutex_lock(&vm->route_lock);
	for (i = 0; i < vm->nr_routes; i++) {
		if ((int)vm->routes[i].gsi != gsi ||
		    vm->routes[i].type != KVM_IRQ_ROUTING_MSI)
			continue;
		old = vm->routes[i];
		msi_entry(&vm->routes[i], gsi, addr, data);
		r = set_routes_locked(vm);
		if (r)
			vm->routes[i] = old;
		break;
	}
	pthread_mutex_unlock(&vm->route_lock);
	return r;
}

int vm_irq_line(struct vm *vm, uint32_t gsi, int level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	return ioctl(vm->fd, KVM_IRQ_LINE, &l) < 0 ? -errno : 0;
}

int vm_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	struct kvm_msi m = {
		.address_lo = (uint32_t)addr,
		.address_hi = addr >> 32,
		.data = data,
	};

	return ioctl(vm->fd, KVM_SIGNAL_MSI, &m) < 0 ? -errno : 0;
}

static void request(struct vm *vm, int code, bool reset)
{
	pthread_mutex_lock(&vm->exit_lock);
	if (!vm->exiting) {
		vm->exiting = true;
		vm->reset = reset;
		vm->exit_code = code;
		pthread_cond_signal(&vm->exit_cond);
	}
	pthread_mutex_unlock(&vm->exit_lock);
}

void vm_request_exit(struct vm *vm, int code)
{
	request(vm, code < 0 ? 0 : code & 0xff, false);
}

/* main() decides: boot again, or exit 0 under --no-reboot. */
void vm_request_reset(struct vm *vm, const char *why)
{
	mon_log("guest reset (%s)", why);
	request(vm, 0, true);
}

void vm_fail(struct vm *vm, const char *why)
{
	mon_log("fatal: %s", why);
	request(vm, EXIT_FAILURE_VM, false);
}

int vm_wait_exit(struct vm *vm)
{
	int code;

	pthread_mutex_lock(&vm->exit_lock);
	while (!vm->exiting)
		pthread_cond_wait(&vm->exit_cond, &vm->exit_lock);
	code = vm->exit_code;
	pthread_mutex_unlock(&vm->exit_lock);
	return code;
}

static int vm_ioctl(struct vm *vm, unsigned long req, void *arg, const char *name)
{
	if (ioctl(vm->fd, req, arg) < 0) {
		mon_log("%s on %s: %s", name, vm->dev, strerror(errno));
		return -1;
	}
	return 0;
}

int vm_create(struct vm *vm, const char *dev, uint64_t mem, int cpus)
{
	struct kvm_pit_config pit = { .flags = 0 };
	uint64_t addr;
	int v;

	pthread_mutex_init(&vm->route_lock, NULL);
	pthread_mutex_init(&vm->exit_lock, NULL);
	pthread_cond_init(&vm->exit_cond, NULL);
	vm->dev = dev;
	vm->nr_vcpus = cpus;
	vm->dev_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (vm->dev_fd < 0) {
		mon_log("cannot open %s: %s", dev, strerror(errno));
		return -1;
	}
	v = ioctl(vm->dev_fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		mon_log("%s: API version %d, need %d", dev, v, KVM_API_VERSION);
		return -1;
	}
	vm->fd = ioctl(vm->dev_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		mon_log("KVM_CREATE_VM on %s: %s", dev, strerror(errno));
		return -1;
	}
	if (vm_check_cap(vm, KVM_CAP_SET_TSS_ADDR) &&
	    ioctl(vm->fd, KVM_SET_TSS_ADDR, (unsigned long)TSS_ADDR) < 0)
		mon_log("KVM_SET_TSS_ADDR: %s (ignored)", strerror(errno));
	addr = IDENTITY_ADDR;
	if (vm_check_cap(vm, KVM_CAP_SET_IDENTITY_MAP_ADDR) &&
	    ioctl(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &addr) < 0)
		mon_log("KVM_SET_IDENTITY_MAP_ADDR: %s (ignored)", strerror(errno));
	if (vm_ioctl(vm, KVM_CREATE_IRQCHIP, NULL, "KVM_CREATE_IRQCHIP") ||
	    vm_ioctl(vm, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2"))
		return -1;
	default_routes(vm);

	vm->low_size = mem < LOW_RAM_MAX ? mem : LOW_RAM_MAX;
	vm->high_size = mem - vm->low_size;
	if (add_slot(vm, 0, 0, vm->low_size, &vm->low_mem))
		return -1;
	if (vm->high_size &&
	    add_slot(vm, 1, HIGH_RAM_BASE, vm->high_size, &vm->high_mem))
		return -1;
	return 0;
}
