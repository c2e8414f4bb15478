/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Out-of-tree builds only, on kernels without the series' dma-mapping
 * patches (Debian's 6.12): the Makefiles of drivers/dma-buf and
 * drivers/iommu include it first in the files that need it, when the
 * kernel's <linux/dma-mapping.h> lacks dma_sync_phys_for_device(). It is
 * not part of the series.
 */
#ifndef __VMSM_COMPAT_DMA_MAPPING_H
#define __VMSM_COMPAT_DMA_MAPPING_H

/*
 * The series moves dev_is_dma_coherent() from <linux/dma-map-ops.h>, the
 * header of DMA ops implementations, to <linux/dma-mapping.h>, where the
 * sources look for it. Until then it is only in the former.
 */
#include <linux/dma-map-ops.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>

/*
 * The series adds cache maintenance by physical address. Without it, the
 * same maintenance goes through the streaming DMA API on the direct
 * mapping of the range, which is only right for memory the caller mapped
 * with dma_map_sgtable() for @dev without an IOMMU or bounce buffering:
 * vmsm's devices, which map every object they pin.
 */
static inline void dma_sync_phys_for_device(struct device *dev,
					    phys_addr_t phys, size_t size,
					    enum dma_data_direction dir)
{
	dma_sync_single_for_device(dev, phys_to_dma(dev, phys), size, dir);
}

static inline void dma_sync_phys_for_cpu(struct device *dev,
					 phys_addr_t phys, size_t size,
					 enum dma_data_direction dir)
{
	dma_sync_single_for_cpu(dev, phys_to_dma(dev, phys), size, dir);
}

#endif /* __VMSM_COMPAT_DMA_MAPPING_H */
