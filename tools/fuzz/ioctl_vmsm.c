// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm driver ioctls (include/uapi/drm/vmsm_drm.h).
 *
 * Adding an ioctl is one generator and one table entry, as for
 * SUBMITQUEUE_NEW below (simplified):
 *
 *	static void gen_submitqueue_new(struct fuzz_ctx *ctx, void *arg)
 *	{
 *		struct drm_vmsm_submitqueue *a = arg;	(zeroed)
 *
 *		a->flags = fuzz_flags(ctx, 0);
 *		a->prio = fuzz_value32(ctx, rng_below(&ctx->rng, fuzz_cfg.dev.nr_rings));
 *		a->id = fuzz_value32(ctx, 0);
 *		a->pad = fuzz_pad(ctx);
 *	}
 *
 *	static void done_submitqueue_new(struct fuzz_ctx *ctx, void *arg)
 *	{
 *		struct drm_vmsm_submitqueue *a = arg;
 *
 *		pool_add_obj(ctx, OBJ_QUEUE, ctx->target.file, a->id, 0);
 *	}
 *
 *	FUZZ_IOCTL(VMSM_SUBMITQUEUE_NEW, 4, 0, gen_submitqueue_new,
 *		   done_submitqueue_new),
 *
 * The fuzz_*() helpers (args.c) pick valid, boundary or invalid values by
 * themselves according to the call's mode; fuzz_handle(ctx, OBJ_GEM) then
 * names the objects the done() hooks remembered, fuzz_buf() and fuzz_ptr()
 * build embedded arrays, fuzz_count() their lengths. An ioctl that may
 * sleep gets FUZZ_F_BLOCKING so that a watchdog signal bounds it; a new
 * kind of object gets an OBJ_* entry in fuzz.h. Element counts go through
 * fuzz_count(); vmsm entries get the whole u32 range (no
 * FUZZ_F_CAP_COUNTS): the driver must bound what it allocates. A
 * generator may retarget the call (ctx->target), leave notes for its
 * done() in ctx->gen_state, and make helper calls with fuzz_prep();
 * FUZZ_IOCTL_FAIL() adds a fail() hook that sees the errno.
 *
 * Deadlines of the vmsm waits (CPU_PREP, WAIT_FENCE) are in the past or
 * at most 20 ms ahead (fuzz_short_timeout()), so no call waits long even
 * for a job that hangs until the 2 s job timeout.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fuzz.h"

#define PAGE_ALIGN(x)	(((x) + FUZZ_PAGE - 1) & ~(uint64_t)(FUZZ_PAGE - 1))

static void gen_get_param(struct fuzz_ctx *ctx, void *arg)
{
	static const uint32_t params[] = {
		VMSM_PARAM_CHIP_ID, VMSM_PARAM_DEVICE_INDEX,
		VMSM_PARAM_VA_START, VMSM_PARAM_VA_SIZE, VMSM_PARAM_VA_BITS,
		VMSM_PARAM_PAGE_SIZES, VMSM_PARAM_COHERENT,
		VMSM_PARAM_MAX_BO_SIZE, VMSM_PARAM_NR_RINGS,
		VMSM_PARAM_TIMESTAMP_FREQUENCY, VMSM_PARAM_TIMESTAMP,
	};
	struct drm_vmsm_get_param *p = arg;

	p->param = fuzz_enum(ctx, params, ARRAY_SIZE(params));
	p->pad = fuzz_pad(ctx);
	p->value = fuzz_value64(ctx, 0);
}

/* ---- buffer objects ---- */

/* Mostly small, up to FUZZ_BO_POOLED_MAX, page multiples or not. */
static uint64_t bo_size_valid(struct fuzz_ctx *ctx)
{
	switch (rng_below(&ctx->rng, 20)) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
		return FUZZ_PAGE * (1 + rng_below(&ctx->rng, 16));
	case 8: case 9: case 10:
		return 1 + rng_below(&ctx->rng, 65536);
	case 11: case 12: case 13: case 14: case 15: case 16:
		return FUZZ_PAGE * (16 + rng_below(&ctx->rng, 241));
	default:
		return (1u << 20) + rng_below(&ctx->rng, FUZZ_BO_POOLED_MAX - (1u << 20) + 1);
	}
}

static uint64_t bo_size(struct fuzz_ctx *ctx)
{
	uint64_t max = fuzz_cfg.dev.max_bo_size;
	const uint64_t edges[] = {
		0, 1, FUZZ_PAGE - 1, FUZZ_PAGE, FUZZ_PAGE + 1,
		FUZZ_BO_POOLED_MAX, max, max - 1, max - FUZZ_PAGE + 1, max + 1,
		max + FUZZ_PAGE, 1ull << 63, UINT64_MAX,
		UINT64_MAX - FUZZ_PAGE + 2,	/* PAGE_ALIGN() wraps to 0 */
	};

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		if (rng_chance(&ctx->rng, 30))
			return fuzz_boundary64(ctx);
		return edges[rng_below(&ctx->rng, ARRAY_SIZE(edges))];
	case FUZZ_INVALID:
		switch (rng_below(&ctx->rng, 3)) {
		case 0:
			return rng_next(&ctx->rng);
		case 1:
			return max + 1 + (rng_next(&ctx->rng) >> rng_below(&ctx->rng, 64));
		default:
			return -(uint64_t)rng_below(&ctx->rng, 1u << 20);
		}
	default:
		return bo_size_valid(ctx);
	}
}

/* One cache mode (COHERENT only where it is valid), GPU read-only and no-share at random. */
static uint32_t bo_flags_valid(struct fuzz_ctx *ctx)
{
	static const uint32_t modes[] = {
		VMSM_BO_CACHED, VMSM_BO_CACHED, VMSM_BO_WC, VMSM_BO_UNCACHED,
		VMSM_BO_CACHED_COHERENT,
	};
	uint32_t mode = modes[rng_below(&ctx->rng, ARRAY_SIZE(modes))];

	if (mode == VMSM_BO_CACHED_COHERENT && !fuzz_cfg.dev.coherent)
		mode = VMSM_BO_CACHED;
	return mode | (rng_chance(&ctx->rng, 15) ? VMSM_BO_GPU_READONLY : 0) |
	       (rng_chance(&ctx->rng, 15) ? VMSM_BO_NO_SHARE : 0);
}

