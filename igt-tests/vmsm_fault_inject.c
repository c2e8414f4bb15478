// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_fault_inject: every slab and page allocation on a path fails in turn,
 * and the path must cope. For n = 1, 2, ... the test arms the kernel's per-task
 * fail-nth counter (/proc/thread-self/fail-nth) with n, runs the
 * operation, and reads the counter back: 0 means the n-th allocation was
 * made and failed; anything else means the operation made fewer than n
 * allocations, every one of them has been failed once, and the loop ends.
 *
 * Only for the checking kernel (CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB,
 * CONFIG_FAULT_INJECTION_DEBUG_FS): there, a missing fail-nth or failslab
 * is a failure, not a skip. failslab is set up so that fail-nth reaches
 * GFP_KERNEL allocations (ignore-gfp-wait=N) and injected failures are not
 * reported with a stack dump (verbose=0), and restored by an exit handler,
 * which also leaves vmsm loaded with its default parameters. module-load
 * also uses failslab's stack filters (CONFIG_FAULT_INJECTION_STACKTRACE_
 * FILTER) to fail only allocations made under module code.
 *
 * With kmemleak on, every allocation is followed by one for kmemleak's own
 * metadata, whose failure kmemleak absorbs (it falls back to its pool):
 * half of the "succeeded anyway" attempts are those.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>


#include "igt.h"
#include "igt_vmsm.h"

#define MODULE_NAME		"vmsm"
#define MODULE_SYSFS		"/sys/module/" MODULE_NAME
#define MAX_INJECTIONS		2000
/*
 * Every module-load point costs a load and an unload under KASAN: the
 * default covers the first points of init and probe within CI's time;
 * VMSM_FAULT_MODULE_POINTS raises it (the test walks up to 2000).
 */
#define MODULE_INJECTIONS	40
#define DEVICE_TIMEOUT_MS	2000

static int fail_nth = -1;
static int card = -1;
static int opened = -1;
static int ko_fd = -1;
static char card_path[PATH_MAX];
static uint32_t syncobj;
static unsigned int nth;

/* How the attempts of the current subtest ended. */
static struct {
	unsigned int enomem;
	unsigned int einval;
	unsigned int succeeded;
	unsigned int with_device;
	unsigned int without_device;
} stats;

/**
 * struct fault_op - one operation to inject faults into
 * @run: the operation, with a failure armed; returns 0 or -errno and may
 *	make no system call but the one under test
 * @check: checks @run's result, with fail-nth disarmed again
 * @undo: undoes a successful @run
 */
struct fault_op {
	const char *name;
	int (*run)(void);
	void (*check)(int ret);
	void (*undo)(void);
};

/* Runs op with its n-th allocation failing. Return: fail-nth afterwards. */
static int run_with_fault(const struct fault_op *op, unsigned int n, int *ret)
{
	int left;

	igt_assert_eq(igt_vmsm_fail_nth_set(fail_nth, n), 0);
	*ret = op->run();
	left = igt_vmsm_fail_nth_get(fail_nth);
	igt_assert_eq(igt_vmsm_fail_nth_set(fail_nth, 0), 0);
	igt_assert_f(left >= 0, "reading " IGT_VMSM_FAIL_NTH ": %s\n",
		     strerror(-left));
	return left;
}

/* Return: the number of allocations of op that were failed in turn. */
static unsigned int inject_each(const struct fault_op *op, unsigned int max)
{
	unsigned int n;
	int ret, left;

	memset(&stats, 0, sizeof(stats));
	for (n = 1; n <= max; n++) {
		nth = n;
		left = run_with_fault(op, n, &ret);
		igt_debug("%s with allocation %u failing: %d\n", op->name,
			  n, ret);
		op->check(ret);
		if (left) {
			igt_assert_f(ret == 0, "%s failed (%s) with no fault injected\n",
				     op->name, strerror(-ret));
			op->undo();
			return n - 1;
		}
		if (ret) {
			stats.enomem += ret == -ENOMEM;
			stats.einval += ret == -EINVAL;
		} else {
			stats.succeeded++;
			op->undo();
		}
	}
	igt_info("%s: stopped after %u injected failures\n", op->name, max);
	return max;
}

static void report(const struct fault_op *op, unsigned int points)
{
	igt_info("%s: %u injection points: %u attempts failed with ENOMEM, %u with EINVAL, %u succeeded anyway\n",
		 op->name, points, stats.enomem, stats.einval, stats.succeeded);
}

static void check_enomem(int ret)
{
	igt_assert_f(ret == 0 || ret == -ENOMEM,
		     "allocation %u failing: expected success or ENOMEM, got %d (%s)\n",
		     nth, ret, strerror(-ret));
}

static void check_device_works(int fd)
{
	igt_assert_eq_u64(vmsm_get_param(fd, VMSM_PARAM_CHIP_ID) >> 24, 1);
}

static int run_open(void)
{
	opened = open(card_path, O_RDWR | O_CLOEXEC);
	return opened < 0 ? -errno : 0;
}

static void undo_open(void)
{
	igt_assert_eq(close(opened), 0);
	opened = -1;
}

