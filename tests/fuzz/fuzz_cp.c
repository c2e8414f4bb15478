// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * libFuzzer harness of the command processor (vmsm_cp_decode.c and
 * vmsm_cp_exec.c, built unchanged). Each input is run twice:
 *
 * - decoded: the bytes after the configuration, as dwords, go straight to
 *   vmsm_cp_decode() with every count of available dwords, and every
 *   packet it accepts is checked again here with 128-bit arithmetic;
 * - executed: the same bytes are a command stream in a fake GPU memory
 *   that the configuration lays out, run by vmsm_cp_execute().
 *
 * Input layout (little-endian):
 *
 *   byte 0   bit i set: page i is mapped
 *   byte 1   bit i set: page i is read-only
 *   byte 2   bits 3..0: WAIT_MEM polls before the wait op cancels the job;
 *            bits 7..4: added to the dword at POKE_VA by every wait
 *   byte 3   the stream starts this many dwords into page 0
 *   4..      the stream
 *
 * Pages 0 to 6 sit at BASE + i * 4 KiB, page 7 is the last page of the
 * 64-bit address space. Whatever the stream does not cover is filled with
 * a byte pattern. Any breach of the memory contract (a map crossing a
 * page, mappings not released in reverse order, a mapping held across a
 * wait or poll or left at the end) and any inconsistent result traps;
 * ASan catches an access beyond what map returned, since every map hands
 * out a bounce buffer of exactly the mapped size.
 *
 * With FUZZ_CP_VERBOSE set in the environment, each execution prints its
 * result (handy to check what a seed does: build/fuzz_cp FILE...).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>

#include <linux/errno.h>
#include <drm_fourcc.h>
#include <drm/vmsm_drm.h>

#include "vmsm_cp.h"

#define PAGE		4096u
#define NPAGES		8
#define BASE		0x100000ull
#define TOP_PAGE	0xfffffffffffff000ull
#define POKE_VA		(BASE + 6 * PAGE)
#define MAX_POLLS	4096u		/* packets before poll cancels the job */
#define MAX_MAPS	4

#define check(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_cp: %s:%d: check failed: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		__builtin_trap();					\
	}								\
} while (0)

struct fake_map {
	u8 *base;
	u8 *ptr;
	u8 *page;
	u32 len;
	bool write;
};

struct fake_mem {
	u8 data[NPAGES][PAGE];
	u8 mapped, ro;
	struct fake_map maps[MAX_MAPS];
	unsigned int nmaps;
	unsigned int faults;
	unsigned int waits, max_waits;
	u32 poke_step;
	unsigned int polls;
};

static u64 page_va(unsigned int i)
{
	return i == NPAGES - 1 ? TOP_PAGE : BASE + (u64)i * PAGE;
}

static int find_page(const struct fake_mem *m, u64 va)
{
	unsigned int i;

	for (i = 0; i < NPAGES; i++)
		if (m->mapped & 1u << i && page_va(i) == (va & ~(u64)(PAGE - 1)))
			return i;
	return -1;
}

static void *fake_map(void *ctx, u64 va, u32 len, bool write)
{
	struct fake_mem *m = ctx;
	int i = find_page(m, va);
	u32 off = va % PAGE, align = va % 8;
	struct fake_map *fm;

	check(len >= 1 && len <= PAGE && off + len <= PAGE);
	check(m->nmaps < 2);
	if (i < 0 || (write && m->ro & 1u << i)) {
		m->faults++;
		return NULL;
	}
	fm = &m->maps[m->nmaps++];
	fm->base = malloc(align + len);
	check(fm->base);
	fm->ptr = fm->base + align;
	fm->page = &m->data[i][off];
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

	check(m->nmaps && m->maps[m->nmaps - 1].ptr == ptr);
	fm = &m->maps[--m->nmaps];
	check(fm->write == write);
	if (write)
		memcpy(fm->page, fm->ptr, fm->len);
	ASAN_UNPOISON_MEMORY_REGION(fm->base, fm->ptr - fm->base);
	free(fm->base);
}

static u64 fake_timestamp(void *ctx)
{
	struct fake_mem *m = ctx;

	return 0x0123456789abcdefull + m->waits;
}

static int fake_wait(void *ctx)
{
	struct fake_mem *m = ctx;
	u32 v;

	check(!m->nmaps);
	if (m->waits++ >= m->max_waits)
		return 1;
	memcpy(&v, m->data[6], 4);
	v += m->poke_step;
	memcpy(m->data[6], &v, 4);
	return 0;
}

static int fake_poll(void *ctx)
{
	struct fake_mem *m = ctx;

	check(!m->nmaps);
	return ++m->polls > MAX_POLLS;
}

