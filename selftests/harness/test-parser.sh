#!/usr/bin/env bash
# Self-check of parse-l1-log.sh + tap-summary.sh on saved serial logs, so a
# change to the parser cannot silently stop catching failures.
#   testdata/real-run.log   a real L1 boot (fake vmx.ko that only answers
#                           KVM_GET_API_VERSION; kvm-amd for comparison)
#   testdata/pass.log       real-run.log edited to pass (sed, by hand)
#   testdata/broken.log     synthetic: crash, timeout, missing results,
#                           bail out, kernel BUG/Oops/WARNING, torn lines,
#                           an L1 stall and a watchdog kill
# If you change the parser's wording on purpose, regenerate
# testdata/broken.expected with the pipeline in check_golden below.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
td=$here/testdata
fails=0 passes=0

# check_counts <name> <expected closing line> <expected exit> <parser args...>
check_counts() {
	local name=$1 want=$2 want_rc=$3 out rc=0
	shift 3
	out=$("$here/parse-l1-log.sh" "$@" | "$here/tap-summary.sh") || rc=$?
	if [[ $(tail -n1 <<<"$out") == "$want" && $rc == "$want_rc" ]]; then
		echo "ok - $name: $want (exit $rc)"
		passes=$((passes + 1))
	else
		echo "not ok - $name: got '$(tail -n1 <<<"$out")' exit $rc," \
		     "want '$want' exit $want_rc"
		fails=$((fails + 1))
	fi
}

broken_args=(--emu-rc 124 --watchdog 300 --expect
	"good_test plan_test silent_test noisy_test crash_test slow_test stall_test extra_test"
	"$td/broken.log")

check_counts real-run "18 passed, 4 failed" 1 \
	--expect "api_test cpuid_test crash_test skip_test" "$td/real-run.log"
check_counts broken "7 passed, 21 failed" 1 "${broken_args[@]}"

# real-run.log without the fake module's failures and the crasher.
check_counts pass "16 passed, 0 failed" 0 \
	--expect "api_test cpuid_test skip_test" "$td/pass.log"

# An emulator that died before printing anything must still fail.
check_counts empty "0 passed, 3 failed" 1 --emu-rc 1 /dev/null

check_golden() {
	local out
	out=$("$here/parse-l1-log.sh" "${broken_args[@]}" | "$here/tap-summary.sh") || true
	if diff -u "$td/broken.expected" - <<<"$out" >&2; then
		echo "ok - broken.log output matches broken.expected"
		passes=$((passes + 1))
	else
		echo "not ok - broken.log output differs from broken.expected"
		fails=$((fails + 1))
	fi
}
check_golden

echo "parser: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
