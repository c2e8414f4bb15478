// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: GPU core and scheduling
 *
 * The virtual GPU has %VMSM_NR_RINGS rings. Each ring is fed by its own
 * drm_sched scheduler; the ring's "hardware" is an ordered workqueue that
 * executes one job at a time: run_job() queues the job and returns its
 * hardware fence, the work runs the command processor over the job's
 * command buffers in the job's address space and signals the fence.
 *
 * Work items and context switches per job, counted on amd64 under TCG
 * with ``vmsm-bench trace`` (a no-op job listing one object): three work
 * items, the scheduler's run-job work (1.11 per job when jobs are
 * pipelined: it runs again to find the entity's queue empty), the ring's
 * execution work and the scheduler's free-job work; and, for a job that
 * the submitter waits for, 2.27 context switches in the whole guest (from
 * the sched_switch events of 500 jobs): the submitter's own sleep in
 * WAIT_FENCE (1.00, the floor of any waited job), the kworkers (1.08)
 * and the idle task (0.07). Running the job in the run-job work item
 * itself would save the execution work item and its worker's wake-up.
 *
 * A job that faults (translation or permission fault, invalid packet)
 * stops; its fence signals with -EIO and its context (the VM) is marked
 * faulty.
 *
 * Timeouts: the rings are software, so a hung job needs no GPU reset and
 * the scheduler is never stopped. When the scheduler's timeout expires,
 * vmsm_sched_timedout_job() first looks at the job's hardware fence: a
 * job that finished while the timer fired (or never reached the ring) is
 * not hung, and is left alone. Otherwise the handler sets the job's abort
 * flag, which the command processor checks between packets and while a
 * WAIT_MEM polls, and waits for the ring's work to return: the job stops,
 * its hardware fence (and so its scheduler fence) signals with
 * -ETIMEDOUT and its context is marked faulty, as for a fault. The jobs
 * queued behind it keep their place and their hardware fences and run
 * next on the ring, with their results; other contexts' jobs are not
 * affected. run_job() runs each job exactly once: nothing is replayed.
 *
 * The 6.12 scheduler takes the job off its pending list while the handler
 * runs, so that it cannot be freed under it, and leaves putting it back
 * to the handler (drm_sched_stop() does it in drivers that reset). The
 * handler puts it back at the head of the list, where it was, kicks the
 * scheduler's free work (the job's fence may have signalled while it was
 * off the list) and returns %DRM_GPU_SCHED_STAT_NOMINAL; the scheduler
 * frees the job and restarts the timeout for the next one. Later kernels
 * do the same in the scheduler for %DRM_GPU_SCHED_STAT_NO_HANG.
 */

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/vmsm_drm.h>

#include "vmsm_cp.h"
#include "vmsm_job.h"

struct vmsm_hw_fence {
	struct dma_fence base;
	struct vmsm_ring *ring;
};

static const char *vmsm_fence_driver_name(struct dma_fence *fence)
{
	return VMSM_DRIVER_NAME;
}

static const char *vmsm_fence_timeline_name(struct dma_fence *fence)
{
	return container_of(fence, struct vmsm_hw_fence, base)->ring->name;
}

static const struct dma_fence_ops vmsm_hw_fence_ops = {
	.get_driver_name = vmsm_fence_driver_name,
	.get_timeline_name = vmsm_fence_timeline_name,
};

static struct dma_fence *vmsm_hw_fence_create(struct vmsm_ring *ring)
{
	struct vmsm_hw_fence *fence;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence)
		return NULL;

	fence->ring = ring;
	spin_lock(&ring->fence_lock);
	dma_fence_init(&fence->base, &vmsm_hw_fence_ops, &ring->fence_lock,
		       ring->fence_context, ++ring->seqno);
	spin_unlock(&ring->fence_lock);
	return &fence->base;
}

/*
 * Per-job state of the command processor's memory accesses. The job holds
 * the read side of &vmsm_device.mmu_srcu, and ends its read-side critical
 * section (starting the next) each time its last mapped access ends
 * (@depth: a copy maps two): an unmap, the shrinker's included, waits for
 * the accesses in flight, never for a job.
 */
