// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Unit tests of vmsm_params.c: the capabilities a device reports through
 * DRM_IOCTL_VMSM_GET_PARAM.
 */

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <drm/vmsm_drm.h>

#include "vmsm_params.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SZ_4K		(1ull << 12)
#define SZ_1M		(1ull << 20)
#define FIRST_PARAM	VMSM_PARAM_CHIP_ID
#define LAST_PARAM	VMSM_PARAM_CPU_PAGE_SIZE
#define SENTINEL	0x5a5a5a5a5a5a5a5aull

static u64 get(const struct vmsm_caps *caps, u32 param)
{
	u64 value = SENTINEL;

	assert_int_equal(vmsm_caps_get_param(caps, param, 0, &value), 0);
	return value;
}

/* Every field holds a different value: a param answered from the wrong field shows. */
static void test_param_to_field(void **state)
{
	const struct vmsm_caps caps = {
		.chip_id = 0x01020304,
		.index = 5,
		.coherent = true,
		.va_start = 0x60000,
		.va_size = 0x7000000,
		.va_bits = 39,
		.page_sizes = 0x9000,
		.max_bo_size = 0xa0000000,
		.nr_rings = 11,
		.timestamp_freq = 12000000,
		.cpu_page_size = 0x4000,
	};
	u64 value = SENTINEL;

	(void)state;
	assert_int_equal(get(&caps, VMSM_PARAM_CHIP_ID), 0x01020304);
	assert_int_equal(get(&caps, VMSM_PARAM_DEVICE_INDEX), 5);
	assert_int_equal(get(&caps, VMSM_PARAM_COHERENT), 1);
	assert_int_equal(get(&caps, VMSM_PARAM_VA_START), 0x60000);
	assert_int_equal(get(&caps, VMSM_PARAM_VA_SIZE), 0x7000000);
	assert_int_equal(get(&caps, VMSM_PARAM_VA_BITS), 39);
	assert_int_equal(get(&caps, VMSM_PARAM_PAGE_SIZES), 0x9000);
	assert_int_equal(get(&caps, VMSM_PARAM_MAX_BO_SIZE), 0xa0000000);
	assert_int_equal(get(&caps, VMSM_PARAM_NR_RINGS), 11);
	assert_int_equal(get(&caps, VMSM_PARAM_TIMESTAMP_FREQUENCY), 12000000);
	assert_int_equal(get(&caps, VMSM_PARAM_CPU_PAGE_SIZE), 0x4000);
	assert_int_equal(vmsm_caps_get_param(&caps, VMSM_PARAM_TIMESTAMP, 13,
					     &value), 0);
	assert_int_equal(value, 13);
}

static void test_every_param_known(void **state)
{
	struct vmsm_caps caps;
	u64 value;
	u32 p;

	(void)state;
	vmsm_caps_init(&caps, 0, false);
	for (p = FIRST_PARAM; p <= LAST_PARAM; p++) {
		value = SENTINEL;
		assert_int_equal(vmsm_caps_get_param(&caps, p, 0, &value), 0);
	}
}

static void test_init_values(void **state)
{
	struct vmsm_caps caps;

	(void)state;
	vmsm_caps_init(&caps, 0, false);
	assert_int_equal(get(&caps, VMSM_PARAM_CHIP_ID), VMSM_CHIP_ID);
	assert_int_equal(get(&caps, VMSM_PARAM_CHIP_ID) >> 24, 1);
	assert_int_equal(get(&caps, VMSM_PARAM_VA_BITS), 48);
	assert_int_equal(get(&caps, VMSM_PARAM_MAX_BO_SIZE), VMSM_MAX_BO_SIZE);
	assert_int_equal(get(&caps, VMSM_PARAM_NR_RINGS), VMSM_NR_RINGS);
	assert_int_equal(get(&caps, VMSM_PARAM_TIMESTAMP_FREQUENCY),
			 VMSM_TIMESTAMP_FREQUENCY);
}

static void test_limits(void **state)
{
	struct vmsm_caps caps;
	u64 max_bo;

	(void)state;
	vmsm_caps_init(&caps, 0, false);
	max_bo = get(&caps, VMSM_PARAM_MAX_BO_SIZE);
	assert_true(max_bo >= SZ_1M);
	assert_int_equal(max_bo % SZ_4K, 0);
	assert_true(max_bo <= get(&caps, VMSM_PARAM_VA_SIZE));
	assert_true(get(&caps, VMSM_PARAM_NR_RINGS) >= 1);
	assert_true(get(&caps, VMSM_PARAM_TIMESTAMP_FREQUENCY) > 0);
}

static void test_unknown_params(void **state)
{
	static const u32 unknown[] = {
		0, LAST_PARAM + 1, LAST_PARAM + 2, 0x7fffffff, 0x80000000,
		UINT32_MAX,
	};
	struct vmsm_caps caps;
	u64 value;
	size_t i;

	(void)state;
	vmsm_caps_init(&caps, 0, true);
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		value = SENTINEL;
		assert_int_equal(vmsm_caps_get_param(&caps, unknown[i], 42,
						     &value), -EINVAL);
		assert_int_equal(value, SENTINEL);
	}
}

