#!/bin/sh
# Print kvm-known.txt's entries as "<test>:<case>,..." (for the L1 kernel
# command line and parse-l1-log.sh); "<test>:<a>-<b>" stands for cases a
# to b.
sed -e '/^#/d' -e '/^$/d' -e 's/ .*//' "$(dirname "$0")/kvm-known.txt" |
awk -F: '{
	n = split($2, r, "-")
	for (i = r[1]; i <= r[n]; i++) print $1 ":" i
}' | paste -sd, -
