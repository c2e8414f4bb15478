// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_security: what the DRM core and vmsm refuse to unprivileged or
 * misbehaving clients, and what they must never tell them.
 *
 * Permission checks are the DRM core's (drm_ioctl_kernel() ->
 * drm_ioctl_permit(), Linux 6.12): an ioctl without DRM_RENDER_ALLOW
 * fails with EACCES on a render node; DRM_AUTH ioctls fail with EACCES on
 * a primary node whose file is not authenticated; DRM_MASTER ioctls need
 * the current master. These checks run before the ioctl's handler.
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

/* Kernel virtual addresses on 64-bit arm and x86 start with 0xffff. */
#define KERNEL_ADDRESS_MIN	0xffff000000000000ull
#define READ_TIMEOUT_S		2
#define MAX_DEBUGFS_FILE	(1 << 20)

static int card = -1;
static int render = -1;

struct named_ioctl {
	const char *name;
	unsigned long request;
};

#define NAMED_IOCTL(request)	{ #request, request }

/*
 * Core ioctls that the 6.12 table (drm_ioctls[] in drm_ioctl.c) does not
 * mark DRM_RENDER_ALLOW. Their flags: GET_MAGIC 0, AUTH_MAGIC DRM_MASTER,
 * SET_MASTER 0, GEM_FLINK and GEM_OPEN DRM_AUTH, MODE_GETRESOURCES 0. On a
 * render node each fails drm_ioctl_permit() with EACCES: AUTH_MAGIC on its
 * DRM_MASTER check (a render client is never master), the others on the
 * "render clients must be explicitly allowed" check (DRM_AUTH alone lets
 * render clients through). MODE_GETRESOURCES would return EOPNOTSUPP from
 * its handler, vmsm having no DRIVER_MODESET, but the permission check
 * comes first (see test_render_refuses_primary_only()).
 */
static const struct named_ioctl primary_only[] = {
	NAMED_IOCTL(DRM_IOCTL_GET_MAGIC),
	NAMED_IOCTL(DRM_IOCTL_AUTH_MAGIC),
	NAMED_IOCTL(DRM_IOCTL_SET_MASTER),
	NAMED_IOCTL(DRM_IOCTL_GEM_FLINK),
	NAMED_IOCTL(DRM_IOCTL_GEM_OPEN),
	NAMED_IOCTL(DRM_IOCTL_MODE_GETRESOURCES),
};

/* Big enough for the argument of any ioctl above, zeroed. */
union ioctl_arg {
	struct drm_auth auth;
	struct drm_gem_flink flink;
	struct drm_gem_open open;
	struct drm_mode_card_res res;
	uint8_t bytes[256];
};

static void check_refused(int fd, const struct named_ioctl *ioc, int err)
{
	union ioctl_arg arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	ret = igt_ioctl(fd, ioc->request, &arg);
	igt_assert_f(ret == -1 && errno == err,
		     "%s returned %d, errno %d (%s); expected errno %d (%s)\n",
		     ioc->name, ret, ret ? errno : 0,
		     ret ? strerror(errno) : "success", err, strerror(err));
	igt_info("%s on the %s node: %s\n", ioc->name,
		 igt_vmsm_is_render(fd) ? "render" : "primary", strerror(err));
}

static void test_render_refuses_primary_only(void)
{
	struct drm_mode_card_res res = { };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(primary_only); i++)
		check_refused(render, &primary_only[i], EACCES);

	/* Allowed on the primary node: the display engine answers. */
	do_ioctl(card, DRM_IOCTL_MODE_GETRESOURCES, &res);
	igt_assert_lt(0, (int)res.count_crtcs);
	igt_assert_lt(0, (int)res.count_connectors);
}

/*
 * drm_file_alloc() marks files opened with CAP_SYS_ADMIN authenticated
 * ("for compatibility root is always authenticated"), so the test, which
 * runs as root, drops CAP_SYS_ADMIN from its effective set for the open.
 */
