// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall-scan: find the programs that still need the vsyscall page.
 *
 *   vsyscall-scan [--json] [--quiet] PATH...
 *   vsyscall-scan [--json] [--quiet] --running
 *
 * Each PATH is an ELF file, a directory (walked without following
 * symlinks), a "docker save" or "docker export" tarball, an OCI image
 * layout, or an OCI layout packed in a tar.  Every x86_64 executable and
 * shared object in it is searched for code that calls the vsyscall page
 * at 0xffffffffff600000 and for pointers to it (scan-elf.c says which
 * patterns and why); each place found is printed, then one verdict line
 * per PATH.
 *
 * --running lists the live processes whose /proc/PID/status counts
 * emulated or refused vsyscalls, on a kernel with the vsyscall series.
 *
 * Exit status: 0 nothing found, 1 something found, 2 an error (a file or
 * archive could not be read; the scan goes on with the rest) or bad
 * usage.  An error wins over a finding.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <limits.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "vsyscall-scan.h"

#define EXIT_FOUND	1
#define EXIT_TROUBLE	2

/* Files smaller than this are read, larger ones mapped */
#define READ_LIMIT	(64 * 1024)
/* Directory levels below a PATH; each holds a file descriptor open */
#define MAX_DEPTH	256

static const char *prog = "vsyscall-scan";
static bool opt_json, opt_quiet;

struct counts {
	unsigned long elf_files;	/* ELF files read through */
	unsigned long flagged;		/* of which with findings */
	unsigned long findings;
	unsigned long errors;
};

/* The PATH being scanned, and the layer inside it */
static struct {
	const char *path;
	const char *type;		/* "directory", "docker save", ... */
	char *tags;			/* image names, for the verdict */
	bool image;
	struct counts c, layer;
	unsigned long layers;
	bool in_layer;
	json_object *j, *jfindings, *jerrors, *jlayers, *jlayer;
} cur;

static struct counts total;
static unsigned long paths_flagged;
static json_object *jroot, *jpaths;

/* ---- JSON ---- */

/*
 * A JSON string from bytes that may not be UTF-8 (file names are any
 * bytes): each byte of an invalid sequence becomes U+FFFD, so that the
 * document stays valid.  json-c escapes quotes and control characters.
 */
