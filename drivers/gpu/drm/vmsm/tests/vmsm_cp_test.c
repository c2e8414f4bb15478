// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * KUnit tests of the command processor, run inside the checking kernel
 * against the code built into vmsm.ko. The fake GPU memory is made of real
 * pages mapped with kmap_local_page(), as the driver's memory ops do, so
 * that the checking kernel sees the CP's mappings; the fake also checks
 * itself that they are released in reverse order, never cross a 4 KiB
 * page and are not held across a wait or a poll.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/drm_fourcc.h>
#include <drm/vmsm_drm.h>

#include "../vmsm_cp.h"

#define CP_TEST_PAGES	16
#define CP_TEST_MAPS	4

#define RING		0x1000000ull
#define BUF		0x2000000ull
#define BUF2		0x3000000ull
#define RO		0x4000000ull
#define HOLE		0x5000000ull

struct cp_test_page {
	u64 va;
	bool ro;
	struct page *page;
};

struct cp_test_mem {
	struct kunit *test;
	struct cp_test_page pages[CP_TEST_PAGES];
	unsigned int npages;
	void *maps[CP_TEST_MAPS];
	bool map_write[CP_TEST_MAPS];
	unsigned int nmaps;
	unsigned int violations;
	unsigned int faults;
	u64 fault_va;
	bool fault_write;
	unsigned int waits;
	unsigned int abort_after;
	unsigned int poke_at;
	u64 poke_va;
	u32 poke_val;
	unsigned int polls;
};

static struct cp_test_page *cp_test_find(struct cp_test_mem *m, u64 va)
{
	unsigned int i;

	for (i = 0; i < m->npages; i++)
		if (m->pages[i].va == ALIGN_DOWN(va, SZ_4K))
			return &m->pages[i];
	return NULL;
}

static void cp_test_violation(struct cp_test_mem *m, const char *what)
{
	kunit_err(m->test, "CP broke the memory contract: %s\n", what);
	m->violations++;
}

static void *cp_test_map(void *ctx, u64 va, u32 len, bool write)
{
	struct cp_test_mem *m = ctx;
	struct cp_test_page *pg = cp_test_find(m, va);
	void *ptr;

	if (!len || offset_in_page(va) + len > SZ_4K) {
		cp_test_violation(m, "map crosses a 4 KiB page");
		return NULL;
	}
	if (m->nmaps == CP_TEST_MAPS) {
		cp_test_violation(m, "too many mappings held");
		return NULL;
	}
	if (!pg || (write && pg->ro)) {
		if (!m->faults++) {
			m->fault_va = va;
			m->fault_write = write;
		}
		return NULL;
	}
	ptr = kmap_local_page(pg->page) + (va & (SZ_4K - 1));
	m->maps[m->nmaps] = ptr;
	m->map_write[m->nmaps] = write;
	m->nmaps++;
	return ptr;
}

static void cp_test_unmap(void *ctx, void *ptr, bool write)
{
	struct cp_test_mem *m = ctx;

	if (!m->nmaps || m->maps[m->nmaps - 1] != ptr)
		cp_test_violation(m, "unmap out of LIFO order");
	else if (m->map_write[m->nmaps - 1] != write)
		cp_test_violation(m, "unmap with another write flag");
	if (m->nmaps)
		m->nmaps--;
	kunmap_local(ptr);
}

static u64 cp_test_timestamp(void *ctx)
{
	return 0x1122334455667788ull;
}

static void cp_test_store(struct cp_test_mem *m, u64 va, const void *src,
			  size_t len)
{
	struct cp_test_page *pg;
	size_t n;

	while (len) {
		pg = cp_test_find(m, va);
		KUNIT_ASSERT_NOT_NULL(m->test, pg);
		n = min_t(size_t, len, SZ_4K - (va & (SZ_4K - 1)));
		memcpy_to_page(pg->page, va & (SZ_4K - 1), src, n);
		src += n;
		va += n;
		len -= n;
	}
}

