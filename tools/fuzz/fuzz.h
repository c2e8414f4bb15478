/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm-ioctl-fuzz: declarations shared by the fuzz core, the ioctl tables
 * and the statistics. See README.md for the design.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <drm/vmsm_drm.h>

#include "compat.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Everything the fuzzer holds is bounded by these. */
#define FUZZ_MAX_IOCTLS		96	/* entries of all tables together */
#define FUZZ_ERRNO_BUCKETS	544	/* kernel-internal errnos end near 531 */
#define FUZZ_MAX_PROCS		64
#define FUZZ_MAX_THREADS	64
#define FUZZ_MAX_NODES		16	/* vmsm card and render nodes */
#define FUZZ_POOL_FDS		48	/* fds a process tracks */
#define FUZZ_POOL_OBJS		512	/* handles, names, ids a process tracks */
#define FUZZ_MAX_CHILDREN	4	/* mid-run forks alive per thread */
#define FUZZ_NOFILE		512	/* RLIMIT_NOFILE of the workers */
#define FUZZ_CHILD_CALLS	256	/* most calls a mid-run fork makes */

/*
 * Element counts of ioctls flagged FUZZ_F_CAP_COUNTS (the DRM core ones)
 * stay at or below this unless --unsafe-counts: the DRM core sizes
 * kmalloc_array() from user counts without __GFP_NOWARN, and a count of
 * 2^30 makes the page allocator WARN. That is a DRM core finding, not a
 * vmsm one, and would fail every CI run. vmsm's own ioctls get the full
 * range: the driver has to bound counts itself.
 */
#define FUZZ_MAX_COUNT		16384

/* Scratch memory of a thread: the only memory the kernel is pointed at. */
#define FUZZ_PAGE		4096
#define FUZZ_ARG_AREA		(16 << 10)	/* >= the largest _IOC_SIZE */
#define FUZZ_BUF_AREA		(48 << 10)
#define FUZZ_VICTIM_SIZE	(16 * FUZZ_PAGE)

/*
 * Buffer objects. Sizes a call may create in a pooled DRM file stay at or
 * below FUZZ_BO_POOLED_MAX; bigger valid sizes (up to the device's
 * maximum) are created in a private DRM file that is closed right after
 * the call, so that they are never pinned. Objects this process created
 * and still names may hold FUZZ_GEM_BUDGET bytes together; beyond that the
 * oldest are closed. A process maps objects into FUZZ_BO_SLOTS fixed
 * slots of FUZZ_BO_SLOT_SIZE bytes (each followed by a guard page) that
 * are reserved PROT_NONE for the whole run.
 */
#define FUZZ_BO_POOLED_MAX	(4u << 20)
#define FUZZ_GEM_BUDGET		(32ull << 20)
#define FUZZ_BO_SLOTS		8
#define FUZZ_BO_SLOT_SIZE	(4u << 20)
#define FUZZ_CMD_BO_SIZE	(256u << 10)	/* command-stream objects */
#define FUZZ_CMD_RING		(FUZZ_CMD_BO_SIZE / 2)	/* streams go here */
#define FUZZ_BO_SCRATCH		FUZZ_PAGE	/* last page: kernel pointers */
#define FUZZ_FAULTY_FILES	32	/* files known to have a faulty context */

/* ---- random numbers (rng.c) ---- */

struct fuzz_rng {
	uint64_t s[4];
};

void rng_seed(struct fuzz_rng *rng, uint64_t seed);
uint64_t rng_next(struct fuzz_rng *rng);
uint32_t rng_below(struct fuzz_rng *rng, uint32_t n);
bool rng_chance(struct fuzz_rng *rng, unsigned int percent);

/* ---- configuration (main.c), read-only once workers run ---- */

enum fuzz_node_kind {
	NODE_PRIMARY,
	NODE_RENDER,
};

struct fuzz_node {
	char path[64];
	enum fuzz_node_kind kind;
};

/* Device parameters read with GET_PARAM at start-up. */
struct fuzz_dev {
	uint64_t va_start;
	uint64_t va_size;
	uint64_t max_bo_size;
	uint32_t nr_rings;
	bool coherent;
};

struct fuzz_config {
	uint64_t seed;
	uint64_t calls;			/* 0: no bound */
	unsigned int seconds;		/* 0: no bound */
	unsigned int procs;
	unsigned int threads;
	bool trace;
	bool unsafe_counts;
	struct fuzz_node nodes[FUZZ_MAX_NODES];
	unsigned int nr_nodes;
	char vgem_path[64];		/* "" if there is no vgem */
	struct fuzz_dev dev;
};

