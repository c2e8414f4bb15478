/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <linux/types.h>: the uapi header
 * (__u32 and friends, also needed by drm.h) plus the kernel's short types.
 */
#ifndef __VMSM_SHIM_LINUX_TYPES_H
#define __VMSM_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>

#include <stdbool.h>
#include <stddef.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#endif /* __VMSM_SHIM_LINUX_TYPES_H */
