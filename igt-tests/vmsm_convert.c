// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_convert: the command processor's CONVERT packet (uapi 1.13),
 * NV12 to XRGB8888/ARGB8888 and back, as a camera pipeline uses it, run
 * as GPU jobs. The results are compared with references computed here
 * from the input buffers with the ITU-R BT.601, BT.709 and BT.2020
 * equations (limited range: Y' = (Y - 16) / 219, Pb = (Cb - 128) / 224;
 * full range: Y' = Y / 255, Pb = (Cb - 128) / 255; R' = Y' + 2 (1 - Kr)
 * Pr, B' = Y' + 2 (1 - Kb) Pb, G' = (Y' - Kr R' - Kb B') / Kg, clamped),
 * each NV12 chroma pair standing for its 2x2 block (its mean, when
 * writing NV12).
 *
 * Tolerance: an 8-bit result of a real-valued equation cannot in general
 * be exact; a code passes if it is within less than one code of the
 * exact value (one of the two codes around it), and must be the exact
 * value where that is a code (black, white, neutral chroma).
 *
 * Malformed packets stop the job with an invalid-packet fault and write
 * nothing.
 */

#include <linux/sync_file.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "drm_fourcc.h"
#include "igt.h"
#include "igt_vmsm.h"
#include "libvmsm.h"

#define NS_PER_SEC	1000000000ll
#define JOB_TIMEOUT_NS	(30 * NS_PER_SEC)

static int fd = -1;

static void cpu_begin(struct vmsm_vbuf *b, uint32_t op)
{
	vmsm_lib_ok(vmsm_bo_cpu_prep(b->bo, op, JOB_TIMEOUT_NS));
}

static void cpu_end(struct vmsm_vbuf *b)
{
	vmsm_lib_ok(vmsm_bo_cpu_fini(b->bo));
}

/* A context of its own, with an NV12 and an RGB buffer and a command stream. */
struct job {
	struct vmsm_device *d;
	struct vmsm_vbuf nv, rgb;
	struct vmsm_cs *cs;
};

static void job_open(struct job *j)
{
	int other = drm_reopen_driver(fd);

	igt_assert(other >= 0);
	vmsm_lib_ok(vmsm_device_from_fd(other, &j->d));
	close(other);
	vmsm_vbuf_new(j->d, &j->nv, 65536, VMSM_BO_CACHED);
	vmsm_vbuf_new(j->d, &j->rgb, 65536, VMSM_BO_CACHED);
	vmsm_lib_ok(vmsm_cs_new(j->d, 1024, &j->cs));
}

static void job_close(struct job *j)
{
	vmsm_cs_free(j->cs);
	vmsm_vbuf_free(&j->nv);
	vmsm_vbuf_free(&j->rgb);
	vmsm_device_close(j->d);
}

struct convert {
	uint64_t dst, dst_uv;
	uint32_t dst_pitch;
	uint64_t src, src_uv;
	uint32_t src_pitch;
	uint32_t dst_format, src_format, width, height, flags;
};

static void emit_convert(struct vmsm_cs *cs, const struct convert *c)
{
	const uint32_t dw[16] = {
		VMSM_CP_PKT(VMSM_CP_CONVERT, 15),
		(uint32_t)c->dst, (uint32_t)(c->dst >> 32), c->dst_pitch,
		(uint32_t)c->dst_uv, (uint32_t)(c->dst_uv >> 32),
		(uint32_t)c->src, (uint32_t)(c->src >> 32), c->src_pitch,
		(uint32_t)c->src_uv, (uint32_t)(c->src_uv >> 32),
		c->dst_format, c->src_format, c->width, c->height, c->flags,
	};

	vmsm_lib_ok(vmsm_cs_emit(cs, dw, 16));
}

/* Submits @cs with an out-fence; returns the sync_file's status. */
static int submit_status(struct vmsm_cs *cs)
{
	struct vmsm_submit_opts opts = { .flags = VMSM_SUBMIT_FENCE_FD_OUT };
	struct vmsm_submit_out out;
	struct pollfd pfd;
	struct sync_file_info info;

	vmsm_lib_ok(vmsm_submit(cs, &opts, &out));
	igt_assert_lte(0, out.fence_fd);
	pfd.fd = out.fence_fd;
	pfd.events = POLLIN;
	igt_assert_eq(poll(&pfd, 1, JOB_TIMEOUT_NS / 1000000), 1);
	memset(&info, 0, sizeof(info));
	igt_assert_eq(igt_ioctl(out.fence_fd, SYNC_IOC_FILE_INFO, &info), 0);
	close(out.fence_fd);
	return info.status;
}

