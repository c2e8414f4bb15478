// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_submit: job submission (uapi 1.2): DRM_IOCTL_VMSM_GEM_SUBMIT and
 * DRM_IOCTL_VMSM_WAIT_FENCE, the command processor's packets, explicit
 * and implicit synchronisation, address-space isolation between files,
 * faults and hangs. Jobs are built with libvmsm (lib/); the error cases of
 * the ioctls use raw ioctls so that the kernel's exact errno is checked.
 *
 * Ordering tests hold a job back with a "blocker": a WAIT_MEM packet on a
 * semaphore in an uncached object, which the CPU releases by writing 1 to
 * it. Released blockers never depend on timing; only the hang tests wait
 * for the driver's job timeout.
 */

#include <fcntl.h>
#include <limits.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define NS_PER_SEC	1000000000ll
/* A job that does not hang finishes well within this, even under TCG. */
#define JOB_TIMEOUT_NS	(30 * NS_PER_SEC)
/* A hanging job is killed by the driver's timeout ("a few seconds"). */
#define HANG_TIMEOUT_NS	(120 * NS_PER_SEC)
/* How long a blocked job is checked to stay blocked. */
#define BLOCKED_CHECK_MS	100

/* libvmsm calls return 0 or -errno. */
static int fd = -1;
static struct vmsm_device *dev;
static uint64_t va_start, va_size;

/* A buffer object with its CPU mapping and GPU address. */
struct buf {
	struct vmsm_bo *bo;
	void *ptr;
	uint64_t iova;
	uint64_t size;
};

static void buf_new(struct vmsm_device *d, struct buf *b, uint64_t size,
		    uint32_t flags)
{
	vmsm_lib_ok(vmsm_bo_new(d, size, flags, &b->bo));
	vmsm_lib_ok(vmsm_bo_map(b->bo, &b->ptr));
	vmsm_lib_ok(vmsm_bo_iova(b->bo, &b->iova));
	b->size = vmsm_bo_size(b->bo);
}

static void buf_free(struct buf *b)
{
	vmsm_bo_free(b->bo);
	memset(b, 0, sizeof(*b));
}

/* CPU access with the ownership transfers CACHED objects need. */
static void cpu_begin(struct buf *b, uint32_t op)
{
	vmsm_lib_ok(vmsm_bo_cpu_prep(b->bo, op, JOB_TIMEOUT_NS));
}

static void cpu_end(struct buf *b)
{
	vmsm_lib_ok(vmsm_bo_cpu_fini(b->bo));
}

static void buf_set(struct buf *b, uint8_t value)
{
	cpu_begin(b, VMSM_PREP_WRITE);
	memset(b->ptr, value, b->size);
	cpu_end(b);
}

static struct vmsm_device *ctx_open(bool render)
{
	struct vmsm_device *d;
	int other = render ? igt_vmsm_open_render_of(fd) : drm_reopen_driver(fd);

	igt_assert(other >= 0);
	vmsm_lib_ok(vmsm_device_from_fd(other, &d));
	close(other);
	return d;
}

static struct vmsm_cs *cs_new(struct vmsm_device *d)
{
	struct vmsm_cs *cs;

	vmsm_lib_ok(vmsm_cs_new(d, 4096, &cs));
	return cs;
}

static uint32_t submit(struct vmsm_cs *cs, const struct vmsm_submit_opts *opts,
		       int *fence_fd)
{
	struct vmsm_submit_out out;

	vmsm_lib_ok(vmsm_submit(cs, opts, &out));
	if (fence_fd)
		*fence_fd = out.fence_fd;
	return out.fence;
}

/* Submits on a queue with an out-fence sync_file, returned. */
static int submit_fd_queue(struct vmsm_cs *cs, uint32_t queue_id, uint32_t flags,
			   int in_fence_fd, uint32_t *fence)
{
	struct vmsm_submit_opts opts = {
		.flags = flags | VMSM_SUBMIT_FENCE_FD_OUT,
		.queue_id = queue_id,
		.in_fence_fd = in_fence_fd,
	};
	int fence_fd = -1;
	uint32_t f = submit(cs, &opts, &fence_fd);

	igt_assert(fence_fd >= 0);
	if (fence)
		*fence = f;
	return fence_fd;
}

/* As submit_fd_queue(), on the default queue. */
static int submit_fd(struct vmsm_cs *cs, uint32_t flags, int in_fence_fd,
		     uint32_t *fence)
{
	return submit_fd_queue(cs, 0, flags, in_fence_fd, fence);
}

/*
 * A queue of the highest priority: another ring than the default queue's,
 * which runs its jobs concurrently with those of the default queue. Jobs
 * on it are ordered after the default queue's only by synchronisation.
 */
static uint32_t fast_queue(struct vmsm_device *d)
{
	uint32_t id = 0;

	vmsm_lib_ok(vmsm_submitqueue_new(d, 0, &id));
	igt_assert_neq_u32(id, 0);
	return id;
}

/* The last fault of the file's context. */
static void assert_fault(struct vmsm_device *d, uint32_t type, bool check_addr,
			 uint64_t address, bool write)
{
	struct drm_vmsm_fault_info info;

	vmsm_lib_ok(vmsm_submitqueue_faults(d, 0, &info));
	igt_info("fault info: faults %u type %u address %#llx write %u queue %u\n",
		 info.faults, info.type, (unsigned long long)info.address,
		 info.write, info.queue_id);
	igt_assert_lte(1, info.faults);
	igt_assert_eq_u32(info.type, type);
	if (check_addr) {
		igt_assert_eq_u64(info.address, address);
		igt_assert_eq_u32(info.write, write);
	}
}

static void assert_no_fault(struct vmsm_device *d)
{
	struct drm_vmsm_fault_info info;

	vmsm_lib_ok(vmsm_submitqueue_faults(d, 0, &info));
	igt_assert_eq_u32(info.faults, 0);
	igt_assert_eq_u32(info.type, VMSM_FAULT_NONE);
}

static void wait_fence(struct vmsm_device *d, uint32_t fence)
{
	vmsm_lib_ok(vmsm_wait_fence(d, 0, fence, JOB_TIMEOUT_NS));
}

static void submit_wait(struct vmsm_cs *cs)
{
	struct vmsm_device *d = vmsm_bo_device(vmsm_cs_bo(cs));

	wait_fence(d, submit(cs, NULL, NULL));
}

/*
 * Status of a sync_file after polling it for up to timeout_ms: 1 signalled
 * without error, 0 not signalled, < 0 signalled with that error.
 */
static int fence_fd_status(int fence_fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fence_fd, .events = POLLIN };
	struct sync_file_info info;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	igt_assert_f(ret >= 0, "poll: %s\n", strerror(errno));
	if (ret == 0)
		return 0;
	igt_assert(pfd.revents & POLLIN);
	memset(&info, 0, sizeof(info));
	igt_assert_eq(igt_ioctl(fence_fd, SYNC_IOC_FILE_INFO, &info), 0);
	igt_assert_f(info.status != 0, "sync_file polls signalled, status 0\n");
	return info.status;
}

static int fence_fd_wait(int fence_fd)
{
	return fence_fd_status(fence_fd, JOB_TIMEOUT_NS / 1000000);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Pseudo-random bytes, reproducible from the seed. */
static void fill_random(void *ptr, uint64_t size, uint32_t seed)
{
	uint8_t *p = ptr;
	uint32_t x = seed | 1;
	uint64_t i;

	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = x >> 24;
	}
}

/* Index of the first byte of a that differs from value, or -1. */
static int64_t first_not(const uint8_t *a, uint8_t value, uint64_t size)
{
	uint64_t i;

	for (i = 0; i < size; i++)
		if (a[i] != value)
			return i;
	return -1;
}

static int64_t first_diff(const uint8_t *a, const uint8_t *b, uint64_t size)
{
	uint64_t i;

	if (!memcmp(a, b, size))
		return -1;
	for (i = 0; i < size; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

/*
 * Semaphores of blockers. Every one still held is released when the test
 * exits, so that a failed subtest leaves no job stuck until the timeout.
 */
static volatile uint32_t *sems[16];

static void release_all(int sig)
{
	unsigned int i;

	(void)sig;
	for (i = 0; i < ARRAY_SIZE(sems); i++)
		if (sems[i])
			*sems[i] = 1;
	__sync_synchronize();
}

static void sem_new(struct vmsm_device *d, struct buf *sem)
{
	unsigned int i;

	buf_new(d, sem, 4096, VMSM_BO_UNCACHED);
	for (i = 0; i < ARRAY_SIZE(sems); i++) {
		if (!sems[i]) {
			sems[i] = sem->ptr;
			return;
		}
	}
	igt_assert_f(false, "too many semaphores\n");
}

static void sem_release(struct buf *sem)
{
	unsigned int i;

	*(volatile uint32_t *)sem->ptr = 1;
	__sync_synchronize();
	for (i = 0; i < ARRAY_SIZE(sems); i++)
		if (sems[i] == sem->ptr)
			sems[i] = NULL;
}

static void sem_free(struct buf *sem)
{
	sem_release(sem);
	buf_free(sem);
}

/* Stalls the job until the CPU releases sem. */
static void emit_block(struct vmsm_cs *cs, struct buf *sem)
{
	vmsm_lib_ok(vmsm_cs_add_bo(cs, sem->bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_wait_mem(cs, sem->iova, 1, ~0u, VMSM_CP_WAIT_EQ));
}

/* A sync_file that must stay unsignalled while a blocker holds its job. */
static void assert_blocked(int fence_fd)
{
	igt_assert_eq(fence_fd_status(fence_fd, 0), 0);
	igt_assert_eq(fence_fd_status(fence_fd, BLOCKED_CHECK_MS), 0);
}

/* A GPU address range no object of ours covers. */
struct range {
	uint64_t start, size;
};

static uint64_t unmapped_va(const struct range *used, unsigned int n)
{
	const uint64_t len = 1 << 20;
	uint64_t cand[] = {
		va_start + (va_size / 2 & ~(len - 1)),
		va_start + va_size - 64 * len,
		va_start + (va_size / 4 & ~(len - 1)),
		va_start + 4096 * len,
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(cand); i++) {
		for (j = 0; j < n; j++)
			if (cand[i] < used[j].start + used[j].size &&
			    used[j].start < cand[i] + len)
				break;
		if (j == n)
			return cand[i];
	}
	igt_assert_f(false, "no unmapped GPU address found\n");
	return 0;
}

/*
 * Basic jobs
 * ==========
 */

static void test_nop(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	uint32_t f1, f2, f3;

	vmsm_lib_ok(vmsm_cs_nop(cs, 0));
	vmsm_lib_ok(vmsm_cs_nop(cs, 7));
	vmsm_lib_ok(vmsm_cs_nop(cs, 0));
	f1 = submit(cs, NULL, NULL);
	wait_fence(dev, f1);
	/* The same stream again, and once more without waiting in between. */
	f2 = submit(cs, NULL, NULL);
	f3 = submit(cs, NULL, NULL);
	igt_info("fences %u %u %u\n", f1, f2, f3);
	igt_assert((int32_t)(f2 - f1) > 0);
	igt_assert((int32_t)(f3 - f2) > 0);
	wait_fence(dev, f3);
	wait_fence(dev, f2);
	/* Retired long ago: still 0. */
	wait_fence(dev, f1);
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, f1, 0));
	vmsm_cs_free(cs);
}

static void test_copy(uint64_t size, uint32_t src_off, uint32_t dst_off,
		      uint32_t flags)
{
	const uint32_t guard = 4096;
	struct vmsm_cs *cs = cs_new(dev);
	struct buf src, dst;
	uint8_t *expect, *d;
	int64_t bad;

	buf_new(dev, &src, src_off + size, flags);
	buf_new(dev, &dst, dst_off + size + guard, flags);

	expect = malloc(size);
	igt_assert(expect);
	fill_random(expect, size, size ^ 0x5eed);
	cpu_begin(&src, VMSM_PREP_WRITE);
	memset(src.ptr, 0x11, src.size);
	memcpy((uint8_t *)src.ptr + src_off, expect, size);
	cpu_end(&src);
	buf_set(&dst, 0xa5);

	vmsm_lib_ok(vmsm_cs_add_bo(cs, src.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst.iova + dst_off, src.iova + src_off, size));
	submit_wait(cs);

	cpu_begin(&dst, VMSM_PREP_READ);
	d = dst.ptr;
	bad = first_not(d, 0xa5, dst_off);
	igt_assert_f(bad < 0, "byte %lld before the copy changed\n", (long long)bad);
	bad = first_diff(d + dst_off, expect, size);
	igt_assert_f(bad < 0, "copied byte %lld: %#x, expected %#x\n",
		     (long long)bad, d[dst_off + bad], expect[bad]);
	bad = first_not(d + dst_off + size, 0xa5, dst.size - dst_off - size);
	igt_assert_f(bad < 0, "byte %lld after the copy changed\n", (long long)bad);
	cpu_end(&dst);

	free(expect);
	vmsm_cs_free(cs);
	buf_free(&src);
	buf_free(&dst);
}

static void test_fill(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	const uint32_t off = 4096 + 12, size = 8192 + 16;
	struct buf b;
	uint32_t *p, i;

	buf_new(dev, &b, 64 << 10, VMSM_BO_CACHED);
	buf_set(&b, 0x5a);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_fill(cs, b.iova + off, size, 0xdeadbeef));
	/* The smallest fill, a dword. */
	vmsm_lib_ok(vmsm_cs_fill(cs, b.iova + 60000, 4, 0x01020304));
	/* A whole page at the end. */
	vmsm_lib_ok(vmsm_cs_fill(cs, b.iova + b.size - 4096, 4096, 0xcafef00d));
	submit_wait(cs);

	cpu_begin(&b, VMSM_PREP_READ);
	p = b.ptr;
	for (i = 0; i < b.size / 4; i++) {
		uint32_t expect = 0x5a5a5a5a;

		if (i >= off / 4 && i < (off + size) / 4)
			expect = 0xdeadbeef;
		else if (i == 60000 / 4)
			expect = 0x01020304;
		else if (i >= (b.size - 4096) / 4)
			expect = 0xcafef00d;
		igt_assert_f(p[i] == expect, "dword %u: %#x, expected %#x\n",
			     i, p[i], expect);
	}
	cpu_end(&b);
	vmsm_cs_free(cs);
	buf_free(&b);
}

static void test_write(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	uint32_t data[100], *p, i;
	struct buf b;

	buf_new(dev, &b, 8192, VMSM_BO_CACHED);
	buf_set(&b, 0);
	for (i = 0; i < ARRAY_SIZE(data); i++)
		data[i] = 0x10000 + i * 3;
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_write(cs, b.iova + 8, &data[0], 1));
	/* 100 dwords across the page boundary. */
	vmsm_lib_ok(vmsm_cs_write(cs, b.iova + 4096 - 40, data, ARRAY_SIZE(data)));
	submit_wait(cs);

	cpu_begin(&b, VMSM_PREP_READ);
	p = b.ptr;
	for (i = 0; i < b.size / 4; i++) {
		uint32_t expect = 0;

		if (i == 2)
			expect = data[0];
		else if (i >= (4096 - 40) / 4 && i < (4096 - 40) / 4 + ARRAY_SIZE(data))
			expect = data[i - (4096 - 40) / 4];
		igt_assert_f(p[i] == expect, "dword %u: %#x, expected %#x\n",
			     i, p[i], expect);
	}
	cpu_end(&b);
	vmsm_cs_free(cs);
	buf_free(&b);
}

