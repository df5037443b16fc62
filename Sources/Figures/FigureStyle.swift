/// The stylesheet and script of the figures, for the site's asset writer to append to the
/// site stylesheet and script.
///
/// Colours are CSS variables with a light and a dark theme (`prefers-color-scheme`, or
/// `data-theme="light|dark"` on the root element); fills of free and special states add a
/// pattern from `FigureRenderer.sharedDefinitions`, so state shows without colour too.
public enum FigureStyle {
    private static let light = """
        --ab-ink:#1d232a;--ab-muted:#56606a;--ab-bg:#fff;--ab-line:#3d4650;--ab-hatch:rgba(0,0,0,.22);\
        --ab-chg:#d6336c;--ab-tcs:#cdbfe6;--ab-use:#f4b860;--ab-tc:#9ed6cf;--ab-fast:#a9cdf0;\
        --ab-uns:#bfe3a8;--ab-small:#dcebb0;--ab-large:#efe3a6;--ab-top:#e5e7ea;--ab-fence:#8a939c;\
        --ab-text:#d9cfbf;--ab-data:#d6d9f0;--ab-bss:#e1e9f2;--ab-heap:#f7dcb0;--ab-lib:#dfe5ea;\
        --ab-stack:#cfe5cf;--ab-free:#eef1f4;--ab-resv:#a4acb5;--ab-big:#e9a45b;--ab-pages:#c9a57c;\
        --ab-vm:#b39ceb;--ab-vm-line:#6a4fc4;--ab-guard:#f6f6f6;--ab-s0:#7fb3e3;--ab-s1:#ee9a8d;\
        --ab-s2:#8fcd9b;--ab-s3:#cfaee6;--ab-s4:#e6cb72;--ab-s5:#79d0cd;
        """
    private static let dark = """
        --ab-ink:#e6e9ed;--ab-muted:#a3adb7;--ab-bg:#15191d;--ab-line:#aab4be;\
        --ab-hatch:rgba(255,255,255,.35);--ab-chg:#ff6b9a;--ab-tcs:#5b4d7a;--ab-use:#9a6424;\
        --ab-tc:#2e6d66;--ab-fast:#305a82;--ab-uns:#4a6b37;--ab-small:#5c6a2e;--ab-large:#6d6326;\
        --ab-top:#3a4047;--ab-fence:#6b737b;--ab-text:#5c5344;--ab-data:#474b6d;--ab-bss:#3b4a5a;\
        --ab-heap:#6e5430;--ab-lib:#3a444d;--ab-stack:#3d5a3d;--ab-free:#262c33;--ab-resv:#59626b;\
        --ab-big:#8e5a22;--ab-pages:#6e5234;--ab-vm:#5c47a0;--ab-vm-line:#b9a6ff;--ab-guard:#1d2227;\
        --ab-s0:#2f6394;--ab-s1:#9a4a3e;--ab-s2:#3f7a4c;--ab-s3:#704c90;--ab-s4:#8a7326;--ab-s5:#2c7a77;
        """

