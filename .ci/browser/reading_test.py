#!/usr/bin/env python3
"""Reading checks of the built site in headless Chromium (Selenium + chromium-driver), with
axe-core (PyPI's axe-selenium-python bundles it).

Usage: reading_test.py --shots DIR SITE_DIR
- screenshots of every page at 1280 px, at 390 px (a phone) and in dark mode (top of page);
- scenario listings are single-spaced (no blank line box between rows);
- no figure is wider than the text column at 390 px;
- the stepper highlights the statement of the current step, and a click on a statement
  jumps the figure to it;
- search finds a term that only a scenario statement holds (from file://);
- axe-core: no serious or critical violation on any page, in the light and the dark theme;
- no SVG label renders under 12 px at 1280 px or under 11 px at 390 px;
- no identifier (inline code without a space) wraps inside a table cell at 1280 px, and no
  heading's "#" anchor wraps onto a line of its own;
- a figure's panels stack in one column at 390 px and stand side by side at 1280 px;
- free page cells and change marks keep 3:1 against what they border, in both themes;
- every lesson page weighs under 300 KB;
- measures and prints each page's height at 1280 px; kmalloc.html is at most 14,000 px tall
  (issue 11's target: half of what it was).
Exits 1 on any failure.
"""
import argparse
import glob
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("  FAIL " + message)
    return condition


def driver(width, dark=False):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 f"--window-size={max(width, 500)},900", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    if width < 500:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    if dark:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    return browser


SMALLEST_LABEL = """
var min = 1e9, n = 0, under = 0, limit = arguments[0];
document.querySelectorAll('svg.ab-svg text').forEach(function (t) {
  var r = t.getBoundingClientRect(); if (!r.width) return;
  var svg = t.ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  var px = parseFloat(getComputedStyle(t).fontSize) * scale; n++;
  if (px < min) min = px; if (px < limit - 0.01) under++;
});
return [n, min, under];
"""

SPACING = """
var bad = [];
document.querySelectorAll('.ab-listing').forEach(function (l) {
  var rows = l.querySelectorAll(':scope > .ab-row');
  for (var i = 1; i < rows.length; i++) {
    var a = rows[i - 1].getBoundingClientRect(), b = rows[i].getBoundingClientRect();
    if (!a.height || !b.height || rows[i - 1].nextElementSibling !== rows[i]) continue;
    if (b.top - a.bottom > 1) bad.push(rows[i].textContent.slice(0, 60));
  }
  rows.forEach(function (r) {
    var lh = parseFloat(getComputedStyle(r).lineHeight), h = r.getBoundingClientRect().height;
    if (r.textContent.length < 40 && h > lh * 1.5) bad.push('tall: ' + r.textContent);
  });
});
return bad;
"""

OVERFLOW = """
var main = document.querySelector('main'), box = main.getBoundingClientRect();
var right = box.right - parseFloat(getComputedStyle(main).paddingRight) + 1, bad = [];
document.querySelectorAll('.ab-fig svg.ab-svg, .overview-figure svg.ab-svg').forEach(function (s) {
  var r = s.getBoundingClientRect();
  if (r.width && (r.right > right || r.left < box.left - 1)) bad.push((s.id || 'svg') + ' ' + Math.round(r.right) + ' > ' + Math.round(right));
});
if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
return bad;
"""


# Identifiers in table cells that wrap onto a second line (NON_MAIN_AREN / A): inline code
# without a space that the browser lays out in more than one line box.
WRAPPED_CELL_CODE = """
var bad = [];
document.querySelectorAll('main td code, main th code').forEach(function (c) {
  if (/\\s/.test(c.textContent.trim())) return;
  var boxes = c.getClientRects();
  if (boxes.length > 1) bad.push(c.textContent);
});
return bad;
"""


# Headings whose "#" anchor sits below the heading's last line of text (a line of its own).
ANCHOR_WRAP = """
var bad = [];
document.querySelectorAll('main h1, main h2, main h3, main h4').forEach(function (h) {
  var a = h.querySelector('.anchor'); if (!a) return;
  var range = document.createRange(); range.setStart(h, 0); range.setEndBefore(a);
  var bottom = -1e9;
  Array.prototype.forEach.call(range.getClientRects(), function (r) {
    if (r.width && r.bottom > bottom) bottom = r.bottom; });
  if (bottom > -1e9 && a.getBoundingClientRect().top >= bottom - 1) bad.push(h.textContent.slice(0, 60));
});
return bad;
"""


