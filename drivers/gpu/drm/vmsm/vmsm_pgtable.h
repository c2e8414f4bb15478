/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The vmsm authors
 */
#ifndef __VMSM_PGTABLE_H__
#define __VMSM_PGTABLE_H__

#include <linux/bits.h>
#include <linux/minmax.h>
#include <linux/types.h>

/*
 * The GPU MMU's page-table format: ARM LPAE stage-1 (VMSAv8-64), 4 KiB
 * granule, 48-bit input and output addresses, four levels (0..3) of 512
 * eight-byte descriptors per 4 KiB table. Level 3 descriptors map 4 KiB
 * pages; level 2 descriptors may map 2 MiB blocks. This header is the one
 * definition shared by the mapping code and the GPU core's walker.
 */
#define VMSM_PT_LEVELS			4
#define VMSM_PT_GRANULE_SHIFT		12
#define VMSM_PT_GRANULE			(1ull << VMSM_PT_GRANULE_SHIFT)
#define VMSM_PT_BITS_PER_LEVEL		9
#define VMSM_PT_ENTRIES			(1u << VMSM_PT_BITS_PER_LEVEL)
#define VMSM_PT_TABLE_SIZE		(VMSM_PT_ENTRIES * 8u)
#define VMSM_PT_VA_BITS			48	/* input and output addresses */
#define VMSM_PT_VA_END			(1ull << VMSM_PT_VA_BITS)
#define VMSM_PT_BLOCK_LEVEL		2
#define VMSM_PT_BLOCK_SHIFT		21
#define VMSM_PT_BLOCK_SIZE		(1ull << VMSM_PT_BLOCK_SHIFT)

/* Descriptor bits. */
#define VMSM_PTE_VALID			BIT_ULL(0)
#define VMSM_PTE_TYPE			BIT_ULL(1)	/* table (lvl 0-2) or page (lvl 3) */
#define VMSM_PTE_ATTRINDX_SHIFT		2
#define VMSM_PTE_ATTRINDX_MASK		GENMASK_ULL(4, 2)
#define VMSM_PTE_AP_UNPRIV		BIT_ULL(6)	/* AP[1]: user (IB level) access */
#define VMSM_PTE_AP_RDONLY		BIT_ULL(7)	/* AP[2]: read-only */
#define VMSM_PTE_SH_INNER		(3ull << 8)
#define VMSM_PTE_AF			BIT_ULL(10)
#define VMSM_PTE_NG			BIT_ULL(11)
#define VMSM_PTE_ADDR_MASK		GENMASK_ULL(VMSM_PT_VA_BITS - 1, \
						    VMSM_PT_GRANULE_SHIFT)
#define VMSM_PTE_XN			BIT_ULL(54)

/* Memory attribute indices (MAIR-style) in VMSM_PTE_ATTRINDX. */
#define VMSM_PT_ATTR_CACHED		0	/* normal, write-back */
#define VMSM_PT_ATTR_WC			1	/* normal, non-cacheable */
#define VMSM_PT_ATTR_DEVICE		2	/* device-nGnRE (uncached) */

/* Mapping permissions, the @prot argument of vmsm_pt_map(). */
#define VMSM_PT_PROT_READ		BIT(0)
#define VMSM_PT_PROT_WRITE		BIT(1)
#define VMSM_PT_PROT_PRIV		BIT(2)	/* kernel (ring level) only */
#define VMSM_PT_PROT_ATTR_SHIFT		4	/* VMSM_PT_ATTR_* << shift */
#define VMSM_PT_PROT_ATTR(a)		((a) << VMSM_PT_PROT_ATTR_SHIFT)
#define VMSM_PT_PROT_ATTR_MASK		(7u << VMSM_PT_PROT_ATTR_SHIFT)

/* Access types checked by vmsm_pt_access_ok(). */
#define VMSM_PT_ACCESS_WRITE		BIT(0)
#define VMSM_PT_ACCESS_PRIV		BIT(1)

/**
 * struct vmsm_pt_ops - memory services the page-table code needs
 * @alloc_table: allocate a zeroed, %VMSM_PT_TABLE_SIZE-aligned table whose
 *	zeroes are already visible to the walker (as after dma_map_page());
 *	return its CPU pointer and store its bus address, a multiple of
 *	%VMSM_PT_TABLE_SIZE below 2^48, in @bus, or return NULL when out of
 *	memory.
 * @free_table: free a table from @alloc_table.
 * @table_va: CPU pointer of the table at bus address @bus, or NULL if no
 *	table is there. vmsm_pt_map() and vmsm_pt_unmap() reach child tables
 *	through it and remember the answer until the table is unlinked, so
 *	a table's CPU pointer must not change while it is in the tree;
 *	vmsm_pt_walk() is handed the ops of the GPU core's walker,
 *	whose @table_va returns the table the way a DMA master reads memory.
 * @sync_table: make @count descriptors of @table starting at @idx visible
 *	to the walker (may be NULL when tables are coherent). A descriptor
 *	pointing to a table is only written once that table's content has
 *	been synced, so the sync must order the writes (dma_wmb() or more).
 * @tlb_inv: invalidate cached translations for [@iova, @iova + @size)
 *	(may be NULL). Once it returns, no walk may still use a descriptor
 *	cleared before the call: tables unlinked by an unmap are freed only
 *	after it.
 */
struct vmsm_pt_ops {
	u64 *(*alloc_table)(void *priv, u64 *bus);
	void (*free_table)(void *priv, u64 *table, u64 bus);
	u64 *(*table_va)(void *priv, u64 bus);
	void (*sync_table)(void *priv, u64 *table, unsigned int idx,
			   unsigned int count);
	void (*tlb_inv)(void *priv, u64 iova, u64 size);
};

