// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Import of a dma-buf from the dma-buf system heap into GPU address space.
 *
 * amd64 only: Debian's arm64 kernel has no dma-buf heaps, so the harness
 * leaves this program out of the arm64 lane (tools/vmsm-vm,
 * AMD64_ONLY_TESTS) and says so in its results; on amd64 a missing
 * /dev/dma_heap/system is a failure.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "igt_core.h"
#include "igt_drm.h"
#include "igt_vbuf.h"
#include "igt_vmsm.h"
#include "libvmsm.h"

#define HEAP	"/dev/dma_heap/system"

static int fd = -1;
static struct vmsm_device *dev;

static int heap_alloc(uint64_t size)
{
	struct dma_heap_allocation_data a = {
		.len = size,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = open(HEAP, O_RDONLY | O_CLOEXEC);

	igt_assert_f(heap >= 0, "%s: %s\n", HEAP, strerror(errno));
	igt_assert_f(ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a) == 0, "DMA_HEAP_IOCTL_ALLOC: %s\n",
		     strerror(errno));
	close(heap);
	return a.fd;
}

/* GPU writes reach the CPU through the heap's SYNC_START, CPU writes the GPU through SYNC_END. */
static void test_import_system_heap(void)
{
	const uint64_t size = 64 << 10;
	struct igt_vbuf imp, dst;
	int dmabuf = heap_alloc(size);
	uint8_t *map;

	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(map != MAP_FAILED);
	vbuf_import(dev, dmabuf, &imp);
	igt_assert_eq_u64(imp.size, size);
	vbuf_new(dev, &dst, size, VMSM_BO_WC);

	/*
	 * No device view: the heap's syncs of vmsm's attachment are DMA API
	 * calls on vmsm's device, which vmsm does not see (vmsm.rst,
	 * "dma-buf sharing"): the GPU sees CPU writes without SYNC_END.
	 */
	memset(map, 0x3b, size);
	vbuf_gpu_copy(&dst, &imp, 0, size);
	igt_assert_bytes(dst.ptr, 0, size, 0x3b);

	vbuf_gpu_fill(&imp, 0, size, 0x4d4d4d4d);
	igt_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_assert_bytes(map, 0, size, 0x4d);
	igt_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

	igt_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(map, 0x5c, size);
	igt_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	vbuf_gpu_copy(&dst, &imp, 0, size);
	igt_assert_bytes(dst.ptr, 0, size, 0x5c);

	vbuf_free(&dst);
	vbuf_free(&imp);
	munmap(map, size);
	close(dmabuf);
}

igt_main
{
	igt_fixture {
		fd = drm_open_driver(DRIVER_VMSM);
		lib_ok(vmsm_device_from_fd(fd, &dev));
	}

	igt_describe("A dma-buf of the system heap imported into GPU address space, both ways.");
	igt_subtest("import-system-heap")
		test_import_system_heap();

	igt_fixture {
		vmsm_device_close(dev);
		close(fd);
	}
}