static u32 cp_test_r32(struct cp_test_mem *m, u64 va)
{
	struct cp_test_page *pg = cp_test_find(m, va);
	u32 v;

	KUNIT_ASSERT_NOT_NULL(m->test, pg);
	memcpy_from_page((char *)&v, pg->page, va & (SZ_4K - 1), sizeof(v));
	return v;
}

static u8 cp_test_r8(struct cp_test_mem *m, u64 va)
{
	struct cp_test_page *pg = cp_test_find(m, va);
	u8 v;

	KUNIT_ASSERT_NOT_NULL(m->test, pg);
	memcpy_from_page((char *)&v, pg->page, va & (SZ_4K - 1), sizeof(v));
	return v;
}

static int cp_test_wait(void *ctx)
{
	struct cp_test_mem *m = ctx;

	if (m->nmaps)
		cp_test_violation(m, "wait with a mapping held");
	m->waits++;
	if (m->poke_at && m->waits == m->poke_at)
		cp_test_store(m, m->poke_va, &m->poke_val, sizeof(m->poke_val));
	return m->waits >= m->abort_after;
}

static int cp_test_poll(void *ctx)
{
	struct cp_test_mem *m = ctx;

	if (m->nmaps)
		cp_test_violation(m, "poll with a mapping held");
	m->polls++;
	return 0;
}

static const struct vmsm_cp_mem_ops cp_test_ops = {
	.map = cp_test_map,
	.unmap = cp_test_unmap,
	.timestamp = cp_test_timestamp,
	.wait = cp_test_wait,
	.poll = cp_test_poll,
};

static void cp_test_add(struct cp_test_mem *m, u64 va, unsigned int n, bool ro,
			u8 fill)
{
	struct cp_test_page *pg;

	while (n--) {
		KUNIT_ASSERT_LT(m->test, m->npages, CP_TEST_PAGES);
		pg = &m->pages[m->npages];
		pg->page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(m->test, pg->page);
		m->npages++;
		pg->va = va;
		pg->ro = ro;
		memset_page(pg->page, 0, fill, PAGE_SIZE);
		va += SZ_4K;
	}
}

static int cp_test_init(struct kunit *test)
{
	struct cp_test_mem *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->test = test;
	m->abort_after = 1000;
	test->priv = m;
	return 0;
}

static void cp_test_exit(struct kunit *test)
{
	struct cp_test_mem *m = test->priv;
	unsigned int i;

	for (i = 0; i < m->npages; i++)
		__free_page(m->pages[i].page);
}

/* Command stream builder. */
struct cp_test_cs {
	u32 dw[2048];
	u32 n;
};

static void cs_emit(struct cp_test_cs *cs, u32 v)
{
	if (!WARN_ON(cs->n >= ARRAY_SIZE(cs->dw)))
		cs->dw[cs->n++] = v;
}

static void cs_emit64(struct cp_test_cs *cs, u64 v)
{
	cs_emit(cs, lower_32_bits(v));
	cs_emit(cs, upper_32_bits(v));
}

static void cs_pkt(struct cp_test_cs *cs, u32 op, u32 count, u64 addr)
{
	cs_emit(cs, VMSM_CP_PKT(op, count));
	cs_emit64(cs, addr);
}

static void cs_nop(struct cp_test_cs *cs, u32 count)
{
	cs_emit(cs, VMSM_CP_PKT(VMSM_CP_NOP, count));
	while (count--)
		cs_emit(cs, 0xdeadbeef);
}

static void cs_write(struct cp_test_cs *cs, u64 va, const u32 *data, u32 n)
{
	cs_pkt(cs, VMSM_CP_WRITE, 2 + n, va);
	while (n--)
		cs_emit(cs, *data++);
}

static void cs_copy(struct cp_test_cs *cs, u64 dst, u64 src, u64 size)
{
	cs_pkt(cs, VMSM_CP_COPY, 6, dst);
	cs_emit64(cs, src);
	cs_emit64(cs, size);
}

