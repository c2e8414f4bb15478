/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Binding and unbinding platform devices through the driver core's sysfs
 * files, /sys/bus/platform/drivers/<driver>/{bind,unbind}. Unbinding is how
 * a platform device is hot-unplugged from userspace.
 */
#ifndef IGT_PLATFORM_H
#define IGT_PLATFORM_H

#include <stdbool.h>

int igt_platform_bind(const char *driver, const char *device);
int igt_platform_unbind(const char *driver, const char *device);
bool igt_platform_is_bound(const char *driver, const char *device);
bool igt_platform_device_exists(const char *device);

#endif /* IGT_PLATFORM_H */
