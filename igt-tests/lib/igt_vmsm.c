// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

static const char *const param_names[VMSM_PARAM_END] = {
	[VMSM_PARAM_CHIP_ID] = "CHIP_ID",
	[VMSM_PARAM_DEVICE_INDEX] = "DEVICE_INDEX",
	[VMSM_PARAM_VA_START] = "VA_START",
	[VMSM_PARAM_VA_SIZE] = "VA_SIZE",
	[VMSM_PARAM_VA_BITS] = "VA_BITS",
	[VMSM_PARAM_PAGE_SIZES] = "PAGE_SIZES",
	[VMSM_PARAM_COHERENT] = "COHERENT",
	[VMSM_PARAM_MAX_BO_SIZE] = "MAX_BO_SIZE",
	[VMSM_PARAM_NR_RINGS] = "NR_RINGS",
	[VMSM_PARAM_TIMESTAMP_FREQUENCY] = "TIMESTAMP_FREQUENCY",
	[VMSM_PARAM_TIMESTAMP] = "TIMESTAMP",
	[VMSM_PARAM_CPU_PAGE_SIZE] = "CPU_PAGE_SIZE",
};

const char *vmsm_param_name(uint32_t param)
{
	if (param < VMSM_PARAM_END && param_names[param])
		return param_names[param];
	return "unknown";
}

/**
 * __vmsm_get_param() - DRM_IOCTL_VMSM_GET_PARAM
 * @fd: vmsm DRM file
 * @param: a value of enum drm_vmsm_param_id
 * @value: receives the value on success
 *
 * Return: 0, or -errno.
 */
int __vmsm_get_param(int fd, uint32_t param, uint64_t *value)
{
	struct drm_vmsm_get_param args = { .param = param };

	if (igt_ioctl(fd, DRM_IOCTL_VMSM_GET_PARAM, &args))
		return -errno;
	*value = args.value;
	return 0;
}

/* As __vmsm_get_param(), failing the test on an error. */
uint64_t vmsm_get_param(int fd, uint32_t param)
{
	uint64_t value = 0;
	int ret = __vmsm_get_param(fd, param, &value);

	igt_assert_f(ret == 0, "GET_PARAM %s (%u): %s\n",
		     vmsm_param_name(param), param, strerror(-ret));
	return value;
}

/**
 * vmsm_debugfs_clients() - the open file count of a vmsm device
 * @fd: DRM file of the device
 *
 * Reads the "clients N" line of /sys/kernel/debug/dri/<minor>/vmsm_objects.
 *
 * Return: N, or -1 when the file or the line is missing.
 */
int vmsm_debugfs_clients(int fd)
{
	char buf[512];
	const char *line;
	int clients;

	if (igt_vmsm_debugfs_read(fd, "vmsm_objects", buf, sizeof(buf)) <= 0)
		return -1;
	line = strstr(buf, "clients ");
	if (!line || sscanf(line, "clients %d", &clients) != 1)
		return -1;
	return clients;
}

/**
 * __vmsm_gem_new() - DRM_IOCTL_VMSM_GEM_NEW
 * @fd: vmsm DRM file
 * @size: bytes
 * @flags: VMSM_BO_*
 * @handle: receives the handle on success
 *
 * Return: 0, or -errno.
 */
int __vmsm_gem_new(int fd, uint64_t size, uint32_t flags, uint32_t *handle)
{
	struct drm_vmsm_gem_new args = { .size = size, .flags = flags };

	if (igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_NEW, &args))
		return -errno;
	*handle = args.handle;
	return 0;
}

/* As __vmsm_gem_new(), failing the test on an error. */
uint32_t vmsm_gem_new(int fd, uint64_t size, uint32_t flags)
{
	uint32_t handle = 0;
	int ret = __vmsm_gem_new(fd, size, flags, &handle);

	igt_assert_f(ret == 0, "GEM_NEW size %#llx flags %#x: %s\n",
		     (unsigned long long)size, flags, strerror(-ret));
	return handle;
}

/**
 * __vmsm_gem_info() - DRM_IOCTL_VMSM_GEM_INFO for the queries without a
 *	buffer (all but SET_NAME and GET_NAME)
 * @fd: vmsm DRM file
 * @handle: object
 * @info: enum drm_vmsm_gem_info_query
 * @value: receives the value on success
 *
 * Return: 0, or -errno.
 */
