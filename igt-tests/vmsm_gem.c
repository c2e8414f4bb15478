// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_gem: buffer objects (uapi 1.1): DRM_IOCTL_VMSM_GEM_NEW, GEM_INFO,
 * GEM_CPU_PREP, GEM_CPU_FINI, mmap and GEM_CLOSE. Error cases go through
 * raw ioctls, so that the exact errno of the kernel is checked; the rest
 * uses libvmsm (lib/), the library a Mesa driver would sit on.
 */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

/* libvmsm calls return 0 or -errno. */
static int fd = -1;
static struct vmsm_device *dev;
static uint64_t page_size;
static uint64_t max_bo_size;
static uint64_t va_start, va_size;
static bool coherent;

static const struct {
	const char *name;
	uint32_t flags;
} cache_modes[] = {
	{ "cached", VMSM_BO_CACHED },
	{ "cached-coherent", VMSM_BO_CACHED_COHERENT },
	{ "wc", VMSM_BO_WC },
	{ "uncached", VMSM_BO_UNCACHED },
};

static bool mode_supported(uint32_t flags)
{
	return (flags & VMSM_BO_CACHE_MASK) != VMSM_BO_CACHED_COHERENT ||
	       coherent;
}

static void test_gem_new(void)
{
	static const uint32_t extra[] = {
		0, VMSM_BO_GPU_READONLY, VMSM_BO_NO_SHARE,
		VMSM_BO_GPU_READONLY | VMSM_BO_NO_SHARE,
	};
	uint32_t handles[ARRAY_SIZE(cache_modes) * ARRAY_SIZE(extra)];
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(cache_modes); i++) {
		for (j = 0; j < ARRAY_SIZE(extra); j++) {
			uint32_t flags = cache_modes[i].flags | extra[j];
			uint32_t handle = 0;
			int ret = __vmsm_gem_new(fd, 4096, flags, &handle);

			igt_debug("GEM_NEW %s flags %#x: %d\n",
				  cache_modes[i].name, flags, ret);
			if (!mode_supported(flags)) {
				igt_assert_f(ret == -EINVAL,
					     "%s on a %scoherent device: %d\n",
					     cache_modes[i].name,
					     coherent ? "" : "non-", ret);
				continue;
			}
			igt_assert_f(ret == 0, "GEM_NEW flags %#x: %s\n", flags,
				     strerror(-ret));
			igt_assert_neq_u32(handle, 0);
			igt_assert_eq_u64(vmsm_gem_info(fd, handle,
							VMSM_INFO_GET_FLAGS),
					  flags);
			handles[n++] = handle;
		}
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			igt_assert_neq_u32(handles[i], handles[j]);
	for (i = 0; i < n; i++)
		vmsm_gem_close(fd, handles[i]);
}

static void check_size(uint64_t size, uint64_t expect)
{
	uint32_t handle = vmsm_gem_new(fd, size, VMSM_BO_WC);

	igt_assert_eq_u64(vmsm_gem_info(fd, handle, VMSM_INFO_GET_SIZE), expect);
	vmsm_gem_close(fd, handle);
}

static void check_bad_size(uint64_t size)
{
	uint32_t handle = 0;
	int ret = __vmsm_gem_new(fd, size, VMSM_BO_WC, &handle);

	igt_assert_f(ret == -EINVAL, "GEM_NEW size %#llx: got %d (%s)\n",
		     (unsigned long long)size, ret,
		     ret ? strerror(-ret) : "success");
}

static void test_sizes(void)
{
	check_size(1, page_size);
	check_size(page_size - 1, page_size);
	check_size(page_size, page_size);
	check_size(page_size + 1, 2 * page_size);
	check_size(3 * page_size - 7, 3 * page_size);
	check_size(1 << 20, 1 << 20);
	/* GPU-page multiples below or across a CPU page (16 KiB kernels) */
	check_size(4096, (4096 + page_size - 1) / page_size * page_size);
	check_size(20480, (20480 + page_size - 1) / page_size * page_size);
	/* The largest object is allowed (never touched: no memory is used). */
	check_size(max_bo_size, max_bo_size);

	check_bad_size(0);
	check_bad_size(max_bo_size + 1);
	check_bad_size(max_bo_size + page_size);
	check_bad_size(2 * max_bo_size);
	check_bad_size(UINT64_MAX);
	/* Rounding up to the page size must not wrap to 0. */
	check_bad_size(UINT64_MAX - page_size + 2);
	check_bad_size(1ull << 63);
}

