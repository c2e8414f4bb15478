// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 */

/**
 * DOC: GPU page tables
 *
 * The GPU MMU translates 48-bit GPU virtual addresses to 48-bit bus
 * addresses with ARM LPAE stage-1 (VMSAv8-64) long descriptors, a 4 KiB
 * granule and four levels of tables. Every table is 4 KiB: 512 eight-byte
 * descriptors. The root (level 0) table is the one the MMU is given;
 * levels 0 to 3 use GPU virtual address bits 47:39, 38:30, 29:21 and
 * 20:12 as index. The granule is 4 KiB whatever the CPU page size is, so a
 * 16 KiB or 64 KiB CPU page is mapped as 4 or 16 GPU pages.
 *
 * A descriptor's two low bits give its type:
 *
 * ======  ==========  =================================================
 * Bits    Level       Type
 * ======  ==========  =================================================
 * x0      any         invalid: translation fault
 * 11      0, 1, 2     table: bits 47:12 hold the next table's address
 * 01      2           block: bits 47:21 hold a 2 MiB output address
 * 01      0, 1, 3     reserved: translation fault
 * 11      3           page: bits 47:12 hold a 4 KiB output address
 * ======  ==========  =================================================
 *
 * Table descriptors carry nothing but the next table's address. Block and
 * page descriptors, the leaves, carry the attributes of the mapping:
 *
 * ======  ==========  =================================================
 * Bits    Name        Meaning
 * ======  ==========  =================================================
 * 4:2     ATTRINDX    memory type: 0 cached, 1 write-combined, 2 device
 * 6       AP_UNPRIV   unprivileged (IB level) accesses allowed; without
 *                     it only the kernel's rings may access the page
 * 7       AP_RDONLY   writes fault
 * 9:8     SH          always 3, inner shareable
 * 10      AF          access flag, always set
 * 11      NG          not global, unused (clear)
 * 47:12   ADDR        output address (47:21 for blocks)
 * 54      XN          execute never, always set: the GPU never executes
 *                     from data memory
 * ======  ==========  =================================================
 *
 * vmsm_pt_map() maps a range with 2 MiB blocks wherever the virtual
 * address, the bus address and the remaining size allow it and with 4 KiB
 * pages elsewhere. It never replaces a valid descriptor. It allocates
 * tables on demand and, when it fails, removes everything it mapped and
 * frees the tables it allocated, so a range is either mapped whole or not
 * at all. vmsm_pt_unmap() clears descriptors, splits a 2 MiB block into a
 * level-3 table when only part of it is unmapped, and frees every table
 * left empty, after invalidating the TLB. vmsm_pt_walk() is the GPU core's
 * translation: it starts from the root's bus address and reaches each
 * table only through the bus address found in the level above, as the
 * hardware would.
 *
 * The code is pure logic: all memory comes from &struct vmsm_pt_ops. It is
 * built unchanged into the userspace unit tests and fuzzers, and into the
 * benchmark that measures it against io-pgtable-arm (``make bench``,
 * ``tools/bench/pgtable/``).
 *
 * What keeps it fast: runs of leaves are written and cleared in loops
 * whose state stays in registers; map and unmap remember the table of
 * each level they last reached through &vmsm_pt_ops.table_va (forgotten
 * whenever a table is unlinked), so that calls for neighbouring addresses
 * do not look the same tables up again; and an unmap decides whether a
 * table is left empty from what it cleared, reading only the entries it
 * did not go through, so that unmapping a whole table reads none and
 * unmapping page after page reads one.
 *
 * Why not io-pgtable-arm: the kernel's allocator for this format
 * (drivers/iommu/io-pgtable-arm.c, %CONFIG_IOMMU_IO_PGTABLE_LPAE) is not
 * built on x86: in 6.12 it depends on ARM, ARM64 or COMPILE_TEST, and
 * Debian's amd64 kernel does not have it, while vmsm must load there. It
 * would not fit on arm64 either: its tables are made for a hardware
 * IOMMU's walker, reached through CPU physical addresses (table
 * descriptors hold the physical address of the next table, and for a
 * walker that is not cache-coherent the allocator refuses a table whose
 * DMA address differs from its physical address). vmsm's descriptors,
 * tables and leaves alike, hold DMA addresses of vmsm's own device, and
 * vmsm's software MMU walks them itself (vmsm_pt_walk()), from those
 * addresses only.
 */

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/types.h>

