// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_module: unloading and reloading vmsm.ko, with and without open
 * files, and with module parameters.
 *
 * Needs VMSM_KO, the path of the vmsm.ko to load. Every subtest starts from
 * and leaves the module loaded with its default parameters: one device it
 * registers itself, or, where the device tree has vmsm nodes (arm64), the
 * tree's devices and none of its own. An exit handler restores that state
 * if a subtest fails half-way.
 */

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define MODULE_NAME		"vmsm"
#define MODULE_SYSFS		"/sys/module/" MODULE_NAME
#define MAX_FDS			16
#define DEVICE_TIMEOUT_MS	2000

static const char *ko_path;
static int held[MAX_FDS];
static int nr_held;

/* Files the subtest holds open, so that a failed subtest can close them. */
static int hold(int fd)
{
	igt_assert(nr_held < MAX_FDS);
	held[nr_held++] = fd;
	return fd;
}

static void release_all(void)
{
	while (nr_held > 0)
		close(held[--nr_held]);
}

static int module_load(const char *params)
{
	int fd, ret;

	fd = open(ko_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int module_unload(void)
{
	return syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) ? -errno : 0;
}

static bool module_loaded(void)
{
	return access(MODULE_SYSFS, F_OK) == 0;
}

static bool read_sysfs(const char *path, char *buf, size_t len)
{
	ssize_t ret;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ret = read(fd, buf, len - 1);
	close(fd);
	if (ret < 0)
		return false;
	buf[ret] = '\0';
	return true;
}

/* Loaded with num_devices=-1 and no coherent device. */
static bool module_has_defaults(void)
{
	char buf[128];

	if (!read_sysfs(MODULE_SYSFS "/parameters/num_devices", buf, sizeof(buf)) ||
	    strcmp(buf, "-1\n"))
		return false;
	if (!read_sysfs(MODULE_SYSFS "/parameters/coherent", buf, sizeof(buf)))
		return false;
	return !strchr(buf, 'Y');
}

/* The vmsm nodes of the device tree (arm64), bound or not. */
static int tree_devices(void)
{
	return igt_vmsm_tree_devices(false) + igt_vmsm_tree_devices(true);
}

/* The devices of the default parameters: the device tree's, or one. */
static int default_devices(void)
{
	return tree_devices() ?: 1;
}

static int count_nodes(unsigned int nodes)
{
	int fds[MAX_FDS], n, i;

	n = igt_vmsm_open_all(nodes, fds, MAX_FDS);
	for (i = 0; i < n; i++)
		close(fds[i]);
	return n;
}

/* Device nodes may show up a little after the module is loaded. */
static int wait_for_devices(int want)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	int n, waited = 0;

	while ((n = count_nodes(IGT_VMSM_NODE_PRIMARY)) != want &&
	       waited < DEVICE_TIMEOUT_MS) {
		nanosleep(&tick, NULL);
		waited += 10;
	}
	return n;
}

/* Back to the default state: nothing open, loaded with default params. */
static int restore_default(void)
{
	int ret;

	release_all();
	if (module_loaded() && !module_has_defaults()) {
		ret = module_unload();
		if (ret)
			return ret;
	}
	if (!module_loaded()) {
		ret = module_load("");
		if (ret)
			return ret;
	}
	return wait_for_devices(default_devices()) == default_devices() ? 0 : -ENODEV;
}

static void restore_on_exit(int sig)
{
	int ret = restore_default();

	if (ret)
		igt_warn("cannot restore vmsm with default parameters (signal %d): %s\n",
			 sig, strerror(-ret));
}

/* Unloading must succeed: nothing holds the module. */
static void unload(void)
{
	int ret = module_unload();

	igt_assert_f(ret == 0,
		     "delete_module: %s (is another process holding a vmsm file?)\n",
		     strerror(-ret));
}

static void start_clean(void)
{
	igt_assert_eq(restore_default(), 0);
	igt_assert_eq(count_nodes(IGT_VMSM_NODE_PRIMARY), default_devices());
}

static void reload_default(void)
{
	unload();
	igt_assert_eq(module_load(""), 0);
	igt_assert_eq(wait_for_devices(default_devices()), default_devices());
	igt_assert(module_has_defaults());
}

static void check_device_works(int fd)
{
	igt_assert_eq_u64(vmsm_get_param(fd, VMSM_PARAM_CHIP_ID) >> 24, 1);
}

static void test_unload_reload(void)
{
	start_clean();
	unload();
	igt_assert(!module_loaded());
	igt_assert_eq(count_nodes(IGT_VMSM_NODE_PRIMARY | IGT_VMSM_NODE_RENDER), 0);

	igt_assert_eq(module_load(""), 0);
	igt_assert_eq(wait_for_devices(default_devices()), default_devices());
	check_device_works(hold(igt_vmsm_open_driver()));
	check_device_works(hold(igt_vmsm_open_driver_render()));
	release_all();
}

