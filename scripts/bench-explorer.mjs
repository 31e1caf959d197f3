#!/usr/bin/env node
// Benchmark (not a test): the explorer in headless Chromium, on the release build (run
// `trunk build --release` first), for the default scenario (`hello`) and for the explorer
// benchmark's scenario (`explorer::bench_scenario()`: 20 records, 3 brokers, RF 3, 5 s story;
// opened through a link, which tests/explorer.rs checks decodes to exactly that scenario), each
// across every preset the page explores. Prints, per run, the wall time from the click to the
// matrix as the page measures it, and the longest gap between animation frames while it ran, with
// the machine's load average before and after (the machine may be shared). The first run of each
// page includes whatever is left of spawning the workers (fetching and compiling their wasm):
// the page spawns them once the explorer panel comes near the viewport. By default the first
// click comes at once, without scrolling (the panel is below the fold at 1280×720, so the workers
// start with the click); with `--view MS` the panel is scrolled into view first and the first
// click comes MS milliseconds later, as a reader's would.
//   node scripts/bench-explorer.mjs [runs] [hello|bench|all] [--view MS]
import os from 'node:os';
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';

/** The link to `explorer::bench_scenario()`, as `view::link::encode` writes it. */
export const BENCH_QUERY =
  '?v=1&scenario=hello&patch=eyJkdXJhdGlvbl9tcyI6NTAwMCwibmFtZSI6ImV4cGxvcmVyIGJlbmNobWFyayIsIm5ldHdvcmsiOnsibGF0ZW5jeV9tcyI6MTAwfSwicHJvZHVjZXJzIjpbeyJjb25maWciOnt9LCJ3b3JrbG9hZCI6eyJpbnRlcnZhbF9tcyI6MTAwLCJrZXlzIjpbXSwicmVjb3JkcyI6MjAsInJlc2VuZF9vbl9mYWlsdXJlIjpmYWxzZSwic3RhcnRfbXMiOjB9fV19';

const SCENARIOS = { hello: '', bench: BENCH_QUERY };
const viewAt = process.argv.indexOf('--view');
const viewMs = viewAt > 0 ? Number(process.argv[viewAt + 1]) : null;
const args = process.argv.slice(2).filter((_, i, a) => a[i] !== '--view' && a[i - 1] !== '--view');
const runs = Number(args[0] ?? 3);
const which = args[1] ?? 'all';
const names = which === 'all' ? Object.keys(SCENARIOS) : [which];
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** Clicks Explore, then watches every animation frame until the summary of a new run appears. */
function measure() {
  return new Promise((resolve) => {
    const old = document.querySelector('.explorer-summary');
    if (old) old.remove();
    // Long tasks (> 50 ms) on the page's main thread: its own work, not the worker's.
    const longTasks = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    });
    observer.observe({ type: 'longtask' });
    const started = performance.now();
    let last = started;
    let max = 0;
    let frames = 0;
    let over50 = 0;
    let firstHit = null;
    const tick = (t) => {
      const gap = t - last;
      max = Math.max(max, gap);
      if (gap > 50) over50 += 1;
      last = t;
      frames += 1;
      if (firstHit === null && document.querySelector('table.xmatrix.is-live td.xcell-pending')) {
        firstHit = performance.now() - started;
      }
      const summary = document.querySelector('.explorer-summary');
      if (summary && !document.querySelector('progress.explorer-progress')) {
        observer.disconnect();
        const long_task_ms = Math.max(0, ...longTasks);
        resolve({
          wall_ms: performance.now() - started,
          max_gap_ms: max,
          frames,
          over50,
          long_task_ms,
          first_hit_ms: firstHit,
          summary: summary.innerText,
        });
      } else {
        requestAnimationFrame(tick);
      }
    };
    document.querySelector('.btn-explore').click();
    requestAnimationFrame(tick);
  });
}

const server = await serveDist();
const browser = await launch();
try {
  for (const name of names) {
    if (!(name in SCENARIOS)) throw new Error(`unknown scenario ${name}: hello, bench or all`);
    const { context, page, problems } = await openPage(browser, server.origin);
    await page.goto(server.url + SCENARIOS[name]);
    await page.locator('.btn-explore').waitFor();
    console.log(`${name}: ${await page.locator('.explorer-estimate').innerText()} (load average ${load()})`);
    if (viewMs !== null) {
      await page.locator('section.explorer').scrollIntoViewIfNeeded();
      await page.waitForTimeout(viewMs);
      console.log(`  (scrolled to the explorer, first click ${viewMs} ms later)`);
    }
    for (let i = 0; i < runs; i++) {
      const r = await page.evaluate(measure);
      const hit = r.first_hit_ms === null ? 'none' : `${r.first_hit_ms.toFixed(0)} ms`;
      console.log(
        `  run ${i + 1}: ${r.summary} wall ${r.wall_ms.toFixed(0)} ms, longest frame gap ${r.max_gap_ms.toFixed(1)} ms, ` +
          `${r.over50} frames over 50 ms of ${r.frames}, longest main-thread task ${r.long_task_ms.toFixed(0)} ms, ` +
          `first counted cell shown after ${hit} (load average ${load()})`,
      );
    }
    if (problems.consoleErrors.length) console.log('console errors:', problems.consoleErrors);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
