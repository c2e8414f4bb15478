// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Ownership transfers and cache maintenance (uapi 1.7): GEM_CPU_PREP and
 * GEM_CPU_FINI over byte ranges, GEM_SYNC, the non-coherent device model
 * (a missing transfer gives stale data), write tracking, checking and
 * strict mode, and a coherent device next to a non-coherent one.
 *
 * Runs on the first device, which is non-coherent (the module's default;
 * on arm64 the device tree's vmsm-gpu node). The subtests that need a
 * coherent device next to it take the device tree's (arm64), or reload
 * the module with num_devices=2 coherent=0,1 where there is no tree
 * (VMSM_KO names the vmsm.ko) and load it back with its defaults when
 * they are done.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define NS_PER_SEC	1000000000ll
#define JOB_TIMEOUT_NS	(30 * NS_PER_SEC)

/* The layouts of uapi 1.5, before the ranges: what old binaries pass. */
struct cpu_prep_v1 {
	uint32_t handle;
	uint32_t op;
	int64_t timeout_ns;
};

struct cpu_fini_v1 {
	uint32_t handle;
	uint32_t pad;
};

#define IOCTL_CPU_PREP_V1 \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VMSM_GEM_CPU_PREP, struct cpu_prep_v1)
#define IOCTL_CPU_FINI_V1 \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VMSM_GEM_CPU_FINI, struct cpu_fini_v1)

static int fd = -1;
static struct vmsm_device *dev;
static size_t page_size;

static int cpu_prep(int f, uint32_t handle, uint32_t op, uint64_t offset, uint64_t size)
{
	struct drm_vmsm_gem_cpu_prep args = {
		.handle = handle,
		.op = op,
		.timeout_ns = INT64_MAX,
		.offset = offset,
		.size = size,
	};

	return igt_ioctl(f, DRM_IOCTL_VMSM_GEM_CPU_PREP, &args) ? -errno : 0;
}

static int cpu_fini(int f, uint32_t handle, uint64_t offset, uint64_t size)
{
	struct drm_vmsm_gem_cpu_fini args = {
		.handle = handle,
		.offset = offset,
		.size = size,
	};

	return igt_ioctl(f, DRM_IOCTL_VMSM_GEM_CPU_FINI, &args) ? -errno : 0;
}

static int sync_ops(int f, struct drm_vmsm_gem_sync_op *ops, uint32_t n, uint32_t flags)
{
	struct drm_vmsm_gem_sync args = {
		.ops = (uintptr_t)ops,
		.nr_ops = n,
		.flags = flags,
	};

	return igt_ioctl(f, DRM_IOCTL_VMSM_GEM_SYNC, &args) ? -errno : 0;
}

/* The whole buffer, written by the CPU with the transfers done right. */
static void buf_set(struct vmsm_vbuf *b, uint8_t value)
{
	igt_assert_eq(cpu_prep(fd, b->handle, VMSM_PREP_WRITE, 0, 0), 0);
	memset(b->ptr, value, b->size);
	igt_assert_eq(cpu_fini(fd, b->handle, 0, 0), 0);
}

static void submit_wait(struct vmsm_cs *cs)
{
	struct vmsm_device *d = vmsm_bo_device(vmsm_cs_bo(cs));
	struct vmsm_submit_out out;

	vmsm_lib_ok(vmsm_submit(cs, NULL, &out));
	vmsm_lib_ok(vmsm_wait_fence(d, 0, out.fence, JOB_TIMEOUT_NS));
	vmsm_lib_ok(vmsm_cs_reset(cs));
}

static void coh_dump(int f, char *buf, size_t len)
{
	igt_assert(igt_vmsm_debugfs_read(f, "vmsm_coherency", buf, len) > 0);
}

static void knobs_off(int sig)
{
	(void)sig;
	if (fd >= 0) {
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", false);
	}
}

/*
 * A submit listing an object the CPU still owns ends the CPU's access
 * (uapi 1.10): the GPU reads what the CPU wrote under its PREP, the next
 * PREP shows what the GPU wrote, and the CPU's copy never overwrites the
 * GPU's data.
 */
static void test_submit_ends_cpu_access(void)
{
	const uint64_t pg = page_size, half = page_size / 2;
	struct vmsm_vbuf b, dst;

	vmsm_vbuf_new(dev, &b, pg, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, pg, VMSM_BO_WC);
	vmsm_vbuf_gpu_fill(&b, 0, pg, 0x0a0a0a0a);
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, 0, 0), 0);
	igt_vmsm_assert_bytes(b.ptr, 0, pg, 0x0a);
	/* No FINI: the GPU writes, the next PREP must show it. */
	vmsm_vbuf_gpu_fill(&b, 0, pg, 0x0b0b0b0b);
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, 0, 0), 0);
	igt_vmsm_assert_bytes(b.ptr, 0, pg, 0x0b);
	igt_assert_eq(cpu_fini(fd, b.handle, 0, 0), 0);

	/* The CPU writes half the page under a PREP, no FINI. */
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_WRITE, 0, half), 0);
	memset(b.ptr, 0x0c, half);
	vmsm_vbuf_gpu_copy(&dst, &b, 0, pg);
	igt_vmsm_assert_bytes(dst.ptr, 0, half, 0x0c);
	igt_vmsm_assert_bytes(dst.ptr, half, half, 0x0b);
	vmsm_vbuf_gpu_fill(&b, half, half, 0x0d0d0d0d);
	/* Late: the submit ended the access, nothing is cleaned over 0x0d. */
	igt_assert_eq(cpu_fini(fd, b.handle, 0, half), 0);
	vmsm_vbuf_gpu_copy(&dst, &b, 0, pg);
	igt_vmsm_assert_bytes(dst.ptr, 0, half, 0x0c);
	igt_vmsm_assert_bytes(dst.ptr, half, half, 0x0d);
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, 0, 0), 0);
	igt_vmsm_assert_bytes(b.ptr, 0, half, 0x0c);
	igt_vmsm_assert_bytes(b.ptr, half, half, 0x0d);
	igt_assert_eq(cpu_fini(fd, b.handle, 0, 0), 0);
	vmsm_vbuf_free(&b);
	vmsm_vbuf_free(&dst);
}

