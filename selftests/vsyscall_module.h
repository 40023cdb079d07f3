/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PR_SET_VSYSCALL and PR_GET_VSYSCALL are served by the out-of-tree module
 * vsyscall_policy.ko.  For the tests that need the options: where the
 * module is (VSYSCALL_POLICY_KO, or where "make modules_install" of an
 * external module puts it), and the two options as functions that return
 * -errno.  64-bit, ia32 and x32 builds.
 */
#ifndef VSYSCALL_MODULE_H
#define VSYSCALL_MODULE_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/vsyscall_policy.h>

#include "../kselftest.h"

/*
 * VSYSCALL_POLICY_KO, which must then exist, or the installed module;
 * when neither is there the test skips: a kernel CI run of the tree's
 * selftests has no out-of-tree module to load.
 */
static inline const char *vsys_module_path(void)
{
	static char path[PATH_MAX];
	const char *ko = getenv("VSYSCALL_POLICY_KO");
	struct utsname u;

	if (ko)
		return ko;
	if (uname(&u))
		ksft_exit_fail_msg("uname: %s\n", strerror(errno));
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/vsyscall_policy.ko", u.release);
	if (access(path, R_OK))
		ksft_exit_skip("no VSYSCALL_POLICY_KO, and no module at %s\n", path);
	return path;
}

/* The prctl options, returning -errno on failure */
static inline long set_policy(unsigned long policy, unsigned long flags)
{
	return prctl(PR_SET_VSYSCALL, policy, flags, 0, 0) ? -errno : 0;
}

static inline long get_policy(void)
{
	long r = prctl(PR_GET_VSYSCALL, 0, 0, 0, 0);

	return r < 0 ? -errno : r;
}

#endif /* VSYSCALL_MODULE_H */
