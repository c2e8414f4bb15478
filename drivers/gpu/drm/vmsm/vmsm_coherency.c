// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: coherency
 *
 * Every vmsm device is either cache-coherent with the CPU or not: the
 * device tree says so with ``dma-coherent``, the module parameter
 * ``coherent`` for the devices the module registers itself, and
 * %VMSM_PARAM_COHERENT reports it. Ownership of an object's pages, and
 * the cache maintenance its transfers need, is kept by the iommu-owner
 * API (``include/linux/iommu-owner.h``, its own module): each object gets
 * a &struct iommu_owner when its pages are pinned and mapped for the
 * device, in the device's &struct iommu_owner_ctx. On a coherent device,
 * and for write-combined and uncached objects, every transfer returns at
 * once (counted as ``skipped``).
 *
 * Transfers:
 *
 * - GEM_CPU_PREP and GEM_SYNC(%VMSM_SYNC_TO_CPU): begin CPU access over
 *   a byte range, after waiting for (PREP) or checking (SYNC) the GPU;
 * - GEM_CPU_FINI and GEM_SYNC(%VMSM_SYNC_TO_DEVICE): end CPU access;
 * - GEM_SUBMIT: begin device access over every listed object, in the
 *   ioctl, before the job is armed: for writing if the object is listed
 *   with %VMSM_SUBMIT_BO_WRITE.
 * - GEM_SUBMIT into a VM_BIND address space, whose jobs reach what it
 *   maps without naming it: also begin device access (for writing unless
 *   %VMSM_BO_GPU_READONLY) over every object the CPU holds that the space
 *   maps. The CPU's accesses add the object they name to a list of held
 *   objects (through an import of another vmsm device's export, the
 *   exporter's object too), which the submit walks, so its cost follows
 *   what changed ownership, not how much is mapped. Such submits are
 *   counted; a CPU access to an object that was ever mapped into a
 *   VM_BIND space (a begin, or a write fault on a tracked mapping), with
 *   such a submit since the CPU last took it, first marks the object as
 *   written by the device, so that the access invalidates.
 *
 * Non-coherent device model: on a hardware SoC a non-coherent GPU reads
 * memory, not the CPU's caches, so data the CPU wrote reaches the GPU only
 * once it is cleaned, and data the GPU wrote reaches the CPU only once
 * stale lines are invalidated. A virtual GPU running on the CPU would see
 * everything at once and hide every missing sync, so on a non-coherent
 * device (with the module parameter ``noncoherent_model``, on by default)
 * each cached object gets a second copy of its pages, the device view:
 * the GPU core reads and writes it (vmsm_coherency_device_page() turns the
 * page a GPU address translates to into its device-view page), the CPU
 * mapping shows the object's own pages, and the two only meet through the
 * ownership API's hooks: a clean copies the range to the device view, an
 * invalidate copies it back. A missing GEM_CPU_FINI or CPU_PREP then
 * gives stale data on any machine, deterministically. Write-combined and
 * uncached objects have no CPU cache lines to maintain and stay
 * single-copy. The device view stands for memory, so every non-coherent
 * vmsm device sees it, also through an import of a dma-buf another vmsm
 * device exported; such an import shares the exporter's ownership state,
 * and its transfers (PREP, FINI, submit) are the exporter's. An import of
 * a coherent vmsm device's cached object has a device view of its own,
 * kept by the exporter's DMA_BUF_IOCTL_SYNC; imports of other exporters
 * have no device view and no ownership state (see "dma-buf sharing").
 * Device-view pages are shared, counted by their page reference count,
 * when several objects have a view of the same page.
 *
 * Device-to-device hand-over: a coherent device sees the CPU's copy of
 * memory that non-coherent devices see through a device view. Between
 * two GPU jobs no CPU access runs, so no clean or invalidate would carry
 * one device's writes to the other; the GPU core does it, as a job
 * touches each page (vmsm_coherency_device_page()), from two bits per
 * view page: a non-coherent device's write marks the view newer, and a
 * coherent device's access first copies such a view into the CPU's copy;
 * a coherent device's write marks the CPU's copy newer, and a
 * non-coherent device's access first copies it into the view, as does
 * any clean. An invalidate leaves a page the coherent device wrote
 * alone: the CPU's copy holds the newest data. Implicit sync orders the
 * jobs; these copies only move what the other device wrote, so a CPU
 * write made without its sync stays stale on the non-coherent device
 * unless a coherent device's job wrote the same page after it.
 *
 * Write tracking: the CPU mapping of a cached object on a non-coherent
 * device maps pages read-only until they are written
 * (&vm_operations_struct.pfn_mkwrite); a write fault marks the page dirty
 * in the ownership state, and GEM_CPU_FINI cleans only dirty pages and
 * write-protects them again by zapping their PTEs.
 *
 * Kernel mappings: a vmap made through the GEM object (in-kernel DRM
 * clients, fbdev emulation's damage copy) is a CPU access for reading and
 * writing over the whole object while it exists
 * (vmsm_coherency_kernel_begin()): the pages the device wrote are
 * invalidated when it is made, and its vunmap ends the access as having
 * written every page, since write tracking cannot see it, which cleans
 * them all. A dma-buf's vmap is only a mapping: its importer brackets its
 * accesses with the dma-buf's begin_cpu_access and end_cpu_access.
 *
 * Checking mode (module parameter ``coherency_check`` or the debugfs file
 * ``vmsm_coherency_check``) reports misuse in the kernel log and in the
 * debugfs file ``vmsm_coherency``: the object (``vmsm<device>-bo<id>``
 * with its debug name), the byte range and the access. By default a
 * submit that lists an object the CPU still owns (GEM_CPU_PREP without
 * GEM_CPU_FINI) ends the CPU's access as the missing FINIs would (the
 * iommu-owner API releases the pages in iommu_owner_begin_device_access()),
 * so no write is lost; strict mode (``coherency_strict``,
 * ``vmsm_coherency_strict``) makes such a submit fail with -EBUSY.
 */

#include <linux/highmem.h>
#include <linux/iommu-owner.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "vmsm_drv.h"

static bool noncoherent_model = true;
module_param(noncoherent_model, bool, 0444);
MODULE_PARM_DESC(noncoherent_model,
		 "Non-coherent devices keep a device view of cached objects (default Y)");

static bool coherency_check;
module_param(coherency_check, bool, 0444);
MODULE_PARM_DESC(coherency_check, "Report CPU/GPU ownership misuse (default N)");

static bool coherency_strict;
module_param(coherency_strict, bool, 0444);
MODULE_PARM_DESC(coherency_strict,
		 "Fail submits of objects the CPU still owns with -EBUSY (default N)");

/*
 * Device-view page of each page of a cached object of a non-coherent
 * device, by page frame number of the object's page. Module-wide: the
 * device view stands for memory, which every non-coherent device sees,
 * the importers of a shared object too. The xarray's lock protects it;
 * entries change only while no GPU core can reach the object.
 */
static DEFINE_XARRAY(vmsm_shadows);

/*
 * Bits in a device-view page's page_private(), atomic, never both set:
 *
 * VMSM_SHADOW_DEV_WROTE: a non-coherent device's GPU core wrote the view
 * since the page (the CPU's copy) last took it. Cleared when the view is
 * copied to the page (an invalidate, a view device's sync for the CPU, a
 * coherent device's access) and by a clean.
 *
 * VMSM_SHADOW_CPU_NEWER: a coherent device's GPU core wrote the page since
 * the view last took it: its writes are in the CPU's domain, as the CPU's
 * are, but no CPU access bracketed them, so nothing would clean them.
 * Cleared when the page is copied to the view (a clean, a view device's
 * sync for the device, a non-coherent device's access).
 */
#define VMSM_SHADOW_DEV_WROTE	0
#define VMSM_SHADOW_CPU_NEWER	1

/*
 * Objects the CPU holds (a CPU access begun and not ended), by the object
 * the access named: a submit into a VM_BIND address space hands those it
 * maps to the device without walking every mapped object. Module-wide,
 * like the device views; vmsm_held_lock protects the list, every
 * &vmsm_bo.held_link, and the lists of other vmsm devices' imports of
 * each object (&vmsm_bo.imports, &vmsm_bo.import_link), by which a VM
 * finds what the CPU holds through another device's handle. Entries hold
 * no reference: an object leaves the lists when it is freed (an import
 * before its exporter, whose dma-buf it keeps).
 */
static LIST_HEAD(vmsm_held);
static DEFINE_SPINLOCK(vmsm_held_lock);

/*
 * Submits into VM_BIND address spaces so far. Their jobs may write any
 * object mapped there without naming it, so a CPU access to an object
 * ever mapped into such a space invalidates it when this count moved
 * since the CPU last took it.
 */
static atomic64_t vmsm_user_va_jobs = ATOMIC64_INIT(0);

static struct vmsm_bo *owner_bo(struct iommu_owner *owner)
{
	return owner->priv;
}

static void vmsm_coherency_clean(struct iommu_owner *owner, unsigned long first,
				 unsigned long count)
{
	struct vmsm_bo *bo = owner_bo(owner);
	unsigned long p;

	for (p = first; bo->shadow && p < first + count; p++) {
		copy_highpage(bo->shadow[p], bo->base.pages[p]);
		clear_bit(VMSM_SHADOW_DEV_WROTE, &bo->shadow[p]->private);
		clear_bit(VMSM_SHADOW_CPU_NEWER, &bo->shadow[p]->private);
	}
}

static void vmsm_coherency_invalidate(struct iommu_owner *owner,
				      unsigned long first, unsigned long count)
{
	struct vmsm_bo *bo = owner_bo(owner);
	unsigned long p;

	/* A coherent device's writes are newer than the view. */
	for (p = first; bo->shadow && p < first + count; p++) {
		if (test_bit(VMSM_SHADOW_CPU_NEWER, &bo->shadow[p]->private))
			continue;
		copy_highpage(bo->base.pages[p], bo->shadow[p]);
		clear_bit(VMSM_SHADOW_DEV_WROTE, &bo->shadow[p]->private);
	}
}

static void vmsm_coherency_rearm(struct iommu_owner *owner, unsigned long first,
				 unsigned long count)
{
	struct drm_gem_object *obj = &owner_bo(owner)->base.base;

	unmap_mapping_range(obj->dev->anon_inode->i_mapping,
			    drm_vma_node_offset_addr(&obj->vma_node) +
			    ((loff_t)first << PAGE_SHIFT),
			    (loff_t)count << PAGE_SHIFT, 1);
}

static void vmsm_coherency_describe(struct iommu_owner *owner, char *buf, size_t len)
{
	struct vmsm_bo *bo = owner_bo(owner);
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);

	mutex_lock(&bo->name_lock);
	snprintf(buf, len, "vmsm%d-bo%u \"%s\"", vdev->index, bo->id, bo->name);
	mutex_unlock(&bo->name_lock);
}

