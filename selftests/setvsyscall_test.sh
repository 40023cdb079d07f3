#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# setvsyscall_test.sh: the command-line tool and the container chain, in
# the guest, for the boot mode in EXPECT_MODE.
#
# The chain is what a container host does: setvsyscall sets (and locks)
# the policy and execs the runtime, here busybox "unshare --fork --pid
# --mount" and "chroot" into a small root filesystem that holds the
# glibc 2.12 probe.  The probe is told which policy to expect and asserts
# the outcome itself.
#
# --dump --pid reads another process's policy, lock and counts of emulated
# and refused vsyscalls: vsyscall_audit --sit makes a known number of
# calls and waits to be looked at.
TOOL=/tests/setvsyscall
PROBE=/tests/glibc212_probe
AUDIT=/tests/vsyscall_audit
KO=${VSYSCALL_POLICY_KO:-/lib/modules/vsyscall_policy.ko}
ROOT=/tmp/legacy-root
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
}

# run COMMAND...: run it, output to /tmp/out (shown as comments), status in rc
run() {
	"$@" > /tmp/out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/out
}

# expect_rc WANT DESCRIPTION COMMAND...: the command's exit status is WANT
expect_rc() {
	want=$1 desc=$2
	shift 2
	run "$@"
	[ "$rc" = "$want" ]
	ok $? "$desc: exit $rc (want $want)"
}

# expect_out PATTERN DESCRIPTION COMMAND...: exit 0 and output matches
expect_out() {
	pat=$1 desc=$2
	shift 2
	run "$@"
	[ "$rc" = 0 ] && grep -q "$pat" /tmp/out
	ok $? "$desc"
}

echo "TAP version 13"
echo "1..31"
[ -n "$EXPECT_MODE" ] || { echo "Bail out! EXPECT_MODE is not set"; exit 1; }
insmod "$KO" 2>/dev/null
grep -q '^vsyscall_policy ' /proc/modules || { echo "Bail out! cannot load $KO"; exit 1; }

# What the non-default policies do in this mode (DESIGN.md section 3)
if [ "$EXPECT_MODE" = native ]; then deny_rc=1; else deny_rc=0; fi

# 1-3: --dump
expect_out "^policy: default$" "--dump shows the default policy" $TOOL --dump
expect_out "^boot mode: $EXPECT_MODE$" "--dump shows the boot mode $EXPECT_MODE" $TOOL --dump
expect_out "^locked: yes$" "--lock is visible to the command" $TOOL --lock -p allow $TOOL --dump

# 4: the policy reaches the command
if [ $deny_rc = 0 ]; then
	expect_out "^policy: deny$" "--policy deny reaches the command" $TOOL -p deny -- $TOOL --dump
else
	expect_rc 1 "--policy deny is refused under vsyscall=native" $TOOL -p deny -- $TOOL --dump
fi

# 5-10: exit statuses
expect_rc 7 "the command's exit status passes through" $TOOL -p default sh -c 'exit 7'
expect_rc 127 "a missing command" $TOOL -p default /nonexistent
expect_rc 126 "a command that cannot be executed" $TOOL -p default /etc/passwd
expect_rc 2 "an unknown policy" $TOOL -p sometimes true
expect_rc 2 "--policy twice" $TOOL -p allow -p deny true
expect_rc 1 "a locked policy cannot be changed" $TOOL --lock -p allow $TOOL -p default true

# 11: without the module
rmmod vsyscall_policy
expect_out "module is not loaded" "without the module: exit 1 and says so" sh -c "$TOOL -p default true; echo rc=\$?"
grep -q "rc=1" /tmp/out || { echo "# wrong exit status"; failed=1; }
insmod "$KO" || failed=1

# 12-15: the container chain
mkdir -p $ROOT/bin $ROOT/proc $ROOT/tmp
cp /bin/busybox $ROOT/bin/busybox
ln -sf busybox $ROOT/bin/sh
cp $PROBE $TOOL $ROOT/bin/
chain="unshare --fork --pid --mount chroot $ROOT"

expect_rc 0 "container without setvsyscall: probe sees the default policy" \
	env EXPECT_POLICY=default $chain /bin/glibc212_probe
