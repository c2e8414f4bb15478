// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of vmsm_pgtable.c: the GPU page tables and the GPU core's
 * walker.
 *
 * The fake memory services keep two copies of every table: the CPU's,
 * which the mapping code writes, and the device's, which the walker reads
 * and which only sync_table() updates, as for a non-coherent device. A
 * missing sync therefore shows up as a walk that faults or translates
 * wrongly. A table may only be freed once the device's view no longer
 * links it and the TLB has been invalidated since. Bus addresses are made
 * up and unrelated to the pointers, and the Nth table allocation can be
 * made to fail.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmsm_pgtable.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SZ_4K		0x1000ull
#define SZ_16K		0x4000ull
#define SZ_2M		0x200000ull
#define SZ_1G		0x40000000ull
#define SZ_512G		0x8000000000ull
#define VA_END		(1ull << 48)

#define MAX_TABLES	1024
#define FAKE_BUS_BASE	0x00007a5000000000ull
#define FAKE_BUS_XOR	0x2a5u		/* slot order != bus order */

#define RW		(VMSM_PT_PROT_READ | VMSM_PT_PROT_WRITE)
#define ANY_LEVEL	~0u
#define LEAF_ATTRS	(VMSM_PTE_AF | VMSM_PTE_SH_INNER | VMSM_PTE_XN)

struct fake_table {
	u64 *cpu;
	u64 *dev;
	bool unlinked;			/* a synced write removed its link */
	unsigned int unlinked_at;	/* tlb_invs then */
};

struct fake {
	struct fake_table t[MAX_TABLES];
	unsigned int live;
	unsigned int alloc_calls;
	unsigned int fail_at;		/* alloc call number that fails, 0: none */
	unsigned int syncs;
	unsigned int tlb_invs;
	u64 tlb_iova, tlb_size;
	unsigned int errors;		/* misuse of the ops */
	unsigned int walker_misses;	/* walker asked for an unknown bus */
	bool free_anytime;		/* fini, or no sync_table and tlb_inv */
	struct vmsm_pgtable pt;
};

static u64 slot_bus(unsigned int slot)
{
	return FAKE_BUS_BASE + ((u64)(slot ^ FAKE_BUS_XOR) << 12);
}

static int bus_slot(struct fake *f, u64 bus)
{
	u64 n;

	if (bus < FAKE_BUS_BASE || (bus & (SZ_4K - 1)))
		return -1;
	n = ((bus - FAKE_BUS_BASE) >> 12) ^ FAKE_BUS_XOR;
	if (n >= MAX_TABLES || !f->t[n].cpu)
		return -1;
	return (int)n;
}

static int cpu_slot(struct fake *f, const u64 *table)
{
	unsigned int i;

	for (i = 0; i < MAX_TABLES; i++)
		if (f->t[i].cpu == table)
			return (int)i;
	return -1;
}

static u64 *fake_alloc_table(void *priv, u64 *bus)
{
	struct fake *f = priv;
	unsigned int i;

	if (++f->alloc_calls == f->fail_at)
		return NULL;
	for (i = 0; i < MAX_TABLES; i++)
		if (!f->t[i].cpu)
			break;
	if (i == MAX_TABLES)
		return NULL;
	f->t[i].cpu = aligned_alloc(VMSM_PT_TABLE_SIZE, VMSM_PT_TABLE_SIZE);
	f->t[i].dev = aligned_alloc(VMSM_PT_TABLE_SIZE, VMSM_PT_TABLE_SIZE);
	assert_non_null(f->t[i].cpu);
	assert_non_null(f->t[i].dev);
	memset(f->t[i].cpu, 0, VMSM_PT_TABLE_SIZE);
	memset(f->t[i].dev, 0, VMSM_PT_TABLE_SIZE);
	f->t[i].unlinked = false;
	f->live++;
	*bus = slot_bus(i);
	return f->t[i].cpu;
}

static void fake_free_table(void *priv, u64 *table, u64 bus)
{
	struct fake *f = priv;
	int i = bus_slot(f, bus);

	if (i < 0 || f->t[i].cpu != table) {
		f->errors++;
		return;
	}
	if (!f->free_anytime &&
	    (!f->t[i].unlinked || f->t[i].unlinked_at == f->tlb_invs))
		f->errors++;
	free(f->t[i].cpu);
	free(f->t[i].dev);
	f->t[i].cpu = NULL;
	f->t[i].dev = NULL;
	f->live--;
}

static u64 *fake_cpu_table_va(void *priv, u64 bus)
{
	struct fake *f = priv;
	int i = bus_slot(f, bus);

	if (i < 0) {
		f->errors++;
		return NULL;
	}
	return f->t[i].cpu;
}

static u64 *fake_dev_table_va(void *priv, u64 bus)
{
	struct fake *f = priv;
	int i = bus_slot(f, bus);

	if (i < 0) {
		f->walker_misses++;
		return NULL;
	}
	return f->t[i].dev;
}

static void fake_sync_table(void *priv, u64 *table, unsigned int idx,
			    unsigned int count)
{
	struct fake *f = priv;
	int i = cpu_slot(f, table);

	f->syncs++;
	if (i < 0 || !count || idx >= VMSM_PT_ENTRIES ||
	    count > VMSM_PT_ENTRIES - idx) {
		f->errors++;
		return;
	}
	for (; count; idx++, count--) {
		u64 old = f->t[i].dev[idx];
		int child = bus_slot(f, old & VMSM_PTE_ADDR_MASK);

		if (old != table[idx] && (old & VMSM_PTE_TYPE) && child >= 0) {
			f->t[child].unlinked = true;
			f->t[child].unlinked_at = f->tlb_invs;
		}
		f->t[i].dev[idx] = table[idx];
	}
}

static void fake_tlb_inv(void *priv, u64 iova, u64 size)
{
	struct fake *f = priv;

	f->tlb_invs++;
	f->tlb_iova = iova;
	f->tlb_size = size;
}

static const struct vmsm_pt_ops fake_ops = {
	.alloc_table = fake_alloc_table,
	.free_table = fake_free_table,
	.table_va = fake_cpu_table_va,
	.sync_table = fake_sync_table,
	.tlb_inv = fake_tlb_inv,
};

