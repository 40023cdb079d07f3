#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh BUILDDIR RESULTDIR
#
# "make run": boot the patched kernel once per vsyscall mode and show what
# a glibc 2.12 program sees there: the byte-exact call sites of
# glibc212_probe, their outcome, and what the kernel logged about them.
# Last, under vsyscall=none, the program is denied and then runs once
# setvsyscall opts it in through vsyscall_policy.ko.
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

# show NAME TITLE PARAMETERS...: boot, then print what the probe reported
# and what the kernel logged about vsyscalls.
show() {
	name=$1 title=$2
	shift 2
	echo
	echo "=== $title ==="
	"$here/boot.sh" "$kernel" "$initrd" "$results/demo-$name" "$@"
	sed -n 's/\r$//; s/^# selftests: [a-z0-9_]*: \(.*\)/  [\1]/p; s/^# \(ok\|not ok\|# \)/  \1/p' \
		"$results/demo-$name.tap" | grep -v '^  # \(Totals\|harness\)'
	echo "  kernel log:"
	sed 's/\r$//' "$results/demo-$name.console" | grep -E 'vsyscall|segfault|policy' |
		grep -v -e '^Linux version' -e 'ommand line:' |
		sed 's/^/    /' || echo "    (nothing about vsyscalls)"
	grep -q '^# harness: end of run' "$results/demo-$name.tap" || {
		echo "  the guest did not finish: see $results/demo-$name.console"
		status=1
	}
}

for mode in ${DEMO_MODES:-emulate xonly none}; do
	show "$mode" "vsyscall=$mode: a glibc 2.12 program calling the vsyscall page" \
		vsyscall="$mode" EXPECT_MODE="$mode" HARNESS_TESTS=glibc212_probe_64
done

show optin "vsyscall=none: the same program denied, then opted in with setvsyscall --policy allow" \
	vsyscall=none EXPECT_MODE=none HARNESS_TESTS=glibc212_probe_64,load_module,probe_opted_in
exit $status
