// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: GPU address spaces
 *
 * Every open file is a GPU context with its own address space
 * (&struct vmsm_vm): vmsm's own page tables (see "GPU page tables") and a
 * &struct drm_mm allocator for kernel-assigned addresses. Objects are
 * mapped on their first VMSM_INFO_GET_IOVA or submit in the file; the
 * page tables then hold the bus addresses the DMA API returned for vmsm's
 * device, as a real MMU would.
 *
 * The GPU core reaches memory only through vmsm_vm_access_map(): it walks
 * the page tables from their root bus address, checks the permission
 * bits, and turns the bus address back into memory the way a DMA master
 * would (through the IOMMU domain if there is one, else the DMA direct
 * mapping), never through an object's struct pages; under the
 * non-coherent device model it then sees the device view of that memory
 * (see "coherency").
 *
 * Unmapping clears the descriptors, then waits for an SRCU grace period
 * before page-table pages or object pages are released. A job holds the
 * read side while it runs, but ends its read-side critical section after
 * every memory access (a walk and the copy of at most one granule; two for
 * a copy between addresses) and while a WAIT_MEM sleeps, as a bus
 * completes outstanding transactions, so an unmap waits for the accesses
 * in flight, never for a whole job.
 */

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/srcu.h>

#include <drm/vmsm_drm.h>

#include "vmsm_drv.h"

static struct page *vmsm_bus_to_page(struct vmsm_device *vdev, u64 bus,
				     unsigned int *offset)
{
	struct device *dev = vdev->drm.dev;
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	phys_addr_t phys;

	if (domain && domain->type != IOMMU_DOMAIN_IDENTITY)
		phys = iommu_iova_to_phys(domain, bus);
	else
		phys = dma_to_phys(dev, bus);

	if (!phys || !pfn_valid(PHYS_PFN(phys)))
		return NULL;
	*offset = offset_in_page(phys);
	return pfn_to_page(PHYS_PFN(phys));
}

/*
 * A page-table page: zeroed, mapped for the device, its bus address in
 * page_private().
 */
static struct page *vmsm_pt_page_alloc(struct vmsm_device *vdev)
{
	struct device *dev = vdev->drm.dev;
	struct page *page;
	dma_addr_t addr;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;

	addr = dma_map_page(dev, page, 0, VMSM_PT_TABLE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, addr)) {
		__free_page(page);
		return NULL;
	}
	set_page_private(page, addr);
	return page;
}

/* Frees the page-table pages on @list (through their &page.lru). */
static void vmsm_pt_pages_free(struct vmsm_device *vdev, struct list_head *list)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, list, lru) {
		list_del(&page->lru);
		dma_unmap_page(vdev->drm.dev, page_private(page),
			       VMSM_PT_TABLE_SIZE, DMA_TO_DEVICE);
		set_page_private(page, 0);
		__free_page(page);
	}
}

/* A bind job only uses the pages it reserved: no allocation while it runs. */
static u64 *vmsm_vm_pool_table(struct vmsm_vm *vm, u64 *bus)
{
	struct page *page;

	page = list_first_entry_or_null(vm->pt_pool, struct page, lru);
	if (WARN_ON_ONCE(!page))
		return NULL;
	list_del(&page->lru);
	*bus = page_private(page);
	return page_address(page);
}

static u64 *vmsm_vm_alloc_table(void *priv, u64 *bus)
{
	struct vmsm_vm *vm = priv;
	struct page *page;

	if (vm->pt_pool)
		return vmsm_vm_pool_table(vm, bus);

	page = vmsm_pt_page_alloc(vm->vdev);
	if (!page)
		return NULL;
	*bus = page_private(page);
	return page_address(page);
}

/* Deferred: a GPU core walk may still be reading the table. */
static void vmsm_vm_free_table(void *priv, u64 *table, u64 bus)
{
	struct vmsm_vm *vm = priv;

	if (vm->pt_freed) {
		list_add(&virt_to_page(table)->lru, vm->pt_freed);
		return;
	}
	lockdep_assert_held(&vm->vdev->mm_lock);
	list_add(&virt_to_page(table)->lru, &vm->vdev->pt_free);
}

static u64 *vmsm_vm_table_va(void *priv, u64 bus)
{
	struct vmsm_vm *vm = priv;
	unsigned int offset;
	struct page *page;

	page = vmsm_bus_to_page(vm->vdev, bus, &offset);
	return page ? page_address(page) + offset : NULL;
}

