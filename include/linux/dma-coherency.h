/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Whether two devices sharing a buffer are cache-coherent with each other.
 */
#ifndef __LINUX_DMA_COHERENCY_H
#define __LINUX_DMA_COHERENCY_H

#include <linux/types.h>

struct device;

int dma_coherency_register(struct device *dev, bool coherent);
void dma_coherency_unregister(struct device *dev);
bool dma_dev_is_coherent(struct device *dev);
bool dma_dev_is_coherent_with_dev(struct device *exporter, struct device *importer);

#endif /* __LINUX_DMA_COHERENCY_H */
