// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_modes: check every promise a vsyscall boot mode makes, against
 * the mode the kernel is expected to be in (EXPECT_MODE, or the kernel's
 * own boot log line; see vsyscall_expect.h):
 *
 *   mode     executing an entry   reading the page   maps line
 *   native   runs the page's code allowed            r-xp
 *   emulate  trap + emulation     allowed            r-xp
 *   xonly    trap + emulation     SIGSEGV            --xp
 *   none     SIGSEGV              SIGSEGV            none
 *
 * Built 64-bit for everything, and 32-bit (vsyscall_modes_32) for the one
 * promise such a process gets: it has no vsyscall page, even when it runs
 * 64-bit code (see the end).  The source also builds for x32 (-mx32),
 * which the Makefile does not do.
 *
 * EXPECT_POLICY names the per-process policy it runs under, when a caller
 * has set another one; the expectations come from the mode x policy table
 * in vsyscall_expect.h.
 *
 * Optional expectations besides EXPECT_MODE, EXPECT_POLICY and EXPECT_VDSO:
 *   EXPECT_PTI=0|1        page table isolation must be off / on
 *   EXPECT_BOOT_WARN=VAL  the kernel must have refused "vsyscall=VAL"
 *
 * The results of calls made under CAPTURE() are static, not locals: GCC
 * warns that a local set before the sigsetjmp() and after it might be
 * clobbered by the siglongjmp() of a fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/ucontext.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vsyscall_expect.h"
#include "vsyscall_probe.h"
#include "helpers.h"

static struct vsys_expect expect;

static void test_maps(void)
{
	char perms[64];

	maps_line(perms, sizeof(perms));
	if (!expect.maps_perms)
		ksft_test_result(!perms[0], "maps: no [vsyscall] line (got \"%s\")\n", perms);
	else
		ksft_test_result(!strcmp(perms, expect.maps_perms),
				 "maps: [vsyscall] is %s (got \"%s\")\n",
				 expect.maps_perms, perms);
}

#ifdef VSYS_LP64

static gtod_t vdso_gtod;
static time_t_fn vdso_time;
static getcpu_t vdso_getcpu;

/* Find the vDSO functions through the kernel's own ELF parser. */
#include "../vDSO/parse_vdso.h"
static void find_vdso(void)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);

	if (!ehdr)
		return;
	vdso_init_from_sysinfo_ehdr(ehdr);
	vdso_gtod = (gtod_t)vdso_sym("LINUX_2.6", "__vdso_gettimeofday");
	vdso_time = (time_t_fn)vdso_sym("LINUX_2.6", "__vdso_time");
	vdso_getcpu = (getcpu_t)vdso_sym("LINUX_2.6", "__vdso_getcpu");
}

static void test_vdso_presence(void)
{
	bool have = vdso_gtod && vdso_time && vdso_getcpu;

	ksft_test_result(have == expect.vdso, "vDSO %s, as expected\n",
			 have ? "present" : "absent");
}

static long usec(const struct timeval *tv)
{
	return tv->tv_sec * 1000000L + tv->tv_usec;
}

/* A call that must fail the way the mode says: name the outcome. */
static void result_denied(const char *what, int sig)
{
	ksft_test_result(sig == SIGSEGV && got_ip == got_addr,
			 "%s: SIGSEGV at the entry (sig %d ip %lx addr %lx)\n",
			 what, sig, got_ip, got_addr);
}

/* ---- each entry point returns the right value ------------------------ */

#define GTOD_FMT "gettimeofday: syscall %ld, vsyscall %ld (ret %ld), syscall %ld, vDSO %ld, syscall %ld\n"

static void test_gettimeofday(void)
{
	struct timeval before, tv = { 0 }, mid, vd = { 0 }, after;
	struct timezone tz = { -1, -1 }, stz;
	static long ret;
	int sig;

	ret = -1;
	syscall(SYS_gettimeofday, &before, &stz);
	sig = CAPTURE(ret = vgtod(&tv, &tz));
	syscall(SYS_gettimeofday, &mid, NULL);
	if (vdso_gtod)
		vdso_gtod(&vd, NULL);
	syscall(SYS_gettimeofday, &after, NULL);

	if (!expect.exec) {
		result_denied("gettimeofday entry (+0x000)", sig);
		return;
	}
	ksft_print_msg(GTOD_FMT, usec(&before), usec(&tv), ret, usec(&mid), usec(&vd),
		       usec(&after));
	ksft_test_result(sig == 0 && ret == 0 &&
			 usec(&before) <= usec(&tv) && usec(&tv) <= usec(&mid) &&
			 tz.tz_minuteswest == stz.tz_minuteswest &&
			 tz.tz_dsttime == stz.tz_dsttime &&
			 (!vdso_gtod || (usec(&mid) <= usec(&vd) && usec(&vd) <= usec(&after))),
			 "gettimeofday entry (+0x000): time between the syscalls around it\n");
}

#define TIME_FMT "time: syscall %ld, vsyscall %ld (*t %ld), syscall %ld, vDSO %ld, syscall %ld\n"

