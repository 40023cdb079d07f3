#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vsyscall_rodata_check.sh: no kernel mapping of the vsyscall page may be
# writable.  Loads vsyscall_rodata_check.ko (selftests/rodata_check), whose
# init fails unless the kernel image alias and the direct map alias of the
# page are read-only and refuse a write, and the fixmap maps it read-only
# (or not at all, as the mode says); reports each of its 6 checks as a TAP
# result, then its verdict (the insmod exit status), then unloads it.
#
# The module is told where the page is (the address of __vsyscall_page in
# /proc/kallsyms, which root reads unhashed) and which mode to expect
# (EXPECT_MODE): see the comment at the top of the module.
#
# Environment: EXPECT_MODE (required); RODATA_CHECK_KO, default next to
# VSYSCALL_POLICY_KO (/lib/modules/vsyscall_policy.ko, the test kernel's
# build), so that a boot of another kernel that names its own policy
# module gets the rodata check built for that kernel too.
policy_ko=${VSYSCALL_POLICY_KO:-/lib/modules/vsyscall_policy.ko}
KO=${RODATA_CHECK_KO:-${policy_ko%/*}/vsyscall_rodata_check.ko}
NAME=vsyscall_rodata_check
CHECKS=6

echo "TAP version 13"
echo "1..$((CHECKS + 3))"
failed=0
result() {	# result OK DESCRIPTION
	if [ "$1" = 1 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
	n=$((n + 1))
}
n=1

addr=$(awk '$3 == "__vsyscall_page" { print $1; exit }' /proc/kallsyms)
case "$addr" in
''|*[!0-9a-f]*|0000000000000000)
	result 0 "__vsyscall_page in /proc/kallsyms: '$addr' (needs CONFIG_KALLSYMS_ALL, root)" ;;
*)
	result 1 "__vsyscall_page in /proc/kallsyms: $addr" ;;
esac

# The module's lines: those logged after the ones already there
before=$(dmesg | grep -c "$NAME: ")
insmod "$KO" "vsyscall_page=0x$addr" "mode=$EXPECT_MODE" > /tmp/$NAME.out 2>&1
rc=$?
sed 's/^/# /' /tmp/$NAME.out
dmesg | grep "$NAME: " | tail -n +$((before + 1)) | sed 's/^\[[^]]*\] //' > /tmp/$NAME.log
sed 's/^/# /' /tmp/$NAME.log

i=0
grep -E "^$NAME: (ok|FAIL) " /tmp/$NAME.log | head -n $CHECKS > /tmp/$NAME.checks
while read -r _ verdict text; do
	i=$((i + 1))
	if [ "$verdict" = ok ]; then
		result 1 "$text"
	else
		result 0 "$text"
	fi
done < /tmp/$NAME.checks
while [ $i -lt $CHECKS ]; do
	i=$((i + 1))
	result 0 "check $i: the module reported no result"
done

# The verdict: init returns 0 only if every check passed
if [ $rc = 0 ]; then
	result 1 "insmod: every kernel mapping of the vsyscall page refuses writes"
	rmmod $NAME > /tmp/$NAME.out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/$NAME.out
	[ $rc = 0 ] && ! grep -q "^$NAME " /proc/modules
	result $((! $?)) "rmmod $NAME"
else
	result 0 "insmod exited with status $rc: a check failed (or a bad parameter)"
	echo "ok $n rmmod $NAME # SKIP the module did not load"
fi
exit $failed
