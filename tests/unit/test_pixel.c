// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of vmsm_pixel.c: the display engine's row conversions from
 * every scanout format to ARGB8888 and back to the writeback formats, and
 * its blending (plane alpha, the three blend modes), checked against the
 * DRM equations computed in floating point.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <drm_fourcc.h>

#include "vmsm_pixel.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define OPAQUE		0xff000000u

static u32 load_one(u32 format, const u8 *bytes)
{
	vmsm_pixel_load_fn load;
	unsigned int cpp;
	u32 px = 0;

	load = vmsm_pixel_loader(format, &cpp);
	assert_non_null(load);
	load(&px, bytes, 1);
	return px;
}

static void test_load_32bpp(void **state)
{
	const u8 px[4] = { 0x11, 0x22, 0x33, 0x44 };	/* little-endian 0x44332211 */

	(void)state;
	assert_int_equal(load_one(DRM_FORMAT_ARGB8888, px), 0x44332211);
	assert_int_equal(load_one(DRM_FORMAT_XRGB8888, px), 0xff332211);
	assert_int_equal(load_one(DRM_FORMAT_ABGR8888, px), 0x44112233);
	assert_int_equal(load_one(DRM_FORMAT_XBGR8888, px), 0xff112233);
}

static void test_load_rgb565(void **state)
{
	static const struct {
		u16 in;
		u32 out;
	} cases[] = {
		{ 0x0000, 0xff000000 },
		{ 0xffff, 0xffffffff },
		{ 0xf800, 0xffff0000 },
		{ 0x07e0, 0xff00ff00 },
		{ 0x001f, 0xff0000ff },
		{ 0x8410, 0xff848284 },	/* 10000 100000 10000 */
	};
	unsigned int i;
	u8 b[2];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		b[0] = cases[i].in & 0xff;
		b[1] = cases[i].in >> 8;
		assert_int_equal(load_one(DRM_FORMAT_RGB565, b), cases[i].out);
	}
}

static void test_loader_cpp(void **state)
{
	unsigned int cpp = 99;

	(void)state;
	assert_non_null(vmsm_pixel_loader(DRM_FORMAT_XRGB8888, &cpp));
	assert_int_equal(cpp, 4);
	assert_non_null(vmsm_pixel_loader(DRM_FORMAT_RGB565, &cpp));
	assert_int_equal(cpp, 2);
	assert_non_null(vmsm_pixel_loader(DRM_FORMAT_RGB888, &cpp));
	assert_int_equal(cpp, 3);
	assert_non_null(vmsm_pixel_loader(DRM_FORMAT_XRGB2101010, &cpp));
	assert_int_equal(cpp, 4);
	assert_null(vmsm_pixel_loader(DRM_FORMAT_NV12, &cpp));
	assert_int_equal(cpp, 0);
	assert_null(vmsm_pixel_loader(DRM_FORMAT_RGBA1010102, &cpp));
}

/* RGB888 is blue first in memory, BGR888 red first. */
static void test_load_24bpp(void **state)
{
	const u8 px[3] = { 0x11, 0x22, 0x33 };

	(void)state;
	assert_int_equal(load_one(DRM_FORMAT_RGB888, px), 0xff332211);
	assert_int_equal(load_one(DRM_FORMAT_BGR888, px), 0xff112233);
}

static void le32(u8 *b, u32 v)
{
	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

/* 10-bit channels to the nearest 8-bit value, 2-bit alpha by 0x55. */
static void test_load_2101010(void **state)
{
	u8 b[4];
	u32 c;

	(void)state;
	le32(b, 0x3ff00000);
	assert_int_equal(load_one(DRM_FORMAT_XRGB2101010, b), 0xffff0000);
	le32(b, 0x000ffc00);
	assert_int_equal(load_one(DRM_FORMAT_XRGB2101010, b), 0xff00ff00);
	le32(b, 0x400003ff);
	assert_int_equal(load_one(DRM_FORMAT_XRGB2101010, b), 0xff0000ff);
	assert_int_equal(load_one(DRM_FORMAT_ARGB2101010, b), 0x550000ff);
	le32(b, 0xc0000000);
	assert_int_equal(load_one(DRM_FORMAT_ARGB2101010, b), 0xff000000);
	/* 2 -> 0.498 -> 0, 3 -> 0.748 -> 1, 514 -> 128.1 -> 128, 1021 -> 254.5 -> 254 */
	for (c = 0; c < 1024; c++) {
		le32(b, c);
		assert_int_equal(load_one(DRM_FORMAT_XRGB2101010, b) & 0xff,
				 (c * 255 * 2 + 1023) / (2 * 1023));
	}
}

/* A row loads from any alignment and converts every pixel, no more. */
static void test_load_row_unaligned(void **state)
{
	enum { N = 7 };
	vmsm_pixel_load_fn load;
	u8 *buf = malloc(4 * N + 1);
	u32 out[N + 1];
	unsigned int cpp, i;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < 4 * N; i++)
		buf[1 + i] = i;
	out[N] = 0xdeadbeef;
	load = vmsm_pixel_loader(DRM_FORMAT_XRGB8888, &cpp);
	load(out, buf + 1, N);
	for (i = 0; i < N; i++)
		assert_int_equal(out[i], OPAQUE | (4 * i + 2) << 16 | (4 * i + 1) << 8 | 4 * i);
	assert_int_equal(out[N], 0xdeadbeef);
	free(buf);
}

