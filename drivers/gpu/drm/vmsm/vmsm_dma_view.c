// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: device model of the DMA API
 *
 * vmsm's own objects move data between the CPU's pages and the device
 * view through their ownership transfers (see "coherency"). A dma-buf of
 * another exporter moves data only the way the dma-buf contract says: the
 * exporter's begin_cpu_access and end_cpu_access sync every importer's
 * mapping with dma_sync_sgtable_for_cpu() and dma_sync_sgtable_for_device(),
 * and mapping an attachment without %DMA_ATTR_SKIP_CPU_SYNC cleans. Those
 * are DMA API calls on the attached device, which on hardware reach the
 * architecture's cache maintenance and never the driver.
 *
 * So a device under the non-coherent device model, with no IOMMU and no
 * DMA range translation, attaches such dma-bufs through a second
 * &struct device of its own, its view device (a child of the platform
 * device, never registered on a bus), whose &struct dma_map_ops are
 * vmsm's, as VDUSE gives its virtual devices DMA operations of their
 * own. Bus addresses are the physical ones, as the platform device's
 * direct mapping gives them, so the GPU's page tables and the GPU core
 * treat the import like any object and find its device view from the
 * pages the addresses name. The syncs are the model's cache maintenance,
 * per page of the range (vmsm_coherency_view_sync()):
 *
 * - for the device (a clean; mapping without %DMA_ATTR_SKIP_CPU_SYNC
 *   too): the CPU's bytes are copied into the view, except on pages a
 *   vmsm GPU wrote since the last sync for the CPU: the CPU, which did not
 *   take that data, cannot have written on top of it, and the GPU's data
 *   is kept;
 * - for the CPU (an invalidate; unmapping without
 *   %DMA_ATTR_SKIP_CPU_SYNC too): the view's bytes are copied back, but
 *   only on pages a vmsm GPU wrote since the last such sync, so that a
 *   CPU write that was not followed by a sync for the device is not
 *   overwritten by data no device changed. This is done for every
 *   direction, %DMA_TO_DEVICE too, where hardware need not invalidate:
 *   the model tracks pages, not cache lines, and a CPU that only writes
 *   part of a page the GPU wrote (SYNC_START with SYNC_WRITE alone) must
 *   not hand the rest of the page back stale at SYNC_END.
 *
 * Which imports get a view: dma-bufs whose exporter has begin_cpu_access
 * and syncs its attachments there, as the dma-buf contract asks (the
 * system heap; udmabuf with the fix that comes with vmsm in tree).
 * Exporters without begin_cpu_access (vgem, which maps write-combined,
 * so CPU caches hold none of its data) and, out of tree, udmabuf of
 * kernels without that fix, whose begin_cpu_access and end_cpu_access
 * sync its own misc device's mapping and not the attachments, keep the
 * platform device: a view would be stale for clients that sync
 * correctly. Kernels whose architecture has no %CONFIG_ARCH_HAS_DMA_OPS
 * have no view device either.
 */

#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/iommu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <drm/drm_managed.h>

#include "vmsm_drv.h"

#ifdef CONFIG_ARCH_HAS_DMA_OPS

/* The model's cache maintenance of [@phys, @phys + @size). */
static void vmsm_view_sync(phys_addr_t phys, size_t size, bool for_cpu)
{
	unsigned int offset, len;

	while (size) {
		offset = offset_in_page(phys);
		len = min_t(size_t, size, PAGE_SIZE - offset);
		vmsm_coherency_view_sync(pfn_to_page(PHYS_PFN(phys)), offset, len,
					 for_cpu);
		phys += len;
		size -= len;
	}
}

static dma_addr_t vmsm_view_map_page(struct device *dev, struct page *page,
				     unsigned long offset, size_t size,
				     enum dma_data_direction dir,
				     unsigned long attrs)
{
	phys_addr_t phys = page_to_phys(page) + offset;

	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		vmsm_view_sync(phys, size, false);
	return phys_to_dma(dev, phys);
}

static void vmsm_view_unmap_page(struct device *dev, dma_addr_t addr,
				 size_t size, enum dma_data_direction dir,
				 unsigned long attrs)
{
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		vmsm_view_sync(dma_to_phys(dev, addr), size, true);
}

static int vmsm_view_map_sg(struct device *dev, struct scatterlist *sgl,
			    int nents, enum dma_data_direction dir,
			    unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = vmsm_view_map_page(dev, sg_page(sg), sg->offset,
						     sg->length, dir, attrs);
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static void vmsm_view_unmap_sg(struct device *dev, struct scatterlist *sgl,
			       int nents, enum dma_data_direction dir,
			       unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		vmsm_view_unmap_page(dev, sg_dma_address(sg), sg_dma_len(sg), dir,
				     attrs);
}

static void vmsm_view_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
					  size_t size,
					  enum dma_data_direction dir)
{
	vmsm_view_sync(dma_to_phys(dev, addr), size, true);
}

static void vmsm_view_sync_single_for_device(struct device *dev,
					     dma_addr_t addr, size_t size,
					     enum dma_data_direction dir)
{
	vmsm_view_sync(dma_to_phys(dev, addr), size, false);
}

/*
 * By bus address, as dma-direct syncs: the pages of a scatter list handed
 * to an importer may be scrambled (CONFIG_DMABUF_DEBUG) when its exporter
 * syncs it.
 */
static void vmsm_view_sync_sg(struct device *dev, struct scatterlist *sgl,
			      int nents, bool for_cpu)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		vmsm_view_sync(dma_to_phys(dev, sg_dma_address(sg)), sg_dma_len(sg),
			       for_cpu);
}

