// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Finding and opening DRM devices by driver name, and their sysfs and
 * debugfs directories.
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

#include "igt_drm.h"

#define DRM_DIR		"/dev/dri"
#define DEBUGFS_DRI	"/sys/kernel/debug/dri"

int igt_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

/*
 * Backs do_ioctl() (err 0: must succeed) and do_ioctl_err() (must fail
 * with errno err); call is the macro call as written, for the message.
 */
void __do_ioctl(int fd, unsigned long request, void *arg, int err,
		const char *call, const char *file, int line, const char *func)
{
	int ret = igt_ioctl(fd, request, arg);
	int got = ret ? errno : 0;

	if (!err && ret)
		__igt_fail_assert(file, line, func, call,
				  "ioctl failed: %s\n", strerror(got));
	if (err && (ret != -1 || got != err))
		__igt_fail_assert(file, line, func, call,
				  "expected errno %d (%s), got %d (%s)\n", err,
				  strerror(err), got, got ? strerror(got) : "success");
	errno = 0;
}

/**
 * drm_get_version() - DRM_IOCTL_VERSION
 * @fd: DRM file
 * @version: filled in; its name points at @name, date and desc are not read
 * @name: receives the driver name, NUL terminated
 * @name_len: size of @name
 *
 * Return: 0, or -errno.
 */
int drm_get_version(int fd, struct drm_version *version, char *name,
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

static const char *chipset_name(int chipset)
{
	return chipset == DRIVER_VMSM ? "vmsm" : chipset == DRIVER_VGEM ? "vgem" : "DRM";
}

static bool chipset_matches(int fd, int chipset)
{
	struct drm_version version;
	char name[64];

	if (drm_get_version(fd, &version, name, sizeof(name)))
		return false;
	if (chipset == DRIVER_ANY)
		return true;
	return ((chipset & DRIVER_VMSM) && !strcmp(name, "vmsm")) ||
	       ((chipset & DRIVER_VGEM) && !strcmp(name, "vgem"));
}

static bool node_name_is(const char *name, const char *prefix)
{
	size_t len = strlen(prefix);

	return !strncmp(name, prefix, len) && name[len] >= '0' &&
	       name[len] <= '9';
}

/* Opens up to max nodes /dev/dri/<prefix>N of chipset, in order of N. */
static int open_nodes(const char *prefix, int chipset, int *fds, int max)
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
			if (fd >= 0 && chipset_matches(fd, chipset))
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
 * igt_drm_select_device() - the device __drm_open_driver() and the like open
 * @device: a bus device's name, as igt_drm_device_name() gives it, or NULL
 *	for the first device of the driver again (the default)
 *
 * For a test that runs its usual code on one device of several, the
 * coherent one, say.
 */
void igt_drm_select_device(const char *device)
{
	snprintf(selected_device, sizeof(selected_device), "%s", device ? device : "");
}

/**
 * __drm_open_driver() - open the first primary node of a driver
 * @chipset: DRIVER_VMSM or DRIVER_ANY
 *
 * The node of the device igt_drm_select_device() selected, if it did.
 *
 * Return: the file descriptor, or -1 if there is no such device.
 */
int __drm_open_driver(int chipset)
{
	int fd;

	if (selected_device[0])
		return igt_drm_open_device(chipset, DRM_NODE_PRIMARY, selected_device);
	return open_nodes("card", chipset, &fd, 1) ? fd : -1;
}

/* As __drm_open_driver(), for the first render node. */
int __drm_open_driver_render(int chipset)
{
	int fd;

	if (selected_device[0])
		return igt_drm_open_device(chipset, DRM_NODE_RENDER, selected_device);
	return open_nodes("renderD", chipset, &fd, 1) ? fd : -1;
}

/**
 * drm_open_driver() - open the first primary node of a driver
 * @chipset: DRIVER_VMSM or DRIVER_ANY
 *
 * A missing device fails the test: the test runs where the device must be.
 */
int drm_open_driver(int chipset)
{
	int fd = __drm_open_driver(chipset);

	igt_assert_f(fd >= 0, "no %s device in " DRM_DIR "/card*\n",
		     chipset_name(chipset));
	return fd;
}

/* As drm_open_driver(), for the first render node. */
int drm_open_driver_render(int chipset)
{
	int fd = __drm_open_driver_render(chipset);

	igt_assert_f(fd >= 0, "no %s device in " DRM_DIR "/renderD*\n",
		     chipset_name(chipset));
	return fd;
}

/**
 * drm_open_driver_all() - open every node of a driver
 * @chipset: DRIVER_VMSM or DRIVER_ANY
 * @nodes: DRM_NODE_PRIMARY and/or DRM_NODE_RENDER
 * @fds: receives the file descriptors, primary nodes first
 * @max: size of @fds
 *
 * Return: the number of nodes opened, 0 if there are none.
 */
int drm_open_driver_all(int chipset, unsigned int nodes, int *fds, int max)
{
	int count = 0;

	if (nodes & DRM_NODE_PRIMARY)
		count += open_nodes("card", chipset, fds, max);
	if (nodes & DRM_NODE_RENDER)
		count += open_nodes("renderD", chipset, fds + count,
				    max - count);
	return count;
}

/**
 * drm_open_render_of() - open the render node of the device behind fd
 * @fd: any DRM node of the device, usually its primary node
 *
 * Return: the render node's file descriptor, or -1 if there is none.
 */
int drm_open_render_of(int fd)
{
	char want[PATH_MAX], path[PATH_MAX];
	int fds[16], n, i, found = -1;

	if (igt_drm_sysfs_device(fd, want, sizeof(want)))
		return -1;
	n = drm_open_driver_all(DRIVER_ANY, DRM_NODE_RENDER, fds, 16);
	for (i = 0; i < n; i++) {
		if (found < 0 &&
		    !igt_drm_sysfs_device(fds[i], path, sizeof(path)) &&
		    !strcmp(path, want))
			found = fds[i];
		else
			close(fds[i]);
	}
	return found;
}

/* Opens the node behind fd once more. */
int drm_reopen_driver(int fd)
{
	char path[PATH_MAX];
	int fd2;

	igt_assert_eq(igt_drm_node_path(fd, path, sizeof(path)), 0);
	fd2 = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(fd2 >= 0, "cannot reopen %s\n", path);
	return fd2;
}

int drm_close_driver(int fd)
{
	return close(fd);
}

bool is_vmsm_device(int fd)
{
	return chipset_matches(fd, DRIVER_VMSM);
}

/* The minor number of a DRM node, or -1. */
int igt_drm_minor(int fd)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return -1;
	return minor(st.st_rdev);
}

