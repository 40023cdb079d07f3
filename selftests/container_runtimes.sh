#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# container_runtimes.sh RUNTIME...: Debian's own container runtimes (runc,
# crun, podman, docker) run a legacy program in a container, in the boot
# mode EXPECT_MODE (the containers boots use vsyscall=none), with and
# without vsyscall-oci-wrapper.  DESIGN.md section 7.
#
# The image is the harness's plumbing root (/legacy/plumbing: dash and
# the glibc 2.12 probe as /bin/legacy-time), plus busybox for "sleep" and
# the tools, so that the tests can look from inside; and the user's
# LEGACY_ROOTFS (/legacy/user) when one was given.  runc and crun take it
# as an OCI bundle's root, podman and docker import it as a tarball.
#
# For each runtime: without the wrapper the legacy program dies of SIGSEGV
# (exit 139) and the kernel's log names it; with the wrapper it works;
# from the host the container's process shows allow, locked; inside, the
# policy cannot be changed; a second container started beside it without
# the wrapper is still denied; exec into the opted-in container through
# the wrapper gets the policy; the wrapper used again inside works.  Then
# the wrapper's failures: no module, no runtime.
#
# The guest's root is an initramfs, which pivot_root cannot leave: runc
# and crun get --no-pivot, podman no_pivot_root, dockerd DOCKER_RAMDISK.
KO=${VSYSCALL_POLICY_KO:-/lib/modules/vsyscall_policy.ko}
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/tests
WRAPPER=/usr/local/bin/vsyscall-oci-wrapper
RECIPES=/etc/vsyscall-recipes
IMAGE=/var/lib/vsyscall-test/image
WORK=/var/lib/vsyscall-test
PROBE="/bin/legacy-time --call"
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

skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

# run COMMAND...: run it, output to /tmp/out (shown as comments), status in rc
run() {
	"$@" > /tmp/out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/out | tail -n 15
}

# expect_rc WANT DESCRIPTION COMMAND...
expect_rc() {
	want=$1 desc=$2
	shift 2
	run "$@"
	[ "$rc" = "$want" ]
	ok $? "$desc: exit $rc (want $want)"
}

# expect_fail_line PATTERN DESCRIPTION COMMAND...: non-zero exit and
# PATTERN in the output
expect_fail_line() {
	pat=$1 desc=$2
	shift 2
	run "$@"
	[ "$rc" != 0 ] && grep -q "$pat" /tmp/out
	ok $? "$desc: exit $rc, says \"$pat\""
}

# status_of PID: "POLICY LOCKED" from the host's /proc/PID/status
status_of() {
	echo "$(sed -n 's/^Vsyscall_policy:[[:space:]]*//p' /proc/$1/status)" \
		"$(sed -n 's/^Vsyscall_policy_locked:[[:space:]]*//p' /proc/$1/status)"
}

# expect_host_view RUNTIME PID WANT: the container process seen from the host
expect_host_view() {
	got=$(status_of "$2" 2>/dev/null)
	echo "# $1: pid $2 (comm $(cat /proc/$2/comm 2>/dev/null)) from the host: $got"
	[ "$got" = "$3" ]
	ok $? "$1: from the host the container's process has policy, locked = $3"
}

# expect_log DESCRIPTION: the kernel logged a refused call of legacy-time
# under this mode since the last "dmesg -c"
expect_log() {
	line=$(dmesg -c | grep -m1 "legacy-time\[[0-9]*\].*vsyscall attempted with vsyscall=$EXPECT_MODE, denied by policy default")
	echo "# kernel: $line"
	[ -n "$line" ]
	ok $? "$1: the kernel's log names legacy-time and the policy that refused it"
}

# expect_nested RUNTIME COMMAND...: COMMAND runs the wrapper inside the
# opted-in container, with /bin/inner-runtime as its runtime, which shows
# what it got and runs the legacy program
expect_nested() {
	desc="$1: the wrapper used again inside the opted-in container"
	shift
	run "$@"
	[ "$rc" = 0 ] && grep -q "^inner args: run inner$" /tmp/out &&
		grep -q "^policy: allow$" /tmp/out && grep -q "^locked: yes$" /tmp/out
	ok $? "$desc starts the inner runtime (allow, locked) and its legacy program: exit $rc"
}

# expect_stop_without_module DESCRIPTION COMMAND...: with the module
# unloaded, COMMAND (stopping and removing the opted-in container) works
expect_stop_without_module() {
	desc=$1
	shift
	rmmod vsyscall_policy
	expect_rc 0 "$desc without the module" "$@"
	insmod "$KO"
}

