// SPDX-License-Identifier: GPL-2.0
/*
 * scan-image.c: container images, read with libarchive.
 *
 *  - "docker export": a tar of a root file system, scanned as it is.
 *  - "docker save": a tar whose manifest.json lists, per image, the
 *    layers ("<id>/layer.tar" or "blobs/sha256/<hex>") in it.
 *  - OCI image layout: a directory with oci-layout, index.json and
 *    blobs/<alg>/<hex>; index.json leads to manifests (maybe through
 *    more indexes), manifests to layers.  The same layout packed in a
 *    tar is an "OCI archive".
 *
 * Every layer is itself a tar, plain, gzip or zstd compressed (libarchive
 * tells them apart).  A layer inside a tarball is read as a stream out of
 * the outer archive, without being stored, so that memory holds one ELF
 * file at a time and never a whole layer.  A tarball is read twice: once
 * for its small metadata files (which may come after the layers), once
 * for the layers.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vsyscall-scan.h"

/* A manifest, index or other JSON kept from the first pass, and all of them */
#define MAX_META	(16 << 20)
#define MAX_META_TOTAL	(256 << 20)
/* Index -> index -> manifest is the deepest seen in practice */
#define MAX_INDEX_DEPTH	8
#define MAX_LINK_HOPS	16
#define BLOCK_SIZE	(64 * 1024)

struct kept {
	char *name;
	char *data;		/* NUL-terminated */
	size_t len;
	struct kept *next;
};

/* A symlink or hard link entry of a tarball: the path it stands for */
struct link {
	char *name, *target;
	struct link *next;
};

struct layer {
	char *name;		/* path in the tarball or layout */
	char *label;		/* what reports call it */
	bool done;
	struct layer *next;
};

struct image {
	const char *path;
	const char *meta;	/* manifest.json or index.json, for errors */
	int dirfd;		/* an OCI layout directory, or -1 */
	struct kept *kept;
	size_t kept_bytes;
	struct link *links;
	struct layer *layers, **tail;
	struct link *seen;	/* manifests and indexes read, by digest */
	bool oci_layout;
	char *tags;
};

/* Buffer for one ELF file out of an archive, reused */
static char *ebuf;
static size_t ecap;

static struct where image_where(const struct image *img, const char *file)
{
	return (struct where){ .image = img->path, .file = file };
}

/* ---- paths ---- */

/*
 * @in with "", "." and ".." components resolved and no leading or
 * trailing slash: tar entry names come as "./x", "x" or "/x".
 */
static char *normalize(const char *in)
{
	size_t len = strlen(in), o = 0;
	char *out = malloc(len + 1);
	const char *p = in;

	if (!out)
		return NULL;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2)) {
			/* back to the previous slash; never above the root */
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (n && !(n == 1 && *p == '.')) {
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		p += *p == '/';
	}
	out[o] = '\0';
	return out;
}

/* Where the link @name pointing to @target leads; NULL on no memory */
static char *link_target(const char *name, const char *target, bool hard)
{
	const char *slash = strrchr(name, '/');
	size_t dlen = slash && !hard && *target != '/' ? (size_t)(slash - name) : 0;
	char *joined, *out;

	/* a hard link names a path from the archive's root */
	if (asprintf(&joined, "%.*s/%s", (int)dlen, name, target) < 0)
		return NULL;
	out = normalize(joined);
	free(joined);
	return out;
}

/* @name with the tarball's links followed, newly allocated */
static char *resolve(const struct image *img, const char *name)
{
	char *cur = normalize(name);
	int hops;

	for (hops = 0; cur && hops < MAX_LINK_HOPS; hops++) {
		const struct link *l;

		for (l = img->links; l; l = l->next)
			if (!strcmp(l->name, cur))
				break;
		if (!l)
			break;
		free(cur);
		cur = strdup(l->target);
	}
	return cur;
}

