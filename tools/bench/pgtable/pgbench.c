// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_pgbench: vmsm's GPU page tables side by side with the kernel's own
 * ARM LPAE page-table code, io-pgtable-arm. A bench-only module, built by
 * `make bench` and loaded only in its VM; not part of vmsm.ko.
 *
 * Reading /sys/kernel/debug/vmsm_pgbench/run maps and unmaps 1 GiB, in
 * 4 KiB pages and in 2 MiB blocks, through both:
 *
 * - vmsm: vmsm_pgtable.c, the same source vmsm.ko is built from, with the
 *   memory services vmsm_mmu.c gives it (zeroed pages mapped with
 *   dma_map_page(), child tables found from their bus addresses, new
 *   descriptors synced with dma_sync_single_for_device(), unlinked tables
 *   freed after the call, as vmsm frees them after a grace period);
 * - io-pgtable-arm: alloc_io_pgtable_ops(ARM_64_LPAE_S1), 48-bit input and
 *   output addresses, 4 KiB granule, TLB callbacks that do nothing.
 *
 * once on a device that is cache-coherent (no cache maintenance:
 * io-pgtable-arm's coherent_walk) and once on one that is not (each
 * table written is cleaned to memory, vmsm's self-registered devices on
 * arm64 by default). Each range is mapped either with one call (vmsm_pt_map()
 * of the whole GiB; map_pages() of as many pages as it takes per call,
 * which is one table's worth) or with one call per page or block, as
 * mapping a scatter list of discontiguous pages does; and unmapped the same
 * way. Every repetition starts from empty page tables; the best of
 * @PGB_REPS is reported. Freeing the tables that are left is not timed.
 *
 * Each result line is
 *
 *	<impl> <coherent|noncoherent> <range|per-call> <4K|2M> <units> <map ns> <unmap ns>
 *
 * A kernel without io-pgtable-arm's LPAE formats (Debian's amd64
 * kernel: %CONFIG_IOMMU_IO_PGTABLE_LPAE is not set) gives the line
 * "io-pgtable-arm unavailable" instead of its results, and one where
 * every device is coherent (x86) "noncoherent unavailable".
 */

#include <linux/debugfs.h>
#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "vmsm_pgtable.h"

#define PGB_TOTAL	SZ_1G
#define PGB_IOVA	(4ull << 30)	/* GPU (or I/O) virtual address */
#define PGB_BUS		(1ull << 40)	/* output address; never accessed */
#define PGB_REPS	5
#define PGB_OUT_SIZE	4096

struct pgb_dev {
	struct platform_device *pdev;
	bool coherent;
	struct list_head freed;		/* vmsm: tables unlinked by an unmap */
};

/* vmsm's memory services, as vmsm_mmu.c implements them */

static u64 *pgb_vmsm_alloc_table(void *priv, u64 *bus)
{
	struct pgb_dev *d = priv;
	struct device *dev = &d->pdev->dev;
	struct page *page;
	dma_addr_t addr;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	addr = dma_map_page(dev, page, 0, VMSM_PT_TABLE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, addr)) {
		__free_page(page);
		return NULL;
	}
	set_page_private(page, addr);
	*bus = addr;
	return page_address(page);
}

/* Deferred, as in vmsm: a walk may still be reading the table. */
static void pgb_vmsm_free_table(void *priv, u64 *table, u64 bus)
{
	struct pgb_dev *d = priv;

	list_add(&virt_to_page(table)->lru, &d->freed);
}

static u64 *pgb_vmsm_table_va(void *priv, u64 bus)
{
	struct pgb_dev *d = priv;
	struct device *dev = &d->pdev->dev;
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	phys_addr_t phys;

	if (domain && domain->type != IOMMU_DOMAIN_IDENTITY)
		phys = iommu_iova_to_phys(domain, bus);
	else
		phys = dma_to_phys(dev, bus);
	if (!phys || !pfn_valid(PHYS_PFN(phys)))
		return NULL;
	return page_address(pfn_to_page(PHYS_PFN(phys))) + offset_in_page(phys);
}

