/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <linux/errno.h>: libc's <errno.h>,
 * whose E* values are the kernel's. glibc's <errno.h> includes
 * <linux/errno.h> itself and lands here again, so that second time this
 * hands on to the uapi header instead of recursing.
 */
#ifndef _ERRNO_H
#include <errno.h>
#else
#include_next <linux/errno.h>
#endif