/* What the GPU core's walker is given: the device's view of the tables. */
static const struct vmsm_pt_ops walker_ops = {
	.table_va = fake_dev_table_va,
};

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f || vmsm_pt_init(&f->pt, &fake_ops, f))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	f->free_anytime = true;
	vmsm_pt_fini(&f->pt);
	assert_int_equal(f->live, 0);
	assert_int_equal(f->errors, 0);
	free(f);
	return 0;
}

static int walk(struct fake *f, u64 iova, struct vmsm_pt_walk_result *res)
{
	return vmsm_pt_walk(&walker_ops, f, f->pt.root_bus, iova, res);
}

/* Walks every 4 KiB page of a range expected mapped to @bus at @level. */
static void expect_mapped(struct fake *f, u64 iova, u64 bus, u64 size,
			  unsigned int level)
{
	struct vmsm_pt_walk_result res;
	u64 off;

	for (off = 0; off < size; off += SZ_4K) {
		assert_int_equal(walk(f, iova + off + 0x18, &res), 0);
		assert_int_equal(res.bus, bus + off + 0x18);
		assert_int_equal(res.size, vmsm_pt_level_size(res.level));
		if (level != ANY_LEVEL)
			assert_int_equal(res.level, level);
	}
	assert_int_equal(f->walker_misses, 0);
}

static void expect_unmapped(struct fake *f, u64 iova, u64 size)
{
	struct vmsm_pt_walk_result res;
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		assert_int_equal(walk(f, iova + off, &res), -EFAULT);
	assert_int_equal(f->walker_misses, 0);
}

static void test_index_math(void **state)
{
	static const u64 sizes[] = { SZ_512G, SZ_1G, SZ_2M, SZ_4K };
	const u64 iova = 0x0000a5b6c7d8e9f0ull;
	u64 rebuilt = 0;
	unsigned int level;

	(void)state;
	for (level = 0; level < VMSM_PT_LEVELS; level++) {
		assert_int_equal(vmsm_pt_level_size(level), sizes[level]);
		assert_int_equal(vmsm_pt_index(0, level), 0);
		assert_int_equal(vmsm_pt_index(VA_END - 1, level), 511);
		assert_int_equal(vmsm_pt_index(sizes[level], level), 1);
		assert_int_equal(vmsm_pt_index(sizes[level] - 1, level), 0);
		assert_int_equal(vmsm_pt_index(511 * sizes[level], level), 511);
		rebuilt |= (u64)vmsm_pt_index(iova, level) * sizes[level];
	}
	assert_int_equal(rebuilt, iova & ~(SZ_4K - 1));
	assert_int_equal(vmsm_pt_index(iova, 0), 0x14b);
	assert_int_equal(vmsm_pt_index(iova, 1), 0x0db);
	assert_int_equal(vmsm_pt_index(iova, 2), 0x03e);
	assert_int_equal(vmsm_pt_index(iova, 3), 0x18e);
	/* Bits above 47 do not leak into level 0. */
	assert_int_equal(vmsm_pt_index(VA_END | SZ_512G, 0), 1);
	assert_int_equal(VMSM_PT_TABLE_SIZE, 4096);
	assert_int_equal(VMSM_PT_BLOCK_SIZE, vmsm_pt_level_size(VMSM_PT_BLOCK_LEVEL));
}

static void test_init_fini(void **state)
{
	struct fake *f = *state;
	struct vmsm_pgtable pt;
	struct vmsm_pt_walk_result res;

	assert_int_equal(f->live, 1);
	assert_non_null(f->pt.root);
	assert_int_equal(bus_slot(f, f->pt.root_bus), cpu_slot(f, f->pt.root));
	assert_int_equal(walk(f, 0, &res), -EFAULT);

	/* A failed init leaves nothing behind; fini after it is harmless. */
	f->fail_at = f->alloc_calls + 1;
	assert_int_equal(vmsm_pt_init(&pt, &fake_ops, f), -ENOMEM);
	f->free_anytime = true;
	vmsm_pt_fini(&pt);
	assert_int_equal(f->live, 1);

	/* fini frees whatever is still mapped; a second fini does nothing. */
	assert_int_equal(vmsm_pt_init(&pt, &fake_ops, f), 0);
	assert_int_equal(vmsm_pt_map(&pt, 0x1000, 0x5000, SZ_4K, RW), 0);
	assert_int_equal(vmsm_pt_map(&pt, SZ_512G * 3, 0, SZ_2M * 2, RW), 0);
	assert_int_equal(f->live, 1 + 1 + 3 + 2);
	vmsm_pt_fini(&pt);
	vmsm_pt_fini(&pt);
	assert_int_equal(f->live, 1);
}

static void test_map_page(void **state)
{
	struct fake *f = *state;
	const u64 iova = 0x123456789000ull, bus = 0x0000beef0000f000ull;
	struct vmsm_pt_walk_result res;

	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, SZ_4K, RW), 0);
	assert_int_equal(f->live, 4);
	assert_true(f->syncs > 0);
	assert_int_equal(f->tlb_invs, 0);

	assert_int_equal(walk(f, iova + 0xabc, &res), 0);
	assert_int_equal(res.bus, bus + 0xabc);
	assert_int_equal(res.level, 3);
	assert_int_equal(res.size, SZ_4K);
	assert_int_equal(res.pte, bus | VMSM_PTE_VALID | VMSM_PTE_TYPE | LEAF_ATTRS |
			 VMSM_PTE_AP_UNPRIV);
	assert_int_equal(walk(f, iova, &res), 0);
	assert_int_equal(res.bus, bus);
	assert_int_equal(walk(f, iova + SZ_4K - 1, &res), 0);
	assert_int_equal(res.bus, bus + SZ_4K - 1);

	expect_unmapped(f, iova - SZ_4K, SZ_4K);
	expect_unmapped(f, iova + SZ_4K, SZ_4K);
	expect_unmapped(f, iova + SZ_2M, SZ_4K);

	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, SZ_4K), SZ_4K);
	assert_int_equal(f->tlb_invs, 1);
	assert_int_equal(f->tlb_iova, iova);
	assert_int_equal(f->tlb_size, SZ_4K);
	expect_unmapped(f, iova, SZ_4K);
	assert_int_equal(f->live, 1);
}

