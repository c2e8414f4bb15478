/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Userspace API of vmsm, the virtual msm-style GPU and display driver.
 */
#ifndef _UAPI_VMSM_DRM_H_
#define _UAPI_VMSM_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: vmsm uapi
 *
 * The vmsm uapi is versioned through the DRM driver version returned by
 * DRM_IOCTL_VERSION: the major version only changes on an incompatible
 * break (never, so far), the minor version is bumped by one for every
 * addition. Userspace checks the minor version before using an ioctl or a
 * parameter introduced after 1.0.
 *
 * - 1.0: DRM_IOCTL_VMSM_GET_PARAM.
 * - 1.1: buffer objects: DRM_IOCTL_VMSM_GEM_NEW, DRM_IOCTL_VMSM_GEM_INFO,
 *   DRM_IOCTL_VMSM_GEM_CPU_PREP, DRM_IOCTL_VMSM_GEM_CPU_FINI.
 * - 1.2: submission: DRM_IOCTL_VMSM_GEM_SUBMIT, DRM_IOCTL_VMSM_WAIT_FENCE.
 * - 1.3: submit queues: DRM_IOCTL_VMSM_SUBMITQUEUE_NEW, _CLOSE, _QUERY.
 * - 1.4: DRM_IOCTL_VMSM_GEM_MADVISE and purging of unneeded objects.
 * - 1.5: DRM_IOCTL_VMSM_VM_BIND: userspace-managed GPU virtual addresses.
 * - 1.6: %VMSM_SUBMITQUEUE_PRIVATE_VM: submit queues with an address space
 *   of their own.
 * - 1.7: cache maintenance over byte ranges: &drm_vmsm_gem_cpu_prep.offset
 *   and .size, &drm_vmsm_gem_cpu_fini.offset and .size,
 *   DRM_IOCTL_VMSM_GEM_SYNC.
 * - 1.8: %VMSM_BO_CACHE_AUTO; dma-buf import of other exporters' buffers
 *   (vgem, udmabuf, dma-buf heaps, other vmsm devices), and export that
 *   checks whether the importer is coherent with the device.
 * - 1.9: the display engine (KMS: DRIVER_MODESET and DRIVER_ATOMIC, dumb
 *   buffers) and %VMSM_BO_SCANOUT.
 * - 1.10: ownership moves per CPU page with nesting accesses; a submit
 *   ends the CPU's access to what it hands to the device, in VM_BIND
 *   address spaces too (see "CPU access and cache maintenance").
 * - 1.11: memory stats in the fdinfo of DRM files; a limit on the memory
 *   pinned for the GPU (module parameter ``max_pinned_mb``): the ioctls
 *   that would pin beyond it fail with -ENOMEM.
 * - 1.12: %VMSM_PARAM_CPU_PAGE_SIZE.
 * - 1.13: the command processor's %VMSM_CP_CONVERT packet (NV12 to and
 *   from XRGB8888/ARGB8888); KMS planes scan out Y'CbCr framebuffers
 *   (NV12, NV21, NV16, YUV420, YVU420, P010) with the ``COLOR_ENCODING``
 *   and ``COLOR_RANGE`` properties, overlays have ``rotation``, and
 *   writeback captures into NV12.
 *
 * All structures are laid out with explicit padding and naturally aligned
 * 64-bit members, so they are identical for 32-bit and 64-bit userspace.
 * Padding and reserved fields must be zero; a non-zero value is rejected
 * with -EINVAL so that they can be given a meaning later.
 */

/**
 * enum drm_vmsm_param_id - parameters readable with DRM_IOCTL_VMSM_GET_PARAM
 *
 * @VMSM_PARAM_CHIP_ID: identity of the virtual GPU: bits 31..24 core major,
 *	23..16 core minor, 15..0 revision.
 * @VMSM_PARAM_DEVICE_INDEX: index of this vmsm device among the devices the
 *	module drives (0 for the first one).
 * @VMSM_PARAM_VA_START: first GPU virtual address userspace may use.
 * @VMSM_PARAM_VA_SIZE: size in bytes of the userspace GPU virtual address
 *	range starting at @VMSM_PARAM_VA_START.
 * @VMSM_PARAM_VA_BITS: number of GPU virtual address bits the MMU
 *	translates.
 * @VMSM_PARAM_PAGE_SIZES: bitmask of the page sizes the GPU MMU maps
 *	(bit n set: pages of 2^n bytes).
 * @VMSM_PARAM_COHERENT: 1 if the device is cache-coherent with the CPU,
 *	0 if CPU caches must be maintained for it.
 * @VMSM_PARAM_MAX_BO_SIZE: largest object size in bytes the device accepts.
 * @VMSM_PARAM_NR_RINGS: number of hardware rings (priority levels) of the
 *	command processor.
 * @VMSM_PARAM_TIMESTAMP_FREQUENCY: frequency in Hz of the GPU timestamp
 *	counter.
 * @VMSM_PARAM_TIMESTAMP: current value of the GPU timestamp counter.
 * @VMSM_PARAM_CPU_PAGE_SIZE: (1.12) the CPU's page size in bytes (4 KiB,
 *	16 KiB or 64 KiB): the unit in which object sizes are rounded up,
 *	mmap offsets are given and ownership moves. The GPU's own page sizes
 *	are %VMSM_PARAM_PAGE_SIZES; its smallest (4 KiB) may be smaller than
 *	a CPU page, so that one CPU page is mapped as several GPU pages.
 */
enum drm_vmsm_param_id {
	VMSM_PARAM_CHIP_ID = 1,
	VMSM_PARAM_DEVICE_INDEX = 2,
	VMSM_PARAM_VA_START = 3,
	VMSM_PARAM_VA_SIZE = 4,
	VMSM_PARAM_VA_BITS = 5,
	VMSM_PARAM_PAGE_SIZES = 6,
	VMSM_PARAM_COHERENT = 7,
	VMSM_PARAM_MAX_BO_SIZE = 8,
	VMSM_PARAM_NR_RINGS = 9,
	VMSM_PARAM_TIMESTAMP_FREQUENCY = 10,
	VMSM_PARAM_TIMESTAMP = 11,
	VMSM_PARAM_CPU_PAGE_SIZE = 12,
};