static json_object *jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, o = 0;
	json_object *j;
	char *out;

	out = malloc(3 * len + 1);
	if (!out)
		return NULL;
	while (i < len) {
		unsigned char c = p[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 :
			   (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		size_t k;
		bool ok = n && i + n <= len;

		for (k = 1; ok && k < n; k++)
			ok = (p[i + k] & 0xc0) == 0x80;
		/* overlong forms, surrogates and past U+10FFFF are invalid too */
		if (ok && n == 2)
			ok = c >= 0xc2;
		if (ok && n == 3)
			ok = !(c == 0xe0 && p[i + 1] < 0xa0) && !(c == 0xed && p[i + 1] >= 0xa0);
		if (ok && n == 4)
			ok = !(c == 0xf0 && p[i + 1] < 0x90) && c <= 0xf4 &&
			     !(c == 0xf4 && p[i + 1] >= 0x90);
		if (ok) {
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	j = json_object_new_string_len(out, o);
	free(out);
	return j;
}

static json_object *jhex(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

static void jadd(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/* "a:1, b:2" as ["a:1", "b:2"]: image names hold no comma */
static json_object *jtags(const char *tags)
{
	json_object *a = json_object_new_array();
	const char *p = tags;

	while (*p) {
		size_t n = strcspn(p, ",");
		char *t = strndup(p, n);

		if (t)
			json_object_array_add(a, jstr(t));
		free(t);
		p += n;
		p += strspn(p, ", ");
	}
	return a;
}

/* The counts of @c as keys of @o */
static void jcounts(json_object *o, const struct counts *c)
{
	jadd(o, "elf_files", json_object_new_uint64(c->elf_files));
	jadd(o, "elf_files_with_findings", json_object_new_uint64(c->flagged));
	jadd(o, "references", json_object_new_uint64(c->findings));
	jadd(o, "errors", json_object_new_uint64(c->errors));
}

static void json_where(json_object *o, const struct where *w)
{
	if (w->layer)
		jadd(o, "layer", jstr(w->layer));
	if (w->file)
		jadd(o, "file", jstr(w->file));
}

/* ---- reports ---- */

static void print_where(FILE *out, const struct where *w)
{
	const char *sep = "";

	if (w->image) {
		fputs(w->image, out);
		sep = ": ";
	}
	if (w->layer) {
		fprintf(out, "%slayer %s", sep, w->layer);
		sep = ": ";
	}
	if (w->file)
		fprintf(out, "%s%s", sep, w->file);
}

void report_error(const struct where *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	fprintf(stderr, "%s: ", prog);
	print_where(stderr, w);
	fprintf(stderr, ": %s\n", msg);

	cur.c.errors++;
	if (cur.in_layer)
		cur.layer.errors++;
	if (opt_json) {
		json_object *o = json_object_new_object();

		json_where(o, w);
		jadd(o, "message", jstr(msg));
		json_object_array_add(cur.jerrors, o);
	}
}

static const char *entry_name(uint64_t target, char *buf, size_t len)
{
	switch (target - VSYS_PAGE) {
	case 0x000:
		return "gettimeofday";
	case 0x400:
		return "time";
	case 0x800:
		return "getcpu";
	}
	snprintf(buf, len, "page+0x%03x", (unsigned int)((target - VSYS_PAGE) & (VSYS_PAGE_SIZE - 1)));
	return buf;
}

/* One ELF file read through, with its @n findings (sorted) */
void report_file(const struct where *w, const struct finding *f, size_t n)
{
	size_t i;

	cur.c.elf_files++;
	cur.c.flagged += n > 0;
	cur.c.findings += n;
	if (cur.in_layer) {
		cur.layer.elf_files++;
		cur.layer.flagged += n > 0;
		cur.layer.findings += n;
	}
	for (i = 0; i < n; i++) {
		char buf[16];
		const char *entry = entry_name(f[i].target, buf, sizeof(buf));

		if (opt_json) {
			json_object *o = json_object_new_object();

			json_where(o, w);
			jadd(o, "offset", json_object_new_uint64(f[i].offset));
			jadd(o, "vaddr", jhex(f[i].vaddr));
			jadd(o, "target", jhex(f[i].target));
			jadd(o, "entry", json_object_new_string(entry));
			jadd(o, "pattern", json_object_new_string(f[i].pattern));
			json_object_array_add(cur.jfindings, o);
		} else if (!opt_quiet) {
			print_where(stdout, w);
			printf(": offset 0x%llx vaddr 0x%llx: %s %s\n",
			       (unsigned long long)f[i].offset, (unsigned long long)f[i].vaddr,
			       entry, f[i].pattern);
		}
	}
}

void layer_begin(const char *name)
{
	memset(&cur.layer, 0, sizeof(cur.layer));
	cur.in_layer = true;
	cur.layers++;
	if (opt_json) {
		cur.jlayer = json_object_new_object();
		jadd(cur.jlayer, "layer", jstr(name));
	}
}

void layer_end(void)
{
	cur.in_layer = false;
	if (opt_json) {
		jcounts(cur.jlayer, &cur.layer);
		json_object_array_add(cur.jlayers, cur.jlayer);
		cur.jlayer = NULL;
	}
}

void set_image(const char *type, const char *tags)
{
	cur.type = type;
	cur.image = true;
	free(cur.tags);
	cur.tags = tags ? strdup(tags) : NULL;
}

static void path_begin(const char *path)
{
	memset(&cur, 0, sizeof(cur));
	cur.path = path;
	if (opt_json) {
		cur.j = json_object_new_object();
		cur.jfindings = json_object_new_array();
		cur.jerrors = json_object_new_array();
		cur.jlayers = json_object_new_array();
	}
}

static void plural(FILE *out, unsigned long n, const char *what)
{
	fprintf(out, "%lu %s%s", n, what, n == 1 ? "" : "s");
}

/* "N references in M of T ELF files" or "no vsyscall use found in T ELF files" */
static void print_counts(const struct counts *c)
{
	if (c->findings) {
		plural(stdout, c->findings, "reference");
		printf(" in %lu of ", c->flagged);
		plural(stdout, c->elf_files, "ELF file");
		printf(": needs the vsyscall page");
	} else {
		printf("no vsyscall use found in ");
		plural(stdout, c->elf_files, "ELF file");
	}
	if (c->errors) {
		printf("; ");
		plural(stdout, c->errors, "error");
		printf(", scan incomplete");
	}
}

static void path_end(void)
{
	total.elf_files += cur.c.elf_files;
	total.flagged += cur.c.flagged;
	total.findings += cur.c.findings;
	total.errors += cur.c.errors;
	paths_flagged += cur.c.findings > 0;

	if (opt_json) {
		jadd(cur.j, "path", jstr(cur.path));
		jadd(cur.j, "type", cur.type ? json_object_new_string(cur.type) : NULL);
		if (cur.tags)
			jadd(cur.j, "images", jtags(cur.tags));
		jcounts(cur.j, &cur.c);
		jadd(cur.j, "verdict", json_object_new_string(
			cur.c.findings ? "needs the vsyscall page" : "no vsyscall use found"));
		if (cur.layers)
			jadd(cur.j, "layers", cur.jlayers);
		else
			json_object_put(cur.jlayers);
		jadd(cur.j, "findings", cur.jfindings);
		jadd(cur.j, "error_messages", cur.jerrors);
		json_object_array_add(jpaths, cur.j);
	} else {
		printf("%s", cur.path);
		if (cur.image) {
			printf(" (%s", cur.type);
			if (cur.tags)
				printf(" of %s", cur.tags);
			if (cur.layers) {
				printf(", ");
				plural(stdout, cur.layers, "layer");
			}
			printf(")");
		}
		printf(": ");
		print_counts(&cur.c);
		printf("\n");
	}
	free(cur.tags);
}

/* ---- files and directories ---- */

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;

/*
 * A mapped file that shrinks under the scan faults with SIGBUS; that
 * file is then reported, not the scanner killed.  libelf's state for it
 * is abandoned (a small leak, for a rare race).
 */
static void on_sigbus(int sig)
{
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void scan_mapped(const struct where *w, int fd, size_t size)
{
	/* private and writable: libelf may convert data in place */
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	if (map == MAP_FAILED) {
		report_error(w, "cannot map: %s", strerror(errno));
		return;
	}
	if (sigsetjmp(bus_jmp, 1)) {
		bus_armed = 0;
		report_error(w, "the file shrank while it was being read");
	} else {
		bus_armed = 1;
		scan_elf(w, map, size);
		bus_armed = 0;
	}
	munmap(map, size);
}

static void scan_read(const struct where *w, int fd, size_t size)
{
	char *buf = calloc(1, size + ELF_PAD);
	size_t got = 0;

	if (!buf) {
		report_error(w, "out of memory");
		return;
	}
	while (got < size) {
		ssize_t r = pread(fd, buf + got, size - got, got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			report_error(w, "read error: %s", r ? strerror(errno) : "file shrank");
			free(buf);
			return;
		}
		got += r;
	}
	scan_elf(w, buf, size);
	free(buf);
}

/*
 * Scan the open file @fd if it is a regular file that starts with the
 * ELF magic.  @named: the user named this file, so that it must be ELF.
 */
static void scan_fd(const struct where *w, int fd, bool named)
{
	unsigned char magic[MAGIC_LEN];
	struct stat st;
	ssize_t r;

	if (fstat(fd, &st)) {
		report_error(w, "%s", strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode))
		return;
	do
		r = pread(fd, magic, sizeof(magic), 0);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		report_error(w, "read error: %s", strerror(errno));
		return;
	}
	if (!is_elf_magic(magic, r)) {
		if (named)
			report_error(w, "not an ELF file");
		return;
	}
	if (st.st_size < READ_LIMIT)
		scan_read(w, fd, st.st_size);
	else
		scan_mapped(w, fd, st.st_size);
}

struct dent {
	char *name;
	unsigned char type;
};

static int cmp_dent(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->name, ((const struct dent *)b)->name);
}

/* The names in directory @fd, sorted so that the output is stable */
static struct dent *list_dir(int fd, size_t *n, const struct where *w)
{
	struct dent *v = NULL, *nv;
	size_t cap = 0;
	struct dirent *de;
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;

	*n = 0;
	if (!d) {
		report_error(w, "cannot read directory: %s", strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return NULL;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[*n].name = strdup(de->d_name);
		if (!v[*n].name)
			break;
		v[(*n)++].type = de->d_type;
		errno = 0;
	}
	if (errno)
		report_error(w, "cannot read directory: %s", strerror(errno));
	closedir(d);
	if (v && *n)
		qsort(v, *n, sizeof(*v), cmp_dent);
	return v;
}

/*
 * Pseudo file systems hold no programs, and reading their files can have
 * effects (or block); a walk does not enter them.
 */
static bool pseudo_fs(int fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs))
		return false;
	switch (sfs.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case BPF_FS_MAGIC:
	case PSTOREFS_MAGIC:
	case EFIVARFS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
		return true;
	}
	return false;
}

/*
 * Walk directory @fd, whose path is @path.  Everything is opened relative
 * to its parent with O_NOFOLLOW, so that a symlink, even one swapped in
 * during the walk, is never followed out of the tree.
 */
static void walk(int fd, char *path, size_t plen, int depth)
{
	struct where w = { .file = path };
	struct dent *v;
	size_t n, i;

	if (depth > MAX_DEPTH) {
		report_error(&w, "more than %d directory levels deep, not entered", MAX_DEPTH);
		return;
	}
	v = list_dir(fd, &n, &w);
	for (i = 0; i < n; i++) {
		size_t nlen = strlen(v[i].name);
		unsigned char type = v[i].type;
		int cfd;

		if (plen + 1 + nlen >= PATH_MAX) {
			report_error(&w, "path of %s too long", v[i].name);
			continue;
		}
		path[plen] = '/';
		memcpy(path + plen + 1, v[i].name, nlen + 1);
		if (plen == 1 && path[0] == '/')	/* PATH "/" */
			memmove(path + 1, path + 2, nlen + 1);

		if (type == DT_UNKNOWN) {
			struct stat st;

			if (fstatat(fd, v[i].name, &st, AT_SYMLINK_NOFOLLOW))
				type = DT_UNKNOWN;
			else if (S_ISDIR(st.st_mode))
				type = DT_DIR;
			else if (S_ISREG(st.st_mode))
				type = DT_REG;
		}
		if (type == DT_DIR) {
			cfd = openat(fd, v[i].name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0) {
				/* gone, or replaced by something else */
				if (errno != ENOENT && errno != ELOOP && errno != ENOTDIR)
					report_error(&w, "%s", strerror(errno));
			} else {
				if (!pseudo_fs(cfd))
					walk(cfd, path, strlen(path), depth + 1);
				close(cfd);
			}
		} else if (type == DT_REG) {
			/* O_NONBLOCK: a FIFO swapped in must not hang the walk */
			cfd = openat(fd, v[i].name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (cfd < 0) {
				if (errno != ENOENT && errno != ELOOP)
					report_error(&w, "%s", strerror(errno));
			} else {
				scan_fd(&w, cfd, false);
				close(cfd);
			}
		}
		path[plen] = '\0';
		free(v[i].name);
	}
	free(v);
}

static void scan_dir(const char *path, int fd)
{
	char *buf;

	if (is_oci_dir(fd)) {
		scan_oci_dir(path, fd);
		return;
	}
	cur.type = "directory";
	buf = malloc(PATH_MAX);
	if (!buf) {
		report_error(&(struct where){ .file = path }, "out of memory");
		return;
	}
	snprintf(buf, PATH_MAX, "%s", path);
	/* "dir/" and "dir" print their files alike */
	while (strlen(buf) > 1 && buf[strlen(buf) - 1] == '/')
		buf[strlen(buf) - 1] = '\0';
	walk(fd, buf, strlen(buf), 0);
	free(buf);
}

/* A PATH from the command line; a symlink given there is followed. */
static void scan_path(const char *path)
{
	struct where w = { .file = path };
	unsigned char magic[MAGIC_LEN];
	struct stat st;
	ssize_t r;
	int fd;

	path_begin(path);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		report_error(&w, "%s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		scan_dir(path, fd);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		report_error(&w, "neither a regular file nor a directory");
		goto out;
	}
	do
		r = pread(fd, magic, sizeof(magic), 0);
	while (r < 0 && errno == EINTR);
	if (r >= 0 && is_elf_magic(magic, r)) {
		cur.type = "ELF file";
		scan_fd(&w, fd, true);
	} else {
		/* not ELF: a tarball, or libarchive says what is wrong */
		scan_tarball(path);
	}
out:
	if (fd >= 0)
		close(fd);
	path_end();
}

/* ---- --running ---- */

struct proc_row {
	long pid;
	char comm[64], policy[32], locked[16];
	unsigned long long emulated, refused;
};

static int cmp_row(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Copy the value of "Key:\tvalue\n" (without the newline) */
static void field(const char *line, char *out, size_t len)
{
	line += strspn(line, " \t");
	snprintf(out, len, "%.*s", (int)strcspn(line, "\n"), line);
}

/*
 * Read /proc/@pid/status into @row.  Returns 1 if the kernel reports the
 * counts there, 0 if not, -1 if the process is gone.
 */
static int read_status(const char *pid, struct proc_row *row)
{
	char path[32 + sizeof(((struct dirent *)0)->d_name)], line[512];
	int have = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	memset(row, 0, sizeof(*row));
	row->pid = strtol(pid, NULL, 10);
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(line, "Name")) {
			field(v, row->comm, sizeof(row->comm));
		} else if (!strcmp(line, "Vsyscall_policy")) {
			field(v, row->policy, sizeof(row->policy));
		} else if (!strcmp(line, "Vsyscall_policy_locked")) {
			field(v, row->locked, sizeof(row->locked));
		} else if (!strcmp(line, "Vsyscall_emulated")) {
			row->emulated = strtoull(v, NULL, 10);
			have = 1;
		} else if (!strcmp(line, "Vsyscall_refused")) {
			row->refused = strtoull(v, NULL, 10);
			have = 1;
		}
	}
	/* a process that exits while its status is read fails the read */
	if (ferror(f))
		have = -1;
	fclose(f);
	return have;
}

static int running(void)
{
	struct proc_row *rows = NULL, *nrows, row;
	size_t n = 0, cap = 0, i;
	bool reported = false;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d) {
		fprintf(stderr, "%s: /proc: %s\n", prog, strerror(errno));
		return EXIT_TROUBLE;
	}
	while ((de = readdir(d))) {
		int r;

		if (!isdigit((unsigned char)de->d_name[0]) ||
		    de->d_name[strspn(de->d_name, "0123456789")])
			continue;
		r = read_status(de->d_name, &row);
		if (r < 0)
			continue;
		reported |= r;
		if (!row.emulated && !row.refused)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			nrows = realloc(rows, cap * sizeof(*rows));
			if (!nrows) {
				fprintf(stderr, "%s: out of memory\n", prog);
				closedir(d);
				free(rows);
				return EXIT_TROUBLE;
			}
			rows = nrows;
		}
		rows[n++] = row;
	}
	closedir(d);
	if (!reported) {
		fprintf(stderr, "%s: this kernel does not report per-process vsyscall counts (no Vsyscall_emulated or Vsyscall_refused in /proc/PID/status; it lacks the vsyscall series' audit)\n",
			prog);
		free(rows);
		return EXIT_TROUBLE;
	}
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_row);

	if (opt_json) {
		json_object *root = json_object_new_object(), *arr = json_object_new_array();

		for (i = 0; i < n; i++) {
			json_object *o = json_object_new_object();

			jadd(o, "pid", json_object_new_int64(rows[i].pid));
			jadd(o, "comm", jstr(rows[i].comm));
			jadd(o, "policy", jstr(rows[i].policy));
			jadd(o, "locked", jstr(rows[i].locked));
			jadd(o, "emulated", json_object_new_uint64(rows[i].emulated));
			jadd(o, "refused", json_object_new_uint64(rows[i].refused));
			json_object_array_add(arr, o);
		}
		jadd(root, "processes", arr);
		printf("%s\n", json_object_to_json_string_ext(root,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else {
		if (!opt_quiet && n) {
			printf("%7s %-16s %-8s %-6s %10s %10s\n",
			       "PID", "COMM", "POLICY", "LOCKED", "EMULATED", "REFUSED");
			for (i = 0; i < n; i++)
				printf("%7ld %-16s %-8s %-6s %10llu %10llu\n", rows[i].pid,
				       rows[i].comm, rows[i].policy, rows[i].locked,
				       rows[i].emulated, rows[i].refused);
		}
		if (n)
			printf("%zu process%s used the vsyscall page\n", n, n == 1 ? "" : "es");
		else
			printf("no process has used the vsyscall page\n");
	}
	free(rows);
	return n ? EXIT_FOUND : 0;
}

/* ---- main ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [--json] [--quiet] PATH...\n"
		"       %s [--json] [--quiet] --running\n"
		"\n"
		"Find x86_64 programs that call or point into the vsyscall page.\n"
		"PATH: an ELF file, a directory, a docker save or docker export\n"
		"tarball, an OCI image layout, or an OCI layout in a tar.\n"
		"\n"
		"  -j, --json     one JSON document on standard output\n"
		"  -q, --quiet    only the verdict lines (errors still on stderr)\n"
		"  -r, --running  list processes that used the page (kernel counts)\n"
		"  -h, --help     print this help\n"
		"\n"
		"Exit status: 0 nothing found, 1 found, 2 error or bad usage.\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "quiet",	no_argument,	NULL, 'q' },
		{ "running",	no_argument,	NULL, 'r' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool opt_running = false;
	int c, i;

	if (argv[0] && strrchr(argv[0], '/'))
		prog = strrchr(argv[0], '/') + 1;
	else if (argv[0])
		prog = argv[0];
	/* libarchive converts entry names through the locale's charset */
	setlocale(LC_CTYPE, "");

	while ((c = getopt_long(argc, argv, "jqrh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt_json = true;
			break;
		case 'q':
			opt_quiet = true;
			break;
		case 'r':
			opt_running = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_TROUBLE;
		}
	}
	if (opt_running && optind < argc) {
		fprintf(stderr, "%s: --running takes no PATH\nTry '%s --help'.\n", prog, prog);
		return EXIT_TROUBLE;
	}
	if (opt_running)
		return running();
	if (optind >= argc) {
		fprintf(stderr, "%s: no PATH given\nTry '%s --help'.\n", prog, prog);
		return EXIT_TROUBLE;
	}

	elf_setup();
	signal(SIGBUS, on_sigbus);
	if (opt_json) {
		jroot = json_object_new_object();
		jpaths = json_object_new_array();
	}
	for (i = optind; i < argc; i++)
		scan_path(argv[i]);

	if (opt_json) {
		jadd(jroot, "paths", jpaths);
		jcounts(jroot, &total);
		jadd(jroot, "exit_status", json_object_new_int(
			total.errors ? EXIT_TROUBLE : total.findings ? EXIT_FOUND : 0));
		printf("%s\n", json_object_to_json_string_ext(jroot,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(jroot);
	} else if (argc - optind > 1) {
		printf("total, %d paths: ", argc - optind);
		if (total.findings)
			printf("%lu of them need the vsyscall page, ", paths_flagged);
		print_counts(&total);
		printf("\n");
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error on standard output\n", prog);
		return EXIT_TROUBLE;
	}
	return total.errors ? EXIT_TROUBLE : total.findings ? EXIT_FOUND : 0;
}
