/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <drm/drm_fourcc.h>: the format codes
 * come from libdrm's copy of the uapi header (-I/usr/include/libdrm).
 */
#ifndef __VMSM_SHIM_DRM_DRM_FOURCC_H
#define __VMSM_SHIM_DRM_DRM_FOURCC_H

#include <drm_fourcc.h>

#endif /* __VMSM_SHIM_DRM_DRM_FOURCC_H */