#include <kunit/visibility.h>

#include "vmsm_pgtable.h"

#define VMSM_PT_LAST_LEVEL	(VMSM_PT_LEVELS - 1)
#define VMSM_PTE_TYPE_MASK	(VMSM_PTE_VALID | VMSM_PTE_TYPE)
#define VMSM_PTE_TABLE_DESC	(VMSM_PTE_VALID | VMSM_PTE_TYPE)
#define VMSM_PTE_PAGE_DESC	(VMSM_PTE_VALID | VMSM_PTE_TYPE)
#define VMSM_PTE_BLOCK_DESC	VMSM_PTE_VALID
#define VMSM_PT_PROT_ALL	(VMSM_PT_PROT_READ | VMSM_PT_PROT_WRITE | \
				 VMSM_PT_PROT_PRIV | VMSM_PT_PROT_ATTR_MASK)

/*
 * Tables unlinked by one call, chained through their first two entries
 * (CPU pointer of the next table, own bus address) until the TLB has been
 * invalidated. Both are multiples of 8, so a walk still reading such a
 * table sees invalid descriptors.
 */
struct vmsm_pt_freelist {
	u64 *head;
};

struct vmsm_pt_map_state {
	u64 iova;		/* next address to map */
	u64 bus;		/* where it goes */
	u64 end;
	u64 attrs;		/* leaf descriptor bits but type and address */
	struct vmsm_pt_freelist freed;
};

struct vmsm_pt_unmap_state {
	u64 iova;		/* next address to look at */
	u64 end;
	u64 unmapped;		/* bytes */
	bool stop;		/* a block could not be split */
	struct vmsm_pt_freelist freed;
};

static u64 vmsm_pt_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

static bool vmsm_pte_is_table(u64 pte, unsigned int level)
{
	return level < VMSM_PT_LAST_LEVEL &&
	       (pte & VMSM_PTE_TYPE_MASK) == VMSM_PTE_TABLE_DESC;
}

static bool vmsm_pte_is_leaf(u64 pte, unsigned int level)
{
	if (level == VMSM_PT_LAST_LEVEL)
		return (pte & VMSM_PTE_TYPE_MASK) == VMSM_PTE_PAGE_DESC;
	return level == VMSM_PT_BLOCK_LEVEL &&
	       (pte & VMSM_PTE_TYPE_MASK) == VMSM_PTE_BLOCK_DESC;
}

static u64 vmsm_pt_leaf(u64 attrs, u64 bus, unsigned int level)
{
	return attrs | bus | (level == VMSM_PT_LAST_LEVEL ?
			      VMSM_PTE_PAGE_DESC : VMSM_PTE_BLOCK_DESC);
}

/*
 * The level-@level table @pte points to. The last one of each level is
 * remembered: map and unmap calls over neighbouring addresses go through
 * the same tables, and @pt->ops->table_va need not be asked again.
 */
static u64 *vmsm_pt_child(struct vmsm_pgtable *pt, u64 pte, unsigned int level)
{
	u64 bus = pte & VMSM_PTE_ADDR_MASK;
	u64 *table;

	if (pt->walk[level].table && pt->walk[level].bus == bus)
		return pt->walk[level].table;
	table = pt->ops->table_va(pt->priv, bus);
	pt->walk[level].bus = bus;
	pt->walk[level].table = table;
	return table;
}

/* Forgets the tables vmsm_pt_child() remembers: one is being unlinked. */
static void vmsm_pt_forget(struct vmsm_pgtable *pt)
{
	unsigned int level;

	for (level = 0; level < VMSM_PT_LEVELS; level++)
		pt->walk[level].table = NULL;
}

