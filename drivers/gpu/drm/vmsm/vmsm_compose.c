// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/* STUB: replaced by the composer */
int vmsm_compose_init(struct vmsm_crtc *vcrtc) { return 0; }
void vmsm_compose_fini(struct vmsm_crtc *vcrtc) { }
void vmsm_compose_vblank(struct vmsm_crtc *vcrtc, u64 frame) { }
void vmsm_compose_flush(struct vmsm_crtc *vcrtc) { }
void vmsm_compose_show(struct seq_file *m, struct vmsm_crtc *vcrtc) { }
