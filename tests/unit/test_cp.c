// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of the command processor: vmsm_cp_decode.c (every opcode's
 * fields and limits) and vmsm_cp_exec.c (execution against a fake GPU
 * memory made of 4 KiB pages at chosen addresses, some read-only, the
 * rest unmapped).
 *
 * The fake memory checks the CP's side of the map/unmap contract: a map
 * never crosses a 4 KiB page, mappings are released in reverse order with
 * the same write flag, none is left behind, and none is held across a
 * wait. Each map hands out a bounce buffer of exactly the mapped length,
 * so ASan reports any access beyond what map returned.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sanitizer/asan_interface.h>

#include <drm_fourcc.h>
#include <drm/vmsm_drm.h>

#include "vmsm_cp.h"
#include "vmsm_yuv.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE		4096u
#define LO(x)		((u32)(u64)(x))
#define HI(x)		((u32)((u64)(x) >> 32))
#define PKT(op, n)	VMSM_CP_PKT(VMSM_CP_##op, n)
#define XRGB		DRM_FORMAT_XRGB8888
#define ARGB		DRM_FORMAT_ARGB8888
#define NV12		DRM_FORMAT_NV12
#define TOP		0xffffffffffffffffull	/* last byte of the address space */

/* ------------------------------------------------------------------ */
/* Fake GPU memory */

#define MAX_PAGES	64
#define MAX_MAPS	4
#define MAX_LOG		256

struct fake_page {
	u64 va;
	bool ro;
	u8 *data;
};

struct fake_map {
	u8 *base;	/* allocation */
	u8 *ptr;	/* what map returned */
	u8 *page;	/* where the bytes live */
	u32 len;
	bool write;
};

struct fake_write {
	u64 va;
	u32 len;
};

struct fake_mem {
	struct fake_page pages[MAX_PAGES];
	unsigned int npages;
	struct fake_map maps[MAX_MAPS];
	unsigned int nmaps;
	unsigned int violations;	/* contract breaches by the CP */
	unsigned long map_calls;
	/* fault record */
	unsigned int faults;
	u64 fault_va;
	bool fault_write;
	/* write log: every released write mapping, in order */
	struct fake_write log[MAX_LOG];
	unsigned int nlog;
	/* services */
	u64 timestamp;
	unsigned int waits;
	unsigned int abort_after;	/* wait fails once called this often */
	unsigned int poke_at;		/* on this wait, store poke_val at poke_va */
	u64 poke_va;
	u32 poke_val;
	unsigned int polls;
	unsigned int poll_abort_at;	/* poll fails on this call (0: never) */
};

static void violation(struct fake_mem *m, const char *what)
{
	print_error("CP broke the memory contract: %s\n", what);
	m->violations++;
}

static struct fake_page *find_page(struct fake_mem *m, u64 va)
{
	unsigned int i;

	for (i = 0; i < m->npages; i++)
		if (m->pages[i].va == (va & ~(u64)(PAGE - 1)))
			return &m->pages[i];
	return NULL;
}

static void *fake_map(void *ctx, u64 va, u32 len, bool write)
{
	struct fake_mem *m = ctx;
	struct fake_page *pg = find_page(m, va);
	u32 off = va % PAGE, align = va % 8;
	struct fake_map *fm;

	m->map_calls++;
	if (!len || len > PAGE || off + len > PAGE) {
		violation(m, "map crosses a 4 KiB page");
		return NULL;
	}
	if (m->nmaps == MAX_MAPS) {
		violation(m, "too many mappings held");
		return NULL;
	}
	if (!pg || (write && pg->ro)) {
		if (!m->faults++) {
			m->fault_va = va;
			m->fault_write = write;
		}
		return NULL;
	}
	fm = &m->maps[m->nmaps++];
	/* Aligned like va; the bytes before it are poisoned. */
	fm->base = malloc(align + len);
	assert_non_null(fm->base);
	fm->ptr = fm->base + align;
	fm->page = pg->data + off;
	fm->len = len;
	fm->write = write;
	memcpy(fm->ptr, fm->page, len);
	ASAN_POISON_MEMORY_REGION(fm->base, align);
	return fm->ptr;
}

static void fake_unmap(void *ctx, void *ptr, bool write)
{
	struct fake_mem *m = ctx;
	struct fake_map *fm;
	u64 va;

	if (!m->nmaps || m->maps[m->nmaps - 1].ptr != ptr) {
		violation(m, "unmap out of LIFO order");
		return;
	}
	fm = &m->maps[--m->nmaps];
	if (fm->write != write)
		violation(m, "unmap with another write flag");
	if (fm->write) {
		memcpy(fm->page, fm->ptr, fm->len);
		if (m->nlog < MAX_LOG) {
			va = 0;
			for (unsigned int i = 0; i < m->npages; i++)
				if (fm->page >= m->pages[i].data &&
				    fm->page < m->pages[i].data + PAGE)
					va = m->pages[i].va +
					     (fm->page - m->pages[i].data);
			m->log[m->nlog++] = (struct fake_write){ va, fm->len };
		}
	}
	ASAN_UNPOISON_MEMORY_REGION(fm->base, fm->ptr - fm->base);
	free(fm->base);
}

static u64 fake_timestamp(void *ctx)
{
	struct fake_mem *m = ctx;

	return m->timestamp;
}

static void mem_store(struct fake_mem *m, u64 va, const void *src, size_t len);

static int fake_wait(void *ctx)
{
	struct fake_mem *m = ctx;

	if (m->nmaps)
		violation(m, "wait with a mapping held");
	m->waits++;
	if (m->poke_at && m->waits == m->poke_at)
		mem_store(m, m->poke_va, &m->poke_val, 4);
	return m->waits >= m->abort_after;
}

static int fake_poll(void *ctx)
{
	struct fake_mem *m = ctx;

	if (m->nmaps)
		violation(m, "poll with a mapping held");
	m->polls++;
	return m->polls == m->poll_abort_at;
}

static const struct vmsm_cp_mem_ops fake_ops = {
	.map = fake_map,
	.unmap = fake_unmap,
	.timestamp = fake_timestamp,
	.wait = fake_wait,
	.poll = fake_poll,
};

/* The optional op left out. */
static const struct vmsm_cp_mem_ops fake_ops_no_poll = {
	.map = fake_map,
	.unmap = fake_unmap,
	.timestamp = fake_timestamp,
	.wait = fake_wait,
};

/* Maps @n pages from @va, filled with @fill. */
static void mem_add(struct fake_mem *m, u64 va, unsigned int n, bool ro,
		    u8 fill)
{
	struct fake_page *pg;

	while (n--) {
		assert_true(m->npages < MAX_PAGES);
		assert_null(find_page(m, va));
		pg = &m->pages[m->npages++];
		pg->va = va;
		pg->ro = ro;
		pg->data = malloc(PAGE);
		assert_non_null(pg->data);
		memset(pg->data, fill, PAGE);
		va += PAGE;
	}
}

static void mem_set_ro(struct fake_mem *m, u64 va, bool ro)
{
	struct fake_page *pg = find_page(m, va);

	assert_non_null(pg);
	pg->ro = ro;
}

/* Test-side access, ignoring read-only: the CPU's view. */
static void mem_store(struct fake_mem *m, u64 va, const void *src, size_t len)
{
	const u8 *p = src;
	struct fake_page *pg;

	for (; len; len--, va++, p++) {
		pg = find_page(m, va);
		assert_non_null(pg);
		pg->data[va % PAGE] = *p;
	}
}

static void mem_load(struct fake_mem *m, u64 va, void *dst, size_t len)
{
	struct fake_page *pg;
	u8 *p = dst;

	for (; len; len--, va++, p++) {
		pg = find_page(m, va);
		assert_non_null(pg);
		*p = pg->data[va % PAGE];
	}
}

static u32 mem_r32(struct fake_mem *m, u64 va)
{
	u32 v;

	mem_load(m, va, &v, 4);
	return v;
}

static u8 mem_r8(struct fake_mem *m, u64 va)
{
	u8 v;

	mem_load(m, va, &v, 1);
	return v;
}

static void mem_w32(struct fake_mem *m, u64 va, u32 v)
{
	mem_store(m, va, &v, 4);
}

static int mem_setup(void **state)
{
	struct fake_mem *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->abort_after = 1000;
	*state = m;
	return 0;
}

