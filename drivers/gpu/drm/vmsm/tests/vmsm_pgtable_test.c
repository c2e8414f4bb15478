// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * KUnit tests of the GPU page tables with real memory: tables are kernel
 * pages addressed by their physical address, and the walker reaches both
 * tables and data through the physical addresses it finds, so a walk that
 * ends in the wrong page shows as data that is not where it should be.
 * The page size of the kernel does not matter: a CPU page holds one table
 * and maps as one or more 4 KiB GPU pages.
 */

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include "../vmsm_pgtable.h"

#define PT_TEST_PAGES	4
#define PT_TEST_RW	(VMSM_PT_PROT_READ | VMSM_PT_PROT_WRITE)

struct pt_test {
	struct kunit *test;
	struct vmsm_pgtable pt;
	unsigned int live;		/* tables allocated and not freed */
	unsigned int alloc_calls;
	unsigned int fail_at;		/* alloc call number that fails, 0: none */
	unsigned int syncs;
	unsigned int tlb_invs;
	struct page *data[PT_TEST_PAGES];
	struct page *block;		/* 2 MiB, physically contiguous */
	unsigned int block_order;
};

static void *pt_test_phys_va(u64 bus)
{
	unsigned long pfn = PHYS_PFN(bus);

	if (!pfn_valid(pfn))
		return NULL;
	return page_address(pfn_to_page(pfn)) + offset_in_page(bus);
}

static u64 *pt_test_alloc_table(void *priv, u64 *bus)
{
	struct pt_test *t = priv;
	struct page *page;

	if (++t->alloc_calls == t->fail_at)
		return NULL;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	t->live++;
	*bus = page_to_phys(page);
	return page_address(page);
}

static void pt_test_free_table(void *priv, u64 *table, u64 bus)
{
	struct pt_test *t = priv;

	KUNIT_EXPECT_EQ(t->test, bus, (u64)virt_to_phys(table));
	t->live--;
	__free_page(virt_to_page(table));
}

static u64 *pt_test_table_va(void *priv, u64 bus)
{
	return pt_test_phys_va(bus);
}

static void pt_test_sync_table(void *priv, u64 *table, unsigned int idx,
			       unsigned int count)
{
	struct pt_test *t = priv;

	KUNIT_EXPECT_GT(t->test, count, 0);
	KUNIT_EXPECT_LE(t->test, idx + count, VMSM_PT_ENTRIES);
	t->syncs++;
	wmb();	/* what a non-coherent device would need first */
}

static void pt_test_tlb_inv(void *priv, u64 iova, u64 size)
{
	struct pt_test *t = priv;

	t->tlb_invs++;
}

static const struct vmsm_pt_ops pt_test_ops = {
	.alloc_table = pt_test_alloc_table,
	.free_table = pt_test_free_table,
	.table_va = pt_test_table_va,
	.sync_table = pt_test_sync_table,
	.tlb_inv = pt_test_tlb_inv,
};

static int pt_test_walk(struct pt_test *t, u64 iova, struct vmsm_pt_walk_result *res)
{
	return vmsm_pt_walk(&pt_test_ops, t, t->pt.root_bus, iova, res);
}

/* CPU pointer of what the GPU reaches at @iova, or NULL on a fault. */
static u64 *pt_test_gpu_ptr(struct pt_test *t, u64 iova)
{
	struct vmsm_pt_walk_result res;

	if (pt_test_walk(t, iova, &res))
		return NULL;
	return pt_test_phys_va(res.bus);
}

static int pt_test_init(struct kunit *test)
{
	struct pt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	test->priv = t;
	for (i = 0; i < PT_TEST_PAGES; i++) {
		t->data[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, t->data[i]);
	}
	KUNIT_ASSERT_EQ(test, vmsm_pt_init(&t->pt, &pt_test_ops, t), 0);
	KUNIT_ASSERT_EQ(test, t->live, 1);
	return 0;
}

