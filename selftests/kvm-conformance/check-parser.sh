#!/usr/bin/env bash
# Self-check of parse-log.sh on a synthetic serial log that has every case
# it must tell apart, so that a change cannot silently turn a failure into
# a pass. No emulator needed; prints TAP, exits 1 on a mismatch.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/plan" <<'EOF'
vmx t_pass 60
vmx t_skip 60
vmx t_assert 60
vmx t_timeout 60
vmx t_rmmod 60
vmx t_bug 60
vmx t_insmod 60
vmx t_segv 60
vmx t_hang 60
vmx t_never 60
kvm t_pass 60
kvm t_vmxstuck 60
EOF
# First line as the firmware leaves it: escape codes, no newline, CRs.
printf '\033[?7l\033[2J\033[0mSeaBIOS\r\n' >"$tmp/log"
cat >>"$tmp/log" <<'EOF'
# L1: 6.1.0-0-amd64, up 3.00 s at /init
@@ begin vmx t_pass
[vmx] t_pass: WARNING: printed by the test itself is no kernel trouble
@@ step rmmod-vmx rc=0
@@ end vmx t_pass rc=0 secs=1
@@ begin vmx t_skip
[vmx] t_skip: 1..0 # SKIP - Requirement not met: kvm_has_cap(X)
@@ step rmmod-vmx rc=0
@@ end vmx t_skip rc=4 secs=0
@@ begin vmx t_assert
[vmx] t_assert: ==== Test Assertion Failure ====
@@ step rmmod-vmx rc=0
@@ end vmx t_assert rc=254 secs=0
@@ begin vmx t_timeout
@@ step rmmod-vmx rc=0
@@ end vmx t_timeout rc=137 secs=60 timeout
@@ begin vmx t_rmmod
@@ step rmmod-vmx rc=1 rmmod: can't unload module 'vmx': Resource temporarily unavailable
@@ end vmx t_rmmod rc=0 secs=0
@@ begin vmx t_bug
[dmesg] [   5.0] BUG: unable to handle page fault for address: 0000000000000008
@@ step rmmod-vmx rc=0
@@ end vmx t_bug rc=0 secs=0
@@ step insmod-vmx rc=1 insmod: can't insert '/vmx.ko': invalid module format
@@ notrun vmx t_insmod insmod vmx.ko failed: insmod: can't insert '/vmx.ko': invalid module format
@@ begin vmx t_segv
@@ step rmmod-vmx rc=0
@@ end vmx t_segv rc=139 secs=0
@@ begin vmx t_hang
[vmx] t_hang: started
EOF

want=$(printf '%s\n' \
	"vmx t_pass pass" "vmx t_skip skip" "vmx t_assert fail" \
	"vmx t_timeout fail" "vmx t_rmmod fail" "vmx t_bug fail" \
	"vmx t_insmod fail" "vmx t_segv fail" "vmx t_hang fail" \
	"vmx t_never missing" "kvm t_pass missing" "kvm t_vmxstuck missing")
got=$("$here/parse-log.sh" "$tmp/log" "$tmp/plan" | cut -f1-3 | tr '\t' ' ')

# The same log, continued by a boot that got to kvm-amd.
cat >>"$tmp/log" <<'EOF'
@@ notrun kvm t_vmxstuck vmx.ko is still loaded
@@ begin kvm t_pass
@@ end kvm t_pass rc=0 secs=2
@@ done
EOF
want2="kvm t_pass pass"
got2=$("$here/parse-log.sh" "$tmp/log" "$tmp/plan" | cut -f1-3 | tr '\t' ' ' |
	grep '^kvm t_pass')

echo "TAP version 13"
echo "1..2"
rc=0
if [[ $got == "$want" ]]; then
	echo "ok 1 parse-log: every status of a broken boot"
else
	echo "not ok 1 parse-log: every status of a broken boot"
	diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
	rc=1
fi
if [[ $got2 == "$want2" ]]; then
	echo "ok 2 parse-log: kvm-amd result after the vmx runs"
else
	echo "not ok 2 parse-log: kvm-amd result after the vmx runs: $got2"
	rc=1
fi
exit $rc
