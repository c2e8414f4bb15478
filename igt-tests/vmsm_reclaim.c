// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_reclaim: the shrinker under real memory pressure. Objects the GPU
 * has used and that userspace marked VMSM_MADV_DONTNEED are purged when a
 * process allocates memory the kernel can only find by reclaiming, while
 * GPU jobs run on another object of the same file; the jobs' results stay
 * exact. The pressure comes from a child process that faults in anonymous
 * memory (no drop_caches).
 *
 * kswapd alone would purge the objects in the background: it wakes at
 * the low watermark, and in a guest whose only reclaimable memory is
 * vmsm's it keeps ahead of the allocator (measured: no direct reclaim in a
 * 384 MiB guest with two processors, one in 208 MiB with one; with the
 * min watermark raised to a few MiB under the free memory, kswapd still
 * purged 77 of 84 objects before any allocation fell below it; with it
 * 2 MiB over the free memory, the checking kernel's kswapd purged all 65
 * before the child's next fault). So the test raises vm.min_free_kbytes
 * over the memory still free by half of the purgeable objects: the next
 * allocations find the zone under its min watermark and reclaim
 * themselves (direct reclaim, counted in /proc/vmstat's allocstall_*)
 * while the objects are purgeable and jobs run, as when memory is really
 * exhausted. The sysctl is restored afterwards. On the checking kernel
 * (tools/check boots a small guest of it for this program) lockdep then
 * sees the shrinker inside reclaim.
 *
 * Sizes follow the guest: the purgeable objects add up to a quarter of
 * MemTotal (within the limit on pinned memory). The child allocates in
 * small steps and stops while a few objects are left, so that it is never
 * OOM-killed for want of anything to purge; if the shrinker gives nothing
 * back, it is OOM-killed and the subtest fails.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vmsm.h"

#define OBJ_SIZE	(1ull << 20)
#define HOG_CHUNK	(2ull << 20)
/* Objects left unpurged when the child stops: its headroom. */
#define SPARE_OBJS	8
#define MIN_FREE	"/proc/sys/vm/min_free_kbytes"
#define WORK_SIZE	(1ull << 20)

static struct vmsm_device *dev;
static char min_free_saved[32];

/* Sum of the /proc/vmstat counters whose names start with @prefix. */
static uint64_t vmstat(const char *prefix)
{
	unsigned long long v, sum = 0;
	bool found = false;
	char name[64];
	FILE *f = fopen("/proc/vmstat", "r");

	igt_assert(f);
	while (fscanf(f, "%63s %llu", name, &v) == 2)
		if (!strncmp(name, prefix, strlen(prefix))) {
			sum += v;
			found = true;
		}
	fclose(f);
	igt_assert_f(found, "no %s* in /proc/vmstat (CONFIG_VM_EVENT_COUNTERS)\n", prefix);
	return sum;
}

/* Allocations that entered direct reclaim. */
static uint64_t allocstalls(void)
{
	return vmstat("allocstall_");
}

static uint64_t meminfo(const char *key)
{
	unsigned long long kib;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");
	size_t n = strlen(key);

	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%llu", &kib) == 1) {
			fclose(f);
			return kib * 1024;
		}
	fclose(f);
	igt_assert_f(false, "no %s in /proc/meminfo\n", key);
	return 0;
}

static void restore_min_free(int sig __attribute__((unused)))
{
	if (min_free_saved[0])
		igt_vmsm_write_file(MIN_FREE, min_free_saved);
}

/* The min watermark @excess bytes over the memory free now. */
static void raise_min_free(uint64_t free, uint64_t excess)
{
	char buf[32];

	igt_assert(igt_vmsm_read_file(MIN_FREE, min_free_saved,
				 sizeof(min_free_saved)) > 0);
	igt_install_exit_handler(restore_min_free);
	snprintf(buf, sizeof(buf), "%llu\n",
		 (unsigned long long)((free + excess) >> 10));
	igt_assert_eq(igt_vmsm_write_file(MIN_FREE, buf), 0);
	igt_info("vm.min_free_kbytes %.*s -> %.*s with MemFree %llu KiB\n",
		 (int)strcspn(min_free_saved, "\n"), min_free_saved,
		 (int)strcspn(buf, "\n"), buf,
		 (unsigned long long)(meminfo("MemFree") >> 10));
}

/* MADVISE(DONTNEED) again: retained says whether the pages are still there. */
static bool retained(struct vmsm_bo *bo)
{
	struct drm_vmsm_gem_madvise args = {
		.handle = vmsm_bo_handle(bo), .madv = VMSM_MADV_DONTNEED,
	};

	do_ioctl(vmsm_device_fd(dev), DRM_IOCTL_VMSM_GEM_MADVISE, &args);
	return args.retained;
}

/* An object the GPU has written, then marked DONTNEED: purgeable once idle. */
static struct vmsm_bo *purgeable_object(void)
{
	struct vmsm_vbuf b = { };
	struct vmsm_bo *bo;

	vmsm_lib_ok(vmsm_bo_new(dev, OBJ_SIZE, VMSM_BO_WC, &bo));
	vmsm_lib_ok(vmsm_bo_iova(bo, &b.iova));
	b.bo = bo;
	b.size = OBJ_SIZE;
	vmsm_vbuf_gpu_fill(&b, 0, OBJ_SIZE, 0x5a5a5a5a);
	igt_assert(retained(bo));
	return bo;
}