static uint32_t bo_flags(struct fuzz_ctx *ctx)
{
	uint32_t extra = (uint32_t)rng_next(&ctx->rng) &
			 (VMSM_BO_GPU_READONLY | VMSM_BO_NO_SHARE);

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		switch (rng_below(&ctx->rng, 4)) {
		case 0:		/* no cache mode */
			return extra;
		case 1:		/* the first undefined cache modes */
			return (5 + rng_below(&ctx->rng, 11)) | extra;
		case 2:		/* coherent, -EINVAL on a non-coherent device */
			return VMSM_BO_CACHED_COHERENT | extra;
		default:
			return VMSM_BO_FLAGS;
		}
	case FUZZ_INVALID:
		return fuzz_flags(ctx, VMSM_BO_FLAGS) | bo_flags_valid(ctx);
	default:
		return bo_flags_valid(ctx);
	}
}

/*
 * GEM_NEW. Sizes a pooled DRM file may get stay at or below
 * FUZZ_BO_POOLED_MAX; a bigger valid size (up to the device's maximum,
 * 4 GiB) goes to a private file closed right after the call, so that no
 * other call can pin it.
 */
static void gen_gem_new(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_gem_new *a = arg;

	a->size = bo_size(ctx);
	a->flags = bo_flags(ctx);
	a->handle = fuzz_value32(ctx, 0);
	if (a->size > FUZZ_BO_POOLED_MAX && a->size <= fuzz_cfg.dev.max_bo_size &&
	    !worker_open_private(ctx))
		a->size = fuzz_cfg.dev.max_bo_size + 1;
}

static void done_gem_new(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_gem_new *a = arg;

	if (ctx->private_fd < 0)
		pool_add_gem(ctx, ctx->target.file, a->handle,
			     PAGE_ALIGN(a->size), a->flags, 0);
}

static void gen_gem_info(struct fuzz_ctx *ctx, void *arg)
{
	static const uint32_t infos[] = {
		VMSM_INFO_GET_MMAP_OFFSET, VMSM_INFO_GET_IOVA,
		VMSM_INFO_GET_SIZE, VMSM_INFO_GET_FLAGS, VMSM_INFO_SET_NAME,
		VMSM_INFO_GET_NAME,
	};
	static const uint32_t lens[] = { 0, 1, 2, 8, 30, 31, 32, 33, 64, 200 };
	struct drm_vmsm_gem_info *a = arg;
	uint32_t n = lens[rng_below(&ctx->rng, ARRAY_SIZE(lens))], i;
	char *buf;

	a->handle = fuzz_handle(ctx, OBJ_GEM);
	a->info = fuzz_enum(ctx, infos, ARRAY_SIZE(infos));
	a->pad = fuzz_pad(ctx);
	switch (a->info) {
	case VMSM_INFO_SET_NAME:
		buf = fuzz_buf(ctx, n + 1);
		for (i = 0; i < n; i++) {
			switch (rng_below(&ctx->rng, 10)) {
			case 0:
				buf[i] = (char)rng_next(&ctx->rng);	/* control, high */
				break;
			case 1:
				buf[i] = rng_chance(&ctx->rng, 20) ? 0 : '%';
				break;
			default:
				buf[i] = 'a' + rng_below(&ctx->rng, 26);
				break;
			}
		}
		buf[n] = 0;
		a->value = fuzz_ptr(ctx, buf, n);
		a->len = fuzz_value32(ctx, n);
		break;
	case VMSM_INFO_GET_NAME:
		buf = fuzz_buf(ctx, n);
		a->value = fuzz_ptr(ctx, buf, n);
		a->len = fuzz_value32(ctx, n);
		break;
	default:
		a->value = fuzz_value64(ctx, 0);	/* output only */
		a->len = fuzz_value32(ctx, 0);
		break;
	}
}

static void done_gem_info(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_gem_info *a = arg;
	struct fuzz_obj learned = { .flags = FUZZ_BO_FLAGS_UNKNOWN };

	switch (a->info) {
	case VMSM_INFO_GET_MMAP_OFFSET:
		learned.mmap_off = a->value;
		break;
	case VMSM_INFO_GET_IOVA:
		learned.iova = a->value;
		break;
	case VMSM_INFO_GET_SIZE:
		learned.size = a->value;
		break;
	case VMSM_INFO_GET_FLAGS:
		learned.flags = (uint32_t)a->value;
		break;
	default:
		return;
	}
	pool_update_gem(ctx, ctx->target.file, a->handle, &learned);
}

static uint32_t prep_op(struct fuzz_ctx *ctx)
{
	static const uint32_t ops[] = {
		VMSM_PREP_READ, VMSM_PREP_WRITE, VMSM_PREP_READ | VMSM_PREP_WRITE,
	};
	uint32_t op = ops[rng_below(&ctx->rng, ARRAY_SIZE(ops))];

	if (rng_chance(&ctx->rng, 35))
		op |= VMSM_PREP_NOSYNC;
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		switch (rng_below(&ctx->rng, 3)) {
		case 0:
			return 0;
		case 1:
			return VMSM_PREP_NOSYNC;	/* no access announced */
		default:
			return VMSM_PREP_FLAGS;
		}
	case FUZZ_INVALID:
		return fuzz_flags(ctx, VMSM_PREP_FLAGS) | op;
	default:
		return op;
	}
}

/* CPU_PREP waits up to its deadline: past or within 20 ms, never long. */
/*
 * A byte range of the object named by *handle (picked from the pool):
 * inside it, the whole object (0, 0), or at and past its edges.
 */