/* The minor of vmsm's primary node. */
static unsigned int primary_minor(void)
{
	int fd = igt_vmsm_open_driver();
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	drm_close_driver(fd);
	return minor(st.st_rdev);
}

/*
 * Unloading releases the devices, not only their nodes: the DRM core hands
 * out the lowest free minor, so a device released on unload gives its
 * minor to the next one, and a leaked device (still holding its minors)
 * makes every reload take a new one, until the minors run out.
 */
static void test_unload_frees_device(void)
{
	unsigned int before, after, i;

	start_clean();
	before = primary_minor();
	for (i = 0; i < 4; i++)
		reload_default();
	after = primary_minor();
	igt_assert_f(after == before,
		     "primary minor %u before 4 reloads, %u after: devices leaked\n",
		     before, after);
}

static void test_unload_busy(bool render)
{
	int fd, ret;

	start_clean();
	fd = hold(render ? igt_vmsm_open_driver_render() :
			   igt_vmsm_open_driver());
	ret = module_unload();
	igt_assert_f(ret == -EBUSY || ret == -EWOULDBLOCK,
		     "delete_module with an open %s node returned %d (%s)\n",
		     render ? "render" : "primary", ret,
		     ret ? strerror(-ret) : "unloaded");
	igt_info("delete_module with an open %s node: %s\n",
		 render ? "render" : "primary",
		 ret == -EBUSY ? "EBUSY" : "EWOULDBLOCK (EAGAIN)");
	igt_assert(module_loaded());
	check_device_works(fd);

	release_all();
	reload_default();
}

/*
 * The devices the module registered itself, vmsm.0 and vmsm.1, follow the
 * coherent parameter: vmsm.0 coherent, vmsm.1 not. The device tree's
 * (arm64) are there as well and follow their dma-coherent property.
 */
static void check_param_devices(unsigned int nodes)
{
	int tree = tree_devices();
	int fds[MAX_FDS], n, i, self = 0;
	char name[NAME_MAX + 1], path[PATH_MAX];
	uint64_t index, coherent, seen = 0;
	bool want;

	n = igt_vmsm_open_all(nodes, fds, MAX_FDS);
	for (i = 0; i < n; i++)
		hold(fds[i]);
	igt_assert_eq(n, tree + 2);
	for (i = 0; i < n; i++) {
		index = vmsm_get_param(fds[i], VMSM_PARAM_DEVICE_INDEX);
		coherent = vmsm_get_param(fds[i], VMSM_PARAM_COHERENT);
		igt_assert_eq(igt_vmsm_device_name(fds[i], name, sizeof(name)), 0);
		igt_info("%s node %d: %s, device %llu, coherent %llu\n",
			 nodes == IGT_VMSM_NODE_RENDER ? "render" : "primary", i, name,
			 (unsigned long long)index, (unsigned long long)coherent);
		igt_assert_lte_u64(index, n - 1);
		igt_assert_f(!(seen & (1ull << index)), "device index %llu twice\n",
			     (unsigned long long)index);
		seen |= 1ull << index;
		if (!strcmp(name, "vmsm.0") || !strcmp(name, "vmsm.1")) {
			want = !strcmp(name, "vmsm.0");
			self++;
		} else {
			snprintf(path, sizeof(path),
				 "/sys/bus/platform/devices/%s/of_node/dma-coherent", name);
			want = access(path, F_OK) == 0;
		}
		igt_assert_eq_u64(coherent, want);
	}
	igt_assert_eq(self, 2);
	release_all();
}

static void test_reload_params(void)
{
	start_clean();
	unload();
	igt_assert_eq(module_load("num_devices=2 coherent=1,0"), 0);
	/* num_devices >= 0: that many of its own, next to the tree's */
	igt_assert_eq(wait_for_devices(tree_devices() + 2), tree_devices() + 2);
	check_param_devices(IGT_VMSM_NODE_PRIMARY);
	check_param_devices(IGT_VMSM_NODE_RENDER);
	reload_default();
}

igt_main
{
	igt_fixture {
		ko_path = getenv("VMSM_KO");
		igt_assert_f(ko_path && *ko_path,
			     "VMSM_KO must name the vmsm.ko to load\n");
		igt_assert_f(access(ko_path, R_OK) == 0, "VMSM_KO=%s: %s\n",
			     ko_path, strerror(errno));
		igt_install_exit_handler(restore_on_exit);
	}

	igt_describe("Unload the idle module, its devices go away; reload it, they come back.");
	igt_subtest("unload-reload")
		test_unload_reload();

	igt_describe("Unloading releases the devices: their minors are reused.");
	igt_subtest("unload-frees-device")
		test_unload_frees_device();
	igt_describe("An open primary node keeps the module loaded.");
	igt_subtest("unload-busy")
		test_unload_busy(false);

	igt_describe("An open render node keeps the module loaded.");
	igt_subtest("unload-busy-render")
		test_unload_busy(true);

	igt_describe("num_devices and coherent module parameters create devices as asked, "
		     "next to the device tree's.");
	igt_subtest("reload-params")
		test_reload_params();
}