/* The FENCE packet stores its value after the job's earlier writes. */
static void test_fence_packet(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	struct buf b;
	uint32_t *p;

	buf_new(dev, &b, 4096, VMSM_BO_CACHED);
	buf_set(&b, 0);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_fill(cs, b.iova, 1024, 0x77777777));
	vmsm_lib_ok(vmsm_cs_fence(cs, b.iova + 2048, 0xf00d0001));
	submit_wait(cs);
	cpu_begin(&b, VMSM_PREP_READ);
	p = b.ptr;
	igt_assert_eq_u32(p[0], 0x77777777);
	igt_assert_eq_u32(p[255], 0x77777777);
	igt_assert_eq_u32(p[256], 0);
	igt_assert_eq_u32(p[512], 0xf00d0001);
	igt_assert_eq_u32(p[513], 0);
	cpu_end(&b);
	vmsm_cs_free(cs);
	buf_free(&b);
}

/*
 * 2D
 * ==
 */

#define SURF_W	64
#define SURF_H	64

struct surf {
	struct buf buf;
	struct vmsm_surface s;
};

static void surf_new(struct surf *sf, uint32_t pitch, uint32_t format)
{
	buf_new(dev, &sf->buf, (uint64_t)pitch * SURF_H, VMSM_BO_CACHED);
	sf->s.iova = sf->buf.iova;
	sf->s.pitch = pitch;
	sf->s.format = format;
}

static uint32_t *pixel(struct surf *sf, uint32_t x, uint32_t y)
{
	return (uint32_t *)((uint8_t *)sf->buf.ptr + (uint64_t)y * sf->s.pitch) + x;
}

/* Every 32-bit word of the surface, pitch padding included. */
static void surf_fill_cpu(struct surf *sf, uint32_t (*value)(uint32_t x, uint32_t y))
{
	uint32_t x, y;

	cpu_begin(&sf->buf, VMSM_PREP_WRITE);
	for (y = 0; y < SURF_H; y++)
		for (x = 0; x < sf->s.pitch / 4; x++)
			*pixel(sf, x, y) = value(x, y);
	cpu_end(&sf->buf);
}

static uint32_t background(uint32_t x, uint32_t y)
{
	return 0xbb000000 | (y << 8) | x;
}

static uint32_t source(uint32_t x, uint32_t y)
{
	return 0x5c000000 | (y << 12) | (x << 1) | 1;
}

static bool in_rect(uint32_t x, uint32_t y, uint32_t rx, uint32_t ry,
		    uint32_t rw, uint32_t rh)
{
	return x >= rx && x < rx + rw && y >= ry && y < ry + rh;
}

struct rect {
	uint32_t x, y, w, h, color;
};

static void test_fill_rect(uint32_t format)
{
	static const uint32_t pitches[] = { SURF_W * 4, SURF_W * 4 + 64 };
	static const struct rect rects[] = {
		{ 5, 7, 20, 13, 0xff112233 },
		{ 0, 0, 1, 1, 0x80445566 },
		{ SURF_W - 1, SURF_H - 1, 1, 1, 0x00778899 },
		{ 30, 0, 34, 64, 0x12abcdef },	/* overlaps the first */
		{ 0, 40, 64, 3, 0xfedcba98 },
	};
	unsigned int p, r;

	for (p = 0; p < ARRAY_SIZE(pitches); p++) {
		struct vmsm_cs *cs = cs_new(dev);
		struct surf sf;
		uint32_t x, y;

		surf_new(&sf, pitches[p], format);
		surf_fill_cpu(&sf, background);
		vmsm_lib_ok(vmsm_cs_add_bo(cs, sf.buf.bo, VMSM_SUBMIT_BO_WRITE));
		for (r = 0; r < ARRAY_SIZE(rects); r++)
			vmsm_lib_ok(vmsm_cs_fill_rect(cs, &sf.s, rects[r].x, rects[r].y,
						 rects[r].w, rects[r].h,
						 rects[r].color));
		submit_wait(cs);

		cpu_begin(&sf.buf, VMSM_PREP_READ);
		for (y = 0; y < SURF_H; y++) {
			for (x = 0; x < pitches[p] / 4; x++) {
				uint32_t expect = background(x, y);

				for (r = 0; r < ARRAY_SIZE(rects) && x < SURF_W; r++)
					if (in_rect(x, y, rects[r].x, rects[r].y,
						    rects[r].w, rects[r].h))
						expect = rects[r].color;
				igt_assert_f(*pixel(&sf, x, y) == expect,
					     "pitch %u pixel (%u, %u): %#x, expected %#x\n",
					     pitches[p], x, y, *pixel(&sf, x, y), expect);
			}
		}
		cpu_end(&sf.buf);
		vmsm_cs_free(cs);
		buf_free(&sf.buf);
	}
}

static void test_blit(uint32_t format)
{
	struct vmsm_cs *cs = cs_new(dev);
	struct surf src, dst, dst2;
	const uint32_t sx = 3, sy = 4, dx = 10, dy = 20, w = 30, h = 25;
	uint32_t x, y;

	surf_new(&src, SURF_W * 4, format);
	surf_new(&dst, SURF_W * 4, format);
	surf_new(&dst2, SURF_W * 4 + 128, format);
	surf_fill_cpu(&src, source);
	surf_fill_cpu(&dst, background);
	surf_fill_cpu(&dst2, background);

	vmsm_lib_ok(vmsm_cs_add_bo(cs, src.buf.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.buf.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst2.buf.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_blit(cs, &dst.s, dx, dy, &src.s, sx, sy, w, h));
	/* The whole surface into one of another pitch. */
	vmsm_lib_ok(vmsm_cs_blit(cs, &dst2.s, 0, 0, &src.s, 0, 0, SURF_W, SURF_H));
	submit_wait(cs);

	cpu_begin(&dst.buf, VMSM_PREP_READ);
	for (y = 0; y < SURF_H; y++) {
		for (x = 0; x < SURF_W; x++) {
			uint32_t expect = in_rect(x, y, dx, dy, w, h) ?
					  source(x - dx + sx, y - dy + sy) :
					  background(x, y);

			igt_assert_f(*pixel(&dst, x, y) == expect,
				     "pixel (%u, %u): %#x, expected %#x\n", x, y,
				     *pixel(&dst, x, y), expect);
		}
	}
	cpu_end(&dst.buf);
	cpu_begin(&dst2.buf, VMSM_PREP_READ);
	for (y = 0; y < SURF_H; y++) {
		for (x = 0; x < dst2.s.pitch / 4; x++) {
			uint32_t expect = x < SURF_W ? source(x, y) : background(x, y);

			igt_assert_f(*pixel(&dst2, x, y) == expect,
				     "full blit pixel (%u, %u): %#x, expected %#x\n",
				     x, y, *pixel(&dst2, x, y), expect);
		}
	}
	cpu_end(&dst2.buf);
	/* The source is untouched. */
	cpu_begin(&src.buf, VMSM_PREP_READ);
	for (y = 0; y < SURF_H; y++)
		for (x = 0; x < SURF_W; x++)
			igt_assert_eq_u32(*pixel(&src, x, y), source(x, y));
	cpu_end(&src.buf);

	vmsm_cs_free(cs);
	buf_free(&src.buf);
	buf_free(&dst.buf);
	buf_free(&dst2.buf);
}

/*
 * Indirect buffers
 * ================
 */

static void write1(struct vmsm_cs *cs, uint64_t addr, uint32_t value)
{
	vmsm_lib_ok(vmsm_cs_write(cs, addr, &value, 1));
}

static void test_indirect(void)
{
	struct vmsm_cs *main_cs = cs_new(dev), *ib1 = cs_new(dev), *ib2 = cs_new(dev);
	struct buf b;
	uint32_t *p;

	buf_new(dev, &b, 4096, VMSM_BO_CACHED);
	buf_set(&b, 0);

	/* ib2: dword 1 */
	vmsm_lib_ok(vmsm_cs_add_bo(ib2, b.bo, VMSM_SUBMIT_BO_WRITE));
	write1(ib2, b.iova + 4, 0xbbbb0001);
	/* ib1: dword 0, then ib2, then dword 2 */
	vmsm_lib_ok(vmsm_cs_add_bo(ib1, b.bo, VMSM_SUBMIT_BO_WRITE));
	write1(ib1, b.iova + 0, 0xaaaa0000);
	vmsm_lib_ok(vmsm_cs_call(ib1, ib2));
	write1(ib1, b.iova + 8, 0xcccc0002);
	/*
	 * main: ib1, dword 3, clears dword 1, ib2 again (sets dword 1 once
	 * more), dword 4.
	 */
	vmsm_lib_ok(vmsm_cs_call(main_cs, ib1));
	write1(main_cs, b.iova + 12, 0xdddd0003);
	write1(main_cs, b.iova + 4, 0);
	vmsm_lib_ok(vmsm_cs_call(main_cs, ib2));
	write1(main_cs, b.iova + 16, 0xeeee0004);
	/* Past the size ib2 was called with: never executed. */
	write1(ib2, b.iova + 20, 0xffff0005);
	submit_wait(main_cs);

	cpu_begin(&b, VMSM_PREP_READ);
	p = b.ptr;
	igt_assert_eq_u32(p[0], 0xaaaa0000);
	igt_assert_eq_u32(p[1], 0xbbbb0001);
	igt_assert_eq_u32(p[2], 0xcccc0002);
	igt_assert_eq_u32(p[3], 0xdddd0003);
	igt_assert_eq_u32(p[4], 0xeeee0004);
	igt_assert_eq_u32(p[5], 0);
	cpu_end(&b);

	vmsm_cs_free(main_cs);
	vmsm_cs_free(ib1);
	vmsm_cs_free(ib2);
	buf_free(&b);
}

/*
 * A chain of @levels nested INDIRECT packets below the submitted command
 * buffer, the innermost writing a marker. Returns the job's fence status.
 */
static int ib_chain(struct vmsm_device *d, unsigned int levels, bool *written)
{
	struct vmsm_cs *cs[8], *top = cs_new(d);
	struct buf b;
	unsigned int i;
	int fence_fd, status;

	igt_assert(levels <= ARRAY_SIZE(cs));
	buf_new(d, &b, 4096, VMSM_BO_CACHED);
	buf_set(&b, 0);
	for (i = 0; i < levels; i++)
		cs[i] = cs_new(d);
	vmsm_lib_ok(vmsm_cs_add_bo(cs[levels - 1], b.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs[levels - 1], b.iova, 0x1eaf);
	for (i = levels - 1; i > 0; i--)
		vmsm_lib_ok(vmsm_cs_call(cs[i - 1], cs[i]));
	vmsm_lib_ok(vmsm_cs_call(top, cs[0]));
	fence_fd = submit_fd(top, 0, -1, NULL);
	status = fence_fd_wait(fence_fd);
	close(fence_fd);
	cpu_begin(&b, VMSM_PREP_READ);
	*written = *(uint32_t *)b.ptr == 0x1eaf;
	cpu_end(&b);
	for (i = 0; i < levels; i++)
		vmsm_cs_free(cs[i]);
	vmsm_cs_free(top);
	buf_free(&b);
	return status;
}

static void test_indirect_depth(void)
{
	struct vmsm_device *d;
	bool written;
	int status;

	/* VMSM_CP_MAX_IB_DEPTH buffers below the submitted one: fine. */
	d = ctx_open(false);
	status = ib_chain(d, VMSM_CP_MAX_IB_DEPTH, &written);
	igt_assert_eq(status, 1);
	igt_assert(written);
	vmsm_device_close(d);

	/* One more: the job stops with an error before the write. */
	d = ctx_open(false);
	status = ib_chain(d, VMSM_CP_MAX_IB_DEPTH + 1, &written);
	igt_info("%u nested: status %d\n", VMSM_CP_MAX_IB_DEPTH + 1, status);
	igt_assert_lt(status, 0);
	igt_assert(!written);
	vmsm_device_close(d);
}

/*
 * Timestamps
 * ==========
 */

static void test_timestamp(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	uint64_t before, after, *ts;
	struct buf b;

	buf_new(dev, &b, 4096, VMSM_BO_CACHED);
	buf_set(&b, 0);
	vmsm_lib_ok(vmsm_device_param(dev, VMSM_PARAM_TIMESTAMP, &before));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_timestamp(cs, b.iova));
	vmsm_lib_ok(vmsm_cs_fill(cs, b.iova + 2048, 2048, 0));
	vmsm_lib_ok(vmsm_cs_timestamp(cs, b.iova + 8));
	submit_wait(cs);
	vmsm_lib_ok(vmsm_cs_reset(cs));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_timestamp(cs, b.iova + 16));
	submit_wait(cs);
	vmsm_lib_ok(vmsm_device_param(dev, VMSM_PARAM_TIMESTAMP, &after));

	cpu_begin(&b, VMSM_PREP_READ);
	ts = b.ptr;
	igt_info("param %llu, gpu %llu %llu %llu, param %llu\n",
		 (unsigned long long)before, (unsigned long long)ts[0],
		 (unsigned long long)ts[1], (unsigned long long)ts[2],
		 (unsigned long long)after);
	igt_assert_neq_u64(ts[0], 0);
	igt_assert_lte_u64(before, ts[0]);
	igt_assert_lte_u64(ts[0], ts[1]);
	igt_assert_lte_u64(ts[1], ts[2]);
	igt_assert_lte_u64(ts[2], after);
	cpu_end(&b);
	vmsm_cs_free(cs);
	buf_free(&b);
}

/*
 * Explicit synchronisation
 * ========================
 */

static void test_fence_fd_out(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	struct buf sem;
	uint32_t fence;
	int fence_fd;

	/* A finished job's sync_file polls signalled, without error. */
	vmsm_lib_ok(vmsm_cs_nop(cs, 1));
	fence_fd = submit_fd(cs, 0, -1, &fence);
	igt_assert_eq(fence_fd_wait(fence_fd), 1);
	wait_fence(dev, fence);
	close(fence_fd);

	/* A held job's does not, until the job is released. */
	sem_new(dev, &sem);
	vmsm_lib_ok(vmsm_cs_reset(cs));
	emit_block(cs, &sem);
	fence_fd = submit_fd(cs, 0, -1, &fence);
	assert_blocked(fence_fd);
	vmsm_lib_err(vmsm_wait_fence(dev, 0, fence, 0), ETIMEDOUT);
	sem_release(&sem);
	igt_assert_eq(fence_fd_wait(fence_fd), 1);
	wait_fence(dev, fence);
	close(fence_fd);

	sem_free(&sem);
	vmsm_cs_free(cs);
}

/*
 * Job 1 (held by a blocker) writes a value; job 2, which waits for job 1's
 * sync_file and nothing else (NO_IMPLICIT), copies it. Job 2 runs on
 * another file, reaching the object through PRIME, and on a queue of
 * another priority: nothing but the in-fence keeps it from running first.
 */
