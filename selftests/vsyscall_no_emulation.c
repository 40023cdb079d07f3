// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel built without CONFIG_X86_VSYSCALL_EMULATION has no vsyscall
 * page at all, whatever the boot parameters: calls into it and reads from
 * it fault like any unmapped address (SIGSEGV, SEGV_MAPERR, si_addr at the
 * address), /proc/self/maps has no [vsyscall] line, /proc/self/status no
 * Vsyscall_policy lines, the prctl options fail with EINVAL and there is
 * no /sys/kernel/vsyscall_policy (vsyscall_policy.ko cannot be built for
 * such a kernel).
 *
 * The harness says that this is such a kernel (EXPECT_NO_EMULATION=1,
 * with EXPECT_MODE=none); the test never works it out from the system.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/vsyscall_policy.h>

#include "../kselftest.h"
#include "vsyscall_expect.h"
#include "vsyscall_probe.h"

/* Does /proc/self/@file have a line containing @needle? */
static int file_has(const char *file, const char *needle)
{
	char path[64], line[512];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	f = fopen(path, "r");
	if (!f)
		ksft_exit_fail_msg("%s: %s\n", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, needle)) {
			ksft_print_msg("%s: %s", path, line);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

static void check_fault(const char *what, int sig, unsigned long addr)
{
	ksft_test_result(sig == SIGSEGV && got_addr == addr && got_code == SEGV_MAPERR,
			 "%s: SIGSEGV SEGV_MAPERR at %#lx (sig %d addr %#lx code %d)\n",
			 what, addr, sig, (unsigned long)got_addr, got_code);
}

int main(void)
{
	const char *mode = getenv("EXPECT_MODE");
	const char *noemu = getenv("EXPECT_NO_EMULATION");
	struct timeval tv;
	unsigned int cpu;
	volatile long ret;
	struct stat st;
	int sig;

	ksft_print_header();
	if (!noemu || strcmp(noemu, "1"))
		ksft_exit_fail_msg("EXPECT_NO_EMULATION=1 is not set: this test is only for a kernel built without CONFIG_X86_VSYSCALL_EMULATION\n");
	if (!mode || strcmp(mode, "none"))
		ksft_exit_fail_msg("EXPECT_MODE=%s: a kernel without vsyscall emulation can only be expected to act as vsyscall=none\n",
				   mode ? mode : "(unset)");
	ksft_set_plan(9);
	on_signal(SIGSEGV, catch_signal);

	sig = CAPTURE(ret = vgtod(&tv, NULL));
	check_fault("call gettimeofday entry", sig, VSYS_GETTIMEOFDAY);
	sig = CAPTURE(ret = vtime(NULL));
	check_fault("call time entry", sig, VSYS_TIME);
	sig = CAPTURE(ret = vgetcpu(&cpu, NULL, NULL));
	check_fault("call getcpu entry", sig, VSYS_GETCPU);
	sig = CAPTURE(ret = *(volatile unsigned char *)VSYSCALL_ADDR);
	check_fault("read the page", sig, VSYSCALL_ADDR);
	(void)ret;

	ksft_test_result(!file_has("maps", "[vsyscall]"), "no [vsyscall] line in /proc/self/maps\n");
	ksft_test_result(!file_has("status", "Vsyscall_policy"),
			 "no Vsyscall_policy lines in /proc/self/status\n");

	errno = 0;
	ret = prctl(PR_GET_VSYSCALL, 0, 0, 0, 0);
	ksft_test_result(ret == -1 && errno == EINVAL,
			 "PR_GET_VSYSCALL fails with EINVAL (ret %ld, %s)\n", ret, strerror(errno));
	errno = 0;
	ret = prctl(PR_SET_VSYSCALL, PR_VSYSCALL_ALLOW, 0, 0, 0);
	ksft_test_result(ret == -1 && errno == EINVAL,
			 "PR_SET_VSYSCALL(allow) fails with EINVAL (ret %ld, %s)\n", ret, strerror(errno));

	errno = 0;
	ksft_test_result(stat("/sys/kernel/vsyscall_policy", &st) && errno == ENOENT,
			 "no /sys/kernel/vsyscall_policy (%s)\n", strerror(errno));

	ksft_finished();
}
