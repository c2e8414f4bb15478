// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: display
 *
 * vmsm's display engine is an atomic KMS device with ``num_crtcs`` (module
 * parameter, 1 to 4, default 1) CRTCs. Each CRTC has its own primary plane,
 * two overlay planes and a cursor plane, an encoder and a virtual connector
 * (``DRM_MODE_CONNECTOR_VIRTUAL``) whose preferred mode is
 * ``display_width`` x ``display_height`` (module parameters, default
 * 1024x768) at 60 Hz, with the usual modes of a connector without EDID up
 * to 4096x4096, and a writeback connector; each of them can only be used
 * with its own CRTC. Each CRTC has the DRM core's colour management (see
 * "display engine: colour management") and times the modes described in
 * "CRTC and vblank".
 *
 * Framebuffers can be made of dumb buffers, of vmsm objects created with
 * %VMSM_BO_SCANOUT and of imported dma-bufs; ADDFB2 with another vmsm
 * object fails with -EINVAL. The display engine reads framebuffers through
 * a GPU address space of its own, set up at probe (counted as
 * ``display_vms`` in debugfs ``vmsm_objects``): a framebuffer's objects are
 * mapped there the first time they are put on a plane, and stay mapped
 * until they are freed.
 *
 * Cache maintenance policy: the display engine is a device like the GPU
 * core, and reads and writes what the GPU core does, the device view of a
 * cached object on a non-coherent device (see "coherency").
 *
 * - Scanout reads: each commit that puts an object on a plane (DIRTYFB
 *   included, through the damage helper's commit) hands it to the display
 *   engine with the ownership API (begin device access, for reading). The
 *   composer then reads the device view at every frame: what the CPU
 *   finished with GEM_CPU_FINI or GEM_SYNC, before that commit or after
 *   it (a FINI's clean shows from the next frame on, as it would on
 *   hardware that scans memory out). CPU writes not finished stay
 *   invisible. A commit of an object the CPU still holds is misuse:
 *   reported in checking mode, and it ends the CPU's access (the writes
 *   made under it show) by default, or fails with -EBUSY in strict mode;
 *   a CPU write without GEM_CPU_PREP is reported by write tracking and
 *   not shown until a FINI over its page.
 * - Writeback writes: see "display engine: writeback"; the target is
 *   handed to the display engine for writing, and the job's fence is a
 *   write fence of the target, so that GEM_CPU_PREP waits for the capture
 *   and then invalidates it into the CPU's view. A CPU read without PREP
 *   sees what the CPU last had (stale on a non-coherent device; reads are
 *   not tracked, so checking mode cannot report it).
 * - fbdev emulation copies its damage into its dumb buffer through a
 *   kernel mapping, a CPU access that ends with the copy (see
 *   "coherency"), then hands the buffer to the display engine with
 *   DIRTYFB.
 *
 * Dumb buffers are never cached on a non-coherent device, so fbdev's
 * transfers find nothing to maintain there; a coherent device never
 * maintains anything, and shows and captures what the CPU wrote at once.
 *
 * fbdev emulation (module parameter ``fbdev``, default on) uses the first
 * CRTC's primary plane. /dev/fbN is a shadow buffer in system memory; the
 * damage it collects is copied into a dumb buffer, which is then handed to
 * the display engine like any other (DIRTYFB). Its file, a GPU context
 * like any, and its buffer are counted apart from userspace's in debugfs
 * ``vmsm_objects`` (``kernel_clients``, ``kernel_objects``).
 *
 * debugfs (``/sys/kernel/debug/dri/<minor>/``):
 *
 * ``vmsm_hotplug``
 *	one ``<index> connected|disconnected`` line per virtual connector;
 *	writing ``<index> <0|1>`` disconnects or connects it and sends a
 *	hotplug uevent.
 * ``vmsm_display``
 *	per CRTC, a ``crtc <index>: enabled <0|1> mode <w>x<h>@<hz> vblank
 *	<count>`` line (``mode -`` when disabled), then the composer's state (frames
 *	composed, the nanoseconds spent composing them, missed, scanout
 *	faults, the planes being scanned out).
 */

#include <linux/debugfs.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/uaccess.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_vblank.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"

static unsigned int num_crtcs = 1;
module_param(num_crtcs, uint, 0444);
MODULE_PARM_DESC(num_crtcs, "CRTCs of each display engine (1-"
		 __stringify(VMSM_MAX_CRTCS) ", default 1)");

static unsigned int display_width = 1024;
module_param(display_width, uint, 0444);
MODULE_PARM_DESC(display_width, "Width of the virtual connectors' preferred mode (default 1024)");

