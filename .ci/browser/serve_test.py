#!/usr/bin/env python3
"""End-to-end check of `allocbook serve` in headless Chromium (Selenium).

Starts `allocbook serve` on a copy of the course, opens a lesson, edits the lesson and waits
for the page to reload with the change; breaks a scenario expectation and waits for the error
overlay (file:line:col and the diff) over the last good page; fixes it and waits for the
reload; then stops the server with Ctrl-C (SIGINT) and checks that it exits 0 and that the
content copy and site/ were not written to.

Usage: serve_test.py ALLOCBOOK CONTENT_DIR
"""
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_digest(folder):
    digest = hashlib.sha1()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            path = os.path.join(root, name)
            digest.update(path.encode())
            with open(path, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()


def wait_for(condition, what, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def main():
    allocbook, content = os.path.abspath(sys.argv[1]), sys.argv[2]
    work = tempfile.mkdtemp(prefix="allocbook-serve-e2e-")
    copy = os.path.join(work, "content")
    shutil.copytree(content, copy)
    site_before = tree_digest("site") if os.path.isdir("site") else None
    port = free_port()
    log = open(os.path.join(work, "serve.log"), "w+")
    server = subprocess.Popen(
        [allocbook, "serve", "--content", copy, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(flag)
    browser = None
    try:
        wait_for(lambda: "serving " in open(log.name).read(), "the server to start", 120)
        browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        lesson = os.path.join(copy, "02-buddy.md")
        browser.get("http://127.0.0.1:%d/buddy.html" % port)
        assert "buddy" in browser.title.lower() or browser.find_element(By.TAG_NAME, "h1")
        original = open(lesson, encoding="utf-8").read()

        # 1. An edit reloads the page with the change.
        browser.execute_script("window.__allocbookBeforeReload = true;")
        marker = "Live reload marker %d." % os.getpid()
        with open(lesson, "w", encoding="utf-8") as f:
            f.write(original + "\n" + marker + "\n")
        wait_for(lambda: marker in browser.find_element(By.TAG_NAME, "main").text,
                 "the edited text to appear")
        assert browser.execute_script("return window.__allocbookBeforeReload === undefined;"), \
            "the page did not reload"
        print("  ok: the page reloaded with the edit")

        # 2. A wrong expectation shows the overlay with file:line:col and the diff; the last
        #    good page stays.
        broken = original.replace("//> ", "//> not ", 1)
        assert broken != original
        with open(lesson, "w", encoding="utf-8") as f:
            f.write(broken + "\n" + marker + "\n")
        overlay = lambda: browser.find_element(By.ID, "allocbook-error-overlay")
        wait_for(lambda: "error: scenario output differs" in overlay().text, "the error overlay")
        text = overlay().text
        line = next(i + 1 for i, l in enumerate(broken.splitlines()) if l.startswith("//> not "))
        assert ("02-buddy.md:%d:1: error" % line) in text, text
        assert "--- expected" in text and "+++ actual" in text, text
        assert marker in browser.find_element(By.TAG_NAME, "main").text, "last good page lost"
        os.makedirs(".build/browser", exist_ok=True)
        browser.save_screenshot(".build/browser/serve-overlay.png")
        print("  ok: the overlay shows %s:%d:1 and the diff over the last good page"
              % ("02-buddy.md", line))

        # 3. Fixing it reloads the page and removes the overlay.
        with open(lesson, "w", encoding="utf-8") as f:
            f.write(original)
        wait_for(lambda: marker not in browser.find_element(By.TAG_NAME, "main").text,
                 "the fixed page")
        assert not browser.find_elements(By.ID, "allocbook-error-overlay")
        print("  ok: the fixed lesson reloads without the overlay")
    finally:
        if browser:
            browser.quit()
        server.send_signal(signal.SIGINT)
        try:
            status = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            status = "timeout"
        log.seek(0)
        output = log.read()
    assert status == 0, "serve exited with %s:\n%s" % (status, output)
    assert output.rstrip().endswith("stopped"), output
    assert os.listdir(copy) == os.listdir(content)
    if site_before is not None:
        assert tree_digest("site") == site_before, "serve wrote into site/"
    shutil.rmtree(work)
    print("serve check passed: reload, error overlay, recovery, Ctrl-C")


if __name__ == "__main__":
    main()