struct vmsm_gpu_access {
	struct vmsm_job *job;
	unsigned int depth;
	int srcu_idx;
	u64 fault_va;
	u64 fault_pte;
	bool fault_write;
	bool faulted;
};

static void *vmsm_gpu_map(void *ctx, u64 va, u32 len, bool write)
{
	struct vmsm_gpu_access *acc = ctx;
	void *ptr;
	u64 pte = 0;

	ptr = vmsm_vm_access_map(acc->job->vm, va, len, write, &pte);
	if (!ptr) {
		acc->faulted = true;
		acc->fault_va = va;
		acc->fault_pte = pte;
		acc->fault_write = write;
		return NULL;
	}
	acc->depth++;
	return ptr;
}

static void vmsm_gpu_unmap(void *ctx, void *ptr, bool write)
{
	struct vmsm_gpu_access *acc = ctx;
	struct vmsm_device *vdev = acc->job->vdev;

	vmsm_vm_access_unmap(ptr);
	if (--acc->depth)
		return;
	/* No access outstanding: let an unmap waiting for one through. */
	srcu_read_unlock(&vdev->mmu_srcu, acc->srcu_idx);
	acc->srcu_idx = srcu_read_lock(&vdev->mmu_srcu);
}

static u64 vmsm_gpu_timestamp(void *ctx)
{
	return ktime_get_raw_ns();
}

static int vmsm_gpu_wait(void *ctx)
{
	struct vmsm_gpu_access *acc = ctx;
	struct vmsm_device *vdev = acc->job->vdev;

	if (READ_ONCE(acc->job->abort))
		return -ECANCELED;

	/* No access is outstanding: let unmaps through while sleeping. */
	srcu_read_unlock(&vdev->mmu_srcu, acc->srcu_idx);
	usleep_range(20, 50);
	acc->srcu_idx = srcu_read_lock(&vdev->mmu_srcu);
	return 0;
}

/* Between packets: the timeout handler's abort reaches any job here. */
static int vmsm_gpu_poll(void *ctx)
{
	struct vmsm_gpu_access *acc = ctx;

	if (READ_ONCE(acc->job->abort))
		return -ECANCELED;
	cond_resched();
	return 0;
}

static const struct vmsm_cp_mem_ops vmsm_gpu_mem_ops = {
	.map = vmsm_gpu_map,
	.unmap = vmsm_gpu_unmap,
	.timestamp = vmsm_gpu_timestamp,
	.wait = vmsm_gpu_wait,
	.poll = vmsm_gpu_poll,
};

static u32 vmsm_fault_type(struct vmsm_cp *cp, struct vmsm_gpu_access *acc)
{
	switch (cp->status) {
	case VMSM_CP_FAULT:
		return acc->fault_pte & VMSM_PTE_VALID ? VMSM_FAULT_PERMISSION :
							 VMSM_FAULT_TRANSLATION;
	case VMSM_CP_ABORTED:
		return VMSM_FAULT_HANG;
	default:
		return VMSM_FAULT_INVALID_PACKET;
	}
}

/* Appends a fault to the device's log (debugfs vmsm_faults). */
static void vmsm_fault_log_add(struct vmsm_job *job, const struct drm_vmsm_fault_info *info)
{
	struct vmsm_fault_log *log = &job->vdev->fault_log;
	struct vmsm_ring *ring = container_of(job->base.sched, struct vmsm_ring, sched);
	struct vmsm_fault_entry *e;

	spin_lock(&log->lock);
	e = &log->entries[log->count++ % VMSM_FAULT_LOG_SIZE];
	e->time_ns = ktime_get_ns();
	e->seq = log->count;
	e->ring = ring->id;
	e->pid = job->vm->pid;
	e->info = *info;
	spin_unlock(&log->lock);
}

static void vmsm_job_record_fault(struct vmsm_job *job, struct vmsm_cp *cp,
				  struct vmsm_gpu_access *acc)
{
	struct drm_vmsm_fault_info *info = &job->vm->last_fault;
	struct drm_vmsm_fault_info copy;