static int mem_teardown(void **state)
{
	struct fake_mem *m = *state;
	unsigned int i;

	while (m->nmaps) {
		m->nmaps--;
		ASAN_UNPOISON_MEMORY_REGION(m->maps[m->nmaps].base,
					    m->maps[m->nmaps].ptr -
					    m->maps[m->nmaps].base);
		free(m->maps[m->nmaps].base);
	}
	for (i = 0; i < m->npages; i++)
		free(m->pages[i].data);
	free(m);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Command stream builder */

struct cs {
	u32 dw[2048];
	u32 n;
};

static void emit(struct cs *cs, u32 v)
{
	assert_true(cs->n < ARRAY_SIZE(cs->dw));
	cs->dw[cs->n++] = v;
}

static void emit64(struct cs *cs, u64 v)
{
	emit(cs, LO(v));
	emit(cs, HI(v));
}

static void cs_nop(struct cs *cs, u32 count)
{
	emit(cs, PKT(NOP, count));
	while (count--)
		emit(cs, 0xdeadbeef);
}

static void cs_write(struct cs *cs, u64 va, const u32 *data, u32 n)
{
	emit(cs, PKT(WRITE, 2 + n));
	emit64(cs, va);
	while (n--)
		emit(cs, *data++);
}

static void cs_write1(struct cs *cs, u64 va, u32 v)
{
	cs_write(cs, va, &v, 1);
}

static void cs_copy(struct cs *cs, u64 dst, u64 src, u64 size)
{
	emit(cs, PKT(COPY, 6));
	emit64(cs, dst);
	emit64(cs, src);
	emit64(cs, size);
}

static void cs_fill(struct cs *cs, u64 dst, u64 size, u32 pattern)
{
	emit(cs, PKT(FILL, 5));
	emit64(cs, dst);
	emit64(cs, size);
	emit(cs, pattern);
}

static void cs_fill_rect(struct cs *cs, u64 dst, u32 pitch, u32 x, u32 y,
			 u32 w, u32 h, u32 color)
{
	emit(cs, PKT(FILL_RECT, 9));
	emit64(cs, dst);
	emit(cs, pitch);
	emit(cs, XRGB);
	emit(cs, x);
	emit(cs, y);
	emit(cs, w);
	emit(cs, h);
	emit(cs, color);
}

static void cs_blit(struct cs *cs, u64 dst, u32 dst_pitch, u64 src,
		    u32 src_pitch, u32 dx, u32 dy, u32 sx, u32 sy, u32 w, u32 h)
{
	emit(cs, PKT(BLIT, 13));
	emit64(cs, dst);
	emit(cs, dst_pitch);
	emit64(cs, src);
	emit(cs, src_pitch);
	emit(cs, ARGB);
	emit(cs, dx);
	emit(cs, dy);
	emit(cs, sx);
	emit(cs, sy);
	emit(cs, w);
	emit(cs, h);
}

static void cs_indirect(struct cs *cs, u64 va, u32 size)
{
	emit(cs, PKT(INDIRECT, 3));
	emit64(cs, va);
	emit(cs, size);
}

static void cs_wait(struct cs *cs, u64 va, u32 ref, u32 mask, u32 func)
{
	emit(cs, PKT(WAIT_MEM, 5));
	emit64(cs, va);
	emit(cs, ref);
	emit(cs, mask);
	emit(cs, func);
}

static void cs_timestamp(struct cs *cs, u64 va)
{
	emit(cs, PKT(TIMESTAMP, 2));
	emit64(cs, va);
}

static void cs_fence(struct cs *cs, u64 va, u32 value)
{
	emit(cs, PKT(FENCE, 3));
	emit64(cs, va);
	emit(cs, value);
}

/* Stores @cs at @va and runs @ndw of its dwords; checks the contract. */
static enum vmsm_cp_status run_n(struct fake_mem *m, struct vmsm_cp *cp,
				 u64 va, const struct cs *cs, u32 ndw)
{
	enum vmsm_cp_status st;

	mem_store(m, va, cs->dw, cs->n * 4);
	memset(cp, 0x5a, sizeof(*cp));
	cp->ops = &fake_ops;
	cp->ctx = m;
	st = vmsm_cp_execute(cp, va, ndw);
	assert_int_equal(st, cp->status);
	assert_int_equal(m->nmaps, 0);
	assert_int_equal(m->violations, 0);
	if (st == VMSM_CP_OK) {
		assert_int_equal(cp->err_va, 0);
		assert_int_equal(cp->err_opcode, 0);
	}
	return st;
}

static enum vmsm_cp_status run(struct fake_mem *m, struct vmsm_cp *cp,
			       u64 va, const struct cs *cs)
{
	return run_n(m, cp, va, cs, cs->n);
}

/* ------------------------------------------------------------------ */
/* Decoding */

struct decode_case {
	const char *name;
	u32 dw[16];
	u32 n;		/* dwords given to the decoder */
	int ret;
};

#define OK_LEN(x)	(x)
#define BAD		(-EINVAL)
#define SHORT		(-ENODATA)
#define A		0x10000000ull		/* an aligned address */
#define NX		(TOP - 3)		/* last dword-aligned address */

static const struct decode_case decode_cases[] = {
	/* header */
	{ "nop", { PKT(NOP, 0) }, 1, 1 },
	{ "nop payload not needed", { PKT(NOP, 5) }, 1, 6 },
	{ "nop max", { PKT(NOP, 0xffff) }, 1, 0x10000 },
	{ "nop reserved bit 16", { PKT(NOP, 0) | 1u << 16 }, 1, BAD },
	{ "nop reserved bit 23", { PKT(NOP, 0) | 1u << 23 }, 1, BAD },
	{ "opcode 0x0b", { 0x0b000000 }, 1, BAD },
	{ "opcode 0xff", { 0xff000000 }, 1, BAD },
	{ "nothing available", { PKT(NOP, 0) }, 0, SHORT },
	{ "bad header, short", { PKT(COPY, 5) }, 1, BAD },
	{ "reserved beats short", { PKT(FENCE, 3) | 1u << 20 }, 1, BAD },

	/* WRITE */
	{ "write 1", { PKT(WRITE, 3), LO(A), HI(A), 7 }, 4, 4 },
	{ "write 3", { PKT(WRITE, 5), LO(A), HI(A), 1, 2, 3 }, 6, 6 },
	{ "write data streamed", { PKT(WRITE, 100), LO(A), HI(A) }, 3, 101 },
	{ "write no data", { PKT(WRITE, 2), LO(A), HI(A) }, 3, BAD },
	{ "write no addr", { PKT(WRITE, 1), LO(A) }, 2, BAD },
	{ "write empty", { PKT(WRITE, 0) }, 1, BAD },
	{ "write short", { PKT(WRITE, 3), LO(A) }, 2, SHORT },
	{ "write reserved", { PKT(WRITE, 3) | 1u << 17, LO(A), HI(A), 1 }, 4, BAD },
	{ "write unaligned", { PKT(WRITE, 3), LO(A + 2), HI(A), 1 }, 4, BAD },
	{ "write ends at top", { PKT(WRITE, 3), LO(NX), HI(NX), 1 }, 4, 4 },
	{ "write wraps", { PKT(WRITE, 4), LO(NX), HI(NX), 1, 2 }, 5, BAD },
	{ "write big wraps", { PKT(WRITE, 0xffff), LO(TOP - 0x3ffef),
			       HI(TOP - 0x3ffef) }, 3, BAD },
	{ "write big at top", { PKT(WRITE, 0xffff), LO(TOP - 0x3fff3),
				HI(TOP - 0x3fff3) }, 3, 0x10000 },

	/* COPY */
	{ "copy", { PKT(COPY, 6), LO(A), HI(A), LO(A + 64), HI(A + 64), 64, 0 }, 7, 7 },
	{ "copy 0", { PKT(COPY, 6), LO(A), HI(A), LO(A), HI(A), 0, 0 }, 7, 7 },
	{ "copy unaligned", { PKT(COPY, 6), 1, 0, 7, 0, 3, 0 }, 7, 7 },
	{ "copy max", { PKT(COPY, 6), 0, 0, 0, 1, 0, 1 }, 7, 7 },
	{ "copy max + 1", { PKT(COPY, 6), 0, 0, 0, 2, 1, 1 }, 7, BAD },
	{ "copy 2^63", { PKT(COPY, 6), 0, 0, 0, 2, 0, 0x80000000 }, 7, BAD },
	{ "copy len 5", { PKT(COPY, 5), 0, 0, 0, 0, 0 }, 6, BAD },
	{ "copy len 7", { PKT(COPY, 7), 0, 0, 0, 0, 0, 0, 0 }, 8, BAD },
	{ "copy short", { PKT(COPY, 6), 0, 0, 0, 0, 0 }, 6, SHORT },
	{ "copy same", { PKT(COPY, 6), LO(A), HI(A), LO(A), HI(A), 1, 0 }, 7, BAD },
	{ "copy dst in src", { PKT(COPY, 6), LO(A + 63), HI(A), LO(A), HI(A), 64, 0 },
	  7, BAD },
	{ "copy src in dst", { PKT(COPY, 6), LO(A), HI(A), LO(A + 63), HI(A), 64, 0 },
	  7, BAD },
	{ "copy dst after src", { PKT(COPY, 6), LO(A + 64), HI(A), LO(A), HI(A), 64, 0 },
	  7, 7 },
	{ "copy src after dst", { PKT(COPY, 6), LO(A), HI(A), LO(A + 64), HI(A), 64, 0 },
	  7, 7 },
	{ "copy dst ends at top", { PKT(COPY, 6), LO(TOP - 15), HI(TOP), 0, 0, 16, 0 },
	  7, 7 },
	{ "copy dst wraps", { PKT(COPY, 6), LO(TOP - 14), HI(TOP), 0, 0, 16, 0 },
	  7, BAD },
	{ "copy src ends at top", { PKT(COPY, 6), 0, 0, LO(TOP - 15), HI(TOP), 16, 0 },
	  7, 7 },
	{ "copy src wraps", { PKT(COPY, 6), 0, 0, LO(TOP), HI(TOP), 2, 0 }, 7, BAD },
	{ "copy 0 at top", { PKT(COPY, 6), LO(TOP), HI(TOP), LO(TOP), HI(TOP), 0, 0 },
	  7, 7 },

	/* FILL */
	{ "fill", { PKT(FILL, 5), LO(A), HI(A), 64, 0, 0x11223344 }, 6, 6 },
	{ "fill 0", { PKT(FILL, 5), LO(A), HI(A), 0, 0, 0 }, 6, 6 },
	{ "fill size 3", { PKT(FILL, 5), LO(A), HI(A), 3, 0, 0 }, 6, BAD },
	{ "fill size 6", { PKT(FILL, 5), LO(A), HI(A), 6, 0, 0 }, 6, BAD },
	{ "fill unaligned", { PKT(FILL, 5), LO(A + 2), HI(A), 4, 0, 0 }, 6, BAD },
	{ "fill max", { PKT(FILL, 5), LO(A), HI(A), 0, 1, 0 }, 6, 6 },
	{ "fill max + 4", { PKT(FILL, 5), LO(A), HI(A), 4, 1, 0 }, 6, BAD },
	{ "fill ends at top", { PKT(FILL, 5), LO(TOP - 7), HI(TOP), 8, 0, 0 }, 6, 6 },
	{ "fill wraps", { PKT(FILL, 5), LO(TOP - 7), HI(TOP), 12, 0, 0 }, 6, BAD },
	{ "fill len 4", { PKT(FILL, 4), LO(A), HI(A), 4, 0 }, 5, BAD },
	{ "fill len 6", { PKT(FILL, 6), LO(A), HI(A), 4, 0, 0, 0 }, 7, BAD },
	{ "fill short", { PKT(FILL, 5), LO(A), HI(A), 4, 0 }, 5, SHORT },

	/* FILL_RECT: dst, pitch, format, x, y, w, h, colour */
	{ "rect", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB, 1, 2, 3, 4, 5 }, 10, 10 },
	{ "rect argb", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, ARGB, 1, 2, 3, 4, 5 },
	  10, 10 },
	{ "rect rgb565", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, DRM_FORMAT_RGB565,
			   1, 2, 3, 4, 5 }, 10, BAD },
	{ "rect format 0", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, 0, 1, 2, 3, 4, 5 },
	  10, BAD },
	{ "rect pitch 0", { PKT(FILL_RECT, 9), LO(A), HI(A), 0, XRGB, 0, 0, 0, 0, 5 },
	  10, BAD },
	{ "rect pitch 6", { PKT(FILL_RECT, 9), LO(A), HI(A), 6, XRGB, 0, 0, 1, 1, 5 },
	  10, BAD },
	{ "rect dst unaligned", { PKT(FILL_RECT, 9), LO(A + 1), HI(A), 64, XRGB,
				  0, 0, 1, 1, 5 }, 10, BAD },
	{ "rect x + w = pitch / 4", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB,
				      10, 0, 6, 1, 5 }, 10, 10 },
	{ "rect x + w > pitch / 4", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB,
				      11, 0, 6, 1, 5 }, 10, BAD },
	{ "rect x + w wraps u32", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB,
				    0xffffffff, 0, 1, 1, 5 }, 10, BAD },
	{ "rect zero size", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB, 16, 7, 0, 0, 5 },
	  10, 10 },
	{ "rect max width", { PKT(FILL_RECT, 9), LO(A), HI(A), 65536, XRGB,
			      0, 0, 16384, 1, 5 }, 10, 10 },
	{ "rect width too big", { PKT(FILL_RECT, 9), LO(A), HI(A), 65540, XRGB,
				  0, 0, 16385, 1, 5 }, 10, BAD },
	{ "rect max height", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB,
			       0, 0, 1, 16384, 5 }, 10, 10 },
	{ "rect height too big", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB,
				   0, 0, 1, 16385, 5 }, 10, BAD },
	/* last byte = dst + 1 * 64 + 2 * 4 - 1 = TOP */
	{ "rect ends at top", { PKT(FILL_RECT, 9), LO(TOP - 71), HI(TOP - 71), 64, XRGB,
				0, 0, 2, 2, 5 }, 10, 10 },
	{ "rect wraps", { PKT(FILL_RECT, 9), LO(TOP - 67), HI(TOP - 67), 64, XRGB,
			  0, 0, 2, 2, 5 }, 10, BAD },
	{ "rect huge y", { PKT(FILL_RECT, 9), 0, 0, 0xfffffffc, XRGB,
			   0, 0xffffffff, 1, 1, 5 }, 10, 10 },
	{ "rect y * pitch wraps", { PKT(FILL_RECT, 9), 0, 0x100, 0xfffffffc, XRGB,
				    0, 0xffffffff, 1, 1, 5 }, 10, BAD },
	{ "rect y + h - 1 * pitch overflows", { PKT(FILL_RECT, 9), 0, 0, 0xfffffffc,
						XRGB, 0, 0xffffffff, 1, 16384, 5 },
	  10, BAD },
	{ "rect len 8", { PKT(FILL_RECT, 8), LO(A), HI(A), 64, XRGB, 1, 2, 3, 4 }, 9, BAD },
	{ "rect len 10", { PKT(FILL_RECT, 10), LO(A), HI(A), 64, XRGB, 1, 2, 3, 4, 5, 6 },
	  11, BAD },
	{ "rect short", { PKT(FILL_RECT, 9), LO(A), HI(A), 64, XRGB, 1, 2, 3, 4 }, 9,
	  SHORT },

	/* BLIT: dst, dst pitch, src, src pitch, format, dx, dy, sx, sy, w, h */
	{ "blit", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A + 4096), HI(A), 32, XRGB,
		    1, 2, 3, 4, 5, 6 }, 14, 14 },
	{ "blit overlapping", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A + 4), HI(A), 64,
				ARGB, 0, 0, 0, 0, 8, 8 }, 14, 14 },
	{ "blit format", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A), HI(A), 64,
			   DRM_FORMAT_XBGR8888, 0, 0, 0, 0, 1, 1 }, 14, BAD },
	{ "blit dst pitch 0", { PKT(BLIT, 13), LO(A), HI(A), 0, LO(A), HI(A), 64,
				XRGB, 0, 0, 0, 0, 0, 0 }, 14, BAD },
	{ "blit src pitch 2", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A), HI(A), 2,
				XRGB, 0, 0, 0, 0, 0, 0 }, 14, BAD },
	{ "blit src unaligned", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A + 2), HI(A), 64,
				  XRGB, 0, 0, 0, 0, 1, 1 }, 14, BAD },
	{ "blit dst x", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A), HI(A), 128,
			  XRGB, 15, 0, 0, 0, 2, 1 }, 14, BAD },
	{ "blit src x", { PKT(BLIT, 13), LO(A), HI(A), 128, LO(A), HI(A), 64,
			  XRGB, 0, 0, 15, 0, 2, 1 }, 14, BAD },
	{ "blit src x edge", { PKT(BLIT, 13), LO(A), HI(A), 128, LO(A), HI(A), 64,
			       XRGB, 0, 0, 14, 0, 2, 1 }, 14, 14 },
	{ "blit width", { PKT(BLIT, 13), LO(A), HI(A), 0x20000, LO(A), HI(A), 0x20000,
			  XRGB, 0, 0, 0, 0, 16385, 1 }, 14, BAD },
	{ "blit height", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A), HI(A), 64,
			   XRGB, 0, 0, 0, 0, 1, 16385 }, 14, BAD },
	{ "blit dst wraps", { PKT(BLIT, 13), LO(TOP - 63), HI(TOP), 64, LO(A), HI(A), 64,
			      XRGB, 0, 1, 0, 0, 1, 1 }, 14, BAD },
	{ "blit src wraps", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(TOP - 63), HI(TOP), 64,
			      XRGB, 0, 0, 0, 0, 1, 2 }, 14, BAD },
	{ "blit src ends at top", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(TOP - 127),
				    HI(TOP), 64, XRGB, 0, 0, 0, 0, 16, 2 }, 14, 14 },
	{ "blit len 12", { PKT(BLIT, 12), LO(A), HI(A), 64, LO(A), HI(A), 64,
			   XRGB, 0, 0, 0, 0, 1 }, 13, BAD },
	{ "blit len 14", { PKT(BLIT, 14), LO(A), HI(A), 64, LO(A), HI(A), 64,
			   XRGB, 0, 0, 0, 0, 1, 1, 0 }, 15, BAD },
	{ "blit short", { PKT(BLIT, 13), LO(A), HI(A), 64, LO(A), HI(A), 64,
			  XRGB, 0, 0, 0, 0, 1 }, 13, SHORT },

	/* INDIRECT */
	{ "ib", { PKT(INDIRECT, 3), LO(A), HI(A), 16 }, 4, 4 },
	{ "ib size 0", { PKT(INDIRECT, 3), LO(A), HI(A), 0 }, 4, BAD },
	{ "ib max size", { PKT(INDIRECT, 3), LO(A), HI(A), 0xffffffff }, 4, 4 },
	{ "ib unaligned", { PKT(INDIRECT, 3), LO(A + 2), HI(A), 1 }, 4, BAD },
	{ "ib ends at top", { PKT(INDIRECT, 3), LO(TOP - 15), HI(TOP), 4 }, 4, 4 },
	{ "ib wraps", { PKT(INDIRECT, 3), LO(TOP - 15), HI(TOP), 5 }, 4, BAD },
	{ "ib len 2", { PKT(INDIRECT, 2), LO(A), HI(A) }, 3, BAD },
	{ "ib len 4", { PKT(INDIRECT, 4), LO(A), HI(A), 1, 0 }, 5, BAD },
	{ "ib short", { PKT(INDIRECT, 3), LO(A), HI(A) }, 3, SHORT },

	/* WAIT_MEM: addr, ref, mask, func */
	{ "wait eq", { PKT(WAIT_MEM, 5), LO(A), HI(A), 1, ~0u, VMSM_CP_WAIT_EQ }, 6, 6 },
	{ "wait ne", { PKT(WAIT_MEM, 5), LO(A), HI(A), 1, ~0u, VMSM_CP_WAIT_NE }, 6, 6 },
	{ "wait ge", { PKT(WAIT_MEM, 5), LO(A), HI(A), 1, ~0u, VMSM_CP_WAIT_GE }, 6, 6 },
	{ "wait lt", { PKT(WAIT_MEM, 5), LO(A), HI(A), 1, ~0u, VMSM_CP_WAIT_LT }, 6, 6 },
	{ "wait func 4", { PKT(WAIT_MEM, 5), LO(A), HI(A), 1, ~0u, 4 }, 6, BAD },
	{ "wait func ~0", { PKT(WAIT_MEM, 5), LO(A), HI(A), 1, ~0u, ~0u }, 6, BAD },
	{ "wait unaligned", { PKT(WAIT_MEM, 5), LO(A + 2), HI(A), 1, ~0u, 0 }, 6, BAD },
	{ "wait at top", { PKT(WAIT_MEM, 5), LO(NX), HI(NX), 1, ~0u, 0 }, 6, 6 },
	{ "wait len 4", { PKT(WAIT_MEM, 4), LO(A), HI(A), 1, ~0u }, 5, BAD },
	{ "wait short", { PKT(WAIT_MEM, 5), LO(A), HI(A), 1, ~0u }, 5, SHORT },

	/* TIMESTAMP */
	{ "ts", { PKT(TIMESTAMP, 2), LO(A + 8), HI(A) }, 3, 3 },
	{ "ts 4-aligned", { PKT(TIMESTAMP, 2), LO(A + 4), HI(A) }, 3, BAD },
	{ "ts at top", { PKT(TIMESTAMP, 2), LO(TOP - 7), HI(TOP) }, 3, 3 },
	{ "ts len 3", { PKT(TIMESTAMP, 3), LO(A), HI(A), 0 }, 4, BAD },
	{ "ts len 1", { PKT(TIMESTAMP, 1), LO(A) }, 2, BAD },
	{ "ts short", { PKT(TIMESTAMP, 2), LO(A) }, 2, SHORT },

	/* FENCE */
	{ "fence", { PKT(FENCE, 3), LO(A + 4), HI(A), 9 }, 4, 4 },
	{ "fence unaligned", { PKT(FENCE, 3), LO(A + 1), HI(A), 9 }, 4, BAD },
	{ "fence at top", { PKT(FENCE, 3), LO(NX), HI(NX), 9 }, 4, 4 },
	{ "fence len 2", { PKT(FENCE, 2), LO(A), HI(A) }, 3, BAD },
	{ "fence len 4", { PKT(FENCE, 4), LO(A), HI(A), 9, 0 }, 5, BAD },
	{ "fence short", { PKT(FENCE, 3), LO(A), HI(A) }, 3, SHORT },

	/* CONVERT: dst, dst pitch, dst uv, src, src pitch, src uv, formats, w, h, flags */