static void vmsm_pt_sync(struct vmsm_pgtable *pt, u64 *table,
			 unsigned int first, unsigned int end)
{
	if (pt->ops->sync_table && end > first)
		pt->ops->sync_table(pt->priv, table, first, end - first);
}

/* Whether @table holds no valid descriptor in [@first, @end). */
static bool vmsm_pt_none_valid(const u64 *table, unsigned int first,
			       unsigned int end)
{
	unsigned int i;

	for (i = first; i < end; i++)
		if (table[i] & VMSM_PTE_VALID)
			return false;
	return true;
}

static bool vmsm_pt_table_empty(const u64 *table)
{
	return vmsm_pt_none_valid(table, 0, VMSM_PT_ENTRIES);
}

static void vmsm_pt_defer_free(struct vmsm_pt_freelist *fl, u64 *table,
			       u64 bus)
{
	WRITE_ONCE(table[0], (u64)(unsigned long)fl->head);
	WRITE_ONCE(table[1], bus);
	fl->head = table;
}

/* Invalidates [@iova, @iova + @size) if needed, then frees @fl's tables. */
static void vmsm_pt_finish(struct vmsm_pgtable *pt, bool changed, u64 iova,
			   u64 size, struct vmsm_pt_freelist *fl)
{
	u64 *table;

	if ((changed || fl->head) && pt->ops->tlb_inv)
		pt->ops->tlb_inv(pt->priv, iova, size);
	while (fl->head) {
		table = fl->head;
		fl->head = (u64 *)(unsigned long)table[0];
		pt->ops->free_table(pt->priv, table, table[1]);
	}
}

/**
 * vmsm_pt_init() - set up an empty GPU address space
 * @pt: page tables to set up
 * @ops: memory services, used until vmsm_pt_fini()
 * @priv: argument of every @ops call
 *
 * Allocates the root table: the address space is empty, every walk faults.
 *
 * Return: 0 on success, -ENOMEM if the root table cannot be allocated.
 */
int vmsm_pt_init(struct vmsm_pgtable *pt, const struct vmsm_pt_ops *ops,
		 void *priv)
{
	pt->ops = ops;
	pt->priv = priv;
	vmsm_pt_forget(pt);
	pt->root = ops->alloc_table(priv, &pt->root_bus);
	return pt->root ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_pt_init);

static void vmsm_pt_free_level(struct vmsm_pgtable *pt, u64 *table, u64 bus,
			       unsigned int level)
{
	unsigned int i;
	u64 *child;

	for (i = 0; i < VMSM_PT_ENTRIES; i++) {
		if (!vmsm_pte_is_table(table[i], level))
			continue;
		child = pt->ops->table_va(pt->priv, table[i] & VMSM_PTE_ADDR_MASK);
		if (child)
			vmsm_pt_free_level(pt, child, table[i] & VMSM_PTE_ADDR_MASK,
					   level + 1);
	}
	pt->ops->free_table(pt->priv, table, bus);
}

/**
 * vmsm_pt_fini() - free every table of a GPU address space
 * @pt: page tables from vmsm_pt_init()
 *
 * Whatever is still mapped is dropped without TLB invalidation: the MMU
 * must no longer use @pt. Calling it again, or after a failed
 * vmsm_pt_init(), does nothing.
 */
void vmsm_pt_fini(struct vmsm_pgtable *pt)
{
	if (!pt->root)
		return;
	vmsm_pt_free_level(pt, pt->root, pt->root_bus, 0);
	vmsm_pt_forget(pt);
	pt->root = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_pt_fini);

static int vmsm_pt_map_level(struct vmsm_pgtable *pt, u64 *table,
			     unsigned int level, struct vmsm_pt_map_state *st);

/*
 * Whether a leaf of @level, in an entry holding @pte, can map @iova to @bus
 * with @end the end of the range.
 */
