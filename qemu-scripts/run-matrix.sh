#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-matrix.sh MATRIX BUILDDIR RESULTDIR
#
# Boot every line of MATRIX (see boots.matrix), JOBS at a time, judge each
# boot's TAP with tap-check.awk and its kernel log for panics, oopses and
# WARNs, and print one summary line per boot.  The last line is
# "N passed, N failed, N skipped"; the exit status is non-zero when
# anything failed or went missing.
#
# Environment: KVER (the kernel version the boots are for: their
# expectation files are qemu-scripts/expect/KVER/), BOOTS (space-separated
# names to run, default all), JOBS (parallel boots, default the number of
# CPUs), ACCEL, BOOT_TIMEOUT.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
matrix=$1 build=$2 results=$3
expect=$here/expect/${KVER:?run-matrix: set KVER to the kernel version of the boots}
[ -d "$expect" ] || { echo "run-matrix: no expectations for Linux $KVER ($expect)"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$results"
rm -f "$results"/*.{console,tap,rc,secs,qemu}

boots=()
while read -r name kernel mode vdso params; do
	case "$name" in ''|'#'*) continue ;; esac
	if [ -n "${BOOTS:-}" ] && [[ " $BOOTS " != *" $name "* ]]; then
		continue
	fi
	boots+=("$name|$kernel|$mode|$vdso|$params")
done < "$matrix"
[ ${#boots[@]} -gt 0 ] || { echo "run-matrix: no boots selected"; echo "0 passed, 1 failed"; exit 1; }

# The KVM probe boots the plain test kernel when there is one (the debug
# kernel, first in the matrix, is too slow for the probe's timeout).
probe_kernel=${boots[0]#*|}; probe_kernel=${probe_kernel%%|*}
[ -f "$build/kernel-test/arch/x86/boot/bzImage" ] && probe_kernel=test
ACCEL=$("$here/pick-accel.sh" "$build/kernel-$probe_kernel/arch/x86/boot/bzImage" \
	"$build/initramfs.cpio" "$results")
export ACCEL
echo "run-matrix: ${#boots[@]} boots under QEMU with -accel $ACCEL"

boot_one() {
	IFS='|' read -r name kernel mode vdso params <<< "$1"
	# KASAN's shadow memory needs room
	[ "$kernel" = debug ] && export QEMU_MEM_BASE=1024
	# Harness words in the line: another initramfs, a longer timeout,
	# CPU features for QEMU
	initrd=$build/initramfs.cpio
	for w in $params; do
		case "$w" in
		INITRAMFS=*) initrd=$build/initramfs-${w#INITRAMFS=}.cpio ;;
		BOOT_TIMEOUT=*) export BOOT_TIMEOUT=${w#BOOT_TIMEOUT=} ;;
		QEMU_CPU_FLAGS=*) export QEMU_CPU_FLAGS=${w#QEMU_CPU_FLAGS=} ;;
		esac
	done
	"$here/boot.sh" "$build/kernel-$kernel/arch/x86/boot/bzImage" \
		"$initrd" "$results/$name" \
		$params EXPECT_MODE="$mode" EXPECT_VDSO="$vdso" ${HARNESS_TESTS:+HARNESS_TESTS=$HARNESS_TESTS}
}
export -f boot_one
export here build results HARNESS_TESTS
printf '%s\n' "${boots[@]}" | xargs -d '\n' -P "${JOBS:-$(nproc)}" -I{} bash -c 'boot_one "$1"' _ {}

total_p=0 total_f=0 total_s=0
for b in "${boots[@]}"; do
	IFS='|' read -r name kernel mode vdso params <<< "$b"
	key=$mode
	[ "$vdso" = 0 ] && key=$mode-novdso
	out=$(awk -v expect="$expect" -v key="$key" -v boot="$name" \
		-f "$here/tap-check.awk" "$results/$name.tap" 2>&1)
	counts=$(sed -n 's/^COUNTS //p' <<< "$out")
	read -r p f s <<< "${counts:-0 1 0}"
	details=$(grep -v '^COUNTS ' <<< "$out")

	# The kernel log: anything here means the kernel is not healthy,
	# whatever the tests said.  The one exception is kmemleak's report
	# of what the boot itself left unreferenced, between the markers
	# kmemleak_check.sh clear logs before it forgets those objects.
	rc=$(cat "$results/$name.rc" 2>/dev/null || echo missing)
	bad=$(sed -e 's/\r$//' -e '/harness: kmemleak baseline begin/,/harness: kmemleak baseline end/{/kmemleak: [0-9]* new suspected/d}' \
		"$results/$name.console" 2>/dev/null |
		grep -m1 -E 'Kernel panic|BUG:|Oops|WARNING:|general protection|Call Trace:|kernel BUG|UBSAN|KASAN|kmemleak:.*new suspected')
	if [ -n "$bad" ]; then
		details+=$'\n'"    FAIL $name: kernel log: $bad"
		f=$((f + 1))
	fi
	case "$rc" in
	0) ;;
	124|137)
		limit=${BOOT_TIMEOUT:-300}
		for w in $params; do case "$w" in BOOT_TIMEOUT=*) limit=${w#BOOT_TIMEOUT=} ;; esac; done
		details+=$'\n'"    FAIL $name: timed out after ${limit}s"; f=$((f + 1)) ;;
	*) details+=$'\n'"    FAIL $name: QEMU exited with status $rc: $(head -c 300 "$results/$name.qemu" 2>/dev/null)"; f=$((f + 1)) ;;
	esac

	status=ok
	[ "$f" -gt 0 ] && status=FAILED
	printf 'boot %-16s %-6s %3s passed, %s failed, %s skipped (%ss; %s)\n' \
		"$name" "$status" "$p" "$f" "$s" "$(cat "$results/$name.secs" 2>/dev/null)" "${params:-no vsyscall= parameter}"
	details=$(sed '/^$/d' <<< "$details")
	[ -n "$details" ] && echo "$details"
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done

# The legacy root filesystems' outcomes, gathered from every boot
table=$(for b in "${boots[@]}"; do
	sed -n 's/\r$//; s/^# # legacy-table: //p' "$results/${b%%|*}.tap" 2>/dev/null
done | sort -u)
if [ -n "$table" ]; then
	echo "legacy root filesystems (asserted where the mode and policy grant the page):"
	printf '    %-9s %-8s %-8s %s\n' root mode policy outcome
	while read -r root mode policy what; do
		printf '    %-9s %-8s %-8s %s\n' "$root" "$mode" "$policy" "$what"
	done <<< "$table"
	grep -q "^user " <<< "$table" ||
		echo "    user      SKIP: no LEGACY_ROOTFS given (make check LEGACY_ROOTFS=<dir> [LEGACY_CMD=...])"
fi

echo "logs: $results/NAME.tap (tests), $results/NAME.console (kernel)"
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
