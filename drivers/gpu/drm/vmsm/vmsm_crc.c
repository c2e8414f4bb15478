// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/* STUB: replaced by the composer */
const char *const vmsm_crc_sources[] = { "auto", NULL };
int vmsm_crc_set_source(struct drm_crtc *crtc, const char *src_name) { return -EINVAL; }
int vmsm_crc_verify_source(struct drm_crtc *crtc, const char *src_name,
			   size_t *values_cnt) { return -EINVAL; }
const char *const *vmsm_crc_get_sources(struct drm_crtc *crtc, size_t *count)
{ *count = 1; return vmsm_crc_sources; }
