// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <sys/ioctl.h>

#include "check.h"
#include "names.h"
#include "tap.h"

static bool fail(void)
{
	tap_case_fail();
	return false;
}

bool check_eq(int line, const char *expr, uint64_t got, uint64_t want)
{
	if (got == want)
		return true;
	tap_diag("line %d: %s: got %#llx (%llu), want %#llx (%llu)", line,
		 expr, (unsigned long long)got, (unsigned long long)got,
		 (unsigned long long)want, (unsigned long long)want);
	return fail();
}

bool check_true(int line, const char *expr, bool cond)
{
	if (cond)
		return true;
	tap_diag("line %d: %s: false", line, expr);
	return fail();
}

bool check_errno(int line, const char *expr, long ret, int err, int want)
{
	if (ret == -1 && err == want)
		return true;
	if (ret == -1)
		tap_diag("line %d: %s: failed with %s, want %s", line, expr,
			 errno_name(err), errno_name(want));
	else
		tap_diag("line %d: %s: returned %ld, want -1 with %s", line,
			 expr, ret, errno_name(want));
	return fail();
}

bool check_success(int line, const char *expr, long ret, int err)
{
	if (ret >= 0)
		return true;
	tap_diag("line %d: %s: returned %ld with %s, want success", line,
		 expr, ret, errno_name(err));
	return fail();
}

void describe_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct kvm_regs regs;

	tap_diag("  exit %s (%u)", exit_reason_name(run->exit_reason),
		 run->exit_reason);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		tap_diag("  io: %s port %#x size %u count %u",
			 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
			 run->io.port, run->io.size, run->io.count);
		break;
	case KVM_EXIT_MMIO:
		tap_diag("  mmio: %s addr %#llx len %u",
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr,
			 run->mmio.len);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		tap_diag("  hardware_entry_failure_reason %#llx",
			 (unsigned long long)
			 run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		tap_diag("  internal error suberror %u ndata %u",
			 run->internal.suberror, run->internal.ndata);
		break;
	case KVM_EXIT_UNKNOWN:
		tap_diag("  hardware_exit_reason %#llx",
			 (unsigned long long)run->hw.hardware_exit_reason);
		break;
	}
	/* Not vcpu_get_regs(): a broken vCPU must not bail out the test. */
	if (ioctl(vcpu->fd, KVM_GET_REGS, &regs) == 0)
		tap_diag("  rip %#llx rax %#llx rcx %#llx rdx %#llx",
			 (unsigned long long)regs.rip,
			 (unsigned long long)regs.rax,
			 (unsigned long long)regs.rcx,
			 (unsigned long long)regs.rdx);
}

bool check_exit(int line, struct vcpu *vcpu, uint32_t want)
{
	uint32_t got = vcpu->run->exit_reason;

	if (got == want)
		return true;
	tap_diag("line %d: exit reason %s (%u), want %s (%u)", line,
		 exit_reason_name(got), got, exit_reason_name(want), want);
	describe_exit(vcpu);
	return fail();
}

bool check_run(int line, struct vcpu *vcpu, uint32_t want)
{
	int r = vcpu_run(vcpu);

	if (r != 0) {
		tap_diag("line %d: KVM_RUN returned %d (%s), want exit %s",
			 line, r, errno_name(errno), exit_reason_name(want));
		return fail();
	}
	return check_exit(line, vcpu, want);
}

bool check_run_io(int line, struct vcpu *vcpu, uint8_t direction,
		  uint8_t size, uint16_t port, uint32_t count)
{
	struct kvm_run *run = vcpu->run;

	if (!check_run(line, vcpu, KVM_EXIT_IO))
		return false;
	if (run->io.direction == direction && run->io.size == size &&
	    run->io.port == port && run->io.count == count)
		return true;
	tap_diag("line %d: io %s port %#x size %u count %u, want %s port %#x size %u count %u",
		 line, run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
		 run->io.port, run->io.size, run->io.count,
		 direction == KVM_EXIT_IO_OUT ? "out" : "in", port, size,
		 count);
	return fail();
}

bool check_run_mmio(int line, struct vcpu *vcpu, uint64_t addr,
		    uint32_t len, bool is_write)
{
	struct kvm_run *run = vcpu->run;

	if (!check_run(line, vcpu, KVM_EXIT_MMIO))
		return false;
	if (run->mmio.phys_addr == addr && run->mmio.len == len &&
	    !!run->mmio.is_write == is_write)
		return true;
	tap_diag("line %d: mmio %s addr %#llx len %u, want %s addr %#llx len %u",
		 line, run->mmio.is_write ? "write" : "read",
		 (unsigned long long)run->mmio.phys_addr, run->mmio.len,
		 is_write ? "write" : "read", (unsigned long long)addr, len);
	return fail();
}