static void pgb_vmsm_sync_table(void *priv, u64 *table, unsigned int idx,
				unsigned int count)
{
	struct pgb_dev *d = priv;
	dma_addr_t bus = page_private(virt_to_page(table));

	dma_sync_single_for_device(&d->pdev->dev, bus + idx * sizeof(u64),
				   count * sizeof(u64), DMA_TO_DEVICE);
}

static const struct vmsm_pt_ops pgb_vmsm_ops = {
	.alloc_table = pgb_vmsm_alloc_table,
	.free_table = pgb_vmsm_free_table,
	.table_va = pgb_vmsm_table_va,
	.sync_table = pgb_vmsm_sync_table,
};

static void pgb_vmsm_free_pages(struct pgb_dev *d)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &d->freed, lru) {
		list_del(&page->lru);
		dma_unmap_page(&d->pdev->dev, page_private(page),
			       VMSM_PT_TABLE_SIZE, DMA_TO_DEVICE);
		set_page_private(page, 0);
		__free_page(page);
	}
}

/* io-pgtable-arm's TLB maintenance: nothing to invalidate here */

static void pgb_tlb_flush_all(void *cookie)
{
}

static void pgb_tlb_flush_walk(unsigned long iova, size_t size,
			       size_t granule, void *cookie)
{
}

static void pgb_tlb_add_page(struct iommu_iotlb_gather *gather,
			     unsigned long iova, size_t granule, void *cookie)
{
}

static const struct iommu_flush_ops pgb_flush_ops = {
	.tlb_flush_all = pgb_tlb_flush_all,
	.tlb_flush_walk = pgb_tlb_flush_walk,
	.tlb_add_page = pgb_tlb_add_page,
};

struct pgb_case {
	u64 pgsize;		/* SZ_4K or SZ_2M */
	bool per_call;		/* one call per page or block */
};

/*
 * Output addresses: 2 MiB-aligned for blocks; for pages 4 KiB past a
 * 2 MiB boundary, so that vmsm, which maps blocks wherever the addresses
 * allow, writes pages (io-pgtable-arm writes the size it is asked for).
 */
static u64 pgb_bus(const struct pgb_case *c)
{
	return c->pgsize == SZ_2M ? PGB_BUS : PGB_BUS + SZ_4K;
}

/* One repetition through vmsm's page tables: 0, or a negative error. */
static int pgb_run_vmsm(struct pgb_dev *d, const struct pgb_case *c,
			u64 *map_ns, u64 *unmap_ns)
{
	u32 prot = VMSM_PT_PROT_READ | VMSM_PT_PROT_WRITE |
		   VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_CACHED);
	u64 step = c->per_call ? c->pgsize : PGB_TOTAL;
	u64 bus = pgb_bus(c), off, unmapped = 0;
	struct vmsm_pt_walk_result w;
	struct vmsm_pgtable pt;
	int ret = 0;
	u64 t;

	ret = vmsm_pt_init(&pt, &pgb_vmsm_ops, d);
	if (ret)
		return ret;

	t = ktime_get_ns();
	for (off = 0; off < PGB_TOTAL; off += step) {
		ret = vmsm_pt_map(&pt, PGB_IOVA + off, bus + off, step, prot);
		if (ret)
			break;
	}
	*map_ns = ktime_get_ns() - t;

	/* what was written: the last page or block, of the size wanted */
	if (!ret) {
		off = PGB_TOTAL - c->pgsize;
		ret = vmsm_pt_walk(&pgb_vmsm_ops, d, pt.root_bus, PGB_IOVA + off, &w);
		if (!ret && (w.bus != bus + off || w.size != c->pgsize))
			ret = -EIO;
	}

	t = ktime_get_ns();
	for (off = 0; off < PGB_TOTAL; off += step)
		unmapped += vmsm_pt_unmap(&pt, PGB_IOVA + off, step);
	*unmap_ns = ktime_get_ns() - t;
	if (!ret && unmapped != PGB_TOTAL)
		ret = -EIO;

	vmsm_pt_fini(&pt);
	pgb_vmsm_free_pages(d);
	return ret;
}

