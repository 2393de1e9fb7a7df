#!/bin/sh
# /init of the L1 initramfs for benchmark runs (busybox sh, PID 1; no
# set -e: PID 1 must reach poweroff). Runs every /selftests/bench_* against
# /dev/vmx (after insmod /vmx.ko), rmmods vmx, loads Debian's kvm-amd or
# kvm-intel and runs it again against /dev/kvm; then bench_l2boot once more
# with --qemu (Debian's QEMU on /dev/kvm) when the initramfs has
# /usr/bin/qemu-system-x86_64. Console protocol, parsed by run-bench.sh:
#   @@ bench begin <dev>
#   [<dev>] <line>               every line a benchmark wrote
#   @@ bench end <dev> rc=<n>
#   @@ bench notrun <dev> <why>
#   @@ bench done
# where <dev> is vmx, kvm or qemu. Kernel command-line knobs (reach PID 1
# as environment variables):
#   bench_pio=<OUT exits per repetition>, bench_cpuid=<CPUIDs per
#   repetition>, bench_timeout=<seconds per benchmark and device, default
#   300>, bench_l2_runs=<L2 boots counted, default 5>, bench_l2_mib=<MiB
#   written and read per boot, default 512>, bench_l2_boot=<seconds for
#   one of its boots, default 300>, bench_l2_timeout=<seconds for
#   bench_l2boot per device, default enough for all its boots>.

export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
echo 2 >/proc/sys/kernel/printk

T=${bench_timeout:-300}
M=/lib/modules/$(uname -r)
ARGS="${bench_pio:-2000} ${bench_cpuid:-20000}"
L2_RUNS=${bench_l2_runs:-5}
L2_BOOT=${bench_l2_boot:-300}
L2ARGS="$L2_RUNS ${bench_l2_mib:-512} $L2_BOOT"
# bench_l2boot boots up to runs + 3 times.
TL2=${bench_l2_timeout:-$(((L2_RUNS + 3) * L2_BOOT + 60))}

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

# run1 <label> <dev> <secs> <command...>: one benchmark on /dev/<dev>, its
# lines prefixed [<label>]; its exit status in $rc.
run1() {
	label=$1 dev=$2 secs=$3
	shift 3
	{
		VMX_DEV=/dev/$dev timeout -s KILL "$secs" "$@" </dev/null 2>&1
		echo $? >/tmp/rc
	} | sed "s|^|[$label] |"
	rc=$(cat /tmp/rc)
}

# bench <dev>: every /selftests/bench_* against /dev/<dev>; each runs even
# when one before it failed (they are independent), the last failure is
# the status.
bench() {
	echo "@@ bench begin $1"
	worst=0
	for b in /selftests/bench_*; do
		case ${b##*/} in
		bench_exits) run1 "$1" "$1" "$T" $b $ARGS ;;
		bench_l2boot) run1 "$1" "$1" "$TL2" $b $L2ARGS ;;
		*) run1 "$1" "$1" "$T" $b ;;
		esac
		[ "$rc" = 0 ] || worst=$rc
	done
	echo "@@ bench end $1 rc=$worst"
}

# The same L2 boots under Debian's QEMU on /dev/kvm.
bench_qemu() {
	[ -e /selftests/bench_l2boot ] || return 0
	if [ ! -x /usr/bin/qemu-system-x86_64 ]; then
		echo "@@ bench notrun qemu no qemu-system-x86_64 in this initramfs"
		return 0
	fi
	echo "@@ bench begin qemu"
	run1 qemu kvm "$TL2" /selftests/bench_l2boot --qemu $L2ARGS
	echo "@@ bench end qemu rc=$rc"
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
	bench_qemu
else
	echo "@@ bench notrun kvm load $kvm failed: $(echo "$err" | head -n1)"
fi
dmesg -c | sed 's/^/[dmesg] /'

echo "@@ bench done"
sleep 1
poweroff -f
