// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: submit path
 *
 * DRM_IOCTL_VMSM_GEM_SUBMIT, in order:
 *
 * 1. check the arguments, allocate the job, take its VM and queue;
 * 2. copy in and look up the BO list, map every object into the file's
 *    VM (this may allocate, so it happens before any reservation lock is
 *    taken) and copy the GPU addresses back;
 * 3. copy in the command buffers and resolve those given by handle;
 * 4. gather the in-fences (sync_file, syncobjs) as scheduler dependencies
 *    and prepare the out-syncobjs (timeline chain nodes are allocated
 *    here) and the out-fence file descriptor;
 * 5. lock every object's reservation with drm_exec (which finds an
 *    object listed twice: -EINVAL), add the implicit dependencies
 *    unless %VMSM_SUBMIT_NO_IMPLICIT, hand every object to
 *    the device (ownership transfer, see "coherency"; -EBUSY in strict
 *    mode for an object the CPU still owns), and in a VM_BIND address
 *    space also the objects the CPU holds that the space maps;
 * 6. under the queue lock: reserve the fence id, arm the job, publish its
 *    finished fence (fence id, reservations), push it. Nothing after
 *    arming can fail;
 * 7. signal the out-syncobjs and install the out-fence.
 */

#include <linux/dma-fence-chain.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_utils.h>
#include <drm/vmsm_drm.h>

#include "vmsm_job.h"

/* Output syncobjs of a submit, prepared before the point of no return. */
struct vmsm_submit_post {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

/* Everything a submit gathers before it arms the job. */
struct vmsm_submit {
	struct drm_file *file;
	struct drm_vmsm_gem_submit *args;
	struct vmsm_job *job;
	u32 *bo_flags;
	u64 *bo_iova;
	struct vmsm_submit_post *post;
	u32 nr_post;
	int out_fd;
	int (*commit)(struct vmsm_job *job);
	struct dma_fence **done;
	struct drm_gem_object **held;
	int nr_held;
};

static int vmsm_submit_check(const struct drm_vmsm_gem_submit *args)
{
	if (args->flags & ~VMSM_SUBMIT_FLAGS)
		return -EINVAL;
	if (!args->nr_cmds || args->nr_cmds > VMSM_SUBMIT_MAX_CMDS ||
	    args->nr_bos > VMSM_SUBMIT_MAX_BOS ||
	    args->nr_in_syncobjs > VMSM_SUBMIT_MAX_SYNCOBJS ||
	    args->nr_out_syncobjs > VMSM_SUBMIT_MAX_SYNCOBJS)
		return -EINVAL;
	return 0;
}

/**
 * vmsm_job_alloc() - allocate a job for a queue of a file
 * @vdev: the device
 * @priv: the file's state (the scheduler's job owner); the job takes a
 *	reference on the queue's VM
 * @queue: the queue; the job takes a reference on it
 * @file: the DRM file
 * @nr_cmds: number of command buffers (0 for a bind job)
 *
 * Return: the job, its scheduler part initialized, or an ERR_PTR.
 */
struct vmsm_job *vmsm_job_alloc(struct vmsm_device *vdev,
				struct vmsm_file_priv *priv,
				struct vmsm_queue *queue,
				struct drm_file *file, u32 nr_cmds)
{
	struct vmsm_job *job;
	int ret;

	job = kzalloc(struct_size(job, cmds, nr_cmds), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);
	job->nr_cmds = nr_cmds;

	ret = drm_sched_job_init(&job->base, &queue->entity, 1, priv,
				 file->client_id);
	if (ret) {
		kfree(job);
		return ERR_PTR(ret);
	}

	atomic_inc(&vdev->nr_jobs);
	job->vdev = vdev;
	job->vm = vmsm_vm_get(queue->vm);
	kref_get(&queue->ref);
	job->queue = queue;
	return job;
}

/*
 * Looks up the BO list's handles in one pass under the file's handle
 * table lock (as drm_gem_objects_lookup() does for a plain handle array),
 * after checking every entry's flags.
 */
static int vmsm_submit_lookup_bos(struct vmsm_submit *s,
				  const struct drm_vmsm_submit_bo *bos, u32 n)
{
	struct drm_file *file = s->file;
	struct vmsm_job *job = s->job;
	struct drm_gem_object *obj;
	int ret = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		if (!bos[i].flags || (bos[i].flags & ~VMSM_SUBMIT_BO_FLAGS))
			return -EINVAL;
		s->bo_flags[i] = bos[i].flags;
	}

