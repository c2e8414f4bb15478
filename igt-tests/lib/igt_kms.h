/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * KMS helpers in the manner of IGT's igt_kms.h and igt_fb.h, on raw ioctls
 * (libdrm's headers only): resources and properties, atomic requests,
 * dumb-buffer framebuffers, DRM events, pipe CRCs through debugfs and a
 * reference compositor for the display engine's blending rules.
 */
#ifndef IGT_KMS_H
#define IGT_KMS_H

#include <stdbool.h>
#include <stdint.h>

#include "drm.h"
#include "drm_mode.h"
#include "drm_fourcc.h"

/* Values the kernel uses that only libdrm's library headers name. */
#define DRM_PLANE_TYPE_OVERLAY	0
#define DRM_PLANE_TYPE_PRIMARY	1
#define DRM_PLANE_TYPE_CURSOR	2
#define DRM_MODE_CONNECTED	1
#define DRM_MODE_DISCONNECTED	2
#define DRM_VBLANK_ABSOLUTE	_DRM_VBLANK_ABSOLUTE
#define DRM_VBLANK_RELATIVE	_DRM_VBLANK_RELATIVE
#define DRM_VBLANK_EVENT	_DRM_VBLANK_EVENT
#ifndef DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP
#define DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP	0x15
#endif

#define KMS_MAX_OBJS	32
#define KMS_MAX_FORMATS	64

struct kms_plane {
	uint32_t id;
	uint32_t type;		/* DRM_PLANE_TYPE_* */
	uint32_t possible_crtcs;
	uint32_t nr_formats;
	uint32_t formats[KMS_MAX_FORMATS];
};

struct kms_connector {
	uint32_t id;
	uint32_t type;		/* DRM_MODE_CONNECTOR_* */
	uint32_t connection;
	uint32_t nr_modes;
	struct drm_mode_modeinfo modes[64];
	uint32_t nr_encoders;
	uint32_t encoders[8];
};

struct kms_res {
	uint32_t nr_crtcs, nr_connectors, nr_encoders, nr_planes, nr_fbs;
	uint32_t crtcs[KMS_MAX_OBJS];
	uint32_t connectors[KMS_MAX_OBJS];
	uint32_t encoders[KMS_MAX_OBJS];
	struct kms_plane planes[KMS_MAX_OBJS];
	uint32_t min_width, max_width, min_height, max_height;
};

/* A framebuffer with its dumb (or other) backing object and CPU mapping. */
struct kms_fb {
	uint32_t fb_id;
	uint32_t handle;
	uint32_t width, height, format;
	uint32_t pitch;
	uint64_t size;
	void *map;
	int fd;
	bool dumb;
};

/* An atomic request: (object, property, value) triples. */
struct kms_req {
	unsigned int n;
	uint32_t obj[256];
	uint32_t prop[256];
	uint64_t value[256];
};

/* One plane of a reference composition. */
enum kms_blend { KMS_BLEND_NONE, KMS_BLEND_PREMULTI, KMS_BLEND_COVERAGE };

struct kms_ref_plane {
	const struct kms_fb *fb;
	uint32_t src_x, src_y, src_w, src_h;	/* integer pixels */
	int32_t crtc_x, crtc_y;
	uint16_t alpha;
	enum kms_blend blend;
	unsigned int zpos;
};

/* CRTC 0 with its primary plane, virtual connector and preferred mode. */
struct kms_display {
	uint32_t crtc;
	uint32_t conn;
	uint32_t primary;
	struct drm_mode_modeinfo mode;
	uint32_t mode_blob;
};

int kms_set_client_caps(int fd);
void kms_display_find(int fd, struct kms_display *disp);
int __kms_display_modeset(int fd, const struct kms_display *disp, uint32_t fb_id,
			  uint32_t flags, uint64_t user_data);
int __kms_display_flip(int fd, const struct kms_display *disp, uint32_t fb_id,
		       uint32_t flags, uint64_t user_data);
void kms_get_res(int fd, struct kms_res *res);
void kms_get_connector(int fd, uint32_t id, struct kms_connector *c,
		       bool probe);
int kms_find_prop(int fd, uint32_t obj, uint32_t type, const char *name,
		  uint32_t *prop_id, uint64_t *value);
uint32_t kms_prop(int fd, uint32_t obj, uint32_t type, const char *name);
uint64_t kms_prop_value(int fd, uint32_t obj, uint32_t type, const char *name);
uint64_t kms_prop_enum(int fd, uint32_t obj, uint32_t type, const char *prop,
		       const char *name);
bool kms_prop_is_immutable(int fd, uint32_t obj, uint32_t type,
			   const char *name, uint64_t *min, uint64_t *max);

void kms_req_init(struct kms_req *r);
void kms_req_add(struct kms_req *r, uint32_t obj, uint32_t prop, uint64_t value);
void kms_req_add_name(int fd, struct kms_req *r, uint32_t obj, uint32_t type,
		      const char *name, uint64_t value);
int __kms_commit(int fd, struct kms_req *r, uint32_t flags, uint64_t user_data);
void kms_commit(int fd, struct kms_req *r, uint32_t flags);

uint32_t kms_mode_blob(int fd, const struct drm_mode_modeinfo *mode);
void kms_destroy_blob(int fd, uint32_t blob);
uint64_t kms_frame_ns(const struct drm_mode_modeinfo *mode);
void kms_make_mode(struct drm_mode_modeinfo *m, unsigned int w, unsigned int h);

uint32_t kms_format_bpp(uint32_t format);
int __kms_addfb(int fd, uint32_t handle, uint32_t w, uint32_t h,
		uint32_t format, uint32_t pitch, uint32_t offset, uint32_t *fb_id);
void kms_dumb_fb(int fd, uint32_t w, uint32_t h, uint32_t format,
		 struct kms_fb *fb);
void kms_fb_free(struct kms_fb *fb);
void kms_unmap_all(void);
void kms_map_track(void *map, uint64_t size);
void kms_rmfb(int fd, uint32_t fb_id);

void kms_plane_req(int fd, struct kms_req *r, uint32_t plane, uint32_t crtc,
		   const struct kms_fb *fb, uint32_t src_x, uint32_t src_y,
		   uint32_t w, uint32_t h, int32_t x, int32_t y);
void kms_plane_off(int fd, struct kms_req *r, uint32_t plane);

int kms_read_event(int fd, int timeout_ms, void *buf, unsigned int len);
int kms_wait_fence(int fence_fd, int timeout_ms);

uint32_t kms_crc32_le(uint32_t crc, const void *buf, uint64_t len);

uint32_t kms_fb_pixel_argb(const struct kms_fb *fb, uint32_t x, uint32_t y);
void kms_ref_compose(uint32_t *frame, unsigned int w, unsigned int h,
		     const struct kms_ref_plane *planes, unsigned int n);

int kms_crc_open(int fd, unsigned int crtc_index);
int kms_crc_read(int crc_fd, uint32_t *frame, uint32_t *crc);
int kms_debugfs_write(int fd, const char *file, const char *text);

int kms_fbdev_open(int drm_fd, struct kms_fb *fb);

#endif /* IGT_KMS_H */
