/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_YUV_H__
#define __VMSM_YUV_H__

#include <linux/types.h>

/**
 * enum vmsm_yuv_encoding - the Y'CbCr encodings (luma coefficients)
 * @VMSM_YUV_BT601: ITU-R BT.601, Kr = 0.299, Kb = 0.114
 * @VMSM_YUV_BT709: ITU-R BT.709, Kr = 0.2126, Kb = 0.0722
 * @VMSM_YUV_BT2020: ITU-R BT.2020 (non-constant luminance), Kr = 0.2627,
 *	Kb = 0.0593
 * @VMSM_YUV_NR_ENCODINGS: the number of encodings
 */
enum vmsm_yuv_encoding {
	VMSM_YUV_BT601,
	VMSM_YUV_BT709,
	VMSM_YUV_BT2020,
	VMSM_YUV_NR_ENCODINGS,
};

/**
 * struct vmsm_yuv_to_rgb - a Y'CbCr to 8-bit R'G'B' conversion
 * @ky: weight of Y' - @yoff in R', G' and B'
 * @krv: weight of Cr - @coff in R'
 * @kgu: weight of Cb - @coff in G' (subtracted)
 * @kgv: weight of Cr - @coff in G' (subtracted)
 * @kbu: weight of Cb - @coff in B'
 * @yoff: the code of black
 * @coff: the code of zero chroma
 *
 * Weights in 1/65536 units; set by vmsm_yuv_to_rgb_init().
 */
struct vmsm_yuv_to_rgb {
	s32 ky, krv, kgu, kgv, kbu;
	s32 yoff, coff;
};

/**
 * struct vmsm_rgb_to_yuv - an 8-bit R'G'B' to Y'CbCr conversion
 * @ky: weights of R', G' and B' in Y' - @yoff
 * @ku: weights of R', G' and B' in Cb - @coff
 * @kv: weights of R', G' and B' in Cr - @coff
 * @yoff: the code of black
 * @coff: the code of zero chroma
 * @max: the largest code
 *
 * Weights in 1/65536 units; set by vmsm_rgb_to_yuv_init().
 */
struct vmsm_rgb_to_yuv {
	s32 ky[3], ku[3], kv[3];
	s32 yoff, coff, max;
};

void vmsm_yuv_to_rgb_init(struct vmsm_yuv_to_rgb *m, enum vmsm_yuv_encoding enc,
			  bool full_range, unsigned int bits);
u32 vmsm_yuv_to_argb(const struct vmsm_yuv_to_rgb *m, u32 y, u32 cb, u32 cr);

void vmsm_rgb_to_yuv_init(struct vmsm_rgb_to_yuv *m, enum vmsm_yuv_encoding enc,
			  bool full_range, unsigned int bits);
u32 vmsm_rgb_to_y(const struct vmsm_rgb_to_yuv *m, u32 argb);
void vmsm_rgb_to_cbcr(const struct vmsm_rgb_to_yuv *m, const u32 *argb,
		      unsigned int n, u32 *cb, u32 *cr);

#endif /* __VMSM_YUV_H__ */
