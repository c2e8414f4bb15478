/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * DRM device helpers with the names of IGT's drmtest.h and ioctl_wrappers.h.
 * Raw ioctls only: libdrm provides the headers, not the library.
 */
#ifndef IGT_DRM_H
#define IGT_DRM_H

#include <stdbool.h>
#include <stddef.h>

#include "drm.h"
#include "igt_core.h"

#define DRIVER_VMSM	(1 << 0)
#define DRIVER_VGEM	(1 << 1)
#define DRIVER_ANY	(~0)

/* Nodes drm_open_driver_all() may return. */
#define DRM_NODE_PRIMARY	(1 << 0)
#define DRM_NODE_RENDER		(1 << 1)

int igt_ioctl(int fd, unsigned long request, void *arg);

void __do_ioctl(int fd, unsigned long request, void *arg, int err,
		const char *call, const char *file, int line, const char *func);

/* The ioctl must succeed. */
#define do_ioctl(fd, request, arg) \
	__do_ioctl(fd, request, arg, 0, \
		   "do_ioctl(" #fd ", " #request ", " #arg ")", \
		   __FILE__, __LINE__, __func__)

/* The ioctl must fail with errno err. */
#define do_ioctl_err(fd, request, arg, err) \
	__do_ioctl(fd, request, arg, err, \
		   "do_ioctl_err(" #fd ", " #request ", " #arg ", " #err ")", \
		   __FILE__, __LINE__, __func__)

void igt_drm_select_device(const char *device);
int __drm_open_driver(int chipset);
int __drm_open_driver_render(int chipset);
int drm_open_driver(int chipset);
int drm_open_driver_render(int chipset);
int drm_open_driver_all(int chipset, unsigned int nodes, int *fds, int max);
int drm_open_render_of(int fd);
int drm_reopen_driver(int fd);
int drm_close_driver(int fd);

bool is_vmsm_device(int fd);
int drm_get_version(int fd, struct drm_version *version, char *name,
		    size_t name_len);

bool igt_drm_is_render(int fd);
int igt_drm_minor(int fd);
int igt_drm_node_path(int fd, char *path, size_t len);
int igt_drm_sysfs_device(int fd, char *path, size_t len);
int igt_drm_device_name(int fd, char *name, size_t len);
int igt_drm_open_device(int chipset, unsigned int node, const char *device);

int igt_debugfs_dir(int fd);
int igt_debugfs_read(int fd, const char *filename, char *buf, size_t len);

#endif /* IGT_DRM_H */
