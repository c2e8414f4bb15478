// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: dma-buf sharing
 *
 * Export: vmsm objects are exported with vmsm's own &dma_buf_ops, the DRM
 * PRIME helpers' plus what coherency needs:
 *
 * - attach: before choosing how the importer maps the buffer, the
 *   coherency query dma_dev_is_coherent_with_dev() tells whether the
 *   exporting vmsm device and the importer are coherent with each other.
 *   A cached object shared with an importer they are not coherent with
 *   follows the policy of the module parameter ``dmabuf_cached_policy``:
 *   ``bracket`` (the default) maps it and brackets CPU access with cache
 *   maintenance, ``reject`` refuses the attachment with -EOPNOTSUPP.
 *   Attaching pins the pages and starts their ownership tracking.
 * - map/unmap: the DRM PRIME helpers drm_gem_map_dma_buf() and
 *   drm_gem_unmap_dma_buf(): a scatter list of the pages mapped for the
 *   importer's device with %DMA_ATTR_SKIP_CPU_SYNC (the pages are mapped
 *   for the exporting device too, and the DMA API does not sync
 *   overlapping mappings); mapping then cleans the pages for the
 *   importer with dma_sync_sgtable_for_device(), and unmapping does no
 *   sync.
 * - begin_cpu_access/end_cpu_access (DMA_BUF_IOCTL_SYNC): wait for the
 *   GPU, then the same ownership transfers as GEM_CPU_PREP and
 *   GEM_CPU_FINI over the whole object, and dma_sync_sgtable_for_cpu() /
 *   _for_device() for every importer's mapping.
 * - mmap: the object's own mmap, with its caching mode (and write
 *   tracking); vmap: the shmem helper's, a mapping and not an access:
 *   the importer brackets its accesses with begin_cpu_access and
 *   end_cpu_access, whereas a kernel mapping made through the GEM object
 *   is a CPU access of its own (see "coherency").
 *
 * Import: dma-bufs of other exporters (vgem, udmabuf, the dma-buf system
 * heap, another vmsm device) become vmsm objects whose pages the exporter
 * mapped for the vmsm device; they can be mapped into GPU address spaces
 * and submitted like any object. A dma-buf vmsm exported from the same
 * device is the object itself again, and a dma-buf the device imported
 * already is that import again, whichever file imports it.
 *
 * Device views: under the non-coherent device model, the device view of a
 * cached object stands for what memory holds while CPU caches may hold
 * newer data, so every non-coherent vmsm device sees it, the importer's
 * too. What each agent sees, by exporter (the modes differ only where
 * said):
 *
 * - a non-coherent vmsm device's cached object: importers share the
 *   exporter's device view and ownership state; DMA_BUF_IOCTL_SYNC (of
 *   any client) and the importer's GEM_CPU_PREP/FINI are the exporter's
 *   transfers. A CPU write not handed over is stale on every non-coherent
 *   GPU (reported by checking mode if write tracking saw it); a
 *   non-coherent importer's job that lists the object while the CPU holds
 *   it ends the CPU's access (default), or fails with -EBUSY (strict). A
 *   coherent importer reads and writes the CPU's view, with or without
 *   syncs; its jobs see what non-coherent devices' jobs wrote before
 *   them, and theirs see what it wrote, without any sync (see
 *   "device-to-device hand-over" in "coherency"); a SYNC_START does not
 *   overwrite its writes with the device view.
 * - a coherent vmsm device's cached object on a non-coherent importer:
 *   the import gets a device view of its own when the attachment is
 *   mapped, a copy of the pages, shared by all non-coherent importers
 *   (vmsm_coherency_import()). Only the exporter's begin_cpu_access and
 *   end_cpu_access (DMA_BUF_IOCTL_SYNC) move data, as their syncs of the
 *   attachments would on hardware: SYNC_END copies the CPU's view in,
 *   SYNC_START copies back the pages an importer's job wrote since (in
 *   BO-list and VM_BIND mode alike). Without SYNC_END the importers' GPUs read stale data, without
 *   SYNC_START the CPU does not see their writes, deterministically; no
 *   ownership state is kept (the exporter is coherent), so checking and
 *   strict mode neither report nor refuse anything here. A SYNC_END not
 *   preceded by a SYNC_START after an importer's write keeps the device's
 *   data: the CPU cannot have written on top of data it did not take.
 * - dma-bufs of other exporters on a non-coherent device: an exporter
 *   that syncs its attachments in begin_cpu_access and end_cpu_access
 *   (the system heap; udmabuf with the udmabuf fix that comes with vmsm
 *   in tree) is attached through the device's view device, and
 *   the import gets a device view that only those syncs (and mapping
 *   and unmapping the attachment) update (see "device model of the DMA
 *   API"): without SYNC_END the GPU reads stale data, without SYNC_START
 *   the CPU does, deterministically; a SYNC_START (of any direction)
 *   copies back only pages a GPU wrote, so a CPU write not synced yet
 *   survives it; a SYNC_END keeps the GPU's data on a page it wrote that
 *   no SYNC_START took since (the CPU cannot have written on top of data
 *   it did not take); freeing the import hands what GPUs wrote to the
 *   pages. No ownership state is
 *   kept (the exporter owns the buffer's CPU side): checking and strict
 *   mode neither report nor refuse anything here. vgem has no
 *   begin_cpu_access and maps its objects write-combined (``map_wc``), so
 *   CPU caches hold none of its data and its imports read and write the
 *   pages; udmabuf without that fix (Debian's 6.12, out of tree) syncs
 *   its own misc device's mapping (``ubuf->device->this_device``), not
 *   the attachments, so a view would be stale for correct clients: its
 *   imports also use the pages there, and a missing DMA_BUF_IOCTL_SYNC on
 *   them is never stale on vmsm.
 */

#include <linux/dma-buf.h>
#include <linux/dma-coherency.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/module.h>

#include <drm/drm_gem.h>
#include <drm/drm_prime.h>

#include "vmsm_drv.h"

static char *dmabuf_cached_policy = "bracket";
module_param(dmabuf_cached_policy, charp, 0644);
MODULE_PARM_DESC(dmabuf_cached_policy,
		 "Cached object shared with a non-coherent importer: bracket (default) or reject");

static bool vmsm_dmabuf_reject_cached(void)
{
	return sysfs_streq(READ_ONCE(dmabuf_cached_policy), "reject");
}

static int vmsm_dmabuf_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct drm_gem_object *obj = dmabuf->priv;
	struct vmsm_bo *bo = to_vmsm_bo(obj);
	struct sg_table *sgt;

	if (vmsm_bo_is_cached(bo) && vmsm_dmabuf_reject_cached() &&
	    !dma_dev_is_coherent_with_dev(obj->dev->dev, attach->dev))
		return -EOPNOTSUPP;

	/* Pinned for the exporting device too: ownership is tracked on it. */
	sgt = vmsm_bo_pin_for_device(bo);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	return drm_gem_map_attach(dmabuf, attach);
}

static struct sg_table *vmsm_dmabuf_map(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct sg_table *sgt;

	/*
	 * The DRM helper maps with %DMA_ATTR_SKIP_CPU_SYNC: the pages are
	 * mapped for the exporting device too, and the DMA API does not sync
	 * overlapping mappings. Clean for the importer explicitly.
	 */
	sgt = drm_gem_map_dma_buf(attach, dir);
	if (!IS_ERR(sgt))
		dma_sync_sgtable_for_device(attach->dev, sgt, dir);
	return sgt;
}

/* Every importer's mapping, for the CPU or for its device. */
static void vmsm_dmabuf_sync_attachments(struct dma_buf *dmabuf, bool for_cpu)
{
	struct dma_buf_attachment *attach;

	dma_resv_assert_held(dmabuf->resv);
	list_for_each_entry(attach, &dmabuf->attachments, node) {
		if (!attach->sgt)
			continue;
		if (for_cpu)
			dma_sync_sgtable_for_cpu(attach->dev, attach->sgt, attach->dir);
		else
			dma_sync_sgtable_for_device(attach->dev, attach->sgt, attach->dir);
	}
}

static int vmsm_dmabuf_begin_cpu_access(struct dma_buf *dmabuf,
					enum dma_data_direction dir)
{
	struct drm_gem_object *obj = dmabuf->priv;
	bool write = dir != DMA_FROM_DEVICE;
	u32 op = 0;
	long ret;

	/* The core waits only after this hook: invalidating must come after. */
	ret = dma_resv_wait_timeout(obj->resv, dma_resv_usage_rw(write), true,
				    MAX_SCHEDULE_TIMEOUT);
	if (ret < 0)
		return ret;

	if (dir != DMA_TO_DEVICE)
		op |= VMSM_PREP_READ;
	if (write)
		op |= VMSM_PREP_WRITE;
	dma_resv_lock(obj->resv, NULL);
	vmsm_dmabuf_sync_attachments(dmabuf, true);
	vmsm_coherency_views_sync(to_vmsm_bo(obj), true);
	dma_resv_unlock(obj->resv);
	return vmsm_coherency_cpu_begin(to_vmsm_bo(obj), 0, obj->size, op);
}

/*
 * An importer's kernel mapping of a tracked object: what the CPU wrote
 * through it cannot fault, so every page counts as written.
 */
static void vmsm_dmabuf_kernel_writes(struct dma_buf *dmabuf)
{
	struct drm_gem_object *obj = dmabuf->priv;
	struct vmsm_bo *bo = to_vmsm_bo(obj);
	unsigned long page;
	bool mapped;

	if (!vmsm_bo_tracks_writes(bo))
		return;
	dma_resv_lock(dmabuf->resv, NULL);
	mapped = dmabuf->vmapping_counter;
	dma_resv_unlock(dmabuf->resv);
	for (page = 0; mapped && page < obj->size >> PAGE_SHIFT; page++)
		vmsm_coherency_cpu_wrote(bo, page);
}

static int vmsm_dmabuf_end_cpu_access(struct dma_buf *dmabuf,
				      enum dma_data_direction dir)
{
	struct drm_gem_object *obj = dmabuf->priv;
	int ret;

	if (dir != DMA_FROM_DEVICE)
		vmsm_dmabuf_kernel_writes(dmabuf);
	ret = vmsm_coherency_cpu_end(to_vmsm_bo(obj), 0, obj->size);
	dma_resv_lock(obj->resv, NULL);
	vmsm_dmabuf_sync_attachments(dmabuf, false);
	vmsm_coherency_views_sync(to_vmsm_bo(obj), false);
	dma_resv_unlock(obj->resv);
	return ret;
}

static int vmsm_dmabuf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct drm_gem_object *obj = dmabuf->priv;

	dma_resv_assert_held(obj->resv);
	return drm_gem_shmem_vmap(to_drm_gem_shmem_obj(obj), map);
}

static void vmsm_dmabuf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct drm_gem_object *obj = dmabuf->priv;

	dma_resv_assert_held(obj->resv);
	drm_gem_shmem_vunmap(to_drm_gem_shmem_obj(obj), map);
}

