// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_kms_color: colour management per CRTC (DEGAMMA_LUT, CTM, GAMMA_LUT
 * and the legacy gamma ramp). Writeback captures are compared pixel by
 * pixel, and pipe CRCs, with references computed here from the
 * framebuffers' contents and the uAPI's definition of the properties; the
 * errors of bad LUTs and matrices are checked.
 *
 * The model, from the uAPI (drm_color_mgmt.c's DOC and drm_mode.h): a
 * channel is a value in [0, 1], an 8-bit channel c being c / 255 and a
 * LUT entry v being v / 65535. The blended frame goes through the degamma
 * LUT, then the matrix (out = M x in, S31.32 sign-magnitude coefficients,
 * by rows), then the gamma LUT; a property at 0 is the identity. The uAPI
 * leaves the use of the entries to the hardware; the model takes a LUT of
 * n entries as the curve through (i / (n - 1), entry i), linear between
 * them, which is what vmsm documents. Values out of [0, 1] after the
 * matrix are clamped (a display cannot show them).
 *
 * Exactness: the device keeps 16 bits between the stages (the precision
 * of the LUT entries) and rounds to the nearest value. Where every lookup
 * lands on an entry and the matrix only copies, sums or saturates values,
 * the result is exact and the capture and CRC must equal the reference
 * rounded to 8 bits. Otherwise each rounding is off by at most
 * h = 0.5 / 65535, which later stages scale by their slope (the sum of
 * the absolute coefficients of a matrix row; the steepest segment of a
 * LUT); the final 8-bit value must then lie within 0.5 + 255 * E of
 * 255 * r, r being the exact result and E the scaled sum (see
 * model_error()). The CRC is only compared when the case is exact.
 */

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define LUT_SIZE		256
#define CTM_MAX			8192

static int fd = -1;

/* CRTC 0 and what is bound to it. */
static struct {
	struct vmsm_kms_res res;
	uint32_t crtc;
	uint32_t conn, wb;
	uint32_t primary, overlay;
	struct drm_mode_modeinfo mode;
	uint32_t mode_blob;
	unsigned int w, h;
	uint64_t blend_premulti;
} d;

static struct vmsm_kms_fb prim, ov, wbfb;

static uint64_t crtc_value(const char *name)
{
	return vmsm_kms_prop_value(fd, d.crtc, DRM_MODE_OBJECT_CRTC, name);
}

/* Where the overlay goes, when it is on. */
#define OV_X	100
#define OV_Y	50
#define OV_W	300
#define OV_H	200

/*
 * An address-dependent pattern in which every channel takes every value,
 * but white and black squares below the overlay, on which its blend is
 * exact.
 */
static uint32_t pattern(uint32_t x, uint32_t y)
{
	uint32_t r = x & 0xff, g = (y + x / 256 * 85) & 0xff, b = (x * 3 + y * 7) & 0xff;

	if (x >= OV_X && x < OV_X + OV_W && y >= OV_Y && y < OV_Y + OV_H)
		return (x / 16 + y / 16) & 1 ? 0xffffff : 0;
	return r << 16 | g << 8 | b;
}

/*
 * The overlay, Pre-multiplied: alpha 0x80 and colours up to 0x80, so that
 * over white the result is the colour plus 127 (exact), over black the
 * colour.
 */
static uint32_t ov_pattern(uint32_t x, uint32_t y)
{
	return 0x80000000u | ((x * 5) % 0x81) << 16 | ((y * 9) % 0x81) << 8 | 0x40;
}

static void close_display(void);

/* Opens the card as master, finds CRTC 0, modesets it with the primary. */
static void open_display(void)
{
	struct vmsm_kms_req r;

	close_display();
	fd = vmsm_kms_open();
	memset(&d, 0, sizeof(d));
	vmsm_kms_get_res(fd, &d.res);
	d.crtc = d.res.crtcs[0];
	d.conn = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_VIRTUAL, 0);
	d.wb = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_WRITEBACK, 0);
	d.primary = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_PRIMARY, 0, 0);
	d.overlay = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_OVERLAY, 0, 0);
	vmsm_kms_preferred_mode(fd, d.conn, &d.mode);
	igt_assert_lt(0, d.mode.hdisplay);
	d.w = d.mode.hdisplay;
	d.h = d.mode.vdisplay;
	d.mode_blob = vmsm_kms_mode_blob(fd, &d.mode);
	d.blend_premulti = vmsm_kms_prop_enum(fd, d.overlay, DRM_MODE_OBJECT_PLANE,
					 "pixel blend mode", "Pre-multiplied");

	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim);
	vmsm_kms_fb_fill(&prim, pattern);
	vmsm_kms_dumb_fb(fd, OV_W, OV_H, DRM_FORMAT_ARGB8888, &ov);
	vmsm_kms_fb_fill(&ov, ov_pattern);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wbfb);

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", d.mode_blob);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "DEGAMMA_LUT", 0);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "CTM", 0);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "GAMMA_LUT", 0);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", d.crtc);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", d.crtc);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, &prim, 0, 0, d.w, d.h, 0, 0);
	vmsm_kms_plane_off(fd, &r, d.overlay);
	vmsm_kms_plane_off(fd, &r, vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_CURSOR, 0, 0));
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
}

