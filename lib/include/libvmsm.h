/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * libvmsm: userspace access to vmsm devices, in the manner of libdrm's
 * libdrm_freedreno and libdrm_etnaviv. A Mesa driver (or a test) opens a
 * device, allocates buffer objects, builds command streams and submits
 * them; libvmsm turns that into vmsm's ioctls (include/uapi/drm/vmsm_drm.h)
 * and keeps the bookkeeping: per-object mmap and GPU address caches, the
 * buffer list of a job, relative-to-absolute timeout conversion.
 *
 * Conventions:
 *
 * - Every object is opaque and reached through functions.
 * - Functions that can fail return 0 (or a non-negative value where
 *   documented) on success and a negative errno on failure, never -1 with
 *   errno set. Errors of the kernel are passed through unchanged, so a
 *   caller can tell -EINVAL from -ENOENT exactly as the uapi documents
 *   them.
 * - Constructors return the new object through their last argument, which
 *   is left untouched on failure.
 * - Timeouts are relative, in nanoseconds: 0 polls, a negative value or
 *   %VMSM_TIMEOUT_INFINITE waits forever. The library converts them to the
 *   absolute CLOCK_MONOTONIC deadlines the uapi takes.
 * - Devices and buffer objects are reference counted; their functions may
 *   be called from several threads at once. A command stream
 *   (&struct vmsm_cs) belongs to one thread at a time.
 * - A buffer object keeps its device alive, and a command stream keeps
 *   its device and every buffer object in its list alive: the *_close()
 *   and *_free() functions drop a reference and may be called in any order.
 *
 * Build with -I<lib>/include -I<top>/include/uapi/drm -I/usr/include/libdrm and
 * link <OUT>/libvmsm.a (no other dependency than libc).
 */
#ifndef LIBVMSM_H
#define LIBVMSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsm_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/* Wait forever (any negative relative timeout does the same). */
#define VMSM_TIMEOUT_INFINITE	INT64_MAX

struct vmsm_device;
struct vmsm_bo;
struct vmsm_cs;

/*
 * Devices
 * =======
 */

/**
 * vmsm_device_open() - open the primary node of a vmsm device
 * @index: the device whose %VMSM_PARAM_DEVICE_INDEX is @index (0 for the
 *	first vmsm device the module drives)
 * @dev: receives the device
 *
 * Walks /dev/dri/card* and picks the node whose driver is "vmsm" and whose
 * device index is @index.
 *
 * Return: 0, -ENODEV if there is no such device, or another -errno.
 */
int vmsm_device_open(int index, struct vmsm_device **dev);

/**
 * vmsm_device_open_render() - as vmsm_device_open(), on the render node
 * @index: device index, see vmsm_device_open()
 * @dev: receives the device
 *
 * Return: 0 or -errno (-ENODEV if there is no such device).
 */
int vmsm_device_open_render(int index, struct vmsm_device **dev);

/**
 * vmsm_device_open_path() - open a vmsm device by node path
 * @path: e.g. "/dev/dri/renderD128"
 * @dev: receives the device
 *
 * Return: 0, -ENODEV if @path is not a vmsm node, or another -errno.
 */
int vmsm_device_open_path(const char *path, struct vmsm_device **dev);

/**
 * vmsm_device_from_fd() - wrap an already open DRM file
 * @fd: a vmsm DRM file; it is duplicated, the caller keeps @fd
 * @dev: receives the device
 *
 * Return: 0, -ENODEV if @fd is not a vmsm file, or another -errno.
 */
int vmsm_device_from_fd(int fd, struct vmsm_device **dev);

/**
 * vmsm_device_ref() - take a reference
 * @dev: device
 *
 * Return: @dev.
 */
struct vmsm_device *vmsm_device_ref(struct vmsm_device *dev);

/**
 * vmsm_device_close() - drop a reference
 * @dev: device (NULL is ignored)
 *
 * The DRM file is closed when the last reference goes, which may be when
 * the last buffer object or command stream of the device is freed.
 */
void vmsm_device_close(struct vmsm_device *dev);