#define CV(dst, dp, duv, src, sp, suv, df, sf, w, h, fl) \
	{ PKT(CONVERT, 15), LO(dst), HI(dst), dp, LO(duv), HI(duv), LO(src), HI(src), \
	  sp, LO(suv), HI(suv), df, sf, w, h, fl }
#define B2	(A + 0x100000)
	{ "convert from nv12", CV(A, 256, 0, B2, 64, B2 + 0x1000, XRGB, NV12, 63, 31, 0), 16, 16 },
	{ "convert to nv12", CV(B2, 64, B2 + 0x1000, A, 256, 0, NV12, ARGB, 63, 31,
				VMSM_CP_CONVERT_BT709 | VMSM_CP_CONVERT_FULL_RANGE), 16, 16 },
	{ "convert bt2020", CV(A, 256, 0, B2, 64, B2 + 0x1000, XRGB, NV12, 64, 32,
			       VMSM_CP_CONVERT_BT2020), 16, 16 },
	{ "convert empty", CV(A, 4, 0, B2, 0, 0, XRGB, NV12, 0, 0, 0), 16, 16 },
	{ "convert encoding 3", CV(A, 256, 0, B2, 64, B2 + 0x1000, XRGB, NV12, 63, 31, 3),
	  16, BAD },
	{ "convert flag bit 3", CV(A, 256, 0, B2, 64, B2 + 0x1000, XRGB, NV12, 63, 31, 8),
	  16, BAD },
	{ "convert nv12 to nv12", CV(A, 64, A + 0x1000, B2, 64, B2 + 0x1000, NV12, NV12, 6, 6, 0),
	  16, BAD },
	{ "convert rgb to rgb", CV(A, 256, 0, B2, 256, 0, XRGB, ARGB, 6, 6, 0), 16, BAD },
	{ "convert abgr", CV(A, 256, 0, B2, 64, B2 + 0x1000, DRM_FORMAT_ABGR8888, NV12, 6, 6, 0),
	  16, BAD },
	{ "convert rgb with chroma", CV(A, 256, 8, B2, 64, B2 + 0x1000, XRGB, NV12, 6, 6, 0),
	  16, BAD },
	{ "convert rgb pitch", CV(A, 256, 0, B2, 128, B2 + 0x1000, XRGB, NV12, 65, 6, 0), 16, BAD },
	{ "convert rgb unaligned", CV(A + 2, 256, 0, B2, 64, B2 + 0x1000, XRGB, NV12, 6, 6, 0),
	  16, BAD },
	{ "convert nv12 pitch odd width", CV(A, 256, 0, B2, 63, B2 + 0x1000, XRGB, NV12, 63, 6, 0),
	  16, BAD },
	{ "convert nv12 pitch even", CV(A, 256, 0, B2 + 1, 64, B2 + 3, XRGB, NV12, 63, 6, 0),
	  16, 16 },
	{ "convert too wide", CV(A, 65540 * 4, 0, B2, 65540, B2 + 0x1000000, XRGB, NV12, 16385, 1,
				 0), 16, BAD },
	{ "convert luma wraps", CV(A, 256, 0, TOP - 100, 64, B2, XRGB, NV12, 63, 3, 0), 16, BAD },
	{ "convert chroma wraps", CV(A, 256, 0, B2, 64, TOP - 100, XRGB, NV12, 63, 6, 0), 16, BAD },
	{ "convert chroma at top", CV(A, 256, 0, B2, 64, TOP - 127, XRGB, NV12, 63, 4, 0), 16, 16 },
	{ "convert len 14", { PKT(CONVERT, 14) }, 15, BAD },
	{ "convert short", CV(A, 256, 0, B2, 64, B2 + 0x1000, XRGB, NV12, 63, 31, 0), 15, SHORT },
