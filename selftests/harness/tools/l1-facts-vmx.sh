#!/bin/sh
# /l1-facts of the Bochs initramfs (busybox sh in L1, run by /init before
# any test; its output lands in the raw serial log as "[facts] ..." lines):
# dump the VMX capability MSRs as the emulated CPU offers them.
M=/lib/modules/$(uname -r)
loaded=
if [ ! -e /dev/cpu/0/msr ] && [ -e "$M/msr.ko" ]; then
	insmod "$M/msr.ko" && loaded=1
fi
/bin/vmx-caps
# Leave the module list as the tests expect to find it.
[ -n "$loaded" ] && rmmod msr
exit 0
