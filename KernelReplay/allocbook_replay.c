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
	       OP_VZALLOC, OP_VFREE, OP_CREATE, OP_CACHE_ALLOC, OP_CACHE_FREE };

struct op {
	int kind;
	int slot;
	long long arg;
	int cache;
	int probe; /* kmalloc: index of the probed real cache, -1 for none */
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

/* Free pages: the buddy free lists (NR_FREE_PAGES) plus every CPU's per-CPU page lists. */
static long free_pages_now(void)
{
	long total = global_zone_page_state(NR_FREE_PAGES);
	pg_data_t *pgdat = NODE_DATA(0);
	int z, cpu;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (!populated_zone(zone) || !zone->per_cpu_pageset)
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

static void free_object(struct object *o)
{
	struct tslab *slab = o->slab;

	kmem_cache_free(o->c->s, o->ptr);
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
			struct kmem_cache *real = probe_cache[op->probe];

			o->c = &private_caches[op->probe];
			o->ptr = kmem_cache_alloc(o->c->s, gfp);
			if (!o->ptr) {
				emit(";ptr=NULL");
				break;
			}
			emit(";cache=%s", real ? real->name : "?");
			if (real)
				emit_geometry(real);
			place_object(o);
		} else {
			int order = get_order(op->arg);

			if (split_visible(order))
				block_pfn = smallest_block(order, &block_order);
			o->ptr = kmalloc(op->arg, gfp | __GFP_NOWARN);
			if (!o->ptr) {
				emit(";ptr=NULL");
				break;
			}
			o->page = virt_to_head_page(o->ptr);
			emit(";order=%d", compound_order(o->page));
			emit_split(order, block_pfn, block_order, o->page);
		}
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
		struct vm_struct *vm;

		memset(o, 0, sizeof(*o));
		o->ptr = op->kind == OP_VZALLOC ? vzalloc(op->arg) : vmalloc(op->arg);
		if (!o->ptr) {
			emit(";ptr=NULL");
			break;
		}
		vm = find_vm_area_fn ? find_vm_area_fn(o->ptr) : NULL;
		if (vm) {
			struct kmem_cache *array = cache_of(vm->pages);

			emit(";size=%lu;pages=%u", vm->size, vm->nr_pages);
			emit(";page_array=%s", is_vmalloc_addr(vm->pages) ? "vmalloc" :
					       array ? array->name : "?");
			array = cache_of(vm);
			emit(";vm_struct=%s", array ? array->name : "?");
		}
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

/*
 * Wire format, one operation a line, numbers in decimal:
 *   n IDS CACHES OPS          header (first line)
 *   m|z SLOT SIZE             kmalloc / kzalloc
 *   f SLOT                    kfree
 *   p SLOT ORDER / q SLOT     alloc_pages / free_pages
 *   v|w SLOT SIZE / u SLOT    vmalloc / vzalloc / vfree
 *   c CACHE SIZE NAME         kmem_cache_create
 *   a SLOT CACHE / d SLOT     kmem_cache_alloc / kmem_cache_free
 */
static int parse_trace(void)
{
	char *line = trace_buf, *end = trace_buf + trace_len;
	long long a, b, c;
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
		switch (kind) {
		case 'm': case 'z': case 'p': case 'v': case 'w':
			if (word_ll(&cursor, &a) || word_ll(&cursor, &b) || a < 0 || a >= nids || b < 0)
				return -EINVAL;
			op->kind = kind == 'm' ? OP_KMALLOC : kind == 'z' ? OP_KZALLOC :
				   kind == 'p' ? OP_PAGES : kind == 'v' ? OP_VMALLOC : OP_VZALLOC;
			op->slot = a;
			op->arg = b;
			break;
		case 'f': case 'q': case 'u': case 'd':
			if (word_ll(&cursor, &a) || a < 0 || a >= nids)
				return -EINVAL;
			op->kind = kind == 'f' ? OP_KFREE : kind == 'q' ? OP_FREE_PAGES :
				   kind == 'u' ? OP_VFREE : OP_CACHE_FREE;
			op->slot = a;
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
		if ((op->kind == OP_KMALLOC || op->kind == OP_KZALLOC) && op->arg > 0 &&
		    op->arg <= KMALLOC_MAX_CACHE_SIZE)
			op->probe = kmalloc_index(op->arg);
		n++;
		line = strchr(line, '\n');
	}
	return n == nops ? 0 : -EINVAL;
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

		if (index <= 0 || private_caches[index].s)
			continue;
		p = kmalloc(ops[i].arg, GFP_KERNEL);
		probe_cache[index] = cache_of(p);
		kfree(p);
		snprintf(name, sizeof(name), "allocbook-%u", probe_cache[index] ?
			 probe_cache[index]->object_size : (unsigned int)ops[i].arg);
		s = kmem_cache_create(name, probe_cache[index] ? probe_cache[index]->object_size :
				      ops[i].arg, 0, 0, NULL);
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
