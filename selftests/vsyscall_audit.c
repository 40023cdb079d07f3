// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_audit: the per-process counts of emulated and refused
 * vsyscalls (Vsyscall_emulated and Vsyscall_refused in /proc/PID/status),
 * the vsyscall:vsyscall_refused tracepoint, and "vsyscall-scan --running",
 * which lists the processes whose counts are not zero (DESIGN.md
 * section 8).
 *
 * - Counts: in a fresh child for each policy, K calls to each entry point
 *   add exactly 3K to the count the table in vsyscall_expect.h names
 *   (emulated where the call works, refused where it is SIGSEGV; nothing
 *   under vsyscall=native, where nothing traps), and failed or working
 *   reads of the page add nothing.  Calls that fail their pointer check
 *   or miss an entry point are not emulated calls.
 * - Scope: the counts belong to the address space.  A fork child and an
 *   execve() start at zero and the parent keeps its own; threads and a
 *   clone(CLONE_VM) child add to the process's counts; another process
 *   reads the same numbers in /proc/PID/status.  An x32 process's call is
 *   refused and counted as such (vsyscall_audit_x32, the x32 build of
 *   this file).
 * - The tracepoint fires once per refused call with its entry, policy and
 *   lock, and never for an emulated call.  EXPECT_TRACING=1 says the boot
 *   has tracing (the debug kernel); otherwise it is a SKIP, unless tracefs
 *   has the event anyway.
 * - vsyscall-scan --running (next to this program) lists exactly the
 *   processes that called the page, with their counts and policy.
 *
 * Helper modes, for the tests here and for setvsyscall_test.sh:
 *   --report-counts  print "counts: emulated=E refused=R" for this process
 *   --sit N          make N calls to each entry point, catching SIGSEGV,
 *                    print "ready" and wait to be killed
 *   --x32-calls N    (vsyscall_audit_x32) N calls to time(), then print
 *                    the SIGSEGVs and the counts
 *
 * Told the boot mode by EXPECT_MODE; runs as root (allow under
 * vsyscall=none needs privilege, tracefs is root's).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vsyscall_policy.h>

#include "vsyscall_expect.h"
#include "vsyscall_probe.h"
#include "vsyscall_load_module.h"

struct counts {
	long long emulated, refused;
};

/*
 * Vsyscall_emulated and Vsyscall_refused of the status file @path; false,
 * with -1 in @c, when a line is missing (a kernel without the counts).
 */
static bool read_counts_at(const char *path, struct counts *c)
{
	char line[256];
	int have = 0;
	FILE *f;

	c->emulated = c->refused = -1;
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Vsyscall_emulated: %lld", &c->emulated) == 1)
			have |= 1;
		else if (sscanf(line, "Vsyscall_refused: %lld", &c->refused) == 1)
			have |= 2;
	}
	fclose(f);
	return have == 3;
}

/* The counts of process @pid, or of this one when @pid is 0 */
static bool read_counts(pid_t pid, struct counts *c)
{
	char path[64];

	if (!pid)
		return read_counts_at("/proc/self/status", c);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return read_counts_at(path, c);
}

static void alt_stack(void)
{
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };

	/* The handler must run even when the stack is what faulted */
	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		ksft_exit_fail_msg("sigaltstack: %s\n", strerror(errno));
	on_signal(SIGSEGV, catch_signal);
}

#ifndef VSYS_LP64
/*
 * The x32 build: an x32 process runs in 64-bit mode, so a near call
 * reaches the entry point; the kernel refuses it (no page for x32), except
 * under vsyscall=native, where the page's own code runs.  A tail jump, so
 * that the entry's ret returns to our caller.
 */
long x32_call_time(void);
asm(".pushsection .text\n"
    ".globl x32_call_time\n"
    ".type x32_call_time, @function\n"
    "x32_call_time:\n"
    "	xorl %edi, %edi\n"
    "	movabsq $0xffffffffff600400, %rax\n"
    "	jmp *%rax\n"
    ".size x32_call_time, . - x32_call_time\n"
    ".popsection\n");

int main(int argc, char **argv)
{
	volatile int i, segv = 0;
	struct counts c;
	int n;

	if (argc != 3 || strcmp(argv[1], "--x32-calls")) {
		fprintf(stderr, "usage: %s --x32-calls N (run by vsyscall_audit)\n", argv[0]);
		return 2;
	}
	n = atoi(argv[2]);
	alt_stack();
	for (i = 0; i < n; i++)
		if (CAPTURE(x32_call_time()) == SIGSEGV)
			segv++;
	if (!read_counts(0, &c)) {
		printf("x32: counts missing\n");
		return 1;
	}
	printf("x32: calls %d sigsegv %d emulated %lld refused %lld\n",
	       n, segv, c.emulated, c.refused);
	return 0;
}

#else /* 64-bit */

/* Rounds of the three calls each test makes */
#define K 4

static struct vsys_expect expect;
static char self_exe[PATH_MAX], self_dir[PATH_MAX];

/*
 * A policy under which calls work, and one under which they are refused
 * (-1 when the mode has none: native cannot deny).  Under vsyscall=none
 * these are allow and default, elsewhere default and deny.
 */
static int p_grant = -1, p_refuse = -1;

/* The policy in force in this process, as far as the table goes */
static int cur_policy = VSYS_POLICY_DEFAULT;

