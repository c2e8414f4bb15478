// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm-bench: throughput and latency of vmsm's render path, each figure
 * printed next to a baseline measured in the same run on the same machine:
 *
 *   null ioctl        GET_PARAM round trip (the floor of any ioctl)
 *   eventfd ping-pong two threads waking each other: the floor of any
 *                     "submit, complete elsewhere, wake the waiter" trip
 *   syncobj           RESET + SIGNAL + WAIT of a binary syncobj: a DRM
 *                     core fence round trip without a scheduler
 *   submit pipelined  no-op jobs queued back to back, one wait at the end
 *   submit + wait     one no-op job, waited for, at a time, and the
 *                     context switches (submitter, whole guest) per job
 *   submit, N listed  a no-op job listing N objects, implicit sync on and
 *                     off, and the marginal cost per listed object; a
 *                     VM_BIND-mode job with N objects mapped, none listed
 *   GPU copy 64 MiB   COPY packet vs. the CPU's memcpy of the same size
 *   BO cycle          create + mmap + first touch + close, vmsm vs. vgem
 *   range sync        CPU_FINI/CPU_PREP of 4 KiB of a 64 MiB object vs. the
 *                     whole object, and the whole object vs. memcpy()
 *   page flips        legacy page flips with events at the mode's refresh
 *                     rate: flips per second and missed vblanks vs. vkms
 *                     (when the kernel has it: the checking kernel) and
 *                     vs. a timerfd at the same period
 *   composition       the display engine's cost per composed 1080p frame
 *                     (debugfs vmsm_display compose_ns / composed, frames
 *                     forced by a CRC source) with 1, 2 and 4 planes
 *                     (primary, two full-screen overlays, the 64x64
 *                     cursor), XRGB8888 and NV12, vs. memcpy() of the
 *                     bytes those planes hold
 *   page tables       map and unmap of 1 GiB in 4 KiB pages and 2 MiB
 *                     blocks, vmsm's page tables vs. io-pgtable-arm, in the
 *                     kernel (vmsm_pgbench.ko, tools/bench/pgtable/)
 *
 * `vmsm-bench pgtable` runs the page tables' rows alone, `vmsm-bench
 * compose` the composition rows, `vmsm-bench
 * submit` the floors and the submission rows with their targets.
 * `vmsm-bench trace` measures nothing: it runs submits under ftrace's
 * function_graph tracer (GEM_SUBMIT with 1 and 100 listed objects, each
 * waited for, then 200 pipelined jobs) and prints the time and calls per
 * job of each function below the traced roots (the tracer's own cost
 * included: compare the rows with each other), then counts the work
 * items and context switches per job of 500 no-op jobs, each waited for
 * (sched_switch and workqueue_execute_start events). VMSM_TRACE (roots of the
 * ioctl, comma-separated; default vmsm_ioctl_gem_submit), VMSM_TRACE_JOB
 * (roots of the job's work items) and VMSM_TRACE_DEPTH (default 3) in the
 * environment change what it traces.
 *
 * Not a test: it asserts nothing about speed. It fails only if an ioctl
 * fails.
 */
#define _GNU_SOURCE		/* sched_setaffinity() */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <drm/vmsm_drm.h>
#include <drm_fourcc.h>

#define COPY_SIZE	(64u << 20)
#define BO_SIZE		(64u << 10)
/* composition: the mode, and the frames timed per scene */
#define CW		1920
#define CH		1080
#define COMPOSE_FRAMES	12

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "vmsm-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	while (ioctl(fd, req, arg)) {
		if (errno != EINTR && errno != EAGAIN)
			die(what);
	}
}

static int try_open_driver(const char *driver)
{
	char path[64], name[32];
	int i, fd;

	for (i = 0; i < 16; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, driver))
			return fd;
		close(fd);
	}
	return -1;
}

static int open_driver(const char *driver)
{
	int fd = try_open_driver(driver);

	if (fd < 0) {
		fprintf(stderr, "vmsm-bench: no %s device\n", driver);
		exit(1);
	}
	return fd;
}

struct bo {
	uint32_t handle;
	uint64_t iova;
	void *map;
	uint64_t size;
};

/* Command buffers are write-combined: the CPU writes them without a sync. */
static void bo_new(int fd, struct bo *bo, uint64_t size, int map, uint32_t flags)
{
	struct drm_vmsm_gem_new n = { .size = size, .flags = flags };
	struct drm_vmsm_gem_info i = { .info = VMSM_INFO_GET_IOVA };

	xioctl(fd, DRM_IOCTL_VMSM_GEM_NEW, &n, "GEM_NEW");
	bo->handle = n.handle;
	bo->size = size;
	i.handle = n.handle;
	xioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &i, "GET_IOVA");
	bo->iova = i.value;
	bo->map = NULL;
	if (!map)
		return;
	i.info = VMSM_INFO_GET_MMAP_OFFSET;
	xioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &i, "GET_MMAP_OFFSET");
	bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, i.value);
	if (bo->map == MAP_FAILED)
		die("mmap");
}

static void bo_free(int fd, struct bo *bo)
{
	struct drm_gem_close c = { .handle = bo->handle };

	if (bo->map)
		munmap(bo->map, bo->size);
	xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
}

static uint32_t submit(int fd, struct bo *cs, uint32_t ndw, struct drm_vmsm_submit_bo *bos,
		       uint32_t nr_bos)
{
	struct drm_vmsm_submit_cmd cmd = { .handle = cs->handle, .size = ndw };
	struct drm_vmsm_gem_submit s = {
		.bos = (uintptr_t)bos, .nr_bos = nr_bos,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1,
	};

	xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s, "GEM_SUBMIT");
	return s.fence;
}

static void wait_fence(int fd, uint32_t fence)
{
	struct drm_vmsm_wait_fence w = { .fence = fence, .timeout_ns = now_ns() + 60000000000ll };

	xioctl(fd, DRM_IOCTL_VMSM_WAIT_FENCE, &w, "WAIT_FENCE");
}

static void cpu_prep(int fd, uint32_t handle, uint32_t op, uint64_t offset, uint64_t size)
{
	struct drm_vmsm_gem_cpu_prep p = {
		.handle = handle, .op = op, .timeout_ns = INT64_MAX,
		.offset = offset, .size = size,
	};

	xioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &p, "GEM_CPU_PREP");
}

static void cpu_fini(int fd, uint32_t handle, uint64_t offset, uint64_t size)
{
	struct drm_vmsm_gem_cpu_fini f = { .handle = handle, .offset = offset, .size = size };

	xioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &f, "GEM_CPU_FINI");
}

/* Fractions below 10 keep two decimals (per-object costs, switches per job). */
static int prec(double v)
{
	return v < 10 && v > -10 && v != (long)v ? 2 : 1;
}

static void row(const char *what, double value, const char *unit, const char *base_what,
		double base, const char *ratio_note)
{
	double ratio = base ? value / base : 0.0;

	/* Small ratios (a range against the whole object) keep their digits. */
	printf("| %-28s | %12.*f %-8s | %-22s | %12.*f %-8s | %*.*fx %s\n", what, prec(value),
	       value, unit, base_what, prec(base), base, unit, 6, ratio < 0.01 ? 5 : 2, ratio,
	       ratio_note);
}

/* What the targets at the end compare, all from this run. */
static struct {
	double null_rate;		/* GET_PARAM per second */
	double pingpong_us;		/* eventfd round trip between two threads */
	double pipelined_rate;		/* no-op submits per second, one wait */
	double wait_us;			/* no-op submit + wait */
	double marginal_us[2];		/* per listed object: implicit sync, none */
	double bind_min, bind_max;	/* VM_BIND-mode submit over the mapped counts */
	double bind_one;		/* ... with one object mapped */
	int pt_cases;			/* page tables: rows with io-pgtable-arm */
	struct {
		char what[48];
		double ratio;		/* vmsm ns / io-pgtable-arm ns */
	} pt[16];
} res;

/* Context switches so far: this process (all its threads), the whole guest. */
struct ctxsw {
	long proc;
	unsigned long long guest;
};

static void ctxsw_now(struct ctxsw *c)
{
	char line[256];
	struct rusage ru;
	FILE *f;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	c->proc = ru.ru_nvcsw + ru.ru_nivcsw;
	c->guest = 0;
	f = fopen("/proc/stat", "r");
	if (!f)
		die("/proc/stat");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "ctxt %llu", &c->guest) == 1)
			break;
	fclose(f);
}

/* Per-iteration switches between two snapshots, over @n iterations. */
static void ctxsw_per(const struct ctxsw *a, const struct ctxsw *b, int n, double *proc,
		      double *guest)
{
	*proc = (double)(b->proc - a->proc) / n;
	*guest = (double)(b->guest - a->guest) / n;
}

static double bench_null_ioctl(int fd, int n)
{
	struct drm_vmsm_get_param p = { .param = VMSM_PARAM_CHIP_ID };
	int64_t t = now_ns();
	int i;

	for (i = 0; i < n; i++)
		xioctl(fd, DRM_IOCTL_VMSM_GET_PARAM, &p, "GET_PARAM");
	return n / ((now_ns() - t) / 1e9);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Median of @n samples (reordered): under TCG a preempted vCPU adds
 * milliseconds to a few calls of microseconds, which would make a mean.
 */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct pingpong {
	int ping, pong, n, cpu;
};

/* Keeps the calling thread on @cpu, or anywhere for -1. */
static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void *pong_thread(void *arg)
{
	struct pingpong *pp = arg;
	uint64_t v;
	int i;

	pin(pp->cpu);
	for (i = 0; i < pp->n; i++) {
		if (read(pp->ping, &v, sizeof(v)) != sizeof(v))
			die("eventfd read (pong)");
		v = 1;
		if (write(pp->pong, &v, sizeof(v)) != sizeof(v))
			die("eventfd write (pong)");
	}
	return NULL;
}

/*
 * Median microseconds of a round trip between two threads through a pair
 * of eventfds (write, the other thread wakes, writes back, this one wakes),
 * and the context switches per round trip; both threads on @cpu, or
 * wherever the scheduler puts them for -1.
 */
static double bench_pingpong(int n, int cpu, double *proc_sw, double *guest_sw)
{
	struct pingpong pp = { eventfd(0, EFD_CLOEXEC), eventfd(0, EFD_CLOEXEC), n + 10, cpu };
	double *us = calloc(n, sizeof(*us)), lat;
	struct ctxsw a = { 0 }, b;
	cpu_set_t old;
	int64_t t = 0;
	pthread_t th;
	uint64_t v;
	int i, err;

	if (pp.ping < 0 || pp.pong < 0 || !us)
		die("eventfd");
	err = pthread_create(&th, NULL, pong_thread, &pp);
	if (err) {
		errno = err;
		die("pthread_create");
	}
	if (sched_getaffinity(0, sizeof(old), &old))
		die("sched_getaffinity");
	pin(cpu);
	/* ten untimed trips: the other thread is running and waiting */
	for (i = 0; i < pp.n; i++) {
		if (i == 10)
			ctxsw_now(&a);
		t = now_ns();
		v = 1;
		if (write(pp.ping, &v, sizeof(v)) != sizeof(v))
			die("eventfd write (ping)");
		if (read(pp.pong, &v, sizeof(v)) != sizeof(v))
			die("eventfd read (ping)");
		if (i >= 10)
			us[i - 10] = (now_ns() - t) / 1e3;
	}
	ctxsw_now(&b);
	lat = median(us, n);
	free(us);
	ctxsw_per(&a, &b, n, proc_sw, guest_sw);
	pthread_join(th, NULL);
	if (sched_setaffinity(0, sizeof(old), &old))
		die("sched_setaffinity");
	close(pp.ping);
	close(pp.pong);
	return lat;
}

/* Median microseconds of RESET + SIGNAL + WAIT of one binary syncobj. */
static double bench_syncobj(int fd, int n)
{
	double *us = calloc(n, sizeof(*us)), m;
	struct drm_syncobj_create c = { 0 };
	struct drm_syncobj_array a = { .count_handles = 1 };
	struct drm_syncobj_wait w = { .count_handles = 1, .timeout_nsec = INT64_MAX };
	struct drm_syncobj_destroy d = { 0 };
	int64_t t;
	int i;

	if (!us)
		die("calloc");
	xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c, "SYNCOBJ_CREATE");
	a.handles = (uintptr_t)&c.handle;
	w.handles = (uintptr_t)&c.handle;
	for (i = 0; i < n; i++) {
		t = now_ns();
		xioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &a, "SYNCOBJ_RESET");
		xioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a, "SYNCOBJ_SIGNAL");
		xioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w, "SYNCOBJ_WAIT");
		us[i] = (now_ns() - t) / 1e3;
	}
	d.handle = c.handle;
	xioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d, "SYNCOBJ_DESTROY");
	m = median(us, n);
	free(us);
	return m;
}

static void bench_submit(int fd, double null_rate, double pp_us, double pp_proc,
			 double pp_guest, double syncobj_us)
{
	struct bo cs;
	struct drm_vmsm_submit_bo bos[1];
	struct ctxsw a, b;
	uint32_t *c, fence = 0;
	double rate, lat, proc_sw, guest_sw, us[500];
	int64_t t;
	int i, n = 2000;

	bo_new(fd, &cs, 4096, 1, VMSM_BO_WC);
	c = cs.map;
	c[0] = VMSM_CP_PKT(VMSM_CP_NOP, 0);
	bos[0] = (struct drm_vmsm_submit_bo){ .handle = cs.handle, .flags = VMSM_SUBMIT_BO_READ };

	t = now_ns();
	for (i = 0; i < n; i++)
		fence = submit(fd, &cs, 1, bos, 1);
	wait_fence(fd, fence);
	rate = n / ((now_ns() - t) / 1e9);
	row("no-op submits, pipelined", rate, "/s", "null ioctl", null_rate, "");

	n = 500;
	ctxsw_now(&a);
	for (i = 0; i < n; i++) {
		t = now_ns();
		wait_fence(fd, submit(fd, &cs, 1, bos, 1));
		us[i] = (now_ns() - t) / 1e3;
	}
	ctxsw_now(&b);
	lat = median(us, n);
	ctxsw_per(&a, &b, n, &proc_sw, &guest_sw);
	row("no-op submit + wait latency", lat, "us", "null ioctl latency", 1e6 / null_rate, "");
	row("no-op submit + wait latency", lat, "us", "eventfd ping-pong RTT", pp_us, "");
	row("no-op submit + wait latency", lat, "us", "syncobj reset+sig+wait", syncobj_us, "");
	row("ctx switches/job, submitter", proc_sw, "", "eventfd RTT, process", pp_proc, "");
	row("ctx switches/job, guest", guest_sw, "", "eventfd RTT, guest", pp_guest, "");
	res.pipelined_rate = rate;
	res.wait_us = lat;
	bo_free(fd, &cs);
}

static void bench_copy(int fd)
{
	struct bo src, dst, cs;
	struct drm_vmsm_submit_bo bos[3];
	uint32_t *c;
	int64_t t;
	double gpu, cpu;
	int i, reps = 4;

	bo_new(fd, &src, COPY_SIZE, 1, VMSM_BO_CACHED);
	bo_new(fd, &dst, COPY_SIZE, 1, VMSM_BO_CACHED);
	bo_new(fd, &cs, 4096, 1, VMSM_BO_WC);
	cpu_prep(fd, src.handle, VMSM_PREP_WRITE, 0, 0);
	memset(src.map, 0x5a, COPY_SIZE);
	cpu_fini(fd, src.handle, 0, 0);
	c = cs.map;
	c[0] = VMSM_CP_PKT(VMSM_CP_COPY, 6);
	c[1] = dst.iova;
	c[2] = dst.iova >> 32;
	c[3] = src.iova;
	c[4] = src.iova >> 32;
	c[5] = COPY_SIZE;
	c[6] = 0;
	bos[0] = (struct drm_vmsm_submit_bo){ .handle = src.handle, .flags = VMSM_SUBMIT_BO_READ };
	bos[1] = (struct drm_vmsm_submit_bo){ .handle = dst.handle, .flags = VMSM_SUBMIT_BO_WRITE };
	bos[2] = (struct drm_vmsm_submit_bo){ .handle = cs.handle, .flags = VMSM_SUBMIT_BO_READ };

	wait_fence(fd, submit(fd, &cs, 7, bos, 3));
	t = now_ns();
	for (i = 0; i < reps; i++)
		wait_fence(fd, submit(fd, &cs, 7, bos, 3));
	gpu = reps * (COPY_SIZE >> 20) / ((now_ns() - t) / 1e9);

	t = now_ns();
	for (i = 0; i < reps; i++) {
		memcpy(dst.map, src.map, COPY_SIZE);
		__asm__ volatile("" : : "r"(dst.map) : "memory");
	}
	cpu = reps * (COPY_SIZE >> 20) / ((now_ns() - t) / 1e9);
	row("GPU COPY 64 MiB", gpu, "MiB/s", "CPU memcpy 64 MiB", cpu, "");
	bo_free(fd, &src);
	bo_free(fd, &dst);
	bo_free(fd, &cs);
}

/* Microseconds one CPU_FINI of [off, off + size) takes, after writing @dirty bytes there. */
static double time_fini(int fd, struct bo *bo, uint64_t off, uint64_t size, uint64_t dirty,
			int reps)
{
	int64_t total = 0, t;
	int i;

	for (i = 0; i < reps; i++) {
		cpu_prep(fd, bo->handle, VMSM_PREP_WRITE, off, size);
		memset((char *)bo->map + off, i, dirty);
		t = now_ns();
		cpu_fini(fd, bo->handle, off, size);
		total += now_ns() - t;
	}
	return total / 1e3 / reps;
}

/* Microseconds one CPU_PREP(READ) of [off, off + size) takes after a GPU FILL of it. */
static double time_prep(int fd, struct bo *bo, struct bo *cs, uint64_t off, uint64_t size,
			int reps)
{
	struct drm_vmsm_submit_bo bos[2] = {
		{ .handle = bo->handle, .flags = VMSM_SUBMIT_BO_WRITE },
		{ .handle = cs->handle, .flags = VMSM_SUBMIT_BO_READ },
	};
	uint32_t *c = cs->map;
	int64_t total = 0, t;
	int i;

	c[0] = VMSM_CP_PKT(VMSM_CP_FILL, 5);
	c[1] = bo->iova + off;
	c[2] = (bo->iova + off) >> 32;
	c[3] = size;
	c[4] = size >> 32;
	for (i = 0; i < reps; i++) {
		c[5] = i;
		wait_fence(fd, submit(fd, cs, 6, bos, 2));
		t = now_ns();
		cpu_prep(fd, bo->handle, VMSM_PREP_READ, off, size);
		total += now_ns() - t;
		cpu_fini(fd, bo->handle, off, size);
	}
	return total / 1e3 / reps;
}

static void bench_range_sync(int fd)
{
	struct bo bo, cs, copy;
	double fini_page, fini_all, fini_one, prep_page, prep_all, cpy;
	int64_t t;
	int i, reps = 4;

	bo_new(fd, &bo, COPY_SIZE, 1, VMSM_BO_CACHED);
	bo_new(fd, &copy, COPY_SIZE, 1, VMSM_BO_CACHED);
	bo_new(fd, &cs, 4096, 1, VMSM_BO_WC);
	/* Fault both mappings in first: the baseline times the copy alone. */
	memset(copy.map, 1, COPY_SIZE);
	for (i = 0; i < (int)COPY_SIZE; i += 4096)
		(void)*(volatile char *)((char *)bo.map + i);
	t = now_ns();
	for (i = 0; i < reps; i++) {
		memcpy(copy.map, bo.map, COPY_SIZE);
		__asm__ volatile("" : : "r"(copy.map) : "memory");
	}
	cpy = (now_ns() - t) / 1e3 / reps;

	fini_all = time_fini(fd, &bo, 0, COPY_SIZE, COPY_SIZE, reps);
	fini_one = time_fini(fd, &bo, 0, COPY_SIZE, 4096, 200);
	fini_page = time_fini(fd, &bo, 32u << 20, 4096, 4096, 200);
	prep_all = time_prep(fd, &bo, &cs, 0, COPY_SIZE, reps);
	prep_page = time_prep(fd, &bo, &cs, 32u << 20, 4096, 200);

	row("CPU_FINI 4 KiB of 64 MiB", fini_page, "us", "CPU_FINI all 64 MiB", fini_all, "");
	row("CPU_FINI all, 4 KiB written", fini_one, "us", "CPU_FINI all 64 MiB", fini_all, "");
	row("CPU_FINI all 64 MiB written", fini_all, "us", "memcpy 64 MiB", cpy, "");
	row("CPU_PREP 4 KiB of 64 MiB", prep_page, "us", "CPU_PREP all 64 MiB", prep_all, "");
	row("CPU_PREP all 64 MiB", prep_all, "us", "memcpy 64 MiB", cpy, "");
	bo_free(fd, &bo);
	bo_free(fd, &copy);
	bo_free(fd, &cs);
}

static double bo_cycle_vmsm(int fd, int n)
{
	struct drm_vmsm_gem_new g = { .size = BO_SIZE, .flags = VMSM_BO_CACHED };
	struct drm_vmsm_gem_info i = { .info = VMSM_INFO_GET_MMAP_OFFSET };
	struct drm_gem_close c = { 0 };
	int64_t t = now_ns();
	char *p;
	int k;

	for (k = 0; k < n; k++) {
		xioctl(fd, DRM_IOCTL_VMSM_GEM_NEW, &g, "GEM_NEW");
		i.handle = g.handle;
		xioctl(fd, DRM_IOCTL_VMSM_GEM_INFO, &i, "GET_MMAP_OFFSET");
		p = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, i.value);
		if (p == MAP_FAILED)
			die("mmap");
		p[0] = 1;
		munmap(p, BO_SIZE);
		c.handle = g.handle;
		xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
	}
	return n / ((now_ns() - t) / 1e9);
}

static double bo_cycle_vgem(int fd, int n)
{
	struct drm_mode_create_dumb d = { .width = BO_SIZE / 4, .height = 1, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	struct drm_gem_close c = { 0 };
	int64_t t = now_ns();
	char *p;
	int k;

	for (k = 0; k < n; k++) {
		xioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &d, "CREATE_DUMB");
		m.handle = d.handle;
		xioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m, "MAP_DUMB");
		p = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
		if (p == MAP_FAILED)
			die("mmap vgem");
		p[0] = 1;
		munmap(p, BO_SIZE);
		c.handle = d.handle;
		xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE vgem");
	}
	return n / ((now_ns() - t) / 1e9);
}

/* ---- (c) page-table map/unmap of 1 GiB through VM_BIND ---- */

#define BIND_OBJ	(64ull << 20)
#define BIND_TOTAL	(1ull << 30)
#define THP_SHMEM	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"

static void bind_wait(int fd, struct drm_vmsm_vm_bind_op *ops, uint32_t n)
{
	struct drm_vmsm_vm_bind b = {
		.nr_ops = n, .ops = (uintptr_t)ops, .fence_fd = -1,
	};

	xioctl(fd, DRM_IOCTL_VMSM_VM_BIND, &b, "VM_BIND");
	wait_fence(fd, b.fence);
}

#define HANDOVER_RUNS	300

/* Submits a NOP at @va into a VM_BIND address space; returns its time. */
static double time_va_submit(int fd, uint64_t va, uint32_t *fence)
{
	struct drm_vmsm_submit_cmd cmd = { .iova = va, .size = 1 };
	struct drm_vmsm_gem_submit s = { .cmds = (uintptr_t)&cmd, .nr_cmds = 1 };
	int64_t t = now_ns();

	xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s, "GEM_SUBMIT");
	*fence = s.fence;
	return (now_ns() - t) / 1e3;
}

/* A VM_BIND address space mapping a NOP at @va and @n cached objects. */
struct bind_space {
	int fd, n;
	uint64_t va;
	uint32_t *handles, *cs, fence;
};

static void bind_space_new(struct bind_space *b, int n)
{
	struct drm_vmsm_get_param p = { .param = VMSM_PARAM_VA_START };
	struct drm_vmsm_vm_bind_op *ops = calloc(n + 1, sizeof(*ops));
	struct drm_vmsm_gem_new g = { .size = 4096, .flags = VMSM_BO_WC };
	struct drm_vmsm_gem_info i = { .info = VMSM_INFO_GET_MMAP_OFFSET };
	int k;

	b->fd = open_driver("vmsm");
	b->n = n;
	b->handles = calloc(n, sizeof(*b->handles));
	b->fence = 0;
	if (!ops || !b->handles)
		die("calloc");
	xioctl(b->fd, DRM_IOCTL_VMSM_GET_PARAM, &p, "GET_PARAM");
	b->va = p.value;
	xioctl(b->fd, DRM_IOCTL_VMSM_GEM_NEW, &g, "GEM_NEW");
	i.handle = g.handle;
	xioctl(b->fd, DRM_IOCTL_VMSM_GEM_INFO, &i, "GET_MMAP_OFFSET");
	b->cs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, i.value);
	if (b->cs == MAP_FAILED)
		die("mmap");
	b->cs[0] = VMSM_CP_PKT(VMSM_CP_NOP, 0);
	ops[0] = (struct drm_vmsm_vm_bind_op){
		.op = VMSM_VM_BIND_OP_MAP, .handle = g.handle, .iova = b->va, .range = 4096,
	};
	for (k = 0; k < n; k++) {
		struct drm_vmsm_gem_new o = { .size = 4096, .flags = VMSM_BO_CACHED };

		xioctl(b->fd, DRM_IOCTL_VMSM_GEM_NEW, &o, "GEM_NEW");
		b->handles[k] = o.handle;
		ops[k + 1] = (struct drm_vmsm_vm_bind_op){
			.op = VMSM_VM_BIND_OP_MAP, .handle = o.handle,
			.iova = b->va + 4096ull * (k + 1), .range = 4096,
		};
	}
	/* In chunks: a bind's worst case of new page tables is bounded. */
	for (k = 0; k < n + 1; k += 64)
		bind_wait(b->fd, ops + k, n + 1 - k < 64 ? n + 1 - k : 64);
	free(ops);
}

static void bind_space_free(struct bind_space *b)
{
	munmap(b->cs, 4096);
	free(b->handles);
	close(b->fd);
}

/*
 * @k submits of the NOP into @b back to back, each timed into @t (with
 * one of the mapped objects held by the CPU, an open PREP made outside
 * the timing, if @held), then a wait for the last, untimed.
 */
static void bind_space_time(struct bind_space *b, int held, int k, double *t)
{
	int j;

	for (j = 0; j < k; j++) {
		if (held)
			cpu_prep(b->fd, b->handles[0], VMSM_PREP_WRITE, 0, 0);
		t[j] = time_va_submit(b->fd, b->va, &b->fence);
	}
	wait_fence(b->fd, b->fence);
}

#define HANDOVER_ROUNDS	30

/*
 * Median time of a submit into VM_BIND address spaces mapping @mapped[i]
 * objects, none listed, for each i < @nr (with one held by the CPU if
 * @held): the spaces are set up first, then measured in rounds of
 * HANDOVER_RUNS / HANDOVER_ROUNDS submits each, every space in every
 * round, so that a change of the host's load meets all of them alike.
 */
static void bench_handover_spaces(const int *mapped, unsigned int nr, int held, double *med)
{
	int per = HANDOVER_RUNS / HANDOVER_ROUNDS;
	struct bind_space *b = calloc(nr, sizeof(*b));
	double *t = calloc((size_t)nr * HANDOVER_RUNS, sizeof(*t));
	unsigned int i;
	int r;

	if (!b || !t)
		die("calloc");
	for (i = 0; i < nr; i++)
		bind_space_new(&b[i], mapped[i]);
	for (r = 0; r < HANDOVER_ROUNDS; r++)
		for (i = 0; i < nr; i++)
			bind_space_time(&b[i], held, per, t + i * HANDOVER_RUNS + r * per);
	for (i = 0; i < nr; i++) {
		med[i] = median(t + i * HANDOVER_RUNS, HANDOVER_ROUNDS * per);
		bind_space_free(&b[i]);
	}
	free(t);
	free(b);
}

/* Mapped object counts of the VM_BIND-mode submit rows; index 0 is one. */
static const int bind_mapped[] = { 1, 10, 100, 250, 500, 1000 };
#define NR_MAPPED	(sizeof(bind_mapped) / sizeof(bind_mapped[0]))
static double bind_none[NR_MAPPED];

/* Objects listed in the listed-submit rows. */
static const int listed[] = { 10, 100, 250, 500, 1000 };
#define NR_LISTED	(sizeof(listed) / sizeof(listed[0]))

/* Least-squares slope of @y over @x. */
static double slope(const int *x, const double *y, unsigned int k)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0;
	unsigned int i;

	for (i = 0; i < k; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= k;
	my /= k;
	for (i = 0; i < k; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
	}
	return sxx ? sxy / sxx : 0;
}

/*
 * Median microseconds of a GEM_SUBMIT ioctl of a NOP job listing @bos[0, n)
 * (@bos[0] holds the command), @reps back to back with one wait at the
 * end; @wall: microseconds per job including that wait.
 */
static double time_listed(int fd, struct bo *cs, struct drm_vmsm_submit_bo *bos, int n,
			  uint32_t flags, int reps, double *wall)
{
	struct drm_vmsm_submit_cmd cmd = { .handle = cs->handle, .size = 1 };
	struct drm_vmsm_gem_submit s = {
		.flags = flags, .bos = (uintptr_t)bos, .nr_bos = n,
		.cmds = (uintptr_t)&cmd, .nr_cmds = 1,
	};
	double *us = calloc(reps, sizeof(*us)), m;
	int64_t t0, t;
	int i;

	if (!us)
		die("calloc");
	/* untimed: the objects get their GPU addresses and pages */
	xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s, "GEM_SUBMIT");
	wait_fence(fd, s.fence);
	t0 = now_ns();
	for (i = 0; i < reps; i++) {
		t = now_ns();
		xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s, "GEM_SUBMIT");
		us[i] = (now_ns() - t) / 1e3;
	}
	wait_fence(fd, s.fence);
	*wall = (now_ns() - t0) / 1e3 / reps;
	m = median(us, reps);
	free(us);
	return m;
}

/*
 * Submission cost against the number of objects: a NOP job listing N
 * objects (the command buffer and N - 1 objects it writes), with implicit
 * sync and with VMSM_SUBMIT_NO_IMPLICIT, and a VM_BIND-mode NOP job with N
 * objects mapped and none listed. Prints the marginal cost per object.
 */
static void bench_submit_objects(int fd, double null_rate)
{
	struct drm_vmsm_submit_bo *bos = calloc(listed[NR_LISTED - 1], sizeof(*bos));
	double sub[2][NR_LISTED], wall[2][NR_LISTED], null_us = 1e6 / null_rate, m;
	unsigned int i, imp;
	char what[64];
	struct bo cs;
	int k, n;

	if (!bos)
		die("calloc");
	bo_new(fd, &cs, 4096, 1, VMSM_BO_WC);
	*(uint32_t *)cs.map = VMSM_CP_PKT(VMSM_CP_NOP, 0);
	bos[0] = (struct drm_vmsm_submit_bo){ .handle = cs.handle, .flags = VMSM_SUBMIT_BO_READ };
	for (k = 1; k < listed[NR_LISTED - 1]; k++) {
		struct drm_vmsm_gem_new g = { .size = 4096, .flags = VMSM_BO_WC };

		xioctl(fd, DRM_IOCTL_VMSM_GEM_NEW, &g, "GEM_NEW");
		bos[k] = (struct drm_vmsm_submit_bo){ .handle = g.handle,
						      .flags = VMSM_SUBMIT_BO_WRITE };
	}
	for (i = 0; i < NR_LISTED; i++) {
		n = listed[i];
		/* about the same number of listed objects in each run */
		k = 20000 / n < 30 ? 30 : 20000 / n > 1000 ? 1000 : 20000 / n;
		for (imp = 0; imp < 2; imp++)
			sub[imp][i] = time_listed(fd, &cs, bos, n,
						  imp ? VMSM_SUBMIT_NO_IMPLICIT : 0, k,
						  &wall[imp][i]);
		snprintf(what, sizeof(what), "submit, %d listed", n);
		row(what, sub[0][i], "us", "null ioctl latency", null_us, "");
		snprintf(what, sizeof(what), "submit, %d listed, no impl", n);
		row(what, sub[1][i], "us", "null ioctl latency", null_us, "");
	}
	for (imp = 0; imp < 2; imp++) {
		res.marginal_us[imp] = slope(listed, sub[imp], NR_LISTED);
		row(imp ? "per listed obj, no implicit" : "per listed obj, implicit",
		    res.marginal_us[imp], "us", "null ioctl latency", null_us, "");
		m = slope(listed, wall[imp], NR_LISTED);
		row("  same, pipelined, per job", m, "us", "null ioctl latency", null_us, "");
	}
	for (k = 1; k < listed[NR_LISTED - 1]; k++) {
		struct drm_gem_close c = { .handle = bos[k].handle };

		xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
	}
	bo_free(fd, &cs);
	free(bos);

	bench_handover_spaces(bind_mapped, NR_MAPPED, 0, bind_none);
	for (i = 0; i < NR_MAPPED; i++) {
		if (!i || bind_none[i] < res.bind_min)
			res.bind_min = bind_none[i];
		if (!i || bind_none[i] > res.bind_max)
			res.bind_max = bind_none[i];
		if (!i)
			continue;
		snprintf(what, sizeof(what), "VM_BIND submit, %d mapped", bind_mapped[i]);
		row(what, bind_none[i], "us", "same, 1 mapped", bind_none[0], "");
	}
	res.bind_one = bind_none[0];
	row("VM_BIND submit, 1 mapped", bind_none[0], "us", "null ioctl latency", null_us, "");
	row("per mapped obj, VM_BIND", slope(bind_mapped, bind_none, NR_MAPPED), "us",
	    "null ioctl latency", null_us, "");
}

/* An open CPU access to one of N mapped objects, against none (above). */
static void bench_handover(void)
{
	char what[64];
	unsigned int i;

	static const int held[] = { 1, 100, 1000 };
	double med[3];

	bench_handover_spaces(held, 3, 1, med);
	for (i = 0; i < NR_MAPPED; i++) {
		unsigned int h;

		for (h = 0; h < 3 && held[h] != bind_mapped[i]; h++)
			;
		if (h == 3)
			continue;
		snprintf(what, sizeof(what), "VM_BIND submit, %d mapped, 1 held", bind_mapped[i]);
		row(what, med[h], "us", "same, none held", bind_none[i], "");
	}
}

static void target(const char *what, const char *limit, double ratio, int met)
{
	printf("| target: %-46s %-8s | measured %8.2fx | %s\n", what, limit, ratio,
	       met ? "met" : "not met");
}

/*
 * Page tables: vmsm_pgbench.ko maps and unmaps 1 GiB through vmsm's page
 * tables (the same vmsm_pgtable.c) and through io-pgtable-arm when it
 * runs: the module's file runs it on open and gives one line per
 * implementation and case (see tools/bench/pgtable/pgbench.c).
 */
#define PGBENCH_RUN	"/sys/kernel/debug/vmsm_pgbench/run"

struct pt_line {
	char impl[24], walk[16], calls[16], size[4];
	unsigned long long units, map_ns, unmap_ns;
};

static void pt_rows(const struct pt_line *v, const struct pt_line *b)
{
	int i;

	for (i = 0; i < 2; i++) {
		double vns = (double)(i ? v->unmap_ns : v->map_ns) / v->units, bns;
		char what[48], unit[8];

		snprintf(what, sizeof(what), "PT %s %s%s, %s", i ? "unmap" : "map", v->size,
			 strcmp(v->calls, "range") ? "/call" : "",
			 strcmp(v->walk, "coherent") ? "non-coh" : "coherent");
		snprintf(unit, sizeof(unit), "ns/%s", v->size);
		if (!b) {
			printf("| %-28s | %12.*f %-8s | %-22s | %21s |\n", what, prec(vns), vns,
			       unit, "io-pgtable-arm", "(not run)");
			continue;
		}
		bns = (double)(i ? b->unmap_ns : b->map_ns) / b->units;
		row(what, vns, unit, "io-pgtable-arm, same", bns, "");
		if (res.pt_cases < (int)(sizeof(res.pt) / sizeof(res.pt[0]))) {
			snprintf(res.pt[res.pt_cases].what, sizeof(res.pt[0].what), "%s", what);
			res.pt[res.pt_cases++].ratio = vns / bns;
		}
	}
}

static void bench_pgtable(void)
{
	struct pt_line l[32], *v;
	char line[160];
	int n = 0, i, j, iop = 1;
	FILE *f = fopen(PGBENCH_RUN, "r");

	if (!f) {
		printf("| page tables: not run (%s: %s; the module is built by make bench, "
		       "not for the checking kernel)\n", PGBENCH_RUN, strerror(errno));
		return;
	}
	while (n < 32 && fgets(line, sizeof(line), f)) {
		if (!strcmp(line, "io-pgtable-arm unavailable\n")) {
			iop = 0;
			printf("| (io-pgtable-arm does not run here: this kernel has no ARM LPAE "
			       "io-pgtable, CONFIG_IOMMU_IO_PGTABLE_LPAE; vmsm's rows alone)\n");
			continue;
		}
		if (strstr(line, " unavailable\n")) {
			printf("| (page tables: no %s device here, as on x86, where every "
			       "device is coherent: no %s rows)\n",
			       strncmp(line, "coherent ", 9) ? "non-coherent" : "coherent",
			       strncmp(line, "coherent ", 9) ? "non-coh" : "coherent");
			continue;
		}
		if (sscanf(line, "%23s %15s %15s %3s %llu %llu %llu", l[n].impl, l[n].walk,
			   l[n].calls, l[n].size, &l[n].units, &l[n].map_ns, &l[n].unmap_ns) == 7 &&
		    l[n].units)
			n++;
	}
	if (ferror(f) || !n)
		die("reading " PGBENCH_RUN);
	fclose(f);
	printf("| (page tables, in the kernel: 1 GiB mapped, then unmapped, in ns per 4 KiB page or "
	       "2 MiB block, best of 5; one call for the GiB, or /call: one per page or block; "
	       "non-coh: every table write cleaned to memory)\n");
	for (i = 0; i < n; i++) {
		v = &l[i];
		if (strcmp(v->impl, "vmsm"))
			continue;
		for (j = 0; j < n && iop; j++)
			if (!strcmp(l[j].impl, "io-pgtable-arm") && !strcmp(l[j].walk, v->walk) &&
			    !strcmp(l[j].calls, v->calls) && !strcmp(l[j].size, v->size))
				break;
		pt_rows(v, iop && j < n ? &l[j] : NULL);
	}
}

static void print_pt_targets(void)
{
	char what[64];
	int i;

	if (!res.pt_cases)
		printf("| target: %-46s %-8s | not measured: io-pgtable-arm did not run\n",
		       "page tables: vmsm/io-pgtable-arm", "<= 1.00x");
	for (i = 0; i < res.pt_cases; i++) {
		snprintf(what, sizeof(what), "%s: vmsm/io-pgtable", res.pt[i].what);
		target(what, "<= 1.00x", res.pt[i].ratio, res.pt[i].ratio <= 1.0);
	}
}

/* The targets of the render path, against this run's figures; informative only. */
static void print_submit_targets(void)
{
	double r;

	printf("|\n| targets (informative; the benchmark never fails on them):\n");
	r = res.pipelined_rate / res.null_rate;
	target("pipelined no-op submits / null ioctl rate", ">= 0.20x", r, r >= 0.2);
	r = res.wait_us / res.pingpong_us;
	target("submit+wait latency / eventfd ping-pong", "<= 3x", r, r <= 3);
	r = res.marginal_us[0] * res.null_rate / 1e6;
	target("per listed object (implicit) / null ioctl", "<= 0.25x", r, r <= 0.25);
	r = res.marginal_us[1] * res.null_rate / 1e6;
	target("per listed object (no impl.) / null ioctl", "<= 0.25x", r, r <= 0.25);
	r = res.bind_max / res.bind_one;
	target("VM_BIND submit: slowest of 1..1000 mapped / 1", "<= 1.10x", r, r <= 1.1);
	r = res.bind_min / res.bind_one;
	target("VM_BIND submit: fastest of 1..1000 mapped / 1", ">= 0.90x", r, r >= 0.9);
}

static void print_targets(void)
{
	print_submit_targets();
	print_pt_targets();
}

/* Sets shmem's huge page policy (internal mount too); returns the old one. */
static int thp_shmem(const char *mode, char *old, size_t len)
{
	FILE *f = fopen(THP_SHMEM, "r");
	char *a, *b;

	if (!f)
		return -1;
	if (old && fgets(old, len, f)) {	/* "always [never] ..." */
		a = strchr(old, '[');
		b = a ? strchr(a, ']') : NULL;
		if (!b)
			return fclose(f), -1;
		*b = 0;
		memmove(old, a + 1, strlen(a + 1) + 1);
	}
	fclose(f);
	f = fopen(THP_SHMEM, "w");
	if (!f)
		return -1;
	fputs(mode, f);
	return fclose(f);
}

/* Leaf entries of each size in the page-table dump of the device. */
static void count_leaves(unsigned long *l2, unsigned long *l3)
{
	char line[256];
	FILE *f = NULL;
	int i;

	*l2 = *l3 = 0;
	for (i = 0; i < 16 && !f; i++) {
		snprintf(line, sizeof(line), "/sys/kernel/debug/dri/%d/vmsm_vm", i);
		f = fopen(line, "r");
	}
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		*l2 += !!strstr(line, " L2 pte ");
		*l3 += !!strstr(line, " L3 pte ");
	}
	fclose(f);
}

/*
 * Maps a 64 MiB object 16 times back to back (1 GiB) and unmaps the whole
 * GiB in one operation, on a VM of its own; @huge: the object's pages are
 * 2 MiB folios, so that the mapper can use blocks. Returns the seconds of
 * map and unmap (best of 3) and checks which leaf size it got.
 */
static int bench_bind_one(int huge, double *map_s, double *unmap_s, unsigned long *leaves)
{
	int fd = open_driver("vmsm");
	struct drm_vmsm_get_param p = { .param = VMSM_PARAM_VA_START };
	struct drm_vmsm_vm_bind_op ops[BIND_TOTAL / BIND_OBJ], un = {
		.op = VMSM_VM_BIND_OP_UNMAP, .range = BIND_TOTAL,
	};
	struct drm_vmsm_gem_new n = { .size = BIND_OBJ, .flags = VMSM_BO_WC };
	unsigned long l2, l3;
	struct bo obj;
	int64_t t;
	int i, r;

	xioctl(fd, DRM_IOCTL_VMSM_GET_PARAM, &p, "GET_PARAM");
	xioctl(fd, DRM_IOCTL_VMSM_GEM_NEW, &n, "GEM_NEW");
	obj = (struct bo){ .handle = n.handle, .size = BIND_OBJ };
	bind_wait(fd, NULL, 0);			/* userspace-managed addresses */
	un.iova = (p.value + BIND_TOTAL - 1) & ~(BIND_TOTAL - 1);
	for (i = 0; i < (int)(BIND_TOTAL / BIND_OBJ); i++)
		ops[i] = (struct drm_vmsm_vm_bind_op){
			.op = VMSM_VM_BIND_OP_MAP, .handle = obj.handle,
			.iova = un.iova + i * BIND_OBJ, .range = BIND_OBJ,
		};
	/* one map to see what the mapper made of the pages */
	bind_wait(fd, ops, 1);
	count_leaves(&l2, &l3);
	*leaves = huge ? l2 : l3;
	bind_wait(fd, &un, 1);
	if (huge ? l2 != BIND_OBJ >> 21 : l3 < (BIND_OBJ >> 12) / 2) {
		fprintf(stderr, "vmsm-bench: %s: %lu blocks, %lu pages in 64 MiB\n",
			huge ? "2 MiB" : "4 KiB", l2, l3);
		bo_free(fd, &obj);
		close(fd);
		return -1;
	}
	*map_s = *unmap_s = 1e9;
	for (r = 0; r < 3; r++) {
		t = now_ns();
		bind_wait(fd, ops, BIND_TOTAL / BIND_OBJ);
		if ((now_ns() - t) / 1e9 < *map_s)
			*map_s = (now_ns() - t) / 1e9;
		t = now_ns();
		bind_wait(fd, &un, 1);
		if ((now_ns() - t) / 1e9 < *unmap_s)
			*unmap_s = (now_ns() - t) / 1e9;
	}
	bo_free(fd, &obj);
	close(fd);
	return 0;
}

static void bench_bind(void)
{
	double map4, unmap4, map2, unmap2;
	unsigned long n4, n2;
	char old[64] = "never";
	int ok4, ok2 = -1;

	ok4 = thp_shmem("never", old, sizeof(old)) ? -1 :
	      bench_bind_one(0, &map4, &unmap4, &n4);
	if (!thp_shmem("always", NULL, 0))
		ok2 = bench_bind_one(1, &map2, &unmap2, &n2);
	thp_shmem(old, NULL, 0);
	if (ok4 || ok2) {
		printf("| VM_BIND 1 GiB: %s\n", ok4 ? "no 4 KiB mapping" : "no 2 MiB blocks");
		return;
	}
	row("VM_BIND map 1 GiB, 2M blocks", 1 / map2, "GiB/s", "same in 4K pages", 1 / map4, "");
	row("VM_BIND unmap 1 GiB, 2M", 1 / unmap2, "GiB/s", "same in 4K pages", 1 / unmap4, "");
	printf("| (64 MiB probe: %lu 2 MiB blocks; %lu of 16384 4 KiB pages in the 4K run)\n",
	       n2, n4);
}

/*
 * Page flips at the mode's refresh rate: legacy PAGE_FLIP with events
 * between two dumb buffers on the first CRTC, frames per second and
 * vblanks missed (gaps in the events' sequence numbers). Baseline: a
 * timerfd at the same period in the same VM, i.e. how steadily this guest
 * wakes up at that rate at all (Debian's kernels have no vkms).
 */
static int first_connector(int fd, struct drm_mode_card_res *res, uint32_t *conn_id,
			   struct drm_mode_modeinfo *mode)
{
	uint32_t *ids = calloc(res->count_connectors, sizeof(*ids));
	uint32_t i;
	int found = 0;

	res->connector_id_ptr = (uintptr_t)ids;
	xioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, res, "GETRESOURCES");
	for (i = 0; i < res->count_connectors && !found; i++) {
		struct drm_mode_get_connector c = { .connector_id = ids[i] };
		struct drm_mode_modeinfo *modes;
		uint32_t m;

		xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR");
		if (c.connection != 1 || !c.count_modes)
			continue;
		modes = calloc(c.count_modes, sizeof(*modes));
		c = (struct drm_mode_get_connector){ .connector_id = ids[i],
						     .count_modes = c.count_modes,
						     .modes_ptr = (uintptr_t)modes };
		xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR");
		*mode = modes[0];
		for (m = 0; m < c.count_modes; m++)
			if (modes[m].type & DRM_MODE_TYPE_PREFERRED) {
				*mode = modes[m];
				break;
			}
		*conn_id = ids[i];
		found = 1;
		free(modes);
	}
	free(ids);
	return found;
}

/* The connector's 1920x1080 mode (the first listed); 0 if it has none. */
static int mode_1080p(int fd, uint32_t conn_id, struct drm_mode_modeinfo *mode)
{
	struct drm_mode_get_connector c = { .connector_id = conn_id };
	struct drm_mode_modeinfo *modes;
	uint32_t m;
	int found = 0;

	xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR");
	modes = calloc(c.count_modes, sizeof(*modes));
	c = (struct drm_mode_get_connector){ .connector_id = conn_id,
					     .count_modes = c.count_modes,
					     .modes_ptr = (uintptr_t)modes };
	xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR");
	for (m = 0; m < c.count_modes && !found; m++) {
		if (modes[m].hdisplay == CW && modes[m].vdisplay == CH) {
			*mode = modes[m];
			found = 1;
		}
	}
	free(modes);
	return found;
}

/* n flips on the first CRTC of fd: flips per second and missed vblanks */
static void flip_run(int fd, int n, double *fps, uint64_t *missed, double *hz, char *name,
		     size_t name_len)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_modeinfo mode;
	struct drm_mode_create_dumb dumb[2];
	struct drm_mode_fb_cmd fb[2];
	struct drm_mode_crtc crtc = { 0 };
	uint32_t crtc_id, conn_id, seq = 0, prev = 0;
	int64_t t0 = 0;
	int i;

	xioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES");
	if (!res.count_crtcs) {
		fprintf(stderr, "vmsm-bench: the device has no CRTC\n");
		exit(1);
	}
	res.crtc_id_ptr = (uintptr_t)&crtc_id;
	res.count_crtcs = 1;
	res.count_fbs = res.count_encoders = 0;
	if (!first_connector(fd, &res, &conn_id, &mode)) {
		fprintf(stderr, "vmsm-bench: no connected connector\n");
		exit(1);
	}
	for (i = 0; i < 2; i++) {
		dumb[i] = (struct drm_mode_create_dumb){ .width = mode.hdisplay,
							 .height = mode.vdisplay, .bpp = 32 };
		xioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb[i], "CREATE_DUMB");
		fb[i] = (struct drm_mode_fb_cmd){ .width = mode.hdisplay, .height = mode.vdisplay,
						  .pitch = dumb[i].pitch, .bpp = 32, .depth = 24,
						  .handle = dumb[i].handle };
		xioctl(fd, DRM_IOCTL_MODE_ADDFB, &fb[i], "ADDFB");
	}
	crtc.crtc_id = crtc_id;
	crtc.fb_id = fb[0].fb_id;
	crtc.set_connectors_ptr = (uintptr_t)&conn_id;
	crtc.count_connectors = 1;
	crtc.mode = mode;
	crtc.mode_valid = 1;
	xioctl(fd, DRM_IOCTL_MODE_SETCRTC, &crtc, "SETCRTC");

	*missed = 0;
	for (i = 0; i < n; i++) {
		struct drm_mode_crtc_page_flip flip = { .crtc_id = crtc_id,
							.fb_id = fb[(i + 1) & 1].fb_id,
							.flags = DRM_MODE_PAGE_FLIP_EVENT };
		struct drm_event_vblank ev;

		xioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &flip, "PAGE_FLIP");
		do {
			if (read(fd, &ev, sizeof(ev)) != sizeof(ev))
				die("reading the flip event");
		} while (ev.base.type != DRM_EVENT_FLIP_COMPLETE);
		seq = ev.sequence;
		if (i == 0)
			t0 = now_ns();
		else if (seq > prev)
			*missed += seq - prev - 1;
		prev = seq;
	}
	*fps = (n - 1) / ((now_ns() - t0) / 1e9);
	*hz = mode.clock * 1000.0 / ((double)mode.htotal * mode.vtotal);
	snprintf(name, name_len, "%.31s@%d", mode.name, (int)(*hz + 0.5));

	crtc.fb_id = 0;
	crtc.count_connectors = 0;
	crtc.mode_valid = 0;
	xioctl(fd, DRM_IOCTL_MODE_SETCRTC, &crtc, "SETCRTC off");
	for (i = 0; i < 2; i++) {
		struct drm_mode_destroy_dumb d = { .handle = dumb[i].handle };

		xioctl(fd, DRM_IOCTL_MODE_RMFB, &fb[i].fb_id, "RMFB");
		xioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d, "DESTROY_DUMB");
	}
}

/* a timerfd at the period of hz: wakeups per second, periods missed */
static void timer_run(double hz, int n, double *fps, uint64_t *missed)
{
	struct itimerspec its = { 0 };
	int64_t t0;
	uint64_t exp;
	int i, tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	if (tfd < 0)
		die("timerfd_create");
	its.it_value.tv_nsec = its.it_interval.tv_nsec = (long)(1e9 / hz);
	if (timerfd_settime(tfd, 0, &its, NULL))
		die("timerfd_settime");
	if (read(tfd, &exp, sizeof(exp)) != sizeof(exp))
		die("reading the timerfd");
	*missed = 0;
	t0 = now_ns();
	for (i = 0; i < n - 1; i++) {
		if (read(tfd, &exp, sizeof(exp)) != sizeof(exp))
			die("reading the timerfd");
		*missed += exp - 1;
	}
	*fps = (n - 1) / ((now_ns() - t0) / 1e9);
	close(tfd);
}

static void bench_flip(int fd, int n)
{
	double fps, base_fps, hz;
	uint64_t missed, base_missed;
	char mode[48], what[64], missed_what[48];
	int vkms = try_open_driver("vkms");

	snprintf(missed_what, sizeof(missed_what), "missed vblanks, %d flips", n - 1);

	flip_run(fd, n, &fps, &missed, &hz, mode, sizeof(mode));
	snprintf(what, sizeof(what), "page flips %.48s", mode);
	if (vkms >= 0) {
		char vmode[48], bwhat[64];

		flip_run(vkms, n, &base_fps, &base_missed, &hz, vmode, sizeof(vmode));
		snprintf(bwhat, sizeof(bwhat), "vkms flips %.40s", vmode);
		row(what, fps, "/s", bwhat, base_fps, "");
		row(missed_what, missed, "", "vkms missed vblanks", base_missed,
		    "");
		close(vkms);
	}
	timer_run(hz, n, &base_fps, &base_missed);
	row(what, fps, "/s", "timerfd, same period", base_fps, "");
	row(missed_what, missed, "", "missed timer periods", base_missed, "");
}

/* ---- composition cost ---- */

struct cfb {
	uint32_t fb_id, handle;
	uint64_t size;
};

/* A CW x CH framebuffer of @format (XRGB8888, NV12) or a 64x64 cursor. */
static void cfb_new(int fd, uint32_t format, int cursor, struct cfb *f)
{
	uint32_t w = cursor ? 64 : CW, h = cursor ? 64 : CH;
	int nv12 = format == DRM_FORMAT_NV12;
	struct drm_mode_create_dumb d = { .width = w, .height = nv12 ? h * 3 / 2 : h,
					  .bpp = nv12 ? 8 : 32 };
	struct drm_mode_fb_cmd2 c = { .width = w, .height = h, .pixel_format = format };
	struct drm_mode_map_dumb m = { 0 };
	void *p;

	xioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &d, "CREATE_DUMB");
	m.handle = d.handle;
	xioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m, "MAP_DUMB");
	p = mmap(NULL, d.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED)
		die("mmap of a dumb buffer");
	memset(p, 0x5a, d.size);
	munmap(p, d.size);
	c.handles[0] = c.handles[1] = d.handle;
	c.pitches[0] = c.pitches[1] = d.pitch;
	c.offsets[1] = nv12 ? d.pitch * h : 0;
	xioctl(fd, DRM_IOCTL_MODE_ADDFB2, &c, "ADDFB2");
	f->fb_id = c.fb_id;
	f->handle = d.handle;
	/* the bytes the composer reads */
	f->size = nv12 ? (uint64_t)w * h * 3 / 2 : (uint64_t)w * h * 4;
}

static void cfb_free(int fd, struct cfb *f)
{
	struct drm_mode_destroy_dumb d = { .handle = f->handle };

	xioctl(fd, DRM_IOCTL_MODE_RMFB, &f->fb_id, "RMFB");
	xioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d, "DESTROY_DUMB");
}

/* The planes of CRTC 0 (bit 0): primary, the two overlays, the cursor. */
static void compose_planes(int fd, uint32_t *planes)
{
	struct drm_set_client_cap cap = { .capability = DRM_CLIENT_CAP_UNIVERSAL_PLANES,
					  .value = 1 };
	struct drm_mode_get_plane_res pr = { 0 };
	uint32_t ids[64], i, n = 0;

	xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cap, "SET_CLIENT_CAP");
	xioctl(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr, "GETPLANERESOURCES");
	if (pr.count_planes > 64)
		pr.count_planes = 64;
	pr.plane_id_ptr = (uintptr_t)ids;
	xioctl(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr, "GETPLANERESOURCES");
	/* created in that order for each CRTC */
	for (i = 0; i < pr.count_planes && n < 4; i++) {
		struct drm_mode_get_plane gp = { .plane_id = ids[i] };

		xioctl(fd, DRM_IOCTL_MODE_GETPLANE, &gp, "GETPLANE");
		if (gp.possible_crtcs & 1)
			planes[n++] = ids[i];
	}
	if (n != 4) {
		fprintf(stderr, "vmsm-bench: CRTC 0 has %u planes, not 4\n", n);
		exit(1);
	}
}

static void set_plane(int fd, uint32_t plane, uint32_t crtc, const struct cfb *f, int cursor)
{
	uint32_t w = cursor ? 64 : CW, h = cursor ? 64 : CH;
	struct drm_mode_set_plane sp = { .plane_id = plane, .crtc_id = f ? crtc : 0,
					 .fb_id = f ? f->fb_id : 0, .crtc_w = f ? w : 0,
					 .crtc_h = f ? h : 0, .src_w = f ? w << 16 : 0,
					 .src_h = f ? h << 16 : 0 };

	xioctl(fd, DRM_IOCTL_MODE_SETPLANE, &sp, "SETPLANE");
}

/* compose_ns and composed of CRTC 0, from debugfs vmsm_display. */
static void compose_counters(int dbg, uint64_t *ns, uint64_t *frames)
{
	char buf[4096], *p;
	ssize_t n;
	int f = openat(dbg, "vmsm_display", O_RDONLY);

	if (f < 0)
		die("debugfs vmsm_display");
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		die("reading vmsm_display");
	buf[n] = 0;
	p = strstr(buf, "composed ");
	*frames = p ? strtoull(p + 9, NULL, 10) : 0;
	p = strstr(buf, "compose_ns ");
	*ns = p ? strtoull(p + 11, NULL, 10) : 0;
}

/* Milliseconds per composed frame while a CRC source forces composition. */
static double compose_ms(int dbg)
{
	uint64_t ns0, n0, ns1, n1;
	char line[64];
	int ctl, data, i;

	ctl = openat(dbg, "crtc-0/crc/control", O_WRONLY);
	if (ctl < 0 || write(ctl, "auto", 4) != 4)
		die("crtc-0/crc/control");
	close(ctl);
	data = openat(dbg, "crtc-0/crc/data", O_RDONLY);
	if (data < 0)
		die("crtc-0/crc/data");
	/* the first entry: the scene is being composed */
	if (read(data, line, sizeof(line)) <= 0)
		die("reading a CRC");
	compose_counters(dbg, &ns0, &n0);
	for (i = 0; i < COMPOSE_FRAMES; i++)
		if (read(data, line, sizeof(line)) <= 0)
			die("reading a CRC");
	compose_counters(dbg, &ns1, &n1);
	close(data);
	return n1 > n0 ? (ns1 - ns0) / 1e6 / (n1 - n0) : 0;
}

static double memcpy_ms(uint64_t bytes)
{
	char *a = malloc(bytes), *b = malloc(bytes);
	double t[5];
	int i;

	if (!a || !b)
		die("malloc");
	memset(a, 1, bytes);
	memset(b, 2, bytes);
	for (i = 0; i < 5; i++) {
		int64_t t0 = now_ns();

		memcpy(b, a, bytes);
		t[i] = (now_ns() - t0) / 1e6;
		a[i] = b[bytes - 1 - i];
	}
	free(a);
	free(b);
	return median(t, 5);
}

static void bench_compose(int fd)
{
	static const uint32_t formats[] = { DRM_FORMAT_XRGB8888, DRM_FORMAT_NV12 };
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_crtc crtc = { 0 };
	struct drm_mode_modeinfo mode;
	uint32_t crtc_id, conn_id, planes[4];
	struct cfb fbs[3], cur;
	struct stat st;
	char path[64], what[64];
	unsigned int k, n, i;
	int dbg;

	if (fstat(fd, &st))
		die("fstat");
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u", minor(st.st_rdev));
	dbg = open(path, O_RDONLY | O_DIRECTORY);
	if (dbg < 0)
		die(path);
	xioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES");
	res.crtc_id_ptr = (uintptr_t)&crtc_id;
	res.count_crtcs = 1;
	res.count_fbs = res.count_encoders = 0;
	if (!first_connector(fd, &res, &conn_id, &mode))
		die("no connected connector");
	if (!mode_1080p(fd, conn_id, &mode)) {
		fprintf(stderr, "vmsm-bench: no 1920x1080 mode, composition skipped\n");
		close(dbg);
		return;
	}
	compose_planes(fd, planes);
	cfb_new(fd, DRM_FORMAT_ARGB8888, 1, &cur);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 3; i++)
			cfb_new(fd, formats[k], 0, &fbs[i]);
		crtc = (struct drm_mode_crtc){ .crtc_id = crtc_id, .fb_id = fbs[0].fb_id,
					       .set_connectors_ptr = (uintptr_t)&conn_id,
					       .count_connectors = 1, .mode = mode,
					       .mode_valid = 1 };
		xioctl(fd, DRM_IOCTL_MODE_SETCRTC, &crtc, "SETCRTC");
		for (n = 1; n <= 4; n *= 2) {
			uint64_t bytes = fbs[0].size;

			set_plane(fd, planes[1], crtc_id, n > 1 ? &fbs[1] : NULL, 0);
			set_plane(fd, planes[2], crtc_id, n > 2 ? &fbs[2] : NULL, 0);
			set_plane(fd, planes[3], crtc_id, n > 2 ? &cur : NULL, 1);
			if (n > 1)
				bytes += fbs[1].size;
			if (n > 2)
				bytes += fbs[2].size + cur.size;
			snprintf(what, sizeof(what), "compose 1080p, %u %s plane%s", n,
				 k ? "NV12" : "XRGB", n > 1 ? "s" : "");
			row(what, compose_ms(dbg), "ms", "memcpy(), same bytes",
			    memcpy_ms(bytes), "");
		}
		set_plane(fd, planes[1], crtc_id, NULL, 0);
		set_plane(fd, planes[2], crtc_id, NULL, 0);
		set_plane(fd, planes[3], crtc_id, NULL, 1);
		crtc = (struct drm_mode_crtc){ .crtc_id = crtc_id };
		xioctl(fd, DRM_IOCTL_MODE_SETCRTC, &crtc, "SETCRTC off");
		for (i = 0; i < 3; i++)
			cfb_free(fd, &fbs[i]);
	}
	cfb_free(fd, &cur);
	close(dbg);
}

/* ---- where the time goes: function_graph over the submit path ---- */

#define TRACEFS	"/sys/kernel/tracing"

static void trace_write(const char *file, const char *val)
{
	char path[128];
	int tfd;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	tfd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (tfd < 0 || write(tfd, val, strlen(val)) != (ssize_t)strlen(val))
		die(path);
	close(tfd);
}

struct trace_sum {
	char name[64];
	int depth;
	double us;
	long calls;
};

/*
 * Sums function_graph's durations per function and call depth (below the
 * traced roots) and prints them, most expensive first, per root.
 */
static void trace_report(const char *title, long jobs)
{
	static struct trace_sum sums[512];
	char line[512], name[64], *bar, *p;
	int nsums = 0, i, j, depth;
	double us;
	FILE *f = fopen(TRACEFS "/trace", "r");

	if (!f)
		die("reading the trace");
	while (fgets(line, sizeof(line), f)) {
		bar = strchr(line, '|');
		if (!bar || line[0] == '#')
			continue;
		/* the duration is the last number before the bar */
		for (p = bar; p > line && !(p[-1] >= '0' && p[-1] <= '9'); p--)
			;
		while (p > line && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))
			p--;
		if (sscanf(p, "%lf", &us) != 1 || p == line || !strstr(p, "us"))
			continue;
		for (depth = 0, p = bar + 1; *p == ' '; p++)
			depth++;
		if (sscanf(p, "} /* %63[^ */] */", name) != 1 &&
		    sscanf(p, "%63[^(;]();", name) != 1)
			continue;
		depth = (depth - 1) / 2;
		for (i = 0; i < nsums; i++)
			if (sums[i].depth == depth && !strcmp(sums[i].name, name))
				break;
		if (i == nsums) {
			if (nsums == (int)(sizeof(sums) / sizeof(sums[0])))
				continue;
			snprintf(sums[nsums].name, sizeof(sums[0].name), "%s", name);
			sums[nsums].depth = depth;
			sums[nsums].us = 0;
			sums[nsums++].calls = 0;
		}
		sums[i].us += us;
		sums[i].calls++;
	}
	fclose(f);
	/* selection sort by depth, then time */
	for (i = 0; i < nsums; i++)
		for (j = i + 1; j < nsums; j++)
			if (sums[j].depth < sums[i].depth ||
			    (sums[j].depth == sums[i].depth && sums[j].us > sums[i].us)) {
				struct trace_sum t = sums[i];

				sums[i] = sums[j];
				sums[j] = t;
			}
	printf("| trace: %s, %ld jobs (function_graph: times include the tracer's)\n", title,
	       jobs);
	for (i = 0; i < nsums; i++)
		if (sums[i].us / jobs >= 0.05)
			printf("|   %*s%-40s %8.2f us/job %8.2f calls/job\n", 2 * sums[i].depth, "",
			       sums[i].name, sums[i].us / jobs, (double)sums[i].calls / jobs);
}

/* @roots: function names separated by commas; those not traceable are left out */
static void trace_start(const char *roots, int depth)
{
	char d[16], names[256], *name, *save;
	int tfd;

	trace_write("tracing_on", "0");
	trace_write("current_tracer", "nop");
	trace_write("set_graph_function", "");
	snprintf(names, sizeof(names), "%s", roots);
	for (name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		tfd = open(TRACEFS "/set_graph_function", O_WRONLY | O_APPEND | O_CLOEXEC);
		if (tfd < 0)
			die("set_graph_function");
		if (write(tfd, name, strlen(name)) != (ssize_t)strlen(name))
			printf("| trace: %s cannot be traced\n", name);
		close(tfd);
	}
	snprintf(d, sizeof(d), "%d", depth);
	trace_write("max_graph_depth", d);
	trace_write("buffer_size_kb", "8192");
	trace_write("current_tracer", "function_graph");
	trace_write("options/funcgraph-tail", "1");
	trace_write("options/funcgraph-irqs", "0");
	trace_write("trace", "");
	trace_write("tracing_on", "1");
}

static void trace_stop(void)
{
	trace_write("tracing_on", "0");
}

/*
 * Counts, per job, the work items run (by function) and the context
 * switches (by the task switched out) in the guest while @n no-op jobs
 * are each submitted and waited for, from the sched_switch and
 * workqueue_execute_start events.
 */
static void trace_events(int fd, struct drm_vmsm_gem_submit *s, int n)
{
	static struct trace_sum sums[128];
	char line[512], name[64], *p;
	int nsums = 0, i, k, kind;
	FILE *f;

	trace_write("tracing_on", "0");
	trace_write("current_tracer", "nop");
	trace_write("events/sched/sched_switch/enable", "1");
	trace_write("events/workqueue/workqueue_execute_start/enable", "1");
	trace_write("trace", "");
	trace_write("tracing_on", "1");
	for (k = 0; k < n; k++) {
		xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, s, "GEM_SUBMIT");
		wait_fence(fd, s->fence);
	}
	trace_write("tracing_on", "0");
	trace_write("events/sched/sched_switch/enable", "0");
	trace_write("events/workqueue/workqueue_execute_start/enable", "0");
	f = fopen(TRACEFS "/trace", "r");
	if (!f)
		die("reading the trace");
	while (fgets(line, sizeof(line), f)) {
		if ((p = strstr(line, "function ")) && sscanf(p, "function %63s", name) == 1)
			kind = 1;
		else if ((p = strstr(line, "prev_comm=")) && sscanf(p, "prev_comm=%63s", name) == 1)
			kind = 0;
		else
			continue;
		/* kworkers by kind, not by number */
		if (!kind && !strncmp(name, "kworker/", 8))
			snprintf(name, sizeof(name), "kworker");
		for (i = 0; i < nsums; i++)
			if (sums[i].depth == kind && !strcmp(sums[i].name, name))
				break;
		if (i == nsums) {
			if (nsums == (int)(sizeof(sums) / sizeof(sums[0])))
				continue;
			snprintf(sums[nsums].name, sizeof(sums[0].name), "%s", name);
			sums[nsums].depth = kind;
			sums[nsums++].calls = 0;
		}
		sums[i].calls++;
	}
	fclose(f);
	printf("|\n| trace: %d no-op jobs, each submitted and waited for: per job\n", n);
	for (kind = 0; kind < 2; kind++) {
		long total = 0;

		for (i = 0; i < nsums; i++)
			if (sums[i].depth == kind)
				total += sums[i].calls;
		printf("|   %-44s %8.2f\n", kind ? "work items run, all" : "context switches, all",
		       (double)total / n);
		for (i = 0; i < nsums; i++)
			if (sums[i].depth == kind && (double)sums[i].calls / n >= 0.05)
				printf("|     %-42s %8.2f\n", sums[i].name, (double)sums[i].calls / n);
	}
}

/*
 * `vmsm-bench trace`: function_graph over the submit ioctl (100 listed
 * objects, implicit sync) and over the job's life after it (the
 * scheduler's work items, the ring's), summed per function.
 */
static void bench_trace(int fd)
{
	struct drm_vmsm_submit_bo *bos = calloc(100, sizeof(*bos));
	struct drm_vmsm_submit_cmd cmd = { .size = 1 };
	struct drm_vmsm_gem_submit s = { .bos = (uintptr_t)bos, .cmds = (uintptr_t)&cmd,
					 .nr_cmds = 1 };
	const char *roots = getenv("VMSM_TRACE") ?: "vmsm_ioctl_gem_submit";
	const char *job_roots = getenv("VMSM_TRACE_JOB") ?:
		"drm_sched_run_job_work,drm_sched_free_job_work,vmsm_job_exec";
	int depth = getenv("VMSM_TRACE_DEPTH") ? atoi(getenv("VMSM_TRACE_DEPTH")) : 3;
	struct bo cs;
	int k, n;

	if (!bos)
		die("calloc");
	if (access(TRACEFS "/trace", F_OK))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	bo_new(fd, &cs, 4096, 1, VMSM_BO_WC);
	*(uint32_t *)cs.map = VMSM_CP_PKT(VMSM_CP_NOP, 0);
	cmd.handle = cs.handle;
	bos[0] = (struct drm_vmsm_submit_bo){ .handle = cs.handle, .flags = VMSM_SUBMIT_BO_READ };
	for (k = 1; k < 100; k++) {
		struct drm_vmsm_gem_new g = { .size = 4096, .flags = VMSM_BO_WC };

		xioctl(fd, DRM_IOCTL_VMSM_GEM_NEW, &g, "GEM_NEW");
		bos[k] = (struct drm_vmsm_submit_bo){ .handle = g.handle,
						      .flags = VMSM_SUBMIT_BO_WRITE };
	}
	for (n = 1; n <= 100; n += 99) {
		s.nr_bos = n;
		xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s, "GEM_SUBMIT");
		wait_fence(fd, s.fence);
		trace_start(roots, depth);
		for (k = 0; k < 20; k++) {
			xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s, "GEM_SUBMIT");
			wait_fence(fd, s.fence);
		}
		trace_stop();
		printf("|\n");
		trace_report(n == 1 ? "GEM_SUBMIT, 1 listed" : "GEM_SUBMIT, 100 listed", 20);
	}
	s.nr_bos = 1;
	trace_start(job_roots, depth);
	for (k = 0; k < 200; k++)
		xioctl(fd, DRM_IOCTL_VMSM_GEM_SUBMIT, &s, "GEM_SUBMIT");
	wait_fence(fd, s.fence);
	usleep(100000);
	trace_stop();
	printf("|\n");
	trace_report("a job's work items, pipelined, 1 listed", 200);
	trace_write("current_tracer", "nop");
	trace_events(fd, &s, 500);
	for (k = 1; k < 100; k++) {
		struct drm_gem_close c = { .handle = bos[k].handle };

		xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
	}
	bo_free(fd, &cs);
	free(bos);
}

static void header(void)
{
	printf("| %-28s | %-21s | %-22s | %-21s | ratio\n", "vmsm", "value", "baseline (same run)",
	       "value");
	printf("|------------------------------|-----------------------|------------------------|"
	       "-----------------------|------\n");
}

int main(int argc, char **argv)
{
	int fd, vgem, submit_only;
	double null_rate, pp_us, pp_proc, pp_guest, pp1_us, pp1_proc, pp1_guest, sync_us;

	if (argc > 1 && !strcmp(argv[1], "pgtable")) {
		header();
		bench_pgtable();
		printf("|\n| targets (informative; the benchmark never fails on them):\n");
		print_pt_targets();
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "compose")) {
		header();
		bench_compose(open_driver("vmsm"));
		return 0;
	}
	submit_only = argc > 1 && !strcmp(argv[1], "submit");
	if (argc > 1 && !strcmp(argv[1], "trace")) {
		bench_trace(open_driver("vmsm"));
		return 0;
	}
	if (argc > 1 && !submit_only) {
		fprintf(stderr, "usage: vmsm-bench [pgtable|compose|submit|trace]\n");
		return 2;
	}
	fd = open_driver("vmsm");
	header();
	null_rate = bench_null_ioctl(fd, 20000);
	res.null_rate = null_rate;
	row("GET_PARAM (null ioctl)", null_rate, "/s", "GET_PARAM", null_rate, "");
	pp_us = bench_pingpong(2000, -1, &pp_proc, &pp_guest);
	res.pingpong_us = pp_us;
	row("(eventfd ping-pong RTT)", pp_us, "us", "null ioctl latency", 1e6 / null_rate, "");
	pp1_us = bench_pingpong(2000, 0, &pp1_proc, &pp1_guest);
	row("(same, both on one CPU)", pp1_us, "us", "null ioctl latency", 1e6 / null_rate, "");
	row("(ctx switches/RTT, one CPU)", pp1_guest, "", "same, any CPU", pp_guest, "");
	sync_us = bench_syncobj(fd, 2000);
	row("(syncobj reset+signal+wait)", sync_us, "us", "null ioctl latency", 1e6 / null_rate, "");
	bench_submit(fd, null_rate, pp_us, pp_proc, pp_guest, sync_us);
	bench_submit_objects(fd, null_rate);
	if (submit_only) {
		print_submit_targets();
		return 0;
	}
	vgem = open_driver("vgem");
	bench_copy(fd);
	row("BO create+mmap+touch+close", bo_cycle_vmsm(fd, 2000), "/s", "vgem dumb, same cycle",
	    bo_cycle_vgem(vgem, 2000), "");
	bench_bind();
	bench_handover();
	bench_range_sync(fd);
	bench_flip(fd, 301);
	bench_compose(fd);
	bench_pgtable();
	print_targets();
	return 0;
}