static void vmsm_vm_sync_table(void *priv, u64 *table, unsigned int idx,
			       unsigned int count)
{
	struct vmsm_vm *vm = priv;
	dma_addr_t bus = page_private(virt_to_page(table));

	dma_sync_single_for_device(vm->vdev->drm.dev, bus + idx * sizeof(u64),
				   count * sizeof(u64), DMA_TO_DEVICE);
}

static const struct vmsm_pt_ops vmsm_vm_pt_ops = {
	.alloc_table = vmsm_vm_alloc_table,
	.free_table = vmsm_vm_free_table,
	.table_va = vmsm_vm_table_va,
	.sync_table = vmsm_vm_sync_table,
};

/**
 * vmsm_mmu_garbage_take() - collect the page-table pages unmaps unhooked
 * @vdev: the device, with &vmsm_device.mm_lock held
 * @list: where to move them (through their &page.lru)
 *
 * The pages are freed by vmsm_mmu_garbage_free(), after the grace period.
 */
void vmsm_mmu_garbage_take(struct vmsm_device *vdev, struct list_head *list)
{
	lockdep_assert_held(&vdev->mm_lock);
	list_splice_init(&vdev->pt_free, list);
}

/**
 * vmsm_mmu_garbage_free() - wait out GPU core accesses, then free pages
 * @vdev: the device
 * @list: page-table pages from vmsm_mmu_garbage_take(), may be empty
 *
 * Also makes the object pages of any mapping cleared before the call
 * unreachable. The wait is for memory accesses the GPU core has started
 * (each covers at most one 4 KiB granule, or two for a copy), not for
 * jobs: a job ends its read-side critical section of
 * &vmsm_device.mmu_srcu after every access, and a job allocates nothing
 * and takes no lock that is held across an allocation.
 * That is what makes this safe to call from reclaim (the shrinker),
 * which lockdep is taught at device creation (vmsm_gem_shrinker_init()).
 */
void vmsm_mmu_garbage_free(struct vmsm_device *vdev, struct list_head *list)
{
	synchronize_srcu(&vdev->mmu_srcu);
	vmsm_pt_pages_free(vdev, list);
}

/**
 * vmsm_mmu_flush() - finish unmaps: wait out GPU core accesses, then free
 * the page-table pages they unhooked
 * @vdev: the device
 *
 * Called without &vmsm_device.mm_lock held; takes it, so not from reclaim.
 */
void vmsm_mmu_flush(struct vmsm_device *vdev)
{
	LIST_HEAD(list);

	mutex_lock(&vdev->mm_lock);
	vmsm_mmu_garbage_take(vdev, &list);
	mutex_unlock(&vdev->mm_lock);
	vmsm_mmu_garbage_free(vdev, &list);
}

/**
 * vmsm_vm_pool_fill() - reserve page-table pages for a bind job
 * @vm: the VM the pages are for
 * @pool: list to add the pages to (through their &page.lru)
 * @count: number of pages
 *
 * Return: 0 or -ENOMEM; pages already added stay on @pool.
 */
int vmsm_vm_pool_fill(struct vmsm_vm *vm, struct list_head *pool,
		      unsigned long count)
{
	struct page *page;

	while (count--) {
		page = vmsm_pt_page_alloc(vm->vdev);
		if (!page)
			return -ENOMEM;
		list_add(&page->lru, pool);
	}
	return 0;
}

/**
 * vmsm_vm_pool_free() - release the unused pages of a bind job's pool
 * @vdev: the device
 * @pool: the pages; never hooked into a page table
 */
void vmsm_vm_pool_free(struct vmsm_device *vdev, struct list_head *pool)
{
	vmsm_pt_pages_free(vdev, pool);
}

/* The count of live VMs @vm is one of: each owner has its own. */
static atomic_t *vmsm_vm_count(struct vmsm_vm *vm)
{
	return vm->owner == VMSM_VM_DISPLAY ? &vm->vdev->nr_display_vms :
					      &vm->vdev->nr_vms;
}

static void vmsm_vm_release(struct kref *ref);

/* The deferred last put of vmsm_vm_put_deferred(). */
static void vmsm_vm_release_work(struct work_struct *work)
{
	kref_put(&container_of(work, struct vmsm_vm, release_work)->ref,
		 vmsm_vm_release);
}

