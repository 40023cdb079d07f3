// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_policy: the per-process vsyscall policy (PR_SET_VSYSCALL and
 * PR_GET_VSYSCALL), checked against the vsyscall= boot mode named in
 * EXPECT_MODE, or against the mode the boot log names when that is unset.
 *
 * Loads and unloads vsyscall_policy.ko itself (VSYSCALL_POLICY_KO, default
 * /lib/modules/$(uname -r)/extra/vsyscall_policy.ko), so it must run as
 * root, and it skips when the module is already loaded: it would take the
 * module away from whoever loaded it.  At exit it unloads the module again.
 * Every policy is tried in a child process, which reports what it saw
 * through shared memory; the parent compares it with the table in
 * vsyscall_expect.h.
 *
 * The module's sysfs counters are system-wide and checked exactly, so no
 * other process may call into the vsyscall page while the suite runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vsyscall_policy.h>

#include "vsyscall_expect.h"
#include "vsyscall_probe.h"
#include "vsyscall_module.h"

#define MODULE_NAME "vsyscall_policy"
#define NOBODY 65534

/*
 * The re-executed helpers (--check, --locked) must be this binary, which
 * argv[0] need not name: it may be relative, or found through $PATH.
 */
#define SELF_EXE "/proc/self/exe"

static struct vsys_expect expect;
static const char *ko_path;	/* vsys_module_path(), found before the plan */
static char self_comm[64];	/* the comm the kernel logs for this process */
static pid_t suite_pid;		/* the process that puts the module back */
static char saved_allow[16];	/* allow_unprivileged as the module came up */

/* ---- the module ------------------------------------------------------- */

