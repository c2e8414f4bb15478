// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_unplug: hot-unplug through the platform bus. Unbinding the device
 * (vmsm.0, or the device tree's non-coherent vmsm node on arm64) from the
 * vmsm platform driver (/sys/bus/platform/drivers/vmsm/unbind) runs
 * vmsm_remove(), which calls drm_dev_unplug(): the device nodes go away at
 * once, files that are still open stay valid but every ioctl on them fails
 * with ENODEV (drm_ioctl() checks drm_dev_is_unplugged() before anything
 * else, so this holds for core ioctls such as DRM_IOCTL_VERSION too), and
 * the device is freed when the last of them is closed.
 *
 * Every subtest starts with that device bound and leaves it bound; an exit
 * handler binds it again (and loads the module from VMSM_KO if it had to
 * be unloaded) when a subtest fails half-way.
 */

#include <fcntl.h>
#include <limits.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define MODULE_NAME	"vmsm"
#define DRIVER_NAME	"vmsm"
#define MAX_FDS		16
#define TIMEOUT_MS	2000
#define REBIND_LOOPS	20

/* vmsm.0, or the device tree's non-coherent vmsm device (arm64) */
static char device_name[NAME_MAX + 1] = "vmsm.0";
static uint64_t device_index;

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

/* vmsm loaded (from VMSM_KO if it is not) and the device bound. */
static int restore_device(void)
{
	const char *ko = getenv("VMSM_KO");
	int ret;

	if (!igt_vmsm_kmod_is_loaded(MODULE_NAME)) {
		if (!ko)
			return -ENOENT;
		ret = igt_vmsm_kmod_load_path(ko, "");
		if (ret)
			return ret;
	}
	if (igt_vmsm_platform_is_bound(DRIVER_NAME, device_name))
		return 0;
	return igt_vmsm_platform_bind(DRIVER_NAME, device_name);
}

static void restore_on_exit(int sig)
{
	int ret;

	while (nr_held > 0)
		close(held[--nr_held]);
	ret = restore_device();
	if (ret)
		igt_warn("cannot bind %s again (signal %d): %s\n",
			 device_name, sig, strerror(-ret));
}

static int open_node(unsigned int node)
{
	return igt_vmsm_open_device(node, device_name);
}

/* The device's node, which may show up a little after binding. */
static int wait_open_node(unsigned int node)
{
	int fd = -1;

	igt_wait((fd = open_node(node)) >= 0, TIMEOUT_MS, 10);
	igt_assert_f(fd >= 0, "no %s node for %s\n",
		     node == IGT_VMSM_NODE_RENDER ? "render" : "primary", device_name);
	return fd;
}

static void unbind(void)
{
	int ret = igt_vmsm_platform_unbind(DRIVER_NAME, device_name);

	igt_assert_f(ret == 0, "unbind %s: %s\n", device_name, strerror(-ret));
	igt_assert(!igt_vmsm_platform_is_bound(DRIVER_NAME, device_name));
}

static void bind(void)
{
	int ret = igt_vmsm_platform_bind(DRIVER_NAME, device_name);

	igt_assert_f(ret == 0, "bind %s: %s\n", device_name, strerror(-ret));
	igt_assert(igt_vmsm_platform_is_bound(DRIVER_NAME, device_name));
}

/* Both nodes of the device answer GET_PARAM; it has its index again. */
static void check_device_works(void)
{
	int card = wait_open_node(IGT_VMSM_NODE_PRIMARY);
	int render = wait_open_node(IGT_VMSM_NODE_RENDER);

	igt_assert_eq_u64(vmsm_get_param(card, VMSM_PARAM_CHIP_ID) >> 24, 1);
	igt_assert_eq_u64(vmsm_get_param(render, VMSM_PARAM_CHIP_ID) >> 24, 1);
	igt_assert_eq_u64(vmsm_get_param(card, VMSM_PARAM_DEVICE_INDEX), device_index);
	drm_close_driver(render);
	drm_close_driver(card);
}

static void start(void)
{
	int ret = restore_device();

	igt_assert_f(ret == 0, "cannot bind %s: %s\n", device_name,
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
	igt_assert_eq(igt_vmsm_node_path(fd, path, PATH_MAX), 0);
}

static void test_unbind_with_open_fds(void)
{
	char card_path[PATH_MAX], render_path[PATH_MAX];
	int card, render;

	start();
	card = hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	render = hold(wait_open_node(IGT_VMSM_NODE_RENDER));
	node_path(card, card_path);
	node_path(render, render_path);

	unbind();
	check_unplugged(card);
	check_unplugged(render);
	check_node_gone(card_path);
	check_node_gone(render_path);
	igt_assert_eq(open_node(IGT_VMSM_NODE_PRIMARY | IGT_VMSM_NODE_RENDER), -1);
	igt_info("unplugged %s and %s: ioctls fail with ENODEV, nodes gone\n",
		 card_path, render_path);

	release_all();
	bind();
	check_device_works();
}

static void unbind_rebind_once(void)
{
	hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	hold(wait_open_node(IGT_VMSM_NODE_RENDER));
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

	card = hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	hold(wait_open_node(IGT_VMSM_NODE_RENDER));
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
	card = hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	syncobj_fd = syncobj_export(card);

	unbind();
	igt_assert_lte(0, fcntl(syncobj_fd, F_GETFD));
	check_unplugged(card);
	do_ioctl_err(card, DRM_IOCTL_SYNCOBJ_CREATE, &create, ENODEV);
	do_ioctl_err(card, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy, ENODEV);
	release_all();

	bind();
	card = hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	syncobj_import(card, syncobj_fd);
	igt_assert_eq(close(syncobj_fd), 0);
	release_all();
	check_device_works();
}

static void test_unload_after_unbind(void)
{
	int ret;

	start();
	hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	unbind();

	/* The open file pins the module (vmsm_fops.owner), bound or not. */
	ret = igt_vmsm_kmod_unload(MODULE_NAME);
	igt_assert_f(ret == -EWOULDBLOCK || ret == -EBUSY,
		     "delete_module with an unplugged file open returned %d (%s)\n",
		     ret, ret ? strerror(-ret) : "unloaded");
	igt_info("delete_module with an unplugged file open: %s\n",
		 ret == -EBUSY ? "EBUSY" : "EWOULDBLOCK (EAGAIN)");
	igt_assert(igt_vmsm_kmod_is_loaded(MODULE_NAME));

	release_all();
	bind();
	check_device_works();
}

/* ---- unbinding with work, mappings and shared buffers alive ---- */

#define OBJ_SIZE	(64u << 10)
#define PATTERN		0x5a5aa5a5u

/*
 * Submits a job that stalls on WAIT_MEM for a value nobody writes, then
 * one that writes PATTERN into dst behind it on the same queue. Returns
 * the second job's sync_file.
 */
static int submit_hang_then_write(int fd, uint32_t dst, int *hang_fd)
{
	uint32_t cs = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	uint64_t va = vmsm_gem_info(fd, dst, VMSM_INFO_GET_IOVA);
	uint32_t *c = vmsm_gem_mmap(fd, cs, PROT_READ | PROT_WRITE);
	struct drm_vmsm_submit_bo bos[2] = {
		{ .handle = dst, .flags = VMSM_SUBMIT_BO_WRITE },
		{ .handle = cs, .flags = VMSM_SUBMIT_BO_READ },
	};
	struct drm_vmsm_submit_cmd cmd = { .handle = cs };
	struct drm_vmsm_gem_submit s = {
		.flags = VMSM_SUBMIT_FENCE_FD_OUT | VMSM_SUBMIT_NO_IMPLICIT,
		.bos = (uintptr_t)bos, .nr_bos = 2,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1, .fence_fd = -1,
	};

	/* job 1, at offset 0: wait for dst[1] == 1, which never happens */
	c[0] = VMSM_CP_PKT(VMSM_CP_WAIT_MEM, 5);
	c[1] = (uint32_t)(va + 4);
	c[2] = (uint32_t)((va + 4) >> 32);
	c[3] = 1;
	c[4] = ~0u;
	c[5] = VMSM_CP_WAIT_EQ;
	/* job 2, at offset 64: dst[0] = PATTERN */
	c[16] = VMSM_CP_PKT(VMSM_CP_WRITE, 3);
	c[17] = (uint32_t)va;
	c[18] = (uint32_t)(va >> 32);
	c[19] = PATTERN;
	munmap(c, 4096);

	cmd.size = 6;
	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s);
	*hang_fd = s.fence_fd;
	cmd.offset = 64;
	cmd.size = 4;
	s.fence_fd = -1;
	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s);
	vmsm_gem_close(fd, cs);
	return s.fence_fd;
}

