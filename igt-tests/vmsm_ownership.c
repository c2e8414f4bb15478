// SPDX-License-Identifier: MIT
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * vmsm_ownership: random sequences of CPU writes and reads through the
 * DRM mapping, CPU_PREP/CPU_FINI over random byte ranges, and GPU fills
 * and copies listed in their submits, on a cached object of the
 * non-coherent device and on a write-combined one, compared after every
 * step with the reference model of lib/vmsm_own_model.c, which is written
 * from the uapi documentation.
 *
 * Two kinds of sequence: "bracketed" ones use the uapi as documented
 * (every CPU access inside a PREP of its range, GPU jobs only with no
 * PREP open), with checking mode on, and must give exact data and no
 * report; "any" ones do anything in any order, and must give what the
 * documentation says each misuse gives. Seeded (VMSM_OWN_SEED, printed)
 * and counted (VMSM_OWN_SEQS, default 5000 per subtest, 10000 per run);
 * a divergence is shrunk to the shortest sequence that still diverges,
 * which is printed.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_drm.h"
#include "igt_vmsm.h"
#include "libvmsm.h"
#include "vmsm_own_model.h"

#define MAX_OPS		16
#define MAX_PAGES	3
#define JOB_TIMEOUT_NS	(30 * 1000000000ll)

enum op_kind { OP_PREP, OP_FINI, OP_WRITE, OP_READ, OP_FILL, OP_COPY, OP_KINDS };

static const char * const op_names[OP_KINDS] = {
	"PREP", "FINI", "CPU write", "CPU read", "GPU fill", "GPU copy",
};

struct op {
	enum op_kind kind;
	uint32_t offset, size;
	uint8_t value;
};

struct seq {
	unsigned int nr_pages, nr_ops;
	uint32_t flags;
	struct op ops[MAX_OPS];
};

static int fd = -1;
static struct vmsm_device *dev;
static size_t page_size;
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: reproducible from the printed seed on every libc */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32) % n;
}

/*
 * The objects sequences run on: one pair per size and kind, made once,
 * and brought back to the state of a new object before each sequence.
 */
struct run {
	struct vmsm_bo *bo, *dst;
	uint8_t *cpu, *dst_map;
	uint64_t iova, dst_iova, size;
	struct own_model m;
};

static struct run pool[MAX_PAGES][2];

static struct run *run_get(const struct seq *s)
{
	struct run *r = &pool[s->nr_pages - 1][s->flags == VMSM_BO_CACHED];
	void *p;

	if (r->bo)
		return r;
	r->size = s->nr_pages * page_size;
	lib_ok(vmsm_bo_new(dev, r->size, s->flags, &r->bo));
	lib_ok(vmsm_bo_new(dev, r->size, VMSM_BO_WC, &r->dst));
	lib_ok(vmsm_bo_map(r->bo, &p));
	r->cpu = p;
	lib_ok(vmsm_bo_map(r->dst, &p));
	r->dst_map = p;
	lib_ok(vmsm_bo_iova(r->bo, &r->iova));
	lib_ok(vmsm_bo_iova(r->dst, &r->dst_iova));
	igt_assert_eq(own_model_init(&r->m, s->nr_pages, page_size,
				     s->flags == VMSM_BO_CACHED), 0);
	return r;
}

static void pool_free(void)
{
	for (unsigned int i = 0; i < MAX_PAGES; i++) {
		for (unsigned int k = 0; k < 2; k++) {
			if (!pool[i][k].bo)
				continue;
			vmsm_bo_free(pool[i][k].bo);
			vmsm_bo_free(pool[i][k].dst);
			own_model_fini(&pool[i][k].m);
			memset(&pool[i][k], 0, sizeof(pool[i][k]));
		}
	}
}

static bool step(struct run *r, const struct op *o, char *why, size_t len);

/*
 * Ends every access the model says is open, then takes the object whole,
 * zeroes it and gives it back: nothing held, nothing dirty, both views
 * zero, as a new object. Through step(), so the model goes the same way.
 */
