// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_kms_yuv: Y'CbCr scanout (NV12, NV21, NV16, YUV420, YVU420, P010
 * with COLOR_ENCODING and COLOR_RANGE), writeback into NV12, and plane
 * rotation and reflection, checked on writeback captures against
 * references computed here from the framebuffers' contents, plus the
 * errors for malformed multi-plane framebuffers.
 *
 * The references follow the published definitions, not the driver:
 *
 * - Y'CbCr to R'G'B' (ITU-R BT.601, BT.709 and BT.2020 non-constant
 *   luminance, their Kr and Kb): limited range n-bit codes are
 *   Y' = (Y - 16 * 2^(n-8)) / (219 * 2^(n-8)) and
 *   Pb = (Cb - 2^(n-1)) / (224 * 2^(n-8)), full range codes
 *   Y' = Y / (2^n - 1) and Pb = (Cb - 2^(n-1)) / (2^n - 1) (ITU-T H.273);
 *   R' = Y' + 2 (1 - Kr) Pr, B' = Y' + 2 (1 - Kb) Pb,
 *   G' = (Y' - Kr R' - Kb B') / Kg, each clamped to [0, 1], times 255.
 * - Chroma: drm_fourcc.h describes the subsampled planes (2x2 for 4:2:0,
 *   2x1 for NV16) and the KMS uAPI has no chroma siting property, so each
 *   chroma sample stands for the pixels of its block: the pixel at
 *   framebuffer (x, y) takes the sample (x / 2, y / vsub).
 * - Rotation (drm_blend.c, "rotation" and
 *   drm_plane_create_rotation_property()): reflect-x mirrors the image
 *   sampled from the source rectangle left to right, reflect-y top to
 *   bottom, and after reflection it is rotated counter clockwise by
 *   rotate-<degrees>.
 *
 * Tolerance: the composer's frame has 8 bits per channel, and the exact
 * conversion of a code is in general not an 8-bit value, so no
 * implementation can give it exactly. A channel passes if it is within
 * less than one code of the exact value, i.e. one of the two 8-bit values
 * around it; where the exact value is itself an 8-bit value (black and
 * white, neutral chroma at the code range's ends, and every rotation,
 * which only moves pixels) it must be that value. The same holds for
 * NV12 writeback codes against the exact Y'CbCr of the composed pixels
 * (chroma of the mean of each 2x2 block).
 */

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"


static int fd = -1;
static int baseline_objects = -1;

static struct {
	struct vmsm_kms_res res;
	uint32_t crtc;
	uint32_t conn, wb;
	uint32_t primary, overlay, cursor;
	struct drm_mode_modeinfo mode;
	uint32_t mode_blob;
	unsigned int w, h;
	uint64_t blend_none;
} d;

static void open_display(void)
{
	fd = vmsm_kms_open();
	memset(&d, 0, sizeof(d));
	vmsm_kms_get_res(fd, &d.res);
	d.crtc = d.res.crtcs[0];
	d.conn = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_VIRTUAL, 0);
	d.wb = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_WRITEBACK, 0);
	d.primary = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_PRIMARY, 0, 0);
	d.overlay = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_OVERLAY, 0, 0);
	d.cursor = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_CURSOR, 0, 0);
	vmsm_kms_preferred_mode(fd, d.conn, &d.mode);
	igt_assert_lt(0, d.mode.hdisplay);
	d.w = d.mode.hdisplay;
	d.h = d.mode.vdisplay;
	d.mode_blob = vmsm_kms_mode_blob(fd, &d.mode);
	d.blend_none = vmsm_kms_prop_enum(fd, d.overlay, DRM_MODE_OBJECT_PLANE,
				     "pixel blend mode", "None");
}

/* ---- the primary's RGB pattern, exact in every conversion ---- */

static struct vmsm_kms_fb prim, wbx;

/* Full screen primary, overlay and cursor off, writeback attached. */
static void modeset(void)
{
	struct vmsm_kms_req r;

	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim);
	vmsm_kms_fb_fill(&prim, vmsm_kms_address_pattern);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wbx);

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", d.mode_blob);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", d.crtc);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", d.crtc);
	vmsm_kms_plane_req_scaled(fd, &r, d.primary, d.crtc, prim.fb_id, 0, 0, d.w, d.h, 0, 0,
				  d.w, d.h);
	vmsm_kms_plane_off(fd, &r, d.overlay);
	vmsm_kms_plane_off(fd, &r, d.cursor);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
}

static uint32_t wb_pixel(unsigned int x, unsigned int y)
{
	return ((const uint32_t *)((const uint8_t *)wbx.map + (uint64_t)y * wbx.pitch))[x] &
	       0xffffff;
}

/* ---- Y'CbCr framebuffers ---- */

struct yuv_format {
	uint32_t fourcc;
	const char *name;
	unsigned int planes;	/* 2: Y + interleaved chroma, 3: Y, chroma, chroma */
	unsigned int vsub;
	unsigned int bits;	/* 8, or 10 in 16-bit samples (MSB aligned) */
	bool cr_first;		/* Cr before Cb (NV21, YVU420) */
};

static const struct yuv_format yuv_formats[] = {
	{ DRM_FORMAT_NV12, "NV12", 2, 2, 8, false },
	{ DRM_FORMAT_NV21, "NV21", 2, 2, 8, true },
	{ DRM_FORMAT_NV16, "NV16", 2, 1, 8, false },
	{ DRM_FORMAT_YUV420, "YUV420", 3, 2, 8, false },
	{ DRM_FORMAT_YVU420, "YVU420", 3, 2, 8, true },
	{ DRM_FORMAT_P010, "P010", 2, 2, 10, false },
};

