/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_DRV_H__
#define __VMSM_DRV_H__

#include <linux/atomic.h>
#include <linux/iommu-owner.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/srcu.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_mm.h>
#include <drm/gpu_scheduler.h>

#include <drm/vmsm_drm.h>

#include "vmsm_params.h"
#include "vmsm_pgtable.h"

#define VMSM_DRIVER_NAME	"vmsm"
#define VMSM_DRIVER_DESC	"Virtual msm-style GPU and display"

/* Self-registered devices the module can create (module parameter). */
#define VMSM_MAX_DEVICES	8

struct vmsm_dump_req;
struct vmsm_kms;

/**
 * struct vmsm_platform_data - configuration of a self-registered device
 * @coherent: the device is cache-coherent with the CPU
 *
 * Devices described by the device tree take the same settings from their
 * node (``dma-coherent``) instead.
 */
struct vmsm_platform_data {
	bool coherent;
};

/**
 * struct vmsm_ring - one command processor ring (a priority level)
 * @vdev: the device
 * @id: ring index
 * @sched: the DRM scheduler feeding this ring
 * @wq: ordered workqueue: the ring's "hardware", executing one job at a
 *	time in submission order
 * @fence_lock: lock of the ring's hardware fences
 * @fence_context: dma-fence context of the hardware fences
 * @seqno: last hardware fence sequence number emitted, under @fence_lock
 * @completed: sequence number of the last hardware fence signalled;
 *	written only by the ring's workqueue, read locklessly (debugfs)
 * @name: scheduler and workqueue name
 */
struct vmsm_ring {
	struct vmsm_device *vdev;
	unsigned int id;
	struct drm_gpu_scheduler sched;
	struct workqueue_struct *wq;
	spinlock_t fence_lock; /* hardware fences of the ring, @seqno */
	u64 fence_context;
	u64 seqno;
	u64 completed;
	char name[24];
};

#define VMSM_FAULT_LOG_SIZE	16

/**
 * struct vmsm_fault_entry - one fault or hang in the device's fault log
 * @time_ns: CLOCK_MONOTONIC time the job stopped
 * @seq: number of the fault since probe, from 1
 * @ring: ring the job ran on
 * @pid: process whose address space the job ran in
 * @info: type, GPU address, access and queue, as SUBMITQUEUE_QUERY reports
 */
struct vmsm_fault_entry {
	u64 time_ns;
	u32 seq;
	u32 ring;
	pid_t pid;
	struct drm_vmsm_fault_info info;
};

/**
 * struct vmsm_fault_log - the last %VMSM_FAULT_LOG_SIZE faults of a device
 * @lock: protects @entries and @count
 * @count: faults recorded since probe; the newest is at
 *	@entries[(@count - 1) % %VMSM_FAULT_LOG_SIZE]
 * @entries: the entries, oldest overwritten first
 */
struct vmsm_fault_log {
	spinlock_t lock; /* @entries, @count */
	u32 count;
	struct vmsm_fault_entry entries[VMSM_FAULT_LOG_SIZE];
};

