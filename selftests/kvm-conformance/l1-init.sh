#!/bin/sh
# /init of an L1 boot of the KVM conformance run (busybox sh, PID 1: no
# set -e, one failing step must not stop the run, and PID 1 never exits).
#
# /kvmconf/plan (appended to the initramfs per boot by run.sh) lists what to
# run, one "<dev> <test> <timeout-secs>" per line, all vmx lines first:
#   vmx: for each test on its own: insmod /vmx.ko, mknod /dev/kvm with
#        /dev/vmx's major:minor (Linux's selftests open the fixed path
#        /dev/kvm), run, rm the node, rmmod vmx.
#   kvm: load Debian's kvm-amd once (after its dependencies), run each test
#        on the real /dev/kvm.
# Binaries are /kvmconf/bin/<test>.
#
# Serial protocol, parsed by parse-log.sh ("@@" lines come only from here):
#   @@ begin <dev> <test>
#   [<dev>] <test>: <line>     what the test wrote (stdout and stderr)
#   [dmesg] <line>             kernel log of the step (errors also appear raw)
#   @@ end <dev> <test> rc=<n> secs=<s> [timeout]
#   @@ notrun <dev> <test> <why>
#   @@ step <what> rc=<n> <first line of its error output>
#   @@ done
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
# sem_open() (hardware_disable_test) needs a tmpfs at /dev/shm.
mkdir -p /dev/shm && mount -t tmpfs shm /dev/shm
# Kernel errors (RCU stalls, lockups) reach the console even when L1 hangs
# before the next dmesg dump; routine messages come with the dumps.
echo 4 >/proc/sys/kernel/printk

M=/lib/modules/$(uname -r)
B=/kvmconf/bin
R=/tmp/rc

kmsg() { dmesg -c 2>/dev/null | sed 's/^/[dmesg] /'; }
first() { echo "$1" | head -n1; }

# The firmware leaves escape codes without a newline: start a fresh line.
echo
echo "# L1: $(uname -r), up $(cut -d' ' -f1 /proc/uptime) s at /init"
echo "# L1 svm flags:$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' |
	grep -E '^(svm|npt|lbrv|nrip_save|tsc_scale|vmcb_clean|flushbyasid|decodeassists|pausefilter|pfthreshold|avic|v_vmsave_vmload|vgif|vnmi|x2avic|vmx)$' |
	tr '\n' ' ')"
kmsg >/dev/null

# load <module>: insmod it after its dependencies (mkinitramfs' deps file).
load() {
	local d
	grep -q "^$1 " /proc/modules && return 0
	for d in $(awk -v m="$1" '$1 == m { for (i = 2; i <= NF; i++) print $i }' $M/deps); do
		load "$d" || return 1
	done
	insmod "$M/$1.ko"
}

# run_one <dev> <test> <timeout>: one run with prefixed output.
# The test runs in its own session so that the timeout, and the clean-up
# after it, kill its whole process group: tests fork (hardware_disable_test
# forks hundreds of VMs), and busybox timeout would kill only the parent,
# leaving children that spin on and hold the output pipe open.
run_one() {
	local start rc secs pid killer printer to=
	rm -f /tmp/fifo && mkfifo /tmp/fifo
	sed "s|^|[$1] $2: |" </tmp/fifo &
	printer=$!
	start=$(cut -d. -f1 /proc/uptime)
	setsid "$B/$2" </dev/null >/tmp/fifo 2>&1 &
	pid=$!
	( sleep "$3"; kill -KILL -"$pid" ) 2>/dev/null &
	killer=$!
	wait $pid
	rc=$?
	kill $killer 2>/dev/null
	kill -KILL -"$pid" 2>/dev/null
	# A process stuck in the kernel keeps the fifo open: do not wait forever.
	( sleep 5; kill $printer ) 2>/dev/null &
	wait $printer
	secs=$(($(cut -d. -f1 /proc/uptime) - start))
	[ "$rc" = 137 ] && [ "$secs" -ge "$3" ] && to=" timeout"
	echo "$rc $secs$to" >$R
}

# vmx_one <test> <timeout>: the whole insmod .. rmmod cycle for one test.
vmx_one() {
	local err dev rc
	if [ ! -e /vmx.ko ]; then
		echo "@@ notrun vmx $1 no vmx.ko in the initramfs"
		return
	fi
	if ! err=$(insmod /vmx.ko 2>&1); then
		echo "@@ step insmod-vmx rc=1 $(first "$err")"
		kmsg
		echo "@@ notrun vmx $1 insmod vmx.ko failed: $(first "$err")"
		return
	fi
	dev=$(cat /sys/class/misc/vmx/dev 2>/dev/null)
	if [ -z "$dev" ]; then
		echo "@@ step mknod rc=1 no /sys/class/misc/vmx/dev"
		echo "@@ notrun vmx $1 vmx.ko registered no misc device vmx"
	else
		rm -f /dev/kvm
		mknod /dev/kvm c "${dev%:*}" "${dev#*:}"
		echo "@@ begin vmx $1"
		run_one vmx "$1" "$2"
		rm -f /dev/kvm
		kmsg
		rc=$(cat $R)
	fi
	if err=$(rmmod vmx 2>&1); then
		echo "@@ step rmmod-vmx rc=0"
	else
		echo "@@ step rmmod-vmx rc=1 $(first "$err")"
	fi
	kmsg
	[ -n "$dev" ] && echo "@@ end vmx $1 rc=${rc%% *} secs=${rc#* }"
}

kvm_ready=
kvm_one() {
	local err
	if [ -z "$kvm_ready" ]; then
		if grep -q '^vmx ' /proc/modules; then
			kvm_ready="vmx.ko is still loaded"
		elif err=$(load kvm_amd 2>&1) && [ -c /dev/kvm ]; then
			kvm_ready=ok
			echo "@@ step load-kvm_amd rc=0"
		else
			kvm_ready="loading kvm_amd failed"
			echo "@@ step load-kvm_amd rc=1 $(first "$err")"
		fi
		kmsg
	fi
	if [ "$kvm_ready" != ok ]; then
		echo "@@ notrun kvm $1 $kvm_ready"
		return
	fi
	echo "@@ begin kvm $1"
	run_one kvm "$1" "$2"
	kmsg
	rc=$(cat $R)
	echo "@@ end kvm $1 rc=${rc%% *} secs=${rc#* }"
}

while read -r dev test t; do
	case $dev in
	vmx) vmx_one "$test" "$t" ;;
	kvm) kvm_one "$test" "$t" ;;
	esac
done </kvmconf/plan

echo "@@ done"
sleep 1
poweroff -f