static void sync_range(struct fuzz_ctx *ctx, __u32 *handle, __u64 *offset,
		       __u64 *size)
{
	struct fuzz_obj o = { .size = 0 };
	uint64_t len;

	if (pool_pick_obj(ctx, OBJ_GEM, ctx->target.file, &o))
		*handle = o.handle;
	else
		*handle = fuzz_handle(ctx, OBJ_GEM);
	len = o.size ? o.size : FUZZ_PAGE;
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		switch (rng_below(&ctx->rng, 4)) {
		case 0:
			*offset = len;
			*size = 1;
			break;
		case 1:
			*offset = len - 1;
			*size = 2;
			break;
		case 2:
			*offset = 1;
			*size = 0;
			break;
		default:
			*offset = UINT64_MAX - rng_below(&ctx->rng, 2);
			*size = 2;
			break;
		}
		break;
	case FUZZ_INVALID:
		*offset = rng_next(&ctx->rng) >> rng_below(&ctx->rng, 64);
		*size = rng_next(&ctx->rng) >> rng_below(&ctx->rng, 64);
		break;
	default:
		if (rng_chance(&ctx->rng, 30)) {
			*offset = *size = 0;
			break;
		}
		*offset = rng_below(&ctx->rng, len);
		*size = 1 + rng_below(&ctx->rng, len - *offset);
		break;
	}
	if (fuzz_field(ctx) != FUZZ_VALID)
		*handle = fuzz_handle(ctx, OBJ_GEM);
}

static void gen_gem_cpu_prep(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_gem_cpu_prep *a = arg;

	sync_range(ctx, &a->handle, &a->offset, &a->size);
	a->op = prep_op(ctx);
	a->timeout_ns = fuzz_short_timeout(ctx);
}

static void gen_gem_cpu_fini(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_gem_cpu_fini *a = arg;

	sync_range(ctx, &a->handle, &a->offset, &a->size);
	a->pad = fuzz_pad(ctx);
}

#define SYNC_OPS	8

static uint32_t submit_count(struct fuzz_ctx *ctx, uint32_t valid, uint32_t max);

/* GEM_SYNC: a few ranges of pool objects to the CPU or to the device. */
static void gen_gem_sync(struct fuzz_ctx *ctx, void *arg)
{
	static const uint32_t ops[] = { VMSM_SYNC_TO_CPU, VMSM_SYNC_TO_DEVICE };
	struct drm_vmsm_gem_sync_op *op = fuzz_buf(ctx, SYNC_OPS * sizeof(*op));
	struct drm_vmsm_gem_sync *a = arg;
	uint32_t n = rng_below(&ctx->rng, 5), i;

	for (i = 0; i < n; i++) {
		memset(&op[i], 0, sizeof(op[i]));
		sync_range(ctx, &op[i].handle, &op[i].offset, &op[i].size);
		op[i].op = fuzz_enum(ctx, ops, ARRAY_SIZE(ops));
		op[i].access = op[i].op == VMSM_SYNC_TO_CPU ?
			       fuzz_flags(ctx, VMSM_PREP_READ | VMSM_PREP_WRITE) :
			       fuzz_flags(ctx, 0);
		op[i].pad = fuzz_pad(ctx);
	}
	a->ops = fuzz_ptr(ctx, op, n * sizeof(*op));
	a->nr_ops = submit_count(ctx, n, VMSM_SYNC_MAX_OPS);
	a->flags = fuzz_flags(ctx, 0);
}

/*
 * MADVISE: DONTNEED objects may be purged by the shrinker (see the shrink
 * action), after which only GEM_CLOSE works on them; WILLNEED brings
 * unpurged ones back.
 */
static void gen_gem_madvise(struct fuzz_ctx *ctx, void *arg)
{
	static const uint32_t advice[] = { VMSM_MADV_WILLNEED, VMSM_MADV_DONTNEED };
	struct drm_vmsm_gem_madvise *a = arg;

	a->handle = fuzz_handle(ctx, OBJ_GEM);
	a->madv = fuzz_enum(ctx, advice, ARRAY_SIZE(advice));
	a->retained = fuzz_value32(ctx, 0);	/* output */
	a->pad = fuzz_pad(ctx);
}

/* ---- submission ---- */

#define SUBMIT_TARGETS	4	/* objects a clean stream may access */
#define SUBMIT_BOS	10	/* list entries in valid mode, duplicates included */
#define SUBMIT_CMDS	3
#define SUBMIT_SYNCOBJS	4

/* What gen_gem_submit() leaves for done_gem_submit(), in ctx->gen_state. */
struct submit_state {
	uint32_t defect;	/* enum cs_defect of the last stream */
	uint32_t fallback;	/* no cmd slot: 1 listed object, 2 raw address */
	uint32_t nr_out;
	uint32_t out_handle[SUBMIT_SYNCOBJS];
	uint64_t out_point[SUBMIT_SYNCOBJS];
};

_Static_assert(sizeof(struct submit_state) <= sizeof(((struct fuzz_ctx *)0)->gen_state),
	       "gen_state too small");

static bool bo_listed(const struct drm_vmsm_submit_bo *bos, uint32_t n,
		      uint32_t handle)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (bos[i].handle == handle)
			return true;
	return false;
}

static uint32_t bo_use(struct fuzz_ctx *ctx)
{
	static const uint32_t uses[] = {
		VMSM_SUBMIT_BO_READ, VMSM_SUBMIT_BO_WRITE,
		VMSM_SUBMIT_BO_READ | VMSM_SUBMIT_BO_WRITE,
	};

	return uses[rng_below(&ctx->rng, ARRAY_SIZE(uses))];
}

/*
 * The objects of a job: the cmd object (when the streams go by handle),
 * the objects the streams access (mapped and checked with GEM_INFO, see
 * bo_learn()), a few more of the file. Fills @t with the GPU ranges the
 * streams may use. Caller holds bo_lock.
 */
static uint32_t submit_bos(struct fuzz_ctx *ctx, struct fuzz_slot *slot,
			   bool by_handle, struct drm_vmsm_submit_bo *bos,
			   struct cs_target *t, unsigned int *nt)
{
	uint32_t n = 0, i, k;
	struct fuzz_obj o;
	bool w;

