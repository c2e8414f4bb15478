// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_memory: what a DRM file's objects cost and who may hold it (uapi
 * 1.11). The fdinfo memory stats of a file (drm-total-memory,
 * drm-resident-memory, drm-purgeable-memory), the debugfs vmsm_pinned
 * accounting of the memory pinned for the GPU, the limit on it (module
 * parameter max_pinned_mb, by default half of RAM) and the -ENOMEM of the
 * ioctls that would go over it, and the reason for that limit: a process
 * that pins GPU memory until it is refused must not get a bystander
 * OOM-killed.
 *
 * The bystander subtest runs wherever the suite runs (2 GiB guests) and
 * the harness also boots a small guest for this program alone
 * (VMSM_VM_MEM=384M, tools/check), the configuration in which an unlimited
 * client got an unrelated process killed every time. A ballast process
 * that mlock()s most of a large guest's memory would not stand for that
 * small guest: the limit is derived from the RAM the kernel manages, which
 * a ballast does not change, so the test would then only show that a limit
 * of half of RAM does not leave room for a ballast of three quarters.
 * Without the limit (max_pinned_mb larger than RAM, e.g.
 * VMSM_VM_APPEND=vmsm.max_pinned_mb=1000000) the subtest fails: the
 * greedy client pins until the OOM killer runs.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define SIZE_4K		4096ull
#define SIZE_1M		(1024ull * 1024)
#define GREEDY_BO_SIZE	(4 * SIZE_1M)
#define BYSTANDER_SIZE	(32 * SIZE_1M)

static int fd = -1;	/* primary node: debugfs */
static bool device_view;	/* cached objects get a device view */

/* The value of @key in /proc/self/fdinfo/<fd>, into @out; false if none. */
static bool fdinfo_string(int drm_fd, const char *key, char *out, size_t size)
{
	char path[64], buf[4096];
	const char *line, *value;
	size_t len = strlen(key), n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", drm_fd);
	igt_assert_f(igt_vmsm_read_file(path, buf, sizeof(buf)) > 0, "%s: %m\n", path);
	for (line = buf; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (strncmp(line, key, len) || line[len] != ':')
			continue;
		value = line + len + 1;
		value += strspn(value, " \t");
		n = strcspn(value, "\n");
		igt_assert_f(n < size, "fdinfo %s too long\n", key);
		memcpy(out, value, n);
		out[n] = 0;
		return true;
	}
	return false;
}

/* A size in fdinfo ("4096", "12 KiB", "5 MiB"), in bytes; -1 if missing. */
static int64_t fdinfo_bytes(int drm_fd, const char *key)
{
	char value[64], unit[8] = "";
	long long n;

	if (!fdinfo_string(drm_fd, key, value, sizeof(value)))
		return -1;
	switch (sscanf(value, "%lld %7s", &n, unit)) {
	case 1:
		return n;
	case 2:
		if (!strcmp(unit, "KiB"))
			return n * 1024;
		if (!strcmp(unit, "MiB"))
			return n * 1024 * 1024;
		/* fall through */
	default:
		igt_assert_f(false, "fdinfo %s: '%s'\n", key, value);
		return -1;
	}
}

/* One line of debugfs vmsm_pinned ("device", "total", "limit"). */
static uint64_t pinned(const char *name)
{
	size_t len = strlen(name);
	unsigned long long value;
	const char *line;
	char buf[256];

	igt_assert_f(igt_vmsm_debugfs_read(fd, "vmsm_pinned", buf, sizeof(buf)) > 0,
		     "no debugfs vmsm_pinned\n");
	for (line = buf; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (!strncmp(line, name, len) && sscanf(line + len, " %llu", &value) == 1)
			return value;
	}
	igt_assert_f(false, "no '%s' in vmsm_pinned:\n%s", name, buf);
	return 0;
}

static int render_open(void)
{
	int render = igt_vmsm_open_render_of(fd);

	igt_assert_f(render >= 0, "no render node\n");
	return render;
}

