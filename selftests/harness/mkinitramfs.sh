#!/usr/bin/env bash
# Build the gzip'ed newc initramfs that an emulated L1 host boots:
#   /bin/busybox + applet symlinks (/bin, /sbin)
#   /lib/modules/<ver>/<name>.ko   kvm, kvm-amd, kvm-intel, irqbypass, ccp, tun and
#                                  whatever their `modinfo -F depends` needs,
#                                  copied flat so /init can insmod by name
#   /lib/modules/<ver>/deps        "<name> <dep>..." per module, so /init can
#                                  load dependencies first without modprobe
#   /vmx.ko                        (--vmx-ko, optional)
#   /selftests/                    executables of --tests DIR (static!)
#   /init                          --init FILE (required)
#   /bin/vmx-run, /boot/vmlinuz,   when --tests holds vmxrun_test or
#   /boot/l2-initrd.gz             vmxrun_loader_test: the monitor, this
#                                  kernel, an L2 initramfs (not the last two
#                                  with --no-l2-linux)
#   /boot/loader/, /boot/vmlinux   for vmxrun_loader_test: its test kernels
#                                  (selftests/build/loader) and this kernel
#                                  as an ELF (not with --no-l2-linux)
#   /boot/l2-bench-initrd.gz       when --tests holds bench_l2boot: the same
#                                  with the benchmark's L2 /init
#   anything given as --add SRC:DST, and the contents of each --tree DIR
#                                  (copied over the root, symlinks kept)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() {
	cat >&2 <<USAGE
usage: $0 --out FILE --init FILE [--kver VER] [--vmx-ko FILE]
          [--tests DIR] [--add SRC:DST]... [--tree DIR]... [--busybox FILE]
          [--no-l2-linux]
USAGE
	exit 2
}

out='' init='' kver='' vmx_ko='' tests='' busybox=/bin/busybox l2_linux=1
adds=() trees=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--init) init=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--vmx-ko) vmx_ko=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--tree) trees+=("$2"); shift 2 ;;
	--busybox) busybox=$2; shift 2 ;;
	--no-l2-linux) l2_linux=''; shift ;;
	*) usage ;;
	esac
done
[[ -n $out && -n $init ]] || usage
[[ -r $init ]] || { echo "mkinitramfs: no init $init" >&2; exit 1; }
[[ -n $kver ]] || kver=$("$here/kver.sh")

if readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
	echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2
	exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,selftests,lib/modules/"$kver"}

cp "$busybox" "$root/bin/busybox"
for a in $("$busybox" --list); do
	[[ $a == busybox ]] || ln -s busybox "$root/bin/$a"
done
# Some tools (insmod, poweroff ...) are looked up in /sbin by habit.
for a in insmod rmmod lsmod modprobe poweroff reboot halt mdev; do
	ln -s ../bin/busybox "$root/sbin/$a"
done

# Copy a module and, recursively, the modules it depends on.
moddir=$root/lib/modules/$kver
declare -A seen=()
add_module() {
	local name=${1//-/_} file deps d
	[[ -z ${seen[$name]:-} ]] || return 0
	seen[$name]=1
	file=$(modinfo -k "$kver" -F filename "$name") || {
		echo "mkinitramfs: module $name not found for $kver" >&2; exit 1; }
	case $file in
	*.ko) cp "$file" "$moddir/$name.ko" ;;
	*.ko.xz) xz -dc "$file" >"$moddir/$name.ko" ;;
	*.ko.zst) zstd -qdc "$file" >"$moddir/$name.ko" ;;
	*.ko.gz) gzip -dc "$file" >"$moddir/$name.ko" ;;
	*) echo "mkinitramfs: odd module file $file" >&2; exit 1 ;;
	esac
	deps=$(modinfo -k "$kver" -F depends "$name" | tr ',' ' ')
	echo "$name ${deps//-/_}" >>"$moddir/deps"
	for d in $deps; do
		add_module "$d"
	done
}
for m in irqbypass kvm kvm_amd kvm_intel ccp tun; do
	add_module "$m"
done

