// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_camera: camera to GPU to display, across drivers. vivid (V4L2's
 * virtual capture driver, loaded by the harness) captures a frame into a
 * vmsm object exported as a dma-buf (V4L2_MEMORY_DMABUF), the GPU copies
 * it into a scanout object (FILL_RECT and BLIT), the display scans that
 * out on CRTC 0 and its writeback connector captures the result, which is
 * compared pixel by pixel with the frame the CPU reads from the capture
 * object with GEM_CPU_PREP/FINI.
 *
 * vivid fills capture buffers with the CPU, through videobuf2-vmalloc,
 * which maps an imported dma-buf with dma_buf_vmap() and never calls
 * dma_buf_begin_cpu_access()/dma_buf_end_cpu_access() (6.12). Userspace
 * brackets the capture on its behalf: DMA_BUF_IOCTL_SYNC(SYNC_START |
 * SYNC_WRITE) before VIDIOC_QBUF, SYNC_END after VIDIOC_DQBUF. Each case
 * asserts what vmsm documents (vmsm.rst, "Camera capture through
 * videobuf2-vmalloc"): on the default non-coherent device with a cached
 * object, no sync or a dropped SYNC_END gives the GPU the stale contents,
 * a dropped SYNC_START is reported in checking mode, a dropped SYNC_END
 * is reported and refused in strict mode; write-combined objects and a
 * coherent device need no sync.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#include <linux/dma-buf.h>
#include <linux/videodev2.h>

#define CAM_WIDTH	640
#define CAM_HEIGHT	480
#define FRAME_TIMEOUT_MS	20000
#define JOB_TIMEOUT_NS	(30 * 1000000000ll)
/* What the capture object holds before the camera writes it. */
#define SENTINEL	0x005a5a5au
/* What the scanout object shows around the frame. */
#define BACKGROUND	0x00203040u

/* The userspace syncs around a capture. */
#define SYNC_BEFORE_QBUF	(1u << 0)	/* SYNC_START | SYNC_WRITE */
#define SYNC_AFTER_DQBUF	(1u << 1)	/* SYNC_END | SYNC_WRITE */
#define SYNC_ALL		(SYNC_BEFORE_QBUF | SYNC_AFTER_DQBUF)

/* What the writeback showed where the frame is. */
enum outcome { EXACT, STALE, REFUSED };

static int fd = -1;
static struct vmsm_device *dev;

/* What a frame holds, for a failed subtest's exit handler too. */
static struct {
	int video, dmabuf;
	struct vmsm_vbuf cap;
	struct vmsm_bo *scanout;
} cur = { .video = -1, .dmabuf = -1 };
static const char *ko_path;
static bool reloaded;

static struct {
	uint32_t crtc, conn, wb, primary;
	struct drm_mode_modeinfo mode;
	uint32_t mode_blob;
	unsigned int w, h;
} d;

/* ---- the camera ---- */

struct camera {
	int fd;
	uint32_t width, height, pitch, size;
};

static bool is_vivid_capture(int v)
{
	struct v4l2_capability cap = { };

	if (igt_ioctl(v, VIDIOC_QUERYCAP, &cap))
		return false;
	return !strcmp((const char *)cap.driver, "vivid") &&
	       (cap.device_caps & V4L2_CAP_VIDEO_CAPTURE) &&
	       (cap.device_caps & V4L2_CAP_STREAMING);
}

/* vivid's capture node, XBGR32 (DRM_FORMAT_XRGB8888) at CAM_WIDTH x CAM_HEIGHT. */
static void camera_open(struct camera *c)
{
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	char path[32];
	int i, input = 0;

	c->fd = -1;
	for (i = 0; i < 64 && c->fd < 0; i++) {
		snprintf(path, sizeof(path), "/dev/video%d", i);
		c->fd = open(path, O_RDWR | O_CLOEXEC);
		if (c->fd >= 0 && !is_vivid_capture(c->fd)) {
			close(c->fd);
			c->fd = -1;
		}
	}
	igt_assert_f(c->fd >= 0, "no vivid video capture node (the harness loads vivid)\n");
	cur.video = c->fd;
	do_ioctl(c->fd, VIDIOC_S_INPUT, &input);
	f.fmt.pix.width = CAM_WIDTH;
	f.fmt.pix.height = CAM_HEIGHT;
	f.fmt.pix.pixelformat = V4L2_PIX_FMT_XBGR32;
	f.fmt.pix.field = V4L2_FIELD_NONE;
	do_ioctl(c->fd, VIDIOC_S_FMT, &f);
	igt_assert_eq_u32(f.fmt.pix.pixelformat, V4L2_PIX_FMT_XBGR32);
	igt_assert_eq_u32(f.fmt.pix.width, CAM_WIDTH);
	igt_assert_eq_u32(f.fmt.pix.height, CAM_HEIGHT);
	c->width = f.fmt.pix.width;
	c->height = f.fmt.pix.height;
	c->pitch = f.fmt.pix.bytesperline;
	c->size = f.fmt.pix.sizeimage;
	igt_assert_lte(c->width * 4, c->pitch);
	igt_assert_lte_u64((uint64_t)c->pitch * c->height, c->size);
}

static void camera_reqbufs(struct camera *c, unsigned int count)
{
	struct v4l2_requestbuffers rb = { .count = count,
					  .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					  .memory = V4L2_MEMORY_DMABUF };

	do_ioctl(c->fd, VIDIOC_REQBUFS, &rb);
	/* vivid allocates at least two; only buffer 0 is queued */
	if (count)
		igt_assert_lte(count, rb.count);
	else
		igt_assert_eq_u32(rb.count, 0);
}

static void camera_qbuf(struct camera *c, int dmabuf, uint32_t length)
{
	struct v4l2_buffer b = { .index = 0, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
				 .memory = V4L2_MEMORY_DMABUF, .length = length };

	b.m.fd = dmabuf;
	do_ioctl(c->fd, VIDIOC_QBUF, &b);
}

/* Streams until the one queued buffer is filled, and stops. */
static void camera_capture(struct camera *c)
{
	int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
				 .memory = V4L2_MEMORY_DMABUF };
	struct pollfd p = { .fd = c->fd, .events = POLLIN };

	do_ioctl(c->fd, VIDIOC_STREAMON, &type);
	igt_assert_f(poll(&p, 1, FRAME_TIMEOUT_MS) == 1, "no frame from vivid in %d ms\n",
		     FRAME_TIMEOUT_MS);
	do_ioctl(c->fd, VIDIOC_DQBUF, &b);
	igt_assert_eq_u32(b.index, 0);
	igt_assert_f(!(b.flags & V4L2_BUF_FLAG_ERROR), "vivid returned an error buffer\n");
	igt_assert_eq_u32(b.bytesused, c->size);
	do_ioctl(c->fd, VIDIOC_STREAMOFF, &type);
}