static int __madvise(int drm_fd, uint32_t handle, uint32_t madv)
{
	struct drm_vmsm_gem_madvise args = { .handle = handle, .madv = madv };

	return igt_ioctl(drm_fd, DRM_IOCTL_VMSM_GEM_MADVISE, &args) ? -errno : 0;
}

/* Map an object into the file's GPU address space: pins its pages. */
static void gpu_map(int drm_fd, uint32_t handle)
{
	vmsm_gem_info(drm_fd, handle, VMSM_INFO_GET_IOVA);
}

/* What pinning an object charges (see "pinned memory"). */
static uint64_t charge(uint64_t size, uint32_t flags)
{
	bool cached = (flags & VMSM_BO_CACHE_MASK) == VMSM_BO_CACHED ||
		      (flags & VMSM_BO_CACHE_MASK) == VMSM_BO_CACHED_COHERENT;

	return cached && device_view ? 2 * size : size;
}

/* What an object of @size bytes holds: whole CPU pages (16 KiB on some arm64). */
static int64_t obj_size(uint64_t size)
{
	uint64_t page = (uint64_t)getpagesize();

	return (size + page - 1) / page * page;
}

static void test_fdinfo_keys(void)
{
	char driver[32], id1[32], id2[32];
	int a = render_open(), b = render_open();

	igt_assert_f(fdinfo_string(a, "drm-driver", driver, sizeof(driver)),
		     "no drm-driver in fdinfo\n");
	igt_assert_f(!strcmp(driver, "vmsm"), "drm-driver %s\n", driver);
	igt_assert(fdinfo_string(a, "drm-client-id", id1, sizeof(id1)));
	igt_assert(fdinfo_string(b, "drm-client-id", id2, sizeof(id2)));
	igt_assert_f(strcmp(id1, id2), "two files, one client id %s\n", id1);
	igt_assert_eq(fdinfo_bytes(a, "drm-total-memory"), 0);
	/* With an object, the keys its status callback feeds. */
	vmsm_gem_new(a, SIZE_4K, VMSM_BO_WC);
	igt_assert_eq(fdinfo_bytes(a, "drm-total-memory"), obj_size(SIZE_4K));
	igt_assert_eq(fdinfo_bytes(a, "drm-resident-memory"), 0);
	igt_assert_eq(fdinfo_bytes(a, "drm-purgeable-memory"), 0);
	close(b);
	close(a);
}

static void test_fdinfo_total(void)
{
	static const uint64_t sizes[] = { SIZE_4K, 3 * SIZE_4K, SIZE_1M, 5 * SIZE_1M + SIZE_4K };
	uint32_t handles[ARRAY_SIZE(sizes)];
	int drm_fd = render_open();
	int64_t total = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		handles[i] = vmsm_gem_new(drm_fd, sizes[i], VMSM_BO_WC);
		total += obj_size(sizes[i]);
		igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-total-memory"), total);
	}
	/* Created, never populated: no pages. */
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-resident-memory"), 0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		vmsm_gem_close(drm_fd, handles[i]);
		total -= obj_size(sizes[i]);
		igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-total-memory"), total);
	}
	close(drm_fd);
}

static void test_fdinfo_resident(void)
{
	int drm_fd = render_open();
	uint32_t cpu = vmsm_gem_new(drm_fd, 2 * SIZE_1M, VMSM_BO_WC);
	uint32_t gpu = vmsm_gem_new(drm_fd, SIZE_1M, VMSM_BO_CACHED);
	uint8_t *ptr;

	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-resident-memory"), 0);

	ptr = vmsm_gem_mmap(drm_fd, cpu, PROT_READ | PROT_WRITE);
	ptr[0] = 1;
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-resident-memory"), 2 * SIZE_1M);
	munmap(ptr, 2 * SIZE_1M);
	/* Only the mapping held the pages. */
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-resident-memory"), 0);

	gpu_map(drm_fd, gpu);
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-resident-memory"), SIZE_1M);
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-total-memory"), 3 * SIZE_1M);
	close(drm_fd);
}

