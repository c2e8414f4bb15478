// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * KUnit tests of the iommu-owner API on real pages of a KUnit device, with
 * hooks that record what each transfer maintained. The pages are mapped
 * with the streaming DMA API, as a driver maps what it pins, except in
 * the case that shows the maintenance needs no mapping.
 */

#include <linux/dma-mapping.h>
#include <linux/iommu-owner.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include <kunit/device.h>
#include <kunit/test.h>

#define NR_PAGES	8
#define NR_LOG		16

enum { LOG_CLEAN, LOG_INVAL, LOG_REARM };

struct owner_log {
	int what;
	unsigned long first;
	unsigned long count;
};

struct owner_test {
	struct device *dev;
	struct page *pages[NR_PAGES];
	struct sg_table sgt;
	bool mapped;
	struct iommu_owner_ctx ctx;
	struct iommu_owner owner;
	struct owner_log log[NR_LOG];
	unsigned int nr_log;
};

static void log_op(struct iommu_owner *owner, int what, unsigned long first,
		   unsigned long count)
{
	struct owner_test *t = owner->priv;

	if (t->nr_log < NR_LOG)
		t->log[t->nr_log++] = (struct owner_log){ what, first, count };
}

static void test_clean(struct iommu_owner *o, unsigned long f, unsigned long c)
{
	log_op(o, LOG_CLEAN, f, c);
}

static void test_inval(struct iommu_owner *o, unsigned long f, unsigned long c)
{
	log_op(o, LOG_INVAL, f, c);
}

static void test_rearm(struct iommu_owner *o, unsigned long f, unsigned long c)
{
	log_op(o, LOG_REARM, f, c);
}

static void test_describe(struct iommu_owner *o, char *buf, size_t len)
{
	strscpy(buf, "kunit-buffer", len);
}

static const struct iommu_owner_ops test_ops = {
	.clean = test_clean,
	.invalidate = test_inval,
	.rearm = test_rearm,
	.describe = test_describe,
};

static void owner_test_exit(struct kunit *test)
{
	struct owner_test *t = test->priv;
	unsigned int i;

	/* Set up completely or not at all (an assertion failed in setup). */
	if (!t)
		return;
	iommu_owner_fini(&t->owner);
	if (t->mapped)
		dma_unmap_sgtable(t->dev, &t->sgt, DMA_BIDIRECTIONAL, 0);
	sg_free_table(&t->sgt);
	for (i = 0; i < NR_PAGES; i++)
		__free_page(t->pages[i]);
}

/*
 * Real pages of a device, mapped for it if @map, tracked with @flags on a
 * @coherent context.
 */
static void owner_setup_pages(struct kunit *test, bool coherent,
			      unsigned long flags, bool map)
{
	struct owner_test *t;
	unsigned int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->dev = kunit_device_register(test, "iommu-owner-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->dev));
	t->dev->dma_mask = &t->dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(t->dev, DMA_BIT_MASK(64)), 0);
	for (i = 0; i < NR_PAGES; i++) {
		t->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, t->pages[i]);
	}
	KUNIT_ASSERT_EQ(test, sg_alloc_table_from_pages(&t->sgt, t->pages, NR_PAGES, 0,
							NR_PAGES * PAGE_SIZE, GFP_KERNEL), 0);
	if (map) {
		KUNIT_ASSERT_EQ(test, dma_map_sgtable(t->dev, &t->sgt,
						      DMA_BIDIRECTIONAL, 0), 0);
		t->mapped = true;
	}
	iommu_owner_ctx_init(&t->ctx, t->dev, coherent, &test_ops);
	KUNIT_ASSERT_EQ(test, iommu_owner_init(&t->owner, &t->ctx, &t->sgt,
					       NR_PAGES * PAGE_SIZE, flags, t), 0);
	test->priv = t;
}

static void owner_setup(struct kunit *test, bool coherent, unsigned long flags)
{
	owner_setup_pages(test, coherent, flags, true);
}

static void expect_log(struct kunit *test, unsigned int i, int what,
		       unsigned long first, unsigned long count)
{
	struct owner_test *t = test->priv;

	KUNIT_ASSERT_LT(test, i, t->nr_log);
	KUNIT_EXPECT_EQ(test, t->log[i].what, what);
	KUNIT_EXPECT_EQ(test, t->log[i].first, first);
	KUNIT_EXPECT_EQ(test, t->log[i].count, count);
}

static s64 stat(atomic64_t *v)
{
	return atomic64_read(v);
}

/* CPU writes are cleaned at end_cpu_access, over the pages asked for. */
static void owner_test_clean_range(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, false, 0);
	t = test->priv;
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_cpu_access(&t->owner, PAGE_SIZE + 1,
							   2 * PAGE_SIZE, DMA_TO_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, t->nr_log, 0);
	KUNIT_EXPECT_EQ(test, iommu_owner_end_cpu_access(&t->owner, PAGE_SIZE + 1,
							 2 * PAGE_SIZE, DMA_NONE), 0);
	/* Bytes 4097..12288 touch pages 1, 2 and 3. */
	KUNIT_EXPECT_EQ(test, t->nr_log, 1);
	expect_log(test, 0, LOG_CLEAN, 1, 3);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.clean_bytes), 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.clean_ops), 1);
}

