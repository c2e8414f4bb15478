// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The fuzz loop. A worker process runs --threads threads; each thread
 * draws, from its own RNG, either an ioctl from the table (built by the
 * entry's generator in valid, boundary or invalid mode, aimed at one of
 * the process's DRM fds) or an action that changes the ground under the
 * other threads: open, close, dup/dup2 over a busy fd, eventfd, a vgem
 * dma-buf, munmap/remap/mprotect of the victim mapping, a fork that
 * fuzzes the inherited fds for a while, a sweep of leaked fds.
 *
 * SIGALRM comes from a process interval timer at random moments and from
 * a per-thread watchdog timer around every call that may sleep; its
 * handler does not ask for SA_RESTART, so the interrupted ioctl returns
 * EINTR.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#define THREAD_STACK	(256 << 10)

static const char *const mode_names[] = {
	[FUZZ_VALID] = "valid",
	[FUZZ_BOUNDARY] = "boundary",
	[FUZZ_INVALID] = "invalid",
};

static const char *const fd_kind_names[FD_NR_KINDS + 1] = {
	[FD_PRIMARY] = "primary",	[FD_RENDER] = "render",
	[FD_VGEM] = "vgem",		[FD_DMABUF] = "dmabuf",
	[FD_SYNCOBJ] = "syncobj",	[FD_SYNC_FILE] = "sync_file",
	[FD_EVENTFD] = "eventfd",	[FD_PRIVATE] = "private",
	[FD_NR_KINDS] = "bad",
};

void worker_trace(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
#ifdef FUZZ_TRACE_TIME
	{
		int k = snprintf(line, 16, "%09.3f ", fuzz_now_ns() / 1e9);

		n = k + vsnprintf(line + k, sizeof(line) - 1 - k, fmt, ap);
	}
#else
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
#endif
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

static bool time_up(void)
{
	int64_t deadline = fuzz_shared->deadline_ns;

	return deadline && fuzz_now_ns() >= deadline;
}

/* ---- scratch memory ---- */

/* Maps @len bytes followed by a PROT_NONE guard page. */
static uint8_t *map_guarded(size_t len)
{
	uint8_t *p = mmap(NULL, len + FUZZ_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + len, FUZZ_PAGE, PROT_NONE)) {
		munmap(p, len + FUZZ_PAGE);
		return NULL;
	}
	return p;
}

static int scratch_init(struct fuzz_ctx *ctx)
{
	ctx->args = map_guarded(FUZZ_ARG_AREA);
	ctx->bufs = map_guarded(FUZZ_BUF_AREA);
	return ctx->args && ctx->bufs ? 0 : -1;
}

/* ---- signals ---- */

static void timer_init(struct fuzz_ctx *ctx)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = SIGALRM,
	};

	sev._sigev_un._tid = gettid();
	ctx->has_timer = !timer_create(CLOCK_MONOTONIC, &sev, &ctx->timer);
}

static void watchdog(struct fuzz_ctx *ctx, bool arm)
{
	struct itimerspec its = { };

	if (!ctx->has_timer)
		return;
	if (arm) {
		its.it_value.tv_nsec = 100000 + rng_below(&ctx->rng, 20000000);
		its.it_interval.tv_nsec = 5000000;
	}
	timer_settime(ctx->timer, 0, &its, NULL);
}

