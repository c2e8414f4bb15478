// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/* STUB: replaced by the composer */
int vmsm_writeback_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc) { return 0; }
void vmsm_writeback_done(struct vmsm_crtc *vcrtc, const u32 *frame,
			 unsigned int width, unsigned int height) { }