static void cs_indirect(struct cp_test_cs *cs, u64 va, u32 size)
{
	cs_pkt(cs, VMSM_CP_INDIRECT, 3, va);
	cs_emit(cs, size);
}

static void cs_fence(struct cp_test_cs *cs, u64 va, u32 value)
{
	cs_pkt(cs, VMSM_CP_FENCE, 3, va);
	cs_emit(cs, value);
}

static struct cp_test_cs *cs_new(struct kunit *test)
{
	struct cp_test_cs *cs = kunit_kzalloc(test, sizeof(*cs), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cs);
	return cs;
}

/* Stores @cs at @va and runs it; checks the memory contract. */
static enum vmsm_cp_status cp_test_run(struct cp_test_mem *m,
				       struct vmsm_cp *cp, u64 va,
				       const struct cp_test_cs *cs)
{
	enum vmsm_cp_status st;

	cp_test_store(m, va, cs->dw, cs->n * 4);
	*cp = (struct vmsm_cp){ .ops = &cp_test_ops, .ctx = m };
	st = vmsm_cp_execute(cp, va, cs->n);
	KUNIT_EXPECT_EQ(m->test, st, cp->status);
	KUNIT_EXPECT_EQ(m->test, m->nmaps, 0);
	KUNIT_EXPECT_EQ(m->test, m->violations, 0);
	return st;
}

static void vmsm_cp_test_write(struct kunit *test)
{
	struct cp_test_mem *m = test->priv;
	struct cp_test_cs *cs = cs_new(test);
	struct vmsm_cp cp;
	u32 *data, i;

	data = kunit_kmalloc_array(test, 300, sizeof(*data), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	cp_test_add(m, RING, 2, true, 0);
	cp_test_add(m, BUF, 2, false, 0xee);
	for (i = 0; i < 300; i++)
		data[i] = 0x1000 + i;

	/* the data straddles a stream page and a destination page */
	cs_nop(cs, SZ_4K / 4 - 10);
	cs_write(cs, BUF + SZ_4K - 256, data, 300);
	KUNIT_ASSERT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_OK);
	KUNIT_EXPECT_EQ(test, cp.packets, 2);
	for (i = 0; i < 300; i++)
		KUNIT_ASSERT_EQ(test, cp_test_r32(m, BUF + SZ_4K - 256 + 4 * i), data[i]);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + SZ_4K - 260), 0xeeeeeeee);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + SZ_4K - 256 + 4 * 300), 0xeeeeeeee);
}

static void vmsm_cp_test_copy(struct kunit *test)
{
	static const u32 sizes[] = { 1, 4095, 4096, 4097, 2 * 4096 + 3 };
	struct cp_test_mem *m = test->priv;
	struct cp_test_cs *cs = cs_new(test);
	struct vmsm_cp cp;
	unsigned int i, j;
	u64 dst;
	u8 *src;

	src = kunit_kmalloc(test, 3 * SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	cp_test_add(m, RING, 1, true, 0);
	cp_test_add(m, BUF, 4, false, 0);
	cp_test_add(m, BUF2, 4, true, 0);
	cp_test_add(m, RO, 1, true, 0);
	for (j = 0; j < 3 * SZ_4K; j++)
		src[j] = j * 7 + (j >> 8);
	cp_test_store(m, BUF2 + 5, src, 3 * SZ_4K);

	/* unaligned, with a different offset on each side */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		dst = BUF + 1001 + i;
		cs->n = 0;
		cs_copy(cs, dst, BUF2 + 5, sizes[i]);
		cp_test_store(m, dst - 1, &(u8){ 0x5a }, 1);
		cp_test_store(m, dst + sizes[i], &(u8){ 0x5a }, 1);
		KUNIT_ASSERT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_OK);
		for (j = 0; j < sizes[i]; j++)
			KUNIT_ASSERT_EQ(test, cp_test_r8(m, dst + j), src[j]);
		KUNIT_EXPECT_EQ(test, cp_test_r8(m, dst - 1), 0x5a);
		KUNIT_EXPECT_EQ(test, cp_test_r8(m, dst + sizes[i]), 0x5a);
	}

	/* into a read-only page */
	cs->n = 0;
	cs_nop(cs, 0);
	cs_copy(cs, RO + 4000, BUF, 200);
	KUNIT_EXPECT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_FAULT);
	KUNIT_EXPECT_EQ(test, cp.err_va, RING + 4);
	KUNIT_EXPECT_EQ(test, cp.err_opcode, VMSM_CP_COPY);
	KUNIT_EXPECT_EQ(test, cp.packets, 1);
	KUNIT_EXPECT_EQ(test, m->fault_va, RO + 4000);
	KUNIT_EXPECT_TRUE(test, m->fault_write);
}

