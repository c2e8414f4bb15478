// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

/**
 * igt_vmsm_kmod_load_fd() - finit_module(2) on an open .ko file
 * @fd: the module file, open for reading
 * @opts: module parameters, "" for none
 *
 * Makes no other system call, so that it can be measured on its own (for
 * fault injection, for instance).
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_kmod_load_fd(int fd, const char *opts)
{
	return syscall(SYS_finit_module, fd, opts, 0) ? -errno : 0;
}

/* As igt_vmsm_kmod_load_fd(), for a .ko given by path. */
int igt_vmsm_kmod_load_path(const char *path, const char *opts)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = igt_vmsm_kmod_load_fd(fd, opts);
	close(fd);
	return ret;
}

/**
 * igt_vmsm_kmod_unload() - delete_module(2), without waiting
 * @name: the module name
 *
 * Return: 0, or -errno: -EWOULDBLOCK (-EAGAIN) while the module is in
 * use, -EBUSY while it is still loading or unloading, -ENOENT if it is not
 * loaded.
 */
int igt_vmsm_kmod_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

bool igt_vmsm_kmod_is_loaded(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}