static const struct vsys_view *view_of(int policy)
{
	return &vsys_table[expect.mode][policy];
}

/* ---- counts ------------------------------------------------------------ */

static struct counts add(struct counts a, struct counts b)
{
	return (struct counts){ a.emulated + b.emulated, a.refused + b.refused };
}

static bool same(struct counts a, struct counts b)
{
	return a.emulated == b.emulated && a.refused == b.refused;
}

/* What @rounds rounds of the three calls add to the counts under @policy */
static struct counts want_rounds(int policy, int rounds)
{
	struct counts c = { 0, 0 };

	if (policy < 0)
		return c;
	/* Native runs the page's own code: no trap, so nothing is counted. */
	if (expect.mode == VSYS_MODE_NATIVE)
		return c;
	if (view_of(policy)->exec)
		c.emulated = 3 * rounds;
	else
		c.refused = 3 * rounds;
	return c;
}

/* "E/R" for messages; eight buffers, so one message can show several */
static const char *show(struct counts c)
{
	static char buf[8][48];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%lld/%lld", c.emulated, c.refused);
	return buf[i];
}

/* ---- calls ------------------------------------------------------------- */

/*
 * time(), getcpu() and gettimeofday() through the page with valid
 * pointers.  0 when each did what the policy in force gives (returned a
 * sane value, or SIGSEGV), else 1, 2 or 3 for the call that did not.
 */
static int one_round(void)
{
	bool works = view_of(cur_policy)->exec;
	volatile long ret = 0;
	struct timezone tz;
	struct timeval tv;
	unsigned int cpu = ~0U, node = ~0U;
	time_t t = 0, before = time(NULL);
	int sig;

	sig = CAPTURE(ret = vtime(&t));
	if (works ? sig || ret < before || t != ret : sig != SIGSEGV)
		return 1;
	sig = CAPTURE(ret = vgetcpu(&cpu, &node, NULL));
	if (works ? sig || ret || cpu >= CPU_SETSIZE : sig != SIGSEGV)
		return 2;
	tv.tv_sec = 0;
	sig = CAPTURE(ret = vgtod(&tv, &tz));
	if (works ? sig || ret || tv.tv_sec < before : sig != SIGSEGV)
		return 3;
	return 0;
}

/* @rounds rounds under the policy in force: 0, or 10 * round + call */
static int make_rounds(int rounds)
{
	int i, r;

	for (i = 0; i < rounds; i++) {
		r = one_round();
		if (r)
			return 10 * (i + 1) + r;
	}
	return 0;
}

/*
 * Set @policy (@flags) and make @rounds rounds: 0, or what went wrong.
 * A policy the mode refuses (deny under native) leaves the one in force.
 */
static int calls_under(int policy, unsigned long flags, int rounds)
{
	long r;

	if (policy < 0)
		return 0;
	r = set_policy(policy, flags);
	if (!r)
		cur_policy = policy;
	else if (r != -EOPNOTSUPP || view_of(policy)->settable)
		return 1000;
	return make_rounds(rounds);
}

/*
 * Rounds under the granting policy, then under the refusing one, so that
 * both counts move (except under native, where nothing is counted).
 */
static int mixed_calls(int rounds)
{
	return calls_under(p_grant, 0, rounds) ?: calls_under(p_refuse, 0, rounds);
}

static struct counts want_mixed(int rounds)
{
	return add(want_rounds(p_grant, rounds), want_rounds(p_refuse, rounds));
}

/* ---- children ----------------------------------------------------------- */

/* Run @fn in a fork child; its return value is the child's exit status. */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int r = fn(arg);

		fflush(stdout);
		_exit(r);
	}
	return wait_child(pid);
}

/*
 * A child that stays: it sets @p1 and, told to, waits for go; makes @n1
 * rounds; sets @p2 with @f2 (if >= 0) and makes @n2 rounds; reports 0 or
 * what went wrong, and waits until it is released.
 */
struct plan {
	int p1, n1;
	int p2;
	unsigned long f2;
	int n2;
	bool wait_go;
};

struct sitter {
	pid_t pid;
	int go, report, hold;	/* our ends of its pipes */
};

static void pipe_or_die(int *fds)
{
	if (pipe(fds))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
}

static struct sitter start_sitter(const struct plan *pl)
{
	int go[2], report[2], hold[2], err = 0;
	struct sitter s;
	char c;

