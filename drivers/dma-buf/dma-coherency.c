// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: dma-buf coherency query
 *
 * Before an exporter chooses how to map a buffer for an importer, or an
 * allocator chooses between cached and write-combined CPU mappings, it
 * needs to know whether the devices involved see the CPU's caches.
 * dma_dev_is_coherent_with_dev() answers that for two devices: they are
 * coherent with each other when both are cache-coherent with the CPU, so
 * that a buffer with cached CPU mappings needs no maintenance when it
 * moves between the CPU and either device. Otherwise CPU access to a
 * cached buffer has to be bracketed with cache maintenance
 * (DMA_BUF_IOCTL_SYNC, dma_buf_begin_cpu_access()) for the non-coherent
 * one, or the buffer mapped write-combined.
 *
 * A device's coherency with the CPU is what the DMA core knows
 * (dev_is_dma_coherent(), from the firmware's ``dma-coherent``), unless
 * its driver registered it with dma_coherency_register(): drivers of
 * devices that reach memory through an MMU of their own, whose coherency
 * the DMA core does not describe, and virtual devices.
 */

#include <linux/device.h>
#include <linux/dma-coherency.h>
#include <linux/dma-mapping.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct dma_coherency_entry {
	struct list_head link;
	struct device *dev;
	bool coherent;
};

/* The registered devices; few, looked up at attach and allocation time. */
static LIST_HEAD(dma_coherency_list);
static DEFINE_SPINLOCK(dma_coherency_lock); /* dma_coherency_list */

/**
 * dma_coherency_register() - state a device's coherency with the CPU
 * @dev: the device
 * @coherent: it snoops the CPU's caches
 *
 * Overrides what the DMA core knows until dma_coherency_unregister().
 *
 * Return: 0, -ENOMEM, -EEXIST if @dev is registered already.
 */
int dma_coherency_register(struct device *dev, bool coherent)
{
	struct dma_coherency_entry *e, *old;
	int ret = 0;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->dev = dev;
	e->coherent = coherent;

	spin_lock(&dma_coherency_lock);
	list_for_each_entry(old, &dma_coherency_list, link)
		if (old->dev == dev)
			ret = -EEXIST;
	if (!ret)
		list_add(&e->link, &dma_coherency_list);
	spin_unlock(&dma_coherency_lock);
	if (ret)
		kfree(e);
	return ret;
}
EXPORT_SYMBOL_GPL(dma_coherency_register);

/**
 * dma_coherency_unregister() - forget what dma_coherency_register() said
 * @dev: the device
 */
void dma_coherency_unregister(struct device *dev)
{
	struct dma_coherency_entry *e, *tmp, *found = NULL;

	spin_lock(&dma_coherency_lock);
	list_for_each_entry_safe(e, tmp, &dma_coherency_list, link) {
		if (e->dev == dev) {
			list_del(&e->link);
			found = e;
			break;
		}
	}
	spin_unlock(&dma_coherency_lock);
	kfree(found);
}
EXPORT_SYMBOL_GPL(dma_coherency_unregister);

/**
 * dma_dev_is_coherent() - whether a device is cache-coherent with the CPU
 * @dev: the device
 *
 * Return: the registered coherency of @dev, else dev_is_dma_coherent().
 */
bool dma_dev_is_coherent(struct device *dev)
{
	struct dma_coherency_entry *e;
	bool coherent = dev_is_dma_coherent(dev);

	spin_lock(&dma_coherency_lock);
	list_for_each_entry(e, &dma_coherency_list, link) {
		if (e->dev == dev) {
			coherent = e->coherent;
			break;
		}
	}
	spin_unlock(&dma_coherency_lock);
	return coherent;
}
EXPORT_SYMBOL_GPL(dma_dev_is_coherent);

/**
 * dma_dev_is_coherent_with_dev() - whether two devices share a coherent view
 * @exporter: the device that exports (or allocates) the buffer
 * @importer: the device that imports it; NULL for the CPU alone
 *
 * Return: true if a buffer with cached CPU mappings needs no cache
 * maintenance when it moves between the CPU, @exporter and @importer.
 */
bool dma_dev_is_coherent_with_dev(struct device *exporter, struct device *importer)
{
	if (!dma_dev_is_coherent(exporter))
		return false;
	return !importer || dma_dev_is_coherent(importer);
}
EXPORT_SYMBOL_GPL(dma_dev_is_coherent_with_dev);

MODULE_AUTHOR("The vmsm authors");
MODULE_DESCRIPTION("Coherency query between devices sharing dma-bufs");
MODULE_LICENSE("GPL");
