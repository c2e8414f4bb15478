// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm-ioctl-fuzz: structured ioctl fuzzer for the vmsm DRM driver.
 *
 * Finds the vmsm card and render nodes, forks --procs worker processes
 * of --threads threads each, waits for them (killing any that outlive the
 * time bound by too much), then prints the coverage table. Exit status:
 * 0 on a completed run, 1 if a worker or one of its forks died of a
 * signal the fuzzer did not send (a fuzzer bug), hung or failed to set
 * up, 2 on a usage error or when there is no vmsm device.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#define HANG_GRACE_NS	(30 * 1000000000ll)	/* after the deadline */
#define KILL_WAIT_NS	(10 * 1000000000ll)	/* after SIGKILL */

#define DEFAULT_CALLS	10000
#define DEFAULT_SECONDS	60
#define DEFAULT_PROCS	2
#define DEFAULT_THREADS	2

struct fuzz_config fuzz_cfg = {
	.calls = DEFAULT_CALLS,
	.seconds = DEFAULT_SECONDS,
	.procs = DEFAULT_PROCS,
	.threads = DEFAULT_THREADS,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vmsm-ioctl-fuzz [options]\n"
		"  --seed N        RNG seed (default: time-based; always printed first)\n"
		"  --calls N       total ioctls across all workers, 0 = unbounded (default %d)\n"
		"  --seconds N     time bound, 0 = unbounded (default %d)\n"
		"  --procs N       worker processes (default %d, max %d)\n"
		"  --threads N     threads per worker process (default %d, max %d)\n"
		"  --trace         log every call and action to stderr\n"
		"  --unsafe-counts also pass element counts that make the DRM core\n"
		"                  attempt >4 MiB kmallocs (page allocator WARNING)\n",
		DEFAULT_CALLS, DEFAULT_SECONDS, DEFAULT_PROCS, FUZZ_MAX_PROCS,
		DEFAULT_THREADS, FUZZ_MAX_THREADS);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || !*s || *end || *s == '-' ? -1 : 0;
}

static int parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	uint64_t v;

	if (parse_u64(s, &v) || v > max)
		return -1;
	*out = v;
	return 0;
}

static uint64_t time_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec) ^
	       ((uint64_t)getpid() << 32);
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 't' },
		{ "procs", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 'T' },
		{ "trace", no_argument, NULL, 'v' },
		{ "unsafe-counts", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	bool seeded = false;
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			bad |= parse_u64(optarg, &fuzz_cfg.seed);
			seeded = true;
			break;
		case 'c':
			bad |= parse_u64(optarg, &fuzz_cfg.calls);
			break;
		case 't':
			bad |= parse_uint(optarg, 1u << 30, &fuzz_cfg.seconds);
			break;
		case 'p':
			bad |= parse_uint(optarg, FUZZ_MAX_PROCS, &fuzz_cfg.procs);
			break;
		case 'T':
			bad |= parse_uint(optarg, FUZZ_MAX_THREADS, &fuzz_cfg.threads);
			break;
		case 'v':
			fuzz_cfg.trace = true;
			break;
		case 'u':
			fuzz_cfg.unsafe_counts = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			bad = 1;
		}
	}
	if (bad || optind != argc || !fuzz_cfg.procs || !fuzz_cfg.threads ||
	    (!fuzz_cfg.calls && !fuzz_cfg.seconds)) {
		usage(stderr);
		return -1;
	}
	if (!seeded)
		fuzz_cfg.seed = time_seed();
	return 0;
}

/* ---- device discovery ---- */

static bool node_name(const struct dirent *de)
{
	return !strncmp(de->d_name, "card", 4) ||
	       !strncmp(de->d_name, "renderD", 7);
}

static int node_filter(const struct dirent *de)
{
	return node_name(de);
}

/* The DRM driver name behind @path, "" if it isn't a DRM node. */
static void driver_of(const char *path, char *name, size_t len)
{
	struct drm_version v = { .name = name, .name_len = len - 1 };
	int fd = open(path, O_RDWR | O_CLOEXEC);

	memset(name, 0, len);
	if (fd < 0)
		return;
	if (ioctl(fd, DRM_IOCTL_VERSION, &v))
		name[0] = 0;
	close(fd);
}

static void add_node(const char *path, const char *file)
{
	struct fuzz_node *n;

	if (fuzz_cfg.nr_nodes == FUZZ_MAX_NODES)
		return;
	n = &fuzz_cfg.nodes[fuzz_cfg.nr_nodes++];
	snprintf(n->path, sizeof(n->path), "%s", path);
	n->kind = strncmp(file, "card", 4) ? NODE_RENDER : NODE_PRIMARY;
}

