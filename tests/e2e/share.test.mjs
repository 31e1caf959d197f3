// End-to-end tests of sharing: links that reopen the same moment, broken links, the embed frame and
// its example page, and scenario files that are refused without losing anything.
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

async function open(path = '', viewport) {
  const ctx = await openPage(browser, server.origin, viewport);
  await ctx.page.goto(server.url + path);
  await ctx.page.locator('svg.stage').first().waitFor();
  return ctx;
}

const seek = (page, ms) => page.getByRole('slider', { name: 'Timeline' }).fill(String(ms));

test('a copied link reopened in a fresh browser context shows the same frame and ledger', async () => {
  const first = await open('?scenario=s02-acks-1-leader-crash');
  const { page } = first;
  await seek(page, 900);
  await page.getByRole('button', { name: 'Crash C1', exact: true }).click();
  await seek(page, 2500);
  await page.getByRole('button', { name: 'Restart C1' }).click();
  await seek(page, 3300);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.locator('.share-link').inputValue();
  assert.match(link, /\/labs\/delivery\/\?v=1&scenario=s02-acks-1-leader-crash&faults=[\w-]+&t=3300$/);
  assert.equal(page.url(), link, 'the address bar follows the session');
  const frame = await stageSnapshot(page);
  const ledger = await page.locator('.ledger-table').innerText();
  const clock = await page.locator('.clock').innerText();
  assert.deepEqual(first.problems, { consoleErrors: [], foreignRequests: [] });
  await first.context.close();

  const second = await openPage(browser, server.origin);
  await second.page.goto(link);
  await second.page.locator('svg.stage').waitFor();
  assert.equal(await second.page.locator('.clock').innerText(), clock);
  assert.equal(await stageSnapshot(second.page), frame);
  assert.equal(await second.page.locator('.ledger-table').innerText(), ledger);
  assert.equal(await second.page.locator('.notice-link-error').count(), 0);
  assert.deepEqual(second.problems, { consoleErrors: [], foreignRequests: [] });
  await second.context.close();
});

test('while playing the address bar stays still until the viewer acts, and catches up on pause', async () => {
  const { page, problems, context } = await open('?scenario=s02-acks-1-leader-crash');
  const clockMs = () => page.locator('.clock').innerText().then((t) => Number(/t = (\d+)/.exec(t)[1]));
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => /t = ([3-9]\d\d|\d{4,}) ms/.test(document.querySelector('.clock').textContent));
  const playing = page.url();
  assert.ok(!/[?&]t=[1-9]/.test(playing), `the frames of the run move no address: ${playing}`);
  // A fault given while playing is in the address at once, without waiting for a pause.
  await page.getByRole('button', { name: 'Crash C1', exact: true }).click();
  await page.waitForFunction(() => /[?&]faults=/.test(location.search));
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const at = await clockMs();
  await page.waitForFunction((ms) => new RegExp(`[?&]t=${ms}$`).test(location.search), at);
  await page.getByRole('button', { name: 'Copy link' }).click();
  assert.equal(page.url(), await page.locator('.share-link').inputValue(), 'paused, the address is the link');
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});

test('a broken, truncated or outdated link says what was wrong and opens the default scenario', async () => {
  const cases = [
    ['?v=1&scenario=hello&patch=eyJzZWVk', /“patch” is damaged or cut short/],
    ['?v=7&scenario=hello', /link format v=7/],
    ['?v=1&scenario=no-such-thing', /no scenario named “no-such-thing”/],
    ['?v=1&t=soon', /“t” should be a number/],
  ];
  for (const [query, message] of cases) {
    const { context, page, problems } = await open(query);
    const notice = page.locator('.notice-link-error');
    assert.match(await notice.innerText(), message);
    assert.match(await notice.innerText(), /default scenario/);
    assert.match(await page.locator('.clock').innerText(), /t = 0 ms of 8000 ms/);
    assert.equal(await page.locator('#scenario-select').inputValue(), 'hello');
    if (query.startsWith('?v=1&scenario=hello')) await screenshot(page, 'broken-link');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await notice.count(), 0);
    assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
    await context.close();
  }
});