static void vmsm_cp_test_rect(struct kunit *test)
{
	struct cp_test_mem *m = test->priv;
	struct cp_test_cs *cs = cs_new(test);
	struct vmsm_cp cp;
	u32 x, y, want;

	cp_test_add(m, RING, 1, true, 0);
	cp_test_add(m, BUF, 4, false, 0xcc);
	cp_test_add(m, BUF2, 1, true, 0);
	for (y = 0; y < 5; y++)
		for (x = 0; x < 16; x++)
			cp_test_store(m, BUF2 + y * 64 + x * 4, &(u32){ y << 8 | x }, 4);

	/* pitch 1000: rows cross pages; the blit goes to page 3, pitch 48 */
	cs_pkt(cs, VMSM_CP_FILL_RECT, 9, BUF);
	cs_emit(cs, 1000);
	cs_emit(cs, DRM_FORMAT_XRGB8888);
	cs_emit(cs, 10);	/* x */
	cs_emit(cs, 0);		/* y */
	cs_emit(cs, 200);	/* width */
	cs_emit(cs, 9);		/* height */
	cs_emit(cs, 0x12345678);
	cs_pkt(cs, VMSM_CP_BLIT, 13, BUF + 3 * SZ_4K);
	cs_emit(cs, 48);
	cs_emit64(cs, BUF2);
	cs_emit(cs, 64);
	cs_emit(cs, DRM_FORMAT_ARGB8888);
	cs_emit(cs, 1);		/* dst x */
	cs_emit(cs, 2);		/* dst y */
	cs_emit(cs, 6);		/* src x */
	cs_emit(cs, 1);		/* src y */
	cs_emit(cs, 4);		/* width */
	cs_emit(cs, 3);		/* height */
	KUNIT_ASSERT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_OK);

	for (y = 0; y < 10; y++)
		for (x = 0; x < 250; x += 7)
			KUNIT_ASSERT_EQ(test, cp_test_r32(m, BUF + y * 1000 + x * 4),
					x >= 10 && x < 210 && y < 9 ? 0x12345678 : 0xcccccccc);
	for (y = 0; y < 6; y++) {
		for (x = 0; x < 12; x++) {
			want = 0xcccccccc;
			if (x >= 1 && x < 5 && y >= 2 && y < 5)
				want = (y - 2 + 1) << 8 | (x - 1 + 6);
			KUNIT_ASSERT_EQ(test, cp_test_r32(m, BUF + 3 * SZ_4K + y * 48 + x * 4),
					want);
		}
	}
}

static void cs_convert(struct cp_test_cs *cs, u64 dst, u32 dst_pitch, u64 dst_uv,
		       u64 src, u32 src_pitch, u64 src_uv, u32 dst_format,
		       u32 src_format, u32 width, u32 height, u32 flags)
{
	cs_pkt(cs, VMSM_CP_CONVERT, 15, dst);
	cs_emit(cs, dst_pitch);
	cs_emit64(cs, dst_uv);
	cs_emit64(cs, src);
	cs_emit(cs, src_pitch);
	cs_emit64(cs, src_uv);
	cs_emit(cs, dst_format);
	cs_emit(cs, src_format);
	cs_emit(cs, width);
	cs_emit(cs, height);
	cs_emit(cs, flags);
}

