// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Command streams for GEM_SUBMIT, written into the stream ring of a cmd
 * slot (bo.c). A clean stream is made of valid packets only (see the
 * "vmsm command stream" section of vmsm_drm.h): every access lies inside
 * the targets the submit generator found (objects of the job's VM whose
 * GPU address and size it just checked), writes go to writable targets
 * only, COPY ranges never overlap, rectangles fit their pitch, INDIRECT
 * nests at most VMSM_CP_MAX_IB_DEPTH deep, and WAIT_MEM only waits for a
 * condition that holds whatever the memory contains (mask 0, GE 0...) or
 * for a value the stream itself just stored or holds. Such a job
 * completes, and the context stays usable.
 *
 * A garbage stream adds one defect among: random dwords, a bad header, an
 * unmapped or misaligned address, a write to a GPU read-only object, a
 * stream cut short, INDIRECT too deep or into nowhere. The job then
 * faults and the file's context becomes faulty (later submits get EIO).
 * A hang stream ends in a WAIT_MEM that never completes: the job timeout
 * kills it after 2 s, holding its ring meanwhile.
 */
#include <string.h>

#include <drm_fourcc.h>

#include "fuzz.h"

#define CS_MAX_DW	192	/* top-level stream */
#define CS_IB_DW	64	/* each indirect buffer */
#define CS_MAX_XFER	(16u << 10)	/* bytes a COPY/FILL moves at most */
#define CS_MAX_RECT	32u	/* rectangle width/height at most */

struct cs {
	struct fuzz_ctx *ctx;
	struct fuzz_slot *slot;
	const struct cs_target *t;
	unsigned int nt;
	uint32_t *dw;		/* CPU address of the stream */
	uint64_t va;		/* its GPU address */
	uint32_t n, cap;
	unsigned int depth;	/* 0: top-level stream */
};

static struct fuzz_rng *R(struct cs *c)
{
	return &c->ctx->rng;
}

static bool room(struct cs *c, uint32_t ndw)
{
	return c->n + ndw <= c->cap;
}

static void emit(struct cs *c, uint32_t v)
{
	c->dw[c->n++] = v;
}

static void emit64(struct cs *c, uint64_t v)
{
	emit(c, (uint32_t)v);
	emit(c, (uint32_t)(v >> 32));
}

/*
 * @len bytes at an @align-aligned GPU address inside a target (writable
 * if @w); false if no target fits.
 */
static bool pick(struct cs *c, uint64_t len, unsigned int align, bool w,
		 uint64_t *va)
{
	unsigned int i, tries;
	uint64_t span;

	for (tries = 0; tries < 8; tries++) {
		const struct cs_target *t = &c->t[rng_below(R(c), c->nt)];

		if ((w && !t->writable) || t->size < len)
			continue;
		span = (t->size - len) / align + 1;
		if (span > 0xffffffffull)
			span = 0xffffffffull;
		*va = t->iova + (uint64_t)rng_below(R(c), (uint32_t)span) * align;
		return true;
	}
	/* the first one that fits, if random picks missed it */
	for (i = 0; i < c->nt; i++) {
		if ((w && !c->t[i].writable) || c->t[i].size < len)
			continue;
		*va = c->t[i].iova;
		return true;
	}
	return false;
}

static uint32_t pkt(uint32_t op, uint32_t count)
{
	return VMSM_CP_PKT(op, count);
}

static void cs_nop(struct cs *c)
{
	uint32_t n = rng_below(R(c), 5), i;

	if (!room(c, 1 + n))
		n = 0;
	if (!room(c, 1))
		return;
	emit(c, pkt(VMSM_CP_NOP, n));
	for (i = 0; i < n; i++)		/* any payload */
		emit(c, (uint32_t)rng_next(R(c)));
}

static bool cs_write(struct cs *c)
{
	uint32_t n = 1 + rng_below(R(c), 16), i;
	uint64_t va;

	if (!room(c, 3 + n) || !pick(c, 4ull * n, 4, true, &va))
		return false;
	emit(c, pkt(VMSM_CP_WRITE, 2 + n));
	emit64(c, va);
	for (i = 0; i < n; i++)
		emit(c, (uint32_t)rng_next(R(c)));
	return true;
}

static uint64_t xfer_size(struct cs *c, unsigned int align)
{
	switch (rng_below(R(c), 8)) {
	case 0:
		return 0;
	case 1:
	case 2:
		return align * (1 + rng_below(R(c), 16));
	default:
		return align * rng_below(R(c), CS_MAX_XFER / align + 1);
	}
}

