// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * dma-buf sharing (uapi 1.8): import of vgem and udmabuf buffers into GPU
 * address spaces, export with vmsm's dma_buf_ops (DMA_BUF_IOCTL_SYNC does
 * the ownership transfers), sharing between vmsm devices of different
 * coherency with the coherency query and its policy, and
 * VMSM_BO_CACHE_AUTO.
 *
 * The system heap is tested by vmsm_prime_heap, on amd64 only: Debian's
 * arm64 kernel has no dma-buf heaps.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/udmabuf.h>

#include "igt.h"
#include "igt_vmsm.h"

static int fd = -1;
static struct vmsm_device *dev;

static int open_vgem(void)
{
	char path[32], name[16];
	int i, f;

	for (i = 0; i < 16; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(f, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return f;
		close(f);
	}
	igt_assert_f(false, "no vgem device (the harness loads vgem)\n");
	return -1;
}

/* A vgem dumb buffer of @size bytes, its CPU mapping and a dma-buf of it. */
static int vgem_dmabuf(int vgem, uint64_t size, uint8_t **map)
{
	struct drm_mode_create_dumb c = { .width = size / 4, .height = 1, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	struct drm_prime_handle p = { .flags = DRM_CLOEXEC | DRM_RDWR };

	igt_assert_eq(igt_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &c), 0);
	m.handle = c.handle;
	igt_assert_eq(igt_ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &m), 0);
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem, m.offset);
	igt_assert(*map != MAP_FAILED);
	p.handle = c.handle;
	igt_assert_eq(igt_ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p), 0);
	return p.fd;
}

/* A counter of device @f's debugfs file vmsm_coherency, at a line start. */
static int64_t coh_count(int f, const char *name)
{
	static char buf[16384];
	char key[40];
	const char *line;
	long long v;

	igt_assert_f(igt_vmsm_debugfs_read(f, "vmsm_coherency", buf, sizeof(buf)) > 0,
		     "no vmsm_coherency in debugfs\n");
	snprintf(key, sizeof(key), "\n%s ", name);
	line = strstr(buf, key);
	igt_assert_f(line && sscanf(line + strlen(key), "%lld", &v) == 1, "no %s in vmsm_coherency\n", name);
	return v;
}

/* The device-view pages of device @f's objects. */
static int64_t shadow_pages(int f)
{
	return coh_count(f, "shadow_pages");
}

/*
 * The same once it reaches @want, after objects were freed: a job's
 * references to the objects it listed go when the scheduler frees the
 * job, a moment after its fence signalled, so the count follows late.
 */
static int64_t shadow_pages_settled(int f, int64_t want)
{
	int64_t n = shadow_pages(f);

	for (int waited = 0; n != want && waited < 30000; waited += 10) {
		usleep(10000);
		n = shadow_pages(f);
	}
	return n;
}

/*
 * Round trips through a foreign buffer: GPU writes, CPU reads, and back.
 * With @rw_only every DMA_BUF_IOCTL_SYNC is read-write: udmabuf maps its
 * pages with the direction of the first sync and then syncs in the
 * direction of each later one, which DMA-API debugging reports as a
 * driver bug unless the direction never changes.
 */
static void check_foreign(int dmabuf, uint8_t *cpu, uint64_t size, bool rw_only, bool view)
{
	uint64_t rd = rw_only ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ;
	uint64_t wr = rw_only ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_WRITE;
	struct vmsm_vbuf imp, dst;
	int64_t objects = vmsm_debugfs_count(fd, "objects");

	int64_t views = shadow_pages(fd);

	vmsm_vbuf_import(dev, dmabuf, &imp);
	igt_assert_eq_u64(imp.size, size);
	igt_assert_eq(vmsm_debugfs_count(fd, "objects"), objects + 1);

	vmsm_vbuf_new(dev, &dst, size, VMSM_BO_WC);
	memset(cpu, 0x71, size);
	vmsm_vbuf_gpu_copy(&dst, &imp, 0, size);
	if (view) {
		/*
		 * A device view that only the exporter's syncs of vmsm's
		 * attachment move: without them each side reads what it had.
		 */
		igt_assert_eq(shadow_pages(fd), views + (int64_t)(size / getpagesize()));
		igt_vmsm_assert_bytes(dst.ptr, 0, size, 0);
		vmsm_vbuf_gpu_fill(&imp, 0, size, 0x72727272);
		igt_vmsm_assert_bytes(cpu, 0, size, 0x71);
	} else {
		/*
		 * No device view: the exporter's DMA_BUF_IOCTL_SYNC does not
		 * reach vmsm (vmsm.rst, "dma-buf sharing"), so the GPU sees
		 * the CPU's writes, and the CPU the GPU's, without it.
		 */
		igt_assert_eq(shadow_pages_settled(fd, views), views);
		igt_vmsm_assert_bytes(dst.ptr, 0, size, 0x71);
		vmsm_vbuf_gpu_fill(&imp, 0, size, 0x72727272);
		igt_vmsm_assert_bytes(cpu, 0, size, 0x72);
	}

	vmsm_vbuf_gpu_fill(&imp, 0, size, 0x5e5e5e5e);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | rd);
	igt_vmsm_assert_bytes(cpu, 0, size, 0x5e);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | rd);

	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | wr);
	memset(cpu, 0x6f, size);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | wr);
	vmsm_vbuf_gpu_copy(&dst, &imp, 0, size);
	igt_vmsm_assert_bytes(dst.ptr, 0, size, 0x6f);
	vmsm_vbuf_free(&dst);
	vmsm_vbuf_free(&imp);
	igt_assert_eq(igt_vmsm_settled_objects(fd, objects), objects);
}

