// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_xproc: the vsyscall page as other processes see it.
 *
 * - Views: a process at one policy starts a child that sets another and
 *   waits.  The child's /proc/PID/maps [vsyscall] line, its
 *   /proc/PID/status Vsyscall_policy lines and process_vm_readv() of its
 *   page, all read from the parent, follow the CHILD's row of the table in
 *   vsyscall_expect.h, for every pair of policies the boot mode accepts.
 * - Writes: PTRACE_POKEDATA, process_vm_writev() and write(2) on
 *   /proc/PID/mem at the time() entry fail in every mode and policy
 *   (native too), a store from the process itself is SIGSEGV, and the
 *   page's bytes are unchanged afterwards where they can be read.
 * - Shared address spaces: a PR_SET_VSYSCALL made by a clone(CLONE_VM)
 *   child (not a thread) or a vfork() child is the parent's policy too.
 *
 * Told the boot mode by EXPECT_MODE; runs as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vsyscall_policy.h>

#include "vsyscall_expect.h"
#include "vsyscall_probe.h"
#include "vsyscall_load_module.h"

#define PAGE 4096

static struct vsys_expect expect;

static const struct vsys_view *view_of(int policy)
{
	return &vsys_table[expect.mode][policy];
}

/* The policies this boot mode accepts, in table order */
static int settable[VSYS_N_POLICIES], n_settable;

/* ---- looking at another process -------------------------------------- */

/* perms of @pid's [vsyscall] line in /proc/PID/maps, "" when none */
static void proc_maps_perms(pid_t pid, char *perms, size_t len)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	snprintf(perms, len, "%s", f ? "" : "unreadable");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		char p[8];

		if (!strstr(line, "[vsyscall]"))
			continue;
		if (sscanf(line, "%llx-%llx %7s", &start, &end, p) != 3)
			snprintf(perms, len, "unparsable");
		else if (start != VSYSCALL_ADDR || end != VSYSCALL_ADDR + PAGE)
			snprintf(perms, len, "at %llx-%llx", start, end);
		else
			snprintf(perms, len, "%s", p);
	}
	fclose(f);
}

/* Vsyscall_policy and Vsyscall_policy_locked of /proc/PID/status */
static void proc_status(pid_t pid, char *policy, size_t len, int *locked)
{
	char path[64], line[256], name[32];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	snprintf(policy, len, "missing");
	*locked = -1;
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Vsyscall_policy: %31s", name) == 1)
			snprintf(policy, len, "%s", name);
		else
			sscanf(line, "Vsyscall_policy_locked: %d", locked);
	}
	fclose(f);
}

/* process_vm_readv() of @pid's whole page: bytes read, or -errno */
static long remote_read(pid_t pid, unsigned char *buf)
{
	struct iovec local = { buf, PAGE };
	struct iovec remote = { (void *)VSYSCALL_ADDR, PAGE };
	ssize_t r = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	return r < 0 ? -errno : r;
}

/* The page's own bytes: "mov $nr,%rax; syscall; ret" at each entry */
static bool page_is_vsyscall(const unsigned char *page, char *why, size_t len)
{
	static const struct { unsigned int off, nr; } entry[] = {
		{ 0x000, 96 },	/* gettimeofday */
		{ 0x400, 201 },	/* time */
		{ 0x800, 309 },	/* getcpu */
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		const unsigned char want[] = { 0x48, 0xc7, 0xc0, entry[i].nr & 0xff, entry[i].nr >> 8,
					       0, 0, 0x0f, 0x05, 0xc3 };

		if (memcmp(page + entry[i].off, want, sizeof(want))) {
			snprintf(why, len, "bytes at +%#x are not mov $%u,%%rax; syscall; ret",
				 entry[i].off, entry[i].nr);
			return false;
		}
	}
	return true;
}

/* Copy the page from this process's own view; 0, or the signal */
static int read_own_page(unsigned char *buf)
{
	volatile unsigned char *src = (volatile unsigned char *)VSYSCALL_ADDR;

	return CAPTURE({
		int i;

		for (i = 0; i < PAGE; i++)
			buf[i] = src[i];
	});
}

/* ---- a child that sits at a policy ------------------------------------ */

struct sitter {
	pid_t pid;
	int release;		/* closing it lets the child exit */
	long set_ret;		/* its PR_SET_VSYSCALL */
	int store_sig;		/* its own store into the page */
};

/*
 * Start a child that sets @policy (@flags), tries to store into the page,
 * reports, and waits until released; with @traced it first stops for
 * this process as its tracer.
 */
static struct sitter start_sitter(int policy, unsigned long flags, bool traced)
{
	struct sitter s = { 0 };
	int ready[2], hold[2];
	long msg[2];
	char c;