static bool cs_copy(struct cs *c)
{
	uint64_t size = xfer_size(c, 1 + 3 * rng_below(R(c), 2)), dst, src;
	unsigned int tries;

	if (!room(c, 7))
		return false;
	for (tries = 0; tries < 4; tries++, size /= 2) {
		if (!pick(c, size, 1, true, &dst) || !pick(c, size, 1, false, &src))
			continue;
		/* the CP refuses overlapping ranges */
		if (size && dst <= src + (size - 1) && src <= dst + (size - 1))
			continue;
		emit(c, pkt(VMSM_CP_COPY, 6));
		emit64(c, dst);
		emit64(c, src);
		emit64(c, size);
		return true;
	}
	return false;
}

static bool cs_fill(struct cs *c)
{
	uint64_t size = xfer_size(c, 4), dst;

	if (!room(c, 6) || !pick(c, size, 4, true, &dst))
		return false;
	emit(c, pkt(VMSM_CP_FILL, 5));
	emit64(c, dst);
	emit64(c, size);
	emit(c, (uint32_t)rng_next(R(c)));
	return true;
}

struct rect {
	uint32_t pitch, x, y, w, h;
};

/* A rectangle whose pitch fits it; returns the bytes it spans from its base. */
static uint64_t rect_make(struct cs *c, struct rect *r, uint32_t w, uint32_t h)
{
	r->w = w;
	r->h = h;
	r->x = rng_below(R(c), 8);
	r->y = rng_below(R(c), 8);
	r->pitch = 4 * (r->x + r->w + rng_below(R(c), 8));
	if (!r->pitch)
		r->pitch = 4 * (1 + rng_below(R(c), 4));
	if (!w || !h)
		return 4;	/* touches nothing; base inside a target anyway */
	return (uint64_t)(r->y + h - 1) * r->pitch + 4ull * (r->x + w);
}

static uint32_t format(struct cs *c)
{
	return rng_chance(R(c), 50) ? DRM_FORMAT_XRGB8888 : DRM_FORMAT_ARGB8888;
}

static uint32_t rect_dim(struct cs *c)
{
	return rng_chance(R(c), 5) ? 0 : 1 + rng_below(R(c), CS_MAX_RECT);
}

static bool cs_fill_rect(struct cs *c)
{
	struct rect r;
	uint64_t span = rect_make(c, &r, rect_dim(c), rect_dim(c)), dst;

	if (!room(c, 10) || !pick(c, span, 4, true, &dst))
		return false;
	emit(c, pkt(VMSM_CP_FILL_RECT, 9));
	emit64(c, dst);
	emit(c, r.pitch);
	emit(c, format(c));
	emit(c, r.x);
	emit(c, r.y);
	emit(c, r.w);
	emit(c, r.h);
	emit(c, (uint32_t)rng_next(R(c)));
	return true;
}

static bool cs_blit(struct cs *c)
{
	uint32_t w = rect_dim(c), h = rect_dim(c);
	struct rect d, s;
	uint64_t dspan = rect_make(c, &d, w, h), sspan = rect_make(c, &s, w, h);
	uint64_t dst, src;

	if (!room(c, 14) || !pick(c, dspan, 4, true, &dst) ||
	    !pick(c, sspan, 4, false, &src))
		return false;
	emit(c, pkt(VMSM_CP_BLIT, 13));
	emit64(c, dst);
	emit(c, d.pitch);
	emit64(c, src);
	emit(c, s.pitch);
	emit(c, format(c));
	emit(c, d.x);
	emit(c, d.y);
	emit(c, s.x);
	emit(c, s.y);
	emit(c, w);
	emit(c, h);
	return true;
}

static bool cs_timestamp(struct cs *c)
{
	uint64_t va;

	if (!room(c, 3) || !pick(c, 8, 8, true, &va))
		return false;
	emit(c, pkt(VMSM_CP_TIMESTAMP, 2));
	emit64(c, va);
	return true;
}

static void wait_mem(struct cs *c, uint64_t va, uint32_t ref, uint32_t mask,
		     uint32_t func)
{
	emit(c, pkt(VMSM_CP_WAIT_MEM, 5));
	emit64(c, va);
	emit(c, ref);
	emit(c, mask);
	emit(c, func);
}

/* FENCE, sometimes followed by a WAIT_MEM for the value it stored. */
static bool cs_fence(struct cs *c)
{
	uint32_t v = (uint32_t)rng_next(R(c));
	uint64_t va;

	if (!room(c, 10) || !pick(c, 4, 4, true, &va))
		return false;
	emit(c, pkt(VMSM_CP_FENCE, 3));
	emit64(c, va);
	emit(c, v);
	/* rare: another job may overwrite the value meanwhile (a hang) */
	if (rng_chance(R(c), 2))
		wait_mem(c, va, v, 0xffffffff, VMSM_CP_WAIT_EQ);
	return true;
}