/**
 * struct vmsm_device - one vmsm GPU and display instance
 * @drm: the DRM device, embedded
 * @pdev: the platform device it was probed from
 * @caps: what GET_PARAM reports; written once at probe, read-only after
 * @index: device index, allocated from a module-wide IDA
 * @nr_objects: live buffer objects
 * @nr_vms: live GPU address spaces of GPU contexts (%VMSM_VM_CONTEXT)
 * @nr_display_vms: live GPU address spaces of the display engine
 *	(%VMSM_VM_DISPLAY)
 * @nr_jobs: jobs created and not yet freed
 * @nr_faults: GPU faults and hangs since probe
 * @fault_log: the last faults and hangs, for debugfs
 * @mm_lock: protects the GPU address-space bookkeeping of every VM and
 *	object: each &vmsm_vm's allocator, page tables and mapping list, and
 *	each &vmsm_bo's mapping list. Never held while taking a reservation
 *	lock (dma_resv) or waiting for a fence; held across GFP_KERNEL
 *	allocations, so reclaim (the shrinker) only trylocks it.
 * @mmu_srcu: read side held by a running job (its critical section ends
 *	after every memory access and while WAIT_MEM sleeps), by the display
 *	for a row and by devcoredump for a dword, never across an
 *	allocation; unmapping waits for it (like a TLB invalidation that
 *	waits for outstanding transactions) before pages are released
 * @bos: every &vmsm_bo of the device (for debugfs), under @mm_lock
 * @vms: every &vmsm_vm of the device (for debugfs), under @mm_lock
 * @pt_free: page-table pages unhooked from a VM, freed once no GPU core
 *	access can still walk them (after an @mmu_srcu grace period); under
 *	@mm_lock
 * @rings: command processor rings
 * @job_timeout_ms: scheduler timeout for one job
 * @shrinker: purges idle objects marked %VMSM_MADV_DONTNEED
 * @nr_purged: objects purged since probe
 * @dump_lock: protects @dump_req
 * @dump_req: fault waiting for @dump_work to write a devcoredump
 * @dump_work: writes devcoredumps
 * @zero_page: the read-as-zero page VM_BIND MAP_NULL ranges map
 * @zero_bus: bus address of @zero_page
 * @owner_ctx: ownership and cache maintenance of the device's objects
 *	(iommu-owner), with the checking and strict mode switches
 * @model: the non-coherent device model is on: the GPU core sees the
 *	device view of cached objects (see "coherency")
 * @nr_shadow_pages: device-view pages allocated for the device's objects
 * @view_dev: the device imports of other exporters attach through under
 *	the model, with vmsm's DMA operations (see "device model of the DMA
 *	API"), or NULL; set at probe, immutable
 * @next_bo_id: last object id handed out (names objects in reports)
 * @kms: the display engine, set up at probe
 * @nr_kernel_objects: live buffer objects created by in-kernel DRM clients
 *	(not in @nr_objects)
 * @pinned_bytes: memory the device's objects hold pinned for it, as
 *	charged against the limit (see "pinned memory")
 */
struct vmsm_device {
	struct drm_device drm;
	struct platform_device *pdev;
	struct vmsm_caps caps;
	int index;
	atomic_t nr_objects;
	atomic_t nr_vms;
	atomic_t nr_display_vms;
	atomic_t nr_jobs;
	atomic_t nr_faults;
	struct vmsm_fault_log fault_log;
	struct mutex mm_lock; /* VM and object mapping state, see above */
	struct srcu_struct mmu_srcu;
	struct list_head bos;
	struct list_head vms;
	struct list_head pt_free;
	struct vmsm_ring rings[VMSM_NR_RINGS];
	unsigned int job_timeout_ms;
	struct shrinker *shrinker;
	atomic_t nr_purged;
	spinlock_t dump_lock; /* @dump_req */
	struct vmsm_dump_req *dump_req;
	struct work_struct dump_work;
	struct page *zero_page;
	dma_addr_t zero_bus;
	struct iommu_owner_ctx owner_ctx;
	bool model;
	atomic_t nr_shadow_pages;
	struct device *view_dev;
	atomic_t next_bo_id;
	struct vmsm_kms *kms;
	atomic_t nr_kernel_objects;
	atomic64_t pinned_bytes;
};

/**
 * enum vmsm_vm_owner - what a GPU address space is for
 * @VMSM_VM_CONTEXT: a GPU context's: an open file's, or a submit queue's
 *	own; counted in &vmsm_device.nr_vms
 * @VMSM_VM_DISPLAY: the display engine's, which scans out framebuffers
 *	through it; counted in &vmsm_device.nr_display_vms
 */
enum vmsm_vm_owner {
	VMSM_VM_CONTEXT,
	VMSM_VM_DISPLAY,
};

