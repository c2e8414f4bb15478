// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * DRM core ioctls a client of vmsm can reach on its primary or render
 * node: one generator per argument type and one table entry per ioctl.
 */
#include <fcntl.h>
#include <string.h>

#include "fuzz.h"

#define SYNCOBJ_WAIT_FLAGS	(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | \
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT | \
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE)
#define SYNCOBJ_TL_WAIT_FLAGS	(SYNCOBJ_WAIT_FLAGS | \
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE)
#define MAX_VALID_HANDLES	8

/* ---- helpers ---- */

/* The DRM file of the call: GEM and syncobj handles live there. */
static uint32_t current_file(struct fuzz_ctx *ctx)
{
	return ctx->target.file;
}

/* @n handles of @kind in scratch memory; returns its user pointer. */
static uint64_t handle_array(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind,
			     uint32_t n)
{
	uint32_t *a = fuzz_buf(ctx, n * sizeof(*a));
	uint32_t i;

	for (i = 0; i < n; i++)
		a[i] = fuzz_handle(ctx, kind);
	return fuzz_ptr(ctx, a, n * sizeof(*a));
}

/* @n timeline points in scratch memory; returns its user pointer. */
static uint64_t point_array(struct fuzz_ctx *ctx, uint32_t n)
{
	uint64_t *a = fuzz_buf(ctx, n * sizeof(*a));
	uint32_t i;

	for (i = 0; i < n; i++)
		a[i] = fuzz_value64(ctx, rng_below(&ctx->rng, 16));
	return fuzz_ptr(ctx, a, n * sizeof(*a));
}

static uint32_t nr_valid_handles(struct fuzz_ctx *ctx)
{
	return 1 + rng_below(&ctx->rng, MAX_VALID_HANDLES);
}

/* A string buffer and its length for DRM_IOCTL_VERSION. */
static void version_field(struct fuzz_ctx *ctx, __kernel_size_t *len, char **ptr)
{
	static const uint32_t sizes[] = { 0, 1, 4, 16, 64, 256 };
	size_t n = sizes[rng_below(&ctx->rng, ARRAY_SIZE(sizes))];
	void *buf = fuzz_buf(ctx, n);

	*len = fuzz_value64(ctx, n);
	*ptr = (char *)(uintptr_t)fuzz_ptr(ctx, buf, n);
}

/* ---- generators and result hooks ---- */

static void gen_version(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_version *v = arg;

	v->version_major = (int)fuzz_value32(ctx, 0);
	version_field(ctx, &v->name_len, &v->name);
	version_field(ctx, &v->date_len, &v->date);
	version_field(ctx, &v->desc_len, &v->desc);
}

static void gen_get_cap(struct fuzz_ctx *ctx, void *arg)
{
	static const uint32_t caps[] = {
		DRM_CAP_DUMB_BUFFER, DRM_CAP_VBLANK_HIGH_CRTC,
		DRM_CAP_DUMB_PREFERRED_DEPTH, DRM_CAP_DUMB_PREFER_SHADOW,
		DRM_CAP_PRIME, DRM_CAP_TIMESTAMP_MONOTONIC,
		DRM_CAP_ASYNC_PAGE_FLIP, DRM_CAP_CURSOR_WIDTH,
		DRM_CAP_CURSOR_HEIGHT, DRM_CAP_ADDFB2_MODIFIERS,
		DRM_CAP_PAGE_FLIP_TARGET, DRM_CAP_CRTC_IN_VBLANK_EVENT,
		DRM_CAP_SYNCOBJ, DRM_CAP_SYNCOBJ_TIMELINE,
		DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP,
	};
	struct drm_get_cap *c = arg;

	c->capability = fuzz_enum(ctx, caps, ARRAY_SIZE(caps));
	if (fuzz_field(ctx) != FUZZ_VALID)
		c->capability |= rng_next(&ctx->rng) << 32;
	c->value = fuzz_value64(ctx, 0);
}

static void gen_set_client_cap(struct fuzz_ctx *ctx, void *arg)
{
	static const uint32_t caps[] = {
		DRM_CLIENT_CAP_STEREO_3D, DRM_CLIENT_CAP_UNIVERSAL_PLANES,
		DRM_CLIENT_CAP_ATOMIC, DRM_CLIENT_CAP_ASPECT_RATIO,
		DRM_CLIENT_CAP_WRITEBACK_CONNECTORS,
		DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT,
	};
	struct drm_set_client_cap *c = arg;

	c->capability = fuzz_enum(ctx, caps, ARRAY_SIZE(caps));
	c->value = fuzz_value64(ctx, rng_below(&ctx->rng, 3));
}

