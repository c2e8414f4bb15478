// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fb.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

static uint64_t to_user(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Universal planes, atomic, writeback connectors. Return: 0 or -errno. */
int vmsm_kms_set_client_caps(int fd)
{
	static const uint64_t caps[] = {
		DRM_CLIENT_CAP_UNIVERSAL_PLANES,
		DRM_CLIENT_CAP_ATOMIC,
		DRM_CLIENT_CAP_WRITEBACK_CONNECTORS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		struct drm_set_client_cap cap = { .capability = caps[i], .value = 1 };

		if (igt_ioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cap))
			return -errno;
	}
	return 0;
}

/*
 * CRTC 0, the first primary plane and virtual connector that can drive it,
 * and the connector's preferred mode (probed: fd should be the master).
 */
void vmsm_kms_display_find(int fd, struct vmsm_kms_display *disp)
{
	struct vmsm_kms_res res;
	struct vmsm_kms_connector c;
	unsigned int i, j;

	memset(disp, 0, sizeof(*disp));
	vmsm_kms_get_res(fd, &res);
	igt_assert_lt(0, res.nr_crtcs);
	disp->crtc = res.crtcs[0];
	for (i = 0; i < res.nr_planes && !disp->primary; i++)
		if (res.planes[i].type == DRM_PLANE_TYPE_PRIMARY &&
		    (res.planes[i].possible_crtcs & 1))
			disp->primary = res.planes[i].id;
	igt_assert_f(disp->primary, "no primary plane for CRTC 0\n");
	for (i = 0; i < res.nr_connectors && !disp->conn; i++) {
		vmsm_kms_get_connector(fd, res.connectors[i], &c, true);
		if (c.type != DRM_MODE_CONNECTOR_VIRTUAL || c.nr_encoders < 1)
			continue;
		{
			struct drm_mode_get_encoder e = { .encoder_id = c.encoders[0] };

			do_ioctl(fd, DRM_IOCTL_MODE_GETENCODER, &e);
			if (!(e.possible_crtcs & 1))
				continue;
		}
		for (j = 0; j < c.nr_modes; j++)
			if (c.modes[j].type & DRM_MODE_TYPE_PREFERRED)
				break;
		igt_assert_f(j < c.nr_modes, "connector %u has no preferred mode\n", c.id);
		disp->mode = c.modes[j];
		disp->conn = c.id;
	}
	igt_assert_f(disp->conn, "no virtual connector for CRTC 0\n");
	disp->mode_blob = vmsm_kms_mode_blob(fd, &disp->mode);
}