static void run_reset(struct run *r)
{
	static const enum op_kind whole[] = { OP_PREP, OP_WRITE, OP_FINI, OP_READ };
	char why[160];

	for (unsigned int p = 0; p < r->m.nr_pages; p++) {
		struct op one = { .kind = OP_FINI, .offset = p * page_size, .size = 1 };

		while (r->m.holds[p])
			igt_assert_f(step(r, &one, why, sizeof(why)), "reset: %s\n", why);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(whole); i++) {
		struct op o = { .kind = whole[i], .size = r->size };

		igt_assert_f(step(r, &o, why, sizeof(why)), "reset: %s\n", why);
	}
}

static int prep(struct run *r, const struct op *o)
{
	struct drm_vmsm_gem_cpu_prep a = {
		.handle = vmsm_bo_handle(r->bo), .op = VMSM_PREP_READ | VMSM_PREP_WRITE,
		.timeout_ns = INT64_MAX, .offset = o->offset, .size = o->size,
	};

	return igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_PREP, &a) ? -errno : 0;
}

static int fini(struct run *r, const struct op *o)
{
	struct drm_vmsm_gem_cpu_fini a = {
		.handle = vmsm_bo_handle(r->bo), .offset = o->offset, .size = o->size,
	};

	return igt_ioctl(fd, DRM_IOCTL_VMSM_GEM_CPU_FINI, &a) ? -errno : 0;
}

static int gpu(struct run *r, const struct op *o)
{
	struct vmsm_submit_out out;
	struct vmsm_cs *cs;
	int ret;

	lib_ok(vmsm_cs_new(dev, 256, &cs));
	if (o->kind == OP_FILL) {
		lib_ok(vmsm_cs_add_bo(cs, r->bo, VMSM_SUBMIT_BO_WRITE));
		lib_ok(vmsm_cs_fill(cs, r->iova + o->offset, o->size, o->value * 0x01010101u));
	} else {
		lib_ok(vmsm_cs_add_bo(cs, r->bo, VMSM_SUBMIT_BO_READ));
		lib_ok(vmsm_cs_add_bo(cs, r->dst, VMSM_SUBMIT_BO_WRITE));
		lib_ok(vmsm_cs_copy(cs, r->dst_iova, r->iova, r->size));
	}
	ret = vmsm_submit(cs, NULL, &out);
	if (!ret)
		ret = vmsm_wait_fence(dev, 0, out.fence, JOB_TIMEOUT_NS);
	vmsm_cs_free(cs);
	return ret;
}

/* Runs one step on the driver and the model; false on a divergence. */
static bool step(struct run *r, const struct op *o, char *why, size_t len)
{
	const uint8_t *want = NULL, *got = NULL;
	int ret = 0;

	switch (o->kind) {
	case OP_PREP:
		ret = prep(r, o);
		own_model_prep(&r->m, o->offset, o->size);
		break;
	case OP_FINI:
		ret = fini(r, o);
		own_model_cpu_fini(&r->m, o->offset, o->size);
		break;
	case OP_WRITE:
		memset(r->cpu + o->offset, o->value, o->size);
		own_model_cpu_write(&r->m, o->offset, o->size, o->value);
		break;
	case OP_READ:
		want = r->m.cpu;
		got = r->cpu;
		break;
	case OP_FILL:
		ret = gpu(r, o);
		own_model_gpu_fill(&r->m, o->offset, o->size, o->value);
		break;
	case OP_COPY:
		ret = gpu(r, o);
		own_model_gpu_read(&r->m);
		want = r->m.dev;
		got = r->dst_map;
		break;
	default:
		break;
	}
	if (ret) {
		snprintf(why, len, "%s returned %d", op_names[o->kind], ret);
		return false;
	}
	for (uint64_t i = 0; want && i < r->size; i++) {
		if (got[i] != want[i]) {
			snprintf(why, len, "%s: byte %llu is %#x, the model says %#x",
				 op_names[o->kind], (unsigned long long)i, got[i], want[i]);
			return false;
		}
	}
	return true;
}

/*
 * Runs @s from the state of a new object: the index of the diverging
 * step, or -1. After a divergence the objects are made anew.
 */