struct yuv_fb {
	const struct yuv_format *f;
	uint32_t fb_id;
	unsigned int w, h;
	unsigned int nr_objs;
	uint32_t handle[3];
	void *map[3];
	uint64_t size[3];
	uint32_t pitch[3], offset[3];
	uint8_t *plane[3];	/* first byte of each colour plane */
};

/* Bytes of one sample of a plane (a CbCr pair in an interleaved plane). */
static unsigned int sample_bytes(const struct yuv_format *f, unsigned int p)
{
	unsigned int b = f->bits > 8 ? 2 : 1;

	return p && f->planes == 2 ? 2 * b : b;
}

static void dumb_bytes(uint64_t size, uint32_t *handle, void **map, uint64_t *out_size)
{
	struct drm_mode_create_dumb c = { .width = 4096, .height = (size + 4095) / 4096,
					  .bpp = 8 };
	struct drm_mode_map_dumb m = { };

	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
	m.handle = c.handle;
	do_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
	*map = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	igt_assert(*map != MAP_FAILED);
	memset(*map, 0, c.size);
	*handle = c.handle;
	*out_size = c.size;
}

/*
 * Lays out a w x h framebuffer of format f: every colour plane in one
 * object, or (separate) each in its own, with pitches padded by pad bytes
 * and each plane at an offset of pad * 4 bytes (plus the planes before
 * it). Does not create the framebuffer.
 */
static void yuv_layout(struct yuv_fb *fb, const struct yuv_format *f, unsigned int w,
		       unsigned int h, bool separate, unsigned int pad)
{
	uint64_t need[3], total = 0;
	unsigned int p;

	memset(fb, 0, sizeof(*fb));
	fb->f = f;
	fb->w = w;
	fb->h = h;
	for (p = 0; p < f->planes; p++) {
		unsigned int cols = p ? (w + 1) / 2 : w;
		unsigned int rows = p ? (h + f->vsub - 1) / f->vsub : h;

		fb->pitch[p] = cols * sample_bytes(f, p) + pad;
		need[p] = (uint64_t)fb->pitch[p] * rows;
		fb->offset[p] = separate ? pad * 4 : total + pad * 4;
		total = fb->offset[p] + need[p];
		if (separate) {
			dumb_bytes(total, &fb->handle[p], &fb->map[p], &fb->size[p]);
			fb->plane[p] = (uint8_t *)fb->map[p] + fb->offset[p];
			total = 0;
		}
	}
	fb->nr_objs = separate ? f->planes : 1;
	if (!separate) {
		dumb_bytes(total, &fb->handle[0], &fb->map[0], &fb->size[0]);
		for (p = 0; p < f->planes; p++) {
			fb->handle[p] = fb->handle[0];
			fb->plane[p] = (uint8_t *)fb->map[0] + fb->offset[p];
		}
	}
}

static int __yuv_addfb(struct yuv_fb *fb, uint32_t flags, uint64_t modifier)
{
	struct drm_mode_fb_cmd2 c = {
		.width = fb->w, .height = fb->h, .pixel_format = fb->f->fourcc,
		.flags = flags,
	};
	unsigned int p;

	for (p = 0; p < fb->f->planes; p++) {
		c.handles[p] = fb->handle[p];
		c.pitches[p] = fb->pitch[p];
		c.offsets[p] = fb->offset[p];
		c.modifier[p] = modifier;
	}
	if (igt_ioctl(fd, DRM_IOCTL_MODE_ADDFB2, &c))
		return -errno;
	fb->fb_id = c.fb_id;
	return 0;
}

static void yuv_fb_free(struct yuv_fb *fb)
{
	unsigned int i;

	if (fb->fb_id)
		vmsm_kms_rmfb(fd, fb->fb_id);
	for (i = 0; i < fb->nr_objs; i++) {
		struct drm_mode_destroy_dumb dd = { .handle = fb->handle[i] };

		munmap(fb->map[i], fb->size[i]);
		do_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	}
	memset(fb, 0, sizeof(*fb));
}

static void put_sample(const struct yuv_fb *fb, unsigned int p, unsigned int x,
		       unsigned int y, unsigned int idx, unsigned int v)
{
	unsigned int b = fb->f->bits > 8 ? 2 : 1;
	uint8_t *s = fb->plane[p] + (uint64_t)y * fb->pitch[p] + (x * (p && fb->f->planes == 2 ? 2 : 1) + idx) * b;

	if (b == 2) {
		v <<= 16 - fb->f->bits;
		s[0] = v;
		s[1] = v >> 8;
	} else {
		s[0] = v;
	}
}

static unsigned int get_sample(const struct yuv_fb *fb, unsigned int p, unsigned int x,
			       unsigned int y, unsigned int idx)
{
	unsigned int b = fb->f->bits > 8 ? 2 : 1;
	const uint8_t *s = fb->plane[p] + (uint64_t)y * fb->pitch[p] +
			   (x * (p && fb->f->planes == 2 ? 2 : 1) + idx) * b;

	return b == 2 ? (unsigned int)(s[0] | s[1] << 8) >> (16 - fb->f->bits) : s[0];
}