/* One repetition through io-pgtable-arm: 0, or a negative error. */
static int pgb_run_iop(struct pgb_dev *d, const struct pgb_case *c,
		       u64 *map_ns, u64 *unmap_ns)
{
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
		.ias = 48,
		.oas = 48,
		.coherent_walk = d->coherent,
		.tlb = &pgb_flush_ops,
		.iommu_dev = &d->pdev->dev,
	};
	int prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE | IOMMU_NOEXEC;
	size_t count = c->per_call ? 1 : PGB_TOTAL / c->pgsize;
	u64 step = count * c->pgsize;
	u64 bus = pgb_bus(c), off, unmapped = 0;
	struct iommu_iotlb_gather gather;
	struct io_pgtable_ops *ops;
	size_t mapped, done;
	int ret = 0;
	u64 t;

	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, d);
	if (!ops)
		return -ENODEV;

	/* map_pages() maps up to the end of one table per call */
	t = ktime_get_ns();
	for (off = 0; off < PGB_TOTAL && !ret; off += step) {
		for (done = 0; done < step && !ret; done += mapped) {
			mapped = 0;
			ret = ops->map_pages(ops, PGB_IOVA + off + done,
					     bus + off + done, c->pgsize,
					     (step - done) / c->pgsize, prot,
					     GFP_KERNEL, &mapped);
			if (!ret && !mapped)
				ret = -EIO;
		}
	}
	*map_ns = ktime_get_ns() - t;
	if (ret)
		goto out;

	if (!ret) {
		off = PGB_TOTAL - c->pgsize;
		if (ops->iova_to_phys(ops, PGB_IOVA + off + c->pgsize - 1) !=
		    bus + off + c->pgsize - 1)
			ret = -EIO;
	}

	iommu_iotlb_gather_init(&gather);
	t = ktime_get_ns();
	for (off = 0; off < PGB_TOTAL; off += step) {
		for (done = 0; done < step; done += mapped) {
			mapped = ops->unmap_pages(ops, PGB_IOVA + off + done,
						  c->pgsize,
						  (step - done) / c->pgsize,
						  &gather);
			if (!mapped)
				break;
		}
		unmapped += done;
	}
	*unmap_ns = ktime_get_ns() - t;
	if (!ret && unmapped != PGB_TOTAL)
		ret = -EIO;
out:
	free_io_pgtable_ops(ops);
	return ret;
}

static struct pgb_dev pgb_devs[2];	/* coherent, non-coherent */
static struct dentry *pgb_dir;
static DEFINE_MUTEX(pgb_lock);

static bool pgb_iop_available(struct pgb_dev *d)
{
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
		.ias = 48,
		.oas = 48,
		.coherent_walk = true,
		.tlb = &pgb_flush_ops,
		.iommu_dev = &d->pdev->dev,
	};
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, d);

	if (!ops)
		return false;
	free_io_pgtable_ops(ops);
	return true;
}

