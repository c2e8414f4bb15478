// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * libvmsm command streams and submission.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmsm_priv.h"

/* Largest command buffer of one job (struct drm_vmsm_submit_cmd.size). */
#define CS_MAX_DWORDS	65536u
#define CS_BO_FLAGS	(VMSM_BO_WC | VMSM_BO_GPU_READONLY)

/*
 * struct vmsm_cs - a command stream being built
 * @dev: device, referenced
 * @bo: the buffer object holding the commands, referenced; always
 *	@list[0]
 * @map: its CPU mapping
 * @cur: dwords emitted
 * @capacity: size of @bo in dwords (as asked, not rounded)
 * @error: sticky error of the emitters
 * @list: the job's objects with their flags, as the kernel takes them
 * @objs: the objects of @list, one reference each
 * @nr: entries in @list and @objs
 * @cap: their allocated size
 */
struct vmsm_cs {
	struct vmsm_device *dev;
	struct vmsm_bo *bo;
	uint32_t *map;
	uint32_t cur;
	uint32_t capacity;
	int error;
	struct drm_vmsm_submit_bo *list;
	struct vmsm_bo **objs;
	uint32_t nr, cap;
};

static int cs_alloc_bo(struct vmsm_cs *cs)
{
	struct vmsm_bo *bo;
	void *map;
	int ret;

	ret = vmsm_bo_new(cs->dev, (uint64_t)cs->capacity * 4, CS_BO_FLAGS, &bo);
	if (ret)
		return ret;
	ret = vmsm_bo_map(bo, &map);
	if (ret) {
		vmsm_bo_free(bo);
		return ret;
	}
	vmsm_bo_set_name(bo, "libvmsm-cs");
	cs->bo = bo;
	cs->map = map;
	return 0;
}

/* Drops every object of the list but the stream's own (entry 0). */
static void cs_clear_list(struct vmsm_cs *cs)
{
	uint32_t i;

	for (i = 1; i < cs->nr; i++)
		vmsm_bo_free(cs->objs[i]);
	cs->nr = cs->bo ? 1 : 0;
	if (cs->nr)
		cs->list[0].flags = VMSM_SUBMIT_BO_READ;
}

int vmsm_cs_new(struct vmsm_device *dev, uint32_t size_dwords,
		struct vmsm_cs **out)
{
	struct vmsm_cs *cs;
	int ret;

	if (!size_dwords || size_dwords > CS_MAX_DWORDS)
		return -EINVAL;
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	cs->dev = vmsm_device_ref(dev);
	cs->capacity = size_dwords;
	cs->cap = 16;
	cs->list = calloc(cs->cap, sizeof(*cs->list));
	cs->objs = calloc(cs->cap, sizeof(*cs->objs));
	ret = cs->list && cs->objs ? cs_alloc_bo(cs) : -ENOMEM;
	if (ret) {
		free(cs->list);
		free(cs->objs);
		vmsm_device_close(dev);
		free(cs);
		return ret;
	}
	cs->list[0] = (struct drm_vmsm_submit_bo) {
		.handle = vmsm_bo_handle(cs->bo),
		.flags = VMSM_SUBMIT_BO_READ,
	};
	cs->objs[0] = cs->bo;
	cs->nr = 1;
	*out = cs;
	return 0;
}

void vmsm_cs_free(struct vmsm_cs *cs)
{
	if (!cs)
		return;
	cs_clear_list(cs);
	vmsm_bo_free(cs->bo);
	free(cs->list);
	free(cs->objs);
	vmsm_device_close(cs->dev);
	free(cs);
}

int vmsm_cs_reset(struct vmsm_cs *cs)
{
	struct vmsm_bo *old = cs->bo;
	int ret = 0;

	cs_clear_list(cs);
	cs->cur = 0;
	cs->error = 0;
	/*
	 * An earlier job may still be reading the commands: if so, write the
	 * next ones into a fresh object and let the kernel free the old one
	 * once the job is done with it.
	 */
	if (old && vmsm_bo_cpu_prep(old, VMSM_PREP_WRITE | VMSM_PREP_NOSYNC, 0) == 0) {
		vmsm_bo_cpu_fini(old);
		return 0;
	}
	cs->bo = NULL;
	cs->map = NULL;
	cs->nr = 0;
	vmsm_bo_free(old);
	ret = cs_alloc_bo(cs);
	if (ret) {
		cs->error = ret;
		return ret;
	}
	cs->list[0] = (struct drm_vmsm_submit_bo) {
		.handle = vmsm_bo_handle(cs->bo),
		.flags = VMSM_SUBMIT_BO_READ,
	};
	cs->objs[0] = cs->bo;
	cs->nr = 1;
	return 0;
}

uint32_t vmsm_cs_dwords(const struct vmsm_cs *cs)
{
	return cs->cur;
}

uint32_t vmsm_cs_capacity(const struct vmsm_cs *cs)
{
	return cs->capacity;
}