/* "sha256:<hex>" to "blobs/sha256/<hex>", refusing anything else */
static bool digest_path(const char *digest, char *out, size_t len)
{
	const char *colon = digest ? strchr(digest, ':') : NULL;
	size_t alen, hlen;

	if (!colon)
		return false;
	alen = colon - digest;
	hlen = strlen(colon + 1);
	if (!alen || alen > 16 || strspn(digest, "abcdefghijklmnopqrstuvwxyz0123456789") != alen)
		return false;
	if (hlen < 32 || hlen > 128 || strspn(colon + 1, "0123456789abcdef") != hlen)
		return false;
	snprintf(out, len, "blobs/%.*s/%s", (int)alen, digest, colon + 1);
	return true;
}

/* The label of a layer: its digest if it is a blob, else its path */
static char *layer_label(const char *name)
{
	if (!strncmp(name, "blobs/", 6) && strchr(name + 6, '/')) {
		char *label = strdup(name + 6), *slash = label ? strchr(label, '/') : NULL;

		if (slash)
			*slash = ':';
		return label;
	}
	return strdup(name);
}

static void add_layer(struct image *img, char *name, const char *label)
{
	struct layer *l;

	for (l = img->layers; l; l = l->next)
		if (!strcmp(l->name, name)) {
			/* shared by two images of one docker save: scanned once */
			free(name);
			return;
		}
	l = calloc(1, sizeof(*l));
	if (l)
		l->label = label ? strdup(label) : layer_label(name);
	if (!l || !l->label) {
		free(l);
		free(name);
		report_error(&(struct where){ .image = img->path }, "out of memory");
		return;
	}
	l->name = name;
	*img->tail = l;
	img->tail = &l->next;
}

static void add_tag(struct image *img, const char *tag)
{
	char *t;

	if (asprintf(&t, "%s%s%s", img->tags ? img->tags : "", img->tags ? ", " : "", tag) < 0)
		return;
	free(img->tags);
	img->tags = t;
}

static void free_image(struct image *img)
{
	while (img->kept) {
		struct kept *k = img->kept;

		img->kept = k->next;
		free(k->name);
		free(k->data);
		free(k);
	}
	while (img->links) {
		struct link *l = img->links;

		img->links = l->next;
		free(l->name);
		free(l->target);
		free(l);
	}
	while (img->seen) {
		struct link *l = img->seen;

		img->seen = l->next;
		free(l->name);
		free(l);
	}
	while (img->layers) {
		struct layer *l = img->layers;

		img->layers = l->next;
		free(l->name);
		free(l->label);
		free(l);
	}
	free(img->tags);
	/* one large ELF file must not keep its buffer for the next image */
	if (ecap > (64 << 20)) {
		free(ebuf);
		ebuf = NULL;
		ecap = 0;
	}
}

/* ---- JSON ---- */

