#!/usr/bin/env bash
# Build the initramfs of the L2 guest that vmx-run boots inside L1
# (vmxrun_test): static busybox, applet links, /init = l2-init.sh, and the
# virtio modules of kernel KVER (the L2 guest boots the L1 kernel) copied
# flat to /lib/modules with "order" listing them dependencies first, so
# /init can insmod them without modprobe.
# usage: mkl2initramfs.sh [--init FILE] [--modules "NAME..."]
#                         OUT [BUSYBOX [KVER]]
#   --init     another /init (the benchmarks' l2-bench-init.sh)
#   --modules  the modules to copy (default: virtio_pci virtio_blk
#              virtio_net virtio_rng virtio_console)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
init=$here/l2-init.sh
modules="virtio_pci virtio_blk virtio_net virtio_rng virtio_console"
while [[ $# -gt 0 ]]; do
	case $1 in
	--init) init=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	*) break ;;
	esac
done
out=${1:?usage: $0 [--init FILE] [--modules LIST] OUT [BUSYBOX [KVER]]}
busybox=${2:-/bin/busybox}
kver=${3:-$("$here/kver.sh")}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules}
cp "$busybox" "$root/bin/busybox"
for a in $("$busybox" --list); do
	[[ $a == busybox ]] || ln -s busybox "$root/bin/$a"
done
for a in poweroff reboot halt; do
	ln -s ../bin/busybox "$root/sbin/$a"
done

# Depth first, dependencies before the module; built-in ones are skipped
# (modinfo fails for them), /init reports what is missing.
declare -A seen=()
add_module() {
	local name=${1//-/_} file d
	[[ -z ${seen[$name]:-} ]] || return 0
	seen[$name]=1
	file=$(modinfo -k "$kver" -F filename "$name" 2>/dev/null) || return 0
	[[ $file == /* ]] || return 0	# "(builtin)"
	for d in $(modinfo -k "$kver" -F depends "$name" | tr ',' ' '); do
		add_module "$d"
	done
	case $file in
	*.ko) cp "$file" "$root/lib/modules/$name.ko" ;;
	*.ko.xz) xz -dc "$file" >"$root/lib/modules/$name.ko" ;;
	*.ko.zst) zstd -qdc "$file" >"$root/lib/modules/$name.ko" ;;
	*.ko.gz) gzip -dc "$file" >"$root/lib/modules/$name.ko" ;;
	*) echo "mkl2initramfs: odd module file $file" >&2; exit 1 ;;
	esac
	echo "$name" >>"$root/lib/modules/order"
}
for m in $modules; do
	add_module "$m"
done
touch "$root/lib/modules/order"

install -m 0755 "$init" "$root/init"
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