/*
 * Ranges that share a page, prepared and finished in any order, through
 * CPU_PREP/CPU_FINI and through GEM_SYNC: correct usage, so checking
 * mode reports nothing, and the GPU sees every byte written.
 */
static void test_shared_page_ranges(void)
{
	const uint64_t pg = page_size, half = page_size / 2;
	struct drm_vmsm_gem_sync_op ops[2];
	struct vmsm_vbuf b, dst;
	int64_t v;
	int order;

	igt_install_exit_handler(knobs_off);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
	vmsm_vbuf_new(dev, &b, pg, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, pg, VMSM_BO_WC);
	v = vmsm_debugfs_coherency(fd, "violations");
	for (order = 0; order < 2; order++) {
		uint8_t lo = 0x10 + order, hi = 0x20 + order;

		igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_WRITE, 0, half), 0);
		igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_WRITE, half, half), 0);
		memset(b.ptr, lo, half);
		memset(b.ptr + half, hi, half);
		igt_assert_eq(cpu_fini(fd, b.handle, order ? half : 0, half), 0);
		igt_assert_eq(cpu_fini(fd, b.handle, order ? 0 : half, half), 0);
		vmsm_vbuf_gpu_copy(&dst, &b, 0, pg);
		igt_vmsm_assert_bytes(dst.ptr, 0, half, lo);
		igt_vmsm_assert_bytes(dst.ptr, half, half, hi);
	}

	memset(ops, 0, sizeof(ops));
	ops[0] = (struct drm_vmsm_gem_sync_op){ .handle = b.handle, .op = VMSM_SYNC_TO_CPU,
						.access = VMSM_PREP_WRITE, .size = half };
	ops[1] = ops[0];
	ops[1].offset = half;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), 0);
	memset(b.ptr, 0x30, pg);
	ops[0].op = VMSM_SYNC_TO_DEVICE;
	ops[0].access = 0;
	ops[1].op = VMSM_SYNC_TO_DEVICE;
	ops[1].access = 0;
	igt_assert_eq(sync_ops(fd, &ops[1], 1, 0), 0);
	igt_assert_eq(sync_ops(fd, &ops[0], 1, 0), 0);
	vmsm_vbuf_gpu_copy(&dst, &b, 0, pg);
	igt_vmsm_assert_bytes(dst.ptr, 0, pg, 0x30);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
	vmsm_vbuf_free(&b);
	vmsm_vbuf_free(&dst);
}

/* 4095 accesses may be open on a page; one more is -EBUSY, then all end. */
static void test_prep_hold_limit(void)
{
	const unsigned int limit = 4095;
	struct vmsm_vbuf b;
	unsigned int i;
	int64_t v;

	igt_install_exit_handler(knobs_off);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
	vmsm_vbuf_new(dev, &b, 2 * page_size, VMSM_BO_CACHED);
	v = vmsm_debugfs_coherency(fd, "violations");
	for (i = 0; i < limit; i++)
		igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, i % page_size, 1), 0);
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, 0, 2 * page_size), -EBUSY);
	/* Nothing changed: the second page is not held. */
	igt_assert_eq(cpu_fini(fd, b.handle, page_size, 1), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 1);
	for (i = 0; i < limit; i++)
		igt_assert_eq(cpu_fini(fd, b.handle, i % page_size, 1), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 1);
	igt_assert_eq(cpu_fini(fd, b.handle, 0, 1), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 2);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
	vmsm_vbuf_free(&b);
}