#undef CV
#undef B2
};

/* Decodes @n dwords copied to a buffer of exactly that size (ASan). */
static int decode_exact(const u32 *dw, u32 n, struct vmsm_cp_pkt *pkt)
{
	u32 *copy = malloc(n ? n * 4 : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, dw, n * 4);
	ret = vmsm_cp_decode(copy, n, pkt);
	if (ret > 0 && pkt->opcode == VMSM_CP_WRITE && pkt->u.write.data)
		assert_ptr_equal(pkt->u.write.data, copy + 3);
	free(copy);
	return ret;
}

static void test_decode_table(void **state)
{
	const struct decode_case *c;
	struct vmsm_cp_pkt pkt;
	unsigned int failed = 0;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(decode_cases); i++) {
		c = &decode_cases[i];
		ret = decode_exact(c->dw, c->n, &pkt);
		if (ret != c->ret) {
			print_error("decode \"%s\": got %d, want %d\n", c->name,
				    ret, c->ret);
			failed++;
			continue;
		}
		if (ret > 0) {
			assert_int_equal(pkt.opcode, c->dw[0] >> 24);
			assert_int_equal(pkt.count, c->dw[0] & 0xffff);
		}
	}
	assert_int_equal(failed, 0);
}

/* A valid packet decodes the same with more dwords, -ENODATA with fewer. */
static void test_decode_avail(void **state)
{
	const struct decode_case *c;
	struct vmsm_cp_pkt pkt, ref;
	u32 need, avail;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(decode_cases); i++) {
		c = &decode_cases[i];
		if (c->ret <= 0)
			continue;
		need = c->n;
		/* find the smallest avail that decodes */
		for (avail = 0; avail <= c->n; avail++)
			if (decode_exact(c->dw, avail, &pkt) != -ENODATA)
				break;
		assert_true(avail <= c->n);
		need = avail;
		assert_true(need >= 1);
		ret = decode_exact(c->dw, need, &ref);
		assert_int_equal(ret, c->ret);
		for (avail = need; avail <= c->n; avail++) {
			assert_int_equal(decode_exact(c->dw, avail, &pkt), ret);
			assert_int_equal(pkt.opcode, ref.opcode);
			if (ref.opcode == VMSM_CP_WRITE) {
				assert_int_equal(pkt.u.write.addr, ref.u.write.addr);
				assert_int_equal(pkt.u.write.n, ref.u.write.n);
				assert_int_equal(!!pkt.u.write.data,
						 avail >= (u32)ret);
			} else {
				assert_memory_equal(&pkt, &ref, sizeof(pkt));
			}
		}
		/* NOP needs its header, WRITE its address, the rest everything. */
		if (ref.opcode == VMSM_CP_NOP)
			assert_int_equal(need, 1);
		else if (ref.opcode == VMSM_CP_WRITE)
			assert_int_equal(need, 3);
		else
			assert_int_equal(need, (u32)ret);
	}
}

static void test_decode_fields(void **state)
{
	struct vmsm_cp_pkt p;
	const u32 write[] = { PKT(WRITE, 4), 0x89abcdec, 0x01234567, 5, 6 };
	const u32 copy[] = { PKT(COPY, 6), 1, 2, 3, 4, 5, 0 };
	const u32 fill[] = { PKT(FILL, 5), 0x10, 0x20, 0x40, 0, 0xcafef00d };
	const u32 rect[] = { PKT(FILL_RECT, 9), 0x100, 0x200, 400, ARGB,
			     3, 4, 5, 6, 0xff00ff00 };
	const u32 blit[] = { PKT(BLIT, 13), 0x100, 0x200, 400, 0x300, 0x400,
			     800, XRGB, 1, 2, 3, 4, 5, 6 };
	const u32 ib[] = { PKT(INDIRECT, 3), 0x1000, 0x2000, 77 };
	const u32 wait[] = { PKT(WAIT_MEM, 5), 0x1004, 0x2000, 8, 0xf0,
			     VMSM_CP_WAIT_GE };
	const u32 ts[] = { PKT(TIMESTAMP, 2), 0x1008, 0x2000 };
	const u32 fence[] = { PKT(FENCE, 3), 0x100c, 0x2000, 0x12345 };

	(void)state;
	assert_int_equal(vmsm_cp_decode(write, 5, &p), 5);
	assert_int_equal(p.opcode, VMSM_CP_WRITE);
	assert_int_equal(p.count, 4);
	assert_int_equal(p.u.write.addr, 0x0123456789abcdecull);
	assert_int_equal(p.u.write.n, 2);
	assert_ptr_equal(p.u.write.data, &write[3]);
	assert_int_equal(vmsm_cp_decode(write, 4, &p), 5);
	assert_null(p.u.write.data);

	assert_int_equal(vmsm_cp_decode(copy, 7, &p), 7);
	assert_int_equal(p.u.copy.dst, 0x200000001ull);
	assert_int_equal(p.u.copy.src, 0x400000003ull);
	assert_int_equal(p.u.copy.size, 5);

	assert_int_equal(vmsm_cp_decode(fill, 6, &p), 6);
	assert_int_equal(p.u.fill.dst, 0x2000000010ull);
	assert_int_equal(p.u.fill.size, 0x40);
	assert_int_equal(p.u.fill.pattern, 0xcafef00d);

	assert_int_equal(vmsm_cp_decode(rect, 10, &p), 10);
	assert_int_equal(p.u.rect.dst, 0x20000000100ull);
	assert_int_equal(p.u.rect.pitch, 400);
	assert_int_equal(p.u.rect.format, ARGB);
	assert_int_equal(p.u.rect.x, 3);
	assert_int_equal(p.u.rect.y, 4);
	assert_int_equal(p.u.rect.width, 5);
	assert_int_equal(p.u.rect.height, 6);
	assert_int_equal(p.u.rect.color, 0xff00ff00);

	assert_int_equal(vmsm_cp_decode(blit, 14, &p), 14);
	assert_int_equal(p.u.blit.dst, 0x20000000100ull);
	assert_int_equal(p.u.blit.dst_pitch, 400);
	assert_int_equal(p.u.blit.src, 0x40000000300ull);
	assert_int_equal(p.u.blit.src_pitch, 800);
	assert_int_equal(p.u.blit.format, XRGB);
	assert_int_equal(p.u.blit.dst_x, 1);
	assert_int_equal(p.u.blit.dst_y, 2);
	assert_int_equal(p.u.blit.src_x, 3);
	assert_int_equal(p.u.blit.src_y, 4);
	assert_int_equal(p.u.blit.width, 5);
	assert_int_equal(p.u.blit.height, 6);

	assert_int_equal(vmsm_cp_decode(ib, 4, &p), 4);
	assert_int_equal(p.u.ib.addr, 0x200000001000ull);
	assert_int_equal(p.u.ib.size, 77);

	assert_int_equal(vmsm_cp_decode(wait, 6, &p), 6);
	assert_int_equal(p.u.wait.addr, 0x200000001004ull);
	assert_int_equal(p.u.wait.ref, 8);
	assert_int_equal(p.u.wait.mask, 0xf0);
	assert_int_equal(p.u.wait.func, VMSM_CP_WAIT_GE);

	assert_int_equal(vmsm_cp_decode(ts, 3, &p), 3);
	assert_int_equal(p.u.ts.addr, 0x200000001008ull);

	assert_int_equal(vmsm_cp_decode(fence, 4, &p), 4);
	assert_int_equal(p.u.fence.addr, 0x20000000100cull);
	assert_int_equal(p.u.fence.value, 0x12345);
}

