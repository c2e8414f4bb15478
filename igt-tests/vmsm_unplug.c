// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_unplug: hot-unplug through the platform bus. Unbinding vmsm.0 from
 * the vmsm platform driver (/sys/bus/platform/drivers/vmsm/unbind) runs
 * vmsm_remove(), which calls drm_dev_unplug(): the device nodes go away at
 * once, files that are still open stay valid but every ioctl on them fails
 * with ENODEV (drm_ioctl() checks drm_dev_is_unplugged() before anything
 * else, so this holds for core ioctls such as DRM_IOCTL_VERSION too), and
 * the device is freed when the last of them is closed.
 *
 * Every subtest starts with vmsm.0 bound and leaves it bound; an exit
 * handler binds it again (and loads the module from VMSM_KO if it had to
 * be unloaded) when a subtest fails half-way.
 */

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_aux.h"
#include "igt_core.h"
#include "igt_drm.h"
#include "igt_kmod.h"
#include "igt_platform.h"
#include "igt_vmsm.h"

#define MODULE_NAME	"vmsm"
#define DRIVER_NAME	"vmsm"
#define DEVICE_NAME	"vmsm.0"
#define MAX_FDS		16
#define TIMEOUT_MS	2000
#define REBIND_LOOPS	20

static int held[MAX_FDS];
static int nr_held;

/* Files the subtest holds open, so that a failed subtest can close them. */
static int hold(int fd)
{
	igt_assert(nr_held < MAX_FDS);
	held[nr_held++] = fd;
	return fd;
}

/* Closes every held file; close() must succeed even on unplugged ones. */
static void release_all(void)
{
	int fd;

	while (nr_held > 0) {
		fd = held[--nr_held];
		igt_assert_f(close(fd) == 0, "close(%d): %s\n", fd,
			     strerror(errno));
	}
}

/* vmsm loaded (from VMSM_KO if it is not) and vmsm.0 bound. */
static int restore_device(void)
{
	const char *ko = getenv("VMSM_KO");
	int ret;

	if (!igt_kmod_is_loaded(MODULE_NAME)) {
		if (!ko)
			return -ENOENT;
		ret = igt_kmod_load_path(ko, "");
		if (ret)
			return ret;
	}
	if (igt_platform_is_bound(DRIVER_NAME, DEVICE_NAME))
		return 0;
	return igt_platform_bind(DRIVER_NAME, DEVICE_NAME);
}

static void restore_on_exit(int sig)
{
	int ret;

	while (nr_held > 0)
		close(held[--nr_held]);
	ret = restore_device();
	if (ret)
		igt_warn("cannot bind " DEVICE_NAME " again (signal %d): %s\n",
			 sig, strerror(-ret));
}

static int open_node(unsigned int node)
{
	return igt_drm_open_device(DRIVER_VMSM, node, DEVICE_NAME);
}

/* The node of vmsm.0, which may show up a little after binding. */
static int wait_open_node(unsigned int node)
{
	int fd = -1;

	igt_wait((fd = open_node(node)) >= 0, TIMEOUT_MS, 10);
	igt_assert_f(fd >= 0, "no %s node for " DEVICE_NAME "\n",
		     node == DRM_NODE_RENDER ? "render" : "primary");
	return fd;
}

static void unbind(void)
{
	int ret = igt_platform_unbind(DRIVER_NAME, DEVICE_NAME);

	igt_assert_f(ret == 0, "unbind " DEVICE_NAME ": %s\n", strerror(-ret));
	igt_assert(!igt_platform_is_bound(DRIVER_NAME, DEVICE_NAME));
}

static void bind(void)
{
	int ret = igt_platform_bind(DRIVER_NAME, DEVICE_NAME);

	igt_assert_f(ret == 0, "bind " DEVICE_NAME ": %s\n", strerror(-ret));
	igt_assert(igt_platform_is_bound(DRIVER_NAME, DEVICE_NAME));
}

/* Both nodes of vmsm.0 answer GET_PARAM; it is device index 0 again. */
static void check_device_works(void)
{
	int card = wait_open_node(DRM_NODE_PRIMARY);
	int render = wait_open_node(DRM_NODE_RENDER);

	igt_assert_eq_u64(vmsm_get_param(card, VMSM_PARAM_CHIP_ID) >> 24, 1);
	igt_assert_eq_u64(vmsm_get_param(render, VMSM_PARAM_CHIP_ID) >> 24, 1);
	igt_assert_eq_u64(vmsm_get_param(card, VMSM_PARAM_DEVICE_INDEX), 0);
	drm_close_driver(render);
	drm_close_driver(card);
}

static void start(void)
{
	int ret = restore_device();

	igt_assert_f(ret == 0, "cannot bind " DEVICE_NAME ": %s\n",
		     strerror(-ret));
	check_device_works();
}

/* Every ioctl, driver or core, fails with ENODEV once unplugged. */
static void check_unplugged(int fd)
{
	struct drm_vmsm_get_param gp = { .param = VMSM_PARAM_CHIP_ID };
	struct drm_version version = { };

	do_ioctl_err(fd, DRM_IOCTL_VMSM_GET_PARAM, &gp, ENODEV);
	do_ioctl_err(fd, DRM_IOCTL_VERSION, &version, ENODEV);
}

