// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: buffer objects
 *
 * vmsm objects are shmem GEM objects (&struct vmsm_bo wraps
 * &struct drm_gem_shmem_object). The caching mode chosen at creation sets
 * the page protection of CPU mappings: write-back for the cached modes,
 * write-combined through the shmem helper's ``map_wc``, and uncached by
 * overriding the protection after the helper set up the mapping.
 *
 * Pages are pinned and mapped for the device (streaming DMA API, on the
 * vmsm platform device) the first time an object is mapped into a GPU
 * address space, and stay so until the object is freed. The GPU page
 * tables hold the resulting bus addresses. From then on the object's
 * ownership (CPU or device) is tracked, see "coherency"; CPU mappings of
 * cached objects on a non-coherent device track writes.
 */

#include <linux/ctype.h>
#include <linux/dma-buf.h>
#include <linux/dma-coherency.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_utils.h>
#include <drm/vmsm_drm.h>

#include "vmsm_drv.h"

static void vmsm_gem_free(struct drm_gem_object *obj)
{
	struct vmsm_bo *bo = to_vmsm_bo(obj);
	struct vmsm_device *vdev = to_vmsm_device(obj->dev);
	atomic_t *count = bo->kernel ? &vdev->nr_kernel_objects : &vdev->nr_objects;

	vmsm_coherency_bo_forget(bo);
	vmsm_bo_unmap_all(bo);
	vmsm_coherency_bo_unpin(bo);
	vmsm_gem_pin_release(bo);
	mutex_lock(&vdev->mm_lock);
	list_del(&bo->link);
	mutex_unlock(&vdev->mm_lock);
	mutex_destroy(&bo->name_lock);
	drm_gem_shmem_free(&bo->base);
	atomic_dec(count);
}

static vm_fault_t vmsm_gem_fault(struct vm_fault *vmf)
{
	return drm_gem_shmem_vm_ops.fault(vmf);
}

static void vmsm_gem_vm_open(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.open(vma);
}

static void vmsm_gem_vm_close(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.close(vma);
}

/*
 * With pfn_mkwrite, the core maps shared writable pages read-only until
 * they are written (vma_wants_writenotify()): the first write to a page
 * lands here, and GEM_CPU_FINI write-protects the page again once it has
 * cleaned it.
 */
static vm_fault_t vmsm_gem_pfn_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vmsm_bo *bo = to_vmsm_bo(vma->vm_private_data);

	/* As the shmem fault handler counts pages: from the start of the VMA. */
	vmsm_coherency_cpu_wrote(bo, (vmf->address - vma->vm_start) >> PAGE_SHIFT);
	return 0;
}

static const struct vm_operations_struct vmsm_gem_tracked_vm_ops = {
	.fault = vmsm_gem_fault,
	.open = vmsm_gem_vm_open,
	.close = vmsm_gem_vm_close,
	.pfn_mkwrite = vmsm_gem_pfn_mkwrite,
};

static int vmsm_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct vmsm_bo *bo = to_vmsm_bo(obj);
	int ret;

	ret = drm_gem_shmem_mmap(&bo->base, vma);
	if (ret)
		return ret;

	if ((bo->flags & VMSM_BO_CACHE_MASK) == VMSM_BO_UNCACHED)
		vma->vm_page_prot = pgprot_noncached(vm_get_page_prot(vma->vm_flags));
	if (vmsm_bo_tracks_writes(bo))
		vma->vm_ops = &vmsm_gem_tracked_vm_ops;
	return 0;
}

/**
 * DOC: Objects that are not shared
 *
 * A %VMSM_BO_NO_SHARE object never gets a handle in a DRM file other than
 * the one that created it, and never becomes a dma-buf. Every way the DRM
 * core makes a handle for an existing object (GEM_OPEN of a flink name,
 * PRIME import, GETFB and GETFB2, from native and 32-bit processes alike)
 * ends in drm_gem_handle_create_tail(), which calls the object's
 * &drm_gem_object_funcs.open with the kernel's own copy of the object and
 * the file: vmsm refuses the handle there, once, with -EPERM. The handle's
 * file is compared with the creating file, which is recorded before the
 * first handle exists; the comparison stays sound after the creating file
 * is closed, because an object with no handle left has no flink name and
 * no framebuffer, and, never having been exported, no dma-buf, so nothing
 * can reach it to ask for a handle. PRIME export is refused in
 * vmsm_gem_prime_export().
 *
 * DRM_IOCTL_GEM_FLINK has no driver hook; it names a %VMSM_BO_NO_SHARE
 * object like any other, and the name opens in no other file. Checking
 * the flink ioctl's argument before the DRM core reads it again would be
 * racy (another thread can change the handle in between) and would miss
 * 32-bit callers and GETFB, which is why the check is not made there.
 */
