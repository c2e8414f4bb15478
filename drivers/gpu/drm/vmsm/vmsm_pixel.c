// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: display engine: pixels
 *
 * The composer works on rows of ARGB8888 pixels held as 32-bit words in
 * CPU byte order. Framebuffer rows are converted to that form as a whole
 * (vmsm_pixel_loader()), blended onto the frame being composed
 * (vmsm_pixel_blend_row()), and the composed frame is converted back to a
 * writeback target's format (vmsm_pixel_store_row()). The functions here
 * are pure and deterministic, so that the same contents always give the
 * same frame, and thus the same CRC.
 *
 * Loading: the DRM formats are little-endian words whatever the CPU
 * (RGB888 and BGR888: three bytes, blue first and red first in memory).
 * Formats without alpha (XRGB8888, XBGR8888, RGB565, RGB888, BGR888,
 * XRGB2101010) load as opaque, the X bits ignored; RGB565's 5 and 6 bit
 * channels widen by bit replication, so that 0 and the maximum map to 0x00
 * and 0xff. The composer's precision is 8 bits per channel: the 10-bit
 * channels of XRGB2101010 and ARGB2101010 narrow to the nearest 8-bit
 * value, ``(c * 255 + 511) / 1023``, and the 2-bit alpha of ARGB2101010
 * widens by bit replication (``a * 0x55``).
 *
 * Y'CbCr formats (NV12, NV21, NV16, YUV420, YVU420, P010) convert to
 * R'G'B' with the plane's ``COLOR_ENCODING`` and ``COLOR_RANGE`` (see
 * "Y'CbCr conversions"); P010's codes are the 10 high bits of each 16-bit
 * little-endian sample. Chroma is not interpolated: a chroma sample
 * applies to every pixel of the block of luma samples it stands for in
 * the framebuffer (2x2 for the 4:2:0 formats, 2x1 for NV16), whatever the
 * source rectangle, so the pixel at framebuffer column x takes the chroma
 * of column x / 2 (and row y / 2 for 4:2:0). The KMS uAPI defines no
 * chroma siting property; this is the layout drm_fourcc.h describes.
 *
 * Storing (writeback): XRGB8888 and ARGB8888 take the frame's words as
 * they are (the X bits set); XRGB2101010 widens each 8-bit channel to the
 * nearest 10-bit value, ``(c * 1023 + 127) / 255``, with the X bits set,
 * so that a 10-bit channel read from a plane comes back unchanged
 * whenever it is the nearest to an 8-bit value (0 and 1023 among them).
 * NV12 is BT.601 limited range (the writeback connector has no encoding
 * property): the luma of each pixel, and for each 2x2 block of pixels
 * (fewer at an odd right or bottom edge) the chroma of their mean.
 * Neither rounding is ever halfway (255 and 1023 are odd).
 *
 * Blending, with the plane alpha pa and the pixel alpha fa in [0, 1], the
 * pixel's colour fg and the colour bg below it:
 *
 * - None: out = pa * fg + (1 - pa) * bg
 * - Pre-multiplied: out = pa * fg + (1 - pa * fa) * bg, clamped to 1 (a
 *   colour larger than its alpha is not a valid pre-multiplied colour)
 * - Coverage: out = pa * fa * fg + (1 - pa * fa) * bg
 *
 * The arithmetic is in integers with the plane alpha's 16 bits: pa * fa
 * is rounded to 16 bits, each channel to 8 bits, to the nearest value. A
 * plane alpha of 0 leaves the pixels below unchanged, and an opaque plane
 * of opaque pixels replaces them exactly. The frame below the planes is
 * opaque (black), so the result is too: its alpha is always 0xff.
 */

#include <linux/minmax.h>
#include <linux/types.h>

#include <drm/drm_fourcc.h>

#include "vmsm_pixel.h"

#define ALPHA_MASK	0xff000000u

static inline u32 load_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static inline void store_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* ABGR <-> ARGB: swap the red and blue channels. */
static inline u32 swap_rb(u32 v)
{
	return (v & 0xff00ff00u) | (v & 0xffu) << 16 | ((v >> 16) & 0xffu);
}

