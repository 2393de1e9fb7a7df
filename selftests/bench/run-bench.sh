#!/usr/bin/env bash
# Boot one emulated L1 host (QEMU TCG, SVM+NPT; or Bochs, VT-x) and run
# the benchmarks in it against /dev/vmx and then /dev/kvm (Debian's kvm-amd
# or kvm-intel): bench_exits and bench_irq (exit round trips), and
# bench_l2boot (an L2 Linux booted by vmx-run: boot-to-init time, virtio-blk
# throughput), which then runs once more under Debian's QEMU on /dev/kvm.
# Print each metric for each and the ratios vmx/kvm and vmx/qemu.
#
# usage: run-bench.sh [--bochs] [--vmx-ko FILE|none] [--pio N] [--cpuid N]
#                     [--runs N] [--mib N] [--no-l2] [--no-qemu]
#                     [--watchdog SECS] [--log FILE] [--kver VER]
#                     [--multi-thread]
#   --bochs     Intel VT-x under Bochs; its clock counts instructions, so
#               the numbers repeat from run to run. No QEMU row there: QEMU
#               would not be faster than vmx-run's boots, which are slow
#               already (see --runs)
#   --vmx-ko    module to measure (default: $VMX_KO, ./vmx.ko, kmod/vmx.ko)
#   --pio       OUT exits per repetition (default 2000)
#   --cpuid     CPUIDs per repetition (default 20000)
#   --runs      L2 boots counted per monitor, median taken (default 5;
#               1 under Bochs)
#   --mib       MiB the L2 writes and then reads (default 512, a few
#               seconds each way under TCG; 16 under Bochs)
#   --no-l2     leave bench_l2boot out (the exit benchmarks only)
#   --no-qemu   leave out QEMU (and its 16 MB in the initramfs)
#   --multi-thread  QEMU TCG with one host thread per emulated CPU (the
#               default is one for both: kvm-amd under multi-threaded TCG
#               now and then kills the emulated host; README, Known issues)
#   --watchdog  limit for the whole emulator run (default 900 s, 2400 s
#               with bench_l2boot)
# Output, besides a table: "bench <vmx|kvm|qemu|ratio|ratio-qemu> <metric>
# <value>" lines; ratio is vmx/kvm, ratio-qemu vmx/qemu. Times: > 1 means
# vmx is slower; MB/s: > 1 means vmx is faster.
# Exit status 0 only if vmx and kvm produced every metric (and QEMU its
# own, when it ran).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
harness=$top/selftests/harness
build=$top/selftests/build

vmx_ko=${VMX_KO:-} pio=2000 cpuid=20000 watchdog= log= kver= bochs=
runs= mib= l2=1 want_qemu=1 tcg=
while [[ $# -gt 0 ]]; do
	case $1 in
	--bochs) bochs=1; shift ;;
	--vmx-ko) vmx_ko=$2; shift 2 ;;
	--pio) pio=$2; shift 2 ;;
	--cpuid) cpuid=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--mib) mib=$2; shift 2 ;;
	--no-l2) l2=; shift ;;
	--no-qemu) want_qemu=; shift ;;
	--single-thread) tcg=single; shift ;;
	--multi-thread) tcg=multi; shift ;;
	--watchdog) watchdog=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	*) sed -n '2,/^set -e/p' "$0" | sed '$d' >&2; exit 2 ;;
	esac
done
die() { echo "run-bench: $*" >&2; exit 1; }

[[ -x $build/bench_exits && -x $build/bench_irq && -x $build/bench_l2boot ]] ||
	die "no $build/bench_exits, bench_irq or bench_l2boot; run 'make -C selftests'"
[[ -n $kver ]] || kver=$("$harness/kver.sh")
if [[ -z $vmx_ko ]]; then
	for f in "$top/vmx.ko" "$top/kmod/vmx.ko"; do
		[[ -r $f ]] && { vmx_ko=$f; break; }
	done
fi
[[ $vmx_ko == none ]] && vmx_ko=

if [[ -n $bochs ]]; then
	runs=${runs:-1} mib=${mib:-16}
else
	runs=${runs:-5} mib=${mib:-512}
fi
[[ -n $l2 ]] || want_qemu=
[[ -n $bochs ]] && want_qemu=
if [[ -z $watchdog ]]; then
	watchdog=900
	[[ -n $l2 ]] && watchdog=2400
fi
# The limit for one L2 boot and its I/O, in L1 seconds: nested TCG boots
# take 10-30 s, Bochs ones several minutes.
boot_secs=300
[[ -n $bochs ]] && boot_secs=1200
l2_args="bench_l2_runs=$runs bench_l2_mib=$mib bench_l2_boot=$boot_secs"

mkdir -p "$build/logs"
[[ -n $log ]] || log=$build/logs/bench-$(date +%Y%m%d-%H%M%S).log
initrd=$build/initramfs-bench.gz
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/tests"
cp "$build"/bench_exits "$build"/bench_irq "$stage/tests/"
[[ -n $l2 ]] && cp "$build"/bench_l2boot "$stage/tests/"
tree=()
if [[ -n $want_qemu ]]; then
	"$here/qemu-tree.sh" "$stage/qemu"
	tree=(--tree "$stage/qemu")
