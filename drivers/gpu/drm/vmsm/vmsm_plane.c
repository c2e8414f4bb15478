// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: planes
 *
 * Each CRTC has a primary plane (zpos 0), two overlay planes (zpos 1 to 2,
 * settable) and a cursor plane (zpos 3, any size from 1x1 to 64x64, square
 * or not, ARGB8888 only). Framebuffers can have any size from 1x1 to
 * 4096x4096 (&drm_mode_config.min_width and friends). The
 * other planes take XRGB8888, ARGB8888, XBGR8888, ABGR8888, XRGB2101010,
 * ARGB2101010, RGB565, RGB888 and BGR888 framebuffers and the Y'CbCr
 * NV12, NV21, NV16, YUV420, YVU420 and P010 ones, linear only (see
 * "display engine: pixels" for how each is read). Every plane has the ``alpha`` and ``pixel
 * blend mode`` (None, Pre-multiplied, Coverage) properties, can be placed
 * anywhere (what lies off the CRTC is clipped) and does not scale. The
 * primary and overlay planes have ``COLOR_ENCODING`` (BT.601, the
 * default, BT.709, BT.2020) and ``COLOR_RANGE`` (limited, the default,
 * full), which apply to Y'CbCr framebuffers (see "Y'CbCr conversions").
 * The overlays have ``rotation``: rotate-0, 90, 180 and 270 (counter
 * clockwise), reflect-x and reflect-y, in every combination, reflection
 * first, as drm_rect_rotate() defines them; the source rectangle is in
 * the framebuffer's coordinates, and for 90 and 270 its width is the
 * destination's height.
 *
 * A Y'CbCr framebuffer may take its planes from one object or several,
 * each with its own offset and pitch; the DRM core checks that each
 * plane's pitch holds a row of it (rounded up for the subsampled planes of
 * an odd width or height) and that each fits its object (-EINVAL), and
 * refuses modifiers other than linear. Odd sizes and odd source offsets
 * are allowed: each pixel takes the chroma sample of its framebuffer
 * position.
 *
 * prepare_fb maps the framebuffer's objects into the display engine's
 * address space, records the GPU address of each colour plane in the
 * plane state, hands the objects to the display engine with the
 * ownership API (see "display") and waits for their implicit fences.
 *
 * Cursor moves and framebuffer swaps of a plane that stays on the same
 * CRTC can be applied asynchronously (legacy cursor updates).
 */

#include <linux/dma-resv.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_blend.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_modeset_helper_vtables.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"

static const u32 vmsm_plane_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
	DRM_FORMAT_XRGB2101010,
	DRM_FORMAT_ARGB2101010,
	DRM_FORMAT_RGB565,
	DRM_FORMAT_RGB888,
	DRM_FORMAT_BGR888,
	DRM_FORMAT_NV12,
	DRM_FORMAT_NV21,
	DRM_FORMAT_NV16,
	DRM_FORMAT_YUV420,
	DRM_FORMAT_YVU420,
	DRM_FORMAT_P010,
};

static const u32 vmsm_cursor_formats[] = {
	DRM_FORMAT_ARGB8888,
};

static const u64 vmsm_plane_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	DRM_FORMAT_MOD_INVALID,
};

static int vmsm_plane_atomic_check(struct drm_plane *plane,
				   struct drm_atomic_state *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *crtc_state = NULL;
	struct drm_framebuffer *fb = new->fb;

	if (new->crtc)
		crtc_state = drm_atomic_get_new_crtc_state(state, new->crtc);
	if (fb && plane->type == DRM_PLANE_TYPE_CURSOR &&
	    (fb->width > VMSM_CURSOR_SIZE || fb->height > VMSM_CURSOR_SIZE)) {
		drm_dbg_atomic(plane->dev, "cursor framebuffer %ux%u too large\n",
			       fb->width, fb->height);
		return -EINVAL;
	}
	return drm_atomic_helper_check_plane_state(new, crtc_state,
						   DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   true, true);
}

/*
 * Maps each object of the framebuffer into the display engine's address
 * space (once: the mapping lasts as long as the object) and hands it to
 * the device.
 */
static int vmsm_plane_map_fb(struct vmsm_kms *kms, struct vmsm_plane_state *vstate)
{
	struct drm_framebuffer *fb = vstate->base.fb;
	struct drm_gem_object *obj;
	struct vmsm_bo *bo;
	unsigned int i;
	u64 iova;
	int ret;

	for (i = 0; i < fb->format->num_planes; i++) {
		obj = drm_gem_fb_get_obj(fb, i);
		if (!obj)
			return -EINVAL;
		bo = to_vmsm_bo(obj);
		ret = vmsm_kms_map_bo(kms, bo, false, &iova);
		if (ret)
			return ret;
		vstate->iova[i] = iova + fb->offsets[i];
	}
	return 0;
}