static const struct vmsm_cp_mem_ops fake_ops = {
	.map = fake_map,
	.unmap = fake_unmap,
	.timestamp = fake_timestamp,
	.wait = fake_wait,
	.poll = fake_poll,
};

static bool fits(unsigned __int128 first, unsigned __int128 size)
{
	return !size || first + size - 1 <= UINT64_MAX;
}

static bool rect_fits(u64 base, u32 pitch, u32 x, u32 y, u32 w, u32 h)
{
	unsigned __int128 last;

	if (base % 4 || !pitch || pitch % 4 || w > VMSM_CP_MAX_RECT ||
	    h > VMSM_CP_MAX_RECT || (u64)x + w > pitch / 4)
		return false;
	if (!w || !h)
		return true;
	last = base + ((unsigned __int128)y + h - 1) * pitch + ((u64)x + w) * 4 - 1;
	return last <= UINT64_MAX;
}

/* What an accepted packet promises the executor, checked independently. */
static void check_packet(const u32 *dw, u32 avail, const struct vmsm_cp_pkt *p,
			 int ret)
{
	u32 op = dw[0] >> 24;

	check(!(dw[0] & VMSM_CP_RESERVED_MASK));
	check(p->opcode == op && op <= VMSM_CP_CONVERT);
	check(p->count == (dw[0] & VMSM_CP_COUNT_MASK));
	check(ret == 1 + (int)p->count);
	if (op != VMSM_CP_NOP && op != VMSM_CP_WRITE)
		check((u32)ret <= avail && ret <= (int)VMSM_CP_MAX_PKT_DWORDS);

	switch (op) {
	case VMSM_CP_WRITE:
		check(p->count >= 3 && p->u.write.n == p->count - 2);
		check(p->u.write.addr % 4 == 0);
		check(fits(p->u.write.addr, (u64)p->u.write.n * 4));
		check(!!p->u.write.data == (avail >= (u32)ret));
		if (p->u.write.data)
			check(p->u.write.data == dw + 3);
		break;
	case VMSM_CP_COPY:
		check(p->u.copy.size <= VMSM_CP_MAX_XFER);
		check(fits(p->u.copy.dst, p->u.copy.size));
		check(fits(p->u.copy.src, p->u.copy.size));
		check(!p->u.copy.size ||
		      (unsigned __int128)p->u.copy.dst + p->u.copy.size <= p->u.copy.src ||
		      (unsigned __int128)p->u.copy.src + p->u.copy.size <= p->u.copy.dst);
		break;
	case VMSM_CP_FILL:
		check(p->u.fill.size <= VMSM_CP_MAX_XFER);
		check(p->u.fill.size % 4 == 0 && p->u.fill.dst % 4 == 0);
		check(fits(p->u.fill.dst, p->u.fill.size));
		break;
	case VMSM_CP_FILL_RECT:
		check(p->u.rect.format == DRM_FORMAT_XRGB8888 ||
		      p->u.rect.format == DRM_FORMAT_ARGB8888);
		check(rect_fits(p->u.rect.dst, p->u.rect.pitch, p->u.rect.x,
				p->u.rect.y, p->u.rect.width, p->u.rect.height));
		break;
	case VMSM_CP_BLIT:
		check(p->u.blit.format == DRM_FORMAT_XRGB8888 ||
		      p->u.blit.format == DRM_FORMAT_ARGB8888);
		check(rect_fits(p->u.blit.dst, p->u.blit.dst_pitch, p->u.blit.dst_x,
				p->u.blit.dst_y, p->u.blit.width, p->u.blit.height));
		check(rect_fits(p->u.blit.src, p->u.blit.src_pitch, p->u.blit.src_x,
				p->u.blit.src_y, p->u.blit.width, p->u.blit.height));
		break;
	case VMSM_CP_INDIRECT:
		check(p->u.ib.size && p->u.ib.addr % 4 == 0);
		check(fits(p->u.ib.addr, (u64)p->u.ib.size * 4));
		break;
	case VMSM_CP_WAIT_MEM:
		check(p->u.wait.addr % 4 == 0 && p->u.wait.func <= VMSM_CP_WAIT_LT);
		break;
	case VMSM_CP_TIMESTAMP:
		check(p->u.ts.addr % 8 == 0);
		break;
	case VMSM_CP_FENCE:
		check(p->u.fence.addr % 4 == 0);
		break;
	case VMSM_CP_CONVERT:
		check((p->u.convert.dst_format == DRM_FORMAT_NV12) !=
		      (p->u.convert.src_format == DRM_FORMAT_NV12));
		check(p->u.convert.width <= VMSM_CP_MAX_RECT &&
		      p->u.convert.height <= VMSM_CP_MAX_RECT);
		check(!(p->u.convert.flags & ~7u) && (p->u.convert.flags & 3) != 3);
		if (p->u.convert.src_format != DRM_FORMAT_NV12)
			check(!p->u.convert.src_uv &&
			      rect_fits(p->u.convert.src, p->u.convert.src_pitch, 0, 0,
					p->u.convert.width, p->u.convert.height));
		if (p->u.convert.dst_format != DRM_FORMAT_NV12)
			check(!p->u.convert.dst_uv &&
			      rect_fits(p->u.convert.dst, p->u.convert.dst_pitch, 0, 0,
					p->u.convert.width, p->u.convert.height));
		break;
	}
}

