// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: CRTC and vblank
 *
 * Each CRTC's vblank interrupt is a CLOCK_MONOTONIC hrtimer firing once per
 * frame of the current mode (``htotal * vtotal / clock``) while vblank
 * interrupts are enabled. A frame starts when the timer fires, and vblank
 * timestamps are the timer's expiry times: the CRTC's get_vblank_timestamp
 * derives them from the timer and the frame time it was started with, and
 * from nothing the DRM core keeps of the mode. (The core's helper computes
 * them from &drm_vblank_crtc.hwmode, which drm_crtc_vblank_off() clears
 * until a modeset's commit work sets it again; a commit that asks for the
 * next vblank in between, such as a legacy cursor update racing a
 * nonblocking modeset, would find a mode without a clock and WARN.)
 * Page-flip events are armed at atomic_flush and sent by the next vblank;
 * async flips complete at once.
 *
 * The CRTC state keeps the visible planes of the CRTC bottom first, for the
 * composer, which reads the state published by atomic_flush.
 *
 * Modes: the engine times modes of 32x32 to 4096x4096 active pixels
 * (%VMSM_MIN_SIZE, %VMSM_MAX_SIZE), progressive, single scan, not stereo,
 * with a pixel clock of at most 2 GHz (%VMSM_MAX_CLOCK_KHZ, enough for
 * 4096x4096 with CVT blanking at 60 Hz), horizontal and vertical sync
 * pulses at least one pixel and one line wide, and a refresh rate,
 * ``clock / (htotal * vtotal)``, of 1 to 240 Hz (%VMSM_MIN_REFRESH,
 * %VMSM_MAX_REFRESH: the vblank timer fires once per frame). The DRM core
 * already refuses a zero clock and syncs or totals that end before the
 * active area (drm_mode_validate_basic()). Every other mode is refused
 * wherever it comes from (&drm_mode_config_funcs.mode_valid: the
 * connectors' probed lists, ``MODE_ID`` blobs and legacy SETCRTC, with
 * -EINVAL) and again by the CRTC's mode_valid in a modeset's atomic check.
 */

#include <linux/hrtimer.h>
#include <linux/sort.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_drv.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_vblank.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/* One frame of @mode in nanoseconds, 0 for a mode without a clock. */
static u64 vmsm_frame_ns(const struct drm_display_mode *mode)
{
	if (!mode->crtc_clock)
		return 0;
	return div_u64((u64)mode->crtc_htotal * mode->crtc_vtotal * 1000000ull,
		       mode->crtc_clock);
}

static enum hrtimer_restart vmsm_vblank_timer(struct hrtimer *timer)
{
	struct vmsm_crtc *vcrtc = container_of(timer, struct vmsm_crtc, vblank_timer);
	struct drm_crtc *crtc = &vcrtc->base;
	u64 overruns;

	overruns = hrtimer_forward_now(timer, vcrtc->period);
	if (overruns > 1)
		drm_dbg_vbl(crtc->dev, "crtc %u: %llu vblanks late\n",
			    vcrtc->index, overruns - 1);

	/* false once vblank interrupts are disabled: stop. */
	if (!drm_crtc_handle_vblank(crtc))
		return HRTIMER_NORESTART;
	vmsm_compose_vblank(vcrtc, drm_crtc_vblank_count(crtc));
	return HRTIMER_RESTART;
}

static int vmsm_crtc_enable_vblank(struct drm_crtc *crtc)
{
	struct vmsm_crtc *vcrtc = to_vmsm_crtc(crtc);

	if (!vcrtc->period)
		return -EINVAL;
	hrtimer_start(&vcrtc->vblank_timer, vcrtc->period, HRTIMER_MODE_REL);
	return 0;
}

/*
 * Called with the vblank locks held, which the timer takes: do not wait
 * for a running timer, it stops by itself (drm_crtc_handle_vblank() fails).
 */
static void vmsm_crtc_disable_vblank(struct drm_crtc *crtc)
{
	hrtimer_try_to_cancel(&to_vmsm_crtc(crtc)->vblank_timer);
}

/*
 * The timer runs at start + k * period: the last vblank is the latest of
 * those instants not after now. Inside the timer (which forwards itself
 * before it handles the vblank) that is one period before its expiry;
 * outside of it, with the timer late or stopped, the phase is extended.
 * Without a frame time (the CRTC was never enabled) there is no timestamp.
 */
static bool vmsm_crtc_get_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
					   ktime_t *vblank_time, bool in_vblank_irq)
{
	struct vmsm_crtc *vcrtc = to_vmsm_crtc(crtc);
	ktime_t now, start;
	u64 since;
	s64 delta, period;

	/* Pairs with atomic_enable: a frame time comes with its hwmode. */
	period = ktime_to_ns(smp_load_acquire(&vcrtc->period));
	if (period <= 0)
		return false;

	now = ktime_get();
	start = ktime_sub_ns(hrtimer_get_expires(&vcrtc->vblank_timer), period);
	delta = ktime_to_ns(ktime_sub(now, start));
	if (delta >= 0) {
		div64_u64_rem(delta, period, &since);
	} else {
		div64_u64_rem(-delta, period, &since);
		since = since ? period - since : 0;
	}
	*vblank_time = ktime_sub_ns(now, since);
	*max_error = 0;
	return true;
}

