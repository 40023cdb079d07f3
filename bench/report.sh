#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh RESULTDIR KVER
#
# Turn RESULTDIR/results.csv (written by run-bench.sh) into results.md
# (tables, ratios, and the targets) and chart.png (gnuplot), for the
# kernel version KVER.
set -euo pipefail

results=$1 kver=$2
csv=$results/results.csv
[ -s "$csv" ] || { echo "report: no $csv" >&2; exit 1; }

# value CLOCK KERNEL MODE POLICY PATH
value() {
	awk -F, -v c="$1" -v k="$2" -v m="$3" -v p="$4" -v x="$5" \
		'$1 == c && $2 == k && $3 == m && $4 == p && $5 == x { print $6; exit }' "$csv"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.3f", a / b }'
}

verdict() {
	awk -v r="$1" -v max="$2" 'BEGIN { if (r == "-") print "not measured"; else if (r <= max) print "met"; else print "MISSED" }'
}

{
	echo "# vsyscall benchmark"
	echo
	echo "Made by \`make bench\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)."
	echo "QEMU TCG, one guest CPU.  \"icount\" figures are guest instructions per call"
	echo "(-icount shift=0,sleep=off: one guest nanosecond per instruction); they repeat"
	echo "from run to run to within a tenth of an instruction.  \"wall\" figures are host"
	echo "nanoseconds and vary with the host."
	echo "Kernel: Linux $kver.  Baseline: the same tree and configuration without the series."
	echo
	echo "## Targets"
	echo
	echo "| target | measured | limit | result |"
	echo "|---|---|---|---|"
	for m in emulate xonly; do
		r=$(ratio "$(value icount test $m default vsyscall-time)" "$(value icount baseline $m default vsyscall-time)")
		echo "| emulated time() with the policy check, vsyscall=$m, patched/baseline | $r | 1.03 | $(verdict "$r" 1.03) |"
	done
	r=$(ratio "$(value icount test native default vsyscall-time)" "$(value icount test native default syscall-time)")
	echo "| native vsyscall time() / raw syscall | $r | 1.10 | $(verdict "$r" 1.10) |"
	for m in emulate xonly none; do
		r=$(ratio "$(value icount test $m default page-fault)" "$(value icount baseline $m default page-fault)")
		echo "| page fault, vsyscall=$m, patched/baseline | $r | 1.01 | $(verdict "$r" 1.01) |"
	done
	echo
	for clock in icount wall; do
		echo "## Per call ($clock)"
		echo
		echo "| path | vsyscall= | policy | baseline | patched | patched/baseline | patched/raw syscall |"
		echo "|---|---|---|---|---|---|---|"
		awk -F, -v c="$clock" '$1 == c && $2 == "test" { print $3, $4, $5, $6 }' "$csv" |
		while read -r mode policy path ns; do
			base=$(value "$clock" baseline "$mode" "$policy" "$path")
			sys=$(value "$clock" test "$mode" "$policy" syscall-time)
			[ -n "$sys" ] || sys=$(value "$clock" test "$mode" default syscall-time)
			echo "| $path | $mode | $policy | ${base:--} | $ns | $(ratio "$ns" "$base") | $(ratio "$ns" "$sys") |"
		done
		echo
	done
	echo "Raw data: results.csv.  Chart: chart.png (icount, log scale)."
} > "$results/results.md"

# The chart: instructions per call of each vsyscall-related path.
dat=$results/chart.dat
{
	echo "label baseline patched"
	for row in "syscall-time emulate" "vsyscall-time native" "vsyscall-time emulate" \
		   "vsyscall-time xonly" "denied-time none" "page-fault emulate"; do
		set -- $row
		b=$(value icount baseline "$2" default "$1")
		p=$(value icount test "$2" default "$1")
		echo "\"$1 ($2)\" ${b:-NaN} ${p:-NaN}"
	done
	p=$(value icount test none allow vsyscall-time)
	echo "\"vsyscall-time (none+allow)\" NaN ${p:-NaN}"
} > "$dat"
gnuplot <<EOF
set terminal pngcairo size 1000,520 font "sans,10"
set output "$results/chart.png"
set title "Guest instructions per call (QEMU -icount), baseline $kver vs patched"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "instructions per call (log)"
set xtics rotate by -20
set key top left
set grid ytics
plot "$dat" using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3)
EOF
rm -f "$dat"
cat "$results/results.md"
