// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: vmsm driver
 *
 * vmsm drives a virtual msm-style GPU and display engine that is
 * implemented in software inside the module, so the driver loads on any
 * board or virtual machine. It is a platform driver: a device tree node
 * compatible with ``"virtual,vmsm1-gpu"`` instantiates a device, and when
 * no such node exists the module registers platform devices of its own
 * (module parameter ``num_devices``, as vkms does), each with its own
 * coherency (module parameter ``coherent``).
 *
 * Every device registers one DRM device with a primary and a render node,
 * with the display engine (KMS, see "display") on the primary node and
 * fbdev emulation on top of it.
 */

#include <linux/dma-coherency.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_fbdev_ttm.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/vmsm_drm.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/*
 * uapi version history (see include/uapi/drm/vmsm_drm.h):
 * - 1.0: first version, DRM_IOCTL_VMSM_GET_PARAM.
 * - 1.1: buffer objects: GEM_NEW, GEM_INFO, GEM_CPU_PREP, GEM_CPU_FINI.
 * - 1.2: submission: GEM_SUBMIT, WAIT_FENCE.
 * - 1.3: submit queues: SUBMITQUEUE_NEW, SUBMITQUEUE_CLOSE, SUBMITQUEUE_QUERY.
 * - 1.4: GEM_MADVISE and the shrinker.
 * - 1.5: VM_BIND, userspace-managed GPU virtual addresses.
 * - 1.6: submit queues with an address space of their own.
 * - 1.7: CPU_PREP and CPU_FINI over byte ranges, GEM_SYNC; cache
 *   maintenance through the iommu-owner API.
 * - 1.8: VMSM_BO_CACHE_AUTO; dma-buf export with vmsm's own dma_buf_ops
 *   and the coherency query, import of foreign dma-bufs.
 * - 1.9: the display engine: DRIVER_MODESET and DRIVER_ATOMIC, dumb
 *   buffers, VMSM_BO_SCANOUT.
 * - 1.10: CPU accesses nest per page; a submit of memory the CPU still
 *   owns ends the CPU's access instead of leaving it open.
 * - 1.11: memory stats in the fdinfo of DRM files; max_pinned_mb, the
 *   limit on memory pinned for the GPU (-ENOMEM beyond it).
 * - 1.12: VMSM_PARAM_CPU_PAGE_SIZE.
 * - 1.13: the CP's CONVERT packet (NV12 <-> XRGB8888/ARGB8888); Y'CbCr
 *   scanout with COLOR_ENCODING and COLOR_RANGE, overlay rotation, NV12
 *   writeback.
 */
#define VMSM_VERSION_MAJOR	1
#define VMSM_VERSION_MINOR	13
#define VMSM_VERSION_PATCHLEVEL	0

static int num_devices = -1;
module_param(num_devices, int, 0444);
MODULE_PARM_DESC(num_devices,
		 "Devices to register without a device tree node (-1: one if none in DT, max "
		 __stringify(VMSM_MAX_DEVICES) ")");

static bool coherent[VMSM_MAX_DEVICES];
module_param_array(coherent, bool, NULL, 0444);
MODULE_PARM_DESC(coherent,
		 "Per self-registered device: cache-coherent with the CPU (default N)");

static unsigned int job_timeout_ms = 2000;
module_param(job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms, "Time a GPU job may run before it is killed (default 2000)");

static bool fbdev = true;
module_param(fbdev, bool, 0444);
MODULE_PARM_DESC(fbdev, "fbdev emulation on the first CRTC (default Y)");

static DEFINE_IDA(vmsm_ida);
static struct platform_device *vmsm_self_pdev[VMSM_MAX_DEVICES];

/**
 * vmsm_ioctl_get_param() - DRM_IOCTL_VMSM_GET_PARAM handler
 * @drm: the DRM device
 * @data: the ioctl argument, a &struct drm_vmsm_get_param
 * @file: the DRM file the ioctl came through
 *
 * Return: 0 on success, -EINVAL for an unknown parameter or non-zero padding.
 */
int vmsm_ioctl_get_param(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct vmsm_device *vdev = to_vmsm_device(drm);
	struct drm_vmsm_get_param *args = data;

	if (args->pad)
		return -EINVAL;

	return vmsm_caps_get_param(&vdev->caps, args->param,
				   ktime_get_raw_ns(), &args->value);
}

