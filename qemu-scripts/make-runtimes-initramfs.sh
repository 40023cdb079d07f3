#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-runtimes-initramfs.sh OUT.cpio BASE.cpio TESTDIR MODULE.ko
#
# The initramfs of the containers boots: BASE.cpio (make-initramfs.sh's,
# with busybox, the init, the tests and the plumbing root) followed by a
# second newc archive with Debian's container runtimes, as installed on
# this machine, and the shared libraries they load: runc, crun, podman
# with conmon, dockerd with containerd and its runc shim, and the docker
# client.  The kernel unpacks concatenated archives one after the other.
#
# It also carries the runtimes' configuration recipes (tools/runtime-config,
# under /etc/vsyscall-recipes, which the tests install), and the tools at
# the paths the recipes name (/usr/local/bin), and MODULE.ko, the policy
# module built for the containers kernel, as
# /lib/modules/containers/vsyscall_policy.ko.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$1 base=$2
tests=$(cd "$3" && pwd)
module=$4
recipes=$here/../tools/runtime-config

die() { echo "make-runtimes-initramfs: $*" >&2; exit 1; }

# The programs, by Debian package (install-deps.sh installs them)
progs=(
	/usr/sbin/runc /usr/bin/crun
	/usr/bin/podman /usr/bin/conmon
	/usr/sbin/dockerd /usr/bin/docker /usr/bin/docker-init
	/usr/bin/containerd /usr/bin/containerd-shim-runc-v2
)
for p in "${progs[@]}"; do
	[ -x "$p" ] || die "$p is missing: apt-get install runc crun podman conmon docker.io containerd"
done

# Up to date when newer than everything that goes in
inputs=("$base" "$module" "$tests/setvsyscall" "$tests/vsyscall-oci-wrapper" "$0" "$recipes" "$recipes"/* "${progs[@]}")
if [ -f "$out" ] && [ -z "$(find "${inputs[@]}" -newer "$out" 2>/dev/null | head -1)" ]; then
	echo "make-runtimes-initramfs: $out is up to date"
	exit 0
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

. "$here/copy-with-libs.sh"
for p in "${progs[@]}"; do
	copy_with_libs "$stage" "$p" || die "cannot copy $p"
done
# The guest's PATH is /bin:/sbin:/tests; /usr/bin and /usr/sbin are added
# by the test.  Merged-/usr Debian: /lib64 holds the loader.
mkdir -p "$stage"/{etc/containers,etc/docker,var/lib,var/run,run,usr/local/bin,etc/vsyscall-recipes}
install -m 644 /etc/containers/policy.json "$stage/etc/containers/policy.json"
install -m 644 "$recipes"/* "$stage/etc/vsyscall-recipes/"
install -m 755 "$tests/setvsyscall" "$tests/vsyscall-oci-wrapper" "$stage/usr/local/bin/"
install -D -m 644 "$module" "$stage/lib/modules/containers/vsyscall_policy.ko"

cp "$base" "$out.tmp"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) >> "$out.tmp"
mv "$out.tmp" "$out"
