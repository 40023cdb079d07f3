#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# export.sh SERIESDIR GITDIR [BASE]
#
# Regenerate the patch files and the series file in SERIESDIR (6.12/ or
# 6.1/ here, named after the kernel version the series is for) from the
# commits BASE..HEAD of a kernel git tree of that version (BASE defaults
# to the tag "base" that qemu-scripts/prepare-source.sh creates, in
# build/<version>/src), and refresh the shortlog and
# diffstat at the end of the hand-written cover letter.  The selftests the
# series carries are first brought up to date with selftests/ in the tree
# (sync-selftests.sh).  Run checkpatch
# afterwards with "make patches-check".
set -euo pipefail

tools=$(cd "$(dirname "$0")" && pwd)
series_dir=$(cd "$1" && pwd)
git=$2
base=${3:-base}
cover=$series_dir/0000-cover-letter.patch
kver=$(basename "$series_dir")

tree=$(make -s -C "$git" kernelversion)
case "$tree" in
"$kver"|"$kver".*) ;;
*) echo "export: $git is Linux $tree, the series in $series_dir is for $kver" >&2; exit 1 ;;
esac

"$tools/sync-selftests.sh" "$git" "$base"
find "$series_dir" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' -delete
git -C "$git" format-patch -q -n --no-signature --zero-commit -o "$series_dir" "$base..HEAD"
(cd "$series_dir" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') > "$series_dir/series"

# The cover letter's text ends at the shortlog; everything after it is
# generated.  The patch count in its subject follows the series.
n=$(wc -l < "$series_dir/series")
awk '/^[^ ].* \([0-9]+\):$/ { exit } { print }' "$cover" |
	sed "s/^Subject: \\[PATCH \\(v[0-9]* \\)\\{0,1\\}0\/[0-9]*\\]/Subject: [PATCH \\10\/$n]/" > "$cover.new"
{
	git -C "$git" shortlog "$base..HEAD"
	git -C "$git" diff --stat=72 "$base..HEAD"
	echo
	echo "base: Linux $tree as shipped in Debian's linux-source-$kver"
	echo "-- "
	echo "2.39.5"
} >> "$cover.new"
mv "$cover.new" "$cover"
echo "export: $n patches in $series_dir"

# The harness's own tree (build/<version>/src on its branch "patched")
# already holds what was exported: say so, so that the next build does not
# apply the series again.
if [ -f "$git/.git/harness-series" ] &&
   [ "$(git -C "$git" rev-parse --abbrev-ref HEAD)" = patched ]; then
	"$tools/../qemu-scripts/prepare-source.sh" --adopt "$series_dir" "$git"
fi
