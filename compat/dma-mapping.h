/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Out-of-tree builds only, on kernels without the series' dma-mapping
 * patches (Debian's 6.12): drivers/dma-buf/Makefile includes it first in
 * the files that need it. It is not part of the series.
 *
 * The series moves dev_is_dma_coherent() from <linux/dma-map-ops.h>, the
 * header of DMA ops implementations, to <linux/dma-mapping.h>, where the
 * sources look for it. Until then it is only in the former.
 */
#ifndef __VMSM_COMPAT_DMA_MAPPING_H
#define __VMSM_COMPAT_DMA_MAPPING_H

#include <linux/dma-map-ops.h>

#endif /* __VMSM_COMPAT_DMA_MAPPING_H */
