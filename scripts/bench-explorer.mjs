#!/usr/bin/env node
// Benchmark (not a test): the explorer on the default scenario in headless Chromium, on the
// release build (run `trunk build --release` first). Prints, per run, the wall time from the
// click to the matrix as the page measures it, and the longest gap between animation frames
// while it ran. The first run includes spawning the worker (fetching and compiling its wasm).
//   node scripts/bench-explorer.mjs [runs]
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 3);
const server = await serveDist();
const browser = await launch();
try {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.locator('.btn-explore').waitFor();
  const results = [];
  for (let i = 0; i < runs; i++) {
    // Clicks, then watches every animation frame until the summary of a new run appears.
    const r = await page.evaluate(
      () =>
        new Promise((resolve) => {
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
          const tick = (t) => {
            const gap = t - last;
            max = Math.max(max, gap);
            if (gap > 50) over50 += 1;
            last = t;
            frames += 1;
            const summary = document.querySelector('.explorer-summary');
            if (summary && !document.querySelector('progress.explorer-progress')) {
              observer.disconnect();
              const long_task_ms = Math.max(0, ...longTasks);
              resolve({ wall_ms: performance.now() - started, max_gap_ms: max, frames, over50, long_task_ms, summary: summary.innerText });
            } else {
              requestAnimationFrame(tick);
            }
          };
          document.querySelector('.btn-explore').click();
          requestAnimationFrame(tick);
        }),
    );
    results.push(r);
    console.log(
      `run ${i + 1}: ${r.summary} wall ${r.wall_ms.toFixed(0)} ms, longest frame gap ${r.max_gap_ms.toFixed(1)} ms, ` +
        `${r.over50} frames over 50 ms of ${r.frames}, longest main-thread task ${r.long_task_ms.toFixed(0)} ms`,
    );
  }
  if (problems.consoleErrors.length) console.log('console errors:', problems.consoleErrors);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
