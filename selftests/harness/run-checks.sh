#!/usr/bin/env bash
# `make check`: every test of the project, summed into one TAP stream that
# ends in "N passed, N failed"; exit status non-zero if anything failed.
#   1. unit tests that need no hardware (x86 decoder, virtqueues, kernel
#      loaders, log parser)
#   2. the selftests on vmx.ko and on KVM, nested in QEMU TCG (AMD SVM)
#   3. the same selftests nested in Bochs (Intel VT-x), vmx.ko vs kvm-intel
#   4. Linux's KVM selftests as a conformance suite (vmx.ko vs kvm-amd)
# Step 2 boots the emulated host once per test binary: it runs the binary
# on vmx.ko, checks rmmod, then runs it on KVM and compares. QEMU runs on
# single-threaded TCG (README, Known issues: nested SVM under multi-threaded
# TCG). A boot whose only failures are on the KVM side (the yardstick, not
# the product) is tried once more; the first try is shown as "#" lines.
# Failures on vmx.ko are never retried. Step 3 runs every binary in one
# Bochs boot.
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

# run_each RUNNER PREFIX: one emulator boot per selftest binary.
run_each() {
	local runner=$1 prefix=$2 t d out to
	for t in "$top"/selftests/build/*_test; do
		d=$(mktemp -d)
		ln -s "$t" "$d/"
		# vmxrun_test boots Linux six times per device: 100 s on vmx.ko
		# and 145 s on kvm-amd here, and CI machines may be 2-3 times
		# slower; each boot has its own limit (BOOT_TIMEOUT).
		# vmxrun_loader_test boots it once (its own limit: 240 s).
		to=100
		[[ ${t##*/} == vmxrun_test ]] && to=600
		[[ ${t##*/} == vmxrun_loader_test ]] && to=300
		out=$("$here/$runner" --raw --tests "$d" --timeout $to \
			--watchdog $((100 + 2 * to)))
		# Retry only when vmx.ko's half passed and it unloaded cleanly.
		if grep -q '^not ok' <<<"$out" && ! grep -q '^not ok vmx ' <<<"$out" &&
		   grep -q '^ok harness: rmmod vmx' <<<"$out"; then
			echo "# ${t##*/}: only the KVM side failed; trying the boot" \
			     "again"
			grep '^not ok' <<<"$out" | sed 's/^/# first try: /'
			out=$("$here/$runner" --raw --tests "$d" --timeout $to \
				--watchdog $((100 + 2 * to)))
		fi
		sed -E "s/^(not )?ok /&$prefix /" <<<"$out"
		rm -rf "$d"
	done
}

{
	if [[ $skip != *" unit "* ]]; then
		"$top/selftests/build/unit/decode_test" | unnumber "unit decode"
		"$top/selftests/build/unit/virtq_test" | unnumber "unit virtq"
		"$top/selftests/build/unit/virtio_dev_test" | unnumber "unit virtio"
		"$top/selftests/build/unit/acpi_test" | unnumber "unit acpi"
		"$top/selftests/build/unit/loader_test" | unnumber "unit loader"
		if out=$("$here/test-parser.sh" 2>&1); then
			echo "ok unit harness: log parser self-test (${out##*$'\n'})"
		else
			echo "not ok unit harness: log parser self-test"
			printf '%s\n' "$out" | sed 's/^/# /'
		fi
	fi
	[[ $skip == *" qemu "* ]] || run_each run-qemu.sh svm
	# Bochs is steady: every binary in one boot (about a minute).
	if [[ $skip != *" bochs "* ]]; then
		"$here/run-bochs.sh" --raw | sed -E 's/^(not )?ok /&vt-x /'
	fi
	if [[ $skip != *" conformance "* && -x $top/selftests/kvm-conformance/run.sh ]]; then
		"$top/selftests/kvm-conformance/run.sh" --raw
	fi
} | "$here/tap-summary.sh"
