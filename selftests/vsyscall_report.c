// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_report: say who this process is and what it gets of the
 * vsyscall page, on one line, for vsyscall_privexec (which runs copies of
 * it that are setuid root, setgid root or carry a file capability):
 *
 *   ruid=R euid=E rgid=G egid=F capeff=0xC get=P exec=ok|sigN read=ok|sigN setdefault=S
 *
 * get is PR_GET_VSYSCALL (or -errno), exec a call of the time() entry,
 * read a load from the page, setdefault what PR_SET_VSYSCALL(default)
 * returned after that (0 or -errno).  Needs no environment and no /proc.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/vsyscall_policy.h>

#include "vsyscall_probe.h"

static const char *outcome(int sig, char *buf, size_t len)
{
	if (!sig)
		return "ok";
	snprintf(buf, len, "sig%d", sig);
	return buf;
}

int main(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };
	static unsigned long long capeff = ~0ULL;
	char b1[16], b2[16];
	static long get, setdefault;
	int exec_sig, read_sig;

	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		return 2;
	on_signal(SIGSEGV, catch_signal);

	if (!syscall(SYS_capget, &hdr, data))
		capeff = data[0].effective | (unsigned long long)data[1].effective << 32;
	get = prctl(PR_GET_VSYSCALL, 0, 0, 0, 0);
	if (get < 0)
		get = -errno;
	exec_sig = CAPTURE(vtime(NULL));
	read_sig = CAPTURE(*(volatile char *)VSYSCALL_ADDR);
	setdefault = prctl(PR_SET_VSYSCALL, PR_VSYSCALL_DEFAULT, 0, 0, 0) ? -errno : 0;

	printf("ruid=%d euid=%d rgid=%d egid=%d capeff=%#llx get=%ld exec=%s read=%s setdefault=%ld\n",
	       (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid(), capeff,
	       get, outcome(exec_sig, b1, sizeof(b1)), outcome(read_sig, b2, sizeof(b2)), setdefault);
	return 0;
}
