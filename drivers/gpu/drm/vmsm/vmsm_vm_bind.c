// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: VM_BIND implementation
 *
 * A VM switched to userspace-managed addresses tracks its mappings in a
 * &struct drm_gpuvm (&vmsm_vm.gpuvm); each mapping is a &struct drm_gpuva
 * linked to the object through a &struct drm_gpuvm_bo, which holds a
 * reference on the object. The VA tree and the objects' gpuva lists are
 * under &vmsm_device.mm_lock; the page tables of such a VM are only
 * changed by its bind jobs, under &vmsm_vm.pt_lock, which is never held
 * while allocating (bind jobs run in the dma-fence signalling path).
 *
 * DRM_IOCTL_VMSM_VM_BIND checks every operation, looks the objects up,
 * pins their pages, and reserves everything the operations can need:
 * three &struct drm_gpuva per operation (the new mapping, and the two
 * remainders of mappings split at either end of the range), a
 * &struct drm_gpuvm_bo per MAP, and the page-table pages an update of the
 * range can allocate. Then, under the queue lock and with the VM's bind
 * lock held since before the fences were gathered, it changes the VA tree
 * (drm_gpuvm_sm_map() and drm_gpuvm_sm_unmap(), whose steps cannot fail
 * any more), arms the bind job and pushes it.
 *
 * The job depends on the VM's previous bind, so page-table updates happen
 * in the order the VA tree was changed. When it runs it unmaps each
 * operation's range and maps the new pages, drawing page-table pages
 * from its reservation only. Mappings removed from the VA tree keep a
 * reference on their object until the job is freed: by then the page
 * tables no longer point to the pages, and vmsm_mmu_flush() has waited
 * for every GPU access that might still use them.
 */

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/vmsm_drm.h>

#include "vmsm_job.h"

/* Upper bound of the page-table memory one bind may reserve: 16 MiB. */
#define VMSM_BIND_MAX_TABLES	4096
/* drm_gpuva flag of a read-only mapping. */
#define VMSM_GPUVA_READONLY	DRM_GPUVA_USERBITS
/* New mappings one operation can create: the mapping and two remainders. */
#define VMSM_BIND_VAS_PER_OP	3

/* One checked operation and what it holds. */
struct vmsm_bind_op {
	u32 op;
	u32 flags;
	u64 iova;
	u64 range;
	u64 bo_offset;
	struct drm_gem_object *obj;
	struct drm_gpuvm_bo *vm_bo;
};

/**
 * struct vmsm_bind - the operations of one bind job
 * @pool: reserved page-table pages
 * @vas: reserved &struct drm_gpuva, on their &drm_gpuva.rb.entry
 * @garbage: mappings removed from the VA tree, each holding a reference
 *	on its object, on their &drm_gpuva.rb.entry
 * @pt_freed: page-table pages the job unhooked
 * @applied: the VA tree was changed: the page tables must follow
 * @done: the page tables were updated
 * @nr_ops: number of @ops
 * @ops: the operations
 */
struct vmsm_bind {
	struct list_head pool;
	struct list_head vas;
	struct list_head garbage;
	struct list_head pt_freed;
	bool applied;
	bool done;
	u32 nr_ops;
	struct vmsm_bind_op ops[] __counted_by(nr_ops);
};

/* Callback context of drm_gpuvm_sm_map() and drm_gpuvm_sm_unmap(). */
struct vmsm_bind_ctx {
	struct vmsm_vm *vm;
	struct vmsm_bind *bind;
	struct vmsm_bind_op *op;
};

static struct drm_gpuva *vmsm_bind_take_va(struct vmsm_bind *bind)
{
	struct drm_gpuva *va;

	va = list_first_entry(&bind->vas, struct drm_gpuva, rb.entry);
	list_del_init(&va->rb.entry);
	return va;
}

/* A mapping left the VA tree: keep its pages until the job is freed. */
static void vmsm_bind_discard(struct vmsm_bind *bind, struct drm_gpuva *va)
{
	if (va->gem.obj) {
		drm_gem_object_get(va->gem.obj);
		drm_gpuva_unlink(va);
	}
	list_add_tail(&va->rb.entry, &bind->garbage);
}