static void test_time(void)
{
	time_t t = -1;
	time_t vd;
	long before, mid, after;
	static long ret;
	int sig;

	ret = -1;
	before = syscall(SYS_time, NULL);
	sig = CAPTURE(ret = vtime(&t));
	mid = syscall(SYS_time, NULL);
	vd = vdso_time ? vdso_time(NULL) : 0;
	after = syscall(SYS_time, NULL);

	if (!expect.exec) {
		result_denied("time entry (+0x400)", sig);
		return;
	}
	ksft_print_msg(TIME_FMT, before, ret, (long)t, mid, (long)vd, after);
	ksft_test_result(sig == 0 && ret == t && before <= ret && ret <= mid &&
			 (!vdso_time || (mid <= vd && vd <= after)),
			 "time entry (+0x400): time between the syscalls around it\n");
}

static bool pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

static void test_getcpu(int cpu)
{
	unsigned int scpu = ~0u, snode = ~0u, vcpu = ~0u, vnode = ~0u;
	unsigned int dcpu = ~0u, dnode = ~0u;
	static long ret;
	int sig;

	ret = -1;
	if (cpu < 0) {
		ksft_test_result_skip("getcpu entry (+0x800): this test may run on one CPU only\n");
		return;
	}
	if (!pin(cpu)) {
		ksft_test_result_fail("getcpu entry (+0x800) on CPU %d: cannot run there: %s\n",
				      cpu, strerror(errno));
		return;
	}
	syscall(SYS_getcpu, &scpu, &snode, NULL);
	sig = CAPTURE(ret = vgetcpu(&vcpu, &vnode, NULL));
	if (vdso_getcpu)
		vdso_getcpu(&dcpu, &dnode, NULL);

	if (!expect.exec) {
		char name[64];

		snprintf(name, sizeof(name), "getcpu entry (+0x800) on CPU %d", cpu);
		result_denied(name, sig);
		return;
	}
	ksft_print_msg("getcpu on CPU %d: syscall %u/%u, vsyscall %u/%u (ret %ld), vDSO %u/%u\n",
		       cpu, scpu, snode, vcpu, vnode, ret, dcpu, dnode);
	ksft_test_result(sig == 0 && ret == 0 && scpu == (unsigned int)cpu &&
			 vcpu == scpu && vnode == snode &&
			 (!vdso_getcpu || (dcpu == scpu && dnode == snode)),
			 "getcpu entry (+0x800) on CPU %d: same CPU and node as the syscall\n",
			 cpu);
}

/* NULL output pointers mean "don't store", for the vsyscalls as for the syscalls. */
static void test_null_pointers(void)
{
	static long r1, r2, r3;
	int sig;

	r1 = -1;
	r2 = -1;
	r3 = -1;
	sig = CAPTURE((r1 = vgtod(NULL, NULL), r2 = vtime(NULL), r3 = vgetcpu(NULL, NULL, NULL)));
	if (!expect.exec) {
		result_denied("NULL pointers", sig);
		return;
	}
	ksft_test_result(sig == 0 && r1 == 0 && r2 > 0 && r3 == 0,
			 "NULL output pointers accepted (gettimeofday %ld, time %ld, getcpu %ld)\n",
			 r1, r2, r3);
}

/* ---- reading the page ------------------------------------------------ */

/* The code vsyscall_emu_64.S puts at the gettimeofday entry. */
static const unsigned char gtod_code[] = {
	0x48, 0xc7, 0xc0, 0x60, 0x00, 0x00, 0x00,	/* mov $96, %rax */
	0x0f, 0x05,					/* syscall */
	0xc3,						/* ret */
};

static void test_read(void)
{
	unsigned char buf[sizeof(gtod_code)];
	int sig;

	sig = CAPTURE(memcpy(buf, (void *)VSYSCALL_ADDR, sizeof(buf)));
	if (expect.read)
		ksft_test_result(sig == 0 && !memcmp(buf, gtod_code, sizeof(buf)),
				 "reading the page works and shows the entry code (sig %d)\n", sig);
	else
		ksft_test_result(sig == SIGSEGV && got_addr == VSYSCALL_ADDR,
				 "reading the page: SIGSEGV at its address (sig %d addr %lx)\n",
				 sig, got_addr);
}

static void test_process_vm_readv(void)
{
	unsigned char buf[sizeof(gtod_code)];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)VSYSCALL_ADDR, sizeof(buf) };
	ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	int err = errno;

	if (expect.read)
		ksft_test_result(n == sizeof(buf) && !memcmp(buf, gtod_code, sizeof(buf)),
				 "process_vm_readv of the page reads the entry code (ret %zd)\n",
				 n);
	else
		ksft_test_result(n == -1 && err == EFAULT,
				 "process_vm_readv of the page: EFAULT (ret %zd, %s)\n",
				 n, n < 0 ? strerror(err) : "no error");
}

/* ---- single-stepping a call ------------------------------------------ */

static atomic_int traps_in_page;	/* counted by a signal handler */

