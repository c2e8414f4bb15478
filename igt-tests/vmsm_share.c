// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_share: a VMSM_BO_NO_SHARE object stays in the DRM file that created
 * it, whichever way another file asks for a handle to it: GEM_OPEN of a
 * flink name, PRIME, GETFB and GETFB2, from native and from 32-bit
 * processes (the same source is built both ways: amd64's lane runs
 * vmsm_share and vmsm_share32, whose ioctls go through the kernel's compat
 * path), and while another thread changes the handle a flink call names.
 *
 * Every subtest also checks that an ordinary object does share the same
 * way, so that a driver refusing everything fails.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

/* One and two CPU pages: sizes tell the two objects apart on any kernel. */
#define SZ_PLAIN	((uint32_t)getpagesize())
#define SZ_SECRET	(2 * SZ_PLAIN)
#define FB_SIZE		64u
#define RACE_ROUNDS	5000

static int card = -1;
static int other = -1;

static uint32_t flink(int fd, uint32_t handle)
{
	struct drm_gem_flink f = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_GEM_FLINK, &f);
	igt_assert_neq_u32(f.name, 0);
	return f.name;
}

/* GEM_OPEN of @name in @fd: 0 and the handle and size, or -errno. */
static int flink_open(int fd, uint32_t name, uint32_t *handle, uint64_t *size)
{
	struct drm_gem_open o = { .name = name };

	if (igt_ioctl(fd, DRM_IOCTL_GEM_OPEN, &o))
		return -errno;
	*handle = o.handle;
	*size = o.size;
	return 0;
}

static void test_flink_name(void)
{
	uint32_t plain = vmsm_gem_new(card, SZ_PLAIN, VMSM_BO_WC);
	uint32_t secret = vmsm_gem_new(card, SZ_SECRET, VMSM_BO_WC | VMSM_BO_NO_SHARE);
	uint32_t h;
	uint64_t size;

	igt_assert_eq(flink_open(other, flink(card, plain), &h, &size), 0);
	igt_assert_eq_u64(size, SZ_PLAIN);
	vmsm_gem_close(other, h);

	igt_assert_eq(flink_open(other, flink(card, secret), &h, &size), -EPERM);
	/* The creating file may open its own name. */
	igt_assert_eq(flink_open(card, flink(card, secret), &h, &size), 0);
	igt_assert_eq_u64(size, SZ_SECRET);
	vmsm_gem_close(card, h);

	vmsm_gem_close(card, secret);
	vmsm_gem_close(card, plain);
}

static int prime_export(int fd, uint32_t handle, int *dmabuf)
{
	struct drm_prime_handle p = { .handle = handle, .flags = DRM_CLOEXEC };

	if (igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p))
		return -errno;
	*dmabuf = p.fd;
	return 0;
}