/* Every header: valid ones decode with their length, the rest are -EINVAL. */
static void test_decode_every_header(void **state)
{
	static const u32 len[] = { 0, 3, 6, 5, 9, 13, 3, 5, 2, 3, 15 };
	u32 dw[20];
	struct vmsm_cp_pkt pkt;
	u32 op, count, res;
	int ret;

	(void)state;
	/* Arguments of zeroes: aligned addresses, sizes 0; a valid format. */
	for (op = 0; op < 0x100; op++) {
		for (count = 0; count < 20; count++) {
			for (res = 0; res < 0x100; res += 0x55) {
				memset(dw, 0, sizeof(dw));
				dw[0] = op << 24 | res << 16 | count;
				if (op == VMSM_CP_FILL_RECT) {
					dw[3] = 4;
					dw[4] = XRGB;
				}
				if (op == VMSM_CP_BLIT) {
					dw[3] = 4;
					dw[6] = 4;
					dw[7] = XRGB;
				}
				if (op == VMSM_CP_INDIRECT)
					dw[3] = 1;
				if (op == VMSM_CP_CONVERT) {
					dw[3] = 4;
					dw[11] = XRGB;
					dw[12] = NV12;
				}
				ret = vmsm_cp_decode(dw, 20, &pkt);
				if (res || op > VMSM_CP_CONVERT ||
				    (op == VMSM_CP_WRITE && count < 3) ||
				    (op != VMSM_CP_WRITE && op != VMSM_CP_NOP &&
				     count != len[op]))
					assert_int_equal(ret, -EINVAL);
				else
					assert_int_equal(ret, 1 + count);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Execution */

#define RING	0x1000000ull	/* streams */
#define BUF	0x2000000ull	/* data */
#define BUF2	0x3000000ull
#define RO	0x4000000ull	/* read-only data */
#define HOLE	0x5000000ull	/* never mapped */

static void test_exec_empty(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	assert_int_equal(run(m, &cp, HOLE, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 0);
	assert_int_equal(m->map_calls, 0);
}

static void test_exec_bad_stream(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, true, 0);
	cs_nop(&cs, 0);
	mem_store(m, RING, cs.dw, 4);

	/* unaligned */
	assert_int_equal(run_n(m, &cp, RING + 2, &(struct cs){ .n = 0 }, 1),
			 VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, RING + 2);
	assert_int_equal(cp.err_opcode, VMSM_CP_NO_OPCODE);
	/* wraps around 2^64 */
	assert_int_equal(run_n(m, &cp, TOP - 3, &(struct cs){ .n = 0 }, 2),
			 VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, TOP - 3);
	assert_int_equal(m->map_calls, 0);
	/* unmapped */
	assert_int_equal(run_n(m, &cp, HOLE, &(struct cs){ .n = 0 }, 1),
			 VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, HOLE);
	assert_int_equal(cp.err_opcode, VMSM_CP_NO_OPCODE);
	assert_int_equal(m->fault_va, HOLE);
	assert_false(m->fault_write);
	/* a header at the end of a page, its payload in a hole */
	cs_fence(&cs, RING, 1);
	mem_store(m, RING + PAGE - 4, &cs.dw[1], 4);
	cs.n = 0;
	m->faults = 0;
	assert_int_equal(run_n(m, &cp, RING + PAGE - 4, &cs, 4), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, RING + PAGE - 4);
	assert_int_equal(cp.err_opcode, VMSM_CP_FENCE);
	assert_int_equal(m->fault_va, RING + PAGE);
	assert_int_equal(cp.packets, 0);
	cs_nop(&cs, 0);

	/* the error is reset by the next run */
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 1);
}

static void test_exec_stream_at_top(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, TOP - PAGE + 1, 1, true, 0);
	mem_add(m, BUF, 1, false, 0);
	cs_nop(&cs, 1);
	cs_write1(&cs, BUF, 0x600d);
	assert_int_equal(run(m, &cp, TOP + 1 - cs.n * 4, &cs), VMSM_CP_OK);
	assert_int_equal(mem_r32(m, BUF), 0x600d);
	assert_int_equal(cp.packets, 2);
}

static void test_exec_invalid_packet(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, false, 0);
	mem_add(m, BUF, 1, false, 0);
	cs_write1(&cs, BUF, 1);
	emit(&cs, 0x42000000);
	cs_write1(&cs, BUF + 4, 2);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, RING + 16);
	assert_int_equal(cp.err_opcode, 0x42);
	assert_int_equal(cp.packets, 1);
	assert_int_equal(mem_r32(m, BUF), 1);
	assert_int_equal(mem_r32(m, BUF + 4), 0);

	/* a bad argument: the opcode is reported */
	cs.n = 0;
	cs_nop(&cs, 2);
	cs_fence(&cs, BUF + 2, 1);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, RING + 12);
	assert_int_equal(cp.err_opcode, VMSM_CP_FENCE);
	assert_int_equal(cp.packets, 1);
}

static void test_exec_truncated(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, false, 0);
	mem_add(m, BUF, 1, false, 0);

	/* fixed-length packet cut short */
	cs_nop(&cs, 0);
	cs_fill(&cs, BUF, 16, 0x11111111);
	assert_int_equal(run_n(m, &cp, RING, &cs, cs.n - 1), VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, RING + 4);
	assert_int_equal(cp.err_opcode, VMSM_CP_FILL);
	assert_int_equal(cp.packets, 1);
	assert_int_equal(mem_r32(m, BUF), 0);

	/* WRITE whose data runs past the end: nothing written */
	cs.n = 0;
	cs_write(&cs, BUF, (const u32[]){ 1, 2, 3 }, 3);
	assert_int_equal(run_n(m, &cp, RING, &cs, cs.n - 1), VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, RING);
	assert_int_equal(cp.err_opcode, VMSM_CP_WRITE);
	assert_int_equal(mem_r32(m, BUF), 0);
	/* ... or whose address does */
	assert_int_equal(run_n(m, &cp, RING, &cs, 2), VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, RING);

	/* NOP running past the end */
	cs.n = 0;
	cs_nop(&cs, 8);
	assert_int_equal(run_n(m, &cp, RING, &cs, 8), VMSM_CP_INVALID);
	assert_int_equal(cp.err_opcode, VMSM_CP_NOP);
	assert_int_equal(cp.packets, 0);
	assert_int_equal(run_n(m, &cp, RING, &cs, 9), VMSM_CP_OK);
	assert_int_equal(cp.packets, 1);
}

/* NOP payloads are never read: an unmapped page inside one is fine. */
static void test_exec_nop_skipped(void **state)
{
	struct fake_mem *m = *state;
	struct vmsm_cp cp;
	u32 hdr = PKT(NOP, PAGE / 4);

	/* the header ends page 0, the payload is page 1, page 2 follows */
	mem_add(m, RING, 1, true, 0);
	mem_add(m, RING + 2 * PAGE, 1, true, 0);
	mem_store(m, RING + PAGE - 4, &hdr, 4);
	hdr = PKT(NOP, 0);
	mem_store(m, RING + 2 * PAGE, &hdr, 4);
	memset(&cp, 0, sizeof(cp));
	cp.ops = &fake_ops;
	cp.ctx = m;
	assert_int_equal(vmsm_cp_execute(&cp, RING + PAGE - 4, 2 + PAGE / 4),
			 VMSM_CP_OK);
	assert_int_equal(cp.packets, 2);
	assert_int_equal(m->faults, 0);
}

static void test_exec_write(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	u32 data[300], i;
	struct vmsm_cp cp;

	mem_add(m, RING, 2, true, 0);
	mem_add(m, BUF, 2, false, 0xee);
	for (i = 0; i < ARRAY_SIZE(data); i++)
		data[i] = 0x1000 + i;

	cs_write1(&cs, BUF + 8, 0xa5a5a5a5);
	/* across a page boundary of the destination */
	cs_write(&cs, BUF + PAGE - 8, data, 4);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 2);
	assert_int_equal(mem_r32(m, BUF + 4), 0xeeeeeeee);
	assert_int_equal(mem_r32(m, BUF + 8), 0xa5a5a5a5);
	assert_int_equal(mem_r32(m, BUF + 12), 0xeeeeeeee);
	assert_int_equal(mem_r32(m, BUF + PAGE - 12), 0xeeeeeeee);
	for (i = 0; i < 4; i++)
		assert_int_equal(mem_r32(m, BUF + PAGE - 8 + 4 * i), data[i]);
	assert_int_equal(mem_r32(m, BUF + PAGE + 8), 0xeeeeeeee);

	/* data straddling a page of the stream, and a long payload */
	cs.n = 0;
	cs_nop(&cs, PAGE / 4 - 10);
	cs_write(&cs, BUF + 256, data, ARRAY_SIZE(data));
	assert_true(cs.n * 4 < 2 * PAGE);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	for (i = 0; i < ARRAY_SIZE(data); i++)
		assert_int_equal(mem_r32(m, BUF + 256 + 4 * i), data[i]);
	assert_int_equal(mem_r32(m, BUF + 252), 0xeeeeeeee);
	assert_int_equal(mem_r32(m, BUF + 256 + 4 * ARRAY_SIZE(data)), 0xeeeeeeee);
}

