// End-to-end tests of the configuration panel: presets, the guarantee badge, validation of typed
// values, the scenario picker, the Russian UI, a phone and dark mode.
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

async function open(options) {
  const opened = await openPage(browser, server.origin, options?.viewport);
  if (options?.dark) await opened.page.emulateMedia({ colorScheme: 'dark' });
  await opened.page.goto(server.url);
  await opened.page.locator('section.config .badge').waitFor();
  return opened;
}

const headline = (page) => page.locator('section.config .badge-headline');
const deciding = (page) => page.locator('section.config .badge-deciding');
const setting = (page, name) => page.locator(`section.config [data-field="${name}"]`).locator('select, input');

function clean(problems) {
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
}

test('a preset changes the badge and the values, and Kafka defaults bring them back', async () => {
  const { context, page, problems } = await open();
  assert.equal(await headline(page).innerText(), 'At least once');
  assert.equal(await setting(page, 'acks').inputValue(), 'all');
  await screenshot(page, 'config-defaults');

  await page.locator('button[data-preset="at-most-once"]').click();
  await page.locator('.badge-at-most-once').waitFor();
  assert.equal(await headline(page).innerText(), 'At most once');
  assert.equal(await setting(page, 'acks').inputValue(), '0');
  assert.equal(await setting(page, 'app.commit').inputValue(), 'before_processing');
  assert.equal(await setting(page, 'enable.auto.commit').inputValue(), 'false');

  await page.locator('button[data-preset="unsafe-acks-1"]').click();
  await page.locator('.badge-acked-loss').waitFor();
  assert.equal(await headline(page).innerText(), 'Acknowledged writes can be lost');
  assert.match(await deciding(page).innerText(), /acks=1/);

  await page.locator('button[data-preset="idempotent"]').click();
  await page.locator('.badge-at-least-once').waitFor();
  assert.equal(await setting(page, 'enable.idempotence').inputValue(), 'true');
  assert.equal(await setting(page, 'min.insync.replicas').inputValue(), '2');
  assert.match(await page.locator('.badge-note').innerText(), /Exactly once needs transactions/);
  await screenshot(page, 'config-preset-idempotent');

  await page.locator('button[data-preset="kafka-defaults"]').click();
  await page.locator('.badge-at-least-once').waitFor();
  assert.equal(await setting(page, 'acks').inputValue(), 'all');
  assert.equal(await setting(page, 'min.insync.replicas').inputValue(), '1');
  clean(problems);
  await context.close();
});

test('acks=0 is at most once and the badge names acks as the deciding setting', async () => {
  const { context, page, problems } = await open();
  await setting(page, 'acks').selectOption('0');
  await page.locator('.badge-at-most-once').waitFor();
  assert.equal(await headline(page).innerText(), 'At most once');
  assert.match(await deciding(page).innerText(), /Decided by:\s*acks=0/);
  // Idempotence was not set, so acks=0 silently switched it off: the option says so.
  assert.match(await setting(page, 'enable.idempotence').locator('option[value=""]').innerText(), /false/);
  await page.locator('.badge-why summary').click();
  assert.match(await page.locator('.badge-why').innerText(), /does not wait for an answer/);
  await screenshot(page, 'config-acks-0');
  // The run restarted with the new configuration and still plays.
  await page.getByRole('button', { name: 'Step forward' }).click();
  assert.doesNotMatch(await page.locator('.clock').innerText(), /^t = 0 ms/);
  clean(problems);
  await context.close();
});