/* CRTC 0 on with fb_id full screen on its primary. Return: 0, or -errno. */
int __vmsm_kms_display_modeset(int fd, const struct vmsm_kms_display *disp, uint32_t fb_id,
			  uint32_t flags, uint64_t user_data)
{
	const uint32_t w = disp->mode.hdisplay, h = disp->mode.vdisplay;
	const uint32_t pt = DRM_MODE_OBJECT_PLANE;
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_add_name(fd, &r, disp->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	vmsm_kms_req_add_name(fd, &r, disp->crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", disp->mode_blob);
	vmsm_kms_req_add_name(fd, &r, disp->conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", disp->crtc);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "FB_ID", fb_id);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "CRTC_ID", disp->crtc);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "SRC_X", 0);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "SRC_Y", 0);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "SRC_W", (uint64_t)w << 16);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "SRC_H", (uint64_t)h << 16);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "CRTC_X", 0);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "CRTC_Y", 0);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "CRTC_W", w);
	vmsm_kms_req_add_name(fd, &r, disp->primary, pt, "CRTC_H", h);
	return __vmsm_kms_commit(fd, &r, flags | DRM_MODE_ATOMIC_ALLOW_MODESET, user_data);
}

/* An atomic commit of fb_id on the primary only. Return: 0, or -errno. */
int __vmsm_kms_display_flip(int fd, const struct vmsm_kms_display *disp, uint32_t fb_id,
		       uint32_t flags, uint64_t user_data)
{
	struct vmsm_kms_req r;

	vmsm_kms_req_init(&r);
	vmsm_kms_req_add_name(fd, &r, disp->primary, DRM_MODE_OBJECT_PLANE, "FB_ID", fb_id);
	return __vmsm_kms_commit(fd, &r, flags, user_data);
}

/**
 * vmsm_kms_open() - open the card as master with the KMS client caps
 *
 * Return: the file; the caller closes it with drm_close_driver().
 */
int vmsm_kms_open(void)
{
	int fd = igt_vmsm_open_driver();
	int ret = vmsm_kms_set_client_caps(fd);

	igt_assert_f(ret == 0, "client caps: %s\n", strerror(-ret));
	return fd;
}

/**
 * vmsm_kms_close() - close a file vmsm_kms_open() opened, if it is open
 * @fd: the file, set to -1
 *
 * Unmaps the mappings vmsm_kms_dumb_fb() made first: they would keep their
 * objects alive after the file is closed.
 */
void vmsm_kms_close(int *fd)
{
	vmsm_kms_unmap_all();
	if (*fd >= 0)
		drm_close_driver(*fd);
	*fd = -1;
}

/**
 * vmsm_kms_encoder_crtcs() - the CRTCs an encoder can drive
 * @fd: DRM file
 * @encoder: encoder id
 *
 * Return: the encoder's possible_crtcs mask.
 */
uint32_t vmsm_kms_encoder_crtcs(int fd, uint32_t encoder)
{
	struct drm_mode_get_encoder e = { .encoder_id = encoder };

	do_ioctl(fd, DRM_IOCTL_MODE_GETENCODER, &e);
	return e.possible_crtcs;
}

/**
 * vmsm_kms_find_connector() - the connector of a type bound to one CRTC
 * @fd: DRM file
 * @res: the device's resources
 * @type: DRM_MODE_CONNECTOR_*
 * @pipe: index of the CRTC
 *
 * Every connector of @type must have exactly one encoder (vmsm gives each
 * connector its own); the one returned drives the CRTC @pipe and no other.
 * Asserts that there is one.
 *
 * Return: the connector id.
 */
uint32_t vmsm_kms_find_connector(int fd, const struct vmsm_kms_res *res, uint32_t type,
				 unsigned int pipe)
{
	struct vmsm_kms_connector c;
	unsigned int i;

	for (i = 0; i < res->nr_connectors; i++) {
		vmsm_kms_get_connector(fd, res->connectors[i], &c, false);
		if (c.type != type)
			continue;
		igt_assert_eq(c.nr_encoders, 1);
		if (vmsm_kms_encoder_crtcs(fd, c.encoders[0]) == 1u << pipe)
			return c.id;
	}
	igt_assert_f(false, "no connector of type %u bound to CRTC %u\n", type, pipe);
	return 0;
}

/**
 * vmsm_kms_find_plane() - a plane of a type that only one CRTC can use
 * @res: the device's resources
 * @type: DRM_PLANE_TYPE_*
 * @pipe: index of the CRTC
 * @nth: which of the CRTC's planes of @type, from 0
 *
 * Asserts that there is one.
 *
 * Return: the plane id.
 */
uint32_t vmsm_kms_find_plane(const struct vmsm_kms_res *res, uint32_t type, unsigned int pipe,
			     unsigned int nth)
{
	unsigned int i, n = nth;

	for (i = 0; i < res->nr_planes; i++) {
		const struct vmsm_kms_plane *p = &res->planes[i];

		if (p->type == type && p->possible_crtcs == 1u << pipe && n-- == 0)
			return p->id;
	}
	igt_assert_f(false, "no plane %u of type %u on CRTC %u\n", nth, type, pipe);
	return 0;
}

/**
 * vmsm_kms_preferred_mode() - the preferred mode of a connector, probing it
 * @fd: DRM file, the master
 * @conn: connector id
 * @mode: receives the (last) preferred mode; untouched if there is none
 *
 * Return: how many of the connector's modes are marked preferred.
 */
unsigned int vmsm_kms_preferred_mode(int fd, uint32_t conn, struct drm_mode_modeinfo *mode)
{
	struct vmsm_kms_connector c;
	unsigned int i, n = 0;

	vmsm_kms_get_connector(fd, conn, &c, true);
	for (i = 0; i < c.nr_modes; i++) {
		if (c.modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			*mode = c.modes[i];
			n++;
		}
	}
	return n;
}

/* Every CRTC, connector, encoder and plane, with the planes' formats. */
void vmsm_kms_get_res(int fd, struct vmsm_kms_res *res)
{
	struct drm_mode_card_res cr = { };
	struct drm_mode_get_plane_res pr = { };
	uint32_t fbs[VMSM_KMS_MAX_OBJS];
	unsigned int i;

	memset(res, 0, sizeof(*res));
	do_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &cr);
	igt_assert(cr.count_crtcs <= VMSM_KMS_MAX_OBJS && cr.count_connectors <= VMSM_KMS_MAX_OBJS &&
		   cr.count_encoders <= VMSM_KMS_MAX_OBJS && cr.count_fbs <= VMSM_KMS_MAX_OBJS);
	cr.crtc_id_ptr = to_user(res->crtcs);
	cr.connector_id_ptr = to_user(res->connectors);
	cr.encoder_id_ptr = to_user(res->encoders);
	cr.fb_id_ptr = to_user(fbs);
	do_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &cr);
	res->nr_crtcs = cr.count_crtcs;
	res->nr_connectors = cr.count_connectors;
	res->nr_encoders = cr.count_encoders;
	res->nr_fbs = cr.count_fbs;
	res->min_width = cr.min_width;
	res->max_width = cr.max_width;
	res->min_height = cr.min_height;
	res->max_height = cr.max_height;

	do_ioctl(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr);
	igt_assert(pr.count_planes <= VMSM_KMS_MAX_OBJS);
	{
		uint32_t ids[VMSM_KMS_MAX_OBJS];

		pr.plane_id_ptr = to_user(ids);
		do_ioctl(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr);
		res->nr_planes = pr.count_planes;
		for (i = 0; i < pr.count_planes; i++) {
			struct vmsm_kms_plane *p = &res->planes[i];
			struct drm_mode_get_plane gp = { .plane_id = ids[i] };

			do_ioctl(fd, DRM_IOCTL_MODE_GETPLANE, &gp);
			igt_assert(gp.count_format_types <= VMSM_KMS_MAX_FORMATS);
			gp.format_type_ptr = to_user(p->formats);
			do_ioctl(fd, DRM_IOCTL_MODE_GETPLANE, &gp);
			p->id = ids[i];
			p->nr_formats = gp.count_format_types;
			p->possible_crtcs = gp.possible_crtcs;
			p->type = vmsm_kms_prop_value(fd, p->id, DRM_MODE_OBJECT_PLANE, "type");
		}
	}
}

/*
 * GETCONNECTOR; @probe first asks with count_modes 0, which (for the
 * master) probes the connector again; without it the modes the connector
 * already has are read.
 */
void vmsm_kms_get_connector(int fd, uint32_t id, struct vmsm_kms_connector *c, bool probe)
{
	struct drm_mode_get_connector gc = { .connector_id = id };

	memset(c, 0, sizeof(*c));
	if (probe)
		do_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &gc);
	gc.count_modes = ARRAY_SIZE(c->modes);
	gc.modes_ptr = to_user(c->modes);
	gc.count_encoders = ARRAY_SIZE(c->encoders);
	gc.encoders_ptr = to_user(c->encoders);
	gc.count_props = 0;
	gc.props_ptr = 0;
	gc.prop_values_ptr = 0;
	do_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &gc);
	igt_assert(gc.count_modes <= ARRAY_SIZE(c->modes));
	igt_assert(gc.count_encoders <= ARRAY_SIZE(c->encoders));
	c->id = id;
	c->type = gc.connector_type;
	c->connection = gc.connection;
	c->nr_modes = gc.count_modes;
	c->nr_encoders = gc.count_encoders;
}