	*nt = 0;
	if (slot) {
		t[(*nt)++] = (struct cs_target) {
			.iova = slot->iova + FUZZ_CMD_RING,
			.size = slot->size - FUZZ_CMD_RING, .writable = true,
		};
		if (by_handle)
			bos[n++] = (struct drm_vmsm_submit_bo) {
				.handle = slot->handle,
				.flags = VMSM_SUBMIT_BO_READ |
					 (rng_chance(&ctx->rng, 50) ? VMSM_SUBMIT_BO_WRITE : 0),
			};
	}
	if (!(FD_MASK(ctx->target.kind) & FD_DRM))
		return n;
	k = rng_below(&ctx->rng, SUBMIT_TARGETS);
	for (i = 0; i < k && *nt < SUBMIT_TARGETS; i++) {
		if (!pool_pick_obj(ctx, OBJ_GEM, ctx->target.file, &o) ||
		    bo_listed(bos, n, o.handle) ||
		    !bo_learn(ctx, ctx->target.fd, &o))
			continue;
		w = !(o.flags & VMSM_BO_GPU_READONLY);
		t[(*nt)++] = (struct cs_target) {
			.iova = o.iova + o.gpu_lo, .size = o.size - o.gpu_lo,
			.writable = w,
		};
		bos[n++] = (struct drm_vmsm_submit_bo) {
			.handle = o.handle,
			.flags = w ? VMSM_SUBMIT_BO_READ | VMSM_SUBMIT_BO_WRITE :
				     bo_use(ctx),
		};
	}
	k = rng_below(&ctx->rng, 3);
	for (i = 0; i < k && n < SUBMIT_BOS - 2; i++) {
		if (pool_pick_obj(ctx, OBJ_GEM, ctx->target.file, &o) &&
		    !bo_listed(bos, n, o.handle))
			bos[n++] = (struct drm_vmsm_submit_bo) {
				.handle = o.handle, .flags = bo_use(ctx),
			};
	}
	return n;
}

/* Mostly clean streams; rarely a job that faults, very rarely one that hangs. */
static enum cs_defect submit_defect(struct fuzz_ctx *ctx)
{
	unsigned int r = rng_below(&ctx->rng, 1000);

	if (ctx->mode == FUZZ_VALID)
		return r < 2 ? CS_HANG : r < 40 ? CS_GARBAGE : CS_CLEAN;
	return r < 250 ? CS_GARBAGE : CS_CLEAN;
}

static uint32_t submit_cmds(struct fuzz_ctx *ctx, struct fuzz_slot *slot,
			    bool by_handle, const struct cs_target *t,
			    unsigned int nt, const struct drm_vmsm_submit_bo *bos,
			    uint32_t nbos, struct drm_vmsm_submit_cmd *cmds)
{
	struct submit_state *st = (struct submit_state *)ctx->gen_state;
	enum cs_defect defect = submit_defect(ctx);
	uint32_t n = 1 + rng_below(&ctx->rng, SUBMIT_CMDS), i;
	struct cs_stream cs;

	if (ctx->mode == FUZZ_BOUNDARY && rng_chance(&ctx->rng, 10))
		n = VMSM_SUBMIT_MAX_CMDS;
	st->defect = defect;
	if (fuzz_cfg.trace && defect != CS_CLEAN)
		worker_trace("%s @%llu submit: %s stream", ctx->who,
			     (unsigned long long)ctx->step,
			     defect == CS_HANG ? "hang" : "garbage");
	for (i = 0; i < n; i++) {
		struct drm_vmsm_submit_cmd *c = &cmds[i];

		memset(c, 0, sizeof(*c));
		if (slot && cs_build(ctx, slot, t, nt,
				     i == n - 1 ? defect : CS_CLEAN, &cs)) {
			if (by_handle && rng_chance(&ctx->rng, 70)) {
				c->handle = slot->handle;
				c->offset = cs.offset;
			} else {
				c->iova = cs.iova;
			}
			c->size = cs.ndw;
		} else if (nbos) {
			st->fallback = 1;
			/* a listed object: fresh ones hold zeroes, NOP packets */
			c->handle = bos[rng_below(&ctx->rng, nbos)].handle;
			c->size = 1 + rng_below(&ctx->rng, 16);
		} else {
			st->fallback = 2;
			c->iova = fuzz_cfg.dev.va_start +
				  FUZZ_PAGE * rng_below(&ctx->rng, 1024);
			c->size = 1 + rng_below(&ctx->rng, 16);
		}
		if (c->handle)
			c->iova = fuzz_value64(ctx, 0);	/* ignored */
		else
			c->iova = fuzz_value64(ctx, c->iova);
		if (fuzz_field(ctx) != FUZZ_VALID)
			c->handle = rng_chance(&ctx->rng, 30) ? 0 :
				    fuzz_handle(ctx, OBJ_GEM);
		switch (fuzz_field(ctx)) {
		case FUZZ_BOUNDARY:
			c->offset = rng_chance(&ctx->rng, 50) ?
				    c->offset + 1 + rng_below(&ctx->rng, 3) :
				    (uint32_t)fuzz_boundary64(ctx);
			break;
		case FUZZ_INVALID:
			c->offset = (uint32_t)rng_next(&ctx->rng);
			break;
		default:
			break;
		}
		if (fuzz_field(ctx) == FUZZ_BOUNDARY && rng_chance(&ctx->rng, 50))
			c->size = rng_chance(&ctx->rng, 50) ? VMSM_CP_COUNT_MASK + 1 :
				  VMSM_CP_COUNT_MASK + 2;
		else
			c->size = fuzz_value32(ctx, c->size);
		c->pad = fuzz_pad(ctx);
	}
	return n;
}

/* A count that may also be the uapi maximum or one past it. */
static uint32_t submit_count(struct fuzz_ctx *ctx, uint32_t valid, uint32_t max)
{
	if (ctx->mode == FUZZ_BOUNDARY && rng_chance(&ctx->rng, 15))
		return max + rng_below(&ctx->rng, 2);
	return fuzz_count(ctx, valid);
}

/*
 * In-syncobjs wait for points earlier submits signalled (a binary
 * syncobj without a fence is -EINVAL); out-syncobjs are binary (point 0)
 * or get the next point of a process-wide counter. In valid mode only
 * known syncobjs of the file are used.
 */