/* Render nodes have minors 128 to 191. */
bool igt_drm_is_render(int fd)
{
	int minor = igt_drm_minor(fd);

	return minor >= 128 && minor < 192;
}

/* The path fd was opened with. Return: 0, or -errno. */
int igt_drm_node_path(int fd, char *path, size_t len)
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
int igt_drm_sysfs_device(int fd, char *path, size_t len)
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
 * igt_drm_device_name() - name of the device behind a DRM node
 * @fd: DRM file
 * @name: receives the last component of igt_drm_sysfs_device(), the bus
 *	device's name (for a platform device, "vmsm.0" for instance)
 * @len: size of @name
 *
 * Return: 0, or -errno.
 */
int igt_drm_device_name(int fd, char *name, size_t len)
{
	char path[PATH_MAX];
	const char *slash;
	int ret;

	ret = igt_drm_sysfs_device(fd, path, sizeof(path));
	if (ret)
		return ret;
	slash = strrchr(path, '/');
	if (snprintf(name, len, "%s", slash ? slash + 1 : path) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * igt_drm_open_device() - open a node of one particular device
 * @chipset: DRIVER_VMSM or DRIVER_ANY
 * @node: DRM_NODE_PRIMARY or DRM_NODE_RENDER
 * @device: the bus device's name, as igt_drm_device_name() gives it
 *
 * Return: the file descriptor, or -1 if the device has no such node.
 */
int igt_drm_open_device(int chipset, unsigned int node, const char *device)
{
	char name[NAME_MAX + 1];
	int fds[16], n, i, found = -1;

	n = drm_open_driver_all(chipset, node, fds, 16);
	for (i = 0; i < n; i++) {
		if (found < 0 &&
		    !igt_drm_device_name(fds[i], name, sizeof(name)) &&
		    !strcmp(name, device))
			found = fds[i];
		else
			close(fds[i]);
	}
	return found;
}

/* Opens the debugfs directory of the DRM minor behind fd; -1 if absent. */
int igt_debugfs_dir(int fd)
{
	char path[64];
	int minor = igt_drm_minor(fd);

	if (minor < 0)
		return -1;
	snprintf(path, sizeof(path), DEBUGFS_DRI "/%d", minor);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/**
 * igt_debugfs_read() - read a debugfs file of a DRM device
 * @fd: DRM file of the device
 * @filename: file in the device's debugfs directory
 * @buf: receives the contents, NUL terminated, truncated to @len - 1
 * @len: size of @buf
 *
 * Return: the number of bytes read, or -errno.
 */
int igt_debugfs_read(int fd, const char *filename, char *buf, size_t len)
{
	int dir, file, err;
	ssize_t ret = 0;
	size_t total = 0;

	dir = igt_debugfs_dir(fd);
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
