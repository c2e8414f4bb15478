// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: ownership state machine
 *
 * Each page of a buffer has one 16-bit state word (``IOMMU_OWNER_PG_*``):
 * flags, and the number of CPU accesses begun over the page and not yet
 * ended (its hold count). Ownership moves per CPU page: a byte range
 * covers every page it touches, the CPU owns a page while its hold count
 * is not zero, and the page returns to the device when the last access
 * over it ends. Accesses over disjoint ranges that share a page (two
 * halves of a page, begun and ended in any order) are therefore correct
 * usage and report nothing; the price is that ending an access over a
 * range the CPU never began is only seen once no access over its pages is
 * open.
 *
 * The transitions below only change those words and report what the
 * caller must do, as runs of consecutive pages per action; they neither
 * touch memory nor sleep, so that the same code is unit-tested in
 * userspace and KUnit-tested in the kernel.
 *
 * ================ ======================================================
 * transition       effect
 * ================ ======================================================
 * begin_cpu        a device-owned page the device may have written is
 *                  invalidated, then the CPU holds it once more (for
 *                  writing if asked); refused, changing nothing, if a
 *                  page is held %IOMMU_OWNER_PG_HOLDS_MAX times already
 * end_cpu          the CPU holds each page once less; pages it no longer
 *                  holds (and pages it wrote without holding them) are
 *                  released: those the CPU wrote are cleaned (with write
 *                  tracking: exactly the pages a write fault marked
 *                  dirty, whose mappings are re-armed first; without it:
 *                  pages taken for writing), then the device owns them.
 *                  Ending an access over pages the CPU does not hold is
 *                  misuse
 * begin_device     pages the CPU still holds are misuse, and the device
 *                  access ends the CPU's: they are released as by
 *                  end_cpu; then pages the device may write are marked
 *                  so. A page the CPU wrote without holding it is not
 *                  cleaned: the device sees stale data
 * device_wrote     a device access that began without begin_device (the
 *                  caller learns of it afterwards) may have written the
 *                  pages the CPU does not hold: marked so
 * cpu_wrote        a write fault marks the page dirty; a write to a page
 *                  the CPU does not hold for writing is misuse, and a
 *                  page the device may have written is invalidated first,
 *                  so that the write lands on the device's data and is
 *                  cleaned by the next end_cpu over the page
 * ================ ======================================================
 *
 * A page the device wrote is invalidated before the CPU holds or writes
 * it, and a page the CPU wrote under an access is cleaned before the
 * device is given it, so no such write is dropped. The one write that can
 * be is a CPU write made with no access begun, which the device does not
 * see until an end_cpu over its page: if the device writes the page
 * first, the next begin_cpu invalidates it. That write was misuse and was
 * reported when it happened.
 */

#include <linux/errno.h>

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
 * @state: the buffer's state words
 * @first: first page
 * @count: number of pages
 * @write: the CPU will write (else only read)
 * @emit: receives %IOMMU_OWNER_ACT_INVALIDATE runs
 * @data: cookie for @emit
 *
 * Return: the number of pages the CPU did not hold before (whose hold
 * count went from 0 to 1), or -EBUSY, with nothing changed, if a page is
 * held %IOMMU_OWNER_PG_HOLDS_MAX times already.
 */
long iommu_owner_state_begin_cpu(u16 *state, unsigned long first,
				 unsigned long count, bool write,
				 iommu_owner_emit_t emit, void *data)
{
	struct iommu_owner_emitter e;
	unsigned long p;
	long taken = 0;

	for (p = first; p < first + count; p++)
		if (iommu_owner_pg_holds(state[p]) == IOMMU_OWNER_PG_HOLDS_MAX)
			return -EBUSY;

	emitter_init(&e, emit, data);
	for (p = first; p < first + count; p++) {
		u16 s = state[p];

		if (!iommu_owner_pg_holds(s)) {
			/*
			 * Also before a write-only access: a partly written
			 * stale line would overwrite the device's data.
			 */
			if (s & IOMMU_OWNER_PG_DEV_WRITE)
				emitter_add(&e, IOMMU_OWNER_ACT_INVALIDATE, p);
			s &= ~IOMMU_OWNER_PG_DEV_WRITE;
			taken++;
		}
		s += IOMMU_OWNER_PG_HOLD;
		if (write)
			s |= IOMMU_OWNER_PG_CPU_WRITE;
		state[p] = s;
	}
	emitter_finish(&e);
	return taken;
}

