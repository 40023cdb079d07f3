#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# policy_rerun.sh PROGRAM: run a test program again under the per-process
# policy that changes what the boot mode EXPECT_MODE gives (DESIGN.md
# section 3): allow under vsyscall=none, deny under emulate and xonly.  The
# policy is set with setvsyscall and PROGRAM is told it in EXPECT_POLICY,
# so it asserts that policy's column of the table in vsyscall_expect.h.
#
# Under vsyscall=native no policy changes anything (deny is refused with
# EOPNOTSUPP, allow is the default), so the run is one SKIP, with the
# reason, in kselftest TAP.
TOOL=/tests/setvsyscall
KO=${VSYSCALL_POLICY_KO:-/lib/modules/vsyscall_policy.ko}
prog=$1

[ -n "$prog" ] || { echo "Bail out! usage: policy_rerun.sh PROGRAM"; exit 2; }
case "$EXPECT_MODE" in
none)		policy=allow ;;
emulate|xonly)	policy=deny ;;
native)
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 # SKIP $prog under another policy: with vsyscall=native deny is refused and allow is the default"
	exit 0
	;;
*)
	echo "Bail out! EXPECT_MODE='$EXPECT_MODE' is not a vsyscall mode"
	exit 1
	;;
esac

insmod "$KO" 2>/dev/null
grep -q '^vsyscall_policy ' /proc/modules || { echo "Bail out! cannot load $KO"; exit 1; }
echo "# $prog under policy $policy (vsyscall=$EXPECT_MODE)"
exec $TOOL --policy $policy -- env EXPECT_POLICY=$policy "$prog"
