// SPDX-License-Identifier: GPL-2.0
/*
 * setvsyscall: run a command with a per-process vsyscall policy.
 *
 *   setvsyscall [--lock] --policy default|deny|allow [--] COMMAND [ARG...]
 *   setvsyscall --dump [--pid PID]
 *
 * The policy is set on this process with prctl(PR_SET_VSYSCALL) and then
 * the command is executed: the kernel keeps the policy across execve() and
 * passes it to every child, so a container runtime started this way runs
 * the whole container under it.
 *
 * --dump prints the policy, the lock, the boot mode and, where the kernel
 * counts them, the vsyscalls emulated and refused for this process; with
 * --pid, for process PID, read from /proc/PID/status (a container's init
 * seen from the host, for instance).
 *
 * Exit status: the command's own, or
 *   1    the policy could not be set (or --dump could not read it, or
 *        PID does not exist or shows no policy)
 *   2    bad usage
 *   126  the command was found but could not be executed
 *   127  the command was not found
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/vsyscall_policy.h>

#define EXIT_SETTING	1
#define EXIT_USAGE	2
#define EXIT_CANNOT_RUN	126
#define EXIT_NOT_FOUND	127

static const char * const policy_names[] = {
	[PR_VSYSCALL_DEFAULT]	= "default",
	[PR_VSYSCALL_DENY]	= "deny",
	[PR_VSYSCALL_ALLOW]	= "allow",
};
#define N_POLICIES (sizeof(policy_names) / sizeof(policy_names[0]))

static const char *prog = "setvsyscall";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [--lock] --policy default|deny|allow [--] COMMAND [ARG...]\n"
		"       %s --dump [--pid PID]\n"
		"\n"
		"Run COMMAND with a per-process vsyscall policy (x86_64).\n"
		"\n"
		"  -p, --policy POLICY  default: follow the vsyscall= boot mode\n"
		"                       deny:    no calls into the vsyscall page\n"
		"                       allow:   emulated calls even under vsyscall=none\n"
		"  -l, --lock           freeze the policy for COMMAND and its descendants\n"
		"  -d, --dump           print this process's policy, lock, the boot mode\n"
		"                       and the counts of vsyscalls emulated and refused\n"
		"      --pid PID        with --dump: those of process PID instead\n"
		"  -h, --help           print this help\n"
		"\n"
		"Exit status: COMMAND's, or 1 if the policy could not be set (or --dump\n"
		"could not read it), 2 for bad usage, 126 if COMMAND could not be\n"
		"executed, 127 if it was not found.\n",
		prog, prog);
}

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	exit(EXIT_USAGE);
}

static int parse_policy(const char *s)
{
	unsigned int i;

	for (i = 0; i < N_POLICIES; i++)
		if (!strcmp(s, policy_names[i]))
			return i;
	usage_error("unknown policy '%s' (default, deny or allow)", s);
}

/* The vsyscall lines of a /proc/PID/status file; "" where one is missing */
struct vstatus {
	char policy[32], locked[16], emulated[32], refused[32];
};

/* If @line is "@key:\tvalue\n", copy the value to @out */
static void take(const char *line, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);

	if (strncmp(line, key, klen) || line[klen] != ':')
		return;
	line += klen + 1;
	line += strspn(line, " \t");
	snprintf(out, len, "%.*s", (int)strcspn(line, "\n"), line);
}

/*
 * Read @path once for all the lines (a second open could find another
 * process, or none): 0, or -errno when it cannot be opened (ENOENT: no
 * such process).
 */
static int read_vstatus(const char *path, struct vstatus *st)
{
	char line[256];
	FILE *f;

	memset(st, 0, sizeof(*st));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		take(line, "Vsyscall_policy", st->policy, sizeof(st->policy));
		take(line, "Vsyscall_policy_locked", st->locked, sizeof(st->locked));
		take(line, "Vsyscall_emulated", st->emulated, sizeof(st->emulated));
		take(line, "Vsyscall_refused", st->refused, sizeof(st->refused));
	}
	fclose(f);
	return 0;
}

/* Does this kernel show a vsyscall policy in /proc/self/status? */
static bool kernel_has_policy(void)
{
	struct vstatus st;

	return read_vstatus("/proc/self/status", &st) == 0 && st.policy[0];
}

static bool module_loaded(void)
{
	return access("/sys/kernel/vsyscall_policy", F_OK) == 0;
}

/* Say why PR_SET_VSYSCALL or PR_GET_VSYSCALL failed with @err. */
static void explain(const char *what, int err)
{
	if (err == EINVAL && !kernel_has_policy())
		fprintf(stderr, "%s: %s: this kernel has no per-process vsyscall policy (it lacks the vsyscall patch series)\n",
			prog, what);
	else if (err == EINVAL && !module_loaded())
		fprintf(stderr, "%s: %s: the vsyscall_policy module is not loaded (modprobe vsyscall_policy)\n",
			prog, what);
	else if (err == EPERM && prctl(PR_GET_VSYSCALL, 0, 0, 0, 0) > 0 &&
		 (prctl(PR_GET_VSYSCALL, 0, 0, 0, 0) & PR_VSYSCALL_LOCKED))
		fprintf(stderr, "%s: %s: the policy of this process is locked\n", prog, what);
	else if (err == EPERM)
		fprintf(stderr, "%s: %s: %s (allow under vsyscall=none needs CAP_SYS_ADMIN in the initial user namespace)\n",
			prog, what, strerror(err));
	else if (err == EOPNOTSUPP)
		fprintf(stderr, "%s: %s: %s (vsyscall=native cannot deny the page)\n",
			prog, what, strerror(err));
	else
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err));
}