static void vmsm_bind_link(struct drm_gpuva *va, struct drm_gpuvm_bo *vm_bo,
			   enum drm_gpuva_flags flags)
{
	va->flags = flags;
	if (vm_bo)
		drm_gpuva_link(va, vm_bo);
}

static int vmsm_bind_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct vmsm_bind_ctx *ctx = priv;
	struct drm_gpuva *va = vmsm_bind_take_va(ctx->bind);
	struct vmsm_bind_op *bop = ctx->op;
	enum drm_gpuva_flags flags = 0;

	if (bop->op == VMSM_VM_BIND_OP_MAP_NULL)
		flags = DRM_GPUVA_SPARSE | VMSM_GPUVA_READONLY;
	else if (bop->flags & VMSM_VM_BIND_OP_READONLY)
		flags = VMSM_GPUVA_READONLY;
	drm_gpuva_map(&ctx->vm->gpuvm, va, &op->map);
	vmsm_bind_link(va, bop->vm_bo, flags);
	return 0;
}

static int vmsm_bind_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct vmsm_bind_ctx *ctx = priv;
	struct drm_gpuva *orig = op->remap.unmap->va;
	struct drm_gpuva *prev = NULL, *next = NULL;

	if (op->remap.prev)
		prev = vmsm_bind_take_va(ctx->bind);
	if (op->remap.next)
		next = vmsm_bind_take_va(ctx->bind);
	drm_gpuva_remap(prev, next, &op->remap);
	/* Link the remainders first: the vm_bo must not go away. */
	if (prev)
		vmsm_bind_link(prev, orig->vm_bo, orig->flags);
	if (next)
		vmsm_bind_link(next, orig->vm_bo, orig->flags);
	vmsm_bind_discard(ctx->bind, orig);
	return 0;
}

static int vmsm_bind_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct vmsm_bind_ctx *ctx = priv;
	struct drm_gpuva *va = op->unmap.va;

	drm_gpuva_unmap(&op->unmap);
	vmsm_bind_discard(ctx->bind, va);
	return 0;
}

/* The VA space lives as long as its &vmsm_vm, which frees the memory. */
static void vmsm_gpuvm_free(struct drm_gpuvm *gpuvm)
{
}

static const struct drm_gpuvm_ops vmsm_gpuvm_ops = {
	.vm_free = vmsm_gpuvm_free,
	.sm_step_map = vmsm_bind_step_map,
	.sm_step_remap = vmsm_bind_step_remap,
	.sm_step_unmap = vmsm_bind_step_unmap,
};

/**
 * vmsm_vm_gpuvm_init() - set up a VM's VM_BIND state
 * @vm: the VM being created
 *
 * Return: 0 or -ENOMEM.
 */
int vmsm_vm_gpuvm_init(struct vmsm_vm *vm)
{
	struct vmsm_device *vdev = vm->vdev;
	struct drm_gem_object *r_obj;

	r_obj = drm_gpuvm_resv_object_alloc(&vdev->drm);
	if (!r_obj)
		return -ENOMEM;
	drm_gpuvm_init(&vm->gpuvm, "vmsm", 0, &vdev->drm, r_obj,
		       vdev->caps.va_start, vdev->caps.va_size, 0, 0,
		       &vmsm_gpuvm_ops);
	/* The VA space holds its own reference. */
	drm_gem_object_put(r_obj);
	mutex_init(&vm->bind_lock);
	mutex_init(&vm->pt_lock);
	return 0;
}

/**
 * vmsm_vm_bind_teardown() - remove every userspace-managed mapping of a
 * VM being freed
 * @vm: the VM, with &vmsm_device.mm_lock held
 * @garbage: list to put the removed mappings on
 *
 * The caller frees the page tables, drops the lock, calls
 * vmsm_mmu_flush(), then vmsm_vm_bind_garbage_free().
 */
void vmsm_vm_bind_teardown(struct vmsm_vm *vm, struct list_head *garbage)
{
	struct drm_gpuva *va, *next;

	lockdep_assert_held(&vm->vdev->mm_lock);
	drm_gpuvm_for_each_va_safe(va, next, &vm->gpuvm) {
		drm_gpuva_remove(va);
		if (va->gem.obj) {
			drm_gem_object_get(va->gem.obj);
			drm_gpuva_unlink(va);
		}
		list_add_tail(&va->rb.entry, garbage);
	}
	dma_fence_put(vm->last_bind);
	vm->last_bind = NULL;
	mutex_destroy(&vm->bind_lock);
	mutex_destroy(&vm->pt_lock);
}

