#!/usr/bin/env bash
# The README's first command: start a tiny guest through /dev/vmx and show
# what it wrote to its serial port (userspace/build/vmx-hello does the work).
# On a host with SVM or VMX that can load modules, vmx.ko is loaded here;
# anywhere else (like the build machines) an emulated L1 host is booted
# under QEMU TCG with vmx.ko and vmx-hello in its initramfs.
# Overrides: VMX_KO=<module>, VMX_HELLO=<program>.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
hello=${VMX_HELLO:-$top/userspace/build/vmx-hello}
die() { echo "run-demo: $*" >&2; exit 1; }

[[ -x $hello ]] || die "$hello does not exist yet; build it with 'make'"
vmx_ko=${VMX_KO:-}
if [[ -z $vmx_ko ]]; then
	for f in "$top/vmx.ko" "$top/kmod/vmx.ko"; do
		[[ -r $f ]] && { vmx_ko=$f; break; }
	done
fi
[[ -n $vmx_ko && -r $vmx_ko ]] || die "no vmx.ko (looked for ./vmx.ko and kmod/vmx.ko); build it with 'make'"
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)

# --- this host, if it can ---
if [[ -c /dev/vmx ]]; then
	exec "$hello"
fi
if grep -qwE 'svm|vmx' /proc/cpuinfo && [[ -e /proc/modules ]]; then
	if "${as_root[@]}" insmod "$vmx_ko"; then
		rc=0
		"$hello" || rc=$?
		"${as_root[@]}" rmmod vmx || true
		echo "# vmx-hello ran on this host's $(grep -qw svm /proc/cpuinfo && echo SVM || echo VMX): exit $rc"
		exit "$rc"
	fi
	echo "run-demo: insmod failed here; using an emulated host instead" >&2
fi

# --- an emulated L1 host (QEMU TCG, AMD SVM) ---
kver=$("$here/kver.sh")
build=$top/selftests/build
mkdir -p "$build/logs"
initrd=$build/initramfs-demo.gz
log=$build/logs/demo-$(date +%Y%m%d-%H%M%S).log
"$here/mkinitramfs.sh" --out "$initrd" --kver "$kver" --init "$here/l1-init-demo.sh" \
	--vmx-ko "$vmx_ko" --add "$hello:/bin/vmx-hello" 2>/dev/null
start=$(date +%s)
rc=0
timeout -k 10 180 qemu-system-x86_64 \
	$("$here/l1-machine.sh") \
	-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1" \
	-nographic -no-reboot </dev/null >"$log" 2>"$log.stderr" || rc=$?
secs=$(($(date +%s) - start))
clean() { sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b.//g' "$log"; }

[[ $rc -eq 0 ]] || die "the emulator failed (status $rc, 124 = 180 s watchdog); log: $log"
if insmod_err=$(clean | grep -m1 '^@@ demo insmod failed'); then
	die "insmod vmx.ko failed in L1: ${insmod_err#@@ demo insmod failed }; log: $log"
fi
clean | sed -n '/^@@ demo begin$/,/^@@ demo end/{/^@@ demo /!p}'
end=$(clean | grep -m1 '^@@ demo end rc=') ||
	die "vmx-hello did not finish in L1; log: $log"
hrc=${end#@@ demo end rc=}
echo "# vmx-hello ran in an emulated $kver host (QEMU TCG, SVM): exit $hrc, ${secs}s in all"
exit "$hrc"
