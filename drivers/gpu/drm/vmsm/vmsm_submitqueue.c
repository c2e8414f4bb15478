// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: submit queues (driver side)
 *
 * A file's queues live in an xarray keyed by queue id; id 0 is created
 * when the file is opened and lives as long as the file. Every user of a
 * queue (an ioctl, a job) holds a reference, so closing a queue while its
 * jobs run is safe: the jobs keep it until they are freed.
 */

#include <linux/uaccess.h>

#include <drm/vmsm_drm.h>

#include "vmsm_drv.h"

/**
 * vmsm_submitqueue_init() - create a file's default queue
 * @priv: the file's state
 *
 * Return: 0 or a negative errno.
 */
int vmsm_submitqueue_init(struct vmsm_file_priv *priv)
{
	struct vmsm_queue *queue;
	int ret;

	xa_init_flags(&priv->queues, XA_FLAGS_ALLOC);
	queue = vmsm_queue_create(priv->vdev, priv->vm, 0, VMSM_DEFAULT_PRIO);
	if (IS_ERR(queue))
		return PTR_ERR(queue);

	ret = xa_insert(&priv->queues, 0, queue, GFP_KERNEL);
	if (ret)
		vmsm_queue_close(queue);
	return ret;
}

/**
 * vmsm_submitqueue_fini() - close every queue of a closing file
 * @priv: the file's state
 */
void vmsm_submitqueue_fini(struct vmsm_file_priv *priv)
{
	struct vmsm_queue *queue;
	unsigned long id;

	xa_for_each(&priv->queues, id, queue)
		vmsm_queue_close(queue);
	xa_destroy(&priv->queues);
}

/**
 * vmsm_submitqueue_get() - look up a queue and take a reference
 * @priv: the file's state
 * @id: queue id
 *
 * Return: the queue, to release with vmsm_queue_put(), or NULL.
 */
struct vmsm_queue *vmsm_submitqueue_get(struct vmsm_file_priv *priv, u32 id)
{
	struct vmsm_queue *queue;

	xa_lock(&priv->queues);
	queue = xa_load(&priv->queues, id);
	if (queue)
		kref_get(&queue->ref);
	xa_unlock(&priv->queues);
	return queue;
}

/**
 * vmsm_ioctl_submitqueue_new() - DRM_IOCTL_VMSM_SUBMITQUEUE_NEW handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_submitqueue
 * @file: the DRM file the queue belongs to
 *
 * With %VMSM_SUBMITQUEUE_PRIVATE_VM the queue gets an address space of
 * its own, with kernel-assigned addresses, and its own fault state.
 *
 * Return: 0, -EINVAL for bad flags, padding or priority, -ENOMEM, -EBUSY
 * when the file has no queue id left.
 */
int vmsm_ioctl_submitqueue_new(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct vmsm_file_priv *priv = file->driver_priv;
	struct drm_vmsm_submitqueue *args = data;
	struct vmsm_queue *queue;
	struct vmsm_vm *vm;
	u32 id;
	int ret;

	if (args->flags & ~VMSM_SUBMITQUEUE_FLAGS || args->pad ||
	    args->prio >= VMSM_NR_RINGS)
		return -EINVAL;

	vm = priv->vm;
	if (args->flags & VMSM_SUBMITQUEUE_PRIVATE_VM) {
		vm = vmsm_vm_create(priv->vdev, VMSM_VM_CONTEXT);
		if (IS_ERR(vm))
			return PTR_ERR(vm);
	}
	queue = vmsm_queue_create(priv->vdev, vm, 0, args->prio);
	if (vm != priv->vm)
		vmsm_vm_put(vm);	/* the queue holds it now */
	if (IS_ERR(queue))
		return PTR_ERR(queue);

	ret = xa_alloc(&priv->queues, &id, queue, XA_LIMIT(1, U16_MAX), GFP_KERNEL);
	if (ret) {
		vmsm_queue_close(queue);
		return ret;
	}
	queue->id = id;
	args->id = id;
	return 0;
}

/**
 * vmsm_ioctl_submitqueue_close() - DRM_IOCTL_VMSM_SUBMITQUEUE_CLOSE handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_submitqueue_close
 * @file: the DRM file the queue belongs to
 *
 * Return: 0, -EINVAL for padding or the default queue, -ENOENT.
 */
int vmsm_ioctl_submitqueue_close(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct vmsm_file_priv *priv = file->driver_priv;
	struct drm_vmsm_submitqueue_close *args = data;
	struct vmsm_queue *queue;

	if (args->pad || !args->id)
		return -EINVAL;

	queue = xa_erase(&priv->queues, args->id);
	if (!queue)
		return -ENOENT;
	vmsm_queue_close(queue);
	return 0;
}

static void vmsm_fault_info_get(struct vmsm_vm *vm, struct drm_vmsm_fault_info *info)
{
	spin_lock(&vm->fault_lock);
	*info = vm->last_fault;
	spin_unlock(&vm->fault_lock);
	info->faults = atomic_read(&vm->faults);
}

/**
 * vmsm_ioctl_submitqueue_query() - DRM_IOCTL_VMSM_SUBMITQUEUE_QUERY handler
 * @drm: the DRM device
 * @data: a &struct drm_vmsm_submitqueue_query
 * @file: the DRM file the queue belongs to
 *
 * Return: 0, -EINVAL for a bad parameter, padding or a too small buffer,
 * -ENOENT for a bad queue, -EFAULT.
 */
int vmsm_ioctl_submitqueue_query(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct vmsm_file_priv *priv = file->driver_priv;
	struct drm_vmsm_submitqueue_query *args = data;
	struct drm_vmsm_fault_info info;
	struct vmsm_queue *queue;

	if (args->pad || args->param != VMSM_QUERY_FAULTS)
		return -EINVAL;

	queue = vmsm_submitqueue_get(priv, args->id);
	if (!queue)
		return -ENOENT;
	vmsm_fault_info_get(queue->vm, &info);
	vmsm_queue_put(queue);

	if (!args->len) {
		args->len = sizeof(info);
		return 0;
	}
	if (args->len < sizeof(info))
		return -EINVAL;

	if (copy_to_user(u64_to_user_ptr(args->data), &info, sizeof(info)))
		return -EFAULT;
	args->len = sizeof(info);
	return 0;
}
