#!/bin/sh
# /init of the L1 initramfs for benchmark runs (busybox sh, PID 1; no
# set -e: PID 1 must reach poweroff). Runs every /selftests/bench_* against
# /dev/vmx (after insmod /vmx.ko), rmmods vmx, loads Debian's kvm-amd or
# kvm-intel and runs it again against /dev/kvm. Console protocol, parsed
# by run-bench.sh:
#   @@ bench begin <dev>
#   [<dev>] <line>               every line bench_exits wrote
#   @@ bench end <dev> rc=<n>
#   @@ bench notrun <dev> <why>
#   @@ bench done
# Kernel command-line knobs (reach PID 1 as environment variables):
#   bench_pio=<OUT exits per repetition>, bench_cpuid=<CPUIDs per
#   repetition>, bench_timeout=<seconds per device, default 300>.

export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
echo 2 >/proc/sys/kernel/printk

T=${bench_timeout:-300}
M=/lib/modules/$(uname -r)
ARGS="${bench_pio:-2000} ${bench_cpuid:-20000}"

# The firmware leaves escape codes without a newline: start a fresh line.
echo
echo "# L1: $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus"

# load <module>: insmod it after its dependencies (mkinitramfs' deps file).
load() {
	local d
	grep -q "^$1 " /proc/modules && return 0
	for d in $(awk -v m="$1" '$1 == m { for (i = 2; i <= NF; i++) print $i }' $M/deps); do
		load "$d" || return 1
	done
	insmod "$M/$1.ko"
}

# bench <dev>: every /selftests/bench_* against /dev/<dev>.
bench() {
	echo "@@ bench begin $1"
	for b in /selftests/bench_*; do
		args=
		[ "${b##*/}" = bench_exits ] && args=$ARGS
		{
			VMX_DEV=/dev/$1 timeout -s KILL "$T" $b $args \
				</dev/null 2>&1
			echo $? >/tmp/rc
		} | sed "s|^|[$1] |"
		rc=$(cat /tmp/rc)
		[ "$rc" = 0 ] || break
	done
	echo "@@ bench end $1 rc=$rc"
}

if [ ! -e /vmx.ko ]; then
	echo "@@ bench notrun vmx no /vmx.ko in the initramfs"
elif err=$(insmod /vmx.ko 2>&1) && [ -c /dev/vmx ]; then
	bench vmx
	rmmod vmx || echo "@@ bench rmmod vmx failed"
else
	echo "@@ bench notrun vmx insmod failed: $(echo "$err" | head -n1)"
fi
dmesg -c | sed 's/^/[dmesg] /'

if grep -qw svm /proc/cpuinfo; then
	kvm=kvm_amd
else
	kvm=kvm_intel
fi
if err=$(load $kvm 2>&1) && [ -c /dev/kvm ]; then
	bench kvm
else
	echo "@@ bench notrun kvm load $kvm failed: $(echo "$err" | head -n1)"
fi
dmesg -c | sed 's/^/[dmesg] /'

echo "@@ bench done"
sleep 1
poweroff -f
