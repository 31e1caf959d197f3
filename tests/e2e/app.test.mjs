// End-to-end tests (tier 3): the release build, served on loopback, in headless Chromium.
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

test('the page renders its stage from a sub-path with no console errors and no foreign requests', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  const started = Date.now();
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  const renderMs = Date.now() - started;
  assert.equal(await page.locator('.node').count(), 3, 'producer, broker and consumer');
  assert.match(await page.locator('h1').innerText(), /Delivery Lab/);
  await screenshot(page, 'initial');
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  console.log(`# first render ${renderMs} ms after navigation`);
  await context.close();
});

test('play sends a record to the broker, its ack comes back, and pause stops the clock', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  assert.equal(await page.locator('.msg').count(), 0, 'nothing moves before play');

  await page.getByRole('button', { name: 'Play' }).click();
  await page.locator('.msg-record').first().waitFor();
  await screenshot(page, 'record-in-flight');
  await page.locator('.log-cell').first().waitFor();
  await page.locator('.msg-ack').first().waitFor();
  await screenshot(page, 'ack-in-flight');

  await page.getByRole('button', { name: 'Pause' }).click();
  const clock = page.locator('.clock');
  const pausedAt = await clock.innerText();
  // Two animation frames later the clock must not have moved.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await clock.innerText(), pausedAt);

  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await context.close();
});

test('the run plays to the end: every record is appended in order', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Play' }).click();
  // The default run lasts a few virtual seconds at 1x: wait for the Play button to come back.
  await page.getByRole('button', { name: 'Play' }).waitFor({ timeout: 30_000 });
  const cells = await page.locator('.log-cell text').allInnerTexts();
  assert.ok(cells.length >= 1, 'records were appended');
  await screenshot(page, 'end-of-run');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('a panic inside the WASM shows a plain message instead of a frozen page', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url + '?selftest=panic');
  const alert = page.locator('#fatal-error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /internal error/);
  assert.match(await alert.innerText(), /self-test/);
  assert.ok(await page.getByRole('button', { name: 'Reload' }).isVisible());
  await screenshot(page, 'panic-message');
  assert.ok(problems.consoleErrors.some((e) => e.includes('Delivery Lab stopped')));
  assert.deepEqual(problems.foreignRequests, []);
  await context.close();
});