static void pt_test_exit(struct kunit *test)
{
	struct pt_test *t = test->priv;
	unsigned int i;

	vmsm_pt_fini(&t->pt);
	KUNIT_EXPECT_EQ(test, t->live, 0);
	for (i = 0; i < PT_TEST_PAGES; i++)
		if (t->data[i])
			__free_page(t->data[i]);
	if (t->block)
		__free_pages(t->block, t->block_order);
}

/*
 * Pages mapped in reverse order at an address that is not 2 MiB aligned;
 * every 4 KiB GPU page is written through the walk and read by the CPU,
 * and the other way round.
 */
static void vmsm_pgtable_test_rw_pages(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 iova = SZ_4G + SZ_2M - 2 * PAGE_SIZE;
	u64 *gpu, *cpu, off, val;
	unsigned int i;

	for (i = 0; i < PT_TEST_PAGES; i++)
		KUNIT_ASSERT_EQ(test, vmsm_pt_map(&t->pt, iova + i * PAGE_SIZE,
						  page_to_phys(t->data[PT_TEST_PAGES - 1 - i]),
						  PAGE_SIZE, PT_TEST_RW), 0);
	KUNIT_EXPECT_GT(test, t->syncs, 0);
	KUNIT_EXPECT_EQ(test, t->tlb_invs, 0);

	for (i = 0; i < PT_TEST_PAGES; i++) {
		cpu = page_address(t->data[PT_TEST_PAGES - 1 - i]);
		for (off = 0; off < PAGE_SIZE; off += SZ_4K) {
			gpu = pt_test_gpu_ptr(t, iova + i * PAGE_SIZE + off + 16);
			KUNIT_ASSERT_PTR_EQ(test, gpu, cpu + (off + 16) / 8);
			val = 0x5a5a0000 + i * PAGE_SIZE + off;
			*gpu = val;
			KUNIT_EXPECT_EQ(test, cpu[(off + 16) / 8], val);
			cpu[off / 8] = ~off;
			gpu = pt_test_gpu_ptr(t, iova + i * PAGE_SIZE + off);
			KUNIT_ASSERT_NOT_NULL(test, gpu);
			KUNIT_EXPECT_EQ(test, *gpu, ~off);
		}
	}
	KUNIT_EXPECT_NULL(test, pt_test_gpu_ptr(t, iova - SZ_4K));
	KUNIT_EXPECT_NULL(test, pt_test_gpu_ptr(t, iova + PT_TEST_PAGES * PAGE_SIZE));

	/* Unmapping the second page leaves the others reachable. */
	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, iova + PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t->tlb_invs, 1);
	KUNIT_EXPECT_NULL(test, pt_test_gpu_ptr(t, iova + PAGE_SIZE));
	KUNIT_EXPECT_PTR_EQ(test, pt_test_gpu_ptr(t, iova + 2 * PAGE_SIZE),
			    (u64 *)page_address(t->data[PT_TEST_PAGES - 3]));

	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, iova, PT_TEST_PAGES * PAGE_SIZE),
			(PT_TEST_PAGES - 1) * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t->live, 1);
}