static int vmsm_gem_open(struct drm_gem_object *obj, struct drm_file *file)
{
	struct vmsm_bo *bo = to_vmsm_bo(obj);

	if ((bo->flags & VMSM_BO_NO_SHARE) && bo->creator != file)
		return -EPERM;
	return 0;
}

/*
 * For the memory stats of fdinfo (drm_show_memory_stats()), read without
 * the reservation lock, as the DRM core allows: resident while the object
 * has pages, purgeable when the shrinker may give them back (marked
 * %VMSM_MADV_DONTNEED, mapped for the device, neither exported nor
 * vmapped).
 */
static enum drm_gem_object_status vmsm_gem_status(struct drm_gem_object *obj)
{
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	enum drm_gem_object_status status = 0;

	if (READ_ONCE(shmem->pages))
		status |= DRM_GEM_OBJECT_RESIDENT;
	if (drm_gem_shmem_is_purgeable(shmem))
		status |= DRM_GEM_OBJECT_PURGEABLE;
	return status;
}

/*
 * Kernel mappings through the GEM object, those of in-kernel DRM clients
 * (fbdev emulation's damage copy, drm_client_buffer_vmap_local()), are
 * CPU accesses for as long as they exist (see "coherency"). A dma-buf's
 * vmap is not: its importer brackets its accesses with
 * begin_cpu_access/end_cpu_access (vmsm_dmabuf_vmap()).
 */
static int vmsm_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct vmsm_bo *bo = to_vmsm_bo(obj);
	int ret;

	dma_resv_assert_held(obj->resv);
	ret = drm_gem_shmem_vmap(&bo->base, map);
	if (ret)
		return ret;
	ret = vmsm_coherency_kernel_begin(bo);
	if (ret)
		drm_gem_shmem_vunmap(&bo->base, map);
	return ret;
}

static void vmsm_gem_vunmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct vmsm_bo *bo = to_vmsm_bo(obj);

	dma_resv_assert_held(obj->resv);
	vmsm_coherency_kernel_end(bo);
	drm_gem_shmem_vunmap(&bo->base, map);
}