static void close_display(void)
{
	if (fd < 0)
		return;
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&ov);
	vmsm_kms_fb_free(&wbfb);
	vmsm_kms_unmap_all();
	drm_close_driver(fd);
	fd = -1;
}

/* ---- blobs ---- */

static uint32_t blob(const void *data, uint32_t len)
{
	struct drm_mode_create_blob b = { .data = (uintptr_t)data, .length = len };

	do_ioctl(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &b);
	return b.blob_id;
}

/* S31.32 sign-magnitude, as drm_mode.h defines the CTM's coefficients. */
static uint64_t s31_32(double v)
{
	uint64_t mag = (uint64_t)llround(fabs(v) * 4294967296.0);

	return v < 0 ? mag | 1ull << 63 : mag;
}

static uint32_t ctm_blob(const double m[9])
{
	struct drm_color_ctm ctm;
	unsigned int i;

	for (i = 0; i < 9; i++)
		ctm.matrix[i] = s31_32(m[i]);
	return blob(&ctm, sizeof(ctm));
}

/* ---- the model ---- */

struct color {
	const struct drm_color_lut *degamma;
	unsigned int degamma_n;
	const double *ctm;		/* 9 coefficients, by rows, or NULL */
	const struct drm_color_lut *gamma;
	unsigned int gamma_n;
};

static double entry(const struct drm_color_lut *e, unsigned int ch)
{
	return (ch == 0 ? e->red : ch == 1 ? e->green : e->blue) / 65535.0;
}

/* The curve through (i / (n - 1), lut[i]) at x in [0, 1]. */
static double curve(const struct drm_color_lut *lut, unsigned int n, unsigned int ch, double x)
{
	double pos = x * (n - 1), f;
	unsigned int i = (unsigned int)floor(pos);

	if (i >= n - 1)
		return entry(&lut[n - 1], ch);
	f = pos - i;
	return (1 - f) * entry(&lut[i], ch) + f * entry(&lut[i + 1], ch);
}

/* The exact result of channel ch, in [0, 1], for an ARGB8888 pixel. */
static void model(const struct color *c, uint32_t px, double out[3])
{
	double in[3], v;
	unsigned int ch, j;

	for (ch = 0; ch < 3; ch++) {
		in[ch] = ((px >> (16 - 8 * ch)) & 0xff) / 255.0;
		if (c->degamma)
			in[ch] = curve(c->degamma, c->degamma_n, ch, in[ch]);
	}
	for (ch = 0; ch < 3; ch++) {
		v = in[ch];
		if (c->ctm) {
			v = 0;
			for (j = 0; j < 3; j++)
				v += c->ctm[3 * ch + j] * in[j];
			v = v < 0 ? 0 : v > 1 ? 1 : v;
		}
		if (c->gamma)
			v = curve(c->gamma, c->gamma_n, ch, v);
		out[ch] = v;
	}
}

/* Steepest slope of a LUT's curve, per unit of input. */
static double lut_slope(const struct drm_color_lut *lut, unsigned int n)
{
	double s = 0;
	unsigned int i, ch;

	for (i = 0; i + 1 < n; i++)
		for (ch = 0; ch < 3; ch++)
			s = fmax(s, fabs(entry(&lut[i + 1], ch) - entry(&lut[i], ch)) * (n - 1));
	return s;
}

