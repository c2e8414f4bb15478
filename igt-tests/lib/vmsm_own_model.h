/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Reference model of what the CPU and the GPU see of one vmsm buffer
 * object, written from the uapi documentation ("CPU access and cache
 * maintenance" in vmsm_drm.h), not from the driver: pure logic, used by
 * vmsm_ownership in the VMs and by the unit lane.
 */
#ifndef VMSM_OWN_MODEL_H
#define VMSM_OWN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct own_model - one object as the documentation describes it
 * @nr_pages: CPU pages in the object
 * @page_size: the CPU's page size
 * @two_copies: a cached object of a non-coherent device: the CPU and the
 *	GPU see different memory until a transfer; else one copy
 * @cpu: what the CPU mapping shows
 * @dev: what the GPU reads (the same buffer as @cpu with one copy)
 * @holds: per page, PREPs not yet matched by a FINI
 * @dev_written: per page, the GPU may have written it since the CPU last
 *	took it
 * @dirty: per page, the CPU wrote it since it was last handed to the GPU
 *	(the first write after that faults: writes are tracked per page)
 */
struct own_model {
	unsigned int nr_pages;
	size_t page_size;
	bool two_copies;
	uint8_t *cpu, *dev;
	unsigned int *holds;
	bool *dev_written, *dirty;
};

int own_model_init(struct own_model *m, unsigned int nr_pages, size_t page_size,
		   bool two_copies);
void own_model_fini(struct own_model *m);
void own_model_prep(struct own_model *m, uint64_t offset, uint64_t size);
unsigned int own_model_cpu_fini(struct own_model *m, uint64_t offset, uint64_t size);
void own_model_cpu_write(struct own_model *m, uint64_t offset, uint64_t size, uint8_t v);
void own_model_gpu_fill(struct own_model *m, uint64_t offset, uint64_t size, uint8_t v);
void own_model_gpu_read(struct own_model *m);
unsigned int own_model_held_pages(const struct own_model *m);

#endif