/* Decodes the first @avail dwords of @src from a buffer of exactly that size. */
static int decode(const u32 *src, u32 avail, struct vmsm_cp_pkt *pkt)
{
	u32 *dw = malloc(avail ? avail * 4 : 1);
	int ret;

	check(dw);
	memcpy(dw, src, avail * 4);
	ret = vmsm_cp_decode(dw, avail, pkt);
	check(ret == -EINVAL || ret == -ENODATA || ret >= 1);
	if (ret > 0)
		check_packet(dw, avail, pkt, ret);
	free(dw);
	return ret;
}

static void fuzz_decode(const u32 *dw, u32 ndw)
{
	struct vmsm_cp_pkt pkt;
	u32 avail, limit = ndw < 16 ? ndw : 16;
	int full, ret;

	check(decode(dw, 0, &pkt) == -ENODATA);
	full = decode(dw, ndw, &pkt);
	/* Fewer dwords give -ENODATA, or the same answer once enough. */
	for (avail = 1; avail <= limit; avail++) {
		ret = decode(dw, avail, &pkt);
		check(ret == full || ret == -ENODATA);
		if (ret == -ENODATA && avail > 1)
			check(decode(dw, avail - 1, &pkt) == -ENODATA);
	}
	if (ndw >= VMSM_CP_MAX_PKT_DWORDS)
		check(full != -ENODATA);
}

static int verbose = -1;
static u8 background[NPAGES][PAGE];

static void fuzz_exec(const u8 *cfg, const u8 *stream, size_t len)
{
	static struct fake_mem mem;
	struct fake_mem *m = &mem;
	struct vmsm_cp cp = { .ops = &fake_ops, .ctx = m };
	u64 va = BASE + (u64)cfg[3] * 4;
	size_t i, max = (NPAGES - 1) * PAGE - cfg[3] * 4;
	enum vmsm_cp_status st;

	memset(m, 0, sizeof(*m));
	m->mapped = cfg[0];
	m->ro = cfg[1];
	m->max_waits = cfg[2] & 0xf;
	m->poke_step = cfg[2] >> 4;
	if (!background[0][1])
		for (i = 0; i < sizeof(background); i++)
			background[i / PAGE][i % PAGE] = (u8)(i * 13 + (i >> 12));
	memcpy(m->data, background, sizeof(m->data));
	len = (len < max ? len : max) & ~(size_t)3;
	for (i = 0; i < len; i++)
		m->data[(cfg[3] * 4 + i) / PAGE][(cfg[3] * 4 + i) % PAGE] = stream[i];

	st = vmsm_cp_execute(&cp, va, len / 4);
	check(st == cp.status);
	check(st <= VMSM_CP_ABORTED);
	check(!m->nmaps);
	check(cp.packets <= m->polls);
	if (st == VMSM_CP_OK)
		check(!cp.err_va && !cp.err_opcode && !m->faults);
	if (st == VMSM_CP_FAULT)
		check(m->faults == 1);
	else
		check(!m->faults);
	if (st == VMSM_CP_ABORTED)
		check(m->waits > m->max_waits || m->polls > MAX_POLLS);
	if (st != VMSM_CP_OK)
		check(cp.err_opcode <= 0xff || cp.err_opcode == VMSM_CP_NO_OPCODE);
	if (verbose < 0)
		verbose = !!getenv("FUZZ_CP_VERBOSE");
	if (verbose)
		printf("fuzz_cp: %zu dwords: status %d, %llu packets, err_va 0x%llx, err_opcode 0x%x, %u waits\n",
		       len / 4, st, (unsigned long long)cp.packets,
		       (unsigned long long)cp.err_va, cp.err_opcode, m->waits);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 *dw;
	u32 ndw;

	if (size < 4)
		return 0;
	ndw = (size - 4) / 4;
	dw = malloc(ndw ? ndw * 4 : 1);
	check(dw);
	memcpy(dw, data + 4, ndw * 4);
	fuzz_decode(dw, ndw);
	free(dw);

	fuzz_exec(data, data + 4, size - 4);
	return 0;
}