# bundle DIR ARG...: an OCI bundle in DIR whose root is the image
# (read-only, shared by every container) and whose process runs ARG...
bundle() {
	dir=$1 args=
	shift
	for a in "$@"; do
		args="$args${args:+, }\"$a\""
	done
	mkdir -p "$dir"
	cat > "$dir/config.json" <<EOF
{
	"ociVersion": "1.0.2",
	"process": {
		"terminal": false,
		"user": { "uid": 0, "gid": 0 },
		"args": [ $args ],
		"env": [ "PATH=/bin" ],
		"cwd": "/"
	},
	"root": { "path": "$IMAGE", "readonly": true },
	"hostname": "legacy",
	"mounts": [
		{ "destination": "/proc", "type": "proc", "source": "proc" },
		{ "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		  "options": [ "nosuid", "strictatime", "mode=755", "size=1m" ] },
		{ "destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
		  "options": [ "nosuid", "size=1m" ] }
	],
	"linux": {
		"namespaces": [ { "type": "pid" }, { "type": "ipc" }, { "type": "uts" },
				{ "type": "mount" }, { "type": "network" } ]
	}
}
EOF
}

# The runtime with the wrapper in front
wrapped() {
	VSYSCALL_RUNTIME=$rt $WRAPPER "$@"
}

# oci_runtime RUNTIME: runc or crun, driven directly with OCI bundles
oci_runtime() {
	rt=$1
	root="--root $WORK/state-$rt"
	b=$WORK/bundle-$rt
	bundle $b/probe $PROBE
	bundle $b/sleep /bin/busybox sleep 1000

	dmesg -c > /dev/null
	expect_rc 139 "$rt run without the wrapper: the legacy program dies of SIGSEGV" \
		$rt $root run --no-pivot -b $b/probe $rt-plain
	expect_log "$rt without the wrapper"
	expect_rc 0 "$rt run through the wrapper: the legacy program works" \
		wrapped $root run --no-pivot -b $b/probe $rt-opted

	# The create/start split: the wrapper creates, the plain runtime
	# starts (the process created already has the policy)
	expect_rc 0 "$rt create through the wrapper" \
		wrapped $root create --no-pivot -b $b/sleep $rt-long
	expect_rc 0 "$rt start (plain) of the created container" $rt $root start $rt-long
	pid=$($rt $root state $rt-long | sed -n 's/^[[:space:]]*"pid":[[:space:]]*\([0-9]*\).*/\1/p')
	expect_host_view $rt "$pid" "allow 1"

	# Beside it, a second tenant without the wrapper
	expect_rc 139 "$rt: a second container started beside it without the wrapper is denied" \
		$rt $root run --no-pivot -b $b/probe $rt-tenant2

	# exec through the wrapper: the same runtime the container was
	# created with, as Docker and podman do
	run wrapped $root exec $rt-long /bin/setvsyscall --dump
	[ "$rc" = 0 ] && grep -q "^policy: allow$" /tmp/out && grep -q "^locked: yes$" /tmp/out
	ok $? "$rt exec through the wrapper: the process sees allow, locked"
	expect_rc 0 "$rt exec through the wrapper: the legacy program works" \
		wrapped $root exec $rt-long $PROBE
	expect_rc 1 "$rt exec: inside, the locked policy cannot be changed" \
		wrapped $root exec $rt-long /bin/setvsyscall --policy deny /bin/true
	# The plain runtime's exec is the caller's process, with the caller's
	# policy: the policy belongs to processes, not to the container.
	run $rt $root exec $rt-long /bin/setvsyscall --dump
	[ "$rc" = 0 ] && grep -q "^policy: default$" /tmp/out
	ok $? "$rt exec without the wrapper: the process has the caller's policy (default), as documented"

	# Nested: inside the opted-in container, the wrapper again, as a
	# runtime in the container would start it (here its "runtime" is
	# the legacy program itself)
	expect_nested $rt wrapped $root exec --env VSYSCALL_RUNTIME=/bin/inner-runtime $rt-long \
		/bin/vsyscall-oci-wrapper run inner

	expect_stop_without_module "$rt delete --force of the opted-in container, through the wrapper," \
		wrapped $root delete --force $rt-long

	# The user's legacy root filesystem: with the wrapper its command
	# must work (allow grants the page in every mode but native, where
	# the default already does)
	if [ -d /legacy/user ]; then
		cmd=$(cat /legacy/user.cmd)
		bundle $b/user $cmd
		sed -i "s|\"path\": \"$IMAGE\"|\"path\": \"/legacy/user\"|" $b/user/config.json
		expect_rc 0 "$rt: LEGACY_ROOTFS ($cmd) through the wrapper" \
			wrapped $root run --no-pivot -b $b/user $rt-user
		run $rt $root run --no-pivot -b $b/user $rt-user-plain
		echo "# $rt: LEGACY_ROOTFS without the wrapper: exit $rc (reported only)"
	else
		skip "$rt: no LEGACY_ROOTFS given (make check-containers LEGACY_ROOTFS=<dir>)"
	fi
}

# podman RUNTIME-NAME: podman with the recipe's containers.conf
podman_runtime() {
	rt=podman
	# The recipe, where a user puts it, and what this guest needs on top
	# in a drop-in: no pivot_root out of an initramfs, cgroupfs without
	# systemd, no network, vfs storage on the rootfs
	mkdir -p /etc/containers/containers.conf.d
	cp $RECIPES/containers.conf /etc/containers/containers.conf
	cat > /etc/containers/containers.conf.d/90-test-guest.conf <<EOF
[containers]
netns = "none"

[engine]
no_pivot_root = true
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
	cat > /etc/containers/storage.conf <<EOF
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
EOF
	p="podman --log-level=error"

	expect_rc 0 "podman import of the image" $p import $WORK/image.tar legacy
	dmesg -c > /dev/null
	expect_rc 139 "podman run without the wrapper: the legacy program dies of SIGSEGV" \
		$p run --rm localhost/legacy $PROBE
	expect_log "podman without the wrapper"
	expect_rc 0 "podman run --runtime legacy (containers.conf): the legacy program works" \
		$p run --rm --runtime legacy localhost/legacy $PROBE
	expect_rc 0 "podman run --runtime $WRAPPER: the legacy program works" \
		$p run --rm --runtime $WRAPPER localhost/legacy $PROBE

	expect_rc 0 "podman run -d --runtime legacy" \
		$p run -d --name long --runtime legacy localhost/legacy /bin/busybox sleep 1000
	pid=$($p inspect -f '{{.State.Pid}}' long)
	expect_host_view podman "$pid" "allow 1"
	expect_rc 139 "podman: a second container started beside it without the wrapper is denied" \
		$p run --rm localhost/legacy $PROBE
	run $p exec long /bin/setvsyscall --dump
	[ "$rc" = 0 ] && grep -q "^policy: allow$" /tmp/out && grep -q "^locked: yes$" /tmp/out
	ok $? "podman exec: the process sees allow, locked"
	expect_rc 0 "podman exec: the legacy program works" $p exec long $PROBE
	expect_rc 1 "podman exec: inside, the locked policy cannot be changed" \
		$p exec long /bin/setvsyscall --policy deny /bin/true
	expect_nested podman $p exec --env VSYSCALL_RUNTIME=/bin/inner-runtime long \
		/bin/vsyscall-oci-wrapper run inner
	expect_stop_without_module "podman rm -f of the opted-in container" $p rm -f -t 0 long

	if [ -d /legacy/user ]; then
		(cd /legacy/user && tar -cf $WORK/user.tar .)
		run $p import $WORK/user.tar legacy-user
		expect_rc 0 "podman: LEGACY_ROOTFS through the wrapper" \
			$p run --rm --runtime legacy localhost/legacy-user $(cat /legacy/user.cmd)
	else
		skip "podman: no LEGACY_ROOTFS given (make check-containers LEGACY_ROOTFS=<dir>)"
	fi
}

# docker: dockerd (with its own containerd) and the recipe's daemon.json
docker_runtime() {
	rt=docker
	mkdir -p /etc/docker
	cp $RECIPES/daemon.json /etc/docker/daemon.json
	# The recipe in daemon.json, the test guest's own settings as flags
	DOCKER_RAMDISK=true dockerd --config-file /etc/docker/daemon.json \
		--storage-driver vfs --bridge none --iptables=false --ip-masq=false \
		> $WORK/dockerd.log 2>&1 &
	up=1
	for i in $(seq 120); do
		docker version > /dev/null 2>&1 && { up=0; break; }
		sleep 1
	done
	[ $up = 0 ] || tail -n 20 $WORK/dockerd.log | sed 's/^/# dockerd: /'
	ok $up "dockerd and containerd start with the recipe's daemon.json"
	run docker info --format '{{json .Runtimes}}'
	grep -q '"legacy":{"path":"/usr/local/bin/vsyscall-oci-wrapper"' /tmp/out
	ok $? "docker info lists the runtime legacy, the wrapper"

	expect_rc 0 "docker import of the image" docker import $WORK/image.tar legacy:1
	dmesg -c > /dev/null
	expect_rc 139 "docker run without the wrapper: the legacy program dies of SIGSEGV" \
		docker run --rm --network none legacy:1 $PROBE
	expect_log "docker without the wrapper"
	expect_rc 0 "docker run --runtime legacy: the legacy program works" \
		docker run --rm --network none --runtime legacy legacy:1 $PROBE

	expect_rc 0 "docker run -d --runtime legacy" \
		docker run -d --name long --network none --runtime legacy legacy:1 /bin/busybox sleep 1000
	pid=$(docker inspect -f '{{.State.Pid}}' long)
	expect_host_view docker "$pid" "allow 1"
	expect_rc 139 "docker: a second container started beside it without the wrapper is denied" \
		docker run --rm --network none legacy:1 $PROBE
	run docker exec long /bin/setvsyscall --dump
	[ "$rc" = 0 ] && grep -q "^policy: allow$" /tmp/out && grep -q "^locked: yes$" /tmp/out
	ok $? "docker exec: the process sees allow, locked"
	expect_rc 0 "docker exec: the legacy program works" docker exec long $PROBE
	expect_rc 1 "docker exec: inside, the locked policy cannot be changed" \
		docker exec long /bin/setvsyscall --policy deny /bin/true
	expect_nested docker docker exec -e VSYSCALL_RUNTIME=/bin/inner-runtime long \
		/bin/vsyscall-oci-wrapper run inner
	expect_stop_without_module "docker rm -f of the opted-in container" docker rm -f long

	# The wrapper's failure without the module reaches the user
	rmmod vsyscall_policy
	expect_fail_line "the vsyscall_policy module is not loaded" \
		"docker run --runtime legacy without the module: the container does not start" \
		docker run --rm --network none --runtime legacy legacy:1 $PROBE
	[ "$rc" = 125 ]
	ok $? "... with docker's exit status for an error of the daemon's side, 125"
	insmod "$KO"

	if [ -d /legacy/user ]; then
		(cd /legacy/user && tar -cf $WORK/user.tar .)
		run docker import $WORK/user.tar legacy-user:1
		expect_rc 0 "docker: LEGACY_ROOTFS through the wrapper" \
			docker run --rm --network none --runtime legacy legacy-user:1 $(cat /legacy/user.cmd)
	else
		skip "docker: no LEGACY_ROOTFS given (make check-containers LEGACY_ROOTFS=<dir>)"
	fi
	kill %1 2>/dev/null
}

echo "TAP version 13"
[ "$EXPECT_MODE" = none ] || { echo "Bail out! the container runtimes run under vsyscall=none (EXPECT_MODE=$EXPECT_MODE)"; exit 1; }
[ $# -gt 0 ] || { echo "Bail out! usage: $0 RUNTIME..."; exit 1; }
insmod "$KO" 2>/dev/null
grep -q '^vsyscall_policy ' /proc/modules || { echo "Bail out! cannot load $KO"; exit 1; }

# What the runtimes need from the guest
mkdir -p /sys/fs/cgroup /run /var/lib /var/run /var/tmp $WORK
grep -q " /sys/fs/cgroup " /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup ||
	{ echo "Bail out! cannot mount cgroup2"; exit 1; }
# podman keeps its locks in POSIX shared memory
mkdir -p /dev/shm
grep -q " /dev/shm " /proc/mounts || mount -t tmpfs shm /dev/shm ||
	{ echo "Bail out! cannot mount /dev/shm"; exit 1; }
# The image: the plumbing root, busybox, the tools
mkdir -p $IMAGE
cp -a /legacy/plumbing/. $IMAGE/
mkdir -p $IMAGE/dev $IMAGE/proc $IMAGE/tmp
cp /bin/busybox /tests/setvsyscall /tests/vsyscall-oci-wrapper $IMAGE/bin/
cat > $IMAGE/bin/inner-runtime <<'EOF'
#!/bin/sh
echo "inner args: $*"
/bin/setvsyscall --dump || exit 99
exec /bin/legacy-time --call
EOF
chmod 755 $IMAGE/bin/inner-runtime
(cd $IMAGE && tar -cf $WORK/image.tar .)

for r in "$@"; do
	echo "# runtime: $r ($($r --version 2>&1 | head -1))"
	case $r in
	runc|crun) oci_runtime $r ;;
	podman) podman_runtime ;;
	docker) docker_runtime ;;
	*) echo "Bail out! unknown runtime $r"; exit 1 ;;
	esac
done

# The wrapper's own failures, with any runtime
rmmod vsyscall_policy
rt=runc
expect_fail_line "the vsyscall_policy module is not loaded" \
	"the wrapper without the module fails before the runtime starts" \
	wrapped --log $WORK/err.json --log-format json run --no-pivot -b $WORK/bundle-x probe
[ "$rc" = 1 ] && grep -q '"level":"error","msg":"vsyscall-oci-wrapper: cannot set vsyscall policy allow: .*module is not loaded' $WORK/err.json
ok $? "... with runc's exit status 1 and the error in runc's JSON log"
insmod "$KO"
rt=/usr/bin/no-such-runtime
expect_fail_line "the OCI runtime '/usr/bin/no-such-runtime' is not installed" \
	"the wrapper with a missing runtime fails with a clear line" \
	wrapped run probe
[ "$rc" = 1 ]
ok $? "... with exit status 1"

echo "1..$n"
exit $failed