static void test_import_vgem(void)
{
	const uint64_t size = 64 << 10;
	int vgem = open_vgem(), dmabuf;
	uint8_t *map;

	dmabuf = vgem_dmabuf(vgem, size, &map);
	check_foreign(dmabuf, map, size, false, false);
	munmap(map, size);
	close(dmabuf);
	close(vgem);
}

static void test_import_udmabuf(void)
{
	const uint64_t size = 64 << 10;
	struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = size };
	int memfd, udev, dmabuf;
	uint8_t *map;

	memfd = memfd_create("vmsm-udmabuf", MFD_ALLOW_SEALING);
	igt_assert(memfd >= 0);
	igt_assert_eq(ftruncate(memfd, size), 0);
	igt_assert_eq(fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	igt_assert(map != MAP_FAILED);
	udev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	igt_assert_f(udev >= 0, "/dev/udmabuf: %s\n", strerror(errno));
	c.memfd = memfd;
	dmabuf = ioctl(udev, UDMABUF_CREATE, &c);
	igt_assert_f(dmabuf >= 0, "UDMABUF_CREATE: %s\n", strerror(errno));

	/* a view with a udmabuf that syncs its attachments (tools/guest/init) */
	check_foreign(dmabuf, map, size, true, getenv("VMSM_UDMABUF_VIEW") != NULL);
	munmap(map, size);
	close(dmabuf);
	close(udev);
	close(memfd);
}

/* Files of one device share one import of a dma-buf. */
static void test_import_once(void)
{
	const uint64_t size = 16 << 10;
	int vgem = open_vgem(), dmabuf, other;
	int objects = vmsm_debugfs_count(fd, "objects");
	struct vmsm_device *d2;
	struct vmsm_vbuf a, b;
	uint8_t *map;

	dmabuf = vgem_dmabuf(vgem, size, &map);
	other = drm_reopen_driver(fd);
	igt_assert(other >= 0);
	vmsm_lib_ok(vmsm_device_from_fd(other, &d2));
	vmsm_vbuf_import(dev, dmabuf, &a);
	vmsm_vbuf_import(d2, dmabuf, &b);
	igt_assert_eq(vmsm_debugfs_count(fd, "objects"), objects + 1);
	/* One object: what one file's job writes, the other's reads. */
	vmsm_vbuf_gpu_fill(&a, 0, size, 0x7a7a7a7a);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(map, 0, size, 0x7a);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	vmsm_vbuf_free(&a);
	vmsm_vbuf_free(&b);
	vmsm_device_close(d2);
	close(other);
	igt_assert_eq(igt_vmsm_settled_objects(fd, objects), objects);
	munmap(map, size);
	close(dmabuf);
	close(vgem);
}

static void test_import_bad(void)
{
	struct drm_prime_handle p = { .fd = -1 };
	int memfd = memfd_create("not-a-dmabuf", 0);
	struct vmsm_bo *bo = NULL;

	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p) ? errno : 0, EBADF);
	igt_assert(memfd >= 0);
	vmsm_lib_err(vmsm_bo_import_dmabuf(dev, memfd, &bo), EINVAL);
	igt_assert(!bo);
	close(memfd);
}

/*
 * The exporter's dma-buf: mmap with the object's caching, and
 * DMA_BUF_IOCTL_SYNC doing GEM_CPU_PREP/FINI's transfers.
 */
