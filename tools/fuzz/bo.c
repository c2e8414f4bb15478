// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Buffer objects seen from the CPU: mmap() of vmsm objects through the
 * fake offset GEM_INFO hands out, random touches, munmap and mprotect,
 * and the objects the submit generator writes its command streams into.
 *
 * Mappings live in FUZZ_BO_SLOTS fixed slots that are reserved PROT_NONE
 * for the whole run, each followed by a guard page; a mapping goes in with
 * MAP_FIXED and "munmap" puts the PROT_NONE reservation back (also after a
 * failed MAP_FIXED mmap, which leaves a hole). No other mapping can ever
 * move into a slot, so pointers into slots handed to the kernel (see
 * fuzz_ptr()) stay as safe as the victim mapping's: at worst the kernel
 * faults. Slots change under proc->bo_lock only, and the fuzzer writes to
 * a slot only while it holds the lock, so it never writes to a page
 * another thread unmaps.
 *
 * mmap() of a shmem object pins all its pages for as long as the mapping
 * lives, so only objects of at most FUZZ_BO_POOLED_MAX bytes are mapped.
 *
 * Helper calls (fuzz_prep()) are the ioctls the fuzzer makes to set up a
 * fuzzed call, such as creating and mapping a command-stream object:
 * they are traced but not counted in the table.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "fuzz.h"

#define SLOT_STRIDE	(FUZZ_BO_SLOT_SIZE + FUZZ_PAGE)
#define PAGE_ALIGN(x)	(((x) + FUZZ_PAGE - 1) & ~(uint64_t)(FUZZ_PAGE - 1))

int fuzz_prep(struct fuzz_ctx *ctx, int fd, unsigned long req, void *arg,
	      const char *what)
{
	int err, tries = 0;

	do {
		err = ioctl(fd, req, arg) ? errno : 0;
	} while (err == EINTR && ++tries < 4);
	stats_action(ACT_PREP, 1);
	if (err)
		stats_action(ACT_PREP_FAIL, 1);
	if (fuzz_cfg.trace)
		worker_trace("%s @%llu prep %s fd=%d = %d", ctx->who,
			     (unsigned long long)ctx->step, what, fd, err);
	return err;
}

static int gem_info(struct fuzz_ctx *ctx, int fd, uint32_t handle,
		    uint32_t info, uint64_t *value, const char *what)
{
	struct drm_vmsm_gem_info a = { .handle = handle, .info = info };
	int err = fuzz_prep(ctx, fd, DRM_IOCTL_VMSM_GEM_INFO, &a, what);

	if (!err)
		*value = a.value;
	return err;
}

static void gem_close(struct fuzz_ctx *ctx, int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	fuzz_prep(ctx, fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
}

static void *reserve(uint8_t *addr, size_t len)
{
	return mmap(addr, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		    (addr ? MAP_FIXED : 0), -1, 0);
}

int bo_init(struct fuzz_proc *proc)
{
	pthread_mutexattr_t attr;
	unsigned int i;
	void *p;

	/* recursive: fuzz_ptr() may copy into a slot while a generator holds it */
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&proc->bo_lock, &attr);
	pthread_mutexattr_destroy(&attr);

	p = reserve(NULL, (size_t)FUZZ_BO_SLOTS * SLOT_STRIDE);
	if (p == MAP_FAILED)
		return -1;
	proc->slot_area = p;
	for (i = 0; i < FUZZ_BO_SLOTS; i++) {
		memset(&proc->slots[i], 0, sizeof(proc->slots[i]));
		proc->slots[i].addr = proc->slot_area + (size_t)i * SLOT_STRIDE;
	}
	return 0;
}

/* Back to the PROT_NONE reservation: atomic, nothing can move in. */
static void slot_reset(struct fuzz_slot *s)
{
	uint8_t *addr = s->addr;

	reserve(addr, FUZZ_BO_SLOT_SIZE);
	memset(s, 0, sizeof(*s));
	s->addr = addr;
}

/*
 * A mid-run fork shares the parent's object pages through the inherited
 * MAP_SHARED mappings: it drops them, so that it never writes to the
 * parent's command streams, and makes its own.
 */