/* Every file, an in-kernel client's (fbdev emulation) too, is a GPU context. */
static int vmsm_open(struct drm_device *drm, struct drm_file *file)
{
	struct vmsm_device *vdev = to_vmsm_device(drm);
	struct vmsm_file_priv *priv;
	int ret;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->vdev = vdev;
	priv->vm = vmsm_vm_create(vdev, VMSM_VM_CONTEXT);
	if (IS_ERR(priv->vm)) {
		ret = PTR_ERR(priv->vm);
		goto err_free;
	}

	ret = vmsm_submitqueue_init(priv);
	if (ret)
		goto err_vm;

	file->driver_priv = priv;
	return 0;

err_vm:
	vmsm_vm_put(priv->vm);
err_free:
	kfree(priv);
	return ret;
}

static void vmsm_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct vmsm_file_priv *priv = file->driver_priv;

	vmsm_submitqueue_fini(priv);
	vmsm_vm_put(priv->vm);
	kfree(priv);
}

#define VMSM_IOCTL(name, func, flags) \
	DRM_IOCTL_DEF_DRV(VMSM_##name, vmsm_ioctl_##func, flags)

static const struct drm_ioctl_desc vmsm_ioctls[] = {
	VMSM_IOCTL(GET_PARAM, get_param, DRM_RENDER_ALLOW),
	VMSM_IOCTL(GEM_NEW, gem_new, DRM_RENDER_ALLOW),
	VMSM_IOCTL(GEM_INFO, gem_info, DRM_RENDER_ALLOW),
	VMSM_IOCTL(GEM_CPU_PREP, gem_cpu_prep, DRM_RENDER_ALLOW),
	VMSM_IOCTL(GEM_CPU_FINI, gem_cpu_fini, DRM_RENDER_ALLOW),
	VMSM_IOCTL(GEM_SUBMIT, gem_submit, DRM_RENDER_ALLOW),
	VMSM_IOCTL(WAIT_FENCE, wait_fence, DRM_RENDER_ALLOW),
	VMSM_IOCTL(SUBMITQUEUE_NEW, submitqueue_new, DRM_RENDER_ALLOW),
	VMSM_IOCTL(SUBMITQUEUE_CLOSE, submitqueue_close, DRM_RENDER_ALLOW),
	VMSM_IOCTL(SUBMITQUEUE_QUERY, submitqueue_query, DRM_RENDER_ALLOW),
	VMSM_IOCTL(GEM_MADVISE, gem_madvise, DRM_RENDER_ALLOW),
	VMSM_IOCTL(VM_BIND, vm_bind, DRM_RENDER_ALLOW),
	VMSM_IOCTL(GEM_SYNC, gem_sync, DRM_RENDER_ALLOW),
};

/*
 * fdinfo (drm-usage-stats): the DRM core prints the driver name and the
 * client id, vmsm the memory of the file's objects; their status callback
 * tells which are resident and which purgeable.
 */
static void vmsm_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	drm_show_memory_stats(p, file);
}

static const struct file_operations vmsm_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo = drm_show_fdinfo,
};

static const struct drm_driver vmsm_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | DRIVER_MODESET | DRIVER_ATOMIC,
	.open = vmsm_open,
	.postclose = vmsm_postclose,
	.show_fdinfo = vmsm_show_fdinfo,
	.gem_create_object = vmsm_gem_create_object,
	.dumb_create = vmsm_dumb_create,
	.gem_prime_import = vmsm_gem_prime_import,
	.gem_prime_import_sg_table = vmsm_gem_prime_import_sg_table,
	.ioctls = vmsm_ioctls,
	.num_ioctls = ARRAY_SIZE(vmsm_ioctls),
	.fops = &vmsm_fops,
	.debugfs_init = vmsm_debugfs_init,
	.name = VMSM_DRIVER_NAME,
	.desc = VMSM_DRIVER_DESC,
	.date = "20261122",
	.major = VMSM_VERSION_MAJOR,
	.minor = VMSM_VERSION_MINOR,
	.patchlevel = VMSM_VERSION_PATCHLEVEL,
};

static bool vmsm_dev_coherent(struct device *dev)
{
	const struct vmsm_platform_data *pdata = dev_get_platdata(dev);

	if (dev->of_node)
		return of_dma_is_coherent(dev->of_node);
	return pdata && pdata->coherent;
}

static void vmsm_coherency_unregister(void *data)
{
	dma_coherency_unregister(data);
}

static void vmsm_ida_release(void *data)
{
	ida_free(&vmsm_ida, (int)(uintptr_t)data);
}

