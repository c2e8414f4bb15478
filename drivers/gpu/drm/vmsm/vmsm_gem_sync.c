// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: GEM_SYNC
 *
 * DRM_IOCTL_VMSM_GEM_SYNC applies ownership transfers to several ranges of
 * several objects in one call, in three passes: copy in and check every
 * operation (flags, handles, ranges), check that no object a
 * %VMSM_SYNC_TO_CPU operation names is still in conflicting use by the
 * GPU, then apply them in order. Nothing is applied unless every
 * operation passed the first two passes.
 */

#include <linux/dma-resv.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_gem.h>
#include <drm/vmsm_drm.h>

#include "vmsm_drv.h"

static int vmsm_sync_check_op(struct drm_file *file, struct drm_vmsm_gem_sync_op *op,
			      struct drm_gem_object **obj)
{
	u32 rw = VMSM_PREP_READ | VMSM_PREP_WRITE;

	if (op->pad)
		return -EINVAL;
	if (op->op == VMSM_SYNC_TO_CPU) {
		if (!op->access || (op->access & ~rw))
			return -EINVAL;
	} else if (op->op != VMSM_SYNC_TO_DEVICE || op->access) {
		return -EINVAL;
	}
	*obj = drm_gem_object_lookup(file, op->handle);
	if (!*obj)
		return -ENOENT;
	return vmsm_coherency_range(to_vmsm_bo(*obj), &op->offset, &op->size);
}

static bool vmsm_sync_idle(struct drm_gem_object *obj, const struct drm_vmsm_gem_sync_op *op)
{
	if (op->op != VMSM_SYNC_TO_CPU)
		return true;
	return dma_resv_test_signaled(obj->resv,
				      dma_resv_usage_rw(op->access & VMSM_PREP_WRITE));
}

static int vmsm_sync_apply(struct drm_gem_object *obj, const struct drm_vmsm_gem_sync_op *op)
{
	struct vmsm_bo *bo = to_vmsm_bo(obj);

	if (op->op == VMSM_SYNC_TO_CPU)
		return vmsm_coherency_cpu_begin(bo, op->offset, op->size, op->access);
	return vmsm_coherency_cpu_end(bo, op->offset, op->size);
}

/**
 * vmsm_ioctl_gem_sync() - DRM_IOCTL_VMSM_GEM_SYNC handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_gem_sync
 * @file: the DRM file the handles belong to
 *
 * Return: 0, -EINVAL for bad flags, counts, operations or ranges, -ENOENT
 * for a bad handle, -EFAULT, -ENOMEM, -EBUSY if the GPU still uses an
 * object a %VMSM_SYNC_TO_CPU operation names.
 */
int vmsm_ioctl_gem_sync(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_vmsm_gem_sync *args = data;
	struct drm_vmsm_gem_sync_op *ops;
	struct drm_gem_object **objs;
	u32 i, n = 0;
	int ret = 0;

	if (args->flags || args->nr_ops > VMSM_SYNC_MAX_OPS)
		return -EINVAL;
	if (!args->nr_ops)
		return 0;

	ops = vmemdup_array_user(u64_to_user_ptr(args->ops), args->nr_ops, sizeof(*ops));
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	objs = kvcalloc(args->nr_ops, sizeof(*objs), GFP_KERNEL);
	if (!objs) {
		ret = -ENOMEM;
		goto out;
	}

	for (n = 0; !ret && n < args->nr_ops; n++)
		ret = vmsm_sync_check_op(file, &ops[n], &objs[n]);
	for (i = 0; !ret && i < args->nr_ops; i++)
		if (!vmsm_sync_idle(objs[i], &ops[i]))
			ret = -EBUSY;
	for (i = 0; !ret && i < args->nr_ops; i++)
		ret = vmsm_sync_apply(objs[i], &ops[i]);

	for (i = 0; i < n; i++)
		if (objs[i])
			drm_gem_object_put(objs[i]);
	kvfree(objs);
out:
	kvfree(ops);
	return ret;
}