/* SIGALRM to the process every 2..30 ms, for whichever thread it hits. */
static void noise_timer_start(struct fuzz_rng *rng)
{
	struct itimerval it = { };

	it.it_interval.tv_usec = 2000 + rng_below(rng, 28000);
	it.it_value = it.it_interval;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void noise_timer_stop(void)
{
	struct itimerval it = { };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ---- actions ---- */

/*
 * Opens a vmsm node (of @want_kind if >= 0) as a new DRM file of kind
 * @fd_kind and puts it in the pool; @out (if not NULL) gets the entry.
 */
static bool open_node(struct fuzz_ctx *ctx, int want_kind,
		      enum fuzz_fd_kind fd_kind, struct fuzz_fd *out)
{
	const struct fuzz_node *node;
	unsigned int i, n = fuzz_cfg.nr_nodes;
	struct fuzz_fd f;
	int fd, flags = O_RDWR;

	i = rng_below(&ctx->rng, n);
	for (unsigned int tries = 0; want_kind >= 0 && tries < n; tries++) {
		if ((int)fuzz_cfg.nodes[(i + tries) % n].kind == want_kind) {
			i = (i + tries) % n;
			break;
		}
	}
	node = &fuzz_cfg.nodes[i];
	if (rng_chance(&ctx->rng, 50))
		flags |= O_CLOEXEC;
	if (fd_kind != FD_PRIVATE)
		fd_kind = node->kind == NODE_PRIMARY ? FD_PRIMARY : FD_RENDER;

	pool_lock(&ctx->proc->pool);
	fd = open(node->path, flags);
	if (fd >= 0) {
		f = (struct fuzz_fd) {
			.fd = fd, .kind = fd_kind, .owner = ctx->owner,
			.file = pool_new_file(&ctx->proc->pool),
		};
		pool_add_fd_locked(ctx, fd, fd_kind, f.file, ctx->owner);
		if (out)
			*out = f;
		stats_action(fd_kind == FD_PRIVATE ? ACT_PRIVATE : ACT_OPEN, 1);
	}
	pool_unlock(&ctx->proc->pool);
	return fd >= 0;
}

static void act_open(struct fuzz_ctx *ctx, int want_kind)
{
	open_node(ctx, want_kind, FD_PRIMARY, NULL);
}

/* A fresh DRM file of the pool (a clean GPU context), for generators. */
bool worker_open(struct fuzz_ctx *ctx, int want_kind, struct fuzz_fd *out)
{
	return open_node(ctx, want_kind, FD_PRIMARY, out);
}

/*
 * Retargets the call being built at a private DRM file that nothing else
 * uses and that is closed right after the call (with whatever the call
 * created in it).
 */
bool worker_open_private(struct fuzz_ctx *ctx)
{
	struct fuzz_fd f;

	if (ctx->private_fd >= 0 || !open_node(ctx, -1, FD_PRIVATE, &f))
		return false;
	ctx->private_fd = f.fd;
	ctx->target = f;
	return true;
}

static void act_eventfd(struct fuzz_ctx *ctx)
{
	int flags = EFD_CLOEXEC | (rng_chance(&ctx->rng, 50) ? EFD_NONBLOCK : 0);
	int fd;

	/* under the lock, or a sweep could close it before it is known */
	pool_lock(&ctx->proc->pool);
	fd = eventfd(0, flags);
	if (fd >= 0) {
		pool_add_fd_locked(ctx, fd, FD_EVENTFD, 0, ctx->owner);
		stats_action(ACT_EVENTFD, 1);
	}
	pool_unlock(&ctx->proc->pool);
}

/* The process's vgem fd, opened on first use; -1 without vgem. */
static int vgem_fd(struct fuzz_ctx *ctx)
{
	struct fuzz_pool *pool = &ctx->proc->pool;
	unsigned int i;
	int fd = -1;

	if (!fuzz_cfg.vgem_path[0])
		return -1;
	pool_lock(pool);
	for (i = 0; i < pool->nr_fds; i++)
		if (pool->fds[i].kind == FD_VGEM)
			fd = pool->fds[i].fd;
	if (fd < 0) {
		fd = open(fuzz_cfg.vgem_path, O_RDWR | O_CLOEXEC);
		pool_add_fd_locked(ctx, fd, FD_VGEM, 0, ctx->owner);
	}
	pool_unlock(pool);
	return fd;
}

/* A dma-buf from another driver, for PRIME_FD_TO_HANDLE to import. */
static void act_dmabuf(struct fuzz_ctx *ctx)
{
	struct drm_mode_create_dumb dumb = {
		.width = 1 + rng_below(&ctx->rng, 64),
		.height = 1 + rng_below(&ctx->rng, 64),
		.bpp = 32,
	};
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_gem_close close_arg = { };
	int fd = vgem_fd(ctx);

	if (fd < 0 || ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb))
		return;
	prime.handle = dumb.handle;
	if (!ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime)) {
		pool_add_fd(ctx, prime.fd, FD_DMABUF, 0);
		stats_action(ACT_DMABUF, 1);
	}
	close_arg.handle = dumb.handle;
	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close_arg);
}

