// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Call counters and errno histograms shared by every worker process: one
 * MAP_SHARED anonymous mapping made before the first fork, updated with
 * relaxed atomics, printed by the parent once all workers are gone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz.h"

struct fuzz_shared *fuzz_shared;

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ 0, "0" },
	{ EPERM, "EPERM" },		{ ENOENT, "ENOENT" },
	{ ESRCH, "ESRCH" },		{ EINTR, "EINTR" },
	{ EIO, "EIO" },			{ ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" },		{ ENOEXEC, "ENOEXEC" },
	{ EBADF, "EBADF" },		{ ECHILD, "ECHILD" },
	{ EAGAIN, "EAGAIN" },		{ ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },		{ EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" },		{ EEXIST, "EEXIST" },
	{ EXDEV, "EXDEV" },		{ ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" },		{ EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" },		{ ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" },		{ ENOTTY, "ENOTTY" },
	{ EFBIG, "EFBIG" },		{ ENOSPC, "ENOSPC" },
	{ ESPIPE, "ESPIPE" },		{ EROFS, "EROFS" },
	{ EPIPE, "EPIPE" },		{ EDOM, "EDOM" },
	{ ERANGE, "ERANGE" },		{ EDEADLK, "EDEADLK" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
	{ ENODATA, "ENODATA" },		{ ETIME, "ETIME" },
	{ EOVERFLOW, "EOVERFLOW" },	{ EBADFD, "EBADFD" },
	{ ERESTART, "ERESTART" },	{ EMSGSIZE, "EMSGSIZE" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },	{ ETIMEDOUT, "ETIMEDOUT" },
	{ ECANCELED, "ECANCELED" },	{ EOWNERDEAD, "EOWNERDEAD" },
	{ EHWPOISON, "EHWPOISON" },
	/* kernel-internal codes that must never reach userspace */
	{ 512, "ERESTARTSYS" },		{ 513, "ERESTARTNOINTR" },
	{ 514, "ERESTARTNOHAND" },	{ 515, "ENOIOCTLCMD" },
	{ 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
	{ 518, "EOPENSTALE" },		{ 524, "ENOTSUPP" },
};

/* What a DRM ioctl may legitimately return; anything else is flagged. */
static const int errno_expected[] = {
	0, EINVAL, ENOENT, EFAULT, EBADF, EACCES, EPERM, ENOMEM, ENOSPC,
	EINTR, ETIME, ETIMEDOUT, EAGAIN, EBUSY, ENODEV, EOPNOTSUPP, ENOTTY,
	E2BIG, EOVERFLOW, ENXIO, EEXIST, EDEADLK, EIO, ERANGE,
};

static const char *action_names[ACT_NR] = {
	[ACT_OPEN] = "open",		[ACT_CLOSE] = "close",
	[ACT_DUP] = "dup",		[ACT_EVENTFD] = "eventfd",
	[ACT_DMABUF] = "dmabuf",	[ACT_REMAP] = "remap",
	[ACT_MUNMAP] = "munmap",	[ACT_MPROTECT] = "mprotect",
	[ACT_FORK] = "fork",		[ACT_SWEEP] = "sweep",
	[ACT_SWEPT] = "swept-fds",	[ACT_SIGALRM] = "sigalrm",
	[ACT_BO_MMAP] = "bo-mmap",	[ACT_BO_MMAP_FAIL] = "bo-mmap-fail",
	[ACT_BO_TOUCH] = "bo-touch",	[ACT_BO_MUNMAP] = "bo-munmap",
	[ACT_BO_MPROTECT] = "bo-mprotect", [ACT_PREP] = "prep",
	[ACT_PREP_FAIL] = "prep-fail",	[ACT_REOPEN] = "reopen",
	[ACT_GEM_EVICT] = "gem-evict",	[ACT_PRIVATE] = "private",
	[ACT_SHRINK] = "shrink",
};

int stats_init(void)
{
	void *p = mmap(NULL, sizeof(*fuzz_shared), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	fuzz_shared = p;
	return 0;
}

static unsigned int errno_bucket(int err)
{
	if (err < 0 || err >= FUZZ_ERRNO_BUCKETS)
		return FUZZ_ERRNO_BUCKETS - 1;
	return err;
}

void stats_call(unsigned int idx, int err)
{
	__atomic_fetch_add(&fuzz_shared->total, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&fuzz_shared->calls[idx], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&fuzz_shared->errs[idx][errno_bucket(err)], 1,
			   __ATOMIC_RELAXED);
}

/* Async-signal-safe: the SIGALRM handler counts through here. */
void stats_action(enum fuzz_action act, uint64_t n)
{
	__atomic_fetch_add(&fuzz_shared->actions[act], n, __ATOMIC_RELAXED);
}

/* A mid-run fork that did not exit(0): @status as waitpid() reported it. */
void stats_crash(const char *who, pid_t pid, int status)
{
	if (__atomic_fetch_add(&fuzz_shared->crashes, 1, __ATOMIC_SEQ_CST))
		return;
	fuzz_shared->crash_pid = pid;
	fuzz_shared->crash_status = status;
	snprintf(fuzz_shared->crash_who, sizeof(fuzz_shared->crash_who), "%s",
		 who);
}

bool stats_errno_expected(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errno_expected); i++)
		if (errno_expected[i] == err)
			return true;
	return false;
}

const char *stats_errno_name(int err, char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	if (err == FUZZ_ERRNO_BUCKETS - 1)
		snprintf(buf, len, "E>=%d", err);
	else
		snprintf(buf, len, "E%d", err);
	return buf;
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void report_actions(void)
{
	unsigned int i;

	printf("actions:");
	for (i = 0; i < ACT_NR; i++)
		printf(" %s=%llu", action_names[i],
		       (unsigned long long)load(&fuzz_shared->actions[i]));
	printf("\n");
}

/* One table row: name, calls, then "errno:count" for each seen errno. */
static unsigned int report_row(unsigned int idx)
{
	unsigned int err, unexpected = 0;
	char buf[24];
	uint64_t n;

	printf("%-28s %9llu ", table_entry(idx)->name,
	       (unsigned long long)load(&fuzz_shared->calls[idx]));
	for (err = 0; err < FUZZ_ERRNO_BUCKETS; err++) {
		n = load(&fuzz_shared->errs[idx][err]);
		if (!n)
			continue;
		printf(" %s:%llu", stats_errno_name(err, buf, sizeof(buf)),
		       (unsigned long long)n);
		if (!stats_errno_expected(err)) {
			printf("(!)");
			unexpected++;
		}
	}
	printf("\n");
	return unexpected;
}

static void report_unexpected(void)
{
	unsigned int idx, err;
	char buf[24];
	uint64_t n;

	for (idx = 0; idx < table_size(); idx++) {
		for (err = 0; err < FUZZ_ERRNO_BUCKETS; err++) {
			n = load(&fuzz_shared->errs[idx][err]);
			if (!n || stats_errno_expected(err))
				continue;
			printf("fuzz: unexpected errno: %s returned %s %llu times\n",
			       table_entry(idx)->name,
			       stats_errno_name(err, buf, sizeof(buf)),
			       (unsigned long long)n);
		}
	}
}

/* Prints the summary and the coverage table; returns the ioctls covered. */
unsigned int stats_report(double seconds)
{
	uint64_t total = load(&fuzz_shared->total);
	unsigned int idx, covered = 0, unexpected = 0;

	printf("calls: %llu\n", (unsigned long long)total);
	printf("seconds: %.2f\n", seconds);
	printf("calls/s: %.1f\n", seconds > 0 ? total / seconds : 0.0);
	report_actions();
	printf("%-28s %9s  errno histogram (0 = success, (!) = unexpected)\n",
	       "ioctl", "calls");
	for (idx = 0; idx < table_size(); idx++) {
		unexpected += report_row(idx);
		if (load(&fuzz_shared->calls[idx]))
			covered++;
	}
	if (unexpected)
		report_unexpected();
	return covered;
}
