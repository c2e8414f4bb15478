// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <string.h>

#include "igt_drm.h"
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