/* A read-only CPU access cleans nothing. */
static void owner_test_read_no_clean(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, false, 0);
	t = test->priv;
	iommu_owner_begin_cpu_access(&t->owner, 0, NR_PAGES * PAGE_SIZE, DMA_FROM_DEVICE);
	iommu_owner_end_cpu_access(&t->owner, 0, NR_PAGES * PAGE_SIZE, DMA_NONE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 0);
}

/* Device writes are invalidated once, when the CPU takes the pages. */
static void owner_test_invalidate(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, false, 0);
	t = test->priv;
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_device_access(&t->owner, 2 * PAGE_SIZE,
							      2 * PAGE_SIZE,
							      DMA_FROM_DEVICE), 0);
	iommu_owner_end_device_access(&t->owner, 2 * PAGE_SIZE, 2 * PAGE_SIZE,
				      DMA_FROM_DEVICE);
	iommu_owner_begin_cpu_access(&t->owner, 0, NR_PAGES * PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 1);
	expect_log(test, 0, LOG_INVAL, 2, 2);
	iommu_owner_end_cpu_access(&t->owner, 0, NR_PAGES * PAGE_SIZE, DMA_NONE);
	iommu_owner_begin_cpu_access(&t->owner, 0, NR_PAGES * PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 1);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.inval_bytes), 2 * PAGE_SIZE);
}

/* A coherent device needs nothing at all. */
static void owner_test_coherent(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, true, IOMMU_OWNER_TRACK_WRITES);
	t = test->priv;
	KUNIT_EXPECT_FALSE(test, iommu_owner_needs_maintenance(&t->owner));
	iommu_owner_begin_device_access(&t->owner, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	iommu_owner_begin_cpu_access(&t->owner, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	iommu_owner_cpu_wrote(&t->owner, 0);
	iommu_owner_end_cpu_access(&t->owner, 0, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 0);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.skipped), 3);
}

/* Write tracking: only the written pages, re-armed before being cleaned. */
static void owner_test_tracked(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, false, IOMMU_OWNER_TRACK_WRITES);
	t = test->priv;
	iommu_owner_begin_cpu_access(&t->owner, 0, NR_PAGES * PAGE_SIZE, DMA_TO_DEVICE);
	iommu_owner_cpu_wrote(&t->owner, 5);
	iommu_owner_cpu_wrote(&t->owner, 6);
	iommu_owner_end_cpu_access(&t->owner, 0, NR_PAGES * PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 2);
	expect_log(test, 0, LOG_REARM, 5, 2);
	expect_log(test, 1, LOG_CLEAN, 5, 2);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.cpu_writes), 2);
}

/* Strict mode refuses the device CPU-owned pages; checking mode reports. */
static void owner_test_strict_check(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, false, 0);
	t = test->priv;
	t->ctx.strict = true;
	t->ctx.check = true;
	iommu_owner_begin_cpu_access(&t->owner, 3 * PAGE_SIZE, 1, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_device_access(&t->owner, 0,
							      NR_PAGES * PAGE_SIZE,
							      DMA_TO_DEVICE), -EBUSY);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.refused), 1);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.violations), 1);
	KUNIT_EXPECT_EQ(test, t->ctx.nr_reports, 1);
	KUNIT_EXPECT_STREQ(test, t->ctx.reports[0].name, "kunit-buffer");
	KUNIT_EXPECT_EQ(test, t->ctx.reports[0].offset, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t->ctx.reports[0].size, PAGE_SIZE);
	KUNIT_EXPECT_STREQ(test, t->ctx.reports[0].access, "device");
	KUNIT_EXPECT_STREQ(test, t->ctx.reports[0].dir, "read");
	iommu_owner_end_cpu_access(&t->owner, 3 * PAGE_SIZE, 1, DMA_NONE);
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_device_access(&t->owner, 0,
							      NR_PAGES * PAGE_SIZE,
							      DMA_TO_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.violations), 1);
}

/*
 * Checking mode reports nothing for two halves of a page begun and ended
 * in any order; a device access over a range the CPU still holds ends
 * the CPU's access, cleaning what it took for writing.
 */
static void owner_test_halves_and_handover(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, false, 0);
	t = test->priv;
	t->ctx.check = true;
	iommu_owner_begin_cpu_access(&t->owner, 0, PAGE_SIZE / 2, DMA_TO_DEVICE);
	iommu_owner_begin_cpu_access(&t->owner, PAGE_SIZE / 2, PAGE_SIZE / 2, DMA_TO_DEVICE);
	iommu_owner_end_cpu_access(&t->owner, 0, PAGE_SIZE / 2, DMA_NONE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 0);
	iommu_owner_end_cpu_access(&t->owner, PAGE_SIZE / 2, PAGE_SIZE / 2, DMA_NONE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 1);
	expect_log(test, 0, LOG_CLEAN, 0, 1);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.violations), 0);

	iommu_owner_begin_cpu_access(&t->owner, PAGE_SIZE, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_device_access(&t->owner, 0,
							      NR_PAGES * PAGE_SIZE,
							      DMA_BIDIRECTIONAL), 0);
	KUNIT_EXPECT_EQ(test, stat(&t->ctx.stats.violations), 1);
	KUNIT_EXPECT_EQ(test, t->nr_log, 2);
	expect_log(test, 1, LOG_CLEAN, 1, 1);
	iommu_owner_begin_cpu_access(&t->owner, PAGE_SIZE, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, t->nr_log, 3);
	expect_log(test, 2, LOG_INVAL, 1, 1);
}

