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
