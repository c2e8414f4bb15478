// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: Y'CbCr conversions
 *
 * The display engine (YUV scanout, NV12 writeback) and the command
 * processor's CONVERT packet share one definition of the conversions
 * between Y'CbCr and the 8-bit R'G'B' the composer works in, the equations
 * of ITU-R BT.601, BT.709 and BT.2020 (non-constant luminance), with luma
 * coefficients Kr and Kb (Kg = 1 - Kr - Kb), on n-bit codes (8 or 10):
 *
 * - limited range: Y' = (Ycode - 16 * 2^(n-8)) / (219 * 2^(n-8)),
 *   Pb = (Cbcode - 2^(n-1)) / (224 * 2^(n-8)), Pr likewise;
 * - full range: Y' = Ycode / (2^n - 1), Pb = (Cbcode - 2^(n-1)) / (2^n - 1);
 * - R' = Y' + 2 (1 - Kr) Pr, B' = Y' + 2 (1 - Kb) Pb,
 *   G' = (Y' - Kr R' - Kb B') / Kg;
 * - each of R', G', B' clamped to [0, 1] and scaled by 255.
 *
 * The reverse (RGB to Y'CbCr) is the same system solved for the codes:
 * Y' = Kr R' + Kg G' + Kb B', Pb = (B' - Y') / (2 (1 - Kb)),
 * Pr = (R' - Y') / (2 (1 - Kr)); a chroma sample that stands for several
 * pixels (subsampling) takes the mean of their Pb and Pr.
 *
 * The arithmetic is fixed point, each weight rounded to 1/65536, and the
 * result rounded to the nearest code: the error of a weight is at most
 * 2^-17, on inputs of at most 1023 codes, so a result is off the exact
 * value by less than 0.5 + 3 * 1023 * 2^-17 < 0.53 codes. Every output
 * code is therefore one of the two codes next to the exact value (the
 * exact value itself when it is a code): that is the precision the
 * display engine and the command processor promise.
 */

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/types.h>

#include "vmsm_yuv.h"

#define FRAC_BITS	16
#define HALF		(1 << (FRAC_BITS - 1))

/* Kr and Kb of each encoding, in 1/10000. */
static const struct {
	u32 kr, kb;
} vmsm_yuv_k[VMSM_YUV_NR_ENCODINGS] = {
	[VMSM_YUV_BT601] = { 2990, 1140 },
	[VMSM_YUV_BT709] = { 2126, 722 },
	[VMSM_YUV_BT2020] = { 2627, 593 },
};

/* num / den in 1/65536 units, to the nearest. */
static s32 frac(u64 num, u64 den)
{
	return div64_u64((num << FRAC_BITS) + den / 2, den);
}

/* The code ranges of luma (@dy) and chroma (@dc) and their offsets. */
static void vmsm_yuv_ranges(bool full_range, unsigned int bits, u32 *dy, u32 *dc,
			    s32 *yoff, s32 *coff)
{
	u32 s = 1u << (bits - 8);

	*coff = 1 << (bits - 1);
	if (full_range) {
		*dy = (1u << bits) - 1;
		*dc = *dy;
		*yoff = 0;
	} else {
		*dy = 219 * s;
		*dc = 224 * s;
		*yoff = 16 * s;
	}
}

/**
 * vmsm_yuv_to_rgb_init() - set up a Y'CbCr to R'G'B' conversion
 * @m: the conversion
 * @enc: the encoding; an unknown one is taken as BT.601
 * @full_range: full range codes, else limited range
 * @bits: bits per code, 8 or 10
 */
void vmsm_yuv_to_rgb_init(struct vmsm_yuv_to_rgb *m, enum vmsm_yuv_encoding enc,
			  bool full_range, unsigned int bits)
{
	u64 kr, kb, kg;
	u32 dy, dc;

	if (enc >= VMSM_YUV_NR_ENCODINGS)
		enc = VMSM_YUV_BT601;
	kr = vmsm_yuv_k[enc].kr;
	kb = vmsm_yuv_k[enc].kb;
	kg = 10000 - kr - kb;
	vmsm_yuv_ranges(full_range, bits, &dy, &dc, &m->yoff, &m->coff);

	m->ky = frac(255, dy);
	m->krv = frac(255 * 2 * (10000 - kr), (u64)dc * 10000);
	m->kbu = frac(255 * 2 * (10000 - kb), (u64)dc * 10000);
	m->kgu = frac(255 * 2 * kb * (10000 - kb), (u64)dc * 10000 * kg);
	m->kgv = frac(255 * 2 * kr * (10000 - kr), (u64)dc * 10000 * kg);
}

/* A weighted sum in 1/65536 units to the nearest code in [0, max]. */
static u32 to_code(s32 v, s32 max)
{
	if (v < 0)
		return 0;
	return min((v + HALF) >> FRAC_BITS, max);
}

/**
 * vmsm_yuv_to_argb() - convert one pixel to ARGB8888
 * @m: the conversion
 * @y: the luma code
 * @cb: the blue-difference code
 * @cr: the red-difference code
 *
 * Return: the opaque ARGB8888 pixel.
 */
u32 vmsm_yuv_to_argb(const struct vmsm_yuv_to_rgb *m, u32 y, u32 cb, u32 cr)
{
	s32 yy = m->ky * ((s32)y - m->yoff);
	s32 u = (s32)cb - m->coff;
	s32 v = (s32)cr - m->coff;

	return 0xff000000u | to_code(yy + m->krv * v, 255) << 16 |
	       to_code(yy - m->kgu * u - m->kgv * v, 255) << 8 |
	       to_code(yy + m->kbu * u, 255);
}

/**
 * vmsm_rgb_to_yuv_init() - set up an R'G'B' to Y'CbCr conversion
 * @m: the conversion
 * @enc: the encoding; an unknown one is taken as BT.601
 * @full_range: full range codes, else limited range
 * @bits: bits per code, 8 or 10
 */
void vmsm_rgb_to_yuv_init(struct vmsm_rgb_to_yuv *m, enum vmsm_yuv_encoding enc,
			  bool full_range, unsigned int bits)
{
	u64 k[3], den;
	u32 dy, dc;
	int i;

	if (enc >= VMSM_YUV_NR_ENCODINGS)
		enc = VMSM_YUV_BT601;
	k[0] = vmsm_yuv_k[enc].kr;
	k[2] = vmsm_yuv_k[enc].kb;
	k[1] = 10000 - k[0] - k[2];
	vmsm_yuv_ranges(full_range, bits, &dy, &dc, &m->yoff, &m->coff);
	m->max = (1 << bits) - 1;

	for (i = 0; i < 3; i++)
		m->ky[i] = frac(dy * k[i], 255 * 10000);
	/* Pb = (B' - Y') / (2 (1 - Kb)), Pr = (R' - Y') / (2 (1 - Kr)) */
	den = 255 * 2 * (10000 - k[2]);
	for (i = 0; i < 3; i++)
		m->ku[i] = (i == 2 ? frac(dc * (10000 - k[2]), den) : 0) -
			   (i == 2 ? 0 : frac(dc * k[i], den));
	den = 255 * 2 * (10000 - k[0]);
	for (i = 0; i < 3; i++)
		m->kv[i] = (i == 0 ? frac(dc * (10000 - k[0]), den) : 0) -
			   (i == 0 ? 0 : frac(dc * k[i], den));
}

static s32 dot(const s32 *k, u32 argb)
{
	return k[0] * (s32)((argb >> 16) & 0xff) + k[1] * (s32)((argb >> 8) & 0xff) +
	       k[2] * (s32)(argb & 0xff);
}

/**
 * vmsm_rgb_to_y() - the luma code of a pixel
 * @m: the conversion
 * @argb: the pixel, ARGB8888 (alpha ignored)
 *
 * Return: the code.
 */
u32 vmsm_rgb_to_y(const struct vmsm_rgb_to_yuv *m, u32 argb)
{
	return to_code(dot(m->ky, argb) + (m->yoff << FRAC_BITS), m->max);
}

/* The mean of @sum over @n, in 1/65536 units, plus @off codes. */
static u32 mean_code(s64 sum, unsigned int n, s32 off, s32 max)
{
	s64 q = div_s64(sum + (sum < 0 ? -(s64)n * HALF : (s64)n * HALF), n * (1 << FRAC_BITS));

	return clamp_t(s64, q + off, 0, max);
}

/**
 * vmsm_rgb_to_cbcr() - the chroma codes of a group of pixels
 * @m: the conversion
 * @argb: @n pixels, ARGB8888 (alpha ignored)
 * @n: how many, at least 1
 * @cb: where to store the blue-difference code of their mean
 * @cr: where to store the red-difference code of their mean
 */
void vmsm_rgb_to_cbcr(const struct vmsm_rgb_to_yuv *m, const u32 *argb,
		      unsigned int n, u32 *cb, u32 *cr)
{
	s64 su = 0, sv = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		su += dot(m->ku, argb[i]);
		sv += dot(m->kv, argb[i]);
	}
	*cb = mean_code(su, n, m->coff, m->max);
	*cr = mean_code(sv, n, m->coff, m->max);
}
