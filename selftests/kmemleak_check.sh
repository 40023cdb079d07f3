#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmemleak_check.sh clear|scan
#
# clear: report and forget what the boot left unreferenced, so that a
#        later scan reports only what the tests leaked.
# scan:  after the suites, report unreferenced objects; then unload
#        vsyscall_policy and scan again.  Any report fails.
#
# kmemleak only reports objects older than 5 seconds, and a second scan
# weeds out objects whose references were in flight; hence the sleeps.
KMEMLEAK=/sys/kernel/debug/kmemleak

echo "TAP version 13"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -w $KMEMLEAK ]; then
	echo "1..1"
	echo "not ok 1 $KMEMLEAK is missing: the kernel lacks CONFIG_DEBUG_KMEMLEAK"
	exit 1
fi

scan() {
	sleep 6
	echo scan > $KMEMLEAK
	echo scan > $KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	if [ -z "$leaks" ]; then
		echo "ok $1 no kmemleak report $2"
	else
		echo "$leaks" | head -40 | sed 's/^/# /'
		echo "not ok $1 kmemleak reports $2"
		failed=1
	fi
}

failed=0
case "$1" in
clear)
	echo "1..1"
	# "clear" forgets only objects a scan has already reported: scan
	# first, so that what the boot left unreferenced (on 6.1, 8 objects
	# of ACPI's early caches, allocated by pid 0) is reported here and
	# then forgotten.  The kernel logs that report too; the markers
	# around it tell the host (run-matrix.sh) that it is the boot's.
	echo "harness: kmemleak baseline begin" > /dev/kmsg
	echo scan > $KMEMLEAK
	echo scan > $KMEMLEAK
	boot_leaks=$(cat $KMEMLEAK)
	echo "# $(echo "$boot_leaks" | grep -c '^unreferenced object') objects the boot left unreferenced"
	echo clear > $KMEMLEAK && ok=1 || ok=0
	echo "harness: kmemleak baseline end" > /dev/kmsg
	# Forgetting them must not hide a leak of the series' own boot code,
	# whose functions all have "vsyscall" in their names.
	if echo "$boot_leaks" | grep -q vsyscall; then
		echo "$boot_leaks" | head -40 | sed 's/^/# /'
		echo "not ok 1 the boot left an object of the vsyscall code unreferenced"
		exit 1
	fi
	[ $ok = 1 ] && echo "ok 1 kmemleak cleared" || { echo "not ok 1 kmemleak clear"; exit 1; }
	;;
scan)
	echo "1..3"
	scan 1 "after the suites"
	if rmmod vsyscall_policy; then
		echo "ok 2 vsyscall_policy unloaded"
	else
		echo "not ok 2 rmmod vsyscall_policy"
		failed=1
	fi
	scan 3 "after unloading vsyscall_policy"
	;;
*)
	echo "usage: $0 clear|scan" >&2
	exit 2
	;;
esac
exit $failed
