// End-to-end: side by side. S2 under acks=1 (A) and acks=all (B): two stages on one timeline,
// played to the end; the moment the runs part is marked and explained; the ledgers are compared
// row by row, and m1 is lost under acks=1 only. A crash given while comparing happens in both
// runs; the keyboard drives both; no accessibility violations in light and dark, projector and phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot, axe, stageSnapshot } from './harness.mjs';

const env = useBrowser();

const S2 = '?v=1&scenario=s02-acks-1-leader-crash';

/** Opens S2 in compare mode with acks=1 as A and Kafka's defaults (acks=all) as B. */
async function openCompare(viewport) {
  const ctx = await openPage(env.browser, env.server.origin, viewport);
  const { page } = ctx;
  await page.goto(env.server.url + S2);
  await page.locator('svg.stage').waitFor();
  await page.getByRole('button', { name: 'Side by side' }).click();
  await page.locator('.compare-mode').waitFor();
  await page.getByLabel('Configuration A').selectOption('unsafe-acks-1');
  await page.getByLabel('Configuration B').selectOption('kafka-defaults');
  return ctx;
}

const clock = (page) => page.locator('.compare-mode .clock').innerText();
const seek = (page, ms) => page.getByRole('slider', { name: 'Timeline' }).fill(String(ms));
const stage = (page, side) => page.locator(`.compare-side[data-side="${side}"] svg.stage`);

test('S2 side by side: played to the end, the runs part at 100 ms and m1 is lost under acks=1 only', async () => {
  const { context, page, problems } = await openCompare({ width: 1280, height: 720 });
  assert.equal(await page.locator('svg.stage').count(), 2, 'two stages');
  await page.getByRole('region', { name: /^Run A \(Unsafe: acks=1\)/ }).waitFor();
  await page.getByRole('region', { name: /^Run B \(Kafka defaults\)/ }).waitFor();
  // On a projector the two stages stand side by side.
  const [a, b] = [await stage(page, 'A').boundingBox(), await stage(page, 'B').boundingBox()];
  assert.ok(Math.abs(a.y - b.y) < 2 && b.x >= a.x + a.width, JSON.stringify({ a, b }));

  // One set of controls plays both: fastest speed, play, wait for the end.
  while ((await page.locator('.compare-mode .speed-value').innerText()) !== '10×') {
    await page.locator('.compare-mode .btn-faster').click();
  }
  await page.locator('.compare-mode .btn-play').click();
  await page.waitForFunction(() => {
    const c = document.querySelector('.compare-mode .clock');
    return c && /^t = 20000 ms of 20000 ms$/.test(c.textContent);
  });

  // The divergence: a distinct mark on the one timeline, and the sentence saying what differed.
  const mark = page.locator('.timeline-marks .mark-divergence');
  assert.equal(await mark.count(), 1);
  assert.equal(await mark.getAttribute('aria-label'), 'the runs part at 100 ms');
  const divergence = page.locator('.compare-divergence');
  assert.equal(await divergence.getAttribute('data-at-ms'), '100');
  assert.match(
    await divergence.innerText(),
    /At t = 100 ms the two runs part: under A, B1 acknowledged m1 to P1 when 1 of 3 replicas had it; under B, m1 is acknowledged only at t = 300 ms, when 3 of 3 replicas have it\./,
  );

  // The ledgers row by row: m1 lost after its ack under acks=1, exactly once under acks=all.
  const m1 = page.locator('table.compare-ledger tr[data-record="1"]');
  assert.equal(await m1.getAttribute('data-differs'), 'true');
  assert.match(await m1.getAttribute('class'), /\bdiffers\b/);
  assert.equal(await m1.locator('td[data-side="A"]').getAttribute('data-fate'), 'LostAcknowledged');
  assert.equal(await m1.locator('td[data-side="B"]').getAttribute('data-fate'), 'ExactlyOnce');
  assert.match(await m1.locator('td[data-side="A"]').innerText(), /lost after ack/);
  const m2 = page.locator('table.compare-ledger tr[data-record="2"]');
  assert.equal(await m2.getAttribute('data-differs'), 'false');
  assert.match(await page.locator('.compare-ledger-verdict').innerText(), /^1 of 2 records fare differently\.$/);
  await screenshot(page, 'compare-s2-end-1280');

  // The mark takes both stages to that moment: B1 is down under acks=1, still leading under acks=all.
  await mark.click();
  assert.equal(await clock(page), 't = 100 ms of 20000 ms');
  await stage(page, 'A').locator('.node-broker.is-down[data-node="B1"]').waitFor();
  assert.equal(await stage(page, 'B').locator('.node-broker.is-down').count(), 0);
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await context.close();
});

