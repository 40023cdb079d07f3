#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-runtime-config.sh SETVSYSCALL: host-side checks of the runtime
# recipes in tools/runtime-config and of vsyscall-oci-wrapper on the host's
# own kernel, which lacks the series.  TAP; exit status non-zero on any
# failure.  (The recipes run for real in the guest: dockerd loads
# daemon.json and podman containers.conf in the containers boots.)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
recipes=$here/runtime-config
setvsyscall=$1
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

echo "TAP version 13"
echo "1..7"

# containerd's own parser: the merged configuration has the handler
out=$(containerd --config "$recipes/containerd-config.toml" config dump 2>&1)
rc=$?
[ $rc = 0 ] &&
	grep -A2 -F '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.legacy.options]' <<< "$out" |
	grep -qF 'BinaryName = "/usr/local/bin/vsyscall-oci-wrapper"' &&
	grep -A12 -F '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.legacy]' <<< "$out" |
	grep -qF 'runtime_type = "io.containerd.runc.v2"'
ok $? "containerd config dump reads containerd-config.toml: handler legacy, runc v2 shim, BinaryName the wrapper"

# A broken file must fail that check, or it proves nothing
printf 'version = 2\n[plugins.broken\n' > /tmp/vsyscall-broken.toml
! containerd --config /tmp/vsyscall-broken.toml config dump > /dev/null 2>&1
ok $? "containerd config dump refuses a broken file"
rm -f /tmp/vsyscall-broken.toml

# Debian ships neither CRI-O nor a Kubernetes API server to load these
# into (kubectl validates against a cluster): TOML and YAML syntax and the
# fields that matter, with the parsers of Debian's python3 and python3-yaml.
/usr/bin/python3 - "$recipes/crio-legacy.conf" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    rt = tomllib.load(f)["crio"]["runtime"]["runtimes"]["legacy"]
assert rt["runtime_path"] == "/usr/local/bin/vsyscall-oci-wrapper", rt
assert rt["runtime_type"] == "oci", rt
EOF
ok $? "crio-legacy.conf is TOML with the handler legacy running the wrapper"

/usr/bin/python3 - "$recipes/runtimeclass.yaml" <<'EOF'
import sys, yaml
with open(sys.argv[1]) as f:
    rc = yaml.safe_load(f)
assert rc["apiVersion"] == "node.k8s.io/v1" and rc["kind"] == "RuntimeClass", rc
assert rc["handler"] == "legacy", rc
EOF
ok $? "runtimeclass.yaml is a RuntimeClass for the handler legacy"

/usr/bin/python3 - "$recipes/daemon.json" <<'EOF'
import sys, json
with open(sys.argv[1]) as f:
    d = json.load(f)
assert d["runtimes"]["legacy"]["path"] == "/usr/local/bin/vsyscall-oci-wrapper", d
EOF
ok $? "daemon.json names the runtime legacy, the wrapper (dockerd loads it in the guest)"

# The wrapper on a kernel without the series: one line naming the cause,
# runc's exit status 1, the same line in runc's JSON log, and the runtime
# never started
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
install -m 755 "$setvsyscall" "$bin/setvsyscall"
printf '#!/bin/sh\necho started > %s/started\n' "$bin" > "$bin/fake-runtime"
chmod 755 "$bin/fake-runtime"
if grep -q '^Vsyscall_policy:' /proc/self/status; then
	echo "ok $((n + 1)) # SKIP the host's kernel has the series"
	echo "ok $((n + 2)) # SKIP the host's kernel has the series"
	n=$((n + 2))
else
	out=$(PATH=$bin:$PATH VSYSCALL_RUNTIME=fake-runtime "$here/vsyscall-oci-wrapper" \
		--log "$bin/log.json" --log-format json create ctr 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	[ $rc = 1 ] && [ "$(wc -l <<< "$out")" = 1 ] &&
		grep -q "lacks the vsyscall patch series" <<< "$out" && [ ! -e "$bin/started" ]
	ok $? "wrapper on a kernel without the series: exit 1, one line naming the cause, runtime not started"
	/usr/bin/python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).readline()); assert e["level"] == "error" and "lacks the vsyscall patch series" in e["msg"], e' \
		"$bin/log.json"
	ok $? "... and the same error in the runtime's JSON log (--log, --log-format json)"
fi
exit $failed
