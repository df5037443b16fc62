// AllocBook: the page script. Everything here improves a page that already works without it:
// search, the phone menu, "On this page" that follows the reader, ← / → between lessons,
// `/` to search, copy buttons on code, and every fold opened for printing.
// Built into allocbook; a course replaces it with content/theme/site.js.
(function () {
  var doc = document;
  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || doc).querySelectorAll(selector), fn);
  }
  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  // Search: the index (assets/search-index.js) is loaded on first use.
  var box = doc.getElementById("search"), input = doc.getElementById("search-input"),
    results = doc.getElementById("search-results"), index = null, loading = false, chosen = -1;
  function loadIndex(then) {
    if (index || window.abSearchIndex) { index = window.abSearchIndex; then(); return; }
    if (loading) return;
    loading = true;
    var s = doc.createElement("script");
    s.src = "assets/search-index.js";
    s.onload = function () { index = window.abSearchIndex; then(); };
    s.onerror = function () { results.textContent = "The search index could not be loaded."; };
    doc.head.appendChild(s);
  }
  function lowerBound(terms, word) {
    var lo = 0, hi = terms.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (terms[mid] < word) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function sectionsWithPrefix(word) {
    var found = {}, terms = index.terms, k = lowerBound(terms, word), n = 0;
    for (; k < terms.length && terms[k].lastIndexOf(word, 0) === 0 && n < 400; k++, n++) {
      var gaps = index.postings[k].split(","), at = 0;
      for (var g = 0; g < gaps.length; g++) { at += parseInt(gaps[g], 36); found[at] = (found[at] || 0) + (terms[k] === word ? 2 : 1); }
    }
    return found;
  }
  /** The best sections for a query, as [section, score] pairs (also used by the browser check). */
  function search(query) {
    var words = query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
    words = words.filter(function (w) { return w.length >= 2 || words.length === 1; });
    if (!words.length || !index) return [];
    var scores = null;
    words.forEach(function (w) {
      var found = sectionsWithPrefix(w), next = {};
      for (var s in found) {
        if (scores === null || scores[s] !== undefined) next[s] = (scores ? scores[s] : 0) + found[s];
      }
      scores = next;
    });
    var list = [];
    for (var s in scores) {
      var heading = index.sections[s][2].toLowerCase(), bonus = 0;
      words.forEach(function (w) { if (heading.indexOf(w) >= 0) bonus += 3; });
      list.push([+s, scores[s] + bonus]);
    }
    list.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return list.slice(0, 12);
  }
  window.abSearch = function (query) { return search(query); };
  function render() {
    var q = input.value.trim();
    results.textContent = "";
    chosen = -1;
    if (!q) { results.hidden = true; return; }
    var found = search(q);
    results.hidden = false;
    if (!found.length) {
      var none = doc.createElement("p");
      none.textContent = "No section mentions “" + q + "”.";
      results.appendChild(none);
      return;
    }
    var list = doc.createElement("ul");
    found.forEach(function (hit) {
      var section = index.sections[hit[0]], page = index.pages[section[0]];
      var li = doc.createElement("li"), a = doc.createElement("a");
      a.href = page[0] + (section[1] ? "#" + section[1] : "");
      var title = doc.createElement("span");
      title.className = "search-lesson";
      title.textContent = page[1];
      a.appendChild(title);
      if (section[1]) a.appendChild(doc.createTextNode(section[2]));
      li.appendChild(a);
      list.appendChild(li);
    });
    results.appendChild(list);
  }
  if (box && input && results) {
    box.hidden = false;
    results.hidden = true;
    input.addEventListener("focus", function () { loadIndex(render); });
    input.addEventListener("input", function () { loadIndex(render); });
    input.addEventListener("keydown", function (e) {
      var links = results.querySelectorAll("a");
      if (e.key === "Escape") { input.value = ""; render(); input.blur(); }
      else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!links.length) return;
        chosen = (chosen + (e.key === "ArrowDown" ? 1 : -1) + links.length) % links.length;
        each("a", function (a, i) { a.classList.toggle("is-chosen", i === chosen); }, results);
        e.preventDefault();
      } else if (e.key === "Enter" && links.length) {
        location.href = links[Math.max(chosen, 0)].href;
        e.preventDefault();
      }
    });
    doc.addEventListener("click", function (e) {
      if (!box.contains(e.target)) results.hidden = true;
    });
  }

  // Keys: "/" searches, ← and → go to the previous and next lesson.
  doc.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || typing(e) || e.defaultPrevented) return;
    if (e.key === "/" && input) { input.focus(); e.preventDefault(); return; }
    if (e.target && e.target.closest && e.target.closest(".ab-fig,.ab-stmt")) return;
    var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : null;
    var link = rel && doc.querySelector('.pager a[rel="' + rel + '"]');
    if (link) { location.href = link.href; e.preventDefault(); }
  });

  // The phone menu: the button opens the lesson list over the page.
  var menu = doc.querySelector(".menu-button"), side = doc.getElementById("sidebar");
  if (menu && side) {
    menu.setAttribute("role", "button");
    menu.setAttribute("aria-expanded", "false");
    menu.addEventListener("click", function (e) {
      if (getComputedStyle(menu).display === "none") return;
      var open = !doc.body.classList.contains("menu-open");
      doc.body.classList.toggle("menu-open", open);
      menu.setAttribute("aria-expanded", String(open));
      if (open) { var a = side.querySelector("a"); if (a) a.focus(); }
      e.preventDefault();
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && doc.body.classList.contains("menu-open")) {
        doc.body.classList.remove("menu-open");
        menu.setAttribute("aria-expanded", "false");
        menu.focus();
      }
    });
  }

  // "On this page" marks the section in view.
  var toc = doc.querySelector(".lesson-page .toc");
  if (toc && "IntersectionObserver" in window) {
    var links = {}, order = [];
    each("a[href^='#']", function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1)), h = doc.getElementById(id);
      if (h) { links[id] = a; order.push(h); }
    }, toc);
    var visible = {};
    var mark = function () {
      var current = null;
      for (var i = 0; i < order.length; i++) {
        if (order[i].getBoundingClientRect().top < window.innerHeight * 0.3) current = order[i].id;
      }
      for (var id in links) {
        links[id].classList.toggle("is-current", id === current);
        if (id === current) links[id].setAttribute("aria-current", "location");
        else links[id].removeAttribute("aria-current");
      }
    };
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { visible[en.target.id] = en.isIntersecting; });
      mark();
    }, { rootMargin: "0px 0px -60% 0px" });
    order.forEach(function (h) { observer.observe(h); });
    window.addEventListener("scroll", function () { window.requestAnimationFrame(mark); }, { passive: true });
    mark();
  }

  // Copy buttons on code blocks and scenario listings.
  if (navigator.clipboard) {
    each("pre > code, .ab-listing:not(.ab-answer)", function (code) {
      var host = code.tagName === "CODE" ? code.parentNode : code.closest(".ab-scenario");
      if (!host || host.querySelector(":scope > .copy-button, :scope > .ab-head > .copy-button")) return;
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the code");
      button.addEventListener("click", function () {
        var text = code.tagName === "CODE" ? code.textContent : Array.prototype.map.call(
          code.querySelectorAll(".ab-stmt code, .ab-comment"), function (l) { return l.textContent; }).join("\n");
        navigator.clipboard.writeText(text).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
      var head = host.querySelector(":scope > .ab-head");
      if (head) {
        head.insertBefore(button, head.querySelector(".ab-ok"));
      } else {
        host.classList.add("has-copy");
        host.appendChild(button);
      }
    });
  }

  // Printing: every fold open.
  window.addEventListener("beforeprint", function () {
    each("details:not([open])", function (d) { d.setAttribute("open", ""); d.setAttribute("data-print-open", ""); });
  });
  window.addEventListener("afterprint", function () {
    each("details[data-print-open]", function (d) { d.removeAttribute("open"); d.removeAttribute("data-print-open"); });
  });
})();

