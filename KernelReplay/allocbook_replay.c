// SPDX-License-Identifier: GPL-2.0
/*
 * allocbook_replay: replays an AllocBook kernel trace inside a real Linux 6.1 kernel and
 * reports, per step, the facts the kernel model predicts (cache, geometry, which slab, the
 * object's rank in the shuffled freelist, slab handed back, page orders, the buddy split rule,
 * vmalloc area size and page array, and the change in free pages).
 *
 * Interface (procfs):
 *   /proc/allocbook_trace   write: the trace in the numeric wire format (a write at offset 0
 *                           starts a new trace); see KernelReplay/README.md
 *   /proc/allocbook_run     write anything: replay the trace in the writer's context (run it
 *                           pinned to the isolated CPU with taskset)
 *   /proc/allocbook_result  read: one line per step, "S <step> key=value;key=value…", then
 *                           "E <steps>"
 *
 * The trace's kmalloc calls of up to 8 KiB go to private caches of the kmalloc class sizes
 * created for the run (boot has half-filled the real kmalloc-* caches); the real kmalloc-*
 * cache is probed before the replay for the cache name and geometry.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/vmstat.h>
#include <linux/kprobes.h>
#include <linux/rcupdate.h>
#include <linux/delay.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/kernel.h>

/*
 * The 6.1 SLUB `struct slab` (mm/slab.h, not among the installed headers), which overlays
 * `struct page`; slub_def.h's inline helpers need it. Guarded by static_asserts below.
 */
struct slab {
	unsigned long __page_flags;
	union {
		struct list_head slab_list;
		struct rcu_head rcu_head;
		struct {
			struct slab *next;
			int slabs;
		};
	};
	struct kmem_cache *slab_cache;
	void *freelist;
	union {
		unsigned long counters;
		struct {
			unsigned inuse:16;
			unsigned objects:15;
			unsigned frozen:1;
		};
	};
	unsigned int __unused;
	atomic_t __page_refcount;
	unsigned long memcg_data;
};
#define slab_address(slab) page_address((const struct page *)(slab))
#include <linux/slub_def.h>

static_assert(sizeof(struct slab) == sizeof(struct page));
static_assert(offsetof(struct slab, slab_cache) == offsetof(struct page, mapping));
static_assert(offsetof(struct slab, __page_refcount) == offsetof(struct page, _refcount));
static_assert(offsetof(struct slab, memcg_data) == offsetof(struct page, memcg_data));

/* mm/slub.c's encoding of kmem_cache_order_objects. */
#define OO_SHIFT 16
#define OO_MASK ((1 << OO_SHIFT) - 1)
static unsigned int oo_order(struct kmem_cache_order_objects x) { return x.x >> OO_SHIFT; }
static unsigned int oo_objects(struct kmem_cache_order_objects x) { return x.x & OO_MASK; }

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AllocBook: replay kernel allocation traces and report per-step facts");

#define MAX_TRACE (8 << 20)
#define MAX_NAME 48

enum op_kind { OP_KMALLOC, OP_KZALLOC, OP_KFREE, OP_PAGES, OP_FREE_PAGES, OP_VMALLOC,
	       OP_VZALLOC, OP_VFREE, OP_CREATE, OP_CACHE_ALLOC, OP_CACHE_FREE, OP_KMALLOC_ARRAY,
	       OP_KCALLOC, OP_KREALLOC, OP_KVMALLOC, OP_KVZALLOC, OP_KVFREE, OP_KVMALLOC_ARRAY,
	       OP_KVCALLOC, OP_KVREALLOC };

struct op {
	int kind;
	int slot;
	long long arg;
	int cache;
	int probe; /* kmalloc: index of the probed real cache, -1 for none */
	/* kmalloc_array, kcalloc, kvmalloc_array, kvcalloc: the count and element size */
	unsigned long long count, size;
	/*
	 * The kmalloc_array / kvmalloc family of up to 8 KiB: the real cache and ksize of this
	 * operation's own call of the real function, made before the replay.
	 */
	struct kmem_cache *real;
	size_t real_ksize;
	/* The kvmalloc family: GFP_KERNEL, GFP_NOWAIT or GFP_ATOMIC (and __GFP_ZERO). */
	gfp_t gfp;
};

/* A cache whose slabs the run follows (private kmalloc-size caches and the trace's own). */
struct tcache {
	struct kmem_cache *s;
	unsigned int *inv; /* slot index -> position in random_seq */
	int objects;
	int slabs_created;
	char name[MAX_NAME];
};

struct tslab {
	struct tcache *c;
	unsigned long pfn;
	int ordinal;
	int start; /* random_seq position of the first object handed out */
	int live;
	bool active;
};

struct object {
	void *ptr;
	struct page *page;
	int order;
	struct tcache *c;
	struct tslab *slab;
	/* For an object in a private kmalloc-size cache: ksize of the real kmalloc-* object. */
	size_t real_ksize;
};