static void test_bad_flags(void)
{
	uint32_t handle = 0;
	unsigned int bit, mode;

	/* Exactly one cache mode: 0 and 6..15 are no mode (5 is AUTO, 1.8). */
	for (mode = 0; mode <= VMSM_BO_CACHE_MASK; mode++) {
		int ret;

		if (mode >= VMSM_BO_CACHED && mode <= VMSM_BO_CACHE_AUTO)
			continue;
		ret = __vmsm_gem_new(fd, 4096, mode, &handle);
		igt_assert_f(ret == -EINVAL, "cache mode %u: %d\n", mode, ret);
		ret = __vmsm_gem_new(fd, 4096, mode | VMSM_BO_GPU_READONLY,
				     &handle);
		igt_assert_f(ret == -EINVAL, "cache mode %u|RO: %d\n", mode, ret);
	}
	for (bit = 0; bit < 32; bit++) {
		uint32_t flags = VMSM_BO_WC | (1u << bit);
		int ret;

		if ((1u << bit) & VMSM_BO_FLAGS)
			continue;
		ret = __vmsm_gem_new(fd, 4096, flags, &handle);
		igt_assert_f(ret == -EINVAL, "flags %#x: %d\n", flags, ret);
	}
}

static void test_gem_info(void)
{
	uint32_t a = vmsm_gem_new(fd, 3 * page_size, VMSM_BO_CACHED);
	uint32_t b = vmsm_gem_new(fd, 5 * page_size, VMSM_BO_WC | VMSM_BO_GPU_READONLY);
	uint64_t off_a, off_b, iova_a, iova_b;

	igt_assert_eq_u64(vmsm_gem_info(fd, a, VMSM_INFO_GET_SIZE), 3 * page_size);
	igt_assert_eq_u64(vmsm_gem_info(fd, b, VMSM_INFO_GET_SIZE), 5 * page_size);
	igt_assert_eq_u64(vmsm_gem_info(fd, a, VMSM_INFO_GET_FLAGS), VMSM_BO_CACHED);
	igt_assert_eq_u64(vmsm_gem_info(fd, b, VMSM_INFO_GET_FLAGS),
			  VMSM_BO_WC | VMSM_BO_GPU_READONLY);

	off_a = vmsm_gem_info(fd, a, VMSM_INFO_GET_MMAP_OFFSET);
	off_b = vmsm_gem_info(fd, b, VMSM_INFO_GET_MMAP_OFFSET);
	igt_assert_neq_u64(off_a, 0);
	igt_assert_neq_u64(off_b, 0);
	igt_assert_neq_u64(off_a, off_b);
	igt_assert_eq_u64(off_a % page_size, 0);
	igt_assert_eq_u64(off_b % page_size, 0);
	igt_assert_eq_u64(vmsm_gem_info(fd, a, VMSM_INFO_GET_MMAP_OFFSET), off_a);

	iova_a = vmsm_gem_info(fd, a, VMSM_INFO_GET_IOVA);
	iova_b = vmsm_gem_info(fd, b, VMSM_INFO_GET_IOVA);
	igt_info("iova %#llx (3 pages), %#llx (5 pages)\n",
		 (unsigned long long)iova_a, (unsigned long long)iova_b);
	igt_assert_eq_u64(iova_a % page_size, 0);
	igt_assert_eq_u64(iova_b % page_size, 0);
	igt_assert_lte_u64(va_start, iova_a);
	igt_assert_lte_u64(iova_a + 3 * page_size, va_start + va_size);
	igt_assert_lte_u64(va_start, iova_b);
	igt_assert_lte_u64(iova_b + 5 * page_size, va_start + va_size);
	/* Disjoint ranges. */
	igt_assert(iova_a + 3 * page_size <= iova_b ||
		   iova_b + 5 * page_size <= iova_a);
	/* Stable across calls. */
	igt_assert_eq_u64(vmsm_gem_info(fd, a, VMSM_INFO_GET_IOVA), iova_a);
	igt_assert_eq_u64(vmsm_gem_info(fd, b, VMSM_INFO_GET_IOVA), iova_b);
	igt_assert_eq_u64(vmsm_gem_info(fd, a, VMSM_INFO_GET_MMAP_OFFSET), off_a);

	vmsm_gem_close(fd, a);
	vmsm_gem_close(fd, b);
}

/* GEM_INFO with every field given. */
static int gem_info_raw(uint32_t handle, uint32_t info, uint64_t *value,
			uint32_t *len, uint32_t pad)
{
	struct drm_vmsm_gem_info args = {
		.handle = handle,
		.info = info,
		.value = *value,
		.len = *len,
		.pad = pad,
	};

	if (igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &args))
		return -errno;
	*value = args.value;
	*len = args.len;
	return 0;
}

