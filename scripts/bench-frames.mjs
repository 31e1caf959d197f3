// Frame-time benchmark (not a test): drives the release build in headless Chromium, opens the
// "busy-cluster" scenario (3 brokers × 6 partitions × 3 replicas, ~300 messages in flight at the
// peak), plays it at 1× and reports the intervals between animation frames (p50, p95, max) and
// the most messages drawn at once. Build first: `trunk build --release`.
// Usage: node scripts/bench-frames.mjs [seconds]
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';

const seconds = Number(process.argv[2] || 6);
const server = await serveDist();
const browser = await launch();
try {
  const { page, problems } = await openPage(browser, server.origin, { width: 1280, height: 720 });
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  await page.locator('#scenario-select').selectOption('busy-cluster');
  await page.locator('svg.stage [data-node="B3"]').waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  const result = await page.evaluate(async (ms) => {
    const gaps = [];
    let most = 0;
    let last = performance.now();
    const end = last + ms;
    await new Promise((resolve) => {
      const tick = (now) => {
        gaps.push(now - last);
        last = now;
        most = Math.max(most, document.querySelectorAll('svg.stage .msg').length);
        if (now < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    return { gaps, most };
  }, seconds * 1000);
  const sorted = [...result.gaps].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  console.log(JSON.stringify({
    scenario: 'busy-cluster',
    seconds,
    frames: sorted.length,
    most_messages_drawn: result.most,
    frame_ms: { p50: +pct(50).toFixed(1), p95: +pct(95).toFixed(1), max: +sorted.at(-1).toFixed(1) },
    console_errors: problems.consoleErrors.length,
  }, null, 2));
} finally {
  await browser.close();
  await server.close();
}
