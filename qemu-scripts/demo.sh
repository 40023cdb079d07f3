#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh BUILDDIR RESULTDIR
#
# "make run": boot the patched kernel once per vsyscall mode and show what
# a glibc 2.12 program sees there: the byte-exact call sites of
# glibc212_probe, their outcome, and what the kernel logged about them.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$1 results=$2
mkdir -p "$results"
kernel=$build/kernel-test/arch/x86/boot/bzImage
initrd=$build/initramfs.cpio
ACCEL=$("$here/pick-accel.sh" "$kernel" "$initrd" "$results")
export ACCEL
echo "Booting $kernel under QEMU (-accel $ACCEL), once per vsyscall mode."

status=0
for mode in ${DEMO_MODES:-emulate xonly none}; do
	echo
	echo "=== vsyscall=$mode: a glibc 2.12 program calling the vsyscall page ==="
	"$here/boot.sh" "$kernel" "$initrd" "$results/demo-$mode" \
		vsyscall="$mode" EXPECT_MODE="$mode" HARNESS_TESTS=glibc212_probe
	sed -n 's/\r$//; s/^# \(ok\|not ok\|# \)/\1/p' "$results/demo-$mode.tap" |
		grep -v '^# \(selftests\|harness\|Totals\)' | sed 's/^/  /'
	echo "  kernel log:"
	sed 's/\r$//' "$results/demo-$mode.console" | grep -E 'vsyscall|segfault' |
		sed 's/^/    /' || echo "    (nothing about vsyscalls)"
	grep -q '^# harness: end of run' "$results/demo-$mode.tap" || {
		echo "  the guest did not finish: see $results/demo-$mode.console"
		status=1
	}
done
exit $status
