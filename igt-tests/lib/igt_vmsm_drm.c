// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Finding and opening vmsm's DRM nodes, and their sysfs and debugfs
 * directories. A missing vmsm device fails the test, where IGT's
 * drm_open_driver() would skip it: the tests run where vmsm must be.
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define DRM_DIR		"/dev/dri"
#define DEBUGFS_DRI	"/sys/kernel/debug/dri"

/**
 * igt_vmsm_get_version() - DRM_IOCTL_VERSION
 * @fd: DRM file
 * @version: filled in; its name points at @name, date and desc are not read
 * @name: receives the driver name, NUL terminated
 * @name_len: size of @name
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_get_version(int fd, struct drm_version *version, char *name,
		    size_t name_len)
{
	memset(version, 0, sizeof(*version));
	memset(name, 0, name_len);
	version->name = name;
	version->name_len = name_len - 1;
	if (igt_ioctl(fd, DRM_IOCTL_VERSION, version))
		return -errno;
	return 0;
}

/* vmsm's node, or with any_driver any DRM node that answers VERSION */
static bool driver_matches(int fd, bool any_driver)
{
	struct drm_version version;
	char name[64];

	if (igt_vmsm_get_version(fd, &version, name, sizeof(name)))
		return false;
	return any_driver || !strcmp(name, "vmsm");
}

static bool node_name_is(const char *name, const char *prefix)
{
	size_t len = strlen(prefix);

	return !strncmp(name, prefix, len) && name[len] >= '0' &&
	       name[len] <= '9';
}

/* Opens up to max nodes /dev/dri/<prefix>N, in order of N. */
static int open_nodes(const char *prefix, bool any_driver, int *fds, int max)
{
	struct dirent **entries;
	char path[PATH_MAX];
	int n, i, fd, count = 0;

	n = scandir(DRM_DIR, &entries, NULL, versionsort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (count < max && node_name_is(entries[i]->d_name, prefix)) {
			snprintf(path, sizeof(path), DRM_DIR "/%s",
				 entries[i]->d_name);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd >= 0 && driver_matches(fd, any_driver))
				fds[count++] = fd;
			else if (fd >= 0)
				close(fd);
		}
		free(entries[i]);
	}
	free(entries);
	return count;
}

static char selected_device[NAME_MAX + 1];

/**
 * igt_vmsm_select_device() - the device __igt_vmsm_open_driver() and the like open
 * @device: a bus device's name, as igt_vmsm_device_name() gives it, or NULL
 *	for the first device of the driver again (the default)
 *
 * For a test that runs its usual code on one device of several, the
 * coherent one, say.
 */
void igt_vmsm_select_device(const char *device)
{
	snprintf(selected_device, sizeof(selected_device), "%s", device ? device : "");
}

/**
 * __igt_vmsm_open_driver() - open the first primary node of vmsm
 *
 * The node of the device igt_vmsm_select_device() selected, if it did.
 *
 * Return: the file descriptor, or -1 if there is no such device.
 */
int __igt_vmsm_open_driver(void)
{
	int fd;

	if (selected_device[0])
		return igt_vmsm_open_device(IGT_VMSM_NODE_PRIMARY, selected_device);
	return open_nodes("card", false, &fd, 1) ? fd : -1;
}

/* As __igt_vmsm_open_driver(), for the first render node. */
int __igt_vmsm_open_driver_render(void)
{
	int fd;

	if (selected_device[0])
		return igt_vmsm_open_device(IGT_VMSM_NODE_RENDER, selected_device);
	return open_nodes("renderD", false, &fd, 1) ? fd : -1;
}

/**
 * igt_vmsm_open_driver() - open the first primary node of vmsm
 *
 * A missing device fails the test (where IGT's drm_open_driver() skips):
 * the test runs where the device must be.
 */
int igt_vmsm_open_driver(void)
{
	int fd = __igt_vmsm_open_driver();

	igt_assert_f(fd >= 0, "no vmsm device in " DRM_DIR "/card*\n");
	return fd;
}

/* As igt_vmsm_open_driver(), for the first render node. */
int igt_vmsm_open_driver_render(void)
{
	int fd = __igt_vmsm_open_driver_render();

	igt_assert_f(fd >= 0, "no vmsm device in " DRM_DIR "/renderD*\n");
	return fd;
}

static int open_all(bool any_driver, unsigned int nodes, int *fds, int max)
{
	int count = 0;

	if (nodes & IGT_VMSM_NODE_PRIMARY)
		count += open_nodes("card", any_driver, fds, max);
	if (nodes & IGT_VMSM_NODE_RENDER)
		count += open_nodes("renderD", any_driver, fds + count,
				    max - count);
	return count;
}

/**
 * igt_vmsm_open_all() - open every node of every vmsm device
 * @nodes: IGT_VMSM_NODE_PRIMARY and/or IGT_VMSM_NODE_RENDER
 * @fds: receives the file descriptors, primary nodes first
 * @max: size of @fds
 *
 * Return: the number of nodes opened, 0 if there are none.
 */
