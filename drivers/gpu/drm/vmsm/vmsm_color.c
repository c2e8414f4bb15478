// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: display engine: colour management
 *
 * Each CRTC has the DRM core's colour-management properties
 * (drm_crtc_enable_color_mgmt()): ``DEGAMMA_LUT`` and ``GAMMA_LUT`` of up
 * to %VMSM_LUT_SIZE entries each, which ``DEGAMMA_LUT_SIZE`` and
 * ``GAMMA_LUT_SIZE`` report, and ``CTM``; and the legacy gamma ramp of
 * %VMSM_LUT_SIZE entries (``DRM_IOCTL_MODE_SETGAMMA``), which the core
 * turns into a ``GAMMA_LUT`` and which clears ``DEGAMMA_LUT`` and ``CTM``.
 * The composer applies them to the blended frame, so CRCs and writeback
 * see their result, to each pixel in the order of the uAPI: the degamma
 * LUT, the matrix, the gamma LUT. A property left at 0 is skipped (the
 * identity); with none set the frame is left as blended. The alpha channel
 * is not touched (the frame is opaque).
 *
 * Values: between the stages a channel is a 16-bit value v standing for
 * v / 65535, as the entries of &struct drm_color_lut do. An 8-bit channel c
 * of the frame enters as c * 257 (exactly c / 255); the result leaves as
 * the nearest 8-bit value, drm_color_lut_extract() to 8 bits.
 *
 * A LUT of n entries (2 <= n <= %VMSM_LUT_SIZE; a shorter LUT is sampled
 * more coarsely, as the uAPI asks of drivers that publish their largest
 * size) holds the curve of each channel at the n evenly spaced inputs
 * i / (n - 1), its own entries for red, green and blue. Between two
 * entries the curve is the straight line through them, rounded to the
 * nearest 16-bit value (halfway rounds up). Entries need not increase.
 *
 * The matrix: out_R = m0 * R + m1 * G + m2 * B and so on by rows (&struct
 * drm_color_ctm), computed exactly with the coefficients taken in full
 * (S31.32 to Q15.32 with drm_color_ctm_s31_32_to_qm_n(), which changes no
 * accepted value), then rounded to the nearest 16-bit value (halfway rounds
 * up) and clamped to [0, 1]. A coefficient of magnitude above
 * %VMSM_CTM_MAX cannot be represented: the commit fails with -EINVAL.
 *
 * So a lookup that lands on an entry (every input of a 256-entry degamma
 * LUT; the multiples of 257 in a 256-entry gamma LUT) is exact, and every
 * rounding is to the nearest 16-bit value, at most 1 / 131070 away from the
 * exact result of the stage. LUTs with fewer than 2 or more than
 * %VMSM_LUT_SIZE entries fail the commit with -EINVAL; the core refuses
 * blobs that are not whole entries or not one matrix (-EINVAL too).
 */

#include <linux/math64.h>
#include <linux/minmax.h>

#include <drm/drm_atomic.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_print.h>
#include <drm/drm_property.h>

#include "vmsm_kms.h"

#define V16_MAX		0xffffu

/* Fractional bits of the matrix's coefficients (Q15.32). */
#define CTM_FRAC_BITS	32

static inline u16 lut_channel(const struct drm_color_lut *e, unsigned int ch)
{
	return ch == 0 ? e->red : ch == 1 ? e->green : e->blue;
}

/* The curve of @lut for channel @ch at @x; the identity without a LUT. */
static u16 vmsm_color_lut_eval(const struct drm_color_lut *lut, unsigned int size,
			       unsigned int ch, u16 x)
{
	u32 pos, frac;
	unsigned int i;
	u64 v;

	if (!lut)
		return x;
	/* x / 65535 * (size - 1) = i + frac / 65535 */
	pos = (u32)x * (size - 1);
	i = pos / V16_MAX;
	frac = pos % V16_MAX;
	if (!frac)
		return lut_channel(&lut[i], ch);
	v = (u64)lut_channel(&lut[i], ch) * (V16_MAX - frac) +
	    (u64)lut_channel(&lut[i + 1], ch) * frac;
	return div_u64(v + V16_MAX / 2, V16_MAX);
}

/* One row of the matrix applied to @in, rounded and clamped to 16 bits. */
static u16 vmsm_color_ctm_row(const s64 *m, const u16 *in)
{
	s64 acc = m[0] * in[0] + m[1] * in[1] + m[2] * in[2];

	/* signed: a negative sum clamps to 0 */
	acc = (acc + (1LL << (CTM_FRAC_BITS - 1))) >> CTM_FRAC_BITS;
	return clamp_t(s64, acc, 0, V16_MAX);
}

static int vmsm_color_check_lut(struct drm_crtc *crtc,
				const struct drm_property_blob *blob,
				const char *name)
{
	int n;

	if (!blob)
		return 0;
	n = drm_color_lut_size(blob);
	if (n < 2 || n > VMSM_LUT_SIZE) {
		drm_dbg_atomic(crtc->dev, "[CRTC:%d:%s] %s of %d entries, not 2..%u\n",
			       crtc->base.id, crtc->name, name, n, VMSM_LUT_SIZE);
		return -EINVAL;
	}
	return 0;
}

