#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-initramfs.sh OUT.cpio TESTDIR MODULE.ko [DEBUG_MODULE.ko]
#
# Pack busybox (Debian's busybox-static), the guest init, the run list,
# the static test programs from TESTDIR and the policy module (as
# /lib/modules/vsyscall_policy.ko, and the one built for the debug kernel,
# when given, as /lib/modules/debug/vsyscall_policy.ko) into a newc cpio
# archive.  It is given to QEMU with -initrd, never linked into the kernel,
# so changing a test does not relink the kernel.
#
# EXTRA_MODULES="NAME=<ko> ...": more modules, each as /lib/modules/NAME
# (the read-only page check, the module built under another name that must
# fail to load next to the first, those built for the debug kernel).
#
# Legacy root filesystems, each run chrooted by selftests/legacy_rootfs.sh:
#   PLUMBING_ROOT=<dir>   the harness's own (make-plumbing-root.sh), run
#                         with the command in <dir>.cmd, as /legacy/plumbing
#   LEGACY_ROOTFS=<dir>   the user's, as /legacy/user, run with LEGACY_CMD
#                         (default "/bin/sh -c :")
#
# KSELFTEST=<dir>: a kselftest install of the kernel tree (make kselftest),
# as /kselftest, with the shared libraries its programs need (64-bit and
# 32-bit glibc), for run_kselftest.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/copy-with-libs.sh"
out=$1
tests=$(cd "$2" && pwd)
module=$3
debug_module=${4:-}
busybox=${BUSYBOX:-/bin/busybox}

die() { echo "make-initramfs: $*" >&2; exit 1; }
file -L "$busybox" 2>/dev/null | grep -q "statically linked" ||
	die "$busybox is not a static busybox: apt-get install busybox-static"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,etc,proc,sys,dev,tmp,run,tests,lib/modules}
install -m 644 "$module" "$stage/lib/modules/vsyscall_policy.ko"
if [ -n "$debug_module" ]; then
	install -D -m 644 "$debug_module" "$stage/lib/modules/debug/vsyscall_policy.ko"
fi
for m in ${EXTRA_MODULES:-}; do
	case "$m" in *=*) ;; *) die "EXTRA_MODULES: '$m' is not NAME=<ko>" ;; esac
	install -D -m 644 "${m#*=}" "$stage/lib/modules/${m%%=*}"
done
install -m 755 "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 755 "$here/guest/init" "$stage/init"
install -m 644 "$here/guest/tests.list" "$stage/tests/list"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"

while read -r name cmd _; do
	case "$name" in ''|'#'*|'[on') continue ;; esac
	case "$cmd" in /tests/*) ;; *) continue ;; esac
	prog=${cmd#/tests/}
	[ -x "$tests/$prog" ] || die "$tests/$prog (listed in tests.list) was not built"
	install -m 755 "$tests/$prog" "$stage/tests/$prog"
done < "$here/guest/tests.list"

# Programs the tests run besides those listed: the command-line tool, the
# OCI wrapper and the static glibc 2.12 probe they run, and the helpers
# vsyscall_privexec, setvsyscall_test.sh and vsyscall_audit exec
for prog in setvsyscall vsyscall-oci-wrapper glibc212_probe vsyscall_report vsyscall_runas \
		vsyscall_audit_x32; do
	install -m 755 "$tests/$prog" "$stage/tests/$prog"
done

# vsyscall-scan, whose --running vsyscall_audit checks, links dynamically
# (libelf, libarchive, json-c): it goes in with the shared libraries ldd
# finds, at the same paths, and the loader (/lib64 on merged-/usr Debian).
# libarchive pulls in libxml2 and ICU's data, about 40 MB in all.
[ -x "$tests/vsyscall-scan" ] || die "$tests/vsyscall-scan was not built (make -C tools scan)"
copy_with_libs "$stage" "$tests/vsyscall-scan" /tests/vsyscall-scan || die "cannot copy vsyscall-scan"

if [ -n "${KSELFTEST:-}" ]; then
	[ -x "$KSELFTEST/run_kselftest.sh" ] || die "KSELFTEST=$KSELFTEST is not a kselftest install"
	cp -a "$KSELFTEST" "$stage/kselftest"
	(cd "$KSELFTEST" && find . -type f -perm -u+x) | while read -r prog; do
		file "$KSELFTEST/$prog" | grep -q ELF || continue
		copy_with_libs "$stage" "$KSELFTEST/$prog" "/kselftest/${prog#./}" ||
			die "cannot copy the libraries of $prog"
	done
fi

mkdir -p "$stage/legacy"
if [ -n "${PLUMBING_ROOT:-}" ]; then
	cp -a "$PLUMBING_ROOT" "$stage/legacy/plumbing"
	cp "$PLUMBING_ROOT.cmd" "$stage/legacy/plumbing.cmd"
fi
if [ -n "${LEGACY_ROOTFS:-}" ]; then
	[ -d "$LEGACY_ROOTFS" ] || die "LEGACY_ROOTFS=$LEGACY_ROOTFS is not a directory"
	cp -a "$LEGACY_ROOTFS/." "$stage/legacy/user/"
	printf '%s\n' "${LEGACY_CMD:-/bin/sh -c :}" > "$stage/legacy/user.cmd"
fi

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.tmp"
mv "$out.tmp" "$out"
