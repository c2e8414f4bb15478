// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_vm_bind: userspace-managed GPU virtual addresses (uapi 1.5):
 * DRM_IOCTL_VMSM_VM_BIND with MAP, UNMAP and MAP_NULL operations, partial
 * unmaps and remaps, read-only mappings, the overlap rules, asynchronous
 * binds ordered by syncobjs, and the error cases. Every subtest uses a
 * fresh file, since a fault makes a file's context unusable. Raw ioctls
 * only: libvmsm uses kernel-assigned addresses.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define NS_PER_SEC	1000000000ll
#define JOB_TIMEOUT_NS	(30 * NS_PER_SEC)
#define PG		4096ull

/* Addresses used by the subtests, inside the user range. */
#define VA_CMDS		0x10000000ull
#define VA_DATA		0x20000000ull
#define VA_OTHER	0x30000000ull
#define VA_SEM		0x40000000ull

/* A file switched to VM_BIND, with a command buffer mapped at VA_CMDS. */
struct ctx {
	int fd;
	uint32_t cmd_bo;
	uint32_t *cmds;
	uint32_t len;
	uint32_t start;
};

struct bo {
	uint32_t handle;
	uint64_t size;
	void *ptr;
};

static int ioctl_errno(int fd, unsigned long req, void *arg)
{
	return igt_ioctl(fd, req, arg) ? -errno : 0;
}

static struct bo bo_new_flags(int fd, uint64_t size, uint32_t flags)
{
	struct drm_vmsm_gem_new req = { .size = size, .flags = flags };
	struct drm_vmsm_gem_info info = { .info = VMSM_INFO_GET_MMAP_OFFSET };
	struct bo bo = { .size = size };

	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_NEW, &req);
	bo.handle = req.handle;
	info.handle = bo.handle;
	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &info);
	bo.ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, info.value);
	igt_assert(bo.ptr != MAP_FAILED);
	memset(bo.ptr, 0, size);
	return bo;
}

static struct bo bo_new(int fd, uint64_t size)
{
	return bo_new_flags(fd, size, VMSM_BO_WC);
}

static void __wait_fence(int fd, uint32_t queue, uint32_t fence)
{
	struct timespec ts;
	struct drm_vmsm_wait_fence req = { .fence = fence, .queue_id = queue };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	req.timeout_ns = ts.tv_sec * NS_PER_SEC + ts.tv_nsec + JOB_TIMEOUT_NS;
	do_ioctl(fd, DRM_IOCTL_VMSM_WAIT_FENCE, &req);
}

/* Binds on the default queue, waiting for the page-table update. */
static int __bind_ops(int fd, struct drm_vmsm_vm_bind_op *ops, uint32_t n)
{
	struct drm_vmsm_vm_bind req = {
		.nr_ops = n,
		.ops = (uintptr_t)ops,
	};
	int ret;

	ret = ioctl_errno(fd, DRM_IOCTL_VMSM_VM_BIND, &req);
	if (!ret)
		__wait_fence(fd, 0, req.fence);
	return ret;
}

static int __bind(int fd, uint32_t op, uint32_t flags, uint32_t handle,
		  uint64_t bo_offset, uint64_t iova, uint64_t range)
{
	struct drm_vmsm_vm_bind_op o = {
		.op = op, .flags = flags, .handle = handle,
		.bo_offset = bo_offset, .iova = iova, .range = range,
	};

	return __bind_ops(fd, &o, 1);
}

#define bind_ok(...)	igt_assert_eq(__bind(__VA_ARGS__), 0)
#define bind_err(err, ...)	igt_assert_eq(__bind(__VA_ARGS__), -(err))

static void ctx_open(struct ctx *c)
{
	struct bo cmd;

	c->fd = igt_vmsm_open_driver();
	cmd = bo_new(c->fd, 64 * 1024);
	c->cmd_bo = cmd.handle;
	c->cmds = cmd.ptr;
	c->len = 0;
	c->start = 0;
	bind_ok(c->fd, VMSM_VM_BIND_OP_MAP, 0, c->cmd_bo, 0, VA_CMDS, cmd.size);
}

