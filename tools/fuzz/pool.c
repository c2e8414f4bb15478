// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The pool of one process: the fds it has open (DRM nodes, dma-bufs,
 * syncobj fds, sync files, eventfds) and the kernel objects it created
 * (GEM and syncobj handles, flink names, magics), so that "valid"
 * arguments name things that exist. Threads of a process share it under
 * one mutex; ioctls run without it, so another thread may close or dup2
 * over an fd while it is in use, which is the point.
 *
 * Both tables are fixed-size: a full fd table evicts (closes) a random
 * entry; the object table holds at most obj_cap[kind] entries of a kind
 * and forgets the oldest one of that kind (or the oldest of all when it
 * is full). A forgotten GEM handle is closed (GEM_CLOSE on an fd of its
 * file, if the process still has one), and so are the oldest objects
 * this process created once their sizes add up to more than
 * FUZZ_GEM_BUDGET: the pages of objects nobody names any more would
 * otherwise stay pinned until their DRM file closes, and the shared files
 * live as long as the run. Other forgotten handles stay alive in the
 * kernel until their DRM file is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"

/* Most entries of each kind in the object table. */
static const unsigned int obj_cap[OBJ_NR_KINDS] = {
	[OBJ_GEM] = 96,
	[OBJ_SYNCOBJ] = 64,
	[OBJ_FLINK] = 32,
	[OBJ_MAGIC] = 16,
	[OBJ_QUEUE] = 32,
	[OBJ_FENCE] = 64,
	[OBJ_SYNCPT] = 64,
};

void pool_init(struct fuzz_pool *pool)
{
	memset(pool, 0, sizeof(*pool));
	pthread_mutex_init(&pool->lock, NULL);
	pool->next_file = 1;
}

void pool_lock(struct fuzz_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
}

void pool_unlock(struct fuzz_pool *pool)
{
	pthread_mutex_unlock(&pool->lock);
}

uint32_t pool_new_file(struct fuzz_pool *pool)
{
	return pool->next_file++;
}

static void pool_del_fd_at(struct fuzz_pool *pool, unsigned int i)
{
	pool->fds[i] = pool->fds[--pool->nr_fds];
}

/* An fd number the kernel just handed out can't also be an older entry. */
static void pool_forget_fd(struct fuzz_pool *pool, int fd)
{
	unsigned int i;

	for (i = 0; i < pool->nr_fds; i++) {
		if (pool->fds[i].fd == fd) {
			pool_del_fd_at(pool, i);
			return;
		}
	}
}

/* Closes a random entry that isn't reserved (vgem, private); caller holds the lock. */
static bool pool_evict(struct fuzz_ctx *ctx)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i, start;

	if (!pool->nr_fds)
		return false;
	start = rng_below(&ctx->rng, pool->nr_fds);
	for (i = 0; i < pool->nr_fds; i++) {
		unsigned int j = (start + i) % pool->nr_fds;

		if (FD_MASK(pool->fds[j].kind) & FD_RESERVED)
			continue;
		close(pool->fds[j].fd);
		pool_del_fd_at(pool, j);
		return true;
	}
	return false;
}

void pool_add_fd_locked(struct fuzz_ctx *ctx, int fd, enum fuzz_fd_kind kind,
			uint32_t file, uint16_t owner)
{
	struct fuzz_pool *pool = &ctx->proc->pool;

	if (fd < 0)
		return;
	pool_forget_fd(pool, fd);
	if (pool->nr_fds == FUZZ_POOL_FDS && !pool_evict(ctx)) {
		close(fd);
		return;
	}
	pool->fds[pool->nr_fds++] = (struct fuzz_fd) {
		.fd = fd, .kind = kind, .owner = owner, .file = file,
	};
}

void pool_add_fd(struct fuzz_ctx *ctx, int fd, enum fuzz_fd_kind kind,
		 uint32_t file)
{
	pool_lock(&ctx->proc->pool);
	pool_add_fd_locked(ctx, fd, kind, file, ctx->owner);
	pool_unlock(&ctx->proc->pool);
}

static bool fd_matches(const struct fuzz_ctx *ctx, const struct fuzz_fd *f,
		       unsigned int kinds, bool own)
{
	if (!(kinds & FD_MASK(f->kind)))
		return false;
	return !own || f->owner == ctx->owner;
}

unsigned int pool_count_fds(struct fuzz_ctx *ctx, unsigned int kinds, bool own)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i, n = 0;

	pool_lock(pool);
	for (i = 0; i < pool->nr_fds; i++)
		n += fd_matches(ctx, &pool->fds[i], kinds, own);
	pool_unlock(pool);
	return n;
}