    /// The figures' CSS.
    public static let css = """
        :root{\(light)}
        @media (prefers-color-scheme:dark){:root:not([data-theme=light]){\(dark)}}
        :root[data-theme=dark]{\(dark)}
        .ab-fig{margin:1.5em 0}
        .ab-frames{list-style:none;margin:0;padding:0}
        .ab-frame{margin:0 0 1.2em;overflow-x:auto}
        .ab-frame .ab-svg{min-width:560px}
        .ab-cap{margin:.2em 0 .4em;font-size:.9em}
        .ab-same{margin:0;font-size:.9em;font-style:italic}
        .ab-legend{list-style:none;margin:.2em 0;padding:0;display:flex;flex-wrap:wrap;gap:.2em 1.2em;\
        font-size:.85em}
        .ab-legend li{display:flex;align-items:center;gap:.35em}
        .ab-sw{flex:none}
        .ab-svg{display:block;max-width:100%;height:auto;color:var(--ab-ink);font-size:11px;\
        font-family:"DejaVu Sans Mono",Menlo,ui-monospace,monospace}
        .ab-fig.ab-js .ab-frame:not(.is-current){display:none}
        .ab-ctl{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin:.4em 0}
        .ab-ctl[hidden]{display:none}
        .ab-ctl button{font:inherit;padding:.2em .7em}
        .ab-range{flex:1 1 8em}
        .ab-now{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .ab-frames:focus-visible{outline:2px solid var(--ab-chg);outline-offset:2px}
        .ab-svg,.ab-sw{fill:var(--ab-ink)}
        text.t9{font-size:9px}text.t10{font-size:10px}
        text.e{text-anchor:end}text.m{text-anchor:middle}
        text.hd{font-weight:bold}
        text.addr,text.muted{fill:var(--ab-muted)}
        rect.band,rect.ck,rect.sw,rect.chip,rect.vpage,rect.fold{stroke:var(--ab-line)}
        rect.empty{fill:none;stroke-dasharray:4 3}
        path.zoom{fill:none;stroke:var(--ab-muted);stroke-dasharray:3 3}
        line.brk{stroke:var(--ab-ink);stroke-width:2;stroke-dasharray:6 3}
        text.brk-t{font-weight:bold}
        .s-tcs{fill:url(#abp-tcs) var(--ab-tcs)}.s-use{fill:var(--ab-use)}
        .s-tc{fill:url(#abp-tc) var(--ab-tc)}.s-fast{fill:url(#abp-fast) var(--ab-fast)}
        .s-uns{fill:url(#abp-uns) var(--ab-uns)}.s-small{fill:url(#abp-small) var(--ab-small)}
        .s-large{fill:url(#abp-large) var(--ab-large)}.s-top{fill:url(#abp-top) var(--ab-top)}
        .s-fence{fill:var(--ab-fence)}
        .r-text{fill:var(--ab-text)}.r-data{fill:var(--ab-data)}.r-bss{fill:var(--ab-bss)}
        .r-heap{fill:var(--ab-heap)}.r-mmapChunk{fill:var(--ab-use)}.r-library{fill:var(--ab-lib)}
        .r-stack{fill:var(--ab-stack)}
        rect.pg-rsv{fill:var(--ab-bg);stroke:var(--ab-line);stroke-dasharray:2 2}
        .pg-res{fill:var(--ab-ink)}
        .o-free{fill:var(--ab-free)}.o-resv{fill:url(#abp-resv) var(--ab-resv)}
        .o-big{fill:url(#abp-big) var(--ab-big)}.o-pages{fill:url(#abp-pages) var(--ab-pages)}
        .o-vm{fill:url(#abp-vm) var(--ab-vm)}
        .o-slab0{fill:var(--ab-s0)}.o-slab1{fill:var(--ab-s1)}.o-slab2{fill:var(--ab-s2)}
        .o-slab3{fill:var(--ab-s3)}.o-slab4{fill:var(--ab-s4)}.o-slab5{fill:var(--ab-s5)}
        rect.grid{fill:url(#abp-g8) none;stroke:none}rect.grid.sl{fill:url(#abp-g10) none}
        rect.grid.sl5{fill:url(#abp-g5) none}
        rect.sl-free{fill:var(--ab-bg);stroke:var(--ab-line)}
        path.sl-run{fill:none;stroke-width:10px}path.sl-run.t5{stroke-width:5px}
        .sl-run.o-slab0{stroke:var(--ab-s0)}.sl-run.o-slab1{stroke:var(--ab-s1)}
        .sl-run.o-slab2{stroke:var(--ab-s2)}.sl-run.o-slab3{stroke:var(--ab-s3)}
        .sl-run.o-slab4{stroke:var(--ab-s4)}.sl-run.o-slab5{stroke:var(--ab-s5)}
        path.sep{stroke:var(--ab-line);stroke-opacity:.6}
        rect.guard{fill:url(#abp-guard) var(--ab-guard)}
        rect.unpurged{fill:none;stroke:var(--ab-muted);stroke-dasharray:4 2}
        rect.pstrip{fill:var(--ab-free);stroke:var(--ab-line)}
        path.map-line{fill:none;stroke:var(--ab-vm-line)}path.pframe{stroke:var(--ab-line)}
        rect.ov-box{fill:var(--ab-bg);stroke:var(--ab-line)}
        path.ov-arrow{fill:none;stroke:var(--ab-ink);stroke-width:1.5;marker-end:url(#abp-arrow)}
        .ab-fig[data-diff=on] .chg{stroke:var(--ab-chg);stroke-width:2.5}
        .ab-fig[data-diff=on] .sl-run.chg{stroke-width:10px}.ab-fig[data-diff=on] .sl-run.chg.t5{stroke-width:5px}
        .ab-fig[data-diff=on] .chg-t{fill:var(--ab-chg);font-weight:bold}
        .ab-defs{position:absolute;width:0;height:0;overflow:hidden}
        @media print{.ab-ctl{display:none!important}.ab-fig.ab-js .ab-frame{display:block!important}\
        .ab-frame{break-inside:avoid}}

        """

    /// The figures' script: the step control of `figure=steps` figures.
    public static let js = """
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

        """
}