static bool vmsm_pt_leaf_fits(u64 iova, u64 bus, u64 end, unsigned int level,
			      u64 pte)
{
	if (pte & VMSM_PTE_VALID)
		return false;
	if (level == VMSM_PT_LAST_LEVEL)
		return true;
	return level == VMSM_PT_BLOCK_LEVEL &&
	       !((iova | bus) & (VMSM_PT_BLOCK_SIZE - 1)) &&
	       end - iova >= VMSM_PT_BLOCK_SIZE;
}

/*
 * Returns the table @table[@idx] points to, after allocating and linking
 * it if the entry is empty, or NULL with @err set.
 */
static u64 *vmsm_pt_get_child(struct vmsm_pgtable *pt, u64 *table,
			      unsigned int idx, unsigned int level, int *err)
{
	u64 pte = table[idx];
	u64 *child;
	u64 bus;

	if (vmsm_pte_is_table(pte, level)) {
		*err = -EFAULT;		/* if table_va() does not know it */
		return vmsm_pt_child(pt, pte, level + 1);
	}
	if (pte & VMSM_PTE_VALID) {
		*err = -EEXIST;		/* a block */
		return NULL;
	}
	*err = -ENOMEM;
	child = pt->ops->alloc_table(pt->priv, &bus);
	if (child) {
		WRITE_ONCE(table[idx], bus | VMSM_PTE_TABLE_DESC);
		vmsm_pt_sync(pt, table, idx, idx + 1);
	}
	return child;
}

/*
 * Maps the next addresses through the table that @table[@idx] points to,
 * allocating it if the entry is empty. A table left empty by a failure is
 * unlinked and freed once the TLB has been invalidated.
 */
static int vmsm_pt_map_child(struct vmsm_pgtable *pt, u64 *table,
			     unsigned int idx, unsigned int level,
			     struct vmsm_pt_map_state *st)
{
	u64 *child;
	int ret;

	child = vmsm_pt_get_child(pt, table, idx, level, &ret);
	if (!child)
		return ret;

	ret = vmsm_pt_map_level(pt, child, level + 1, st);
	if (ret && vmsm_pt_table_empty(child)) {
		vmsm_pt_forget(pt);
		vmsm_pt_defer_free(&st->freed, child, table[idx] & VMSM_PTE_ADDR_MASK);
		WRITE_ONCE(table[idx], 0);
		vmsm_pt_sync(pt, table, idx, idx + 1);
	}
	return ret;
}

/* log2 of vmsm_pt_level_size() */
static unsigned int vmsm_pt_level_shift(unsigned int level)
{
	return VMSM_PT_GRANULE_SHIFT +
	       VMSM_PT_BITS_PER_LEVEL * (VMSM_PT_LAST_LEVEL - level);
}

/*
 * Writes leaves from @table[@idx] on, as long as they fit, and returns the
 * index of the first entry it did not write. Where one leaf fits, the
 * next ones do until the range ends or an entry is taken, so the run's
 * length is known before it starts; its state is kept in locals, as a
 * descriptor store could alias it and the compiler would reload it after
 * every one.
 */
static unsigned int vmsm_pt_map_run(u64 *table, unsigned int idx,
				    unsigned int level,
				    struct vmsm_pt_map_state *st)
{
	unsigned int shift = vmsm_pt_level_shift(level), i, last;
	u64 desc = vmsm_pt_leaf(st->attrs, 0, level);
	u64 size = 1ull << shift, bus = st->bus;

	if (!vmsm_pt_leaf_fits(st->iova, bus, st->end, level, 0))
		return idx;
	last = idx + vmsm_pt_min((st->end - st->iova) >> shift,
				 VMSM_PT_ENTRIES - idx);
	for (i = idx; i < last; i++) {
		if (table[i] & VMSM_PTE_VALID)
			break;
		WRITE_ONCE(table[i], desc | bus);
		bus += size;
	}
	st->iova += (u64)(i - idx) << shift;
	st->bus = bus;
	return i;
}

/*
 * Maps from @st->iova on through the level-@level @table, up to @st->end or
 * the end of the table. Leaves written next to each other are synced at
 * once.
 */
