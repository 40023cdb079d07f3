# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that build root filesystems for the guest.
#
# copy_with_libs ROOT PROG [DEST]: install PROG in the directory ROOT as
# DEST (default: PROG's own path) with every shared library and the loader
# that ldd finds for it, at their own paths.  A static PROG goes in alone.
# Fails when ldd cannot read a dynamic PROG, so that a root is never left
# without a library it needs.
copy_with_libs() {
	local root=$1 prog=$2 dest=${3:-$2} libs= lib
	if ! file -L "$prog" | grep -q "statically linked"; then
		libs=$(ldd "$prog" | grep -o '/[^ ]*') || {
			echo "copy_with_libs: ldd $prog failed" >&2
			return 1
		}
	fi
	install -D -m 755 "$prog" "$root$dest"
	for lib in $libs; do
		[ -e "$root$lib" ] || install -D -m 755 "$lib" "$root$lib"
	done
}