static const struct fault_op open_op = {
	.name = "open",
	.run = run_open,
	.check = check_enomem,
	.undo = undo_open,
};

static void test_open_close(void)
{
	unsigned int points;

	card = igt_vmsm_open_driver();
	igt_assert_eq(igt_vmsm_node_path(card, card_path, sizeof(card_path)), 0);

	points = inject_each(&open_op, MAX_INJECTIONS);
	report(&open_op, points);
	igt_assert_lt(0, points);

	check_device_works(card);
	igt_assert_eq(vmsm_debugfs_clients(card), 1);
	drm_close_driver(card);
	card = -1;
}

static int run_syncobj_create(void)
{
	struct drm_syncobj_create create = { };

	if (igt_ioctl(card, DRM_IOCTL_SYNCOBJ_CREATE, &create))
		return -errno;
	syncobj = create.handle;
	return 0;
}

static void undo_syncobj_create(void)
{
	struct drm_syncobj_destroy destroy = { .handle = syncobj };

	do_ioctl(card, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy);
}

static const struct fault_op syncobj_op = {
	.name = "SYNCOBJ_CREATE",
	.run = run_syncobj_create,
	.check = check_enomem,
	.undo = undo_syncobj_create,
};

static void test_syncobj_create(void)
{
	unsigned int points;

	card = igt_vmsm_open_driver();
	points = inject_each(&syncobj_op, MAX_INJECTIONS);
	report(&syncobj_op, points);
	igt_assert_lt(0, points);

	/*
	 * Handles come from idr_alloc(..., 1, 0, ...), lowest free first: 1
	 * again unless a failed attempt left a handle behind.
	 */
	igt_assert_eq(run_syncobj_create(), 0);
	igt_assert_eq_u32(syncobj, 1);
	undo_syncobj_create();
	check_device_works(card);
	drm_close_driver(card);
	card = -1;
}

/* ---- the render paths: objects, mappings, submission, VM_BIND ---- */

#define OBJ_SIZE	(256u << 10)
#define BIND_VA_STEP	(4ull << 20)	/* a new page table per attempt */

/* What the render ops work with: one file, one target object. */
static struct {
	int fd;
	uint32_t dst;		/* object the jobs write into */
	uint64_t dst_iova;
	uint32_t cs;		/* command stream object */
	uint32_t *cs_map;
	uint32_t handle;	/* made by the op under test */
	void *map;
	int fence_fd;
	uint32_t fence;
	uint32_t value;		/* what the next job writes */
	uint64_t va;		/* VM_BIND: next address */
	int peer;		/* second file (dma-buf import) */
	int vgem;		/* vgem file (dma-buf import) */
	int dmabuf;		/* a vgem buffer's dma-buf */
} r = { .fd = -1, .fence_fd = -1, .peer = -1, .vgem = -1, .dmabuf = -1 };

static int ret_errno(int ret)
{
	return ret ? -errno : 0;
}

static int run_gem_new(void)
{
	struct drm_vmsm_gem_new n = { .size = OBJ_SIZE, .flags = VMSM_BO_CACHED };
	struct drm_vmsm_gem_info i = { .info = VMSM_INFO_GET_IOVA };
	struct drm_gem_close c = { };
	int ret;

	ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_VMSM_GEM_NEW, &n));
	if (ret)
		return ret;
	/* the GPU address pins the pages and grows the page tables */
	i.handle = n.handle;
	ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_VMSM_GEM_INFO, &i));
	if (ret) {
		c.handle = n.handle;
		do_ioctl(r.fd, DRM_IOCTL_GEM_CLOSE, &c);
		return ret;
	}
	r.handle = n.handle;
	return 0;
}

static void undo_close_handle(void)
{
	vmsm_gem_close(r.fd, r.handle);
	r.handle = 0;
}

static const struct fault_op gem_new_op = {
	.name = "GEM_NEW+GET_IOVA",
	.run = run_gem_new,
	.check = check_enomem,
	.undo = undo_close_handle,
};

/* The shmem helper pins every page of the object at mmap(). */
static int run_mmap(void)
{
	uint64_t off = vmsm_gem_info(r.fd, r.dst, VMSM_INFO_GET_MMAP_OFFSET);

	r.map = mmap(NULL, OBJ_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, off);
	if (r.map == MAP_FAILED) {
		r.map = NULL;
		return -errno;
	}
	return 0;
}

static void undo_mmap(void)
{
	volatile uint32_t *p = r.map;

	igt_assert_eq_u32(p[0], p[0]);	/* the mapping works */
	igt_assert_eq(munmap(r.map, OBJ_SIZE), 0);
	r.map = NULL;
}

static const struct fault_op mmap_op = {
	.name = "mmap",
	.run = run_mmap,
	.check = check_enomem,
	.undo = undo_mmap,
};

/* A job that writes r.value into the first dword of r.dst. */
static void build_write_job(void)
{
	r.cs_map[0] = VMSM_CP_PKT(VMSM_CP_WRITE, 3);
	r.cs_map[1] = (uint32_t)r.dst_iova;
	r.cs_map[2] = (uint32_t)(r.dst_iova >> 32);
	r.cs_map[3] = r.value;
}

