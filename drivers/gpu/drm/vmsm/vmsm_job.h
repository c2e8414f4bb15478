/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_JOB_H__
#define __VMSM_JOB_H__

#include <linux/dma-fence.h>
#include <linux/workqueue.h>

#include <drm/gpu_scheduler.h>

#include "vmsm_drv.h"

/**
 * struct vmsm_job_cmd - a command buffer of a job
 * @iova: GPU virtual address of the commands
 * @size: number of dwords
 */
struct vmsm_job_cmd {
	u64 iova;
	u32 size;
};

/**
 * struct vmsm_job - one submitted job
 * @base: scheduler job, embedded
 * @vdev: the device
 * @vm: address space the job runs in (reference)
 * @queue: queue it was submitted on (reference)
 * @fence_id: id of the job's finished fence in @queue
 * @hw_fence: hardware fence, signalled by the ring when the job is done;
 *	set once by run_job() (a release, after @exec_work is initialized),
 *	read by the timeout handler (an acquire)
 * @exec_work: runs the job on its ring's workqueue
 * @abort: set by the timeout handler to stop the job; the command processor
 *	checks it between packets and while a WAIT_MEM polls
 * @bos: objects the job uses (references)
 * @nr_bos: number of @bos
 * @bind: the VM_BIND operations of a bind job, NULL for a GPU job
 * @nr_cmds: number of @cmds
 * @cmds: command buffers
 */
struct vmsm_job {
	struct drm_sched_job base;
	struct vmsm_device *vdev;
	struct vmsm_vm *vm;
	struct vmsm_queue *queue;
	u32 fence_id;
	struct dma_fence *hw_fence;
	struct work_struct exec_work;
	bool abort;
	struct drm_gem_object **bos;
	u32 nr_bos;
	struct vmsm_bind *bind;
	u32 nr_cmds;
	struct vmsm_job_cmd cmds[] __counted_by(nr_cmds);
};

static inline struct vmsm_job *to_vmsm_job(struct drm_sched_job *job)
{
	return container_of(job, struct vmsm_job, base);
}

void vmsm_job_free(struct vmsm_job *job);

#endif /* __VMSM_JOB_H__ */