static void test_coherent_propagation(void **state)
{
	struct vmsm_caps coherent, noncoherent;
	u32 p;

	(void)state;
	vmsm_caps_init(&coherent, 2, true);
	vmsm_caps_init(&noncoherent, 2, false);
	assert_int_equal(get(&coherent, VMSM_PARAM_COHERENT), 1);
	assert_int_equal(get(&noncoherent, VMSM_PARAM_COHERENT), 0);
	/* Coherency changes nothing else. */
	for (p = FIRST_PARAM; p <= LAST_PARAM; p++)
		if (p != VMSM_PARAM_COHERENT)
			assert_int_equal(get(&coherent, p), get(&noncoherent, p));
}

static void test_index_propagation(void **state)
{
	static const u32 indices[] = { 0, 1, 7, UINT32_MAX };
	struct vmsm_caps caps;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(indices); i++) {
		vmsm_caps_init(&caps, indices[i], false);
		assert_int_equal(get(&caps, VMSM_PARAM_DEVICE_INDEX), indices[i]);
	}
}

static void test_va_range(void **state)
{
	struct vmsm_caps caps;
	u64 start, size, bits, sizes, align;

	(void)state;
	vmsm_caps_init(&caps, 0, false);
	start = get(&caps, VMSM_PARAM_VA_START);
	size = get(&caps, VMSM_PARAM_VA_SIZE);
	bits = get(&caps, VMSM_PARAM_VA_BITS);
	sizes = get(&caps, VMSM_PARAM_PAGE_SIZES);

	/* Aligned to the largest GPU page size, so any page size maps it. */
	align = 1ull << (63 - __builtin_clzll(sizes));
	assert_int_equal(start % SZ_4K, 0);
	assert_int_equal(size % SZ_4K, 0);
	assert_int_equal(start % align, 0);
	assert_int_equal(size % align, 0);

	/* Page 0 stays unmapped, the range is not empty and does not wrap. */
	assert_true(start > 0);
	assert_true(size > 0);
	assert_true(start + size > start);

	/* Inside the VA bits, and below the kernel's top half. */
	assert_true(start + size <= 1ull << bits);
	assert_true(start + size <= VMSM_KERNEL_VA_START);
	assert_int_equal(VMSM_KERNEL_VA_START, 1ull << (bits - 1));
}

static void test_page_sizes(void **state)
{
	struct vmsm_caps caps;
	u64 sizes;

	(void)state;
	vmsm_caps_init(&caps, 0, false);
	sizes = get(&caps, VMSM_PARAM_PAGE_SIZES);
	assert_true(sizes & SZ_4K);
	assert_int_equal(sizes & (SZ_4K - 1), 0);
	assert_int_equal(sizes >> get(&caps, VMSM_PARAM_VA_BITS), 0);
}

static void test_timestamp_passthrough(void **state)
{
	static const u64 stamps[] = {
		0, 1, 0x123456789abcdef0ull, UINT64_MAX - 1, UINT64_MAX,
	};
	struct vmsm_caps caps;
	u64 value;
	size_t i;

	(void)state;
	vmsm_caps_init(&caps, 0, false);
	for (i = 0; i < ARRAY_SIZE(stamps); i++) {
		value = SENTINEL;
		assert_int_equal(vmsm_caps_get_param(&caps, VMSM_PARAM_TIMESTAMP,
						     stamps[i], &value), 0);
		assert_int_equal(value, stamps[i]);
	}
}

/* Initialising over garbage gives the same answers as over zeroes. */
static void test_init_overwrites(void **state)
{
	struct vmsm_caps dirty, clean;
	u32 p;

	(void)state;
	memset(&dirty, 0xa5, sizeof(dirty));
	memset(&clean, 0, sizeof(clean));
	vmsm_caps_init(&dirty, 1, false);
	vmsm_caps_init(&clean, 1, false);
	for (p = FIRST_PARAM; p <= LAST_PARAM; p++)
		assert_int_equal(get(&dirty, p), get(&clean, p));
}

/* The lookup never writes the capabilities. */
static void test_lookup_is_read_only(void **state)
{
	struct vmsm_caps caps, copy;
	u64 value;
	u32 p;

	(void)state;
	vmsm_caps_init(&caps, 3, true);
	memcpy(&copy, &caps, sizeof(caps));
	for (p = 0; p <= LAST_PARAM + 1; p++)
		vmsm_caps_get_param(&caps, p, 99, &value);
	assert_memory_equal(&caps, &copy, sizeof(caps));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_param_to_field),
		cmocka_unit_test(test_every_param_known),
		cmocka_unit_test(test_init_values),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_unknown_params),
		cmocka_unit_test(test_coherent_propagation),
		cmocka_unit_test(test_index_propagation),
		cmocka_unit_test(test_va_range),
		cmocka_unit_test(test_page_sizes),
		cmocka_unit_test(test_timestamp_passthrough),
		cmocka_unit_test(test_init_overwrites),
		cmocka_unit_test(test_lookup_is_read_only),
	};

	return cmocka_run_group_tests_name("vmsm_params", tests, NULL, NULL);
}