/* A real 2 MiB block, then split by unmapping a page in its middle. */
static void vmsm_pgtable_test_block(struct kunit *test)
{
	static const u64 offs[] = { 0, SZ_4K + 8, SZ_1M - 8, SZ_1M + SZ_4K, SZ_2M - 8 };
	struct pt_test *t = test->priv;
	const u64 iova = SZ_1G + 3 * SZ_2M;
	struct vmsm_pt_walk_result res;
	u8 *cpu;
	u64 *gpu;
	unsigned int i;

	t->block_order = get_order(SZ_2M);
	t->block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, t->block_order);
	if (!t->block)
		kunit_skip(test, "no 2 MiB of contiguous memory");
	cpu = page_address(t->block);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(page_to_phys(t->block), SZ_2M));

	KUNIT_ASSERT_EQ(test, vmsm_pt_map(&t->pt, iova, page_to_phys(t->block), SZ_2M,
					  PT_TEST_RW), 0);
	KUNIT_EXPECT_EQ(test, t->live, 3);
	KUNIT_ASSERT_EQ(test, pt_test_walk(t, iova, &res), 0);
	KUNIT_EXPECT_EQ(test, res.level, 2);
	KUNIT_EXPECT_EQ(test, res.size, SZ_2M);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		gpu = pt_test_gpu_ptr(t, iova + offs[i]);
		KUNIT_ASSERT_PTR_EQ(test, (u8 *)gpu, cpu + offs[i]);
		*gpu = 0xb10c0000 + i;
	}

	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, iova + SZ_1M, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, t->live, 4);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		gpu = pt_test_gpu_ptr(t, iova + offs[i]);
		if (offs[i] >= SZ_1M && offs[i] < SZ_1M + SZ_4K) {
			KUNIT_EXPECT_NULL(test, gpu);
			continue;
		}
		KUNIT_ASSERT_PTR_EQ(test, (u8 *)gpu, cpu + offs[i]);
		KUNIT_EXPECT_EQ(test, *gpu, 0xb10c0000 + i);
		KUNIT_ASSERT_EQ(test, pt_test_walk(t, iova + offs[i], &res), 0);
		KUNIT_EXPECT_EQ(test, res.level, 3);
	}

	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, iova, SZ_2M), SZ_2M - SZ_4K);
	KUNIT_EXPECT_EQ(test, t->live, 1);
	KUNIT_EXPECT_NULL(test, pt_test_gpu_ptr(t, iova));
}

/* Tables are freed as soon as they hold nothing. */
static void vmsm_pgtable_test_free_tables(struct kunit *test)
{
	static const u64 where[] = { 0, SZ_1G, 512ull * SZ_1G, (1ull << 48) - SZ_4K };
	struct pt_test *t = test->priv;
	u64 bus = page_to_phys(t->data[0]);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(where); i++)
		KUNIT_ASSERT_EQ(test, vmsm_pt_map(&t->pt, where[i], bus, SZ_4K,
						  VMSM_PT_PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, t->live, 1 + 3 + 2 + 3 + 3);
	for (i = 0; i < ARRAY_SIZE(where); i++)
		KUNIT_EXPECT_PTR_EQ(test, pt_test_gpu_ptr(t, where[i]),
				    (u64 *)page_address(t->data[0]));

	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, SZ_1G, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, t->live, 1 + 3 + 3 + 3);
	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, 0, 1ull << 48), 3 * SZ_4K);
	KUNIT_EXPECT_EQ(test, t->live, 1);

	/* Mapped again and left for vmsm_pt_fini() to free. */
	KUNIT_ASSERT_EQ(test, vmsm_pt_map(&t->pt, SZ_1G, bus, SZ_4K, VMSM_PT_PROT_READ), 0);
}

/* Each table allocation of a map fails in turn: nothing is left behind. */
static void vmsm_pgtable_test_map_alloc_failure(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 iova = 512ull * SZ_1G - 2 * PAGE_SIZE;
	unsigned int n, i;
	int ret;

	for (n = 1; n < 16; n++) {
		t->fail_at = t->alloc_calls + n;
		for (i = 0; i < PT_TEST_PAGES; i++) {
			ret = vmsm_pt_map(&t->pt, iova + i * PAGE_SIZE,
					  page_to_phys(t->data[i]), PAGE_SIZE, PT_TEST_RW);
			if (ret)
				break;
		}
		if (!ret)
			break;
		KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		KUNIT_EXPECT_NULL(test, pt_test_gpu_ptr(t, iova + i * PAGE_SIZE));
		vmsm_pt_unmap(&t->pt, iova, i * PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, t->live, 1);
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_GT(test, n, 6);	/* two sets of levels 1 to 3 */
	for (i = 0; i < PT_TEST_PAGES; i++)
		KUNIT_EXPECT_PTR_EQ(test, pt_test_gpu_ptr(t, iova + i * PAGE_SIZE),
				    (u64 *)page_address(t->data[i]));
	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, iova, PT_TEST_PAGES * PAGE_SIZE),
			PT_TEST_PAGES * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t->live, 1);
}