	pipe_or_die(go);
	pipe_or_die(report);
	pipe_or_die(hold);
	fflush(stdout);
	s.pid = fork();
	if (s.pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (s.pid == 0) {
		int fd;

		/*
		 * Only its own pipe ends: holding another sitter's would keep
		 * that one from seeing its release.
		 */
		for (fd = 3; fd < 1024; fd++)
			if (fd != go[0] && fd != report[1] && fd != hold[0])
				close(fd);
		if (calls_under(pl->p1, 0, 0))
			err = 1;
		if (pl->wait_go && read(go[0], &c, 1) != 1)
			err = 2;
		err = err ?: make_rounds(pl->n1);
		err = err ?: calls_under(pl->p2, pl->f2, pl->n2);
		if (write(report[1], &err, sizeof(err)) != sizeof(err))
			_exit(3);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	close(report[1]);
	close(hold[0]);
	s.go = go[1];
	s.report = report[0];
	s.hold = hold[1];
	return s;
}

static void sitter_go(struct sitter *s)
{
	if (write(s->go, "g", 1) != 1)
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
}

/* Wait until the sitter made its calls: 0, what went wrong, or -1 if it died */
static int sitter_done(struct sitter *s)
{
	int err;

	return read(s->report, &err, sizeof(err)) == sizeof(err) ? err : -1;
}

/* Release it: its exit status */
static int end_sitter(struct sitter *s)
{
	close(s->go);
	close(s->report);
	close(s->hold);
	return wait_child(s->pid);
}

/* ---- every policy ----------------------------------------------------- */

struct cell_report {
	bool start_ok;
	struct counts start;	/* a fresh fork child */
	long set_ret;
	int read_bad;		/* reads whose outcome was not the table's */
	struct counts after_reads;
	int round_err;
	struct counts end;
};

static struct cell_report *cell;

static int cell_child(void *arg)
{
	int p = (long)arg, sig;
	volatile int i;
	volatile char c;

	cell->start_ok = read_counts(0, &cell->start);
	cell->set_ret = set_policy(p, 0);
	if (!cell->set_ret)
		cur_policy = p;
	/* Reads of the page are not calls: neither count moves. */
	for (i = 0; i < K; i++) {
		sig = CAPTURE(c = *(volatile char *)VSYS_TIME);
		if (sig != (view_of(cur_policy)->read ? 0 : SIGSEGV))
			cell->read_bad++;
	}
	(void)c;
	read_counts(0, &cell->after_reads);
	cell->round_err = make_rounds(K);
	read_counts(0, &cell->end);
	return 0;
}

static void test_policies(void)
{
	const struct counts zero = { 0, 0 };
	int p, r;

	for (p = 0; p < VSYS_N_POLICIES; p++) {
		long want_ret = view_of(p)->settable ? 0 : -EOPNOTSUPP;
		/* A refused deny (native) leaves default in force. */
		struct counts want = want_rounds(view_of(p)->settable ? p : VSYS_POLICY_DEFAULT, K);

		memset(cell, 0, sizeof(*cell));
		r = in_child(cell_child, (void *)(long)p);
		ksft_test_result(r == 0 && cell->start_ok && same(cell->start, zero) &&
				 cell->set_ret == want_ret && !cell->read_bad &&
				 same(cell->after_reads, zero),
				 "vsyscall=%s policy %s: a fresh child's counts are %s (want 0/0), PR_SET_VSYSCALL %s (want %s), %d reads of the page (%s) leave them at %s (%d unexpected outcomes)\n",
				 expect.mode_name, vsys_policy_names[p], show(cell->start),
				 cell->set_ret ? strerror(-cell->set_ret) : "ok",
				 want_ret ? strerror(-want_ret) : "ok", K,
				 view_of(p)->read ? "working" : "SIGSEGV", show(cell->after_reads),
				 cell->read_bad);
		ksft_test_result(r == 0 && !cell->round_err && same(cell->end, want),
				 "vsyscall=%s policy %s: %d calls to each entry point (%s) give emulated/refused %s (want %s) (call error %d)\n",
				 expect.mode_name, vsys_policy_names[p], K,
				 view_of(p)->exec ? "working" : "SIGSEGV", show(cell->end), show(want),
				 cell->round_err);
	}
}

/*
 * Calls the kernel does not emulate under a granting policy: time() with
 * a kernel address as its output (it fails the pointer check) and a call
 * between entry points.  Both are SIGSEGV and neither count moves.
 */
struct bad_report {
	int sig_kptr, sig_misaligned;
	struct counts before, after, good;
	int round_err;
};

static struct bad_report *bad;

static int bad_child(void *arg)
{
	if (calls_under(p_grant, 0, 0))
		return 1;
	read_counts(0, &bad->before);
	bad->sig_kptr = CAPTURE(vtime((time_t *)0xffff880000000000UL));
	bad->sig_misaligned = CAPTURE(((time_t_fn)(VSYSCALL_ADDR + 0x100))(NULL));
	read_counts(0, &bad->after);
	/* and the next good calls are counted again */
	bad->round_err = make_rounds(1);
	read_counts(0, &bad->good);
	return 0;
}

static void test_bad_calls(void)
{
	const struct counts zero = { 0, 0 };
	struct counts want_good = want_rounds(p_grant, 1);
	int r;

	if (expect.mode == VSYS_MODE_NATIVE) {
		ksft_test_result_skip("vsyscall=native: bad calls run the page's code without a trap; nothing is counted\n");
		return;
	}
	memset(bad, 0, sizeof(*bad));
	r = in_child(bad_child, NULL);
	ksft_test_result(r == 0 && bad->sig_kptr == SIGSEGV && bad->sig_misaligned == SIGSEGV &&
			 same(bad->before, zero) && same(bad->after, zero) &&
			 !bad->round_err && same(bad->good, want_good),
			 "policy %s: time() with a kernel pointer (signal %d) and a call to +0x100 (signal %d) are not counted: %s -> %s (want 0/0), then one good round %s (want %s) (child %d, error %d)\n",
			 vsys_policy_names[p_grant], bad->sig_kptr, bad->sig_misaligned,
			 show(bad->before), show(bad->after), show(bad->good), show(want_good),
			 r, bad->round_err);
}

/* ---- scope: fork, exec, threads, CLONE_VM, another process -------------- */

struct scope_report {
	int err;
	struct counts parent_before, child_start, child_end, parent_after;
	struct counts thread_own, after_thread, after_both;
};

static struct scope_report *scope;

static int fork_child(void *arg)
{
	pid_t pid;

	scope->err = mixed_calls(K);
	read_counts(0, &scope->parent_before);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		read_counts(0, &scope->child_start);
		scope->err = scope->err ?: make_rounds(1);
		read_counts(0, &scope->child_end);
		_exit(0);
	}
	if (wait_child(pid))
		return 2;
	read_counts(0, &scope->parent_after);
	return 0;
}

static void test_fork(void)
{
	const struct counts zero = { 0, 0 };
	struct counts want = want_mixed(K);
	/* The child runs under the last policy its parent set. */
	struct counts want_child = want_rounds(p_refuse >= 0 ? p_refuse : p_grant, 1);
	int r;

	memset(scope, 0, sizeof(*scope));
	r = in_child(fork_child, NULL);
	ksft_test_result(r == 0 && !scope->err && same(scope->parent_before, want) &&
			 same(scope->child_start, zero) && same(scope->child_end, want_child) &&
			 same(scope->parent_after, want),
			 "fork: the parent has %s (want %s), its child starts at %s (want 0/0) and counts its own calls, %s (want %s); the parent keeps %s (child %d, error %d)\n",
			 show(scope->parent_before), show(want), show(scope->child_start),
			 show(scope->child_end), show(want_child), show(scope->parent_after),
			 r, scope->err);
}

/* Make calls, then exec --report-counts with stdout on @arg's pipe */
static int exec_child(void *arg)
{
	int fd = (long)arg;

	scope->err = mixed_calls(K);
	read_counts(0, &scope->parent_before);
	if (dup2(fd, STDOUT_FILENO) < 0)
		return 2;
	execl(self_exe, self_exe, "--report-counts", (char *)NULL);
	return 127;
}

static void test_exec(void)
{
	struct counts want = want_mixed(K), got = { -1, -1 };
	char out[128] = "";
	int fds[2], r;
	ssize_t len;

	memset(scope, 0, sizeof(*scope));
	pipe_or_die(fds);
	r = in_child(exec_child, (void *)(long)fds[1]);
	close(fds[1]);
	len = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	out[len > 0 ? len : 0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	if (sscanf(out, "counts: emulated=%lld refused=%lld", &got.emulated, &got.refused) != 2)
		got.emulated = got.refused = -1;
	ksft_test_result(r == 0 && !scope->err && same(scope->parent_before, want) &&
			 got.emulated == 0 && got.refused == 0,
			 "execve: a process with %s (want %s) execs and the new program's counts are %s (want 0/0) (\"%s\", exit %d, error %d)\n",
			 show(scope->parent_before), show(want), show(got), out, r, scope->err);
}

static void *thread_calls(void *arg)
{
	long err = calls_under(p_grant, 0, K);

	/* What this thread sees of its own process */
	read_counts_at("/proc/thread-self/status", &scope->thread_own);
	return (void *)err;
}

static int threads_child(void *arg)
{
	pthread_t t;
	void *ret;

	if (pthread_create(&t, NULL, thread_calls, NULL) || pthread_join(t, &ret))
		return 2;
	scope->err = (long)ret;
	read_counts(0, &scope->after_thread);
	/* The thread's policy is the process's: this thread goes on from there. */
	scope->err = scope->err ?: calls_under(p_refuse >= 0 ? p_refuse : p_grant, 0, K);
	read_counts(0, &scope->after_both);
	return 0;
}

static void test_threads(void)
{
	struct counts want1 = want_rounds(p_grant, K);
	struct counts want2 = add(want1, want_rounds(p_refuse >= 0 ? p_refuse : p_grant, K));
	int r;

	memset(scope, 0, sizeof(*scope));
	r = in_child(threads_child, NULL);
	ksft_test_result(r == 0 && !scope->err && same(scope->thread_own, want1) &&
			 same(scope->after_thread, want1) && same(scope->after_both, want2),
			 "threads: a second thread's calls show in its own and the process's counts, %s and %s (want %s), and the first thread's add to them, %s (want %s) (child %d, error %d)\n",
			 show(scope->thread_own), show(scope->after_thread), show(want1),
			 show(scope->after_both), show(want2), r, scope->err);
}

/*
 * The clone(CLONE_VM) child shares its parent's memory, errno and stdio
 * included, so it only makes the calls (sigsetjmp() and the handler touch
 * globals the waiting parent leaves alone).  Its exit status says how
 * they went.
 */
static int clone_vm_fn(void *arg)
{
	return make_rounds(K);
}

static int clone_vm_child(void *arg)
{
	static char stack[256 * 1024] __attribute__((aligned(16)));
	pid_t pid;

	scope->err = calls_under(p_refuse >= 0 ? p_refuse : p_grant, 0, 0);
	read_counts(0, &scope->parent_before);
	fflush(stdout);
	pid = clone(clone_vm_fn, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL);
	scope->err = scope->err ?: wait_child(pid);
	read_counts(0, &scope->parent_after);
	return 0;
}

static void test_clone_vm(void)
{
	const struct counts zero = { 0, 0 };
	struct counts want = want_rounds(p_refuse >= 0 ? p_refuse : p_grant, K);
	int r;

	memset(scope, 0, sizeof(*scope));
	r = in_child(clone_vm_child, NULL);
	ksft_test_result(r == 0 && !scope->err && same(scope->parent_before, zero) &&
			 same(scope->parent_after, want),
			 "clone(CLONE_VM): the child's calls show in the parent's counts, %s -> %s (want 0/0 -> %s) (child %d, error %d)\n",
			 show(scope->parent_before), show(scope->parent_after), show(want),
			 r, scope->err);
}

static void test_other_process(void)
{
	const struct plan pl = {
		.p1 = p_grant, .n1 = K, .p2 = p_refuse, .n2 = K + 1,
	};
	struct counts want = add(want_rounds(p_grant, K), want_rounds(p_refuse, K + 1)), got;
	struct sitter s = start_sitter(&pl);
	int err = sitter_done(&s), r;
	bool have = read_counts(s.pid, &got);

	r = end_sitter(&s);
	ksft_test_result(have && !err && !r && same(got, want),
			 "another process reads %s (want %s) in /proc/%d/status (error %d, exit %d)\n",
			 show(got), show(want), (int)s.pid, err, r);
}

/* ---- an x32 process ----------------------------------------------------- */

#define X32_CALLS 5

static void test_x32(void)
{
	char exe[PATH_MAX + 32], out[256] = "", n[16];
	int fds[2], calls = -1, segv = -1, r;
	struct counts got = { -1, -1 }, want = { 0, 0 };
	int want_segv = expect.mode == VSYS_MODE_NATIVE ? 0 : X32_CALLS;
	pid_t pid;
	ssize_t len;

	/* Native runs the page for x32 code too; elsewhere every call is refused. */
	if (expect.mode != VSYS_MODE_NATIVE)
		want.refused = X32_CALLS;
	snprintf(exe, sizeof(exe), "%s/vsyscall_audit_x32", self_dir);
	snprintf(n, sizeof(n), "%d", X32_CALLS);
	pipe_or_die(fds);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execl(exe, exe, "--x32-calls", n, (char *)NULL);
		_exit(errno == ENOEXEC ? 100 : 127);
	}
	close(fds[1]);
	len = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	out[len > 0 ? len : 0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	r = wait_child(pid);
	if (r == 100) {
		ksft_test_result_skip("x32: %s cannot be executed (ENOEXEC): this kernel runs no x32 programs\n",
				      exe);
		return;
	}
	sscanf(out, "x32: calls %d sigsegv %d emulated %lld refused %lld",
	       &calls, &segv, &got.emulated, &got.refused);
	ksft_test_result(r == 0 && calls == X32_CALLS && segv == want_segv && same(got, want),
			 "an x32 process's %d calls to time(): %d SIGSEGV (want %d), counts %s (want %s) (\"%s\", exit %d)\n",
			 X32_CALLS, segv, want_segv, show(got), show(want), out, r);
}

/* ---- the tracepoint ----------------------------------------------------- */

#define TRACEFS "/sys/kernel/tracing"
#define EVENT_DIR TRACEFS "/events/vsyscall/vsyscall_refused"

/* Write @s to @path: 0 or -errno */
static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		r = -errno;
	close(fd);
	return r;
}

/* Is the event there, with tracefs mounted here if it was not?  Else @why. */
static bool tracefs_ready(char *why, size_t len)
{
	if (access(EVENT_DIR "/enable", W_OK) == 0)
		return true;
	if (access(TRACEFS "/events", F_OK) &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL)) {
		snprintf(why, len, "mount -t tracefs nodev " TRACEFS ": %s", strerror(errno));
		return false;
	}
	if (access(EVENT_DIR "/enable", W_OK) == 0)
		return true;
	snprintf(why, len, "tracefs has no events/vsyscall/vsyscall_refused: %s", strerror(errno));
	return false;
}

