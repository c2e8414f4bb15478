// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: iommu-owner
 *
 * A driver that maps memory for its device through page tables of its own
 * (a GPU MMU), not through the DMA API's IOMMU domain, still has to keep
 * CPU caches and the device's view of that memory consistent when the
 * device is not cache-coherent. This API tracks who owns each page of
 * such a buffer, the CPU or the device, and performs exactly the cache
 * maintenance each ownership transfer needs: clean when the CPU hands
 * written pages to the device, invalidate when the CPU takes back pages
 * the device may have written, nothing at all on a coherent device or for
 * uncached memory.
 *
 * The maintenance is done by physical address, with
 * dma_sync_phys_for_device() and dma_sync_phys_for_cpu() on runs of the
 * buffer's pages: the device reaches them through its driver's page
 * tables, so no mapping of the DMA API is involved or needed, and nothing
 * is ever mapped or unmapped only to flush caches. (Out-of-tree builds
 * for kernels without those two functions replace them with
 * dma_sync_single_for_device() and dma_sync_single_for_cpu() on the
 * direct mapping of the same pages, which the driver then has to keep
 * mapped with dma_map_sgtable() until after iommu_owner_fini().)
 *
 * A buffer's pages start device-owned, as after dma_map_sg(). Ranges are
 * given in bytes and rounded out to whole pages: the page is the unit of
 * ownership, of CPU mappings and of write tracking.
 *
 * Checking mode (&iommu_owner_ctx.check) reports misuse, as DMA-API
 * debugging does for the DMA API: a device access to pages the CPU still
 * owns, a CPU write (seen by write tracking) to pages it does not own for
 * writing, an end of CPU access that never began. Reports name the
 * buffer, the byte range and the access, go to the kernel log and are
 * kept in a ring that iommu_owner_ctx_show() prints. Strict mode
 * (&iommu_owner_ctx.strict) makes iommu_owner_begin_device_access() fail
 * with -EBUSY instead of letting the device see stale memory.
 */

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu-owner.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "iommu-owner-state.h"

/**
 * iommu_owner_ctx_init() - set up the context of a device
 * @ctx: the context, zeroed or reused after its buffers are gone
 * @dev: the device accessing the memory
 * @coherent: @dev is cache-coherent with the CPU
 * @ops: the driver's hooks, may be NULL
 */
void iommu_owner_ctx_init(struct iommu_owner_ctx *ctx, struct device *dev,
			  bool coherent, const struct iommu_owner_ops *ops)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->dev = dev;
	ctx->coherent = coherent;
	ctx->ops = ops;
	spin_lock_init(&ctx->report_lock);
}
EXPORT_SYMBOL_GPL(iommu_owner_ctx_init);

/* The access @dir describes, seen from the device or from the CPU. */
static const char *iommu_owner_dir_name(enum dma_data_direction dir, bool cpu)
{
	switch (dir) {
	case DMA_TO_DEVICE:
		return cpu ? "write" : "read";
	case DMA_FROM_DEVICE:
		return cpu ? "read" : "write";
	case DMA_BIDIRECTIONAL:
		return "read-write";
	default:
		return "access";
	}
}

static void iommu_owner_show_count(struct seq_file *m, const char *name, atomic64_t *v)
{
	seq_printf(m, "%s %lld\n", name, (long long)atomic64_read(v));
}

/**
 * iommu_owner_ctx_show() - print a context's mode, counters and reports
 * @m: the seq_file (debugfs)
 * @ctx: the context
 */