static void test_fdinfo_purgeable(void)
{
	int drm_fd = render_open();
	uint32_t mapped = vmsm_gem_new(drm_fd, 2 * SIZE_1M, VMSM_BO_CACHED);
	uint32_t idle = vmsm_gem_new(drm_fd, SIZE_1M, VMSM_BO_CACHED);

	gpu_map(drm_fd, mapped);
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-purgeable-memory"), 0);

	/* Without pages there is nothing to purge. */
	igt_assert_eq(__madvise(drm_fd, idle, VMSM_MADV_DONTNEED), 0);
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-purgeable-memory"), 0);

	igt_assert_eq(__madvise(drm_fd, mapped, VMSM_MADV_DONTNEED), 0);
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-purgeable-memory"), 2 * SIZE_1M);
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-resident-memory"), 2 * SIZE_1M);

	igt_assert_eq(__madvise(drm_fd, mapped, VMSM_MADV_WILLNEED), 0);
	igt_assert_eq_s64(fdinfo_bytes(drm_fd, "drm-purgeable-memory"), 0);
	close(drm_fd);
}

static void test_fdinfo_other_file(void)
{
	int a = render_open(), b = render_open();
	uint32_t mine = vmsm_gem_new(a, SIZE_1M, VMSM_BO_WC);
	uint32_t theirs = vmsm_gem_new(b, 4 * SIZE_1M, VMSM_BO_WC);

	gpu_map(b, theirs);
	igt_assert_eq_s64(fdinfo_bytes(a, "drm-total-memory"), SIZE_1M);
	igt_assert_eq_s64(fdinfo_bytes(a, "drm-resident-memory"), 0);
	igt_assert_eq_s64(fdinfo_bytes(b, "drm-total-memory"), 4 * SIZE_1M);
	igt_assert_eq_s64(fdinfo_bytes(b, "drm-resident-memory"), 4 * SIZE_1M);
	close(b);
	igt_assert_eq_s64(fdinfo_bytes(a, "drm-total-memory"), SIZE_1M);
	vmsm_gem_close(a, mine);
	close(a);
}

static void test_pinned_accounting(void)
{
	uint64_t before = pinned("device"), total = pinned("total");
	int drm_fd = render_open();
	uint32_t wc = vmsm_gem_new(drm_fd, 3 * SIZE_1M, VMSM_BO_WC);
	uint32_t cached = vmsm_gem_new(drm_fd, 2 * SIZE_1M, VMSM_BO_CACHED);
	uint64_t expect = before;

	/* Created, or CPU-mapped: nothing pinned for the device. */
	munmap(vmsm_gem_mmap(drm_fd, wc, PROT_READ), 3 * SIZE_1M);
	igt_assert_eq_u64(pinned("device"), before);

	gpu_map(drm_fd, wc);
	expect += charge(3 * SIZE_1M, VMSM_BO_WC);
	igt_assert_eq_u64(pinned("device"), expect);
	gpu_map(drm_fd, wc);	/* once per object */
	igt_assert_eq_u64(pinned("device"), expect);

	gpu_map(drm_fd, cached);
	expect += charge(2 * SIZE_1M, VMSM_BO_CACHED);
	igt_assert_eq_u64(pinned("device"), expect);
	igt_assert_eq_u64(pinned("total"), total + expect - before);

	vmsm_gem_close(drm_fd, wc);
	igt_assert_eq_u64(pinned("device"), expect - charge(3 * SIZE_1M, VMSM_BO_WC));
	close(drm_fd);
	igt_assert_eq_u64(pinned("device"), before);
	igt_assert_eq_u64(pinned("total"), total);
}

static uint64_t mem_total(void)
{
	unsigned long long kib = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	igt_assert(f);
	igt_assert_eq(fscanf(f, "MemTotal: %llu kB", &kib), 1);
	fclose(f);
	return kib * 1024;
}