/* The codes of pixel (x, y), read back from the framebuffer's memory. */
static void yuv_codes(const struct yuv_fb *fb, unsigned int x, unsigned int y,
		      unsigned int *Y, unsigned int *cb, unsigned int *cr)
{
	const struct yuv_format *f = fb->f;
	unsigned int cx = x / 2, cy = y / f->vsub, a, b;

	*Y = get_sample(fb, 0, x, y, 0);
	if (f->planes == 2) {
		a = get_sample(fb, 1, cx, cy, 0);
		b = get_sample(fb, 1, cx, cy, 1);
	} else {
		a = get_sample(fb, 1, cx, cy, 0);
		b = get_sample(fb, 2, cx, cy, 0);
	}
	*cb = f->cr_first ? b : a;
	*cr = f->cr_first ? a : b;
}

/*
 * Fills fb with codes over the whole code range (out-of-range limited
 * codes included, which clamp), and every 8th chroma row black and white
 * on neutral chroma (the range's ends: exact).
 */
static void yuv_fill(const struct yuv_fb *fb, bool full, unsigned int seed)
{
	const struct yuv_format *f = fb->f;
	unsigned int max = (1u << f->bits) - 1, s = 1u << (f->bits - 8);
	unsigned int black = full ? 0 : 16 * s, white = full ? max : 235 * s;
	unsigned int x, y, cw = (fb->w + 1) / 2, ch = (fb->h + f->vsub - 1) / f->vsub;

	for (y = 0; y < ch; y++) {
		for (x = 0; x < cw; x++) {
			unsigned int cb = (x * 11 * s + y * 3 + seed * 7 + 40 * s) & max;
			unsigned int cr = (x * 5 + y * 17 * s + seed * 3 + 90 * s) & max;

			if (y % 8 == 0)
				cb = cr = 1u << (f->bits - 1);
			if (f->planes == 2) {
				put_sample(fb, 1, x, y, 0, f->cr_first ? cr : cb);
				put_sample(fb, 1, x, y, 1, f->cr_first ? cb : cr);
			} else {
				put_sample(fb, 1, x, y, 0, f->cr_first ? cr : cb);
				put_sample(fb, 2, x, y, 0, f->cr_first ? cb : cr);
			}
		}
	}
	for (y = 0; y < fb->h; y++) {
		for (x = 0; x < fb->w; x++) {
			unsigned int v = (x * 7 * s + y * 13 + seed) & max;

			if ((y / f->vsub) % 8 == 0)
				v = (x / 2) % 2 ? white : black;
			put_sample(fb, 0, x, y, 0, v);
		}
	}
}

/* ---- the reference conversion ---- */

enum { BT601, BT709, BT2020 };

static const struct {
	const char *prop;	/* the COLOR_ENCODING enum name */
	const char *name;
	double kr, kb;
} encodings[] = {
	[BT601] = { "ITU-R BT.601 YCbCr", "bt601", 0.299, 0.114 },
	[BT709] = { "ITU-R BT.709 YCbCr", "bt709", 0.2126, 0.0722 },
	[BT2020] = { "ITU-R BT.2020 YCbCr", "bt2020", 0.2627, 0.0593 },
};

/* ---- YUV scanout ---- */

struct yuv_case {
	unsigned int sx, sy, sw, sh;	/* source rectangle */
	int cx, cy;			/* where it shows */
};

/*
 * Shows fb on the overlay with the encoding and range, captures the
 * frame, and checks every pixel: the primary's outside the overlay, the
 * conversion of the framebuffer's codes inside it.
 */
static void check_yuv_scanout(const struct yuv_fb *fb, int enc, bool full,
			      const struct yuv_case *c, const char *what)
{
	unsigned int x, y, bad = 0, fx = 0, fy = 0, i;
	uint32_t got = 0;
	double want[3] = { 0 };
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb->fb_id, c->sx, c->sy, c->sw, c->sh,
				  c->cx, c->cy, c->sw, c->sh);
	vmsm_kms_req_plane(fd, &r, d.overlay, "COLOR_ENCODING",
			   vmsm_kms_prop_enum(fd, d.overlay, DRM_MODE_OBJECT_PLANE,
					      "COLOR_ENCODING", encodings[enc].prop));
	vmsm_kms_req_plane(fd, &r, d.overlay, "COLOR_RANGE",
			   vmsm_kms_prop_enum(fd, d.overlay, DRM_MODE_OBJECT_PLANE, "COLOR_RANGE",
					      full ? "YCbCr full range" : "YCbCr limited range"));
	vmsm_kms_req_plane(fd, &r, d.overlay, "rotation", DRM_MODE_ROTATE_0);
	vmsm_kms_req_plane(fd, &r, d.overlay, "alpha", 0xffff);
	vmsm_kms_req_plane(fd, &r, d.overlay, "pixel blend mode", d.blend_none);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wbx.fb_id, 0);

	for (y = 0; y < d.h; y++) {
		for (x = 0; x < d.w; x++) {
			uint32_t px = wb_pixel(x, y);
			int ox = (int)x - c->cx, oy = (int)y - c->cy;
			double rgb[3];
			bool ok = true;

			if (ox < 0 || oy < 0 || ox >= (int)c->sw || oy >= (int)c->sh) {
				ok = px == vmsm_kms_address_pattern(x, y);
				rgb[0] = vmsm_kms_address_pattern(x, y) >> 16;
				rgb[1] = vmsm_kms_address_pattern(x, y) >> 8 & 0xff;
				rgb[2] = vmsm_kms_address_pattern(x, y) & 0xff;
			} else {
				unsigned int Y, cb, cr;

				yuv_codes(fb, c->sx + ox, c->sy + oy, &Y, &cb, &cr);
				vmsm_kms_ycbcr_to_rgb(encodings[enc].kr, encodings[enc].kb, full,
						      fb->f->bits, Y, cb, cr, rgb);
				for (i = 0; i < 3; i++)
					ok &= vmsm_kms_code_ok(px >> (16 - 8 * i) & 0xff, rgb[i]);
			}
			if (!ok && !bad++) {
				fx = x;
				fy = y;
				got = px;
				memcpy(want, rgb, sizeof(want));
			}
		}
	}
	igt_assert_f(bad == 0,
		     "%s: %u pixels off, first at (%u, %u): %06x, exact (%.3f, %.3f, %.3f)\n",
		     what, bad, fx, fy, got, want[0], want[1], want[2]);
}