test('a crash given while comparing happens in both runs; the keyboard drives both stages', async () => {
  const { context, page, problems } = await openCompare({ width: 1280, height: 720 });
  await seek(page, 5000);
  await page.getByRole('button', { name: 'Crash C1', exact: true }).click();
  for (const side of ['A', 'B']) {
    await stage(page, side).locator('.node-consumer.is-down[data-node="C1"]').waitFor();
  }
  await seek(page, 4900);
  assert.equal(await page.locator('.compare-mode .node-consumer.is-down').count(), 0, 'not before 5000 ms');
  // Shortcuts act on the lock-step runs: Home resets (and forgets the crash), → steps both.
  await page.locator('h2#compare-title').click();
  await page.keyboard.press('Home');
  assert.equal(await clock(page), 't = 0 ms of 20000 ms');
  await page.keyboard.press('ArrowRight');
  assert.equal(await clock(page), 't = 100 ms of 20000 ms');
  await seek(page, 6000);
  assert.equal(await page.locator('.compare-mode .node-consumer.is-down').count(), 0, 'reset forgot the crash');
  // Back to one run: the single stage returns.
  await page.getByRole('button', { name: 'One run' }).click();
  await page.locator('.compare-mode').waitFor({ state: 'detached' });
  assert.equal(await page.locator('svg.stage').count(), 1);
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('a copied compare link reopens side by side with the same configurations, faults and moment', async () => {
  const { context, page, problems } = await openCompare({ width: 1280, height: 720 });
  await page.getByLabel('Configuration B').selectOption('idempotent');
  await seek(page, 5000);
  await page.getByRole('button', { name: 'Crash C1', exact: true }).click();
  await seek(page, 6000);
  await page.locator('.compare-mode').getByRole('button', { name: 'Copy link' }).click();
  const link = await page.locator('.compare-mode .share-link').inputValue();
  assert.match(
    link,
    /\/labs\/delivery\/\?v=2&scenario=s02-acks-1-leader-crash&compare=unsafe-acks-1,idempotent&cfaults=[\w-]+&t=6000$/,
  );
  assert.equal(page.url(), link, 'the address bar follows the comparison');
  const before = {
    clock: await clock(page),
    a: await stageSnapshot(page, '.compare-side[data-side="A"] .stage-frame'),
    b: await stageSnapshot(page, '.compare-side[data-side="B"] .stage-frame'),
    ledger: await page.locator('table.compare-ledger').innerText(),
    divergence: await page.locator('.compare-divergence').innerText(),
  };
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();

  const second = await openPage(env.browser, env.server.origin);
  await second.page.goto(link);
  const p2 = second.page;
  await p2.locator('.compare-mode').waitFor();
  assert.equal(await p2.getByLabel('Configuration A').inputValue(), 'unsafe-acks-1');
  assert.equal(await p2.getByLabel('Configuration B').inputValue(), 'idempotent');
  assert.equal(await p2.getByRole('button', { name: 'Side by side' }).getAttribute('aria-pressed'), 'true');
  const after = {
    clock: await clock(p2),
    a: await stageSnapshot(p2, '.compare-side[data-side="A"] .stage-frame'),
    b: await stageSnapshot(p2, '.compare-side[data-side="B"] .stage-frame'),
    ledger: await p2.locator('table.compare-ledger').innerText(),
    divergence: await p2.locator('.compare-divergence').innerText(),
  };
  assert.deepEqual(after, before);
  assert.equal(before.clock, 't = 6000 ms of 20000 ms');
  for (const side of ['A', 'B']) {
    await stage(p2, side).locator('.node-consumer.is-down[data-node="C1"]').waitFor();
  }
  assert.equal(await p2.locator('.notice-link-error').count(), 0);
  // Back to one run: the address is a one-run (v=1) link again.
  await p2.getByRole('button', { name: 'One run' }).click();
  await p2.locator('.compare-mode').waitFor({ state: 'detached' });
  await p2.waitForFunction(() => /[?&]v=1&/.test(location.search) && !/compare=/.test(location.search));
  assert.deepEqual(second.problems, { consoleErrors: [], foreignRequests: [] });
  await second.context.close();
});

test('an "at the next step" fault given while comparing is armed and fires in both runs', async () => {
  const { context, page, problems } = await openCompare({ width: 1280, height: 720 });
  // At 9700 ms C1's next record is offset 0 under acks=1 (m1 was lost) and offset 1 under acks=all.
  await seek(page, 9700);
  await page.locator('.compare-mode .btn-arm-process').click();
  await page.locator('.compare-mode .armed li').first().waitFor();
  assert.equal(await page.locator('.compare-mode .armed li').count(), 2, 'one line per run');
  await seek(page, 20000);
  for (const side of ['A', 'B']) {
    await stage(page, side).locator('.node-consumer.is-down[data-node="C1"]').waitFor();
  }
  assert.equal(await page.locator('.compare-mode .armed li').count(), 0, 'both fired');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

// Names that stay as they are in Russian (as in lessons.test.mjs): Kafka's terms, keys, names.
const ALLOWED = new Set(`Delivery Lab Kafka ISR HW LEO pid acks all ok RU EN English t ms send fetch`.split(/\s+/));

/** English-looking words in the visible text; identifiers (digits, dots, =…) are names. */
async function englishWords(page) {
  const text = await page.evaluate(() => document.body.innerText);
  const words = [...text.matchAll(/[A-Za-z][A-Za-z0-9._\-=]*/g)].map((m) => m[0]);
  return [...new Set(words.filter((w) => !/[0-9._\-=]/.test(w) && w.length > 1 && !ALLOWED.has(w)))];
}

test('in Russian compare mode is all in Russian, the divergence too', async () => {
  const { context, page, problems } = await openCompare({ width: 1280, height: 720 });
  await seek(page, 20000);
  await page.locator('.btn-lang[lang="ru"]').click();
  await page.locator('html[lang="ru"]').waitFor();
  assert.match(await page.locator('.compare-divergence p').innerText(), /^При t = 100 мс прогоны расходятся: в прогоне A B1 подтвердил P1 запись m1/);
  assert.match(await page.locator('.compare-ledger-verdict').innerText(), /По-разному проходят записей: 1 из 2/);
  assert.deepEqual(await englishWords(page), [], 'English words on the Russian page');
  await screenshot(page, 'compare-russian');
  await page.locator('.btn-lang[lang="en"]').click();
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

for (const [name, viewport, scheme] of [
  ['projector-light', { width: 1280, height: 720 }, 'light'],
  ['projector-dark', { width: 1280, height: 720 }, 'dark'],
  ['phone-light', { width: 375, height: 740 }, 'light'],
  ['phone-dark', { width: 375, height: 740 }, 'dark'],
]) {
  test(`compare mode has no accessibility violations: ${name}`, async () => {
    const { context, page, problems } = await openCompare(viewport);
    await page.emulateMedia({ colorScheme: scheme });
    await seek(page, 20000);
    await page.locator('table.compare-ledger tr[data-record="1"]').waitFor();
    if (viewport.width < 500) {
      // On a phone the stages are stacked and nothing overflows the page sideways.
      const [a, b] = [await stage(page, 'A').boundingBox(), await stage(page, 'B').boundingBox()];
      assert.ok(b.y >= a.y + a.height - 1, JSON.stringify({ a, b }));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    }
    const violations = await axe(page);
    await screenshot(page, `compare-a11y-${name}`);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    assert.deepEqual(problems.consoleErrors, []);
    await context.close();
  });
}
