/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Reference model of what the CPU and the GPU see of one vmsm buffer
 * object, written from the uapi documentation ("CPU access and cache
 * maintenance", "VM_BIND" and "buffer objects" in vmsm_drm.h, "dma-buf
 * sharing" in vmsm_prime.c), not from the driver: pure logic, used by
 * vmsm_ownership in the VMs and by the unit lane.
 */
#ifndef VMSM_OWN_MODEL_H
#define VMSM_OWN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CPU mappings of one object: the DRM file's and the dma-buf's */
#define VMSM_OWN_MODEL_MAPS	2

/**
 * struct vmsm_own_model - one object as the documentation describes it
 * @nr_pages: CPU pages in the object
 * @page_size: the CPU's page size
 * @two_copies: a cached object of a non-coherent device: the CPU and the
 *	GPU see different memory until a transfer; else one copy
 * @exporter_view: an import of another exporter that syncs its
 *	attachments (the system heap) into the non-coherent device: two
 *	copies, moved only by the exporter's syncs, no ownership state
 * @cpu: what the CPU mapping shows
 * @dev: what the GPU reads (the same buffer as @cpu with one copy)
 * @holds: per page, PREPs not yet matched by a FINI
 * @dev_written: per page, the GPU may have written it since the CPU last
 *	took it (the whole object after a job that may write it)
 * @dev_newer: per page, a non-coherent device's GPU wrote its device copy
 *	since the CPU's copy last took it (with two copies)
 * @cpu_newer: per page, a coherent device's GPU wrote its CPU copy since
 *	the device copy last took it (with two copies)
 * @dirty: per page, the CPU wrote it since it was last handed to the GPU
 *	(the first write after that faults: writes are tracked per page)
 * @writable: per CPU mapping and page, the mapping lets writes through
 *	without a fault (write tracking maps pages read-only until they are
 *	written through that mapping; cleaning a page write-protects it in
 *	every mapping again)
 */
struct vmsm_own_model {
	unsigned int nr_pages;
	size_t page_size;
	bool two_copies, exporter_view;
	uint8_t *cpu, *dev;
	unsigned int *holds;
	bool *dev_written, *dev_newer, *cpu_newer, *dirty;
	bool *writable[VMSM_OWN_MODEL_MAPS];
};

int vmsm_own_model_init(struct vmsm_own_model *m, unsigned int nr_pages, size_t page_size,
		   bool two_copies);
int vmsm_own_model_init_exporter_view(struct vmsm_own_model *m, unsigned int nr_pages,
				 size_t page_size);
void vmsm_own_model_fini(struct vmsm_own_model *m);
void vmsm_own_model_prep(struct vmsm_own_model *m, uint64_t offset, uint64_t size);
unsigned int vmsm_own_model_cpu_fini(struct vmsm_own_model *m, uint64_t offset, uint64_t size);
void vmsm_own_model_cpu_write(struct vmsm_own_model *m, uint64_t offset, uint64_t size, uint8_t v);
void vmsm_own_model_cpu_write_map(struct vmsm_own_model *m, unsigned int map, uint64_t offset,
			     uint64_t size, uint8_t v);
void vmsm_own_model_gpu_fill(struct vmsm_own_model *m, uint64_t offset, uint64_t size, uint8_t v);
void vmsm_own_model_gpu_read(struct vmsm_own_model *m);
void vmsm_own_model_vm_bind_job(struct vmsm_own_model *m, bool fill, uint64_t offset, uint64_t size,
			   uint8_t v);
void vmsm_own_model_dmabuf_sync_start(struct vmsm_own_model *m);
unsigned int vmsm_own_model_dmabuf_sync_end(struct vmsm_own_model *m);
void vmsm_own_model_coherent_importer_fill(struct vmsm_own_model *m, uint64_t offset, uint64_t size,
				      uint8_t v);
void vmsm_own_model_coherent_importer_read(struct vmsm_own_model *m);
unsigned int vmsm_own_model_held_pages(const struct vmsm_own_model *m);
bool vmsm_own_model_strict_refuses(const struct vmsm_own_model *m);

#endif
