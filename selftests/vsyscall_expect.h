/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a test should see: the vsyscall boot mode, the per-process policy
 * and whether the process has a vDSO.
 *
 * A harness that boots the kernel says what it asked for, in the
 * environment (for example as "NAME=value" words on the kernel command
 * line, which the kernel hands to init as environment):
 *
 *   EXPECT_MODE    native | emulate | xonly | none
 *   EXPECT_POLICY  default | deny | allow: the per-process policy the
 *                  test runs under
 *   EXPECT_VDSO    1 | 0 when booted with vdso=0
 *
 * A value that is not given is taken from the kernel itself, as a kernel
 * CI run of kselftest needs: the mode from the boot log line
 * "vsyscall: vsyscall=MODE", the policy from /proc/self/status and the
 * vDSO from the auxiliary vector.  That only checks the kernel against
 * its own claim (a kernel stuck in the wrong mode says so and passes), so
 * a harness that chose the mode should give all three.  Every test prints which
 * source each value came from.
 */
#ifndef VSYSCALL_EXPECT_H
#define VSYSCALL_EXPECT_H

#include <cpuid.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/klog.h>

#include "../kselftest.h"

#define VSYSCALL_ADDR		0xffffffffff600000UL
#define VSYS_GETTIMEOFDAY	(VSYSCALL_ADDR + 0x000)
#define VSYS_TIME		(VSYSCALL_ADDR + 0x400)
#define VSYS_GETCPU		(VSYSCALL_ADDR + 0x800)

enum vsys_mode {
	VSYS_MODE_NATIVE, VSYS_MODE_EMULATE, VSYS_MODE_XONLY, VSYS_MODE_NONE, VSYS_N_MODES
};

enum vsys_policy {
	VSYS_POLICY_DEFAULT, VSYS_POLICY_DENY, VSYS_POLICY_ALLOW, VSYS_N_POLICIES
};

static const char * const vsys_policy_names[] = { "default", "deny", "allow" };

/* What a process sees of the page, for one boot mode and policy. */
struct vsys_view {
	bool settable;		/* PR_SET_VSYSCALL accepts the policy */
	bool exec;		/* calling an entry point works */
	bool read;		/* loads from the page work */
	const char *maps_perms;	/* "r-xp", "r--p", "--xp", or NULL for no line */
};

/*
 * The boot modes and policies as Documentation/userspace-api/
 * vsyscall-policy.rst describes them.  Native mode refuses deny
 * (EOPNOTSUPP), so a process that asked for it keeps the default view.
 */
static const struct vsys_view vsys_table[VSYS_N_MODES][VSYS_N_POLICIES] = {
	[VSYS_MODE_NATIVE] = {
		[VSYS_POLICY_DEFAULT]	= { true,  true,  true,  "r-xp" },
		[VSYS_POLICY_DENY]		= { false, true,  true,  "r-xp" },
		[VSYS_POLICY_ALLOW]		= { true,  true,  true,  "r-xp" },
	},
	[VSYS_MODE_EMULATE] = {
		[VSYS_POLICY_DEFAULT]	= { true,  true,  true,  "r-xp" },
		[VSYS_POLICY_DENY]		= { true,  false, true,  "r--p" },
		[VSYS_POLICY_ALLOW]		= { true,  true,  true,  "r-xp" },
	},
	[VSYS_MODE_XONLY] = {
		[VSYS_POLICY_DEFAULT]	= { true,  true,  false, "--xp" },
		[VSYS_POLICY_DENY]		= { true,  false, false, NULL },
		[VSYS_POLICY_ALLOW]		= { true,  true,  false, "--xp" },
	},
	[VSYS_MODE_NONE] = {
		[VSYS_POLICY_DEFAULT]	= { true,  false, false, NULL },
		[VSYS_POLICY_DENY]		= { true,  false, false, NULL },
		[VSYS_POLICY_ALLOW]		= { true,  true,  false, "--xp" },
	},
};

struct vsys_expect {
	enum vsys_mode mode;
	enum vsys_policy policy;
	const char *mode_name;
	bool exec;		/* calling an entry point works */
	bool read;		/* loads from the page work */
	const char *maps_perms;	/* as in struct vsys_view */
	bool vdso;		/* the process has a vDSO */
};

static const char * const vsys_mode_names[] = { "native", "emulate", "xonly", "none" };

/* Index of @name in @names, or -1 */
static inline int vsys_lookup(const char *name, const char * const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

/*
 * The kernel log (klogctl() READ_ALL), NUL-terminated, for free(); NULL
 * when this process may not read it (dmesg_restrict without CAP_SYSLOG),
 * and the test ends on any other error.
 */
static inline char *vsys_kernel_log(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *log = len > 0 ? calloc(1, len + 1) : NULL;

	if (log && klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, len) >= 0)
		return log;
	if (errno == EPERM || errno == EACCES) {
		free(log);
		return NULL;
	}
	ksft_exit_fail_msg("klogctl: %s\n", strerror(errno));
	/* Not reached; kselftest.h before 6.2 lacks __noreturn there */
	return NULL;
}

