/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for <kunit/visibility.h>: functions marked
 * VISIBLE_IF_KUNIT stay visible so that the tests can call them, as with
 * KUnit enabled, and there is no module to export symbols from.
 */
#ifndef __VMSM_SHIM_KUNIT_VISIBILITY_H
#define __VMSM_SHIM_KUNIT_VISIBILITY_H

#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol)

#endif /* __VMSM_SHIM_KUNIT_VISIBILITY_H */
