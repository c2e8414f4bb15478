// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_kms: the display engine (uapi 1.9). Resources and properties, dumb
 * buffers and framebuffers, atomic modesets, nonblocking commits and their
 * events, vblank timing, writeback of the composed frame (checked pixel by
 * pixel against a reference composition), pipe CRCs, async cursor and
 * flip updates, nonblocking modesets raced by cursor and plane updates,
 * connector hot-plug, the errors of the DRM core and the
 * driver for bad requests, and the cache maintenance of scanout objects
 * on the non-coherent device.
 *
 * Every subtest starts with a full modeset of CRTC 0 (virtual connector and
 * writeback connector attached) from a fresh master file, so it runs alone
 * as well as after any other.
 */

#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#include <linux/kd.h>
#include <linux/netlink.h>

#define DEFAULT_WIDTH	1024
#define DEFAULT_HEIGHT	768
#define VMSM_CURSOR_SIZE	64
#define EVENT_TIMEOUT_MS	2000
#define TIMING_FRAMES	30

static int fd = -1;
static int baseline_objects = -1;

/* CRTC 0 and what is bound to it. */
static struct {
	struct vmsm_kms_res res;
	uint32_t crtc;
	unsigned int pipe;
	uint32_t conn;			/* the virtual connector */
	uint32_t wb;			/* the writeback connector */
	uint32_t primary, overlay[2], cursor;
	struct drm_mode_modeinfo mode;
	uint32_t mode_blob;
	unsigned int w, h;
	uint64_t frame_ns;
	uint64_t blend_none, blend_premulti, blend_coverage;
} d;

static unsigned int module_param(const char *name, unsigned int def)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/module/vmsm/parameters/%s", name);
	if (igt_vmsm_read_file(path, buf, sizeof(buf)) <= 0) {
		igt_info("no %s, assuming the default %s=%u\n", path, name, def);
		return def;
	}
	return strtoul(buf, NULL, 0);
}

/* The preferred mode of the virtual connector, probing it: exactly one. */
static void preferred_mode(uint32_t conn, struct drm_mode_modeinfo *mode)
{
	struct vmsm_kms_connector c;

	igt_assert_eq(vmsm_kms_preferred_mode(fd, conn, mode), 1);
	vmsm_kms_get_connector(fd, conn, &c, false);
	igt_assert_eq_u32(c.connection, DRM_MODE_CONNECTED);
}

/* Opens the card as master with the KMS client caps and finds CRTC 0. */
static void open_display(void)
{
	fd = vmsm_kms_open();
	memset(&d, 0, sizeof(d));
	vmsm_kms_get_res(fd, &d.res);
	igt_assert_lt(0, d.res.nr_crtcs);
	d.pipe = 0;
	d.crtc = d.res.crtcs[0];
	d.conn = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_VIRTUAL, d.pipe);
	d.wb = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_WRITEBACK, d.pipe);
	d.primary = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_PRIMARY, d.pipe, 0);
	d.overlay[0] = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_OVERLAY, d.pipe, 0);
	d.overlay[1] = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_OVERLAY, d.pipe, 1);
	d.cursor = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_CURSOR, d.pipe, 0);
	preferred_mode(d.conn, &d.mode);
	d.w = d.mode.hdisplay;
	d.h = d.mode.vdisplay;
	d.frame_ns = vmsm_kms_frame_ns(&d.mode);
	d.mode_blob = vmsm_kms_mode_blob(fd, &d.mode);
	d.blend_none = vmsm_kms_prop_enum(fd, d.overlay[0], DRM_MODE_OBJECT_PLANE,
				     "pixel blend mode", "None");
	d.blend_premulti = vmsm_kms_prop_enum(fd, d.overlay[0], DRM_MODE_OBJECT_PLANE,
					 "pixel blend mode", "Pre-multiplied");
	d.blend_coverage = vmsm_kms_prop_enum(fd, d.overlay[0], DRM_MODE_OBJECT_PLANE,
					 "pixel blend mode", "Coverage");
}

static uint64_t plane_value(uint32_t plane, const char *name)
{
	return vmsm_kms_prop_value(fd, plane, DRM_MODE_OBJECT_PLANE, name);
}

/* Full screen primary with @fb, overlays and cursor off, with a modeset. */
static void modeset(const struct vmsm_kms_fb *fb)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", d.mode_blob);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", d.crtc);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", d.crtc);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, fb, 0, 0, d.w, d.h, 0, 0);
	vmsm_kms_req_plane(fd, &r, d.primary, "alpha", 0xffff);
	vmsm_kms_req_plane(fd, &r, d.primary, "pixel blend mode", d.blend_premulti);
	vmsm_kms_plane_off(fd, &r, d.overlay[0]);
	vmsm_kms_plane_off(fd, &r, d.overlay[1]);
	vmsm_kms_plane_off(fd, &r, d.cursor);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
}

/* ---- pixels ---- */

/*
 * The primary's pattern: an address-dependent pattern on the top half
 * (catches offset and pitch mistakes), white and black on the bottom half
 * (the backgrounds on which the blends below are exact).
 */
static uint32_t primary_pattern(uint32_t x, uint32_t y)
{
	if (y < d.h / 2)
		return vmsm_kms_address_pattern(x, y);
	return x < d.w / 2 ? 0xffffff : 0x000000;
}

/* Overlay 0 (Coverage): half 50% magenta, half transparent/opaque. */
static uint32_t coverage_pattern(uint32_t x, uint32_t y)
{
	if (x < 100)
		return 0x80ff00ff;
	return y < 60 ? 0x00123456 : 0xff102030;
}

/* Overlay 1 (premultiplied): opaque, then 50% premultiplied. */
static uint32_t premulti_pattern(uint32_t x, uint32_t y)
{
	(void)y;
	return x < 100 ? 0xff4080c0 : 0x80804000;
}

/* Cursor: opaque red, 50% grey (premultiplied), transparent. */
static uint32_t cursor_pattern(uint32_t x, uint32_t y)
{
	if (y < 32)
		return x < 32 ? 0xffff0000 : 0x80808080;
	return 0;
}

/* RGB565 bands: full red, full green, (16, 32, 8), full blue. */
static uint32_t rgb565_pattern(uint32_t x, uint32_t y)
{
	static const uint16_t bands[4] = {
		0xf800, 0x07e0, 0x10 << 11 | 0x20 << 5 | 0x08, 0x001f,
	};

	return bands[(x / 50 + y / 30) % 4];
}

/* XBGR8888 with channels 0 or 0xff: magenta, green, white. */
static uint32_t xbgr_pattern(uint32_t x, uint32_t y)
{
	(void)y;
	if (x < 100)
		return 0x00ff00ff;
	return x < 200 ? 0x0000ff00 : 0x00ffffff;
}

static uint32_t *ref_frame(void)
{
	uint32_t *f = malloc((size_t)d.w * d.h * 4);

	igt_assert(f);
	return f;
}

/* The writeback fb holds ref; XRGB8888 compares the colour only. */
static void check_frame(const struct vmsm_kms_fb *wb, const uint32_t *ref, const char *what)
{
	uint32_t mask = wb->format == DRM_FORMAT_XRGB8888 ? 0xffffff : 0xffffffff;
	unsigned int x, y, bad = 0, fx = 0, fy = 0;
	uint32_t got = 0, want = 0;

	igt_assert_eq_u32(wb->width, d.w);
	for (y = 0; y < d.h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)wb->map +
							 (uint64_t)y * wb->pitch);

		for (x = 0; x < d.w; x++) {
			if (((row[x] ^ ref[y * d.w + x]) & mask) == 0)
				continue;
			if (!bad++) {
				fx = x;
				fy = y;
				got = row[x];
				want = ref[y * d.w + x];
			}
		}
	}
	igt_assert_f(bad == 0,
		     "%s: %u pixels differ, first at (%u, %u): %#010x, expected %#010x\n",
		     what, bad, fx, fy, got, want);
}

/* A writeback of the current state only. */
static void capture(const struct vmsm_kms_fb *wb)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb->fb_id, 0);
}

/* ---- resources ---- */

