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
 *   EXPECT_MODE  native | emulate | xonly | none   (required)
 *   EXPECT_VDSO  1 (default) | 0 when booted with vdso=0
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

enum vsys_mode { MODE_NATIVE, MODE_EMULATE, MODE_XONLY, MODE_NONE };

struct vsys_expect {
	enum vsys_mode mode;
	const char *mode_name;
	bool exec;		/* calling an entry point works */
	bool read;		/* loads from the page work */
	const char *maps_perms;	/* "r-xp", "--xp", or NULL for no line */
	bool vdso;		/* the process has a vDSO */
};

static const struct {
	const char *name;
	bool exec, read;
	const char *maps_perms;
} vsys_mode_table[] = {
	/* DESIGN.md section 2, one row per boot mode */
	[MODE_NATIVE]	= { "native",  true,  true,  "r-xp" },
	[MODE_EMULATE]	= { "emulate", true,  true,  "r-xp" },
	[MODE_XONLY]	= { "xonly",   true,  false, "--xp" },
	[MODE_NONE]	= { "none",    false, false, NULL },
};

/* Fill @e from the environment; a missing or unknown value ends the test. */
static inline void vsys_expect_from_env(struct vsys_expect *e)
{
	const char *mode = getenv("EXPECT_MODE");
	const char *vdso = getenv("EXPECT_VDSO");
	unsigned int i;

	if (!mode)
		ksft_exit_fail_msg("EXPECT_MODE is not set: the harness must say which vsyscall mode to expect\n");
	for (i = 0; i < sizeof(vsys_mode_table) / sizeof(vsys_mode_table[0]); i++) {
		if (strcmp(mode, vsys_mode_table[i].name))
			continue;
		e->mode = i;
		e->mode_name = vsys_mode_table[i].name;
		e->exec = vsys_mode_table[i].exec;
		e->read = vsys_mode_table[i].read;
		e->maps_perms = vsys_mode_table[i].maps_perms;
		break;
	}
	if (i == sizeof(vsys_mode_table) / sizeof(vsys_mode_table[0]))
		ksft_exit_fail_msg("EXPECT_MODE=%s is not a vsyscall mode\n", mode);

	if (!vdso || !strcmp(vdso, "1"))
		e->vdso = true;
	else if (!strcmp(vdso, "0"))
		e->vdso = false;
	else
		ksft_exit_fail_msg("EXPECT_VDSO=%s is neither 0 nor 1\n", vdso);

	ksft_print_msg("expecting vsyscall=%s (exec %s, read %s, maps %s), vDSO %s\n",
		       e->mode_name, e->exec ? "works" : "SIGSEGV",
		       e->read ? "works" : "SIGSEGV",
		       e->maps_perms ? e->maps_perms : "no line",
		       e->vdso ? "present" : "absent");
}

#endif /* VSYSCALL_EXPECT_H */
