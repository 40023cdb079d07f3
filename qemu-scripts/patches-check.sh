#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# patches-check.sh SERIESDIR SRCDIR BUILDDIR FRAGMENT...
#
# Check the series in SERIESDIR (kernel-patches/<version>) the way a
# maintainer would before applying it to SRCDIR's tree: starting
# from the untouched base, apply one patch at a time with "git am", build
# the kernel after each (so every commit is bisectable), and run
# "scripts/checkpatch.pl --strict" on each patch file.
#
# A checkpatch message fails the check unless the cover letter justifies
# it with a line of the form
#     checkpatch: NNNN TYPE: why this is right
# where NNNN is the patch number and TYPE the message type checkpatch
# prints with --show-types.
#
# A patch that touches tools/testing/selftests must also leave the x86
# selftests building without a warning, and once the whole series is in,
# the selftests it carries must be exactly the files of selftests/ that
# selftests/in-tree.list names (they are written there and copied into the
# series by kernel-patches/export.sh, never edited in the patch).
#
# Then, for every patch the cover letter names as optional with a line
#     droppable: NNNN
# apply the whole series without that patch and build it: a user who
# leaves the patch out must still get a series that applies and builds.
#
# The build goes to BUILDDIR/kernel-patches-check, seeded from the test
# kernel's build so that each step recompiles only what the patch touched.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
series_dir=$(cd "$1" && pwd) src=$2 build=$3
shift 3
frags=("$@")
cover=$series_dir/0000-cover-letter.patch
out=$build/kernel-patches-check
log=$build/patches-check
mkdir -p "$log"

export GIT_COMMITTER_NAME=harness GIT_COMMITTER_EMAIL=harness@localhost
g() { git -C "$src" "$@"; }

# checkpatch validates SPDX lines with scripts/spdxcheck.py, which needs
# Python's ply and git modules (Debian's python3-ply, python3-git) and
# passes every line when it cannot import them.  Use Debian's python3,
# not one earlier in PATH without those modules, and make sure the check
# can fail.
export PATH=/usr/bin:$PATH
if ! (cd "$src" && echo "SPDX-License-Identifier: GPL-2.0" | scripts/spdxcheck.py - >/dev/null 2>&1) ||
   [ -z "$(cd "$src" && echo "SPDX-License-Identifier: Not-A-License" | scripts/spdxcheck.py - 2>/dev/null)" ]; then
	echo "patches-check: scripts/spdxcheck.py does not run (apt-get install python3-ply python3-git)"
	exit 1
fi

mapfile -t patches < <(grep -v -e '^#' -e '^[[:space:]]*$' "$series_dir/series")
[ -f "$cover" ] || { echo "patches-check: no cover letter ($cover)"; exit 1; }

# The next "make" must put the full series back (prepare-source.sh
# re-applies it when HEAD is not the "patched" branch).
g am --abort >/dev/null 2>&1
g checkout -q -f --detach base || exit 1