/*
 * CONVERT through real pages, rows crossing them: NV12 grey levels on
 * neutral chroma (limited range: Y 16 is black, 235 white) to XRGB8888
 * and back give the codes the equations give exactly.
 */
static void vmsm_cp_test_convert(struct kunit *test)
{
	struct cp_test_mem *m = test->priv;
	struct cp_test_cs *cs = cs_new(test);
	const u32 w = 300, h = 5, nv_pitch = 1000, rgb_pitch = 1216;
	const u64 luma = BUF2, chroma = BUF2 + 2 * SZ_4K, rgb = BUF, back = BUF + 2 * SZ_4K;
	struct vmsm_cp cp;
	u8 y8, grey;
	u32 x, y;

	cp_test_add(m, RING, 1, true, 0);
	cp_test_add(m, BUF, 4, false, 0xcc);
	cp_test_add(m, BUF2, 4, false, 128);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			y8 = x % 2 ? 235 : 16;
			cp_test_store(m, luma + y * nv_pitch + x, &y8, 1);
		}
	}
	cs_convert(cs, rgb, rgb_pitch, 0, luma, nv_pitch, chroma, DRM_FORMAT_XRGB8888,
		   DRM_FORMAT_NV12, w, h, VMSM_CP_CONVERT_BT709);
	cs_convert(cs, back, nv_pitch, back + SZ_4K, rgb, rgb_pitch, 0, DRM_FORMAT_NV12,
		   DRM_FORMAT_XRGB8888, w, 2, VMSM_CP_CONVERT_BT2020);
	KUNIT_ASSERT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_OK);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++)
			KUNIT_ASSERT_EQ(test, cp_test_r32(m, rgb + y * rgb_pitch + x * 4),
					x % 2 ? 0xffffffff : 0xff000000);
		KUNIT_ASSERT_EQ(test, cp_test_r32(m, rgb + y * rgb_pitch + w * 4), 0xcccccccc);
	}
	for (x = 0; x < w; x++) {
		y8 = cp_test_r8(m, back + x);
		KUNIT_ASSERT_EQ(test, y8, x % 2 ? 235 : 16);
		/* each 2x2 block averages black and white: grey, neutral chroma */
		grey = cp_test_r8(m, back + SZ_4K + x);
		KUNIT_ASSERT_EQ(test, grey, 128);
	}
}

/* Buffer k at BUF2 + k pages writes k and calls buffer k + 1. */
static enum vmsm_cp_status cp_test_nested(struct cp_test_mem *m,
					  struct cp_test_cs *cs,
					  struct vmsm_cp *cp, unsigned int depth)
{
	unsigned int k;

	for (k = 1; k <= depth; k++) {
		cs->n = 0;
		cs_write(cs, BUF + 4 * k, &k, 1);
		if (k < depth)
			cs_indirect(cs, BUF2 + (k + 1) * SZ_4K, 8);
		else
			cs_nop(cs, 3);
		cp_test_store(m, BUF2 + k * SZ_4K, cs->dw, cs->n * 4);
	}
	cs->n = 0;
	cs_indirect(cs, BUF2 + SZ_4K, 8);
	cs_fence(cs, BUF, 0x100);
	return cp_test_run(m, cp, RING, cs);
}