static void vmsm_srcu_cleanup(struct drm_device *drm, void *data)
{
	cleanup_srcu_struct(&to_vmsm_device(drm)->mmu_srcu);
}

/* Runs when the last reference to the DRM device is gone: no file is open. */
static void vmsm_gpu_release(struct drm_device *drm, void *data)
{
	/* Every object is gone, so is every charge for pinned memory. */
	drm_WARN_ON(drm, atomic64_read(&to_vmsm_device(drm)->pinned_bytes));
	vmsm_gpu_fini(to_vmsm_device(drm));
	vmsm_coherency_fini(to_vmsm_device(drm));
}

static int vmsm_device_init(struct vmsm_device *vdev)
{
	struct drm_device *drm = &vdev->drm;
	int ret;

	vdev->job_timeout_ms = max(job_timeout_ms, 10u);
	INIT_LIST_HEAD(&vdev->pt_free);
	vmsm_dump_init(vdev);
	INIT_LIST_HEAD(&vdev->bos);
	INIT_LIST_HEAD(&vdev->vms);
	ret = drmm_mutex_init(drm, &vdev->mm_lock);
	if (ret)
		return ret;

	ret = init_srcu_struct(&vdev->mmu_srcu);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(drm, vmsm_srcu_cleanup, NULL);
	if (ret)
		return ret;

	vmsm_coherency_init(vdev);
	ret = vmsm_dma_view_init(vdev);
	if (ret)
		return ret;
	ret = vmsm_gpu_init(vdev);
	if (ret) {
		vmsm_coherency_fini(vdev);
		return ret;
	}
	ret = drmm_add_action_or_reset(drm, vmsm_gpu_release, NULL);
	if (ret)
		return ret;
	return vmsm_gem_shrinker_init(vdev);
}

static int vmsm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct vmsm_device *vdev;
	int ret;

	vdev = devm_drm_dev_alloc(dev, &vmsm_drm_driver, struct vmsm_device, drm);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	vdev->pdev = pdev;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return dev_err_probe(dev, ret, "no usable DMA mask\n");
	/* The GPU MMU maps scatter lists of any segment size. */
	dma_set_max_seg_size(dev, UINT_MAX);

	ret = ida_alloc(&vmsm_ida, GFP_KERNEL);
	if (ret < 0)
		return ret;
	vdev->index = ret;
	ret = devm_add_action_or_reset(dev, vmsm_ida_release,
				       (void *)(uintptr_t)vdev->index);
	if (ret)
		return ret;

	vmsm_caps_init(&vdev->caps, vdev->index, vmsm_dev_coherent(dev));
	vdev->caps.cpu_page_size = PAGE_SIZE;
	platform_set_drvdata(pdev, vdev);

	/* What dma-buf peers learn from the coherency query. */
	ret = dma_coherency_register(dev, vdev->caps.coherent);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, vmsm_coherency_unregister, dev);
	if (ret)
		return ret;

	ret = vmsm_device_init(vdev);
	if (ret)
		return ret;

	ret = vmsm_kms_init(vdev);
	if (ret)
		return ret;

	ret = drm_dev_register(&vdev->drm, 0);
	if (ret) {
		vmsm_kms_fini(vdev);
		return ret;
	}

	/*
	 * fbdev emulation draws into a shadow buffer that is copied into the
	 * GEM object on damage: on this kernel, fbdev's deferred I/O takes
	 * over page->mapping of the pages it maps to userspace and leaves it
	 * cleared, and freeing a shmem object whose pages went through it
	 * (fbdev-shmem) livelocks in shmem truncation once a client has
	 * mapped /dev/fbN.
	 */
	if (fbdev)
		drm_fbdev_ttm_setup(&vdev->drm, 32);

	drm_info(&vdev->drm, "vmsm %u: chip 0x%08x, %s, %u-bit GPU VA\n",
		 vdev->index, vdev->caps.chip_id,
		 vdev->caps.coherent ? "coherent" : "non-coherent",
		 vdev->caps.va_bits);
	return 0;
}

/**
 * DOC: Removal and hot-unplug
 *
 * Unbinding a device (or unloading the module) may happen while clients
 * hold files, CPU mappings, exported dma-bufs, jobs in flight and a lit
 * display. vmsm_remove() unplugs the DRM device first: from then on the
 * DRM core fails every ioctl and open of its nodes with -ENODEV, CPU
 * mappings made through the DRM file are zapped (a later touch maps the
 * object's pages again: they are system memory), and fbdev emulation is
 * unregistered (an open /dev/fbN keeps its shadow buffer until closed).
 * Then every CRTC is turned off, which completes pending commits and
 * sends their events, and the display engine's vblank timers and
 * composer are stopped for good.
 *
 * The GPU core is released with the DRM device's last reference, when the
 * last file, mapping and dma-buf are gone: jobs already queued run or time
 * out, their fences signal, and imported or exported buffers stay valid
 * for the other side until it lets go. debugfs object counts return to
 * zero when the last client closes.
 */
