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

#include "igt.h"
#include "igt_vmsm.h"

static int fd = -1;
static struct vmsm_device *dev;

struct heap_import {
	int dmabuf;
	uint8_t *map;
	struct vmsm_vbuf imp, dst;
};

#define HEAP_SIZE	(64 << 10)

/*
 * A heap buffer holding @v (written with both syncs) imported into GPU
 * address space, and a write-combined object to copy it into.
 */
static void heap_import(struct heap_import *h, uint8_t v)
{
	h->dmabuf = igt_vmsm_heap_alloc(HEAP_SIZE);
	h->map = mmap(NULL, HEAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, h->dmabuf, 0);
	igt_assert(h->map != MAP_FAILED);
	igt_vmsm_dmabuf_sync(h->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(h->map, v, HEAP_SIZE);
	igt_vmsm_dmabuf_sync(h->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	vmsm_vbuf_import(dev, h->dmabuf, &h->imp);
	igt_assert_eq_u64(h->imp.size, HEAP_SIZE);
	vmsm_vbuf_new(dev, &h->dst, HEAP_SIZE, VMSM_BO_WC);
}

/* What the GPU reads from the import, every byte @v. */
static void heap_gpu_reads(struct heap_import *h, uint8_t v)
{
	memset(h->dst.ptr, 0, HEAP_SIZE);
	vmsm_vbuf_gpu_copy(&h->dst, &h->imp, 0, HEAP_SIZE);
	igt_vmsm_assert_bytes(h->dst.ptr, 0, HEAP_SIZE, v);
}

static void heap_release(struct heap_import *h)
{
	vmsm_vbuf_free(&h->dst);
	vmsm_vbuf_free(&h->imp);
	munmap(h->map, HEAP_SIZE);
	close(h->dmabuf);
}

/* GPU writes reach the CPU through the heap's SYNC_START, CPU writes the GPU through SYNC_END. */
static void test_import_system_heap(void)
{
	struct heap_import h;

	heap_import(&h, 0x3b);
	heap_gpu_reads(&h, 0x3b);

	vmsm_vbuf_gpu_fill(&h.imp, 0, HEAP_SIZE, 0x4d4d4d4d);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(h.map, 0, HEAP_SIZE, 0x4d);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(h.map, 0x5c, HEAP_SIZE);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	heap_gpu_reads(&h, 0x5c);
	heap_release(&h);
}

/*
 * On the non-coherent device the import has a device view that only the
 * heap's syncs of vmsm's attachment update (vmsm.rst, "device model of the
 * DMA API"): a CPU write without SYNC_END stays out of the GPU's reach.
 */
static void test_stale_without_sync_end(void)
{
	struct heap_import h;

	heap_import(&h, 0x11);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(h.map, 0x3b, HEAP_SIZE);
	heap_gpu_reads(&h, 0x11);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	heap_gpu_reads(&h, 0x3b);
	heap_release(&h);
}

/* A GPU write reaches the CPU's mapping only with SYNC_START. */
static void test_stale_without_sync_start(void)
{
	struct heap_import h;

	heap_import(&h, 0x11);
	vmsm_vbuf_gpu_fill(&h.imp, 0, HEAP_SIZE, 0x4d4d4d4d);
	igt_vmsm_assert_bytes(h.map, 0, HEAP_SIZE, 0x11);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(h.map, 0, HEAP_SIZE, 0x4d);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	heap_release(&h);
}

/*
 * Misuse that loses nothing: a CPU write made without any sync survives a
 * later SYNC_START when no GPU wrote since (the view holds nothing newer),
 * and reaches the GPU with the next SYNC_END.
 */
static void test_unsynced_write_survives(void)
{
	struct heap_import h;

	heap_import(&h, 0x11);
	memset(h.map, 0x77, HEAP_SIZE);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	igt_vmsm_assert_bytes(h.map, 0, HEAP_SIZE, 0x77);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	heap_gpu_reads(&h, 0x77);
	heap_release(&h);
}

/*
 * A GPU write to part of the buffer: SYNC_START brings back the pages it
 * wrote, and keeps the CPU's unsynced write to a page it did not.
 */
static void test_partial_gpu_write(void)
{
	struct heap_import h;
	const uint64_t half = HEAP_SIZE / 2;

	heap_import(&h, 0x11);
	memset(h.map + half, 0x66, half);
	vmsm_vbuf_gpu_fill(&h.imp, 0, half, 0x4d4d4d4d);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(h.map, 0, half, 0x4d);
	igt_vmsm_assert_bytes(h.map, half, half, 0x66);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	heap_release(&h);
}

/*
 * SYNC_START with SYNC_WRITE alone, then a write to part of a page the GPU
 * wrote: SYNC_END gives the GPU the CPU's bytes and keeps its own.
 */
static void test_write_only_sync(void)
{
	struct heap_import h;

	heap_import(&h, 0x11);
	vmsm_vbuf_gpu_fill(&h.imp, 0, HEAP_SIZE, 0x4d4d4d4d);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(h.map, 0x99, 16);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	memset(h.dst.ptr, 0, HEAP_SIZE);
	vmsm_vbuf_gpu_copy(&h.dst, &h.imp, 0, HEAP_SIZE);
	igt_vmsm_assert_bytes(h.dst.ptr, 0, 16, 0x99);
	igt_vmsm_assert_bytes(h.dst.ptr, 16, HEAP_SIZE - 16, 0x4d);
	heap_release(&h);
}

/* Freeing the import hands what the GPU wrote to the heap's pages. */
static void test_gpu_write_outlives_import(void)
{
	struct heap_import h;

	heap_import(&h, 0x11);
	vmsm_vbuf_gpu_fill(&h.imp, 0, HEAP_SIZE, 0x2a2a2a2a);
	vmsm_vbuf_free(&h.imp);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(h.map, 0, HEAP_SIZE, 0x2a);
	igt_vmsm_dmabuf_sync(h.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	vmsm_vbuf_free(&h.dst);
	munmap(h.map, HEAP_SIZE);
	close(h.dmabuf);
}

igt_main
{
	igt_fixture {
		fd = igt_vmsm_open_driver();
		vmsm_lib_ok(vmsm_device_from_fd(fd, &dev));
	}

	igt_describe("A dma-buf of the system heap imported into GPU address space, both ways.");
	igt_subtest("import-system-heap")
		test_import_system_heap();

	igt_describe("A CPU write without SYNC_END is stale for the non-coherent GPU.");
	igt_subtest("stale-without-sync-end")
		test_stale_without_sync_end();

	igt_describe("A GPU write is stale for the CPU without SYNC_START.");
	igt_subtest("stale-without-sync-start")
		test_stale_without_sync_start();

	igt_describe("An unsynced CPU write survives a SYNC_START no GPU write preceded.");
	igt_subtest("unsynced-write-survives")
		test_unsynced_write_survives();

	igt_describe("SYNC_START brings back only the pages the GPU wrote.");
	igt_subtest("partial-gpu-write")
		test_partial_gpu_write();

	igt_describe("A write-only SYNC_START lets a partial write land on the GPU's data.");
	igt_subtest("write-only-sync")
		test_write_only_sync();

	igt_describe("What the GPU wrote reaches the heap's pages when the import is freed.");
	igt_subtest("gpu-write-outlives-import")
		test_gpu_write_outlives_import();

	igt_fixture {
		vmsm_device_close(dev);
		close(fd);
	}
}