extern struct fuzz_config fuzz_cfg;

/* ---- statistics shared by every process (stats.c) ---- */

enum fuzz_action {
	ACT_OPEN,
	ACT_CLOSE,
	ACT_DUP,
	ACT_EVENTFD,
	ACT_DMABUF,
	ACT_REMAP,
	ACT_MUNMAP,
	ACT_MPROTECT,
	ACT_FORK,
	ACT_SWEEP,
	ACT_SWEPT,
	ACT_SIGALRM,
	ACT_BO_MMAP,
	ACT_BO_MMAP_FAIL,
	ACT_BO_TOUCH,
	ACT_BO_MUNMAP,
	ACT_BO_MPROTECT,
	ACT_PREP,
	ACT_PREP_FAIL,
	ACT_REOPEN,
	ACT_GEM_EVICT,
	ACT_PRIVATE,
	ACT_SHRINK,
	ACT_NR,
};

struct fuzz_shared {
	uint64_t total;
	uint64_t calls[FUZZ_MAX_IOCTLS];
	uint64_t errs[FUZZ_MAX_IOCTLS][FUZZ_ERRNO_BUCKETS];
	uint64_t actions[ACT_NR];
	int64_t deadline_ns;		/* CLOCK_MONOTONIC; 0: none */
	uint32_t crashes;		/* fork children that did not exit(0) */
	int crash_status;		/* wait status of the first one */
	int crash_pid;
	char crash_who[32];
};

extern struct fuzz_shared *fuzz_shared;

int stats_init(void);
void stats_call(unsigned int idx, int err);
void stats_action(enum fuzz_action act, uint64_t n);
void stats_crash(const char *who, pid_t pid, int status);
bool stats_errno_expected(int err);
const char *stats_errno_name(int err, char *buf, size_t len);
unsigned int stats_report(double seconds);

/* ---- fd and object pool of a process (pool.c) ---- */

enum fuzz_fd_kind {
	FD_PRIMARY,
	FD_RENDER,
	FD_VGEM,	/* helper that makes dma-bufs, never fuzzed */
	FD_DMABUF,
	FD_SYNCOBJ,
	FD_SYNC_FILE,
	FD_EVENTFD,
	FD_PRIVATE,	/* DRM file of one call (big objects), never picked */
	FD_NR_KINDS,
};

#define FD_MASK(k)	(1u << (k))
#define FD_DRM		(FD_MASK(FD_PRIMARY) | FD_MASK(FD_RENDER))
#define FD_NOT_DRM	(FD_MASK(FD_DMABUF) | FD_MASK(FD_SYNCOBJ) | \
			 FD_MASK(FD_SYNC_FILE) | FD_MASK(FD_EVENTFD))
/* Never closed, dup'ed over or passed by the generic fd actions. */
#define FD_RESERVED	(FD_MASK(FD_VGEM) | FD_MASK(FD_PRIVATE))

#define FUZZ_OWNER_SHARED	0xffff	/* opened before the workers forked */

struct fuzz_fd {
	int fd;
	uint8_t kind;
	uint16_t owner;		/* thread that opened it */
	uint32_t file;		/* DRM file description; dups share it */
};

/*
 * Kinds of kernel objects the fuzzer remembers, so that "valid" arguments
 * name objects that exist. A new vmsm object kind (VM, submit queue...)
 * is one more entry here, filled by the done() hook of the ioctl that
 * creates it.
 */
enum fuzz_obj_kind {
	OBJ_GEM,
	OBJ_SYNCOBJ,
	OBJ_FLINK,	/* global GEM name, file 0 */
	OBJ_MAGIC,	/* authentication token */
	OBJ_QUEUE,	/* vmsm submit queue id */
	OBJ_FENCE,	/* vmsm fence id, @point = its queue id */
	OBJ_SYNCPT,	/* syncobj a submit signals, @point = its timeline point */
	OBJ_NR_KINDS,
};

#define FUZZ_BO_FLAGS_UNKNOWN	0xffffffffu

/*
 * One remembered object. GEM objects also carry what the fuzzer learned
 * about them (0 / FUZZ_BO_FLAGS_UNKNOWN: not known); it may be stale when
 * another process closes a handle of a shared file and the number is
 * reused, so the submit generator checks it with GEM_INFO first.
 */