/*
 * Every format, encoding and range, on framebuffers of odd size shown
 * from odd source offsets (each pixel then takes the chroma of its
 * framebuffer position), partly off the CRTC's right edge.
 */
static void test_yuv_formats(void)
{
	struct yuv_fb fb;
	unsigned int i, enc, full;
	char what[96];

	open_display();
	modeset();
	for (i = 0; i < ARRAY_SIZE(yuv_formats); i++) {
		const struct yuv_format *f = &yuv_formats[i];

		yuv_layout(&fb, f, 67, 45, false, 0);
		igt_assert_eq(__yuv_addfb(&fb, 0, 0), 0);
		for (enc = BT601; enc <= BT2020; enc++) {
			for (full = 0; full < 2; full++) {
				struct yuv_case c = { 3, 1, 61, 43, 101, 37 };

				yuv_fill(&fb, full, enc * 2 + full);
				snprintf(what, sizeof(what), "%s %s %s", f->name,
					 encodings[enc].name, full ? "full" : "limited");
				check_yuv_scanout(&fb, enc, full, &c, what);
			}
		}
		/* odd offsets again, clipped by the CRTC's bottom-right corner */
		{
			struct yuv_case c = { 5, 3, 61, 41, (int)d.w - 30, (int)d.h - 17 };

			check_yuv_scanout(&fb, BT709, true, &c, f->name);
		}
		yuv_fb_free(&fb);
	}
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

/*
 * Multi-plane framebuffers whose planes are in separate objects, at
 * non-zero offsets, with padded pitches.
 */
static void test_yuv_multi_object(void)
{
	static const uint32_t formats[] = { DRM_FORMAT_NV12, DRM_FORMAT_YUV420,
					    DRM_FORMAT_P010, DRM_FORMAT_NV16 };
	struct yuv_fb fb;
	unsigned int i, j, sep;

	open_display();
	modeset();
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		for (j = 0; yuv_formats[j].fourcc != formats[i]; j++)
			;
		for (sep = 0; sep < 2; sep++) {
			struct yuv_case c = { 1, 1, 126, 77, 200, 300 };

			yuv_layout(&fb, &yuv_formats[j], 128, 79, sep, 36);
			igt_assert_eq(__yuv_addfb(&fb, 0, 0), 0);
			yuv_fill(&fb, false, i + 5);
			check_yuv_scanout(&fb, BT601, false, &c, yuv_formats[j].name);
			yuv_fb_free(&fb);
		}
	}
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

/*
 * The errors of malformed Y'CbCr framebuffers and plane properties, each
 * with its errno (the DRM core's checks, which the driver relies on).
 */
static void test_bad_yuv(void)
{
	const struct yuv_format *nv12 = &yuv_formats[0], *yuv420 = &yuv_formats[3];
	struct drm_mode_fb_cmd2 c;
	struct yuv_fb fb;
	struct vmsm_kms_req r;
	uint32_t saved;
	int ret;

	open_display();
	modeset();

	yuv_layout(&fb, nv12, 64, 48, true, 0);
	/* luma pitch shorter than a row */
	saved = fb.pitch[0];
	fb.pitch[0] = 63;
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), -EINVAL);
	fb.pitch[0] = saved;
	/* chroma pitch shorter than a row of CbCr pairs */
	saved = fb.pitch[1];
	fb.pitch[1] = 62;
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), -EINVAL);
	fb.pitch[1] = saved;
	/* the chroma plane past the end of its object */
	fb.offset[1] = fb.size[1] - fb.pitch[1] * 23;
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), -EINVAL);
	fb.offset[1] = (uint32_t)fb.size[1];
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), -EINVAL);
	fb.offset[1] = 0;
	/* a pitch so large that the luma plane leaves its object */
	fb.pitch[0] = (uint32_t)(fb.size[0] / 47) + 1;
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), -EINVAL);
	fb.pitch[0] = saved = 64;
	/* no object for the chroma plane */
	saved = fb.handle[1];
	fb.handle[1] = 0;
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), -EINVAL);
	/* a handle that does not exist */
	fb.handle[1] = 0xdead;
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), -ENOENT);
	fb.handle[1] = saved;
	/* a modifier other than linear */
	igt_assert_eq(__yuv_addfb(&fb, DRM_MODE_FB_MODIFIERS, I915_FORMAT_MOD_X_TILED),
		      -EINVAL);
	/* different modifiers per plane */
	memset(&c, 0, sizeof(c));
	c.width = 64;
	c.height = 48;
	c.pixel_format = DRM_FORMAT_NV12;
	c.flags = DRM_MODE_FB_MODIFIERS;
	c.handles[0] = fb.handle[0];
	c.handles[1] = fb.handle[1];
	c.pitches[0] = 64;
	c.pitches[1] = 64;
	c.modifier[1] = I915_FORMAT_MOD_X_TILED;
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_MODE_ADDFB2, &c) ? -errno : 0, -EINVAL);
	/* and with everything right, it is accepted, linear modifier or none */
	igt_assert_eq(__yuv_addfb(&fb, DRM_MODE_FB_MODIFIERS, DRM_FORMAT_MOD_LINEAR), 0);
	vmsm_kms_rmfb(fd, fb.fb_id);
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), 0);

	/* Y'CbCr on the cursor plane (ARGB8888 only) */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.cursor, d.crtc, fb.fb_id, 0, 0, 64, 48, 0, 0, 64, 48);
	ret = __vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0);
	igt_assert_eq(ret, -EINVAL);
	/* an encoding and a range that are not in the properties' enums */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb.fb_id, 0, 0, 64, 48, 0, 0, 64, 48);
	vmsm_kms_req_plane(fd, &r, d.overlay, "COLOR_ENCODING", 7);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb.fb_id, 0, 0, 64, 48, 0, 0, 64, 48);
	vmsm_kms_req_plane(fd, &r, d.overlay, "COLOR_RANGE", 2);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	/* two rotations at once */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb.fb_id, 0, 0, 64, 48, 0, 0, 64, 48);
	vmsm_kms_req_plane(fd, &r, d.overlay, "rotation", DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_180);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	/* rotate-90 with the unrotated destination size: that would scale */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb.fb_id, 0, 0, 64, 48, 0, 0, 64, 48);
	vmsm_kms_req_plane(fd, &r, d.overlay, "rotation", DRM_MODE_ROTATE_90);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -ERANGE);
	/* the primary does not rotate: no such property */
	igt_assert_eq(vmsm_kms_find_prop(fd, d.primary, DRM_MODE_OBJECT_PLANE, "rotation",
				    NULL, NULL), -ENOENT);
	/* the valid request passes */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb.fb_id, 1, 1, 63, 47, 0, 0, 63, 47);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), 0);

	yuv_fb_free(&fb);
	(void)yuv420;
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

