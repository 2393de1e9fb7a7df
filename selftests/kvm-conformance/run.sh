#!/usr/bin/env bash
# Run Linux 6.1's KVM selftests as a conformance suite: each test runs in a
# short L1 boot (QEMU TCG, SVM+NPT, behind a watchdog) first on vmx.ko
# (through a /dev/kvm node that is really /dev/vmx), then on Debian's
# kvm-amd as the yardstick.
#
# usage: run.sh [--all | TEST...] [--batch N] [--vmx-ko FILE|none]
#               [--no-kvm] [--retry-hangs] [--timeout SECS] [--raw] [--verbose]
#   TEST...    run these (default: every test in tests.txt)
#   --all      run every x86_64 test that builds (for the kvm-amd table)
#   --batch N  tests per L1 boot (default 1: a stalled L1 then costs only
#              one test; tests a stall kept from starting are re-run alone)
#   --vmx-ko   module to test (default $VMX_KO, ./vmx.ko or kmod/vmx.ko;
#              when there is none, every vmx run fails cleanly)
#   --no-kvm   skip the kvm-amd runs
#   --retry-hangs  give a vmx run that L1 did not survive one more boot
#              (kvm-amd runs always get it: L1 under TCG hangs now and then)
#   --timeout  per run of a test not in tests.txt (default 120 s)
#   --raw      print unnumbered TAP lines (for the harness to number and
#              count) instead of numbering them and closing with
#              "N passed, N failed"
#   --verbose  copy each boot's serial console to stderr
# Output: for each test marked `pass` in tests.txt "ok N vmx <test>" or
# "not ok N vmx <test>"; `info` tests and every kvm-amd result as "# ..."
# lines; logs in selftests/build/kvm-conformance/logs/.
# Exit status: 0 all counted tests passed, 4 all counted tests skipped (or
# none counted), 1 otherwise (as kselftest).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
harness=$top/selftests/harness
out=${KVMCONF_OUT:-$top/selftests/build/kvm-conformance}

all= batch=1 vmx_ko=${VMX_KO:-} devs="vmx kvm" dflt_t=120 raw= verbose=
retry_hangs=
names=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--all) all=1; shift ;;
	--batch) batch=$2; shift 2 ;;
	--vmx-ko) vmx_ko=$2; shift 2 ;;
	--no-kvm) devs=vmx; shift ;;
	--retry-hangs) retry_hangs=1; shift ;;
	--timeout) dflt_t=$2; shift 2 ;;
	--raw) raw=1; shift ;;
	--verbose) verbose=1; shift ;;
	-*) sed -n '2,/^set -e/p' "$0" | sed '$d' >&2; exit 2 ;;
	*) names+=("$1"); shift ;;
	esac
done