/* Random entry among those matching; caller holds the lock. */
static int pool_find_fd(struct fuzz_ctx *ctx, unsigned int kinds, bool own)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i, n = 0, pick;

	for (i = 0; i < pool->nr_fds; i++)
		n += fd_matches(ctx, &pool->fds[i], kinds, own);
	if (!n)
		return -1;
	pick = rng_below(&ctx->rng, n);
	for (i = 0; i < pool->nr_fds; i++) {
		if (fd_matches(ctx, &pool->fds[i], kinds, own) && !pick--)
			return i;
	}
	return -1;
}

/*
 * Picks an fd of one of @kinds: mostly one this thread opened (not
 * shared with the other threads' calls) when @prefer_own, otherwise any
 * of the process (shared by threads, and with other processes for those
 * opened before the fork).
 */
bool pool_pick_fd(struct fuzz_ctx *ctx, unsigned int kinds, bool prefer_own,
		  struct fuzz_fd *out)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	bool own = prefer_own && rng_chance(&ctx->rng, 70);
	int i;

	pool_lock(pool);
	i = pool_find_fd(ctx, kinds, own);
	if (i < 0 && own)
		i = pool_find_fd(ctx, kinds, false);
	if (i >= 0)
		*out = pool->fds[i];
	pool_unlock(pool);
	return i >= 0;
}

/* Whether @fd is a pool entry of @kind. */
bool pool_fd_is(struct fuzz_ctx *ctx, int fd, enum fuzz_fd_kind kind)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i;
	bool ret = false;

	pool_lock(pool);
	for (i = 0; i < pool->nr_fds; i++)
		if (pool->fds[i].fd == fd && pool->fds[i].kind == kind)
			ret = true;
	pool_unlock(pool);
	return ret;
}

void pool_close_random(struct fuzz_ctx *ctx)
{
	pool_lock(&ctx->proc->pool);
	if (pool_evict(ctx))
		stats_action(ACT_CLOSE, 1);
	pool_unlock(&ctx->proc->pool);
}

/* dup, dup3 with O_CLOEXEC, F_DUPFD to a high number, or dup2 over another entry. */
static int pool_dup_one(struct fuzz_ctx *ctx, const struct fuzz_fd *f)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	int j;

	switch (rng_below(&ctx->rng, 4)) {
	case 0:
		return dup(f->fd);
	case 1:
		return fcntl(f->fd, F_DUPFD_CLOEXEC,
			     3 + rng_below(&ctx->rng, FUZZ_NOFILE - 3));
	case 2:
		j = pool_find_fd(ctx, ~FD_RESERVED, false);
		if (j < 0 || pool->fds[j].fd == f->fd)
			return dup(f->fd);
		return dup3(f->fd, pool->fds[j].fd, O_CLOEXEC);
	default:
		j = pool_find_fd(ctx, ~FD_RESERVED, false);
		if (j < 0)
			return dup(f->fd);
		return dup2(f->fd, pool->fds[j].fd);
	}
}

void pool_dup_random(struct fuzz_ctx *ctx)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	struct fuzz_fd f;
	int i, fd;

	pool_lock(pool);
	i = pool_find_fd(ctx, ~FD_RESERVED, false);
	if (i >= 0) {
		f = pool->fds[i];
		fd = pool_dup_one(ctx, &f);
		if (fd >= 0 && fd != f.fd) {
			pool_add_fd_locked(ctx, fd, f.kind, f.file, ctx->owner);
			stats_action(ACT_DUP, 1);
		}
	}
	pool_unlock(pool);
}

static bool pool_has_fd(struct fuzz_pool *pool, int fd)
{
	unsigned int i;

	for (i = 0; i < pool->nr_fds; i++)
		if (pool->fds[i].fd == fd)
			return true;
	return false;
}

/*
 * Closes every fd above stderr that the pool doesn't know: fds the kernel
 * created for a call whose result the fuzzer couldn't read back (argument
 * in read-only memory, direction bits mutated...). The workers have no
 * other fds, and fds the fuzzer opens itself enter the pool under the
 * lock held here.
 */
unsigned int pool_sweep(struct fuzz_ctx *ctx)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int swept = 0;
	int fd;

	pool_lock(pool);
	for (fd = 3; fd < FUZZ_NOFILE; fd++) {
		if (pool_has_fd(pool, fd) || fcntl(fd, F_GETFD) < 0)
			continue;
		close(fd);
		swept++;
	}
	pool_unlock(pool);
	return swept;
}

