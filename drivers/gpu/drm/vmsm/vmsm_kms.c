// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/* STUB: replaced by the display core */
int vmsm_kms_init(struct vmsm_device *vdev) { return 0; }
void vmsm_kms_fini(struct vmsm_device *vdev) { }
void vmsm_kms_debugfs_init(struct drm_minor *minor) { }
int vmsm_dumb_create(struct drm_file *file, struct drm_device *drm,
		     struct drm_mode_create_dumb *args) { return -EINVAL; }
