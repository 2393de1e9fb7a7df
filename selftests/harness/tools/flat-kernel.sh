#!/usr/bin/env bash
# Turn a distribution bzImage into one that boots without decompressing:
# the same real-mode setup code, then flat-boot-stub.S, then the kernel
# (vmlinux, taken out of the bzImage's payload) laid out as it sits in
# memory. The kernel itself is byte for byte the one in the bzImage, so
# modules built for it still load; only the boot wrapper differs.
#
# Why: Bochs spends over a minute of emulated time in the xz decompressor
# of Debian's kernel, about half of the time to a shell.
# The result is not relocatable (KASLR off; boot it with "nokaslr").
#
# usage: flat-kernel.sh BZIMAGE OUT
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[[ $# -eq 2 && -r $1 ]] || { echo "usage: $0 BZIMAGE OUT" >&2; exit 2; }
in=$1 out=$2
die() { echo "flat-kernel: $*" >&2; exit 1; }

# Little-endian integers from / into the boot header (offsets: the x86
# boot protocol, Documentation/x86/boot.rst).
get() { od -An -tu"$2" -j "$1" -N "$2" "$in" | tr -d ' '; }
put() {
	local off=$1 len=$2 val=$3 i bytes=''
	for ((i = 0; i < len; i++)); do
		bytes+=$(printf '\\x%02x' $(((val >> (8 * i)) & 0xff)))
	done
	printf %b "$bytes" | dd of="$work/setup" bs=1 seek=$((off)) conv=notrunc status=none
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$here/extract-vmlinux.sh" "$in" "$work/vmlinux"
version=$(get 0x206 2)
setup_sects=$(get 0x1f1 1)
((setup_sects)) || setup_sects=4
pm=$(((setup_sects + 1) * 512))
entry=$(($(readelf -h "$work/vmlinux" | awk '/Entry point/ { print $4 }')))

# PT_LOAD: offset vaddr paddr filesz memsz, all hex.
mapfile -t loads < <(readelf -lW "$work/vmlinux" | awk '$1 == "LOAD" { print $2, $4, $5, $6 }')
((${#loads[@]})) || die "$in: vmlinux has no PT_LOAD"
dest=-1 fend=0 mend=0
for l in "${loads[@]}"; do
	read -r o p f m <<<"$l"
	((dest < 0 || p < dest)) && dest=$((p))
	((p + f > fend)) && fend=$((p + f))
	((p + m > mend)) && mend=$((p + m))
done
((entry >= dest && entry < fend)) || die "entry $entry outside the image"
size=$(((fend - dest + 3) / 4 * 4))
truncate -s "$size" "$work/flat"
for l in "${loads[@]}"; do
	read -r o p f m <<<"$l"
	dd if="$work/vmlinux" of="$work/flat" bs=4M conv=notrunc status=none \
		iflag=skip_bytes,count_bytes oflag=seek_bytes \
		skip=$((o)) seek=$((p - dest)) count=$((f))
done
end=$((dest + size))
((mend > end)) && end=$(((mend + 3) / 4 * 4))

# The image ends in megabytes of zeros (bss): the stub writes those, so
# leave them out of the file (whole 4 KB blocks, found 1 MB at a time).
zero_from() {	# zero_from BLOCKSIZE: drop all-zero trailing blocks of $size
	local bs=$1 n
	while ((size > 0)); do
		n=$((size % bs)); ((n)) || n=$bs
		cmp -s -n "$n" /dev/zero <(dd if="$work/flat" bs=64K status=none \
			iflag=skip_bytes,count_bytes skip=$((size - n)) count="$n") || break
		size=$((size - n))
	done
}
zero_from $((1 << 20))
zero_from 4096
truncate -s "$size" "$work/flat"

# The loader puts the protected-mode part at 1 MB (not relocatable). Page
# tables go above both the image's source and its final place.
load=0x100000
cc() {
	gcc -c -o "$work/stub.o" -DFLAT_DEST="$dest" -DFLAT_SIZE="$size" \
		-DFLAT_END="$end" -DFLAT_ENTRY="$entry" -DFLAT_PGT="$1" \
		"$here/flat-boot-stub.S"
	objcopy -O binary -j .text "$work/stub.o" "$work/stub"
}
cc 0
stub=$(stat -c %s "$work/stub")
[[ $((0x$(nm "$work/stub.o" | awk '$3 == "payload" { print $1 }'))) -eq $stub ]] ||
	die "stub: payload label is not at its end"
top=$((load + stub + size))
((end > top)) && top=$end
pgt=$(((top + 0x1fffff) / 0x200000 * 0x200000))
cc "$pgt"

head -c "$pm" "$in" >"$work/setup"
put 0x1f4 4 $(((stub + size + 15) / 16))	# syssize, in paragraphs
put 0x214 4 $((load))				# code32_start
put 0x234 1 0					# relocatable_kernel
if ((version >= 0x20a)); then
	put 0x260 4 $((pgt + 0x6000 - load))	# init_size
fi
if ((version >= 0x20c)); then
	put 0x236 2 0		# xloadflags: no 64-bit or EFI entry points here
fi
put 0x248 4 0						# payload_offset
put 0x24c 4 0						# payload_length
((version >= 0x20b)) && put 0x264 4 0			# handover_offset
((version >= 0x20f)) && put 0x268 4 0			# kernel_info_offset

cat "$work/setup" "$work/stub" "$work/flat" >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"	# atomic: runs may build it side by side
printf 'flat-kernel: %s (%d MB, image at %#x, entry %#x, page tables at %#x)\n' \
	"$out" $(((pm + stub + size) >> 20)) "$dest" "$entry" "$pgt" >&2
