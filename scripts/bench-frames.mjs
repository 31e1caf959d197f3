// Frame-time benchmark (not a test): drives the release build in headless Chromium, opens the
// "busy-cluster" scenario (3 brokers × 6 partitions × 3 replicas, ~310 records and ~315 messages
// in flight at the peak), plays it at 1× and reports the intervals between animation frames (p50,
// p95, max, and how many were late: longer than 25 ms, one and a half refreshes of a 60 Hz
// screen) and the most messages and records drawn at once. Frame times are read from
// `requestAnimationFrame`, whose timestamps the browser rounds to 0.1 ms: a frame on time at 60 Hz
// is 16.6–16.8 ms after the one before. Then it plays the story again from the start for 3 s under a
// Chromium trace and reports the main thread's CPU time per frame by kind of work: busy machines
// stretch frame intervals, CPU time much less. Build first: `trunk build --release`.
//
// `--fixed-step`: every animation frame moves the story on by exactly 1/60 s, however long the
// frame really took, so each frame has the same work to do whatever the machine's load (on a
// busy machine, normal play draws fewer frames that each cover more of the story). The frame
// intervals then say how long a 60 fps frame's work takes here, and the CPU per frame is that
// work's cost, comparable between builds measured at different loads.
// `--compare`: the scenario side by side, two configurations (two stages) playing at once.
// Usage: node scripts/bench-frames.mjs [seconds] [--fixed-step] [--stage] [--compare]
// `rendered_frame_cpu_ms`: the distribution of each rendered frame's main-thread CPU time in the
// trace (a frame that does much more work than the others stands out even on a busy machine).
// `BENCH_CSS='…' node scripts/bench-frames.mjs`: adds that style sheet to the page first (to
// measure what hiding or restyling a part of the page would save). `BENCH_TOP=15`: also prints
// (on stderr) the 15 trace events with the most self time per frame. `BENCH_TRACE=file.json`:
// saves the Chromium trace (open it in chrome://tracing or Perfetto).
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';
import { fixStep } from './fixed-step.mjs';
import { selfTime } from './trace-time.mjs';

const args = process.argv.slice(2);
const fixedStep = args.includes('--fixed-step');
const stageInView = args.includes('--stage');
const sideBySide = args.includes('--compare');
const seconds = Number(args.find((a) => !a.startsWith('--')) || 6);

const TRACED_SECONDS = 3;
const server = await serveDist();
const browser = await launch();

/** Counts animation frames for `ms` in the page; returns the gaps and the most messages drawn. */
function frames(ms) {
  const gaps = [];
  let most = 0;
  let records = 0;
  let last = performance.now();
  const end = last + ms;
  // The real frames, even when the page's are stepped (`--fixed-step`).
  const raf = window.__realRequestAnimationFrame || window.requestAnimationFrame.bind(window);
  return new Promise((resolve) => {
    const tick = (now) => {
      gaps.push(now - last);
      last = now;
      most = Math.max(most, document.querySelectorAll('.stage-flights .msg').length);
      records = Math.max(records, document.querySelectorAll('.stage-flights .msg-record').length);
      if (now < end) raf(tick);
      else resolve({ gaps, most, records });
    };
    raf(tick);
  });
}

