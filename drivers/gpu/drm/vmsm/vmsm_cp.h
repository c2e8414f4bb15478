/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_CP_H__
#define __VMSM_CP_H__

#include <linux/types.h>

#include "vmsm_pgtable.h"

/* Largest COPY/FILL size, and largest rectangle side, the CP accepts. */
#define VMSM_CP_MAX_XFER		(1ull << 32)
#define VMSM_CP_MAX_RECT		16384u

/* Longest packet the CP decodes at once: a header and CONVERT's 15 dwords. */
#define VMSM_CP_MAX_PKT_DWORDS		16u

/* &vmsm_cp.err_opcode when the packet's header could not be read. */
#define VMSM_CP_NO_OPCODE		0xffffffffu

/**
 * struct vmsm_cp_pkt - one decoded and validated packet
 * @opcode: &enum vmsm_cp_opcode
 * @count: payload dwords
 * @u: the opcode's arguments; @u.write.data points at the first data dword
 *	in the decoded buffer when the whole payload was available, else it
 *	is NULL, and @u.write.n is the number of data dwords.
 */
struct vmsm_cp_pkt {
	u32 opcode;
	u32 count;
	union {
		struct {
			u64 addr;
			const u32 *data;
			u32 n;
		} write;
		struct {
			u64 dst, src, size;
		} copy;
		struct {
			u64 dst, size;
			u32 pattern;
		} fill;
		struct {
			u64 dst;
			u32 pitch, format, x, y, width, height, color;
		} rect;
		struct {
			u64 dst, src;
			u32 dst_pitch, src_pitch, format;
			u32 dst_x, dst_y, src_x, src_y, width, height;
		} blit;
		struct {
			u64 dst, dst_uv, src, src_uv;
			u32 dst_pitch, src_pitch, dst_format, src_format;
			u32 width, height, flags;
		} convert;
		struct {
			u64 addr;
			u32 size;
		} ib;
		struct {
			u64 addr;
			u32 ref, mask, func;
		} wait;
		struct {
			u64 addr;
		} ts;
		struct {
			u64 addr;
			u32 value;
		} fence;
	} u;
};

/**
 * enum vmsm_cp_status - why a command stream stopped
 * @VMSM_CP_OK: ran to the end
 * @VMSM_CP_INVALID: invalid packet
 * @VMSM_CP_FAULT: memory access faulted (see the memory ops)
 * @VMSM_CP_ABORTED: the job was cancelled (timeout, reset)
 */
enum vmsm_cp_status {
	VMSM_CP_OK = 0,
	VMSM_CP_INVALID,
	VMSM_CP_FAULT,
	VMSM_CP_ABORTED,
};

/**
 * struct vmsm_cp_mem_ops - how the CP reaches memory and time
 * @map: map @len bytes (1 to %VMSM_PT_GRANULE) of GPU VA @va for CPU
 *	access by the CP, for writing if @write; the range never crosses a
 *	granule boundary (&struct vmsm_pt_chunk). Return a pointer to the
 *	first byte, aligned like @va within its granule, or NULL on a fault
 *	(the op records the fault).
 *	The CP holds at most two mappings at a time and releases them in the
 *	reverse order of creation, so the op may use kmap_local_page().
 * @unmap: release a pointer returned by @map; @write is the value given
 *	to @map.
 * @timestamp: current GPU timestamp.
 * @wait: called while WAIT_MEM polls, with no mapping held; sleep a
 *	little and return 0, or return non-zero if the job was cancelled.
 * @poll: optional (may be NULL), called before every packet with no
 *	mapping held; may reschedule, and returns non-zero if the job was
 *	cancelled. Indirect buffers let a small stream run a huge number
 *	of packets, so this is how a timeout reaches a job that never waits.
 */
struct vmsm_cp_mem_ops {
	void *(*map)(void *ctx, u64 va, u32 len, bool write);
	void (*unmap)(void *ctx, void *ptr, bool write);
	u64 (*timestamp)(void *ctx);
	int (*wait)(void *ctx);
	int (*poll)(void *ctx);
};

/**
 * struct vmsm_cp - state of one command processor execution
 * @ops: memory services, set by the caller
 * @ctx: argument of every @ops call, set by the caller
 * @status: why execution stopped
 * @err_va: GPU address of the header of the packet that stopped execution
 *	(of the stream itself if its address or size is invalid, of the next
 *	packet if &vmsm_cp_mem_ops.poll cancelled the job); 0 if @status is
 *	%VMSM_CP_OK
 * @err_opcode: its opcode (bits 31..24 of the header, even an unknown
 *	one), or %VMSM_CP_NO_OPCODE if the header could not be read; 0 if
 *	@status is %VMSM_CP_OK
 * @packets: number of packets executed to completion, in every stream
 */
struct vmsm_cp {
	const struct vmsm_cp_mem_ops *ops;
	void *ctx;
	enum vmsm_cp_status status;
	u64 err_va;
	u32 err_opcode;
	u64 packets;
};

int vmsm_cp_decode(const u32 *dw, u32 avail, struct vmsm_cp_pkt *pkt);
enum vmsm_cp_status vmsm_cp_execute(struct vmsm_cp *cp, u64 va, u32 ndw);

#endif /* __VMSM_CP_H__ */