static const struct iommu_owner_ops vmsm_coherency_ops = {
	.clean = vmsm_coherency_clean,
	.invalidate = vmsm_coherency_invalidate,
	.rearm = vmsm_coherency_rearm,
	.describe = vmsm_coherency_describe,
};

/**
 * vmsm_coherency_init() - set up a device's ownership context
 * @vdev: the device, its caps set
 */
void vmsm_coherency_init(struct vmsm_device *vdev)
{
	iommu_owner_ctx_init(&vdev->owner_ctx, vdev->drm.dev, vdev->caps.coherent,
			     &vmsm_coherency_ops);
	vdev->owner_ctx.check = coherency_check;
	vdev->owner_ctx.strict = coherency_strict;
	vdev->model = !vdev->caps.coherent && noncoherent_model;
}

/**
 * vmsm_coherency_fini() - tear down a device's ownership context
 * @vdev: the device, every object gone
 */
void vmsm_coherency_fini(struct vmsm_device *vdev)
{
	WARN_ON(atomic_read(&vdev->nr_shadow_pages));
}

/**
 * vmsm_bo_is_cached() - whether CPU caches hold an object's data
 * @bo: the object
 *
 * Return: true for %VMSM_BO_CACHED and %VMSM_BO_CACHED_COHERENT.
 */
