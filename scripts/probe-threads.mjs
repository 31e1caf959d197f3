// Thread probe (not a test): plays busy-cluster at 1× for N seconds (default 3) under a Chromium
// trace and prints the CPU time per frame of every thread of the browser (the page's main thread,
// its compositor and raster workers, the display compositor…): on a machine without a GPU the
// raster and the compositing share the cores with the page's main thread, and this shows how much.
// Usage: node scripts/probe-threads.mjs [seconds] [--fixed-step] (BENCH_CSS as in bench-frames).
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';
import { fixStep } from './fixed-step.mjs';

const args = process.argv.slice(2);
const fixedStep = args.includes('--fixed-step');
const seconds = Number(args.find((a) => !a.startsWith('--')) || 3);
const server = await serveDist();
const browser = await launch();

function frames(ms) {
  const raf = window.__realRequestAnimationFrame || window.requestAnimationFrame.bind(window);
  const gaps = [];
  let last = performance.now();
  const end = last + ms;
  return new Promise((resolve) => {
    const tick = (now) => {
      console.timeStamp('probe-frame');
      gaps.push(now - last);
      last = now;
      if (now < end) raf(tick);
      else resolve(gaps);
    };
    raf(tick);
  });
}

try {
  const { page } = await openPage(browser, server.origin, { width: 1280, height: 720 });
  if (fixedStep) await page.addInitScript(fixStep);
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  await page.locator('#scenario-select').selectOption('busy-cluster');
  await page.locator('svg.stage [data-node="B3"]').waitFor();
  if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
  await browser.startTracing(undefined, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', '__metadata'] });
  await page.getByRole('button', { name: 'Play' }).click();
  const gaps = await page.evaluate(frames, seconds * 1000);
  const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const names = {};
  for (const e of trace) if (e.ph === 'M' && e.name === 'thread_name') names[`${e.pid}:${e.tid}`] = e.args.name;
  const tops = topSlices(trace, names);
  const cpu = Object.fromEntries(Object.entries(tops).map(([t, es]) => [t, es.reduce((s, e) => s + e.tdur, 0)]));
  if (process.env.PROBE_LATE) late(trace, tops);
  const n = gaps.length;
  const sorted = [...gaps].sort((a, b) => a - b);
  const pct = (p) => +sorted[Math.min(n - 1, Math.floor(p * n))].toFixed(1);
  const rows = Object.entries(cpu).sort((a, b) => b[1] - a[1]).filter(([, v]) => v / 1000 / n >= 0.05);
  console.log(JSON.stringify({
    frames: n,
    frame_ms: { p50: pct(0.5), p95: pct(0.95), max: pct(1) },
    cpu_ms_per_frame_by_thread: Object.fromEntries(rows.map(([k, v]) => [k, +(v / 1000 / n).toFixed(2)])),
    all_threads_ms_per_frame: +(rows.reduce((s, [, v]) => s + v, 0) / 1000 / n).toFixed(1),
  }, null, 2));
} finally {
  await browser.close();
  await server.close();
}

/**
 * Each thread's top-level slices, by thread name (numbered workers counted together): a slice
 * inside another is part of its parent's time.
 */
function topSlices(trace, names) {
  const byTid = {};
  for (const e of trace) if (e.ph === 'X' && e.tdur !== undefined) (byTid[`${e.pid}:${e.tid}`] ||= []).push(e);
  const tops = {};
  for (const [t, es] of Object.entries(byTid)) {
    es.sort((x, y) => x.ts - y.ts || y.dur - x.dur);
    let end = -Infinity;
    const name = (names[t] || t).replace(/\d+$/, 'N');
    for (const e of es) {
      if (e.ts >= end) {
        (tops[name] ||= []).push(e);
        end = e.ts + e.dur;
      }
    }
  }
  return tops;
}

/** Prints, for each interval between animation frames over 25 ms, each thread's busy time in it. */
function late(trace, tops) {
  const marks = trace.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'probe-frame').map((e) => e.ts).sort((a, b) => a - b);
  for (let i = 1; i < marks.length; i++) {
    const [a, b] = [marks[i - 1], marks[i]];
    if (b - a < 25000) continue;
    const busy = Object.entries(tops).map(([t, es]) => {
      const ms = es.reduce((s, e) => s + Math.max(0, Math.min(b, e.ts + e.dur) - Math.max(a, e.ts)), 0) / 1000;
      return [t, ms];
    }).filter(([, ms]) => ms > 0.5).sort((x, y) => y[1] - x[1]).map(([t, ms]) => `${t} ${ms.toFixed(1)}`);
    console.error(`late frame ${i} (${((b - a) / 1000).toFixed(1)} ms): ${busy.join(', ')}`);
  }
}