static void test_fence_fd_in(void)
{
	struct vmsm_device *other = ctx_open(true);
	struct vmsm_cs *cs1 = cs_new(dev), *cs2 = cs_new(other);
	struct vmsm_bo *shared_b;
	struct buf sem, shared, dst;
	uint64_t shared_b_iova;
	int fd1, fd2, dmabuf;
	uint32_t f1, f2, q2;

	sem_new(dev, &sem);
	buf_new(dev, &shared, 4096, VMSM_BO_WC);
	buf_new(other, &dst, 4096, VMSM_BO_CACHED);
	buf_set(&dst, 0);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(shared.bo, &dmabuf));
	vmsm_lib_ok(vmsm_bo_import_dmabuf(other, dmabuf, &shared_b));
	close(dmabuf);
	vmsm_lib_ok(vmsm_bo_iova(shared_b, &shared_b_iova));

	emit_block(cs1, &sem);
	vmsm_lib_ok(vmsm_cs_add_bo(cs1, shared.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs1, shared.iova, 0x600d1dea);
	fd1 = submit_fd(cs1, 0, -1, &f1);

	vmsm_lib_ok(vmsm_cs_add_bo(cs2, shared_b, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs2, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs2, dst.iova, shared_b_iova, 4));
	q2 = fast_queue(other);
	fd2 = submit_fd_queue(cs2, q2, VMSM_SUBMIT_FENCE_FD_IN | VMSM_SUBMIT_NO_IMPLICIT,
			      fd1, &f2);

	assert_blocked(fd1);
	igt_assert_eq(fence_fd_status(fd2, 0), 0);
	sem_release(&sem);
	igt_assert_eq(fence_fd_wait(fd2), 1);
	igt_assert_eq(fence_fd_status(fd1, 0), 1);
	cpu_begin(&dst, VMSM_PREP_READ);
	igt_assert_eq_u32(*(uint32_t *)dst.ptr, 0x600d1dea);
	cpu_end(&dst);

	/* An in-fence that has signalled long ago. */
	vmsm_lib_ok(vmsm_cs_reset(cs2));
	vmsm_lib_ok(vmsm_cs_nop(cs2, 0));
	close(fd2);
	fd2 = submit_fd_queue(cs2, q2, VMSM_SUBMIT_FENCE_FD_IN, fd1, &f2);
	igt_assert_eq(fence_fd_wait(fd2), 1);
	vmsm_lib_ok(vmsm_wait_fence(other, q2, f2, JOB_TIMEOUT_NS));
	vmsm_lib_ok(vmsm_submitqueue_close(other, q2));

	close(fd1);
	close(fd2);
	vmsm_cs_free(cs1);
	vmsm_cs_free(cs2);
	vmsm_bo_free(shared_b);
	buf_free(&shared);
	buf_free(&dst);
	sem_free(&sem);
	vmsm_device_close(other);
}

static uint32_t syncobj_create(int f, uint32_t flags)
{
	struct drm_syncobj_create args = { .flags = flags };

	do_ioctl(f, DRM_IOCTL_SYNCOBJ_CREATE, &args);
	igt_assert_neq_u32(args.handle, 0);
	return args.handle;
}

static void syncobj_destroy(int f, uint32_t handle)
{
	struct drm_syncobj_destroy args = { .handle = handle };

	do_ioctl(f, DRM_IOCTL_SYNCOBJ_DESTROY, &args);
}

/* Waits for the points (0: binary) until the absolute deadline. */
static int syncobj_wait(int f, const uint32_t *handles, const uint64_t *points,
			unsigned int n, int64_t deadline)
{
	struct drm_syncobj_timeline_wait args = {
		.handles = (uintptr_t)handles,
		.points = (uintptr_t)points,
		.timeout_nsec = deadline,
		.count_handles = n,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
	};

	return igt_ioctl(f, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &args) ? -errno : 0;
}

static int submit_sync_queue(struct vmsm_cs *cs, uint32_t queue_id, uint32_t flags,
			     const struct drm_vmsm_syncobj *in, uint32_t nr_in,
			     const struct drm_vmsm_syncobj *out, uint32_t nr_out,
			     uint32_t *fence)
{
	struct vmsm_submit_opts opts = {
		.flags = flags | VMSM_SUBMIT_FENCE_FD_OUT,
		.queue_id = queue_id,
		.in_syncobjs = in,
		.nr_in_syncobjs = nr_in,
		.out_syncobjs = out,
		.nr_out_syncobjs = nr_out,
	};
	int fence_fd = -1;
	uint32_t f = submit(cs, &opts, &fence_fd);

	if (fence)
		*fence = f;
	return fence_fd;
}

static int submit_sync(struct vmsm_cs *cs, uint32_t flags,
		       const struct drm_vmsm_syncobj *in, uint32_t nr_in,
		       const struct drm_vmsm_syncobj *out, uint32_t nr_out,
		       uint32_t *fence)
{
	return submit_sync_queue(cs, 0, flags, in, nr_in, out, nr_out, fence);
}

static void test_syncobj_binary(void)
{
	struct vmsm_cs *cs1 = cs_new(dev), *cs2 = cs_new(dev);
	uint32_t s = syncobj_create(fd, 0);
	struct drm_vmsm_syncobj sync = { .handle = s };
	struct drm_syncobj_handle exp = {
		.handle = s,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
	};
	struct buf sem, a, b;
	uint64_t zero = 0;
	int fd1, fd2;

	sem_new(dev, &sem);
	buf_new(dev, &a, 4096, VMSM_BO_CACHED);
	buf_new(dev, &b, 4096, VMSM_BO_CACHED);
	buf_set(&b, 0);

	emit_block(cs1, &sem);
	vmsm_lib_ok(vmsm_cs_add_bo(cs1, a.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs1, a.iova, 0x5e11);
	fd1 = submit_sync(cs1, 0, NULL, 0, &sync, 1, NULL);

	vmsm_lib_ok(vmsm_cs_add_bo(cs2, a.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs2, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs2, b.iova, a.iova, 4));
	fd2 = submit_sync_queue(cs2, fast_queue(dev), VMSM_SUBMIT_NO_IMPLICIT,
			      &sync, 1, NULL, 0, NULL);

	assert_blocked(fd1);
	igt_assert_eq(fence_fd_status(fd2, 0), 0);
	igt_assert_eq(syncobj_wait(fd, &s, &zero, 1, 0), -ETIME);
	sem_release(&sem);
	igt_assert_eq(syncobj_wait(fd, &s, &zero, 1, now_ns() + JOB_TIMEOUT_NS), 0);
	igt_assert_eq(fence_fd_wait(fd2), 1);
	cpu_begin(&b, VMSM_PREP_READ);
	igt_assert_eq_u32(*(uint32_t *)b.ptr, 0x5e11);
	cpu_end(&b);

	/* The syncobj holds job 1's fence: as a sync_file, signalled. */
	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &exp);
	igt_assert_eq(fence_fd_status(exp.fd, 0), 1);
	close(exp.fd);

	close(fd1);
	close(fd2);
	syncobj_destroy(fd, s);
	vmsm_cs_free(cs1);
	vmsm_cs_free(cs2);
	buf_free(&a);
	buf_free(&b);
	sem_free(&sem);
}

static void test_syncobj_timeline(void)
{
	struct vmsm_cs *cs = cs_new(dev), *blocked = cs_new(dev);
	uint32_t s = syncobj_create(fd, 0);
	struct drm_vmsm_syncobj p1 = { .handle = s, .point = 1 };
	struct drm_vmsm_syncobj p3 = { .handle = s, .point = 3 };
	struct drm_vmsm_syncobj p5 = { .handle = s, .point = 5 };
	uint32_t handles[2] = { s, s };
	uint64_t points[2] = { 1, 3 }, point5 = 5, last = 0;
	struct drm_syncobj_timeline_array query = {
		.handles = (uintptr_t)&s,
		.points = (uintptr_t)&last,
		.count_handles = 1,
	};
	struct buf sem;
	int f1, f2, f3, f4;

	vmsm_lib_ok(vmsm_cs_nop(cs, 0));
	f1 = submit_sync(cs, 0, NULL, 0, &p1, 1, NULL);
	f2 = submit_sync(cs, 0, NULL, 0, &p3, 1, NULL);
	igt_assert_eq(syncobj_wait(fd, handles, points, 2,
				   now_ns() + JOB_TIMEOUT_NS), 0);
	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &query);
	igt_assert_eq_u64(last, 3);

	/* A job waiting for point 3, signalling point 5 once released. */
	sem_new(dev, &sem);
	emit_block(blocked, &sem);
	f3 = submit_sync(blocked, 0, &p3, 1, &p5, 1, NULL);
	igt_assert_eq(syncobj_wait(fd, &s, &point5, 1, now_ns() + 50000000), -ETIME);
	assert_blocked(f3);
	/* Point 3 is still signalled. */
	igt_assert_eq(syncobj_wait(fd, handles, points, 2, 0), 0);
	sem_release(&sem);
	igt_assert_eq(syncobj_wait(fd, &s, &point5, 1, now_ns() + JOB_TIMEOUT_NS), 0);
	igt_assert_eq(fence_fd_wait(f3), 1);
	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &query);
	igt_assert_eq_u64(last, 5);

	/* A job waiting for point 5, and one for points 1 and 5. */
	f4 = submit_sync(cs, 0, &p5, 1, NULL, 0, NULL);
	igt_assert_eq(fence_fd_wait(f4), 1);
	close(f4);
	{
		struct drm_vmsm_syncobj both[2] = { p1, p5 };

		f4 = submit_sync(cs, 0, both, 2, NULL, 0, NULL);
		igt_assert_eq(fence_fd_wait(f4), 1);
	}

	close(f1);
	close(f2);
	close(f3);
	close(f4);
	syncobj_destroy(fd, s);
	vmsm_cs_free(cs);
	vmsm_cs_free(blocked);
	sem_free(&sem);
}

/*
 * Queues of different priorities run concurrently: a job of a fast queue
 * completes while the default queue's job is held (which is what makes the
 * ordering tests above meaningful).
 */
static void test_queues_concurrent(void)
{
	struct vmsm_cs *held = cs_new(dev), *cs = cs_new(dev);
	uint32_t q_fast = fast_queue(dev), q_slow, f;
	struct buf sem, b;
	int held_fd, fence_fd;

	vmsm_lib_ok(vmsm_submitqueue_new(dev, 2, &q_slow));
	sem_new(dev, &sem);
	buf_new(dev, &b, 4096, VMSM_BO_CACHED);
	buf_set(&b, 0);
	emit_block(held, &sem);
	held_fd = submit_fd(held, 0, -1, NULL);

	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs, b.iova, 0xfa57);
	fence_fd = submit_fd_queue(cs, q_fast, 0, -1, &f);
	igt_assert_eq(fence_fd_wait(fence_fd), 1);
	vmsm_lib_ok(vmsm_wait_fence(dev, q_fast, f, 0));
	close(fence_fd);
	/* The lowest priority too. */
	vmsm_lib_ok(vmsm_cs_reset(cs));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs, b.iova + 4, 0x5104);
	fence_fd = submit_fd_queue(cs, q_slow, 0, -1, &f);
	igt_assert_eq(fence_fd_wait(fence_fd), 1);
	close(fence_fd);

	assert_blocked(held_fd);
	cpu_begin(&b, VMSM_PREP_READ);
	igt_assert_eq_u32(((uint32_t *)b.ptr)[0], 0xfa57);
	igt_assert_eq_u32(((uint32_t *)b.ptr)[1], 0x5104);
	cpu_end(&b);
	sem_release(&sem);
	igt_assert_eq(fence_fd_wait(held_fd), 1);

	/* Fence ids are per queue: each queue's first job is 1. */
	igt_assert_eq_u32(f, 1);
	vmsm_lib_ok(vmsm_submitqueue_close(dev, q_fast));
	vmsm_lib_ok(vmsm_submitqueue_close(dev, q_slow));
	close(held_fd);
	vmsm_cs_free(held);
	vmsm_cs_free(cs);
	buf_free(&b);
	sem_free(&sem);
}

/*
 * Implicit synchronisation
 * ========================
 */

/*
 * Job 1 (held) fills the object, job 2 copies it out; submitted back to
 * back without NO_IMPLICIT, job 2 must see job 1's data. Job 2 runs on a
 * queue of another priority, so only implicit sync orders it. on_other:
 * job 2 runs on another file, with the object imported through PRIME.
 */
static void implicit_sync(bool on_other)
{
	struct vmsm_device *d2 = on_other ? ctx_open(true) : vmsm_device_ref(dev);
	struct vmsm_cs *cs1 = cs_new(dev), *cs2 = cs_new(d2);
	struct vmsm_bo *obj2;
	struct buf sem, obj, dst;
	uint64_t obj2_iova;
	int fd1, fd2;
	uint32_t *p, i;

	sem_new(dev, &sem);
	buf_new(dev, &obj, 16384, VMSM_BO_WC);
	buf_new(d2, &dst, 16384, VMSM_BO_CACHED);
	buf_set(&dst, 0);
	if (on_other) {
		int dmabuf;

		vmsm_lib_ok(vmsm_bo_export_dmabuf(obj.bo, &dmabuf));
		vmsm_lib_ok(vmsm_bo_import_dmabuf(d2, dmabuf, &obj2));
		close(dmabuf);
	} else {
		obj2 = vmsm_bo_ref(obj.bo);
	}
	vmsm_lib_ok(vmsm_bo_iova(obj2, &obj2_iova));

	emit_block(cs1, &sem);
	vmsm_lib_ok(vmsm_cs_add_bo(cs1, obj.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_fill(cs1, obj.iova, 16384, 0x1a2b3c4d));
	fd1 = submit_fd(cs1, 0, -1, NULL);

	vmsm_lib_ok(vmsm_cs_add_bo(cs2, obj2, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs2, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs2, dst.iova, obj2_iova, 16384));
	fd2 = submit_fd_queue(cs2, fast_queue(d2), 0, -1, NULL);

	assert_blocked(fd1);
	igt_assert_eq(fence_fd_status(fd2, 0), 0);
	/* The CPU sees the object busy too. */
	vmsm_lib_err(vmsm_bo_cpu_prep(dst.bo, VMSM_PREP_READ | VMSM_PREP_NOSYNC, 0), EBUSY);
	sem_release(&sem);
	igt_assert_eq(fence_fd_wait(fd2), 1);
	igt_assert_eq(fence_fd_status(fd1, 0), 1);

	cpu_begin(&dst, VMSM_PREP_READ);
	p = dst.ptr;
	for (i = 0; i < 16384 / 4; i++)
		igt_assert_f(p[i] == 0x1a2b3c4d, "dword %u: %#x\n", i, p[i]);
	cpu_end(&dst);

	close(fd1);
	close(fd2);
	vmsm_cs_free(cs1);
	vmsm_cs_free(cs2);
	vmsm_bo_free(obj2);
	buf_free(&obj);
	buf_free(&dst);
	sem_free(&sem);
	vmsm_device_close(d2);
}

/* CPU_PREP on objects a held job uses: busy, then idle once released. */
static void test_cpu_prep_busy(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	struct buf sem, rd, wr;
	int fence_fd;

	sem_new(dev, &sem);
	buf_new(dev, &rd, 4096, VMSM_BO_CACHED);
	buf_new(dev, &wr, 4096, VMSM_BO_CACHED);
	emit_block(cs, &sem);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, rd.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, wr.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, wr.iova, rd.iova, 64));
	fence_fd = submit_fd(cs, 0, -1, NULL);

	/* The job writes wr: the CPU may neither read nor write it. */
	vmsm_lib_err(vmsm_bo_cpu_prep(wr.bo, VMSM_PREP_READ | VMSM_PREP_NOSYNC, 0), EBUSY);
	vmsm_lib_err(vmsm_bo_cpu_prep(wr.bo, VMSM_PREP_WRITE | VMSM_PREP_NOSYNC, 0), EBUSY);
	vmsm_lib_err(vmsm_bo_cpu_prep(wr.bo, VMSM_PREP_READ, 20000000), ETIMEDOUT);
	/* The job reads rd: the CPU may read it, not write it. */
	vmsm_lib_ok(vmsm_bo_cpu_prep(rd.bo, VMSM_PREP_READ | VMSM_PREP_NOSYNC, 0));
	vmsm_lib_ok(vmsm_bo_cpu_fini(rd.bo));
	vmsm_lib_ok(vmsm_bo_cpu_prep(rd.bo, VMSM_PREP_READ, 20000000));
	vmsm_lib_ok(vmsm_bo_cpu_fini(rd.bo));
	vmsm_lib_err(vmsm_bo_cpu_prep(rd.bo, VMSM_PREP_WRITE | VMSM_PREP_NOSYNC, 0), EBUSY);
	vmsm_lib_err(vmsm_bo_cpu_prep(rd.bo, VMSM_PREP_WRITE, 20000000), ETIMEDOUT);
	assert_blocked(fence_fd);

	sem_release(&sem);
	/* A waiting CPU_PREP returns once the job is done. */
	vmsm_lib_ok(vmsm_bo_cpu_prep(wr.bo, VMSM_PREP_READ | VMSM_PREP_WRITE, JOB_TIMEOUT_NS));
	vmsm_lib_ok(vmsm_bo_cpu_fini(wr.bo));
	igt_assert_eq(fence_fd_status(fence_fd, 0), 1);
	vmsm_lib_ok(vmsm_bo_cpu_prep(rd.bo, VMSM_PREP_WRITE | VMSM_PREP_NOSYNC, 0));
	vmsm_lib_ok(vmsm_bo_cpu_fini(rd.bo));

	close(fence_fd);
	vmsm_cs_free(cs);
	buf_free(&rd);
	buf_free(&wr);
	sem_free(&sem);
}

