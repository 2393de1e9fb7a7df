#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cross-check x86_decode() against GNU objdump: decode_test --emit prints
# random inputs it accepted as "mode len hex"; each becomes a labelled
# .byte run (objdump restarts decoding at every symbol) and objdump's
# length and mnemonic of the first instruction must agree with ours.
# Needs binutils (as, objdump).  Usage: crosscheck.sh DECODE_TEST [COUNT]
set -euo pipefail

bin=${1:?usage: crosscheck.sh DECODE_TEST [COUNT]}
count=${2:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" --emit "$count" > "$tmp/cases"
fail=0
for mode in 16 32 64; do
	case $mode in
	16) march=i8086 ;;
	32) march=i386 ;;
	64) march=x86-64 ;;
	esac
	# objdump splits the prefix run at a REX that a later prefix voids
	# and then forgets the prefixes before it (the CPU keeps them):
	# drop such REX bytes from its input and from our length.
	awk -v m="$mode" '
	function legacy(b) {
		return b ~ /^(66|67|f0|f2|f3|26|2e|36|3e|64|65)$/
	}
	function rex(b) {
		return m == 64 && b ~ /^4[0-9a-f]$/
	}
	$1 == m {
		n = 0; len = $2; inpfx = 1
		for (i = 1; i <= length($3); i += 2) {
			b = substr($3, i, 2); nx = substr($3, i + 2, 2)
			if (inpfx && rex(b) && (legacy(nx) || rex(nx))) {
				len--
				continue
			}
			if (!legacy(b) && !rex(b))
				inpfx = 0
			out[++n] = b
		}
		printf "t%d_%d:\n\t.byte ", NR, len
		for (i = 1; i <= n; i++)
			printf "%s0x%s", (i > 1 ? "," : ""), out[i]
		printf "\n"
	}' "$tmp/cases" > "$tmp/m$mode.s"
	as --64 -o "$tmp/m$mode.o" "$tmp/m$mode.s"
	objdump -d -M "$march" --insn-width=16 "$tmp/m$mode.o" |
	awk -v m="$mode" '
	# Prefixes objdump may print as an instruction of their own.
	function is_prefix(mn) {
		return mn ~ /^(rex(\.[WRXB]+)?|data16|data32|addr16|addr32|lock|repz|repnz|rep|repne|xacquire|xrelease|[c-gs]s)$/
	}
	function finish() {
		if (label == "")
			return
		split(label, f, "_")
		if (got != f[2] || mn !~ /^mov/) {
			printf "# mode %d %s: objdump len %d \"%s\", ours %d\n",
			       m, label, got, text, f[2]
			bad++
		}
		n++
		label = ""
	}
	/^[0-9a-f]+ <t[0-9]+_[0-9]+>:$/ {
		finish()
		label = substr($2, 2, length($2) - 3)
		got = 0; done = 0; text = ""
		next
	}
	label != "" && !done && /^ *[0-9a-f]+:\t/ {
		split($0, col, "\t")
		nb = split(col[2], bytes, " ")
		ins = col[3]
		sub(/^ +/, "", ins)
		split(ins, w, " ")
		got += nb
		text = text (text == "" ? "" : " | ") ins
		# Leading prefixes are printed before the mnemonic; a line of
		# prefixes alone (e.g. a REX that a later prefix voided) is
		# part of the next instruction for the CPU.
		mn = ""
		for (i = 1; i <= length(w); i++)
			if (!is_prefix(w[i])) {
				mn = w[i]
				break
			}
		if (mn != "")
			done = 1
	}
	END {
		finish()
		printf "# mode %d: %d inputs, %d disagree\n", m, n, bad
		exit bad != 0
	}' || fail=1
done
exit $fail
