// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: shrinker
 *
 * Userspace marks objects whose contents it can recreate with
 * DRM_IOCTL_VMSM_GEM_MADVISE(%VMSM_MADV_DONTNEED). Under memory pressure
 * the shrinker purges such objects when they are idle (no unsignalled
 * fence), not CPU-mapped and not exported: it unmaps them from every GPU
 * address space, waits until the GPU core can no longer reach them, and
 * gives their pages back (drm_gem_shmem_purge()).
 *
 * Scan runs in reclaim, which may have been entered under any of the
 * driver's locks (&vmsm_device.mm_lock is held across GFP_KERNEL
 * allocations), so it only trylocks: mm_lock and the reservations of the
 * objects it purges. The one thing it waits for is the end of the GPU
 * core's memory accesses in flight (an SRCU grace period, see "GPU address
 * spaces"): an access covers at most two 4 KiB granules, and a job, which
 * ends its read-side critical section after each, allocates nothing, so
 * reclaim never waits for a job, a fence or an allocation. Lockdep is
 * told so when the device is created (an SRCU synchronization inside a
 * reclaim section), and make check purges objects in direct reclaim while
 * jobs run in a small guest of the checking kernel (vmsm_reclaim).
 */

#include <linux/dma-resv.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>

#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/vmsm_drm.h>

#include "vmsm_drv.h"

#define VMSM_SHRINK_BATCH	32

static bool vmsm_bo_purgeable(struct vmsm_bo *bo)
{
	struct drm_gem_shmem_object *shmem = &bo->base;

	/* Mapped with VM_BIND: the mappings hold the pages. */
	if (!list_empty(&shmem->base.gpuva.list))
		return false;
	return drm_gem_shmem_is_purgeable(shmem) && shmem->pages_use_count == 1 &&
	       dma_resv_test_signaled(shmem->base.resv, DMA_RESV_USAGE_BOOKKEEP);
}

static unsigned long vmsm_shrinker_count(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	struct vmsm_device *vdev = shrinker->private_data;
	unsigned long pages = 0;
	struct vmsm_bo *bo;

	if (!mutex_trylock(&vdev->mm_lock))
		return 0;
	list_for_each_entry(bo, &vdev->bos, link)
		if (READ_ONCE(bo->base.madv) > 0 && bo->base.sgt)
			pages += bo->base.base.size >> PAGE_SHIFT;
	mutex_unlock(&vdev->mm_lock);
	return pages ?: SHRINK_EMPTY;
}

/*
 * Under mm_lock: pick idle DONTNEED objects, lock them and unmap them,
 * until they hold the @nr_to_scan pages reclaim asked for. An
 * object in the list cannot be freed while mm_lock is held (its free
 * waits for mm_lock to unmap it), so it is locked before a reference is
 * taken, and only the batched ones get a reference: nothing is put while
 * a reservation is held.
 */
static unsigned int vmsm_shrinker_collect(struct vmsm_device *vdev,
					  struct vmsm_bo **batch,
					  unsigned long nr_to_scan)
{
	unsigned long pages = 0;
	struct vmsm_bo *bo;
	unsigned int n = 0;

	list_for_each_entry(bo, &vdev->bos, link) {
		struct drm_gem_object *obj = &bo->base.base;

		if (n == VMSM_SHRINK_BATCH || pages >= nr_to_scan)
			break;
		if (READ_ONCE(bo->base.madv) <= 0 || !kref_read(&obj->refcount))
			continue;
		if (!dma_resv_trylock(obj->resv))
			continue;
		if (!vmsm_bo_purgeable(bo) || !kref_get_unless_zero(&obj->refcount)) {
			dma_resv_unlock(obj->resv);
			continue;
		}
		vmsm_bo_unmap_all_locked(bo);
		batch[n++] = bo;
		pages += obj->size >> PAGE_SHIFT;
	}
	return n;
}