static void vmsm_crtc_atomic_enable(struct drm_crtc *crtc,
				    struct drm_atomic_state *state)
{
	struct vmsm_crtc *vcrtc = to_vmsm_crtc(crtc);

	/*
	 * After the core copied the mode into drm_vblank_crtc.hwmode (in
	 * commit_modeset_disables): pairs with get_vblank_timestamp.
	 */
	smp_store_release(&vcrtc->period,
			  ns_to_ktime(vmsm_frame_ns(&crtc->state->adjusted_mode)));
	drm_crtc_vblank_on(crtc);
}

static void vmsm_crtc_atomic_disable(struct drm_crtc *crtc,
				     struct drm_atomic_state *state)
{
	struct vmsm_crtc *vcrtc = to_vmsm_crtc(crtc);
	unsigned long flags;

	drm_crtc_vblank_off(crtc);
	spin_lock_irqsave(&vcrtc->lock, flags);
	vcrtc->active = NULL;
	spin_unlock_irqrestore(&vcrtc->lock, flags);
	vmsm_compose_flush(vcrtc);
}

static void vmsm_crtc_atomic_flush(struct drm_crtc *crtc,
				   struct drm_atomic_state *state)
{
	struct drm_crtc_state *crtc_state = drm_atomic_get_new_crtc_state(state, crtc);
	struct vmsm_crtc *vcrtc = to_vmsm_crtc(crtc);
	struct drm_pending_vblank_event *event;
	unsigned long flags;

	spin_lock_irqsave(&vcrtc->lock, flags);
	vcrtc->active = crtc_state->active ? to_vmsm_crtc_state(crtc_state) : NULL;
	spin_unlock_irqrestore(&vcrtc->lock, flags);

	event = crtc_state->event;
	if (!event)
		return;
	crtc_state->event = NULL;

	spin_lock_irqsave(&crtc->dev->event_lock, flags);
	if (crtc_state->active && !crtc_state->async_flip &&
	    drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irqrestore(&crtc->dev->event_lock, flags);
}

static int vmsm_plane_zpos_cmp(const void *a, const void *b)
{
	const struct vmsm_plane_state *pa = *(struct vmsm_plane_state *const *)a;
	const struct vmsm_plane_state *pb = *(struct vmsm_plane_state *const *)b;

	return (int)pa->base.normalized_zpos - (int)pb->base.normalized_zpos;
}

/* The visible planes, bottom first, and the size of a composed frame. */
static int vmsm_crtc_atomic_check(struct drm_crtc *crtc,
				  struct drm_atomic_state *state)
{
	struct drm_crtc_state *crtc_state = drm_atomic_get_new_crtc_state(state, crtc);
	struct vmsm_crtc_state *vstate = to_vmsm_crtc_state(crtc_state);
	const struct drm_plane_state *plane_state;
	struct drm_plane *plane;
	unsigned int n = 0;
	int ret;

	ret = vmsm_color_check(crtc, vstate);
	if (ret)
		return ret;
	vstate->frame_size = 0;
	vstate->nr_planes = 0;
	if (!crtc_state->active)
		return 0;
	vstate->frame_size = (size_t)crtc_state->mode.hdisplay *
			     crtc_state->mode.vdisplay * 4;

	drm_atomic_crtc_state_for_each_plane_state(plane, plane_state, crtc_state) {
		if (!plane_state->visible)
			continue;
		if (WARN_ON(n >= VMSM_PLANES_PER_CRTC))
			return -EINVAL;
		vstate->planes[n++] = to_vmsm_plane_state((struct drm_plane_state *)plane_state);
	}
	vstate->nr_planes = n;
	sort(vstate->planes, n, sizeof(vstate->planes[0]), vmsm_plane_zpos_cmp, NULL);
	return 0;
}

/**
 * vmsm_crtc_mode_status() - whether the display engine can time a mode
 * @mode: the mode, which passed drm_mode_validate_basic() (non-zero clock,
 *	syncs within the totals)
 *
 * See "Modes" in the CRTC's DOC.
 *
 * Return: %MODE_OK or why the mode cannot be timed.
 */
enum drm_mode_status vmsm_crtc_mode_status(const struct drm_display_mode *mode)
{
	u64 frame = (u64)mode->htotal * mode->vtotal;
	u64 hz_x_frame = (u64)mode->clock * 1000;