static void load_argb8888(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = load_le32(src + 4 * i);
}

static void load_xrgb8888(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = load_le32(src + 4 * i) | ALPHA_MASK;
}

static void load_abgr8888(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = swap_rb(load_le32(src + 4 * i));
}

static void load_xbgr8888(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = swap_rb(load_le32(src + 4 * i)) | ALPHA_MASK;
}

static void load_rgb565(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;
	u32 v, r, g, b;

	for (i = 0; i < n; i++) {
		v = src[2 * i] | src[2 * i + 1] << 8;
		r = v >> 11;
		g = (v >> 5) & 0x3f;
		b = v & 0x1f;
		r = (r << 3) | (r >> 2);
		g = (g << 2) | (g >> 4);
		b = (b << 3) | (b >> 2);
		dst[i] = ALPHA_MASK | r << 16 | g << 8 | b;
	}
}

static void load_rgb888(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, src += 3)
		dst[i] = ALPHA_MASK | src[2] << 16 | src[1] << 8 | src[0];
}

static void load_bgr888(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, src += 3)
		dst[i] = ALPHA_MASK | src[0] << 16 | src[1] << 8 | src[2];
}

/* A 10-bit channel to the nearest 8-bit value. */
static inline u32 narrow_10(u32 c)
{
	return ((c & 0x3ff) * 255 + 511) / 1023;
}

static inline u32 load_2101010(u32 v)
{
	return narrow_10(v >> 20) << 16 | narrow_10(v >> 10) << 8 | narrow_10(v);
}

static void load_xrgb2101010(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = ALPHA_MASK | load_2101010(load_le32(src + 4 * i));
}

static void load_argb2101010(u32 *dst, const u8 *src, unsigned int n)
{
	unsigned int i;
	u32 v;

	for (i = 0; i < n; i++) {
		v = load_le32(src + 4 * i);
		dst[i] = (v >> 30) * 0x55 << 24 | load_2101010(v);
	}
}

/**
 * vmsm_pixel_loader() - the row converter of a framebuffer format
 * @format: DRM fourcc of the framebuffer
 * @cpp: where to store the bytes per pixel of @format
 *
 * Return: the function converting rows of @format to ARGB8888, or NULL if
 * the display engine cannot scan out @format.
 */
vmsm_pixel_load_fn vmsm_pixel_loader(u32 format, unsigned int *cpp)
{
	*cpp = 4;
	switch (format) {
	case DRM_FORMAT_ARGB8888:
		return load_argb8888;
	case DRM_FORMAT_XRGB8888:
		return load_xrgb8888;
	case DRM_FORMAT_ABGR8888:
		return load_abgr8888;
	case DRM_FORMAT_XBGR8888:
		return load_xbgr8888;
	case DRM_FORMAT_XRGB2101010:
		return load_xrgb2101010;
	case DRM_FORMAT_ARGB2101010:
		return load_argb2101010;
	case DRM_FORMAT_RGB565:
		*cpp = 2;
		return load_rgb565;
	case DRM_FORMAT_RGB888:
		*cpp = 3;
		return load_rgb888;
	case DRM_FORMAT_BGR888:
		*cpp = 3;
		return load_bgr888;
	default:
		*cpp = 0;
		return NULL;
	}
}

/**
 * vmsm_pixel_can_store() - whether vmsm_pixel_store_row() writes a format
 * @format: DRM fourcc
 *
 * Return: true for XRGB8888, ARGB8888 and XRGB2101010, the writeback
 * formats (each 4 bytes per pixel).
 */
bool vmsm_pixel_can_store(u32 format)
{
	return format == DRM_FORMAT_XRGB8888 || format == DRM_FORMAT_ARGB8888 ||
	       format == DRM_FORMAT_XRGB2101010;
}

/* An 8-bit channel to the nearest 10-bit value. */
static inline u32 widen_8(u32 c)
{
	return ((c & 0xff) * 1023 + 127) / 255;
}