/* 0, or -errno */
static int load_module(void)
{
	int fd = open(ko_path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		ksft_exit_fail_msg("%s: %s\n", ko_path, strerror(errno));
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Unload, retrying while a prctl() in flight holds the module. */
static int unload_module(void)
{
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		if (!syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		usleep(1000);
	}
	return -EBUSY;
}

#define PARAM_PATH "/sys/module/" MODULE_NAME "/parameters/"

/*
 * 0 or -errno, and no exit: the atexit() handler uses it too, and exit()
 * from there is undefined.
 */
static int write_param(const char *name, const char *value)
{
	char path[128];
	ssize_t len = strlen(value), n;
	int fd, ret = 0;

	snprintf(path, sizeof(path), PARAM_PATH "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n != len)
		ret = n < 0 ? -errno : -EIO;
	close(fd);
	return ret;
}

static void set_param(const char *name, const char *value)
{
	int r = write_param(name, value);

	if (r)
		ksft_exit_fail_msg(PARAM_PATH "%s: %s\n", name, strerror(-r));
}

/* The value of parameter @name, without the newline, into @buf */
static void get_param(const char *name, char *buf, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), PARAM_PATH "%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, len, f))
		ksft_exit_fail_msg("%s: %s\n", path, strerror(errno));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * atexit(): leave the machine as the suite found it, also after a
 * ksft_exit_fail_msg().  main() skips when the module is loaded at the
 * start, so a module loaded now is the suite's own to unload.  The
 * parameter goes back first, for the case that something holds the
 * module and the unload fails.  Forked children run this too when they
 * exit(), and must leave the module to the suite.
 */
static void put_back(void)
{
	int r;

	if (getpid() != suite_pid)
		return;
	if (saved_allow[0]) {
		r = write_param("allow_unprivileged", saved_allow);
		if (r && r != -ENOENT)
			ksft_print_msg("restoring allow_unprivileged=%s: %s\n", saved_allow,
				       strerror(-r));
	}
	r = unload_module();
	if (r && r != -ENOENT)
		ksft_print_msg("unloading %s at exit: %s\n", MODULE_NAME, strerror(-r));
}

static long read_sysfs_long(const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/vsyscall_policy/%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		ksft_exit_fail_msg("%s: %s\n", path, strerror(errno));
	fclose(f);
	return strtol(buf, NULL, 10);
}

/* ---- what a process sees ---------------------------------------------- */

struct view {
	int set_ret;		/* what PR_SET_VSYSCALL returned, if called */
	int exec_sig;		/* 0 if time() through the page returned */
	int read_sig;		/* 0 if a load from the page worked */
	char maps[32];		/* as maps_line() gives it */
	char status[32];	/* Vsyscall_policy: in /proc/self/status */
	int locked;		/* Vsyscall_policy_locked: */
	long get;		/* PR_GET_VSYSCALL, or -errno */
};

static struct view *views;	/* shared with children */

static void status_policy(struct view *v)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	snprintf(v->status, sizeof(v->status), "missing");
	v->locked = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int locked;

		if (sscanf(line, "Vsyscall_policy: %31s", v->status) == 1)
			continue;
		if (sscanf(line, "Vsyscall_policy_locked: %d", &locked) == 1)
			v->locked = locked;
	}
	fclose(f);
}

/* Look at the page from the current process. */
static void observe(struct view *v)
{
	v->exec_sig = CAPTURE(vtime(NULL));
	v->read_sig = CAPTURE(probe_read_byte(VSYSCALL_ADDR));
	maps_line(v->maps, sizeof(v->maps));
	status_policy(v);
	v->get = get_policy();
}

/* Does @v show what @policy must give under the boot mode? */
static bool view_matches(const struct view *v, int policy, bool locked, char *why, size_t len)
{
	const struct vsys_view *want = &vsys_table[expect.mode][policy];
	/* A refused deny (native) leaves the policy at default. */
	int effective = want->settable ? policy : VSYS_POLICY_DEFAULT;
	long want_get = effective | (locked ? PR_VSYSCALL_LOCKED : 0);
	const char *want_maps = want->maps_perms ? want->maps_perms : "";

	snprintf(why, len,
		 "exec sig %d (want %d), read sig %d (want %d), maps \"%s\" (want \"%s\"), status %s/%d (want %s/%d), get %ld (want %ld)",
		 v->exec_sig, want->exec ? 0 : SIGSEGV,
		 v->read_sig, want->read ? 0 : SIGSEGV,
		 v->maps, want_maps, v->status, v->locked,
		 vsys_policy_names[effective], locked, v->get, want_get);
	return v->exec_sig == (want->exec ? 0 : SIGSEGV) &&
	       v->read_sig == (want->read ? 0 : SIGSEGV) &&
	       !strcmp(v->maps, want_maps) &&
	       !strcmp(v->status, vsys_policy_names[effective]) &&
	       v->locked == locked && v->get == want_get;
}

/* Run @fn in a child; its return value is the child's exit status. */
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

/* ---- every cell of the table ------------------------------------------ */

static int cell_child(void *arg)
{
	int policy = (long)arg;

	views[0].set_ret = set_policy(policy, 0);
	observe(&views[0]);
	return 0;
}

static void test_table(void)
{
	char why[512];
	int p;

	for (p = 0; p < VSYS_N_POLICIES; p++) {
		const struct vsys_view *want = &vsys_table[expect.mode][p];
		int want_ret = want->settable ? 0 : -EOPNOTSUPP;

		memset(views, 0, sizeof(*views));
		if (in_child(cell_child, (void *)(long)p))
			ksft_exit_fail_msg("child for policy %s died\n", vsys_policy_names[p]);
		ksft_test_result(views[0].set_ret == want_ret,
				 "vsyscall=%s policy %s: PR_SET_VSYSCALL returns %d (want %d)\n",
				 expect.mode_name, vsys_policy_names[p], views[0].set_ret,
				 want_ret);
		ksft_test_result(view_matches(&views[0], p, false, why, sizeof(why)),
				 "vsyscall=%s policy %s: %s\n", expect.mode_name,
				 vsys_policy_names[p], why);
	}
}

/* ---- inheritance ------------------------------------------------------ */

/*
 * The policy the inheritance and lock tests use: one whose effect differs
 * from the default where the mode allows a difference.
 */
static int distinct_policy(void)
{
	switch (expect.mode) {
	case VSYS_MODE_NONE:
	case VSYS_MODE_NATIVE:
		return VSYS_POLICY_ALLOW;
	default:
		return VSYS_POLICY_DENY;
	}
}

/* Exit 0 if the current process sees @policy (locked or not) in force. */
static int check_self(int policy, bool locked)
{
	char why[512];
	struct view v;

	observe(&v);
	if (view_matches(&v, policy, locked, why, sizeof(why)))
		return 0;
	printf("# pid %d: %s\n", getpid(), why);
	return 1;
}

static int check_child(void *arg)
{
	return check_self((long)arg & 0xff, (long)arg & PR_VSYSCALL_LOCKED);
}

/* Exec this program to check the policy from a fresh image. */
static int exec_check(void *arg)
{
	char policy[16], locked[16];

	snprintf(policy, sizeof(policy), "%ld", (long)arg & 0xff);
	snprintf(locked, sizeof(locked), "%d", !!((long)arg & PR_VSYSCALL_LOCKED));
	execl(SELF_EXE, SELF_EXE, "--check", policy, locked, (char *)NULL);
	return 127;
}

static int grandchild(void *arg)
{
	return in_child(exec_check, arg);
}

static void *thread_set(void *arg)
{
	return (void *)set_policy((long)arg, 0);
}

static int threads_child(void *arg)
{
	int policy = (long)arg;
	pthread_t t;
	void *ret;

	/* Set in a second thread; the first must see it. */
	if (pthread_create(&t, NULL, thread_set, arg) || pthread_join(t, &ret) || ret)
		return 2;
	return check_self(policy, false);
}

static int inherit_child(void *arg)
{
	int policy = (long)arg;
	int r;

	if (set_policy(policy, 0))
		return 2;
	r = in_child(check_child, arg);
	if (r)
		return 10 + r;
	r = in_child(exec_check, arg);
	if (r)
		return 20 + r;
	r = in_child(grandchild, arg);
	if (r)
		return 30 + r;
	return 0;
}

static void test_inheritance(void)
{
	long p = distinct_policy();
	int r;

	r = in_child(threads_child, (void *)p);
	ksft_test_result(r == 0, "policy %s set in one thread applies to the whole process (%d)\n",
			 vsys_policy_names[p], r);
	r = in_child(inherit_child, (void *)p);
	ksft_test_result(r == 0,
			 "policy %s is inherited by fork, kept across execve, and reaches a grandchild (%d: 1x fork, 2x execve, 3x grandchild)\n",
			 vsys_policy_names[p], r);
}

/* ---- lock, and setting the policy a process already has ------------- */

/* "ok" or the errno name of a PR_SET_VSYSCALL result */
static const char *ret_name(long r)
{
	static char buf[4][16];
	static int i;

	switch (r) {
	case 0:
		return "ok";
	case -EPERM:
		return "EPERM";
	case -EINVAL:
		return "EINVAL";
	case -EOPNOTSUPP:
		return "EOPNOTSUPP";
	}
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%ld", r);
	return buf[i];
}

/*
 * In a process locked at policy (arg & 0xff): setting that policy again,
 * with or without the lock flag, succeeds; any other policy is EPERM,
 * even one the boot mode could not enforce (EPERM is checked first).
 */
static int try_sets(void *arg)
{
	int locked_at = (long)arg & 0xff;
	int q;

	for (q = 0; q < VSYS_N_POLICIES; q++) {
		long want = q == locked_at ? 0 : -EPERM;
		long r0 = set_policy(q, 0), r1 = set_policy(q, PR_VSYSCALL_LOCK);

		if (r0 == want && r1 == want)
			continue;
		printf("# pid %d locked at %s: set %s: %s, with the lock flag: %s (want %s)\n",
		       getpid(), vsys_policy_names[locked_at], vsys_policy_names[q],
		       ret_name(r0), ret_name(r1), ret_name(want));
		return 1;
	}
	return check_self(locked_at, true);
}

static int exec_try_sets(void *arg)
{
	char policy[16];

	snprintf(policy, sizeof(policy), "%ld", (long)arg & 0xff);
	execl(SELF_EXE, SELF_EXE, "--locked", policy, (char *)NULL);
	return 127;
}

static int lock_child(void *arg)
{
	long p = (long)arg, r;

	r = set_policy(p, 0);
	if (!vsys_table[expect.mode][p].settable) {
		/* Refused, with the lock flag too, and nothing changed */
		if (r != -EOPNOTSUPP || set_policy(p, PR_VSYSCALL_LOCK) != -EOPNOTSUPP)
			return 1;
		return get_policy() == VSYS_POLICY_DEFAULT ? 0 : 2;
	}
	if (r)
		return 3;
	/* Setting it again on an unlocked process: no change, still unlocked */
	if (set_policy(p, 0) || get_policy() != p)
		return 4;
	/* ... and with the lock flag: that locks it */
	if (set_policy(p, PR_VSYSCALL_LOCK) || get_policy() != (p | PR_VSYSCALL_LOCKED))
		return 5;
	r = try_sets((void *)(p | PR_VSYSCALL_LOCKED));
	if (r)
		return 10 + r;
	r = in_child(try_sets, (void *)(p | PR_VSYSCALL_LOCKED));
	if (r)
		return 20 + r;
	r = in_child(exec_try_sets, (void *)p);
	if (r)
		return 30 + r;
	return 0;
}

static void test_lock(void)
{
	long p;
	int r;

	for (p = 0; p < VSYS_N_POLICIES; p++) {
		r = in_child(lock_child, (void *)p);
		if (!vsys_table[expect.mode][p].settable)
			ksft_test_result(r == 0,
					 "vsyscall=%s refuses %s with and without the lock flag (EOPNOTSUPP) and the process stays at default, unlocked (%ld)\n",
					 expect.mode_name, vsys_policy_names[p], (long)r);
		else
			ksft_test_result(r == 0,
					 "policy %s: setting it again succeeds (4x), with the lock flag it locks it (5x); locked, %s again succeeds and every other policy is EPERM, in the process (1x), a child (2x) and after execve (3x) (%d)\n",
					 vsys_policy_names[p], vsys_policy_names[p], r);
	}
}

/* ---- permissions ------------------------------------------------------ */

/* Does policy @p give more than @q in this boot mode (calls or reads that @q refuses)? */
static bool grants_more(int p, int q)
{
	const struct vsys_view *a = &vsys_table[expect.mode][p];
	const struct vsys_view *b = &vsys_table[expect.mode][q];

	return (a->exec && !b->exec) || (a->read && !b->read);
}

/*
 * What PR_SET_VSYSCALL(@p) must return in a process at @cur (locked or
 * not).  Setting the policy a process has is always fine; changing a
 * locked one is EPERM, checked first; a policy the mode cannot enforce is
 * EOPNOTSUPP; privilege is needed only for a policy that grants more than
 * both what the process has and what the boot mode gives everyone.
 */
static long want_set(int cur, bool locked, int p, bool privileged)
{
	if (p == cur)
		return 0;
	if (locked)
		return -EPERM;
	if (!vsys_table[expect.mode][p].settable)
		return -EOPNOTSUPP;
	if (!privileged && grants_more(p, cur) && grants_more(p, VSYS_POLICY_DEFAULT))
		return -EPERM;
	return 0;
}

/*
 * The sets an unprivileged process makes after it inherited a policy
 * (the first two set that policy again): deny <-> default is always free,
 * and once the process left allow under vsyscall=none it cannot go back.
 */
static const int walk[] = {
	-1, -1, VSYS_POLICY_ALLOW, VSYS_POLICY_DEFAULT, VSYS_POLICY_ALLOW, VSYS_POLICY_DENY,
	VSYS_POLICY_ALLOW, VSYS_POLICY_DEFAULT, VSYS_POLICY_DENY, VSYS_POLICY_DEFAULT,
};

#define WALK_LEN ((int)ARRAY_SIZE(walk))

/* What a child reports back, in shared memory */
struct unpriv_report {
	long start_ret;		/* root setting the inherited policy */
	int dropped;		/* 0, or why dropping privilege failed */
	int drop_errno;		/* errno of the failed drop */
	long ret[WALK_LEN];	/* the walk's sets */
	long lock_ret, get_locked, reassert_ret, reassert_lock_ret;
	long change_ret[VSYS_N_POLICIES][2];	/* each policy, without and with the lock flag */
	long get_end;
};

static struct unpriv_report *unpriv;

#define DROP_NOBODY_FAILED	2
#define DROP_USERNS_FAILED	3

/* Give up privilege: become nobody, or root in a new user namespace */
static int drop_privilege(bool userns)
{
	if (userns)
		return unshare(CLONE_NEWUSER) ? DROP_USERNS_FAILED : 0;
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return DROP_NOBODY_FAILED;
	return 0;
}

/*
 * No user namespace to try: CONFIG_USER_NS=n (EINVAL),
 * user.max_user_namespaces=0 (ENOSPC), or a sandbox or LSM that refuses
 * them (EPERM).  That is the machine's setup, not a policy bug.
 */
static bool userns_unavailable(bool userns)
{
	int e = unpriv->drop_errno;

	return userns && unpriv->dropped == DROP_USERNS_FAILED &&
	       (e == EPERM || e == ENOSPC || e == EINVAL);
}

#define UNPRIV_USERNS	0x100
#define UNPRIV_LOCK	0x200

/* arg: start policy | UNPRIV_USERNS? | UNPRIV_LOCK? */
static int unpriv_child(void *arg)
{
	int start = (long)arg & 0xff, cur, q, i;

	/* Inherited from a privileged parent (here: set before the drop) */
	unpriv->start_ret = set_policy(start, 0);
	unpriv->dropped = drop_privilege((long)arg & UNPRIV_USERNS);
	if (unpriv->dropped) {
		unpriv->drop_errno = errno;
		return 0;
	}
	cur = unpriv->start_ret ? VSYS_POLICY_DEFAULT : start;
	if (!((long)arg & UNPRIV_LOCK)) {
		for (i = 0; i < WALK_LEN; i++)
			unpriv->ret[i] = set_policy(walk[i] < 0 ? cur : walk[i], 0);
		unpriv->get_end = get_policy();
		return 0;
	}
	unpriv->lock_ret = set_policy(cur, PR_VSYSCALL_LOCK);
	unpriv->get_locked = get_policy();
	unpriv->reassert_ret = set_policy(cur, 0);
	unpriv->reassert_lock_ret = set_policy(cur, PR_VSYSCALL_LOCK);
	for (q = 0; q < VSYS_N_POLICIES; q++) {
		unpriv->change_ret[q][0] = set_policy(q, 0);
		unpriv->change_ret[q][1] = set_policy(q, PR_VSYSCALL_LOCK);
	}
	unpriv->get_end = get_policy();
	return 0;
}

/* Append to @buf */
static void addf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static void check_unprivileged_walk(const char *who, bool userns, int start)
{
	long want_start = want_set(VSYS_POLICY_DEFAULT, false, start, true);
	int cur = want_start ? VSYS_POLICY_DEFAULT : start;
	char got[256] = "", want[256] = "";
	bool ok;
	int r, i, p;

	memset(unpriv, 0, sizeof(*unpriv));
	r = in_child(unpriv_child, (void *)(long)(start | (userns ? UNPRIV_USERNS : 0)));
	if (userns_unavailable(userns)) {
		ksft_test_result_skip("%s that inherited %s: unshare(CLONE_NEWUSER): %s\n",
				      who, vsys_policy_names[start], strerror(unpriv->drop_errno));
		return;
	}
	ok = r == 0 && !unpriv->dropped && unpriv->start_ret == want_start;
	for (i = 0; i < WALK_LEN; i++) {
		long w;

		p = walk[i] < 0 ? cur : walk[i];
		w = want_set(cur, false, p, false);
		ok = ok && unpriv->ret[i] == w;
		addf(got, sizeof(got), "%s%s=%s", i ? " " : "", vsys_policy_names[p],
		     ret_name(unpriv->ret[i]));
		addf(want, sizeof(want), "%s%s", i ? " " : "", ret_name(w));
		if (!w)
			cur = p;
	}
	ok = ok && unpriv->get_end == cur;
	ksft_test_result(ok,
			 "%s that inherited %s: %s, then PR_GET_VSYSCALL %ld (want %s, then %d; child %d, drop %d, inherited %s)\n",
			 who, vsys_policy_names[start], got, unpriv->get_end, want, cur, r,
			 unpriv->dropped, ret_name(unpriv->start_ret));
}

static void check_unprivileged_lock(const char *who, bool userns, int start)
{
	int cur = want_set(VSYS_POLICY_DEFAULT, false, start, true) ? VSYS_POLICY_DEFAULT : start;
	long locked = cur | PR_VSYSCALL_LOCKED;
	char changes[160] = "";
	bool ok;
	int r, q;

	memset(unpriv, 0, sizeof(*unpriv));
	r = in_child(unpriv_child,
		     (void *)(long)(start | UNPRIV_LOCK | (userns ? UNPRIV_USERNS : 0)));
	if (userns_unavailable(userns)) {
		ksft_test_result_skip("%s that inherited %s locks it: unshare(CLONE_NEWUSER): %s\n",
				      who, vsys_policy_names[start], strerror(unpriv->drop_errno));
		return;
	}
	ok = r == 0 && !unpriv->dropped && unpriv->lock_ret == 0 &&
	     unpriv->get_locked == locked && unpriv->reassert_ret == 0 &&
	     unpriv->reassert_lock_ret == 0 && unpriv->get_end == locked;
	for (q = 0; q < VSYS_N_POLICIES; q++) {
		long w = q == cur ? 0 : -EPERM;

		ok = ok && unpriv->change_ret[q][0] == w && unpriv->change_ret[q][1] == w;
		addf(changes, sizeof(changes), "%s%s=%s/%s", q ? " " : "", vsys_policy_names[q],
		     ret_name(unpriv->change_ret[q][0]), ret_name(unpriv->change_ret[q][1]));
	}
	ksft_test_result(ok,
			 "%s that inherited %s%s locks it (%s, get %#lx), sets it again (%s, with the lock flag %s), other policies EPERM: %s (child %d, drop %d)\n",
			 who, vsys_policy_names[start], cur != start ? " (refused: default)" : "",
			 ret_name(unpriv->lock_ret), unpriv->get_locked,
			 ret_name(unpriv->reassert_ret), ret_name(unpriv->reassert_lock_ret),
			 changes, r, unpriv->dropped);
}

/* With allow_unprivileged=1: what nobody gets for each policy from default */
static int relaxed_sets(void *arg)
{
	long *ret = arg;
	int p;

	if (drop_privilege(false))
		return 2;
	for (p = 0; p < VSYS_N_POLICIES; p++)
		ret[p] = set_policy(p, 0);
	return 0;
}

static void test_permissions(void)
{
	long *got = (long *)unpriv;
	int p, r;

	for (p = 0; p < VSYS_N_POLICIES; p++) {
		check_unprivileged_walk("nobody", false, p);
		check_unprivileged_lock("nobody", false, p);
		check_unprivileged_walk("root in a user namespace", true, p);
		check_unprivileged_lock("root in a user namespace", true, p);
	}

	set_param("allow_unprivileged", "1");
	memset(got, 0, sizeof(long) * VSYS_N_POLICIES);
	r = in_child(relaxed_sets, got);
	for (p = 0; p < VSYS_N_POLICIES; p++) {
		long w = want_set(VSYS_POLICY_DEFAULT, false, p, true);

		ksft_test_result(r == 0 && got[p] == w,
				 "nobody with allow_unprivileged=1 sets %s: %s (want %s)\n",
				 vsys_policy_names[p], ret_name(got[p]), ret_name(w));
	}
	set_param("allow_unprivileged", saved_allow);
}

/* ---- bad input -------------------------------------------------------- */

static void test_bad_input(void)
{
	static const struct {
		const char *what;
		int option;
		unsigned long a2, a3, a4, a5;
	} bad[] = {
		{ "unknown policy 3", PR_SET_VSYSCALL, 3, 0, 0, 0 },
		{ "unknown policy ~0", PR_SET_VSYSCALL, ~0UL, 0, 0, 0 },
		{ "unknown flag bit 1", PR_SET_VSYSCALL, 0, 2, 0, 0 },
		{ "unknown flag bit 63", PR_SET_VSYSCALL, 0, 1UL << 63, 0, 0 },
		{ "SET with arg4 != 0", PR_SET_VSYSCALL, 0, 0, 1, 0 },
		{ "SET with arg5 != 0", PR_SET_VSYSCALL, 0, 0, 0, 1 },
		{ "GET with arg2 != 0", PR_GET_VSYSCALL, 1, 0, 0, 0 },
		{ "GET with arg3 != 0", PR_GET_VSYSCALL, 0, 1, 0, 0 },
		{ "GET with arg4 != 0", PR_GET_VSYSCALL, 0, 0, 1, 0 },
		{ "GET with arg5 != 0", PR_GET_VSYSCALL, 0, 0, 0, 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		long r = prctl(bad[i].option, bad[i].a2, bad[i].a3, bad[i].a4, bad[i].a5);
		int err = errno;

		ksft_test_result(r == -1 && err == EINVAL, "%s: EINVAL (ret %ld, %s)\n",
				 bad[i].what, r, r < 0 ? strerror(err) : "no error");
	}
	ksft_test_result(get_policy() == VSYS_POLICY_DEFAULT,
			 "the refused calls left the policy at default (%ld)\n", get_policy());
}

/* ---- counters and the log --------------------------------------------- */

#define N_EMULATED 7
#define N_DENIED 5

/*
 * time() through the page: 0, or the signal that ended the call.  In a
 * function of its own, which GCC does not inline as it calls sigsetjmp():
 * the loops that call it keep no variable across a sigsetjmp() that the
 * siglongjmp() of a fault could clobber.
 */
static int time_sig(void)
{
	return CAPTURE(vtime(NULL));
}

static int make_calls(void *arg)
{
	long n = (long)arg & 0xffff;
	int p = (long)arg >> 16;
	long i;

	if (set_policy(p, 0))
		return 2;
	for (i = 0; i < n; i++)
		if (time_sig() != (vsys_table[expect.mode][p].exec ? 0 : SIGSEGV))
			return 3;
	return 0;
}

/* The first policy that emulates and the first that denies in this mode */
static int policy_where(bool exec)
{
	int p;

	for (p = 0; p < VSYS_N_POLICIES; p++)
		if (vsys_table[expect.mode][p].settable && vsys_table[expect.mode][p].exec == exec)
			return p;
	return -1;
}

/* The line warn_bad_vsyscall() logs for a denied call: comm[pid] ... */
#define DENIED_FMT "%s[%d] vsyscall attempted with vsyscall=%s, denied by policy %s"

/*
 * Make @n calls under policy @pd, which denies them, in a child, and set
 * @needle to the log line they give and @before to how often it was in
 * the log before them.  The line names the child's pid, so the child
 * waits until the parent has counted.
 */
static int denied_calls(int pd, long n, char *needle, size_t len, int *before)
{
	int go[2];
	pid_t pid;
	char c;

	if (pipe(go))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(make_calls((void *)(n | (long)pd << 16)));
	}
	close(go[0]);
	snprintf(needle, len, DENIED_FMT, self_comm, (int)pid, expect.mode_name,
		 vsys_policy_names[pd]);
	*before = kernel_log_count(needle);
	if (write(go[1], "g", 1) != 1)
		ksft_print_msg("pipe to the child that makes denied calls: %s\n", strerror(errno));
	close(go[1]);
	return wait_child(pid);
}

/* debug.exception-trace, or -1 when unknown: at 0 no denied call is logged */
static int exception_trace(void)
{
	FILE *f = fopen("/proc/sys/debug/exception-trace", "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void check_denied_log(int pd, char *needle, size_t len, int before)
{
	int after;

	if (exception_trace() == 0) {
		ksft_test_result_skip("log of a denied call: debug.exception-trace is 0\n");
		return;
	}
	after = kernel_log_count(needle);
	if (before >= 0 && after >= 0 && after <= before) {
		/*
		 * The line is printk_ratelimited(): 10 in 5 seconds, which
		 * denied calls made just before the suite can use up.  Wait
		 * for the next interval and try once more.
		 */
		ksft_print_msg("no \"%s\" in the kernel log, retrying in 5 s (rate limit)\n",
			       needle);
		sleep(5);
		denied_calls(pd, 1, needle, len, &before);
		after = kernel_log_count(needle);
	}
	if (before < 0 || after < 0) {
		ksft_test_result_skip("log of a denied call: the kernel log is not readable\n");
		return;
	}
	ksft_test_result(after > before, "kernel log: \"%s\"\n", needle);
}

static void test_counters_and_log(void)
{
	/* Native mode runs calls without a trap: nothing to count. */
	bool traps = expect.mode != VSYS_MODE_NATIVE;
	int pe = policy_where(true), pd = policy_where(false);
	long e0 = read_sysfs_long("emulated"), d0 = read_sysfs_long("denied");
	long want_e = traps ? N_EMULATED : 0, want_d = pd >= 0 ? N_DENIED : 0;
	char needle[160];
	char mode[32] = "";
	FILE *f;
	int r1, r2 = 0, before = -1;

	f = fopen("/sys/kernel/vsyscall_policy/boot_mode", "r");
	if (!f || !fgets(mode, sizeof(mode), f))
		ksft_exit_fail_msg("boot_mode: %s\n", strerror(errno));
	fclose(f);
	mode[strcspn(mode, "\n")] = '\0';
	ksft_test_result(!strcmp(mode, expect.mode_name), "sysfs boot_mode is %s (got %s)\n",
			 expect.mode_name, mode);

	r1 = in_child(make_calls, (void *)(long)(N_EMULATED | pe << 16));
	if (pd >= 0)
		r2 = denied_calls(pd, N_DENIED, needle, sizeof(needle), &before);
	ksft_test_result(r1 == 0 && r2 == 0 &&
			 read_sysfs_long("emulated") - e0 == want_e &&
			 read_sysfs_long("denied") - d0 == want_d,
			 "sysfs counters: +%ld emulated (want %ld), +%ld denied (want %ld)\n",
			 read_sysfs_long("emulated") - e0, want_e,
			 read_sysfs_long("denied") - d0, want_d);

	if (pd >= 0) {
		check_denied_log(pd, needle, sizeof(needle), before);
		return;
	}
	ksft_test_result_skip("log of a denied call: vsyscall=%s has no policy that denies\n",
			      expect.mode_name);
}

/* ---- a second registration ------------------------------------------- */

#define DUP_NAME "vsyscall_policy_dup"

/*
 * The same module built under another name, vsyscall_policy_dup.ko: next
 * to the module in use unless VSYSCALL_POLICY_DUP_KO says where.  Without
 * that variable and without the file, the checks below skip, since a
 * kernel CI run has no such build.
 */
static const char *dup_path(void)
{
	static char path[PATH_MAX];
	const char *p = getenv("VSYSCALL_POLICY_DUP_KO");
	const char *slash;

	if (p)
		return p;
	slash = strrchr(ko_path, '/');
	snprintf(path, sizeof(path), "%.*s" DUP_NAME ".ko",
		 slash ? (int)(slash - ko_path + 1) : 0, ko_path);
	return path;
}

/* Is @name in /proc/modules? */
static bool module_listed(const char *name)
{
	char line[512];
	size_t n = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		ksft_exit_fail_msg("/proc/modules: %s\n", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ')
			found = true;
	fclose(f);
	return found;
}

/* The prctl options still work: set a policy and read it back */
static int set_and_get(void *arg)
{
	long p = distinct_policy();

	return set_policy(p, 0) == 0 && get_policy() == p ? 0 : 1;
}

static void test_second_registration(void)
{
	static const char needle[] = "vsyscall: policy ops already registered by "
		MODULE_NAME ", refusing " DUP_NAME;
	int fd = open(dup_path(), O_RDONLY | O_CLOEXEC);
	int i, r = fd < 0 ? -errno : 0;
	int refused0, warnings0, refused, warnings;
	bool warned;

	if (r == -ENOENT && !getenv("VSYSCALL_POLICY_DUP_KO")) {
		for (i = 0; i < 3; i++)
			ksft_test_result_skip("second registration: no %s\n", dup_path());
		return;
	}
	/* Only what this load attempt logs counts, not earlier runs' lines */
	refused0 = kernel_log_count(needle);
	warnings0 = kernel_log_count("WARNING:");
	if (fd >= 0) {
		r = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
		close(fd);
	}
	ksft_test_result(r == -EBUSY,
			 "a second copy of the module (%s) fails to load: %s (want EBUSY)\n",
			 dup_path(), r ? strerror(-r) : "it loaded");
	if (r == 0)
		syscall(SYS_delete_module, DUP_NAME, O_NONBLOCK);

	ksft_test_result(module_listed(MODULE_NAME) && !module_listed(DUP_NAME) &&
			 get_policy() == VSYS_POLICY_DEFAULT && in_child(set_and_get, NULL) == 0,
			 "the first module stays loaded and serves PR_GET_VSYSCALL and PR_SET_VSYSCALL (%s listed, %s %slisted, get %ld)\n",
			 MODULE_NAME, DUP_NAME, module_listed(DUP_NAME) ? "" : "not ",
			 get_policy());
	refused = kernel_log_count(needle);
	warnings = kernel_log_count("WARNING:");
	if (refused0 < 0 || warnings0 < 0 || refused < 0 || warnings < 0) {
		ksft_test_result_skip("log of a second registration: the log is not readable\n");
		return;
	}
	warned = warnings > warnings0;
	ksft_test_result(refused > refused0 && !warned,
			 "kernel log: \"%s\", and no WARNING%s\n",
			 needle, warned ? " (but there is one)" : "");
}

/* ---- without the module ----------------------------------------------- */

/* @fds: read end of "unloaded", write end of "policy set" */
static int wait_for_unload(int *fds)
{
	long p = distinct_policy();
	char c = 's';

	if (set_policy(p, 0))
		return 2;
	if (write(fds[1], &c, 1) != 1 || read(fds[0], &c, 1) != 1)
		return 3;
	/* The module is gone now: the options are too, the policy is not. */
	if (get_policy() != -EINVAL || set_policy(VSYS_POLICY_DEFAULT, 0) != -EINVAL)
		return 4;
	views[0].exec_sig = CAPTURE(vtime(NULL));
	views[0].read_sig = CAPTURE(probe_read_byte(VSYSCALL_ADDR));
	maps_line(views[0].maps, sizeof(views[0].maps));
	return 0;
}

static void test_without_module(void)
{
	const struct vsys_view *want = &vsys_table[expect.mode][distinct_policy()];
	int unloaded[2], set[2], fds[2], r, u;
	pid_t pid;
	char c;

	if (pipe(unloaded) || pipe(set))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* Without these, a parent that dies leaves this read blocked */
		close(unloaded[1]);
		close(set[0]);
		fds[0] = unloaded[0];
		fds[1] = set[1];
		_exit(wait_for_unload(fds));
	}
	/* ... and a child that fails before its write gives EOF, not a hang */
	close(unloaded[0]);
	close(set[1]);
	/* Unload only once the child's policy is set; tell it when done. */
	u = read(set[0], &c, 1) == 1 ? unload_module() : -EPIPE;
	if (u != -EPIPE && write(unloaded[1], "u", 1) != 1)
		ksft_print_msg("pipe to the child: %s\n", strerror(errno));
	close(set[0]);
	close(unloaded[1]);
	r = wait_child(pid);

	ksft_test_result(u == 0, "module unloads (%d)\n", u);
	ksft_test_result(get_policy() == -EINVAL && set_policy(VSYS_POLICY_DEFAULT, 0) == -EINVAL,
			 "without the module PR_GET_VSYSCALL and PR_SET_VSYSCALL are EINVAL\n");
	ksft_test_result(r == 0 && views[0].exec_sig == (want->exec ? 0 : SIGSEGV) &&
			 views[0].read_sig == (want->read ? 0 : SIGSEGV) &&
			 !strcmp(views[0].maps, want->maps_perms ? want->maps_perms : ""),
			 "policy %s set before the unload stays enforced (child %d, exec %d, read %d, maps \"%s\")\n",
			 vsys_policy_names[distinct_policy()], r, views[0].exec_sig,
			 views[0].read_sig, views[0].maps);
	r = load_module();
	ksft_test_result(r == 0 && get_policy() == VSYS_POLICY_DEFAULT,
			 "module loads again and serves PR_GET_VSYSCALL (%d)\n", r);
}

/* ---- unload while others call prctl ----------------------------------- */

#define STRESS_SECONDS 4

static int stress_child(void *arg)
{
	time_t end = time(NULL) + STRESS_SECONDS;
	long p = (long)arg;
	long in_force = VSYS_POLICY_DEFAULT;
	long r;

	/*
	 * While the module comes and goes, each prctl either works or fails
	 * with EINVAL, and the policy in force is the last one that was set.
	 */
	while (time(NULL) < end) {
		r = set_policy(p, 0);
		if (r == 0)
			in_force = p;
		else if (r != -EINVAL)
			return 2;
		r = get_policy();
		if (r != -EINVAL && r != in_force)
			return 3;
		if (time_sig() != (vsys_table[expect.mode][in_force].exec ? 0 : SIGSEGV))
			return 4;
	}
	return 0;
}

static void test_unload_stress(void)
{
	time_t end = time(NULL) + STRESS_SECONDS;
	pid_t pids[2];
	int cycles = 0, bad = 0, i, r[2];
	long p[2] = { VSYS_POLICY_DEFAULT, distinct_policy() };

	fflush(stdout);
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(stress_child((void *)p[i]));
	}
	while (time(NULL) < end) {
		if (unload_module() || load_module())
			bad++;
		cycles++;
	}
	for (i = 0; i < 2; i++)
		r[i] = wait_child(pids[i]);
	ksft_test_result(!bad && !r[0] && !r[1] && cycles > 1,
			 "%d unload/reload cycles while 2 processes call prctl and the page: failures %d, children %d %d\n",
			 cycles, bad, r[0], r[1]);
}

/* ---- main ------------------------------------------------------------- */

/*
 * The kernel logs comm, which need not be the name the binary was run
 * by, nor that name cut to 15 characters.
 */
static void read_comm(void)
{
	FILE *f = fopen("/proc/self/comm", "r");

	if (!f || !fgets(self_comm, sizeof(self_comm), f))
		ksft_exit_fail_msg("/proc/self/comm: %s\n", strerror(errno));
	fclose(f);
	self_comm[strcspn(self_comm, "\n")] = '\0';
}

/* One term per test function, in the order main() calls them */
#define PLAN (3 + 2 * VSYS_N_POLICIES + 2 + VSYS_N_POLICIES + 5 * VSYS_N_POLICIES + 11 + 3 + 4 + 1)

int main(int argc, char **argv)
{
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };
	int r;

	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		ksft_exit_fail_msg("sigaltstack: %s\n", strerror(errno));
	on_signal(SIGSEGV, catch_signal);

	/* Re-executed by the inheritance and lock tests */
	if (argc == 4 && !strcmp(argv[1], "--check")) {
		setenv("EXPECT_POLICY", "default", 1);
		vsys_expect_from_env(&expect);
		return check_self(atoi(argv[2]), atoi(argv[3]));
	}
	if (argc == 3 && !strcmp(argv[1], "--locked")) {
		vsys_expect_from_env(&expect);
		return try_sets((void *)(atol(argv[2]) | PR_VSYSCALL_LOCKED));
	}

	ksft_print_header();
	/*
	 * Whatever can skip the whole suite comes before the plan: after
	 * it, kselftest.h takes ksft_exit_skip() for a misuse.
	 */
	ko_path = vsys_module_path();
	if (geteuid() != 0)
		ksft_exit_skip("needs root: it loads and unloads vsyscall_policy.ko\n");
	if (module_listed(MODULE_NAME))
		ksft_exit_skip("%s is loaded: the suite unloads and reloads it, %s\n", MODULE_NAME,
			       "which would take it from the owner's running containers; unload it first");
	vsys_expect_from_env(&expect);

	/*
	 * The re-executed helpers take the mode from here, not from a boot
	 * log that may have rotated by then.
	 */
	setenv("EXPECT_MODE", expect.mode_name, 1);
	read_comm();
	/* A child that died must show as a failed write, not kill the suite */
	signal(SIGPIPE, SIG_IGN);
	views = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unpriv = mmap(NULL, sizeof(*unpriv), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (views == MAP_FAILED || unpriv == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));

	/*
	 * Lockdown, modules_disabled and signature enforcement refuse an
	 * out-of-tree module: nothing here can run then.
	 */
	r = load_module();
	if (r == -EPERM || r == -EKEYREJECTED || r == -ENOKEY)
		ksft_exit_skip("loading %s: %s: this kernel does not load it\n", ko_path, strerror(-r));
	if (r)
		ksft_exit_fail_msg("loading %s: %s\n", ko_path, strerror(-r));
	suite_pid = getpid();
	if (atexit(put_back))
		ksft_exit_fail_msg("atexit failed\n");
	get_param("allow_unprivileged", saved_allow, sizeof(saved_allow));
	ksft_set_plan(PLAN);

	/* First, before other tests' denied calls use up the log's rate limit */
	test_counters_and_log();	/* 3 */
	test_table();			/* 2 * VSYS_N_POLICIES */
	test_inheritance();		/* 2 */
	test_lock();			/* VSYS_N_POLICIES */
	test_permissions();		/* 5 * VSYS_N_POLICIES */
	test_bad_input();		/* 11 */
	test_second_registration();	/* 3 */
	test_without_module();		/* 4 */
	test_unload_stress();		/* 1 */

	ksft_finished();
}
