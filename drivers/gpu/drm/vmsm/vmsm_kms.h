/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_KMS_H__
#define __VMSM_KMS_H__

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <drm/drm_atomic.h>
#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_encoder.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_plane.h>
#include <drm/drm_writeback.h>

struct vmsm_bo;
struct vmsm_device;
struct vmsm_vm;

/* Display engine limits. */
#define VMSM_MAX_CRTCS		4
#define VMSM_NR_OVERLAYS	2
/* primary, overlays, cursor */
#define VMSM_PLANES_PER_CRTC	(2 + VMSM_NR_OVERLAYS)
#define VMSM_MIN_SIZE		32
#define VMSM_MAX_SIZE		4096
#define VMSM_CURSOR_SIZE	64
/* Modes the engine can time: see "CRTC and vblank". */
#define VMSM_MAX_CLOCK_KHZ	2000000
#define VMSM_MIN_REFRESH	1
#define VMSM_MAX_REFRESH	240
/* Entries of the degamma and gamma LUTs, and of the legacy gamma ramp. */
#define VMSM_LUT_SIZE		256
/* Largest magnitude of a CTM coefficient. */
#define VMSM_CTM_MAX		8192

/**
 * struct vmsm_plane_state - plane state of the display engine
 * @base: the DRM plane state, embedded
 * @iova: GPU virtual address, in the display engine's address space
 *	(&vmsm_kms.vm), of each colour plane of the framebuffer's first
 *	pixel (``fb->offsets[i]`` included); set by prepare_fb, 0 while the
 *	plane has no framebuffer
 *
 * The display engine reads framebuffers only through these addresses: a
 * page-table walk of its own address space, like the GPU core's.
 */
struct vmsm_plane_state {
	struct drm_plane_state base;
	u64 iova[DRM_FORMAT_MAX_PLANES];
};

/**
 * struct vmsm_crtc_state - CRTC state of the display engine
 * @base: the DRM CRTC state, embedded
 * @nr_planes: number of entries in @planes
 * @planes: the visible planes of this state, bottom first (ascending
 *	normalized zpos); built by atomic_check, valid for the state's
 *	lifetime
 * @wb_pending: a writeback job was queued with this state: the next
 *	composed frame completes it
 * @frame_size: bytes of one composed frame (``hdisplay * vdisplay * 4``)
 * @ctm: the ``CTM`` property's coefficients in Q15.32, by rows; set by
 *	atomic_check while the property is set
 */
struct vmsm_crtc_state {
	struct drm_crtc_state base;
	unsigned int nr_planes;
	struct vmsm_plane_state *planes[VMSM_PLANES_PER_CRTC];
	bool wb_pending;
	size_t frame_size;
	s64 ctm[9];
};

/**
 * struct vmsm_color - the colour pipeline of one composed frame
 * @degamma: each 8-bit value of each channel (red, green, blue) after
 *	the degamma LUT, in 16 bits
 * @direct: each 8-bit value of each channel after the degamma and gamma
 *	LUTs: the whole pipeline when there is no matrix
 * @ctm: the matrix, &vmsm_crtc_state.ctm, or NULL
 * @gamma: the gamma LUT's entries, or NULL
 * @gamma_size: entries at @gamma
 *
 * Built by vmsm_color_prepare() from a CRTC state, whose blobs it points
 * into; see "display engine: colour management".
 */
struct vmsm_color {
	u16 degamma[3][256];
	u8 direct[3][256];
	const s64 *ctm;
	const struct drm_color_lut *gamma;
	unsigned int gamma_size;
};

/**
 * struct vmsm_crtc - one CRTC of the display engine, with its planes,
 *	encoder, virtual connector and writeback connector
 * @base: the DRM CRTC, embedded
 * @kms: the display engine
 * @index: CRTC index
 * @primary: primary plane
 * @overlays: overlay planes
 * @cursor: cursor plane
 * @encoder: encoder of the virtual connector
 * @connector: the virtual connector
 * @connected: the virtual connector's status, changed through debugfs
 *	(``vmsm_hotplug``); read under &drm_mode_config.mutex
 * @wb: writeback connector, capturing the composed frame
 * @vblank_timer: the vblank interrupt
 * @period: frame time of the current mode, set when the CRTC is enabled
 * @lock: protects @active, @crc_enabled and @frame
 * @active: the state being scanned out, set in atomic_flush, cleared in
 *	atomic_disable; the composer reads it
 * @crc_enabled: a CRC source is set (debugfs ``crc/control``)
 * @frame: vblank count of the last frame handed to the composer
 * @compose_wq: ordered workqueue of the composer
 * @compose_work: composes one frame (CRC, writeback) of @active
 * @frame_buf: the composed frame, ARGB8888, owned by the composer
 * @frame_buf_size: bytes allocated at @frame_buf
 * @color: the colour pipeline of the frame being composed, owned by the
 *	composer
 * @composed: frames composed, for debugfs
 * @compose_ns: time spent composing them (reading, converting and
 *	blending the planes), in nanoseconds, for debugfs and ``make bench``
 * @missed: vblanks at which the previous frame was still being composed
 * @scanout_faults: framebuffer reads that faulted in the display engine's
 *	address space (the pixels read as zero)
 */