/**
 * vmsm_pixel_store_row() - convert a row of ARGB8888 pixels for memory
 * @format: DRM fourcc of the target, one vmsm_pixel_can_store() accepts
 * @dst: @n pixels of @format, as stored in memory (any alignment)
 * @src: @n ARGB8888 pixels, CPU byte order
 * @n: pixels in the row
 *
 * XRGB8888 and XRGB2101010 targets get their X bits set, as if opaque.
 */
void vmsm_pixel_store_row(u32 format, u8 *dst, const u32 *src, unsigned int n)
{
	u32 x = format == DRM_FORMAT_XRGB8888 ? ALPHA_MASK : 0;
	unsigned int i;
	u32 v;

	if (format == DRM_FORMAT_XRGB2101010) {
		for (i = 0; i < n; i++) {
			v = src[i];
			store_le32(dst + 4 * i, 0xc0000000u | widen_8(v >> 16) << 20 |
				   widen_8(v >> 8) << 10 | widen_8(v));
		}
		return;
	}
	for (i = 0; i < n; i++)
		store_le32(dst + 4 * i, src[i] | x);
}

static inline u32 load_le16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

/* Luma and chroma codes of pixel @i of a row, chroma index @k. */
static void yuv_codes(u32 format, const u8 *const src[3], unsigned int i,
		      unsigned int k, u32 *y, u32 *cb, u32 *cr)
{
	switch (format) {
	case DRM_FORMAT_P010:
		*y = load_le16(src[0] + 2 * i) >> 6;
		*cb = load_le16(src[1] + 4 * k) >> 6;
		*cr = load_le16(src[1] + 4 * k + 2) >> 6;
		return;
	case DRM_FORMAT_NV21:
		*cr = src[1][2 * k];
		*cb = src[1][2 * k + 1];
		break;
	case DRM_FORMAT_YUV420:
		*cb = src[1][k];
		*cr = src[2][k];
		break;
	case DRM_FORMAT_YVU420:
		*cr = src[1][k];
		*cb = src[2][k];
		break;
	default:	/* NV12, NV16 */
		*cb = src[1][2 * k];
		*cr = src[1][2 * k + 1];
		break;
	}
	*y = src[0][i];
}

/**
 * vmsm_pixel_yuv_format() - whether vmsm_pixel_load_yuv_row() reads a format
 * @format: DRM fourcc
 *
 * Return: true for NV12, NV21, NV16, YUV420, YVU420 and P010.
 */
bool vmsm_pixel_yuv_format(u32 format)
{
	switch (format) {
	case DRM_FORMAT_NV12:
	case DRM_FORMAT_NV21:
	case DRM_FORMAT_NV16:
	case DRM_FORMAT_YUV420:
	case DRM_FORMAT_YVU420:
	case DRM_FORMAT_P010:
		return true;
	default:
		return false;
	}
}

/**
 * vmsm_pixel_load_yuv_row() - convert a row of a Y'CbCr framebuffer
 * @format: DRM fourcc: NV12, NV21, NV16, YUV420, YVU420 or P010
 * @dst: @n ARGB8888 pixels, CPU byte order
 * @src: the row's samples as stored in memory: @src[0] the luma of the
 *	@n pixels, @src[1] (and @src[2] for the three-plane formats) the
 *	chroma from the sample of pixel @x0 on
 * @x0: framebuffer column of the first pixel, which decides which chroma
 *	sample each pixel takes (horizontal subsampling by 2)
 * @n: pixels in the row
 * @m: the conversion (the plane's encoding and range, the format's depth)
 */
void vmsm_pixel_load_yuv_row(u32 format, u32 *dst, const u8 *const src[3],
			     unsigned int x0, unsigned int n,
			     const struct vmsm_yuv_to_rgb *m)
{
	unsigned int i;
	u32 y, cb, cr;

	for (i = 0; i < n; i++) {
		yuv_codes(format, src, i, (x0 + i) / 2 - x0 / 2, &y, &cb, &cr);
		dst[i] = vmsm_yuv_to_argb(m, y, cb, cr);
	}
}

