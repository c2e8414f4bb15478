// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_kms_compose: exact composition of what the display engine accepts.
 * Cursors of sizes from 1x1 to the 64x64 maximum, square and not (32x10,
 * 64x21, ...), atomic and legacy, on screen, partially off each edge and
 * fully off, captured by writeback and compared pixel by pixel with a
 * reference composed here from the framebuffers' contents with the uAPI's
 * blend equations (lib/igt_kms.c's vmsm_kms_ref_compose(), which fails the
 * subtest if a scene's blend is not exact).
 */

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define CURSOR_MAX		64
/* what the subtests place on screen fits in this */
#define MODE_MIN_W		320
#define MODE_MIN_H		240

static int fd = -1;

static struct {
	struct vmsm_kms_res res;
	uint32_t crtc, conn, wb, primary, cursor;
	struct drm_mode_modeinfo mode;
	uint32_t mode_blob;
	unsigned int w, h;
	uint64_t blend_premulti;
} d;

static struct vmsm_kms_fb prim, wbfb;

/* Black and white 8x8 squares: the backgrounds on which the blends are exact. */
static uint32_t primary_pattern(uint32_t x, uint32_t y)
{
	return (x / 8 + y / 8) & 1 ? 0xffffff : 0;
}

/*
 * Pre-multiplied cursor pixels: opaque colours, transparent, and alpha
 * 0x80 with colours up to 0x80 (over white: the colour plus 127, exact).
 */
static uint32_t cursor_pattern(uint32_t x, uint32_t y)
{
	switch ((x + 2 * y) % 3) {
	case 0:
		return 0xff000000u | ((x * 37) & 0xff) << 16 | ((y * 53) & 0xff) << 8 | 0x5a;
	case 1:
		return 0;
	default:
		return 0x80000000u | ((x * 5) % 0x81) << 16 | ((y * 7) % 0x81) << 8 | 0x40;
	}
}

static void close_display(void)
{
	if (fd < 0)
		return;
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbfb);
	vmsm_kms_unmap_all();
	drm_close_driver(fd);
	fd = -1;
}

static void open_display(void)
{
	struct vmsm_kms_connector c;
	struct vmsm_kms_req r;
	unsigned int i;

	close_display();
	fd = vmsm_kms_open();
	memset(&d, 0, sizeof(d));
	vmsm_kms_get_res(fd, &d.res);
	d.crtc = d.res.crtcs[0];
	d.conn = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_VIRTUAL, 0);
	d.wb = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_WRITEBACK, 0);
	d.primary = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_PRIMARY, 0, 0);
	d.cursor = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_CURSOR, 0, 0);
	vmsm_kms_get_connector(fd, d.conn, &c, true);
	/*
	 * The smallest listed mode that holds the test's planes: every
	 * capture is checked pixel by pixel, and the size changes nothing
	 * in how a pixel is composed.
	 */
	for (i = 0; i < c.nr_modes; i++)
		if (c.modes[i].hdisplay >= MODE_MIN_W && c.modes[i].vdisplay >= MODE_MIN_H &&
		    (!d.mode.hdisplay ||
		     c.modes[i].hdisplay * c.modes[i].vdisplay <
		     d.mode.hdisplay * d.mode.vdisplay))
			d.mode = c.modes[i];
	igt_assert_lt(0, d.mode.hdisplay);
	d.w = d.mode.hdisplay;
	d.h = d.mode.vdisplay;
	d.mode_blob = vmsm_kms_mode_blob(fd, &d.mode);
	d.blend_premulti = vmsm_kms_prop_enum(fd, d.cursor, DRM_MODE_OBJECT_PLANE,
					 "pixel blend mode", "Pre-multiplied");
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim);
	vmsm_kms_fb_fill(&prim, primary_pattern);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wbfb);

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", d.mode_blob);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", d.crtc);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", d.crtc);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, &prim, 0, 0, d.w, d.h, 0, 0);
	vmsm_kms_plane_off(fd, &r, d.cursor);
	vmsm_kms_req_add_name(fd, &r, d.cursor, DRM_MODE_OBJECT_PLANE, "alpha", 0xffff);
	vmsm_kms_req_add_name(fd, &r, d.cursor, DRM_MODE_OBJECT_PLANE, "pixel blend mode",
			 d.blend_premulti);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
}