/**
 * vmsm_device_fd() - the DRM file descriptor, owned by the device
 * @dev: device
 *
 * Return: the file descriptor; do not close it.
 */
int vmsm_device_fd(const struct vmsm_device *dev);

/**
 * vmsm_device_version() - the uapi version of the driver
 * @dev: device
 * @major: receives the major version (may be NULL)
 * @minor: receives the minor version (may be NULL); see the version list
 *	in vmsm_drm.h: 1 for buffer objects, 2 for submission, 3 for queues.
 */
void vmsm_device_version(const struct vmsm_device *dev, int *major,
			 int *minor);

/**
 * vmsm_device_param() - DRM_IOCTL_VMSM_GET_PARAM
 * @dev: device
 * @param: &enum drm_vmsm_param_id
 * @value: receives the value
 *
 * Constant parameters are read once and cached; %VMSM_PARAM_TIMESTAMP is
 * always read from the device.
 *
 * Return: 0 or -errno (-EINVAL for an unknown parameter).
 */
int vmsm_device_param(struct vmsm_device *dev, uint32_t param,
		      uint64_t *value);

/**
 * vmsm_wait_fence() - wait for a job to finish (DRM_IOCTL_VMSM_WAIT_FENCE)
 * @dev: device the job was submitted on
 * @queue_id: its queue (0: the default queue)
 * @fence: fence id returned by vmsm_submit()
 * @timeout_ns: relative timeout, see the conventions above
 *
 * A job that finished with an error (fault, hang) counts as finished.
 *
 * Return: 0, -ETIMEDOUT, -EINVAL for a fence id never issued on the queue,
 * or another -errno.
 */
int vmsm_wait_fence(struct vmsm_device *dev, uint32_t queue_id,
		    uint32_t fence, int64_t timeout_ns);

/*
 * Buffer objects
 * ==============
 */

/**
 * vmsm_bo_new() - allocate a buffer object (DRM_IOCTL_VMSM_GEM_NEW)
 * @dev: device
 * @size: size in bytes, rounded up to the CPU page size by the kernel
 * @flags: ``VMSM_BO_*``: exactly one cache mode (%VMSM_BO_CACHED,
 *	%VMSM_BO_CACHED_COHERENT, %VMSM_BO_WC, %VMSM_BO_UNCACHED), optionally
 *	%VMSM_BO_GPU_READONLY and %VMSM_BO_NO_SHARE
 * @bo: receives the object
 *
 * Return: 0 or -errno (-EINVAL for a bad size or bad flags).
 */
int vmsm_bo_new(struct vmsm_device *dev, uint64_t size, uint32_t flags,
		struct vmsm_bo **bo);

/**
 * vmsm_bo_from_handle() - wrap a GEM handle of the device's file
 * @dev: device
 * @handle: GEM handle; the new object owns it and closes it when freed
 * @bo: receives the object; if the device already has an object for
 *	@handle, that object with one more reference
 *
 * Return: 0 or -errno (-ENOENT for a handle the file does not have).
 */
int vmsm_bo_from_handle(struct vmsm_device *dev, uint32_t handle,
			struct vmsm_bo **bo);

/**
 * vmsm_bo_import_dmabuf() - import a dma-buf (PRIME)
 * @dev: device
 * @fd: dma-buf file descriptor; the caller keeps it
 * @bo: receives the object (the same object again for a dma-buf already
 *	imported or exported by @dev)
 *
 * Return: 0 or -errno.
 */
int vmsm_bo_import_dmabuf(struct vmsm_device *dev, int fd,
			  struct vmsm_bo **bo);

/**
 * vmsm_bo_export_dmabuf() - export as a dma-buf (PRIME)
 * @bo: object
 * @fd: receives a new dma-buf file descriptor (O_CLOEXEC | O_RDWR)
 *
 * Return: 0 or -errno (-EPERM for a %VMSM_BO_NO_SHARE object).
 */
int vmsm_bo_export_dmabuf(struct vmsm_bo *bo, int *fd);

/**
 * vmsm_bo_ref() - take a reference
 * @bo: object
 *
 * Return: @bo.
 */