/* ---- writeback into NV12 ---- */

/*
 * The NV12 capture of the primary's pattern: each luma code within one
 * code of the exact BT.601 limited range Y' of its pixel, each chroma
 * pair of the exact Pb, Pr of the mean of its 2x2 block.
 */
static void test_writeback_nv12(void)
{
	const double kr = encodings[BT601].kr, kb = encodings[BT601].kb, kg = 1 - kr - kb;
	struct yuv_fb wb;
	unsigned int x, y, i, bad = 0;
	struct vmsm_kms_req r;
	char first[128] = "";

	open_display();
	modeset();
	yuv_layout(&wb, &yuv_formats[0], d.w, d.h, true, 64);
	igt_assert_eq(__yuv_addfb(&wb, 0, 0), 0);
	memset(wb.plane[0], 0x5a, (size_t)wb.pitch[0] * d.h);
	vmsm_kms_req_init(&r);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb.fb_id, 0);

	for (y = 0; y < d.h; y++) {
		for (x = 0; x < d.w; x++) {
			uint32_t p = vmsm_kms_address_pattern(x, y);
			double e = 16 + 219 * (kr * (p >> 16) + kg * (p >> 8 & 0xff) +
					       kb * (p & 0xff)) / 255;
			unsigned int got = get_sample(&wb, 0, x, y, 0);

			if (!vmsm_kms_code_ok(got, e) && !bad++)
				snprintf(first, sizeof(first), "Y at (%u, %u): %u, exact %.3f",
					 x, y, got, e);
		}
	}
	for (y = 0; y < d.h / 2; y++) {
		for (x = 0; x < d.w / 2; x++) {
			double pb = 0, pr = 0;

			for (i = 0; i < 4; i++) {
				uint32_t p = vmsm_kms_address_pattern(2 * x + i % 2, 2 * y + i / 2);
				double r = (p >> 16) / 255.0, g = (p >> 8 & 0xff) / 255.0;
				double b = (p & 0xff) / 255.0, yy = kr * r + kg * g + kb * b;

				pb += (b - yy) / (2 * (1 - kb)) / 4;
				pr += (r - yy) / (2 * (1 - kr)) / 4;
			}
			if (!vmsm_kms_code_ok(get_sample(&wb, 1, x, y, 0), 128 + 224 * pb) &&
			    !bad++)
				snprintf(first, sizeof(first), "Cb at (%u, %u): %u, exact %.3f",
					 x, y, get_sample(&wb, 1, x, y, 0), 128 + 224 * pb);
			if (!vmsm_kms_code_ok(get_sample(&wb, 1, x, y, 1), 128 + 224 * pr) &&
			    !bad++)
				snprintf(first, sizeof(first), "Cr at (%u, %u): %u, exact %.3f",
					 x, y, get_sample(&wb, 1, x, y, 1), 128 + 224 * pr);
		}
	}
	igt_assert_f(bad == 0, "%u codes off, first %s\n", bad, first);
	/* the padding of the pitches is not written */
	igt_assert_eq(wb.plane[0][d.w], 0x5a);
	igt_assert_eq(wb.plane[1][d.w], 0);

	yuv_fb_free(&wb);
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

