// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * libvmsm buffer objects.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmsm_priv.h"

static int gem_info(struct vmsm_device *dev, uint32_t handle, uint32_t info,
		    uint64_t *value)
{
	struct drm_vmsm_gem_info args = {
		.handle = handle,
		.info = info,
	};
	int ret;

	ret = vmsm_ioctl(dev->fd, DRM_IOCTL_VMSM_GEM_INFO, &args);
	if (!ret)
		*value = args.value;
	return ret;
}

static void gem_close(struct vmsm_device *dev, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	vmsm_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &args);
}

/* Under dev->lock. */
static struct vmsm_bo *table_find(struct vmsm_device *dev, uint32_t handle)
{
	size_t i;

	for (i = 0; i < dev->nr_bos; i++)
		if (dev->bos[i]->handle == handle)
			return dev->bos[i];
	return NULL;
}

/* Under dev->lock. */
static int table_add(struct vmsm_device *dev, struct vmsm_bo *bo)
{
	if (dev->nr_bos == dev->cap_bos) {
		size_t cap = dev->cap_bos ? 2 * dev->cap_bos : 64;
		struct vmsm_bo **bos = realloc(dev->bos, cap * sizeof(*bos));

		if (!bos)
			return -ENOMEM;
		dev->bos = bos;
		dev->cap_bos = cap;
	}
	dev->bos[dev->nr_bos++] = bo;
	return 0;
}

/* Under dev->lock. */
static void table_del(struct vmsm_device *dev, struct vmsm_bo *bo)
{
	size_t i;

	for (i = 0; i < dev->nr_bos; i++) {
		if (dev->bos[i] == bo) {
			dev->bos[i] = dev->bos[--dev->nr_bos];
			return;
		}
	}
}

/*
 * Under dev->lock: wraps @handle, which the new object owns. On failure
 * the handle is closed.
 */
static int bo_wrap_locked(struct vmsm_device *dev, uint32_t handle,
			  uint64_t size, uint32_t flags, struct vmsm_bo **out)
{
	struct vmsm_bo *bo = calloc(1, sizeof(*bo));
	int ret;

	if (!bo) {
		gem_close(dev, handle);
		return -ENOMEM;
	}
	bo->handle = handle;
	bo->size = size;
	bo->flags = flags;
	bo->refcnt = 1;
	ret = table_add(dev, bo);
	if (ret) {
		gem_close(dev, handle);
		free(bo);
		return ret;
	}
	/* The object's reference on the device; dev->lock is held. */
	dev->refcnt++;
	bo->dev = dev;
	*out = bo;
	return 0;
}

int vmsm_bo_new(struct vmsm_device *dev, uint64_t size, uint32_t flags,
		struct vmsm_bo **bo)
{
	struct drm_vmsm_gem_new args = {
		.size = size,
		.flags = flags,
	};
	uint64_t real_size;
	int ret;

	ret = vmsm_ioctl(dev->fd, DRM_IOCTL_VMSM_GEM_NEW, &args);
	if (ret)
		return ret;
	ret = gem_info(dev, args.handle, VMSM_INFO_GET_SIZE, &real_size);
	pthread_mutex_lock(&dev->lock);
	if (ret)
		gem_close(dev, args.handle);
	else
		ret = bo_wrap_locked(dev, args.handle, real_size, flags, bo);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/* Under dev->lock: the object of @handle, found or new. */
static int bo_lookup_or_wrap_locked(struct vmsm_device *dev, uint32_t handle,
				    int dmabuf_fd, struct vmsm_bo **out)
{
	struct vmsm_bo *bo = table_find(dev, handle);
	uint64_t size, flags;

	if (bo) {
		bo->refcnt++;
		*out = bo;
		return 0;
	}
	if (gem_info(dev, handle, VMSM_INFO_GET_SIZE, &size)) {
		off_t end = dmabuf_fd >= 0 ? lseek(dmabuf_fd, 0, SEEK_END) : -1;

		if (end <= 0) {
			gem_close(dev, handle);
			return -ENOENT;
		}
		size = end;
	}
	if (gem_info(dev, handle, VMSM_INFO_GET_FLAGS, &flags))
		flags = 0;
	return bo_wrap_locked(dev, handle, size, flags, out);
}

int vmsm_bo_from_handle(struct vmsm_device *dev, uint32_t handle,
			struct vmsm_bo **bo)
{
	uint64_t size;
	int ret;

	pthread_mutex_lock(&dev->lock);
	/* Do not take ownership of (and close) a handle that does not exist. */
	ret = table_find(dev, handle) ? 0 :
	      gem_info(dev, handle, VMSM_INFO_GET_SIZE, &size);
	if (!ret)
		ret = bo_lookup_or_wrap_locked(dev, handle, -1, bo);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int vmsm_bo_import_dmabuf(struct vmsm_device *dev, int fd,
			  struct vmsm_bo **bo)
{
	struct drm_prime_handle args = { .fd = fd };
	int ret;