struct vmsm_bo *vmsm_bo_ref(struct vmsm_bo *bo);

/**
 * vmsm_bo_free() - drop a reference
 * @bo: object (NULL is ignored)
 *
 * With the last reference the CPU mapping goes and the GEM handle is
 * closed. The kernel keeps the memory until running jobs are done with it.
 */
void vmsm_bo_free(struct vmsm_bo *bo);

/** vmsm_bo_device() - the device of @bo (no new reference) */
struct vmsm_device *vmsm_bo_device(const struct vmsm_bo *bo);
/** vmsm_bo_handle() - the GEM handle of @bo */
uint32_t vmsm_bo_handle(const struct vmsm_bo *bo);
/** vmsm_bo_size() - the size of @bo in bytes, after rounding */
uint64_t vmsm_bo_size(const struct vmsm_bo *bo);
/** vmsm_bo_flags() - the ``VMSM_BO_*`` flags of @bo */
uint32_t vmsm_bo_flags(const struct vmsm_bo *bo);

/**
 * vmsm_bo_map() - map the object into the CPU address space
 * @bo: object
 * @ptr: receives the address of the mapping
 *
 * The first call mmap()s the whole object through the offset of
 * %VMSM_INFO_GET_MMAP_OFFSET; later calls return the same mapping, which
 * lasts until the object is freed. The mapping's caching follows the
 * object's cache mode. On a non-coherent device, bracket CPU access to a
 * %VMSM_BO_CACHED object with vmsm_bo_cpu_prep() and vmsm_bo_cpu_fini().
 *
 * Return: 0 or -errno.
 */
int vmsm_bo_map(struct vmsm_bo *bo, void **ptr);

/**
 * vmsm_bo_iova() - GPU virtual address of the object
 * @bo: object
 * @iova: receives the address in the file's GPU address space
 *
 * The first call has the kernel map the object (%VMSM_INFO_GET_IOVA); the
 * address is cached and stays the same for the object's lifetime.
 *
 * Return: 0 or -errno.
 */
int vmsm_bo_iova(struct vmsm_bo *bo, uint64_t *iova);

/**
 * vmsm_bo_cpu_prep() - wait until the CPU may access the object
 * @bo: object
 * @op: %VMSM_PREP_READ and/or %VMSM_PREP_WRITE, optionally
 *	%VMSM_PREP_NOSYNC (do not wait: -EBUSY if the GPU is still using it)
 * @timeout_ns: relative timeout, see the conventions above
 *
 * Return: 0, -EBUSY, -ETIMEDOUT or another -errno.
 */
int vmsm_bo_cpu_prep(struct vmsm_bo *bo, uint32_t op, int64_t timeout_ns);

/**
 * vmsm_bo_cpu_fini() - end the CPU access begun by vmsm_bo_cpu_prep()
 * @bo: object
 *
 * Return: 0 or -errno.
 */
int vmsm_bo_cpu_fini(struct vmsm_bo *bo);

/**
 * vmsm_bo_set_name() - set the debug name shown in debugfs
 * @bo: object
 * @name: NUL-terminated name; the kernel keeps at most 31 bytes
 *
 * Return: 0 or -errno.
 */
int vmsm_bo_set_name(struct vmsm_bo *bo, const char *name);

/**
 * vmsm_bo_get_name() - read the debug name back
 * @bo: object
 * @buf: receives the name, NUL-terminated (truncated to @len - 1 bytes)
 * @len: size of @buf, at least 1
 *
 * Return: the length of the whole name (which may be @len or more when
 * the name was truncated), or -errno.
 */
int vmsm_bo_get_name(struct vmsm_bo *bo, char *buf, size_t len);

/*
 * Command streams
 * ===============
 *
 * A &struct vmsm_cs is a command buffer being built plus the list of
 * buffer objects the job will use. The commands go into a buffer object
 * of the stream's own (write-combined, read-only for the GPU), which is
 * always in the list. Emitters append one packet of the vmsm command
 * stream (see "vmsm command stream" in vmsm_drm.h); GPU addresses are
 * those of vmsm_bo_iova(). Every emitter returns 0, or -ENOSPC when the
 * packet does not fit (nothing is written) or -EINVAL for arguments the
 * packet cannot encode; the first error also sticks to the stream and
 * makes vmsm_submit() fail with it until vmsm_cs_reset().
 *
 * The objects a packet touches must be added with vmsm_cs_add_bo(), with
 * %VMSM_SUBMIT_BO_READ and/or %VMSM_SUBMIT_BO_WRITE, for implicit
 * synchronisation to order the job against other users of them.
 */

