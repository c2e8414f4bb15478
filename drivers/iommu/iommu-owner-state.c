// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: ownership state machine
 *
 * Each page of a buffer has one state byte (``IOMMU_OWNER_PG_*``). The
 * transitions below only change those bytes and report what the caller
 * must do, as runs of consecutive pages per action; they neither touch
 * memory nor sleep, so that the same code is unit-tested in userspace and
 * KUnit-tested in the kernel.
 *
 * ================ ======================================================
 * transition       effect
 * ================ ======================================================
 * begin_cpu        a device-owned page the device may have written is
 *                  invalidated, then the CPU owns it (for writing if
 *                  asked); pages the CPU already owns need nothing
 * end_cpu          pages the CPU wrote are cleaned (with write tracking:
 *                  exactly the pages a write fault marked dirty, whose
 *                  mappings are re-armed first; without it: pages taken
 *                  for writing), then the device owns them
 * begin_device     pages the device may write are marked so; pages the
 *                  CPU still owns are misuse and stay CPU-owned
 * cpu_wrote        a write fault marks the page dirty; a write to a page
 *                  the CPU does not own for writing is misuse
 * ================ ======================================================
 */

#include "iommu-owner-state.h"

static void emitter_flush(struct iommu_owner_emitter *e, enum iommu_owner_action act)
{
	if (e->count[act])
		e->emit(e->data, act, e->first[act], e->count[act]);
	e->count[act] = 0;
}

static void emitter_add(struct iommu_owner_emitter *e, enum iommu_owner_action act,
			unsigned long page)
{
	if (e->count[act] && e->first[act] + e->count[act] == page) {
		e->count[act]++;
		return;
	}
	emitter_flush(e, act);
	e->first[act] = page;
	e->count[act] = 1;
}

static void emitter_init(struct iommu_owner_emitter *e, iommu_owner_emit_t emit,
			 void *data)
{
	unsigned int i;

	e->emit = emit;
	e->data = data;
	for (i = 0; i < IOMMU_OWNER_ACT_COUNT; i++)
		e->count[i] = 0;
}

static void emitter_finish(struct iommu_owner_emitter *e)
{
	unsigned int i;

	for (i = 0; i < IOMMU_OWNER_ACT_COUNT; i++)
		emitter_flush(e, i);
}

/**
 * iommu_owner_state_begin_cpu() - the CPU takes pages from the device
 * @state: the buffer's state bytes
 * @first: first page
 * @count: number of pages
 * @write: the CPU will write (else only read)
 * @emit: receives %IOMMU_OWNER_ACT_INVALIDATE runs
 * @data: cookie for @emit
 */
void iommu_owner_state_begin_cpu(u8 *state, unsigned long first,
				 unsigned long count, bool write,
				 iommu_owner_emit_t emit, void *data)
{
	struct iommu_owner_emitter e;
	unsigned long p;

	emitter_init(&e, emit, data);
	for (p = first; p < first + count; p++) {
		u8 s = state[p];

		if (!(s & IOMMU_OWNER_PG_CPU)) {
			/*
			 * Also before a write-only access: a partly written
			 * stale line would overwrite the device's data.
			 */
			if (s & IOMMU_OWNER_PG_DEV_WRITE)
				emitter_add(&e, IOMMU_OWNER_ACT_INVALIDATE, p);
			s &= ~IOMMU_OWNER_PG_DEV_WRITE;
			s |= IOMMU_OWNER_PG_CPU;
		}
		if (write)
			s |= IOMMU_OWNER_PG_CPU_WRITE;
		state[p] = s;
	}
	emitter_finish(&e);
}

static bool end_cpu_needs_clean(u8 s, bool wrote, bool tracked)
{
	if (tracked)
		return s & IOMMU_OWNER_PG_CPU_DIRTY;
	return wrote || ((s & IOMMU_OWNER_PG_CPU) && (s & IOMMU_OWNER_PG_CPU_WRITE));
}