static void vmsm_remove(struct platform_device *pdev)
{
	struct vmsm_device *vdev = platform_get_drvdata(pdev);

	/*
	 * Unplugging unregisters fbdev emulation while the display still
	 * runs; then the display is turned off for good.
	 */
	drm_dev_unplug(&vdev->drm);
	drm_atomic_helper_shutdown(&vdev->drm);
	vmsm_kms_fini(vdev);
}

static void vmsm_shutdown(struct platform_device *pdev)
{
	struct vmsm_device *vdev = platform_get_drvdata(pdev);

	drm_atomic_helper_shutdown(&vdev->drm);
}

static const struct of_device_id vmsm_of_match[] = {
	{ .compatible = "virtual,vmsm1-gpu" },
	{ }
};
MODULE_DEVICE_TABLE(of, vmsm_of_match);

static struct platform_driver vmsm_platform_driver = {
	.probe = vmsm_probe,
	.remove = vmsm_remove,
	.shutdown = vmsm_shutdown,
	.driver = {
		.name = VMSM_DRIVER_NAME,
		.of_match_table = vmsm_of_match,
	},
};

static void vmsm_unregister_self_devices(void)
{
	int i;

	for (i = VMSM_MAX_DEVICES - 1; i >= 0; i--) {
		if (vmsm_self_pdev[i])
			platform_device_unregister(vmsm_self_pdev[i]);
		vmsm_self_pdev[i] = NULL;
	}
}

static int vmsm_register_self_devices(void)
{
	struct vmsm_platform_data pdata = { };
	struct platform_device_info info = {
		.name = VMSM_DRIVER_NAME,
		.data = &pdata,
		.size_data = sizeof(pdata),
		.dma_mask = DMA_BIT_MASK(64),
	};
	struct platform_device *pdev;
	struct device_node *np;
	int count = num_devices;
	int i;

	if (count < 0) {
		np = of_find_matching_node(NULL, vmsm_of_match);
		of_node_put(np);
		count = np ? 0 : 1;
	}
	if (count > VMSM_MAX_DEVICES) {
		pr_err("vmsm: num_devices=%d exceeds %d\n", count, VMSM_MAX_DEVICES);
		return -EINVAL;
	}

	for (i = 0; i < count; i++) {
		pdata.coherent = coherent[i];
		info.id = i;
		pdev = platform_device_register_full(&info);
		if (IS_ERR(pdev)) {
			vmsm_unregister_self_devices();
			return PTR_ERR(pdev);
		}
		vmsm_self_pdev[i] = pdev;
	}
	return 0;
}

/*
 * Releases that must not run where they are triggered (see
 * vmsm_vm_put_deferred()). Module-wide, so that unloading drains it: a
 * device may outlive its platform device until its last job is freed.
 */
static struct workqueue_struct *vmsm_release_wq;

/**
 * vmsm_queue_release_work() - run a release on the driver's release workqueue
 * @work: the release, initialized
 */
void vmsm_queue_release_work(struct work_struct *work)
{
	queue_work(vmsm_release_wq, work);
}

static int __init vmsm_init(void)
{
	int ret;

	vmsm_release_wq = alloc_workqueue("vmsm-release", WQ_UNBOUND, 0);
	if (!vmsm_release_wq)
		return -ENOMEM;
	ret = platform_driver_register(&vmsm_platform_driver);
	if (ret)
		goto err_wq;
	ret = vmsm_register_self_devices();
	if (ret)
		goto err_driver;
	return 0;

err_driver:
	platform_driver_unregister(&vmsm_platform_driver);
err_wq:
	destroy_workqueue(vmsm_release_wq);
	return ret;
}

static void __exit vmsm_exit(void)
{
	vmsm_unregister_self_devices();
	platform_driver_unregister(&vmsm_platform_driver);
	destroy_workqueue(vmsm_release_wq);
}

module_init(vmsm_init);
module_exit(vmsm_exit);

MODULE_AUTHOR("The vmsm authors");
MODULE_DESCRIPTION(VMSM_DRIVER_DESC);
MODULE_LICENSE("GPL");