/**
 * vmsm_vm_create() - create a GPU address space
 * @vdev: the device
 * @owner: what the VM is for
 *
 * Return: the VM with one reference, or an ERR_PTR.
 */
struct vmsm_vm *vmsm_vm_create(struct vmsm_device *vdev,
			       enum vmsm_vm_owner owner)
{
	struct vmsm_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	kref_init(&vm->ref);
	INIT_WORK(&vm->release_work, vmsm_vm_release_work);
	vm->vdev = vdev;
	vm->owner = owner;
	spin_lock_init(&vm->fault_lock);
	INIT_LIST_HEAD(&vm->vmas);

	mutex_lock(&vdev->mm_lock);
	ret = vmsm_pt_init(&vm->pt, &vmsm_vm_pt_ops, vm);
	mutex_unlock(&vdev->mm_lock);
	if (ret) {
		kfree(vm);
		return ERR_PTR(ret);
	}

	ret = vmsm_vm_gpuvm_init(vm);
	if (ret) {
		mutex_lock(&vdev->mm_lock);
		vmsm_pt_fini(&vm->pt);
		mutex_unlock(&vdev->mm_lock);
		vmsm_mmu_flush(vdev);
		kfree(vm);
		return ERR_PTR(ret);
	}

	drm_mm_init(&vm->mm, vdev->caps.va_start, vdev->caps.va_size);
	vm->pid = task_tgid_nr(current);
	mutex_lock(&vdev->mm_lock);
	list_add_tail(&vm->link, &vdev->vms);
	mutex_unlock(&vdev->mm_lock);
	atomic_inc(vmsm_vm_count(vm));
	return vm;
}

/**
 * vmsm_vm_get() - take a reference on a VM
 * @vm: the VM
 *
 * Return: @vm.
 */
struct vmsm_vm *vmsm_vm_get(struct vmsm_vm *vm)
{
	kref_get(&vm->ref);
	return vm;
}

static void vmsm_vm_release(struct kref *ref)
{
	struct vmsm_vm *vm = container_of(ref, struct vmsm_vm, ref);
	struct vmsm_device *vdev = vm->vdev;
	struct vmsm_vma *vma, *tmp;
	LIST_HEAD(garbage);

	mutex_lock(&vdev->mm_lock);
	list_del(&vm->link);
	vmsm_vm_bind_teardown(vm, &garbage);
	list_for_each_entry_safe(vma, tmp, &vm->vmas, vm_link) {
		list_del(&vma->bo_link);
		list_del(&vma->vm_link);
		drm_mm_remove_node(&vma->node);
		kfree(vma);
	}
	vmsm_pt_fini(&vm->pt);
	mutex_unlock(&vdev->mm_lock);

	/*
	 * No job holds this VM any more, but the list may also hold tables
	 * another VM unhooked a moment ago: always wait for the grace period.
	 */
	vmsm_mmu_flush(vdev);
	vmsm_vm_bind_garbage_free(&garbage);
	drm_gpuvm_put(&vm->gpuvm);
	drm_mm_takedown(&vm->mm);
	atomic_dec(vmsm_vm_count(vm));
	kfree(vm);
}

/**
 * vmsm_vm_put() - drop a reference on a VM
 * @vm: the VM, may be NULL
 */
void vmsm_vm_put(struct vmsm_vm *vm)
{
	if (vm)
		kref_put(&vm->ref, vmsm_vm_release);
}

/**
 * vmsm_vm_put_deferred() - drop a job's reference on a VM
 * @vm: the VM
 *
 * A job may outlive every file of its device: its reference to the VM,
 * whose &drm_gpuvm holds the DRM device, is then the device's last, and
 * the device's release stops the rings, which must not happen in the
 * scheduler's own work that frees the job. The last reference is dropped
 * from the driver's release workqueue instead (vmsm_queue_release_work());
 * any other is dropped here.
 */
void vmsm_vm_put_deferred(struct vmsm_vm *vm)
{
	if (refcount_dec_not_one(&vm->ref.refcount))
		return;
	vmsm_queue_release_work(&vm->release_work);
}