static void test_exec_write_faults(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	const u32 data[] = { 1, 2, 3, 4 };

	mem_add(m, RING, 1, false, 0);
	mem_add(m, BUF, 1, false, 0);
	mem_add(m, RO, 1, true, 0);

	cs_nop(&cs, 1);
	cs_write(&cs, RO + 16, data, 1);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, RING + 8);
	assert_int_equal(cp.err_opcode, VMSM_CP_WRITE);
	assert_int_equal(cp.packets, 1);
	assert_int_equal(m->fault_va, RO + 16);
	assert_true(m->fault_write);

	/* partly executed: the first page is written, then the hole faults */
	cs.n = 0;
	cs_write(&cs, BUF + PAGE - 8, data, 4);
	m->faults = 0;
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, RING);
	assert_int_equal(m->fault_va, BUF + PAGE);
	assert_int_equal(mem_r32(m, BUF + PAGE - 4), 2);
}

/* A WRITE into the rest of the stream changes what runs next. */
static void test_exec_self_modifying(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 }, fence = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, false, 0);
	mem_add(m, BUF, 1, false, 0);
	cs_fence(&fence, BUF + 4, 0x77);
	/* 3 + 4 dwords, then a 4-dword NOP the WRITE turns into the fence */
	cs_write(&cs, RING + 7 * 4, fence.dw, fence.n);
	cs_nop(&cs, 3);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 2);
	assert_int_equal(mem_r32(m, BUF + 4), 0x77);
}

/* Fills @size bytes at @va with a byte pattern that depends on @seed. */
static void pattern(struct fake_mem *m, u64 va, size_t size, u8 seed)
{
	size_t i;
	u8 b;

	for (i = 0; i < size; i++) {
		b = (u8)(i * 7 + seed + (i >> 8));
		mem_store(m, va + i, &b, 1);
	}
}

static void check_copy(struct fake_mem *m, u64 dst, u64 src, u64 size)
{
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	u64 i;

	pattern(m, src, size, (u8)size);
	cs_copy(&cs, dst, src, size);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	for (i = 0; i < size; i++)
		assert_int_equal(mem_r8(m, dst + i), mem_r8(m, src + i));
	assert_int_equal(mem_r8(m, dst - 1), 0xcc);
	assert_int_equal(mem_r8(m, dst + size), 0xcc);
}

static void test_exec_copy(void **state)
{
	static const u32 sizes[] = { 1, 2, 3, 4, 4095, 4096, 4097, 3 * 4096 + 5 };
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	size_t i;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 5, false, 0);
	mem_add(m, BUF2, 5, true, 0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		/* aligned, then unaligned on both sides */
		for (unsigned int p = 0; p < 5; p++)
			memset(find_page(m, BUF + p * PAGE)->data, 0xcc, PAGE);
		check_copy(m, BUF + 16, BUF2, sizes[i]);
		for (unsigned int p = 0; p < 5; p++)
			memset(find_page(m, BUF + p * PAGE)->data, 0xcc, PAGE);
		check_copy(m, BUF + 1001, BUF2 + 3, sizes[i]);
	}

	/* size 0 touches nothing */
	m->map_calls = 0;
	cs_copy(&cs, HOLE, HOLE + 8, 0);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(m->map_calls, 2);	/* header, then payload */
}

static void test_exec_copy_faults(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 2, false, 0x11);
	mem_add(m, RO, 2, true, 0x22);

	/* into a read-only page */
	cs_nop(&cs, 0);
	cs_copy(&cs, RO + 4000, BUF, 200);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, RING + 4);
	assert_int_equal(cp.err_opcode, VMSM_CP_COPY);
	assert_int_equal(cp.packets, 1);
	assert_int_equal(m->fault_va, RO + 4000);
	assert_true(m->fault_write);

	/* from an unmapped page */
	m->faults = 0;
	cs.n = 0;
	cs_copy(&cs, BUF, HOLE, 4);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, RING);
	assert_int_equal(m->fault_va, HOLE);
	assert_false(m->fault_write);
	assert_int_equal(mem_r32(m, BUF), 0x11111111);

	/* partly done: the first chunk lands, the second one faults */
	m->faults = 0;
	mem_set_ro(m, BUF + PAGE, true);
	cs.n = 0;
	cs_copy(&cs, BUF + PAGE - 100, RO + 8, 200);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, RING);
	assert_int_equal(m->fault_va, BUF + PAGE);
	assert_true(m->fault_write);
	assert_int_equal(mem_r32(m, BUF + PAGE - 4), 0x22222222);
	assert_int_equal(mem_r32(m, BUF + PAGE + 4), 0x11111111);
}

static void test_exec_fill(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	u64 i;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 4, false, 0xcc);
	cs_fill(&cs, BUF + 12, 8, 0x01020304);
	cs_fill(&cs, BUF + PAGE - 20, 2 * PAGE + 40, 0xa1b2c3d4);
	cs_fill(&cs, BUF + 3 * PAGE, 0, 0);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 3);
	assert_int_equal(mem_r32(m, BUF + 8), 0xcccccccc);
	assert_int_equal(mem_r8(m, BUF + 12), 0x04);	/* little-endian */
	assert_int_equal(mem_r32(m, BUF + 12), 0x01020304);
	assert_int_equal(mem_r32(m, BUF + 16), 0x01020304);
	assert_int_equal(mem_r32(m, BUF + 20), 0xcccccccc);
	assert_int_equal(mem_r32(m, BUF + PAGE - 24), 0xcccccccc);
	for (i = 0; i < 2 * PAGE + 40; i += 4)
		assert_int_equal(mem_r32(m, BUF + PAGE - 20 + i), 0xa1b2c3d4);
	assert_int_equal(mem_r32(m, BUF + 3 * PAGE + 20), 0xcccccccc);

	/* into a hole: the first page is filled, then it faults */
	cs.n = 0;
	cs_fill(&cs, BUF + 4 * PAGE - 8, 16, 0x55555555);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(m->fault_va, BUF + 4 * PAGE);
	assert_int_equal(mem_r32(m, BUF + 4 * PAGE - 4), 0x55555555);
}

/* Surfaces: 8 x 6 pixels in a pitch of 12 pixels. */
#define SW	8
#define SH	6
#define SP	48

static u32 px(struct fake_mem *m, u64 base, u32 pitch, u32 x, u32 y)
{
	return mem_r32(m, base + (u64)y * pitch + x * 4);
}

static void test_exec_fill_rect(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	u32 x, y, want;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0xcc);
	cs_fill_rect(&cs, BUF, SP, 2, 1, 3, 4, 0xff123456);
	cs_fill_rect(&cs, BUF, SP, 7, 5, 1, 1, 0x00abcdef);
	cs_fill_rect(&cs, BUF, SP, 0, 0, 0, 6, 0x99999999);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	for (y = 0; y < SH; y++) {
		for (x = 0; x < SP / 4; x++) {
			want = 0xcccccccc;
			if (x >= 2 && x < 5 && y >= 1 && y < 5)
				want = 0xff123456;
			if (x == 7 && y == 5)
				want = 0x00abcdef;
			assert_int_equal(px(m, BUF, SP, x, y), want);
		}
	}
}

/* Rows that cross pages, a rectangle that ends in a read-only page. */
static void test_exec_fill_rect_pages(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	u32 x, y;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 3, false, 0);
	/* pitch 1000: row 4 spans bytes 4000..4399 and crosses the page */
	cs_fill_rect(&cs, BUF, 1000, 10, 0, 200, 9, 0x12345678);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	for (y = 0; y < 10; y++)
		for (x = 0; x < 250; x++)
			assert_int_equal(px(m, BUF, 1000, x, y),
					 x >= 10 && x < 210 && y < 9 ? 0x12345678 : 0);

	mem_set_ro(m, BUF + 2 * PAGE, true);
	cs.n = 0;
	cs_fill_rect(&cs, BUF, 1000, 0, 0, 4, 12, 0x1);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_opcode, VMSM_CP_FILL_RECT);
	assert_int_equal(m->fault_va, BUF + 9000);
	assert_int_equal(px(m, BUF, 1000, 0, 8), 1);
	assert_int_equal(px(m, BUF, 1000, 0, 9), 0);
}

static void test_exec_blit(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	u32 x, y, want;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0xcc);
	mem_add(m, BUF2, 1, true, 0);
	/* source: 10 x 5 pixels in a pitch of 16 pixels, pixel = y << 8 | x */
	for (y = 0; y < 5; y++)
		for (x = 0; x < 16; x++)
			mem_w32(m, BUF2 + y * 64 + x * 4, y << 8 | x);

	cs_blit(&cs, BUF, SP, BUF2, 64, 1, 2, 6, 1, 4, 3);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	for (y = 0; y < SH; y++) {
		for (x = 0; x < SP / 4; x++) {
			want = 0xcccccccc;
			if (x >= 1 && x < 5 && y >= 2 && y < 5)
				want = (y - 2 + 1) << 8 | (x - 1 + 6);
			assert_int_equal(px(m, BUF, SP, x, y), want);
		}
	}

	/* from a hole, and into a read-only page */
	cs.n = 0;
	cs_nop(&cs, 0);
	cs_blit(&cs, BUF, SP, HOLE, 64, 0, 0, 0, 0, 1, 1);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, RING + 4);
	assert_int_equal(cp.err_opcode, VMSM_CP_BLIT);
	assert_int_equal(m->fault_va, HOLE);
	assert_false(m->fault_write);
	m->faults = 0;
	cs.n = 0;
	cs_blit(&cs, BUF2, 64, BUF, SP, 0, 0, 0, 0, 1, 1);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(m->fault_va, BUF2);
	assert_true(m->fault_write);
}