static void ctx_close(struct ctx *c)
{
	munmap(c->cmds, 64 * 1024);
	close(c->fd);
}

static void emit(struct ctx *c, uint32_t dw)
{
	c->cmds[c->len++] = dw;
}

static void emit_addr(struct ctx *c, uint64_t va)
{
	emit(c, (uint32_t)va);
	emit(c, (uint32_t)(va >> 32));
}

static void cmd_write(struct ctx *c, uint64_t va, uint32_t value)
{
	emit(c, VMSM_CP_PKT(VMSM_CP_WRITE, 3));
	emit_addr(c, va);
	emit(c, value);
}

static void cmd_copy(struct ctx *c, uint64_t dst, uint64_t src, uint64_t size)
{
	emit(c, VMSM_CP_PKT(VMSM_CP_COPY, 6));
	emit_addr(c, dst);
	emit_addr(c, src);
	emit_addr(c, size);
}

static void cmd_wait(struct ctx *c, uint64_t va, uint32_t ref)
{
	emit(c, VMSM_CP_PKT(VMSM_CP_WAIT_MEM, 5));
	emit_addr(c, va);
	emit(c, ref);
	emit(c, 0xffffffff);
	emit(c, VMSM_CP_WAIT_EQ);
}

/* Submit the commands emitted since the last submit. */
static uint32_t __submit(struct ctx *c, uint32_t queue, struct drm_vmsm_syncobj *out,
			 uint32_t nr_out)
{
	struct drm_vmsm_submit_cmd cmd = {
		.iova = VA_CMDS + 4ull * c->start,
		.size = c->len - c->start,
	};
	struct drm_vmsm_gem_submit req = {
		.queue_id = queue,
		.cmds = (uintptr_t)&cmd,
		.nr_cmds = 1,
		.out_syncobjs = (uintptr_t)out,
		.nr_out_syncobjs = nr_out,
	};

	do_ioctl(c->fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &req);
	c->start = c->len;
	return req.fence;
}

static void wait_fence(struct ctx *c, uint32_t queue, uint32_t fence)
{
	__wait_fence(c->fd, queue, fence);
}

static void run(struct ctx *c)
{
	wait_fence(c, 0, __submit(c, 0, NULL, 0));
}

static struct drm_vmsm_fault_info faults(struct ctx *c)
{
	struct drm_vmsm_fault_info info = { 0 };
	struct drm_vmsm_submitqueue_query q = {
		.data = (uintptr_t)&info,
		.param = VMSM_QUERY_FAULTS,
		.len = sizeof(info),
	};

	do_ioctl(c->fd, DRM_IOCTL_VMSM_SUBMITQUEUE_QUERY, &q);
	return info;
}

static void assert_no_fault(struct ctx *c)
{
	igt_assert_eq(faults(c).faults, 0);
}

static void assert_fault(struct ctx *c, uint32_t type, uint64_t va)
{
	struct drm_vmsm_fault_info info = faults(c);

	igt_assert_eq(info.faults, 1);
	igt_assert_eq(info.type, type);
	igt_assert_eq_u64(info.address, va);
}

static uint32_t rd(struct bo *bo, uint64_t off)
{
	return ((volatile uint32_t *)bo->ptr)[off / 4];
}

static void wr(struct bo *bo, uint64_t off, uint32_t v)
{
	((volatile uint32_t *)bo->ptr)[off / 4] = v;
}

static void test_map_write_read(void)
{
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, 16 * PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, a.size);
	cmd_write(&c, VA_DATA + 0x100, 0xcafe0001);
	cmd_write(&c, VA_DATA + 15 * PG, 0xcafe0002);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0x100), 0xcafe0001);
	igt_assert_eq_u32(rd(&a, 15 * PG), 0xcafe0002);

	wr(&a, 0x200, 0x12345678);
	cmd_copy(&c, VA_DATA + 0x300, VA_DATA + 0x200, 4);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0x300), 0x12345678);
	ctx_close(&c);
}