static const struct dma_buf_ops vmsm_dmabuf_ops = {
	.cache_sgt_mapping = true,
	.attach = vmsm_dmabuf_attach,
	.detach = drm_gem_map_detach,
	.map_dma_buf = vmsm_dmabuf_map,
	.unmap_dma_buf = drm_gem_unmap_dma_buf,
	.release = drm_gem_dmabuf_release,
	.begin_cpu_access = vmsm_dmabuf_begin_cpu_access,
	.end_cpu_access = vmsm_dmabuf_end_cpu_access,
	.mmap = drm_gem_dmabuf_mmap,
	.vmap = vmsm_dmabuf_vmap,
	.vunmap = vmsm_dmabuf_vunmap,
};

/**
 * vmsm_gem_prime_export() - &drm_gem_object_funcs.export for vmsm objects
 * @obj: the object
 * @flags: file flags of the dma-buf
 *
 * Return: the dma-buf, -EPERM for a %VMSM_BO_NO_SHARE object, or another
 * ERR_PTR.
 */
struct dma_buf *vmsm_gem_prime_export(struct drm_gem_object *obj, int flags)
{
	struct dma_buf_export_info exp_info = {
		.exp_name = KBUILD_MODNAME,
		.owner = THIS_MODULE,
		.ops = &vmsm_dmabuf_ops,
		.size = obj->size,
		.flags = flags,
		.priv = obj,
		.resv = obj->resv,
	};

