// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Harness core: command line, subtest selection, results, exit codes.
 * See igt_core.h for the shape of a test and README.md for the output.
 */

#include <ctype.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "igt_core.h"

#define MAX_EXIT_HANDLERS	8
#define MAX_NAME_LEN		128

enum igt_pass { PASS_COLLECT, PASS_RUN };
enum igt_block { BLOCK_NONE, BLOCK_FIXTURE, BLOCK_SUBTEST };
enum igt_result { RESULT_SUCCESS, RESULT_SKIP, RESULT_FAIL };

struct igt_subtest_info {
	char *name;
	const char *description;
	const char *file;
	int line;
};

static struct {
	const char *test_name;
	enum igt_pass pass;
	bool list;
	bool describe;
	bool debug;
	const char *selection;

	struct igt_subtest_info *subtests;
	int nr_subtests;
	const char *description;

	enum igt_block block;
	bool in_body;
	char subtest[MAX_NAME_LEN];
	/* where the current fixture is, and the last failed check */
	char fixture[2 * MAX_NAME_LEN];
	char ended_at[4 * MAX_NAME_LEN];
	struct timespec start;
	/* set by a fixture that failed or skipped: later subtests follow it */
	enum igt_result henceforth;

	int nr_success;
	int nr_skip;
	int nr_fail;

	igt_exit_handler_t exit_handlers[MAX_EXIT_HANDLERS];
	int nr_exit_handlers;
} igt = {
	.test_name = "igt",
};

sigjmp_buf __igt_jmp;

static const char *const result_names[] = {
	[RESULT_SUCCESS] = "SUCCESS",
	[RESULT_SKIP] = "SKIP",
	[RESULT_FAIL] = "FAIL",
};

static void __igt_noreturn internal_error(const char *fmt, ...)
	__igt_printf(1, 2);

static void internal_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "(%s) harness error: ", igt.test_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	exit(IGT_EXIT_INVALID);
}

/* Exit handlers run once, in reverse order of installation. */
static void run_exit_handlers(int sig)
{
	while (igt.nr_exit_handlers > 0)
		igt.exit_handlers[--igt.nr_exit_handlers](sig);
}

static double elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - igt.start.tv_sec) +
	       (now.tv_nsec - igt.start.tv_nsec) / 1e9;
}

static void fatal_signal(int sig)
{
	char buf[2 * MAX_NAME_LEN];
	int len;

	len = snprintf(buf, sizeof(buf), "(%s) Received signal SIG%s (%d).\n",
		       igt.test_name, sigabbrev_np(sig), sig);
	if (write(STDERR_FILENO, buf, len) < 0)
		_exit(IGT_EXIT_FAILURE);
	if (igt.block == BLOCK_SUBTEST) {
		len = snprintf(buf, sizeof(buf), "Subtest %s: FAIL (%.3fs)\n",
			       igt.subtest, elapsed());
		if (write(STDOUT_FILENO, buf, len) < 0)
			_exit(IGT_EXIT_FAILURE);
	}
	run_exit_handlers(sig);
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	_exit(IGT_EXIT_FAILURE);
}

static void install_signal_handlers(void)
{
	static const int sigs[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE,
		SIGILL, SIGABRT, SIGPIPE,
	};
	struct sigaction sa = { .sa_handler = fatal_signal };
	size_t i;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/**
 * igt_install_exit_handler() - call fn when the test exits
 * @fn: called with 0 on a normal exit, with the signal number when a
 *	signal kills the test. It must not use igt_assert() and friends.
 */
void igt_install_exit_handler(igt_exit_handler_t fn)
{
	int i;

	for (i = 0; i < igt.nr_exit_handlers; i++)
		if (igt.exit_handlers[i] == fn)
			return;
	if (igt.nr_exit_handlers == MAX_EXIT_HANDLERS)
		internal_error("too many exit handlers\n");
	igt.exit_handlers[igt.nr_exit_handlers++] = fn;
}

static void vlog(FILE *f, const char *fmt, va_list ap)
{
	if (f == stderr)
		fflush(stdout);
	fprintf(f, "(%s) ", igt.test_name);
	vfprintf(f, fmt, ap);
	if (fmt[0] && fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', f);
	fflush(f);
}

void igt_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(stdout, fmt, ap);
	va_end(ap);
}

void igt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(stderr, fmt, ap);
	va_end(ap);
}