/*
 * The bound E on the device's error before its final rounding to 8 bits,
 * for a device that rounds each stage to 16 bits (h each time).
 */
static double model_error(const struct color *c)
{
	const double h = 0.5 / 65535;
	double e = c->degamma ? h : 0, row, s = 0;
	unsigned int i, j;

	if (c->ctm) {
		for (i = 0; i < 3; i++) {
			row = 0;
			for (j = 0; j < 3; j++)
				row += fabs(c->ctm[3 * i + j]);
			s = fmax(s, row);
		}
		e = s * e + h;
	}
	if (c->gamma)
		e = lut_slope(c->gamma, c->gamma_n) * e + h;
	return e;
}

/* The reference frame: the blended frame through the model, rounded. */
static void ref_frame(const uint32_t *blended, uint32_t *ref, const struct color *c)
{
	size_t i, n = (size_t)d.w * d.h;
	uint32_t last = 0, last_out = 0;
	double v[3];
	unsigned int ch;

	for (i = 0; i < n; i++) {
		if (i && blended[i] == last) {
			ref[i] = last_out;
			continue;
		}
		last = blended[i];
		model(c, last, v);
		last_out = 0xff000000u;
		for (ch = 0; ch < 3; ch++)
			last_out |= (uint32_t)lround(v[ch] * 255) << (16 - 8 * ch);
		ref[i] = last_out;
	}
}

/*
 * The capture must be within the model's bound of the exact result
 * (exactly its rounding if @exact).
 */
static void check_capture(const uint32_t *blended, const struct color *c, bool exact,
			  const char *what)
{
	double tol = exact ? 0.5 : 0.5 + 255 * model_error(c) + 1e-9;
	double v[3], worst = 0, diff;
	unsigned int x, y, ch, bad = 0;
	uint32_t got;

	igt_debug("%s: tolerance %.6f\n", what, tol);
	for (y = 0; y < d.h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)wbfb.map +
							 (uint64_t)y * wbfb.pitch);

		for (x = 0; x < d.w; x++) {
			got = row[x];
			model(c, blended[y * d.w + x], v);
			for (ch = 0; ch < 3; ch++) {
				diff = fabs(((got >> (16 - 8 * ch)) & 0xff) - v[ch] * 255);
				worst = fmax(worst, diff);
				if (diff <= tol)
					continue;
				if (!bad++)
					igt_warn("%s: (%u, %u) channel %u: %u, exact %.4f, tolerance %.4f\n",
						 what, x, y, ch, (got >> (16 - 8 * ch)) & 0xff,
						 v[ch] * 255, tol);
			}
		}
	}
	igt_info("%s: largest difference %.4f (tolerance %.4f)\n", what, worst, tol);
	igt_assert_f(bad == 0, "%s: %u channels out of tolerance\n", what, bad);
}

/* ---- commits, captures, CRCs ---- */

/* Sets the three properties (blob ids, 0 for none) and captures a frame. */
static void set_color(uint32_t degamma, uint32_t ctm, uint32_t gamma)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "DEGAMMA_LUT", degamma);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "CTM", ctm);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "GAMMA_LUT", gamma);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wbfb.fb_id, 0);
}

/* The overlay above the primary, blended. */
static void overlay_on(void)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay, d.crtc, &ov, 0, 0, OV_W, OV_H, OV_X, OV_Y);
	vmsm_kms_req_add_name(fd, &r, d.overlay, DRM_MODE_OBJECT_PLANE, "alpha", 0xffff);
	vmsm_kms_req_add_name(fd, &r, d.overlay, DRM_MODE_OBJECT_PLANE, "pixel blend mode",
			 d.blend_premulti);
	vmsm_kms_req_add_name(fd, &r, d.overlay, DRM_MODE_OBJECT_PLANE, "zpos", 1);
	vmsm_kms_commit(fd, &r, 0);
}