bool vmsm_bo_is_cached(struct vmsm_bo *bo)
{
	u32 mode = bo->flags & VMSM_BO_CACHE_MASK;

	return mode == VMSM_BO_CACHED || mode == VMSM_BO_CACHED_COHERENT;
}

/**
 * vmsm_bo_tracks_writes() - whether CPU mappings of an object track writes
 * @bo: the object
 *
 * Return: true for cached objects of a non-coherent device.
 */
bool vmsm_bo_tracks_writes(struct vmsm_bo *bo)
{
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);

	return !vdev->caps.coherent && vmsm_bo_is_cached(bo) &&
	       !bo->base.base.import_attach;
}

/*
 * The device-view page of @page with a reference, to be dropped with
 * vmsm_shadow_put(), or NULL if it has none.
 */
static struct page *vmsm_shadow_lookup(struct page *page)
{
	struct page *shadow;

	xa_lock(&vmsm_shadows);
	shadow = xa_load(&vmsm_shadows, page_to_pfn(page));
	if (shadow)
		get_page(shadow);
	xa_unlock(&vmsm_shadows);
	return shadow;
}

/*
 * The device-view page of @page, a new one (a copy: mapping for the
 * device cleans) or, when another object already has one, that one with
 * a reference: two non-coherent importers of one dma-buf see one memory.
 * The page's reference count counts the objects sharing it.
 */
static struct page *vmsm_shadow_get(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	struct page *shadow, *old;

	shadow = vmsm_shadow_lookup(page);
	if (shadow)
		return shadow;

	shadow = alloc_page(GFP_KERNEL);
	if (!shadow)
		return ERR_PTR(-ENOMEM);
	copy_highpage(shadow, page);
	xa_lock(&vmsm_shadows);
	old = __xa_cmpxchg(&vmsm_shadows, pfn, NULL, shadow, GFP_KERNEL);
	if (old && !xa_is_err(old))
		get_page(old);
	xa_unlock(&vmsm_shadows);
	if (!old)
		return shadow;
	__free_page(shadow);
	return xa_is_err(old) ? ERR_PTR(xa_err(old)) : old;
}

/* Drops one object's reference to the device view of @page. */
static void vmsm_shadow_put(struct page *page, struct page *shadow)
{
	xa_lock(&vmsm_shadows);
	if (page_ref_count(shadow) == 1) {
		__xa_erase(&vmsm_shadows, page_to_pfn(page));
		set_page_private(shadow, 0);
	}
	put_page(shadow);
	xa_unlock(&vmsm_shadows);
}

static void vmsm_shadow_free(struct vmsm_device *vdev, struct vmsm_bo *bo,
			     struct page **pages, unsigned long n)
{
	while (n--) {
		vmsm_shadow_put(pages[n], bo->shadow[n]);
		atomic_dec(&vdev->nr_shadow_pages);
	}
	kvfree(bo->shadow);
	bo->shadow = NULL;
}

/* The device view of @pages, in @bo->shadow. */
static int vmsm_shadow_alloc(struct vmsm_device *vdev, struct vmsm_bo *bo,
			     struct page **pages, unsigned long nr_pages)
{
	struct page *shadow;
	unsigned long i;

	bo->shadow = kvcalloc(nr_pages, sizeof(*bo->shadow), GFP_KERNEL);
	if (!bo->shadow)
		return -ENOMEM;
	for (i = 0; i < nr_pages; i++) {
		shadow = vmsm_shadow_get(pages[i]);
		if (IS_ERR(shadow)) {
			vmsm_shadow_free(vdev, bo, pages, i);
			return PTR_ERR(shadow);
		}
		bo->shadow[i] = shadow;
		atomic_inc(&vdev->nr_shadow_pages);
	}
	return 0;
}

/**
 * vmsm_bo_pin_for_device() - pin an object's pages for the GPU
 * @bo: the object; no reservation held
 *
 * Pins the pages and maps them for the device once (the shmem helper
 * keeps the mapping until the object is freed or purged), charged against
 * the limit on pinned memory (vmsm_gem_get_pages_sgt()), then starts
 * tracking their ownership with vmsm_coherency_bo_pin().
 *
 * Return: the object's sg_table, or an ERR_PTR: -ENOMEM also when the
 * limit on pinned memory is reached.
 */