static void test_bo_offset(void)
{
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, 8 * PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 3 * PG, VA_DATA, 2 * PG);
	cmd_write(&c, VA_DATA + PG + 8, 0xabcd);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 4 * PG + 8), 0xabcd);
	ctx_close(&c);
}

static void test_two_mappings(void)
{
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, 4 * PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, a.size);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_OTHER, a.size);
	cmd_write(&c, VA_DATA + 0x10, 0x1111);
	cmd_copy(&c, VA_DATA + 2 * PG, VA_OTHER + 0x10, 4);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0x10), 0x1111);
	igt_assert_eq_u32(rd(&a, 2 * PG), 0x1111);
	ctx_close(&c);
}

static void test_partial_unmap(void)
{
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, 4 * PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, a.size);
	bind_ok(c.fd, VMSM_VM_BIND_OP_UNMAP, 0, 0, 0, VA_DATA + PG, PG);
	/* Both sides of the hole still work. */
	cmd_write(&c, VA_DATA, 0xa0);
	cmd_write(&c, VA_DATA + 2 * PG, 0xa2);
	cmd_write(&c, VA_DATA + 3 * PG + 4, 0xa3);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0), 0xa0);
	igt_assert_eq_u32(rd(&a, 2 * PG), 0xa2);
	igt_assert_eq_u32(rd(&a, 3 * PG + 4), 0xa3);

	cmd_write(&c, VA_DATA + PG + 8, 0xdead);
	run(&c);
	assert_fault(&c, VMSM_FAULT_TRANSLATION, VA_DATA + PG + 8);
	igt_assert_eq_u32(rd(&a, PG + 8), 0);
	ctx_close(&c);
}

static void test_remap(void)
{
	struct ctx c;
	struct bo a, b;

	ctx_open(&c);
	a = bo_new(c.fd, 2 * PG);
	b = bo_new(c.fd, 2 * PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, a.size);
	cmd_write(&c, VA_DATA, 0xaaaa);
	run(&c);
	bind_ok(c.fd, VMSM_VM_BIND_OP_UNMAP, 0, 0, 0, VA_DATA, a.size);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, b.handle, 0, VA_DATA, b.size);
	cmd_write(&c, VA_DATA + 4, 0xbbbb);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0), 0xaaaa);
	igt_assert_eq_u32(rd(&a, 4), 0);
	igt_assert_eq_u32(rd(&b, 4), 0xbbbb);
	ctx_close(&c);
}

static void test_map_null(void)
{
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, 2 * PG);
	memset(a.ptr, 0xff, a.size);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, a.size);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP_NULL, 0, 0, 0, VA_OTHER, 16 * PG);
	cmd_copy(&c, VA_DATA, VA_OTHER + 5 * PG, PG);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0), 0);
	igt_assert_eq_u32(rd(&a, PG - 4), 0);
	igt_assert_eq_u32(rd(&a, PG), 0xffffffff);

	/* Writes to a NULL mapping fault. */
	cmd_write(&c, VA_OTHER + 8, 1);
	run(&c);
	assert_fault(&c, VMSM_FAULT_PERMISSION, VA_OTHER + 8);
	ctx_close(&c);
}

static void test_readonly(void)
{
	struct ctx c;
	struct bo a, b;

	ctx_open(&c);
	a = bo_new(c.fd, PG);
	b = bo_new(c.fd, PG);
	wr(&a, 0, 0x5a5a);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, VMSM_VM_BIND_OP_READONLY, a.handle, 0,
		VA_DATA, PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, b.handle, 0, VA_OTHER, PG);
	cmd_copy(&c, VA_OTHER, VA_DATA, 4);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&b, 0), 0x5a5a);

	cmd_write(&c, VA_DATA + 4, 1);
	run(&c);
	assert_fault(&c, VMSM_FAULT_PERMISSION, VA_DATA + 4);
	igt_assert_eq_u32(rd(&a, 4), 0);
	ctx_close(&c);
}

