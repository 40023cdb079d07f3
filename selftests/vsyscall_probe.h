/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers the vsyscall tests share: waiting for a child, the [vsyscall]
 * line of /proc/self/maps, and calls into the page that may fault, caught
 * with sigsetjmp() so that the test goes on and can look at the signal.
 */
#ifndef VSYSCALL_PROBE_H
#define VSYSCALL_PROBE_H

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <time.h>

#include "../kselftest.h"
#include "vsyscall_expect.h"

/*
 * Wait for the child @pid (the value fork() returned, checked here) and
 * return its exit status, or 128 + the signal that killed it.
 */
static inline int wait_child(pid_t pid)
{
	int status;

	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The vsyscall line of /proc/self/maps, or "" when there is none. */
static inline void maps_line(char *perms, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = '\0';
	if (!f)
		ksft_exit_fail_msg("/proc/self/maps: %s\n", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		char p[8];

		if (!strstr(line, "[vsyscall]"))
			continue;
		ksft_print_msg("maps: %s", line);
		if (sscanf(line, "%llx-%llx %7s", &start, &end, p) != 3)
			snprintf(perms, len, "unparsable");
		else if (start != 0xffffffffff600000ULL || end != 0xffffffffff601000ULL)
			snprintf(perms, len, "at %llx-%llx", start, end);
		else
			snprintf(perms, len, "%s", p);
	}
	fclose(f);
}

/*
 * How often @needle occurs in the kernel log (0 for ""), or -1 when this
 * process may not read the log.  A check of what a test provokes compares
 * the counts before and after it, so that messages from earlier runs do
 * not count.
 */
static inline int kernel_log_count(const char *needle)
{
	char *log = vsys_kernel_log();
	const char *p;
	int n = 0;

	if (!log)
		return -1;
	for (p = log; *needle && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	free(log);
	return n;
}

/*
 * The ABI of this build: the programs are built -m64, -m32 and -mx32 from
 * one source, and this is the one place that tells them apart.  VSYS_LP64
 * is the 64-bit ABI, whose pointers reach the page; 32-bit and x32 builds
 * get the signal helpers below but not the function pointers to the page.
 * VSYS_I386 is the 32-bit ABI, whose code runs in 32-bit mode.
 */
#if defined(__x86_64__) && !defined(__ILP32__)
#define VSYS_LP64 1
#elif defined(__i386__)
#define VSYS_I386 1
#endif

#ifdef VSYS_I386
#define PROBE_REG_IP	REG_EIP
#define PROBE_CS(gregs)	((gregs)[REG_CS] & 0xffff)
#else
#define PROBE_REG_IP	REG_RIP
#define PROBE_CS(gregs)	((gregs)[REG_CSGSFS] & 0xffff)
#endif

/*
 * What catch_signal() saw.  Lock-free atomics, so that the handler may
 * store them and the code after siglongjmp() reads what it stored.
 */
static sigjmp_buf jmpbuf;
static atomic_int got_sig;
static atomic_int got_code;
static atomic_ulong got_addr, got_ip, got_call_addr;
static atomic_int got_syscall;
static atomic_uint got_cs;	/* %cs where the signal hit */

static inline void catch_signal(int sig, siginfo_t *si, void *ctx_void)
{
	ucontext_t *ctx = ctx_void;

	got_sig = sig;
	got_code = si->si_code;
	got_addr = (unsigned long)si->si_addr;
	got_ip = ctx->uc_mcontext.gregs[PROBE_REG_IP];
	got_cs = PROBE_CS(ctx->uc_mcontext.gregs);
	if (sig == SIGSYS) {
		got_call_addr = (unsigned long)si->si_call_addr;
		got_syscall = si->si_syscall;
	}
	siglongjmp(jmpbuf, 1);
}

static inline void on_signal(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | SA_ONSTACK };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		ksft_exit_fail_msg("sigaction: %s\n", strerror(errno));
}

/*
 * Run @expr; return 0 if it completed, else the signal that ended it.
 * Only catch_signal() sets got_sig, and it does not return: got_sig is
 * still 0 when @expr completes.
 */
#define CAPTURE(expr) ({					\
	got_sig = 0;						\
	if (sigsetjmp(jmpbuf, 1) == 0) {			\
		expr;						\
	}							\
	(int)got_sig;						\
})

/*
 * Load the byte at @addr, with an instruction the compiler can neither
 * drop nor move: the load is there to fault (or not) on the page.
 */
static inline unsigned char probe_read_byte(unsigned long addr)
{
	unsigned char c;

	asm volatile ("movb (%1), %0" : "=q" (c) : "r" (addr) : "memory");
	return c;
}

#ifdef VSYS_LP64
typedef long (*gtod_t)(struct timeval *tv, struct timezone *tz);
typedef long (*time_t_fn)(time_t *t);
typedef long (*getcpu_t)(unsigned int *cpu, unsigned int *node, void *cache);

#define vgtod	((gtod_t)VSYS_GETTIMEOFDAY)
#define vtime	((time_t_fn)VSYS_TIME)
#define vgetcpu	((getcpu_t)VSYS_GETCPU)

#endif /* VSYS_LP64 */

#endif /* VSYSCALL_PROBE_H */
