/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <linux/compiler.h>: single,
 * untorn accesses of a naturally aligned scalar.
 */
#ifndef __VMSM_SHIM_LINUX_COMPILER_H
#define __VMSM_SHIM_LINUX_COMPILER_H

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif

#endif /* __VMSM_SHIM_LINUX_COMPILER_H */