/**
 * vmsm_kms_find_prop() - look a property of an object up by name
 * @fd: DRM file
 * @obj: object id
 * @type: DRM_MODE_OBJECT_*
 * @name: property name
 * @prop_id: receives the property id (may be NULL)
 * @value: receives the object's current value (may be NULL)
 *
 * Return: 0, or -ENOENT when the object has no such property.
 */
int vmsm_kms_find_prop(int fd, uint32_t obj, uint32_t type, const char *name,
		  uint32_t *prop_id, uint64_t *value)
{
	struct drm_mode_obj_get_properties gp = { .obj_id = obj, .obj_type = type };
	uint32_t ids[128];
	uint64_t values[128];
	unsigned int i;

	do_ioctl(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &gp);
	igt_assert(gp.count_props <= ARRAY_SIZE(ids));
	gp.props_ptr = to_user(ids);
	gp.prop_values_ptr = to_user(values);
	do_ioctl(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &gp);
	for (i = 0; i < gp.count_props; i++) {
		struct drm_mode_get_property p = { .prop_id = ids[i] };

		do_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &p);
		if (!strcmp(p.name, name)) {
			if (prop_id)
				*prop_id = ids[i];
			if (value)
				*value = values[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* The id of a property the object must have. */
uint32_t vmsm_kms_prop(int fd, uint32_t obj, uint32_t type, const char *name)
{
	uint32_t id = 0;

	igt_assert_f(vmsm_kms_find_prop(fd, obj, type, name, &id, NULL) == 0,
		     "object %u has no property \"%s\"\n", obj, name);
	return id;
}

uint64_t vmsm_kms_prop_value(int fd, uint32_t obj, uint32_t type, const char *name)
{
	uint64_t v = 0;

	igt_assert_f(vmsm_kms_find_prop(fd, obj, type, name, NULL, &v) == 0,
		     "object %u has no property \"%s\"\n", obj, name);
	return v;
}

/* The value of the enum entry @name of the enum property @prop. */
uint64_t vmsm_kms_prop_enum(int fd, uint32_t obj, uint32_t type, const char *prop,
		       const char *name)
{
	struct drm_mode_get_property p = { .prop_id = vmsm_kms_prop(fd, obj, type, prop) };
	struct drm_mode_property_enum enums[32];
	uint64_t values[32];
	unsigned int i;

	do_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &p);
	igt_assert(p.count_enum_blobs <= ARRAY_SIZE(enums));
	igt_assert(p.count_values <= ARRAY_SIZE(values));
	p.enum_blob_ptr = to_user(enums);
	p.values_ptr = to_user(values);
	do_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &p);
	for (i = 0; i < p.count_enum_blobs; i++)
		if (!strcmp(enums[i].name, name))
			return enums[i].value;
	igt_assert_f(false, "property \"%s\" of object %u has no value \"%s\"\n",
		     prop, obj, name);
	return 0;
}

/* Whether a range property is immutable, and its range. */
bool vmsm_kms_prop_is_immutable(int fd, uint32_t obj, uint32_t type,
			   const char *name, uint64_t *min, uint64_t *max)
{
	struct drm_mode_get_property p = { .prop_id = vmsm_kms_prop(fd, obj, type, name) };
	uint64_t values[8] = { };

	do_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &p);
	igt_assert(p.count_values <= ARRAY_SIZE(values));
	p.values_ptr = to_user(values);
	p.count_enum_blobs = 0;
	do_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &p);
	if (min)
		*min = values[0];
	if (max)
		*max = p.count_values > 1 ? values[1] : values[0];
	return p.flags & DRM_MODE_PROP_IMMUTABLE;
}

void vmsm_kms_req_init(struct vmsm_kms_req *r)
{
	r->n = 0;
}

void vmsm_kms_req_add(struct vmsm_kms_req *r, uint32_t obj, uint32_t prop, uint64_t value)
{
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		if (r->obj[i] == obj && r->prop[i] == prop) {
			r->value[i] = value;
			return;
		}
	}
	igt_assert(r->n < ARRAY_SIZE(r->obj));
	r->obj[r->n] = obj;
	r->prop[r->n] = prop;
	r->value[r->n] = value;
	r->n++;
}

void vmsm_kms_req_add_name(int fd, struct vmsm_kms_req *r, uint32_t obj, uint32_t type,
		      const char *name, uint64_t value)
{
	vmsm_kms_req_add(r, obj, vmsm_kms_prop(fd, obj, type, name), value);
}

/**
 * vmsm_kms_req_crtc() - add a CRTC property, by name, to a request
 * @fd: DRM file
 * @r: the request
 * @crtc: CRTC id
 * @name: property name
 * @value: its new value
 */
void vmsm_kms_req_crtc(int fd, struct vmsm_kms_req *r, uint32_t crtc, const char *name,
		       uint64_t value)
{
	vmsm_kms_req_add_name(fd, r, crtc, DRM_MODE_OBJECT_CRTC, name, value);
}