void iommu_owner_ctx_show(struct seq_file *m, struct iommu_owner_ctx *ctx)
{
	struct iommu_owner_stats *s = &ctx->stats;
	struct iommu_owner_report *r;
	unsigned int i, n, idx;

	seq_printf(m, "coherent %d\ncheck %d\nstrict %d\n", ctx->coherent,
		   READ_ONCE(ctx->check), READ_ONCE(ctx->strict));
	iommu_owner_show_count(m, "begin_cpu", &s->begin_cpu);
	iommu_owner_show_count(m, "end_cpu", &s->end_cpu);
	iommu_owner_show_count(m, "begin_device", &s->begin_device);
	iommu_owner_show_count(m, "end_device", &s->end_device);
	iommu_owner_show_count(m, "skipped", &s->skipped);
	iommu_owner_show_count(m, "clean_ops", &s->clean_ops);
	iommu_owner_show_count(m, "clean_bytes", &s->clean_bytes);
	iommu_owner_show_count(m, "inval_ops", &s->inval_ops);
	iommu_owner_show_count(m, "inval_bytes", &s->inval_bytes);
	iommu_owner_show_count(m, "cpu_writes", &s->cpu_writes);
	iommu_owner_show_count(m, "violations", &s->violations);
	iommu_owner_show_count(m, "refused", &s->refused);
	spin_lock(&ctx->report_lock);
	seq_printf(m, "reports %llu\n", ctx->nr_reports);
	n = min_t(u64, ctx->nr_reports, IOMMU_OWNER_NR_REPORTS);
	for (i = 0; i < n; i++) {
		idx = (ctx->report_next + IOMMU_OWNER_NR_REPORTS - n + i) %
		      IOMMU_OWNER_NR_REPORTS;
		r = &ctx->reports[idx];
		seq_printf(m, "report %s bytes 0x%llx-0x%llx %s %s: %s\n", r->name,
			   r->offset, r->offset + r->size, r->access, r->dir, r->what);
	}
	spin_unlock(&ctx->report_lock);
}
EXPORT_SYMBOL_GPL(iommu_owner_ctx_show);

static int iommu_owner_fill_phys(struct iommu_owner *owner, struct sg_table *sgt)
{
	struct sg_page_iter piter;
	unsigned long p = 0;

	for_each_sgtable_page(sgt, &piter, 0) {
		if (p == owner->nr_pages)
			return -EINVAL;
		owner->phys[p++] = page_to_phys(sg_page_iter_page(&piter));
	}
	return p == owner->nr_pages ? 0 : -EINVAL;
}

/**
 * iommu_owner_init() - track the ownership of a buffer mapped for a device
 * @owner: the buffer's ownership state, zeroed
 * @ctx: the device's context
 * @sgt: the buffer's pages (only its pages are used, not a DMA mapping);
 *	the caller keeps them until after iommu_owner_fini()
 * @size: bytes in the buffer, a multiple of %PAGE_SIZE
 * @flags: %IOMMU_OWNER_UNCACHED, %IOMMU_OWNER_TRACK_WRITES
 * @priv: the driver's, in &iommu_owner.priv
 *
 * The pages start device-owned: the caller cleans them for the device
 * when it pins them, as dma_map_sgtable() does.
 *
 * Return: 0, -EINVAL if @sgt does not hold @size bytes of pages,
 * -ENOMEM.
 */
int iommu_owner_init(struct iommu_owner *owner, struct iommu_owner_ctx *ctx,
		     struct sg_table *sgt, size_t size, unsigned long flags,
		     void *priv)
{
	int ret;

	if (!size || !PAGE_ALIGNED(size))
		return -EINVAL;
	owner->ctx = ctx;
	owner->nr_pages = size >> PAGE_SHIFT;
	owner->flags = flags;
	owner->priv = priv;
	owner->nr_held = 0;
	mutex_init(&owner->lock);
	if (ctx->coherent || (flags & IOMMU_OWNER_UNCACHED))
		return 0;

	owner->state = kvcalloc(owner->nr_pages, sizeof(*owner->state), GFP_KERNEL);
	owner->phys = kvmalloc_array(owner->nr_pages, sizeof(*owner->phys), GFP_KERNEL);
	ret = owner->state && owner->phys ? iommu_owner_fill_phys(owner, sgt) : -ENOMEM;
	if (ret)
		iommu_owner_fini(owner);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_owner_init);

/**
 * iommu_owner_fini() - stop tracking a buffer
 * @owner: the buffer's ownership state
 *
 * The caller may release the pages afterwards.
 */
