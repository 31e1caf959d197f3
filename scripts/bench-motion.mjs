// Motion micro-benchmark (not a test): how the page's ways of moving ~270 messages compare in
// headless Chromium as the e2e tests launch it (--disable-gpu), away from the app. An SVG stage
// with 20 links; ~11 messages start per 60 fps frame and travel 1.5 s, as in the busy-cluster
// scenario. Modes:
//   svg      each message's group moved every frame by its own SVGTransform (setTranslate)
//   svglink  the messages of a link in one group, moved by one SVGTransform; each message
//            placed once (what the stage does since the fifth round)
//   svganim  each message's SVG group given a Web Animation of `transform` (Element.animate)
//   html     each message an absolutely positioned <div> (holding a small <svg>) over the stage,
//            given a Web Animation of `transform` (composited)
//   htmlwc   the same with `will-change: transform`
//   htmltext the same as html with the label as the div's own text (no inner <svg>)
// Prints the frames drawn in 6 s, the frame intervals' p50 and p95, and the main thread's time
// per frame (CDP Performance metrics: all tasks, style, layout, script).
// Usage: node scripts/bench-motion.mjs MODE
import { launch } from '../tests/e2e/harness.mjs';
const mode = process.argv[2];
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.setContent(`<!doctype html><html><body style="margin:0">
<div id="wrap" style="position:relative;width:1066px">
<svg id="stage" viewBox="0 0 1200 1100" style="width:1066px;display:block">
<rect x="0" y="0" width="1200" height="1100" fill="#eef"/>
${Array.from({length:40},(_,i)=>`<rect x="${(i%8)*140+20}" y="${Math.floor(i/8)*200+20}" width="120" height="150" rx="10" fill="#fff" stroke="#333"/><text x="${(i%8)*140+30}" y="${Math.floor(i/8)*200+40}">B${i}</text>`).join('')}
<g id="flights"></g>
</svg>
<div id="layer" style="position:absolute;left:0;top:0;width:1200px;height:1100px;transform-origin:0 0;transform:scale(${1066/1200});pointer-events:none"></div>
</div></body></html>`);
const cdp = await page.context().newCDPSession(page); await cdp.send('Performance.enable');
const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(x=>[x.name,x.value]));
const result = await page.evaluate(async ({ mode }) => {
  const NS = 'http://www.w3.org/2000/svg';
  const flights = document.getElementById('flights');
  const layer = document.getElementById('layer');
  const svg = document.getElementById('stage');
  const links = Array.from({ length: 20 }, (_, i) => [[100 + (i % 5) * 200, 100 + i * 40], [1100 - (i % 4) * 150, 900 - i * 30]]);
  let id = 0; const live = [];
  const linkGroups = links.map(([a,b]) => { const g = document.createElementNS(NS,'g'); flights.appendChild(g); const tr = svg.createSVGTransform(); g.transform.baseVal.appendItem(tr); return { g, tr: g.transform.baseVal.getItem(0), vx:(b[0]-a[0])/1500, vy:(b[1]-a[1])/1500 }; });
  function makeBody(label) {
    const s = document.createElementNS(NS, 'svg');
    s.setAttribute('width', '60'); s.setAttribute('height', '20'); s.setAttribute('viewBox', '-30 -10 60 20');
    s.innerHTML = `<rect x="-28" y="-9" width="56" height="18" rx="4" fill="hsl(${(id*137)%360} 70% 70%)" stroke="#000"/><rect x="-28" y="-9" width="5" height="18" fill="red"/><text y="4" text-anchor="middle" font-size="10.5" font-weight="600">${label}</text>`;
    return s;
  }
  function add(t) {
    const [a, b] = links[id % links.length];
    const m = { id: id++, a, b, sent: t, dur: 1500 };
    if (mode === 'svglink') {
      const k = (id - 1) % links.length;
      const lg = linkGroups[k];
      const g = document.createElementNS(NS, 'g');
      const inner = document.createElementNS(NS, 'g');
      inner.innerHTML = `<rect x="-28" y="-9" width="56" height="18" rx="4" fill="hsl(${(m.id*137)%360} 70% 70%)" stroke="#000"/><rect x="-28" y="-9" width="5" height="18" fill="red"/><text y="4" text-anchor="middle" font-size="10.5" font-weight="600">m${m.id}</text>`;
      g.appendChild(inner); lg.g.appendChild(g);
      // offset = a - v*sent ; group = v*t
      const vx = (b[0]-a[0])/m.dur, vy = (b[1]-a[1])/m.dur;
      g.setAttribute('transform', `translate(${a[0]-vx*t} ${a[1]-vy*t})`);
      m.el = g;
    } else if (mode === 'svg' || mode === 'svganim') {
      const g = document.createElementNS(NS, 'g');
      const inner = document.createElementNS(NS, 'g');
      inner.innerHTML = `<rect x="-28" y="-9" width="56" height="18" rx="4" fill="hsl(${(m.id*137)%360} 70% 70%)" stroke="#000"/><rect x="-28" y="-9" width="5" height="18" fill="red"/><text y="4" text-anchor="middle" font-size="10.5" font-weight="600">m${m.id}</text>`;
      g.appendChild(inner); flights.appendChild(g);
      m.el = g;
      if (mode === 'svganim') m.anim = g.animate([{ transform: `translate(${a[0]}px,${a[1]}px)` }, { transform: `translate(${b[0]}px,${b[1]}px)` }], { duration: m.dur, fill: 'both' });
      else { const tr = svg.createSVGTransform(); g.transform.baseVal.appendItem(tr); m.tr = g.transform.baseVal.getItem(0); }
    } else {
      const d = document.createElement('div');
      d.style.cssText = 'position:absolute;left:-30px;top:-10px;width:60px;height:20px;' + (mode==='htmlwc'?';will-change:transform':'');
      if (mode === 'htmltext') { d.textContent = 'm' + m.id; d.style.background = `hsl(${(m.id*137)%360} 70% 70%)`; d.style.border = '1px solid #000'; d.style.borderRadius = '4px'; d.style.font = '600 10.5px sans-serif'; d.style.textAlign = 'center'; } else d.appendChild(makeBody('m' + m.id)); layer.appendChild(d); m.el = d;
      m.anim = d.animate([{ transform: `translate(${a[0]}px,${a[1]}px)` }, { transform: `translate(${b[0]}px,${b[1]}px)` }], { duration: m.dur, fill: 'both' });
    }
    live.push(m);
  }
  const gaps = []; let last = performance.now(); const start = last; let acc = 0;
  await new Promise((resolve) => {
    const tick = (now) => {
      gaps.push(now - last); last = now;
      const t = now - start;
      // ~17 new messages per 60fps frame of story: rate ~1 per ms
      acc += (now - (tick.prev ?? now)) * 0.18; tick.prev = now;
      while (acc >= 1) { add(t); acc -= 1; }
      if (mode === 'svglink') for (const lg of linkGroups) lg.tr.setTranslate(lg.vx*t, lg.vy*t);
      for (let i = live.length - 1; i >= 0; i--) {
        const m = live[i]; const p = (t - m.sent) / m.dur;
        if (p >= 1) { m.el.remove(); live.splice(i, 1); continue; }
        if (mode === 'svg') m.tr.setTranslate(m.a[0] + (m.b[0] - m.a[0]) * p, m.a[1] + (m.b[1] - m.a[1]) * p);
      }
      if (t < 6000) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  const s = gaps.slice(30).sort((a, b) => a - b);
  return { live: live.length, frames: s.length, p50: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] };
}, { mode });
const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(x=>[x.name,x.value]));
const d = (k) => ((m1[k]-m0[k])*1000/result.frames).toFixed(2);
console.log(mode, JSON.stringify(result), 'per frame ms: task', d('TaskDuration'), 'style', d('RecalcStyleDuration'), 'layout', d('LayoutDuration'), 'script', d('ScriptDuration'));
await browser.close();