/*
 * Pull pages of the victim mapping from under calls in flight. A process
 * with one thread really munmaps and leaves the hole until the next
 * remap: nothing else maps memory there meanwhile. With several threads
 * the range is replaced by a PROT_NONE mapping instead (the same for a
 * faulting copy_from_user), so that no other mapping can move into it
 * while the kernel still writes through old pointers.
 */
static void act_victim(struct fuzz_ctx *ctx)
{
	struct fuzz_proc *proc = ctx->proc;
	unsigned int first = rng_below(&ctx->rng, FUZZ_VICTIM_SIZE / FUZZ_PAGE);
	unsigned int pages = 1 + rng_below(&ctx->rng,
					   FUZZ_VICTIM_SIZE / FUZZ_PAGE - first);
	uint8_t *p = proc->victim + first * FUZZ_PAGE;
	size_t len = pages * FUZZ_PAGE, i;
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
	};
	void *m;

	pthread_mutex_lock(&proc->victim_lock);
	switch (rng_below(&ctx->rng, 3)) {
	case 0:
		if (proc->nr_threads == 1)
			munmap(p, len);
		else
			mmap(p, len, PROT_NONE, MAP_FIXED | MAP_PRIVATE |
			     MAP_ANONYMOUS, -1, 0);
		stats_action(ACT_MUNMAP, 1);
		break;
	case 1:
		m = mmap(p, len, PROT_READ | PROT_WRITE,
			 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			break;
		for (i = 0; i < len; i += 8)
			*(uint64_t *)(p + i) = rng_chance(&ctx->rng, 50) ?
					       0 : rng_next(&ctx->rng);
		stats_action(ACT_REMAP, 1);
		break;
	default:
		mprotect(p, len, prots[rng_below(&ctx->rng, ARRAY_SIZE(prots))]);
		stats_action(ACT_MPROTECT, 1);
		break;
	}
	pthread_mutex_unlock(&proc->victim_lock);
}

static void fuzz_loop(struct fuzz_ctx *ctx);

static void reap_children(struct fuzz_ctx *ctx, bool block)
{
	unsigned int i = 0;
	int status;
	pid_t ret;

	while (i < ctx->nr_children) {
		ret = waitpid(ctx->children[i], &status, block ? 0 : WNOHANG);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret == 0) {
			i++;
			continue;
		}
		if (ret > 0 && !(WIFEXITED(status) && !WEXITSTATUS(status))) {
			char who[32];

			snprintf(who, sizeof(who), "%s.c%u", ctx->who,
				 ctx->child_nr[i]);
			stats_crash(who, ret, status);
		}
		ctx->nr_children--;
		ctx->children[i] = ctx->children[ctx->nr_children];
		ctx->child_nr[i] = ctx->child_nr[ctx->nr_children];
	}
}

static __attribute__((noreturn))
void child_run(struct fuzz_ctx *ctx, uint64_t seed, uint64_t calls)
{
	struct fuzz_proc *proc = ctx->proc;
	size_t n = strlen(ctx->who);

	/* the forking thread held the locks: they are consistent, reset them */
	pthread_mutex_init(&proc->pool.lock, NULL);
	pthread_mutex_init(&proc->victim_lock, NULL);
	bo_child_reset(proc);
	proc->is_child = true;
	proc->nr_threads = 1;
	snprintf(ctx->who + n, sizeof(ctx->who) - n, ".c%u", ctx->forks);
	rng_seed(&ctx->stream, seed);
	rng_seed(&ctx->rng, rng_next(&ctx->stream));
	ctx->budget = calls;
	ctx->step = 0;
	ctx->nr_children = 0;
	ctx->forks = 0;
	timer_init(ctx);
	noise_timer_start(&ctx->rng);
	if (fuzz_cfg.trace)
		worker_trace("%s: forked, %llu calls", ctx->who,
			     (unsigned long long)calls);
	fuzz_loop(ctx);
	pool_release_created(ctx);
	_exit(0);
}