// AllocBook: the step control of `figure=steps` figures, tied to the scenario's listing.
// Without JavaScript every frame shows, in order, under its caption; with it one frame shows
// at a time, the statement that produced it is highlighted in the listing, and clicking a
// statement (or Enter on it) jumps the figure there. Deep links #ID-step-N select a frame.
// Built into allocbook; a course replaces it with content/theme/figures.js.
(function () {
  function setup(fig) {
    var frames = Array.prototype.slice.call(fig.querySelectorAll(".ab-frame"));
    var ctl = fig.querySelector(".ab-ctl");
    if (!ctl || frames.length < 2) return;
    var prev = ctl.querySelector(".ab-prev"), next = ctl.querySelector(".ab-next"),
      range = ctl.querySelector(".ab-range"), now = ctl.querySelector(".ab-now"),
      diff = ctl.querySelector(".ab-diff input"), list = fig.querySelector(".ab-frames"),
      cur = 0;
    var block = fig.closest(".ab-scenario");
    var rows = block ? Array.prototype.slice.call(block.querySelectorAll(".ab-stmt[data-step]")) : [];
    function show(i, anchor) {
      cur = Math.max(0, Math.min(frames.length - 1, i));
      frames.forEach(function (f, k) { f.classList.toggle("is-current", k === cur); });
      range.value = String(cur + 1);
      range.setAttribute("aria-valuetext", "Step " + (cur + 1) + " of " + frames.length);
      prev.disabled = cur === 0;
      next.disabled = cur === frames.length - 1;
      now.textContent = frames[cur].getAttribute("data-caption");
      var step = frames[cur].getAttribute("data-step");
      rows.forEach(function (r) {
        var on = r.getAttribute("data-step") === step;
        r.classList.toggle("is-current", on);
        if (on) r.setAttribute("aria-current", "step"); else r.removeAttribute("aria-current");
      });
      if (anchor && history.replaceState) history.replaceState(null, "", "#" + frames[cur].id);
    }
    function fromHash() {
      var h = decodeURIComponent(location.hash.slice(1));
      for (var k = 0; k < frames.length; k++) {
        if (frames[k].id === h) { show(k, false); return true; }
      }
      return false;
    }
    // A frame whose memory equals an earlier one refers to it; draw a copy here.
    frames.forEach(function (f) {
      var same = f.getAttribute("data-same"), src = same && document.getElementById(same),
        panels = src && src.querySelector(".ab-panels");
      if (!panels) return;
      var copy = panels.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("svg"), function (svg, k) {
        svg.removeAttribute("aria-labelledby");
        if (k === 0) svg.setAttribute("aria-label", f.getAttribute("data-caption") +
          ". Memory unchanged since step " + src.getAttribute("data-step") + ".");
        else svg.setAttribute("aria-hidden", "true");
      });
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
      Array.prototype.forEach.call(copy.querySelectorAll(".chg,.chg-t"), function (e) {
        e.classList.remove("chg", "chg-t");
      });
      f.appendChild(copy);
    });
    fig.classList.add("ab-js");
    ctl.hidden = false;
    list.tabIndex = 0;
    list.setAttribute("aria-label", "Steps; use the left and right arrow keys");
    prev.addEventListener("click", function () { show(cur - 1, true); });
    next.addEventListener("click", function () { show(cur + 1, true); });
    range.addEventListener("input", function () { show(parseInt(range.value, 10) - 1, true); });
    diff.addEventListener("change", function () {
      fig.setAttribute("data-diff", diff.checked ? "on" : "off");
    });
    fig.addEventListener("keydown", function (e) {
      if (e.target === range || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "ArrowLeft") { show(cur - 1, true); e.preventDefault(); e.stopPropagation(); }
      else if (e.key === "ArrowRight") { show(cur + 1, true); e.preventDefault(); e.stopPropagation(); }
    });
    // Statements of the listing jump the figure to their step.
    rows.forEach(function (r) {
      r.tabIndex = 0;
      r.title = "Show the memory after this statement";
      function jump() {
        show(parseInt(r.getAttribute("data-step"), 10) - 1, true);
        var box = fig.getBoundingClientRect();
        if (box.top < 0 || box.top > window.innerHeight - 120) {
          fig.scrollIntoView({ block: "nearest" });
        }
      }
      r.addEventListener("click", function (e) {
        if (window.getSelection && String(window.getSelection()) !== "") return;
        if (e.target.closest("a,summary,button")) return;
        jump();
      });
      r.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { jump(); e.preventDefault(); }
      });
    });
    window.addEventListener("hashchange", fromHash);
    if (!fromHash()) show(0, false);
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('.ab-fig[data-mode="steps"]'), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* AllocBook "Try it": the small part every page carries (appended to assets/site.js).
 * It adds a "Try it" button to each scenario's badge line (no layout change for readers who
 * never press it) and, on the first press, loads assets/playground.js, which loads the
 * scenario sources and the WebAssembly models on demand. Without JavaScript nothing is added. */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = script && script.src ? new URL('.', script.src).href : 'assets/';
  var loading = null;

  function loadScript(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = base + name;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('cannot load ' + name)); };
      document.head.appendChild(s);
    });
  }

  /* Loads playground.js once; it defines window.AllocBook. */
  function loadPlayground() {
    if (!loading) loading = loadScript('playground.js');
    return loading;
  }
  window.AllocBookLoadPlayground = loadPlayground;
  window.AllocBookLoadScript = loadScript;
  window.AllocBookBase = base;

  function setup() {
    var blocks = document.querySelectorAll('.ab-scenario[data-scenario]');
    Array.prototype.forEach.call(blocks, function (block) {
      var badge = block.querySelector(':scope > .ab-head');
      if (!badge || badge.querySelector('.ab-try')) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'ab-try';
      button.textContent = 'Try it';
      button.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-label', 'Try it: edit and run this scenario');
      button.addEventListener('click', function () {
        button.disabled = true;
        loadPlayground().then(function () {
          button.disabled = false;
          window.AllocBook.toggleTry(block, button);
        }, function (error) {
          button.disabled = false;
          button.textContent = 'Try it (unavailable: ' + error.message + ')';
        });
      });
      badge.appendChild(button);
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setup);
  } else {
    setup();
  }
})();
