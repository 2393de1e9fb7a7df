#!/usr/bin/env bash
# Lay out this machine's qemu-system-x86_64 under DIR as it must sit in the
# L1 initramfs (mkinitramfs.sh --tree DIR), for bench_l2boot --qemu: the
# binary, every shared library ldd names (copied as files at the paths ldd
# gives, the loader at its PT_INTERP path), and the firmware that machine
# pc with qboot and -kernel needs. Prints DIR's size.
# usage: qemu-tree.sh DIR
set -euo pipefail

dir=${1:?usage: $0 DIR}
qemu=$(command -v qemu-system-x86_64) ||
	{ echo "qemu-tree: no qemu-system-x86_64" >&2; exit 1; }
# qboot: the firmware; linuxboot_dma: loads -kernel through fw_cfg;
# kvmvapic: the pc machine's APIC option ROM, asked for under KVM.
firmware="qboot.rom linuxboot_dma.bin kvmvapic.bin"

mkdir -p "$dir/usr/bin" "$dir/usr/share/qemu"
cp -L "$qemu" "$dir/usr/bin/qemu-system-x86_64"
ldd "$qemu" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
while read -r lib; do
	mkdir -p "$dir/${lib%/*}"
	cp -L "$lib" "$dir/$lib"
done
for f in $firmware; do
	src=/usr/share/qemu/$f
	[[ -r $src ]] || { echo "qemu-tree: no $src" >&2; exit 1; }
	cp -L "$src" "$dir/usr/share/qemu/$f"
done
echo "qemu-tree: $(du -sh "$dir" | cut -f1) in $dir" >&2