struct sg_table *vmsm_bo_pin_for_device(struct vmsm_bo *bo)
{
	struct sg_table *sgt = vmsm_gem_get_pages_sgt(bo);
	int ret;

	if (IS_ERR(sgt))
		return sgt;
	ret = vmsm_coherency_bo_pin(bo);
	return ret ? ERR_PTR(ret) : sgt;
}

/**
 * vmsm_coherency_bo_pin() - start tracking ownership of a pinned object
 * @bo: the object, its pages pinned and mapped for the device
 *	(drm_gem_shmem_get_pages_sgt()); no reservation held
 *
 * The first call creates the object's &struct iommu_owner and, under the
 * device model, its device view, and write-protects its CPU mappings so
 * that write tracking starts from a clean state. Later calls do nothing.
 *
 * Return: 0 or -ENOMEM.
 */
int vmsm_coherency_bo_pin(struct vmsm_bo *bo)
{
	struct drm_gem_object *obj = &bo->base.base;
	struct vmsm_device *vdev = to_vmsm_device(obj->dev);
	unsigned long flags = 0;
	int ret = 0;

	if (obj->import_attach)
		return 0;
	dma_resv_lock(obj->resv, NULL);
	if (bo->owned || !bo->base.sgt)
		goto out;

	if (!vmsm_bo_is_cached(bo))
		flags |= IOMMU_OWNER_UNCACHED;
	if (vmsm_bo_tracks_writes(bo))
		flags |= IOMMU_OWNER_TRACK_WRITES;
	ret = iommu_owner_init(&bo->owner, &vdev->owner_ctx, bo->base.sgt,
			       obj->size, flags, bo);
	if (ret)
		goto out;
	if (vdev->model && vmsm_bo_is_cached(bo)) {
		ret = vmsm_shadow_alloc(vdev, bo, bo->base.pages,
					obj->size >> PAGE_SHIFT);
		if (ret) {
			iommu_owner_fini(&bo->owner);
			goto out;
		}
	}
	if (flags & IOMMU_OWNER_TRACK_WRITES)
		drm_vma_node_unmap(&obj->vma_node, obj->dev->anon_inode->i_mapping);
	/* Pairs with vmsm_coherency_cpu_wrote(): @owner is set up first. */
	smp_store_release(&bo->owned, true);
out:
	dma_resv_unlock(obj->resv);
	return ret;
}

/**
 * vmsm_coherency_bo_unpin() - stop tracking ownership of an object
 * @bo: the object, no longer reachable by the GPU core; its reservation
 *	held, or the object being freed
 *
 * Called before its pages are unmapped from the device and released.
 */
void vmsm_coherency_bo_unpin(struct vmsm_bo *bo)
{
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);
	unsigned long p, nr_pages = bo->base.base.size >> PAGE_SHIFT;

	if (bo->view_pages) {
		/* Unmapping the attachment would invalidate: what GPUs wrote. */
		for (p = 0; p < nr_pages; p++)
			vmsm_coherency_view_sync(bo->view_pages[p], 0, PAGE_SIZE, true);
		vmsm_shadow_free(vdev, bo, bo->view_pages, nr_pages);
		kvfree(bo->view_pages);
		bo->view_pages = NULL;
	} else if (bo->shadow && bo->base.base.import_attach) {
		vmsm_shadow_free(vdev, bo, vmsm_prime_owner_bo(bo)->base.pages, nr_pages);
	}
	if (!bo->owned)
		return;
	if (bo->shadow)
		vmsm_shadow_free(vdev, bo, bo->base.pages, nr_pages);
	iommu_owner_fini(&bo->owner);
	bo->owned = false;
}

/**
 * vmsm_coherency_import() - a device view for an import of a vmsm export
 * @bo: the import, new, on the importing device
 * @exporter: the exported object, attached (its pages pinned)
 *
 * A cached object of a device without a device view of its own (a
 * coherent device) seen by a non-coherent device under the model: the
 * import gets a device view of the exporter's pages, a copy (mapping the
 * attachment cleans), shared with the other non-coherent importers. The
 * exporter's begin_cpu_access and end_cpu_access move data between the
 * views (vmsm_coherency_views_sync()), as their syncs of the attachments
 * do the cache maintenance on hardware. An exporter with a device view
 * already shares it with every importer, and has nothing to do here.
 * Every import joins the exporter's list of imports, by which a submit
 * into a VM_BIND space of the importing device finds what the CPU holds
 * through another device's handle (vmsm_coherency_vm_held()).
 *
 * Return: 0 or -ENOMEM.
 */
int vmsm_coherency_import(struct vmsm_bo *bo, struct vmsm_bo *exporter)
{
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);
	struct dma_resv *resv = exporter->base.base.resv;
	int ret = 0;

	if (vdev->model && vmsm_bo_is_cached(exporter)) {
		dma_resv_lock(resv, NULL);
		if (!exporter->shadow && exporter->base.pages) {
			ret = vmsm_shadow_alloc(vdev, bo, exporter->base.pages,
						bo->base.base.size >> PAGE_SHIFT);
			if (!ret)
				exporter->import_views = true;
		}
		dma_resv_unlock(resv);
	}
	if (!ret) {
		spin_lock(&vmsm_held_lock);
		list_add_tail(&bo->import_link, &exporter->imports);
		spin_unlock(&vmsm_held_lock);
	}
	return ret;
}