expect_rc 0 "setvsyscall --lock -p allow -- container: probe sees allow" \
	$TOOL --lock -p allow -- env EXPECT_POLICY=allow $chain /bin/glibc212_probe
expect_rc 1 "inside the container the locked policy cannot be changed" \
	$TOOL --lock -p allow -- $chain /bin/setvsyscall -p deny /bin/sh -c true
expect_out "^policy: allow$" "inside the container --dump shows allow" \
	$TOOL --lock -p allow -- $chain /bin/setvsyscall --dump

# 16-17: the OCI runtime wrapper, with a stand-in for runc that shows what
# it was started with and runs the "container" as above
cat > /tmp/fake-runc <<EOS
#!/bin/sh
$TOOL --dump > /tmp/runtime-view
echo "args: \$*" >> /tmp/runtime-view
exec $chain /bin/glibc212_probe
EOS
chmod +x /tmp/fake-runc
export PATH=/tests:$PATH
expect_rc 0 "vsyscall-oci-wrapper runs the runtime's container with allow" \
	env VSYSCALL_RUNTIME=/tmp/fake-runc EXPECT_POLICY=allow \
	/tests/vsyscall-oci-wrapper create --bundle /b ctr
sed 's/^/# runtime: /' /tmp/runtime-view
grep -q "^policy: allow$" /tmp/runtime-view && grep -q "^locked: yes$" /tmp/runtime-view &&
	grep -q "^args: create --bundle /b ctr$" /tmp/runtime-view
ok $? "the runtime got a locked allow policy and its own arguments"

# 18-23: nested.  Inside a container the wrapper started (allow, locked),
# the wrapper runs again, as a runtime in the container would: as root, as
# nobody, and as root in a user namespace.  Setting the policy the process
# already has is allowed to anyone, lock or no lock, so the inner runtime
# starts, with allow still locked.
cp /tests/vsyscall-oci-wrapper /tests/vsyscall_runas $ROOT/bin/
cat > $ROOT/bin/inner-runc <<'EOS'
#!/bin/sh
echo "inner uid: $(/bin/busybox id -u)"
echo "inner uid_map:" $(/bin/busybox cat /proc/self/uid_map)
echo "inner args: $*"
/bin/setvsyscall --dump || exit 99
exec /bin/glibc212_probe
EOS
chmod 755 $ROOT/bin/inner-runc
# The outer runtime: the container, with its own /proc (busybox's
# --mount-proc wants a mount point there); with -r its root is root in a
# new user namespace.  It is called as "run COMMAND...", so that the
# wrapper sees a command that starts a container.
for userns in "" -r; do
	cat > /tmp/outer-runc$userns <<EOS
#!/bin/sh
[ "\$1" = run ] || exit 98
shift
export VSYSCALL_RUNTIME=/bin/inner-runc
exec unshare $userns --fork --pid --mount /bin/sh -c \
	'mount -t proc proc $ROOT/proc && exec chroot $ROOT "\$@"' container "\$@"
EOS
	chmod +x /tmp/outer-runc$userns
done

# nested WHO UID USERNS OUTER-RUNTIME COMMAND...: two results
nested() {
	who=$1 uid=$2 userns=$3 runtime=$4
	shift 4
	expect_rc 0 "nested wrapper as $who: the inner runtime and its probe run" \
		env VSYSCALL_RUNTIME=$runtime EXPECT_POLICY=allow \
		/tests/vsyscall-oci-wrapper "$@"
	grep -q "^policy: allow$" /tmp/out && grep -q "^locked: yes$" /tmp/out &&
		grep -q "^inner args: run inner$" /tmp/out &&
		grep -q "^inner uid: $uid$" /tmp/out &&
		if [ "$userns" = yes ]; then
			grep -q "^inner uid_map: 0 0 1$" /tmp/out
		else
			grep -q "^inner uid_map: 0 0 4294967295$" /tmp/out
		fi
	ok $? "nested wrapper as $who: the inner runtime runs as uid $uid$([ $userns = yes ] && echo ' in a user namespace') with allow still locked"
}
nested root 0 no /tmp/outer-runc run /bin/vsyscall-oci-wrapper run inner
nested nobody 65534 no /tmp/outer-runc run /bin/vsyscall_runas 65534 65534 /bin/vsyscall-oci-wrapper run inner
nested "root in a user namespace" 0 yes /tmp/outer-runc-r run /bin/vsyscall-oci-wrapper run inner

