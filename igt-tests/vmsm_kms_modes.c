// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_kms_modes: which modes the display engine times. Modes outside its
 * documented range (Documentation/gpu/vmsm.rst, "CRTC and vblank": 32x32
 * to 4096x4096, pixel clock up to 2 GHz, refresh 1 to 240 Hz, sync pulses
 * at least one pixel/line wide, progressive, single scan, not stereo) and
 * malformed ones (the DRM core's checks) are refused with EINVAL by real
 * commits, atomic and legacy, and leave the current mode alone; the limits
 * themselves pass. Every mode of the connector's own list passes, and the
 * lower resolutions among them are committed and captured by writeback.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"


static int fd = -1;

static struct {
	struct vmsm_kms_res res;
	uint32_t crtc, conn, wb, primary;
	struct drm_mode_modeinfo mode;
	unsigned int w, h;
} d;

static struct vmsm_kms_fb prim;

/* A modeset of CRTC 0 to @m with @fb full screen on the primary. */
static int __modeset(const struct drm_mode_modeinfo *m, const struct vmsm_kms_fb *fb,
		     uint32_t flags)
{
	struct vmsm_kms_req r;
	uint32_t blob = vmsm_kms_mode_blob(fd, m);
	int ret;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", blob);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", d.crtc);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", d.crtc);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, fb, 0, 0,
		      fb->width < m->hdisplay ? fb->width : m->hdisplay,
		      fb->height < m->vdisplay ? fb->height : m->vdisplay, 0, 0);
	ret = __vmsm_kms_commit(fd, &r, flags | DRM_MODE_ATOMIC_ALLOW_MODESET, 0);
	vmsm_kms_destroy_blob(fd, blob);
	return ret;
}

static void close_display(void)
{
	if (fd < 0)
		return;
	vmsm_kms_fb_free(&prim);
	vmsm_kms_unmap_all();
	drm_close_driver(fd);
	fd = -1;
}

static void open_display(void)
{
	close_display();
	fd = vmsm_kms_open();
	memset(&d, 0, sizeof(d));
	vmsm_kms_get_res(fd, &d.res);
	d.crtc = d.res.crtcs[0];
	d.conn = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_VIRTUAL, 0);
	d.wb = vmsm_kms_find_connector(fd, &d.res, DRM_MODE_CONNECTOR_WRITEBACK, 0);
	d.primary = vmsm_kms_find_plane(&d.res, DRM_PLANE_TYPE_PRIMARY, 0, 0);
	vmsm_kms_preferred_mode(fd, d.conn, &d.mode);
	igt_assert_lt(0, d.mode.hdisplay);
	d.w = d.mode.hdisplay;
	d.h = d.mode.vdisplay;
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &prim);
	vmsm_kms_fb_fill(&prim, vmsm_kms_address_pattern);
	igt_assert_eq(__modeset(&d.mode, &prim, 0), 0);
}

/* The current mode of CRTC 0 is still the preferred one. */
static void assert_mode_unchanged(const char *what)
{
	struct drm_mode_crtc c = { .crtc_id = d.crtc };

	do_ioctl(fd, DRM_IOCTL_MODE_GETCRTC, &c);
	igt_assert_f(c.mode_valid && !memcmp(&c.mode, &d.mode, sizeof(c.mode)),
		     "%s: the mode changed\n", what);
}

/* A mode of w x h active pixels at @hz with the given totals. */
static void mode_at(struct drm_mode_modeinfo *m, unsigned int w, unsigned int h,
		    unsigned int htotal, unsigned int vtotal, double hz)
{
	vmsm_kms_make_mode(m, w, h);
	m->htotal = htotal;
	m->vtotal = vtotal;
	m->hsync_start = w + (htotal - w) / 4;
	m->hsync_end = m->hsync_start + (htotal - w) / 4;
	m->vsync_start = h + (vtotal - h) / 4;
	m->vsync_end = m->vsync_start + (vtotal - h) / 4;
	m->clock = (uint32_t)(htotal * (double)vtotal * hz / 1000);
	m->vrefresh = (uint32_t)hz;
}

struct bad_mode {
	const char *what;
	struct drm_mode_modeinfo m;
};

