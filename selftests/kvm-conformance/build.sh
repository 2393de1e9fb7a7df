#!/usr/bin/env bash
# Build Linux's own KVM selftests (x86_64, from Debian's linux-source-6.1
# tarball) as static, stripped binaries for the L1 initramfs, and collect
# the ones run.sh needs into $OUT/bin/.
#
# usage: build.sh [--all] [--force] [TEST...]
#   (none)   collect the tests listed in tests.txt
#   TEST...  collect these tests (names as in tests.txt, e.g. cpuid_test)
#   --all    collect every x86_64 test that builds
#   --force  extract and build again even if the cache says it is current
# Environment: LINUX_SOURCE_TARBALL (default /usr/src/linux-source-6.1.tar.xz),
#              KVMCONF_OUT (default selftests/build/kvm-conformance).
#
# Only the parts of the tree that `make headers` and the kvm selftests read
# are extracted (~17 MB instead of ~1.4 GB). The result is cached: a stamp
# records the tarball's sha256 and this script's own sha256, and a matching
# stamp skips extraction and the build (collecting is always redone, cheap).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
out=${KVMCONF_OUT:-$top/selftests/build/kvm-conformance}

all= force= want=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--all) all=1; shift ;;
	--force) force=1; shift ;;
	-*) sed -n '2,/^set -e/p' "$0" | sed '$d' >&2; exit 2 ;;
	*) want+=("$1"); shift ;;
	esac
done

for tool in tar xz gcc make strip sha256sum; do
	command -v "$tool" >/dev/null ||
		{ echo "build.sh: no $tool; run selftests/harness/setup.sh" >&2; exit 1; }
done
[[ -r $tarball ]] ||
	{ echo "build.sh: no $tarball (package linux-source-6.1); run selftests/harness/setup.sh" >&2; exit 1; }

# The tarball's top directory is its name without .tar.xz.
topdir=$(basename "$tarball" .tar.xz)
src=$out/src/$topdir
kvm=$src/tools/testing/selftests/kvm
log=$out/build.log

# What `make headers` and the kvm selftests read, relative to $topdir.
# (arch/x86/tools: `make headers` builds the relocs host tool via
# archscripts; kselftest_harness.h: lib.mk lists it as a prerequisite of
# every test; tools/lib/rbtree.c: #included by kvm/lib/rbtree.c.)
parts=(
	Makefile scripts include/uapi
	arch/x86/Makefile arch/x86/include/uapi arch/x86/entry/syscalls
	arch/x86/tools
	tools/include tools/arch/x86/include tools/build/Build.include
	tools/lib/rbtree.c
	tools/testing/selftests/Makefile tools/testing/selftests/lib.mk
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kvm tools/testing/selftests/rseq
)

stamp_want="tarball=$(sha256sum <"$tarball" | cut -d' ' -f1) script=$(sha256sum <"$0" | cut -d' ' -f1)"
stamp=$out/src/.stamp

if [[ -z $force && -r $stamp && $(cat "$stamp") == "$stamp_want" ]]; then
	echo "build.sh: cached build in $out/src is current"
else
	t0=$SECONDS
	rm -rf "$out/src"
	mkdir -p "$out/src"
	echo "build.sh: extracting from $tarball"
	tar -xJf "$tarball" -C "$out/src" "${parts[@]/#/$topdir/}"
	echo "build.sh: make headers, then the kvm selftests (log: $log)"
	make -C "$src" headers >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; echo "build.sh: make headers failed" >&2; exit 1; }
	# -k: in 6.1.y two tests (dirty_log_test, steal_time) do not build as
	# shipped; every other one must. Checked below by collecting.
	make -k -C "$src/tools/testing/selftests" TARGETS=kvm \
		USERLDFLAGS=-static -j2 >>"$log" 2>&1 || true
	echo "$stamp_want" >"$stamp"
	echo "build.sh: built in $((SECONDS - t0)) s"
fi

# Every x86_64 test the Makefile knows: x86_64/<name> or a generic <name>.
mapfile -t known < <(make -s -C "$kvm" --no-print-directory -f - print <<'EOF'
include Makefile
print:
	@$(foreach t,$(TEST_GEN_PROGS_x86_64),echo $(t);)
EOF
)
[[ ${#known[@]} -gt 0 ]] || { echo "build.sh: cannot list the tests" >&2; exit 1; }

if [[ -n $all ]]; then
	want=("${known[@]##*/}")
elif [[ ${#want[@]} -eq 0 ]]; then
	mapfile -t want < <(awk '!/^#/ && NF { print $1 }' "$here/tests.txt")
fi

bin=$out/bin
mkdir -p "$bin"
missing=()
for t in "${want[@]}"; do
	path=
	for k in "${known[@]}"; do
		[[ ${k##*/} == "$t" ]] && { path=$kvm/$k; break; }
	done
	if [[ -z $path ]]; then
		echo "build.sh: $t is not an x86_64 KVM selftest of this tree" >&2
		exit 1
	fi
	if [[ ! -x $path ]]; then
		missing+=("$t")
		continue
	fi
	[[ $bin/$t -nt $path ]] || strip -o "$bin/$t" "$path"
done
echo "build.sh: $((${#want[@]} - ${#missing[@]})) test binaries in $bin"
if [[ ${#missing[@]} -gt 0 ]]; then
	echo "build.sh: did not build: ${missing[*]} (see $log)" >&2
	# Asking for everything tolerates the two known build failures.
	[[ -n $all ]] || exit 1
fi
exit 0