/* GPU writes reach the CPU at PREP; reading before it shows old data. */
static void test_missing_prep(void)
{
	struct vmsm_vbuf b;

	vmsm_vbuf_new(dev, &b, 64 << 10, VMSM_BO_CACHED);
	buf_set(&b, 0x33);
	vmsm_vbuf_gpu_fill(&b, 0, b.size, 0x44444444);
	igt_vmsm_assert_bytes(b.ptr, 0, b.size, 0x33);
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, 0, 0), 0);
	igt_vmsm_assert_bytes(b.ptr, 0, b.size, 0x44);
	igt_assert_eq(cpu_fini(fd, b.handle, 0, 0), 0);
	vmsm_vbuf_free(&b);
}

/* A CPU write with no PREP at all is not seen by the GPU. */
static void test_write_without_prep(void)
{
	struct vmsm_vbuf src, dst;

	vmsm_vbuf_new(dev, &src, 16 << 10, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, 16 << 10, VMSM_BO_WC);
	buf_set(&src, 0x55);
	memset(src.ptr, 0x66, src.size);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_vmsm_assert_bytes(dst.ptr, 0, dst.size, 0x55);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

/* Write-combined and uncached objects are single-copy: nothing to maintain. */
static void test_uncached_single_copy(uint32_t mode)
{
	int64_t skipped = vmsm_debugfs_coherency(fd, "skipped");
	int64_t cleaned = vmsm_debugfs_coherency(fd, "clean_bytes");
	struct vmsm_vbuf src, dst;

	vmsm_vbuf_new(dev, &src, 16 << 10, mode);
	vmsm_vbuf_new(dev, &dst, 16 << 10, mode);
	memset(src.ptr, 0x77, src.size);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_vmsm_assert_bytes(dst.ptr, 0, dst.size, 0x77);
	igt_assert_eq(cpu_prep(fd, src.handle, VMSM_PREP_WRITE, 0, 0), 0);
	igt_assert_eq(cpu_fini(fd, src.handle, 0, 0), 0);
	igt_assert_lte(skipped + 2, vmsm_debugfs_coherency(fd, "skipped"));
	igt_assert_eq(vmsm_debugfs_coherency(fd, "clean_bytes"), cleaned);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

/* FINI over a range cleans that range only: the rest stays CPU-owned. */
static void test_fini_range(void)
{
	const uint64_t pg = page_size;
	struct vmsm_vbuf src, dst;
	int64_t cleaned;

	vmsm_vbuf_new(dev, &src, 4 * pg, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, 4 * pg, VMSM_BO_WC);
	buf_set(&src, 0x01);

	igt_assert_eq(cpu_prep(fd, src.handle, VMSM_PREP_WRITE, pg, pg), 0);
	igt_assert_eq(cpu_prep(fd, src.handle, VMSM_PREP_WRITE, 3 * pg, pg), 0);
	memset(src.ptr + pg, 0x02, pg);
	memset(src.ptr + 3 * pg, 0x02, pg);
	cleaned = vmsm_debugfs_coherency(fd, "clean_bytes");
	/* A few bytes inside page 1: the whole page, and only it. */
	igt_assert_eq(cpu_fini(fd, src.handle, pg + 100, 10), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "clean_bytes") - cleaned, (int64_t)pg);
	/* Page 3, written after its FINI without a PREP: stale. */
	igt_assert_eq(cpu_fini(fd, src.handle, 3 * pg, pg), 0);
	memset(src.ptr + 3 * pg, 0x03, pg);

	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_vmsm_assert_bytes(dst.ptr, 0, pg, 0x01);
	igt_vmsm_assert_bytes(dst.ptr, pg, pg, 0x02);
	igt_vmsm_assert_bytes(dst.ptr, 2 * pg, pg, 0x01);
	igt_vmsm_assert_bytes(dst.ptr, 3 * pg, pg, 0x02);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

/* PREP over a range invalidates that range only. */
static void test_prep_range(void)
{
	const uint64_t pg = page_size;
	int64_t inval;
	struct vmsm_vbuf b;

	vmsm_vbuf_new(dev, &b, 8 * pg, VMSM_BO_CACHED);
	buf_set(&b, 0x10);
	vmsm_vbuf_gpu_fill(&b, 0, b.size, 0x20202020);
	inval = vmsm_debugfs_coherency(fd, "inval_bytes");
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, 3 * pg, 2 * pg), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "inval_bytes") - inval, (int64_t)(2 * pg));
	igt_vmsm_assert_bytes(b.ptr, 0, 3 * pg, 0x10);
	igt_vmsm_assert_bytes(b.ptr, 3 * pg, 2 * pg, 0x20);
	igt_vmsm_assert_bytes(b.ptr, 5 * pg, 3 * pg, 0x10);
	igt_assert_eq(cpu_fini(fd, b.handle, 3 * pg, 2 * pg), 0);
	/* The rest is invalidated when it is asked for. */
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ, 0, 0), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "inval_bytes") - inval, (int64_t)b.size);
	igt_vmsm_assert_bytes(b.ptr, 0, b.size, 0x20);
	igt_assert_eq(cpu_fini(fd, b.handle, 0, 0), 0);
	vmsm_vbuf_free(&b);
}