/* A WAIT_MEM whose condition holds already. */
static bool cs_wait_true(struct cs *c)
{
	uint32_t r = (uint32_t)rng_next(R(c)), mask;
	uint64_t va;

	if (!room(c, 6))
		return false;
	if (rng_chance(R(c), 10)) {
		/* its own header, which the CP just fetched */
		va = c->va + 4ull * c->n;
		wait_mem(c, va, pkt(VMSM_CP_WAIT_MEM, 5), 0xffffffff,
			 VMSM_CP_WAIT_EQ);
		return true;
	}
	if (!pick(c, 4, 4, false, &va))
		return false;
	switch (rng_below(R(c), 4)) {
	case 0:		/* (v & 0) == 0 */
		wait_mem(c, va, 0, 0, VMSM_CP_WAIT_EQ);
		break;
	case 1:		/* (v & 0) != r, r != 0 */
		wait_mem(c, va, r | 1, 0, VMSM_CP_WAIT_NE);
		break;
	case 2:		/* (v & mask) >= 0 */
		wait_mem(c, va, 0, r, VMSM_CP_WAIT_GE);
		break;
	default:	/* (v & mask) < mask + 1 */
		mask = r >> (1 + rng_below(R(c), 31));
		wait_mem(c, va, mask + 1, mask, VMSM_CP_WAIT_LT);
		break;
	}
	return true;
}

static bool cs_packets(struct cs *c, unsigned int n, bool allow_ib);

/* INDIRECT to a buffer of its own, at most VMSM_CP_MAX_IB_DEPTH deep. */
static bool cs_indirect(struct cs *c, unsigned int max_depth)
{
	struct cs sub;
	uint32_t off;

	if (c->depth >= max_depth || !room(c, 4))
		return false;
	off = bo_ring_alloc(c->ctx, c->slot, CS_IB_DW * 4);
	sub = (struct cs) {
		.ctx = c->ctx, .slot = c->slot, .t = c->t, .nt = c->nt,
		.dw = (uint32_t *)(c->slot->addr + off),
		.va = c->slot->iova + off, .cap = CS_IB_DW,
		.depth = c->depth + 1,
	};
	cs_packets(&sub, 1 + rng_below(R(c), 4), true);
	if (!sub.n)
		emit(&sub, pkt(VMSM_CP_NOP, 0));
	emit(c, pkt(VMSM_CP_INDIRECT, 3));
	emit64(c, sub.va);
	emit(c, sub.n);
	return true;
}

/* INDIRECT to INDIRECT... @levels deep, then a NOP. */
static void cs_chain(struct cs *c, unsigned int levels)
{
	struct cs sub;
	uint32_t off;

	if (!levels || !room(c, 4)) {
		if (room(c, 1))
			emit(c, pkt(VMSM_CP_NOP, 0));
		return;
	}
	off = bo_ring_alloc(c->ctx, c->slot, 64);
	sub = (struct cs) {
		.ctx = c->ctx, .slot = c->slot, .t = c->t, .nt = c->nt,
		.dw = (uint32_t *)(c->slot->addr + off),
		.va = c->slot->iova + off, .cap = 16, .depth = c->depth + 1,
	};
	cs_chain(&sub, levels - 1);
	emit(c, pkt(VMSM_CP_INDIRECT, 3));
	emit64(c, sub.va);
	emit(c, sub.n);
}

/* One valid packet (a NOP if the chosen one does not fit). */
static void cs_packet(struct cs *c, bool allow_ib)
{
	bool ok;

	switch (rng_below(R(c), 20)) {
	case 0: case 1: case 2:
		ok = cs_write(c);
		break;
	case 3: case 4:
		ok = cs_copy(c);
		break;
	case 5: case 6:
		ok = cs_fill(c);
		break;
	case 7: case 8:
		ok = cs_fill_rect(c);
		break;
	case 9: case 10:
		ok = cs_blit(c);
		break;
	case 11: case 12:
		ok = allow_ib && cs_indirect(c, VMSM_CP_MAX_IB_DEPTH);
		break;
	case 13: case 14:
		ok = cs_wait_true(c);
		break;
	case 15:
		ok = cs_timestamp(c);
		break;
	case 16: case 17:
		ok = cs_fence(c);
		break;
	default:
		ok = false;
		break;
	}
	if (!ok)
		cs_nop(c);
}

static bool cs_packets(struct cs *c, unsigned int n, bool allow_ib)
{
	unsigned int i;

	for (i = 0; i < n && room(c, 1); i++)
		cs_packet(c, allow_ib);
	return c->n > 0;
}

/* An address no object of the VM is mapped at (or one the CP refuses). */
static uint64_t bad_address(struct cs *c)
{
	const struct fuzz_dev *d = &fuzz_cfg.dev;

	switch (rng_below(R(c), 5)) {
	case 0:
		return 0;
	case 1:
		return d->va_start - FUZZ_PAGE;
	case 2:
		return (d->va_start + d->va_size) & ~3ull;	/* kernel half */
	case 3:
		return 0xfffffffffffff000ull;
	default:
		return d->va_start + d->va_size - FUZZ_PAGE * (1 + rng_below(R(c), 64));
	}
}