/**
 * struct drm_vmsm_get_param - argument of DRM_IOCTL_VMSM_GET_PARAM
 * @param: in, one of &enum drm_vmsm_param_id; anything else is -EINVAL.
 * @pad: in, must be zero.
 * @value: out, the parameter's value.
 */
struct drm_vmsm_get_param {
	__u32 param;
	__u32 pad;
	__u64 value;
};

#define DRM_VMSM_GET_PARAM		0x00

/**
 * DOC: DRM_IOCTL_VMSM_GET_PARAM
 *
 * Reads one device parameter. Allowed on primary and render nodes.
 * Errors: -EINVAL for an unknown @param or non-zero @pad, -EFAULT for a bad
 * argument pointer, -ENODEV once the device is unplugged.
 */
#define DRM_IOCTL_VMSM_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_GET_PARAM, struct drm_vmsm_get_param)

/**
 * DOC: buffer objects
 *
 * Buffer objects (BOs) are shmem-backed GEM objects. Their size is rounded
 * up to the CPU page size; zero, or more than %VMSM_PARAM_MAX_BO_SIZE, is
 * -EINVAL. The CPU caching mode of the object's mmap is chosen at creation
 * (``VMSM_BO_CACHE_*`` in the low bits of the flags, exactly one):
 *
 * %VMSM_BO_CACHED
 *	write-back cached CPU mapping; on a non-coherent device CPU access
 *	must be bracketed with GEM_CPU_PREP and GEM_CPU_FINI (or GEM_SYNC),
 *	which do the cache maintenance (see "CPU access and cache
 *	maintenance").
 * %VMSM_BO_CACHED_COHERENT
 *	write-back cached, no maintenance ever: only on a device that reports
 *	%VMSM_PARAM_COHERENT, -EINVAL elsewhere.
 * %VMSM_BO_WC
 *	write-combined CPU mapping.
 * %VMSM_BO_UNCACHED
 *	uncached CPU mapping.
 * %VMSM_BO_CACHE_AUTO (1.8)
 *	the driver chooses: %VMSM_BO_CACHED_COHERENT if the device is
 *	coherent with the CPU, else %VMSM_BO_WC, so that CPU access never
 *	needs cache maintenance. VMSM_INFO_GET_FLAGS reports the choice.
 *
 * %VMSM_BO_GPU_READONLY maps the object read-only into GPU address spaces;
 * %VMSM_BO_NO_SHARE keeps the object in the file that created it: PRIME
 * export fails with -EPERM, and so does every way of getting a handle to it
 * in another file (GEM_OPEN of a flink name, PRIME import, GETFB/GETFB2).
 * DRM_IOCTL_GEM_FLINK itself has no driver hook and returns a name, which
 * opens in no other file.
 * %VMSM_BO_SCANOUT (1.9) marks an object the display engine may scan out:
 * only such objects (and dumb buffers, and imported dma-bufs) can back a
 * framebuffer (DRM_IOCTL_MODE_ADDFB2 fails with -EINVAL otherwise). The
 * display engine is a device like the GPU: a cached scanout object on a
 * non-coherent device shows what the CPU finished with GEM_CPU_FINI (or
 * GEM_SYNC) before the commit (or DIRTYFB) that puts it on a plane; each
 * such commit hands the object to the display engine (see "display"),
 * and, as a submit does (1.10), ends a CPU access still open on it.
 *
 * Sharing (1.8): PRIME export asks whether the importing device is
 * coherent with the vmsm device. A cached object shared with an importer
 * that is not is either bracketed with cache maintenance at
 * DMA_BUF_IOCTL_SYNC (the default) or refused: the importer's attach, and
 * so its import, fails with -EOPNOTSUPP (module parameter
 * ``dmabuf_cached_policy=reject``). dma-bufs of other exporters (vgem,
 * udmabuf, dma-buf heaps, other vmsm devices) can be imported and used
 * by jobs like any object; their CPU access is synchronised through the
 * exporter (DMA_BUF_IOCTL_SYNC), GEM_CPU_PREP only waits for the GPU.
 *
 * Memory (1.11): an object's pages are allocated when it is first mapped
 * for the CPU or the GPU. The first GPU mapping (VMSM_INFO_GET_IOVA, a
 * submit listing the object, a VM_BIND MAP, a dma-buf import by another
 * device, a plane scanning it out) pins them until the object is freed or
 * purged; what all vmsm devices together pin is limited (module parameter
 * ``max_pinned_mb``, by default half of RAM, see "pinned memory"), and the
 * ioctl that would go over it fails with -ENOMEM. The fdinfo of a DRM file
 * (/proc/<pid>/fdinfo/<fd>) reports the file's objects as the DRM usage
 * stats define them: ``drm-total-memory``, ``drm-shared-memory``,
 * ``drm-active-memory``, ``drm-resident-memory`` (objects with pages) and
 * ``drm-purgeable-memory`` (%VMSM_MADV_DONTNEED objects the shrinker may
 * purge), next to ``drm-driver`` and ``drm-client-id``.
 */
#define VMSM_BO_CACHED			0x00000001
#define VMSM_BO_CACHED_COHERENT		0x00000002
#define VMSM_BO_WC			0x00000003
#define VMSM_BO_UNCACHED		0x00000004
#define VMSM_BO_CACHE_AUTO		0x00000005
#define VMSM_BO_CACHE_MASK		0x0000000f
#define VMSM_BO_GPU_READONLY		0x00000010
#define VMSM_BO_NO_SHARE		0x00000020
#define VMSM_BO_SCANOUT			0x00000040
#define VMSM_BO_FLAGS			(VMSM_BO_CACHE_MASK | VMSM_BO_GPU_READONLY | \
					 VMSM_BO_NO_SHARE | VMSM_BO_SCANOUT)

/**
 * struct drm_vmsm_gem_new - argument of DRM_IOCTL_VMSM_GEM_NEW
 * @size: in, size in bytes (rounded up to the CPU page size)
 * @flags: in, ``VMSM_BO_*``
 * @handle: out, GEM handle of the new object
 */
struct drm_vmsm_gem_new {
	__u64 size;
	__u32 flags;
	__u32 handle;
};