void bo_child_reset(struct fuzz_proc *proc)
{
	pthread_mutexattr_t attr;
	unsigned int i;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&proc->bo_lock, &attr);
	pthread_mutexattr_destroy(&attr);
	for (i = 0; i < FUZZ_BO_SLOTS; i++)
		if (proc->slots[i].len)
			slot_reset(&proc->slots[i]);
}

void bo_lock(struct fuzz_ctx *ctx)
{
	pthread_mutex_lock(&ctx->proc->bo_lock);
}

void bo_unlock(struct fuzz_ctx *ctx)
{
	pthread_mutex_unlock(&ctx->proc->bo_lock);
}

/* GEM_CLOSE of (@file, @handle) succeeded: slots must not use the number. */
void bo_forget_handle(struct fuzz_ctx *ctx, uint32_t file, uint32_t handle)
{
	unsigned int i;

	bo_lock(ctx);
	for (i = 0; i < FUZZ_BO_SLOTS; i++) {
		struct fuzz_slot *s = &ctx->proc->slots[i];

		if (s->len && s->file == file && s->handle == handle)
			s->handle = 0;
	}
	bo_unlock(ctx);
}

/* A free slot, else the least recently used one (@keep_cmd: a plain one if any). */
static struct fuzz_slot *slot_take(struct fuzz_ctx *ctx, bool keep_cmd)
{
	struct fuzz_proc *proc = ctx->proc;
	struct fuzz_slot *lru = NULL, *lru_plain = NULL;
	unsigned int i;

	for (i = 0; i < FUZZ_BO_SLOTS; i++) {
		struct fuzz_slot *s = &proc->slots[i];

		if (!s->len)
			return s;
		if (!lru || s->stamp < lru->stamp)
			lru = s;
		if (!s->cmd && (!lru_plain || s->stamp < lru_plain->stamp))
			lru_plain = s;
	}
	if (keep_cmd && lru_plain)
		lru = lru_plain;
	stats_action(ACT_BO_MUNMAP, 1);
	slot_reset(lru);
	return lru;
}

static struct fuzz_slot *slot_pick(struct fuzz_ctx *ctx, int need_prot)
{
	struct fuzz_proc *proc = ctx->proc;
	unsigned int i, start = rng_below(&ctx->rng, FUZZ_BO_SLOTS);

	for (i = 0; i < FUZZ_BO_SLOTS; i++) {
		struct fuzz_slot *s = &proc->slots[(start + i) % FUZZ_BO_SLOTS];

		if (s->len && (s->prot & need_prot) == need_prot)
			return s;
	}
	return NULL;
}

static bool slot_map(struct fuzz_ctx *ctx, struct fuzz_slot *s, int fd,
		     uint64_t offset, size_t len, int prot)
{
	void *p = mmap(s->addr, len, prot, MAP_SHARED | MAP_FIXED, fd,
		       (off_t)offset);

	if (fuzz_cfg.trace)
		worker_trace("%s @%llu mmap fd=%d off=0x%llx len=0x%zx prot=%d = %d",
			     ctx->who, (unsigned long long)ctx->step, fd,
			     (unsigned long long)offset, len, prot,
			     p == MAP_FAILED ? errno : 0);
	if (p == MAP_FAILED) {
		stats_action(ACT_BO_MMAP_FAIL, 1);
		slot_reset(s);	/* a failed MAP_FIXED may leave a hole */
		return false;
	}
	stats_action(ACT_BO_MMAP, 1);
	s->len = len;
	s->prot = prot;
	s->stamp = ++ctx->proc->slot_stamp;
	return true;
}

/*
 * Copies @len bytes to a mapped object (the last page of a cmd slot,
 * anywhere in another one) and returns the user pointer, 0 if no slot
 * fits. The copy may be overwritten or unmapped before the kernel reads
 * it: the kernel then sees other bytes or faults.
 */