static void count_trap(int sig, siginfo_t *si, void *ctx_void)
{
	ucontext_t *ctx = ctx_void;

	if ((ctx->uc_mcontext.gregs[REG_RIP] & ~0xfffUL) == VSYSCALL_ADDR)
		traps_in_page++;
}

static void test_single_step(void)
{
	/*
	 * With TF set, a trap follows each instruction.  Emulation: one
	 * trap in the page (after the call, at the entry), then the fault
	 * that emulates the whole call.  Native: the entry (mov) and the
	 * syscall instruction; the trap after syscall is taken only after
	 * ret, outside the page.  None: the trap at the entry, then SIGSEGV.
	 */
	int want = expect.mode == VSYS_MODE_NATIVE ? 2 : 1;
	time_t t;
	int sig;

	on_signal(SIGTRAP, count_trap);
	traps_in_page = 0;
	sig = CAPTURE((set_eflags(get_eflags() | X86_EFLAGS_TF), vtime(&t),
		       set_eflags(get_eflags() & ~X86_EFLAGS_TF)));
	set_eflags(get_eflags() & ~X86_EFLAGS_TF);
	signal(SIGTRAP, SIG_DFL);
	ksft_test_result(traps_in_page == want && sig == (expect.exec ? 0 : SIGSEGV),
			 "single-stepping time(): %d trap(s) in the page, want %d; signal %d, want %d\n",
			 traps_in_page, want, sig, expect.exec ? 0 : SIGSEGV);
}

/* ---- calls that must be refused -------------------------------------- */

/* Offsets in the page that are not entry points. */
static const struct {
	unsigned int off;
	bool int3;	/* padding (0xcc) in the real page */
} bad_offsets[] = {
	{ 0x001, false }, { 0x00a, true }, { 0x3ff, true }, { 0x401, false },
	{ 0x7ff, true }, { 0x801, false }, { 0xbff, true }, { 0xc00, true },
	{ 0xfff, true },
};

#define N_BAD_OFFSETS ARRAY_SIZE(bad_offsets)

#define NATIVE_MID_INSN_FMT "call to +0x%03x: native mode runs the middle of an instruction there\n"

static void test_bad_offsets(void)
{
	unsigned int i;

	for (i = 0; i < N_BAD_OFFSETS; i++) {
		unsigned long addr = VSYSCALL_ADDR + bad_offsets[i].off;
		int sig;

		if (expect.mode == VSYS_MODE_NATIVE && !bad_offsets[i].int3) {
			/* Native mode executes whatever bytes are there. */
			ksft_test_result_skip(NATIVE_MID_INSN_FMT, bad_offsets[i].off);
			continue;
		}
		sig = CAPTURE(((void (*)(void))addr)());
		if (expect.mode == VSYS_MODE_NATIVE)
			ksft_test_result(sig == SIGTRAP,
					 "call to +0x%03x: SIGTRAP from the int3 padding (sig %d)\n",
					 bad_offsets[i].off, sig);
		else
			ksft_test_result(sig == SIGSEGV && got_ip == addr,
					 "call to +0x%03x: SIGSEGV (sig %d ip %lx)\n",
					 bad_offsets[i].off, sig, got_ip);
	}
}

/*
 * Output pointers the kernel cannot write.  Emulation reports SIGSEGV
 * with si_addr at the first byte it could not write: SEGV_MAPERR where
 * nothing is mapped there (or the pointer is not a user address at all),
 * SEGV_ACCERR where a mapping is there but not writable.  The real
 * syscall in the native page returns -EFAULT instead, with no signal.
 */
#define KERNEL_PTR ((void *)0xffff880000000000UL)

static void check_bad_pointer(const char *what, int sig, long ret,
			      unsigned long addr, int code)
{
	if (!expect.exec)
		result_denied(what, sig);
	else if (expect.mode == VSYS_MODE_NATIVE)
		ksft_test_result(sig == 0 && ret == -EFAULT,
				 "%s: the native syscall returns -EFAULT (sig %d ret %ld)\n",
				 what, sig, ret);
	else
		ksft_test_result(sig == SIGSEGV && got_addr == addr && got_code == code,
				 "%s: SIGSEGV %s at %#lx (sig %d addr %#lx code %d)\n",
				 what, code == SEGV_MAPERR ? "SEGV_MAPERR" : "SEGV_ACCERR",
				 addr, sig, got_addr, got_code);
}

/* The output pointers of the three entries, one at a time. */
enum { OUT_GTOD_TV, OUT_GTOD_TZ, OUT_TIME, OUT_GETCPU_CPU, OUT_GETCPU_NODE, N_OUTS };

static const struct {
	const char *name;
	size_t size;		/* bytes the call writes there */
} outs[N_OUTS] = {
	[OUT_GTOD_TV]		= { "gettimeofday tv",	sizeof(struct timeval) },
	[OUT_GTOD_TZ]		= { "gettimeofday tz",	sizeof(struct timezone) },
	[OUT_TIME]		= { "time",		sizeof(time_t) },
	[OUT_GETCPU_CPU]	= { "getcpu cpu",	sizeof(unsigned int) },
	[OUT_GETCPU_NODE]	= { "getcpu node",	sizeof(unsigned int) },
};