/* The frame the planes blend to: the primary alone, or with the overlay. */
static uint32_t *blended_frame(bool overlay)
{
	struct vmsm_kms_ref_plane p[2] = {
		{ .fb = &prim, .src_w = d.w, .src_h = d.h, .alpha = 0xffff,
		  .blend = VMSM_KMS_BLEND_PREMULTI },
		{ .fb = &ov, .src_w = OV_W, .src_h = OV_H, .crtc_x = OV_X,
		  .crtc_y = OV_Y, .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI, .zpos = 1 },
	};
	uint32_t *f = malloc((size_t)d.w * d.h * 4);

	igt_assert(f);
	vmsm_kms_ref_compose(f, d.w, d.h, p, overlay ? 2 : 1);
	return f;
}

/* ---- LUTs ---- */

/* Identity of n entries: entry i is i / (n - 1). */
static void lut_linear(struct drm_color_lut *lut, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint16_t v = (uint16_t)lround(i * 65535.0 / (n - 1));

		lut[i] = (struct drm_color_lut){ .red = v, .green = v, .blue = v };
	}
}

/*
 * Different curves per channel, entries multiples of 257 (8-bit values):
 * red inverted, green squared (rounded to 8 bits), blue a sawtooth (not
 * monotonic).
 */
static void lut_8bit_curves(struct drm_color_lut *lut, unsigned int n)
{
	unsigned int i, x;

	for (i = 0; i < n; i++) {
		x = i * 255 / (n - 1);
		lut[i].red = (255 - x) * 257;
		lut[i].green = ((x * x + 127) / 255) * 257;
		lut[i].blue = ((x * 4) & 0xff) * 257;
		lut[i].reserved = 0;
	}
}

/* A smooth curve in full 16-bit precision: v = x^(1/2.2), per channel shifted. */
static void lut_smooth(struct drm_color_lut *lut, unsigned int n)
{
	unsigned int i;
	double x;

	for (i = 0; i < n; i++) {
		x = (double)i / (n - 1);
		lut[i].red = (uint16_t)lround(pow(x, 1 / 2.2) * 65535);
		lut[i].green = (uint16_t)lround(pow(x, 2.2) * 65535);
		lut[i].blue = (uint16_t)lround((0.25 + 0.5 * x) * 65535);
		lut[i].reserved = 0;
	}
}

/* ---- subtests ---- */

static void test_properties(void)
{
	struct drm_mode_crtc c = { };
	uint64_t min, max;

	open_display();
	igt_assert(vmsm_kms_prop_is_immutable(fd, d.crtc, DRM_MODE_OBJECT_CRTC,
					 "DEGAMMA_LUT_SIZE", &min, &max));
	igt_assert_eq_u64(crtc_value("DEGAMMA_LUT_SIZE"), LUT_SIZE);
	igt_assert(vmsm_kms_prop_is_immutable(fd, d.crtc, DRM_MODE_OBJECT_CRTC,
					 "GAMMA_LUT_SIZE", &min, &max));
	igt_assert_eq_u64(crtc_value("GAMMA_LUT_SIZE"), LUT_SIZE);
	igt_assert_eq_u64(crtc_value("DEGAMMA_LUT"), 0);
	igt_assert_eq_u64(crtc_value("CTM"), 0);
	igt_assert_eq_u64(crtc_value("GAMMA_LUT"), 0);
	c.crtc_id = d.crtc;
	do_ioctl(fd, DRM_IOCTL_MODE_GETCRTC, &c);
	igt_assert_eq_u32(c.gamma_size, LUT_SIZE);
	close_display();
}

/* Degamma and gamma LUTs alone, exact and interpolated, over the overlay. */
static void test_luts(bool gamma)
{
	static const unsigned int sizes[] = { LUT_SIZE, 17, 2 };
	struct drm_color_lut lut[LUT_SIZE];
	struct color c = { };
	uint32_t *blended, id;
	unsigned int i;
	char what[64];

	open_display();
	blended = blended_frame(true);
	overlay_on();
	for (i = 0; i < 2 * ARRAY_SIZE(sizes); i++) {
		unsigned int n = sizes[i % ARRAY_SIZE(sizes)];
		bool smooth = i >= ARRAY_SIZE(sizes);

		if (smooth)
			lut_smooth(lut, n);
		else
			lut_8bit_curves(lut, n);
		id = blob(lut, n * sizeof(lut[0]));
		memset(&c, 0, sizeof(c));
		if (gamma) {
			c.gamma = lut;
			c.gamma_n = n;
			set_color(0, 0, id);
			igt_assert_eq_u64(crtc_value("GAMMA_LUT"), id);
		} else {
			c.degamma = lut;
			c.degamma_n = n;
			set_color(id, 0, 0);
			igt_assert_eq_u64(crtc_value("DEGAMMA_LUT"), id);
		}
		snprintf(what, sizeof(what), "%s, %u %s entries", gamma ? "gamma" : "degamma",
			 n, smooth ? "16-bit" : "8-bit");
		/* 256 entries on 8-bit inputs: every lookup lands on an entry */
		check_capture(blended, &c, n == LUT_SIZE, what);
		vmsm_kms_destroy_blob(fd, id);
	}
	free(blended);
	close_display();
}