static void test_resources(void)
{
	const uint32_t formats[] = {
		DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_XBGR8888,
		DRM_FORMAT_ABGR8888, DRM_FORMAT_XRGB2101010, DRM_FORMAT_ARGB2101010,
		DRM_FORMAT_RGB565, DRM_FORMAT_RGB888, DRM_FORMAT_BGR888,
		DRM_FORMAT_NV12, DRM_FORMAT_NV21, DRM_FORMAT_NV16, DRM_FORMAT_YUV420,
		DRM_FORMAT_YVU420, DRM_FORMAT_P010,
	};
	unsigned int want_w = module_param("display_width", DEFAULT_WIDTH);
	unsigned int want_h = module_param("display_height", DEFAULT_HEIGHT);
	unsigned int crtcs = module_param("num_crtcs", 1);
	unsigned int i, j, virt = 0, wbs = 0, types[4] = { };
	uint64_t min, max, blob;
	struct vmsm_kms_connector c;
	struct drm_mode_get_blob gb = { };
	uint32_t wb_formats[16];

	open_display();
	igt_assert_eq(d.res.nr_crtcs, crtcs);
	igt_assert_eq(d.res.nr_planes, crtcs * 4);
	/* one encoder per virtual and per writeback connector */
	igt_assert_eq(d.res.nr_connectors, crtcs * 2);
	igt_assert_eq(d.res.nr_encoders, crtcs * 2);
	igt_assert_eq(d.res.min_width, 1);
	igt_assert_eq(d.res.min_height, 1);
	igt_assert_eq(d.res.max_width, 4096);
	igt_assert_eq(d.res.max_height, 4096);

	for (i = 0; i < d.res.nr_planes; i++) {
		const struct vmsm_kms_plane *p = &d.res.planes[i];

		igt_assert_lt(p->type, 3);
		types[p->type]++;
		igt_assert_eq(__builtin_popcount(p->possible_crtcs), 1);
		if (p->type == DRM_PLANE_TYPE_CURSOR) {
			igt_assert_eq(p->nr_formats, 1);
			igt_assert_eq_u32(p->formats[0], DRM_FORMAT_ARGB8888);
		} else {
			igt_assert_eq(p->nr_formats, ARRAY_SIZE(formats));
			for (j = 0; j < ARRAY_SIZE(formats); j++) {
				unsigned int k;

				for (k = 0; k < p->nr_formats; k++)
					if (p->formats[k] == formats[j])
						break;
				igt_assert_f(k < p->nr_formats, "plane %u lacks %.4s\n",
					     p->id, (const char *)&formats[j]);
			}
		}
	}
	igt_assert_eq(types[DRM_PLANE_TYPE_PRIMARY], crtcs);
	igt_assert_eq(types[DRM_PLANE_TYPE_OVERLAY], crtcs * 2);
	igt_assert_eq(types[DRM_PLANE_TYPE_CURSOR], crtcs);

	/* zpos: primary 0 and cursor 3 immutable, overlays 1..2 */
	igt_assert(vmsm_kms_prop_is_immutable(fd, d.primary, DRM_MODE_OBJECT_PLANE, "zpos", &min, &max));
	igt_assert_eq_u64(plane_value(d.primary, "zpos"), 0);
	igt_assert(vmsm_kms_prop_is_immutable(fd, d.cursor, DRM_MODE_OBJECT_PLANE, "zpos", &min, &max));
	igt_assert_eq_u64(plane_value(d.cursor, "zpos"), 3);
	for (i = 0; i < 2; i++) {
		igt_assert(!vmsm_kms_prop_is_immutable(fd, d.overlay[i], DRM_MODE_OBJECT_PLANE,
						  "zpos", &min, &max));
		igt_assert_eq_u64(min, 1);
		igt_assert_eq_u64(max, 2);
	}
	/* alpha and blend mode on every plane of CRTC 0 */
	{
		const uint32_t planes[] = { d.primary, d.overlay[0], d.overlay[1], d.cursor };

		for (i = 0; i < ARRAY_SIZE(planes); i++) {
			igt_assert(!vmsm_kms_prop_is_immutable(fd, planes[i], DRM_MODE_OBJECT_PLANE,
							  "alpha", &min, &max));
			igt_assert_eq_u64(min, 0);
			igt_assert_eq_u64(max, 0xffff);
			vmsm_kms_prop_enum(fd, planes[i], DRM_MODE_OBJECT_PLANE, "pixel blend mode", "None");
			vmsm_kms_prop_enum(fd, planes[i], DRM_MODE_OBJECT_PLANE, "pixel blend mode",
				      "Pre-multiplied");
			vmsm_kms_prop_enum(fd, planes[i], DRM_MODE_OBJECT_PLANE, "pixel blend mode",
				      "Coverage");
		}
	}

	for (i = 0; i < d.res.nr_connectors; i++) {
		vmsm_kms_get_connector(fd, d.res.connectors[i], &c, false);
		virt += c.type == DRM_MODE_CONNECTOR_VIRTUAL;
		wbs += c.type == DRM_MODE_CONNECTOR_WRITEBACK;
	}
	igt_assert_eq(virt, crtcs);
	igt_assert_eq(wbs, crtcs);

	/* preferred mode = the module's display size, 60 Hz; others in range */
	igt_info("preferred mode %s: %ux%u, clock %u, %ux%u total, frame %llu ns\n",
		 d.mode.name, d.mode.hdisplay, d.mode.vdisplay, d.mode.clock,
		 d.mode.htotal, d.mode.vtotal, (unsigned long long)d.frame_ns);
	igt_assert_eq(d.mode.hdisplay, want_w);
	igt_assert_eq(d.mode.vdisplay, want_h);
	igt_assert_eq(d.mode.vrefresh, 60);
	vmsm_kms_get_connector(fd, d.conn, &c, true);
	igt_assert_lt(1, c.nr_modes);
	for (i = 0; i < c.nr_modes; i++) {
		igt_assert_f(c.modes[i].hdisplay >= 32 && c.modes[i].hdisplay <= 4096 &&
			     c.modes[i].vdisplay >= 32 && c.modes[i].vdisplay <= 4096,
			     "mode %s out of range\n", c.modes[i].name);
	}

	/*
	 * The virtual and the writeback connector's encoders are clones of
	 * each other: both drive CRTC 0 at once (drm_atomic_check_valid_clones).
	 */
	{
		struct vmsm_kms_connector cv, cw;
		struct drm_mode_get_encoder ev = { }, ew = { };
		int iv = -1, iw = -1;

		vmsm_kms_get_connector(fd, d.conn, &cv, false);
		vmsm_kms_get_connector(fd, d.wb, &cw, false);
		for (i = 0; i < d.res.nr_encoders; i++) {
			if (d.res.encoders[i] == cv.encoders[0])
				iv = i;
			if (d.res.encoders[i] == cw.encoders[0])
				iw = i;
		}
		igt_assert(iv >= 0 && iw >= 0);
		ev.encoder_id = cv.encoders[0];
		ew.encoder_id = cw.encoders[0];
		do_ioctl(fd, DRM_IOCTL_MODE_GETENCODER, &ev);
		do_ioctl(fd, DRM_IOCTL_MODE_GETENCODER, &ew);
		igt_assert_f(ev.possible_clones & (1u << iw),
			     "virtual encoder %u: possible_clones %#x lacks the writeback encoder (bit %d)\n",
			     ev.encoder_id, ev.possible_clones, iw);
		igt_assert_f(ew.possible_clones & (1u << iv),
			     "writeback encoder %u: possible_clones %#x lacks the virtual encoder (bit %d)\n",
			     ew.encoder_id, ew.possible_clones, iv);
	}

	/* the writeback connector: XRGB8888, ARGB8888, XRGB2101010 and NV12 */
	blob = vmsm_kms_prop_value(fd, d.wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_PIXEL_FORMATS");
	gb.blob_id = blob;
	do_ioctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &gb);
	igt_assert_eq(gb.length, 16);
	gb.data = (uintptr_t)wb_formats;
	do_ioctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &gb);
	{
		static const uint32_t want[] = {
			DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_XRGB2101010,
			DRM_FORMAT_NV12,
		};
		unsigned int k, found = 0;

		for (j = 0; j < ARRAY_SIZE(want); j++)
			for (k = 0; k < 4; k++)
				found += wb_formats[k] == want[j];
		igt_assert_eq(found, ARRAY_SIZE(want));
	}
	vmsm_kms_prop(fd, d.wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID");
	vmsm_kms_prop(fd, d.wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_OUT_FENCE_PTR");

	/* its modes: one preferred, the virtual connector's */
	vmsm_kms_get_connector(fd, d.wb, &c, true);
	for (i = 0, j = 0; i < c.nr_modes; i++) {
		if (!(c.modes[i].type & DRM_MODE_TYPE_PREFERRED))
			continue;
		igt_assert_eq(c.modes[i].hdisplay, want_w);
		igt_assert_eq(c.modes[i].vdisplay, want_h);
		igt_assert_eq(c.modes[i].vrefresh, 60);
		j++;
	}
	igt_assert_eq(j, 1);

	/* caps */
	{
		struct drm_get_cap cap = { .capability = DRM_CAP_DUMB_BUFFER };

		do_ioctl(fd, DRM_IOCTL_GET_CAP, &cap);
		igt_assert_eq_u64(cap.value, 1);
		cap.capability = DRM_CAP_CRTC_IN_VBLANK_EVENT;
		do_ioctl(fd, DRM_IOCTL_GET_CAP, &cap);
		igt_assert_eq_u64(cap.value, 1);
		cap.capability = DRM_CAP_ASYNC_PAGE_FLIP;
		do_ioctl(fd, DRM_IOCTL_GET_CAP, &cap);
		igt_assert_eq_u64(cap.value, 1);
		cap.capability = DRM_CAP_CURSOR_WIDTH;
		do_ioctl(fd, DRM_IOCTL_GET_CAP, &cap);
		igt_assert_eq_u64(cap.value, VMSM_CURSOR_SIZE);
		cap.capability = DRM_CAP_CURSOR_HEIGHT;
		do_ioctl(fd, DRM_IOCTL_GET_CAP, &cap);
		igt_assert_eq_u64(cap.value, VMSM_CURSOR_SIZE);
	}
	/* without the writeback cap, no writeback connector is listed */
	{
		int f2 = drm_reopen_driver(fd);
		struct drm_set_client_cap cap = { .capability = DRM_CLIENT_CAP_ATOMIC, .value = 1 };
		struct drm_mode_card_res cr = { };

		do_ioctl(f2, DRM_IOCTL_SET_CLIENT_CAP, &cap);
		do_ioctl(f2, DRM_IOCTL_MODE_GETRESOURCES, &cr);
		igt_assert_eq(cr.count_connectors, crtcs);
		close(f2);
	}
	vmsm_kms_close(&fd);
}

/* ---- dumb buffers and framebuffers ---- */

static int open_vgem(void)
{
	return drm_open_driver(DRIVER_VGEM);
}

static void test_dumb_buffers(void)
{
	struct drm_mode_create_dumb c = { .width = 300, .height = 200, .bpp = 32 };
	struct drm_mode_map_dumb m = { };
	struct drm_mode_destroy_dumb dd = { };
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_prime_handle imp = { };
	struct vmsm_kms_fb prim, wb, vg = { };
	uint32_t *p, fb_id, h, pitch = 256 * 4, *ref;
	int vgem;
	uint64_t flags;
	struct vmsm_kms_ref_plane planes[2];
	struct vmsm_kms_req r;

	open_display();
	/* CREATE_DUMB, MAP_DUMB, mmap: the CPU reads what it wrote */
	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
	igt_assert_lte(300 * 4, c.pitch);
	igt_assert_lte_u64((uint64_t)c.pitch * 200, c.size);
	flags = vmsm_gem_info(fd, c.handle, VMSM_INFO_GET_FLAGS);
	igt_assert_eq_u64(flags & VMSM_BO_SCANOUT, VMSM_BO_SCANOUT);
	m.handle = c.handle;
	do_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
	p = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	igt_assert(p != MAP_FAILED);
	for (unsigned int i = 0; i < c.size / 4; i++)
		igt_assert_eq_u32(p[i], 0);
	for (unsigned int i = 0; i < c.size / 4; i++)
		p[i] = i * 2654435761u;
	for (unsigned int i = 0; i < c.size / 4; i++)
		igt_assert_eq_u32(p[i], i * 2654435761u);
	munmap(p, c.size);
	igt_assert_eq(__vmsm_kms_addfb(fd, c.handle, 300, 200, DRM_FORMAT_XRGB8888, c.pitch, 0,
				  &fb_id), 0);
	vmsm_kms_rmfb(fd, fb_id);
	/* a 16 bpp dumb buffer backs an RGB565 fb */
	{
		struct drm_mode_create_dumb c16 = { .width = 64, .height = 64, .bpp = 16 };

		do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c16);
		igt_assert_lte(128, c16.pitch);
		igt_assert_eq(__vmsm_kms_addfb(fd, c16.handle, 64, 64, DRM_FORMAT_RGB565,
					  c16.pitch, 0, &fb_id), 0);
		vmsm_kms_rmfb(fd, fb_id);
		dd.handle = c16.handle;
		do_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	}
	dd.handle = c.handle;
	do_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);

	/* vmsm objects: with VMSM_BO_SCANOUT only */
	h = vmsm_gem_new(fd, 256 * 256 * 4, VMSM_BO_WC | VMSM_BO_SCANOUT);
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, DRM_FORMAT_ARGB8888, pitch, 0, &fb_id), 0);
	vmsm_kms_rmfb(fd, fb_id);
	vmsm_gem_close(fd, h);
	h = vmsm_gem_new(fd, 256 * 256 * 4, VMSM_BO_CACHED | VMSM_BO_SCANOUT);
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, DRM_FORMAT_XRGB8888, pitch, 0, &fb_id), 0);
	vmsm_kms_rmfb(fd, fb_id);
	vmsm_gem_close(fd, h);
	h = vmsm_gem_new(fd, 256 * 256 * 4, VMSM_BO_WC);
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, DRM_FORMAT_XRGB8888, pitch, 0, &fb_id),
		      -EINVAL);
	vmsm_gem_close(fd, h);
	h = vmsm_gem_new(fd, 256 * 256 * 4, VMSM_BO_CACHED);
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, DRM_FORMAT_XRGB8888, pitch, 0, &fb_id),
		      -EINVAL);
	vmsm_gem_close(fd, h);
	/* too small an object for the fb (drm_gem_fb_init_with_funcs) */
	h = vmsm_gem_new(fd, 4096, VMSM_BO_WC | VMSM_BO_SCANOUT);
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, DRM_FORMAT_XRGB8888, pitch, 0, &fb_id),
		      -EINVAL);
	vmsm_gem_close(fd, h);
	/* no such handle */
	igt_assert_eq(__vmsm_kms_addfb(fd, 0x7fffffff, 256, 256, DRM_FORMAT_XRGB8888, pitch, 0,
				  &fb_id), -ENOENT);

	/* an imported vgem buffer, scanned out and written back */
	vgem = open_vgem();
	{
		struct drm_mode_create_dumb vc = { .width = 256, .height = 128, .bpp = 32 };
		struct drm_mode_map_dumb vm = { };

		do_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &vc);
		vm.handle = vc.handle;
		do_ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &vm);
		vg.map = mmap(NULL, vc.size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem, vm.offset);
		igt_assert(vg.map != MAP_FAILED);
		vg.width = 256;
		vg.height = 128;
		vg.pitch = vc.pitch;
		vg.size = vc.size;
		vg.format = DRM_FORMAT_XRGB8888;
		vmsm_kms_fb_fill(&vg, primary_pattern);
		munmap(vg.map, vc.size);
		vg.map = mmap(NULL, vc.size, PROT_READ, MAP_SHARED, vgem, vm.offset);
		igt_assert(vg.map != MAP_FAILED);
		exp.handle = vc.handle;
		do_ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
		imp.fd = exp.fd;
		do_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
		igt_assert_eq(__vmsm_kms_addfb(fd, imp.handle, 256, 128, DRM_FORMAT_XRGB8888,
					  vc.pitch, 0, &vg.fb_id), 0);
	}
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wb);
	modeset(&prim);
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &vg, 0, 0, 256, 128, 40, 30);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "zpos", 1);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "alpha", 0xffff);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "pixel blend mode", d.blend_premulti);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb.fb_id, 0);
	memset(planes, 0, sizeof(planes));
	planes[0] = (struct vmsm_kms_ref_plane){ .fb = &prim, .src_w = d.w, .src_h = d.h,
					    .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI };
	planes[1] = (struct vmsm_kms_ref_plane){ .fb = &vg, .src_w = 256, .src_h = 128,
					    .crtc_x = 40, .crtc_y = 30, .alpha = 0xffff,
					    .blend = VMSM_KMS_BLEND_PREMULTI, .zpos = 1 };
	ref = ref_frame();
	vmsm_kms_ref_compose(ref, d.w, d.h, planes, 2);
	check_frame(&wb, ref, "vgem buffer on overlay 0");
	free(ref);

	vmsm_kms_req_init(&r);
	vmsm_kms_plane_off(fd, &r, d.overlay[0]);
	vmsm_kms_commit(fd, &r, 0);
	vmsm_kms_rmfb(fd, vg.fb_id);
	munmap(vg.map, vg.size);
	vmsm_gem_close(fd, imp.handle);
	close(exp.fd);
	close(vgem);
	vmsm_kms_fb_free(&wb);
	vmsm_kms_fb_free(&prim);
	vmsm_kms_close(&fd);
}

/* ---- atomic modeset, TEST_ONLY, nonblocking, events ---- */

static void get_crtc(struct drm_mode_crtc *c)
{
	memset(c, 0, sizeof(*c));
	c->crtc_id = d.crtc;
	do_ioctl(fd, DRM_IOCTL_MODE_GETCRTC, c);
}

static void test_atomic_modeset(void)
{
	struct vmsm_kms_fb a, b;
	struct drm_mode_crtc c;
	struct vmsm_kms_req r;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &b);
	modeset(&a);
	get_crtc(&c);
	igt_assert_eq(c.mode_valid, 1);
	igt_assert_eq_u32(c.fb_id, a.fb_id);
	igt_assert_eq(c.mode.hdisplay, d.w);
	igt_assert_eq(c.mode.vdisplay, d.h);
	igt_assert_eq_u64(vmsm_kms_prop_value(fd, d.crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE"), 1);
	igt_assert_eq_u64(vmsm_kms_prop_value(fd, d.conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID"),
			  d.crtc);

	/* TEST_ONLY: checked, not applied */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, &b, 0, 0, d.w / 2, d.h / 2, 8, 8);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY);
	igt_assert_eq_u64(plane_value(d.primary, "FB_ID"), a.fb_id);
	igt_assert_eq_u64(plane_value(d.primary, "CRTC_W"), d.w);
	igt_assert_eq_u64(plane_value(d.primary, "CRTC_X"), 0);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET);
	igt_assert_eq_u64(vmsm_kms_prop_value(fd, d.crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE"), 1);
	get_crtc(&c);
	igt_assert_eq(c.mode_valid, 1);
	/* a modeset without ALLOW_MODESET */
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	/* TEST_ONLY with an event is refused by the core */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, &b, 0, 0, d.w, d.h, 0, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_PAGE_FLIP_EVENT,
				   0), -EINVAL);

	/* off and on again */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", 0);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", 0);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", 0);
	vmsm_kms_plane_off(fd, &r, d.primary);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
	get_crtc(&c);
	igt_assert_eq(c.mode_valid, 0);
	igt_assert_eq_u64(vmsm_kms_prop_value(fd, d.crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE"), 0);
	modeset(&b);
	get_crtc(&c);
	igt_assert_eq_u32(c.fb_id, b.fb_id);
	igt_assert_eq(c.mode_valid, 1);

	/* ACTIVE=0 with the mode kept (DPMS off), then on */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
	get_crtc(&c);
	igt_assert_eq(c.mode_valid, 1);

	vmsm_kms_fb_free(&a);
	vmsm_kms_fb_free(&b);
	vmsm_kms_close(&fd);
}

static void read_flip_event(uint64_t user_data, struct drm_event_vblank *ev)
{
	int ret = vmsm_kms_read_event(fd, EVENT_TIMEOUT_MS, ev, sizeof(*ev));

	igt_assert_f(ret == sizeof(*ev), "no flip event in %d ms (%d)\n",
		     EVENT_TIMEOUT_MS, ret);
	igt_assert_eq_u32(ev->base.type, DRM_EVENT_FLIP_COMPLETE);
	igt_assert_eq_u32(ev->base.length, sizeof(*ev));
	igt_assert_eq_u64(ev->user_data, user_data);
	igt_assert_eq_u32(ev->crtc_id, d.crtc);
}

static int64_t ev_ns(const struct drm_event_vblank *ev)
{
	return (int64_t)ev->tv_sec * 1000000000ll + (int64_t)ev->tv_usec * 1000;
}

/*
 * Checks the events' timestamps: increasing, and on average one frame time
 * of the mode apart per vblank counted (within an eighth of a frame).
 */
static void check_timing(const uint32_t *seq, const int64_t *ns, unsigned int n,
			 const char *what)
{
	int64_t avg;
	unsigned int i;

	for (i = 1; i < n; i++) {
		igt_assert_f(seq[i] > seq[i - 1], "%s %u: sequence %u after %u\n",
			     what, i, seq[i], seq[i - 1]);
		igt_assert_f(ns[i] > ns[i - 1], "%s %u: timestamp %lld after %lld\n",
			     what, i, (long long)ns[i], (long long)ns[i - 1]);
	}
	avg = (ns[n - 1] - ns[0]) / (int64_t)(seq[n - 1] - seq[0]);
	igt_info("%s: %u events over %u vblanks, %lld ns per vblank (mode: %llu ns)\n",
		 what, n, seq[n - 1] - seq[0], (long long)avg,
		 (unsigned long long)d.frame_ns);
	igt_assert_f(llabs(avg - (int64_t)d.frame_ns) <= (int64_t)d.frame_ns / 8,
		     "%s: %lld ns per vblank, mode frame time %llu ns\n", what,
		     (long long)avg, (unsigned long long)d.frame_ns);
}

static void test_nonblocking_flips(void)
{
	struct vmsm_kms_fb fbs[2];
	struct drm_event_vblank ev;
	uint32_t seq[TIMING_FRAMES];
	int64_t ns[TIMING_FRAMES];
	struct vmsm_kms_req r;
	unsigned int i;
	int ret;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &fbs[0]);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &fbs[1]);
	modeset(&fbs[0]);

	/* atomic nonblocking flips with events */
	for (i = 0; i < TIMING_FRAMES; i++) {
		vmsm_kms_req_init(&r);
		vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", fbs[(i + 1) % 2].fb_id);
		ret = __vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT,
				   0x1000 + i);
		igt_assert_f(ret == 0, "nonblocking flip %u: %s\n", i, strerror(-ret));
		read_flip_event(0x1000 + i, &ev);
		seq[i] = ev.sequence;
		ns[i] = ev_ns(&ev);
		igt_assert_eq_u64(plane_value(d.primary, "FB_ID"), fbs[(i + 1) % 2].fb_id);
	}
	check_timing(seq, ns, TIMING_FRAMES, "atomic flips");

	/* legacy page flips with events */
	for (i = 0; i < TIMING_FRAMES; i++) {
		struct drm_mode_crtc_page_flip f = {
			.crtc_id = d.crtc, .fb_id = fbs[i % 2].fb_id,
			.flags = DRM_MODE_PAGE_FLIP_EVENT, .user_data = 0x2000 + i,
		};

		do_ioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &f);
		read_flip_event(0x2000 + i, &ev);
		seq[i] = ev.sequence;
		ns[i] = ev_ns(&ev);
	}
	check_timing(seq, ns, TIMING_FRAMES, "legacy flips");

	/* an event for a nonblocking modeset too (CRTC off, then on) */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	ret = __vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET | DRM_MODE_ATOMIC_NONBLOCK |
			   DRM_MODE_PAGE_FLIP_EVENT, 0x3000);
	igt_assert_eq(ret, 0);
	read_flip_event(0x3000, &ev);
	/* no event left over */
	igt_assert_eq(vmsm_kms_read_event(fd, 100, &ev, sizeof(ev)), 0);

	vmsm_kms_fb_free(&fbs[0]);
	vmsm_kms_fb_free(&fbs[1]);
	vmsm_kms_close(&fd);
}