/**
 * struct vmsm_surface - a linear 2D image for vmsm_cs_fill_rect() and
 *	vmsm_cs_blit()
 * @iova: GPU address of pixel (0, 0)
 * @pitch: bytes from one row to the next
 * @format: DRM fourcc, DRM_FORMAT_XRGB8888 or DRM_FORMAT_ARGB8888
 */
struct vmsm_surface {
	uint64_t iova;
	uint32_t pitch;
	uint32_t format;
};

/**
 * vmsm_cs_new() - a new, empty command stream
 * @dev: device
 * @size_dwords: capacity in dwords, 1 to 65536 (the largest command
 *	buffer a job takes)
 * @cs: receives the stream
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_new(struct vmsm_device *dev, uint32_t size_dwords,
		struct vmsm_cs **cs);

/**
 * vmsm_cs_free() - free a command stream
 * @cs: stream (NULL is ignored)
 *
 * Drops the references the stream holds on its objects and its device.
 */
void vmsm_cs_free(struct vmsm_cs *cs);

/**
 * vmsm_cs_reset() - empty the stream and its object list
 * @cs: stream
 *
 * Also clears the sticky error. If the GPU may still be reading the
 * stream's commands from an earlier submit, the stream moves to a fresh
 * buffer object instead of overwriting them.
 *
 * Return: 0 or -errno (allocation of the fresh buffer failed; the stream
 * is then empty but unusable until a later reset succeeds).
 */
int vmsm_cs_reset(struct vmsm_cs *cs);

/** vmsm_cs_dwords() - number of dwords emitted so far */
uint32_t vmsm_cs_dwords(const struct vmsm_cs *cs);
/** vmsm_cs_capacity() - capacity in dwords */
uint32_t vmsm_cs_capacity(const struct vmsm_cs *cs);
/** vmsm_cs_bo() - the stream's own command buffer object (no reference) */
struct vmsm_bo *vmsm_cs_bo(const struct vmsm_cs *cs);
/** vmsm_cs_error() - the sticky error, 0 if none */
int vmsm_cs_error(const struct vmsm_cs *cs);

/**
 * vmsm_cs_iova() - GPU address of the stream's first dword
 * @cs: stream
 * @iova: receives the address
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_iova(struct vmsm_cs *cs, uint64_t *iova);

/**
 * vmsm_cs_add_bo() - add an object to the job's list
 * @cs: stream
 * @bo: object of the same device; the stream takes a reference
 * @flags: %VMSM_SUBMIT_BO_READ and/or %VMSM_SUBMIT_BO_WRITE; adding an
 *	object twice merges the flags (the kernel refuses duplicates)
 *
 * Return: 0 or -errno (-EINVAL for bad flags or an object of another
 * device, -E2BIG past %VMSM_SUBMIT_MAX_BOS objects).
 */
int vmsm_cs_add_bo(struct vmsm_cs *cs, struct vmsm_bo *bo, uint32_t flags);

/**
 * vmsm_cs_emit() - append raw dwords
 * @cs: stream
 * @dw: the dwords, packet headers included (VMSM_CP_PKT())
 * @n: how many
 *
 * Return: 0 or -ENOSPC.
 */
int vmsm_cs_emit(struct vmsm_cs *cs, const uint32_t *dw, uint32_t n);

