// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

/**
 * igt_vmsm_read_file() - read a small file, such as a sysfs attribute
 * @path: the file
 * @buf: receives the contents, NUL terminated, truncated to @len - 1
 * @len: size of @buf
 *
 * Return: the number of bytes read, or -errno.
 */
int igt_vmsm_read_file(const char *path, char *buf, size_t len)
{
	ssize_t ret;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (ret < 0)
		return -err;
	buf[ret] = '\0';
	return ret;
}

/**
 * igt_vmsm_write_file() - write a string to a file in one write(2)
 * @path: the file, usually a sysfs, debugfs or procfs attribute
 * @text: what to write
 *
 * Return: 0 when all of @text was written, or -errno.
 */
int igt_vmsm_write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t ret;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, text, len);
	err = errno;
	close(fd);
	if (ret < 0)
		return -err;
	return (size_t)ret == len ? 0 : -EIO;
}

/**
 * igt_vmsm_cap_set_effective() - raise or drop a capability of the calling thread
 * @cap: a CAP_* number
 * @on: put it in (true) or take it out of (false) the effective set
 *
 * The permitted set is left alone, so a capability dropped this way can be
 * raised again: this is for code that must run without it for a moment,
 * such as opening a DRM node as an unprivileged client.
 *
 * Return: 0, or -errno.
 */
int igt_vmsm_cap_set_effective(int cap, bool on)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int bit = 1u << (cap % 32);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (on)
		data[cap / 32].effective |= bit;
	else
		data[cap / 32].effective &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}