static void test_pinned_limit(void)
{
	char buf[64];
	unsigned long long param;

	igt_assert(igt_vmsm_read_file("/sys/module/vmsm/parameters/max_pinned_mb",
				 buf, sizeof(buf)) > 0);
	param = strtoull(buf, NULL, 10);
	if (param) {
		igt_assert_eq_u64(pinned("limit"), param * SIZE_1M);
		return;
	}
	igt_info("MemTotal %llu, limit %llu\n", (unsigned long long)mem_total(),
		 (unsigned long long)pinned("limit"));
	igt_assert_eq_u64(pinned("limit"), mem_total() / 2);
}

/* GEM_SUBMIT of an empty command list with @handle in the BO list. */
static int __submit_listing(int drm_fd, uint32_t handle)
{
	uint32_t cmd_bo = vmsm_gem_new(drm_fd, SIZE_4K, VMSM_BO_WC);
	uint32_t *cs = vmsm_gem_mmap(drm_fd, cmd_bo, PROT_WRITE);
	struct drm_vmsm_submit_bo bos[] = {
		{ .handle = handle, .flags = VMSM_SUBMIT_BO_READ },
		{ .handle = cmd_bo, .flags = VMSM_SUBMIT_BO_READ },
	};
	struct drm_vmsm_submit_cmd cmd = { .handle = cmd_bo, .size = 4 };
	struct drm_vmsm_gem_submit args = {
		.bos = (uintptr_t)bos, .nr_bos = 2,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1,
	};
	int ret;

	cs[0] = 0;	/* NOP */
	munmap(cs, SIZE_4K);
	ret = igt_ioctl(drm_fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &args) ? -errno : 0;
	vmsm_gem_close(drm_fd, cmd_bo);
	return ret;
}

static int __bind_map(int drm_fd, uint32_t handle, uint64_t size)
{
	struct drm_vmsm_vm_bind_op op = {
		.op = VMSM_VM_BIND_OP_MAP, .handle = handle,
		.iova = vmsm_get_param(drm_fd, VMSM_PARAM_VA_START), .range = size,
	};
	struct drm_vmsm_vm_bind args = { .nr_ops = 1, .ops = (uintptr_t)&op };

	return igt_ioctl(drm_fd, DRM_IOCTL_VMSM_VM_BIND, &args) ? -errno : 0;
}

static void test_pinned_over_limit(void)
{
	uint64_t limit = pinned("limit"), before = pinned("device");
	uint64_t size = (limit + SIZE_4K) & ~(SIZE_4K - 1);
	int drm_fd = render_open(), bind_fd = render_open();
	uint32_t big, small, big_bind;
	uint64_t iova;

	igt_require_f(size <= vmsm_get_param(drm_fd, VMSM_PARAM_MAX_BO_SIZE),
		      "limit %llu above the largest object\n",
		      (unsigned long long)limit);
	big = vmsm_gem_new(drm_fd, size, VMSM_BO_WC);
	igt_assert_eq(__vmsm_gem_info(drm_fd, big, VMSM_INFO_GET_IOVA, &iova),
		      -ENOMEM);
	igt_assert_eq(__submit_listing(drm_fd, big), -ENOMEM);
	big_bind = vmsm_gem_new(bind_fd, size, VMSM_BO_WC);
	igt_assert_eq(__bind_map(bind_fd, big_bind, size), -ENOMEM);
	igt_assert_eq_u64(pinned("device"), before);

	/* Objects within the limit still map. */
	small = vmsm_gem_new(drm_fd, SIZE_1M, VMSM_BO_WC);
	gpu_map(drm_fd, small);
	igt_assert_eq_u64(pinned("device"), before + SIZE_1M);
	close(bind_fd);
	close(drm_fd);
	igt_assert_eq_u64(pinned("device"), before);
}

/*
 * OOM kills since boot (/proc/vmstat oom_kill), or -1 on a kernel without
 * VM event counters: the exit statuses then stand alone.
 */
static int64_t oom_kills(void)
{
	char line[128];
	long long value = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "oom_kill %lld", &value) == 1)
			break;
	fclose(f);
	return value;
}