/**
 * iommu_owner_state_end_cpu() - the CPU gives pages back to the device
 * @state: the buffer's state bytes
 * @first: first page
 * @count: number of pages
 * @wrote: the caller says the CPU wrote the whole range
 * @tracked: CPU writes are tracked per page (write faults); then only
 *	dirty pages are cleaned and @wrote is not needed
 * @emit: receives %IOMMU_OWNER_ACT_END_UNOWNED, then
 *	%IOMMU_OWNER_ACT_REARM, then %IOMMU_OWNER_ACT_CLEAN runs
 * @data: cookie for @emit
 */
void iommu_owner_state_end_cpu(u8 *state, unsigned long first,
			       unsigned long count, bool wrote, bool tracked,
			       iommu_owner_emit_t emit, void *data)
{
	struct iommu_owner_emitter e;
	unsigned long p;

	emitter_init(&e, emit, data);
	for (p = first; p < first + count; p++)
		if (!(state[p] & IOMMU_OWNER_PG_CPU))
			emitter_add(&e, IOMMU_OWNER_ACT_END_UNOWNED, p);
	emitter_finish(&e);

	/* Write-protect before cleaning: a racing write faults again. */
	for (p = first; tracked && p < first + count; p++)
		if (state[p] & IOMMU_OWNER_PG_CPU_DIRTY)
			emitter_add(&e, IOMMU_OWNER_ACT_REARM, p);
	emitter_finish(&e);

	for (p = first; p < first + count; p++) {
		if (end_cpu_needs_clean(state[p], wrote, tracked))
			emitter_add(&e, IOMMU_OWNER_ACT_CLEAN, p);
		state[p] &= ~(IOMMU_OWNER_PG_CPU | IOMMU_OWNER_PG_CPU_WRITE |
			      IOMMU_OWNER_PG_CPU_DIRTY);
	}
	emitter_finish(&e);
}

/**
 * iommu_owner_state_cpu_owned() - count pages the CPU owns
 * @state: the buffer's state bytes
 * @first: first page
 * @count: number of pages
 *
 * Return: the number of CPU-owned pages in the range.
 */
unsigned long iommu_owner_state_cpu_owned(const u8 *state, unsigned long first,
					  unsigned long count)
{
	unsigned long p, n = 0;

	for (p = first; p < first + count; p++)
		if (state[p] & IOMMU_OWNER_PG_CPU)
			n++;
	return n;
}

/**
 * iommu_owner_state_begin_device() - the device is about to access pages
 * @state: the buffer's state bytes
 * @first: first page
 * @count: number of pages
 * @write: the device may write them
 * @emit: receives %IOMMU_OWNER_ACT_DEVICE_ON_CPU runs
 * @data: cookie for @emit
 *
 * Nothing needs maintenance here: pages reach the device cleaned by
 * end_cpu. CPU-owned pages stay CPU-owned, so the misuse shows.
 */
void iommu_owner_state_begin_device(u8 *state, unsigned long first,
				    unsigned long count, bool write,
				    iommu_owner_emit_t emit, void *data)
{
	struct iommu_owner_emitter e;
	unsigned long p;

	emitter_init(&e, emit, data);
	for (p = first; p < first + count; p++) {
		if (state[p] & IOMMU_OWNER_PG_CPU)
			emitter_add(&e, IOMMU_OWNER_ACT_DEVICE_ON_CPU, p);
		if (write)
			state[p] |= IOMMU_OWNER_PG_DEV_WRITE;
	}
	emitter_finish(&e);
}

/**
 * iommu_owner_state_cpu_wrote() - a write fault on a tracked CPU mapping
 * @state: the buffer's state bytes
 * @page: the page written
 * @emit: receives an %IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED run on misuse
 * @data: cookie for @emit
 */
void iommu_owner_state_cpu_wrote(u8 *state, unsigned long page,
				 iommu_owner_emit_t emit, void *data)
{
	u8 want = IOMMU_OWNER_PG_CPU | IOMMU_OWNER_PG_CPU_WRITE;

	if ((state[page] & want) != want)
		emit(data, IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED, page, 1);
	state[page] |= IOMMU_OWNER_PG_CPU_DIRTY;
}