/**
 * vmsm_kms_req_conn() - add a connector property, by name, to a request
 * @fd: DRM file
 * @r: the request
 * @conn: connector id
 * @name: property name
 * @value: its new value
 */
void vmsm_kms_req_conn(int fd, struct vmsm_kms_req *r, uint32_t conn, const char *name,
		       uint64_t value)
{
	vmsm_kms_req_add_name(fd, r, conn, DRM_MODE_OBJECT_CONNECTOR, name, value);
}

/**
 * vmsm_kms_req_plane() - add a plane property, by name, to a request
 * @fd: DRM file
 * @r: the request
 * @plane: plane id
 * @name: property name
 * @value: its new value
 */
void vmsm_kms_req_plane(int fd, struct vmsm_kms_req *r, uint32_t plane, const char *name,
			uint64_t value)
{
	vmsm_kms_req_add_name(fd, r, plane, DRM_MODE_OBJECT_PLANE, name, value);
}

/* DRM_IOCTL_MODE_ATOMIC of the request. Return: 0, or -errno. */
int __vmsm_kms_commit(int fd, struct vmsm_kms_req *r, uint32_t flags, uint64_t user_data)
{
	uint32_t objs[256], counts[256], props[256];
	uint64_t values[256];
	unsigned int nobj = 0, i, j, k = 0;
	struct drm_mode_atomic a = { .flags = flags, .user_data = user_data };

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < nobj; j++)
			if (objs[j] == r->obj[i])
				break;
		if (j == nobj) {
			objs[nobj] = r->obj[i];
			counts[nobj++] = 0;
		}
	}
	for (j = 0; j < nobj; j++) {
		for (i = 0; i < r->n; i++) {
			if (r->obj[i] != objs[j])
				continue;
			props[k] = r->prop[i];
			values[k++] = r->value[i];
			counts[j]++;
		}
	}
	a.count_objs = nobj;
	a.objs_ptr = to_user(objs);
	a.count_props_ptr = to_user(counts);
	a.props_ptr = to_user(props);
	a.prop_values_ptr = to_user(values);
	return igt_ioctl(fd, DRM_IOCTL_MODE_ATOMIC, &a) ? -errno : 0;
}

void vmsm_kms_commit(int fd, struct vmsm_kms_req *r, uint32_t flags)
{
	int ret = __vmsm_kms_commit(fd, r, flags, 0);

	igt_assert_f(ret == 0, "atomic commit (flags %#x): %s\n", flags,
		     strerror(-ret));
}

/**
 * vmsm_kms_commit_writeback() - commit a request with a writeback job
 * @fd: DRM file, the master
 * @r: the request (may be empty); the writeback properties are added to it
 * @wb_conn: the writeback connector, bound to an active CRTC
 * @wb_fb: framebuffer id the job writes into
 * @flags: DRM_MODE_ATOMIC_* flags of the commit
 *
 * Asserts that the commit succeeds and that the job's out-fence signals
 * within VMSM_KMS_FENCE_TIMEOUT_MS.
 */
void vmsm_kms_commit_writeback(int fd, struct vmsm_kms_req *r, uint32_t wb_conn, uint32_t wb_fb,
			       uint32_t flags)
{
	int32_t fence = -1;
	int ret;

	vmsm_kms_req_conn(fd, r, wb_conn, "WRITEBACK_FB_ID", wb_fb);
	vmsm_kms_req_conn(fd, r, wb_conn, "WRITEBACK_OUT_FENCE_PTR", to_user(&fence));
	vmsm_kms_commit(fd, r, flags);
	igt_assert_f(fence >= 0, "no writeback out-fence\n");
	ret = vmsm_kms_wait_fence(fence, VMSM_KMS_FENCE_TIMEOUT_MS);
	igt_assert_f(ret == 1, "writeback out-fence did not signal in %d ms (%d)\n",
		     VMSM_KMS_FENCE_TIMEOUT_MS, ret);
	close(fence);
}

uint32_t vmsm_kms_mode_blob(int fd, const struct drm_mode_modeinfo *mode)
{
	struct drm_mode_create_blob b = {
		.data = to_user(mode), .length = sizeof(*mode),
	};

	do_ioctl(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &b);
	return b.blob_id;
}

void vmsm_kms_destroy_blob(int fd, uint32_t blob)
{
	struct drm_mode_destroy_blob b = { .blob_id = blob };

	do_ioctl(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &b);
}

/* The frame time of a mode, as the DRM core's vblank code computes it. */
uint64_t vmsm_kms_frame_ns(const struct drm_mode_modeinfo *mode)
{
	return (uint64_t)mode->htotal * mode->vtotal * 1000000ull / mode->clock;
}

/* A well-formed 60 Hz mode of w x h (any size the uapi can carry). */
void vmsm_kms_make_mode(struct drm_mode_modeinfo *m, unsigned int w, unsigned int h)
{
	memset(m, 0, sizeof(*m));
	m->hdisplay = w;
	m->hsync_start = w + 16;
	m->hsync_end = w + 48;
	m->htotal = w + 160;
	m->vdisplay = h;
	m->vsync_start = h + 3;
	m->vsync_end = h + 6;
	m->vtotal = h + 30;
	m->clock = (uint32_t)((uint64_t)m->htotal * m->vtotal * 60 / 1000);
	m->vrefresh = 60;
	m->type = DRM_MODE_TYPE_USERDEF;
	snprintf(m->name, sizeof(m->name), "%ux%u", w, h);
}

uint32_t vmsm_kms_format_bpp(uint32_t format)
{
	switch (format) {
	case DRM_FORMAT_RGB565:
		return 16;
	case DRM_FORMAT_RGB888:
	case DRM_FORMAT_BGR888:
		return 24;
	default:
		return 32;
	}
}

