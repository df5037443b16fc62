#!/usr/bin/env python3
"""Proof that the playground runs the same models as allocbook.

Runs every scenario of the course (from the built site's assets/scenarios.js, session prefixes
included) and seeded random scenarios of both models through the native runner
(`allocbook run --wire`) and through the WebAssembly module in wasmtime, and requires identical
results: the same output lines, the same diagnostics, the same final SVG and, for the course and
some random runs, the same SVG of every step. It also checks the budgets (statements, memory)
and that a run after a trap works.

Usage: differential.py ALLOCBOOK PLAYGROUND.wasm SCENARIOS.js [--seeds N] [--statements N]
"""
import argparse
import json
import random
import subprocess
import sys
import time

import wasmtime


class Module:
    """The playground module in wasmtime, called as playground.js calls it."""

    def __init__(self, path):
        self.engine = wasmtime.Engine()
        self.module = wasmtime.Module.from_file(self.engine, path)
        self.fresh()

    def fresh(self):
        """A new instance, with the four WASI functions the C library imports, as
        playground.js gives them: output is collected, random bytes are zeros."""
        self.store = wasmtime.Store(self.engine)
        self.stderr = b""
        i32 = wasmtime.ValType.i32()
        i64 = wasmtime.ValType.i64()

        def fd_write(caller, fd, iovs, count, written):
            mem = caller["memory"]
            total = 0
            for k in range(count):
                base = int.from_bytes(mem.read(caller, iovs + 8 * k, iovs + 8 * k + 4), "little")
                size = int.from_bytes(mem.read(caller, iovs + 8 * k + 4, iovs + 8 * k + 8), "little")
                self.stderr += mem.read(caller, base, base + size)
                total += size
            mem.write(caller, total.to_bytes(4, "little"), written)
            return 0

        def random_get(caller, buf, size):
            caller["memory"].write(caller, bytes(size), buf)
            return 0

        funcs = {
            "fd_close": (wasmtime.FuncType([i32], [i32]), lambda fd: 0, False),
            "fd_seek": (wasmtime.FuncType([i32, i64, i32, i32], [i32]), lambda *a: 0, False),
            "fd_write": (wasmtime.FuncType([i32, i32, i32, i32], [i32]), fd_write, True),
            "random_get": (wasmtime.FuncType([i32, i32], [i32]), random_get, True),
        }
        imports = []
        for imp in self.module.imports:
            ty, fn, caller = funcs[imp.name]
            imports.append(wasmtime.Func(self.store, ty, fn, access_caller=caller))
        self.instance = wasmtime.Instance(self.store, self.module, imports)
        ex = self.instance.exports(self.store)
        self.memory, self.buffer, self.run_ = ex["memory"], ex["ab_buffer"], ex["ab_run"]
        self.result = ex["ab_result"]

    def run(self, wire):
        data = wire.encode("utf-8")
        at = self.buffer(self.store, len(data))
        self.memory.write(self.store, data, at)
        length = self.run_(self.store, len(data))
        return self.memory.read(self.store, self.result(self.store), self.result(self.store) + length).decode("utf-8")


def wire(model, text, cpus=None, memory=None, steps=False, ident="t", slab_debug=None):
    info = "scenario " + model
    if cpus is not None:
        info += " cpus=%s" % cpus
    if memory is not None:
        info += " memory=%s" % memory
    if slab_debug is not None:
        info += " slab_debug=%s" % slab_debug
    return info + "\n" + ident + "\n" + ("steps" if steps else "") + "\n" + text


def course_requests(path):
    text = open(path, encoding="utf-8").read()
    start = text.index("window.AllocBookScenarios=") + len("window.AllocBookScenarios=")
    end = text.index("};\nwindow.AllocBookStarters=") + 1
    scenarios = json.loads(text[start:end])
    requests = []
    for ident, s in scenarios.items():
        requests.append((ident, wire(s["model"], s["text"], s.get("cpus"), s.get("memory"), True, ident, s.get("slab_debug"))))
    return requests


