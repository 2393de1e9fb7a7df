#!/usr/bin/env bash
# Take the kernel ELF (vmlinux) out of a bzImage: the setup header's
# payload_offset/payload_length (x86 boot protocol 2.08+,
# Documentation/x86/boot.rst) locate the compressed vmlinux; xz, gzip or
# zstd undo it. Used by flat-kernel.sh (Bochs) and mkinitramfs.sh (the
# ELF boot of vmxrun_loader_test).
#
# usage: extract-vmlinux.sh BZIMAGE OUT
set -euo pipefail

[[ $# -eq 2 && -r $1 ]] || { echo "usage: $0 BZIMAGE OUT" >&2; exit 2; }
in=$1 out=$2
die() { echo "extract-vmlinux: $*" >&2; exit 1; }
get() { od -An -tu"$2" -j "$1" -N "$2" "$in" | tr -d ' '; }

[[ $(od -An -c -j 0x202 -N 4 "$in" | tr -d ' ') == HdrS ]] || die "$in: not a bzImage"
version=$(get 0x206 2)
((version >= 0x208)) || die "$in: boot protocol $version too old (no payload fields)"
setup_sects=$(get 0x1f1 1)
((setup_sects)) || setup_sects=4
pm=$(((setup_sects + 1) * 512))
poff=$(get 0x248 4) plen=$(get 0x24c 4)

tmp=$out.tmp.$$
trap 'rm -f "$tmp" "$tmp.z"' EXIT
dd if="$in" of="$tmp.z" bs=4M iflag=skip_bytes,count_bytes \
	skip=$((pm + poff)) count="$plen" status=none
magic=$(od -An -tx1 -N 4 "$tmp.z" | tr -d ' ')
case $magic in
fd377a58) xz -dc --single-stream "$tmp.z" >"$tmp" ;;
# gzip complains about the relocation table behind the stream.
1f8b*) gzip -dc "$tmp.z" >"$tmp" 2>/dev/null || true ;;
28b52ffd) zstd -qdc "$tmp.z" >"$tmp" ;;
*) die "$in: payload compression with magic $magic not handled" ;;
esac
readelf -h "$tmp" 2>/dev/null | grep -q 'Machine: *Advanced Micro Devices X86-64' ||
	die "$in: payload is not an x86-64 ELF"
mv "$tmp" "$out"	# atomic: runs may build it side by side