static u32 vmsm_bo_prot(struct vmsm_bo *bo)
{
	u32 prot = VMSM_PT_PROT_READ;

	if (!(bo->flags & VMSM_BO_GPU_READONLY))
		prot |= VMSM_PT_PROT_WRITE;

	switch (bo->flags & VMSM_BO_CACHE_MASK) {
	case VMSM_BO_WC:
		return prot | VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_WC);
	case VMSM_BO_UNCACHED:
		return prot | VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_DEVICE);
	default:
		return prot | VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_CACHED);
	}
}

static int vmsm_vm_map_sgt(struct vmsm_vm *vm, u64 iova, struct sg_table *sgt,
			   u32 prot)
{
	struct scatterlist *sg;
	u64 off = 0;
	int i, ret;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		ret = vmsm_pt_map(&vm->pt, iova + off, sg_dma_address(sg),
				  sg_dma_len(sg), prot);
		if (ret) {
			if (off)
				vmsm_pt_unmap(&vm->pt, iova, off);
			return ret;
		}
		off += sg_dma_len(sg);
	}
	return 0;
}

/**
 * vmsm_vm_map_range() - map part of an object, or the zero page, at an
 * address chosen by userspace
 * @vm: the VM, with &vmsm_vm.pt_lock held
 * @iova: first GPU virtual address, 4 KiB aligned
 * @bo: the object, its pages pinned; NULL to map the read-as-zero page
 * @offset: offset in the object, 4 KiB aligned
 * @range: bytes to map, 4 KiB aligned, within the object
 * @readonly: map without write permission
 *
 * Page tables come from &vmsm_vm.pt_pool when it is set.
 *
 * Return: 0 or the error of vmsm_pt_map().
 */
int vmsm_vm_map_range(struct vmsm_vm *vm, u64 iova, struct vmsm_bo *bo,
		      u64 offset, u64 range, bool readonly)
{
	u32 prot = bo ? vmsm_bo_prot(bo) :
			VMSM_PT_PROT_READ | VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_CACHED);
	struct scatterlist *sg;
	u64 len, done = 0;
	int i, ret;

	lockdep_assert_held(&vm->pt_lock);
	if (readonly)
		prot &= ~VMSM_PT_PROT_WRITE;
	if (!bo) {
		for (; done < range; done += VMSM_PT_GRANULE) {
			ret = vmsm_pt_map(&vm->pt, iova + done, vm->vdev->zero_bus,
					  VMSM_PT_GRANULE, prot);
			if (ret)
				return ret;
		}
		return 0;
	}

	for_each_sgtable_dma_sg(bo->base.sgt, sg, i) {
		if (done == range)
			break;
		if (offset >= sg_dma_len(sg)) {
			offset -= sg_dma_len(sg);
			continue;
		}
		len = min_t(u64, sg_dma_len(sg) - offset, range - done);
		ret = vmsm_pt_map(&vm->pt, iova + done, sg_dma_address(sg) + offset,
				  len, prot);
		if (ret)
			return ret;
		done += len;
		offset = 0;
	}
	return 0;
}

static struct vmsm_vma *vmsm_vma_find(struct vmsm_vm *vm, struct vmsm_bo *bo)
{
	struct vmsm_vma *vma;

	lockdep_assert_held(&vm->vdev->mm_lock);
	list_for_each_entry(vma, &bo->vmas, bo_link)
		if (vma->vm == vm)
			return vma;
	return NULL;
}

static int vmsm_vma_create(struct vmsm_vm *vm, struct vmsm_bo *bo,
			   struct sg_table *sgt, u64 *iova)
{
	size_t size = bo->base.base.size;
	struct vmsm_vma *vma;
	int ret;

	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;

	ret = drm_mm_insert_node_generic(&vm->mm, &vma->node, size,
					 size >= SZ_2M ? SZ_2M : PAGE_SIZE, 0,
					 DRM_MM_INSERT_BEST);
	if (ret)
		goto err_free;

	ret = vmsm_vm_map_sgt(vm, vma->node.start, sgt, vmsm_bo_prot(bo));
	if (ret)
		goto err_remove;

	vm->kernel_va = true;
	vma->vm = vm;
	vma->bo = bo;
	list_add(&vma->vm_link, &vm->vmas);
	list_add(&vma->bo_link, &bo->vmas);
	*iova = vma->node.start;
	return 0;

err_remove:
	drm_mm_remove_node(&vma->node);
err_free:
	kfree(vma);
	return ret;
}

