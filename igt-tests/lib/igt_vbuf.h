/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Buffer objects with their CPU mapping and GPU address, small GPU jobs on
 * them, dma-buf syncs and a reload of vmsm with other parameters: what the
 * sharing tests (vmsm_prime, vmsm_prime_heap) have in common.
 */
#ifndef IGT_VBUF_H
#define IGT_VBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libvmsm.h"

/* A buffer object with its CPU mapping (NULL if none) and GPU address. */
struct igt_vbuf {
	struct vmsm_bo *bo;
	uint8_t *ptr;
	uint64_t iova;
	uint64_t size;
	uint32_t handle;
};

void vbuf_new(struct vmsm_device *d, struct igt_vbuf *b, uint64_t size, uint32_t flags);
void vbuf_import(struct vmsm_device *d, int dmabuf, struct igt_vbuf *b);
void vbuf_free(struct igt_vbuf *b);
void vbuf_set(struct igt_vbuf *b, uint8_t value);
void vbuf_gpu_copy(struct igt_vbuf *dst, struct igt_vbuf *src, uint64_t off, uint64_t size);
void vbuf_gpu_fill(struct igt_vbuf *dst, uint64_t off, uint64_t size, uint32_t pattern);
void igt_assert_bytes(const uint8_t *p, uint64_t off, uint64_t size, uint8_t value);
void igt_dmabuf_sync(int dmabuf, uint64_t flags);
int igt_vmsm_reload(const char *ko, const char *params);
int igt_vmsm_open_index(int index);
int igt_vmsm_settled_objects(int fd, int want);
int igt_vmsm_tree_devices(bool coherent);
bool igt_vmsm_tree_device_name(bool coherent, char *name, size_t len);
bool igt_vmsm_devices(const char *ko, int noncoherent, int coherent, int *fds);

#endif /* IGT_VBUF_H */
