#!/usr/bin/env bash
# Boot one emulated L1 host (QEMU TCG, SVM+NPT; or Bochs, VT-x) and run
# bench_exits and bench_irq in it against /dev/vmx and then /dev/kvm (Debian's kvm-amd or
# kvm-intel); print each metric for both devices and the ratio vmx/kvm
# (> 1: vmx is slower).
#
# usage: run-bench.sh [--bochs] [--vmx-ko FILE|none] [--pio N] [--cpuid N]
#                     [--watchdog SECS] [--log FILE] [--kver VER]
#   --bochs     Intel VT-x under Bochs; its clock counts instructions, so
#               the numbers repeat from run to run
#   --vmx-ko    module to measure (default: $VMX_KO, ./vmx.ko, kmod/vmx.ko)
#   --pio       OUT exits per repetition (default 2000)
#   --cpuid     CPUIDs per repetition (default 20000)
#   --watchdog  limit for the whole emulator run (default 900 s)
# Output, besides a table: "bench <vmx|kvm|ratio> <metric> <value>" lines.
# Exit status 0 only if both devices produced every metric.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
harness=$top/selftests/harness
build=$top/selftests/build

vmx_ko=${VMX_KO:-} pio=2000 cpuid=20000 watchdog=900 log= kver= bochs=
while [[ $# -gt 0 ]]; do
	case $1 in
	--bochs) bochs=1; shift ;;
	--vmx-ko) vmx_ko=$2; shift 2 ;;
	--pio) pio=$2; shift 2 ;;
	--cpuid) cpuid=$2; shift 2 ;;
	--watchdog) watchdog=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	*) sed -n '2,/^set -e/p' "$0" | sed '$d' >&2; exit 2 ;;
	esac
done
die() { echo "run-bench: $*" >&2; exit 1; }

[[ -x $build/bench_exits && -x $build/bench_irq ]] ||
	die "no $build/bench_exits or bench_irq; run 'make -C selftests'"
[[ -n $kver ]] || kver=$("$harness/kver.sh")
if [[ -z $vmx_ko ]]; then
	for f in "$top/vmx.ko" "$top/kmod/vmx.ko"; do
		[[ -r $f ]] && { vmx_ko=$f; break; }
	done
fi
[[ $vmx_ko == none ]] && vmx_ko=

mkdir -p "$build/logs"
[[ -n $log ]] || log=$build/logs/bench-$(date +%Y%m%d-%H%M%S).log
initrd=$build/initramfs-bench.gz
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$build"/bench_exits "$build"/bench_irq "$stage/"
"$harness/mkinitramfs.sh" --out "$initrd" --kver "$kver" \
	--init "$here/l1-init-bench.sh" --tests "$stage" \
	${vmx_ko:+--vmx-ko "$vmx_ko"}

echo "# L1 $kver, vmx.ko: ${vmx_ko:-none}, $pio OUT exits and $cpuid CPUIDs" \
     "per repetition, watchdog ${watchdog}s, log $log" >&2
rc=0
if [[ -n $bochs ]]; then
	# Same /init and binary, booted by the VT-x harness.
	BOCHS_INIT=$here/l1-init-bench.sh BOCHS_GLOB='bench_*' \
	BOCHS_APPEND="bench_pio=$pio bench_cpuid=$cpuid" \
		"$harness/run-bochs.sh" --tests "$stage" --log "$log" \
		--watchdog "$watchdog" --kver "$kver" \
		${vmx_ko:+--vmx-ko "$vmx_ko"} >/dev/null 2>&1 || true
else
timeout -k 10 "$watchdog" qemu-system-x86_64 \
	-accel tcg,thread=multi -smp 2 -m 2048 -cpu EPYC,+svm,+npt \
	-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 bench_pio=$pio bench_cpuid=$cpuid" \
	-nographic -no-reboot </dev/null >"$log" 2>"$log.stderr" || rc=$?
fi
[[ $rc -eq 0 ]] || echo "# emulator exit status $rc (124: watchdog)" >&2

# Strip CRs and escape sequences (the firmware's first line has them).
clean() { sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b.//g' "$log"; }
clean | grep -E '^@@ bench (notrun|end|rmmod)|^\[(vmx|kvm)\] (#|Bail)' >&2 || true

clean | awk '
	$1 ~ /^\[(vmx|kvm)\]$/ && $2 == "bench" && NF == 4 {
		dev = substr($1, 2, 3)
		v[dev, $3] = $4
		if (!($3 in seen)) { seen[$3] = 1; order[n++] = $3 }
	}
	END {
		if (n == 0) { print "run-bench: no results" > "/dev/stderr"; exit 1 }
		bad = 0
		printf "%-22s %12s %12s %8s\n", "metric", "vmx", "kvm", "vmx/kvm"
		for (i = 0; i < n; i++) {
			m = order[i]
			x = (("vmx", m) in v) ? v["vmx", m] : ""
			k = ((("kvm", m) in v)) ? v["kvm", m] : ""
			r = (x != "" && k != "" && k + 0 > 0) ? sprintf("%.2f", x / k) : "-"
			if (x == "" || k == "") bad = 1
			printf "%-22s %12s %12s %8s\n", m, x == "" ? "-" : x,
				k == "" ? "-" : k, r
			lines = lines sprintf("bench vmx %s %s\nbench kvm %s %s\nbench ratio %s %s\n",
				m, x == "" ? "-" : x, m, k == "" ? "-" : k, m, r)
		}
		printf "%s", lines
		exit bad
	}' || rc=1
exit "$rc"