static void test_export_sync(void)
{
	const uint64_t size = 16 << 10;
	struct vmsm_vbuf src, dst;
	int dmabuf;
	uint8_t *map;

	vmsm_vbuf_new(dev, &src, size, VMSM_BO_CACHED);
	vmsm_vbuf_new(dev, &dst, size, VMSM_BO_WC);
	vmsm_vbuf_set(&src, 0x01);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(src.bo, &dmabuf));
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(map != MAP_FAILED);

	/* Written outside SYNC_START/END: the GPU sees the old contents. */
	memset(map, 0x02, size);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, size);
	igt_vmsm_assert_bytes(dst.ptr, 0, size, 0x01);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, size);
	igt_vmsm_assert_bytes(dst.ptr, 0, size, 0x02);

	/*
	 * SYNC_START without SYNC_END: the submit ends the CPU's access, so
	 * the GPU reads what the CPU wrote, and the stale copy never comes
	 * back over what the GPU writes next.
	 */
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(map, 0x04, size);
	vmsm_vbuf_gpu_copy(&dst, &src, 0, size);
	igt_vmsm_assert_bytes(dst.ptr, 0, size, 0x04);

	vmsm_vbuf_gpu_fill(&src, 0, size, 0x03030303);
	igt_vmsm_assert_bytes(map, 0, size, 0x04);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(map, 0, size, 0x03);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	munmap(map, size);
	close(dmabuf);
	vmsm_vbuf_free(&src);
	vmsm_vbuf_free(&dst);
}

/* A dma-buf of one of the device's own objects imports as that object. */
static void test_self_import(void)
{
	struct vmsm_bo *again = NULL;
	struct vmsm_vbuf b;
	int dmabuf;

	vmsm_vbuf_new(dev, &b, 4096, VMSM_BO_CACHED);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(b.bo, &dmabuf));
	vmsm_lib_ok(vmsm_bo_import_dmabuf(dev, dmabuf, &again));
	igt_assert(again == b.bo);
	vmsm_bo_free(again);
	close(dmabuf);
	vmsm_vbuf_free(&b);
}

static uint64_t bo_flags(int f, uint32_t handle)
{
	return vmsm_gem_info(f, handle, VMSM_INFO_GET_FLAGS);
}

/* AUTO on the non-coherent device: write-combined, other flags kept. */
static void test_auto_noncoherent(void)
{
	uint32_t h;

	h = vmsm_gem_new(fd, 4096, VMSM_BO_CACHE_AUTO);
	igt_assert_eq_u64(bo_flags(fd, h), VMSM_BO_WC);
	vmsm_gem_close(fd, h);
	h = vmsm_gem_new(fd, 4096, VMSM_BO_CACHE_AUTO | VMSM_BO_GPU_READONLY | VMSM_BO_NO_SHARE);
	igt_assert_eq_u64(bo_flags(fd, h),
			  VMSM_BO_WC | VMSM_BO_GPU_READONLY | VMSM_BO_NO_SHARE);
	vmsm_gem_close(fd, h);
	for (uint32_t mode = VMSM_BO_CACHE_AUTO + 1; mode <= VMSM_BO_CACHE_MASK; mode++)
		igt_assert_eq(__vmsm_gem_new(fd, 4096, mode, &h), -EINVAL);
	igt_assert_eq(__vmsm_gem_new(fd, 4096, 0, &h), -EINVAL);
}

/*
 * Three devices: 0 and 1 non-coherent, 2 coherent
 * ===============================================
 *
 * The device tree's where there is one (arm64: two non-coherent nodes and
 * a coherent one), otherwise registered by the module (num_devices,
 * coherent).
 */

static int devs[3] = { -1, -1, -1 };
static struct vmsm_device *vdevs[3];
static bool reloaded, policy_set;

static void set_policy(const char *policy)
{
	policy_set = true;
	igt_assert_eq(igt_vmsm_write_file("/sys/module/vmsm/parameters/dmabuf_cached_policy",
				     policy), 0);
}

static void restore_module(int sig)
{
	unsigned int i;

	(void)sig;
	for (i = 0; i < 3; i++) {
		vmsm_device_close(vdevs[i]);
		vdevs[i] = NULL;
		if (devs[i] >= 0)
			close(devs[i]);
		devs[i] = -1;
	}
	if (!igt_vmsm_load_defaults(&reloaded) && policy_set &&
	    igt_vmsm_write_file("/sys/module/vmsm/parameters/dmabuf_cached_policy", "bracket"))
		igt_warn("cannot set dmabuf_cached_policy back to bracket\n");
	policy_set = false;
}