static int vmsm_pt_map_level(struct vmsm_pgtable *pt, u64 *table,
			     unsigned int level, struct vmsm_pt_map_state *st)
{
	unsigned int idx = vmsm_pt_index(st->iova, level);
	unsigned int first = idx;
	int ret = 0;

	for (;;) {
		idx = vmsm_pt_map_run(table, idx, level, st);
		if (idx == VMSM_PT_ENTRIES || st->iova >= st->end)
			break;
		if (level == VMSM_PT_LAST_LEVEL) {
			ret = -EEXIST;
			break;
		}
		vmsm_pt_sync(pt, table, first, idx);
		first = idx + 1;
		ret = vmsm_pt_map_child(pt, table, idx, level, st);
		if (ret)
			break;
		idx++;
	}
	vmsm_pt_sync(pt, table, first, idx);
	return ret;
}

static int vmsm_pt_check_map(u64 iova, u64 bus, u64 size, u32 prot)
{
	if (((iova | bus | size) & (VMSM_PT_GRANULE - 1)) || !size)
		return -EINVAL;
	if (iova >= VMSM_PT_VA_END || size > VMSM_PT_VA_END - iova)
		return -EINVAL;
	if (bus >= VMSM_PT_VA_END || size > VMSM_PT_VA_END - bus)
		return -EINVAL;
	if (!(prot & VMSM_PT_PROT_READ) || (prot & ~VMSM_PT_PROT_ALL))
		return -EINVAL;
	if ((prot & VMSM_PT_PROT_ATTR_MASK) > VMSM_PT_PROT_ATTR(VMSM_PT_ATTR_DEVICE))
		return -EINVAL;
	return 0;
}

static u64 vmsm_pt_prot_to_attrs(u32 prot)
{
	u64 attrs = VMSM_PTE_AF | VMSM_PTE_SH_INNER | VMSM_PTE_XN;

	attrs |= (u64)((prot & VMSM_PT_PROT_ATTR_MASK) >> VMSM_PT_PROT_ATTR_SHIFT)
		 << VMSM_PTE_ATTRINDX_SHIFT;
	if (!(prot & VMSM_PT_PROT_PRIV))
		attrs |= VMSM_PTE_AP_UNPRIV;
	if (!(prot & VMSM_PT_PROT_WRITE))
		attrs |= VMSM_PTE_AP_RDONLY;
	return attrs;
}

static bool vmsm_pt_unmap_level(struct vmsm_pgtable *pt, u64 *table,
				unsigned int level,
				struct vmsm_pt_unmap_state *st);

/**
 * vmsm_pt_map() - map a range of bus addresses into a GPU address space
 * @pt: page tables
 * @iova: first GPU virtual address, a multiple of 4 KiB
 * @bus: first bus address, a multiple of 4 KiB
 * @size: bytes to map, a non-zero multiple of 4 KiB
 * @prot: %VMSM_PT_PROT_READ, optionally ORed with %VMSM_PT_PROT_WRITE,
 *	%VMSM_PT_PROT_PRIV and VMSM_PT_PROT_ATTR() of a %VMSM_PT_ATTR_* value
 *
 * Maps [@iova, @iova + @size) to [@bus, @bus + @size), with 2 MiB blocks
 * where @iova, @bus and the remaining size allow it and 4 KiB pages
 * elsewhere. The range must be free: nothing mapped is ever replaced. On
 * failure everything this call mapped is unmapped again (with a TLB
 * invalidation if anything was) and every table it allocated is freed, so
 * the address space is left as it was.
 *
 * Return: 0 on success; -EINVAL for a misaligned or empty range, a range
 * that does not fit in 48 bits (virtual or bus), or @prot without
 * %VMSM_PT_PROT_READ or with unknown bits or memory type; -EEXIST if part
 * of the range is already mapped; -ENOMEM if a table cannot be allocated;
 * -EFAULT if @pt->ops->table_va does not know a table of the tree.
 */