# 24-31: the counts, and --dump --pid.  Each sitter makes 2 calls to each
# of the 3 entry points: under allow all 6 are emulated, under deny all 6
# refused; under native nothing traps, so nothing is counted (and deny is
# refused: the second sitter keeps default).
if [ "$EXPECT_MODE" = native ]; then
	emulated=0 refused=0 other=default
else
	emulated=6 refused=6 other=deny
fi

# has LINE...: /tmp/out has each of these lines
has() {
	for line in "$@"; do
		grep -q "^$line\$" /tmp/out || { echo "# missing: $line"; return 1; }
	done
}

# sit SETVSYSCALL-OPTION...: start vsyscall_audit --sit 2 under setvsyscall
# and wait until it made its calls (it says "ready"); its pid in sit_pid.
# setvsyscall execs it, so the background job's pid is the sitter's.
sit() {
	rm -f /tmp/sit.fifo
	mkfifo /tmp/sit.fifo
	$TOOL "$@" -- $AUDIT --sit 2 > /tmp/sit.fifo &
	sit_pid=$!
	read -r line < /tmp/sit.fifo
	[ "$line" = ready ]
}

run $TOOL --dump
[ "$rc" = 0 ] && has "vsyscalls emulated: 0" "vsyscalls refused: 0"
ok $? "--dump shows the counts of its own process, 0 and 0 (a new program)"

sit --lock -p allow
sat=$?
allow_pid=$sit_pid
run $TOOL --dump --pid $allow_pid
[ $sat = 0 ] && [ "$rc" = 0 ] && has "policy: allow" "locked: yes" "boot mode: $EXPECT_MODE" \
	"vsyscalls emulated: $emulated" "vsyscalls refused: 0"
ok $? "--dump --pid of a process under allow, locked, after 6 calls: emulated $emulated, refused 0"

sit -p $other
sat=$?
other_pid=$sit_pid
run $TOOL --dump --pid $other_pid
[ $sat = 0 ] && [ "$rc" = 0 ] && has "policy: $other" "locked: no" "boot mode: $EXPECT_MODE" \
	"vsyscalls emulated: 0" "vsyscalls refused: $refused"
ok $? "--dump --pid of a process under $other after 6 calls: emulated 0, refused $refused"

# The policy and counts are the kernel's: they do not need the module.
rmmod vsyscall_policy
run $TOOL --dump --pid $allow_pid
[ "$rc" = 0 ] && has "policy: allow" "locked: yes" "boot mode: unknown (vsyscall_policy not loaded)" \
	"vsyscalls emulated: $emulated" "vsyscalls refused: 0"
ok $? "--dump --pid without the module: the same policy and counts, boot mode unknown"
insmod "$KO" || failed=1
# The counts are for those who may ptrace-read the process; its policy
# and lock are for everyone, like NoNewPrivs.
run /tests/vsyscall_runas 65534 65534 /bin/cat /proc/$allow_pid/status
[ "$rc" = 0 ] && grep -q "^Vsyscall_policy:[[:space:]]*allow$" /tmp/out &&
	grep -q "^Vsyscall_policy_locked:[[:space:]]*1$" /tmp/out &&
	! grep -q "^Vsyscall_emulated:" /tmp/out && ! grep -q "^Vsyscall_refused:" /tmp/out
ok $? "nobody reading a root process's status sees its policy and lock, not its counts"
kill $allow_pid $other_pid
wait $allow_pid $other_pid 2>/dev/null

sh -c : &
gone=$!
wait $gone
run $TOOL --dump --pid $gone
[ "$rc" = 1 ] && grep -q "no process $gone" /tmp/out
ok $? "--dump --pid of a process that exited: exit $rc (want 1) and says so"
expect_rc 2 "--pid without --dump" $TOOL --pid 1 -p default true
expect_rc 2 "--dump --pid with something else than a process ID" $TOOL --dump --pid 12abc

exit $failed
