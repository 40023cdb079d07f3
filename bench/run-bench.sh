#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-bench.sh BUILDDIR RESULTDIR
#
# "make bench": boot the patched kernel and an unpatched baseline (the same
# tree at tag "base", the same configuration) under QEMU, run
# vsyscall_bench in each mode, and write RESULTDIR/results.csv,
# RESULTDIR/results.md and RESULTDIR/chart.png.  KVER (in the environment)
# is the kernel version, for the report.
#
# The figures that count come from boots with -icount shift=0,sleep=off:
# the guest clock then advances one nanosecond per guest instruction, so
# "ns per call" is instructions per call and repeats from run to run (to
# within a tenth of an instruction here).  One more
# round of boots without -icount gives wall-clock figures, which depend on
# the host and its load.  norandmaps keeps the guest's address-space layout
# the same from boot to boot, so that page faults land alike.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
qs=$(cd "$here/../qemu-scripts" && pwd)
build=$1 results=$2
kver=${KVER:?run-bench: set KVER to the kernel version of BUILDDIR}
raw=$build/bench
mkdir -p "$results" "$raw"
initrd=$build/initramfs.cpio
export ACCEL=tcg QEMU_SMP=1

die() { echo "run-bench: $*" >&2; exit 1; }

# KERNEL MODE POLICY TESTS: one boot, its bench lines as CSV rows
run() {
	local kernel=$1 mode=$2 policy=$3 tests=$4 clock=$5 name
	name=$kernel-$mode-$policy-$clock
	"$qs/boot.sh" "$build/kernel-$kernel/arch/x86/boot/bzImage" "$initrd" "$raw/$name" \
		vsyscall="$mode" norandmaps EXPECT_MODE="$mode" HARNESS_TESTS="$tests"
	grep -q '^# harness: end of run' "$raw/$name.tap" ||
		die "the $name boot did not finish; see $raw/$name.console"
	if grep -q '^not ok' "$raw/$name.tap"; then
		die "a benchmark failed in the $name boot; see $raw/$name.tap"
	fi
	sed -n 's/\r$//; s/^# ok [0-9]* bench: \([^ ]*\) \([0-9.]*\) ns.*/\1 \2/p' "$raw/$name.tap" |
		while read -r path ns; do
			echo "$clock,$kernel,$mode,$policy,$path,$ns"
		done
}

rounds() {
	local clock=$1
	for mode in native emulate xonly none; do
		run test "$mode" default bench "$clock"
	done
	run test none allow load_module,bench_allow "$clock"
	for mode in emulate xonly none; do
		run baseline "$mode" default bench "$clock"
	done
}

echo "clock,kernel,mode,policy,path,ns_per_call" > "$results/results.csv"
echo "run-bench: instruction-count boots (-icount shift=0,sleep=off)"
QEMU_EXTRA="-icount shift=0,sleep=off" rounds icount >> "$results/results.csv" || exit 1
echo "run-bench: wall-clock boots"
QEMU_EXTRA="" rounds wall >> "$results/results.csv" || exit 1

"$here/report.sh" "$results" "$kver" || exit 1
