#!/usr/bin/env bash
# Number the unnumbered TAP lines of parse-l1-log.sh (stdin, possibly the
# output of several boots), print the plan and the closing line
# "N passed, N failed"; exit 1 if anything failed or nothing ran.
set -euo pipefail

awk '
BEGIN { print "TAP version 13" }
/^ok / { n++; pass++; if (toupper($0) ~ /# *SKIP/) skip++
	print "ok " n substr($0, 3); next }
/^not ok / { n++; fail++; print "not ok " n substr($0, 7); next }
/^#/ { print; next }
END {
	if (n == 0) { n++; fail++; print "not ok 1 harness: no results at all" }
	print "1.." n
	if (skip) print "# " skip " of the passed were skipped"
	print pass + 0 " passed, " fail + 0 " failed"
	exit fail > 0
}'