/* One CONVERT from @src into @dst in @j's command stream; its status. */
static int job_run(struct job *j, struct vmsm_vbuf *src, struct vmsm_vbuf *dst,
		   const struct convert *c)
{
	vmsm_lib_ok(vmsm_cs_reset(j->cs));
	vmsm_lib_ok(vmsm_cs_add_bo(j->cs, src->bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(j->cs, dst->bo, VMSM_SUBMIT_BO_WRITE));
	emit_convert(j->cs, c);
	return submit_status(j->cs);
}

/* ---- reference ---- */

static const struct {
	uint32_t flag;
	const char *name;
	double kr, kb;
} encodings[] = {
	{ VMSM_CP_CONVERT_BT601, "bt601", 0.299, 0.114 },
	{ VMSM_CP_CONVERT_BT709, "bt709", 0.2126, 0.0722 },
	{ VMSM_CP_CONVERT_BT2020, "bt2020", 0.2627, 0.0593 },
};

/* The exact R'G'B' of 8-bit codes in encoding @e. */
static void ycbcr_to_rgb(unsigned int e, bool full, unsigned int Y, unsigned int cb,
			 unsigned int cr, double rgb[3])
{
	vmsm_kms_ycbcr_to_rgb(encodings[e].kr, encodings[e].kb, full, 8, Y, cb, cr, rgb);
}

/* ---- NV12 to RGB ---- */

#define W	75	/* odd, more than one of the CP's 64-pixel spans */
#define H	43	/* odd */
#define NV_PITCH	96
#define RGB_PITCH	(W * 4 + 16)

static void fill_nv12(uint8_t *luma, uint8_t *chroma, unsigned int seed)
{
	unsigned int x, y;

	for (y = 0; y < H; y++)
		for (x = 0; x < NV_PITCH; x++)
			luma[y * NV_PITCH + x] = y % 8 == 0 ? (x & 2 ? 235 : 16) :
						 (x * 7 + y * 13 + seed) & 0xff;
	for (y = 0; y < (H + 1) / 2; y++)
		for (x = 0; x < NV_PITCH; x++)
			chroma[y * NV_PITCH + x] = y % 4 == 0 ? 128 :
						   (x * 11 + y * 29 + seed * 3) & 0xff;
}

static void test_from_nv12(uint32_t format)
{
	struct job j;
	unsigned int e, full, x, y, i, bad = 0;
	char first[160] = "";

	job_open(&j);
	for (e = 0; e < 3; e++) {
		for (full = 0; full < 2; full++) {
			uint8_t *luma = j.nv.ptr, *chroma = j.nv.ptr + 32768;
			struct convert c = {
				.dst = j.rgb.iova, .dst_pitch = RGB_PITCH,
				.src = j.nv.iova, .src_uv = j.nv.iova + 32768,
				.src_pitch = NV_PITCH,
				.dst_format = format, .src_format = DRM_FORMAT_NV12,
				.width = W, .height = H,
				.flags = encodings[e].flag | (full ? VMSM_CP_CONVERT_FULL_RANGE : 0),
			};

			cpu_begin(&j.nv, VMSM_PREP_WRITE);
			fill_nv12(luma, chroma, e * 2 + full);
			cpu_end(&j.nv);
			cpu_begin(&j.rgb, VMSM_PREP_WRITE);
			memset(j.rgb.ptr, 0xcd, j.rgb.size);
			cpu_end(&j.rgb);
			igt_assert_eq(job_run(&j, &j.nv, &j.rgb, &c), 1);

			cpu_begin(&j.nv, VMSM_PREP_READ);
			cpu_begin(&j.rgb, VMSM_PREP_READ);
			for (y = 0; y < H; y++) {
				for (x = 0; x < W; x++) {
					uint32_t px;
					double ref[3];

					memcpy(&px, j.rgb.ptr + y * RGB_PITCH + x * 4, 4);
					ycbcr_to_rgb(e, full, luma[y * NV_PITCH + x],
						     chroma[y / 2 * NV_PITCH + x / 2 * 2],
						     chroma[y / 2 * NV_PITCH + x / 2 * 2 + 1], ref);
					for (i = 0; i < 3; i++)
						if (!vmsm_kms_code_ok(px >> (16 - 8 * i) & 0xff,
								      ref[i]) && !bad++)
							snprintf(first, sizeof(first),
								 "%s full %u (%u, %u): %08x, exact %.3f %.3f %.3f",
								 encodings[e].name, full, x, y, px,
								 ref[0], ref[1], ref[2]);
					if (px >> 24 != 0xff && !bad++)
						snprintf(first, sizeof(first), "alpha of %08x", px);
				}
				for (x = W * 4; x < RGB_PITCH; x++)
					igt_assert_eq(j.rgb.ptr[y * RGB_PITCH + x], 0xcd);
			}
			igt_assert_eq(j.rgb.ptr[H * RGB_PITCH], 0xcd);
			cpu_end(&j.rgb);
			cpu_end(&j.nv);
		}
	}
	igt_assert_f(bad == 0, "%u codes off, first %s\n", bad, first);
	job_close(&j);
}

/* ---- RGB to NV12 ---- */

static uint32_t rgb_pixel(unsigned int x, unsigned int y)
{
	if (y % 8 == 0)
		return x & 1 ? 0xffffffff : 0xff000000;
	return 0xff000000 | ((x * 37 + y * 3) & 0xff) << 16 | ((x * 5 + y * 41) & 0xff) << 8 |
	       ((x * y + 11) & 0xff);
}

static void exact_yuv(unsigned int e, bool full, const uint32_t *px, unsigned int n,
		      double out[3])
{
	double kr = encodings[e].kr, kb = encodings[e].kb, kg = 1 - kr - kb;
	double pb = 0, pr = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		double r = (px[i] >> 16 & 0xff) / 255.0, g = (px[i] >> 8 & 0xff) / 255.0;
		double b = (px[i] & 0xff) / 255.0, y = kr * r + kg * g + kb * b;

		if (!i)
			out[0] = full ? 255 * y : 16 + 219 * y;
		pb += (b - y) / (2 * (1 - kb)) / n;
		pr += (r - y) / (2 * (1 - kr)) / n;
	}
	out[1] = 128 + (full ? 255 : 224) * pb;
	out[2] = 128 + (full ? 255 : 224) * pr;
}

