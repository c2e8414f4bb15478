/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace stand-in for the kernel's <asm/barrier.h>: the SMP barriers as
 * C11 fences, which order accesses between the threads of a test.
 */
#ifndef __VMSM_SHIM_ASM_BARRIER_H
#define __VMSM_SHIM_ASM_BARRIER_H

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

#endif /* __VMSM_SHIM_ASM_BARRIER_H */