static bool release_needs_clean(u16 s, bool wrote, bool tracked)
{
	if (tracked)
		return s & IOMMU_OWNER_PG_CPU_DIRTY;
	return wrote || (s & IOMMU_OWNER_PG_CPU_WRITE);
}

/*
 * Gives the pages marked in @release back to the device: re-arm (tracked)
 * and clean what the CPU wrote, in that order, then clear the CPU's
 * flags. @release(state) tells which pages go. Returns how many of them
 * the CPU held.
 */
static unsigned long release_pages(u16 *state, unsigned long first,
				   unsigned long count, bool wrote, bool tracked,
				   bool (*release)(u16 s),
				   struct iommu_owner_emitter *e)
{
	unsigned long p, held = 0;

	/* Write-protect before cleaning: a racing write faults again. */
	for (p = first; tracked && p < first + count; p++)
		if (release(state[p]) && (state[p] & IOMMU_OWNER_PG_CPU_DIRTY))
			emitter_add(e, IOMMU_OWNER_ACT_REARM, p);
	emitter_finish(e);

	for (p = first; p < first + count; p++) {
		if (!release(state[p]))
			continue;
		if (release_needs_clean(state[p], wrote, tracked))
			emitter_add(e, IOMMU_OWNER_ACT_CLEAN, p);
		if (iommu_owner_pg_holds(state[p]))
			held++;
		state[p] &= IOMMU_OWNER_PG_DEV_WRITE;
	}
	emitter_finish(e);
	return held;
}

/* Pages no access holds any more, or that the CPU wrote without a hold. */
static bool released_by_end(u16 s)
{
	return !iommu_owner_pg_holds(s);
}

/**
 * iommu_owner_state_end_cpu() - the CPU gives pages back to the device
 * @state: the buffer's state words
 * @first: first page
 * @count: number of pages
 * @wrote: the caller says the CPU wrote the whole range
 * @tracked: CPU writes are tracked per page (write faults); then only
 *	dirty pages are cleaned and @wrote is not needed
 * @emit: receives %IOMMU_OWNER_ACT_END_UNOWNED, then
 *	%IOMMU_OWNER_ACT_REARM, then %IOMMU_OWNER_ACT_CLEAN runs
 * @data: cookie for @emit
 *
 * Return: the number of pages the CPU no longer holds (whose hold count
 * went from 1 to 0).
 */
unsigned long iommu_owner_state_end_cpu(u16 *state, unsigned long first,
					unsigned long count, bool wrote, bool tracked,
					iommu_owner_emit_t emit, void *data)
{
	struct iommu_owner_emitter e;
	unsigned long p, released = 0;

	emitter_init(&e, emit, data);
	for (p = first; p < first + count; p++) {
		if (!iommu_owner_pg_holds(state[p])) {
			emitter_add(&e, IOMMU_OWNER_ACT_END_UNOWNED, p);
			continue;
		}
		state[p] -= IOMMU_OWNER_PG_HOLD;
		if (!iommu_owner_pg_holds(state[p]))
			released++;
		/* Still held: the last end cleans what this one wrote. */
		if (wrote && !tracked)
			state[p] |= IOMMU_OWNER_PG_CPU_WRITE;
	}
	emitter_finish(&e);
	release_pages(state, first, count, wrote, tracked, released_by_end, &e);
	return released;
}

/**
 * iommu_owner_state_cpu_owned() - count pages the CPU owns
 * @state: the buffer's state words
 * @first: first page
 * @count: number of pages
 *
 * Return: the number of pages in the range the CPU holds.
 */
