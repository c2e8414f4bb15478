// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * The flat list of fuzzed ioctls: the vmsm table followed by the DRM core
 * table, indexed the same way by the statistics and the report.
 */
#include <stdio.h>

#include "fuzz.h"

static const struct fuzz_ioctl *entries[FUZZ_MAX_IOCTLS];
static unsigned int nr_entries;
static uint64_t total_weight;

static int table_add(const struct fuzz_ioctl *tbl, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (nr_entries == FUZZ_MAX_IOCTLS) {
			fprintf(stderr, "fuzz: more than %d ioctls, raise FUZZ_MAX_IOCTLS\n",
				FUZZ_MAX_IOCTLS);
			return -1;
		}
		if (_IOC_SIZE(tbl[i].request) > FUZZ_ARG_AREA) {
			fprintf(stderr, "fuzz: %s: argument larger than FUZZ_ARG_AREA\n",
				tbl[i].name);
			return -1;
		}
		entries[nr_entries++] = &tbl[i];
		total_weight += tbl[i].weight;
	}
	return 0;
}

int table_init(void)
{
	if (table_add(fuzz_vmsm_ioctls, fuzz_nr_vmsm_ioctls) ||
	    table_add(fuzz_drm_ioctls, fuzz_nr_drm_ioctls))
		return -1;
	return total_weight ? 0 : -1;
}

unsigned int table_size(void)
{
	return nr_entries;
}

const struct fuzz_ioctl *table_entry(unsigned int idx)
{
	return entries[idx];
}

/* Weighted choice of an entry index. */
unsigned int table_pick(struct fuzz_rng *rng)
{
	uint64_t w = rng_next(rng) % total_weight;
	unsigned int i;

	for (i = 0; i < nr_entries - 1; i++) {
		if (w < entries[i]->weight)
			return i;
		w -= entries[i]->weight;
	}
	return i;
}

/* Highest driver-private ioctl number the vmsm table knows (0 if none). */
unsigned int table_vmsm_max_nr(void)
{
	unsigned int i, nr, max = 0;

	for (i = 0; i < fuzz_nr_vmsm_ioctls; i++) {
		nr = _IOC_NR(fuzz_vmsm_ioctls[i].request);
		if (_IOC_TYPE(fuzz_vmsm_ioctls[i].request) == DRM_IOCTL_BASE &&
		    nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END && nr > max)
			max = nr;
	}
	return max;
}
