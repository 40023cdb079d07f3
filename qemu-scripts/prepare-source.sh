#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# prepare-source.sh SERIESDIR SRCDIR
#
# Make SRCDIR a git repository holding the kernel source the series in
# SERIESDIR is for at tag "base", then put that series on top of it with
# "git am" on branch "patched".  SERIESDIR is named after the kernel
# version (kernel-patches/6.12, kernel-patches/6.1); the source is Debian's
# linux-source-<version> tarball, or the tree named by $KSRC, which must
# be that version.
#
# The base is imported once.  When the series changes, the tree is reset to
# "base" and the series is applied again.  A file the series touches that
# comes out the same as before gets its old modification time back, so
# the kernel build that follows recompiles only what the change touched.
#
# prepare-source.sh --adopt SERIESDIR SRCDIR records that the branch
# "patched" of SRCDIR already holds the series (kernel-patches/export.sh
# just wrote the series from it), so that the next build does not apply
# the series again and recompile every file it touches.
set -euo pipefail

adopt=0
[ "${1:-}" = --adopt ] && { adopt=1; shift; }
series_dir=$(cd "$1" && pwd)
src=$2
kver=$(basename "$series_dir")
tarball=/usr/src/linux-source-$kver.tar.xz

die() { echo "prepare-source: $*" >&2; exit 1; }

# What the base is made of; a change means importing it again.
if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC is not a kernel tree"
	origin="tree $(cd "$KSRC" && pwd)"
else
	[ -f "$tarball" ] || die "$tarball missing: apt-get install linux-source-$kver"
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
[ "$head" = "$kver" ] || die "$src is Linux $head, not $kver (the series in $series_dir is for $kver)"

# The stamp covers the series file and every patch it names.
patches=()
while read -r p _; do
	case "$p" in ''|'#'*) continue ;; esac
	[ -f "$series_dir/$p" ] || die "series names $p, which is missing"
	patches+=("$series_dir/$p")
done < "$series_dir/series"
stamp=$(cat "$series_dir/series" "${patches[@]}" | sha256sum | cut -d' ' -f1)

if [ $adopt = 1 ]; then
	[ "$(g rev-parse --abbrev-ref HEAD)" = patched ] &&
	[ -z "$(g status --porcelain --untracked-files=no)" ] &&
	[ "$(g rev-list --count base..HEAD)" = ${#patches[@]} ] ||
		die "--adopt: $src is not on a clean branch \"patched\" with ${#patches[@]} commits on base"
	echo "$stamp" > "$src/.git/harness-series"
	exit 0
fi

if [ "$(cat "$src/.git/harness-series" 2>/dev/null)" = "$stamp" ] &&
   [ "$(g rev-parse --abbrev-ref HEAD)" = patched ] &&
   [ -z "$(g status --porcelain --untracked-files=no)" ]; then
	exit 0
fi

g am --abort >/dev/null 2>&1 || true

# What the files the applied series touched hold now, and since when:
# "blob mtime path" lines
before=$(mktemp)
trap 'rm -f "$before"' EXIT
if g rev-parse -q --verify patched >/dev/null; then
	g diff --name-only --no-renames base patched | while read -r f; do
		[ -f "$src/$f" ] || continue
		echo "$(g hash-object "$f") $(stat -c %Y "$src/$f") $f"
	done > "$before"
fi

g checkout -q -f -B patched base
if [ ${#patches[@]} -gt 0 ]; then
	echo "prepare-source: applying ${#patches[@]} patch(es)"
	g am -q "${patches[@]}" || { g am --abort || true; die "the series does not apply"; }
fi

kept=0
while read -r blob mtime f; do
	if [ -f "$src/$f" ] && [ "$(g hash-object "$f")" = "$blob" ]; then
		touch -m -d "@$mtime" "$src/$f"
		kept=$((kept + 1))
	fi
done < "$before"
[ $kept -eq 0 ] || echo "prepare-source: $kept unchanged file(s) keep their time"
echo "$stamp" > "$src/.git/harness-series"
