#!/usr/bin/env bash
# Host side of a selftest run: build the initramfs, boot L1 (Debian's
# kernel) under QEMU TCG with SVM+NPT behind a watchdog, keep the raw serial
# log, and print one flat TAP stream ending in "N passed, N failed".
# Exit status: 0 only if nothing failed.
#
# usage: run-qemu.sh [--tests DIR] [--vmx-ko FILE|none] [--timeout SECS]
#                    [--watchdog SECS] [--log FILE] [--kver VER] [--verbose]
#                    [--multi-thread]
#   --tests     static test binaries (default selftests/build; *_test run)
#   --vmx-ko    module to test (default: $VMX_KO, ./vmx.ko or kmod/vmx.ko;
#               when none exists the vmx half is reported as failed)
#   --timeout   per test binary and device inside L1 (default 60)
#   --watchdog  for the whole emulator (default from the number of tests)
#   --verbose   copy the serial console to stderr while it runs
#   --multi-thread  one host thread per emulated CPU (thread=multi); the
#               default is one thread for both, because nested SVM under
#               multi-threaded TCG now and then kills or freezes the
#               emulated host (README, Known issues); --single-thread is
#               accepted and changes nothing
#   --raw       print unnumbered TAP lines without the closing summary
#               (for run-checks.sh, which sums several runs)
# QEMU_DEBUG (environment) replaces QEMU's -d items (default cpu_reset),
# e.g. QEMU_DEBUG=int,cpu_reset logs every interrupt into LOG.cpu.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/selftests/build

tests=$build vmx_ko=${VMX_KO:-} timeout=60 watchdog='' log='' kver='' verbose='' raw=''
tcg=''
while [[ $# -gt 0 ]]; do
	case $1 in
	--tests) tests=$2; shift 2 ;;
	--vmx-ko) vmx_ko=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--watchdog) watchdog=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--verbose) verbose=1; shift ;;
	--raw) raw=1; shift ;;
	--single-thread) tcg=single; shift ;;
	--multi-thread) tcg=multi; shift ;;
	*) sed -n '2,/^set -e/p' "$0" | sed '$d' >&2; exit 2 ;;
	esac
done
[[ -n $kver ]] || kver=$("$here/kver.sh")
if [[ -z $vmx_ko ]]; then
	for f in "$top/vmx.ko" "$top/kmod/vmx.ko"; do
		[[ -r $f ]] && { vmx_ko=$f; break; }
	done
fi
[[ $vmx_ko == none ]] && vmx_ko=

names=()
if [[ -d $tests ]]; then
	for f in "$tests"/*_test; do
		[[ -f $f && -x $f ]] && names+=("${f##*/}")
	done
fi
[[ -n $watchdog ]] || watchdog=$((120 + ${#names[@]} * 2 * (timeout + 5)))
mkdir -p "$build/logs"
[[ -n $log ]] || log=$build/logs/selftests-$(date +%Y%m%d-%H%M%S).log
initrd=$build/initramfs-selftests.gz

# The initramfs copies only *_test binaries (benchmarks stay out).
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
for n in ${names[@]+"${names[@]}"}; do
	ln -s "$tests/$n" "$stage/$n"
done
"$here/mkinitramfs.sh" --out "$initrd" --kver "$kver" \
	--init "$here/l1-init-selftests.sh" --tests "$stage" \
	${vmx_ko:+--vmx-ko "$vmx_ko"}

machine=$("$here/l1-machine.sh" $tcg)
echo "# L1 $kver, ${#names[@]} test binaries, vmx.ko: ${vmx_ko:-none}," \
     "QEMU ${machine%% -smp*}, watchdog ${watchdog}s, log $log" >&2
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
start=$(date +%s.%N)
# Note when L1's /init speaks, to report boot time.
( while ! grep -q '# L1:' "$log" 2>/dev/null; do sleep 0.2; done
  date +%s.%N >"$stage/l1-up" ) &
poller=$!

set +e
timeout -k 10 "$watchdog" qemu-system-x86_64 \
	$machine \
	-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 vmx_timeout=$timeout vmx_kvm_known=$("$here/kvm-known.sh")" \
	-nographic -no-reboot -d "${QEMU_DEBUG:-cpu_reset}" -D "$log.cpu" </dev/null 2>"$log.stderr" |
	if [[ -n $verbose ]]; then tee "$log" >&2; else cat >"$log"; fi
emu_rc=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
kill "$poller" 2>/dev/null || true
wait "$poller" 2>/dev/null || true

{
	if [[ -s $stage/l1-up ]]; then
		echo "# L1 /init started after $(secs "$start" "$(cat "$stage/l1-up")") s"
	fi
	echo "# emulator ran $(secs "$start" "$end") s, exit status $emu_rc"
	# TCG ignores some EPYC features, and says so for each vCPU: once will do.
	grep -o "TCG doesn't support requested feature: [^ ]*" "$log.stderr" |
		sed 's/.*\.//' | awk '!seen[$0]++ { s = s " " $0 }
			END { if (s != "") print "# qemu TCG lacks:" s }' || true
	grep -v "TCG doesn't support requested feature" "$log.stderr" | sed 's/^/# qemu: /' || true
	# QEMU logs each CPU reset with the state before it (-d cpu_reset).
	# One from 64-bit code is L1 resetting itself: with -no-reboot that
	# ends the run silently, so show where the CPU was (a triple fault).
	awk '/^CPU Reset/ { cpu = $0; next }
	     /^RIP=/ { n++; print "# L1 reset from 64-bit code, " cpu ": " $1 " " $2 }
	     n && /^(CR0|CS |SS |TR |IDT|GDT)/ { print "#   " $0 }
	     /^EFER/ { n = 0 }' "$log.cpu" 2>/dev/null | head -n 20 || true
	"$here/parse-l1-log.sh" --expect "${names[*]+${names[*]}}" \
		--emu-rc "$emu_rc" --watchdog "$watchdog" "$log" ||
		echo "not ok harness: log parser failed (status $?)"
} | if [[ -n $raw ]]; then cat; else "$here/tap-summary.sh"; fi