	spin_lock(&job->vm->fault_lock);
	info->type = vmsm_fault_type(cp, acc);
	info->address = cp->status == VMSM_CP_FAULT ? acc->fault_va : cp->err_va;
	info->write = cp->status == VMSM_CP_FAULT && acc->fault_write;
	info->queue_id = job->queue->id;
	info->faults = atomic_inc_return(&job->vm->faults);
	copy = *info;
	spin_unlock(&job->vm->fault_lock);
	vmsm_fault_log_add(job, &copy);
	vmsm_dump_job(job, &copy);
}

static void vmsm_job_report(struct vmsm_job *job, struct vmsm_cp *cp,
			    struct vmsm_gpu_access *acc)
{
	struct vmsm_device *vdev = job->vdev;

	vmsm_job_record_fault(job, cp, acc);
	atomic_inc(&vdev->nr_faults);
	dma_fence_set_error(job->hw_fence,
			    cp->status == VMSM_CP_ABORTED ? -ETIMEDOUT : -EIO);

	if (cp->status == VMSM_CP_FAULT)
		drm_dbg_driver(&vdev->drm,
			       "GPU %s fault at 0x%llx (pte 0x%llx), queue %u, packet at 0x%llx\n",
			       acc->fault_write ? "write" : "read", acc->fault_va,
			       acc->fault_pte, job->queue->id, cp->err_va);
	else
		drm_dbg_driver(&vdev->drm, "GPU job stopped: %s, queue %u, packet at 0x%llx\n",
			       vmsm_fault_name(vmsm_fault_type(cp, acc)), job->queue->id,
			       cp->err_va);
}

static void vmsm_job_exec(struct work_struct *work)
{
	struct vmsm_job *job = container_of(work, struct vmsm_job, exec_work);
	struct vmsm_gpu_access acc = { .job = job };
	struct vmsm_cp cp = { .ops = &vmsm_gpu_mem_ops, .ctx = &acc };
	bool cookie = dma_fence_begin_signalling();
	unsigned int i;

	if (job->bind) {
		vmsm_bind_exec(job->bind, job->vm);
		goto signal;
	}
	acc.srcu_idx = srcu_read_lock(&job->vdev->mmu_srcu);
	for (i = 0; i < job->nr_cmds && cp.status == VMSM_CP_OK; i++) {
		if (READ_ONCE(job->abort))
			cp.status = VMSM_CP_ABORTED;
		else
			vmsm_cp_execute(&cp, job->cmds[i].iova, job->cmds[i].size);
	}
	srcu_read_unlock(&job->vdev->mmu_srcu, acc.srcu_idx);
	if (cp.status != VMSM_CP_OK)
		vmsm_job_report(job, &cp, &acc);
signal:
	WRITE_ONCE(container_of(job->base.sched, struct vmsm_ring, sched)->completed,
		   job->hw_fence->seqno);
	dma_fence_signal(job->hw_fence);
	dma_fence_end_signalling(cookie);
}

static struct dma_fence *vmsm_sched_run_job(struct drm_sched_job *sched_job)
{
	struct vmsm_job *job = to_vmsm_job(sched_job);
	struct vmsm_ring *ring = container_of(sched_job->sched, struct vmsm_ring, sched);
	struct dma_fence *fence;

	/*
	 * Dependencies failed, or the scheduler is tearing down: skip it.
	 * A bind job still runs: the VM's mappings already changed.
	 */
	if (unlikely(sched_job->s_fence->finished.error) && !job->bind)
		return NULL;

	fence = vmsm_hw_fence_create(ring);
	if (!fence)
		return ERR_PTR(-ENOMEM);

	INIT_WORK(&job->exec_work, vmsm_job_exec);
	/*
	 * The scheduler starts the job's timeout before calling run_job():
	 * the timeout handler may look at the job concurrently. Publish the
	 * fence only once the work it flushes is initialized.
	 */
	smp_store_release(&job->hw_fence, fence);
	queue_work(ring->wq, &job->exec_work);
	return dma_fence_get(fence);
}

/*
 * Puts a job the scheduler took off its pending list for the timeout
 * handler back at the head of the list, and kicks the scheduler's free
 * work, which skipped the job if its fence signalled meanwhile. The job
 * may be freed as soon as the list lock is dropped.
 */