/* Devices 0 to @nc - 1 non-coherent (1 or 2 of them), device 2 coherent. */
static void three_devices(int nc)
{
	int fds[3], i;

	vmsm_device_close(dev);
	dev = NULL;
	close(fd);
	fd = -1;
	igt_install_exit_handler(restore_module);
	reloaded = igt_vmsm_devices(getenv("VMSM_KO"), nc, 1, fds);
	for (i = 0; i < nc; i++)
		devs[i] = fds[i];
	devs[2] = fds[nc];
	for (i = 0; i < 3; i++) {
		if (devs[i] < 0)
			continue;
		vmsm_lib_ok(vmsm_device_from_fd(devs[i], &vdevs[i]));
		igt_assert_eq_u64(vmsm_get_param(devs[i], VMSM_PARAM_COHERENT), i == 2);
	}
}

/*
 * Shared between two non-coherent devices: the importer sees the CPU's
 * writes only after DMA_BUF_IOCTL_SYNC, as the exporter does.
 */
static void test_share_noncoherent(void)
{
	const uint64_t size = 16 << 10;
	struct vmsm_vbuf src, imp, dst;
	int dmabuf;
	uint8_t *map;

	three_devices(2);
	fd = devs[0];
	vmsm_vbuf_new(vdevs[0], &src, size, VMSM_BO_CACHED);
	vmsm_vbuf_set(&src, 0x11);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(src.bo, &dmabuf));
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(map != MAP_FAILED);

	fd = devs[1];
	vmsm_vbuf_import(vdevs[1], dmabuf, &imp);
	vmsm_vbuf_new(vdevs[1], &dst, size, VMSM_BO_WC);
	/* A write outside SYNC_START/END: the importer's GPU does not see it. */
	memset(map, 0x22, size);
	vmsm_vbuf_gpu_copy(&dst, &imp, 0, size);
	igt_vmsm_assert_bytes(dst.ptr, 0, size, 0x11);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	vmsm_vbuf_gpu_copy(&dst, &imp, 0, size);
	igt_vmsm_assert_bytes(dst.ptr, 0, size, 0x22);

	/* The importer's GPU writes reach the CPU through SYNC_START. */
	vmsm_vbuf_gpu_fill(&imp, 0, size, 0x33333333);
	igt_vmsm_assert_bytes(map, 0, size, 0x22);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(map, 0, size, 0x33);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

	munmap(map, size);
	vmsm_vbuf_free(&dst);
	vmsm_vbuf_free(&imp);
	fd = devs[0];
	vmsm_vbuf_free(&src);
	close(dmabuf);
	fd = -1;
}

/*
 * A cached object of the coherent device 2 on the non-coherent devices 0
 * and 1: the import has a device view, shared by both importers, that
 * only the exporter's DMA_BUF_IOCTL_SYNC keeps: a missing SYNC_END is
 * stale on the importers' GPUs, a missing SYNC_START leaves their writes
 * out of the CPU's view, and a SYNC_END that did not begin after their
 * writes keeps them. The exporter's GPU always sees the CPU's view.
 */