	spin_lock(&file->table_lock);
	for (i = 0; i < n; i++) {
		obj = idr_find(&file->object_idr, bos[i].handle);
		if (!obj) {
			ret = -ENOENT;
			break;
		}
		drm_gem_object_get(obj);
		job->bos[i] = obj;
	}
	job->nr_bos = i;
	spin_unlock(&file->table_lock);
	return ret;
}

/* Copies the objects' GPU addresses back into the BO list. */
static int vmsm_submit_put_iovas(struct vmsm_submit *s,
				 struct drm_vmsm_submit_bo __user *ubos, u32 n)
{
	u32 i;

	if (!user_write_access_begin(ubos, array_size(n, sizeof(*ubos))))
		return -EFAULT;
	for (i = 0; i < n; i++)
		unsafe_put_user(s->bo_iova[i], &ubos[i].iova, efault);
	user_write_access_end();
	return 0;

efault:
	user_write_access_end();
	return -EFAULT;
}

static int vmsm_submit_bos(struct vmsm_submit *s)
{
	struct drm_vmsm_gem_submit *args = s->args;
	struct drm_vmsm_submit_bo __user *ubos = u64_to_user_ptr(args->bos);
	struct drm_vmsm_submit_bo *bos;
	struct vmsm_job *job = s->job;
	int ret = 0;

	if (!args->nr_bos)
		return 0;

	bos = vmemdup_array_user(ubos, args->nr_bos, sizeof(*bos));
	if (IS_ERR(bos))
		return PTR_ERR(bos);

	job->bos = kvcalloc(args->nr_bos, sizeof(*job->bos), GFP_KERNEL);
	s->bo_flags = kvcalloc(args->nr_bos, sizeof(*s->bo_flags), GFP_KERNEL);
	s->bo_iova = kvcalloc(args->nr_bos, sizeof(*s->bo_iova), GFP_KERNEL);
	if (!job->bos || !s->bo_flags || !s->bo_iova)
		ret = -ENOMEM;

	if (!ret)
		ret = vmsm_submit_lookup_bos(s, bos, args->nr_bos);
	/* With userspace-managed addresses the BO list maps nothing. */
	if (!ret && !vmsm_vm_is_user_va(job->vm))
		ret = vmsm_vm_get_iovas(job->vm, job->bos, job->nr_bos, s->bo_iova);
	if (!ret)
		ret = vmsm_submit_put_iovas(s, ubos, job->nr_bos);
	kvfree(bos);
	return ret;
}

static int vmsm_submit_cmd_in_bo(struct vmsm_submit *s, struct vmsm_job_cmd *cmd,
				 const struct drm_vmsm_submit_cmd *ucmd)
{
	struct drm_gem_object *obj;
	int ret = -EINVAL;
	u32 i;

	if (!IS_ALIGNED(ucmd->offset, 4) || vmsm_vm_is_user_va(s->job->vm))
		return -EINVAL;
	obj = drm_gem_object_lookup(s->file, ucmd->handle);
	if (!obj)
		return -ENOENT;

	for (i = 0; i < s->job->nr_bos; i++) {
		if (s->job->bos[i] != obj)
			continue;
		if ((u64)ucmd->offset + (u64)ucmd->size * 4 <= obj->size) {
			cmd->iova = s->bo_iova[i] + ucmd->offset;
			ret = 0;
		}
		break;
	}
	drm_gem_object_put(obj);
	return ret;
}

static int vmsm_submit_resolve_cmd(struct vmsm_submit *s, struct vmsm_job_cmd *cmd,
				   const struct drm_vmsm_submit_cmd *ucmd)
{
	if (ucmd->pad || !ucmd->size || ucmd->size > VMSM_CP_COUNT_MASK + 1)
		return -EINVAL;
	cmd->size = ucmd->size;
	if (!ucmd->handle) {
		cmd->iova = ucmd->iova;
		return 0;
	}
	return vmsm_submit_cmd_in_bo(s, cmd, ucmd);
}

static int vmsm_submit_cmds(struct vmsm_submit *s)
{
	struct drm_vmsm_submit_cmd *cmds;
	int ret = 0;
	u32 i;

	cmds = memdup_array_user(u64_to_user_ptr(s->args->cmds), s->args->nr_cmds,
				 sizeof(*cmds));
	if (IS_ERR(cmds))
		return PTR_ERR(cmds);

	for (i = 0; !ret && i < s->args->nr_cmds; i++)
		ret = vmsm_submit_resolve_cmd(s, &s->job->cmds[i], &cmds[i]);
	kfree(cmds);
	return ret;
}

