// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_modes: check every promise a vsyscall boot mode makes, against
 * the mode the harness says the kernel booted in (EXPECT_MODE; see
 * vsyscall_expect.h).  DESIGN.md section 2 is the contract:
 *
 *   mode     executing an entry   reading the page   maps line
 *   native   runs the page's code allowed            r-xp
 *   emulate  trap + emulation     allowed            r-xp
 *   xonly    trap + emulation     SIGSEGV            --xp
 *   none     SIGSEGV              SIGSEGV            none
 *
 * Built twice: 64-bit for everything, 32-bit (vsyscall_modes_32) for the
 * one promise a compat process gets: it has no vsyscall page.
 *
 * Optional expectations besides EXPECT_MODE and EXPECT_VDSO:
 *   EXPECT_PTI=0|1        page table isolation must be off / on
 *   EXPECT_BOOT_WARN=VAL  the kernel must have refused "vsyscall=VAL"
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
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/ucontext.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vsyscall_expect.h"
#include "vsyscall_probe.h"

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

#ifdef __x86_64__

static gtod_t vdso_gtod;
static time_t_fn vdso_time;
static getcpu_t vdso_getcpu;

/* Find the vDSO functions through the kernel's own ELF parser. */
#include "parse_vdso.h"
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

static void test_gettimeofday(void)
{
	struct timeval before, tv = { 0 }, mid, vd = { 0 }, after;
	struct timezone tz = { -1, -1 }, stz;
	volatile long ret = -1;
	int sig;

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
	ksft_print_msg("gettimeofday: syscall %ld, vsyscall %ld (ret %ld), syscall %ld, vDSO %ld, syscall %ld\n",
		       usec(&before), usec(&tv), ret, usec(&mid), usec(&vd), usec(&after));
	ksft_test_result(sig == 0 && ret == 0 &&
			 usec(&before) <= usec(&tv) && usec(&tv) <= usec(&mid) &&
			 tz.tz_minuteswest == stz.tz_minuteswest &&
			 tz.tz_dsttime == stz.tz_dsttime &&
			 (!vdso_gtod || (usec(&mid) <= usec(&vd) && usec(&vd) <= usec(&after))),
			 "gettimeofday entry (+0x000): time between the syscalls around it\n");
}

static void test_time(void)
{
	time_t t = -1;
	volatile time_t vd = 0;
	long before, mid, after;
	volatile long ret = -1;
	int sig;

	before = syscall(SYS_time, NULL);
	sig = CAPTURE(ret = vtime(&t));
	mid = syscall(SYS_time, NULL);
	if (vdso_time)
		vd = vdso_time(NULL);
	after = syscall(SYS_time, NULL);

	if (!expect.exec) {
		result_denied("time entry (+0x400)", sig);
		return;
	}
	ksft_print_msg("time: syscall %ld, vsyscall %ld (*t %ld), syscall %ld, vDSO %ld, syscall %ld\n",
		       before, ret, (long)t, mid, (long)vd, after);
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
	volatile long ret = -1;
	int sig;

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
		result_denied(cpu ? "getcpu entry (+0x800) on CPU 1" : "getcpu entry (+0x800) on CPU 0", sig);
		return;
	}
	ksft_print_msg("getcpu on CPU %d: syscall %u/%u, vsyscall %u/%u (ret %ld), vDSO %u/%u\n",
		       cpu, scpu, snode, vcpu, vnode, ret, dcpu, dnode);
	ksft_test_result(sig == 0 && ret == 0 && scpu == (unsigned int)cpu &&
			 vcpu == scpu && vnode == snode &&
			 (!vdso_getcpu || (dcpu == scpu && dnode == snode)),
			 "getcpu entry (+0x800) on CPU %d: same CPU and node as the syscall\n", cpu);
}

/* NULL output pointers mean "don't store", for the vsyscalls as for the syscalls. */
static void test_null_pointers(void)
{
	volatile long r1 = -1, r2 = -1, r3 = -1;
	int sig;

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
				 "process_vm_readv of the page reads the entry code (ret %zd)\n", n);
	else
		ksft_test_result(n == -1 && err == EFAULT,
				 "process_vm_readv of the page: EFAULT (ret %zd, %s)\n",
				 n, n < 0 ? strerror(err) : "no error");
}

/* ---- single-stepping a call ------------------------------------------ */

static volatile int traps_in_page;

static void count_trap(int sig, siginfo_t *si, void *ctx_void)
{
	ucontext_t *ctx = ctx_void;

	if ((ctx->uc_mcontext.gregs[REG_RIP] & ~0xfffUL) == VSYSCALL_ADDR)
		traps_in_page++;
}

