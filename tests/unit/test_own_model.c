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

static struct vmsm_own_model m;

static int setup(void **state)
{
	(void)state;
	return vmsm_own_model_init(&m, 2, PG, true);
}

static int teardown(void **state)
{
	(void)state;
	vmsm_own_model_fini(&m);
	return 0;
}

/* GPU fill A, PREP and read A, no FINI, GPU fill B: the next PREP reads B. */
static void test_submit_ends_access(void **state)
{
	(void)state;
	vmsm_own_model_gpu_fill(&m, 0, PG, 0xa);
	vmsm_own_model_prep(&m, 0, PG);
	assert_int_equal(m.cpu[0], 0xa);
	vmsm_own_model_gpu_fill(&m, 0, PG, 0xb);
	assert_int_equal(vmsm_own_model_held_pages(&m), 0);
	vmsm_own_model_prep(&m, 0, PG);
	assert_int_equal(m.cpu[0], 0xb);
	assert_int_equal(vmsm_own_model_cpu_fini(&m, 0, PG), 0);
}

/* Two halves of a page: the page goes to the GPU with the last FINI. */
static void test_halves(void **state)
{
	(void)state;
	vmsm_own_model_prep(&m, 0, PG / 2);
	vmsm_own_model_prep(&m, PG / 2, PG / 2);
	vmsm_own_model_cpu_write(&m, 0, PG, 0x5);
	assert_int_equal(vmsm_own_model_cpu_fini(&m, 0, PG / 2), 0);
	assert_int_equal(m.dev[0], 0);
	assert_int_equal(vmsm_own_model_cpu_fini(&m, PG / 2, PG / 2), 0);
	assert_int_equal(m.dev[0], 0x5);
	assert_int_equal(vmsm_own_model_cpu_fini(&m, 0, 1), 1);
}

/* A write without PREP is stale for the GPU until a FINI over its page. */
static void test_write_without_prep(void **state)
{
	(void)state;
	vmsm_own_model_cpu_write(&m, PG, 16, 0x7);
	vmsm_own_model_gpu_read(&m);
	assert_int_equal(m.dev[PG], 0);
	vmsm_own_model_prep(&m, PG, 1);
	vmsm_own_model_cpu_fini(&m, PG, 1);
	assert_int_equal(m.dev[PG], 0x7);
}

/* A write without PREP after a GPU write lands on the GPU's data. */
static void test_write_pulls_gpu_data(void **state)
{
	(void)state;
	vmsm_own_model_gpu_fill(&m, 0, 2 * PG, 0x3);
	vmsm_own_model_cpu_write(&m, 8, 8, 0x4);
	assert_int_equal(m.cpu[0], 0x3);
	assert_int_equal(m.cpu[8], 0x4);
	assert_int_equal(m.cpu[PG], 0);
}

/* One copy (write-combined): everybody sees everything at once. */
static void test_one_copy(void **state)
{
	struct vmsm_own_model wc;

	(void)state;
	assert_int_equal(vmsm_own_model_init(&wc, 1, PG, false), 0);
	vmsm_own_model_cpu_write(&wc, 0, 4, 0x9);
	assert_int_equal(wc.dev[0], 0x9);
	vmsm_own_model_gpu_fill(&wc, 0, 4, 0x8);
	assert_int_equal(wc.cpu[0], 0x8);
	vmsm_own_model_fini(&wc);
}

/* A VM_BIND job hands over what the CPU holds, and counts as a write. */
static void test_vm_bind_job(void **state)
{
	(void)state;
	vmsm_own_model_prep(&m, 0, 1);
	vmsm_own_model_cpu_write(&m, 0, 4, 0x1);
	vmsm_own_model_vm_bind_job(&m, false, 0, 0, 0);
	assert_int_equal(vmsm_own_model_held_pages(&m), 0);
	assert_int_equal(m.dev[0], 0x1);
	assert_int_equal(vmsm_own_model_cpu_fini(&m, 0, 1), 1);
	/* unlisted: a job that only read still overwrites an unprepared write */
	vmsm_own_model_cpu_write(&m, PG, 4, 0x2);
	vmsm_own_model_vm_bind_job(&m, false, 0, 0, 0);
	vmsm_own_model_prep(&m, PG, 1);
	assert_int_equal(m.cpu[PG], 0);
	vmsm_own_model_cpu_fini(&m, PG, 1);
	/* where a listed job that only read keeps it */
	vmsm_own_model_cpu_write(&m, PG, 4, 0x3);
	vmsm_own_model_gpu_read(&m);
	vmsm_own_model_prep(&m, PG, 1);
	assert_int_equal(m.cpu[PG], 0x3);
	vmsm_own_model_cpu_fini(&m, PG, 1);
	assert_int_equal(m.dev[PG], 0x3);
	/* what a VM_BIND fill wrote shows at the next PREP */
	vmsm_own_model_vm_bind_job(&m, true, PG, 8, 0x4);
	vmsm_own_model_prep(&m, PG, 1);
	assert_int_equal(m.cpu[PG], 0x4);
}

