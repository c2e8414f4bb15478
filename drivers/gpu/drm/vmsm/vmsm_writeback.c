// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: display engine: writeback
 *
 * Each CRTC has a writeback connector (``WRITEBACK_FB_ID``,
 * ``WRITEBACK_OUT_FENCE_PTR``, formats XRGB8888, ARGB8888, XRGB2101010 and
 * NV12, see "display engine: pixels" for the conversions) that
 * captures the CRTC's composed frame into a framebuffer of the size of the
 * CRTC's mode. Preparing a job maps the target into the display engine's
 * address space, &vmsm_kms.vm, and hands it to the device for writing
 * (vmsm_coherency_device_begin()) and adds the job's fence to the
 * reservation object of each of the target's objects as a write
 * (vmsm_wb_fence_target()); committing it
 * queues it and marks the new CRTC state's &vmsm_crtc_state.wb_pending.
 *
 * The display engine is then a device writer like a GPU job: GEM_CPU_PREP
 * waits for the capture before it takes the target back for the CPU
 * (invalidating, for a cached object on a non-coherent device, what the
 * display engine wrote into the device view), GEM_SYNC to the CPU and
 * GEM_CPU_PREP with %VMSM_PREP_NOSYNC fail with -EBUSY until it is done,
 * and a submit that lists the target waits for it by implicit sync, from
 * the moment the commit returns, blocking or not. Every job has that
 * fence: the out-fence userspace asked for with
 * ``WRITEBACK_OUT_FENCE_PTR``, else one the driver makes. A job whose
 * commit fails after it was prepared signals it with -ECANCELED. A commit
 * that would put an object of the target of its writeback job on one of its planes
 * fails its check with -EINVAL: the plane would wait for the capture of
 * its own frame.
 *
 * A job is due once its commit's hardware work is done (``hw_done``: the
 * new state is being scanned out). The first composed frame after that
 * (see "display engine: composer") is written into every job due, row by
 * row through the page tables of &vmsm_kms.vm, at most a 4 KiB page at a
 * time under the read side of &vmsm_device.mmu_srcu, and the job then
 * completes with drm_writeback_signal_completion(): its out-fence signals,
 * with -EFAULT if a write faulted. Jobs due while the CRTC is off complete
 * with -ECANCELED. Only the composer's work completes jobs.
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/string.h>

#include <drm/drm_atomic_helper.h>
#include <drm/drm_atomic_state_helper.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem.h>
#include <drm/drm_modes.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_writeback.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"
#include "vmsm_pixel.h"

/**
 * struct vmsm_wb_job - the display engine's part of a writeback job
 * @commit: the commit that queued the job (reference); the job is due
 *	once its ``hw_done`` completed (at once without one)
 * @iova: GPU address of the first pixel of each plane of the target in
 *	&vmsm_kms.vm (the second is NV12's chroma)
 * @pitch: bytes from one row of each plane of the target to the next
 * @format: DRM fourcc of the target
 * @width: width of the target in pixels
 * @height: height of the target in pixels
 * @row: one row of the target's pixels, converted before it is written
 */
struct vmsm_wb_job {
	struct drm_crtc_commit *commit;
	u64 iova[2];
	u32 pitch[2];
	u32 format;
	unsigned int width;
	unsigned int height;
	u8 row[];
};

static const u32 vmsm_wb_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XRGB2101010,
	DRM_FORMAT_NV12,
};

static struct vmsm_crtc *wb_to_vmsm_crtc(struct drm_writeback_connector *wb)
{
	return container_of(wb, struct vmsm_crtc, wb);
}

static bool vmsm_wb_job_due(const struct drm_writeback_job *job)
{
	const struct vmsm_wb_job *wj = job->priv;

	return wj && (!wj->commit || completion_done(&wj->commit->hw_done));
}

/* The first job of the queue if it is due, else NULL. */
static struct drm_writeback_job *vmsm_wb_first_due(struct drm_writeback_connector *wb)
{
	struct drm_writeback_job *job;
	unsigned long flags;