static int vmsm_plane_prepare_fb(struct drm_plane *plane,
				 struct drm_plane_state *state)
{
	struct vmsm_plane_state *vstate = to_vmsm_plane_state(state);
	int ret;

	memset(vstate->iova, 0, sizeof(vstate->iova));
	if (!state->fb)
		return 0;

	ret = vmsm_plane_map_fb(to_vmsm_device(plane->dev)->kms, vstate);
	if (ret) {
		drm_dbg_atomic(plane->dev, "[PLANE:%d] mapping the framebuffer: %d\n",
			       plane->base.id, ret);
		return ret;
	}
	return drm_gem_plane_helper_prepare_fb(plane, state);
}

/*
 * Nothing to program: the new plane states reach the composer with the
 * CRTC state that atomic_flush publishes.
 */
static void vmsm_plane_atomic_update(struct drm_plane *plane,
				     struct drm_atomic_state *state)
{
}

static int vmsm_plane_atomic_async_check(struct drm_plane *plane,
					 struct drm_atomic_state *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct drm_plane_state *old = plane->state;
	struct drm_crtc_state *crtc_state;
	int ret;

	/* Moves and framebuffer swaps of a plane on screen only. */
	if (!new->crtc || new->crtc != old->crtc || !new->fb || !old->fb ||
	    !old->visible)
		return -EINVAL;
	crtc_state = drm_atomic_get_existing_crtc_state(state, new->crtc);
	if (!crtc_state || !crtc_state->active)
		return -EINVAL;
	if (new->alpha != old->alpha || new->pixel_blend_mode != old->pixel_blend_mode ||
	    new->normalized_zpos != old->normalized_zpos)
		return -EINVAL;
	if (new->fb->format != old->fb->format || new->rotation != old->rotation ||
	    new->color_encoding != old->color_encoding ||
	    new->color_range != old->color_range)
		return -EINVAL;

	ret = drm_atomic_helper_check_plane_state(new, crtc_state,
						  DRM_PLANE_NO_SCALING,
						  DRM_PLANE_NO_SCALING, true, true);
	if (ret)
		return ret;
	/* The composer's list of visible planes must not change. */
	return new->visible ? 0 : -EINVAL;
}

static void vmsm_plane_atomic_async_update(struct drm_plane *plane,
					   struct drm_atomic_state *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct vmsm_plane_state *vcur = to_vmsm_plane_state(plane->state);
	struct vmsm_crtc *vcrtc = to_vmsm_crtc(plane->state->crtc);
	struct drm_plane_state *cur = plane->state;
	unsigned long flags;

	/* The old framebuffer goes with the new state, released by the core. */
	spin_lock_irqsave(&vcrtc->lock, flags);
	swap(cur->fb, new->fb);
	memcpy(vcur->iova, to_vmsm_plane_state(new)->iova, sizeof(vcur->iova));
	cur->crtc_x = new->crtc_x;
	cur->crtc_y = new->crtc_y;
	cur->crtc_w = new->crtc_w;
	cur->crtc_h = new->crtc_h;
	cur->src_x = new->src_x;
	cur->src_y = new->src_y;
	cur->src_w = new->src_w;
	cur->src_h = new->src_h;
	cur->src = new->src;
	cur->dst = new->dst;
	spin_unlock_irqrestore(&vcrtc->lock, flags);
}

static const struct drm_plane_helper_funcs vmsm_plane_helper_funcs = {
	.prepare_fb = vmsm_plane_prepare_fb,
	.atomic_check = vmsm_plane_atomic_check,
	.atomic_update = vmsm_plane_atomic_update,
	.atomic_async_check = vmsm_plane_atomic_async_check,
	.atomic_async_update = vmsm_plane_atomic_async_update,
};

static void vmsm_plane_reset(struct drm_plane *plane)
{
	struct vmsm_plane_state *vstate;

	if (plane->state) {
		__drm_atomic_helper_plane_destroy_state(plane->state);
		kfree(to_vmsm_plane_state(plane->state));
		plane->state = NULL;
	}
	vstate = kzalloc(sizeof(*vstate), GFP_KERNEL);
	if (vstate)
		__drm_atomic_helper_plane_reset(plane, &vstate->base);
}

static struct drm_plane_state *vmsm_plane_duplicate_state(struct drm_plane *plane)
{
	struct vmsm_plane_state *vstate;