/* Call the entry that owns output @out with @p there; the others valid. */
static int call_with_pointer(int out, void *p, long *ret)
{
	struct timeval tv;
	struct timezone tz;
	unsigned int cpu, node;

	switch (out) {
	case OUT_GTOD_TV:
		return CAPTURE(*ret = vgtod(p, &tz));
	case OUT_GTOD_TZ:
		return CAPTURE(*ret = vgtod(&tv, p));
	case OUT_TIME:
		return CAPTURE(*ret = vtime(p));
	case OUT_GETCPU_CPU:
		return CAPTURE(*ret = vgetcpu(p, &node, NULL));
	default:
		return CAPTURE(*ret = vgetcpu(&cpu, p, NULL));
	}
}

#define PAGE 4096UL

static void test_bad_pointers(void)
{
	/* [0] read-write, [1] unmapped, [2] read-only */
	char *pages = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *rw, *hole, *ro, what[128];
	long ret;
	int out, sig;

	if (pages == MAP_FAILED || munmap(pages + PAGE, PAGE) ||
	    mprotect(pages + 2 * PAGE, PAGE, PROT_READ))
		ksft_exit_fail_msg("mmap/munmap/mprotect: %s\n", strerror(errno));
	rw = pages;
	hole = pages + PAGE;
	ro = pages + 2 * PAGE;

	for (out = 0; out < N_OUTS; out++) {
		/* Not a user address: fails access_ok() */
		ret = 0;
		sig = call_with_pointer(out, KERNEL_PTR, &ret);
		snprintf(what, sizeof(what), "%s at a kernel address", outs[out].name);
		check_bad_pointer(what, sig, ret, (unsigned long)KERNEL_PTR, SEGV_MAPERR);

		/* A user address with nothing mapped there */
		ret = 0;
		sig = call_with_pointer(out, hole, &ret);
		snprintf(what, sizeof(what), "%s in an unmapped page", outs[out].name);
		check_bad_pointer(what, sig, ret, (unsigned long)hole, SEGV_MAPERR);

		/* Mapped, but read-only */
		ret = 0;
		sig = call_with_pointer(out, ro, &ret);
		snprintf(what, sizeof(what), "%s in a read-only page", outs[out].name);
		check_bad_pointer(what, sig, ret, (unsigned long)ro, SEGV_ACCERR);

		/* Half in the read-write page, half in the unmapped one */
		ret = 0;
		sig = call_with_pointer(out, hole - outs[out].size / 2, &ret);
		snprintf(what, sizeof(what),
			 "%s across the end of a read-write page (%zu of %zu bytes there)",
			 outs[out].name, outs[out].size / 2, outs[out].size);
		check_bad_pointer(what, sig, ret, (unsigned long)hole, SEGV_MAPERR);
	}

	/* The example of the issue: a small integer taken for a pointer */
	ret = 0;
	sig = CAPTURE(ret = vtime((time_t *)1));
	check_bad_pointer("time((time_t *)1)", sig, ret, 1, SEGV_MAPERR);

	munmap(rw, PAGE);
	munmap(ro, PAGE);
}

/* Jump to @entry with %rsp = @sp, as a caller with a broken stack would. */
void jump_with_stack(unsigned long sp, unsigned long entry) asm("jump_with_stack");
asm(".pushsection .text\n"
	".globl jump_with_stack\n"
	".type jump_with_stack, @function\n"
	"jump_with_stack:\n"
	"	mov %rdi, %rsp\n"
	"	mov %rsi, %rax\n"
	"	xor %edi, %edi\n"
	"	xor %esi, %esi\n"
	"	xor %edx, %edx\n"
	"	jmp *%rax\n"
	".size jump_with_stack, . - jump_with_stack\n"
	".popsection\n");

static void test_bad_stack(void)
{
	static const unsigned long stacks[] = { 0x8, 0xffff880000000000UL };
	unsigned int i;

	/* The return address cannot be read (emulation) or popped (native). */
	for (i = 0; i < 2; i++) {
		int sig = CAPTURE(jump_with_stack(stacks[i], VSYS_TIME));

		ksft_test_result(sig == SIGSEGV,
				 "time entry with %%rsp = %#lx: SIGSEGV (sig %d)\n",
				 stacks[i], sig);
	}
}

/* ---- protection keys --------------------------------------------------- */

/* Whether the kernel turned protection keys on (CPUID 7.0 ECX.OSPKE) */
static bool have_ospke(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 4));
}

/*
 * The time entry's "ret" (at +9) with %rsp pointing at itself, while PKRU
 * forbids data access to protection key 0, which the vsyscall page has
 * like every page.  Under native the ret runs and its load faults at the
 * address it runs from: a data fault, which the emulation must not take
 * for an instruction fetch (a WARN would end the run).  In the other
 * modes the jump itself faults.  Either way the child dies of SIGSEGV:
 * with key 0 forbidden it has no stack to take a signal on, so the
 * default action is set first.
 */