failed=0 n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	num=${p%%-*}
	subject=$(awk '/^Subject:/ { s = $0; while ((getline l) > 0 && l ~ /^ /) s = s l; print s; exit }' \
		"$series_dir/$p" | sed 's/^Subject: \(\[PATCH[^]]*\] \)\{0,1\}//')
	status=ok
	notes=()

	if ! g am -q "$series_dir/$p" > "$log/$num.am" 2>&1; then
		g am --abort >/dev/null 2>&1
		echo "patch $num: does not apply: $(head -3 "$log/$num.am")"
		echo "patches-check: stopped at $p"
		exit 1
	fi

	start=$(date +%s)
	if SEED=$build/kernel-test "$here/build-kernel.sh" "$src" "$out" "${frags[@]}" \
		> "$log/$num.build" 2>&1; then
		notes+=("builds ($(($(date +%s) - start))s)")
	else
		notes+=("BUILD FAILS (see $log/$num.build)")
		tail -20 "$log/$num.build" | sed 's/^/    /'
		status=FAILED
	fi

	if grep -q '^+++ b/tools/testing/selftests/' "$series_dir/$p"; then
		if make -C "$src/tools/testing/selftests" TARGETS=x86 O="$build/kselftest-patches-check" \
			KHDR_INCLUDES="-isystem $out/usr/include" > "$log/$num.kselftest" 2>&1 &&
		   ! grep -q 'warning:' "$log/$num.kselftest"; then
			notes+=("x86 selftests build")
		else
			notes+=("X86 SELFTESTS DO NOT BUILD CLEANLY (see $log/$num.kselftest)")
			grep -m5 'warning:\|error' "$log/$num.kselftest" | sed 's/^/    /'
			status=FAILED
		fi
	fi

	perl "$src/scripts/checkpatch.pl" --strict --show-types --terse --no-summary \
		"$series_dir/$p" > "$log/$num.checkpatch" 2>&1
	unjustified=0
	while IFS= read -r line; do
		type=$(sed -n 's/^[^ ]*: \(ERROR\|WARNING\|CHECK\):\([A-Z0-9_]*\):.*/\2/p' <<< "$line")
		[ -n "$type" ] || continue
		if grep -q "^checkpatch: $num $type: ." "$cover"; then
			notes+=("justified $type")
		else
			echo "    $line"
			unjustified=$((unjustified + 1))
		fi
	done < "$log/$num.checkpatch"
	if [ $unjustified -gt 0 ]; then
		notes+=("$unjustified checkpatch message(s) not justified in the cover letter")
		status=FAILED
	else
		notes+=("checkpatch --strict clean")
	fi

	[ $status = ok ] || failed=$((failed + 1))
	(IFS=';'; echo "patch $num/${#patches[@]} $status: $subject: applies;${notes[*]}" | sed 's/;/, /g')
done

# The selftests the series carries against their source
total=$((n + 1))
differ=()
while read -r f; do
	case "$f" in ''|'#'*) continue ;; esac
	cmp -s "$top/selftests/$f" "$src/tools/testing/selftests/x86/$f" || differ+=("$f")
done < "$top/selftests/in-tree.list"
if [ ${#differ[@]} -eq 0 ]; then
	echo "selftests ok: the series carries selftests/ as in-tree.list names it"
else
	echo "selftests FAILED: the series and selftests/ differ in ${differ[*]}" \
		"(run kernel-patches/export.sh $series_dir on the development tree)"
	failed=$((failed + 1))
fi

for num in $(sed -n 's/^droppable: \([0-9]\{4\}\)$/\1/p' "$cover"); do
	total=$((total + 1))
	rest=()
	for p in "${patches[@]}"; do [ "${p%%-*}" = "$num" ] || rest+=("$series_dir/$p"); done
	if [ ${#rest[@]} -eq ${#patches[@]} ]; then
		echo "without $num FAILED: the cover letter names it droppable, the series has no such patch"
		failed=$((failed + 1))
		continue
	fi
	g am --abort >/dev/null 2>&1
	g checkout -q -f --detach base || exit 1
	if ! g am -q "${rest[@]}" > "$log/without-$num.am" 2>&1; then
		g am --abort >/dev/null 2>&1
		echo "without $num FAILED: the rest does not apply: $(grep -m1 -i 'patch failed' "$log/without-$num.am")"
		failed=$((failed + 1))
		continue
	fi
	start=$(date +%s)
	if SEED=$build/kernel-test "$here/build-kernel.sh" "$src" "$out" "${frags[@]}" \
		> "$log/without-$num.build" 2>&1; then
		echo "without $num ok: the other ${#rest[@]} patches apply and build ($(($(date +%s) - start))s)"
	else
		echo "without $num FAILED: the other patches do not build (see $log/without-$num.build)"
		tail -20 "$log/without-$num.build" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

echo "$((total - failed)) passed, $failed failed"
[ $failed -eq 0 ]