static int set_name_raw(uint32_t handle, const char *name, uint32_t len)
{
	uint64_t value = (uintptr_t)name;

	return gem_info_raw(handle, VMSM_INFO_SET_NAME, &value, &len, 0);
}

static void test_name(void)
{
	static const char name[] = "vmsm-gem-name";
	static const char long_name[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"; /* 46 bytes */
	struct vmsm_bo *bo;
	char buf[64];
	uint64_t value;
	uint32_t len;

	vmsm_lib_ok(vmsm_bo_new(dev, 4096, VMSM_BO_WC, &bo));

	vmsm_lib_ok(vmsm_bo_set_name(bo, name));
	memset(buf, 0x5a, sizeof(buf));
	igt_assert_eq(vmsm_bo_get_name(bo, buf, sizeof(buf)), strlen(name));
	igt_assert_f(!strcmp(buf, name), "name '%s'\n", buf);

	/* Raw: len comes back as the name's length. */
	memset(buf, 0, sizeof(buf));
	value = (uintptr_t)buf;
	len = sizeof(buf);
	igt_assert_eq(gem_info_raw(vmsm_bo_handle(bo), VMSM_INFO_GET_NAME,
				   &value, &len, 0), 0);
	igt_assert_eq_u32(len, strlen(name));
	igt_assert(!memcmp(buf, name, strlen(name)));

	/* At most 31 bytes are kept. */
	vmsm_lib_ok(vmsm_bo_set_name(bo, long_name));
	memset(buf, 0, sizeof(buf));
	igt_assert_eq(vmsm_bo_get_name(bo, buf, sizeof(buf)), 31);
	igt_assert_f(!strncmp(buf, long_name, 31) && buf[31] == '\0',
		     "name '%s'\n", buf);

	/* An explicit length shorter than the string. */
	igt_assert_eq(set_name_raw(vmsm_bo_handle(bo), long_name, 5), 0);
	memset(buf, 0, sizeof(buf));
	igt_assert_eq(vmsm_bo_get_name(bo, buf, sizeof(buf)), 5);
	igt_assert_f(!strcmp(buf, "01234"), "name '%s'\n", buf);

	/* The empty name. */
	igt_assert_eq(set_name_raw(vmsm_bo_handle(bo), "", 0), 0);
	igt_assert_eq(vmsm_bo_get_name(bo, buf, sizeof(buf)), 0);
	igt_assert_eq(buf[0], '\0');

	/* A bad name pointer. */
	value = 16;
	len = 8;
	igt_assert_eq(gem_info_raw(vmsm_bo_handle(bo), VMSM_INFO_SET_NAME,
				   &value, &len, 0), -EFAULT);
	value = 16;
	len = 8;
	vmsm_lib_ok(vmsm_bo_set_name(bo, name));
	igt_assert_eq(gem_info_raw(vmsm_bo_handle(bo), VMSM_INFO_GET_NAME,
				   &value, &len, 0), -EFAULT);

	vmsm_bo_free(bo);
}

static void test_name_short_buffer(void)
{
	static const char name[] = "a-longer-debug-name";	/* 19 bytes */
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	char buf[32];
	uint64_t value;
	uint32_t len;

	igt_assert_eq(set_name_raw(handle, name, strlen(name)), 0);

	/* A 4-byte buffer: 4 bytes at most are written, len is the length. */
	memset(buf, 0x5a, sizeof(buf));
	value = (uintptr_t)buf;
	len = 4;
	igt_assert_eq(gem_info_raw(handle, VMSM_INFO_GET_NAME, &value, &len, 0), 0);
	igt_assert_eq_u32(len, strlen(name));
	igt_assert(!memcmp(buf, name, 4) || buf[3] == '\0');
	igt_assert_f(buf[4] == 0x5a, "GET_NAME wrote past the buffer\n");

	/* A zero-length buffer: nothing is written, len is the length. */
	memset(buf, 0x5a, sizeof(buf));
	len = 0;
	igt_assert_eq(gem_info_raw(handle, VMSM_INFO_GET_NAME, &value, &len, 0), 0);
	igt_assert_eq_u32(len, strlen(name));
	igt_assert_eq(buf[0], 0x5a);

	/* libvmsm truncates and terminates. */
	{
		struct vmsm_bo *bo;

		vmsm_lib_ok(vmsm_bo_from_handle(dev, handle, &bo));
		memset(buf, 0x5a, sizeof(buf));
		igt_assert_eq(vmsm_bo_get_name(bo, buf, 6), strlen(name));
		igt_assert_f(!strcmp(buf, "a-lon"), "name '%s'\n", buf);
		igt_assert_eq(buf[6], 0x5a);
		vmsm_bo_free(bo);	/* closes handle */
	}
}

static void test_info_bad_query(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	static const uint32_t bad[] = {
		VMSM_INFO_GET_NAME + 1, 64, 0x80000000u, 0xffffffffu,
	};
	unsigned int i;
	uint64_t value;
	uint32_t len;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		value = 0;
		len = 0;
		igt_assert_eq(gem_info_raw(handle, bad[i], &value, &len, 0),
			      -EINVAL);
	}
	/* len must be zero for the queries without a buffer. */
	for (i = VMSM_INFO_GET_MMAP_OFFSET; i <= VMSM_INFO_GET_FLAGS; i++) {
		value = 0;
		len = 1;
		igt_assert_eq(gem_info_raw(handle, i, &value, &len, 0), -EINVAL);
	}
	vmsm_gem_close(fd, handle);
}