static void wait_vblank(union drm_wait_vblank *vb, uint32_t type, uint32_t seq)
{
	memset(vb, 0, sizeof(*vb));
	vb->request.type = type;
	vb->request.sequence = seq;
	do_ioctl(fd, DRM_IOCTL_WAIT_VBLANK, vb);
}

static void test_vblank(void)
{
	union drm_wait_vblank vb;
	struct drm_crtc_get_sequence gs = { };
	struct drm_crtc_queue_sequence qs = { };
	struct drm_event_crtc_sequence sev;
	struct drm_event_vblank vev;
	uint32_t seq[TIMING_FRAMES];
	int64_t ns[TIMING_FRAMES];
	struct vmsm_kms_fb fb;
	unsigned int i;
	int ret;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &fb);
	modeset(&fb);

	/* WAIT_VBLANK: one vblank at a time */
	for (i = 0; i < TIMING_FRAMES; i++) {
		wait_vblank(&vb, _DRM_VBLANK_RELATIVE, 1);
		seq[i] = vb.reply.sequence;
		ns[i] = (int64_t)vb.reply.tval_sec * 1000000000ll +
			(int64_t)vb.reply.tval_usec * 1000;
	}
	check_timing(seq, ns, TIMING_FRAMES, "WAIT_VBLANK");
	/* relative 5: at least five vblanks later */
	wait_vblank(&vb, _DRM_VBLANK_RELATIVE, 5);
	igt_assert_lte(seq[TIMING_FRAMES - 1] + 5, vb.reply.sequence);
	/* an absolute sequence already passed returns at once, with the current one */
	i = vb.reply.sequence;
	wait_vblank(&vb, _DRM_VBLANK_ABSOLUTE, i - 3);
	igt_assert_lte(i, vb.reply.sequence);
	/* a vblank event */
	memset(&vb, 0, sizeof(vb));
	vb.request.type = _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT;
	vb.request.sequence = 2;
	vb.request.signal = 0x4242;
	do_ioctl(fd, DRM_IOCTL_WAIT_VBLANK, &vb);
	ret = vmsm_kms_read_event(fd, EVENT_TIMEOUT_MS, &vev, sizeof(vev));
	igt_assert_eq(ret, (int)sizeof(vev));
	igt_assert_eq_u32(vev.base.type, DRM_EVENT_VBLANK);
	igt_assert_eq_u64(vev.user_data, 0x4242);
	igt_assert_eq_u32(vev.sequence, vb.reply.sequence);
	igt_assert_eq_u32(vev.crtc_id, d.crtc);

	/* CRTC_GET_SEQUENCE agrees with WAIT_VBLANK */
	wait_vblank(&vb, _DRM_VBLANK_RELATIVE, 1);
	gs.crtc_id = d.crtc;
	do_ioctl(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs);
	igt_assert_eq(gs.active, 1);
	igt_assert_lte_u64(vb.reply.sequence, gs.sequence);
	igt_assert(gs.sequence_ns >= (int64_t)vb.reply.tval_sec * 1000000000ll);

	/* CRTC_QUEUE_SEQUENCE: an event three vblanks on */
	qs.crtc_id = d.crtc;
	qs.flags = DRM_CRTC_SEQUENCE_RELATIVE;
	qs.sequence = 3;
	qs.user_data = 0x5151;
	do_ioctl(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs);
	igt_assert_lte_u64(gs.sequence + 3, qs.sequence);
	ret = vmsm_kms_read_event(fd, EVENT_TIMEOUT_MS, &sev, sizeof(sev));
	igt_assert_eq(ret, (int)sizeof(sev));
	igt_assert_eq_u32(sev.base.type, DRM_EVENT_CRTC_SEQUENCE);
	igt_assert_eq_u64(sev.user_data, 0x5151);
	igt_assert_eq_u64(sev.sequence, qs.sequence);
	{
		int64_t dt = sev.time_ns - gs.sequence_ns;
		int64_t want = (int64_t)(sev.sequence - gs.sequence) * (int64_t)d.frame_ns;

		igt_info("QUEUE_SEQUENCE: %llu vblanks after GET_SEQUENCE, %lld ns (expected %lld)\n",
			 (unsigned long long)(sev.sequence - gs.sequence), (long long)dt,
			 (long long)want);
		igt_assert_f(llabs(dt - want) <= (int64_t)d.frame_ns / 2,
			     "sequence event %lld ns after GET_SEQUENCE, expected %lld\n",
			     (long long)dt, (long long)want);
	}

	/* on a disabled CRTC: not active; waits fail */
	{
		struct vmsm_kms_req r;

		vmsm_kms_req_init(&r);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
		vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
		/* drm_crtc_get_sequence_ioctl(): no vblank reference, EINVAL */
		do_ioctl_err(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs, EINVAL);
		memset(&vb, 0, sizeof(vb));
		vb.request.type = _DRM_VBLANK_RELATIVE;
		vb.request.sequence = 1;
		do_ioctl_err(fd, DRM_IOCTL_WAIT_VBLANK, &vb, EINVAL);
	}
	vmsm_kms_fb_free(&fb);
	vmsm_kms_close(&fd);
}

/* ---- writeback composition ---- */

struct scene_plane {
	uint32_t plane;
	struct vmsm_kms_ref_plane ref;
};

static void scene_commit(struct scene_plane *sp, unsigned int n, const struct vmsm_kms_fb *wb,
			 const char *what)
{
	struct vmsm_kms_ref_plane refs[8];
	struct vmsm_kms_req r;
	uint32_t *ref;
	unsigned int i;

	vmsm_kms_req_init(&r);
	for (i = 0; i < n; i++) {
		const struct vmsm_kms_ref_plane *p = &sp[i].ref;
		uint64_t blend = p->blend == VMSM_KMS_BLEND_NONE ? d.blend_none :
				 p->blend == VMSM_KMS_BLEND_PREMULTI ? d.blend_premulti :
				 d.blend_coverage;

		vmsm_kms_plane_req(fd, &r, sp[i].plane, d.crtc, p->fb, p->src_x, p->src_y,
			      p->src_w, p->src_h, p->crtc_x, p->crtc_y);
		vmsm_kms_req_plane(fd, &r, sp[i].plane, "alpha", p->alpha);
		vmsm_kms_req_plane(fd, &r, sp[i].plane, "pixel blend mode", blend);
		if (sp[i].plane == d.overlay[0] || sp[i].plane == d.overlay[1])
			vmsm_kms_req_plane(fd, &r, sp[i].plane, "zpos", p->zpos);
		refs[i] = *p;
	}
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb->fb_id, 0);
	ref = ref_frame();
	vmsm_kms_ref_compose(ref, d.w, d.h, refs, n);
	check_frame(wb, ref, what);
	free(ref);
}

static struct vmsm_kms_fb prim, ov0, ov1, cur, ov565, ovbgr, wbx, wba;

static void scene_fbs(void)
{
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim);
	vmsm_kms_fb_fill(&prim, primary_pattern);
	vmsm_kms_dumb_fb(fd, 200, 120, DRM_FORMAT_ARGB8888, &ov0);
	vmsm_kms_fb_fill(&ov0, coverage_pattern);
	vmsm_kms_dumb_fb(fd, 300, 100, DRM_FORMAT_ARGB8888, &ov1);
	vmsm_kms_fb_fill(&ov1, premulti_pattern);
	vmsm_kms_dumb_fb(fd, VMSM_CURSOR_SIZE, VMSM_CURSOR_SIZE, DRM_FORMAT_ARGB8888, &cur);
	vmsm_kms_fb_fill(&cur, cursor_pattern);
	vmsm_kms_dumb_fb(fd, 200, 120, DRM_FORMAT_RGB565, &ov565);
	vmsm_kms_fb_fill(&ov565, rgb565_pattern);
	vmsm_kms_dumb_fb(fd, 300, 100, DRM_FORMAT_XBGR8888, &ovbgr);
	vmsm_kms_fb_fill(&ovbgr, xbgr_pattern);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wbx);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_ARGB8888, &wba);
}

static void scene_fbs_free(void)
{
	struct vmsm_kms_fb *fbs[] = { &prim, &ov0, &ov1, &cur, &ov565, &ovbgr, &wbx, &wba };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fbs); i++)
		if (fbs[i]->fb_id)
			vmsm_kms_fb_free(fbs[i]);
}

static struct scene_plane primary_full(void)
{
	return (struct scene_plane){ d.primary, { .fb = &prim, .src_w = d.w, .src_h = d.h,
						   .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI } };
}

/* The scene of the composition tests: W x H at least 1024 x 768. */
static void scene_a(struct scene_plane *sp, unsigned int ov0_z, unsigned int ov1_z,
		    int32_t cx, int32_t cy)
{
	sp[0] = primary_full();
	sp[1] = (struct scene_plane){ d.overlay[0], {
		.fb = &ov0, .src_w = 200, .src_h = 120,
		.crtc_x = d.w / 4 - 100, .crtc_y = d.h * 3 / 4 - 60,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_COVERAGE, .zpos = ov0_z } };
	sp[2] = (struct scene_plane){ d.overlay[1], {
		.fb = &ov1, .src_w = 300, .src_h = 100,
		.crtc_x = d.w / 4 + 50, .crtc_y = d.h * 3 / 4 - 30,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI, .zpos = ov1_z } };
	sp[3] = (struct scene_plane){ d.cursor, {
		.fb = &cur, .src_w = VMSM_CURSOR_SIZE, .src_h = VMSM_CURSOR_SIZE,
		.crtc_x = cx, .crtc_y = cy,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI, .zpos = 3 } };
}

static void test_writeback(void)
{
	struct scene_plane sp[4];

	open_display();
	igt_assert_lte(1024, d.w);
	igt_assert_lte(768, d.h);
	scene_fbs();
	modeset(&prim);

	/* the primary alone, into XRGB8888 and ARGB8888 (opaque) */
	sp[0] = primary_full();
	scene_commit(sp, 1, &wbx, "primary alone, XRGB8888 writeback");
	scene_commit(sp, 1, &wba, "primary alone, ARGB8888 writeback");

	/* overlays (Coverage below Pre-multiplied) and the cursor on black */
	scene_a(sp, 1, 2, d.w * 3 / 4, d.h * 3 / 4);
	scene_commit(sp, 4, &wbx, "overlay 1 above overlay 0, cursor");
	/* z-order swapped, cursor moved onto white */
	scene_a(sp, 2, 1, 20, d.h / 2 + 16);
	scene_commit(sp, 4, &wba, "overlay 0 above overlay 1, cursor moved");

	/*
	 * RGB565 source clipped at the left edge with a source offset, an
	 * XBGR8888 overlay at 50% plane alpha (blend None), the cursor
	 * partially off the bottom-right corner.
	 */
	sp[0] = primary_full();
	sp[1] = (struct scene_plane){ d.overlay[0], {
		.fb = &ov565, .src_x = 8, .src_y = 4, .src_w = 192, .src_h = 116,
		.crtc_x = -50, .crtc_y = d.h / 2 + 10,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_NONE, .zpos = 2 } };
	sp[2] = (struct scene_plane){ d.overlay[1], {
		.fb = &ovbgr, .src_w = 300, .src_h = 100,
		.crtc_x = d.w / 2 - 100, .crtc_y = d.h * 3 / 4 + 80,
		.alpha = 0x8080, .blend = VMSM_KMS_BLEND_NONE, .zpos = 1 } };
	sp[3] = (struct scene_plane){ d.cursor, {
		.fb = &cur, .src_w = VMSM_CURSOR_SIZE, .src_h = VMSM_CURSOR_SIZE,
		.crtc_x = d.w - 32, .crtc_y = d.h - 32,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI, .zpos = 3 } };
	scene_commit(sp, 4, &wbx, "RGB565 clipped, XBGR8888 at plane alpha 0x8080");

	/* plane alpha on a Coverage plane over white: 0x8080 * 0x80 is not exact,
	 * so plane alpha 0 instead: the plane vanishes */
	scene_a(sp, 1, 2, d.w * 3 / 4, d.h * 3 / 4);
	sp[1].ref.alpha = 0;
	sp[2].ref.alpha = 0;
	scene_commit(sp, 4, &wbx, "overlays at plane alpha 0");

	/* a cursor move through the atomic API, async-capable: only the cursor */
	{
		struct vmsm_kms_req r;
		uint32_t *ref;

		scene_a(sp, 1, 2, d.w * 3 / 4, d.h * 3 / 4);
		scene_commit(sp, 4, &wbx, "scene before the cursor move");
		vmsm_kms_req_init(&r);
		vmsm_kms_req_plane(fd, &r, d.cursor, "CRTC_X", 100);
		vmsm_kms_req_plane(fd, &r, d.cursor, "CRTC_Y", d.h - 100);
		vmsm_kms_commit(fd, &r, 0);
		sp[3].ref.crtc_x = 100;
		sp[3].ref.crtc_y = d.h - 100;
		capture(&wbx);
		ref = ref_frame();
		{
			struct vmsm_kms_ref_plane refs[4];

			for (unsigned int i = 0; i < 4; i++)
				refs[i] = sp[i].ref;
			vmsm_kms_ref_compose(ref, d.w, d.h, refs, 4);
		}
		check_frame(&wbx, ref, "after an atomic cursor move");
		free(ref);
	}

	/*
	 * An out-fence alone makes no writeback job: the commit goes through
	 * and the fence stays -1 (set_out_fence_for_connector() and
	 * prepare_signaling() in 6.12). With a job that has no fb
	 * (WRITEBACK_FB_ID 0): "requesting out-fence without framebuffer",
	 * EINVAL (drm_atomic_connector_check()).
	 */
	{
		struct vmsm_kms_req r;
		int32_t fence = 42;

		vmsm_kms_req_init(&r);
		vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_OUT_FENCE_PTR",
				  (uint64_t)(uintptr_t)&fence);
		vmsm_kms_commit(fd, &r, 0);
		igt_assert_eq(fence, -1);
		vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_FB_ID", 0);
		igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	}
	/* a writeback fb of the wrong size */
	{
		struct vmsm_kms_fb small;
		struct vmsm_kms_req r;
		int32_t fence = -1;

		vmsm_kms_dumb_fb(fd, d.w / 2, d.h / 2, DRM_FORMAT_XRGB8888, &small);
		vmsm_kms_req_init(&r);
		vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_FB_ID", small.fb_id);
		vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_OUT_FENCE_PTR",
				  (uint64_t)(uintptr_t)&fence);
		igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
		igt_assert_eq(fence, -1);
		vmsm_kms_fb_free(&small);
	}
	scene_fbs_free();
	vmsm_kms_close(&fd);
}