/* The kernel keeps an object a job uses after its last handle goes. */
static void test_close_busy_bo(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	struct buf sem, src, dst;
	int fence_fd;

	sem_new(dev, &sem);
	buf_new(dev, &src, 65536, VMSM_BO_CACHED);
	buf_new(dev, &dst, 65536, VMSM_BO_CACHED);
	cpu_begin(&src, VMSM_PREP_WRITE);
	fill_random(src.ptr, src.size, 77);
	cpu_end(&src);
	buf_set(&dst, 0);

	emit_block(cs, &sem);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, src.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst.iova, src.iova, src.size));
	fence_fd = submit_fd(cs, 0, -1, NULL);
	/* Drop every reference of ours to src: the stream's and the buf's. */
	vmsm_lib_ok(vmsm_cs_reset(cs));
	buf_free(&src);
	assert_blocked(fence_fd);
	sem_release(&sem);
	igt_assert_eq(fence_fd_wait(fence_fd), 1);

	{
		uint8_t *expect = malloc(65536);

		igt_assert(expect);
		fill_random(expect, 65536, 77);
		cpu_begin(&dst, VMSM_PREP_READ);
		igt_assert(!memcmp(dst.ptr, expect, 65536));
		cpu_end(&dst);
		free(expect);
	}
	close(fence_fd);
	vmsm_cs_free(cs);
	buf_free(&dst);
	sem_free(&sem);
}

static void assert_working(struct vmsm_device *d);

/* The live-object counts of debugfs vmsm_objects. */
struct counts {
	int objects, vms, jobs;
};

static void read_counts(struct counts *c)
{
	c->objects = vmsm_debugfs_count(fd, "objects");
	c->vms = vmsm_debugfs_count(fd, "vms");
	c->jobs = vmsm_debugfs_count(fd, "jobs");
}

static bool counts_are(const struct counts *want)
{
	struct counts now;

	read_counts(&now);
	return now.objects == want->objects && now.vms == want->vms &&
	       now.jobs == want->jobs;
}

/* What this process holds when idle: its jobs freed, nothing else. */
static void counts_baseline(struct counts *base)
{
	read_counts(base);
	igt_require_f(base->objects >= 0 && base->vms >= 0 && base->jobs >= 0,
		      "no objects/vms/jobs counts in vmsm_objects\n");
	igt_assert(igt_wait(vmsm_debugfs_count(fd, "jobs") == 0, 10000, 20));
	read_counts(base);
}

/* The counts go back to base; job and object release is asynchronous. */
static void assert_counts_back(const struct counts *base)
{
	struct counts now;

	if (igt_wait(counts_are(base), 10000, 20))
		return;
	read_counts(&now);
	igt_assert_f(false, "objects %d vms %d jobs %d, expected %d %d %d\n",
		     now.objects, now.vms, now.jobs, base->objects, base->vms,
		     base->jobs);
}

/*
 * Closing a file with a job still held: the job ends (with or without an
 * error, at the latest by the job timeout), its sync_file signals, and
 * the file's objects, address space and jobs go.
 */
static void test_close_busy_fd(void)
{
	struct vmsm_device *d;
	struct vmsm_cs *cs;
	struct counts base;
	struct buf sem;
	int fence_fd, status;

	counts_baseline(&base);
	d = ctx_open(false);
	cs = cs_new(d);

	buf_new(d, &sem, 4096, VMSM_BO_UNCACHED);
	emit_block(cs, &sem);
	fence_fd = submit_fd(cs, 0, -1, NULL);
	assert_blocked(fence_fd);
	/* Nothing of the file is left in this process after these. */
	vmsm_cs_free(cs);
	buf_free(&sem);
	vmsm_device_close(d);

	status = fence_fd_status(fence_fd, HANG_TIMEOUT_NS / 1000000);
	igt_info("job of the closed file: status %d\n", status);
	igt_assert_neq(status, 0);
	close(fence_fd);
	assert_counts_back(&base);
}

/*
 * A file that ran jobs, good and faulting, and shared objects: once
 * closed, nothing of it is left.
 */
static void test_no_leaks(void)
{
	struct vmsm_device *d, *d2;
	struct vmsm_cs *cs;
	struct vmsm_bo *imported;
	struct counts base;
	struct buf a, b;
	int dmabuf, fence_fd, faults;

	counts_baseline(&base);
	faults = vmsm_debugfs_count(fd, "faults");
	d = ctx_open(false);
	d2 = ctx_open(true);
	assert_working(d);
	buf_new(d, &a, 65536, VMSM_BO_WC);
	buf_new(d, &b, 65536, VMSM_BO_CACHED);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(a.bo, &dmabuf));
	vmsm_lib_ok(vmsm_bo_import_dmabuf(d2, dmabuf, &imported));
	close(dmabuf);
	assert_working(d2);
	/* d2 runs a job on the imported object, then d faults. */
	cs = cs_new(d2);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, imported, VMSM_SUBMIT_BO_WRITE));
	{
		uint64_t iova;

		vmsm_lib_ok(vmsm_bo_iova(imported, &iova));
		vmsm_lib_ok(vmsm_cs_fill(cs, iova, 65536, 0x12345678));
	}
	submit_wait(cs);
	vmsm_cs_free(cs);
	cs = cs_new(d);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, b.iova, 4096, 4096));
	fence_fd = submit_fd(cs, 0, -1, NULL);
	igt_assert_lt(fence_fd_wait(fence_fd), 0);
	close(fence_fd);
	igt_assert_lte(faults + 1, vmsm_debugfs_count(fd, "faults"));

	vmsm_cs_free(cs);
	buf_free(&a);
	buf_free(&b);
	vmsm_bo_free(imported);
	vmsm_device_close(d);
	vmsm_device_close(d2);
	assert_counts_back(&base);
}

/*
 * Faults and isolation
 * ====================
 */

/* Submits a COPY of @size bytes from @src_va into dst; the job's status. */
static int copy_job(struct vmsm_device *d, struct buf *dst, uint64_t src_va,
		    uint64_t size)
{
	struct vmsm_cs *cs = cs_new(d);
	int fence_fd, status;
	uint32_t fence;

	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst->bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst->iova, src_va, size));
	fence_fd = submit_fd(cs, 0, -1, &fence);
	status = fence_fd_wait(fence_fd);
	/* Also for a job that failed, WAIT_FENCE returns 0. */
	wait_fence(d, fence);
	close(fence_fd);
	vmsm_cs_free(cs);
	return status;
}

/* The file's context is faulty: later submits fail with EIO. */
static void assert_faulty(struct vmsm_device *d)
{
	struct vmsm_cs *cs = cs_new(d);

	vmsm_lib_ok(vmsm_cs_nop(cs, 0));
	vmsm_lib_err(vmsm_submit(cs, NULL, NULL), EIO);
	vmsm_lib_err(vmsm_submit(cs, NULL, NULL), EIO);
	vmsm_cs_free(cs);
}

/* A job on the main file works: copy, check. */
static void assert_working(struct vmsm_device *d)
{
	struct buf src, dst;
	struct vmsm_cs *cs = cs_new(d);

	buf_new(d, &src, 4096, VMSM_BO_CACHED);
	buf_new(d, &dst, 4096, VMSM_BO_CACHED);
	cpu_begin(&src, VMSM_PREP_WRITE);
	fill_random(src.ptr, 4096, 99);
	cpu_end(&src);
	buf_set(&dst, 0);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, src.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst.iova, src.iova, 4096));
	submit_wait(cs);
	cpu_begin(&dst, VMSM_PREP_READ);
	cpu_begin(&src, VMSM_PREP_READ);
	igt_assert(!memcmp(src.ptr, dst.ptr, 4096));
	cpu_end(&src);
	cpu_end(&dst);
	vmsm_cs_free(cs);
	buf_free(&src);
	buf_free(&dst);
}

static void test_fault(void)
{
	struct vmsm_device *d = ctx_open(false);
	struct buf dst;
	struct range used[2];
	struct vmsm_cs *cs = cs_new(d);
	uint64_t cs_iova, va;
	int status;

	buf_new(d, &dst, 8192, VMSM_BO_CACHED);
	buf_set(&dst, 0xa5);
	vmsm_lib_ok(vmsm_cs_iova(cs, &cs_iova));
	used[0] = (struct range){ dst.iova, dst.size };
	used[1] = (struct range){ cs_iova, 4096 * 4 };
	va = unmapped_va(used, 2);
	assert_no_fault(d);

	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst.iova, va, 4096));
	{
		int fence_fd = submit_fd(cs, 0, -1, NULL);

		status = fence_fd_wait(fence_fd);
		close(fence_fd);
	}
	igt_info("COPY from unmapped %#llx: status %d\n", (unsigned long long)va,
		 status);
	igt_assert_lt(status, 0);
	cpu_begin(&dst, VMSM_PREP_READ);
	igt_assert(first_not(dst.ptr, 0xa5, dst.size) < 0);
	cpu_end(&dst);
	assert_faulty(d);
	assert_fault(d, VMSM_FAULT_TRANSLATION, true, va, false);

	/* Other files keep working. */
	assert_working(dev);
	{
		struct vmsm_device *fresh = ctx_open(true);

		assert_working(fresh);
		vmsm_device_close(fresh);
	}
	vmsm_cs_free(cs);
	buf_free(&dst);
	vmsm_device_close(d);
}

/* Addresses outside the user range fault: below VA_START, and the kernel's. */
static void test_fault_outside_va(void)
{
	const uint64_t vas[] = {
		0, 4096, va_start - 4096, va_start + va_size,
		va_start + va_size + (1 << 20),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vas); i++) {
		struct vmsm_device *d = ctx_open(false);
		struct buf dst;
		int status;

		buf_new(d, &dst, 4096, VMSM_BO_CACHED);
		buf_set(&dst, 0xa5);
		status = copy_job(d, &dst, vas[i], 256);
		igt_info("COPY from %#llx: status %d\n",
			 (unsigned long long)vas[i], status);
		igt_assert_lt(status, 0);
		cpu_begin(&dst, VMSM_PREP_READ);
		igt_assert(first_not(dst.ptr, 0xa5, dst.size) < 0);
		cpu_end(&dst);
		assert_faulty(d);
		{
			struct drm_vmsm_fault_info info;

			/* Translation, or permission for kernel-only mappings. */
			vmsm_lib_ok(vmsm_submitqueue_faults(d, 0, &info));
			igt_info("fault type %u address %#llx\n", info.type,
				 (unsigned long long)info.address);
			igt_assert(info.type == VMSM_FAULT_TRANSLATION ||
				   info.type == VMSM_FAULT_PERMISSION);
			igt_assert_eq_u64(info.address, vas[i]);
			igt_assert_eq_u32(info.write, 0);
		}
		buf_free(&dst);
		vmsm_device_close(d);
	}
	assert_working(dev);
}

/* GPU writes to a GPU_READONLY object fault and change nothing. */
static void test_fault_readonly(void)
{
	struct vmsm_device *d = ctx_open(false);
	struct vmsm_cs *cs = cs_new(d);
	struct buf ro;
	int fence_fd, status;

	buf_new(d, &ro, 4096, VMSM_BO_CACHED | VMSM_BO_GPU_READONLY);
	buf_set(&ro, 0x3c);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, ro.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs, ro.iova + 64, 0xbad);
	fence_fd = submit_fd(cs, 0, -1, NULL);
	status = fence_fd_wait(fence_fd);
	igt_info("WRITE to a GPU_READONLY object: status %d\n", status);
	igt_assert_lt(status, 0);
	cpu_begin(&ro, VMSM_PREP_READ);
	igt_assert(first_not(ro.ptr, 0x3c, ro.size) < 0);
	cpu_end(&ro);
	assert_faulty(d);
	assert_fault(d, VMSM_FAULT_PERMISSION, true, ro.iova + 64, true);
	close(fence_fd);
	vmsm_cs_free(cs);
	buf_free(&ro);
	vmsm_device_close(d);
}

static bool contains_u32(const uint32_t *p, uint64_t n, uint32_t tag_mask,
			 uint32_t tag)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if ((p[i] & tag_mask) == tag)
			return true;
	return false;
}

#define TAG_MASK	0xffff0000u
#define TAG_A		0xaaaa0000u
#define TAG_B		0xbbbb0000u

static void tag_fill(struct buf *b, uint32_t tag)
{
	uint32_t *p = b->ptr;
	uint64_t i;

	cpu_begin(b, VMSM_PREP_WRITE);
	for (i = 0; i < b->size / 4; i++)
		p[i] = tag | (i & 0xffff);
	cpu_end(b);
}

/*
 * Files A and B each have an object at an address of their own address
 * space; a job of A reading at B's address sees A's memory or faults,
 * never B's data.
 */
static void isolation(bool a_reads_b)
{
	struct vmsm_device *a = ctx_open(false), *b = ctx_open(true);
	struct vmsm_device *reader = a_reads_b ? a : b;
	struct buf src_a, src_b, dst;
	struct buf *mine, *theirs;
	uint32_t their_tag;
	int status;

	/* The same allocations in the same order: likely the same iovas. */
	buf_new(a, &src_a, 65536, VMSM_BO_CACHED);
	buf_new(b, &src_b, 65536, VMSM_BO_CACHED);
	tag_fill(&src_a, TAG_A);
	tag_fill(&src_b, TAG_B);
	mine = a_reads_b ? &src_a : &src_b;
	theirs = a_reads_b ? &src_b : &src_a;
	their_tag = a_reads_b ? TAG_B : TAG_A;
	igt_info("iova A %#llx, B %#llx\n", (unsigned long long)src_a.iova,
		 (unsigned long long)src_b.iova);

	buf_new(reader, &dst, 65536, VMSM_BO_CACHED);
	buf_set(&dst, 0);
	{
		struct vmsm_cs *cs = cs_new(reader);
		int fence_fd;

		vmsm_lib_ok(vmsm_cs_add_bo(cs, mine->bo, VMSM_SUBMIT_BO_READ));
		vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.bo, VMSM_SUBMIT_BO_WRITE));
		vmsm_lib_ok(vmsm_cs_copy(cs, dst.iova, theirs->iova, 65536));
		fence_fd = submit_fd(cs, 0, -1, NULL);
		status = fence_fd_wait(fence_fd);
		close(fence_fd);
		vmsm_cs_free(cs);
	}
	igt_info("reading the other file's address: status %d\n", status);
	igt_assert_neq(status, 0);

	cpu_begin(&dst, VMSM_PREP_READ);
	igt_assert_f(!contains_u32(dst.ptr, 65536 / 4, TAG_MASK, their_tag),
		     "a job read another file's memory\n");
	if (status == 1 && theirs->iova == mine->iova) {
		cpu_begin(mine, VMSM_PREP_READ);
		igt_assert(!memcmp(dst.ptr, mine->ptr, 65536));
		cpu_end(mine);
	}
	cpu_end(&dst);

	buf_free(&dst);
	buf_free(&src_a);
	buf_free(&src_b);
	vmsm_device_close(a);
	vmsm_device_close(b);
}

static void test_isolation_two_fds(void)
{
	isolation(true);
	isolation(false);
}

/*
 * File B has an object at an address where file A has nothing; a job of A
 * reading there faults, and B's data is not copied.
 */