/* Runs every case, the two implementations taking turns; returns bytes. */
static int pgb_run_all(char *out, size_t len)
{
	static const struct pgb_case cases[] = {
		{ SZ_4K, false }, { SZ_2M, false }, { SZ_4K, true }, { SZ_2M, true },
	};
	static const char * const impl[] = { "vmsm", "io-pgtable-arm" };
	u64 best[2][2], map_ns, unmap_ns;
	bool iop = pgb_iop_available(&pgb_devs[0]);
	int n = 0, ret, i, dv, r, k;

	if (!iop)
		n += scnprintf(out + n, len - n, "io-pgtable-arm unavailable\n");
	for (dv = 0; dv < ARRAY_SIZE(pgb_devs); dv++) {
		struct pgb_dev *d = &pgb_devs[dv];

		/* x86: every device is coherent */
		if (dev_is_dma_coherent(&d->pdev->dev) != d->coherent) {
			n += scnprintf(out + n, len - n, "%s unavailable\n",
				       d->coherent ? "coherent" : "noncoherent");
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			const struct pgb_case *c = &cases[i];

			memset(best, 0xff, sizeof(best));
			for (r = 0; r < PGB_REPS; r++) {
				for (k = 0; k < (iop ? 2 : 1); k++) {
					ret = k ? pgb_run_iop(d, c, &map_ns, &unmap_ns) :
						  pgb_run_vmsm(d, c, &map_ns, &unmap_ns);
					if (ret) {
						pr_err("vmsm_pgbench: %s %s %s %s: %d\n",
						       impl[k], d->coherent ?
						       "coherent" : "noncoherent",
						       c->per_call ? "per-call" : "range",
						       c->pgsize == SZ_4K ? "4K" : "2M", ret);
						return ret;
					}
					best[k][0] = min(best[k][0], map_ns);
					best[k][1] = min(best[k][1], unmap_ns);
					cond_resched();
				}
			}
			for (k = 0; k < (iop ? 2 : 1); k++)
				n += scnprintf(out + n, len - n,
					       "%s %s %s %s %llu %llu %llu\n", impl[k],
					       d->coherent ? "coherent" : "noncoherent",
					       c->per_call ? "per-call" : "range",
					       c->pgsize == SZ_4K ? "4K" : "2M",
					       PGB_TOTAL / c->pgsize, best[k][0], best[k][1]);
		}
	}
	return n;
}

/* Opening the file runs the benchmark; reading it gives the results. */
static int pgb_run_open(struct inode *inode, struct file *file)
{
	char *out = kzalloc(PGB_OUT_SIZE, GFP_KERNEL);
	int n;

	if (!out)
		return -ENOMEM;
	mutex_lock(&pgb_lock);
	n = pgb_run_all(out, PGB_OUT_SIZE);
	mutex_unlock(&pgb_lock);
	if (n < 0) {
		kfree(out);
		return n;
	}
	file->private_data = out;
	return nonseekable_open(inode, file);
}

static ssize_t pgb_run_read(struct file *file, char __user *buf, size_t count,
			    loff_t *ppos)
{
	const char *out = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, out, strlen(out));
}

static int pgb_run_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations pgb_run_fops = {
	.owner = THIS_MODULE,
	.open = pgb_run_open,
	.read = pgb_run_read,
	.release = pgb_run_release,
};

/*
 * Devices of no driver, for the DMA API: the one for the coherent runs is
 * marked coherent as the firmware's "dma-coherent" would mark it.
 */
static int pgb_dev_init(struct pgb_dev *d, int id, bool coherent)
{
	int ret;

	d->coherent = coherent;
	INIT_LIST_HEAD(&d->freed);
	d->pdev = platform_device_alloc("vmsm_pgbench", id);
	if (!d->pdev)
		return -ENOMEM;
#if defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU_ALL)
	d->pdev->dev.dma_coherent = coherent;
#endif
	ret = dma_set_mask_and_coherent(&d->pdev->dev, DMA_BIT_MASK(64));
	if (!ret)
		ret = platform_device_add(d->pdev);
	if (ret) {
		platform_device_put(d->pdev);
		d->pdev = NULL;
	}
	return ret;
}

static void pgb_devs_fini(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pgb_devs); i++) {
		if (pgb_devs[i].pdev)
			platform_device_unregister(pgb_devs[i].pdev);
		pgb_devs[i].pdev = NULL;
	}
}

static int __init pgb_init(void)
{
	int ret;

	ret = pgb_dev_init(&pgb_devs[0], 0, true);
	if (!ret)
		ret = pgb_dev_init(&pgb_devs[1], 1, false);
	if (ret) {
		pgb_devs_fini();
		return ret;
	}
	pgb_dir = debugfs_create_dir("vmsm_pgbench", NULL);
	debugfs_create_file("run", 0400, pgb_dir, NULL, &pgb_run_fops);
	return 0;
}

static void __exit pgb_exit(void)
{
	debugfs_remove_recursive(pgb_dir);
	pgb_devs_fini();
}

module_init(pgb_init);
module_exit(pgb_exit);

MODULE_DESCRIPTION("vmsm's GPU page tables against io-pgtable-arm (benchmark)");
MODULE_AUTHOR("The vmsm authors");
MODULE_LICENSE("GPL");
