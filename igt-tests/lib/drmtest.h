/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The part of IGT's drmtest.h and ioctl_wrappers.h that the tests use,
 * with IGT's signatures and semantics: igt_ioctl(), do_ioctl(),
 * do_ioctl_err(), drm_open_driver() (DRIVER_VGEM and DRIVER_ANY; no device
 * skips, as in IGT), drm_reopen_driver() and drm_close_driver(). Raw
 * ioctls only: libdrm provides the headers, not the library.
 */
#ifndef DRMTEST_H
#define DRMTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "drm.h"
#include "igt_core.h"

#define DRIVER_VGEM	(1 << 2)
#define DRIVER_VKMS	(1 << 9)
#define DRIVER_VIRTIO	(1 << 10)
/* Every driver but the virtual ones, as in IGT. */
#define DRIVER_ANY	~(DRIVER_VGEM | DRIVER_VKMS | DRIVER_VIRTIO)

int igt_ioctl(int fd, unsigned long request, void *arg);

void __do_ioctl(int fd, unsigned long request, void *arg, int err,
		const char *call, const char *file, int line, const char *func);

/* The ioctl must succeed; errno is 0 afterwards. */
#define do_ioctl(fd, request, arg) \
	__do_ioctl(fd, request, arg, 0, \
		   "do_ioctl(" #fd ", " #request ", " #arg ")", \
		   __FILE__, __LINE__, __func__)

/* The ioctl must fail with errno err; errno is 0 afterwards. */
#define do_ioctl_err(fd, request, arg, err) \
	__do_ioctl(fd, request, arg, err, \
		   "do_ioctl_err(" #fd ", " #request ", " #arg ", " #err ")", \
		   __FILE__, __LINE__, __func__)

int __drm_open_driver(int chipset);
int drm_open_driver(int chipset);
int drm_reopen_driver(int fd);
int drm_close_driver(int fd);

#endif /* DRMTEST_H */