static void test_cannot_read_other(void)
{
	struct vmsm_device *a = ctx_open(false), *b = ctx_open(true);
	struct vmsm_cs *cs = cs_new(a);
	struct buf dst, theirs[8];
	struct range used[2];
	uint64_t cs_iova;
	unsigned int i, n, pick = ~0u;
	int fence_fd, status;

	buf_new(a, &dst, 65536, VMSM_BO_CACHED);
	buf_set(&dst, 0);
	vmsm_lib_ok(vmsm_cs_iova(cs, &cs_iova));
	used[0] = (struct range){ dst.iova, dst.size };
	used[1] = (struct range){ cs_iova, 4096 * 4 };

	/* B allocates until one of its objects lies where A has nothing. */
	for (n = 0; n < ARRAY_SIZE(theirs) && pick == ~0u; n++) {
		buf_new(b, &theirs[n], 65536, VMSM_BO_CACHED);
		tag_fill(&theirs[n], TAG_B);
		for (i = 0; i < 2; i++)
			if (theirs[n].iova < used[i].start + used[i].size &&
			    used[i].start < theirs[n].iova + theirs[n].size)
				break;
		if (i == 2)
			pick = n;
	}
	igt_assert_f(pick != ~0u, "B's objects all overlap A's\n");
	igt_info("A: dst %#llx cs %#llx; B's object at %#llx\n",
		 (unsigned long long)dst.iova, (unsigned long long)cs_iova,
		 (unsigned long long)theirs[pick].iova);

	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst.iova, theirs[pick].iova, 65536));
	fence_fd = submit_fd(cs, 0, -1, NULL);
	status = fence_fd_wait(fence_fd);
	close(fence_fd);
	igt_info("status %d\n", status);
	igt_assert_lt(status, 0);
	cpu_begin(&dst, VMSM_PREP_READ);
	igt_assert(!contains_u32(dst.ptr, 65536 / 4, TAG_MASK, TAG_B));
	cpu_end(&dst);
	assert_faulty(a);
	assert_fault(a, VMSM_FAULT_TRANSLATION, true, theirs[pick].iova, false);
	/* B is not affected. */
	assert_working(b);

	for (i = 0; i < n; i++)
		buf_free(&theirs[i]);
	vmsm_cs_free(cs);
	buf_free(&dst);
	vmsm_device_close(a);
	vmsm_device_close(b);
}

/*
 * A job that waits for a value nobody writes is killed by the job timeout;
 * its file becomes faulty, other files' jobs complete.
 */
static void test_hang(void)
{
	struct vmsm_device *a = ctx_open(false), *b = ctx_open(true);
	struct vmsm_cs *hang_cs = cs_new(a), *cs_b = cs_new(b);
	struct buf never, out_b;
	int hang_fd, fd_b, status;
	uint32_t hang_fence;
	int64_t t0;

	buf_new(a, &never, 4096, VMSM_BO_UNCACHED);
	buf_new(b, &out_b, 4096, VMSM_BO_CACHED);
	buf_set(&out_b, 0);
	emit_block(hang_cs, &never);
	hang_fd = submit_fd(hang_cs, 0, -1, &hang_fence);

	vmsm_lib_ok(vmsm_cs_add_bo(cs_b, out_b.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs_b, out_b.iova, 0xa11ce);
	fd_b = submit_fd(cs_b, 0, -1, NULL);

	t0 = now_ns();
	status = fence_fd_status(hang_fd, HANG_TIMEOUT_NS / 1000000);
	igt_info("hung job: status %d after %.1fs\n", status,
		 (now_ns() - t0) / 1e9);
	igt_assert_lt(status, 0);
	/* kernel-doc of vmsm_gpu.c: a hung job's fence has -ETIMEDOUT. */
	igt_assert_eq(status, -ETIMEDOUT);
	vmsm_lib_ok(vmsm_wait_fence(a, 0, hang_fence, 0));
	assert_faulty(a);
	assert_fault(a, VMSM_FAULT_HANG, false, 0, false);
	assert_no_fault(b);

	status = fence_fd_status(fd_b, HANG_TIMEOUT_NS / 1000000);
	cpu_begin(&out_b, VMSM_PREP_READ);
	igt_info("other file's job: status %d, value %#x\n", status,
		 *(uint32_t *)out_b.ptr);
	igt_assert_eq(status, 1);
	igt_assert_eq_u32(*(uint32_t *)out_b.ptr, 0xa11ce);
	cpu_end(&out_b);
	assert_working(b);
	assert_working(dev);

	close(hang_fd);
	close(fd_b);
	vmsm_cs_free(hang_cs);
	vmsm_cs_free(cs_b);
	buf_free(&never);
	buf_free(&out_b);
	vmsm_device_close(a);
	vmsm_device_close(b);
}

/* The number of faults of the file's context. */
static uint32_t fault_count(struct vmsm_device *d)
{
	struct drm_vmsm_fault_info info;

	vmsm_lib_ok(vmsm_submitqueue_faults(d, 0, &info));
	return info.faults;
}

/* Submits a job writing value at b's offset on queue_id; its sync_file. */
static int submit_write(struct vmsm_device *d, uint32_t queue_id, struct buf *b,
			uint32_t offset, uint32_t value, struct vmsm_cs **cs)
{
	*cs = cs_new(d);
	vmsm_lib_ok(vmsm_cs_add_bo(*cs, b->bo, VMSM_SUBMIT_BO_WRITE));
	write1(*cs, b->iova + offset, value);
	return submit_fd_queue(*cs, queue_id, 0, -1, NULL);
}

/* A job that blocks on never, which nobody releases; its sync_file. */
static int submit_hang(struct vmsm_device *d, struct buf *never, struct vmsm_cs **cs)
{
	*cs = cs_new(d);
	emit_block(*cs, never);
	return submit_fd(*cs, 0, -1, NULL);
}

static uint32_t read_u32(struct buf *b, uint32_t offset)
{
	uint32_t v;

	cpu_begin(b, VMSM_PREP_READ);
	v = *(uint32_t *)((uint8_t *)b->ptr + offset);
	cpu_end(b);
	return v;
}

/* debugfs vmsm_rings: every ring completed every fence it emitted. */
static void assert_rings_idle(void)
{
	unsigned long long emitted, completed;
	char text[4096], *line;
	unsigned int ring;

	igt_assert_lt(0, igt_vmsm_debugfs_read(fd, "vmsm_rings", text, sizeof(text)));
	for (line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		igt_assert_eq(sscanf(line, "ring %u %*s emitted %llu completed %llu",
				     &ring, &emitted, &completed), 3);
		igt_assert_f(emitted == completed, "ring %u: emitted %llu completed %llu\n",
			     ring, emitted, completed);
	}
}

/*
 * Recovering from a hang stops only the hung job: the scheduler keeps
 * running and the jobs queued behind it on its ring run with their
 * results, whether they come from the same queue, another queue of the
 * same file or other files. A second hung job behind them is caught by the
 * timeout in turn, and a job behind that one runs too. Each hung job's
 * context has exactly one hang, the others none, every ring ends idle and
 * every job is freed: the timeout handler hands each hung job back to the
 * scheduler.
 */
static void test_hang_jobs_behind(void)
{
	struct vmsm_device *a, *b, *c;
	struct vmsm_cs *cs[6];
	struct buf never_a, never_b, out_a, out_b, out_c;
	int hang1, a2, a3, b1, hang2, c1;
	struct counts base;
	uint32_t qa;
	unsigned int i;

	counts_baseline(&base);
	a = ctx_open(false);
	b = ctx_open(true);
	c = ctx_open(true);
	/* A second queue of a at the default queue's priority: the same ring. */
	vmsm_lib_ok(vmsm_submitqueue_new(a, 1, &qa));
	buf_new(a, &never_a, 4096, VMSM_BO_UNCACHED);
	buf_new(b, &never_b, 4096, VMSM_BO_UNCACHED);
	buf_new(a, &out_a, 4096, VMSM_BO_CACHED);
	buf_new(b, &out_b, 4096, VMSM_BO_CACHED);
	buf_new(c, &out_c, 4096, VMSM_BO_CACHED);
	buf_set(&out_a, 0);
	buf_set(&out_b, 0);
	buf_set(&out_c, 0);

	hang1 = submit_hang(a, &never_a, &cs[0]);
	a2 = submit_write(a, 0, &out_a, 0, 0xa2, &cs[1]);
	a3 = submit_write(a, qa, &out_a, 4, 0xa3, &cs[2]);
	b1 = submit_write(b, 0, &out_b, 0, 0xb1, &cs[3]);
	hang2 = submit_hang(b, &never_b, &cs[4]);
	c1 = submit_write(c, 0, &out_c, 0, 0xc1, &cs[5]);

	/* kernel-doc of vmsm_gpu.c: a hung job's fence has -ETIMEDOUT. */
	igt_assert_eq(fence_fd_status(hang1, HANG_TIMEOUT_NS / 1000000), -ETIMEDOUT);
	igt_assert_eq(fence_fd_wait(a2), 1);
	igt_assert_eq(fence_fd_wait(a3), 1);
	igt_assert_eq(fence_fd_wait(b1), 1);
	igt_assert_eq(fence_fd_status(hang2, HANG_TIMEOUT_NS / 1000000), -ETIMEDOUT);
	igt_assert_eq(fence_fd_wait(c1), 1);

	igt_assert_eq_u32(read_u32(&out_a, 0), 0xa2);
	igt_assert_eq_u32(read_u32(&out_a, 4), 0xa3);
	igt_assert_eq_u32(read_u32(&out_b, 0), 0xb1);
	igt_assert_eq_u32(read_u32(&out_c, 0), 0xc1);

	igt_info("faults: a %u, b %u, c %u\n", fault_count(a), fault_count(b),
		 fault_count(c));
	igt_assert_eq_u32(fault_count(a), 1);
	assert_fault(a, VMSM_FAULT_HANG, false, 0, false);
	igt_assert_eq_u32(fault_count(b), 1);
	assert_fault(b, VMSM_FAULT_HANG, false, 0, false);
	assert_no_fault(c);
	assert_faulty(a);
	assert_faulty(b);
	assert_working(c);
	assert_working(dev);
	assert_rings_idle();

	close(hang1);
	close(a2);
	close(a3);
	close(b1);
	close(hang2);
	close(c1);
	for (i = 0; i < ARRAY_SIZE(cs); i++)
		vmsm_cs_free(cs[i]);
	buf_free(&never_a);
	buf_free(&never_b);
	buf_free(&out_a);
	buf_free(&out_b);
	buf_free(&out_c);
	vmsm_device_close(a);
	vmsm_device_close(b);
	vmsm_device_close(c);
	assert_counts_back(&base);
}

/* Invalid packets stop the job with an error. */
static void invalid_stream(const char *what, const uint32_t *dw, uint32_t n)
{
	struct vmsm_device *d = ctx_open(false);
	struct vmsm_cs *cs = cs_new(d);
	struct buf b;
	int fence_fd, status;

	buf_new(d, &b, 4096, VMSM_BO_CACHED);
	buf_set(&b, 0);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_emit(cs, dw, n));
	/* Never reached. */
	write1(cs, b.iova, 0x1);
	fence_fd = submit_fd(cs, 0, -1, NULL);
	status = fence_fd_wait(fence_fd);
	igt_info("%s: status %d\n", what, status);
	igt_assert_lt(status, 0);
	assert_fault(d, VMSM_FAULT_INVALID_PACKET, false, 0, false);
	cpu_begin(&b, VMSM_PREP_READ);
	igt_assert_eq_u32(*(uint32_t *)b.ptr, 0);
	cpu_end(&b);
	close(fence_fd);
	vmsm_cs_free(cs);
	buf_free(&b);
	vmsm_device_close(d);
}

/* As invalid_stream(), the packet built by emit() around a valid object. */
static void invalid_packet(const char *what,
			   void (*emit)(struct vmsm_cs *cs, uint64_t iova))
{
	struct vmsm_device *d = ctx_open(false);
	struct vmsm_cs *cs = cs_new(d);
	struct buf b;
	int fence_fd, status;

	buf_new(d, &b, 65536, VMSM_BO_CACHED);
	buf_set(&b, 0);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	emit(cs, b.iova);
	vmsm_lib_ok(vmsm_cs_error(cs));
	write1(cs, b.iova + 65532, 0x1);
	fence_fd = submit_fd(cs, 0, -1, NULL);
	status = fence_fd_wait(fence_fd);
	igt_info("%s: status %d\n", what, status);
	igt_assert_lt(status, 0);
	assert_fault(d, VMSM_FAULT_INVALID_PACKET, false, 0, false);
	cpu_begin(&b, VMSM_PREP_READ);
	igt_assert_f(first_not(b.ptr, 0, b.size) < 0,
		     "%s: the object changed\n", what);
	cpu_end(&b);
	close(fence_fd);
	vmsm_cs_free(cs);
	buf_free(&b);
	vmsm_device_close(d);
}

static void emit_copy_overlap(struct vmsm_cs *cs, uint64_t iova)
{
	vmsm_cs_copy(cs, iova + 64, iova, 128);
}

static void emit_fill_unaligned_size(struct vmsm_cs *cs, uint64_t iova)
{
	vmsm_cs_fill(cs, iova, 6, 0xffffffff);
}

static void emit_fill_unaligned_dst(struct vmsm_cs *cs, uint64_t iova)
{
	vmsm_cs_fill(cs, iova + 2, 8, 0xffffffff);
}

static void emit_write_unaligned(struct vmsm_cs *cs, uint64_t iova)
{
	write1(cs, iova + 1, 0xffffffff);
}

static void emit_timestamp_unaligned(struct vmsm_cs *cs, uint64_t iova)
{
	vmsm_cs_timestamp(cs, iova + 4);
}

static void emit_rect_past_pitch(struct vmsm_cs *cs, uint64_t iova)
{
	struct vmsm_surface s = { iova, 256, DRM_FORMAT_XRGB8888 };

	vmsm_cs_fill_rect(cs, &s, 60, 0, 5, 1, 0xffffffff);
}

static void emit_rect_bad_format(struct vmsm_cs *cs, uint64_t iova)
{
	struct vmsm_surface s = { iova, 256, DRM_FORMAT_RGB565 };

	vmsm_cs_fill_rect(cs, &s, 0, 0, 4, 4, 0xffffffff);
}

static void emit_rect_zero_pitch(struct vmsm_cs *cs, uint64_t iova)
{
	struct vmsm_surface s = { iova, 0, DRM_FORMAT_XRGB8888 };

	vmsm_cs_fill_rect(cs, &s, 0, 0, 1, 1, 0xffffffff);
}

static void emit_blit_past_pitch(struct vmsm_cs *cs, uint64_t iova)
{
	struct vmsm_surface dst = { iova, 256, DRM_FORMAT_XRGB8888 };
	struct vmsm_surface src = { iova + 32768, 256, DRM_FORMAT_XRGB8888 };

	vmsm_cs_blit(cs, &dst, 0, 0, &src, 10, 0, 60, 2);
}

static void emit_wait_bad_func(struct vmsm_cs *cs, uint64_t iova)
{
	vmsm_cs_wait_mem(cs, iova, 0, 0, VMSM_CP_WAIT_LT + 1);
}

static void emit_indirect_empty(struct vmsm_cs *cs, uint64_t iova)
{
	vmsm_cs_indirect(cs, iova, 0);
}

static void emit_indirect_unaligned(struct vmsm_cs *cs, uint64_t iova)
{
	vmsm_cs_indirect(cs, iova + 2, 1);
}