void igt_debug(const char *fmt, ...)
{
	va_list ap;

	if (!igt.debug)
		return;
	va_start(ap, fmt);
	vlog(stderr, fmt, ap);
	va_end(ap);
}

bool igt_only_list_subtests(void)
{
	return igt.pass == PASS_COLLECT;
}

const char *igt_test_name(void)
{
	return igt.test_name;
}

const char *igt_subtest_name(void)
{
	return igt.block == BLOCK_SUBTEST ? igt.subtest : NULL;
}

static void print_result(enum igt_result result)
{
	printf("Subtest %s: %s (%.3fs)\n", igt.subtest, result_names[result],
	       elapsed());
	fflush(stdout);
	if (result == RESULT_SUCCESS)
		igt.nr_success++;
	else if (result == RESULT_SKIP)
		igt.nr_skip++;
	else
		igt.nr_fail++;
}

/*
 * Ends the current block with result. A subtest records it; a fixture
 * hands it on to every later subtest. Outside of any block the test ends.
 */
static void __igt_noreturn end_block(enum igt_result result)
{
	switch (igt.block) {
	case BLOCK_SUBTEST:
		print_result(result);
		break;
	case BLOCK_FIXTURE:
		igt.henceforth = result;
		if (result == RESULT_FAIL)
			igt.nr_fail++;
		break;
	case BLOCK_NONE:
		fflush(stdout);
		run_exit_handlers(0);
		exit(result == RESULT_SKIP ? IGT_EXIT_SKIP : IGT_EXIT_FAILURE);
	}
	igt.block = BLOCK_NONE;
	igt.in_body = false;
	siglongjmp(__igt_jmp, 1);
}

/* Prints a formatted message line by line, each under the test's name. */
static void print_message(FILE *f, const char *fmt, va_list ap)
{
	char msg[1024];
	char *line, *next;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (line = msg; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		fprintf(f, "(%s)   %s\n", igt.test_name, line);
	}
}

void __igt_fail_assert(const char *file, int line, const char *func,
		       const char *expr, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "(%s) FAIL at %s:%d in %s():\n", igt.test_name, file,
		line, func);
	fprintf(stderr, "(%s)   Failed assertion: %s\n", igt.test_name, expr);
	if (fmt) {
		va_start(ap, fmt);
		print_message(stderr, fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "(%s)   Last errno: %d, %s\n", igt.test_name, err,
		strerror(err));
	snprintf(igt.ended_at, sizeof(igt.ended_at), "%s:%d: %s", file,
		 line, expr);
	end_block(RESULT_FAIL);
}

void __igt_skip_check(const char *file, int line, const char *func,
		      const char *expr, const char *fmt, ...)
{
	va_list ap;

	printf("(%s) Test requirement not met in %s() at %s:%d: %s\n",
	       igt.test_name, func, file, line, expr);
	if (fmt) {
		va_start(ap, fmt);
		print_message(stdout, fmt, ap);
		va_end(ap);
	}
	snprintf(igt.ended_at, sizeof(igt.ended_at), "%s:%d: %s", file,
		 line, expr);
	end_block(RESULT_SKIP);
}

void igt_skip(const char *fmt, ...)
{
	va_list ap;

	printf("(%s) Skipping:\n", igt.test_name);
	va_start(ap, fmt);
	print_message(stdout, fmt, ap);
	va_end(ap);
	end_block(RESULT_SKIP);
}