static int run_submit(void)
{
	struct drm_vmsm_submit_bo bos[2] = {
		{ .handle = r.dst, .flags = VMSM_SUBMIT_BO_WRITE },
		{ .handle = r.cs, .flags = VMSM_SUBMIT_BO_READ },
	};
	struct drm_vmsm_submit_cmd cmd = { .handle = r.cs, .size = 4 };
	struct drm_vmsm_gem_submit s = {
		.flags = VMSM_SUBMIT_FENCE_FD_OUT,
		.bos = (uintptr_t)bos, .nr_bos = 2,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1,
		.fence_fd = -1,
	};
	int ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s));

	if (!ret) {
		r.fence_fd = s.fence_fd;
		r.fence = s.fence;
	}
	return ret;
}

static void wait_fence(uint32_t fence)
{
	struct drm_vmsm_wait_fence w = { .fence = fence };
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	w.timeout_ns = (ts.tv_sec + 10) * 1000000000ll + ts.tv_nsec;
	do_ioctl(r.fd, DRM_IOCTL_VMSM_WAIT_FENCE, &w);
}

static uint32_t read_dst(void)
{
	struct drm_vmsm_gem_cpu_prep prep = { .handle = r.dst, .op = VMSM_PREP_READ };
	struct drm_vmsm_gem_cpu_fini fini = { .handle = r.dst };
	uint64_t off = vmsm_gem_info(r.fd, r.dst, VMSM_INFO_GET_MMAP_OFFSET);
	uint32_t *p, v;

	prep.timeout_ns = INT64_MAX;
	do_ioctl(r.fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &prep);
	p = mmap(NULL, OBJ_SIZE, PROT_READ, MAP_SHARED, r.fd, off);
	igt_assert(p != MAP_FAILED);
	v = p[0];
	munmap(p, OBJ_SIZE);
	do_ioctl(r.fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &fini);
	return v;
}

/* The job ran: its fence fd signals and the value landed. */
static void undo_submit(void)
{
	wait_fence(r.fence);
	igt_assert_lt(0, r.fence_fd);
	close(r.fence_fd);
	r.fence_fd = -1;
	igt_assert_eq_u32(read_dst(), r.value);
	r.value++;
	build_write_job();
}

static const struct fault_op submit_op = {
	.name = "GEM_SUBMIT",
	.run = run_submit,
	.check = check_enomem,
	.undo = undo_submit,
};

static int run_submitqueue_new(void)
{
	struct drm_vmsm_submitqueue q = { .prio = 1 };
	int ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_VMSM_SUBMITQUEUE_NEW, &q));

	if (!ret)
		r.handle = q.id;
	return ret;
}

static void undo_submitqueue_new(void)
{
	struct drm_vmsm_submitqueue_close c = { .id = r.handle };

	do_ioctl(r.fd, DRM_IOCTL_VMSM_SUBMITQUEUE_CLOSE, &c);
}

static const struct fault_op submitqueue_op = {
	.name = "SUBMITQUEUE_NEW",
	.run = run_submitqueue_new,
	.check = check_enomem,
	.undo = undo_submitqueue_new,
};

/* One VM_BIND operation (none with op ~0: the mode switch alone). */
static int bind(uint32_t op, uint32_t handle, uint64_t va, uint64_t range,
		uint32_t *fence)
{
	struct drm_vmsm_vm_bind_op o = {
		.op = op, .handle = handle, .iova = va, .range = range,
	};
	struct drm_vmsm_vm_bind b = {
		.nr_ops = o.op == ~0u ? 0 : 1, .ops = (uintptr_t)&o, .fence_fd = -1,
	};
	int ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_VMSM_VM_BIND, &b));

	if (!ret && fence)
		*fence = b.fence;
	return ret;
}

/* Each attempt maps at a new 4 MiB step: new page tables every time. */
static int run_vm_bind(void)
{
	return bind(VMSM_VM_BIND_OP_MAP, r.dst, r.va, OBJ_SIZE, &r.fence);
}

static void undo_vm_bind(void)
{
	uint32_t fence;

	wait_fence(r.fence);
	igt_assert_eq(bind(VMSM_VM_BIND_OP_UNMAP, 0, r.va, OBJ_SIZE, &fence), 0);
	wait_fence(fence);
	r.va += BIND_VA_STEP;
}

static void check_vm_bind(int ret)
{
	check_enomem(ret);
	if (ret)
		r.va += BIND_VA_STEP;
}

static const struct fault_op vm_bind_op = {
	.name = "VM_BIND",
	.run = run_vm_bind,
	.check = check_vm_bind,
	.undo = undo_vm_bind,
};

/* Export as a dma-buf and import into another file of the device. */
static int run_prime(void)
{
	struct drm_prime_handle exp = { .handle = r.dst, .flags = DRM_CLOEXEC };
	struct drm_prime_handle imp = { .fd = -1 };
	int ret;

	ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp));
	if (ret)
		return ret;
	imp.fd = exp.fd;
	ret = ret_errno(igt_ioctl(r.peer, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp));
	close(exp.fd);
	if (!ret)
		r.handle = imp.handle;
	return ret;
}