static json_object *parse_json(const struct image *img, const char *name,
			       const char *data, size_t len)
{
	struct where w = image_where(img, name);
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error err;
	json_object *o;

	if (!tok) {
		report_error(&w, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, data, len);
	err = json_tokener_get_error(tok);
	if (!o || err != json_tokener_success ||
	    json_tokener_get_parse_end(tok) + strspn(data + json_tokener_get_parse_end(tok),
						     " \t\r\n") != len) {
		report_error(&w, "not valid JSON: %s", !o && err == json_tokener_continue ?
			     "unexpected end of data" : err != json_tokener_success ?
			     json_tokener_error_desc(err) : "trailing data after the document");
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static const char *jget_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static json_object *jget_array(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* ---- archives ---- */

static struct archive *new_reader(bool layer)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	/* gzip, zstd, xz...: whatever compression the tar is in */
	archive_read_support_filter_all(a);
	/*
	 * Tar only: the other formats libarchive knows are no image format,
	 * and one of them (mtree) would read files named in the input.  An
	 * empty layer may be an empty file.
	 */
	archive_read_support_format_tar(a);
	if (layer)
		archive_read_support_format_empty(a);
	return a;
}

static const char *arch_err(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s ? s : "read error";
}

/* Read up to @len bytes of the current entry; < 0 on error */
static la_ssize_t read_full(struct archive *a, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		la_ssize_t r = archive_read_data(a, buf + got, len - got);

		if (r < 0)
			return r;
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

/* "/" and the entry's normalized name */
static char *entry_path(struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	char *norm, *out;

	if (!name)
		name = archive_entry_pathname_utf8(e);
	norm = normalize(name ? name : "?");
	if (!norm || asprintf(&out, "/%s", norm) < 0)
		out = NULL;
	free(norm);
	return out;
}

/*
 * The current entry of @a, a regular file: scan it if it is ELF.
 * Returns -1 when the archive itself failed (reported), else 0.
 */
static int scan_entry(struct archive *a, struct archive_entry *e, const char *image,
		      const char *layer)
{
	struct where w = { .image = image, .layer = layer };
	char magic[MAGIC_LEN], *path = entry_path(e);
	int64_t size = archive_entry_size(e);
	la_ssize_t r;
	int ret = 0;

	w.file = path ? path : "?";
	r = read_full(a, magic, sizeof(magic));
	if (r < 0) {
		report_error(&w, "%s", arch_err(a));
		ret = -1;
		goto out;
	}
	if (!is_elf_magic(magic, r))
		goto out;
	if (!archive_entry_size_is_set(e) || size < 0) {
		report_error(&w, "archive entry without a size");
		goto out;
	}
	if ((uint64_t)size > MAX_MEMORY_ELF) {
		report_error(&w, "ELF file of %lld bytes not scanned: over the %llu MiB limit for files inside archives",
			     (long long)size, MAX_MEMORY_ELF >> 20);
		goto out;
	}
	if ((size_t)size + ELF_PAD > ecap) {
		char *nb = realloc(ebuf, size + ELF_PAD);

		if (!nb) {
			report_error(&w, "out of memory for %lld bytes", (long long)size);
			goto out;
		}
		ebuf = nb;
		ecap = size + ELF_PAD;
	}
	memcpy(ebuf, magic, r);
	r = read_full(a, ebuf + r, size - r);
	if (r < 0) {
		report_error(&w, "%s", arch_err(a));
		ret = -1;
		goto out;
	}
	if (r + MAGIC_LEN != size) {
		report_error(&w, "entry shorter than its header says");
		goto out;
	}
	memset(ebuf + size, 0, ELF_PAD);
	scan_elf(&w, ebuf, size);
out:
	free(path);
	return ret;
}

/* Scan every regular file of the root file system tar @a. */
static void scan_entries(struct archive *a, const char *image, const char *layer)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		/* a hard link's data came with the entry it links to */
		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
			continue;
		if (scan_entry(a, e, image, layer))
			return;
	}
	if (r != ARCHIVE_EOF)
		report_error(&(struct where){ .image = image, .layer = layer }, "%s", arch_err(a));
}

/* A layer read straight out of the entry of the outer tarball */
struct nested {
	struct archive *outer;
	bool outer_failed;
	char buf[BLOCK_SIZE];
};

static la_ssize_t nested_read(struct archive *inner, void *data, const void **out)
{
	struct nested *n = data;
	la_ssize_t r = archive_read_data(n->outer, n->buf, sizeof(n->buf));

	if (r < 0) {
		n->outer_failed = true;
		archive_set_error(inner, EIO, "%s", arch_err(n->outer));
		return -1;
	}
	*out = n->buf;
	return r;
}

/* Returns -1 if the outer tarball failed (reported), else 0 */
static int scan_nested_layer(struct archive *outer, const char *image, const char *label)
{
	struct nested *n = malloc(sizeof(*n));
	struct archive *in = new_reader(true);
	int ret = 0;

	if (!n || !in) {
		report_error(&(struct where){ .image = image, .layer = label }, "out of memory");
		goto out;
	}
	n->outer = outer;
	n->outer_failed = false;
	layer_begin(label);
	if (archive_read_open(in, n, NULL, nested_read, NULL) != ARCHIVE_OK)
		report_error(&(struct where){ .image = image, .layer = label }, "%s", arch_err(in));
	else
		scan_entries(in, image, label);
	layer_end();
	ret = n->outer_failed ? -1 : 0;
out:
	if (in)
		archive_read_free(in);
	free(n);
	return ret;
}

/* ---- tarballs ---- */

static struct kept *find_kept(const struct image *img, const char *name)
{
	struct kept *k;

	for (k = img->kept; k; k = k->next)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static struct kept *keep(struct image *img, const char *name, char *data, size_t len)
{
	struct kept *k = calloc(1, sizeof(*k));

	if (k)
		k->name = strdup(name);
	if (!k || !k->name) {
		free(k);
		free(data);
		return NULL;
	}
	k->data = data;
	k->len = len;
	k->next = img->kept;
	img->kept = k;
	img->kept_bytes += len;
	return k;
}

/*
 * Keep the entry @name of @a if it may be metadata: manifest.json,
 * index.json, or a blob that starts like a JSON object (layers never
 * do).  Returns -1 if the archive failed (reported).
 */
static int keep_entry(struct image *img, struct archive *a, struct archive_entry *e,
		      const char *name)
{
	struct where w = image_where(img, name);
	bool blob = !strncmp(name, "blobs/", 6);
	int64_t size = archive_entry_size(e);
	la_ssize_t r;
	char *data;

	if (size < 0 || size > MAX_META || img->kept_bytes + size > MAX_META_TOTAL) {
		/* large blobs are layers; a huge manifest is not one */
		if (!blob)
			report_error(&w, "too large for an image manifest (%lld bytes)", (long long)size);
		return 0;
	}
	data = malloc(size + 1);
	if (!data) {
		report_error(&w, "out of memory");
		return 0;
	}
	r = read_full(a, data, blob && size ? 1 : size);
	if (r >= 0 && blob && size) {
		if (data[0] != '{') {
			free(data);
			return 0;
		}
		r = read_full(a, data + 1, size - 1);
		r = r < 0 ? r : r + 1;
	}
	if (r < 0) {
		report_error(&w, "%s", arch_err(a));
		free(data);
		return -1;
	}
	data[r] = '\0';
	if (!keep(img, name, data, r))
		report_error(&w, "out of memory");
	return 0;
}

static void add_link(struct image *img, struct archive_entry *e, const char *name)
{
	const char *hard = archive_entry_hardlink(e);
	const char *target = hard ? hard : archive_entry_symlink(e);
	struct link *l;

	if (!target)
		return;
	l = calloc(1, sizeof(*l));
	if (l) {
		l->name = strdup(name);
		l->target = link_target(name, target, hard);
	}
	if (!l || !l->name || !l->target) {
		if (l) {
			free(l->name);
			free(l->target);
		}
		free(l);
		report_error(&(struct where){ .image = img->path }, "out of memory");
		return;
	}
	l->next = img->links;
	img->links = l;
}

static int slashes(const char *s)
{
	int n = 0;

	while ((s = strchr(s, '/'))) {
		n++;
		s++;
	}
	return n;
}

/* First pass: links and metadata.  Returns -1 if unreadable (reported). */
static int read_meta(struct image *img)
{
	struct where w = image_where(img, NULL);
	struct archive *a = new_reader(false);
	struct archive_entry *e;
	unsigned long entries = 0;
	int r, ret = -1;

	if (!a) {
		report_error(&w, "out of memory");
		return -1;
	}
	/* the first header tells whether this is a tar at all */
	if (archive_read_open_filename(a, img->path, BLOCK_SIZE) != ARCHIVE_OK) {
		report_error(&w, "neither an ELF file nor a tar archive (%s)", arch_err(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *pn = archive_entry_pathname(e);
		unsigned int type = archive_entry_filetype(e);
		char *name;

		entries++;
		if (!pn)
			pn = archive_entry_pathname_utf8(e);
		name = normalize(pn ? pn : "");
		if (!name) {
			report_error(&w, "out of memory");
			goto out;
		}
		/*
		 * Links matter only to find layers ("<id>/layer.tar" of a
		 * docker save may link to another): the links deeper down, in
		 * the root file system of a "docker export", are not kept.
		 */
		if ((archive_entry_hardlink(e) || type == AE_IFLNK) && slashes(name) <= 2)
			add_link(img, e, name);
		else if (type == AE_IFREG && !strcmp(name, "oci-layout"))
			img->oci_layout = true;
		else if (type == AE_IFREG && (!strcmp(name, "manifest.json") ||
					      !strcmp(name, "index.json") ||
					      !strncmp(name, "blobs/", 6)) &&
			 keep_entry(img, a, e, name)) {
			free(name);
			goto out;
		}
		free(name);
	}
	if (r != ARCHIVE_EOF) {
		if (!entries)
			report_error(&w, "neither an ELF file nor a tar archive (%s)", arch_err(a));
		else
			report_error(&w, "%s", arch_err(a));
		goto out;
	}
	ret = 0;
out:
	archive_read_free(a);
	return ret;
}

/* docker save: manifest.json, a list of images with their Layers */
static int docker_save_layers(struct image *img, const struct kept *k)
{
	struct where w = image_where(img, "manifest.json");
	json_object *doc = parse_json(img, "manifest.json", k->data, k->len);
	size_t i, j;

	if (!doc)
		return -1;
	if (!json_object_is_type(doc, json_type_array)) {
		report_error(&w, "not a docker save manifest (not a list of images)");
		json_object_put(doc);
		return -1;
	}
	for (i = 0; i < json_object_array_length(doc); i++) {
		json_object *im = json_object_array_get_idx(doc, i);
		json_object *tags = jget_array(im, "RepoTags");
		json_object *layers = jget_array(im, "Layers");

		for (j = 0; tags && j < json_object_array_length(tags); j++) {
			json_object *t = json_object_array_get_idx(tags, j);

			if (json_object_is_type(t, json_type_string))
				add_tag(img, json_object_get_string(t));
		}
		if (!layers) {
			report_error(&w, "image %zu has no Layers list", i + 1);
			continue;
		}
		for (j = 0; j < json_object_array_length(layers); j++) {
			json_object *l = json_object_array_get_idx(layers, j);
			char *name;

			if (!json_object_is_type(l, json_type_string)) {
				report_error(&w, "image %zu: layer %zu is not a path", i + 1, j + 1);
				continue;
			}
			name = resolve(img, json_object_get_string(l));
			if (name)
				add_layer(img, name, NULL);
		}
	}
	json_object_put(doc);
	return 0;
}

/* ---- OCI ---- */

/*
 * Open @rel (components without "..", from digest_path()) under @dirfd,
 * following no symlink on the way: nothing outside the layout is read.
 */
static int open_beneath(int dirfd, const char *rel)
{
	char buf[PATH_MAX], *comp, *save = NULL;
	int fd = dirfd;

	snprintf(buf, sizeof(buf), "%s", rel);
	for (comp = strtok_r(buf, "/", &save); comp; ) {
		char *next = strtok_r(NULL, "/", &save);
		int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (next ? O_DIRECTORY : O_NONBLOCK);
		int nfd = openat(fd, comp, flags), err = errno;

		if (fd != dirfd)
			close(fd);
		if (nfd < 0) {
			errno = err;
			return -1;
		}
		fd = nfd;
		comp = next;
	}
	return fd == dirfd ? -1 : fd;
}

/* A small file of the OCI layout directory, kept */
static struct kept *read_layout_file(struct image *img, const char *rel)
{
	struct where w = image_where(img, rel);
	struct kept *k = NULL;
	struct stat st;
	char *data = NULL;
	size_t got = 0;
	int fd = open_beneath(img->dirfd, rel);

	if (fd < 0) {
		report_error(&w, "%s", errno == ENOENT ? "missing" : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		report_error(&w, "not a regular file");
		goto out;
	}
	if (st.st_size > MAX_META || img->kept_bytes + st.st_size > MAX_META_TOTAL) {
		report_error(&w, "too large for an image manifest (%lld bytes)", (long long)st.st_size);
		goto out;
	}
	data = malloc(st.st_size + 1);
	if (!data) {
		report_error(&w, "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, data + got, st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			report_error(&w, "read error: %s", r ? strerror(errno) : "file shrank");
			free(data);
			goto out;
		}
		got += r;
	}
	data[got] = '\0';
	k = keep(img, rel, data, got);
	if (!k)
		report_error(&w, "out of memory");
out:
	close(fd);
	return k;
}

/* The blob @digest of the layout or of the OCI archive, or NULL (reported) */
static struct kept *get_blob(struct image *img, const char *digest, const char *from)
{
	char path[PATH_MAX];
	struct kept *k;

	if (!digest_path(digest, path, sizeof(path))) {
		report_error(&(struct where){ .image = img->path, .file = from },
			     "bad digest \"%s\"", digest ? digest : "(none)");
		return NULL;
	}
	k = find_kept(img, path);
	if (k || img->dirfd >= 0)
		return k ? k : read_layout_file(img, path);
	report_error(&(struct where){ .image = img->path, .file = from },
		     "blob %s is missing from the archive", digest);
	return NULL;
}

/* Whether @digest was met before; records it if not */
static bool seen(struct image *img, const char *digest)
{
	struct link *l;

	if (!digest)
		return false;
	for (l = img->seen; l; l = l->next)
		if (!strcmp(l->name, digest))
			return true;
	l = calloc(1, sizeof(*l));
	if (l)
		l->name = strdup(digest);
	if (l && l->name) {
		l->next = img->seen;
		img->seen = l;
	} else {
		free(l);
	}
	return false;
}

/*
 * An image index (its "manifests") or an image manifest (its "layers"),
 * @name for messages: add the layers it leads to.  Manifests for another
 * platform than amd64 (attestations say "unknown") are skipped: their
 * programs cannot run on x86_64.
 */
static void oci_collect(struct image *img, json_object *doc, const char *name, int depth)
{
	struct where w = image_where(img, name);
	json_object *arr;
	size_t i;

	if (depth > MAX_INDEX_DEPTH) {
		report_error(&w, "image indexes nested too deep");
		return;
	}
	arr = jget_array(doc, "manifests");
	if (arr) {
		for (i = 0; i < json_object_array_length(arr); i++) {
			json_object *m = json_object_array_get_idx(arr, i), *plat, *child, *ann;
			const char *digest = jget_str(m, "digest");
			struct kept *k;

			if (json_object_object_get_ex(m, "platform", &plat)) {
				const char *arch = jget_str(plat, "architecture");

				if (arch && strcmp(arch, "amd64"))
					continue;
			}
			if (depth == 0 && json_object_object_get_ex(m, "annotations", &ann)) {
				const char *ref = jget_str(ann, "io.containerd.image.name");

				if (!ref)
					ref = jget_str(ann, "org.opencontainers.image.ref.name");
				if (ref)
					add_tag(img, ref);
			}
			/* each once: an index that lists itself must not loop */
			if (seen(img, digest))
				continue;
			k = get_blob(img, digest, name);
			if (!k)
				continue;
			child = parse_json(img, digest, k->data, k->len);
			if (child)
				oci_collect(img, child, digest, depth + 1);
			json_object_put(child);
		}
		return;
	}
	arr = jget_array(doc, "layers");
	if (!arr) {
		report_error(&w, "neither an image index nor an image manifest");
		return;
	}
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object *l = json_object_array_get_idx(arr, i);
		const char *digest = jget_str(l, "digest"), *type = jget_str(l, "mediaType");
		char path[PATH_MAX], *p;

		/* not a file system layer (an attestation, a signature...) */
		if (type && !strstr(type, "tar"))
			continue;
		if (!digest_path(digest, path, sizeof(path))) {
			report_error(&w, "bad layer digest \"%s\"", digest ? digest : "(none)");
			continue;
		}
		p = strdup(path);
		if (p)
			add_layer(img, p, digest);
	}
}

static void oci_layers(struct image *img, const struct kept *index)
{
	json_object *doc = parse_json(img, "index.json", index->data, index->len);

	if (!doc)
		return;
	oci_collect(img, doc, "index.json", 0);
	json_object_put(doc);
}

/* ---- entry points ---- */

/* Second pass over a tarball: each layer named by the metadata */
static void scan_tar_layers(struct image *img)
{
	struct where w = image_where(img, NULL);
	struct archive *a = new_reader(false);
	struct archive_entry *e;
	struct layer *l;
	int r;

	if (!img->layers)
		goto out;
	if (!a || archive_read_open_filename(a, img->path, BLOCK_SIZE) != ARCHIVE_OK) {
		report_error(&w, "%s", a ? arch_err(a) : "out of memory");
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *pn = archive_entry_pathname(e);
		char *name;

		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) || !pn)
			continue;
		name = normalize(pn);
		for (l = img->layers; name && l; l = l->next)
			if (!l->done && !strcmp(l->name, name))
				break;
		free(name);
		if (!l)
			continue;
		l->done = true;
		if (scan_nested_layer(a, img->path, l->label))
			goto out;
	}
	if (r != ARCHIVE_EOF) {
		report_error(&w, "%s", arch_err(a));
		goto out;
	}
	for (l = img->layers; l; l = l->next)
		if (!l->done)
			report_error(&(struct where){ .image = img->path, .file = img->meta },
				     "layer %s is not in the archive", l->name);
out:
	if (a)
		archive_read_free(a);
}

static void scan_rootfs_tar(struct image *img)
{
	struct archive *a = new_reader(false);

	if (!a || archive_read_open_filename(a, img->path, BLOCK_SIZE) != ARCHIVE_OK)
		report_error(&(struct where){ .image = img->path }, "%s",
			     a ? arch_err(a) : "out of memory");
	else
		scan_entries(a, img->path, NULL);
	if (a)
		archive_read_free(a);
}

void scan_tarball(const char *path)
{
	struct image img = { .path = path, .dirfd = -1 };
	struct kept *k;

	img.tail = &img.layers;
	if (read_meta(&img))
		goto out;
	k = find_kept(&img, "manifest.json");
	if (k) {
		img.meta = "manifest.json";
		set_image("docker save", NULL);
		if (!docker_save_layers(&img, k)) {
			set_image("docker save", img.tags);
			scan_tar_layers(&img);
		}
	} else if (img.oci_layout && find_kept(&img, "index.json")) {
		img.meta = "index.json";
		oci_layers(&img, find_kept(&img, "index.json"));
		set_image("OCI archive", img.tags);
		scan_tar_layers(&img);
	} else {
		/* no image metadata: the tar of a root file system */
		set_image("docker export", NULL);
		scan_rootfs_tar(&img);
	}
out:
	free_image(&img);
}

bool is_oci_dir(int dirfd)
{
	struct stat st;

	return !fstatat(dirfd, "oci-layout", &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode) &&
	       !fstatat(dirfd, "index.json", &st, AT_SYMLINK_NOFOLLOW);
}

void scan_oci_dir(const char *path, int dirfd)
{
	struct image img = { .path = path, .dirfd = dirfd, .meta = "index.json" };
	struct layer *l;
	struct kept *k;

	img.tail = &img.layers;
	k = read_layout_file(&img, "index.json");
	if (k)
		oci_layers(&img, k);
	set_image("OCI layout", img.tags);
	for (l = img.layers; k && l; l = l->next) {
		struct where w = { .image = path, .layer = l->label };
		int fd = open_beneath(dirfd, l->name);
		struct archive *a = NULL;

		layer_begin(l->label);
		if (fd < 0)
			report_error(&w, "layer blob %s", errno == ENOENT ? "missing" : strerror(errno));
		else
			a = new_reader(true);
		if (fd >= 0 && !a) {
			report_error(&w, "out of memory");
		} else if (a) {
			if (archive_read_open_fd(a, fd, BLOCK_SIZE) != ARCHIVE_OK)
				report_error(&w, "%s", arch_err(a));
			else
				scan_entries(a, path, l->label);
			archive_read_free(a);
		}
		if (fd >= 0)
			close(fd);
		layer_end();
	}
	free_image(&img);
}
