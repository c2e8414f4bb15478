// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: debugfs
 *
 * Each vmsm device has these files in its DRM debugfs directory
 * (``/sys/kernel/debug/dri/<minor>/``):
 *
 * ``vmsm_caps``
 *	the device parameters, one ``name value`` pair a line, as GET_PARAM
 *	returns them.
 * ``vmsm_objects``
 *	counts of live driver objects: ``clients`` (files userspace has
 *	open), ``objects`` (buffer objects), ``vms`` (GPU contexts' address
 *	spaces: one per open file, in-kernel clients' included, and one per
 *	submit queue that has its own), ``display_vms`` (the display
 *	engine's address space), ``jobs`` (jobs not yet freed), ``faults``
 *	(GPU faults and hangs since probe) and ``purged`` (objects the
 *	shrinker purged since probe). The files and objects of in-kernel
 *	clients (fbdev emulation) are counted apart, in ``kernel_clients``
 *	and ``kernel_objects``. Test suites read it after closing every
 *	file: ``clients``, ``objects`` and ``jobs`` must be back to zero,
 *	and ``vms`` to ``kernel_clients``.
 * ``vmsm_gem``
 *	every buffer object: size, flags, references, GPU mappings, name.
 * ``vmsm_vm``
 *	every GPU address space: its mappings and a dump of its page tables
 *	(GPU addresses and descriptors, as the device sees them).
 * ``vmsm_rings``
 *	each command processor ring: the last hardware fence emitted and the
 *	last one signalled (equal when the ring is idle).
 * ``vmsm_faults``
 *	the last 16 faults and hangs, oldest first: number since probe,
 *	time (CLOCK_MONOTONIC), ring, process, queue, type, GPU address and
 *	access, as ``SUBMITQUEUE_QUERY`` reports them to the context.
 * ``vmsm_coherency``
 *	``model`` (the non-coherent device model is on), ``shadow_pages``
 *	(device-view pages), the ownership context's mode (``coherent``,
 *	``check``, ``strict``) and counters, one ``name value`` pair a line:
 *	transfers (``begin_cpu``, ``end_cpu``, ``begin_device``,
 *	``end_device``), ``skipped`` (transfers with nothing to maintain),
 *	``clean_ops``/``clean_bytes`` and ``inval_ops``/``inval_bytes`` (cache
 *	maintenance done), ``cpu_writes`` (write faults of tracked
 *	mappings), ``violations`` and ``refused`` (checking and strict
 *	mode), ``reports`` (misuse reports so far), then the last reports,
 *	one ``report <object> bytes <first>-<end> <who> <access>: <what>``
 *	line each.
 * ``vmsm_coherency_check``, ``vmsm_coherency_strict``
 *	writable (``Y``/``N``): checking and strict mode of the device, set
 *	at probe from the module parameters ``coherency_check`` and
 *	``coherency_strict``.
 * ``vmsm_pinned``
 *	memory pinned for the GPU, in bytes (see "pinned memory"):
 *	``device`` (by this device's objects; back to 0 once every object
 *	is freed or purged), ``total`` (by all vmsm devices) and ``limit``
 *	(what all devices together may pin).
 * ``vmsm_display``, ``vmsm_hotplug``
 *	the display engine, see "display".
 */

#include <linux/debugfs.h>
#include <linux/list.h>
#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"

static struct vmsm_device *entry_vdev(struct seq_file *m)
{
	struct drm_debugfs_entry *entry = m->private;

	return to_vmsm_device(entry->dev);
}

static int vmsm_caps_show(struct seq_file *m, void *unused)
{
	const struct vmsm_caps *caps = &entry_vdev(m)->caps;

	seq_printf(m, "chip_id 0x%08x\n", caps->chip_id);
	seq_printf(m, "index %u\n", caps->index);
	seq_printf(m, "coherent %u\n", caps->coherent);
	seq_printf(m, "va_start 0x%llx\n", caps->va_start);
	seq_printf(m, "va_size 0x%llx\n", caps->va_size);
	seq_printf(m, "va_bits %u\n", caps->va_bits);
	seq_printf(m, "page_sizes 0x%llx\n", caps->page_sizes);
	seq_printf(m, "max_bo_size 0x%llx\n", caps->max_bo_size);
	seq_printf(m, "nr_rings %u\n", caps->nr_rings);
	seq_printf(m, "timestamp_freq %llu\n", caps->timestamp_freq);
	return 0;
}

static int vmsm_objects_show(struct seq_file *m, void *unused)
{
	struct vmsm_device *vdev = entry_vdev(m);
	struct drm_device *drm = &vdev->drm;
	size_t clients, kernel_clients;

	/* The DRM core keeps userspace's files and in-kernel clients' apart. */
	mutex_lock(&drm->filelist_mutex);
	clients = list_count_nodes(&drm->filelist);
	kernel_clients = list_count_nodes(&drm->filelist_internal);
	mutex_unlock(&drm->filelist_mutex);

	seq_printf(m, "clients %zu\n", clients);
	seq_printf(m, "objects %d\n", atomic_read(&vdev->nr_objects));
	seq_printf(m, "vms %d\n", atomic_read(&vdev->nr_vms));
	seq_printf(m, "display_vms %d\n", atomic_read(&vdev->nr_display_vms));
	seq_printf(m, "jobs %d\n", atomic_read(&vdev->nr_jobs));
	seq_printf(m, "faults %d\n", atomic_read(&vdev->nr_faults));
	seq_printf(m, "purged %d\n", atomic_read(&vdev->nr_purged));
	seq_printf(m, "kernel_clients %zu\n", kernel_clients);
	seq_printf(m, "kernel_objects %d\n", atomic_read(&vdev->nr_kernel_objects));
	return 0;
}