uint64_t bo_ptr_copy(struct fuzz_ctx *ctx, const void *src, size_t len)
{
	struct fuzz_slot *s;
	uint64_t ret = 0;
	size_t room, off;

	bo_lock(ctx);
	s = slot_pick(ctx, PROT_READ | PROT_WRITE);
	if (s) {
		room = s->cmd ? FUZZ_BO_SCRATCH : s->len;
		if (len <= room) {
			off = s->len - room +
			      8 * rng_below(&ctx->rng, (room - len) / 8 + 1);
			memcpy(s->addr + off, src, len);
			ret = (uintptr_t)(s->addr + off);
		}
	}
	bo_unlock(ctx);
	return ret;
}

static uint32_t cmd_bo_flags(struct fuzz_ctx *ctx)
{
	unsigned int r = rng_below(&ctx->rng, 100);

	if (r < 70)
		return VMSM_BO_CACHED;
	if (r < 85)
		return VMSM_BO_WC;
	if (r < 95 || !fuzz_cfg.dev.coherent)
		return VMSM_BO_UNCACHED;
	return VMSM_BO_CACHED_COHERENT;
}

/*
 * The command-stream slot of @f's DRM file; with @create, make one if
 * there is none: GEM_NEW, the mmap offset, mmap, GEM_INFO(GET_IOVA).
 * Caller holds bo_lock.
 */
struct fuzz_slot *bo_cmd_slot(struct fuzz_ctx *ctx, const struct fuzz_fd *f,
			      bool create)
{
	struct fuzz_proc *proc = ctx->proc;
	struct drm_vmsm_gem_new n = { .size = FUZZ_CMD_BO_SIZE };
	struct fuzz_obj learned;
	struct fuzz_slot *s;
	uint64_t off, iova;
	unsigned int i;

	for (i = 0; i < FUZZ_BO_SLOTS; i++) {
		s = &proc->slots[i];
		if (s->len && s->cmd && s->file == f->file) {
			s->stamp = ++proc->slot_stamp;
			return s;
		}
	}
	if (!create || !(FD_MASK(f->kind) & (FD_DRM | FD_MASK(FD_PRIVATE))))
		return NULL;

	n.flags = cmd_bo_flags(ctx);
	if (fuzz_prep(ctx, f->fd, DRM_IOCTL_VMSM_GEM_NEW, &n, "GEM_NEW"))
		return NULL;
	if (gem_info(ctx, f->fd, n.handle, VMSM_INFO_GET_MMAP_OFFSET, &off,
		     "GEM_INFO(MMAP_OFFSET)"))
		goto err_close;
	s = slot_take(ctx, false);
	if (!slot_map(ctx, s, f->fd, off, FUZZ_CMD_BO_SIZE,
		      PROT_READ | PROT_WRITE))
		goto err_close;
	if (gem_info(ctx, f->fd, n.handle, VMSM_INFO_GET_IOVA, &iova,
		     "GEM_INFO(IOVA)")) {
		slot_reset(s);
		goto err_close;
	}
	s->cmd = true;
	s->file = f->file;
	s->handle = n.handle;
	s->flags = n.flags;
	s->size = FUZZ_CMD_BO_SIZE;
	s->iova = iova;
	s->ring_off = 0;

	pool_add_gem(ctx, f->file, n.handle, FUZZ_CMD_BO_SIZE, n.flags,
		     FUZZ_CMD_RING);
	learned = (struct fuzz_obj) {
		.iova = iova, .mmap_off = off, .flags = FUZZ_BO_FLAGS_UNKNOWN,
	};
	pool_update_gem(ctx, f->file, n.handle, &learned);
	return s;

err_close:
	gem_close(ctx, f->fd, n.handle);
	return NULL;
}

/* Offset of @bytes in the stream ring of cmd slot @s; it wraps around. */
uint32_t bo_ring_alloc(struct fuzz_ctx *ctx, struct fuzz_slot *s, uint32_t bytes)
{
	uint32_t off;

	(void)ctx;
	bytes = (bytes + 63) & ~63u;
	if (s->ring_off + bytes > FUZZ_CMD_RING)
		s->ring_off = 0;
	off = s->ring_off;
	s->ring_off += bytes;
	return off;
}