#define X86_EFLAGS_TF 0x100
static unsigned long get_flags(void)
{
	unsigned long f;

	asm volatile ("pushf; pop %0" : "=rm" (f));
	return f;
}

static void set_flags(unsigned long f)
{
	asm volatile ("push %0; popf" : : "rm" (f) : "memory", "cc");
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
	int want = expect.mode == MODE_NATIVE ? 2 : 1;
	time_t t;
	int sig;

	on_signal(SIGTRAP, count_trap);
	traps_in_page = 0;
	sig = CAPTURE((set_flags(get_flags() | X86_EFLAGS_TF), vtime(&t),
		       set_flags(get_flags() & ~X86_EFLAGS_TF)));
	set_flags(get_flags() & ~X86_EFLAGS_TF);
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
#define N_BAD_OFFSETS (sizeof(bad_offsets) / sizeof(bad_offsets[0]))

static void test_bad_offsets(void)
{
	unsigned int i;

	for (i = 0; i < N_BAD_OFFSETS; i++) {
		unsigned long addr = VSYSCALL_ADDR + bad_offsets[i].off;
		int sig;

		if (expect.mode == MODE_NATIVE && !bad_offsets[i].int3) {
			/* Native mode executes whatever bytes are there. */
			ksft_test_result_skip("call to +0x%03x: native mode runs the middle of an instruction there\n",
					      bad_offsets[i].off);
			continue;
		}
		sig = CAPTURE(((void (*)(void))addr)());
		if (expect.mode == MODE_NATIVE)
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
 * Output pointers the kernel must refuse.  Emulation checks them before
 * the call and reports SIGSEGV with si_addr at the pointer; the real
 * syscall in the native page returns -EFAULT instead.
 */
#define KERNEL_PTR ((void *)0xffff880000000000UL)

static void check_bad_pointer(const char *what, int sig, long ret, unsigned long ptr)
{
	if (!expect.exec)
		result_denied(what, sig);
	else if (expect.mode == MODE_NATIVE)
		ksft_test_result(sig == 0 && ret == -EFAULT,
				 "%s: the native syscall returns -EFAULT (sig %d ret %ld)\n",
				 what, sig, ret);
	else
		ksft_test_result(sig == SIGSEGV && got_addr == ptr && got_code == SEGV_MAPERR,
				 "%s: SIGSEGV with si_addr at the pointer (sig %d addr %lx code %d)\n",
				 what, sig, got_addr, got_code);
}

static void test_bad_pointers(void)
{
	unsigned int cpu;
	volatile long ret = 0;
	int sig;

	sig = CAPTURE(ret = vgtod(KERNEL_PTR, NULL));
	check_bad_pointer("gettimeofday(kernel tv)", sig, ret, (unsigned long)KERNEL_PTR);
	sig = CAPTURE(ret = vgtod(NULL, KERNEL_PTR));
	check_bad_pointer("gettimeofday(kernel tz)", sig, ret, (unsigned long)KERNEL_PTR);
	sig = CAPTURE(ret = vtime(KERNEL_PTR));
	check_bad_pointer("time(kernel pointer)", sig, ret, (unsigned long)KERNEL_PTR);
	sig = CAPTURE(ret = vgetcpu(KERNEL_PTR, NULL, NULL));
	check_bad_pointer("getcpu(kernel cpu)", sig, ret, (unsigned long)KERNEL_PTR);
	sig = CAPTURE(ret = vgetcpu(&cpu, KERNEL_PTR, NULL));
	check_bad_pointer("getcpu(kernel node)", sig, ret, (unsigned long)KERNEL_PTR);
}

/*
 * A user pointer that passes access_ok() but is not mapped: the syscall
 * faults.  Emulation turns the fault into SIGSEGV (upstream does not set
 * si_addr for it); native returns -EFAULT.
 */
static void test_unmapped_pointer(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile long ret = 0;
	int sig;

	if (p == MAP_FAILED || munmap(p, 4096))
		ksft_exit_fail_msg("mmap/munmap: %s\n", strerror(errno));
	sig = CAPTURE(ret = vtime(p));
	if (!expect.exec)
		result_denied("time(unmapped user pointer)", sig);
	else if (expect.mode == MODE_NATIVE)
		ksft_test_result(sig == 0 && ret == -EFAULT,
				 "time(unmapped user pointer): -EFAULT (sig %d ret %ld)\n", sig, ret);
	else
		ksft_test_result(sig == SIGSEGV,
				 "time(unmapped user pointer): SIGSEGV (sig %d)\n", sig);
}

/* Jump to @entry with %rsp = @sp, as a caller with a broken stack would. */
void jump_with_stack(unsigned long sp, unsigned long entry);
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
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

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
	/* Where seccomp sees the call: the entry when emulated, after the syscall insn when native. */
	unsigned long call_addr = expect.mode == MODE_NATIVE ? VSYS_TIME + 9 : VSYS_TIME;
	int died;

	died = seccomp_child(SECCOMP_RET_ERRNO | EACCES);
	if (!expect.exec)
		ksft_test_result(died == 0 && report->sig == SIGSEGV,
				 "seccomp ERRNO: the call is refused before seccomp (sig %d)\n", report->sig);
	else
		ksft_test_result(died == 0 && report->sig == 0 && report->ret == -EACCES &&
				 report->raw_ret == -1 && report->raw_errno == EACCES,
				 "seccomp ERRNO(EACCES): returns -EACCES as the syscall fails with EACCES (ret %ld)\n",
				 report->ret);

	died = seccomp_child(SECCOMP_RET_TRAP);
	if (!expect.exec)
		ksft_test_result(died == 0 && report->sig == SIGSEGV,
				 "seccomp TRAP: the call is refused before seccomp (sig %d)\n", report->sig);
	else
		ksft_test_result(died == 0 && report->sig == SIGSYS &&
				 report->call_addr == call_addr && report->syscall_nr == __NR_time,
				 "seccomp TRAP: SIGSYS for time at %#lx (sig %d, call addr %#lx, nr %d)\n",
				 call_addr, report->sig, report->call_addr, report->syscall_nr);

	died = seccomp_child(SECCOMP_RET_KILL_PROCESS);
	if (!expect.exec)
		ksft_test_result(died == 0 && report->sig == SIGSEGV,
				 "seccomp KILL: the call is refused before seccomp (sig %d)\n", report->sig);
	else
		ksft_test_result(died == SIGSYS, "seccomp KILL_PROCESS: killed by SIGSYS (%d)\n", died);
}

/* ---- what the kernel said at boot ------------------------------------ */

static void test_boot_log(void)
{
	const char *warn = getenv("EXPECT_BOOT_WARN");
	char want[128], bad[160];

	snprintf(want, sizeof(want), "vsyscall: vsyscall=%s\n", expect.mode_name);
	ksft_test_result(kernel_log_has(want),
			 "boot log names the mode: \"vsyscall: vsyscall=%s\"\n", expect.mode_name);
	if (warn) {
		snprintf(bad, sizeof(bad), "vsyscall: unknown vsyscall=%s ignored, keeping vsyscall=%s\n",
			 warn, expect.mode_name);
		ksft_test_result(kernel_log_has(bad),
				 "boot log refuses vsyscall=%s and keeps vsyscall=%s\n",
				 warn, expect.mode_name);
	} else {
		ksft_test_result(!kernel_log_has("vsyscall: unknown"),
				 "boot log has no refused vsyscall= value\n");
	}
}

/* Only called when the harness says whether PTI must be on. */
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
#define PLAN (2 + 1 + 1 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + N_BAD_OFFSETS + 5 + 1 + 2 + 3)

int main(void)
{
	const char *pti = getenv("EXPECT_PTI");
	stack_t ss = { .ss_size = 4 * SIGSTKSZ };

	ksft_print_header();
	ksft_set_plan(PLAN + (pti ? 1 : 0));
	vsys_expect_from_env(&expect);

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
	test_getcpu(0);			/* 1 */
	test_getcpu(1);			/* 1 */
	test_null_pointers();		/* 1 */
	test_read();			/* 1 */
	test_process_vm_readv();	/* 1 */
	test_single_step();		/* 1 */
	on_signal(SIGTRAP, catch_signal);
	test_bad_offsets();		/* N_BAD_OFFSETS */
	signal(SIGTRAP, SIG_DFL);
	test_bad_pointers();		/* 5 */
	test_unmapped_pointer();	/* 1 */
	test_bad_stack();		/* 2 */
	test_seccomp();			/* 3 */

	ksft_finished();
}

#else /* 32-bit: a compat process has no vsyscall page in any mode */

int main(void)
{
	ksft_print_header();
	ksft_set_plan(1);
	vsys_expect_from_env(&expect);
	expect.maps_perms = NULL;
	test_maps();
	ksft_finished();
}

#endif