unsigned long iommu_owner_state_cpu_owned(const u16 *state, unsigned long first,
					  unsigned long count)
{
	unsigned long p, n = 0;

	for (p = first; p < first + count; p++)
		if (iommu_owner_pg_holds(state[p]))
			n++;
	return n;
}

/*
 * Pages the CPU holds: the device access ends the CPU's. A write made
 * without any access begun stays with the CPU (the device sees stale
 * data, the point of the model) until an end_cpu releases the page.
 */
static bool released_by_device(u16 s)
{
	return iommu_owner_pg_holds(s);
}

/**
 * iommu_owner_state_begin_device() - the device is about to access pages
 * @state: the buffer's state words
 * @first: first page
 * @count: number of pages
 * @write: the device may write them
 * @tracked: CPU writes are tracked per page (see end_cpu)
 * @emit: receives %IOMMU_OWNER_ACT_DEVICE_ON_CPU, then
 *	%IOMMU_OWNER_ACT_REARM, then %IOMMU_OWNER_ACT_CLEAN runs
 * @data: cookie for @emit
 *
 * Pages reach the device cleaned by end_cpu; pages the CPU still holds
 * are misuse, reported, and released here so that nothing the CPU wrote
 * is lost and the CPU's next access invalidates what the device writes.
 *
 * Return: the number of pages the CPU held and no longer holds.
 */
unsigned long iommu_owner_state_begin_device(u16 *state, unsigned long first,
					     unsigned long count, bool write,
					     bool tracked, iommu_owner_emit_t emit,
					     void *data)
{
	struct iommu_owner_emitter e;
	unsigned long p, released;

	emitter_init(&e, emit, data);
	for (p = first; p < first + count; p++)
		if (iommu_owner_pg_holds(state[p]))
			emitter_add(&e, IOMMU_OWNER_ACT_DEVICE_ON_CPU, p);
	emitter_finish(&e);
	released = release_pages(state, first, count, false, tracked,
				 released_by_device, &e);
	for (p = first; write && p < first + count; p++)
		state[p] |= IOMMU_OWNER_PG_DEV_WRITE;
	return released;
}

/**
 * iommu_owner_state_cpu_wrote() - a write fault on a tracked CPU mapping
 * @state: the buffer's state words
 * @page: the page written
 * @emit: receives an %IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED run on misuse,
 *	then an %IOMMU_OWNER_ACT_INVALIDATE run if the page the CPU does not
 *	hold may hold device writes
 * @data: cookie for @emit
 */
void iommu_owner_state_cpu_wrote(u16 *state, unsigned long page,
				 iommu_owner_emit_t emit, void *data)
{
	u16 s = state[page];

	if (!iommu_owner_pg_holds(s) || !(s & IOMMU_OWNER_PG_CPU_WRITE))
		emit(data, IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED, page, 1);
	if (!iommu_owner_pg_holds(s) && (s & IOMMU_OWNER_PG_DEV_WRITE)) {
		emit(data, IOMMU_OWNER_ACT_INVALIDATE, page, 1);
		s &= ~IOMMU_OWNER_PG_DEV_WRITE;
	}
	state[page] = s | IOMMU_OWNER_PG_CPU_DIRTY;
}

/**
 * iommu_owner_state_device_wrote() - the device may have written pages
 * @state: the buffer's state words
 * @first: first page
 * @count: number of pages
 *
 * For device accesses the caller could not announce with begin_device:
 * pages the CPU does not hold are marked as possibly written by the
 * device, so that the CPU's next begin invalidates them. Pages the CPU
 * holds were not the device's to write.
 */
void iommu_owner_state_device_wrote(u16 *state, unsigned long first,
				    unsigned long count)
{
	unsigned long p;

	for (p = first; p < first + count; p++)
		if (!iommu_owner_pg_holds(state[p]))
			state[p] |= IOMMU_OWNER_PG_DEV_WRITE;
}