/* DMA_BUF_IOCTL_SYNC: PREP and FINI over the whole object. */
static void test_dmabuf_sync(void **state)
{
	(void)state;
	vmsm_own_model_gpu_fill(&m, 0, 2 * PG, 0x5);
	vmsm_own_model_dmabuf_sync_start(&m);
	assert_int_equal(vmsm_own_model_held_pages(&m), 2);
	assert_int_equal(m.cpu[PG + 1], 0x5);
	vmsm_own_model_cpu_write_map(&m, 1, PG, 1, 0x6);
	assert_int_equal(vmsm_own_model_dmabuf_sync_end(&m), 0);
	assert_int_equal(m.dev[PG], 0x6);
	/* an END with no START has both pages to report */
	assert_int_equal(vmsm_own_model_dmabuf_sync_end(&m), 2);
	/* a START nests with a PREP: the PREP's FINI does not end it */
	vmsm_own_model_dmabuf_sync_start(&m);
	vmsm_own_model_prep(&m, 0, 1);
	vmsm_own_model_cpu_fini(&m, 0, 1);
	assert_int_equal(vmsm_own_model_held_pages(&m), 2);
}

/*
 * Write tracking is per mapping: a page written through the DRM mapping
 * still faults through the dma-buf's, and that fault brings in what the
 * GPU wrote since; a second write through the first mapping does not.
 */
static void test_write_per_mapping(void **state)
{
	(void)state;
	vmsm_own_model_cpu_write_map(&m, 0, 0, 4, 0x1);
	vmsm_own_model_gpu_fill(&m, 0, PG, 0x2);
	vmsm_own_model_cpu_write_map(&m, 0, 4, 4, 0x3);
	assert_int_equal(m.cpu[0], 0x1);
	vmsm_own_model_cpu_write_map(&m, 1, 8, 4, 0x4);
	assert_int_equal(m.cpu[0], 0x2);
	assert_int_equal(m.cpu[4], 0x2);
	assert_int_equal(m.cpu[8], 0x4);
	/* a FINI that cleans it write-protects it in both mappings */
	vmsm_own_model_prep(&m, 0, 1);
	vmsm_own_model_cpu_fini(&m, 0, 1);
	assert_false(m.writable[0][0] || m.writable[1][0]);
}

/*
 * A coherent importer of a non-coherent device's cached object works on
 * the CPU's view; its submit ends an open CPU access. Between GPU jobs of
 * the two devices the pages a job touches are brought up to date with
 * what the other device wrote, without any sync.
 */
static void test_coherent_importer(void **state)
{
	(void)state;
	vmsm_own_model_prep(&m, 0, 1);
	vmsm_own_model_cpu_write(&m, 0, 4, 0x1);
	vmsm_own_model_coherent_importer_fill(&m, PG, 8, 0x2);
	assert_int_equal(vmsm_own_model_held_pages(&m), 0);
	assert_int_equal(m.dev[0], 0x1);
	assert_int_equal(m.cpu[PG], 0x2);
	assert_int_equal(m.dev[PG], 0);
	/* the non-coherent GPU's read takes the coherent device's page */
	vmsm_own_model_gpu_read(&m);
	assert_int_equal(m.dev[PG], 0x2);
	/* and its write reaches the coherent device's next read */
	vmsm_own_model_gpu_fill(&m, PG + 8, 1, 0x3);
	assert_int_equal(m.cpu[PG + 8], 0);
	vmsm_own_model_coherent_importer_read(&m);
	assert_int_equal(m.cpu[PG + 8], 0x3);
	/* an unsynced CPU write on a page no coherent job wrote stays stale */
	vmsm_own_model_cpu_write(&m, 0, 1, 0x4);
	vmsm_own_model_gpu_read(&m);
	assert_int_equal(m.dev[0], 0x1);
}

/*
 * After a non-coherent GPU write, a coherent device's write to the page
 * is newer than the view: the invalidate of the next PREP leaves it.
 */