static int open_unauthenticated(int fd)
{
	char path[PATH_MAX];
	int fd2;

	igt_assert_eq(igt_vmsm_node_path(fd, path, sizeof(path)), 0);
	igt_assert_eq(igt_vmsm_cap_set_effective(CAP_SYS_ADMIN, false), 0);
	fd2 = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_eq(igt_vmsm_cap_set_effective(CAP_SYS_ADMIN, true), 0);
	igt_assert_f(fd2 >= 0, "open %s: %s\n", path, strerror(errno));
	return fd2;
}

static void authenticate(int master, int fd)
{
	struct drm_auth auth = { };

	do_ioctl(fd, DRM_IOCTL_GET_MAGIC, &auth);
	igt_assert_neq_u32(auth.magic, 0);
	do_ioctl(master, DRM_IOCTL_AUTH_MAGIC, &auth);
}

static void test_flink_needs_auth(void)
{
	struct drm_gem_flink flink = { .handle = 0 };
	struct drm_auth auth = { };
	int fd;

	/* card was the first open of the device: SET_MASTER is a no-op. */
	do_ioctl(card, DRM_IOCTL_SET_MASTER, NULL);
	fd = open_unauthenticated(card);

	do_ioctl_err(fd, DRM_IOCTL_GEM_FLINK, &flink, EACCES);
	do_ioctl_err(card, DRM_IOCTL_GEM_FLINK, &flink, ENOENT);
	do_ioctl_err(fd, DRM_IOCTL_AUTH_MAGIC, &auth, EACCES);

	authenticate(card, fd);
	do_ioctl_err(fd, DRM_IOCTL_GEM_FLINK, &flink, ENOENT);
	drm_close_driver(fd);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/*
 * Finds a run of exactly 16 hex digits starting with ffff (any case),
 * with or without 0x (the x ends the run "0" before it). Return: the run's
 * offset in text, or -1.
 */
static long find_kernel_address(const char *text, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		if (!is_hex(text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && is_hex(text[i]))
			i++;
		if (i - start == 16 && !strncasecmp(text + start, "ffff", 4))
			return start;
	}
	return -1;
}

static void check_no_kernel_address(const char *what, const char *text,
				    size_t len)
{
	long at = find_kernel_address(text, len);

	igt_assert_f(at < 0, "%s shows a kernel address: %.16s\n", what,
		     text + (at < 0 ? 0 : at));
}

static void check_address_matcher(void)
{
	static const char *const yes[] = {
		"0xffff888003a1b2c0", "p ffffFFFF81000000\n", "FFFF800080000000",
	};
	static const char *const no[] = {
		"0x1000000", "ffff", "0x00000000ffff0000", "ffff8880003a1b2c0",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		igt_assert(find_kernel_address(yes[i], strlen(yes[i])) >= 0);
	for (i = 0; i < ARRAY_SIZE(no); i++)
		igt_assert(find_kernel_address(no[i], strlen(no[i])) < 0);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Reads a debugfs file; a read that blocks is cut short by SIGALRM. */
static ssize_t read_with_timeout(int dir, const char *name, char *buf,
				 size_t len)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	ssize_t ret = 0, total = 0;
	int fd;

	fd = openat(dir, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	sigaction(SIGALRM, &sa, &old);
	alarm(READ_TIMEOUT_S);
	while ((size_t)total < len &&
	       (ret = read(fd, buf + total, len - total)) > 0)
		total += ret;
	if (ret < 0)
		total = -errno;
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	close(fd);
	return total;
}

/* Scans one file of a debugfs directory. Return: true if it was read. */
static bool scan_debugfs_file(int dir, const char *path, const char *name)
{
	static char buf[MAX_DEBUGFS_FILE];
	char what[PATH_MAX + NAME_MAX + 2];
	struct stat st;
	ssize_t len;

	if (fstatat(dir, name, &st, 0) || !S_ISREG(st.st_mode))
		return false;
	snprintf(what, sizeof(what), "%s/%s", path, name);
	if (!(st.st_mode & 0444)) {
		igt_info("skipped %s: not readable (mode %o)\n", what,
			 st.st_mode & 0777);
		return false;
	}
	len = read_with_timeout(dir, name, buf, sizeof(buf));
	if (len < 0) {
		igt_info("skipped %s: %s\n", what, strerror(-len));
		return false;
	}
	igt_info("scanned %s (%zd bytes)\n", what, len);
	check_no_kernel_address(what, buf, len);
	return true;
}

static int scan_debugfs_dir(int fd)
{
	char path[64];
	struct dirent *de;
	DIR *dir;
	int scanned = 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d",
		 igt_vmsm_minor(fd));
	dir = opendir(path);
	igt_assert_f(dir, "%s: %s (debugfs not mounted?)\n", path,
		     strerror(errno));
	while ((de = readdir(dir)))
		scanned += scan_debugfs_file(dirfd(dir), path, de->d_name);
	closedir(dir);
	return scanned;
}

/* An object with a flink name, so that the object lists have an entry. */
static uint32_t debugfs_populate(void)
{
	struct drm_gem_flink flink = { };

	flink.handle = vmsm_gem_new(card, 4096, VMSM_BO_CACHED);
	do_ioctl(card, DRM_IOCTL_GEM_FLINK, &flink);
	return flink.handle;
}

static void test_no_kernel_addresses_debugfs(void)
{
	uint32_t bo;
	int scanned;

	check_address_matcher();
	bo = debugfs_populate();
	scanned = scan_debugfs_dir(card);
	scanned += scan_debugfs_dir(render);
	igt_info("%d files scanned\n", scanned);
	igt_assert_lt(0, scanned);
	vmsm_gem_close(card, bo);
}

static void check_value(const char *what, uint64_t value)
{
	igt_assert_f(value < KERNEL_ADDRESS_MIN,
		     "%s is %#llx, a kernel address?\n", what,
		     (unsigned long long)value);
}

static void check_params(int fd)
{
	uint32_t p;

	for (p = VMSM_PARAM_CHIP_ID; p < VMSM_PARAM_END; p++)
		check_value(vmsm_param_name(p), vmsm_get_param(fd, p));
}

static void check_version_fields(int fd)
{
	char name[256] = "", date[256] = "", desc[256] = "";
	struct drm_version v = {
		.name = name, .name_len = sizeof(name) - 1,
		.date = date, .date_len = sizeof(date) - 1,
		.desc = desc, .desc_len = sizeof(desc) - 1,
	};

	do_ioctl(fd, DRM_IOCTL_VERSION, &v);
	check_value("version_major", (uint64_t)(int64_t)v.version_major);
	check_value("version_minor", (uint64_t)(int64_t)v.version_minor);
	check_value("version_patchlevel",
		    (uint64_t)(int64_t)v.version_patchlevel);
	check_value("name_len", v.name_len);
	check_value("date_len", v.date_len);
	check_value("desc_len", v.desc_len);
	igt_assert(v.name == name && v.date == date && v.desc == desc);
	check_no_kernel_address("name", name, strlen(name));
	check_no_kernel_address("date", date, strlen(date));
	check_no_kernel_address("desc", desc, strlen(desc));
	igt_info("version %d.%d.%d name '%s' date '%s' desc '%s'\n",
		 v.version_major, v.version_minor, v.version_patchlevel, name,
		 date, desc);
}

static void test_no_kernel_addresses_uapi(void)
{
	check_params(card);
	check_params(render);
	check_version_fields(card);
	check_version_fields(render);
}

/* DRM_IOCTL_VMSM_GET_PARAM with another size in the request number. */
#define GET_PARAM_SIZED(size) \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, \
	     DRM_COMMAND_BASE + DRM_VMSM_GET_PARAM, size)

union sized_arg {
	struct drm_vmsm_get_param gp;
	uint8_t bytes[256];
};

static void check_bytes(const union sized_arg *arg, size_t from, size_t to,
			uint8_t expect)
{
	size_t i;

	for (i = from; i < to; i++)
		igt_assert_f(arg->bytes[i] == expect,
			     "byte %zu is %#x, expected %#x\n", i,
			     arg->bytes[i], expect);
}

/*
 * drm_ioctl() copies in the size the request number gives (in_size),
 * zero-fills up to the size of its own definition, runs the handler and
 * copies back in_size bytes. A short request (8 bytes: param and pad) so
 * succeeds, but the value is never copied back: the rest of the buffer is
 * untouched.
 */
static void check_short(uint32_t size)
{
	union sized_arg arg;

	memset(&arg, 0xa5, sizeof(arg));
	arg.gp.param = VMSM_PARAM_CHIP_ID;
	arg.gp.pad = 0;
	do_ioctl(card, GET_PARAM_SIZED(size), &arg);
	igt_assert_eq_u32(arg.gp.param, VMSM_PARAM_CHIP_ID);
	check_bytes(&arg, 8, sizeof(arg), 0xa5);
}

/*
 * A long request: the handler sees the first 16 bytes and the value comes
 * back; the bytes past the structure go in and come back as they were
 * (zero here), with nothing of the kernel's in them. Sizes past 128 bytes
 * take drm_ioctl()'s kmalloc() path instead of its stack buffer.
 */
static void check_long(uint32_t size, uint64_t chip_id)
{
	union sized_arg arg;

	memset(&arg, 0, sizeof(arg));
	arg.gp.param = VMSM_PARAM_CHIP_ID;
	do_ioctl(card, GET_PARAM_SIZED(size), &arg);
	igt_assert_eq_u64(arg.gp.value, chip_id);
	check_bytes(&arg, sizeof(arg.gp), sizeof(arg), 0);
}

static void test_ioctl_size_mismatch(void)
{
	uint64_t chip_id = vmsm_get_param(card, VMSM_PARAM_CHIP_ID);
	union sized_arg arg;

	check_short(8);
	check_short(4);
	check_long(64, chip_id);
	check_long(sizeof(arg), chip_id);

	/* Size 0: the handler sees an all-zero argument, param 0. */
	memset(&arg, 0, sizeof(arg));
	arg.gp.param = VMSM_PARAM_CHIP_ID;
	do_ioctl_err(card, GET_PARAM_SIZED(0), &arg, EINVAL);

	do_ioctl_err(card, DRM_IOCTL_VMSM_GET_PARAM, NULL, EFAULT);
	do_ioctl_err(card, GET_PARAM_SIZED(64), NULL, EFAULT);
	do_ioctl_err(render, DRM_IOCTL_VMSM_GET_PARAM, NULL, EFAULT);
}

/* ---- array counts and isolation between processes ---- */

/*
 * Every count of an array-taking ioctl, set past its limit, to the top bit
 * and to U32_MAX (where count * element size overflows 32 bits), with a
 * valid pointer to a small array: EINVAL before anything is copied or
 * allocated.
 */
static void test_array_count_overflow(void)
{
	static const uint32_t huge[] = { 0x80000000u, 0xffffffffu, 0x10000001u };
	uint8_t small[64] = { };
	struct drm_vmsm_gem_submit sub;
	struct drm_vmsm_vm_bind bind;
	struct drm_vmsm_submitqueue_query q;
	unsigned int i, f;
	int fd = igt_vmsm_open_driver_render();

	for (i = 0; i < ARRAY_SIZE(huge) + 1; i++) {
		for (f = 0; f < 4; f++) {
			uint32_t limits[4] = { VMSM_SUBMIT_MAX_BOS + 1, VMSM_SUBMIT_MAX_CMDS + 1,
					       VMSM_SUBMIT_MAX_SYNCOBJS + 1,
					       VMSM_SUBMIT_MAX_SYNCOBJS + 1 };
			uint32_t n = i < ARRAY_SIZE(huge) ? huge[i] : limits[f];

			memset(&sub, 0, sizeof(sub));
			sub.bos = sub.cmds = (uintptr_t)small;
			sub.in_syncobjs = sub.out_syncobjs = (uintptr_t)small;
			sub.nr_cmds = 1;
			sub.fence_fd = -1;
			*(f == 0 ? &sub.nr_bos : f == 1 ? &sub.nr_cmds :
			  f == 2 ? &sub.nr_in_syncobjs : &sub.nr_out_syncobjs) = n;
			do_ioctl_err(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &sub, EINVAL);
		}
		for (f = 0; f < 3; f++) {
			uint32_t limits[3] = { VMSM_VM_BIND_MAX_OPS + 1,
					       VMSM_SUBMIT_MAX_SYNCOBJS + 1,
					       VMSM_SUBMIT_MAX_SYNCOBJS + 1 };
			uint32_t n = i < ARRAY_SIZE(huge) ? huge[i] : limits[f];

			memset(&bind, 0, sizeof(bind));
			bind.ops = bind.in_syncobjs = bind.out_syncobjs = (uintptr_t)small;
			bind.fence_fd = -1;
			*(f == 0 ? &bind.nr_ops : f == 1 ? &bind.nr_in_syncobjs :
			  &bind.nr_out_syncobjs) = n;
			do_ioctl_err(fd, DRM_IOCTL_VMSM_VM_BIND, &bind, EINVAL);
		}
	}
	for (i = 0; i < ARRAY_SIZE(huge) + 1; i++) {
		struct drm_vmsm_gem_sync sync = {
			.ops = (uintptr_t)small,
			.nr_ops = i < ARRAY_SIZE(huge) ? huge[i] : VMSM_SYNC_MAX_OPS + 1,
		};

		do_ioctl_err(fd, DRM_IOCTL_VMSM_GEM_SYNC, &sync, EINVAL);
	}
	/* a result length larger than the result is fine: only the result is written */
	memset(&q, 0, sizeof(q));
	q.param = VMSM_QUERY_FAULTS;
	q.data = (uintptr_t)small;
	q.len = 0xffffffffu;
	do_ioctl(fd, DRM_IOCTL_VMSM_SUBMITQUEUE_QUERY, &q);
	igt_assert_eq_u32(q.len, sizeof(struct drm_vmsm_fault_info));
	/* the counts are all 0: the device is untouched */
	igt_assert_eq(vmsm_debugfs_count(fd, "objects"), 0);
	drm_close_driver(fd);
}

#define SECRET		0x5ec7e75eu
#define SECRET_SIZE	(64u << 10)

/*
 * A GPU COPY of size bytes from src (an address of fd's own address
 * space) into a fresh object of fd: true if any of it holds pattern.
 */
static bool vmsm_copy_reaches(int fd, uint64_t src, uint32_t size, uint32_t pattern)
{
	uint32_t dst = vmsm_gem_new(fd, size, VMSM_BO_WC);
	uint32_t cs = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	uint64_t dst_va = vmsm_gem_info(fd, dst, VMSM_INFO_GET_IOVA);
	struct drm_vmsm_submit_bo bos[2] = {
		{ .handle = dst, .flags = VMSM_SUBMIT_BO_WRITE },
		{ .handle = cs, .flags = VMSM_SUBMIT_BO_READ },
	};
	struct drm_vmsm_submit_cmd cmd = { .handle = cs, .size = 7 };
	struct drm_vmsm_gem_submit sub = {
		.bos = (uintptr_t)bos, .nr_bos = 2,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1, .fence_fd = -1,
	};
	struct drm_vmsm_wait_fence w = { .timeout_ns = INT64_MAX };
	uint32_t *c = vmsm_gem_mmap(fd, cs, PROT_READ | PROT_WRITE), *d;
	bool found = false;

	c[0] = VMSM_CP_PKT(VMSM_CP_COPY, 6);
	c[1] = (uint32_t)dst_va;
	c[2] = (uint32_t)(dst_va >> 32);
	c[3] = (uint32_t)src;
	c[4] = (uint32_t)(src >> 32);
	c[5] = size;
	c[6] = 0;
	munmap(c, 4096);
	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &sub);
	w.fence = sub.fence;
	do_ioctl(fd, DRM_IOCTL_VMSM_WAIT_FENCE, &w);
	d = vmsm_gem_mmap(fd, dst, PROT_READ);
	for (uint32_t i = 0; i < size / 4 && !found; i++)
		found = d[i] == pattern;
	munmap(d, size);
	vmsm_gem_close(fd, cs);
	vmsm_gem_close(fd, dst);
	return found;
}