/** CPU milliseconds per frame of the page's main thread, by trace event, from a Chromium trace. */
function cpuPerFrame(traceEvents, frameCount) {
  const mains = new Set(
    traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const animationFrames = {};
  for (const e of traceEvents) {
    const t = `${e.pid}:${e.tid}`;
    if (mains.has(t) && e.name === 'FireAnimationFrame') animationFrames[t] = (animationFrames[t] || 0) + 1;
  }
  const main = Object.entries(animationFrames).sort((a, b) => b[1] - a[1])[0]?.[0];
  const events = traceEvents
    .filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.tdur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = selfTime(events);
  const total = events.filter((e) => e.name === 'RunTask').reduce((s, e) => s + e.tdur, 0);
  // Each rendered frame's own CPU time: the task that ran its lifecycle (the one with a Layerize),
  // so a frame that does much more than the others shows whatever the machine's load.
  const layerize = events.filter((e) => e.name === 'Layerize');
  const renders = events
    .filter((e) => e.name === 'RunTask' && layerize.some((l) => l.ts >= e.ts && l.ts < e.ts + e.dur))
    .map((e) => e.tdur / 1000)
    .sort((a, b) => a - b);
  const at = (p) => +(renders[Math.min(renders.length - 1, Math.floor(p * renders.length))] || 0).toFixed(1);
  const per = (ms) => +(ms / 1000 / frameCount).toFixed(1);
  if (process.env.BENCH_TOP) {
    // The trace events with the most self time per frame (to see where a frame's time goes).
    const top = Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_TOP) || 15);
    console.error(top.map(([name, ms]) => `${name} ${(ms / 1000 / frameCount).toFixed(2)}`).join('\n'));
  }
  const of = (...names) => names.reduce((s, n) => s + (self[n] || 0), 0);
  const style = of('UpdateLayoutTree');
  const layout = of('Layout');
  const paint = of('PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'Commit');
  return {
    total: per(total),
    style: per(style),
    layout: per(layout),
    paint: per(paint),
    script_and_other: per(total - style - layout - paint),
    rendered_frames: renders.length,
    rendered_frame_cpu_ms: { p50: at(0.5), p90: at(0.9), p95: at(0.95), max: at(1) },
  };
}

try {
  const { page, problems } = await openPage(browser, server.origin, { width: 1280, height: 720 });
  if (fixedStep) await page.addInitScript(fixStep);
  await page.goto(server.url);
  if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
  await page.locator('svg.stage').waitFor();
  await page.locator('#scenario-select').selectOption('busy-cluster');
  await page.locator('svg.stage [data-node="B3"]').waitFor();
  if (sideBySide) {
    await page.getByRole('button', { name: 'Side by side' }).click();
    await page.locator('.compare-stages svg.stage [data-node="B3"]').nth(1).waitFor();
  }
  // `--stage`: the stage's top at the top of the window, where the messages travel (its lower part
  // and the panels below it out of view), and the buttons pressed without scrolling to them.
  // Otherwise the click on Play scrolls the controls into view, with the stage's lower third.
  const press = (name) =>
    stageInView ? page.getByRole('button', { name }).dispatchEvent('click') : page.getByRole('button', { name }).click();
  if (stageInView) await page.locator('svg.stage').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await press('Play');
  const result = await page.evaluate(frames, seconds * 1000);
  const sorted = [...result.gaps].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

  await press('Reset');
  await press('Play');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const traced = await page.evaluate(frames, TRACED_SECONDS * 1000);
  const trace = JSON.parse((await browser.stopTracing()).toString());
  if (process.env.BENCH_TRACE) (await import('node:fs')).writeFileSync(process.env.BENCH_TRACE, JSON.stringify(trace));

  console.log(JSON.stringify({
    scenario: 'busy-cluster',
    mode: fixedStep ? 'fixed step (1/60 s of story a frame)' : 'real time',
    view: (stageInView ? 'the stage' : 'the controls and the stage\'s lower part') + (sideBySide ? ', side by side' : ''),
    seconds,
    frames: sorted.length,
    traced_frames: traced.gaps.length,
    most_messages_drawn: result.most,
    // Produce requests on their way to a leader, one record each.
    most_records_in_flight: result.records,
    frame_ms: { p50: +pct(50).toFixed(2), p95: +pct(95).toFixed(2), max: +sorted.at(-1).toFixed(2) },
    // Intervals longer than one and a half refreshes of a 60 Hz screen: a frame was missed.
    late_frames: sorted.filter((g) => g > 25).length,
    main_thread_cpu_ms_per_frame: cpuPerFrame(trace.traceEvents, traced.gaps.length),
    console_errors: problems.consoleErrors.length,
  }, null, 2));
} finally {
  await browser.close();
  await server.close();
}
