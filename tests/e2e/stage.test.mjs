// End-to-end tests of the stage: faults, the ledger and the explanation, in headless Chromium.
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

async function open() {
  const ctx = await openPage(browser, server.origin);
  await ctx.page.goto(server.url);
  await ctx.page.locator('svg.stage').waitFor();
  return ctx;
}

const seek = (page, ms) => page.getByRole('slider', { name: 'Timeline' }).fill(String(ms));

test('at-least-once: crash the consumer after processing, before commit; the record is processed twice', async () => {
  const { context, page, problems } = await open();
  await seek(page, 500);
  await page.getByRole('button', { name: /Crash C1 after it processes the next record/ }).click();
  assert.match(await page.locator('.armed').innerText(), /crash C1/);
  await seek(page, 3000);
  await page.locator('.node-consumer.is-down').waitFor();
  await page.getByRole('button', { name: 'Restart C1' }).click();
  await seek(page, 8000);
  const twice = page.locator('.ledger-table tr[data-fate="ProcessedTwice"]');
  assert.ok((await twice.count()) >= 1, 'a record was processed twice');
  // The ledger tells assistive technology its size and each row's place in it (it draws only
  // the rows near its scroll box): here every row is drawn, so they are rows 2.. of count + 1.
  const places = await page.locator('.ledger-table tbody tr').evaluateAll(
    (rows) => rows.map((r) => Number(r.getAttribute('aria-rowindex'))));
  assert.ok(places.length > 3, `${places.length} ledger rows`);
  assert.deepEqual(places, places.map((_, i) => i + 2));
  assert.equal(await page.locator('.ledger-table').getAttribute('aria-rowcount'), String(places.length + 1));
  assert.match(await page.locator('.verdict.broken').first().innerText(), /at-most-once/);
  assert.match(await page.locator('.verdicts').innerText(), /at-least-once: held/);
  await screenshot(page, 'at-least-once-duplicate');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test("clicking a ledger row's record highlights its journey; the keyboard does the same", async () => {
  const { context, page, problems } = await open();
  await seek(page, 3000);
  const m1 = page.locator('.ledger-table tr[data-record="1"]');
  const m2 = page.locator('.ledger-table tr[data-record="2"]');
  await m1.getByRole('button', { name: 'm1' }).click();
  await page.locator('.ledger-table tr.is-selected[data-record="1"]').waitFor();
  assert.equal(await m1.getByRole('button').getAttribute('aria-pressed'), 'true');
  assert.ok((await page.locator('svg.stage .cell.is-selected').count()) >= 1, "m1's cells are highlighted");
  // The keyboard: Tab from m1's button reaches m2's, Enter selects it, and the focus stays.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.closest('tr')?.getAttribute('data-record')), '2');
  await page.keyboard.press('Enter');
  await page.locator('.ledger-table tr.is-selected[data-record="2"]').waitFor();
  assert.doesNotMatch(await m1.getAttribute('class'), /is-selected/);
  assert.match(await m1.getAttribute('class'), /^fate-/);
  assert.equal(await m1.getByRole('button').getAttribute('aria-pressed'), 'false');
  assert.equal(await m2.getByRole('button').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.closest('tr')?.getAttribute('data-record')), '2');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('a crashed leader stays leader until the controller fences it (9 s), and the timeline marks the crash', async () => {
  const { context, page, problems } = await open();
  await seek(page, 1000);
  await page.getByRole('button', { name: 'Crash B1' }).click();
  await seek(page, 8000);
  await page.locator('.node-broker.is-down[data-node="B1"]').waitFor();
  // broker.session.timeout.ms is 9000: within this 8 s story nobody has replaced B1 yet.
  // The topic's partition p0 (the stage also draws __consumer_offsets partitions, co-N).
  const p0 = page.locator('.strip.is-leader', { has: page.locator('.strip-label', { hasText: /^p0$/ }) });
  assert.equal(await p0.getAttribute('data-broker'), '1');
  assert.ok((await page.locator('.mark-crash').count()) >= 1);
  await page.locator('.mark-crash').first().click();
  assert.match(await page.locator('.clock').innerText(), /t = 1000 ms/);
  assert.match(await page.locator('.story').innerText(), /B1 crashed/);
  await screenshot(page, 'leader-crash');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('acting in the past forks history and says so; the earlier frame is restored by stepping back', async () => {
  const { context, page, problems } = await open();
  await seek(page, 6000);
  await seek(page, 2000);
  const before = await stageSnapshot(page);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await stageSnapshot(page), before, 'step forward then back shows the same frame');
  await page.getByRole('button', { name: 'Crash P1' }).click();
  await page.locator('.notice-forked').waitFor();
  assert.match(await page.locator('.notice-forked').innerText(), /old future was discarded/);
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('clicking a message in flight follows its record and can lose it', async () => {
  const { context, page, problems } = await open();
  await seek(page, 150);
  const record = page.locator('.stage-flights .msg-record').first();
  await record.click();
  await page.locator('.selected-message').waitFor();
  assert.match(await page.locator('.selected-message').innerText(), /m1/);
  assert.equal(await page.locator('.msg.is-selected').count(), 1);
  await page.getByRole('button', { name: 'Lose this message' }).click();
  await seek(page, 1000);
  assert.match(await page.locator('.story').innerText(), /lost on the network|sends m1 again|m1/);
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('at-most-once: the same crash after processing loses the records the commit had covered', async () => {
  const { context, page, problems } = await open();
  await page.locator('button[data-preset="at-most-once"]').click();
  // Step until the consumer has processed its second record (offset 1), then arm the crash for
  // the next one: with commit-before-processing the rest of that poll is already committed.
  const story = page.locator('.story');
  const step = page.getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < 400 && !/processed m2\./.test(await story.innerText()); i++) {
    await step.click();
  }
  await page.getByRole('button', { name: /Crash C1 after it processes the next record/ }).click();
  await seek(page, 5000);
  await page.getByRole('button', { name: 'Restart C1' }).click();
  await seek(page, 8000);
  const skipped = page.locator('.ledger-table tr[data-fate="Skipped"]');
  assert.ok((await skipped.count()) >= 1, 'a record was committed but never processed');
  assert.match(await page.locator('.verdicts').innerText(), /at-least-once: broken/);
  await screenshot(page, 'at-most-once-loss');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

/**
 * How far (px) the messages' layers lie from the drawing area of the stage beside them, for each
 * stage: the `.stage-flights` box and every link's SVG in it (taken back by its CSS translation),
 * and how many link SVGs it has. A link SVG without the stage's viewBox counts as infinitely off.
 */
async function overlayOffsets(page) {
  return page.locator('.stage-frame').evaluateAll((frames) =>
    frames.map((frame) => {
      const stage = frame.querySelector('svg.stage');
      const over = frame.querySelector('.stage-flights');
      const links = [...over.querySelectorAll('svg.flight-link')];
      const s = stage.getBoundingClientRect();
      const b = getComputedStyle(stage);
      const inner = {
        left: s.left + parseFloat(b.borderLeftWidth),
        top: s.top + parseFloat(b.borderTopWidth),
        right: s.right - parseFloat(b.borderRightWidth),
        bottom: s.bottom - parseFloat(b.borderBottomWidth),
      };
      const off = (el) => {
        const r = el.getBoundingClientRect();
        const t = getComputedStyle(el).transform;
        const m = new DOMMatrix(t === 'none' ? undefined : t);
        const at = { left: r.left - m.e, top: r.top - m.f, right: r.right - m.e, bottom: r.bottom - m.f };
        return Math.max(...['left', 'top', 'right', 'bottom'].map((k) => Math.abs(at[k] - inner[k])));
      };
      const same = links.every((l) => l.getAttribute('viewBox') === stage.getAttribute('viewBox'));
      return { off: same ? Math.max(off(over), ...links.map(off)) : Infinity, links: links.length };
    }),
  );
}

test('the messages are drawn over the stage exactly where its nodes are: desktop, phone, side by side, embedded', async () => {
  const cases = [
    ['desktop', '', { width: 1280, height: 720 }, 1],
    ['phone', '', { width: 375, height: 740 }, 1],
    ['embedded', '?scenario=s07-lost-ack-idempotence-deduplicates&embed=1&controls=play,timeline', { width: 640, height: 400 }, 1],
  ];
  for (const [name, query, viewport, stages] of cases) {
    const { context, page, problems } = await openPage(browser, server.origin, viewport);
    await page.goto(server.url + query);
    await page.locator('svg.stage').first().waitFor();
    await page.locator('.stage-flights').first().waitFor({ state: 'attached' });
    // A moment with messages in flight, so that their links' SVGs are there.
    await page.getByRole('slider', { name: 'Timeline' }).fill('150');
    await page.locator('.stage-flights .msg').first().waitFor();
    const offsets = await overlayOffsets(page);
    assert.equal(offsets.length, stages, name);
    for (const { off, links } of offsets) {
      assert.ok(links > 0, `${name}: messages in flight`);
      assert.ok(off < 0.5, `${name}: the messages' layer is ${off} px off the stage`);
    }
    if (name === 'desktop') {
      await page.getByRole('button', { name: 'Side by side' }).click();
      await page.locator('.compare-mode').waitFor();
      await page.getByRole('slider', { name: 'Timeline' }).fill('150');
      await page.locator('.compare-stages .stage-flights .msg').first().waitFor();
      const sides = await overlayOffsets(page);
      assert.equal(sides.length, 2, 'side by side');
      for (const { off, links } of sides) {
        assert.ok(links > 0, 'side by side: messages in flight');
        assert.ok(off < 0.5, `side by side: the messages' layer is ${off} px off the stage`);
      }
    }
    assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] }, name);
    await context.close();
  }
});