/**
 * vmsm_cs_nop() - VMSM_CP_NOP with @count zero payload dwords
 * @cs: stream
 * @count: payload dwords, 0 to 65535
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_nop(struct vmsm_cs *cs, uint32_t count);

/**
 * vmsm_cs_write() - VMSM_CP_WRITE: store @n dwords at @addr
 * @cs: stream
 * @addr: GPU address, 4-byte aligned
 * @data: the values
 * @n: how many, 1 to 65533
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_write(struct vmsm_cs *cs, uint64_t addr, const uint32_t *data,
		  uint32_t n);

/**
 * vmsm_cs_copy() - VMSM_CP_COPY: copy @size bytes from @src to @dst
 * @cs: stream
 * @dst: destination GPU address
 * @src: source GPU address; the ranges must not overlap
 * @size: bytes
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_copy(struct vmsm_cs *cs, uint64_t dst, uint64_t src,
		 uint64_t size);

/**
 * vmsm_cs_fill() - VMSM_CP_FILL: store @pattern over @size bytes at @dst
 * @cs: stream
 * @dst: GPU address
 * @size: bytes, a multiple of 4
 * @pattern: 32-bit value repeated
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_fill(struct vmsm_cs *cs, uint64_t dst, uint64_t size,
		 uint32_t pattern);

/**
 * vmsm_cs_fill_rect() - VMSM_CP_FILL_RECT: fill a rectangle of @dst
 * @cs: stream
 * @dst: the surface
 * @x: left column
 * @y: top row
 * @width: columns
 * @height: rows
 * @color: pixel value
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_fill_rect(struct vmsm_cs *cs, const struct vmsm_surface *dst,
		      uint32_t x, uint32_t y, uint32_t width, uint32_t height,
		      uint32_t color);

/**
 * vmsm_cs_blit() - VMSM_CP_BLIT: copy a rectangle between surfaces
 * @cs: stream
 * @dst: destination surface
 * @dst_x: destination left column
 * @dst_y: destination top row
 * @src: source surface, of the same format as @dst (else -EINVAL)
 * @src_x: source left column
 * @src_y: source top row
 * @width: columns
 * @height: rows
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_blit(struct vmsm_cs *cs, const struct vmsm_surface *dst,
		 uint32_t dst_x, uint32_t dst_y,
		 const struct vmsm_surface *src, uint32_t src_x, uint32_t src_y,
		 uint32_t width, uint32_t height);

/**
 * vmsm_cs_indirect() - VMSM_CP_INDIRECT: execute another command buffer
 * @cs: stream
 * @iova: GPU address of the commands
 * @size_dwords: their length in dwords
 *
 * The object holding the commands must be in the list (vmsm_cs_add_bo()).
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_indirect(struct vmsm_cs *cs, uint64_t iova, uint32_t size_dwords);

/**
 * vmsm_cs_call() - VMSM_CP_INDIRECT to another stream
 * @cs: stream
 * @target: stream to execute, as it is now; its object list (its own
 *	buffer object included) is merged into @cs's. Do not change @target
 *	until the job is done.
 *
 * Return: 0 or -errno (-ENODATA if @target is empty).
 */
int vmsm_cs_call(struct vmsm_cs *cs, struct vmsm_cs *target);

/**
 * vmsm_cs_wait_mem() - VMSM_CP_WAIT_MEM: stall until memory matches
 * @cs: stream
 * @addr: GPU address of the 32-bit value
 * @ref: reference value
 * @mask: applied to the value before comparing
 * @func: &enum vmsm_cp_wait_func
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_wait_mem(struct vmsm_cs *cs, uint64_t addr, uint32_t ref,
		     uint32_t mask, uint32_t func);

/**
 * vmsm_cs_timestamp() - VMSM_CP_TIMESTAMP: store the 64-bit GPU timestamp
 * @cs: stream
 * @addr: GPU address of the 8 bytes
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_timestamp(struct vmsm_cs *cs, uint64_t addr);

/**
 * vmsm_cs_fence() - VMSM_CP_FENCE: store @value once earlier writes land
 * @cs: stream
 * @addr: GPU address of the 32-bit value
 * @value: value
 *
 * Return: 0 or -errno.
 */
int vmsm_cs_fence(struct vmsm_cs *cs, uint64_t addr, uint32_t value);