/* An fd of DRM file @file, if the process still has one; caller holds the lock. */
static int pool_file_fd(struct fuzz_pool *pool, uint32_t file)
{
	unsigned int i;

	for (i = 0; file && i < pool->nr_fds; i++)
		if (pool->fds[i].file == file &&
		    (FD_MASK(pool->fds[i].kind) & FD_DRM))
			return pool->fds[i].fd;
	return -1;
}

bool pool_fd_of_file(struct fuzz_ctx *ctx, uint32_t file, struct fuzz_fd *out)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i;
	bool found = false;

	pool_lock(pool);
	for (i = 0; file && i < pool->nr_fds && !found; i++) {
		if (pool->fds[i].file == file &&
		    (FD_MASK(pool->fds[i].kind) & FD_DRM)) {
			*out = pool->fds[i];
			found = true;
		}
	}
	pool_unlock(pool);
	return found;
}

/*
 * Drops entry @o; a GEM handle is closed in the kernel too, through an fd
 * of its file (the fd can't go away: closes happen under the lock held
 * here). Objects whose file the process no longer holds are just
 * forgotten.
 */
static void pool_drop_obj(struct fuzz_ctx *ctx, struct fuzz_obj *o)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	struct drm_gem_close arg = { .handle = o->handle };
	int fd, ret;

	if (o->kind == OBJ_GEM) {
		fd = pool_file_fd(pool, o->file);
		if (fd >= 0) {
			ret = ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
			stats_action(ACT_GEM_EVICT, 1);
			if (fuzz_cfg.trace)
				worker_trace("%s @%llu evict GEM_CLOSE fd=%d handle=%u = %d",
					     ctx->who, (unsigned long long)ctx->step,
					     fd, o->handle, ret ? errno : 0);
		}
		if (o->created)
			pool->gem_bytes -= o->size;
	}
	o->used = false;
}

/* A free entry for one more object of @kind; caller holds the lock. */
static struct fuzz_obj *pool_obj_slot(struct fuzz_ctx *ctx,
				      enum fuzz_obj_kind kind)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	struct fuzz_obj *free_o = NULL, *oldest = NULL, *oldest_kind = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < FUZZ_POOL_OBJS; i++) {
		struct fuzz_obj *o = &pool->objs[i];

		if (!o->used) {
			if (!free_o)
				free_o = o;
			continue;
		}
		if (!oldest || o->seq < oldest->seq)
			oldest = o;
		if (o->kind == kind) {
			n++;
			if (!oldest_kind || o->seq < oldest_kind->seq)
				oldest_kind = o;
		}
	}
	if (n >= obj_cap[kind] && oldest_kind) {
		pool_drop_obj(ctx, oldest_kind);
		return oldest_kind;
	}
	if (free_o)
		return free_o;
	pool_drop_obj(ctx, oldest);
	return oldest;
}

static struct fuzz_obj *pool_add_locked(struct fuzz_ctx *ctx,
					enum fuzz_obj_kind kind, uint32_t file,
					uint32_t handle, uint64_t point)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	struct fuzz_obj *o = pool_obj_slot(ctx, kind);

	*o = (struct fuzz_obj) {
		.file = file, .handle = handle, .point = point,
		.seq = ++pool->obj_seq, .kind = kind, .used = true,
		.pid = getpid(), .flags = FUZZ_BO_FLAGS_UNKNOWN,
	};
	return o;
}

void pool_add_obj(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind,
		  uint32_t file, uint32_t handle, uint64_t point)
{
	pool_lock(&ctx->proc->pool);
	pool_add_locked(ctx, kind, file, handle, point);
	pool_unlock(&ctx->proc->pool);
}

/*
 * A GEM object this process just created, @size bytes: the oldest created
 * ones are closed first while the budget would be exceeded.
 */
void pool_add_gem(struct fuzz_ctx *ctx, uint32_t file, uint32_t handle,
		  uint64_t size, uint32_t flags, uint32_t gpu_lo)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	struct fuzz_obj *o, *oldest;
	unsigned int i;

	pool_lock(pool);
	while (pool->gem_bytes + size > FUZZ_GEM_BUDGET) {
		oldest = NULL;
		for (i = 0; i < FUZZ_POOL_OBJS; i++) {
			o = &pool->objs[i];
			if (o->used && o->kind == OBJ_GEM && o->created &&
			    (!oldest || o->seq < oldest->seq))
				oldest = o;
		}
		if (!oldest)
			break;
		pool_drop_obj(ctx, oldest);
	}
	o = pool_add_locked(ctx, OBJ_GEM, file, handle, 0);
	o->created = true;
	o->size = size;
	o->flags = flags;
	o->gpu_lo = gpu_lo;
	pool->gem_bytes += size;
	pool_unlock(pool);
}

