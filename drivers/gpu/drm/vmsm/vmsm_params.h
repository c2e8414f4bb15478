/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_PARAMS_H__
#define __VMSM_PARAMS_H__

#include <linux/types.h>

#include "vmsm_pgtable.h"

/* Identity of the virtual GPU core: major 1, minor 0, revision 0. */
#define VMSM_CHIP_ID			0x01000000u

/*
 * Userspace owns [VMSM_USER_VA_START, VMSM_KERNEL_VA_START); the top half of
 * the address space is reserved for the kernel (rings, fence memory) and is
 * never mapped writable into a user context. The first 16 MiB stay unmapped
 * so that a NULL-based GPU pointer faults.
 */
#define VMSM_USER_VA_START		(1ull << 24)
#define VMSM_KERNEL_VA_START		(1ull << (VMSM_PT_VA_BITS - 1))

#define VMSM_MAX_BO_SIZE		(1ull << 32)
#define VMSM_NR_RINGS			3
#define VMSM_TIMESTAMP_FREQUENCY	1000000000ull

/**
 * struct vmsm_caps - what a vmsm device reports through GET_PARAM
 * @chip_id: core identity, see %VMSM_CHIP_ID
 * @index: index of the device among the devices the module drives
 * @coherent: the device snoops CPU caches
 * @va_start: first user GPU virtual address
 * @va_size: size of the user GPU virtual address range
 * @va_bits: GPU virtual address bits
 * @page_sizes: bitmask of supported GPU page sizes
 * @max_bo_size: largest object size accepted
 * @nr_rings: number of command processor rings
 * @timestamp_freq: GPU timestamp counter frequency in Hz
 * @cpu_page_size: the CPU's page size in bytes, filled in by the caller of
 *	vmsm_caps_init() (a property of the kernel, not of the device)
 */
struct vmsm_caps {
	u32 chip_id;
	u32 index;
	bool coherent;
	u64 va_start;
	u64 va_size;
	u32 va_bits;
	u64 page_sizes;
	u64 max_bo_size;
	u32 nr_rings;
	u64 timestamp_freq;
	u32 cpu_page_size;
};

void vmsm_caps_init(struct vmsm_caps *caps, u32 index, bool coherent);
int vmsm_caps_get_param(const struct vmsm_caps *caps, u32 param, u64 now,
			u64 *value);

#endif /* __VMSM_PARAMS_H__ */
