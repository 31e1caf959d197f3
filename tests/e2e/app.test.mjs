// End-to-end tests (tier 3): the release build, served on loopback, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, stageSnapshot } from './harness.mjs';

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
  assert.equal(await page.locator('.node').count(), 5, 'a producer, three brokers and a consumer');
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
  const still = await stageSnapshot(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await stageSnapshot(page), still, 'nothing moves before play');

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.locator('.stage-flights .msg-record').first().waitFor();
  // The stage places a message by its group's transform (within its link's group, which the
  // stage moves frame by frame along the link).
  const travel = () => page.evaluate(() => new Promise((resolve) => {
    const look = () => {
      const msg = document.querySelector('.stage-flights .msg');
      if (!msg) return requestAnimationFrame(look);
      const group = msg.parentElement;
      const placed = group.getAttribute('transform');
      const at = () => {
        const r = msg.getBoundingClientRect();
        return `${r.x.toFixed(1)},${r.y.toFixed(1)}`;
      };
      const first = at();
      // Within a few frames it moves on, unless it arrives first (its group is then removed).
      let frames = 0;
      const watch = () => {
        frames += 1;
        if (at() !== first || !group.isConnected || frames > 30) resolve([placed, first, at(), group.isConnected]);
        else requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    };
    look();
  }));
  const [placed, from, to, stillThere] = await travel();
  assert.match(String(placed), /^translate\(/, `a message is placed by its group's transform (${placed})`);
  if (stillThere) assert.notEqual(to, from, `and moves on while playing (${from})`);
  await screenshot(page, 'record-in-flight');
  await page.locator('svg.stage .cell').first().waitFor();
  await page.locator('.stage-flights .msg-ack').first().waitFor();
  await screenshot(page, 'ack-in-flight');

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const clock = page.locator('.clock');
  const pausedAt = await clock.innerText();
  // Two animation frames later the clock must not have moved.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await clock.innerText(), pausedAt);

  // A new run numbers its messages afresh: they are placed and moved all the same.
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.locator('.stage-flights .msg-record').first().waitFor();
  const [again, later, present] = await travel();
  assert.match(String(again), /^translate\(/, `a message of the new run is placed on its link (${again})`);
  if (present) assert.notEqual(later, again, `and moves on (${again})`);

  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await context.close();
});

test('the run plays to the end at 10x: every record is appended', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  const faster = page.getByRole('button', { name: 'Speed +' });
  for (let i = 0; i < 8; i++) await faster.click();
  assert.equal(await page.locator('.speed-value').innerText(), '10×');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // Playback stops by itself at the end: wait for the Play button to come back.
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 30_000 });
  const cells = await page.locator('svg.stage .cell text').allInnerTexts();
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

test('keyboard: space plays and pauses, arrows step, ? opens and closes the help, Escape closes it too', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  const clock = page.locator('.clock');

  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const third = await clock.innerText();
  const stage3 = await stageSnapshot(page);
  await page.keyboard.press('ArrowRight');
  assert.notEqual(await clock.innerText(), third, 'stepping forward moves the clock');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await clock.innerText(), third, 'stepping back returns to the earlier moment');
  assert.equal(await stageSnapshot(page), stage3, 'and to the same frame');

  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();

  // With a button focused, arrows still step (only Space and Enter belong to the button).
  await page.getByRole('button', { name: 'Reset' }).focus();
  const atFocus = await clock.innerText();
  await page.keyboard.press('ArrowRight');
  assert.notEqual(await clock.innerText(), atFocus, 'ArrowRight steps with a button focused');

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /play or pause/);
  await screenshot(page, 'help-overlay');
  // `?` toggles: pressed again (focus is on the dialog's Close button) it closes the help.
  await page.keyboard.press('?');
  await dialog.waitFor({ state: 'detached' });
  await page.keyboard.press('?');
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('dialog').count(), 0, 'Escape closed the help');
  // The dialog takes the focus, and `?` still closes it when the focus has wandered behind it
  // to a slider (which keeps every other key for itself).
  await page.keyboard.press('?');
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'btn btn-close');
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('?');
  await dialog.waitFor({ state: 'detached' });

  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('the timeline scrubs back to an earlier frame', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await timeline.fill('2000');
  assert.match(await page.locator('.clock').innerText(), /t = 2000 ms/);
  const at2000 = await stageSnapshot(page);
  await timeline.fill('4000');
  assert.match(await page.locator('.clock').innerText(), /t = 4000 ms/);
  await timeline.fill('2000');
  assert.equal(await stageSnapshot(page), at2000);
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('the Russian UI is chosen, shown and remembered after a reload', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.getByRole('button', { name: /RU/ }).click();
  await page.getByRole('button', { name: 'Пуск' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  await page.reload();
  await page.getByRole('button', { name: 'Пуск' }).waitFor();
  await screenshot(page, 'russian');
  await page.getByRole('button', { name: /EN/ }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});