static int vmsm_pinned_show(struct seq_file *m, void *unused)
{
	struct vmsm_device *vdev = entry_vdev(m);

	seq_printf(m, "device %lld\n", atomic64_read(&vdev->pinned_bytes));
	seq_printf(m, "total %llu\n", vmsm_gem_pinned_total());
	seq_printf(m, "limit %llu\n", vmsm_gem_pinned_limit());
	return 0;
}

static int vmsm_gem_show(struct seq_file *m, void *unused)
{
	struct vmsm_device *vdev = entry_vdev(m);
	struct vmsm_vma *vma;
	struct vmsm_bo *bo;

	mutex_lock(&vdev->mm_lock);
	list_for_each_entry(bo, &vdev->bos, link) {
		mutex_lock(&bo->name_lock);
		seq_printf(m, "size %zu flags 0x%x refs %u handles %u name \"%s\"\n",
			   bo->base.base.size, bo->flags,
			   kref_read(&bo->base.base.refcount),
			   bo->base.base.handle_count, bo->name);
		mutex_unlock(&bo->name_lock);
		list_for_each_entry(vma, &bo->vmas, bo_link)
			seq_printf(m, "  vm pid %d iova 0x%llx\n", vma->vm->pid,
				   vma->node.start);
	}
	mutex_unlock(&vdev->mm_lock);
	return 0;
}

static int vmsm_rings_show(struct seq_file *m, void *unused)
{
	struct vmsm_device *vdev = entry_vdev(m);
	struct vmsm_ring *ring;
	unsigned int i;
	u64 emitted;

	for (i = 0; i < VMSM_NR_RINGS; i++) {
		ring = &vdev->rings[i];
		spin_lock(&ring->fence_lock);
		emitted = ring->seqno;
		spin_unlock(&ring->fence_lock);
		seq_printf(m, "ring %u %s emitted %llu completed %llu\n", ring->id,
			   ring->name, emitted, READ_ONCE(ring->completed));
	}
	return 0;
}

static void vmsm_fault_entry_show(struct seq_file *m, const struct vmsm_fault_entry *e)
{
	seq_printf(m, "#%u %llu.%09llu ring %u pid %d queue %u %s %s 0x%llx\n",
		   e->seq, e->time_ns / NSEC_PER_SEC, e->time_ns % NSEC_PER_SEC,
		   e->ring, e->pid, e->info.queue_id, vmsm_fault_name(e->info.type),
		   e->info.write ? "write" : "read", e->info.address);
}

static int vmsm_faults_show(struct seq_file *m, void *unused)
{
	struct vmsm_fault_log *log = &entry_vdev(m)->fault_log;
	struct vmsm_fault_entry *entries;
	u32 count, first, i;

	entries = kmalloc_array(VMSM_FAULT_LOG_SIZE, sizeof(*entries), GFP_KERNEL);
	if (!entries)
		return -ENOMEM;
	spin_lock(&log->lock);
	count = log->count;
	memcpy(entries, log->entries, sizeof(log->entries));
	spin_unlock(&log->lock);

	seq_printf(m, "faults %u\n", count);
	first = count > VMSM_FAULT_LOG_SIZE ? count - VMSM_FAULT_LOG_SIZE : 0;
	for (i = first; i < count; i++)
		vmsm_fault_entry_show(m, &entries[i % VMSM_FAULT_LOG_SIZE]);
	kfree(entries);
	return 0;
}

static int vmsm_vm_show(struct seq_file *m, void *unused)
{
	vmsm_mmu_debugfs_show(m, entry_vdev(m));
	return 0;
}

static int vmsm_coherency_show(struct seq_file *m, void *unused)
{
	vmsm_coherency_debugfs_show(m, entry_vdev(m));
	return 0;
}

static const struct drm_debugfs_info vmsm_debugfs_list[] = {
	{ "vmsm_coherency", vmsm_coherency_show, 0 },
	{ "vmsm_caps", vmsm_caps_show, 0 },
	{ "vmsm_objects", vmsm_objects_show, 0 },
	{ "vmsm_pinned", vmsm_pinned_show, 0 },
	{ "vmsm_gem", vmsm_gem_show, 0 },
	{ "vmsm_vm", vmsm_vm_show, 0 },
	{ "vmsm_rings", vmsm_rings_show, 0 },
	{ "vmsm_faults", vmsm_faults_show, 0 },
};

/**
 * vmsm_debugfs_init() - create vmsm's debugfs files for a DRM minor
 * @minor: the minor whose debugfs directory receives the files
 */
void vmsm_debugfs_init(struct drm_minor *minor)
{
	struct vmsm_device *vdev = to_vmsm_device(minor->dev);

	drm_debugfs_add_files(minor->dev, vmsm_debugfs_list,
			      ARRAY_SIZE(vmsm_debugfs_list));
	debugfs_create_bool("vmsm_coherency_check", 0644, minor->debugfs_root,
			    &vdev->owner_ctx.check);
	debugfs_create_bool("vmsm_coherency_strict", 0644, minor->debugfs_root,
			    &vdev->owner_ctx.strict);
	vmsm_kms_debugfs_init(minor);
}
