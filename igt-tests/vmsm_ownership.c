// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_ownership: random sequences of CPU writes and reads through the
 * DRM mapping and through the mapping of the object's dma-buf,
 * CPU_PREP/CPU_FINI and GEM_SYNC over random byte ranges (through the
 * handles of three files: the object's own, a VM_BIND file's and the
 * import of a second, coherent vmsm device), DMA_BUF_IOCTL_SYNC
 * brackets, and GPU fills and copies: listed in their submits (BO-list
 * mode), unlisted in a file switched to VM_BIND that maps the object, and
 * on the coherent device through its import. On a cached object of the
 * non-coherent device 0, on a write-combined one, on vgem and udmabuf
 * buffers imported into both devices (one copy: "dma-buf sharing" gives
 * them no device view and no ownership state) and, on amd64 (Debian's
 * arm64 kernel has no dma-buf heaps), on system-heap buffers (a device
 * view on device 0 that only the heap's syncs move; udmabuf's get one
 * too in the checking kernel, whose udmabuf syncs its attachments),
 * compared after every step
 * with the reference model of lib/vmsm_own_model.c, which is written
 * from the uapi documentation. It runs on two devices, "vmsm.0"
 * non-coherent and "vmsm.1" coherent: the device tree's two on arm64,
 * otherwise the module reloaded with num_devices=2 coherent=0,1.
 *
 * Also a cached object of the coherent device, imported by the
 * non-coherent one: a device view that the exporter's dma-buf syncs move,
 * and each device's jobs see what the other's wrote. Left out of the
 * generator: a VM_BIND space of an importing device (vmsm_prime
 * share-vm-bind-held tests its hand-over of what the CPU holds through
 * the exporter's handle).
 *
 * Three kinds of sequence: "bracketed" ones use the uapi as documented
 * (every CPU access inside a PREP of its range, GPU jobs only with no
 * PREP open), with checking mode on, and must give exact data and no
 * report; "any" ones do anything in any order, and must give what the
 * documentation says each misuse gives; "strict" ones are "any" ones in
 * strict mode, where a job's submit reaching an object the CPU holds
 * must fail with -EBUSY and change nothing. Seeded (VMSM_OWN_SEED, printed)
 * and counted (VMSM_OWN_SEQS, default 5000 for each of the first two
 * subtests, 10000 per run, and a fifth of it for "strict");
 * a divergence is shrunk to the shortest sequence that still diverges,
 * which is printed.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/udmabuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"
#include "vmsm_own_model.h"

#define MAX_OPS		16
#define MAX_PAGES	3
#define JOB_TIMEOUT_NS	(30 * 1000000000ll)

/* GPU addresses of the VM_BIND file, inside the user range */
#define VA_CMDS		0x10000000ull
#define VA_DATA		0x20000000ull
#define VA_DST		0x30000000ull
#define VA_SLOT		0x100000ull
#define CMDS_SIZE	4096

enum op_kind {
	OP_PREP, OP_FINI, OP_WRITE, OP_READ, OP_FILL, OP_COPY,
	OP_BIND_FILL, OP_BIND_COPY, OP_SYNC_START, OP_SYNC_END, OP_IMP_FILL, OP_IMP_COPY,
	OP_KINDS
};

static const char * const op_names[OP_KINDS] = {
	"PREP", "FINI", "CPU write", "CPU read", "GPU fill", "GPU copy",
	"VM_BIND fill", "VM_BIND copy", "SYNC_START", "SYNC_END", "vmsm.1 fill", "vmsm.1 copy",
};

/* Through what PREP and FINI go */
enum { VIA_OWN, VIA_BIND, VIA_IMPORT, VIA_GEM_SYNC, VIAS };

static const char * const via_names[VIAS] = {
	"own handle", "VM_BIND file's handle", "vmsm.1 import", "GEM_SYNC",
};

/*
 * @via: PREP and FINI: VIA_*; CPU write and read: 0 the DRM mapping, 1 the
 * dma-buf's; SYNC_START and SYNC_END: the DMA_BUF_SYNC_RW bits.
 */
struct op {
	enum op_kind kind;
	uint32_t offset, size;
	uint8_t value, via;
};

/*
 * Who made the object: vmsm.0 (write-combined or cached), vgem, udmabuf,
 * the heap, or the coherent vmsm.1 (a cached object, imported by vmsm.0)
 */
enum { OBJ_WC, OBJ_CACHED, OBJ_VGEM, OBJ_UDMABUF, OBJ_HEAP, OBJ_COH_EXPORT, OBJ_KINDS };

static const char * const obj_names[OBJ_KINDS] = {
	"write-combined", "cached", "vgem, imported", "udmabuf, imported",
	"system heap, imported", "vmsm.1 cached, imported",
};

static bool is_foreign(unsigned int obj)
{
	return obj == OBJ_VGEM || obj == OBJ_UDMABUF || obj == OBJ_HEAP ||
	       obj == OBJ_COH_EXPORT;
}

/*
 * Imports that device 0 sees through a device view the exporter's syncs
 * move: the heap's, udmabuf's where udmabuf syncs its attachments (the
 * checking kernel, built from the series: tools/guest/init), and the
 * coherent vmsm.1's cached objects ("dma-buf sharing": "a coherent vmsm
 * device's cached object on a non-coherent importer").
 */
static bool exporter_view(unsigned int obj)
{
	return obj == OBJ_HEAP || obj == OBJ_COH_EXPORT ||
	       (obj == OBJ_UDMABUF && getenv("VMSM_UDMABUF_VIEW"));
}

struct seq {
	unsigned int nr_pages, nr_ops, obj;
	struct op ops[MAX_OPS];
};

static int fd = -1, fd1 = -1, vgem = -1, udmabuf_dev = -1;
/* a second file of vmsm.1, where its exported objects are made */
static int fd1_exp = -1;
static struct vmsm_device *dev1_exp;
/* the strict subtest: coherency_strict on device 0, which owns the state */
static bool strict;
static struct vmsm_device *dev, *dev1;
/* The file of device 0 switched to VM_BIND, and its command buffer. */
static int fd_bind = -1;
static uint32_t bind_cmds_handle;
static uint32_t *bind_cmds;
/* The command streams of the BO-list jobs, on device 0 and on device 1. */
static struct vmsm_cs *streams[2];
static size_t page_size;
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: reproducible from the printed seed on every libc */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32) % n;
}