/*
 * A split that cannot allocate its table leaves the block whole. The
 * block's bus address is never dereferenced here, only translated.
 */
static void vmsm_pgtable_test_split_alloc_failure(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 iova = 3ull * SZ_1G, bus = 7ull * SZ_1G;
	struct vmsm_pt_walk_result res;

	KUNIT_ASSERT_EQ(test, vmsm_pt_map(&t->pt, iova, bus, 2 * SZ_2M, PT_TEST_RW), 0);
	t->fail_at = t->alloc_calls + 2;
	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, iova + SZ_1M, SZ_2M), SZ_1M);
	KUNIT_EXPECT_EQ(test, t->live, 4);
	KUNIT_ASSERT_EQ(test, pt_test_walk(t, iova + SZ_2M + SZ_4K, &res), 0);
	KUNIT_EXPECT_EQ(test, res.level, 2);
	KUNIT_EXPECT_EQ(test, res.bus, bus + SZ_2M + SZ_4K);
	KUNIT_ASSERT_EQ(test, pt_test_walk(t, iova + SZ_4K, &res), 0);
	KUNIT_EXPECT_EQ(test, res.level, 3);
	KUNIT_EXPECT_EQ(test, res.bus, bus + SZ_4K);
	KUNIT_EXPECT_NE(test, pt_test_walk(t, iova + SZ_1M, &res), 0);

	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, iova, 2 * SZ_2M), 3 * SZ_1M);
	KUNIT_EXPECT_EQ(test, t->live, 1);
}

static void vmsm_pgtable_test_errors(struct kunit *test)
{
	struct pt_test *t = test->priv;
	u64 bus = page_to_phys(t->data[0]);
	struct vmsm_pt_walk_result res;

	KUNIT_EXPECT_EQ(test, vmsm_pt_map(&t->pt, SZ_4K + 8, bus, SZ_4K, PT_TEST_RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmsm_pt_map(&t->pt, SZ_4K, bus, 0, PT_TEST_RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmsm_pt_map(&t->pt, 1ull << 48, bus, SZ_4K, PT_TEST_RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmsm_pt_map(&t->pt, SZ_4K, bus, SZ_4K, VMSM_PT_PROT_WRITE),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, vmsm_pt_map(&t->pt, SZ_4K, bus, SZ_4K, VMSM_PT_PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, vmsm_pt_map(&t->pt, 0, bus, SZ_2M, PT_TEST_RW), -EEXIST);
	KUNIT_EXPECT_EQ(test, t->live, 4);

	KUNIT_ASSERT_EQ(test, pt_test_walk(t, SZ_4K, &res), 0);
	KUNIT_EXPECT_TRUE(test, vmsm_pt_access_ok(res.pte, 0));
	KUNIT_EXPECT_FALSE(test, vmsm_pt_access_ok(res.pte, VMSM_PT_ACCESS_WRITE));
	KUNIT_EXPECT_EQ(test, pt_test_walk(t, 0, &res), -EFAULT);
	KUNIT_EXPECT_EQ(test, pt_test_walk(t, 1ull << 48, &res), -EFAULT);
	KUNIT_EXPECT_EQ(test, vmsm_pt_unmap(&t->pt, 0, SZ_2M), SZ_4K);
}

static struct kunit_case vmsm_pgtable_cases[] = {
	KUNIT_CASE(vmsm_pgtable_test_rw_pages),
	KUNIT_CASE(vmsm_pgtable_test_block),
	KUNIT_CASE(vmsm_pgtable_test_free_tables),
	KUNIT_CASE(vmsm_pgtable_test_map_alloc_failure),
	KUNIT_CASE(vmsm_pgtable_test_split_alloc_failure),
	KUNIT_CASE(vmsm_pgtable_test_errors),
	{}
};

static struct kunit_suite vmsm_pgtable_suite = {
	.name = "vmsm_pgtable",
	.init = pt_test_init,
	.exit = pt_test_exit,
	.test_cases = vmsm_pgtable_cases,
};

kunit_test_suite(vmsm_pgtable_suite);