/**
 * enum drm_vmsm_gem_info_query - what DRM_IOCTL_VMSM_GEM_INFO does
 * @VMSM_INFO_GET_MMAP_OFFSET: @value = fake offset to mmap() the object
 *	with on the DRM file.
 * @VMSM_INFO_GET_IOVA: @value = GPU virtual address of the object in the
 *	file's address space; the kernel picks it (and maps the object) on
 *	the first call, later calls return the same address.
 * @VMSM_INFO_GET_SIZE: @value = size in bytes.
 * @VMSM_INFO_GET_FLAGS: @value = the ``VMSM_BO_*`` flags in effect.
 * @VMSM_INFO_SET_NAME: set the debug name (shown in debugfs) from the
 *	@len bytes at user pointer @value; at most 31 bytes are kept.
 * @VMSM_INFO_GET_NAME: copy the debug name into the @len-byte buffer at
 *	@value; @len is set to the name's length.
 */
enum drm_vmsm_gem_info_query {
	VMSM_INFO_GET_MMAP_OFFSET = 0,
	VMSM_INFO_GET_IOVA = 1,
	VMSM_INFO_GET_SIZE = 2,
	VMSM_INFO_GET_FLAGS = 3,
	VMSM_INFO_SET_NAME = 4,
	VMSM_INFO_GET_NAME = 5,
};

/**
 * struct drm_vmsm_gem_info - argument of DRM_IOCTL_VMSM_GEM_INFO
 * @handle: in, the object
 * @info: in, &enum drm_vmsm_gem_info_query
 * @value: in/out, see the query
 * @len: in/out, buffer length for the name queries, else must be zero
 * @pad: must be zero
 */
struct drm_vmsm_gem_info {
	__u32 handle;
	__u32 info;
	__u64 value;
	__u32 len;
	__u32 pad;
};

/**
 * DOC: CPU access and cache maintenance
 *
 * The pages of an object are owned either by the CPU or by the device.
 * They start device-owned when the object is first mapped for the GPU
 * (GPU address or submit). DRM_IOCTL_VMSM_GEM_CPU_PREP waits for the GPU
 * and hands a byte range to the CPU; DRM_IOCTL_VMSM_GEM_CPU_FINI hands it
 * back; GEM_SUBMIT hands every listed object to the device. On a
 * non-coherent device these transfers maintain the CPU caches of
 * %VMSM_BO_CACHED objects: the CPU's writes are cleaned at FINI (only the
 * pages the CPU actually wrote: writes are tracked per page), the GPU's
 * writes are made visible at PREP. CPU reads of GPU results without
 * PREP, and GPU reads of CPU writes without FINI, see stale data, as on a
 * non-coherent SoC. On a coherent device, and for %VMSM_BO_WC and
 * %VMSM_BO_UNCACHED objects, no maintenance is needed and PREP only waits.
 *
 * Ranges: @offset and @size in bytes, within the object; both 0 (what
 * userspace older than 1.7 passes) means the whole object. A range outside
 * the object, or a @size of 0 with a non-zero @offset, is -EINVAL.
 *
 * Granularity (1.10): ownership moves per CPU page (%VMSM_PARAM_CPU_PAGE_SIZE,
 * 4 KiB or 16 KiB, not the GPU's %VMSM_PARAM_PAGE_SIZES). A range covers
 * every page it touches, and CPU accesses nest: the CPU owns a page from
 * the first PREP over it until as many FINIs over it have followed, so
 * that ranges sharing a page (the two halves of a page, prepared and
 * finished in any order) are correct usage. At most 4095 accesses may be
 * open on one page; one more PREP fails with -EBUSY and changes nothing.
 *
 * Misuse and what it gives (1.10). A GEM_SUBMIT listing an object the
 * CPU still owns (a PREP not followed by its FINI) ends the CPU's access
 * to it: the submit does what the missing FINIs would have done, so the
 * GPU reads what the CPU wrote, and the next PREP shows what the GPU
 * wrote; a FINI after that submit has nothing left to end. What a
 * missing sync shows is stale data, never a lost write made under a
 * PREP: a CPU read without PREP after the GPU wrote sees the old data,
 * and a CPU write made without PREP is not seen by the GPU until a FINI
 * over its page (a write fault first brings in what the GPU wrote to
 * that page, so that the write lands on current data; if the GPU writes
 * the page again before that FINI, the next PREP shows the GPU's data and
 * the unprepared write is gone, as on a non-coherent SoC). With the
 * module parameter ``coherency_check`` each of these is reported in the
 * kernel log and the debugfs file ``vmsm_coherency`` (a FINI with no open
 * PREP, a CPU write to memory not prepared for writing, a submit of
 * memory the CPU owns); usage this section allows is never reported.
 * With ``coherency_strict`` such a submit fails with -EBUSY instead and
 * changes nothing.
 *
 * DRM_IOCTL_VMSM_GEM_SYNC does the same transfers over several ranges of
 * several objects in one call, without waiting.
 */
#define VMSM_PREP_READ			0x01
#define VMSM_PREP_WRITE			0x02
#define VMSM_PREP_NOSYNC		0x04
#define VMSM_PREP_FLAGS			(VMSM_PREP_READ | VMSM_PREP_WRITE | VMSM_PREP_NOSYNC)

/**
 * struct drm_vmsm_gem_cpu_prep - argument of DRM_IOCTL_VMSM_GEM_CPU_PREP
 * @handle: in, the object
 * @op: in, %VMSM_PREP_READ and/or %VMSM_PREP_WRITE: the CPU access to
 *	come; with %VMSM_PREP_NOSYNC, do not wait: -EBUSY if the GPU still
 *	uses the object in a conflicting way
 * @timeout_ns: in, absolute CLOCK_MONOTONIC deadline; -ETIMEDOUT after it
 * @offset: in (1.7), first byte of the range the CPU accesses
 * @size: in (1.7), bytes in the range; 0 with @offset 0: the whole object
 */
struct drm_vmsm_gem_cpu_prep {
	__u32 handle;
	__u32 op;
	__s64 timeout_ns;
	__u64 offset;
	__u64 size;
};

/**
 * struct drm_vmsm_gem_cpu_fini - argument of DRM_IOCTL_VMSM_GEM_CPU_FINI
 * @handle: in, the object whose CPU access ends
 * @pad: must be zero
 * @offset: in (1.7), first byte of the range the CPU is done with
 * @size: in (1.7), bytes in the range; 0 with @offset 0: the whole object
 */