/* vmsm nodes in name order (reproducible), and a vgem node, card first. */
static int discover(void)
{
	struct dirent **list;
	char path[300], name[32];
	int i, n;

	n = scandir("/dev/dri", &list, node_filter, alphasort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/dev/dri/%s", list[i]->d_name);
		driver_of(path, name, sizeof(name));
		if (!strcmp(name, "vmsm"))
			add_node(path, list[i]->d_name);
		else if (!strcmp(name, "vgem") && !fuzz_cfg.vgem_path[0] &&
			 strlen(path) < sizeof(fuzz_cfg.vgem_path))
			snprintf(fuzz_cfg.vgem_path, sizeof(fuzz_cfg.vgem_path),
				 "%s", path);
		free(list[i]);
	}
	free(list);
	return fuzz_cfg.nr_nodes;
}

static uint64_t get_param(int fd, uint32_t param, uint64_t dflt)
{
	struct drm_vmsm_get_param p = { .param = param };

	return fd >= 0 && !ioctl(fd, DRM_IOCTL_VMSM_GET_PARAM, &p) ? p.value : dflt;
}

/* What the generators need to know about the device (the first one). */
static void read_params(void)
{
	struct fuzz_dev *d = &fuzz_cfg.dev;
	int fd = open(fuzz_cfg.nodes[0].path, O_RDWR | O_CLOEXEC);

	d->va_start = get_param(fd, VMSM_PARAM_VA_START, 1ull << 24);
	d->va_size = get_param(fd, VMSM_PARAM_VA_SIZE, (1ull << 47) - (1ull << 24));
	d->max_bo_size = get_param(fd, VMSM_PARAM_MAX_BO_SIZE, 1ull << 32);
	d->nr_rings = get_param(fd, VMSM_PARAM_NR_RINGS, 3);
	d->coherent = get_param(fd, VMSM_PARAM_COHERENT, 0);
	if (!d->nr_rings)
		d->nr_rings = 1;
	if (fd >= 0)
		close(fd);
}

static void print_config(void)
{
	unsigned int i;

	printf("fuzz: nodes:");
	for (i = 0; i < fuzz_cfg.nr_nodes; i++)
		printf(" %s(%s)", fuzz_cfg.nodes[i].path,
		       fuzz_cfg.nodes[i].kind == NODE_PRIMARY ? "primary" : "render");
	printf(", vgem: %s\n", fuzz_cfg.vgem_path[0] ? fuzz_cfg.vgem_path : "none");
	printf("fuzz: device: va 0x%llx+0x%llx, max bo 0x%llx, rings %u, coherent %d\n",
	       (unsigned long long)fuzz_cfg.dev.va_start,
	       (unsigned long long)fuzz_cfg.dev.va_size,
	       (unsigned long long)fuzz_cfg.dev.max_bo_size,
	       fuzz_cfg.dev.nr_rings, fuzz_cfg.dev.coherent);
	printf("fuzz: procs %u, threads %u, calls %llu, seconds %u%s\n",
	       fuzz_cfg.procs, fuzz_cfg.threads,
	       (unsigned long long)fuzz_cfg.calls, fuzz_cfg.seconds,
	       fuzz_cfg.unsafe_counts ? ", unsafe counts" : "");
	fflush(stdout);
}

/* ---- process setup ---- */

static void on_alarm(int sig)
{
	(void)sig;
	stats_action(ACT_SIGALRM, 1);
}

