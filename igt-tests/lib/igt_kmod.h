/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Loading and unloading a kernel module with raw finit_module(2) and
 * delete_module(2), in the manner of IGT's igt_kmod.h (which uses libkmod,
 * not available in the static test binaries).
 */
#ifndef IGT_KMOD_H
#define IGT_KMOD_H

#include <stdbool.h>

int igt_kmod_load_fd(int fd, const char *opts);
int igt_kmod_load_path(const char *path, const char *opts);
int igt_kmod_unload(const char *name);
bool igt_kmod_is_loaded(const char *name);

#endif /* IGT_KMOD_H */
