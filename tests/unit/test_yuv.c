// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of vmsm_yuv.c: the Y'CbCr <-> R'G'B' conversions of the
 * display engine and the command processor, against the ITU-R BT.601,
 * BT.709 and BT.2020 equations computed in floating point. Every output
 * code must be within 0.53 of the exact value (the bound vmsm_yuv.c
 * derives from its 16-bit weights), and equal to it where it is a code.
 */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "vmsm_yuv.h"

static const double kr_kb[3][2] = {
	{ 0.299, 0.114 }, { 0.2126, 0.0722 }, { 0.2627, 0.0593 },
};

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void exact_rgb(int enc, bool full, unsigned int bits, int y, int cb, int cr,
		      double rgb[3])
{
	double kr = kr_kb[enc][0], kb = kr_kb[enc][1], kg = 1 - kr - kb;
	double s = 1 << (bits - 8), half = 1 << (bits - 1), m = (1 << bits) - 1;
	double yy, pb, pr, r, b;

	yy = full ? y / m : (y - 16 * s) / (219 * s);
	pb = full ? (cb - half) / m : (cb - half) / (224 * s);
	pr = full ? (cr - half) / m : (cr - half) / (224 * s);
	r = yy + 2 * (1 - kr) * pr;
	b = yy + 2 * (1 - kb) * pb;
	rgb[0] = clamp01(r) * 255;
	rgb[1] = clamp01((yy - kr * r - kb * b) / kg) * 255;
	rgb[2] = clamp01(b) * 255;
}

static void check_code(unsigned int got, double exact, const char *what)
{
	double n = round(exact);

	if (fabs(exact - n) < 1e-9 ? got != n : fabs(got - exact) >= 0.53)
		fail_msg("%s: %u, exact %.4f", what, got, exact);
}

static void check_to_rgb(int enc, bool full, unsigned int bits)
{
	struct vmsm_yuv_to_rgb m;
	unsigned int max = (1u << bits) - 1, step = bits == 8 ? 1 : 3;
	unsigned int y, cb, cr, i;
	double rgb[3];
	char what[64];
	u32 px;

	vmsm_yuv_to_rgb_init(&m, enc, full, bits);
	for (y = 0; y <= max; y += step) {
		for (cb = 0; cb <= max; cb += 5 * step) {
			for (cr = 0; cr <= max; cr += 7 * step) {
				px = vmsm_yuv_to_argb(&m, y, cb, cr);
				assert_int_equal(px >> 24, 0xff);
				exact_rgb(enc, full, bits, y, cb, cr, rgb);
				for (i = 0; i < 3; i++) {
					snprintf(what, sizeof(what), "enc %d full %d %u-bit %u/%u/%u ch %u",
						 enc, full, bits, y, cb, cr, i);
					check_code(px >> (16 - 8 * i) & 0xff, rgb[i], what);
				}
			}
		}
	}
}

static void test_yuv_to_rgb(void **state)
{
	int enc;

	(void)state;
	for (enc = 0; enc < 3; enc++) {
		check_to_rgb(enc, false, 8);
		check_to_rgb(enc, true, 8);
		check_to_rgb(enc, false, 10);
		check_to_rgb(enc, true, 10);
	}
}

/* Black, white and grey are exact in every encoding and range. */
static void test_yuv_exact_points(void **state)
{
	struct vmsm_yuv_to_rgb m;
	int enc;

	(void)state;
	for (enc = 0; enc < 3; enc++) {
		vmsm_yuv_to_rgb_init(&m, enc, false, 8);
		assert_int_equal(vmsm_yuv_to_argb(&m, 16, 128, 128), 0xff000000);
		assert_int_equal(vmsm_yuv_to_argb(&m, 235, 128, 128), 0xffffffff);
		vmsm_yuv_to_rgb_init(&m, enc, true, 8);
		assert_int_equal(vmsm_yuv_to_argb(&m, 0, 128, 128), 0xff000000);
		assert_int_equal(vmsm_yuv_to_argb(&m, 255, 128, 128), 0xffffffff);
		assert_int_equal(vmsm_yuv_to_argb(&m, 128, 128, 128), 0xff808080);
		vmsm_yuv_to_rgb_init(&m, enc, false, 10);
		assert_int_equal(vmsm_yuv_to_argb(&m, 64, 512, 512), 0xff000000);
		assert_int_equal(vmsm_yuv_to_argb(&m, 940, 512, 512), 0xffffffff);
		vmsm_yuv_to_rgb_init(&m, enc, true, 10);
		assert_int_equal(vmsm_yuv_to_argb(&m, 1023, 512, 512), 0xffffffff);
	}
}

static void exact_yuv(int enc, bool full, unsigned int bits, const u32 *px,
		      unsigned int n, double out[3])
{
	double kr = kr_kb[enc][0], kb = kr_kb[enc][1], kg = 1 - kr - kb;
	double s = 1 << (bits - 8), half = 1 << (bits - 1), m = (1 << bits) - 1;
	double dy = full ? m : 219 * s, dc = full ? m : 224 * s, yoff = full ? 0 : 16 * s;
	double pb = 0, pr = 0, r, g, b, y;
	unsigned int i;

	for (i = 0; i < n; i++) {
		r = (px[i] >> 16 & 0xff) / 255.0;
		g = (px[i] >> 8 & 0xff) / 255.0;
		b = (px[i] & 0xff) / 255.0;
		y = kr * r + kg * g + kb * b;
		if (!i)
			out[0] = yoff + dy * y;
		pb += (b - y) / (2 * (1 - kb)) / n;
		pr += (r - y) / (2 * (1 - kr)) / n;
	}
	out[1] = half + dc * pb;
	out[2] = half + dc * pr;
}

static void test_rgb_to_yuv(void **state)
{
	struct vmsm_rgb_to_yuv m;
	unsigned int full, bits, n, i, j;
	char what[64];
	double e[3];
	u32 px[4], cb, cr;
	int enc;

	(void)state;
	for (enc = 0; enc < 3; enc++) {
		for (full = 0; full < 2; full++) {
			for (bits = 8; bits <= 10; bits += 2) {
				vmsm_rgb_to_yuv_init(&m, enc, full, bits);
				for (i = 0; i < 40000; i++) {
					n = 1 + i % 4;
					for (j = 0; j < n; j++)
						px[j] = (i * 2654435761u + j * 40503u) & 0xffffff;
					if (i < 8)	/* black and white blocks */
						for (j = 0; j < n; j++)
							px[j] = i & 1 ? 0xffffff : 0;
					exact_yuv(enc, full, bits, px, n, e);
					snprintf(what, sizeof(what), "enc %d full %u %u-bit px %06x n %u",
						 enc, full, bits, px[0], n);
					check_code(vmsm_rgb_to_y(&m, px[0]), e[0], what);
					vmsm_rgb_to_cbcr(&m, px, n, &cb, &cr);
					check_code(cb, e[1], what);
					check_code(cr, e[2], what);
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yuv_to_rgb),
		cmocka_unit_test(test_yuv_exact_points),
		cmocka_unit_test(test_rgb_to_yuv),
	};

	return cmocka_run_group_tests_name("yuv", tests, NULL, NULL);
}
