// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "igt.h"
#include "igt_vmsm.h"

#define JOB_TIMEOUT_NS	(30 * 1000000000ll)
#define DEVICE_TIMEOUT_MS	10000
#define PLATFORM_DEVICES	"/sys/bus/platform/devices"
#define VMSM_COMPATIBLE		"virtual,vmsm1-gpu"

/* A new object, CPU-mapped and mapped for the GPU. */
void vmsm_vbuf_new(struct vmsm_device *d, struct vmsm_vbuf *b, uint64_t size, uint32_t flags)
{
	void *ptr;

	vmsm_lib_ok(vmsm_bo_new(d, size, flags, &b->bo));
	vmsm_lib_ok(vmsm_bo_map(b->bo, &ptr));
	vmsm_lib_ok(vmsm_bo_iova(b->bo, &b->iova));
	b->ptr = ptr;
	b->size = vmsm_bo_size(b->bo);
	b->handle = vmsm_bo_handle(b->bo);
}

/* An imported dma-buf, mapped for the GPU (not for the CPU). */
void vmsm_vbuf_import(struct vmsm_device *d, int dmabuf, struct vmsm_vbuf *b)
{
	vmsm_lib_ok(vmsm_bo_import_dmabuf(d, dmabuf, &b->bo));
	vmsm_lib_ok(vmsm_bo_iova(b->bo, &b->iova));
	b->ptr = NULL;
	b->size = vmsm_bo_size(b->bo);
	b->handle = vmsm_bo_handle(b->bo);
}

void vmsm_vbuf_free(struct vmsm_vbuf *b)
{
	vmsm_bo_free(b->bo);
	memset(b, 0, sizeof(*b));
}

/* The whole object written by the CPU, with the ownership transfers. */
void vmsm_vbuf_set(struct vmsm_vbuf *b, uint8_t value)
{
	vmsm_lib_ok(vmsm_bo_cpu_prep(b->bo, VMSM_PREP_WRITE, JOB_TIMEOUT_NS));
	memset(b->ptr, value, b->size);
	vmsm_lib_ok(vmsm_bo_cpu_fini(b->bo));
}

static void submit_wait(struct vmsm_cs *cs)
{
	struct vmsm_device *d = vmsm_bo_device(vmsm_cs_bo(cs));
	struct vmsm_submit_out out;

	vmsm_lib_ok(vmsm_submit(cs, NULL, &out));
	vmsm_lib_ok(vmsm_wait_fence(d, 0, out.fence, JOB_TIMEOUT_NS));
}

/* GPU: copy [@off, @off + @size) of @src to the same offset of @dst. */
void vmsm_vbuf_gpu_copy(struct vmsm_vbuf *dst, struct vmsm_vbuf *src, uint64_t off, uint64_t size)
{
	struct vmsm_cs *cs;

	vmsm_lib_ok(vmsm_cs_new(vmsm_bo_device(src->bo), 256, &cs));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, src->bo, VMSM_SUBMIT_BO_READ));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst->bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_copy(cs, dst->iova + off, src->iova + off, size));
	submit_wait(cs);
	vmsm_cs_free(cs);
}

/* GPU: fill [@off, @off + @size) of @dst with @pattern. */
void vmsm_vbuf_gpu_fill(struct vmsm_vbuf *dst, uint64_t off, uint64_t size, uint32_t pattern)
{
	struct vmsm_cs *cs;

	vmsm_lib_ok(vmsm_cs_new(vmsm_bo_device(dst->bo), 256, &cs));
	vmsm_lib_ok(vmsm_cs_add_bo(cs, dst->bo, VMSM_SUBMIT_BO_WRITE));
	vmsm_lib_ok(vmsm_cs_fill(cs, dst->iova + off, size, pattern));
	submit_wait(cs);
	vmsm_cs_free(cs);
}

void igt_vmsm_assert_bytes(const uint8_t *p, uint64_t off, uint64_t size, uint8_t value)
{
	uint64_t i;

	for (i = off; i < off + size; i++)
		igt_assert_f(p[i] == value, "byte %llu: %#x, expected %#x\n",
			     (unsigned long long)i, p[i], value);
}

void igt_vmsm_dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	igt_assert_f(igt_ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s) == 0,
		     "DMA_BUF_IOCTL_SYNC %#llx: %s\n", (unsigned long long)flags,
		     strerror(errno));
}

