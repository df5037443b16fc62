/* AllocBook playground: the JavaScript side of the models compiled to WebAssembly.
 *
 * window.AllocBook.run(model, text, options) -> Promise<{lines, figure, diagnostics, steps, frames}>
 *   model: "malloc" or "kernel"; text: statements as a lesson writes them; options: {cpus, memory}
 *   as a fence sets them (and {slab_debug: "F"} for a kernel block booted with it), plus
 *   {steps: true} for every frame's SVG and {id} for the SVG ids.
 *
 * The module (assets/playground-wasm.js: the .wasm file as base64, so that it loads from file://)
 * is fetched on the first run, compiled once and instantiated again after a run that trapped
 * (the memory budget). The Try-it panel and playground.html are built on that one function. */
(function () {
  'use strict';
  /* assets/site.js (try.js) runs first on every page and gives the loader. */
  var loadScript = window.AllocBookLoadScript;
  var MEMORY_BUDGET_MIB = 512;
  var compiled = null;
  var instance = null;
  var queue = Promise.resolve();
  var stderr = '';

  /* The four WASI functions the C library imports: output (a fatal error's message) is kept
   * for the diagnostic; random bytes are zeros, so that every run is the same. */
  var wasi = {
    fd_close: function () { return 0; },
    fd_seek: function () { return 0; },
    fd_write: function (fd, iovs, count, written) {
      var view = new DataView(instance.exports.memory.buffer);
      var total = 0;
      for (var k = 0; k < count; k++) {
        var at = view.getUint32(iovs + 8 * k, true), n = view.getUint32(iovs + 8 * k + 4, true);
        stderr += new TextDecoder().decode(new Uint8Array(instance.exports.memory.buffer, at, n));
        total += n;
      }
      view.setUint32(written, total, true);
      return 0;
    },
    random_get: function (at, n) {
      new Uint8Array(instance.exports.memory.buffer, at, n).fill(0);
      return 0;
    }
  };

  function compileModule() {
    if (!compiled) {
      compiled = (window.AllocBookWasm ? Promise.resolve() : loadScript('playground-wasm.js'))
        .then(function () {
          var text = atob(window.AllocBookWasm);
          var bytes = new Uint8Array(text.length);
          for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
          return WebAssembly.compile(bytes);
        });
      compiled.catch(function () { compiled = null; });
    }
    return compiled;
  }

  function optionWord(name, value) {
    if (value === undefined || value === null || value === '') return '';
    var text = String(value);
    if (!/^[0-9A-Za-z]+$/.test(text)) {
      throw new Error("'" + name + "' must be a number or a size such as 64M, found '" + text + "'");
    }
    return ' ' + name + '=' + text;
  }

  function failure(message) {
    return { lines: [], figure: '', diagnostics: ['error: ' + message], steps: [], frames: [] };
  }

  function runNow(module, model, text, options) {
    var info;
    try {
      if (model !== 'malloc' && model !== 'kernel') {
        throw new Error("unknown model '" + model + "'; expected 'malloc' or 'kernel'");
      }
      info = 'scenario ' + model + optionWord('cpus', options.cpus) +
        optionWord('memory', options.memory) + optionWord('slab_debug', options.slab_debug);
    } catch (e) {
      return failure(e.message);
    }
    var id = String(options.id || 'ab-run').replace(/[^A-Za-z0-9_-]/g, '-');
    var wire = new TextEncoder().encode(
      info + '\n' + id + '\n' + (options.steps ? 'steps' : '') + '\n' + String(text));
    if (!instance) instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi });
    var ex = instance.exports;
    stderr = '';
    try {
      var at = ex.ab_buffer(wire.length);
      if (!at) return failure('the text does not fit in the playground\'s memory');
      new Uint8Array(ex.memory.buffer, at, wire.length).set(wire);
      var length = ex.ab_run(wire.length);
      var out = new Uint8Array(ex.memory.buffer, ex.ab_result(), length);
      return JSON.parse(new TextDecoder().decode(out));
    } catch (e) {
      var mib = Math.round(ex.memory.buffer.byteLength / 1048576);
      instance = null;
      if (stderr.trim()) return failure('the model stopped: ' + stderr.trim());
      /* The models are total (aborts and BUGs are outputs), so a silent trap is an allocation
       * that the module's memory could not hold. */
      return failure('the run needed more memory than the playground\'s budget of ' +
        MEMORY_BUDGET_MIB + ' MiB (it had ' + mib + ' MiB); use fewer or smaller allocations');
    }
  }

  /* The contract. Runs are queued: one at a time. */
  function run(model, text, options) {
    var opts = options || {};
    var result = queue.then(function () { return compileModule(); })
      .then(function (module) { return runNow(module, model, text, opts); });
    queue = result.catch(function () {});
    return result;
  }

  // ---- Shared view: a result listing at the text's lines, and a stepping figure ----

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function diagnosticLine(d) {
    var m = /^(\d+):(\d+): (.*)$/.exec(d);
    return m ? { line: +m[1], column: +m[2], text: m[3] } : { line: 0, column: 0, text: d };
  }

  /* Renders `result` for `text` into `out`: each source line with its outputs and the
   * diagnostics at their lines, then the figure with a step control. */
  function renderResult(out, text, result, id) {
    out.textContent = '';
    var byLine = {};
    (result.steps || []).forEach(function (s) { byLine[s.line] = s; });
    var errors = {};
    var general = [];
    result.diagnostics.forEach(function (d) {
      var p = diagnosticLine(d);
      if (p.line > 0) (errors[p.line] = errors[p.line] || []).push(p); else general.push(p.text);
    });
    general.forEach(function (g) { out.appendChild(el('p', 'ab-try-error', g)); });
    var pre = el('pre', 'ab-try-listing');
    var code = el('code');
    var source = text.split('\n');
    while (source.length > 1 && source[source.length - 1].trim() === '') source.pop();
    source.forEach(function (raw, i) {
      var n = i + 1;
      var line = raw.replace(/\r$/, '');
      if (/^\s*\/\/>/.test(line)) return;
      var step = byLine[n];
      var row = el('span', 'ab-line' + (step && step.hidden ? ' ab-try-hidden' : ''));
      row.appendChild(el('span', 'ab-try-no', String(n)));
      row.appendChild(document.createTextNode(line));
      code.appendChild(row);
      (errors[n] || []).forEach(function (p) {
        var e = el('span', 'ab-line ab-try-error');
        e.setAttribute('role', 'alert');
        e.textContent = ' '.repeat(Math.max(0, p.column - 1)) + '^ ' + n + ':' + p.column + ': ' + p.text;
        code.appendChild(e);
      });
      if (step) {
        /* Text a machine prints (/proc files, malloc_stats) keeps its columns, as in the lessons. */
        var verbatim = /^\s*(\/\/-\s*)?(cat\s|malloc_stats\s*\(|mallinfo2\s*\()/.test(line);
        step.lines.forEach(function (o) {
          var e = el('span', 'ab-line ab-out' + (verbatim ? ' ab-try-verbatim' : ''));
          var mark = el('span', 'ab-mark', '→ ');
          mark.setAttribute('aria-hidden', 'true');
          e.appendChild(mark);
          e.appendChild(document.createTextNode(o));
          code.appendChild(e);
        });
      }
    });
    pre.appendChild(code);
    out.appendChild(pre);
    var frames = result.frames && result.frames.length ? result.frames : null;
    if (!frames && !result.figure) return;
    var fig = el('figure', 'ab-try-fig');
    var holder = el('div', 'ab-try-svg');
    if (frames && frames.length > 1) {
      var ctl = el('div', 'ab-try-ctl');
      var prev = el('button', 'ab-prev', '← Prev');
      prev.type = 'button';
      var range = el('input', 'ab-range');
      range.type = 'range'; range.min = '1'; range.max = String(frames.length);
      range.setAttribute('aria-label', 'Step');
      var next = el('button', 'ab-next', 'Next →');
      next.type = 'button';
      var now = el('output', 'ab-now');
      now.setAttribute('aria-live', 'polite');
      ctl.appendChild(prev); ctl.appendChild(range); ctl.appendChild(next); ctl.appendChild(now);
      fig.appendChild(ctl);
      var show = function (k) {
        k = Math.max(0, Math.min(frames.length - 1, k));
        holder.innerHTML = frames[k].svg;
        range.value = String(k + 1);
        prev.disabled = k === 0;
        next.disabled = k === frames.length - 1;
        now.textContent = 'Step ' + (k + 1) + ' of ' + frames.length + ': after ' + frames[k].caption;
        fig.setAttribute('data-step', String(k + 1));
      };
      prev.addEventListener('click', function () { show(+range.value - 2); });
      next.addEventListener('click', function () { show(+range.value); });
      range.addEventListener('input', function () { show(+range.value - 1); });
      fig.addEventListener('keydown', function (e) {
        if (e.target.tagName === 'INPUT' && e.target.type === 'range') return;
        if (e.key === 'ArrowLeft') { show(+range.value - 2); e.preventDefault(); }
        if (e.key === 'ArrowRight') { show(+range.value); e.preventDefault(); }
      });
      fig.appendChild(holder);
      show(frames.length - 1);
    } else {
      holder.innerHTML = frames ? frames[0].svg : result.figure;
      fig.appendChild(holder);
    }
    out.appendChild(fig);
  }

  /* An editor with Run (and Ctrl+Enter), an optional Reset, and the result view. */
  function makeEditor(parent, settings) {
    var box = el('div', 'ab-try-editor');
    var label = el('label', 'ab-try-label', settings.label);
    var area = el('textarea', 'ab-try-text');
    area.id = settings.id + '-text';
    label.htmlFor = area.id;
    area.spellcheck = false;
    area.setAttribute('autocapitalize', 'off');
    area.value = settings.text;
    area.rows = Math.max(4, Math.min(24, settings.text.split('\n').length + 1));
    var note = el('p', 'ab-try-note',
      'Lines starting with //- are hidden setup lines: they run, but the lesson does not show ' +
      'them. Ctrl+Enter runs.');
    var bar = el('div', 'ab-try-bar');
    var runButton = el('button', 'ab-try-run', 'Run');
    runButton.type = 'button';
    bar.appendChild(runButton);
    var status = el('span', 'ab-try-status');
    status.setAttribute('aria-live', 'polite');
    var out = el('div', 'ab-try-out');
    box.appendChild(label); box.appendChild(area); box.appendChild(note); box.appendChild(bar);
    box.appendChild(status); box.appendChild(out);
    parent.appendChild(box);
    function go() {
      var text = area.value;
      var options = settings.options();
      options.steps = true;
      options.id = settings.id;
      runButton.disabled = true;
      status.textContent = 'Running…';
      var t0 = performance.now();
      return run(settings.model(), text, options).then(function (result) {
        runButton.disabled = false;
        var ms = Math.round(performance.now() - t0);
        status.textContent = result.diagnostics.length
          ? result.diagnostics.length + ' error' + (result.diagnostics.length === 1 ? '' : 's')
          : 'Ran ' + (result.steps || []).length + ' statement' +
            ((result.steps || []).length === 1 ? '' : 's') + ' in ' + ms + ' ms.';
        box.setAttribute('data-state', result.diagnostics.length ? 'error' : 'ok');
        renderResult(out, text, result, settings.id);
        if (settings.onRun) settings.onRun(text);
        return result;
      });
    }
    runButton.addEventListener('click', go);
    area.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); go(); }
    });
    return {
      box: box, area: area, bar: bar, out: out, status: status, run: go,
      clear: function () { out.textContent = ''; status.textContent = ''; box.removeAttribute('data-state'); }
    };
  }

  // ---- Try it on a lesson's scenario ----

  var sources = null;
  function loadSources() {
    if (!sources) {
      sources = (window.AllocBookScenarios ? Promise.resolve() : loadScript('scenarios.js'))
        .then(function () { return window.AllocBookScenarios; });
      sources.catch(function () { sources = null; });
    }
    return sources;
  }

  function toggleTry(block, button) {
    var id = block.getAttribute('data-scenario');
    var panel = block.querySelector('.ab-try-panel');
    if (panel) {
      panel.hidden = !panel.hidden;
      button.setAttribute('aria-expanded', String(!panel.hidden));
      if (!panel.hidden) panel.querySelector('textarea').focus();
      return Promise.resolve();
    }
    return loadSources().then(function (all) {
      var source = all[id];
      if (!source) return;
      panel = el('section', 'ab-try-panel');
      panel.setAttribute('aria-label', 'Try it');
      var editor = makeEditor(panel, {
        id: id + '-try', label: 'Edit the statements (' + source.model + ' model)',
        text: source.text,
        model: function () { return source.model; },
        options: function () {
          return { cpus: source.cpus, memory: source.memory, slab_debug: source.slab_debug };
        }
      });
      var reset = el('button', 'ab-try-reset', 'Reset');
      reset.type = 'button';
      reset.addEventListener('click', function () {
        editor.area.value = source.text;
        editor.clear();
        editor.area.focus();
      });
      var close = el('button', 'ab-try-close', 'Close');
      close.type = 'button';
      close.addEventListener('click', function () {
        panel.hidden = true;
        button.setAttribute('aria-expanded', 'false');
        button.focus();
      });
      editor.bar.appendChild(reset);
      editor.bar.appendChild(close);
      block.appendChild(panel);
      button.setAttribute('aria-expanded', 'true');
      editor.area.focus();
    });
  }

  // ---- playground.html ----

  function encodeState(state) {
    var parts = ['model=' + state.model];
    if (state.model === 'kernel') {
      if (state.cpus) parts.push('cpus=' + encodeURIComponent(state.cpus));
      if (state.memory) parts.push('memory=' + encodeURIComponent(state.memory));
    }
    parts.push('text=' + encodeURIComponent(state.text));
    return '#' + parts.join('&');
  }

  function decodeState(hash) {
    var state = {};
    hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) {
        try { state[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* skip */ }
      }
    });
    return state;
  }

  function setupPlayground(root) {
    var form = el('div', 'ab-pg-settings');
    function field(labelText, input) {
      var l = el('label', 'ab-pg-field');
      l.appendChild(el('span', null, labelText));
      l.appendChild(input);
      form.appendChild(l);
      return input;
    }
    var model = el('select');
    ['malloc', 'kernel'].forEach(function (m) {
      var o = el('option', null, m === 'malloc' ? 'malloc (glibc 2.36)' : 'kernel (buddy, SLUB, vmalloc)');
      o.value = m;
      model.appendChild(o);
    });
    field('Model', model);
    var cpus = el('input');
    cpus.type = 'number'; cpus.min = '1'; cpus.max = '8192'; cpus.placeholder = '2';
    var cpusField = field('CPUs', cpus);
    var memory = el('input');
    memory.type = 'text'; memory.placeholder = '64M'; memory.size = 6;
    var memoryField = field('Memory', memory);
    var starters = el('select');
    var first = el('option', null, 'Start from a lesson’s example…');
    first.value = '';
    starters.appendChild(first);
    field('Examples', starters);
    root.appendChild(form);
    var state = decodeState(location.hash);
    var editor = makeEditor(root, {
      id: 'ab-playground', label: 'Statements', text: state.text || '',
      model: function () { return model.value; },
      options: function () {
        return model.value === 'kernel' ? { cpus: cpus.value, memory: memory.value } : {};
      },
      onRun: function () { share.href = encodeState(current()); }
    });
    var share = el('a', 'ab-pg-share', 'Link to this experiment');
    editor.bar.appendChild(share);
    function current() {
      return { model: model.value, cpus: cpus.value, memory: memory.value, text: editor.area.value };
    }
    function kernelFields() {
      var kernel = model.value === 'kernel';
      cpusField.parentNode.hidden = !kernel;
      memoryField.parentNode.hidden = !kernel;
      editor.box.querySelector('.ab-try-label').textContent = 'Statements (' + model.value + ' model)';
    }
    model.value = state.model === 'kernel' ? 'kernel' : 'malloc';
    cpus.value = state.cpus || '';
    memory.value = state.memory || '';
    kernelFields();
    share.href = encodeState(current());
    model.addEventListener('change', function () { kernelFields(); share.href = encodeState(current()); });
    editor.area.addEventListener('input', function () { share.href = encodeState(current()); });
    loadSources().then(function (all) {
      (window.AllocBookStarters || []).forEach(function (id) {
        var s = all[id];
        if (!s) return;
        var o = el('option', null, s.lesson + ' (' + s.model + ')');
        o.value = id;
        starters.appendChild(o);
      });
      starters.addEventListener('change', function () {
        var s = all[starters.value];
        if (!s) return;
        model.value = s.model;
        cpus.value = s.model === 'kernel' && s.cpus ? String(s.cpus) : '';
        memory.value = s.model === 'kernel' && s.memory ? String(s.memory) : '';
        editor.area.value = s.text;
        editor.area.rows = Math.max(8, Math.min(24, s.text.split('\n').length + 1));
        kernelFields();
        editor.clear();
        share.href = encodeState(current());
      });
    });
    if (state.text) editor.run();
  }

  window.AllocBook = { run: run, toggleTry: toggleTry, setupPlayground: setupPlayground };
  var pg = document.getElementById('ab-playground');
  if (pg) setupPlayground(pg);
})();