/* Releases the buffers (vb2 unmaps the dma-buf) and the node. */
static void camera_close(struct camera *c)
{
	camera_reqbufs(c, 0);
	close(c->fd);
	c->fd = -1;
	cur.video = -1;
}

/* ---- the display ---- */

/* The device as master, CRTC 0 with its virtual and writeback connectors. */
static void open_device(void)
{
	struct vmsm_kms_display disp;
	struct vmsm_kms_res res;

	fd = igt_vmsm_open_driver();
	vmsm_lib_ok(vmsm_device_from_fd(fd, &dev));
	igt_assert_eq(vmsm_kms_set_client_caps(fd), 0);
	vmsm_kms_display_find(fd, &disp);
	vmsm_kms_get_res(fd, &res);
	memset(&d, 0, sizeof(d));
	d.crtc = disp.crtc;
	d.conn = disp.conn;
	d.primary = disp.primary;
	d.mode = disp.mode;
	d.mode_blob = disp.mode_blob;
	igt_assert_eq_u32(d.crtc, res.crtcs[0]);
	d.wb = vmsm_kms_find_connector(fd, &res, DRM_MODE_CONNECTOR_WRITEBACK, 0);
	d.w = d.mode.hdisplay;
	d.h = d.mode.vdisplay;
	igt_assert_lte(CAM_WIDTH, d.w);
	igt_assert_lte(CAM_HEIGHT, d.h);
}

/* Drops what a frame holds: nothing may keep vmsm loaded. */
static void frame_release(void)
{
	if (cur.video >= 0)
		close(cur.video);
	cur.video = -1;
	if (cur.dmabuf >= 0)
		close(cur.dmabuf);
	cur.dmabuf = -1;
	if (cur.cap.bo)
		vmsm_vbuf_free(&cur.cap);
	vmsm_bo_free(cur.scanout);
	cur.scanout = NULL;
}

static void close_device(void)
{
	frame_release();
	vmsm_kms_unmap_all();
	vmsm_device_close(dev);
	dev = NULL;
	if (fd >= 0)
		drm_close_driver(fd);
	fd = -1;
}

