#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-vsyscall-scan.sh [BUILDDIR]
#
# "make scan-check": vsyscall-scan on this machine, no kernel and no QEMU.
# Builds the scanner and an ASan+UBSan variant under BUILDDIR/scan, the
# fixtures of tools/test-data/scan-fixtures.S (static, PIE, shared, 32-bit,
# without section headers), images of every format from them, and corrupt
# inputs; checks every finding against addresses taken from binutils (nm,
# readelf), never from the scanner.  Prints TAP; exits non-zero on any
# failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(mkdir -p "${1:-$here/../build}" && cd "${1:-$here/../build}" && pwd)
top=$build/scan
fx=$top/fixtures
img=$top/images
tmp=$top/tmp
rm -rf "$fx" "$img" "$tmp"
mkdir -p "$fx" "$img" "$tmp"

n=0 failed=0 skipped=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n # SKIP $1"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }
diag() { sed 's/^/# /'; }
die() { echo "Bail out! $*"; exit 1; }

for t in gcc nm readelf objdump tar gzip zstd sha256sum jq valgrind; do
	command -v $t >/dev/null || die "$t is missing (qemu-scripts/install-deps.sh installs it)"
done

# ---- build ----

make -s -C "$here" OUT="$top/bin" scan >"$tmp/build.log" 2>&1 ||
	{ diag < "$tmp/build.log"; die "vsyscall-scan does not build"; }
SCAN=$top/bin/vsyscall-scan
# -Werror for this build only: the test fails on any new warning
make -s -C "$here" OUT="$top/werror" CFLAGS="-O2 -g -Wall -Wextra -Werror" scan \
	>"$tmp/werror.log" 2>&1
check "vsyscall-scan builds without warnings (-Wall -Wextra)" test $? -eq 0
diag < "$tmp/werror.log"
make -s -C "$here" OUT="$top/asan" CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined" scan >"$tmp/asan.log" 2>&1 ||
	{ diag < "$tmp/asan.log"; die "the ASan+UBSan vsyscall-scan does not build"; }
ASAN_SCAN=$top/asan/vsyscall-scan

src=$here/test-data/scan-fixtures.S
gcc -static -no-pie -DDIRECT -o "$fx/fixture-static" "$src" &&
	gcc -pie -fPIE -o "$fx/fixture-pie" "$src" &&
	gcc -shared -fPIC -o "$fx/fixture.so" "$src" &&
	printf 'int main(void) { return 0; }\n' | gcc -x c -o "$fx/clean" - ||
	die "the fixtures do not build"

# ---- expectations, from binutils ----

# What each site_* symbol of the fixtures must be reported as
declare -A sites=(
	[site_time]="time mov-imm32+call"
	[site_getcpu]="getcpu mov-imm32+call"
	[site_gtod]="gettimeofday mov-imm32+call"
	[site_movabs_r11]="gettimeofday movabs+call"
	[site_jmp_r9]="time mov-imm32+jmp"
	[site_movabs_jmp]="getcpu movabs+jmp"
	[site_gap]="getcpu mov-imm32+call"
	[site_page123]="page+0x123 mov-imm32+call"
	[site_call_rel32]="time call-rel32"
	[site_jmp_rel32]="gettimeofday jmp-rel32"
	[site_ptr_rodata]="time data-pointer"
	[site_ptr_data]="getcpu data-pointer"
	# the harness's probe (selftests/glibc212_probe.c)
	[glibc212_time]="time mov-imm32+call"
	[glibc212_getcpu]="getcpu mov-imm32+call"
	[glibc212_gtod_call]="gettimeofday call-rel32"
)

