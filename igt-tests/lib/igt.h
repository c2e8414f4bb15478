/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The header a test includes, as in IGT: the harness's subset of IGT's
 * API (igt_core.h, drmtest.h, igt_aux.h) and the values of libdrm's
 * xf86drm.h and xf86drmMode.h that the tests use (IGT's igt.h brings
 * those headers in; the harness links no libdrm).
 */
#ifndef IGT_H
#define IGT_H

#include "drm.h"
#include "drm_fourcc.h"
#include "drm_mode.h"

#include "drmtest.h"
#include "igt_aux.h"
#include "igt_core.h"

/* libdrm's xf86drmMode.h */
#define DRM_PLANE_TYPE_OVERLAY	0
#define DRM_PLANE_TYPE_PRIMARY	1
#define DRM_PLANE_TYPE_CURSOR	2
#define DRM_MODE_CONNECTED	1
#define DRM_MODE_DISCONNECTED	2

/* libdrm's xf86drm.h */
#define DRM_VBLANK_ABSOLUTE	_DRM_VBLANK_ABSOLUTE
#define DRM_VBLANK_RELATIVE	_DRM_VBLANK_RELATIVE
#define DRM_VBLANK_EVENT	_DRM_VBLANK_EVENT

#ifndef DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP
#define DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP	0x15
#endif

#endif /* IGT_H */