struct drm_vmsm_gem_cpu_fini {
	__u32 handle;
	__u32 pad;
	__u64 offset;
	__u64 size;
};

#define VMSM_MADV_WILLNEED		0
#define VMSM_MADV_DONTNEED		1

/**
 * struct drm_vmsm_gem_madvise - argument of DRM_IOCTL_VMSM_GEM_MADVISE
 * @handle: in, the object
 * @madv: in, %VMSM_MADV_DONTNEED: the contents may be discarded under
 *	memory pressure while the object is idle and not CPU-mapped;
 *	%VMSM_MADV_WILLNEED: they are needed again
 * @retained: out, 0 if the contents were discarded: the object can then
 *	only be closed (its GPU mappings are gone, GET_IOVA, GET_MMAP_OFFSET
 *	and submits using it fail with -EINVAL)
 * @pad: must be zero
 *
 * A %VMSM_MADV_DONTNEED object cannot be mapped for the GPU or the CPU
 * (-EINVAL) until it is %VMSM_MADV_WILLNEED again.
 */
struct drm_vmsm_gem_madvise {
	__u32 handle;
	__u32 madv;
	__u32 retained;
	__u32 pad;
};

/**
 * DOC: submission
 *
 * DRM_IOCTL_VMSM_GEM_SUBMIT queues one job: a list of command buffers the
 * command processor executes in order, in the submitting file's GPU
 * address space. The job's buffer objects are listed with how the job
 * uses them; unless %VMSM_SUBMIT_NO_IMPLICIT is set, the job waits for
 * earlier conflicting use of each object (implicit sync through the
 * objects' reservation objects) and later users wait for it.
 *
 * The returned fence id identifies the job on its queue for
 * DRM_IOCTL_VMSM_WAIT_FENCE. Explicit sync: an in-fence sync_file, an
 * out-fence sync_file, and arrays of binary or timeline syncobjs to wait
 * for and to signal.
 *
 * A job that faults or hangs is stopped; its fences signal with an error
 * and the submitting file's context is marked faulty: later submits on it
 * fail with -EIO.
 */
#define VMSM_SUBMIT_BO_READ		0x0001
#define VMSM_SUBMIT_BO_WRITE		0x0002
#define VMSM_SUBMIT_BO_FLAGS		(VMSM_SUBMIT_BO_READ | VMSM_SUBMIT_BO_WRITE)

/**
 * struct drm_vmsm_submit_bo - one object a job uses
 * @handle: in, GEM handle
 * @flags: in, ``VMSM_SUBMIT_BO_*``, at least one
 * @iova: out, GPU virtual address of the object in the file's address
 *	space (as VMSM_INFO_GET_IOVA), for convenience
 */
struct drm_vmsm_submit_bo {
	__u32 handle;
	__u32 flags;
	__u64 iova;
};

/**
 * struct drm_vmsm_submit_cmd - one command buffer
 * @iova: in, GPU virtual address of the commands, used when @handle is 0
 * @handle: in, GEM handle of an object in the job's BO list holding the
 *	commands at byte @offset (4-byte aligned), or 0
 * @offset: in, see @handle
 * @size: in, number of dwords, 1 to 65536
 * @pad: must be zero
 */
struct drm_vmsm_submit_cmd {
	__u64 iova;
	__u32 handle;
	__u32 offset;
	__u32 size;
	__u32 pad;
};

/**
 * struct drm_vmsm_syncobj - a syncobj to wait for or to signal
 * @handle: in, syncobj handle
 * @flags: in, must be zero
 * @point: in, timeline point, 0 for a binary syncobj
 */
struct drm_vmsm_syncobj {
	__u32 handle;
	__u32 flags;
	__u64 point;
};

#define VMSM_SUBMIT_FENCE_FD_IN		0x0001
#define VMSM_SUBMIT_FENCE_FD_OUT	0x0002
#define VMSM_SUBMIT_NO_IMPLICIT		0x0004
#define VMSM_SUBMIT_FLAGS		(VMSM_SUBMIT_FENCE_FD_IN | VMSM_SUBMIT_FENCE_FD_OUT | \
					 VMSM_SUBMIT_NO_IMPLICIT)
#define VMSM_SUBMIT_MAX_BOS		4096
#define VMSM_SUBMIT_MAX_CMDS		64
#define VMSM_SUBMIT_MAX_SYNCOBJS	256

/**
 * struct drm_vmsm_gem_submit - argument of DRM_IOCTL_VMSM_GEM_SUBMIT
 * @flags: in, ``VMSM_SUBMIT_*``
 * @queue_id: in, submit queue, 0 for the file's default queue
 * @bos: in, user pointer to @nr_bos &struct drm_vmsm_submit_bo (iova out)
 * @cmds: in, user pointer to @nr_cmds &struct drm_vmsm_submit_cmd
 * @nr_bos: in, at most %VMSM_SUBMIT_MAX_BOS, each handle at most once
 * @nr_cmds: in, 1 to %VMSM_SUBMIT_MAX_CMDS
 * @in_syncobjs: in, user pointer to @nr_in_syncobjs &struct drm_vmsm_syncobj
 * @out_syncobjs: in, user pointer to @nr_out_syncobjs &struct drm_vmsm_syncobj
 * @nr_in_syncobjs: in, at most %VMSM_SUBMIT_MAX_SYNCOBJS
 * @nr_out_syncobjs: in, at most %VMSM_SUBMIT_MAX_SYNCOBJS
 * @fence_fd: in: sync_file to wait for with %VMSM_SUBMIT_FENCE_FD_IN;
 *	out: a sync_file of the job with %VMSM_SUBMIT_FENCE_FD_OUT
 * @fence: out, fence id of the job on its queue
 */
struct drm_vmsm_gem_submit {
	__u32 flags;
	__u32 queue_id;
	__u64 bos;
	__u64 cmds;
	__u32 nr_bos;
	__u32 nr_cmds;
	__u64 in_syncobjs;
	__u64 out_syncobjs;
	__u32 nr_in_syncobjs;
	__u32 nr_out_syncobjs;
	__s32 fence_fd;
	__u32 fence;
};

