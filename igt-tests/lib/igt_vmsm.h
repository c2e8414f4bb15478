/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm ioctl wrappers, in the manner of IGT's lib/igt_msm.h.
 */
#ifndef IGT_VMSM_H
#define IGT_VMSM_H

#include <stdint.h>

#include <drm/vmsm_drm.h>

/* One past the last parameter that DRM_IOCTL_VMSM_GET_PARAM knows. */
#define VMSM_PARAM_END	(VMSM_PARAM_TIMESTAMP + 1)

int __vmsm_get_param(int fd, uint32_t param, uint64_t *value);
uint64_t vmsm_get_param(int fd, uint32_t param);
const char *vmsm_param_name(uint32_t param);

#endif /* IGT_VMSM_H */