test('embed mode shows the stage, the chosen controls and a link to the full app', async () => {
  const { context, page, problems } = await open(
    '?scenario=s07-lost-ack-idempotence-deduplicates&embed=1&controls=play,timeline',
    { width: 640, height: 400 },
  );
  assert.equal(await page.locator('.embed .btn-play').count(), 1);
  assert.equal(await page.locator('.embed .btn-step-forward').count(), 0);
  assert.equal(await page.locator('.embed .btn-reset').count(), 0);
  assert.equal(await page.locator('.panels').count(), 0, 'no panels in a frame');
  const open_link = page.getByRole('link', { name: 'Open in Delivery Lab' });
  assert.equal(await open_link.getAttribute('href'), '?v=1&scenario=s07-lost-ack-idempotence-deduplicates');
  await seek(page, 2000);
  assert.match(await page.locator('.clock').innerText(), /t = 2000 ms/);
  assert.ok(!page.url().includes('v=1'), 'an iframe leaves its address alone');
  await screenshot(page, 'embed-frame');
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});

test('the embed example page renders both frames from the sub-path with no console errors', async () => {
  const { context, page, problems } = await openPage(browser, server.origin, { width: 1280, height: 1400 });
  await page.goto(server.url + 'embed-example.html');
  for (const id of ['embed-acks1', 'embed-idempotent']) {
    const frame = page.frameLocator(`#${id}`);
    await frame.locator('.embed svg.stage').waitFor();
    assert.ok((await frame.locator('.embed svg.stage [data-node]').count()) >= 5, id);
  }
  // The second frame autoplays.
  await page.frameLocator('#embed-idempotent').locator('.clock').filter({ hasNotText: /^t = 0 ms/ }).waitFor();
  await screenshot(page, 'embed-example');
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});

test('a bad scenario file is refused with its field and problem, in the page\'s language, and nothing is lost', async () => {
  const { context, page, problems } = await open('?scenario=s02-acks-1-leader-crash&t=1200');
  const before = await page.locator('.clock').innerText();
  await page.locator('input.upload-scenario').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"brokers": {"count": 0}}'),
  });
  const error = page.locator('.share-error');
  await error.waitFor();
  assert.match(await error.innerText(), /bad\.json was not opened.*brokers\.count: must be 1\.\.=9, not 0/s);
  assert.equal(await page.locator('.clock').innerText(), before);
  await page.locator('input.upload-scenario').setInputFiles({
    name: 'good.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"name": "mine", "seed": 3, "duration_ms": 4000}'),
  });
  await page.locator('.share-status').filter({ hasText: 'Opened good.json' }).waitFor();
  assert.match(await page.locator('.clock').innerText(), /of 4000 ms/);
  // In Russian, the reason is Russian too.
  await page.getByRole('button', { name: /RU/ }).click();
  await page.locator('input.upload-scenario').setInputFiles({
    name: 'плохой.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"brokers": {"count": 0}}'),
  });
  await error.waitFor();
  assert.match(await error.innerText(), /плохой\.json не открыт.*brokers\.count: должно быть в пределах 1\.\.=9, а не 0/s);
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});

