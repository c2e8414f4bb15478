/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: symbol exports are a kernel-module concept. */
#ifndef __VMSM_UNIT_LINUX_EXPORT_H__
#define __VMSM_UNIT_LINUX_EXPORT_H__
#endif