static int vmsm_submit_in_syncobjs(struct vmsm_submit *s)
{
	struct drm_vmsm_syncobj *in;
	struct dma_fence *fence;
	int ret = 0;
	u32 i;

	if (!s->args->nr_in_syncobjs)
		return 0;
	in = memdup_array_user(u64_to_user_ptr(s->args->in_syncobjs),
			       s->args->nr_in_syncobjs, sizeof(*in));
	if (IS_ERR(in))
		return PTR_ERR(in);

	for (i = 0; !ret && i < s->args->nr_in_syncobjs; i++) {
		if (in[i].flags) {
			ret = -EINVAL;
			break;
		}
		ret = drm_syncobj_find_fence(s->file, in[i].handle, in[i].point, 0, &fence);
		if (!ret)
			ret = drm_sched_job_add_dependency(&s->job->base, fence);
	}
	kfree(in);
	return ret;
}

static int vmsm_submit_in_fences(struct vmsm_submit *s)
{
	struct dma_fence *fence;
	int ret;

	if (s->args->flags & VMSM_SUBMIT_FENCE_FD_IN) {
		fence = sync_file_get_fence(s->args->fence_fd);
		if (!fence)
			return -EINVAL;
		ret = drm_sched_job_add_dependency(&s->job->base, fence);
		if (ret)
			return ret;
	}
	return vmsm_submit_in_syncobjs(s);
}

static int vmsm_submit_prepare_post(struct vmsm_submit *s, struct vmsm_submit_post *p,
				    const struct drm_vmsm_syncobj *out)
{
	if (out->flags)
		return -EINVAL;
	p->syncobj = drm_syncobj_find(s->file, out->handle);
	if (!p->syncobj)
		return -ENOENT;
	p->point = out->point;
	if (out->point) {
		p->chain = dma_fence_chain_alloc();
		if (!p->chain)
			return -ENOMEM;
	}
	return 0;
}

static int vmsm_submit_out_syncobjs(struct vmsm_submit *s)
{
	struct drm_vmsm_syncobj *out;
	int ret = 0;
	u32 i;

	if (!s->args->nr_out_syncobjs)
		return 0;
	out = memdup_array_user(u64_to_user_ptr(s->args->out_syncobjs),
				s->args->nr_out_syncobjs, sizeof(*out));
	if (IS_ERR(out))
		return PTR_ERR(out);

	s->post = kcalloc(s->args->nr_out_syncobjs, sizeof(*s->post), GFP_KERNEL);
	if (!s->post)
		ret = -ENOMEM;
	for (i = 0; !ret && i < s->args->nr_out_syncobjs; i++) {
		s->nr_post = i + 1;
		ret = vmsm_submit_prepare_post(s, &s->post[i], &out[i]);
	}
	kfree(out);
	return ret;
}

static void vmsm_submit_signal_post(struct vmsm_submit *s, struct dma_fence *done)
{
	struct vmsm_submit_post *p;
	u32 i;

	for (i = 0; i < s->nr_post; i++) {
		p = &s->post[i];
		if (p->chain) {
			drm_syncobj_add_point(p->syncobj, p->chain, done, p->point);
			p->chain = NULL;
		} else {
			drm_syncobj_replace_fence(p->syncobj, done);
		}
	}
}

static void vmsm_submit_cleanup(struct vmsm_submit *s)
{
	u32 i;

	for (i = 0; i < s->nr_post; i++) {
		dma_fence_chain_free(s->post[i].chain);
		if (s->post[i].syncobj)
			drm_syncobj_put(s->post[i].syncobj);
	}
	kfree(s->post);
	kvfree(s->bo_flags);
	kvfree(s->bo_iova);
	while (s->nr_held > 0)
		drm_gem_object_put(s->held[--s->nr_held]);
	kvfree(s->held);
	if (s->out_fd >= 0)
		put_unused_fd(s->out_fd);
}

/* A GPU job in a VM_BIND address space reaches objects it does not name. */
static bool vmsm_submit_reaches_unnamed(struct vmsm_job *job)
{
	return !job->bind && vmsm_vm_is_user_va(job->vm);
}

