// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm-demo: one frame through the whole of vmsm, what `make run` shows.
 *
 *   1. the virtual GPU draws a picture (FILL_RECT and BLIT packets, through
 *      libvmsm's command streams) into a VMSM_BO_SCANOUT object;
 *   2. an atomic commit puts it on the first CRTC's primary plane, in the
 *      connector's preferred mode, and points the CRTC's writeback connector
 *      at a second scanout object;
 *   3. the display engine composes the frame and writes it back; the demo
 *      waits for the writeback fence and compares the capture with what the
 *      GPU drew, pixel by pixel.
 *
 * It prints the capture as text (one character per 16x32 pixels, coloured
 * with ANSI escapes unless -a) and, with -o FILE, writes it as a PPM.
 * Exit status 0 only if every step worked and the capture matches.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include <drm/vmsm_drm.h>
#include <libvmsm.h>

#define SEC 1000000000ll

static void fail(const char *what, int err)
{
	fprintf(stderr, "vmsm-demo: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static int open_vmsm(void)
{
	char path[32];
	int i, fd;

	for (i = 0; i < 16; i++) {
		drmVersionPtr v;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "vmsm")) {
			printf("vmsm-demo: %s, vmsm %d.%d\n", path, v->version_major,
			       v->version_minor);
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	fail("no vmsm device", ENODEV);
	return -1;
}

static uint32_t prop_id(int fd, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t i, id = 0;

	for (i = 0; props && i < props->count_props && !id; i++) {
		drmModePropertyPtr p = drmModeGetProperty(fd, props->props[i]);

		if (p && !strcmp(p->name, name))
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	if (!id) {
		fprintf(stderr, "vmsm-demo: object %u has no property %s\n", obj, name);
		exit(1);
	}
	return id;
}

static uint64_t prop_value(int fd, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	uint64_t v = ~0ull;
	uint32_t i;

	for (i = 0; props && i < props->count_props; i++) {
		drmModePropertyPtr p = drmModeGetProperty(fd, props->props[i]);

		if (p && !strcmp(p->name, name))
			v = props->prop_values[i];
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return v;
}

struct pipe {
	uint32_t crtc, crtc_index, conn, wb_conn, plane;
	drmModeModeInfo mode;
};

static void find_pipe(int fd, struct pipe *p)
{
	drmModeResPtr res = drmModeGetResources(fd);
	drmModePlaneResPtr pres = drmModeGetPlaneResources(fd);
	int i;

	if (!res || !pres || !res->count_crtcs)
		fail("no KMS resources", errno ? errno : ENODEV);
	memset(p, 0, sizeof(*p));
	p->crtc = res->crtcs[0];
	for (i = 0; i < res->count_connectors; i++) {
		drmModeConnectorPtr c = drmModeGetConnector(fd, res->connectors[i]);
		drmModeEncoderPtr e;

		if (!c)
			continue;
		e = c->count_encoders ? drmModeGetEncoder(fd, c->encoders[0]) : NULL;
		if (e && (e->possible_crtcs & 1)) {
			if (c->connector_type == DRM_MODE_CONNECTOR_WRITEBACK && !p->wb_conn) {
				p->wb_conn = c->connector_id;
			} else if (c->connector_type != DRM_MODE_CONNECTOR_WRITEBACK &&
				   !p->conn && c->connection == DRM_MODE_CONNECTED &&
				   c->count_modes) {
				int m;

				p->conn = c->connector_id;
				p->mode = c->modes[0];
				for (m = 0; m < c->count_modes; m++)
					if (c->modes[m].type & DRM_MODE_TYPE_PREFERRED) {
						p->mode = c->modes[m];
						break;
					}
			}
		}
		drmModeFreeEncoder(e);
		drmModeFreeConnector(c);
	}
	for (i = 0; i < (int)pres->count_planes && !p->plane; i++) {
		drmModePlanePtr pl = drmModeGetPlane(fd, pres->planes[i]);

		if (pl && (pl->possible_crtcs & 1) &&
		    prop_value(fd, pl->plane_id, DRM_MODE_OBJECT_PLANE, "type") ==
		    DRM_PLANE_TYPE_PRIMARY)
			p->plane = pl->plane_id;
		drmModeFreePlane(pl);
	}
	drmModeFreePlaneResources(pres);
	drmModeFreeResources(res);
	if (!p->conn || !p->wb_conn || !p->plane)
		fail("no connector, writeback connector and primary plane on CRTC 0", ENODEV);
	printf("vmsm-demo: CRTC %u, connector %u, writeback connector %u, primary plane %u, mode %s\n",
	       p->crtc, p->conn, p->wb_conn, p->plane, p->mode.name);
}

struct image {
	struct vmsm_bo *bo;
	struct vmsm_surface surf;
	uint32_t w, h, fb;
};

static void image_new(struct vmsm_device *dev, struct image *img, uint32_t w, uint32_t h,
		      uint32_t format, int addfb)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	int r;

	img->w = w;
	img->h = h;
	r = vmsm_bo_new(dev, (uint64_t)w * 4 * h, VMSM_BO_WC | VMSM_BO_SCANOUT, &img->bo);
	if (r)
		fail("GEM_NEW of a scanout object", r);
	r = vmsm_bo_iova(img->bo, &img->surf.iova);
	if (r)
		fail("GPU address of an object", r);
	img->surf.pitch = w * 4;
	img->surf.format = format;
	img->fb = 0;
	if (!addfb)
		return;
	handles[0] = vmsm_bo_handle(img->bo);
	pitches[0] = w * 4;
	if (drmModeAddFB2(vmsm_device_fd(dev), w, h, format, handles, pitches, offsets,
			  &img->fb, 0))
		fail("ADDFB2 of a VMSM_BO_SCANOUT object", errno);
}

/* 5x7 lowercase glyphs of "vms", one row per byte, bit 4 leftmost */
static const uint8_t glyph_v[7] = { 0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04 };
static const uint8_t glyph_m[7] = { 0x00, 0x00, 0x1a, 0x15, 0x15, 0x15, 0x15 };
static const uint8_t glyph_s[7] = { 0x00, 0x00, 0x0f, 0x10, 0x0e, 0x01, 0x1e };

/* The picture, drawn by the GPU: a blue gradient, colour bars, "vmsm" in
 * block letters, and a sprite drawn once with FILL_RECT and blitted along
 * the bottom.
 */
static void draw(struct vmsm_device *dev, struct image *fb)
{
	static const uint32_t bars[8] = { 0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
					  0xff00ff, 0xff0000, 0x0000ff, 0x202020 };
	const uint8_t *word[4] = { glyph_v, glyph_m, glyph_s, glyph_m };
	uint32_t w = fb->w, h = fb->h, i, x, y, cell, bw, sx;
	struct vmsm_submit_out out;
	struct image sprite;
	struct vmsm_cs *cs;
	int r;

	image_new(dev, &sprite, 64, 64, DRM_FORMAT_XRGB8888, 0);
	r = vmsm_cs_new(dev, 16384, &cs);
	if (r)
		fail("command stream", r);
	vmsm_cs_add_bo(cs, fb->bo, VMSM_SUBMIT_BO_WRITE);
	vmsm_cs_add_bo(cs, sprite.bo, VMSM_SUBMIT_BO_READ | VMSM_SUBMIT_BO_WRITE);
	for (i = 0; i < 16; i++) /* background: 16 bands, dark to light blue */
		vmsm_cs_fill_rect(cs, &fb->surf, 0, i * h / 16, w, (i + 1) * h / 16 - i * h / 16,
				  (i * 4) << 16 | (i * 6) << 8 | (0x30 + i * 10));
	bw = w / 8;
	for (i = 0; i < 8; i++) /* colour bars across the top quarter */
		vmsm_cs_fill_rect(cs, &fb->surf, i * bw, 0, bw, h / 4, bars[i]);
	cell = w / 32; /* "vmsm": 4 glyphs of 5x7 cells, a cell apart */
	sx = (w - (4 * 6 - 1) * cell) / 2;
	for (i = 0; i < 4; i++)
		for (y = 0; y < 7; y++)
			for (x = 0; x < 5; x++)
				if (word[i][y] & (0x10 >> x))
					vmsm_cs_fill_rect(cs, &fb->surf, sx + (i * 6 + x) * cell,
							  h / 4 + cell + y * cell, cell, cell,
							  0xffffff);
	/* the sprite: four quadrants and a white centre */
	vmsm_cs_fill_rect(cs, &sprite.surf, 0, 0, 32, 32, 0xff4040);
	vmsm_cs_fill_rect(cs, &sprite.surf, 32, 0, 32, 32, 0x40ff40);
	vmsm_cs_fill_rect(cs, &sprite.surf, 0, 32, 32, 32, 0x4040ff);
	vmsm_cs_fill_rect(cs, &sprite.surf, 32, 32, 32, 32, 0xffff40);
	vmsm_cs_fill_rect(cs, &sprite.surf, 16, 16, 32, 32, 0xffffff);
	/* the blits below read what the fills above wrote: same ring, in order */
	for (i = 0; i < 8 && (i + 1) * (w / 8) <= w; i++)
		vmsm_cs_blit(cs, &fb->surf, i * (w / 8) + (w / 8 - 64) / 2, h - h / 6,
			     &sprite.surf, 0, 0, 64, 64);
	r = vmsm_submit(cs, NULL, &out);
	if (r)
		fail("GEM_SUBMIT of the drawing", r);
	r = vmsm_wait_fence(dev, 0, out.fence, 10 * SEC);
	if (r)
		fail("WAIT_FENCE of the drawing", r);
	printf("vmsm-demo: GPU drew the frame (%u dwords, fence %u)\n", vmsm_cs_dwords(cs),
	       out.fence);
	vmsm_cs_free(cs);
	vmsm_bo_free(sprite.bo);
}

static int commit(int fd, struct pipe *p, struct image *scan, struct image *wb, int *fence,
		  uint32_t flags)
{
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();
	uint32_t blob;
	int r;

	*fence = -1;
	if (drmModeCreatePropertyBlob(fd, &p->mode, sizeof(p->mode), &blob))
		fail("mode blob", errno);
#define ADD(obj, type, name, val) \
	drmModeAtomicAddProperty(req, obj, prop_id(fd, obj, type, name), val)
	ADD(p->crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	ADD(p->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	ADD(p->conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", p->crtc);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "FB_ID", scan->fb);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", p->crtc);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "SRC_X", 0);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "SRC_W", (uint64_t)scan->w << 16);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "SRC_H", (uint64_t)scan->h << 16);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "CRTC_X", 0);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y", 0);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "CRTC_W", scan->w);
	ADD(p->plane, DRM_MODE_OBJECT_PLANE, "CRTC_H", scan->h);
	if (wb) {
		ADD(p->wb_conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", p->crtc);
		ADD(p->wb_conn, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID", wb->fb);
		ADD(p->wb_conn, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_OUT_FENCE_PTR",
		    (uint64_t)(uintptr_t)fence);
	}
#undef ADD
	r = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET | flags, NULL);
	r = r ? errno : 0;
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	return r;
}

/* nearest of a few colours, as a letter for plain text and an ANSI colour */
static const struct {
	uint8_t r, g, b;
	char c;
	int ansi;
} palette[] = {
	{ 0, 0, 0, ' ', 40 },      { 0x20, 0x30, 0x80, '.', 44 }, { 0x30, 0x50, 0xd0, ':', 44 },
	{ 0xff, 0xff, 0xff, '#', 47 }, { 0xff, 0xff, 0, 'Y', 43 }, { 0, 0xff, 0xff, 'C', 46 },
	{ 0, 0xff, 0, 'G', 42 },   { 0xff, 0, 0xff, 'M', 45 },    { 0xff, 0, 0, 'R', 41 },
	{ 0, 0, 0xff, 'B', 44 },   { 0x20, 0x20, 0x20, '-', 40 }, { 0x80, 0x80, 0x80, '+', 47 },
};

static void print_text(const uint32_t *px, uint32_t w, uint32_t h, int ansi)
{
	uint32_t cols = 64, rows = 24, cx, cy, x, y;

	for (cy = 0; cy < rows; cy++) {
		for (cx = 0; cx < cols; cx++) {
			uint64_t r = 0, g = 0, b = 0, n = 0, best = ~0ull;
			unsigned int i, pick = 0;

			for (y = cy * h / rows; y < (cy + 1) * h / rows; y += 2)
				for (x = cx * w / cols; x < (cx + 1) * w / cols; x += 2) {
					uint32_t c = px[(uint64_t)y * w + x];

					r += (c >> 16) & 0xff;
					g += (c >> 8) & 0xff;
					b += c & 0xff;
					n++;
				}
			n = n ? n : 1;
			r /= n;
			g /= n;
			b /= n;
			for (i = 0; i < sizeof(palette) / sizeof(palette[0]); i++) {
				int64_t dr = (int64_t)r - palette[i].r, dg = (int64_t)g - palette[i].g;
				int64_t db = (int64_t)b - palette[i].b;
				uint64_t d = dr * dr + dg * dg + db * db;

				if (d < best) {
					best = d;
					pick = i;
				}
			}
			if (ansi)
				printf("\033[%dm%c", palette[pick].ansi,
				       palette[pick].c == '#' ? ' ' : palette[pick].c);
			else
				putchar(palette[pick].c);
		}
		printf(ansi ? "\033[0m\n" : "\n");
	}
}

static void write_ppm(const char *path, const uint32_t *px, uint32_t w, uint32_t h)
{
	FILE *f = fopen(path, "w");
	uint64_t i;

	if (!f)
		fail(path, errno);
	fprintf(f, "P6\n%u %u\n255\n", w, h);
	for (i = 0; i < (uint64_t)w * h; i++) {
		uint8_t rgb[3] = { px[i] >> 16, px[i] >> 8, px[i] };

		fwrite(rgb, 3, 1, f);
	}
	if (fclose(f))
		fail(path, errno);
}

static uint32_t *read_image(struct image *img)
{
	uint32_t *copy = malloc((size_t)img->w * img->h * 4);
	void *map;
	int r;

	r = vmsm_bo_map(img->bo, &map);
	if (r || !copy)
		fail("mapping an object", r ? r : ENOMEM);
	r = vmsm_bo_cpu_prep(img->bo, VMSM_PREP_READ, 5 * SEC);
	if (r)
		fail("GEM_CPU_PREP", r);
	memcpy(copy, map, (size_t)img->w * img->h * 4);
	vmsm_bo_cpu_fini(img->bo);
	return copy;
}

int main(int argc, char **argv)
{
	const char *ppm = NULL;
	struct vmsm_device *dev;
	struct image scan, wb;
	struct pipe p;
	uint32_t *drawn, *captured, i, w, h, diff = 0;
	int opt, fd, fence, ansi = 1, r;

	while ((opt = getopt(argc, argv, "ao:")) != -1) {
		switch (opt) {
		case 'a': ansi = 0; break;
		case 'o': ppm = optarg; break;
		default:
			fprintf(stderr, "usage: vmsm-demo [-a] [-o frame.ppm]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_vmsm();
	r = vmsm_device_from_fd(fd, &dev);
	if (r)
		fail("libvmsm device", r);
	if (drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) ||
	    drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1))
		fail("atomic and writeback client caps", errno);
	find_pipe(fd, &p);
	w = p.mode.hdisplay;
	h = p.mode.vdisplay;
	image_new(dev, &scan, w, h, DRM_FORMAT_XRGB8888, 1);
	image_new(dev, &wb, w, h, DRM_FORMAT_XRGB8888, 1);
	draw(dev, &scan);

	r = commit(fd, &p, &scan, &wb, &fence, 0);
	if (r) {
		/* which part the kernel refused */
		int alone = commit(fd, &p, &scan, NULL, &fence, DRM_MODE_ATOMIC_TEST_ONLY);

		fprintf(stderr, "vmsm-demo: the same commit without the writeback job: %s\n",
			alone ? strerror(alone) : "accepted");
		fail("atomic commit of the frame with a writeback job", r);
	}
	printf("vmsm-demo: committed fb %u to plane %u, writeback into fb %u\n", scan.fb,
	       p.plane, wb.fb);
	if (fence < 0)
		fail("no writeback fence", EINVAL);
	{
		struct pollfd pfd = { .fd = fence, .events = POLLIN };

		if (poll(&pfd, 1, 10000) != 1)
			fail("waiting for the writeback fence", ETIMEDOUT);
		close(fence);
	}
	printf("vmsm-demo: writeback done\n");

	drawn = read_image(&scan);
	captured = read_image(&wb);
	for (i = 0; i < w * h; i++)
		diff += ((drawn[i] ^ captured[i]) & 0xffffff) != 0;
	if (ppm)
		write_ppm(ppm, captured, w, h);
	print_text(captured, w, h, ansi);
	printf("vmsm-demo: captured %ux%u frame: %u of %u pixels differ from what the GPU drew\n",
	       w, h, diff, w * h);
	free(drawn);
	free(captured);
	drmModeRmFB(fd, scan.fb);
	drmModeRmFB(fd, wb.fb);
	vmsm_bo_free(scan.bo);
	vmsm_bo_free(wb.bo);
	vmsm_device_close(dev);
	close(fd);
	return diff ? 1 : 0;
}
