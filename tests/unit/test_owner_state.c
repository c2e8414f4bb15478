// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of drivers/iommu/iommu-owner-state.c: the ownership state
 * machine of the iommu-owner API, and the runs of maintenance it asks for.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu-owner-state.h"

#define NR	16

struct run {
	enum iommu_owner_action act;
	unsigned long first, count;
};

static struct run runs[64];
static unsigned int nr_runs;
static u16 st[NR];

static void emit(void *data, enum iommu_owner_action act, unsigned long first,
		 unsigned long count)
{
	(void)data;
	assert_true(nr_runs < 64);
	runs[nr_runs++] = (struct run){ act, first, count };
}

static int setup(void **state)
{
	(void)state;
	memset(st, 0, sizeof(st));
	nr_runs = 0;
	return 0;
}

static void expect(unsigned int i, enum iommu_owner_action act, unsigned long first,
		   unsigned long count)
{
	assert_true(i < nr_runs);
	assert_int_equal(runs[i].act, act);
	assert_int_equal(runs[i].first, first);
	assert_int_equal(runs[i].count, count);
}

/* Device-owned pages without device writes need nothing for the CPU. */
static void test_begin_cpu_clean_pages(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 0, NR, false, emit, NULL);
	assert_int_equal(nr_runs, 0);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 0, NR), NR);
	assert_int_equal(iommu_owner_pg_holds(st[3]), 1);
	assert_int_equal(st[3] & ~(IOMMU_OWNER_PG_HOLDS_MAX << IOMMU_OWNER_PG_HOLDS_SHIFT), 0);
}

/* Device writes are invalidated in runs, once. */
static void test_invalidate_runs(void **state)
{
	(void)state;
	iommu_owner_state_begin_device(st, 2, 3, true, false, emit, NULL);
	iommu_owner_state_begin_device(st, 9, 1, true, false, emit, NULL);
	assert_int_equal(nr_runs, 0);
	iommu_owner_state_begin_cpu(st, 0, NR, false, emit, NULL);
	assert_int_equal(nr_runs, 2);
	expect(0, IOMMU_OWNER_ACT_INVALIDATE, 2, 3);
	expect(1, IOMMU_OWNER_ACT_INVALIDATE, 9, 1);
	/* Already CPU-owned: nothing again. */
	iommu_owner_state_begin_cpu(st, 0, NR, true, emit, NULL);
	assert_int_equal(nr_runs, 2);
}

/* A device that only reads leaves nothing to invalidate. */
static void test_device_read_no_invalidate(void **state)
{
	(void)state;
	iommu_owner_state_begin_device(st, 0, NR, false, false, emit, NULL);
	iommu_owner_state_begin_cpu(st, 0, NR, true, emit, NULL);
	assert_int_equal(nr_runs, 0);
}

/* Untracked: pages taken for writing are cleaned at the end. */
static void test_end_cpu_untracked(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 1, 2, true, emit, NULL);
	iommu_owner_state_begin_cpu(st, 3, 2, false, emit, NULL);
	iommu_owner_state_end_cpu(st, 1, 4, false, false, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_CLEAN, 1, 2);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 0, NR), 0);
}

/* The caller may say the CPU wrote the whole range. */
static void test_end_cpu_wrote(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 0, 4, false, emit, NULL);
	iommu_owner_state_end_cpu(st, 0, 4, true, false, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_CLEAN, 0, 4);
}

/* Tracked: exactly the dirty pages, re-armed before being cleaned. */
static void test_end_cpu_tracked(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 0, NR, true, emit, NULL);
	iommu_owner_state_cpu_wrote(st, 4, emit, NULL);
	iommu_owner_state_cpu_wrote(st, 5, emit, NULL);
	iommu_owner_state_cpu_wrote(st, 11, emit, NULL);
	assert_int_equal(nr_runs, 0);
	iommu_owner_state_end_cpu(st, 0, NR, false, true, emit, NULL);
	assert_int_equal(nr_runs, 4);
	expect(0, IOMMU_OWNER_ACT_REARM, 4, 2);
	expect(1, IOMMU_OWNER_ACT_REARM, 11, 1);
	expect(2, IOMMU_OWNER_ACT_CLEAN, 4, 2);
	expect(3, IOMMU_OWNER_ACT_CLEAN, 11, 1);
	assert_int_equal(st[4], 0);
	/* Clean now: a second end cleans nothing (and is misuse). */
	nr_runs = 0;
	iommu_owner_state_end_cpu(st, 4, 1, false, true, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_END_UNOWNED, 4, 1);
}

