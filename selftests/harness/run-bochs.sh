#!/usr/bin/env bash
# Host side of a selftest run on Intel VT-x: build the initramfs (same /init
# as run-qemu.sh), put it with Debian's kernel on an isolinux CD, boot L1
# under Bochs (cpu corei7_skylake_x: VMX with EPT, VPID, unrestricted guest)
# behind a watchdog, keep the raw serial log, and print one flat TAP stream
# ending in "N passed, N failed". Exit status: 0 only if nothing failed.
#
# usage: run-bochs.sh [--tests DIR] [--vmx-ko FILE|none] [--timeout SECS]
#                     [--watchdog SECS] [--log FILE] [--kver VER] [--verbose]
#                     [--raw]
#   --tests     static test binaries (default selftests/build; *_test run)
#   --vmx-ko    module to test (default: $VMX_KO, ./vmx.ko or kmod/vmx.ko;
#               when none exists the vmx half is reported as failed)
#   --timeout   per test binary and device inside L1, in L1 seconds
#               (default 60; one L1 second is BOCHS_IPS instructions, about
#               one second of Bochs CPU time at the default)
#   --watchdog  for the whole emulator, in real seconds (default from the
#               number of tests)
#   --verbose   copy the serial console to stderr while it runs
#   --raw       print unnumbered TAP lines without the closing summary
#               (for run-checks.sh, which sums several runs)
# Environment:
#   BOCHS_INIT, BOCHS_GLOB  the L1 /init (default l1-init-selftests.sh) and
#               which binaries of --tests to take (default *_test), so that
#               other runners (the benchmarks) can reuse this one
#   BOCHS_SKIP  binaries reported as skipped, not run (default signal_test
#               vmxrun_test; see skip_why below); BOCHS_SKIP= runs everything
#   BOCHS_STALL real seconds without serial output after which L1 counts as
#               stuck and Bochs is stopped (default 4 * timeout + 120)
#   BOCHS_IPS   emulated instructions per L1 second (default 50000000)
#   BOCHS_MEGS  L1 memory (default 512)
#   BOCHS_KERNEL=stock  boot /boot/vmlinuz as it is, not the flat copy
#   BOCHS_APPEND  more kernel command line
# Bochs' own log is kept next to the serial log (LOG.bochs).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/selftests/build

tests=$build vmx_ko=${VMX_KO:-} timeout=60 watchdog='' log='' kver='' verbose='' raw=''
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
	*) sed -n '2,/^set -e/p' "$0" | sed '$d' >&2; exit 2 ;;
	esac
done
ips=${BOCHS_IPS:-50000000}
megs=${BOCHS_MEGS:-512}
[[ -n $kver ]] || kver=$("$here/kver.sh")
if [[ -z $vmx_ko ]]; then
	for f in "$top/vmx.ko" "$top/kmod/vmx.ko"; do
		[[ -r $f ]] && { vmx_ko=$f; break; }
	done
fi
[[ $vmx_ko == none ]] && vmx_ko=

die() { echo "run-bochs: $*" >&2; exit 1; }
isolinux=/usr/lib/ISOLINUX/isolinux.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in "$isolinux" "$ldlinux" /usr/share/bochs/BIOS-bochs-latest \
	 /usr/share/bochs/VGABIOS-lgpl-latest; do
	[[ -r $f ]] || die "no $f (run selftests/harness/setup.sh)"
done
for c in bochs-bin xorriso script; do
	command -v "$c" >/dev/null || die "no $c (run selftests/harness/setup.sh)"
done

# Bochs 2.7 does not honour "external-interrupt exiting" while L2 runs
# with RFLAGS.IF=0 (as the selftests' guests do): L1's interrupts stay
# pending, so a guest that spins until a signal arrives hangs L1 for good,
# under kvm_intel as under vmx.ko. (Seen with a bare spin loop: at
# RFLAGS 0x202 a 100 ms timer signal ends KVM_RUN, at 0x2 nothing does.)
# Such binaries are reported as skipped, not run.
skip_why() {
	case $1 in
	signal_test) echo "Bochs 2.7: an L2 spinning with IF=0 is never interrupted, L1 hangs" ;;
	vmxrun_test) echo "an L2 Linux boot takes far longer than a test's time under Bochs" ;;
	*) echo "BOCHS_SKIP" ;;
	esac
}
skip=" ${BOCHS_SKIP-signal_test vmxrun_test} "
names=() skipped=()
if [[ -d $tests ]]; then
	for f in "$tests"/${BOCHS_GLOB:-*_test}; do
		[[ -f $f && -x $f ]] || continue
		if [[ $skip == *" ${f##*/} "* ]]; then
			skipped+=("${f##*/}")
		else
			names+=("${f##*/}")
		fi
	done
