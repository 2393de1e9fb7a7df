# SPDX-License-Identifier: GPL-2.0
# vmx: build the module, the user-space tools and the selftests; run tests.
#
#   make            build everything
#   make setup      install the Debian packages everything needs (root/sudo)
#   make run        boot a demo guest on /dev/vmx (nested in QEMU if needed)
#   make check      run every test (nested, QEMU TCG with AMD SVM)
#   make bench      exit round-trip benchmarks, vmx.ko against KVM

# Build against the running kernel's headers, else the newest installed.
KVER ?= $(shell selftests/harness/kver.sh 2>/dev/null || uname -r)
KDIR ?= $(if $(wildcard /lib/modules/$(shell uname -r)/build),/lib/modules/$(shell uname -r)/build,/lib/modules/$(KVER)/build)

.PHONY: all kmod userspace selftests setup run check bench clean checkpatch

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

check: all
	$(MAKE) -C selftests/unit run
	selftests/harness/run-checks.sh

bench: all
	selftests/bench/run-bench.sh

checkpatch:
	$(KDIR)/scripts/checkpatch.pl --no-tree --terse -f kmod/*.[ch] kmod/amd/*.[ch]

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