int vmsm_pt_map(struct vmsm_pgtable *pt, u64 iova, u64 bus, u64 size,
		u32 prot)
{
	struct vmsm_pt_map_state st = {
		.iova = iova,
		.bus = bus,
		.end = iova + size,
		.attrs = vmsm_pt_prot_to_attrs(prot),
	};
	struct vmsm_pt_unmap_state undo = { .iova = iova };
	int ret;

	ret = vmsm_pt_check_map(iova, bus, size, prot);
	if (ret)
		return ret;

	ret = vmsm_pt_map_level(pt, pt->root, 0, &st);
	if (!ret)
		return 0;

	/* Whole leaves were mapped in [iova, st.iova): no block to split. */
	undo.end = st.iova;
	undo.freed = st.freed;
	if (undo.end > iova)
		vmsm_pt_unmap_level(pt, pt->root, 0, &undo);
	vmsm_pt_finish(pt, undo.unmapped != 0, iova, size, &undo.freed);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_pt_map);

/*
 * Replaces the 2 MiB block @table[@idx], of which [@st->iova, @st->end)
 * covers a part, with a level-3 table mapping the rest of it. When the
 * table cannot be allocated the block stays and the unmap stops there.
 */
static bool vmsm_pt_split_block(struct vmsm_pgtable *pt, u64 *table,
				unsigned int idx, struct vmsm_pt_unmap_state *st)
{
	u64 pte = table[idx];
	u64 start = st->iova & ~(VMSM_PT_BLOCK_SIZE - 1);
	u64 out = pte & VMSM_PTE_ADDR_MASK & ~(VMSM_PT_BLOCK_SIZE - 1);
	u64 attrs = pte & ~(VMSM_PTE_ADDR_MASK | VMSM_PTE_TYPE_MASK);
	u64 *child, bus, va;
	unsigned int i;

	child = pt->ops->alloc_table(pt->priv, &bus);
	if (!child) {
		st->stop = true;
		return false;
	}
	for (i = 0; i < VMSM_PT_ENTRIES; i++) {
		va = start + (u64)i * VMSM_PT_GRANULE;
		if (va >= st->iova && va < st->end)
			st->unmapped += VMSM_PT_GRANULE;
		else
			child[i] = vmsm_pt_leaf(attrs, out + (u64)i * VMSM_PT_GRANULE,
						VMSM_PT_LAST_LEVEL);
	}
	vmsm_pt_sync(pt, child, 0, VMSM_PT_ENTRIES);
	WRITE_ONCE(table[idx], bus | VMSM_PTE_TABLE_DESC);
	st->iova = vmsm_pt_min(start + VMSM_PT_BLOCK_SIZE, st->end);
	return true;
}

/* Unmaps through the table @pte points to; unlinks it if left empty. */
static bool vmsm_pt_unmap_child(struct vmsm_pgtable *pt, u64 *table,
				unsigned int idx, unsigned int level,
				struct vmsm_pt_unmap_state *st)
{
	u64 pte = table[idx];
	u64 *child = vmsm_pt_child(pt, pte, level + 1);

	if (!child) {
		st->iova = vmsm_pt_min((st->iova | (vmsm_pt_level_size(level) - 1)) + 1,
				       st->end);
		return false;
	}
	if (vmsm_pt_unmap_level(pt, child, level + 1, st))
		return false;
	vmsm_pt_forget(pt);
	WRITE_ONCE(table[idx], 0);
	vmsm_pt_defer_free(&st->freed, child, pte & VMSM_PTE_ADDR_MASK);
	return true;
}

/*
 * Unmaps what @table[@idx] translates of [@st->iova, @st->end) and moves
 * @st->iova past it. Returns whether the descriptor was written.
 */
static bool vmsm_pt_unmap_entry(struct vmsm_pgtable *pt, u64 *table,
				unsigned int idx, unsigned int level,
				struct vmsm_pt_unmap_state *st)
{
	u64 pte = table[idx];
	u64 size = vmsm_pt_level_size(level);
	u64 start = st->iova & ~(size - 1);