static void test_to_nv12(void)
{
	struct job j;
	unsigned int e, full, x, y, n, bad = 0;
	char first[160] = "";

	job_open(&j);
	cpu_begin(&j.rgb, VMSM_PREP_WRITE);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			memcpy(j.rgb.ptr + y * RGB_PITCH + x * 4, &(uint32_t){ rgb_pixel(x, y) },
			       4);
	cpu_end(&j.rgb);
	for (e = 0; e < 3; e++) {
		for (full = 0; full < 2; full++) {
			uint8_t *luma = j.nv.ptr, *chroma = j.nv.ptr + 32768;
			struct convert c = {
				.dst = j.nv.iova, .dst_uv = j.nv.iova + 32768,
				.dst_pitch = NV_PITCH,
				.src = j.rgb.iova, .src_pitch = RGB_PITCH,
				.dst_format = DRM_FORMAT_NV12, .src_format = DRM_FORMAT_XRGB8888,
				.width = W, .height = H,
				.flags = encodings[e].flag | (full ? VMSM_CP_CONVERT_FULL_RANGE : 0),
			};

			cpu_begin(&j.nv, VMSM_PREP_WRITE);
			memset(j.nv.ptr, 0xcd, j.nv.size);
			cpu_end(&j.nv);
			igt_assert_eq(job_run(&j, &j.rgb, &j.nv, &c), 1);

			cpu_begin(&j.nv, VMSM_PREP_READ);
			for (y = 0; y < H; y++) {
				for (x = 0; x < W; x++) {
					uint32_t p = rgb_pixel(x, y);
					double ex[3];

					exact_yuv(e, full, &p, 1, ex);
					if (!vmsm_kms_code_ok(luma[y * NV_PITCH + x], ex[0]) &&
					    !bad++)
						snprintf(first, sizeof(first),
							 "%s full %u Y (%u, %u): %u, exact %.3f",
							 encodings[e].name, full, x, y,
							 luma[y * NV_PITCH + x], ex[0]);
				}
				igt_assert_eq(luma[y * NV_PITCH + W], 0xcd);
			}
			for (y = 0; y < (H + 1) / 2; y++) {
				for (x = 0; x < (W + 1) / 2; x++) {
					uint32_t blk[4];
					double ex[3];

					n = 0;
					blk[n++] = rgb_pixel(2 * x, 2 * y);
					if (2 * x + 1 < W)
						blk[n++] = rgb_pixel(2 * x + 1, 2 * y);
					if (2 * y + 1 < H) {
						blk[n++] = rgb_pixel(2 * x, 2 * y + 1);
						if (2 * x + 1 < W)
							blk[n++] = rgb_pixel(2 * x + 1, 2 * y + 1);
					}
					exact_yuv(e, full, blk, n, ex);
					if ((!vmsm_kms_code_ok(chroma[y * NV_PITCH + 2 * x],
							       ex[1]) ||
					     !vmsm_kms_code_ok(chroma[y * NV_PITCH + 2 * x + 1],
							       ex[2])) && !bad++)
						snprintf(first, sizeof(first),
							 "%s full %u CbCr (%u, %u): %u %u, exact %.3f %.3f",
							 encodings[e].name, full, x, y,
							 chroma[y * NV_PITCH + 2 * x],
							 chroma[y * NV_PITCH + 2 * x + 1], ex[1], ex[2]);
				}
				igt_assert_eq(chroma[y * NV_PITCH + W + 1], 0xcd);
			}
			igt_assert_eq(chroma[(H + 1) / 2 * NV_PITCH], 0xcd);
			cpu_end(&j.nv);
		}
	}
	igt_assert_f(bad == 0, "%u codes off, first %s\n", bad, first);
	job_close(&j);
}