def random_malloc(rng, count):
    lines, live, n = [], [], 0
    sizes = [lambda: rng.randint(1, 64), lambda: rng.randint(1, 1100), lambda: rng.randint(1000, 140000),
             lambda: rng.randint(120000, 600000)]
    while len(lines) < count:
        r = rng.random()
        if r < 0.45 or not live:
            n += 1
            name = "p%d" % n
            size = rng.choice(sizes)()
            lines.append("%s = %s;" % (name, "malloc(%d)" % size if rng.random() < 0.8 else "calloc(%d, %d)" % (rng.randint(1, 8), max(1, size // 8))))
            live.append(name)
        elif r < 0.85:
            name = live.pop(rng.randrange(len(live)))
            lines.append("free(%s);" % name)
        elif r < 0.95:
            name = rng.choice(live)
            lines.append("%s = realloc(%s, %d);" % (name, name, rng.choice(sizes)()))
        elif r < 0.97:
            lines.append("malloc_stats();")
        else:
            name = rng.choice(live)
            lines.append("malloc_usable_size(%s);" % name)
    return "\n".join(lines) + "\n"


def random_kernel(rng, count):
    lines, live, n = ["c = kmem_cache_create(\"demo_obj\", %d, 0, 0, NULL);" % rng.randint(8, 700)], [], 0
    while len(lines) < count:
        r = rng.random()
        if r < 0.5 or not live:
            n += 1
            name = "p%d" % n
            kind = rng.random()
            if kind < 0.55:
                lines.append("%s = kmalloc(%d, GFP_KERNEL);" % (name, rng.randint(1, 9000)))
                live.append((name, "kfree(%s);" % name))
            elif kind < 0.7:
                order = rng.randint(0, 4)
                lines.append("%s = alloc_pages(GFP_KERNEL, %d);" % (name, order))
                live.append((name, "__free_pages(%s, %d);" % (name, order)))
            elif kind < 0.85:
                lines.append("%s = vmalloc(%d);" % (name, rng.randint(1, 300000)))
                live.append((name, "vfree(%s);" % name))
            else:
                lines.append("%s = kmem_cache_alloc(c, GFP_KERNEL);" % name)
                live.append((name, "kmem_cache_free(c, %s);" % name))
        elif r < 0.95:
            _, free = live.pop(rng.randrange(len(live)))
            lines.append(free)
        else:
            lines.append(rng.choice(["cat /proc/buddyinfo", "cat /proc/slabinfo", "cat /proc/vmallocinfo"]))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("allocbook")
    ap.add_argument("wasm")
    ap.add_argument("scenarios")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--statements", type=int, default=400)
    args = ap.parse_args()

    requests = course_requests(args.scenarios)
    course_count = len(requests)
    statements = sum(1 for _, w in requests for line in w.split("\n")[3:]
                     if line.strip() and (not line.strip().startswith("//") or line.strip().startswith("//-")))
    for seed in range(1, args.seeds + 1):
        rng = random.Random(seed)
        requests.append(("malloc-seed-%d" % seed, wire("malloc", random_malloc(rng, args.statements), steps=seed == 1, ident="m%d" % seed)))
        rng = random.Random(1000 + seed)
        requests.append(("kernel-seed-%d" % seed, wire("kernel", random_kernel(rng, args.statements), cpus=rng.choice([1, 2, 4]), memory="64M", steps=seed == 1, ident="k%d" % seed)))
        statements += 2 * args.statements
    # Bad input: every diagnostic the same on both sides.
    requests += [
        ("bad-function", wire("malloc", "A = malloc(10);\nB = frob(3);\nfree(A\n")),
        ("bad-model", wire("heap", "A = malloc(10);\n")),
        ("bad-memory", wire("kernel", "p = kmalloc(10, GFP_KERNEL);\n", memory="4G")),
        ("after-end", wire("malloc", "A = malloc(10);\nfree(A);\nfree(A);\nB = malloc(20);\n")),
        ("budget", wire("malloc", "A = malloc(16);\nfree(A);\n" * 5001)),
        ("memory-budget", wire("malloc", "A = malloc(1 << 34);\nmemset(A, 1, 1 << 34);\n")),
    ]

    t0 = time.perf_counter()
    native = subprocess.run([args.allocbook, "run", "--wire", "-"], input="\0".join(w for _, w in requests).encode("utf-8"),
                            stdout=subprocess.PIPE, check=True).stdout.decode("utf-8").split("\n")
    native_s = time.perf_counter() - t0
    module = Module(args.wasm)
    failures = []
    t0 = time.perf_counter()
    results = {}
    for i, (name, w) in enumerate(requests):
        got = module.run(w)
        results[name] = got
        if got != native[i]:
            a, b = json.loads(got), json.loads(native[i])
            where = [k for k in a if a[k] != b.get(k)]
            failures.append("%s: wasm and native differ in %s" % (name, ", ".join(where)))
    wasm_s = time.perf_counter() - t0

    # The limits: a clear message, and the module still works after a trap.
    budget = json.loads(results["budget"])
    if not any("statement budget exceeded" in d for d in budget["diagnostics"]):
        failures.append("budget: no statement-budget diagnostic: %s" % budget["diagnostics"])
    bad = json.loads(results["bad-function"])
    if not bad["diagnostics"] or not bad["diagnostics"][0].startswith("2:5: error: unknown function 'frob'"):
        failures.append("bad-function: diagnostics %s" % bad["diagnostics"])
    memory = json.loads(results["memory-budget"])
    if not any("memory budget exceeded" in d for d in memory["diagnostics"]):
        failures.append("memory-budget: no memory-budget diagnostic: %s" % memory["diagnostics"])
    # A request buffer the module's memory cannot hold is refused (null), not a trap.
    if module.buffer(module.store, 0x7FFFFFF0) != 0:
        failures.append("a 2 GiB request buffer was not refused")
    # After a trap (here a negative length) playground.js starts a fresh instance, and the
    # next run is right.
    trapped = False
    module.buffer(module.store, 16)
    try:
        module.run_(module.store, -1)
    except (wasmtime.Trap, wasmtime.WasmtimeError):
        trapped = True
    if not trapped:
        failures.append("a negative length did not trap")
    module.fresh()
    again = module.run(requests[0][1])
    if again != native[0]:
        failures.append("a run after a fresh instance differs")

    frames = sum(len(json.loads(r)["frames"]) for r in results.values())
    print("native vs wasm: %d course scenarios, %d seeded random runs (%d statements each), "
          "%d bad-input and limit runs; %d statements, %d step SVGs compared; "
          "native %.2f s, wasm (wasmtime) %.2f s" % (
              course_count, 2 * args.seeds, args.statements, 6, statements, frames, native_s, wasm_s))
    if failures:
        for f in failures:
            print("error: " + f, file=sys.stderr)
        return 1
    print("native vs wasm: identical lines, diagnostics and SVG")
    return 0


if __name__ == "__main__":
    sys.exit(main())