static void vmsm_view_sync_sg_for_cpu(struct device *dev,
				      struct scatterlist *sgl, int nents,
				      enum dma_data_direction dir)
{
	vmsm_view_sync_sg(dev, sgl, nents, true);
}

static void vmsm_view_sync_sg_for_device(struct device *dev,
					 struct scatterlist *sgl, int nents,
					 enum dma_data_direction dir)
{
	vmsm_view_sync_sg(dev, sgl, nents, false);
}

static const struct dma_map_ops vmsm_view_dma_ops = {
	.map_page = vmsm_view_map_page,
	.unmap_page = vmsm_view_unmap_page,
	.map_sg = vmsm_view_map_sg,
	.unmap_sg = vmsm_view_unmap_sg,
	.sync_single_for_cpu = vmsm_view_sync_single_for_cpu,
	.sync_single_for_device = vmsm_view_sync_single_for_device,
	.sync_sg_for_cpu = vmsm_view_sync_sg_for_cpu,
	.sync_sg_for_device = vmsm_view_sync_sg_for_device,
};

static void vmsm_view_dev_release(struct device *dev)
{
	put_device(dev->parent);
	kfree(dev);
}

static void vmsm_view_dev_put(struct drm_device *drm, void *dev)
{
	put_device(dev);
}

/* Only where the platform device's bus addresses are physical addresses. */
static bool vmsm_view_possible(struct device *parent)
{
	return !iommu_get_domain_for_dev(parent) && !parent->dma_range_map;
}

/**
 * vmsm_dma_view_init() - create a device's view device
 * @vdev: the device, its coherency model decided (vmsm_coherency_init())
 *
 * Under the non-coherent device model, on kernels with DMA operations of
 * drivers' own and a platform device without address translation, gives
 * @vdev a view device (&vmsm_device.view_dev) that imports of other
 * exporters attach through; otherwise leaves it NULL. It lives as long as
 * the DRM device, which outlives every import.
 *
 * Return: 0 or a negative errno.
 */
int vmsm_dma_view_init(struct vmsm_device *vdev)
{
	struct device *parent = vdev->drm.dev, *dev;
	int ret;

	if (!vdev->model || !vmsm_view_possible(parent))
		return 0;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->parent = get_device(parent);
	dev->release = vmsm_view_dev_release;
	dev->coherent_dma_mask = parent->coherent_dma_mask;
	dev->dma_mask = &dev->coherent_dma_mask;
	set_dma_ops(dev, &vmsm_view_dma_ops);
	ret = dev_set_name(dev, "%s-view", dev_name(parent));
	if (ret) {
		put_device(dev);
		return ret;
	}
	ret = drmm_add_action_or_reset(&vdev->drm, vmsm_view_dev_put, dev);
	if (ret)
		return ret;
	vdev->view_dev = dev;
	return 0;
}

#else /* !CONFIG_ARCH_HAS_DMA_OPS */

int vmsm_dma_view_init(struct vmsm_device *vdev)
{
	return 0;
}

#endif /* CONFIG_ARCH_HAS_DMA_OPS */

/**
 * vmsm_dma_view_pages() - the pages of an import through a view device
 * @vdev: the importing device, with a view device
 * @sgt: the exporter's mapping of the attachment for the view device
 * @pages: filled with @nr_pages pages
 * @nr_pages: CPU pages of the import
 *
 * An importer must not use the pages of an imported scatter list (the
 * dma-buf core scrambles them under %CONFIG_DMABUF_DEBUG); the bus
 * addresses of its own device's mapping name them, as they do for the GPU
 * core, and a view device's are the physical addresses.
 *
 * Return: 0, or -EINVAL if the mapping does not cover @nr_pages pages.
 */
int vmsm_dma_view_pages(struct vmsm_device *vdev, struct sg_table *sgt,
			struct page **pages, unsigned long nr_pages)
{
	struct sg_dma_page_iter iter;
	unsigned long n = 0;
	dma_addr_t addr;

	for_each_sgtable_dma_page(sgt, &iter, 0) {
		if (n == nr_pages)
			return -EINVAL;
		addr = sg_page_iter_dma_address(&iter);
		pages[n++] = pfn_to_page(PHYS_PFN(dma_to_phys(vdev->view_dev, addr)));
	}
	return n == nr_pages ? 0 : -EINVAL;
}

/*
 * udmabuf syncs its attachments from "udmabuf: sync the mappings of
 * attached devices in begin/end_cpu_access" on, which comes with vmsm in
 * tree; out of tree, against kernels without it (Debian's 6.12), it syncs
 * only its own misc device's mapping, so its imports keep the pages.
 */
static bool vmsm_exporter_syncs_attachments(struct dma_buf *dmabuf)
{
	if (!dmabuf->ops->begin_cpu_access)
		return false;
#ifdef VMSM_COMPAT_UDMABUF_SYNCS_OWN_DEVICE
	if (dmabuf->exp_name && !strcmp(dmabuf->exp_name, "udmabuf"))
		return false;
#endif
	return true;
}

/**
 * vmsm_dma_view_attach_dev() - the device to import a dma-buf through
 * @vdev: the importing device
 * @dmabuf: a dma-buf of an exporter other than vmsm
 *
 * Return: @vdev's view device when it has one and @dmabuf's exporter
 * syncs its attachments, else the platform device.
 */
struct device *vmsm_dma_view_attach_dev(struct vmsm_device *vdev,
					struct dma_buf *dmabuf)
{
	if (vdev->view_dev && vmsm_exporter_syncs_attachments(dmabuf))
		return vdev->view_dev;
	return vdev->drm.dev;
}
