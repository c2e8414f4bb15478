// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: command processor: decoding
 *
 * vmsm_cp_decode() turns the dwords of one packet of the command stream
 * into a &struct vmsm_cp_pkt and checks every field, so that the executor
 * only ever sees packets whose memory ranges are well formed. It is pure
 * logic (no memory access beyond the dwords it is given) and is built
 * unchanged into the userspace unit tests and fuzzers.
 *
 * A packet is rejected with -EINVAL when:
 *
 * - bits 23..16 of the header are not zero, or the opcode is unknown;
 * - the payload length is not the opcode's (see &enum vmsm_cp_opcode;
 *   WRITE needs at least 3 dwords, NOP takes any length);
 * - a range wraps around the end of the 64-bit address space, that is
 *   its last byte is not above its first one (for a rectangle, the last
 *   byte is at base + (y + height - 1) * pitch + (x + width) * 4 - 1);
 * - the WRITE, WAIT_MEM, FENCE and INDIRECT addresses, the FILL
 *   destination or the FILL_RECT and BLIT surfaces are not 4-byte
 *   aligned, or the TIMESTAMP address is not 8-byte aligned (so that the
 *   32-bit and 64-bit accesses of WAIT_MEM, FENCE and TIMESTAMP are
 *   single, atomic ones);
 * - a COPY or FILL is larger than %VMSM_CP_MAX_XFER bytes, a FILL size is
 *   not a multiple of 4, or the two ranges of a COPY overlap;
 * - a FILL_RECT or BLIT format is not DRM_FORMAT_XRGB8888 or
 *   DRM_FORMAT_ARGB8888, a pitch is zero or not a multiple of 4, a width
 *   or height is above %VMSM_CP_MAX_RECT, or x + width is above pitch / 4;
 * - the WAIT_MEM function is not one of &enum vmsm_cp_wait_func;
 * - the INDIRECT size is zero;
 * - a CONVERT has reserved flag bits set or the encoding 3, not exactly
 *   one NV12 side, an RGB side that breaks the FILL_RECT rules (at x = y =
 *   0) or has a non-zero chroma address, an NV12 side whose pitch is
 *   below the width rounded up to even, a width or height above
 *   %VMSM_CP_MAX_RECT, or a plane whose last byte wraps around 2^64.
 *
 * A COPY or FILL of zero bytes, and a rectangle or CONVERT of zero width
 * or height, are valid and touch no memory. Overlapping BLIT rectangles are valid;
 * the execution documentation says what they produce.
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/types.h>

#include <kunit/visibility.h>

#include <drm/drm_fourcc.h>
#include <drm/vmsm_drm.h>

#include "vmsm_cp.h"

/* Payload dwords of each opcode: the exact length, the minimum for WRITE. */
static const u32 cp_payload_len[] = {
	[VMSM_CP_NOP] = 0,
	[VMSM_CP_WRITE] = 3,
	[VMSM_CP_COPY] = 6,
	[VMSM_CP_FILL] = 5,
	[VMSM_CP_FILL_RECT] = 9,
	[VMSM_CP_BLIT] = 13,
	[VMSM_CP_INDIRECT] = 3,
	[VMSM_CP_WAIT_MEM] = 5,
	[VMSM_CP_TIMESTAMP] = 2,
	[VMSM_CP_FENCE] = 3,
	[VMSM_CP_CONVERT] = 15,
};

static u64 cp_u64(const u32 *dw)
{
	return dw[0] | (u64)dw[1] << 32;
}

/* The @size bytes at @va do not wrap around 2^64 (true for size 0). */
static bool cp_range_ok(u64 va, u64 size)
{
	u64 last;

	return !size || !check_add_overflow(va, size - 1, &last);
}

static bool cp_format_ok(u32 format)
{
	return format == DRM_FORMAT_XRGB8888 || format == DRM_FORMAT_ARGB8888;
}