	if (to_vmsm_bo(obj)->flags & VMSM_BO_NO_SHARE)
		return ERR_PTR(-EPERM);
	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}

/**
 * vmsm_prime_owner_bo() - the object whose ownership covers an object
 * @bo: a vmsm object
 *
 * An object imported from a dma-buf that a vmsm device exported shares
 * the exporter's pages, reservation and ownership state.
 *
 * Return: the exporting object for such an import, else @bo.
 */
struct vmsm_bo *vmsm_prime_owner_bo(struct vmsm_bo *bo)
{
	struct dma_buf_attachment *attach = bo->base.base.import_attach;

	if (attach && attach->dmabuf->ops == &vmsm_dmabuf_ops)
		return to_vmsm_bo(attach->dmabuf->priv);
	return bo;
}

/* The device's live import of @dmabuf, with a new reference, or NULL. */
static struct drm_gem_object *vmsm_prime_find_import(struct vmsm_device *vdev,
						     struct dma_buf *dmabuf)
{
	struct drm_gem_object *found = NULL, *obj;
	struct vmsm_bo *bo;

	mutex_lock(&vdev->mm_lock);
	list_for_each_entry(bo, &vdev->bos, link) {
		obj = &bo->base.base;
		if (obj->import_attach && obj->import_attach->dmabuf == dmabuf &&
		    kref_get_unless_zero(&obj->refcount)) {
			found = obj;
			break;
		}
	}
	mutex_unlock(&vdev->mm_lock);
	return found;
}