/* device_del() removed the node from devtmpfs. */
static void check_node_gone(const char *path)
{
	bool gone = igt_wait(access(path, F_OK) != 0, TIMEOUT_MS, 10);

	igt_assert_f(gone, "%s still exists after unbind\n", path);
	igt_assert_eq(errno, ENOENT);
}

static void node_path(int fd, char *path)
{
	igt_assert_eq(igt_drm_node_path(fd, path, PATH_MAX), 0);
}

static void test_unbind_with_open_fds(void)
{
	char card_path[PATH_MAX], render_path[PATH_MAX];
	int card, render;

	start();
	card = hold(wait_open_node(DRM_NODE_PRIMARY));
	render = hold(wait_open_node(DRM_NODE_RENDER));
	node_path(card, card_path);
	node_path(render, render_path);

	unbind();
	check_unplugged(card);
	check_unplugged(render);
	check_node_gone(card_path);
	check_node_gone(render_path);
	igt_assert_eq(open_node(DRM_NODE_PRIMARY | DRM_NODE_RENDER), -1);
	igt_info("unplugged %s and %s: ioctls fail with ENODEV, nodes gone\n",
		 card_path, render_path);

	release_all();
	bind();
	check_device_works();
}

static void unbind_rebind_once(void)
{
	hold(wait_open_node(DRM_NODE_PRIMARY));
	hold(wait_open_node(DRM_NODE_RENDER));
	unbind();
	release_all();
	bind();
}

static void test_unbind_rebind_loop(void)
{
	int i, card, clients;

	start();
	for (i = 0; i < REBIND_LOOPS; i++)
		unbind_rebind_once();
	check_device_works();

	card = hold(wait_open_node(DRM_NODE_PRIMARY));
	hold(wait_open_node(DRM_NODE_RENDER));
	clients = vmsm_debugfs_clients(card);
	igt_info("after %d unbind/bind cycles: %d clients with %d files open\n",
		 REBIND_LOOPS, clients, nr_held);
	igt_assert_eq(clients, nr_held);
	release_all();
}

static int syncobj_export(int fd)
{
	struct drm_syncobj_create create = { };
	struct drm_syncobj_handle handle = { };

	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create);
	handle.handle = create.handle;
	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &handle);
	igt_assert_lte(0, handle.fd);
	return handle.fd;
}

/* The syncobj lives on without the device: a new device imports it. */
static void syncobj_import(int fd, int syncobj_fd)
{
	struct drm_syncobj_handle handle = { .fd = syncobj_fd };
	struct drm_syncobj_destroy destroy = { };

	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &handle);
	igt_assert_neq_u32(handle.handle, 0);
	destroy.handle = handle.handle;
	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy);
}

static void test_unbind_syncobj(void)
{
	struct drm_syncobj_create create = { };
	struct drm_syncobj_destroy destroy = { .handle = 1 };
	int card, syncobj_fd;

	start();
	card = hold(wait_open_node(DRM_NODE_PRIMARY));
	syncobj_fd = syncobj_export(card);

	unbind();
	igt_assert_lte(0, fcntl(syncobj_fd, F_GETFD));
	check_unplugged(card);
	do_ioctl_err(card, DRM_IOCTL_SYNCOBJ_CREATE, &create, ENODEV);
	do_ioctl_err(card, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy, ENODEV);
	release_all();

	bind();
	card = hold(wait_open_node(DRM_NODE_PRIMARY));
	syncobj_import(card, syncobj_fd);
	igt_assert_eq(close(syncobj_fd), 0);
	release_all();
	check_device_works();
}

static void test_unload_after_unbind(void)
{
	int ret;

	start();
	hold(wait_open_node(DRM_NODE_PRIMARY));
	unbind();

	/* The open file pins the module (vmsm_fops.owner), bound or not. */
	ret = igt_kmod_unload(MODULE_NAME);
	igt_assert_f(ret == -EWOULDBLOCK || ret == -EBUSY,
		     "delete_module with an unplugged file open returned %d (%s)\n",
		     ret, ret ? strerror(-ret) : "unloaded");
	igt_info("delete_module with an unplugged file open: %s\n",
		 ret == -EBUSY ? "EBUSY" : "EWOULDBLOCK (EAGAIN)");
	igt_assert(igt_kmod_is_loaded(MODULE_NAME));

	release_all();
	bind();
	check_device_works();
}

igt_main
{
	igt_fixture {
		igt_install_exit_handler(restore_on_exit);
		igt_assert_f(igt_platform_device_exists(DEVICE_NAME),
			     "no platform device " DEVICE_NAME "\n");
	}

	igt_describe("Unbind with primary and render files open: ioctls fail with ENODEV, the nodes go away, rebinding brings the device back.");
	igt_subtest("unbind-with-open-fds")
		test_unbind_with_open_fds();

	igt_describe("Open, unbind, close, bind 20 times; the device works and counts only our files.");
	igt_subtest("unbind-rebind-loop")
		test_unbind_rebind_loop();

	igt_describe("An exported syncobj fd survives unbinding its device and can be imported after rebinding.");
	igt_subtest("unbind-syncobj")
		test_unbind_syncobj();

	igt_describe("An open file of an unbound device still keeps the module loaded.");
	igt_subtest("unload-after-unbind")
		test_unload_after_unbind();
}