void iommu_owner_fini(struct iommu_owner *owner)
{
	kvfree(owner->state);
	kvfree(owner->phys);
	owner->state = NULL;
	owner->phys = NULL;
	mutex_destroy(&owner->lock);
}
EXPORT_SYMBOL_GPL(iommu_owner_fini);

/**
 * iommu_owner_needs_maintenance() - whether transfers can ever do work
 * @owner: the buffer's ownership state
 *
 * Return: false on a coherent device and for uncached memory.
 */
bool iommu_owner_needs_maintenance(const struct iommu_owner *owner)
{
	return owner->state;
}
EXPORT_SYMBOL_GPL(iommu_owner_needs_maintenance);

/* One transfer being applied: the emit callback's cookie. */
struct iommu_owner_xfer {
	struct iommu_owner *owner;
	enum dma_data_direction dir;
};

static const char * const iommu_owner_misuse[IOMMU_OWNER_ACT_COUNT] = {
	[IOMMU_OWNER_ACT_DEVICE_ON_CPU] =
		"device access to CPU-owned memory (end_cpu_access missing)",
	[IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED] =
		"CPU write to memory not owned for writing (begin_cpu_access missing)",
	[IOMMU_OWNER_ACT_END_UNOWNED] = "end_cpu_access of memory the CPU does not own",
};

static void iommu_owner_report(struct iommu_owner_xfer *x, enum iommu_owner_action act,
			       unsigned long first, unsigned long count)
{
	struct iommu_owner_ctx *ctx = x->owner->ctx;
	struct iommu_owner_report r = {
		.offset = (u64)first << PAGE_SHIFT,
		.size = (u64)count << PAGE_SHIFT,
	};

	if (!READ_ONCE(ctx->check))
		return;
	atomic64_inc(&ctx->stats.violations);
	r.what = iommu_owner_misuse[act];
	r.access = act == IOMMU_OWNER_ACT_DEVICE_ON_CPU ? "device" : "CPU";
	r.dir = iommu_owner_dir_name(x->dir, act != IOMMU_OWNER_ACT_DEVICE_ON_CPU);
	strscpy(r.name, "buffer", sizeof(r.name));
	if (ctx->ops && ctx->ops->describe)
		ctx->ops->describe(x->owner, r.name, sizeof(r.name));
	dev_warn_ratelimited(ctx->dev, "iommu-owner: %s bytes 0x%llx-0x%llx, %s %s: %s\n",
			     r.name, r.offset, r.offset + r.size, r.access, r.dir, r.what);

	spin_lock(&ctx->report_lock);
	ctx->reports[ctx->report_next] = r;
	ctx->report_next = (ctx->report_next + 1) % IOMMU_OWNER_NR_REPORTS;
	ctx->nr_reports++;
	spin_unlock(&ctx->report_lock);
}

/* Cache maintenance on each run of physically contiguous pages. */
static void iommu_owner_sync(struct iommu_owner *owner, unsigned long first,
			     unsigned long count, bool for_device)
{
	struct device *dev = owner->ctx->dev;
	unsigned long p = first, n;

	while (p < first + count) {
		for (n = 1; p + n < first + count &&
		     owner->phys[p + n] == owner->phys[p] + n * PAGE_SIZE; n++)
			;
		if (for_device)
			dma_sync_phys_for_device(dev, owner->phys[p], n * PAGE_SIZE,
						 DMA_TO_DEVICE);
		else
			dma_sync_phys_for_cpu(dev, owner->phys[p], n * PAGE_SIZE,
					      DMA_FROM_DEVICE);
		p += n;
	}
}

