// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of igt-tests/lib/vmsm_own_model.c, the reference model the
 * VM test vmsm_ownership compares the driver with: the documented cases,
 * checked on the model alone.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmsm_own_model.h"

#define PG	4096

static struct own_model m;

static int setup(void **state)
{
	(void)state;
	return own_model_init(&m, 2, PG, true);
}

static int teardown(void **state)
{
	(void)state;
	own_model_fini(&m);
	return 0;
}

/* GPU fill A, PREP and read A, no FINI, GPU fill B: the next PREP reads B. */
static void test_submit_ends_access(void **state)
{
	(void)state;
	own_model_gpu_fill(&m, 0, PG, 0xa);
	own_model_prep(&m, 0, PG);
	assert_int_equal(m.cpu[0], 0xa);
	own_model_gpu_fill(&m, 0, PG, 0xb);
	assert_int_equal(own_model_held_pages(&m), 0);
	own_model_prep(&m, 0, PG);
	assert_int_equal(m.cpu[0], 0xb);
	assert_int_equal(own_model_cpu_fini(&m, 0, PG), 0);
}

/* Two halves of a page: the page goes to the GPU with the last FINI. */
static void test_halves(void **state)
{
	(void)state;
	own_model_prep(&m, 0, PG / 2);
	own_model_prep(&m, PG / 2, PG / 2);
	own_model_cpu_write(&m, 0, PG, 0x5);
	assert_int_equal(own_model_cpu_fini(&m, 0, PG / 2), 0);
	assert_int_equal(m.dev[0], 0);
	assert_int_equal(own_model_cpu_fini(&m, PG / 2, PG / 2), 0);
	assert_int_equal(m.dev[0], 0x5);
	assert_int_equal(own_model_cpu_fini(&m, 0, 1), 1);
}

/* A write without PREP is stale for the GPU until a FINI over its page. */
static void test_write_without_prep(void **state)
{
	(void)state;
	own_model_cpu_write(&m, PG, 16, 0x7);
	own_model_gpu_read(&m);
	assert_int_equal(m.dev[PG], 0);
	own_model_prep(&m, PG, 1);
	own_model_cpu_fini(&m, PG, 1);
	assert_int_equal(m.dev[PG], 0x7);
}

/* A write without PREP after a GPU write lands on the GPU's data. */
static void test_write_pulls_gpu_data(void **state)
{
	(void)state;
	own_model_gpu_fill(&m, 0, 2 * PG, 0x3);
	own_model_cpu_write(&m, 8, 8, 0x4);
	assert_int_equal(m.cpu[0], 0x3);
	assert_int_equal(m.cpu[8], 0x4);
	assert_int_equal(m.cpu[PG], 0);
}

/* One copy (write-combined): everybody sees everything at once. */
static void test_one_copy(void **state)
{
	struct own_model wc;

	(void)state;
	assert_int_equal(own_model_init(&wc, 1, PG, false), 0);
	own_model_cpu_write(&wc, 0, 4, 0x9);
	assert_int_equal(wc.dev[0], 0x9);
	own_model_gpu_fill(&wc, 0, 4, 0x8);
	assert_int_equal(wc.cpu[0], 0x8);
	own_model_fini(&wc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_submit_ends_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_halves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_without_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_pulls_gpu_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_copy, setup, teardown),
	};

	return cmocka_run_group_tests_name("own_model", tests, NULL, NULL);
}