/*
 * The mode the kernel names in its boot log ("vsyscall: vsyscall=MODE" on
 * a line of its own, once per boot), or -1 when the log cannot be read or
 * the line has rotated out of it.
 */
static inline int vsys_mode_from_log(void)
{
	static const char tag[] = "vsyscall: vsyscall=";
	char *log = vsys_kernel_log();
	char *p = log, *end;
	int m, mode = -1;

	if (!log)
		return -1;
	while ((p = strstr(p, tag))) {
		p += sizeof(tag) - 1;
		end = p + strcspn(p, "\n");
		for (m = 0; m < VSYS_N_MODES; m++)
			if (end - p == (long)strlen(vsys_mode_names[m]) &&
			    !strncmp(p, vsys_mode_names[m], end - p))
				mode = m;
	}
	free(log);
	return mode;
}

/*
 * The policy /proc/self/status names, or -1 when it has no such line; a
 * name this test does not know ends it.
 */
static inline int vsys_policy_from_status(void)
{
	char line[256], name[32];
	int policy = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		ksft_exit_fail_msg("/proc/self/status: %s\n", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Vsyscall_policy: %31s", name) != 1)
			continue;
		policy = vsys_lookup(name, vsys_policy_names, VSYS_N_POLICIES);
		if (policy < 0)
			ksft_exit_fail_msg("/proc/self/status names an unknown policy: %s\n", name);
	}
	fclose(f);
	return policy;
}

/*
 * The @n-th CPU (from 0) of the affinity mask the test started with, or -1
 * when there are fewer: the getcpu checks pin themselves to two of them,
 * and call this before they pin anything.
 */
static inline int vsys_allowed_cpu(int n)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		ksft_exit_fail_msg("sched_getaffinity: %s\n", strerror(errno));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set) && n-- == 0)
			return cpu;
	return -1;
}

/* Whether the CPU can make pages non-executable (CPUID 0x80000001 EDX.NX) */
static inline bool vsys_cpu_has_nx(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 20));
}

/*
 * Fill @e from the environment, or from the kernel for what it does not
 * give.  An unknown value in the environment fails the test; a mode that
 * neither names skips it, because nothing can be checked then.
 */
static inline void vsys_expect_from_env(struct vsys_expect *e)
{
	const char *mode = getenv("EXPECT_MODE");
	const char *policy = getenv("EXPECT_POLICY");
	const char *vdso = getenv("EXPECT_VDSO");
	const char *mode_from = "EXPECT_MODE", *policy_from = "EXPECT_POLICY";
	const char *vdso_from = "EXPECT_VDSO";
	const struct vsys_view *v;
	int m, p;

	if (mode) {
		m = vsys_lookup(mode, vsys_mode_names, VSYS_N_MODES);
		if (m < 0)
			ksft_exit_fail_msg("EXPECT_MODE=%s is not a vsyscall mode\n", mode);
	} else {
		m = vsys_mode_from_log();
		mode_from = "the boot log";
		if (m < 0)
			ksft_exit_skip("no EXPECT_MODE, and no mode in a readable boot log\n");
	}
	/*
	 * Without NX the page emulate mode maps readable is executable too:
	 * calls run in it and deny is refused, which vsys_table[] does not
	 * describe.
	 */
	if (m == VSYS_MODE_EMULATE && !vsys_cpu_has_nx())
		ksft_exit_skip("vsyscall=emulate on a CPU without NX runs calls in the page\n");
	if (policy) {
		p = vsys_lookup(policy, vsys_policy_names, VSYS_N_POLICIES);
		if (p < 0)
			ksft_exit_fail_msg("EXPECT_POLICY=%s is not a vsyscall policy\n", policy);
	} else {
		p = vsys_policy_from_status();
		policy_from = "/proc/self/status";
		if (p < 0) {
			p = VSYS_POLICY_DEFAULT;
			policy_from = "the default (/proc/self/status names none)";
		}
	}
	v = &vsys_table[m][p];
	e->mode = m;
	e->policy = p;
	e->mode_name = vsys_mode_names[m];
	e->exec = v->exec;
	e->read = v->read;
	e->maps_perms = v->maps_perms;

	if (!vdso) {
		e->vdso = getauxval(AT_SYSINFO_EHDR) != 0;
		vdso_from = "the auxiliary vector";
	} else if (!strcmp(vdso, "1")) {
		e->vdso = true;
	} else if (!strcmp(vdso, "0")) {
		e->vdso = false;
	} else {
		ksft_exit_fail_msg("EXPECT_VDSO=%s is neither 0 nor 1\n", vdso);
	}

	ksft_print_msg("expecting vsyscall=%s (from %s), policy %s (from %s), vDSO %s (from %s)\n",
		       e->mode_name, mode_from, vsys_policy_names[e->policy], policy_from,
		       e->vdso ? "present" : "absent", vdso_from);
	ksft_print_msg("so: exec %s, read %s, maps %s\n",
		       e->exec ? "works" : "SIGSEGV", e->read ? "works" : "SIGSEGV",
		       e->maps_perms ? e->maps_perms : "no line");
}

#endif /* VSYSCALL_EXPECT_H */