/* Fork mid-run: the child fuzzes the inherited fds, racing the parent. */
static void act_fork(struct fuzz_ctx *ctx)
{
	struct fuzz_proc *proc = ctx->proc;
	uint64_t calls, max, seed = rng_next(&ctx->rng);
	pid_t pid;

	if (proc->is_child || ctx->nr_children == FUZZ_MAX_CHILDREN ||
	    ctx->budget < 4)
		return;
	max = ctx->budget / 2 < FUZZ_CHILD_CALLS ? ctx->budget / 2 :
						   FUZZ_CHILD_CALLS;
	calls = 1 + rng_below(&ctx->rng, max);

	pthread_mutex_lock(&proc->bo_lock);
	pool_lock(&proc->pool);
	pthread_mutex_lock(&proc->victim_lock);
	pid = fork();
	if (!pid)
		child_run(ctx, seed, calls);
	pthread_mutex_unlock(&proc->victim_lock);
	pool_unlock(&proc->pool);
	pthread_mutex_unlock(&proc->bo_lock);
	if (pid < 0)
		return;
	ctx->children[ctx->nr_children] = pid;
	ctx->child_nr[ctx->nr_children++] = ctx->forks++;
	ctx->budget -= calls;
	stats_action(ACT_FORK, 1);
}

/*
 * Reclaim: dropping the slab caches runs every shrinker, vmsm's included,
 * which purges idle DONTNEED objects under everybody's feet. Needs root;
 * without it this does nothing.
 */
static void act_shrink(struct fuzz_ctx *ctx)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	(void)ctx;
	if (fd < 0)
		return;
	if (write(fd, "2", 1) == 1)
		stats_action(ACT_SHRINK, 1);
	close(fd);
}

static void act_sweep(struct fuzz_ctx *ctx)
{
	stats_action(ACT_SWEEP, 1);
	stats_action(ACT_SWEPT, pool_sweep(ctx));
}

/* Open a node, or close an fd once the process holds many DRM fds. */
static void act_open_any(struct fuzz_ctx *ctx)
{
	if (pool_count_fds(ctx, FD_DRM, false) < FUZZ_POOL_FDS / 2)
		act_open(ctx, -1);
	else
		pool_close_random(ctx);
}

static const struct {
	const char *name;
	unsigned int weight;
	void (*fn)(struct fuzz_ctx *ctx);
} actions[] = {
	{ "open", 20, act_open_any },
	{ "close", 18, pool_close_random },
	{ "dup", 12, pool_dup_random },
	{ "eventfd", 7, act_eventfd },
	{ "dmabuf", 10, act_dmabuf },
	{ "victim", 18, act_victim },
	{ "fork", 10, act_fork },
	{ "sweep", 5, act_sweep },
	{ "bo-mmap", 14, act_bo_mmap },
	{ "bo-touch", 14, act_bo_touch },
	{ "bo-munmap", 7, act_bo_munmap },
	{ "shrink", 2, act_shrink },
};

static void fuzz_action(struct fuzz_ctx *ctx)
{
	unsigned int i, total = 0, r;

	for (i = 0; i < ARRAY_SIZE(actions); i++)
		total += actions[i].weight;
	r = rng_below(&ctx->rng, total);
	for (i = 0; r >= actions[i].weight; i++)
		r -= actions[i].weight;
	if (fuzz_cfg.trace)
		worker_trace("%s @%llu %s", ctx->who,
			     (unsigned long long)ctx->step, actions[i].name);
	actions[i].fn(ctx);
}

/* ---- calls ---- */

static enum fuzz_mode pick_mode(struct fuzz_ctx *ctx)
{
	unsigned int r = rng_below(&ctx->rng, 100);

	if (r < 55)
		return FUZZ_VALID;
	return r < 75 ? FUZZ_BOUNDARY : FUZZ_INVALID;
}

/*
 * The fd the call goes to: a DRM fd of the process (the primary node for
 * ioctls meant for it), or in invalid mode sometimes a non-DRM fd or a
 * number that is not open. Never vgem: only vmsm is under test.
 */