/* ---- CRC ---- */

static void commit_primary(const struct vmsm_kms_fb *fb)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", fb->fb_id);
	vmsm_kms_commit(fd, &r, 0);
}

static void test_crc(void)
{
	struct vmsm_kms_fb a, b, c;
	struct vmsm_kms_ref_plane rp;
	uint32_t crc_a, crc_b, crc_c, *ref, want;
	int crc_fd;
	char buf[64];

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &b);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &c);
	vmsm_kms_fb_fill(&a, primary_pattern);
	vmsm_kms_fb_fill(&b, primary_pattern);
	vmsm_kms_fb_fill(&c, primary_pattern);
	((uint32_t *)c.map)[(d.h / 3) * (c.pitch / 4) + d.w / 3] ^= 0x000100;
	modeset(&a);

	snprintf(buf, sizeof(buf), "crtc-%u/crc/control", d.pipe);
	crc_fd = vmsm_kms_crc_open(fd, d.pipe);
	igt_assert_f(crc_fd >= 0, "opening crtc-%u/crc/data: %s\n", d.pipe, strerror(-crc_fd));
	crc_a = vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd);
	commit_primary(&b);
	crc_b = vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd);
	commit_primary(&c);
	crc_c = vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd);
	igt_info("CRCs: %#010x, same pixels %#010x, one pixel changed %#010x\n",
		 crc_a, crc_b, crc_c);
	igt_assert_eq_u32(crc_a, crc_b);
	igt_assert_neq_u32(crc_a, crc_c);
	commit_primary(&a);
	igt_assert_eq_u32(vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd), crc_a);

	/* the value: crc32_le(~0) of the composed ARGB8888 frame */
	rp = (struct vmsm_kms_ref_plane){ .fb = &a, .src_w = d.w, .src_h = d.h, .alpha = 0xffff,
				     .blend = VMSM_KMS_BLEND_PREMULTI };
	ref = ref_frame();
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	want = vmsm_kms_crc32_le(~0u, ref, (uint64_t)d.w * d.h * 4);
	free(ref);
	igt_assert_eq_u32(crc_a, want);
	close(crc_fd);

	/* with the CRTC off, crc/data cannot be opened (DRM core: EIO) */
	{
		struct vmsm_kms_req r;

		vmsm_kms_req_init(&r);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", 0);
		vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", 0);
		vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", 0);
		vmsm_kms_plane_off(fd, &r, d.primary);
		vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
		igt_assert_eq(vmsm_kms_crc_open(fd, d.pipe), -EIO);
	}
	/* an unknown source is refused */
	igt_assert_lt(vmsm_kms_debugfs_write(fd, buf, "nonsense"), 0);
	vmsm_kms_debugfs_write(fd, buf, "auto");
	vmsm_kms_fb_free(&a);
	vmsm_kms_fb_free(&b);
	vmsm_kms_fb_free(&c);
	vmsm_kms_close(&fd);
}

/* ---- 10-bit and 24-bit formats ---- */

/* 10-bit channels from the address; the X bits vary and must not matter. */
static uint32_t x2101010_pattern(uint32_t x, uint32_t y)
{
	uint32_t r = (x * 7 + y) & 0x3ff, g = (y * 3 + x / 2) & 0x3ff;
	uint32_t b = (x ^ (y * 5)) & 0x3ff;

	return (x & 3) << 30 | r << 20 | g << 10 | b;
}

/* ARGB2101010 for Coverage: opaque on the left, transparent on the right. */
static uint32_t a2101010_pattern(uint32_t x, uint32_t y)
{
	uint32_t c = ((x * 13 + y * 11) & 0x3ff) << 20 | ((y * 17) & 0x3ff) << 10 |
		     ((x * 5 + 512) & 0x3ff);

	return (x < 120 ? 3u : 0u) << 30 | c;
}

/* 24-bit values for RGB888 and BGR888 (byte order is the format's). */
static uint32_t rgb888_pattern(uint32_t x, uint32_t y)
{
	return ((x * 3) & 0xff) << 16 | ((y * 7 + x) & 0xff) << 8 | ((x ^ y) & 0xff);
}

/* IGT's kms_writeback fixture colours: full red, then full green. */
static uint32_t x2101010_full_pattern(uint32_t x, uint32_t y)
{
	return ((x / 64 + y / 64) & 1) ? 0x000ffc00 : 0x3ff00000;
}

/*
 * An XRGB2101010 capture holds the reference frame with each 8-bit
 * channel as the nearest 10-bit value of the same intensity (c * 1023 /
 * 255 rounded); the X bits are not compared.
 */
static void check_frame_2101010(const struct vmsm_kms_fb *wb, const uint32_t *ref,
				 const char *what)
{
	unsigned int x, y, bad = 0, fx = 0, fy = 0;
	uint32_t got = 0, want = 0;

	igt_assert_eq_u32(wb->format, DRM_FORMAT_XRGB2101010);
	for (y = 0; y < d.h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)wb->map +
							 (uint64_t)y * wb->pitch);

		for (x = 0; x < d.w; x++) {
			uint32_t r8 = ref[y * d.w + x], w = 0;
			int c;

			for (c = 0; c < 3; c++)
				w |= (uint32_t)lround(((r8 >> (8 * c)) & 0xff) * 1023.0 / 255.0)
				     << (10 * c);
			if (((row[x] ^ w) & 0x3fffffff) == 0)
				continue;
			if (!bad++) {
				fx = x;
				fy = y;
				got = row[x];
				want = w;
			}
		}
	}
	igt_assert_f(bad == 0,
		     "%s: %u pixels differ, first at (%u, %u): %#010x, expected %#010x\n",
		     what, bad, fx, fy, got, want);
}

/* Commits the scene with a capture into each of the writeback formats. */
static void scene_check_all(struct scene_plane *sp, unsigned int n,
			    struct vmsm_kms_fb *wb8, struct vmsm_kms_fb *wb10, const char *what)
{
	struct vmsm_kms_ref_plane refs[8];
	unsigned int i;
	uint32_t *ref;
	char buf[128];

	for (i = 0; i < n; i++)
		refs[i] = sp[i].ref;
	snprintf(buf, sizeof(buf), "%s, XRGB8888 capture", what);
	scene_commit(sp, n, wb8, buf);
	ref = ref_frame();
	vmsm_kms_ref_compose(ref, d.w, d.h, refs, n);
	memset(wb10->map, 0, wb10->size);
	capture(wb10);
	snprintf(buf, sizeof(buf), "%s, XRGB2101010 capture", what);
	check_frame_2101010(wb10, ref, buf);
	free(ref);
}

static void test_formats_10bit_24bit(void)
{
	struct vmsm_kms_fb p10, pbgr, pfull, a10, x10, o888, wb8, wb10, wb10b;
	struct scene_plane sp[3];
	struct vmsm_kms_req r;
	uint32_t *ref, want, got;
	unsigned int x, y, bad;
	int crc_fd;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB2101010, &p10);
	vmsm_kms_fb_fill(&p10, x2101010_pattern);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_BGR888, &pbgr);
	vmsm_kms_fb_fill(&pbgr, rgb888_pattern);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB2101010, &pfull);
	vmsm_kms_fb_fill(&pfull, x2101010_full_pattern);
	vmsm_kms_dumb_fb(fd, 240, 120, DRM_FORMAT_ARGB2101010, &a10);
	vmsm_kms_fb_fill(&a10, a2101010_pattern);
	vmsm_kms_dumb_fb(fd, 200, 100, DRM_FORMAT_XRGB2101010, &x10);
	vmsm_kms_fb_fill(&x10, x2101010_pattern);
	vmsm_kms_dumb_fb(fd, 160, 90, DRM_FORMAT_RGB888, &o888);
	vmsm_kms_fb_fill(&o888, rgb888_pattern);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wb8);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB2101010, &wb10);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB2101010, &wb10b);
	modeset(&p10);

	/*
	 * Scene 1: an XRGB2101010 primary, an ARGB2101010 overlay in
	 * Coverage (alpha 3 and 0 only, where the blend is exact) partly
	 * off the top edge, an RGB888 overlay with a source offset.
	 */
	sp[0] = (struct scene_plane){ d.primary, { .fb = &p10, .src_w = d.w, .src_h = d.h,
						    .alpha = 0xffff,
						    .blend = VMSM_KMS_BLEND_PREMULTI } };
	sp[1] = (struct scene_plane){ d.overlay[0], {
		.fb = &a10, .src_w = 240, .src_h = 120, .crtc_x = 100, .crtc_y = -30,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_COVERAGE, .zpos = 1 } };
	sp[2] = (struct scene_plane){ d.overlay[1], {
		.fb = &o888, .src_x = 10, .src_y = 5, .src_w = 150, .src_h = 85,
		.crtc_x = d.w / 2, .crtc_y = d.h / 2,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_NONE, .zpos = 2 } };
	scene_check_all(sp, 3, &wb8, &wb10, "XRGB2101010 + ARGB2101010 + RGB888");

	/* ... and its CRC is crc32_le(~0) of the same reference frame */
	crc_fd = vmsm_kms_crc_open(fd, d.pipe);
	igt_assert_f(crc_fd >= 0, "opening crtc-%u/crc/data: %s\n", d.pipe, strerror(-crc_fd));
	{
		struct vmsm_kms_ref_plane refs[3] = { sp[0].ref, sp[1].ref, sp[2].ref };

		ref = ref_frame();
		vmsm_kms_ref_compose(ref, d.w, d.h, refs, 3);
		want = vmsm_kms_crc32_le(~0u, ref, (uint64_t)d.w * d.h * 4);
		free(ref);
	}
	got = vmsm_kms_crc_after_commit(fd, d.crtc, crc_fd);
	igt_assert_eq_u32(got, want);
	close(crc_fd);

	/*
	 * Scene 2: a BGR888 primary, an XRGB2101010 overlay off the left
	 * edge, the ARGB2101010 one off the bottom right corner.
	 */
	sp[0].ref.fb = &pbgr;
	sp[1] = (struct scene_plane){ d.overlay[0], {
		.fb = &x10, .src_w = 200, .src_h = 100, .crtc_x = -50, .crtc_y = d.h / 3,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_NONE, .zpos = 1 } };
	sp[2] = (struct scene_plane){ d.overlay[1], {
		.fb = &a10, .src_w = 240, .src_h = 120,
		.crtc_x = (int32_t)d.w - 100, .crtc_y = (int32_t)d.h - 60,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_COVERAGE, .zpos = 2 } };
	scene_check_all(sp, 3, &wb8, &wb10, "BGR888 + XRGB2101010 + ARGB2101010");

	/*
	 * kms_writeback's case: an XRGB2101010 primary of full channels,
	 * captured into XRGB2101010, reads back exactly (X bits aside), in
	 * two captures into two targets in a row.
	 */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_off(fd, &r, d.overlay[0]);
	vmsm_kms_plane_off(fd, &r, d.overlay[1]);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", pfull.fb_id);
	vmsm_kms_commit(fd, &r, 0);
	memset(wb10.map, 0xff, wb10.size);
	memset(wb10b.map, 0xff, wb10b.size);
	capture(&wb10);
	capture(&wb10b);
	bad = 0;
	for (y = 0; y < d.h; y++)
		for (x = 0; x < d.w; x++) {
			uint32_t in = ((uint32_t *)pfull.map)[y * (pfull.pitch / 4) + x];
			uint32_t o1 = ((uint32_t *)wb10.map)[y * (wb10.pitch / 4) + x];
			uint32_t o2 = ((uint32_t *)wb10b.map)[y * (wb10b.pitch / 4) + x];

			bad += ((in ^ o1) & 0x3fffffff) != 0;
			bad += ((in ^ o2) & 0x3fffffff) != 0;
		}
	igt_assert_f(bad == 0, "XRGB2101010 round trip: %u pixels differ\n", bad);

	vmsm_kms_fb_free(&wb10b);
	vmsm_kms_fb_free(&wb10);
	vmsm_kms_fb_free(&wb8);
	vmsm_kms_fb_free(&o888);
	vmsm_kms_fb_free(&x10);
	vmsm_kms_fb_free(&a10);
	vmsm_kms_fb_free(&pfull);
	vmsm_kms_fb_free(&pbgr);
	vmsm_kms_fb_free(&p10);
	vmsm_kms_close(&fd);
}

/* ---- async updates ---- */

static void test_cursor_legacy(void)
{
	struct scene_plane sp[4];
	struct vmsm_kms_ref_plane refs[4];
	struct drm_mode_cursor2 cur2 = { };
	uint32_t *ref;
	unsigned int i;
	static const int32_t moves[][2] = {
		{ 20, 400 }, { 700, 600 }, { -20, 500 }, { 980, 700 },
	};

	open_display();
	scene_fbs();
	modeset(&prim);
	{
		struct vmsm_kms_req r;

		vmsm_kms_req_init(&r);
		vmsm_kms_req_plane(fd, &r, d.cursor, "alpha", 0xffff);
		vmsm_kms_req_plane(fd, &r, d.cursor, "pixel blend mode", d.blend_premulti);
		vmsm_kms_commit(fd, &r, 0);
	}
	/* the legacy cursor: CURSOR2 with a dumb buffer's handle, then moves */
	cur2.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE;
	cur2.crtc_id = d.crtc;
	cur2.x = d.w * 3 / 4;
	cur2.y = d.h * 3 / 4;
	cur2.width = VMSM_CURSOR_SIZE;
	cur2.height = VMSM_CURSOR_SIZE;
	cur2.handle = cur.handle;
	do_ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &cur2);
	igt_assert_neq_u64(plane_value(d.cursor, "FB_ID"), 0);
	sp[0] = primary_full();
	sp[1] = (struct scene_plane){ d.cursor, {
		.fb = &cur, .src_w = VMSM_CURSOR_SIZE, .src_h = VMSM_CURSOR_SIZE,
		.crtc_x = d.w * 3 / 4, .crtc_y = d.h * 3 / 4,
		.alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI, .zpos = 3 } };
	ref = ref_frame();
	for (i = 0; i <= ARRAY_SIZE(moves); i++) {
		if (i) {
			memset(&cur2, 0, sizeof(cur2));
			cur2.flags = DRM_MODE_CURSOR_MOVE;
			cur2.crtc_id = d.crtc;
			cur2.x = moves[i - 1][0];
			cur2.y = moves[i - 1][1];
			do_ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &cur2);
			sp[1].ref.crtc_x = cur2.x;
			sp[1].ref.crtc_y = cur2.y;
			igt_assert_eq_u64(plane_value(d.cursor, "CRTC_X"), (uint64_t)(int64_t)cur2.x);
		}
		capture(&wbx);
		refs[0] = sp[0].ref;
		refs[1] = sp[1].ref;
		vmsm_kms_ref_compose(ref, d.w, d.h, refs, 2);
		check_frame(&wbx, ref, "legacy cursor");
	}
	/* many moves in a row (each an async update), the last one shows */
	for (i = 0; i < 50; i++) {
		memset(&cur2, 0, sizeof(cur2));
		cur2.flags = DRM_MODE_CURSOR_MOVE;
		cur2.crtc_id = d.crtc;
		cur2.x = 20 + i * 4;
		cur2.y = 400 + i;
		do_ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &cur2);
	}
	sp[1].ref.crtc_x = cur2.x;
	sp[1].ref.crtc_y = cur2.y;
	capture(&wbx);
	refs[1] = sp[1].ref;
	vmsm_kms_ref_compose(ref, d.w, d.h, refs, 2);
	check_frame(&wbx, ref, "legacy cursor after 50 moves");
	/* cursor off: handle 0 */
	memset(&cur2, 0, sizeof(cur2));
	cur2.flags = DRM_MODE_CURSOR_BO;
	cur2.crtc_id = d.crtc;
	do_ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &cur2);
	igt_assert_eq_u64(plane_value(d.cursor, "FB_ID"), 0);
	capture(&wbx);
	vmsm_kms_ref_compose(ref, d.w, d.h, refs, 1);
	check_frame(&wbx, ref, "legacy cursor off");
	free(ref);
	scene_fbs_free();
	vmsm_kms_close(&fd);
}