static void test_block_aligned(void **state)
{
	struct fake *f = *state;
	const u64 iova = 0x7000600000ull, bus = 0x42000000ull;
	struct vmsm_pt_walk_result res;

	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, SZ_2M, RW), 0);
	assert_int_equal(f->live, 3);		/* root, level 1 and 2 */
	expect_mapped(f, iova, bus, SZ_2M, 2);
	assert_int_equal(walk(f, iova + 0x1abcde, &res), 0);
	assert_int_equal(res.bus, bus + 0x1abcde);
	assert_int_equal(res.pte, bus | VMSM_PTE_VALID | LEAF_ATTRS | VMSM_PTE_AP_UNPRIV);
	expect_unmapped(f, iova - SZ_4K, SZ_4K);
	expect_unmapped(f, iova + SZ_2M, SZ_4K);

	/* Three blocks in a row, one call. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova + SZ_2M, bus + SZ_1G, 3 * SZ_2M,
				     VMSM_PT_PROT_READ), 0);
	assert_int_equal(f->live, 3);
	expect_mapped(f, iova + SZ_2M, bus + SZ_1G, 3 * SZ_2M, 2);

	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, 4 * SZ_2M), 4 * SZ_2M);
	assert_int_equal(f->live, 1);
}

static void test_block_misaligned(void **state)
{
	struct fake *f = *state;
	const u64 iova = 0x7000600000ull, bus = 0x42000000ull;

	/* Bus off by 4 KiB: pages only. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus + SZ_4K, SZ_2M, RW), 0);
	assert_int_equal(f->live, 4);
	expect_mapped(f, iova, bus + SZ_4K, SZ_2M, 3);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, SZ_2M), SZ_2M);
	assert_int_equal(f->live, 1);

	/* Virtual address off by 4 KiB: pages only, across two tables. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova + SZ_4K, bus, SZ_2M, RW), 0);
	assert_int_equal(f->live, 5);
	expect_mapped(f, iova + SZ_4K, bus, SZ_2M, 3);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, 2 * SZ_2M), SZ_2M);
	assert_int_equal(f->live, 1);

	/* Both aligned but 4 KiB short of a block: pages only. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, SZ_2M - SZ_4K, RW), 0);
	expect_mapped(f, iova, bus, SZ_2M - SZ_4K, 3);
	expect_unmapped(f, iova + SZ_2M - SZ_4K, SZ_4K);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, SZ_2M), SZ_2M - SZ_4K);
	assert_int_equal(f->live, 1);
}

static void test_mixed_range(void **state)
{
	struct fake *f = *state;
	/* 3 pages, then 3 blocks, then 5 pages; crosses a 1 GiB boundary. */
	const u64 iova = SZ_1G - 2 * SZ_2M - 3 * SZ_4K;
	const u64 bus = 0x3c0000000ull - 3 * SZ_4K;
	const u64 size = 3 * SZ_4K + 3 * SZ_2M + 5 * SZ_4K;

	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, size, RW), 0);
	expect_mapped(f, iova, bus, 3 * SZ_4K, 3);
	expect_mapped(f, iova + 3 * SZ_4K, bus + 3 * SZ_4K, 3 * SZ_2M, 2);
	expect_mapped(f, iova + 3 * SZ_4K + 3 * SZ_2M, bus + 3 * SZ_4K + 3 * SZ_2M,
		      5 * SZ_4K, 3);
	expect_unmapped(f, iova - SZ_4K, SZ_4K);
	expect_unmapped(f, iova + size, SZ_4K);
	/* root, 1 level-1, 2 level-2, 2 level-3 */
	assert_int_equal(f->live, 6);

	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, size), size);
	assert_int_equal(f->tlb_invs, 1);
	assert_int_equal(f->tlb_iova, iova);
	assert_int_equal(f->tlb_size, size);
	expect_unmapped(f, iova, size);
	assert_int_equal(f->live, 1);
}

static void test_split_block(void **state)
{
	struct fake *f = *state;
	const u64 iova = 0x200000000ull, bus = 0x80000000ull;
	struct vmsm_pt_walk_result res;
	const u32 prot = VMSM_PT_PROT_READ | VMSM_PT_PROT_PRIV |
			 VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_WC);

	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, 2 * SZ_2M, prot), 0);
	assert_int_equal(f->live, 3);

	/* A page in the middle of the first block. */
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + 0x81000, SZ_4K), SZ_4K);
	assert_int_equal(f->tlb_invs, 1);
	assert_int_equal(f->tlb_iova, iova + 0x81000);
	assert_int_equal(f->tlb_size, SZ_4K);
	assert_int_equal(f->live, 4);
	expect_mapped(f, iova, bus, 0x81000, 3);
	expect_unmapped(f, iova + 0x81000, SZ_4K);
	expect_mapped(f, iova + 0x82000, bus + 0x82000, SZ_2M - 0x82000, 3);
	expect_mapped(f, iova + SZ_2M, bus + SZ_2M, SZ_2M, 2);

	/* The pages keep the block's attributes. */
	assert_int_equal(walk(f, iova + 0x82000, &res), 0);
	assert_int_equal(res.pte, (bus + 0x82000) | VMSM_PTE_VALID | VMSM_PTE_TYPE |
			 LEAF_ATTRS | VMSM_PTE_AP_RDONLY |
			 (VMSM_PT_ATTR_WC << VMSM_PTE_ATTRINDX_SHIFT));

	/* Across the two blocks: splits the second one too. */
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + SZ_2M - 0x3000, 0x5000), 0x5000);
	assert_int_equal(f->live, 5);
	expect_mapped(f, iova + 0x82000, bus + 0x82000, SZ_2M - 0x85000, 3);
	expect_unmapped(f, iova + SZ_2M - 0x3000, 0x5000);
	expect_mapped(f, iova + SZ_2M + 0x2000, bus + SZ_2M + 0x2000, SZ_2M - 0x2000, 3);

	/* The whole range again: only what is left counts. */
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, 2 * SZ_2M),
			 2 * SZ_2M - SZ_4K - 0x5000);
	assert_int_equal(f->live, 1);
	expect_unmapped(f, iova, 2 * SZ_2M);
}

