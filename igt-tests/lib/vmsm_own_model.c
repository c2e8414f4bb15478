// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The reference model of vmsm_own_model.h. Each rule below is a sentence
 * of the uapi's "CPU access and cache maintenance" section (or of the
 * section named next to it), applied to bytes.
 */

#include <stdlib.h>
#include <string.h>

#include "vmsm_own_model.h"

int vmsm_own_model_init(struct vmsm_own_model *m, unsigned int nr_pages, size_t page_size,
		   bool two_copies)
{
	size_t size = (size_t)nr_pages * page_size;

	memset(m, 0, sizeof(*m));
	m->nr_pages = nr_pages;
	m->page_size = page_size;
	m->two_copies = two_copies;
	m->cpu = calloc(size, 1);
	m->dev = two_copies ? calloc(size, 1) : m->cpu;
	m->holds = calloc(nr_pages, sizeof(*m->holds));
	m->dev_written = calloc(nr_pages, sizeof(*m->dev_written));
	m->dev_newer = calloc(nr_pages, sizeof(*m->dev_newer));
	m->cpu_newer = calloc(nr_pages, sizeof(*m->cpu_newer));
	m->dirty = calloc(nr_pages, sizeof(*m->dirty));
	for (unsigned int i = 0; i < VMSM_OWN_MODEL_MAPS; i++) {
		m->writable[i] = calloc(nr_pages, sizeof(*m->writable[i]));
		if (!m->writable[i])
			goto fail;
	}
	if (!m->cpu || !m->dev || !m->holds || !m->dev_written || !m->dev_newer ||
	    !m->cpu_newer || !m->dirty)
		goto fail;
	return 0;
fail:
	vmsm_own_model_fini(m);
	return -1;
}

/*
 * "dma-buf sharing", dma-bufs of other exporters: "an exporter that syncs
 * its attachments ... (the system heap) is attached through the device's
 * view device, and the import gets a device view that only those syncs
 * ... update"; "No ownership state is kept".
 */
int vmsm_own_model_init_exporter_view(struct vmsm_own_model *m, unsigned int nr_pages,
				 size_t page_size)
{
	int ret = vmsm_own_model_init(m, nr_pages, page_size, true);

	m->exporter_view = true;
	return ret;
}

void vmsm_own_model_fini(struct vmsm_own_model *m)
{
	if (m->two_copies)
		free(m->dev);
	free(m->cpu);
	free(m->holds);
	free(m->dev_written);
	free(m->dev_newer);
	free(m->cpu_newer);
	free(m->dirty);
	for (unsigned int i = 0; i < VMSM_OWN_MODEL_MAPS; i++)
		free(m->writable[i]);
	memset(m, 0, sizeof(*m));
}

static void page_copy(struct vmsm_own_model *m, uint8_t *to, const uint8_t *from, unsigned int p)
{
	if (to != from)
		memcpy(to + (size_t)p * m->page_size, from + (size_t)p * m->page_size,
		       m->page_size);
}

/* "A range covers every page it touches." */
static void pages_of(const struct vmsm_own_model *m, uint64_t offset, uint64_t size,
		     unsigned int *first, unsigned int *end)
{
	*first = offset / m->page_size;
	*end = (offset + size + m->page_size - 1) / m->page_size;
}

/*
 * "the GPU's writes are made visible at PREP"; "an invalidate leaves a
 * page the coherent device wrote alone" ("device-to-device hand-over" in
 * vmsm.rst, "Coherency").
 */
static void cpu_takes(struct vmsm_own_model *m, unsigned int p)
{
	if (m->dev_written[p] && !m->cpu_newer[p]) {
		page_copy(m, m->cpu, m->dev, p);
		m->dev_newer[p] = false;
	}
	m->dev_written[p] = false;
}

/*
 * "device-to-device hand-over": "a coherent device's write marks the
 * CPU's copy newer, and a non-coherent device's access first copies it
 * into the view".
 */
static void noncoherent_access(struct vmsm_own_model *m, unsigned int p, bool write)
{
	if (!m->two_copies)
		return;
	if (m->cpu_newer[p])
		page_copy(m, m->dev, m->cpu, p);
	m->cpu_newer[p] = false;
	m->dev_newer[p] |= write;
}

/*
 * "a non-coherent device's write marks the view newer, and a coherent
 * device's access first copies such a view into the CPU's copy".
 */
static void coherent_access(struct vmsm_own_model *m, unsigned int p, bool write)
{
	if (!m->two_copies)
		return;
	if (m->dev_newer[p])
		page_copy(m, m->cpu, m->dev, p);
	m->dev_newer[p] = false;
	m->cpu_newer[p] |= write;
}