static void test_overlap(void)
{
	struct ctx c;
	struct bo a, b;

	ctx_open(&c);
	a = bo_new(c.fd, 4 * PG);
	b = bo_new(c.fd, 4 * PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, a.size);
	/* A MAP over part of a mapping replaces that part only. */
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, b.handle, 2 * PG, VA_DATA + PG, PG);
	/* Unmapping what is not mapped is fine. */
	bind_ok(c.fd, VMSM_VM_BIND_OP_UNMAP, 0, 0, 0, VA_OTHER, 64 * PG);
	/* A MAP across the end of a mapping and beyond. */
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, b.handle, 0, VA_DATA + 3 * PG, 2 * PG);
	cmd_write(&c, VA_DATA, 0x10);
	cmd_write(&c, VA_DATA + PG, 0x11);
	cmd_write(&c, VA_DATA + 2 * PG, 0x12);
	cmd_write(&c, VA_DATA + 3 * PG, 0x13);
	cmd_write(&c, VA_DATA + 4 * PG, 0x14);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0), 0x10);
	igt_assert_eq_u32(rd(&a, PG), 0);
	igt_assert_eq_u32(rd(&b, 2 * PG), 0x11);
	igt_assert_eq_u32(rd(&a, 2 * PG), 0x12);
	igt_assert_eq_u32(rd(&a, 3 * PG), 0);
	igt_assert_eq_u32(rd(&b, 0), 0x13);
	igt_assert_eq_u32(rd(&b, PG), 0x14);
	ctx_close(&c);
}

static void test_multi_op(void)
{
	struct drm_vmsm_vm_bind_op ops[3] = { 0 };
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, 4 * PG);
	ops[0] = (struct drm_vmsm_vm_bind_op){ .op = VMSM_VM_BIND_OP_MAP,
		.handle = a.handle, .iova = VA_DATA, .range = a.size };
	ops[1] = (struct drm_vmsm_vm_bind_op){ .op = VMSM_VM_BIND_OP_UNMAP,
		.iova = VA_DATA + PG, .range = 2 * PG };
	ops[2] = (struct drm_vmsm_vm_bind_op){ .op = VMSM_VM_BIND_OP_MAP,
		.handle = a.handle, .iova = VA_DATA + 2 * PG, .range = PG };
	igt_assert_eq(__bind_ops(c.fd, ops, 3), 0);
	cmd_write(&c, VA_DATA + 2 * PG, 0x77);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0), 0x77);

	/* One bad operation: none is done. */
	ops[0].iova = VA_OTHER;
	ops[1].iova = VA_OTHER;
	ops[2].handle = 0xdead;
	igt_assert_eq(__bind_ops(c.fd, ops, 3), -ENOENT);
	cmd_write(&c, VA_OTHER, 1);
	run(&c);
	assert_fault(&c, VMSM_FAULT_TRANSLATION, VA_OTHER);
	ctx_close(&c);
}

static uint32_t syncobj_create(int fd)
{
	struct drm_syncobj_create req = { 0 };

	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &req);
	return req.handle;
}

static int __syncobj_wait(int fd, uint32_t handle, int64_t rel_ns)
{
	struct timespec ts;
	struct drm_syncobj_wait req = {
		.handles = (uintptr_t)&handle,
		.count_handles = 1,
	};

	clock_gettime(CLOCK_MONOTONIC, &ts);
	req.timeout_nsec = rel_ns ? ts.tv_sec * NS_PER_SEC + ts.tv_nsec + rel_ns : 0;
	return ioctl_errno(fd, DRM_IOCTL_SYNCOBJ_WAIT, &req);
}