	spin_lock_irqsave(&wb->job_lock, flags);
	job = list_first_entry_or_null(&wb->job_queue, struct drm_writeback_job,
				       list_entry);
	if (job && !vmsm_wb_job_due(job))
		job = NULL;
	spin_unlock_irqrestore(&wb->job_lock, flags);
	return job;
}

/**
 * vmsm_writeback_nr_due() - the writeback jobs a frame composed now is for
 * @vcrtc: the CRTC
 *
 * A job is due once its commit's new state is the CRTC's, so a frame is
 * for the jobs that were due before its scene was taken: one that became
 * due while the frame was composed wants the next one. Called before the
 * scene is taken.
 *
 * Context: the composer's work.
 *
 * Return: how many jobs at the head of the queue are due.
 */
unsigned int vmsm_writeback_nr_due(struct vmsm_crtc *vcrtc)
{
	struct drm_writeback_connector *wb = &vcrtc->wb;
	struct drm_writeback_job *job;
	unsigned int n = 0;
	unsigned long flags;

	spin_lock_irqsave(&wb->job_lock, flags);
	list_for_each_entry(job, &wb->job_queue, list_entry) {
		if (!vmsm_wb_job_due(job))
			break;
		n++;
	}
	spin_unlock_irqrestore(&wb->job_lock, flags);
	return n;
}

/**
 * vmsm_writeback_pending() - whether a writeback job waits for a frame
 * @vcrtc: the CRTC
 *
 * Context: any, the vblank timer's included.
 *
 * Return: true if the CRTC's first queued writeback job is due.
 */
bool vmsm_writeback_pending(struct vmsm_crtc *vcrtc)
{
	return !!vmsm_wb_first_due(&vcrtc->wb);
}

/* Writes @len bytes from @src at @va of the display engine's address space. */
static int vmsm_wb_write_span(struct vmsm_vm *vm, u64 va, const u8 *src, u32 len)
{
	struct vmsm_pt_chunk c;
	u64 fault_pte;
	int ret = 0;
	void *p;

	vmsm_pt_chunk_start(&c, va, len);
	while (vmsm_pt_chunk_next(&c)) {
		p = vmsm_vm_access_map(vm, c.va, c.len, true, &fault_pte);
		if (p) {
			memcpy(p, src + c.off, c.len);
			vmsm_vm_access_unmap(p);
		} else {
			ret = -EFAULT;
		}
	}
	return ret;
}

/* Writes @len bytes of @src at @va, under the read side of the MMU's SRCU. */
static int vmsm_wb_write_row(struct vmsm_crtc *vcrtc, u64 va, const u8 *src, u32 len)
{
	struct vmsm_device *vdev = vcrtc->kms->vdev;
	int idx, ret;

	idx = srcu_read_lock(&vdev->mmu_srcu);
	ret = vmsm_wb_write_span(vcrtc->kms->vm, va, src, len);
	srcu_read_unlock(&vdev->mmu_srcu, idx);
	return ret;
}

/* NV12: two rows of luma and one of chroma at a time. */
static int vmsm_wb_write_nv12(struct vmsm_crtc *vcrtc, struct vmsm_wb_job *wj,
			      const u32 *frame, unsigned int w, unsigned int width,
			      unsigned int height)
{
	u8 *y0 = wj->row, *y1 = y0 + width, *c = y1 + width;
	struct vmsm_rgb_to_yuv m;
	const u32 *row1;
	unsigned int y;
	int ret = 0;

	vmsm_rgb_to_yuv_init(&m, VMSM_YUV_BT601, false, 8);
	for (y = 0; y < height; y += 2) {
		row1 = y + 1 < height ? frame + (size_t)(y + 1) * w : NULL;
		vmsm_pixel_store_nv12(y0, y1, c, frame + (size_t)y * w, row1, width, &m);
		if (vmsm_wb_write_row(vcrtc, wj->iova[0] + (u64)y * wj->pitch[0], y0, width))
			ret = -EFAULT;
		if (row1 && vmsm_wb_write_row(vcrtc, wj->iova[0] + (u64)(y + 1) * wj->pitch[0],
					      y1, width))
			ret = -EFAULT;
		if (vmsm_wb_write_row(vcrtc, wj->iova[1] + (u64)(y / 2) * wj->pitch[1], c,
				      round_up(width, 2)))
			ret = -EFAULT;
	}
	return ret;
}

