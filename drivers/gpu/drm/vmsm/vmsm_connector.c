// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: virtual connectors
 *
 * Each CRTC drives one encoder and one virtual connector, which report the
 * modes of a display without EDID up to 4096x4096, plus the preferred mode
 * ``display_width`` x ``display_height`` at 60 Hz; so does the CRTC's
 * writeback connector. A connector is connected
 * until debugfs ``vmsm_hotplug`` says otherwise (see "display").
 */

#include <drm/drm_atomic_helper.h>
#include <drm/drm_connector.h>
#include <drm/drm_edid.h>
#include <drm/drm_encoder.h>
#include <drm/drm_modes.h>
#include <drm/drm_probe_helper.h>

#include "vmsm_drv.h"
#include "vmsm_kms.h"

static inline struct vmsm_crtc *connector_to_vmsm_crtc(struct drm_connector *connector)
{
	return container_of(connector, struct vmsm_crtc, connector);
}

/**
 * vmsm_kms_get_modes() - probe the modes of a connector of the display engine
 * @connector: a virtual or writeback connector
 * @kms: the display engine
 *
 * Adds the modes of a display without EDID up to %VMSM_MAX_SIZE, then the
 * one preferred mode: the module's display size at 60 Hz (CVT timings).
 *
 * Return: the number of modes added.
 */
int vmsm_kms_get_modes(struct drm_connector *connector, struct vmsm_kms *kms)
{
	struct drm_display_mode *mode;
	int count;

	count = drm_add_modes_noedid(connector, VMSM_MAX_SIZE, VMSM_MAX_SIZE);
	mode = drm_cvt_mode(connector->dev, kms->width, kms->height, 60,
			    false, false, false);
	if (mode) {
		mode->type |= DRM_MODE_TYPE_DRIVER | DRM_MODE_TYPE_PREFERRED;
		drm_mode_set_name(mode);
		drm_mode_probed_add(connector, mode);
		count++;
	}
	return count;
}

static int vmsm_connector_get_modes(struct drm_connector *connector)
{
	return vmsm_kms_get_modes(connector, connector_to_vmsm_crtc(connector)->kms);
}

static const struct drm_connector_helper_funcs vmsm_connector_helper_funcs = {
	.get_modes = vmsm_connector_get_modes,
};

static enum drm_connector_status
vmsm_connector_detect(struct drm_connector *connector, bool force)
{
	lockdep_assert_held(&connector->dev->mode_config.mutex);
	return connector_to_vmsm_crtc(connector)->connected ?
	       connector_status_connected : connector_status_disconnected;
}

static const struct drm_connector_funcs vmsm_connector_funcs = {
	.detect = vmsm_connector_detect,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.reset = drm_atomic_helper_connector_reset,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/**
 * vmsm_connector_init() - create the encoder and virtual connector of a CRTC
 * @kms: the display engine
 * @vcrtc: the CRTC, initialized
 *
 * Return: 0 or a negative errno.
 */
int vmsm_connector_init(struct vmsm_kms *kms, struct vmsm_crtc *vcrtc)
{
	struct drm_device *drm = &kms->vdev->drm;
	struct drm_connector *connector = &vcrtc->connector;
	struct drm_encoder *encoder = &vcrtc->encoder;
	int ret;

	ret = drmm_encoder_init(drm, encoder, NULL, DRM_MODE_ENCODER_VIRTUAL, NULL);
	if (ret)
		return ret;
	encoder->possible_crtcs = drm_crtc_mask(&vcrtc->base);

	ret = drmm_connector_init(drm, connector, &vmsm_connector_funcs,
				  DRM_MODE_CONNECTOR_VIRTUAL, NULL);
	if (ret)
		return ret;
	drm_connector_helper_add(connector, &vmsm_connector_helper_funcs);
	return drm_connector_attach_encoder(connector, encoder);
}