/**
 * vmsm_coherency_views_sync() - the exporter's sync of its importers' views
 * @bo: an exported object, its reservation held
 * @for_cpu: begin_cpu_access (else end_cpu_access)
 *
 * For an object whose importers have device views of their own (see
 * vmsm_coherency_import()): beginning a CPU access copies back the view
 * pages an importer's job wrote (an invalidate), ending one copies the
 * object's pages into the views (a clean), except those an importer's
 * job wrote since the last begin: the CPU, which did not take the data
 * back, cannot have written them, and the job's data is kept. The same
 * per-page rules as a view device's syncs (vmsm_coherency_view_sync()),
 * so jobs of a VM_BIND space, which name nothing, need nothing more.
 */
void vmsm_coherency_views_sync(struct vmsm_bo *bo, bool for_cpu)
{
	unsigned long p, nr_pages = bo->base.base.size >> PAGE_SHIFT;

	dma_resv_assert_held(bo->base.base.resv);
	if (!bo->import_views || !bo->base.pages)
		return;
	for (p = 0; p < nr_pages; p++)
		vmsm_coherency_view_sync(bo->base.pages[p], 0, PAGE_SIZE, for_cpu);
}

/**
 * vmsm_coherency_import_view() - a device view for an import of another exporter
 * @bo: the import, new, attached through its device's view device
 * @sgt: the pages, as the exporter mapped them
 *
 * The view is a copy of the pages (mapping the attachment cleaned), shared
 * with other non-coherent vmsm importers of the same memory. Only the DMA
 * API's syncs on the view device move data between the two (see "device
 * model of the DMA API").
 *
 * Return: 0 or -ENOMEM.
 */
int vmsm_coherency_import_view(struct vmsm_bo *bo, struct sg_table *sgt)
{
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);
	unsigned long nr_pages = bo->base.base.size >> PAGE_SHIFT;
	struct page **pages;
	int ret;

	pages = kvmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	ret = vmsm_dma_view_pages(vdev, sgt, pages, nr_pages);
	if (!ret)
		ret = vmsm_shadow_alloc(vdev, bo, pages, nr_pages);
	if (ret) {
		kvfree(pages);
		return ret;
	}
	bo->view_pages = pages;
	return 0;
}

/**
 * vmsm_coherency_view_sync() - the model's cache maintenance of memory
 * @page: a page of memory
 * @offset: first byte in @page
 * @len: bytes, not past the end of @page
 * @for_cpu: an invalidate (else a clean)
 *
 * For a page with a device view: a clean copies the bytes into the view
 * unless a GPU wrote the page since the last invalidate; an invalidate
 * copies them back only if one did, and forgets that when it covers the
 * whole page. Pages without a view are left alone. Called by the view
 * device's DMA operations, in any context an exporter syncs from.
 */
void vmsm_coherency_view_sync(struct page *page, unsigned int offset,
			      unsigned int len, bool for_cpu)
{
	unsigned long *bits;
	struct page *shadow;

	shadow = vmsm_shadow_lookup(page);
	if (!shadow)
		return;
	bits = &shadow->private;
	if (for_cpu && test_bit(VMSM_SHADOW_DEV_WROTE, bits)) {
		if (len == PAGE_SIZE)
			clear_bit(VMSM_SHADOW_DEV_WROTE, bits);
		memcpy_page(page, offset, shadow, offset, len);
	} else if (!for_cpu && !test_bit(VMSM_SHADOW_DEV_WROTE, bits)) {
		if (len == PAGE_SIZE)
			clear_bit(VMSM_SHADOW_CPU_NEWER, bits);
		memcpy_page(shadow, offset, page, offset, len);
	}
	vmsm_shadow_put(page, shadow);
}

/*
 * A coherent device's access to @page, which a non-coherent device views:
 * it sees the CPU's copy, brought up to date with what a non-coherent
 * device wrote, and a write makes the CPU's copy the newer one. The view
 * may belong to another device's object, freed at any time: held by a
 * reference meanwhile.
 */
static void vmsm_coherency_coherent_access(struct page *page, bool write)
{
	struct page *shadow;
	unsigned long *bits;

	if (xa_empty(&vmsm_shadows))
		return;
	shadow = vmsm_shadow_lookup(page);
	if (!shadow)
		return;
	bits = &shadow->private;
	if (test_and_clear_bit(VMSM_SHADOW_DEV_WROTE, bits))
		copy_highpage(page, shadow);
	if (write && !test_bit(VMSM_SHADOW_CPU_NEWER, bits))
		set_bit(VMSM_SHADOW_CPU_NEWER, bits);
	vmsm_shadow_put(page, shadow);
}

/**
 * vmsm_coherency_device_page() - the page the device sees
 * @vdev: the device
 * @page: a page a GPU address translated to
 * @write: the device writes it
 *
 * Under the non-coherent device model, the device-view page of @page:
 * brought up to date first if a coherent device wrote @page since (see
 * "device-to-device hand-over" in "coherency"), then marked as written by
 * a non-coherent GPU core if @write, for invalidates and the syncs of
 * view devices (vmsm_coherency_view_sync()). On a coherent device @page,
 * brought up to date with what non-coherent devices wrote, and marked as
 * newer than its view if @write.
 *
 * Context: the GPU core, in a job; may copy a page.
 *
 * Return: the device-view page of @page under the non-coherent device
 * model, else @page.
 */