/* Writes the @w x @h @frame into the target of @wj, clipped to the target. */
static int vmsm_wb_write(struct vmsm_crtc *vcrtc, struct vmsm_wb_job *wj,
			 const u32 *frame, unsigned int w, unsigned int h)
{
	unsigned int width = min(w, wj->width);
	unsigned int height = min(h, wj->height);
	u64 va = wj->iova[0];
	unsigned int y;
	int ret = 0;

	if (wj->format == DRM_FORMAT_NV12)
		return vmsm_wb_write_nv12(vcrtc, wj, frame, w, width, height);
	for (y = 0; y < height; y++) {
		vmsm_pixel_store_row(wj->format, wj->row, frame + (size_t)y * w, width);
		if (vmsm_wb_write_row(vcrtc, va, wj->row, width * 4))
			ret = -EFAULT;
		va += wj->pitch[0];
	}
	return ret;
}

/**
 * vmsm_writeback_done() - a frame was composed: complete the due jobs
 * @vcrtc: the CRTC
 * @frame: the composed frame, ARGB8888, or NULL if there is none (the
 *	CRTC is off, or the frame could not be composed)
 * @width: width of @frame in pixels
 * @height: height of @frame in pixels
 * @nr_due: jobs due before the frame's scene was taken
 *	(vmsm_writeback_nr_due())
 *
 * Writes @frame into the target of the first @nr_due jobs and signals
 * their completion; without a frame every due job completes with
 * -ECANCELED. Other jobs wait for a later frame.
 *
 * Context: the composer's work only (the one consumer of the job queue).
 */
void vmsm_writeback_done(struct vmsm_crtc *vcrtc, const u32 *frame,
			 unsigned int width, unsigned int height,
			 unsigned int nr_due)
{
	struct drm_writeback_connector *wb = &vcrtc->wb;
	struct drm_writeback_job *job;
	int ret;

	while ((!frame || nr_due--) && (job = vmsm_wb_first_due(wb))) {
		ret = -ECANCELED;
		if (frame)
			ret = vmsm_wb_write(vcrtc, job->priv, frame, width, height);
		if (ret)
			drm_dbg_kms(vcrtc->base.dev, "[CRTC:%d] writeback failed: %d\n",
				    vcrtc->base.base.id, ret);
		drm_writeback_signal_completion(wb, ret);
	}
}

static int vmsm_wb_get_modes(struct drm_connector *connector)
{
	struct drm_writeback_connector *wb = drm_connector_to_writeback(connector);

	return vmsm_kms_get_modes(connector, wb_to_vmsm_crtc(wb)->kms);
}

/* Whether a plane of @state shows @obj. */
static bool vmsm_wb_target_on_plane(struct drm_atomic_state *state,
				    struct drm_gem_object *obj)
{
	struct drm_plane_state *plane_state;
	struct drm_plane *plane;
	unsigned int j;
	int i;

	for_each_new_plane_in_state(state, plane, plane_state, i)
		for (j = 0; plane_state->fb && j < plane_state->fb->format->num_planes; j++)
			if (plane_state->fb->obj[j] == obj)
				return true;
	return false;
}

/**
 * vmsm_writeback_check() - writeback checks of a whole commit
 * @state: the commit, every affected plane in it (after
 *	drm_atomic_helper_check())
 *
 * Return: 0, or -EINVAL if an object of a writeback job's target is on a plane of the
 * commit: that plane would wait for the job's fence, which signals only
 * once the frame it belongs to is composed.
 */
int vmsm_writeback_check(struct drm_atomic_state *state)
{
	struct drm_connector_state *conn_state;
	struct drm_connector *connector;
	int i;

	struct drm_framebuffer *fb;
	unsigned int j;
	bool on_plane;

	for_each_new_connector_in_state(state, connector, conn_state, i) {
		if (!conn_state->writeback_job || !conn_state->writeback_job->fb)
			continue;
		fb = conn_state->writeback_job->fb;
		on_plane = false;
		for (j = 0; j < fb->format->num_planes; j++)
			on_plane |= vmsm_wb_target_on_plane(state, fb->obj[j]);
		if (on_plane) {
			drm_dbg_kms(connector->dev, "[CONNECTOR:%d:%s] target on a plane\n",
				    connector->base.id, connector->name);
			return -EINVAL;
		}
	}
	return 0;
}

