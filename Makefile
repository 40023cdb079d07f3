# SPDX-License-Identifier: GPL-2.0
#
#   make          kernel (series applied), module, tools, tests, initramfs
#                 for one kernel version, KVER (6.12 unless given)
#   make run      boot the patched kernel in each vsyscall mode, showing a
#                 glibc 2.12 probe there
#   make check    every test but the three below: the host-side tests and
#                 the boot matrix of each supported kernel under QEMU
#                 (qemu-scripts/boots-KVER.matrix), with TAP results
#   make check-containers  runc, crun, podman and Docker in the guest
#   make check-kselftest   the kernel tree's whole x86 selftest collection,
#                 run_kselftest.sh in the guest, in every mode
#   make check-smoke  the kernel built without vsyscall emulation, booted
#   make kselftest  build and install the patched tree's x86 selftests
#   make patches-check  apply, build and checkpatch each series patch by patch
#   make bench    cost of each vsyscall path, patched vs. unpatched kernel
#                 (KVER=6.1 for Linux 6.1)
#   make bench-scan  vsyscall-scan over /usr against reading it with cat
#   make clean    remove build/ (the unpacked kernel trees included)
#
# KVER=6.12|6.1 picks the kernel, and with it the series
# (kernel-patches/KVER/), Debian's linux-source-KVER and the build
# directory build/KVER/.  KSRC=<tree of that version> builds from that
# tree instead of Debian's.  LEGACY_ROOTFS=<dir> [LEGACY_CMD='<command>']
# adds a legacy root filesystem that every boot runs chrooted under each
# policy.  Build products go to build/, which git ignores.

# The kernels the series exist for; the first is the default
KVERS := 6.12 6.1
KVER ?= $(firstword $(KVERS))
ifeq ($(filter $(KVER),$(KVERS)),)
$(error KVER=$(KVER): there is a series for $(KVERS) only)
endif

export KVER KSRC LEGACY_ROOTFS LEGACY_CMD

# each-kver TARGET: make TARGET for every kernel of KVERS, all of them
# even when one fails, and fail if any did
define each-kver
	@st=0; for k in $(KVERS); do \
		$(MAKE) --no-print-directory KVER=$$k $(1) || st=1; \
	done; exit $$st
endef

BUILD := $(CURDIR)/build/$(KVER)
SRC := $(BUILD)/src
SERIES := $(CURDIR)/kernel-patches/$(KVER)
QS := $(CURDIR)/qemu-scripts

KERNEL_FRAGMENTS := $(CURDIR)/Kconfig.fragment $(QS)/config/test.config $(QS)/config/test-$(KVER).config
# Kernels built with another CONFIG_LEGACY_VSYSCALL_* default (the test
# kernel has XONLY).  Each starts as a copy of the test kernel's build, so
# only what depends on the choice is rebuilt.
KCONFIG_DEFAULTS := native emulate none
# Smoke kernel, seeded the same way: the test kernel without vsyscall
# emulation, so that the series' code for that configuration is compiled
# and booted.
SMOKE_KERNELS := no-emulation
# The debug kernel is also the kernel without 32-bit compat (IA32 and
# x32): its boots compile and run the series' code for that configuration
# without a full kernel build of its own.
DEBUG_FRAGMENTS := $(KERNEL_FRAGMENTS) $(QS)/config/no-compat.config $(QS)/config/debug.config
# Debian's container runtimes, which the containers boots run
RUNTIME_PACKAGES := runc crun podman conmon docker.io containerd python3-yaml

all: initramfs

deps:
	@$(QS)/install-deps.sh

source: deps
	@$(QS)/prepare-source.sh $(SERIES) $(SRC)

kernel: source
	@$(QS)/build-kernel.sh $(SRC) $(BUILD)/kernel-test $(KERNEL_FRAGMENTS)

kernel-variants: kernel
	@for m in $(KCONFIG_DEFAULTS); do \
		SEED=$(BUILD)/kernel-test $(QS)/build-kernel.sh $(SRC) $(BUILD)/kernel-default-$$m \
			$(KERNEL_FRAGMENTS) $(QS)/config/default-$$m.config || exit 1; \
	done

kernel-smoke: kernel
	@for k in $(SMOKE_KERNELS); do \
		SEED=$(BUILD)/kernel-test $(QS)/build-kernel.sh $(SRC) $(BUILD)/kernel-$$k \
			$(KERNEL_FRAGMENTS) $(QS)/config/$$k.config || exit 1; \
	done

# The test kernel with what Debian's container runtimes need (cgroup v2,
# the namespaces, BPF device rules, sockets), for the containers boots
kernel-containers: kernel
	@SEED=$(BUILD)/kernel-test $(QS)/build-kernel.sh $(SRC) $(BUILD)/kernel-containers \
		$(KERNEL_FRAGMENTS) $(QS)/config/containers.config