/* Write tracking: FINI over the whole object cleans only the pages written. */
static void test_dirty_tracking(void)
{
	const uint64_t pg = page_size;
	int64_t cleaned, ops, writes;
	struct vmsm_vbuf src, dst;

	vmsm_vbuf_new(dev, &src, 16 * pg, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, 16 * pg, VMSM_BO_WC);
	buf_set(&src, 0x00);

	cleaned = vmsm_debugfs_coherency(fd, "clean_bytes");
	ops = vmsm_debugfs_coherency(fd, "clean_ops");
	writes = vmsm_debugfs_coherency(fd, "cpu_writes");
	igt_assert_eq(cpu_prep(fd, src.handle, VMSM_PREP_READ | VMSM_PREP_WRITE, 0, 0), 0);
	src.ptr[3 * pg + 5] = 0xa3;
	src.ptr[7 * pg] = 0xa7;
	src.ptr[8 * pg + pg - 1] = 0xa8;
	igt_assert_eq(cpu_fini(fd, src.handle, 0, 0), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "cpu_writes") - writes, 3);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "clean_bytes") - cleaned, (int64_t)(3 * pg));
	/* Pages 7 and 8 are one run. */
	igt_assert_eq(vmsm_debugfs_coherency(fd, "clean_ops") - ops, 2);

	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_assert_eq(dst.ptr[3 * pg + 5], 0xa3);
	igt_assert_eq(dst.ptr[7 * pg], 0xa7);
	igt_assert_eq(dst.ptr[8 * pg + pg - 1], 0xa8);
	igt_vmsm_assert_bytes(dst.ptr, 0, 3 * pg, 0);

	/* Cleaned pages are write-protected again: the next write is seen. */
	cleaned = vmsm_debugfs_coherency(fd, "clean_bytes");
	igt_assert_eq(cpu_prep(fd, src.handle, VMSM_PREP_WRITE, 0, 0), 0);
	src.ptr[3 * pg + 6] = 0xb3;
	igt_assert_eq(cpu_fini(fd, src.handle, 0, 0), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "cpu_writes") - writes, 4);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "clean_bytes") - cleaned, (int64_t)pg);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_assert_eq(dst.ptr[3 * pg + 6], 0xb3);
	igt_assert_eq(dst.ptr[3 * pg + 5], 0xa3);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