/* ---- malformed packets ---- */

static void invalid(const char *what, void (*spoil)(struct convert *c))
{
	struct job j;
	struct drm_vmsm_fault_info info;
	struct convert c;
	uint64_t i;
	int status;

	job_open(&j);
	cpu_begin(&j.rgb, VMSM_PREP_WRITE);
	memset(j.rgb.ptr, 0, j.rgb.size);
	cpu_end(&j.rgb);
	c = (struct convert){
		.dst = j.rgb.iova, .dst_pitch = RGB_PITCH,
		.src = j.nv.iova, .src_uv = j.nv.iova + 32768, .src_pitch = NV_PITCH,
		.dst_format = DRM_FORMAT_XRGB8888, .src_format = DRM_FORMAT_NV12,
		.width = W, .height = H,
	};
	spoil(&c);
	status = job_run(&j, &j.nv, &j.rgb, &c);
	igt_info("%s: status %d\n", what, status);
	igt_assert_lt(status, 0);
	vmsm_lib_ok(vmsm_submitqueue_faults(j.d, 0, &info));
	igt_assert_eq_u32(info.type, VMSM_FAULT_INVALID_PACKET);
	cpu_begin(&j.rgb, VMSM_PREP_READ);
	for (i = 0; i < j.rgb.size; i++)
		igt_assert_f(j.rgb.ptr[i] == 0, "%s: byte %llu written\n", what,
			     (unsigned long long)i);
	cpu_end(&j.rgb);
	job_close(&j);
}

static void both_nv12(struct convert *c)
{
	c->dst_format = DRM_FORMAT_NV12;
	c->dst_uv = c->dst + 32768;
	c->dst_pitch = NV_PITCH;
}

static void both_rgb(struct convert *c)
{
	c->src_format = DRM_FORMAT_XRGB8888;
	c->src_uv = 0;
	c->src_pitch = RGB_PITCH;
}

static void encoding_3(struct convert *c)
{
	c->flags = 3;
}

static void reserved_flag(struct convert *c)
{
	c->flags = 1u << 8;
}

static void nv12_pitch(struct convert *c)
{
	c->src_pitch = W;	/* odd width: a chroma row needs W + 1 */
}

static void rgb_pitch(struct convert *c)
{
	c->dst_pitch = W * 4 - 4;
}

static void rgb_chroma(struct convert *c)
{
	c->dst_uv = c->dst + 4096;
}

static void bad_format(struct convert *c)
{
	c->dst_format = DRM_FORMAT_RGB565;
}