struct fuzz_obj {
	uint32_t file;
	uint32_t handle;
	uint64_t point;
	uint64_t seq;		/* age: the oldest of a kind goes first */
	uint8_t kind;
	bool used;
	bool created;		/* GEM_NEW here: counts against FUZZ_GEM_BUDGET */
	pid_t pid;		/* process that added it */
	uint32_t flags;		/* OBJ_GEM: VMSM_BO_* */
	uint32_t gpu_lo;	/* OBJ_GEM: leading bytes jobs must not write */
	uint64_t size;		/* OBJ_GEM: bytes */
	uint64_t iova;		/* OBJ_GEM: GPU address in its file's VM */
	uint64_t mmap_off;	/* OBJ_GEM: fake offset for mmap() */
};

struct fuzz_pool {
	pthread_mutex_t lock;
	struct fuzz_fd fds[FUZZ_POOL_FDS];
	unsigned int nr_fds;
	struct fuzz_obj objs[FUZZ_POOL_OBJS];
	uint64_t obj_seq;
	uint64_t gem_bytes;		/* sizes of the created OBJ_GEM entries */
	uint32_t next_file;
	uint32_t faulty[FUZZ_FAULTY_FILES];	/* files whose submits got EIO */
	unsigned int faulty_next;
};

/*
 * A buffer object mapped into one of the process's slots. A "cmd" slot
 * holds an object the fuzzer made for command streams: streams go into
 * its first FUZZ_CMD_RING bytes (a ring, so that queued jobs keep theirs
 * for a while), jobs may write the rest, kernel pointers use its last
 * page. Slots are changed under proc->bo_lock only, and whoever writes to
 * a slot holds it, so no thread ever touches a page another one unmaps.
 */
struct fuzz_slot {
	uint8_t *addr;			/* fixed, FUZZ_BO_SLOT_SIZE reserved */
	size_t len;			/* bytes mapped, 0: free */
	int prot;
	bool cmd;
	uint32_t file;
	uint32_t handle;		/* 0: the handle is known to be gone */
	uint32_t flags;
	uint64_t size;			/* object size */
	uint64_t iova;			/* in @file's VM, 0 if unknown */
	uint32_t ring_off;		/* next stream offset in a cmd slot */
	uint64_t stamp;			/* LRU */
};

/* ---- per-process and per-thread state (worker.c) ---- */

struct fuzz_proc {
	struct fuzz_pool pool;
	uint8_t *victim;		/* mapping that others unmap mid-flight */
	pthread_mutex_t victim_lock;
	unsigned int nr_threads;	/* 1: remaps may really munmap */
	bool is_child;			/* a mid-run fork */
	pthread_mutex_t bo_lock;	/* @slots; taken before the pool lock */
	uint8_t *slot_area;
	struct fuzz_slot slots[FUZZ_BO_SLOTS];
	uint64_t slot_stamp;
	uint64_t next_point;		/* timeline points of out-syncobjs */
};

enum fuzz_mode {
	FUZZ_VALID,
	FUZZ_BOUNDARY,
	FUZZ_INVALID,
};

/*
 * Randomness of a thread: @stream derives from --seed and the worker id
 * and gives one seed per loop iteration; @rng, reseeded from it at the
 * start of each iteration, serves every decision within. How many draws
 * an iteration takes depends on the pool and on kernel results, but that
 * never shifts what later iterations do.
 */
struct fuzz_ctx {
	struct fuzz_rng stream;
	struct fuzz_rng rng;
	struct fuzz_proc *proc;
	char who[24];			/* "w3", "w3.c1": worker id for reports */
	uint16_t owner;
	uint64_t budget;		/* calls left */
	uint64_t step;			/* loop iterations so far */

	/* the call being built */
	const struct fuzz_ioctl *io;
	enum fuzz_mode mode;
	struct fuzz_fd target;
	unsigned long req;
	const char *ptr_note;		/* last unusual pointer, for --trace */
	int private_fd;			/* FD_PRIVATE of this call, or -1 */
	uint64_t gen_state[32];		/* what gen() leaves for done() */

	/* scratch memory, each area followed by a PROT_NONE guard page */
	uint8_t *args;
	uint8_t *bufs;
	size_t buf_used;

	timer_t timer;
	bool has_timer;
	pid_t children[FUZZ_MAX_CHILDREN];
	unsigned int child_nr[FUZZ_MAX_CHILDREN];	/* their fork numbers */
	unsigned int nr_children;
	unsigned int forks;		/* names the children .c0, .c1... */
};

