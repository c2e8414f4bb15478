/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <linux/bits.h>.
 */
#ifndef __VMSM_SHIM_LINUX_BITS_H
#define __VMSM_SHIM_LINUX_BITS_H

#define BIT(nr)			(1ul << (nr))
#define BIT_ULL(nr)		(1ull << (nr))
#define GENMASK(h, l)		((~0ul << (l)) & (~0ul >> (8 * sizeof(long) - 1 - (h))))
#define GENMASK_ULL(h, l)	((~0ull << (l)) & (~0ull >> (63 - (h))))

#endif /* __VMSM_SHIM_LINUX_BITS_H */