/**
 * struct drm_vmsm_wait_fence - argument of DRM_IOCTL_VMSM_WAIT_FENCE
 * @fence: in, fence id returned by GEM_SUBMIT
 * @queue_id: in, the queue it was submitted on
 * @timeout_ns: in, absolute CLOCK_MONOTONIC deadline; -ETIMEDOUT after it
 * @flags: in, must be zero
 * @pad: must be zero
 *
 * Returns 0 once the job finished (also when it finished with an error,
 * and for jobs retired long ago), -EINVAL for a fence id never returned
 * on that queue.
 */
struct drm_vmsm_wait_fence {
	__u32 fence;
	__u32 queue_id;
	__s64 timeout_ns;
	__u32 flags;
	__u32 pad;
};

#define DRM_VMSM_GEM_NEW		0x01
#define DRM_VMSM_GEM_INFO		0x02
#define DRM_VMSM_GEM_CPU_PREP		0x03
#define DRM_VMSM_GEM_CPU_FINI		0x04
#define DRM_VMSM_GEM_SUBMIT		0x05
#define DRM_VMSM_WAIT_FENCE		0x06

#define DRM_IOCTL_VMSM_GEM_NEW \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_GEM_NEW, struct drm_vmsm_gem_new)
#define DRM_IOCTL_VMSM_GEM_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_GEM_INFO, struct drm_vmsm_gem_info)
#define DRM_IOCTL_VMSM_GEM_CPU_PREP \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VMSM_GEM_CPU_PREP, struct drm_vmsm_gem_cpu_prep)
#define DRM_IOCTL_VMSM_GEM_CPU_FINI \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VMSM_GEM_CPU_FINI, struct drm_vmsm_gem_cpu_fini)
#define DRM_IOCTL_VMSM_GEM_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_GEM_SUBMIT, struct drm_vmsm_gem_submit)
#define DRM_IOCTL_VMSM_WAIT_FENCE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VMSM_WAIT_FENCE, struct drm_vmsm_wait_fence)

/**
 * DOC: submit queues
 *
 * Every file has a default submit queue, id 0, at the middle priority.
 * DRM_IOCTL_VMSM_SUBMITQUEUE_NEW creates more, each at a priority from 0
 * (highest) to %VMSM_PARAM_NR_RINGS - 1; each priority is a ring of the
 * command processor, so jobs of different priorities run concurrently.
 * Jobs of one queue run in submission order. Queues of a file share the
 * file's GPU address space and its fault state, unless created with
 * %VMSM_SUBMITQUEUE_PRIVATE_VM: such a queue is a context of its own, with
 * an address space of its own (kernel-assigned addresses: the submit's BO
 * list maps its objects there and reports their addresses in
 * &drm_vmsm_submit_bo.iova; VM_BIND on it is -EINVAL) and its own fault
 * state, so a fault on it stops neither the file's other queues nor is
 * stopped by theirs.
 */

#define VMSM_SUBMITQUEUE_PRIVATE_VM	0x00000001
#define VMSM_SUBMITQUEUE_FLAGS		VMSM_SUBMITQUEUE_PRIVATE_VM

/**
 * struct drm_vmsm_submitqueue - argument of DRM_IOCTL_VMSM_SUBMITQUEUE_NEW
 * @flags: in, ``VMSM_SUBMITQUEUE_*``
 * @prio: in, priority, 0 (highest) to %VMSM_PARAM_NR_RINGS - 1
 * @id: out, the queue id
 * @pad: must be zero
 */
struct drm_vmsm_submitqueue {
	__u32 flags;
	__u32 prio;
	__u32 id;
	__u32 pad;
};

/**
 * struct drm_vmsm_submitqueue_close - argument of
 * DRM_IOCTL_VMSM_SUBMITQUEUE_CLOSE
 * @id: in, the queue to close; the default queue 0 cannot be closed
 * @pad: must be zero
 *
 * Jobs already submitted still run.
 */
struct drm_vmsm_submitqueue_close {
	__u32 id;
	__u32 pad;
};

/**
 * enum drm_vmsm_fault_type - what stopped a job
 * @VMSM_FAULT_NONE: no fault recorded
 * @VMSM_FAULT_TRANSLATION: access to an unmapped GPU address
 * @VMSM_FAULT_PERMISSION: write to a read-only mapping
 * @VMSM_FAULT_INVALID_PACKET: invalid command stream
 * @VMSM_FAULT_HANG: killed by the job timeout
 */
enum drm_vmsm_fault_type {
	VMSM_FAULT_NONE = 0,
	VMSM_FAULT_TRANSLATION = 1,
	VMSM_FAULT_PERMISSION = 2,
	VMSM_FAULT_INVALID_PACKET = 3,
	VMSM_FAULT_HANG = 4,
};

/**
 * struct drm_vmsm_fault_info - VMSM_QUERY_FAULTS result
 * @faults: number of faults and hangs of the file's context
 * @type: &enum drm_vmsm_fault_type of the last one
 * @address: GPU address the last fault accessed (translation and
 *	permission faults), else the address of the offending packet
 * @write: the faulting access was a write
 * @queue_id: queue of the job that faulted last
 */
struct drm_vmsm_fault_info {
	__u32 faults;
	__u32 type;
	__u64 address;
	__u32 write;
	__u32 queue_id;
};

#define VMSM_QUERY_FAULTS		0

/**
 * struct drm_vmsm_submitqueue_query - argument of
 * DRM_IOCTL_VMSM_SUBMITQUEUE_QUERY
 * @data: in, user pointer to the result buffer
 * @id: in, the queue
 * @param: in, %VMSM_QUERY_FAULTS: a &struct drm_vmsm_fault_info of the
 *	queue's context
 * @len: in, size of the buffer at @data; out, size of the result. A
 *	@len of 0 only returns the size.
 * @pad: must be zero
 */
struct drm_vmsm_submitqueue_query {
	__u64 data;
	__u32 id;
	__u32 param;
	__u32 len;
	__u32 pad;
};

#define DRM_VMSM_SUBMITQUEUE_NEW	0x07
#define DRM_VMSM_SUBMITQUEUE_CLOSE	0x08
#define DRM_VMSM_SUBMITQUEUE_QUERY	0x09
#define DRM_VMSM_GEM_MADVISE		0x0a

