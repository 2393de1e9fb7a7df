#!/usr/bin/env bash
# Turn the raw serial log of one L1 boot (protocol: see the top of
# l1-init-selftests.sh) into unnumbered TAP lines, "ok <desc>" or
# "not ok <desc>", plus "# ..." diagnostics. tap-summary.sh numbers them and
# counts. Kept apart from run-qemu.sh so that it can be tested on saved logs.
#
# usage: parse-l1-log.sh [--expect "t1 t2 ..."] [--devs "vmx kvm"]
#                        [--emu-rc N] [--watchdog SECS] LOG
#   --expect    test binaries that were put into the initramfs: each must
#               have run on each device, even if L1 never got to print its
#               own list
#   --emu-rc    exit status of `timeout ... qemu`: 124/137 = watchdog fired
set -euo pipefail

expect='' devs='vmx kvm' emu_rc='' watchdog=''
while [[ $# -gt 1 ]]; do
	case $1 in
	--expect) expect=$2; shift 2 ;;
	--devs) devs=$2; shift 2 ;;
	--emu-rc) emu_rc=$2; shift 2 ;;
	--watchdog) watchdog=$2; shift 2 ;;
	*) echo "parse-l1-log.sh: bad option $1" >&2; exit 2 ;;
	esac
done
[[ $# -eq 1 && -r $1 ]] || { echo "usage: $0 [opts] LOG" >&2; exit 2; }

# Serial logs carry CRs and, on the first line, firmware escape codes.
sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b.//g' "$1" |
awk -v expect="$expect" -v devs="$devs" -v emu_rc="$emu_rc" -v wd="$watchdog" \
    -v kvm_known=" $("$(dirname "$0")/kvm-known.sh" | tr , ' ') " '
function emit(okness, desc) { print okness " " desc }
function add_test(t) { if (!(t in known)) { known[t] = 1; order[++ntests] = t } }
function finish(k, dev, t, rc, secs, to,    d) {
	d = dev " " t
	ended[k] = 1
	if (bail[k])
		emit("not ok", d ": bail out")
	if (to)
		emit("not ok", d ": timed out after " secs " s")
	else if (rc > 128)
		emit("not ok", d ": killed by signal " (rc - 128) " (crashed)")
	else if (rc == 4 && nres[k] == 0)
		emit("ok", d " # SKIP " (skipwhy[k] != "" ? skipwhy[k] : "whole binary"))
	else if (nres[k] == 0)
		emit("not ok", d ": no results (exit status " rc ")")
	else if (rc != 0 && rc != 4 && nfail[k] == 0 && !bail[k] && !nknown[k])
		emit("not ok", d ": exit status " rc " but no failing result")
	if (!to && rc <= 128 && plan[k] > 0 && nres[k] < plan[k])
		emit("not ok", d ": missing results (" nres[k] " of " plan[k] ")")
}
BEGIN {
	kpat = "(BUG:|WARNING:|Oops|general protection|Kernel panic|kernel BUG at|INFO: rcu_|INFO: task )"
	n = split(expect, a, " "); for (i = 1; i <= n; i++) add_test(a[i])
	ndev = split(devs, dv, " ")
}
# Kernel trouble, wherever it shows: raw console lines, [dmesg] dumps, or
# torn into a line of a test. The message must start with the keyword (one
# "subsystem: " word may lead, as in "watchdog: BUG: soft lockup"): the stock
# kernel also prints "... Overflow: WARNING: See ..." advice at boot.
!/^@@/ && match($0, "(^|\\[ *[0-9]+\\.[0-9]+\\] |^\\[dmesg\\] )([a-z_]+: )?" kpat) {
	m = substr($0, RSTART)
	sub(/^\[dmesg\] /, "", m); sub(/^\[ *[0-9]+\.[0-9]+\] /, "", m)
	if (!(m in kseen)) { kseen[m] = 1; emit("not ok", "kernel: " m) }
}
/^# L1/ { print; next }
/^@@ tests/ {
	sawtests = 1
	for (i = 3; i <= NF; i++) add_test($i)
	next
}
/^@@ begin / { k = $3 SUBSEP $4; add_test($4); began[k] = 1; next }
/^@@ end / {
	rc = $5; sub(/^rc=/, "", rc); secs = $6; sub(/^secs=/, "", secs)
	finish($3 SUBSEP $4, $3, $4, rc + 0, secs, $7 == "timeout")
	next
}
/^@@ notrun / {
	k = $3 SUBSEP $4; add_test($4); notrun[k] = 1
	why = $0; sub(/^@@ notrun [^ ]+ [^ ]+ */, "", why)
	emit("not ok", $3 " " $4 ": not run (" why ")")
	next
}
/^@@TAP ok / { emit("ok", substr($0, 10)); next }
/^@@TAP not ok / { emit("not ok", substr($0, 14)); next }
/^@@ done/ { done = 1; next }
/^\[[a-z0-9_-]+\] [^ :]+: / && $1 != "[dmesg]" {
	dev = substr($1, 2, length($1) - 2); t = $2; sub(/:$/, "", t)
	line = substr($0, length($1) + length($2) + 3)
	k = dev SUBSEP t
	if (line ~ /^(not )?ok [0-9]+/) {
		bad = (line ~ /^not /)
		n = line; sub(/^(not )?ok /, "", n); n = n + 0
		sub(/^(not )?ok [0-9]+ *(- *)?/, "", line)
		nres[k]++
		if (bad && dev == "kvm" && index(kvm_known, " " t ":" n " ")) {
			nknown[k]++
			emit("ok", dev " " t ": " line " # SKIP known KVM bug in this emulator (kvm-known.txt)")
			next
		}
		if (bad) nfail[k]++
		emit(bad ? "not ok" : "ok", dev " " t ": " line)
	} else if (line ~ /^1\.\.[0-9]+/) {
		plan[k] = substr(line, 4) + 0
		if (plan[k] == 0 && match(line, /# *[Ss][Kk][Ii][Pp] */))
			skipwhy[k] = substr(line, RSTART + RLENGTH)
	} else if (line ~ /^Bail out!/) {
		bail[k] = 1
	}
	next
}
END {
	if (!sawtests && ntests == 0)
		emit("not ok", "harness: L1 /init never listed its tests")
	for (i = 1; i <= ntests; i++)
		for (j = 1; j <= ndev; j++) {
			k = dv[j] SUBSEP order[i]
			if (began[k] && !ended[k])
				emit("not ok", dv[j] " " order[i] ": did not finish")
			else if (!began[k] && !notrun[k])
				emit("not ok", dv[j] " " order[i] ": no result (L1 stopped first)")
		}
	if (!done)
		emit("not ok", "harness: L1 /init did not finish")
	if (emu_rc == 124 || emu_rc == 137)
		emit("not ok", "emulator: killed by the watchdog after " wd " s")
	else if (emu_rc != "" && emu_rc != 0)
		emit("not ok", "emulator: exit status " emu_rc)
}'
