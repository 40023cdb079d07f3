// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_runas UID GID COMMAND [ARG...]: drop the supplementary groups,
 * become GID and UID, and exec COMMAND.  For the shell tests, which run
 * where there is no passwd file for su (a chrooted "container").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s UID GID COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	if (setgroups(0, NULL) || setgid(atoi(argv[2])) || setuid(atoi(argv[1]))) {
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "%s: %s: %s\n", argv[0], argv[3], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