static void vmsm_cp_test_indirect(struct kunit *test)
{
	struct cp_test_mem *m = test->priv;
	struct cp_test_cs *cs = cs_new(test);
	struct vmsm_cp cp;
	unsigned int k;

	cp_test_add(m, RING, 1, true, 0);
	cp_test_add(m, BUF, 1, false, 0);
	cp_test_add(m, BUF2 + SZ_4K, VMSM_CP_MAX_IB_DEPTH + 1, true, 0);

	KUNIT_ASSERT_EQ(test, cp_test_nested(m, cs, &cp, VMSM_CP_MAX_IB_DEPTH),
			VMSM_CP_OK);
	KUNIT_EXPECT_EQ(test, cp.packets, 2 * VMSM_CP_MAX_IB_DEPTH + 2);
	KUNIT_EXPECT_EQ(test, m->polls, cp.packets);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF), 0x100);
	for (k = 1; k <= VMSM_CP_MAX_IB_DEPTH; k++)
		KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + 4 * k), k);

	cp_test_store(m, BUF, &(u32){ 0 }, 4);
	KUNIT_ASSERT_EQ(test, cp_test_nested(m, cs, &cp, VMSM_CP_MAX_IB_DEPTH + 1),
			VMSM_CP_INVALID);
	KUNIT_EXPECT_EQ(test, cp.err_va, BUF2 + VMSM_CP_MAX_IB_DEPTH * SZ_4K + 16);
	KUNIT_EXPECT_EQ(test, cp.err_opcode, VMSM_CP_INDIRECT);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF), 0);
}

static void vmsm_cp_test_wait_mem(struct kunit *test)
{
	struct cp_test_mem *m = test->priv;
	struct cp_test_cs *cs = cs_new(test);
	struct vmsm_cp cp;

	cp_test_add(m, RING, 1, true, 0);
	cp_test_add(m, BUF, 1, false, 0);

	/* satisfied once the third wait stores the value */
	cs_pkt(cs, VMSM_CP_WAIT_MEM, 5, BUF + 8);
	cs_emit(cs, 0x10);
	cs_emit(cs, 0xf0);
	cs_emit(cs, VMSM_CP_WAIT_GE);
	cs_fence(cs, BUF, 1);
	m->poke_at = 3;
	m->poke_va = BUF + 8;
	m->poke_val = 0x1f;
	KUNIT_ASSERT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_OK);
	KUNIT_EXPECT_EQ(test, m->waits, 3);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF), 1);

	/* never satisfied: cancelled, the fence not written */
	cs->n = 0;
	cs_pkt(cs, VMSM_CP_WAIT_MEM, 5, BUF + 8);
	cs_emit(cs, 0);
	cs_emit(cs, ~0u);
	cs_emit(cs, VMSM_CP_WAIT_LT);
	cs_fence(cs, BUF + 4, 2);
	m->waits = 0;
	m->poke_at = 0;
	m->abort_after = 4;
	KUNIT_ASSERT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_ABORTED);
	KUNIT_EXPECT_EQ(test, m->waits, 4);
	KUNIT_EXPECT_EQ(test, cp.err_va, RING);
	KUNIT_EXPECT_EQ(test, cp.err_opcode, VMSM_CP_WAIT_MEM);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + 4), 0);
}