static void test_async_flip(void)
{
	struct vmsm_kms_fb a, b;
	struct drm_event_vblank ev;
	struct drm_get_cap cap = { .capability = DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP };
	struct vmsm_kms_ref_plane rp;
	struct vmsm_kms_req r;
	uint32_t *ref;
	unsigned int i;
	int ret;

	open_display();
	do_ioctl(fd, DRM_IOCTL_GET_CAP, &cap);
	igt_assert_eq_u64(cap.value, 1);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &b);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wbx);
	vmsm_kms_fb_fill(&a, primary_pattern);
	vmsm_kms_fb_fill(&b, xbgr_pattern);
	modeset(&a);

	/* legacy async flips */
	for (i = 0; i < 10; i++) {
		struct drm_mode_crtc_page_flip f = {
			.crtc_id = d.crtc, .fb_id = (i % 2 ? a : b).fb_id,
			.flags = DRM_MODE_PAGE_FLIP_EVENT | DRM_MODE_PAGE_FLIP_ASYNC,
			.user_data = 0x6000 + i,
		};

		do_ioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &f);
		read_flip_event(0x6000 + i, &ev);
	}
	/* atomic async flips: FB_ID of the primary only */
	for (i = 0; i < 11; i++) {
		vmsm_kms_req_init(&r);
		vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", (i % 2 ? a : b).fb_id);
		ret = __vmsm_kms_commit(fd, &r, DRM_MODE_PAGE_FLIP_ASYNC | DRM_MODE_ATOMIC_NONBLOCK |
				   DRM_MODE_PAGE_FLIP_EVENT, 0x7000 + i);
		igt_assert_f(ret == 0, "atomic async flip %u: %s\n", i, strerror(-ret));
		read_flip_event(0x7000 + i, &ev);
	}
	/* the last flip (i = 10: to b, a shows before) is what is shown */
	igt_assert_eq_u64(plane_value(d.primary, "FB_ID"), b.fb_id);
	capture(&wbx);
	rp = (struct vmsm_kms_ref_plane){ .fb = &b, .src_w = d.w, .src_h = d.h, .alpha = 0xffff,
				     .blend = VMSM_KMS_BLEND_PREMULTI };
	ref = ref_frame();
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	check_frame(&wbx, ref, "after async flips");
	free(ref);
	/* anything but the primary's FB_ID changing in an async flip: EINVAL */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", a.fb_id);
	vmsm_kms_req_plane(fd, &r, d.primary, "CRTC_X", 4);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_PAGE_FLIP_ASYNC | DRM_MODE_ATOMIC_NONBLOCK,
				   0), -EINVAL);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.cursor, "CRTC_X", 4);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_PAGE_FLIP_ASYNC | DRM_MODE_ATOMIC_NONBLOCK,
				   0), -EINVAL);
	vmsm_kms_fb_free(&a);
	vmsm_kms_fb_free(&b);
	vmsm_kms_fb_free(&wbx);
	vmsm_kms_close(&fd);
}

/* ---- hot-plug ---- */

static int uevent_socket(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	igt_assert_f(s >= 0, "uevent socket: %s\n", strerror(errno));
	igt_assert_f(bind(s, (struct sockaddr *)&addr, sizeof(addr)) == 0,
		     "bind uevent socket: %s\n", strerror(errno));
	return s;
}

/* Waits for a drm uevent with HOTPLUG=1. Return: true if one came. */
static bool wait_hotplug_uevent(int s, int timeout_ms)
{
	char buf[4096];
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		int left, hotplug = 0, drm = 0;
		ssize_t n, off;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 +
				     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, left) != 1)
			return false;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (off = 0; off < n; off += strlen(buf + off) + 1) {
			hotplug |= !strcmp(buf + off, "HOTPLUG=1");
			drm |= !strcmp(buf + off, "SUBSYSTEM=drm");
		}
		if (hotplug && drm)
			return true;
	}
}

static void hotplug_write(unsigned int index, int on)
{
	char text[32];
	int ret;

	snprintf(text, sizeof(text), "%u %d", index, on);
	ret = vmsm_kms_debugfs_write(fd, "vmsm_hotplug", text);
	igt_assert_f(ret == 0, "writing \"%s\" to vmsm_hotplug: %s\n", text, strerror(-ret));
}

static void hotplug_check_file(unsigned int index, bool connected)
{
	char buf[512], want[64];

	igt_assert_lt(0, igt_vmsm_debugfs_read(fd, "vmsm_hotplug", buf, sizeof(buf)));
	snprintf(want, sizeof(want), "%u %s\n", index, connected ? "connected" : "disconnected");
	igt_assert_f(!strncmp(buf, want, strlen(want)) || strstr(buf, want),
		     "vmsm_hotplug: \"%s\", expected the line \"%s\"\n", buf, want);
}

static void restore_hotplug(int sig)
{
	int f = __igt_vmsm_open_driver();

	(void)sig;
	if (f < 0)
		return;
	vmsm_kms_debugfs_write(f, "vmsm_hotplug", "0 1");
	close(f);
}

static void test_hotplug(void)
{
	struct vmsm_kms_connector c;
	struct drm_mode_modeinfo m;
	int s;

	igt_install_exit_handler(restore_hotplug);
	open_display();
	hotplug_check_file(d.pipe, true);
	s = uevent_socket();

	hotplug_write(d.pipe, 0);
	hotplug_check_file(d.pipe, false);
	vmsm_kms_get_connector(fd, d.conn, &c, true);
	igt_assert_eq_u32(c.connection, DRM_MODE_DISCONNECTED);
	igt_assert_eq(c.nr_modes, 0);
	igt_assert_f(wait_hotplug_uevent(s, 5000), "no hotplug uevent after disconnecting\n");

	hotplug_write(d.pipe, 1);
	hotplug_check_file(d.pipe, true);
	vmsm_kms_get_connector(fd, d.conn, &c, true);
	igt_assert_eq_u32(c.connection, DRM_MODE_CONNECTED);
	preferred_mode(d.conn, &m);
	igt_assert_eq(m.hdisplay, d.w);
	igt_assert_eq(m.vdisplay, d.h);
	igt_assert_f(wait_hotplug_uevent(s, 5000), "no hotplug uevent after connecting\n");

	/* nonsense is refused */
	igt_assert_lt(vmsm_kms_debugfs_write(fd, "vmsm_hotplug", "99 1"), 0);
	igt_assert_lt(vmsm_kms_debugfs_write(fd, "vmsm_hotplug", "0 7"), 0);
	igt_assert_lt(vmsm_kms_debugfs_write(fd, "vmsm_hotplug", "zero"), 0);
	hotplug_check_file(d.pipe, true);
	close(s);
	vmsm_kms_close(&fd);
}

/* ---- negatives ---- */

static void test_bad_fb(void)
{
	struct vmsm_kms_fb a;
	struct vmsm_kms_req r;
	struct drm_mode_crtc_page_flip f = { .fb_id = 0x7fff0000 };
	uint32_t bad = 0x7fff0000;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	modeset(&a);
	/* drm_property_change_valid_get(): no such object */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", bad);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	/* an object of another type as fb: the CRTC's id */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", d.crtc);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	/* legacy: drm_framebuffer_lookup() fails with ENOENT */
	f.crtc_id = d.crtc;
	do_ioctl_err(fd, DRM_IOCTL_MODE_PAGE_FLIP, &f, ENOENT);
	do_ioctl_err(fd, DRM_IOCTL_MODE_RMFB, &bad, ENOENT);
	/* an fb on a plane without a CRTC, a CRTC without an fb */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "FB_ID", a.fb_id);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "CRTC_ID", 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "FB_ID", 0);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "CRTC_ID", d.crtc);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	/* still showing a */
	igt_assert_eq_u64(plane_value(d.primary, "FB_ID"), a.fb_id);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

static void test_bad_format(void)
{
	struct vmsm_kms_fb a, c565;
	struct vmsm_kms_req r;
	uint32_t h, fb;
	struct drm_mode_create_dumb dc = { .width = 256, .height = 256, .bpp = 32 };

	open_display();
	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dc);
	h = dc.handle;
	/* not a format at all (framebuffer_check) */
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, fourcc_code('V', 'M', 'S', 'M'), dc.pitch,
				  0, &fb), -EINVAL);
	/* a format no plane has (drm_gem_fb_init_with_funcs) */
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, DRM_FORMAT_RGBA1010102, dc.pitch, 0, &fb),
		      -EINVAL);
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 256, 256, DRM_FORMAT_YUYV, dc.pitch, 0, &fb),
		      -EINVAL);
	/* a modifier: the driver has linear only */
	{
		struct drm_mode_fb_cmd2 f = {
			.width = 256, .height = 256, .pixel_format = DRM_FORMAT_XRGB8888,
			.flags = DRM_MODE_FB_MODIFIERS, .handles = { h },
			.pitches = { dc.pitch },
			.modifier = { I915_FORMAT_MOD_X_TILED },
		};

		do_ioctl_err(fd, DRM_IOCTL_MODE_ADDFB2, &f, EINVAL);
	}
	{
		struct drm_mode_destroy_dumb dd = { .handle = h };

		do_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	}

	/* RGB565 on the cursor (ARGB8888 only): drm_atomic_plane_check() */
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	vmsm_kms_dumb_fb(fd, VMSM_CURSOR_SIZE, VMSM_CURSOR_SIZE, DRM_FORMAT_RGB565, &c565);
	modeset(&a);
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.cursor, d.crtc, &c565, 0, 0, VMSM_CURSOR_SIZE, VMSM_CURSOR_SIZE, 0, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	/* ... which an overlay takes */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &c565, 0, 0, VMSM_CURSOR_SIZE, VMSM_CURSOR_SIZE, 0, 0);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY);
	/* immutable and out-of-range properties */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "zpos", 1);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "zpos", 3);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "alpha", 0x10000);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "pixel blend mode", 7);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	vmsm_kms_fb_free(&c565);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

static void test_bad_size(void)
{
	struct vmsm_kms_fb a, small;
	struct vmsm_kms_req r;
	uint32_t h, fb;
	struct drm_mode_create_dumb dc = { .width = 4100, .height = 16, .bpp = 32 };

	open_display();
	/* ADDFB2 beyond mode_config's limits (drm_internal_framebuffer_create) */
	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dc);
	h = dc.handle;
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 4097, 16, DRM_FORMAT_XRGB8888, dc.pitch, 0, &fb),
		      -EINVAL);
	/* any size from 1x1 (cursor images), only modes have a minimum */
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 1, 1, DRM_FORMAT_XRGB8888, dc.pitch, 0, &fb), 0);
	vmsm_kms_rmfb(fd, fb);
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 0, 16, DRM_FORMAT_XRGB8888, dc.pitch, 0, &fb),
		      -EINVAL);
	/* pitch too small (framebuffer_check) */
	igt_assert_eq(__vmsm_kms_addfb(fd, h, 64, 16, DRM_FORMAT_XRGB8888, 64, 0, &fb), -EINVAL);
	{
		struct drm_mode_destroy_dumb dd = { .handle = h };

		do_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	}

	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	vmsm_kms_dumb_fb(fd, 128, 128, DRM_FORMAT_XRGB8888, &small);
	modeset(&a);
	/* scaling: src 128x128 onto 256x256, DRM_PLANE_NO_SCALING -> ERANGE */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 0, 0, 128, 128, 0, 0);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "CRTC_W", 256);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "CRTC_H", 256);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -ERANGE);
	/* CRTC rect overflowing INT_MAX (drm_atomic_plane_check) */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 0, 0, 128, 128, INT_MAX - 64, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -ERANGE);
	/* entirely off-screen is fine (invisible) */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 0, 0, 128, 128, d.w + 10, 0);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY);
	vmsm_kms_fb_free(&small);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

static void test_bad_src(void)
{
	struct vmsm_kms_fb a, small;
	struct vmsm_kms_req r;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	vmsm_kms_dumb_fb(fd, 128, 128, DRM_FORMAT_XRGB8888, &small);
	modeset(&a);
	/* source rectangles outside the fb: drm_atomic_plane_check() ENOSPC */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 64, 0, 128, 128, 0, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -ENOSPC);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -ENOSPC);
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 0, 1, 128, 128, 0, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -ENOSPC);
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 0, 0, 129, 128, 0, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -ENOSPC);
	/* fractional: 0.5 px past the edge */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 0, 0, 128, 64, 0, 0);
	vmsm_kms_req_plane(fd, &r, d.overlay[0], "SRC_X", 0x8000);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -ENOSPC);
	/* the primary too */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "SRC_W", (uint64_t)(d.w + 1) << 16);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -ENOSPC);
	/* in bounds is fine */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &small, 32, 32, 96, 96, 0, 0);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY);
	igt_assert_eq_u64(plane_value(d.overlay[0], "FB_ID"), 0);
	vmsm_kms_fb_free(&small);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

static void test_cursor_too_large(void)
{
	struct vmsm_kms_fb a, big;
	struct vmsm_kms_req r;
	struct drm_mode_cursor2 c2 = { };

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	vmsm_kms_dumb_fb(fd, 128, 128, DRM_FORMAT_ARGB8888, &big);
	modeset(&a);
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.cursor, d.crtc, &big, 0, 0, 128, 128, 0, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	/* 65 x 64 of the 128 x 128 fb: still too large */
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.cursor, d.crtc, &big, 0, 0, 65, 64, 0, 0);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	/* a 64 x 64 one is fine */
	{
		struct vmsm_kms_fb ok;

		vmsm_kms_dumb_fb(fd, VMSM_CURSOR_SIZE, VMSM_CURSOR_SIZE, DRM_FORMAT_ARGB8888, &ok);
		vmsm_kms_req_init(&r);
		vmsm_kms_plane_req(fd, &r, d.cursor, d.crtc, &ok, 0, 0, 64, 64, 0, 0);
		vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY);
		vmsm_kms_fb_free(&ok);
	}
	/* legacy: a 128 x 128 cursor */
	c2.flags = DRM_MODE_CURSOR_BO;
	c2.crtc_id = d.crtc;
	c2.width = 128;
	c2.height = 128;
	c2.handle = big.handle;
	do_ioctl_err(fd, DRM_IOCTL_MODE_CURSOR2, &c2, EINVAL);
	igt_assert_eq_u64(plane_value(d.cursor, "FB_ID"), 0);
	vmsm_kms_fb_free(&big);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

