#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-plumbing-root.sh OUTDIR PROBE
#
# Writes OUTDIR and OUTDIR.cmd, the command line to run in it.
# Build a small root filesystem of dynamically linked programs and the
# libraries they load (found with ldd), as a legacy container's root would
# be, plus PROBE (glibc212_probe, static) as /bin/legacy-time: with
# "--call" it makes glibc 2.12's vsyscalls and exits 0, or dies of SIGSEGV.
# The harness runs it through the same path as a LEGACY_ROOTFS, so that
# path is tested without a real CentOS root filesystem.
set -euo pipefail

out=$1 probe=$2
rm -rf "$out"
mkdir -p "$out"/{bin,proc,tmp}

. "$(dirname "$0")/copy-with-libs.sh"
copy_with_libs "$out" /bin/dash
copy_with_libs "$out" /bin/true
ln -s dash "$out/bin/sh"
install -m 755 "$probe" "$out/bin/legacy-time"
# The command the guest runs in it, beside the directory
echo '/bin/sh -c "/bin/true && /bin/legacy-time --call"' > "$out.cmd"