/*
 * The pid of a trace line ("comm-PID  [cpu] flags timestamp: event: ..."),
 * or -1
 */
static long trace_pid(const char *line)
{
	const char *b = strchr(line, '['), *p;

	if (!b)
		return -1;
	for (p = b; p > line && p[-1] == ' '; p--)
		;
	b = p;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == b || p == line || p[-1] != '-')
		return -1;
	return strtol(p, NULL, 10);
}

struct trace_tally {
	int total, from_refused, from_other;
	int nr[4];		/* nr -1, 0, 1, 2 */
	int locked[2];
	int wrong_policy, unparsed;
};

static void tally_trace(pid_t refused_pid, const char *policy, struct trace_tally *t)
{
	char line[512], pol[32];
	FILE *f = fopen(TRACEFS "/trace", "r");
	int nr, locked;
	const char *ev;

	memset(t, 0, sizeof(*t));
	if (!f) {
		t->unparsed = -1;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		ev = strstr(line, "vsyscall_refused: ");
		if (!ev)
			continue;
		t->total++;
		if (trace_pid(line) == refused_pid)
			t->from_refused++;
		else
			t->from_other++;
		if (sscanf(ev, "vsyscall_refused: nr = %d policy = %31s locked = %d",
			   &nr, pol, &locked) != 3 || nr < -1 || nr > 2 || locked < 0 || locked > 1) {
			if (t->unparsed++ < 3)
				ksft_print_msg("trace: %s", line);
			continue;
		}
		t->nr[nr + 1]++;
		t->locked[locked]++;
		if (strcmp(pol, policy))
			t->wrong_policy++;
	}
	fclose(f);
}