int igt_vmsm_open_all(unsigned int nodes, int *fds, int max)
{
	return open_all(false, nodes, fds, max);
}

/**
 * igt_vmsm_open_render_of() - open the render node of the device behind fd
 * @fd: any DRM node of the device, usually its primary node
 *
 * Return: the render node's file descriptor, or -1 if there is none.
 */
int igt_vmsm_open_render_of(int fd)
{
	char want[PATH_MAX], path[PATH_MAX];
	int fds[16], n, i, found = -1;

	if (igt_vmsm_sysfs_device(fd, want, sizeof(want)))
		return -1;
	n = open_all(true, IGT_VMSM_NODE_RENDER, fds, 16);
	for (i = 0; i < n; i++) {
		if (found < 0 &&
		    !igt_vmsm_sysfs_device(fds[i], path, sizeof(path)) &&
		    !strcmp(path, want))
			found = fds[i];
		else
			close(fds[i]);
	}
	return found;
}

bool igt_vmsm_is_device(int fd)
{
	return driver_matches(fd, false);
}

/* The minor number of a DRM node, or -1. */
int igt_vmsm_minor(int fd)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return -1;
	return minor(st.st_rdev);
}

/* Render nodes have minors 128 to 191. */
bool igt_vmsm_is_render(int fd)
{
	int minor = igt_vmsm_minor(fd);

	return minor >= 128 && minor < 192;
}

/* The path fd was opened with. Return: 0, or -errno. */
int igt_vmsm_node_path(int fd, char *path, size_t len)
{
	char link[64];
	ssize_t ret;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ret = readlink(link, path, len - 1);
	if (ret < 0)
		return -errno;
	path[ret] = '\0';
	return 0;
}

/*
 * The sysfs directory of the device (not the DRM minor) behind fd, with
 * every symlink resolved: two nodes of one device give the same path.
 * Return: 0, or -errno.
 */
int igt_vmsm_sysfs_device(int fd, char *path, size_t len)
{
	char link[64], real[PATH_MAX];
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, real))
		return -errno;
	if (snprintf(path, len, "%s", real) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * igt_vmsm_device_name() - name of the device behind a DRM node
 * @fd: DRM file
 * @name: receives the last component of igt_vmsm_sysfs_device(), the bus
 *	device's name (for a platform device, "vmsm.0" for instance)
 * @len: size of @name
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_device_name(int fd, char *name, size_t len)
{
	char path[PATH_MAX];
	const char *slash;
	int ret;

	ret = igt_vmsm_sysfs_device(fd, path, sizeof(path));
	if (ret)
		return ret;
	slash = strrchr(path, '/');
	if (snprintf(name, len, "%s", slash ? slash + 1 : path) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * igt_vmsm_open_device() - open a node of one particular device
 * @node: IGT_VMSM_NODE_PRIMARY or IGT_VMSM_NODE_RENDER
 * @device: the bus device's name, as igt_vmsm_device_name() gives it
 *
 * Return: the file descriptor, or -1 if the device has no such node.
 */
int igt_vmsm_open_device(unsigned int node, const char *device)
{
	char name[NAME_MAX + 1];
	int fds[16], n, i, found = -1;

	n = igt_vmsm_open_all(node, fds, 16);
	for (i = 0; i < n; i++) {
		if (found < 0 &&
		    !igt_vmsm_device_name(fds[i], name, sizeof(name)) &&
		    !strcmp(name, device))
			found = fds[i];
		else
			close(fds[i]);
	}
	return found;
}

/* Opens the debugfs directory of the DRM minor behind fd; -1 if absent. */
int igt_vmsm_debugfs_dir(int fd)
{
	char path[64];
	int minor = igt_vmsm_minor(fd);

	if (minor < 0)
		return -1;
	snprintf(path, sizeof(path), DEBUGFS_DRI "/%d", minor);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/**
 * igt_vmsm_debugfs_read() - read a debugfs file of a DRM device
 * @fd: DRM file of the device
 * @filename: file in the device's debugfs directory
 * @buf: receives the contents, NUL terminated, truncated to @len - 1
 * @len: size of @buf
 *
 * Return: the number of bytes read, or -errno.
 */
int igt_vmsm_debugfs_read(int fd, const char *filename, char *buf, size_t len)
{
	int dir, file, err;
	ssize_t ret = 0;
	size_t total = 0;

	dir = igt_vmsm_debugfs_dir(fd);
	if (dir < 0)
		return -errno;
	file = openat(dir, filename, O_RDONLY | O_CLOEXEC);
	err = errno;
	close(dir);
	if (file < 0)
		return -err;
	while (total < len - 1) {
		ret = read(file, buf + total, len - 1 - total);
		if (ret <= 0)
			break;
		total += ret;
	}
	err = ret < 0 ? errno : 0;
	close(file);
	buf[total] = '\0';
	return err ? -err : (int)total;
}