	pthread_mutex_lock(&dev->lock);
	ret = vmsm_ioctl(dev->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args);
	if (!ret)
		ret = bo_lookup_or_wrap_locked(dev, args.handle, fd, bo);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int vmsm_bo_export_dmabuf(struct vmsm_bo *bo, int *fd)
{
	struct drm_prime_handle args = {
		.handle = bo->handle,
		.flags = DRM_CLOEXEC | DRM_RDWR,
	};
	int ret;

	ret = vmsm_ioctl(bo->dev->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args);
	if (!ret)
		*fd = args.fd;
	return ret;
}

struct vmsm_bo *vmsm_bo_ref(struct vmsm_bo *bo)
{
	pthread_mutex_lock(&bo->dev->lock);
	bo->refcnt++;
	pthread_mutex_unlock(&bo->dev->lock);
	return bo;
}

void vmsm_bo_free(struct vmsm_bo *bo)
{
	struct vmsm_device *dev;
	void *map;

	if (!bo)
		return;
	dev = bo->dev;
	pthread_mutex_lock(&dev->lock);
	if (--bo->refcnt) {
		pthread_mutex_unlock(&dev->lock);
		return;
	}
	table_del(dev, bo);
	map = __atomic_load_n(&bo->map, __ATOMIC_ACQUIRE);
	if (map)
		munmap(map, bo->size);
	gem_close(dev, bo->handle);
	pthread_mutex_unlock(&dev->lock);
	free(bo);
	vmsm_device_close(dev);
}

struct vmsm_device *vmsm_bo_device(const struct vmsm_bo *bo)
{
	return bo->dev;
}

uint32_t vmsm_bo_handle(const struct vmsm_bo *bo)
{
	return bo->handle;
}

uint64_t vmsm_bo_size(const struct vmsm_bo *bo)
{
	return bo->size;
}

uint32_t vmsm_bo_flags(const struct vmsm_bo *bo)
{
	return bo->flags;
}

int vmsm_bo_map(struct vmsm_bo *bo, void **ptr)
{
	void *map = __atomic_load_n(&bo->map, __ATOMIC_ACQUIRE);
	void *expected = NULL;
	uint64_t offset;
	int ret;

	if (map) {
		*ptr = map;
		return 0;
	}
	if (bo->size > SIZE_MAX)
		return -ENOMEM;
	ret = gem_info(bo->dev, bo->handle, VMSM_INFO_GET_MMAP_OFFSET, &offset);
	if (ret)
		return ret;
	map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bo->dev->fd, offset);
	if (map == MAP_FAILED)
		return -errno;
	if (!__atomic_compare_exchange_n(&bo->map, &expected, map, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		/* Another thread mapped it first: use its mapping. */
		munmap(map, bo->size);
		map = expected;
	}
	*ptr = map;
	return 0;
}

void vmsm_bo_set_iova(struct vmsm_bo *bo, uint64_t iova)
{
	__atomic_store_n(&bo->iova, iova, __ATOMIC_RELAXED);
}

int vmsm_bo_iova(struct vmsm_bo *bo, uint64_t *iova)
{
	uint64_t value = __atomic_load_n(&bo->iova, __ATOMIC_RELAXED);
	int ret;

	if (!value) {
		ret = gem_info(bo->dev, bo->handle, VMSM_INFO_GET_IOVA, &value);
		if (ret)
			return ret;
		vmsm_bo_set_iova(bo, value);
	}
	*iova = value;
	return 0;
}

int vmsm_bo_cpu_prep(struct vmsm_bo *bo, uint32_t op, int64_t timeout_ns)
{
	struct drm_vmsm_gem_cpu_prep args = {
		.handle = bo->handle,
		.op = op,
		.timeout_ns = vmsm_abs_timeout(timeout_ns),
	};

	return vmsm_ioctl(bo->dev->fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &args);
}

int vmsm_bo_cpu_fini(struct vmsm_bo *bo)
{
	struct drm_vmsm_gem_cpu_fini args = { .handle = bo->handle };

	return vmsm_ioctl(bo->dev->fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &args);
}

int vmsm_bo_set_name(struct vmsm_bo *bo, const char *name)
{
	struct drm_vmsm_gem_info args = {
		.handle = bo->handle,
		.info = VMSM_INFO_SET_NAME,
		.value = (uintptr_t)name,
		.len = strlen(name),
	};

	return vmsm_ioctl(bo->dev->fd, DRM_IOCTL_VMSM_GEM_INFO, &args);
}

int vmsm_bo_get_name(struct vmsm_bo *bo, char *buf, size_t len)
{
	struct drm_vmsm_gem_info args = {
		.handle = bo->handle,
		.info = VMSM_INFO_GET_NAME,
		.value = (uintptr_t)buf,
	};
	size_t end;
	int ret;

	if (!len)
		return -EINVAL;
	/*
	 * The whole buffer goes to the kernel, which may or may not
	 * terminate the name; it is terminated here after at most len - 1
	 * bytes either way.
	 */
	args.len = len > UINT32_MAX ? UINT32_MAX : len;
	ret = vmsm_ioctl(bo->dev->fd, DRM_IOCTL_VMSM_GEM_INFO, &args);
	if (ret)
		return ret;
	end = args.len < len - 1 ? args.len : len - 1;
	buf[end] = '\0';
	return args.len > INT32_MAX ? INT32_MAX : (int)args.len;
}