/* Whether the slot's handle still names its object (same GPU address). */
bool bo_check_handle(struct fuzz_ctx *ctx, int fd, struct fuzz_slot *s)
{
	uint64_t iova;

	if (!s->handle)
		return false;
	if (gem_info(ctx, fd, s->handle, VMSM_INFO_GET_IOVA, &iova,
		     "GEM_INFO(IOVA)") || iova != s->iova) {
		s->handle = 0;
		return false;
	}
	return true;
}

/*
 * Makes sure @o (a GEM object of @fd's file) is mapped in the file's VM
 * and learns its GPU address, size and flags, asking GEM_INFO for what the
 * pool does not know or what may have changed (the handle may name
 * another object by now). Leading bytes of a cmd object of this process
 * are off limits for jobs. Caller holds bo_lock.
 */
bool bo_learn(struct fuzz_ctx *ctx, int fd, struct fuzz_obj *o)
{
	struct fuzz_obj learned = { .flags = FUZZ_BO_FLAGS_UNKNOWN };
	uint64_t iova, v;
	unsigned int i;

	if (gem_info(ctx, fd, o->handle, VMSM_INFO_GET_IOVA, &iova,
		     "GEM_INFO(IOVA)"))
		return false;
	if (iova != o->iova || !o->size || o->flags == FUZZ_BO_FLAGS_UNKNOWN) {
		learned.iova = iova;
		if (gem_info(ctx, fd, o->handle, VMSM_INFO_GET_SIZE, &v,
			     "GEM_INFO(SIZE)"))
			return false;
		learned.size = v;
		if (gem_info(ctx, fd, o->handle, VMSM_INFO_GET_FLAGS, &v,
			     "GEM_INFO(FLAGS)"))
			return false;
		learned.flags = v;
		pool_update_gem(ctx, o->file, o->handle, &learned);
		o->iova = learned.iova;
		o->size = learned.size;
		o->flags = learned.flags;
		o->gpu_lo = 0;
	}
	o->size = PAGE_ALIGN(o->size);
	for (i = 0; i < FUZZ_BO_SLOTS; i++) {
		struct fuzz_slot *s = &ctx->proc->slots[i];

		if (s->len && s->cmd && s->file == o->file && s->iova == iova)
			o->gpu_lo = FUZZ_CMD_RING;
	}
	return o->size > o->gpu_lo;
}

/* ---- actions ---- */

/*
 * mmap() an object of the pool through an fd of its file: mostly all of
 * it (at most a slot), sometimes a part or at an offset past the object's
 * start, rarely too much or at a bad offset (then the kernel refuses).
 */
void act_bo_mmap(struct fuzz_ctx *ctx)
{
	struct fuzz_obj o, learned = { .flags = FUZZ_BO_FLAGS_UNKNOWN };
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE, PROT_READ, PROT_WRITE, PROT_NONE,
	};
	struct fuzz_slot *s;
	struct fuzz_fd f;
	uint64_t off, size, pages, skip = 0;
	size_t len;

	bo_lock(ctx);
	if (!pool_pick_fd(ctx, FD_DRM, true, &f) ||
	    !pool_pick_obj(ctx, OBJ_GEM, f.file, &o))
		goto out;
	off = o.mmap_off;
	if (!off || rng_chance(&ctx->rng, 10)) {
		if (gem_info(ctx, f.fd, o.handle, VMSM_INFO_GET_MMAP_OFFSET, &off,
			     "GEM_INFO(MMAP_OFFSET)"))
			goto out;
		learned.mmap_off = off;
	}
	size = o.size;
	if (!size || !o.created) {
		if (gem_info(ctx, f.fd, o.handle, VMSM_INFO_GET_SIZE, &size,
			     "GEM_INFO(SIZE)"))
			goto out;
		learned.size = size;
	}
	pool_update_gem(ctx, f.file, o.handle, &learned);
	/* mmap pins every page of the object */
	size = PAGE_ALIGN(size);
	if (!size || size > FUZZ_BO_POOLED_MAX)
		goto out;

	pages = size / FUZZ_PAGE;
	len = size < FUZZ_BO_SLOT_SIZE ? size : FUZZ_BO_SLOT_SIZE;
	switch (rng_below(&ctx->rng, 10)) {
	case 0:		/* the first pages only */
		len = FUZZ_PAGE * (1 + rng_below(&ctx->rng, len / FUZZ_PAGE));
		break;
	case 1:		/* from a later page: the kernel maps from the start */
		skip = rng_below(&ctx->rng, pages);
		len = FUZZ_PAGE * (1 + rng_below(&ctx->rng, len / FUZZ_PAGE));
		break;
	case 2:		/* one page too many: -EINVAL */
		if (len + FUZZ_PAGE <= FUZZ_BO_SLOT_SIZE)
			len += FUZZ_PAGE;
		break;
	case 3:		/* not an offset the object has */
		if (rng_chance(&ctx->rng, 50))
			off += size;
		else
			off = (rng_next(&ctx->rng) & ~(uint64_t)(FUZZ_PAGE - 1)) >> 1;
		break;
	default:
		break;
	}
	s = slot_take(ctx, true);
	if (slot_map(ctx, s, f.fd, off + skip * FUZZ_PAGE, len,
		     prots[rng_below(&ctx->rng, ARRAY_SIZE(prots))])) {
		s->file = f.file;
		s->handle = o.handle;
		s->size = size;
		s->flags = o.flags;
		s->iova = o.iova;
	}
