#!/usr/bin/env python3
"""The playground in headless Chromium, from file://: window.AllocBook.run agrees with the native
runner; every scenario has a Try-it button that does not move the page; the Try-it panel runs,
steps, shows a bad statement's diagnostic at its line, resets and is keyboard usable; the
playground page runs a shared link; the memory budget gives a message and the next run works.
It measures the first run (load + compile + run the malloc seed story) and later runs.

Usage: playground_test.py ALLOCBOOK SITE_DIR [--shots DIR]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

failures = []
SEED = "A = malloc(30 * 1024);\nB = malloc(40 * 1024);\nC = malloc(200 * 1024);\n" \
       "D = malloc(100 * 1024);\nfree(C);\nfree(B);\nfree(D);\n"


def check(condition, message):
    if not condition:
        failures.append(message)
        print("  FAIL " + message)
    return condition


def driver(width=1280, dark=False, javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=%d,1400" % width,
                 "--force-device-scale-factor=1"):
        options.add_argument(flag)
    if dark:
        options.add_argument("--blink-settings=preferredColorScheme=0")
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_script_timeout(60)
    return browser


def native(allocbook, wire):
    out = subprocess.run([allocbook, "run", "--wire", "-"], input=wire.encode(), stdout=subprocess.PIPE, check=True)
    return json.loads(out.stdout.decode().split("\n")[0])


RUN = """
var done = arguments[arguments.length - 1];
var t0 = performance.now();
window.AllocBookLoadPlayground().then(function () {
  return window.AllocBook.run(arguments[0], arguments[1], arguments[2]);
}.bind(null, arguments[0], arguments[1], arguments[2])).then(function (r) {
  done({result: r, ms: performance.now() - t0});
}, function (e) { done({error: String(e)}); });
"""


def run_in_page(browser, model, text, options):
    got = browser.execute_async_script(RUN, model, text, options)
    if "error" in got:
        check(False, "AllocBook.run failed: " + got["error"])
        return None, 0
    return got["result"], got["ms"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("allocbook")
    ap.add_argument("site")
    ap.add_argument("--shots", default=".build/browser/playground")
    args = ap.parse_args()
    os.makedirs(args.shots, exist_ok=True)
    site = os.path.abspath(args.site)
    lesson = "file://" + site + "/malloc.html"

    # No JavaScript: no Try-it buttons.
    b = driver(javascript=False)
    b.get(lesson)
    check(not b.find_elements(By.CSS_SELECTOR, ".ab-try"), "Try-it buttons without JavaScript")
    b.quit()

    b = driver()
    b.get(lesson)
    blocks = b.find_elements(By.CSS_SELECTOR, ".ab-scenario[data-scenario]")
    buttons = b.find_elements(By.CSS_SELECTOR, ".ab-scenario .ab-try")
    check(len(blocks) > 0 and len(buttons) == len(blocks), "%d scenarios, %d Try-it buttons" % (len(blocks), len(buttons)))
    # No layout jump: the badge line is as tall with the button as without it.
    heights = b.execute_script("""
      var badge = document.querySelector('.ab-scenario > .ab-head'), btn = badge.querySelector('.ab-try');
      var h = document.documentElement.scrollHeight, with_ = badge.getBoundingClientRect().height;
      btn.remove(); var without = badge.getBoundingClientRect().height, h2 = document.documentElement.scrollHeight;
      badge.appendChild(btn); return [with_, without, h, h2];""")
    check(heights[0] == heights[1] and heights[2] == heights[3], "the Try-it button moves the page: %s" % heights)
    loaded = b.execute_script("return !!window.AllocBookWasm || !!window.AllocBook")
    check(not loaded, "the module or playground.js was loaded before Try it was pressed")

    # The contract, and the first run: load + compile + run the malloc seed story.
    wire = "scenario malloc\nseed\nsteps\n" + SEED
    result, first_ms = run_in_page(b, "malloc", SEED, {"steps": True, "id": "seed"})
    expected = native(args.allocbook, wire)
    if result is not None:
        check(result == expected, "window.AllocBook.run differs from the native runner on the seed story")
        check(result["figure"].startswith("<svg"), "no final SVG")
    later = []
    twenty = "".join("p%d = malloc(%d);\n" % (i, 24 + 40 * i) for i in range(10)) + \
             "".join("free(p%d);\n" % i for i in range(10))
    for _ in range(7):
        r, ms = run_in_page(b, "malloc", twenty, {})
        later.append(ms)
    kernel_text = "a = kmalloc(100, GFP_KERNEL);\nb = alloc_pages(GFP_KERNEL, 2);\nv = vmalloc(20000);\nkfree(a);\n"
    r, _ = run_in_page(b, "kernel", kernel_text, {"cpus": 4, "memory": "16M", "steps": True, "id": "k"})
    check(r == native(args.allocbook, "scenario kernel cpus=4 memory=16M\nk\nsteps\n" + kernel_text),
          "kernel run differs from the native runner")

    # Limits: a clear message, and the next run works.
    huge = "A = malloc(1 << 34);\nmemset(A, 1, 1 << 34);\n"
    r, _ = run_in_page(b, "malloc", huge, {})
    memory_message = r["diagnostics"] if r else None
    check(r is not None and len(r["diagnostics"]) == 1 and "memory budget exceeded" in r["diagnostics"][0],
          "huge run: %s" % memory_message)
    budget = "A = malloc(16);\nfree(A);\n" * 5001
    r, budget_ms = run_in_page(b, "malloc", budget, {})
    check(r is not None and "statement budget exceeded" in r["diagnostics"][0], "statement budget: %s" % (r and r["diagnostics"]))
    r, _ = run_in_page(b, "malloc", SEED, {"id": "seed", "steps": True})
    check(r == expected, "a run after the memory budget was hit differs")
    r, _ = run_in_page(b, "heap", "A = malloc(1);", {})
    check(r is not None and r["diagnostics"] == ["error: unknown model 'heap'; expected 'malloc' or 'kernel'"], "bad model: %s" % r)
    b.quit()

    # From a static host too (http://), not only file://.
    server = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
                               "--directory", site], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        port = None
        for _ in range(50):
            line = server.stdout.readline().decode()
            if "port" in line:
                port = int(line.split("port ")[1].split(" ")[0])
                break
        b = driver()
        b.get("http://127.0.0.1:%d/malloc.html" % port)
        r, _ = run_in_page(b, "malloc", SEED, {"steps": True, "id": "seed"})
        check(r == expected, "over http:// the run differs from the native runner")
        b.quit()
    finally:
        server.terminate()
        server.wait()

    # The Try-it panel, keyboard only.
    b = driver()
    b.get(lesson)
    block = b.find_elements(By.CSS_SELECTOR, ".ab-scenario[data-scenario]")[0]
    ident = block.get_attribute("data-scenario")
    button = block.find_element(By.CSS_SELECTOR, ".ab-try")
    button.send_keys(Keys.ENTER)
    area = WebDriverWait(b, 20).until(lambda d: block.find_element(By.CSS_SELECTOR, "textarea"))
    source = b.execute_script("return window.AllocBookScenarios[arguments[0]].text", ident)
    check(area.get_attribute("value") == source, "the editor is not prefilled with the block's statements")
    check(b.switch_to.active_element == area, "the editor does not get the focus")
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(b, 20).until(lambda d: block.find_elements(By.CSS_SELECTOR, ".ab-try-out .ab-out"))
    shown = [e.get_attribute("textContent").replace("→ ", "", 1) for e in block.find_elements(By.CSS_SELECTOR, ".ab-try-out .ab-out")]
    page = [e.get_attribute("textContent").replace("→ ", "", 1) for e in block.find_elements(By.CSS_SELECTOR, ".ab-listing .ab-out")]
    check(shown[-len(page):] == page if page else bool(shown), "Try-it output differs from the lesson's listing")
    svgs = block.find_elements(By.CSS_SELECTOR, ".ab-try-svg svg")
    check(len(svgs) == 1, "Try-it shows %d figures" % len(svgs))
    prev = block.find_elements(By.CSS_SELECTOR, ".ab-try-ctl .ab-prev")
    if prev:
        fig = block.find_element(By.CSS_SELECTOR, ".ab-try-fig")
        last = fig.get_attribute("data-step")
        prev[0].click()
        check(fig.get_attribute("data-step") == str(int(last) - 1), "Prev does not step back")
    b.save_screenshot(os.path.join(args.shots, "try-run-1280.png"))
    # A bad statement: its diagnostic at its line, nothing run.
    area.send_keys(Keys.CONTROL, Keys.END)
    area.send_keys("\nX = frob(1);")
    bad_line = area.get_attribute("value").count("\n") + 1
    block.find_element(By.CSS_SELECTOR, ".ab-try-run").click()
    WebDriverWait(b, 20).until(lambda d: block.find_elements(By.CSS_SELECTOR, ".ab-try-listing .ab-try-error"))
    error = block.find_element(By.CSS_SELECTOR, ".ab-try-listing .ab-try-error").get_attribute("textContent")
    check(("%d:5: error: unknown function 'frob'" % bad_line) in error, "diagnostic not at its line: %r" % error)
    b.execute_script("arguments[0].scrollIntoView()", block)
    b.save_screenshot(os.path.join(args.shots, "try-error-1280.png"))
    block.find_element(By.CSS_SELECTOR, ".ab-try-reset").click()
    check(area.get_attribute("value") == source, "Reset does not restore the lesson's version")
    check(not block.find_elements(By.CSS_SELECTOR, ".ab-try-out *"), "Reset leaves the old output")
    b.quit()

    # The playground page: a shared link runs; examples; model switch.
    for width, dark, name in ((1280, False, "1280"), (390, False, "390"), (1280, True, "dark")):
        b = driver(width=width, dark=dark)
        fragment = "#model=kernel&cpus=2&memory=16M&text=" + \
            "a%20%3D%20kmalloc(100%2C%20GFP_KERNEL)%3B%0Ab%20%3D%20alloc_pages(GFP_KERNEL%2C%201)%3B%0A"
        b.get("file://" + site + "/playground.html" + fragment)
        WebDriverWait(b, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".ab-try-out .ab-out"))
        check(len(b.find_elements(By.CSS_SELECTOR, ".ab-try-svg svg")) == 1, "playground: no figure")
        options = b.find_elements(By.CSS_SELECTOR, ".ab-pg-settings select option")
        check(len(options) > 5, "playground: %d options (model and examples)" % len(options))
        share = b.find_element(By.CSS_SELECTOR, ".ab-pg-share").get_attribute("href")
        check("kmalloc" in share and "model=kernel" in share, "playground: share link %s" % share)
        b.save_screenshot(os.path.join(args.shots, "playground-%s.png" % name))
        # Lesson page with an open panel.
        b.get(lesson)
        block = b.find_elements(By.CSS_SELECTOR, ".ab-scenario[data-scenario]")[0]
        block.find_element(By.CSS_SELECTOR, ".ab-try").click()
        WebDriverWait(b, 20).until(lambda d: block.find_elements(By.CSS_SELECTOR, ".ab-try-run"))
        block.find_element(By.CSS_SELECTOR, ".ab-try-run").click()
        WebDriverWait(b, 20).until(lambda d: block.find_elements(By.CSS_SELECTOR, ".ab-try-svg svg"))
        b.execute_script("arguments[0].scrollIntoView()", block)
        overflow = b.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        check(not overflow, "the page scrolls sideways at %s with the panel open" % name)
        b.save_screenshot(os.path.join(args.shots, "lesson-try-%s.png" % name))
        b.quit()

    print("playground in Chromium: first run (load + compile + run the seed story) %.0f ms; "
          "later 20-statement runs median %.1f ms (of %d); 10,000 statements (the budget) %.0f ms; "
          "memory-budget run: %s" % (first_ms, statistics.median(later), len(later), budget_ms, memory_message))
    if failures:
        print("%d playground check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("playground checks passed; screenshots in " + args.shots)
    return 0


if __name__ == "__main__":
    sys.exit(main())