static void test_split_block_edges(void **state)
{
	struct fake *f = *state;
	const u64 iova = 0x200000000ull, bus = 0x80000000ull;

	/* First and last page of a block, then everything but them. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, SZ_2M, RW), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, SZ_4K), SZ_4K);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + SZ_2M - SZ_4K, SZ_4K), SZ_4K);
	expect_unmapped(f, iova, SZ_4K);
	expect_mapped(f, iova + SZ_4K, bus + SZ_4K, SZ_2M - 2 * SZ_4K, 3);
	expect_unmapped(f, iova + SZ_2M - SZ_4K, SZ_4K);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + SZ_4K, SZ_2M - 2 * SZ_4K),
			 SZ_2M - 2 * SZ_4K);
	assert_int_equal(f->live, 1);

	/* Upper half of a block, then the lower half. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, SZ_2M, RW), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + SZ_2M / 2, SZ_1G), SZ_2M / 2);
	expect_mapped(f, iova, bus, SZ_2M / 2, 3);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova - SZ_2M, SZ_2M + SZ_2M / 2),
			 SZ_2M / 2);
	assert_int_equal(f->live, 1);
}

static void test_split_alloc_failure(void **state)
{
	struct fake *f = *state;
	const u64 iova = 0x200000000ull + 2 * SZ_2M, bus = 0x80000000ull;
	unsigned int invs;

	assert_int_equal(vmsm_pt_map(&f->pt, iova - SZ_4K, bus - SZ_4K, SZ_4K, RW), 0);
	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, 2 * SZ_2M, RW), 0);
	assert_int_equal(f->live, 4);

	/* The first split fails: only the page before the blocks goes. */
	f->fail_at = f->alloc_calls + 1;
	invs = f->tlb_invs;
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova - SZ_4K, SZ_2M), SZ_4K);
	assert_int_equal(f->tlb_invs, invs + 1);
	expect_unmapped(f, iova - SZ_4K, SZ_4K);
	expect_mapped(f, iova, bus, 2 * SZ_2M, 2);
	assert_int_equal(f->live, 3);

	/* Nothing unmapped at all: no TLB invalidation either. */
	f->fail_at = f->alloc_calls + 1;
	invs = f->tlb_invs;
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + SZ_4K, SZ_4K), 0);
	assert_int_equal(f->tlb_invs, invs);
	expect_mapped(f, iova, bus, 2 * SZ_2M, 2);

	/* The second split fails: the first block's tail went, not more. */
	f->fail_at = f->alloc_calls + 2;
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + SZ_2M / 2, SZ_2M), SZ_2M / 2);
	expect_mapped(f, iova, bus, SZ_2M / 2, 3);
	expect_unmapped(f, iova + SZ_2M / 2, SZ_2M / 2);
	expect_mapped(f, iova + SZ_2M, bus + SZ_2M, SZ_2M, 2);
	assert_int_equal(f->live, 4);

	/* Retried with memory: completes. */
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova + SZ_2M / 2, SZ_2M), SZ_2M / 2);
	expect_unmapped(f, iova + SZ_2M / 2, SZ_2M);
	expect_mapped(f, iova + 3 * SZ_2M / 2, bus + 3 * SZ_2M / 2, SZ_2M / 2, 3);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, VA_END), SZ_2M);
	assert_int_equal(f->live, 1);
}

static void test_unmap_frees_tables(void **state)
{
	struct fake *f = *state;
	static const u64 where[] = {
		0, SZ_2M, SZ_1G, SZ_512G, SZ_512G + SZ_1G + SZ_2M, 1ull << 47,
	};
	unsigned int i, invs;

	for (i = 0; i < ARRAY_SIZE(where); i++)
		assert_int_equal(vmsm_pt_map(&f->pt, where[i], 0x10000 * i, SZ_4K, RW), 0);
	/* 0 and 2M share levels 1 and 2; 1G shares level 1; 512G+1G+2M none. */
	assert_int_equal(f->live, 1 + 3 + 1 + 2 + 3 + 2 + 3);

	/* Nothing mapped there: nothing written, no invalidation. */
	invs = f->tlb_invs;
	assert_int_equal(vmsm_pt_unmap(&f->pt, SZ_4K, SZ_2M - SZ_4K), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 2 * SZ_512G, SZ_512G), 0);
	assert_int_equal(f->tlb_invs, invs);

	assert_int_equal(vmsm_pt_unmap(&f->pt, SZ_2M, SZ_4K), SZ_4K);
	assert_int_equal(f->live, 14);		/* one level-3 table less */
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, SZ_4K), SZ_4K);
	assert_int_equal(f->live, 12);		/* its level-3 and 2 tables */
	assert_int_equal(vmsm_pt_unmap(&f->pt, SZ_1G, SZ_4K), SZ_4K);
	assert_int_equal(f->live, 9);		/* levels 3, 2 and 1 */
	expect_mapped(f, SZ_512G, 0x30000, SZ_4K, 3);
	/* One call over the three left, with holes. */
	assert_int_equal(vmsm_pt_unmap(&f->pt, SZ_4K, VA_END - SZ_4K), 3 * SZ_4K);
	assert_int_equal(f->tlb_iova, SZ_4K);
	assert_int_equal(f->tlb_size, VA_END - SZ_4K);
	assert_int_equal(f->live, 1);
	for (i = 0; i < ARRAY_SIZE(where); i++)
		expect_unmapped(f, where[i], SZ_4K);
}