static void test_invalid_packets(void)
{
	const uint32_t unknown[] = { VMSM_CP_PKT(0x7f, 0) };
	const uint32_t unknown2[] = { VMSM_CP_PKT(VMSM_CP_CONVERT + 1, 1), 0 };
	const uint32_t reserved[] = { VMSM_CP_PKT(VMSM_CP_NOP, 0) | (1u << 16) };
	const uint32_t copy5[] = { VMSM_CP_PKT(VMSM_CP_COPY, 5), 0, 0, 0, 0, 0 };
	const uint32_t write2[] = { VMSM_CP_PKT(VMSM_CP_WRITE, 2), 0, 0 };
	const uint32_t ts3[] = { VMSM_CP_PKT(VMSM_CP_TIMESTAMP, 3), 0, 0, 0 };

	invalid_stream("unknown opcode 0x7f", unknown, ARRAY_SIZE(unknown));
	invalid_stream("unknown opcode CONVERT + 1", unknown2, ARRAY_SIZE(unknown2));
	invalid_stream("reserved bit", reserved, ARRAY_SIZE(reserved));
	invalid_stream("COPY with 5 dwords", copy5, ARRAY_SIZE(copy5));
	invalid_stream("WRITE without data", write2, ARRAY_SIZE(write2));
	invalid_stream("TIMESTAMP with 3 dwords", ts3, ARRAY_SIZE(ts3));

	invalid_packet("COPY onto itself", emit_copy_overlap);
	invalid_packet("FILL of 6 bytes", emit_fill_unaligned_size);
	invalid_packet("FILL at an unaligned address", emit_fill_unaligned_dst);
	invalid_packet("WRITE at an unaligned address", emit_write_unaligned);
	invalid_packet("TIMESTAMP not 8-byte aligned", emit_timestamp_unaligned);
	invalid_packet("FILL_RECT past the pitch", emit_rect_past_pitch);
	invalid_packet("FILL_RECT in RGB565", emit_rect_bad_format);
	invalid_packet("FILL_RECT with pitch 0", emit_rect_zero_pitch);
	invalid_packet("BLIT past the source pitch", emit_blit_past_pitch);
	invalid_packet("WAIT_MEM with function 4", emit_wait_bad_func);
	invalid_packet("INDIRECT of 0 dwords", emit_indirect_empty);
	invalid_packet("INDIRECT at an unaligned address", emit_indirect_unaligned);
}

/* The last packet runs past the end of the command buffer. */
static void test_invalid_truncated(void)
{
	struct vmsm_device *d = ctx_open(false);
	struct vmsm_cs *cs = cs_new(d);
	const uint32_t copy_head[] = { VMSM_CP_PKT(VMSM_CP_COPY, 6), 0, 0 };
	int fence_fd, status;

	vmsm_lib_ok(vmsm_cs_nop(cs, 0));
	vmsm_lib_ok(vmsm_cs_emit(cs, copy_head, ARRAY_SIZE(copy_head)));
	fence_fd = submit_fd(cs, 0, -1, NULL);
	status = fence_fd_wait(fence_fd);
	igt_info("truncated COPY: status %d\n", status);
	igt_assert_lt(status, 0);
	assert_fault(d, VMSM_FAULT_INVALID_PACKET, false, 0, false);
	close(fence_fd);
	vmsm_cs_free(cs);
	vmsm_device_close(d);
}

/*
 * Raw GEM_SUBMIT argument checks
 * ==============================
 */

/* A command buffer of NOPs on the main file: CMD_DWORDS of NOP headers. */
#define CMD_DWORDS	65536u
static uint32_t cmd_handle, other_handle;

struct raw {
	struct drm_vmsm_gem_submit args;
	struct drm_vmsm_submit_bo bos[4];
	struct drm_vmsm_submit_cmd cmds[VMSM_SUBMIT_MAX_CMDS + 1];
	struct drm_vmsm_syncobj syncs[VMSM_SUBMIT_MAX_SYNCOBJS + 1];
};

static struct raw raw;

/* A valid submit of 16 NOPs, one object. */
static struct drm_vmsm_gem_submit *raw_init(void)
{
	unsigned int i;

	memset(&raw, 0, sizeof(raw));
	raw.bos[0] = (struct drm_vmsm_submit_bo){
		.handle = cmd_handle,
		.flags = VMSM_SUBMIT_BO_READ,
	};
	for (i = 0; i < ARRAY_SIZE(raw.cmds); i++)
		raw.cmds[i] = (struct drm_vmsm_submit_cmd){
			.handle = cmd_handle,
			.offset = 0,
			.size = 16,
		};
	raw.args.bos = (uintptr_t)raw.bos;
	raw.args.nr_bos = 1;
	raw.args.cmds = (uintptr_t)raw.cmds;
	raw.args.nr_cmds = 1;
	raw.args.fence_fd = -1;
	return &raw.args;
}

static int raw_submit(struct drm_vmsm_gem_submit *args)
{
	return igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, args) ? -errno : 0;
}

#define assert_submit(args, err) \
	do { \
		int __ret = raw_submit(args); \
		igt_assert_f(__ret == (err), "GEM_SUBMIT: expected %d (%s), got %d (%s)\n", \
			     (err), strerror(-(err)), __ret, strerror(-__ret)); \
	} while (0)

static void raw_setup(void)
{
	uint64_t offset;
	uint32_t *p, i;

	cmd_handle = vmsm_gem_new(fd, CMD_DWORDS * 4, VMSM_BO_WC);
	other_handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	offset = vmsm_gem_info(fd, cmd_handle, VMSM_INFO_GET_MMAP_OFFSET);
	p = mmap(NULL, CMD_DWORDS * 4, PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert(p != MAP_FAILED);
	for (i = 0; i < CMD_DWORDS; i++)
		p[i] = VMSM_CP_PKT(VMSM_CP_NOP, 0);
	munmap(p, CMD_DWORDS * 4);
}

/* The valid submit works, and waiting for it too. */
static void raw_sanity(void)
{
	struct drm_vmsm_gem_submit *args = raw_init();

	assert_submit(args, 0);
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));
}

static void test_bad_bo_handle(void)
{
	static const uint32_t bad[] = { 0, 0xdeadbeef, 0xffffffffu };
	unsigned int i;

	raw_sanity();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_vmsm_gem_submit *args = raw_init();

		raw.bos[1] = (struct drm_vmsm_submit_bo){
			.handle = bad[i], .flags = VMSM_SUBMIT_BO_READ,
		};
		args->nr_bos = 2;
		assert_submit(args, -ENOENT);
	}
}

static void test_duplicate_bo(void)
{
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	args = raw_init();
	raw.bos[1] = raw.bos[0];
	args->nr_bos = 2;
	assert_submit(args, -EINVAL);

	args = raw_init();
	raw.bos[1] = (struct drm_vmsm_submit_bo){
		.handle = other_handle, .flags = VMSM_SUBMIT_BO_READ,
	};
	raw.bos[2] = (struct drm_vmsm_submit_bo){
		.handle = other_handle, .flags = VMSM_SUBMIT_BO_WRITE,
	};
	args->nr_bos = 3;
	assert_submit(args, -EINVAL);
}

static void test_bad_bo_flags(void)
{
	static const uint32_t bad[] = { 0, 0x4, 0x8, 0x80000000u,
					VMSM_SUBMIT_BO_READ | 0x100 };
	unsigned int i;

	raw_sanity();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_vmsm_gem_submit *args = raw_init();

		raw.bos[1] = (struct drm_vmsm_submit_bo){
			.handle = other_handle, .flags = bad[i],
		};
		args->nr_bos = 2;
		igt_debug("bo flags %#x\n", bad[i]);
		assert_submit(args, -EINVAL);
	}
	/* Each valid combination. */
	for (i = 1; i <= VMSM_SUBMIT_BO_FLAGS; i++) {
		struct drm_vmsm_gem_submit *args = raw_init();

		raw.bos[1] = (struct drm_vmsm_submit_bo){
			.handle = other_handle, .flags = i,
		};
		args->nr_bos = 2;
		assert_submit(args, 0);
		vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));
	}
}

static void test_nr_cmds(void)
{
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	args = raw_init();
	args->nr_cmds = 0;
	assert_submit(args, -EINVAL);
	args = raw_init();
	args->nr_cmds = VMSM_SUBMIT_MAX_CMDS + 1;
	assert_submit(args, -EINVAL);
	args = raw_init();
	args->nr_cmds = 0xffffffffu;
	assert_submit(args, -EINVAL);
	/* The maximum works. */
	args = raw_init();
	args->nr_cmds = VMSM_SUBMIT_MAX_CMDS;
	assert_submit(args, 0);
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));
}

static void test_cmd_size(void)
{
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	args = raw_init();
	raw.cmds[0].size = 0;
	assert_submit(args, -EINVAL);
	args = raw_init();
	raw.cmds[0].size = 65537;
	assert_submit(args, -EINVAL);
	args = raw_init();
	raw.cmds[0].size = 0xffffffffu;
	assert_submit(args, -EINVAL);
	/* 65536 dwords, the whole object, works. */
	args = raw_init();
	raw.cmds[0].size = 65536;
	assert_submit(args, 0);
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));
}

static void test_cmd_not_in_list(void)
{
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	args = raw_init();
	raw.cmds[0].handle = other_handle;
	assert_submit(args, -EINVAL);
	/* A handle the file does not have: a bad object handle. */
	args = raw_init();
	raw.cmds[0].handle = 0xdeadbeef;
	assert_submit(args, -ENOENT);
	/* The second command buffer's. */
	args = raw_init();
	args->nr_cmds = 2;
	raw.cmds[1].handle = other_handle;
	assert_submit(args, -EINVAL);
}

static void test_cmd_offset(void)
{
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	/* Past the end. */
	args = raw_init();
	raw.cmds[0].offset = CMD_DWORDS * 4;
	raw.cmds[0].size = 1;
	assert_submit(args, -EINVAL);
	/* Starting inside, ending past the end. */
	args = raw_init();
	raw.cmds[0].offset = CMD_DWORDS * 4 - 8;
	raw.cmds[0].size = 3;
	assert_submit(args, -EINVAL);
	/* offset + size wraps around 32 bits. */
	args = raw_init();
	raw.cmds[0].offset = 0xfffffffcu;
	raw.cmds[0].size = 2;
	assert_submit(args, -EINVAL);
	/* Unaligned. */
	args = raw_init();
	raw.cmds[0].offset = 2;
	assert_submit(args, -EINVAL);
	args = raw_init();
	raw.cmds[0].offset = 4097;
	assert_submit(args, -EINVAL);
	/* The last dwords exactly: fine. */
	args = raw_init();
	raw.cmds[0].offset = CMD_DWORDS * 4 - 16;
	raw.cmds[0].size = 4;
	assert_submit(args, 0);
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));
}

/* Command buffers given by GPU address (handle 0). */
static void test_cmd_iova(void)
{
	struct drm_vmsm_gem_submit *args;
	uint64_t iova = vmsm_gem_info(fd, cmd_handle, VMSM_INFO_GET_IOVA);
	struct vmsm_device *d;
	struct vmsm_cs *cs;
	uint64_t cs_iova;
	int fence_fd;

	raw_sanity();
	args = raw_init();
	raw.cmds[0] = (struct drm_vmsm_submit_cmd){ .iova = iova, .size = 16 };
	raw.cmds[1] = (struct drm_vmsm_submit_cmd){
		.iova = iova + 4096, .size = 1024,
	};
	args->nr_cmds = 2;
	assert_submit(args, 0);
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));

	/* An address nothing is mapped at: the job faults, the submit works. */
	d = ctx_open(false);
	cs = cs_new(d);
	vmsm_lib_ok(vmsm_cs_nop(cs, 0));
	vmsm_lib_ok(vmsm_cs_iova(cs, &cs_iova));
	{
		struct range used = { cs_iova, 4096 * 4 };
		struct drm_vmsm_submit_bo bo = {
			.handle = vmsm_bo_handle(vmsm_cs_bo(cs)),
			.flags = VMSM_SUBMIT_BO_READ,
		};
		struct drm_vmsm_submit_cmd cmd = {
			.iova = unmapped_va(&used, 1), .size = 4,
		};
		struct drm_vmsm_gem_submit sub = {
			.flags = VMSM_SUBMIT_FENCE_FD_OUT,
			.bos = (uintptr_t)&bo,
			.nr_bos = 1,
			.cmds = (uintptr_t)&cmd,
			.nr_cmds = 1,
		};

		igt_assert_eq(igt_ioctl(vmsm_device_fd(d), DRM_IOCTL_VMSM_GEM_SUBMIT,
					&sub), 0);
		fence_fd = sub.fence_fd;
	}
	igt_assert_lt(fence_fd_wait(fence_fd), 0);
	close(fence_fd);
	assert_faulty(d);
	vmsm_cs_free(cs);
	vmsm_device_close(d);
}

static void test_bad_queue(void)
{
	static const uint32_t bad[] = { 1, 2, 64, 0xffffffffu };
	unsigned int i;

	raw_sanity();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_vmsm_gem_submit *args = raw_init();

		args->queue_id = bad[i];
		assert_submit(args, -ENOENT);
	}
}

static void test_unknown_flags(void)
{
	unsigned int bit;

	raw_sanity();
	for (bit = 0; bit < 32; bit++) {
		struct drm_vmsm_gem_submit *args;

		if ((1u << bit) & VMSM_SUBMIT_FLAGS)
			continue;
		args = raw_init();
		args->flags = 1u << bit;
		igt_debug("flags %#x\n", args->flags);
		assert_submit(args, -EINVAL);
	}
}

static void test_cmd_nonzero_pad(void)
{
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	args = raw_init();
	raw.cmds[0].pad = 1;
	assert_submit(args, -EINVAL);
	args = raw_init();
	args->nr_cmds = 2;
	raw.cmds[1].pad = 0x80000000u;
	assert_submit(args, -EINVAL);
}

static void test_bad_in_fence_fd(void)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	const struct {
		const char *what;
		int fence_fd;
	} bad[] = {
		{ "-1", -1 },
		{ "a closed descriptor", 1000000 },
		{ "/dev/null", devnull },
		{ "the DRM file", fd },
	};
	unsigned int i;

	igt_assert(devnull >= 0);
	raw_sanity();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_vmsm_gem_submit *args = raw_init();
		int ret;

		args->flags = VMSM_SUBMIT_FENCE_FD_IN;
		args->fence_fd = bad[i].fence_fd;
		ret = raw_submit(args);
		igt_info("in-fence %s: %d (%s)\n", bad[i].what, ret, strerror(-ret));
		igt_assert_f(ret == -EINVAL || ret == -EBADF,
			     "in-fence %s: %d\n", bad[i].what, ret);
	}
	/* Without FENCE_FD_IN the field is not looked at. */
	{
		struct drm_vmsm_gem_submit *args = raw_init();

		args->fence_fd = devnull;
		assert_submit(args, 0);
		vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));
	}
	close(devnull);
}

static void test_bad_syncobj(void)
{
	uint32_t s = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	/* A signalled binary syncobj is a valid in-syncobj, and a valid out. */
	args = raw_init();
	raw.syncs[0] = (struct drm_vmsm_syncobj){ .handle = s };
	args->in_syncobjs = (uintptr_t)raw.syncs;
	args->nr_in_syncobjs = 1;
	assert_submit(args, 0);
	args = raw_init();
	raw.syncs[0] = (struct drm_vmsm_syncobj){ .handle = s };
	args->out_syncobjs = (uintptr_t)raw.syncs;
	args->nr_out_syncobjs = 1;
	assert_submit(args, 0);
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, args->fence, JOB_TIMEOUT_NS));

	args = raw_init();
	raw.syncs[0] = (struct drm_vmsm_syncobj){ .handle = 0xdeadbeef };
	args->in_syncobjs = (uintptr_t)raw.syncs;
	args->nr_in_syncobjs = 1;
	assert_submit(args, -ENOENT);
	args = raw_init();
	raw.syncs[0] = (struct drm_vmsm_syncobj){ .handle = 0xdeadbeef };
	args->out_syncobjs = (uintptr_t)raw.syncs;
	args->nr_out_syncobjs = 1;
	assert_submit(args, -ENOENT);
	/* The second of two. */
	args = raw_init();
	raw.syncs[0] = (struct drm_vmsm_syncobj){ .handle = s };
	raw.syncs[1] = (struct drm_vmsm_syncobj){ .handle = s + 1000 };
	args->out_syncobjs = (uintptr_t)raw.syncs;
	args->nr_out_syncobjs = 2;
	assert_submit(args, -ENOENT);
	syncobj_destroy(fd, s);
}