/* Binaries of uapi 1.5 pass the short structures: the whole object. */
static void test_legacy_layout(void)
{
	struct cpu_prep_v1 prep = { .op = VMSM_PREP_WRITE, .timeout_ns = INT64_MAX };
	struct cpu_fini_v1 fini = { 0 };
	struct vmsm_vbuf src, dst;

	vmsm_vbuf_new(dev, &src, 4 * page_size, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, 4 * page_size, VMSM_BO_WC);
	buf_set(&src, 0x01);
	prep.handle = fini.handle = src.handle;
	igt_assert_eq(igt_ioctl(fd, IOCTL_CPU_PREP_V1, &prep), 0);
	memset(src.ptr, 0x5c, src.size);
	igt_assert_eq(igt_ioctl(fd, IOCTL_CPU_FINI_V1, &fini), 0);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_vmsm_assert_bytes(dst.ptr, 0, dst.size, 0x5c);
	fini.pad = 1;
	igt_assert_eq(igt_ioctl(fd, IOCTL_CPU_FINI_V1, &fini) ? errno : 0, EINVAL);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

static void test_bad_ranges(void)
{
	const uint64_t size = 4 * page_size;
	uint32_t h = vmsm_gem_new(fd, size, VMSM_BO_CACHED);
	const struct {
		uint64_t offset, size;
	} bad[] = {
		{ size, 1 },
		{ 0, size + 1 },
		{ size - 1, 2 },
		{ 1, 0 },
		{ UINT64_MAX, 2 },
		{ 2, UINT64_MAX },
		{ UINT64_MAX, UINT64_MAX },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		igt_assert_eq(cpu_prep(fd, h, VMSM_PREP_READ, bad[i].offset, bad[i].size),
			      -EINVAL);
		igt_assert_eq(cpu_fini(fd, h, bad[i].offset, bad[i].size), -EINVAL);
	}
	igt_assert_eq(cpu_prep(fd, h, VMSM_PREP_READ, size - 1, 1), 0);
	igt_assert_eq(cpu_fini(fd, h, size - 1, 1), 0);
	igt_assert_eq(cpu_prep(fd, h + 1, VMSM_PREP_READ, 0, 1), -ENOENT);
	igt_assert_eq(cpu_fini(fd, h + 1, 0, 1), -ENOENT);
	vmsm_gem_close(fd, h);
}

/* GEM_SYNC over ranges of two objects, both ways. */
static void test_sync(void)
{
	const uint64_t pg = page_size;
	struct vmsm_vbuf a, b, dst;
	struct drm_vmsm_gem_sync_op ops[2];
	int64_t cleaned;

	vmsm_vbuf_new(dev, &a, 4 * pg, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &b, 4 * pg, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, 4 * pg, VMSM_BO_WC);
	buf_set(&a, 0x0a);
	buf_set(&b, 0x0b);

	memset(ops, 0, sizeof(ops));
	ops[0] = (struct drm_vmsm_gem_sync_op){ .handle = a.handle, .op = VMSM_SYNC_TO_CPU,
		.access = VMSM_PREP_WRITE, .offset = pg, .size = pg };
	ops[1] = (struct drm_vmsm_gem_sync_op){ .handle = b.handle, .op = VMSM_SYNC_TO_CPU,
		.access = VMSM_PREP_WRITE, .offset = 2 * pg, .size = 2 * pg };
	igt_assert_eq(sync_ops(fd, ops, 2, 0), 0);
	memset(a.ptr + pg, 0x1a, pg);
	memset(b.ptr + 2 * pg, 0x1b, 2 * pg);
	cleaned = vmsm_debugfs_coherency(fd, "clean_bytes");
	ops[0].op = ops[1].op = VMSM_SYNC_TO_DEVICE;
	ops[0].access = ops[1].access = 0;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "clean_bytes") - cleaned, (int64_t)(3 * pg));

	vmsm_vbuf_gpu_copy(&dst, &a, 0, a.size);
	igt_vmsm_assert_bytes(dst.ptr, 0, pg, 0x0a);
	igt_vmsm_assert_bytes(dst.ptr, pg, pg, 0x1a);
	igt_vmsm_assert_bytes(dst.ptr, 2 * pg, 2 * pg, 0x0a);
	vmsm_vbuf_gpu_copy(&dst, &b, 0, b.size);
	igt_vmsm_assert_bytes(dst.ptr, 0, 2 * pg, 0x0b);
	igt_vmsm_assert_bytes(dst.ptr, 2 * pg, 2 * pg, 0x1b);

	/* TO_CPU makes GPU writes visible, over the range asked for. */
	vmsm_vbuf_gpu_fill(&a, 0, a.size, 0x2a2a2a2a);
	ops[0] = (struct drm_vmsm_gem_sync_op){ .handle = a.handle, .op = VMSM_SYNC_TO_CPU,
		.access = VMSM_PREP_READ, .offset = 0, .size = pg };
	igt_assert_eq(sync_ops(fd, ops, 1, 0), 0);
	igt_vmsm_assert_bytes(a.ptr, 0, pg, 0x2a);
	igt_vmsm_assert_bytes(a.ptr, pg, pg, 0x1a);
	igt_assert_eq(sync_ops(fd, ops, 0, 0), 0);
	vmsm_vbuf_free(&a);
	vmsm_vbuf_free(&b);
	vmsm_vbuf_free(&dst);
}

/* Every way of calling GEM_SYNC wrong on @h, a cached object of @size. */
static void sync_invalid_ops(uint32_t h, uint64_t size)
{
	struct drm_vmsm_gem_sync_op good = {
		.handle = h, .op = VMSM_SYNC_TO_CPU, .access = VMSM_PREP_WRITE,
	}, ops[2];
	struct drm_vmsm_gem_sync args = { 0 };

	ops[0] = good;
	igt_assert_eq(sync_ops(fd, ops, 1, 1), -EINVAL);
	igt_assert_eq(sync_ops(fd, ops, 1, 0x80000000u), -EINVAL);
	igt_assert_eq(sync_ops(fd, ops, VMSM_SYNC_MAX_OPS + 1, 0), -EINVAL);
	igt_assert_eq(sync_ops(fd, ops, UINT32_MAX, 0), -EINVAL);
	args.ops = 8;
	args.nr_ops = 1;
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_SYNC, &args) ? errno : 0, EFAULT);

	/* The second op is bad: the first is not applied either. */
	ops[0] = good;
	ops[1] = good;
	ops[1].op = 2;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1] = good;
	ops[1].access = 0;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1].access = VMSM_PREP_NOSYNC;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1].access = 0x100 | VMSM_PREP_READ;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1] = good;
	ops[1].op = VMSM_SYNC_TO_DEVICE;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1] = good;
	ops[1].pad = 1;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1] = good;
	ops[1].handle = h + 1;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -ENOENT);
	ops[1] = good;
	ops[1].offset = size;
	ops[1].size = 1;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1].offset = UINT64_MAX;
	ops[1].size = 2;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
	ops[1].offset = 1;
	ops[1].size = 0;
	igt_assert_eq(sync_ops(fd, ops, 2, 0), -EINVAL);
}