static void test_overlap(void **state)
{
	struct fake *f = *state;
	const u64 iova = 0x40000000ull, bus = 0x10000000ull;
	unsigned int live;

	assert_int_equal(vmsm_pt_map(&f->pt, iova + SZ_2M, bus, SZ_2M, RW), 0);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + 3 * SZ_2M, bus, 2 * SZ_4K, RW), 0);
	live = f->live;

	/* Same block, a page in it, a block over pages, pages over a block. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova + SZ_2M, bus, SZ_2M, RW), -EEXIST);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + SZ_2M + SZ_4K, 0, SZ_4K, RW), -EEXIST);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + 3 * SZ_2M, bus, SZ_2M, RW), -EEXIST);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + 3 * SZ_2M + SZ_4K, 0, SZ_4K, RW),
			 -EEXIST);
	/* Free at the start, overlapping at the end: the start is undone. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova, bus, SZ_2M + SZ_4K, RW), -EEXIST);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + 3 * SZ_2M - SZ_4K, bus,
				     2 * SZ_4K, RW), -EEXIST);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + SZ_4K, bus, 4 * SZ_2M, RW), -EEXIST);
	assert_int_equal(f->live, live);
	expect_unmapped(f, iova, SZ_2M);
	expect_mapped(f, iova + SZ_2M, bus, SZ_2M, 2);
	expect_unmapped(f, iova + 2 * SZ_2M, SZ_2M);
	expect_mapped(f, iova + 3 * SZ_2M, bus, 2 * SZ_4K, 3);
	expect_unmapped(f, iova + 3 * SZ_2M + 2 * SZ_4K, SZ_2M - 2 * SZ_4K);

	/* Right next to them is fine. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova + 2 * SZ_2M, bus, SZ_2M, RW), 0);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + 3 * SZ_2M + 2 * SZ_4K, bus, SZ_4K,
				     RW), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, 4 * SZ_2M), 2 * SZ_2M + 3 * SZ_4K);
	assert_int_equal(f->live, 1);
}

static void test_bad_args(void **state)
{
	static const struct {
		u64 iova, bus, size;
		u32 prot;
	} bad[] = {
		{ 0x1800, 0, SZ_4K, RW },			/* unaligned */
		{ 0x1000, 0x800, SZ_4K, RW },
		{ 0x1000, 0, 0x1800, RW },
		{ 0x1000, 0, 0, RW },				/* empty */
		{ ~0ull - SZ_4K + 1, 0, 2 * SZ_4K, RW },	/* wraps at 2^64 */
		{ SZ_4K, 0, ~0ull - SZ_4K + 1, RW },
		{ ~0ull - SZ_4K + 1, 0, SZ_4K, RW },		/* beyond 48 bits */
		{ VA_END, 0, SZ_4K, RW },
		{ VA_END - SZ_4K, 0, 2 * SZ_4K, RW },
		{ 0, 0, VA_END + SZ_4K, RW },
		{ 0, VA_END, SZ_4K, RW },			/* bus beyond 48 bits */
		{ 0, VA_END - SZ_4K, 2 * SZ_4K, RW },
		{ 0, ~0ull - SZ_4K + 1, 2 * SZ_4K, RW },
		{ 0, 0, SZ_4K, 0 },				/* no READ */
		{ 0, 0, SZ_4K, VMSM_PT_PROT_WRITE },
		{ 0, 0, SZ_4K, VMSM_PT_PROT_READ | BIT(3) },	/* unknown bits */
		{ 0, 0, SZ_4K, VMSM_PT_PROT_READ | BIT(7) },
		{ 0, 0, SZ_4K, VMSM_PT_PROT_READ | BIT(31) },
		{ 0, 0, SZ_4K, VMSM_PT_PROT_READ | VMSM_PT_PROT_ATTR(3) },
		{ 0, 0, SZ_4K, VMSM_PT_PROT_READ | VMSM_PT_PROT_ATTR(7) },
	};
	struct fake *f = *state;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(vmsm_pt_map(&f->pt, bad[i].iova, bad[i].bus, bad[i].size,
					     bad[i].prot), -EINVAL);
	}
	assert_int_equal(f->live, 1);
	assert_int_equal(f->alloc_calls, 1);
	assert_int_equal(f->syncs, 0);

	/* unmap refuses misaligned or empty ranges and counts nothing. */
	assert_int_equal(vmsm_pt_map(&f->pt, 0, 0, SZ_2M, RW), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0x800, SZ_4K), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, 0x800), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, 0), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, VA_END, SZ_4K), 0);
	assert_int_equal(vmsm_pt_unmap(&f->pt, ~0ull - SZ_4K + 1, SZ_4K), 0);
	assert_int_equal(f->tlb_invs, 0);
	expect_mapped(f, 0, 0, SZ_2M, 2);
	/* A size that wraps is cut at 2^48. */
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, ~0ull - SZ_4K + 1), SZ_2M);
	assert_int_equal(f->tlb_size, VA_END);
	assert_int_equal(f->live, 1);
}