/* Waits for a sync_file to signal; returns its status (1, or -errno). */
static int sync_file_wait(int fence_fd)
{
	struct sync_file_info info = { };
	struct pollfd pfd = { .fd = fence_fd, .events = POLLIN };

	igt_assert_eq(poll(&pfd, 1, 30000), 1);
	do_ioctl(fence_fd, SYNC_IOC_FILE_INFO, &info);
	return info.status;
}

static void test_unbind_with_jobs_in_flight(void)
{
	int card, hang_fd, write_fd, status;
	uint32_t dst;
	uint32_t *p;

	start();
	card = hold(wait_open_node(IGT_VMSM_NODE_RENDER));
	dst = vmsm_gem_new(card, OBJ_SIZE, VMSM_BO_WC);
	p = vmsm_gem_mmap(card, dst, PROT_READ);
	write_fd = hold(submit_hang_then_write(card, dst, &hang_fd));
	hold(hang_fd);

	unbind();
	check_unplugged(card);

	/* the hang is killed by the job timeout; the job behind it runs */
	status = sync_file_wait(hang_fd);
	igt_info("stalled job after unbind: status %d (%s)\n", status,
		 status < 0 ? strerror(-status) : "signalled");
	igt_assert_lt(status, 0);
	igt_assert_eq(sync_file_wait(write_fd), 1);
	igt_assert_eq_u32(p[0], PATTERN);
	munmap(p, OBJ_SIZE);

	release_all();
	bind();
	check_device_works();
}

