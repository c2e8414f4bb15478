/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Slab fault injection with the kernel's per-task fail-nth counter
 * (Documentation/fault-injection/fault-injection.rst): write n to
 * /proc/thread-self/fail-nth and the n-th slab allocation the thread makes
 * from then on fails, or the n-th page allocation once
 * igt_fail_page_alloc_setup() has made those eligible too. Needs
 * CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and
 * CONFIG_FAULT_INJECTION_DEBUG_FS.
 */
#ifndef IGT_FAULT_H
#define IGT_FAULT_H

#include <stdbool.h>

#define IGT_FAIL_NTH	"/proc/thread-self/fail-nth"
#define IGT_FAILSLAB	"/sys/kernel/debug/failslab"
#define IGT_FAIL_PAGE_ALLOC	"/sys/kernel/debug/fail_page_alloc"

int igt_fail_nth_open(void);
int igt_fail_nth_set(int fd, unsigned int n);
int igt_fail_nth_get(int fd);

bool igt_failslab_available(void);
int igt_failslab_setup(void);
int igt_failslab_require_stack(unsigned long start, unsigned long end);
int igt_failslab_reject_stack(unsigned long start, unsigned long end);
int igt_failslab_restore(void);
bool igt_fail_page_alloc_available(void);
int igt_fail_page_alloc_setup(void);

int igt_kallsyms_range(const char *name, unsigned long *start,
		       unsigned long *end);

#endif /* IGT_FAULT_H */
