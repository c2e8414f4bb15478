/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The vmsm tests' own library, in the manner of IGT's lib/igt_msm.h: what
 * the tests call that IGT does not have. It goes with the tests into an
 * IGT tree (lib/igt_vmsm*.c next to lib/igt_msm.c) and builds unchanged
 * against the small harness in igt-tests/lib/: it uses only IGT API that
 * the harness also implements (igt.h) and raw ioctls, besides libvmsm.
 */
#ifndef IGT_VMSM_H
#define IGT_VMSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "drm.h"
#include "drm_fourcc.h"
#include "drm_mode.h"
#include "vmsm_drm.h"

#include "libvmsm.h"

/* One past the last parameter that DRM_IOCTL_VMSM_GET_PARAM knows. */
#define VMSM_PARAM_END	(VMSM_PARAM_CPU_PAGE_SIZE + 1)

int __vmsm_get_param(int fd, uint32_t param, uint64_t *value);
uint64_t vmsm_get_param(int fd, uint32_t param);
const char *vmsm_param_name(uint32_t param);
int vmsm_debugfs_clients(int fd);

/* Buffer objects, raw ioctls (vmsm_gem, vmsm_submit). */
int __vmsm_gem_new(int fd, uint64_t size, uint32_t flags, uint32_t *handle);
uint32_t vmsm_gem_new(int fd, uint64_t size, uint32_t flags);
int __vmsm_gem_info(int fd, uint32_t handle, uint32_t info, uint64_t *value);
uint64_t vmsm_gem_info(int fd, uint32_t handle, uint32_t info);
void *vmsm_gem_mmap(int fd, uint32_t handle, int prot);
int __vmsm_gem_close(int fd, uint32_t handle);
void vmsm_gem_close(int fd, uint32_t handle);
int vmsm_debugfs_count(int fd, const char *name);
int64_t vmsm_debugfs_coherency(int fd, const char *name);
void vmsm_debugfs_set_bool(int fd, const char *name, bool on);