static char *trace_buf;
static size_t trace_len;
static char *result_buf;
static size_t result_len, result_cap;

static struct op *ops;
static int nops, nids, ncaches;
static struct object *objects;
static struct tcache *trace_caches; /* by cache slot */
static struct tcache private_caches[14];
static struct kmem_cache *probe_cache[14];
static size_t probe_ksize[14];
static struct tslab *slabs;
static int nslabs;
static struct vm_struct *(*find_vm_area_fn)(const void *addr);

static void emit(const char *fmt, ...)
{
	va_list args;

	if (result_len + 1 >= result_cap)
		return;
	va_start(args, fmt);
	result_len += vscnprintf(result_buf + result_len, result_cap - result_len, fmt, args);
	va_end(args);
}

static struct kmem_cache *cache_of(const void *p)
{
	struct page *page;

	if (!virt_addr_valid(p))
		return NULL;
	page = virt_to_head_page(p);
	if (!PageSlab(page))
		return NULL;
	return ((struct slab *)page)->slab_cache;
}

/*
 * Free pages: the buddy free lists (NR_FREE_PAGES) plus every CPU's per-CPU page lists.
 * NR_FREE_PAGES is read with every CPU's not yet folded vmstat difference
 * (zone_page_state_snapshot): the global counter lags by up to the stat threshold (12 pages
 * a CPU here), so pages a per-CPU list handed back to the buddy lists would otherwise show
 * up steps later.
 */
static long free_pages_now(void)
{
	long total = 0;
	pg_data_t *pgdat = NODE_DATA(0);
	int z, cpu;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (!populated_zone(zone))
			continue;
		total += zone_page_state_snapshot(zone, NR_FREE_PAGES);
		if (!zone->per_cpu_pageset)
			continue;
		for_each_online_cpu(cpu)
			total += READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count);
	}
	return total;
}

/*
 * The head of the smallest non-empty unmovable free list of order >= `order` in the zone
 * GFP_KERNEL allocates from (the highest populated of DMA32/Normal).
 */
