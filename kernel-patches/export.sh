#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# export.sh GITDIR [BASE]
#
# Regenerate the patch files and the series file from the commits
# BASE..HEAD of a kernel git tree (BASE defaults to the tag "base" that
# qemu-scripts/prepare-source.sh creates), and refresh the shortlog and
# diffstat at the end of the hand-written cover letter.  The selftests the
# series carries are first brought up to date with selftests/ in the tree
# (sync-selftests.sh).  Run checkpatch
# afterwards with "make patches-check".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
git=$1
base=${2:-base}
cover=$here/0000-cover-letter.patch

"$here/sync-selftests.sh" "$git" "$base"
find "$here" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' -delete
git -C "$git" format-patch -q -n --no-signature --zero-commit -o "$here" "$base..HEAD"
(cd "$here" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') > "$here/series"

# The cover letter's text ends at the shortlog; everything after it is
# generated.  The patch count in its subject follows the series.
n=$(wc -l < "$here/series")
awk '/^[^ ].* \([0-9]+\):$/ { exit } { print }' "$cover" |
	sed "s/^Subject: \\[PATCH \\(v[0-9]* \\)\\{0,1\\}0\/[0-9]*\\]/Subject: [PATCH \\10\/$n]/" > "$cover.new"
{
	git -C "$git" shortlog "$base..HEAD"
	git -C "$git" diff --stat=72 "$base..HEAD"
	echo
	echo "base: Linux $(make -s -C "$git" kernelversion) as shipped in Debian's linux-source-6.12"
	echo "-- "
	echo "2.39.5"
} >> "$cover.new"
mv "$cover.new" "$cover"
echo "export: $n patches in $here"