/**
 * struct vmsm_vm - one GPU address space
 * @ref: reference count; files and in-flight jobs hold references
 * @vdev: the device
 * @owner: what the VM is for, given by its creator; immutable
 * @pt: page tables, under &vmsm_device.mm_lock
 * @mm: kernel-assigned GPU VA allocator, under &vmsm_device.mm_lock
 * @vmas: &vmsm_vma mappings in this VM, under &vmsm_device.mm_lock
 * @faults: faults and hangs of jobs in this VM; once non-zero, the
 *	context is unusable and submits fail with -EIO
 * @link: entry in &vmsm_device.vms, under &vmsm_device.mm_lock
 * @pid: process that created the VM, for debugfs
 * @fault_lock: protects @last_fault
 * @last_fault: the context's last fault, for SUBMITQUEUE_QUERY
 * @gpuvm: userspace-managed mappings (VM_BIND), under
 *	&vmsm_device.mm_lock
 * @user_va: the VM switched to userspace-managed addresses, under
 *	&vmsm_device.mm_lock
 * @kernel_va: an object was mapped at a kernel-assigned address once,
 *	under &vmsm_device.mm_lock
 * @pt_lock: serializes the page-table updates of bind jobs; taken in
 *	the dma-fence signalling path, so never held while allocating
 * @pt_pool: while a bind job runs, the page-table pages it reserved;
 *	under @pt_lock
 * @pt_freed: while a bind job runs, where the page-table pages it unhooks
 *	go (instead of &vmsm_device.pt_free); under @pt_lock
 * @bind_lock: serializes VM_BIND ioctls of the VM, and @last_bind
 * @last_bind: finished fence of the VM's last bind job: bind jobs run in
 *	the order their changes were made to @gpuvm
 * @release_work: drops a job's last reference to the VM outside the
 *	scheduler (vmsm_vm_put_deferred())
 */
struct vmsm_vm {
	struct kref ref;
	struct vmsm_device *vdev;
	enum vmsm_vm_owner owner;
	struct list_head link;
	pid_t pid;
	spinlock_t fault_lock; /* @last_fault */
	struct drm_vmsm_fault_info last_fault;
	struct vmsm_pgtable pt;
	struct drm_mm mm;
	struct list_head vmas;
	atomic_t faults;
	struct drm_gpuvm gpuvm;
	bool user_va;
	bool kernel_va;
	struct mutex pt_lock; /* bind jobs' page-table updates */
	struct list_head *pt_pool;
	struct list_head *pt_freed;
	struct mutex bind_lock; /* VM_BIND ioctls, @last_bind */
	struct dma_fence *last_bind;
	struct work_struct release_work;
};

/**
 * struct vmsm_vma - an object mapped into a VM
 * @node: VA range in the VM's allocator
 * @vm: the VM
 * @bo: the object
 * @vm_link: entry in &vmsm_vm.vmas
 * @bo_link: entry in &vmsm_bo.vmas
 *
 * All fields are under &vmsm_device.mm_lock.
 */
struct vmsm_vma {
	struct drm_mm_node node;
	struct vmsm_vm *vm;
	struct vmsm_bo *bo;
	struct list_head vm_link;
	struct list_head bo_link;
};

#define VMSM_BO_NAME_LEN	32

/**
 * struct vmsm_bo - a vmsm buffer object
 * @base: shmem GEM object, embedded
 * @flags: ``VMSM_BO_*`` creation flags, immutable
 * @vmas: mappings of the object, under &vmsm_device.mm_lock
 * @link: entry in &vmsm_device.bos, under &vmsm_device.mm_lock
 * @name_lock: protects @name
 * @name: debug name
 * @id: device-unique id, immutable (names the object in reports)
 * @owned: @owner is set up (the pages are pinned for the device); set
 *	under the reservation lock, cleared when the pages are released
 * @owner: ownership state of the pages (iommu-owner)
 * @shadow: device-view pages under the non-coherent device model, or NULL;
 *	set and cleared with @owned
 * @view_pages: for an import through the device's view device, the pages
 *	of the dma-buf, which @shadow views (vmsm_coherency_import_view());
 *	set when the import is created, cleared when it is freed
 * @kernel: created by an in-kernel DRM client, counted in
 *	&vmsm_device.nr_kernel_objects; immutable
 * @held_link: entry in the list of objects the CPU holds (see
 *	vmsm_coherency_cpu_begin()), under that list's lock
 * @imports: other vmsm devices' imports of the object's dma-buf, one per
 *	device, by their @import_link (see vmsm_coherency_import()), under
 *	the held list's lock
 * @import_link: entry in the exporting object's @imports, for an import
 *	of another vmsm device's export
 * @user_va_mapped: the object was mapped into a VM_BIND address space at
 *	some point, where jobs reach it without naming it; never cleared
 * @user_va_seen: submits into VM_BIND address spaces counted when the
 *	CPU last took the object, under its reservation
 * @creator: the DRM file that created a %VMSM_BO_NO_SHARE object, the only
 *	file its handles may live in; set before the first handle exists,
 *	immutable, only compared, never dereferenced
 * @import_views: an import of the object on a non-coherent device has a
 *	device view of its own (see vmsm_coherency_import()); set under the
 *	reservation lock, never cleared
 * @kernel_holds: CPU accesses begun by kernel mappings of the object
 *	(vmsm_coherency_kernel_begin()) and not ended yet, under the
 *	reservation lock
 * @pinned_bytes: memory charged to &vmsm_device.pinned_bytes for the pinned
 *	pages, 0 if none; set under the reservation lock before the pages are
 *	pinned, cleared when they are released (see "pinned memory")
 */