static void test_pkey_ret(void)
{
	struct rlimit no_core = { 0, 0 };
	int status;
	pid_t pid;

	if (!have_ospke()) {
		ksft_test_result_skip("ret in the page with protection key 0 forbidden: no protection keys here\n");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &no_core);	/* meant to die */
		signal(SIGSEGV, SIG_DFL);
		/* No memory access between wrpkru and the page: no call */
		asm volatile("wrpkru\n\t"
			     "mov %%rsi, %%rsp\n\t"
			     "jmp *%%rsi"
			     : : "a" (1 /* key 0: access disabled */), "c" (0), "d" (0),
				 "S" (VSYS_TIME + 9) : "memory");
		_exit(1);
	}
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
			 "ret in the page with protection key 0 forbidden: SIGSEGV (status %#x)\n",
			 status);
}

/* ---- seccomp --------------------------------------------------------- */

static void install_filter(unsigned int action)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_time, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(f), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		_exit(90);
}

/* What a child saw; filled in by the child through shared memory. */
struct seccomp_report {
	int sig;
	long ret, raw_ret;
	int raw_errno;
	unsigned long call_addr;
	int syscall_nr;
	pid_t pid;
};

static struct seccomp_report *report;

static int seccomp_child(unsigned int action)
{
	pid_t pid;
	int status;

	memset(report, 0, sizeof(*report));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		install_filter(action);
		/* The real syscall first, to compare with. */
		if (action != SECCOMP_RET_KILL_PROCESS && action != SECCOMP_RET_TRAP) {
			report->raw_ret = syscall(SYS_time, NULL);
			report->raw_errno = errno;
		}
		report->sig = CAPTURE(report->ret = vtime(NULL));
		report->call_addr = got_call_addr;
		report->syscall_nr = got_syscall;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 90)
		ksft_exit_fail_msg("installing the seccomp filter failed\n");
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void test_seccomp(void)
{
	/*
	 * Where seccomp sees the call: the entry when emulated, after the
	 * syscall insn when native.
	 */
	unsigned long call_addr = expect.mode == VSYS_MODE_NATIVE ? VSYS_TIME + 9 : VSYS_TIME;
	int died;

	died = seccomp_child(SECCOMP_RET_ERRNO | EACCES);
	if (!expect.exec)
		ksft_test_result(died == 0 && report->sig == SIGSEGV,
				 "seccomp ERRNO: the call is refused before seccomp (sig %d)\n",
				 report->sig);
	else
		ksft_test_result(died == 0 && report->sig == 0 && report->ret == -EACCES &&
				 report->raw_ret == -1 && report->raw_errno == EACCES,
				 "seccomp ERRNO(EACCES): returns -EACCES as the syscall fails with EACCES (ret %ld)\n",
				 report->ret);

	died = seccomp_child(SECCOMP_RET_TRAP);
	if (!expect.exec)
		ksft_test_result(died == 0 && report->sig == SIGSEGV,
				 "seccomp TRAP: the call is refused before seccomp (sig %d)\n",
				 report->sig);
	else
		ksft_test_result(died == 0 && report->sig == SIGSYS &&
				 report->call_addr == call_addr && report->syscall_nr == __NR_time,
				 "seccomp TRAP: SIGSYS for time at %#lx (sig %d, call addr %#lx, nr %d)\n",
				 call_addr, report->sig, report->call_addr, report->syscall_nr);

	died = seccomp_child(SECCOMP_RET_KILL_PROCESS);
	if (!expect.exec)
		ksft_test_result(died == 0 && report->sig == SIGSEGV,
				 "seccomp KILL: the call is refused before seccomp (sig %d)\n",
				 report->sig);
	else
		ksft_test_result(died == SIGSYS,
				 "seccomp KILL_PROCESS: killed by SIGSYS (%d)\n", died);
}

/*
 * SECCOMP_RET_TRACE: this process traces the child and gets a
 * PTRACE_EVENT_SECCOMP stop for time(); with @change_nr it turns the call
 * into getpid() there.  Emulation cannot run another syscall in place of
 * the vsyscall, so it kills the process with SIGSYS ("seccomp tried to
 * change syscall nr or ip"); the native page makes a real syscall, which
 * runs as changed.
 */
struct trace_result {
	int died;			/* the signal that killed the child, or 0 */
	int stops;			/* seccomp stops the tracer saw */
	unsigned long stop_ip, stop_nr;	/* rip and orig_rax at the last one */
};

