#!/bin/sh
# /init of the L1 initramfs for selftest runs (busybox sh, PID 1; no set -e:
# one failing step must not stop the run, and PID 1 must never exit).
#
# It runs every /selftests/*_test first against /dev/vmx (after insmod
# /vmx.ko), rmmods vmx, loads Debian's kvm-amd or kvm-intel (whichever
# matches the CPU) and runs every test again against /dev/kvm.
#
# Serial output protocol, parsed by parse-l1-log.sh on the host. Lines
# starting with "@@" come from this script, and only from it:
#   @@ tests <t1> <t2> ...        the binaries found in /selftests
#   @@ begin <dev> <test>         a run of /selftests/<test> with
#                                 VMX_DEV=/dev/<dev> (dev: vmx or kvm) starts
#   [<dev>] <test>: <line>        every line that run wrote (stdout+stderr)
#   @@ end <dev> <test> rc=<n> secs=<s> [timeout]
#                                 exit status; "timeout" when killed by the
#                                 per-test timeout (SIGKILL, rc 137)
#   @@ notrun <dev> <test> <why>  the run could not be attempted
#   @@TAP ok <desc> / @@TAP not ok <desc>
#                                 a harness check: "harness: insmod /vmx.ko",
#                                 "harness: rmmod vmx", "agree: <test> ..."
#   [dmesg] <line>                kernel log collected after each step (the
#                                 console shows only EMERG/ALERT directly, so
#                                 kernel lines do not tear test output)
#   [facts] <line>                output of /l1-facts, when the runner put one
#                                 in (informational, ignored by the parser)
#   @@ done                       everything ran; poweroff follows
# Anything else ("# L1: ..." facts, raw kernel console lines) is
# informational; the host still greps all kernel lines for BUG/Oops/WARNING.
#
# Kernel command-line knobs (unknown "k=v" parameters reach PID 1 as
# environment variables): vmx_timeout=<seconds per test run, default 60>,
# vmx_bootlog=warn (of the boot's kernel log, print only warnings and worse:
# Bochs' UART moves about 1 KB per emulated second).

# busybox ash has "local"; it keeps the recursion in load() sane.
# shellcheck disable=SC3043
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
echo 2 >/proc/sys/kernel/printk

T=${vmx_timeout:-60}
# The binary's own watchdog (lib/tap.c) ends it with a "Bail out!" line a
# little before the KILL below, so both agree on the time a test has.
W=$T
[ "$T" -gt 10 ] && W=$((T - 5))
M=/lib/modules/$(uname -r)
R=/tmp/res
mkdir -p $R

kmsg() { dmesg -c 2>/dev/null | sed 's/^/[dmesg] /'; }
# The boot's log: all of it, or levels 0-4 (emerg..warn) with vmx_bootlog=warn.
bootlog() {
	if [ "${vmx_bootlog:-}" = warn ]; then
		dmesg -c -r 2>/dev/null | sed -n 's/^<[0-4]>/[dmesg] /p'
	else
		kmsg
	fi
}
tap() { echo "@@TAP $*"; }
first() { echo "$1" | head -n1; }

# The firmware leaves escape codes without a newline: start a fresh line.
echo
echo "# L1: $(uname -r)"
echo "# L1 uptime at /init: $(cut -d' ' -f1 /proc/uptime) s"
echo "# L1 cpu:$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2)"
echo "# L1 virt flags: $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2 | tr ' ' '\n' |
	grep -E '^(svm|npt|lbrv|svm_lock|nrip_save|tsc_scale|vmcb_clean|flushbyasid|decodeassists|pausefilter|pfthreshold|avic|v_vmsave_vmload|vgif|v_spec_ctrl|vnmi|x2avic|sev|sev_es|vmx)$' |
	tr '\n' ' ' | sed 's/ $//')"
grep -m1 '^vmx flags' /proc/cpuinfo | sed 's/^/# L1 /'
# Optional extra facts from the runner (run-bochs.sh adds a dump of the
# IA32_VMX_* MSRs): kept in the raw log as "[facts] ..." lines, which the
# parser ignores, so they stay out of the TAP stream.
[ -x /l1-facts ] && /l1-facts 2>&1 | sed 's/^/[facts] /'
bootlog

TESTS=
for f in /selftests/*_test; do
	[ -x "$f" ] && TESTS="$TESTS ${f##*/}"
done
echo "@@ tests$TESTS"

# load <module>: insmod it after its dependencies (from mkinitramfs' deps).
load() {
	local d
	grep -q "^$1 " /proc/modules && return 0
	# shellcheck disable=SC2013 # deps are words
	for d in $(awk -v m="$1" '$1 == m { for (i = 2; i <= NF; i++) print $i }' "$M/deps"); do
		load "$d" || return 1
	done
	insmod "$M/$1.ko"
}

# tun, for vmxrun_test's tap case (/dev/net/tun); absent tests just skip.
[ -e "$M/tun.ko" ] && load tun >/dev/null 2>&1