struct vmsm_bo {
	struct drm_gem_shmem_object base;
	u32 flags;
	u32 id;
	bool owned;
	struct iommu_owner owner;
	struct page **shadow;
	struct page **view_pages;
	bool kernel;
	const struct drm_file *creator;
	struct list_head held_link;
	struct list_head imports;
	struct list_head import_link;
	bool user_va_mapped;
	s64 user_va_seen;
	bool import_views;
	unsigned int kernel_holds;
	u64 pinned_bytes;
	struct list_head vmas;
	struct list_head link;
	struct mutex name_lock; /* @name */
	char name[VMSM_BO_NAME_LEN];
};

/**
 * struct vmsm_queue - a submit queue of a file
 * @ref: reference count: the file and each of the queue's jobs
 * @vdev: the device
 * @vm: address space the queue's jobs run in (reference): the file's, or
 *	the queue's own (%VMSM_SUBMITQUEUE_PRIVATE_VM)
 * @id: queue id (0 is the file's default queue)
 * @entity: scheduler entity feeding the queue's ring
 * @fences: finished fences of the queue's jobs by fence id, each holding a
 *	reference, from submission until the job is freed
 * @lock: serializes job arming and pushing on this queue, and @last_fence
 * @last_fence: last fence id handed out
 */
struct vmsm_queue {
	struct kref ref;
	struct vmsm_device *vdev;
	struct vmsm_vm *vm;
	u32 id;
	struct drm_sched_entity entity;
	struct xarray fences;
	struct mutex lock; /* arming and pushing jobs, @last_fence */
	u32 last_fence;
};

/**
 * struct vmsm_file_priv - per open file state: one GPU context
 * @vdev: the device the file belongs to
 * @vm: the file's GPU address space; its fault count marks the context
 * @queues: the file's submit queues by id, each holding a reference;
 *	the xarray's lock makes lookup and reference atomic
 */
struct vmsm_file_priv {
	struct vmsm_device *vdev;
	struct vmsm_vm *vm;
	struct xarray queues;
};

static inline struct vmsm_device *to_vmsm_device(struct drm_device *drm)
{
	return container_of(drm, struct vmsm_device, drm);
}

static inline struct vmsm_bo *to_vmsm_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct vmsm_bo, base);
}

/* vmsm_drv.c */
int vmsm_ioctl_get_param(struct drm_device *drm, void *data,
			 struct drm_file *file);

/* vmsm_coherency.c */
void vmsm_coherency_init(struct vmsm_device *vdev);
void vmsm_coherency_fini(struct vmsm_device *vdev);
bool vmsm_bo_is_cached(struct vmsm_bo *bo);
bool vmsm_bo_tracks_writes(struct vmsm_bo *bo);
int vmsm_coherency_bo_pin(struct vmsm_bo *bo);
struct sg_table *vmsm_bo_pin_for_device(struct vmsm_bo *bo);
void vmsm_coherency_bo_unpin(struct vmsm_bo *bo);
struct page *vmsm_coherency_device_page(struct vmsm_device *vdev,
					struct page *page, bool write);