static void test_tracepoint(void)
{
	const char *env = getenv("EXPECT_TRACING");
	bool expected = env && !strcmp(env, "1");
	char why[160] = "", filter[96];
	struct plan refuse = {
		.p1 = p_refuse, .n1 = K, .p2 = p_refuse, .f2 = PR_VSYSCALL_LOCK, .n2 = K,
		.wait_go = true,
	};
	struct plan grant = { .p1 = p_grant, .n1 = K, .p2 = -1, .wait_go = true };
	struct sitter r, g;
	struct trace_tally t;
	struct counts rc;
	int err_r, err_g, e1, e2, e3, x1, x2;
	bool ready = tracefs_ready(why, sizeof(why));

	if (expected)
		ksft_test_result(ready, "EXPECT_TRACING=1: tracefs at " TRACEFS " has events/vsyscall/vsyscall_refused%s%s\n",
				 ready ? "" : ": ", why);
	else if (ready)
		ksft_test_result_pass("tracefs has events/vsyscall/vsyscall_refused although EXPECT_TRACING is not 1: checking it anyway\n");
	else
		ksft_test_result_skip("this boot's kernel has no tracing; the debug boot runs it (%s)\n", why);

	if (!ready) {
		if (expected)
			ksft_test_result_fail("tracepoint vsyscall_refused: no tracefs event to check\n");
		else
			ksft_test_result_skip("tracepoint vsyscall_refused: this boot's kernel has no tracing; the debug boot runs it\n");
		return;
	}
	if (p_refuse < 0) {
		ksft_test_result_skip("tracepoint vsyscall_refused: vsyscall=%s refuses no call from a 64-bit process\n",
				      expect.mode_name);
		return;
	}

	/* Children that wait: the filter needs their pids before they call. */
	r = start_sitter(&refuse);
	g = start_sitter(&grant);
	snprintf(filter, sizeof(filter), "common_pid == %d || common_pid == %d",
		 (int)r.pid, (int)g.pid);
	e1 = write_file(EVENT_DIR "/enable", "0");
	e2 = write_file(TRACEFS "/tracing_on", "1") ?: write_file(TRACEFS "/trace", "");
	e3 = write_file(EVENT_DIR "/filter", filter) ?: write_file(EVENT_DIR "/enable", "1");
	sitter_go(&r);
	sitter_go(&g);
	err_r = sitter_done(&r);
	err_g = sitter_done(&g);
	e1 = e1 ?: write_file(EVENT_DIR "/enable", "0");
	read_counts(r.pid, &rc);
	tally_trace(r.pid, vsys_policy_names[p_refuse], &t);
	/* Leave tracing as it was: event off, no filter, empty buffer */
	write_file(EVENT_DIR "/filter", "0");
	write_file(TRACEFS "/trace", "");
	x1 = end_sitter(&r);
	x2 = end_sitter(&g);

	ksft_test_result(!e1 && !e2 && !e3 && !err_r && !err_g && !x1 && !x2 &&
			 t.total == 6 * K && t.from_refused == 6 * K && !t.from_other &&
			 t.nr[0] == 0 && t.nr[1] == 2 * K && t.nr[2] == 2 * K && t.nr[3] == 2 * K &&
			 t.locked[0] == 3 * K && t.locked[1] == 3 * K &&
			 !t.wrong_policy && !t.unparsed && rc.refused == 6 * K,
			 "tracepoint vsyscall_refused: %d events (want %d), %d of them from the child that made %d refused calls under policy %s (%lld refused in its status), the others from the child that made %d emulated calls (want none); nr -1/0/1/2: %d/%d/%d/%d (want 0/%d/%d/%d), locked 0/1: %d/%d (want %d/%d), %d with another policy, %d unparsed (tracefs %d %d %d, children %d %d exit %d %d)\n",
			 t.total, 6 * K, t.from_refused, 6 * K, vsys_policy_names[p_refuse], rc.refused,
			 3 * K, t.nr[0], t.nr[1], t.nr[2], t.nr[3], 2 * K, 2 * K, 2 * K,
			 t.locked[0], t.locked[1], 3 * K, 3 * K, t.wrong_policy, t.unparsed,
			 e1, e2, e3, err_r, err_g, x1, x2);
}