/*
 * What the other process tries, on its own render node, knowing the
 * secret object's GEM handle, flink name and GPU address: its handles,
 * GEM_OPEN and a GPU copy from that address all fail to reach it.
 */
static int intruder(uint32_t handle, uint32_t name, uint64_t iova)
{
	int fd = igt_vmsm_open_driver_render();
	struct drm_gem_open open_arg = { .name = name };
	uint64_t value;
	uint32_t h;

	for (h = 1; h <= handle + 16; h++)
		if (__vmsm_gem_info(fd, h, VMSM_INFO_GET_SIZE, &value) != -ENOENT)
			return 1;
	if (!igt_ioctl(fd, DRM_IOCTL_GEM_OPEN, &open_arg))
		return 2;
	if (vmsm_copy_reaches(fd, iova, SECRET_SIZE, SECRET))
		return 3;
	drm_close_driver(fd);
	return 0;
}

static void test_isolation_across_processes(void)
{
	struct drm_gem_flink flink = { };
	uint32_t *p;
	uint64_t iova;
	int status;
	pid_t pid;

	flink.handle = vmsm_gem_new(card, SECRET_SIZE, VMSM_BO_WC);
	p = vmsm_gem_mmap(card, flink.handle, PROT_READ | PROT_WRITE);
	for (unsigned int i = 0; i < SECRET_SIZE / 4; i++)
		p[i] = SECRET;
	munmap(p, SECRET_SIZE);
	do_ioctl(card, DRM_IOCTL_GEM_FLINK, &flink);
	iova = vmsm_gem_info(card, flink.handle, VMSM_INFO_GET_IOVA);

	pid = fork();
	igt_assert_lte(0, pid);
	if (!pid)
		_exit(intruder(flink.handle, flink.name, iova));
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "other process reached the object (step %d)\n",
		     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	vmsm_gem_close(card, flink.handle);
}