struct vmsm_bo *vmsm_cs_bo(const struct vmsm_cs *cs)
{
	return cs->bo;
}

int vmsm_cs_error(const struct vmsm_cs *cs)
{
	return cs->error;
}

int vmsm_cs_iova(struct vmsm_cs *cs, uint64_t *iova)
{
	if (!cs->bo)
		return cs->error ? cs->error : -ENOMEM;
	return vmsm_bo_iova(cs->bo, iova);
}

int vmsm_cs_add_bo(struct vmsm_cs *cs, struct vmsm_bo *bo, uint32_t flags)
{
	uint32_t i;

	if (!flags || (flags & ~VMSM_SUBMIT_BO_FLAGS) ||
	    vmsm_bo_device(bo) != cs->dev)
		return -EINVAL;
	for (i = 0; i < cs->nr; i++) {
		if (cs->objs[i] == bo) {
			cs->list[i].flags |= flags;
			return 0;
		}
	}
	if (cs->nr >= VMSM_SUBMIT_MAX_BOS)
		return -E2BIG;
	if (cs->nr == cs->cap) {
		uint32_t cap = 2 * cs->cap;
		struct drm_vmsm_submit_bo *list;
		struct vmsm_bo **objs;

		list = realloc(cs->list, cap * sizeof(*list));
		if (!list)
			return -ENOMEM;
		cs->list = list;
		objs = realloc(cs->objs, cap * sizeof(*objs));
		if (!objs)
			return -ENOMEM;
		cs->objs = objs;
		cs->cap = cap;
	}
	cs->list[cs->nr] = (struct drm_vmsm_submit_bo) {
		.handle = vmsm_bo_handle(bo),
		.flags = flags,
	};
	cs->objs[cs->nr++] = vmsm_bo_ref(bo);
	return 0;
}

static int cs_fail(struct vmsm_cs *cs, int err)
{
	if (!cs->error)
		cs->error = err;
	return err;
}

/*
 * Reserves one packet of @count payload dwords and writes its header;
 * returns where the payload goes, or NULL (error recorded).
 */
static uint32_t *cs_pkt(struct vmsm_cs *cs, uint32_t opcode, uint32_t count)
{
	uint32_t *p;

	if (!cs->map) {
		cs_fail(cs, cs->error ? cs->error : -ENOMEM);
		return NULL;
	}
	if (count > VMSM_CP_COUNT_MASK) {
		cs_fail(cs, -EINVAL);
		return NULL;
	}
	if (cs->capacity - cs->cur < 1 + count) {
		cs_fail(cs, -ENOSPC);
		return NULL;
	}
	p = cs->map + cs->cur;
	*p = VMSM_CP_PKT(opcode, count);
	cs->cur += 1 + count;
	return p + 1;
}

static uint32_t *put64(uint32_t *p, uint64_t v)
{
	p[0] = (uint32_t)v;
	p[1] = (uint32_t)(v >> 32);
	return p + 2;
}

int vmsm_cs_emit(struct vmsm_cs *cs, const uint32_t *dw, uint32_t n)
{
	if (!cs->map)
		return cs_fail(cs, cs->error ? cs->error : -ENOMEM);
	if (cs->capacity - cs->cur < n)
		return cs_fail(cs, -ENOSPC);
	memcpy(cs->map + cs->cur, dw, (size_t)n * 4);
	cs->cur += n;
	return 0;
}

int vmsm_cs_nop(struct vmsm_cs *cs, uint32_t count)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_NOP, count);

	if (!p)
		return cs->error;
	memset(p, 0, (size_t)count * 4);
	return 0;
}

int vmsm_cs_write(struct vmsm_cs *cs, uint64_t addr, const uint32_t *data,
		  uint32_t n)
{
	uint32_t *p;

	if (!n || n > VMSM_CP_COUNT_MASK - 2)
		return cs_fail(cs, -EINVAL);
	p = cs_pkt(cs, VMSM_CP_WRITE, 2 + n);
	if (!p)
		return cs->error;
	p = put64(p, addr);
	memcpy(p, data, (size_t)n * 4);
	return 0;
}

int vmsm_cs_copy(struct vmsm_cs *cs, uint64_t dst, uint64_t src,
		 uint64_t size)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_COPY, 6);

	if (!p)
		return cs->error;
	p = put64(p, dst);
	p = put64(p, src);
	put64(p, size);
	return 0;
}

int vmsm_cs_fill(struct vmsm_cs *cs, uint64_t dst, uint64_t size,
		 uint32_t pattern)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_FILL, 5);

	if (!p)
		return cs->error;
	p = put64(p, dst);
	p = put64(p, size);
	*p = pattern;
	return 0;
}

