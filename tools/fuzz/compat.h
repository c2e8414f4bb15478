/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The parts of the Linux 6.12 DRM uapi that the libdrm drm.h of the build
 * host (2.4.114) lacks. Structures that grew since libdrm's copy get a
 * fuzz_ name with the 6.12 layout, so that they never clash with a newer
 * libdrm; the kernel accepts both sizes (it zero-extends short arguments).
 */
#ifndef FUZZ_COMPAT_H
#define FUZZ_COMPAT_H

#include <drm.h>

#ifndef DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE	(1 << 3)
#endif
#ifndef DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP
#define DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP		0x15
#endif
#ifndef DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT
#define DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT	6
#endif

struct fuzz_syncobj_wait {
	__u64 handles;
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

struct fuzz_syncobj_timeline_wait {
	__u64 handles;
	__u64 points;
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

struct fuzz_syncobj_eventfd {
	__u32 handle;
	__u32 flags;
	__u64 point;
	__s32 fd;
	__u32 pad;
};

#define FUZZ_IOCTL_SYNCOBJ_WAIT \
	DRM_IOWR(0xC3, struct fuzz_syncobj_wait)
#define FUZZ_IOCTL_SYNCOBJ_TIMELINE_WAIT \
	DRM_IOWR(0xCA, struct fuzz_syncobj_timeline_wait)
#define FUZZ_IOCTL_SYNCOBJ_EVENTFD \
	DRM_IOWR(0xCF, struct fuzz_syncobj_eventfd)

_Static_assert(sizeof(struct fuzz_syncobj_wait) == 40, "6.12 layout");
_Static_assert(sizeof(struct fuzz_syncobj_timeline_wait) == 48, "6.12 layout");
_Static_assert(sizeof(struct fuzz_syncobj_eventfd) == 24, "6.12 layout");

#endif /* FUZZ_COMPAT_H */
