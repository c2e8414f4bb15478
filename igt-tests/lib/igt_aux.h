/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The part of IGT's igt_aux.h that the tests use: igt_wait().
 */
#ifndef IGT_AUX_H
#define IGT_AUX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/**
 * igt_wait() - poll COND until it is true or timeout_ms has passed
 *
 * Evaluates to the last value of COND, as IGT's igt_wait() does.
 */
#define igt_wait(COND, timeout_ms, interval_ms) ({ \
	const struct timespec __tick = { \
		.tv_sec = (interval_ms) / 1000, \
		.tv_nsec = ((interval_ms) % 1000) * 1000000L, \
	}; \
	int __waited = 0; \
	bool __ok; \
	while (!(__ok = (COND)) && __waited < (timeout_ms)) { \
		nanosleep(&__tick, NULL); \
		__waited += (interval_ms); \
	} \
	__ok; \
})

#endif /* IGT_AUX_H */