static int vmsm_wb_atomic_check(struct drm_connector *connector,
				struct drm_atomic_state *state)
{
	struct drm_connector_state *conn_state =
		drm_atomic_get_new_connector_state(state, connector);
	struct drm_writeback_job *job = conn_state->writeback_job;
	struct drm_crtc_state *crtc_state;
	struct drm_framebuffer *fb;

	if (!job || !job->fb)
		return 0;
	if (!conn_state->crtc)
		return -EINVAL;
	crtc_state = drm_atomic_get_new_crtc_state(state, conn_state->crtc);
	if (!crtc_state)
		return -EINVAL;

	fb = job->fb;
	if (fb->width != crtc_state->mode.hdisplay ||
	    fb->height != crtc_state->mode.vdisplay) {
		drm_dbg_kms(connector->dev, "[CONNECTOR:%d:%s] fb %ux%u, mode %ux%u\n",
			    connector->base.id, connector->name, fb->width, fb->height,
			    crtc_state->mode.hdisplay, crtc_state->mode.vdisplay);
		return -EINVAL;
	}
	return drm_atomic_helper_check_wb_connector_state(connector, state);
}

/* Adds @fence to @obj's reservation object as a write. */
static int vmsm_wb_fence_obj(struct drm_gem_object *obj, struct dma_fence *fence)
{
	struct dma_resv *resv = obj->resv;
	int ret;

	ret = dma_resv_lock_interruptible(resv, NULL);
	if (ret)
		return ret;
	ret = dma_resv_reserve_fences(resv, 1);
	if (!ret)
		dma_resv_add_fence(resv, fence, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(resv);
	return ret;
}

/*
 * Makes the job's fence a write fence of each object of its target, so
 * that CPU and GPU readers of the target wait for the capture; the
 * driver's own fence if userspace asked for none.
 */
static int vmsm_wb_fence_target(struct drm_writeback_connector *wb,
				struct drm_writeback_job *job)
{
	struct drm_framebuffer *fb = job->fb;
	unsigned int i;
	int ret;

	if (!job->out_fence)
		job->out_fence = drm_writeback_get_out_fence(wb);
	if (!job->out_fence)
		return -ENOMEM;
	for (i = 0; i < fb->format->num_planes; i++) {
		if (i && fb->obj[i] == fb->obj[0])
			continue;
		ret = vmsm_wb_fence_obj(fb->obj[i], job->out_fence);
		if (ret)
			return ret;
	}
	return 0;
}

/* Maps each object of the target for writing; fills the job's addresses. */
static int vmsm_wb_map_target(struct vmsm_kms *kms, struct drm_framebuffer *fb,
			      struct vmsm_wb_job *wj)
{
	unsigned int i;
	u64 iova;
	int ret;

	for (i = 0; i < fb->format->num_planes && i < ARRAY_SIZE(wj->iova); i++) {
		ret = vmsm_kms_map_bo(kms, to_vmsm_bo(fb->obj[i]), true, &iova);
		if (ret)
			return ret;
		wj->iova[i] = iova + fb->offsets[i];
		wj->pitch[i] = fb->pitches[i];
	}
	return 0;
}

static int vmsm_wb_prepare_job(struct drm_writeback_connector *wb,
			       struct drm_writeback_job *job)
{
	struct vmsm_kms *kms = wb_to_vmsm_crtc(wb)->kms;
	struct drm_framebuffer *fb = job->fb;
	struct vmsm_wb_job *wj;
	int ret;

	if (!fb)
		return 0;
	if (!vmsm_pixel_can_store(fb->format->format) &&
	    fb->format->format != DRM_FORMAT_NV12)
		return -EINVAL;

	/* a row of 4-byte pixels, or two of NV12 luma and one of chroma */
	wj = kvzalloc(struct_size(wj, row, (size_t)fb->width * 4 + 1), GFP_KERNEL);
	if (!wj)
		return -ENOMEM;

	ret = vmsm_wb_map_target(kms, fb, wj);
	if (ret)
		goto err_free;
	ret = vmsm_wb_fence_target(wb, job);
	if (ret)
		goto err_free;

	wj->format = fb->format->format;
	wj->width = fb->width;
	wj->height = fb->height;
	job->priv = wj;
	return 0;

err_free:
	kvfree(wj);
	return ret;
}

static void vmsm_wb_cleanup_job(struct drm_writeback_connector *wb,
				struct drm_writeback_job *job)
{
	struct vmsm_wb_job *wj = job->priv;

	/* The target stays mapped in the display engine's VM until freed. */
	if (!wj)
		return;
	/*
	 * Completion signals the fence and drops it from the job: one still
	 * there is that of a job whose commit failed, which readers of the
	 * target may wait for.
	 */
	if (job->out_fence) {
		dma_fence_set_error(job->out_fence, -ECANCELED);
		dma_fence_signal(job->out_fence);
	}
	if (wj->commit)
		drm_crtc_commit_put(wj->commit);
	kvfree(wj);
	job->priv = NULL;
}

static void vmsm_wb_atomic_commit(struct drm_connector *connector,
				  struct drm_atomic_state *state)
{
	struct drm_connector_state *conn_state =
		drm_atomic_get_new_connector_state(state, connector);
	struct drm_writeback_connector *wb = drm_connector_to_writeback(connector);
	struct vmsm_wb_job *wj = conn_state->writeback_job->priv;
	struct drm_crtc_state *crtc_state;

	crtc_state = drm_atomic_get_new_crtc_state(state, conn_state->crtc);
	if (crtc_state->commit)
		wj->commit = drm_crtc_commit_get(crtc_state->commit);
	to_vmsm_crtc_state(crtc_state)->wb_pending = true;
	drm_writeback_queue_job(wb, conn_state);
}

static const struct drm_connector_funcs vmsm_wb_connector_funcs = {
	.fill_modes = drm_helper_probe_single_connector_modes,
	.destroy = drm_connector_cleanup,
	.reset = drm_atomic_helper_connector_reset,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

static const struct drm_connector_helper_funcs vmsm_wb_connector_helper_funcs = {
	.get_modes = vmsm_wb_get_modes,
	.atomic_check = vmsm_wb_atomic_check,
	.prepare_writeback_job = vmsm_wb_prepare_job,
	.cleanup_writeback_job = vmsm_wb_cleanup_job,
	.atomic_commit = vmsm_wb_atomic_commit,
};

static const struct drm_encoder_helper_funcs vmsm_wb_encoder_helper_funcs = {
};

/**
 * vmsm_writeback_init() - create the writeback connector of a CRTC
 * @kms: the display engine
 * @vcrtc: the CRTC, its index set and its virtual connector's encoder
 *	initialized; the connector can only use this CRTC
 *
 * Also makes the two encoders of the CRTC possible clones of each other,
 * so that the writeback connector can capture while the virtual
 * connector shows the frame. The connector and its encoder are cleaned up
 * with the mode config.
 *
 * Return: 0 or a negative error code.
 */
int vmsm_writeback_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc)
{
	u32 clones;
	int ret;

	ret = drm_writeback_connector_init(&kms->vdev->drm, &vcrtc->wb,
					   &vmsm_wb_connector_funcs,
					   &vmsm_wb_encoder_helper_funcs,
					   vmsm_wb_formats, ARRAY_SIZE(vmsm_wb_formats),
					   BIT(vcrtc->index));
	if (ret)
		return ret;
	drm_connector_helper_add(&vcrtc->wb.base, &vmsm_wb_connector_helper_funcs);

	/*
	 * The writeback encoder works alongside the virtual connector's on
	 * the same CRTC: each must list the other as a possible clone.
	 */
	clones = drm_encoder_mask(&vcrtc->encoder) | drm_encoder_mask(&vcrtc->wb.encoder);
	vcrtc->encoder.possible_clones = clones;
	vcrtc->wb.encoder.possible_clones = clones;
	return 0;
}
