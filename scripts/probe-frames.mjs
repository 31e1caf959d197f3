// Frame probe (not a test): plays busy-cluster with a fixed step (1/60 s of story a frame) for
// the first N frames under a Chromium trace and prints each rendered frame's main-thread CPU:
// the same stretch of story in every run, so builds compare frame by frame whatever the load.
// Frames where the ledger's table bodies came or went (a block dropped, rows drawn anew) are
// counted apart. Usage: node scripts/probe-frames.mjs [frames=150] (BENCH_CSS as in bench-frames).
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';
import { fixStep } from './fixed-step.mjs';
import { selfTime } from './trace-time.mjs';

const FRAMES = Number(process.argv[2] || 150);
const server = await serveDist();
const browser = await launch();


/** Waits for `n` real animation frames, marking in the trace the frames where ledger bodies changed. */
function run(n) {
  const table = () => document.querySelector('.ledger-table');
  let watched = null;
  const observer = new MutationObserver((list) => {
    if (list.some((m) => m.target.tagName === 'TABLE')) console.timeStamp('ledger-blocks');
  });
  const raf = window.__realRequestAnimationFrame;
  return new Promise((resolve) => {
    let count = 0;
    const tick = () => {
      const t = table();
      if (t && t !== watched) {
        observer.disconnect();
        observer.observe(t, { childList: true });
        watched = t;
      }
      if (++count < n) raf(tick);
      else {
        observer.disconnect();
        resolve(count);
      }
    };
    raf(tick);
  });
}

try {
  const { page } = await openPage(browser, server.origin, { width: 1280, height: 720 });
  await page.addInitScript(fixStep);
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  await page.locator('#scenario-select').selectOption('busy-cluster');
  await page.locator('svg.stage [data-node="B3"]').waitFor();
  // After the scenario is up, so that a style sheet hiding the stage or the panels can be tried.
  if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', ...(process.env.PROBE_DUMP ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.evaluate(run, FRAMES);
  const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const mains = new Set(trace.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const counts = {};
  for (const e of trace) if (mains.has(`${e.pid}:${e.tid}`) && e.name === 'FireAnimationFrame') counts[`${e.pid}:${e.tid}`] = (counts[`${e.pid}:${e.tid}`] || 0) + 1;
  const main = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
  const on = trace.filter((e) => `${e.pid}:${e.tid}` === main);
  const tasks = on.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.tdur !== undefined).sort((a, b) => a.ts - b.ts);
  const within = (names) => (t) => on.some((e) => names.includes(e.name) && e.ts >= t.ts && e.ts < t.ts + t.dur);
  const rendered = tasks.filter(within(['Layerize']));
  const stamps = on.filter((e) => e.name === 'TimeStamp');
  const frames = rendered.map((t) => ({
    ms: t.tdur / 1000,
    drop: stamps.some((s) => s.ts >= t.ts && s.ts < t.ts + t.dur),
    t,
  }));
  if (process.env.PROBE_WORST) {
    // The heaviest frames, each with its self time by trace event (where a slow frame's time goes).
    const worst = [...frames].map((f, i) => ({ ...f, i })).sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.PROBE_WORST));
    for (const f of worst) {
      const mine = on.filter((e) => e.ts >= f.t.ts && e.ts < f.t.ts + f.t.dur);
      const own = selfTime(mine);
      const top = Object.entries(own).sort((a, b) => b[1] - a[1]).slice(0, 7).map(([n, us]) => `${n} ${(us / 1000).toFixed(1)}`).join(', ');
      console.error(`frame ${f.i} ${f.ms.toFixed(1)} ms${f.drop ? ' (ledger blocks)' : ''}: ${top}`);
    }
  }
  const stats = (xs) => {
    const s = xs.map((f) => f.ms).sort((a, b) => a - b);
    const at = (p) => +(s[Math.min(s.length - 1, Math.floor(p * s.length))] || 0).toFixed(1);
    return { n: s.length, mean: +(s.reduce((a, b) => a + b, 0) / (s.length || 1)).toFixed(1), p50: at(0.5), p90: at(0.9), p95: at(0.95), max: at(1) };
  };
  // Self time by kind of work, per rendered frame (an event's time less that of its children).
  const self = selfTime(on);
  const per = (...names) => +(names.reduce((a, n) => a + (self[n] || 0), 0) / 1000 / frames.length).toFixed(2);
  if (process.env.PROBE_DUMP) {
    const fs = await import('node:fs');
    fs.writeFileSync(process.env.PROBE_DUMP, JSON.stringify(on.filter((e) => ['Layout', 'UpdateLayoutTree', 'Paint', 'ScheduleStyleRecalculation', 'InvalidateLayout', 'StyleRecalcInvalidationTracking', 'LayoutInvalidationTracking'].includes(e.name))));
  }
  console.log(JSON.stringify({
    frames: FRAMES,
    per_frame: {
      style: per('UpdateLayoutTree'),
      layout: per('Layout'),
      prepaint: per('PrePaint'),
      paint: per('Paint'),
      layerize: per('Layerize'),
      script: per('FunctionCall', 'FireAnimationFrame', 'EventDispatch', 'V8.Execute'),
      hittest: per('HitTest'),
    },
    rendered: stats(frames),
    with_ledger_blocks_changed: stats(frames.filter((f) => f.drop)),
    others: stats(frames.filter((f) => !f.drop)),
    over_16_7: frames.filter((f) => f.ms > 16.7).length,
  }));
} finally {
  await browser.close();
  await server.close();
}
