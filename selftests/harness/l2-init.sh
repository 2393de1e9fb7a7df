#!/bin/sh
# /init of the L2 guest that vmxrun_test boots with vmx-run (busybox sh).
# It reports on the serial console in lines starting with "L2: ", which the
# test asserts, and ends the VM through the debug-exit port 0xf4 with the
# value of l2_exit= from the kernel command line (vmx-run then exits with
# (l2_exit << 1) | 1). "reboot -f" follows in case that port does nothing.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "L2: init ran, uptime $(cut -d' ' -f1 /proc/uptime) s"
echo "L2: cpus $(grep -c ^processor /proc/cpuinfo)"
# Serial input: the test types one line once it sees "L2: ready".
echo "L2: ready"
if read -t 30 -r line; then
	echo "L2: read '$line'"
else
	echo "L2: read nothing"
fi
code=${l2_exit:-0}
# /dev/port offset 0xf4 = port 0xf4.
printf "\\$(printf %o "$code")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
echo "L2: debug-exit did not stop the VM"
reboot -f
