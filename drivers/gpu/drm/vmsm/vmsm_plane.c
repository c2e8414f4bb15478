// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/* STUB: replaced by the display core */
int vmsm_planes_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc) { return 0; }