/**
 * vmsm_gem_prime_import() - &drm_driver.gem_prime_import for vmsm
 * @drm: the importing device
 * @dmabuf: the dma-buf
 *
 * A dma-buf is imported once per device: every file that imports it gets
 * a handle of the same object, and the exporter sees one attachment.
 *
 * Return: the object itself for a dma-buf of one of @drm's objects, the
 * device's existing import of @dmabuf, else a new object on the dma-buf's
 * pages, or an ERR_PTR.
 */
struct drm_gem_object *vmsm_gem_prime_import(struct drm_device *drm,
					     struct dma_buf *dmabuf)
{
	struct vmsm_device *vdev = to_vmsm_device(drm);
	struct drm_gem_object *obj = dmabuf->priv;

	if (dmabuf->ops == &vmsm_dmabuf_ops && obj->dev == drm) {
		drm_gem_object_get(obj);
		return obj;
	}
	obj = vmsm_prime_find_import(vdev, dmabuf);
	if (obj)
		return obj;
	if (dmabuf->ops == &vmsm_dmabuf_ops)
		return drm_gem_prime_import(drm, dmabuf);
	return drm_gem_prime_import_dev(drm, dmabuf,
					vmsm_dma_view_attach_dev(vdev, dmabuf));
}

/**
 * vmsm_gem_prime_import_sg_table() - &drm_driver.gem_prime_import_sg_table
 * @drm: the importing device
 * @attach: the attachment of @drm's device to the dma-buf
 * @sgt: the pages, mapped for @drm's device by the exporter
 *
 * Return: the new object, counted and listed like created ones, or an
 * ERR_PTR.
 */
struct drm_gem_object *vmsm_gem_prime_import_sg_table(struct drm_device *drm,
						      struct dma_buf_attachment *attach,
						      struct sg_table *sgt)
{
	struct vmsm_device *vdev = to_vmsm_device(drm);
	struct drm_gem_object *obj;
	struct vmsm_bo *exporter;
	int ret;

	obj = drm_gem_shmem_prime_import_sg_table(drm, attach, sgt);
	if (IS_ERR(obj))
		return obj;
	if (attach->dmabuf->ops == &vmsm_dmabuf_ops) {
		exporter = to_vmsm_bo(attach->dmabuf->priv);
		ret = vmsm_coherency_import(to_vmsm_bo(obj), exporter);
	} else if (attach->dev != drm->dev) {
		ret = vmsm_coherency_import_view(to_vmsm_bo(obj), sgt);
	} else {
		ret = 0;
	}
	if (ret) {
		/*
		 * The sg_table is the attachment's: the caller unmaps it.
		 * import_attach is not set yet, so the shmem helper would
		 * take it for the object's own.
		 */
		to_drm_gem_shmem_obj(obj)->sgt = NULL;
		drm_gem_shmem_free(to_drm_gem_shmem_obj(obj));
		return ERR_PTR(ret);
	}
	atomic_inc(&vdev->nr_objects);
	mutex_lock(&vdev->mm_lock);
	list_add_tail(&to_vmsm_bo(obj)->link, &vdev->bos);
	mutex_unlock(&vdev->mm_lock);
	return obj;
}