static void test_syncobj_flags(void)
{
	uint32_t s = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	static const uint32_t bad[] = { 1, 2, 0x80000000u };
	unsigned int i;

	raw_sanity();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_vmsm_gem_submit *args = raw_init();

		raw.syncs[0] = (struct drm_vmsm_syncobj){ .handle = s, .flags = bad[i] };
		args->in_syncobjs = (uintptr_t)raw.syncs;
		args->nr_in_syncobjs = 1;
		assert_submit(args, -EINVAL);
		args = raw_init();
		raw.syncs[0] = (struct drm_vmsm_syncobj){ .handle = s, .flags = bad[i] };
		args->out_syncobjs = (uintptr_t)raw.syncs;
		args->nr_out_syncobjs = 1;
		assert_submit(args, -EINVAL);
	}
	syncobj_destroy(fd, s);
}

static void test_too_many_syncobjs(void)
{
	uint32_t s = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	struct drm_vmsm_gem_submit *args;
	unsigned int i;

	raw_sanity();
	args = raw_init();
	for (i = 0; i < ARRAY_SIZE(raw.syncs); i++)
		raw.syncs[i] = (struct drm_vmsm_syncobj){ .handle = s };
	args->in_syncobjs = (uintptr_t)raw.syncs;
	args->nr_in_syncobjs = VMSM_SUBMIT_MAX_SYNCOBJS + 1;
	assert_submit(args, -EINVAL);
	args->nr_in_syncobjs = 0;
	args->out_syncobjs = (uintptr_t)raw.syncs;
	args->nr_out_syncobjs = VMSM_SUBMIT_MAX_SYNCOBJS + 1;
	assert_submit(args, -EINVAL);
	args->nr_out_syncobjs = 0xffffffffu;
	assert_submit(args, -EINVAL);
	syncobj_destroy(fd, s);
}

static void test_nr_bos_huge(void)
{
	struct drm_vmsm_gem_submit *args;

	raw_sanity();
	args = raw_init();
	args->nr_bos = VMSM_SUBMIT_MAX_BOS + 1;
	assert_submit(args, -EINVAL);
	args->nr_bos = 0x10000000u;
	assert_submit(args, -EINVAL);
	args->nr_bos = 0xffffffffu;
	assert_submit(args, -EINVAL);
}

static void test_bad_pointers(void)
{
	void *hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_vmsm_gem_submit *args;

	igt_assert(hole != MAP_FAILED);
	raw_sanity();
	args = raw_init();
	args->bos = 16;
	assert_submit(args, -EFAULT);
	args = raw_init();
	args->bos = (uintptr_t)hole;
	assert_submit(args, -EFAULT);
	args = raw_init();
	args->cmds = (uintptr_t)hole;
	assert_submit(args, -EFAULT);
	args = raw_init();
	args->in_syncobjs = (uintptr_t)hole;
	args->nr_in_syncobjs = 1;
	assert_submit(args, -EFAULT);
	args = raw_init();
	args->out_syncobjs = (uintptr_t)hole;
	args->nr_out_syncobjs = 1;
	assert_submit(args, -EFAULT);
	/* A kernel address. */
	args = raw_init();
	args->bos = 0xffff800000000000ull;
	assert_submit(args, -EFAULT);
	munmap(hole, 4096);
}

static int wait_fence_raw(int f, uint32_t fence, uint32_t queue_id,
			  int64_t deadline, uint32_t flags, uint32_t pad)
{
	struct drm_vmsm_wait_fence args = {
		.fence = fence,
		.queue_id = queue_id,
		.timeout_ns = deadline,
		.flags = flags,
		.pad = pad,
	};

	return igt_ioctl(f, DRM_IOCTL_VMSM_WAIT_FENCE, &args) ? -errno : 0;
}

static void test_wait_fence_never_issued(void)
{
	struct drm_vmsm_gem_submit *args = raw_init();
	int64_t deadline = now_ns() + JOB_TIMEOUT_NS;
	int other = drm_reopen_driver(fd);

	assert_submit(args, 0);
	igt_assert_eq(wait_fence_raw(fd, args->fence, 0, deadline, 0, 0), 0);
	igt_assert_eq(wait_fence_raw(fd, args->fence + 1000, 0, deadline, 0, 0),
		      -EINVAL);
	igt_assert_eq(wait_fence_raw(fd, args->fence + 0x40000000u, 0, deadline,
				     0, 0), -EINVAL);
	/* A file that never submitted anything: every id is unknown to it. */
	igt_assert_eq(wait_fence_raw(other, args->fence, 0, deadline, 0, 0), -EINVAL);
	igt_assert_eq(wait_fence_raw(other, 1, 0, deadline, 0, 0), -EINVAL);
	close(other);
}

static void test_wait_fence_bad_args(void)
{
	struct drm_vmsm_gem_submit *args = raw_init();
	int64_t deadline = now_ns() + JOB_TIMEOUT_NS;

	assert_submit(args, 0);
	igt_assert_eq(wait_fence_raw(fd, args->fence, 0, deadline, 1, 0), -EINVAL);
	igt_assert_eq(wait_fence_raw(fd, args->fence, 0, deadline, 0x80000000u, 0),
		      -EINVAL);
	igt_assert_eq(wait_fence_raw(fd, args->fence, 0, deadline, 0, 1), -EINVAL);
	igt_assert_eq(wait_fence_raw(fd, args->fence, 1, deadline, 0, 0), -ENOENT);
	igt_assert_eq(wait_fence_raw(fd, args->fence, 0xffffffffu, deadline, 0, 0),
		      -ENOENT);
	igt_assert_eq(wait_fence_raw(fd, args->fence, 0, deadline, 0, 0), 0);
}

/* WAIT_FENCE on a held job: ETIMEDOUT at the deadline, 0 once released. */
static void test_wait_fence_timeout(void)
{
	struct vmsm_cs *cs = cs_new(dev);
	struct buf sem;
	uint32_t fence;

	sem_new(dev, &sem);
	emit_block(cs, &sem);
	fence = submit(cs, NULL, NULL);
	igt_assert_eq(wait_fence_raw(fd, fence, 0, now_ns() + 50000000, 0, 0),
		      -ETIMEDOUT);
	igt_assert_eq(wait_fence_raw(fd, fence, 0, 0, 0, 0), -ETIMEDOUT);
	igt_assert_eq(wait_fence_raw(fd, fence, 0, now_ns() - NS_PER_SEC, 0, 0),
		      -ETIMEDOUT);
	vmsm_lib_err(vmsm_wait_fence(dev, 0, fence, 1000000), ETIMEDOUT);
	sem_release(&sem);
	igt_assert_eq(wait_fence_raw(fd, fence, 0, now_ns() + JOB_TIMEOUT_NS, 0, 0), 0);
	igt_assert_eq(wait_fence_raw(fd, fence, 0, 0, 0, 0), 0);
	vmsm_cs_free(cs);
	sem_free(&sem);
}

static int cpu_prep_raw(uint32_t handle, uint32_t op, int64_t deadline)
{
	struct drm_vmsm_gem_cpu_prep args = {
		.handle = handle,
		.op = op,
		.timeout_ns = deadline,
	};

	return igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &args) ? -errno : 0;
}

/* Releases sem from a child process after delay_ms. */
static pid_t release_later(struct buf *sem, unsigned int delay_ms)
{
	pid_t pid = fork();

	igt_assert_lte(0, pid);
	if (!pid) {
		usleep(delay_ms * 1000);
		*(volatile uint32_t *)sem->ptr = 1;
		__sync_synchronize();
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status) && !WEXITSTATUS(status));
}

/*
 * The deadlines of WAIT_FENCE and GEM_CPU_PREP are absolute
 * CLOCK_MONOTONIC times: 0, negative ones down to INT64_MIN and any other
 * one in the past poll (-ETIMEDOUT at once on a busy job); INT64_MAX and
 * other far ones wait until the job is done, without overflowing into
 * the past.
 */
static void test_wait_deadline_edges(void)
{
	const int64_t past[] = { INT64_MIN, INT64_MIN + 1, -NS_PER_SEC, -1, 0, 1 };
	struct vmsm_cs *cs = cs_new(dev), *cs2;
	struct buf sem, sem2, wr;
	uint32_t fence, h;
	int64_t t0;
	unsigned int i;
	pid_t pid;

	sem_new(dev, &sem);
	buf_new(dev, &wr, 4096, VMSM_BO_CACHED);
	h = vmsm_bo_handle(wr.bo);
	emit_block(cs, &sem);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, wr.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs, wr.iova, 0x600d);
	fence = submit(cs, NULL, NULL);

	for (i = 0; i < ARRAY_SIZE(past) + 1; i++) {
		int64_t deadline = i < ARRAY_SIZE(past) ? past[i] : now_ns() - 1;

		t0 = now_ns();
		igt_assert_eq(wait_fence_raw(fd, fence, 0, deadline, 0, 0), -ETIMEDOUT);
		igt_assert_eq(cpu_prep_raw(h, VMSM_PREP_READ, deadline), -ETIMEDOUT);
		/* A poll: nothing close to a wait for the job. */
		igt_assert_f(now_ns() - t0 < NS_PER_SEC,
			     "deadline %lld: waited %lld ns\n", (long long)deadline,
			     (long long)(now_ns() - t0));
	}

	/* Far deadlines: the waits return 0 once the job is released. */
	t0 = now_ns();
	pid = release_later(&sem, 300);
	igt_assert_eq(wait_fence_raw(fd, fence, 0, INT64_MAX, 0, 0), 0);
	igt_assert_lte(300000000, now_ns() - t0);
	reap(pid);
	sem_release(&sem);

	/* The same for GEM_CPU_PREP, on a second job holding the object. */
	cs2 = cs_new(dev);
	sem_new(dev, &sem2);
	emit_block(cs2, &sem2);
	vmsm_lib_ok(vmsm_cs_add_bo(cs2, wr.bo, VMSM_SUBMIT_BO_WRITE));
	write1(cs2, wr.iova + 4, 0x600d2);
	fence = submit(cs2, NULL, NULL);
	t0 = now_ns();
	pid = release_later(&sem2, 300);
	igt_assert_eq(cpu_prep_raw(h, VMSM_PREP_READ, INT64_MAX), 0);
	igt_assert_lte(300000000, now_ns() - t0);
	reap(pid);
	sem_release(&sem2);
	igt_assert_eq_u32(((uint32_t *)wr.ptr)[0], 0x600d);
	igt_assert_eq_u32(((uint32_t *)wr.ptr)[1], 0x600d2);
	vmsm_lib_ok(vmsm_bo_cpu_fini(wr.bo));
	igt_assert_eq(wait_fence_raw(fd, fence, 0, INT64_MAX, 0, 0), 0);

	vmsm_cs_free(cs);
	vmsm_cs_free(cs2);
	sem_free(&sem);
	sem_free(&sem2);
	buf_free(&wr);
}

/*
 * A deadline less than a scheduler tick away is waited for, not taken for
 * one already past: -ETIMEDOUT comes after it, as the uapi says. Rounding
 * the time left down to whole ticks turned such a wait into a poll that
 * returned before the deadline. A tick-based wait can still end just
 * before a deadline that falls between two ticks, so one wait in 20 that
 * ends at or after its deadline is enough (consecutive waits that end on
 * a tick start just after one, and wait nearly a whole tick).
 */
static void test_wait_deadline_subtick(void)
{
	const int64_t ahead = 1000000;	/* 1 ms: less than a tick at HZ <= 1000 */
	struct vmsm_cs *cs = cs_new(dev);
	struct buf sem, wr;
	bool fence_ok = false, prep_ok = false;
	int64_t deadline, late;
	unsigned int i;
	uint32_t fence, h;

	sem_new(dev, &sem);
	buf_new(dev, &wr, 4096, VMSM_BO_CACHED);
	h = vmsm_bo_handle(wr.bo);
	emit_block(cs, &sem);
	vmsm_lib_ok(vmsm_cs_add_bo(cs, wr.bo, VMSM_SUBMIT_BO_WRITE));
	fence = submit(cs, NULL, NULL);

	for (i = 0; i < 20 && !fence_ok; i++) {
		deadline = now_ns() + ahead;
		igt_assert_eq(wait_fence_raw(fd, fence, 0, deadline, 0, 0), -ETIMEDOUT);
		late = now_ns() - deadline;
		igt_info("WAIT_FENCE %u: returned %lld ns after the deadline\n", i,
			 (long long)late);
		fence_ok = late >= 0;
	}
	for (i = 0; i < 20 && !prep_ok; i++) {
		deadline = now_ns() + ahead;
		igt_assert_eq(cpu_prep_raw(h, VMSM_PREP_READ, deadline), -ETIMEDOUT);
		late = now_ns() - deadline;
		igt_info("GEM_CPU_PREP %u: returned %lld ns after the deadline\n", i,
			 (long long)late);
		prep_ok = late >= 0;
	}
	sem_release(&sem);
	igt_assert_eq(wait_fence_raw(fd, fence, 0, INT64_MAX, 0, 0), 0);
	igt_assert_f(fence_ok, "every WAIT_FENCE returned before its deadline\n");
	igt_assert_f(prep_ok, "every GEM_CPU_PREP returned before its deadline\n");
	vmsm_cs_free(cs);
	sem_free(&sem);
	buf_free(&wr);
}

/* ---- submit queues with an address space of their own ---- */

struct pq_obj {
	uint32_t handle;
	uint32_t *ptr;
	uint64_t size;
};

static void pq_new(int dfd, struct pq_obj *o, uint64_t size, uint32_t fill)
{
	uint64_t off;

	o->size = size;
	o->handle = vmsm_gem_new(dfd, size, VMSM_BO_WC);
	off = vmsm_gem_info(dfd, o->handle, VMSM_INFO_GET_MMAP_OFFSET);
	o->ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, off);
	igt_assert(o->ptr != MAP_FAILED);
	for (uint64_t i = 0; i < size / 4; i++)
		o->ptr[i] = fill;
}

static void pq_free(int dfd, struct pq_obj *o)
{
	munmap(o->ptr, o->size);
	vmsm_gem_close(dfd, o->handle);
}

/*
 * Submits the first ndw dwords of cs on queue, with objects listed
 * (the first written, the rest read); iova[] gets their addresses in the
 * queue's address space. Returns the fence id, or -errno.
 */
static int pq_submit(int dfd, uint32_t queue, struct pq_obj *cs, uint32_t ndw,
		     struct pq_obj **objs, unsigned int n, uint64_t *iova)
{
	struct drm_vmsm_submit_bo bos[4] = { };
	struct drm_vmsm_submit_cmd cmd = { .handle = cs->handle, .size = ndw };
	struct drm_vmsm_gem_submit sub = {
		.queue_id = queue, .bos = (uintptr_t)bos, .nr_bos = n + 1,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1, .fence_fd = -1,
	};
	unsigned int i;

	bos[0] = (struct drm_vmsm_submit_bo){ .handle = cs->handle,
					      .flags = VMSM_SUBMIT_BO_READ };
	for (i = 0; i < n; i++)
		bos[i + 1] = (struct drm_vmsm_submit_bo){
			.handle = objs[i]->handle,
			.flags = i ? VMSM_SUBMIT_BO_READ : VMSM_SUBMIT_BO_WRITE,
		};
	if (igt_ioctl(dfd, DRM_IOCTL_VMSM_GEM_SUBMIT, &sub))
		return -errno;
	for (i = 0; iova && i < n; i++)
		iova[i] = bos[i + 1].iova;
	return (int)sub.fence;
}