/*
 * The objects sequences run on: one pair per size and kind, made once,
 * and brought back to the state of a new object before each sequence.
 */
struct run {
	/* a foreign exporter's buffer: its handle or memfd, or vmsm.1's object */
	uint32_t vgem_handle;
	int memfd;
	struct vmsm_bo *exp;
	struct vmsm_bo *bo, *dst;
	uint8_t *cpu, *dst_map;
	uint64_t iova, dst_iova, size;
	/* the dma-buf and its mapping */
	int dmabuf;
	uint8_t *dmap;
	/* in the VM_BIND file: the object and a copy destination, mapped */
	uint32_t bind_bo, bind_dst;
	uint8_t *bind_dst_map;
	uint64_t bind_va, bind_dst_va;
	/* on device 1: the import and a copy destination */
	struct vmsm_bo *imp, *imp_dst;
	uint8_t *imp_dst_map;
	uint64_t imp_iova, imp_dst_iova;
	struct vmsm_own_model m;
};

static struct run pool[MAX_PAGES][OBJ_KINDS];

static int ioctl_errno(int f, unsigned long req, void *arg)
{
	return igt_ioctl(f, req, arg) ? -errno : 0;
}

static int wait_fence_fd(int f, uint32_t fence)
{
	struct drm_vmsm_wait_fence w = { .fence = fence };
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	w.timeout_ns = ts.tv_sec * 1000000000ll + ts.tv_nsec + JOB_TIMEOUT_NS;
	return ioctl_errno(f, DRM_IOCTL_VMSM_WAIT_FENCE, &w);
}

static uint32_t bind_new(uint64_t size, uint8_t **map)
{
	struct drm_vmsm_gem_new req = { .size = size, .flags = VMSM_BO_WC };
	struct drm_vmsm_gem_info info = { .info = VMSM_INFO_GET_MMAP_OFFSET };
	void *p;

	do_ioctl(fd_bind, DRM_IOCTL_VMSM_GEM_NEW, &req);
	info.handle = req.handle;
	do_ioctl(fd_bind, DRM_IOCTL_VMSM_GEM_INFO, &info);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_bind, info.value);
	igt_assert(p != MAP_FAILED);
	*map = p;
	return req.handle;
}

/* Maps @handle at @va in the VM_BIND file, waiting for the bind. */
static void bind_map(uint32_t handle, uint64_t va, uint64_t size)
{
	struct drm_vmsm_vm_bind_op o = {
		.op = VMSM_VM_BIND_OP_MAP, .handle = handle, .iova = va, .range = size,
	};
	struct drm_vmsm_vm_bind req = { .nr_ops = 1, .ops = (uintptr_t)&o };

	do_ioctl(fd_bind, DRM_IOCTL_VMSM_VM_BIND, &req);
	igt_assert_eq(wait_fence_fd(fd_bind, req.fence), 0);
}

/* The VM_BIND file: opened on fd's device, its command buffer mapped. */
static void bind_file_get(void)
{
	uint8_t *p;

	if (fd_bind >= 0)
		return;
	fd_bind = drm_reopen_driver(fd);
	bind_cmds_handle = bind_new(CMDS_SIZE, &p);
	bind_cmds = (uint32_t *)p;
	bind_map(bind_cmds_handle, VA_CMDS, CMDS_SIZE);
}

/*
 * A buffer of a foreign exporter: its CPU mapping in r->cpu, its dma-buf
 * in r->dmabuf, and its import into device 0 in r->bo.
 */
