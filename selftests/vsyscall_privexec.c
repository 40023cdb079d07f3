// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_privexec: the policy and its lock are kept across an exec that
 * gains privilege: setuid root, setgid root, a file capability
 * (DESIGN.md section 3, "Privileged exec"; kept, as MDWE keeps its flag),
 * with and without no_new_privs.
 *
 * As root: copy vsyscall_report (VSYSCALL_REPORT, default next to this
 * program) into a fresh tmpfs as a setuid-root, a setgid-root and a
 * CAP_NET_RAW (permitted + effective) file; then, for deny and allow,
 * unlocked and locked, set the policy as root, become uid/gid 65534 and
 * exec each copy.  The copy must really have gained the privilege, report
 * the policy and lock that were set, get from the page what the table in
 * vsyscall_expect.h gives that policy, and, when locked, fail to change it
 * (EPERM, even as root).  Under no_new_privs it gains
 * nothing and keeps the policy all the same.  vsyscall=native refuses deny,
 * which is asserted instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/vsyscall_policy.h>

#include "vsyscall_expect.h"
#include "vsyscall_load_module.h"

#define NOBODY 65534

static struct vsys_expect expect;
static char dir[] = "/tmp/vsyscall_privexec.XXXXXX";

enum kind { SETUID, SETGID, FCAP, N_KINDS };
static const char * const kind_names[] = { "setuid-root", "setgid-root", "cap_net_raw+ep" };
static char copies[N_KINDS][PATH_MAX];

/* ---- the copies ---------------------------------------------------------- */

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	ssize_t n;

	if (in < 0 || out < 0)
		ksft_exit_fail_msg("copying %s to %s: %s\n", from, to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			ksft_exit_fail_msg("writing %s: %s\n", to, strerror(errno));
	if (n < 0)
		ksft_exit_fail_msg("reading %s: %s\n", from, strerror(errno));
	/* chown() clears the set-id bits, so it comes first */
	if (fchown(out, 0, 0) || fchmod(out, mode))
		ksft_exit_fail_msg("%s: %s\n", to, strerror(errno));
	close(in);
	if (close(out))
		ksft_exit_fail_msg("%s: %s\n", to, strerror(errno));
}

/* security.capability, revision 2: CAP_NET_RAW permitted, effective */
static int set_file_cap(const char *path)
{
	struct vfs_cap_data cap = {
		.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE,
	};

	cap.data[0].permitted = 1U << CAP_NET_RAW;
	return setxattr(path, "security.capability", &cap, XATTR_CAPS_SZ_2, 0) ? -errno : 0;
}

static void cleanup(void)
{
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/* 0, or -errno of setting the file capability */
static int make_copies(const char *report)
{
	if (!mkdtemp(dir))
		ksft_exit_fail_msg("mkdtemp: %s\n", strerror(errno));
	/* A tmpfs of its own: the initramfs root may not hold xattrs. */
	if (mount("tmpfs", dir, "tmpfs", 0, "mode=0755"))
		ksft_exit_fail_msg("mount tmpfs on %s: %s\n", dir, strerror(errno));
	atexit(cleanup);
	snprintf(copies[SETUID], PATH_MAX, "%s/report-setuid", dir);
	snprintf(copies[SETGID], PATH_MAX, "%s/report-setgid", dir);
	snprintf(copies[FCAP], PATH_MAX, "%s/report-fcap", dir);
	copy_file(report, copies[SETUID], 04755);
	copy_file(report, copies[SETGID], 02755);
	copy_file(report, copies[FCAP], 0755);
	return set_file_cap(copies[FCAP]);
}

/* ---- one exec ----------------------------------------------------------------- */

struct report {
	int ruid, euid, rgid, egid;
	unsigned long long capeff;
	long get;
	char exec[16], read[16];
	long setdefault;
};

/*
 * Set @policy (@flags) as root, become nobody (with @nnp, no_new_privs),
 * exec @path.  Returns the child's exit status (90+ when a step before the
 * exec failed) and the line it printed in @line.
 */
static int run_copy(const char *path, int policy, unsigned long flags, bool nnp,
		    char *line, size_t len)
{
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fds))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		if (set_policy(policy, flags))
			_exit(90);
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(91);
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			_exit(92);
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(93);
		execl(path, path, (char *)NULL);
		_exit(94);
	}
	close(fds[1]);
	while (got < (ssize_t)len - 1 && (n = read(fds[0], line + got, len - 1 - got)) > 0)
		got += n;
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool parse(const char *line, struct report *r)
{
	return sscanf(line, "ruid=%d euid=%d rgid=%d egid=%d capeff=%llx get=%ld exec=%15s read=%15s setdefault=%ld",
		      &r->ruid, &r->euid, &r->rgid, &r->egid, &r->capeff, &r->get,
		      r->exec, r->read, &r->setdefault) == 9;
}

static int fcap_err;