static void capture(void)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wbfb.fb_id, 0);
}

/* The capture equals the primary with the cursor @fb at (x, y) on top. */
static void check_scene(const struct vmsm_kms_fb *cur, int x, int y, const char *what)
{
	struct vmsm_kms_ref_plane p[2] = {
		{ .fb = &prim, .src_w = d.w, .src_h = d.h, .alpha = 0xffff,
		  .blend = VMSM_KMS_BLEND_PREMULTI },
		{ .fb = cur, .src_w = cur ? cur->width : 0, .src_h = cur ? cur->height : 0,
		  .crtc_x = x, .crtc_y = y, .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI,
		  .zpos = 3 },
	};
	uint32_t *ref = malloc((size_t)d.w * d.h * 4);
	unsigned int px, py, bad = 0;

	igt_assert(ref);
	vmsm_kms_ref_compose(ref, d.w, d.h, p, cur ? 2 : 1);
	capture();
	for (py = 0; py < d.h; py++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)wbfb.map +
							 (uint64_t)py * wbfb.pitch);

		for (px = 0; px < d.w; px++) {
			if (((row[px] ^ ref[py * d.w + px]) & 0xffffff) == 0)
				continue;
			if (!bad++)
				igt_warn("%s: (%u, %u) is %#08x, expected %#08x\n", what, px, py,
					 row[px] & 0xffffff, ref[py * d.w + px] & 0xffffff);
		}
	}
	free(ref);
	igt_assert_f(bad == 0, "%s: %u pixels differ\n", what, bad);
}

static const unsigned int sizes[][2] = {
	{ 1, 1 }, { 2, 2 }, { 1, 64 }, { 64, 1 }, { 32, 10 }, { 10, 32 }, { 64, 21 },
	{ 21, 64 }, { 7, 13 }, { 33, 33 }, { 63, 64 }, { 64, 63 }, { 64, 64 },
};

/* Atomic cursors of each size, on screen, off each edge in part, and off it all. */
static void test_cursor_sizes(void)
{
	unsigned int i, j;
	char what[96];

	open_display();
	check_scene(NULL, 0, 0, "no cursor");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int w = sizes[i][0], h = sizes[i][1];
		const int pos[][2] = {
			{ 100, 100 }, { -(int)w / 2, -(int)h / 2 },
			{ (int)d.w - (int)(w + 1) / 2, (int)d.h - (int)(h + 1) / 2 },
			{ (int)d.w + 5, 10 }, { 10, -(int)h },
		};
		struct vmsm_kms_fb cur;

		vmsm_kms_dumb_fb(fd, w, h, DRM_FORMAT_ARGB8888, &cur);
		vmsm_kms_fb_fill(&cur, cursor_pattern);
		for (j = 0; j < ARRAY_SIZE(pos); j++) {
			struct vmsm_kms_req r;
			bool visible = pos[j][0] < (int)d.w && pos[j][1] < (int)d.h &&
				       pos[j][0] + (int)w > 0 && pos[j][1] + (int)h > 0;

			vmsm_kms_req_init(&r);
			vmsm_kms_plane_req(fd, &r, d.cursor, d.crtc, &cur, 0, 0, w, h,
				      pos[j][0], pos[j][1]);
			vmsm_kms_commit(fd, &r, 0);
			snprintf(what, sizeof(what), "%ux%u cursor at (%d, %d)", w, h,
				 pos[j][0], pos[j][1]);
			check_scene(visible ? &cur : NULL, pos[j][0], pos[j][1], what);
		}
		{
			struct vmsm_kms_req r;

			vmsm_kms_req_init(&r);
			vmsm_kms_plane_off(fd, &r, d.cursor);
			vmsm_kms_commit(fd, &r, 0);
		}
		vmsm_kms_fb_free(&cur);
	}
	close_display();
}