static void test_async(void)
{
	struct drm_vmsm_submitqueue q = { .prio = 0 };
	struct drm_vmsm_syncobj in = { 0 }, out = { 0 }, blk = { 0 };
	struct drm_vmsm_vm_bind_op op = { 0 };
	struct drm_vmsm_vm_bind req = { 0 };
	struct pollfd pfd;
	struct bo sem, a;
	struct ctx c;

	ctx_open(&c);
	sem = bo_new(c.fd, PG);
	a = bo_new(c.fd, PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, sem.handle, 0, VA_SEM, PG);
	do_ioctl(c.fd, DRM_IOCTL_VMSM_SUBMITQUEUE_NEW, &q);

	/* A blocked job on another queue signals the in-syncobj later. */
	blk.handle = syncobj_create(c.fd);
	cmd_wait(&c, VA_SEM, 1);
	__submit(&c, q.id, &blk, 1);

	in = blk;
	out.handle = syncobj_create(c.fd);
	op = (struct drm_vmsm_vm_bind_op){ .op = VMSM_VM_BIND_OP_MAP,
		.handle = a.handle, .iova = VA_DATA, .range = PG };
	req = (struct drm_vmsm_vm_bind){
		.flags = VMSM_VM_BIND_FENCE_FD_OUT,
		.nr_ops = 1, .ops = (uintptr_t)&op,
		.in_syncobjs = (uintptr_t)&in, .nr_in_syncobjs = 1,
		.out_syncobjs = (uintptr_t)&out, .nr_out_syncobjs = 1,
		.fence_fd = -1,
	};
	do_ioctl(c.fd, DRM_IOCTL_VMSM_VM_BIND, &req);
	igt_assert(req.fence_fd >= 0);
	igt_assert(req.fence != 0);

	usleep(100 * 1000);
	igt_assert_eq(__syncobj_wait(c.fd, out.handle, 0), -ETIME);
	pfd = (struct pollfd){ .fd = req.fence_fd, .events = POLLIN };
	igt_assert_eq(poll(&pfd, 1, 0), 0);

	wr(&sem, 0, 1);
	igt_assert_eq(__syncobj_wait(c.fd, out.handle, JOB_TIMEOUT_NS), 0);
	igt_assert_eq(poll(&pfd, 1, 30000), 1);
	wait_fence(&c, 0, req.fence);
	close(req.fence_fd);

	cmd_write(&c, VA_DATA, 0x600d);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 0), 0x600d);
	ctx_close(&c);
}

static void test_bad_args(void)
{
	struct drm_vmsm_vm_bind req = { 0 };
	uint64_t start, size, end;
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, 4 * PG);
	start = vmsm_get_param(c.fd, VMSM_PARAM_VA_START);
	size = vmsm_get_param(c.fd, VMSM_PARAM_VA_SIZE);
	end = start + size;

	/* alignment */
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA + 8, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, PG + 1);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 16, VA_DATA, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, 0);
	/* range */
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, start - PG, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, end - PG, 2 * PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, 0, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP_NULL, 0, 0, 0, end, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_UNMAP, 0, 0, 0, start, size + PG);
	/* overflow */
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_UNMAP, 0, 0, 0, VA_DATA, -PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, -PG, VA_DATA, 2 * PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, PG, VA_DATA, -PG);
	/* object bounds */
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, 5 * PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 3 * PG, VA_DATA, 2 * PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 4 * PG, VA_DATA, PG);
	/* handles */
	bind_err(ENOENT, c.fd, VMSM_VM_BIND_OP_MAP, 0, 0, 0, VA_DATA, PG);
	bind_err(ENOENT, c.fd, VMSM_VM_BIND_OP_MAP, 0, 0xdead, 0, VA_DATA, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_UNMAP, 0, a.handle, 0, VA_DATA, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP_NULL, 0, a.handle, 0, VA_DATA, PG);
	/* ops and flags */
	bind_err(EINVAL, c.fd, 3, 0, a.handle, 0, VA_DATA, PG);
	bind_err(EINVAL, c.fd, 0xffffffff, 0, a.handle, 0, VA_DATA, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_MAP, 2, a.handle, 0, VA_DATA, PG);
	bind_err(EINVAL, c.fd, VMSM_VM_BIND_OP_UNMAP, VMSM_VM_BIND_OP_READONLY, 0, 0,
		 VA_DATA, PG);
	req.flags = 0x80;
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_VM_BIND, &req), -EINVAL);
	req.flags = 0;
	req.pad = 1;
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_VM_BIND, &req), -EINVAL);
	req.pad = 0;
	req.nr_ops = VMSM_VM_BIND_MAX_OPS + 1;
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_VM_BIND, &req), -EINVAL);
	req.nr_ops = 1;
	req.ops = 8;
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_VM_BIND, &req), -EFAULT);
	req.nr_ops = 0;
	req.queue_id = 77;
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_VM_BIND, &req), -ENOENT);
	ctx_close(&c);
}