/* ADDFB2 of one object, one colour plane. Return: 0, or -errno. */
int __vmsm_kms_addfb(int fd, uint32_t handle, uint32_t w, uint32_t h,
		uint32_t format, uint32_t pitch, uint32_t offset, uint32_t *fb_id)
{
	struct drm_mode_fb_cmd2 f = {
		.width = w, .height = h, .pixel_format = format,
		.handles = { handle }, .pitches = { pitch }, .offsets = { offset },
	};

	if (igt_ioctl(fd, DRM_IOCTL_MODE_ADDFB2, &f))
		return -errno;
	*fb_id = f.fb_id;
	return 0;
}

/* CPU mappings of vmsm_kms_dumb_fb(), so that a failed subtest can drop them. */
static struct { void *map; uint64_t size; } maps[64];

/* Also for mappings made elsewhere, which vmsm_kms_fb_free() unmaps. */
void vmsm_kms_map_track(void *map, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (!maps[i].map) {
			maps[i].map = map;
			maps[i].size = size;
			return;
		}
	}
}

static void map_untrack(void *map)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (maps[i].map == map)
			maps[i].map = NULL;
}

/*
 * Unmaps every mapping vmsm_kms_dumb_fb() made that vmsm_kms_fb_free() did not
 * drop: a mapping keeps its object alive after the file is closed.
 */
void vmsm_kms_unmap_all(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (maps[i].map)
			munmap(maps[i].map, maps[i].size);
		maps[i].map = NULL;
	}
}

/* A dumb buffer of w x h in format, mapped, zeroed, with a framebuffer. */
void vmsm_kms_dumb_fb(int fd, uint32_t w, uint32_t h, uint32_t format, struct vmsm_kms_fb *fb)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h,
					  .bpp = vmsm_kms_format_bpp(format) };
	struct drm_mode_map_dumb m = { };
	int ret;

	memset(fb, 0, sizeof(*fb));
	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
	igt_assert_lte(w * c.bpp / 8, c.pitch);
	igt_assert_lte_u64((uint64_t)c.pitch * h, c.size);
	m.handle = c.handle;
	do_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
	fb->map = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	igt_assert_f(fb->map != MAP_FAILED, "mmap of a dumb buffer: %s\n", strerror(errno));
	vmsm_kms_map_track(fb->map, c.size);
	memset(fb->map, 0, c.size);
	fb->fd = fd;
	fb->handle = c.handle;
	fb->width = w;
	fb->height = h;
	fb->format = format;
	fb->pitch = c.pitch;
	fb->size = c.size;
	fb->dumb = true;
	ret = __vmsm_kms_addfb(fd, c.handle, w, h, format, c.pitch, 0, &fb->fb_id);
	igt_assert_f(ret == 0, "ADDFB2 %ux%u %.4s of a dumb buffer: %s\n", w, h,
		     (const char *)&format, strerror(-ret));
}

/**
 * vmsm_kms_fb_fill() - fill a mapped framebuffer with a pattern
 * @fb: the framebuffer, of a 16, 24 or 32 bits per pixel format
 * @pattern: pattern(x, y) is the raw value of the pixel at (x, y), a
 *	little-endian word of the format's size
 */
void vmsm_kms_fb_fill(struct vmsm_kms_fb *fb, vmsm_kms_pattern_fn pattern)
{
	uint32_t bpp = vmsm_kms_format_bpp(fb->format);
	uint32_t x, y;

	for (y = 0; y < fb->height; y++) {
		uint8_t *row = (uint8_t *)fb->map + (uint64_t)y * fb->pitch;

		for (x = 0; x < fb->width; x++) {
			uint32_t v = pattern(x, y);

			if (bpp == 16) {
				uint16_t s = v;

				memcpy(row + x * 2, &s, 2);
			} else if (bpp == 24) {
				row[x * 3] = v;
				row[x * 3 + 1] = v >> 8;
				row[x * 3 + 2] = v >> 16;
			} else {
				memcpy(row + x * 4, &v, 4);
			}
		}
	}
}

/**
 * vmsm_kms_address_pattern() - an XRGB8888 pattern that depends on the address
 * @x: column
 * @y: row
 *
 * A pixel that lands at the wrong offset or pitch shows up as another value.
 *
 * Return: the pixel's value.
 */
uint32_t vmsm_kms_address_pattern(uint32_t x, uint32_t y)
{
	return ((x * 3 + y) & 0xff) << 16 | ((y * 5 + x / 3) & 0xff) << 8 | ((x ^ y) & 0xff);
}

void vmsm_kms_rmfb(int fd, uint32_t fb_id)
{
	uint32_t id = fb_id;

	do_ioctl(fd, DRM_IOCTL_MODE_RMFB, &id);
}