static int run_seq(const struct seq *s, char *why, size_t len)
{
	struct op copy = { .kind = OP_COPY };
	struct run *r = run_get(s);
	int bad = -1;
	unsigned int i;

	run_reset(r);
	for (i = 0; i < s->nr_ops && bad < 0; i++)
		if (!step(r, &s->ops[i], why, len))
			bad = i;
	/* What the GPU sees at the end, too. */
	if (bad < 0 && !step(r, &copy, why, len))
		bad = s->nr_ops;
	if (bad >= 0)
		pool_free();
	return bad;
}

static void random_range(const struct seq *s, struct op *o, bool gpu_fill)
{
	uint32_t size = s->nr_pages * page_size;

	o->offset = rnd(size);
	o->size = 1 + rnd(size - o->offset);
	if (gpu_fill) {
		/* the FILL packet stores whole dwords */
		o->offset &= ~3u;
		o->size = (o->size + 3) & ~3u;
		if (o->offset + o->size > size)
			o->size = size - o->offset;
	}
}

/* Anything in any order. */
static void gen_any(struct seq *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_ops; i++) {
		struct op *o = &s->ops[i];

		/* CPU steps twice as likely as GPU jobs, which cost more */
		static const enum op_kind kinds[] = {
			OP_PREP, OP_PREP, OP_FINI, OP_FINI, OP_WRITE, OP_WRITE,
			OP_READ, OP_FILL, OP_COPY,
		};

		o->kind = kinds[rnd(ARRAY_SIZE(kinds))];
		o->value = 1 + rnd(255);
		random_range(s, o, o->kind == OP_FILL);
	}
}

/* The uapi as documented: CPU accesses inside open PREPs, jobs with none. */
static void gen_bracketed(struct seq *s)
{
	struct op open[MAX_OPS];
	unsigned int i, nr_open = 0;

	for (i = 0; i < s->nr_ops; i++) {
		struct op *o = &s->ops[i];
		unsigned int pick = rnd(nr_open ? 4 : 2);

		unsigned int left = s->nr_ops - i;

		o->value = 1 + rnd(255);
		if (nr_open && left <= nr_open)
			pick = 3;			/* close what is open */
		else if (pick == 0 && left <= nr_open + 1)
			pick = 1;			/* no room to close another */
		if (!nr_open && pick == 1) {
			o->kind = rnd(2) ? OP_FILL : OP_COPY;
			random_range(s, o, true);
		} else if (pick == 0) {
			o->kind = OP_PREP;
			random_range(s, o, false);
			open[nr_open++] = *o;
		} else if (pick == 1 || pick == 2) {
			const struct op *in = &open[rnd(nr_open)];

			o->kind = pick == 1 ? OP_WRITE : OP_READ;
			o->offset = in->offset + rnd(in->size);
			o->size = 1 + rnd(in->offset + in->size - o->offset);
		} else {
			unsigned int k = rnd(nr_open);

			o->kind = OP_FINI;
			o->offset = open[k].offset;
			o->size = open[k].size;
			open[k] = open[--nr_open];
		}
	}
}

static void print_seq(const struct seq *s)
{
	unsigned int i;

	igt_info("object: %u pages of %zu bytes, %s\n", s->nr_pages, page_size,
		 s->flags == VMSM_BO_CACHED ? "cached" : "write-combined");
	for (i = 0; i < s->nr_ops; i++)
		igt_info("  %2u: %-9s bytes [%u, %u) value %#x\n", i, op_names[s->ops[i].kind],
			 s->ops[i].offset, s->ops[i].offset + s->ops[i].size, s->ops[i].value);
}

/* The steps up to the diverging one (the final copy is not a step). */
static unsigned int ops_to(const struct seq *s, int bad)
{
	return (unsigned int)bad < s->nr_ops ? (unsigned int)bad + 1 : s->nr_ops;
}