test('a bad number shows a message, is not applied, and the page keeps working', async () => {
  const { context, page, problems } = await open();
  const rf = setting(page, 'replication.factor');
  await rf.fill('7');
  await rf.press('Tab');
  const error = page.locator('[data-field="replication.factor"] .config-error');
  await error.waitFor();
  assert.match(await error.innerText(), /from 1 to 3/);
  assert.equal(await rf.getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'config-bad-number');

  const timeout = setting(page, 'delivery.timeout.ms');
  await timeout.fill('1000');
  await timeout.press('Tab');
  const refused = page.locator('[data-field="delivery.timeout.ms"] .config-error');
  await refused.waitFor();
  assert.match(await refused.innerText(), /Not applied: .*delivery\.timeout\.ms/);

  // The page still plays, and a good value is applied and clears the message.
  await page.getByRole('button', { name: 'Step forward' }).click();
  assert.doesNotMatch(await page.locator('.clock').innerText(), /^t = 0 ms/);
  await rf.fill('2');
  await rf.press('Tab');
  await error.waitFor({ state: 'detached' });
  assert.equal(await rf.inputValue(), '2');
  assert.equal(await page.locator('[data-field="delivery.timeout.ms"] .config-error').count(), 0);
  assert.equal(await setting(page, 'delivery.timeout.ms').inputValue(), '120000');
  clean(problems);
  await context.close();
});

test('picking a catalogue scenario loads it on the stage with its description', async () => {
  const { context, page, problems } = await open();
  const picker = page.locator('#scenario-select');
  assert.equal(await picker.inputValue(), 'hello');
  await picker.selectOption('s26-keys-pick-partitions');
  await page.locator('.strip-label', { hasText: 'p2' }).first().waitFor();
  for (const broker of ['B1', 'B2', 'B3']) {
    assert.equal(await page.locator(`svg.stage [data-node="${broker}"]`).count(), 1, broker);
  }
  assert.match(await page.locator('.scenario-description').innerText(), /3-partition topic/);

  await picker.selectOption('s01-acks-0-leader-crash');
  await page.locator('.badge-at-most-once').waitFor();
  assert.equal(await picker.inputValue(), 's01-acks-0-leader-crash');
  assert.match(await page.locator('.scenario-description').innerText(), /acks=0/);
  await screenshot(page, 'config-catalogue-s01');

  // A change marks the scenario as changed; picking it again reloads the original.
  await setting(page, 'acks').selectOption('all');
  await page.locator('.badge-at-least-once').waitFor();
  assert.equal(await picker.inputValue(), '');
  assert.match(await picker.locator('option[value=""]').innerText(), /\(changed\)/);
  await picker.selectOption('s01-acks-0-leader-crash');
  await page.locator('.badge-at-most-once').waitFor();
  clean(problems);
  await context.close();
});

test('the Russian UI shows the panel in Russian, with Kafka names untouched', async () => {
  const { context, page, problems } = await open();
  await page.getByRole('button', { name: /RU/ }).click();
  await page.locator('#config-title', { hasText: 'Конфигурация' }).waitFor();
  assert.equal(await headline(page).innerText(), 'Как минимум один раз');
  assert.match(await deciding(page).innerText(), /Решает:\s*enable\.auto\.commit=true/);
  assert.equal(await page.locator('#scenario-select option[value="hello"]').innerText(), 'Привет, Kafka');
  assert.equal(await page.locator('[data-field="acks"] label').innerText(), 'acks');
  assert.match(await page.locator('.config-group legend').first().innerText(), /Продюсер/);
  await page.locator('button[data-preset="at-most-once"]', { hasText: 'Не более одного раза' }).click();
  await page.locator('.badge-at-most-once').waitFor();
  const rf = setting(page, 'replication.factor');
  await rf.fill('0');
  await rf.press('Tab');
  assert.match(await page.locator('.config-error').innerText(), /Введите целое число от 1 до 3/);
  await screenshot(page, 'config-russian');
  clean(problems);
  await context.close();
});

test('the panel fits a 375 px phone and reads in dark mode', async () => {
  const { context, page, problems } = await open({ viewport: { width: 375, height: 812 }, dark: true });
  // Nothing in the panel reaches past the screen's right edge (other panels are theirs to check).
  const wide = await page.locator('section.config').evaluate((panel) =>
    [...panel.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => `${e.tagName}.${e.className}`),
  );
  assert.deepEqual(wide, [], 'elements wider than the phone');
  const box = await page.locator('section.config').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, JSON.stringify(box));
  const bg = await page.locator('section.config').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(bg, 'rgb(31, 35, 41)', 'the dark panel colour');
  await page.locator('section.config').scrollIntoViewIfNeeded();
  await screenshot(page, 'config-phone-dark');
  clean(problems);
  await context.close();
});