static void test_sync_invalid(void)
{
	const uint64_t size = 4 * page_size;
	uint32_t h = vmsm_gem_new(fd, size, VMSM_BO_CACHED);
	struct drm_vmsm_gem_sync_op good = {
		.handle = h, .op = VMSM_SYNC_TO_CPU, .access = VMSM_PREP_WRITE,
	}, ops[1];
	struct drm_vmsm_gem_sync_op *many;
	int64_t begins;
	int i;

	/*
	 * None of them begins a CPU access. The counter is the device's, and
	 * fbdev's damage copies (a kernel mapping, a CPU access of its own)
	 * may count there meanwhile when a console draws: calls that began
	 * an access would show in every attempt.
	 */
	for (i = 0; i < 8; i++) {
		begins = vmsm_debugfs_coherency(fd, "begin_cpu");
		sync_invalid_ops(h, size);
		if (vmsm_debugfs_coherency(fd, "begin_cpu") == begins)
			break;
	}
	igt_assert_f(i < 8, "invalid GEM_SYNC calls began CPU accesses\n");

	/* The largest array is fine. */
	many = calloc(VMSM_SYNC_MAX_OPS, sizeof(*many));
	igt_assert(many);
	for (unsigned int j = 0; j < VMSM_SYNC_MAX_OPS; j++)
		many[j] = good;
	igt_assert_eq(sync_ops(fd, many, VMSM_SYNC_MAX_OPS, 0), 0);
	free(many);
	ops[0] = good;
	ops[0].op = VMSM_SYNC_TO_DEVICE;
	ops[0].access = 0;
	igt_assert_eq(sync_ops(fd, ops, 1, 0), 0);
	vmsm_gem_close(fd, h);
}

/* SYNC never waits: an object a running job writes is -EBUSY. */
static void test_sync_busy(void)
{
	struct vmsm_vbuf sem, b;
	struct vmsm_cs *cs;
	struct vmsm_submit_out out;
	struct drm_vmsm_gem_sync_op op;
	int64_t begins;
	int i;

	vmsm_vbuf_new(dev, &sem, page_size, VMSM_BO_WC);
	vmsm_vbuf_new(dev, &b, page_size, VMSM_BO_CACHED);
	*(volatile uint32_t *)sem.ptr = 0;
	vmsm_lib_ok(vmsm_cs_new(dev, 256, &cs));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, sem.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_wait_mem(cs, sem.iova, 1, ~0u, VMSM_CP_WAIT_EQ));
	vmsm_lib_ok(vmsm_cs_fill(cs, b.iova, b.size, 0x3c3c3c3c));
	vmsm_lib_ok(vmsm_submit(cs, NULL, &out));

	/*
	 * A refused GEM_SYNC begins no CPU access. The counter is the
	 * device's, and fbdev's damage copies (a kernel mapping, a CPU access
	 * of its own) may count there meanwhile, when a console draws: a
	 * refusal that began an access would show in every attempt.
	 */
	op = (struct drm_vmsm_gem_sync_op){ .handle = b.handle, .op = VMSM_SYNC_TO_CPU,
		.access = VMSM_PREP_READ };
	for (i = 0; i < 8; i++) {
		begins = vmsm_debugfs_coherency(fd, "begin_cpu");
		igt_assert_eq(sync_ops(fd, &op, 1, 0), -EBUSY);
		if (vmsm_debugfs_coherency(fd, "begin_cpu") == begins)
			break;
	}
	igt_assert_f(i < 8, "every refused GEM_SYNC began a CPU access\n");
	igt_assert_eq(cpu_prep(fd, b.handle, VMSM_PREP_READ | VMSM_PREP_NOSYNC, 0, 0), -EBUSY);

	*(volatile uint32_t *)sem.ptr = 1;
	__sync_synchronize();
	vmsm_lib_ok(vmsm_wait_fence(dev, 0, out.fence, JOB_TIMEOUT_NS));
	igt_assert_eq(sync_ops(fd, &op, 1, 0), 0);
	igt_vmsm_assert_bytes(b.ptr, 0, b.size, 0x3c);
	vmsm_cs_free(cs);
	vmsm_vbuf_free(&sem);
	vmsm_vbuf_free(&b);
}

