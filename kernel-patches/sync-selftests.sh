#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sync-selftests.sh GITDIR [BASE]
#
# Copy the selftests that selftests/in-tree.list names into the kernel
# tree GITDIR (tools/testing/selftests/x86/) and fold any difference into
# the commit of BASE..HEAD that added them, so that the series carries
# exactly the project's files.  export.sh runs this first.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
git=$1
base=${2:-base}
dir=tools/testing/selftests/x86
g() { git -C "$git" "$@"; }
die() { echo "sync-selftests: $*" >&2; exit 1; }

mapfile -t files < <(grep -v -e '^#' -e '^[[:space:]]*$' "$top/selftests/in-tree.list")
[ -z "$(g status --porcelain --untracked-files=no)" ] || die "$git has uncommitted changes"

# The commit that added the first file of the list
commit=$(g log --diff-filter=A --format=%H "$base..HEAD" -- "$dir/${files[0]}" | tail -1)
[ -n "$commit" ] || die "no commit in $base..HEAD adds $dir/${files[0]}: add the files and their Makefile rules in a commit first"

for f in "${files[@]}"; do
	install -m 644 "$top/selftests/$f" "$git/$dir/$f"
	g add -f "$dir/$f"
done
if [ -z "$(g status --porcelain --untracked-files=no)" ]; then
	echo "sync-selftests: $dir matches selftests/"
	exit 0
fi
g commit -q --fixup="$commit"
GIT_SEQUENCE_EDITOR=: g rebase -q -i --autosquash "$commit~1"
echo "sync-selftests: folded the changed files into $(g log -1 --format='%h %s' "$(g log --diff-filter=A --format=%H "$base..HEAD" -- "$dir/${files[0]}" | tail -1)")"