static void test_share_coherent_exporter(void)
{
	/* device views are counted in CPU pages */
	const uint64_t size = 16 << 10, pages = size / getpagesize();
	struct vmsm_vbuf src, dst2, imp0, dst0, imp1, dst1;
	int64_t views0, views1;
	int dmabuf;
	uint8_t *map;

	three_devices(2);
	views0 = shadow_pages(devs[0]);
	views1 = shadow_pages(devs[1]);
	/* No ownership state: nothing to report, nothing refused. */
	vmsm_debugfs_set_bool(devs[0], "vmsm_coherency_check", true);
	vmsm_debugfs_set_bool(devs[1], "vmsm_coherency_strict", true);
	fd = devs[2];
	vmsm_vbuf_new(vdevs[2], &src, size, VMSM_BO_CACHED_COHERENT);
	vmsm_vbuf_new(vdevs[2], &dst2, size, VMSM_BO_WC);
	vmsm_vbuf_set(&src, 0x11);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(src.bo, &dmabuf));
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(map != MAP_FAILED);

	fd = devs[0];
	vmsm_vbuf_import(vdevs[0], dmabuf, &imp0);
	vmsm_vbuf_new(vdevs[0], &dst0, size, VMSM_BO_WC);
	igt_assert_eq(shadow_pages(devs[0]), views0 + pages);
	/* Written without SYNC: device 0 reads the view its import made. */
	memset(map, 0x22, size);
	vmsm_vbuf_gpu_copy(&dst0, &imp0, 0, size);
	igt_vmsm_assert_bytes(dst0.ptr, 0, size, 0x11);
	fd = devs[2];
	vmsm_vbuf_gpu_copy(&dst2, &src, 0, size);
	igt_vmsm_assert_bytes(dst2.ptr, 0, size, 0x22);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	fd = devs[0];
	vmsm_vbuf_gpu_copy(&dst0, &imp0, 0, size);
	igt_vmsm_assert_bytes(dst0.ptr, 0, size, 0x22);

	/* Device 1 shares the view: it sees device 0's writes at once. */
	fd = devs[1];
	vmsm_vbuf_import(vdevs[1], dmabuf, &imp1);
	vmsm_vbuf_new(vdevs[1], &dst1, size, VMSM_BO_WC);
	igt_assert_eq(shadow_pages(devs[1]), views1 + pages);
	fd = devs[0];
	vmsm_vbuf_gpu_fill(&imp0, 0, size, 0x33333333);
	fd = devs[1];
	vmsm_vbuf_gpu_copy(&dst1, &imp1, 0, size);
	igt_vmsm_assert_bytes(dst1.ptr, 0, size, 0x33);

	/* Not in the CPU's view before SYNC_START; an END alone keeps them. */
	igt_vmsm_assert_bytes(map, 0, size, 0x22);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	vmsm_vbuf_gpu_copy(&dst1, &imp1, 0, size);
	igt_vmsm_assert_bytes(dst1.ptr, 0, size, 0x33);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(map, 0, size, 0x33);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	/* A second SYNC_START does not take the view back again. */
	memset(map, 0x44, size);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(map, 0, size, 0x44);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

	vmsm_vbuf_free(&dst1);
	vmsm_vbuf_free(&imp1);
	fd = devs[0];
	vmsm_vbuf_free(&dst0);
	vmsm_vbuf_free(&imp0);
	igt_assert_eq(shadow_pages_settled(devs[0], views0), views0);
	igt_assert_eq(shadow_pages_settled(devs[1], views1), views1);
	igt_assert_eq(coh_count(devs[0], "violations"), 0);
	igt_assert_eq(coh_count(devs[1], "refused"), 0);
	vmsm_debugfs_set_bool(devs[0], "vmsm_coherency_check", false);
	vmsm_debugfs_set_bool(devs[1], "vmsm_coherency_strict", false);
	munmap(map, size);
	fd = devs[2];
	vmsm_vbuf_free(&dst2);
	vmsm_vbuf_free(&src);
	close(dmabuf);
	fd = -1;
}

/*
 * A cached object of the non-coherent device 0 on the coherent device 2:
 * device 2 reads and writes the CPU's view, with or without SYNC; device
 * 0 sees a CPU write only after it is handed over; the two devices' jobs
 * see each other's writes without any sync (the GPU core's
 * device-to-device hand-over), and a SYNC_START does not overwrite
 * device 2's writes with device 0's view.
 */
static void test_share_coherent_importer(void)
{
	const uint64_t size = 16 << 10;
	struct vmsm_vbuf src, dst0, imp2, dst2;
	int dmabuf;
	uint8_t *map;

	three_devices(1);
	fd = devs[0];
	vmsm_vbuf_new(vdevs[0], &src, size, VMSM_BO_CACHED);
	vmsm_vbuf_new(vdevs[0], &dst0, size, VMSM_BO_WC);
	vmsm_vbuf_set(&src, 0x11);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(src.bo, &dmabuf));
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(map != MAP_FAILED);
	fd = devs[2];
	vmsm_vbuf_import(vdevs[2], dmabuf, &imp2);
	vmsm_vbuf_new(vdevs[2], &dst2, size, VMSM_BO_WC);

	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(map, 0x22, size);
	vmsm_vbuf_gpu_copy(&dst2, &imp2, 0, size);
	igt_vmsm_assert_bytes(dst2.ptr, 0, size, 0x22);
	fd = devs[0];
	vmsm_vbuf_gpu_copy(&dst0, &src, 0, size);
	igt_vmsm_assert_bytes(dst0.ptr, 0, size, 0x22);

	fd = devs[2];
	vmsm_vbuf_gpu_fill(&imp2, 0, size, 0x55555555);
	igt_vmsm_assert_bytes(map, 0, size, 0x55);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(map, 0, size, 0x55);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	/* Device 0's next job sees device 2's writes, with no sync between. */
	fd = devs[0];
	vmsm_vbuf_gpu_copy(&dst0, &src, 0, size);
	igt_vmsm_assert_bytes(dst0.ptr, 0, size, 0x55);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(map, 0x66, size);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	vmsm_vbuf_gpu_copy(&dst0, &src, 0, size);
	igt_vmsm_assert_bytes(dst0.ptr, 0, size, 0x66);

	/* Device 2's next job sees device 0's writes, with no sync between. */
	vmsm_vbuf_gpu_fill(&src, 0, size, 0x77777777);
	fd = devs[2];
	vmsm_vbuf_gpu_copy(&dst2, &imp2, 0, size);
	igt_vmsm_assert_bytes(dst2.ptr, 0, size, 0x77);
	/*
	 * Device 2 writes what device 0 wrote last: the CPU's SYNC_START,
	 * which invalidates after device 0's write, keeps device 2's.
	 */
	fd = devs[0];
	vmsm_vbuf_gpu_fill(&src, 0, size, 0x88888888);
	fd = devs[2];
	vmsm_vbuf_gpu_fill(&imp2, 0, size / 2, 0x99999999);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_vmsm_assert_bytes(map, 0, size / 2, 0x99);
	igt_vmsm_assert_bytes(map, size / 2, size / 2, 0x88);
	igt_vmsm_dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	fd = devs[0];
	vmsm_vbuf_gpu_copy(&dst0, &src, 0, size);
	igt_vmsm_assert_bytes(dst0.ptr, 0, size / 2, 0x99);
	igt_vmsm_assert_bytes(dst0.ptr, size / 2, size / 2, 0x88);

	munmap(map, size);
	fd = devs[2];
	vmsm_vbuf_free(&dst2);
	vmsm_vbuf_free(&imp2);
	fd = devs[0];
	vmsm_vbuf_free(&dst0);
	vmsm_vbuf_free(&src);
	close(dmabuf);
	fd = -1;
}

