// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_compat: PR_SET_VSYSCALL and PR_GET_VSYSCALL from each ABI.
 * Built three times: vsyscall_compat_64, _32 (-m32) and _x32 (-mx32).
 *
 * Each build checks that the prctl options work as from a 64-bit process
 * (set deny and default, read back, lock, EPERM once locked, setting the
 * locked policy again succeeds, bad arguments EINVAL), and that an ia32 or
 * x32 process has no [vsyscall] line in its maps whatever its policy.
 *
 * The 64-bit build also runs the exec chain 64 -> 32 -> 64 (and through
 * x32): it sets a policy with the lock and execs the compat program, which
 * checks PR_GET_VSYSCALL == policy|LOCKED and that no other policy can be
 * set, then execs the 64-bit program again, which checks the policy and
 * calls the page, with the outcome the table in vsyscall_expect.h gives.
 *
 * Told the boot mode by EXPECT_MODE; runs as root (allow under
 * vsyscall=none needs privilege).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vsyscall_policy.h>

#include "vsyscall_expect.h"
#include "vsyscall_load_module.h"
#include "vsyscall_probe.h"

#if defined(__x86_64__) && !defined(__ILP32__)
#define ABI "64-bit"
#define NATIVE_ABI 1
#elif defined(__x86_64__)
#define ABI "x32"
#define NATIVE_ABI 0
#else
#define ABI "ia32"
#define NATIVE_ABI 0
#endif

static struct vsys_expect expect;

static const char *ret_name(long r)
{
	static char buf[4][16];
	static int i;

	if (!r)
		return "ok";
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s", strerror(-r));
	return buf[i];
}

/* One that differs from default where the mode allows it */
static int distinct_policy(void)
{
	return expect.mode == VSYS_MODE_NONE || expect.mode == VSYS_MODE_NATIVE ? VSYS_POLICY_ALLOW : VSYS_POLICY_DENY;
}

/* The [vsyscall] perms in /proc/self/maps, "" when there is no line */
static void vsyscall_line(char *perms, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");

	snprintf(perms, len, "%s", f ? "" : "unreadable");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vsyscall]") && sscanf(line, "%*s %15s", perms) != 1)
			snprintf(perms, len, "unparsable");
	fclose(f);
}

static int run_in_child(int (*fn)(void))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int r = fn();

		fflush(stdout);
		_exit(r);
	}
	return wait_child(pid);
}

/* ---- the prctl options from this ABI ---------------------------------- */

/* deny, then default again, then default once more */
static int deny_and_back(void)
{
	const struct vsys_view *deny = &vsys_table[expect.mode][VSYS_POLICY_DENY];
	long want = deny->settable ? 0 : -EOPNOTSUPP;
	long r = set_policy(VSYS_POLICY_DENY, 0), g = get_policy();

	printf("# set deny: %s (want %s), get %ld\n", ret_name(r), ret_name(want), g);
	if (r != want || g != (deny->settable ? VSYS_POLICY_DENY : VSYS_POLICY_DEFAULT))
		return 1;
	r = set_policy(VSYS_POLICY_DEFAULT, 0);
	g = get_policy();
	printf("# set default: %s, get %ld\n", ret_name(r), g);
	if (r || g != VSYS_POLICY_DEFAULT)
		return 2;
	r = set_policy(VSYS_POLICY_DEFAULT, 0);
	printf("# set default again: %s\n", ret_name(r));
	return r ? 3 : 0;
}

/* Lock a policy: only that one can be set afterwards */
static int lock(void)
{
	int p = distinct_policy(), q;
	long want = p | PR_VSYSCALL_LOCKED;
	long r = set_policy(p, PR_VSYSCALL_LOCK), g = get_policy();

	printf("# set %s+lock: %s, get %#lx (want %#lx)\n", vsys_policy_names[p], ret_name(r),
	       g, want);
	if (r || g != want)
		return 1;
	for (q = 0; q < VSYS_N_POLICIES; q++) {
		long w = q == p ? 0 : -EPERM;
		long r0 = set_policy(q, 0), r1 = set_policy(q, PR_VSYSCALL_LOCK);

		printf("# locked, set %s: %s, with the lock flag %s (want %s)\n",
		       vsys_policy_names[q], ret_name(r0), ret_name(r1), ret_name(w));
		if (r0 != w || r1 != w)
			return 2;
	}
	return get_policy() == want ? 0 : 3;
}

