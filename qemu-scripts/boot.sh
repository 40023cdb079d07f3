#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh BZIMAGE INITRD PREFIX [KERNEL PARAMETER...]
#
# Boot one guest and wait for it.  The kernel log goes to PREFIX.console
# (ttyS0), the TAP the guest init writes to PREFIX.tap (ttyS1); QEMU's exit
# status and the seconds taken go to PREFIX.rc and PREFIX.secs.
#
# Environment: ACCEL (tcg|kvm, default tcg), BOOT_TIMEOUT (seconds,
# default 300), QEMU_MEM (default 512M plus three times the initramfs,
# which the guest unpacks into memory), QEMU_MEM_BASE (the 512M),
# QEMU_SMP (default 2), QEMU_EXTRA (more QEMU options, word-split),
# QEMU_CPU_FLAGS (features to add to or take from -cpu max under TCG, for
# example "smap=off").
#
# Every failure mode ends the guest: a WARN panics (panic_on_warn), an oops
# panics (oops=panic), a panic reboots at once (panic=-1) and QEMU exits on
# reboot (-no-reboot); a hang is ended by timeout.
set -uo pipefail

kernel=$1 initrd=$2 prefix=$3
shift 3

case "${ACCEL:-tcg}" in
kvm) accel=(-accel kvm -cpu host) ;;
tcg) accel=(-accel tcg -cpu "max${QEMU_CPU_FLAGS:+,$QEMU_CPU_FLAGS}") ;;
*) echo "boot.sh: ACCEL must be tcg or kvm" >&2; exit 2 ;;
esac

initrd_mb=$(( $(stat -c %s "$initrd") / 1048576 ))
mem=${QEMU_MEM:-$(( ${QEMU_MEM_BASE:-512} + 3 * initrd_mb ))M}

rm -f "$prefix".{console,tap,rc,secs}
start=$(date +%s)
timeout -k 10 "${BOOT_TIMEOUT:-300}" \
	qemu-system-x86_64 "${accel[@]}" -smp "${QEMU_SMP:-2}" -m "$mem" ${QEMU_EXTRA:-} \
	-nodefaults -no-user-config -display none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-serial "file:$prefix.console" -serial "file:$prefix.tap" \
	-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 $*" \
	< /dev/null > "$prefix.qemu" 2>&1
echo $? > "$prefix.rc"
echo $(($(date +%s) - start)) > "$prefix.secs"
