#!/bin/sh
# /init of the L1 initramfs for the demo (busybox sh, PID 1): load /vmx.ko,
# run /bin/vmx-hello once against /dev/vmx, power off. run-demo.sh keeps
# only what vmx-hello printed, found between these markers:
#   @@ demo insmod ok | @@ demo insmod failed <error>
#   @@ demo begin
#   ...vmx-hello's stdout and stderr, straight on the console...
#   @@ demo end rc=<n>
#   [dmesg] <line>     kernel log after the run (kept in the raw log only)
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
# Only EMERG/ALERT on the console, so kernel lines do not tear the output.
echo 2 >/proc/sys/kernel/printk
dmesg -c >/dev/null
echo

if err=$(insmod /vmx.ko 2>&1); then
	echo "@@ demo insmod ok"
	echo "@@ demo begin"
	VMX_DEV=/dev/vmx timeout -s KILL "${vmx_timeout:-60}" /bin/vmx-hello </dev/null 2>&1
	echo "@@ demo end rc=$?"
else
	echo "@@ demo insmod failed $(echo "$err" | head -n1)"
fi
dmesg -c | sed 's/^/[dmesg] /'
sleep 1
poweroff -f