/* Drops steps while the sequence still diverges; prints what is left. */
static void shrink_and_report(struct seq *s, int bad, const char *why)
{
	char why2[160];
	bool smaller = true;

	s->nr_ops = ops_to(s, bad);
	while (smaller) {
		smaller = false;
		for (unsigned int i = 0; i < s->nr_ops; i++) {
			struct seq t = *s;
			int b;

			memmove(&t.ops[i], &t.ops[i + 1], (t.nr_ops - i - 1) * sizeof(t.ops[0]));
			t.nr_ops--;
			b = run_seq(&t, why2, sizeof(why2));
			if (b >= 0) {
				*s = t;
				s->nr_ops = ops_to(s, b);
				smaller = true;
				break;
			}
		}
	}
	igt_info("diverged: %s; shortest sequence that still diverges:\n", why);
	print_seq(s);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

static int64_t violations(void)
{
	static char buf[16384];
	const char *line;

	igt_assert(igt_debugfs_read(fd, "vmsm_coherency", buf, sizeof(buf)) > 0);
	line = strstr(buf, "violations ");
	igt_assert(line);
	return strtoll(line + strlen("violations "), NULL, 10);
}

static void check_off(int sig)
{
	(void)sig;
	if (fd >= 0)
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
}

#define BATCH	100

/* Replays a batch one sequence at a time to name the one checking reported. */
static void report_batch(const struct seq *batch, unsigned int n, uint64_t first,
			 uint64_t seed)
{
	char why[160];

	for (unsigned int i = 0; i < n; i++) {
		int64_t before = violations();

		igt_assert_eq(run_seq(&batch[i], why, sizeof(why)), -1);
		if (violations() == before)
			continue;
		igt_info("sequence %llu of seed %llu: checking mode reported usage the uapi "
			 "allows\n", (unsigned long long)(first + i), (unsigned long long)seed);
		print_seq(&batch[i]);
		return;
	}
	igt_info("sequences %llu-%llu of seed %llu: checking mode reported usage the uapi "
		 "allows, not again when replayed one by one\n", (unsigned long long)first,
		 (unsigned long long)(first + n - 1), (unsigned long long)seed);
}

static void test_sequences(bool bracketed)
{
	uint64_t seed = env_u64("VMSM_OWN_SEED", (uint64_t)time(NULL));
	uint64_t n = env_u64("VMSM_OWN_SEQS", 5000), k;
	static struct seq batch[BATCH];
	unsigned int nb = 0;
	int64_t before = 0;
	char why[160];

	igt_info("seed %llu (VMSM_OWN_SEED), %llu sequences\n", (unsigned long long)seed,
		 (unsigned long long)n);
	rng_state = seed * 2 + 1;
	if (bracketed) {
		igt_install_exit_handler(check_off);
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", true);
		before = violations();
	}
	for (k = 0; k < n; k++) {
		struct seq *s = &batch[nb++];
		int bad;

		*s = (struct seq){
			.nr_pages = 1 + rnd(MAX_PAGES),
			.nr_ops = 1 + rnd(MAX_OPS),
			.flags = rnd(4) ? VMSM_BO_CACHED : VMSM_BO_WC,
		};
		if (bracketed)
			gen_bracketed(s);
		else
			gen_any(s);
		bad = run_seq(s, why, sizeof(why));
		if (bad >= 0) {
			igt_info("sequence %llu of seed %llu\n", (unsigned long long)k,
				 (unsigned long long)seed);
			shrink_and_report(s, bad, why);
			igt_fail(IGT_EXIT_FAILURE);
		}
		/* Checking mode's count, read once per batch. */
		if (nb < BATCH && k + 1 < n)
			continue;
		if (bracketed && violations() != before) {
			report_batch(batch, nb, k + 1 - nb, seed);
			igt_fail(IGT_EXIT_FAILURE);
		}
		nb = 0;
	}
	if (bracketed)
		vmsm_debugfs_set_bool(fd, "vmsm_coherency_check", false);
	pool_free();
}

igt_main
{
	igt_fixture {
		fd = drm_open_driver(DRIVER_VMSM);
		lib_ok(vmsm_device_from_fd(fd, &dev));
		page_size = sysconf(_SC_PAGESIZE);
		igt_assert_f(vmsm_get_param(fd, VMSM_PARAM_COHERENT) == 0,
			     "device 0 must be non-coherent (the module's default)\n");
	}

	igt_describe("Random sequences that use the uapi as documented: exact data, "
		     "and checking mode reports nothing.");
	igt_subtest("bracketed")
		test_sequences(true);

	igt_describe("Random sequences of any order: each misuse gives what the uapi "
		     "documentation says.");
	igt_subtest("any-order")
		test_sequences(false);

	igt_fixture {
		vmsm_device_close(dev);
		close(fd);
		fd = -1;
	}
}