# tests.txt: "<test> <pass|info> [timeout-secs]", '#' comments.
declare -A expect=() tmo=()
listed=()
while read -r t e s _; do
	[[ -z $t || $t == \#* ]] && continue
	[[ $e == pass || $e == info ]] || { echo "run.sh: tests.txt: $t: bad expectation '$e'" >&2; exit 2; }
	expect[$t]=$e tmo[$t]=${s:-$dflt_t}
	listed+=("$t")
done <"$here/tests.txt"

if [[ -n $all ]]; then
	"$here/build.sh" --all >&2 || true
	names=()
	for f in "$out"/bin/*; do [[ -x $f ]] && names+=("${f##*/}"); done
elif [[ ${#names[@]} -eq 0 ]]; then
	names=("${listed[@]}")
	"$here/build.sh" >&2
else
	"$here/build.sh" "${names[@]}" >&2
fi
for t in "${names[@]}"; do
	expect[$t]=${expect[$t]:-info} tmo[$t]=${tmo[$t]:-$dflt_t}
done

kver=$("$harness/kver.sh")
if [[ -z $vmx_ko ]]; then
	for f in "$top/vmx.ko" "$top/kmod/vmx.ko"; do
		[[ -r $f ]] && { vmx_ko=$f; break; }
	done
fi
[[ $vmx_ko == none ]] && vmx_ko=

run_id=$(date +%Y%m%d-%H%M%S)
logs=$out/logs/$run_id
mkdir -p "$logs"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
base=$logs/base-initramfs.gz
"$harness/mkinitramfs.sh" --out "$base" --kver "$kver" \
	--init "$here/l1-init.sh" ${vmx_ko:+--vmx-ko "$vmx_ko"} 2>&1 | sed 's/^/# /' >&2
echo "# kvm-conformance: L1 $kver, ${#names[@]} tests, batch $batch," \
     "vmx.ko: ${vmx_ko:-none}, logs $logs" >&2

# boot <n> <plan>: one L1 boot running <plan>; results go to $logs/boot-<n>.res
boot() {
	local n=$1 plan=$2 log=$logs/boot-$1.log w=90 idle=0 t rc start bg last
	local quiet_since size stalled=
	rm -rf "$stage/root" && mkdir -p "$stage/root/kvmconf/bin"
	cp "$plan" "$stage/root/kvmconf/plan"
	for t in $(awk '{ print $2 }' "$plan" | sort -u); do
		cp "$out/bin/$t" "$stage/root/kvmconf/bin/"
	done
	# Kernels take concatenated cpio archives: base + this boot's plan.
	cp "$base" "$stage/initrd"
	(cd "$stage/root" && find . -mindepth 1 | cpio -o -H newc --quiet -R 0:0 |
		gzip -1) >>"$stage/initrd"
	# Two watchdogs. Overall: boot allowance + each run's timeout + slack
	# for its steps. Idle: L1 prints at least at the end of every run, so
	# a console silent for longer than the longest run's timeout means L1
	# hangs (seen under TCG): stop it rather than wait for the overall one.
	while read -r _ _ t; do
		w=$((w + t + 15))
		[[ $t -le $idle ]] || idle=$t
	done <"$plan"
	idle=$((idle + 45))
	start=$SECONDS
	rm -f "$stage/qemu.pid" "$stage/qemu.rc"
	: >"$log"
	(
		set +e
		timeout -k 10 "$w" qemu-system-x86_64 \
			$("$harness/l1-machine.sh") \
			-kernel "/boot/vmlinuz-$kver" -initrd "$stage/initrd" \
			-append "console=ttyS0 quiet panic=-1" \
			-nographic -no-reboot -pidfile "$stage/qemu.pid" \
			</dev/null 2>"$log.stderr" |
			if [[ -n $verbose ]]; then tee "$log" >&2; else cat >"$log"; fi
		echo "${PIPESTATUS[0]}" >"$stage/qemu.rc"
	) &
	bg=$!
	last=-1 quiet_since=$SECONDS
	while kill -0 "$bg" 2>/dev/null; do
		sleep 1
		size=$(stat -c %s "$log")
		if [[ $size != "$last" ]]; then
			last=$size quiet_since=$SECONDS
		elif [[ -z $stalled && $((SECONDS - quiet_since)) -gt $idle ]]; then
			stalled=1
			echo "# boot $n: L1 silent for $idle s: stopping the emulator" >&2
			kill "$(cat "$stage/qemu.pid")" 2>/dev/null || true
		fi
	done
	wait "$bg" || true
	rc=$(cat "$stage/qemu.rc" 2>/dev/null || echo 255)
	echo "$((SECONDS - start)) $rc $w" >"$log.time"
	"$here/parse-log.sh" "$log" "$plan" >"$logs/boot-$n.res"
	if [[ $rc == 124 || $rc == 137 ]]; then
		echo "# boot $n: watchdog stopped the emulator after $w s" >&2
	fi
}

declare -A res=() why=() secs=()
# Queue of boots, each "<devs>|<tests>"; first the batches of every test.
queue=()
for ((i = 0; i < ${#names[@]}; i += batch)); do
	queue+=("$devs|${names[*]:i:batch}")
done
nboot=0
declare -A requeued=() hung=()
results() {
	local qi=0 item bdevs btests d t plan st s w i ts
	while [[ $qi -lt ${#queue[@]} ]]; do
		item=${queue[qi]} qi=$((qi + 1))
		bdevs=${item%%|*} btests=${item#*|}
		nboot=$((nboot + 1)) plan=$logs/boot-$nboot.plan
		: >"$plan"
		for d in $bdevs; do
			for t in $btests; do echo "$d $t ${tmo[$t]}" >>"$plan"; done
		done
		boot "$nboot" "$plan"
		echo "# boot $nboot ($(cut -d' ' -f1 "$logs/boot-$nboot.log.time") s): $btests" >&2
		local -A again=()
		while IFS=$'\t' read -r d t st s w; do
			# Never started (an earlier run stalled L1): once more, in
			# batches again. L1 hung in it: once more, alone.
			if [[ -z ${requeued[$d.$t]:-} && $st == missing ]]; then
				requeued[$d.$t]=1
				again[$d]+=" $t"
				continue
			fi
			if [[ -z ${requeued[$d.$t]:-} && $st == fail &&
			      $w == "did not finish"* ]] &&
			   [[ $d == kvm || -n $retry_hangs ]]; then
				requeued[$d.$t]=1 hung[$d.$t]=$nboot
				queue+=("$d|$t")
				continue
			fi
			[[ $st == missing ]] && { st=fail w="no result: the L1 boot ended before it ran"; }
			res[$d.$t]=$st why[$d.$t]=$w secs[$d.$t]=$s
		done <"$logs/boot-$nboot.res"
		for d in "${!again[@]}"; do
			read -ra ts <<<"${again[$d]}"
			for ((i = 0; i < ${#ts[@]}; i += batch)); do
				queue+=("$d|${ts[*]:i:batch}")
			done
		done
		for t in $btests; do report "$t"; done
	done
}

# Last lines a run wrote, as TAP diagnostics.
tail_of() {
	grep -h "^\[$1\] $2: " "$logs"/boot-*.log 2>/dev/null | tr -d '\r' |
		sed "s/^\[$1\] $2: /#   /" | tail -n "$3" || true
}
# "file:line: condition: message" of the run's last TEST_ASSERT failure.
assert_of() {
	grep -h "^\[$1\] $2: " "$logs"/boot-*.log 2>/dev/null | tr -d '\r' |
		sed "s/^\[$1\] $2: *//" |
		awk '/==== Test Assertion Failure ====/ { n = 1; m = ""; next }
			n && (/^pid=|addr2line|^[0-9]+\t/ || NF == 0) { next }
			n { m = m (m == "" ? "" : ": ") $0 }
			END { print substr(m, 1, 240) }' || true
}

# kselftest's "1..0 # SKIP why", or the library's print_skip() "why, skipping test".
skip_reason() {
	grep -hE "^\[$1\] $2: .*(# SKIP|, skipping test)" "$logs"/boot-*.log 2>/dev/null |
		tr -d '\r' | tail -n1 |
		sed "s/^\[$1\] $2: //; s/.*# SKIP *//; s/^- *//; s/, skipping test.*//" || true
}

declare -A printed=()
report() {
	local t=$1 d st w a
	for d in $devs; do
		[[ -n ${res[$d.$t]:-} && -z ${printed[$d.$t]:-} ]] || continue
		printed[$d.$t]=1
		st=${res[$d.$t]} w=${why[$d.$t]}
		[[ -z ${hung[$d.$t]:-} ]] ||
			echo "# ${d/kvm/kvm-amd} $t: L1 hung during it in boot ${hung[$d.$t]}; result of a second boot:"
		[[ $st == skip ]] && w=$(skip_reason "$d" "$t")
		if [[ $w == "TEST_ASSERT failed"* ]]; then
			a=$(assert_of "$d" "$t")
			[[ -z $a ]] || w="TEST_ASSERT: $a"
		fi
		if [[ $d == kvm ]]; then
			echo "# kvm-amd $t: $st${w:+ ($w)} [${secs[$d.$t]} s]"
		elif [[ ${expect[$t]} == pass ]]; then
			case $st in
			pass) echo "ok vmx $t" ;;
			skip) echo "ok vmx $t # SKIP ${w:-skipped}" ;;
			*) echo "not ok vmx $t"; echo "#   $w"; tail_of vmx "$t" 8 ;;
			esac
		else
			echo "# info vmx $t: $st${w:+ ($w)}"
		fi
	done
}

summary() {
	local d t n p s f cp=0 cs=0 cf=0 line="# conformance:"
	for d in $devs; do
		p=0 s=0 f=0
		for t in "${names[@]}"; do
			case ${res[$d.$t]:-fail} in pass) p=$((p + 1)) ;; skip) s=$((s + 1)) ;; *) f=$((f + 1)) ;; esac
		done
		n=$([[ $d == vmx ]] && echo vmx || echo kvm-amd)
		line="$line $n $p pass / $s skip / $f fail;"
	done
	for t in "${names[@]}"; do
		[[ ${expect[$t]} == pass ]] || continue
		case ${res[vmx.$t]:-fail} in pass) cp=$((cp + 1)) ;; skip) cs=$((cs + 1)) ;; *) cf=$((cf + 1)) ;; esac
	done
	echo "${line%;} (${#names[@]} tests; counted: $cp pass / $cs skip / $cf fail)"
	echo "# $nboot L1 boots: $(cat "$logs"/boot-*.log.time | awk '{ s += $1 } END { print s }') s"
	if [[ $cf -gt 0 ]]; then echo 1; elif [[ $cp -eq 0 ]]; then echo 4; else echo 0; fi >"$stage/exit"
}

# errexit is off around the pipeline (tap-summary.sh fails when a test
# does), and on inside it: a broken run must not look like a short one.
set +e
if [[ -n $raw ]]; then
	(set -e; results; summary)
else
	(set -e; results; summary) | "$harness/tap-summary.sh"
fi
set -e
exit "$(cat "$stage/exit" 2>/dev/null || echo 1)"