struct page *vmsm_coherency_device_page(struct vmsm_device *vdev,
					struct page *page, bool write)
{
	struct page *shadow;
	unsigned long *bits;

	if (!vdev->model) {
		vmsm_coherency_coherent_access(page, write);
		return page;
	}
	shadow = xa_load(&vmsm_shadows, page_to_pfn(page));
	if (!shadow)
		return page;
	bits = &shadow->private;
	if (test_and_clear_bit(VMSM_SHADOW_CPU_NEWER, bits))
		copy_highpage(shadow, page);
	if (write && !test_bit(VMSM_SHADOW_DEV_WROTE, bits))
		set_bit(VMSM_SHADOW_DEV_WROTE, bits);
	return shadow;
}

/**
 * vmsm_coherency_range() - check a uapi byte range and make it explicit
 * @bo: the object
 * @offset: in/out, first byte
 * @size: in/out, bytes; 0 with @offset 0 means the whole object
 *
 * Return: 0 or -EINVAL for a range outside the object.
 */
int vmsm_coherency_range(struct vmsm_bo *bo, u64 *offset, u64 *size)
{
	u64 end, obj_size = bo->base.base.size;

	if (!*size) {
		if (*offset)
			return -EINVAL;
		*size = obj_size;
	}
	if (check_add_overflow(*offset, *size, &end) || end > obj_size)
		return -EINVAL;
	return 0;
}

static void vmsm_held_add(struct vmsm_bo *bo)
{
	spin_lock(&vmsm_held_lock);
	if (list_empty(&bo->held_link))
		list_add_tail(&bo->held_link, &vmsm_held);
	spin_unlock(&vmsm_held_lock);
}

static void vmsm_held_del(struct vmsm_bo *bo)
{
	spin_lock(&vmsm_held_lock);
	list_del_init(&bo->held_link);
	spin_unlock(&vmsm_held_lock);
}

/*
 * A CPU access through @bo holds @owner: both go on the held list, so
 * that a VM_BIND space of @owner's device that maps @owner finds it when
 * the access went through another device's import.
 */
static void vmsm_held_add_access(struct vmsm_bo *bo, struct vmsm_bo *owner)
{
	vmsm_held_add(bo);
	if (owner != bo)
		vmsm_held_add(owner);
}

/* @bo and @owner leave the held list once @owner's CPU accesses have all ended. */
static void vmsm_held_update(struct vmsm_bo *bo, struct vmsm_bo *owner)
{
	dma_resv_assert_held(owner->base.base.resv);
	if (iommu_owner_cpu_holds(&owner->owner))
		return;
	vmsm_held_del(bo);
	if (owner != bo)
		vmsm_held_del(owner);
}

/**
 * vmsm_coherency_bo_forget() - drop a freed object from the held list
 * @bo: the object, being freed
 */
void vmsm_coherency_bo_forget(struct vmsm_bo *bo)
{
	spin_lock(&vmsm_held_lock);
	list_del_init(&bo->held_link);
	list_del_init(&bo->import_link);
	spin_unlock(&vmsm_held_lock);
}

/**
 * vmsm_coherency_user_va_mapped() - an object enters a VM_BIND address space
 * @bo: the object, about to be mapped there
 *
 * From now on, jobs may write it without naming it: see
 * vmsm_coherency_cpu_begin(). Marks the object whose ownership state
 * counts (the exporter's, for an import of another vmsm device's export).
 */
void vmsm_coherency_user_va_mapped(struct vmsm_bo *bo)
{
	WRITE_ONCE(bo->user_va_mapped, true);
	WRITE_ONCE(vmsm_prime_owner_bo(bo)->user_va_mapped, true);
}

/*
 * Before the CPU takes @owner: if it was ever mapped into a VM_BIND
 * address space and jobs were submitted into one since the CPU last took
 * it, they may have written it unannounced.
 */
static void vmsm_coherency_catch_up(struct vmsm_bo *owner)
{
	s64 jobs = atomic64_read(&vmsm_user_va_jobs);

	dma_resv_assert_held(owner->base.base.resv);
	if (!READ_ONCE(owner->user_va_mapped) || owner->user_va_seen == jobs)
		return;
	owner->user_va_seen = jobs;
	iommu_owner_device_wrote(&owner->owner, 0, owner->base.base.size);
}

/*
 * The object of @vdev through which a VM of @vdev reaches the memory of
 * @bo, which the CPU holds: @bo itself, or @vdev's import of it.
 */
static struct vmsm_bo *vmsm_held_on_device(struct vmsm_bo *bo,
					   struct vmsm_device *vdev)
{
	struct vmsm_bo *import;

	lockdep_assert_held(&vmsm_held_lock);
	if (bo->base.base.dev == &vdev->drm)
		return bo;
	list_for_each_entry(import, &bo->imports, import_link)
		if (import->base.base.dev == &vdev->drm)
			return import;
	return NULL;
}

/* @vm maps @bo, and @bo is not among the first @n of @objs yet. */
static bool vmsm_held_wanted(struct vmsm_bo *bo, struct vmsm_vm *vm,
			     struct drm_gem_object **objs, int n)
{
	struct drm_gem_object *obj = &bo->base.base;
	struct drm_gpuvm_bo *vm_bo;

