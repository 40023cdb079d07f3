# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that build root filesystems for the guest.
#
# copy_with_libs ROOT PROG [DEST]: install PROG in the directory ROOT as
# DEST (default: PROG's own path) with every shared library and the loader
# it needs, at their own paths.  A static PROG goes in alone.  Fails when
# a library of a dynamic PROG cannot be found, so that a root is never
# left without a library it needs.
#
# ldd runs PROG's loader, which needs a host kernel that can execute that
# kind of program; where it cannot (a host without IA32 emulation and a
# 32-bit PROG), the libraries are found from the ELF headers instead.

# elf_libs PROG: the loader and the shared libraries PROG needs, found
# from PT_INTERP and DT_NEEDED (transitively) in the directories of
# PROG's ABI, without running anything
elf_libs() {
	local prog=$1 dirs todo=() seen=" " f need d found
	case "$(file -L "$prog")" in
	*"32-bit"*"Intel 80386"*) dirs="/lib32 /usr/lib32 /lib/i386-linux-gnu /usr/lib/i386-linux-gnu" ;;
	*"32-bit"*"x86-64"*) dirs="/libx32 /usr/libx32 /lib/x86_64-linux-gnux32 /usr/lib/x86_64-linux-gnux32" ;;
	*) dirs="/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64" ;;
	esac
	readelf -lW "$prog" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p'
	todo=("$prog")
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}; todo=("${todo[@]:1}")
		for need in $(readelf -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			[[ "$seen" == *" $need "* ]] && continue
			seen+="$need "
			found=
			for d in $dirs; do
				[ -e "$d/$need" ] && { found=$d/$need; break; }
			done
			[ -n "$found" ] || { echo "elf_libs: $prog needs $need, not found in $dirs" >&2; return 1; }
			echo "$found"
			todo+=("$found")
		done
	done
}

copy_with_libs() {
	local root=$1 prog=$2 dest=${3:-$2} libs= lib
	if ! file -L "$prog" | grep -q "statically linked"; then
		libs=$(ldd "$prog" 2>/dev/null | grep -o '/[^ ]*') || libs=$(elf_libs "$prog") || {
			echo "copy_with_libs: cannot find the libraries of $prog" >&2
			return 1
		}
	fi
	install -D -m 755 "$prog" "$root$dest"
	for lib in $libs; do
		[ -e "$root$lib" ] || install -D -m 755 "$lib" "$root$lib"
	done
}