/* Only the range given is handed back. */
static void test_end_cpu_partial(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 0, NR, true, emit, NULL);
	iommu_owner_state_end_cpu(st, 6, 2, false, false, emit, NULL);
	expect(0, IOMMU_OWNER_ACT_CLEAN, 6, 2);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 0, NR), NR - 2);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 6, 2), 0);
}

/*
 * Misuse: the device given CPU-owned pages. The device access ends the
 * CPU's: what the CPU took for writing is cleaned, the pages are the
 * device's, and the next CPU access invalidates.
 */
static void test_device_on_cpu(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 3, 3, true, emit, NULL);
	iommu_owner_state_begin_device(st, 0, NR, true, false, emit, NULL);
	assert_int_equal(nr_runs, 2);
	expect(0, IOMMU_OWNER_ACT_DEVICE_ON_CPU, 3, 3);
	expect(1, IOMMU_OWNER_ACT_CLEAN, 3, 3);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 0, NR), 0);
	assert_true(st[0] & IOMMU_OWNER_PG_DEV_WRITE);
	assert_true(st[4] & IOMMU_OWNER_PG_DEV_WRITE);
	nr_runs = 0;
	iommu_owner_state_begin_cpu(st, 3, 1, false, emit, NULL);
	expect(0, IOMMU_OWNER_ACT_INVALIDATE, 3, 1);
}

/*
 * The example of a lost GPU write: the CPU reads under a PREP that is
 * never ended, the GPU writes; the next PREP must invalidate.
 */
static void test_submit_without_fini(void **state)
{
	(void)state;
	iommu_owner_state_begin_device(st, 0, 1, true, true, emit, NULL);
	iommu_owner_state_begin_cpu(st, 0, 1, false, emit, NULL);
	expect(0, IOMMU_OWNER_ACT_INVALIDATE, 0, 1);
	iommu_owner_state_begin_device(st, 0, 1, true, true, emit, NULL);
	expect(1, IOMMU_OWNER_ACT_DEVICE_ON_CPU, 0, 1);
	assert_int_equal(nr_runs, 2);
	iommu_owner_state_begin_cpu(st, 0, 1, false, emit, NULL);
	assert_int_equal(nr_runs, 3);
	expect(2, IOMMU_OWNER_ACT_INVALIDATE, 0, 1);
}

/* Tracked, the CPU wrote under the open access: re-armed, cleaned. */
static void test_submit_without_fini_dirty(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 0, 2, true, emit, NULL);
	iommu_owner_state_cpu_wrote(st, 1, emit, NULL);
	iommu_owner_state_begin_device(st, 0, 2, true, true, emit, NULL);
	assert_int_equal(nr_runs, 3);
	expect(0, IOMMU_OWNER_ACT_DEVICE_ON_CPU, 0, 2);
	expect(1, IOMMU_OWNER_ACT_REARM, 1, 1);
	expect(2, IOMMU_OWNER_ACT_CLEAN, 1, 1);
	assert_int_equal(st[1], IOMMU_OWNER_PG_DEV_WRITE);
}

/* Two halves of one page, begun and ended in any order: no report. */
static void test_shared_page_nests(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 0, 1, true, emit, NULL);
	iommu_owner_state_begin_cpu(st, 0, 1, true, emit, NULL);
	iommu_owner_state_end_cpu(st, 0, 1, false, false, emit, NULL);
	assert_int_equal(nr_runs, 0);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 0, 1), 1);
	iommu_owner_state_end_cpu(st, 0, 1, false, false, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_CLEAN, 0, 1);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 0, 1), 0);
	/* A third end has nothing to end. */
	iommu_owner_state_end_cpu(st, 0, 1, false, false, emit, NULL);
	expect(1, IOMMU_OWNER_ACT_END_UNOWNED, 0, 1);
}

