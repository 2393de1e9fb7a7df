#!/usr/bin/env bash
# Install every Debian package the vmx project needs to build the module,
# the user space, the selftests and to run them nested (QEMU TCG for SVM,
# Bochs for VMX). Idempotent: when everything is present it touches
# nothing (no apt-get update), so CI pays for the network only once.
set -euo pipefail

pkgs=(
	# build
	build-essential gcc make libc6-dev bc flex bison libelf-dev
	rsync xz-utils kmod cpio
	# iasl compiles vmx-run's DSDT; acpiexec checks it (unit acpi_test)
	acpica-tools
	# the L1 kernel (boot image + matching headers) and its source, whose
	# tools/testing/selftests/kvm is our conformance suite
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	# initramfs and emulators
	busybox-static qemu-system-x86
	bochs bochsbios vgabios bochs-term
	isolinux syslinux-common xorriso
)

as_root=()
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null || { echo "setup.sh: need root or sudo" >&2; exit 1; }
	as_root=(sudo)
fi

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $st == installed ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
	echo "setup.sh: all ${#pkgs[@]} packages already installed"
else
	echo "setup.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
fi

# The meta-packages must leave us a kernel with matching headers.
kver=$("$(dirname "$0")/kver.sh")
echo "setup.sh: L1 kernel $kver"