static void vmsm_cp_test_timestamp_fence(struct kunit *test)
{
	struct cp_test_mem *m = test->priv;
	struct cp_test_cs *cs = cs_new(test);
	struct vmsm_cp cp;

	cp_test_add(m, RING, 1, true, 0);
	cp_test_add(m, BUF, 1, false, 0);
	cs_pkt(cs, VMSM_CP_TIMESTAMP, 2, BUF + SZ_4K - 8);
	cs_pkt(cs, VMSM_CP_FILL, 5, BUF);
	cs_emit64(cs, 64);
	cs_emit(cs, 0xa5a5a5a5);
	cs_fence(cs, BUF + 64, 7);
	KUNIT_ASSERT_EQ(test, cp_test_run(m, &cp, RING, cs), VMSM_CP_OK);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + SZ_4K - 8), 0x55667788);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + SZ_4K - 4), 0x11223344);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + 60), 0xa5a5a5a5);
	KUNIT_EXPECT_EQ(test, cp_test_r32(m, BUF + 64), 7);

	/* a stream running into a hole: the fence's payload cannot be read */
	cs->n = 0;
	cs_nop(cs, SZ_4K / 4 - 2);
	cs_fence(cs, BUF, 8);
	cp_test_store(m, RING, cs->dw, SZ_4K);
	cp = (struct vmsm_cp){ .ops = &cp_test_ops, .ctx = m };
	KUNIT_EXPECT_EQ(test, vmsm_cp_execute(&cp, RING, cs->n), VMSM_CP_FAULT);
	KUNIT_EXPECT_EQ(test, m->nmaps, 0);
	KUNIT_EXPECT_EQ(test, m->violations, 0);
	KUNIT_EXPECT_EQ(test, cp.err_va, RING + SZ_4K - 4);
	KUNIT_EXPECT_EQ(test, cp.err_opcode, VMSM_CP_FENCE);
	KUNIT_EXPECT_EQ(test, m->fault_va, RING + SZ_4K);
	KUNIT_EXPECT_EQ(test, cp.packets, 1);
}

static void vmsm_cp_test_decode(struct kunit *test)
{
	const u32 rect_edge[] = { VMSM_CP_PKT(VMSM_CP_FILL_RECT, 9), 0xffffffb8,
				  0xffffffff, 64, DRM_FORMAT_XRGB8888, 0, 0, 2, 2, 0 };
	const u32 rect_wrap[] = { VMSM_CP_PKT(VMSM_CP_FILL_RECT, 9), 0xffffffbc,
				  0xffffffff, 64, DRM_FORMAT_XRGB8888, 0, 0, 2, 2, 0 };
	const u32 write[] = { VMSM_CP_PKT(VMSM_CP_WRITE, 4), 0x1000, 0, 1, 2 };
	const u32 copy_overlap[] = { VMSM_CP_PKT(VMSM_CP_COPY, 6), 0x1000, 0,
				     0x1003, 0, 4, 0 };
	struct vmsm_cp_pkt pkt;

	KUNIT_EXPECT_EQ(test, vmsm_cp_decode(rect_edge, 10, &pkt), 10);
	KUNIT_EXPECT_EQ(test, vmsm_cp_decode(rect_wrap, 10, &pkt), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmsm_cp_decode(rect_edge, 9, &pkt), -ENODATA);
	KUNIT_EXPECT_EQ(test, vmsm_cp_decode(write, 3, &pkt), 5);
	KUNIT_EXPECT_NULL(test, pkt.u.write.data);
	KUNIT_EXPECT_EQ(test, vmsm_cp_decode(write, 5, &pkt), 5);
	KUNIT_EXPECT_PTR_EQ(test, pkt.u.write.data, &write[3]);
	KUNIT_EXPECT_EQ(test, vmsm_cp_decode(copy_overlap, 7, &pkt), -EINVAL);
}

static struct kunit_case vmsm_cp_cases[] = {
	KUNIT_CASE(vmsm_cp_test_decode),
	KUNIT_CASE(vmsm_cp_test_write),
	KUNIT_CASE(vmsm_cp_test_copy),
	KUNIT_CASE(vmsm_cp_test_rect),
	KUNIT_CASE(vmsm_cp_test_convert),
	KUNIT_CASE(vmsm_cp_test_indirect),
	KUNIT_CASE(vmsm_cp_test_wait_mem),
	KUNIT_CASE(vmsm_cp_test_timestamp_fence),
	{}
};

static struct kunit_suite vmsm_cp_suite = {
	.name = "vmsm_cp",
	.init = cp_test_init,
	.exit = cp_test_exit,
	.test_cases = vmsm_cp_cases,
};

kunit_test_suite(vmsm_cp_suite);

/* MODULE_LICENSE() and the EXPORTED_FOR_KUNIT_TESTING import: vmsm_params_test.c */
