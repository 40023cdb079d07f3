// SPDX-License-Identifier: GPL-2.0
/*
 * glibc212_probe: run the instruction sequences that glibc 2.12 (CentOS 6)
 * uses to reach the vsyscall page, byte for byte, and check the outcome
 * against the vsyscall mode the test expects (vsyscall_expect.h).
 *
 *   time()          48 c7 c0 00 04 60 ff   mov $0xffffffffff600400,%rax
 *                   ff d0                  call *%rax
 *   sched_getcpu()  48 c7 c0 00 08 60 ff   mov $0xffffffffff600800,%rax
 *                   ff d0                  call *%rax
 *   gettimeofday()  resolved once to the vDSO's symbol, or to
 *                   0xffffffffff600000 when there is no vDSO (boot with
 *                   vdso=0 to reach that path), then called through the
 *                   pointer.  A direct call to that entry (e8 rel32),
 *                   which is not glibc's code but what a program linked
 *                   against the fixed address executes, is probed too.
 *
 * Every call runs in a child process so that a SIGSEGV (the expected
 * outcome under vsyscall=none) ends only the child.  The values returned
 * are checked against real system calls made just before and after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vsyscall_expect.h"
#include "../vDSO/parse_vdso.h"

/*
 * The call sites, written as raw bytes so that the compiler cannot choose
 * another encoding.  Arguments arrive in %rdi/%rsi/%rdx as in glibc and
 * pass through to the vsyscall unchanged.
 */
long glibc212_time(time_t *t) asm("glibc212_time");
long glibc212_getcpu(unsigned int *cpu, unsigned int *node, void *cache) asm("glibc212_getcpu");
long glibc212_gtod_call(struct timeval *tv, struct timezone *tz) asm("glibc212_gtod_call");
asm(".pushsection .text\n"
	".globl glibc212_time\n"
	".type glibc212_time, @function\n"
	"glibc212_time:\n"
	"	.byte 0x48, 0xc7, 0xc0, 0x00, 0x04, 0x60, 0xff\n"
	"	.byte 0xff, 0xd0\n"
	"	ret\n"
	".size glibc212_time, . - glibc212_time\n"
	".globl glibc212_getcpu\n"
	".type glibc212_getcpu, @function\n"
	"glibc212_getcpu:\n"
	"	.byte 0x48, 0xc7, 0xc0, 0x00, 0x08, 0x60, 0xff\n"
	"	.byte 0xff, 0xd0\n"
	"	ret\n"
	".size glibc212_getcpu, . - glibc212_getcpu\n"
	/* Not glibc's: a direct call, e8 rel32, to the fixed address */
	".globl glibc212_gtod_call\n"
	".type glibc212_gtod_call, @function\n"
	"glibc212_gtod_call:\n"
	"	call 0xffffffffff600000\n"
	"	ret\n"
	".size glibc212_gtod_call, . - glibc212_gtod_call\n"
	".popsection\n");

/* Results a child hands back to the parent. */
struct outcome {
	long ret;
	long out1, out2;
	long before, after;
};

static struct outcome *shared;
/* The two CPUs of the starting affinity mask the getcpu probes run on */
static int cpus[2];
static struct vsys_expect expect;

static long raw_time(void)
{
	return syscall(SYS_time, NULL);
}

static long raw_usec(void)
{
	struct timeval tv;

	syscall(SYS_gettimeofday, &tv, NULL);
	return tv.tv_sec * 1000000L + tv.tv_usec;
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		_exit(3);
}

enum probe { P_TIME, P_GETCPU0, P_GETCPU1, P_GTOD_CALL, P_GTOD_RESOLVED };

typedef long (*gtod_fn)(struct timeval *, struct timezone *);

/*
 * glibc 2.12 picks gettimeofday() once, at relocation time (an IFUNC):
 * the vDSO's symbol if there is a vDSO, the fixed address otherwise.
 */
static gtod_fn glibc212_resolve_gtod(void)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);
	void *sym;

	if (!ehdr)
		return (gtod_fn)VSYS_GETTIMEOFDAY;
	vdso_init_from_sysinfo_ehdr(ehdr);
	sym = vdso_sym("LINUX_2.6", "__vdso_gettimeofday");
	return sym ? (gtod_fn)sym : (gtod_fn)VSYS_GETTIMEOFDAY;
}

static void child(enum probe p)
{
	struct timeval tv = { 0 };
	unsigned int cpu = ~0u, node = ~0u;
	time_t t = 0;

	switch (p) {
	case P_TIME:
		shared->before = raw_time();
		shared->ret = glibc212_time(&t);
		shared->after = raw_time();
		shared->out1 = t;
		break;
	case P_GETCPU0:
	case P_GETCPU1:
		pin_to(cpus[p == P_GETCPU0 ? 0 : 1]);
		if (syscall(SYS_getcpu, NULL, &node, NULL))
			_exit(4);
		shared->out2 = node;
		node = ~0u;
		shared->ret = glibc212_getcpu(&cpu, &node, NULL);
		shared->out1 = cpu;
		shared->after = node;
		break;
	case P_GTOD_CALL:
	case P_GTOD_RESOLVED:
		shared->before = raw_usec();
		if (p == P_GTOD_CALL)
			shared->ret = glibc212_gtod_call(&tv, NULL);
		else
			shared->ret = glibc212_resolve_gtod()(&tv, NULL);
		shared->after = raw_usec();
		shared->out1 = tv.tv_sec * 1000000L + tv.tv_usec;
		break;
	}
	_exit(0);
}