/* ---- vsyscall-scan --running -------------------------------------------- */

struct row {
	long pid;
	char comm[64], policy[32], locked[16];
	long long emulated, refused;
};

#define MAX_ROWS 32

/* Run the scanner with @arg2 (or none): its exit status; its output in @out */
static int run_scan(const char *arg2, char *out, size_t len)
{
	char exe[PATH_MAX + 16];
	size_t used = 0;
	ssize_t n;
	int fds[2];
	pid_t pid;

	snprintf(exe, sizeof(exe), "%s/vsyscall-scan", self_dir);
	pipe_or_die(fds);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		execl(exe, exe, "--running", arg2, (char *)NULL);
		printf("cannot run %s: %s\n", exe, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while (used < len - 1 && (n = read(fds[0], out + used, len - 1 - used)) > 0)
		used += n;
	out[used] = '\0';
	close(fds[0]);
	return wait_child(pid);
}

/* Its output, as comments */
static void show_output(const char *what, const char *out)
{
	const char *p = out, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		ksft_print_msg("%s: %.*s\n", what, nl ? (int)(nl - p) : (int)strlen(p), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* The table's rows: "PID COMM POLICY LOCKED EMULATED REFUSED" */
static int parse_text(const char *out, struct row *rows)
{
	const char *p = out;
	int n = 0;

	while (*p && n < MAX_ROWS) {
		struct row *r = &rows[n];

		if (sscanf(p, "%ld %63s %31s %15s %lld %lld", &r->pid, r->comm, r->policy,
			   r->locked, &r->emulated, &r->refused) == 6)
			n++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return n;
}

/* The value after "@key": in @obj, or NULL */
static const char *json_value(const char *obj, const char *key)
{
	char k[40];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\"", key);
	p = strstr(obj, k);
	if (!p)
		return NULL;
	p += strlen(k);
	p += strspn(p, " \t\n");
	if (*p != ':')
		return NULL;
	p++;
	return p + strspn(p, " \t\n");
}

static void json_string(const char *obj, const char *key, char *out, size_t len)
{
	const char *v = json_value(obj, key);

	out[0] = '\0';
	if (v && *v == '"')
		snprintf(out, len, "%.*s", (int)strcspn(v + 1, "\""), v + 1);
}

static long long json_number(const char *obj, const char *key)
{
	const char *v = json_value(obj, key);

	return v ? strtoll(v, NULL, 10) : -1;
}

/*
 * The objects of "processes": each from one "pid" key to the next.  The
 * scanner's JSON is flat there (strings and numbers), so no parser.
 */
static int parse_json(const char *out, struct row *rows)
{
	const char *p = out, *next;
	char obj[1024];
	int n = 0;

	while ((p = strstr(p, "\"pid\"")) && n < MAX_ROWS) {
		struct row *r = &rows[n++];

		next = strstr(p + 5, "\"pid\"");
		snprintf(obj, sizeof(obj), "%.*s", next ? (int)(next - p) : (int)strlen(p), p);
		r->pid = json_number(obj, "pid");
		json_string(obj, "comm", r->comm, sizeof(r->comm));
		json_string(obj, "policy", r->policy, sizeof(r->policy));
		json_string(obj, "locked", r->locked, sizeof(r->locked));
		r->emulated = json_number(obj, "emulated");
		r->refused = json_number(obj, "refused");
		p += 5;
	}
	return n;
}

/* Do @got (@ngot rows) list exactly the @nwant processes of @want? */
static bool rows_match(const struct row *got, int ngot, const struct row *want, int nwant,
		       char *why, size_t len)
{
	int i, j;

	snprintf(why, len, "%d listed, want %d", ngot, nwant);
	if (ngot != nwant)
		return false;
	for (i = 0; i < nwant; i++) {
		for (j = 0; j < ngot && got[j].pid != want[i].pid; j++)
			;
		if (j == ngot) {
			snprintf(why, len, "pid %ld not listed", want[i].pid);
			return false;
		}
		if (strcmp(got[j].comm, want[i].comm) || strcmp(got[j].policy, want[i].policy) ||
		    strcmp(got[j].locked, want[i].locked) || got[j].emulated != want[i].emulated ||
		    got[j].refused != want[i].refused) {
			snprintf(why, len, "pid %ld: %s %s %s %lld %lld, want %s %s %s %lld %lld",
				 want[i].pid, got[j].comm, got[j].policy, got[j].locked,
				 got[j].emulated, got[j].refused, want[i].comm, want[i].policy,
				 want[i].locked, want[i].emulated, want[i].refused);
			return false;
		}
	}
	snprintf(why, len, "exactly the %d expected", nwant);
	return true;
}

/* @broken: the children's calls went wrong, so the listing cannot pass */
static void check_scan(const char *when, const struct row *want, int nwant, bool broken)
{
	static char out[65536];
	struct row rows[MAX_ROWS];
	int want_rc = nwant ? 1 : 0, rc, n;
	char why[256];
	bool ok;

	rc = run_scan(NULL, out, sizeof(out));
	show_output("vsyscall-scan --running", out);
	memset(rows, 0, sizeof(rows));
	n = parse_text(out, rows);
	ok = !broken && rows_match(rows, n, want, nwant, why, sizeof(why));
	if (!nwant)
		ok = ok && strstr(out, "no process has used the vsyscall page");
	ksft_test_result(rc == want_rc && ok, "%s: vsyscall-scan --running exits %d (want %d), %s\n",
			 when, rc, want_rc, why);

	rc = run_scan("--json", out, sizeof(out));
	show_output("vsyscall-scan --running --json", out);
	memset(rows, 0, sizeof(rows));
	n = parse_json(out, rows);
	ok = !broken && rows_match(rows, n, want, nwant, why, sizeof(why)) &&
	     strstr(out, "\"processes\"");
	ksft_test_result(rc == want_rc && ok, "%s: vsyscall-scan --running --json exits %d (want %d), %s\n",
			 when, rc, want_rc, why);
}

/* Fill @r with what the scanner must list for a sitter, if anything */
static bool scan_row(struct row *r, pid_t pid, int policy, bool locked, struct counts c)
{
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	snprintf(r->comm, sizeof(r->comm), "vsyscall_audit");
	snprintf(r->policy, sizeof(r->policy), "%s", vsys_policy_names[policy]);
	snprintf(r->locked, sizeof(r->locked), "%d", locked);
	r->emulated = c.emulated;
	r->refused = c.refused;
	return c.emulated || c.refused;
}

static void test_running(void)
{
	/* Two that called the page (one locked), one that never did */
	const struct plan a_plan = { .p1 = p_grant, .n1 = 2, .p2 = -1 };
	const struct plan b_plan = {
		.p1 = p_grant, .n1 = 1,
		.p2 = p_refuse >= 0 ? p_refuse : p_grant, .f2 = PR_VSYSCALL_LOCK, .n2 = 3,
	};
	const struct plan z_plan = { .p1 = -1, .p2 = -1 };
	struct sitter a = start_sitter(&a_plan), b = start_sitter(&b_plan), z = start_sitter(&z_plan);
	struct row want[2];
	int nwant = 0, err;

	/* All three must be done with their calls before the scan. */
	err = sitter_done(&a);
	err = sitter_done(&b) ?: err;
	err = sitter_done(&z) ?: err;
	if (err)
		ksft_print_msg("a child's calls went wrong: %d\n", err);
	if (scan_row(&want[nwant], a.pid, p_grant, false, want_rounds(p_grant, 2)))
		nwant++;
	if (scan_row(&want[nwant], b.pid, b_plan.p2, true,
		     add(want_rounds(p_grant, 1), want_rounds(b_plan.p2, 3))))
		nwant++;
	ksft_print_msg("children %d and %d called the page, %d did not; %d must be listed\n",
		       (int)a.pid, (int)b.pid, (int)z.pid, nwant);
	check_scan("3 children, 2 called the page", want, nwant, err);

	err = end_sitter(&a);
	err = end_sitter(&b) ?: err;
	err = end_sitter(&z) ?: err;
	check_scan("after they exited", want, 0, err);
}

/* ---- helper modes and main ---------------------------------------------- */

/* --sit N: calls whatever the outcome, "ready", then wait to be killed */
static void __attribute__((noreturn)) sit(int rounds)
{
	struct timezone tz;
	struct timeval tv;
	unsigned int cpu, node;
	volatile int i;
	time_t t;

	for (i = 0; i < rounds; i++) {
		CAPTURE(vtime(&t));
		CAPTURE(vgetcpu(&cpu, &node, NULL));
		CAPTURE(vgtod(&tv, &tz));
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int report_counts(void)
{
	struct counts c;

	if (!read_counts(0, &c)) {
		printf("counts: missing\n");
		return 1;
	}
	printf("counts: emulated=%lld refused=%lld\n", c.emulated, c.refused);
	return 0;
}

/* The first policy the mode accepts whose calls work (@exec) or fail */
static int policy_where(bool exec)
{
	int p;

	for (p = 0; p < VSYS_N_POLICIES; p++)
		if (view_of(p)->settable && view_of(p)->exec == exec)
			return p;
	return -1;
}

/* One term per test function, in the order main() calls them */
#define PLAN (2 * VSYS_N_POLICIES + 1 + 5 + 1 + 2 + 4)

int main(int argc, char **argv)
{
	struct counts c;
	ssize_t len;
	void *shm;

	alt_stack();
	if (argc == 2 && !strcmp(argv[1], "--report-counts"))
		return report_counts();
	if (argc == 3 && !strcmp(argv[1], "--sit"))
		sit(atoi(argv[2]));

	ksft_print_header();
	ksft_set_plan(PLAN);
	vsys_expect_from_env(&expect);

	/* The helpers sit next to this program: x32 build, vsyscall-scan */
	len = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (len < 0)
		ksft_exit_fail_msg("/proc/self/exe: %s\n", strerror(errno));
	self_exe[len] = '\0';
	snprintf(self_dir, sizeof(self_dir), "%s", self_exe);
	*strrchr(self_dir, '/') = '\0';

	vsys_ensure_module();
	if (!read_counts(0, &c))
		ksft_exit_fail_msg("/proc/self/status has no Vsyscall_emulated and Vsyscall_refused: this kernel does not count vsyscalls per process\n");
	p_grant = policy_where(true);
	p_refuse = policy_where(false);
	ksft_print_msg("calls work under policy %s, are refused under %s\n",
		       vsys_policy_names[p_grant], p_refuse >= 0 ? vsys_policy_names[p_refuse] : "none");

	shm = mmap(NULL, sizeof(*cell) + sizeof(*bad) + sizeof(*scope), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	cell = shm;
	bad = (void *)(cell + 1);
	scope = (void *)(bad + 1);

	/* This process never calls the page: --running must not list it. */
	test_policies();		/* 2 * VSYS_N_POLICIES */
	test_bad_calls();		/* 1 */
	test_fork();			/* 1 */
	test_exec();			/* 1 */
	test_threads();			/* 1 */
	test_clone_vm();		/* 1 */
	test_other_process();		/* 1 */
	test_x32();			/* 1 */
	test_tracepoint();		/* 2 */
	test_running();			/* 4 */

	ksft_finished();
}

#endif /* VSYS_LP64 */