# FILE VADDR: the file offset of VADDR, from readelf's section headers
file_offset() {
	local name type addr off size rest
	while read -r name type addr off size rest; do
		[ "$type" = NOBITS ] && continue
		addr=$((16#$addr)) off=$((16#$off)) size=$((16#$size))
		if [ "$addr" -ne 0 ] && [ "$2" -ge "$addr" ] && [ "$2" -lt $((addr + size)) ]; then
			echo $(($2 - addr + off))
			return
		fi
	done < <(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p')
	echo "no section holds 0x$(printf %x "$2") in $1" >&2
}

# FILE PREFIX: the finding lines expected for FILE, reported as PREFIX
expected() {
	local addr type sym va
	nm "$1" | while read -r addr type sym; do
		[ -n "$sym" ] && [ -n "${sites[$sym]:-}" ] || continue
		va=$((16#$addr))
		printf '%s: offset 0x%x vaddr 0x%x: %s\n' "$2" "$(file_offset "$1" $va)" $va "${sites[$sym]}"
	done | sort
}

# Run the scanner: $out, $err, $rc
scan() {
	out=$("$SCAN" "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}

# The finding lines of $out (all but verdicts and the total), sorted
findings() {
	grep -v -e ': no vsyscall use found in' -e ': needs the vsyscall page' \
		-e ', scan incomplete$' -e '^total, ' <<<"$out" | sed '/^$/d' | sort
}

# DESC EXPECTED-FILE: the findings are exactly those expected
same_findings() {
	if diff -u "$2" <(findings) > "$tmp/diff"; then
		pass "$1"
	else
		fail "$1"
		diag < "$tmp/diff"
	fi
}

has_line() { grep -qxF -- "$1" <<<"$out"; }
err_has() { grep -qF -- "$1" <<<"$err"; }
plural() { if [ "$1" -eq 1 ]; then echo "$1 $2"; else echo "$1 $2s"; fi; }

cd "$fx" || die "no $fx"

# ---- the fixture's encodings, as objdump decodes them ----

# FUNCTION TEXT: objdump's listing of FUNCTION has TEXT (blanks squeezed)
objdump_has() {
	objdump -d --insn-width=16 "$fx/fixture-static" | sed -n "/<$1>:/,/^\$/p" | tr -s ' \t' ' ' | grep -qF -- "$2"
}
check "fixture: site_time is glibc 2.12's time(), 48 c7 c0 00 04 60 ff ff d0" eval \
	'objdump_has site_time "48 c7 c0 00 04 60 ff mov \$0xffffffffff600400,%rax" && objdump_has site_time "ff d0 call *%rax"'
check "fixture: site_movabs_r11 is movabs \$0xffffffffff600000,%r11; call *%r11" eval \
	'objdump_has site_movabs_r11 "49 bb 00 00 60 ff ff ff ff ff movabs \$0xffffffffff600000,%r11" && objdump_has site_movabs_r11 "41 ff d3 call *%r11"'
check "fixture: site_call_rel32 is e8 rel32 to 0xffffffffff600400" \
	objdump_has site_call_rel32 "call ffffffffff600400"

# ---- ELF files ----

for f in fixture-static fixture-pie fixture.so; do
	expected $f $f > "$tmp/$f.exp"
	k=$(wc -l < "$tmp/$f.exp")
	scan $f
	same_findings "$f: each site found with binutils' offset and address, no near miss reported" "$tmp/$f.exp"
	check "$f: verdict '$(plural "$k" reference) in 1 of 1 ELF file', exit 1" \
		eval 'has_line "$f: $(plural $k reference) in 1 of 1 ELF file: needs the vsyscall page" && [ $rc -eq 1 ] && [ -z "$err" ]'
done
check "static fixture: 12 sites (direct branches included)" test "$(wc -l < "$tmp/fixture-static.exp")" -eq 12
check "PIE and shared fixtures: 10 sites each (no direct branch)" \
	test "$(cat "$tmp/fixture-pie.exp" "$tmp/fixture.so.exp" | wc -l)" -eq 20

scan clean
check "a clean program: no finding, exit 0" \
	eval 'has_line "clean: no vsyscall use found in 1 ELF file" && [ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 1 ]'

if printf 'int main(void) { __asm__(".byte 0x48,0xc7,0xc0,0x00,0x04,0x60,0xff,0xff,0xd0"); return 0; }\n' |
   gcc -m32 -x c -o "$fx/fixture-32" - 2>/dev/null; then
	scan fixture-32
	check "32-bit ELF with glibc 2.12's bytes: counted, skipped, exit 0" \
		eval 'has_line "fixture-32: no vsyscall use found in 1 ELF file" && [ $rc -eq 0 ]'
else
	skip "32-bit ELF: gcc -m32 cannot link here (gcc-multilib missing)"
fi

# Section headers removed (e_shoff, e_shnum, e_shstrndx zeroed): the
# segments are scanned instead and give the same findings.
cp fixture-static fixture-nosections
printf '\0\0\0\0\0\0\0\0' | dd of=fixture-nosections bs=1 seek=40 conv=notrunc status=none
printf '\0\0\0\0' | dd of=fixture-nosections bs=1 seek=60 conv=notrunc status=none
scan fixture-nosections
sed 's/^fixture-static:/fixture-nosections:/' "$tmp/fixture-static.exp" > "$tmp/nosec.exp"
same_findings "no section headers: the same findings from the PT_LOAD segments" "$tmp/nosec.exp"
check "no section headers: exit 1, no error" eval '[ $rc -eq 1 ] && [ -z "$err" ]'

# --quiet, and a total line for several PATHs
scan --quiet fixture-static clean
check "--quiet: the verdict lines and the total only" \
	eval '[ "$out" = "fixture-static: 12 references in 1 of 1 ELF file: needs the vsyscall page
clean: no vsyscall use found in 1 ELF file
total, 2 paths: 1 of them need the vsyscall page, 12 references in 1 of 2 ELF files: needs the vsyscall page" ] && [ $rc -eq 1 ]'

# ---- directories ----

mkdir -p tree/usr/bin tree/usr/lib tree/etc tree/deep/a/b/c
cp fixture-static tree/usr/bin/legacy
cp fixture.so tree/deep/a/b/c/libfixture.so
cp clean tree/usr/bin/clean
echo "not a program" > tree/etc/motd
printf '\177ELF' > tree/etc/magic-only	# 4 bytes: ELF magic, then nothing
ln -s "$fx/fixture-pie" tree/usr/bin/outside	# symlinks, also to outside the tree
ln -s "$fx" tree/usr/lib/outside-dir
ln -s legacy tree/usr/bin/same
mkfifo tree/usr/bin/fifo
{ expected fixture-static tree/usr/bin/legacy
  expected fixture.so tree/deep/a/b/c/libfixture.so; } | sort > "$tmp/tree.exp"
scan tree
same_findings "directory: findings named by path, symlinks not followed, a FIFO skipped" "$tmp/tree.exp"
check "directory: the truncated 4-byte ELF is an error naming it, exit 2" \
	eval 'err_has "tree/etc/magic-only: " && [ $rc -eq 2 ]'
check "directory: verdict counts 3 ELF files, 1 error" \
	eval 'has_line "tree: 22 references in 2 of 3 ELF files: needs the vsyscall page; 1 error, scan incomplete"'
rm tree/etc/magic-only
scan tree/
check "directory given as 'tree/': same paths, exit 1" \
	eval 'diff -q "$tmp/tree.exp" <(findings) >/dev/null && [ $rc -eq 1 ]'

# ---- images ----

# DIR TARFILE [COMPRESSOR]: a layer tar of DIR's contents ("./usr/...")
mk_tar() {
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - . |
		${3:-cat} > "$2"
}
sha() { sha256sum "$1" | cut -c1-64; }

mkdir -p l1/bin l1/etc l2/usr/bin l3/usr/lib/x86_64-linux-gnu
cp clean l1/bin/clean
echo 'ID=legacy' > l1/etc/os-release
cp fixture-static l2/usr/bin/legacy
ln l2/usr/bin/legacy l2/usr/bin/legacy-hardlink
cp fixture.so l3/usr/lib/x86_64-linux-gnu/libfixture.so
cp clean l3/usr/lib/x86_64-linux-gnu/clean

# docker export: one root file system
mkdir -p rootfs
cp -a l1/. l2/. l3/. rootfs/
mk_tar rootfs "$img/export.tar"
{ expected fixture-static "$img/export.tar: /usr/bin/legacy"
  expected fixture.so "$img/export.tar: /usr/lib/x86_64-linux-gnu/libfixture.so"; } | sort > "$tmp/export.exp"
scan "$img/export.tar"
same_findings "docker export: findings named by path in the root file system" "$tmp/export.exp"
check "docker export: verdict, a hard link counted once, exit 1" \
	eval 'has_line "$img/export.tar (docker export): 22 references in 2 of 4 ELF files: needs the vsyscall page" && [ $rc -eq 1 ]'
mk_tar l1 "$img/export-clean.tar"
scan "$img/export-clean.tar"
check "docker export without findings: exit 0" \
	eval 'has_line "$img/export-clean.tar (docker export): no vsyscall use found in 1 ELF file" && [ $rc -eq 0 ]'

# docker save, the classic layout: <id>/layer.tar, manifest.json last;
# a second image shares the first layer through a symlinked layer.tar
mkdir -p save
mk_tar l1 "$tmp/l1.tar"
mk_tar l2 "$tmp/l2.tar"
id1=$(sha "$tmp/l1.tar") id2=$(sha "$tmp/l2.tar") id3=$(printf 3 | sha256sum | cut -c1-64)
for i in 1 2; do
	id=id$i
	mkdir -p "save/${!id}"
	cp "$tmp/l$i.tar" "save/${!id}/layer.tar"
	echo 1.0 > "save/${!id}/VERSION"
done
mkdir -p "save/$id3"
ln -s "../$id1/layer.tar" "save/$id3/layer.tar"
echo '{"architecture":"amd64","os":"linux"}' > save/config.json
cat > save/manifest.json <<EOF
[{"Config":"config.json","RepoTags":["legacy:1"],"Layers":["$id1/layer.tar","$id2/layer.tar"]},
 {"Config":"config.json","RepoTags":["clean:1"],"Layers":["$id3/layer.tar"]}]
EOF
tar -C save -cf "$img/save.tar" "$id1" "$id2" "$id3" config.json manifest.json
expected fixture-static "$img/save.tar: layer $id2/layer.tar: /usr/bin/legacy" > "$tmp/save.exp"
scan "$img/save.tar"
same_findings "docker save: findings named by layer and path" "$tmp/save.exp"
check "docker save: verdict names the images, 2 layers (the shared one once), exit 1" \
	eval 'has_line "$img/save.tar (docker save of legacy:1, clean:1, 2 layers): 12 references in 1 of 2 ELF files: needs the vsyscall page" && [ $rc -eq 1 ]'
scan --json "$img/save.tar"
check "docker save --json: per-layer counts" \
	eval '[ "$(jq -c "[.paths[0].layers[] | [.layer, .elf_files, .references]]" <<<"$out")" = "[[\"$id1/layer.tar\",1,0],[\"$id2/layer.tar\",1,12]]" ]'

# OCI image layout: a gzip layer and a zstd layer; the index also lists an
# arm64 manifest whose blob is absent (other platforms are not read)
mkdir -p oci/blobs/sha256
blob() { local d; d=$(sha "$1"); mv "$1" "oci/blobs/sha256/$d"; echo "$d"; }
mk_tar l3 "$tmp/l3.tar.gz" "gzip -n"
mk_tar l2 "$tmp/l2.tar.zst" "zstd -q"
gz=$(blob "$tmp/l3.tar.gz")
zs=$(blob "$tmp/l2.tar.zst")
echo '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$tmp/config"
cs=$(stat -c %s "$tmp/config")
cfg=$(blob "$tmp/config")
cat > "$tmp/manifest" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$cfg","size":$cs},
 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$gz","size":1},
           {"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":"sha256:$zs","size":1}]}
EOF
ms=$(stat -c %s "$tmp/manifest")
man=$(blob "$tmp/manifest")
echo '{"imageLayoutVersion":"1.0.0"}' > oci/oci-layout
cat > oci/index.json <<EOF
{"schemaVersion":2,"manifests":[
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$man","size":$ms,
  "platform":{"architecture":"amd64","os":"linux"},
  "annotations":{"org.opencontainers.image.ref.name":"legacy:1"}},
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$(printf %064d 0)","size":1,
  "platform":{"architecture":"arm64","os":"linux"}}]}
EOF
cp -a oci "$img/oci"
{ expected fixture-static "$img/oci: layer sha256:$zs: /usr/bin/legacy"
  expected fixture.so "$img/oci: layer sha256:$gz: /usr/lib/x86_64-linux-gnu/libfixture.so"; } |
	sort > "$tmp/oci.exp"
scan "$img/oci"
same_findings "OCI layout: findings in the gzip and the zstd layer, named by digest" "$tmp/oci.exp"
check "OCI layout: verdict, 2 layers, hard link once, exit 1" \
	eval 'has_line "$img/oci (OCI layout of legacy:1, 2 layers): 22 references in 2 of 3 ELF files: needs the vsyscall page" && [ $rc -eq 1 ] && [ -z "$err" ]'

# The same layout in a tar (podman save --format oci-archive), index last
tar -C oci -cf "$img/oci.tar" blobs oci-layout index.json
sed "s|^$img/oci:|$img/oci.tar:|" "$tmp/oci.exp" > "$tmp/ocitar.exp"
scan "$img/oci.tar"
same_findings "OCI archive: the same findings" "$tmp/ocitar.exp"
check "OCI archive: verdict, exit 1" \
	eval 'has_line "$img/oci.tar (OCI archive of legacy:1, 2 layers): 22 references in 2 of 3 ELF files: needs the vsyscall page" && [ $rc -eq 1 ]'

# A gzip-compressed docker save is read too
gzip -n -c "$img/save.tar" > "$img/save.tar.gz"
scan --quiet "$img/save.tar.gz"
check "docker save | gzip: the same verdict" \
	eval 'has_line "$img/save.tar.gz (docker save of legacy:1, clean:1, 2 layers): 12 references in 1 of 2 ELF files: needs the vsyscall page"'

# ---- JSON ----

mkdir -p "utf8-$(printf '\xff')"
cp fixture.so "utf8-$(printf '\xff')/lib$(printf '\xfe')\"q.so"
json_ok() { jq -e "$1" <<<"$out" >/dev/null; }
scan --json "$img/oci" "utf8-$(printf '\xff')" clean
check "--json: one valid document, exit status 1 in it" \
	eval 'json_ok ".exit_status == 1 and (.paths | length) == 3" && [ $rc -eq 1 ]'
check "--json: findings carry layer, file, offset, vaddr, entry, pattern" eval \
	'json_ok "[.paths[0].findings[] | select(.file == \"/usr/bin/legacy\" and .layer == \"sha256:$zs\")] | length == 12" &&
	 json_ok ".paths[0].findings[0] | has(\"offset\") and has(\"vaddr\") and has(\"entry\") and has(\"pattern\") and has(\"target\")"'
check "--json: a file name that is not UTF-8 or has a quote stays valid JSON" \
	json_ok '.paths[1].findings[0].file == "utf8-\ufffd/lib\ufffd\"q.so"'
check "--json: counts per PATH and in total" \
	json_ok '.elf_files == 5 and .references == 32 and .paths[0].references == 22 and .paths[0].images == ["legacy:1"] and .paths[2].verdict == "no vsyscall use found"'

# ---- the harness's own programs, when make has built them ----

probe=$build/tests/glibc212_probe
if [ -x "$probe" ]; then
	expected "$probe" "$probe" > "$tmp/probe.exp"
	scan "$probe"
	same_findings "glibc212_probe: time, getcpu and gettimeofday call sites found" "$tmp/probe.exp"
	check "glibc212_probe: exactly those 3, exit 1" \
		eval '[ "$(wc -l < "$tmp/probe.exp")" -eq 3 ] && [ $rc -eq 1 ]'
else
	skip "glibc212_probe: $probe not built (make tests)"
	skip "glibc212_probe: exactly those 3 (not built)"
fi
root=$build/plumbing-root
if [ -x "$root/bin/legacy-time" ]; then
	expected "$root/bin/legacy-time" "$root/bin/legacy-time" > "$tmp/root.exp"
	scan "$root"
	same_findings "plumbing-root: only /bin/legacy-time, its 3 call sites" "$tmp/root.exp"
	check "plumbing-root: its dash, true and libraries clean, exit 1" \
		eval 'grep -q "^$root: 3 references in 1 of [0-9]* ELF files: needs the vsyscall page$" <<<"$out" && [ $rc -eq 1 ]'
else
	skip "plumbing-root: $root not built (make initramfs)"
	skip "plumbing-root: the rest clean (not built)"
fi

# ---- no false positive on this machine's programs ----

start=$EPOCHREALTIME
scan /usr/bin /usr/sbin /usr/lib /usr/libexec
secs=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $start }")
files=$(sed -n 's/^total, 4 paths: no vsyscall use found in \([0-9]*\) ELF files.*/\1/p' <<<"$out")
echo "# /usr/bin /usr/sbin /usr/lib /usr/libexec: ${files:-?} ELF files in $secs s"
check "host programs: no finding, exit 0" eval '[ -z "$(findings)" ] && [ $rc -eq 0 ]'
check "host programs: more than 500 ELF files scanned" test "${files:-0}" -gt 500
[ $rc -eq 0 ] || diag <<<"$err$(findings | head -20)"

# ---- corrupt inputs: exit 2, a message naming the file, the next PATH scanned ----

sz=$(stat -c %s fixture-static)
head -c 16 fixture-static > cut-16
head -c 64 fixture-static > cut-header
head -c $((sz / 2)) fixture-static > cut-half
cp fixture-static bad-shoff
printf '\0\0\0\0\0\0\0\x7f' | dd of=bad-shoff bs=1 seek=40 conv=notrunc status=none
cp fixture-static bad-shnum
printf '\xff\xff' | dd of=bad-shnum bs=1 seek=60 conv=notrunc status=none
# .text's sh_offset (section header + 24) far past the end
shoff=$(readelf -hW fixture-static | sed -n 's/.*Start of section headers: *\([0-9]*\).*/\1/p')
text=$(readelf -SW fixture-static | sed -n 's/^ *\[ *\([0-9]*\)\] \.text .*/\1/p')
cp fixture-static bad-section
printf '\0\0\0\0\0\0\0\x7f' | dd of=bad-section bs=1 seek=$((shoff + text * 64 + 24)) conv=notrunc status=none

ssz=$(stat -c %s "$img/save.tar")
head -c $((ssz / 2 + 100)) "$img/save.tar" > "$img/save-cut.tar"
mkdir -p bad-save && tar -C bad-save -xf "$img/save.tar"
echo '[{"Config": "config.json", "Layers": [' > bad-save/manifest.json
tar -C bad-save -cf "$img/save-badjson.tar" .
tar -C bad-save -xf "$img/save.tar" manifest.json
sed -i "s|$id1/layer.tar|$(printf %064d 9)/layer.tar|" bad-save/manifest.json
tar -C bad-save -cf "$img/save-missing.tar" .
cp -a oci "$img/oci-badindex"
echo 'this is { not JSON' > "$img/oci-badindex/index.json"
cp -a oci "$img/oci-cutgz"
head -c $(($(stat -c %s "oci/blobs/sha256/$gz") / 2)) "oci/blobs/sha256/$gz" > "$img/oci-cutgz/blobs/sha256/$gz"
head -c 700 /dev/urandom > "$img/noise.bin"

# NAME PATH MESSAGE: PATH alone and before a good one
corrupt=()
bad() { corrupt+=("$1|$2|$3"); }
bad "ELF cut at 16 bytes" cut-16 "cut-16: not a valid ELF file (16 bytes)"
bad "ELF cut after its header" cut-header "cut-header: section header table at offset"
bad "ELF cut in half" cut-half "cut-half: section header table at offset"
bad "ELF with e_shoff past the end" bad-shoff "bad-shoff: section header table at offset 0x7f00000000000000"
bad "ELF with e_shnum 65535" bad-shnum "bad-shnum: section header table at offset $(printf 0x%x "$shoff") (65535 entries)"
bad "ELF with .text past the end" bad-section "bad-section: a section at offset 0x7f00000000000000"
bad "truncated docker save" "$img/save-cut.tar" "$img/save-cut.tar: "
bad "docker save, manifest.json not JSON" "$img/save-badjson.tar" "$img/save-badjson.tar: manifest.json: not valid JSON"
bad "docker save naming a missing layer" "$img/save-missing.tar" "$img/save-missing.tar: manifest.json: layer $(printf %064d 9)/layer.tar is not in the archive"
bad "OCI index.json not JSON" "$img/oci-badindex" "$img/oci-badindex: index.json: not valid JSON"
bad "OCI layout with a truncated gzip layer" "$img/oci-cutgz" "$img/oci-cutgz: layer sha256:$gz: "
bad "neither ELF nor tar" "$img/noise.bin" "$img/noise.bin: neither an ELF file nor a tar archive"
bad "missing PATH" "$fx/no-such-file" "no-such-file: No such file or directory"

good_line="fixture.so: 10 references in 1 of 1 ELF file: needs the vsyscall page"
for c in "${corrupt[@]}"; do
	IFS='|' read -r name path msg <<<"$c"
	scan "$path" fixture.so
	check "$name: exit 2, '$msg...' on stderr, the next PATH still scanned" \
		eval '[ $rc -eq 2 ] && err_has "$msg" && has_line "$good_line"'
	[ $rc -eq 2 ] && err_has "$msg" || diag <<<"rc=$rc $err"
done

# what the scan still finds around the damage
scan "$img/save-missing.tar"
check "docker save with a missing layer: the present layers still reported" \
	eval 'diff -q <(sed "s|$img/save.tar|$img/save-missing.tar|" "$tmp/save.exp") <(findings) >/dev/null'
scan "$img/oci-cutgz"
check "OCI layout with a truncated gzip layer: the zstd layer still reported" \
	eval '[ "$(findings | grep -c "layer sha256:$zs: /usr/bin/legacy")" -eq 12 ]'
scan bad-shoff
check "ELF with broken section headers: reported, and its segments still scanned" \
	eval '[ "$(findings | wc -l)" -eq 12 ] && [ $rc -eq 2 ]'

# ---- memory errors: ASan+UBSan and valgrind, corrupt and good inputs ----

all_bad=()
for c in "${corrupt[@]}"; do
	IFS='|' read -r name path msg <<<"$c"
	all_bad+=("$path")
done
all_good=(fixture-static fixture-pie fixture.so fixture-nosections clean tree "$img/export.tar"
	  "$img/save.tar" "$img/save.tar.gz" "$img/oci" "$img/oci.tar")
for set in bad good; do
	eval 'paths=("${all_'$set'[@]}")'
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$ASAN_SCAN" --json "${paths[@]}" >/dev/null 2>"$tmp/asan.err"
	rc=$?
	check "ASan+UBSan, $set inputs: no error reported, exit $([ $set = bad ] && echo 2 || echo 1)" \
		eval '! grep -qE "AddressSanitizer|LeakSanitizer|runtime error" "$tmp/asan.err" && [ $rc -eq $([ $set = bad ] && echo 2 || echo 1) ]'
	grep -E -A8 "AddressSanitizer|LeakSanitizer|runtime error" "$tmp/asan.err" | head -30 | diag
	valgrind -q --error-exitcode=99 --leak-check=no "$SCAN" "${paths[@]}" >/dev/null 2>"$tmp/vg.err"
	rc=$?
	check "valgrind, $set inputs: no memory error" test $rc -ne 99
	[ $rc -ne 99 ] || head -30 "$tmp/vg.err" | diag
done

# ---- usage and --running ----

scan
check "no PATH: usage message, exit 2" eval '[ $rc -eq 2 ] && err_has "Try"'
scan --bogus fixture.so
check "unknown option: exit 2" eval '[ $rc -eq 2 ]'
scan --running fixture.so
check "--running with a PATH: exit 2" eval '[ $rc -eq 2 ] && err_has "--running takes no PATH"'
scan --running
if grep -q '^Vsyscall_emulated:' /proc/self/status; then
	check "--running: a table or 'no process', exit 0 or 1" \
		eval '[ $rc -le 1 ] && [ -n "$out" ]'
else
	check "--running on this kernel (no per-process counts): says so, exit 2" \
		eval '[ $rc -eq 2 ] && err_has "this kernel does not report per-process vsyscall counts" && [ -z "$out" ]'
fi

# The table, from a /proc of made-up status files bind-mounted in a
# private mount namespace: pid 99 has gone (no status), 1 has used nothing
fake=$tmp/proc
mkdir -p "$fake"/{1,42,77,99}
status() { printf 'Name:\t%s\nState:\tS (sleeping)\nVsyscall_policy:\t%s\nVsyscall_policy_locked:\t%s\nVsyscall_emulated:\t%s\nVsyscall_refused:\t%s\n' "$2" "$3" "$4" "$5" "$6" > "$fake/$1/status"; }
status 1 init default 0 0 0
status 42 "legacy time" allow 1 12 0
status 77 bash deny 0 0 3
running_in_fake() {
	unshare -m sh -c 'mount --bind "$1" /proc && shift && exec "$@"' sh "$fake" "$SCAN" --running "$@"
}
if unshare -m true 2>/dev/null; then
	out=$(running_in_fake 2>"$tmp/err"); rc=$?; err=$(cat "$tmp/err")
	check "--running on a simulated /proc: the two processes that used the page, exit 1" eval '[ $rc -eq 1 ] && [ "$out" = "    PID COMM             POLICY   LOCKED   EMULATED    REFUSED
     42 legacy time      allow    1              12          0
     77 bash             deny     0               0          3
2 processes used the vsyscall page" ]'
	out=$(running_in_fake --json 2>/dev/null)
	check "--running --json on a simulated /proc" \
		json_ok '[.processes[] | [.pid, .comm, .policy, .locked, .emulated, .refused]] == [[42, "legacy time", "allow", "1", 12, 0], [77, "bash", "deny", "0", 0, 3]]'
	status 42 "legacy time" allow 1 0 0
	status 77 bash deny 0 0 0
	out=$(running_in_fake 2>/dev/null); rc=$?
	check "--running on a simulated /proc where nothing used the page: exit 0" \
		eval '[ $rc -eq 0 ] && [ "$out" = "no process has used the vsyscall page" ]'
else
	skip "--running on a simulated /proc: no private mount namespace here (unshare -m)"
	skip "--running --json on a simulated /proc (no unshare -m)"
	skip "--running on a simulated /proc, nothing used (no unshare -m)"
fi

echo "1..$n"
echo "scan-check: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
