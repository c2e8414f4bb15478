// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * libFuzzer harness of vmsm_pgtable.c. The input is a sequence of map,
 * unmap, walk and allocation-failure operations on one address space,
 * checked against a model of which 4 KiB page maps where. Addresses stay
 * in a 64 MiB window (chosen by the first byte: at 0, across a 1 GiB or a
 * 512 GiB boundary, or at the top of the 48-bit space), so memory stays
 * small; only the "wild" operations aim anywhere in the 64-bit space.
 *
 * Tables live in fake memory with a CPU copy and a device copy that only
 * sync_table() updates, and made-up bus addresses. Any mismatch with the
 * model, a table freed while still linked or before a TLB invalidation,
 * a walk into an unknown table, or a leaked table aborts.
 *
 * Each operation is 8 bytes: kind, then a b c d e f g, with A = a | b << 8,
 * C = c | d << 8 and E = e | f << 8.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmsm_pgtable.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define SZ_1G		0x40000000ull
#define SZ_512G		0x8000000000ull
#define VA_END		(1ull << 48)

#define WIN_PAGES	16384u			/* 64 MiB */
#define WIN_SIZE	(WIN_PAGES * SZ_4K)
#define MAX_TABLES	128u
#define BUS_BASE	0x00005ca000000000ull
#define BUS_XOR		0x5bu

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_pgtable:%d: %s\n", __LINE__, #cond);\
		abort();						\
	}								\
} while (0)

/*
 * The harness is not instrumented for coverage: the driver's branches are
 * what the fuzzer should learn from, not the model's loops over every page.
 */
#define ORACLE		__attribute__((no_sanitize("coverage")))

enum { OP_MAP, OP_UNMAP, OP_WALK, OP_FAIL, OP_BAD_MAP, OP_WILD_WALK,
       OP_WILD_UNMAP, OP_COUNT };
enum { FAIL_NONE, FAIL_ONCE, FAIL_FROM };

struct table {
	u64 *cpu, *dev;
	bool unlinked;
	unsigned int unlinked_at;
};

struct page_model {
	u64 bus;
	u32 prot;
	bool mapped;
};

static struct {
	struct table t[MAX_TABLES];
	unsigned int live, alloc_calls, fail_at, fail_mode, tlb_invs;
	bool fini;
	struct vmsm_pgtable pt;
	u64 base;
	struct page_model pages[WIN_PAGES];
} f;

ORACLE static u64 slot_bus(unsigned int i)
{
	return BUS_BASE + ((u64)(i ^ BUS_XOR) << 12);
}

ORACLE static int bus_slot(u64 bus)
{
	u64 n;

	if (bus < BUS_BASE || (bus & (SZ_4K - 1)))
		return -1;
	n = ((bus - BUS_BASE) >> 12) ^ BUS_XOR;
	return n < MAX_TABLES && f.t[n].cpu ? (int)n : -1;
}

ORACLE static bool alloc_fails(void)
{
	f.alloc_calls++;
	if (f.fail_mode == FAIL_ONCE)
		return f.alloc_calls == f.fail_at;
	return f.fail_mode == FAIL_FROM && f.alloc_calls >= f.fail_at;
}

ORACLE static u64 *fake_alloc(void *priv, u64 *bus)
{
	unsigned int i;

	(void)priv;
	if (alloc_fails())
		return NULL;
	for (i = 0; i < MAX_TABLES && f.t[i].cpu; i++)
		;
	CHECK(i < MAX_TABLES);
	f.t[i].cpu = aligned_alloc(VMSM_PT_TABLE_SIZE, VMSM_PT_TABLE_SIZE);
	f.t[i].dev = aligned_alloc(VMSM_PT_TABLE_SIZE, VMSM_PT_TABLE_SIZE);
	CHECK(f.t[i].cpu && f.t[i].dev);
	memset(f.t[i].cpu, 0, VMSM_PT_TABLE_SIZE);
	memset(f.t[i].dev, 0, VMSM_PT_TABLE_SIZE);
	f.t[i].unlinked = false;
	f.live++;
	*bus = slot_bus(i);
	return f.t[i].cpu;
}

ORACLE static void fake_free(void *priv, u64 *table, u64 bus)
{
	int i = bus_slot(bus);

	(void)priv;
	CHECK(i >= 0 && f.t[i].cpu == table);
	CHECK(f.fini || (f.t[i].unlinked && f.t[i].unlinked_at != f.tlb_invs));
	free(f.t[i].cpu);
	free(f.t[i].dev);
	f.t[i].cpu = NULL;
	f.t[i].dev = NULL;
	f.live--;
}