/* An end that says the CPU wrote is remembered until the page goes. */
static void test_nested_wrote(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 0, 1, false, emit, NULL);
	iommu_owner_state_begin_cpu(st, 0, 1, false, emit, NULL);
	iommu_owner_state_end_cpu(st, 0, 1, true, false, emit, NULL);
	assert_int_equal(nr_runs, 0);
	iommu_owner_state_end_cpu(st, 0, 1, false, false, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_CLEAN, 0, 1);
}

/* At the hold limit, a begin is refused and changes nothing. */
static void test_hold_limit(void **state)
{
	unsigned int i;

	(void)state;
	iommu_owner_state_begin_device(st, 1, 1, true, false, emit, NULL);
	for (i = 0; i < IOMMU_OWNER_PG_HOLDS_MAX; i++)
		assert_int_equal(iommu_owner_state_begin_cpu(st, 0, 1, false, emit, NULL),
				 i == 0);
	assert_int_equal(iommu_owner_state_begin_cpu(st, 0, 2, true, emit, NULL),
			 -EBUSY);
	assert_int_equal(nr_runs, 0);
	assert_int_equal(iommu_owner_pg_holds(st[0]), IOMMU_OWNER_PG_HOLDS_MAX);
	assert_false(st[0] & IOMMU_OWNER_PG_CPU_WRITE);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 1, 1), 0);
}

/*
 * A write to a page the device wrote and the CPU does not hold: the
 * device's data comes in first; the device does not see the write (stale,
 * the missing sync shows) until an end over the page cleans it.
 */
static void test_write_unowned_keeps_device_data(void **state)
{
	(void)state;
	iommu_owner_state_begin_device(st, 5, 1, true, true, emit, NULL);
	iommu_owner_state_cpu_wrote(st, 5, emit, NULL);
	assert_int_equal(nr_runs, 2);
	expect(0, IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED, 5, 1);
	expect(1, IOMMU_OWNER_ACT_INVALIDATE, 5, 1);
	iommu_owner_state_begin_device(st, 0, NR, false, true, emit, NULL);
	assert_int_equal(nr_runs, 2);
	iommu_owner_state_begin_cpu(st, 5, 1, false, emit, NULL);
	assert_int_equal(nr_runs, 2);
	iommu_owner_state_end_cpu(st, 5, 1, false, true, emit, NULL);
	assert_int_equal(nr_runs, 4);
	expect(2, IOMMU_OWNER_ACT_REARM, 5, 1);
	expect(3, IOMMU_OWNER_ACT_CLEAN, 5, 1);
}

/* Misuse: CPU writes to pages not owned for writing. */
static void test_cpu_write_unowned(void **state)
{
	(void)state;
	iommu_owner_state_cpu_wrote(st, 7, emit, NULL);
	iommu_owner_state_begin_cpu(st, 8, 1, false, emit, NULL);
	iommu_owner_state_cpu_wrote(st, 8, emit, NULL);
	iommu_owner_state_begin_cpu(st, 9, 1, true, emit, NULL);
	iommu_owner_state_cpu_wrote(st, 9, emit, NULL);
	assert_int_equal(nr_runs, 2);
	expect(0, IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED, 7, 1);
	expect(1, IOMMU_OWNER_ACT_CPU_WRITE_UNOWNED, 8, 1);
	assert_true(st[7] & IOMMU_OWNER_PG_CPU_DIRTY);
}

/* The invalidate covers write-only access too: no partly stale lines. */
static void test_write_only_invalidates(void **state)
{
	(void)state;
	iommu_owner_state_begin_device(st, 0, 1, true, false, emit, NULL);
	iommu_owner_state_begin_cpu(st, 0, 1, true, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_INVALIDATE, 0, 1);
}