/*
 * Touches 32 MiB, says so on @ready, waits for a byte on @go, then checks
 * that the memory still holds what it wrote: exit 0, 1 if it does not.
 */
static void __attribute__((noreturn)) bystander(int ready, int go)
{
	uint8_t *mem = malloc(BYSTANDER_SIZE);
	uint64_t i;
	char c = 0;

	if (!mem)
		_exit(2);
	for (i = 0; i < BYSTANDER_SIZE; i += SIZE_4K)
		mem[i] = (uint8_t)(i / SIZE_4K);
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		_exit(3);
	for (i = 0; i < BYSTANDER_SIZE; i += SIZE_4K)
		if (mem[i] != (uint8_t)(i / SIZE_4K))
			_exit(1);
	_exit(0);
}

struct greedy_result {
	uint32_t mapped;	/* objects mapped for the GPU */
	int err;		/* errno of the refused ioctl */
	int ioctl;		/* 0: GEM_NEW refused, 1: GEM_INFO(GET_IOVA) */
};

/*
 * Maps 4 MiB objects into the GPU address space of a render node until an
 * ioctl is refused (at most @max), reports on @out, holds everything until
 * a byte arrives on @go, and exits 0.
 */
static void __attribute__((noreturn)) greedy(int render, uint32_t max, int out, int go)
{
	struct greedy_result res = { 0 };
	uint32_t handle;
	uint64_t iova;
	int ret = 0;
	char c;

	while (res.mapped < max) {
		res.ioctl = 0;
		ret = __vmsm_gem_new(render, GREEDY_BO_SIZE, VMSM_BO_CACHED, &handle);
		if (ret)
			break;
		res.ioctl = 1;
		ret = __vmsm_gem_info(render, handle, VMSM_INFO_GET_IOVA, &iova);
		if (ret)
			break;
		res.mapped++;
	}
	res.err = -ret;
	if (write(out, &res, sizeof(res)) != sizeof(res) || read(go, &c, 1) != 1)
		_exit(3);
	_exit(0);
}

/* The bystander and the greedy client, until reaped. */
static pid_t children[2];

/* However the subtest ends, no child is left holding memory or the device. */
static void reap_children(int sig)
{
	unsigned int i;

	(void)sig;
	for (i = 0; i < ARRAY_SIZE(children); i++) {
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
		}
	}
}

static void pipe_or_fail(int p[2])
{
	igt_assert_f(pipe(p) == 0, "pipe: %m\n");
}

static void release(int p)
{
	char c = 0;

	igt_assert_eq(write(p, &c, 1), 1);
}

static void assert_exited(pid_t *pid, const char *who)
{
	int status;

	igt_assert_eq(waitpid(*pid, &status, 0), *pid);
	*pid = 0;
	igt_assert_f(!WIFSIGNALED(status), "%s killed by signal %d\n", who,
		     WTERMSIG(status));
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "%s exited with %d\n", who, WEXITSTATUS(status));
}

