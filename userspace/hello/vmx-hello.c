// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-hello: the smallest complete monitor.  Creates a VM on /dev/vmx (or
 * the device given), runs a real-mode guest that prints a greeting over
 * port 0x3f8, copies what it writes to stdout, and exits when it halts.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_MEM	0x10000
#define GUEST_ENTRY	0x1000
#define COM1		0x3f8

extern const unsigned char hello_guest_start[], hello_guest_end[];

static void die(const char *what)
{
	fprintf(stderr, "vmx-hello: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/vmx";
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int sys, vm, vcpu, size, exits = 0;
	void *mem;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: vmx-hello [DEVICE]   (default /dev/vmx)\n");
		return 2;
	}
	sys = open(dev, O_RDWR | O_CLOEXEC);
	if (sys < 0)
		die(dev);
	if (ioctl(sys, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, "vmx-hello: %s: unexpected API version\n", dev);
		return 1;
	}
	vm = ioctl(sys, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");

	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	memcpy((char *)mem + GUEST_ENTRY, hello_guest_start,
	       hello_guest_end - hello_guest_start);
	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0, .memory_size = GUEST_MEM,
		.userspace_addr = (unsigned long)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION");

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	size = ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(*run))
		die("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap vcpu");

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs))
		die("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs))
		die("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_ENTRY;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs))
		die("KVM_SET_REGS");

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			die("KVM_RUN");
		exits++;
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.port == COM1 &&
			    run->io.direction == KVM_EXIT_IO_OUT) {
				fwrite((char *)run + run->io.data_offset,
				       run->io.size, run->io.count, stdout);
				fflush(stdout);
				continue;
			}
			fprintf(stderr, "vmx-hello: unexpected I/O port 0x%x\n",
				run->io.port);
			return 1;
		case KVM_EXIT_HLT:
			fprintf(stderr, "vmx-hello: guest halted after %d exits\n",
				exits);
			return 0;
		default:
			fprintf(stderr, "vmx-hello: unexpected exit reason %u\n",
				run->exit_reason);
			return 1;
		}
	}
}