/* @scanout full screen on CRTC 0, written back into @wb; waits for it. */
static void show_and_capture(const struct vmsm_kms_fb *scanout, const struct vmsm_kms_fb *wb)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "ACTIVE", 1);
	vmsm_kms_req_crtc(fd, &r, d.crtc, "MODE_ID", d.mode_blob);
	vmsm_kms_req_conn(fd, &r, d.conn, "CRTC_ID", d.crtc);
	vmsm_kms_req_conn(fd, &r, d.wb, "CRTC_ID", d.crtc);
	vmsm_kms_plane_req(fd, &r, d.primary, d.crtc, scanout, 0, 0, d.w, d.h, 0, 0);
	vmsm_kms_commit_writeback(fd, &r, d.wb, wb->fb_id, DRM_MODE_ATOMIC_ALLOW_MODESET);
}

/* ---- checking mode's counters ---- */

/* ---- one frame through the pipeline ---- */

/* GPU: background over the whole scanout object, the frame at (0, 0). */
static int gpu_compose(struct vmsm_vbuf *cap, const struct camera *c,
		       const struct vmsm_kms_fb *scanout, struct vmsm_bo *sbo)
{
	struct vmsm_surface src = { .iova = cap->iova, .pitch = c->pitch,
				    .format = DRM_FORMAT_XRGB8888 };
	struct vmsm_surface dst = { .pitch = scanout->pitch, .format = DRM_FORMAT_XRGB8888 };
	struct vmsm_submit_out out;
	struct vmsm_cs *cs;
	int ret;

	vmsm_lib_ok(vmsm_bo_iova(sbo, &dst.iova));
	vmsm_lib_ok(vmsm_cs_new(dev, 256, &cs));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, cap->bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, sbo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_fill_rect(cs, &dst, 0, 0, d.w, d.h, BACKGROUND));
	vmsm_lib_ok(vmsm_cs_blit(cs, &dst, 0, 0, &src, 0, 0, c->width, c->height));
	ret = vmsm_submit(cs, NULL, &out);
	if (!ret)
		vmsm_lib_ok(vmsm_wait_fence(dev, 0, out.fence, JOB_TIMEOUT_NS));
	vmsm_cs_free(cs);
	return ret;
}

/* The frame as the CPU reads it from the capture object, with PREP/FINI. */
static uint32_t *cpu_frame(struct vmsm_vbuf *cap, const struct camera *c)
{
	uint32_t *f = malloc((size_t)c->width * c->height * 4);
	unsigned int y;

	igt_assert(f);
	vmsm_lib_ok(vmsm_bo_cpu_prep(cap->bo, VMSM_PREP_READ, JOB_TIMEOUT_NS));
	for (y = 0; y < c->height; y++)
		memcpy(f + y * c->width, cap->ptr + (uint64_t)y * c->pitch, c->width * 4);
	vmsm_lib_ok(vmsm_bo_cpu_fini(cap->bo));
	return f;
}

/*
 * What the writeback shows: the background around the frame always, and
 * where the frame is either the CPU's frame (EXACT) or the sentinel
 * (STALE), entirely; anything else fails.
 */
static enum outcome writeback_outcome(const struct vmsm_kms_fb *wb, const uint32_t *frame,
				      const struct camera *c)
{
	unsigned int x, y, exact = 0, stale = 0, differ = 0;

	for (y = 0; y < d.h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)wb->map +
							 (uint64_t)y * wb->pitch);

		for (x = 0; x < d.w; x++) {
			uint32_t got = row[x] & 0xffffff;

			if (x >= c->width || y >= c->height) {
				igt_assert_f(got == BACKGROUND,
					     "(%u, %u): %#08x, expected the background %#08x\n",
					     x, y, got, BACKGROUND);
				continue;
			}
			exact += got == (frame[y * c->width + x] & 0xffffff);
			stale += got == SENTINEL;
			differ += (frame[y * c->width + x] & 0xffffff) != SENTINEL;
		}
	}
	/* vivid's colour bars: no pixel of the frame is the sentinel's colour */
	igt_assert_eq_u32(differ, c->width * c->height);
	igt_info("writeback: %u of %u pixels are the CPU's frame, %u the old contents\n",
		 exact, c->width * c->height, stale);
	if (exact == c->width * c->height)
		return EXACT;
	igt_assert_f(stale == c->width * c->height,
		     "writeback neither the frame nor the old contents: %u exact, %u stale\n",
		     exact, stale);
	return STALE;
}