#define DRM_IOCTL_VMSM_SUBMITQUEUE_NEW \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_SUBMITQUEUE_NEW, struct drm_vmsm_submitqueue)
#define DRM_IOCTL_VMSM_SUBMITQUEUE_CLOSE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VMSM_SUBMITQUEUE_CLOSE, struct drm_vmsm_submitqueue_close)
#define DRM_IOCTL_VMSM_SUBMITQUEUE_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_SUBMITQUEUE_QUERY, struct drm_vmsm_submitqueue_query)
#define DRM_IOCTL_VMSM_GEM_MADVISE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_GEM_MADVISE, struct drm_vmsm_gem_madvise)

/**
 * DOC: VM_BIND
 *
 * DRM_IOCTL_VMSM_VM_BIND switches the file's GPU address space to
 * userspace-managed addresses and changes its mappings. The rules:
 *
 * - Mode switch: the first VM_BIND of a file (even one with no operation)
 *   switches it for good. A file that already had an object mapped by the
 *   kernel (VMSM_INFO_GET_IOVA, or a submit listing an object) cannot
 *   switch: -EBUSY. After the switch VMSM_INFO_GET_IOVA fails with
 *   -EINVAL, and GEM_SUBMIT maps nothing: the BO list still provides
 *   implicit sync and keeps the objects alive until the job is done
 *   (&drm_vmsm_submit_bo.iova returns 0), command buffers are given by
 *   address only (a &drm_vmsm_submit_cmd.handle is -EINVAL).
 * - Ownership (1.10): a job reaches every object its address space maps,
 *   listed or not. A submit hands to the device every mapped object the
 *   CPU still holds (GEM_CPU_PREP or GEM_SYNC without the end, through
 *   the handle that was mapped or through any vmsm handle of the same
 *   memory: the exporter's, or another vmsm device's import), as if it
 *   were listed for writing (for
 *   reading if %VMSM_BO_GPU_READONLY), with the rules of "CPU access and
 *   cache maintenance" (-EBUSY in strict mode); after such a job, the
 *   next PREP of a mapped object shows what the job wrote. Only listed
 *   objects get implicit sync: wait for the job's fence before a PREP of
 *   an object it wrote unlisted.
 * - Operations (&struct drm_vmsm_vm_bind_op) run in array order.
 *   Addresses, ranges and object offsets are multiples of 4 KiB, the
 *   range is not empty and lies within [%VMSM_PARAM_VA_START,
 *   %VMSM_PARAM_VA_START + %VMSM_PARAM_VA_SIZE), and for a MAP
 *   @bo_offset + @range lies within the object; anything else is -EINVAL,
 *   a bad object handle is -ENOENT, an object marked %VMSM_MADV_DONTNEED
 *   is -EINVAL. Either every operation is accepted or none is.
 * - Overlaps: a MAP or MAP_NULL replaces whatever is mapped in its range
 *   (the parts of older mappings outside the range stay mapped); an
 *   UNMAP removes every mapping or part of a mapping in its range, and
 *   unmapping a range with nothing mapped is not an error. An object may
 *   be mapped any number of times, at different addresses.
 * - %VMSM_VM_BIND_OP_MAP_NULL maps the range to one device-wide page of
 *   zeroes, read-only: reads return zero, a write faults (permission
 *   fault) and stops the job like any other fault.
 * - %VMSM_VM_BIND_OP_READONLY maps read-only; an object created with
 *   %VMSM_BO_GPU_READONLY is always mapped read-only.
 * - A mapping keeps its object alive until it is unmapped (or the file is
 *   closed), and an object with mappings is never purged.
 * - Execution: the bind is a job on submit queue @queue_id, executed in
 *   order with the queue's GPU jobs: it waits for the in-fences (sync_file
 *   with %VMSM_VM_BIND_FENCE_FD_IN, syncobjs) and for the queue's earlier
 *   jobs, then updates the page tables, then signals its out-fences
 *   (syncobjs, a sync_file with %VMSM_VM_BIND_FENCE_FD_OUT) and its fence
 *   id for DRM_IOCTL_VMSM_WAIT_FENCE. Later jobs of the same queue see the
 *   new mappings; jobs of other queues must wait for the bind's fence.
 *   Unmapping a range a running job of another queue still uses makes
 *   that job fault. The validation happens in the ioctl, so a bind whose
 *   in-fences fail is still executed.
 */
#define VMSM_VM_BIND_OP_MAP		0
#define VMSM_VM_BIND_OP_UNMAP		1
#define VMSM_VM_BIND_OP_MAP_NULL	2

#define VMSM_VM_BIND_OP_READONLY	0x0001
#define VMSM_VM_BIND_OP_FLAGS		VMSM_VM_BIND_OP_READONLY

/**
 * struct drm_vmsm_vm_bind_op - one VM_BIND operation
 * @op: in, %VMSM_VM_BIND_OP_MAP, %VMSM_VM_BIND_OP_UNMAP or
 *	%VMSM_VM_BIND_OP_MAP_NULL
 * @flags: in, %VMSM_VM_BIND_OP_READONLY (MAP and MAP_NULL only; MAP_NULL
 *	is read-only anyway)
 * @handle: in, the object to map (MAP), else must be zero
 * @pad: must be zero
 * @bo_offset: in, offset in the object of the first mapped byte (MAP),
 *	else must be zero
 * @iova: in, first GPU virtual address of the range
 * @range: in, size of the range in bytes
 */
struct drm_vmsm_vm_bind_op {
	__u32 op;
	__u32 flags;
	__u32 handle;
	__u32 pad;
	__u64 bo_offset;
	__u64 iova;
	__u64 range;
};

#define VMSM_VM_BIND_FENCE_FD_IN	0x0001
#define VMSM_VM_BIND_FENCE_FD_OUT	0x0002
#define VMSM_VM_BIND_FLAGS		(VMSM_VM_BIND_FENCE_FD_IN | VMSM_VM_BIND_FENCE_FD_OUT)
#define VMSM_VM_BIND_MAX_OPS		1024