	if (pipe(ready) || pipe(hold))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	fflush(stdout);
	s.pid = fork();
	if (s.pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (s.pid == 0) {
		close(ready[0]);
		close(hold[1]);
		msg[0] = set_policy(policy, flags);
		msg[1] = CAPTURE(*(volatile char *)VSYS_TIME = 0x41);
		if (traced && ptrace(PTRACE_TRACEME, 0, 0, 0))
			msg[0] = 1000 + errno;
		if (write(ready[1], msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		if (traced)
			raise(SIGSTOP);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	if (read(ready[0], msg, sizeof(msg)) != sizeof(msg))
		ksft_exit_fail_msg("child %d did not report\n", (int)s.pid);
	close(ready[0]);
	s.release = hold[1];
	s.set_ret = msg[0];
	s.store_sig = msg[1];
	return s;
}

static int end_sitter(struct sitter *s)
{
	close(s->release);
	return wait_child(s->pid);
}

/* ---- views: a parent at one policy, a child at another ----------------- */

/* What the parent saw, in memory shared with the test */
struct pair_report {
	long parent_set, parent_get;
	long child_set;
	char maps[32], status[32];
	int locked;
	long readv;
	unsigned char page[PAGE];
	int own_sig;		/* the parent reading its own page */
	unsigned char own[PAGE];
	int child_exit;
};

static struct pair_report *rep;

static int pair_parent(int a, int b, bool lock)
{
	struct sitter s;

	rep->parent_set = set_policy(a, 0);
	if (rep->parent_set)
		return 1;
	s = start_sitter(b, lock ? PR_VSYSCALL_LOCK : 0, false);
	rep->child_set = s.set_ret;
	proc_maps_perms(s.pid, rep->maps, sizeof(rep->maps));
	proc_status(s.pid, rep->status, sizeof(rep->status), &rep->locked);
	rep->readv = remote_read(s.pid, rep->page);
	rep->own_sig = read_own_page(rep->own);
	rep->parent_get = get_policy();
	rep->child_exit = end_sitter(&s);
	return 0;
}

static void test_pair(int a, int b, bool lock)
{
	const struct vsys_view *want = view_of(b);
	const char *want_maps = want->maps_perms ? want->maps_perms : "";
	char why[160] = "bytes ok";
	bool read_ok;
	pid_t pid;
	int r;

	memset(rep, 0, sizeof(*rep));
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(pair_parent(a, b, lock));
	r = wait_child(pid);

	ksft_test_result(r == 0 && rep->child_set == 0 && rep->child_exit == 0 &&
			 !strcmp(rep->maps, want_maps) &&
			 !strcmp(rep->status, vsys_policy_names[b]) && rep->locked == lock &&
			 rep->parent_get == a,
			 "parent %s, child %s%s: the parent sees the child's maps \"%s\" (want \"%s\"), status %s/%d (want %s/%d); its own policy stays %ld (want %d) (parent %d, child set %s, exit %d)\n",
			 vsys_policy_names[a], vsys_policy_names[b], lock ? "+lock" : "",
			 rep->maps, want_maps, rep->status, rep->locked, vsys_policy_names[b], lock,
			 rep->parent_get, a, r, strerror(-rep->child_set), rep->child_exit);

	if (want->read) {
		read_ok = rep->readv == PAGE && page_is_vsyscall(rep->page, why, sizeof(why));
		/* Where the parent can read its own page too, the two agree. */
		if (read_ok && !rep->own_sig && memcmp(rep->own, rep->page, PAGE)) {
			snprintf(why, sizeof(why), "differs from the parent's own view");
			read_ok = false;
		}
	} else {
		read_ok = rep->readv == -EFAULT;
		snprintf(why, sizeof(why), "unreadable");
	}
	ksft_test_result(r == 0 && read_ok,
			 "parent %s, child %s%s: process_vm_readv() of the child's page: %ld%s%s (want %s)\n",
			 vsys_policy_names[a], vsys_policy_names[b], lock ? "+lock" : "",
			 rep->readv, rep->readv < 0 ? " " : ", ",
			 rep->readv < 0 ? strerror(-rep->readv) : why,
			 want->read ? "4096, the page's bytes" : "EFAULT");
}

static void test_views(void)
{
	int i, j, n = 0;

	for (i = 0; i < n_settable; i++)
		for (j = 0; j < n_settable; j++)
			if (i != j)
				test_pair(settable[i], settable[j], n++ % 2);
}

/* ---- writes into the page ---------------------------------------------- */

static unsigned char page_at_start[PAGE];
static int page_at_start_sig;
/* Set when a child's page, read before and after the writes, changed */
static bool changed;
static int compared;

struct write_report {
	long poke, poke_errno;
	long writev;
	long seek, write, pwrite;
	int store_sig;
	long set;
	int tracer;		/* 0, or what went wrong with ptrace */
	long before, after;	/* process_vm_readv() results */
	bool differ;
	int child_exit;
};

static struct write_report *wrep;

static int write_parent(int policy)
{
	static unsigned char before[PAGE], after[PAGE];
	const unsigned long long data = 0x4141414141414141ULL;
	struct iovec local = { (void *)&data, sizeof(data) };
	struct iovec remote = { (void *)VSYS_TIME, sizeof(data) };
	char path[64];
	struct sitter s;
	int status, fd;

	s = start_sitter(policy, 0, true);
	wrep->set = s.set_ret;
	wrep->store_sig = s.store_sig;
	if (waitpid(s.pid, &status, 0) != s.pid || !WIFSTOPPED(status)) {
		wrep->tracer = 1;
		kill(s.pid, SIGKILL);
		end_sitter(&s);
		return 0;
	}
	wrep->before = remote_read(s.pid, before);

	errno = 0;
	wrep->poke = ptrace(PTRACE_POKEDATA, s.pid, (void *)VSYS_TIME, (void *)(unsigned long)data);
	wrep->poke_errno = errno;

	wrep->writev = process_vm_writev(s.pid, &local, 1, &remote, 1, 0);
	if (wrep->writev < 0)
		wrep->writev = -errno;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)s.pid);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		wrep->seek = wrep->write = wrep->pwrite = -1000 - errno;
	} else {
		/*
		 * pwrite() refuses offsets above 2^63 (EINVAL) before /proc
		 * sees them; lseek() + write() reach the mm code.
		 */
		wrep->pwrite = pwrite(fd, &data, sizeof(data), (off_t)VSYS_TIME);
		if (wrep->pwrite < 0)
			wrep->pwrite = -errno;
		wrep->seek = lseek(fd, (off_t)VSYS_TIME, SEEK_SET) == (off_t)VSYS_TIME ? 0 : -errno;
		wrep->write = write(fd, &data, sizeof(data));
		if (wrep->write < 0)
			wrep->write = -errno;
		close(fd);
	}

	wrep->after = remote_read(s.pid, after);
	wrep->differ = wrep->before == PAGE && wrep->after == PAGE && memcmp(before, after, PAGE);
	if (ptrace(PTRACE_DETACH, s.pid, 0, 0))
		wrep->tracer = 2;
	wrep->child_exit = end_sitter(&s);
	return 0;
}

static const char *err_name(long r)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	if (r >= 0)
		snprintf(buf[i], sizeof(buf[i]), "returned %ld", r);
	else
		snprintf(buf[i], sizeof(buf[i]), "%s", strerror(-r));
	return buf[i];
}