static void foreign_new(struct run *r, unsigned int obj)
{
	void *p;

	if (obj == OBJ_VGEM) {
		struct drm_mode_create_dumb c = {
			.width = r->size / 4, .height = 1, .bpp = 32,
		};
		struct drm_mode_map_dumb m = { 0 };
		struct drm_prime_handle h = { .flags = DRM_CLOEXEC | DRM_RDWR };

		do_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &c);
		r->vgem_handle = m.handle = h.handle = c.handle;
		do_ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &m);
		p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem, m.offset);
		do_ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &h);
		r->dmabuf = h.fd;
	} else if (obj == OBJ_COH_EXPORT) {
		/*
		 * Made in a file of its own, so that vmsm.1's import of its
		 * dma-buf (r->imp) is a handle of the same object in fd1.
		 */
		if (fd1_exp < 0) {
			fd1_exp = drm_reopen_driver(fd1);
			vmsm_lib_ok(vmsm_device_from_fd(fd1_exp, &dev1_exp));
		}
		vmsm_lib_ok(vmsm_bo_new(dev1_exp, r->size, VMSM_BO_CACHED_COHERENT, &r->exp));
		vmsm_lib_ok(vmsm_bo_map(r->exp, &p));
		vmsm_lib_ok(vmsm_bo_export_dmabuf(r->exp, &r->dmabuf));
	} else if (obj == OBJ_HEAP) {
		r->dmabuf = igt_vmsm_heap_alloc(r->size);
		p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->dmabuf, 0);
	} else {
		struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = r->size };

		r->memfd = memfd_create("vmsm-ownership", MFD_ALLOW_SEALING);
		igt_assert(r->memfd >= 0);
		igt_assert_eq(ftruncate(r->memfd, r->size), 0);
		igt_assert_eq(fcntl(r->memfd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
		p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->memfd, 0);
		c.memfd = r->memfd;
		r->dmabuf = ioctl(udmabuf_dev, UDMABUF_CREATE, &c);
		igt_assert_f(r->dmabuf >= 0, "UDMABUF_CREATE: %s\n", strerror(errno));
		/*
		 * udmabuf's own rule, not vmsm's: its SYNC_END fails with
		 * -EINVAL until a SYNC_START has mapped its pages for its
		 * device. Map them once, so that a SYNC_END without START
		 * is a misuse for vmsm alone.
		 */
		igt_vmsm_dmabuf_sync(r->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
		igt_vmsm_dmabuf_sync(r->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	}
	igt_assert(p != MAP_FAILED);
	r->cpu = p;
	vmsm_lib_ok(vmsm_bo_import_dmabuf(dev, r->dmabuf, &r->bo));
}

static struct run *run_get(const struct seq *s)
{
	unsigned int slot = (s->nr_pages - 1) * OBJ_KINDS + s->obj;
	struct run *r = &pool[s->nr_pages - 1][s->obj];
	struct drm_prime_handle imp = { .flags = 0 };
	void *p;

	if (r->bo)
		return r;
	r->size = s->nr_pages * page_size;
	r->memfd = -1;
	if (is_foreign(s->obj)) {
		foreign_new(r, s->obj);
	} else {
		vmsm_lib_ok(vmsm_bo_new(dev, r->size,
				   s->obj == OBJ_CACHED ? VMSM_BO_CACHED : VMSM_BO_WC, &r->bo));
		vmsm_lib_ok(vmsm_bo_map(r->bo, &p));
		r->cpu = p;
		vmsm_lib_ok(vmsm_bo_export_dmabuf(r->bo, &r->dmabuf));
	}
	vmsm_lib_ok(vmsm_bo_new(dev, r->size, VMSM_BO_WC, &r->dst));
	vmsm_lib_ok(vmsm_bo_map(r->dst, &p));
	r->dst_map = p;
	vmsm_lib_ok(vmsm_bo_iova(r->bo, &r->iova));
	vmsm_lib_ok(vmsm_bo_iova(r->dst, &r->dst_iova));

	p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->dmabuf, 0);
	igt_assert(p != MAP_FAILED);
	r->dmap = p;

	/* The same device: the import is the object itself, mapped unlisted. */
	bind_file_get();
	imp.fd = r->dmabuf;
	do_ioctl(fd_bind, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	r->bind_bo = imp.handle;
	r->bind_dst = bind_new(r->size, &r->bind_dst_map);
	r->bind_va = VA_DATA + slot * VA_SLOT;
	r->bind_dst_va = VA_DST + slot * VA_SLOT;
	bind_map(r->bind_bo, r->bind_va, r->size);
	bind_map(r->bind_dst, r->bind_dst_va, r->size);

	/* the heap's buffer stays on device 0: see heap_on_device_0() */
	if (s->obj != OBJ_HEAP) {
		vmsm_lib_ok(vmsm_bo_import_dmabuf(dev1, r->dmabuf, &r->imp));
		vmsm_lib_ok(vmsm_bo_new(dev1, r->size, VMSM_BO_WC, &r->imp_dst));
		vmsm_lib_ok(vmsm_bo_map(r->imp_dst, &p));
		r->imp_dst_map = p;
		vmsm_lib_ok(vmsm_bo_iova(r->imp, &r->imp_iova));
		vmsm_lib_ok(vmsm_bo_iova(r->imp_dst, &r->imp_dst_iova));
	}

	/*
	 * Two copies for a cached object of the non-coherent device and for
	 * the heap's buffer, which device 0 imports through its view device
	 * (udmabuf's too where udmabuf syncs its attachments); vgem imports
	 * have no device view ("dma-buf sharing"), the GPU uses the
	 * exporter's pages.
	 */
	if (exporter_view(s->obj))
		igt_assert_eq(vmsm_own_model_init_exporter_view(&r->m, s->nr_pages, page_size), 0);
	else
		igt_assert_eq(vmsm_own_model_init(&r->m, s->nr_pages, page_size,
					     s->obj == OBJ_CACHED), 0);
	return r;
}

static void pool_free(void)
{
	for (unsigned int i = 0; i < MAX_PAGES; i++) {
		for (unsigned int k = 0; k < OBJ_KINDS; k++) {
			struct run *r = &pool[i][k];

			if (!r->bo)
				continue;
			vmsm_bo_free(r->imp);
			vmsm_bo_free(r->imp_dst);
			munmap(r->bind_dst_map, r->size);
			munmap(r->dmap, r->size);
			close(r->dmabuf);
			vmsm_bo_free(r->bo);
			vmsm_bo_free(r->dst);
			if (is_foreign(k) && !r->exp)
				munmap(r->cpu, r->size);
			vmsm_bo_free(r->exp);
			if (k == OBJ_VGEM) {
				struct drm_gem_close c = { .handle = r->vgem_handle };

				do_ioctl(vgem, DRM_IOCTL_GEM_CLOSE, &c);
			}
			if (r->memfd >= 0)
				close(r->memfd);
			vmsm_own_model_fini(&r->m);
			memset(r, 0, sizeof(*r));
		}
	}
	/* Closing the file unmaps and frees what it holds. */
	if (fd_bind >= 0) {
		munmap(bind_cmds, CMDS_SIZE);
		close(fd_bind);
		fd_bind = -1;
	}
}

static bool step(struct run *r, const struct op *o, char *why, size_t len);

/*
 * Ends every access the model says is open, then takes the object whole,
 * zeroes it and gives it back: nothing held, nothing dirty, both views
 * zero, as a new object. Through step(), so the model goes the same way.
 */
static void run_release(struct run *r)
{
	char why[160];

	for (unsigned int p = 0; p < r->m.nr_pages; p++) {
		struct op one = { .kind = OP_FINI, .offset = p * page_size, .size = 1 };

		while (r->m.holds[p])
			igt_assert_f(step(r, &one, why, sizeof(why)), "release: %s\n", why);
	}
}

static void run_reset(struct run *r)
{
	static const enum op_kind whole[] = { OP_PREP, OP_WRITE, OP_FINI, OP_READ };
	/* the heap's buffer moves with the heap's syncs alone */
	static const enum op_kind whole_synced[] = {
		OP_SYNC_START, OP_WRITE, OP_SYNC_END, OP_READ,
	};
	const enum op_kind *kinds = r->m.exporter_view ? whole_synced : whole;
	char why[160];

	run_release(r);
	for (unsigned int i = 0; i < ARRAY_SIZE(whole); i++) {
		struct op o = { .kind = kinds[i], .size = r->size, .via = DMA_BUF_SYNC_RW };

		if (o.kind == OP_WRITE || o.kind == OP_READ)
			o.via = 0;

		igt_assert_f(step(r, &o, why, sizeof(why)), "reset: %s\n", why);
	}
}

/* The file and handle a PREP or FINI goes through. */
static void via_handle(const struct run *r, const struct op *o, int *f, uint32_t *handle)
{
	switch (o->via) {
	case VIA_BIND:
		*f = fd_bind;
		*handle = r->bind_bo;
		break;
	case VIA_IMPORT:
		*f = fd1;
		*handle = vmsm_bo_handle(r->imp);
		break;
	default:
		*f = fd;
		*handle = vmsm_bo_handle(r->bo);
		break;
	}
}

static int op_gem_sync(struct run *r, const struct op *o, uint32_t op, uint32_t access)
{
	struct drm_vmsm_gem_sync_op so = {
		.handle = vmsm_bo_handle(r->bo), .op = op, .access = access,
		.offset = o->offset, .size = o->size,
	};
	struct drm_vmsm_gem_sync a = { .ops = (uintptr_t)&so, .nr_ops = 1 };

	return ioctl_errno(fd, DRM_IOCTL_VMSM_GEM_SYNC, &a);
}

static int prep(struct run *r, const struct op *o)
{
	struct drm_vmsm_gem_cpu_prep a = {
		.op = VMSM_PREP_READ | VMSM_PREP_WRITE,
		.timeout_ns = INT64_MAX, .offset = o->offset, .size = o->size,
	};
	int f;

	/* every job was waited for: GEM_SYNC, which never waits, may go */
	if (o->via == VIA_GEM_SYNC)
		return op_gem_sync(r, o, VMSM_SYNC_TO_CPU, VMSM_PREP_READ | VMSM_PREP_WRITE);
	via_handle(r, o, &f, &a.handle);
	return ioctl_errno(f, DRM_IOCTL_VMSM_GEM_CPU_PREP, &a);
}

static int fini(struct run *r, const struct op *o)
{
	struct drm_vmsm_gem_cpu_fini a = { .offset = o->offset, .size = o->size };
	int f;

	if (o->via == VIA_GEM_SYNC)
		return op_gem_sync(r, o, VMSM_SYNC_TO_DEVICE, 0);
	via_handle(r, o, &f, &a.handle);
	return ioctl_errno(f, DRM_IOCTL_VMSM_GEM_CPU_FINI, &a);
}

static int dmabuf_sync(struct run *r, const struct op *o)
{
	struct dma_buf_sync a = {
		.flags = (o->kind == OP_SYNC_START ? DMA_BUF_SYNC_START : DMA_BUF_SYNC_END) |
			 o->via,
	};

	return ioctl_errno(r->dmabuf, DMA_BUF_IOCTL_SYNC, &a);
}

static int gpu(struct run *r, const struct op *o)
{
	bool imp = o->kind == OP_IMP_FILL || o->kind == OP_IMP_COPY;
	struct vmsm_bo *bo = imp ? r->imp : r->bo, *dst = imp ? r->imp_dst : r->dst;
	uint64_t iova = imp ? r->imp_iova : r->iova;
	uint64_t dst_iova = imp ? r->imp_dst_iova : r->dst_iova;
	struct vmsm_device *d = imp ? dev1 : dev;
	struct vmsm_cs *cs = streams[imp];
	struct vmsm_submit_out out;
	int ret;

	/* one stream per device, reused: every job is waited for */
	if (cs)
		vmsm_lib_ok(vmsm_cs_reset(cs));
	else
		vmsm_lib_ok(vmsm_cs_new(d, 256, &streams[imp]));
	cs = streams[imp];
	if (o->kind == OP_FILL || o->kind == OP_IMP_FILL) {
		vmsm_lib_ok(vmsm_cs_add_bo(cs, bo, VMSM_SUBMIT_BO_WRITE));
		vmsm_lib_ok(vmsm_cs_fill(cs, iova + o->offset, o->size, o->value * 0x01010101u));
	} else {
		vmsm_lib_ok(vmsm_cs_add_bo(cs, bo, VMSM_SUBMIT_BO_READ));
		vmsm_lib_ok(vmsm_cs_add_bo(cs, dst, VMSM_SUBMIT_BO_WRITE));
		vmsm_lib_ok(vmsm_cs_copy(cs, dst_iova, iova, r->size));
	}
	ret = vmsm_submit(cs, NULL, &out);
	if (!ret)
		ret = vmsm_wait_fence(d, 0, out.fence, JOB_TIMEOUT_NS);
	return ret;
}

static void emit_addr(uint32_t *cs, unsigned int *n, uint64_t va)
{
	cs[(*n)++] = (uint32_t)va;
	cs[(*n)++] = (uint32_t)(va >> 32);
}

/* A job of the VM_BIND file: no object listed, every mapped one reached. */
static int bind_job(struct run *r, const struct op *o)
{
	struct drm_vmsm_submit_cmd cmd = { .iova = VA_CMDS };
	struct drm_vmsm_gem_submit req = { .cmds = (uintptr_t)&cmd, .nr_cmds = 1 };
	uint32_t *cs = bind_cmds;
	unsigned int n = 0;
	int ret;

	if (o->kind == OP_BIND_FILL) {
		cs[n++] = VMSM_CP_PKT(VMSM_CP_FILL, 5);
		emit_addr(cs, &n, r->bind_va + o->offset);
		emit_addr(cs, &n, o->size);
		cs[n++] = o->value * 0x01010101u;
	} else {
		cs[n++] = VMSM_CP_PKT(VMSM_CP_COPY, 6);
		emit_addr(cs, &n, r->bind_dst_va);
		emit_addr(cs, &n, r->bind_va);
		emit_addr(cs, &n, r->size);
	}
	cmd.size = n;
	ret = ioctl_errno(fd_bind, DRM_IOCTL_VMSM_GEM_SUBMIT, &req);
	return ret ?: wait_fence_fd(fd_bind, req.fence);
}

static bool is_job(enum op_kind k);

/*
 * Strict mode ("Misuse and what it gives": "such a submit fails with
 * -EBUSY instead and changes nothing"): run on the driver, nothing on the
 * model. False if the driver did not refuse.
 */
static bool step_refused(struct run *r, const struct op *o, char *why, size_t len)
{
	int ret = o->kind == OP_BIND_FILL || o->kind == OP_BIND_COPY ? bind_job(r, o) :
									 gpu(r, o);

	if (ret == -EBUSY)
		return true;
	snprintf(why, len, "%s in strict mode with the CPU holding the object returned %d, "
		 "not -EBUSY", op_names[o->kind], ret);
	return false;
}

/* Runs one step on the driver and the model; false on a divergence. */
static bool step(struct run *r, const struct op *o, char *why, size_t len)
{
	const uint8_t *want = NULL, *got = NULL;
	int ret = 0;

	if (strict && is_job(o->kind) && vmsm_own_model_strict_refuses(&r->m))
		return step_refused(r, o, why, len);

	switch (o->kind) {
	case OP_PREP:
		ret = prep(r, o);
		vmsm_own_model_prep(&r->m, o->offset, o->size);
		break;
	case OP_FINI:
		ret = fini(r, o);
		vmsm_own_model_cpu_fini(&r->m, o->offset, o->size);
		break;
	case OP_WRITE:
		memset((o->via ? r->dmap : r->cpu) + o->offset, o->value, o->size);
		vmsm_own_model_cpu_write_map(&r->m, o->via, o->offset, o->size, o->value);
		break;
	case OP_READ:
		want = r->m.cpu;
		got = o->via ? r->dmap : r->cpu;
		break;
	case OP_FILL:
		ret = gpu(r, o);
		vmsm_own_model_gpu_fill(&r->m, o->offset, o->size, o->value);
		break;
	case OP_COPY:
		ret = gpu(r, o);
		vmsm_own_model_gpu_read(&r->m);
		want = r->m.dev;
		got = r->dst_map;
		break;
	case OP_BIND_FILL:
	case OP_BIND_COPY:
		ret = bind_job(r, o);
		vmsm_own_model_vm_bind_job(&r->m, o->kind == OP_BIND_FILL, o->offset, o->size,
				      o->value);
		if (o->kind == OP_BIND_COPY) {
			want = r->m.dev;
			got = r->bind_dst_map;
		}
		break;
	case OP_SYNC_START:
		ret = dmabuf_sync(r, o);
		vmsm_own_model_dmabuf_sync_start(&r->m);
		break;
	case OP_SYNC_END:
		ret = dmabuf_sync(r, o);
		vmsm_own_model_dmabuf_sync_end(&r->m);
		break;
	case OP_IMP_FILL:
		ret = gpu(r, o);
		vmsm_own_model_coherent_importer_fill(&r->m, o->offset, o->size, o->value);
		break;
	case OP_IMP_COPY:
		ret = gpu(r, o);
		vmsm_own_model_coherent_importer_read(&r->m);
		want = r->m.cpu;
		got = r->imp_dst_map;
		break;
	default:
		break;
	}
	if (ret) {
		snprintf(why, len, "%s returned %d", op_names[o->kind], ret);
		return false;
	}
	for (uint64_t i = 0; want && i < r->size; i++) {
		if (got[i] != want[i]) {
			snprintf(why, len, "%s: byte %llu is %#x, the model says %#x",
				 op_names[o->kind], (unsigned long long)i, got[i], want[i]);
			return false;
		}
	}
	return true;
}

/*
 * Runs @s from the state of a new object: the index of the diverging
 * step, or -1. After a divergence the objects are made anew.
 */
static int run_seq(const struct seq *s, char *why, size_t len)
{
	struct op copy = { .kind = OP_COPY };
	struct run *r = run_get(s);
	int bad = -1;
	unsigned int i;

	run_reset(r);
	for (i = 0; i < s->nr_ops && bad < 0; i++)
		if (!step(r, &s->ops[i], why, len))
			bad = i;
	/* What the GPU sees at the end, too. */
	if (bad < 0 && !step(r, &copy, why, len))
		bad = s->nr_ops;
	/*
	 * Every object is mapped in the VM_BIND file, so its next job would
	 * hand over what this sequence left held: end it now.
	 */
	if (bad < 0)
		run_release(r);
	if (bad >= 0)
		pool_free();
	return bad;
}

static void random_range(const struct seq *s, struct op *o, bool gpu_fill)
{
	uint32_t size = s->nr_pages * page_size;

	o->offset = rnd(size);
	o->size = 1 + rnd(size - o->offset);
	if (gpu_fill) {
		/* the FILL packet stores whole dwords */
		o->offset &= ~3u;
		o->size = (o->size + 3) & ~3u;
		if (o->offset + o->size > size)
			o->size = size - o->offset;
	}
}

static void random_via(struct op *o)
{
	switch (o->kind) {
	case OP_PREP:
	case OP_FINI:
		o->via = rnd(VIAS);
		break;
	case OP_WRITE:
	case OP_READ:
		o->via = rnd(2);
		break;
	case OP_SYNC_START:
	case OP_SYNC_END:
		o->via = 1 + rnd(3);	/* DMA_BUF_SYNC_READ, _WRITE or _RW */
		break;
	default:
		o->via = 0;
		break;
	}
}

/* Mostly the cached object of the non-coherent device: its rules are the most */
static unsigned int obj_kind(void)
{
	static const unsigned int kinds[] = {
		OBJ_CACHED, OBJ_CACHED, OBJ_CACHED, OBJ_CACHED, OBJ_CACHED,
		OBJ_WC, OBJ_VGEM, OBJ_UDMABUF, OBJ_COH_EXPORT,
#ifdef __x86_64__
		OBJ_HEAP,
#endif
	};

	return kinds[rnd(ARRAY_SIZE(kinds))];
}

static const enum op_kind jobs[] = {
	OP_FILL, OP_COPY, OP_BIND_FILL, OP_BIND_COPY, OP_IMP_FILL, OP_IMP_COPY,
};

static bool is_job(enum op_kind k)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(jobs); i++)
		if (jobs[i] == k)
			return true;
	return false;
}