static void vmsm_sched_requeue_job(struct drm_gpu_scheduler *sched,
				   struct drm_sched_job *sched_job)
{
	spin_lock(&sched->job_list_lock);
	list_add(&sched_job->list, &sched->pending_list);
	spin_unlock(&sched->job_list_lock);
	drm_sched_wqueue_start(sched);
}

static enum drm_gpu_sched_stat vmsm_sched_timedout_job(struct drm_sched_job *sched_job)
{
	struct vmsm_job *job = to_vmsm_job(sched_job);
	struct drm_gpu_scheduler *sched = sched_job->sched;
	struct vmsm_device *vdev = job->vdev;
	struct dma_fence *hw_fence;

	/*
	 * vmsm_gpu_fini() waits for nr_jobs to drop to zero before it tears
	 * the rings down: count this handler as a job until it no longer
	 * touches the scheduler, since the job itself may be freed as soon
	 * as it is back on the pending list.
	 */
	atomic_inc(&vdev->nr_jobs);

	/*
	 * A job whose hardware fence signalled (or that never got one:
	 * run_job() skipped it or has not published it yet) is not hung:
	 * its completion raced with the timer. Leave it alone.
	 */
	hw_fence = smp_load_acquire(&job->hw_fence);
	if (hw_fence && !dma_fence_is_signaled(hw_fence)) {
		/*
		 * Stop the job where the command processor is, and wait for
		 * the ring's work to return: it signals the hardware fence
		 * with -ETIMEDOUT and marks the context faulty. The jobs
		 * behind it then run on the ring as usual.
		 */
		WRITE_ONCE(job->abort, true);
		flush_work(&job->exec_work);
	}