struct worker {
	pthread_t thread;
	struct vmsm_vbuf buf;
	volatile bool stop;
	unsigned int jobs;
	unsigned int wrong;
};

/* GPU fills of another object of the same file, each checked by the CPU. */
static void *work(void *data)
{
	struct worker *w = data;
	uint32_t value, *p = (uint32_t *)w->buf.ptr;
	uint64_t i;

	while (!w->stop) {
		value = 0x10000 + w->jobs;
		vmsm_vbuf_gpu_fill(&w->buf, 0, WORK_SIZE, value);
		vmsm_lib_ok(vmsm_bo_cpu_prep(w->buf.bo, VMSM_PREP_READ, 10000000000ll));
		for (i = 0; i < WORK_SIZE / 4; i += 1021)
			w->wrong += p[i] != value;
		vmsm_lib_ok(vmsm_bo_cpu_fini(w->buf.bo));
		w->jobs++;
	}
	return NULL;
}

/* Faults in anonymous memory, one chunk per byte read from @go. */
static void __attribute__((noreturn)) hog(int go, int done)
{
	char c;

	while (read(go, &c, 1) == 1) {
		void *p = mmap(NULL, HOG_CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p == MAP_FAILED)
			_exit(2);
		if (write(done, "", 1) != 1)
			_exit(3);
	}
	_exit(0);
}

static unsigned int count_retained(struct vmsm_bo **objs, unsigned int n)
{
	unsigned int i, left = 0;

	for (i = 0; i < n; i++)
		left += retained(objs[i]);
	return left;
}

static void test_direct_reclaim(void)
{
	uint64_t total = meminfo("MemTotal"), stalls, kswapd;
	unsigned int i, n = total / 4 / OBJ_SIZE, left, chunks = 0;
	struct worker w = { };
	struct vmsm_bo **objs;
	int go[2], done[2], status;
	unsigned int jobs_before;
	pid_t pid;
	char c;

	/* Before any object or mapping exists: the child holds none. */
	igt_assert_eq(pipe(go), 0);
	igt_assert_eq(pipe(done), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (!pid) {
		close(vmsm_device_fd(dev));
		close(go[1]);
		close(done[0]);
		hog(go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);

	objs = calloc(n, sizeof(*objs));
	igt_assert(objs);
	for (i = 0; i < n; i++)
		objs[i] = purgeable_object();
	igt_info("%u purgeable objects of 1 MiB, MemTotal %llu MiB, MemFree %llu MiB\n",
		 n, (unsigned long long)(total >> 20),
		 (unsigned long long)(meminfo("MemFree") >> 20));

	vmsm_vbuf_new(dev, &w.buf, WORK_SIZE, VMSM_BO_CACHED);
	igt_assert_eq(pthread_create(&w.thread, NULL, work, &w), 0);
	while (!w.jobs)
		usleep(1000);

	stalls = allocstalls();
	kswapd = vmstat("pageoutrun");
	jobs_before = w.jobs;
	/*
	 * More than kswapd purges before the child's next fault, less than
	 * all there is to purge, so that reclaim can always succeed.
	 */
	raise_min_free(meminfo("MemFree"), n / 2 * OBJ_SIZE);
	left = n;
	/* Not more than the guest's memory: the OOM killer ends it first. */
	while (left > SPARE_OBJS && chunks < total / HOG_CHUNK) {
		igt_assert_eq(write(go[1], "", 1), 1);
		if (read(done[0], &c, 1) != 1)
			break;	/* the hog is gone: killed */
		chunks++;
		left = count_retained(objs, n);
	}
	close(go[1]);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	close(done[0]);
	restore_min_free(0);
	w.stop = true;
	igt_assert_eq(pthread_join(w.thread, NULL), 0);

	igt_info("hog: %u MiB, %u of %u objects purged, %llu direct reclaims, %llu kswapd runs, %u GPU jobs meanwhile\n",
		 chunks * (unsigned int)(HOG_CHUNK >> 20), n - left, n,
		 (unsigned long long)(allocstalls() - stalls),
		 (unsigned long long)(vmstat("pageoutrun") - kswapd), w.jobs - jobs_before);
	igt_assert_f(WIFEXITED(status) && !WEXITSTATUS(status),
		     "the allocating process did not end normally (status 0x%x): OOM-killed?\n",
		     status);
	igt_assert_f(left <= SPARE_OBJS, "%u objects kept their pages under pressure\n", left);
	igt_assert_f(allocstalls() > stalls, "no allocation entered direct reclaim\n");
	igt_assert_f(w.jobs > jobs_before, "no GPU job ran during the pressure\n");
	igt_assert_eq(w.wrong, 0);

	vmsm_vbuf_free(&w.buf);
	for (i = 0; i < n; i++)
		vmsm_bo_free(objs[i]);
	free(objs);
}

igt_main
{
	igt_fixture
		vmsm_lib_ok(vmsm_device_open(0, &dev));

	igt_describe("A process faulting in anonymous memory drives the kernel "
		     "into direct reclaim, which purges every idle DONTNEED "
		     "object while GPU jobs on another object keep running "
		     "with exact results.");
	igt_subtest("direct-reclaim-purges")
		test_direct_reclaim();

	igt_fixture
		vmsm_device_close(dev);
}