/* A child touches the mapping: data or SIGBUS, never a kernel splat. */
static int touch_in_child(volatile uint32_t *p)
{
	int status;
	pid_t pid = fork();

	igt_assert_lte(0, pid);
	if (!pid) {
		p[1] = p[0] + 1;
		_exit(p[0] == PATTERN ? 0 : 1);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static void test_unbind_with_mapping(void)
{
	int card, status;
	uint32_t bo, *p;

	start();
	card = hold(wait_open_node(IGT_VMSM_NODE_RENDER));
	bo = vmsm_gem_new(card, OBJ_SIZE, VMSM_BO_CACHED);
	p = vmsm_gem_mmap(card, bo, PROT_READ | PROT_WRITE);
	p[0] = PATTERN;

	unbind();
	check_unplugged(card);
	status = touch_in_child(p);
	igt_info("touching a mapping of an unplugged device: %s\n",
		 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) :
		 WEXITSTATUS(status) ? "stale data" : "data kept");
	igt_assert(WIFSIGNALED(status) ? WTERMSIG(status) == SIGBUS :
		   WEXITSTATUS(status) == 0);
	igt_assert_eq(munmap(p, OBJ_SIZE), 0);

	release_all();
	bind();
	check_device_works();
}

/*
 * vgem imports a vmsm object; vmsm goes away. vgem keeps the dma-buf: its
 * handle, and the memory, live until vgem lets go.
 */
static void test_unbind_with_dmabuf_in_vgem(void)
{
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_prime_handle imp = { };
	struct drm_gem_close c = { };
	int card, vgem;
	uint32_t *p;

	start();
	card = hold(wait_open_node(IGT_VMSM_NODE_RENDER));
	vgem = hold(drm_open_driver(DRIVER_VGEM));
	exp.handle = vmsm_gem_new(card, OBJ_SIZE, VMSM_BO_WC);
	p = vmsm_gem_mmap(card, exp.handle, PROT_READ | PROT_WRITE);
	p[0] = PATTERN;
	munmap(p, OBJ_SIZE);
	do_ioctl(card, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	imp.fd = exp.fd;
	do_ioctl(vgem, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);

	unbind();
	check_unplugged(card);
	/* the dma-buf fd still maps the memory */
	p = mmap(NULL, OBJ_SIZE, PROT_READ, MAP_SHARED, exp.fd, 0);
	if (p != MAP_FAILED) {
		igt_assert_eq_u32(p[0], PATTERN);
		munmap(p, OBJ_SIZE);
	} else {
		igt_info("mmap of the dma-buf after unbind: %s\n", strerror(errno));
	}
	close(exp.fd);
	c.handle = imp.handle;
	do_ioctl(vgem, DRM_IOCTL_GEM_CLOSE, &c);

	release_all();
	bind();
	check_device_works();
}

/*
 * A console client that drew through a mapping of /dev/fbN and went away:
 * unbinding afterwards frees the fbdev emulation's memory cleanly.
 */
static void test_unbind_after_fbdev_mmap(void)
{
	struct vmsm_kms_fb fb;
	int card, fd;

	start();
	card = wait_open_node(IGT_VMSM_NODE_PRIMARY);
	fd = vmsm_kms_fbdev_open(card, &fb);
	igt_assert_eq(close(card), 0);
	memset(fb.map, 0x3c, fb.size);
	igt_assert_eq(munmap(fb.map, fb.size), 0);
	igt_assert_eq(close(fd), 0);
	unbind();
	bind();
	check_device_works();
}

/*
 * Unbind with the display busy: CRTC 0 on, nonblocking flips with events
 * queued, a dumb buffer mapped by the CPU, and the fbdev emulation's
 * /dev/fbN mapped and written. No splat (the harness checks the log), every
 * later ioctl fails with ENODEV, the mappings give data or SIGBUS, and the
 * device comes back with a working display.
 */
static void test_unbind_with_display(void)
{
	struct vmsm_kms_display disp;
	struct vmsm_kms_fb fbs[2], fbdev;
	struct vmsm_kms_req r;
	struct drm_mode_card_res cr = { };
	struct drm_mode_create_dumb dc = { .width = 64, .height = 64, .bpp = 32 };
	struct drm_mode_atomic at = { };
	uint32_t *map;
	uint64_t size;
	int card, ret, status, i;

	start();
	card = hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	hold(vmsm_kms_fbdev_open(card, &fbdev));
	memset(fbdev.map, 0x5a, fbdev.size);

	igt_assert_eq(vmsm_kms_set_client_caps(card), 0);
	vmsm_kms_display_find(card, &disp);
	for (i = 0; i < 2; i++)
		vmsm_kms_dumb_fb(card, disp.mode.hdisplay, disp.mode.vdisplay,
			    DRM_FORMAT_XRGB8888, &fbs[i]);
	ret = __vmsm_kms_display_modeset(card, &disp, fbs[0].fb_id, 0, 0);
	igt_assert_f(ret == 0, "modeset: %s\n", strerror(-ret));
	map = fbs[1].map;
	size = fbs[1].size;
	map[0] = PATTERN;
	/* a flip pending when the device goes */
	ret = __vmsm_kms_display_flip(card, &disp, fbs[1].fb_id,
				 DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT, 1);
	igt_assert_f(ret == 0, "nonblocking flip: %s\n", strerror(-ret));

	unbind();
	check_unplugged(card);
	do_ioctl_err(card, DRM_IOCTL_MODE_GETRESOURCES, &cr, ENODEV);
	do_ioctl_err(card, DRM_IOCTL_MODE_CREATE_DUMB, &dc, ENODEV);
	do_ioctl_err(card, DRM_IOCTL_MODE_ATOMIC, &at, ENODEV);
	vmsm_kms_req_init(&r);
	igt_assert_eq(__vmsm_kms_commit(card, &r, 0, 0), -ENODEV);
	{
		uint32_t id = fbs[0].fb_id;

		do_ioctl_err(card, DRM_IOCTL_MODE_RMFB, &id, ENODEV);
	}

	/* the dumb buffer's mapping: data or SIGBUS */
	status = touch_in_child(map);
	igt_info("touching a dumb buffer mapping of an unplugged device: %s\n",
		 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) :
		 WEXITSTATUS(status) ? "stale data" : "data kept");
	igt_assert(WIFSIGNALED(status) ? WTERMSIG(status) == SIGBUS :
		   WEXITSTATUS(status) == 0);
	igt_assert_eq(munmap(map, size), 0);
	igt_assert_eq(munmap(fbs[0].map, fbs[0].size), 0);
	/* the fbdev mapping: writes land or SIGBUS, never a splat */
	{
		pid_t pid = fork();

		igt_assert_lte(0, pid);
		if (!pid) {
			memset(fbdev.map, 0xa5, fbdev.size);
			_exit(0);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert(WIFSIGNALED(status) ? WTERMSIG(status) == SIGBUS :
			   WEXITSTATUS(status) == 0);
	}
	igt_assert_eq(munmap(fbdev.map, fbdev.size), 0);

	release_all();
	bind();
	check_device_works();
	/* the display of the new device works */
	card = hold(wait_open_node(IGT_VMSM_NODE_PRIMARY));
	igt_assert_eq(vmsm_kms_set_client_caps(card), 0);
	vmsm_kms_display_find(card, &disp);
	vmsm_kms_dumb_fb(card, disp.mode.hdisplay, disp.mode.vdisplay, DRM_FORMAT_XRGB8888, &fbs[0]);
	ret = __vmsm_kms_display_modeset(card, &disp, fbs[0].fb_id,
				    DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT, 2);
	igt_assert_f(ret == 0, "modeset after rebinding: %s\n", strerror(-ret));
	{
		struct drm_event_vblank ev;

		igt_assert_eq(vmsm_kms_read_event(card, 5000, &ev, sizeof(ev)), (int)sizeof(ev));
		igt_assert_eq_u64(ev.user_data, 2);
	}
	vmsm_kms_fb_free(&fbs[0]);
	release_all();
}

igt_main
{
	igt_fixture {
		int card;

		/* on arm64 the device tree's, bound through of_match_table */
		igt_vmsm_tree_device_name(false, device_name, sizeof(device_name));
		igt_install_exit_handler(restore_on_exit);
		igt_assert_f(igt_vmsm_platform_device_exists(device_name),
			     "no platform device %s\n", device_name);
		igt_assert_eq(restore_device(), 0);
		card = wait_open_node(IGT_VMSM_NODE_PRIMARY);
		device_index = vmsm_get_param(card, VMSM_PARAM_DEVICE_INDEX);
		igt_info("unplugging %s, device %llu\n", device_name,
			 (unsigned long long)device_index);
		drm_close_driver(card);
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

	igt_describe("Unbind with a stalled job and one queued behind it: the stall is killed by the timeout, the other job completes, both fences signal.");
	igt_subtest("unbind-with-jobs-in-flight")
		test_unbind_with_jobs_in_flight();

	igt_describe("Unbind with a CPU mapping of an object: touching it gives the data or SIGBUS, munmap works.");
	igt_subtest("unbind-with-mapping")
		test_unbind_with_mapping();

	igt_describe("Unbind while vgem holds an imported vmsm dma-buf: the buffer stays usable until vgem lets go.");
	igt_subtest("unbind-with-dmabuf-in-vgem")
		test_unbind_with_dmabuf_in_vgem();

	igt_describe("Unbind after a client mapped /dev/fbN, wrote it and closed it.");
	igt_subtest("unbind-after-fbdev-mmap")
		test_unbind_after_fbdev_mmap();

	igt_describe("Unbind with CRTC 0 on, a flip pending, a dumb buffer and the fbdev mapped: ENODEV afterwards, mappings give data or SIGBUS, the display works after rebinding.");
	igt_subtest("unbind-with-display")
		test_unbind_with_display();

	igt_describe("An open file of an unbound device still keeps the module loaded.");
	igt_subtest("unload-after-unbind")
		test_unload_after_unbind();
}