tests: kernel
	@$(MAKE) -s -C selftests SRC=$(SRC) OUT=$(BUILD)/tests KHDR=$(BUILD)/kernel-test/usr/include
	@$(MAKE) -s -C tools OUT=$(BUILD)/tests KHDR=$(BUILD)/kernel-test/usr/include
	@$(MAKE) -s -C tools OUT=$(BUILD)/tests scan
	@$(MAKE) -s -C bench SRC=$(SRC) OUT=$(BUILD)/tests

# The kernel tree's x86 selftests, with those the series adds, built and
# installed the way kernel CI does; the guest runs them with
# run_kselftest.sh from the install (build/kselftest)
kselftest: kernel
	@$(MAKE) -s -C $(SRC)/tools/testing/selftests TARGETS=x86 O=$(BUILD)/kselftest-build \
		KHDR_INCLUDES="-isystem $(BUILD)/kernel-test/usr/include" \
		INSTALL_PATH=$(BUILD)/kselftest install > $(BUILD)/kselftest-build.log 2>&1 || \
		{ tail -20 $(BUILD)/kselftest-build.log; exit 1; }

# The test kernel with KASAN, lockdep, atomic-sleep checks and kmemleak,
# and without 32-bit compat
kernel-debug: source
	@$(QS)/build-kernel.sh $(SRC) $(BUILD)/kernel-debug $(DEBUG_FRAGMENTS)

# build-kmod SOURCES DIR KDIR [EDIT]: build an out-of-tree module from a
# copy of SOURCES in DIR under build/, so that the source folder stays
# clean; EDIT, when given, is a command run in DIR before the build.
define build-kmod
	@mkdir -p $(2)
	@cp $(1) $(2)/
	$(if $(4),@cd $(2) && $(4))
	@$(MAKE) -s -C $(2) KDIR=$(3) module
endef

# vsyscall_policy.ko, and the test module that proves the vsyscall page
# read-only (selftests/rodata_check)
POLICY_SOURCES := module/Kbuild module/Makefile module/vsyscall_policy.c
RODATA_SOURCES := $(addprefix selftests/rodata_check/,Kbuild Makefile vsyscall_rodata_check.c)
# The same module under another name, vsyscall_policy_dup.ko: loading it
# next to the first must fail (a second registration, vsyscall_policy test).
DUP_KBUILD := sed -i 's/^obj-m :=.*/obj-m := vsyscall_policy_dup.o\nvsyscall_policy_dup-y := vsyscall_policy.o/' Kbuild

module: kernel
	$(call build-kmod,$(POLICY_SOURCES),$(BUILD)/module,$(BUILD)/kernel-test)

# sparse (C=2) and checkpatch on the module's sources
module-check: module rodata-check
	@$(MAKE) -s -C $(BUILD)/module KDIR=$(BUILD)/kernel-test check
	@$(MAKE) -s -C $(BUILD)/rodata-check KDIR=$(BUILD)/kernel-test check

module-debug: kernel-debug
	$(call build-kmod,$(POLICY_SOURCES),$(BUILD)/module-debug,$(BUILD)/kernel-debug)

module-dup: kernel
	$(call build-kmod,$(POLICY_SOURCES),$(BUILD)/module-dup,$(BUILD)/kernel-test,$(DUP_KBUILD))

module-dup-debug: kernel-debug
	$(call build-kmod,$(POLICY_SOURCES),$(BUILD)/module-dup-debug,$(BUILD)/kernel-debug,$(DUP_KBUILD))

rodata-check: kernel
	$(call build-kmod,$(RODATA_SOURCES),$(BUILD)/rodata-check,$(BUILD)/kernel-test)

rodata-check-debug: kernel-debug
	$(call build-kmod,$(RODATA_SOURCES),$(BUILD)/rodata-check-debug,$(BUILD)/kernel-debug)

module-containers: kernel-containers
	$(call build-kmod,$(POLICY_SOURCES),$(BUILD)/module-containers,$(BUILD)/kernel-containers)

# More modules for the initramfs, each NAME=KO as /lib/modules/NAME; those
# for the debug kernel once they are built (make check)
EXTRA_MODULES := vsyscall_rodata_check.ko=$(BUILD)/rodata-check/vsyscall_rodata_check.ko \
	vsyscall_policy_dup.ko=$(BUILD)/module-dup/vsyscall_policy_dup.ko
CHECK_MODULES := debug/vsyscall_policy_dup.ko=$(BUILD)/module-dup-debug/vsyscall_policy_dup.ko \
	debug/vsyscall_rodata_check.ko=$(BUILD)/rodata-check-debug/vsyscall_rodata_check.ko

# The debug kernel's module goes in too once it is built (make check).
initramfs: kernel module module-dup rodata-check tests kselftest
	@$(QS)/make-plumbing-root.sh $(BUILD)/plumbing-root $(BUILD)/tests/glibc212_probe
	@EXTRA_MODULES="$(EXTRA_MODULES) $$(for m in $(CHECK_MODULES); do test -f $${m#*=} && echo $$m; done)" \
	 PLUMBING_ROOT=$(BUILD)/plumbing-root KSELFTEST=$(BUILD)/kselftest $(QS)/make-initramfs.sh $(BUILD)/initramfs.cpio $(BUILD)/tests \
		$(BUILD)/module/vsyscall_policy.ko \
		$$(test -f $(BUILD)/module-debug/vsyscall_policy.ko && \
		   echo $(BUILD)/module-debug/vsyscall_policy.ko)