static void test_info_nonzero_pad(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	uint32_t info, len;
	uint64_t value;

	for (info = VMSM_INFO_GET_MMAP_OFFSET; info <= VMSM_INFO_GET_NAME; info++) {
		char buf[8] = "abc";

		value = info >= VMSM_INFO_SET_NAME ? (uintptr_t)buf : 0;
		len = info >= VMSM_INFO_SET_NAME ? 3 : 0;
		igt_assert_f(gem_info_raw(handle, info, &value, &len, 1) == -EINVAL,
			     "query %u with pad 1\n", info);
		len = info >= VMSM_INFO_SET_NAME ? 3 : 0;
		igt_assert_f(gem_info_raw(handle, info, &value, &len,
					  0x80000000u) == -EINVAL,
			     "query %u with pad 1<<31\n", info);
	}
	vmsm_gem_close(fd, handle);
}

static void test_info_bad_handle(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	static const uint32_t bad[] = { 0, 0xdeadbeef, 0xffffffffu };
	unsigned int i;
	uint32_t info;
	uint64_t value;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		for (info = VMSM_INFO_GET_MMAP_OFFSET; info <= VMSM_INFO_GET_FLAGS; info++) {
			igt_assert_f(__vmsm_gem_info(fd, bad[i], info, &value) == -ENOENT,
				     "handle %#x query %u\n", bad[i], info);
		}
	}
	/* handle + 1 is not ours either. */
	igt_assert_eq(__vmsm_gem_info(fd, handle + 1, VMSM_INFO_GET_SIZE, &value),
		      -ENOENT);
	vmsm_gem_close(fd, handle);
}

/* One 64 KiB object of a cache mode: write and read a pattern by the CPU. */
static void test_mmap(uint32_t flags)
{
	const uint64_t size = 64 << 10;
	struct vmsm_bo *bo;
	uint32_t *ptr, *again, *second;
	uint64_t offset, i;

	if (!mode_supported(flags)) {
		/*
		 * A mode the device cannot give: refused. (The coherent device
		 * of vmsm_coherency's two-device setup maps CACHED_COHERENT.)
		 */
		igt_assert_eq(vmsm_bo_new(dev, size, flags, &bo), -EINVAL);
		igt_info("cache mode %#x refused on a non-coherent device\n", flags);
		return;
	}
	vmsm_lib_ok(vmsm_bo_new(dev, size, flags, &bo));
	vmsm_lib_ok(vmsm_bo_map(bo, (void **)&ptr));
	vmsm_lib_ok(vmsm_bo_map(bo, (void **)&again));
	igt_assert(ptr == again);

	/* A new object reads as zeroes. */
	vmsm_lib_ok(vmsm_bo_cpu_prep(bo, VMSM_PREP_READ | VMSM_PREP_WRITE, 0));
	for (i = 0; i < size / 4; i++)
		igt_assert_f(ptr[i] == 0, "dword %llu of a new object: %#x\n",
			     (unsigned long long)i, ptr[i]);
	for (i = 0; i < size / 4; i++)
		ptr[i] = 0x9e3779b9u * (uint32_t)(i + 1);
	vmsm_lib_ok(vmsm_bo_cpu_fini(bo));

	/* A second mapping of the same offset sees the same pages. */
	offset = vmsm_gem_info(fd, vmsm_bo_handle(bo), VMSM_INFO_GET_MMAP_OFFSET);
	second = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      vmsm_device_fd(dev), offset);
	igt_assert(second != MAP_FAILED);
	vmsm_lib_ok(vmsm_bo_cpu_prep(bo, VMSM_PREP_READ, 0));
	for (i = 0; i < size / 4; i++)
		igt_assert_f(second[i] == 0x9e3779b9u * (uint32_t)(i + 1),
			     "dword %llu: %#x\n", (unsigned long long)i, second[i]);
	second[7] = 0xc0ffee;
	igt_assert_eq_u32(ptr[7], 0xc0ffee);
	vmsm_lib_ok(vmsm_bo_cpu_fini(bo));
	munmap(second, size);

	vmsm_bo_free(bo);
}