fi
if [[ -z $bochs ]]; then
	"$harness/mkinitramfs.sh" --out "$initrd" --kver "$kver" \
		--init "$here/l1-init-bench.sh" --tests "$stage/tests" \
		${vmx_ko:+--vmx-ko "$vmx_ko"} ${tree[@]+"${tree[@]}"}
fi

echo "# L1 $kver, vmx.ko: ${vmx_ko:-none}, $pio OUT exits and $cpuid CPUIDs" \
     "per repetition, watchdog ${watchdog}s, log $log" >&2
if [[ -n $l2 ]]; then
	qemu_what="not run (--no-qemu)"
	[[ -n $bochs ]] && qemu_what="not run under Bochs (too slow)"
	[[ -n $want_qemu ]] && qemu_what="machine pc, acpi=off, qboot, virtio-blk-pci"
	echo "# L2 boots: $runs counted per monitor, $mib MiB written and read;" \
	     "QEMU: $qemu_what" >&2
fi
start=$(date +%s)
rc=0
if [[ -n $bochs ]]; then
	# Same /init and binaries, booted by the VT-x harness (which builds
	# its own initramfs). An L2 boot prints nothing for minutes (quiet
	# kernel), hence the stall limit; the L2 needs memory of its own.
	BOCHS_INIT=$here/l1-init-bench.sh BOCHS_GLOB='bench_*' \
	BOCHS_APPEND="bench_pio=$pio bench_cpuid=$cpuid $l2_args" \
	BOCHS_STALL=${BOCHS_STALL:-$((boot_secs + 300))} \
	BOCHS_MEGS=${BOCHS_MEGS:-1024} \
		"$harness/run-bochs.sh" --tests "$stage/tests" --log "$log" \
		--watchdog "$watchdog" --kver "$kver" \
		${vmx_ko:+--vmx-ko "$vmx_ko"} >/dev/null 2>&1 || true
else
timeout -k 10 "$watchdog" qemu-system-x86_64 \
	$("$harness/l1-machine.sh" $tcg) \
	-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 bench_pio=$pio bench_cpuid=$cpuid $l2_args" \
	-nographic -no-reboot </dev/null >"$log" 2>"$log.stderr" || rc=$?
fi
[[ $rc -eq 0 ]] || echo "# emulator exit status $rc (124: watchdog)" >&2
echo "# emulator ran $(($(date +%s) - start)) s" >&2

# Strip CRs and escape sequences (the firmware's first line has them).
clean() { sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b.//g' "$log"; }
clean | grep -E '^@@ bench (notrun|end|rmmod)|^\[(vmx|kvm|qemu)\] (#|Bail)' >&2 || true

# The table: vmx, kvm, vmx/kvm, and for bench_l2boot's metrics qemu and
# vmx/qemu too.
clean | awk -v want_qemu="$want_qemu" '
	function val(d, m) { return ((d, m) in v) ? v[d, m] : "" }
	function ratio(a, b) {
		return (a != "" && b != "" && b + 0 > 0) ? sprintf("%.2f", a / b) : "-"
	}
	function show(x) { return x == "" ? "-" : x }
	$1 ~ /^\[(vmx|kvm|qemu)\]$/ && $2 == "bench" && NF == 4 {
		dev = substr($1, 2, length($1) - 2)
		v[dev, $3] = $4
		if (dev == "qemu") { inq[$3] = 1; nq++ }
		if (!($3 in seen)) { seen[$3] = 1; order[n++] = $3 }
	}
	END {
		if (n == 0) { print "run-bench: no results" > "/dev/stderr"; exit 1 }
		bad = 0
		if (want_qemu != "" && nq == 0) {
			print "run-bench: no QEMU results" > "/dev/stderr"
			bad = 1
		}
		printf "%-22s %12s %12s %8s %12s %8s\n", "metric", "vmx", "kvm",
			"vmx/kvm", "qemu", "vmx/qemu"
		for (i = 0; i < n; i++) {
			m = order[i]
			x = val("vmx", m); k = val("kvm", m); q = val("qemu", m)
			if (x == "" || k == "") bad = 1
			printf "%-22s %12s %12s %8s %12s %8s\n", m, show(x), show(k),
				ratio(x, k), show(q), (m in inq) ? ratio(x, q) : "-"
			lines = lines sprintf("bench vmx %s %s\nbench kvm %s %s\nbench ratio %s %s\n",
				m, show(x), m, show(k), m, ratio(x, k))
			if (m in inq)
				lines = lines sprintf("bench qemu %s %s\nbench ratio-qemu %s %s\n",
					m, q, m, ratio(x, q))
		}
		print "(_ns, _s: lower is better, a ratio > 1 means vmx is slower;" \
			" _mbs: higher is better, > 1 means vmx is faster)"
		printf "%s", lines
		exit bad
	}' || rc=1
exit "$rc"