/*
 * A @width x @height rectangle at (@x, @y) of a 4-byte-per-pixel surface at
 * @base, @pitch bytes per row: the rectangle lies inside the pitch and its
 * last byte, base + (y + height - 1) * pitch + (x + width) * 4 - 1, does
 * not wrap around 2^64.
 */
static bool cp_rect_ok(u64 base, u32 pitch, u32 x, u32 y, u32 width,
		       u32 height)
{
	u64 last;

	if (base % 4 || !pitch || pitch % 4)
		return false;
	if (width > VMSM_CP_MAX_RECT || height > VMSM_CP_MAX_RECT)
		return false;
	if ((u64)x + width > pitch / 4)
		return false;
	if (!width || !height)
		return true;
	return !check_mul_overflow((u64)y + height - 1, (u64)pitch, &last) &&
	       !check_add_overflow(last, ((u64)x + width) * 4 - 1, &last) &&
	       !check_add_overflow(base, last, &last);
}

static int cp_decode_write(const u32 *dw, u32 avail, struct vmsm_cp_pkt *pkt)
{
	u64 addr = cp_u64(&dw[1]);
	u32 n = pkt->count - 2;

	if (addr % 4 || !cp_range_ok(addr, (u64)n * 4))
		return -EINVAL;
	pkt->u.write.addr = addr;
	pkt->u.write.n = n;
	pkt->u.write.data = avail > pkt->count ? &dw[3] : NULL;
	return 0;
}

static int cp_decode_copy(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	u64 dst = cp_u64(&dw[1]), src = cp_u64(&dw[3]), size = cp_u64(&dw[5]);

	if (size > VMSM_CP_MAX_XFER || !cp_range_ok(dst, size) ||
	    !cp_range_ok(src, size))
		return -EINVAL;
	/* Neither range wraps, so their last bytes are above their first. */
	if (size && dst <= src + (size - 1) && src <= dst + (size - 1))
		return -EINVAL;
	pkt->u.copy.dst = dst;
	pkt->u.copy.src = src;
	pkt->u.copy.size = size;
	return 0;
}

static int cp_decode_fill(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	u64 dst = cp_u64(&dw[1]), size = cp_u64(&dw[3]);

	if (dst % 4 || size % 4 || size > VMSM_CP_MAX_XFER ||
	    !cp_range_ok(dst, size))
		return -EINVAL;
	pkt->u.fill.dst = dst;
	pkt->u.fill.size = size;
	pkt->u.fill.pattern = dw[5];
	return 0;
}

static int cp_decode_fill_rect(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	pkt->u.rect.dst = cp_u64(&dw[1]);
	pkt->u.rect.pitch = dw[3];
	pkt->u.rect.format = dw[4];
	pkt->u.rect.x = dw[5];
	pkt->u.rect.y = dw[6];
	pkt->u.rect.width = dw[7];
	pkt->u.rect.height = dw[8];
	pkt->u.rect.color = dw[9];
	if (!cp_format_ok(pkt->u.rect.format) ||
	    !cp_rect_ok(pkt->u.rect.dst, pkt->u.rect.pitch, pkt->u.rect.x,
			pkt->u.rect.y, pkt->u.rect.width, pkt->u.rect.height))
		return -EINVAL;
	return 0;
}

static int cp_decode_blit(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	pkt->u.blit.dst = cp_u64(&dw[1]);
	pkt->u.blit.dst_pitch = dw[3];
	pkt->u.blit.src = cp_u64(&dw[4]);
	pkt->u.blit.src_pitch = dw[6];
	pkt->u.blit.format = dw[7];
	pkt->u.blit.dst_x = dw[8];
	pkt->u.blit.dst_y = dw[9];
	pkt->u.blit.src_x = dw[10];
	pkt->u.blit.src_y = dw[11];
	pkt->u.blit.width = dw[12];
	pkt->u.blit.height = dw[13];
	if (!cp_format_ok(pkt->u.blit.format) ||
	    !cp_rect_ok(pkt->u.blit.dst, pkt->u.blit.dst_pitch,
			pkt->u.blit.dst_x, pkt->u.blit.dst_y,
			pkt->u.blit.width, pkt->u.blit.height) ||
	    !cp_rect_ok(pkt->u.blit.src, pkt->u.blit.src_pitch,
			pkt->u.blit.src_x, pkt->u.blit.src_y,
			pkt->u.blit.width, pkt->u.blit.height))
		return -EINVAL;
	return 0;
}