	if (mode->hdisplay < VMSM_MIN_SIZE || mode->vdisplay < VMSM_MIN_SIZE)
		return MODE_BAD;
	if (mode->hdisplay > VMSM_MAX_SIZE || mode->vdisplay > VMSM_MAX_SIZE)
		return MODE_BAD;
	if (mode->flags & DRM_MODE_FLAG_INTERLACE)
		return MODE_NO_INTERLACE;
	if (mode->flags & DRM_MODE_FLAG_DBLSCAN)
		return MODE_NO_DBLESCAN;
	if (mode->vscan > 1)
		return MODE_NO_VSCAN;
	if (mode->flags & DRM_MODE_FLAG_3D_MASK)
		return MODE_NO_STEREO;
	if (mode->hsync_end == mode->hsync_start)
		return MODE_HSYNC_NARROW;
	if (mode->vsync_end == mode->vsync_start)
		return MODE_VSYNC_NARROW;
	if (mode->clock > VMSM_MAX_CLOCK_KHZ)
		return MODE_CLOCK_HIGH;
	/* the refresh rate, clock * 1000 / frame, within the timer's range */
	if (hz_x_frame < VMSM_MIN_REFRESH * frame ||
	    hz_x_frame > VMSM_MAX_REFRESH * frame)
		return MODE_VSYNC;
	return MODE_OK;
}

static enum drm_mode_status vmsm_crtc_mode_valid(struct drm_crtc *crtc,
						 const struct drm_display_mode *mode)
{
	return vmsm_crtc_mode_status(mode);
}

static const struct drm_crtc_helper_funcs vmsm_crtc_helper_funcs = {
	.mode_valid = vmsm_crtc_mode_valid,
	.atomic_check = vmsm_crtc_atomic_check,
	.atomic_flush = vmsm_crtc_atomic_flush,
	.atomic_enable = vmsm_crtc_atomic_enable,
	.atomic_disable = vmsm_crtc_atomic_disable,
};

static void vmsm_crtc_reset(struct drm_crtc *crtc)
{
	struct vmsm_crtc_state *vstate;

	if (crtc->state) {
		__drm_atomic_helper_crtc_destroy_state(crtc->state);
		kfree(to_vmsm_crtc_state(crtc->state));
		crtc->state = NULL;
	}
	vstate = kzalloc(sizeof(*vstate), GFP_KERNEL);
	if (vstate)
		__drm_atomic_helper_crtc_reset(crtc, &vstate->base);
	else
		__drm_atomic_helper_crtc_reset(crtc, NULL);
	/* Off until atomic_enable. */
	drm_crtc_vblank_reset(crtc);
}

static struct drm_crtc_state *vmsm_crtc_duplicate_state(struct drm_crtc *crtc)
{
	struct vmsm_crtc_state *vstate;

	if (WARN_ON(!crtc->state))
		return NULL;
	vstate = kmemdup(to_vmsm_crtc_state(crtc->state), sizeof(*vstate), GFP_KERNEL);
	if (!vstate)
		return NULL;
	__drm_atomic_helper_crtc_duplicate_state(crtc, &vstate->base);
	vstate->wb_pending = false;
	return &vstate->base;
}

static void vmsm_crtc_destroy_state(struct drm_crtc *crtc,
				    struct drm_crtc_state *state)
{
	__drm_atomic_helper_crtc_destroy_state(state);
	kfree(to_vmsm_crtc_state(state));
}

static const struct drm_crtc_funcs vmsm_crtc_funcs = {
	.reset = vmsm_crtc_reset,
	.set_config = drm_atomic_helper_set_config,
	.page_flip = drm_atomic_helper_page_flip,
	.atomic_duplicate_state = vmsm_crtc_duplicate_state,
	.atomic_destroy_state = vmsm_crtc_destroy_state,
	.enable_vblank = vmsm_crtc_enable_vblank,
	.disable_vblank = vmsm_crtc_disable_vblank,
	.get_vblank_timestamp = vmsm_crtc_get_vblank_timestamp,
	.set_crc_source = vmsm_crc_set_source,
	.verify_crc_source = vmsm_crc_verify_source,
	.get_crc_sources = vmsm_crc_get_sources,
};

/**
 * vmsm_crtc_init() - create a CRTC with its primary and cursor planes
 * @kms: the display engine
 * @vcrtc: the CRTC, its planes initialized
 *
 * Return: 0 or a negative errno.
 */
int vmsm_crtc_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc)
{
	struct drm_crtc *crtc = &vcrtc->base;
	int ret;

	hrtimer_init(&vcrtc->vblank_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vcrtc->vblank_timer.function = vmsm_vblank_timer;

	ret = drmm_crtc_init_with_planes(&kms->vdev->drm, crtc, &vcrtc->primary,
					 &vcrtc->cursor, &vmsm_crtc_funcs, NULL);
	if (ret)
		return ret;
	drm_crtc_helper_add(crtc, &vmsm_crtc_helper_funcs);

	/* See "display engine: colour management". */
	drm_crtc_enable_color_mgmt(crtc, VMSM_LUT_SIZE, true, VMSM_LUT_SIZE);
	return drm_mode_crtc_set_gamma_size(crtc, VMSM_LUT_SIZE);
}