static void iommu_owner_emit(void *data, enum iommu_owner_action act,
			     unsigned long first, unsigned long count)
{
	struct iommu_owner_xfer *x = data;
	struct iommu_owner *owner = x->owner;
	const struct iommu_owner_ops *ops = owner->ctx->ops;
	struct iommu_owner_stats *s = &owner->ctx->stats;

	switch (act) {
	case IOMMU_OWNER_ACT_CLEAN:
		iommu_owner_sync(owner, first, count, true);
		if (ops && ops->clean)
			ops->clean(owner, first, count);
		atomic64_inc(&s->clean_ops);
		atomic64_add((u64)count << PAGE_SHIFT, &s->clean_bytes);
		break;
	case IOMMU_OWNER_ACT_INVALIDATE:
		if (ops && ops->invalidate)
			ops->invalidate(owner, first, count);
		iommu_owner_sync(owner, first, count, false);
		atomic64_inc(&s->inval_ops);
		atomic64_add((u64)count << PAGE_SHIFT, &s->inval_bytes);
		break;
	case IOMMU_OWNER_ACT_REARM:
		if (ops && ops->rearm)
			ops->rearm(owner, first, count);
		break;
	default:
		iommu_owner_report(x, act, first, count);
		break;
	}
}

/*
 * Validates a byte range and turns it into pages. Return: false if the
 * transfer has nothing to do (coherent, uncached); *ret is then 0, or
 * -EINVAL for a bad range.
 */
static bool iommu_owner_range(struct iommu_owner *owner, u64 offset, u64 size,
			      unsigned long *first, unsigned long *count, int *ret)
{
	u64 end;

	*ret = 0;
	if (!size || check_add_overflow(offset, size, &end) ||
	    end > ((u64)owner->nr_pages << PAGE_SHIFT)) {
		*ret = -EINVAL;
		return false;
	}
	if (!owner->state) {
		atomic64_inc(&owner->ctx->stats.skipped);
		return false;
	}
	*first = offset >> PAGE_SHIFT;
	*count = DIV_ROUND_UP(end, PAGE_SIZE) - *first;
	return true;
}

/**
 * iommu_owner_begin_cpu_access() - the CPU takes a range from the device
 * @owner: the buffer's ownership state
 * @offset: first byte
 * @size: bytes, not 0
 * @dir: %DMA_FROM_DEVICE: the CPU reads what the device wrote;
 *	%DMA_TO_DEVICE: the CPU writes for the device; %DMA_BIDIRECTIONAL:
 *	both
 *
 * Invalidates the CPU caches of the pages the device may have written
 * since the CPU last owned them. The device must no longer access the
 * range: wait for it first. Ownership moves per page, and accesses nest:
 * the CPU owns a page until every access begun over it has ended.
 *
 * Return: 0, -EINVAL for a range outside the buffer or a bad @dir,
 * -EBUSY if a page of the range has %IOMMU_OWNER_PG_HOLDS_MAX accesses
 * open already (nothing changes then).
 */