if [[ -n $vmx_ko ]]; then
	[[ -r $vmx_ko ]] || { echo "mkinitramfs: no $vmx_ko" >&2; exit 1; }
	cp "$vmx_ko" "$root/vmx.ko"
fi

if [[ -n $tests ]]; then
	[[ -d $tests ]] || { echo "mkinitramfs: no test dir $tests" >&2; exit 1; }
	for f in "$tests"/*; do
		[[ -f $f && -x $f ]] || continue
		case $f in *.o|*.d|*.a|*.so) continue ;; esac
		if readelf -l "$f" 2>/dev/null | grep -q 'program interpreter'; then
			echo "mkinitramfs: warning: $f is dynamically linked;" \
			     "it cannot run in the initramfs" >&2
		fi
		cp "$f" "$root/selftests/"
	done
fi

# vmxrun_test, vmxrun_loader_test and bench_l2boot boot L2 guests with
# vmx-run: this L1 kernel's own image, a small L2 initramfs each, and the
# monitor ($VMX_RUN or userspace/build).  vmxrun_loader_test also boots its
# small kernels and this kernel as an ELF (66 MB, 11 MB of it gzipped;
# made once per kernel in build/l2).
has() { [[ -n $tests && -e $tests/$1 ]]; }
l2_users=
for t in vmxrun_test vmxrun_loader_test bench_l2boot; do
	has $t && l2_users+=" $t"
done
if [[ -n $l2_users ]]; then
	vmx_run=${VMX_RUN:-$here/../../userspace/build/vmx-run}
	mkdir -p "$root/boot"
	if [[ -x $vmx_run ]]; then
		cp "$vmx_run" "$root/bin/vmx-run"
	else
		echo "mkinitramfs: warning: no $vmx_run;$l2_users will fail" >&2
	fi
	if [[ -n $l2_linux && -r /boot/vmlinuz-$kver ]]; then
		cp "/boot/vmlinuz-$kver" "$root/boot/vmlinuz"
		if has vmxrun_test || has vmxrun_loader_test; then
			"$here/mkl2initramfs.sh" "$root/boot/l2-initrd.gz" \
				"$busybox" "$kver"
		fi
		if has bench_l2boot; then
			"$here/mkl2initramfs.sh" \
				--init "$here/../bench/l2-bench-init.sh" \
				--modules "virtio_pci virtio_blk" \
				"$root/boot/l2-bench-initrd.gz" "$busybox" "$kver"
		fi
	elif [[ -n $l2_linux ]]; then
		echo "mkinitramfs: warning: no /boot/vmlinuz-$kver;" \
		     "$l2_users will fail" >&2
	fi
fi
if has vmxrun_loader_test; then
	kernels=$here/../build/loader
	mkdir -p "$root/boot/loader"
	cp "$kernels"/mb.elf "$kernels"/mb-aout.bin "$kernels"/linux64.elf \
		"$root/boot/loader/" ||
		echo "mkinitramfs: warning: no loader test kernels in $kernels" >&2
	elf=$here/../build/l2/vmlinux-$kver
	if [[ -n $l2_linux && -r /boot/vmlinuz-$kver ]]; then
		if [[ ! -s $elf || /boot/vmlinuz-$kver -nt $elf ]]; then
			mkdir -p "${elf%/*}"
			"$here/tools/extract-vmlinux.sh" "/boot/vmlinuz-$kver" "$elf"
		fi
		cp "$elf" "$root/boot/vmlinux"
	fi
fi

for a in ${adds[@]+"${adds[@]}"}; do
	src=${a%%:*} dst=${a#*:}
	[[ $src != "$a" && -n $dst ]] || { echo "mkinitramfs: bad --add $a" >&2; exit 1; }
	mkdir -p "$root/$(dirname "$dst")"
	cp -a "$src" "$root/$dst"
done

for t in ${trees[@]+"${trees[@]}"}; do
	[[ -d $t ]] || { echo "mkinitramfs: no tree $t" >&2; exit 1; }
	cp -a "$t/." "$root/"
done

install -m 0755 "$init" "$root/init"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -h "$out" | cut -f1), kernel $kver," \
     "$(find "$root/selftests" -type f | wc -l) test binaries${vmx_ko:+, vmx.ko})" >&2