static void test_permissions(void **state)
{
	static const struct {
		u32 prot;
		bool user_read, user_write, priv_read, priv_write;
	} cases[] = {
		{ VMSM_PT_PROT_READ, true, false, true, false },
		{ RW, true, true, true, true },
		{ VMSM_PT_PROT_READ | VMSM_PT_PROT_PRIV, false, false, true, false },
		{ RW | VMSM_PT_PROT_PRIV, false, false, true, true },
	};
	struct fake *f = *state;
	struct vmsm_pt_walk_result res;
	unsigned int i, level;
	u64 iova;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (level = 2; level <= 3; level++) {
			iova = SZ_1G * (i + 1) + (level == 3 ? 2 * SZ_2M + SZ_4K : 0);
			assert_int_equal(vmsm_pt_map(&f->pt, iova, 0, SZ_2M, cases[i].prot), 0);
			assert_int_equal(walk(f, iova, &res), 0);
			assert_int_equal(res.level, level);
			assert_int_equal(!!(res.pte & VMSM_PTE_AP_RDONLY),
					 !(cases[i].prot & VMSM_PT_PROT_WRITE));
			assert_int_equal(!!(res.pte & VMSM_PTE_AP_UNPRIV),
					 !(cases[i].prot & VMSM_PT_PROT_PRIV));
			assert_true((res.pte & LEAF_ATTRS) == LEAF_ATTRS);
			assert_int_equal(vmsm_pt_access_ok(res.pte, 0), cases[i].user_read);
			assert_int_equal(vmsm_pt_access_ok(res.pte, VMSM_PT_ACCESS_WRITE),
					 cases[i].user_write);
			assert_int_equal(vmsm_pt_access_ok(res.pte, VMSM_PT_ACCESS_PRIV),
					 cases[i].priv_read);
			assert_int_equal(vmsm_pt_access_ok(res.pte, VMSM_PT_ACCESS_PRIV |
							   VMSM_PT_ACCESS_WRITE),
					 cases[i].priv_write);
		}
	}

	/* Memory types land in ATTRINDX; other bits stay clear. */
	for (i = VMSM_PT_ATTR_CACHED; i <= VMSM_PT_ATTR_DEVICE; i++) {
		iova = SZ_512G + i * SZ_4K;
		assert_int_equal(vmsm_pt_map(&f->pt, iova, SZ_1G, SZ_4K,
					     RW | VMSM_PT_PROT_ATTR(i)), 0);
		assert_int_equal(walk(f, iova, &res), 0);
		assert_int_equal((res.pte & VMSM_PTE_ATTRINDX_MASK) >>
				 VMSM_PTE_ATTRINDX_SHIFT, i);
		assert_int_equal(res.pte, SZ_1G | VMSM_PTE_VALID | VMSM_PTE_TYPE |
				 LEAF_ATTRS | VMSM_PTE_AP_UNPRIV |
				 ((u64)i << VMSM_PTE_ATTRINDX_SHIFT));
	}
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, VA_END),
			 2 * ARRAY_SIZE(cases) * SZ_2M + 3 * SZ_4K);
}

/* Replaces a descriptor in both views, returning the old one. */
static u64 poke(struct fake *f, u64 *table, unsigned int idx, u64 pte)
{
	int i = cpu_slot(f, table);
	u64 old = table[idx];

	assert_true(i >= 0);
	table[idx] = pte;
	f->t[i].dev[idx] = pte;
	return old;
}

static u64 *child_of(struct fake *f, u64 *table, u64 iova, unsigned int level)
{
	return fake_cpu_table_va(f, table[vmsm_pt_index(iova, level)] & VMSM_PTE_ADDR_MASK);
}

static void test_walk_faults(void **state)
{
	struct fake *f = *state;
	const u64 iova = SZ_512G + SZ_1G + SZ_2M + SZ_4K;
	struct vmsm_pt_walk_result res;
	u64 *l1, *l2, *l3, old;

	/* Beyond 48 bits, whatever the lower bits would translate to. */
	assert_int_equal(vmsm_pt_map(&f->pt, 0, 0, SZ_2M, RW), 0);
	assert_int_equal(walk(f, 0, &res), 0);
	assert_int_equal(walk(f, VA_END, &res), -EFAULT);
	assert_int_equal(walk(f, 1ull << 63, &res), -EFAULT);
	assert_int_equal(walk(f, ~0ull, &res), -EFAULT);

	/* Invalid at level 0, 1, 2 and 3. */
	assert_int_equal(vmsm_pt_map(&f->pt, iova, 0x5000, SZ_4K, RW), 0);
	assert_int_equal(walk(f, 2 * SZ_512G, &res), -EFAULT);
	assert_int_equal(walk(f, SZ_512G + 2 * SZ_1G, &res), -EFAULT);
	assert_int_equal(walk(f, SZ_512G + SZ_1G + 2 * SZ_2M, &res), -EFAULT);
	assert_int_equal(walk(f, iova + SZ_4K, &res), -EFAULT);
	assert_int_equal(walk(f, iova, &res), 0);

	l1 = child_of(f, f->pt.root, iova, 0);
	l2 = child_of(f, l1, iova, 1);
	l3 = child_of(f, l2, iova, 2);
	assert_non_null(l3);

	/* Block descriptors where blocks are not allowed. */
	old = poke(f, f->pt.root, 1, SZ_512G | VMSM_PTE_VALID | LEAF_ATTRS);
	assert_int_equal(walk(f, iova, &res), -EFAULT);
	poke(f, f->pt.root, 1, old);
	old = poke(f, l1, 1, SZ_1G | VMSM_PTE_VALID | LEAF_ATTRS);
	assert_int_equal(walk(f, iova, &res), -EFAULT);
	poke(f, l1, 1, old);
	/* Reserved type at level 3. */
	old = poke(f, l3, 1, 0x5000 | VMSM_PTE_VALID | LEAF_ATTRS);
	assert_int_equal(walk(f, iova, &res), -EFAULT);
	/* Other invalid encodings: TYPE without VALID. */
	poke(f, l3, 1, 0x5000 | VMSM_PTE_TYPE | LEAF_ATTRS);
	assert_int_equal(walk(f, iova, &res), -EFAULT);
	poke(f, l3, 1, old);
	assert_int_equal(walk(f, iova, &res), 0);

	/* A block's address bits below 2 MiB are ignored. */
	old = poke(f, l2, 1, 0x40000000ull | 0x1ff000 | VMSM_PTE_VALID | LEAF_ATTRS);
	assert_int_equal(walk(f, iova + 0x123, &res), 0);
	assert_int_equal(res.level, 2);
	assert_int_equal(res.bus, 0x40000000ull + SZ_4K + 0x123);
	poke(f, l2, 1, old);

	/* A table address the walker's memory does not have. */
	old = poke(f, l2, 1, 0x7000 | VMSM_PTE_VALID | VMSM_PTE_TYPE);
	assert_int_equal(walk(f, iova, &res), -EFAULT);
	assert_int_equal(f->walker_misses, 1);
	poke(f, l2, 1, old);
	assert_int_equal(vmsm_pt_walk(&walker_ops, f, 0x1000, iova, &res), -EFAULT);
	assert_int_equal(f->walker_misses, 2);
	f->walker_misses = 0;

	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, VA_END), SZ_2M + SZ_4K);
}

