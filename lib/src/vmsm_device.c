// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * libvmsm devices: opening, parameters, fence waits.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "vmsm_priv.h"

#define DRM_DIR		"/dev/dri"

int vmsm_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : 0;
}

int64_t vmsm_abs_timeout(int64_t rel_ns)
{
	struct timespec ts;
	int64_t now;

	if (rel_ns < 0 || rel_ns == VMSM_TIMEOUT_INFINITE)
		return INT64_MAX;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	if (rel_ns > INT64_MAX - now)
		return INT64_MAX;
	return now + rel_ns;
}

/* The driver name and version of @fd; -ENODEV if the driver is not vmsm. */
static int check_vmsm(int fd, int *major, int *minor)
{
	char name[16] = "";
	struct drm_version v = {
		.name = name,
		.name_len = sizeof(name) - 1,
	};
	int ret;

	ret = vmsm_ioctl(fd, DRM_IOCTL_VERSION, &v);
	if (ret)
		return ret == -ENOTTY || ret == -EINVAL ? -ENODEV : ret;
	if (v.name_len != strlen("vmsm") || memcmp(name, "vmsm", 4))
		return -ENODEV;
	*major = v.version_major;
	*minor = v.version_minor;
	return 0;
}

/* Takes ownership of @fd: wrapped in the new device, or closed. */
static int device_new(int fd, struct vmsm_device **out)
{
	struct vmsm_device *dev;
	int major, minor, ret;

	ret = check_vmsm(fd, &major, &minor);
	if (ret)
		goto err_close;
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		ret = -ENOMEM;
		goto err_close;
	}
	ret = -pthread_mutex_init(&dev->lock, NULL);
	if (ret) {
		free(dev);
		goto err_close;
	}
	dev->fd = fd;
	dev->refcnt = 1;
	dev->major = major;
	dev->minor = minor;
	*out = dev;
	return 0;

err_close:
	close(fd);
	return ret;
}

int vmsm_device_open_path(const char *path, struct vmsm_device **dev)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return device_new(fd, dev);
}

int vmsm_device_from_fd(int fd, struct vmsm_device **dev)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (dup_fd < 0)
		return -errno;
	return device_new(dup_fd, dev);
}

/* The first vmsm node named prefix<N> of device @index. */
static int open_index(const char *prefix, int index, struct vmsm_device **out)
{
	struct dirent *de;
	DIR *dir;
	int ret = -ENODEV;

	if (index < 0)
		return -EINVAL;
	dir = opendir(DRM_DIR);
	if (!dir)
		return errno == ENOENT ? -ENODEV : -errno;
	while ((de = readdir(dir))) {
		char path[PATH_MAX];
		struct vmsm_device *dev;
		uint64_t value;

		if (strncmp(de->d_name, prefix, strlen(prefix)) ||
		    !strchr("0123456789", de->d_name[strlen(prefix)]) ||
		    !de->d_name[strlen(prefix)])
			continue;
		snprintf(path, sizeof(path), DRM_DIR "/%s", de->d_name);
		if (vmsm_device_open_path(path, &dev))
			continue;
		if (!vmsm_device_param(dev, VMSM_PARAM_DEVICE_INDEX, &value) &&
		    value == (uint64_t)index) {
			*out = dev;
			ret = 0;
			break;
		}
		vmsm_device_close(dev);
	}
	closedir(dir);
	return ret;
}

int vmsm_device_open(int index, struct vmsm_device **dev)
{
	return open_index("card", index, dev);
}

int vmsm_device_open_render(int index, struct vmsm_device **dev)
{
	return open_index("renderD", index, dev);
}

struct vmsm_device *vmsm_device_ref(struct vmsm_device *dev)
{
	pthread_mutex_lock(&dev->lock);
	dev->refcnt++;
	pthread_mutex_unlock(&dev->lock);
	return dev;
}

void vmsm_device_close(struct vmsm_device *dev)
{
	unsigned int left;

	if (!dev)
		return;
	pthread_mutex_lock(&dev->lock);
	left = --dev->refcnt;
	pthread_mutex_unlock(&dev->lock);
	if (left)
		return;
	close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev->bos);
	free(dev);
}

int vmsm_device_fd(const struct vmsm_device *dev)
{
	return dev->fd;
}

void vmsm_device_version(const struct vmsm_device *dev, int *major,
			 int *minor)
{
	if (major)
		*major = dev->major;
	if (minor)
		*minor = dev->minor;
}

int vmsm_device_param(struct vmsm_device *dev, uint32_t param,
		      uint64_t *value)
{
	struct drm_vmsm_get_param args = { .param = param };
	bool cacheable = param > 0 && param < VMSM_PARAM_TIMESTAMP;
	int ret;

	if (cacheable &&
	    (__atomic_load_n(&dev->params_valid, __ATOMIC_ACQUIRE) & (1u << param))) {
		*value = __atomic_load_n(&dev->params[param], __ATOMIC_RELAXED);
		return 0;
	}
	ret = vmsm_ioctl(dev->fd, DRM_IOCTL_VMSM_GET_PARAM, &args);
	if (ret)
		return ret;
	if (cacheable) {
		/* Racing threads store the same value. */
		__atomic_store_n(&dev->params[param], args.value, __ATOMIC_RELAXED);
		__atomic_fetch_or(&dev->params_valid, 1u << param, __ATOMIC_RELEASE);
	}
	*value = args.value;
	return 0;
}

int vmsm_wait_fence(struct vmsm_device *dev, uint32_t queue_id,
		    uint32_t fence, int64_t timeout_ns)
{
	struct drm_vmsm_wait_fence args = {
		.fence = fence,
		.queue_id = queue_id,
		.timeout_ns = vmsm_abs_timeout(timeout_ns),
	};

	return vmsm_ioctl(dev->fd, DRM_IOCTL_VMSM_WAIT_FENCE, &args);
}

int vmsm_submitqueue_new(struct vmsm_device *dev, uint32_t prio, uint32_t *id)
{
	struct drm_vmsm_submitqueue args = { .prio = prio };
	int ret;

	ret = vmsm_ioctl(dev->fd, DRM_IOCTL_VMSM_SUBMITQUEUE_NEW, &args);
	if (!ret)
		*id = args.id;
	return ret;
}

int vmsm_submitqueue_close(struct vmsm_device *dev, uint32_t id)
{
	struct drm_vmsm_submitqueue_close args = { .id = id };

	return vmsm_ioctl(dev->fd, DRM_IOCTL_VMSM_SUBMITQUEUE_CLOSE, &args);
}

int vmsm_submitqueue_faults(struct vmsm_device *dev, uint32_t id,
			    struct drm_vmsm_fault_info *info)
{
	struct drm_vmsm_fault_info result = { 0 };
	struct drm_vmsm_submitqueue_query args = {
		.data = (uintptr_t)&result,
		.id = id,
		.param = VMSM_QUERY_FAULTS,
		.len = sizeof(result),
	};
	int ret;

	ret = vmsm_ioctl(dev->fd, DRM_IOCTL_VMSM_SUBMITQUEUE_QUERY, &args);
	if (!ret)
		*info = result;
	return ret;
}