/* The boot mode as the module shows it, or why it is unknown */
static void boot_mode(char *buf, size_t len)
{
	FILE *f = fopen("/sys/kernel/vsyscall_policy/boot_mode", "re");

	if (!f) {
		snprintf(buf, len, "unknown (vsyscall_policy not loaded)");
		return;
	}
	if (!fgets(buf, len, f))
		snprintf(buf, len, "unreadable");
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* The counts, where the kernel reports them (a kernel without them: none) */
static void print_counts(const struct vstatus *st)
{
	if (st->emulated[0])
		printf("vsyscalls emulated: %s\n", st->emulated);
	if (st->refused[0])
		printf("vsyscalls refused: %s\n", st->refused);
}

/* --dump --pid: everything from /proc/PID/status, which anyone may read */
static int dump_pid(long pid)
{
	char path[64], mode[64];
	struct vstatus st;
	int r;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	r = read_vstatus(path, &st);
	if (r == -ENOENT || r == -ESRCH) {
		fprintf(stderr, "%s: no process %ld\n", prog, pid);
		return EXIT_SETTING;
	}
	if (r) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(-r));
		return EXIT_SETTING;
	}
	if (!st.policy[0] || !st.locked[0]) {
		fprintf(stderr, "%s: %s has no Vsyscall_policy lines: %s\n", prog, path,
			kernel_has_policy() ?
			"the process has no address space (a kernel thread, or it is exiting)" :
			"this kernel has no per-process vsyscall policy (it lacks the vsyscall patch series)");
		return EXIT_SETTING;
	}
	boot_mode(mode, sizeof(mode));
	printf("policy: %s\nlocked: %s\nboot mode: %s\n", st.policy,
	       strcmp(st.locked, "0") ? "yes" : "no", mode);
	print_counts(&st);
	return 0;
}

static int dump(void)
{
	long r = prctl(PR_GET_VSYSCALL, 0, 0, 0, 0);
	int err = errno;
	struct vstatus st;
	char mode[64];

	read_vstatus("/proc/self/status", &st);
	if (r < 0) {
		/* Without the module the kernel still shows the policy there. */
		if (!st.policy[0] || !st.locked[0]) {
			explain("PR_GET_VSYSCALL", err);
			return EXIT_SETTING;
		}
		printf("policy: %s\nlocked: %s\nboot mode: unknown (vsyscall_policy not loaded)\n",
		       st.policy, strcmp(st.locked, "0") ? "yes" : "no");
		print_counts(&st);
		return 0;
	}

	boot_mode(mode, sizeof(mode));
	printf("policy: %s\nlocked: %s\nboot mode: %s\n",
	       (r & PR_VSYSCALL_POLICY_MASK) < (long)N_POLICIES ?
			policy_names[r & PR_VSYSCALL_POLICY_MASK] : "unknown",
	       r & PR_VSYSCALL_LOCKED ? "yes" : "no", mode);
	print_counts(&st);
	return 0;
}

/* A process ID for --pid, or a usage error */
static long parse_pid(const char *s)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(s, &end, 10);
	if (errno || end == s || *end || pid <= 0 || pid > INT_MAX)
		usage_error("--pid wants a process ID, not '%s'", s);
	return pid;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy",	required_argument,	NULL, 'p' },
		{ "lock",	no_argument,		NULL, 'l' },
		{ "dump",	no_argument,		NULL, 'd' },
		{ "pid",	required_argument,	NULL, 'P' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int policy = -1, c;
	long pid = 0;
	bool lock = false, do_dump = false;

	if (argv[0] && strrchr(argv[0], '/'))
		prog = strrchr(argv[0], '/') + 1;
	else if (argv[0])
		prog = argv[0];

	/* '+': stop at the first non-option, so COMMAND's options are its own */
	while ((c = getopt_long(argc, argv, "+p:ldh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (policy >= 0)
				usage_error("--policy given twice");
			policy = parse_policy(optarg);
			break;
		case 'l':
			if (lock)
				usage_error("--lock given twice");
			lock = true;
			break;
		case 'd':
			do_dump = true;
			break;
		case 'P':
			/* Long only: -p is --policy */
			if (pid)
				usage_error("--pid given twice");
			pid = parse_pid(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}

	if (pid && !do_dump)
		usage_error("--pid works only with --dump");
	if (do_dump) {
		if (policy >= 0 || lock || optind < argc)
			usage_error("--dump takes no policy, --lock or command");
		return pid ? dump_pid(pid) : dump();
	}
	if (policy < 0)
		usage_error("no --policy given");
	if (optind >= argc)
		usage_error("no command given");

	/*
	 * Set the policy last, right before execvp(): whatever runs between
	 * here and the command would run under it, and a locked policy
	 * cannot be undone if something after it fails.
	 */
	if (prctl(PR_SET_VSYSCALL, policy, lock ? PR_VSYSCALL_LOCK : 0, 0, 0)) {
		explain("PR_SET_VSYSCALL", errno);
		return EXIT_SETTING;
	}
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "%s: cannot run %s: %s\n", prog, argv[optind], strerror(errno));
	return errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}
