(function(){
function setup(fig){
var frames=Array.prototype.slice.call(fig.querySelectorAll('.ab-frame'));
var ctl=fig.querySelector('.ab-ctl');if(!ctl||frames.length<2)return;
var prev=ctl.querySelector('.ab-prev'),next=ctl.querySelector('.ab-next'),
range=ctl.querySelector('.ab-range'),now=ctl.querySelector('.ab-now'),
diff=ctl.querySelector('.ab-diff input'),list=fig.querySelector('.ab-frames'),cur=0;
function show(i,anchor){cur=Math.max(0,Math.min(frames.length-1,i));
frames.forEach(function(f,k){f.classList.toggle('is-current',k===cur);});
range.value=String(cur+1);range.setAttribute('aria-valuetext','Step '+(cur+1)+' of '+frames.length);prev.disabled=cur===0;next.disabled=cur===frames.length-1;
now.textContent=frames[cur].getAttribute('data-caption');
if(anchor&&history.replaceState)history.replaceState(null,'','#'+frames[cur].id);}
function fromHash(){var h=decodeURIComponent(location.hash.slice(1));
for(var k=0;k<frames.length;k++)if(frames[k].id===h){show(k,false);return true;}return false;}
frames.forEach(function(f){var same=f.getAttribute('data-same'),src=same&&document.getElementById(same),
svg=src&&src.querySelector('svg');if(!svg)return;var copy=svg.cloneNode(true);
copy.removeAttribute('aria-labelledby');copy.setAttribute('aria-label',f.getAttribute('data-caption')
+'. Memory unchanged since step '+src.getAttribute('data-step')+'.');
Array.prototype.forEach.call(copy.querySelectorAll('[id]'),function(e){e.removeAttribute('id');});
Array.prototype.forEach.call(copy.querySelectorAll('.chg,.chg-t'),function(e){e.classList.remove('chg','chg-t');});
f.appendChild(copy);});
fig.classList.add('ab-js');ctl.hidden=false;list.tabIndex=0;
list.setAttribute('aria-label','Steps; use the left and right arrow keys');
prev.addEventListener('click',function(){show(cur-1,true);});
next.addEventListener('click',function(){show(cur+1,true);});
range.addEventListener('input',function(){show(parseInt(range.value,10)-1,true);});
diff.addEventListener('change',function(){fig.setAttribute('data-diff',diff.checked?'on':'off');});
fig.addEventListener('keydown',function(e){if(e.target===range||e.altKey||e.ctrlKey||e.metaKey)return;
if(e.key==='ArrowLeft'){show(cur-1,true);e.preventDefault();}
else if(e.key==='ArrowRight'){show(cur+1,true);e.preventDefault();}});
window.addEventListener('hashchange',fromHash);
if(!fromHash())show(0,false);}
function init(){Array.prototype.forEach.call(
document.querySelectorAll('.ab-fig[data-mode="steps"]'),setup);}
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',init);else init();
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
      var badge = block.querySelector('.ab-badge');
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
