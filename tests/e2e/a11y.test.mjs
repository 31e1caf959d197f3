// Accessibility and layout: axe-core finds no violations, in light and dark, on a 1280×720
// projector and a 375 px phone; reduced motion is respected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, axe } from './harness.mjs';

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

for (const [name, viewport, scheme] of [
  ['projector-light', { width: 1280, height: 720 }, 'light'],
  ['projector-dark', { width: 1280, height: 720 }, 'dark'],
  ['phone-light', { width: 375, height: 740 }, 'light'],
]) {
  test(`no accessibility violations: ${name}`, async () => {
    const { context, page, problems } = await openPage(browser, server.origin, viewport);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    await page.locator('svg.stage').waitFor();
    // A moment with messages in flight, records in logs and rows in the ledger.
    await page.getByRole('slider', { name: 'Timeline' }).fill('2500');
    const violations = await axe(page);
    await screenshot(page, `a11y-${name}`);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    assert.deepEqual(problems.consoleErrors, []);
    await context.close();
  });
}

test("no accessibility violations in the explorer's finished matrix, light and dark", async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.locator('.btn-explore').click();
  await page.locator('.explorer-summary').waitFor({ timeout: 120_000 });
  await page.locator('table.xmatrix .xrow-same').first().waitFor();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await axe(page);
    assert.deepEqual(violations, [], `${scheme}: ${JSON.stringify(violations, null, 2)}`);
  }
  await screenshot(page, 'a11y-explorer-matrix-dark');
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('on a 375 px phone nothing overflows the page sideways', async () => {
  const { context, page } = await openPage(browser, server.origin, { width: 375, height: 740 });
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  await page.getByRole('slider', { name: 'Timeline' }).fill('6000');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  // The stage keeps a readable scale and scrolls inside its own frame instead.
  const stageWidth = await page.locator('svg.stage').evaluate((el) => el.getBoundingClientRect().width);
  assert.ok(stageWidth >= 700, `the stage is drawn ${stageWidth}px wide`);
  await screenshot(page, 'phone-stage');
  await context.close();
});

test('every control is reachable by keyboard and has a name', async () => {
  const { context, page } = await openPage(browser, server.origin);
  await page.goto(server.url);
  await page.locator('svg.stage').waitFor();
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, a[href]')]
      .filter((el) => !el.disabled && el.offsetParent !== null)
      .filter((el) => {
        const name = (el.getAttribute('aria-label') || el.textContent || el.title || '').trim();
        const labelled = el.labels && el.labels.length > 0;
        return !name && !labelled;
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  await context.close();
});

test('with reduced motion the page still works and sets no animations', async () => {
  const { context, page, problems } = await openPage(browser, server.origin);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.locator('.stage-flights .msg-record').first().waitFor();
  const animated = await page.evaluate(() => document.getAnimations().length);
  assert.equal(animated, 0);
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});
