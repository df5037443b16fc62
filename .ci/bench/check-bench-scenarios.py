#!/usr/bin/env python3
"""Inserts executable scenarios into every lesson of a content folder (for check-bench).

Usage: check-bench-scenarios.py CONTENT_DIR [PER_LESSON]   (default 5 per lesson)

Blocks go before the lesson's first level-2 headings (or at the end), rotating through
malloc and kernel templates; one in five malloc blocks is verify=glibc. The blocks carry no
expected lines: the benchmark fills them with `allocbook check --fix` once, then times
`allocbook check` on the passing corpus. Deterministic.
"""

import os
import sys

TEMPLATES = [
    ("malloc verify=glibc", [
        "mallopt(M_MMAP_THRESHOLD, 128 * 1024);", "A = malloc(30 * 1024);",
        "B = malloc(40 * 1024);", "C = malloc(200 * 1024);", "D = malloc(100 * 1024);",
        "free(C);", "free(B);", "free(D);", "mallinfo2();"]),
    ("kernel", [
        "p = kmalloc(30, GFP_KERNEL);", "q = kzalloc(100, GFP_KERNEL);", "ksize(q);",
        "kfree(p);", "kfree(q);", "cat /proc/buddyinfo"]),
    ("malloc", [
        "p = malloc(24);", "q = malloc(24);", "free(p);", "free(q);", "r = malloc(24);",
        "malloc_usable_size(r);", "malloc_stats();"]),
    ("kernel", [
        "v = vmalloc(4 * 4096);", "pg = alloc_pages(GFP_KERNEL, 2);", "__free_pages(pg, 2);",
        "vfree(v);", "cat /proc/vmallocinfo"]),
    ("kernel", [
        'c = kmem_cache_create("my_obj", 200, 0, 0, NULL);', "o = kmem_cache_alloc(c, GFP_KERNEL);",
        "kmem_cache_free(c, o);", "big = kmalloc(5 * 4096, GFP_KERNEL);", "kfree(big);"]),
]


def block(n):
    options, statements = TEMPLATES[n % len(TEMPLATES)]
    return "```scenario " + options + "\n" + "\n".join(statements) + "\n```\n"


def main():
    content = sys.argv[1]
    per_lesson = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    count = 0
    for name in sorted(os.listdir(content)):
        if not name.endswith(".md"):
            continue
        path = os.path.join(content, name)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        out, inserted, in_fence = [], 0, False
        for line in lines:
            if line.startswith("```") or line.startswith("~~~"):
                in_fence = not in_fence
            if not in_fence and line.startswith("## ") and inserted < per_lesson:
                out.append(block(count))
                count += 1
                inserted += 1
            out.append(line)
        while inserted < per_lesson:
            out.append(block(count))
            count += 1
            inserted += 1
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(out))
    print(f"inserted {count} scenarios")


if __name__ == "__main__":
    main()