static unsigned int bad_modes(struct bad_mode *b)
{
	unsigned int n = 0;

#define BAD(text) (b[n].what = (text), &b[n++].m)
	{
		struct drm_mode_modeinfo *m = BAD("pixel clock INT_MAX kHz");

		vmsm_kms_make_mode(m, 1024, 768);
		m->clock = INT_MAX;
	}
	{
		/* totals so large that the refresh stays in range */
		struct drm_mode_modeinfo *m = BAD("pixel clock 2000001 kHz");

		mode_at(m, 4096, 4096, 8192, 8192, 0);
		m->clock = 2000001;
	}
	mode_at(BAD("refresh 241 Hz"), 1024, 768, 1184, 798, 0);
	b[n - 1].m.clock = (uint32_t)((1184 * 798 * 241 + 999) / 1000 + 1);
	mode_at(BAD("refresh below 1 Hz"), 1024, 768, 1184, 798, 0);
	b[n - 1].m.clock = 1184 * 798 / 1000 - 1;
	{
		struct drm_mode_modeinfo *m = BAD("zero clock (core)");

		vmsm_kms_make_mode(m, 1024, 768);
		m->clock = 0;
	}
	{
		struct drm_mode_modeinfo *m = BAD("zero-width hsync");

		vmsm_kms_make_mode(m, 1024, 768);
		m->hsync_end = m->hsync_start;
	}
	{
		struct drm_mode_modeinfo *m = BAD("zero-width vsync");

		vmsm_kms_make_mode(m, 1024, 768);
		m->vsync_end = m->vsync_start;
	}
	{
		struct drm_mode_modeinfo *m = BAD("htotal below hdisplay (core)");

		vmsm_kms_make_mode(m, 1024, 768);
		m->hsync_start = m->hsync_end = 1024;
		m->htotal = 1000;
	}
	{
		struct drm_mode_modeinfo *m = BAD("vtotal below vdisplay (core)");

		vmsm_kms_make_mode(m, 1024, 768);
		m->vtotal = 700;
	}
	{
		struct drm_mode_modeinfo *m = BAD("interlaced");

		vmsm_kms_make_mode(m, 1024, 768);
		m->flags |= DRM_MODE_FLAG_INTERLACE;
	}
	{
		struct drm_mode_modeinfo *m = BAD("double scan");

		vmsm_kms_make_mode(m, 1024, 768);
		m->flags |= DRM_MODE_FLAG_DBLSCAN;
	}
	{
		struct drm_mode_modeinfo *m = BAD("vscan 2");

		vmsm_kms_make_mode(m, 1024, 768);
		m->vscan = 2;
	}
	{
		struct drm_mode_modeinfo *m = BAD("stereo frame packing");

		vmsm_kms_make_mode(m, 1024, 768);
		m->flags |= DRM_MODE_FLAG_3D_FRAME_PACKING;
	}
	vmsm_kms_make_mode(BAD("31 pixels wide"), 31, 768);
	vmsm_kms_make_mode(BAD("4097 lines high"), 1024, 4097);
#undef BAD
	return n;
}

static void test_timing_limits(void)
{
	struct bad_mode bad[32];
	struct drm_mode_modeinfo m;
	unsigned int i, n;
	struct vmsm_kms_fb small;

	open_display();
	n = bad_modes(bad);
	for (i = 0; i < n; i++) {
		struct drm_mode_crtc sc = { .crtc_id = d.crtc, .fb_id = prim.fb_id,
					    .set_connectors_ptr = (uintptr_t)&d.conn,
					    .count_connectors = 1, .mode_valid = 1,
					    .mode = bad[i].m };
		int ret;

		ret = __modeset(&bad[i].m, &prim, 0);
		igt_assert_f(ret == -EINVAL, "%s: atomic commit %d (%s), expected EINVAL\n",
			     bad[i].what, ret, strerror(-ret));
		ret = __modeset(&bad[i].m, &prim, DRM_MODE_ATOMIC_TEST_ONLY);
		igt_assert_f(ret == -EINVAL, "%s: TEST_ONLY %d, expected EINVAL\n",
			     bad[i].what, ret);
		ret = igt_ioctl(fd, DRM_IOCTL_MODE_SETCRTC, &sc) ? -errno : 0;
		igt_assert_f(ret == -EINVAL, "%s: SETCRTC %d (%s), expected EINVAL\n",
			     bad[i].what, ret, strerror(-ret));
		assert_mode_unchanged(bad[i].what);
	}

	/* the limits pass (TEST_ONLY: a 1 Hz mode would take seconds per commit) */
	vmsm_kms_dumb_fb(fd, 64, 64, DRM_FORMAT_XRGB8888, &small);
	vmsm_kms_fb_fill(&small, vmsm_kms_address_pattern);
	mode_at(&m, 1024, 768, 1184, 798, 0);
	m.clock = 1184 * 798 * 240 / 1000;
	igt_assert_eq(__modeset(&m, &prim, DRM_MODE_ATOMIC_TEST_ONLY), 0);
	m.clock = (1184 * 798 + 999) / 1000;
	igt_assert_eq(__modeset(&m, &prim, DRM_MODE_ATOMIC_TEST_ONLY), 0);
	mode_at(&m, 4096, 4096, 8192, 8192, 0);
	m.clock = 2000000;
	igt_assert_eq(__modeset(&m, &small, DRM_MODE_ATOMIC_TEST_ONLY), 0);
	vmsm_kms_make_mode(&m, 32, 32);
	m.hsync_start = 32;
	m.hsync_end = 33;
	m.htotal = 33;
	m.vsync_start = 32;
	m.vsync_end = 33;
	m.vtotal = 33;
	m.clock = 33 * 33 * 60 / 1000 + 1;
	igt_assert_eq(__modeset(&m, &small, DRM_MODE_ATOMIC_TEST_ONLY), 0);
	assert_mode_unchanged("limits");
	/* and a real commit near the top of the refresh range works */
	mode_at(&m, 1024, 768, 1184, 798, 0);
	m.clock = 1184 * 798 * 240 / 1000;
	igt_assert_eq(__modeset(&m, &prim, 0), 0);
	igt_assert_eq(__modeset(&d.mode, &prim, 0), 0);
	vmsm_kms_fb_free(&small);
	close_display();
}