/* ---- rotation and reflection ---- */

/*
 * Where the pixel (i, j) of the destination comes from in a sw x sh
 * source image: reflection of the sampled image first, then the
 * counter-clockwise rotation (drm_blend.c). Returns (u, v) in the source
 * rectangle.
 */
static void rot_source(uint32_t rot, unsigned int sw, unsigned int sh, unsigned int i,
		       unsigned int j, unsigned int *u, unsigned int *v)
{
	unsigned int a, b;

	/* (a, b): the pixel of the reflected image shown at (i, j) */
	switch (rot & 0xf) {
	case DRM_MODE_ROTATE_90:	/* (a, b) shows at (b, sw - 1 - a) */
		a = sw - 1 - j;
		b = i;
		break;
	case DRM_MODE_ROTATE_180:	/* at (sw - 1 - a, sh - 1 - b) */
		a = sw - 1 - i;
		b = sh - 1 - j;
		break;
	case DRM_MODE_ROTATE_270:	/* at (sh - 1 - b, a) */
		a = j;
		b = sh - 1 - i;
		break;
	default:
		a = i;
		b = j;
		break;
	}
	*u = rot & DRM_MODE_REFLECT_X ? sw - 1 - a : a;
	*v = rot & DRM_MODE_REFLECT_Y ? sh - 1 - b : b;
}

static uint32_t ov_pixel(unsigned int x, unsigned int y)
{
	return (x * 37 + y * 11) % 251 << 16 | (x * 5 + y * 29) % 241 << 8 |
	       (x * y + 7) % 239;
}

/*
 * An XRGB8888 overlay of odd size, shown from an odd source rectangle
 * with each rotation and reflection at (cx, cy), possibly partly off the
 * CRTC, and captured; every pixel compared with the reference.
 */
static void check_rotation(const struct vmsm_kms_fb *ov, uint32_t rot, int cx, int cy,
			   const char *what)
{
	const unsigned int sx = 3, sy = 5, sw = 57, sh = 31;
	bool swap = rot & (DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_270);
	unsigned int dw = swap ? sh : sw, dh = swap ? sw : sh;
	unsigned int x, y, u, v, bad = 0, fx = 0, fy = 0;
	uint32_t got = 0, want = 0;
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, ov->fb_id, sx, sy, sw, sh, cx, cy,
				  dw, dh);
	vmsm_kms_req_plane(fd, &r, d.overlay, "rotation", rot);
	vmsm_kms_req_plane(fd, &r, d.overlay, "alpha", 0xffff);
	vmsm_kms_req_plane(fd, &r, d.overlay, "pixel blend mode", d.blend_none);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wbx.fb_id, 0);

	for (y = 0; y < d.h; y++) {
		for (x = 0; x < d.w; x++) {
			int i = (int)x - cx, j = (int)y - cy;
			uint32_t px = wb_pixel(x, y), ref;

			if (i < 0 || j < 0 || i >= (int)dw || j >= (int)dh) {
				ref = vmsm_kms_address_pattern(x, y);
			} else {
				rot_source(rot, sw, sh, i, j, &u, &v);
				ref = ((const uint32_t *)((const uint8_t *)ov->map +
					(uint64_t)(sy + v) * ov->pitch))[sx + u] & 0xffffff;
			}
			if (px != ref && !bad++) {
				fx = x;
				fy = y;
				got = px;
				want = ref;
			}
		}
	}
	igt_assert_f(bad == 0, "%s: %u pixels differ, first at (%u, %u): %06x, expected %06x\n",
		     what, bad, fx, fy, got, want);
}

static const struct {
	uint32_t rot;
	const char *name;
} rotations[] = {
	{ DRM_MODE_ROTATE_0, "rotate-0" },
	{ DRM_MODE_ROTATE_90, "rotate-90" },
	{ DRM_MODE_ROTATE_180, "rotate-180" },
	{ DRM_MODE_ROTATE_270, "rotate-270" },
	{ DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_X, "reflect-x" },
	{ DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_Y, "reflect-y" },
	{ DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_X | DRM_MODE_REFLECT_Y, "reflect-xy" },
	{ DRM_MODE_ROTATE_90 | DRM_MODE_REFLECT_X, "rotate-90-reflect-x" },
	{ DRM_MODE_ROTATE_90 | DRM_MODE_REFLECT_Y, "rotate-90-reflect-y" },
	{ DRM_MODE_ROTATE_180 | DRM_MODE_REFLECT_X, "rotate-180-reflect-x" },
	{ DRM_MODE_ROTATE_270 | DRM_MODE_REFLECT_X, "rotate-270-reflect-x" },
	{ DRM_MODE_ROTATE_270 | DRM_MODE_REFLECT_Y, "rotate-270-reflect-y" },
	{ DRM_MODE_ROTATE_90 | DRM_MODE_REFLECT_X | DRM_MODE_REFLECT_Y,
	  "rotate-90-reflect-xy" },
};

