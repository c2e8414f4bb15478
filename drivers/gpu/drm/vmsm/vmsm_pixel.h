/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_PIXEL_H__
#define __VMSM_PIXEL_H__

#include <linux/types.h>

#include "vmsm_yuv.h"

/**
 * enum vmsm_blend - how a plane's pixels are blended onto what is below
 * @VMSM_BLEND_NONE: "None": the pixels' alpha is ignored, only the plane
 *	alpha applies
 * @VMSM_BLEND_PREMULTI: "Pre-multiplied": the colour is already multiplied
 *	by the pixel alpha
 * @VMSM_BLEND_COVERAGE: "Coverage": the colour is multiplied by the pixel
 *	alpha while blending
 *
 * The equations are the DRM "pixel blend mode" property's, with the plane
 * alpha applied on top (see vmsm_pixel_blend_row()).
 */
enum vmsm_blend {
	VMSM_BLEND_NONE,
	VMSM_BLEND_PREMULTI,
	VMSM_BLEND_COVERAGE,
};

/* Plane alpha of a fully opaque plane (the alpha property is 16-bit). */
#define VMSM_ALPHA_OPAQUE	0xffffu

/**
 * typedef vmsm_pixel_load_fn - convert one row of a framebuffer to ARGB8888
 * @dst: @n ARGB8888 pixels, CPU byte order
 * @src: @n pixels of the framebuffer's format, as stored in memory
 *	(little-endian, any alignment)
 * @n: pixels in the row
 */
typedef void (*vmsm_pixel_load_fn)(u32 *dst, const u8 *src, unsigned int n);

vmsm_pixel_load_fn vmsm_pixel_loader(u32 format, unsigned int *cpp);
bool vmsm_pixel_can_store(u32 format);
void vmsm_pixel_store_row(u32 format, u8 *dst, const u32 *src, unsigned int n);
bool vmsm_pixel_yuv_format(u32 format);
void vmsm_pixel_load_yuv_row(u32 format, u32 *dst, const u8 *const src[3],
			     unsigned int x0, unsigned int n,
			     const struct vmsm_yuv_to_rgb *m);
void vmsm_pixel_store_nv12(u8 *y0, u8 *y1, u8 *c, const u32 *row0,
			   const u32 *row1, unsigned int n,
			   const struct vmsm_rgb_to_yuv *m);
void vmsm_pixel_blend_row(u32 *dst, const u32 *src, unsigned int n, u16 alpha,
			  enum vmsm_blend mode);

#endif /* __VMSM_PIXEL_H__ */
