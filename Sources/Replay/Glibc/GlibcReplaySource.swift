/// The C source of the real-glibc replayer, the only copy in the repository.
///
/// `allocbook` carries it inside its binary and `GlibcReplayInstaller` compiles it once with
/// the machine's C compiler into a cache keyed by the hash of this text (so a copied
/// `allocbook` still verifies `verify=glibc` blocks). Edit it below; it is C, in a raw string.
enum GlibcReplaySource {
    /// The program text (C, gnu11, libc only).
    static let text = cProgram
}

private let cProgram = #"""
    /*
     * glibc-replay: replays an AllocBook glibc trace against this machine's real glibc malloc
     * and prints the same JSON lines as `allocbook trace --model glibc`.
     *
     * usage: glibc-replay [-q] [FILE|-]
     *        glibc-replay --layout
     *   --layout prints where this process's mmaps go, {"mmap_top":"0x…","hole_low":"0x…",
     *       "hole_high":"0x…"}: the lowest mapping of ld.so's (libc's) area and the first gap above
     *       it. They move with the size of /etc/ld.so.cache, which ld.so maps while loading libc.
     *   -q  quiet: no per-step output and no mallinfo2 calls; prints one line
     *       {"steps":N,"replay_ns":T} at the end (for the benchmark).
     *
     * It must not disturb the heap it measures: no stdio, no malloc of its own. The input is
     * read with read(2) into a static buffer and parsed in place; each step's line is written
     * with write(2) as soon as the step ends, so an abort loses nothing (glibc writes the abort
     * message to stderr; the caller turns the exit status into the final abort/signal line).
     * Offsets are relative to sbrk(0) read at the start of main (the initial break). It runs
     * with ASLR off (re-executing itself with personality ADDR_NO_RANDOMIZE unless
     * GLIBC_REPLAY_ASLR is set), so absolute addresses, and the stale safe-linked pointers an
     * invalid free may read, are those of the model. A pointer
     * is mmapped when its chunk header (the word at p-8) has the 0x2 bit.
     *
     * Transparent huge pages are switched off for the process (PR_SET_THP_DISABLE), so that the
     * resident heap pages of a malloc_trim step (mincore) are counted in 4 KiB pages, as in the model.
     *
     * If GLIBC_TUNABLES or any MALLOC_*_ variable is set, the program re-executes itself
     * without them first, since they change malloc's parameters before main runs.
     *
     * Clean heap: this file travels inside `allocbook` (GlibcReplaySource.swift in Replay)
     * and is compiled with the machine's C compiler alone, so the process links only libc and
     * its heap is pristine at main. (A SwiftPM-built executable would not do: it links the Swift
     * runtime and libstdc++, whose start-up code mallocs a 72 KiB exception pool before main.)
     */
    #define _GNU_SOURCE
    #include <errno.h>
    #include <sys/mman.h>
    #include <sys/personality.h>
    #include <sys/prctl.h>
    #include <pthread.h>
    #include <semaphore.h>
    #include <stdio.h>
    #include <sys/stat.h>
    #include <sys/wait.h>
    #include <fcntl.h>
    #include <malloc.h>
    #include <stdint.h>
    #include <stdlib.h>
    #include <string.h>
    #include <time.h>
    #include <unistd.h>

    extern char **environ;

    #define INPUT_MAX (256u << 20)
    #define MAX_SLOTS (1u << 21) /* hash table size; at most half used */
    #define MAX_ENV 4096

    static char *input; /* INPUT_MAX + 1 bytes, mapped far from the heap and mmap area */
    static uintptr_t heap_base;

    struct slot {
        const char *name;
        uint32_t len;
        void *ptr;
    };
    static struct slot *slots; /* MAX_SLOTS */
    static uint32_t slot_count;

    /* The whole trace is parsed first (nothing runs when a line is malformed), then replayed. */
    #define MAX_OPS (8u << 20)
    struct op {
        uint8_t kind;
        uint8_t thread; /* 0: main; k: the k-th thread named in the trace */
        int32_t param; /* mallopt */
        struct slot *slot;
        uint64_t a, b, offset;
    };
    static struct op *ops; /* MAX_OPS */

    /* Threads: `thread NAME: OP …` runs OP on thread NAME, created (by the main thread, with an
     * explicit 8 MiB stack) just before its first operation. One thread runs at a time: the main
     * thread hands each operation over with the thread's semaphore and waits for `done`. Their
     * bookkeeping lives in the working memory, not in bss. */
    #define MAX_THREADS 64
    struct thread_slot {
        const char *name;
        uint32_t len;
        int started;
        pthread_t id;
        sem_t go;
    };
    static struct thread_slot *threads; /* MAX_THREADS; [0] is the main thread */
    static uint32_t thread_count = 1;
    static sem_t *done;
    static uint32_t op_count;

    static void write_all(int fd, const char *p, size_t n) {
        while (n > 0) {
            ssize_t w = write(fd, p, n);
            if (w < 0) {
                if (errno == EINTR) continue;
                return;
            }
            p += w;
            n -= (size_t)w;
        }
    }

    static void die(const char *msg, unsigned long line) {
        char buf[256];
        size_t k = 0;
        const char *prefix = "glibc-replay: error: line ";
        while (*prefix && k < 200) buf[k++] = *prefix++;
        char digits[24];
        int d = 0;
        do { digits[d++] = (char)('0' + line % 10); line /= 10; } while (line);
        while (d) buf[k++] = digits[--d];
        buf[k++] = ':';
        buf[k++] = ' ';
        while (*msg && k < 250) buf[k++] = *msg++;
        buf[k++] = '\n';
        write_all(2, buf, k);
        _exit(2);
    }

    /* ---- output ---- */
    static char out[512];
    static size_t out_len;
    static void put_str(const char *s) { while (*s) out[out_len++] = *s++; }
    static void put_dec(uint64_t v) {
        char d[24];
        int n = 0;
        do { d[n++] = (char)('0' + v % 10); v /= 10; } while (v);
        while (n) out[out_len++] = d[--n];
    }
    static void put_hex(uint64_t v) {
        int shift = 60;
        while (shift > 0 && ((v >> shift) & 15) == 0) shift -= 4;
        for (; shift >= 0; shift -= 4) out[out_len++] = "0123456789abcdef"[(v >> shift) & 15];
    }

    /* ---- parsing ---- */
    static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

    /* Decimal or 0x-hex with an optional K/M/G suffix. Returns 0 on success. */
    static int parse_number(const char *s, size_t n, uint64_t *value) {
        unsigned shift = 0;
        if (n == 0) return -1;
        char last = s[n - 1];
        if (last == 'K' || last == 'k') shift = 10;
        else if (last == 'M' || last == 'm') shift = 20;
        else if (last == 'G' || last == 'g') shift = 30;
        if (shift) n--;
        uint64_t radix = 10, v = 0;
        size_t i = 0;
        if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) { radix = 16; i = 2; }
        if (i >= n) return -1;
        for (; i < n; i++) {
            char c = s[i];
            uint64_t digit;
            if (c >= '0' && c <= '9') digit = (uint64_t)(c - '0');
            else if (radix == 16 && c >= 'a' && c <= 'f') digit = (uint64_t)(c - 'a' + 10);
            else if (radix == 16 && c >= 'A' && c <= 'F') digit = (uint64_t)(c - 'A' + 10);
            else return -1;
            if (v > (UINT64_MAX - digit) / radix) return -1;
            v = v * radix + digit;
        }
        if (shift) {
            if (v > (UINT64_MAX >> shift)) return -1;
            v <<= shift;
        }
        *value = v;
        return 0;
    }

    static struct slot *lookup(const char *name, uint32_t len, int create) {
        uint64_t h = 1469598103934665603ull;
        for (uint32_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
        uint32_t k = (uint32_t)h & (MAX_SLOTS - 1);
        for (;;) {
            struct slot *s = &slots[k];
            if (s->name == NULL) {
                if (!create) return NULL;
                if (slot_count >= MAX_SLOTS / 2) return NULL;
                slot_count++;
                s->name = name;
                s->len = len;
                return s;
            }
            if (s->len == len && memcmp(s->name, name, len) == 0) return s;
            k = (k + 1) & (MAX_SLOTS - 1);
        }
    }

    static int is_identifier(const char *s, size_t n) {
        if (n == 0) return 0;
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '_'))
                return 0;
        }
        return 1;
    }

    /* ---- environment scrubbing ---- */
    static int is_malloc_var(const char *e) {
        if (strncmp(e, "GLIBC_TUNABLES=", 15) == 0) return 1;
        if (strncmp(e, "MALLOC_", 7) != 0) return 0;
        const char *eq = strchr(e, '=');
        return eq != NULL && eq > e + 7 && eq[-1] == '_';
    }

    /* Re-executes without GLIBC_TUNABLES/MALLOC_*_ and with ASLR off (personality
     * ADDR_NO_RANDOMIZE), so that the heap starts at 0x555555559000 as in the model and the
     * stale safe-linked pointers that invalid frees read have the model's values. */
    static void scrub_environment(char **argv) {
        char *clean_env[MAX_ENV];
        int dirty = 0, n = 0;
        int persona = personality(0xffffffff);
        if (persona != -1 && !(persona & ADDR_NO_RANDOMIZE) && !getenv("GLIBC_REPLAY_ASLR")) {
            if (personality((unsigned long)persona | ADDR_NO_RANDOMIZE) != -1) dirty = 1;
        }
        for (char **e = environ; *e; e++) {
            if (is_malloc_var(*e)) dirty = 1;
            else if (n < MAX_ENV - 1) clean_env[n++] = *e;
        }
        if (!dirty) return;
        clean_env[n] = NULL;
        execve("/proc/self/exe", argv, clean_env);
        die("cannot re-execute without GLIBC_TUNABLES/MALLOC_*_", 0);
    }



    static uint64_t now_ns(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
    }

    enum op_kind {
        OP_MALLOC, OP_CALLOC, OP_REALLOC, OP_FREE, OP_MALLOPT, OP_WRITE,
        OP_MEMALIGN, OP_ALIGNED_ALLOC, OP_POSIX_MEMALIGN, OP_VALLOC, OP_PVALLOC,
        OP_USABLE, OP_TRIM, OP_READ, OP_EXIT
    };

    /* Resident pages of [heap_base, sbrk(0)), counted with mincore without allocating. */
    static unsigned char *mincore_vec; /* MINCORE_PAGES bytes in the working memory (not in bss:
                                         * the break must stay where a small program has it) */
    #define MINCORE_PAGES 4096u
    static uint64_t resident_heap_pages(void) {
        unsigned char *vec = mincore_vec;
        uint64_t count = 0;
        uintptr_t end = (uintptr_t)sbrk(0);
        for (uintptr_t a = heap_base; a < end; a += MINCORE_PAGES * 4096ul) {
            size_t len = end - a < MINCORE_PAGES * 4096ul ? end - a : MINCORE_PAGES * 4096ul;
            if (mincore((void *)a, len, vec) != 0) die("mincore failed", 0);
            for (size_t i = 0; i < (len + 4095) / 4096; i++) count += vec[i] & 1;
        }
        return count;
    }

    /* The result of the operation just run (by whichever thread ran it). */
    static int has_ptr, has_ret, has_value;
    static uint64_t ret, value;
    static void *result;

    static void run_op(const struct op *o) {
        struct slot *s = o->slot;
        uint64_t a = o->a, b = o->b, offset = o->offset;
        has_ptr = has_ret = has_value = 0;
        ret = value = 0;
        result = NULL;
        switch ((enum op_kind)o->kind) {
        case OP_MALLOPT:
            ret = (uint64_t)mallopt(o->param, (int)(int64_t)a);
            has_ret = 1;
            break;
        case OP_MEMALIGN:
        case OP_ALIGNED_ALLOC:
        case OP_VALLOC:
        case OP_PVALLOC:
            if (o->kind == OP_MEMALIGN) result = memalign((size_t)a, (size_t)b);
            else if (o->kind == OP_ALIGNED_ALLOC) result = aligned_alloc((size_t)a, (size_t)b);
            else if (o->kind == OP_VALLOC) result = valloc((size_t)a);
            else result = pvalloc((size_t)a);
            s->ptr = result;
            has_ptr = 1;
            break;
        case OP_POSIX_MEMALIGN: {
            void *p = NULL;
            ret = (uint64_t)posix_memalign(&p, (size_t)a, (size_t)b);
            if (ret == 0) s->ptr = p;
            result = ret == 0 ? p : NULL;
            has_ptr = has_ret = 1;
            break;
        }
        case OP_USABLE:
            ret = malloc_usable_size(s->ptr == NULL && offset == 0 ? NULL : (char *)s->ptr + offset);
            has_ret = 1;
            break;
        case OP_TRIM:
            ret = (uint64_t)malloc_trim((size_t)a);
            has_ret = 1;
            break;
        case OP_READ:
            value = *(volatile uint64_t *)((char *)s->ptr + offset);
            has_value = 1;
            break;
        case OP_MALLOC:
            result = malloc((size_t)a);
            s->ptr = result;
            has_ptr = 1;
            break;
        case OP_CALLOC:
            result = calloc((size_t)a, (size_t)b);
            s->ptr = result;
            has_ptr = 1;
            break;
        case OP_REALLOC: {
            void *old = s->ptr;
            result = realloc(old, (size_t)a);
            if (result != NULL || a == 0 || old == NULL) s->ptr = result;
            has_ptr = 1;
            break;
        }
        case OP_WRITE:
            *(volatile uint64_t *)((char *)s->ptr + offset) = a;
            break;
        case OP_FREE: {
            void *target = s->ptr == NULL && offset == 0 ? NULL : (char *)s->ptr + offset;
            free(target);
            break;
        }
        }
    }

    static const struct op *volatile handed_op;

    static void *thread_main(void *arg) {
        struct thread_slot *t = arg;
        for (;;) {
            while (sem_wait(&t->go) != 0) {}
            /* `exit`: return; start_thread runs __libc_thread_freeres (tcache_thread_shutdown,
             * arena_thread_freeres) and the main thread joins. */
            if (handed_op->kind == OP_EXIT) return NULL;
            run_op(handed_op);
            sem_post(done);
        }
        return NULL;
    }

    /* Runs operation `o` on its thread: the main thread itself, or a handover. */
    static void dispatch(const struct op *o) {
        if (o->thread == 0) {
            run_op(o);
            return;
        }
        struct thread_slot *t = &threads[o->thread];
        if (!t->started) {
            pthread_attr_t attr;
            pthread_attr_init(&attr);
            pthread_attr_setstacksize(&attr, 8u << 20);
            sem_init(&t->go, 0, 0);
            if (pthread_create(&t->id, &attr, thread_main, t) != 0) die("cannot create a thread", 0);
            t->started = 1;
        }
        handed_op = o;
        sem_post(&t->go);
        if (o->kind == OP_EXIT) {
            /* The join puts the thread's stack in nptl's stack cache; a later operation on this
             * thread name starts a new thread, which reuses it. */
            if (pthread_join(t->id, NULL) != 0) die("cannot join a thread", 0);
            sem_destroy(&t->go);
            t->started = 0;
            has_ptr = has_ret = has_value = 0;
            ret = value = 0;
            result = NULL;
            return;
        }
        while (sem_wait(done) != 0) {}
    }

    extern char __executable_start;

    /* --layout: reads /proc/self/maps (into a stack buffer: no malloc, no bss). */
    static void print_layout(void) {
        char maps[32768];
        int fd = open("/proc/self/maps", O_RDONLY);
        if (fd < 0) die("cannot read /proc/self/maps", 0);
        size_t n = 0;
        for (;;) {
            ssize_t r = read(fd, maps + n, sizeof maps - 1 - n);
            if (r <= 0) break;
            n += (size_t)r;
        }
        close(fd);
        maps[n] = 0;
        uint64_t top = 0, hole_low = 0, hole_high = 0, prev_end = 0;
        for (char *line = maps; *line;) {
            char *end;
            uint64_t start = strtoull(line, &end, 16);
            uint64_t stop = strtoull(end + 1, NULL, 16);
            if (start >= 0x7f0000000000ull) {
                if (top == 0) top = start;
                else if (hole_low == 0 && start != prev_end) { hole_low = prev_end; hole_high = start; }
                prev_end = stop;
            }
            char *nl = strchr(line, '\n');
            if (!nl) break;
            line = nl + 1;
        }
        out_len = 0;
        put_str("{\"mmap_top\":\"0x");
        put_hex(top);
        put_str("\",\"hole_low\":\"0x");
        put_hex(hole_low);
        put_str("\",\"hole_high\":\"0x");
        put_hex(hole_high);
        put_str("\"}\n");
        write_all(1, out, out_len);
    }

    int main(int argc, char **argv) {
        prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
        scrub_environment(argv);
        /* A small program's break starts 0x5000 after its load address (0x555555559000 with ASLR
         * off); start there too if this binary happens to be smaller. */
        uintptr_t small_program_break = (uintptr_t)&__executable_start + 0x5000;
        if ((uintptr_t)sbrk(0) < small_program_break)
            sbrk((intptr_t)(small_program_break - (uintptr_t)sbrk(0)));
        heap_base = (uintptr_t)sbrk(0);
    #ifdef GLIBC_REPLAY_CLEAN
        /* A bigger binary (a large bss) would start the heap higher, and every aligned address
         * (memalign) would then differ from the model's: refuse rather than drift. */
        if (heap_base != small_program_break && !getenv("GLIBC_REPLAY_ASLR"))
            die("the clean replayer's break does not start where a small program's does", 0);
    #endif

        /* Working memory far below the mmap area (which grows down from below libc), so that
         * malloc's own mappings land where they would in a small program. */
        const size_t input_bytes = (INPUT_MAX + 4096) & ~(size_t)4095;
        const size_t slot_bytes = (size_t)MAX_SLOTS * sizeof(struct slot);
        const size_t op_bytes = (size_t)MAX_OPS * sizeof(struct op);
        const size_t thread_bytes = MAX_THREADS * sizeof(struct thread_slot) + sizeof(sem_t);
        char *work = mmap((void *)0x200000000000ul,
                          input_bytes + slot_bytes + op_bytes + MINCORE_PAGES + thread_bytes,
                          PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (work == MAP_FAILED) die("cannot map working memory", 0);
        input = work;
        slots = (struct slot *)(work + input_bytes);
        ops = (struct op *)(work + input_bytes + slot_bytes);
        mincore_vec = (unsigned char *)(work + input_bytes + slot_bytes + op_bytes);
        threads = (struct thread_slot *)(work + input_bytes + slot_bytes + op_bytes + MINCORE_PAGES);
        done = (sem_t *)(threads + MAX_THREADS);
        sem_init(done, 0, 0);

        int quiet = 0;
        const char *path = "-";
        for (int i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--layout") == 0) {
                print_layout();
                return 0;
            }
            if (strcmp(argv[i], "-q") == 0) quiet = 1;
            else path = argv[i];
        }
        int fd = 0;
        if (strcmp(path, "-") != 0) {
            fd = open(path, O_RDONLY);
            if (fd < 0) die("cannot open the trace", 0);
        }
        size_t len = 0;
        for (;;) {
            if (len == INPUT_MAX) die("trace too large", 0);
            ssize_t r = read(fd, input + len, INPUT_MAX - len);
            if (r < 0) {
                if (errno == EINTR) continue;
                die("cannot read the trace", 0);
            }
            if (r == 0) break;
            len += (size_t)r;
        }
        input[len] = '\n';

        unsigned long line = 0;
        char *p = input, *end = input + len;
        while (p < end) {
            line++;
            char *eol = memchr(p, '\n', (size_t)(end + 1 - p));
            char *stop = eol;
            char *hash = memchr(p, '#', (size_t)(eol - p));
            if (hash) stop = hash;
            /* an optional `thread NAME:` prefix, then at most 5 fields */
            uint8_t thread = 0;
            {
                char *t = p;
                while (t < stop && is_space(*t)) t++;
                if (stop - t > 7 && memcmp(t, "thread", 6) == 0 && is_space(t[6])) {
                    t += 6;
                    while (t < stop && is_space(*t)) t++;
                    char *name = t;
                    while (t < stop && *t != ':' && !is_space(*t)) t++;
                    if (t >= stop || *t != ':' || !is_identifier(name, (size_t)(t - name)))
                        die("expected 'thread NAME:'", line);
                    size_t name_len = (size_t)(t - name);
                    if (!(name_len == 4 && memcmp(name, "main", 4) == 0)) {
                        uint32_t k = 1;
                        while (k < thread_count &&
                               !(threads[k].len == name_len && memcmp(threads[k].name, name, name_len) == 0))
                            k++;
                        if (k == thread_count) {
                            if (thread_count == MAX_THREADS) die("too many threads", line);
                            threads[k].name = name;
                            threads[k].len = (uint32_t)name_len;
                            thread_count++;
                        }
                        thread = (uint8_t)k;
                    }
                    p = t + 1;
                }
            }
            const char *f[5];
            size_t fl[5];
            int nf = 0;
            char *q = p;
            while (q < stop) {
                while (q < stop && is_space(*q)) q++;
                if (q >= stop) break;
                char *s = q;
                while (q < stop && !is_space(*q)) q++;
                if (nf == 5) die("too many fields", line);
                f[nf] = s;
                fl[nf] = (size_t)(q - s);
                nf++;
            }
            p = eol + 1;
            if (nf == 0) continue;
            if (op_count == MAX_OPS) die("too many operations", line);
            struct op *o = &ops[op_count++];
            o->thread = thread;

            enum op_kind kind;
    #define IS(word) (fl[0] == sizeof(word) - 1 && memcmp(f[0], word, sizeof(word) - 1) == 0)
            if (IS("malloc")) kind = OP_MALLOC;
            else if (IS("calloc")) kind = OP_CALLOC;
            else if (IS("realloc")) kind = OP_REALLOC;
            else if (IS("free")) kind = OP_FREE;
            else if (IS("mallopt")) kind = OP_MALLOPT;
            else if (IS("write")) kind = OP_WRITE;
            else if (IS("memalign")) kind = OP_MEMALIGN;
            else if (IS("aligned_alloc")) kind = OP_ALIGNED_ALLOC;
            else if (IS("posix_memalign")) kind = OP_POSIX_MEMALIGN;
            else if (IS("valloc")) kind = OP_VALLOC;
            else if (IS("pvalloc")) kind = OP_PVALLOC;
            else if (IS("malloc_usable_size")) kind = OP_USABLE;
            else if (IS("malloc_trim")) kind = OP_TRIM;
            else if (IS("read")) kind = OP_READ;
            else if (IS("exit")) kind = OP_EXIT;
            else die("unknown operation", line);
    #undef IS
            static const int arity[] = {3, 4, 3, 2, 3, 3, 4, 4, 4, 3, 3, 2, 2, 2, 1};
            if (nf != arity[kind]) die("wrong number of fields", line);
            o->kind = (uint8_t)kind;
            if (kind == OP_EXIT) {
                if (thread == 0) die("exit needs a 'thread NAME:' prefix", line);
                continue;
            }
            if (kind == OP_MALLOPT) {
                int param;
    #define NAME(word) (fl[1] == sizeof(word) - 1 && memcmp(f[1], word, sizeof(word) - 1) == 0)
                if (NAME("M_MXFAST")) param = M_MXFAST;
                else if (NAME("M_TRIM_THRESHOLD")) param = M_TRIM_THRESHOLD;
                else if (NAME("M_TOP_PAD")) param = M_TOP_PAD;
                else if (NAME("M_MMAP_THRESHOLD")) param = M_MMAP_THRESHOLD;
                else if (NAME("M_MMAP_MAX")) param = M_MMAP_MAX;
                else if (NAME("M_CHECK_ACTION")) param = M_CHECK_ACTION;
                else if (NAME("M_PERTURB")) param = M_PERTURB;
                else if (NAME("M_ARENA_TEST")) param = M_ARENA_TEST;
                else if (NAME("M_ARENA_MAX")) param = M_ARENA_MAX;
                else die("unknown mallopt parameter", line);
    #undef NAME
                int negative = fl[2] > 0 && f[2][0] == '-';
                uint64_t magnitude;
                if (parse_number(f[2] + negative, fl[2] - (size_t)negative, &magnitude) != 0)
                    die("invalid value", line);
                if (negative ? magnitude > (1ull << 31) : magnitude > 0x7fffffffull)
                    die("invalid value", line);
                o->param = param;
                o->a = negative ? (uint64_t)(0 - (int64_t)magnitude) : magnitude;
                continue;
            }
            if (kind == OP_TRIM) {
                if (parse_number(f[1], fl[1], &o->a) != 0) die("invalid pad", line);
                continue;
            }
            const char *name = f[1];
            size_t name_len = fl[1];
            if (kind == OP_FREE || kind == OP_WRITE || kind == OP_USABLE || kind == OP_READ) {
                const char *plus = memchr(name, '+', name_len);
                if (plus) {
                    if (parse_number(plus + 1, name_len - (size_t)(plus + 1 - name), &o->offset) != 0)
                        die("invalid offset", line);
                    name_len = (size_t)(plus - name);
                }
            }
            if (!is_identifier(name, name_len)) die("invalid ID", line);
            int creates = kind == OP_MALLOC || kind == OP_CALLOC || (kind >= OP_MEMALIGN && kind <= OP_PVALLOC);
            o->slot = lookup(name, (uint32_t)name_len, creates);
            if (o->slot == NULL) die(creates ? "too many IDs" : "unknown ID", line);
            int sizes = arity[kind] - 2; /* numbers after the ID */
            if (sizes >= 1 && parse_number(f[2], fl[2], &o->a) != 0) die("invalid size", line);
            if (sizes >= 2 && parse_number(f[3], fl[3], &o->b) != 0) die("invalid size", line);
            if ((kind == OP_WRITE || kind == OP_READ) && o->offset % 8 != 0)
                die("offset not a multiple of 8", line);
        }

        uint64_t start = quiet ? now_ns() : 0;
        uint64_t steps = 0;
        for (uint32_t k = 0; k < op_count; k++) {
            const struct op *o = &ops[k];
            steps++;
            dispatch(o);
            if (quiet) continue;

            out_len = 0;
            put_str("{\"step\":");
            put_dec(steps);
            if (has_ptr) {
                put_str(",\"ptr\":");
                if (result == NULL) {
                    put_str("null");
                } else {
                    uint64_t head = ((uint64_t *)result)[-1];
                    if (head & 2) {
                        put_str("{\"mmap\":true,\"chunk\":");
                    } else if (head & 4) {
                        put_str("{\"nonmain\":\"0x");
                        put_hex((uint64_t)(uintptr_t)result);
                        put_str("\",\"chunk\":");
                    } else {
                        put_str("{\"heap\":\"0x");
                        put_hex((uint64_t)((uintptr_t)result - heap_base));
                        put_str("\",\"chunk\":");
                    }
                    put_dec(head & ~(uint64_t)7);
                    put_str("}");
                }
            }
            if (has_ret) {
                put_str(",\"ret\":");
                put_dec(ret);
            }
            if (has_value) {
                put_str(",\"value\":\"0x");
                put_hex(value);
                put_str("\"");
            }
            if (o->kind == OP_TRIM) {
                put_str(",\"resident\":");
                put_dec(resident_heap_pages());
            }
            struct mallinfo2 mi = mallinfo2();
            put_str(",\"brk\":\"0x");
            put_hex((uint64_t)((uintptr_t)sbrk(0) - heap_base));
            put_str("\",\"arena\":");
            put_dec(mi.arena);
            put_str(",\"ordblks\":");
            put_dec(mi.ordblks);
            put_str(",\"smblks\":");
            put_dec(mi.smblks);
            put_str(",\"hblks\":");
            put_dec(mi.hblks);
            put_str(",\"hblkhd\":");
            put_dec(mi.hblkhd);
            put_str(",\"uordblks\":");
            put_dec(mi.uordblks);
            put_str(",\"fsmblks\":");
            put_dec(mi.fsmblks);
            put_str(",\"fordblks\":");
            put_dec(mi.fordblks);
            put_str(",\"keepcost\":");
            put_dec(mi.keepcost);
            put_str("}\n");
            write_all(1, out, out_len);
        }
        if (quiet) {
            uint64_t elapsed = now_ns() - start;
            out_len = 0;
            put_str("{\"steps\":");
            put_dec(steps);
            put_str(",\"replay_ns\":");
            put_dec(elapsed);
            put_str("}\n");
            write_all(1, out, out_len);
        }
        return 0;
    }
    """#