/**
 * struct vmsm_pgtable - one GPU address space's page tables
 * @ops: memory services
 * @priv: argument of every @ops call
 * @root: CPU pointer of the level-0 table
 * @root_bus: bus address of the level-0 table (what the MMU is given)
 * @walk: per level, the table map or unmap last reached through
 *	@ops->table_va (bus address and CPU pointer, @table NULL for none),
 *	forgotten whenever a table is unlinked; private to vmsm_pgtable.c
 *
 * The caller serializes map and unmap on one &struct vmsm_pgtable; walks
 * may run concurrently with them and see either the old or the new
 * descriptor of an entry. Every table of the tree holds at least one valid
 * descriptor, except the root.
 */
struct vmsm_pgtable {
	const struct vmsm_pt_ops *ops;
	void *priv;
	u64 *root;
	u64 root_bus;
	struct {
		u64 bus;
		u64 *table;
	} walk[VMSM_PT_LEVELS];
};

/**
 * struct vmsm_pt_walk_result - result of a translation
 * @bus: bus address @iova translates to
 * @pte: the leaf descriptor
 * @level: level of the leaf descriptor (3 for pages, 2 for blocks)
 * @size: bytes mapped by the leaf (4 KiB or 2 MiB)
 */
struct vmsm_pt_walk_result {
	u64 bus;
	u64 pte;
	unsigned int level;
	u64 size;
};

int vmsm_pt_init(struct vmsm_pgtable *pt, const struct vmsm_pt_ops *ops,
		 void *priv);
void vmsm_pt_fini(struct vmsm_pgtable *pt);
int vmsm_pt_map(struct vmsm_pgtable *pt, u64 iova, u64 bus, u64 size,
		u32 prot);
u64 vmsm_pt_unmap(struct vmsm_pgtable *pt, u64 iova, u64 size);
int vmsm_pt_walk(const struct vmsm_pt_ops *ops, void *priv, u64 root_bus,
		 u64 iova, struct vmsm_pt_walk_result *res);
bool vmsm_pt_access_ok(u64 pte, u32 access);

/**
 * vmsm_pt_index() - index of the descriptor translating an address
 * @iova: GPU virtual address
 * @level: table level, 0 (root) to 3
 *
 * Return: index of @iova's descriptor in its level-@level table.
 */
static inline unsigned int vmsm_pt_index(u64 iova, unsigned int level)
{
	unsigned int shift = VMSM_PT_GRANULE_SHIFT +
			     VMSM_PT_BITS_PER_LEVEL * (VMSM_PT_LEVELS - 1 - level);

	return (iova >> shift) & (VMSM_PT_ENTRIES - 1);
}

/**
 * vmsm_pt_level_size() - bytes translated by one descriptor of a level
 * @level: table level, 0 (root) to 3
 *
 * Return: 512 GiB, 1 GiB, 2 MiB or 4 KiB for levels 0 to 3.
 */
static inline u64 vmsm_pt_level_size(unsigned int level)
{
	return 1ull << (VMSM_PT_GRANULE_SHIFT +
			VMSM_PT_BITS_PER_LEVEL * (VMSM_PT_LEVELS - 1 - level));
}

/**
 * vmsm_pt_granule_left() - bytes from an address to the end of its granule
 * @va: GPU virtual address
 * @len: bytes wanted from @va
 *
 * Return: @len, or fewer if @len bytes from @va would cross a granule.
 */
static inline u32 vmsm_pt_granule_left(u64 va, u64 len)
{
	return min(len, VMSM_PT_GRANULE - (va & (VMSM_PT_GRANULE - 1)));
}

/**
 * struct vmsm_pt_chunk - a GPU memory access, split at granule boundaries
 * @start: GPU virtual address of the access
 * @size: bytes of the access
 * @va: GPU virtual address of the current chunk
 * @off: offset of the current chunk in the access
 * @len: bytes of the current chunk, which never crosses a granule
 *
 * Accesses that reach memory through the page tables are made a chunk at
 * a time, since consecutive granules need not be consecutive in memory::
 *
 *	vmsm_pt_chunk_start(&c, va, size);
 *	while (vmsm_pt_chunk_next(&c))
 *		access c.len bytes at c.va, byte c.off of the access;
 */
struct vmsm_pt_chunk {
	u64 start;
	u64 size;
	u64 va;
	u64 off;
	u32 len;
};

/**
 * vmsm_pt_chunk_start() - start splitting an access into chunks
 * @c: the iterator
 * @va: GPU virtual address of the access
 * @size: bytes of the access, 0 for none
 */
static inline void vmsm_pt_chunk_start(struct vmsm_pt_chunk *c, u64 va,
				       u64 size)
{
	*c = (struct vmsm_pt_chunk){ .start = va, .size = size };
}

/**
 * vmsm_pt_chunk_next() - move to the next chunk of an access
 * @c: the iterator, started with vmsm_pt_chunk_start()
 *
 * Return: false once the whole access was covered, else true with @c's
 * @va, @off and @len describing the next chunk.
 */
static inline bool vmsm_pt_chunk_next(struct vmsm_pt_chunk *c)
{
	c->off += c->len;
	if (c->off >= c->size)
		return false;
	c->va = c->start + c->off;
	c->len = vmsm_pt_granule_left(c->va, c->size - c->off);
	return true;
}

#endif /* __VMSM_PGTABLE_H__ */