static void test_rotation(void)
{
	struct vmsm_kms_fb ov;
	unsigned int i, x, y;

	open_display();
	modeset();
	vmsm_kms_dumb_fb(fd, 67, 41, DRM_FORMAT_XRGB8888, &ov);
	for (y = 0; y < ov.height; y++)
		for (x = 0; x < ov.width; x++)
			((uint32_t *)((uint8_t *)ov.map + (uint64_t)y * ov.pitch))[x] =
				ov_pixel(x, y);
	for (i = 0; i < ARRAY_SIZE(rotations); i++) {
		char what[64];

		check_rotation(&ov, rotations[i].rot, 301, 203, rotations[i].name);
		/* clipped by the CRTC's top-left, then bottom-right corner */
		snprintf(what, sizeof(what), "%s, clipped top-left", rotations[i].name);
		check_rotation(&ov, rotations[i].rot, -20, -7, what);
		snprintf(what, sizeof(what), "%s, clipped bottom-right", rotations[i].name);
		check_rotation(&ov, rotations[i].rot, (int)d.w - 25, (int)d.h - 11, what);
	}
	vmsm_kms_fb_free(&ov);
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

/*
 * Rotation of a Y'CbCr plane: the rotated NV12 image is the rotation of
 * its conversion, with the chroma of each pixel's framebuffer position.
 */
static void test_rotation_yuv(void)
{
	const unsigned int sx = 1, sy = 3, sw = 41, sh = 29;
	const int cx = 500, cy = 100;
	struct yuv_fb fb;
	unsigned int i, x, y, u, v, k, bad = 0;
	char first[160] = "";

	open_display();
	modeset();
	yuv_layout(&fb, &yuv_formats[0], 45, 35, false, 0);
	igt_assert_eq(__yuv_addfb(&fb, 0, 0), 0);
	yuv_fill(&fb, false, 3);
	for (i = 0; i < ARRAY_SIZE(rotations); i++) {
		uint32_t rot = rotations[i].rot;
		bool swap = rot & (DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_270);
		unsigned int dw = swap ? sh : sw, dh = swap ? sw : sh;
		struct vmsm_kms_req r;

		vmsm_kms_req_init(&r);
		vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb.fb_id, sx, sy, sw, sh,
					  cx, cy, dw, dh);
		vmsm_kms_req_plane(fd, &r, d.overlay, "rotation", rot);
		vmsm_kms_req_plane(fd, &r, d.overlay, "COLOR_ENCODING",
				   vmsm_kms_prop_enum(fd, d.overlay, DRM_MODE_OBJECT_PLANE,
						      "COLOR_ENCODING", encodings[BT709].prop));
		vmsm_kms_req_plane(fd, &r, d.overlay, "COLOR_RANGE",
				   vmsm_kms_prop_enum(fd, d.overlay, DRM_MODE_OBJECT_PLANE,
						      "COLOR_RANGE", "YCbCr limited range"));
		vmsm_kms_commit_writeback(fd, &r, d.wb, wbx.fb_id, 0);
		for (y = 0; y < dh; y++) {
			for (x = 0; x < dw; x++) {
				uint32_t px = wb_pixel(cx + x, cy + y);
				unsigned int Y, cb, cr;
				double rgb[3];

				rot_source(rot, sw, sh, x, y, &u, &v);
				yuv_codes(&fb, sx + u, sy + v, &Y, &cb, &cr);
				vmsm_kms_ycbcr_to_rgb(encodings[BT709].kr, encodings[BT709].kb,
						      false, 8, Y, cb, cr, rgb);
				for (k = 0; k < 3; k++) {
					if (vmsm_kms_code_ok(px >> (16 - 8 * k) & 0xff, rgb[k]))
						continue;
					if (!bad++)
						snprintf(first, sizeof(first),
							 "%s (%u, %u): %06x, exact %.3f %.3f %.3f",
							 rotations[i].name, x, y, px, rgb[0],
							 rgb[1], rgb[2]);
				}
			}
		}
	}
	igt_assert_f(bad == 0, "%u channels off, first %s\n", bad, first);
	yuv_fb_free(&fb);
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

/* ---- CRC consistency ---- */

static uint32_t crc_of(int crc_fd, uint32_t fb_id, unsigned int sw, unsigned int sh,
		       uint32_t rot, int enc)
{
	bool swap = rot & (DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_270);
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req_scaled(fd, &r, d.overlay, d.crtc, fb_id, 0, 0, sw, sh, 77, 55,
				  swap ? sh : sw, swap ? sw : sh);
	vmsm_kms_req_plane(fd, &r, d.overlay, "rotation", rot);
	vmsm_kms_req_plane(fd, &r, d.overlay, "COLOR_ENCODING",
			   vmsm_kms_prop_enum(fd, d.overlay, DRM_MODE_OBJECT_PLANE,
					      "COLOR_ENCODING", encodings[enc].prop));
	vmsm_kms_commit(fd, &r, 0);
	return vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd);
}

/*
 * CRCs agree with the captures' meaning: the same codes in NV12, NV21 and
 * YUV420 give the same frame, another encoding another frame; an image
 * rotated by the plane gives the frame of the same image rotated in
 * memory (the test rotates it with the equations above).
 */
