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
