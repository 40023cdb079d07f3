#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh [EXTRA-PACKAGE...]
#
# Install the Debian packages the build and the tests need, or, when that
# is not possible (not root, no apt-get), say exactly which ones to install.
set -euo pipefail

# The kernel trees, one per supported version; compilers for the kernel,
# the module and the static 64-bit, 32-bit and x32 tests (gcc-multilib
# brings libc6-dev-i386 and libc6-dev-x32 through gcc-12-multilib); the
# kernel's build tools;
# ccache and git for incremental builds; QEMU and busybox for the guest;
# sparse and perl (checkpatch.pl) for the module's and the series' checks;
# rsync for the kselftest install (tools/testing/selftests' lib.mk uses it).
# libarchive and json-c for vsyscall-scan (libelf is above), and zstd, jq
# and valgrind for its test (make scan-check).  Targets add their own:
# the container runtimes (make check-containers, recipes-check), gnuplot
# (make bench), Python's ply and git modules for checkpatch's SPDX check
# (make patches-check).
pkgs=(
	linux-source-6.12 linux-source-6.1
	build-essential gcc-multilib
	flex bison bc libelf-dev libssl-dev kmod cpio xz-utils
	ccache git file
	qemu-system-x86
	busybox-static
	sparse perl
	libarchive-dev libjson-c-dev zstd jq valgrind
	rsync
)

# Extra packages a target needs (make bench: gnuplot-nox)
pkgs+=("$@")

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
	echo "install-deps: missing Debian packages; run as root:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
