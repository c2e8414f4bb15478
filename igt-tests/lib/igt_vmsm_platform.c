// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define PLATFORM_BUS	"/sys/bus/platform"

static int driver_write(const char *driver, const char *file,
			const char *device)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PLATFORM_BUS "/drivers/%s/%s", driver,
		 file);
	return igt_vmsm_write_file(path, device);
}

/**
 * igt_vmsm_platform_bind() - bind a platform device to a driver
 * @driver: the platform driver's name
 * @device: the platform device's name, such as "vmsm.0"
 *
 * Probes synchronously: on return the device is bound or the probe failed.
 *
 * Return: 0, or -errno (-ENODEV: no such device, or already bound; the
 * probe's error when it fails).
 */
int igt_vmsm_platform_bind(const char *driver, const char *device)
{
	return driver_write(driver, "bind", device);
}

/* Unbinds device from driver. Return: 0, or -errno (-ENODEV: not bound). */
int igt_vmsm_platform_unbind(const char *driver, const char *device)
{
	return driver_write(driver, "unbind", device);
}

bool igt_vmsm_platform_is_bound(const char *driver, const char *device)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PLATFORM_BUS "/drivers/%s/%s", driver,
		 device);
	return access(path, F_OK) == 0;
}

bool igt_vmsm_platform_device_exists(const char *device)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PLATFORM_BUS "/devices/%s", device);
	return access(path, F_OK) == 0;
}