static void test_mmap_closed(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	uint64_t offset = vmsm_gem_info(fd, handle, VMSM_INFO_GET_MMAP_OFFSET);
	void *ptr;

	vmsm_gem_close(fd, handle);
	ptr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert_f(ptr == MAP_FAILED, "mmap of a closed object's offset worked\n");
}

static void test_mmap_bad(void)
{
	uint32_t handle = vmsm_gem_new(fd, 2 * page_size, VMSM_BO_WC);
	uint64_t offset = vmsm_gem_info(fd, handle, VMSM_INFO_GET_MMAP_OFFSET);
	int other = drm_reopen_driver(fd);
	void *ptr;

	/* Larger than the object. */
	ptr = mmap(NULL, 3 * page_size, PROT_READ, MAP_SHARED, fd, offset);
	igt_assert_f(ptr == MAP_FAILED, "mmap past the object's end worked\n");
	/* Another file has no access to the object. */
	ptr = mmap(NULL, page_size, PROT_READ, MAP_SHARED, other, offset);
	igt_assert_f(ptr == MAP_FAILED, "another file mapped the object\n");
	/* The DRM core looks the offset up exactly: not inside an object. */
	ptr = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, offset + page_size);
	igt_assert_f(ptr == MAP_FAILED, "mmap inside the object's range worked\n");
	/* The whole object works. */
	ptr = mmap(NULL, 2 * page_size, PROT_READ, MAP_SHARED, fd, offset);
	igt_assert(ptr != MAP_FAILED);
	munmap(ptr, 2 * page_size);
	close(other);
	vmsm_gem_close(fd, handle);
}

static int cpu_prep_raw(uint32_t handle, uint32_t op, int64_t timeout_ns)
{
	struct drm_vmsm_gem_cpu_prep args = {
		.handle = handle,
		.op = op,
		.timeout_ns = timeout_ns,
	};

	return igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &args) ? -errno : 0;
}

static int cpu_fini_raw(uint32_t handle, uint32_t pad)
{
	struct drm_vmsm_gem_cpu_fini args = { .handle = handle, .pad = pad };

	return igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &args) ? -errno : 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void test_cpu_prep(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_CACHED);
	int64_t deadline = now_ns() + 1000000000ll;
	uint32_t bit;

	/* An idle object: no wait, whatever the deadline. */
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_READ, deadline), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_WRITE, deadline), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_READ | VMSM_PREP_WRITE,
				   deadline), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);
	/* A deadline in the past, 0, and the far future. */
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_READ, now_ns() - 1000), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_READ, 0), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_READ, INT64_MAX), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);

	/* NOSYNC on an idle object. */
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_READ | VMSM_PREP_NOSYNC, 0), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_WRITE | VMSM_PREP_NOSYNC, 0), 0);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);

	/* libvmsm: relative timeouts. */
	{
		struct vmsm_bo *bo;

		vmsm_lib_ok(vmsm_bo_new(dev, 4096, VMSM_BO_CACHED, &bo));
		vmsm_lib_ok(vmsm_bo_cpu_prep(bo, VMSM_PREP_READ, 0));
		vmsm_lib_ok(vmsm_bo_cpu_fini(bo));
		vmsm_lib_ok(vmsm_bo_cpu_prep(bo, VMSM_PREP_WRITE, VMSM_TIMEOUT_INFINITE));
		vmsm_lib_ok(vmsm_bo_cpu_fini(bo));
		vmsm_lib_ok(vmsm_bo_cpu_prep(bo, VMSM_PREP_WRITE, 1000000));
		vmsm_lib_ok(vmsm_bo_cpu_fini(bo));
		vmsm_bo_free(bo);
	}

	/* Unknown op bits. */
	for (bit = 0; bit < 32; bit++) {
		if ((1u << bit) & VMSM_PREP_FLAGS)
			continue;
		igt_assert_f(cpu_prep_raw(handle, VMSM_PREP_READ | (1u << bit),
					  deadline) == -EINVAL,
			     "op %#x\n", VMSM_PREP_READ | (1u << bit));
	}
	vmsm_gem_close(fd, handle);
}