static void pq_wait(int dfd, uint32_t queue, int fence)
{
	igt_assert_lt(0, fence);
	igt_assert_eq(wait_fence_raw(dfd, fence, queue, INT64_MAX, 0, 0), 0);
}

static uint32_t pq_faults(int dfd, uint32_t queue)
{
	struct drm_vmsm_fault_info info;
	struct vmsm_device *d;

	vmsm_lib_ok(vmsm_device_from_fd(dfd, &d));
	vmsm_lib_ok(vmsm_submitqueue_faults(d, queue, &info));
	vmsm_device_close(d);
	return info.faults;
}

static void test_private_vm(void)
{
	struct drm_vmsm_submitqueue q = { .flags = VMSM_SUBMITQUEUE_PRIVATE_VM, .prio = 1 };
	struct drm_vmsm_submitqueue_close qc = { };
	struct drm_vmsm_vm_bind bind = { .fence_fd = -1 };
	struct pq_obj a, b, d, cs, *objs[1];
	int dfd = igt_vmsm_open_driver_render();
	uint64_t iova_a, iova_b, iova_d;
	int vms = vmsm_debugfs_count(dfd, "vms");

	pq_new(dfd, &a, 1 << 20, 0xaaaaaaaa);
	iova_a = vmsm_gem_info(dfd, a.handle, VMSM_INFO_GET_IOVA);
	do_ioctl(dfd, DRM_IOCTL_VMSM_SUBMITQUEUE_NEW, &q);
	igt_assert_eq(vmsm_debugfs_count(dfd, "vms"), vms + 1);

	/* the BO list maps into the queue's own space and says where */
	pq_new(dfd, &b, 65536, 0);
	pq_new(dfd, &cs, 4096, VMSM_CP_PKT(VMSM_CP_NOP, 0));
	objs[0] = &b;
	pq_wait(dfd, q.id, pq_submit(dfd, q.id, &cs, 1, objs, 1, &iova_b));
	igt_info("file's object at %#llx, queue's object at %#llx\n",
		 (unsigned long long)iova_a, (unsigned long long)iova_b);
	cs.ptr[0] = VMSM_CP_PKT(VMSM_CP_WRITE, 3);
	cs.ptr[1] = (uint32_t)iova_b;
	cs.ptr[2] = (uint32_t)(iova_b >> 32);
	cs.ptr[3] = 0x1234;
	pq_wait(dfd, q.id, pq_submit(dfd, q.id, &cs, 4, objs, 1, NULL));
	igt_assert_eq_u32(b.ptr[0], 0x1234);
	igt_assert_eq_u32(a.ptr[0], 0xaaaaaaaa);

	/* an address of the file's space, not mapped in the queue's: a fault there only */
	pq_new(dfd, &d, 65536, 0xdddddddd);
	iova_d = vmsm_gem_info(dfd, d.handle, VMSM_INFO_GET_IOVA);
	igt_assert_f(iova_d >= iova_b + 65536 || iova_d + 65536 <= iova_b,
		     "D at %#llx is mapped in the queue's space too\n",
		     (unsigned long long)iova_d);
	cs.ptr[0] = VMSM_CP_PKT(VMSM_CP_COPY, 6);
	cs.ptr[1] = (uint32_t)(iova_b + 4096);
	cs.ptr[2] = (uint32_t)((iova_b + 4096) >> 32);
	cs.ptr[3] = (uint32_t)iova_d;
	cs.ptr[4] = (uint32_t)(iova_d >> 32);
	cs.ptr[5] = 4096;
	cs.ptr[6] = 0;
	pq_wait(dfd, q.id, pq_submit(dfd, q.id, &cs, 7, objs, 1, NULL));
	igt_assert_eq_u32(b.ptr[1024], 0);
	igt_assert_eq_u32(pq_faults(dfd, q.id), 1);
	igt_assert_eq_u32(pq_faults(dfd, 0), 0);
	igt_assert_eq(pq_submit(dfd, q.id, &cs, 1, objs, 1, NULL), -EIO);
	/* the file's default queue still runs: the same COPY lands there */
	objs[0] = &a;
	cs.ptr[1] = (uint32_t)iova_a;
	cs.ptr[2] = (uint32_t)(iova_a >> 32);
	pq_wait(dfd, 0, pq_submit(dfd, 0, &cs, 7, objs, 1, NULL));
	igt_assert_eq_u32(a.ptr[0], 0xdddddddd);

	/* no VM_BIND on it, no unknown flags */
	bind.queue_id = q.id;
	do_ioctl_err(dfd, DRM_IOCTL_VMSM_VM_BIND, &bind, EINVAL);
	q.flags = 0x2;
	do_ioctl_err(dfd, DRM_IOCTL_VMSM_SUBMITQUEUE_NEW, &q, EINVAL);
	q.flags = ~0u;
	do_ioctl_err(dfd, DRM_IOCTL_VMSM_SUBMITQUEUE_NEW, &q, EINVAL);

	qc.id = q.id;
	do_ioctl(dfd, DRM_IOCTL_VMSM_SUBMITQUEUE_CLOSE, &qc);
	igt_assert(igt_wait(vmsm_debugfs_count(dfd, "vms") == vms, 5000, 10));
	pq_free(dfd, &a);
	pq_free(dfd, &b);
	pq_free(dfd, &d);
	pq_free(dfd, &cs);
	drm_close_driver(dfd);
}

/*
 * debugfs: a fault lands in vmsm_faults with its address and access, and
 * once the device is idle every ring's completed fence equals its last
 * emitted one.
 */
static void test_debugfs_faults_rings(void)
{
	int dfd = igt_vmsm_open_driver_render();
	uint64_t va = vmsm_get_param(dfd, VMSM_PARAM_VA_START) + (1ull << 40) + 0x1230;
	struct pq_obj cs;
	char buf[8192], want[64], *line;
	unsigned long long emitted, completed;
	unsigned int ring, rings = 0;

	pq_new(dfd, &cs, 4096, 0);
	cs.ptr[0] = VMSM_CP_PKT(VMSM_CP_WRITE, 3);
	cs.ptr[1] = (uint32_t)va;
	cs.ptr[2] = (uint32_t)(va >> 32);
	cs.ptr[3] = 1;
	pq_wait(dfd, 0, pq_submit(dfd, 0, &cs, 4, NULL, 0, NULL));
	igt_assert_eq_u32(pq_faults(dfd, 0), 1);

	igt_assert_lt(0, igt_vmsm_debugfs_read(dfd, "vmsm_faults", buf, sizeof(buf)));
	snprintf(want, sizeof(want), "translation write 0x%llx\n", (unsigned long long)va);
	igt_info("looking for \"%.*s\" in:\n%s", (int)strlen(want) - 1, want, buf);
	igt_assert(strstr(buf, want));
	igt_assert(!strncmp(buf, "faults ", 7));

	igt_assert_lt(0, igt_vmsm_debugfs_read(dfd, "vmsm_rings", buf, sizeof(buf)));
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		igt_assert_eq(sscanf(line, "ring %u %*s emitted %llu completed %llu",
				     &ring, &emitted, &completed), 3);
		igt_assert_eq_u64(emitted, completed);
		rings++;
	}
	igt_assert_eq_u32(rings, vmsm_get_param(dfd, VMSM_PARAM_NR_RINGS));
	pq_free(dfd, &cs);
	drm_close_driver(dfd);
}

igt_main
{
	igt_fixture {
		fd = igt_vmsm_open_driver();
		igt_assert_eq(vmsm_device_from_fd(fd, &dev), 0);
		va_start = vmsm_get_param(fd, VMSM_PARAM_VA_START);
		va_size = vmsm_get_param(fd, VMSM_PARAM_VA_SIZE);
		igt_install_exit_handler(release_all);
		raw_setup();
	}

	igt_describe("A queue with its own address space: its objects, its faults; the file's other queues unaffected; no VM_BIND on it.");
	igt_subtest("private-vm-queue")
		test_private_vm();

	igt_describe("debugfs: vmsm_faults logs a fault with its address and access; vmsm_rings shows every ring idle after it.");
	igt_subtest("debugfs-faults-rings")
		test_debugfs_faults_rings();

	igt_describe("NOP jobs: submit, wait; fence ids increase.");
	igt_subtest("nop")
		test_nop();

	igt_describe("COPY of 64 KiB, 1 MiB and an unaligned size and offsets, "
		     "checked byte for byte by the CPU.");
	igt_subtest("gpu-copy-64k")
		test_copy(64 << 10, 0, 0, VMSM_BO_CACHED);
	igt_subtest("gpu-copy-1m")
		test_copy(1 << 20, 0, 0, VMSM_BO_CACHED);
	igt_subtest("gpu-copy-unaligned")
		test_copy(100003, 3, 4097, VMSM_BO_CACHED);
	igt_subtest("gpu-copy-wc")
		test_copy(64 << 10, 0, 0, VMSM_BO_WC);
	igt_subtest("gpu-copy-uncached")
		test_copy(64 << 10, 0, 0, VMSM_BO_UNCACHED);

	igt_describe("FILL, exactly the range asked.");
	igt_subtest("gpu-fill")
		test_fill();

	igt_describe("WRITE of one and of 100 dwords across a page boundary.");
	igt_subtest("gpu-write")
		test_write();

	igt_describe("FENCE stores its value after the job's writes.");
	igt_subtest("fence-packet")
		test_fence_packet();

	igt_describe("FILL_RECT on 64x64 surfaces, pixel-exact, pitch padding "
		     "untouched.");
	igt_subtest("fill-rect")
		test_fill_rect(DRM_FORMAT_XRGB8888);
	igt_subtest("fill-rect-argb8888")
		test_fill_rect(DRM_FORMAT_ARGB8888);

	igt_describe("BLIT between 64x64 surfaces, pixel-exact.");
	igt_subtest("blit")
		test_blit(DRM_FORMAT_XRGB8888);
	igt_subtest("blit-argb8888")
		test_blit(DRM_FORMAT_ARGB8888);

	igt_describe("INDIRECT: an IB calling an IB, and the same IB twice.");
	igt_subtest("indirect")
		test_indirect();

	igt_describe("INDIRECT nesting: VMSM_CP_MAX_IB_DEPTH buffers below the "
		     "submitted one work, one more stops the job.");
	igt_subtest("indirect-depth")
		test_indirect_depth();

	igt_describe("TIMESTAMP values are monotonic, within GET_PARAM's.");
	igt_subtest("timestamp")
		test_timestamp();

	igt_describe("FENCE_FD_OUT: the sync_file polls signalled once the job "
		     "is done, and not before.");
	igt_subtest("fence-fd-out")
		test_fence_fd_out();

	igt_describe("FENCE_FD_IN: a job waits for the out-fence of another.");
	igt_subtest("fence-fd-in")
		test_fence_fd_in();

	igt_describe("Binary syncobjs in and out.");
	igt_subtest("syncobj-binary")
		test_syncobj_binary();

	igt_describe("Timeline syncobj points in and out, TIMELINE_WAIT.");
	igt_subtest("syncobj-timeline")
		test_syncobj_timeline();

	igt_describe("Jobs of queues of other priorities complete while a job "
		     "of the default queue is held.");
	igt_subtest("queues-concurrent")
		test_queues_concurrent();

	igt_describe("Implicit sync: job 2 reads what job 1 writes, submitted "
		     "back to back.");
	igt_subtest("implicit-sync")
		implicit_sync(false);
	igt_subtest("implicit-sync-two-fds")
		implicit_sync(true);

	igt_describe("CPU_PREP on objects a job reads or writes.");
	igt_subtest("cpu-prep-busy")
		test_cpu_prep_busy();

	igt_describe("An object closed while a job uses it lives until the job "
		     "is done.");
	igt_subtest("close-busy-bo")
		test_close_busy_bo();

	igt_describe("Closing a file with a job in flight.");
	igt_subtest("close-busy-fd")
		test_close_busy_fd();

	igt_describe("Files that ran jobs, faulted and shared objects leave no "
		     "object, address space or job behind once closed.");
	igt_subtest("no-leaks")
		test_no_leaks();

	igt_describe("A job reading another file's address sees its own "
		     "memory or faults, never the other file's data.");
	igt_subtest("isolation-two-fds")
		test_isolation_two_fds();

	igt_describe("Reading where only another file has an object faults.");
	igt_subtest("cannot-read-other")
		test_cannot_read_other();

	igt_describe("COPY from an unmapped address: error, file faulty (EIO), "
		     "other files work.");
	igt_subtest("fault")
		test_fault();

	igt_describe("Addresses below VA_START and in the kernel's range fault.");
	igt_subtest("fault-outside-va")
		test_fault_outside_va();

	igt_describe("GPU writes to a GPU_READONLY object fault.");
	igt_subtest("fault-readonly")
		test_fault_readonly();

	igt_describe("A job that never finishes is killed by the timeout.");
	igt_subtest("hang")
		test_hang();

	igt_describe("After a hang, the jobs queued behind it on its ring (same queue, "
		     "another queue, other files) complete with their results; a second "
		     "hang behind them is caught too; every job is freed.");
	igt_subtest("hang-jobs-behind")
		test_hang_jobs_behind();

	igt_describe("Unknown opcodes, reserved bits, wrong lengths and "
		     "malformed arguments stop the job with an error.");
	igt_subtest("invalid-packets")
		test_invalid_packets();

	igt_describe("A packet running past the end of the buffer stops the job.");
	igt_subtest("invalid-truncated")
		test_invalid_truncated();

	igt_subtest("submit-bad-bo-handle")
		test_bad_bo_handle();
	igt_subtest("submit-duplicate-bo")
		test_duplicate_bo();
	igt_subtest("submit-bad-bo-flags")
		test_bad_bo_flags();
	igt_subtest("submit-nr-cmds")
		test_nr_cmds();
	igt_subtest("submit-cmd-size")
		test_cmd_size();
	igt_subtest("submit-cmd-not-in-list")
		test_cmd_not_in_list();
	igt_subtest("submit-cmd-offset")
		test_cmd_offset();
	igt_subtest("submit-cmd-iova")
		test_cmd_iova();
	igt_subtest("submit-bad-queue")
		test_bad_queue();
	igt_subtest("submit-unknown-flags")
		test_unknown_flags();
	igt_subtest("submit-cmd-nonzero-pad")
		test_cmd_nonzero_pad();
	igt_subtest("submit-bad-in-fence-fd")
		test_bad_in_fence_fd();
	igt_subtest("submit-bad-syncobj")
		test_bad_syncobj();
	igt_subtest("submit-syncobj-flags")
		test_syncobj_flags();
	igt_subtest("submit-too-many-syncobjs")
		test_too_many_syncobjs();
	igt_subtest("submit-nr-bos-huge")
		test_nr_bos_huge();
	igt_subtest("submit-bad-pointers")
		test_bad_pointers();
	igt_subtest("wait-fence-never-issued")
		test_wait_fence_never_issued();
	igt_subtest("wait-fence-bad-args")
		test_wait_fence_bad_args();
	igt_subtest("wait-fence-timeout")
		test_wait_fence_timeout();

	igt_describe("WAIT_FENCE and GEM_CPU_PREP deadlines: 0, negative and past ones "
		     "poll, INT64_MAX waits for the job.");
	igt_subtest("wait-deadline-edges")
		test_wait_deadline_edges();

	igt_describe("A deadline less than a tick away is waited for: -ETIMEDOUT "
		     "comes after it, not before.");
	igt_subtest("wait-deadline-subtick")
		test_wait_deadline_subtick();

	igt_fixture {
		release_all(0);
		vmsm_gem_close(fd, cmd_handle);
		vmsm_gem_close(fd, other_handle);
		vmsm_device_close(dev);
		drm_close_driver(fd);
	}
}
