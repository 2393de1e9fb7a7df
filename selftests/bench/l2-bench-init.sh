#!/bin/sh
# /init of the L2 guest that bench_l2boot boots (busybox sh). Its first
# line is the boot-to-init marker the host times; then it times sequential
# writes and reads of /dev/vda with O_DIRECT (the host timestamps the
# begin/end lines; the end line carries the guest's uptime at both) and
# ends the VM through the debug-exit port 0xf4: value 0 when
# everything ran, 1 when something failed. Console lines start "L2B: ".
# Kernel command-line knobs (reach /init as environment variables):
#   l2b_mib=<MiB written, then read, in 1 MiB blocks; default 512>
echo "L2B: init"
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "L2B: uptime $(cut -d' ' -f1 /proc/uptime)"

fail() {
	echo "L2B: fail $*"
	# /dev/port offset 0xf4 = port 0xf4.
	printf '\001' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	reboot -f
}

for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m.ko" || fail "insmod $m"
done
# PCI probing is synchronous, but give devtmpfs a moment.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -b /dev/vda ] && break
	sleep 1
done
[ -b /dev/vda ] || fail "no /dev/vda"
mib=${l2b_mib:-512}
size=$(($(cat /sys/block/vda/size) / 2048))
[ "$size" -ge "$mib" ] || fail "/dev/vda has $size MiB, want $mib"
echo "L2B: disk $size MiB, $mib MiB each way"

# busybox dd reports no rate: the host times the begin/end lines; the end
# line also gives the seconds by the guest's own clock.
up() { cut -d' ' -f1 /proc/uptime; }
echo "L2B: write begin"
t=$(up)
dd if=/dev/zero of=/dev/vda bs=1M count="$mib" oflag=direct 2>/tmp/dd ||
	fail "write: $(tail -n 1 /tmp/dd)"
echo "L2B: write end $t $(up)"
echo "L2B: read begin"
t=$(up)
dd if=/dev/vda of=/dev/null bs=1M count="$mib" iflag=direct 2>/tmp/dd ||
	fail "read: $(tail -n 1 /tmp/dd)"
echo "L2B: read end $t $(up)"

printf '\000' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
echo "L2B: debug-exit did not stop the VM"
reboot -f