static unsigned long smallest_block(int order, int *found_order)
{
	pg_data_t *pgdat = NODE_DATA(0);
	struct zone *zone = NULL;
	unsigned long flags, pfn = 0;
	int z, o;

	for (z = ZONE_NORMAL; z >= 0; z--) {
		if (populated_zone(&pgdat->node_zones[z])) {
			zone = &pgdat->node_zones[z];
			break;
		}
	}
	*found_order = -1;
	if (!zone)
		return 0;
	spin_lock_irqsave(&zone->lock, flags);
	for (o = order; o < MAX_ORDER; o++) {
		struct list_head *list = &zone->free_area[o].free_list[MIGRATE_UNMOVABLE];

		if (!list_empty(list)) {
			pfn = page_to_pfn(list_first_entry(list, struct page, lru));
			*found_order = o;
			break;
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return pfn;
}

/* Orders the page allocator serves from its free lists (not the per-CPU lists). */
static bool split_visible(int order)
{
	return order > PAGE_ALLOC_COSTLY_ORDER && order != pageblock_order && order < MAX_ORDER;
}

static void emit_split(int order, unsigned long before_pfn, int before_order, struct page *page)
{
	if (!split_visible(order) || !page)
		return;
	if (before_order < 0)
		emit(";split=fallback to another migratetype");
	else if (page_to_pfn(page) == before_pfn)
		emit(";split=smallest free block, low half");
	else
		emit(";split=other block");
}

static int track_cache(struct tcache *c, struct kmem_cache *s, const char *name)
{
	int i;

	c->s = s;
	c->objects = oo_objects(s->oo);
	c->slabs_created = 0;
	strscpy(c->name, name, sizeof(c->name));
	c->inv = kcalloc(c->objects, sizeof(*c->inv), GFP_KERNEL);
	if (!c->inv)
		return -ENOMEM;
	for (i = 0; i < c->objects; i++) {
		unsigned int slot = s->random_seq ? s->random_seq[i] / s->size : i;

		if (slot < c->objects)
			c->inv[slot] = i;
	}
	return 0;
}

static void untrack_cache(struct tcache *c, bool destroy)
{
	kfree(c->inv);
	c->inv = NULL;
	if (destroy && c->s)
		kmem_cache_destroy(c->s);
	c->s = NULL;
}

static void emit_geometry(struct kmem_cache *s)
{
	emit(";objsize=%u;objperslab=%u;pagesperslab=%u", s->size, oo_objects(s->oo),
	     1u << oo_order(s->oo));
}

/* Which slab an object of a followed cache landed in, and its rank in the freelist. */
static void place_object(struct object *o)
{
	struct page *head = virt_to_head_page(o->ptr);
	unsigned long pfn = page_to_pfn(head);
	struct tcache *c = o->c;
	unsigned int slot = ((char *)o->ptr - (char *)page_address(head)) / c->s->size;
	struct tslab *slab = NULL;
	int i, position = slot < c->objects ? c->inv[slot] : 0;

	for (i = 0; i < nslabs; i++) {
		if (slabs[i].active && slabs[i].c == c && slabs[i].pfn == pfn) {
			slab = &slabs[i];
			break;
		}
	}
	if (!slab) {
		if (nslabs >= nops) {
			emit(";slab=untracked");
			return;
		}
		slab = &slabs[nslabs++];
		slab->c = c;
		slab->pfn = pfn;
		slab->ordinal = ++c->slabs_created;
		slab->start = position;
		slab->live = 0;
		slab->active = true;
		emit(";slab=new slab %d", slab->ordinal);
	} else {
		emit(";slab=slab %d", slab->ordinal);
	}
	slab->live++;
	o->slab = slab;
	emit(";slot=%d", (position - slab->start + c->objects) % c->objects);
}

/* After the object's slab lost it: whether the slab went back to the page allocator. */
static void slab_after_free(struct object *o)
{
	struct tslab *slab = o->slab;

	if (slab) {
		struct page *page = pfn_to_page(slab->pfn);
		bool still = PageSlab(page) &&
			     ((struct slab *)page)->slab_cache == slab->c->s;

		slab->live--;
		emit(";slab_freed=%s", still ? "no" : "yes");
		if (!still)
			slab->active = false;
	}
}

static void free_object(struct object *o)
{
	kmem_cache_free(o->c->s, o->ptr);
	slab_after_free(o);
}

/*
 * A kmalloc of up to 8 KiB, sent to the private cache of its class (`index`); `real` and
 * `ks` are the real kmalloc-* cache and ksize the call gets (probed before the replay).
 */
static void private_kmalloc(struct object *o, int index, gfp_t gfp, struct kmem_cache *real,
			    size_t ks)
{
	memset(o, 0, sizeof(*o));
	o->c = &private_caches[index];
	o->ptr = o->c->s ? kmem_cache_alloc(o->c->s, gfp) : NULL;
	if (!o->ptr) {
		o->c = NULL;
		emit(";ptr=NULL");
		return;
	}
	o->real_ksize = ks;
	emit(";cache=%s", real ? real->name : "?");
	if (real)
		emit_geometry(real);
	emit(";ksize=%zu", ks);
	place_object(o);
}

/* The facts of a pointer the page allocator served for a large kmalloc. */
static void large_result(struct object *o, int order, unsigned long block_pfn, int block_order)
{
	o->page = virt_to_head_page(o->ptr);
	emit(";order=%d", compound_order(o->page));
	emit_split(order, block_pfn, block_order, o->page);
	emit(";ksize=%zu", ksize(o->ptr));
}

/* The facts of a vmalloc area: size with the guard page, pages, page array, vm_struct. */
static void vmalloc_result(const void *p)
{
	struct vm_struct *vm = find_vm_area_fn ? find_vm_area_fn(p) : NULL;

	if (vm) {
		struct kmem_cache *array = cache_of(vm->pages);

		emit(";size=%lu;pages=%u", vm->size, vm->nr_pages);
		emit(";page_array=%s", is_vmalloc_addr(vm->pages) ? "vmalloc" :
				       array ? array->name : "?");
		array = cache_of(vm);
		emit(";vm_struct=%s", array ? array->name : "?");
	}
}

/* A size of up to 8 KiB that kmalloc serves from a kmalloc-* cache (not 0). */
static bool small_size(unsigned long long bytes)
{
	return bytes > 0 && bytes <= KMALLOC_MAX_CACHE_SIZE;
}

/*
 * kmalloc_array, kcalloc, kvmalloc_array, kvcalloc, kvmalloc, kvzalloc. `bytes` is the size
 * asked for (n * size), `overflow` whether n * size overflowed. Up to 8 KiB the object goes
 * to the private cache of its class (the real call's cache and ksize were probed before the
 * replay); otherwise the real function runs, and the path it took is reported.
 */
static void array_or_kv(struct op *op, struct object *o, unsigned long long bytes, bool overflow)
{
	bool kv = op->kind >= OP_KVMALLOC;
	bool zero = op->kind == OP_KCALLOC || op->kind == OP_KVZALLOC || op->kind == OP_KVCALLOC;
	gfp_t gfp = op->gfp | (zero ? __GFP_ZERO : 0);
	unsigned long block_pfn = 0;
	int block_order = -1, order;

	memset(o, 0, sizeof(*o));
	if (!overflow && small_size(bytes) && op->probe > 0) {
		if (kv)
			emit(";path=slab");
		private_kmalloc(o, op->probe, gfp, op->real, op->real_ksize);
		return;
	}
	order = overflow ? 0 : get_order(bytes);
	if (!overflow && bytes > KMALLOC_MAX_CACHE_SIZE && split_visible(order))
		block_pfn = smallest_block(order, &block_order);
	switch (op->kind) {
	case OP_KMALLOC_ARRAY:
		o->ptr = kmalloc_array(op->count, op->size, gfp | __GFP_NOWARN);
		break;
	case OP_KCALLOC:
		o->ptr = kcalloc(op->count, op->size, gfp | __GFP_NOWARN);
		break;
	case OP_KVMALLOC_ARRAY:
		o->ptr = kvmalloc_array(op->count, op->size, gfp);
		break;
	case OP_KVCALLOC:
		o->ptr = kvcalloc(op->count, op->size, gfp);
		break;
	case OP_KVMALLOC:
	case OP_KVREALLOC:
		o->ptr = kvmalloc(bytes, gfp);
		break;
	default:
		o->ptr = kvzalloc(bytes, gfp);
		break;
	}
	if (!o->ptr) {
		emit(";ptr=NULL");
		return;
	}
	if (o->ptr == ZERO_SIZE_PTR) {
		emit(";ptr=ZERO_SIZE_PTR");
		o->ptr = NULL;
		return;
	}
	if (is_vmalloc_addr(o->ptr)) {
		emit(";path=vmalloc");
		vmalloc_result(o->ptr);
		return;
	}
	if (kv)
		emit(";path=%s", cache_of(o->ptr) ? "slab" : "pages");
	if (cache_of(o->ptr)) {
		/* Not expected: a small size without a probe. */
		emit(";cache=%s;slab=untracked", cache_of(o->ptr)->name);
		return;
	}
	large_result(o, order, block_pfn, block_order);
}

/*
 * 6.1's kvrealloc(p, oldsize, newsize, GFP_KERNEL) (mm/util.c): p itself when oldsize >=
 * newsize (the real function runs); otherwise kvmalloc(newsize) (the real one above 8 KiB,
 * the private cache of the class up to 8 KiB, as for kvmalloc), oldsize bytes copied (no
 * more than p has) and the real kvfree(p).
 */
static void replay_kvrealloc(struct op *op, struct object *o)
{
	struct object old = *o;
	size_t have = 0;

	if (op->count >= op->size) {
		void *p = kvrealloc(o->ptr, op->count, op->size, GFP_KERNEL);

		if (!p) {
			emit(";ptr=NULL");
			return;
		}
		emit(";moved=%s", p == o->ptr ? "no" : "yes");
		if (!is_vmalloc_addr(p))
			emit(";ksize=%zu", o->real_ksize ? o->real_ksize : ksize(p));
		return;
	}
	array_or_kv(op, o, op->size, false);
	if (!o->ptr) {
		*o = old;
		return;
	}
	if (!old.ptr)
		return;
	emit(";moved=yes");
	if (is_vmalloc_addr(old.ptr)) {
		struct vm_struct *vm = find_vm_area_fn ? find_vm_area_fn(old.ptr) : NULL;

		have = vm ? (size_t)vm->nr_pages << PAGE_SHIFT : 0;
	} else {
		have = ksize(old.ptr);
	}
	memcpy(o->ptr, old.ptr, min_t(size_t, op->count, have));
	kvfree(old.ptr);
	if (old.c)
		slab_after_free(&old);
}

/*
 * krealloc(p, size, GFP_KERNEL) as 6.1's mm/slab_common.c runs it: size 0 frees; the same
 * object while size <= ksize(p); otherwise a new kmalloc(size), the contents copied, p freed.
 * The real krealloc runs except when it would move the object to a kmalloc-* cache: that new
 * object goes to the private cache of its class, as the trace's kmallocs do.
 */
static void replay_krealloc(struct op *op, struct object *o)
{
	size_t ks;
	void *p;
	int order = get_order(op->arg);
	unsigned long block_pfn = 0;
	int block_order = -1;

	if (op->arg == 0) {
		p = krealloc(o->ptr, 0, GFP_KERNEL);
		emit(";ptr=%s", p == ZERO_SIZE_PTR ? "ZERO_SIZE_PTR" : "other");
		if (o->ptr)
			slab_after_free(o);
		memset(o, 0, sizeof(*o));
		return;
	}
	if (!o->ptr) {
		/* krealloc(NULL or ZERO_SIZE_PTR, size) is kmalloc(size). */
		if (op->probe > 0) {
			private_kmalloc(o, op->probe, GFP_KERNEL, probe_cache[op->probe],
					probe_ksize[op->probe]);
			return;
		}
	}
	ks = o->ptr ? (o->real_ksize ? o->real_ksize : ksize(o->ptr)) : 0;
	if (o->ptr && op->arg <= ks) {
		p = krealloc(o->ptr, op->arg, GFP_KERNEL);
		emit(";moved=%s;ksize=%zu", p == o->ptr ? "no" : "yes", ks);
		return;
	}
	if (op->probe > 0) {
		struct object old = *o;

		private_kmalloc(o, op->probe, GFP_KERNEL, probe_cache[op->probe],
				probe_ksize[op->probe]);
		if (!o->ptr) {
			*o = old;
			return;
		}
		if (old.ptr) {
			emit(";moved=yes");
			memcpy(o->ptr, old.ptr, ks);
			kfree(old.ptr);
			slab_after_free(&old);
		}
		return;
	}
	if (split_visible(order))
		block_pfn = smallest_block(order, &block_order);
	p = krealloc(o->ptr, op->arg, GFP_KERNEL | __GFP_NOWARN);
	if (!p) {
		emit(";ptr=NULL");
		return;
	}
	if (o->ptr) {
		struct object old = *o;

		emit(";moved=%s", p == o->ptr ? "no" : "yes");
		slab_after_free(&old);
	}
	memset(o, 0, sizeof(*o));
	o->ptr = p;
	large_result(o, order, block_pfn, block_order);
}
static void replay_step(int n)
{
	struct op *op = &ops[n];
	struct object *o = op->slot >= 0 && op->slot < nids ? &objects[op->slot] : NULL;
	long before, after;
	unsigned long block_pfn = 0;
	int block_order = -1;

	emit("S %d op=%d", n + 1, op->kind);
	before = free_pages_now();
	switch (op->kind) {
	case OP_KMALLOC:
	case OP_KZALLOC: {
		gfp_t gfp = GFP_KERNEL | (op->kind == OP_KZALLOC ? __GFP_ZERO : 0);

		memset(o, 0, sizeof(*o));
		if (op->arg == 0) {
			o->ptr = kmalloc(0, gfp);
			emit(";ptr=%s", o->ptr == ZERO_SIZE_PTR ? "ZERO_SIZE_PTR" : "other");
			o->ptr = NULL;
		} else if (op->probe > 0) {
			private_kmalloc(o, op->probe, gfp, probe_cache[op->probe],
					probe_ksize[op->probe]);
		} else {
			int order = get_order(op->arg);

			if (split_visible(order))
				block_pfn = smallest_block(order, &block_order);
			o->ptr = kmalloc(op->arg, gfp | __GFP_NOWARN);
			if (!o->ptr) {
				emit(";ptr=NULL");
				break;
			}
			large_result(o, order, block_pfn, block_order);
		}
		break;
	}
	case OP_KMALLOC_ARRAY:
	case OP_KCALLOC:
	case OP_KVMALLOC_ARRAY:
	case OP_KVCALLOC: {
		unsigned long long bytes;
		bool overflow = check_mul_overflow(op->count, op->size, &bytes);

		array_or_kv(op, o, bytes, overflow);
		break;
	}
	case OP_KVMALLOC:
	case OP_KVZALLOC:
		array_or_kv(op, o, op->arg, false);
		break;
	case OP_KREALLOC:
		replay_krealloc(op, o);
		break;
	case OP_KVREALLOC:
		replay_kvrealloc(op, o);
		break;
	case OP_KVFREE: {
		struct object old = *o;

		kvfree(o->ptr);
		if (old.c && old.ptr)
			slab_after_free(&old);
		memset(o, 0, sizeof(*o));
		break;
	}
	case OP_CACHE_ALLOC: {
		struct tcache *c = &trace_caches[op->cache];

		memset(o, 0, sizeof(*o));
		if (!c->s) {
			emit(";ptr=NULL");
			break;
		}
		o->c = c;
		o->ptr = kmem_cache_alloc(c->s, GFP_KERNEL);
		if (!o->ptr) {
			emit(";ptr=NULL");
			break;
		}
		emit(";cache=%s", c->name);
		emit_geometry(c->s);
		emit(";ksize=%zu", ksize(o->ptr));
		place_object(o);
		break;
	}
	case OP_KFREE:
	case OP_CACHE_FREE:
		if (o->c && o->ptr)
			free_object(o);
		else if (o->ptr)
			kfree(o->ptr);
		memset(o, 0, sizeof(*o));
		break;
	case OP_PAGES:
		memset(o, 0, sizeof(*o));
		if (split_visible(op->arg))
			block_pfn = smallest_block(op->arg, &block_order);
		o->page = op->arg < MAX_ORDER ? alloc_pages(GFP_KERNEL | __GFP_NOWARN, op->arg) : NULL;
		if (!o->page) {
			emit(";ptr=NULL");
			break;
		}
		o->order = op->arg;
		emit(";order=%d", o->order);
		emit_split(op->arg, block_pfn, block_order, o->page);
		break;
	case OP_FREE_PAGES:
		if (o->page && !o->ptr)
			__free_pages(o->page, o->order);
		memset(o, 0, sizeof(*o));
		break;
	case OP_VMALLOC:
	case OP_VZALLOC: {
		memset(o, 0, sizeof(*o));
		o->ptr = op->kind == OP_VZALLOC ? vzalloc(op->arg) : vmalloc(op->arg);
		if (!o->ptr) {
			emit(";ptr=NULL");
			break;
		}
		vmalloc_result(o->ptr);
		break;
	}
	case OP_VFREE:
		vfree(o->ptr);
		memset(o, 0, sizeof(*o));
		break;
	case OP_CREATE: {
		struct tcache *c = &trace_caches[op->cache];
		struct kmem_cache *s = kmem_cache_create(c->name, op->arg, 0, 0, NULL);

		if (!s) {
			emit(";ptr=NULL");
			break;
		}
		if (track_cache(c, s, c->name)) {
			kmem_cache_destroy(s);
			break;
		}
		emit(";cache=%s", c->name);
		emit_geometry(s);
		break;
	}
	}
	after = free_pages_now();
	emit(";free_pages=%ld\n", after - before);
}

/* Frees what the trace left allocated and destroys the run's caches. */
static void cleanup_run(void)
{
	int i;

	for (i = 0; objects && i < nids; i++) {
		struct object *o = &objects[i];

		if (o->c && o->ptr)
			kmem_cache_free(o->c->s, o->ptr);
		else if (o->page && !o->ptr)
			__free_pages(o->page, o->order);
		else if (o->ptr && is_vmalloc_addr(o->ptr))
			vfree(o->ptr);
		else if (o->ptr)
			kfree(o->ptr);
	}
	for (i = 0; trace_caches && i < ncaches; i++)
		untrack_cache(&trace_caches[i], true);
	for (i = 0; i < 14; i++)
		untrack_cache(&private_caches[i], true);
	kvfree(objects);
	kvfree(trace_caches);
	kvfree(slabs);
	kvfree(ops);
	objects = NULL;
	trace_caches = NULL;
	slabs = NULL;
	ops = NULL;
	nops = nids = ncaches = nslabs = 0;
	memset(probe_cache, 0, sizeof(probe_cache));
	memset(probe_ksize, 0, sizeof(probe_ksize));
}

/* The next space-separated word of the line, copied (NUL-terminated) into `word`. */
static char *next_word(char **cursor)
{
	static char word[MAX_NAME + 16];
	char *p = *cursor;
	size_t len = 0;

	while (*p == ' ')
		p++;
	if (*p == '\n' || *p == 0)
		return NULL;
	while (*p && *p != ' ' && *p != '\n') {
		if (len + 1 < sizeof(word))
			word[len++] = *p;
		p++;
	}
	word[len] = 0;
	*cursor = p;
	return word;
}

static int word_ll(char **cursor, long long *value)
{
	char *w = next_word(cursor);

	return w ? kstrtoll(w, 10, value) : -EINVAL;
}

static int word_ull(char **cursor, unsigned long long *value)
{
	char *w = next_word(cursor);

	return w ? kstrtoull(w, 10, value) : -EINVAL;
}

/* The optional flags code of the kvmalloc family: 0 GFP_KERNEL, 1 GFP_NOWAIT, 2 GFP_ATOMIC. */
static int gfp_code(char **cursor, struct op *op)
{
	char *w = next_word(cursor);
	static const gfp_t codes[] = { GFP_KERNEL, GFP_NOWAIT, GFP_ATOMIC };
	unsigned int code;

	if (!w)
		return 0;
	if (kstrtouint(w, 10, &code) || code >= ARRAY_SIZE(codes))
		return -EINVAL;
	op->gfp = codes[code];
	return 0;
}

/*
 * Wire format, one operation a line, numbers in decimal:
 *   n IDS CACHES OPS          header (first line)
 *   m|z SLOT SIZE             kmalloc / kzalloc
 *   f SLOT                    kfree
 *   p SLOT ORDER / q SLOT     alloc_pages / free_pages
 *   v|w SLOT SIZE / u SLOT    vmalloc / vzalloc / vfree
 *   c CACHE SIZE NAME         kmem_cache_create
 *   a SLOT CACHE / d SLOT     kmem_cache_alloc / kmem_cache_free
 *   x|y SLOT N SIZE           kmalloc_array / kcalloc
 *   X|Y SLOT N SIZE [G]       kvmalloc_array / kvcalloc
 *   K|Z SLOT SIZE [G] / F SLOT  kvmalloc / kvzalloc / kvfree
 *                             (G: 0 GFP_KERNEL, 1 GFP_NOWAIT, 2 GFP_ATOMIC)
 *   k SLOT SIZE               krealloc (the slot's object, or NULL when it holds none)
 *   R SLOT OLDSIZE NEWSIZE    kvrealloc (6.1's signature)
 */
static int parse_trace(void)
{
	char *line = trace_buf, *end = trace_buf + trace_len;
	long long a, b, c;
	unsigned long long u;
	int n = 0;

	if (trace_len == 0 || line[0] != 'n')
		return -EINVAL;
	{
		char *cursor = line + 1;

		if (word_ll(&cursor, &a) || word_ll(&cursor, &b) || word_ll(&cursor, &c))
			return -EINVAL;
		if (a < 0 || b < 0 || c < 0 || a > 1000000 || b > 10000 || c > 1000000)
			return -EINVAL;
		nids = a;
		ncaches = b;
		nops = c;
	}
	ops = kvcalloc(nops + 1, sizeof(*ops), GFP_KERNEL);
	objects = kvcalloc(nids + 1, sizeof(*objects), GFP_KERNEL);
	trace_caches = kvcalloc(ncaches + 1, sizeof(*trace_caches), GFP_KERNEL);
	slabs = kvcalloc(nops + 1, sizeof(*slabs), GFP_KERNEL);
	if (!ops || !objects || !trace_caches || !slabs)
		return -ENOMEM;
	line = strchr(line, '\n');
	while (line && ++line < end && n < nops) {
		char *cursor = line + 1;
		char kind = *line;
		struct op *op = &ops[n];
		char *name;

		op->slot = -1;
		op->probe = -1;
		op->gfp = GFP_KERNEL;
		switch (kind) {
		case 'm': case 'z': case 'p': case 'v': case 'w':
			if (word_ll(&cursor, &a) || word_ll(&cursor, &b) || a < 0 || a >= nids || b < 0)
				return -EINVAL;
			op->kind = kind == 'm' ? OP_KMALLOC : kind == 'z' ? OP_KZALLOC :
				   kind == 'p' ? OP_PAGES : kind == 'v' ? OP_VMALLOC : OP_VZALLOC;
			op->slot = a;
			op->arg = b;
			break;
		case 'f': case 'q': case 'u': case 'd': case 'F':
			if (word_ll(&cursor, &a) || a < 0 || a >= nids)
				return -EINVAL;
			op->kind = kind == 'f' ? OP_KFREE : kind == 'q' ? OP_FREE_PAGES :
				   kind == 'u' ? OP_VFREE : kind == 'd' ? OP_CACHE_FREE : OP_KVFREE;
			op->slot = a;
			break;
		case 'k': case 'K': case 'Z':
			if (word_ll(&cursor, &a) || word_ull(&cursor, &u) || a < 0 || a >= nids ||
			    u > LLONG_MAX)
				return -EINVAL;
			op->kind = kind == 'k' ? OP_KREALLOC : kind == 'K' ? OP_KVMALLOC : OP_KVZALLOC;
			op->slot = a;
			op->arg = u;
			if (kind != 'k' && gfp_code(&cursor, op))
				return -EINVAL;
			break;
		case 'x': case 'y': case 'X': case 'Y': case 'R':
			if (word_ll(&cursor, &a) || word_ull(&cursor, &op->count) ||
			    word_ull(&cursor, &op->size) || a < 0 || a >= nids)
				return -EINVAL;
			op->kind = kind == 'x' ? OP_KMALLOC_ARRAY : kind == 'y' ? OP_KCALLOC :
				   kind == 'X' ? OP_KVMALLOC_ARRAY : kind == 'Y' ? OP_KVCALLOC :
				   OP_KVREALLOC;
			op->slot = a;
			if ((kind == 'X' || kind == 'Y') && gfp_code(&cursor, op))
				return -EINVAL;
			break;
		case 'c':
			if (word_ll(&cursor, &a) || word_ll(&cursor, &b) || a < 0 || a >= ncaches ||
			    b <= 0)
				return -EINVAL;
			name = next_word(&cursor);
			if (!name)
				return -EINVAL;
			op->kind = OP_CREATE;
			op->cache = a;
			op->arg = b;
			strscpy(trace_caches[a].name, name, MAX_NAME);
			break;
		case 'a':
			if (word_ll(&cursor, &a) || word_ll(&cursor, &b) || a < 0 || a >= nids ||
			    b < 0 || b >= ncaches)
				return -EINVAL;
			op->kind = OP_CACHE_ALLOC;
			op->slot = a;
			op->cache = b;
			break;
		default:
			return -EINVAL;
		}
		if ((op->kind == OP_KMALLOC || op->kind == OP_KZALLOC || op->kind == OP_KREALLOC ||
		     op->kind == OP_KVMALLOC || op->kind == OP_KVZALLOC) && small_size(op->arg))
			op->probe = kmalloc_index(op->arg);
		if (op->kind == OP_KMALLOC_ARRAY || op->kind == OP_KCALLOC ||
		    op->kind == OP_KVMALLOC_ARRAY || op->kind == OP_KVCALLOC) {
			unsigned long long bytes;

			if (!check_mul_overflow(op->count, op->size, &bytes) && small_size(bytes))
				op->probe = kmalloc_index(bytes);
		}
		if (op->kind == OP_KVREALLOC && small_size(op->size))
			op->probe = kmalloc_index(op->size);
		n++;
		line = strchr(line, '\n');
	}
	return n == nops ? 0 : -EINVAL;
}

/* The largest size of a kmalloc class (kmalloc_index's inverse, 6.1's classes). */
static unsigned int index_size(int index)
{
	return index == 1 ? 96 : index == 2 ? 192 : 1u << index;
}

/*
 * The kmalloc_array / kvmalloc family of up to 8 KiB: call the real function once, keep the
 * cache it chose and ksize, free the object (its facts are then the private cache's).
 */
static int probe_real(struct op *op)
{
	void *p;

	switch (op->kind) {
	case OP_KMALLOC_ARRAY:
		p = kmalloc_array(op->count, op->size, GFP_KERNEL);
		break;
	case OP_KCALLOC:
		p = kcalloc(op->count, op->size, GFP_KERNEL);
		break;
	case OP_KVMALLOC_ARRAY:
		p = kvmalloc_array(op->count, op->size, op->gfp);
		break;
	case OP_KVCALLOC:
		p = kvcalloc(op->count, op->size, op->gfp);
		break;
	case OP_KVMALLOC:
		p = kvmalloc(op->arg, op->gfp);
		break;
	case OP_KVZALLOC:
		p = kvzalloc(op->arg, op->gfp);
		break;
	case OP_KVREALLOC:
		/* kvrealloc's new memory is a kvmalloc of the new size. */
		p = kvmalloc(op->size, GFP_KERNEL);
		break;
	default:
		return 0;
	}
	if (!p)
		return -ENOMEM;
	op->real = cache_of(p);
	op->real_ksize = op->real ? ksize(p) : 0;
	kvfree(p);
	return 0;
}

/* Before the replay: probe the real kmalloc caches, create the private ones. */
static int prepare_caches(void)
{
	int i;

	for (i = 0; i < nops; i++) {
		int index = ops[i].probe;
		char name[MAX_NAME];
		struct kmem_cache *s;
		void *p;

		if (index <= 0)
			continue;
		if (probe_real(&ops[i]))
			return -ENOMEM;
		if (private_caches[index].s)
			continue;
		p = kmalloc(index_size(index), GFP_KERNEL);
		probe_cache[index] = cache_of(p);
		probe_ksize[index] = p ? ksize(p) : 0;
		kfree(p);
		snprintf(name, sizeof(name), "allocbook-%u", probe_cache[index] ?
			 probe_cache[index]->object_size : index_size(index));
		s = kmem_cache_create(name, probe_cache[index] ? probe_cache[index]->object_size :
				      index_size(index), 0, 0, NULL);
		if (!s || track_cache(&private_caches[index], s, name))
			return -ENOMEM;
	}
	return 0;
}

static ssize_t run_trace(void)
{
	int n, err;

	result_len = 0;
	err = parse_trace();
	if (!err) {
		result_cap = (size_t)nops * 256 + 4096;
		kvfree(result_buf);
		result_buf = kvmalloc(result_cap, GFP_KERNEL);
		if (!result_buf) {
			result_cap = 0;
			err = -ENOMEM;
		}
	}
	if (!err)
		err = prepare_caches();
	if (err) {
		cleanup_run();
		return err;
	}
	vm_unmap_aliases();
	rcu_barrier();
	msleep(100);
	for (n = 0; n < nops; n++)
		replay_step(n);
	emit("E %d cpu=%d\n", nops, raw_smp_processor_id());
	cleanup_run();
	return 0;
}

static ssize_t trace_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	if (*pos == 0)
		trace_len = 0;
	if (trace_len + count >= MAX_TRACE)
		return -EFBIG;
	if (copy_from_user(trace_buf + trace_len, buf, count))
		return -EFAULT;
	trace_len += count;
	trace_buf[trace_len] = 0;
	*pos += count;
	return count;
}

static ssize_t run_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	ssize_t err = run_trace();

	return err ? err : count;
}