void pool_init(struct fuzz_pool *pool);
void pool_lock(struct fuzz_pool *pool);
void pool_unlock(struct fuzz_pool *pool);
uint32_t pool_new_file(struct fuzz_pool *pool);
void pool_add_fd(struct fuzz_ctx *ctx, int fd, enum fuzz_fd_kind kind,
		 uint32_t file);
void pool_add_fd_locked(struct fuzz_ctx *ctx, int fd, enum fuzz_fd_kind kind,
			uint32_t file, uint16_t owner);
bool pool_pick_fd(struct fuzz_ctx *ctx, unsigned int kinds, bool prefer_own,
		  struct fuzz_fd *out);
unsigned int pool_count_fds(struct fuzz_ctx *ctx, unsigned int kinds,
			    bool own);
bool pool_fd_is(struct fuzz_ctx *ctx, int fd, enum fuzz_fd_kind kind);
void pool_close_random(struct fuzz_ctx *ctx);
void pool_dup_random(struct fuzz_ctx *ctx);
unsigned int pool_sweep(struct fuzz_ctx *ctx);
void pool_add_obj(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind,
		  uint32_t file, uint32_t handle, uint64_t point);
void pool_add_gem(struct fuzz_ctx *ctx, uint32_t file, uint32_t handle,
		  uint64_t size, uint32_t flags, uint32_t gpu_lo);
void pool_update_gem(struct fuzz_ctx *ctx, uint32_t file, uint32_t handle,
		     const struct fuzz_obj *learned);
void pool_release_created(struct fuzz_ctx *ctx);
bool pool_fd_of_file(struct fuzz_ctx *ctx, uint32_t file, struct fuzz_fd *out);
void pool_forget_private(struct fuzz_ctx *ctx, int fd);
void pool_mark_faulty(struct fuzz_ctx *ctx, uint32_t file);
bool pool_is_faulty(struct fuzz_ctx *ctx, uint32_t file);
bool pool_pick_obj(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind,
		   uint32_t file, struct fuzz_obj *out);
void pool_del_obj(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind,
		  uint32_t file, uint32_t handle);

/* ---- argument generators (args.c) ---- */

enum fuzz_mode fuzz_field(struct fuzz_ctx *ctx);
uint64_t fuzz_boundary64(struct fuzz_ctx *ctx);
uint64_t fuzz_value64(struct fuzz_ctx *ctx, uint64_t valid);
uint32_t fuzz_value32(struct fuzz_ctx *ctx, uint32_t valid);
uint32_t fuzz_pad(struct fuzz_ctx *ctx);
uint32_t fuzz_flags(struct fuzz_ctx *ctx, uint32_t valid_mask);
uint32_t fuzz_enum(struct fuzz_ctx *ctx, const uint32_t *vals, unsigned int n);
uint32_t fuzz_handle(struct fuzz_ctx *ctx, enum fuzz_obj_kind kind);
uint32_t fuzz_count(struct fuzz_ctx *ctx, uint32_t valid);
bool fuzz_counts_capped(struct fuzz_ctx *ctx);
int fuzz_fd_arg(struct fuzz_ctx *ctx, unsigned int kinds);
int64_t fuzz_timeout(struct fuzz_ctx *ctx);
int64_t fuzz_short_timeout(struct fuzz_ctx *ctx);
int64_t fuzz_now_ns(void);
void *fuzz_buf(struct fuzz_ctx *ctx, size_t len);
uint64_t fuzz_ptr(struct fuzz_ctx *ctx, const void *valid, size_t len);
uint64_t fuzz_bad_ptr(struct fuzz_ctx *ctx, size_t len);
uint64_t fuzz_bad_arg(struct fuzz_ctx *ctx, size_t len);
void *fuzz_arg_place(struct fuzz_ctx *ctx, size_t len);
unsigned long fuzz_mutate_req(struct fuzz_ctx *ctx, unsigned long req);

/* ---- buffer object mappings and helper calls (bo.c) ---- */

int fuzz_prep(struct fuzz_ctx *ctx, int fd, unsigned long req, void *arg,
	      const char *what);
int bo_init(struct fuzz_proc *proc);
void bo_child_reset(struct fuzz_proc *proc);
void bo_lock(struct fuzz_ctx *ctx);
void bo_unlock(struct fuzz_ctx *ctx);
void bo_forget_handle(struct fuzz_ctx *ctx, uint32_t file, uint32_t handle);
uint64_t bo_ptr_copy(struct fuzz_ctx *ctx, const void *src, size_t len);
struct fuzz_slot *bo_cmd_slot(struct fuzz_ctx *ctx, const struct fuzz_fd *f,
			      bool create);