static void setup_process(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct rlimit core = { 0, 0 }, nofile;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setrlimit(RLIMIT_CORE, &core);
	if (!getrlimit(RLIMIT_NOFILE, &nofile)) {
		nofile.rlim_cur = FUZZ_NOFILE;
		if (nofile.rlim_max < FUZZ_NOFILE)
			nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
}

/* One fd per node, inherited by every worker: DRM files shared across processes. */
static unsigned int open_shared(int *fds, enum fuzz_fd_kind *kinds)
{
	unsigned int i, n = 0;
	int fd;

	for (i = 0; i < fuzz_cfg.nr_nodes; i++) {
		fd = open(fuzz_cfg.nodes[i].path, O_RDWR);
		if (fd < 0)
			continue;
		fds[n] = fd;
		kinds[n++] = fuzz_cfg.nodes[i].kind == NODE_PRIMARY ?
			     FD_PRIMARY : FD_RENDER;
	}
	return n;
}

/* ---- supervision ---- */

struct worker {
	pid_t pid;
	bool done;
	bool killed;
};

static struct worker workers[FUZZ_MAX_PROCS];

static void describe_worker(unsigned int p, char *buf, size_t len)
{
	unsigned int t = fuzz_cfg.threads;

	snprintf(buf, len, "process %u (w%u-w%u)", p, p * t, p * t + t - 1);
}

/* Returns true if the worker's end is a failure of the run. */
static bool worker_ended(unsigned int p, int status)
{
	char who[64];

	describe_worker(p, who, sizeof(who));
	workers[p].done = true;
	if (WIFEXITED(status)) {
		if (!WEXITSTATUS(status))
			return false;
		printf("fuzz: FAIL: %s exited with status %d (setup failed)\n",
		       who, WEXITSTATUS(status));
		return true;
	}
	if (workers[p].killed)
		return true;	/* reported when killed */
	if (WTERMSIG(status) == SIGKILL) {
		printf("fuzz: FAIL: %s (pid %d) got a SIGKILL the fuzzer did not send (OOM killer?)\n",
		       who, workers[p].pid);
		return true;
	}
	printf("fuzz: FAIL: fuzzer bug: %s (pid %d) killed by signal %d (%s)\n",
	       who, workers[p].pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
	return true;
}

static void kill_stragglers(void)
{
	unsigned int p;
	char who[64];

	for (p = 0; p < fuzz_cfg.procs; p++) {
		if (workers[p].done || workers[p].killed)
			continue;
		describe_worker(p, who, sizeof(who));
		printf("fuzz: FAIL: %s still running %lld s after the time bound, killed (hung ioctl?)\n",
		       who, HANG_GRACE_NS / 1000000000);
		kill(workers[p].pid, SIGKILL);
		workers[p].killed = true;
	}
}

static int supervise(void)
{
	struct timespec tick = { 0, 20000000 };
	unsigned int p, left = fuzz_cfg.procs;
	int64_t killed_at = 0, deadline = fuzz_shared->deadline_ns;
	int status, failed = 0;
	pid_t pid;

	while (left) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			for (p = 0; p < fuzz_cfg.procs; p++) {
				if (workers[p].pid == pid && !workers[p].done) {
					failed |= worker_ended(p, status);
					left--;
				}
			}
			continue;
		}
		if (pid < 0 && errno != EINTR)
			break;
		if (deadline && !killed_at &&
		    fuzz_now_ns() > deadline + HANG_GRACE_NS) {
			kill_stragglers();
			killed_at = fuzz_now_ns();
			failed = 1;
		}
		if (killed_at && fuzz_now_ns() > killed_at + KILL_WAIT_NS) {
			printf("fuzz: FAIL: %u worker(s) survive SIGKILL (stuck in the kernel)\n",
			       left);
			break;
		}
		nanosleep(&tick, NULL);
	}
	return failed;
}

static bool report_child_crash(void)
{
	int st = fuzz_shared->crash_status;

	if (!fuzz_shared->crashes)
		return false;
	if (WIFSIGNALED(st))
		printf("fuzz: FAIL: fuzzer bug: %u mid-run fork(s) died, first %s (pid %d) by signal %d (%s)\n",
		       fuzz_shared->crashes, fuzz_shared->crash_who,
		       fuzz_shared->crash_pid, WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		printf("fuzz: FAIL: %u mid-run fork(s) failed, first %s (pid %d) with status 0x%x\n",
		       fuzz_shared->crashes, fuzz_shared->crash_who,
		       fuzz_shared->crash_pid, st);
	return true;
}

static int spawn_workers(void)
{
	int fds[FUZZ_MAX_NODES];
	enum fuzz_fd_kind kinds[FUZZ_MAX_NODES];
	unsigned int p, i, n = open_shared(fds, kinds);
	pid_t pid;

	fflush(stdout);
	for (p = 0; p < fuzz_cfg.procs; p++) {
		pid = fork();
		if (pid < 0) {
			perror("fuzz: fork");
			return -1;
		}
		if (!pid)
			_exit(worker_proc(p, fds, kinds, n));
		workers[p].pid = pid;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int covered;
	int64_t start;
	int failed;

	if (parse_args(argc, argv))
		return 2;
	printf("seed: %llu\n", (unsigned long long)fuzz_cfg.seed);
	fflush(stdout);
	if (table_init())
		return 2;
	if (!discover()) {
		printf("fuzz: no vmsm device\n");
		fprintf(stderr, "vmsm-ioctl-fuzz: no vmsm device\n");
		return 2;
	}
	read_params();
	print_config();
	if (stats_init()) {
		perror("fuzz: shared mapping");
		return 1;
	}
	setup_process();

	start = fuzz_now_ns();
	if (fuzz_cfg.seconds)
		fuzz_shared->deadline_ns = start +
					   (int64_t)fuzz_cfg.seconds * 1000000000;
	failed = spawn_workers() ? 1 : 0;
	failed |= supervise();
	failed |= report_child_crash();

	covered = stats_report((fuzz_now_ns() - start) / 1e9);
	printf("fuzz: %llu calls, %u ioctls covered\n",
	       (unsigned long long)__atomic_load_n(&fuzz_shared->total,
						   __ATOMIC_RELAXED),
	       covered);
	return failed;
}
