/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the project's tests that use the prctl() options without testing
 * the module itself: load vsyscall_policy.ko when the options are not
 * served yet.  (The kernel tree's vsyscall_policy test loads and unloads
 * the module itself.)
 */
#ifndef VSYSCALL_LOAD_MODULE_H
#define VSYSCALL_LOAD_MODULE_H

#include "vsyscall_module.h"

static inline void vsys_ensure_module(void)
{
	const char *ko;
	int fd;

	if (prctl(PR_GET_VSYSCALL, 0, 0, 0, 0) >= 0 || errno != EINVAL)
		return;
	ko = vsys_module_path();
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		ksft_exit_fail_msg("%s: %s\n", ko, strerror(errno));
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		ksft_exit_fail_msg("loading %s: %s\n", ko, strerror(errno));
	close(fd);
	if (prctl(PR_GET_VSYSCALL, 0, 0, 0, 0) < 0)
		ksft_exit_fail_msg("%s is loaded but PR_GET_VSYSCALL fails: %s\n",
				   ko, strerror(errno));
}

#endif /* VSYSCALL_LOAD_MODULE_H */