ORACLE static u64 *fake_cpu_va(void *priv, u64 bus)
{
	int i = bus_slot(bus);

	(void)priv;
	CHECK(i >= 0);
	return f.t[i].cpu;
}

ORACLE static u64 *fake_dev_va(void *priv, u64 bus)
{
	int i = bus_slot(bus);

	(void)priv;
	CHECK(i >= 0);		/* the walker only follows synced links */
	return f.t[i].dev;
}

ORACLE static void fake_sync(void *priv, u64 *table, unsigned int idx,
		      unsigned int count)
{
	unsigned int i;
	int child;

	(void)priv;
	for (i = 0; i < MAX_TABLES && f.t[i].cpu != table; i++)
		;
	CHECK(i < MAX_TABLES && count && idx < VMSM_PT_ENTRIES &&
	      count <= VMSM_PT_ENTRIES - idx);
	for (; count; idx++, count--) {
		u64 old = f.t[i].dev[idx];

		child = bus_slot(old & VMSM_PTE_ADDR_MASK);
		if (old != table[idx] && (old & VMSM_PTE_TYPE) && child >= 0) {
			f.t[child].unlinked = true;
			f.t[child].unlinked_at = f.tlb_invs;
		}
		f.t[i].dev[idx] = table[idx];
	}
}

ORACLE static void fake_tlb_inv(void *priv, u64 iova, u64 size)
{
	(void)priv;
	CHECK(size && iova < VA_END && size <= VA_END - iova);
	f.tlb_invs++;
}

static const struct vmsm_pt_ops ops = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.table_va = fake_cpu_va,
	.sync_table = fake_sync,
	.tlb_inv = fake_tlb_inv,
};

static const struct vmsm_pt_ops walker_ops = {
	.table_va = fake_dev_va,
};

ORACLE static u64 page_iova(unsigned int p)
{
	return f.base + p * SZ_4K;
}

ORACLE static bool prot_valid(u32 prot)
{
	return (prot & VMSM_PT_PROT_READ) &&
	       (prot & VMSM_PT_PROT_ATTR_MASK) <= VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_DEVICE);
}

/* Checks the walk of one address against the model. */
ORACLE static void check_addr(u64 iova)
{
	struct vmsm_pt_walk_result res;
	const struct page_model *m;
	u32 prot;
	int ret;

	ret = vmsm_pt_walk(&walker_ops, NULL, f.pt.root_bus, iova, &res);
	if (iova < f.base || iova - f.base >= WIN_SIZE || iova >= VA_END) {
		CHECK(ret == -EFAULT);
		return;
	}
	m = &f.pages[(iova - f.base) / SZ_4K];
	if (!m->mapped) {
		CHECK(ret == -EFAULT);
		return;
	}
	CHECK(ret == 0);
	CHECK(res.bus == m->bus + (iova & (SZ_4K - 1)));
	CHECK(res.size == vmsm_pt_level_size(res.level));
	CHECK(res.level == 2 || res.level == 3);
	prot = m->prot;
	CHECK(!!(res.pte & VMSM_PTE_AP_RDONLY) == !(prot & VMSM_PT_PROT_WRITE));
	CHECK(!!(res.pte & VMSM_PTE_AP_UNPRIV) == !(prot & VMSM_PT_PROT_PRIV));
	CHECK((res.pte & VMSM_PTE_XN) && (res.pte & VMSM_PTE_AF));
	CHECK(((res.pte & VMSM_PTE_ATTRINDX_MASK) >> VMSM_PTE_ATTRINDX_SHIFT) ==
	      ((prot & VMSM_PT_PROT_ATTR_MASK) >> VMSM_PT_PROT_ATTR_SHIFT));
	CHECK(vmsm_pt_access_ok(res.pte, VMSM_PT_ACCESS_PRIV));
	CHECK(vmsm_pt_access_ok(res.pte, VMSM_PT_ACCESS_WRITE) ==
	      ((prot & VMSM_PT_PROT_WRITE) && !(prot & VMSM_PT_PROT_PRIV)));
}

ORACLE static void check_range(unsigned int p, unsigned int n)
{
	for (; n; p++, n--)
		check_addr(page_iova(p));
}

ORACLE static bool failing(void)
{
	return f.fail_mode == FAIL_FROM ||
	       (f.fail_mode == FAIL_ONCE && f.alloc_calls < f.fail_at);
}