static void test_mode_out_of_range(void)
{
	struct vmsm_kms_fb a;
	struct vmsm_kms_req r;
	struct drm_mode_modeinfo m;
	static const unsigned int sizes[][2] = {
		{ 4104, 768 }, { 1024, 4104 }, { 16, 768 }, { 1024, 16 }, { 8192, 8192 },
	};
	unsigned int i;
	uint32_t blob;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	modeset(&a);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		int ret;

		vmsm_kms_make_mode(&m, sizes[i][0], sizes[i][1]);
		blob = vmsm_kms_mode_blob(fd, &m);
		vmsm_kms_req_init(&r);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", blob);
		/* the primary at 32 x 32 fits any mode */
		vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, &a, 0, 0, 32, 32, 0, 0);
		ret = __vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY |
				   DRM_MODE_ATOMIC_ALLOW_MODESET, 0);
		igt_assert_f(ret == -EINVAL, "mode %ux%u: %d (%s), expected EINVAL\n",
			     sizes[i][0], sizes[i][1], ret, strerror(-ret));
		vmsm_kms_destroy_blob(fd, blob);
	}
	/* the largest and smallest allowed sizes pass the check */
	for (i = 0; i < 2; i++) {
		unsigned int s = i ? 4096 : 32;

		vmsm_kms_make_mode(&m, s, s);
		blob = vmsm_kms_mode_blob(fd, &m);
		vmsm_kms_req_init(&r);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", blob);
		vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, &a, 0, 0, 32, 32, 0, 0);
		vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET);
		vmsm_kms_destroy_blob(fd, blob);
	}
	/* a malformed mode (sync after total): drm_mode_convert_umode() */
	vmsm_kms_make_mode(&m, 1024, 768);
	m.htotal = m.hsync_end - 1;
	blob = vmsm_kms_mode_blob(fd, &m);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", blob);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY |
				   DRM_MODE_ATOMIC_ALLOW_MODESET, 0), -EINVAL);
	vmsm_kms_destroy_blob(fd, blob);
	/* a blob that is not a mode */
	{
		struct drm_mode_create_blob b = { .data = (uintptr_t)&m, .length = 8 };

		do_ioctl(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &b);
		vmsm_kms_req_init(&r);
		vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", b.blob_id);
		igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY |
					   DRM_MODE_ATOMIC_ALLOW_MODESET, 0), -EINVAL);
		vmsm_kms_destroy_blob(fd, b.blob_id);
	}
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

static void test_non_master(void)
{
	struct vmsm_kms_fb a;
	struct vmsm_kms_req r;
	struct drm_mode_atomic at = { };
	struct drm_mode_crtc_page_flip f = { };
	struct drm_mode_cursor2 c2 = { };
	int other, ret;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &a);
	modeset(&a);
	other = drm_reopen_driver(fd);
	ret = vmsm_kms_set_client_caps(other);
	igt_assert_eq(ret, 0);
	/* a non-master may look and make framebuffers ... */
	{
		struct drm_mode_card_res cr = { };
		uint32_t fb;

		do_ioctl(other, DRM_IOCTL_MODE_GETRESOURCES, &cr);
		igt_assert_eq(cr.count_crtcs, d.res.nr_crtcs);
		{
			struct drm_mode_create_dumb dc = { .width = 64, .height = 64, .bpp = 32 };

			do_ioctl(other, DRM_IOCTL_MODE_CREATE_DUMB, &dc);
			igt_assert_eq(__vmsm_kms_addfb(other, dc.handle, 64, 64, DRM_FORMAT_XRGB8888,
						  dc.pitch, 0, &fb), 0);
			vmsm_kms_rmfb(other, fb);
		}
	}
	/* ... but not commit (drm_ioctl_permit: DRM_MASTER -> EACCES) */
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", a.fb_id);
	igt_assert_eq(__vmsm_kms_commit(other, &r, 0, 0), -EACCES);
	igt_assert_eq(__vmsm_kms_commit(other, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EACCES);
	igt_assert_eq(__vmsm_kms_commit(other, &r, DRM_MODE_ATOMIC_NONBLOCK, 0), -EACCES);
	f.crtc_id = d.crtc;
	f.fb_id = a.fb_id;
	do_ioctl_err(other, DRM_IOCTL_MODE_PAGE_FLIP, &f, EACCES);
	c2.flags = DRM_MODE_CURSOR_MOVE;
	c2.crtc_id = d.crtc;
	do_ioctl_err(other, DRM_IOCTL_MODE_CURSOR2, &c2, EACCES);
	{
		struct drm_mode_crtc sc = { .crtc_id = d.crtc };

		do_ioctl_err(other, DRM_IOCTL_MODE_SETCRTC, &sc, EACCES);
	}
	/* the master still can */
	(void)at;
	vmsm_kms_commit(fd, &r, 0);
	/* after the master drops it, the other may become master and commit */
	do_ioctl(fd, DRM_IOCTL_DROP_MASTER, NULL);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EACCES);
	do_ioctl(other, DRM_IOCTL_SET_MASTER, NULL);
	vmsm_kms_commit(other, &r, DRM_MODE_ATOMIC_TEST_ONLY);
	do_ioctl(other, DRM_IOCTL_DROP_MASTER, NULL);
	do_ioctl(fd, DRM_IOCTL_SET_MASTER, NULL);
	close(other);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

static void test_render_node(void)
{
	int render = igt_vmsm_open_driver_render();
	struct drm_set_client_cap cap = { .capability = DRM_CLIENT_CAP_ATOMIC, .value = 1 };
	struct drm_mode_card_res cr = { };
	struct drm_mode_create_dumb dc = { .width = 64, .height = 64, .bpp = 32 };
	struct drm_mode_fb_cmd2 f = { .width = 64, .height = 64,
				      .pixel_format = DRM_FORMAT_XRGB8888 };
	struct drm_mode_atomic at = { };
	union drm_wait_vblank vb = { };
	struct drm_crtc_get_sequence gs = { };
	struct drm_get_cap gc = { .capability = DRM_CAP_DUMB_BUFFER };
	uint32_t h;

	do_ioctl_err(render, DRM_IOCTL_SET_CLIENT_CAP, &cap, EACCES);
	do_ioctl_err(render, DRM_IOCTL_MODE_GETRESOURCES, &cr, EACCES);
	do_ioctl_err(render, DRM_IOCTL_MODE_CREATE_DUMB, &dc, EACCES);
	do_ioctl_err(render, DRM_IOCTL_MODE_ATOMIC, &at, EACCES);
	vb.request.type = _DRM_VBLANK_RELATIVE;
	do_ioctl_err(render, DRM_IOCTL_WAIT_VBLANK, &vb, EACCES);
	do_ioctl_err(render, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs, EACCES);
	/* ADDFB2 of a scanout object made on the render node: EACCES too */
	h = vmsm_gem_new(render, 64 * 64 * 4, VMSM_BO_WC | VMSM_BO_SCANOUT);
	f.handles[0] = h;
	f.pitches[0] = 256;
	do_ioctl_err(render, DRM_IOCTL_MODE_ADDFB2, &f, EACCES);
	vmsm_gem_close(render, h);
	/* GET_CAP is allowed: the render node has dumb buffer "cap" answers */
	do_ioctl(render, DRM_IOCTL_GET_CAP, &gc);
	close(render);
}

/* ---- cache maintenance of scanout objects ---- */

/* GEM_CPU_PREP (@fini false) or GEM_CPU_FINI of a whole object */
static void cpu_access(uint32_t handle, uint32_t op, bool fini)
{
	if (fini) {
		struct drm_vmsm_gem_cpu_fini a = { .handle = handle };

		do_ioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &a);
	} else {
		struct drm_vmsm_gem_cpu_prep a = { .handle = handle, .op = op,
						   .timeout_ns = INT64_MAX };

		do_ioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &a);
	}
}

static void test_scanout_coherency(void)
{
	struct vmsm_kms_fb cached = { }, wb;
	struct vmsm_kms_ref_plane rp;
	struct vmsm_kms_req r;
	uint32_t *ref, *p;
	uint64_t size;

	open_display();
	igt_assert_f(vmsm_get_param(fd, VMSM_PARAM_COHERENT) == 0,
		     "the device must be non-coherent (the module's default)\n");
	size = (uint64_t)d.w * d.h * 4;
	cached.fd = fd;
	cached.handle = vmsm_gem_new(fd, size, VMSM_BO_CACHED | VMSM_BO_SCANOUT);
	igt_assert_eq_u64(vmsm_gem_info(fd, cached.handle, VMSM_INFO_GET_FLAGS),
			  VMSM_BO_CACHED | VMSM_BO_SCANOUT);
	cached.map = vmsm_gem_mmap(fd, cached.handle, PROT_READ | PROT_WRITE);
	cached.size = size;
	vmsm_kms_map_track(cached.map, size);
	cached.width = d.w;
	cached.height = d.h;
	cached.pitch = d.w * 4;
	cached.format = DRM_FORMAT_XRGB8888;
	/* written by the CPU and finished: the commit shows it */
	cpu_access(cached.handle, VMSM_PREP_WRITE, false);
	vmsm_kms_fb_fill(&cached, primary_pattern);
	cpu_access(cached.handle, 0, true);
	igt_assert_eq(__vmsm_kms_addfb(fd, cached.handle, d.w, d.h, DRM_FORMAT_XRGB8888,
				  cached.pitch, 0, &cached.fb_id), 0);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wb);
	modeset(&cached);
	ref = ref_frame();
	rp = (struct vmsm_kms_ref_plane){ .fb = &cached, .src_w = d.w, .src_h = d.h,
				     .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI };
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	capture(&wb);
	check_frame(&wb, ref, "cached scanout object after its modeset");

	/*
	 * New CPU writes without maintenance stay in the CPU's cache: the
	 * display engine, like the GPU, still shows the old contents (the
	 * missing GEM_CPU_FINI is visible, as on a non-coherent SoC) until
	 * the object is committed to the plane again: the commit, a device
	 * access, ends the CPU's access as a submit does (uapi 1.10).
	 */
	p = cached.map;
	cpu_access(cached.handle, VMSM_PREP_WRITE, false);
	for (uint64_t i = 0; i < (uint64_t)d.w * d.h; i++)
		p[i] = (uint32_t)(i * 2654435761u) & 0xffffff;
	capture(&wb);
	check_frame(&wb, ref, "cached scanout object, CPU writes not finished");
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", cached.fb_id);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb.fb_id, 0);
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	check_frame(&wb, ref, "cached scanout object committed, CPU writes not finished");

	/* The commit ended the access: its GEM_CPU_FINI comes too late. */
	cpu_access(cached.handle, 0, true);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", cached.fb_id);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb.fb_id, 0);
	check_frame(&wb, ref, "cached scanout object committed after GEM_CPU_FINI");

	/* and so does DIRTYFB after a bracketed write */
	cpu_access(cached.handle, VMSM_PREP_WRITE, false);
	for (uint64_t i = 0; i < (uint64_t)d.w * d.h; i++)
		p[i] = ~p[i] & 0xffffff;
	cpu_access(cached.handle, 0, true);
	{
		struct drm_mode_fb_dirty_cmd dirty = { .fb_id = cached.fb_id };

		do_ioctl(fd, DRM_IOCTL_MODE_DIRTYFB, &dirty);
	}
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	capture(&wb);
	check_frame(&wb, ref, "cached scanout object after GEM_CPU_FINI and DIRTYFB");
	free(ref);

	modeset(&wb);	/* off the cached object before it goes */
	vmsm_kms_fb_free(&cached);
	vmsm_kms_fb_free(&wb);
	vmsm_kms_close(&fd);
}

/* Fails unless debugfs vmsm_coherency holds a report of @name starting so. */
static void coh_assert_report(const char *name, uint64_t size, const char *what)
{
	static char buf[16384], want[128];

	snprintf(want, sizeof(want), "\"%s\" bytes 0x0-0x%llx %s", name,
		 (unsigned long long)size, what);
	igt_assert(igt_vmsm_debugfs_read(fd, "vmsm_coherency", buf, sizeof(buf)) > 0);
	igt_assert_f(strstr(buf, want), "no \"%s\" in:\n%s", want, buf);
}

static void coh_knobs_off(int sig)
{
	(void)sig;
	if (fd >= 0) {
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", false);
	}
}

static void gem_set_name(uint32_t handle, const char *name)
{
	struct drm_vmsm_gem_info a = { .handle = handle, .info = VMSM_INFO_SET_NAME,
				       .value = (uintptr_t)name, .len = strlen(name) };

	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &a);
}

/*
 * A cached scanout object of the display's size as a framebuffer, named
 * @name, mapped, every pixel @value, written by the CPU under PREP/FINI.
 */
static void cached_fb(struct vmsm_kms_fb *fb, const char *name, uint32_t value)
{
	uint64_t i, size = (uint64_t)d.w * d.h * 4;

	*fb = (struct vmsm_kms_fb){ .fd = fd, .width = d.w, .height = d.h, .pitch = d.w * 4,
			       .format = DRM_FORMAT_XRGB8888, .size = size };
	fb->handle = vmsm_gem_new(fd, size, VMSM_BO_CACHED | VMSM_BO_SCANOUT);
	gem_set_name(fb->handle, name);
	fb->map = vmsm_gem_mmap(fd, fb->handle, PROT_READ | PROT_WRITE);
	vmsm_kms_map_track(fb->map, size);
	igt_assert_eq(__vmsm_kms_addfb(fd, fb->handle, d.w, d.h, DRM_FORMAT_XRGB8888,
				  fb->pitch, 0, &fb->fb_id), 0);
	cpu_access(fb->handle, VMSM_PREP_WRITE, false);
	for (i = 0; i < (uint64_t)d.w * d.h; i++)
		((uint32_t *)fb->map)[i] = value;
	cpu_access(fb->handle, 0, true);
}

/* Every pixel of @fb, as the CPU's mapping shows it, is @value. */
static void check_all(const struct vmsm_kms_fb *fb, uint32_t value, const char *what)
{
	const uint32_t *p = fb->map;
	uint64_t i, n = (uint64_t)d.w * d.h, bad = 0;

	for (i = 0; i < n; i++)
		bad += (p[i] & 0xffffff) != value;
	igt_assert_f(bad == 0, "%s: %llu of %llu pixels are not %#08x\n", what,
		     (unsigned long long)bad, (unsigned long long)n, value);
}

/* The primary shows a dumb fb with primary_pattern; @ref its composition. */
static void show_pattern(struct vmsm_kms_fb *a, uint32_t *ref)
{
	struct vmsm_kms_ref_plane rp;

	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, a);
	vmsm_kms_fb_fill(a, primary_pattern);
	modeset(a);
	rp = (struct vmsm_kms_ref_plane){ .fb = a, .src_w = d.w, .src_h = d.h,
				     .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI };
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
}

#define STALE	0x00abcdef

/*
 * The display engine writes a writeback target like a GPU job: the job's
 * fence is a write fence of the target from the commit on, so that
 * GEM_CPU_PREP after a nonblocking commit without an out-fence waits for
 * the capture and invalidates what it wrote: the CPU sees it exactly.
 * Without PREP, the CPU's view of the cached object stays what the CPU
 * last had (stale, the documented outcome on the non-coherent device).
 */