static void test_exec_blit_pages(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	u32 x, y;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 4, false, 0);
	mem_add(m, BUF2, 4, true, 0);
	for (y = 0; y < 12; y++)
		for (x = 0; x < 300; x++)
			mem_w32(m, BUF2 + y * 1200 + x * 4, y << 16 | x);
	/* rows of both surfaces cross pages at different offsets */
	cs_blit(&cs, BUF + 4, 1004, BUF2, 1200, 3, 1, 17, 2, 230, 10);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	for (y = 0; y < 12; y++)
		for (x = 0; x < 251; x++)
			assert_int_equal(px(m, BUF + 4, 1004, x, y),
					 x >= 3 && x < 233 && y >= 1 && y < 11 ?
					 (y + 1) << 16 | (x + 14) : 0);
}

/* Overlapping rectangles: any result inside, nothing touched outside. */
static void test_exec_blit_overlap(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	u32 x, y;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 2, false, 0);
	for (y = 0; y < 20; y++)
		for (x = 0; x < 100; x++)
			mem_w32(m, BUF + y * 400 + x * 4, y << 16 | x);
	cs_blit(&cs, BUF, 400, BUF, 400, 3, 2, 1, 1, 90, 15);
	cs_blit(&cs, BUF, 400, BUF, 400, 1, 1, 3, 3, 90, 15);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	for (y = 0; y < 20; y++)
		for (x = 0; x < 100; x++)
			if (x < 1 || x >= 93 || y < 1 || y >= 17)
				assert_int_equal(px(m, BUF, 400, x, y), y << 16 | x);
}

/*
 * Indirect buffer k (1..depth) at BUF2 + k pages writes k to BUF + 4 * k
 * and calls buffer k + 1; the last one only writes. The ring calls buffer
 * 1 and then writes 0x100.
 */
static enum vmsm_cp_status run_nested(struct fake_mem *m, struct vmsm_cp *cp,
				      unsigned int depth)
{
	struct cs cs;
	unsigned int k;

	for (k = 1; k <= depth; k++) {
		cs.n = 0;
		cs_write1(&cs, BUF + 4 * k, k);
		if (k < depth)
			cs_indirect(&cs, BUF2 + (k + 1) * PAGE, 8);
		else
			cs_nop(&cs, 3);
		mem_store(m, BUF2 + k * PAGE, cs.dw, cs.n * 4);
	}
	cs.n = 0;
	cs_indirect(&cs, BUF2 + PAGE, 8);
	cs_write1(&cs, BUF, 0x100);
	return run(m, cp, RING, &cs);
}

static void test_exec_indirect(void **state)
{
	struct fake_mem *m = *state;
	struct vmsm_cp cp;
	unsigned int depth, k;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0);
	mem_add(m, BUF2 + PAGE, 5, true, 0);
	for (depth = 1; depth <= VMSM_CP_MAX_IB_DEPTH; depth++) {
		memset(find_page(m, BUF)->data, 0, PAGE);
		assert_int_equal(run_nested(m, &cp, depth), VMSM_CP_OK);
		/* two per buffer, two in the ring */
		assert_int_equal(cp.packets, 2 * depth + 2);
		assert_int_equal(mem_r32(m, BUF), 0x100);
		for (k = 1; k <= depth; k++)
			assert_int_equal(mem_r32(m, BUF + 4 * k), k);
	}

	/* one level too deep: the INDIRECT in buffer 4 is invalid */
	memset(find_page(m, BUF)->data, 0, PAGE);
	assert_int_equal(run_nested(m, &cp, VMSM_CP_MAX_IB_DEPTH + 1),
			 VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, BUF2 + VMSM_CP_MAX_IB_DEPTH * PAGE + 16);
	assert_int_equal(cp.err_opcode, VMSM_CP_INDIRECT);
	assert_int_equal(cp.packets, 2 * VMSM_CP_MAX_IB_DEPTH);
	assert_int_equal(mem_r32(m, BUF + 4 * VMSM_CP_MAX_IB_DEPTH),
			 VMSM_CP_MAX_IB_DEPTH);
	assert_int_equal(mem_r32(m, BUF + 4 * (VMSM_CP_MAX_IB_DEPTH + 1)), 0);
	assert_int_equal(mem_r32(m, BUF), 0);
}

static void test_exec_indirect_errors(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 }, ib = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0);
	mem_add(m, BUF2, 1, true, 0);

	/* an unmapped buffer faults at its first header */
	cs_indirect(&cs, HOLE + 64, 4);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_va, HOLE + 64);
	assert_int_equal(cp.err_opcode, VMSM_CP_NO_OPCODE);
	assert_int_equal(cp.packets, 1);

	/* a packet running past the buffer's end, even inside the ring */
	cs_nop(&ib, 0);
	cs_fence(&ib, BUF, 1);
	mem_store(m, BUF2, ib.dw, ib.n * 4);
	cs.n = 0;
	cs_indirect(&cs, BUF2, ib.n - 1);
	cs_nop(&cs, 0);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, BUF2 + 4);
	assert_int_equal(cp.err_opcode, VMSM_CP_FENCE);
	assert_int_equal(cp.packets, 2);
	assert_int_equal(mem_r32(m, BUF), 0);

	/* the whole buffer runs, then the ring goes on */
	cs.n = 0;
	cs_indirect(&cs, BUF2, ib.n);
	cs_fence(&cs, BUF + 4, 2);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 4);
	assert_int_equal(mem_r32(m, BUF), 1);
	assert_int_equal(mem_r32(m, BUF + 4), 2);

	/* a buffer calling itself stops at the depth limit */
	ib.n = 0;
	cs_indirect(&ib, BUF2, 4);
	mem_store(m, BUF2, ib.dw, ib.n * 4);
	cs.n = 0;
	cs_indirect(&cs, BUF2, 4);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_INVALID);
	assert_int_equal(cp.err_va, BUF2);
	assert_int_equal(cp.packets, 1 + VMSM_CP_MAX_IB_DEPTH - 1);
}

static void test_exec_wait_mem(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0);
	mem_w32(m, BUF, 0x1234);

	/* satisfied at once, for every function */
	cs_wait(&cs, BUF, 0x34, 0xff, VMSM_CP_WAIT_EQ);
	cs_wait(&cs, BUF, 0x35, 0xff, VMSM_CP_WAIT_NE);
	cs_wait(&cs, BUF, 0x1234, ~0u, VMSM_CP_WAIT_GE);
	cs_wait(&cs, BUF, 0x1235, ~0u, VMSM_CP_WAIT_LT);
	cs_wait(&cs, BUF, 0, 0, VMSM_CP_WAIT_EQ);
	cs_fence(&cs, BUF + 4, 1);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(m->waits, 0);
	assert_int_equal(cp.packets, 6);

	/* satisfied once the third wait stores the value */
	cs.n = 0;
	cs_wait(&cs, BUF, 0x10, 0xf0, VMSM_CP_WAIT_GE);
	cs_fence(&cs, BUF + 8, 2);
	mem_w32(m, BUF, 0x0f);
	m->poke_at = 3;
	m->poke_va = BUF;
	m->poke_val = 0x1f;
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(m->waits, 3);
	assert_int_equal(mem_r32(m, BUF + 8), 2);

	/* never satisfied: aborted by the wait op, the fence not written */
	m->waits = 0;
	m->poke_at = 0;
	m->abort_after = 5;
	cs.n = 0;
	cs_nop(&cs, 0);
	cs_wait(&cs, BUF, 0, ~0u, VMSM_CP_WAIT_LT);
	cs_fence(&cs, BUF + 12, 3);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_ABORTED);
	assert_int_equal(m->waits, 5);
	assert_int_equal(cp.err_va, RING + 4);
	assert_int_equal(cp.err_opcode, VMSM_CP_WAIT_MEM);
	assert_int_equal(cp.packets, 1);
	assert_int_equal(mem_r32(m, BUF + 12), 0);

	/* an unmapped address faults (a read fault) */
	cs.n = 0;
	cs_wait(&cs, HOLE, 0, 0, VMSM_CP_WAIT_EQ);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(m->fault_va, HOLE);
	assert_false(m->fault_write);
}

static void test_exec_wait_mem_ro(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	/* read-only memory can be waited on */
	mem_add(m, RING, 1, true, 0);
	mem_add(m, RO, 1, true, 0);
	mem_w32(m, RO + PAGE - 4, 0x80000000);
	cs_wait(&cs, RO + PAGE - 4, 0x80000000, 0x80000000, VMSM_CP_WAIT_EQ);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(m->waits, 0);
}

static void test_exec_timestamp(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0xcc);
	mem_add(m, RO, 1, true, 0);
	m->timestamp = 0x1122334455667788ull;
	cs_timestamp(&cs, BUF + PAGE - 8);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(mem_r32(m, BUF + PAGE - 8), 0x55667788);
	assert_int_equal(mem_r32(m, BUF + PAGE - 4), 0x11223344);
	assert_int_equal(mem_r8(m, BUF + PAGE - 8), 0x88);
	assert_int_equal(mem_r32(m, BUF + PAGE - 12), 0xcccccccc);

	cs.n = 0;
	cs_timestamp(&cs, RO);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_opcode, VMSM_CP_TIMESTAMP);
	assert_int_equal(m->fault_va, RO);
}

/* The fence value is the last write of the job, after everything else. */
static void test_exec_fence_order(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_cp cp;
	const u32 data[] = { 1, 2, 3 };

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 3, false, 0);
	cs_write(&cs, BUF + 0x100, data, 3);
	cs_copy(&cs, BUF + PAGE, BUF + 0x100, 12);
	cs_fill(&cs, BUF + 2 * PAGE - 8, 16, 7);
	cs_fence(&cs, BUF + 0x40, 0xf00d);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 4);
	assert_int_equal(m->nlog, 5);
	assert_int_equal(m->log[0].va, BUF + 0x100);
	assert_int_equal(m->log[1].va, BUF + PAGE);
	assert_int_equal(m->log[2].va, BUF + 2 * PAGE - 8);
	assert_int_equal(m->log[3].va, BUF + 2 * PAGE);
	assert_int_equal(m->log[4].va, BUF + 0x40);
	assert_int_equal(m->log[4].len, 4);
	assert_int_equal(mem_r32(m, BUF + 0x40), 0xf00d);
	assert_int_equal(mem_r32(m, BUF + PAGE + 8), 3);

	/* a fault before the fence leaves the fence unwritten */
	m->nlog = 0;
	cs.n = 0;
	cs_write1(&cs, HOLE, 1);
	cs_fence(&cs, BUF + 0x44, 0xf00d);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(m->nlog, 0);
	assert_int_equal(mem_r32(m, BUF + 0x44), 0);
}