static void test_store(void **state)
{
	const u32 src[2] = { 0xff102030, 0x80a0b0c0 };
	u8 out[9];

	(void)state;
	assert_true(vmsm_pixel_can_store(DRM_FORMAT_XRGB8888));
	assert_true(vmsm_pixel_can_store(DRM_FORMAT_ARGB8888));
	assert_false(vmsm_pixel_can_store(DRM_FORMAT_RGB565));
	assert_false(vmsm_pixel_can_store(DRM_FORMAT_ABGR8888));

	memset(out, 0x55, sizeof(out));
	vmsm_pixel_store_row(DRM_FORMAT_ARGB8888, out + 1, src, 2);
	assert_int_equal(out[0], 0x55);
	assert_int_equal(out[1], 0x30);
	assert_int_equal(out[2], 0x20);
	assert_int_equal(out[3], 0x10);
	assert_int_equal(out[4], 0xff);
	assert_int_equal(out[5], 0xc0);
	assert_int_equal(out[8], 0x80);

	vmsm_pixel_store_row(DRM_FORMAT_XRGB8888, out, src + 1, 1);
	assert_int_equal(out[0], 0xc0);
	assert_int_equal(out[3], 0xff);
}

/* XRGB2101010: the nearest 10-bit value, X set; 10 -> 8 -> 10 is exact. */
static void test_store_2101010(void **state)
{
	u32 c, px, v;
	u8 out[4], b[4];

	(void)state;
	assert_true(vmsm_pixel_can_store(DRM_FORMAT_XRGB2101010));
	assert_false(vmsm_pixel_can_store(DRM_FORMAT_ARGB2101010));
	for (c = 0; c < 256; c++) {
		px = 0x12000000 | c << 16 | (255 - c) << 8 | c;
		vmsm_pixel_store_row(DRM_FORMAT_XRGB2101010, out, &px, 1);
		v = out[0] | out[1] << 8 | out[2] << 16 | (u32)out[3] << 24;
		assert_int_equal(v >> 30, 3);
		assert_int_equal((v >> 20) & 0x3ff, (c * 1023 * 2 + 255) / (2 * 255));
		assert_int_equal((v >> 10) & 0x3ff, ((255 - c) * 1023 * 2 + 255) / (2 * 255));
		/* back through the loader: the same 8-bit value */
		memcpy(b, out, 4);
		assert_int_equal(load_one(DRM_FORMAT_XRGB2101010, b), px | 0xff000000);
	}
}

static const enum vmsm_blend modes[] = {
	VMSM_BLEND_NONE, VMSM_BLEND_PREMULTI, VMSM_BLEND_COVERAGE,
};

static u32 blend_one(u32 bg, u32 fg, u16 alpha, enum vmsm_blend mode)
{
	vmsm_pixel_blend_row(&bg, &fg, 1, alpha, mode);
	return bg;
}

/* A transparent plane leaves the frame alone, whatever its pixels. */
static void test_blend_transparent_plane(void **state)
{
	unsigned int m;

	(void)state;
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		assert_int_equal(blend_one(0xff123456, 0xffffffff, 0, modes[m]), 0xff123456);
		assert_int_equal(blend_one(0xff123456, 0x00ffffff, 0, modes[m]), 0xff123456);
	}
}

/* An opaque plane of opaque pixels replaces the frame exactly. */
static void test_blend_opaque(void **state)
{
	unsigned int m;

	(void)state;
	for (m = 0; m < ARRAY_SIZE(modes); m++)
		assert_int_equal(blend_one(0xff123456, 0xff654321, VMSM_ALPHA_OPAQUE,
					   modes[m]), 0xff654321);
	/* None ignores the pixel alpha, and the result is opaque. */
	assert_int_equal(blend_one(0xff123456, 0x00654321, VMSM_ALPHA_OPAQUE,
				   VMSM_BLEND_NONE), 0xff654321);
}