void igt_fail(int exitcode)
{
	end_block(exitcode == IGT_EXIT_SKIP ? RESULT_SKIP : RESULT_FAIL);
}

void __igt_describe(const char *description)
{
	igt.description = description;
}

static void enter_block(enum igt_block block)
{
	igt.block = block;
	igt.in_body = false;
}

static void check_not_nested(const char *what, const char *file, int line)
{
	if (igt.block != BLOCK_NONE)
		internal_error("%s:%d: %s inside a block (break or return in a block?)\n",
			       file, line, what);
}

void __igt_fixture_begin(const char *file, int line)
{
	check_not_nested("igt_fixture", file, line);
	if (igt.pass == PASS_COLLECT || igt.henceforth != RESULT_SUCCESS)
		return;
	snprintf(igt.fixture, sizeof(igt.fixture), "%s:%d", file, line);
	snprintf(igt.ended_at, sizeof(igt.ended_at), "igt_skip() or igt_fail()");
	fflush(stdout);
	enter_block(BLOCK_FIXTURE);
}

/* Enters the block the first time, ends it the second time. */
bool __igt_block_next(void)
{
	if (igt.block == BLOCK_NONE)
		return false;
	if (!igt.in_body) {
		igt.in_body = true;
		return true;
	}
	if (igt.block == BLOCK_SUBTEST)
		print_result(RESULT_SUCCESS);
	igt.block = BLOCK_NONE;
	igt.in_body = false;
	return false;
}

static bool name_valid(const char *name)
{
	const char *c;

	if (!*name || strlen(name) >= MAX_NAME_LEN)
		return false;
	for (c = name; *c; c++)
		if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) &&
		    *c != '-' && *c != '_')
			return false;
	return true;
}

static int find_subtest(const char *name)
{
	int i;

	for (i = 0; i < igt.nr_subtests; i++)
		if (!strcmp(igt.subtests[i].name, name))
			return i;
	return -1;
}

static void collect_subtest(const char *name, const char *file, int line)
{
	struct igt_subtest_info *info;

	if (!name_valid(name))
		internal_error("%s:%d: invalid subtest name '%s' (use a-z 0-9 - _)\n",
			       file, line, name);
	if (find_subtest(name) >= 0)
		internal_error("%s:%d: duplicate subtest '%s'\n", file, line,
			       name);
	info = realloc(igt.subtests, (igt.nr_subtests + 1) * sizeof(*info));
	if (!info)
		internal_error("out of memory\n");
	igt.subtests = info;
	info += igt.nr_subtests++;
	info->name = strdup(name);
	info->description = igt.description;
	info->file = file;
	info->line = line;
	if (!info->name)
		internal_error("out of memory\n");
}