/* Tables the mapping code cannot reach are skipped, never followed. */
static void test_lost_table(void **state)
{
	struct fake *f = *state;
	const u64 iova = SZ_1G + SZ_4K;
	u64 *l1, old;

	assert_int_equal(vmsm_pt_map(&f->pt, iova, 0, SZ_4K, RW), 0);
	l1 = child_of(f, f->pt.root, iova, 0);
	old = poke(f, l1, 1, 0x7000 | VMSM_PTE_VALID | VMSM_PTE_TYPE);
	assert_int_equal(vmsm_pt_map(&f->pt, iova + SZ_4K, 0, SZ_4K, RW), -EFAULT);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, VA_END), 0);
	assert_int_equal(f->errors, 2);
	f->errors = 0;
	poke(f, l1, 1, old);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, VA_END), SZ_4K);
	assert_int_equal(f->live, 1);
}

/* Fails each table allocation of a map in turn; checks the undo. */
static void check_map_unroll(struct fake *f, u64 iova, u64 bus, u64 size)
{
	unsigned int n, live = f->live, invs;
	int ret;

	for (n = 1;; n++) {
		f->fail_at = f->alloc_calls + n;
		invs = f->tlb_invs;
		ret = vmsm_pt_map(&f->pt, iova, bus, size, RW);
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
		assert_int_equal(f->live, live);
		assert_true(f->tlb_invs <= invs + 1);
		expect_unmapped(f, iova, size);
		assert_true(n < 32);
	}
	f->fail_at = 0;
	assert_true(n > 1);
	expect_mapped(f, iova, bus, size, ANY_LEVEL);
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, size), size);
	assert_int_equal(f->live, live);
}

static void test_map_alloc_failure(void **state)
{
	struct fake *f = *state;
	/* Pages on both sides of a 512 GiB boundary: six new tables. */
	const u64 iova = SZ_512G - 8 * SZ_4K;

	check_map_unroll(f, iova, 0x100000, 16 * SZ_4K);

	/* Same with blocks in between and tables partly there already. */
	assert_int_equal(vmsm_pt_map(&f->pt, SZ_512G - SZ_1G, 0, SZ_4K, RW), 0);
	assert_int_equal(vmsm_pt_map(&f->pt, SZ_512G + 5 * SZ_2M, 0, SZ_4K, RW), 0);
	check_map_unroll(f, iova, 0x100000, 16 * SZ_4K);
	check_map_unroll(f, SZ_512G - SZ_2M - SZ_4K, SZ_2M - SZ_4K,
			 2 * SZ_4K + 2 * SZ_2M);

	/* -EEXIST after allocating 514 tables: they are freed too. */
	assert_int_equal(f->live, 7);
	assert_int_equal(vmsm_pt_map(&f->pt, 4 * SZ_512G - SZ_4K, 0, SZ_4K, RW), 0);
	assert_int_equal(f->live, 10);
	assert_int_equal(vmsm_pt_map(&f->pt, 3 * SZ_512G - SZ_4K, SZ_2M - SZ_4K,
				     SZ_512G + SZ_4K, RW), -EEXIST);
	assert_int_equal(f->live, 10);
	expect_unmapped(f, 3 * SZ_512G - SZ_4K, SZ_2M);

	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, VA_END), 3 * SZ_4K);
	assert_int_equal(f->live, 1);
}

/*
 * An object of 16 KiB CPU pages (Debian's arm64-16k kernel) scattered in
 * bus space, mapped chunk by chunk as the MMU layer does: each 4 KiB GPU
 * page must reach its own part of its chunk.
 */
static void test_16k_cpu_pages(void **state)
{
	static const u64 chunk_bus[] = {
		0x8d3c000, 0x1234000, 0x1238000, 0x7fffc000, 0x4000,
		0xfffffffc000, 0x123400000, 0x1230000, 0x5554000, 0x6668000,
		0x8d38000, 0xaaaa0000, 0x3ffc000, 0x4000000, 0x77774000,
		0xbeef4000, 0x11110000, 0xffffc000,
	};
	struct fake *f = *state;
	/* 16 KiB aligned, not 2 MiB aligned, crosses a 2 MiB boundary. */
	const u64 iova = 0x80000000ull + SZ_2M - 5 * SZ_16K;
	struct vmsm_pt_walk_result res;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(chunk_bus); i++)
		assert_int_equal(vmsm_pt_map(&f->pt, iova + i * SZ_16K, chunk_bus[i],
					     SZ_16K, RW), 0);
	for (i = 0; i < ARRAY_SIZE(chunk_bus); i++) {
		for (j = 0; j < 4; j++) {
			assert_int_equal(walk(f, iova + i * SZ_16K + j * SZ_4K + 0x7c, &res), 0);
			assert_int_equal(res.bus, chunk_bus[i] + j * SZ_4K + 0x7c);
			assert_int_equal(res.level, 3);
		}
	}
	expect_unmapped(f, iova - SZ_4K, SZ_4K);
	expect_unmapped(f, iova + ARRAY_SIZE(chunk_bus) * SZ_16K, SZ_4K);

	/* Chunk by chunk again, every other one first. */
	for (i = 0; i < ARRAY_SIZE(chunk_bus); i += 2)
		assert_int_equal(vmsm_pt_unmap(&f->pt, iova + i * SZ_16K, SZ_16K), SZ_16K);
	for (i = 1; i < ARRAY_SIZE(chunk_bus); i += 2) {
		expect_unmapped(f, iova + (i - 1) * SZ_16K, SZ_16K);
		expect_mapped(f, iova + i * SZ_16K, chunk_bus[i], SZ_16K, 3);
	}
	assert_int_equal(vmsm_pt_unmap(&f->pt, iova, ARRAY_SIZE(chunk_bus) * SZ_16K),
			 ARRAY_SIZE(chunk_bus) / 2 * SZ_16K);
	assert_int_equal(f->live, 1);
}

