// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The fail-nth file is opened once and then only pread()/pwrite(): opening
 * it allocates, and those allocations would count against the armed
 * counter. Neither pread() nor pwrite() of it allocates from slab.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

/* Open the calling thread's fail-nth file. Return: the fd, or -errno. */
int igt_vmsm_fail_nth_open(void)
{
	int fd = open(IGT_VMSM_FAIL_NTH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * igt_vmsm_fail_nth_set() - arm (n > 0) or disarm (n == 0) fail-nth
 * @fd: from igt_vmsm_fail_nth_open()
 * @n: the slab allocation to fail, counting from 1
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_fail_nth_set(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fd, buf, len, 0) != len)
		return -errno;
	return 0;
}

/**
 * igt_vmsm_fail_nth_get() - read fail-nth back
 * @fd: from igt_vmsm_fail_nth_open()
 *
 * Return: 0 once the armed failure was injected, otherwise the number of
 * slab allocations still to go before it is; or -errno.
 */
int igt_vmsm_fail_nth_get(int fd)
{
	char buf[16];
	ssize_t ret = pread(fd, buf, sizeof(buf) - 1, 0);

	if (ret <= 0)
		return ret < 0 ? -errno : -EIO;
	buf[ret] = '\0';
	return (int)strtol(buf, NULL, 10);
}

bool igt_vmsm_failslab_available(void)
{
	return access(IGT_VMSM_FAILSLAB "/ignore-gfp-wait", W_OK) == 0;
}

/* Fault-injection attributes changed so far, with the values they had before. */
static struct {
	char path[128];
	char saved[32];
} fault_saved[16];
static unsigned int nr_fault_saved;

/* Sets one attribute of the fault-injection directory @dir, saving its value the first time. */
static int fault_attr_set(const char *dir, const char *name, const char *value)
{
	char path[128];
	unsigned int i;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (i = 0; i < nr_fault_saved; i++)
		if (!strcmp(fault_saved[i].path, path))
			break;
	if (i == nr_fault_saved) {
		if (i == ARRAY_SIZE(fault_saved))
			return -ENOSPC;
		ret = igt_vmsm_read_file(path, fault_saved[i].saved,
				    sizeof(fault_saved[i].saved));
		if (ret < 0)
			return ret;
		memcpy(fault_saved[i].path, path, sizeof(path));
		nr_fault_saved++;
	}
	return igt_vmsm_write_file(path, value);
}

static int failslab_set(const char *name, const char *value)
{
	return fault_attr_set(IGT_VMSM_FAILSLAB, name, value);
}

/**
 * igt_vmsm_failslab_setup() - make failslab inject into every slab allocation
 *
 * fail-nth itself takes effect before failslab's probability, interval and
 * times, but after its gfp filter: with the default ignore-gfp-wait=Y no
 * GFP_KERNEL allocation could fail. Also silences the report of each
 * injected failure, which comes with a stack dump. igt_vmsm_failslab_restore()
 * puts back the previous settings.
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_failslab_setup(void)
{
	int ret = failslab_set("ignore-gfp-wait", "N");

	return ret ? ret : failslab_set("verbose", "0");
}

static int failslab_set_range(const char *start_name, const char *end_name,
			      unsigned long start, unsigned long end)
{
	char buf[32];
	int ret;

	snprintf(buf, sizeof(buf), "%#lx", start);
	ret = failslab_set(start_name, buf);
	if (ret)
		return ret;
	snprintf(buf, sizeof(buf), "%#lx", end);
	return failslab_set(end_name, buf);
}

/**
 * igt_vmsm_failslab_require_stack() - inject only under some code
 * @start: first address of the code
 * @end: one past its last address
 *
 * Only allocations with a return address in [@start, @end) among the
 * innermost 32 frames of their stack can fail
 * (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER); the others do not count for
 * fail-nth either. Every allocation then costs a stack walk.
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_failslab_require_stack(unsigned long start, unsigned long end)
{
	return failslab_set_range("require-start", "require-end", start, end);
}

/* As igt_vmsm_failslab_require_stack(), for code whose allocations never fail. */
int igt_vmsm_failslab_reject_stack(unsigned long start, unsigned long end)
{
	return failslab_set_range("reject-start", "reject-end", start, end);
}

/* Puts back what failslab and fail_page_alloc had before. Return: 0, or -errno. */
int igt_vmsm_failslab_restore(void)
{
	int ret, err = 0;

	while (nr_fault_saved > 0) {
		nr_fault_saved--;
		ret = igt_vmsm_write_file(fault_saved[nr_fault_saved].path,
				     fault_saved[nr_fault_saved].saved);
		if (ret)
			err = ret;
	}
	return err;
}

bool igt_vmsm_fail_page_alloc_available(void)
{
	return access(IGT_VMSM_FAIL_PAGE_ALLOC "/ignore-gfp-wait", W_OK) == 0;
}

/**
 * igt_vmsm_fail_page_alloc_setup() - let fail-nth reach page allocations too
 *
 * Order-0 and larger, sleeping and highmem allocations: the pages of
 * shmem objects and page tables. An injected page allocation failure
 * returns before the allocator's warning, so it leaves no stack dump.
 * igt_vmsm_failslab_restore() puts the old values back.
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_fail_page_alloc_setup(void)
{
	static const char *const attrs[][2] = {
		{ "ignore-gfp-wait", "N" }, { "ignore-gfp-highmem", "N" },
		{ "min-order", "0" }, { "verbose", "0" },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		ret = fault_attr_set(IGT_VMSM_FAIL_PAGE_ALLOC, attrs[i][0], attrs[i][1]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Calls fn for every symbol of /proc/kallsyms until it returns true. */
static int kallsyms_each(bool (*fn)(unsigned long addr, const char *name,
				    void *data), void *data)
{
	char line[512], name[256];
	unsigned long addr;
	char type;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %255s", &addr, &type, name) == 3 &&
		    fn(addr, name, data))
			break;
	fclose(f);
	return 0;
}

struct kallsyms_query {
	const char *name;
	unsigned long start;
	unsigned long end;
};

static bool match_name(unsigned long addr, const char *name, void *data)
{
	struct kallsyms_query *q = data;

	if (strcmp(name, q->name))
		return false;
	q->start = addr;
	return true;
}

static bool find_next(unsigned long addr, const char *name, void *data)
{
	struct kallsyms_query *q = data;

	(void)name;
	if (addr > q->start && addr < q->end)
		q->end = addr;
	return false;
}

/**
 * igt_vmsm_kallsyms_range() - where a kernel function lies
 * @name: the symbol, of the kernel or of a loaded module
 * @start: receives its address
 * @end: receives the next symbol's address, the end of the function
 *
 * Return: 0, -ENOENT if there is no such symbol (or addresses are hidden
 * from the caller: kptr_restrict), or another -errno.
 */
int igt_vmsm_kallsyms_range(const char *name, unsigned long *start,
		       unsigned long *end)
{
	struct kallsyms_query q = { .name = name, .end = ~0ul };
	int ret;

	ret = kallsyms_each(match_name, &q);
	if (ret)
		return ret;
	if (!q.start)
		return -ENOENT;
	ret = kallsyms_each(find_next, &q);
	if (ret)
		return ret;
	*start = q.start;
	*end = q.end;
	return 0;
}