/* Unloads vmsm (nothing may hold it) and loads @ko with @params. */
#define SYSTEM_HEAP	"/dev/dma_heap/system"

/**
 * igt_vmsm_heap_alloc() - a buffer of the dma-buf system heap
 * @size: its size in bytes
 *
 * The heap must be there (amd64's kernels have it): a missing heap or a
 * failed allocation fails the test.
 *
 * Return: the buffer's dma-buf, read-write and close-on-exec.
 */
int igt_vmsm_heap_alloc(uint64_t size)
{
	struct dma_heap_allocation_data a = {
		.len = size,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = open(SYSTEM_HEAP, O_RDONLY | O_CLOEXEC);

	igt_assert_f(heap >= 0, "%s: %s\n", SYSTEM_HEAP, strerror(errno));
	do_ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a);
	close(heap);
	return a.fd;
}

int igt_vmsm_reload(const char *ko, const char *params)
{
	int i, ret = 0;

	/* A file just closed may still hold the device for a moment. */
	for (i = 0; i < 100; i++) {
		ret = igt_vmsm_kmod_unload("vmsm");
		if (ret != -EBUSY && ret != -EAGAIN)
			break;
		usleep(20000);
	}
	if (ret && ret != -ENOENT)
		return ret;
	return igt_vmsm_kmod_load_path(ko, params);
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
		n = igt_vmsm_open_all(IGT_VMSM_NODE_PRIMARY, fds, 8);
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

/*
 * Counts the tree's vmsm devices of coherency @coherent; @first receives
 * the least name, and is left alone if there is none.
 */
static int tree_scan(bool coherent, char *first, size_t len)
{
	char path[PATH_MAX], compat[64], least[NAME_MAX + 1] = "";
	struct dirent *de;
	int n = 0, f;
	ssize_t got;
	DIR *dir;

	dir = opendir(PLATFORM_DEVICES);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PLATFORM_DEVICES "/%s/of_node/compatible",
			 de->d_name);
		f = open(path, O_RDONLY | O_CLOEXEC);
		if (f < 0)
			continue;
		got = read(f, compat, sizeof(compat) - 1);
		close(f);
		if (got <= 0)
			continue;
		compat[got] = '\0';
		/* the first string of the list */
		if (strcmp(compat, VMSM_COMPATIBLE))
			continue;
		snprintf(path, sizeof(path), PLATFORM_DEVICES "/%s/of_node/dma-coherent",
			 de->d_name);
		if ((access(path, F_OK) == 0) != coherent)
			continue;
		n++;
		if (!least[0] || strcmp(de->d_name, least) < 0)
			snprintf(least, sizeof(least), "%s", de->d_name);
	}
	closedir(dir);
	if (n && first && len)
		snprintf(first, len, "%s", least);
	return n;
}

/**
 * igt_vmsm_tree_devices() - vmsm devices the device tree describes
 * @coherent: count the nodes with dma-coherent (true) or those without
 *
 * The platform devices the kernel made from nodes compatible with
 * "virtual,vmsm1-gpu" (on arm64 boards, and in the arm64 lanes, which
 * boot with QEMU virt's device tree plus vmsm's overlays), bound or not.
 *
 * Return: their number; 0 where there is no device tree (amd64).
 */
int igt_vmsm_tree_devices(bool coherent)
{
	return tree_scan(coherent, NULL, 0);
}

/**
 * igt_vmsm_tree_device_name() - a vmsm device of the device tree
 * @coherent: one with dma-coherent (true) or one without
 * @name: receives the platform device's name (the least one, if several);
 *	left alone if the tree has none
 * @len: size of @name
 *
 * Return: true if the tree has such a device.
 */
bool igt_vmsm_tree_device_name(bool coherent, char *name, size_t len)
{
	return tree_scan(coherent, name, len) > 0;
}

/* Up to @want primary nodes of vmsm devices of coherency @coherent. */
static int open_coherent(bool coherent, int want, int *fds)
{
	int all[16], n, i, got = 0;

	n = igt_vmsm_open_all(IGT_VMSM_NODE_PRIMARY, all, 16);
	for (i = 0; i < n; i++) {
		if (got < want &&
		    !!vmsm_get_param(all[i], VMSM_PARAM_COHERENT) == coherent)
			fds[got++] = all[i];
		else
			close(all[i]);
	}
	return got;
}

