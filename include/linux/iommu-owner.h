/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Ownership and cache maintenance of memory a driver maps for a device
 * through its own page tables. See Documentation/core-api/iommu-owner.rst.
 */
#ifndef __LINUX_IOMMU_OWNER_H
#define __LINUX_IOMMU_OWNER_H

#include <linux/atomic.h>
#include <linux/dma-direction.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct device;
struct iommu_owner;

/**
 * struct iommu_owner_ops - a driver's hooks into ownership transfers
 * @clean: optional; called after the CPU caches of @count pages from
 *	@first were written back, so that a device model can copy them into
 *	its view of memory
 * @invalidate: optional; called before the CPU caches of @count pages
 *	from @first are invalidated, so that a device model can copy its
 *	view of memory back
 * @rearm: optional; write-protect the CPU mappings of @count pages from
 *	@first again (write tracking, %IOMMU_OWNER_TRACK_WRITES)
 * @describe: optional; print a name of the buffer for reports into @buf
 *	of @len bytes
 *
 * The hooks run under the buffer's &iommu_owner.lock.
 */
struct iommu_owner_ops {
	void (*clean)(struct iommu_owner *owner, unsigned long first,
		      unsigned long count);
	void (*invalidate)(struct iommu_owner *owner, unsigned long first,
			   unsigned long count);
	void (*rearm)(struct iommu_owner *owner, unsigned long first,
		      unsigned long count);
	void (*describe)(struct iommu_owner *owner, char *buf, size_t len);
};

/**
 * struct iommu_owner_stats - what a context's buffers did, all atomic
 * @begin_cpu: begin_cpu_access calls
 * @end_cpu: end_cpu_access calls
 * @begin_device: begin_device_access calls
 * @end_device: end_device_access calls
 * @skipped: calls that needed no maintenance at all because the device
 *	is coherent or the memory is not cached
 * @clean_ops: clean operations (runs of pages)
 * @clean_bytes: bytes cleaned
 * @inval_ops: invalidate operations (runs of pages)
 * @inval_bytes: bytes invalidated
 * @cpu_writes: write faults seen by write tracking
 * @violations: misuse reports (checking mode)
 * @refused: begin_device_access refused in strict mode
 */
struct iommu_owner_stats {
	atomic64_t begin_cpu;
	atomic64_t end_cpu;
	atomic64_t begin_device;
	atomic64_t end_device;
	atomic64_t skipped;
	atomic64_t clean_ops;
	atomic64_t clean_bytes;
	atomic64_t inval_ops;
	atomic64_t inval_bytes;
	atomic64_t cpu_writes;
	atomic64_t violations;
	atomic64_t refused;
};

#define IOMMU_OWNER_NAME_LEN	48
#define IOMMU_OWNER_NR_REPORTS	16

/**
 * struct iommu_owner_report - one misuse found in checking mode
 * @name: the buffer, as &iommu_owner_ops.describe printed it
 * @offset: first byte of the range
 * @size: bytes in the range
 * @access: who accessed, "CPU" or "device"
 * @dir: the access, "read", "write" or "read-write"
 * @what: the misuse, a short text
 */
struct iommu_owner_report {
	char name[IOMMU_OWNER_NAME_LEN];
	u64 offset;
	u64 size;
	const char *access;
	const char *dir;
	const char *what;
};

/**
 * struct iommu_owner_ctx - the buffers of one device
 * @dev: the device that accesses the memory
 * @coherent: @dev is cache-coherent with the CPU: nothing is ever done
 * @check: checking mode: record and log misuse (may change at any time)
 * @strict: strict mode: begin_device_access on CPU-owned memory fails
 * @ops: the driver's hooks
 * @stats: counters
 * @report_lock: protects @reports, @report_next and @nr_reports
 * @reports: the last %IOMMU_OWNER_NR_REPORTS misuse reports, a ring
 * @report_next: index in @reports of the next report
 * @nr_reports: reports since the context was created
 */
struct iommu_owner_ctx {
	struct device *dev;
	bool coherent;
	bool check;
	bool strict;
	const struct iommu_owner_ops *ops;
	struct iommu_owner_stats stats;
	spinlock_t report_lock; /* @reports, @report_next, @nr_reports */
	struct iommu_owner_report reports[IOMMU_OWNER_NR_REPORTS];
	unsigned int report_next;
	u64 nr_reports;
};

/* The buffer is mapped uncached or write-combined for the CPU. */
#define IOMMU_OWNER_UNCACHED		0x1
/* The driver reports CPU writes with iommu_owner_cpu_wrote(). */
#define IOMMU_OWNER_TRACK_WRITES	0x2

/**
 * struct iommu_owner - ownership of one buffer mapped for a device
 * @ctx: the device's context
 * @lock: protects @state and @nr_held, and serializes maintenance of the
 *	buffer
 * @nr_pages: pages in the buffer
 * @flags: ``IOMMU_OWNER_*`` flags
 * @state: one state word per page, NULL when no maintenance is ever
 *	needed (coherent device, uncached memory)
 * @nr_held: pages of @state whose CPU hold count is not zero, kept by
 *	every transfer that changes a hold count
 * @phys: physical address of each page, for cache maintenance
 * @priv: the driver's
 */
struct iommu_owner {
	struct iommu_owner_ctx *ctx;
	struct mutex lock; /* @state, @nr_held, maintenance */
	unsigned long nr_pages;
	unsigned long flags;
	u16 *state;
	unsigned long nr_held;
	phys_addr_t *phys;
	void *priv;
};

void iommu_owner_ctx_init(struct iommu_owner_ctx *ctx, struct device *dev,
			  bool coherent, const struct iommu_owner_ops *ops);
void iommu_owner_ctx_show(struct seq_file *m, struct iommu_owner_ctx *ctx);

int iommu_owner_init(struct iommu_owner *owner, struct iommu_owner_ctx *ctx,
		     struct sg_table *sgt, size_t size, unsigned long flags,
		     void *priv);
void iommu_owner_fini(struct iommu_owner *owner);
bool iommu_owner_needs_maintenance(const struct iommu_owner *owner);

int iommu_owner_begin_cpu_access(struct iommu_owner *owner, u64 offset,
				 u64 size, enum dma_data_direction dir);
int iommu_owner_end_cpu_access(struct iommu_owner *owner, u64 offset,
			       u64 size, enum dma_data_direction dir);
int iommu_owner_begin_device_access(struct iommu_owner *owner, u64 offset,
				    u64 size, enum dma_data_direction dir);
int iommu_owner_end_device_access(struct iommu_owner *owner, u64 offset,
				  u64 size, enum dma_data_direction dir);
void iommu_owner_device_wrote(struct iommu_owner *owner, u64 offset, u64 size);
bool iommu_owner_cpu_holds(struct iommu_owner *owner);
void iommu_owner_cpu_wrote(struct iommu_owner *owner, unsigned long page);

#endif /* __LINUX_IOMMU_OWNER_H */
