// End-to-end: the GC-pause control. A paused node keeps its state and does nothing; resuming
// it lets what waited happen; the S21 zombie consumer processes records a second time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const seek = (page, ms) => page.getByRole('slider', { name: 'Timeline' }).fill(String(ms));

test('pause a consumer, see it frozen, resume it', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  await seek(page, 1000);
  const marksBefore = await page.locator('.mark-crash').count();
  await page.getByRole('button', { name: /^Freeze C1/ }).click();
  await page.locator('.node-consumer.is-paused[data-node="C1"]').waitFor();
  assert.match(await page.locator('.node-consumer[data-node="C1"] .node-state').textContent(), /paused/);
  assert.match(await page.locator('.story').innerText(), /C1 froze/);
  const processedWhilePaused = await page.locator('.node-consumer[data-node="C1"]').textContent();
  await seek(page, 4000);
  // Nothing changes for a frozen consumer, however long we wait.
  assert.equal(await page.locator('.node-consumer[data-node="C1"]').textContent(), processedWhilePaused);
  await page.getByRole('button', { name: /^Wake C1/ }).click();
  await seek(page, 8000);
  assert.equal(await page.locator('.node-consumer.is-paused').count(), 0);
  assert.equal(await page.locator('.mark-crash').count(), marksBefore + 1, 'the pause is marked');
  await screenshot(page, 'pause-resume');
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await context.close();
});

test('S21: the zombie consumer processes records twice and its commit is refused', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url + '?v=1&scenario=s21-gc-pause-zombie-consumer&t=40000');
  await page.locator('svg.stage').waitFor();
  const twice = page.locator('.ledger-table tr[data-fate="ProcessedTwice"]');
  assert.equal(await twice.count(), 3, 'm7, m8 and m9 are processed twice');
  await seek(page, 12000);
  await page.locator('.node-consumer.is-paused[data-node="C1"]').waitFor();
  await screenshot(page, 's21-zombie-consumer');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});