/**
 * vmsm_vm_get_iova() - GPU address of an object in a VM, mapping it once
 * @vm: the VM
 * @bo: the object
 * @iova: where to store the address
 *
 * Pins the object's pages and maps them for the device the first time.
 * Must not be called with a reservation lock held.
 *
 * Return: 0, -ENOSPC if the address space is full, -ENOMEM, -EINVAL if
 * the VM's addresses are managed by userspace (VM_BIND).
 */
int vmsm_vm_get_iova(struct vmsm_vm *vm, struct vmsm_bo *bo, u64 *iova)
{
	struct vmsm_device *vdev = vm->vdev;
	struct vmsm_vma *vma;
	struct sg_table *sgt;
	int ret = 0;

	/* Discardable or discarded contents are not mapped (see MADVISE). */
	if (READ_ONCE(bo->base.madv) != VMSM_MADV_WILLNEED ||
	    vmsm_vm_is_user_va(vm))
		return -EINVAL;

	sgt = vmsm_bo_pin_for_device(bo);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);

	mutex_lock(&vdev->mm_lock);
	vma = vmsm_vma_find(vm, bo);
	if (vm->user_va)
		ret = -EINVAL;
	else if (vma)
		*iova = vma->node.start;
	else
		ret = vmsm_vma_create(vm, bo, sgt, iova);
	mutex_unlock(&vdev->mm_lock);

	if (ret)
		vmsm_mmu_flush(vdev);
	return ret;
}

/**
 * vmsm_vm_get_iovas() - GPU addresses of objects in a VM, mapping them once
 * @vm: the VM
 * @objs: the objects
 * @n: number of @objs
 * @iova: where to store their addresses, @n of them
 *
 * vmsm_vm_get_iova() for each object, with one pass under
 * &vmsm_device.mm_lock for the objects the VM maps already: a mapping
 * exists only while the object's pages are pinned and their ownership is
 * tracked (they are unmapped from every VM before either ends), so those
 * need nothing else. The others go through vmsm_vm_get_iova().
 * Must not be called with a reservation lock held.
 *
 * Return: 0 or the first error of vmsm_vm_get_iova().
 */
int vmsm_vm_get_iovas(struct vmsm_vm *vm, struct drm_gem_object **objs, u32 n, u64 *iova)
{
	struct vmsm_device *vdev = vm->vdev;
	struct vmsm_vma *vma;
	struct vmsm_bo *bo;
	int ret = 0;
	u32 i;

	mutex_lock(&vdev->mm_lock);
	for (i = 0; i < n; i++) {
		bo = to_vmsm_bo(objs[i]);
		vma = NULL;
		if (!vm->user_va && READ_ONCE(bo->base.madv) == VMSM_MADV_WILLNEED)
			vma = vmsm_vma_find(vm, bo);
		/* No GPU address is 0: the VA allocator starts above it. */
		iova[i] = vma ? vma->node.start : 0;
	}
	mutex_unlock(&vdev->mm_lock);

	for (i = 0; !ret && i < n; i++)
		if (!iova[i])
			ret = vmsm_vm_get_iova(vm, to_vmsm_bo(objs[i]), &iova[i]);
	return ret;
}

/**
 * vmsm_bo_unmap_all_locked() - unmap an object from every VM
 * @bo: the object
 *
 * The caller holds &vmsm_device.mm_lock and must call vmsm_mmu_flush()
 * after dropping it, before the object's pages are released.
 *
 * Return: true if anything was unmapped.
 */
bool vmsm_bo_unmap_all_locked(struct vmsm_bo *bo)
{
	struct vmsm_vma *vma, *tmp;
	bool unmapped = false;

	lockdep_assert_held(&to_vmsm_device(bo->base.base.dev)->mm_lock);
	list_for_each_entry_safe(vma, tmp, &bo->vmas, bo_link) {
		vmsm_pt_unmap(&vma->vm->pt, vma->node.start, vma->node.size);
		list_del(&vma->vm_link);
		list_del(&vma->bo_link);
		drm_mm_remove_node(&vma->node);
		kfree(vma);
		unmapped = true;
	}
	return unmapped;
}

/**
 * vmsm_bo_unmap_all() - unmap an object from every VM
 * @bo: the object, being freed
 *
 * Returns once no GPU core access can reach the object's pages.
 */