# The containers boots' initramfs: the one above, then Debian's runtimes
# and their libraries, the recipes and the module for their kernel
initramfs-containers: initramfs module-containers
	@$(QS)/install-deps.sh $(RUNTIME_PACKAGES)
	@$(QS)/make-runtimes-initramfs.sh $(BUILD)/initramfs-containers.cpio $(BUILD)/initramfs.cpio \
		$(BUILD)/tests $(BUILD)/module-containers/vsyscall_policy.ko

# The runtime recipes (tools/runtime-config) through containerd's and
# Python's parsers, and the wrapper on this machine's kernel (no series)
recipes-check: tests
	@$(QS)/install-deps.sh $(RUNTIME_PACKAGES)
	@tools/test-runtime-config.sh $(BUILD)/tests/setvsyscall

# Apply the series one patch at a time, build after each, checkpatch each.
patches-check:
	$(call each-kver,patches-check-one)

patches-check-one: kernel
	@$(QS)/install-deps.sh python3-ply python3-git
	@echo "patches-check: Linux $(KVER), kernel-patches/$(KVER)"
	@$(QS)/patches-check.sh $(SERIES) $(SRC) $(BUILD) $(KERNEL_FRAGMENTS)

run: all
	@$(QS)/demo.sh $(BUILD) $(BUILD)/results

# make check boots every kernel of KVERS; what each one needs beyond its
# test kernel, the debug kernel and their modules:
CHECK_NEEDS_6.12 := kernel-variants
CHECK_NEEDS_6.1 :=

check: recipes-check scan-check
	$(call each-kver,check-one)

# One kernel's part of make check: its boots (qemu-scripts/boots-KVER.matrix)
check-one: $(CHECK_NEEDS_$(KVER)) module-debug module-dup-debug rodata-check-debug all module-check
	@echo "check: Linux $(KVER), qemu-scripts/boots-$(KVER).matrix"
	@$(QS)/run-matrix.sh $(QS)/boots-$(KVER).matrix $(BUILD) $(BUILD)/results

# The kernel tree's whole x86 selftest collection in every mode
# (qemu-scripts/boots-kselftest.matrix), as kernel CI runs it: apart from
# check because it adds about a minute and a half of boots; CI runs it
check-kselftest: all
	@$(QS)/run-matrix.sh $(QS)/boots-kselftest.matrix $(BUILD) $(BUILD)/results-kselftest

# The kernel without vsyscall emulation (qemu-scripts/boots-smoke.matrix):
# apart from check because it is a full kernel build of its own
check-smoke: kernel-smoke all
	@$(QS)/run-matrix.sh $(QS)/boots-smoke.matrix $(BUILD) $(BUILD)/results-smoke

# Debian's container runtimes in the guest (qemu-scripts/boots-containers.matrix):
# apart from check because they need a kernel of their own and about two
# minutes of boots even when nothing changed; CI runs both
check-containers: initramfs-containers
	@$(QS)/run-matrix.sh $(QS)/boots-containers.matrix $(BUILD) $(BUILD)/results-containers

# The same tree without the series, for the benchmark's baseline: a git
# worktree of build/KVER/src at "base", rebuilt when the base changes.
kernel-baseline: source
	@if [ "$$(git -C $(BUILD)/baseline-src rev-parse HEAD 2>/dev/null)" != \
	      "$$(git -C $(SRC) rev-parse base)" ]; then \
		rm -rf $(BUILD)/baseline-src; git -C $(SRC) worktree prune; \
		git -C $(SRC) worktree add -q --detach $(BUILD)/baseline-src base; \
	fi
	@$(QS)/build-kernel.sh $(BUILD)/baseline-src $(BUILD)/kernel-baseline $(KERNEL_FRAGMENTS)

# Cost of every vsyscall path, patched against the same version unpatched:
# bench/results/KVER/
bench: all kernel-baseline
	@$(QS)/install-deps.sh gnuplot-nox
	@bench/run-bench.sh $(BUILD) $(CURDIR)/bench/results/$(KVER)

# vsyscall-scan on this machine, no kernel and no QEMU: fixtures, images
# of every format, corrupt inputs, no false positive in /usr (TAP)
scan-check: deps
	@tools/test-vsyscall-scan.sh $(BUILD)

# vsyscall-scan over /usr against reading /usr with cat, warm cache
bench-scan: deps
	@bench/scan-bench.sh $(BUILD)

clean:
	rm -rf $(CURDIR)/build

.PHONY: check-one patches-check-one all deps source kernel kernel-variants kernel-smoke kernel-containers module-containers initramfs-containers recipes-check check-containers check-kselftest check-smoke rodata-check rodata-check-debug kernel-debug kernel-baseline kselftest bench bench-scan scan-check patches-check module module-check module-debug module-dup module-dup-debug tests initramfs run check clean