static void pick_target(struct fuzz_ctx *ctx, const struct fuzz_ioctl *io)
{
	unsigned int kinds = FD_DRM;

	if (ctx->mode == FUZZ_INVALID && rng_chance(&ctx->rng, 20)) {
		if (rng_chance(&ctx->rng, 50) &&
		    pool_pick_fd(ctx, FD_NOT_DRM, false, &ctx->target))
			return;
		ctx->target = (struct fuzz_fd) {
			.fd = 3 + rng_below(&ctx->rng, FUZZ_NOFILE - 3),
			.kind = FD_NR_KINDS,
		};
		if (rng_chance(&ctx->rng, 30) ||
		    pool_fd_is(ctx, ctx->target.fd, FD_VGEM) ||
		    pool_fd_is(ctx, ctx->target.fd, FD_PRIVATE))
			ctx->target.fd = -1;
		return;
	}
	if ((io->flags & FUZZ_F_PRIMARY) && rng_chance(&ctx->rng, 80))
		kinds = FD_MASK(FD_PRIMARY);
	if (pool_pick_fd(ctx, kinds, true, &ctx->target) ||
	    pool_pick_fd(ctx, FD_DRM, true, &ctx->target))
		return;
	act_open(ctx, -1);
	if (!pool_pick_fd(ctx, FD_DRM, true, &ctx->target))
		ctx->target = (struct fuzz_fd) { .fd = -1, .kind = FD_NR_KINDS };
}

/* Bytes past the argument that a grown request size makes the kernel read. */
static void fill_tail(struct fuzz_ctx *ctx, uint8_t *arg, size_t size)
{
	size_t want = _IOC_SIZE(ctx->req), room, i;
	bool zero = rng_chance(&ctx->rng, 50);

	room = ctx->args + FUZZ_ARG_AREA - arg;
	if (want > room)
		want = room;
	for (i = size; i < want; i++)
		arg[i] = zero ? 0 : (uint8_t)rng_next(&ctx->rng);
}

static void trace_call(struct fuzz_ctx *ctx, const struct fuzz_ioctl *io,
		       uint64_t argp)
{
	worker_trace("%s @%llu %s fd=%d(%s) %s req=0x%lx arg=0x%llx%s%s",
		     ctx->who, (unsigned long long)ctx->step, io->name,
		     ctx->target.fd, fd_kind_names[ctx->target.kind],
		     mode_names[ctx->mode], ctx->req, (unsigned long long)argp,
		     ctx->ptr_note ? " " : "",
		     ctx->ptr_note ? ctx->ptr_note : "");
}

static void fuzz_call(struct fuzz_ctx *ctx)
{
	unsigned int idx = table_pick(&ctx->rng);
	const struct fuzz_ioctl *io = table_entry(idx);
	size_t size = _IOC_SIZE(io->request);
	uint8_t *arg;
	uint64_t argp;
	int err = 0;
	char name[24];

	ctx->io = io;
	ctx->mode = pick_mode(ctx);
	ctx->ptr_note = NULL;
	ctx->private_fd = -1;
	ctx->buf_used = 0;
	ctx->req = io->request;
	pick_target(ctx, io);

	arg = fuzz_arg_place(ctx, size);
	memset(arg, 0, size);
	if (io->gen)
		io->gen(ctx, arg);
	if (ctx->mode == FUZZ_INVALID && rng_chance(&ctx->rng, 15)) {
		ctx->req = fuzz_mutate_req(ctx, ctx->req);
		fill_tail(ctx, arg, size);
	}
	/* sized for what the kernel copies, so that straddling still faults */
	argp = (uintptr_t)arg;
	if (ctx->mode == FUZZ_INVALID && rng_chance(&ctx->rng, 25))
		argp = fuzz_bad_arg(ctx, _IOC_SIZE(ctx->req));

	if (fuzz_cfg.trace)
		trace_call(ctx, io, argp);
	if (io->flags & FUZZ_F_BLOCKING)
		watchdog(ctx, true);
	if (ioctl(ctx->target.fd, ctx->req, (void *)(uintptr_t)argp) < 0)
		err = errno;
	if (io->flags & FUZZ_F_BLOCKING)
		watchdog(ctx, false);

	stats_call(idx, err);
	if (fuzz_cfg.trace)
		worker_trace("%s @%llu = %s", ctx->who,
			     (unsigned long long)ctx->step,
			     stats_errno_name(err, name, sizeof(name)));
	ctx->budget--;
	if (argp == (uintptr_t)arg && ctx->req == io->request) {
		if (!err && io->done)
			io->done(ctx, arg);
		else if (err && io->fail)
			io->fail(ctx, arg, err);
	}
	if (ctx->private_fd >= 0) {
		pool_forget_private(ctx, ctx->private_fd);
		ctx->private_fd = -1;
	}
}