static void test_coherent_importer_after_gpu(void **state)
{
	(void)state;
	vmsm_own_model_gpu_fill(&m, 0, 2 * PG, 0x5);
	vmsm_own_model_coherent_importer_fill(&m, 0, 4, 0x6);
	assert_int_equal(m.cpu[4], 0x5);
	vmsm_own_model_prep(&m, 0, 2 * PG);
	assert_int_equal(m.cpu[0], 0x6);
	assert_int_equal(m.cpu[4], 0x5);
	assert_int_equal(m.cpu[PG], 0x5);
	vmsm_own_model_cpu_fini(&m, 0, 2 * PG);
	vmsm_own_model_gpu_read(&m);
	assert_int_equal(m.dev[0], 0x6);
}

/* Strict mode refuses a job only while the CPU holds a page. */
static void test_strict_refuses(void **state)
{
	(void)state;
	assert_false(vmsm_own_model_strict_refuses(&m));
	vmsm_own_model_prep(&m, PG, 1);
	assert_true(vmsm_own_model_strict_refuses(&m));
	vmsm_own_model_cpu_fini(&m, PG, 1);
	assert_false(vmsm_own_model_strict_refuses(&m));
}

static int setup_view(void **state)
{
	(void)state;
	return vmsm_own_model_init_exporter_view(&m, 2, PG);
}

/*
 * A system-heap import: PREP and FINI move nothing, SYNC_END gives the
 * CPU's bytes to the view, SYNC_START takes back only pages a GPU wrote.
 */
static void test_exporter_view(void **state)
{
	(void)state;
	vmsm_own_model_prep(&m, 0, 2 * PG);
	vmsm_own_model_cpu_write(&m, 0, 2 * PG, 0x1);
	vmsm_own_model_cpu_fini(&m, 0, 2 * PG);
	vmsm_own_model_gpu_read(&m);
	assert_int_equal(m.dev[0], 0);
	vmsm_own_model_dmabuf_sync_end(&m);
	assert_int_equal(m.dev[0], 0x1);
	assert_int_equal(m.dev[PG], 0x1);
	/* a GPU write to page 0 only; an unsynced CPU write to page 1 */
	vmsm_own_model_gpu_fill(&m, 0, 8, 0x2);
	vmsm_own_model_cpu_write(&m, PG, 8, 0x3);
	assert_int_equal(m.cpu[0], 0x1);
	vmsm_own_model_dmabuf_sync_start(&m);
	assert_int_equal(m.cpu[0], 0x2);
	assert_int_equal(m.cpu[PG], 0x3);
	assert_int_equal(m.dev[PG], 0x1);
	vmsm_own_model_dmabuf_sync_end(&m);
	assert_int_equal(m.dev[PG], 0x3);
}

/* Without SYNC_START after a GPU write, SYNC_END keeps the GPU's page. */
static void test_exporter_view_keeps_gpu_page(void **state)
{
	(void)state;
	vmsm_own_model_gpu_fill(&m, 0, 4, 0x2);
	vmsm_own_model_vm_bind_job(&m, false, 0, PG, 0);
	vmsm_own_model_cpu_write(&m, 0, 2 * PG, 0x5);
	vmsm_own_model_dmabuf_sync_end(&m);
	assert_int_equal(m.dev[0], 0x2);
	assert_int_equal(m.dev[4], 0);
	assert_int_equal(m.dev[PG], 0x5);
	/* a coherent importer's write reaches the view at the next SYNC_END */
	vmsm_own_model_coherent_importer_fill(&m, PG, 4, 0x6);
	vmsm_own_model_dmabuf_sync_end(&m);
	assert_int_equal(m.dev[PG], 0x6);
	/* and the GPU's read before any sync */
	vmsm_own_model_coherent_importer_fill(&m, PG, 4, 0x7);
	vmsm_own_model_gpu_read(&m);
	assert_int_equal(m.dev[PG], 0x7);
	/* the coherent importer reads what the GPU wrote, without SYNC_START */
	vmsm_own_model_gpu_fill(&m, PG + 8, 1, 0x8);
	vmsm_own_model_coherent_importer_read(&m);
	assert_int_equal(m.cpu[PG + 8], 0x8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_submit_ends_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_halves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_without_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_pulls_gpu_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_bind_job, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dmabuf_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_per_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coherent_importer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coherent_importer_after_gpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strict_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exporter_view, setup_view, teardown),
		cmocka_unit_test_setup_teardown(test_exporter_view_keeps_gpu_page, setup_view,
						teardown),
	};

	return cmocka_run_group_tests_name("vmsm_own_model", tests, NULL, NULL);
}
