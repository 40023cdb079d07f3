/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the tests that need the prctl() options but do not test the module
 * itself: load vsyscall_policy.ko (VSYSCALL_POLICY_KO, default
 * /lib/modules/vsyscall_policy.ko) when the options are not served yet;
 * and the two options as functions that return -errno.
 * 64-bit, ia32 and x32 builds.
 */
#ifndef VSYSCALL_MODULE_H
#define VSYSCALL_MODULE_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/vsyscall_policy.h>

#include "kselftest.h"

static inline void vsys_ensure_module(void)
{
	const char *ko = getenv("VSYSCALL_POLICY_KO");
	int fd;

	if (!ko)
		ko = "/lib/modules/vsyscall_policy.ko";
	if (prctl(PR_GET_VSYSCALL, 0, 0, 0, 0) >= 0 || errno != EINVAL)
		return;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		ksft_exit_fail_msg("%s: %s\n", ko, strerror(errno));
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		ksft_exit_fail_msg("loading %s: %s\n", ko, strerror(errno));
	close(fd);
	if (prctl(PR_GET_VSYSCALL, 0, 0, 0, 0) < 0)
		ksft_exit_fail_msg("%s is loaded but PR_GET_VSYSCALL fails: %s\n", ko, strerror(errno));
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