	if (vmsm_pte_is_table(pte, level))
		return vmsm_pt_unmap_child(pt, table, idx, level, st);
	if (!vmsm_pte_is_leaf(pte, level)) {
		st->iova = vmsm_pt_min(start + size, st->end);
		return false;
	}
	if (st->iova != start || st->end - start < size)
		return vmsm_pt_split_block(pt, table, idx, st);

	WRITE_ONCE(table[idx], 0);
	st->unmapped += size;
	st->iova = start + size;
	return true;
}

/*
 * Clears the leaves of the entries that [@st->iova, @st->end) covers whole
 * from @table[@idx] on and skips the empty ones; returns the index of the
 * first entry it did not handle: a table, an entry only partly in the
 * range, or the end of the range or table. [@first, @last] grows to take
 * in the entries cleared; @kept is set if a reserved descriptor (valid,
 * but neither table nor leaf) was skipped. The state is kept in locals,
 * as in vmsm_pt_map_run().
 */
static unsigned int vmsm_pt_unmap_run(u64 *table, unsigned int idx,
				      unsigned int level,
				      struct vmsm_pt_unmap_state *st,
				      unsigned int *first, unsigned int *last,
				      bool *kept)
{
	unsigned int shift = vmsm_pt_level_shift(level), i, end;
	unsigned int from = VMSM_PT_ENTRIES, to = 0;
	u64 pte, unmapped = 0;

	if (st->iova & ((1ull << shift) - 1))
		return idx;
	end = idx + vmsm_pt_min((st->end - st->iova) >> shift,
				VMSM_PT_ENTRIES - idx);
	for (i = idx; i < end; i++) {
		pte = table[i];
		if (vmsm_pte_is_leaf(pte, level)) {
			WRITE_ONCE(table[i], 0);
			if (from == VMSM_PT_ENTRIES)
				from = i;
			to = i;
			unmapped++;
		} else if (vmsm_pte_is_table(pte, level)) {
			break;
		} else if (pte & VMSM_PTE_VALID) {
			*kept = true;
		}
	}
	if (from != VMSM_PT_ENTRIES) {
		*first = min(*first, from);
		*last = to;
	}
	st->iova += (u64)(i - idx) << shift;
	st->unmapped += unmapped << shift;
	return i;
}

/*
 * Unmaps from @st->iova on through the level-@level @table, up to @st->end
 * or the end of the table. The descriptors written are synced at once.
 * Returns whether the table still holds a valid descriptor: one this call
 * left in place, or one outside the entries it went through, which are
 * only read when nothing it went through is left.
 */
static bool vmsm_pt_unmap_level(struct vmsm_pgtable *pt, u64 *table,
				unsigned int level,
				struct vmsm_pt_unmap_state *st)
{
	unsigned int start = vmsm_pt_index(st->iova, level), idx = start;
	unsigned int first = VMSM_PT_ENTRIES, last = 0;
	bool kept = false;

	while (idx < VMSM_PT_ENTRIES && st->iova < st->end && !st->stop) {
		idx = vmsm_pt_unmap_run(table, idx, level, st, &first, &last,
					&kept);
		if (idx == VMSM_PT_ENTRIES || st->iova >= st->end)
			break;
		if (vmsm_pt_unmap_entry(pt, table, idx, level, st)) {
			first = min(first, idx);
			last = idx;
		}
		kept |= table[idx] & VMSM_PTE_VALID;
		idx++;
	}
	vmsm_pt_sync(pt, table, first, last + 1);
	if (kept || !level)	/* the root is never unlinked */
		return true;
	return !vmsm_pt_none_valid(table, idx, VMSM_PT_ENTRIES) ||
	       !vmsm_pt_none_valid(table, 0, start);
}