static void seccomp_trace_child(bool change_nr, struct trace_result *t)
{
	struct user_regs_struct regs;
	pid_t pid;
	int status, sig = 0;

	memset(report, 0, sizeof(*report));
	memset(t, 0, sizeof(*t));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(91);
		raise(SIGSTOP);
		install_filter(SECCOMP_RET_TRACE);
		report->pid = getpid();
		report->sig = CAPTURE(report->ret = vtime(NULL));
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP)
		ksft_exit_fail_msg("the traced child did not stop (status %#x)\n", status);
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(long)(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)))
		ksft_exit_fail_msg("PTRACE_SETOPTIONS: %s\n", strerror(errno));
	for (;;) {
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig))
			ksft_exit_fail_msg("PTRACE_CONT: %s\n", strerror(errno));
		if (waitpid(pid, &status, 0) != pid)
			ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
		if (WIFEXITED(status)) {
			if (WEXITSTATUS(status) == 90)
				ksft_exit_fail_msg("installing the seccomp filter failed\n");
			return;
		}
		if (WIFSIGNALED(status)) {
			t->died = WTERMSIG(status);
			return;
		}
		sig = 0;
		if (status >> 8 != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
			/* A signal-delivery stop: deliver the signal */
			sig = WSTOPSIG(status);
			continue;
		}
		t->stops++;
		if (ptrace(PTRACE_GETREGS, pid, NULL, &regs))
			ksft_exit_fail_msg("PTRACE_GETREGS: %s\n", strerror(errno));
		t->stop_ip = regs.rip;
		t->stop_nr = regs.orig_rax;
		if (change_nr) {
			regs.orig_rax = __NR_getpid;
			if (ptrace(PTRACE_SETREGS, pid, NULL, &regs))
				ksft_exit_fail_msg("PTRACE_SETREGS: %s\n", strerror(errno));
		}
	}
}

#define TRACE_CONT_FMT "seccomp TRACE, tracer continues: died %d, sig %d, ret %ld, %d stop(s) at ip %#lx nr %lu\n"
#define TRACE_NR_FMT "seccomp TRACE, tracer sets nr getpid: died %d, sig %d, ret %ld (pid %d), %d stop(s) at ip %#lx nr %lu\n"

static void test_seccomp_trace(void)
{
	unsigned long call_addr = expect.mode == VSYS_MODE_NATIVE ? VSYS_TIME + 9 : VSYS_TIME;
	struct trace_result t;
	long before, after;
	bool stop_ok;

	before = syscall(SYS_time, NULL);
	seccomp_trace_child(false, &t);
	after = syscall(SYS_time, NULL);
	stop_ok = t.stops == 1 && t.stop_ip == call_addr && t.stop_nr == __NR_time;
	ksft_print_msg(TRACE_CONT_FMT, t.died, report->sig, report->ret, t.stops, t.stop_ip,
		       t.stop_nr);
	if (!expect.exec)
		ksft_test_result(t.died == 0 && report->sig == SIGSEGV && t.stops == 0,
				 "seccomp TRACE: the call is refused before seccomp, no stop (sig %d, %d stops)\n",
				 report->sig, t.stops);
	else
		ksft_test_result(t.died == 0 && report->sig == 0 && stop_ok &&
				 before <= report->ret && report->ret <= after,
				 "seccomp TRACE, tracer continues: one stop for time at %#lx, then the time (ret %ld)\n",
				 call_addr, report->ret);

	seccomp_trace_child(true, &t);
	stop_ok = t.stops == 1 && t.stop_ip == call_addr && t.stop_nr == __NR_time;
	ksft_print_msg(TRACE_NR_FMT, t.died, report->sig, report->ret, report->pid, t.stops,
		       t.stop_ip, t.stop_nr);
	if (!expect.exec)
		ksft_test_result(t.died == 0 && report->sig == SIGSEGV && t.stops == 0,
				 "seccomp TRACE changing nr: the call is refused before seccomp, no stop (sig %d, %d stops)\n",
				 report->sig, t.stops);
	else if (expect.mode == VSYS_MODE_NATIVE)
		ksft_test_result(t.died == 0 && report->sig == 0 && stop_ok &&
				 report->ret == report->pid,
				 "seccomp TRACE changing nr: the native syscall runs getpid (ret %ld, pid %d)\n",
				 report->ret, report->pid);
	else
		ksft_test_result(t.died == SIGSYS && stop_ok,
				 "seccomp TRACE changing nr: emulation kills the process with SIGSYS (died %d)\n",
				 t.died);
}

/* ---- what the kernel said at boot ------------------------------------ */

static void test_boot_log(void)
{
	const char *warn = getenv("EXPECT_BOOT_WARN");
	char want[128], bad[160];

	if (kernel_log_count("") < 0) {
		ksft_test_result_skip("boot log names the mode: the log is not readable here\n");
		ksft_test_result_skip("boot log refusals: the log is not readable here\n");
		return;
	}
	snprintf(want, sizeof(want), "vsyscall: vsyscall=%s\n", expect.mode_name);
	ksft_test_result(kernel_log_count(want) > 0,
			 "boot log names the mode: \"vsyscall: vsyscall=%s\"\n", expect.mode_name);
	if (warn) {
		snprintf(bad, sizeof(bad),
			 "vsyscall: unknown vsyscall=%s ignored, keeping vsyscall=%s\n",
			 warn, expect.mode_name);
		ksft_test_result(kernel_log_count(bad) > 0,
				 "boot log refuses vsyscall=%s and keeps vsyscall=%s\n",
				 warn, expect.mode_name);
	} else {
		ksft_test_result(kernel_log_count("vsyscall: unknown") == 0,
				 "boot log has no refused vsyscall= value\n");
	}
}

