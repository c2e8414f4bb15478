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
 *	counts of live driver objects (``clients`` so far). Test suites read
 *	it after closing every file: all counts must be back to zero.
 */

#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>

#include "vmsm_drv.h"

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

	seq_printf(m, "clients %d\n", atomic_read(&vdev->nr_clients));
	return 0;
}

static const struct drm_debugfs_info vmsm_debugfs_list[] = {
	{ "vmsm_caps", vmsm_caps_show, 0 },
	{ "vmsm_objects", vmsm_objects_show, 0 },
};

/**
 * vmsm_debugfs_init() - create vmsm's debugfs files for a DRM minor
 * @minor: the minor whose debugfs directory receives the files
 */
void vmsm_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_add_files(minor->dev, vmsm_debugfs_list,
			      ARRAY_SIZE(vmsm_debugfs_list));
}