uint32_t bo_ring_alloc(struct fuzz_ctx *ctx, struct fuzz_slot *s, uint32_t bytes);
bool bo_check_handle(struct fuzz_ctx *ctx, int fd, struct fuzz_slot *s);
bool bo_learn(struct fuzz_ctx *ctx, int fd, struct fuzz_obj *o);
void act_bo_mmap(struct fuzz_ctx *ctx);
void act_bo_touch(struct fuzz_ctx *ctx);
void act_bo_munmap(struct fuzz_ctx *ctx);

/* ---- command streams (cs.c) ---- */

/* A GPU range a stream may access: inside one object of the job's VM. */
struct cs_target {
	uint64_t iova;
	uint64_t size;
	bool writable;
};

enum cs_defect {
	CS_CLEAN,		/* valid packets only */
	CS_GARBAGE,		/* random dwords, bad headers, bad addresses... */
	CS_HANG,		/* a WAIT_MEM that never completes */
};

/* A stream in a cmd slot: GPU address and dwords to submit. */
struct cs_stream {
	uint64_t iova;
	uint32_t offset;	/* in the slot's object */
	uint32_t ndw;
};

bool cs_build(struct fuzz_ctx *ctx, struct fuzz_slot *slot,
	      const struct cs_target *t, unsigned int nt,
	      enum cs_defect defect, struct cs_stream *out);

/* ---- ioctl tables (ioctl_drm.c, ioctl_vmsm.c, table.c) ---- */

#define FUZZ_F_BLOCKING	(1u << 0)	/* may sleep: watchdog timer armed */
#define FUZZ_F_PRIMARY	(1u << 1)	/* meant for the primary node */
#define FUZZ_F_CAP_COUNTS (1u << 2)	/* counts <= FUZZ_MAX_COUNT, see above */

/**
 * struct fuzz_ioctl - one fuzzed ioctl
 * @name: name in the report
 * @request: ioctl request; gen() may replace it in ctx->req
 * @weight: relative frequency
 * @flags: FUZZ_F_*
 * @gen: fills the argument (zeroed, _IOC_SIZE(@request) bytes) for
 *	ctx->mode and ctx->target; may be NULL for argument-less ioctls
 * @done: after a successful call whose argument the fuzzer can read
 *	back: harvest created handles and fds into the pool; may be NULL
 * @fail: after a failed call of the unchanged request on the unchanged
 *	argument, with the errno; may be NULL
 */
struct fuzz_ioctl {
	const char *name;
	unsigned long request;
	unsigned int weight;
	unsigned int flags;
	void (*gen)(struct fuzz_ctx *ctx, void *arg);
	void (*done)(struct fuzz_ctx *ctx, void *arg);
	void (*fail)(struct fuzz_ctx *ctx, void *arg, int err);
};

#define FUZZ_IOCTL_REQ(_name, _req, _weight, _flags, _gen, _done) \
	{ .name = _name, .request = _req, .weight = _weight, \
	  .flags = _flags, .gen = _gen, .done = _done }
#define FUZZ_IOCTL(_name, _weight, _flags, _gen, _done) \
	FUZZ_IOCTL_REQ(#_name, DRM_IOCTL_##_name, _weight, _flags, _gen, _done)
#define FUZZ_IOCTL_FAIL(_name, _weight, _flags, _gen, _done, _fail) \
	{ .name = #_name, .request = DRM_IOCTL_##_name, .weight = _weight, \
	  .flags = _flags, .gen = _gen, .done = _done, .fail = _fail }

extern const struct fuzz_ioctl fuzz_drm_ioctls[];
extern const unsigned int fuzz_nr_drm_ioctls;
extern const struct fuzz_ioctl fuzz_vmsm_ioctls[];
extern const unsigned int fuzz_nr_vmsm_ioctls;

int table_init(void);
unsigned int table_size(void);
const struct fuzz_ioctl *table_entry(unsigned int idx);
unsigned int table_pick(struct fuzz_rng *rng);
unsigned int table_vmsm_max_nr(void);

/* ---- workers (worker.c) ---- */

int worker_proc(unsigned int proc_idx, const int *shared_fds,
		const enum fuzz_fd_kind *shared_kinds, unsigned int nr_shared);
void worker_trace(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
bool worker_open(struct fuzz_ctx *ctx, int want_kind, struct fuzz_fd *out);
bool worker_open_private(struct fuzz_ctx *ctx);

#endif /* FUZZ_H */