/* A job's accesses to the pages of a byte range. */
static void job_access(struct vmsm_own_model *m, bool coherent, bool write, uint64_t offset,
		       uint64_t size)
{
	unsigned int p, end;

	pages_of(m, offset, size, &p, &end);
	for (; p < end; p++) {
		if (coherent)
			coherent_access(m, p, write);
		else
			noncoherent_access(m, p, write);
	}
}

static uint64_t model_size(const struct vmsm_own_model *m)
{
	return (uint64_t)m->nr_pages * m->page_size;
}

/*
 * "the CPU's writes are cleaned at FINI (only the pages the CPU wrote)";
 * "GEM_CPU_FINI cleans only dirty pages and write-protects them again by
 * zapping their PTEs" (vmsm.rst, "Coherency", write tracking).
 */
static void cpu_gives(struct vmsm_own_model *m, unsigned int p)
{
	if (m->dirty[p]) {
		page_copy(m, m->dev, m->cpu, p);
		/* "as does any clean" */
		m->cpu_newer[p] = false;
		m->dev_newer[p] = false;
		for (unsigned int i = 0; i < VMSM_OWN_MODEL_MAPS; i++)
			m->writable[i][p] = false;
	}
	m->dirty[p] = false;
}

void vmsm_own_model_prep(struct vmsm_own_model *m, uint64_t offset, uint64_t size)
{
	unsigned int p, end;

	pages_of(m, offset, size, &p, &end);
	for (; p < end; p++) {
		if (!m->holds[p] && !m->exporter_view)
			cpu_takes(m, p);
		m->holds[p]++;
	}
}

/*
 * "the CPU owns a page from the first PREP over it until as many FINIs
 * over it have followed"; "a CPU write made without PREP is not seen by
 * the GPU until a FINI over its page". Returns the pages the FINI had
 * nothing to end for (what checking mode reports).
 */
unsigned int vmsm_own_model_cpu_fini(struct vmsm_own_model *m, uint64_t offset, uint64_t size)
{
	unsigned int p, end, unended = 0;

	pages_of(m, offset, size, &p, &end);
	for (; p < end; p++) {
		if (!m->holds[p])
			unended++;
		else
			m->holds[p]--;
		if (!m->holds[p] && !m->exporter_view)
			cpu_gives(m, p);
	}
	return unended;
}

/*
 * "a write fault first brings in what the GPU wrote to that page": the
 * first write to a page through a mapping that maps it read-only faults
 * ("the CPU mapping ... maps pages read-only until they are written",
 * write tracking in "Coherency"; each mapping has its own page table
 * entries); a page the CPU does not own then takes the GPU's data first.
 * With one copy there is nothing to track.
 */
void vmsm_own_model_cpu_write_map(struct vmsm_own_model *m, unsigned int map, uint64_t offset,
			     uint64_t size, uint8_t v)
{
	unsigned int p, end;

	/* the exporter's mapping: vmsm tracks nothing */
	if (m->exporter_view) {
		memset(m->cpu + offset, v, size);
		return;
	}
	pages_of(m, offset, size, &p, &end);
	for (; p < end; p++) {
		if (!m->writable[map][p] && !m->holds[p])
			cpu_takes(m, p);
		m->writable[map][p] = m->two_copies;
		m->dirty[p] = true;
	}
	memset(m->cpu + offset, v, size);
}

void vmsm_own_model_cpu_write(struct vmsm_own_model *m, uint64_t offset, uint64_t size, uint8_t v)
{
	vmsm_own_model_cpu_write_map(m, 0, offset, size, v);
}

/* "A GEM_SUBMIT listing an object the CPU still owns ends the CPU's access" */
static void submit_takes(struct vmsm_own_model *m)
{
	unsigned int p;

	/* an import without ownership state: submits only wait */
	if (m->exporter_view)
		return;
	for (p = 0; p < m->nr_pages; p++) {
		if (!m->holds[p])
			continue;
		m->holds[p] = 0;
		cpu_gives(m, p);
	}
}

/*
 * A job that lists the object for writing and fills a range of it ("device
 * model of the DMA API": a GPU write marks the device-view pages it
 * writes, those only).
 */
void vmsm_own_model_gpu_fill(struct vmsm_own_model *m, uint64_t offset, uint64_t size, uint8_t v)
{
	unsigned int p;

	submit_takes(m);
	job_access(m, false, true, offset, size);
	memset(m->dev + offset, v, size);
	for (p = 0; m->two_copies && !m->exporter_view && p < m->nr_pages; p++)
		m->dev_written[p] = true;
}

/* A job that lists the object for reading: m->dev is what it reads. */
void vmsm_own_model_gpu_read(struct vmsm_own_model *m)
{
	submit_takes(m);
	job_access(m, false, false, 0, model_size(m));
}