/**
 * vmsm_pixel_store_nv12() - convert two rows of ARGB8888 pixels to NV12
 * @y0: @n luma samples of the first row
 * @y1: @n luma samples of the second row, or NULL if there is none (a
 *	frame of odd height)
 * @c: (@n + 1) / 2 CbCr pairs, for both rows
 * @row0: @n ARGB8888 pixels, the first row
 * @row1: @n ARGB8888 pixels, the second row, or NULL
 * @n: pixels in a row
 * @m: the conversion, 8-bit
 *
 * Each chroma pair is that of the mean of the up to 2x2 pixels it covers.
 */
void vmsm_pixel_store_nv12(u8 *y0, u8 *y1, u8 *c, const u32 *row0,
			   const u32 *row1, unsigned int n,
			   const struct vmsm_rgb_to_yuv *m)
{
	unsigned int i, k, w;
	u32 block[4], cb, cr;

	for (i = 0; i < n; i++) {
		y0[i] = vmsm_rgb_to_y(m, row0[i]);
		if (row1)
			y1[i] = vmsm_rgb_to_y(m, row1[i]);
	}
	for (i = 0; i < n; i += 2) {
		w = min(2u, n - i);
		k = 0;
		block[k++] = row0[i];
		if (w == 2)
			block[k++] = row0[i + 1];
		if (row1) {
			block[k++] = row1[i];
			if (w == 2)
				block[k++] = row1[i + 1];
		}
		vmsm_rgb_to_cbcr(m, block, k, &cb, &cr);
		c[i] = cb;
		c[i + 1] = cr;
	}
}

/* x / 65535, rounded to the nearest integer */
static inline u32 div_round_65535(u32 x)
{
	return (x + 32767) / 65535;
}

/*
 * One pixel: kf * fg + kb * bg for each colour channel, with the weights
 * in 1/65535 units, clamped to 0xff; the result is opaque.
 */
static inline u32 blend_pixel(u32 bg, u32 fg, u32 kf, u32 kb)
{
	u32 out = ALPHA_MASK;
	unsigned int shift;
	u32 v;

	for (shift = 0; shift < 24; shift += 8) {
		v = div_round_65535(kf * ((fg >> shift) & 0xff) +
				    kb * ((bg >> shift) & 0xff));
		out |= (v > 0xff ? 0xff : v) << shift;
	}
	return out;
}

/**
 * vmsm_pixel_blend_row() - blend a row of a plane onto the frame below it
 * @dst: @n ARGB8888 pixels of the opaque frame, blended in place
 * @src: @n ARGB8888 pixels of the plane
 * @n: pixels in the row
 * @alpha: the plane alpha, %VMSM_ALPHA_OPAQUE for an opaque plane
 * @mode: the plane's blend mode
 *
 * The result is opaque, see "display engine: pixels" for the equations.
 */
void vmsm_pixel_blend_row(u32 *dst, const u32 *src, unsigned int n, u16 alpha,
			  enum vmsm_blend mode)
{
	unsigned int i;
	u32 a, kf;

	if (!alpha)
		return;

	if (mode == VMSM_BLEND_NONE) {
		if (alpha == VMSM_ALPHA_OPAQUE) {
			for (i = 0; i < n; i++)
				dst[i] = src[i] | ALPHA_MASK;
			return;
		}
		for (i = 0; i < n; i++)
			dst[i] = blend_pixel(dst[i], src[i], alpha,
					     VMSM_ALPHA_OPAQUE - alpha);
		return;
	}

	for (i = 0; i < n; i++) {
		/* pa * fa, in 1/65535 units */
		a = (alpha * (src[i] >> 24) + 127) / 255;
		if (a == VMSM_ALPHA_OPAQUE) {
			dst[i] = src[i];
			continue;
		}
		kf = mode == VMSM_BLEND_PREMULTI ? alpha : a;
		if (!kf)
			continue;
		dst[i] = blend_pixel(dst[i], src[i], kf, VMSM_ALPHA_OPAQUE - a);
	}
}