static void test_blend_pixel_alpha(void **state)
{
	(void)state;
	/* Coverage: a transparent pixel shows what is below. */
	assert_int_equal(blend_one(0xff123456, 0x00ffffff, VMSM_ALPHA_OPAQUE,
				   VMSM_BLEND_COVERAGE), 0xff123456);
	/* Pre-multiplied: a transparent pixel adds its colour, clamped. */
	assert_int_equal(blend_one(0xff808080, 0x00808001, VMSM_ALPHA_OPAQUE,
				   VMSM_BLEND_PREMULTI), 0xffffff81);
	/* Half-covered white on black. */
	assert_int_equal(blend_one(0xff000000, 0x80ffffff, VMSM_ALPHA_OPAQUE,
				   VMSM_BLEND_COVERAGE), 0xff808080);
	assert_int_equal(blend_one(0xff000000, 0x80808080, VMSM_ALPHA_OPAQUE,
				   VMSM_BLEND_PREMULTI), 0xff808080);
}

/* The DRM equations in floating point, one channel. */
static double reference(double bg, double fg, double pa, double fa,
			enum vmsm_blend mode)
{
	double out;

	switch (mode) {
	case VMSM_BLEND_NONE:
		out = pa * fg + (1 - pa) * bg;
		break;
	case VMSM_BLEND_PREMULTI:
		out = pa * fg + (1 - pa * fa) * bg;
		break;
	default:
		out = pa * fa * fg + (1 - pa * fa) * bg;
		break;
	}
	return out > 1 ? 1 : out;
}

/* Random pixels: within one step of the exact result, always opaque. */
static void test_blend_matches_reference(void **state)
{
	enum { N = 256 };
	u32 bg[N], fg[N], out[N];
	unsigned int m, i, iter, shift;
	double want;
	u16 alpha;
	int got;

	(void)state;
	srand(1);
	for (iter = 0; iter < 200; iter++) {
		alpha = rand() & 0xffff;
		for (i = 0; i < N; i++) {
			bg[i] = OPAQUE | (rand() & 0xffffff);
			fg[i] = (u32)rand() << 8 ^ rand();
		}
		for (m = 0; m < ARRAY_SIZE(modes); m++) {
			memcpy(out, bg, sizeof(out));
			vmsm_pixel_blend_row(out, fg, N, alpha, modes[m]);
			for (i = 0; i < N; i++) {
				assert_int_equal(out[i] >> 24, 0xff);
				for (shift = 0; shift < 24; shift += 8) {
					want = 255 * reference(((bg[i] >> shift) & 0xff) / 255.0,
							       ((fg[i] >> shift) & 0xff) / 255.0,
							       alpha / 65535.0,
							       (fg[i] >> 24) / 255.0, modes[m]);
					got = (out[i] >> shift) & 0xff;
					assert_true(got >= want - 1 && got <= want + 1);
				}
			}
		}
	}
}

/* The same inputs always give the same row (equal frames, equal CRCs). */
static void test_blend_deterministic(void **state)
{
	enum { N = 64 };
	u32 fg[N], a[N], b[N];
	unsigned int i;

	(void)state;
	for (i = 0; i < N; i++) {
		fg[i] = i * 0x04030201u;
		a[i] = OPAQUE | i * 0x010203u;
	}
	memcpy(b, a, sizeof(a));
	vmsm_pixel_blend_row(a, fg, N, 0x4321, VMSM_BLEND_COVERAGE);
	vmsm_pixel_blend_row(b, fg, N, 0x4321, VMSM_BLEND_COVERAGE);
	assert_memory_equal(a, b, sizeof(a));
}

/*
 * The Y'CbCr row loaders: each format's sample layout (plane order, CbCr
 * order, P010's high bits), and the chroma sample each pixel takes, from
 * an even and an odd first column.
 */