/* GPU addresses of the VM_BIND file of share-vm-bind-held */
#define HELD_VA_CMDS	0x10000000ull
#define HELD_VA_IMP	0x20000000ull
#define HELD_VA_DST	0x30000000ull

static void held_map(int f, uint32_t handle, uint64_t va, uint64_t size)
{
	struct drm_vmsm_vm_bind_op o = {
		.op = VMSM_VM_BIND_OP_MAP, .handle = handle, .iova = va, .range = size,
	};
	struct drm_vmsm_vm_bind req = { .nr_ops = 1, .ops = (uintptr_t)&o };
	struct drm_vmsm_wait_fence w = { .fence = 0, .timeout_ns = INT64_MAX };

	do_ioctl(f, DRM_IOCTL_VMSM_VM_BIND, &req);
	w.fence = req.fence;
	do_ioctl(f, DRM_IOCTL_VMSM_WAIT_FENCE, &w);
}

static uint32_t held_new(int f, uint64_t size, uint8_t **map)
{
	struct drm_vmsm_gem_new req = { .size = size, .flags = VMSM_BO_WC };
	struct drm_vmsm_gem_info info = { .info = VMSM_INFO_GET_MMAP_OFFSET };
	void *p;

	do_ioctl(f, DRM_IOCTL_VMSM_GEM_NEW, &req);
	info.handle = req.handle;
	do_ioctl(f, DRM_IOCTL_VMSM_GEM_INFO, &info);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, f, info.value);
	igt_assert(p != MAP_FAILED);
	*map = p;
	return req.handle;
}

/* A COPY of @size bytes from the import to the destination, unlisted. */
static int held_copy(int f, uint32_t *cs, uint64_t size)
{
	struct drm_vmsm_submit_cmd cmd = { .iova = HELD_VA_CMDS, .size = 7 };
	struct drm_vmsm_gem_submit req = { .cmds = (uintptr_t)&cmd, .nr_cmds = 1 };
	struct drm_vmsm_wait_fence w = { .timeout_ns = INT64_MAX };

	cs[0] = VMSM_CP_PKT(VMSM_CP_COPY, 6);
	cs[1] = (uint32_t)HELD_VA_DST;
	cs[2] = (uint32_t)(HELD_VA_DST >> 32);
	cs[3] = (uint32_t)HELD_VA_IMP;
	cs[4] = (uint32_t)(HELD_VA_IMP >> 32);
	cs[5] = (uint32_t)size;
	cs[6] = (uint32_t)(size >> 32);
	if (igt_ioctl(f, DRM_IOCTL_VMSM_GEM_SUBMIT, &req))
		return -errno;
	w.fence = req.fence;
	do_ioctl(f, DRM_IOCTL_VMSM_WAIT_FENCE, &w);
	return 0;
}