/**
 * struct drm_vmsm_vm_bind - argument of DRM_IOCTL_VMSM_VM_BIND
 * @flags: in, ``VMSM_VM_BIND_FENCE_FD_*``
 * @nr_ops: in, at most %VMSM_VM_BIND_MAX_OPS
 * @ops: in, user pointer to @nr_ops &struct drm_vmsm_vm_bind_op
 * @in_syncobjs: in, user pointer to @nr_in_syncobjs &struct drm_vmsm_syncobj
 * @out_syncobjs: in, user pointer to @nr_out_syncobjs &struct drm_vmsm_syncobj
 * @nr_in_syncobjs: in, at most %VMSM_SUBMIT_MAX_SYNCOBJS
 * @nr_out_syncobjs: in, at most %VMSM_SUBMIT_MAX_SYNCOBJS
 * @queue_id: in, submit queue the bind is ordered on, 0 for the default
 * @fence_fd: in: sync_file to wait for with %VMSM_VM_BIND_FENCE_FD_IN;
 *	out: a sync_file of the bind with %VMSM_VM_BIND_FENCE_FD_OUT
 * @fence: out, fence id of the bind on its queue (DRM_IOCTL_VMSM_WAIT_FENCE)
 * @pad: must be zero
 *
 * The page-table memory the operations may need is reserved in the
 * ioctl: a bind that could need more than 16 MiB of it is -ENOMEM.
 */
struct drm_vmsm_vm_bind {
	__u32 flags;
	__u32 nr_ops;
	__u64 ops;
	__u64 in_syncobjs;
	__u64 out_syncobjs;
	__u32 nr_in_syncobjs;
	__u32 nr_out_syncobjs;
	__u32 queue_id;
	__s32 fence_fd;
	__u32 fence;
	__u32 pad;
};

#define DRM_VMSM_VM_BIND		0x0b

#define DRM_IOCTL_VMSM_VM_BIND \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMSM_VM_BIND, struct drm_vmsm_vm_bind)

/**
 * DOC: DRM_IOCTL_VMSM_GEM_SYNC
 *
 * Ownership transfers over ranges of objects (uapi 1.7), applied in array
 * order once every operation has been checked: either all are applied or
 * none is. %VMSM_SYNC_TO_CPU begins CPU access to the range as
 * GEM_CPU_PREP does, but never waits: if the GPU still uses the object in
 * a way that conflicts with @access, the ioctl fails with -EBUSY before
 * doing anything. %VMSM_SYNC_TO_DEVICE ends CPU access as GEM_CPU_FINI
 * does. Ranges follow the rules of "CPU access and cache maintenance".
 * Errors: -EINVAL for bad flags, ops, access bits, ranges or more than
 * %VMSM_SYNC_MAX_OPS operations, -ENOENT for a bad handle, -EFAULT, -EBUSY.
 * The one exception to all or none (1.10): a %VMSM_SYNC_TO_CPU operation
 * that would open a 4096th access on a page fails with -EBUSY when it is
 * applied, after the operations before it in the array.
 */
#define VMSM_SYNC_TO_CPU		0
#define VMSM_SYNC_TO_DEVICE		1
#define VMSM_SYNC_MAX_OPS		1024

/**
 * struct drm_vmsm_gem_sync_op - one range of DRM_IOCTL_VMSM_GEM_SYNC
 * @handle: in, the object
 * @op: in, %VMSM_SYNC_TO_CPU or %VMSM_SYNC_TO_DEVICE
 * @access: in, for %VMSM_SYNC_TO_CPU: %VMSM_PREP_READ and/or
 *	%VMSM_PREP_WRITE; for %VMSM_SYNC_TO_DEVICE: must be zero
 * @pad: must be zero
 * @offset: in, first byte of the range
 * @size: in, bytes; 0 with @offset 0: the whole object
 */
struct drm_vmsm_gem_sync_op {
	__u32 handle;
	__u32 op;
	__u32 access;
	__u32 pad;
	__u64 offset;
	__u64 size;
};

/**
 * struct drm_vmsm_gem_sync - argument of DRM_IOCTL_VMSM_GEM_SYNC
 * @ops: in, user pointer to @nr_ops &struct drm_vmsm_gem_sync_op
 * @nr_ops: in, at most %VMSM_SYNC_MAX_OPS
 * @flags: in, must be zero
 */
struct drm_vmsm_gem_sync {
	__u64 ops;
	__u32 nr_ops;
	__u32 flags;
};

#define DRM_VMSM_GEM_SYNC		0x0c

#define DRM_IOCTL_VMSM_GEM_SYNC \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VMSM_GEM_SYNC, struct drm_vmsm_gem_sync)

/**
 * DOC: vmsm command stream
 *
 * The virtual GPU's command processor (CP) executes a stream of 32-bit
 * little-endian dwords made of packets. Every packet starts with a header
 * dword:
 *
 * ====== =====================================================
 * bits   meaning
 * ====== =====================================================
 * 31..24 opcode, one of &enum vmsm_cp_opcode
 * 23..16 reserved, must be zero
 * 15..0  number of payload dwords that follow the header
 * ====== =====================================================
 *
 * 64-bit GPU virtual addresses and sizes are two dwords, low dword first.
 * Every memory access goes through the submitting context's GPU page
 * tables; an access to an unmapped address, or a write to a read-only
 * mapping, faults and stops the job. A packet with an unknown opcode, a
 * non-zero reserved field or a payload length that does not match the
 * opcode stops the job with an invalid-packet error, as does a stream
 * whose last packet runs past its end.
 *
 * Pixel formats (FILL_RECT, BLIT) use DRM fourcc codes; the CP supports
 * DRM_FORMAT_XRGB8888 and DRM_FORMAT_ARGB8888 (4 bytes per pixel).
 * Rectangles must lie inside the pitch: x + width <= pitch / 4.
 *
 * CONVERT (1.13) converts a width x height image between DRM_FORMAT_NV12
 * and DRM_FORMAT_XRGB8888 or DRM_FORMAT_ARGB8888 (one side NV12, the
 * other RGB), as a camera pipeline needs: NV12 frames from a sensor to
 * RGB for rendering, RGB back to NV12 for an encoder. Its payload:
 *
 * ======= ====================================================
 * payload meaning
 * ======= ====================================================
 * 1, 2    destination: first pixel (RGB) or first luma sample (NV12)
 * 3       destination pitch in bytes (NV12: of both planes)
 * 4, 5    destination chroma plane (NV12), else 0
 * 6, 7    source, like the destination
 * 8       source pitch in bytes
 * 9, 10   source chroma plane (NV12), else 0
 * 11      destination format (DRM fourcc)
 * 12      source format (DRM fourcc)
 * 13      width in pixels (at most 16384)
 * 14      height in pixels (at most 16384)
 * 15      flags: &enum vmsm_cp_convert_flags
 * ======= ====================================================
 *
 * The RGB side follows the FILL_RECT/BLIT rules (4-byte aligned, pitch a
 * multiple of 4 holding width pixels). The NV12 side has width luma bytes
 * per row and height rows, and a chroma plane of (width + 1) / 2 CbCr
 * byte pairs per row and (height + 1) / 2 rows, with the same pitch, at
 * least width rounded up to even. The conversion is the display engine's
 * (see "Y'CbCr conversions" in the driver documentation): ITU-R BT.601,
 * BT.709 or BT.2020 equations, limited or full range, each chroma sample
 * standing for the up to 2x2 pixels it covers (from NV12: replicated;
 * to NV12: the chroma of their mean); RGB alpha is ignored, and written
 * as 0xff. Overlapping source and destination give undefined contents,
 * like overlapping BLIT rectangles.
 */

