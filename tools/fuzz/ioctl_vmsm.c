// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm driver ioctls (include/uapi/drm/vmsm_drm.h).
 *
 * Adding an ioctl is one generator and one table entry:
 *
 *	static void gen_gem_new(struct fuzz_ctx *ctx, void *arg)
 *	{
 *		struct drm_vmsm_gem_new *a = arg;	(zeroed)
 *
 *		a->size = fuzz_value64(ctx, FUZZ_PAGE * (1 + rng_below(&ctx->rng, 16)));
 *		a->flags = fuzz_flags(ctx, VMSM_BO_VALID_FLAGS);
 *		a->pad = fuzz_pad(ctx);
 *	}
 *
 *	static void done_gem_new(struct fuzz_ctx *ctx, void *arg)
 *	{
 *		struct drm_vmsm_gem_new *a = arg;
 *
 *		pool_add_obj(ctx, OBJ_GEM, ctx->target.file, a->handle, 0);
 *	}
 *
 *	FUZZ_IOCTL(VMSM_GEM_NEW, 10, 0, gen_gem_new, done_gem_new),
 *
 * The fuzz_*() helpers (args.c) pick valid, boundary or invalid values by
 * themselves according to the call's mode; fuzz_handle(ctx, OBJ_GEM) then
 * names the objects done_gem_new() remembered, fuzz_buf() and fuzz_ptr()
 * build embedded arrays, fuzz_count() their lengths. An ioctl that may
 * sleep gets FUZZ_F_BLOCKING so that a watchdog signal bounds it; a new
 * kind of object (VM, submit queue) gets an OBJ_* entry in fuzz.h. Element
 * counts go through fuzz_count(); vmsm entries get the whole u32 range
 * (no FUZZ_F_CAP_COUNTS): the driver must bound what it allocates.
 */
#include <sys/ioctl.h>

#include "fuzz.h"

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

const struct fuzz_ioctl fuzz_vmsm_ioctls[] = {
	FUZZ_IOCTL(VMSM_GET_PARAM, 30, 0, gen_get_param, NULL),
	/* request carries the argument size only: gen_unknown() sets ctx->req */
	FUZZ_IOCTL_REQ("VMSM_UNKNOWN_NR", _IOC(_IOC_READ | _IOC_WRITE, 0, 0, 256),
		       3, 0, gen_unknown, NULL),
};

const unsigned int fuzz_nr_vmsm_ioctls = ARRAY_SIZE(fuzz_vmsm_ioctls);