static void test_prime(void)
{
	uint32_t plain = vmsm_gem_new(card, SZ_PLAIN, VMSM_BO_WC);
	uint32_t secret = vmsm_gem_new(card, SZ_SECRET, VMSM_BO_WC | VMSM_BO_NO_SHARE);
	struct drm_prime_handle imp = { };
	int dmabuf = -1;

	igt_assert_eq(prime_export(card, plain, &dmabuf), 0);
	imp.fd = dmabuf;
	do_ioctl(other, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	vmsm_gem_close(other, imp.handle);
	close(dmabuf);

	igt_assert_eq(prime_export(card, secret, &dmabuf), -EPERM);
	vmsm_gem_close(card, secret);
	vmsm_gem_close(card, plain);
}

static uint32_t add_fb(int fd, uint32_t handle)
{
	struct drm_mode_fb_cmd2 f = {
		.width = FB_SIZE,
		.height = FB_SIZE,
		.pixel_format = DRM_FORMAT_XRGB8888,
		.handles = { handle },
		.pitches = { FB_SIZE * 4 },
	};

	do_ioctl(fd, DRM_IOCTL_MODE_ADDFB2, &f);
	return f.fb_id;
}

static void rm_fb(int fd, uint32_t fb_id)
{
	do_ioctl(fd, DRM_IOCTL_MODE_RMFB, &fb_id);
}

/* GETFB2 of @fb_id in @fd: 0 and the first plane's handle, or -errno. */
static int getfb2(int fd, uint32_t fb_id, uint32_t *handle)
{
	struct drm_mode_fb_cmd2 f = { .fb_id = fb_id };

	if (igt_ioctl(fd, DRM_IOCTL_MODE_GETFB2, &f))
		return -errno;
	*handle = f.handles[0];
	return 0;
}

static int getfb(int fd, uint32_t fb_id, uint32_t *handle)
{
	struct drm_mode_fb_cmd f = { .fb_id = fb_id };

	if (igt_ioctl(fd, DRM_IOCTL_MODE_GETFB, &f))
		return -errno;
	*handle = f.handle;
	return 0;
}

/*
 * GETFB and GETFB2 make a handle for a framebuffer's object in the calling
 * file when it is master or has CAP_SYS_ADMIN (the tests run as root).
 */
static void test_getfb(void)
{
	uint32_t flags = VMSM_BO_WC | VMSM_BO_SCANOUT;
	uint32_t plain = vmsm_gem_new(card, FB_SIZE * FB_SIZE * 4, flags);
	uint32_t secret = vmsm_gem_new(card, FB_SIZE * FB_SIZE * 4,
				       flags | VMSM_BO_NO_SHARE);
	uint32_t fb_plain = add_fb(card, plain);
	uint32_t fb_secret = add_fb(card, secret);
	uint32_t h = 0;

	igt_assert_eq(getfb2(other, fb_plain, &h), 0);
	igt_assert_neq_u32(h, 0);
	vmsm_gem_close(other, h);
	igt_assert_eq(getfb(other, fb_plain, &h), 0);
	igt_assert_neq_u32(h, 0);
	vmsm_gem_close(other, h);

	igt_assert_eq(getfb2(other, fb_secret, &h), -EPERM);
	igt_assert_eq(getfb(other, fb_secret, &h), -EPERM);
	/* The creating file gets a handle back. */
	igt_assert_eq(getfb2(card, fb_secret, &h), 0);
	igt_assert_neq_u32(h, 0);
	if (h != secret)
		vmsm_gem_close(card, h);

	rm_fb(card, fb_secret);
	rm_fb(card, fb_plain);
	vmsm_gem_close(card, secret);
	vmsm_gem_close(card, plain);
}

struct race {
	struct drm_gem_flink arg;	/* the flinking thread's argument */
	uint32_t plain, secret;
	volatile int stop;
};

/* Flips the handle that the flinking thread's argument names. */
static void *flip_handle(void *arg)
{
	struct race *r = arg;

	volatile uint32_t *handle = &r->arg.handle;

	while (!r->stop)
		*handle = *handle == r->plain ? r->secret : r->plain;
	return NULL;
}

/*
 * One thread flinks with an argument whose handle another thread keeps
 * changing between an ordinary and a NO_SHARE object: whatever the DRM core
 * read, the name it returns never opens the NO_SHARE object in another
 * file.
 */
static void test_flink_race(void)
{
	struct race r = { };
	unsigned int opened = 0, refused = 0, i;
	struct drm_gem_flink *f = &r.arg;
	pthread_t thread;

	r.plain = vmsm_gem_new(card, SZ_PLAIN, VMSM_BO_WC);
	r.secret = vmsm_gem_new(card, SZ_SECRET, VMSM_BO_WC | VMSM_BO_NO_SHARE);
	f->handle = r.plain;
	igt_assert_eq(pthread_create(&thread, NULL, flip_handle, &r), 0);
	for (i = 0; i < RACE_ROUNDS; i++) {
		uint32_t name, h;
		uint64_t size;
		int ret;

		if (igt_ioctl(card, DRM_IOCTL_GEM_FLINK, f))
			continue;
		name = f->name;
		ret = flink_open(other, name, &h, &size);
		if (ret == -EPERM) {
			refused++;
			continue;
		}
		igt_assert_eq(ret, 0);
		igt_assert_eq_u64(size, SZ_PLAIN);
		vmsm_gem_close(other, h);
		opened++;
	}
	r.stop = 1;
	pthread_join(thread, NULL);
	igt_info("%u names opened the ordinary object, %u were refused\n",
		 opened, refused);
	igt_assert_lt(0, opened);
	vmsm_gem_close(card, r.secret);
	vmsm_gem_close(card, r.plain);
}

igt_main
{
	igt_fixture {
		card = igt_vmsm_open_driver();
		other = drm_reopen_driver(card);
		igt_info("%zu-bit process\n", sizeof(long) * 8);
	}

	igt_describe("A flink name of a NO_SHARE object opens in no other file.");
	igt_subtest("flink-name")
		test_flink_name();

	igt_describe("PRIME export of a NO_SHARE object fails with EPERM.");
	igt_subtest("prime")
		test_prime();

	igt_describe("GETFB and GETFB2 make no handle to a NO_SHARE object in another file.");
	igt_subtest("getfb")
		test_getfb();

	igt_describe("Changing the flinked handle from another thread reaches no NO_SHARE object.");
	igt_subtest("flink-race")
		test_flink_race();

	igt_fixture {
		drm_close_driver(other);
		drm_close_driver(card);
	}
}