fi
# Boot and shutdown take about 20 s of Bochs CPU time, most tests under a
# second, lifecycle_test 30 L1 seconds by design. The watchdog is for an
# L1 that stops (a test that merely hangs is killed by the per-test
# timeout inside L1); so is the stall check, which acts sooner.
[[ -n $watchdog ]] || watchdog=$((420 + ${#names[@]} * 2 * 15))
stall=${BOCHS_STALL:-$((4 * timeout + 120))}
mkdir -p "$build/logs"
[[ -n $log ]] || log=$build/logs/selftests-bochs-$(date +%Y%m%d-%H%M%S).log
mkdir -p "$(dirname "$log")"
log=$(cd "$(dirname "$log")" && pwd)/${log##*/}

work=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in ${pids[@]+"${pids[@]}"}; do
		kill "$p" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/tests" "$work/iso/isolinux"

# Everything in the initramfs is unpacked by L1 at emulated speed: strip.
for n in ${names[@]+"${names[@]}"}; do
	strip -o "$work/tests/$n" "$tests/$n" 2>/dev/null || cp "$tests/$n" "$work/tests/$n"
done
if [[ -n $vmx_ko ]]; then
	[[ -r $vmx_ko ]] || die "no $vmx_ko"
	strip --strip-debug -o "$work/vmx.ko" "$vmx_ko" 2>/dev/null || cp "$vmx_ko" "$work/vmx.ko"
fi

# The VMX capability dump ([facts] lines in the log): tools/vmx-caps plus
# Debian's msr module. Optional: without them the tests still run.
facts=()
caps=$build/harness-tools/vmx-caps
if [[ ! -x $caps || $here/tools/vmx-caps.c -nt $caps ]]; then
	mkdir -p "${caps%/*}"
	gcc -static -O2 -Wall -o "$caps" "$here/tools/vmx-caps.c" 2>"$work/cc.err" ||
		{ echo "run-bochs: vmx-caps does not build:" >&2; cat "$work/cc.err" >&2; }
fi
msr=$(modinfo -k "$kver" -F filename msr 2>/dev/null || true)
case $msr in
*.ko) cp "$msr" "$work/msr.ko" ;;
*.ko.xz) xz -dc "$msr" >"$work/msr.ko" ;;
*.ko.zst) zstd -qdc "$msr" >"$work/msr.ko" ;;
*.ko.gz) gzip -dc "$msr" >"$work/msr.ko" ;;
esac
if [[ -x $caps && -s $work/msr.ko ]]; then
	strip -o "$work/vmx-caps" "$caps"
	facts=(--add "$work/vmx-caps:/bin/vmx-caps"
	       --add "$work/msr.ko:/lib/modules/$kver/msr.ko"
	       --add "$here/tools/l1-facts-vmx.sh:/l1-facts")
fi

# No L2 Linux images: booting one takes far too long here (vmxrun_test is
# skipped; vmxrun_loader_test runs its small kernels and skips the rest).
"$here/mkinitramfs.sh" --out "$work/iso/initrd.gz" --kver "$kver" \
	--no-l2-linux --init "${BOCHS_INIT:-$here/l1-init-selftests.sh}" --tests "$work/tests" \
	${vmx_ko:+--vmx-ko "$work/vmx.ko"} ${facts[@]+"${facts[@]}"}