/**
 * vmsm_pt_unmap() - unmap a range of a GPU address space
 * @pt: page tables
 * @iova: first GPU virtual address, a multiple of 4 KiB
 * @size: bytes to unmap, a multiple of 4 KiB; the range may hold holes
 *	and is cut at 2^48
 *
 * Clears every descriptor translating [@iova, @iova + @size). A 2 MiB
 * block of which only a part is in the range is split: it is replaced by
 * a level-3 table mapping the rest of it with pages. If that table cannot
 * be allocated the block is left whole and mapped, and the unmap stops
 * there: the return value tells how far it got. Tables left empty are
 * freed. If anything changed, the TLB is invalidated for the range, once,
 * before the tables are freed.
 *
 * Return: bytes unmapped, holes and a block that could not be split not
 * counted; 0 for a misaligned or empty range.
 */
u64 vmsm_pt_unmap(struct vmsm_pgtable *pt, u64 iova, u64 size)
{
	struct vmsm_pt_unmap_state st = { .iova = iova };

	if (((iova | size) & (VMSM_PT_GRANULE - 1)) || !size ||
	    iova >= VMSM_PT_VA_END)
		return 0;
	st.end = iova + vmsm_pt_min(size, VMSM_PT_VA_END - iova);

	vmsm_pt_unmap_level(pt, pt->root, 0, &st);
	vmsm_pt_finish(pt, st.unmapped != 0, iova, st.end - iova, &st.freed);
	return st.unmapped;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_pt_unmap);

/**
 * vmsm_pt_walk() - translate a GPU virtual address as the MMU does
 * @ops: memory services of the walker: only @ops->table_va is used
 * @priv: argument of @ops->table_va
 * @root_bus: bus address of the root table
 * @iova: GPU virtual address to translate
 * @res: where to store the translation
 *
 * Reads one descriptor per level, reaching each table through the bus
 * address in the descriptor above it, starting from @root_bus. Nothing of
 * the &struct vmsm_pgtable is used, so the walk sees what the GPU would.
 *
 * Return: 0 and @res filled in on success; -EFAULT for a translation
 * fault: @iova beyond 48 bits, an invalid descriptor, a block descriptor
 * at level 0 or 1, a reserved descriptor at level 3, or a table address
 * @ops->table_va knows nothing of.
 */
int vmsm_pt_walk(const struct vmsm_pt_ops *ops, void *priv, u64 root_bus,
		 u64 iova, struct vmsm_pt_walk_result *res)
{
	u64 bus = root_bus;
	unsigned int level;
	const u64 *table;
	u64 pte, size;

	if (iova >= VMSM_PT_VA_END)
		return -EFAULT;

	for (level = 0; level < VMSM_PT_LEVELS; level++) {
		table = ops->table_va(priv, bus);
		if (!table)
			return -EFAULT;
		pte = READ_ONCE(table[vmsm_pt_index(iova, level)]);
		if (vmsm_pte_is_table(pte, level)) {
			bus = pte & VMSM_PTE_ADDR_MASK;
			continue;
		}
		if (!vmsm_pte_is_leaf(pte, level))
			return -EFAULT;

		size = vmsm_pt_level_size(level);
		res->bus = (pte & VMSM_PTE_ADDR_MASK & ~(size - 1)) |
			   (iova & (size - 1));
		res->pte = pte;
		res->level = level;
		res->size = size;
		return 0;
	}
	return -EFAULT;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_pt_walk);

/**
 * vmsm_pt_access_ok() - check an access against a leaf's permissions
 * @pte: leaf descriptor, as returned in &vmsm_pt_walk.pte
 * @access: %VMSM_PT_ACCESS_WRITE for a write, %VMSM_PT_ACCESS_PRIV for an
 *	access by the kernel's rings, or both
 *
 * Return: false for a write to a read-only mapping or an unprivileged
 * access to a privileged one, true otherwise.
 */
bool vmsm_pt_access_ok(u64 pte, u32 access)
{
	if ((access & VMSM_PT_ACCESS_WRITE) && (pte & VMSM_PTE_AP_RDONLY))
		return false;
	if (!(access & VMSM_PT_ACCESS_PRIV) && !(pte & VMSM_PTE_AP_UNPRIV))
		return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vmsm_pt_access_ok);
