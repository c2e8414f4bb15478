// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: display engine: composer
 *
 * The display engine has no screen: a frame is composed in memory only
 * when something consumes it, a CRC source set on the CRTC (see "display
 * engine: CRC") or a writeback job due (see "display engine: writeback").
 * At each vblank the timer calls vmsm_compose_vblank(), which then queues
 * &vmsm_crtc.compose_work on the CRTC's ordered workqueue; if the previous
 * frame is still being composed, the vblank counts as missed instead.
 *
 * The work takes what it needs of the state being scanned out,
 * &vmsm_crtc.active, under &vmsm_crtc.lock (async plane updates change
 * that state's planes in place under the same lock), and composes it into
 * &vmsm_crtc.frame_buf, one ARGB8888 word per pixel:
 * an opaque black background, then each plane of
 * &vmsm_crtc_state.planes, bottom first, its clipped source rectangle
 * (integer part, no scaling) at its clipped destination, with its alpha
 * and blend mode (see "display engine: pixels"); then the CRTC's colour
 * management, if any (see "display engine: colour management"). The frame
 * depends only on the state and the framebuffers' contents, so equal
 * contents give equal CRCs.
 *
 * Framebuffers are read like the GPU core reads memory: through the page
 * tables of the display engine's address space, &vmsm_kms.vm, one piece
 * of at most a 4 KiB page at a time, under the read side of
 * &vmsm_device.mmu_srcu (so an unmapping waits for the read to finish
 * before the pages go). A piece that faults reads as zero and counts in
 * &vmsm_crtc.scanout_faults. A row is read whole, converted whole, then
 * blended; the row buffers follow the frame in &vmsm_crtc.frame_buf, and
 * &vmsm_crtc.frame_buf_size counts them. A row of a Y'CbCr plane is read
 * from each of its colour planes (its luma, and the chroma row that
 * subsamples it, from the chroma sample of its first pixel on).
 *
 * A rotated or reflected overlay is not clipped again: its source
 * rectangle is converted row by row into a scratch frame that follows the
 * row buffers, and each destination row then gathers its pixels from
 * there, at the framebuffer positions drm_rect_rotate_inv() gives (the
 * DRM core's own definition of the rotation, which also clipped the
 * plane). The scratch frame is only allocated while such a plane shows.
 *
 * The state the work reads stays valid until it returns: a state leaves
 * &vmsm_crtc.active in atomic_flush or atomic_disable, which are followed
 * by vmsm_compose_flush() before the state is freed.
 */

#include <linux/crc32.h>
#include <linux/timekeeping.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/string.h>

#include <drm/drm_blend.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_print.h>
#include <drm/drm_rect.h>
#include <drm/drm_vblank.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"
#include "vmsm_pixel.h"
#include "vmsm_yuv.h"

/* Colour planes of the formats the engine reads (three for YUV420). */
#define VMSM_COMPOSE_MAX_PLANES	3

/* What shows where no plane does: opaque black. */
#define VMSM_BACKGROUND		0xff000000u

/*
 * Reads @len bytes at @va of the display engine's address space into @dst;
 * faulting pieces read as zero.
 */
static void vmsm_compose_read(struct vmsm_crtc *vcrtc, u64 va, u8 *dst, u32 len)
{
	struct vmsm_kms *kms = vcrtc->kms;
	struct vmsm_device *vdev = kms->vdev;
	struct vmsm_pt_chunk c;
	u64 fault_pte;
	void *p;
	int idx;

	idx = srcu_read_lock(&vdev->mmu_srcu);
	vmsm_pt_chunk_start(&c, va, len);
	while (vmsm_pt_chunk_next(&c)) {
		p = vmsm_vm_access_map(kms->vm, c.va, c.len, false, &fault_pte);
		if (p) {
			memcpy(dst + c.off, p, c.len);
			vmsm_vm_access_unmap(p);
		} else {
			memset(dst + c.off, 0, c.len);
			atomic64_inc(&vcrtc->scanout_faults);
		}
	}
	srcu_read_unlock(&vdev->mmu_srcu, idx);
}

static enum vmsm_blend vmsm_compose_blend_mode(u16 pixel_blend_mode)
{
	switch (pixel_blend_mode) {
	case DRM_MODE_BLEND_PIXEL_NONE:
		return VMSM_BLEND_NONE;
	case DRM_MODE_BLEND_COVERAGE:
		return VMSM_BLEND_COVERAGE;
	default:
		return VMSM_BLEND_PREMULTI;
	}
}

/* Where the rows of one plane come from and go to. */
struct vmsm_compose_plane {
	u32 format;
	vmsm_pixel_load_fn load;	/* NULL for Y'CbCr */
	struct vmsm_yuv_to_rgb yuv;
	unsigned int nr_planes;
	unsigned int cpp[VMSM_COMPOSE_MAX_PLANES];
	unsigned int vsub;
	u64 va[VMSM_COMPOSE_MAX_PLANES];	/* the framebuffer's planes */
	u32 pitch[VMSM_COMPOSE_MAX_PLANES];
	struct drm_rect src;	/* in the framebuffer, integer, not empty */
	struct drm_rect dst;	/* in the frame, not empty */
	unsigned int rotation;
	unsigned int fb_w, fb_h;
	u16 alpha;
	enum vmsm_blend mode;
};

static enum vmsm_yuv_encoding vmsm_compose_encoding(enum drm_color_encoding enc)
{
	switch (enc) {
	case DRM_COLOR_YCBCR_BT709:
		return VMSM_YUV_BT709;
	case DRM_COLOR_YCBCR_BT2020:
		return VMSM_YUV_BT2020;
	default:
		return VMSM_YUV_BT601;
	}
}

/* The format part of @cp; returns false if the engine cannot read it. */
static bool vmsm_compose_plane_format(const struct vmsm_plane_state *vps,
				      struct vmsm_compose_plane *cp)
{
	const struct drm_plane_state *ps = &vps->base;
	const struct drm_framebuffer *fb = ps->fb;
	const struct drm_format_info *info = fb->format;
	unsigned int i, cpp;

	cp->format = info->format;
	cp->nr_planes = min_t(unsigned int, info->num_planes, VMSM_COMPOSE_MAX_PLANES);
	cp->vsub = info->vsub;
	for (i = 0; i < cp->nr_planes; i++) {
		if (!vps->iova[i])
			return false;
		cp->cpp[i] = info->cpp[i];
		cp->va[i] = vps->iova[i];
		cp->pitch[i] = fb->pitches[i];
	}
	if (info->is_yuv) {
		cp->load = NULL;
		vmsm_yuv_to_rgb_init(&cp->yuv, vmsm_compose_encoding(ps->color_encoding),
				     ps->color_range == DRM_COLOR_YCBCR_FULL_RANGE,
				     info->format == DRM_FORMAT_P010 ? 10 : 8);
		return vmsm_pixel_yuv_format(info->format);
	}
	cp->load = vmsm_pixel_loader(info->format, &cpp);
	return cp->load && cp->nr_planes == 1;
}

/*
 * The rectangles of a rotated or reflected plane: the plane state's own,
 * which must lie in the @w x @h frame and in the framebuffer (clipping a
 * rotated plane again would need the rotation too).
 */
static bool vmsm_compose_plane_rotated(const struct drm_plane_state *ps,
				       unsigned int w, unsigned int h,
				       struct vmsm_compose_plane *cp)
{
	unsigned int sw = drm_rect_width(&ps->src) >> 16;
	unsigned int sh = drm_rect_height(&ps->src) >> 16;

	cp->dst = ps->dst;
	cp->src = DRM_RECT_INIT(ps->src.x1 >> 16, ps->src.y1 >> 16, sw, sh);
	if (drm_rotation_90_or_270(cp->rotation))
		swap(sw, sh);
	return cp->dst.x1 >= 0 && cp->dst.y1 >= 0 && cp->dst.x2 <= w &&
	       cp->dst.y2 <= h && drm_rect_visible(&cp->dst) &&
	       sw == drm_rect_width(&cp->dst) && sh == drm_rect_height(&cp->dst) &&
	       cp->src.x1 >= 0 && cp->src.y1 >= 0 &&
	       cp->src.x2 <= cp->fb_w && cp->src.y2 <= cp->fb_h;
}

/*
 * Fills @cp from a plane state, clipping it to the @w x @h frame again
 * (the plane state already is, this only keeps the composer's accesses in
 * the frame whatever the state holds). Returns false if nothing shows.
 */
static bool vmsm_compose_plane_setup(const struct vmsm_plane_state *vps,
				     unsigned int w, unsigned int h,
				     struct vmsm_compose_plane *cp)
{
	const struct drm_plane_state *ps = &vps->base;
	const struct drm_framebuffer *fb = ps->fb;
	struct drm_rect clip = DRM_RECT_INIT(0, 0, w, h);
	unsigned int sx, sy;

	if (!fb || !ps->visible || !vmsm_compose_plane_format(vps, cp))
		return false;
	cp->fb_w = fb->width;
	cp->fb_h = fb->height;
	cp->alpha = ps->alpha;
	/* Without pixel alpha the modes are the same: take the fast one. */
	cp->mode = fb->format->has_alpha ?
		   vmsm_compose_blend_mode(ps->pixel_blend_mode) : VMSM_BLEND_NONE;
	cp->rotation = ps->rotation & (DRM_MODE_ROTATE_MASK | DRM_MODE_REFLECT_MASK);
	if (cp->rotation != DRM_MODE_ROTATE_0)
		return vmsm_compose_plane_rotated(ps, w, h, cp);

	cp->dst = ps->dst;
	sx = (ps->src.x1 >> 16) + max(clip.x1 - cp->dst.x1, 0);
	sy = (ps->src.y1 >> 16) + max(clip.y1 - cp->dst.y1, 0);
	if (!drm_rect_intersect(&cp->dst, &clip) || sx >= fb->width ||
	    sy >= fb->height)
		return false;
	cp->dst.x2 = min_t(int, cp->dst.x2, cp->dst.x1 + fb->width - sx);
	cp->dst.y2 = min_t(int, cp->dst.y2, cp->dst.y1 + fb->height - sy);
	cp->src = DRM_RECT_INIT(sx, sy, drm_rect_width(&cp->dst),
				drm_rect_height(&cp->dst));
	return true;
}

/* Whether the plane replaces every pixel of the @w x @h frame. */
static bool vmsm_compose_plane_covers(const struct vmsm_compose_plane *cp,
				      unsigned int w, unsigned int h)
{
	return cp->mode == VMSM_BLEND_NONE && cp->alpha == VMSM_ALPHA_OPAQUE &&
	       !cp->dst.x1 && !cp->dst.y1 && cp->dst.x2 == w && cp->dst.y2 == h;
}

/*
 * Reads and converts @n pixels of framebuffer row @y from column @x on
 * into @row, through @raw (room for @n pixels of 4 bytes and 16 more).
 */
static void vmsm_compose_load(struct vmsm_crtc *vcrtc,
			      const struct vmsm_compose_plane *cp, unsigned int x,
			      unsigned int y, unsigned int n, u8 *raw, u32 *row)
{
	const u8 *src[VMSM_COMPOSE_MAX_PLANES] = { raw };
	unsigned int i, k0, cnt;
	u8 *p = raw;

	vmsm_compose_read(vcrtc, cp->va[0] + (u64)y * cp->pitch[0] + (u64)x * cp->cpp[0],
			  p, n * cp->cpp[0]);
	if (cp->load) {
		cp->load(row, raw, n);
		return;
	}
	/* the chroma samples of columns x to x + n - 1 (subsampled by 2) */
	p += n * cp->cpp[0];
	k0 = x / 2;
	cnt = (x + n - 1) / 2 - k0 + 1;
	for (i = 1; i < cp->nr_planes; i++) {
		src[i] = p;
		vmsm_compose_read(vcrtc, cp->va[i] + (u64)(y / cp->vsub) * cp->pitch[i] +
				  (u64)k0 * cp->cpp[i], p, cnt * cp->cpp[i]);
		p += cnt * cp->cpp[i];
	}
	vmsm_pixel_load_yuv_row(cp->format, row, src, x, n, &cp->yuv);
}

/* Blends one plane onto the @w pixels wide frame, row by row. */
static void vmsm_compose_plane(struct vmsm_crtc *vcrtc,
			       const struct vmsm_compose_plane *cp,
			       u32 *frame, unsigned int w, u8 *raw, u32 *row)
{
	unsigned int width = drm_rect_width(&cp->dst);
	unsigned int height = drm_rect_height(&cp->dst);
	u32 *dst = frame + (size_t)cp->dst.y1 * w + cp->dst.x1;
	unsigned int y;

	for (y = 0; y < height; y++) {
		vmsm_compose_load(vcrtc, cp, cp->src.x1, cp->src.y1 + y, width, raw, row);
		vmsm_pixel_blend_row(dst, row, width, cp->alpha, cp->mode);
		dst += w;
	}
}

/*
 * Framebuffer coordinates of the pixel that shows at (@i, @j) of the
 * destination of a rotated or reflected plane: the DRM core's definition
 * of the rotation (drm_rect_rotate(), reflection first), applied to a
 * one-pixel rectangle.
 */
static void vmsm_compose_fb_point(const struct vmsm_compose_plane *cp,
				  const struct drm_rect *rot_src, int i, int j,
				  int *x, int *y)
{
	struct drm_rect r = DRM_RECT_INIT(rot_src->x1 + i, rot_src->y1 + j, 1, 1);

	drm_rect_rotate_inv(&r, cp->fb_w, cp->fb_h, cp->rotation);
	*x = r.x1;
	*y = r.y1;
}

/*
 * Blends a rotated or reflected plane: its source rectangle is converted
 * into @scratch first, then each row of the destination gathers its
 * pixels from there.
 */
static void vmsm_compose_plane_rot(struct vmsm_crtc *vcrtc,
				   const struct vmsm_compose_plane *cp,
				   u32 *frame, unsigned int w, u8 *raw, u32 *row,
				   u32 *scratch)
{
	unsigned int sw = drm_rect_width(&cp->src), sh = drm_rect_height(&cp->src);
	unsigned int width = drm_rect_width(&cp->dst);
	unsigned int height = drm_rect_height(&cp->dst);
	u32 *dst = frame + (size_t)cp->dst.y1 * w + cp->dst.x1;
	struct drm_rect rot_src = cp->src;
	int x0, y0, x1, y1, x2, y2, dxi, dyi, dxj, dyj;
	unsigned int i, j;

	for (j = 0; j < sh; j++)
		vmsm_compose_load(vcrtc, cp, cp->src.x1, cp->src.y1 + j, sw, raw,
				  scratch + (size_t)j * sw);

	drm_rect_rotate(&rot_src, cp->fb_w, cp->fb_h, cp->rotation);
	vmsm_compose_fb_point(cp, &rot_src, 0, 0, &x0, &y0);
	vmsm_compose_fb_point(cp, &rot_src, 1, 0, &x1, &y1);
	vmsm_compose_fb_point(cp, &rot_src, 0, 1, &x2, &y2);
	dxi = x1 - x0;
	dyi = y1 - y0;
	dxj = x2 - x0;
	dyj = y2 - y0;
	x0 -= cp->src.x1;
	y0 -= cp->src.y1;
	for (j = 0; j < height; j++) {
		for (i = 0; i < width; i++)
			row[i] = scratch[(size_t)(y0 + (int)i * dyi + (int)j * dyj) * sw +
					 x0 + (int)i * dxi + (int)j * dxj];
		vmsm_pixel_blend_row(dst, row, width, cp->alpha, cp->mode);
		dst += w;
	}
}

/*
 * Makes room for a @w x @h frame, its row buffers (a row of a rotated
 * plane's source can be @h long) and, if @scratch, a scratch frame for
 * rotated planes; returns the frame.
 */
static u32 *vmsm_compose_buffers(struct vmsm_crtc *vcrtc, unsigned int w,
				 unsigned int h, bool scratch)
{
	size_t pixels = (size_t)w * h;
	size_t size = (pixels * (scratch ? 2 : 1) + 2 * (size_t)max(w, h) + 4) *
		      sizeof(u32);

	if (vcrtc->frame_buf_size >= size)
		return vcrtc->frame_buf;

	kvfree(vcrtc->frame_buf);
	vcrtc->frame_buf_size = 0;
	vcrtc->frame_buf = kvmalloc(size, GFP_KERNEL);
	if (!vcrtc->frame_buf)
		return NULL;
	vcrtc->frame_buf_size = size;
	return vcrtc->frame_buf;
}

/* What the work composes: the planes of a state, taken under the lock. */
struct vmsm_compose_scene {
	const struct vmsm_crtc_state *state;
	unsigned int w;
	unsigned int h;
	unsigned int nr_planes;
	bool rotated;
	struct vmsm_compose_plane planes[VMSM_PLANES_PER_CRTC];
};

/*
 * Takes what the composer needs from @state into @scene. Called under
 * &vmsm_crtc.lock, which async plane updates also take to change the
 * plane states of the active state in place: the composer uses no plane
 * state nor framebuffer after that, only addresses in the display
 * engine's address space.
 */
static void vmsm_compose_scene(const struct vmsm_crtc_state *state,
			       struct vmsm_compose_scene *scene)
{
	struct vmsm_compose_plane *cp;
	unsigned int i;

	scene->state = state;
	scene->w = state->base.mode.hdisplay;
	scene->h = state->base.mode.vdisplay;
	scene->nr_planes = 0;
	scene->rotated = false;
	for (i = 0; i < state->nr_planes && i < VMSM_PLANES_PER_CRTC; i++) {
		cp = &scene->planes[scene->nr_planes];
		if (!vmsm_compose_plane_setup(state->planes[i], scene->w, scene->h, cp))
			continue;
		scene->rotated |= cp->rotation != DRM_MODE_ROTATE_0;
		scene->nr_planes++;
	}
}

/* Composes @scene into the frame buffer; returns the frame or NULL. */
static u32 *vmsm_compose_frame(struct vmsm_crtc *vcrtc,
			       const struct vmsm_compose_scene *scene)
{
	size_t pixels = (size_t)scene->w * scene->h;
	const struct vmsm_compose_plane *cp;
	unsigned int i;
	u32 *frame, *row, *scratch;
	u8 *raw;

	frame = vmsm_compose_buffers(vcrtc, scene->w, scene->h, scene->rotated);
	if (!frame)
		return NULL;
	row = frame + pixels;
	raw = (u8 *)(row + max(scene->w, scene->h));
	scratch = (u32 *)(raw + (max(scene->w, scene->h) + 4) * sizeof(u32));

	/* The background, unless the bottom plane hides all of it. */
	if (!scene->nr_planes ||
	    !vmsm_compose_plane_covers(&scene->planes[0], scene->w, scene->h))
		memset32(frame, VMSM_BACKGROUND, pixels);
	for (i = 0; i < scene->nr_planes; i++) {
		cp = &scene->planes[i];
		if (cp->rotation == DRM_MODE_ROTATE_0)
			vmsm_compose_plane(vcrtc, cp, frame, scene->w, raw, row);
		else
			vmsm_compose_plane_rot(vcrtc, cp, frame, scene->w, raw, row,
					       scratch);
	}
	/* The CRTC state's colour properties do not change in place. */
	if (vmsm_color_prepare(&vcrtc->color, scene->state))
		vmsm_color_apply(&vcrtc->color, frame, pixels);
	return frame;
}

static void vmsm_compose_work(struct work_struct *work)
{
	struct vmsm_crtc *vcrtc = container_of(work, struct vmsm_crtc, compose_work);
	struct vmsm_compose_scene scene;
	unsigned long flags;
	u32 *frame = NULL;
	unsigned int nr_due;
	bool on, crc;
	u32 crc32;
	u64 seq, t0;

	/* before the scene: a job due later wants a later frame */
	nr_due = vmsm_writeback_nr_due(vcrtc);
	spin_lock_irqsave(&vcrtc->lock, flags);
	on = vcrtc->active;
	if (on)
		vmsm_compose_scene(vcrtc->active, &scene);
	crc = vcrtc->crc_enabled;
	seq = vcrtc->frame;
	spin_unlock_irqrestore(&vcrtc->lock, flags);

	if (on) {
		t0 = ktime_get_ns();
		frame = vmsm_compose_frame(vcrtc, &scene);
		atomic64_add(ktime_get_ns() - t0, &vcrtc->compose_ns);
		if (!frame)
			drm_err_ratelimited(vcrtc->base.dev,
					    "[CRTC:%d] no memory for a %ux%u frame\n",
					    vcrtc->base.base.id, scene.w, scene.h);
	}

	if (!frame) {
		vmsm_writeback_done(vcrtc, NULL, 0, 0, 0);
		return;
	}
	atomic64_inc(&vcrtc->composed);
	if (crc) {
		crc32 = crc32_le(~0, (const u8 *)frame,
				 (size_t)scene.w * scene.h * sizeof(u32));
		drm_crtc_add_crc_entry(&vcrtc->base, true, seq, &crc32);
	}
	vmsm_writeback_done(vcrtc, frame, scene.w, scene.h, nr_due);
}

/**
 * vmsm_compose_init() - set up the composer of a CRTC
 * @vcrtc: the CRTC, its index and display engine set
 *
 * &vmsm_crtc.lock must be initialized already. Undone by
 * vmsm_compose_fini().
 *
 * Return: 0 or -ENOMEM.
 */
int vmsm_compose_init(struct vmsm_crtc *vcrtc)
{
	INIT_WORK(&vcrtc->compose_work, vmsm_compose_work);
	atomic64_set(&vcrtc->composed, 0);
	atomic64_set(&vcrtc->compose_ns, 0);
	atomic64_set(&vcrtc->missed, 0);
	atomic64_set(&vcrtc->scanout_faults, 0);
	vcrtc->frame_buf = NULL;
	vcrtc->frame_buf_size = 0;
	vcrtc->compose_wq = alloc_ordered_workqueue("vmsm-compose-%u", 0,
						    vcrtc->index);
	return vcrtc->compose_wq ? 0 : -ENOMEM;
}

/**
 * vmsm_compose_fini() - tear down the composer of a CRTC
 * @vcrtc: the CRTC, off (no vblank can queue a frame any more)
 *
 * Safe to call after a failed or without vmsm_compose_init() on a zeroed
 * &vmsm_crtc.
 */
void vmsm_compose_fini(struct vmsm_crtc *vcrtc)
{
	if (vcrtc->compose_wq) {
		destroy_workqueue(vcrtc->compose_wq);
		vcrtc->compose_wq = NULL;
	}
	kvfree(vcrtc->frame_buf);
	vcrtc->frame_buf = NULL;
	vcrtc->frame_buf_size = 0;
}

/**
 * vmsm_compose_vblank() - a vblank: compose a frame if one is wanted
 * @vcrtc: the CRTC
 * @frame: the vblank count, drm_crtc_vblank_count() after the vblank was
 *	handled; the frame's CRC is reported with it
 *
 * Called from the vblank timer (hard interrupt context). A frame is
 * composed while a CRC source is set or a writeback job is due, at most
 * one at a time: a vblank that finds the previous one still being
 * composed counts in &vmsm_crtc.missed.
 */
void vmsm_compose_vblank(struct vmsm_crtc *vcrtc, u64 frame)
{
	unsigned long flags;
	bool wanted;

	spin_lock_irqsave(&vcrtc->lock, flags);
	wanted = vcrtc->active && vcrtc->crc_enabled;
	spin_unlock_irqrestore(&vcrtc->lock, flags);
	if (!wanted && !vmsm_writeback_pending(vcrtc))
		return;

	if (work_busy(&vcrtc->compose_work)) {
		atomic64_inc(&vcrtc->missed);
		return;
	}
	spin_lock_irqsave(&vcrtc->lock, flags);
	vcrtc->frame = frame;
	spin_unlock_irqrestore(&vcrtc->lock, flags);
	queue_work(vcrtc->compose_wq, &vcrtc->compose_work);
}

/**
 * vmsm_compose_flush() - wait for the frame being composed
 * @vcrtc: the CRTC
 *
 * Called after &vmsm_crtc.active changed, before the state it pointed to
 * is freed: the composer no longer reads any older state on return. If the
 * CRTC is off, writeback jobs still due complete with an error, there
 * being no frame to write.
 *
 * Context: process context; may sleep.
 */
void vmsm_compose_flush(struct vmsm_crtc *vcrtc)
{
	unsigned long flags;
	bool off;

	flush_work(&vcrtc->compose_work);

	spin_lock_irqsave(&vcrtc->lock, flags);
	off = !vcrtc->active;
	spin_unlock_irqrestore(&vcrtc->lock, flags);
	if (off && vmsm_writeback_pending(vcrtc)) {
		/* The jobs complete in the work, one consumer of the queue. */
		queue_work(vcrtc->compose_wq, &vcrtc->compose_work);
		flush_work(&vcrtc->compose_work);
	}
}

/**
 * vmsm_compose_show() - the composer's state, for debugfs
 * @m: the debugfs file
 * @vcrtc: the CRTC
 *
 * Prints the frame counters (frames composed, the nanoseconds spent
 * composing them, missed vblanks, scanout faults), then each plane of the active state with its
 * framebuffer id and format, source rectangle (16.16), destination and
 * GPU address in the display engine's address space.
 */
void vmsm_compose_show(struct seq_file *m, struct vmsm_crtc *vcrtc)
{
	const struct vmsm_crtc_state *state;
	const struct drm_plane_state *ps;
	unsigned long flags;
	unsigned int i;

	seq_printf(m, "\tcomposed %lld\n\tcompose_ns %lld\n\tmissed %lld\n\tscanout_faults %lld\n",
		   atomic64_read(&vcrtc->composed), atomic64_read(&vcrtc->compose_ns),
		   atomic64_read(&vcrtc->missed), atomic64_read(&vcrtc->scanout_faults));

	spin_lock_irqsave(&vcrtc->lock, flags);
	state = vcrtc->active;
	for (i = 0; state && i < state->nr_planes; i++) {
		ps = &state->planes[i]->base;
		if (!ps->fb)
			continue;
		seq_printf(m, "\tplane %u [PLANE:%d:%s] fb %u %p4cc src " DRM_RECT_FP_FMT
			   " dst " DRM_RECT_FMT " iova 0x%llx\n", i,
			   ps->plane->base.id, ps->plane->name, ps->fb->base.id,
			   &ps->fb->format->format, DRM_RECT_FP_ARG(&ps->src),
			   DRM_RECT_ARG(&ps->dst), state->planes[i]->iova[0]);
		seq_printf(m, "\t\trotation %#x color_encoding %u color_range %u\n",
			   ps->rotation, ps->color_encoding, ps->color_range);
	}
	spin_unlock_irqrestore(&vcrtc->lock, flags);
}