static int vmsm_submit_lock(struct vmsm_submit *s, struct drm_exec *exec)
{
	struct vmsm_job *job = s->job;
	bool implicit = !(s->args->flags & VMSM_SUBMIT_NO_IMPLICIT);
	int ret = 0;
	u32 i;

	drm_exec_until_all_locked(exec) {
		for (i = 0; i < job->nr_bos; i++) {
			ret = drm_exec_prepare_obj(exec, job->bos[i], 1);
			drm_exec_retry_on_contention(exec);
			/* drm_exec finds an object listed twice. */
			if (ret == -EALREADY)
				return -EINVAL;
			if (ret)
				return ret;
		}
		for (i = 0; i < s->nr_held; i++) {
			ret = drm_exec_lock_obj(exec, s->held[i]);
			drm_exec_retry_on_contention(exec);
			/* Listed too, or sharing a listed import's reservation. */
			if (ret && ret != -EALREADY)
				return ret;
		}
	}

	for (i = 0; implicit && i < job->nr_bos; i++) {
		bool write = s->bo_flags[i] & VMSM_SUBMIT_BO_WRITE;

		ret = drm_sched_job_add_implicit_dependencies(&job->base, job->bos[i], write);
		if (ret)
			return ret;
	}

	/* Ownership goes to the device here, before the job can run. */
	for (i = 0; i < job->nr_bos; i++) {
		ret = vmsm_coherency_device_begin(to_vmsm_bo(job->bos[i]),
						  s->bo_flags[i] & VMSM_SUBMIT_BO_WRITE);
		if (ret)
			return ret;
	}
	/* In a VM_BIND address space, also what the job reaches unnamed. */
	if (vmsm_submit_reaches_unnamed(job))
		return vmsm_coherency_vm_handover(s->held, s->nr_held);
	return 0;
}

static int vmsm_submit_install_fence(struct vmsm_submit *s, struct dma_fence *done)
{
	struct sync_file *sync_file;

	/* The job is queued already: on failure it runs, without an fd. */
	sync_file = sync_file_create(done);
	if (!sync_file)
		return -ENOMEM;
	fd_install(s->out_fd, sync_file->file);
	s->args->fence_fd = s->out_fd;
	s->out_fd = -1;
	return 0;
}

/* The point of no return: nothing in here may fail. */
static void vmsm_submit_push(struct vmsm_submit *s, struct dma_fence *done)
{
	struct vmsm_job *job = s->job;
	u32 i;

	xa_store(&job->queue->fences, job->fence_id, dma_fence_get(done), GFP_KERNEL);
	for (i = 0; i < job->nr_bos; i++)
		dma_resv_add_fence(job->bos[i]->resv, done,
				   s->bo_flags[i] & VMSM_SUBMIT_BO_WRITE ?
				   DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
	drm_sched_entity_push_job(&job->base);
}

static int vmsm_submit_queue(struct vmsm_submit *s)
{
	struct vmsm_queue *queue = s->job->queue;
	struct dma_fence *done;
	struct drm_exec exec;
	int ret;

	if (vmsm_submit_reaches_unnamed(s->job)) {
		s->nr_held = vmsm_coherency_vm_held(s->job->vm, &s->held);
		if (s->nr_held < 0)
			return s->nr_held;
	}
	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT, s->job->nr_bos + s->nr_held);
	ret = vmsm_submit_lock(s, &exec);
	if (ret)
		goto out;

	mutex_lock(&queue->lock);
	ret = xa_reserve(&queue->fences, queue->last_fence + 1, GFP_KERNEL);
	if (ret) {
		mutex_unlock(&queue->lock);
		goto out;
	}
	ret = s->commit ? s->commit(s->job) : 0;
	if (ret) {
		mutex_unlock(&queue->lock);
		goto out;
	}
	s->job->fence_id = ++queue->last_fence;
	s->args->fence = s->job->fence_id;
	drm_sched_job_arm(&s->job->base);
	done = dma_fence_get(&s->job->base.s_fence->finished);
	if (s->done)
		*s->done = dma_fence_get(done);
	/* Once pushed, the job may run and be freed at any time. */
	vmsm_submit_push(s, done);
	s->job = NULL;
	mutex_unlock(&queue->lock);

	vmsm_submit_signal_post(s, done);
	if (s->out_fd >= 0)
		ret = vmsm_submit_install_fence(s, done);
	dma_fence_put(done);
out:
	drm_exec_fini(&exec);
	return ret;
}

static int vmsm_submit_fences(struct vmsm_submit *s)
{
	int ret;

	ret = vmsm_submit_in_fences(s);
	if (!ret)
		ret = vmsm_submit_out_syncobjs(s);
	if (!ret && (s->args->flags & VMSM_SUBMIT_FENCE_FD_OUT)) {
		s->out_fd = get_unused_fd_flags(O_CLOEXEC);
		if (s->out_fd < 0)
			ret = s->out_fd;
	}
	return ret;
}

static int vmsm_submit_gather(struct vmsm_submit *s)
{
	int ret;

	ret = vmsm_submit_bos(s);
	if (!ret)
		ret = vmsm_submit_cmds(s);
	if (!ret)
		ret = vmsm_submit_fences(s);
	return ret;
}

