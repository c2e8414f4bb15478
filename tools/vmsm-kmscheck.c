// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm-kmscheck: look at what a KMS device shows, from outside the client
 * that draws it (run as root, next to modetest, kmscube or weston).
 *
 *   vmsm-kmscheck [-M driver] [-c crtc] card
 *       print the primary node of the driver's device (/dev/dri/cardN)
 *   vmsm-kmscheck [-M driver] [-c crtc] [-t seconds] [-o file.ppm] grab
 *       wait until the framebuffer on the CRTC's primary plane is not blank
 *       (GETFB2, mapped as a dumb buffer) and print what it holds; exit 1
 *       if it stayed blank, 2 if the CRTC scanned out nothing
 *   vmsm-kmscheck [-M driver] [-c crtc] crc -- command [args]
 *       read the CRTC's CRCs (debugfs source "auto") while the command
 *       runs; exit with the command's status, or 1 if no CRC differed from
 *       the one of an all-black frame of the mode
 *
 * Every line it prints starts with "kmscheck:".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

static const char *driver = "vmsm";
static int crtc_index;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

static int open_card(char *path, size_t len)
{
	int i, fd;

	for (i = 0; i < 16; i++) {
		drmVersionPtr v;

		snprintf(path, len, "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, driver)) {
			drmFreeVersion(v);
			/* an observer: leave master to the client it watches */
			drmDropMaster(fd);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	printf("kmscheck: no %s device\n", driver);
	exit(2);
}

static drmModeCrtcPtr get_crtc(int fd)
{
	drmModeResPtr res = drmModeGetResources(fd);
	drmModeCrtcPtr crtc;

	if (!res || crtc_index >= res->count_crtcs) {
		printf("kmscheck: no CRTC %d\n", crtc_index);
		exit(2);
	}
	crtc = drmModeGetCrtc(fd, res->crtcs[crtc_index]);
	drmModeFreeResources(res);
	return crtc;
}

struct stats {
	uint32_t fb_id, width, height, format;
	uint64_t nonblack, total;
	unsigned int colors;
	uint32_t first_color;
};

/* small open-addressing set to count distinct colours, up to 1024 */
#define NCOLORS 2048
static unsigned int count_color(uint32_t *set, uint32_t c)
{
	uint32_t h = (c * 2654435761u) % NCOLORS;

	c |= 1u << 31; /* never 0: 0 marks a free slot */
	while (set[h] && set[h] != c)
		h = (h + 1) % NCOLORS;
	if (set[h])
		return 0;
	set[h] = c;
	return 1;
}

static uint32_t pixel(const uint8_t *row, uint32_t x, uint32_t format)
{
	uint32_t v;

	if (format == DRM_FORMAT_RGB565) {
		uint16_t p;

		memcpy(&p, row + 2 * x, 2);
		return ((p >> 11) & 0x1f) << 19 | ((p >> 5) & 0x3f) << 10 | (p & 0x1f) << 3;
	}
	memcpy(&v, row + 4 * x, 4);
	if (format == DRM_FORMAT_XBGR8888 || format == DRM_FORMAT_ABGR8888)
		v = (v & 0xff00) | (v & 0xff) << 16 | ((v >> 16) & 0xff);
	return v & 0xffffff;
}

/* 0: looked at the fb, -1: nothing scanned out or not mappable */
static int grab_once(int fd, struct stats *st, const char *ppm)
{
	drmModeCrtcPtr crtc = get_crtc(fd);
	struct drm_mode_fb_cmd2 fb = { 0 };
	struct drm_mode_map_dumb map = { 0 };
	static uint32_t set[NCOLORS];
	uint64_t size;
	uint8_t *p;
	FILE *out = NULL;
	uint32_t x, y;

	memset(st, 0, sizeof(*st));
	memset(set, 0, sizeof(set));
	fb.fb_id = crtc->buffer_id;
	drmModeFreeCrtc(crtc);
	if (!fb.fb_id || drmIoctl(fd, DRM_IOCTL_MODE_GETFB2, &fb) || !fb.handles[0])
		return -1;
	st->fb_id = fb.fb_id;
	st->width = fb.width;
	st->height = fb.height;
	st->format = fb.pixel_format;
	map.handle = fb.handles[0];
	size = (uint64_t)fb.pitches[0] * fb.height + fb.offsets[0];
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map)) {
		printf("kmscheck: MAP_DUMB of fb %u: %s\n", fb.fb_id, strerror(errno));
		goto close;
	}
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, map.offset);
	if (p == MAP_FAILED) {
		printf("kmscheck: mmap of fb %u: %s\n", fb.fb_id, strerror(errno));
		goto close;
	}
	if (ppm) {
		out = fopen(ppm, "w");
		if (out)
			fprintf(out, "P6\n%u %u\n255\n", fb.width, fb.height);
	}
	for (y = 0; y < fb.height; y++) {
		const uint8_t *row = p + fb.offsets[0] + (uint64_t)y * fb.pitches[0];

		for (x = 0; x < fb.width; x++) {
			uint32_t c = pixel(row, x, fb.pixel_format);

			if (!st->total)
				st->first_color = c;
			st->total++;
			st->nonblack += c != 0;
			if (st->colors < NCOLORS / 2)
				st->colors += count_color(set, c);
			if (out) {
				uint8_t rgb[3] = { c >> 16, c >> 8, c };

				fwrite(rgb, 3, 1, out);
			}
		}
	}
	if (out)
		fclose(out);
	munmap(p, size);
close:
	drmCloseBufferHandle(fd, fb.handles[0]);
	return st->total ? 0 : -1;
}

