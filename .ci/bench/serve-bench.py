#!/usr/bin/env python3
"""Drives `allocbook serve` for serve-bench: save-to-reload-message latencies.

Usage: serve-bench.py ALLOCBOOK CONTENT_DIR EDITS

A poller waits on /__allocbook/poll like an open page; each edit rewrites one lesson file and
the time until the poll answers with the new version is the save-to-reload latency. The
server's own 'rebuilt in N ms' lines are reported too.
"""
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(port, version):
    url = "http://127.0.0.1:%d/__allocbook/poll?version=%d" % (port, version)
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def main():
    allocbook, content, edits = sys.argv[1], sys.argv[2], int(sys.argv[3])
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", delete=False)
    start = time.perf_counter()
    server = subprocess.Popen([allocbook, "serve", "--content", content, "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        while "serving " not in open(log.name).read():
            time.sleep(0.01)
        print(f"serve: first build and listening after {(time.perf_counter() - start) * 1000:.0f} ms")
        names = sorted(n for n in os.listdir(content) if n.endswith(".md"))
        state = poll(port, -1)
        results = {"body edit": [], "title edit": []}
        for kind in results:
            for i in range(edits):
                name = names[(len(names) // 2 + i * 37) % len(names)]
                path = os.path.join(content, name)
                text = open(path, encoding="utf-8").read()
                if kind == "body edit":
                    new = text + f"\nEdited paragraph {i}.\n"
                else:
                    new = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} (v{i})"',
                                 text, count=1, flags=re.M)
                    assert new != text, "no quoted title in " + name
                # Saved as editors do: written beside, then renamed over the lesson.
                staged = os.path.join(os.path.dirname(content), ".serve-bench-staged")
                with open(staged, "w", encoding="utf-8") as f:
                    f.write(new)
                time.sleep(0.05)
                t0 = time.perf_counter()
                os.replace(staged, path)
                after = poll(port, state["version"])
                results[kind].append((time.perf_counter() - t0) * 1000)
                assert after["errors"] is None, after["errors"]
                state = after
        server_log = open(log.name).read()
        server_ms = [int(m) for m in re.findall(r"rebuilt in (\d+) ms", server_log)]
        cpu_ms = [int(m) for m in re.findall(r"rebuilt in \d+ ms \(process CPU (\d+) ms\)",
                                             server_log)]
        for kind, values in results.items():
            values.sort()
            print(f"{kind}: save to reload message median {statistics.median(values):.1f} ms, "
                  f"min {values[0]:.1f}, max {values[-1]:.1f} ({len(values)} edits)")
        half = len(server_ms) // 2
        print(f"server 'rebuilt in' (body edits) median {statistics.median(server_ms[:half])} ms; "
              f"(title edits) median {statistics.median(server_ms[half:])} ms")
        if len(cpu_ms) == len(server_ms):
            print(f"server process CPU per rebuild (body edits) median "
                  f"{statistics.median(cpu_ms[:half])} ms; (title edits) median "
                  f"{statistics.median(cpu_ms[half:])} ms")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        os.unlink(log.name)


if __name__ == "__main__":
    main()