int vmsm_coherency_range(struct vmsm_bo *bo, u64 *offset, u64 *size);
int vmsm_coherency_cpu_begin(struct vmsm_bo *bo, u64 offset, u64 size, u32 op);
int vmsm_coherency_cpu_end(struct vmsm_bo *bo, u64 offset, u64 size);
int vmsm_coherency_kernel_begin(struct vmsm_bo *bo);
void vmsm_coherency_kernel_end(struct vmsm_bo *bo);
int vmsm_coherency_device_begin(struct vmsm_bo *bo, bool write);
void vmsm_coherency_cpu_wrote(struct vmsm_bo *bo, unsigned long page);
void vmsm_coherency_bo_forget(struct vmsm_bo *bo);
int vmsm_coherency_import(struct vmsm_bo *bo, struct vmsm_bo *exporter);
int vmsm_coherency_import_view(struct vmsm_bo *bo, struct sg_table *sgt);
void vmsm_coherency_view_sync(struct page *page, unsigned int offset,
			      unsigned int len, bool for_cpu);
void vmsm_coherency_views_sync(struct vmsm_bo *bo, bool for_cpu);
void vmsm_coherency_user_va_mapped(struct vmsm_bo *bo);
int vmsm_coherency_vm_held(struct vmsm_vm *vm, struct drm_gem_object ***objs);
int vmsm_coherency_vm_handover(struct drm_gem_object **objs, int nr);
void vmsm_coherency_debugfs_show(struct seq_file *m, struct vmsm_device *vdev);

/* vmsm_dma_view.c */
int vmsm_dma_view_init(struct vmsm_device *vdev);
struct device *vmsm_dma_view_attach_dev(struct vmsm_device *vdev,
					struct dma_buf *dmabuf);
int vmsm_dma_view_pages(struct vmsm_device *vdev, struct sg_table *sgt,
			struct page **pages, unsigned long nr_pages);

/* vmsm_prime.c */
struct vmsm_bo *vmsm_prime_owner_bo(struct vmsm_bo *bo);
struct dma_buf *vmsm_gem_prime_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *vmsm_gem_prime_import(struct drm_device *drm,
					     struct dma_buf *dmabuf);
struct drm_gem_object *vmsm_gem_prime_import_sg_table(struct drm_device *drm,
						      struct dma_buf_attachment *attach,
						      struct sg_table *sgt);

/* vmsm_debugfs.c */
void vmsm_debugfs_init(struct drm_minor *minor);

/* vmsm_gem.c */
struct drm_gem_object *vmsm_gem_create_object(struct drm_device *drm,
					      size_t size);
int vmsm_ioctl_gem_new(struct drm_device *drm, void *data,
		       struct drm_file *file);
int vmsm_gem_create_dumb(struct drm_file *file, struct drm_device *drm,
			 u64 size, u32 *handle);
bool vmsm_gem_can_scanout(struct drm_gem_object *obj);
int vmsm_ioctl_gem_info(struct drm_device *drm, void *data,
			struct drm_file *file);
int vmsm_ioctl_gem_cpu_prep(struct drm_device *drm, void *data,
			    struct drm_file *file);
int vmsm_ioctl_gem_cpu_fini(struct drm_device *drm, void *data,
			    struct drm_file *file);
int vmsm_ioctl_gem_sync(struct drm_device *drm, void *data,
			struct drm_file *file);
u64 vmsm_gem_pinned_limit(void);
u64 vmsm_gem_pinned_total(void);
struct sg_table *vmsm_gem_get_pages_sgt(struct vmsm_bo *bo);
void vmsm_gem_pin_release(struct vmsm_bo *bo);

/* vmsm_mmu.c */
struct vmsm_vm *vmsm_vm_create(struct vmsm_device *vdev,
			       enum vmsm_vm_owner owner);
void vmsm_vm_put(struct vmsm_vm *vm);
void vmsm_vm_put_deferred(struct vmsm_vm *vm);
void vmsm_queue_release_work(struct work_struct *work);
struct vmsm_vm *vmsm_vm_get(struct vmsm_vm *vm);
int vmsm_vm_get_iova(struct vmsm_vm *vm, struct vmsm_bo *bo, u64 *iova);
int vmsm_vm_get_iovas(struct vmsm_vm *vm, struct drm_gem_object **objs, u32 n, u64 *iova);
void vmsm_bo_unmap_all(struct vmsm_bo *bo);
bool vmsm_bo_unmap_all_locked(struct vmsm_bo *bo);
void vmsm_mmu_flush(struct vmsm_device *vdev);
void vmsm_mmu_garbage_take(struct vmsm_device *vdev, struct list_head *list);
void vmsm_mmu_garbage_free(struct vmsm_device *vdev, struct list_head *list);
void *vmsm_vm_access_map(struct vmsm_vm *vm, u64 va, u32 len, bool write,
			 u64 *fault_pte);