static void test_writes(int policy)
{
	const struct vsys_view *want = view_of(policy);
	const char *name = vsys_policy_names[policy];
	pid_t pid;
	int r;

	memset(wrep, 0, sizeof(*wrep));
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(write_parent(policy));
	r = wait_child(pid);
	r = r || wrep->set || wrep->tracer || wrep->child_exit;
	if (r)
		ksft_print_msg("child %s: set %s, tracer %d, exit %d\n", name,
			       err_name(wrep->set), wrep->tracer, wrep->child_exit);

	ksft_test_result(!r && wrep->poke == -1,
			 "vsyscall=%s child %s: PTRACE_POKEDATA at %#lx fails (%ld, %s)\n",
			 expect.mode_name, name, VSYS_TIME, wrep->poke, strerror(wrep->poke_errno));
	ksft_test_result(!r && wrep->writev < 0,
			 "vsyscall=%s child %s: process_vm_writev() at %#lx fails (%s)\n",
			 expect.mode_name, name, VSYS_TIME, err_name(wrep->writev));
	ksft_test_result(!r && wrep->seek == 0 && wrep->write < 0 && wrep->pwrite < 0,
			 "vsyscall=%s child %s: /proc/PID/mem at %#lx: write() after lseek() fails (%s), pwrite() fails (%s) (lseek %s)\n",
			 expect.mode_name, name, VSYS_TIME, err_name(wrep->write),
			 err_name(wrep->pwrite), err_name(wrep->seek));
	ksft_test_result(!r && wrep->store_sig == SIGSEGV,
			 "vsyscall=%s child %s: its own store into the page is SIGSEGV (signal %d)\n",
			 expect.mode_name, name, wrep->store_sig);

	/* The child's page, where its view reads, before and after */
	if (want->read) {
		compared++;
		if (wrep->before != PAGE || wrep->after != PAGE || wrep->differ) {
			ksft_print_msg("child %s: page before %s, after %s, %s\n", name,
				       err_name(wrep->before), err_name(wrep->after),
				       wrep->differ ? "changed" : "same");
			changed = true;
		}
	}
}

