// SPDX-License-Identifier: GPL-2.0
/*
 * scan-elf.c: find the places in one x86_64 ELF file that call or point
 * into the vsyscall page.
 *
 * libelf reads every ELF structure (header, section and program headers,
 * the bounds of each section); only the bytes of code and data are
 * searched here.  Three patterns:
 *
 *  - a register loaded with an address in the page, then called or jumped
 *    through: "mov $imm32,%reg" (REX.W c7 /0, sign-extended) or "movabs
 *    $imm64,%reg" (REX.W b8+r), with "call *%reg" or "jmp *%reg" (ff /2,
 *    ff /4) of the same register starting within 16 bytes after it.  This
 *    is how glibc up to 2.13 reaches the page, and the address reported is
 *    that of the mov.
 *  - a direct "call rel32" or "jmp rel32" (e8, e9) to an entry point, in
 *    ET_EXEC files only: position-independent code cannot reach a fixed
 *    address with a relative branch.
 *  - an 8-byte value equal to an entry point, at an 8-byte aligned offset
 *    of a loaded data section.
 *
 * The last two count exact entry points only (0x000, 0x400, 0x800 into
 * the page).  Their bytes are not anchored by an opcode that names the
 * page: every e8 or e9 byte in code decodes to some branch target, and a
 * random target falls somewhere in a 4 KiB page once in a million tries,
 * often enough to matter in a large non-PIE binary, but on one of three
 * addresses only once in 1.4 billion.  No code calls the page anywhere
 * else, so nothing real is lost.  The mov pattern needs the page address
 * and the register-indirect branch together and reports any offset in
 * the page.
 */
#include <endian.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsyscall-scan.h"

/* How far after the mov the call or jmp may start */
#define BRANCH_WINDOW	16

/* One file being scanned: its findings, sorted before they are reported */
struct elfscan {
	const struct where *w;
	size_t size;		/* of the file */
	struct finding *f;
	size_t n, cap;
	bool failed;		/* an error was reported */
};

/* A run of bytes to search: a section, or a segment without sections */
struct region {
	const unsigned char *p;
	size_t len;
	uint64_t offset;	/* file offset of p[0] */
	uint64_t vaddr;		/* virtual address of p[0] */
};

void elf_setup(void)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "vsyscall-scan: libelf: %s\n", elf_errmsg(-1));
		exit(2);
	}
}

bool is_elf_magic(const void *buf, size_t len)
{
	return len >= MAGIC_LEN && !memcmp(buf, ELFMAG, MAGIC_LEN);
}

static bool is_entry(uint64_t addr)
{
	return addr == VSYS_PAGE || addr == VSYS_PAGE + 0x400 || addr == VSYS_PAGE + 0x800;
}

/* Report the first error of the file only: the rest follow from it */
static void __attribute__((format(printf, 2, 3))) es_error(struct elfscan *es, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (es->failed)
		return;
	es->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_error(es->w, "%s", msg);
}

static void add(struct elfscan *es, const struct region *r, size_t at,
		uint64_t target, const char *pattern)
{
	if (es->n == es->cap) {
		size_t cap = es->cap ? 2 * es->cap : 8;
		struct finding *f = realloc(es->f, cap * sizeof(*f));

		if (!f) {
			es_error(es, "out of memory");
			return;
		}
		es->f = f;
		es->cap = cap;
	}
	es->f[es->n++] = (struct finding){
		.offset = r->offset + at,
		.vaddr = r->vaddr + at,
		.target = target,
		.pattern = pattern,
	};
}

/* A REX prefix with W set, as a 64-bit mov needs */
static bool rex_w(unsigned char b)
{
	return (b & 0xf8) == 0x48;
}

/*
 * "call *%reg" or "jmp *%reg" of register @reg (0-15) starting in the
 * BRANCH_WINDOW bytes from @from: ff d0+r or ff e0+r, r8-r15 behind a
 * REX prefix with B set.  Returns "call", "jmp" or NULL.
 *
 * The bytes are not decoded into instructions, so a "ret" (c3) or int3
 * padding (cc) byte ends the search: past it begins another function,
 * whose ff d0 would not be reached from the mov.  (A c3 or cc that is
 * part of an instruction between a real mov and its call hides that
 * call; compilers put little there but argument set-up.)
 */