static void test_mode_switch(void)
{
	struct drm_vmsm_gem_info info = { .info = VMSM_INFO_GET_IOVA };
	struct drm_vmsm_submit_cmd cmd = { .size = 1 };
	struct drm_vmsm_gem_submit sub = { .nr_cmds = 1, .cmds = (uintptr_t)&cmd };
	struct drm_vmsm_vm_bind req = { 0 };
	struct ctx c;
	struct bo a;
	int fd;

	/* Kernel-assigned addresses first: no switch. */
	fd = igt_vmsm_open_driver();
	a = bo_new(fd, PG);
	info.handle = a.handle;
	do_ioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &info);
	igt_assert_eq(ioctl_errno(fd, DRM_IOCTL_VMSM_VM_BIND, &req), -EBUSY);
	igt_assert_eq(__bind(fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, PG), -EBUSY);
	close(fd);

	/* After the switch: no GET_IOVA, no command buffer by handle. */
	ctx_open(&c);
	a = bo_new(c.fd, PG);
	info.handle = a.handle;
	info.value = 0;
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_GEM_INFO, &info), -EINVAL);
	cmd.handle = c.cmd_bo;
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &sub), -EINVAL);
	/* An empty bind is fine, again. */
	igt_assert_eq(ioctl_errno(c.fd, DRM_IOCTL_VMSM_VM_BIND, &req), 0);
	ctx_close(&c);
}

static void test_bo_list(void)
{
	struct drm_vmsm_submit_bo bo = { .flags = VMSM_SUBMIT_BO_WRITE };
	struct drm_vmsm_submit_cmd cmd = { .iova = VA_CMDS };
	struct drm_vmsm_gem_submit sub = {
		.bos = (uintptr_t)&bo, .nr_bos = 1,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1,
	};
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	a = bo_new(c.fd, PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, PG);
	cmd_write(&c, VA_DATA, 0x42);
	bo.handle = a.handle;
	cmd.size = c.len;
	do_ioctl(c.fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &sub);
	igt_assert_eq_u64(bo.iova, 0);
	/* The mapping keeps the object alive after its handle is gone. */
	bind_ok(c.fd, VMSM_VM_BIND_OP_UNMAP, 0, 0, 0, VA_DATA, PG);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_OTHER, PG);
	vmsm_gem_close(c.fd, a.handle);
	wait_fence(&c, 0, sub.fence);
	igt_assert_eq_u32(rd(&a, 0), 0x42);
	c.start = c.len;
	cmd_write(&c, VA_OTHER + 4, 0x43);
	cmd.iova = VA_CMDS + 4ull * c.start;
	cmd.size = c.len - c.start;
	sub.nr_bos = 0;
	do_ioctl(c.fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &sub);
	wait_fence(&c, 0, sub.fence);
	assert_no_fault(&c);
	igt_assert_eq_u32(rd(&a, 4), 0x43);
	ctx_close(&c);
}

static int cpu_prep(int fd, uint32_t handle, uint32_t op)
{
	struct drm_vmsm_gem_cpu_prep req = {
		.handle = handle, .op = op, .timeout_ns = INT64_MAX,
	};

	return ioctl_errno(fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &req);
}

static int cpu_fini(int fd, uint32_t handle)
{
	struct drm_vmsm_gem_cpu_fini req = { .handle = handle };

	return ioctl_errno(fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &req);
}

static int cpu_prep_range(int fd, uint32_t handle, uint32_t op,
			  uint64_t offset, uint64_t size)
{
	struct drm_vmsm_gem_cpu_prep req = {
		.handle = handle, .op = op, .timeout_ns = INT64_MAX,
		.offset = offset, .size = size,
	};

	return ioctl_errno(fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &req);
}

static int cpu_fini_range(int fd, uint32_t handle, uint64_t offset,
			  uint64_t size)
{
	struct drm_vmsm_gem_cpu_fini req = {
		.handle = handle, .offset = offset, .size = size,
	};

	return ioctl_errno(fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &req);
}