igt_main
{
	igt_fixture {
		card = igt_vmsm_open_driver();
		render = igt_vmsm_open_render_of(card);
		igt_assert_f(render >= 0, "the vmsm card has no render node\n");
	}

	igt_describe("Core ioctls not allowed on render nodes fail there with EACCES.");
	igt_subtest("render-refuses-primary-only")
		test_render_refuses_primary_only();

	igt_describe("GEM_FLINK needs an authenticated primary client.");
	igt_subtest("flink-needs-auth")
		test_flink_needs_auth();

	igt_describe("No debugfs file of the device shows a kernel address, with a named object alive.");
	igt_subtest("no-kernel-addresses-debugfs")
		test_no_kernel_addresses_debugfs();

	igt_describe("No GET_PARAM value or DRM_IOCTL_VERSION field is a kernel address.");
	igt_subtest("no-kernel-addresses-uapi")
		test_no_kernel_addresses_uapi();

	igt_describe("GET_PARAM with a shorter or longer size encoded, or a NULL argument.");
	igt_subtest("ioctl-size-mismatch")
		test_ioctl_size_mismatch();

	igt_describe("Every count of an array-taking ioctl past its limit or overflowing: EINVAL, nothing allocated.");
	igt_subtest("array-count-overflow")
		test_array_count_overflow();

	igt_describe("Another process, on its own file, reaches a secret object neither by handle, nor by flink name from a render node, nor by its GPU address.");
	igt_subtest("isolation-across-processes")
		test_isolation_across_processes();

	igt_fixture {
		drm_close_driver(render);
		drm_close_driver(card);
	}
}
