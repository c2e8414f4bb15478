/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Ownership state machine of the iommu-owner API: pure logic over an
 * array of per-page state bytes, shared by the kernel module, its KUnit
 * suite and the userspace unit lane.
 */
#ifndef __IOMMU_OWNER_STATE_H__
#define __IOMMU_OWNER_STATE_H__

#include <linux/types.h>

/*
 * Per-page state: a 16-bit word, flags in the low bits and the CPU's hold
 * count above them.
 *
 * Hold count (IOMMU_OWNER_PG_HOLDS_*): begin_cpu_access calls over the
 * page not yet ended by end_cpu_access. The CPU owns the page while the
 * count is not zero; the device owns it otherwise.
 * IOMMU_OWNER_PG_CPU_WRITE: the CPU took the page for writing.
 * IOMMU_OWNER_PG_DEV_WRITE: the device may have written the page since the
 *	CPU last invalidated it.
 * IOMMU_OWNER_PG_CPU_DIRTY: the CPU wrote the page (a write fault on a
 *	tracked CPU mapping) since it was last cleaned.
 */
#define IOMMU_OWNER_PG_CPU_WRITE	0x0001
#define IOMMU_OWNER_PG_DEV_WRITE	0x0002
#define IOMMU_OWNER_PG_CPU_DIRTY	0x0004
#define IOMMU_OWNER_PG_HOLDS_SHIFT	4
#define IOMMU_OWNER_PG_HOLD		(1u << IOMMU_OWNER_PG_HOLDS_SHIFT)
#define IOMMU_OWNER_PG_HOLDS_MAX	0x0fff

/* The CPU's hold count of a page. */
static inline unsigned int iommu_owner_pg_holds(u16 s)
{
	return s >> IOMMU_OWNER_PG_HOLDS_SHIFT;
}

/**
 * enum iommu_owner_action - what a transition asks its caller to do
 * @IOMMU_OWNER_ACT_CLEAN: write CPU caches back for the pages (CPU to
 *	device)
 * @IOMMU_OWNER_ACT_INVALIDATE: discard CPU cache lines of the pages
 *	(device to CPU)
 * @IOMMU_OWNER_ACT_REARM: the pages were cleaned because the CPU wrote
 *	them: write-protect their CPU mappings again so that the next write
 *	is seen
 * @IOMMU_OWNER_ACT_DEVICE_ON_CPU: misuse: the device is given pages the
 *	CPU still owns (end_cpu_access missing); the device access ends the
 *	CPU's
 * @IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED: misuse: the CPU wrote pages it does
 *	not own for writing (begin_cpu_access missing or read-only)
 * @IOMMU_OWNER_ACT_END_UNOWNED: misuse: end_cpu_access on pages the CPU
 *	does not own
 * @IOMMU_OWNER_ACT_COUNT: the number of actions (not an action)
 */
enum iommu_owner_action {
	IOMMU_OWNER_ACT_CLEAN,
	IOMMU_OWNER_ACT_INVALIDATE,
	IOMMU_OWNER_ACT_REARM,
	IOMMU_OWNER_ACT_DEVICE_ON_CPU,
	IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED,
	IOMMU_OWNER_ACT_END_UNOWNED,
	IOMMU_OWNER_ACT_COUNT,
};

/**
 * typedef iommu_owner_emit_t - receives the actions of a transition
 * @data: the caller's cookie
 * @act: the action
 * @first: first page it applies to
 * @count: number of consecutive pages (runs are merged)
 */
typedef void (*iommu_owner_emit_t)(void *data, enum iommu_owner_action act,
				   unsigned long first, unsigned long count);

/**
 * struct iommu_owner_emitter - coalesces per-page actions into runs
 * @emit: where runs go
 * @data: cookie for @emit
 * @first: first page of each action's pending run
 * @count: length of each action's pending run, 0 if none
 */
struct iommu_owner_emitter {
	iommu_owner_emit_t emit;
	void *data;
	unsigned long first[IOMMU_OWNER_ACT_COUNT];
	unsigned long count[IOMMU_OWNER_ACT_COUNT];
};

long iommu_owner_state_begin_cpu(u16 *state, unsigned long first,
				 unsigned long count, bool write,
				 iommu_owner_emit_t emit, void *data);
unsigned long iommu_owner_state_end_cpu(u16 *state, unsigned long first,
					unsigned long count, bool wrote, bool tracked,
					iommu_owner_emit_t emit, void *data);
unsigned long iommu_owner_state_cpu_owned(const u16 *state, unsigned long first,
					  unsigned long count);
unsigned long iommu_owner_state_begin_device(u16 *state, unsigned long first,
					     unsigned long count, bool write,
					     bool tracked, iommu_owner_emit_t emit,
					     void *data);
void iommu_owner_state_cpu_wrote(u16 *state, unsigned long page,
				 iommu_owner_emit_t emit, void *data);
void iommu_owner_state_device_wrote(u16 *state, unsigned long first,
				    unsigned long count);

#endif /* __IOMMU_OWNER_STATE_H__ */