/*
 * An NV12 image of @width x @height at @luma and @chroma, @pitch bytes per
 * row of either plane: the pitch holds a row of chroma pairs (the width
 * rounded up to even), and neither plane's last byte wraps around 2^64.
 */
static bool cp_nv12_ok(u64 luma, u64 chroma, u32 pitch, u32 width, u32 height)
{
	u32 row = width + (width & 1);
	u64 last;

	if (width > VMSM_CP_MAX_RECT || height > VMSM_CP_MAX_RECT || pitch < row)
		return false;
	if (!width || !height)
		return true;
	return !check_add_overflow(luma, (u64)(height - 1) * pitch + width - 1, &last) &&
	       !check_add_overflow(chroma, (u64)((height + 1) / 2 - 1) * pitch + row - 1,
				   &last);
}

/* One side of a CONVERT: an RGB surface (chroma 0) or an NV12 image. */
static bool cp_convert_side_ok(u32 format, u64 base, u64 chroma, u32 pitch,
			       u32 width, u32 height)
{
	if (format == DRM_FORMAT_NV12)
		return cp_nv12_ok(base, chroma, pitch, width, height);
	return cp_format_ok(format) && !chroma &&
	       cp_rect_ok(base, pitch, 0, 0, width, height);
}

static int cp_decode_convert(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	typeof(pkt->u.convert) *c = &pkt->u.convert;
	unsigned int nv12_sides;

	c->dst = cp_u64(&dw[1]);
	c->dst_pitch = dw[3];
	c->dst_uv = cp_u64(&dw[4]);
	c->src = cp_u64(&dw[6]);
	c->src_pitch = dw[8];
	c->src_uv = cp_u64(&dw[9]);
	c->dst_format = dw[11];
	c->src_format = dw[12];
	c->width = dw[13];
	c->height = dw[14];
	c->flags = dw[15];
	if (c->flags & ~(VMSM_CP_CONVERT_ENCODING_MASK | VMSM_CP_CONVERT_FULL_RANGE) ||
	    (c->flags & VMSM_CP_CONVERT_ENCODING_MASK) > VMSM_CP_CONVERT_BT2020)
		return -EINVAL;
	/* exactly one side is NV12 */
	nv12_sides = (c->dst_format == DRM_FORMAT_NV12) + (c->src_format == DRM_FORMAT_NV12);
	if (nv12_sides != 1)
		return -EINVAL;
	if (!cp_convert_side_ok(c->dst_format, c->dst, c->dst_uv, c->dst_pitch,
				c->width, c->height) ||
	    !cp_convert_side_ok(c->src_format, c->src, c->src_uv, c->src_pitch,
				c->width, c->height))
		return -EINVAL;
	return 0;
}

static int cp_decode_indirect(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	u64 addr = cp_u64(&dw[1]);
	u32 size = dw[3];

	if (!size || addr % 4 || !cp_range_ok(addr, (u64)size * 4))
		return -EINVAL;
	pkt->u.ib.addr = addr;
	pkt->u.ib.size = size;
	return 0;
}

static int cp_decode_wait_mem(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	u64 addr = cp_u64(&dw[1]);

	/* 4-byte aligned, so the 4 bytes at addr cannot wrap. */
	if (addr % 4 || dw[5] > VMSM_CP_WAIT_LT)
		return -EINVAL;
	pkt->u.wait.addr = addr;
	pkt->u.wait.ref = dw[3];
	pkt->u.wait.mask = dw[4];
	pkt->u.wait.func = dw[5];
	return 0;
}

static int cp_decode_timestamp(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	u64 addr = cp_u64(&dw[1]);

	if (addr % 8)
		return -EINVAL;
	pkt->u.ts.addr = addr;
	return 0;
}