/**
 * vmsm_color_check() - check and convert the colour properties of a state
 * @crtc: the CRTC
 * @vstate: its new state
 *
 * Checks the LUTs' sizes and the matrix's coefficients, and converts the
 * matrix to &vmsm_crtc_state.ctm for the composer.
 *
 * Return: 0 or -EINVAL.
 */
int vmsm_color_check(struct drm_crtc *crtc, struct vmsm_crtc_state *vstate)
{
	const struct drm_crtc_state *cs = &vstate->base;
	const struct drm_color_ctm *ctm;
	unsigned int i;
	int ret;

	ret = vmsm_color_check_lut(crtc, cs->degamma_lut, "DEGAMMA_LUT");
	if (ret)
		return ret;
	ret = vmsm_color_check_lut(crtc, cs->gamma_lut, "GAMMA_LUT");
	if (ret)
		return ret;
	if (!cs->ctm)
		return 0;

	ctm = cs->ctm->data;
	for (i = 0; i < ARRAY_SIZE(ctm->matrix); i++) {
		if ((ctm->matrix[i] & ~BIT_ULL(63)) > (u64)VMSM_CTM_MAX << 32) {
			drm_dbg_atomic(crtc->dev,
				       "[CRTC:%d:%s] CTM coefficient %u beyond +-%u\n",
				       crtc->base.id, crtc->name, i, VMSM_CTM_MAX);
			return -EINVAL;
		}
		vstate->ctm[i] = drm_color_ctm_s31_32_to_qm_n(ctm->matrix[i], 15,
							      CTM_FRAC_BITS);
	}
	return 0;
}

/**
 * vmsm_color_prepare() - prepare the colour pipeline of a frame
 * @color: the pipeline, filled
 * @state: the CRTC state the frame is composed of, checked by
 *	vmsm_color_check(); it must outlive the use of @color
 *
 * Return: whether the pipeline changes anything (a property is set).
 */
bool vmsm_color_prepare(struct vmsm_color *color, const struct vmsm_crtc_state *state)
{
	const struct drm_property_blob *degamma = state->base.degamma_lut;
	const struct drm_property_blob *gamma = state->base.gamma_lut;
	const struct drm_color_lut *dlut = degamma ? degamma->data : NULL;
	unsigned int dsize = degamma ? drm_color_lut_size(degamma) : 0;
	unsigned int ch, c;
	u16 v;

	color->ctm = state->base.ctm ? state->ctm : NULL;
	color->gamma = gamma ? gamma->data : NULL;
	color->gamma_size = gamma ? drm_color_lut_size(gamma) : 0;
	if (!dlut && !color->ctm && !color->gamma)
		return false;

	for (ch = 0; ch < 3; ch++) {
		for (c = 0; c < 256; c++) {
			v = vmsm_color_lut_eval(dlut, dsize, ch, c * 257);
			color->degamma[ch][c] = v;
			v = vmsm_color_lut_eval(color->gamma, color->gamma_size, ch, v);
			color->direct[ch][c] = drm_color_lut_extract(v, 8);
		}
	}
	return true;
}

/* One pixel through degamma, matrix and gamma. */
static u32 vmsm_color_pixel(const struct vmsm_color *color, u32 px)
{
	u16 in[3], out;
	unsigned int ch;
	u32 res = px & 0xff000000u;

	for (ch = 0; ch < 3; ch++)
		in[ch] = color->degamma[ch][(px >> (16 - 8 * ch)) & 0xff];
	for (ch = 0; ch < 3; ch++) {
		out = vmsm_color_ctm_row(&color->ctm[3 * ch], in);
		out = vmsm_color_lut_eval(color->gamma, color->gamma_size, ch, out);
		res |= drm_color_lut_extract(out, 8) << (16 - 8 * ch);
	}
	return res;
}

/**
 * vmsm_color_apply() - apply the colour pipeline to a composed frame
 * @color: the pipeline, from vmsm_color_prepare()
 * @frame: @n ARGB8888 pixels, changed in place
 * @n: pixels
 *
 * Without a matrix each channel maps on its own through the tables
 * vmsm_color_prepare() built; with one, each pixel goes through the
 * stages (a run of equal pixels once).
 */
void vmsm_color_apply(const struct vmsm_color *color, u32 *frame, size_t n)
{
	u32 px, last_in = 0, last_out = 0;
	bool have_last = false;
	size_t i;

	if (!color->ctm) {
		for (i = 0; i < n; i++) {
			px = frame[i];
			frame[i] = (px & 0xff000000u) |
				   color->direct[0][(px >> 16) & 0xff] << 16 |
				   color->direct[1][(px >> 8) & 0xff] << 8 |
				   color->direct[2][px & 0xff];
		}
		return;
	}
	for (i = 0; i < n; i++) {
		px = frame[i];
		if (!have_last || px != last_in) {
			last_in = px;
			last_out = vmsm_color_pixel(color, px);
			have_last = true;
		}
		frame[i] = last_out;
	}
}
