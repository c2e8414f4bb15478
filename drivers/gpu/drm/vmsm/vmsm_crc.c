// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: display engine: CRC
 *
 * Each CRTC has one CRC source, ``auto``: the CRC32 (crc32_le() over the
 * bytes of the composed ARGB8888 frame, seed ~0) of every frame the
 * composer composes, one value per frame, reported with the vblank count
 * of the frame. Userspace selects it through the DRM core's debugfs files
 * ``crtc-<i>/crc/control`` and ``crtc-<i>/crc/data``; a NULL or empty name
 * (or closing ``data``) turns it off.
 *
 * While a source is set, the CRTC holds a vblank reference so that the
 * vblank timer keeps running and the composer composes at every vblank.
 * Frames the composer misses (still busy with the previous one) have no
 * CRC.
 */

#include <linux/string.h>

#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"

/* The CRC sources of every CRTC. */
const char *const vmsm_crc_sources[] = { "auto" };

/* 1 for "auto", 0 for no source, -EINVAL for anything else. */
static int vmsm_crc_parse_source(const char *src_name)
{
	if (!src_name || !*src_name)
		return 0;
	if (!strcmp(src_name, "auto"))
		return 1;
	return -EINVAL;
}

/**
 * vmsm_crc_set_source() - set or clear the CRC source of a CRTC
 * @crtc: the CRTC
 * @src_name: "auto", or NULL or "" to stop
 *
 * &drm_crtc_funcs.set_crc_source. Takes a vblank reference when a source
 * is set, drops it when it is cleared.
 *
 * Return: 0, -EINVAL for an unknown source or if vblanks cannot be
 * enabled (the CRTC is off).
 */
int vmsm_crc_set_source(struct drm_crtc *crtc, const char *src_name)
{
	struct vmsm_crtc *vcrtc = to_vmsm_crtc(crtc);
	int enable = vmsm_crc_parse_source(src_name);
	unsigned long flags;
	bool was;
	int ret;

	if (enable < 0)
		return enable;

	/* The vblank reference comes first: the timer must run for a CRC. */
	if (enable) {
		ret = drm_crtc_vblank_get(crtc);
		if (ret)
			return ret;
	}

	spin_lock_irqsave(&vcrtc->lock, flags);
	was = vcrtc->crc_enabled;
	vcrtc->crc_enabled = enable;
	spin_unlock_irqrestore(&vcrtc->lock, flags);

	/* Keep exactly one reference while a source is set. */
	if (was)
		drm_crtc_vblank_put(crtc);
	return 0;
}

/**
 * vmsm_crc_verify_source() - check a CRC source name
 * @crtc: the CRTC
 * @src_name: the name written to ``crc/control``
 * @values_cnt: where to store the number of values per CRC
 *
 * &drm_crtc_funcs.verify_crc_source.
 *
 * Return: 0, or -EINVAL for an unknown source.
 */
int vmsm_crc_verify_source(struct drm_crtc *crtc, const char *src_name,
			   size_t *values_cnt)
{
	if (vmsm_crc_parse_source(src_name) < 0) {
		drm_dbg_driver(crtc->dev, "[CRTC:%d] unknown CRC source %s\n",
			       crtc->base.id, src_name);
		return -EINVAL;
	}
	*values_cnt = 1;
	return 0;
}

/**
 * vmsm_crc_get_sources() - the CRC sources of a CRTC
 * @crtc: the CRTC
 * @count: where to store the number of sources
 *
 * &drm_crtc_funcs.get_crc_sources.
 *
 * Return: the names of the sources.
 */
const char *const *vmsm_crc_get_sources(struct drm_crtc *crtc, size_t *count)
{
	*count = ARRAY_SIZE(vmsm_crc_sources);
	return vmsm_crc_sources;
}
