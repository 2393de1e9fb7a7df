#!/usr/bin/env bash
# Print the kernel version the nested runs use as L1: the newest <ver> that
# has both a bootable /boot/vmlinuz-<ver> and a build tree (headers) for it,
# so that vmx.ko is built against exactly the kernel that will load it.
# Set KVER in the environment to override (it is still checked).
set -euo pipefail

usable() {
	local v=$1
	[[ -r /boot/vmlinuz-$v ]] || return 1
	[[ -d /usr/src/linux-headers-$v || -d /lib/modules/$v/build ]]
}

if [[ -n ${KVER:-} ]]; then
	usable "$KVER" || { echo "kver.sh: KVER=$KVER has no vmlinuz or headers" >&2; exit 1; }
	echo "$KVER"
	exit 0
fi

best=
while read -r v; do
	usable "$v" && best=$v
done < <(for f in /boot/vmlinuz-*; do [[ -e $f ]] && echo "${f#/boot/vmlinuz-}"; done | sort -V)

if [[ -z $best ]]; then
	echo "kver.sh: no kernel with both /boot/vmlinuz-<ver> and headers;" \
	     "run selftests/harness/setup.sh" >&2
	exit 1
fi
echo "$best"