/* Records what GEM_INFO said about (@file, @handle): the non-zero fields of @learned. */
void pool_update_gem(struct fuzz_ctx *ctx, uint32_t file, uint32_t handle,
		     const struct fuzz_obj *learned)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i;

	pool_lock(pool);
	for (i = 0; i < FUZZ_POOL_OBJS; i++) {
		struct fuzz_obj *o = &pool->objs[i];

		if (!o->used || o->kind != OBJ_GEM || o->file != file ||
		    o->handle != handle)
			continue;
		if (learned->size)
			o->size = learned->size;
		if (learned->iova)
			o->iova = learned->iova;
		if (learned->mmap_off)
			o->mmap_off = learned->mmap_off;
		if (learned->flags != FUZZ_BO_FLAGS_UNKNOWN)
			o->flags = learned->flags;
	}
	pool_unlock(pool);
}

/*
 * A mid-run fork about to exit: close the objects it created, which would
 * otherwise stay in the DRM files it shares with its parent.
 */
void pool_release_created(struct fuzz_ctx *ctx)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	pid_t me = getpid();
	unsigned int i;

	pool_lock(pool);
	for (i = 0; i < FUZZ_POOL_OBJS; i++) {
		struct fuzz_obj *o = &pool->objs[i];

		if (o->used && o->kind == OBJ_GEM && o->pid == me)
			pool_drop_obj(ctx, o);
	}
	pool_unlock(pool);
}

static bool obj_matches(const struct fuzz_obj *o, enum fuzz_obj_kind kind,
			uint32_t file)
{
	return o->used && o->kind == kind && (!file || o->file == file);
}

/* A random object of @kind on DRM file @file (any file if 0). */
bool pool_pick_obj(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind,
		   uint32_t file, struct fuzz_obj *out)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i, n = 0, pick;
	bool found = false;

	pool_lock(pool);
	for (i = 0; i < FUZZ_POOL_OBJS; i++)
		n += obj_matches(&pool->objs[i], kind, file);
	pick = rng_below(&ctx->rng, n);
	for (i = 0; n && i < FUZZ_POOL_OBJS; i++) {
		if (obj_matches(&pool->objs[i], kind, file) && !pick--) {
			*out = pool->objs[i];
			found = true;
			break;
		}
	}
	pool_unlock(pool);
	return found;
}

/* The object is gone in the kernel (closed, destroyed): forget it without a call. */
void pool_del_obj(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind,
		  uint32_t file, uint32_t handle)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i;

	pool_lock(pool);
	for (i = 0; i < FUZZ_POOL_OBJS; i++) {
		struct fuzz_obj *o = &pool->objs[i];

		if (obj_matches(o, kind, file) && o->handle == handle) {
			if (o->kind == OBJ_GEM && o->created)
				pool->gem_bytes -= o->size;
			o->used = false;
		}
	}
	pool_unlock(pool);
}

/* The private fd of a call is done: close it and drop it from the pool. */
void pool_forget_private(struct fuzz_ctx *ctx, int fd)
{
	struct fuzz_pool *pool = &ctx->proc->pool;

	pool_lock(pool);
	pool_forget_fd(pool, fd);
	close(fd);
	pool_unlock(pool);
}

/* Submits on @file fail with EIO: a job of its context faulted or hung. */
void pool_mark_faulty(struct fuzz_ctx *ctx, uint32_t file)
{
	struct fuzz_pool *pool = &ctx->proc->pool;

	if (pool_is_faulty(ctx, file))
		return;
	pool_lock(pool);
	pool->faulty[pool->faulty_next] = file;
	pool->faulty_next = (pool->faulty_next + 1) % FUZZ_FAULTY_FILES;
	pool_unlock(pool);
}

bool pool_is_faulty(struct fuzz_ctx *ctx, uint32_t file)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i;
	bool ret = false;

	pool_lock(pool);
	for (i = 0; file && i < FUZZ_FAULTY_FILES; i++)
		if (pool->faulty[i] == file)
			ret = true;
	pool_unlock(pool);
	return ret;
}