static void test_crc(void)
{
	const unsigned int w = 50, h = 34;	/* at least the minimum framebuffer size, 32 */
	struct yuv_fb a, b, c;
	struct vmsm_kms_fb ov, ovr;
	unsigned int x, y, u, v;
	uint32_t crc0, crc;
	int crc_fd;

	open_display();
	modeset();
	crc_fd = vmsm_kms_crc_open(fd, 0);
	igt_assert_lte(0, crc_fd);

	yuv_layout(&a, &yuv_formats[0], w, h, false, 0);
	yuv_layout(&b, &yuv_formats[1], w, h, false, 0);
	yuv_layout(&c, &yuv_formats[3], w, h, true, 8);
	yuv_fill(&a, false, 9);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			unsigned int Y, cb, cr;

			yuv_codes(&a, x, y, &Y, &cb, &cr);
			put_sample(&b, 0, x, y, 0, Y);
			put_sample(&c, 0, x, y, 0, Y);
			put_sample(&b, 1, x / 2, y / 2, 0, cr);
			put_sample(&b, 1, x / 2, y / 2, 1, cb);
			put_sample(&c, 1, x / 2, y / 2, 0, cb);
			put_sample(&c, 2, x / 2, y / 2, 0, cr);
		}
	}
	igt_assert_eq(__yuv_addfb(&a, 0, 0), 0);
	igt_assert_eq(__yuv_addfb(&b, 0, 0), 0);
	igt_assert_eq(__yuv_addfb(&c, 0, 0), 0);
	crc0 = crc_of(crc_fd, a.fb_id, w, h, DRM_MODE_ROTATE_0, BT709);
	igt_assert_eq_u32(crc_of(crc_fd, b.fb_id, w, h, DRM_MODE_ROTATE_0, BT709), crc0);
	igt_assert_eq_u32(crc_of(crc_fd, c.fb_id, w, h, DRM_MODE_ROTATE_0, BT709), crc0);
	crc = crc_of(crc_fd, a.fb_id, w, h, DRM_MODE_ROTATE_0, BT2020);
	igt_assert_neq(crc, crc0);

	/* rotate-270 with reflect-x of ov against ovr, ov rotated in memory */
	vmsm_kms_dumb_fb(fd, w, h, DRM_FORMAT_XRGB8888, &ov);
	vmsm_kms_dumb_fb(fd, h, w, DRM_FORMAT_XRGB8888, &ovr);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			((uint32_t *)((uint8_t *)ov.map + (uint64_t)y * ov.pitch))[x] =
				ov_pixel(x, y);
	for (y = 0; y < w; y++) {
		for (x = 0; x < h; x++) {
			rot_source(DRM_MODE_ROTATE_270 | DRM_MODE_REFLECT_X, w, h, x, y, &u, &v);
			((uint32_t *)((uint8_t *)ovr.map + (uint64_t)y * ovr.pitch))[x] =
				ov_pixel(u, v);
		}
	}
	crc0 = crc_of(crc_fd, ovr.fb_id, h, w, DRM_MODE_ROTATE_0, BT601);
	crc = crc_of(crc_fd, ov.fb_id, w, h, DRM_MODE_ROTATE_270 | DRM_MODE_REFLECT_X, BT601);
	igt_assert_eq_u32(crc, crc0);
	crc = crc_of(crc_fd, ov.fb_id, w, h, DRM_MODE_ROTATE_90 | DRM_MODE_REFLECT_X, BT601);
	igt_assert_neq(crc, crc0);

	close(crc_fd);
	yuv_fb_free(&a);
	yuv_fb_free(&b);
	yuv_fb_free(&c);
	vmsm_kms_fb_free(&ov);
	vmsm_kms_fb_free(&ovr);
	vmsm_kms_fb_free(&prim);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

static void objects_settle(void)
{
	int f = igt_vmsm_open_driver();
	int n = vmsm_debugfs_count(f, "objects"), waited;

	for (waited = 0; n != baseline_objects && waited < 5000; waited += 10) {
		usleep(10000);
		n = vmsm_debugfs_count(f, "objects");
	}
	igt_assert_eq(n, baseline_objects);
	drm_close_driver(f);
}

igt_main
{
	igt_fixture {
		int f = igt_vmsm_open_driver();

		baseline_objects = vmsm_debugfs_count(f, "objects");
		igt_assert_lte(0, baseline_objects);
		drm_close_driver(f);
	}

	igt_describe("NV12, NV21, NV16, YUV420, YVU420 and P010 overlays with each COLOR_ENCODING and COLOR_RANGE, odd sizes and source offsets, captured and compared with the standard conversion of the framebuffer's codes.");
	igt_subtest("yuv-formats")
		test_yuv_formats();

	igt_describe("Multi-plane framebuffers with each plane in its own object or all in one, at offsets, with padded pitches.");
	igt_subtest("yuv-multi-object")
		test_yuv_multi_object();

	igt_describe("Malformed Y'CbCr framebuffers (pitches, offsets, objects, modifiers) and plane properties (encoding, range, rotation) fail with their errno.");
	igt_subtest("bad-yuv")
		test_bad_yuv();

	igt_describe("Writeback into NV12 (two objects, padded pitches): BT.601 limited range codes of the composed frame, chroma of each 2x2 block's mean.");
	igt_subtest("writeback-nv12")
		test_writeback_nv12();

	igt_describe("Overlay rotation 0/90/180/270 with reflect-x/reflect-y combinations, odd source rectangle, on the CRTC and clipped by its corners, exact in the capture.");
	igt_subtest("rotation")
		test_rotation();

	igt_describe("An NV12 overlay rotated and reflected: the rotation of its conversion.");
	igt_subtest("rotation-yuv")
		test_rotation_yuv();

	igt_describe("CRCs: the same codes in NV12, NV21 and YUV420 agree, another encoding differs; a rotated and reflected plane matches the image rotated in memory.");
	igt_subtest("crc")
		test_crc();

	igt_fixture {
		vmsm_kms_close(&fd);
		objects_settle();
	}
}
