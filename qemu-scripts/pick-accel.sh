#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pick-accel.sh BZIMAGE INITRD WORKDIR
#
# Print "kvm" when /dev/kvm is usable and a short probe boot under KVM
# reaches the end-of-run sentinel, "tcg" otherwise.  KVM guests hang on
# some hosts, so /dev/kvm alone proves nothing.  ACCEL=tcg|kvm in the
# environment skips the probe.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ -n "${ACCEL:-}" ]; then
	echo "$ACCEL"
	exit 0
fi
if [ ! -w /dev/kvm ]; then
	echo tcg
	exit 0
fi
ACCEL=kvm BOOT_TIMEOUT=${KVM_PROBE_TIMEOUT:-20} \
	"$here/boot.sh" "$1" "$2" "$3/kvm-probe" HARNESS_TESTS=none EXPECT_MODE=none 2>"$3/kvm-probe.err"
if grep -q "^# harness: end of run" "$3/kvm-probe.tap" 2>/dev/null; then
	echo kvm
else
	echo tcg
fi