static void test_load_yuv_layouts(void **state)
{
	static const u32 formats[] = {
		DRM_FORMAT_NV12, DRM_FORMAT_NV21, DRM_FORMAT_NV16,
		DRM_FORMAT_YUV420, DRM_FORMAT_YVU420, DRM_FORMAT_P010,
	};
	struct vmsm_yuv_to_rgb m;
	u8 luma[16], c0[16], c1[16];
	const u8 *src[3] = { luma, c0, c1 };
	u32 row[7], y, cb, cr;
	unsigned int f, x0, i, k;

	(void)state;
	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		bool p010 = formats[f] == DRM_FORMAT_P010;

		assert_true(vmsm_pixel_yuv_format(formats[f]));
		vmsm_yuv_to_rgb_init(&m, VMSM_YUV_BT709, true, p010 ? 10 : 8);
		for (x0 = 0; x0 < 2; x0++) {
			/* codes: luma 20 + 30 i, Cb 40 + 50 k, Cr 200 - 40 k */
			for (i = 0; i < 7; i++) {
				if (p010) {
					luma[2 * i] = ((20 + 30 * i) << 6) & 0xff;
					luma[2 * i + 1] = (20 + 30 * i) >> 2;
				} else {
					luma[i] = 20 + 30 * i;
				}
			}
			for (k = 0; k < 4; k++) {
				cb = 40 + 50 * k;
				cr = 200 - 40 * k;
				switch (formats[f]) {
				case DRM_FORMAT_P010:
					c0[4 * k] = (cb << 6) & 0xff;
					c0[4 * k + 1] = cb >> 2;
					c0[4 * k + 2] = (cr << 6) & 0xff;
					c0[4 * k + 3] = cr >> 2;
					break;
				case DRM_FORMAT_NV21:
					c0[2 * k] = cr;
					c0[2 * k + 1] = cb;
					break;
				case DRM_FORMAT_YUV420:
					c0[k] = cb;
					c1[k] = cr;
					break;
				case DRM_FORMAT_YVU420:
					c0[k] = cr;
					c1[k] = cb;
					break;
				default:
					c0[2 * k] = cb;
					c0[2 * k + 1] = cr;
					break;
				}
			}
			vmsm_pixel_load_yuv_row(formats[f], row, src, x0, 7, &m);
			for (i = 0; i < 7; i++) {
				k = (x0 + i) / 2 - x0 / 2;
				y = 20 + 30 * i;
				assert_int_equal(row[i], vmsm_yuv_to_argb(&m, y, 40 + 50 * k,
									  200 - 40 * k));
			}
		}
	}
	assert_false(vmsm_pixel_yuv_format(DRM_FORMAT_XRGB8888));
}

/* NV12 stores: luma per pixel, chroma of each block's mean, odd widths. */
static void test_store_nv12(void **state)
{
	const u32 row0[5] = { 0xff000000, 0xffffffff, 0xff102030, 0xff405060, 0xff808080 };
	const u32 row1[5] = { 0xffffffff, 0xff000000, 0xffa0b0c0, 0xff0000ff, 0xffff0000 };
	struct vmsm_rgb_to_yuv m;
	u8 y0[5], y1[5], c[6];
	u32 blk[4], cb, cr;
	unsigned int i;

	(void)state;
	vmsm_rgb_to_yuv_init(&m, VMSM_YUV_BT601, false, 8);
	memset(c, 0xee, sizeof(c));
	vmsm_pixel_store_nv12(y0, y1, c, row0, row1, 5, &m);
	for (i = 0; i < 5; i++) {
		assert_int_equal(y0[i], vmsm_rgb_to_y(&m, row0[i]));
		assert_int_equal(y1[i], vmsm_rgb_to_y(&m, row1[i]));
	}
	assert_int_equal(y0[0], 16);
	assert_int_equal(y0[1], 235);
	for (i = 0; i < 2; i++) {
		blk[0] = row0[2 * i];
		blk[1] = row0[2 * i + 1];
		blk[2] = row1[2 * i];
		blk[3] = row1[2 * i + 1];
		vmsm_rgb_to_cbcr(&m, blk, 4, &cb, &cr);
		assert_int_equal(c[2 * i], cb);
		assert_int_equal(c[2 * i + 1], cr);
	}
	/* the last column alone: a 1x2 block */
	blk[0] = row0[4];
	blk[1] = row1[4];
	vmsm_rgb_to_cbcr(&m, blk, 2, &cb, &cr);
	assert_int_equal(c[4], cb);
	assert_int_equal(c[5], cr);
	/* the first two blocks are grey on average: neutral chroma */
	assert_int_equal(c[0], 128);
	assert_int_equal(c[1], 128);

	/* without a second row (odd height), a 1x1 block at the end */
	vmsm_pixel_store_nv12(y0, NULL, c, row0, NULL, 5, &m);
	vmsm_rgb_to_cbcr(&m, &row0[4], 1, &cb, &cr);
	assert_int_equal(c[4], cb);
	assert_int_equal(c[5], cr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_32bpp),
		cmocka_unit_test(test_load_rgb565),
		cmocka_unit_test(test_load_24bpp),
		cmocka_unit_test(test_load_2101010),
		cmocka_unit_test(test_loader_cpp),
		cmocka_unit_test(test_load_row_unaligned),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_store_2101010),
		cmocka_unit_test(test_load_yuv_layouts),
		cmocka_unit_test(test_store_nv12),
		cmocka_unit_test(test_blend_transparent_plane),
		cmocka_unit_test(test_blend_opaque),
		cmocka_unit_test(test_blend_pixel_alpha),
		cmocka_unit_test(test_blend_matches_reference),
		cmocka_unit_test(test_blend_deterministic),
	};

	return cmocka_run_group_tests_name("vmsm_pixel", tests, NULL, NULL);
}