static void undo_prime(void)
{
	igt_assert_eq_u64(vmsm_gem_info(r.peer, r.handle, VMSM_INFO_GET_FLAGS),
			  vmsm_gem_info(r.fd, r.dst, VMSM_INFO_GET_FLAGS));
	vmsm_gem_close(r.peer, r.handle);
	r.handle = 0;
}

static const struct fault_op prime_op = {
	.name = "PRIME export+import",
	.run = run_prime,
	.check = check_enomem,
	.undo = undo_prime,
};

/* Import a vgem buffer and map it into the GPU address space. */
static int run_import_vgem(void)
{
	struct drm_prime_handle imp = { .fd = r.dmabuf };
	struct drm_vmsm_gem_info i = { .info = VMSM_INFO_GET_IOVA };
	struct drm_gem_close c = { };
	int ret;

	ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp));
	if (ret) {
		if (ret != -ENOMEM)
			igt_info("FD_TO_HANDLE: %s\n", strerror(-ret));
		return ret;
	}
	i.handle = imp.handle;
	ret = ret_errno(igt_ioctl(r.fd, DRM_IOCTL_VMSM_GEM_INFO, &i));
	if (ret) {
		if (ret != -ENOMEM)
			igt_info("GET_IOVA: %s\n", strerror(-ret));
		c.handle = imp.handle;
		do_ioctl(r.fd, DRM_IOCTL_GEM_CLOSE, &c);
		return ret;
	}
	r.handle = imp.handle;
	return 0;
}

static const struct fault_op import_vgem_op = {
	.name = "PRIME import from vgem",
	.run = run_import_vgem,
	.check = check_enomem,
	.undo = undo_close_handle,
};

/*
 * The same from the system heap: on the non-coherent device the import
 * gets a device view through the view device (amd64: Debian's arm64
 * kernel has no dma-buf heaps).
 */
static const struct fault_op import_heap_op = {
	.name = "PRIME import from the system heap",
	.run = run_import_vgem,
	.check = check_enomem,
	.undo = undo_close_handle,
};

/* A system-heap buffer of 256 KiB, in r.dmabuf. */
static void heap_export(void)
{
	r.dmabuf = igt_vmsm_heap_alloc(256 << 10);
}

/* A vgem dumb buffer exported as a dma-buf, in r.dmabuf. */
static void vgem_export(void)
{
	struct drm_mode_create_dumb dumb = { .width = 256, .height = 256, .bpp = 32 };
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };

	r.vgem = drm_open_driver(DRIVER_VGEM);
	do_ioctl(r.vgem, DRM_IOCTL_MODE_CREATE_DUMB, &dumb);
	exp.handle = dumb.handle;
	do_ioctl(r.vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	r.dmabuf = exp.fd;
}

static void render_setup(bool user_va)
{
	uint64_t off;

	r.fd = igt_vmsm_open_driver();
	r.value = 0x1000;
	r.dst = vmsm_gem_new(r.fd, OBJ_SIZE, VMSM_BO_CACHED);
	r.cs = vmsm_gem_new(r.fd, 4096, VMSM_BO_WC);
	if (user_va) {
		igt_assert_eq(bind(~0u, 0, 0, 0, NULL), 0);
		r.va = vmsm_get_param(r.fd, VMSM_PARAM_VA_START) + BIND_VA_STEP;
		return;
	}
	r.dst_iova = vmsm_gem_info(r.fd, r.dst, VMSM_INFO_GET_IOVA);
	off = vmsm_gem_info(r.fd, r.cs, VMSM_INFO_GET_MMAP_OFFSET);
	r.cs_map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, off);
	igt_assert(r.cs_map != MAP_FAILED);
	build_write_job();
}

/* No job, object or address space of a closed file is left on fd's device. */
static bool released(int fd)
{
	return vmsm_debugfs_count(fd, "jobs") == 0 &&
	       vmsm_debugfs_count(fd, "objects") == 0 &&
	       vmsm_debugfs_count(fd, "vms") ==
	       1 + vmsm_debugfs_count(fd, "kernel_clients");
}

/*
 * After the walk: a job still runs and lands, and once the file is closed
 * the device holds no object, address space or job of it.
 */
static void render_teardown(void)
{
	int fd;

	if (r.cs_map) {
		igt_assert_eq(run_submit(), 0);
		undo_submit();
		munmap(r.cs_map, 4096);
		r.cs_map = NULL;
	}
	check_device_works(r.fd);
	if (r.peer >= 0)
		drm_close_driver(r.peer);
	if (r.dmabuf >= 0)
		close(r.dmabuf);
	if (r.vgem >= 0)
		drm_close_driver(r.vgem);
	drm_close_driver(r.fd);
	r.fd = r.peer = r.vgem = r.dmabuf = -1;
	fd = igt_vmsm_open_driver();
	/*
	 * Job release is asynchronous, and a job's last reference to its
	 * address space (which holds the bound objects) is dropped from the
	 * driver's release workqueue after the job is counted as freed.
	 */
	igt_wait(released(fd), 5000, 10);
	igt_assert_eq(vmsm_debugfs_count(fd, "jobs"), 0);
	igt_assert_eq(vmsm_debugfs_count(fd, "objects"), 0);
	igt_assert_eq(vmsm_debugfs_count(fd, "clients"), 1);
	/* fd's own and the in-kernel clients' */
	igt_assert_eq(vmsm_debugfs_count(fd, "vms"),
		      1 + vmsm_debugfs_count(fd, "kernel_clients"));
	drm_close_driver(fd);
}