static unsigned long vmsm_shrinker_scan(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	struct vmsm_device *vdev = shrinker->private_data;
	struct vmsm_bo *batch[VMSM_SHRINK_BATCH];
	unsigned long freed = 0;
	LIST_HEAD(pt_pages);
	unsigned int i, n;

	if (!mutex_trylock(&vdev->mm_lock))
		return SHRINK_STOP;
	n = vmsm_shrinker_collect(vdev, batch, sc->nr_to_scan);
	vmsm_mmu_garbage_take(vdev, &pt_pages);
	mutex_unlock(&vdev->mm_lock);

	/* The GPU core may still be inside an access: wait it out first. */
	vmsm_mmu_garbage_free(vdev, &pt_pages);

	for (i = 0; i < n; i++) {
		struct drm_gem_object *obj = &batch[i]->base.base;

		/*
		 * PRIME export does not take the reservation: an object
		 * exported since it was collected keeps its pages (its GPU
		 * mappings are gone, as for any DONTNEED object).
		 */
		if (!drm_gem_shmem_is_purgeable(&batch[i]->base)) {
			dma_resv_unlock(obj->resv);
			continue;
		}
		vmsm_coherency_bo_unpin(batch[i]);
		drm_gem_shmem_purge(&batch[i]->base);
		vmsm_gem_pin_release(batch[i]);
		dma_resv_unlock(obj->resv);
		freed += obj->size >> PAGE_SHIFT;
		atomic_inc(&vdev->nr_purged);
	}
	/* Only now, with no reservation held: a put may free the object. */
	for (i = 0; i < n; i++)
		drm_gem_object_put(&batch[i]->base.base);
	return n ? freed : SHRINK_STOP;
}

/*
 * Tell lockdep what scan does inside reclaim, once, so that a violation
 * shows on the first run of the path that commits it, not only when
 * memory runs short at the wrong moment: scan waits for the GPU core's
 * accesses (an SRCU grace period), so a running job must never allocate or
 * wait for anything that does.
 */
static void vmsm_shrinker_prime_lockdep(struct vmsm_device *vdev)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;
	fs_reclaim_acquire(GFP_KERNEL);
	synchronize_srcu(&vdev->mmu_srcu);
	fs_reclaim_release(GFP_KERNEL);
}

static void vmsm_shrinker_release(struct drm_device *drm, void *data)
{
	shrinker_free(to_vmsm_device(drm)->shrinker);
}

/**
 * vmsm_gem_shrinker_init() - register the device's shrinker
 * @vdev: the device
 *
 * Return: 0 or a negative errno.
 */
int vmsm_gem_shrinker_init(struct vmsm_device *vdev)
{
	vdev->shrinker = shrinker_alloc(0, "drm-vmsm%d", vdev->index);
	if (!vdev->shrinker)
		return -ENOMEM;

	vdev->shrinker->count_objects = vmsm_shrinker_count;
	vdev->shrinker->scan_objects = vmsm_shrinker_scan;
	vdev->shrinker->private_data = vdev;
	vmsm_shrinker_prime_lockdep(vdev);
	shrinker_register(vdev->shrinker);
	return drmm_add_action_or_reset(&vdev->drm, vmsm_shrinker_release, NULL);
}

/**
 * vmsm_ioctl_gem_madvise() - DRM_IOCTL_VMSM_GEM_MADVISE handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_gem_madvise
 * @file: the DRM file the handle belongs to
 *
 * Return: 0, -EINVAL for a bad advice or padding, -ENOENT for a bad
 * handle, -ERESTARTSYS.
 */
int vmsm_ioctl_gem_madvise(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_vmsm_gem_madvise *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad || args->madv > VMSM_MADV_DONTNEED)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (!ret) {
		args->retained = drm_gem_shmem_madvise(to_drm_gem_shmem_obj(obj),
						       args->madv);
		dma_resv_unlock(obj->resv);
	}
	drm_gem_object_put(obj);
	return ret;
}