static void test_exec_packet_count(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 }, ib = { .n = 0 };
	struct vmsm_cp cp;
	unsigned int i;

	mem_add(m, RING, 2, true, 0);
	mem_add(m, BUF, 1, false, 0);
	mem_add(m, BUF2, 1, true, 0);
	for (i = 0; i < 10; i++)
		cs_nop(&ib, i);
	mem_store(m, BUF2, ib.dw, ib.n * 4);
	for (i = 0; i < 100; i++) {
		cs_nop(&cs, i % 3);
		cs_write1(&cs, BUF + 4 * (i % 8), i);
	}
	cs_indirect(&cs, BUF2, ib.n);
	cs_indirect(&cs, BUF2, ib.n);
	cs_timestamp(&cs, BUF + 64);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 200 + 2 + 20 + 1);
}

static void test_exec_poll(void **state)
{
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 }, ib = { .n = 0 };
	struct vmsm_cp cp;
	unsigned int i;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0);
	mem_add(m, BUF2, 1, true, 0);
	cs_nop(&ib, 0);
	cs_nop(&ib, 1);
	mem_store(m, BUF2, ib.dw, ib.n * 4);
	for (i = 0; i < 4; i++)
		cs_write1(&cs, BUF + 4 * i, i + 1);
	cs_indirect(&cs, BUF2, ib.n);
	cs_fence(&cs, BUF + 16, 5);

	/* called once before every packet, in every stream */
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(cp.packets, 8);
	assert_int_equal(m->polls, 8);

	/* cancelling before the fifth packet: the INDIRECT never runs */
	memset(find_page(m, BUF)->data, 0, PAGE);
	m->polls = 0;
	m->poll_abort_at = 5;
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_ABORTED);
	assert_int_equal(cp.packets, 4);
	assert_int_equal(cp.err_va, RING + 4 * 16);
	assert_int_equal(cp.err_opcode, VMSM_CP_NO_OPCODE);
	assert_int_equal(mem_r32(m, BUF + 12), 4);
	assert_int_equal(mem_r32(m, BUF + 16), 0);

	/* ... or inside the indirect buffer */
	m->polls = 0;
	m->poll_abort_at = 7;
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_ABORTED);
	assert_int_equal(cp.packets, 6);
	assert_int_equal(cp.err_va, BUF2 + 4);

	/* without the op, the stream just runs */
	memset(&cp, 0, sizeof(cp));
	cp.ops = &fake_ops_no_poll;
	cp.ctx = m;
	m->polls = 0;
	assert_int_equal(vmsm_cp_execute(&cp, RING, cs.n), VMSM_CP_OK);
	assert_int_equal(cp.packets, 8);
	assert_int_equal(m->polls, 0);
	assert_int_equal(mem_r32(m, BUF + 16), 5);
}

static void cs_convert(struct cs *cs, u64 dst, u32 dp, u64 duv, u64 src, u32 sp, u64 suv,
		       u32 df, u32 sf, u32 w, u32 h, u32 flags)
{
	emit(cs, PKT(CONVERT, 15));
	emit64(cs, dst);
	emit(cs, dp);
	emit64(cs, duv);
	emit64(cs, src);
	emit(cs, sp);
	emit64(cs, suv);
	emit(cs, df);
	emit(cs, sf);
	emit(cs, w);
	emit(cs, h);
	emit(cs, flags);
}

/*
 * NV12 to XRGB8888, 70 x 5 (odd rows, a span boundary at 64): each pixel
 * is the conversion of its luma and of the chroma pair of its 2x2 block;
 * the destination's pitch padding is untouched.
 */
static void test_exec_convert_from_nv12(void **state)
{
	const u32 w = 70, h = 5, yp = 72, dp = 300;
	const u64 luma = BUF2, chroma = BUF2 + 0x800, dst = BUF;
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_yuv_to_rgb ym;
	struct vmsm_cp cp;
	u32 x, y;
	u8 v;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 2, false, 0xcc);
	mem_add(m, BUF2, 1, true, 0);
	for (y = 0; y < h; y++) {
		for (x = 0; x < yp; x++) {
			v = (x * 7 + y * 31) & 0xff;
			mem_store(m, luma + y * yp + x, &v, 1);
			v = (x * 13 + y * 5 + 3) & 0xff;
			if (y < 3)
				mem_store(m, chroma + y * yp + x, &v, 1);
		}
	}
	cs_convert(&cs, dst, dp, 0, luma, yp, chroma, XRGB, NV12, w, h,
		   VMSM_CP_CONVERT_BT709);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	vmsm_yuv_to_rgb_init(&ym, VMSM_YUV_BT709, false, 8);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++)
			assert_int_equal(mem_r32(m, dst + y * dp + x * 4),
					 vmsm_yuv_to_argb(&ym, mem_r8(m, luma + y * yp + x),
							  mem_r8(m, chroma + y / 2 * yp + x / 2 * 2),
							  mem_r8(m, chroma + y / 2 * yp +
								 x / 2 * 2 + 1)));
		for (x = w * 4; x < dp; x++)
			assert_int_equal(mem_r8(m, dst + y * dp + x), 0xcc);
	}
	/* neutral chroma: grey, black and white exact */
	mem_store(m, luma, "\x10\xeb\x80\x80", 4);
	mem_store(m, chroma, "\x80\x80\x80\x80", 4);
	cs.n = 0;
	cs_convert(&cs, dst, dp, 0, luma, yp, chroma, ARGB, NV12, 4, 1, 0);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	assert_int_equal(mem_r32(m, dst), 0xff000000);
	assert_int_equal(mem_r32(m, dst + 4), 0xffffffff);

	/* chroma in a hole: a fault, after the first row's luma was read */
	cs.n = 0;
	cs_convert(&cs, dst, dp, 0, luma, yp, HOLE, XRGB, NV12, w, h, 0);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_int_equal(cp.err_opcode, VMSM_CP_CONVERT);
	assert_int_equal(m->fault_va, HOLE);
}

/*
 * XRGB8888 to NV12, 67 x 5 (odd width and height, a span boundary):
 * luma per pixel, chroma of each block's pixels (2x2, 1x2 at the right
 * edge, 2x1 and 1x1 on the last row); padding untouched.
 */
static void test_exec_convert_to_nv12(void **state)
{
	const u32 w = 67, h = 5, sp = 280, yp = 70;
	const u64 src = BUF2, luma = BUF, chroma = BUF + 0x800;
	struct fake_mem *m = *state;
	struct cs cs = { .n = 0 };
	struct vmsm_rgb_to_yuv ym;
	u32 x, y, blk[4], n, cb, cr;
	struct vmsm_cp cp;

	mem_add(m, RING, 1, true, 0);
	mem_add(m, BUF, 1, false, 0xcc);
	mem_add(m, BUF2, 2, false, 0);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			mem_w32(m, src + y * sp + x * 4, (x * 0x010305 + y * 0x0b0703) ^ 0xaa000000);
	cs_convert(&cs, luma, yp, chroma, src, sp, 0, NV12, XRGB, w, h,
		   VMSM_CP_CONVERT_BT601 | VMSM_CP_CONVERT_FULL_RANGE);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_OK);
	vmsm_rgb_to_yuv_init(&ym, VMSM_YUV_BT601, true, 8);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++)
			assert_int_equal(mem_r8(m, luma + y * yp + x),
					 vmsm_rgb_to_y(&ym, mem_r32(m, src + y * sp + x * 4)));
		for (x = w; x < yp; x++)
			assert_int_equal(mem_r8(m, luma + y * yp + x), 0xcc);
	}
	for (y = 0; y < (h + 1) / 2; y++) {
		for (x = 0; x < (w + 1) / 2; x++) {
			n = 0;
			blk[n++] = mem_r32(m, src + 2 * y * sp + 2 * x * 4);
			if (2 * x + 1 < w)
				blk[n++] = mem_r32(m, src + 2 * y * sp + (2 * x + 1) * 4);
			if (2 * y + 1 < h) {
				blk[n++] = mem_r32(m, src + (2 * y + 1) * sp + 2 * x * 4);
				if (2 * x + 1 < w)
					blk[n++] = mem_r32(m, src + (2 * y + 1) * sp +
								(2 * x + 1) * 4);
			}
			vmsm_rgb_to_cbcr(&ym, blk, n, &cb, &cr);
			assert_int_equal(mem_r8(m, chroma + y * yp + 2 * x), cb);
			assert_int_equal(mem_r8(m, chroma + y * yp + 2 * x + 1), cr);
		}
		for (x = w + 1; x < yp; x++)
			assert_int_equal(mem_r8(m, chroma + y * yp + x), 0xcc);
	}
	/* into a read-only page: a write fault */
	cs.n = 0;
	cs_convert(&cs, RING, yp, chroma, src, sp, 0, NV12, XRGB, w, h, 0);
	assert_int_equal(run(m, &cp, RING, &cs), VMSM_CP_FAULT);
	assert_true(m->fault_write);
}

int main(void)
{
#define T(f)	cmocka_unit_test_setup_teardown(f, mem_setup, mem_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_avail),
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_decode_every_header),
		T(test_exec_empty),
		T(test_exec_bad_stream),
		T(test_exec_stream_at_top),
		T(test_exec_invalid_packet),
		T(test_exec_truncated),
		T(test_exec_nop_skipped),
		T(test_exec_write),
		T(test_exec_write_faults),
		T(test_exec_self_modifying),
		T(test_exec_copy),
		T(test_exec_copy_faults),
		T(test_exec_fill),
		T(test_exec_fill_rect),
		T(test_exec_fill_rect_pages),
		T(test_exec_blit),
		T(test_exec_blit_pages),
		T(test_exec_blit_overlap),
		T(test_exec_indirect),
		T(test_exec_indirect_errors),
		T(test_exec_wait_mem),
		T(test_exec_wait_mem_ro),
		T(test_exec_timestamp),
		T(test_exec_fence_order),
		T(test_exec_packet_count),
		T(test_exec_poll),
		T(test_exec_convert_from_nv12),
		T(test_exec_convert_to_nv12),
	};
#undef T

	return cmocka_run_group_tests_name("vmsm_cp", tests, NULL, NULL);
}
