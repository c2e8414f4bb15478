// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "igt_core.h"
#include "igt_drm.h"
#include "igt_kmod.h"
#include "igt_vbuf.h"
#include "igt_vmsm.h"

#define JOB_TIMEOUT_NS	(30 * 1000000000ll)
#define DEVICE_TIMEOUT_MS	10000

/* A new object, CPU-mapped and mapped for the GPU. */
void vbuf_new(struct vmsm_device *d, struct igt_vbuf *b, uint64_t size, uint32_t flags)
{
	void *ptr;

	lib_ok(vmsm_bo_new(d, size, flags, &b->bo));
	lib_ok(vmsm_bo_map(b->bo, &ptr));
	lib_ok(vmsm_bo_iova(b->bo, &b->iova));
	b->ptr = ptr;
	b->size = vmsm_bo_size(b->bo);
	b->handle = vmsm_bo_handle(b->bo);
}

/* An imported dma-buf, mapped for the GPU (not for the CPU). */
void vbuf_import(struct vmsm_device *d, int dmabuf, struct igt_vbuf *b)
{
	lib_ok(vmsm_bo_import_dmabuf(d, dmabuf, &b->bo));
	lib_ok(vmsm_bo_iova(b->bo, &b->iova));
	b->ptr = NULL;
	b->size = vmsm_bo_size(b->bo);
	b->handle = vmsm_bo_handle(b->bo);
}

void vbuf_free(struct igt_vbuf *b)
{
	vmsm_bo_free(b->bo);
	memset(b, 0, sizeof(*b));
}

/* The whole object written by the CPU, with the ownership transfers. */
void vbuf_set(struct igt_vbuf *b, uint8_t value)
{
	lib_ok(vmsm_bo_cpu_prep(b->bo, VMSM_PREP_WRITE, JOB_TIMEOUT_NS));
	memset(b->ptr, value, b->size);
	lib_ok(vmsm_bo_cpu_fini(b->bo));
}

static void submit_wait(struct vmsm_cs *cs)
{
	struct vmsm_device *d = vmsm_bo_device(vmsm_cs_bo(cs));
	struct vmsm_submit_out out;

	lib_ok(vmsm_submit(cs, NULL, &out));
	lib_ok(vmsm_wait_fence(d, 0, out.fence, JOB_TIMEOUT_NS));
}

/* GPU: copy [@off, @off + @size) of @src to the same offset of @dst. */
void vbuf_gpu_copy(struct igt_vbuf *dst, struct igt_vbuf *src, uint64_t off, uint64_t size)
{
	struct vmsm_cs *cs;

	lib_ok(vmsm_cs_new(vmsm_bo_device(src->bo), 256, &cs));
	lib_ok(vmsm_cs_add_bo(cs, src->bo, VMSM_SUBMIT_BO_READ));
	lib_ok(vmsm_cs_add_bo(cs, dst->bo, VMSM_SUBMIT_BO_WRITE));
	lib_ok(vmsm_cs_copy(cs, dst->iova + off, src->iova + off, size));
	submit_wait(cs);
	vmsm_cs_free(cs);
}

/* GPU: fill [@off, @off + @size) of @dst with @pattern. */
void vbuf_gpu_fill(struct igt_vbuf *dst, uint64_t off, uint64_t size, uint32_t pattern)
{
	struct vmsm_cs *cs;

	lib_ok(vmsm_cs_new(vmsm_bo_device(dst->bo), 256, &cs));
	lib_ok(vmsm_cs_add_bo(cs, dst->bo, VMSM_SUBMIT_BO_WRITE));
	lib_ok(vmsm_cs_fill(cs, dst->iova + off, size, pattern));
	submit_wait(cs);
	vmsm_cs_free(cs);
}

void igt_assert_bytes(const uint8_t *p, uint64_t off, uint64_t size, uint8_t value)
{
	uint64_t i;

	for (i = off; i < off + size; i++)
		igt_assert_f(p[i] == value, "byte %llu: %#x, expected %#x\n",
			     (unsigned long long)i, p[i], value);
}

void igt_dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	igt_assert_f(igt_ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s) == 0,
		     "DMA_BUF_IOCTL_SYNC %#llx: %s\n", (unsigned long long)flags,
		     strerror(errno));
}

/* Unloads vmsm (nothing may hold it) and loads @ko with @params. */
int igt_vmsm_reload(const char *ko, const char *params)
{
	int i, ret = 0;

	/* A file just closed may still hold the device for a moment. */
	for (i = 0; i < 100; i++) {
		ret = igt_kmod_unload("vmsm");
		if (ret != -EBUSY && ret != -EAGAIN)
			break;
		usleep(20000);
	}
	if (ret && ret != -ENOENT)
		return ret;
	return igt_kmod_load_path(ko, params);
}

/*
 * The device's object count once it reaches @want: jobs drop their
 * references to objects when the scheduler frees them, a little after
 * their fences signal. Gives up (returning the count) after 30 s.
 */
int igt_vmsm_settled_objects(int fd, int want)
{
	int n = vmsm_debugfs_count(fd, "objects"), waited;

	for (waited = 0; n != want && waited < 30000; waited += 10) {
		usleep(10000);
		n = vmsm_debugfs_count(fd, "objects");
	}
	return n;
}

/* The primary node of the vmsm device of index @index, waiting for it. */
int igt_vmsm_open_index(int index)
{
	int waited, fds[8], n, i, found = -1;

	for (waited = 0; found < 0 && waited < DEVICE_TIMEOUT_MS; waited += 10) {
		n = drm_open_driver_all(DRIVER_VMSM, DRM_NODE_PRIMARY, fds, 8);
		for (i = 0; i < n; i++) {
			if (found < 0 &&
			    (int)vmsm_get_param(fds[i], VMSM_PARAM_DEVICE_INDEX) == index)
				found = fds[i];
			else
				close(fds[i]);
		}
		if (found < 0)
			usleep(10000);
	}
	return found;
}
