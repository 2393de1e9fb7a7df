#!/usr/bin/env bash
# Print the QEMU options of the emulated AMD host (L1) every QEMU runner
# boots: TCG with SVM and nested paging, 2 CPUs, 2 GiB.
# usage: l1-machine.sh [multi|single]   (TCG threading; default multi)
set -euo pipefail

case ${1:-multi} in
multi | single) ;;
*) echo "l1-machine.sh: TCG threading '$1': expected multi or single" >&2; exit 2 ;;
esac
echo "-accel tcg,thread=${1:-multi} -smp 2 -m 2048 -cpu EPYC,+svm,+npt"