/* Only called when EXPECT_PTI says whether PTI must be on. */
static void test_pti(const char *want)
{
	char line[4096];
	bool pti = false;
	FILE *f;

	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		ksft_exit_fail_msg("/proc/cpuinfo: %s\n", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " pti"))
			pti = true;
	fclose(f);
	ksft_test_result(pti == (want[0] == '1'), "page table isolation is %s\n",
			 want[0] == '1' ? "on" : "off");
}

/* One term per test function, in the order main() calls them. */
#define PLAN (2 + 1 + 1 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + N_BAD_OFFSETS + (4 * N_OUTS + 1) + 2 + 1 + 3 + 2)

int main(void)
{
	const char *pti = getenv("EXPECT_PTI");
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };
	int cpu0 = vsys_allowed_cpu(0), cpu1 = vsys_allowed_cpu(1);

	ksft_print_header();
	vsys_expect_from_env(&expect);	/* may skip, so before the plan */
	ksft_set_plan(PLAN + (pti ? 1 : 0));

	/* Bad-stack calls need the handler on a stack of its own. */
	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		ksft_exit_fail_msg("sigaltstack: %s\n", strerror(errno));
	on_signal(SIGSEGV, catch_signal);
	on_signal(SIGSYS, catch_signal);
	report = mmap(NULL, sizeof(*report), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (report == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	find_vdso();

	test_boot_log();		/* 2 */
	if (pti)
		test_pti(pti);		/* 1, counted apart */
	test_vdso_presence();		/* 1 */
	test_maps();			/* 1 */
	test_gettimeofday();		/* 1 */
	test_time();			/* 1 */
	test_getcpu(cpu0);		/* 1 */
	test_getcpu(cpu1);		/* 1 */
	test_null_pointers();		/* 1 */
	test_read();			/* 1 */
	test_process_vm_readv();	/* 1 */
	test_single_step();		/* 1 */
	on_signal(SIGTRAP, catch_signal);
	test_bad_offsets();		/* N_BAD_OFFSETS */
	signal(SIGTRAP, SIG_DFL);
	test_bad_pointers();		/* 4 * N_OUTS + 1 */
	test_bad_stack();		/* 2 */
	test_pkey_ret();		/* 1 */
	test_seccomp();			/* 3 */
	test_seccomp_trace();		/* 2 */

	ksft_finished();
}

#else /* 32-bit and x32: no vsyscall page in any mode or policy */

/*
 * A 32-bit process (i386 build) and an x32 process (x32 build, which runs
 * in 64-bit mode with 32-bit pointers) have no vsyscall page: no maps
 * line, and a call to an entry point is refused with SIGSEGV at the entry
 * in every mode and policy, as under vsyscall=none.  The one exception is
 * vsyscall=native, where the page is real code in the kernel page tables
 * that every process shares: 64-bit code runs it natively.  Reading the
 * page from 64-bit code follows the same page tables, so it works where
 * the page is user-readable (native, emulate).  Those two are what the
 * kernel does by construction, no trap happens that could refuse them,
 * and the checks below expect them rather than hide them.
 *
 * The i386 build gets to 64-bit code with a far jump into the 64-bit code
 * segment and comes back with a far jump to the 32-bit one; the x32 build
 * is in 64-bit mode already and calls the entry with a near call.
 */
#define ENTRY_TIME_32	0xff600400UL	/* VSYS_TIME as a 32-bit si_addr shows it */

/* The first 8 bytes of the gettimeofday entry: mov $96, %rax; syscall (start) */
#define GTOD_CODE_8	0x0f00000060c0c748ULL

/*
 * Defined by the asm below, they run 64-bit code and return what it left
 * in %rax: call_time_64() time(NULL) at the entry, read_page_64() the
 * first 8 bytes of the page.
 */
typedef unsigned long long (code64_fn)(void);
code64_fn call_time_64, read_page_64;

#ifdef VSYS_I386
#define USER_CS_64	0x33	/* __USER_CS */
#define USER_CS_32	0x23	/* __USER32_CS */
#define ABI_NAME	"32-bit"
/*
 * cdecl: the result comes back in %edx:%eax.  In 64-bit mode the upper
 * halves of the registers are undefined after the switch, so %esp is
 * zero-extended before it is used.  The callee-saved registers are saved
 * for the normal return; after a signal siglongjmp() restores them.
 */
asm(".pushsection .text\n"
	".code32\n"
	".globl call_time_64\n"
	".type call_time_64, @function\n"
	"call_time_64:\n"
	"	push %ebx\n"
	"	push %esi\n"
	"	push %edi\n"
	"	push %ebp\n"
	"	ljmpl *call_time_64_far\n"
	".size call_time_64, . - call_time_64\n"
	".globl read_page_64\n"
	".type read_page_64, @function\n"
	"read_page_64:\n"
	"	push %ebx\n"
	"	push %esi\n"
	"	push %edi\n"
	"	push %ebp\n"
	"	ljmpl *read_page_64_far\n"
	".size read_page_64, . - read_page_64\n"
	".code64\n"
	"time_in_64:\n"
	"	movl %esp, %esp\n"
	"	xorl %edi, %edi\n"
	"	movabsq $0xffffffffff600400, %rax\n"
	"	call *%rax\n"
	"	jmp back_to_32\n"
	"read_in_64:\n"
	"	movl %esp, %esp\n"
	"	movabsq $0xffffffffff600000, %rcx\n"
	"	movq (%rcx), %rax\n"
	"back_to_32:\n"
	"	movq %rax, %rdx\n"
	"	shrq $32, %rdx\n"
	"	ljmpl *back_to_32_far(%rip)\n"
	".code32\n"
	"in_32:\n"
	"	pop %ebp\n"
	"	pop %edi\n"
	"	pop %esi\n"
	"	pop %ebx\n"
	"	ret\n"
	".popsection\n"
	".pushsection .data\n"
	"call_time_64_far:	.long time_in_64\n	.word 0x33\n"
	"read_page_64_far:	.long read_in_64\n	.word 0x33\n"
	"back_to_32_far:	.long in_32\n	.word 0x23\n"
	".popsection\n");
#else /* x32 */
#define USER_CS_64	0x33
#define ABI_NAME	"x32"
/* A tail jump: the entry's ret returns to our caller, %rax is the result. */
asm(".pushsection .text\n"
	".globl call_time_64\n"
	".type call_time_64, @function\n"
	"call_time_64:\n"
	"	xorl %edi, %edi\n"
	"	movabsq $0xffffffffff600400, %rax\n"
	"	jmp *%rax\n"
	".size call_time_64, . - call_time_64\n"
	".globl read_page_64\n"
	".type read_page_64, @function\n"
	"read_page_64:\n"
	"	movabsq $0xffffffffff600000, %rcx\n"
	"	movq (%rcx), %rax\n"
	"	ret\n"
	".size read_page_64, . - read_page_64\n"
	".popsection\n");
#endif

/* %cs of the signal handler itself: the frame decides the mode it runs in */
static atomic_uint handler_cs;

static void catch_signal_cs(int sig, siginfo_t *si, void *ctx)
{
	unsigned short cs;

	asm volatile ("mov %%cs, %0" : "=r" (cs));
	handler_cs = cs;
	catch_signal(sig, si, ctx);
}

#ifdef VSYS_I386
#define HANDLER_CS	USER_CS_32
#else
#define HANDLER_CS	USER_CS_64
#endif

#define CALL_64_FMT "time entry from 64-bit code: sig %d addr %#lx ip %#lx cs %#x, handler cs %#x\n"

static void test_call(void)
{
	static unsigned long long ret;
	long before, after;
	int sig;

	ret = 0;
	before = time(NULL);
	handler_cs = 0;
	sig = CAPTURE(ret = call_time_64());
	after = time(NULL);

	if (expect.mode == VSYS_MODE_NATIVE) {
		ksft_test_result(sig == 0 && before <= (long long)ret && (long long)ret <= after,
				 "%s process, time entry from 64-bit code: vsyscall=native runs the page (ret %lld, sig %d)\n",
				 ABI_NAME, (long long)ret, sig);
		return;
	}
	ksft_print_msg(CALL_64_FMT, sig, got_addr, got_ip, got_cs, handler_cs);
	ksft_test_result(sig == SIGSEGV && got_addr == ENTRY_TIME_32 && got_ip == ENTRY_TIME_32 &&
			 got_cs == USER_CS_64 && handler_cs == HANDLER_CS,
			 "%s process, time entry from 64-bit code: SIGSEGV at the entry, handler in %s mode (sig %d addr %#lx cs %#x/%#x)\n",
			 ABI_NAME, HANDLER_CS == USER_CS_64 ? "64-bit" : "32-bit",
			 sig, got_addr, got_cs, handler_cs);
}

static void test_read_64(void)
{
	static unsigned long long bytes;
	int sig;

	bytes = 0;
	handler_cs = 0;
	sig = CAPTURE(bytes = read_page_64());
	if (expect.read)
		ksft_test_result(sig == 0 && bytes == GTOD_CODE_8,
				 "%s process, reading the page from 64-bit code works (sig %d, %#llx)\n",
				 ABI_NAME, sig, (unsigned long long)bytes);
	else
		ksft_test_result(sig == SIGSEGV && got_addr == (unsigned long)VSYSCALL_ADDR &&
				 got_cs == USER_CS_64 && handler_cs == HANDLER_CS,
				 "%s process, reading the page from 64-bit code: SIGSEGV at its address (sig %d addr %#lx cs %#x/%#x)\n",
				 ABI_NAME, sig, got_addr, got_cs, handler_cs);
}

int main(void)
{
	ksft_print_header();
	vsys_expect_from_env(&expect);
	ksft_set_plan(3);
	on_signal(SIGSEGV, catch_signal_cs);

	expect.maps_perms = NULL;
	test_maps();			/* 1 */
	test_call();			/* 1 */
	test_read_64();			/* 1 */
	ksft_finished();
}

#endif
