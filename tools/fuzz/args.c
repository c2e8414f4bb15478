// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Argument generators. Every call has a mode: FUZZ_VALID builds an
 * argument a well-behaved client would send, FUZZ_BOUNDARY and
 * FUZZ_INVALID keep each field valid with even odds and otherwise replace
 * it by a boundary value (0, 1, max, page size +-1, sizes that overflow
 * when multiplied...) or by garbage (bad flags, non-zero pads, stale or
 * foreign handles, bad pointers).
 *
 * Pointers handed to the kernel only ever point into scratch memory (the
 * thread's arenas, the process's victim mapping, a read-only array) or at
 * addresses that are never mapped, so that whatever the kernel writes
 * can't corrupt the fuzzer's own state.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fuzz.h"

/*
 * Read-only memory: the kernel may read it, every write must fail. It may
 * be read as an ioctl argument, so it holds small values only: a count of
 * 0xffffffff from here would bypass FUZZ_MAX_COUNT.
 */
static const uint32_t ro_area[2 * FUZZ_PAGE / 4] __attribute__((aligned(FUZZ_PAGE))) = {
	1, 2, 3, 0, 4, 0, 1, 1, 0, 8, 0, 2,
};

static const uint64_t boundary[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64,
	0x7f, 0x80, 0xff, 0x100,
	FUZZ_PAGE - 1, FUZZ_PAGE, FUZZ_PAGE + 1,
	0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	0x100000000ull, 0x100000001ull,
	0x20000000,			/* * 8 overflows 32 bits */
	0x40000000,			/* * 4 overflows 32 bits */
	0x1fffffffffffffffull,		/* * 8 overflows 64 bits */
	0x3fffffffffffffffull,		/* * 4 overflows 64 bits */
	0x7fffffffffffffffull, 0x8000000000000000ull,
	0xfffffffffffff000ull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
};

/* The mode of one field of the argument being built. */
enum fuzz_mode fuzz_field(struct fuzz_ctx *ctx)
{
	if (ctx->mode == FUZZ_VALID || rng_chance(&ctx->rng, 50))
		return FUZZ_VALID;
	return ctx->mode;
}

uint64_t fuzz_boundary64(struct fuzz_ctx *ctx)
{
	return boundary[rng_below(&ctx->rng, ARRAY_SIZE(boundary))];
}

static uint64_t garbage64(struct fuzz_ctx *ctx, uint64_t valid)
{
	switch (rng_below(&ctx->rng, 5)) {
	case 0:
		return rng_next(&ctx->rng);
	case 1:
		return (uint32_t)rng_next(&ctx->rng);
	case 2:
		return 1ull << rng_below(&ctx->rng, 64);
	case 3:
		return valid ^ (1ull << rng_below(&ctx->rng, 64));
	default:
		return valid + 1 + rng_below(&ctx->rng, 16);
	}
}

uint64_t fuzz_value64(struct fuzz_ctx *ctx, uint64_t valid)
{
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		return fuzz_boundary64(ctx);
	case FUZZ_INVALID:
		return garbage64(ctx, valid);
	default:
		return valid;
	}
}

uint32_t fuzz_value32(struct fuzz_ctx *ctx, uint32_t valid)
{
	return (uint32_t)fuzz_value64(ctx, valid);
}

/* Padding and reserved fields: zero unless the call is invalid. */
uint32_t fuzz_pad(struct fuzz_ctx *ctx)
{
	if (fuzz_field(ctx) != FUZZ_INVALID)
		return 0;
	switch (rng_below(&ctx->rng, 3)) {
	case 0:
		return 1;
	case 1:
		return 0x80000000;
	default:
		return (uint32_t)rng_next(&ctx->rng) | 1;
	}
}

uint32_t fuzz_flags(struct fuzz_ctx *ctx, uint32_t valid_mask)
{
	uint32_t unknown = ~valid_mask;

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		switch (rng_below(&ctx->rng, 3)) {
		case 0:
			return 0;
		case 1:
			return valid_mask;
		default:
			return valid_mask | (unknown & -unknown);
		}
	case FUZZ_INVALID:
		if (!unknown)
			return (uint32_t)rng_next(&ctx->rng);
		return ((uint32_t)rng_next(&ctx->rng) & valid_mask) |
		       (1u << __builtin_ctz(unknown)) |
		       ((uint32_t)rng_next(&ctx->rng) & unknown);
	default:
		return (uint32_t)rng_next(&ctx->rng) & valid_mask;
	}
}

