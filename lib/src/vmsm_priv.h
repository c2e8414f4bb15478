/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * libvmsm internals shared by the source files; not installed.
 */
#ifndef VMSM_PRIV_H
#define VMSM_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include "libvmsm.h"

/*
 * struct vmsm_device - an open vmsm DRM file
 * @fd: the file, owned
 * @refcnt: references (the caller's, one per object); changed under @lock
 * @major, @minor: DRM_IOCTL_VERSION of the driver
 * @lock: protects @refcnt, the handle table and the reference counts of
 *	its objects. A GEM handle is closed under it too, so that a
 *	concurrent import never sees a handle number in the kernel that the
 *	table is about to drop.
 * @bos: table of the live objects, for handle lookups (import)
 * @nr_bos, @cap_bos: its use and size
 * @params: cache of the constant GET_PARAM values
 * @params_valid: bit n set: @params[n] is valid (atomic)
 */
struct vmsm_device {
	int fd;
	unsigned int refcnt;
	int major, minor;
	pthread_mutex_t lock;
	struct vmsm_bo **bos;
	size_t nr_bos, cap_bos;
	uint64_t params[VMSM_PARAM_TIMESTAMP + 1];
	uint32_t params_valid;
};

/*
 * struct vmsm_bo - one buffer object
 * @dev: its device, referenced
 * @handle: GEM handle in @dev's file, owned
 * @flags: VMSM_BO_*
 * @size: bytes
 * @refcnt: references; changed under @dev->lock
 * @map: CPU mapping or NULL (set once, atomically)
 * @iova: GPU address or 0 (set once, atomically)
 */
struct vmsm_bo {
	struct vmsm_device *dev;
	uint32_t handle;
	uint32_t flags;
	uint64_t size;
	unsigned int refcnt;
	void *map;
	uint64_t iova;
};

int vmsm_ioctl(int fd, unsigned long request, void *arg);
int64_t vmsm_abs_timeout(int64_t rel_ns);
void vmsm_bo_set_iova(struct vmsm_bo *bo, uint64_t iova);

#endif /* VMSM_PRIV_H */