static void print_stats(const char *what, const struct stats *st)
{
	printf("kmscheck: %s fb %u %ux%u %.4s: %llu of %llu pixels not black, %u%s colours\n",
	       what, st->fb_id, st->width, st->height, (const char *)&st->format,
	       (unsigned long long)st->nonblack, (unsigned long long)st->total, st->colors,
	       st->colors >= NCOLORS / 2 ? "+" : "");
}

static int cmd_grab(int fd, int timeout_s, const char *ppm)
{
	int64_t end = now_ms() + timeout_s * 1000ll;
	struct stats st, last = { 0 };
	int seen = 0;

	for (;;) {
		int r = grab_once(fd, &st, ppm);

		if (!r) {
			if (!seen || st.fb_id != last.fb_id)
				print_stats("looking at", &st);
			seen = 1;
			last = st;
		} else if (seen && last.fb_id) {
			printf("kmscheck: CRTC %d scans out nothing now\n", crtc_index);
			last.fb_id = 0;
		}
		/* not blank: something not black, and more than one colour */
		if (!r && st.nonblack && st.colors > 1) {
			print_stats("shown", &st);
			return 0;
		}
		if (now_ms() > end)
			break;
		usleep(250000);
	}
	if (!seen) {
		printf("kmscheck: CRTC %d scanned out no framebuffer\n", crtc_index);
		return 2;
	}
	print_stats("blank", &last);
	return 1;
}

static uint32_t crc32_black(uint32_t pixels)
{
	static const uint8_t px[4] = { 0x00, 0x00, 0x00, 0xff }; /* 0xff000000 */
	uint32_t crc = ~0u, i, b;

	while (pixels--) {
		for (i = 0; i < 4; i++) {
			crc ^= px[i];
			for (b = 0; b < 8; b++)
				crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
		}
	}
	return crc;
}

static int debugfs_crc(int fd, const char *file, int flags)
{
	char path[128];
	struct stat s;

	if (fstat(fd, &s))
		return -1;
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/crtc-%d/crc/%s",
		 minor(s.st_rdev), crtc_index, file);
	return open(path, flags | O_CLOEXEC);
}

#define MAX_CRCS 4096

static int cmd_crc(int fd, char **argv)
{
	static uint32_t crcs[MAX_CRCS];
	int ctl, data, status, nr = 0, nonblack = 0, distinct = 0, i, j, done = 0;
	uint32_t black, w = 0, h = 0;
	char buf[4096], line[256];
	size_t linelen = 0;
	int64_t drain_end = 0;
	drmModeCrtcPtr crtc;
	pid_t pid;

	ctl = debugfs_crc(fd, "control", O_WRONLY);
	if (ctl < 0 || write(ctl, "auto", 4) != 4) {
		printf("kmscheck: setting the CRC source: %s\n", strerror(errno));
		return 1;
	}
	close(ctl);
	data = debugfs_crc(fd, "data", O_RDONLY | O_NONBLOCK);
	if (data < 0) {
		printf("kmscheck: opening the CRC data: %s\n", strerror(errno));
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(data);
		close(fd);
		execvp(argv[0], argv);
		fprintf(stderr, "kmscheck: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (!done || now_ms() < drain_end) {
		struct pollfd pfd = { .fd = data, .events = POLLIN };
		ssize_t n;

		if (!done && waitpid(pid, &status, WNOHANG) == pid) {
			done = 1;
			drain_end = now_ms() + 500;
			/* the size of the mode the command drew in */
			crtc = get_crtc(fd);
			w = crtc->width;
			h = crtc->height;
			drmModeFreeCrtc(crtc);
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(data, buf, sizeof(buf));
		if (n <= 0)
			continue;
		for (i = 0; i < n; i++) {
			char *v;

			/* each read() is one line and its terminating NUL */
			if (!buf[i])
				continue;
			if (buf[i] != '\n') {
				if (linelen < sizeof(line) - 1)
					line[linelen++] = buf[i];
				continue;
			}
			line[linelen] = 0;
			linelen = 0;
			v = strchr(line, ' ');
			if (v && nr < MAX_CRCS)
				crcs[nr++] = strtoul(v + 1, NULL, 16);
		}
	}
	close(data);
	if (!w) {
		crtc = get_crtc(fd);
		w = crtc->width;
		h = crtc->height;
		drmModeFreeCrtc(crtc);
	}
	black = crc32_black(w * h);
	for (i = 0; i < nr; i++) {
		nonblack += crcs[i] != black && crcs[i] != ~black;
		for (j = 0; j < i && crcs[j] != crcs[i]; j++)
			;
		distinct += j == i;
	}
	printf("kmscheck: %d CRCs, %d distinct, %d not of a black %ux%u frame (0x%08x)\n",
	       nr, distinct, nonblack, w, h, black);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("kmscheck: %s failed (status 0x%x)\n", argv[0], status);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	return nonblack ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: vmsm-kmscheck [-M driver] [-c crtc] [-t s] [-o ppm] "
		"card|grab|crc -- command...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ppm = NULL;
	char path[64];
	int opt, fd, timeout = 10;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "+M:c:t:o:")) != -1) {
		switch (opt) {
		case 'M': driver = optarg; break;
		case 'c': crtc_index = atoi(optarg); break;
		case 't': timeout = atoi(optarg); break;
		case 'o': ppm = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	fd = open_card(path, sizeof(path));
	if (!strcmp(argv[optind], "card")) {
		printf("%s\n", path);
		return 0;
	}
	if (!strcmp(argv[optind], "grab"))
		return cmd_grab(fd, timeout, ppm);
	if (!strcmp(argv[optind], "crc")) {
		optind++;
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
		if (optind >= argc)
			usage();
		return cmd_crc(fd, argv + optind);
	}
	usage();
	return 2;
}