/*
 * Submit queues (uapi 1.3)
 * ========================
 *
 * Every file has a default queue, id 0, at the middle priority. More
 * queues run at a priority from 0 (highest) to %VMSM_PARAM_NR_RINGS - 1;
 * each priority is a ring of its own, so jobs of different priorities run
 * concurrently, and only explicit or implicit synchronisation orders them.
 * All queues of a file share its GPU address space and fault state.
 */

/**
 * vmsm_submitqueue_new() - DRM_IOCTL_VMSM_SUBMITQUEUE_NEW
 * @dev: device
 * @prio: priority, 0 (highest) to %VMSM_PARAM_NR_RINGS - 1
 * @id: receives the queue id, for &vmsm_submit_opts.queue_id and
 *	vmsm_wait_fence()
 *
 * Return: 0 or -errno (-EINVAL for a bad priority).
 */
int vmsm_submitqueue_new(struct vmsm_device *dev, uint32_t prio, uint32_t *id);

/**
 * vmsm_submitqueue_close() - DRM_IOCTL_VMSM_SUBMITQUEUE_CLOSE
 * @dev: device
 * @id: queue; its submitted jobs still run
 *
 * Return: 0 or -errno (-EINVAL for the default queue, -ENOENT).
 */
int vmsm_submitqueue_close(struct vmsm_device *dev, uint32_t id);

/**
 * vmsm_submitqueue_faults() - the fault state of the file's context
 * @dev: device
 * @id: any queue of the file
 * @info: receives the number of faults and hangs and the last one's type
 *	(&enum drm_vmsm_fault_type), address and queue
 *
 * Return: 0 or -errno.
 */
int vmsm_submitqueue_faults(struct vmsm_device *dev, uint32_t id,
			    struct drm_vmsm_fault_info *info);

/*
 * Submission
 * ==========
 */

/**
 * struct vmsm_submit_opts - options of vmsm_submit()
 * @flags: ``VMSM_SUBMIT_*``: %VMSM_SUBMIT_FENCE_FD_IN (wait for
 *	@in_fence_fd), %VMSM_SUBMIT_FENCE_FD_OUT (return a sync_file),
 *	%VMSM_SUBMIT_NO_IMPLICIT (no implicit synchronisation)
 * @queue_id: submit queue, 0 for the file's default queue
 * @in_fence_fd: sync_file to wait for, with %VMSM_SUBMIT_FENCE_FD_IN only;
 *	the caller keeps it
 * @in_syncobjs: syncobjs to wait for (timeline point 0 for binary ones)
 * @nr_in_syncobjs: how many
 * @out_syncobjs: syncobjs to signal when the job is done
 * @nr_out_syncobjs: how many
 *
 * A zero-initialised structure, or a NULL pointer, gives the defaults.
 */
struct vmsm_submit_opts {
	uint32_t flags;
	uint32_t queue_id;
	int in_fence_fd;
	const struct drm_vmsm_syncobj *in_syncobjs;
	uint32_t nr_in_syncobjs;
	const struct drm_vmsm_syncobj *out_syncobjs;
	uint32_t nr_out_syncobjs;
};

/**
 * struct vmsm_submit_out - results of vmsm_submit()
 * @fence: fence id of the job on its queue, for vmsm_wait_fence()
 * @fence_fd: sync_file of the job with %VMSM_SUBMIT_FENCE_FD_OUT (the
 *	caller closes it), -1 otherwise
 */
struct vmsm_submit_out {
	uint32_t fence;
	int fence_fd;
};

/**
 * vmsm_submit() - submit the stream as one job (DRM_IOCTL_VMSM_GEM_SUBMIT)
 * @cs: stream, not empty
 * @opts: options, or NULL
 * @out: results, or NULL
 *
 * The stream is left as it is: reset it (vmsm_cs_reset()) before building
 * the next job, or submit it again unchanged.
 *
 * Return: 0, the stream's sticky error, or the kernel's -errno (-EIO once
 * the file's context is faulty after a job faulted or hung).
 */
int vmsm_submit(struct vmsm_cs *cs, const struct vmsm_submit_opts *opts,
		struct vmsm_submit_out *out);

#if defined(__cplusplus)
}
#endif

#endif /* LIBVMSM_H */