	lockdep_assert_held(&vm->vdev->mm_lock);
	while (n--)
		if (objs[n] == obj)
			return false;
	drm_gem_for_each_gpuvm_bo(vm_bo, obj)
		if (vm_bo->vm == &vm->gpuvm)
			return true;
	return false;
}

/**
 * vmsm_coherency_vm_held() - the objects the CPU holds that a VM maps
 * @vm: a VM_BIND address space about to run a job
 * @objs: out: a kvmalloc'ed array of references, to be put and freed by
 *	the caller, or NULL when there are none
 *
 * An object counts when the VM maps it or its device's import of it: the
 * CPU may hold the memory through another vmsm device's handle (the
 * exporter's or another import's). The cost follows the number of
 * objects the CPU holds, not the number of objects the VM maps.
 *
 * Return: the number of objects in @objs, or -ENOMEM.
 */
int vmsm_coherency_vm_held(struct vmsm_vm *vm, struct drm_gem_object ***objs)
{
	struct vmsm_bo *bo, *mapped;
	int n = 0, max = 0;

	*objs = NULL;
	spin_lock(&vmsm_held_lock);
	list_for_each_entry(bo, &vmsm_held, held_link)
		max++;
	spin_unlock(&vmsm_held_lock);
	if (!max)
		return 0;
	*objs = kvcalloc(max, sizeof(**objs), GFP_KERNEL);
	if (!*objs)
		return -ENOMEM;

	mutex_lock(&vm->vdev->mm_lock);
	spin_lock(&vmsm_held_lock);
	list_for_each_entry(bo, &vmsm_held, held_link) {
		if (n == max)
			break;
		mapped = vmsm_held_on_device(bo, vm->vdev);
		if (mapped && vmsm_held_wanted(mapped, vm, *objs, n) &&
		    kref_get_unless_zero(&mapped->base.base.refcount))
			(*objs)[n++] = &mapped->base.base;
	}
	spin_unlock(&vmsm_held_lock);
	mutex_unlock(&vm->vdev->mm_lock);
	return n;
}

/**
 * vmsm_coherency_vm_handover() - hand held objects of a VM to the device
 * @objs: from vmsm_coherency_vm_held(), their reservations held
 * @nr: number of objects
 *
 * As a submit's BO list does for the objects it names (see "coherency"):
 * the device may write each object its mapping does not make read-only.
 * Then counts the submit for vmsm_coherency_catch_up(); called for every
 * submit into a VM_BIND address space, @nr 0 for most.
 *
 * Return: 0, or -EBUSY in strict mode (the held objects are unchanged).
 */
int vmsm_coherency_vm_handover(struct drm_gem_object **objs, int nr)
{
	int i, ret;

	for (i = 0; i < nr; i++) {
		struct vmsm_bo *bo = to_vmsm_bo(objs[i]);

		ret = vmsm_coherency_device_begin(bo, !(bo->flags & VMSM_BO_GPU_READONLY));
		if (ret)
			return ret;
		vmsm_held_update(bo, vmsm_prime_owner_bo(bo));
	}
	atomic64_inc(&vmsm_user_va_jobs);
	return 0;
}

static u32 vmsm_prep_op_dir(u32 op)
{
	if (!(op & VMSM_PREP_WRITE))
		return DMA_FROM_DEVICE;
	if (!(op & VMSM_PREP_READ))
		return DMA_TO_DEVICE;
	return DMA_BIDIRECTIONAL;
}

/*
 * vmsm_coherency_cpu_begin() with @bo's reservation held. Return: 1 if
 * the CPU took the range (the object's ownership is tracked), 0 if there
 * is nothing to take, or a negative errno.
 */
static int vmsm_coherency_cpu_begin_locked(struct vmsm_bo *bo, u64 offset,
					   u64 size, u32 op)
{
	struct vmsm_bo *owner = vmsm_prime_owner_bo(bo);
	int ret;

	dma_resv_assert_held(bo->base.base.resv);
	if (!owner->owned)
		return 0;
	vmsm_coherency_catch_up(owner);
	ret = iommu_owner_begin_cpu_access(&owner->owner, offset, size,
					   vmsm_prep_op_dir(op));
	if (ret)
		return ret;
	vmsm_held_add_access(bo, owner);
	return 1;
}

/**
 * vmsm_coherency_cpu_begin() - begin CPU access to a range of an object
 * @bo: the object, idle for the access; an import of another vmsm
 *	device's export transfers the exporter's object
 * @offset: first byte
 * @size: bytes, checked with vmsm_coherency_range()
 * @op: %VMSM_PREP_READ and/or %VMSM_PREP_WRITE
 *
 * Context: takes the object's reservation lock.
 *
 * Return: 0 or -EINVAL.
 */
int vmsm_coherency_cpu_begin(struct vmsm_bo *bo, u64 offset, u64 size, u32 op)
{
	struct dma_resv *resv = bo->base.base.resv;
	int ret;

	dma_resv_lock(resv, NULL);
	ret = vmsm_coherency_cpu_begin_locked(bo, offset, size, op);
	dma_resv_unlock(resv);
	return min(ret, 0);
}

/* vmsm_coherency_cpu_end() with @bo's reservation held. */
static int vmsm_coherency_cpu_end_locked(struct vmsm_bo *bo, u64 offset, u64 size,
					 enum dma_data_direction dir)
{
	struct vmsm_bo *owner = vmsm_prime_owner_bo(bo);
	int ret;