static unsigned int display_height = 768;
module_param(display_height, uint, 0444);
MODULE_PARM_DESC(display_height, "Height of the virtual connectors' preferred mode (default 768)");

static const struct drm_framebuffer_funcs vmsm_fb_funcs = {
	.destroy = drm_gem_fb_destroy,
	.create_handle = drm_gem_fb_create_handle,
	.dirty = drm_atomic_helper_dirtyfb,
};

/* Only scanout-capable objects can back a framebuffer. */
static int vmsm_fb_check_objects(struct drm_device *drm, struct drm_file *file,
				 const struct drm_mode_fb_cmd2 *cmd)
{
	const struct drm_format_info *info = drm_get_format_info(drm, cmd);
	struct drm_gem_object *obj;
	unsigned int i;
	int ret = 0;

	if (!info)
		return -EINVAL;
	for (i = 0; i < info->num_planes && !ret; i++) {
		obj = drm_gem_object_lookup(file, cmd->handles[i]);
		if (!obj)
			return -ENOENT;
		if (!vmsm_gem_can_scanout(obj)) {
			drm_dbg_kms(drm, "object %u is not a scanout object\n",
				    cmd->handles[i]);
			ret = -EINVAL;
		}
		drm_gem_object_put(obj);
	}
	return ret;
}

static struct drm_framebuffer *vmsm_fb_create(struct drm_device *drm,
					      struct drm_file *file,
					      const struct drm_mode_fb_cmd2 *cmd)
{
	int ret;

	ret = vmsm_fb_check_objects(drm, file, cmd);
	if (ret)
		return ERR_PTR(ret);
	return drm_gem_fb_create_with_funcs(drm, file, cmd, &vmsm_fb_funcs);
}

static int vmsm_atomic_check(struct drm_device *drm, struct drm_atomic_state *state)
{
	int ret;

	ret = drm_atomic_helper_check(drm, state);
	if (ret)
		return ret;
	return vmsm_writeback_check(state);
}

/* Every mode, probed or from userspace: what the engine can time. */
static enum drm_mode_status vmsm_mode_valid(struct drm_device *drm,
					    const struct drm_display_mode *mode)
{
	return vmsm_crtc_mode_status(mode);
}

static const struct drm_mode_config_funcs vmsm_mode_config_funcs = {
	.fb_create = vmsm_fb_create,
	.mode_valid = vmsm_mode_valid,
	.atomic_check = vmsm_atomic_check,
	.atomic_commit = drm_atomic_helper_commit,
};

/*
 * CRTCs are enabled before their planes are updated, so that the events
 * of a commit are armed on a running vblank timer; the composer lets go
 * of the old states before they are freed.
 */
static void vmsm_atomic_commit_tail(struct drm_atomic_state *state)
{
	struct drm_device *drm = state->dev;
	struct drm_crtc *crtc;
	int i;

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, 0);
	drm_atomic_helper_fake_vblank(state);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(drm, state);
	for (i = 0; i < drm->mode_config.num_crtc; i++) {
		crtc = state->crtcs[i].ptr;
		if (crtc)
			vmsm_compose_flush(to_vmsm_crtc(crtc));
	}
	drm_atomic_helper_cleanup_planes(drm, state);
}

static const struct drm_mode_config_helper_funcs vmsm_mode_config_helpers = {
	.atomic_commit_tail = vmsm_atomic_commit_tail,
};

/**
 * vmsm_dumb_create() - &drm_driver.dumb_create for vmsm
 * @file: the DRM file the handle is created in
 * @drm: the DRM device
 * @args: the request; pitch, size and handle are filled in
 *
 * Lines are 64-byte aligned. The object is a scanout object, see
 * vmsm_gem_create_dumb().
 *
 * Return: 0, -EINVAL for a bad size or depth, -ENOMEM.
 */
int vmsm_dumb_create(struct drm_file *file, struct drm_device *drm,
		     struct drm_mode_create_dumb *args)
{
	u64 pitch, size;
	int ret;

	if (!args->width || !args->height || !args->bpp || args->bpp > 64)
		return -EINVAL;
	pitch = ALIGN(DIV_ROUND_UP((u64)args->width * args->bpp, 8), 64);
	if (pitch > U32_MAX || check_mul_overflow(pitch, (u64)args->height, &size))
		return -EINVAL;

	ret = vmsm_gem_create_dumb(file, drm, size, &args->handle);
	if (ret)
		return ret;
	args->pitch = pitch;
	args->size = PAGE_ALIGN(size);
	return 0;
}

static void vmsm_kms_vm_release(void *data)
{
	struct vmsm_kms *kms = data;

	vmsm_vm_put(kms->vm);
	kms->vm = NULL;
}