static const double ctm_identity[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
/* R <- B, G <- R, B <- G */
static const double ctm_rotate[9] = { 0, 0, 1, 1, 0, 0, 0, 1, 0 };
/* Saturating: 100 x red, -100 x the others, red + green into green. */
static const double ctm_saturate[9] = { 100, 0, 0, 1, 1, 0, -1, 0, -100 };
static const double ctm_quarter[9] = { 0.25, 0, 0, 0, 0.5, 0, 0, 0, 0.75 };
/* A grey conversion (BT.709 luma) and a sepia-like mix with negatives. */
static const double ctm_mix[9] = { 0.2126, 0.7152, 0.0722, 0.5, -0.25, 0.75,
				   -0.125, 0.3, 1.1 };

static void test_ctm(void)
{
	static const struct { const double *m; bool exact; const char *name; } cases[] = {
		{ ctm_identity, true, "identity" },
		{ ctm_rotate, true, "channel rotation" },
		{ ctm_saturate, true, "saturating" },
		{ ctm_quarter, false, "0.25/0.5/0.75" },
		{ ctm_mix, false, "mix with negatives" },
	};
	struct color c = { };
	uint32_t *blended, id;
	unsigned int i;

	open_display();
	blended = blended_frame(false);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		id = ctm_blob(cases[i].m);
		c.ctm = cases[i].m;
		set_color(0, id, 0);
		igt_assert_eq_u64(crtc_value("CTM"), id);
		check_capture(blended, &c, cases[i].exact, cases[i].name);
		vmsm_kms_destroy_blob(fd, id);
	}
	free(blended);
	close_display();
}

/* All three stages at once, in the uAPI's order, on the blended frame. */
static void test_pipeline(void)
{
	struct drm_color_lut dlut[LUT_SIZE], glut[33];
	struct color c = { .degamma = dlut, .degamma_n = LUT_SIZE, .ctm = ctm_mix,
			   .gamma = glut, .gamma_n = 33 };
	uint32_t *blended, ids[3];

	open_display();
	overlay_on();
	blended = blended_frame(true);

	lut_smooth(dlut, LUT_SIZE);
	lut_smooth(glut, 33);
	ids[0] = blob(dlut, sizeof(dlut));
	ids[1] = ctm_blob(ctm_mix);
	ids[2] = blob(glut, sizeof(glut));
	set_color(ids[0], ids[1], ids[2]);
	check_capture(blended, &c, false, "degamma, CTM, gamma");

	/* the order matters: swapped LUTs give another frame */
	c.degamma = glut;
	c.degamma_n = 33;
	c.gamma = dlut;
	c.gamma_n = LUT_SIZE;
	set_color(ids[2], ids[1], ids[0]);
	check_capture(blended, &c, false, "LUTs swapped");

	/* all off: the blended frame again, exactly */
	set_color(0, 0, 0);
	memset(&c, 0, sizeof(c));
	check_capture(blended, &c, true, "all off");
	for (unsigned int i = 0; i < 3; i++)
		vmsm_kms_destroy_blob(fd, ids[i]);
	free(blended);
	close_display();
}