	vmsm_sched_requeue_job(sched, sched_job);
	/* The job may be gone from here on. */
	if (atomic_dec_and_test(&vdev->nr_jobs))
		wake_up_var(&vdev->nr_jobs);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void vmsm_sched_free_job(struct drm_sched_job *sched_job)
{
	vmsm_job_free(to_vmsm_job(sched_job));
}

static const struct drm_sched_backend_ops vmsm_sched_ops = {
	.run_job = vmsm_sched_run_job,
	.timedout_job = vmsm_sched_timedout_job,
	.free_job = vmsm_sched_free_job,
};

/**
 * vmsm_job_free() - release a job and everything it holds
 * @job: the job; its scheduler part must be initialized
 */
void vmsm_job_free(struct vmsm_job *job)
{
	struct vmsm_device *vdev = job->vdev;
	struct vmsm_queue *queue = job->queue;
	struct vmsm_vm *vm = job->vm;
	u32 i;

	if (job->fence_id)
		dma_fence_put(xa_erase(&job->queue->fences, job->fence_id));
	drm_sched_job_cleanup(&job->base);
	dma_fence_put(job->hw_fence);
	if (job->bind)
		vmsm_bind_free(job->bind, job->vm);
	for (i = 0; i < job->nr_bos; i++)
		drm_gem_object_put(job->bos[i]);
	kvfree(job->bos);
	kfree(job);
	vmsm_queue_put(queue);
	/*
	 * The job is gone for vmsm_gpu_fini() before its VM goes: the VM's
	 * last reference may be the device's, whose release waits for that.
	 * Until then the VM keeps the device alive.
	 */
	if (atomic_dec_and_test(&vdev->nr_jobs))
		wake_up_var(&vdev->nr_jobs);
	vmsm_vm_put_deferred(vm);
}

static int vmsm_ring_init(struct vmsm_device *vdev, unsigned int id)
{
	struct vmsm_ring *ring = &vdev->rings[id];
	struct drm_sched_init_args args = {
		.ops = &vmsm_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = 64,
		.timeout = msecs_to_jiffies(vdev->job_timeout_ms),
		.name = ring->name,
		.dev = vdev->drm.dev,
	};
	int ret;

	ring->vdev = vdev;
	ring->id = id;
	spin_lock_init(&ring->fence_lock);
	ring->fence_context = dma_fence_context_alloc(1);
	snprintf(ring->name, sizeof(ring->name), "vmsm%d-ring%u", vdev->index, id);

	ring->wq = alloc_ordered_workqueue("%s", 0, ring->name);
	if (!ring->wq)
		return -ENOMEM;

	ret = drm_sched_init(&ring->sched, &args);
	if (ret) {
		destroy_workqueue(ring->wq);
		ring->wq = NULL;
	}
	return ret;
}

static void vmsm_ring_fini(struct vmsm_ring *ring)
{
	if (!ring->wq)
		return;
	drm_sched_fini(&ring->sched);
	destroy_workqueue(ring->wq);
	ring->wq = NULL;
}

/**
 * vmsm_gpu_init() - bring up the command processor rings
 * @vdev: the device
 *
 * Return: 0 or a negative errno; on failure nothing is left initialized.
 */
int vmsm_gpu_init(struct vmsm_device *vdev)
{
	unsigned int i;
	int ret;

	spin_lock_init(&vdev->fault_log.lock);
	ret = vmsm_vm_bind_init(vdev);
	if (ret)
		return ret;
	for (i = 0; i < VMSM_NR_RINGS; i++) {
		ret = vmsm_ring_init(vdev, i);
		if (ret)
			goto err_fini;
	}
	return 0;

err_fini:
	while (i--)
		vmsm_ring_fini(&vdev->rings[i]);
	vmsm_vm_bind_fini(vdev);
	return ret;
}

/**
 * vmsm_gpu_fini() - stop the rings once every job is done and freed
 * @vdev: the device, with no file open any more
 *
 * Jobs still on a ring run to completion (or to their timeout); their
 * scheduler frees them, then the rings go away.
 */
void vmsm_gpu_fini(struct vmsm_device *vdev)
{
	unsigned int i;

	wait_var_event(&vdev->nr_jobs, !atomic_read(&vdev->nr_jobs));
	vmsm_dump_fini(vdev);
	for (i = 0; i < VMSM_NR_RINGS; i++)
		vmsm_ring_fini(&vdev->rings[i]);
	vmsm_vm_bind_fini(vdev);
}

/**
 * vmsm_queue_create() - create a submit queue on a ring
 * @vdev: the device
 * @vm: address space of the queue's jobs; the queue takes a reference
 * @id: queue id within the file
 * @ring: ring index
 *
 * Return: the queue with one reference, or an ERR_PTR.
 */
struct vmsm_queue *vmsm_queue_create(struct vmsm_device *vdev, struct vmsm_vm *vm,
				     u32 id, unsigned int ring)
{
	struct drm_gpu_scheduler *sched = &vdev->rings[ring].sched;
	struct vmsm_queue *queue;
	int ret;

	queue = kzalloc(sizeof(*queue), GFP_KERNEL);
	if (!queue)
		return ERR_PTR(-ENOMEM);

	ret = drm_sched_entity_init(&queue->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret) {
		kfree(queue);
		return ERR_PTR(ret);
	}

	kref_init(&queue->ref);
	queue->vdev = vdev;
	queue->vm = vmsm_vm_get(vm);
	queue->id = id;
	xa_init_flags(&queue->fences, XA_FLAGS_ALLOC1);
	mutex_init(&queue->lock);
	return queue;
}

static void vmsm_queue_release(struct kref *ref)
{
	struct vmsm_queue *queue = container_of(ref, struct vmsm_queue, ref);

	xa_destroy(&queue->fences);
	mutex_destroy(&queue->lock);
	vmsm_vm_put(queue->vm);
	kfree(queue);
}

/**
 * vmsm_queue_put() - drop a reference on a queue
 * @queue: the queue
 */
void vmsm_queue_put(struct vmsm_queue *queue)
{
	kref_put(&queue->ref, vmsm_queue_release);
}

/**
 * vmsm_queue_close() - close a queue: flush its entity, drop the file's ref
 * @queue: the queue
 *
 * Jobs already handed to the ring run to completion and keep the queue
 * alive until they are freed.
 */
void vmsm_queue_close(struct vmsm_queue *queue)
{
	drm_sched_entity_destroy(&queue->entity);
	vmsm_queue_put(queue);
}