/*
 * One frame: capture into a new object of @flags with the syncs in
 * @syncs, the CPU's read of it, the GPU's copy, scanout and writeback.
 * In strict mode a refused copy is retried after the missing SYNC_END,
 * and must then be exact.
 */
static enum outcome camera_frame(uint32_t flags, unsigned int syncs, bool strict)
{
	struct vmsm_vbuf *cap = &cur.cap;
	struct vmsm_kms_fb scanout, wb;
	struct vmsm_bo *sbo;
	struct camera c;
	enum outcome o;
	uint32_t *frame;
	int dmabuf, ret;

	camera_open(&c);
	vmsm_vbuf_new(dev, cap, c.size, flags);
	igt_assert_lte_u64(c.size, cap->size);
	vmsm_vbuf_set(cap, 0x5a);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(cap->bo, &dmabuf));
	cur.dmabuf = dmabuf;
	camera_reqbufs(&c, 1);

	if (syncs & SYNC_BEFORE_QBUF)
		igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	camera_qbuf(&c, dmabuf, cap->size);
	camera_capture(&c);
	if (syncs & SYNC_AFTER_DQBUF)
		igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);

	frame = cpu_frame(cap, &c);
	/* a dumb buffer, whose handle the libvmsm object owns from here on */
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &scanout);
	vmsm_lib_ok(vmsm_bo_from_handle(dev, scanout.handle, &sbo));
	cur.scanout = sbo;
	scanout.dumb = false;
	scanout.handle = 0;
	vmsm_kms_dumb_fb(fd, d.w, d.h, DRM_FORMAT_XRGB8888, &wb);
	ret = gpu_compose(cap, &c, &scanout, sbo);
	if (ret) {
		igt_assert_f(strict && ret == -EBUSY,
			     "submit: %s, expected it to go%s\n", strerror(-ret),
			     strict ? " or fail with EBUSY" : "");
		igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
		vmsm_lib_ok(gpu_compose(cap, &c, &scanout, sbo));
	}
	show_and_capture(&scanout, &wb);
	o = writeback_outcome(&wb, frame, &c);
	if (ret) {
		igt_assert_eq(o, EXACT);
		o = REFUSED;
	}

	free(frame);
	camera_close(&c);
	vmsm_kms_fb_free(&wb);
	vmsm_kms_fb_free(&scanout);
	frame_release();
	return o;
}

/* A frame with checking mode (and strict mode) on: outcome and reports. */
static enum outcome checked_frame(uint32_t flags, unsigned int syncs, bool strict,
				  int64_t *violations, int64_t *refused)
{
	int64_t v0, r0;
	enum outcome o;

	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", strict);
	v0 = vmsm_debugfs_coherency(fd, "violations");
	r0 = vmsm_debugfs_coherency(fd, "refused");
	o = camera_frame(flags, syncs, strict);
	*violations = vmsm_debugfs_coherency(fd, "violations") - v0;
	*refused = vmsm_debugfs_coherency(fd, "refused") - r0;
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", false);
	vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
	igt_info("syncs %#x%s: %lld violations reported, %lld submits refused\n", syncs,
		 strict ? " (strict)" : "", (long long)*violations, (long long)*refused);
	return o;
}

static void noncoherent(void)
{
	open_device();
	igt_assert_f(vmsm_get_param(fd, VMSM_PARAM_COHERENT) == 0,
		     "device 0 must be non-coherent (the module's default)\n");
}

/* ---- subtests ---- */

/* Both syncs: the frame reaches the display exactly, nothing reported. */
static void test_noncoherent_synced(void)
{
	int64_t v, r;

	noncoherent();
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, SYNC_ALL, false, &v, &r), EXACT);
	igt_assert_eq(v, 0);
	igt_assert_eq(r, 0);
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, SYNC_ALL, true, &v, &r), EXACT);
	igt_assert_eq(v, 0);
	igt_assert_eq(r, 0);
	close_device();
}

/*
 * No sync, as vb2-vmalloc leaves it: the GPU copies the device view, the
 * sentinel, and nothing is reported or refused: writes through a kernel
 * mapping cannot fault, and the CPU never took the object.
 */
static void test_noncoherent_unsynced(void)
{
	int64_t v, r;

	noncoherent();
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, 0, false, &v, &r), STALE);
	igt_assert_eq(v, 0);
	igt_assert_eq(r, 0);
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, 0, true, &v, &r), STALE);
	igt_assert_eq(v, 0);
	igt_assert_eq(r, 0);
	close_device();
}

/*
 * SYNC_START dropped: SYNC_END still hands every page written through
 * vb2's mapping to the device, so the frame is exact, but checking mode
 * reports the writes to pages the CPU did not take and the end that
 * never began; strict mode refuses nothing (the CPU holds nothing).
 */
