/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace API of vmsm, the virtual msm-style GPU and display driver.
 */
#ifndef _UAPI_VMSM_DRM_H_
#define _UAPI_VMSM_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: vmsm uapi
 *
 * The vmsm uapi is versioned through the DRM driver version returned by
 * DRM_IOCTL_VERSION: the major version only changes on an incompatible
 * break (never, so far), the minor version is bumped by one for every
 * addition. Userspace checks the minor version before using an ioctl or a
 * parameter introduced after 1.0.
 *
 * - 1.0: DRM_IOCTL_VMSM_GET_PARAM.
 *
 * All structures are laid out with explicit padding and naturally aligned
 * 64-bit members, so they are identical for 32-bit and 64-bit userspace.
 * Padding and reserved fields must be zero; a non-zero value is rejected
 * with -EINVAL so that they can be given a meaning later.
 */

/**
 * enum drm_vmsm_param_id - parameters readable with DRM_IOCTL_VMSM_GET_PARAM
 *
 * @VMSM_PARAM_CHIP_ID: identity of the virtual GPU: bits 31..24 core major,
 *	23..16 core minor, 15..0 revision.
 * @VMSM_PARAM_DEVICE_INDEX: index of this vmsm device among the devices the
 *	module drives (0 for the first one).
 * @VMSM_PARAM_VA_START: first GPU virtual address userspace may use.
 * @VMSM_PARAM_VA_SIZE: size in bytes of the userspace GPU virtual address
 *	range starting at @VMSM_PARAM_VA_START.
 * @VMSM_PARAM_VA_BITS: number of GPU virtual address bits the MMU
 *	translates.
 * @VMSM_PARAM_PAGE_SIZES: bitmask of the page sizes the GPU MMU maps
 *	(bit n set: pages of 2^n bytes).
 * @VMSM_PARAM_COHERENT: 1 if the device is cache-coherent with the CPU,
 *	0 if CPU caches must be maintained for it.
 * @VMSM_PARAM_MAX_BO_SIZE: largest object size in bytes the device accepts.
 * @VMSM_PARAM_NR_RINGS: number of hardware rings (priority levels) of the
 *	command processor.
 * @VMSM_PARAM_TIMESTAMP_FREQUENCY: frequency in Hz of the GPU timestamp
 *	counter.
 * @VMSM_PARAM_TIMESTAMP: current value of the GPU timestamp counter.
 */
enum drm_vmsm_param_id {
	VMSM_PARAM_CHIP_ID = 1,
	VMSM_PARAM_DEVICE_INDEX = 2,
	VMSM_PARAM_VA_START = 3,
	VMSM_PARAM_VA_SIZE = 4,
	VMSM_PARAM_VA_BITS = 5,
	VMSM_PARAM_PAGE_SIZES = 6,
	VMSM_PARAM_COHERENT = 7,
	VMSM_PARAM_MAX_BO_SIZE = 8,
	VMSM_PARAM_NR_RINGS = 9,
	VMSM_PARAM_TIMESTAMP_FREQUENCY = 10,
	VMSM_PARAM_TIMESTAMP = 11,
};

/**
 * struct drm_vmsm_get_param - argument of DRM_IOCTL_VMSM_GET_PARAM
 * @param: in, one of &enum drm_vmsm_param_id; anything else is -EINVAL.
 * @pad: in, must be zero.
 * @value: out, the parameter's value.
 */
struct drm_vmsm_get_param {
	__u32 param;
	__u32 pad;
	__u64 value;
};

#define DRM_VMSM_GET_PARAM		0x00

/**
 * DOC: DRM_IOCTL_VMSM_GET_PARAM
 *
 * Reads one device parameter. Allowed on primary and render nodes.
 * Errors: -EINVAL for an unknown @param or non-zero @pad, -EFAULT for a bad
 * argument pointer, -ENODEV once the device is unplugged.
 */
#define DRM_IOCTL_VMSM_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_GET_PARAM, struct drm_vmsm_get_param)

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_VMSM_DRM_H_ */