/* Checking mode names the object, the range and the access. */
static void test_check_reports(void)
{
	static char dump[16384];
	struct vmsm_vbuf src, dst;
	char name[64];
	int64_t v;

	igt_install_exit_handler(knobs_off);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
	vmsm_vbuf_new(dev, &src, 4 * page_size, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, 4 * page_size, VMSM_BO_WC);
	vmsm_lib_ok(vmsm_bo_set_name(src.bo, "coh-src"));
	buf_set(&src, 0x01);

	v = vmsm_debugfs_coherency(fd, "violations");
	igt_assert_eq(cpu_prep(fd, src.handle, VMSM_PREP_WRITE, page_size, page_size), 0);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 1);
	coh_dump(fd, dump, sizeof(dump));
	snprintf(name, sizeof(name), "\"coh-src\" bytes 0x%zx-0x%zx device read:",
		 page_size, 2 * page_size);
	igt_assert_f(strstr(dump, name), "no \"%s\" in:\n%s", name, dump);
	/* The submit ended that access: its FINI comes too late. */
	igt_assert_eq(cpu_fini(fd, src.handle, page_size, page_size), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 2);

	/* A CPU write to device-owned memory is seen by write tracking. */
	src.ptr[2 * page_size] = 0x99;
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 3);
	coh_dump(fd, dump, sizeof(dump));
	snprintf(name, sizeof(name), "\"coh-src\" bytes 0x%zx-0x%zx CPU write:",
		 2 * page_size, 3 * page_size);
	igt_assert_f(strstr(dump, name), "no \"%s\" in:\n%s", name, dump);

	/* FINI of memory the CPU does not own. */
	igt_assert_eq(cpu_fini(fd, src.handle, 0, page_size), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 4);

	/* Used correctly: nothing more. */
	buf_set(&src, 0x02);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 4);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

/* Strict mode: a submit of an object the CPU still owns is -EBUSY. */
static void test_strict_submit(void)
{
	struct vmsm_vbuf src, dst;
	struct vmsm_cs *cs;
	int64_t refused = vmsm_debugfs_coherency(fd, "refused");

	igt_install_exit_handler(knobs_off);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", true);
	vmsm_vbuf_new(dev, &src, 4 * page_size, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, 4 * page_size, VMSM_BO_WC);
	buf_set(&src, 0x01);

	igt_assert_eq(cpu_prep(fd, src.handle, VMSM_PREP_WRITE, 3 * page_size, 1), 0);
	memset(src.ptr + 3 * page_size, 0x02, page_size);
	vmsm_lib_ok(vmsm_cs_new(dev, 256, &cs));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, src.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst.iova, src.iova, src.size));
	vmsm_lib_err(vmsm_submit(cs, NULL, NULL), EBUSY);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "refused"), refused + 1);

	igt_assert_eq(cpu_fini(fd, src.handle, 0, 0), 0);
	submit_wait(cs);
	igt_vmsm_assert_bytes(dst.ptr, 0, 3 * page_size, 0x01);
	igt_vmsm_assert_bytes(dst.ptr, 3 * page_size, page_size, 0x02);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", false);
	vmsm_cs_free(cs);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

/* Device views go with their objects. */
static void test_shadow_pages_freed(void)
{
	int64_t before = vmsm_debugfs_coherency(fd, "shadow_pages");
	struct vmsm_vbuf b;

	vmsm_vbuf_new(dev, &b, 16 * page_size, VMSM_BO_CACHED);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "shadow_pages"), before + 16);
	vmsm_vbuf_free(&b);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "shadow_pages"), before);
}

/*
 * Two devices of different coherency
 * ==================================
 */

static bool reloaded;

static void restore_module(int sig)
{
	(void)sig;
	if (fd >= 0)
		close(fd);
	fd = -1;
	vmsm_device_close(dev);
	dev = NULL;
	igt_vmsm_load_defaults(&reloaded);
}

/*
 * A non-coherent and a coherent device: the device tree's where it has
 * them (arm64), otherwise vmsm reloaded with num_devices=2 coherent=0,1.
 */
static void two_devices(int *nc, int *co)
{
	int fds[2];

	vmsm_device_close(dev);
	dev = NULL;
	close(fd);
	fd = -1;
	igt_install_exit_handler(restore_module);
	if (igt_vmsm_devices(getenv("VMSM_KO"), 1, 1, fds))
		reloaded = true;
	*nc = fds[0];
	*co = fds[1];
	igt_assert_eq_u64(vmsm_get_param(*nc, VMSM_PARAM_COHERENT), 0);
	igt_assert_eq_u64(vmsm_get_param(*co, VMSM_PARAM_COHERENT), 1);
}

/*
 * The same missing FINI on both devices: stale on the non-coherent one,
 * fresh on the coherent one, where no maintenance is ever done.
 */