static int vmsm_kms_init_vm(struct vmsm_kms *kms)
{
	struct vmsm_device *vdev = kms->vdev;

	kms->vm = vmsm_vm_create(vdev, VMSM_VM_DISPLAY);
	if (IS_ERR(kms->vm))
		return PTR_ERR(kms->vm);
	/*
	 * The VM's address space (drm_gpuvm) holds a reference on the DRM
	 * device, so it must not wait for the device's release: it goes when
	 * the platform device is unbound (or its probe fails), after the
	 * display is off. Framebuffer objects that outlive it (files still
	 * open) lose their mapping in it then; nothing maps them again, since
	 * an unplugged device takes no commit.
	 */
	return devm_add_action_or_reset(vdev->drm.dev, vmsm_kms_vm_release, kms);
}

static int vmsm_kms_init_crtc(struct vmsm_kms *kms, unsigned int index)
{
	struct vmsm_crtc *vcrtc = &kms->crtcs[index];
	int ret;

	vcrtc->kms = kms;
	vcrtc->index = index;
	vcrtc->connected = true;
	spin_lock_init(&vcrtc->lock);

	ret = vmsm_planes_init(kms, vcrtc);
	if (ret)
		return ret;
	ret = vmsm_crtc_init(kms, vcrtc);
	if (ret)
		return ret;
	ret = vmsm_connector_init(kms, vcrtc);
	if (ret)
		return ret;
	return vmsm_writeback_init(kms, vcrtc);
}

static void vmsm_kms_compose_fini(struct vmsm_kms *kms, unsigned int count)
{
	while (count--)
		vmsm_compose_fini(&kms->crtcs[count]);
}

static int vmsm_kms_init_config(struct vmsm_device *vdev)
{
	struct drm_device *drm = &vdev->drm;
	int ret;

	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	/*
	 * The minimum applies to framebuffers: any size from 1x1 can be
	 * scanned out (cursor images are often small and not square). The
	 * modes' minimum is vmsm_crtc_mode_status()'s.
	 */
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = VMSM_MAX_SIZE;
	drm->mode_config.max_height = VMSM_MAX_SIZE;
	drm->mode_config.cursor_width = VMSM_CURSOR_SIZE;
	drm->mode_config.cursor_height = VMSM_CURSOR_SIZE;
	drm->mode_config.preferred_depth = 24;
	drm->mode_config.normalize_zpos = true;
	drm->mode_config.async_page_flip = true;
	drm->mode_config.funcs = &vmsm_mode_config_funcs;
	drm->mode_config.helper_private = &vmsm_mode_config_helpers;
	return 0;
}

/**
 * vmsm_kms_init() - set up the display engine of a device
 * @vdev: the device, not registered yet
 *
 * Return: 0 or a negative errno; what was set up is released with the
 * DRM device.
 */
int vmsm_kms_init(struct vmsm_device *vdev)
{
	struct drm_device *drm = &vdev->drm;
	struct vmsm_kms *kms;
	unsigned int i;
	int ret;

	kms = drmm_kzalloc(drm, sizeof(*kms), GFP_KERNEL);
	if (!kms)
		return -ENOMEM;
	kms->vdev = vdev;
	kms->nr_crtcs = clamp(num_crtcs, 1u, (unsigned int)VMSM_MAX_CRTCS);
	kms->width = clamp(display_width, (unsigned int)VMSM_MIN_SIZE,
			   (unsigned int)VMSM_MAX_SIZE);
	kms->height = clamp(display_height, (unsigned int)VMSM_MIN_SIZE,
			    (unsigned int)VMSM_MAX_SIZE);

	/* Released after the mode config: framebuffers hold mappings in it. */
	ret = vmsm_kms_init_vm(kms);
	if (ret)
		return ret;
	ret = vmsm_kms_init_config(vdev);
	if (ret)
		return ret;

	for (i = 0; i < kms->nr_crtcs; i++) {
		ret = vmsm_kms_init_crtc(kms, i);
		if (ret)
			goto err_compose;
		ret = vmsm_compose_init(&kms->crtcs[i]);
		if (ret)
			goto err_compose;
	}

	ret = drm_vblank_init(drm, kms->nr_crtcs);
	if (ret)
		goto err_compose;
	drm_mode_config_reset(drm);
	vdev->kms = kms;
	return 0;

err_compose:
	vmsm_kms_compose_fini(kms, i);
	return ret;
}

