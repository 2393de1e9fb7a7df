#!/usr/bin/env bash
# `make check`: every test of the project, summed into one TAP stream that
# ends in "N passed, N failed"; exit status non-zero if anything failed.
#   1. unit tests that need no hardware (x86 decoder, log parser)
#   2. the selftests on vmx.ko and on KVM, nested in QEMU TCG (AMD SVM)
#   3. the same selftests nested in Bochs (Intel VT-x), vmx.ko vs kvm-intel
#   4. Linux's KVM selftests as a conformance suite (vmx.ko vs kvm-amd)
# Set VMX_CHECK_SKIP to a space-separated list of steps (unit, qemu,
# bochs, conformance) to leave some out while developing.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
skip=" ${VMX_CHECK_SKIP:-} "

# Renumbered TAP from a kselftest binary becomes unnumbered, prefixed lines.
unnumber() {
	sed -nE "s/^(not )?ok [0-9]+ (- )?/\\1ok $1: /p"
}

{
	if [[ $skip != *" unit "* ]]; then
		"$top/selftests/build/unit/decode_test" | unnumber "unit decode"
		if out=$("$here/test-parser.sh" 2>&1); then
			echo "ok unit harness: log parser self-test (${out##*$'\n'})"
		else
			echo "not ok unit harness: log parser self-test"
			printf '%s\n' "$out" | sed 's/^/# /'
		fi
	fi
	if [[ $skip != *" qemu "* ]]; then
		"$here/run-qemu.sh" --raw | sed -E 's/^(not )?ok /&svm /'
	fi
	if [[ $skip != *" bochs "* ]]; then
		# One Bochs boot per binary: a hang seen only when all binaries
		# share one boot (see the README's known issues) then costs one
		# test, not the run.
		for t in "$top"/selftests/build/*_test; do
			d=$(mktemp -d)
			ln -s "$t" "$d/"
			"$here/run-bochs.sh" --raw --tests "$d" --timeout 100 |
				sed -E 's/^(not )?ok /&vt-x /'
			rm -rf "$d"
		done
	fi
	if [[ $skip != *" conformance "* && -x $top/selftests/kvm-conformance/run.sh ]]; then
		"$top/selftests/kvm-conformance/run.sh" --raw
	fi
} | "$here/tap-summary.sh"
