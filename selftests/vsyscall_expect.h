/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a test should see, as the harness tells it.
 *
 * The tests never work out the expected vsyscall mode from the system
 * they run on (/proc/self/maps, the command line): a kernel stuck in the
 * wrong mode would then pass.  The harness boots the guest with, for
 * example, "vsyscall=xonly EXPECT_MODE=xonly"; the kernel passes unknown
 * "NAME=value" parameters to init as environment variables, and every test
 * reads them from there.
 *
 *   EXPECT_MODE    native | emulate | xonly | none   (required)
 *   EXPECT_POLICY  default (the default) | deny | allow: the per-process
 *                  policy the test runs under
 *   EXPECT_VDSO    1 (default) | 0 when booted with vdso=0
 */
#ifndef VSYSCALL_EXPECT_H
#define VSYSCALL_EXPECT_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"

#define VSYSCALL_ADDR		0xffffffffff600000UL
#define VSYS_GETTIMEOFDAY	(VSYSCALL_ADDR + 0x000)
#define VSYS_TIME		(VSYSCALL_ADDR + 0x400)
#define VSYS_GETCPU		(VSYSCALL_ADDR + 0x800)

enum vsys_mode { MODE_NATIVE, MODE_EMULATE, MODE_XONLY, MODE_NONE, N_MODES };
enum vsys_policy { POLICY_DEFAULT, POLICY_DENY, POLICY_ALLOW, N_POLICIES };

static const char * const vsys_policy_names[] = { "default", "deny", "allow" };

/* What a process sees of the page, for one boot mode and policy. */
struct vsys_view {
	bool settable;		/* PR_SET_VSYSCALL accepts the policy */
	bool exec;		/* calling an entry point works */
	bool read;		/* loads from the page work */
	const char *maps_perms;	/* "r-xp", "r--p", "--xp", or NULL for no line */
};

/*
 * DESIGN.md sections 2 and 3.  Native mode refuses deny (EOPNOTSUPP), so
 * a process that asked for it keeps the default view.
 */
static const struct vsys_view vsys_table[N_MODES][N_POLICIES] = {
	[MODE_NATIVE] = {
		[POLICY_DEFAULT]	= { true,  true,  true,  "r-xp" },
		[POLICY_DENY]		= { false, true,  true,  "r-xp" },
		[POLICY_ALLOW]		= { true,  true,  true,  "r-xp" },
	},
	[MODE_EMULATE] = {
		[POLICY_DEFAULT]	= { true,  true,  true,  "r-xp" },
		[POLICY_DENY]		= { true,  false, true,  "r--p" },
		[POLICY_ALLOW]		= { true,  true,  true,  "r-xp" },
	},
	[MODE_XONLY] = {
		[POLICY_DEFAULT]	= { true,  true,  false, "--xp" },
		[POLICY_DENY]		= { true,  false, false, NULL },
		[POLICY_ALLOW]		= { true,  true,  false, "--xp" },
	},
	[MODE_NONE] = {
		[POLICY_DEFAULT]	= { true,  false, false, NULL },
		[POLICY_DENY]		= { true,  false, false, NULL },
		[POLICY_ALLOW]		= { true,  true,  false, "--xp" },
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

/* Fill @e from the environment; a missing or unknown value ends the test. */
static inline void vsys_expect_from_env(struct vsys_expect *e)
{
	const char *mode = getenv("EXPECT_MODE");
	const char *policy = getenv("EXPECT_POLICY");
	const char *vdso = getenv("EXPECT_VDSO");
	const struct vsys_view *v;
	int m, p = POLICY_DEFAULT;

	if (!mode)
		ksft_exit_fail_msg("EXPECT_MODE is not set: the harness must say which vsyscall mode to expect\n");
	m = vsys_lookup(mode, vsys_mode_names, N_MODES);
	if (m < 0)
		ksft_exit_fail_msg("EXPECT_MODE=%s is not a vsyscall mode\n", mode);
	if (policy) {
		p = vsys_lookup(policy, vsys_policy_names, N_POLICIES);
		if (p < 0)
			ksft_exit_fail_msg("EXPECT_POLICY=%s is not a vsyscall policy\n", policy);
	}
	v = &vsys_table[m][p];
	e->mode = m;
	e->policy = p;
	e->mode_name = vsys_mode_names[m];
	e->exec = v->exec;
	e->read = v->read;
	e->maps_perms = v->maps_perms;

	if (!vdso || !strcmp(vdso, "1"))
		e->vdso = true;
	else if (!strcmp(vdso, "0"))
		e->vdso = false;
	else
		ksft_exit_fail_msg("EXPECT_VDSO=%s is neither 0 nor 1\n", vdso);

	ksft_print_msg("expecting vsyscall=%s, policy %s (exec %s, read %s, maps %s), vDSO %s\n",
		       e->mode_name, vsys_policy_names[e->policy],
		       e->exec ? "works" : "SIGSEGV",
		       e->read ? "works" : "SIGSEGV",
		       e->maps_perms ? e->maps_perms : "no line",
		       e->vdso ? "present" : "absent");
}

#endif /* VSYSCALL_EXPECT_H */