/*
 * VM_BIND ("Ownership (1.10)"): "a job reaches every object its address
 * space maps, listed or not. A submit hands to the device every mapped
 * object the CPU still holds ... as if it were listed for writing", and
 * "after such a job, the next PREP of a mapped object shows what the job
 * wrote". Nothing names what the job wrote, so every mapped object that
 * is not read-only counts as written, whether the job filled it (@fill)
 * or only read it (all of it).
 */
void vmsm_own_model_vm_bind_job(struct vmsm_own_model *m, bool fill, uint64_t offset, uint64_t size,
			   uint8_t v)
{
	unsigned int p;

	submit_takes(m);
	if (fill) {
		job_access(m, false, true, offset, size);
		memset(m->dev + offset, v, size);
	} else {
		job_access(m, false, false, 0, model_size(m));
	}
	for (p = 0; m->two_copies && !m->exporter_view && p < m->nr_pages; p++)
		m->dev_written[p] = true;
}

/*
 * "dma-buf sharing", export: "begin_cpu_access/end_cpu_access
 * (DMA_BUF_IOCTL_SYNC): wait for the GPU, then the same ownership
 * transfers as GEM_CPU_PREP and GEM_CPU_FINI over the whole object"; the
 * dma-buf's mmap is "the object's own mmap, with its caching mode (and
 * write tracking)", so a CPU access through it is vmsm_own_model_cpu_write()
 * and a read of m->cpu. The access bits change nothing the model shows.
 */
void vmsm_own_model_dmabuf_sync_start(struct vmsm_own_model *m)
{
	unsigned int p;

	if (!m->exporter_view) {
		vmsm_own_model_prep(m, 0, (uint64_t)m->nr_pages * m->page_size);
		return;
	}
	/*
	 * "a SYNC_START (of any direction) copies back only pages a GPU
	 * wrote"
	 */
	for (p = 0; p < m->nr_pages; p++) {
		if (m->dev_newer[p])
			page_copy(m, m->cpu, m->dev, p);
		m->dev_newer[p] = false;
	}
}

unsigned int vmsm_own_model_dmabuf_sync_end(struct vmsm_own_model *m)
{
	unsigned int p;

	if (!m->exporter_view)
		return vmsm_own_model_cpu_fini(m, 0, (uint64_t)m->nr_pages * m->page_size);
	/*
	 * "a SYNC_END keeps the GPU's data on a page it wrote that no
	 * SYNC_START took since"; the rest is the CPU's (the exporter's
	 * mapping is not write-tracked: every page is cleaned).
	 */
	for (p = 0; p < m->nr_pages; p++) {
		if (m->dev_newer[p])
			continue;
		page_copy(m, m->dev, m->cpu, p);
		m->cpu_newer[p] = false;
	}
	return 0;
}

/*
 * "dma-buf sharing", a non-coherent device's cached object: "A coherent
 * importer reads and writes the CPU's view, with or without syncs; its
 * jobs see what non-coherent devices' jobs wrote before them, and theirs
 * see what it wrote, without any sync". Its submit is still a transfer
 * of the exporter's ownership state ("Coherency": an import of another
 * vmsm device's export "shares the exporter's ownership state, and its
 * transfers (PREP, FINI, submit) are the exporter's"), so it ends a CPU
 * access still open, as any submit listing the object does. So: the
 * submit's hand-over, then the job on m->cpu, each page it touches first
 * brought up to date ("device-to-device hand-over").
 */
void vmsm_own_model_coherent_importer_fill(struct vmsm_own_model *m, uint64_t offset, uint64_t size,
				      uint8_t v)
{
	submit_takes(m);
	job_access(m, true, true, offset, size);
	memset(m->cpu + offset, v, size);
}

/* A coherent importer's job that lists the object for reading: m->cpu. */
void vmsm_own_model_coherent_importer_read(struct vmsm_own_model *m)
{
	submit_takes(m);
	job_access(m, true, false, 0, model_size(m));
}

unsigned int vmsm_own_model_held_pages(const struct vmsm_own_model *m)
{
	unsigned int p, n = 0;

	for (p = 0; p < m->nr_pages; p++)
		n += m->holds[p] != 0;
	return n;
}

/*
 * "With coherency_strict such a submit" (one "listing an object the CPU
 * still owns") "fails with -EBUSY instead and changes nothing", where
 * ownership is kept: a cached object of a non-coherent device ("On a
 * coherent device, and for VMSM_BO_WC ... objects, no maintenance is
 * needed"), not an import of another exporter ("No ownership state is
 * kept"). Every job that reaches the object counts: listed, in a VM_BIND
 * space that maps it ("with the rules of ... (-EBUSY in strict mode)"),
 * or on a coherent importer, whose transfers are the exporter's.
 */
bool vmsm_own_model_strict_refuses(const struct vmsm_own_model *m)
{
	return m->two_copies && !m->exporter_view && vmsm_own_model_held_pages(m);
}
