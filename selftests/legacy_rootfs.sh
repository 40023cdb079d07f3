#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# legacy_rootfs.sh: run the command of each legacy root filesystem in
# /legacy (see qemu-scripts/make-initramfs.sh) chrooted, under each
# per-process policy, in the boot mode EXPECT_MODE.
#
# Where DESIGN.md grants the page to the process (the policy tables), the
# command must succeed: that is asserted.  Where the page is denied the
# outcome depends on whether the program touches the page at all, so it is
# only reported.  Every outcome is also printed as a "legacy-table:" line,
# which the host gathers into one compatibility table across boots.
#
#   /legacy/plumbing   the harness's own root (always there)
#   /legacy/user       LEGACY_ROOTFS, when given to make check
TOOL=/tests/setvsyscall
KO=${VSYSCALL_POLICY_KO:-/lib/modules/vsyscall_policy.ko}
n=0
failed=0

# granted MODE POLICY: does DESIGN.md let this process call the page?
granted() {
	case "$1/$2" in
	native/default|native/allow) return 0 ;;
	emulate/default|emulate/allow|xonly/default|xonly/allow) return 0 ;;
	none/allow) return 0 ;;
	esac
	return 1
}

# outcome RC: an exit status in words
outcome() {
	if [ "$1" -gt 128 ] && [ "$1" -lt 160 ]; then
		echo "signal $(($1 - 128)) ($(kill -l $(($1 - 128)) 2>/dev/null))"
	else
		echo "exit $1"
	fi
}

roots=""
for r in plumbing user; do
	[ -d /legacy/$r ] && roots="$roots $r"
done

# One asserted result per granted cell and root, one SKIP without a user root
plan=0
for r in $roots; do
	for p in default deny allow; do
		granted "$EXPECT_MODE" $p && plan=$((plan + 1))
	done
done
[ -d /legacy/user ] || plan=$((plan + 1))

echo "TAP version 13"
echo "1..$plan"
[ -n "$EXPECT_MODE" ] || { echo "Bail out! EXPECT_MODE is not set"; exit 1; }
insmod "$KO" 2>/dev/null
grep -q '^vsyscall_policy ' /proc/modules || { echo "Bail out! cannot load $KO"; exit 1; }

for r in $roots; do
	cmd=$(cat /legacy/$r.cmd)
	echo "# $r root: $cmd"
	for p in default deny allow; do
		# The command line is the user's, with the user's quoting.
		eval "$TOOL --policy $p -- chroot /legacy/$r $cmd" > /tmp/legacy.out 2>&1
		rc=$?
		sed 's/^/# /' /tmp/legacy.out | head -20
		if [ $rc = 1 ] && grep -q "^setvsyscall:" /tmp/legacy.out; then
			what="policy refused: $(sed -n 's/^setvsyscall: PR_SET_VSYSCALL: //p' /tmp/legacy.out)"
		else
			what=$(outcome $rc)
		fi
		echo "# legacy-table: $r $EXPECT_MODE $p $what"
		if granted "$EXPECT_MODE" $p; then
			n=$((n + 1))
			if [ $rc = 0 ]; then
				echo "ok $n $r root, vsyscall=$EXPECT_MODE, policy $p: $what"
			else
				echo "not ok $n $r root, vsyscall=$EXPECT_MODE, policy $p: $what, but the page is granted"
				failed=1
			fi
		fi
	done
done

if [ ! -d /legacy/user ]; then
	n=$((n + 1))
	echo "ok $n # SKIP no legacy root filesystem: give one with make check LEGACY_ROOTFS=<dir> [LEGACY_CMD='<command>']"
fi
exit $failed