/* CRCs equal the crc32 of the reference frame in the exact cases. */
static void test_crc(void)
{
	struct drm_color_lut dlut[LUT_SIZE], glut[LUT_SIZE];
	struct color c = { };
	uint32_t *blended, *ref, ids[3], crc_off, crc, want;
	size_t bytes;
	int crc_fd;

	open_display();
	blended = blended_frame(false);
	bytes = (size_t)d.w * d.h * 4;
	ref = malloc(bytes);
	igt_assert(ref);
	crc_fd = vmsm_kms_crc_open(fd, 0);
	igt_assert_f(crc_fd >= 0, "crtc-0/crc/data: %s\n", strerror(-crc_fd));

	crc_off = vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd);
	igt_assert_eq_u32(crc_off, vmsm_kms_crc32_le(~0u, blended, bytes));

	/*
	 * Degamma with 8-bit curves lands every lookup on an entry, a
	 * multiple of 257, on which the 256 entries of the gamma LUT land
	 * too: exact through the channel rotation.
	 */
	lut_8bit_curves(dlut, LUT_SIZE);
	lut_8bit_curves(glut, LUT_SIZE);
	ids[0] = blob(dlut, sizeof(dlut));
	ids[1] = ctm_blob(ctm_rotate);
	ids[2] = blob(glut, sizeof(glut));
	c = (struct color){ .degamma = dlut, .degamma_n = LUT_SIZE, .ctm = ctm_rotate,
			    .gamma = glut, .gamma_n = LUT_SIZE };
	set_color(ids[0], ids[1], ids[2]);
	ref_frame(blended, ref, &c);
	want = vmsm_kms_crc32_le(~0u, ref, bytes);
	crc = vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd);
	igt_info("CRC off %#010x, with colour management %#010x, reference %#010x\n",
		 crc_off, crc, want);
	igt_assert_neq_u32(crc, crc_off);
	igt_assert_eq_u32(crc, want);
	check_capture(blended, &c, true, "exact pipeline (capture)");

	/* the saturating matrix alone */
	c = (struct color){ .ctm = ctm_saturate };
	vmsm_kms_destroy_blob(fd, ids[1]);
	ids[1] = ctm_blob(ctm_saturate);
	set_color(0, ids[1], 0);
	ref_frame(blended, ref, &c);
	igt_assert_eq_u32(vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd),
			  vmsm_kms_crc32_le(~0u, ref, bytes));

	/* a refused commit changes nothing */
	{
		struct vmsm_kms_req r;

		vmsm_kms_req_init(&r);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "CTM", 0);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "GAMMA_LUT", blob(dlut, 1 * sizeof(dlut[0])));
		igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
		igt_assert_eq_u32(vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd),
				  vmsm_kms_crc32_le(~0u, ref, bytes));
	}

	/* and back off */
	set_color(0, 0, 0);
	igt_assert_eq_u32(vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd), crc_off);
	close(crc_fd);
	for (unsigned int i = 0; i < 3; i++)
		vmsm_kms_destroy_blob(fd, ids[i]);
	free(ref);
	free(blended);
	close_display();
}