int iommu_owner_begin_cpu_access(struct iommu_owner *owner, u64 offset,
				 u64 size, enum dma_data_direction dir)
{
	struct iommu_owner_xfer x = { .owner = owner, .dir = dir };
	unsigned long first, count;
	long taken;
	int ret;

	if (!valid_dma_direction(dir))
		return -EINVAL;
	atomic64_inc(&owner->ctx->stats.begin_cpu);
	if (!iommu_owner_range(owner, offset, size, &first, &count, &ret))
		return ret;

	mutex_lock(&owner->lock);
	taken = iommu_owner_state_begin_cpu(owner->state, first, count,
					    dir != DMA_FROM_DEVICE, iommu_owner_emit, &x);
	if (taken < 0)
		ret = taken;
	else
		owner->nr_held += taken;
	mutex_unlock(&owner->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_owner_begin_cpu_access);

/**
 * iommu_owner_end_cpu_access() - the CPU gives a range back to the device
 * @owner: the buffer's ownership state
 * @offset: first byte
 * @size: bytes, not 0
 * @dir: %DMA_TO_DEVICE or %DMA_BIDIRECTIONAL: the CPU wrote the whole
 *	range; %DMA_NONE or %DMA_FROM_DEVICE: it wrote only what it began
 *	the access for writing, or, with %IOMMU_OWNER_TRACK_WRITES, what
 *	the write faults reported
 *
 * Ends one access over each page of the range. Pages no access holds
 * any more go back to the device: the CPU caches of those the CPU wrote
 * are cleaned; with write tracking, exactly the pages write faults marked
 * dirty, whose CPU mappings are write-protected again first
 * (&iommu_owner_ops.rearm).
 *
 * Return: 0, -EINVAL for a range outside the buffer.
 */
int iommu_owner_end_cpu_access(struct iommu_owner *owner, u64 offset,
			       u64 size, enum dma_data_direction dir)
{
	struct iommu_owner_xfer x = { .owner = owner, .dir = dir };
	bool tracked = owner->flags & IOMMU_OWNER_TRACK_WRITES;
	bool wrote = dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL;
	unsigned long first, count;
	int ret;

	atomic64_inc(&owner->ctx->stats.end_cpu);
	if (!iommu_owner_range(owner, offset, size, &first, &count, &ret))
		return ret;

	mutex_lock(&owner->lock);
	owner->nr_held -= iommu_owner_state_end_cpu(owner->state, first, count,
						    wrote && !tracked, tracked,
						    iommu_owner_emit, &x);
	mutex_unlock(&owner->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(iommu_owner_end_cpu_access);

/* Strict mode's refusal: report the held pages, change nothing. */
static void iommu_owner_report_held(struct iommu_owner *owner, unsigned long first,
				    unsigned long count, struct iommu_owner_xfer *x)
{
	unsigned long p, n;

	for (p = first; p < first + count; p += n) {
		for (n = 0; p + n < first + count &&
		     iommu_owner_state_cpu_owned(owner->state, p + n, 1); n++)
			;
		if (n)
			iommu_owner_report(x, IOMMU_OWNER_ACT_DEVICE_ON_CPU, p, n);
		else
			n = 1;
	}
}

/**
 * iommu_owner_begin_device_access() - the device is about to access a range
 * @owner: the buffer's ownership state
 * @offset: first byte
 * @size: bytes, not 0
 * @dir: %DMA_TO_DEVICE: the device reads; %DMA_FROM_DEVICE: it writes;
 *	%DMA_BIDIRECTIONAL: both
 *
 * Pages reach the device cleaned by iommu_owner_end_cpu_access(); this
 * records that the device may write, so that the next CPU access
 * invalidates. Pages the CPU still owns are misuse, reported in checking
 * mode and refused in strict mode; otherwise the device access ends the
 * CPU's, as iommu_owner_end_cpu_access() over those pages would (and
 * pages the CPU wrote without owning them are cleaned too), so that no
 * write of either side is lost.
 *
 * Return: 0, -EINVAL for a bad range or @dir, -EBUSY in strict mode if
 * the CPU owns part of the range (nothing changes then).
 */
int iommu_owner_begin_device_access(struct iommu_owner *owner, u64 offset,
				    u64 size, enum dma_data_direction dir)
{
	struct iommu_owner_xfer x = { .owner = owner, .dir = dir };
	struct iommu_owner_ctx *ctx = owner->ctx;
	unsigned long first, count;
	int ret;

	if (!valid_dma_direction(dir))
		return -EINVAL;
	atomic64_inc(&ctx->stats.begin_device);
	if (!iommu_owner_range(owner, offset, size, &first, &count, &ret))
		return ret;

	mutex_lock(&owner->lock);
	if (READ_ONCE(ctx->strict) &&
	    iommu_owner_state_cpu_owned(owner->state, first, count)) {
		atomic64_inc(&ctx->stats.refused);
		iommu_owner_report_held(owner, first, count, &x);
		ret = -EBUSY;
	} else {
		owner->nr_held -=
			iommu_owner_state_begin_device(owner->state, first, count,
						       dir != DMA_TO_DEVICE,
						       owner->flags & IOMMU_OWNER_TRACK_WRITES,
						       iommu_owner_emit, &x);
	}
	mutex_unlock(&owner->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_owner_begin_device_access);

/**
 * iommu_owner_end_device_access() - the device is done with a range
 * @owner: the buffer's ownership state
 * @offset: first byte
 * @size: bytes, not 0
 * @dir: as given to iommu_owner_begin_device_access()
 *
 * The device keeps ownership until the CPU takes it back, so nothing is
 * maintained here: the invalidation a device write needs happens when the
 * CPU begins its access, after which no speculative CPU fill can bring
 * stale lines back. Counted, and the range checked.
 *
 * Return: 0 or -EINVAL for a bad range or @dir.
 */
int iommu_owner_end_device_access(struct iommu_owner *owner, u64 offset,
				  u64 size, enum dma_data_direction dir)
{
	unsigned long first, count;
	int ret;

	if (!valid_dma_direction(dir))
		return -EINVAL;
	atomic64_inc(&owner->ctx->stats.end_device);
	iommu_owner_range(owner, offset, size, &first, &count, &ret);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_owner_end_device_access);

/**
 * iommu_owner_device_wrote() - the device may have written a range
 * @owner: the buffer's ownership state
 * @offset: first byte
 * @size: bytes, not 0
 *
 * For a driver whose jobs may reach memory they were not handed (a GPU
 * address space userspace manages, where a job names no buffers): called
 * once such a job may have run, before the CPU's next access, it marks
 * the pages of the range the CPU does not own as written by the device,
 * so that iommu_owner_begin_cpu_access() invalidates them. A bad range
 * is ignored.
 */
void iommu_owner_device_wrote(struct iommu_owner *owner, u64 offset, u64 size)
{
	unsigned long first, count;
	int ret;

	if (!iommu_owner_range(owner, offset, size, &first, &count, &ret))
		return;
	mutex_lock(&owner->lock);
	iommu_owner_state_device_wrote(owner->state, first, count);
	mutex_unlock(&owner->lock);
}
EXPORT_SYMBOL_GPL(iommu_owner_device_wrote);

/**
 * iommu_owner_cpu_holds() - whether the CPU owns any part of a buffer
 * @owner: the buffer's ownership state
 *
 * Constant time: reads the count of held pages the transfers keep.
 *
 * Return: true if a CPU access over some page has begun and not ended.
 */
bool iommu_owner_cpu_holds(struct iommu_owner *owner)
{
	bool held;

	if (!owner->state)
		return false;
	mutex_lock(&owner->lock);
	held = owner->nr_held;
	mutex_unlock(&owner->lock);
	return held;
}
EXPORT_SYMBOL_GPL(iommu_owner_cpu_holds);

/**
 * iommu_owner_cpu_wrote() - write tracking saw the CPU write a page
 * @owner: the buffer's ownership state, with %IOMMU_OWNER_TRACK_WRITES
 * @page: index of the page in the buffer
 *
 * Called from the write fault (&vm_operations_struct.pfn_mkwrite or
 * page_mkwrite) of a CPU mapping whose pages are mapped read-only until
 * written, before the write lands. The page is cleaned by the next
 * iommu_owner_end_cpu_access() that releases it, or by the next
 * iommu_owner_begin_device_access() over it, which write-protect it
 * again. A write to a page the CPU does not own is misuse (reported in
 * checking mode); if the device may have written that page, it is
 * invalidated here first, so that the CPU's write lands on the device's
 * data and neither side's write is lost.
 */
void iommu_owner_cpu_wrote(struct iommu_owner *owner, unsigned long page)
{
	struct iommu_owner_xfer x = { .owner = owner, .dir = DMA_TO_DEVICE };

	if (!owner->state || page >= owner->nr_pages)
		return;
	atomic64_inc(&owner->ctx->stats.cpu_writes);
	mutex_lock(&owner->lock);
	iommu_owner_state_cpu_wrote(owner->state, page, iommu_owner_emit, &x);
	mutex_unlock(&owner->lock);
}
EXPORT_SYMBOL_GPL(iommu_owner_cpu_wrote);

MODULE_AUTHOR("The vmsm authors");
MODULE_DESCRIPTION("Ownership and cache maintenance of driver-mapped device memory");
MODULE_LICENSE("GPL");