static void test_exec(enum kind k, int policy, bool lock, bool nnp)
{
	const struct vsys_view *want = &vsys_table[expect.mode][policy];
	long want_get = policy | (lock ? PR_VSYSCALL_LOCKED : 0);
	const char *want_exec = want->exec ? "ok" : "sig11";
	const char *want_read = want->read ? "ok" : "sig11";
	/* Locked stays locked, also for a program that is root now */
	long want_setdefault = lock ? -EPERM : 0;
	char line[256], what[64];
	struct report r = { 0 };
	bool elevated = false, dropped, ok;
	int status;

	snprintf(what, sizeof(what), "%s%s%s", vsys_policy_names[policy], lock ? "+lock" : "",
		 nnp ? ", no_new_privs" : "");
	if (k == FCAP && fcap_err) {
		ksft_test_result_fail("%s exec, %s: cannot set security.capability on tmpfs: %s (CONFIG_TMPFS_XATTR?)\n",
				      kind_names[k], what, strerror(-fcap_err));
		return;
	}
	status = run_copy(copies[k], policy, lock ? PR_VSYSCALL_LOCK : 0, nnp, line, sizeof(line));
	ksft_print_msg("%s, %s: %s (exit %d)\n", kind_names[k], what, line, status);
	ok = status == 0 && parse(line, &r);
	dropped = r.ruid == NOBODY && r.rgid == NOBODY;
	switch (k) {
	case SETUID:
		elevated = r.euid == 0;
		break;
	case SETGID:
		elevated = r.egid == 0;
		break;
	case FCAP:
		elevated = r.capeff & (1ULL << CAP_NET_RAW);
		break;
	default:
		break;
	}
	/* No other privilege than the one the file grants */
	if (k != SETUID && r.euid != NOBODY)
		ok = false;
	if (k != SETGID && r.egid != NOBODY)
		ok = false;
	if (k != FCAP && k != SETUID && r.capeff)
		ok = false;
	if (nnp && (r.euid != NOBODY || r.egid != NOBODY || r.capeff))
		ok = false;
	ok = ok && dropped && elevated == !nnp && r.get == want_get &&
	     !strcmp(r.exec, want_exec) && !strcmp(r.read, want_read) &&
	     r.setdefault == want_setdefault;
	ksft_test_result(ok, "%s exec as nobody with %s: %s, PR_GET_VSYSCALL %ld (want %ld), time() %s (want %s), read %s (want %s), then setting default: %s (want %s)\n",
			 kind_names[k], what,
			 nnp ? (elevated ? "gained privilege under no_new_privs" : "gained nothing (no_new_privs)") :
			       (elevated ? "gained the privilege" : "did NOT gain the privilege"),
			 r.get, want_get, r.exec, want_exec, r.read, want_read,
			 r.setdefault ? strerror(-r.setdefault) : "ok",
			 want_setdefault ? strerror(-want_setdefault) : "ok");
}

/* Native mode: deny is refused, with and without the lock flag */
static void test_native_deny(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(set_policy(VSYS_POLICY_DENY, 0) == -EOPNOTSUPP &&
		      set_policy(VSYS_POLICY_DENY, PR_VSYSCALL_LOCK) == -EOPNOTSUPP &&
		      prctl(PR_GET_VSYSCALL, 0, 0, 0, 0) == VSYS_POLICY_DEFAULT ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	ksft_test_result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			 "vsyscall=native refuses deny and deny+lock (EOPNOTSUPP): nothing to keep across a privileged exec\n");
}

int main(int argc, char **argv)
{
	static const int policies[] = { VSYS_POLICY_DENY, VSYS_POLICY_ALLOW };
	char report[PATH_MAX];
	const char *env = getenv("VSYSCALL_REPORT");
	const char *slash = strrchr(argv[0], '/');
	int n_policies = 0, i, k, lock;
	int nnp_policy;

	ksft_print_header();
	vsys_expect_from_env(&expect);
	for (i = 0; i < 2; i++)
		if (vsys_table[expect.mode][policies[i]].settable)
			n_policies++;
	/* each settable policy x lock x copy, a refusal per unsettable one, no_new_privs */
	ksft_set_plan(n_policies * 2 * N_KINDS + (2 - n_policies) + N_KINDS);
	if (getuid() != 0)
		ksft_exit_fail_msg("must run as root\n");
	vsys_ensure_module();

	if (env)
		snprintf(report, sizeof(report), "%s", env);
	else
		snprintf(report, sizeof(report), "%.*svsyscall_report",
			 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
	fcap_err = make_copies(report);

	for (i = 0; i < 2; i++) {
		if (!vsys_table[expect.mode][policies[i]].settable) {
			test_native_deny();
			continue;
		}
		for (lock = 0; lock < 2; lock++)
			for (k = 0; k < N_KINDS; k++)
				test_exec(k, policies[i], lock, false);
	}
	/* The same with no_new_privs: no privilege, the policy all the same */
	nnp_policy = expect.mode == VSYS_MODE_NONE || expect.mode == VSYS_MODE_NATIVE ? VSYS_POLICY_ALLOW : VSYS_POLICY_DENY;
	for (k = 0; k < N_KINDS; k++)
		test_exec(k, nnp_policy, true, true);

	ksft_finished();
}