static void test_cpu_prep_no_access(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_CACHED);
	int64_t deadline = now_ns() + 1000000000ll;

	/* The op must name the access to come: READ and/or WRITE. */
	igt_assert_eq(cpu_prep_raw(handle, 0, deadline), -EINVAL);
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_NOSYNC, deadline), -EINVAL);
	vmsm_gem_close(fd, handle);
}

static void test_cpu_prep_bad_handle(void)
{
	int64_t deadline = now_ns() + 1000000000ll;
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_CACHED);

	igt_assert_eq(cpu_prep_raw(0, VMSM_PREP_READ, deadline), -ENOENT);
	igt_assert_eq(cpu_prep_raw(0xdeadbeef, VMSM_PREP_READ, deadline), -ENOENT);
	igt_assert_eq(cpu_prep_raw(handle + 1, VMSM_PREP_WRITE, deadline), -ENOENT);
	igt_assert_eq(cpu_prep_raw(handle + 1, VMSM_PREP_WRITE | VMSM_PREP_NOSYNC,
				   0), -ENOENT);
	vmsm_gem_close(fd, handle);
	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_READ, deadline), -ENOENT);
}

static void test_cpu_fini(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_CACHED);

	igt_assert_eq(cpu_prep_raw(handle, VMSM_PREP_WRITE, 0), 0);
	igt_assert_eq(cpu_fini_raw(handle, 1), -EINVAL);
	igt_assert_eq(cpu_fini_raw(handle, 0x80000000u), -EINVAL);
	igt_assert_eq(cpu_fini_raw(handle, 0), 0);
	igt_assert_eq(cpu_fini_raw(0, 0), -ENOENT);
	igt_assert_eq(cpu_fini_raw(0xdeadbeef, 0), -ENOENT);
	igt_assert_eq(cpu_fini_raw(handle + 1, 0), -ENOENT);
	vmsm_gem_close(fd, handle);
	igt_assert_eq(cpu_fini_raw(handle, 0), -ENOENT);
}

static void test_close_handle(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	uint64_t value;

	vmsm_gem_info(fd, handle, VMSM_INFO_GET_IOVA);
	vmsm_gem_close(fd, handle);
	igt_assert_eq(__vmsm_gem_info(fd, handle, VMSM_INFO_GET_SIZE, &value),
		      -ENOENT);
	igt_assert_eq(__vmsm_gem_info(fd, handle, VMSM_INFO_GET_IOVA, &value),
		      -ENOENT);
	/* The DRM core's answer to an unknown handle. */
	igt_assert_eq(__vmsm_gem_close(fd, handle), -EINVAL);
}

/* A mapping outlives the handle: the pages stay until munmap(). */
static void test_close_mapped(void)
{
	uint32_t handle = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	uint64_t offset = vmsm_gem_info(fd, handle, VMSM_INFO_GET_MMAP_OFFSET);
	volatile uint32_t *ptr;

	ptr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert(ptr != MAP_FAILED);
	ptr[0] = 0x12345678;
	vmsm_gem_close(fd, handle);
	igt_assert_eq_u32(ptr[0], 0x12345678);
	ptr[1] = 0x9abcdef0;
	igt_assert_eq_u32(ptr[1], 0x9abcdef0);
	munmap((void *)ptr, 4096);
}

static void test_prime_self_import(void)
{
	struct vmsm_bo *bo, *imported;
	int dmabuf = -1;

	vmsm_lib_ok(vmsm_bo_new(dev, 8192, VMSM_BO_WC, &bo));
	vmsm_lib_ok(vmsm_bo_export_dmabuf(bo, &dmabuf));
	vmsm_lib_ok(vmsm_bo_import_dmabuf(dev, dmabuf, &imported));
	igt_assert(imported == bo);
	igt_assert_eq_u32(vmsm_bo_handle(imported), vmsm_bo_handle(bo));
	vmsm_bo_free(imported);
	close(dmabuf);
	vmsm_bo_free(bo);
}

/* Every other way into another file: vmsm_share. */
static void test_no_share(void)
{
	struct vmsm_bo *bo;
	int dmabuf = -1;

	vmsm_lib_ok(vmsm_bo_new(dev, 4096, VMSM_BO_WC | VMSM_BO_NO_SHARE, &bo));
	vmsm_lib_err(vmsm_bo_export_dmabuf(bo, &dmabuf), EPERM);
	vmsm_bo_free(bo);
}