/*
 * A VM_BIND space of the non-coherent importer, device 1, maps its
 * import of device 0's cached object, while the CPU holds the object
 * through device 0's handle: the space's job reaches it unlisted, and its
 * submit hands it over as the uapi's "Ownership (1.10)" says (the CPU's
 * write is cleaned for the job; in strict mode the submit is refused),
 * although the access named another device's handle.
 */
static void test_share_vm_bind_held(void)
{
	const uint64_t size = 16 << 10;
	uint8_t *cmds, *dstmap, *srcmap;
	struct drm_prime_handle prime = {};
	struct vmsm_vbuf src;
	uint32_t cmds_bo, dst_bo;
	int64_t violations;
	int dmabuf, bfd;

	three_devices(2);
	fd = devs[0];
	vmsm_vbuf_new(vdevs[0], &src, size, VMSM_BO_CACHED);
	vmsm_vbuf_set(&src, 0x11);
	vmsm_lib_ok(vmsm_bo_export_dmabuf(src.bo, &dmabuf));
	srcmap = src.ptr;

	bfd = drm_reopen_driver(devs[1]);
	cmds_bo = held_new(bfd, 4096, &cmds);
	dst_bo = held_new(bfd, size, &dstmap);
	prime.fd = dmabuf;
	do_ioctl(bfd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime);
	held_map(bfd, cmds_bo, HELD_VA_CMDS, 4096);
	held_map(bfd, prime.handle, HELD_VA_IMP, size);
	held_map(bfd, dst_bo, HELD_VA_DST, size);

	igt_assert_eq(held_copy(bfd, (uint32_t *)cmds, size), 0);
	igt_vmsm_assert_bytes(dstmap, 0, size, 0x11);

	/* Held through device 0's handle, written, not ended: handed over. */
	vmsm_lib_ok(vmsm_bo_cpu_prep(src.bo, VMSM_PREP_WRITE, INT64_MAX));
	memset(srcmap, 0x22, size);
	igt_assert_eq(held_copy(bfd, (uint32_t *)cmds, size), 0);
	igt_vmsm_assert_bytes(dstmap, 0, size, 0x22);
	/* Bracketed: exact, and checking mode reports nothing. */
	violations = coh_count(devs[0], "violations");
	vmsm_debugfs_set_bool(devs[0], "vmsm_coherency_check", true);
	vmsm_lib_ok(vmsm_bo_cpu_prep(src.bo, VMSM_PREP_WRITE, INT64_MAX));
	memset(srcmap, 0x33, size);
	vmsm_lib_ok(vmsm_bo_cpu_fini(src.bo));
	igt_assert_eq(held_copy(bfd, (uint32_t *)cmds, size), 0);
	igt_vmsm_assert_bytes(dstmap, 0, size, 0x33);
	igt_assert_eq(coh_count(devs[0], "violations"), violations);
	vmsm_debugfs_set_bool(devs[0], "vmsm_coherency_check", false);

	/*
	 * Strict mode of the device whose object holds the ownership state,
	 * the exporter: refused while the CPU holds it, nothing copied.
	 */
	vmsm_debugfs_set_bool(devs[0], "vmsm_coherency_strict", true);
	vmsm_lib_ok(vmsm_bo_cpu_prep(src.bo, VMSM_PREP_WRITE, INT64_MAX));
	memset(srcmap, 0x44, size);
	igt_assert_eq(held_copy(bfd, (uint32_t *)cmds, size), -EBUSY);
	igt_vmsm_assert_bytes(dstmap, 0, size, 0x33);
	vmsm_lib_ok(vmsm_bo_cpu_fini(src.bo));
	igt_assert_eq(held_copy(bfd, (uint32_t *)cmds, size), 0);
	igt_vmsm_assert_bytes(dstmap, 0, size, 0x44);
	vmsm_debugfs_set_bool(devs[0], "vmsm_coherency_strict", false);

	munmap(cmds, 4096);
	munmap(dstmap, size);
	close(bfd);
	vmsm_vbuf_free(&src);
	close(dmabuf);
	fd = -1;
}

static int try_import(int importer, struct vmsm_vbuf *b)
{
	struct vmsm_bo *bo = NULL;
	int dmabuf, ret;

	vmsm_lib_ok(vmsm_bo_export_dmabuf(b->bo, &dmabuf));
	ret = vmsm_bo_import_dmabuf(vdevs[importer], dmabuf, &bo);
	vmsm_bo_free(bo);
	close(dmabuf);
	return ret;
}

/*
 * The coherency query decides: cached objects shared across coherency
 * domains are bracketed (default) or refused, by policy; write-combined
 * objects, and cached ones between coherent devices, always go.
 */