/*
 * The legacy cursor ioctl (CURSOR2) makes a framebuffer of the requested
 * size from the handle (the DRM core, pitch width * 4): non-square and
 * small sizes too.
 */
static void test_cursor_legacy_sizes(void)
{
	unsigned int i;
	char what[96];

	open_display();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int w = sizes[i][0], h = sizes[i][1];
		struct drm_mode_cursor2 c2 = { .flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE,
					       .crtc_id = 0, .x = 200, .y = 150,
					       .width = w, .height = h };
		struct vmsm_kms_fb bo, view;

		/* a buffer laid out at pitch w * 4, as the core will read it */
		vmsm_kms_dumb_fb(fd, CURSOR_MAX, CURSOR_MAX, DRM_FORMAT_ARGB8888, &bo);
		view = bo;
		view.width = w;
		view.height = h;
		view.pitch = w * 4;
		vmsm_kms_fb_fill(&view, cursor_pattern);
		c2.crtc_id = d.crtc;
		c2.handle = bo.handle;
		do_ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &c2);
		igt_assert_eq_u64(vmsm_kms_prop_value(fd, d.cursor, DRM_MODE_OBJECT_PLANE, "CRTC_W"), w);
		igt_assert_eq_u64(vmsm_kms_prop_value(fd, d.cursor, DRM_MODE_OBJECT_PLANE, "CRTC_H"), h);
		snprintf(what, sizeof(what), "legacy %ux%u cursor", w, h);
		check_scene(&view, 200, 150, what);
		c2.flags = DRM_MODE_CURSOR_BO;
		c2.handle = 0;
		do_ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &c2);
		vmsm_kms_fb_free(&bo);
	}
	close_display();
}

/* ---- plane alpha and blend modes ---- */

#define AP_X	64
#define AP_Y	48
#define AP_W	256
#define AP_H	128

/*
 * Valid pre-multiplied pixels (colour at most alpha) with every kind of
 * alpha: 0, 1, middle values, 254, 255; as 8-bit A, R, G, B.
 */
static void alpha_pixel(uint32_t x, uint32_t y, unsigned int argb[4])
{
	static const unsigned int alphas[] = { 0, 1, 0x40, 0x7f, 0x80, 0xc0, 0xfe, 0xff };
	unsigned int a = alphas[(x / 8 + y / 8) % 8];

	argb[0] = a;
	argb[1] = a ? (x * 7 + y) % (a + 1) : 0;
	argb[2] = a ? (y * 3 + x / 2) % (a + 1) : 0;
	argb[3] = a ? (x ^ y) % (a + 1) : 0;
}

/* The pixel in @format's bits (2-bit alpha and 10-bit colours for 2101010). */
static uint32_t alpha_raw(uint32_t format, uint32_t x, uint32_t y)
{
	unsigned int p[4];

	alpha_pixel(x, y, p);
	switch (format) {
	case DRM_FORMAT_ABGR8888:
		return p[0] << 24 | p[3] << 16 | p[2] << 8 | p[1];
	case DRM_FORMAT_ARGB2101010:
		/* alpha 0..3 and colours at most alpha * 1023 / 3 */
		{
			unsigned int a2 = p[0] >> 6, lim = a2 * 341;

			return a2 << 30 | (p[1] * 4 % (lim + 1)) << 20 |
			       (p[2] * 4 % (lim + 1)) << 10 | (p[3] * 4 % (lim + 1));
		}
	default:
		return p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	}
}

/* Alpha in [0, 1] and colour channels on the 0..255 scale of a raw pixel. */
static void alpha_real(uint32_t format, uint32_t v, double *a, double c[3])
{
	unsigned int i;

	if (format == DRM_FORMAT_ARGB2101010) {
		*a = (v >> 30) / 3.0;
		for (i = 0; i < 3; i++)
			c[i] = ((v >> (20 - 10 * i)) & 0x3ff) * 255.0 / 1023;
		return;
	}
	*a = (v >> 24) / 255.0;
	if (format == DRM_FORMAT_ABGR8888) {
		c[0] = v & 0xff;
		c[1] = (v >> 8) & 0xff;
		c[2] = (v >> 16) & 0xff;
	} else {
		c[0] = (v >> 16) & 0xff;
		c[1] = (v >> 8) & 0xff;
		c[2] = v & 0xff;
	}
}