static ssize_t result_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	return simple_read_from_buffer(buf, count, pos, result_buf, result_buf ? result_len : 0);
}

static const struct proc_ops trace_ops = { .proc_write = trace_write };
static const struct proc_ops run_ops = { .proc_write = run_write };
static const struct proc_ops result_ops = { .proc_read = result_read };

static int __init replay_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*lookup)(const char *name) = NULL;

	if (register_kprobe(&kp) == 0) {
		lookup = (void *)kp.addr;
		unregister_kprobe(&kp);
	}
	if (lookup)
		find_vm_area_fn = (void *)lookup("find_vm_area");
	trace_buf = vmalloc(MAX_TRACE);
	if (!trace_buf)
		return -ENOMEM;
	proc_create("allocbook_trace", 0200, NULL, &trace_ops);
	proc_create("allocbook_run", 0200, NULL, &run_ops);
	proc_create("allocbook_result", 0400, NULL, &result_ops);
	return 0;
}

static void __exit replay_exit(void)
{
	remove_proc_entry("allocbook_trace", NULL);
	remove_proc_entry("allocbook_run", NULL);
	remove_proc_entry("allocbook_result", NULL);
	vfree(trace_buf);
	kvfree(result_buf);
}

module_init(replay_init);
module_exit(replay_exit);