static void test_share_policy(void)
{
	struct vmsm_vbuf nc_cached, nc_wc, co_cached;

	three_devices(2);
	vmsm_vbuf_new(vdevs[0], &nc_cached, 4096, VMSM_BO_CACHED);
	vmsm_vbuf_new(vdevs[0], &nc_wc, 4096, VMSM_BO_WC);
	vmsm_vbuf_new(vdevs[2], &co_cached, 4096, VMSM_BO_CACHED_COHERENT);

	set_policy("bracket");
	vmsm_lib_ok(try_import(2, &nc_cached));
	vmsm_lib_ok(try_import(0, &co_cached));
	vmsm_lib_ok(try_import(1, &nc_cached));

	set_policy("reject");
	vmsm_lib_err(try_import(2, &nc_cached), EOPNOTSUPP);
	vmsm_lib_err(try_import(1, &nc_cached), EOPNOTSUPP);
	vmsm_lib_err(try_import(0, &co_cached), EOPNOTSUPP);
	vmsm_lib_ok(try_import(2, &nc_wc));
	vmsm_lib_ok(try_import(1, &nc_wc));
	set_policy("bracket");

	vmsm_vbuf_free(&nc_cached);
	vmsm_vbuf_free(&nc_wc);
	vmsm_vbuf_free(&co_cached);
}

/* AUTO asks the same query: cached on the coherent device. */
static void test_auto_coherent(void)
{
	uint32_t h;

	three_devices(1);
	h = vmsm_gem_new(devs[2], 4096, VMSM_BO_CACHE_AUTO);
	igt_assert_eq_u64(bo_flags(devs[2], h), VMSM_BO_CACHED_COHERENT);
	vmsm_gem_close(devs[2], h);
	h = vmsm_gem_new(devs[0], 4096, VMSM_BO_CACHE_AUTO);
	igt_assert_eq_u64(bo_flags(devs[0], h), VMSM_BO_WC);
	vmsm_gem_close(devs[0], h);
}

igt_main
{
	igt_fixture {
		fd = igt_vmsm_open_driver();
		vmsm_lib_ok(vmsm_device_from_fd(fd, &dev));
		igt_assert_f(vmsm_get_param(fd, VMSM_PARAM_COHERENT) == 0,
			     "device 0 must be non-coherent (the module's default)\n");
	}

	igt_describe("A vgem buffer imported into GPU address space, both ways, "
		     "without a device view.");
	igt_subtest("import-vgem")
		test_import_vgem();

	igt_describe("A udmabuf (memfd pages) imported into GPU address space, both "
		     "ways, without a device view.");
	igt_subtest("import-udmabuf")
		test_import_udmabuf();

	igt_describe("Two files of one device importing a dma-buf share one object.");
	igt_subtest("import-once")
		test_import_once();

	igt_describe("Importing what is not a dma-buf fails cleanly.");
	igt_subtest("import-bad")
		test_import_bad();

	igt_describe("DMA_BUF_IOCTL_SYNC on vmsm's dma-buf does the ownership transfers.");
	igt_subtest("export-sync")
		test_export_sync();

	igt_describe("A dma-buf of the device's own object imports as that object.");
	igt_subtest("self-import")
		test_self_import();

	igt_describe("VMSM_BO_CACHE_AUTO is write-combined on a non-coherent device.");
	igt_subtest("auto-noncoherent")
		test_auto_noncoherent();

	igt_describe("Shared between non-coherent vmsm devices, a missing "
		     "DMA_BUF_IOCTL_SYNC is stale on the importer.");
	igt_subtest("share-noncoherent")
		test_share_noncoherent();

	igt_describe("A coherent device's cached object on non-coherent importers: "
		     "their shared device view follows DMA_BUF_IOCTL_SYNC only.");
	igt_subtest("share-coherent-exporter")
		test_share_coherent_exporter();

	igt_describe("A non-coherent device's cached object on a coherent importer, "
		     "which sees the CPU's view.");
	igt_subtest("share-coherent-importer")
		test_share_coherent_importer();

	igt_describe("A VM_BIND space of an importing device hands over what the CPU "
		     "holds through the exporter's handle.");
	igt_subtest("share-vm-bind-held")
		test_share_vm_bind_held();

	igt_describe("Cached objects across coherency domains: bracketed or refused "
		     "by policy; write-combined ones always shared.");
	igt_subtest("share-policy")
		test_share_policy();

	igt_describe("VMSM_BO_CACHE_AUTO is cached on a coherent device.");
	igt_subtest("auto-coherent")
		test_auto_coherent();

	igt_fixture {
		vmsm_device_close(dev);
		dev = NULL;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
}
