#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# prepare-source.sh SRCDIR
#
# Make SRCDIR a git repository holding the 6.12 kernel source at tag "base"
# (Debian's linux-source-6.12 tarball, or the tree named by $KSRC), then put
# the series from kernel-patches/ on top of it with "git am" on branch
# "patched".
#
# The base is imported once.  When the series changes, the tree is reset to
# "base" and the series is applied again: git rewrites only the files that
# differ, so the kernel build that follows recompiles just what the patches
# touch instead of the whole tree.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src=$1
series_dir=$top/kernel-patches
tarball=/usr/src/linux-source-6.12.tar.xz

die() { echo "prepare-source: $*" >&2; exit 1; }

# What the base is made of; a change means importing it again.
if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC is not a kernel tree"
	origin="tree $(cd "$KSRC" && pwd)"
else
	[ -f "$tarball" ] || die "$tarball missing: apt-get install linux-source-6.12"
	origin="tarball $tarball $(stat -c %s "$tarball")"
fi

export GIT_AUTHOR_NAME=harness GIT_AUTHOR_EMAIL=harness@localhost
export GIT_COMMITTER_NAME=harness GIT_COMMITTER_EMAIL=harness@localhost
g() { git -C "$src" -c core.autocrlf=false -c advice.detachedHead=false "$@"; }

if [ "$(cat "$src/.git/harness-origin" 2>/dev/null)" != "$origin" ]; then
	echo "prepare-source: importing $origin into $src"
	rm -rf "$src"
	mkdir -p "$src"
	if [ -n "${KSRC:-}" ]; then
		tar -C "$KSRC" --exclude=.git -cf - . | tar -C "$src" -xf -
	else
		tar -C "$src" --strip-components=1 -xJf "$tarball"
	fi
	g init -q -b base-branch
	g add -A -f
	g commit -q --no-verify -m "base: $origin"
	g tag base
	echo "$origin" > "$src/.git/harness-origin"
fi

head=$(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p' "$src/Makefile" | paste -sd.)
[ "$head" = "6.12" ] || die "$src is Linux $head, not 6.12"

# The stamp covers the series file and every patch it names.
patches=()
while read -r p _; do
	case "$p" in ''|'#'*) continue ;; esac
	[ -f "$series_dir/$p" ] || die "series names $p, which is missing"
	patches+=("$series_dir/$p")
done < "$series_dir/series"
stamp=$(cat "$series_dir/series" "${patches[@]}" | sha256sum | cut -d' ' -f1)

if [ "$(cat "$src/.git/harness-series" 2>/dev/null)" = "$stamp" ] &&
   [ "$(g rev-parse --abbrev-ref HEAD)" = patched ] &&
   [ -z "$(g status --porcelain --untracked-files=no)" ]; then
	exit 0
fi

g am --abort >/dev/null 2>&1 || true
g checkout -q -f -B patched base
if [ ${#patches[@]} -gt 0 ]; then
	echo "prepare-source: applying ${#patches[@]} patch(es)"
	g am -q "${patches[@]}" || { g am --abort || true; die "the series does not apply"; }
fi
echo "$stamp" > "$src/.git/harness-series"