static void test_render_op(const struct fault_op *op, bool user_va)
{
	unsigned int points;

	render_setup(user_va);
	if (op == &prime_op)
		r.peer = igt_vmsm_open_driver();
	if (op == &import_vgem_op)
		vgem_export();
	if (op == &import_heap_op)
		heap_export();
	points = inject_each(op, MAX_INJECTIONS);
	report(op, points);
	igt_assert_lt(0, points);
	render_teardown();
}

/* ---- the display: dumb buffers, framebuffers, atomic commits ---- */

/* What the display ops work with: the master file, CRTC 0, two fbs. */
static struct {
	int fd;
	struct vmsm_kms_display disp;
	struct vmsm_kms_fb fbs[2];
	unsigned int shown;	/* index of the fb on the primary */
	bool active;		/* the CRTC's ACTIVE */
	uint32_t handle;	/* made by the op under test */
	uint32_t fb_id;
	int objects;		/* objects of the device before the subtest */
} k = { .fd = -1 };

static int run_dumb_create(void)
{
	struct drm_mode_create_dumb c = { .width = 256, .height = 256, .bpp = 32 };
	int ret = ret_errno(igt_ioctl(k.fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));

	if (!ret)
		k.handle = c.handle;
	return ret;
}

static void undo_dumb_create(void)
{
	struct drm_mode_destroy_dumb d = { .handle = k.handle };

	do_ioctl(k.fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	k.handle = 0;
}

static const struct fault_op dumb_create_op = {
	.name = "CREATE_DUMB",
	.run = run_dumb_create,
	.check = check_enomem,
	.undo = undo_dumb_create,
};

static int run_addfb2(void)
{
	const struct vmsm_kms_fb *fb = &k.fbs[0];

	return __vmsm_kms_addfb(k.fd, fb->handle, fb->width, fb->height, fb->format,
			   fb->pitch, 0, &k.fb_id);
}

static void undo_addfb2(void)
{
	vmsm_kms_rmfb(k.fd, k.fb_id);
	k.fb_id = 0;
}

static const struct fault_op addfb2_op = {
	.name = "ADDFB2",
	.run = run_addfb2,
	.check = check_enomem,
	.undo = undo_addfb2,
};

static uint64_t primary_fb(void)
{
	return vmsm_kms_prop_value(k.fd, k.disp.primary, DRM_MODE_OBJECT_PLANE, "FB_ID");
}

/* A failed commit changed nothing and sends no event. */
static void check_commit(int ret)
{
	struct drm_event_vblank ev;

	check_enomem(ret);
	if (!ret)
		return;
	igt_assert_eq_u64(primary_fb(), k.fbs[k.shown].fb_id);
	igt_assert_eq(vmsm_kms_read_event(k.fd, 50, &ev, sizeof(ev)), 0);
}

static int run_flip(void)
{
	return __vmsm_kms_display_flip(k.fd, &k.disp, k.fbs[!k.shown].fb_id, 0, 0);
}

static void undo_flip(void)
{
	k.shown = !k.shown;
	igt_assert_eq_u64(primary_fb(), k.fbs[k.shown].fb_id);
}

static const struct fault_op flip_op = {
	.name = "atomic flip",
	.run = run_flip,
	.check = check_commit,
	.undo = undo_flip,
};

static int run_flip_nonblock(void)
{
	return __vmsm_kms_display_flip(k.fd, &k.disp, k.fbs[!k.shown].fb_id,
				  DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT,
				  0x100 + nth);
}

/* The flip's event comes. */
static void undo_flip_nonblock(void)
{
	struct drm_event_vblank ev;

	igt_assert_eq(vmsm_kms_read_event(k.fd, 5000, &ev, sizeof(ev)), (int)sizeof(ev));
	igt_assert_eq_u32(ev.base.type, DRM_EVENT_FLIP_COMPLETE);
	igt_assert_eq_u64(ev.user_data, 0x100 + nth);
	undo_flip();
}

static const struct fault_op flip_nonblock_op = {
	.name = "nonblocking atomic flip with event",
	.run = run_flip_nonblock,
	.check = check_commit,
	.undo = undo_flip_nonblock,
};

/* Switches the CRTC off or on: a full modeset each time. */
static int run_modeset(void)
{
	struct vmsm_kms_req req;

	vmsm_kms_req_init(&req);
	vmsm_kms_req_add_name(k.fd, &req, k.disp.crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", !k.active);
	return __vmsm_kms_commit(k.fd, &req, DRM_MODE_ATOMIC_ALLOW_MODESET, 0);
}

static void check_modeset(int ret)
{
	check_enomem(ret);
	if (ret)
		igt_assert_eq_u64(vmsm_kms_prop_value(k.fd, k.disp.crtc, DRM_MODE_OBJECT_CRTC,
						 "ACTIVE"), k.active);
}

static void undo_modeset(void)
{
	k.active = !k.active;
	igt_assert_eq_u64(vmsm_kms_prop_value(k.fd, k.disp.crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE"),
			  k.active);
}

static const struct fault_op modeset_op = {
	.name = "atomic modeset (ACTIVE toggled)",
	.run = run_modeset,
	.check = check_modeset,
	.undo = undo_modeset,
};

static void kms_setup(void)
{
	int ret, f;
	unsigned int i;

	f = igt_vmsm_open_driver();
	k.objects = vmsm_debugfs_count(f, "objects");
	drm_close_driver(f);
	k.fd = igt_vmsm_open_driver();
	ret = vmsm_kms_set_client_caps(k.fd);
	igt_assert_f(ret == 0, "KMS client caps: %s\n", strerror(-ret));
	vmsm_kms_display_find(k.fd, &k.disp);
	for (i = 0; i < 2; i++)
		vmsm_kms_dumb_fb(k.fd, k.disp.mode.hdisplay, k.disp.mode.vdisplay,
			    DRM_FORMAT_XRGB8888, &k.fbs[i]);
	ret = __vmsm_kms_display_modeset(k.fd, &k.disp, k.fbs[0].fb_id, 0, 0);
	igt_assert_f(ret == 0, "modeset: %s\n", strerror(-ret));
	k.shown = 0;
	k.active = true;
}

/*
 * After the walk the display still works: a nonblocking modeset and a
 * flip, with their events; then every object goes with the file.
 */
static void kms_teardown(void)
{
	struct drm_event_vblank ev;
	int ret;

	ret = __vmsm_kms_display_modeset(k.fd, &k.disp, k.fbs[1].fb_id,
				    DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT, 1);
	igt_assert_f(ret == 0, "modeset after the injections: %s\n", strerror(-ret));
	igt_assert_eq(vmsm_kms_read_event(k.fd, 5000, &ev, sizeof(ev)), (int)sizeof(ev));
	igt_assert_eq_u32(ev.base.type, DRM_EVENT_FLIP_COMPLETE);
	ret = __vmsm_kms_display_flip(k.fd, &k.disp, k.fbs[0].fb_id,
				 DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT, 2);
	igt_assert_f(ret == 0, "flip after the injections: %s\n", strerror(-ret));
	igt_assert_eq(vmsm_kms_read_event(k.fd, 5000, &ev, sizeof(ev)), (int)sizeof(ev));
	igt_assert_eq_u64(ev.user_data, 2);
	vmsm_kms_fb_free(&k.fbs[0]);
	vmsm_kms_fb_free(&k.fbs[1]);
	drm_close_driver(k.fd);
	k.fd = igt_vmsm_open_driver();
	igt_assert(igt_wait(vmsm_debugfs_count(k.fd, "objects") == k.objects, 5000, 10));
	igt_assert_eq(vmsm_debugfs_count(k.fd, "clients"), 1);
	drm_close_driver(k.fd);
	k.fd = -1;
}

static void test_kms_op(const struct fault_op *op)
{
	unsigned int points;

	kms_setup();
	points = inject_each(op, MAX_INJECTIONS);
	report(op, points);
	igt_assert_lt(0, points);
	if (!k.active) {
		igt_assert_eq(run_modeset(), 0);
		k.active = true;
	}
	kms_teardown();
}

static const char *need_ko(void)
{
	const char *ko = getenv("VMSM_KO");

	igt_assert_f(ko && *ko, "VMSM_KO must name the vmsm.ko to load\n");
	igt_assert_f(access(ko, R_OK) == 0, "VMSM_KO=%s: %s\n", ko,
		     strerror(errno));
	return ko;
}

static int run_module_load(void)
{
	return igt_vmsm_kmod_load_fd(ko_fd, "");
}

/*
 * A failed allocation fails the load with ENOMEM, or with EINVAL where the
 * 6.12 driver core reports it so: module_add_driver() (drivers/base/
 * module.c) returns -EINVAL when module_create_drivers_dir() could not
 * allocate /sys/module/vmsm/drivers, and platform_device_add() ignores
 * dev_set_name()'s -ENOMEM, after which device_add() rejects the nameless
 * device with -EINVAL. Either way nothing of the module may stay behind.
 */
static void check_module_load(int ret)
{
	if (!ret)
		return;
	igt_assert_f(ret == -ENOMEM || ret == -EINVAL,
		     "allocation %u failing: finit_module: %d (%s)\n", nth, ret,
		     strerror(-ret));
	igt_assert_f(!igt_vmsm_kmod_is_loaded(MODULE_NAME),
		     "allocation %u failing: finit_module failed but vmsm is loaded\n",
		     nth);
}

/* Loaded: its device either failed to probe (no node) or works. */
static void undo_module_load(void)
{
	int fd = __igt_vmsm_open_driver();
	int ret;

	if (fd >= 0) {
		check_device_works(fd);
		drm_close_driver(fd);
		stats.with_device++;
	} else {
		stats.without_device++;
	}
	ret = igt_vmsm_kmod_unload(MODULE_NAME);
	igt_assert_f(ret == 0, "allocation %u failing: delete_module: %s\n",
		     nth, strerror(-ret));
}

static const struct fault_op module_load_op = {
	.name = "finit_module",
	.run = run_module_load,
	.check = check_module_load,
	.undo = undo_module_load,
};

/* Where vmsm.ko's code was loaded, from /sys/module/vmsm/sections/.text. */
static unsigned long vmsm_text(void)
{
	char buf[64];
	unsigned long text;
	int ret;

	ret = igt_vmsm_read_file(MODULE_SYSFS "/sections/.text", buf, sizeof(buf));
	igt_assert_f(ret > 0, MODULE_SYSFS "/sections/.text: %s\n",
		     strerror(-ret));
	text = strtoul(buf, NULL, 16);
	igt_assert_f(text, "vmsm's .text address is hidden (kptr_restrict?)\n");
	return text;
}

/*
 * Fail only allocations made under module code: those of vmsm's init and
 * probe, and of the DRM and driver core code they call, which have a vmsm
 * (or drm) frame among the innermost 32 of their stack. On x86-64 the
 * modules live above the kernel image, so those are the stacks with a
 * return address past _etext. The module loader's own allocations are left
 * alone: they are not vmsm's, and when one made for vmalloc() fails,
 * warn_alloc() reports it with a stack dump, which is a kernel splat here.
 */
static void inject_under_modules_only(void)
{
	unsigned long etext, next;

	igt_assert_eq(igt_vmsm_kallsyms_range("_etext", &etext, &next), 0);
	igt_assert_f(vmsm_text() > etext,
		     "modules are not above the kernel image (_etext %#lx)\n",
		     etext);
	igt_assert_eq(igt_vmsm_failslab_require_stack(etext, ~0ul), 0);
}

/*
 * Linux 6.12's drm_minor_alloc() arms drm_minor_alloc_release() before it
 * calls drm_sysfs_minor_alloc(); when an allocation in there fails,
 * minor->kdev is left an ERR_PTR and the release does put_device() on it:
 * general protection fault in kobject_put() from vmsm_probe() ->
 * devm_drm_dev_alloc(). A DRM core bug, not vmsm's: its allocations are
 * kept from failing.
 */
static void avoid_drm_minor_alloc_bug(void)
{
	unsigned long start, end;

	igt_assert_eq(igt_vmsm_kallsyms_range("drm_sysfs_minor_alloc", &start,
					 &end), 0);
	igt_assert_eq(igt_vmsm_failslab_reject_stack(start, end), 0);
	igt_info("not failing allocations in drm_sysfs_minor_alloc() (%#lx-%#lx): DRM core bug\n",
		 start, end);
}

static void clear_stack_filters(void)
{
	igt_assert_eq(igt_vmsm_failslab_require_stack(0, ~0ul), 0);
	igt_assert_eq(igt_vmsm_failslab_reject_stack(0, 0), 0);
}

static unsigned int module_points(void)
{
	const char *env = getenv("VMSM_FAULT_MODULE_POINTS");
	unsigned long n = env ? strtoul(env, NULL, 0) : MODULE_INJECTIONS;

	return n && n <= MAX_INJECTIONS ? n : MODULE_INJECTIONS;
}

static void test_module_load(void)
{
	const char *ko = need_ko();
	unsigned int points;
	int ret;

	inject_under_modules_only();
	avoid_drm_minor_alloc_bug();
	ret = igt_vmsm_kmod_unload(MODULE_NAME);
	igt_assert_f(ret == 0, "delete_module: %s\n", strerror(-ret));
	ko_fd = open(ko, O_RDONLY | O_CLOEXEC);
	igt_assert_f(ko_fd >= 0, "open %s: %s\n", ko, strerror(errno));

	points = inject_each(&module_load_op, module_points());
	report(&module_load_op, points);
	igt_info("loads (the last one without a fault): %u with a working device, %u with no device\n",
		 stats.with_device, stats.without_device);
	close(ko_fd);
	ko_fd = -1;
	clear_stack_filters();
	igt_assert_lt(0, points);

	igt_assert_eq(igt_vmsm_kmod_load_path(ko, ""), 0);
	igt_assert(igt_wait((card = __igt_vmsm_open_driver()) >= 0,
			    DEVICE_TIMEOUT_MS, 10));
	check_device_works(card);
	drm_close_driver(card);
	card = -1;
}

static bool have_device(void)
{
	int fd = __igt_vmsm_open_driver();

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* vmsm loaded, with default parameters, and its device probed. */
static int restore_module(void)
{
	const char *ko = getenv("VMSM_KO");
	int ret;

	if (igt_vmsm_kmod_is_loaded(MODULE_NAME) && have_device())
		return 0;
	if (igt_vmsm_kmod_is_loaded(MODULE_NAME)) {
		ret = igt_vmsm_kmod_unload(MODULE_NAME);
		if (ret)
			return ret;
	}
	if (!ko)
		return -ENOENT;
	ret = igt_vmsm_kmod_load_path(ko, "");
	if (ret)
		return ret;
	return igt_wait(have_device(), DEVICE_TIMEOUT_MS, 10) ? 0 : -ENODEV;
}

static void restore_on_exit(int sig)
{
	int ret;

	if (fail_nth >= 0)
		igt_vmsm_fail_nth_set(fail_nth, 0);
	ret = igt_vmsm_failslab_restore();
	if (ret)
		igt_warn("cannot restore " IGT_VMSM_FAILSLAB ": %s\n", strerror(-ret));
	if (opened >= 0)
		close(opened);
	if (r.fd >= 0)
		close(r.fd);
	if (r.peer >= 0)
		close(r.peer);
	if (r.dmabuf >= 0)
		close(r.dmabuf);
	if (r.vgem >= 0)
		close(r.vgem);
	if (card >= 0)
		close(card);
	if (k.fd >= 0)
		close(k.fd);
	if (ko_fd >= 0)
		close(ko_fd);
	ret = restore_module();
	if (ret)
		igt_warn("cannot restore vmsm (signal %d): %s\n", sig,
			 strerror(-ret));
}

static void setup_fault_injection(void)
{
	int ret;

	igt_assert_f(access(IGT_VMSM_FAIL_NTH, F_OK) == 0,
		     "no " IGT_VMSM_FAIL_NTH ": kernel without CONFIG_FAULT_INJECTION?\n");
	igt_assert_f(igt_vmsm_failslab_available(),
		     "no " IGT_VMSM_FAILSLAB ": kernel without CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS, or debugfs not mounted?\n");
	ret = igt_vmsm_failslab_setup();
	igt_assert_f(ret == 0, "setting up failslab: %s\n", strerror(-ret));
	igt_assert_f(igt_vmsm_fail_page_alloc_available(),
		     "no " IGT_VMSM_FAIL_PAGE_ALLOC ": kernel without CONFIG_FAIL_PAGE_ALLOC?\n");
	ret = igt_vmsm_fail_page_alloc_setup();
	igt_assert_f(ret == 0, "setting up fail_page_alloc: %s\n", strerror(-ret));
	fail_nth = igt_vmsm_fail_nth_open();
	igt_assert_f(fail_nth >= 0, "open " IGT_VMSM_FAIL_NTH ": %s\n",
		     strerror(-fail_nth));
}

igt_main
{
	igt_fixture {
		igt_install_exit_handler(restore_on_exit);
		setup_fault_injection();
	}

	igt_describe("Opening the primary node copes with each of its allocations failing.");
	igt_subtest("open-close")
		test_open_close();

	igt_describe("DRM_IOCTL_SYNCOBJ_CREATE copes with each of its allocations failing.");
	igt_subtest("syncobj-create")
		test_syncobj_create();

	igt_describe("GEM_NEW and the first GET_IOVA (page pinning, page-table growth) cope with each slab or page allocation failing.");
	igt_subtest("gem-new")
		test_render_op(&gem_new_op, false);

	igt_describe("mmap() of an object (which pins its pages) copes with each allocation failing.");
	igt_subtest("mmap")
		test_render_op(&mmap_op, false);

	igt_describe("GEM_SUBMIT with an out-fence fd copes with each allocation failing; every job that was accepted lands.");
	igt_subtest("submit")
		test_render_op(&submit_op, false);

	igt_describe("SUBMITQUEUE_NEW copes with each allocation failing.");
	igt_subtest("submitqueue-new")
		test_render_op(&submitqueue_op, false);

	igt_describe("VM_BIND MAP into new page tables copes with each allocation failing.");
	igt_subtest("vm-bind")
		test_render_op(&vm_bind_op, true);

	igt_describe("dma-buf export and import into another file copes with each allocation failing.");
	igt_subtest("prime")
		test_render_op(&prime_op, false);

	igt_describe("Importing a vgem dma-buf and mapping it into the GPU address space copes with each allocation failing.");
	igt_subtest("prime-import-vgem")
		test_render_op(&import_vgem_op, false);

#ifdef __x86_64__
	igt_describe("Every injection point of a system-heap import and its first GPU mapping.");
	igt_subtest("prime-import-heap")
		test_render_op(&import_heap_op, false);
#endif

	igt_describe("CREATE_DUMB copes with each allocation failing; the display still commits afterwards.");
	igt_subtest("kms-dumb-create")
		test_kms_op(&dumb_create_op);

	igt_describe("ADDFB2 of a dumb buffer copes with each allocation failing; the display still commits afterwards.");
	igt_subtest("kms-addfb2")
		test_kms_op(&addfb2_op);

	igt_describe("A blocking atomic flip copes with each allocation failing: ENOMEM, nothing changed, no event.");
	igt_subtest("kms-atomic-flip")
		test_kms_op(&flip_op);

	igt_describe("A nonblocking atomic flip with an event copes with each allocation failing: ENOMEM, nothing changed, no event.");
	igt_subtest("kms-atomic-nonblock")
		test_kms_op(&flip_nonblock_op);

	igt_describe("An atomic modeset (CRTC on or off) copes with each allocation failing; the display still commits afterwards.");
	igt_subtest("kms-atomic-modeset")
		test_kms_op(&modeset_op);

	igt_describe("Loading vmsm.ko copes with each allocation of its init and probe failing.");
	igt_subtest("module-load")
		test_module_load();
}
