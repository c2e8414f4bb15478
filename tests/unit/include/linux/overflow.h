/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <linux/overflow.h>: the checked
 * arithmetic helpers, which the kernel also builds on the compiler's
 * __builtin_*_overflow(). They return true if the result did not fit in *d.
 */
#ifndef __VMSM_SHIM_LINUX_OVERFLOW_H
#define __VMSM_SHIM_LINUX_OVERFLOW_H

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

#endif /* __VMSM_SHIM_LINUX_OVERFLOW_H */
