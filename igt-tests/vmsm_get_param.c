// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_get_param: DRM_IOCTL_VMSM_GET_PARAM, every parameter and every way
 * of calling it wrong.
 */

#include <stdint.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define SIZE_4K	(1ull << 12)
#define SIZE_1M	(1ull << 20)

static int card = -1;

/* Reads every parameter; each one must succeed. */
static void read_all_params(int fd, uint64_t *values)
{
	uint32_t p;
	int ret;

	for (p = VMSM_PARAM_CHIP_ID; p < VMSM_PARAM_END; p++) {
		ret = __vmsm_get_param(fd, p, &values[p]);
		igt_assert_f(ret == 0, "GET_PARAM %s (%u): %d\n",
			     vmsm_param_name(p), p, ret);
	}
}

static void print_params(const uint64_t *values)
{
	uint32_t p;

	for (p = VMSM_PARAM_CHIP_ID; p < VMSM_PARAM_END; p++)
		igt_info("%-20s %llu (%#llx)\n", vmsm_param_name(p),
			 (unsigned long long)values[p],
			 (unsigned long long)values[p]);
}

static void check_va_range(const uint64_t *v)
{
	uint64_t start = v[VMSM_PARAM_VA_START];
	uint64_t size = v[VMSM_PARAM_VA_SIZE];

	igt_assert_eq_u64(v[VMSM_PARAM_VA_BITS], 48);
	igt_assert_eq_u64(start % SIZE_4K, 0);
	igt_assert_eq_u64(size % SIZE_4K, 0);
	igt_assert_neq_u64(size, 0);
	igt_assert_lte_u64(start, 1ull << 48);
	igt_assert_lte_u64(size, (1ull << 48) - start);
}

static void test_valid_params(void)
{
	uint64_t v[VMSM_PARAM_END] = { };

	read_all_params(card, v);
	print_params(v);
	igt_assert_eq_u64(v[VMSM_PARAM_CHIP_ID] >> 24, 1);
	check_va_range(v);
	igt_assert(v[VMSM_PARAM_PAGE_SIZES] & SIZE_4K);
	igt_assert_lte_u64(v[VMSM_PARAM_COHERENT], 1);
	igt_assert_lte_u64(SIZE_1M, v[VMSM_PARAM_MAX_BO_SIZE]);
	igt_assert_lte_u64(1, v[VMSM_PARAM_NR_RINGS]);
	igt_assert_neq_u64(v[VMSM_PARAM_TIMESTAMP_FREQUENCY], 0);
	/* the CPU's page size, which may be larger than the GPU's smallest */
	igt_assert_eq_u64(v[VMSM_PARAM_CPU_PAGE_SIZE], (uint64_t)getpagesize());
}

static void test_timestamp_advances(void)
{
	uint64_t first, second;

	first = vmsm_get_param(card, VMSM_PARAM_TIMESTAMP);
	second = vmsm_get_param(card, VMSM_PARAM_TIMESTAMP);
	igt_info("timestamps %llu, %llu\n", (unsigned long long)first,
		 (unsigned long long)second);
	igt_assert_lte_u64(first, second);
}

static void test_invalid_param(void)
{
	static const uint32_t invalid[] = {
		0, VMSM_PARAM_END, 0x7fffffff, 0xffffffff,
	};
	struct drm_vmsm_get_param args;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(invalid); i++) {
		args = (struct drm_vmsm_get_param) { .param = invalid[i] };
		igt_assert_f(igt_ioctl(card, DRM_IOCTL_VMSM_GET_PARAM, &args) == -1 &&
			     errno == EINVAL,
			     "GET_PARAM %#x did not fail with EINVAL\n", invalid[i]);
	}
}

static void test_nonzero_pad(void)
{
	static const uint32_t pads[] = { 1, 0x80000000, 0xffffffff };
	struct drm_vmsm_get_param args;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pads); i++) {
		args = (struct drm_vmsm_get_param) {
			.param = VMSM_PARAM_CHIP_ID,
			.pad = pads[i],
		};
		igt_assert_f(igt_ioctl(card, DRM_IOCTL_VMSM_GET_PARAM, &args) == -1 &&
			     errno == EINVAL,
			     "GET_PARAM with pad %#x did not fail with EINVAL\n", pads[i]);
	}
}

static void test_bad_pointer(void)
{
	do_ioctl_err(card, DRM_IOCTL_VMSM_GET_PARAM, (void *)8, EFAULT);
}

static void test_render_node(void)
{
	uint64_t primary[VMSM_PARAM_END] = { }, render[VMSM_PARAM_END] = { };
	int fd = igt_vmsm_open_render_of(card);
	uint32_t p;

	igt_assert_f(fd >= 0, "the vmsm card node has no render node\n");
	read_all_params(fd, render);
	read_all_params(card, primary);
	for (p = VMSM_PARAM_CHIP_ID; p < VMSM_PARAM_END; p++)
		igt_assert_f(p == VMSM_PARAM_TIMESTAMP || primary[p] == render[p],
			     "%s: primary %#llx, render %#llx\n",
			     vmsm_param_name(p), (unsigned long long)primary[p],
			     (unsigned long long)render[p]);
	drm_close_driver(fd);
}

igt_main
{
	igt_fixture
		card = igt_vmsm_open_driver();

	igt_describe("Every parameter can be read and has a sane value.");
	igt_subtest("valid-params")
		test_valid_params();

	igt_describe("The GPU timestamp never goes backwards.");
	igt_subtest("timestamp-advances")
		test_timestamp_advances();

	igt_describe("Unknown parameters fail with EINVAL.");
	igt_subtest("invalid-param")
		test_invalid_param();

	igt_describe("A non-zero pad fails with EINVAL.");
	igt_subtest("nonzero-pad")
		test_nonzero_pad();

	igt_describe("A bad argument pointer fails with EFAULT.");
	igt_subtest("bad-pointer")
		test_bad_pointer();

	igt_describe("The render node answers every parameter like the primary node.");
	igt_subtest("render-node")
		test_render_node();

	igt_fixture
		drm_close_driver(card);
}