static uint64_t submit_syncobjs(struct fuzz_ctx *ctx, bool out, uint32_t *count)
{
	struct submit_state *st = (struct submit_state *)ctx->gen_state;
	uint32_t n = rng_chance(&ctx->rng, 60) ? 0 :
		     1 + rng_below(&ctx->rng, out ? 2 : 3), i;
	struct drm_vmsm_syncobj *a = fuzz_buf(ctx, SUBMIT_SYNCOBJS * sizeof(*a));
	struct fuzz_obj o;

	for (i = 0; i < n; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		if (pool_pick_obj(ctx, out ? OBJ_SYNCOBJ : OBJ_SYNCPT,
				  ctx->target.file, &o)) {
			a[i].handle = o.handle;
			a[i].point = out ? 0 : o.point;
		} else if (ctx->mode == FUZZ_VALID) {
			break;
		}
		if (!a[i].handle)
			a[i].handle = fuzz_handle(ctx, OBJ_SYNCOBJ);
		if (out && rng_chance(&ctx->rng, 50))
			a[i].point = __atomic_add_fetch(&ctx->proc->next_point,
							1, __ATOMIC_RELAXED);
		if (fuzz_field(ctx) != FUZZ_VALID)
			a[i].handle = fuzz_handle(ctx, OBJ_SYNCOBJ);
		a[i].point = fuzz_value64(ctx, a[i].point);
		a[i].flags = fuzz_flags(ctx, 0);
		if (out) {
			st->out_handle[i] = a[i].handle;
			st->out_point[i] = a[i].point;
			st->nr_out = i + 1;
		}
	}
	n = i;
	*count = submit_count(ctx, n, VMSM_SUBMIT_MAX_SYNCOBJS);
	return fuzz_ptr(ctx, a, n * sizeof(*a));
}

static uint32_t submit_flags(struct fuzz_ctx *ctx)
{
	uint32_t flags = 0;

	if (rng_chance(&ctx->rng, 20))
		flags |= VMSM_SUBMIT_FENCE_FD_IN;
	if (rng_chance(&ctx->rng, 30))
		flags |= VMSM_SUBMIT_FENCE_FD_OUT;
	if (rng_chance(&ctx->rng, 20))
		flags |= VMSM_SUBMIT_NO_IMPLICIT;
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		return VMSM_SUBMIT_FLAGS;
	case FUZZ_INVALID:
		return fuzz_flags(ctx, VMSM_SUBMIT_FLAGS) | flags;
	default:
		return flags;
	}
}

static uint32_t queue_id(struct fuzz_ctx *ctx)
{
	struct fuzz_obj o;

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		return rng_chance(&ctx->rng, 50) ? 0xffff + rng_below(&ctx->rng, 2) :
		       UINT32_MAX;
	case FUZZ_INVALID:
		if (rng_chance(&ctx->rng, 50) && pool_pick_obj(ctx, OBJ_QUEUE, 0, &o))
			return o.handle;	/* maybe another file's */
		return (uint32_t)rng_next(&ctx->rng) >> rng_below(&ctx->rng, 32);
	default:
		if (rng_chance(&ctx->rng, 50) &&
		    pool_pick_obj(ctx, OBJ_QUEUE, ctx->target.file, &o))
			return o.handle;
		return 0;
	}
}

/*
 * GEM_SUBMIT: streams built in the file's cmd object (created and mapped
 * on first use) that access the listed objects, given by handle+offset or
 * by GPU address; in/out sync_files, binary and timeline in/out syncobjs.
 * A file whose context is faulty (EIO) is mostly replaced by a fresh fd.
 */
static void gen_gem_submit(struct fuzz_ctx *ctx, void *arg)
{
	struct submit_state *st = (struct submit_state *)ctx->gen_state;
	struct drm_vmsm_gem_submit *a = arg;
	struct drm_vmsm_submit_bo *bos;
	struct drm_vmsm_submit_cmd *cmds;
	struct cs_target t[SUBMIT_TARGETS];
	struct fuzz_slot *slot = NULL;
	struct fuzz_fd fresh;
	bool by_handle = false;
	uint32_t nbos, ncmds, i, j;
	unsigned int nt;

	memset(st, 0, sizeof(*st));
	if ((FD_MASK(ctx->target.kind) & FD_DRM) &&
	    pool_is_faulty(ctx, ctx->target.file) &&
	    rng_chance(&ctx->rng, ctx->mode == FUZZ_VALID ? 70 : 30) &&
	    worker_open(ctx, -1, &fresh)) {
		ctx->target = fresh;
		stats_action(ACT_REOPEN, 1);
	}
	bos = fuzz_buf(ctx, SUBMIT_BOS * sizeof(*bos));
	cmds = fuzz_buf(ctx, VMSM_SUBMIT_MAX_CMDS * sizeof(*cmds));

	bo_lock(ctx);
	if (FD_MASK(ctx->target.kind) & FD_DRM)
		slot = bo_cmd_slot(ctx, &ctx->target, ctx->mode == FUZZ_VALID ||
				   rng_chance(&ctx->rng, 50));
	if (slot && rng_chance(&ctx->rng, 50))
		by_handle = bo_check_handle(ctx, ctx->target.fd, slot);
	nbos = submit_bos(ctx, slot, by_handle, bos, t, &nt);
	ncmds = submit_cmds(ctx, slot, by_handle, t, nt, bos, nbos, cmds);
	bo_unlock(ctx);

	/* duplicates, bad handles and use flags */
	if (nbos && ctx->mode != FUZZ_VALID && rng_chance(&ctx->rng, 25)) {
		bos[nbos] = bos[rng_below(&ctx->rng, nbos)];
		nbos++;
	}
	for (i = 0; i < nbos; i++) {
		j = fuzz_field(ctx) == FUZZ_VALID ? 3 : rng_below(&ctx->rng, 3);
		if (j == 0)
			bos[i].handle = fuzz_handle(ctx, OBJ_GEM);
		else if (j == 1)
			bos[i].flags = rng_chance(&ctx->rng, 50) ? 0 :
				       fuzz_flags(ctx, VMSM_SUBMIT_BO_FLAGS);
		bos[i].iova = fuzz_value64(ctx, 0);	/* output */
	}
	a->bos = fuzz_ptr(ctx, bos, nbos * sizeof(*bos));
	a->nr_bos = submit_count(ctx, nbos, VMSM_SUBMIT_MAX_BOS);
	a->cmds = fuzz_ptr(ctx, cmds, ncmds * sizeof(*cmds));
	a->nr_cmds = submit_count(ctx, ncmds, VMSM_SUBMIT_MAX_CMDS);

	a->flags = submit_flags(ctx);
	if (!(a->flags & VMSM_SUBMIT_FENCE_FD_IN))
		a->fence_fd = (int32_t)fuzz_value32(ctx, (uint32_t)-1);
	else if (ctx->mode == FUZZ_VALID && !pool_count_fds(ctx, FD_MASK(FD_SYNC_FILE), false))
		a->flags &= ~VMSM_SUBMIT_FENCE_FD_IN;	/* nothing to wait for */
	else
		a->fence_fd = fuzz_fd_arg(ctx, FD_MASK(FD_SYNC_FILE));
	a->queue_id = queue_id(ctx);
	a->in_syncobjs = submit_syncobjs(ctx, false, &a->nr_in_syncobjs);
	a->out_syncobjs = submit_syncobjs(ctx, true, &a->nr_out_syncobjs);
	a->fence = fuzz_value32(ctx, 0);
	if (fuzz_cfg.trace)
		worker_trace("%s @%llu submit: slot=%d by-handle=%d bos=%u cmds=%u flags=0x%x q=%u in=%u out=%u",
			     ctx->who, (unsigned long long)ctx->step,
			     slot ? (int)(slot - ctx->proc->slots) : -1,
			     by_handle, nbos, ncmds, a->flags, a->queue_id,
			     a->nr_in_syncobjs, a->nr_out_syncobjs);
}