/* One of @vals (sorted ascending), or just outside them, or garbage. */
uint32_t fuzz_enum(struct fuzz_ctx *ctx, const uint32_t *vals, unsigned int n)
{
	static const uint32_t edges[] = { 0, 0x7fffffff, 0x80000000, 0xffffffff };

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		switch (rng_below(&ctx->rng, 3)) {
		case 0:
			return vals[0] - 1;
		case 1:
			return vals[n - 1] + 1;
		default:
			return edges[rng_below(&ctx->rng, ARRAY_SIZE(edges))];
		}
	case FUZZ_INVALID:
		return (uint32_t)garbage64(ctx, vals[n - 1]);
	default:
		return vals[rng_below(&ctx->rng, n)];
	}
}

/*
 * A handle of @kind: valid ones come from the pool for the target's DRM
 * file (or are small integers, which idr hands out first); invalid ones
 * belong to another file, another kind, or nothing at all.
 */
uint32_t fuzz_handle(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind)
{
	static const uint32_t edges[] = { 0, 0x7fffffff, 0x80000000, 0xffffffff };
	struct fuzz_obj o;

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		return edges[rng_below(&ctx->rng, ARRAY_SIZE(edges))];
	case FUZZ_INVALID:
		switch (rng_below(&ctx->rng, 3)) {
		case 0:
			if (pool_pick_obj(ctx, kind, 0, &o))
				return o.handle;	/* maybe another file's */
			break;
		case 1:
			if (pool_pick_obj(ctx, (kind + 1) % OBJ_NR_KINDS,
					  0, &o))
				return o.handle;	/* another kind */
			break;
		}
		return (uint32_t)rng_next(&ctx->rng);
	default:
		if (!rng_chance(&ctx->rng, 10) &&
		    pool_pick_obj(ctx, kind, ctx->target.file, &o))
			return o.handle;
		return 1 + rng_below(&ctx->rng, 4);
	}
}

/* Whether counts of the current call must stay <= FUZZ_MAX_COUNT. */
bool fuzz_counts_capped(struct fuzz_ctx *ctx)
{
	return !fuzz_cfg.unsafe_counts && ctx->io &&
	       (ctx->io->flags & FUZZ_F_CAP_COUNTS);
}

/*
 * An element count: @valid, a boundary count, or garbage. Capped at
 * FUZZ_MAX_COUNT for FUZZ_F_CAP_COUNTS ioctls (see fuzz.h).
 */
uint32_t fuzz_count(struct fuzz_ctx *ctx, uint32_t valid)
{
	static const uint32_t edges[] = {
		0, 1, 2, 255, 256, 1023, 1024, 1025, FUZZ_PAGE / 8,
		FUZZ_PAGE / 4 + 1, FUZZ_MAX_COUNT - 1, FUZZ_MAX_COUNT,
	};
	static const uint32_t unsafe[] = {
		0x20000000, 0x40000000, 0x7fffffff, 0x80000000, 0xffffffff,
	};

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		if (!fuzz_counts_capped(ctx) && rng_chance(&ctx->rng, 30))
			return unsafe[rng_below(&ctx->rng, ARRAY_SIZE(unsafe))];
		if (rng_chance(&ctx->rng, 30))
			return valid ? valid + rng_below(&ctx->rng, 3) - 1 :
				       rng_below(&ctx->rng, 2);
		return edges[rng_below(&ctx->rng, ARRAY_SIZE(edges))];
	case FUZZ_INVALID:
		if (!fuzz_counts_capped(ctx))
			return (uint32_t)rng_next(&ctx->rng);
		return rng_below(&ctx->rng, FUZZ_MAX_COUNT + 1);
	default:
		return valid;
	}
}

/* An fd-valued field: a pool fd of one of @kinds, or a bad one. */
int fuzz_fd_arg(struct fuzz_ctx *ctx, unsigned int kinds)
{
	static const int edges[] = { -1, 0, INT_MAX, INT_MIN, FUZZ_NOFILE };
	struct fuzz_fd f;

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		return edges[rng_below(&ctx->rng, ARRAY_SIZE(edges))];
	case FUZZ_INVALID:
		if (rng_chance(&ctx->rng, 50) &&
		    pool_pick_fd(ctx, ~kinds & ~FD_RESERVED, false, &f))
			return f.fd;			/* wrong kind */
		return 3 + rng_below(&ctx->rng, FUZZ_NOFILE - 3);
	default:
		if (pool_pick_fd(ctx, kinds, false, &f))
			return f.fd;
		return 3 + rng_below(&ctx->rng, 32);
	}
}