/* --run-subtest takes a comma separated list of names or fnmatch globs. */
static bool selected(const char *name)
{
	char pattern[MAX_NAME_LEN];
	const char *p = igt.selection;
	size_t len;

	if (!p)
		return true;
	while (*p) {
		len = strcspn(p, ",");
		if (len < sizeof(pattern)) {
			memcpy(pattern, p, len);
			pattern[len] = '\0';
			if (!fnmatch(pattern, name, 0))
				return true;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* A subtest after a failed or skipped fixture ends the same way. */
static void inherit_fixture_result(void)
{
	if (igt.henceforth == RESULT_FAIL) {
		fflush(stdout);
		fprintf(stderr, "(%s) FAIL: the fixture at %s failed (%s)\n",
			igt.test_name, igt.fixture, igt.ended_at);
	} else {
		printf("(%s) SKIP: the fixture at %s skipped (%s)\n",
		       igt.test_name, igt.fixture, igt.ended_at);
	}
	print_result(igt.henceforth);
}

void __igt_subtest_begin(const char *name, const char *file, int line)
{
	check_not_nested("igt_subtest", file, line);
	if (igt.pass == PASS_COLLECT) {
		collect_subtest(name, file, line);
		igt.description = NULL;
		return;
	}
	igt.description = NULL;
	if (!selected(name))
		return;

	snprintf(igt.subtest, sizeof(igt.subtest), "%s", name);
	clock_gettime(CLOCK_MONOTONIC, &igt.start);
	printf("Starting subtest: %s\n", name);
	fflush(stdout);
	if (igt.henceforth != RESULT_SUCCESS)
		inherit_fixture_result();
	else
		enter_block(BLOCK_SUBTEST);
}

void __igt_subtest_begin_f(const char *file, int line, const char *fmt, ...)
{
	char name[MAX_NAME_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	__igt_subtest_begin(name, file, line);
}

static void __igt_noreturn usage(const char *prog, int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "Usage: %s [OPTIONS]\n"
		"  --list-subtests        print the subtest names and exit\n"
		"  --run-subtest NAMES    run only these subtests (comma separated, globs allowed)\n"
		"  --describe[=NAMES]     print the subtests' descriptions and exit\n"
		"  --debug                print debug messages\n"
		"  --help                 this text\n", prog);
	exit(status);
}

static void parse_args(int argc, char **argv)
{
	enum { OPT_LIST = 256, OPT_RUN, OPT_DESCRIBE, OPT_DEBUG, OPT_HELP };
	static const struct option opts[] = {
		{ "list-subtests", no_argument, NULL, OPT_LIST },
		{ "run-subtest", required_argument, NULL, OPT_RUN },
		{ "describe", optional_argument, NULL, OPT_DESCRIBE },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "help", no_argument, NULL, OPT_HELP },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_LIST:
			igt.list = true;
			break;
		case OPT_RUN:
			igt.selection = optarg;
			break;
		case OPT_DESCRIBE:
			igt.describe = true;
			igt.selection = optarg;
			break;
		case OPT_DEBUG:
			igt.debug = true;
			break;
		case 'h':
		case OPT_HELP:
			usage(argv[0], IGT_EXIT_SUCCESS);
		default:
			usage(argv[0], IGT_EXIT_INVALID);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0],
			argv[optind]);
		usage(argv[0], IGT_EXIT_INVALID);
	}
}

static void print_subtests(void)
{
	const struct igt_subtest_info *info;
	int i;

	for (i = 0; i < igt.nr_subtests; i++) {
		info = &igt.subtests[i];
		if (!igt.describe) {
			printf("%s\n", info->name);
			continue;
		}
		if (!selected(info->name))
			continue;
		printf("SUB %s %s:%d:\n  %s\n\n", info->name, info->file,
		       info->line, info->description ? info->description :
		       "NO DOCUMENTATION!");
	}
}

static bool any_selected(void)
{
	int i;

	for (i = 0; i < igt.nr_subtests; i++)
		if (selected(igt.subtests[i].name))
			return true;
	return false;
}

static int exit_status(void)
{
	if (igt.nr_fail)
		return IGT_EXIT_FAILURE;
	if (igt.nr_success || !igt.nr_subtests)
		return IGT_EXIT_SUCCESS;
	return IGT_EXIT_SKIP;
}

int __igt_main(int argc, char **argv, void (*body)(void))
{
	const char *slash = strrchr(argv[0], '/');
	int status;

	igt.test_name = slash ? slash + 1 : argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv);

	igt.pass = PASS_COLLECT;
	body();
	if (igt.list || igt.describe) {
		print_subtests();
		return IGT_EXIT_SUCCESS;
	}
	if (igt.selection && !any_selected()) {
		fprintf(stderr, "%s: unknown subtest: %s\n", igt.test_name,
			igt.selection);
		return IGT_EXIT_INVALID;
	}

	igt.pass = PASS_RUN;
	install_signal_handlers();
	body();
	fflush(stdout);
	run_exit_handlers(0);
	status = exit_status();
	fflush(stdout);
	return status;
}