static void test_bystander_survives(void)
{
	uint64_t limit = pinned("limit"), before = pinned("device");
	int64_t kills = oom_kills();
	/* Twice the RAM: only an unlimited driver lets the loop get there. */
	uint32_t max = (uint32_t)(2 * mem_total() / GREEDY_BO_SIZE);
	int ready[2], by_go[2], result[2], greedy_go[2], render, status;
	struct greedy_result res;
	pid_t by, gr;
	char c;

	igt_install_exit_handler(reap_children);
	pipe_or_fail(ready);
	pipe_or_fail(by_go);
	by = children[0] = fork();
	igt_assert(by >= 0);
	if (!by) {
		close(by_go[1]);
		bystander(ready[1], by_go[0]);
	}
	igt_assert_eq(read(ready[0], &c, 1), 1);

	pipe_or_fail(result);
	pipe_or_fail(greedy_go);
	render = render_open();
	gr = children[1] = fork();
	igt_assert(gr >= 0);
	if (!gr) {
		/* Only the parent may keep the others waiting. */
		close(by_go[1]);
		close(greedy_go[1]);
		greedy(render, max, result[1], greedy_go[0]);
	}
	close(render);
	close(result[1]);

	/* EOF instead of a report: the greedy client did not survive. */
	igt_assert_f(read(result[0], &res, sizeof(res)) == sizeof(res),
		     "no report from the greedy client\n");
	igt_info("greedy client: %u objects of 4 MiB mapped, then %s: %s; "
		 "pinned %llu of %llu\n", res.mapped,
		 res.ioctl ? "GEM_INFO(GET_IOVA)" : "GEM_NEW", strerror(res.err),
		 (unsigned long long)pinned("total"), (unsigned long long)limit);
	igt_assert_f(res.mapped < max, "never refused\n");
	igt_assert_eq(res.ioctl, 1);
	igt_assert_eq(res.err, ENOMEM);
	igt_assert_lte_u64(pinned("total"), limit);
	igt_assert_f(waitpid(by, &status, WNOHANG) == 0,
		     "the bystander is gone while the greedy client holds its objects\n");
	if (kills >= 0)
		igt_assert_eq_s64(oom_kills(), kills);

	release(greedy_go[1]);
	assert_exited(&children[1], "the greedy client");
	igt_assert_eq_u64(pinned("device"), before);
	release(by_go[1]);
	assert_exited(&children[0], "the bystander");
	if (kills >= 0)
		igt_assert_eq_s64(oom_kills(), kills);
}

/* The non-coherent device model is on: cached objects get a device view. */
static bool device_model(void)
{
	char buf[4096];
	int model;
	const char *line;

	igt_assert(igt_vmsm_debugfs_read(fd, "vmsm_coherency", buf, sizeof(buf)) > 0);
	line = strstr(buf, "model ");
	igt_assert(line && sscanf(line, "model %d", &model) == 1);
	return model;
}

igt_main
{
	igt_fixture {
		fd = igt_vmsm_open_driver();
		device_view = device_model();
	}

	igt_describe("fdinfo of a vmsm file names the driver, a client id per "
		     "file, and the total, resident and purgeable memory.");
	igt_subtest("fdinfo-keys")
		test_fdinfo_keys();

	igt_describe("drm-total-memory grows by exactly the size of each new "
		     "object and shrinks back as they are closed.");
	igt_subtest("fdinfo-total")
		test_fdinfo_total();

	igt_describe("drm-resident-memory counts objects with pages: while "
		     "CPU-mapped and touched, and once mapped for the GPU.");
	igt_subtest("fdinfo-resident")
		test_fdinfo_resident();

	igt_describe("drm-purgeable-memory counts DONTNEED objects with pages, "
		     "not those without, and not after WILLNEED.");
	igt_subtest("fdinfo-purgeable")
		test_fdinfo_purgeable();

	igt_describe("Another file's objects are not in a file's fdinfo.");
	igt_subtest("fdinfo-other-file")
		test_fdinfo_other_file();

	igt_describe("debugfs vmsm_pinned grows when an object is first mapped "
		     "for the GPU (twice its size with a device view), not on "
		     "creation or CPU mapping, and is back once it is closed.");
	igt_subtest("pinned-accounting")
		test_pinned_accounting();

	igt_describe("The limit is max_pinned_mb, or half of MemTotal by default.");
	igt_subtest("pinned-limit")
		test_pinned_limit();

	igt_describe("An object larger than the limit: GET_IOVA, SUBMIT and "
		     "VM_BIND fail with ENOMEM and pin nothing; it still works "
		     "for the CPU and smaller objects still map.");
	igt_subtest("pinned-over-limit")
		test_pinned_over_limit();

	igt_describe("A client mapping 4 MiB objects for the GPU until refused "
		     "gets ENOMEM, and a 32 MiB bystander is not OOM-killed.");
	igt_subtest("bystander-survives")
		test_bystander_survives();

	igt_fixture
		drm_close_driver(fd);
}
