#!/usr/bin/env python3
"""Drives the step control of every `figure=steps` figure on the given pages in headless
Chromium (chromium-driver + Selenium) and checks that frame and caption change.

Usage: step_test.py [--shots DIR] PAGE.html...
Also checks that without JavaScript every frame is visible in order, that print media shows
every frame, and that a `#<id>-step-N` link opens on step N. Exits 1 on any failure.
"""
import argparse
import os
import re
import sys

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


def driver(javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400"):
        options.add_argument(flag)
    options.add_argument("--force-device-scale-factor=1")
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shown(fig):
    return [f for f in fig.find_elements(By.CSS_SELECTOR, ".ab-frame") if f.is_displayed()]


def state(fig):
    frames = shown(fig)
    if len(frames) != 1:
        return None, None, None
    frame = frames[0]
    # One drawing per step: the frame's panels (each an <svg>), its own or the copy of the
    # equal frame it refers to.
    drawings = [p for p in frame.find_elements(By.CSS_SELECTOR, ".ab-panels") if p.is_displayed()]
    check(len(drawings) == 1, f"step {frame.get_attribute('data-step')} shows {len(drawings)} drawings")
    caption = frame.find_element(By.CSS_SELECTOR, ".ab-cap").text
    now = fig.find_element(By.CSS_SELECTOR, ".ab-now").get_attribute("textContent")
    return frame.get_attribute("data-step"), caption, now


def drive(browser, url, shots, name):
    browser.get(url)
    ids = [f.get_attribute("id")
           for f in browser.find_elements(By.CSS_SELECTOR, '.ab-fig[data-mode="steps"]')
           if len(f.find_elements(By.CSS_SELECTOR, ".ab-frame")) > 1]
    check(ids, f"{name}: no step figure with two or more frames")
    for fid in ids:
        browser.get(url)
        open_details(browser)
        fig = browser.find_element(By.ID, fid)
        count = len(fig.find_elements(By.CSS_SELECTOR, ".ab-frame"))
        print(f"  figure #{fid}: {count} frames")
        ctl = fig.find_element(By.CSS_SELECTOR, ".ab-ctl")
        check(ctl.is_displayed(), f"#{fid}: the step control is not shown with JavaScript")
        step, caption, now = state(fig)
        check(step == "1", f"#{fid}: shows step {step} at first, expected 1 (one frame visible)")
        check(now and caption and now.startswith("Step 1 of"), f"#{fid}: live caption is '{now}'")
        prev = fig.find_element(By.CSS_SELECTOR, ".ab-prev")
        nxt = fig.find_element(By.CSS_SELECTOR, ".ab-next")
        check(not prev.is_enabled(), f"#{fid}: 'previous' is enabled on step 1")
        if shots:
            fig.screenshot(os.path.join(shots, f"{name}-{fid}-step-1.png"))
        # Next button: frame, caption and hash change.
        nxt.click()
        step2, caption2, now2 = state(fig)
        check(step2 == "2", f"#{fid}: after 'next' shows step {step2}, expected 2")
        check(caption2 != caption, f"#{fid}: caption did not change after 'next' ('{caption2}')")
        check(now2 != now, f"#{fid}: live caption did not change after 'next'")
        check(browser.execute_script("return location.hash") == f"#{fid}-step-2",
              f"#{fid}: location hash is not #{fid}-step-2 after 'next'")
        if shots:
            fig.screenshot(os.path.join(shots, f"{name}-{fid}-step-2.png"))
        # Arrow keys on the focused frame list.
        frames_list = fig.find_element(By.CSS_SELECTOR, ".ab-frames")
        frames_list.send_keys(Keys.ARROW_RIGHT)
        expected = "3" if count >= 3 else "2"
        check(state(fig)[0] == expected, f"#{fid}: → key shows step {state(fig)[0]}, expected {expected}")
        frames_list.send_keys(Keys.ARROW_LEFT)
        check(state(fig)[0] == str(int(expected) - 1), f"#{fid}: ← key did not go back")
        # Slider to the end.
        slider = fig.find_element(By.CSS_SELECTOR, ".ab-range")
        slider.send_keys(Keys.END)
        last, caption_last, _ = state(fig)
        check(last == str(count), f"#{fid}: slider END shows step {last}, expected {count}")
        check(not nxt.is_enabled(), f"#{fid}: 'next' is enabled on the last step")
        check(caption_last != caption2 or count == 2, f"#{fid}: caption did not change on the slider")
        if shots:
            for k in range(1, count + 1):
                browser.execute_script(
                    "arguments[0].value=arguments[1];arguments[0].dispatchEvent(new Event('input'))",
                    slider, str(k))
                fig.screenshot(os.path.join(shots, f"{name}-{fid}-step-{k}.png"))
        # A frame that repeats an earlier state shows its drawing with nothing marked as changed.
        for k, frame in enumerate(fig.find_elements(By.CSS_SELECTOR, ".ab-frame")):
            if frame.get_attribute("data-same"):
                marks = browser.execute_script(
                    "return arguments[0].querySelectorAll('svg .chg, svg .chg-t').length", frame)
                check(marks == 0, f"#{fid} step {k + 1}: unchanged frame shows {marks} change marks")
        # Diff toggle.
        box = fig.find_element(By.CSS_SELECTOR, ".ab-diff input")
        box.click()
        check(fig.get_attribute("data-diff") == "off", f"#{fid}: diff toggle did not switch off")
        box.click()
        # A link to step 2 opens on step 2.
        browser.get(url.split("#")[0] + f"#{fid}-step-2")
        open_details(browser)
        fig = browser.find_element(By.ID, fid)
        check(state(fig)[0] == "2", f"#{fid}: #{fid}-step-2 link opens on step {state(fig)[0]}")
        # Print media shows every frame.
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        check(len(shown(fig)) == count, f"#{fid}: print shows {len(shown(fig))} of {count} frames")
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def without_js(browser, url, name):
    browser.get(url)
    for fig in browser.find_elements(By.CSS_SELECTOR, ".ab-fig"):
        fid = fig.get_attribute("id")
        if inside_closed_details(browser, fig):
            continue  # a prediction exercise: the figure shows when the reader reveals it
        frames = fig.find_elements(By.CSS_SELECTOR, ".ab-frame")
        steps = [f.get_attribute("data-step") for f in frames]
        check(all(f.is_displayed() for f in frames), f"#{fid}: without JavaScript a frame is hidden")
        check(steps == sorted(steps, key=int), f"#{fid}: frames out of order without JavaScript")
        for ctl in fig.find_elements(By.CSS_SELECTOR, ".ab-ctl"):
            check(not ctl.is_displayed(), f"#{fid}: step control shown without JavaScript")


def inside_closed_details(browser, element):
    return browser.execute_script(
        "var d=arguments[0].closest('details');return !!d&&!d.open;", element)


def open_details(browser):
    browser.execute_script(
        "document.querySelectorAll('details').forEach(function(d){d.open=true;});")


def shoot_figures(browser, url, shots, name):
    """One PNG per figure that is not a step figure (those get one per step in drive)."""
    browser.get(url)
    open_details(browser)
    for fig in browser.find_elements(By.CSS_SELECTOR, ".ab-fig"):
        if fig.get_attribute("data-mode") == "steps" and len(
                fig.find_elements(By.CSS_SELECTOR, ".ab-frame")) > 1:
            continue
        fid = fig.get_attribute("id")
        browser.execute_script("arguments[0].scrollIntoView()", fig)
        fig.screenshot(os.path.join(shots, f"{name}-{fid}.png"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", help="folder for PNGs of every step of every figure")
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    if args.shots:
        os.makedirs(args.shots, exist_ok=True)
    with_js, no_js = driver(True), driver(False)
    try:
        for page in args.pages:
            name = os.path.splitext(os.path.basename(page))[0]
            url = "file://" + os.path.abspath(page)
            print(f"{page}:")
            without_js(no_js, url, name)
            if args.shots:
                shoot_figures(with_js, url, args.shots, name)
            if re.search(r'<figure[^>]*data-mode="steps"', open(page, encoding="utf-8").read()):
                drive(with_js, url, args.shots, name)
    finally:
        with_js.quit()
        no_js.quit()
    if failures:
        print(f"{len(failures)} browser check(s) failed")
        sys.exit(1)
    print("browser checks passed")


if __name__ == "__main__":
    main()