static int bad_arguments(void)
{
	static const struct { int option; unsigned long a2, a3, a4, a5; } bad[] = {
		{ PR_SET_VSYSCALL, 3, 0, 0, 0 },
		{ PR_SET_VSYSCALL, 0, 2, 0, 0 },
		{ PR_SET_VSYSCALL, 0, 0, 1, 0 },
		{ PR_SET_VSYSCALL, 0, 0, 0, 1 },
		{ PR_GET_VSYSCALL, 1, 0, 0, 0 },
		{ PR_GET_VSYSCALL, 0, 0, 0, 1 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long r = prctl(bad[i].option, bad[i].a2, bad[i].a3, bad[i].a4, bad[i].a5);

		if (r != -1 || errno != EINVAL) {
			printf("# case %u: %ld, %s (want EINVAL)\n", i, r, strerror(errno));
			return 1 + i;
		}
	}
	return get_policy() == VSYS_POLICY_DEFAULT ? 0 : 20;
}

/* What the maps show at each policy this mode accepts */
static int maps_view(void)
{
	char perms[16];
	int p;

	for (p = 0; p < VSYS_N_POLICIES; p++) {
		const char *want = vsys_table[expect.mode][p].maps_perms;

		if (!vsys_table[expect.mode][p].settable)
			continue;
		if (set_policy(p, 0))
			return 1;
		vsyscall_line(perms, sizeof(perms));
		/* A compat process has no vsyscall page in any mode. */
		if (!NATIVE_ABI || !want)
			want = "";
		printf("# policy %s: maps \"%s\" (want \"%s\")\n", vsys_policy_names[p], perms, want);
		if (strcmp(perms, want))
			return 2;
	}
	return 0;
}

static void test_prctl(void)
{
	int r;

	ksft_test_result(get_policy() == VSYS_POLICY_DEFAULT,
			 ABI ": PR_GET_VSYSCALL at start: %ld (want 0)\n", get_policy());
	r = run_in_child(deny_and_back);
	ksft_test_result(r == 0, ABI ": set deny (%s), back to default, default again (%d)\n",
			 vsys_table[expect.mode][VSYS_POLICY_DENY].settable ? "works" : "EOPNOTSUPP", r);
	r = run_in_child(lock);
	ksft_test_result(r == 0, ABI ": %s+lock reads back as locked, setting it again succeeds, other policies EPERM (%d)\n",
			 vsys_policy_names[distinct_policy()], r);
	r = run_in_child(bad_arguments);
	ksft_test_result(r == 0, ABI ": unknown policy or flag, non-zero unused arguments: EINVAL (%d)\n", r);
	r = run_in_child(maps_view);
	ksft_test_result(r == 0, ABI ": /proc/self/maps at each policy: %s (%d)\n",
			 NATIVE_ABI ? "as the table says" : "no [vsyscall] line", r);
}

/* ---- the exec chain ----------------------------------------------------- */

/* The compat stage: the policy came through exec, locked; hand it on. */
static int chain_compat(int policy, const char *final)
{
	long want = policy | PR_VSYSCALL_LOCKED, g = get_policy();
	int q;

	printf("# " ABI " stage: PR_GET_VSYSCALL %#lx (want %#lx)\n", g, want);
	if (g != want)
		return 10;
	for (q = 0; q < VSYS_N_POLICIES; q++) {
		long w = q == policy ? 0 : -EPERM;
		long r = set_policy(q, 0);

		if (r != w) {
			printf("# " ABI " stage: set %s: %s (want %s)\n", vsys_policy_names[q],
			       ret_name(r), ret_name(w));
			return 11;
		}
	}
	if (get_policy() != want)
		return 12;
	fflush(stdout);
	execl(final, final, "--chain-final", vsys_policy_names[policy], (char *)NULL);
	printf("# exec %s: %s\n", final, strerror(errno));
	return 13;
}

#if NATIVE_ABI
/* The last stage, 64-bit again: the policy and what it gives */
static int chain_final(int policy)
{
	long want = policy | PR_VSYSCALL_LOCKED, g = get_policy();
	int want_sig = vsys_table[expect.mode][policy].exec ? 0 : SIGSEGV;
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };
	int sig;

	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		return 20;
	on_signal(SIGSEGV, catch_signal);
	sig = CAPTURE(vtime(NULL));
	printf("# 64-bit stage: PR_GET_VSYSCALL %#lx (want %#lx), time() through the page: signal %d (want %d)\n",
	       g, want, sig, want_sig);
	if (g != want)
		return 21;
	return sig == want_sig ? 0 : 22;
}

static const char *self;

static void test_chain(const char *compat)
{
	int p = distinct_policy(), status;
	char path[PATH_MAX];
	const char *slash = strrchr(self, '/');
	pid_t pid;

	snprintf(path, sizeof(path), "%.*s%s", slash ? (int)(slash - self + 1) : 0, self, compat);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		if (set_policy(p, PR_VSYSCALL_LOCK))
			_exit(1);
		execl(path, path, "--chain-compat", vsys_policy_names[p], self, (char *)NULL);
		fprintf(stderr, "# exec %s: %s\n", path, strerror(errno));
		_exit(2);
	}
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	ksft_test_result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			 "64-bit %s+lock -> %s -> 64-bit: policy kept and locked, time() %s (exit %d, signal %d: 1 set, 2 exec, 1x compat stage, 2x final stage)\n",
			 vsys_policy_names[p], compat,
			 vsys_table[expect.mode][p].exec ? "works" : "SIGSEGV",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
#endif

int main(int argc, char **argv)
{
	int policy;

	if (argc >= 3 && (!strcmp(argv[1], "--chain-compat") || !strcmp(argv[1], "--chain-final"))) {
		vsys_expect_from_env(&expect);
		policy = vsys_lookup(argv[2], vsys_policy_names, VSYS_N_POLICIES);
		if (policy < 0)
			return 3;
		if (!strcmp(argv[1], "--chain-compat"))
			return argc == 4 ? chain_compat(policy, argv[3]) : 3;
#if NATIVE_ABI
		return chain_final(policy);
#else
		return 3;
#endif
	}

	ksft_print_header();
	ksft_set_plan(5 + (NATIVE_ABI ? 2 : 0));
	vsys_expect_from_env(&expect);
	vsys_ensure_module();
	test_prctl();
#if NATIVE_ABI
	self = argv[0];
	test_chain("vsyscall_compat_32");
	test_chain("vsyscall_compat_x32");
#endif
	ksft_finished();
}