static void gen_gem_close(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_gem_close *c = arg;

	c->handle = fuzz_handle(ctx, OBJ_GEM);
	c->pad = fuzz_pad(ctx);
}

static void done_gem_close(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_gem_close *c = arg;

	pool_del_obj(ctx, OBJ_GEM, current_file(ctx), c->handle);
}

static void gen_gem_flink(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_gem_flink *f = arg;

	f->handle = fuzz_handle(ctx, OBJ_GEM);
	f->name = fuzz_value32(ctx, 0);
}

static void done_gem_flink(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_gem_flink *f = arg;

	pool_add_obj(ctx, OBJ_FLINK, 0, f->name, 0);
}

static void gen_gem_open(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_gem_open *o = arg;
	struct fuzz_obj name;

	if (fuzz_field(ctx) == FUZZ_VALID && pool_pick_obj(ctx, OBJ_FLINK, 0, &name))
		o->name = name.handle;
	else
		o->name = fuzz_value32(ctx, 1 + rng_below(&ctx->rng, 4));
	o->handle = fuzz_value32(ctx, 0);
	o->size = fuzz_value64(ctx, 0);
}

static void done_gem_open(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_gem_open *o = arg;

	pool_add_obj(ctx, OBJ_GEM, current_file(ctx), o->handle, 0);
}

static void gen_prime_handle_to_fd(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_prime_handle *p = arg;

	p->handle = fuzz_handle(ctx, OBJ_GEM);
	p->flags = fuzz_flags(ctx, DRM_CLOEXEC | DRM_RDWR);
	p->fd = (int)fuzz_value32(ctx, (uint32_t)-1);
}

static void done_prime_handle_to_fd(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_prime_handle *p = arg;

	pool_add_fd(ctx, p->fd, FD_DMABUF, 0);
}

static void gen_prime_fd_to_handle(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_prime_handle *p = arg;

	p->fd = fuzz_fd_arg(ctx, FD_MASK(FD_DMABUF));
	p->flags = fuzz_flags(ctx, 0);
	p->handle = fuzz_value32(ctx, 0);
}

static void done_prime_fd_to_handle(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_prime_handle *p = arg;

	pool_add_obj(ctx, OBJ_GEM, current_file(ctx), p->handle, 0);
}

static void gen_syncobj_create(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_create *c = arg;

	c->flags = fuzz_flags(ctx, DRM_SYNCOBJ_CREATE_SIGNALED);
	c->handle = fuzz_value32(ctx, 0);
}

static void done_syncobj_create(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_create *c = arg;

	pool_add_obj(ctx, OBJ_SYNCOBJ, current_file(ctx), c->handle, 0);
}

static void gen_syncobj_destroy(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_destroy *d = arg;

	d->handle = fuzz_handle(ctx, OBJ_SYNCOBJ);
	d->pad = fuzz_pad(ctx);
}

static void done_syncobj_destroy(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_destroy *d = arg;

	pool_del_obj(ctx, OBJ_SYNCOBJ, current_file(ctx), d->handle);
}

