// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: command processor: execution
 *
 * vmsm_cp_execute() runs a command stream the way the virtual GPU's
 * command processor does: it fetches each packet from GPU memory, decodes
 * it with vmsm_cp_decode() and executes it, then moves on to the next one.
 * Every access to GPU memory, the stream included, goes through the
 * caller's &struct vmsm_cp_mem_ops. Its map op gives a CPU pointer to at
 * most one 4 KiB GPU page's worth of bytes, which the CP releases with the
 * unmap op before mapping anything else, except for copies, which map a
 * source chunk and then a destination chunk and release them in reverse
 * order. The executor keeps no more of the stream than one packet's fixed
 * part (%VMSM_CP_MAX_PKT_DWORDS); WRITE data is copied from the stream to
 * its destination in chunks, and NOP payloads are skipped without being
 * read. Packets are fetched when they execute, so a WRITE into a later
 * part of the stream takes effect.
 *
 * Execution stops at the first packet that cannot complete, with
 * &vmsm_cp.status, &vmsm_cp.err_va (the packet header's GPU address) and
 * &vmsm_cp.err_opcode set:
 *
 * - %VMSM_CP_INVALID: vmsm_cp_decode() rejects the packet, the packet
 *   runs past the end of its stream, an INDIRECT packet would nest deeper
 *   than %VMSM_CP_MAX_IB_DEPTH buffers below the top-level stream, or the
 *   top-level stream is not 4-byte aligned or wraps around 2^64 (then
 *   &vmsm_cp.err_va is the stream's address);
 * - %VMSM_CP_FAULT: the map op failed, while fetching the packet or
 *   executing it; the packet may have been partly executed;
 * - %VMSM_CP_ABORTED: the wait op asked a polling WAIT_MEM to give up, or
 *   the poll op, called before every packet, cancelled the job
 *   (&vmsm_cp.err_va is then the next packet's address and
 *   &vmsm_cp.err_opcode %VMSM_CP_NO_OPCODE).
 *
 * Per opcode:
 *
 * - COPY, WRITE, FILL: chunk by chunk in increasing address order;
 * - FILL_RECT and BLIT: row by row from the top, each row chunk by chunk
 *   from the left. The rectangles of a BLIT may overlap; the CP then
 *   guarantees neither the old nor the new contents in the overlap, only
 *   that no byte outside the two rectangles is read or written;
 * - INDIRECT: the buffer runs to its end, then execution continues after
 *   the INDIRECT packet;
 * - WAIT_MEM: reads the 32-bit value, and until the comparison holds calls
 *   the wait op and reads it again; only the wait op bounds the polling;
 * - TIMESTAMP: stores the timestamp op's value as a 64-bit little-endian
 *   word;
 * - FENCE: a write barrier, then the 32-bit value, so that whoever sees
 *   the value sees every earlier write of the job;
 * - CONVERT: from NV12, row by row from the top; to NV12, by pairs of
 *   rows (the last one alone for an odd height); each row in spans of 64
 *   pixels from the left, luma before chroma. The arithmetic is that of
 *   "Y'CbCr conversions" (vmsm_yuv.c), shared with the display engine.
 *
 * &vmsm_cp.packets counts the packets that completed, NOPs and INDIRECT
 * packets included (an INDIRECT packet counts once its buffer starts).
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/types.h>

#include <asm/barrier.h>
#include <asm/byteorder.h>

#include <kunit/visibility.h>

#include <drm/drm_fourcc.h>
#include <drm/vmsm_drm.h>

#include "vmsm_cp.h"
#include "vmsm_yuv.h"

/* The part of a stream, the top-level one or an indirect buffer, left to run. */
struct cp_stream {
	u64 va;
	u32 left;
};

/* Reads @len bytes at GPU VA @va into @dst. */
static enum vmsm_cp_status cp_load(struct vmsm_cp *cp, u64 va, void *dst,
				   u32 len)
{
	struct vmsm_pt_chunk c;
	void *p;

	vmsm_pt_chunk_start(&c, va, len);
	while (vmsm_pt_chunk_next(&c)) {
		p = cp->ops->map(cp->ctx, c.va, c.len, false);
		if (!p)
			return VMSM_CP_FAULT;
		memcpy((u8 *)dst + c.off, p, c.len);
		cp->ops->unmap(cp->ctx, p, false);
	}
	return VMSM_CP_OK;
}

/* Writes the @len bytes at @src to GPU VA @va. */
static enum vmsm_cp_status cp_store(struct vmsm_cp *cp, u64 va,
				    const void *src, u32 len)
{
	struct vmsm_pt_chunk c;
	void *p;

	vmsm_pt_chunk_start(&c, va, len);
	while (vmsm_pt_chunk_next(&c)) {
		p = cp->ops->map(cp->ctx, c.va, c.len, true);
		if (!p)
			return VMSM_CP_FAULT;
		memcpy(p, (const u8 *)src + c.off, c.len);
		cp->ops->unmap(cp->ctx, p, true);
	}
	return VMSM_CP_OK;
}

/*
 * Copies @size bytes from GPU VA @src to GPU VA @dst, in chunks that cross
 * a granule on neither side. The ranges may overlap (WRITE into its own
 * stream, overlapping BLIT rows): the bytes are then undefined, not the
 * accesses.
 */
static enum vmsm_cp_status cp_copy(struct vmsm_cp *cp, u64 dst, u64 src,
				   u64 size)
{
	void *s, *d;
	u32 n;

	while (size) {
		n = min(vmsm_pt_granule_left(dst, size),
			vmsm_pt_granule_left(src, size));
		s = cp->ops->map(cp->ctx, src, n, false);
		if (!s)
			return VMSM_CP_FAULT;
		d = cp->ops->map(cp->ctx, dst, n, true);
		if (!d) {
			cp->ops->unmap(cp->ctx, s, false);
			return VMSM_CP_FAULT;
		}
		memmove(d, s, n);
		cp->ops->unmap(cp->ctx, d, true);
		cp->ops->unmap(cp->ctx, s, false);
		dst += n;
		src += n;
		size -= n;
	}
	return VMSM_CP_OK;
}

/* Stores the 32-bit @value at every dword of the @size bytes at @dst. */
static enum vmsm_cp_status cp_fill(struct vmsm_cp *cp, u64 dst, u64 size,
				   u32 value)
{
	__le32 v = cpu_to_le32(value);
	struct vmsm_pt_chunk c;
	__le32 *p;
	u32 i;

	/* @dst and @size are multiples of 4, so every chunk is too. */
	vmsm_pt_chunk_start(&c, dst, size);
	while (vmsm_pt_chunk_next(&c)) {
		p = cp->ops->map(cp->ctx, c.va, c.len, true);
		if (!p)
			return VMSM_CP_FAULT;
		for (i = 0; i < c.len / 4; i++)
			p[i] = v;
		cp->ops->unmap(cp->ctx, p, true);
	}
	return VMSM_CP_OK;
}

static enum vmsm_cp_status cp_exec_write(struct vmsm_cp *cp, u64 hdr_va,
					 const struct vmsm_cp_pkt *pkt)
{
	/* The data follows the header and the two address dwords. */
	return cp_copy(cp, pkt->u.write.addr, hdr_va + 12,
		       (u64)pkt->u.write.n * 4);
}

static enum vmsm_cp_status cp_exec_copy(struct vmsm_cp *cp,
					const struct vmsm_cp_pkt *pkt)
{
	return cp_copy(cp, pkt->u.copy.dst, pkt->u.copy.src, pkt->u.copy.size);
}

static enum vmsm_cp_status cp_exec_fill(struct vmsm_cp *cp,
					const struct vmsm_cp_pkt *pkt)
{
	return cp_fill(cp, pkt->u.fill.dst, pkt->u.fill.size,
		       pkt->u.fill.pattern);
}

static enum vmsm_cp_status cp_exec_fill_rect(struct vmsm_cp *cp,
					     const struct vmsm_cp_pkt *pkt)
{
	u64 row = pkt->u.rect.dst + (u64)pkt->u.rect.y * pkt->u.rect.pitch +
		  (u64)pkt->u.rect.x * 4;
	enum vmsm_cp_status st;
	u32 r;

	/* vmsm_cp_decode() checked that the last row's end does not wrap. */
	for (r = 0; r < pkt->u.rect.height; r++) {
		st = cp_fill(cp, row, (u64)pkt->u.rect.width * 4,
			     pkt->u.rect.color);
		if (st)
			return st;
		row += pkt->u.rect.pitch;
	}
	return VMSM_CP_OK;
}

static enum vmsm_cp_status cp_exec_blit(struct vmsm_cp *cp,
					const struct vmsm_cp_pkt *pkt)
{
	u64 dst = pkt->u.blit.dst + (u64)pkt->u.blit.dst_y * pkt->u.blit.dst_pitch +
		  (u64)pkt->u.blit.dst_x * 4;
	u64 src = pkt->u.blit.src + (u64)pkt->u.blit.src_y * pkt->u.blit.src_pitch +
		  (u64)pkt->u.blit.src_x * 4;
	enum vmsm_cp_status st;
	u32 r;

	for (r = 0; r < pkt->u.blit.height; r++) {
		st = cp_copy(cp, dst, src, (u64)pkt->u.blit.width * 4);
		if (st)
			return st;
		dst += pkt->u.blit.dst_pitch;
		src += pkt->u.blit.src_pitch;
	}
	return VMSM_CP_OK;
}

/* Pixels a CONVERT converts at a time (an even number). */
#define CP_CONVERT_SPAN		64u

static enum vmsm_yuv_encoding cp_convert_encoding(u32 flags)
{
	switch (flags & VMSM_CP_CONVERT_ENCODING_MASK) {
	case VMSM_CP_CONVERT_BT709:
		return VMSM_YUV_BT709;
	case VMSM_CP_CONVERT_BT2020:
		return VMSM_YUV_BT2020;
	default:
		return VMSM_YUV_BT601;
	}
}

/* NV12 to RGB: row by row, @CP_CONVERT_SPAN pixels at a time. */
static enum vmsm_cp_status cp_convert_from_nv12(struct vmsm_cp *cp,
						const struct vmsm_cp_pkt *pkt)
{
	const typeof(pkt->u.convert) *c = &pkt->u.convert;
	u8 luma[CP_CONVERT_SPAN], chroma[CP_CONVERT_SPAN];
	__le32 rgb[CP_CONVERT_SPAN];
	struct vmsm_yuv_to_rgb m;
	enum vmsm_cp_status st;
	u32 x, y, i, n;

	vmsm_yuv_to_rgb_init(&m, cp_convert_encoding(c->flags),
			     c->flags & VMSM_CP_CONVERT_FULL_RANGE, 8);
	for (y = 0; y < c->height; y++) {
		for (x = 0; x < c->width; x += n) {
			n = min(c->width - x, CP_CONVERT_SPAN);
			st = cp_load(cp, c->src + (u64)y * c->src_pitch + x, luma, n);
			if (!st)
				st = cp_load(cp, c->src_uv + (u64)(y / 2) * c->src_pitch + x,
					     chroma, n + (n & 1));
			if (st)
				return st;
			for (i = 0; i < n; i++)
				rgb[i] = cpu_to_le32(vmsm_yuv_to_argb(&m, luma[i],
								      chroma[i & ~1u],
								      chroma[i | 1]));
			st = cp_store(cp, c->dst + (u64)y * c->dst_pitch + (u64)x * 4, rgb,
				      n * 4);
			if (st)
				return st;
		}
	}
	return VMSM_CP_OK;
}

/*
 * RGB to NV12, the @n pixels at column @x of rows @y and @y + 1 (if
 * @two): their luma, and the chroma of each up to 2x2 block.
 */
static enum vmsm_cp_status cp_convert_span_to_nv12(struct vmsm_cp *cp,
						   const struct vmsm_cp_pkt *pkt,
						   const struct vmsm_rgb_to_yuv *m,
						   u32 x, u32 y, u32 n, bool two)
{
	const typeof(pkt->u.convert) *c = &pkt->u.convert;
	u8 luma[CP_CONVERT_SPAN], chroma[CP_CONVERT_SPAN];
	__le32 raw[2][CP_CONVERT_SPAN];
	u32 block[4], i, r, k, cb, cr, rows = two ? 2 : 1;
	enum vmsm_cp_status st;

	for (r = 0; r < rows; r++) {
		st = cp_load(cp, c->src + (u64)(y + r) * c->src_pitch + (u64)x * 4,
			     raw[r], n * 4);
		if (st)
			return st;
		for (i = 0; i < n; i++)
			luma[i] = vmsm_rgb_to_y(m, le32_to_cpu(raw[r][i]));
		st = cp_store(cp, c->dst + (u64)(y + r) * c->dst_pitch + x, luma, n);
		if (st)
			return st;
	}
	for (i = 0; i < n; i += 2) {
		k = 0;
		for (r = 0; r < rows; r++) {
			block[k++] = le32_to_cpu(raw[r][i]);
			if (i + 1 < n)
				block[k++] = le32_to_cpu(raw[r][i + 1]);
		}
		vmsm_rgb_to_cbcr(m, block, k, &cb, &cr);
		chroma[i] = cb;
		chroma[i + 1] = cr;
	}
	return cp_store(cp, c->dst_uv + (u64)(y / 2) * c->dst_pitch + x, chroma,
			n + (n & 1));
}

static enum vmsm_cp_status cp_convert_to_nv12(struct vmsm_cp *cp,
					      const struct vmsm_cp_pkt *pkt)
{
	const typeof(pkt->u.convert) *c = &pkt->u.convert;
	struct vmsm_rgb_to_yuv m;
	enum vmsm_cp_status st;
	u32 x, y, n;

	vmsm_rgb_to_yuv_init(&m, cp_convert_encoding(c->flags),
			     c->flags & VMSM_CP_CONVERT_FULL_RANGE, 8);
	for (y = 0; y < c->height; y += 2) {
		for (x = 0; x < c->width; x += n) {
			n = min(c->width - x, CP_CONVERT_SPAN);
			st = cp_convert_span_to_nv12(cp, pkt, &m, x, y, n,
						     y + 1 < c->height);
			if (st)
				return st;
		}
	}
	return VMSM_CP_OK;
}

static enum vmsm_cp_status cp_exec_convert(struct vmsm_cp *cp,
					   const struct vmsm_cp_pkt *pkt)
{
	if (pkt->u.convert.src_format == DRM_FORMAT_NV12)
		return cp_convert_from_nv12(cp, pkt);
	return cp_convert_to_nv12(cp, pkt);
}

static bool cp_wait_done(u32 value, u32 ref, u32 func)
{
	switch (func) {
	case VMSM_CP_WAIT_EQ:
		return value == ref;
	case VMSM_CP_WAIT_NE:
		return value != ref;
	case VMSM_CP_WAIT_GE:
		return value >= ref;
	default: /* VMSM_CP_WAIT_LT, vmsm_cp_decode() allows no other */
		return value < ref;
	}
}

static enum vmsm_cp_status cp_exec_wait_mem(struct vmsm_cp *cp,
					    const struct vmsm_cp_pkt *pkt)
{
	enum vmsm_cp_status st;
	__le32 v;

	for (;;) {
		st = cp_load(cp, pkt->u.wait.addr, &v, sizeof(v));
		if (st)
			return st;
		if (cp_wait_done(le32_to_cpu(v) & pkt->u.wait.mask,
				 pkt->u.wait.ref, pkt->u.wait.func))
			return VMSM_CP_OK;
		if (cp->ops->wait(cp->ctx))
			return VMSM_CP_ABORTED;
	}
}

static enum vmsm_cp_status cp_exec_timestamp(struct vmsm_cp *cp,
					     const struct vmsm_cp_pkt *pkt)
{
	__le64 ts = cpu_to_le64(cp->ops->timestamp(cp->ctx));

	return cp_store(cp, pkt->u.ts.addr, &ts, sizeof(ts));
}

static enum vmsm_cp_status cp_exec_fence(struct vmsm_cp *cp,
					 const struct vmsm_cp_pkt *pkt)
{
	__le32 v = cpu_to_le32(pkt->u.fence.value);

	/* Every earlier write of the job is visible before the fence value. */
	smp_wmb();
	return cp_store(cp, pkt->u.fence.addr, &v, sizeof(v));
}

/*
 * Dwords vmsm_cp_decode() needs for a packet whose header it accepted but
 * could not decode alone: WRITE needs its address, the others (not NOP,
 * which decodes from its header) all of the packet.
 */
static u32 cp_decode_len(u32 header)
{
	if (header >> VMSM_CP_OPCODE_SHIFT == VMSM_CP_WRITE)
		return 3;
	return 1 + (header & VMSM_CP_COUNT_MASK);
}

/*
 * Fetches and decodes the packet at the start of @s into @pkt; returns
 * the dwords it occupies (at most @s->left), or 0 with the error in
 * @cp->status.
 */
static u32 cp_fetch(struct vmsm_cp *cp, const struct cp_stream *s,
		    struct vmsm_cp_pkt *pkt)
{
	__le32 raw[VMSM_CP_MAX_PKT_DWORDS];
	u32 dw[VMSM_CP_MAX_PKT_DWORDS];
	u32 i, len;
	int ret;

	cp->status = cp_load(cp, s->va, raw, sizeof(raw[0]));
	if (cp->status)
		return 0;
	dw[0] = le32_to_cpu(raw[0]);
	cp->err_opcode = dw[0] >> VMSM_CP_OPCODE_SHIFT;
	ret = vmsm_cp_decode(dw, 1, pkt);
	if (ret == -ENODATA) {
		len = cp_decode_len(dw[0]);
		if (len > s->left || len > VMSM_CP_MAX_PKT_DWORDS)
			goto invalid;
		cp->status = cp_load(cp, s->va + sizeof(raw[0]), &raw[1],
				     (len - 1) * sizeof(raw[0]));
		if (cp->status)
			return 0;
		for (i = 1; i < len; i++)
			dw[i] = le32_to_cpu(raw[i]);
		ret = vmsm_cp_decode(dw, len, pkt);
	}
	if (ret <= 0 || (u32)ret > s->left)
		goto invalid;
	return ret;

invalid:
	cp->status = VMSM_CP_INVALID;
	return 0;
}

/* Runs the packet that starts at @hdr_va; INDIRECT is the caller's. */
static enum vmsm_cp_status cp_exec(struct vmsm_cp *cp, u64 hdr_va,
				   const struct vmsm_cp_pkt *pkt)
{
	switch (pkt->opcode) {
	case VMSM_CP_WRITE:
		return cp_exec_write(cp, hdr_va, pkt);
	case VMSM_CP_COPY:
		return cp_exec_copy(cp, pkt);
	case VMSM_CP_FILL:
		return cp_exec_fill(cp, pkt);
	case VMSM_CP_FILL_RECT:
		return cp_exec_fill_rect(cp, pkt);
	case VMSM_CP_BLIT:
		return cp_exec_blit(cp, pkt);
	case VMSM_CP_WAIT_MEM:
		return cp_exec_wait_mem(cp, pkt);
	case VMSM_CP_TIMESTAMP:
		return cp_exec_timestamp(cp, pkt);
	case VMSM_CP_FENCE:
		return cp_exec_fence(cp, pkt);
	case VMSM_CP_CONVERT:
		return cp_exec_convert(cp, pkt);
	default: /* VMSM_CP_NOP */
		return VMSM_CP_OK;
	}
}

static enum vmsm_cp_status cp_stop(struct vmsm_cp *cp,
				   enum vmsm_cp_status status, u64 va)
{
	cp->status = status;
	cp->err_va = va;
	return status;
}

/**
 * vmsm_cp_execute() - run a command stream
 * @cp: the CP state; the caller sets @cp->ops and @cp->ctx, the rest is
 *	reset here
 * @va: GPU address of the stream, 4-byte aligned
 * @ndw: size of the stream in dwords (0 runs nothing)
 *
 * Fetches, checks and executes the packets of the stream at @va and of
 * the indirect buffers it calls, as the "command processor: execution"
 * documentation describes, until the end of the stream or the first
 * packet that cannot complete. Any stream content is safe to run: the
 * only loop not bounded by the stream's contents is a WAIT_MEM's polling,
 * which &vmsm_cp_mem_ops.wait ends, and &vmsm_cp_mem_ops.poll can end a
 * job between any two packets. Indirect buffers are tracked in an array
 * of %VMSM_CP_MAX_IB_DEPTH + 1 entries, without recursion.
 *
 * Return: @cp->status, with @cp->err_va, @cp->err_opcode and
 * @cp->packets set as &struct vmsm_cp describes.
 */
enum vmsm_cp_status vmsm_cp_execute(struct vmsm_cp *cp, u64 va, u32 ndw)
{
	struct cp_stream stack[VMSM_CP_MAX_IB_DEPTH + 1];
	struct vmsm_cp_pkt pkt;
	unsigned int depth = 0;
	enum vmsm_cp_status st;
	struct cp_stream *s;
	u64 hdr_va;
	u32 len;

	cp->status = VMSM_CP_OK;
	cp->err_va = 0;
	cp->err_opcode = 0;
	cp->packets = 0;
	if (ndw && (va % 4 || va + ((u64)ndw * 4 - 1) < va)) {
		cp->err_opcode = VMSM_CP_NO_OPCODE;
		return cp_stop(cp, VMSM_CP_INVALID, va);
	}
	stack[0] = (struct cp_stream){ .va = va, .left = ndw };

	for (;;) {
		s = &stack[depth];
		if (!s->left) {
			if (!depth)
				break;
			depth--;
			continue;
		}
		hdr_va = s->va;
		cp->err_opcode = VMSM_CP_NO_OPCODE;
		if (cp->ops->poll && cp->ops->poll(cp->ctx))
			return cp_stop(cp, VMSM_CP_ABORTED, hdr_va);
		len = cp_fetch(cp, s, &pkt);
		if (!len)
			return cp_stop(cp, cp->status, hdr_va);
		s->va += (u64)len * 4;
		s->left -= len;

		if (pkt.opcode == VMSM_CP_INDIRECT) {
			if (depth == VMSM_CP_MAX_IB_DEPTH)
				return cp_stop(cp, VMSM_CP_INVALID, hdr_va);
			stack[++depth] = (struct cp_stream){
				.va = pkt.u.ib.addr,
				.left = pkt.u.ib.size,
			};
		} else {
			st = cp_exec(cp, hdr_va, &pkt);
			if (st)
				return cp_stop(cp, st, hdr_va);
		}
		cp->packets++;
	}

	cp->err_opcode = 0;
	return VMSM_CP_OK;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_cp_execute);
