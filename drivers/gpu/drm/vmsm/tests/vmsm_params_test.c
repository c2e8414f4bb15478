// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * KUnit tests of the GET_PARAM table, run inside the checking kernel
 * against the code built into vmsm.ko.
 */

#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/vmsm_drm.h>

#include "../vmsm_params.h"

static void vmsm_params_test_known(struct kunit *test)
{
	struct vmsm_caps caps;
	u64 value;
	u32 p;

	vmsm_caps_init(&caps, 3, true);
	for (p = VMSM_PARAM_CHIP_ID; p <= VMSM_PARAM_CPU_PAGE_SIZE; p++)
		KUNIT_EXPECT_EQ(test, vmsm_caps_get_param(&caps, p, 0, &value), 0);

	KUNIT_EXPECT_EQ(test, vmsm_caps_get_param(&caps, VMSM_PARAM_DEVICE_INDEX, 0, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 3);
	KUNIT_EXPECT_EQ(test, vmsm_caps_get_param(&caps, VMSM_PARAM_COHERENT, 0, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 1);
	KUNIT_EXPECT_EQ(test, vmsm_caps_get_param(&caps, VMSM_PARAM_TIMESTAMP, 42, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 42);
}

static void vmsm_params_test_unknown(struct kunit *test)
{
	static const u32 bad[] = { 0, VMSM_PARAM_CPU_PAGE_SIZE + 1, 0x7fffffff, U32_MAX };
	struct vmsm_caps caps;
	u64 value = 0x5a5a;
	unsigned int i;

	vmsm_caps_init(&caps, 0, false);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, vmsm_caps_get_param(&caps, bad[i], 0, &value), -EINVAL);
		KUNIT_EXPECT_EQ(test, value, 0x5a5a);
	}
}

static void vmsm_params_test_va_layout(struct kunit *test)
{
	struct vmsm_caps caps;

	vmsm_caps_init(&caps, 0, false);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(caps.va_start, SZ_2M));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(caps.va_size, SZ_2M));
	KUNIT_EXPECT_GT(test, caps.va_start, 0);
	KUNIT_EXPECT_LE(test, caps.va_start + caps.va_size, BIT_ULL(caps.va_bits - 1));
	KUNIT_EXPECT_TRUE(test, caps.page_sizes & SZ_4K);
	KUNIT_EXPECT_TRUE(test, caps.page_sizes & SZ_2M);
}

static struct kunit_case vmsm_params_cases[] = {
	KUNIT_CASE(vmsm_params_test_known),
	KUNIT_CASE(vmsm_params_test_unknown),
	KUNIT_CASE(vmsm_params_test_va_layout),
	{}
};

static struct kunit_suite vmsm_params_suite = {
	.name = "vmsm_params",
	.test_cases = vmsm_params_cases,
};

kunit_test_suite(vmsm_params_suite);

MODULE_DESCRIPTION("KUnit tests of vmsm's device parameters");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
