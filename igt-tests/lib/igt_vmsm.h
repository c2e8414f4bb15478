/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm ioctl wrappers, in the manner of IGT's lib/igt_msm.h.
 */
#ifndef IGT_VMSM_H
#define IGT_VMSM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <drm/vmsm_drm.h>

/* One past the last parameter that DRM_IOCTL_VMSM_GET_PARAM knows. */
#define VMSM_PARAM_END	(VMSM_PARAM_CPU_PAGE_SIZE + 1)

int __vmsm_get_param(int fd, uint32_t param, uint64_t *value);
uint64_t vmsm_get_param(int fd, uint32_t param);
const char *vmsm_param_name(uint32_t param);
int vmsm_debugfs_clients(int fd);

/* Buffer objects, raw ioctls (vmsm_gem, vmsm_submit). */
int __vmsm_gem_new(int fd, uint64_t size, uint32_t flags, uint32_t *handle);
uint32_t vmsm_gem_new(int fd, uint64_t size, uint32_t flags);
int __vmsm_gem_info(int fd, uint32_t handle, uint32_t info, uint64_t *value);
uint64_t vmsm_gem_info(int fd, uint32_t handle, uint32_t info);
void *vmsm_gem_mmap(int fd, uint32_t handle, int prot);
int __vmsm_gem_close(int fd, uint32_t handle);
void vmsm_gem_close(int fd, uint32_t handle);
int vmsm_debugfs_count(int fd, const char *name);
void vmsm_debugfs_set_bool(int fd, const char *name, bool on);

/* Assert that a libvmsm call (0 or a negative errno) succeeded. */
#define lib_ok(expr) \
	do { \
		int __ret = (expr); \
		igt_assert_f(__ret == 0, "%s: %s\n", #expr, strerror(-__ret)); \
	} while (0)

/* Assert that a libvmsm call failed with the errno @err. */
#define lib_err(expr, err) \
	do { \
		int __ret = (expr); \
		igt_assert_f(__ret == -(err), "%s: expected %s, got %d (%s)\n", \
			     #expr, strerror(err), __ret, \
			     __ret ? strerror(-__ret) : "success"); \
	} while (0)

#endif /* IGT_VMSM_H */