/**
 * vmsm_vm_bind_garbage_free() - drop removed mappings and their objects
 * @garbage: mappings no page table points to any more, after
 *	vmsm_mmu_flush()
 *
 * Called without &vmsm_device.mm_lock: this may free objects.
 */
void vmsm_vm_bind_garbage_free(struct list_head *garbage)
{
	struct drm_gpuva *va, *tmp;

	list_for_each_entry_safe(va, tmp, garbage, rb.entry) {
		list_del(&va->rb.entry);
		drm_gem_object_put(va->gem.obj);
		kfree(va);
	}
}

/**
 * vmsm_vm_is_user_va() - whether userspace manages a VM's addresses
 * @vm: the VM
 *
 * Once true it stays true; callers that map recheck under
 * &vmsm_device.mm_lock.
 *
 * Return: true after the VM's first VM_BIND.
 */
bool vmsm_vm_is_user_va(struct vmsm_vm *vm)
{
	return READ_ONCE(vm->user_va);
}

/**
 * vmsm_vm_bind_init() - allocate the device's read-as-zero page
 * @vdev: the device
 *
 * Return: 0 or -ENOMEM.
 */
int vmsm_vm_bind_init(struct vmsm_device *vdev)
{
	struct device *dev = vdev->drm.dev;

	vdev->zero_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!vdev->zero_page)
		return -ENOMEM;
	vdev->zero_bus = dma_map_page(dev, vdev->zero_page, 0, PAGE_SIZE,
				      DMA_TO_DEVICE);
	if (dma_mapping_error(dev, vdev->zero_bus)) {
		__free_page(vdev->zero_page);
		vdev->zero_page = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * vmsm_vm_bind_fini() - free the device's read-as-zero page
 * @vdev: the device, with no VM left
 */
void vmsm_vm_bind_fini(struct vmsm_device *vdev)
{
	if (!vdev->zero_page)
		return;
	dma_unmap_page(vdev->drm.dev, vdev->zero_bus, PAGE_SIZE, DMA_TO_DEVICE);
	__free_page(vdev->zero_page);
	vdev->zero_page = NULL;
}

static bool vmsm_bind_op_maps(const struct vmsm_bind_op *op)
{
	return op->op != VMSM_VM_BIND_OP_UNMAP;
}

/**
 * vmsm_bind_exec() - update the page tables for a bind job
 * @bind: the job's operations
 * @vm: the VM
 *
 * Runs on the job's ring, in the dma-fence signalling path: it only uses
 * what the ioctl reserved, and &vmsm_vm.pt_lock rather than
 * &vmsm_device.mm_lock, which is held while allocating. Only bind jobs
 * change the page tables of a VM with userspace-managed addresses.
 * Does nothing the second time, or if the VA tree was never changed.
 */
void vmsm_bind_exec(struct vmsm_bind *bind, struct vmsm_vm *vm)
{
	struct vmsm_bind_op *op;
	u32 i;

	mutex_lock(&vm->pt_lock);
	if (!bind->applied || bind->done)
		goto out;
	vm->pt_pool = &bind->pool;
	vm->pt_freed = &bind->pt_freed;
	for (i = 0; i < bind->nr_ops; i++) {
		op = &bind->ops[i];
		vmsm_pt_unmap(&vm->pt, op->iova, op->range);
		if (vmsm_bind_op_maps(op))
			WARN_ON(vmsm_vm_map_range(vm, op->iova,
						  op->obj ? to_vmsm_bo(op->obj) : NULL,
						  op->bo_offset, op->range,
						  op->flags & VMSM_VM_BIND_OP_READONLY));
	}
	vm->pt_pool = NULL;
	vm->pt_freed = NULL;
	bind->done = true;
out:
	mutex_unlock(&vm->pt_lock);
}

/**
 * vmsm_bind_free() - release a bind job's operations
 * @bind: the operations
 * @vm: the job's VM
 *
 * A job the scheduler dropped without running still updates the page
 * tables, so that they never point to pages released here.
 */
void vmsm_bind_free(struct vmsm_bind *bind, struct vmsm_vm *vm)
{
	struct vmsm_device *vdev = vm->vdev;
	struct drm_gpuva *va, *tmp;
	u32 i;

	vmsm_bind_exec(bind, vm);

	mutex_lock(&vdev->mm_lock);
	list_splice_init(&bind->pt_freed, &vdev->pt_free);
	mutex_unlock(&vdev->mm_lock);
	if (bind->done)
		vmsm_mmu_flush(vdev);

	mutex_lock(&vdev->mm_lock);
	for (i = 0; i < bind->nr_ops; i++)
		if (bind->ops[i].vm_bo)
			drm_gpuvm_bo_put(bind->ops[i].vm_bo);
	mutex_unlock(&vdev->mm_lock);

	vmsm_vm_bind_garbage_free(&bind->garbage);
	list_for_each_entry_safe(va, tmp, &bind->vas, rb.entry)
		kfree(va);
	for (i = 0; i < bind->nr_ops; i++)
		if (bind->ops[i].obj)
			drm_gem_object_put(bind->ops[i].obj);
	vmsm_vm_pool_free(vdev, &bind->pool);
	kvfree(bind);
}

static int vmsm_bind_check_op(const struct vmsm_caps *caps,
			      const struct drm_vmsm_vm_bind_op *uop)
{
	u64 end;

	if (uop->pad || (uop->flags & ~VMSM_VM_BIND_OP_FLAGS))
		return -EINVAL;
	switch (uop->op) {
	case VMSM_VM_BIND_OP_UNMAP:
		if (uop->flags)
			return -EINVAL;
		fallthrough;
	case VMSM_VM_BIND_OP_MAP_NULL:
		if (uop->handle || uop->bo_offset)
			return -EINVAL;
		break;
	case VMSM_VM_BIND_OP_MAP:
		break;
	default:
		return -EINVAL;
	}
	if (!uop->range || !IS_ALIGNED(uop->iova | uop->range | uop->bo_offset,
				       VMSM_PT_GRANULE))
		return -EINVAL;
	if (check_add_overflow(uop->iova, uop->range, &end) ||
	    uop->iova < caps->va_start || end > caps->va_start + caps->va_size)
		return -EINVAL;
	return 0;
}

/* Page-table pages updating [iova, iova + range) can allocate. */
static unsigned long vmsm_bind_nr_tables(const struct vmsm_bind_op *op)
{
	unsigned long n = 2;	/* blocks split at either end */
	u64 last = op->iova + op->range - 1;
	unsigned int level;

	if (!vmsm_bind_op_maps(op))
		return n;
	for (level = 0; level < VMSM_PT_LEVELS - 1; level++)
		n += div64_u64(last, vmsm_pt_level_size(level)) -
		     div64_u64(op->iova, vmsm_pt_level_size(level)) + 1;
	return n;
}

static int vmsm_bind_lookup(struct vmsm_bind_op *op, struct drm_file *file,
			    struct vmsm_vm *vm, u32 handle)
{
	struct vmsm_bo *bo;
	struct sg_table *sgt;

	op->obj = drm_gem_object_lookup(file, handle);
	if (!op->obj)
		return -ENOENT;
	if (op->bo_offset > op->obj->size ||
	    op->range > op->obj->size - op->bo_offset)
		return -EINVAL;
	bo = to_vmsm_bo(op->obj);
	if (READ_ONCE(bo->base.madv) != VMSM_MADV_WILLNEED)
		return -EINVAL;
	sgt = vmsm_bo_pin_for_device(bo);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	vmsm_coherency_user_va_mapped(bo);
	op->vm_bo = drm_gpuvm_bo_create(&vm->gpuvm, op->obj);
	return op->vm_bo ? 0 : -ENOMEM;
}

static int vmsm_bind_prepare_op(struct vmsm_bind *bind, u32 i,
				struct drm_file *file, struct vmsm_vm *vm,
				const struct drm_vmsm_vm_bind_op *uop)
{
	struct vmsm_bind_op *op = &bind->ops[i];
	struct drm_gpuva *va;
	int ret, n;

	ret = vmsm_bind_check_op(&vm->vdev->caps, uop);
	if (ret)
		return ret;
	op->op = uop->op;
	op->flags = uop->flags;
	op->iova = uop->iova;
	op->range = uop->range;
	op->bo_offset = uop->bo_offset;
	if (op->op == VMSM_VM_BIND_OP_MAP) {
		ret = vmsm_bind_lookup(op, file, vm, uop->handle);
		if (ret)
			return ret;
	}
	for (n = 0; n < VMSM_BIND_VAS_PER_OP; n++) {
		va = kzalloc(sizeof(*va), GFP_KERNEL);
		if (!va)
			return -ENOMEM;
		list_add(&va->rb.entry, &bind->vas);
	}
	return 0;
}

static int vmsm_bind_prepare(struct vmsm_bind *bind, struct drm_file *file,
			     struct vmsm_vm *vm, const struct drm_vmsm_vm_bind *args)
{
	struct drm_vmsm_vm_bind_op *uops;
	unsigned long tables = 0;
	int ret = 0;
	u32 i;

	if (!args->nr_ops)
		return 0;
	uops = vmemdup_array_user(u64_to_user_ptr(args->ops), args->nr_ops,
				  sizeof(*uops));
	if (IS_ERR(uops))
		return PTR_ERR(uops);
	for (i = 0; !ret && i < args->nr_ops; i++) {
		ret = vmsm_bind_prepare_op(bind, i, file, vm, &uops[i]);
		if (!ret)
			tables += vmsm_bind_nr_tables(&bind->ops[i]);
	}
	kvfree(uops);
	if (!ret && tables > VMSM_BIND_MAX_TABLES)
		ret = -ENOMEM;
	if (!ret)
		ret = vmsm_vm_pool_fill(vm, &bind->pool, tables);
	return ret;
}

static int vmsm_bind_apply_op(struct vmsm_bind *bind, struct vmsm_vm *vm,
			      struct vmsm_bind_op *op)
{
	struct vmsm_bind_ctx ctx = { .vm = vm, .bind = bind, .op = op };

	if (op->op == VMSM_VM_BIND_OP_UNMAP)
		return drm_gpuvm_sm_unmap(&vm->gpuvm, &ctx, op->iova, op->range);
	return drm_gpuvm_sm_map(&vm->gpuvm, &ctx, op->iova, op->range, op->obj,
				op->bo_offset);
}

/* Under the queue lock, before the job is armed: change the VA tree. */
static int vmsm_bind_commit(struct vmsm_job *job)
{
	struct vmsm_bind *bind = job->bind;
	struct vmsm_vm *vm = job->vm;
	u32 i;

	mutex_lock(&vm->vdev->mm_lock);
	/* The pages were pinned unlocked: the shrinker may have won since. */
	for (i = 0; i < bind->nr_ops; i++) {
		if (bind->ops[i].obj &&
		    READ_ONCE(to_vmsm_bo(bind->ops[i].obj)->base.madv) != VMSM_MADV_WILLNEED) {
			mutex_unlock(&vm->vdev->mm_lock);
			return -EINVAL;
		}
	}
	for (i = 0; i < bind->nr_ops; i++)
		if (bind->ops[i].vm_bo)
			bind->ops[i].vm_bo = drm_gpuvm_bo_obtain_prealloc(bind->ops[i].vm_bo);
	bind->applied = true;
	for (i = 0; i < bind->nr_ops; i++)
		WARN_ON(vmsm_bind_apply_op(bind, vm, &bind->ops[i]));
	mutex_unlock(&vm->vdev->mm_lock);
	return 0;
}

static int vmsm_vm_bind_switch(struct vmsm_vm *vm)
{
	int ret = 0;

	mutex_lock(&vm->vdev->mm_lock);
	if (vm->kernel_va)
		ret = -EBUSY;
	else
		WRITE_ONCE(vm->user_va, true);
	mutex_unlock(&vm->vdev->mm_lock);
	return ret;
}

static int vmsm_vm_bind_check(const struct drm_vmsm_vm_bind *args)
{
	if ((args->flags & ~VMSM_VM_BIND_FLAGS) || args->pad ||
	    args->nr_ops > VMSM_VM_BIND_MAX_OPS ||
	    args->nr_in_syncobjs > VMSM_SUBMIT_MAX_SYNCOBJS ||
	    args->nr_out_syncobjs > VMSM_SUBMIT_MAX_SYNCOBJS)
		return -EINVAL;
	return 0;
}

static int vmsm_vm_bind_queue(struct drm_file *file, struct vmsm_job *job,
			      struct drm_vmsm_vm_bind *args)
{
	struct drm_vmsm_gem_submit sargs = {
		.flags = (args->flags & VMSM_VM_BIND_FENCE_FD_IN ?
			  VMSM_SUBMIT_FENCE_FD_IN : 0) |
			 (args->flags & VMSM_VM_BIND_FENCE_FD_OUT ?
			  VMSM_SUBMIT_FENCE_FD_OUT : 0),
		.in_syncobjs = args->in_syncobjs,
		.out_syncobjs = args->out_syncobjs,
		.nr_in_syncobjs = args->nr_in_syncobjs,
		.nr_out_syncobjs = args->nr_out_syncobjs,
		.fence_fd = args->fence_fd,
	};
	struct vmsm_vm *vm = job->vm;
	struct dma_fence *done = NULL;
	int ret;

	if (mutex_lock_interruptible(&vm->bind_lock)) {
		vmsm_job_free(job);
		return -ERESTARTSYS;
	}
	ret = vm->last_bind ?
	      drm_sched_job_add_dependency(&job->base, dma_fence_get(vm->last_bind)) : 0;
	if (ret)
		vmsm_job_free(job);
	else
		ret = vmsm_submit_queue_job(file, &sargs, job, vmsm_bind_commit, &done);
	if (done) {
		dma_fence_put(vm->last_bind);
		vm->last_bind = done;
		args->fence = sargs.fence;
		if (args->flags & VMSM_VM_BIND_FENCE_FD_OUT)
			args->fence_fd = sargs.fence_fd;
	}
	mutex_unlock(&vm->bind_lock);
	return ret;
}

static struct vmsm_bind *vmsm_bind_alloc(u32 nr_ops)
{
	struct vmsm_bind *bind;

	bind = kvzalloc(struct_size(bind, ops, nr_ops), GFP_KERNEL);
	if (!bind)
		return NULL;
	bind->nr_ops = nr_ops;
	INIT_LIST_HEAD(&bind->pool);
	INIT_LIST_HEAD(&bind->vas);
	INIT_LIST_HEAD(&bind->garbage);
	INIT_LIST_HEAD(&bind->pt_freed);
	return bind;
}

/**
 * vmsm_ioctl_vm_bind() - DRM_IOCTL_VMSM_VM_BIND handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_vm_bind
 * @file: the DRM file whose address space changes
 *
 * Return: 0 once the bind job is queued; -EINVAL for bad flags, counts,
 * operations or ranges, -ENOENT for a bad object, syncobj or queue, -EBUSY
 * if the file already uses kernel-assigned addresses, -EFAULT, -ENOMEM,
 * -ERESTARTSYS.
 */
int vmsm_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vmsm_file_priv *priv = file->driver_priv;
	struct drm_vmsm_vm_bind *args = data;
	struct vmsm_queue *queue;
	struct vmsm_job *job;
	int ret;

	ret = vmsm_vm_bind_check(args);
	if (ret)
		return ret;
	queue = vmsm_submitqueue_get(priv, args->queue_id);
	if (!queue)
		return -ENOENT;
	/* A queue with an address space of its own has kernel-assigned addresses. */
	ret = queue->vm == priv->vm ? vmsm_vm_bind_switch(priv->vm) : -EINVAL;
	if (ret)
		goto out;

	job = vmsm_job_alloc(to_vmsm_device(drm), priv, queue, file, 0);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		goto out;
	}
	job->bind = vmsm_bind_alloc(args->nr_ops);
	ret = job->bind ? vmsm_bind_prepare(job->bind, file, priv->vm, args) : -ENOMEM;
	if (ret)
		vmsm_job_free(job);
	else
		ret = vmsm_vm_bind_queue(file, job, args);
out:
	vmsm_queue_put(queue);
	return ret;
}