struct vmsm_crtc {
	struct drm_crtc base;
	struct vmsm_kms *kms;
	unsigned int index;
	struct drm_plane primary;
	struct drm_plane overlays[VMSM_NR_OVERLAYS];
	struct drm_plane cursor;
	struct drm_encoder encoder;
	struct drm_connector connector;
	bool connected;
	struct drm_writeback_connector wb;
	struct hrtimer vblank_timer;
	ktime_t period;
	spinlock_t lock; /* @active, @crc_enabled, @frame */
	struct vmsm_crtc_state *active;
	bool crc_enabled;
	u64 frame;
	struct workqueue_struct *compose_wq;
	struct work_struct compose_work;
	u32 *frame_buf;
	size_t frame_buf_size;
	struct vmsm_color color;
	atomic64_t composed;
	atomic64_t compose_ns;
	atomic64_t missed;
	atomic64_t scanout_faults;
};

/**
 * struct vmsm_kms - the display engine of a vmsm device
 * @vdev: the device
 * @vm: the display engine's own GPU address space, kernel-managed; every
 *	framebuffer it scans out is mapped here (not counted in the
 *	``vms`` count of debugfs ``vmsm_objects``)
 * @nr_crtcs: number of CRTCs
 * @width: width of the virtual connectors' preferred mode
 * @height: height of the virtual connectors' preferred mode
 * @crtcs: the CRTCs
 */
struct vmsm_kms {
	struct vmsm_device *vdev;
	struct vmsm_vm *vm;
	unsigned int nr_crtcs;
	unsigned int width;
	unsigned int height;
	struct vmsm_crtc crtcs[VMSM_MAX_CRTCS];
};

static inline struct vmsm_crtc *to_vmsm_crtc(struct drm_crtc *crtc)
{
	return container_of(crtc, struct vmsm_crtc, base);
}

static inline struct vmsm_crtc_state *to_vmsm_crtc_state(struct drm_crtc_state *s)
{
	return container_of(s, struct vmsm_crtc_state, base);
}

static inline struct vmsm_plane_state *to_vmsm_plane_state(struct drm_plane_state *s)
{
	return container_of(s, struct vmsm_plane_state, base);
}

/* vmsm_kms.c: mode config, framebuffers, dumb buffers, fbdev, hotplug */
int vmsm_kms_init(struct vmsm_device *vdev);
void vmsm_kms_fini(struct vmsm_device *vdev);
void vmsm_kms_debugfs_init(struct drm_minor *minor);
int vmsm_dumb_create(struct drm_file *file, struct drm_device *drm,
		     struct drm_mode_create_dumb *args);
int vmsm_kms_map_bo(struct vmsm_kms *kms, struct vmsm_bo *bo, bool write,
		    u64 *iova);

/* vmsm_crtc.c: CRTC, vblank timer */
int vmsm_crtc_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc);
enum drm_mode_status vmsm_crtc_mode_status(const struct drm_display_mode *mode);

/* vmsm_plane.c: planes, formats, scanout mapping */
int vmsm_planes_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc);

/* vmsm_connector.c: encoder and virtual connector */
int vmsm_connector_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc);
int vmsm_kms_get_modes(struct drm_connector *connector, struct vmsm_kms *kms);

/* vmsm_compose.c: the composer */
int vmsm_compose_init(struct vmsm_crtc *vcrtc);
void vmsm_compose_fini(struct vmsm_crtc *vcrtc);
void vmsm_compose_vblank(struct vmsm_crtc *vcrtc, u64 frame);
void vmsm_compose_flush(struct vmsm_crtc *vcrtc);
void vmsm_compose_show(struct seq_file *m, struct vmsm_crtc *vcrtc);

/* vmsm_color.c: colour management */
int vmsm_color_check(struct drm_crtc *crtc, struct vmsm_crtc_state *vstate);
bool vmsm_color_prepare(struct vmsm_color *color,
			const struct vmsm_crtc_state *state);
void vmsm_color_apply(const struct vmsm_color *color, u32 *frame, size_t n);

/* vmsm_crc.c: pipe CRCs */
extern const char *const vmsm_crc_sources[];
int vmsm_crc_set_source(struct drm_crtc *crtc, const char *src_name);
int vmsm_crc_verify_source(struct drm_crtc *crtc, const char *src_name,
			   size_t *values_cnt);
const char *const *vmsm_crc_get_sources(struct drm_crtc *crtc, size_t *count);

/* vmsm_writeback.c: the writeback connector */
int vmsm_writeback_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc);
bool vmsm_writeback_pending(struct vmsm_crtc *vcrtc);
int vmsm_writeback_check(struct drm_atomic_state *state);
unsigned int vmsm_writeback_nr_due(struct vmsm_crtc *vcrtc);
void vmsm_writeback_done(struct vmsm_crtc *vcrtc, const u32 *frame,
			 unsigned int width, unsigned int height,
			 unsigned int nr_due);

#endif /* __VMSM_KMS_H__ */