static int cp_decode_fence(const u32 *dw, struct vmsm_cp_pkt *pkt)
{
	u64 addr = cp_u64(&dw[1]);

	if (addr % 4)
		return -EINVAL;
	pkt->u.fence.addr = addr;
	pkt->u.fence.value = dw[3];
	return 0;
}

/* Checks the header; returns the dwords needed to decode the packet. */
static int cp_decode_header(u32 header, struct vmsm_cp_pkt *pkt)
{
	u32 opcode = header >> VMSM_CP_OPCODE_SHIFT;
	u32 count = header & VMSM_CP_COUNT_MASK;
	u32 len;

	if (header & VMSM_CP_RESERVED_MASK || opcode > VMSM_CP_CONVERT)
		return -EINVAL;
	len = cp_payload_len[opcode];
	if (opcode == VMSM_CP_WRITE && count < len)
		return -EINVAL;
	if (opcode != VMSM_CP_WRITE && opcode != VMSM_CP_NOP && count != len)
		return -EINVAL;
	pkt->opcode = opcode;
	pkt->count = count;
	/* WRITE's data dwords are not needed to decode it. */
	return opcode == VMSM_CP_WRITE ? 3 : 1 + len;
}

/**
 * vmsm_cp_decode() - decode and validate one command stream packet
 * @dw: the packet's dwords, in CPU byte order, header first
 * @avail: number of dwords readable at @dw
 * @pkt: where to store the decoded packet
 *
 * Checks the header, then every argument, following the rules of the
 * "command processor: decoding" documentation. The header alone tells
 * how many dwords the decoding needs: 1 for NOP, 3 (header and address)
 * for WRITE, whose data dwords the executor streams instead, and the
 * whole packet for the other opcodes. @pkt->u.write.data is set only if
 * @avail covers the whole WRITE packet, and is NULL otherwise.
 *
 * Return: the number of dwords the packet occupies (1 + payload), which
 * for NOP and WRITE may exceed @avail; -EINVAL if the header is invalid,
 * or if an argument is once the dwords decoding needs are available;
 * -ENODATA if @avail is zero, or the header is valid but @avail is
 * smaller than the dwords decoding needs. @pkt is undefined after an
 * error.
 */
int vmsm_cp_decode(const u32 *dw, u32 avail, struct vmsm_cp_pkt *pkt)
{
	int need, ret;

	if (!avail)
		return -ENODATA;
	*pkt = (struct vmsm_cp_pkt){};
	need = cp_decode_header(dw[0], pkt);
	if (need < 0)
		return need;
	if (avail < (u32)need)
		return -ENODATA;

	switch (pkt->opcode) {
	case VMSM_CP_WRITE:
		ret = cp_decode_write(dw, avail, pkt);
		break;
	case VMSM_CP_COPY:
		ret = cp_decode_copy(dw, pkt);
		break;
	case VMSM_CP_FILL:
		ret = cp_decode_fill(dw, pkt);
		break;
	case VMSM_CP_FILL_RECT:
		ret = cp_decode_fill_rect(dw, pkt);
		break;
	case VMSM_CP_BLIT:
		ret = cp_decode_blit(dw, pkt);
		break;
	case VMSM_CP_INDIRECT:
		ret = cp_decode_indirect(dw, pkt);
		break;
	case VMSM_CP_WAIT_MEM:
		ret = cp_decode_wait_mem(dw, pkt);
		break;
	case VMSM_CP_TIMESTAMP:
		ret = cp_decode_timestamp(dw, pkt);
		break;
	case VMSM_CP_FENCE:
		ret = cp_decode_fence(dw, pkt);
		break;
	case VMSM_CP_CONVERT:
		ret = cp_decode_convert(dw, pkt);
		break;
	default: /* VMSM_CP_NOP */
		ret = 0;
		break;
	}
	if (ret)
		return ret;
	return 1 + pkt->count;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_cp_decode);
