#!/bin/sh
# Print kvm-known.txt's entries as "<test>:<case>,..." (for the L1 kernel
# command line and parse-l1-log.sh).
sed -e '/^#/d' -e '/^$/d' -e 's/ .*//' "$(dirname "$0")/kvm-known.txt" | paste -sd, -