void vmsm_vm_access_unmap(void *ptr);
void vmsm_mmu_debugfs_show(struct seq_file *m, struct vmsm_device *vdev);

int vmsm_vm_pool_fill(struct vmsm_vm *vm, struct list_head *pool,
		      unsigned long count);
void vmsm_vm_pool_free(struct vmsm_device *vdev, struct list_head *pool);
int vmsm_vm_map_range(struct vmsm_vm *vm, u64 iova, struct vmsm_bo *bo,
		      u64 offset, u64 range, bool readonly);

/* vmsm_vm_bind.c */
struct vmsm_bind;
int vmsm_vm_bind_init(struct vmsm_device *vdev);
void vmsm_vm_bind_fini(struct vmsm_device *vdev);
int vmsm_vm_gpuvm_init(struct vmsm_vm *vm);
void vmsm_vm_bind_teardown(struct vmsm_vm *vm, struct list_head *garbage);
void vmsm_vm_bind_garbage_free(struct list_head *garbage);
bool vmsm_vm_is_user_va(struct vmsm_vm *vm);
void vmsm_bind_exec(struct vmsm_bind *bind, struct vmsm_vm *vm);
void vmsm_bind_free(struct vmsm_bind *bind, struct vmsm_vm *vm);
int vmsm_ioctl_vm_bind(struct drm_device *drm, void *data,
		       struct drm_file *file);

/* vmsm_dump.c */
struct vmsm_job;
void vmsm_dump_init(struct vmsm_device *vdev);
void vmsm_dump_fini(struct vmsm_device *vdev);
void vmsm_dump_job(struct vmsm_job *job, const struct drm_vmsm_fault_info *info);
const char *vmsm_fault_name(u32 type);

/* vmsm_gem_shrinker.c */
int vmsm_gem_shrinker_init(struct vmsm_device *vdev);
int vmsm_ioctl_gem_madvise(struct drm_device *drm, void *data,
			   struct drm_file *file);

/* vmsm_gpu.c */
int vmsm_gpu_init(struct vmsm_device *vdev);
void vmsm_gpu_fini(struct vmsm_device *vdev);
struct vmsm_queue *vmsm_queue_create(struct vmsm_device *vdev, struct vmsm_vm *vm,
				     u32 id, unsigned int ring);
void vmsm_queue_close(struct vmsm_queue *queue);
void vmsm_queue_put(struct vmsm_queue *queue);

/* vmsm_submitqueue.c */
#define VMSM_DEFAULT_PRIO	(VMSM_NR_RINGS / 2)
int vmsm_submitqueue_init(struct vmsm_file_priv *priv);
void vmsm_submitqueue_fini(struct vmsm_file_priv *priv);
struct vmsm_queue *vmsm_submitqueue_get(struct vmsm_file_priv *priv, u32 id);
int vmsm_ioctl_submitqueue_new(struct drm_device *drm, void *data,
			       struct drm_file *file);
int vmsm_ioctl_submitqueue_close(struct drm_device *drm, void *data,
				 struct drm_file *file);
int vmsm_ioctl_submitqueue_query(struct drm_device *drm, void *data,
				 struct drm_file *file);

/* vmsm_submit.c */
struct vmsm_job *vmsm_job_alloc(struct vmsm_device *vdev,
				struct vmsm_file_priv *priv,
				struct vmsm_queue *queue,
				struct drm_file *file, u32 nr_cmds);
int vmsm_submit_queue_job(struct drm_file *file,
			  struct drm_vmsm_gem_submit *args,
			  struct vmsm_job *job, int (*commit)(struct vmsm_job *job),
			  struct dma_fence **done);
int vmsm_ioctl_gem_submit(struct drm_device *drm, void *data,
			  struct drm_file *file);
int vmsm_ioctl_wait_fence(struct drm_device *drm, void *data,
			  struct drm_file *file);

#endif /* __VMSM_DRV_H__ */
