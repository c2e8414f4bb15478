// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The reference model of vmsm_own_model.h. Each rule below is a sentence
 * of the uapi's "CPU access and cache maintenance" section, applied to
 * bytes.
 */

#include <stdlib.h>
#include <string.h>

#include "vmsm_own_model.h"

int own_model_init(struct own_model *m, unsigned int nr_pages, size_t page_size,
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
	m->dirty = calloc(nr_pages, sizeof(*m->dirty));
	if (!m->cpu || !m->dev || !m->holds || !m->dev_written || !m->dirty) {
		own_model_fini(m);
		return -1;
	}
	return 0;
}

void own_model_fini(struct own_model *m)
{
	if (m->two_copies)
		free(m->dev);
	free(m->cpu);
	free(m->holds);
	free(m->dev_written);
	free(m->dirty);
	memset(m, 0, sizeof(*m));
}

static void page_copy(struct own_model *m, uint8_t *to, const uint8_t *from, unsigned int p)
{
	if (to != from)
		memcpy(to + (size_t)p * m->page_size, from + (size_t)p * m->page_size,
		       m->page_size);
}

/* "A range covers every page it touches." */
static void pages_of(const struct own_model *m, uint64_t offset, uint64_t size,
		     unsigned int *first, unsigned int *end)
{
	*first = offset / m->page_size;
	*end = (offset + size + m->page_size - 1) / m->page_size;
}

/* "the GPU's writes are made visible at PREP" */
static void cpu_takes(struct own_model *m, unsigned int p)
{
	if (m->dev_written[p])
		page_copy(m, m->cpu, m->dev, p);
	m->dev_written[p] = false;
}

/* "the CPU's writes are cleaned at FINI (only the pages the CPU wrote)" */
static void cpu_gives(struct own_model *m, unsigned int p)
{
	if (m->dirty[p])
		page_copy(m, m->dev, m->cpu, p);
	m->dirty[p] = false;
}

void own_model_prep(struct own_model *m, uint64_t offset, uint64_t size)
{
	unsigned int p, end;

	pages_of(m, offset, size, &p, &end);
	for (; p < end; p++) {
		if (!m->holds[p])
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
unsigned int own_model_cpu_fini(struct own_model *m, uint64_t offset, uint64_t size)
{
	unsigned int p, end, unended = 0;

	pages_of(m, offset, size, &p, &end);
	for (; p < end; p++) {
		if (!m->holds[p])
			unended++;
		else
			m->holds[p]--;
		if (!m->holds[p])
			cpu_gives(m, p);
	}
	return unended;
}

/*
 * "a write fault first brings in what the GPU wrote to that page": the
 * first write to a page after it was handed to the GPU faults; a page the
 * CPU does not own then takes the GPU's data first.
 */
void own_model_cpu_write(struct own_model *m, uint64_t offset, uint64_t size, uint8_t v)
{
	unsigned int p, end;

	pages_of(m, offset, size, &p, &end);
	for (; p < end; p++) {
		if (!m->dirty[p] && !m->holds[p])
			cpu_takes(m, p);
		m->dirty[p] = true;
	}
	memset(m->cpu + offset, v, size);
}

/* "A GEM_SUBMIT listing an object the CPU still owns ends the CPU's access" */
static void submit_takes(struct own_model *m)
{
	unsigned int p;

	for (p = 0; p < m->nr_pages; p++) {
		if (!m->holds[p])
			continue;
		m->holds[p] = 0;
		cpu_gives(m, p);
	}
}

/* A job that lists the object for writing and fills a range of it. */
void own_model_gpu_fill(struct own_model *m, uint64_t offset, uint64_t size, uint8_t v)
{
	unsigned int p;

	submit_takes(m);
	memset(m->dev + offset, v, size);
	for (p = 0; m->two_copies && p < m->nr_pages; p++)
		m->dev_written[p] = true;
}

/* A job that lists the object for reading: m->dev is what it reads. */
void own_model_gpu_read(struct own_model *m)
{
	submit_takes(m);
}

unsigned int own_model_held_pages(const struct own_model *m)
{
	unsigned int p, n = 0;

	for (p = 0; p < m->nr_pages; p++)
		n += m->holds[p] != 0;
	return n;
}
