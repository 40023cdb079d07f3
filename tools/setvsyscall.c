// SPDX-License-Identifier: GPL-2.0
/*
 * setvsyscall: run a command with a per-process vsyscall policy.
 *
 *   setvsyscall [--lock] --policy default|deny|allow [--] COMMAND [ARG...]
 *   setvsyscall --dump
 *
 * The policy is set on this process with prctl(PR_SET_VSYSCALL) and then
 * the command is executed: the kernel keeps the policy across execve() and
 * passes it to every child, so a container runtime started this way runs
 * the whole container under it.
 *
 * Exit status: the command's own, or
 *   1    the policy could not be set (or --dump could not read it)
 *   2    bad usage
 *   126  the command was found but could not be executed
 *   127  the command was not found
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
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
		"       %s --dump\n"
		"\n"
		"Run COMMAND with a per-process vsyscall policy (x86_64).\n"
		"\n"
		"  -p, --policy POLICY  default: follow the vsyscall= boot mode\n"
		"                       deny:    no calls into the vsyscall page\n"
		"                       allow:   emulated calls even under vsyscall=none\n"
		"  -l, --lock           freeze the policy for COMMAND and its descendants\n"
		"  -d, --dump           print this process's policy, lock and the boot mode\n"
		"  -h, --help           print this help\n"
		"\n"
		"Exit status: COMMAND's, or 1 if the policy could not be set, 2 for bad\n"
		"usage, 126 if COMMAND could not be executed, 127 if it was not found.\n",
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

/* A line "Key:\tvalue" of /proc/self/status, or NULL */
static char *status_field(const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		fclose(f);
		snprintf(buf, len, "%s", line + klen + 1 + strspn(line + klen + 1, " \t"));
		buf[strcspn(buf, "\n")] = '\0';
		return buf;
	}
	fclose(f);
	return NULL;
}

static bool module_loaded(void)
{
	return access("/sys/kernel/vsyscall_policy", F_OK) == 0;
}

/* Say why PR_SET_VSYSCALL or PR_GET_VSYSCALL failed with @err. */
static void explain(const char *what, int err)
{
	char buf[64];

	if (err == EINVAL && !status_field("Vsyscall_policy", buf, sizeof(buf)))
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

static int dump(void)
{
	char buf[64] = "unknown (vsyscall_policy not loaded)";
	long r = prctl(PR_GET_VSYSCALL, 0, 0, 0, 0);
	FILE *f;

	if (r < 0) {
		int err = errno;
		char locked[16];

		/* Without the module the kernel still shows the policy here. */
		if (!status_field("Vsyscall_policy", buf, sizeof(buf)) ||
		    !status_field("Vsyscall_policy_locked", locked, sizeof(locked))) {
			explain("PR_GET_VSYSCALL", err);
			return EXIT_SETTING;
		}
		printf("policy: %s\nlocked: %s\nboot mode: unknown (vsyscall_policy not loaded)\n",
		       buf, strcmp(locked, "0") ? "yes" : "no");
		return 0;
	}

	f = fopen("/sys/kernel/vsyscall_policy/boot_mode", "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			snprintf(buf, sizeof(buf), "unreadable");
		buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	printf("policy: %s\nlocked: %s\nboot mode: %s\n",
	       (r & PR_VSYSCALL_POLICY_MASK) < (long)N_POLICIES ?
			policy_names[r & PR_VSYSCALL_POLICY_MASK] : "unknown",
	       r & PR_VSYSCALL_LOCKED ? "yes" : "no", buf);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy",	required_argument,	NULL, 'p' },
		{ "lock",	no_argument,		NULL, 'l' },
		{ "dump",	no_argument,		NULL, 'd' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int policy = -1, c;
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
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}

	if (do_dump) {
		if (policy >= 0 || lock || optind < argc)
			usage_error("--dump takes no policy, --lock or command");
		return dump();
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