static void test_noncoherent_no_start(void)
{
	int64_t v, r;

	noncoherent();
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, SYNC_AFTER_DQBUF, false, &v, &r), EXACT);
	igt_assert_lt(0, v);
	igt_assert_eq(r, 0);
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, SYNC_AFTER_DQBUF, true, &v, &r), EXACT);
	igt_assert_lt(0, v);
	igt_assert_eq(r, 0);
	close_device();
}

/*
 * SYNC_END dropped: the submit ends the CPU's access, which cleans only
 * what write tracking saw, so the GPU copies the sentinel, and checking
 * mode reports the device access to pages the CPU holds; strict mode
 * refuses the submit, which goes once SYNC_END comes, exactly.
 */
static void test_noncoherent_no_end(void)
{
	int64_t v, r;

	noncoherent();
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, SYNC_BEFORE_QBUF, false, &v, &r), STALE);
	igt_assert_lt(0, v);
	igt_assert_eq(r, 0);
	igt_assert_eq(checked_frame(VMSM_BO_CACHED, SYNC_BEFORE_QBUF, true, &v, &r), REFUSED);
	igt_assert_lt(0, v);
	igt_assert_eq(r, 1);
	close_device();
}

/* A write-combined capture object: no CPU cache lines, no sync needed. */
static void test_noncoherent_wc(void)
{
	static const unsigned int cases[] = { 0, SYNC_BEFORE_QBUF, SYNC_AFTER_DQBUF, SYNC_ALL };
	int64_t v, r;
	unsigned int i;

	noncoherent();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		igt_assert_eq(checked_frame(VMSM_BO_WC, cases[i], true, &v, &r), EXACT);
		igt_assert_eq(r, 0);
	}
	close_device();
}

static void restore_module(int sig)
{
	(void)sig;
	close_device();
	igt_vmsm_load_defaults(&reloaded);
}

/*
 * A coherent device: the GPU reads the CPU's view, so every case is
 * exact, with or without syncs, and nothing is reported or refused.
 */
static void test_coherent(void)
{
	static const unsigned int cases[] = { 0, SYNC_BEFORE_QBUF, SYNC_AFTER_DQBUF, SYNC_ALL };
	char name[NAME_MAX + 1];
	int64_t v, r;
	unsigned int i;

	ko_path = getenv("VMSM_KO");
	igt_install_exit_handler(restore_module);
	/* the device tree's coherent device, or num_devices=1 coherent=1 */
	reloaded = igt_vmsm_devices(ko_path, 0, 1, &fd);
	igt_assert_eq(igt_vmsm_device_name(fd, name, sizeof(name)), 0);
	igt_vmsm_select_device(name);
	close(fd);
	fd = -1;
	open_device();
	igt_assert_eq_u64(vmsm_get_param(fd, VMSM_PARAM_COHERENT), 1);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		igt_assert_eq(checked_frame(VMSM_BO_CACHED_COHERENT, cases[i], false, &v, &r),
			      EXACT);
		igt_assert_eq(v, 0);
		igt_assert_eq(r, 0);
		igt_assert_eq(checked_frame(VMSM_BO_CACHED_COHERENT, cases[i], true, &v, &r),
			      EXACT);
		igt_assert_eq(v, 0);
		igt_assert_eq(r, 0);
	}
	close_device();
}

igt_main
{
	igt_describe("vivid captures into a cached vmsm dma-buf bracketed by "
		     "DMA_BUF_IOCTL_SYNC; GPU copy, scanout and writeback are exact.");
	igt_subtest("noncoherent-synced")
		test_noncoherent_synced();

	igt_describe("Without syncs (vb2-vmalloc brackets nothing) the GPU copies "
		     "stale data, and checking mode cannot see it.");
	igt_subtest("noncoherent-unsynced")
		test_noncoherent_unsynced();

	igt_describe("SYNC_START dropped: exact, and reported in checking mode.");
	igt_subtest("noncoherent-no-start")
		test_noncoherent_no_start();

	igt_describe("SYNC_END dropped: stale and reported, refused in strict mode.");
	igt_subtest("noncoherent-no-end")
		test_noncoherent_no_end();

	igt_describe("A write-combined capture object needs no sync.");
	igt_subtest("noncoherent-wc")
		test_noncoherent_wc();

	igt_describe("On a coherent device every case is exact and nothing is reported.");
	igt_subtest("coherent")
		test_coherent();
}