# The L1 kernel command line, each item for Bochs' sake:
# - tsc_early_khz: Bochs' TSC counts BOCHS_IPS per emulated second, but
#   the CPU model claims 3.5 GHz in CPUID and the kernel believes it; then
#   L1 time crawls (one second = 3.5e9 instructions, about a minute) while
#   anything runs, and timeouts inside L1 never fire. With the true rate
#   the kernel's own cross-check agrees ("Refined TSC ... calibration").
# - cryptomgr.notests: the crypto self-tests are half of the kernel's boot
#   time here.
# - mitigations=off: Bochs' Skylake looks vulnerable to everything, and the
#   workarounds (PTI's page-table switches, kvm_intel's L1D flush on every
#   VM entry) cost emulated time without changing what the tests check.
# - noxsaves clearcpuid=xsavec: Bochs 2.7 reports the standard XSAVE area
#   size for the compacted format too, and the kernel WARNs at boot about
#   the mismatch; the standard format (XSAVE, XSAVEOPT) is consistent.
# - edd=off: no BIOS disk probing in the setup code.
# - vmx_bootlog=warn (for /init): Bochs' UART moves only about 1 KB per L1
#   second, and the boot's full kernel log is 25 KB; warnings and worse
#   (what the parser looks for) are enough.
append="console=ttyS0 quiet panic=-1 tsc_early_khz=$((ips / 1000)) cryptomgr.notests"
append+=" mitigations=off noxsaves clearcpuid=xsavec edd=off vmx_bootlog=warn"

# The kernel: by default the same vmlinux in a wrapper that needs no
# decompression (tools/flat-kernel.sh): Debian's xz decompressor alone
# takes a minute of Bochs time. Built once per kernel, kept in the build.
kernel=/boot/vmlinuz-$kver
kind=stock
if [[ ${BOCHS_KERNEL:-flat} == flat ]]; then
	flat=$build/bochs/vmlinuz-flat-$kver
	if [[ ! -s $flat || $kernel -nt $flat || $here/tools/flat-kernel.sh -nt $flat ||
	      $here/tools/flat-boot-stub.S -nt $flat ]]; then
		mkdir -p "${flat%/*}"
		"$here/tools/flat-kernel.sh" "$kernel" "$flat" ||
			{ echo "run-bochs: no flat kernel; booting the stock one" >&2; rm -f "$flat"; }
	fi
	if [[ -s $flat ]]; then
		kernel=$flat kind=flat
		append+=" nokaslr"	# the flat image runs where it was linked
	fi
fi

# Bochs boots only from its BIOS: an El Torito CD with isolinux. isolinux
# also reports on the serial port, so a boot stuck before Linux shows.
cp "$isolinux" "$ldlinux" "$work/iso/isolinux/"
ln -s "$kernel" "$work/iso/vmlinuz"
cat >"$work/iso/isolinux/isolinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT l1
PROMPT 0
TIMEOUT 0
LABEL l1
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz $append vmx_timeout=$timeout vmx_kvm_known=$("$here/kvm-known.sh") ${BOCHS_APPEND:-}
EOF
xorriso -as mkisofs -quiet -follow-links -o "$work/l1.iso" -b isolinux/isolinux.bin \
	-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
	"$work/iso" 2>"$work/xorriso.err" ||
	{ cat "$work/xorriso.err" >&2; die "xorriso failed"; }

# clock sync=none: L1 time advances by executed instructions (ips per
# second), so runs repeat exactly and a loaded host does not make timers
# fire early. The term display (the build has no 'nogui') wants a terminal:
# script(1) gives it one. Without a sound driver Bochs 2.7 aborts at start.
cat >"$work/bochsrc" <<EOF
megs: $megs
cpu: model=corei7_skylake_x, count=1, ips=$ips
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$work/l1.iso, status=inserted
boot: cdrom
display_library: term
com1: enabled=1, mode=file, dev=$log
log: $log.bochs
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
clock: sync=none, time0=local
sound: driver=dummy
speaker: enabled=0
EOF
# The Debian build has the debugger, which stops before the first
# instruction: 'c' continues.
echo c >"$work/cmds"

echo "# L1 $kver ($kind), ${#names[@]} test binaries, vmx.ko: ${vmx_ko:-none}," \
     "bochs ips=$ips megs=$megs, watchdog ${watchdog}s, log $log" >&2
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
: >"$log"
start=$(date +%s.%N)
# Note when L1's /init speaks, to report boot time.
( while ! grep -q '# L1:' "$log" 2>/dev/null; do sleep 0.5; done
  date +%s.%N >"$work/l1-up" ) &
pids+=($!)
if [[ -n $verbose ]]; then
	tail -F "$log" >&2 2>/dev/null &
	pids+=($!)
fi

