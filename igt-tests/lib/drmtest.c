// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "drmtest.h"

#define DRM_DIR		"/dev/dri"

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

/* The DRIVER_* flag of the driver behind fd; 0 for one IGT does not know. */
static int chipset_of(int fd)
{
	static const struct {
		const char *name;
		int chipset;
	} drivers[] = {
		{ "vgem", DRIVER_VGEM },
		{ "vkms", DRIVER_VKMS },
		{ "virtio_gpu", DRIVER_VIRTIO },
	};
	struct drm_version version = { 0 };
	char name[64] = "";
	unsigned int i;

	version.name = name;
	version.name_len = sizeof(name) - 1;
	if (igt_ioctl(fd, DRM_IOCTL_VERSION, &version))
		return 0;
	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (!strcmp(name, drivers[i].name))
			return drivers[i].chipset;
	/* any other driver counts as one of DRIVER_ANY's */
	return 1;
}

/**
 * __drm_open_driver() - open the first primary node of a driver
 * @chipset: DRIVER_VGEM, or DRIVER_ANY for the first that is not virtual
 *
 * Return: the file descriptor, or -1 if there is no such device.
 */
int __drm_open_driver(int chipset)
{
	struct dirent **entries;
	char path[PATH_MAX];
	int n, i, fd, found = -1;

	n = scandir(DRM_DIR, &entries, NULL, versionsort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *d = entries[i]->d_name;

		if (found < 0 && !strncmp(d, "card", 4) && d[4] >= '0' && d[4] <= '9') {
			snprintf(path, sizeof(path), DRM_DIR "/%s", d);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd >= 0 && (chipset_of(fd) & chipset))
				found = fd;
			else if (fd >= 0)
				close(fd);
		}
		free(entries[i]);
	}
	free(entries);
	return found;
}

/* As __drm_open_driver(); no such device skips the test, as in IGT. */
int drm_open_driver(int chipset)
{
	int fd = __drm_open_driver(chipset);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags %#x\n",
		      (unsigned int)chipset);
	return fd;
}

/* Opens the node behind fd once more, through /proc/self/fd. */
int drm_reopen_driver(int fd)
{
	char path[64];
	int fd2;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = open(path, O_RDWR);
	igt_assert_f(fd2 >= 0, "cannot reopen %s\n", path);
	return fd2;
}

/* Closes fd; warns about and refuses standard or invalid descriptors. */
int drm_close_driver(int fd)
{
	if (fd <= STDERR_FILENO || fcntl(fd, F_GETFD) < 0) {
		igt_warn("Don't attempt to close standard/invalid file descriptor: %d\n",
			 fd);
		return -1;
	}
	return close(fd);
}
