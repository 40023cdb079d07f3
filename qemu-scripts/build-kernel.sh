#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh SRCDIR OUTDIR FRAGMENT...
#
# Configure and build a kernel from SRCDIR into OUTDIR (an out-of-tree
# "O=" build, so several configurations share one source tree).  The
# configuration is allnoconfig plus the fragments, merged with the kernel's
# own scripts/kconfig/merge_config.sh.  Every option a fragment asks for
# must be in the final .config: Kconfig silently drops options whose
# dependencies are missing, and a test kernel without them would test
# something else.
#
# The build is skipped when neither the fragments nor the applied series
# changed since the last successful build of OUTDIR, so a warm "make check"
# does not walk the whole kernel tree.
set -euo pipefail

src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
shift 2
frags=()
for f in "$@"; do frags+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); done

die() { echo "build-kernel: $*" >&2; exit 1; }

export KBUILD_BUILD_TIMESTAMP="2024-11-17" KBUILD_BUILD_USER=vsyscall KBUILD_BUILD_HOST=harness
# ccache sees paths relative to the directory that holds both the tree and
# the build (build/<version>/), so a build directory seeded from another,
# or the whole build/ moved, still hits the cache.
base=$src
while [ "$base" != / ] && [ "${out#"$base"/}" = "$out" ]; do base=$(dirname "$base"); done
export CCACHE_BASEDIR=$base CCACHE_NOHASHDIR=1
# Depend mode hashes the sources and the headers the compiler's -MMD file
# names instead of running the preprocessor a second time: a cold build
# (a fresh machine, CI) costs about what it costs without ccache, where
# the default mode cost a quarter more.
export CCACHE_DEPEND=1
kmake() { make -s -C "$src" O="$out" CC="${KCC:-ccache gcc}" -j"$(nproc)" "$@"; }

cfg_stamp=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
series_stamp=$(cat "$src/.git/harness-series" 2>/dev/null || echo none)
stamp="$cfg_stamp $series_stamp $(git -C "$src" rev-parse "HEAD^{tree}" 2>/dev/null || echo unknown)"

if [ "$(cat "$out/.harness-built" 2>/dev/null)" = "$stamp" ] &&
   [ -f "$out/arch/x86/boot/bzImage" ]; then
	echo "build-kernel: $out is up to date"
	exit 0
fi
rm -f "$out/.harness-built"

# A new build directory may start as a copy of a finished one (SEED), so
# that a configuration differing in a few options rebuilds only the objects
# that depend on them instead of the whole kernel.
seeded=
if [ -n "${SEED:-}" ] && [ ! -f "$out/.config" ] && [ -f "$SEED/.config" ]; then
	echo "build-kernel: seeding $out from $SEED"
	cp -a "$SEED/." "$out/"
	rm -f "$out/.harness-built"
	seeded=$SEED
fi

if [ "$(cat "$out/.harness-config" 2>/dev/null)" != "$cfg_stamp" ] || [ ! -f "$out/.config" ]; then
	echo "build-kernel: configuring $out"
	# -Q (no notes on overridden values) is not in 6.1's merge_config.sh
	quiet=()
	grep -q '"-Q")' "$src/scripts/kconfig/merge_config.sh" && quiet=(-Q)
	(cd "$src" && scripts/kconfig/merge_config.sh -n "${quiet[@]}" -O "$out" "${frags[@]}") \
		> "$out/merge_config.log" 2>&1 || { cat "$out/merge_config.log"; die "merge_config.sh failed"; }
	echo "$cfg_stamp" > "$out/.harness-config"
fi

# Options the tree gained since the configuration was made (a patch that
# adds a Kconfig symbol) take their defaults here, not at a prompt.
kmake olddefconfig

# Every option the fragments ask for must have survived; where several
# fragments set one option, the last one counts, as in merge_config.sh.
missing=0
while IFS=$'\t' read -r opt want frag; do
	if ! grep -qxF "$want" "$out/.config"; then
		echo "build-kernel: $frag asks for '$want' but .config has '$(grep -E "^(# )?$opt[= ]" "$out/.config" || echo nothing)'" >&2
		missing=1
	fi
done < <(for f in "${frags[@]}"; do
		sed -n -e "s/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1\t&\t${f##*/}/p" \
		       -e "s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1\t&\t${f##*/}/p" "$f"
	done | awk -F'\t' '{ last[$1] = $0; if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
			END { for (i = 0; i < n; i++) print last[order[i]] }')
if [ $missing -ne 0 ]; then
	rm -f "$out/.harness-config"
	die "the configuration lacks options the fragments ask for (missing dependency?)"
fi

echo "build-kernel: building $out"
# objtool is built by tools/'s own makefiles, whose records name the
# build directory by its absolute path, so a seeded copy rebuilds it; a
# new objtool is newer than every object, and kbuild would then rebuild
# them all (four minutes where one suffices).  It is the same program,
# from the same tree as the seed's, so it and everything it is made from
# take the seed's timestamp.
if [ -n "$seeded" ] && [ -f "$seeded/tools/objtool/objtool" ]; then
	kmake tools/objtool
	find "$out/tools/objtool" -exec touch -h -r "$seeded/tools/objtool/objtool" {} +
fi
kmake all
# The uapi headers (usr/include) for the tests and tools
kmake headers
[ -f "$out/arch/x86/boot/bzImage" ] || die "no bzImage in $out"
echo "$stamp" > "$out/.harness-built"
