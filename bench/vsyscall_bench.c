// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_bench: the cost of each way to ask the kernel for the time, and
 * of an ordinary page fault, in the guest.
 *
 *   vsyscall_bench [PATH...]     default: every path the boot mode offers
 *
 * Each path is timed over a loop with the vDSO's CLOCK_MONOTONIC.  Under
 * QEMU's -icount shift=0,sleep=off the guest clock advances one nanosecond
 * per guest instruction, so the figure is instructions per call and comes
 * out (nearly) the same on every run; without -icount it is wall-clock
 * time.
 *
 * Output, one TAP result per path:
 *   ok N bench: PATH NS_PER_CALL ns/call (ITERATIONS iterations)
 * EXPECT_MODE (and EXPECT_POLICY) say which vsyscall paths can run.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "vsyscall_expect.h"
#include "vsyscall_probe.h"
#include "parse_vdso.h"

typedef int (*clock_gettime_t)(clockid_t, struct timespec *);

static clock_gettime_t vdso_clock;
static gtod_t vdso_gtod;
static time_t_fn vdso_time;
static getcpu_t vdso_getcpu;
static struct vsys_expect expect;

static uint64_t now_ns(void)
{
	struct timespec ts;

	vdso_clock(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static volatile long sink;

static void run_vdso_gtod(void)	{ struct timeval tv; vdso_gtod(&tv, NULL); sink = tv.tv_usec; }
static void run_vdso_time(void)	{ sink = vdso_time(NULL); }
static void run_vdso_getcpu(void) { unsigned int c; vdso_getcpu(&c, NULL, NULL); sink = c; }
static void run_syscall_time(void) { sink = syscall(SYS_time, NULL); }
static void run_vsyscall_time(void) { sink = vtime(NULL); }
static void run_vsyscall_gtod(void) { struct timeval tv; vgtod(&tv, NULL); sink = tv.tv_usec; }

/* A call the kernel refuses: SIGSEGV, caught, and back. */
static void run_denied_time(void)
{
	sink = CAPTURE(vtime(NULL));
}

/* Touch fresh anonymous pages: one page fault each. */
#define FAULT_PAGES 256
static void run_page_faults(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, FAULT_PAGES * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	for (i = 0; i < FAULT_PAGES; i++)
		p[i * page] = 1;
	munmap(p, FAULT_PAGES * page);
}

enum need { ANY, VDSO, EXEC, DENIED };

struct path {
	const char *name;
	void (*fn)(void);
	long iterations;
	long per_call;		/* events per call of fn (pages, for faults) */
	enum need need;		/* what the path needs from the boot */
};

static const struct path paths[] = {
	{ "vdso-gettimeofday",	run_vdso_gtod,		20000, 1, VDSO },
	{ "vdso-time",		run_vdso_time,		20000, 1, VDSO },
	{ "vdso-getcpu",	run_vdso_getcpu,	20000, 1, VDSO },
	{ "syscall-time",	run_syscall_time,	20000, 1, ANY },
	{ "vsyscall-time",	run_vsyscall_time,	20000, 1, EXEC },
	{ "vsyscall-gettimeofday", run_vsyscall_gtod,	20000, 1, EXEC },
	{ "denied-time",	run_denied_time,	2000,  1, DENIED },
	{ "page-fault",		run_page_faults,	40,    FAULT_PAGES, ANY },
};
#define N_PATHS (sizeof(paths) / sizeof(paths[0]))

static bool available(const struct path *p)
{
	switch (p->need) {
	case VDSO:
		return vdso_gtod && vdso_time && vdso_getcpu;
	case EXEC:
		return expect.exec;
	case DENIED:
		return !expect.exec;
	default:
		return true;
	}
}

static bool wanted(const struct path *p, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], p->name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);
	unsigned int i, n = 0;
	long j;

	ksft_print_header();
	vsys_expect_from_env(&expect);
	if (!ehdr)
		ksft_exit_fail_msg("no vDSO: the benchmark clock is the vDSO's\n");
	vdso_init_from_sysinfo_ehdr(ehdr);
	vdso_clock = (clock_gettime_t)vdso_sym("LINUX_2.6", "__vdso_clock_gettime");
	vdso_gtod = (gtod_t)vdso_sym("LINUX_2.6", "__vdso_gettimeofday");
	vdso_time = (time_t_fn)vdso_sym("LINUX_2.6", "__vdso_time");
	vdso_getcpu = (getcpu_t)vdso_sym("LINUX_2.6", "__vdso_getcpu");
	if (!vdso_clock)
		ksft_exit_fail_msg("no clock_gettime in the vDSO\n");

	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		ksft_exit_fail_msg("sigaltstack: %s\n", strerror(errno));
	on_signal(SIGSEGV, catch_signal);

	for (i = 0; i < N_PATHS; i++)
		if (wanted(&paths[i], argc, argv) && available(&paths[i]))
			n++;
	ksft_set_plan(n);

	for (i = 0; i < N_PATHS; i++) {
		const struct path *p = &paths[i];
		uint64_t t0, t1;

		if (!wanted(p, argc, argv) || !available(p))
			continue;
		p->fn();	/* warm up: first-touch faults, caches */
		t0 = now_ns();
		for (j = 0; j < p->iterations; j++)
			p->fn();
		t1 = now_ns();
		ksft_test_result_pass("bench: %s %.1f ns/call (%ld iterations)\n", p->name,
				      (double)(t1 - t0) / (p->iterations * p->per_call),
				      p->iterations * p->per_call);
	}
	ksft_finished();
}