static void test_writeback_cached(void)
{
	struct vmsm_kms_fb a, t;
	struct vmsm_kms_req r;
	uint32_t *ref;

	open_display();
	igt_assert_f(vmsm_get_param(fd, VMSM_PARAM_COHERENT) == 0,
		     "the device must be non-coherent (the module's default)\n");
	ref = ref_frame();
	show_pattern(&a, ref);
	cached_fb(&t, "wb-cached", STALE);

	vmsm_kms_req_init(&r);
	vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_FB_ID", t.fb_id);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_NONBLOCK);
	cpu_access(t.handle, VMSM_PREP_READ, false);
	check_frame(&t, ref, "cached writeback target, GEM_CPU_PREP after a nonblocking commit");
	cpu_access(t.handle, 0, true);

	/* Stale without PREP, exact after it. */
	cpu_access(t.handle, VMSM_PREP_WRITE, false);
	memset(t.map, 0, t.size);
	cpu_access(t.handle, 0, true);
	capture(&t);
	check_all(&t, 0, "cached writeback target read without GEM_CPU_PREP");
	cpu_access(t.handle, VMSM_PREP_READ, false);
	check_frame(&t, ref, "cached writeback target after GEM_CPU_PREP");
	cpu_access(t.handle, 0, true);

	free(ref);
	vmsm_kms_fb_free(&t);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

/*
 * Checking mode and the display engine as a device writer: correct use
 * reports nothing; a writeback into a target the CPU holds is reported
 * (and ends the CPU's access, so the capture is not lost), the late
 * GEM_CPU_FINI too; strict mode refuses the commit.
 */
static void test_writeback_check(void)
{
	struct vmsm_kms_fb a, t;
	struct vmsm_kms_req r;
	uint32_t *ref;
	int64_t v;

	open_display();
	igt_install_exit_handler(coh_knobs_off);
	ref = ref_frame();
	show_pattern(&a, ref);
	cached_fb(&t, "wb-check", STALE);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
	v = vmsm_debugfs_coherency(fd, "violations");

	capture(&t);
	cpu_access(t.handle, VMSM_PREP_READ, false);
	check_frame(&t, ref, "writeback, checking mode, correct use");
	cpu_access(t.handle, 0, true);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v);

	/* Held by the CPU while the display engine writes it. */
	cpu_access(t.handle, VMSM_PREP_READ | VMSM_PREP_WRITE, false);
	memset(t.map, 0, t.size);
	capture(&t);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 1);
	coh_assert_report("wb-check", t.size, "device read-write:");
	cpu_access(t.handle, 0, true);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 2);
	cpu_access(t.handle, VMSM_PREP_READ, false);
	check_frame(&t, ref, "writeback into a target the CPU held");
	cpu_access(t.handle, 0, true);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 2);

	vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", true);
	cpu_access(t.handle, VMSM_PREP_READ, false);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_FB_ID", t.fb_id);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EBUSY);
	cpu_access(t.handle, 0, true);
	capture(&t);
	coh_knobs_off(0);

	free(ref);
	vmsm_kms_fb_free(&t);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

/*
 * A writeback job's target on a plane of the same commit: the plane would
 * wait for the capture of its own frame. Refused, for a dumb and a cached
 * target; on separate commits the two are fine.
 */
static void test_writeback_target_on_plane(void)
{
	struct vmsm_kms_fb a, t;
	struct vmsm_kms_req r;
	uint32_t *ref;

	open_display();
	ref = ref_frame();
	show_pattern(&a, ref);
	cached_fb(&t, "wb-plane", STALE);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", a.fb_id);
	vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_FB_ID", a.fb_id);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY, 0), -EINVAL);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	vmsm_kms_req_init(&r);
	vmsm_kms_plane_req(fd, &r, d.overlay[0], d.crtc, &t, 0, 0, 64, 64, 0, 0);
	vmsm_kms_req_conn(fd, &r, d.wb, "WRITEBACK_FB_ID", t.fb_id);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EINVAL);
	/* nothing changed: the primary still shows a, the capture is exact */
	capture(&t);
	cpu_access(t.handle, VMSM_PREP_READ, false);
	check_frame(&t, ref, "capture after the refused commits");
	cpu_access(t.handle, 0, true);
	free(ref);
	vmsm_kms_fb_free(&t);
	vmsm_kms_fb_free(&a);
	vmsm_kms_close(&fd);
}

/*
 * Checking mode and the display engine as a device reader: a commit of a
 * cached object the CPU wrote and finished reports nothing; one the CPU
 * still holds is reported (the commit ends the access and shows the
 * writes), as is a CPU write without PREP, which the display engine does
 * not see; strict mode refuses the commit.
 */
static void test_scanout_check(void)
{
	struct vmsm_kms_fb s, wb;
	struct vmsm_kms_ref_plane rp;
	struct vmsm_kms_req r;
	uint32_t *ref, *p;
	int64_t v;

	open_display();
	igt_install_exit_handler(coh_knobs_off);
	ref = ref_frame();
	cached_fb(&s, "scanout-check", 0x00102030);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wb);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
	v = vmsm_debugfs_coherency(fd, "violations");
	modeset(&s);
	capture(&wb);
	check_all(&wb, 0x102030, "cached scanout object, correct use");
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v);

	p = s.map;
	cpu_access(s.handle, VMSM_PREP_WRITE, false);
	vmsm_kms_fb_fill(&s, primary_pattern);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", s.fb_id);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb.fb_id, 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 1);
	coh_assert_report("scanout-check", s.size, "device read:");
	rp = (struct vmsm_kms_ref_plane){ .fb = &s, .src_w = d.w, .src_h = d.h,
				     .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI };
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	check_frame(&wb, ref, "cached scanout object committed while the CPU held it");
	cpu_access(s.handle, 0, true);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 2);

	/* A CPU write without PREP: reported, and not seen by the display. */
	p[0] = 0x00ffffff;
	igt_assert_eq(vmsm_debugfs_coherency(fd, "violations"), v + 3);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", s.fb_id);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb.fb_id, 0);
	check_frame(&wb, ref, "cached scanout object written without GEM_CPU_PREP");

	vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", true);
	cpu_access(s.handle, VMSM_PREP_READ, false);
	vmsm_kms_req_init(&r);
	vmsm_kms_req_plane(fd, &r, d.primary, "FB_ID", s.fb_id);
	igt_assert_eq(__vmsm_kms_commit(fd, &r, 0, 0), -EBUSY);
	cpu_access(s.handle, 0, true);
	coh_knobs_off(0);

	free(ref);
	modeset(&wb);	/* off the cached object before it goes */
	vmsm_kms_fb_free(&s);
	vmsm_kms_fb_free(&wb);
	vmsm_kms_close(&fd);
}

/* ---- a coherent device ---- */

static bool vmsm_reloaded;

static void vmsm_load_defaults(int sig)
{
	(void)sig;
	vmsm_kms_close(&fd);
	igt_vmsm_select_device(NULL);
	igt_vmsm_load_defaults(&vmsm_reloaded);
}

/*
 * The display of a coherent device opened: the device tree's (arm64), or
 * vmsm reloaded with num_devices=1 coherent=1 where there is no tree.
 */
static void open_coherent_display(void)
{
	char name[NAME_MAX + 1];
	int f;

	vmsm_kms_close(&fd);
	igt_install_exit_handler(vmsm_load_defaults);
	vmsm_reloaded = igt_vmsm_devices(getenv("VMSM_KO"), 0, 1, &f);
	igt_assert_eq(igt_vmsm_device_name(f, name, sizeof(name)), 0);
	igt_vmsm_select_device(name);
	close(f);
	open_display();
}

/*
 * On a coherent device no transfer does any maintenance: a cached
 * scanout object the CPU wrote without PREP or FINI shows exactly, and
 * the capture into a cached object reads exactly without PREP.
 */
static void test_writeback_coherent(void)
{
	const uint32_t flags = VMSM_BO_CACHED_COHERENT | VMSM_BO_SCANOUT;
	struct vmsm_kms_fb s, t;
	struct vmsm_kms_ref_plane rp;
	uint32_t *ref;

	open_coherent_display();
	igt_assert_eq_u64(vmsm_get_param(fd, VMSM_PARAM_COHERENT), 1);
	ref = ref_frame();
	for (int i = 0; i < 2; i++) {
		struct vmsm_kms_fb *fb = i ? &t : &s;

		*fb = (struct vmsm_kms_fb){ .fd = fd, .width = d.w, .height = d.h,
				       .pitch = d.w * 4, .format = DRM_FORMAT_XRGB8888,
				       .size = (uint64_t)d.w * d.h * 4 };
		fb->handle = vmsm_gem_new(fd, fb->size, flags);
		fb->map = vmsm_gem_mmap(fd, fb->handle, PROT_READ | PROT_WRITE);
		vmsm_kms_map_track(fb->map, fb->size);
		igt_assert_eq(__vmsm_kms_addfb(fd, fb->handle, d.w, d.h, DRM_FORMAT_XRGB8888,
					  fb->pitch, 0, &fb->fb_id), 0);
	}
	vmsm_kms_fb_fill(&s, primary_pattern);
	modeset(&s);
	rp = (struct vmsm_kms_ref_plane){ .fb = &s, .src_w = d.w, .src_h = d.h,
				     .alpha = 0xffff, .blend = VMSM_KMS_BLEND_PREMULTI };
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	capture(&t);
	check_frame(&t, ref, "coherent device, capture read without GEM_CPU_PREP");
	/* and the CPU's later writes show at once too */
	vmsm_kms_fb_fill(&s, xbgr_pattern);
	vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
	capture(&t);
	check_frame(&t, ref, "coherent device, scanout written without GEM_CPU_FINI");
	igt_assert_eq(vmsm_debugfs_coherency(fd, "clean_bytes"), 0);
	igt_assert_eq(vmsm_debugfs_coherency(fd, "inval_bytes"), 0);
	free(ref);
	modeset(&t);
	vmsm_kms_fb_free(&s);
	vmsm_kms_fb_free(&t);
	vmsm_load_defaults(0);
}

static void objects_settle(void)
{
	int f = igt_vmsm_open_driver();
	int n = vmsm_debugfs_count(f, "objects"), waited;

	for (waited = 0; n != baseline_objects && waited < 5000; waited += 10) {
		usleep(10000);
		n = vmsm_debugfs_count(f, "objects");
	}
	igt_assert_eq(n, baseline_objects);
	igt_assert_eq(vmsm_debugfs_count(f, "clients"), 1);
	drm_close_driver(f);
}

/* Reads CRTC 0's CRCs until one is @want; fails after @frames entries. */
static bool crc_reaches(int crc_fd, uint32_t want, unsigned int frames)
{
	uint32_t frame, crc = 0;
	unsigned int i;

	for (i = 0; i < frames; i++) {
		struct pollfd p = { .fd = crc_fd, .events = POLLIN };

		igt_assert_f(poll(&p, 1, EVENT_TIMEOUT_MS) == 1, "no CRC entry in %d ms\n",
			     EVENT_TIMEOUT_MS);
		igt_assert_eq(vmsm_kms_crc_read(crc_fd, &frame, &crc), 0);
		if (crc == want)
			return true;
	}
	igt_info("last CRC %#010x, want %#010x\n", crc, want);
	return false;
}

/*
 * fbdev emulation: what a client draws into a mapping of /dev/fbN reaches
 * the screen. With no master left (the card closed, the console switched
 * to graphics mode so that it draws nothing), CRTC 0 shows the fbdev
 * framebuffer, and its CRCs become those of the reference composition of
 * the mapped memory, for one colour and then another.
 */
static void test_fbdev(void)
{
	static const uint32_t colours[] = { 0x00336699, 0x00cc2211 };
	struct vmsm_kms_ref_plane rp;
	struct vmsm_kms_fb fb;
	uint32_t *ref, want;
	unsigned int i, x, y;
	int fbdev, tty, crc_fd;
	int64_t ends;

	open_display();
	vmsm_kms_close(&fd);	/* the last close brings fbdev back on CRTC 0 */
	tty = open("/dev/tty0", O_RDWR | O_CLOEXEC);
	igt_assert_f(tty >= 0, "/dev/tty0: %s\n", strerror(errno));
	igt_assert_eq(ioctl(tty, KDSETMODE, KD_GRAPHICS), 0);

	/* CRCs through a file that gives up master at once */
	fd = igt_vmsm_open_driver();
	ioctl(fd, DRM_IOCTL_DROP_MASTER, 0);
	fbdev = vmsm_kms_fbdev_open(fd, &fb);
	igt_assert_eq_u32(fb.width, d.w);
	igt_assert_eq_u32(fb.height, d.h);
	/* fbdev emulation is an in-kernel client, counted apart */
	igt_assert_eq(vmsm_debugfs_count(fd, "clients"), 1);
	igt_assert_eq(vmsm_debugfs_count(fd, "kernel_clients"), 1);
	igt_assert_lte(1, vmsm_debugfs_count(fd, "kernel_objects"));
	crc_fd = vmsm_kms_crc_open(fd, 0);
	igt_assert_f(crc_fd >= 0, "opening crtc-0/crc/data: %s\n", strerror(-crc_fd));
	ref = ref_frame();
	ends = vmsm_debugfs_coherency(fd, "end_cpu");
	rp = (struct vmsm_kms_ref_plane){ .fb = &fb, .src_w = d.w, .src_h = d.h, .alpha = 0xffff,
				     .blend = VMSM_KMS_BLEND_PREMULTI };
	for (i = 0; i < ARRAY_SIZE(colours); i++) {
		for (y = 0; y < d.h; y++)
			for (x = 0; x < d.w; x++)
				((uint32_t *)((uint8_t *)fb.map + (uint64_t)y * fb.pitch))[x] =
					colours[i] ^ (x * 3 + y);
		vmsm_kms_ref_compose(ref, d.w, d.h, &rp, 1);
		want = vmsm_kms_crc32_le(~0u, ref, (uint64_t)d.w * d.h * 4);
		igt_assert_f(crc_reaches(crc_fd, want, 600),
			     "/dev/fbN drawn with %#08x is not on the screen\n", colours[i]);
		/* Its copy into the dumb buffer is a CPU access, ended. */
		igt_assert_lt(ends, vmsm_debugfs_coherency(fd, "end_cpu"));
		ends = vmsm_debugfs_coherency(fd, "end_cpu");
	}
	free(ref);
	close(crc_fd);
	igt_assert_eq(munmap(fb.map, fb.size), 0);
	close(fbdev);
	igt_assert_eq(ioctl(tty, KDSETMODE, KD_TEXT), 0);
	close(tty);
	vmsm_kms_close(&fd);
}

/* ---- nonblocking modesets racing cursor and plane updates ---- */

#define RACE_HELD_ROUNDS	8
#define RACE_FREE_ROUNDS	40

/*
 * A thread issuing legacy updates on CRTC 0 from the shared file: cursor
 * updates (DRM_IOCTL_MODE_CURSOR2 with a buffer and a position) or SETPLANE
 * on overlay 0. Unless it can be applied asynchronously, each one is a
 * blocking commit that, before it swaps its state in, asks the DRM core
 * for the CRTC's next vblank (drm_atomic_helper_wait_for_fences()).
 */
struct race_thread {
	pthread_t thread;
	bool setplane;
	uint32_t fb_id;		/* SETPLANE's framebuffer */
	uint32_t handle;	/* the cursor's buffer */
	bool once;		/* one update, then exit; else until stopped */
	bool off_ok;		/* EINVAL is right: the CRTC may be off */
	int tid;
	int err;		/* errno of the first update that failed */
	unsigned int updates, refused;
};

static volatile bool race_stop;