static bool is_fill(enum op_kind k)
{
	return k == OP_FILL || k == OP_BIND_FILL || k == OP_IMP_FILL;
}

/* Anything in any order. */
static void gen_any(struct seq *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_ops; i++) {
		struct op *o = &s->ops[i];

		/* CPU steps 3.5 times as likely as GPU jobs, which cost more */
		static const enum op_kind kinds[] = {
			OP_PREP, OP_PREP, OP_PREP, OP_PREP, OP_FINI, OP_FINI, OP_FINI, OP_FINI,
			OP_WRITE, OP_WRITE, OP_WRITE, OP_WRITE, OP_WRITE,
			OP_READ, OP_READ, OP_READ, OP_READ,
			OP_SYNC_START, OP_SYNC_START, OP_SYNC_END, OP_SYNC_END,
			OP_FILL, OP_COPY, OP_BIND_FILL, OP_BIND_COPY, OP_IMP_FILL, OP_IMP_COPY,
		};

		o->kind = kinds[rnd(ARRAY_SIZE(kinds))];
		o->value = 1 + rnd(255);
		random_range(s, o, is_fill(o->kind));
		random_via(o);
		if (o->kind == OP_SYNC_START || o->kind == OP_SYNC_END) {
			o->offset = 0;		/* the whole object */
			o->size = s->nr_pages * page_size;
		}
	}
}