int64_t fuzz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * An absolute CLOCK_MONOTONIC timeout. Valid ones expire within 50 ms;
 * boundary and garbage ones may never expire, and the watchdog timer
 * interrupts the call (EINTR).
 */
int64_t fuzz_timeout(struct fuzz_ctx *ctx)
{
	static const int64_t edges[] = {
		0, 1, -1, INT64_MAX, INT64_MIN, INT64_MAX - 1,
	};

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		if (rng_chance(&ctx->rng, 20))
			return fuzz_now_ns();
		return edges[rng_below(&ctx->rng, ARRAY_SIZE(edges))];
	case FUZZ_INVALID:
		return (int64_t)rng_next(&ctx->rng);
	default:
		switch (rng_below(&ctx->rng, 10)) {
		case 0: case 1: case 2: case 3: case 4:
			return 0;
		case 5:
			return fuzz_now_ns() + rng_below(&ctx->rng, 50000000);
		default:
			return fuzz_now_ns() + rng_below(&ctx->rng, 2000000);
		}
	}
}

/*
 * An absolute CLOCK_MONOTONIC deadline for the vmsm waits, which must
 * never keep a call long: in the past (0, negative, S64_MIN, just now,
 * a while ago) or within 20 ms. The watchdog still bounds the call if the
 * kernel gets a past deadline wrong.
 */
int64_t fuzz_short_timeout(struct fuzz_ctx *ctx)
{
	static const int64_t past[] = {
		0, 1, -1, INT64_MIN, INT64_MIN + 1, -1000000000,
	};
	int64_t now = fuzz_now_ns();

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		if (rng_chance(&ctx->rng, 50))
			return now;
		return past[rng_below(&ctx->rng, ARRAY_SIZE(past))];
	case FUZZ_INVALID:
		/* anything at or before now, down to S64_MIN + 1 + now */
		return now - (int64_t)(rng_next(&ctx->rng) >>
				       (1 + rng_below(&ctx->rng, 63)));
	default:
		switch (rng_below(&ctx->rng, 10)) {
		case 0: case 1: case 2:
			return 0;
		case 3:
			return now - rng_below(&ctx->rng, 1000000000);
		case 4: case 5: case 6:
			return now + rng_below(&ctx->rng, 2000000);
		default:
			return now + rng_below(&ctx->rng, 20000000);
		}
	}
}

/*
 * Scratch buffer of @len bytes for an embedded array or string. Mostly
 * bump-allocated, sometimes placed to end exactly at the guard page, so
 * that reading one byte too many faults; a buffer larger than the area
 * runs into the guard page.
 */
void *fuzz_buf(struct fuzz_ctx *ctx, size_t len)
{
	size_t off;

	if (len >= FUZZ_BUF_AREA)
		return ctx->bufs;
	if (rng_chance(&ctx->rng, 15) ||
	    ctx->buf_used + len > FUZZ_BUF_AREA)
		return ctx->bufs + FUZZ_BUF_AREA - len;
	off = ctx->buf_used;
	ctx->buf_used = (off + len + 7) & ~(size_t)7;
	return ctx->bufs + off;
}

/*
 * A pointer to @len bytes that are not (all) there. Addresses inside the
 * fuzzer's own memory stay inside scratch areas that end in a guard page,
 * so the kernel faults before it reaches anything else.
 */