void vmsm_kms_fb_free(struct vmsm_kms_fb *fb)
{
	if (fb->fb_id)
		vmsm_kms_rmfb(fb->fd, fb->fb_id);
	if (fb->map) {
		map_untrack(fb->map);
		munmap(fb->map, fb->size);
	}
	if (fb->dumb) {
		struct drm_mode_destroy_dumb d = { .handle = fb->handle };

		do_ioctl(fb->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	} else if (fb->handle) {
		struct drm_gem_close c = { .handle = fb->handle };

		do_ioctl(fb->fd, DRM_IOCTL_GEM_CLOSE, &c);
	}
	memset(fb, 0, sizeof(*fb));
}

/**
 * vmsm_kms_plane_req_scaled() - put a framebuffer on a plane, scaled
 * @fd: DRM file
 * @r: the request
 * @plane: plane id
 * @crtc: CRTC id
 * @fb_id: framebuffer id
 * @sx: left of the source, in pixels
 * @sy: top of the source
 * @sw: width of the source
 * @sh: height of the source
 * @cx: left of the destination on the CRTC (may be negative)
 * @cy: top of the destination
 * @cw: width of the destination
 * @ch: height of the destination
 */
void vmsm_kms_plane_req_scaled(int fd, struct vmsm_kms_req *r, uint32_t plane, uint32_t crtc,
			       uint32_t fb_id, uint32_t sx, uint32_t sy, uint32_t sw, uint32_t sh,
			       int32_t cx, int32_t cy, uint32_t cw, uint32_t ch)
{
	vmsm_kms_req_plane(fd, r, plane, "FB_ID", fb_id);
	vmsm_kms_req_plane(fd, r, plane, "CRTC_ID", crtc);
	vmsm_kms_req_plane(fd, r, plane, "SRC_X", (uint64_t)sx << 16);
	vmsm_kms_req_plane(fd, r, plane, "SRC_Y", (uint64_t)sy << 16);
	vmsm_kms_req_plane(fd, r, plane, "SRC_W", (uint64_t)sw << 16);
	vmsm_kms_req_plane(fd, r, plane, "SRC_H", (uint64_t)sh << 16);
	vmsm_kms_req_plane(fd, r, plane, "CRTC_X", (uint64_t)(int64_t)cx);
	vmsm_kms_req_plane(fd, r, plane, "CRTC_Y", (uint64_t)(int64_t)cy);
	vmsm_kms_req_plane(fd, r, plane, "CRTC_W", cw);
	vmsm_kms_req_plane(fd, r, plane, "CRTC_H", ch);
}

/* Puts fb on plane: src (x, y, w, h) at CRTC (x, y), unscaled. */
void vmsm_kms_plane_req(int fd, struct vmsm_kms_req *r, uint32_t plane, uint32_t crtc,
		   const struct vmsm_kms_fb *fb, uint32_t src_x, uint32_t src_y,
		   uint32_t w, uint32_t h, int32_t x, int32_t y)
{
	vmsm_kms_plane_req_scaled(fd, r, plane, crtc, fb->fb_id, src_x, src_y, w, h, x, y, w, h);
}

void vmsm_kms_plane_off(int fd, struct vmsm_kms_req *r, uint32_t plane)
{
	vmsm_kms_req_add_name(fd, r, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
	vmsm_kms_req_add_name(fd, r, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
}

/*
 * Reads one DRM event into buf, waiting up to timeout_ms.
 * Return: its length, 0 on timeout, or -errno.
 */
int vmsm_kms_read_event(int fd, int timeout_ms, void *buf, unsigned int len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t ret;

	ret = poll(&p, 1, timeout_ms);
	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	/* The DRM core hands out whole events that fit: len is one event. */
	ret = read(fd, buf, len);
	return ret < 0 ? -errno : ret;
}

/* Waits for a sync_file. Return: 1 signalled, 0 timeout, -errno. */
int vmsm_kms_wait_fence(int fence_fd, int timeout_ms)
{
	struct pollfd p = { .fd = fence_fd, .events = POLLIN };
	int ret = poll(&p, 1, timeout_ms);

	return ret < 0 ? -errno : ret;
}

/* Linux's crc32_le(): reflected 0xedb88320, no pre- or post-inversion. */
uint32_t vmsm_kms_crc32_le(uint32_t crc, const void *buf, uint64_t len)
{
	static uint32_t table[256];
	const uint8_t *p = buf;
	uint64_t i;

	if (!table[1]) {
		for (uint32_t n = 0; n < 256; n++) {
			uint32_t c = n;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[n] = c;
		}
	}
	for (i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc;
}

static uint32_t expand(uint32_t v, unsigned int bits)
{
	return (v << (8 - bits)) | (v >> (2 * bits - 8));
}

/*
 * A 10-bit channel as the nearest 8-bit value, c * 255 / 1023 rounded (it
 * is never halfway: 1023 is odd and 255 * c / 1023 = 85 * c / 341).
 */
static uint32_t narrow10(uint32_t c)
{
	return (uint32_t)lround((c & 0x3ff) * 255.0 / 1023.0);
}

/* The pixel of fb at (x, y) as ARGB8888. */
uint32_t vmsm_kms_fb_pixel_argb(const struct vmsm_kms_fb *fb, uint32_t x, uint32_t y)
{
	const uint8_t *row = (const uint8_t *)fb->map + (uint64_t)y * fb->pitch;
	uint32_t v, r, g, b, a;
	uint16_t s;

	switch (fb->format) {
	case DRM_FORMAT_XRGB8888:
		memcpy(&v, row + x * 4, 4);
		return v | 0xff000000u;
	case DRM_FORMAT_ARGB8888:
		memcpy(&v, row + x * 4, 4);
		return v;
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		memcpy(&v, row + x * 4, 4);
		r = v & 0xff;
		g = (v >> 8) & 0xff;
		b = (v >> 16) & 0xff;
		v = (v & 0xff000000u) | r << 16 | g << 8 | b;
		return fb->format == DRM_FORMAT_XBGR8888 ? v | 0xff000000u : v;
	case DRM_FORMAT_XRGB2101010:
	case DRM_FORMAT_ARGB2101010:
		memcpy(&v, row + x * 4, 4);
		r = narrow10(v >> 20);
		g = narrow10(v >> 10);
		b = narrow10(v);
		/* 2-bit alpha: 0, 1/3, 2/3, 1 of 255 */
		a = fb->format == DRM_FORMAT_ARGB2101010 ? (v >> 30) * 85 : 255;
		return a << 24 | r << 16 | g << 8 | b;
	case DRM_FORMAT_RGB888:
		/* little-endian [23:0] R:G:B: blue first in memory */
		return 0xff000000u | (uint32_t)row[x * 3 + 2] << 16 |
		       (uint32_t)row[x * 3 + 1] << 8 | row[x * 3];
	case DRM_FORMAT_BGR888:
		return 0xff000000u | (uint32_t)row[x * 3] << 16 |
		       (uint32_t)row[x * 3 + 1] << 8 | row[x * 3 + 2];
	case DRM_FORMAT_RGB565:
		memcpy(&s, row + x * 2, 2);
		r = expand(s >> 11, 5);
		g = expand((s >> 5) & 0x3f, 6);
		b = expand(s & 0x1f, 5);
		return 0xff000000u | r << 16 | g << 8 | b;
	}
	igt_assert_f(false, "no reference conversion for format %.4s\n",
		     (const char *)&fb->format);
	return 0;
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * vmsm_kms_ycbcr_to_rgb() - the exact R'G'B' of a pixel's Y'CbCr codes
 * @kr: the encoding's Kr (BT.601 0.299, BT.709 0.2126, BT.2020 0.2627)
 * @kb: the encoding's Kb (0.114, 0.0722, 0.0593)
 * @full: full range codes, else limited range
 * @bits: bits per code: 8, or 10 (in 16-bit samples, MSB aligned)
 * @luma: the Y' code
 * @cb: the Cb code
 * @cr: the Cr code
 * @rgb: receives R', G' and B', from 0 to 255, clamped, not rounded
 */
void vmsm_kms_ycbcr_to_rgb(double kr, double kb, bool full, unsigned int bits,
			   unsigned int luma, unsigned int cb, unsigned int cr, double rgb[3])
{
	double kg = 1 - kr - kb;
	double s = 1 << (bits - 8), half = 1 << (bits - 1), maxc = (1 << bits) - 1;
	double y, pb, pr, r, g, b;

	if (full) {
		y = luma / maxc;
		pb = (cb - half) / maxc;
		pr = (cr - half) / maxc;
	} else {
		y = (luma - 16 * s) / (219 * s);
		pb = (cb - half) / (224 * s);
		pr = (cr - half) / (224 * s);
	}
	r = y + 2 * (1 - kr) * pr;
	b = y + 2 * (1 - kb) * pb;
	g = (y - kr * r - kb * b) / kg;
	rgb[0] = clamp01(r) * 255;
	rgb[1] = clamp01(g) * 255;
	rgb[2] = clamp01(b) * 255;
}

/**
 * vmsm_kms_code_ok() - whether an 8-bit code is right for its exact value
 * @got: the code
 * @exact: the exact value, from 0 to 255
 *
 * Return: true if @got is @exact where that is a whole number, or within
 * less than 1 of it otherwise (either rounding, or truncation).
 */
bool vmsm_kms_code_ok(unsigned int got, double exact)
{
	double n = round(exact);

	if (fabs(exact - n) < 1e-9)
		return got == (unsigned int)n;
	return fabs(got - exact) < 1;
}

/* One channel of the blend; the scenes are built so that it is exact. */
static uint32_t blend_channel(double out, unsigned int x, unsigned int y)
{
	double r = nearbyint(out);

	igt_assert_f(fabs(out - r) < 1e-6,
		     "reference composition is not exact at (%u, %u): %f; fix the scene\n",
		     x, y, out);
	return (uint32_t)r;
}

/*
 * Composes the planes (bottom first after sorting by zpos) onto opaque
 * black, with DRM's blend equations (drm_blend.c, "pixel blend mode"):
 *   None:           out = pa * fg + (1 - pa) * bg
 *   Pre-multiplied: out = pa * fg + (1 - pa * a) * bg
 *   Coverage:       out = pa * a * fg + (1 - pa * a) * bg
 */
void vmsm_kms_ref_compose(uint32_t *frame, unsigned int w, unsigned int h,
		     const struct vmsm_kms_ref_plane *planes, unsigned int n)
{
	const struct vmsm_kms_ref_plane *order[16];
	unsigned int i, j, x, y;

	igt_assert(n <= ARRAY_SIZE(order));
	for (i = 0; i < w * h; i++)
		frame[i] = 0xff000000u;
	for (i = 0; i < n; i++)
		order[i] = &planes[i];
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && order[j - 1]->zpos > order[j]->zpos; j--) {
			const struct vmsm_kms_ref_plane *t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		const struct vmsm_kms_ref_plane *p = order[i];
		double pa = p->alpha / 65535.0;

		for (y = 0; y < p->src_h; y++) {
			int64_t dy = (int64_t)p->crtc_y + y;

			if (dy < 0 || dy >= h)
				continue;
			for (x = 0; x < p->src_w; x++) {
				int64_t dx = (int64_t)p->crtc_x + x;
				uint32_t fg, bg, out = 0xff000000u;
				double a, k_fg, k_bg;
				int c;

				if (dx < 0 || dx >= w)
					continue;
				fg = vmsm_kms_fb_pixel_argb(p->fb, p->src_x + x, p->src_y + y);
				bg = frame[dy * w + dx];
				a = (fg >> 24) / 255.0;
				switch (p->blend) {
				case VMSM_KMS_BLEND_NONE:
					k_fg = pa;
					k_bg = 1 - pa;
					break;
				case VMSM_KMS_BLEND_PREMULTI:
					k_fg = pa;
					k_bg = 1 - pa * a;
					break;
				default:
					k_fg = pa * a;
					k_bg = 1 - pa * a;
					break;
				}
				for (c = 0; c < 24; c += 8) {
					double v = k_fg * ((fg >> c) & 0xff) +
						   k_bg * ((bg >> c) & 0xff);

					out |= blend_channel(v, dx, dy) << c;
				}
				frame[dy * w + dx] = out;
			}
		}
	}
}

/*
 * Opens crtc-<i>/crc/data after selecting the "auto" source: the CRTC
 * must be on. Return: the file descriptor, or -errno.
 */
int vmsm_kms_crc_open(int fd, unsigned int crtc_index)
{
	char path[64];
	int dir, f, ret;

	snprintf(path, sizeof(path), "crtc-%u/crc/control", crtc_index);
	ret = vmsm_kms_debugfs_write(fd, path, "auto");
	if (ret)
		return ret;
	dir = igt_vmsm_debugfs_dir(fd);
	if (dir < 0)
		return -errno;
	snprintf(path, sizeof(path), "crtc-%u/crc/data", crtc_index);
	f = openat(dir, path, O_RDONLY | O_CLOEXEC);
	ret = f < 0 ? -errno : f;
	close(dir);
	return ret;
}

/* One CRC entry (blocks until there is one). Return: 0, or -errno. */
int vmsm_kms_crc_read(int crc_fd, uint32_t *frame, uint32_t *crc)
{
	char buf[64] = { };
	ssize_t ret;
	unsigned int f, c;

	ret = read(crc_fd, buf, sizeof(buf) - 1);
	if (ret < 0)
		return -errno;
	if (sscanf(buf, "%x %x", &f, &c) != 2)
		return -EPROTO;
	*frame = f;
	*crc = c;
	return 0;
}

/**
 * vmsm_kms_crc_after_commit() - the CRC of the frames after a commit
 * @fd: DRM file
 * @crtc: CRTC id
 * @crc_fd: the CRTC's crc/data, from vmsm_kms_crc_open()
 *
 * Reads entries until two of frames after the CRTC's current one have
 * come (each within VMSM_KMS_EVENT_TIMEOUT_MS), and asserts that they
 * agree.
 *
 * Return: their CRC.
 */
uint32_t vmsm_kms_crc_after_commit(int fd, uint32_t crtc, int crc_fd)
{
	struct drm_crtc_get_sequence gs = { .crtc_id = crtc };
	uint32_t frame, crc, prev = 0;
	unsigned int found = 0, i;

	do_ioctl(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs);
	for (i = 0; i < 200 && found < 2; i++) {
		struct pollfd p = { .fd = crc_fd, .events = POLLIN };

		igt_assert_f(poll(&p, 1, VMSM_KMS_EVENT_TIMEOUT_MS) == 1,
			     "no CRC entry in %d ms\n", VMSM_KMS_EVENT_TIMEOUT_MS);
		igt_assert_eq(vmsm_kms_crc_read(crc_fd, &frame, &crc), 0);
		if ((int32_t)(frame - (uint32_t)gs.sequence) <= 0)
			continue;
		if (found)
			igt_assert_eq_u32(crc, prev);
		prev = crc;
		found++;
	}
	igt_assert_eq(found, 2);
	return prev;
}

/* Writes text to a debugfs file of the device. Return: 0, or -errno. */
int vmsm_kms_debugfs_write(int fd, const char *file, const char *text)
{
	int dir, f, err = 0;
	ssize_t ret;

	dir = igt_vmsm_debugfs_dir(fd);
	if (dir < 0)
		return -errno;
	f = openat(dir, file, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		err = -errno;
	close(dir);
	if (err)
		return err;
	ret = write(f, text, strlen(text));
	if (ret < 0)
		err = -errno;
	else if ((size_t)ret != strlen(text))
		err = -EIO;
	close(f);
	return err;
}

/* N of the /dev/fbN whose device is the DRM device of @drm_fd, or -1. */
static int kms_fbdev_index(int drm_fd)
{
	char dev[PATH_MAX], link[64], real[PATH_MAX];
	int i;

	igt_assert_eq(igt_vmsm_sysfs_device(drm_fd, dev, sizeof(dev)), 0);
	for (i = 0; i < 32; i++) {
		snprintf(link, sizeof(link), "/sys/class/graphics/fb%d/device", i);
		if (realpath(link, real) && !strcmp(real, dev))
			return i;
	}
	return -1;
}

/**
 * vmsm_kms_fbdev_open() - open and map the fbdev emulation of a DRM device
 * @drm_fd: a file of the DRM device
 * @fb: receives the visible size, pitch, format (XRGB8888), and the
 *	mapping and size of all of its memory
 *
 * Return: the /dev/fbN file; the caller unmaps @fb->map and closes it.
 */
int vmsm_kms_fbdev_open(int drm_fd, struct vmsm_kms_fb *fb)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	char path[32];
	int n, fd;

	n = kms_fbdev_index(drm_fd);
	igt_assert_f(n >= 0, "no fbdev emulation of this DRM device in /sys/class/graphics\n");
	snprintf(path, sizeof(path), "/dev/fb%d", n);
	fd = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));
	do_ioctl(fd, FBIOGET_VSCREENINFO, &var);
	do_ioctl(fd, FBIOGET_FSCREENINFO, &fix);
	igt_assert_eq_u32(var.bits_per_pixel, 32);
	memset(fb, 0, sizeof(*fb));
	fb->width = var.xres;
	fb->height = var.yres;
	fb->format = DRM_FORMAT_XRGB8888;
	fb->pitch = fix.line_length;
	fb->size = (uint64_t)fix.line_length * var.yres_virtual;
	igt_assert_cmpu64(fb->size, >, <=, 0);
	fb->map = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	igt_assert_f(fb->map != MAP_FAILED, "mmap %s: %s\n", path, strerror(errno));
	fb->fd = -1;
	return fd;
}
