#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scan-bench.sh BUILDDIR
#
# "make bench-scan": how long vsyscall-scan takes over a tree (default
# /usr) against reading every file of it once with cat, both with a warm
# page cache.  Each runs once to warm the cache, then REPEAT times (default
# 3); the best wall time of each counts.  Prints both and their ratio,
# writes them to BUILDDIR/bench/scan.txt, and fails if the scan takes more
# than twice as long as cat.
#
#   SCAN_BENCH_DIR=<dir>   the tree to read (default /usr)
#   REPEAT=N               timed runs of each (default 3)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$1
dir=${SCAN_BENCH_DIR:-/usr}
repeat=${REPEAT:-3}
max_ratio=2
out=$build/bench
scan=$build/scan/bin/vsyscall-scan
mkdir -p "$out"

die() { echo "scan-bench: $*" >&2; exit 1; }

make -s -C "$here/../tools" OUT="$build/scan/bin" scan || die "vsyscall-scan does not build"

read_all() { find "$dir" -type f -exec cat {} + > /dev/null 2>&1; }
scan_all() { "$scan" --quiet "$dir" > "$out/scan-verdict.txt" 2> "$out/scan-errors.txt"; }

# NAME: the best wall time of REPEAT runs of the function NAME, in seconds
best_of() {
	local best= i t0 t
	"$1" # warm-up: the page cache, the dentry and inode caches
	for ((i = 0; i < repeat; i++)); do
		t0=$EPOCHREALTIME
		"$1"
		t=$(awk "BEGIN { printf \"%.3f\", $EPOCHREALTIME - $t0 }")
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t
		fi
	done
	echo "$best"
}

echo "scan-bench: $dir, best of $repeat warm runs each"
cat_s=$(best_of read_all)
scan_s=$(best_of scan_all)
ratio=$(awk "BEGIN { printf \"%.2f\", $scan_s / $cat_s }")
{
	echo "tree:                       $dir ($(find "$dir" -type f 2>/dev/null | wc -l) files)"
	echo "find -exec cat > /dev/null: $cat_s s"
	echo "vsyscall-scan --quiet:      $scan_s s"
	echo "ratio scan/cat:             $ratio (limit $max_ratio)"
	echo "verdict:                    $(cat "$out/scan-verdict.txt")"
} | tee "$out/scan.txt"
if [ -s "$out/scan-errors.txt" ]; then
	echo "scan-bench: the scan reported errors (timed all the same), see $out/scan-errors.txt"
fi
awk "BEGIN { exit !($ratio <= $max_ratio) }" ||
	die "vsyscall-scan is more than $max_ratio times slower than reading the files"