static void done_gem_submit(struct fuzz_ctx *ctx, void *arg)
{
	struct submit_state *st = (struct submit_state *)ctx->gen_state;
	struct drm_vmsm_gem_submit *a = arg;
	uint32_t i;
#ifdef FUZZ_CHECK_STREAMS
	/* debugging the stream builder: a clean job must not fault */
	if (ctx->mode == FUZZ_VALID && st->defect == CS_CLEAN) {
		struct drm_vmsm_wait_fence w = {
			.fence = a->fence, .queue_id = a->queue_id,
			.timeout_ns = fuzz_now_ns() + 300000000,
		};
		struct drm_vmsm_fault_info fi = { 0 };
		struct drm_vmsm_submitqueue_query q = {
			.data = (uintptr_t)&fi, .len = sizeof(fi),
		};
		int e1, e2;

		e1 = fuzz_prep(ctx, ctx->target.fd, DRM_IOCTL_VMSM_WAIT_FENCE,
			       &w, "CHECK_WAIT");
		e2 = fuzz_prep(ctx, ctx->target.fd,
			       DRM_IOCTL_VMSM_SUBMITQUEUE_QUERY, &q, "CHECK_QUERY");
		worker_trace("%s @%llu check: wait=%d query=%d faults=%u type=%u addr=0x%llx fallback=%u",
			     ctx->who, (unsigned long long)ctx->step, e1, e2,
			     fi.faults, fi.type, (unsigned long long)fi.address,
			     st->fallback);
	}
#endif

	pool_add_obj(ctx, OBJ_FENCE, ctx->target.file, a->fence, a->queue_id);
	if (a->flags & VMSM_SUBMIT_FENCE_FD_OUT)
		pool_add_fd(ctx, a->fence_fd, FD_SYNC_FILE, 0);
	for (i = 0; i < st->nr_out && i < a->nr_out_syncobjs; i++)
		pool_add_obj(ctx, OBJ_SYNCPT, ctx->target.file,
			     st->out_handle[i], st->out_point[i]);
}

static void fail_gem_submit(struct fuzz_ctx *ctx, void *arg, int err)
{
	(void)arg;
	if (err == EIO)
		pool_mark_faulty(ctx, ctx->target.file);
}

/* WAIT_FENCE: fences submits returned, or not; deadlines past or within 20 ms. */
static void gen_wait_fence(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_wait_fence *a = arg;
	struct fuzz_obj o = { .handle = 1 + rng_below(&ctx->rng, 8) };

	pool_pick_obj(ctx, OBJ_FENCE, ctx->target.file, &o);
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		switch (rng_below(&ctx->rng, 3)) {
		case 0:
			a->fence = 0;
			break;
		case 1:
			a->fence = o.handle + 1 + rng_below(&ctx->rng, 2);
			break;
		default:
			a->fence = UINT32_MAX - rng_below(&ctx->rng, 2);
			break;
		}
		break;
	case FUZZ_INVALID:
		a->fence = (uint32_t)rng_next(&ctx->rng);
		break;
	default:
		a->fence = o.handle;
		break;
	}
	a->queue_id = fuzz_field(ctx) == FUZZ_VALID ? (uint32_t)o.point :
						       queue_id(ctx);
	a->timeout_ns = fuzz_short_timeout(ctx);
	a->flags = fuzz_flags(ctx, 0);
	a->pad = fuzz_pad(ctx);
}

/* ---- submit queues ---- */

static void gen_submitqueue_new(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_submitqueue *a = arg;
	uint32_t rings = fuzz_cfg.dev.nr_rings;

	/* a queue with an address space of its own now and then */
	a->flags = fuzz_flags(ctx, rng_chance(&ctx->rng, 25) ?
			       VMSM_SUBMITQUEUE_PRIVATE_VM : 0);
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		a->prio = rng_chance(&ctx->rng, 50) ? rings : UINT32_MAX;
		break;
	case FUZZ_INVALID:
		a->prio = rings + (uint32_t)rng_next(&ctx->rng) % (UINT32_MAX - rings);
		break;
	default:
		a->prio = rng_below(&ctx->rng, rings);
		break;
	}
	a->id = fuzz_value32(ctx, 0);
	a->pad = fuzz_pad(ctx);
}

static void done_submitqueue_new(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_submitqueue *a = arg;

	pool_add_obj(ctx, OBJ_QUEUE, ctx->target.file, a->id, 0);
}

static void gen_submitqueue_close(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_submitqueue_close *a = arg;
	struct fuzz_obj o;

	if (ctx->mode == FUZZ_BOUNDARY && rng_chance(&ctx->rng, 30))
		a->id = 0;		/* the default queue: -EINVAL */
	else if (fuzz_field(ctx) == FUZZ_VALID &&
		 pool_pick_obj(ctx, OBJ_QUEUE, ctx->target.file, &o))
		a->id = o.handle;
	else
		a->id = queue_id(ctx);
	a->pad = fuzz_pad(ctx);
}

