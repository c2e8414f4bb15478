// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm-info: list every vmsm device with its DRM version and parameters.
 * Exits non-zero if no vmsm device is found or any query fails.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm/vmsm_drm.h>

static const struct {
	uint32_t id;
	const char *name;
} params[] = {
	{ VMSM_PARAM_CHIP_ID, "chip_id" },
	{ VMSM_PARAM_DEVICE_INDEX, "device_index" },
	{ VMSM_PARAM_VA_START, "va_start" },
	{ VMSM_PARAM_VA_SIZE, "va_size" },
	{ VMSM_PARAM_VA_BITS, "va_bits" },
	{ VMSM_PARAM_PAGE_SIZES, "page_sizes" },
	{ VMSM_PARAM_COHERENT, "coherent" },
	{ VMSM_PARAM_MAX_BO_SIZE, "max_bo_size" },
	{ VMSM_PARAM_NR_RINGS, "nr_rings" },
	{ VMSM_PARAM_TIMESTAMP_FREQUENCY, "timestamp_frequency" },
	{ VMSM_PARAM_TIMESTAMP, "timestamp" },
};

static int show_device(const char *path)
{
	char name[32] = "", date[32] = "", desc[128] = "";
	struct drm_version v = {
		.name = name, .name_len = sizeof(name) - 1,
		.date = date, .date_len = sizeof(date) - 1,
		.desc = desc, .desc_len = sizeof(desc) - 1,
	};
	unsigned int i;
	int fd, ret = 0;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, DRM_IOCTL_VERSION, &v) || strcmp(name, "vmsm")) {
		close(fd);
		return -1;
	}
	printf("%s: %s %d.%d.%d (%s) \"%s\"\n", path, name, v.version_major,
	       v.version_minor, v.version_patchlevel, date, desc);
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		struct drm_vmsm_get_param p = { .param = params[i].id };

		if (ioctl(fd, DRM_IOCTL_VMSM_GET_PARAM, &p)) {
			printf("  %-20s error: %s\n", params[i].name, strerror(errno));
			ret = 1;
			continue;
		}
		printf("  %-20s 0x%" PRIx64 " (%" PRIu64 ")\n", params[i].name,
		       (uint64_t)p.value, (uint64_t)p.value);
	}
	close(fd);
	return ret;
}

int main(void)
{
	struct dirent *de;
	char path[300];
	int found = 0, failed = 0, ret;
	DIR *dir;

	dir = opendir("/dev/dri");
	if (!dir) {
		perror("/dev/dri");
		return 1;
	}
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "card", 4) && strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		ret = show_device(path);
		if (ret >= 0)
			found++;
		if (ret > 0)
			failed++;
	}
	closedir(dir);
	if (!found)
		fprintf(stderr, "vmsm-info: no vmsm device\n");
	return !found || failed;
}