/**
 * enum vmsm_cp_opcode - command processor packet opcodes
 * @VMSM_CP_NOP: any payload, ignored (padding, markers).
 * @VMSM_CP_WRITE: addr (2 dwords), then 1 or more data dwords stored at
 *	consecutive addresses. Payload: 2 + n dwords, n >= 1.
 * @VMSM_CP_COPY: dst (2), src (2), size in bytes (2). The ranges must not
 *	overlap. Payload: 6 dwords.
 * @VMSM_CP_FILL: dst (2), size in bytes (2, a multiple of 4), 32-bit
 *	pattern. Payload: 5 dwords.
 * @VMSM_CP_FILL_RECT: dst (2), pitch in bytes, format, x, y, width,
 *	height, colour. Payload: 9 dwords.
 * @VMSM_CP_BLIT: dst (2), dst pitch, src (2), src pitch, format, dst x,
 *	dst y, src x, src y, width, height. Payload: 13 dwords.
 * @VMSM_CP_INDIRECT: address (2) and size in dwords of another command
 *	stream to execute before the next packet, at most
 *	%VMSM_CP_MAX_IB_DEPTH levels deep. Payload: 3 dwords.
 * @VMSM_CP_WAIT_MEM: addr (2), reference, mask, function (&enum
 *	vmsm_cp_wait_func): stall until the 32-bit value at addr, masked,
 *	compares true with the reference. Payload: 5 dwords.
 * @VMSM_CP_TIMESTAMP: addr (2): store the 64-bit GPU timestamp (see
 *	%VMSM_PARAM_TIMESTAMP_FREQUENCY). Payload: 2 dwords.
 * @VMSM_CP_FENCE: addr (2), value: store the 32-bit value once every
 *	earlier write of the job is visible. Payload: 3 dwords.
 * @VMSM_CP_CONVERT: (1.13) convert an image between NV12 and
 *	XRGB8888/ARGB8888, see above. Payload: 15 dwords.
 */
enum vmsm_cp_opcode {
	VMSM_CP_NOP = 0x00,
	VMSM_CP_WRITE = 0x01,
	VMSM_CP_COPY = 0x02,
	VMSM_CP_FILL = 0x03,
	VMSM_CP_FILL_RECT = 0x04,
	VMSM_CP_BLIT = 0x05,
	VMSM_CP_INDIRECT = 0x06,
	VMSM_CP_WAIT_MEM = 0x07,
	VMSM_CP_TIMESTAMP = 0x08,
	VMSM_CP_FENCE = 0x09,
	VMSM_CP_CONVERT = 0x0a,
};

/**
 * enum vmsm_cp_convert_flags - the flags dword of VMSM_CP_CONVERT (1.13)
 * @VMSM_CP_CONVERT_BT601: ITU-R BT.601 luma coefficients (value 0 of the
 *	encoding field)
 * @VMSM_CP_CONVERT_BT709: ITU-R BT.709
 * @VMSM_CP_CONVERT_BT2020: ITU-R BT.2020, non-constant luminance
 * @VMSM_CP_CONVERT_ENCODING_MASK: the encoding field (bits 1..0); 3 is
 *	invalid
 * @VMSM_CP_CONVERT_FULL_RANGE: full range Y'CbCr codes, else limited
 *	(16-235 luma, 16-240 chroma)
 *
 * Other bits are reserved and must be zero.
 */
enum vmsm_cp_convert_flags {
	VMSM_CP_CONVERT_BT601 = 0,
	VMSM_CP_CONVERT_BT709 = 1,
	VMSM_CP_CONVERT_BT2020 = 2,
	VMSM_CP_CONVERT_ENCODING_MASK = 3,
	VMSM_CP_CONVERT_FULL_RANGE = 1 << 2,
};

/**
 * enum vmsm_cp_wait_func - comparisons of VMSM_CP_WAIT_MEM
 * @VMSM_CP_WAIT_EQ: (value & mask) == reference
 * @VMSM_CP_WAIT_NE: (value & mask) != reference
 * @VMSM_CP_WAIT_GE: (value & mask) >= reference, unsigned
 * @VMSM_CP_WAIT_LT: (value & mask) < reference, unsigned
 */
enum vmsm_cp_wait_func {
	VMSM_CP_WAIT_EQ = 0,
	VMSM_CP_WAIT_NE = 1,
	VMSM_CP_WAIT_GE = 2,
	VMSM_CP_WAIT_LT = 3,
};

#define VMSM_CP_MAX_IB_DEPTH		4
#define VMSM_CP_OPCODE_SHIFT		24
#define VMSM_CP_RESERVED_MASK		0x00ff0000u
#define VMSM_CP_COUNT_MASK		0x0000ffffu
/* Header dword of a packet with @count payload dwords. */
#define VMSM_CP_PKT(op, count) \
	(((__u32)(op) << VMSM_CP_OPCODE_SHIFT) | ((__u32)(count) & VMSM_CP_COUNT_MASK))

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_VMSM_DRM_H_ */
