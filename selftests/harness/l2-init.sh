#!/bin/sh
# /init of the L2 guest that vmxrun_test boots with vmx-run (busybox sh).
# It reports on the serial console in lines starting with "L2: ", which the
# test asserts, and ends the VM through the debug-exit port 0xf4 with the
# value of l2_exit= from the kernel command line (vmx-run then exits with
# (l2_exit << 1) | 1). "poweroff -f" follows in case that port does nothing.
# With l2_end=reboot on the command line it reboots instead, once: the
# first boot leaves a marker on /dev/vda and runs "reboot -f", the boot
# that finds the marker runs "poweroff -f" (ACPI S5).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "L2: init ran, uptime $(cut -d' ' -f1 /proc/uptime) s"
echo "L2: cpus $(grep -c ^processor /proc/cpuinfo)"
tables=
for t in DSDT FACP APIC; do
	[ -e "/sys/firmware/acpi/tables/$t" ] && tables="$tables $t"
done
echo "L2: acpi tables:$tables"

# l2_hvc=1 (vmx-run --console): hvc0 owns the host's stdin; the test
# types a line into it and reads what the guest writes to it.
if [ "$l2_hvc" = 1 ]; then
	for m in $(cat /lib/modules/order); do
		insmod "/lib/modules/$m.ko" || echo "L2: insmod $m failed"
	done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -c /dev/hvc0 ] && break
		sleep 1
	done
	if [ -c /dev/hvc0 ]; then
		echo "L2: hvc0 says hello" >/dev/hvc0
	else
		echo "L2: no /dev/hvc0"
	fi
	echo "L2: ready"
	if read -t 30 -r line </dev/hvc0; then
		echo "L2: hvc read '$line'"
	else
		echo "L2: hvc read nothing"
	fi
	printf "\\$(printf %o "${l2_exit:-0}")" |
		dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	poweroff -f
fi
# Serial input: the test types one line once it sees "L2: ready".
echo "L2: ready"
if read -t 30 -r line; then
	echo "L2: read '$line'"
else
	echo "L2: read nothing"
fi

# virtio, when vmx-run was given devices (vmxrun_test: a disk, a read-only
# disk, -n loop, --rng): load the modules mkl2initramfs.sh copied, then
# exercise each device.  Every check prints "L2: <what> ok" or a reason.
for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m.ko" || echo "L2: insmod $m failed"
done
echo "L2: modules loaded: $(wc -l </lib/modules/order)"
# Probing is synchronous for PCI, but give devtmpfs a moment.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -b /dev/vda ] && break
	sleep 1
done

pat="vmx-run virtio-blk pattern 0123456789abcdef"
if [ -b /dev/vda ]; then
	printf %s "$pat" | dd of=/dev/vda bs=512 seek=8 count=1 conv=sync,fsync 2>/dev/null
	# Read back from the device, not the page cache.
	echo 3 >/proc/sys/vm/drop_caches
	got=$(dd if=/dev/vda bs=512 skip=8 count=1 2>/dev/null | head -c ${#pat})
	if [ "$got" = "$pat" ]; then
		echo "L2: disk ok ($(cat /sys/block/vda/size) sectors)"
	else
		echo "L2: disk read back '$got'"
	fi
else
	echo "L2: no /dev/vda"
fi

rodata="vmx-run read-only disk"
if [ -b /dev/vdb ]; then
	ro=$(cat /sys/block/vdb/ro)
	got=$(dd if=/dev/vdb bs=512 count=1 2>/dev/null | head -c ${#rodata})
	if dd if=/dev/zero of=/dev/vdb bs=512 count=1 conv=fsync 2>/dev/null; then
		wrote=yes
	else
		wrote=no
	fi
	if [ "$got" = "$rodata" ] && { [ "$ro" = 1 ] || [ $wrote = no ]; }; then
		echo "L2: ro ok (ro=$ro, write went through: $wrote)"
	else
		echo "L2: ro disk: ro=$ro wrote=$wrote read '$got'"
	fi
else
	echo "L2: no /dev/vdb"
fi

if [ -d /sys/class/net/eth0 ]; then
	ip link set lo up
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	if ping -c 2 -W 5 10.0.2.2 >/tmp/ping 2>&1; then
		echo "L2: ping ok"
	else
		echo "L2: ping failed: $(tail -n 2 /tmp/ping | tr '\n' ' ')"
	fi
else
	echo "L2: no eth0"
fi

# Without an rng behind it (no --rng), /dev/hwrng can block: skip it then.
if [ -c /dev/hwrng ] &&
   [ "$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)" != none ]; then
	n=$(timeout 20 dd if=/dev/hwrng bs=16 count=1 2>/dev/null | wc -c)
	cur=$(cat /sys/class/misc/hw_random/rng_current)
	if [ "$n" = 16 ]; then
		echo "L2: rng ok ($cur)"
	else
		echo "L2: rng read $n bytes ($cur)"
	fi
else
	echo "L2: no /dev/hwrng"
fi

# How each virtio device interrupts: "L2: irq virtio0 IO-APIC 17-fasteoi"
# (INTx, e.g. with pci=nomsi) or "... PCI-MSI 32768-edge" (MSI-X).
awk '/virtio/ { print "L2: irq " $NF " " $(NF - 2) " " $(NF - 1) }' /proc/interrupts

if [ "${l2_end:-}" = reboot ]; then
	mark="vmx-run reboot marker"
	got=$(dd if=/dev/vda bs=512 skip=16 count=1 2>/dev/null | head -c ${#mark})
	if [ "$got" = "$mark" ]; then
		echo "L2: second boot: powering off"
		poweroff -f
	else
		printf %s "$mark" |
			dd of=/dev/vda bs=512 seek=16 count=1 conv=sync,fsync 2>/dev/null
		echo "L2: first boot: rebooting"
		reboot -f
	fi
	echo "L2: still running after l2_end=reboot"
fi

code=${l2_exit:-0}
# /dev/port offset 0xf4 = port 0xf4.
printf "\\$(printf %o "$code")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
echo "L2: debug-exit did not stop the VM"
poweroff -f