static void done_submitqueue_close(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_vmsm_submitqueue_close *a = arg;

	pool_del_obj(ctx, OBJ_QUEUE, ctx->target.file, a->id);
}

/* What gen_submitqueue_query() leaves for its done(): the result buffer. */
struct query_state {
	uint64_t buf;
};

static void gen_submitqueue_query(struct fuzz_ctx *ctx, void *arg)
{
	static const uint32_t params[] = { VMSM_QUERY_FAULTS };
	struct query_state *st = (struct query_state *)ctx->gen_state;
	struct drm_vmsm_submitqueue_query *a = arg;
	const uint32_t size = sizeof(struct drm_vmsm_fault_info);
	void *buf = fuzz_buf(ctx, 64);

	a->id = queue_id(ctx);
	a->param = fuzz_enum(ctx, params, ARRAY_SIZE(params));
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		a->len = rng_chance(&ctx->rng, 50) ? size - 1 :
			 (uint32_t)fuzz_boundary64(ctx);
		break;
	case FUZZ_INVALID:
		a->len = (uint32_t)rng_next(&ctx->rng);
		break;
	default:
		a->len = rng_chance(&ctx->rng, 15) ? 0 :
			 size + 8 * rng_below(&ctx->rng, 5);
		break;
	}
	a->data = fuzz_ptr(ctx, buf, a->len < 64 ? a->len : 64);
	a->pad = fuzz_pad(ctx);
	st->buf = (uintptr_t)buf;
}

/* A context with faults: its submits get EIO, mark the file. */
static void done_submitqueue_query(struct fuzz_ctx *ctx, void *arg)
{
	struct query_state *st = (struct query_state *)ctx->gen_state;
	struct drm_vmsm_submitqueue_query *a = arg;
	struct drm_vmsm_fault_info info;

	if (a->data != st->buf || a->len != sizeof(info))
		return;
	memcpy(&info, (void *)(uintptr_t)st->buf, sizeof(info));
	if (info.faults)
		pool_mark_faulty(ctx, ctx->target.file);
}

/* ---- userspace-managed GPU addresses ---- */

#define BIND_OPS	8

/* A page-aligned GPU address in the user range, or near its edges. */
static uint64_t bind_iova(struct fuzz_ctx *ctx, uint64_t range)
{
	uint64_t start = fuzz_cfg.dev.va_start, size = fuzz_cfg.dev.va_size;
	uint64_t slots = 64;

	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		switch (rng_below(&ctx->rng, 4)) {
		case 0:
			return start - FUZZ_PAGE;
		case 1:
			return start + size - range;
		case 2:
			return start + size;
		default:
			return fuzz_boundary64(ctx);
		}
	case FUZZ_INVALID:
		return rng_next(&ctx->rng) & ~(uint64_t)(rng_chance(&ctx->rng, 50) ?
							 FUZZ_PAGE - 1 : 0);
	default:
		/* a small window, so that maps and unmaps overlap and split */
		return start + FUZZ_PAGE * rng_below(&ctx->rng, slots * 16);
	}
}

static uint64_t bind_range(struct fuzz_ctx *ctx)
{
	switch (fuzz_field(ctx)) {
	case FUZZ_BOUNDARY:
		return rng_chance(&ctx->rng, 50) ? 0 : fuzz_boundary64(ctx);
	case FUZZ_INVALID:
		return rng_next(&ctx->rng) >> rng_below(&ctx->rng, 64);
	default:
		return FUZZ_PAGE * (1 + rng_below(&ctx->rng, 32));
	}
}

/* One MAP, UNMAP or MAP_NULL; MAP names an object of the file. */
static void bind_op(struct fuzz_ctx *ctx, struct drm_vmsm_vm_bind_op *op)
{
	static const uint32_t ops[] = {
		VMSM_VM_BIND_OP_MAP, VMSM_VM_BIND_OP_MAP, VMSM_VM_BIND_OP_UNMAP,
		VMSM_VM_BIND_OP_MAP_NULL,
	};
	struct fuzz_obj o;

	memset(op, 0, sizeof(*op));
	op->op = fuzz_enum(ctx, ops, ARRAY_SIZE(ops));
	op->range = bind_range(ctx);
	op->iova = bind_iova(ctx, op->range);
	if (rng_chance(&ctx->rng, 20))
		op->flags = VMSM_VM_BIND_OP_READONLY;
	op->flags = fuzz_flags(ctx, op->flags);
	op->pad = fuzz_pad(ctx);
	if (op->op != VMSM_VM_BIND_OP_MAP) {
		op->handle = fuzz_value32(ctx, 0);
		op->bo_offset = fuzz_value64(ctx, 0);
		return;
	}
	if (pool_pick_obj(ctx, OBJ_GEM, ctx->target.file, &o) && o.size) {
		uint64_t pages = o.size / FUZZ_PAGE;

		op->handle = o.handle;
		op->bo_offset = FUZZ_PAGE * rng_below(&ctx->rng, pages);
		if (ctx->mode == FUZZ_VALID)
			op->range = FUZZ_PAGE * (1 + rng_below(&ctx->rng,
					pages - op->bo_offset / FUZZ_PAGE));
	} else {
		op->handle = fuzz_handle(ctx, OBJ_GEM);
	}
	if (fuzz_field(ctx) != FUZZ_VALID)
		op->handle = fuzz_handle(ctx, OBJ_GEM);
	op->bo_offset = fuzz_value64(ctx, op->bo_offset);
}

/*
 * VM_BIND: a few operations on a small window of the user range, so that
 * mappings overlap, split and get replaced. The first VM_BIND switches a
 * file to userspace-managed addresses for good, and the submit generator
 * needs kernel-assigned ones: most binds go to a fresh file.
 */