static bool plane_has_format(uint32_t plane, uint32_t format)
{
	unsigned int i, j;

	for (i = 0; i < d.res.nr_planes; i++)
		if (d.res.planes[i].id == plane)
			for (j = 0; j < d.res.planes[i].nr_formats; j++)
				if (d.res.planes[i].formats[j] == format)
					return true;
	return false;
}

/*
 * The capture against the uAPI's blend equations ("pixel blend mode"),
 * per channel, with the plane alpha pa and pixel alpha fa in [0, 1]:
 *   None:           pa * fg + (1 - pa) * bg
 *   Pre-multiplied: pa * fg + (1 - pa * fa) * bg
 *   Coverage:       pa * fa * fg + (1 - pa * fa) * bg
 * The bottom plane blends over opaque black. The device composes in 8
 * bits per channel: its result must be within 0.5 of the exact value,
 * plus what its documented 16-bit rounding of pa * fa can move it
 * (0.5 / 65535 of fg + bg, at most 510), plus for 10-bit colours their
 * narrowing to 8 bits (0.5, scaled by the factor of fg).
 */
static void check_alpha(const struct vmsm_kms_fb *fb, int x0, int y0, const struct vmsm_kms_fb *under,
			uint16_t alpha, unsigned int mode, const char *what)
{
	double pa = alpha / 65535.0, fa, fg[3], bg, kf, kb, exact, tol, worst = 0;
	unsigned int x, y, ch, bad = 0;

	capture();
	for (y = 0; y < d.h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)wbfb.map +
							 (uint64_t)y * wbfb.pitch);

		for (x = 0; x < d.w; x++) {
			bool in = (int)x >= x0 && (int)x < x0 + (int)fb->width &&
				  (int)y >= y0 && (int)y < y0 + (int)fb->height;
			uint32_t below = under ? vmsm_kms_fb_pixel_argb(under, x, y) : 0;

			if (!in) {
				bad += ((row[x] ^ below) & 0xffffff) != 0;
				continue;
			}
			alpha_real(fb->format, ((const uint32_t *)((const uint8_t *)fb->map +
				   (uint64_t)(y - y0) * fb->pitch))[x - x0], &fa, fg);
			kf = mode == 2 ? pa * fa : pa;
			kb = mode == 0 ? 1 - pa : 1 - pa * fa;
			for (ch = 0; ch < 3; ch++) {
				bg = (below >> (16 - 8 * ch)) & 0xff;
				exact = kf * fg[ch] + kb * bg;
				tol = 0.5 + (fg[ch] + bg) * 0.5 / 65535 + 1e-9;
				if (fb->format == DRM_FORMAT_ARGB2101010)
					tol += 0.5 * kf;
				exact = fabs(((row[x] >> (16 - 8 * ch)) & 0xff) - exact);
				worst = fmax(worst, exact);
				if (exact > tol && !bad++)
					igt_warn("%s: (%u, %u) channel %u off by %.4f (tolerance %.4f)\n",
						 what, x, y, ch, exact, tol);
			}
		}
	}
	igt_debug("%s: largest difference %.4f\n", what, worst);
	igt_assert_f(bad == 0, "%s: %u pixels or channels out of tolerance\n", what, bad);
}

/*
 * Every plane, every format of it with alpha, each blend mode, plane
 * alpha across its 16-bit range: accepted (TEST_ONLY and real commits)
 * and composed as the equations say.
 */