static void fuzz_loop(struct fuzz_ctx *ctx)
{
	while (ctx->budget && !time_up()) {
		rng_seed(&ctx->rng, rng_next(&ctx->stream));
		if (rng_chance(&ctx->rng, 4))
			fuzz_action(ctx);
		else
			fuzz_call(ctx);
		if (ctx->nr_children && !(ctx->step & 31))
			reap_children(ctx, false);
		ctx->step++;
	}
	reap_children(ctx, true);
}

/* ---- threads and processes ---- */

struct worker_thread {
	pthread_t thread;
	struct fuzz_ctx ctx;
	int ret;
};

static struct fuzz_proc proc;
static struct worker_thread threads[FUZZ_MAX_THREADS];

static int ctx_init(struct fuzz_ctx *ctx, unsigned int id, unsigned int t,
		    uint64_t budget)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->private_fd = -1;
	rng_seed(&ctx->stream, fuzz_cfg.seed + id);
	rng_seed(&ctx->rng, rng_next(&ctx->stream));
	ctx->proc = &proc;
	snprintf(ctx->who, sizeof(ctx->who), "w%u", id);
	ctx->owner = t;
	ctx->budget = budget;
	return scratch_init(ctx);
}

static void *thread_main(void *data)
{
	struct worker_thread *w = data;
	struct fuzz_ctx *ctx = &w->ctx;

	timer_init(ctx);
	act_open(ctx, NODE_PRIMARY);
	act_open(ctx, NODE_RENDER);
	act_eventfd(ctx);
	fuzz_loop(ctx);
	if (ctx->has_timer)
		timer_delete(ctx->timer);
	return NULL;
}

/* Calls of worker @id: an even share of --calls, the first ones get the rest. */
static uint64_t worker_budget(unsigned int id)
{
	uint64_t n = (uint64_t)fuzz_cfg.procs * fuzz_cfg.threads;

	if (!fuzz_cfg.calls)
		return UINT64_MAX;
	return fuzz_cfg.calls / n + (id < fuzz_cfg.calls % n);
}

static int proc_init(const int *shared_fds, const enum fuzz_fd_kind *kinds,
		     unsigned int nr_shared)
{
	struct fuzz_ctx tmp = { .proc = &proc };
	unsigned int i;

	pool_init(&proc.pool);
	pthread_mutex_init(&proc.victim_lock, NULL);
	proc.nr_threads = fuzz_cfg.threads;
	proc.victim = map_guarded(FUZZ_VICTIM_SIZE);
	if (!proc.victim || bo_init(&proc))
		return -1;
	for (i = 0; i < nr_shared; i++)
		pool_add_fd_locked(&tmp, shared_fds[i], kinds[i],
				   pool_new_file(&proc.pool), FUZZ_OWNER_SHARED);
	return 0;
}

int worker_proc(unsigned int p, const int *shared_fds,
		const enum fuzz_fd_kind *shared_kinds, unsigned int nr_shared)
{
	unsigned int t, id, nt = fuzz_cfg.threads;
	struct fuzz_rng rng;
	pthread_attr_t attr;

	if (proc_init(shared_fds, shared_kinds, nr_shared))
		return 1;
	for (t = 0; t < nt; t++) {
		id = p * nt + t;
		if (ctx_init(&threads[t].ctx, id, t, worker_budget(id)))
			return 1;
	}
	rng_seed(&rng, fuzz_cfg.seed ^ (0x5eedull << 32) ^ p);
	noise_timer_start(&rng);

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (t = 1; t < nt; t++) {
		if (pthread_create(&threads[t].thread, &attr, thread_main,
				   &threads[t])) {
			fprintf(stderr, "fuzz: w%u: pthread_create failed\n", p * nt + t);
			threads[t].ret = -1;
		}
	}
	thread_main(&threads[0]);
	for (t = 1; t < nt; t++)
		if (!threads[t].ret)
			pthread_join(threads[t].thread, NULL);
	noise_timer_stop();
	return 0;
}
