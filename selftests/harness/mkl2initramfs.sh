#!/usr/bin/env bash
# Build the initramfs of the L2 guest that vmx-run boots inside L1
# (vmxrun_test): static busybox, applet links, /init = l2-init.sh.
# usage: mkl2initramfs.sh OUT [BUSYBOX]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: $0 OUT [BUSYBOX]}
busybox=${2:-/bin/busybox}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp}
cp "$busybox" "$root/bin/busybox"
for a in $("$busybox" --list); do
	[[ $a == busybox ]] || ln -s busybox "$root/bin/$a"
done
for a in poweroff reboot halt; do
	ln -s ../bin/busybox "$root/sbin/$a"
done
install -m 0755 "$here/l2-init.sh" "$root/init"
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