/*
 * The uapi as documented: CPU accesses inside open PREPs or dma-buf
 * SYNC_STARTs (writes inside one that allows writing), jobs with none.
 */
static void gen_bracketed(struct seq *s)
{
	struct op open[MAX_OPS];
	unsigned int i, nr_open = 0;

	for (i = 0; i < s->nr_ops; i++) {
		struct op *o = &s->ops[i];
		unsigned int pick = rnd(nr_open ? 4 : 2);
		unsigned int left = s->nr_ops - i;
		const struct op *in;

		o->value = 1 + rnd(255);
		if (nr_open && left <= nr_open)
			pick = 3;			/* close what is open */
		else if (pick == 0 && left <= nr_open + 1)
			pick = 1;			/* no room to close another */
		if (!nr_open && pick == 1) {
			o->kind = jobs[rnd(ARRAY_SIZE(jobs))];
			random_range(s, o, true);
			o->via = 0;
		} else if (pick == 0) {
			/* such an import moves with its exporter's syncs */
			o->kind = rnd(4) && !exporter_view(s->obj) ? OP_PREP : OP_SYNC_START;
			random_range(s, o, false);
			random_via(o);
			if (o->kind == OP_SYNC_START) {
				o->offset = 0;
				o->size = s->nr_pages * page_size;
			}
			open[nr_open++] = *o;
		} else if (pick == 1 || pick == 2) {
			unsigned int k = rnd(nr_open), n;

			o->kind = pick == 1 ? OP_WRITE : OP_READ;
			/* a write goes inside a range opened for writing */
			for (n = 0; o->kind == OP_WRITE && n < nr_open; n++) {
				in = &open[(k + n) % nr_open];
				if (in->kind == OP_PREP || (in->via & DMA_BUF_SYNC_WRITE))
					break;
			}
			if (n == nr_open)
				o->kind = OP_READ;
			in = &open[(k + (o->kind == OP_WRITE ? n : 0)) % nr_open];
			o->offset = in->offset + rnd(in->size);
			o->size = 1 + rnd(in->offset + in->size - o->offset);
			o->via = rnd(2);
		} else {
			unsigned int k = rnd(nr_open);

			if (open[k].kind == OP_PREP) {
				o->kind = OP_FINI;
				random_via(o);
			} else {
				o->kind = OP_SYNC_END;
				o->via = open[k].via;
			}
			o->offset = open[k].offset;
			o->size = open[k].size;
			open[k] = open[--nr_open];
		}
	}
}

