/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_DRV_H__
#define __VMSM_DRV_H__

#include <linux/atomic.h>
#include <linux/platform_device.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>

#include "vmsm_params.h"

#define VMSM_DRIVER_NAME	"vmsm"
#define VMSM_DRIVER_DESC	"Virtual msm-style GPU and display"

/* Self-registered devices the module can create (module parameter). */
#define VMSM_MAX_DEVICES	8

/**
 * struct vmsm_platform_data - configuration of a self-registered device
 * @coherent: the device is cache-coherent with the CPU
 *
 * Devices described by the device tree take the same settings from their
 * node (``dma-coherent``) instead.
 */
struct vmsm_platform_data {
	bool coherent;
};

/**
 * struct vmsm_device - one vmsm GPU and display instance
 * @drm: the DRM device, embedded
 * @pdev: the platform device it was probed from
 * @caps: what GET_PARAM reports; written once at probe, read-only after
 * @index: device index, allocated from a module-wide IDA
 * @nr_clients: number of open DRM files, for debugfs and leak checks
 *
 * No lock is needed yet: @caps is immutable after probe and @nr_clients is
 * atomic.
 */
struct vmsm_device {
	struct drm_device drm;
	struct platform_device *pdev;
	struct vmsm_caps caps;
	int index;
	atomic_t nr_clients;
};

/**
 * struct vmsm_file_priv - per open file state
 * @vdev: the device the file belongs to
 */
struct vmsm_file_priv {
	struct vmsm_device *vdev;
};

static inline struct vmsm_device *to_vmsm_device(struct drm_device *drm)
{
	return container_of(drm, struct vmsm_device, drm);
}

int vmsm_ioctl_get_param(struct drm_device *drm, void *data,
			 struct drm_file *file);
void vmsm_debugfs_init(struct drm_minor *minor);

#endif /* __VMSM_DRV_H__ */