/* SETGAMMA: becomes the GAMMA_LUT, clears DEGAMMA_LUT and CTM, GETGAMMA reads it. */
static void test_legacy_gamma(void)
{
	uint16_t red[LUT_SIZE], green[LUT_SIZE], blue[LUT_SIZE], back[3][LUT_SIZE];
	struct drm_color_lut lut[LUT_SIZE], got[LUT_SIZE];
	struct drm_mode_crtc_lut l = { };
	struct drm_mode_get_blob gb = { };
	struct color c = { .gamma = lut, .gamma_n = LUT_SIZE };
	uint32_t *blended, ids[2];
	unsigned int i;

	open_display();
	blended = blended_frame(false);
	lut_smooth(lut, LUT_SIZE);
	ids[0] = blob(lut, sizeof(lut));
	ids[1] = ctm_blob(ctm_rotate);
	set_color(ids[0], ids[1], 0);

	lut_8bit_curves(lut, LUT_SIZE);
	for (i = 0; i < LUT_SIZE; i++) {
		red[i] = lut[i].red;
		green[i] = lut[i].green;
		blue[i] = lut[i].blue;
	}
	l.crtc_id = d.crtc;
	l.gamma_size = LUT_SIZE;
	l.red = (uintptr_t)red;
	l.green = (uintptr_t)green;
	l.blue = (uintptr_t)blue;
	do_ioctl(fd, DRM_IOCTL_MODE_SETGAMMA, &l);
	igt_assert_eq_u64(crtc_value("DEGAMMA_LUT"), 0);
	igt_assert_eq_u64(crtc_value("CTM"), 0);
	gb.blob_id = crtc_value("GAMMA_LUT");
	igt_assert_neq_u32(gb.blob_id, 0);
	gb.length = sizeof(got);
	gb.data = (uintptr_t)got;
	do_ioctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &gb);
	igt_assert_eq_u32(gb.length, sizeof(got));
	for (i = 0; i < LUT_SIZE; i++)
		igt_assert(got[i].red == red[i] && got[i].green == green[i] &&
			   got[i].blue == blue[i]);

	{
		struct vmsm_kms_req r;

		vmsm_kms_req_init(&r);
		vmsm_kms_commit_writeback(fd, &r, d.wb, wbfb.fb_id, 0);
	}
	check_capture(blended, &c, true, "legacy gamma");

	l.red = (uintptr_t)back[0];
	l.green = (uintptr_t)back[1];
	l.blue = (uintptr_t)back[2];
	do_ioctl(fd, DRM_IOCTL_MODE_GETGAMMA, &l);
	igt_assert(!memcmp(back[0], red, sizeof(red)) && !memcmp(back[1], green, sizeof(green)) &&
		   !memcmp(back[2], blue, sizeof(blue)));

	/* the ramp has the CRTC's size (DRM core) */
	l.gamma_size = LUT_SIZE - 1;
	l.red = (uintptr_t)red;
	l.green = (uintptr_t)green;
	l.blue = (uintptr_t)blue;
	do_ioctl_err(fd, DRM_IOCTL_MODE_SETGAMMA, &l, EINVAL);
	vmsm_kms_destroy_blob(fd, ids[0]);
	vmsm_kms_destroy_blob(fd, ids[1]);
	free(blended);
	close_display();
}

static int try_prop(const char *name, uint64_t value, uint32_t flags)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, name, value);
	return __vmsm_kms_commit(fd, &r, flags, 0);
}