/*
 * With no file of ours holding objects, vmsm_objects counts none: objects
 * freed with their last handle, and with their file.
 */
static void test_debugfs_objects(void)
{
	uint32_t handles[8];
	int other, before, during, after, kernel;
	unsigned int i;

	before = vmsm_debugfs_count(fd, "objects");
	igt_require_f(before >= 0, "no 'objects N' line in vmsm_objects\n");
	igt_assert_eq(before, 0);
	igt_assert_eq(vmsm_debugfs_count(fd, "clients"), 1);
	kernel = vmsm_debugfs_count(fd, "kernel_clients");
	igt_assert_lte(0, kernel);
	/* One address space per open file: ours and in-kernel clients'. */
	igt_assert_eq(vmsm_debugfs_count(fd, "vms"), 1 + kernel);
	/* The display engine's own, counted apart. */
	igt_assert_eq(vmsm_debugfs_count(fd, "display_vms"), 1);

	for (i = 0; i < ARRAY_SIZE(handles); i++) {
		handles[i] = vmsm_gem_new(fd, 4096 * (i + 1), VMSM_BO_WC);
		vmsm_gem_info(fd, handles[i], VMSM_INFO_GET_IOVA);
	}
	during = vmsm_debugfs_count(fd, "objects");
	igt_assert_eq(during, (int)ARRAY_SIZE(handles));
	for (i = 0; i < ARRAY_SIZE(handles); i++)
		vmsm_gem_close(fd, handles[i]);
	igt_assert_eq(vmsm_debugfs_count(fd, "objects"), 0);

	/* Objects left behind by a closed file go with it. */
	other = drm_reopen_driver(fd);
	for (i = 0; i < ARRAY_SIZE(handles); i++) {
		uint32_t handle = 0;

		igt_assert_eq(__vmsm_gem_new(other, 4096, VMSM_BO_CACHED, &handle), 0);
	}
	igt_assert_eq(vmsm_debugfs_count(fd, "objects"), (int)ARRAY_SIZE(handles));
	igt_assert_eq(vmsm_debugfs_count(fd, "clients"), 2);
	igt_assert_eq(vmsm_debugfs_count(fd, "vms"), 2 + kernel);
	close(other);
	after = vmsm_debugfs_count(fd, "objects");
	igt_assert_eq(after, 0);
	igt_assert_eq(vmsm_debugfs_count(fd, "clients"), 1);
	igt_assert_eq(vmsm_debugfs_count(fd, "vms"), 1 + kernel);
	igt_assert_eq(vmsm_debugfs_count(fd, "kernel_clients"), kernel);
	igt_assert_eq(vmsm_debugfs_count(fd, "display_vms"), 1);
}

/* The debug name, size and flags of an object show in debugfs vmsm_gem. */
static void test_debugfs_gem(void)
{
	const size_t len = 1 << 20;
	struct vmsm_bo *bo;
	char *buf = malloc(len), line[128];
	uint64_t iova;
	int ret;

	igt_assert(buf);
	vmsm_lib_ok(vmsm_bo_new(dev, 3 * page_size, VMSM_BO_UNCACHED | VMSM_BO_NO_SHARE,
			   &bo));
	vmsm_lib_ok(vmsm_bo_set_name(bo, "igt-debugfs-gem"));
	vmsm_lib_ok(vmsm_bo_iova(bo, &iova));
	ret = igt_vmsm_debugfs_read(fd, "vmsm_gem", buf, len);
	igt_require_f(ret >= 0, "no vmsm_gem in debugfs\n");
	snprintf(line, sizeof(line), "size %llu flags 0x%x ",
		 (unsigned long long)(3 * page_size),
		 VMSM_BO_UNCACHED | VMSM_BO_NO_SHARE);
	igt_assert_f(strstr(buf, line), "no line with '%s' in:\n%s", line, buf);
	igt_assert_f(strstr(buf, "name \"igt-debugfs-gem\""),
		     "the name is not shown:\n%s", buf);
	snprintf(line, sizeof(line), "iova 0x%llx", (unsigned long long)iova);
	igt_assert_f(strstr(buf, line), "no '%s' in:\n%s", line, buf);
	vmsm_bo_free(bo);

	/* Gone with its handle. */
	ret = igt_vmsm_debugfs_read(fd, "vmsm_gem", buf, len);
	igt_assert_lte(0, ret);
	igt_assert_f(!strstr(buf, "igt-debugfs-gem"), "freed object listed:\n%s", buf);
	free(buf);
}