/* One defect; false if none could be emitted. */
static bool cs_defect(struct cs *c, uint32_t *cut)
{
	uint64_t va;
	unsigned int i;

	if (!room(c, 8))
		return false;
	switch (rng_below(R(c), 10)) {
	case 0:		/* random dwords */
		for (i = 0; i < 1 + rng_below(R(c), 4); i++)
			emit(c, (uint32_t)rng_next(R(c)));
		return true;
	case 1:		/* reserved header bits */
		emit(c, pkt(VMSM_CP_NOP, 0) | (1u << (16 + rng_below(R(c), 8))));
		return true;
	case 2:		/* unknown opcode, or a payload length not the opcode's */
		if (rng_chance(R(c), 50))
			emit(c, pkt(VMSM_CP_CONVERT + 1 + rng_below(R(c), 0xf5), 0));
		else
			emit(c, pkt(VMSM_CP_COPY + rng_below(R(c), 8), 1));
		return true;
	case 3:		/* a write where nothing is mapped */
		emit(c, pkt(VMSM_CP_FENCE, 3));
		emit64(c, bad_address(c));
		emit(c, 0);
		return true;
	case 4:		/* misaligned */
		if (!pick(c, 8, 4, true, &va))
			return false;
		emit(c, pkt(VMSM_CP_TIMESTAMP, 2));
		emit64(c, va | 4 | (rng_below(R(c), 4)));
		return true;
	case 5:		/* a write to a GPU read-only object */
		for (i = 0; i < c->nt; i++) {
			if (!c->t[i].writable && c->t[i].size >= 4) {
				emit(c, pkt(VMSM_CP_FENCE, 3));
				emit64(c, c->t[i].iova);
				emit(c, 1);
				return true;
			}
		}
		return false;
	case 6:		/* the last packet runs past the end of the stream */
		emit(c, pkt(VMSM_CP_NOP, 1 + rng_below(R(c), 0xffff)));
		*cut = c->n;
		return true;
	case 7:		/* cut in the middle of a packet */
		if (!cs_write(c))
			return false;
		*cut = c->n - 1 - rng_below(R(c), 3);
		return true;
	case 8:		/* INDIRECT nested one level too deep, or into nowhere */
		if (rng_chance(R(c), 50)) {
			emit(c, pkt(VMSM_CP_INDIRECT, 3));
			emit64(c, bad_address(c));
			emit(c, 1 + rng_below(R(c), 16));
			return true;
		}
		cs_chain(c, VMSM_CP_MAX_IB_DEPTH + 1);
		return true;
	default:	/* overlapping COPY */
		if (!pick(c, 64, 4, true, &va))
			return false;
		emit(c, pkt(VMSM_CP_COPY, 6));
		emit64(c, va);
		emit64(c, va + 4 * rng_below(R(c), 8));
		emit64(c, 32);
		return true;
	}
}

/*
 * Builds a stream of a few packets in @slot's ring (the caller holds
 * bo_lock) accessing @t; false if there is no target to build from.
 */
bool cs_build(struct fuzz_ctx *ctx, struct fuzz_slot *slot,
	      const struct cs_target *t, unsigned int nt,
	      enum cs_defect defect, struct cs_stream *out)
{
	uint32_t off = bo_ring_alloc(ctx, slot, CS_MAX_DW * 4), cut = 0;
	struct cs c = {
		.ctx = ctx, .slot = slot, .t = t, .nt = nt,
		.dw = (uint32_t *)(slot->addr + off), .va = slot->iova + off,
		.cap = CS_MAX_DW,
	};
	unsigned int n = 1 + rng_below(&ctx->rng, 12), at;

	if (!nt)
		return false;
	at = rng_below(&ctx->rng, n + 1);
	cs_packets(&c, at, true);
	if (defect == CS_GARBAGE && !cs_defect(&c, &cut))
		emit(&c, (uint32_t)rng_next(&ctx->rng) | VMSM_CP_RESERVED_MASK);
	if (!cut)
		cs_packets(&c, n - at, true);
	if (defect == CS_HANG && room(&c, 6)) {
		uint64_t va = c.va;

		pick(&c, 4, 4, false, &va);
		wait_mem(&c, va, 1, 0, VMSM_CP_WAIT_EQ);	/* never */
	}
	if (!c.n)
		emit(&c, pkt(VMSM_CP_NOP, 0));
	out->offset = off;
	out->iova = c.va;
	out->ndw = cut ? cut : c.n;
	if (!out->ndw)
		out->ndw = 1;
	return true;
}
