/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <linux/minmax.h>. The kernel's min()
 * and max() refuse operands of different signedness at build time; the
 * unit lane's -Wextra (-Wsign-compare) catches most of the same mistakes,
 * and the W=1 kernel build catches the rest.
 */
#ifndef __VMSM_SHIM_LINUX_MINMAX_H
#define __VMSM_SHIM_LINUX_MINMAX_H

#define min(a, b) ({				\
	__typeof__(a) __min_a = (a);		\
	__typeof__(b) __min_b = (b);		\
	__min_a < __min_b ? __min_a : __min_b; })
#define max(a, b) ({				\
	__typeof__(a) __max_a = (a);		\
	__typeof__(b) __max_b = (b);		\
	__max_a > __max_b ? __max_a : __max_b; })
#define min_t(type, a, b)	min((type)(a), (type)(b))
#define max_t(type, a, b)	max((type)(a), (type)(b))
#define clamp(val, lo, hi)	min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi)	clamp((type)(val), (type)(lo), (type)(hi))

#endif /* __VMSM_SHIM_LINUX_MINMAX_H */
