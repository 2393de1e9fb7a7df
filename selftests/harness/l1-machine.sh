#!/usr/bin/env bash
# Print the QEMU options of the emulated AMD host (L1) every QEMU runner
# boots: TCG with SVM and nested paging, 2 CPUs, 2 GiB.
# usage: l1-machine.sh [single|multi]   (TCG threading; default single:
# nested SVM under multi-threaded TCG now and then kills or freezes the
# emulated host, with kvm-amd and with vmx.ko; README, Known issues)
set -euo pipefail

case ${1:-single} in
multi | single) ;;
*) echo "l1-machine.sh: TCG threading '$1': expected multi or single" >&2; exit 2 ;;
esac
echo "-accel tcg,thread=${1:-single} -smp 2 -m 2048 -cpu EPYC,+svm,+npt,+pku"