/**
 * vmsm_submit_queue_job() - queue a prepared job with a submit's fences
 * @file: the DRM file
 * @args: the in-fences, out-fences and flags (%VMSM_SUBMIT_FENCE_FD_*) to
 *	use; @args->fence and @args->fence_fd are set as GEM_SUBMIT does
 * @job: the job, without objects; consumed (queued or freed)
 * @commit: called under the queue lock right before the job is armed,
 *	after the last failure point but its own
 * @done: where to store a reference to the job's finished fence
 *
 * Used by VM_BIND for its bind jobs.
 *
 * Return: 0 once the job is queued, or a negative errno.
 */
int vmsm_submit_queue_job(struct drm_file *file,
			  struct drm_vmsm_gem_submit *args,
			  struct vmsm_job *job, int (*commit)(struct vmsm_job *job),
			  struct dma_fence **done)
{
	struct vmsm_submit s = {
		.file = file,
		.args = args,
		.job = job,
		.out_fd = -1,
		.commit = commit,
		.done = done,
	};
	int ret;

	ret = vmsm_submit_fences(&s);
	if (!ret)
		ret = vmsm_submit_queue(&s);
	if (s.job)
		vmsm_job_free(s.job);
	vmsm_submit_cleanup(&s);
	return ret;
}

/**
 * vmsm_ioctl_gem_submit() - DRM_IOCTL_VMSM_GEM_SUBMIT handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_gem_submit
 * @file: the submitting DRM file
 *
 * Return: 0 once the job is queued; -EINVAL for bad flags, counts,
 * command buffers, duplicate objects or fences, -ENOENT for a bad object
 * or syncobj handle or queue id, -EFAULT, -ENOMEM, -EIO if the context
 * is faulty, -ERESTARTSYS when interrupted while locking.
 */
int vmsm_ioctl_gem_submit(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vmsm_file_priv *priv = file->driver_priv;
	struct vmsm_submit s = {
		.file = file,
		.args = data,
		.out_fd = -1,
	};
	struct vmsm_queue *queue;
	int ret;

	ret = vmsm_submit_check(s.args);
	if (ret)
		return ret;
	queue = vmsm_submitqueue_get(priv, s.args->queue_id);
	if (!queue)
		return -ENOENT;
	if (atomic_read(&queue->vm->faults)) {
		vmsm_queue_put(queue);
		return -EIO;
	}
	/* The lookup reference outlives the job, which may be freed early. */
	s.job = vmsm_job_alloc(to_vmsm_device(drm), priv, queue, file, s.args->nr_cmds);
	if (IS_ERR(s.job)) {
		vmsm_queue_put(queue);
		return PTR_ERR(s.job);
	}

	ret = vmsm_submit_gather(&s);
	if (!ret)
		ret = vmsm_submit_queue(&s);

	if (s.job)
		vmsm_job_free(s.job);
	vmsm_submit_cleanup(&s);
	vmsm_queue_put(queue);
	return ret;
}

/**
 * vmsm_ioctl_wait_fence() - DRM_IOCTL_VMSM_WAIT_FENCE handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_wait_fence
 * @file: the DRM file whose queue the fence belongs to
 *
 * Return: 0 once the job is done (or was retired), -EINVAL for bad flags
 * or a fence id never handed out, -ENOENT for a bad queue, -ETIMEDOUT,
 * -ERESTARTSYS.
 */
int vmsm_ioctl_wait_fence(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vmsm_file_priv *priv = file->driver_priv;
	struct drm_vmsm_wait_fence *args = data;
	struct vmsm_queue *queue;
	struct dma_fence *fence;
	long ret;

	if (args->flags || args->pad)
		return -EINVAL;
	queue = vmsm_submitqueue_get(priv, args->queue_id);
	if (!queue)
		return -ENOENT;

	mutex_lock(&queue->lock);
	ret = (!args->fence || args->fence > queue->last_fence) ? -EINVAL : 0;
	mutex_unlock(&queue->lock);

	rcu_read_lock();
	fence = ret ? NULL : xa_load(&queue->fences, args->fence);
	if (fence)
		fence = dma_fence_get_rcu(fence);
	rcu_read_unlock();
	vmsm_queue_put(queue);
	if (!fence)
		return ret;

	ret = dma_fence_wait_timeout(fence, true,
				     drm_timeout_abs_to_jiffies(args->timeout_ns));
	dma_fence_put(fence);
	if (ret == 0)
		return -ETIMEDOUT;
	return ret < 0 ? ret : 0;
}