# The watchdog sits inside script(1), on bochs-bin itself, and must end in
# SIGKILL: Bochs ignores SIGTERM. The outer one only catches a script(1)
# that does not return. The inner timeout's pid is kept for the stall check.
bochs_cmd="echo \$\$ >$(printf %q "$work/bochs.pid");"
bochs_cmd+=" exec timeout -k 10 $watchdog bochs-bin -q -f $(printf %q "$work/bochsrc")"
bochs_cmd+=" -rc $(printf %q "$work/cmds")"
# Stall check: L1 writes at least one line per test run and per timeout,
# so a serial log that stops growing for $stall s means L1 is stuck.
# Signalling the inner timeout makes it kill Bochs (SIGKILL 10 s later).
(
	size=-1 quiet=0
	while sleep 10; do
		now=$(stat -c %s "$log" 2>/dev/null || echo 0)
		if [[ $now != "$size" ]]; then
			size=$now quiet=0
		elif (((quiet += 10) >= stall)) && [[ -s $work/bochs.pid ]]; then
			echo "$quiet" >"$work/stalled"
			kill "$(cat "$work/bochs.pid")" 2>/dev/null
			break
		fi
	done
) &
pids+=($!)
TIMEFORMAT='%R %U %S'
set +e
{ time TERM=vt100 timeout -k 10 $((watchdog + 30)) \
	script -qfec "$bochs_cmd" /dev/null </dev/null >"$work/term.out" 2>&1 ; } \
	2>"$work/time"
emu_rc=$?
set -e
end=$(date +%s.%N)

# Bochs 2.7 powers off through a fatal "panic": that one is a clean exit.
if [[ $emu_rc -eq 1 ]] && grep -q 'ACPI control: soft power off' "$log.bochs" 2>/dev/null; then
	emu_rc=0
fi
read -r _ cpu_user cpu_sys <"$work/time" || true
parse_rc=$emu_rc
[[ -s $work/stalled ]] && parse_rc=0	# reported below, not as the watchdog

{
	if [[ -s $work/l1-up ]]; then
		echo "# L1 /init started after $(secs "$start" "$(cat "$work/l1-up")") s"
	fi
	# (Bochs' CPU time is only known when it exits by itself.)
	cpu=''
	[[ $emu_rc -eq 0 ]] && cpu=" (bochs CPU $(awk -v a="${cpu_user:-0}" \
		-v b="${cpu_sys:-0}" 'BEGIN { printf "%.1f", a + b }') s)"
	echo "# emulator ran $(secs "$start" "$end") s$cpu, exit status $emu_rc"
	# What Bochs found odd (its VMX checks say why a VM entry failed),
	# counted by kind: tick counts and numbers left out. The power-off
	# "panic" is not news, nor are the MSRs that Bochs lacks (they read as
	# 0 and ignore writes: cpu option ignore_bad_msrs, on by default); the
	# .bochs log has them all.
	if [[ -r $log.bochs ]]; then
		grep -E '^[0-9]+[ep]\[' "$log.bochs" |
			sed -E -e 's/^[0-9]+([ep])\[[^]]*\] */\1: /' -e 's/0x[0-9a-fA-F]+/X/g' |
			grep -vE 'ACPI control: soft power off|^e: (RD|WR)MSR: Unknown register' |
			awk '!n[$0]++ { o[++k] = $0 } END { for (i = 1; i <= k; i++) print o[i] " (" n[o[i]] "x)" }' |
			head -n 20 | sed 's/^/# bochs /' || true
	fi
	if grep -q '^\[facts\] ' "$log"; then
		echo "# L1 IA32_VMX_* capability dump: [facts] lines of $log"
	fi
	for n in ${skipped[@]+"${skipped[@]}"}; do
		echo "ok vmx $n # SKIP $(skip_why "$n")"
		echo "ok kvm $n # SKIP $(skip_why "$n")"
	done
	if [[ -s $work/stalled ]]; then
		echo "not ok emulator: L1 wrote nothing for $(cat "$work/stalled") s, Bochs stopped"
	fi
	"$here/parse-l1-log.sh" --expect "${names[*]+${names[*]}}" \
		--emu-rc "$parse_rc" --watchdog "$watchdog" "$log" ||
		echo "not ok harness: log parser failed (status $?)"
} | if [[ -n $raw ]]; then cat; else "$here/tap-summary.sh"; fi