static void test_top_of_va(void **state)
{
	struct fake *f = *state;
	struct vmsm_pt_walk_result res;

	/* The last block, then the last page, of the 48-bit space. */
	assert_int_equal(vmsm_pt_map(&f->pt, VA_END - SZ_2M, VA_END - SZ_2M, SZ_2M, RW), 0);
	expect_mapped(f, VA_END - SZ_2M, VA_END - SZ_2M, SZ_2M, 2);
	assert_int_equal(walk(f, VA_END - 1, &res), 0);
	assert_int_equal(res.bus, VA_END - 1);
	assert_int_equal(walk(f, VA_END, &res), -EFAULT);
	assert_int_equal(vmsm_pt_map(&f->pt, VA_END - SZ_4K, 0, SZ_4K, RW), -EEXIST);
	assert_int_equal(vmsm_pt_unmap(&f->pt, VA_END - SZ_2M, SZ_2M), SZ_2M);
	assert_int_equal(f->live, 1);

	assert_int_equal(vmsm_pt_map(&f->pt, VA_END - SZ_4K, VA_END - SZ_4K, SZ_4K, RW), 0);
	assert_int_equal(walk(f, VA_END - 1, &res), 0);
	assert_int_equal(res.bus, VA_END - 1);
	assert_int_equal(res.level, 3);
	assert_int_equal(vmsm_pt_index(VA_END - 1, 0), 511);
	/* A range running past the top is cut there. */
	assert_int_equal(vmsm_pt_unmap(&f->pt, VA_END - SZ_4K, SZ_1G), SZ_4K);
	assert_int_equal(f->tlb_size, SZ_4K);
	assert_int_equal(f->live, 1);

	/* The whole top 512 GiB minus a page before it, in one call. */
	assert_int_equal(vmsm_pt_map(&f->pt, VA_END - SZ_512G - SZ_4K, SZ_2M - SZ_4K,
				     SZ_512G + SZ_4K, VMSM_PT_PROT_READ), 0);
	assert_int_equal(f->live, 1 + 3 + 1 + 512);
	assert_int_equal(walk(f, VA_END - SZ_4K, &res), 0);
	assert_int_equal(res.bus, SZ_512G + SZ_2M - SZ_4K);
	assert_int_equal(res.level, 2);
	assert_int_equal(vmsm_pt_unmap(&f->pt, 0, VA_END), SZ_512G + SZ_4K);
	assert_int_equal(f->live, 1);
}

/* Without sync_table and tlb_inv (coherent tables), all still works. */
static void test_coherent_ops(void **state)
{
	static const struct vmsm_pt_ops coherent_ops = {
		.alloc_table = fake_alloc_table,
		.free_table = fake_free_table,
		.table_va = fake_cpu_table_va,
	};
	struct fake *f = *state;
	struct vmsm_pgtable pt;
	struct vmsm_pt_walk_result res;

	f->free_anytime = true;
	assert_int_equal(vmsm_pt_init(&pt, &coherent_ops, f), 0);
	assert_int_equal(vmsm_pt_map(&pt, SZ_2M - SZ_4K, 0, SZ_2M + SZ_4K, RW), 0);
	assert_int_equal(vmsm_pt_walk(&coherent_ops, f, pt.root_bus, SZ_2M + 5, &res), 0);
	assert_int_equal(res.bus, SZ_4K + 5);
	assert_int_equal(vmsm_pt_unmap(&pt, SZ_2M, SZ_4K), SZ_4K);
	assert_int_equal(vmsm_pt_unmap(&pt, 0, VA_END), SZ_2M);
	vmsm_pt_fini(&pt);
	assert_int_equal(f->live, 1);
	assert_int_equal(f->syncs, 0);
	assert_int_equal(f->tlb_invs, 0);
}

/* An access is split at every granule boundary it crosses, and only there. */
static void test_chunks(void **state)
{
	static const struct {
		u64 va, size;
		u32 n;		/* chunks */
		u32 first;	/* bytes of the first chunk */
	} cases[] = {
		{ 0, 0, 0, 0 },
		{ 0, 1, 1, 1 },
		{ 0, SZ_4K, 1, SZ_4K },
		{ 1, SZ_4K, 2, SZ_4K - 1 },
		{ SZ_4K - 4, 8, 2, 4 },
		{ SZ_4K - 1, 3 * SZ_4K + 5, 5, 1 },
		{ VA_END - SZ_4K, SZ_4K, 1, SZ_4K },
	};
	struct vmsm_pt_chunk c;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 next = cases[i].va;
		u32 n = 0;

		vmsm_pt_chunk_start(&c, cases[i].va, cases[i].size);
		while (vmsm_pt_chunk_next(&c)) {
			assert_int_equal(c.va, next);
			assert_int_equal(c.off, next - cases[i].va);
			assert_in_range(c.len, 1, SZ_4K);
			/* never crosses a granule */
			assert_int_equal(c.va / SZ_4K, (c.va + c.len - 1) / SZ_4K);
			/* and stops only at one or at the end */
			if (c.off + c.len < cases[i].size)
				assert_int_equal((c.va + c.len) % SZ_4K, 0);
			if (!n)
				assert_int_equal(c.len, cases[i].first);
			next += c.len;
			n++;
		}
		assert_int_equal(n, cases[i].n);
		assert_int_equal(next - cases[i].va, cases[i].size);
	}
	assert_int_equal(vmsm_pt_granule_left(SZ_4K + 10, SZ_4K), SZ_4K - 10);
	assert_int_equal(vmsm_pt_granule_left(SZ_4K + 10, 7), 7);
}

#define PT_TEST(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_math),
		cmocka_unit_test(test_chunks),
		PT_TEST(test_init_fini),
		PT_TEST(test_map_page),
		PT_TEST(test_block_aligned),
		PT_TEST(test_block_misaligned),
		PT_TEST(test_mixed_range),
		PT_TEST(test_split_block),
		PT_TEST(test_split_block_edges),
		PT_TEST(test_split_alloc_failure),
		PT_TEST(test_unmap_frees_tables),
		PT_TEST(test_overlap),
		PT_TEST(test_bad_args),
		PT_TEST(test_permissions),
		PT_TEST(test_walk_faults),
		PT_TEST(test_lost_table),
		PT_TEST(test_map_alloc_failure),
		PT_TEST(test_16k_cpu_pages),
		PT_TEST(test_top_of_va),
		PT_TEST(test_coherent_ops),
	};

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