	if (WARN_ON(!plane->state))
		return NULL;
	vstate = kmemdup(to_vmsm_plane_state(plane->state), sizeof(*vstate),
			 GFP_KERNEL);
	if (!vstate)
		return NULL;
	__drm_atomic_helper_plane_duplicate_state(plane, &vstate->base);
	return &vstate->base;
}

static void vmsm_plane_destroy_state(struct drm_plane *plane,
				     struct drm_plane_state *state)
{
	__drm_atomic_helper_plane_destroy_state(state);
	kfree(to_vmsm_plane_state(state));
}

static bool vmsm_plane_format_mod_supported(struct drm_plane *plane, u32 format,
					    u64 modifier)
{
	return modifier == DRM_FORMAT_MOD_LINEAR;
}

static const struct drm_plane_funcs vmsm_plane_funcs = {
	.update_plane = drm_atomic_helper_update_plane,
	.disable_plane = drm_atomic_helper_disable_plane,
	.destroy = drm_plane_cleanup,
	.reset = vmsm_plane_reset,
	.atomic_duplicate_state = vmsm_plane_duplicate_state,
	.atomic_destroy_state = vmsm_plane_destroy_state,
	.format_mod_supported = vmsm_plane_format_mod_supported,
};

/* Overlays have a settable zpos, from 1 to %VMSM_NR_OVERLAYS. */
static int vmsm_plane_init(struct vmsm_crtc *vcrtc, struct drm_plane *plane,
			   enum drm_plane_type type, unsigned int zpos)
{
	struct drm_device *drm = &vcrtc->kms->vdev->drm;
	bool cursor = type == DRM_PLANE_TYPE_CURSOR;
	int ret;

	ret = drm_universal_plane_init(drm, plane, BIT(vcrtc->index), &vmsm_plane_funcs,
				       cursor ? vmsm_cursor_formats : vmsm_plane_formats,
				       cursor ? ARRAY_SIZE(vmsm_cursor_formats) :
						ARRAY_SIZE(vmsm_plane_formats),
				       vmsm_plane_modifiers, type, NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(plane, &vmsm_plane_helper_funcs);

	if (type == DRM_PLANE_TYPE_OVERLAY)
		ret = drm_plane_create_zpos_property(plane, zpos, 1, VMSM_NR_OVERLAYS);
	else
		ret = drm_plane_create_zpos_immutable_property(plane, zpos);
	if (ret)
		return ret;
	ret = drm_plane_create_alpha_property(plane);
	if (ret)
		return ret;
	ret = drm_plane_create_blend_mode_property(plane,
						   BIT(DRM_MODE_BLEND_PIXEL_NONE) |
						   BIT(DRM_MODE_BLEND_PREMULTI) |
						   BIT(DRM_MODE_BLEND_COVERAGE));
	if (ret)
		return ret;
	if (type == DRM_PLANE_TYPE_OVERLAY) {
		ret = drm_plane_create_rotation_property(plane, DRM_MODE_ROTATE_0,
							 DRM_MODE_ROTATE_MASK |
							 DRM_MODE_REFLECT_MASK);
		if (ret)
			return ret;
	}
	if (!cursor) {
		ret = drm_plane_create_color_properties(plane,
							BIT(DRM_COLOR_YCBCR_BT601) |
							BIT(DRM_COLOR_YCBCR_BT709) |
							BIT(DRM_COLOR_YCBCR_BT2020),
							BIT(DRM_COLOR_YCBCR_LIMITED_RANGE) |
							BIT(DRM_COLOR_YCBCR_FULL_RANGE),
							DRM_COLOR_YCBCR_BT601,
							DRM_COLOR_YCBCR_LIMITED_RANGE);
		if (ret)
			return ret;
	}
	drm_plane_enable_fb_damage_clips(plane);
	return 0;
}

/**
 * vmsm_planes_init() - create the planes of a CRTC
 * @kms: the display engine
 * @vcrtc: the CRTC, not initialized yet; only its index is used
 *
 * Return: 0 or a negative errno.
 */
int vmsm_planes_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc)
{
	unsigned int i;
	int ret;

	ret = vmsm_plane_init(vcrtc, &vcrtc->primary, DRM_PLANE_TYPE_PRIMARY, 0);
	if (ret)
		return ret;
	for (i = 0; i < VMSM_NR_OVERLAYS; i++) {
		ret = vmsm_plane_init(vcrtc, &vcrtc->overlays[i], DRM_PLANE_TYPE_OVERLAY,
				      1 + i);
		if (ret)
			return ret;
	}
	return vmsm_plane_init(vcrtc, &vcrtc->cursor, DRM_PLANE_TYPE_CURSOR,
			       VMSM_NR_OVERLAYS + 1);
}