static void test_unchanged(void)
{
	static unsigned char now[PAGE];
	char why[160] = "";
	int sig;

	if (!view_of(VSYS_POLICY_DEFAULT)->read) {
		ksft_test_result_skip("vsyscall=%s: no policy can read the page, so its bytes cannot be compared after the writes\n",
				      expect.mode_name);
		return;
	}
	sig = read_own_page(now);
	ksft_test_result(!page_at_start_sig && !sig && !changed &&
			 page_is_vsyscall(page_at_start, why, sizeof(why)) &&
			 !memcmp(page_at_start, now, PAGE),
			 "vsyscall=%s: after the writes the page is the vsyscall code and unchanged, here (read: signal %d before, %d after) and in %d children %s%s\n",
			 expect.mode_name, page_at_start_sig, sig, compared,
			 changed ? "(a child's page changed) " : "", why);
}

/* ---- shared address spaces --------------------------------------------- */

/* The policy these tests set: one whose view differs where one can */
static int distinct_policy(void)
{
	return expect.mode == VSYS_MODE_NONE || expect.mode == VSYS_MODE_NATIVE ? VSYS_POLICY_ALLOW : VSYS_POLICY_DENY;
}

static int clone_fn(void *arg)
{
	/* No libc: this child shares the parent's memory, errno included. */
	register long r10 asm("r10") = 0;
	register long r8 asm("r8") = 0;
	long r;

	asm volatile ("syscall"
		      : "=a" (r)
		      : "0" ((long)SYS_prctl), "D" ((long)PR_SET_VSYSCALL), "S" ((long)arg),
			"d" (0L), "r" (r10), "r" (r8)
		      : "rcx", "r11", "memory");
	return r ? 1 : 0;
}

struct shared_report {
	int child;		/* the sharing child's exit status */
	long get;		/* the parent's PR_GET_VSYSCALL afterwards */
	char maps[32];		/* and its maps line */
};

static struct shared_report *srep;

static int clone_parent(void *arg)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	pid_t pid = clone(clone_fn, stack + sizeof(stack), CLONE_VM | SIGCHLD, arg);

	srep->child = wait_child(pid);
	srep->get = get_policy();
	maps_line(srep->maps, sizeof(srep->maps));
	return 0;
}

static int vfork_parent(void *arg)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(prctl(PR_SET_VSYSCALL, (long)arg, PR_VSYSCALL_LOCK, 0, 0) ? 1 : 0);
	srep->child = wait_child(pid);
	srep->get = get_policy();
	maps_line(srep->maps, sizeof(srep->maps));
	return 0;
}

static void test_shared_mm(const char *how, int (*fn)(void *), bool locked)
{
	int p = distinct_policy();
	const struct vsys_view *want = view_of(p);
	const char *want_maps = want->maps_perms ? want->maps_perms : "";
	long want_get = p | (locked ? PR_VSYSCALL_LOCKED : 0);
	pid_t pid;
	int r;

	memset(srep, 0, sizeof(*srep));
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fn((void *)(long)p));
	r = wait_child(pid);
	ksft_test_result(r == 0 && srep->child == 0 && srep->get == want_get &&
			 !strcmp(srep->maps, want_maps),
			 "%s child sets %s%s: the parent's PR_GET_VSYSCALL is %#lx (want %#lx), its maps \"%s\" (want \"%s\") (child %d)\n",
			 how, vsys_policy_names[p], locked ? "+lock" : "", srep->get, want_get,
			 srep->maps, want_maps, srep->child);
}

/* ---- main ----------------------------------------------------------------- */

int main(void)
{
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };
	unsigned int plan;
	void *shm;
	int p;

	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		ksft_exit_fail_msg("sigaltstack: %s\n", strerror(errno));
	on_signal(SIGSEGV, catch_signal);

	ksft_print_header();
	vsys_expect_from_env(&expect);
	for (p = 0; p < VSYS_N_POLICIES; p++)
		if (view_of(p)->settable)
			settable[n_settable++] = p;
	/* views, writes per policy and the bytes, shared address spaces */
	plan = 2 * n_settable * (n_settable - 1) + 4 * n_settable + 1 + 2;
	ksft_set_plan(plan);
	vsys_ensure_module();

	shm = mmap(NULL, sizeof(*rep) + sizeof(*wrep) + sizeof(*srep), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	rep = shm;
	wrep = (void *)(rep + 1);
	srep = (void *)(wrep + 1);

	page_at_start_sig = read_own_page(page_at_start);

	test_views();
	for (p = 0; p < n_settable; p++)
		test_writes(settable[p]);
	test_unchanged();
	test_shared_mm("clone(CLONE_VM)", clone_parent, false);
	test_shared_mm("vfork()", vfork_parent, true);

	ksft_finished();
}