/**
 * vmsm_kms_map_bo() - make an object reachable by the display engine
 * @kms: the display engine
 * @bo: a framebuffer's object (plane source or writeback target); no
 *	reservation held
 * @write: the display engine writes it (writeback)
 * @iova: where to store its address in the display engine's address space
 *
 * Maps @bo into &vmsm_kms.vm (once: the mapping lasts as long as the
 * object) and hands it to the display engine with the ownership API.
 *
 * Return: 0, vmsm_vm_get_iova()'s errors, -EINTR, or -EBUSY in strict
 * mode while the CPU still owns part of the object.
 */
int vmsm_kms_map_bo(struct vmsm_kms *kms, struct vmsm_bo *bo, bool write,
		    u64 *iova)
{
	struct dma_resv *resv = bo->base.base.resv;
	int ret;

	ret = vmsm_vm_get_iova(kms->vm, bo, iova);
	if (ret)
		return ret;
	ret = dma_resv_lock_interruptible(resv, NULL);
	if (ret)
		return ret;
	ret = vmsm_coherency_device_begin(bo, write);
	dma_resv_unlock(resv);
	return ret;
}

/**
 * vmsm_kms_fini() - stop the display engine of a device
 * @vdev: the device, unplugged, every CRTC off
 *
 * Stops the vblank timers and the composers; the mode objects go with the
 * DRM device.
 */
void vmsm_kms_fini(struct vmsm_device *vdev)
{
	struct vmsm_kms *kms = vdev->kms;
	unsigned int i;

	if (!kms)
		return;
	for (i = 0; i < kms->nr_crtcs; i++)
		hrtimer_cancel(&kms->crtcs[i].vblank_timer);
	vmsm_kms_compose_fini(kms, kms->nr_crtcs);
}

static int vmsm_display_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;
	struct vmsm_kms *kms = to_vmsm_device(entry->dev)->kms;
	struct drm_crtc_state *state;
	struct vmsm_crtc *vcrtc;
	unsigned int i;

	for (i = 0; i < kms->nr_crtcs; i++) {
		vcrtc = &kms->crtcs[i];
		drm_modeset_lock(&vcrtc->base.mutex, NULL);
		state = vcrtc->base.state;
		seq_printf(m, "crtc %u: enabled %d mode ", i, state->active);
		if (state->active)
			seq_printf(m, "%dx%d@%d", state->mode.hdisplay,
				   state->mode.vdisplay, drm_mode_vrefresh(&state->mode));
		else
			seq_puts(m, "-");
		seq_printf(m, " vblank %llu\n", drm_crtc_vblank_count(&vcrtc->base));
		drm_modeset_unlock(&vcrtc->base.mutex);
		vmsm_compose_show(m, vcrtc);
	}
	return 0;
}

static int vmsm_hotplug_show(struct seq_file *m, void *unused)
{
	struct vmsm_kms *kms = m->private;
	struct drm_device *drm = &kms->vdev->drm;
	unsigned int i;

	mutex_lock(&drm->mode_config.mutex);
	for (i = 0; i < kms->nr_crtcs; i++)
		seq_printf(m, "%u %s\n", i,
			   kms->crtcs[i].connected ? "connected" : "disconnected");
	mutex_unlock(&drm->mode_config.mutex);
	return 0;
}

static int vmsm_hotplug_open(struct inode *inode, struct file *file)
{
	return single_open(file, vmsm_hotplug_show, inode->i_private);
}

static ssize_t vmsm_hotplug_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *pos)
{
	struct vmsm_kms *kms = ((struct seq_file *)file->private_data)->private;
	struct drm_device *drm = &kms->vdev->drm;
	unsigned int index, status;
	bool changed;
	char buf[32];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%u %u", &index, &status) != 2 ||
	    index >= kms->nr_crtcs || status > 1)
		return -EINVAL;

	mutex_lock(&drm->mode_config.mutex);
	changed = kms->crtcs[index].connected != status;
	kms->crtcs[index].connected = status;
	mutex_unlock(&drm->mode_config.mutex);

	if (changed)
		drm_kms_helper_hotplug_event(drm);
	return len;
}

static const struct file_operations vmsm_hotplug_fops = {
	.owner = THIS_MODULE,
	.open = vmsm_hotplug_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = vmsm_hotplug_write,
	.release = single_release,
};

/**
 * vmsm_kms_debugfs_init() - create the display engine's debugfs files
 * @minor: the minor whose debugfs directory receives the files
 */
void vmsm_kms_debugfs_init(struct drm_minor *minor)
{
	struct vmsm_kms *kms = to_vmsm_device(minor->dev)->kms;

	if (!kms)
		return;
	drm_debugfs_add_file(minor->dev, "vmsm_display", vmsm_display_show, NULL);
	debugfs_create_file("vmsm_hotplug", 0644, minor->debugfs_root, kms,
			    &vmsm_hotplug_fops);
}