ORACLE static unsigned int op_len(unsigned int p, u16 c)
{
	unsigned int n;

	switch (c >> 14) {
	case 0:
		n = 1 + (c & 15);
		break;
	case 1:
		n = 1 + (c & 1023);
		break;
	case 2:
		n = 512 * (1 + (c & 7)) + ((c >> 3) & 3);
		break;
	default:
		n = 1 + (c & 0xfff);
		break;
	}
	return n < WIN_PAGES - p ? n : WIN_PAGES - p;
}

ORACLE static void do_map(u16 a, u16 c, u16 e, u8 g)
{
	unsigned int p = a % WIN_PAGES, n = op_len(p, c), i, live = f.live;
	u64 iova = page_iova(p), bus, chunk;
	u32 attr = (g >> 2) & 3;
	bool busy = false, may_fail = failing();
	u32 prot;
	int ret;

	if (g & 0x40)
		bus = ((u64)e << 21) + (iova & (SZ_2M - 1));
	else if (e == 0xffff)
		bus = VA_END - n * SZ_4K;
	else
		bus = ((u64)e << 12) + ((u64)(g & 0x30) << 32);
	if (attr == 3 && !(g & 0x80))
		attr = 0;
	prot = VMSM_PT_PROT_ATTR(attr) | ((g & 0xa0) == 0xa0 ? 0 : VMSM_PT_PROT_READ) |
	       (g & 1 ? VMSM_PT_PROT_WRITE : 0) | (g & 2 ? VMSM_PT_PROT_PRIV : 0);
	for (i = 0; i < n; i++)
		busy |= f.pages[p + i].mapped;

	ret = vmsm_pt_map(&f.pt, iova, bus, n * SZ_4K, prot);
	if (!prot_valid(prot))
		CHECK(ret == -EINVAL);
	else if (busy)
		CHECK(ret == -EEXIST || (ret == -ENOMEM && may_fail));
	else
		CHECK(ret == 0 || (ret == -ENOMEM && may_fail));
	if (ret) {
		CHECK(f.live == live);
		check_range(p, n);
		return;
	}
	for (i = 0; i < n; i++)
		f.pages[p + i] = (struct page_model){ bus + i * SZ_4K, prot, true };
	check_range(p, n);
	for (i = 0; i < n; i++) {
		struct vmsm_pt_walk_result res;

		/* A block exactly where a whole aligned 2 MiB fits. */
		chunk = (iova + i * SZ_4K) & ~(SZ_2M - 1);
		CHECK(!vmsm_pt_walk(&walker_ops, NULL, f.pt.root_bus, iova + i * SZ_4K, &res));
		CHECK((res.level == 2) == (chunk >= iova && chunk + SZ_2M <= iova + n * SZ_4K &&
					   !((bus + chunk - iova) & (SZ_2M - 1))));
	}
}

ORACLE static void do_unmap(u16 a, u16 c)
{
	unsigned int p = a % WIN_PAGES, n = op_len(p, c), i, gone = 0;
	struct vmsm_pt_walk_result res;
	bool kept = false, may_fail = failing();
	u64 ret, mapped = 0;

	for (i = 0; i < n; i++)
		mapped += f.pages[p + i].mapped ? SZ_4K : 0;
	ret = vmsm_pt_unmap(&f.pt, page_iova(p), n * SZ_4K);
	CHECK(ret == mapped || (ret < mapped && may_fail));

	/* What went is a prefix of what was mapped. */
	for (i = 0; i < n; i++) {
		if (!f.pages[p + i].mapped)
			continue;
		if (vmsm_pt_walk(&walker_ops, NULL, f.pt.root_bus, page_iova(p + i), &res)) {
			CHECK(!kept);
			f.pages[p + i].mapped = false;
			gone++;
		} else {
			kept = true;
		}
	}
	CHECK(gone * SZ_4K == ret);
	check_range(p, n);
}

ORACLE static void do_wild_unmap(u16 a, u16 c, u8 g)
{
	u64 iova = f.base + (u64)(int64_t)(int16_t)a * SZ_4K, size, end, ret, mapped = 0;
	bool may_fail = failing();
	unsigned int p = 0, q = 0, i;
	struct vmsm_pt_walk_result res;

	if (c & 0x8000)
		size = (~0ull >> (c & 31)) & ~(SZ_4K - 1);
	else
		size = (u64)(c & 0x7fff) * SZ_4K;
	if (g & 0x80)
		iova += 0x800;
	else if (g & 0x40)
		iova |= 1ull << 63;

	/* The window's pages [p, q) are in the range. */
	if (!(iova & (SZ_4K - 1)) && size && iova < VA_END) {
		end = size < VA_END - iova ? iova + size : VA_END;
		for (p = 0; p < WIN_PAGES && page_iova(p) < iova; p++)
			;
		for (q = p; q < WIN_PAGES && page_iova(q) < end; q++)
			mapped += f.pages[q].mapped ? SZ_4K : 0;
	}
	ret = vmsm_pt_unmap(&f.pt, iova, size);
	CHECK(ret == mapped || (ret < mapped && may_fail));
	for (i = p; i < q; i++)
		if (ret == mapped || vmsm_pt_walk(&walker_ops, NULL, f.pt.root_bus,
						  page_iova(i), &res))
			f.pages[i].mapped = false;
	check_range(p, q - p);
	if (p)
		check_addr(page_iova(p - 1));
	if (q < WIN_PAGES)
		check_addr(page_iova(q));
}

