// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: device parameters
 *
 * Everything userspace may ask of a vmsm device before using it is
 * collected in one &struct vmsm_caps, filled at probe time and answered by
 * DRM_IOCTL_VMSM_GET_PARAM. The lookup is pure logic (no locks, no
 * allocation, no device access): the current timestamp is handed in by the
 * caller. It is built unchanged into the userspace unit tests.
 */

#include <linux/errno.h>
#include <linux/export.h>

#include <kunit/visibility.h>

#include <drm/vmsm_drm.h>

#include "vmsm_params.h"

/**
 * vmsm_caps_init() - fill in the capabilities of a vmsm device
 * @caps: capabilities to fill in
 * @index: index of the device among those the module drives
 * @coherent: whether the device is cache-coherent with the CPU
 */
void vmsm_caps_init(struct vmsm_caps *caps, u32 index, bool coherent)
{
	*caps = (struct vmsm_caps) {
		.chip_id = VMSM_CHIP_ID,
		.index = index,
		.coherent = coherent,
		.va_start = VMSM_USER_VA_START,
		.va_size = VMSM_KERNEL_VA_START - VMSM_USER_VA_START,
		.va_bits = VMSM_PT_VA_BITS,
		.page_sizes = VMSM_PT_GRANULE | VMSM_PT_BLOCK_SIZE,
		.max_bo_size = VMSM_MAX_BO_SIZE,
		.nr_rings = VMSM_NR_RINGS,
		.timestamp_freq = VMSM_TIMESTAMP_FREQUENCY,
	};
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_caps_init);

/**
 * vmsm_caps_get_param() - look up one GET_PARAM value
 * @caps: capabilities of the device
 * @param: a value of &enum drm_vmsm_param_id
 * @now: current GPU timestamp, returned for %VMSM_PARAM_TIMESTAMP
 * @value: where to store the value
 *
 * Return: 0 on success, -EINVAL for an unknown @param (@value untouched).
 */
int vmsm_caps_get_param(const struct vmsm_caps *caps, u32 param, u64 now,
			u64 *value)
{
	switch (param) {
	case VMSM_PARAM_CHIP_ID:
		*value = caps->chip_id;
		break;
	case VMSM_PARAM_DEVICE_INDEX:
		*value = caps->index;
		break;
	case VMSM_PARAM_VA_START:
		*value = caps->va_start;
		break;
	case VMSM_PARAM_VA_SIZE:
		*value = caps->va_size;
		break;
	case VMSM_PARAM_VA_BITS:
		*value = caps->va_bits;
		break;
	case VMSM_PARAM_PAGE_SIZES:
		*value = caps->page_sizes;
		break;
	case VMSM_PARAM_COHERENT:
		*value = caps->coherent;
		break;
	case VMSM_PARAM_MAX_BO_SIZE:
		*value = caps->max_bo_size;
		break;
	case VMSM_PARAM_NR_RINGS:
		*value = caps->nr_rings;
		break;
	case VMSM_PARAM_TIMESTAMP_FREQUENCY:
		*value = caps->timestamp_freq;
		break;
	case VMSM_PARAM_TIMESTAMP:
		*value = now;
		break;
	case VMSM_PARAM_CPU_PAGE_SIZE:
		*value = caps->cpu_page_size;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_caps_get_param);