static int race_update(const struct race_thread *t, unsigned int i)
{
	int ret;

	if (t->setplane) {
		struct drm_mode_set_plane p = {
			.plane_id = d.overlay[0], .crtc_id = d.crtc, .fb_id = t->fb_id,
			.crtc_x = (int32_t)(i * 37 % d.w), .crtc_y = (int32_t)(i * 23 % d.h),
			.crtc_w = VMSM_CURSOR_SIZE, .crtc_h = VMSM_CURSOR_SIZE,
			.src_w = VMSM_CURSOR_SIZE << 16, .src_h = VMSM_CURSOR_SIZE << 16,
		};

		ret = ioctl(fd, DRM_IOCTL_MODE_SETPLANE, &p);
	} else {
		struct drm_mode_cursor2 c = {
			.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE,
			.crtc_id = d.crtc, .handle = t->handle,
			.width = VMSM_CURSOR_SIZE, .height = VMSM_CURSOR_SIZE,
			.x = (int32_t)(i * 41 % d.w), .y = (int32_t)(i * 29 % d.h),
		};

		ret = ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &c);
	}
	return ret ? errno : 0;
}

static void *race_thread_fn(void *arg)
{
	struct race_thread *t = arg;
	unsigned int i = 0;
	int err;

	__atomic_store_n(&t->tid, (int)syscall(SYS_gettid), __ATOMIC_RELEASE);
	do {
		err = race_update(t, i++);
		if (err == EINVAL && t->off_ok)
			t->refused++;
		else if (err && !t->err)
			t->err = err;
		t->updates++;
	} while (!t->once && !race_stop);
	return NULL;
}

static void race_start(struct race_thread *t, bool setplane, const struct vmsm_kms_fb *fb,
		       bool once)
{
	memset(t, 0, sizeof(*t));
	t->setplane = setplane;
	t->fb_id = fb->fb_id;
	t->handle = fb->handle;
	t->once = once;
	t->off_ok = !once;
	igt_assert_eq(pthread_create(&t->thread, NULL, race_thread_fn, t), 0);
}

static void race_join(struct race_thread *t, const char *what)
{
	igt_assert_eq(pthread_join(t->thread, NULL), 0);
	igt_assert_f(t->err == 0, "%s: %s\n", what, strerror(t->err));
}

/*
 * The thread's state in /proc: 'S' or 'D' once it sleeps in the kernel,
 * here in its update's commit (the only place it can sleep), behind the
 * held modeset.
 */
static bool race_thread_sleeps(const struct race_thread *t)
{
	char path[64], buf[256];
	const char *p;
	int tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE);

	if (!tid)
		return false;
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	if (igt_vmsm_read_file(path, buf, sizeof(buf)) <= 0)
		return true;	/* exited */
	p = strrchr(buf, ')');
	return p && (p[2] == 'S' || p[2] == 'D');
}

/*
 * A GPU job that writes the first pixel of @handle once @ctl's first word
 * is 1: until then, @handle's implicit write fence is pending, and a
 * commit that shows it waits for it in its commit work.
 */
static void race_submit_held(uint32_t handle, uint32_t ctl)
{
	uint64_t va = vmsm_gem_info(fd, handle, VMSM_INFO_GET_IOVA);
	uint64_t ctl_va = vmsm_gem_info(fd, ctl, VMSM_INFO_GET_IOVA);
	uint32_t cs = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	uint32_t *c = vmsm_gem_mmap(fd, cs, PROT_READ | PROT_WRITE);
	struct drm_vmsm_submit_bo bos[3] = {
		{ .handle = handle, .flags = VMSM_SUBMIT_BO_WRITE },
		{ .handle = ctl, .flags = VMSM_SUBMIT_BO_READ },
		{ .handle = cs, .flags = VMSM_SUBMIT_BO_READ },
	};
	struct drm_vmsm_submit_cmd cmd = { .handle = cs, .size = 10 };
	struct drm_vmsm_gem_submit s = {
		.bos = (uintptr_t)bos, .nr_bos = 3,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1, .fence_fd = -1,
	};

	c[0] = VMSM_CP_PKT(VMSM_CP_WAIT_MEM, 5);
	c[1] = (uint32_t)ctl_va;
	c[2] = (uint32_t)(ctl_va >> 32);
	c[3] = 1;
	c[4] = ~0u;
	c[5] = VMSM_CP_WAIT_EQ;
	c[6] = VMSM_CP_PKT(VMSM_CP_WRITE, 3);
	c[7] = (uint32_t)va;
	c[8] = (uint32_t)(va >> 32);
	c[9] = 0x00ff8000;
	munmap(c, 4096);
	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s);
	vmsm_gem_close(fd, cs);
}

/*
 * CRTC 0 fully off: no mode, no connector, no plane. Its vblank constants
 * stay, but drm_crtc_vblank_off() cleared the clock of its hardware mode,
 * which only the next enable's commit work restores.
 */
static void race_off(void)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 0);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", 0);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", 0);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", 0);
	vmsm_kms_plane_off(fd, &r, d.primary);
	vmsm_kms_plane_off(fd, &r, d.overlay[0]);
	vmsm_kms_plane_off(fd, &r, d.overlay[1]);
	vmsm_kms_plane_off(fd, &r, d.cursor);
	vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET);
}

/* A nonblocking modeset turning CRTC 0 on with @fb, and its event. */
static void race_on(const struct vmsm_kms_fb *fb, uint64_t user_data)
{
	struct vmsm_kms_req r;
	int ret;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", d.mode_blob);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", d.crtc);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, fb, 0, 0, d.w, d.h, 0, 0);
	ret = __vmsm_kms_commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET | DRM_MODE_ATOMIC_NONBLOCK |
			   DRM_MODE_PAGE_FLIP_EVENT, user_data);
	igt_assert_f(ret == 0, "nonblocking modeset: %s\n", strerror(-ret));
}

static void test_modeset_vs_updates(void)
{
	struct vmsm_kms_fb prim_fb[2], ov, cursor_fb;
	struct drm_mode_cursor2 cur2 = { };
	struct drm_event_vblank ev;
	struct race_thread t[2];
	uint32_t ctl, *ctl_map;
	unsigned int i, n;

	open_display();
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim_fb[0]);
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim_fb[1]);
	vmsm_kms_dumb_fb(fd, VMSM_CURSOR_SIZE, VMSM_CURSOR_SIZE, DRM_FORMAT_XRGB8888, &ov);
	vmsm_kms_dumb_fb(fd, VMSM_CURSOR_SIZE, VMSM_CURSOR_SIZE, DRM_FORMAT_ARGB8888, &cursor_fb);
	vmsm_kms_fb_fill(&prim_fb[0], primary_pattern);
	vmsm_kms_fb_fill(&prim_fb[1], primary_pattern);
	vmsm_kms_fb_fill(&ov, xbgr_pattern);
	vmsm_kms_fb_fill(&cursor_fb, cursor_pattern);
	modeset(&prim_fb[0]);
	cur2.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE;
	cur2.crtc_id = d.crtc;
	cur2.width = VMSM_CURSOR_SIZE;
	cur2.height = VMSM_CURSOR_SIZE;
	cur2.handle = cursor_fb.handle;
	do_ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &cur2);
	ctl = vmsm_gem_new(fd, 4096, VMSM_BO_WC);
	ctl_map = vmsm_gem_mmap(fd, ctl, PROT_READ | PROT_WRITE);

	/*
	 * Held: the CRTC goes off, then a nonblocking commit turns it on
	 * with a framebuffer a GPU job has yet to write, so that its commit
	 * work waits before it enables anything; a cursor update and a
	 * SETPLANE come in meanwhile. Their commits see the CRTC active and
	 * ask for its next vblank while the hardware is still off.
	 */
	for (i = 0; i < RACE_HELD_ROUNDS; i++) {
		race_off();
		ctl_map[0] = 0;
		/* what an earlier round's job wrote */
		((uint32_t *)prim_fb[i & 1].map)[0] = primary_pattern(0, 0);
		race_submit_held(prim_fb[i & 1].handle, ctl);
		race_on(&prim_fb[i & 1], 0x5000 + i);
		race_start(&t[0], false, &cursor_fb, true);
		race_start(&t[1], true, &ov, true);
		/* Both wait behind the modeset (or are done) before it goes on. */
		while (!race_thread_sleeps(&t[0]) || !race_thread_sleeps(&t[1]))
			usleep(1000);
		/* Held: no flip event yet, the job has not written. */
		igt_assert_eq(vmsm_kms_read_event(fd, 0, &ev, sizeof(ev)), 0);
		igt_assert_eq_u32(((uint32_t *)prim_fb[i & 1].map)[0], primary_pattern(0, 0));
		__atomic_store_n(&ctl_map[0], 1, __ATOMIC_RELEASE);
		race_join(&t[0], "cursor update behind a held modeset");
		race_join(&t[1], "SETPLANE behind a held modeset");
		read_flip_event(0x5000 + i, &ev);
	}

	/* Free: nonblocking modesets while two threads update all along. */
	race_stop = false;
	race_start(&t[0], false, &cursor_fb, false);
	race_start(&t[1], true, &ov, false);
	for (i = 0; i < RACE_FREE_ROUNDS; i++) {
		race_off();
		race_on(&prim_fb[i & 1], 0x6000 + i);
		read_flip_event(0x6000 + i, &ev);
	}
	race_stop = true;
	race_join(&t[0], "cursor updates during modesets");
	race_join(&t[1], "SETPLANEs during modesets");
	n = t[0].updates + t[1].updates;
	igt_info("%u modesets, %u cursor updates and %u SETPLANEs alongside (%u and %u refused with the CRTC off)\n",
		 RACE_FREE_ROUNDS, t[0].updates, t[1].updates, t[0].refused, t[1].refused);
	igt_assert_lt(0, (int)n);

	/* The CRTC still works: a vblank comes. */
	{
		union drm_wait_vblank vb = { };

		wait_vblank(&vb, _DRM_VBLANK_RELATIVE, 1);
	}
	munmap(ctl_map, 4096);
	vmsm_gem_close(fd, ctl);
	vmsm_kms_fb_free(&cursor_fb);
	vmsm_kms_fb_free(&ov);
	vmsm_kms_fb_free(&prim_fb[1]);
	vmsm_kms_fb_free(&prim_fb[0]);
	vmsm_kms_close(&fd);
}

igt_main
{
	igt_fixture {
		int f = igt_vmsm_open_driver();

		baseline_objects = vmsm_debugfs_count(f, "objects");
		igt_assert_lte(0, baseline_objects);
		drm_close_driver(f);
	}

	igt_describe("CRTCs, planes (types, formats, zpos/alpha/blend), virtual and writeback connectors, the preferred mode, caps.");
	igt_subtest("resources")
		test_resources();

	igt_describe("CREATE_DUMB/MAP_DUMB/mmap; ADDFB2 from dumb, scanout and vgem objects; non-scanout vmsm objects refused.");
	igt_subtest("dumb-buffers")
		test_dumb_buffers();

	igt_describe("Atomic modesets, TEST_ONLY leaves the state alone, modesets need ALLOW_MODESET.");
	igt_subtest("atomic-modeset")
		test_atomic_modeset();

	igt_describe("Nonblocking atomic and legacy flips: events with increasing sequences, timestamps one frame time apart.");
	igt_subtest("nonblocking-flips")
		test_nonblocking_flips();

	igt_describe("WAIT_VBLANK, CRTC_GET_SEQUENCE and CRTC_QUEUE_SEQUENCE with the mode's frame time.");
	igt_subtest("vblank")
		test_vblank();

	igt_describe("Writeback of composed frames equals a reference composition: z-order, alpha, blend modes, RGB565, cursor.");
	igt_subtest("writeback")
		test_writeback();

	igt_describe("Pipe CRCs through debugfs: equal for equal pixels, different otherwise, crc32 of the frame.");
	igt_subtest("crc")
		test_crc();

	igt_describe("Legacy cursor set and moves (async plane updates), checked by writeback.");
	igt_subtest("cursor-legacy")
		test_cursor_legacy();

	igt_describe("Async page flips, legacy and atomic; only the primary's FB_ID may change.");
	igt_subtest("async-flip")
		test_async_flip();

	igt_describe("Connector hot-plug through debugfs vmsm_hotplug: status, modes, uevent.");
	igt_subtest("hotplug")
		test_hotplug();

	igt_describe("Bad framebuffer ids in atomic and legacy requests.");
	igt_subtest("bad-fb")
		test_bad_fb();

	igt_describe("Unknown and unsupported formats, modifiers, per-plane formats, bad property values.");
	igt_subtest("bad-format")
		test_bad_format();

	igt_describe("Framebuffer sizes out of range, scaling, CRTC rectangle overflow.");
	igt_subtest("bad-size")
		test_bad_size();

	igt_describe("Source rectangles outside the framebuffer: ENOSPC.");
	igt_subtest("bad-src")
		test_bad_src();

	igt_describe("Cursor planes larger than 64x64 are refused, atomic and legacy.");
	igt_subtest("cursor-too-large")
		test_cursor_too_large();

	igt_describe("Modes outside 32x32..4096x4096 and malformed modes are refused.");
	igt_subtest("mode-out-of-range")
		test_mode_out_of_range();

	igt_describe("Commits need the master: EACCES for other files.");
	igt_subtest("non-master")
		test_non_master();

	igt_describe("KMS ioctls on the render node: EACCES.");
	igt_subtest("render-node")
		test_render_node();

	igt_describe("A cached scanout object on the non-coherent device is cleaned at each commit that puts it on a plane, and at DIRTYFB.");
	igt_subtest("scanout-coherency")
		test_scanout_coherency();

	igt_describe("What a client draws into a mapping of /dev/fbN (fbdev emulation) reaches CRTC 0: its CRCs match the reference composition; each copy into the dumb buffer ends a CPU access.");
	igt_describe("A writeback into a cached object: GEM_CPU_PREP after a nonblocking commit waits for the capture and shows it exactly; without PREP the CPU's view is stale.");
	igt_subtest("writeback-cached")
		test_writeback_cached();

	igt_describe("Checking mode: a writeback into a target the CPU holds is reported, correct use is not; strict mode refuses the commit.");
	igt_subtest("writeback-check")
		test_writeback_check();

	igt_describe("A commit that puts its writeback target on one of its planes is refused with EINVAL.");
	igt_subtest("writeback-target-on-plane")
		test_writeback_target_on_plane();

	igt_describe("Checking mode: a commit of a cached object the CPU holds, and a CPU write without PREP, are reported; correct use is not; strict mode refuses.");
	igt_subtest("scanout-check")
		test_scanout_check();

	igt_subtest("fbdev")
		test_fbdev();

	igt_describe("On a coherent device, a cached scanout object written without PREP/FINI shows exactly and a capture into a cached object reads exactly without PREP.");
	igt_subtest("writeback-coherent")
		test_writeback_coherent();

	igt_describe("XRGB2101010, ARGB2101010, RGB888 and BGR888 planes composed exactly (writeback and CRC against a reference from the framebuffers), captures into XRGB2101010, and its exact round trip.");
	igt_subtest("formats-10bit-24bit")
		test_formats_10bit_24bit();

	igt_describe("Nonblocking modesets (CRTC off, then on) raced by legacy cursor moves and SETPLANEs from threads, with the modeset held behind a GPU job and free-running; no kernel warning, every update succeeds.");
	igt_subtest("nonblocking-modeset-vs-updates")
		test_modeset_vs_updates();

	igt_fixture {
		vmsm_kms_close(&fd);
		objects_settle();
	}
}