/* The capture of the current frame is the pattern (the primary shows it at 0, 0). */
static void capture_check(const struct drm_mode_modeinfo *m)
{
	struct vmsm_kms_fb wb;
	struct vmsm_kms_req r;
	unsigned int x, y, bad = 0;

	vmsm_kms_dumb_fb(fd, m->hdisplay, m->vdisplay, DRM_FORMAT_XRGB8888, &wb);
	vmsm_kms_req_init(&r);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb.fb_id, 0);
	for (y = 0; y < m->vdisplay; y++)
		for (x = 0; x < m->hdisplay; x++) {
			uint32_t got = ((uint32_t *)((uint8_t *)wb.map +
						     (uint64_t)y * wb.pitch))[x];

			bad += (got & 0xffffff) != vmsm_kms_address_pattern(x, y);
		}
	igt_assert_f(bad == 0, "%s: %u pixels differ\n", m->name, bad);
	vmsm_kms_fb_free(&wb);
}

static void test_connector_modes(void)
{
	struct vmsm_kms_connector c;
	unsigned int i, j, committed = 0;
	bool seen;

	open_display();
	vmsm_kms_get_connector(fd, d.conn, &c, true);
	igt_info("%u modes\n", c.nr_modes);
	igt_assert_lt(1, c.nr_modes);
	for (i = 0; i < c.nr_modes; i++) {
		const struct drm_mode_modeinfo *m = &c.modes[i];
		int ret;

		/* the primary's 1024x768 framebuffer, clipped to the mode */
		ret = __modeset(m, &prim, DRM_MODE_ATOMIC_TEST_ONLY);
		igt_assert_f(ret == 0, "mode %s@%u (%u kHz): %d\n", m->name, m->vrefresh,
			     m->clock, ret);
		if (m->hdisplay > d.w || m->vdisplay > d.h)
			continue;
		/* each lower resolution once: committed and captured */
		seen = false;
		for (j = 0; j < i; j++)
			seen |= c.modes[j].hdisplay == m->hdisplay &&
				c.modes[j].vdisplay == m->vdisplay;
		if (seen || (m->hdisplay == d.w && m->vdisplay == d.h))
			continue;
		{
			struct vmsm_kms_fb fb;

			vmsm_kms_dumb_fb(fd, m->hdisplay, m->vdisplay, DRM_FORMAT_XRGB8888, &fb);
			vmsm_kms_fb_fill(&fb, vmsm_kms_address_pattern);
			igt_assert_eq(__modeset(m, &fb, 0), 0);
			capture_check(m);
			/* the larger framebuffer, clipped, works as well */
			igt_assert_eq(__modeset(m, &prim, 0), 0);
			capture_check(m);
			vmsm_kms_fb_free(&fb);
		}
		igt_info("committed %s@%u\n", m->name, m->vrefresh);
		committed++;
	}
	igt_assert_lt(0, committed);
	igt_assert_eq(__modeset(&d.mode, &prim, 0), 0);
	close_display();
}

igt_main
{
	igt_describe("Modes beyond the engine's documented range (clock, refresh, syncs, scan, stereo, size) or malformed: EINVAL from atomic commits, TEST_ONLY and SETCRTC, the mode unchanged; the limits pass.");
	igt_subtest("timing-limits")
		test_timing_limits();

	igt_describe("Every mode of the virtual connector passes a modeset check; each lower resolution is committed, with a framebuffer of its size and a larger one clipped, and captured exactly.");
	igt_subtest("connector-modes")
		test_connector_modes();

	igt_fixture
		close_display();
}