static const char *indirect_branch(const struct region *r, size_t from, int reg)
{
	size_t k;

	for (k = from; k < from + BRANCH_WINDOW && k + 2 <= r->len; k++) {
		unsigned char modrm = r->p[k + 1];
		int rexb;

		if (r->p[k] == 0xc3 || r->p[k] == 0xcc)
			break;
		if (r->p[k] != 0xff || ((modrm & 0xf8) != 0xd0 && (modrm & 0xf8) != 0xe0))
			continue;
		/* The byte before belongs to the branch only after the mov */
		rexb = k > from && (r->p[k - 1] & 0xf1) == 0x41 ? 8 : 0;
		if ((modrm & 7) + rexb == reg)
			return (modrm & 0xf8) == 0xd0 ? "call" : "jmp";
	}
	return NULL;
}

/*
 * Both movs carry the page address as an immediate whose bytes 1-3 are
 * 0y 60 ff (y: the offset's top nibble), so the search goes from one
 * "60 ff" to the next with memchr and looks at the bytes around each.
 */
static void scan_movs(struct elfscan *es, const struct region *r)
{
	const unsigned char *p = r->p, *q = p, *end = p + r->len;

	while ((q = memchr(q, 0x60, end - q))) {
		size_t j = q++ - p;
		const char *br;
		uint64_t target;
		int reg;

		if (j < 4 || j + 2 > r->len || p[j + 1] != 0xff || p[j - 1] > 0x0f)
			continue;
		target = VSYS_PAGE | (uint64_t)p[j - 1] << 8 | p[j - 2];

		/* REX.W c7 c0+r imm32: the imm32 is sign-extended */
		if (j >= 5 && rex_w(p[j - 5]) && p[j - 4] == 0xc7 && (p[j - 3] & 0xf8) == 0xc0) {
			reg = (p[j - 5] & 1) << 3 | (p[j - 3] & 7);
			br = indirect_branch(r, j + 2, reg);
			if (br)
				add(es, r, j - 5, target,
				    *br == 'c' ? "mov-imm32+call" : "mov-imm32+jmp");
		}
		/* REX.W b8+r imm64, whose top four bytes are ff */
		if (j + 6 <= r->len && rex_w(p[j - 4]) && (p[j - 3] & 0xf8) == 0xb8 &&
		    !memcmp(p + j + 2, "\xff\xff\xff\xff", 4)) {
			reg = (p[j - 4] & 1) << 3 | (p[j - 3] & 7);
			br = indirect_branch(r, j + 6, reg);
			if (br)
				add(es, r, j - 4, target,
				    *br == 'c' ? "movabs+call" : "movabs+jmp");
		}
	}
}

/* e8/e9 rel32 to an entry point, the target computed modulo 2^64 */
static void scan_direct(struct elfscan *es, const struct region *r)
{
	const unsigned char *p = r->p;
	size_t i;

	for (i = 0; i + 5 <= r->len; i++) {
		int32_t rel;
		uint64_t target;

		if ((p[i] & 0xfe) != 0xe8)
			continue;
		rel = (int32_t)((uint32_t)p[i + 1] | (uint32_t)p[i + 2] << 8 |
				(uint32_t)p[i + 3] << 16 | (uint32_t)p[i + 4] << 24);
		target = r->vaddr + i + 5 + (uint64_t)(int64_t)rel;
		if (is_entry(target))
			add(es, r, i, target, p[i] == 0xe8 ? "call-rel32" : "jmp-rel32");
	}
}

/* 8-byte entry-point values; @first: the first offset to look at */
static void scan_data(struct elfscan *es, const struct region *r, size_t first)
{
	size_t i;

	for (i = first; i + 8 <= r->len; i += 8) {
		uint64_t v;

		memcpy(&v, r->p + i, 8);
		v = le64toh(v);
		/* one compare rejects nearly every word */
		if ((v & ~(VSYS_PAGE_SIZE - 1)) == VSYS_PAGE && is_entry(v))
			add(es, r, i, v, "data-pointer");
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static void scan_region(struct elfscan *es, const struct region *r, bool code, bool exec,
			size_t data_first)
{
	if (code) {
		scan_movs(es, r);
		if (exec)
			scan_direct(es, r);
	} else {
		scan_data(es, r, data_first);
	}
}

/* Whether @len bytes at @off lie inside the file; says so if not */
static bool in_file(struct elfscan *es, const char *what, uint64_t off, uint64_t len)
{
	if (off <= es->size && es->size - off >= len)
		return true;
	es_error(es, "%s at offset 0x%llx (%llu bytes) goes past the end of the file (%zu bytes): truncated or corrupt",
		 what, (unsigned long long)off, (unsigned long long)len, es->size);
	return false;
}

static void scan_sections(struct elfscan *es, Elf *elf, bool exec)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		struct region r;

		if (!gelf_getshdr(scn, &sh)) {
			es_error(es, "corrupt section header %zu: %s", elf_ndxscn(scn), elf_errmsg(-1));
			return;
		}
		if (sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_ALLOC) || !sh.sh_size)
			continue;
		if (!in_file(es, "a section", sh.sh_offset, sh.sh_size))
			return;
		/* elf_rawdata: the file's bytes, bounds checked, not copied */
		d = elf_rawdata(scn, NULL);
		if (!d) {
			es_error(es, "section at offset 0x%llx: %s",
				 (unsigned long long)sh.sh_offset, elf_errmsg(-1));
			return;
		}
		if (!d->d_buf)
			continue;
		r = (struct region){ d->d_buf, d->d_size, sh.sh_offset, sh.sh_addr };
		scan_region(es, &r, sh.sh_flags & SHF_EXECINSTR, exec, 0);
	}
}

