# SPDX-License-Identifier: GPL-2.0
# vmx: build the module, the user-space tools and the selftests; run tests.
#
#   make            build everything
#   make setup      install the Debian packages everything needs (root/sudo)
#   make run        boot a demo guest on /dev/vmx (nested in QEMU if needed)
#   make check      run every test (nested, QEMU TCG with AMD SVM)
#   make bench      benchmarks (exit round trips, L2 boot and virtio-blk),
#                   vmx.ko against KVM and QEMU

# Build against the running kernel's headers, else the newest installed.
KVER ?= $(shell selftests/harness/kver.sh 2>/dev/null || uname -r)
KDIR ?= $(if $(wildcard /lib/modules/$(shell uname -r)/build),/lib/modules/$(shell uname -r)/build,/lib/modules/$(KVER)/build)

.PHONY: all kmod l1-kmod userspace selftests setup run check bench clean checkpatch

all: kmod userspace selftests

kmod:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

selftests:
	$(MAKE) -C selftests

setup:
	selftests/harness/setup.sh

run: all
	selftests/harness/run-demo.sh

# The nested runs boot Debian's kernel $(KVER): the module must match it.
l1-kmod:
	$(MAKE) kmod KDIR=/lib/modules/$(KVER)/build

check: userspace selftests l1-kmod
	$(MAKE) -C selftests/unit
	selftests/harness/run-checks.sh

bench: userspace selftests l1-kmod
	selftests/bench/run-bench.sh

# Debian's headers lack checkpatch.pl; the conformance build unpacks it.
CHECKPATCH ?= $(firstword $(wildcard $(KDIR)/scripts/checkpatch.pl \
	selftests/build/kvm-conformance/src/linux-source-6.1/scripts/checkpatch.pl))
checkpatch:
	@test -n "$(CHECKPATCH)" || { echo "no checkpatch.pl: run 'make check' once or set CHECKPATCH"; exit 1; }
	$(CHECKPATCH) --no-tree --terse -f kmod/*.[ch] kmod/amd/*.[chS] kmod/intel/*.[chS]

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