test('the scenario, the trace, the stage as SVG and PNG, and the sequence diagram download as files', async () => {
  const { context, page, problems } = await open('?scenario=s02-acks-1-leader-crash&t=1500');
  const fetch = async (button) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    return { name: download.suggestedFilename(), data: Buffer.concat(chunks) };
  };
  const scenario = await fetch('Download scenario');
  assert.equal(scenario.name, 'delivery-lab-scenario.json');
  assert.ok(JSON.parse(scenario.data).faults.length >= 1);
  const trace = JSON.parse((await fetch('Export trace (JSON)')).data);
  assert.ok(Array.isArray(trace.trace) && trace.trace.length > 10);
  const svg = (await fetch('Save stage (SVG)')).data.toString();
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /style="[^"]*fill:rgb/);
  assert.doesNotMatch(svg, /var\(--/);
  const png = (await fetch('Save stage (PNG)')).data;
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  const sequence = await fetch('Sequence diagram (SVG)');
  assert.equal(sequence.name, 'delivery-lab-sequence.svg');
  const diagram = sequence.data.toString();
  assert.match(diagram, /^<\?xml [^>]*\?>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const nodes = [...doc.querySelectorAll('.sd-lifeline')].map((g) => g.getAttribute('data-node'));
    return { error: doc.querySelector('parsererror') !== null, nodes, arrows: doc.querySelectorAll('.sd-arrow .sd-head').length };
  }, diagram);
  assert.equal(parsed.error, false, 'the diagram is well-formed XML');
  for (const node of ['P1', 'B1', 'B2', 'B3', 'C1']) assert.ok(parsed.nodes.includes(node), node);
  assert.ok(parsed.arrows >= 5, `${parsed.arrows} arrows`);
  assert.match(diagram, /<text[^>]*>m1<\/text>/, 'the first record is labelled');
  assert.match(diagram, /From t = 0 to t = 1500 ms/, 'the diagram stops at the cursor');
  // At a moment with messages in flight, the saved stage has them where the stage shows them.
  await page.getByRole('slider', { name: 'Timeline' }).fill('150');
  const onStage = await page.locator('.stage-flights [data-message]').count();
  assert.ok(onStage > 0, 'messages are in flight at 150 ms');
  const saved = (await fetch('Save stage (SVG)')).data.toString();
  const flights = [...saved.matchAll(/<g [^>]*data-flight="\d+"[^>]*>/g)].map((m) => m[0]);
  assert.equal(flights.length, onStage, 'every message on the stage is in the file');
  for (const g of flights) assert.match(g, /transform="translate\([-\d.]+[ ,]+[-\d.]+\)"/, g);
  // Each message's place in the file is the middle of its shape on the stage, in the stage's units.
  const shown = await page.evaluate(() => {
    const over = document.querySelector('.stage-flights').getBoundingClientRect();
    const width = Number(document.querySelector('svg.stage').getAttribute('viewBox').split(' ')[2]);
    const scale = over.width / width;
    return Object.fromEntries([...document.querySelectorAll('.stage-flights [data-flight]')].map((g) => {
      const r = g.querySelector('.msg-shape').getBoundingClientRect();
      return [g.dataset.flight, [(r.x + r.width / 2 - over.x) / scale, (r.y + r.height / 2 - over.y) / scale]];
    }));
  });
  const moved = await page.locator('.stage-flights svg.flight-link').evaluateAll((links) =>
    links.filter((l) => /translate/.test(l.style.transform) && !/^translate\(0%, 0%\)$/.test(l.style.transform)).length);
  assert.ok(moved > 0, 'some links have moved their messages (so the file must add their shift)');
  for (const g of flights) {
    const id = g.match(/data-flight="(\d+)"/)[1];
    const [x, y] = g.match(/transform="translate\(([-\d.]+)[ ,]+([-\d.]+)\)"/).slice(1).map(Number);
    const [sx, sy] = shown[id];
    assert.ok(Math.abs(x - sx) < 0.5 && Math.abs(y - sy) < 0.5, `message ${id} saved at ${x},${y}, shown at ${sx},${sy}`);
  }
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});

test('a broken link in an embed frame says so too', async () => {
  const { context, page, problems } = await open('?v=1&scenario=gone&embed=1', { width: 640, height: 400 });
  assert.match(await page.locator('.embed .notice-link-error').innerText(), /no scenario named “gone”/);
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});