static void gen_syncobj_handle_to_fd(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_handle *h = arg;

	h->handle = fuzz_handle(ctx, OBJ_SYNCOBJ);
	h->flags = fuzz_flags(ctx, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	h->fd = (int)fuzz_value32(ctx, (uint32_t)-1);
	h->pad = fuzz_pad(ctx);
}

static void done_syncobj_handle_to_fd(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_handle *h = arg;

	pool_add_fd(ctx, h->fd,
		    h->flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE ?
		    FD_SYNC_FILE : FD_SYNCOBJ, 0);
}

static void gen_syncobj_fd_to_handle(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_handle *h = arg;
	bool import = rng_chance(&ctx->rng, 40);

	h->flags = fuzz_flags(ctx, import ?
			      DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE : 0);
	h->fd = fuzz_fd_arg(ctx, FD_MASK(import ? FD_SYNC_FILE : FD_SYNCOBJ));
	h->handle = import ? fuzz_handle(ctx, OBJ_SYNCOBJ) : fuzz_value32(ctx, 0);
	h->pad = fuzz_pad(ctx);
}

static void done_syncobj_fd_to_handle(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_handle *h = arg;

	if (!(h->flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE))
		pool_add_obj(ctx, OBJ_SYNCOBJ, current_file(ctx), h->handle, 0);
}

static void gen_syncobj_wait(struct fuzz_ctx *ctx, void *arg)
{
	struct fuzz_syncobj_wait *w = arg;
	uint32_t n = nr_valid_handles(ctx);

	w->handles = handle_array(ctx, OBJ_SYNCOBJ, n);
	w->count_handles = fuzz_count(ctx, n);
	w->timeout_nsec = fuzz_timeout(ctx);
	w->flags = fuzz_flags(ctx, SYNCOBJ_WAIT_FLAGS);
	w->first_signaled = fuzz_value32(ctx, 0);
	w->pad = fuzz_pad(ctx);
	w->deadline_nsec = (uint64_t)fuzz_timeout(ctx);
}

static void gen_syncobj_timeline_wait(struct fuzz_ctx *ctx, void *arg)
{
	struct fuzz_syncobj_timeline_wait *w = arg;
	uint32_t n = nr_valid_handles(ctx);

	w->handles = handle_array(ctx, OBJ_SYNCOBJ, n);
	w->points = point_array(ctx, n);
	w->count_handles = fuzz_count(ctx, n);
	w->timeout_nsec = fuzz_timeout(ctx);
	w->flags = fuzz_flags(ctx, SYNCOBJ_TL_WAIT_FLAGS);
	w->first_signaled = fuzz_value32(ctx, 0);
	w->pad = fuzz_pad(ctx);
	w->deadline_nsec = (uint64_t)fuzz_timeout(ctx);
}

static void gen_syncobj_array(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_array *a = arg;
	uint32_t n = nr_valid_handles(ctx);

	a->handles = handle_array(ctx, OBJ_SYNCOBJ, n);
	a->count_handles = fuzz_count(ctx, n);
	a->pad = fuzz_pad(ctx);
}

static void gen_syncobj_timeline_signal(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_timeline_array *a = arg;
	uint32_t n = nr_valid_handles(ctx);

	a->handles = handle_array(ctx, OBJ_SYNCOBJ, n);
	a->points = point_array(ctx, n);
	a->count_handles = fuzz_count(ctx, n);
	a->flags = fuzz_flags(ctx, 0);
}

static void gen_syncobj_query(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_timeline_array *a = arg;
	uint32_t n = nr_valid_handles(ctx);
	void *points = fuzz_buf(ctx, n * sizeof(uint64_t));

	a->handles = handle_array(ctx, OBJ_SYNCOBJ, n);
	a->points = fuzz_ptr(ctx, points, n * sizeof(uint64_t));
	a->count_handles = fuzz_count(ctx, n);
	a->flags = fuzz_flags(ctx, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED);
}

static void gen_syncobj_transfer(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_syncobj_transfer *t = arg;

	t->src_handle = fuzz_handle(ctx, OBJ_SYNCOBJ);
	t->dst_handle = fuzz_handle(ctx, OBJ_SYNCOBJ);
	t->src_point = fuzz_value64(ctx, rng_below(&ctx->rng, 16));
	t->dst_point = fuzz_value64(ctx, rng_below(&ctx->rng, 16));
	t->flags = fuzz_flags(ctx, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
	t->pad = fuzz_pad(ctx);
}

static void gen_syncobj_eventfd(struct fuzz_ctx *ctx, void *arg)
{
	struct fuzz_syncobj_eventfd *e = arg;

	e->handle = fuzz_handle(ctx, OBJ_SYNCOBJ);
	e->flags = fuzz_flags(ctx, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE);
	e->point = fuzz_value64(ctx, rng_below(&ctx->rng, 16));
	e->fd = fuzz_fd_arg(ctx, FD_MASK(FD_EVENTFD));
	e->pad = fuzz_pad(ctx);
}

static void gen_get_magic(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_auth *a = arg;

	a->magic = fuzz_value32(ctx, 0);
}

static void done_get_magic(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_auth *a = arg;

	pool_add_obj(ctx, OBJ_MAGIC, 0, a->magic, 0);
}

static void gen_auth_magic(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_auth *a = arg;
	struct fuzz_obj m;

	if (fuzz_field(ctx) == FUZZ_VALID && pool_pick_obj(ctx, OBJ_MAGIC, 0, &m))
		a->magic = m.handle;
	else
		a->magic = fuzz_value32(ctx, 1 + rng_below(&ctx->rng, 4));
}

static void gen_mode_getresources(struct fuzz_ctx *ctx, void *arg)
{
	struct drm_mode_card_res *r = arg;
	uint32_t n = rng_below(&ctx->rng, 8);
	__u64 *ptrs[] = {
		&r->fb_id_ptr, &r->crtc_id_ptr,
		&r->connector_id_ptr, &r->encoder_id_ptr,
	};
	__u32 *counts[] = {
		&r->count_fbs, &r->count_crtcs,
		&r->count_connectors, &r->count_encoders,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		*ptrs[i] = fuzz_ptr(ctx, fuzz_buf(ctx, n * 4), n * 4);
		*counts[i] = fuzz_count(ctx, n);
	}
	r->min_width = fuzz_value32(ctx, 0);
	r->max_height = fuzz_value32(ctx, 0);
}

/*
 * Relative weights: the ioctls that create and take objects come up more
 * often than the one-shot queries. Counts stay capped (FUZZ_F_CAP_COUNTS):
 * the DRM core's WARN on huge allocations is not vmsm's to fix.
 */
#define CORE_IOCTL(_name, _weight, _flags, _gen, _done) \
	FUZZ_IOCTL(_name, _weight, (_flags) | FUZZ_F_CAP_COUNTS, _gen, _done)
#define CORE_IOCTL_REQ(_name, _req, _weight, _flags, _gen, _done) \
	FUZZ_IOCTL_REQ(_name, _req, _weight, (_flags) | FUZZ_F_CAP_COUNTS, \
		       _gen, _done)

const struct fuzz_ioctl fuzz_drm_ioctls[] = {
	CORE_IOCTL(VERSION, 4, 0, gen_version, NULL),
	CORE_IOCTL(GET_CAP, 4, 0, gen_get_cap, NULL),
	CORE_IOCTL(SET_CLIENT_CAP, 3, 0, gen_set_client_cap, NULL),
	CORE_IOCTL(GEM_CLOSE, 3, 0, gen_gem_close, done_gem_close),
	CORE_IOCTL(GEM_FLINK, 3, FUZZ_F_PRIMARY, gen_gem_flink, done_gem_flink),
	CORE_IOCTL(GEM_OPEN, 3, FUZZ_F_PRIMARY, gen_gem_open, done_gem_open),
	CORE_IOCTL(PRIME_HANDLE_TO_FD, 3, 0, gen_prime_handle_to_fd,
		   done_prime_handle_to_fd),
	CORE_IOCTL(PRIME_FD_TO_HANDLE, 4, 0, gen_prime_fd_to_handle,
		   done_prime_fd_to_handle),
	CORE_IOCTL(SYNCOBJ_CREATE, 6, 0, gen_syncobj_create, done_syncobj_create),
	CORE_IOCTL(SYNCOBJ_DESTROY, 4, 0, gen_syncobj_destroy,
		   done_syncobj_destroy),
	CORE_IOCTL(SYNCOBJ_HANDLE_TO_FD, 4, 0, gen_syncobj_handle_to_fd,
		   done_syncobj_handle_to_fd),
	CORE_IOCTL(SYNCOBJ_FD_TO_HANDLE, 4, 0, gen_syncobj_fd_to_handle,
		   done_syncobj_fd_to_handle),
	CORE_IOCTL_REQ("SYNCOBJ_WAIT", FUZZ_IOCTL_SYNCOBJ_WAIT, 5,
		       FUZZ_F_BLOCKING, gen_syncobj_wait, NULL),
	CORE_IOCTL_REQ("SYNCOBJ_TIMELINE_WAIT", FUZZ_IOCTL_SYNCOBJ_TIMELINE_WAIT,
		       3, FUZZ_F_BLOCKING, gen_syncobj_timeline_wait, NULL),
	CORE_IOCTL(SYNCOBJ_RESET, 3, 0, gen_syncobj_array, NULL),
	CORE_IOCTL(SYNCOBJ_SIGNAL, 4, 0, gen_syncobj_array, NULL),
	CORE_IOCTL(SYNCOBJ_TIMELINE_SIGNAL, 2, 0, gen_syncobj_timeline_signal,
		   NULL),
	CORE_IOCTL(SYNCOBJ_QUERY, 2, 0, gen_syncobj_query, NULL),
	CORE_IOCTL(SYNCOBJ_TRANSFER, 2, FUZZ_F_BLOCKING, gen_syncobj_transfer,
		   NULL),
	CORE_IOCTL_REQ("SYNCOBJ_EVENTFD", FUZZ_IOCTL_SYNCOBJ_EVENTFD, 2, 0,
		       gen_syncobj_eventfd, NULL),
	CORE_IOCTL(GET_MAGIC, 2, FUZZ_F_PRIMARY, gen_get_magic, done_get_magic),
	CORE_IOCTL(AUTH_MAGIC, 2, FUZZ_F_PRIMARY, gen_auth_magic, NULL),
	CORE_IOCTL(SET_MASTER, 1, FUZZ_F_PRIMARY, NULL, NULL),
	CORE_IOCTL(DROP_MASTER, 1, FUZZ_F_PRIMARY, NULL, NULL),
	CORE_IOCTL(MODE_GETRESOURCES, 2, FUZZ_F_PRIMARY, gen_mode_getresources,
		   NULL),
};

const unsigned int fuzz_nr_drm_ioctls = ARRAY_SIZE(fuzz_drm_ioctls);