static void gen_vm_bind(struct fuzz_ctx *ctx, void *arg)
{
	struct submit_state *st = (struct submit_state *)ctx->gen_state;
	struct drm_vmsm_vm_bind *a = arg;
	struct drm_vmsm_vm_bind_op *ops = fuzz_buf(ctx, BIND_OPS * sizeof(*ops));
	uint32_t n = 1 + rng_below(&ctx->rng, 4), i;
	struct fuzz_fd fresh;

	memset(st, 0, sizeof(*st));
	if ((FD_MASK(ctx->target.kind) & FD_DRM) && rng_chance(&ctx->rng, 70) &&
	    worker_open(ctx, -1, &fresh))
		ctx->target = fresh;
	if (rng_chance(&ctx->rng, 10))
		n = 0;
	for (i = 0; i < n; i++)
		bind_op(ctx, &ops[i]);
	a->ops = fuzz_ptr(ctx, ops, n * sizeof(*ops));
	a->nr_ops = submit_count(ctx, n, VMSM_VM_BIND_MAX_OPS);
	a->flags = 0;
	if (rng_chance(&ctx->rng, 20) && pool_count_fds(ctx, FD_MASK(FD_SYNC_FILE), false))
		a->flags |= VMSM_VM_BIND_FENCE_FD_IN;
	if (rng_chance(&ctx->rng, 30))
		a->flags |= VMSM_VM_BIND_FENCE_FD_OUT;
	a->flags = fuzz_flags(ctx, a->flags);
	a->fence_fd = (a->flags & VMSM_VM_BIND_FENCE_FD_IN) ?
		      fuzz_fd_arg(ctx, FD_MASK(FD_SYNC_FILE)) :
		      (int32_t)fuzz_value32(ctx, (uint32_t)-1);
	a->queue_id = queue_id(ctx);
	a->in_syncobjs = submit_syncobjs(ctx, false, &a->nr_in_syncobjs);
	a->out_syncobjs = submit_syncobjs(ctx, true, &a->nr_out_syncobjs);
	a->fence = fuzz_value32(ctx, 0);
	a->pad = fuzz_pad(ctx);
}

static void done_vm_bind(struct fuzz_ctx *ctx, void *arg)
{
	struct submit_state *st = (struct submit_state *)ctx->gen_state;
	struct drm_vmsm_vm_bind *a = arg;
	uint32_t i;

	pool_add_obj(ctx, OBJ_FENCE, ctx->target.file, a->fence, a->queue_id);
	if (a->flags & VMSM_VM_BIND_FENCE_FD_OUT)
		pool_add_fd(ctx, a->fence_fd, FD_SYNC_FILE, 0);
	for (i = 0; i < st->nr_out && i < a->nr_out_syncobjs; i++)
		pool_add_obj(ctx, OBJ_SYNCPT, ctx->target.file,
			     st->out_handle[i], st->out_point[i]);
}

/*
 * Driver ioctl numbers past the last one the uapi defines, with random
 * direction and size: the DRM core must turn them away (-EINVAL) before
 * they index the driver's ioctl array. The table computes the range, so
 * it moves along as ioctls are added.
 */
static void gen_unknown(struct fuzz_ctx *ctx, void *arg)
{
	unsigned int first = table_vmsm_max_nr() + 1;
	unsigned int size = rng_below(&ctx->rng, 257);
	uint8_t *bytes = arg;
	unsigned int i;

	if (first <= DRM_COMMAND_BASE)
		first = DRM_COMMAND_BASE;
	if (first >= DRM_COMMAND_END)
		first = DRM_COMMAND_END - 1;	/* every number taken */
	ctx->req = _IOC(rng_below(&ctx->rng, 4), DRM_IOCTL_BASE,
			first + rng_below(&ctx->rng, DRM_COMMAND_END - first),
			size);
	for (i = 0; i < size; i++)
		bytes[i] = (uint8_t)rng_next(&ctx->rng);
}

/*
 * Weights: submission gets the most calls (it exercises the most code:
 * the BO list, command buffers, fences, syncobjs, the scheduler and the
 * command processor), then object creation and queries.
 */
const struct fuzz_ioctl fuzz_vmsm_ioctls[] = {
	FUZZ_IOCTL(VMSM_GET_PARAM, 8, 0, gen_get_param, NULL),
	FUZZ_IOCTL(VMSM_GEM_NEW, 12, 0, gen_gem_new, done_gem_new),
	FUZZ_IOCTL(VMSM_GEM_INFO, 14, 0, gen_gem_info, done_gem_info),
	FUZZ_IOCTL(VMSM_GEM_CPU_PREP, 6, FUZZ_F_BLOCKING, gen_gem_cpu_prep, NULL),
	FUZZ_IOCTL(VMSM_GEM_CPU_FINI, 3, 0, gen_gem_cpu_fini, NULL),
	FUZZ_IOCTL_FAIL(VMSM_GEM_SUBMIT, 22, FUZZ_F_BLOCKING, gen_gem_submit,
			done_gem_submit, fail_gem_submit),
	FUZZ_IOCTL(VMSM_WAIT_FENCE, 8, FUZZ_F_BLOCKING, gen_wait_fence, NULL),
	FUZZ_IOCTL(VMSM_SUBMITQUEUE_NEW, 4, 0, gen_submitqueue_new,
		   done_submitqueue_new),
	FUZZ_IOCTL(VMSM_SUBMITQUEUE_CLOSE, 3, 0, gen_submitqueue_close,
		   done_submitqueue_close),
	FUZZ_IOCTL(VMSM_SUBMITQUEUE_QUERY, 3, 0, gen_submitqueue_query,
		   done_submitqueue_query),
	FUZZ_IOCTL(VMSM_GEM_MADVISE, 4, 0, gen_gem_madvise, NULL),
	FUZZ_IOCTL(VMSM_VM_BIND, 4, FUZZ_F_BLOCKING, gen_vm_bind, done_vm_bind),
	FUZZ_IOCTL(VMSM_GEM_SYNC, 4, 0, gen_gem_sync, NULL),
	/* request carries the argument size only: gen_unknown() sets ctx->req */
	FUZZ_IOCTL_REQ("VMSM_UNKNOWN_NR", _IOC(_IOC_READ | _IOC_WRITE, 0, 0, 256),
		       3, 0, gen_unknown, NULL),
};

const unsigned int fuzz_nr_vmsm_ioctls = ARRAY_SIZE(fuzz_vmsm_ioctls);