uint64_t fuzz_bad_ptr(struct fuzz_ctx *ctx, size_t len)
{
	uintptr_t guard = (uintptr_t)ctx->bufs + FUZZ_BUF_AREA;
	size_t span = len < FUZZ_BUF_AREA ? len : FUZZ_BUF_AREA;
	size_t in = span > 1 ? 1 + rng_below(&ctx->rng, span - 1) : 0;

	switch (rng_below(&ctx->rng, 11)) {
	case 0:
		ctx->ptr_note = "null";
		return 0;
	case 1:
		ctx->ptr_note = "one";
		return 1;
	case 2:
		ctx->ptr_note = "page-1";
		return FUZZ_PAGE - 1;
	case 3:
		ctx->ptr_note = "prot-none";
		return guard;
	case 4:
		ctx->ptr_note = "straddle";
		return guard - in;
	case 5:
		ctx->ptr_note = "victim";
		return (uintptr_t)(ctx->proc->victim +
				   8 * rng_below(&ctx->rng, FUZZ_VICTIM_SIZE / 8));
	case 6:
		ctx->ptr_note = "read-only";
		return (uintptr_t)(ro_area + 8 * rng_below(&ctx->rng, 64));
	case 7:
		ctx->ptr_note = "kernel";
		return 0xffff800000000000ull + FUZZ_PAGE * rng_below(&ctx->rng, 16);
	case 8:
		ctx->ptr_note = "non-canonical";
		return 0x8000000000000000ull;
	case 9:
		ctx->ptr_note = "wrap";
		return ~0ull - in;
	default:
		/* odd address whose last 1..7 bytes are in the guard page */
		ctx->ptr_note = "misaligned";
		return guard - span + 1 + rng_below(&ctx->rng, 7);
	}
}

/*
 * A bad pointer for the argument itself. The victim mapping holds random
 * bytes and whatever the kernel wrote there, so ioctls whose counts must
 * stay capped read their argument from the read-only area instead.
 */
uint64_t fuzz_bad_arg(struct fuzz_ctx *ctx, size_t len)
{
	uint64_t p = fuzz_bad_ptr(ctx, len);
	uintptr_t victim = (uintptr_t)ctx->proc->victim;

	if (fuzz_counts_capped(ctx) && p >= victim &&
	    p < victim + FUZZ_VICTIM_SIZE) {
		ctx->ptr_note = "read-only";
		return (uintptr_t)ro_area;
	}
	return p;
}

/*
 * A pointer field: @valid (len bytes), or a bad pointer. A valid one is
 * sometimes a copy of @valid in a mapped buffer object of the process, so
 * that the kernel's copy_from_user()/copy_to_user() fault on a GEM
 * mapping (the shmem fault handler takes the object's reservation lock).
 */
uint64_t fuzz_ptr(struct fuzz_ctx *ctx, const void *valid, size_t len)
{
	uint64_t p;

	if (fuzz_field(ctx) == FUZZ_VALID) {
		if (len && rng_chance(&ctx->rng, 6)) {
			p = bo_ptr_copy(ctx, valid, len);
			if (p) {
				ctx->ptr_note = "bo-mapping";
				return p;
			}
		}
		return (uintptr_t)valid;
	}
	return fuzz_bad_ptr(ctx, len);
}

/*
 * Where the top-level argument goes: near the start of the argument
 * area, ending right at its guard page, or misaligned.
 */
void *fuzz_arg_place(struct fuzz_ctx *ctx, size_t len)
{
	unsigned int r = rng_below(&ctx->rng, 10);

	if (len > FUZZ_ARG_AREA - FUZZ_PAGE)
		return ctx->args;
	if (r < 7)
		return ctx->args + 8 * rng_below(&ctx->rng, FUZZ_PAGE / 8);
	if (r < 9)
		return ctx->args + FUZZ_ARG_AREA - len;
	return ctx->args + 1 + rng_below(&ctx->rng, 7);
}

/*
 * The request with its size and direction bits changed: the DRM core
 * copies in and out _IOC_SIZE(request) bytes and zero-extends short
 * arguments, so this reaches the handlers with truncated or padded
 * arguments. The number stays the same.
 */
unsigned long fuzz_mutate_req(struct fuzz_ctx *ctx, unsigned long req)
{
	unsigned int size = _IOC_SIZE(req);
	unsigned int dir = _IOC_DIR(req);

	switch (rng_below(&ctx->rng, 5)) {
	case 0:
		size = size ? size - 1 - rng_below(&ctx->rng, size) : 0;
		break;
	case 1:
		size += 1 + rng_below(&ctx->rng, 64);
		break;
	case 2:
		size = rng_below(&ctx->rng, FUZZ_ARG_AREA - FUZZ_PAGE);
		break;
	case 3:
		size = (1 << _IOC_SIZEBITS) - 1;
		break;
	default:
		dir = rng_below(&ctx->rng, 4);
		break;
	}
	ctx->ptr_note = "mutated-request";
	return _IOC(dir, _IOC_TYPE(req), _IOC_NR(req), size);
}