static const char *via_name(const struct op *o)
{
	static const char * const rw[4] = { "", "READ", "WRITE", "RW" };

	switch (o->kind) {
	case OP_PREP:
	case OP_FINI:
		return via_names[o->via];
	case OP_WRITE:
	case OP_READ:
		return o->via ? "dma-buf mapping" : "DRM mapping";
	case OP_SYNC_START:
	case OP_SYNC_END:
		return rw[o->via & 3];
	default:
		return "";
	}
}

static void print_seq(const struct seq *s)
{
	unsigned int i;

	igt_info("object: %u pages of %zu bytes, %s\n", s->nr_pages, page_size,
		 obj_names[s->obj]);
	for (i = 0; i < s->nr_ops; i++)
		igt_info("  %2u: %-12s bytes [%u, %u) value %#x %s\n", i,
			 op_names[s->ops[i].kind], s->ops[i].offset,
			 s->ops[i].offset + s->ops[i].size, s->ops[i].value,
			 via_name(&s->ops[i]));
}

/* The steps up to the diverging one (the final copy is not a step). */
static unsigned int ops_to(const struct seq *s, int bad)
{
	return (unsigned int)bad < s->nr_ops ? (unsigned int)bad + 1 : s->nr_ops;
}

/* Drops steps while the sequence still diverges; prints what is left. */
static void shrink_and_report(struct seq *s, int bad, const char *why0)
{
	char why[160], why2[160];
	bool smaller = true;

	snprintf(why, sizeof(why), "%s", why0);

	s->nr_ops = ops_to(s, bad);
	while (smaller) {
		smaller = false;
		for (unsigned int i = 0; i < s->nr_ops; i++) {
			struct seq t = *s;
			int b;

			memmove(&t.ops[i], &t.ops[i + 1], (t.nr_ops - i - 1) * sizeof(t.ops[0]));
			t.nr_ops--;
			b = run_seq(&t, why2, sizeof(why2));
			if (b >= 0) {
				memcpy(why, why2, sizeof(why));
				*s = t;
				s->nr_ops = ops_to(s, b);
				smaller = true;
				break;
			}
		}
	}
	igt_info("diverged: %s; shortest sequence that still diverges:\n", why);
	print_seq(s);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

static int64_t violations(void)
{
	static char buf[16384];
	const char *line;

	igt_assert(igt_vmsm_debugfs_read(fd, "vmsm_coherency", buf, sizeof(buf)) > 0);
	line = strstr(buf, "violations ");
	igt_assert(line);
	return strtoll(line + strlen("violations "), NULL, 10);
}

static void check_off(int sig)
{
	(void)sig;
	if (fd >= 0)
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
}

#define BATCH	100

/* Replays a batch one sequence at a time to name the one checking reported. */
static void report_batch(const struct seq *batch, unsigned int n, uint64_t first,
			 uint64_t seed)
{
	char why[160];

	for (unsigned int i = 0; i < n; i++) {
		int64_t before = violations();

		igt_assert_eq(run_seq(&batch[i], why, sizeof(why)), -1);
		if (violations() == before)
			continue;
		igt_info("sequence %llu of seed %llu: checking mode reported usage the uapi "
			 "allows\n", (unsigned long long)(first + i), (unsigned long long)seed);
		print_seq(&batch[i]);
		return;
	}
	igt_info("sequences %llu-%llu of seed %llu: checking mode reported usage the uapi "
		 "allows, not again when replayed one by one\n", (unsigned long long)first,
		 (unsigned long long)(first + n - 1), (unsigned long long)seed);
}

/*
 * The heap maps its buffer for each attachment without
 * DMA_ATTR_SKIP_CPU_SYNC, which DMA-API debugging reports as overlapping
 * mappings once two devices map it: its steps on device 1 go to device 0.
 */
static void heap_on_device_0(struct seq *s)
{
	for (unsigned int i = 0; s->obj == OBJ_HEAP && i < s->nr_ops; i++) {
		struct op *o = &s->ops[i];

		if (o->kind == OP_IMP_FILL)
			o->kind = OP_FILL;
		else if (o->kind == OP_IMP_COPY)
			o->kind = OP_COPY;
		else if ((o->kind == OP_PREP || o->kind == OP_FINI) && o->via == VIA_IMPORT)
			o->via = VIA_OWN;
	}
}

static void strict_off(int sig)
{
	(void)sig;
	if (fd >= 0)
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", false);
	strict = false;
}

static void test_sequences(bool bracketed)
{
	uint64_t seed = env_u64("VMSM_OWN_SEED", (uint64_t)time(NULL));
	uint64_t n = env_u64("VMSM_OWN_SEQS", 5000), k;

	/* strict mode differs from "any" only at submits: a fifth as many */
	if (strict)
		n = (n + 4) / 5;
	static struct seq batch[BATCH];
	unsigned int nb = 0;
	int64_t before = 0;
	char why[160];

	igt_info("seed %llu (VMSM_OWN_SEED), %llu sequences\n", (unsigned long long)seed,
		 (unsigned long long)n);
	rng_state = seed * 2 + 1;
	if (bracketed) {
		igt_install_exit_handler(check_off);
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
		before = violations();
	}
	for (k = 0; k < n; k++) {
		struct seq *s = &batch[nb++];
		int bad;

		*s = (struct seq){
			.nr_pages = 1 + rnd(MAX_PAGES),
			.nr_ops = 1 + rnd(MAX_OPS),
			.obj = obj_kind(),
		};
		if (bracketed)
			gen_bracketed(s);
		else
			gen_any(s);
		/*
		 * udmabuf maps its pages in the direction of the first sync
		 * and syncs in that of each later one, which DMA-API
		 * debugging reports unless it never changes (see vmsm_prime).
		 */
		heap_on_device_0(s);
		for (unsigned int i = 0; s->obj == OBJ_UDMABUF && i < s->nr_ops; i++)
			if (s->ops[i].kind == OP_SYNC_START || s->ops[i].kind == OP_SYNC_END)
				s->ops[i].via = DMA_BUF_SYNC_RW;
		bad = run_seq(s, why, sizeof(why));
		if (bad >= 0) {
			igt_info("sequence %llu of seed %llu\n", (unsigned long long)k,
				 (unsigned long long)seed);
			shrink_and_report(s, bad, why);
			igt_fail(IGT_EXIT_FAILURE);
		}
		/* Checking mode's count, read once per batch. */
		if (nb < BATCH && k + 1 < n)
			continue;
		if (bracketed && violations() != before) {
			report_batch(batch, nb, k + 1 - nb, seed);
			igt_fail(IGT_EXIT_FAILURE);
		}
		nb = 0;
	}
	if (bracketed)
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
	pool_free();
}

static int open_vgem(void)
{
	char path[32], name[16];

	for (int i = 0; i < 16; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
		int f;

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

static void close_devices(void)
{
	pool_free();
	for (unsigned int i = 0; i < ARRAY_SIZE(streams); i++) {
		if (streams[i])
			vmsm_cs_free(streams[i]);
		streams[i] = NULL;
	}
	vmsm_device_close(dev);
	vmsm_device_close(dev1);
	vmsm_device_close(dev1_exp);
	dev = dev1 = dev1_exp = NULL;
	if (fd1_exp >= 0)
		close(fd1_exp);
	fd1_exp = -1;
	if (fd >= 0)
		close(fd);
	if (fd1 >= 0)
		close(fd1);
	if (vgem >= 0)
		close(vgem);
	if (udmabuf_dev >= 0)
		close(udmabuf_dev);
	fd = fd1 = vgem = udmabuf_dev = -1;
}

static bool reloaded;

static void restore_module(int sig)
{
	(void)sig;
	close_devices();
	igt_vmsm_load_defaults(&reloaded);
}

igt_main
{
	igt_fixture {
		const char *ko = getenv("VMSM_KO");
		int fds[2];

		igt_install_exit_handler(restore_module);
		/*
		 * the object's device, non-coherent, and a coherent importer:
		 * the device tree's (arm64), or num_devices=2 coherent=0,1
		 */
		reloaded = igt_vmsm_devices(ko, 1, 1, fds);
		fd = fds[0];
		fd1 = fds[1];
		vmsm_lib_ok(vmsm_device_from_fd(fd, &dev));
		vmsm_lib_ok(vmsm_device_from_fd(fd1, &dev1));
		page_size = sysconf(_SC_PAGESIZE);
		igt_assert_f(vmsm_get_param(fd, VMSM_PARAM_COHERENT) == 0,
			     "the first device must be non-coherent\n");
		igt_assert_f(vmsm_get_param(fd1, VMSM_PARAM_COHERENT) == 1,
			     "the second device must be coherent\n");
		vgem = open_vgem();
		udmabuf_dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
		igt_assert_f(udmabuf_dev >= 0, "/dev/udmabuf: %s\n", strerror(errno));
	}

	igt_describe("Random sequences that use the uapi as documented: exact data, "
		     "and checking mode reports nothing.");
	igt_subtest("bracketed")
		test_sequences(true);

	igt_describe("Random sequences of any order: each misuse gives what the uapi "
		     "documentation says.");
	igt_subtest("any-order")
		test_sequences(false);

	igt_describe("Random sequences of any order in strict mode: a submit of an "
		     "object the CPU holds fails with -EBUSY and changes nothing.");
	igt_subtest("strict") {
		igt_install_exit_handler(strict_off);
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_strict", true);
		strict = true;
		test_sequences(false);
		strict_off(0);
	}

	igt_fixture
		close_devices();
}