static void test_plane_alpha(void)
{
	static const uint32_t formats[] = {
		DRM_FORMAT_ARGB8888, DRM_FORMAT_ABGR8888, DRM_FORMAT_ARGB2101010,
	};
	static const char *const modes[] = { "None", "Pre-multiplied", "Coverage" };
	static const uint16_t alphas[] = { 0, 1, 0x3fff, 0x8000, 0xc001, 0xfffe, 0xffff };
	uint32_t planes[4];
	unsigned int p, f, m, a, n = 0;
	char what[128];

	open_display();
	planes[0] = d.primary;
	for (p = 0, a = 1; p < d.res.nr_planes; p++)
		if (d.res.planes[p].type == DRM_PLANE_TYPE_OVERLAY &&
		    d.res.planes[p].possible_crtcs == 1 && a < 3)
			planes[a++] = d.res.planes[p].id;
	igt_assert_eq(a, 3);
	planes[3] = d.cursor;

	for (p = 0; p < 4; p++) {
		for (f = 0; f < ARRAY_SIZE(formats); f++) {
			struct vmsm_kms_fb fb;
			bool primary = planes[p] == d.primary;
			unsigned int w = primary ? d.w : planes[p] == d.cursor ? CURSOR_MAX : AP_W;
			unsigned int h = primary ? d.h : planes[p] == d.cursor ? CURSOR_MAX : AP_H;
			int x0 = primary ? 0 : AP_X, y0 = primary ? 0 : AP_Y;

			if (!plane_has_format(planes[p], formats[f]))
				continue;
			vmsm_kms_dumb_fb(fd, w, h, formats[f], &fb);
			for (uint32_t y = 0; y < h; y++)
				for (uint32_t x = 0; x < w; x++)
					((uint32_t *)((uint8_t *)fb.map +
						      (uint64_t)y * fb.pitch))[x] =
						alpha_raw(formats[f], x, y);
			for (m = 0; m < 3; m++) {
				uint64_t mode = vmsm_kms_prop_enum(fd, planes[p], DRM_MODE_OBJECT_PLANE,
							      "pixel blend mode", modes[m]);

				for (a = 0; a < ARRAY_SIZE(alphas); a++) {
					struct vmsm_kms_req r;

					vmsm_kms_req_init(&r);
					vmsm_kms_plane_req(fd, &r, planes[p], d.crtc, &fb, 0, 0, w, h,
						      x0, y0);
					vmsm_kms_req_add_name(fd, &r, planes[p], DRM_MODE_OBJECT_PLANE,
							 "alpha", alphas[a]);
					vmsm_kms_req_add_name(fd, &r, planes[p], DRM_MODE_OBJECT_PLANE,
							 "pixel blend mode", mode);
					snprintf(what, sizeof(what), "plane %u %.4s %s alpha %#06x",
						 planes[p], (const char *)&formats[f], modes[m],
						 alphas[a]);
					igt_assert_f(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY,
								  0) == 0, "%s: refused\n", what);
					vmsm_kms_commit(fd, &r, 0);
					check_alpha(&fb, x0, y0, primary ? NULL : &prim, alphas[a],
						    m, what);
					n++;
				}
			}
			/* back to the plain scene */
			{
				struct vmsm_kms_req r;

				vmsm_kms_req_init(&r);
				if (primary)
					vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, &prim, 0, 0,
						      d.w, d.h, 0, 0);
				else
					vmsm_kms_plane_off(fd, &r, planes[p]);
				vmsm_kms_req_add_name(fd, &r, planes[p], DRM_MODE_OBJECT_PLANE,
						 "alpha", 0xffff);
				vmsm_kms_commit(fd, &r, 0);
			}
			vmsm_kms_fb_free(&fb);
		}
	}
	igt_info("%u plane/format/mode/alpha combinations\n", n);
	close_display();
}

igt_main
{
	igt_describe("Atomic cursors from 1x1 to 64x64, square and not (32x10, 64x21, ...), on screen, partially and fully off screen: writeback equals the reference composition.");
	igt_subtest("cursor-sizes")
		test_cursor_sizes();

	igt_describe("Legacy CURSOR2 with the same sizes, the framebuffer the core makes shown exactly.");
	igt_subtest("cursor-legacy-sizes")
		test_cursor_legacy_sizes();

	igt_describe("Each plane and format with alpha, each blend mode, plane alpha 0 to 0xffff: accepted, and composed within the rounding of the uAPI's equations.");
	igt_subtest("plane-alpha")
		test_plane_alpha();

	igt_fixture
		close_display();
}
