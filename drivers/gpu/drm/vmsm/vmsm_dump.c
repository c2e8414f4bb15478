// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: devcoredump
 *
 * When a job faults or hangs, the GPU core records what it knows (fault
 * type, address, access, queue, the job's command buffers) without
 * allocating beyond a small GFP_NOWAIT request, since it runs before the
 * job's fence signals. A work item then writes a text dump through
 * devcoredump, reading the first dwords of each command buffer through
 * the faulting context's page tables, as the GPU saw them::
 *
 *   vmsm devcoredump
 *   fault: <type> address 0x... write <0|1> queue <id>
 *   cmd <n>: iova 0x... dwords <n>
 *     <up to 64 dwords, 8 a line>
 *   vm: <mappings: start-end flags>
 *
 * The dump reads the command buffers as the GPU core does, through the
 * device view of a cached object on a non-coherent device (see
 * "coherency"): it shows what the GPU executed, which is what a dump is
 * for, not what the CPU may hold unfinished in its caches. It begins no
 * CPU access, so it changes no ownership and reports nothing in checking
 * mode; the job listed the buffers, which handed them to the device.
 *
 * The dump appears as /sys/class/devcoredump/devcd<N>/data; writing to
 * that file discards it. While one dump of the device is pending, later
 * faults produce none.
 */

#include <linux/devcoredump.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <drm/drm_print.h>

#include "vmsm_job.h"

#define VMSM_DUMP_SIZE		SZ_64K
#define VMSM_DUMP_DWORDS	64

/**
 * struct vmsm_dump_req - what a fault leaves for the dump worker
 * @vm: the faulting context's VM (reference)
 * @info: the fault
 * @nr_cmds: number of @cmds
 * @cmds: the job's command buffers
 */
struct vmsm_dump_req {
	struct vmsm_vm *vm;
	struct drm_vmsm_fault_info info;
	u32 nr_cmds;
	struct vmsm_job_cmd cmds[] __counted_by(nr_cmds);
};

static const char *const vmsm_fault_names[] = {
	[VMSM_FAULT_NONE] = "none",
	[VMSM_FAULT_TRANSLATION] = "translation",
	[VMSM_FAULT_PERMISSION] = "permission",
	[VMSM_FAULT_INVALID_PACKET] = "invalid-packet",
	[VMSM_FAULT_HANG] = "hang",
};

/**
 * vmsm_fault_name() - the name of a fault type, for logs and reports
 * @type: a value of &enum drm_vmsm_fault_type, or any other
 *
 * Return: the name, or "unknown" for a value that names no fault type.
 */
const char *vmsm_fault_name(u32 type)
{
	if (type >= ARRAY_SIZE(vmsm_fault_names) || !vmsm_fault_names[type])
		return "unknown";
	return vmsm_fault_names[type];
}

/* Reads one dword as the GPU core would; false if it faults. */
static bool vmsm_dump_read(struct vmsm_vm *vm, u64 va, u32 *val)
{
	struct vmsm_device *vdev = vm->vdev;
	u32 *map;
	u64 pte;
	int idx;

	idx = srcu_read_lock(&vdev->mmu_srcu);
	map = vmsm_vm_access_map(vm, va, 4, false, &pte);
	if (map) {
		*val = *map;
		vmsm_vm_access_unmap(map);
	}
	srcu_read_unlock(&vdev->mmu_srcu, idx);
	return map;
}

static void vmsm_dump_cmd(struct drm_printer *p, struct vmsm_vm *vm,
			  const struct vmsm_job_cmd *cmd)
{
	u32 i, val, n = min_t(u32, cmd->size, VMSM_DUMP_DWORDS);

	for (i = 0; i < n; i++) {
		if (!vmsm_dump_read(vm, cmd->iova + i * 4ull, &val)) {
			drm_printf(p, "%s<unmapped>\n", i % 8 ? " " : "  ");
			return;
		}
		drm_printf(p, "%s%08x%s", i % 8 ? " " : "  ", val,
			   (i % 8 == 7 || i == n - 1) ? "\n" : "");
	}
}

static void vmsm_dump_print(struct drm_printer *p, struct vmsm_device *vdev,
			    struct vmsm_dump_req *req)
{
	const struct drm_vmsm_fault_info *info = &req->info;
	struct vmsm_vma *vma;
	u32 i;

	drm_printf(p, "vmsm devcoredump\n");
	drm_printf(p, "fault: %s address 0x%llx write %u queue %u\n",
		   vmsm_fault_name(info->type), info->address, info->write,
		   info->queue_id);

	for (i = 0; i < req->nr_cmds; i++) {
		drm_printf(p, "cmd %u: iova 0x%llx dwords %u\n", i,
			   req->cmds[i].iova, req->cmds[i].size);
		vmsm_dump_cmd(p, req->vm, &req->cmds[i]);
	}

	drm_printf(p, "vm:\n");
	mutex_lock(&vdev->mm_lock);
	list_for_each_entry(vma, &req->vm->vmas, vm_link)
		drm_printf(p, "  %012llx-%012llx flags 0x%x\n", vma->node.start,
			   vma->node.start + vma->node.size, vma->bo->flags);
	mutex_unlock(&vdev->mm_lock);
}

static void vmsm_dump_work(struct work_struct *work)
{
	struct vmsm_device *vdev = container_of(work, struct vmsm_device, dump_work);
	struct drm_print_iterator iter = { };
	struct vmsm_dump_req *req;
	struct drm_printer p;

	spin_lock(&vdev->dump_lock);
	req = vdev->dump_req;
	vdev->dump_req = NULL;
	spin_unlock(&vdev->dump_lock);
	if (!req)
		return;

	iter.data = vmalloc(VMSM_DUMP_SIZE);
	if (iter.data) {
		iter.remain = VMSM_DUMP_SIZE;
		p = drm_coredump_printer(&iter);
		vmsm_dump_print(&p, vdev, req);
		dev_coredumpv(vdev->drm.dev, iter.data, VMSM_DUMP_SIZE - iter.remain,
			      GFP_KERNEL);
	}
	vmsm_vm_put(req->vm);
	kfree(req);
}

/**
 * vmsm_dump_job() - ask for a devcoredump of a faulting job
 * @job: the job, still running on its ring
 * @info: the fault
 *
 * Allocates nothing that could wait for memory: the job's fence has not
 * signalled yet. Drops the request if one is pending already.
 */
void vmsm_dump_job(struct vmsm_job *job, const struct drm_vmsm_fault_info *info)
{
	struct vmsm_device *vdev = job->vdev;
	struct vmsm_dump_req *req;

	if (READ_ONCE(vdev->dump_req))
		return;
	req = kmalloc(struct_size(req, cmds, job->nr_cmds), GFP_NOWAIT | __GFP_NOWARN);
	if (!req)
		return;

	req->vm = vmsm_vm_get(job->vm);
	req->info = *info;
	req->nr_cmds = job->nr_cmds;
	memcpy(req->cmds, job->cmds, job->nr_cmds * sizeof(*req->cmds));

	spin_lock(&vdev->dump_lock);
	if (!vdev->dump_req) {
		vdev->dump_req = req;
		req = NULL;
	}
	spin_unlock(&vdev->dump_lock);

	if (req) {
		vmsm_vm_put(req->vm);
		kfree(req);
		return;
	}
	schedule_work(&vdev->dump_work);
}

/**
 * vmsm_dump_init() - set up a device's dump worker
 * @vdev: the device
 */
void vmsm_dump_init(struct vmsm_device *vdev)
{
	spin_lock_init(&vdev->dump_lock);
	INIT_WORK(&vdev->dump_work, vmsm_dump_work);
}

/**
 * vmsm_dump_fini() - wait for a pending dump; no job can fault any more
 * @vdev: the device
 */
void vmsm_dump_fini(struct vmsm_device *vdev)
{
	flush_work(&vdev->dump_work);
}
