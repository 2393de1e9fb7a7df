#!/usr/bin/env bash
# Turn the serial log of one L1 boot (protocol: top of l1-init.sh) into one
# result line per planned (device, test), tab-separated:
#   <dev> <test> <status> <secs> <detail>
# status: pass (exit 0), skip (exit 4, kselftest's KSFT_SKIP), fail, or
# missing (the boot ended before the run began, or kvm-amd could not be
# loaded because vmx.ko would not unload: run.sh may plan it again).
# A vmx run also fails when rmmod vmx fails after it, and any run fails
# when the kernel logs BUG/WARNING/Oops/panic/stall during it.
#
# usage: parse-log.sh LOG PLAN      (PLAN: the boot's "<dev> <test> <t>" lines)
set -euo pipefail

[[ $# -eq 2 && -r $1 && -r $2 ]] || { echo "usage: $0 LOG PLAN" >&2; exit 2; }

# Serial logs carry CRs and, on the first line, firmware escape codes.
sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b.//g' "$1" |
awk -v planfile="$2" '
BEGIN {
	OFS = "\t"
	while ((getline l < planfile) > 0) {
		split(l, f, " ")
		if (f[2] == "") continue
		k = f[1] SUBSEP f[2]; order[++n] = k; dev[k] = f[1]; test[k] = f[2]
	}
	kpat = "(BUG:|WARNING:|Oops|general protection|Kernel panic|kernel BUG at|INFO: rcu_|INFO: task )"
}
function fail(k, why) { if (!(k in bad)) bad[k] = why }
/^@@ begin / { cur = $3 SUBSEP $4; began[cur] = 1; next }
/^@@ end / {
	k = $3 SUBSEP $4; rc = $5; sub(/^rc=/, "", rc); s = $6; sub(/^secs=/, "", s)
	secs[k] = s; ended[k] = 1; cur = ""
	if ($7 == "timeout") fail(k, "timed out after " s " s")
	else if (rc + 0 > 128 && rc + 0 < 160) fail(k, "killed by signal " (rc - 128))
	else if (rc == 254) fail(k, "TEST_ASSERT failed (exit status 254)")
	else if (rc != 0 && rc != 4) fail(k, "exit status " rc)
	else status[k] = (rc == 0) ? "pass" : "skip"
	next
}
/^@@ notrun / {
	k = $3 SUBSEP $4; why = $0; sub(/^@@ notrun [^ ]+ [^ ]+ */, "", why)
	# kvm-amd could not load because vmx.ko stayed in: worth another boot.
	if ($3 == "kvm" && why ~ /still loaded/) next
	ended[k] = 1; fail(k, "not run: " why); next
}
/^@@ step rmmod-vmx rc=[1-9]/ {
	if (cur != "") { why = $0; sub(/^@@ step rmmod-vmx rc=[0-9]+ */, "", why)
		fail(cur, "rmmod vmx failed: " why) }
	next
}
/^@@ done/ { done = 1; next }
/^@@/ { next }
# Kernel trouble during a run: from its dmesg dump or the raw console.
cur != "" && !/^\[(vmx|kvm)\] / && match($0, kpat) {
	m = substr($0, RSTART); fail(cur, "kernel: " m); next
}
END {
	for (i = 1; i <= n; i++) {
		k = order[i]
		if (k in bad) st = "fail"
		else if (k in status) st = status[k]
		else if (began[k]) { st = "fail"
			bad[k] = "did not finish (L1 stalled, or the emulator was stopped)" }
		else st = "missing"
		print dev[k], test[k], st, (k in secs) ? secs[k] : "-", bad[k]
	}
}'