/**
 * igt_vmsm_devices() - vmsm devices of both kinds, for a test that shares
 *	between non-coherent and coherent devices
 * @ko: the vmsm.ko to reload if needed (VMSM_KO)
 * @noncoherent: non-coherent devices the test needs
 * @coherent: coherent devices it needs
 * @fds: receives @noncoherent + @coherent primary nodes, the non-coherent
 *	devices first, each kind in the order of its cards
 *
 * Takes the devices of the device tree, as a board has them (the arm64
 * lanes: two non-coherent nodes and a dma-coherent one,
 * VMSM_PARAM_COHERENT from the property). Where there is no tree, the
 * module registers them itself: vmsm is then reloaded with num_devices
 * and coherent for those devices alone. A tree that lacks some fails the
 * test rather than get them from the module, and so does a device that
 * does not show up.
 *
 * Return: true if vmsm was reloaded: the caller loads it back with its
 * defaults (igt_vmsm_reload(@ko, "")) when done.
 */
bool igt_vmsm_devices(const char *ko, int noncoherent, int coherent, int *fds)
{
	int miss_nc = noncoherent - igt_vmsm_tree_devices(false);
	int miss_c = coherent - igt_vmsm_tree_devices(true);
	char params[128], name[NAME_MAX + 1];
	int waited, nc = 0, co = 0, i;
	bool reloaded = false;
	size_t len;

	if (miss_nc < 0)
		miss_nc = 0;
	if (miss_c < 0)
		miss_c = 0;
	igt_assert_f(!(miss_nc + miss_c) || (miss_nc == noncoherent && miss_c == coherent),
		     "the device tree has %d non-coherent and %d coherent vmsm devices, %d and %d needed\n",
		     noncoherent - miss_nc, coherent - miss_c, noncoherent, coherent);
	if (miss_nc + miss_c) {
		igt_assert_f(ko && *ko, "VMSM_KO must name the vmsm.ko to load\n");
		len = snprintf(params, sizeof(params), "num_devices=%d coherent=",
			       miss_nc + miss_c);
		for (i = 0; i < miss_nc + miss_c; i++)
			len += snprintf(params + len, sizeof(params) - len, "%s%d",
					i ? "," : "", i >= miss_nc);
		igt_info("the device tree has %d non-coherent and %d coherent vmsm devices: loading vmsm with %s\n",
			 noncoherent - miss_nc, coherent - miss_c, params);
		igt_assert_eq(igt_vmsm_reload(ko, params), 0);
		reloaded = true;
	}
	for (waited = 0; waited < DEVICE_TIMEOUT_MS; waited += 10) {
		nc = open_coherent(false, noncoherent, fds);
		co = open_coherent(true, coherent, fds + nc);
		if (nc == noncoherent && co == coherent)
			break;
		for (i = 0; i < nc + co; i++)
			close(fds[i]);
		usleep(10000);
	}
	igt_assert_f(nc == noncoherent && co == coherent,
		     "%d non-coherent and %d coherent vmsm devices, %d and %d wanted\n",
		     nc, co, noncoherent, coherent);
	for (i = 0; i < nc + co; i++)
		if (!igt_vmsm_device_name(fds[i], name, sizeof(name)))
			igt_info("%s vmsm device %d: %s\n",
				  i < nc ? "non-coherent" : "coherent", i, name);
	return reloaded;
}

/**
 * igt_vmsm_load_defaults() - undo igt_vmsm_devices()' reload, if it did
 * @reloaded: what igt_vmsm_devices() returned; false afterwards
 *
 * Loads $VMSM_KO back with its default parameters when *@reloaded, with a
 * warning if that fails: for exit handlers, which must not fail the test.
 * The caller closes its files of vmsm first.
 *
 * Return: the value *@reloaded had, true if vmsm was (to be) reloaded.
 */
bool igt_vmsm_load_defaults(bool *reloaded)
{
	bool was = *reloaded;

	if (was && igt_vmsm_reload(getenv("VMSM_KO"), ""))
		igt_warn("cannot load vmsm back with its defaults\n");
	*reloaded = false;
	return was;
}
