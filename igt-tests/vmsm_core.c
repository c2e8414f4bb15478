// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_core: finding and opening vmsm devices through their primary and
 * render nodes, the DRM version, client accounting, unknown ioctls.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

/* The vmsm driver ioctl numbers stop well before this one. */
#define DRM_IOCTL_VMSM_UNKNOWN \
	DRM_IOWR(DRM_COMMAND_BASE + 0x3f, struct drm_vmsm_get_param)

static int card = -1;

static void check_version(int fd)
{
	struct drm_version version;
	char name[64];

	igt_assert_eq(igt_vmsm_get_version(fd, &version, name, sizeof(name)), 0);
	igt_assert_f(!strcmp(name, "vmsm"), "driver name is '%s'\n", name);
	igt_assert_eq(version.version_major, 1);
	igt_assert_lte(0, version.version_minor);
	igt_info("driver %s %d.%d.%d\n", name, version.version_major,
		 version.version_minor, version.version_patchlevel);
}

static void test_open_primary(void)
{
	char path[PATH_MAX];
	int fd = igt_vmsm_open_driver();

	check_version(fd);
	igt_assert_eq(igt_vmsm_node_path(fd, path, sizeof(path)), 0);
	igt_assert_f(!strncmp(path, "/dev/dri/card", 13), "opened %s\n",
		     path);
	igt_assert(!igt_vmsm_is_render(fd));
	drm_close_driver(fd);
}

static void test_open_render(void)
{
	int fd = igt_vmsm_open_driver_render();

	check_version(fd);
	igt_assert_eq_u64(vmsm_get_param(fd, VMSM_PARAM_CHIP_ID) >> 24, 1);
	drm_close_driver(fd);
}

static void test_render_node_is_render(void)
{
	char path[PATH_MAX];
	int fd = igt_vmsm_open_driver_render();

	igt_assert_eq(igt_vmsm_node_path(fd, path, sizeof(path)), 0);
	igt_info("render node %s, minor %d\n", path, igt_vmsm_minor(fd));
	igt_assert_f(!strncmp(path, "/dev/dri/renderD", 16), "opened %s\n",
		     path);
	igt_assert(igt_vmsm_is_render(fd));
	igt_assert(!igt_vmsm_is_render(card));
	drm_close_driver(fd);
}

static void test_both_nodes_same_device(void)
{
	char card_dev[PATH_MAX], render_dev[PATH_MAX];
	int render = igt_vmsm_open_render_of(card);

	igt_assert_f(render >= 0, "the vmsm card node has no render node\n");
	igt_assert(igt_vmsm_is_device(render));
	igt_assert_eq(igt_vmsm_sysfs_device(card, card_dev, sizeof(card_dev)), 0);
	igt_assert_eq(igt_vmsm_sysfs_device(render, render_dev,
					   sizeof(render_dev)), 0);
	igt_info("device %s\n", card_dev);
	igt_assert(!strcmp(card_dev, render_dev));
	igt_assert_eq_u64(vmsm_get_param(card, VMSM_PARAM_DEVICE_INDEX),
			  vmsm_get_param(render, VMSM_PARAM_DEVICE_INDEX));
	igt_assert_eq_u64(vmsm_get_param(card, VMSM_PARAM_COHERENT),
			  vmsm_get_param(render, VMSM_PARAM_COHERENT));
	drm_close_driver(render);
}

/* The "clients N" line of the device's debugfs vmsm_objects file. */
static int read_clients(int fd)
{
	char buf[512];
	const char *line;
	int clients = -1;

	igt_assert_f(igt_vmsm_debugfs_read(fd, "vmsm_objects", buf, sizeof(buf)) > 0,
		     "no /sys/kernel/debug/dri/%d/vmsm_objects (debugfs not mounted?)\n",
		     igt_vmsm_minor(fd));
	line = strstr(buf, "clients ");
	igt_assert_f(line && sscanf(line, "clients %d", &clients) == 1,
		     "no clients count in vmsm_objects:\n%s", buf);
	return clients;
}

static void test_client_count(void)
{
	int before, during, after, fd;

	before = read_clients(card);
	igt_assert_lte(1, before);
	fd = drm_reopen_driver(card);
	during = read_clients(card);
	drm_close_driver(fd);
	after = read_clients(card);
	igt_info("clients: %d, %d with one more file, %d after close\n",
		 before, during, after);
	igt_assert_eq(during, before + 1);
	igt_assert_eq(after, before);
}

static void test_unknown_ioctl(void)
{
	struct drm_vmsm_get_param args = { .param = VMSM_PARAM_CHIP_ID };
	int render = igt_vmsm_open_driver_render();

	do_ioctl_err(card, DRM_IOCTL_VMSM_UNKNOWN, &args, EINVAL);
	do_ioctl_err(render, DRM_IOCTL_VMSM_UNKNOWN, &args, EINVAL);
	drm_close_driver(render);
}

igt_main
{
	igt_fixture
		card = igt_vmsm_open_driver();

	igt_describe("Open the primary node of a vmsm device and check its version.");
	igt_subtest("open-primary")
		test_open_primary();

	igt_describe("Open the render node of a vmsm device, check version and GET_PARAM.");
	igt_subtest("open-render")
		test_open_render();

	igt_describe("The render node is a /dev/dri/renderD* node with a render minor.");
	igt_subtest("render-node-is-render")
		test_render_node_is_render();

	igt_describe("The primary and render node of one device report the same device.");
	igt_subtest("both-nodes-same-device")
		test_both_nodes_same_device();

	igt_describe("debugfs counts one more client per open file and drops it on close.");
	igt_subtest("client-count")
		test_client_count();

	igt_describe("An ioctl number past the driver's table fails with EINVAL.");
	igt_subtest("unknown-ioctl")
		test_unknown_ioctl();

	igt_fixture
		drm_close_driver(card);
}
