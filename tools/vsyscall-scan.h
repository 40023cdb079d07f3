/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsyscall-scan: what the parts of the scanner share.
 *
 * vsyscall-scan.c  options, paths, directories, reports, --running
 * scan-elf.c       the byte patterns in one ELF file
 * scan-image.c     tarballs and OCI image layouts
 */
#ifndef VSYSCALL_SCAN_H
#define VSYSCALL_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VSYS_PAGE	0xffffffffff600000ULL
#define VSYS_PAGE_SIZE	0x1000ULL

/* "\177ELF": what marks a file to scan */
#define MAGIC_LEN	4

/*
 * ELF files inside archives are read into memory; past this size one is
 * reported as an error instead (a file on disk is mapped, whatever its
 * size).
 */
#define MAX_MEMORY_ELF	(1ULL << 30)

/*
 * libelf may read a whole ELF header before anyone can tell that the
 * file is shorter than one; buffers handed to scan_elf() carry this many
 * zero bytes past their end so that such a read stays inside them.
 */
#define ELF_PAD		128

/* Where a file is: the PATH argument, the layer in an image, the file */
struct where {
	const char *image;	/* PATH of an image, or NULL */
	const char *layer;	/* layer inside the image, or NULL */
	const char *file;	/* path of the file (inside the layer) */
};

struct finding {
	uint64_t offset;	/* file offset of the instruction or pointer */
	uint64_t vaddr;		/* its virtual address */
	uint64_t target;	/* the address in the vsyscall page */
	const char *pattern;
};

/* vsyscall-scan.c */
void report_error(const struct where *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void report_file(const struct where *w, const struct finding *f, size_t n);
void layer_begin(const char *name);
void layer_end(void);
void set_image(const char *type, const char *tags);

/* scan-elf.c */
void elf_setup(void);
bool is_elf_magic(const void *buf, size_t len);	/* @len: bytes read */
void scan_elf(const struct where *w, char *image, size_t size);

/* scan-image.c */
void scan_tarball(const char *path);
void scan_oci_dir(const char *path, int dirfd);
bool is_oci_dir(int dirfd);

#endif