static const struct drm_gem_object_funcs vmsm_gem_funcs = {
	.free = vmsm_gem_free,
	.open = vmsm_gem_open,
	.status = vmsm_gem_status,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = vmsm_gem_vmap,
	.vunmap = vmsm_gem_vunmap,
	.mmap = vmsm_gem_mmap,
	.export = vmsm_gem_prime_export,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * vmsm_gem_create_object() - &drm_driver.gem_create_object for vmsm
 * @drm: the DRM device
 * @size: object size
 *
 * Allocates a &struct vmsm_bo, so that every shmem object of the device,
 * imported ones included, is one.
 *
 * Return: the embedded GEM object, or an ERR_PTR.
 */
struct drm_gem_object *vmsm_gem_create_object(struct drm_device *drm, size_t size)
{
	struct vmsm_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	bo->flags = VMSM_BO_CACHED;
	bo->id = atomic_inc_return(&to_vmsm_device(drm)->next_bo_id);
	INIT_LIST_HEAD(&bo->vmas);
	INIT_LIST_HEAD(&bo->link);
	INIT_LIST_HEAD(&bo->held_link);
	INIT_LIST_HEAD(&bo->imports);
	INIT_LIST_HEAD(&bo->import_link);
	mutex_init(&bo->name_lock);
	drm_gem_gpuva_init(&bo->base.base);
	drm_gem_gpuva_set_lock(&bo->base.base, &to_vmsm_device(drm)->mm_lock);
	bo->base.base.funcs = &vmsm_gem_funcs;
	return &bo->base.base;
}

static int vmsm_bo_check_flags(struct vmsm_device *vdev, u32 flags)
{
	u32 mode = flags & VMSM_BO_CACHE_MASK;

	if (flags & ~VMSM_BO_FLAGS)
		return -EINVAL;
	if (mode < VMSM_BO_CACHED || mode > VMSM_BO_CACHE_AUTO)
		return -EINVAL;
	if (mode == VMSM_BO_CACHED_COHERENT && !vdev->caps.coherent)
		return -EINVAL;
	return 0;
}

/*
 * %VMSM_BO_CACHE_AUTO: cached where no maintenance is ever needed (the
 * device is coherent with the CPU, by the coherency query), else
 * write-combined, so that no CPU access needs a cache operation.
 */
static u32 vmsm_bo_auto_flags(struct vmsm_device *vdev, u32 flags)
{
	u32 mode = dma_dev_is_coherent_with_dev(vdev->drm.dev, NULL) ?
		   VMSM_BO_CACHED_COHERENT : VMSM_BO_WC;

	return (flags & ~VMSM_BO_CACHE_MASK) | mode;
}

/*
 * A new object with resolved flags (no %VMSM_BO_CACHE_AUTO), counted and
 * listed; @kernel for the objects of in-kernel clients.
 */
static struct vmsm_bo *vmsm_bo_create(struct vmsm_device *vdev, u64 size,
				      u32 flags, bool kernel)
{
	struct drm_gem_shmem_object *shmem;
	struct vmsm_bo *bo;

	shmem = drm_gem_shmem_create(&vdev->drm, PAGE_ALIGN(size));
	/*
	 * shmem_file_setup() reports a failed inode allocation as -ENOSPC;
	 * the internal shmem mount has no size limit, so that is memory.
	 */
	if (shmem == ERR_PTR(-ENOSPC))
		return ERR_PTR(-ENOMEM);
	if (IS_ERR(shmem))
		return ERR_CAST(shmem);

	bo = container_of(shmem, struct vmsm_bo, base);
	bo->kernel = kernel;
	atomic_inc(kernel ? &vdev->nr_kernel_objects : &vdev->nr_objects);
	bo->flags = flags;
	shmem->map_wc = (flags & VMSM_BO_CACHE_MASK) == VMSM_BO_WC;
	mutex_lock(&vdev->mm_lock);
	list_add_tail(&bo->link, &vdev->bos);
	mutex_unlock(&vdev->mm_lock);
	return bo;
}

/**
 * vmsm_ioctl_gem_new() - DRM_IOCTL_VMSM_GEM_NEW handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_gem_new
 * @file: the DRM file the handle is created in
 *
 * Return: 0, -EINVAL for bad flags or size, -ENOMEM.
 */
int vmsm_ioctl_gem_new(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vmsm_device *vdev = to_vmsm_device(drm);
	struct drm_vmsm_gem_new *args = data;
	u32 flags = args->flags;
	struct vmsm_bo *bo;
	int ret;

	ret = vmsm_bo_check_flags(vdev, flags);
	if (ret)
		return ret;
	if ((flags & VMSM_BO_CACHE_MASK) == VMSM_BO_CACHE_AUTO)
		flags = vmsm_bo_auto_flags(vdev, flags);
	if (!args->size || args->size > vdev->caps.max_bo_size)
		return -EINVAL;

	bo = vmsm_bo_create(vdev, args->size, flags, false);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	bo->creator = file;
	/* The flags are in-only: userspace reads the choice with GEM_INFO. */
	ret = drm_gem_handle_create(file, &bo->base.base, &args->handle);
	drm_gem_object_put(&bo->base.base);
	return ret;
}

/**
 * vmsm_gem_create_dumb() - the object of a dumb buffer
 * @file: the DRM file the handle is created in
 * @drm: the DRM device
 * @size: bytes
 * @handle: where to store the new handle
 *
 * Dumb buffers are vmsm objects created with %VMSM_BO_CACHE_AUTO |
 * %VMSM_BO_SCANOUT: they can always back a framebuffer, and CPU access
 * through their mapping never needs cache maintenance. Objects of in-kernel
 * clients (fbdev emulation) are counted apart from userspace's.
 *
 * Return: 0, -EINVAL for a bad size, -ENOMEM.
 */
int vmsm_gem_create_dumb(struct drm_file *file, struct drm_device *drm,
			 u64 size, u32 *handle)
{
	struct vmsm_device *vdev = to_vmsm_device(drm);
	u32 flags = vmsm_bo_auto_flags(vdev, VMSM_BO_CACHE_AUTO | VMSM_BO_SCANOUT);
	struct vmsm_bo *bo;
	int ret;

	if (!size || size > vdev->caps.max_bo_size)
		return -EINVAL;

	/* An in-kernel client's file has no struct file (drm_client_open()). */
	bo = vmsm_bo_create(vdev, size, flags, !file->filp);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	ret = drm_gem_handle_create(file, &bo->base.base, handle);
	drm_gem_object_put(&bo->base.base);
	return ret;
}

/**
 * vmsm_gem_can_scanout() - may an object back a framebuffer
 * @obj: an object of a vmsm device
 *
 * Only objects created with %VMSM_BO_SCANOUT (dumb buffers are) and
 * imported dma-bufs can be scanned out by the display engine.
 *
 * Return: true if @obj can back a framebuffer.
 */
bool vmsm_gem_can_scanout(struct drm_gem_object *obj)
{
	return obj->import_attach || (to_vmsm_bo(obj)->flags & VMSM_BO_SCANOUT);
}

static int vmsm_bo_set_name(struct vmsm_bo *bo, u64 uptr, u32 len)
{
	char name[VMSM_BO_NAME_LEN] = { };
	size_t i, n = min_t(size_t, len, VMSM_BO_NAME_LEN - 1);

	if (copy_from_user(name, u64_to_user_ptr(uptr), n))
		return -EFAULT;
	for (i = 0; i < n && name[i]; i++)
		if (!isprint(name[i]))
			name[i] = '?';

	mutex_lock(&bo->name_lock);
	strscpy(bo->name, name, sizeof(bo->name));
	mutex_unlock(&bo->name_lock);
	return 0;
}

static int vmsm_bo_get_name(struct vmsm_bo *bo, u64 uptr, u32 *len)
{
	char name[VMSM_BO_NAME_LEN];
	size_t n;

	mutex_lock(&bo->name_lock);
	strscpy(name, bo->name, sizeof(name));
	mutex_unlock(&bo->name_lock);

	n = strlen(name);
	if (copy_to_user(u64_to_user_ptr(uptr), name, min_t(size_t, n, *len)))
		return -EFAULT;
	*len = n;
	return 0;
}

static int vmsm_gem_info_query(struct drm_file *file, struct vmsm_bo *bo,
			       struct drm_vmsm_gem_info *args)
{
	struct vmsm_file_priv *priv = file->driver_priv;
	struct drm_gem_object *obj = &bo->base.base;
	int ret;

	switch (args->info) {
	case VMSM_INFO_GET_MMAP_OFFSET:
		if (READ_ONCE(bo->base.madv) != VMSM_MADV_WILLNEED)
			return -EINVAL;
		ret = drm_gem_create_mmap_offset(obj);
		if (!ret)
			args->value = drm_vma_node_offset_addr(&obj->vma_node);
		return ret;
	case VMSM_INFO_GET_IOVA:
		return vmsm_vm_get_iova(priv->vm, bo, &args->value);
	case VMSM_INFO_GET_SIZE:
		args->value = obj->size;
		return 0;
	case VMSM_INFO_GET_FLAGS:
		args->value = bo->flags;
		return 0;
	case VMSM_INFO_SET_NAME:
		return vmsm_bo_set_name(bo, args->value, args->len);
	case VMSM_INFO_GET_NAME:
		return vmsm_bo_get_name(bo, args->value, &args->len);
	default:
		return -EINVAL;
	}
}

/**
 * vmsm_ioctl_gem_info() - DRM_IOCTL_VMSM_GEM_INFO handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_gem_info
 * @file: the DRM file the handle belongs to
 *
 * Return: 0, -ENOENT for a bad handle, -EINVAL for a bad query or
 * padding, -EFAULT, -ENOMEM or -ENOSPC (GPU address space full).
 */
int vmsm_ioctl_gem_info(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_vmsm_gem_info *args = data;
	struct drm_gem_object *obj;
	bool named = args->info == VMSM_INFO_SET_NAME ||
		     args->info == VMSM_INFO_GET_NAME;
	int ret;

	if (args->pad || (!named && args->len))
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	ret = vmsm_gem_info_query(file, to_vmsm_bo(obj), args);
	drm_gem_object_put(obj);
	return ret;
}

/**
 * vmsm_ioctl_gem_cpu_prep() - DRM_IOCTL_VMSM_GEM_CPU_PREP handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_gem_cpu_prep
 * @file: the DRM file the handle belongs to
 *
 * Waits until the GPU no longer uses the object in a way that conflicts
 * with the announced CPU access: reads wait for GPU writers, writes for
 * every GPU user. Then hands the range to the CPU, with the cache
 * maintenance that needs (see "coherency").
 *
 * Return: 0, -EINVAL for bad flags or a bad range, -ENOENT for a bad
 * handle, -EBUSY with %VMSM_PREP_NOSYNC on a busy object, -ETIMEDOUT,
 * -ERESTARTSYS.
 */
int vmsm_ioctl_gem_cpu_prep(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_vmsm_gem_cpu_prep *args = data;
	u64 offset = args->offset, size = args->size;
	enum dma_resv_usage usage;
	struct drm_gem_object *obj;
	long ret;

	if ((args->op & ~VMSM_PREP_FLAGS) ||
	    !(args->op & (VMSM_PREP_READ | VMSM_PREP_WRITE)))
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	ret = vmsm_coherency_range(to_vmsm_bo(obj), &offset, &size);
	if (ret)
		goto out;

	usage = dma_resv_usage_rw(args->op & VMSM_PREP_WRITE);
	if (args->op & VMSM_PREP_NOSYNC) {
		ret = dma_resv_test_signaled(obj->resv, usage) ? 0 : -EBUSY;
	} else {
		ret = dma_resv_wait_timeout(obj->resv, usage, true,
					    drm_timeout_abs_to_jiffies(args->timeout_ns));
		if (ret == 0)
			ret = -ETIMEDOUT;
		else if (ret > 0)
			ret = 0;
	}
	if (!ret)
		ret = vmsm_coherency_cpu_begin(to_vmsm_bo(obj), offset, size, args->op);
out:
	drm_gem_object_put(obj);
	return ret;
}

/**
 * vmsm_ioctl_gem_cpu_fini() - DRM_IOCTL_VMSM_GEM_CPU_FINI handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_gem_cpu_fini
 * @file: the DRM file the handle belongs to
 *
 * Ends a CPU access started with GEM_CPU_PREP: hands the range back to
 * the device, cleaning what the CPU wrote (see "coherency").
 *
 * Return: 0, -EINVAL for non-zero padding or a bad range, -ENOENT for a
 * bad handle.
 */
int vmsm_ioctl_gem_cpu_fini(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_vmsm_gem_cpu_fini *args = data;
	u64 offset = args->offset, size = args->size;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	ret = vmsm_coherency_range(to_vmsm_bo(obj), &offset, &size);
	if (!ret)
		ret = vmsm_coherency_cpu_end(to_vmsm_bo(obj), offset, size);
	drm_gem_object_put(obj);
	return ret;
}

/**
 * DOC: pinned memory
 *
 * Pages an object pins for the device cannot be reclaimed or swapped, and
 * the OOM killer, which weighs processes by the memory mapped into them,
 * does not see them: a client that pins without bound makes it kill
 * bystanders. So the memory all vmsm devices together hold pinned for
 * their GPUs is limited, by the module parameter ``max_pinned_mb``: by
 * default (0) half of the RAM the kernel manages (totalram_pages(), what
 * /proc/meminfo reports as MemTotal), the share of system memory TTM lets
 * the GPU drivers built on it allocate by default (its ``pages_limit``).
 *
 * An object is charged once, when it is first pinned and mapped for the
 * device (vmsm_bo_pin_for_device(): the first GPU mapping, a submit that
 * lists it, a dma-buf attachment of its export), for its size, and twice
 * its size when the non-coherent device model gives it a device view (see
 * "coherency"). The charge is given back when the pages are: when the
 * object is freed or purged by the shrinker. An ioctl that would go over
 * the limit fails with -ENOMEM before anything is allocated: GEM_INFO
 * (%VMSM_INFO_GET_IOVA), GEM_SUBMIT, VM_BIND (%VMSM_VM_BIND_OP_MAP), the
 * PRIME import of a vmsm dma-buf, and the atomic commit that puts an
 * object on a plane for the first time. Imported objects pin nothing of
 * their own and are not charged. debugfs ``vmsm_pinned`` shows the bytes
 * charged to the device and to all devices, and the limit.
 */

static unsigned int max_pinned_mb;
module_param(max_pinned_mb, uint, 0444);
MODULE_PARM_DESC(max_pinned_mb,
		 "Memory all devices may pin for the GPU, in MiB (default 0: half of RAM)");

/* Bytes charged by all devices, at most vmsm_gem_pinned_limit(). */
static atomic64_t vmsm_pinned = ATOMIC64_INIT(0);

/**
 * vmsm_gem_pinned_limit() - memory all vmsm devices may pin, in bytes
 *
 * Return: ``max_pinned_mb`` in bytes, or half of RAM if it is 0.
 */
u64 vmsm_gem_pinned_limit(void)
{
	if (max_pinned_mb)
		return (u64)max_pinned_mb << 20;
	return (u64)totalram_pages() << (PAGE_SHIFT - 1);
}

/**
 * vmsm_gem_pinned_total() - memory all vmsm devices hold pinned
 *
 * Return: the bytes charged by every device.
 */
u64 vmsm_gem_pinned_total(void)
{
	return atomic64_read(&vmsm_pinned);
}

/* Charge @bytes unless that goes over the limit. */
static bool vmsm_pinned_add(u64 bytes)
{
	s64 old = atomic64_read(&vmsm_pinned);
	u64 limit = vmsm_gem_pinned_limit();

	do {
		if (bytes > limit || old > limit - bytes)
			return false;
	} while (!atomic64_try_cmpxchg(&vmsm_pinned, &old, old + bytes));
	return true;
}

/*
 * Charge @bo once, before its pages are pinned: for its size, doubled
 * when the device model gives it a device view. Later calls do nothing
 * until the charge is given back.
 */
static int vmsm_gem_pin_charge(struct vmsm_bo *bo)
{
	struct drm_gem_object *obj = &bo->base.base;
	struct vmsm_device *vdev = to_vmsm_device(obj->dev);
	u64 bytes = obj->size;
	int ret;

	if (vdev->model && vmsm_bo_is_cached(bo))
		bytes *= 2;
	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (ret)
		return ret;
	if (!bo->pinned_bytes) {
		if (vmsm_pinned_add(bytes)) {
			atomic64_add(bytes, &vdev->pinned_bytes);
			bo->pinned_bytes = bytes;
		} else {
			ret = -ENOMEM;
		}
	}
	dma_resv_unlock(obj->resv);
	return ret;
}

/**
 * vmsm_gem_get_pages_sgt() - pin an object's pages and map them for the device
 * @bo: the object; no reservation held
 *
 * drm_gem_shmem_get_pages_sgt(), charged against the limit on pinned
 * memory (see "pinned memory") unless @bo is an import.
 *
 * Return: the object's sg_table, or ERR_PTR(-ENOMEM) (also when over the
 * limit) or ERR_PTR(-EINTR).
 */
struct sg_table *vmsm_gem_get_pages_sgt(struct vmsm_bo *bo)
{
	struct drm_gem_object *obj = &bo->base.base;
	struct sg_table *sgt;
	int ret;

	if (obj->import_attach)
		return drm_gem_shmem_get_pages_sgt(&bo->base);
	ret = vmsm_gem_pin_charge(bo);
	if (ret)
		return ERR_PTR(ret);
	sgt = drm_gem_shmem_get_pages_sgt(&bo->base);
	if (IS_ERR(sgt)) {
		/* Unless another caller pinned the pages meanwhile. */
		dma_resv_lock(obj->resv, NULL);
		if (!bo->base.sgt)
			vmsm_gem_pin_release(bo);
		dma_resv_unlock(obj->resv);
	}
	return sgt;
}

/**
 * vmsm_gem_pin_release() - give back the charge of an object's pages
 * @bo: the object, its pages released or never pinned; its reservation
 *	held, or the object being freed
 */
void vmsm_gem_pin_release(struct vmsm_bo *bo)
{
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);

	if (!bo->pinned_bytes)
		return;
	atomic64_sub(bo->pinned_bytes, &vdev->pinned_bytes);
	atomic64_sub(bo->pinned_bytes, &vmsm_pinned);
	bo->pinned_bytes = 0;
}
