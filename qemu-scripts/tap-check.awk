# SPDX-License-Identifier: GPL-2.0
#
# Judge the TAP one guest wrote (see guest/init for its shape):
#
#   TAP version 13
#   1..K                          programs in this boot
#   # selftests: COLL: NAME       a program starts (COLL is "vsyscall"
#                                 for the project's programs, "x86" for
#                                 those run_kselftest.sh runs)
#   # ok 1 ...                    its own kselftest results, prefixed "# "
#   ok 1 selftests: COLL: NAME [# exit=N]
#   # harness: end of run         the sentinel
#
# A program whose expectation file EXPECT/NAME.KEY or, failing that,
# EXPECT/NAME.all exists (the upstream test_vsyscall) is judged line by
# line against it: its result lines and "exit N" must be exactly the
# expected ones.  Its result lines are its kselftest results or, for a
# program that predates the kselftest API (6.1's test_vsyscall), the
# lines it starts with [OK], [FAIL], [SKIP] or [WARN], their runs of
# blanks made one space.  Every other program asserts
# for itself: each "ok" passes, each "not ok" fails, SKIP is counted apart,
# and its plan, its result count and its exit status must agree.
#
# Variables: expect (directory), key (for example "xonly" or
# "xonly-novdso"), boot (name for messages).
# Prints one "FAIL ..." or "XFAIL ..." line per problem and, last,
# "COUNTS passed failed skipped".

function problem(msg) {
	print "    FAIL " boot ": " msg
	failed++
}

function start_prog(name) {
	if (prog != "")
		problem(prog ": no result line (the program or the guest died)")
	prog = name
	efile = expect_file()
	nres = 0
	nplan = -1
	nfail = 0
}

function judge_expected(file, exitcode,    line, n, e, i, lines) {
	n = 0
	while ((getline line < file) > 0) {
		if (line ~ /^#/ || line ~ /^[ \t]*$/)
			continue
		e[++n] = line
	}
	close(file)
	res[++nres] = "exit " exitcode
	for (i = 1; i <= (n > nres ? n : nres); i++) {
		if (i > nres) {
			problem(prog ": missing expected line: " e[i])
		} else if (i > n) {
			problem(prog ": unexpected extra line: " res[i])
		} else if (res[i] != e[i]) {
			problem(prog ": expected \"" e[i] "\", got \"" res[i] "\"")
		} else if (res[i] ~ /^ok [0-9]+ .*# SKIP/ || res[i] ~ /^\[SKIP\]/) {
			skipped++
		} else {
			if (res[i] ~ /^not ok/ || res[i] ~ /^\[FAIL\]/)
				print "    XFAIL " boot ": " prog ": " res[i] " (expected, see " file ")"
			passed++
		}
	}
}

# The expectation file for prog, or "" when it asserts for itself; looked
# up once per program (efile).
function expect_file(    f) {
	f = expect "/" prog "." key
	if ((getline dummy < f) >= 0) {
		close(f)
		return f
	}
	f = expect "/" prog ".all"
	if ((getline dummy < f) >= 0) {
		close(f)
		return f
	}
	return ""
}

function end_prog(name, status,    exitcode) {
	if (name != prog) {
		problem("result for " name " while " prog " was running")
		return
	}
	exitcode = 0
	# The harness always says what to expect, so a program that skips as
	# a whole (run_kselftest.sh's "# SKIP" for exit status 4) fails.
	if (status ~ /# SKIP/)
		problem(prog ": skipped as a whole")
	if (status ~ /# exit=[0-9]+/) {
		exitcode = status
		sub(/.*# exit=/, "", exitcode)
	}
	if (efile != "") {
		judge_expected(efile, exitcode)
	} else {
		if (nplan < 0)
			problem(prog ": no plan line")
		else if (nplan != nres)
			problem(prog ": planned " nplan " results, reported " nres)
		if (exitcode != 0 && nfail == 0)
			problem(prog ": exited with status " exitcode)
	}
	prog = ""
	nprogs++
}

BEGIN { prog = ""; plan = -1; sentinel = 0; passed = failed = skipped = nprogs = 0 }

{ sub(/\r$/, "") }

/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; next }
/^# harness: end of run$/ { sentinel = 1; next }
/^# selftests: [a-z0-9_]+: / { start_prog($4); next }
/^(not )?ok [0-9]+ selftests: [a-z0-9_]+: / {
	name = $0
	sub(/^(not )?ok [0-9]+ selftests: [a-z0-9_]+: /, "", name)
	sub(/ .*/, "", name)
	end_prog(name, $0)
	next
}
prog != "" && /^# 1\.\.[0-9]+$/ { nplan = substr($0, 6) + 0; next }
prog != "" && /^# (not )?ok [0-9]+/ {
	line = substr($0, 3)
	sub(/[ \t]+$/, "", line)
	res[++nres] = line
	if (efile != "")
		next
	if (line ~ /^not ok/) {
		problem(prog ": " line)
		nfail++
	} else if (line ~ /^ok [0-9]+ # SKIP/) {
		skipped++
	} else {
		passed++
	}
	next
}
prog != "" && efile != "" && /^# \[(OK|FAIL|SKIP|WARN)\]/ {
	line = substr($0, 3)
	gsub(/[ \t]+/, " ", line)
	sub(/ $/, "", line)
	res[++nres] = line
	next
}
/^Bail out!/ { problem($0); next }

END {
	if (prog != "")
		problem(prog ": no result line (the program or the guest died)")
	if (plan < 0)
		problem("no TAP plan from the guest")
	else if (plan != nprogs)
		problem("the guest planned " plan " programs, " nprogs " reported")
	if (!sentinel)
		problem("no end-of-run sentinel from the guest")
	print "COUNTS " passed " " failed " " skipped
}