static void test_coherent_vs_noncoherent(void)
{
	int nc, co, i;

	two_devices(&nc, &co);
	for (i = 0; i < 2; i++) {
		int f = i ? co : nc;
		struct vmsm_device *d;
		struct vmsm_vbuf src, dst;
		int64_t cleaned, skipped;
		uint32_t mode = i ? VMSM_BO_CACHED_COHERENT : VMSM_BO_CACHED;

		vmsm_lib_ok(vmsm_device_from_fd(f, &d));
		fd = f;
		vmsm_vbuf_new(d, &src, 4 * page_size, mode);
		vmsm_vbuf_new(d, &dst, 4 * page_size, VMSM_BO_WC);
		buf_set(&src, 0x01);
		cleaned = vmsm_debugfs_coherency(f, "clean_bytes");
		skipped = vmsm_debugfs_coherency(f, "skipped");
		/* Written after the FINI, without a PREP. */
		memset(src.ptr, 0x02, src.size);
		vmsm_vbuf_gpu_copy(&dst, &src, 0, src.size);
		igt_vmsm_assert_bytes(dst.ptr, 0, dst.size, i ? 0x02 : 0x01);
		igt_assert_eq(cpu_prep(f, src.handle, VMSM_PREP_WRITE, 0, 0), 0);
		igt_assert_eq(cpu_fini(f, src.handle, 0, 0), 0);
		if (i) {
			igt_assert_eq(vmsm_debugfs_coherency(f, "clean_bytes"), 0);
			igt_assert_eq(vmsm_debugfs_coherency(f, "inval_bytes"), 0);
			igt_assert_eq(vmsm_debugfs_coherency(f, "shadow_pages"), 0);
			igt_assert_lte(skipped + 3, vmsm_debugfs_coherency(f, "skipped"));
		} else {
			igt_assert_eq(vmsm_debugfs_coherency(f, "clean_bytes") - cleaned,
				      (int64_t)src.size);
		}
		vmsm_vbuf_free(&src);
		vmsm_vbuf_free(&dst);
		vmsm_device_close(d);
		fd = -1;
	}
	close(nc);
	close(co);
}

igt_main
{
	igt_fixture {
		fd = igt_vmsm_open_driver();
		vmsm_lib_ok(vmsm_device_from_fd(fd, &dev));
		page_size = sysconf(_SC_PAGESIZE);
		igt_assert_f(vmsm_get_param(fd, VMSM_PARAM_COHERENT) == 0,
			     "device 0 must be non-coherent (the module's default)\n");
	}

	igt_describe("A submit of an object the CPU still owns ends the CPU's access: "
		     "no write of either side is lost.");
	igt_subtest("submit-ends-cpu-access")
		test_submit_ends_cpu_access();

	igt_describe("Ranges sharing a page, prepared and finished in any order: "
		     "nothing reported, every byte reaches the GPU.");
	igt_subtest("shared-page-ranges")
		test_shared_page_ranges();

	igt_describe("At most 4095 CPU accesses open on a page; one more is -EBUSY.");
	igt_subtest("prep-hold-limit")
		test_prep_hold_limit();

	igt_describe("GPU writes reach the CPU only through GEM_CPU_PREP.");
	igt_subtest("missing-prep-is-stale")
		test_missing_prep();

	igt_describe("A CPU write without any PREP is not seen by the GPU.");
	igt_subtest("write-without-prep-is-stale")
		test_write_without_prep();

	igt_describe("Write-combined objects need no maintenance and stay single-copy.");
	igt_subtest("wc-single-copy")
		test_uncached_single_copy(VMSM_BO_WC);

	igt_describe("Uncached objects need no maintenance and stay single-copy.");
	igt_subtest("uncached-single-copy")
		test_uncached_single_copy(VMSM_BO_UNCACHED);

	igt_describe("CPU_FINI over a range cleans the pages of that range only.");
	igt_subtest("fini-range")
		test_fini_range();

	igt_describe("CPU_PREP over a range invalidates the pages of that range only.");
	igt_subtest("prep-range")
		test_prep_range();

	igt_describe("Write tracking: CPU_FINI cleans only the pages the CPU wrote, "
		     "and re-arms them.");
	igt_subtest("dirty-tracking")
		test_dirty_tracking();

	igt_describe("The CPU_PREP/CPU_FINI layouts of uapi 1.5 still work, on the "
		     "whole object.");
	igt_subtest("legacy-layout")
		test_legacy_layout();

	igt_describe("Ranges outside the object and bad handles are refused.");
	igt_subtest("bad-ranges")
		test_bad_ranges();

	igt_describe("GEM_SYNC transfers several ranges of several objects.");
	igt_subtest("sync")
		test_sync();

	igt_describe("GEM_SYNC refuses bad flags, counts, ops, access, ranges and "
		     "handles, all or nothing.");
	igt_subtest("sync-invalid")
		test_sync_invalid();

	igt_describe("GEM_SYNC to the CPU of an object the GPU still writes is -EBUSY.");
	igt_subtest("sync-busy")
		test_sync_busy();

	igt_describe("Checking mode reports misuse with object, range and access.");
	igt_subtest("check-reports")
		test_check_reports();

	igt_describe("Strict mode fails a submit of CPU-owned memory with -EBUSY.");
	igt_subtest("strict-submit")
		test_strict_submit();

	igt_describe("Device-view pages are freed with their objects.");
	igt_subtest("shadow-pages-freed")
		test_shadow_pages_freed();

	igt_describe("A coherent and a non-coherent device side by side: the same "
		     "missing CPU_FINI is stale only on the non-coherent one.");
	igt_subtest("coherent-vs-noncoherent")
		test_coherent_vs_noncoherent();

	igt_fixture {
		vmsm_device_close(dev);
		dev = NULL;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
}