igt_main
{
	static unsigned int i;

	igt_fixture {
		fd = igt_vmsm_open_driver();
		igt_assert_eq(vmsm_device_from_fd(fd, &dev), 0);
		page_size = sysconf(_SC_PAGESIZE);
		max_bo_size = vmsm_get_param(fd, VMSM_PARAM_MAX_BO_SIZE);
		va_start = vmsm_get_param(fd, VMSM_PARAM_VA_START);
		va_size = vmsm_get_param(fd, VMSM_PARAM_VA_SIZE);
		coherent = vmsm_get_param(fd, VMSM_PARAM_COHERENT);
	}

	igt_describe("GEM_NEW with each cache mode, alone and with GPU_READONLY "
		     "and NO_SHARE; CACHED_COHERENT only on a coherent device.");
	igt_subtest("gem-new")
		test_gem_new();

	igt_describe("Sizes round up to the page size; 0, more than MAX_BO_SIZE "
		     "and sizes that wrap when rounded are EINVAL.");
	igt_subtest("sizes")
		test_sizes();

	igt_describe("Unknown flag bits and cache modes 0 and 5..15 are EINVAL.");
	igt_subtest("bad-flags")
		test_bad_flags();

	igt_describe("GEM_INFO size, flags, mmap offset and iova: stable, page "
		     "aligned, iova inside [VA_START, VA_START + VA_SIZE).");
	igt_subtest("gem-info")
		test_gem_info();

	igt_describe("SET_NAME/GET_NAME round trip, 31-byte limit, bad pointers.");
	igt_subtest("gem-info-name")
		test_name();

	igt_describe("GET_NAME into a short buffer: truncated, len is the length.");
	igt_subtest("gem-info-name-short-buffer")
		test_name_short_buffer();

	igt_describe("Unknown queries, and len on a query without buffer: EINVAL.");
	igt_subtest("gem-info-bad-query")
		test_info_bad_query();

	igt_describe("GEM_INFO with non-zero pad: EINVAL for every query.");
	igt_subtest("gem-info-nonzero-pad")
		test_info_nonzero_pad();

	igt_describe("GEM_INFO on handles the file does not have: ENOENT.");
	igt_subtest("gem-info-bad-handle")
		test_info_bad_handle();

	for (i = 0; i < ARRAY_SIZE(cache_modes); i++) {
		igt_describe("Write and read a pattern through the mmap of an "
			     "object of this cache mode (a mode the device "
			     "does not have: EINVAL).");
		igt_subtest_f("mmap-%s", cache_modes[i].name)
			test_mmap(cache_modes[i].flags);
	}

	igt_describe("mmap of the offset of a closed object fails.");
	igt_subtest("mmap-closed")
		test_mmap_closed();

	igt_describe("mmap past the object's end, inside it, or through another "
		     "file fails.");
	igt_subtest("mmap-bad")
		test_mmap_bad();

	igt_describe("CPU_PREP of an idle object: 0, also with NOSYNC and any "
		     "deadline; unknown op bits: EINVAL.");
	igt_subtest("cpu-prep")
		test_cpu_prep();

	igt_describe("CPU_PREP without READ or WRITE: EINVAL.");
	igt_subtest("cpu-prep-no-access")
		test_cpu_prep_no_access();

	igt_describe("CPU_PREP on handles the file does not have: ENOENT.");
	igt_subtest("cpu-prep-bad-handle")
		test_cpu_prep_bad_handle();

	igt_describe("CPU_FINI: non-zero pad EINVAL, bad handle ENOENT.");
	igt_subtest("cpu-fini")
		test_cpu_fini();

	igt_describe("After GEM_CLOSE the handle is gone: GEM_INFO ENOENT.");
	igt_subtest("close-handle")
		test_close_handle();

	igt_describe("A CPU mapping stays usable after GEM_CLOSE.");
	igt_subtest("close-mapped")
		test_close_mapped();

	igt_describe("Importing an exported object gives the same handle.");
	igt_subtest("prime-self-import")
		test_prime_self_import();

	igt_describe("NO_SHARE objects refuse PRIME export: EPERM.");
	igt_subtest("no-share")
		test_no_share();

	igt_describe("debugfs vmsm_objects counts objects and is back to 0 "
		     "once they are closed, also by closing their file.");
	igt_subtest("debugfs-objects")
		test_debugfs_objects();

	igt_describe("debugfs vmsm_gem lists an object's size, flags, GPU "
		     "address and name, and forgets it once freed.");
	igt_subtest("debugfs-gem")
		test_debugfs_gem();

	igt_fixture {
		vmsm_device_close(dev);
		drm_close_driver(fd);
	}
}