int __vmsm_gem_info(int fd, uint32_t handle, uint32_t info, uint64_t *value)
{
	struct drm_vmsm_gem_info args = { .handle = handle, .info = info };

	if (igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &args))
		return -errno;
	*value = args.value;
	return 0;
}

/* As __vmsm_gem_info(), failing the test on an error. */
uint64_t vmsm_gem_info(int fd, uint32_t handle, uint32_t info)
{
	uint64_t value = 0;
	int ret = __vmsm_gem_info(fd, handle, info, &value);

	igt_assert_f(ret == 0, "GEM_INFO handle %u query %u: %s\n", handle,
		     info, strerror(-ret));
	return value;
}

/* DRM_IOCTL_GEM_CLOSE; returns 0 or -errno. */
int __vmsm_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args) ? -errno : 0;
}

/* As __vmsm_gem_close(), failing the test on an error. */
void vmsm_gem_close(int fd, uint32_t handle)
{
	int ret = __vmsm_gem_close(fd, handle);

	igt_assert_f(ret == 0, "GEM_CLOSE handle %u: %s\n", handle,
		     strerror(-ret));
}

/**
 * vmsm_debugfs_count() - one count of a vmsm device's vmsm_objects file
 * @fd: DRM file of the device
 * @name: the count, as the first word of its line ("clients", "objects")
 *
 * Return: the count, or -1 when the file or the line is missing.
 */
int vmsm_debugfs_count(int fd, const char *name)
{
	char buf[4096];
	const char *line;
	size_t len = strlen(name);
	int count;

	if (igt_vmsm_debugfs_read(fd, "vmsm_objects", buf, sizeof(buf)) <= 0)
		return -1;
	for (line = buf; *line; line++) {
		if (!strncmp(line, name, len) && line[len] == ' ' &&
		    sscanf(line + len, " %d", &count) == 1)
			return count;
		line = strchr(line, '\n');
		if (!line)
			break;
	}
	return -1;
}

/**
 * vmsm_debugfs_coherency() - one counter of a vmsm device's vmsm_coherency file
 * @fd: DRM file of the device
 * @name: the counter, as the first word of its line ("violations")
 *
 * Fails the subtest if the file or the line is missing.
 *
 * Return: the counter.
 */
int64_t vmsm_debugfs_coherency(int fd, const char *name)
{
	static char buf[16384];
	size_t len = strlen(name);
	const char *line;
	long long v;

	igt_assert_f(igt_vmsm_debugfs_read(fd, "vmsm_coherency", buf, sizeof(buf)) > 0,
		     "no vmsm_coherency in debugfs\n");
	for (line = buf; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, name, len) && line[len] == ' ' &&
		    sscanf(line + len, " %lld", &v) == 1)
			return v;
	}
	igt_assert_f(false, "no %s in vmsm_coherency:\n%s", name, buf);
	return -1;
}

/**
 * vmsm_debugfs_set_bool() - set a boolean debugfs file of a vmsm device
 * @fd: DRM file of the device
 * @name: the file, e.g. "vmsm_coherency_check"
 * @on: the value
 *
 * Fails the subtest if the file cannot be written.
 */
void vmsm_debugfs_set_bool(int fd, const char *name, bool on)
{
	int dir = igt_vmsm_debugfs_dir(fd), k;

	igt_assert(dir >= 0);
	k = openat(dir, name, O_WRONLY | O_CLOEXEC);
	igt_assert_f(k >= 0, "%s: %s\n", name, strerror(errno));
	igt_assert_eq(write(k, on ? "Y\n" : "N\n", 2), 2);
	close(k);
	close(dir);
}

/**
 * vmsm_gem_mmap() - map a whole object through its fake mmap offset
 * @fd: DRM file holding @handle
 * @handle: the object
 * @prot: PROT_* of the mapping
 *
 * The mapping must work; unmap it with munmap() and the object's size.
 *
 * Return: the mapping.
 */
void *vmsm_gem_mmap(int fd, uint32_t handle, int prot)
{
	uint64_t off = vmsm_gem_info(fd, handle, VMSM_INFO_GET_MMAP_OFFSET);
	uint64_t size = vmsm_gem_info(fd, handle, VMSM_INFO_GET_SIZE);
	void *p = mmap(NULL, size, prot, MAP_SHARED, fd, off);

	igt_assert_f(p != MAP_FAILED, "mmap of object %u: %s\n", handle,
		     strerror(errno));
	return p;
}