/*
 * iommu_owner_cpu_holds() follows the held pages through nested accesses,
 * a refused device access (strict) and a device access that ends the
 * CPU's.
 */
static void owner_test_cpu_holds(struct kunit *test)
{
	struct owner_test *t;

	owner_setup(test, false, 0);
	t = test->priv;
	KUNIT_EXPECT_FALSE(test, iommu_owner_cpu_holds(&t->owner));
	iommu_owner_begin_cpu_access(&t->owner, 0, 2 * PAGE_SIZE, DMA_TO_DEVICE);
	iommu_owner_begin_cpu_access(&t->owner, PAGE_SIZE, PAGE_SIZE, DMA_FROM_DEVICE);
	iommu_owner_end_cpu_access(&t->owner, 0, 2 * PAGE_SIZE, DMA_NONE);
	KUNIT_EXPECT_TRUE(test, iommu_owner_cpu_holds(&t->owner));
	iommu_owner_end_cpu_access(&t->owner, PAGE_SIZE, PAGE_SIZE, DMA_NONE);
	KUNIT_EXPECT_FALSE(test, iommu_owner_cpu_holds(&t->owner));

	iommu_owner_begin_cpu_access(&t->owner, 3 * PAGE_SIZE, 1, DMA_TO_DEVICE);
	t->ctx.strict = true;
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_device_access(&t->owner, 0, PAGE_SIZE * 4,
							      DMA_TO_DEVICE), -EBUSY);
	KUNIT_EXPECT_TRUE(test, iommu_owner_cpu_holds(&t->owner));
	t->ctx.strict = false;
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_device_access(&t->owner, 0, PAGE_SIZE * 4,
							      DMA_TO_DEVICE), 0);
	KUNIT_EXPECT_FALSE(test, iommu_owner_cpu_holds(&t->owner));
}

static void owner_test_bad_ranges(struct kunit *test)
{
	const u64 size = NR_PAGES * PAGE_SIZE;
	struct owner_test *t;

	owner_setup(test, false, 0);
	t = test->priv;
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_cpu_access(&t->owner, 0, 0, DMA_TO_DEVICE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_cpu_access(&t->owner, size, 1,
							   DMA_TO_DEVICE), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_owner_end_cpu_access(&t->owner, U64_MAX, 2, DMA_NONE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_device_access(&t->owner, 1, size,
							      DMA_TO_DEVICE), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_owner_begin_cpu_access(&t->owner, 0, 1, DMA_NONE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->nr_log, 0);
}

/*
 * The maintenance is by physical address (dma_sync_phys_for_*()): it needs
 * no DMA mapping of the pages. A sync of the streaming DMA API on pages
 * never mapped would be reported by DMA-API debugging (a kernel splat).
 */
static void owner_test_unmapped(struct kunit *test)
{
	struct owner_test *t;
	unsigned int i;

	owner_setup_pages(test, false, 0, false);
	t = test->priv;
	for (i = 0; i < NR_PAGES; i++)
		KUNIT_EXPECT_EQ(test, t->owner.phys[i], page_to_phys(t->pages[i]));
	KUNIT_ASSERT_EQ(test, iommu_owner_begin_cpu_access(&t->owner, 0,
							   NR_PAGES * PAGE_SIZE,
							   DMA_TO_DEVICE), 0);
	KUNIT_ASSERT_EQ(test, iommu_owner_end_cpu_access(&t->owner, 0,
							 NR_PAGES * PAGE_SIZE,
							 DMA_NONE), 0);
	expect_log(test, 0, LOG_CLEAN, 0, NR_PAGES);
}

static struct kunit_case owner_test_cases[] = {
	KUNIT_CASE(owner_test_clean_range),
	KUNIT_CASE(owner_test_read_no_clean),
	KUNIT_CASE(owner_test_invalidate),
	KUNIT_CASE(owner_test_coherent),
	KUNIT_CASE(owner_test_tracked),
	KUNIT_CASE(owner_test_strict_check),
	KUNIT_CASE(owner_test_halves_and_handover),
	KUNIT_CASE(owner_test_cpu_holds),
	KUNIT_CASE(owner_test_bad_ranges),
	KUNIT_CASE(owner_test_unmapped),
	{}
};

static struct kunit_suite owner_test_suite = {
	.name = "iommu_owner",
	.exit = owner_test_exit,
	.test_cases = owner_test_cases,
};

kunit_test_suite(owner_test_suite);

MODULE_DESCRIPTION("KUnit tests of the iommu-owner API");
MODULE_LICENSE("GPL");