static int knob_fd = -1;

static void strict_off(int sig)
{
	(void)sig;
	if (knob_fd >= 0)
		vmsm_debugfs_set_bool(knob_fd, "vmsm_coherency_strict", false);
}

/* Submit without waiting; -errno on failure. */
static int __try_submit(struct ctx *c, uint32_t *fence)
{
	struct drm_vmsm_submit_cmd cmd = {
		.iova = VA_CMDS + 4ull * c->start,
		.size = c->len - c->start,
	};
	struct drm_vmsm_gem_submit req = {
		.cmds = (uintptr_t)&cmd,
		.nr_cmds = 1,
	};
	int ret = ioctl_errno(c->fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &req);

	if (!ret) {
		c->start = c->len;
		*fence = req.fence;
	}
	return ret;
}

/*
 * A cached object of the (non-coherent) device, mapped with VM_BIND and
 * never named by a submit: the GPU's writes reach the CPU at PREP, the
 * CPU's writes under a PREP reach the GPU at the next submit into the
 * address space, and strict mode refuses that submit while the CPU
 * holds the object.
 */
static void test_cached_unnamed(void)
{
	uint32_t fence;
	struct ctx c;
	struct bo a;

	ctx_open(&c);
	igt_assert_eq_u64(vmsm_get_param(c.fd, VMSM_PARAM_COHERENT), 0);
	a = bo_new_flags(c.fd, 4 * PG, VMSM_BO_CACHED);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, 0, VA_DATA, a.size);

	cmd_write(&c, VA_DATA + 0x100, 0xa1a1a1a1);
	run(&c);
	igt_assert_eq(cpu_prep(c.fd, a.handle, VMSM_PREP_READ), 0);
	igt_assert_eq_u32(rd(&a, 0x100), 0xa1a1a1a1);
	igt_assert_eq(cpu_fini(c.fd, a.handle), 0);

	/* Written under a PREP, no FINI: the submit hands it over. */
	igt_assert_eq(cpu_prep(c.fd, a.handle, VMSM_PREP_WRITE), 0);
	wr(&a, 3 * PG, 0xb2b2b2b2);
	cmd_copy(&c, VA_DATA + 3 * PG + 4, VA_DATA + 3 * PG, 4);
	run(&c);
	assert_no_fault(&c);
	igt_assert_eq(cpu_prep(c.fd, a.handle, VMSM_PREP_READ), 0);
	igt_assert_eq_u32(rd(&a, 3 * PG + 4), 0xb2b2b2b2);
	igt_assert_eq(cpu_fini(c.fd, a.handle), 0);

	/* Strict mode: refused while the CPU holds it, nothing lost. */
	knob_fd = c.fd;
	igt_install_exit_handler(strict_off);
	vmsm_debugfs_set_bool(c.fd, "vmsm_coherency_strict", true);
	igt_assert_eq(cpu_prep(c.fd, a.handle, VMSM_PREP_WRITE), 0);
	wr(&a, 2 * PG, 0xc3c3c3c3);
	cmd_copy(&c, VA_DATA + 2 * PG + 4, VA_DATA + 2 * PG, 4);
	igt_assert_eq(__try_submit(&c, &fence), -EBUSY);
	igt_assert_eq(cpu_fini(c.fd, a.handle), 0);
	igt_assert_eq(__try_submit(&c, &fence), 0);
	wait_fence(&c, 0, fence);
	vmsm_debugfs_set_bool(c.fd, "vmsm_coherency_strict", false);
	knob_fd = -1;
	igt_assert_eq(cpu_prep(c.fd, a.handle, VMSM_PREP_READ), 0);
	igt_assert_eq_u32(rd(&a, 2 * PG + 4), 0xc3c3c3c3);
	igt_assert_eq(cpu_fini(c.fd, a.handle), 0);
	munmap(a.ptr, a.size);
	ctx_close(&c);
}