	dma_resv_assert_held(bo->base.base.resv);
	if (!owner->owned)
		return 0;
	ret = iommu_owner_end_cpu_access(&owner->owner, offset, size, dir);
	vmsm_held_update(bo, owner);
	return ret;
}

/**
 * vmsm_coherency_cpu_end() - end CPU access to a range of an object
 * @bo: the object
 * @offset: first byte
 * @size: bytes, checked with vmsm_coherency_range()
 *
 * Context: takes the object's reservation lock.
 *
 * Return: 0 or -EINVAL.
 */
int vmsm_coherency_cpu_end(struct vmsm_bo *bo, u64 offset, u64 size)
{
	struct dma_resv *resv = bo->base.base.resv;
	int ret;

	dma_resv_lock(resv, NULL);
	ret = vmsm_coherency_cpu_end_locked(bo, offset, size, DMA_NONE);
	dma_resv_unlock(resv);
	return ret;
}

/**
 * vmsm_coherency_kernel_begin() - a kernel mapping of an object begins
 * @bo: the object, being vmapped; its reservation held
 *
 * A kernel mapping is a CPU access, for reading and writing, to the whole
 * object, from when it is made until it is gone: the pages the device may
 * have written are invalidated first, so that a kernel reader sees them,
 * and the CPU holds the object until vmsm_coherency_kernel_end().
 *
 * Return: 0, or -EBUSY if the object is held too many times already.
 */
int vmsm_coherency_kernel_begin(struct vmsm_bo *bo)
{
	int ret;

	ret = vmsm_coherency_cpu_begin_locked(bo, 0, bo->base.base.size,
					      VMSM_PREP_READ | VMSM_PREP_WRITE);
	if (ret > 0)
		bo->kernel_holds++;
	return min(ret, 0);
}

/* Write tracking does not see kernel mappings: each page may be written. */
static void vmsm_coherency_kernel_wrote(struct vmsm_bo *owner)
{
	unsigned long p, nr_pages = owner->base.base.size >> PAGE_SHIFT;

	if (!(owner->owner.flags & IOMMU_OWNER_TRACK_WRITES))
		return;
	for (p = 0; p < nr_pages; p++)
		iommu_owner_cpu_wrote(&owner->owner, p);
}

/**
 * vmsm_coherency_kernel_end() - a kernel mapping of an object is gone
 * @bo: the object, being vunmapped; its reservation held
 *
 * Ends the access vmsm_coherency_kernel_begin() began, as having written
 * all of the object (the mapping is not write tracked): what the kernel
 * wrote is cleaned for the device.
 */
void vmsm_coherency_kernel_end(struct vmsm_bo *bo)
{
	struct vmsm_bo *owner = vmsm_prime_owner_bo(bo);

	dma_resv_assert_held(bo->base.base.resv);
	if (!bo->kernel_holds || !owner->owned)
		return;
	bo->kernel_holds--;
	vmsm_coherency_kernel_wrote(owner);
	vmsm_coherency_cpu_end_locked(bo, 0, bo->base.base.size, DMA_BIDIRECTIONAL);
}

/**
 * vmsm_coherency_device_begin() - hand a submitted object to the device
 * @bo: the object, its reservation held (shared with the exporting object
 *	for an import of another vmsm device's export)
 * @write: the job may write it
 *
 * Return: 0, or -EBUSY in strict mode when the CPU still owns part of it.
 */
int vmsm_coherency_device_begin(struct vmsm_bo *bo, bool write)
{
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);

	dma_resv_assert_held(bo->base.base.resv);
	/*
	 * A coherent device reads and writes the CPU's view: for the object
	 * of a non-coherent exporter, its writes are the CPU's, which an
	 * invalidate would discard (and, under the model, overwrite with the
	 * exporter's device view).
	 */
	if (vdev->caps.coherent)
		write = false;
	bo = vmsm_prime_owner_bo(bo);
	if (!bo->owned)
		return 0;
	return iommu_owner_begin_device_access(&bo->owner, 0, bo->base.base.size,
					       write ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE);
}

/**
 * vmsm_coherency_cpu_wrote() - a write fault on a tracked CPU mapping
 * @bo: the object, kept alive and pinned by the mapping
 * @page: page index in the object
 *
 * A write fault is a CPU access too: jobs of a VM_BIND space that maps
 * the object may have written the page since the CPU last took it, and
 * the fault must bring their data in before the write lands, as it does
 * for what a listed job wrote. Sleeps (the reservation, the ownership
 * state's mutex), which pfn_mkwrite may.
 */
void vmsm_coherency_cpu_wrote(struct vmsm_bo *bo, unsigned long page)
{
	/* Pairs with vmsm_coherency_bo_pin(). */
	if (!smp_load_acquire(&bo->owned))
		return;
	if (READ_ONCE(bo->user_va_mapped)) {
		dma_resv_lock(bo->base.base.resv, NULL);
		vmsm_coherency_catch_up(bo);
		dma_resv_unlock(bo->base.base.resv);
	}
	iommu_owner_cpu_wrote(&bo->owner, page);
}

/**
 * vmsm_coherency_debugfs_show() - the device's coherency state
 * @m: the debugfs file
 * @vdev: the device
 */
void vmsm_coherency_debugfs_show(struct seq_file *m, struct vmsm_device *vdev)
{
	seq_printf(m, "model %d\nshadow_pages %d\n", vdev->model,
		   atomic_read(&vdev->nr_shadow_pages));
	iommu_owner_ctx_show(m, &vdev->owner_ctx);
}