# The panels of each figure frame: stacked at 390 px (no two panels share a row), and on a
# wide page at least one figure with two panels side by side.
PANELS = """
var stacked = 0, sideBySide = 0, bad = [];
document.querySelectorAll('.ab-panels').forEach(function (p) {
  var boxes = [];
  p.querySelectorAll(':scope > svg').forEach(function (s) {
    var r = s.getBoundingClientRect(); if (r.width) boxes.push(r);
  });
  if (boxes.length < 2) return;
  var beside = false;
  for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++)
    if (boxes[i].top < boxes[j].bottom - 1 && boxes[j].top < boxes[i].bottom - 1) beside = true;
  if (beside) sideBySide++; else stacked++;
  if (arguments[0] && beside) bad.push((p.closest('[id]') || p).id + ': panels side by side');
});
return [stacked, sideBySide, bad];
"""

# The colours of the figures' graphics, as the page resolves them.
COLOURS = """
var s = getComputedStyle(document.documentElement), out = {};
['--ab-bg', '--ab-free', '--ab-cell', '--ab-chg', '--ab-line'].forEach(function (v) {
  out[v] = s.getPropertyValue(v).trim(); });
return out;
"""


def luminance(hex_colour):
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(h[i:i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def pages_of(site):
    return sorted(glob.glob(os.path.join(site, "*.html")))


def screenshots(site, shots):
    for tag, width, dark in (("1280", 1280, False), ("390", 390, False), ("dark", 1280, True)):
        browser = driver(width, dark)
        try:
            for page in pages_of(site):
                name = os.path.splitext(os.path.basename(page))[0]
                if name == "print" and tag != "1280":
                    continue  # the lessons again, 1.4 MB: one look at 1280 px is enough
                browser.get("file://" + os.path.abspath(page))
                browser.save_screenshot(os.path.join(shots, f"{name}-{tag}.png"))
                if name == "print":
                    print(f"  1280 print: {os.path.getsize(page)} bytes")
                    continue
                limit = 12 if width >= 1280 else 11
                n, smallest, under = browser.execute_script(SMALLEST_LABEL, limit)
                if n:
                    print(f"  {tag:>4} {name}: {n} SVG labels, smallest {smallest:.1f} px")
                    check(not under, f"{name} at {tag}: {under} SVG labels under {limit} px "
                                     f"(smallest {smallest:.1f} px)")
                bad = browser.execute_script(ANCHOR_WRAP)
                check(not bad, f"{name} at {tag}: a heading's # wraps onto a line of its own: {bad[:3]}")
                stacked, side, bad = browser.execute_script(PANELS, tag == "390")
                if tag == "390":
                    bad += browser.execute_script(OVERFLOW)
                    check(not bad, f"{name} at 390 px: figures wider than the column or panels "
                                   f"not stacked: {bad[:3]}")
                if tag == "1280" and name in ("kmalloc", "malloc", "vmalloc", "index"):
                    check(side > 0, f"{name} at 1280 px: no figure shows its panels side by side")
                if tag in ("1280", "dark") and name == "kmalloc":
                    colours = browser.execute_script(COLOURS)
                    for a, b in (("--ab-cell", "--ab-free"), ("--ab-cell", "--ab-bg"),
                                 ("--ab-chg", "--ab-free"), ("--ab-chg", "--ab-bg")):
                        ratio = contrast(colours[a], colours[b])
                        check(ratio >= 3, f"{tag}: {a} {colours[a]} on {b} {colours[b]} is {ratio:.2f}:1")
                if tag == "1280":
                    bad = browser.execute_script(SPACING)
                    check(not bad, f"{name}: listing rows not single-spaced: {bad[:3]}")
                    bad = browser.execute_script(WRAPPED_CELL_CODE)
                    check(not bad, f"{name}: identifiers wrap inside table cells at 1280 px: {bad[:3]}")
                    height = browser.execute_script("return document.documentElement.scrollHeight")
                    print(f"  1280 {name}: {height} px tall, {os.path.getsize(page)} bytes")
                    if name == "kmalloc":
                        check(height <= 14000, f"kmalloc.html is {height} px tall at 1280 px (at most 14,000)")
                    check(os.path.getsize(page) < 300_000, f"{name}.html weighs {os.path.getsize(page)} bytes")
        finally:
            browser.quit()


def stepper(site):
    browser = driver(1280)
    try:
        browser.get("file://" + os.path.abspath(os.path.join(site, "kmalloc.html")))
        figs = browser.find_elements(By.CSS_SELECTOR, '.ab-scenario .ab-fig[data-mode="steps"]')
        check(figs, "kmalloc.html has no steps figure inside a scenario")
        for fig in figs[:3]:
            block = fig.find_element(By.XPATH, "./ancestor::div[contains(@class,'ab-scenario')]")
            def current():
                frame = [f for f in fig.find_elements(By.CSS_SELECTOR, ".ab-frame") if f.is_displayed()]
                rows = block.find_elements(By.CSS_SELECTOR, ".ab-stmt.is-current")
                return (frame[0].get_attribute("data-step") if len(frame) == 1 else None,
                        [r.get_attribute("data-step") for r in rows])
            step, rows = current()
            check(step == "1" and rows == ["1"], f"{fig.get_attribute('id')}: step {step}, highlighted {rows}")
            browser.execute_script("arguments[0].scrollIntoView({block:'center'})", fig)
            fig.find_element(By.CSS_SELECTOR, ".ab-next").click()
            step, rows = current()
            check(step == "2" and rows == ["2"], f"{fig.get_attribute('id')}: after Next step {step}, highlighted {rows}")
            last = block.find_elements(By.CSS_SELECTOR, ".ab-stmt[data-step]")[-1]
            browser.execute_script("arguments[0].scrollIntoView({block:'center'})", last)
            last.click()
            step, rows = current()
            want = last.get_attribute("data-step")
            check(step == want and rows == [want],
                  f"{fig.get_attribute('id')}: clicking statement {want} shows step {step}, highlighted {rows}")
            caption = [f for f in fig.find_elements(By.CSS_SELECTOR, ".ab-frame") if f.is_displayed()][0]
            code = last.find_element(By.CSS_SELECTOR, "code").text.split("//")[0].strip()
            check(code in caption.find_element(By.CSS_SELECTOR, ".ab-cap").text,
                  f"{fig.get_attribute('id')}: caption does not name '{code}'")
    finally:
        browser.quit()


def search(site):
    browser = driver(1280)
    try:
        browser.get("file://" + os.path.abspath(os.path.join(site, "kmalloc.html")))
        # A term that only a scenario statement holds: a function called in a listing of
        # malloc.html and in no prose or heading of any page.
        term = "malloc_stats"
        box = browser.find_element(By.ID, "search-input")
        check(box.is_displayed(), "the search box is not shown")
        browser.find_element(By.TAG_NAME, "body").send_keys("/")
        check(browser.switch_to.active_element == box, "'/' does not focus the search box")
        box.send_keys(term)
        for _ in range(50):
            links = browser.find_elements(By.CSS_SELECTOR, "#search-results a")
            if links:
                break
            time.sleep(0.1)
        hrefs = [a.get_attribute("href") for a in links]
        check(any("malloc.html" in h for h in hrefs), f"search for {term} found {hrefs[:3]}")
        timing = browser.execute_script(
            "var t = performance.now(); for (var i = 0; i < 20; i++) window.abSearch('slab cache'); return (performance.now() - t) / 20;")
        print(f"  search: '{term}' → {len(hrefs)} results; a two-word query takes {timing:.2f} ms")
        box.send_keys(Keys.ENTER)
        time.sleep(0.5)
        check("malloc.html" in browser.current_url, f"Enter in search went to {browser.current_url}")
        # ← / → between lessons.
        browser.get("file://" + os.path.abspath(os.path.join(site, "kmalloc.html")))
        for key, rel in ((Keys.ARROW_RIGHT, "next"), (Keys.ARROW_LEFT, "prev")):
            want = browser.find_element(By.CSS_SELECTOR, f'.pager a[rel="{rel}"]').get_attribute("href")
            browser.find_element(By.TAG_NAME, "body").send_keys(key)
            time.sleep(0.5)
            check(browser.current_url == want, f"{rel} key went to {browser.current_url}, not {want}")
            browser.back()
            time.sleep(0.3)
    finally:
        browser.quit()


def accessibility(site):
    try:
        from axe_selenium_python import Axe
    except ImportError:
        check(False, "axe-selenium-python is missing; run 'bash .ci/install --browser'")
        return
    for dark in (False, True):
        browser = driver(1280, dark)
        try:
            # print.html repeats the lessons' bodies (checked on their own pages) and would
            # take axe a minute and a half.
            for page in [p for p in pages_of(site) if not p.endswith("print.html")]:
                browser.set_script_timeout(300)
                browser.get("file://" + os.path.abspath(page))
                axe = Axe(browser)
                axe.inject()
                # A figure is one image (role=img, named by its <title> and <desc>): its inner
                # labels are not read out, and checking each of them takes axe minutes.
                result = axe.run(
                    context={"exclude": [["svg.ab-svg > *"], ["svg.ab-defs"]]},
                    options={"resultTypes": ["violations"]})
                bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
                name = os.path.basename(page) + (" (dark)" if dark else "")
                detail = "; ".join(f"{v['id']}: {len(v['nodes'])} ({v['nodes'][0]['target']})" for v in bad)
                check(not bad, f"axe on {name}: {detail}")
                print(f"  axe {name}: {len(bad)} serious/critical, {len(result['violations'])} in all")
        finally:
            browser.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", required=True)
    parser.add_argument("site")
    args = parser.parse_args()
    os.makedirs(args.shots, exist_ok=True)
    print("reading checks:")
    screenshots(args.site, args.shots)
    stepper(args.site)
    search(args.site)
    accessibility(args.site)
    if failures:
        print(f"{len(failures)} reading check(s) failed")
        sys.exit(1)
    print("reading checks passed")


if __name__ == "__main__":
    main()