static void too_wide(struct convert *c)
{
	c->width = 16385;
	c->height = 1;
	c->src_pitch = 16386;
	c->dst_pitch = 16385 * 4;
}

static void chroma_wraps(struct convert *c)
{
	c->src_uv = ~0ull - 64;
}

static void test_invalid(void)
{
	invalid("both NV12", both_nv12);
	invalid("both RGB", both_rgb);
	invalid("encoding 3", encoding_3);
	invalid("reserved flag", reserved_flag);
	invalid("NV12 pitch below the chroma row", nv12_pitch);
	invalid("RGB pitch below the row", rgb_pitch);
	invalid("chroma address on the RGB side", rgb_chroma);
	invalid("RGB565", bad_format);
	invalid("wider than 16384", too_wide);
	invalid("chroma wraps around 2^64", chroma_wraps);
}

/*
 * A camera pipeline: an NV12 frame to XRGB8888 and back to NV12, in one
 * job; grey levels on neutral chroma come back exactly.
 */
static void test_round_trip(void)
{
	struct job j;
	struct vmsm_vbuf b;
	unsigned int x, y;

	job_open(&j);
	vmsm_vbuf_new(j.d, &b, 65536, VMSM_BO_CACHED);
	cpu_begin(&j.nv, VMSM_PREP_WRITE);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			j.nv.ptr[y * NV_PITCH + x] = 16 + (x * 3 + y) % 220;
	memset(j.nv.ptr + 32768, 128, (H + 1) / 2 * NV_PITCH);
	cpu_end(&j.nv);
	vmsm_lib_ok(vmsm_cs_add_bo(j.cs, j.nv.bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(j.cs, j.rgb.bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_add_bo(j.cs, b.bo, VMSM_SUBMIT_BO_WRITE));
	emit_convert(j.cs, &(struct convert){
		.dst = j.rgb.iova, .dst_pitch = RGB_PITCH,
		.src = j.nv.iova, .src_uv = j.nv.iova + 32768, .src_pitch = NV_PITCH,
		.dst_format = DRM_FORMAT_XRGB8888, .src_format = DRM_FORMAT_NV12,
		.width = W, .height = H, .flags = VMSM_CP_CONVERT_FULL_RANGE });
	emit_convert(j.cs, &(struct convert){
		.dst = b.iova, .dst_uv = b.iova + 32768, .dst_pitch = NV_PITCH,
		.src = j.rgb.iova, .src_pitch = RGB_PITCH,
		.dst_format = DRM_FORMAT_NV12, .src_format = DRM_FORMAT_XRGB8888,
		.width = W, .height = H, .flags = VMSM_CP_CONVERT_FULL_RANGE });
	igt_assert_eq(submit_status(j.cs), 1);
	cpu_begin(&b, VMSM_PREP_READ);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			igt_assert_eq(b.ptr[y * NV_PITCH + x], 16 + (x * 3 + y) % 220);
	for (y = 0; y < (H + 1) / 2; y++)
		for (x = 0; x < W + 1; x++)
			igt_assert_eq(b.ptr[32768 + y * NV_PITCH + x], 128);
	cpu_end(&b);
	vmsm_vbuf_free(&b);
	job_close(&j);
}

igt_main
{
	igt_fixture {
		fd = igt_vmsm_open_driver();
	}

	igt_describe("CONVERT NV12 to XRGB8888, odd size, each encoding and range, against the standard equations.");
	igt_subtest("nv12-to-xrgb8888")
		test_from_nv12(DRM_FORMAT_XRGB8888);

	igt_describe("CONVERT NV12 to ARGB8888: opaque pixels.");
	igt_subtest("nv12-to-argb8888")
		test_from_nv12(DRM_FORMAT_ARGB8888);

	igt_describe("CONVERT XRGB8888 to NV12, odd size, each encoding and range: luma per pixel, chroma of each 2x2 block's mean.");
	igt_subtest("xrgb8888-to-nv12")
		test_to_nv12();

	igt_describe("NV12 to RGB and back in one job: grey on neutral chroma is exact.");
	igt_subtest("round-trip")
		test_round_trip();

	igt_describe("Malformed CONVERT packets stop the job with an invalid-packet fault and write nothing.");
	igt_subtest("invalid")
		test_invalid();

	igt_fixture {
		drm_close_driver(fd);
	}
}