/* Every refused LUT: as a TEST_ONLY commit, a real one, and with the CRTC off. */
static void test_invalid_luts(void)
{
	static const char *const props[] = { "DEGAMMA_LUT", "GAMMA_LUT" };
	struct drm_color_lut lut[LUT_SIZE + 1];
	unsigned int p;
	uint32_t id;

	open_display();
	lut_linear(lut, LUT_SIZE + 1);
	for (p = 0; p < 2; p++) {
		const char *name = props[p];

		/* too short, too long (driver); not whole entries (core) */
		id = blob(lut, sizeof(lut[0]));
		igt_assert_eq(try_prop(name, id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		igt_assert_eq(try_prop(name, id, 0), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
		id = blob(lut, sizeof(lut));
		igt_assert_eq(try_prop(name, id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		igt_assert_eq(try_prop(name, id, 0), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
		id = blob(lut, LUT_SIZE * sizeof(lut[0]) - 1);
		igt_assert_eq(try_prop(name, id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
		id = blob(lut, LUT_SIZE * sizeof(lut[0]) + 1);
		igt_assert_eq(try_prop(name, id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
		/* an id that is no blob, and one that does not exist */
		igt_assert_eq(try_prop(name, d.crtc, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		igt_assert_eq(try_prop(name, 4096 * 4096, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		/* the smallest and largest sizes pass */
		id = blob(lut, 2 * sizeof(lut[0]));
		igt_assert_eq(try_prop(name, id, DRM_MODE_ATOMIC_TEST_ONLY), 0);
		vmsm_kms_destroy_blob(fd, id);
		id = blob(lut, LUT_SIZE * sizeof(lut[0]));
		igt_assert_eq(try_prop(name, id, DRM_MODE_ATOMIC_TEST_ONLY), 0);
		vmsm_kms_destroy_blob(fd, id);
		igt_assert_eq_u64(crtc_value(name), 0);
	}

	/* refused with the CRTC off too */
	{
		struct vmsm_kms_req r;

		id = blob(lut, sizeof(lut));
		vmsm_kms_req_init(&r);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "GAMMA_LUT", id);
		igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET |
					   DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
	}
	close_display();
}

static void test_invalid_ctm(void)
{
	double m[9];
	uint64_t raw[10] = { };
	uint32_t id;
	unsigned int i;

	open_display();
	/* not one matrix (core) */
	id = blob(raw, 8 * sizeof(raw[0]));
	igt_assert_eq(try_prop("CTM", id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
	vmsm_kms_destroy_blob(fd, id);
	id = blob(raw, 10 * sizeof(raw[0]));
	igt_assert_eq(try_prop("CTM", id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
	vmsm_kms_destroy_blob(fd, id);

	/* each coefficient's range: +-8192 passes, beyond does not */
	for (i = 0; i < 9; i++) {
		memcpy(m, ctm_identity, sizeof(m));
		m[i] = i & 1 ? -CTM_MAX : CTM_MAX;
		id = ctm_blob(m);
		igt_assert_eq(try_prop("CTM", id, DRM_MODE_ATOMIC_TEST_ONLY), 0);
		vmsm_kms_destroy_blob(fd, id);
		m[i] = i & 1 ? -(CTM_MAX + 1.0 / 65536) : CTM_MAX + 1.0 / 65536;
		id = ctm_blob(m);
		igt_assert_eq(try_prop("CTM", id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		igt_assert_eq(try_prop("CTM", id, 0), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
	}
	/* the largest magnitude S31.32 can hold, positive and negative */
	memcpy(m, ctm_identity, sizeof(m));
	id = ctm_blob(m);
	{
		struct drm_color_ctm ctm;
		struct drm_mode_get_blob gb = { .blob_id = id, .length = sizeof(ctm),
						.data = (uintptr_t)&ctm };

		do_ioctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &gb);
		vmsm_kms_destroy_blob(fd, id);
		ctm.matrix[4] = ~0ull >> 1;
		id = blob(&ctm, sizeof(ctm));
		igt_assert_eq(try_prop("CTM", id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
		ctm.matrix[4] = ~0ull;
		id = blob(&ctm, sizeof(ctm));
		igt_assert_eq(try_prop("CTM", id, DRM_MODE_ATOMIC_TEST_ONLY), -EINVAL);
		vmsm_kms_destroy_blob(fd, id);
		/* negative zero is zero */
		ctm.matrix[4] = 1ull << 63;
		id = blob(&ctm, sizeof(ctm));
		igt_assert_eq(try_prop("CTM", id, DRM_MODE_ATOMIC_TEST_ONLY), 0);
		vmsm_kms_destroy_blob(fd, id);
	}
	igt_assert_eq_u64(crtc_value("CTM"), 0);
	close_display();
}

igt_main
{
	igt_describe("DEGAMMA_LUT, CTM and GAMMA_LUT on each CRTC, the LUT sizes (256) and the legacy gamma size.");
	igt_subtest("properties")
		test_properties();

	igt_describe("Degamma LUTs of 256, 17 and 2 entries (8-bit and 16-bit curves, per channel, not monotonic) on a blended frame: writeback against the model, exact for 256 entries.");
	igt_subtest("degamma")
		test_luts(false);

	igt_describe("Gamma LUTs of 256, 17 and 2 entries: writeback against the model, exact for 256 entries on 8-bit inputs.");
	igt_subtest("gamma")
		test_luts(true);

	igt_describe("CTMs: identity, channel rotation, saturation, fractions, negatives: writeback against the model.");
	igt_subtest("ctm")
		test_ctm();

	igt_describe("Degamma, CTM and gamma together in the uAPI's order, after blending; all off gives the blended frame.");
	igt_subtest("pipeline")
		test_pipeline();

	igt_describe("Pipe CRCs equal the crc32 of the reference frame in exact cases; a refused commit leaves the frame alone.");
	igt_subtest("crc")
		test_crc();

	igt_describe("SETGAMMA becomes the GAMMA_LUT, clears DEGAMMA_LUT and CTM, reads back with GETGAMMA, and shows exactly.");
	igt_subtest("legacy-gamma")
		test_legacy_gamma();

	igt_describe("LUTs of 1 and 257 entries, of partial entries, and ids that are no blob: EINVAL, also with the CRTC off.");
	igt_subtest("invalid-lut")
		test_invalid_luts();

	igt_describe("CTM blobs of the wrong size and coefficients beyond +-8192: EINVAL; +-8192 and -0 pass.");
	igt_subtest("invalid-ctm")
		test_invalid_ctm();

	igt_fixture
		close_display();
}