/*
 * Without section headers (stripped to the bone, packed, or broken): the
 * PT_LOAD segments, as the kernel loads them.  Code patterns in those with
 * PF_X, data pointers in the others.
 */
static void scan_segments(struct elfscan *es, Elf *elf, bool exec)
{
	size_t n, i;

	if (elf_getphdrnum(elf, &n)) {
		es_error(es, "corrupt program headers: %s", elf_errmsg(-1));
		return;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
		Elf_Data *d;
		struct region r;

		if (!gelf_getphdr(elf, i, &ph)) {
			es_error(es, "corrupt program header %zu: %s", i, elf_errmsg(-1));
			return;
		}
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		if (!in_file(es, "a segment", ph.p_offset, ph.p_filesz))
			return;
		d = elf_getdata_rawchunk(elf, ph.p_offset, ph.p_filesz, ELF_T_BYTE);
		if (!d) {
			es_error(es, "segment at offset 0x%llx: %s",
				 (unsigned long long)ph.p_offset, elf_errmsg(-1));
			return;
		}
		r = (struct region){ d->d_buf, d->d_size, ph.p_offset, ph.p_vaddr };
		/* pointers aligned by address, as the sections would have them */
		scan_region(es, &r, ph.p_flags & PF_X, exec, (8 - (ph.p_vaddr & 7)) & 7);
	}
}

/*
 * Scan the ELF file in @image (@size bytes, followed by ELF_PAD readable
 * bytes).  Reports its findings and its first error through
 * vsyscall-scan.c.  libelf may write to the image (elf_memory() has
 * ELF_C_READ_MMAP_PRIVATE semantics), so it must be a private copy or
 * mapping.
 */
void scan_elf(const struct where *w, char *image, size_t size)
{
	struct elfscan es = { .w = w, .size = size };
	GElf_Ehdr eh;
	size_t shnum, ehsize;
	bool exec;
	Elf *elf;

	elf = elf_memory(image, size);
	if (!elf) {
		report_error(w, "not a valid ELF file (%zu bytes): %s", size, elf_errmsg(-1));
		return;
	}
	if (elf_kind(elf) != ELF_K_ELF) {
		es_error(&es, "not a valid ELF file (bad class, byte order or version)");
		goto out;
	}
	ehsize = gelf_fsize(elf, ELF_T_EHDR, 1, EV_CURRENT);
	if (!ehsize || size < ehsize) {
		es_error(&es, "truncated ELF file (%zu bytes, shorter than its header)", size);
		goto out;
	}
	if (!gelf_getehdr(elf, &eh)) {
		es_error(&es, "corrupt ELF header: %s", elf_errmsg(-1));
		goto out;
	}
	if (elf_getshdrnum(elf, &shnum)) {
		es_error(&es, "corrupt section headers: %s", elf_errmsg(-1));
		goto out;
	}

	/*
	 * Only 64-bit x86 code can reach the 64-bit page; other ELF files
	 * (32-bit, other machines, objects, core files) count as scanned.
	 */
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN))
		goto done;
	exec = eh.e_type == ET_EXEC;
	if (shnum) {
		scan_sections(&es, elf, exec);
	} else {
		/*
		 * libelf counts no sections when the table it is told of
		 * does not fit in the file.  The kernel does not read that
		 * table, so such a program still runs: its segments are
		 * scanned after the error is reported.
		 */
		if (eh.e_shoff)
			es_error(&es, "section header table at offset 0x%llx (%u entries) goes past the end of the file (%zu bytes): truncated or corrupt",
				 (unsigned long long)eh.e_shoff, eh.e_shnum, size);
		scan_segments(&es, elf, exec);
	}
done:
	if (es.n > 1)
		qsort(es.f, es.n, sizeof(*es.f), cmp_finding);
	/* what was found before an error is still reported */
	if (!es.failed || es.n)
		report_file(w, es.f, es.n);
out:
	free(es.f);
	elf_end(elf);
}