/* Unannounced device writes: every page the CPU does not hold. */
static void test_device_wrote(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 2, 1, false, emit, NULL);
	iommu_owner_state_device_wrote(st, 0, 4);
	assert_int_equal(nr_runs, 0);
	assert_false(st[2] & IOMMU_OWNER_PG_DEV_WRITE);
	iommu_owner_state_end_cpu(st, 2, 1, false, false, emit, NULL);
	iommu_owner_state_begin_cpu(st, 0, 4, false, emit, NULL);
	assert_int_equal(nr_runs, 2);
	expect(0, IOMMU_OWNER_ACT_INVALIDATE, 0, 2);
	expect(1, IOMMU_OWNER_ACT_INVALIDATE, 3, 1);
}

/*
 * The transitions return how many pages changed between held and not
 * held, so that a caller can keep the number of held pages without
 * scanning: nested and overlapping accesses, ends of unheld pages and a
 * device access over held pages, checked against a scan after each step.
 */
static void test_held_count(void **state)
{
	long held = 0;

	(void)state;
	held += iommu_owner_state_begin_cpu(st, 0, 4, true, emit, NULL);
	assert_int_equal(held, 4);
	held += iommu_owner_state_begin_cpu(st, 2, 4, false, emit, NULL);
	assert_int_equal(held, 6);
	held -= iommu_owner_state_end_cpu(st, 0, 3, false, false, emit, NULL);
	assert_int_equal(held, 4);
	assert_int_equal(held, iommu_owner_state_cpu_owned(st, 0, NR));
	/* Pages 6 and 7 were never held: misuse, and no change. */
	held -= iommu_owner_state_end_cpu(st, 5, 3, false, false, emit, NULL);
	assert_int_equal(held, 3);
	assert_int_equal(held, iommu_owner_state_cpu_owned(st, 0, NR));
	held += iommu_owner_state_begin_cpu(st, 10, 2, true, emit, NULL);
	assert_int_equal(held, 5);
	/* The device takes 2..4 and 10, the CPU keeps 11. */
	held -= iommu_owner_state_begin_device(st, 0, 11, true, false, emit, NULL);
	assert_int_equal(held, 1);
	assert_int_equal(held, iommu_owner_state_cpu_owned(st, 0, NR));
	assert_int_equal(iommu_owner_state_cpu_owned(st, 11, 1), 1);
	/* A refused begin changes no count. */
	st[12] = IOMMU_OWNER_PG_HOLDS_MAX << IOMMU_OWNER_PG_HOLDS_SHIFT;
	held++;
	assert_int_equal(iommu_owner_state_begin_cpu(st, 11, 2, true, emit, NULL),
			 -EBUSY);
	assert_int_equal(held, iommu_owner_state_cpu_owned(st, 0, NR));
	held -= iommu_owner_state_end_cpu(st, 11, 1, false, false, emit, NULL);
	assert_int_equal(held, 1);
	assert_int_equal(held, iommu_owner_state_cpu_owned(st, 0, NR));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_begin_cpu_clean_pages, setup),
		cmocka_unit_test_setup(test_invalidate_runs, setup),
		cmocka_unit_test_setup(test_device_read_no_invalidate, setup),
		cmocka_unit_test_setup(test_end_cpu_untracked, setup),
		cmocka_unit_test_setup(test_end_cpu_wrote, setup),
		cmocka_unit_test_setup(test_end_cpu_tracked, setup),
		cmocka_unit_test_setup(test_end_cpu_partial, setup),
		cmocka_unit_test_setup(test_device_on_cpu, setup),
		cmocka_unit_test_setup(test_submit_without_fini, setup),
		cmocka_unit_test_setup(test_submit_without_fini_dirty, setup),
		cmocka_unit_test_setup(test_shared_page_nests, setup),
		cmocka_unit_test_setup(test_nested_wrote, setup),
		cmocka_unit_test_setup(test_hold_limit, setup),
		cmocka_unit_test_setup(test_device_wrote, setup),
		cmocka_unit_test_setup(test_write_unowned_keeps_device_data, setup),
		cmocka_unit_test_setup(test_cpu_write_unowned, setup),
		cmocka_unit_test_setup(test_write_only_invalidates, setup),
		cmocka_unit_test_setup(test_held_count, setup),
	};

	return cmocka_run_group_tests_name("owner_state", tests, NULL, NULL);
}