int vmsm_cs_fill_rect(struct vmsm_cs *cs, const struct vmsm_surface *dst,
		      uint32_t x, uint32_t y, uint32_t width, uint32_t height,
		      uint32_t color)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_FILL_RECT, 9);

	if (!p)
		return cs->error;
	p = put64(p, dst->iova);
	*p++ = dst->pitch;
	*p++ = dst->format;
	*p++ = x;
	*p++ = y;
	*p++ = width;
	*p++ = height;
	*p = color;
	return 0;
}

int vmsm_cs_blit(struct vmsm_cs *cs, const struct vmsm_surface *dst,
		 uint32_t dst_x, uint32_t dst_y,
		 const struct vmsm_surface *src, uint32_t src_x, uint32_t src_y,
		 uint32_t width, uint32_t height)
{
	uint32_t *p;

	if (dst->format != src->format)
		return cs_fail(cs, -EINVAL);
	p = cs_pkt(cs, VMSM_CP_BLIT, 13);
	if (!p)
		return cs->error;
	p = put64(p, dst->iova);
	*p++ = dst->pitch;
	p = put64(p, src->iova);
	*p++ = src->pitch;
	*p++ = dst->format;
	*p++ = dst_x;
	*p++ = dst_y;
	*p++ = src_x;
	*p++ = src_y;
	*p++ = width;
	*p = height;
	return 0;
}

int vmsm_cs_indirect(struct vmsm_cs *cs, uint64_t iova, uint32_t size_dwords)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_INDIRECT, 3);

	if (!p)
		return cs->error;
	p = put64(p, iova);
	*p = size_dwords;
	return 0;
}

int vmsm_cs_call(struct vmsm_cs *cs, struct vmsm_cs *target)
{
	uint64_t iova;
	uint32_t i;
	int ret;

	if (target == cs || target->dev != cs->dev)
		return cs_fail(cs, -EINVAL);
	if (!target->cur)
		return cs_fail(cs, -ENODATA);
	ret = vmsm_cs_iova(target, &iova);
	if (ret)
		return cs_fail(cs, ret);
	for (i = 0; i < target->nr; i++) {
		ret = vmsm_cs_add_bo(cs, target->objs[i], target->list[i].flags);
		if (ret)
			return cs_fail(cs, ret);
	}
	return vmsm_cs_indirect(cs, iova, target->cur);
}

int vmsm_cs_wait_mem(struct vmsm_cs *cs, uint64_t addr, uint32_t ref,
		     uint32_t mask, uint32_t func)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_WAIT_MEM, 5);

	if (!p)
		return cs->error;
	p = put64(p, addr);
	*p++ = ref;
	*p++ = mask;
	*p = func;
	return 0;
}

int vmsm_cs_timestamp(struct vmsm_cs *cs, uint64_t addr)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_TIMESTAMP, 2);

	if (!p)
		return cs->error;
	put64(p, addr);
	return 0;
}

int vmsm_cs_fence(struct vmsm_cs *cs, uint64_t addr, uint32_t value)
{
	uint32_t *p = cs_pkt(cs, VMSM_CP_FENCE, 3);

	if (!p)
		return cs->error;
	p = put64(p, addr);
	*p = value;
	return 0;
}

int vmsm_submit(struct vmsm_cs *cs, const struct vmsm_submit_opts *opts,
		struct vmsm_submit_out *out)
{
	static const struct vmsm_submit_opts defaults;
	struct drm_vmsm_submit_cmd cmd = {
		.handle = cs->bo ? vmsm_bo_handle(cs->bo) : 0,
		.offset = 0,
		.size = cs->cur,
	};
	struct drm_vmsm_gem_submit args = { 0 };
	uint32_t i;
	int ret;

	if (cs->error)
		return cs->error;
	if (!cs->cur)
		return -ENODATA;
	if (!opts)
		opts = &defaults;
	args.flags = opts->flags;
	args.queue_id = opts->queue_id;
	args.bos = (uintptr_t)cs->list;
	args.nr_bos = cs->nr;
	args.cmds = (uintptr_t)&cmd;
	args.nr_cmds = 1;
	args.in_syncobjs = (uintptr_t)opts->in_syncobjs;
	args.nr_in_syncobjs = opts->nr_in_syncobjs;
	args.out_syncobjs = (uintptr_t)opts->out_syncobjs;
	args.nr_out_syncobjs = opts->nr_out_syncobjs;
	args.fence_fd = (opts->flags & VMSM_SUBMIT_FENCE_FD_IN) ?
			opts->in_fence_fd : -1;

	/* Out fields: only what this submit returns is taken as an iova. */
	for (i = 0; i < cs->nr; i++)
		cs->list[i].iova = 0;
	ret = vmsm_ioctl(cs->dev->fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &args);
	if (ret)
		return ret;
	for (i = 0; i < cs->nr; i++)
		if (cs->list[i].iova)
			vmsm_bo_set_iova(cs->objs[i], cs->list[i].iova);
	if (out) {
		out->fence = args.fence;
		out->fence_fd = (opts->flags & VMSM_SUBMIT_FENCE_FD_OUT) ?
				args.fence_fd : -1;
	}
	return 0;
}