ORACLE static void do_bad_map(u8 a, u16 c)
{
	static const u64 top = ~0ull - SZ_4K + 1;
	u64 iova = page_iova(c % WIN_PAGES), bus = (u64)c << 12, size = SZ_4K;
	u32 prot = VMSM_PT_PROT_READ;
	unsigned int live = f.live;

	switch (a % 10) {
	case 0: iova += 8 << (c & 7); break;
	case 1: bus += 8 << (c & 7); break;
	case 2: size += 8 << (c & 7); break;
	case 3: size = 0; break;
	case 4: iova = top - (c & 0xf) * SZ_4K; size = 0x20 * SZ_4K; break;
	case 5: iova = VA_END - (c & 0xf) * SZ_4K; size = 0x10 * SZ_4K + SZ_4K; break;
	case 6: bus = VA_END - (c & 0xf) * SZ_4K; size = 0x10 * SZ_4K + SZ_4K; break;
	case 7: size = top - (c & 0xff) * SZ_4K; break;
	case 8: prot = VMSM_PT_PROT_WRITE | (c & VMSM_PT_PROT_PRIV); break;
	default:
		/* A memory type beyond device, or a bit of no meaning: 3, 7-31. */
		if (c & 1)
			prot |= VMSM_PT_PROT_ATTR(3 + (c >> 1) % 5);
		else
			prot |= (c >> 1) % 26 ? BIT(6 + (c >> 1) % 26) : BIT(3);
		break;
	}
	CHECK(vmsm_pt_map(&f.pt, iova, bus, size, prot) == -EINVAL);
	CHECK(f.live == live);
}

ORACLE static void run_op(const u8 *op)
{
	u16 a = op[1] | op[2] << 8, c = op[3] | op[4] << 8, e = op[5] | op[6] << 8;
	u8 g = op[7];

	switch (op[0] % OP_COUNT) {
	case OP_MAP:
		do_map(a, c, e, g);
		break;
	case OP_UNMAP:
		do_unmap(a, c);
		break;
	case OP_WALK:
		check_addr(page_iova(a % WIN_PAGES) + (c & (SZ_4K - 1)));
		break;
	case OP_FAIL:
		f.fail_mode = op[3] == 0xff ? FAIL_NONE : (op[2] & 1 ? FAIL_FROM : FAIL_ONCE);
		f.fail_at = f.alloc_calls + 1 + (op[1] & 7);
		break;
	case OP_BAD_MAP:
		do_bad_map(op[1], c);
		break;
	case OP_WILD_WALK:
		check_addr((u64)a << 48 | (u64)c << 32 | (u64)e << 16 | g << 8 | op[1]);
		check_addr(f.base + ((u64)(int64_t)(int16_t)c << 12) + e);
		break;
	default:
		do_wild_unmap(a, c, g);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

ORACLE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u64 bases[] = {
		0, SZ_1G - WIN_SIZE / 2, SZ_512G - WIN_SIZE / 2, VA_END - WIN_SIZE,
	};
	u64 mapped = 0;
	unsigned int i;

	if (!size)
		return 0;
	memset(&f, 0, sizeof(f));
	f.base = bases[data[0] % 4];
	CHECK(vmsm_pt_init(&f.pt, &ops, NULL) == 0);
	for (data++, size--; size >= 8; data += 8, size -= 8)
		run_op(data);

	/* Everything mapped unmaps, and every table but the root goes. */
	f.fail_mode = FAIL_NONE;
	for (i = 0; i < WIN_PAGES; i++)
		mapped += f.pages[i].mapped ? SZ_4K : 0;
	CHECK(vmsm_pt_unmap(&f.pt, 0, VA_END) == mapped);
	CHECK(f.live == 1);
	for (i = 0; i < VMSM_PT_ENTRIES; i++)
		CHECK(!f.pt.root[i]);
	f.fini = true;
	vmsm_pt_fini(&f.pt);
	CHECK(f.live == 0);
	return 0;
}