void vmsm_bo_unmap_all(struct vmsm_bo *bo)
{
	struct vmsm_device *vdev = to_vmsm_device(bo->base.base.dev);
	bool unmapped;

	mutex_lock(&vdev->mm_lock);
	unmapped = vmsm_bo_unmap_all_locked(bo);
	mutex_unlock(&vdev->mm_lock);

	if (unmapped)
		vmsm_mmu_flush(vdev);
}

/**
 * vmsm_vm_access_map() - the GPU core's access to memory through a VM
 * @vm: the VM of the running job
 * @va: GPU virtual address
 * @len: bytes to access, not crossing a granule (&struct vmsm_pt_chunk)
 * @write: the access writes
 * @fault_pte: on a fault, the leaf descriptor found (0 if none)
 *
 * Walks the page tables as the MMU would, checks an unprivileged access
 * of the given type and maps the target memory. The caller holds the
 * read side of &vmsm_device.mmu_srcu.
 *
 * Return: a CPU pointer to the memory, or NULL on a translation or
 * permission fault.
 */
void *vmsm_vm_access_map(struct vmsm_vm *vm, u64 va, u32 len, bool write,
			 u64 *fault_pte)
{
	struct vmsm_device *vdev = vm->vdev;
	struct vmsm_pt_walk_result walk = { };
	unsigned int offset;
	struct page *page;

	RCU_LOCKDEP_WARN(!srcu_read_lock_held(&vdev->mmu_srcu),
			 "GPU core access outside the mmu_srcu read side");
	if (vmsm_pt_walk(&vmsm_vm_pt_ops, vm, vm->pt.root_bus, va, &walk) ||
	    !vmsm_pt_access_ok(walk.pte, write ? VMSM_PT_ACCESS_WRITE : 0))
		goto fault;

	page = vmsm_bus_to_page(vdev, walk.bus, &offset);
	if (!page || offset + len > PAGE_SIZE)
		goto fault;
	page = vmsm_coherency_device_page(vdev, page, write);
	return kmap_local_page(page) + offset;

fault:
	*fault_pte = walk.pte;
	return NULL;
}

/**
 * vmsm_vm_access_unmap() - end an access started by vmsm_vm_access_map()
 * @ptr: the pointer it returned
 *
 * Accesses must end in the reverse order they started (kmap_local).
 */
void vmsm_vm_access_unmap(void *ptr)
{
	kunmap_local(ptr);
}

static void vmsm_pt_dump_table(struct seq_file *m, struct vmsm_vm *vm, u64 bus,
			       unsigned int level, u64 base)
{
	u64 *table = vmsm_vm_table_va(vm, bus);
	unsigned int i;
	u64 pte, va;

	for (i = 0; table && i < VMSM_PT_ENTRIES; i++) {
		pte = READ_ONCE(table[i]);
		if (!(pte & VMSM_PTE_VALID))
			continue;
		va = base + i * vmsm_pt_level_size(level);
		if (level < VMSM_PT_LEVELS - 1 && (pte & VMSM_PTE_TYPE)) {
			vmsm_pt_dump_table(m, vm, pte & VMSM_PTE_ADDR_MASK, level + 1, va);
			continue;
		}
		seq_printf(m, "  %012llx L%u pte %016llx %s%s\n", va, level, pte,
			   pte & VMSM_PTE_AP_RDONLY ? "ro" : "rw",
			   pte & VMSM_PTE_AP_UNPRIV ? "" : " priv");
	}
}

/**
 * vmsm_mmu_debugfs_show() - print every VM's mappings and page tables
 * @m: the debugfs file
 * @vdev: the device
 *
 * Bus addresses are what the device sees, not kernel addresses.
 */
void vmsm_mmu_debugfs_show(struct seq_file *m, struct vmsm_device *vdev)
{
	struct vmsm_vma *vma;
	struct vmsm_vm *vm;

	mutex_lock(&vdev->mm_lock);
	list_for_each_entry(vm, &vdev->vms, link) {
		seq_printf(m, "vm pid %d refs %u faults %d\n", vm->pid,
			   kref_read(&vm->ref), atomic_read(&vm->faults));
		list_for_each_entry(vma, &vm->vmas, vm_link)
			seq_printf(m, " map %012llx-%012llx flags 0x%x\n", vma->node.start,
				   vma->node.start + vma->node.size, vma->bo->flags);
		vmsm_pt_dump_table(m, vm, vm->pt.root_bus, 0, 0);
	}
	mutex_unlock(&vdev->mm_lock);
}