/*
 * Run one probe in a child.  Returns 0 when it ran to completion, the
 * signal number when a signal killed it, and -1 for anything else.
 */
static int run_probe(enum probe p)
{
	int status;
	pid_t pid;

	memset(shared, 0, sizeof(*shared));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0)
		child(p);
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	if (WIFSIGNALED(status))
		return WTERMSIG(status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	ksft_print_msg("child exited with status %d\n", WEXITSTATUS(status));
	return -1;
}

/* Check that the outcome is the one the mode calls for; true if it ran. */
static bool outcome_as_expected(const char *name, int got, bool should_run)
{
	if (should_run && got == 0)
		return true;
	if (!should_run && got == SIGSEGV) {
		ksft_test_result_pass("%s: killed by SIGSEGV, as vsyscall=%s requires\n",
				      name, expect.mode_name);
		return false;
	}
	if (got > 0)
		ksft_test_result_fail("%s: killed by signal %d (%s), expected %s\n",
				      name, got, strsignal(got),
				      should_run ? "to run" : "SIGSEGV");
	else
		ksft_test_result_fail("%s: %s, expected %s\n", name,
				      got == 0 ? "ran" : "failed",
				      should_run ? "to run" : "SIGSEGV");
	return false;
}

static void test_time(void)
{
	const char *name = "time() [48 c7 c0 00 04 60 ff ff d0]";

	if (!outcome_as_expected(name, run_probe(P_TIME), expect.exec))
		return;
	ksft_print_msg("time() returned %ld, *tloc %ld, syscalls around it %ld..%ld\n",
		       shared->ret, shared->out1, shared->before, shared->after);
	ksft_test_result(shared->ret == shared->out1 &&
			 shared->before <= shared->ret && shared->ret <= shared->after,
			 "%s: returned the time\n", name);
}

static void test_getcpu(enum probe p, int cpu)
{
	char name[80];
	long want_node;

	snprintf(name, sizeof(name), "sched_getcpu() [48 c7 c0 00 08 60 ff ff d0] on CPU %d",
		 cpu);
	if (cpu < 0) {
		ksft_test_result_skip("%s: this test may run on one CPU only\n", name);
		return;
	}
	if (!outcome_as_expected(name, run_probe(p), expect.exec))
		return;
	/* The node the getcpu() system call reported, before the probe. */
	want_node = shared->out2;
	ksft_print_msg("returned %ld, cpu %ld node %ld (syscall said node %ld)\n",
		       shared->ret, shared->out1, shared->after, want_node);
	ksft_test_result(shared->ret == 0 && shared->out1 == cpu &&
			 shared->after == want_node,
			 "%s: returned the CPU and node\n", name);
}

static void check_gtod(const char *name, enum probe p, bool should_run)
{
	if (!outcome_as_expected(name, run_probe(p), should_run))
		return;
	ksft_print_msg("%s returned %ld at %ld us, syscalls around it %ld..%ld\n",
		       name, shared->ret, shared->out1, shared->before, shared->after);
	ksft_test_result(shared->ret == 0 && shared->before <= shared->out1 &&
			 shared->out1 <= shared->after,
			 "%s: returned the time of day\n", name);
}

static void test_gtod(void)
{
	const char *resolved = "gettimeofday() as glibc 2.12 resolves it";
	gtod_fn picked = glibc212_resolve_gtod();
	bool fallback = (uintptr_t)picked == VSYS_GETTIMEOFDAY;

	/* The direct call to the fixed address, whatever the vDSO. */
	check_gtod("gettimeofday() fallback [e8 call 0xffffffffff600000]",
		   P_GTOD_CALL, expect.exec);

	/* glibc's choice: EXPECT_VDSO (or the auxiliary vector) says whether there is a vDSO. */
	ksft_print_msg("gettimeofday() resolves to %p (%s)\n", (void *)picked,
		       fallback ? "vsyscall page" : "vDSO");
	if (fallback != expect.vdso) {
		ksft_test_result_pass("gettimeofday() resolves to the %s\n",
				      fallback ? "vsyscall page (no vDSO)" : "vDSO");
		check_gtod(resolved, P_GTOD_RESOLVED, fallback ? expect.exec : true);
		return;
	}
	ksft_test_result_fail("gettimeofday() resolved to the %s, but the vDSO should be %s\n",
			      fallback ? "vsyscall page" : "vDSO",
			      expect.vdso ? "present" : "absent");
	ksft_test_result_skip("%s: not run, wrong resolution\n", resolved);
}

int main(int argc, char **argv)
{
	time_t t;

	/*
	 * "--call": behave like a legacy program instead of a test: make the
	 * time() and sched_getcpu() calls and exit 0, or die of SIGSEGV where
	 * the kernel refuses them, as a stand-in legacy program in a chroot or
	 * a container image.
	 */
	if (argc == 2 && !strcmp(argv[1], "--call")) {
		glibc212_time(&t);
		glibc212_getcpu(NULL, NULL, NULL);
		return 0;
	}

	ksft_print_header();
	vsys_expect_from_env(&expect);	/* may skip, so before the plan */
	ksft_set_plan(6);
	cpus[0] = vsys_allowed_cpu(0);
	cpus[1] = vsys_allowed_cpu(1);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));

	test_time();
	test_getcpu(P_GETCPU0, cpus[0]);
	test_getcpu(P_GETCPU1, cpus[1]);
	test_gtod();

	ksft_finished();
}