/*
 * The GPU's 4 KiB pages inside one CPU page (16 KiB on an arm64-16k
 * kernel; on 4 KiB kernels every chunk is a page of its own): each 4 KiB
 * chunk of a cached object is bound at an address of its own, at 4 KiB
 * offsets into the object, and written by the GPU through that binding.
 * A CPU access to one chunk's range moves the whole CPU page: the GPU's
 * writes to the other chunks of that page must survive the CPU's write
 * and FINI, and the CPU's write must reach the GPU.
 */
static void test_subpage(void)
{
	uint64_t cpu_page, size;
	unsigned int n, i;
	struct bo a, out;
	struct ctx c;

	ctx_open(&c);
	cpu_page = vmsm_get_param(c.fd, VMSM_PARAM_CPU_PAGE_SIZE);
	igt_assert_eq_u64(cpu_page, (uint64_t)getpagesize());
	size = cpu_page > 4 * PG ? cpu_page : 4 * PG;
	n = size / PG;
	a = bo_new_flags(c.fd, size, VMSM_BO_CACHED);
	out = bo_new(c.fd, size);
	bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, out.handle, 0, VA_OTHER, size);
	for (i = 0; i < n; i++) {
		bind_ok(c.fd, VMSM_VM_BIND_OP_MAP, 0, a.handle, i * PG,
			VA_DATA + 2 * i * PG, PG);
		cmd_write(&c, VA_DATA + 2 * i * PG + 8, 0x5000 + i);
	}
	run(&c);
	assert_no_fault(&c);

	/* The CPU reads and writes chunk 1 only, through a ranged access. */
	igt_assert_eq(cpu_prep_range(c.fd, a.handle, VMSM_PREP_READ | VMSM_PREP_WRITE,
				     PG, PG), 0);
	igt_assert_eq_u32(rd(&a, PG + 8), 0x5001);
	wr(&a, PG + 16, 0xc0ffee);
	igt_assert_eq(cpu_fini_range(c.fd, a.handle, PG, PG), 0);

	for (i = 0; i < n; i++)
		cmd_copy(&c, VA_OTHER + i * PG, VA_DATA + 2 * i * PG, 32);
	run(&c);
	assert_no_fault(&c);
	for (i = 0; i < n; i++)
		igt_assert_f(rd(&out, i * PG + 8) == 0x5000 + i,
			     "chunk %u: GPU value %#x, want %#x\n", i,
			     rd(&out, i * PG + 8), 0x5000 + i);
	igt_assert_eq_u32(rd(&out, PG + 16), 0xc0ffee);

	/* And the CPU sees every chunk the GPU wrote, through PREP. */
	igt_assert_eq(cpu_prep(c.fd, a.handle, VMSM_PREP_READ), 0);
	for (i = 0; i < n; i++)
		igt_assert_eq_u32(rd(&a, i * PG + 8), 0x5000 + i);
	igt_assert_eq(cpu_fini(c.fd, a.handle), 0);
	munmap(a.ptr, a.size);
	munmap(out.ptr, out.size);
	ctx_close(&c);
}

igt_main
{
	igt_subtest("map-write-read")
		test_map_write_read();
	igt_describe("GPU pages at 4 KiB offsets inside a CPU page, ranged CPU access.");
	igt_subtest("subpage")
		test_subpage();
	igt_subtest("bo-offset")
		test_bo_offset();
	igt_subtest("two-mappings")
		test_two_mappings();
	igt_subtest("partial-unmap")
		test_partial_unmap();
	igt_subtest("remap")
		test_remap();
	igt_subtest("map-null")
		test_map_null();
	igt_subtest("readonly")
		test_readonly();
	igt_subtest("overlap")
		test_overlap();
	igt_subtest("multi-op")
		test_multi_op();
	igt_subtest("async")
		test_async();
	igt_subtest("bad-args")
		test_bad_args();
	igt_subtest("mode-switch")
		test_mode_switch();
	igt_subtest("bo-list")
		test_bo_list();
	igt_describe("Cached objects that jobs reach without naming them: PREP sees "
		     "the GPU's writes, a submit hands over what the CPU holds, strict "
		     "mode refuses it.");
	igt_subtest("cached-unnamed")
		test_cached_unnamed();
}