out:
	bo_unlock(ctx);
}

/* A few reads and writes of random bytes in a mapped object. */
void act_bo_touch(struct fuzz_ctx *ctx)
{
	struct fuzz_slot *s;
	unsigned int i, n = 1 + rng_below(&ctx->rng, 32);
	volatile uint8_t *p;
	uint64_t sum = 0;
	size_t off, lo;

	bo_lock(ctx);
	s = slot_pick(ctx, PROT_READ);
	if (!s)
		s = slot_pick(ctx, PROT_WRITE);
	if (!s)
		goto out;
	/* streams of queued jobs live in the ring of a cmd slot */
	lo = s->cmd ? FUZZ_CMD_RING : 0;
	for (i = 0; i < n; i++) {
		off = lo + rng_below(&ctx->rng, (s->len - lo) / 8) * 8;
		p = s->addr + off;
		if ((s->prot & PROT_WRITE) && rng_chance(&ctx->rng, 50)) {
			if (rng_chance(&ctx->rng, 5) && !(off % FUZZ_PAGE))
				memset((void *)p, (int)rng_next(&ctx->rng),
				       FUZZ_PAGE);
			else
				*(volatile uint64_t *)p = rng_next(&ctx->rng);
		} else if (s->prot & PROT_READ) {
			sum += *(volatile uint64_t *)p;
		}
	}
	(void)sum;
	s->stamp = ++ctx->proc->slot_stamp;
	stats_action(ACT_BO_TOUCH, 1);
out:
	bo_unlock(ctx);
}

/*
 * munmap a whole mapping (the object stays), or the tail of a plain one,
 * or mprotect a plain one.
 */
void act_bo_munmap(struct fuzz_ctx *ctx)
{
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
	};
	struct fuzz_slot *s;
	size_t keep;
	int prot;

	bo_lock(ctx);
	s = slot_pick(ctx, 0);
	if (!s)
		goto out;
	switch (s->cmd ? 0 : rng_below(&ctx->rng, 3)) {
	case 0:
		slot_reset(s);
		stats_action(ACT_BO_MUNMAP, 1);
		break;
	case 1:
		keep = FUZZ_PAGE * rng_below(&ctx->rng, s->len / FUZZ_PAGE);
		if (!keep) {
			slot_reset(s);
		} else {
			reserve(s->addr + keep, FUZZ_BO_SLOT_SIZE - keep);
			s->len = keep;
		}
		stats_action(ACT_BO_MUNMAP, 1);
		break;
	default:
		prot = prots[rng_below(&ctx->rng, ARRAY_SIZE(prots))];
		if (!mprotect(s->addr, s->len, prot))
			s->prot = prot;
		stats_action(ACT_BO_MPROTECT, 1);
		break;
	}
	if (fuzz_cfg.trace)
		worker_trace("%s @%llu bo-munmap slot %ld", ctx->who,
			     (unsigned long long)ctx->step,
			     (long)(s - ctx->proc->slots));
out:
	bo_unlock(ctx);
}