# run_one <dev> <test>: one run, output prefixed, copy kept for "agree".
run_one() {
	local dev="$1" t="$2" start rc secs to=
	echo "@@ begin $dev $t"
	start=$(cut -d. -f1 /proc/uptime)
	{
		VMX_DEV=/dev/$dev VMX_TEST_TIMEOUT=$W timeout -s KILL "$T" "/selftests/$t" </dev/null 2>&1
		echo $? >$R/rc
	} | tee "$R/$dev.$t" | sed "s|^|[$dev] $t: |"
	rc=$(cat $R/rc)
	# A test killed on time leaves its vmx-run children: they would keep
	# /dev/vmx open (no rmmod) and SVM on (no kvm_amd).
	if killall -KILL vmx-run 2>/dev/null; then
		echo "@@ killed leftover vmx-run processes"
		sleep 1
	fi
	secs=$(($(cut -d. -f1 /proc/uptime) - start))
	[ "$rc" = 137 ] && [ "$secs" -ge "$T" ] && to=" timeout"
	echo "@@ end $dev $t rc=$rc secs=$secs$to"
	echo "$rc" >"$R/$dev.$t.rc"
	kmsg
}

# run_all <dev> <why-not>: run every test, or mark each not run.
run_all() {
	local t
	for t in $TESTS; do
		if [ -n "$2" ]; then
			echo "@@ notrun $1 $t $2"
		else
			run_one "$1" "$t"
		fi
	done
}

# --- vmx.ko ---
why=
if [ ! -e /vmx.ko ]; then
	tap "not ok harness: insmod /vmx.ko: no /vmx.ko in the initramfs"
	why="vmx.ko not loaded"
elif err=$(insmod /vmx.ko 2>&1); then
	tap "ok harness: insmod /vmx.ko"
	if [ -c /dev/vmx ]; then
		tap "ok harness: /dev/vmx exists"
	else
		tap "not ok harness: /dev/vmx exists"
		why="no /dev/vmx"
	fi
else
	tap "not ok harness: insmod /vmx.ko: $(first "$err")"
	why="vmx.ko not loaded"
fi
kmsg
# Where the kernel and vmx.ko sit (KASLR), to read a crash's addresses.
echo "# L1 _text $(grep -m1 ' _text$' /proc/kallsyms | cut -d' ' -f1)," \
     "vmx.ko .text $(cat /sys/module/vmx/sections/.text 2>/dev/null)"
run_all vmx "$why"
if grep -q '^vmx ' /proc/modules; then
	if err=$(rmmod vmx 2>&1); then
		tap "ok harness: rmmod vmx"
	else
		tap "not ok harness: rmmod vmx: $(first "$err")"
	fi
	kmsg
fi

# --- Debian's KVM, for comparison ---
if grep -qw svm /proc/cpuinfo; then
	kvm=kvm_amd
elif grep -qw vmx /proc/cpuinfo; then
	kvm=kvm_intel
else
	kvm=
fi
why=
if [ -z "$kvm" ]; then
	tap "not ok harness: load kvm: CPU has neither svm nor vmx"
	why="no svm/vmx"
elif err=$(load $kvm 2>&1) && [ -c /dev/kvm ]; then
	tap "ok harness: load $kvm"
else
	tap "not ok harness: load $kvm: $(first "$err")"
	why="$kvm not loaded"
fi
kmsg
run_all kvm "$why"

# --- same ok/not ok pattern on both devices? ---
# KVM's own bugs in the emulator (selftests/harness/kvm-known.txt, passed
# as vmx_kvm_known=<test>:<case>,...): such a case failing on KVM counts as
# agreeing with vmx passing it.
KVM_KNOWN=" $(echo "${vmx_kvm_known:-}" | tr , ' ') "
pattern() {
	[ -e "$R/$1.$2.rc" ] || { echo "not-run"; return; }
	awk -v rc="$(cat "$R/$1.$2.rc")" -v dev="$1" -v t="$2" \
	    -v known="$KVM_KNOWN" '
		/^(not )?ok [0-9]+/ {
			if ($1 == "not") { n = $3; r = "fail" }
			else { n = $2; r = (toupper($0) ~ /# *SKIP/) ? "skip" : "ok" }
			if (dev == "kvm" && r == "fail" &&
			    index(known, " " t ":" n " ")) { r = "ok"; kf++ }
			s = s " " n ":" r
		}
		END {
			if (kf && rc == 1 && kf == fails) rc = 0
			x = (rc == 0) ? "pass" : (rc == 4) ? "skip" : "fail"
			print "exit=" x s
		}
		/^not ok [0-9]+/ { fails++ }' "$R/$1.$2"
}
for t in $TESTS; do
	pv=$(pattern vmx "$t")
	pk=$(pattern kvm "$t")
	if [ "$pv" = "$pk" ] && [ "$pv" != not-run ]; then
		tap "ok agree: $t"
	else
		tap "not ok agree: $t: vmx[$pv] kvm[$pk]"
	fi
done

kmsg
echo "@@ done"
# Let the serial port finish: its tx count must stop moving (QEMU's UART
# is done at once; Bochs' lags by up to a few seconds of emulated time).
tx() { grep -o 'tx:[0-9]*' /proc/tty/driver/serial 2>/dev/null | head -n1; }
n=0 now=$(tx)
while [ $n -lt 120 ]; do
	sleep 0.5
	was=$now now=$(tx)
	[ "$was" = "$now" ] && break
	n=$((n + 1))
done
sleep 1
poweroff -f