/* Assert that a libvmsm call (0 or a negative errno) succeeded. */
#define vmsm_lib_ok(expr) \
	do { \
		int __ret = (expr); \
		igt_assert_f(__ret == 0, "%s: %s\n", #expr, strerror(-__ret)); \
	} while (0)

/* Assert that a libvmsm call failed with the errno @err. */
#define vmsm_lib_err(expr, err) \
	do { \
		int __ret = (expr); \
		igt_assert_f(__ret == -(err), "%s: expected %s, got %d (%s)\n", \
			     #expr, strerror(err), __ret, \
			     __ret ? strerror(-__ret) : "success"); \
	} while (0)

/* Finding and opening vmsm's DRM nodes */

/* Nodes igt_vmsm_open_all() and igt_vmsm_open_device() open. */
#define IGT_VMSM_NODE_PRIMARY	(1 << 0)
#define IGT_VMSM_NODE_RENDER	(1 << 1)

void igt_vmsm_select_device(const char *device);
int __igt_vmsm_open_driver(void);
int __igt_vmsm_open_driver_render(void);
int igt_vmsm_open_driver(void);
int igt_vmsm_open_driver_render(void);
int igt_vmsm_open_all(unsigned int nodes, int *fds, int max);
int igt_vmsm_open_render_of(int fd);

bool igt_vmsm_is_device(int fd);
int igt_vmsm_get_version(int fd, struct drm_version *version, char *name,
			 size_t name_len);

bool igt_vmsm_is_render(int fd);
int igt_vmsm_minor(int fd);
int igt_vmsm_node_path(int fd, char *path, size_t len);
int igt_vmsm_sysfs_device(int fd, char *path, size_t len);
int igt_vmsm_device_name(int fd, char *name, size_t len);
int igt_vmsm_open_device(unsigned int node, const char *device);

int igt_vmsm_debugfs_dir(int fd);
int igt_vmsm_debugfs_read(int fd, const char *filename, char *buf, size_t len);

/* Small files of sysfs, debugfs and procfs; capabilities */

int igt_vmsm_read_file(const char *path, char *buf, size_t len);
int igt_vmsm_write_file(const char *path, const char *text);
int igt_vmsm_cap_set_effective(int cap, bool on);

/* Loading and unloading a module with finit_module(2) and delete_module(2) */

int igt_vmsm_kmod_load_fd(int fd, const char *opts);
int igt_vmsm_kmod_load_path(const char *path, const char *opts);
int igt_vmsm_kmod_unload(const char *name);
bool igt_vmsm_kmod_is_loaded(const char *name);

/* Binding and unbinding platform devices */

int igt_vmsm_platform_bind(const char *driver, const char *device);
int igt_vmsm_platform_unbind(const char *driver, const char *device);
bool igt_vmsm_platform_is_bound(const char *driver, const char *device);
bool igt_vmsm_platform_device_exists(const char *device);

/* Slab and page allocation fault injection */

#define IGT_VMSM_FAIL_NTH	"/proc/thread-self/fail-nth"
#define IGT_VMSM_FAILSLAB	"/sys/kernel/debug/failslab"
#define IGT_VMSM_FAIL_PAGE_ALLOC 	"/sys/kernel/debug/fail_page_alloc"

int igt_vmsm_fail_nth_open(void);
int igt_vmsm_fail_nth_set(int fd, unsigned int n);
int igt_vmsm_fail_nth_get(int fd);

bool igt_vmsm_failslab_available(void);
int igt_vmsm_failslab_setup(void);
int igt_vmsm_failslab_require_stack(unsigned long start, unsigned long end);
int igt_vmsm_failslab_reject_stack(unsigned long start, unsigned long end);
int igt_vmsm_failslab_restore(void);
bool igt_vmsm_fail_page_alloc_available(void);
int igt_vmsm_fail_page_alloc_setup(void);

int igt_vmsm_kallsyms_range(const char *name, unsigned long *start,
		       unsigned long *end);

/* Buffer objects with their mapping and GPU address; reloading vmsm */

/* A buffer object with its CPU mapping (NULL if none) and GPU address. */
struct vmsm_vbuf {
	struct vmsm_bo *bo;
	uint8_t *ptr;
	uint64_t iova;
	uint64_t size;
	uint32_t handle;
};

void vmsm_vbuf_new(struct vmsm_device *d, struct vmsm_vbuf *b, uint64_t size, uint32_t flags);
void vmsm_vbuf_import(struct vmsm_device *d, int dmabuf, struct vmsm_vbuf *b);
void vmsm_vbuf_free(struct vmsm_vbuf *b);
void vmsm_vbuf_set(struct vmsm_vbuf *b, uint8_t value);
void vmsm_vbuf_gpu_copy(struct vmsm_vbuf *dst, struct vmsm_vbuf *src, uint64_t off, uint64_t size);
void vmsm_vbuf_gpu_fill(struct vmsm_vbuf *dst, uint64_t off, uint64_t size, uint32_t pattern);
void igt_vmsm_assert_bytes(const uint8_t *p, uint64_t off, uint64_t size, uint8_t value);
void igt_vmsm_dmabuf_sync(int dmabuf, uint64_t flags);
int igt_vmsm_heap_alloc(uint64_t size);
int igt_vmsm_reload(const char *ko, const char *params);
int igt_vmsm_open_index(int index);
int igt_vmsm_settled_objects(int fd, int want);
int igt_vmsm_tree_devices(bool coherent);
bool igt_vmsm_tree_device_name(bool coherent, char *name, size_t len);
bool igt_vmsm_devices(const char *ko, int noncoherent, int coherent, int *fds);
bool igt_vmsm_load_defaults(bool *reloaded);

/* KMS on raw ioctls and a reference compositor */

#define VMSM_KMS_MAX_OBJS	32
#define VMSM_KMS_MAX_FORMATS	64
/* how long a writeback out-fence, and a CRC entry, may take */
#define VMSM_KMS_FENCE_TIMEOUT_MS	5000
#define VMSM_KMS_EVENT_TIMEOUT_MS	2000

struct vmsm_kms_plane {
	uint32_t id;
	uint32_t type;		/* DRM_PLANE_TYPE_* */
	uint32_t possible_crtcs;
	uint32_t nr_formats;
	uint32_t formats[VMSM_KMS_MAX_FORMATS];
};

struct vmsm_kms_connector {
	uint32_t id;
	uint32_t type;		/* DRM_MODE_CONNECTOR_* */
	uint32_t connection;
	uint32_t nr_modes;
	struct drm_mode_modeinfo modes[64];
	uint32_t nr_encoders;
	uint32_t encoders[8];
};

struct vmsm_kms_res {
	uint32_t nr_crtcs, nr_connectors, nr_encoders, nr_planes, nr_fbs;
	uint32_t crtcs[VMSM_KMS_MAX_OBJS];
	uint32_t connectors[VMSM_KMS_MAX_OBJS];
	uint32_t encoders[VMSM_KMS_MAX_OBJS];
	struct vmsm_kms_plane planes[VMSM_KMS_MAX_OBJS];
	uint32_t min_width, max_width, min_height, max_height;
};

/* A framebuffer with its dumb (or other) backing object and CPU mapping. */
struct vmsm_kms_fb {
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
struct vmsm_kms_req {
	unsigned int n;
	uint32_t obj[256];
	uint32_t prop[256];
	uint64_t value[256];
};

/* One plane of a reference composition. */
enum vmsm_kms_blend { VMSM_KMS_BLEND_NONE, VMSM_KMS_BLEND_PREMULTI, VMSM_KMS_BLEND_COVERAGE };

struct vmsm_kms_ref_plane {
	const struct vmsm_kms_fb *fb;
	uint32_t src_x, src_y, src_w, src_h;	/* integer pixels */
	int32_t crtc_x, crtc_y;
	uint16_t alpha;
	enum vmsm_kms_blend blend;
	unsigned int zpos;
};

/* CRTC 0 with its primary plane, virtual connector and preferred mode. */
struct vmsm_kms_display {
	uint32_t crtc;
	uint32_t conn;
	uint32_t primary;
	struct drm_mode_modeinfo mode;
	uint32_t mode_blob;
};

/* the raw value of the pixel at (x, y), for vmsm_kms_fb_fill() */
typedef uint32_t (*vmsm_kms_pattern_fn)(uint32_t x, uint32_t y);

int vmsm_kms_set_client_caps(int fd);
int vmsm_kms_open(void);
void vmsm_kms_close(int *fd);
uint32_t vmsm_kms_encoder_crtcs(int fd, uint32_t encoder);
uint32_t vmsm_kms_find_connector(int fd, const struct vmsm_kms_res *res, uint32_t type,
				 unsigned int pipe);
uint32_t vmsm_kms_find_plane(const struct vmsm_kms_res *res, uint32_t type, unsigned int pipe,
			     unsigned int nth);
unsigned int vmsm_kms_preferred_mode(int fd, uint32_t conn, struct drm_mode_modeinfo *mode);
void vmsm_kms_display_find(int fd, struct vmsm_kms_display *disp);
int __vmsm_kms_display_modeset(int fd, const struct vmsm_kms_display *disp, uint32_t fb_id,
			  uint32_t flags, uint64_t user_data);
int __vmsm_kms_display_flip(int fd, const struct vmsm_kms_display *disp, uint32_t fb_id,
		       uint32_t flags, uint64_t user_data);
void vmsm_kms_get_res(int fd, struct vmsm_kms_res *res);
void vmsm_kms_get_connector(int fd, uint32_t id, struct vmsm_kms_connector *c,
		       bool probe);
int vmsm_kms_find_prop(int fd, uint32_t obj, uint32_t type, const char *name,
		  uint32_t *prop_id, uint64_t *value);
uint32_t vmsm_kms_prop(int fd, uint32_t obj, uint32_t type, const char *name);
uint64_t vmsm_kms_prop_value(int fd, uint32_t obj, uint32_t type, const char *name);
uint64_t vmsm_kms_prop_enum(int fd, uint32_t obj, uint32_t type, const char *prop,
		       const char *name);
bool vmsm_kms_prop_is_immutable(int fd, uint32_t obj, uint32_t type,
			   const char *name, uint64_t *min, uint64_t *max);

void vmsm_kms_req_init(struct vmsm_kms_req *r);
void vmsm_kms_req_add(struct vmsm_kms_req *r, uint32_t obj, uint32_t prop, uint64_t value);
void vmsm_kms_req_add_name(int fd, struct vmsm_kms_req *r, uint32_t obj, uint32_t type,
		      const char *name, uint64_t value);
void vmsm_kms_req_crtc(int fd, struct vmsm_kms_req *r, uint32_t crtc, const char *name,
		       uint64_t value);
void vmsm_kms_req_conn(int fd, struct vmsm_kms_req *r, uint32_t conn, const char *name,
		       uint64_t value);
void vmsm_kms_req_plane(int fd, struct vmsm_kms_req *r, uint32_t plane, const char *name,
			uint64_t value);
int __vmsm_kms_commit(int fd, struct vmsm_kms_req *r, uint32_t flags, uint64_t user_data);
void vmsm_kms_commit(int fd, struct vmsm_kms_req *r, uint32_t flags);
void vmsm_kms_commit_writeback(int fd, struct vmsm_kms_req *r, uint32_t wb_conn, uint32_t wb_fb,
			       uint32_t flags);

uint32_t vmsm_kms_mode_blob(int fd, const struct drm_mode_modeinfo *mode);
void vmsm_kms_destroy_blob(int fd, uint32_t blob);
uint64_t vmsm_kms_frame_ns(const struct drm_mode_modeinfo *mode);
void vmsm_kms_make_mode(struct drm_mode_modeinfo *m, unsigned int w, unsigned int h);

uint32_t vmsm_kms_format_bpp(uint32_t format);
int __vmsm_kms_addfb(int fd, uint32_t handle, uint32_t w, uint32_t h,
		uint32_t format, uint32_t pitch, uint32_t offset, uint32_t *fb_id);
void vmsm_kms_dumb_fb(int fd, uint32_t w, uint32_t h, uint32_t format,
		 struct vmsm_kms_fb *fb);
void vmsm_kms_fb_fill(struct vmsm_kms_fb *fb, vmsm_kms_pattern_fn pattern);
uint32_t vmsm_kms_address_pattern(uint32_t x, uint32_t y);
void vmsm_kms_fb_free(struct vmsm_kms_fb *fb);
void vmsm_kms_unmap_all(void);
void vmsm_kms_map_track(void *map, uint64_t size);
void vmsm_kms_rmfb(int fd, uint32_t fb_id);

void vmsm_kms_plane_req_scaled(int fd, struct vmsm_kms_req *r, uint32_t plane, uint32_t crtc,
			       uint32_t fb_id, uint32_t sx, uint32_t sy, uint32_t sw, uint32_t sh,
			       int32_t cx, int32_t cy, uint32_t cw, uint32_t ch);
void vmsm_kms_plane_req(int fd, struct vmsm_kms_req *r, uint32_t plane, uint32_t crtc,
		   const struct vmsm_kms_fb *fb, uint32_t src_x, uint32_t src_y,
		   uint32_t w, uint32_t h, int32_t x, int32_t y);
void vmsm_kms_plane_off(int fd, struct vmsm_kms_req *r, uint32_t plane);

int vmsm_kms_read_event(int fd, int timeout_ms, void *buf, unsigned int len);
int vmsm_kms_wait_fence(int fence_fd, int timeout_ms);

uint32_t vmsm_kms_crc32_le(uint32_t crc, const void *buf, uint64_t len);

uint32_t vmsm_kms_fb_pixel_argb(const struct vmsm_kms_fb *fb, uint32_t x, uint32_t y);
void vmsm_kms_ycbcr_to_rgb(double kr, double kb, bool full, unsigned int bits,
			   unsigned int luma, unsigned int cb, unsigned int cr, double rgb[3]);
bool vmsm_kms_code_ok(unsigned int got, double exact);
void vmsm_kms_ref_compose(uint32_t *frame, unsigned int w, unsigned int h,
		     const struct vmsm_kms_ref_plane *planes, unsigned int n);

int vmsm_kms_crc_open(int fd, unsigned int crtc_index);
int vmsm_kms_crc_read(int crc_fd, uint32_t *frame, uint32_t *crc);
uint32_t vmsm_kms_crc_after_commit(int fd, uint32_t crtc, int crc_fd);
int vmsm_kms_debugfs_write(int fd, const char *file, const char *text);

int vmsm_kms_fbdev_open(int drm_fd, struct vmsm_kms_fb *fb);

#endif /* IGT_VMSM_H */
