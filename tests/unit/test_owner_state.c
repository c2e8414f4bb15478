// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of drivers/iommu/iommu-owner-state.c: the ownership state
 * machine of the iommu-owner API, and the runs of maintenance it asks for.
 */

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
static u8 st[NR];

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
	assert_int_equal(st[3], IOMMU_OWNER_PG_CPU);
}

/* Device writes are invalidated in runs, once. */
static void test_invalidate_runs(void **state)
{
	(void)state;
	iommu_owner_state_begin_device(st, 2, 3, true, emit, NULL);
	iommu_owner_state_begin_device(st, 9, 1, true, emit, NULL);
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
	iommu_owner_state_begin_device(st, 0, NR, false, emit, NULL);
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

/* Misuse: the device given CPU-owned pages, which stay CPU-owned. */
static void test_device_on_cpu(void **state)
{
	(void)state;
	iommu_owner_state_begin_cpu(st, 3, 3, true, emit, NULL);
	iommu_owner_state_begin_device(st, 0, NR, true, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_DEVICE_ON_CPU, 3, 3);
	assert_int_equal(iommu_owner_state_cpu_owned(st, 0, NR), 3);
	assert_true(st[0] & IOMMU_OWNER_PG_DEV_WRITE);
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
	iommu_owner_state_begin_device(st, 0, 1, true, emit, NULL);
	iommu_owner_state_begin_cpu(st, 0, 1, true, emit, NULL);
	assert_int_equal(nr_runs, 1);
	expect(0, IOMMU_OWNER_ACT_INVALIDATE, 0, 1);
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
		cmocka_unit_test_setup(test_cpu_write_unowned, setup),
		cmocka_unit_test_setup(test_write_only_invalidates, setup),
	};

	return cmocka_run_group_tests_name("owner_state", tests, NULL, NULL);
}
