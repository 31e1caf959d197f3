// End-to-end tests of the guided lessons (each runs through with Next and back with Back) and of
// the Russian UI (no English UI word left on screen, in any panel or lesson step).
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

async function open(path = '') {
  const ctx = await openPage(browser, server.origin);
  await ctx.page.goto(server.url + path);
  await ctx.page.locator('svg.stage').waitFor();
  return ctx;
}

const LESSONS = ['at-most-once', 'at-least-once', 'exactly-once', 'acks-and-replication',
  'consumer-groups', 'ordering', 'persistence'];

/** The step count of the open lesson, from "Step i of n". */
async function progress(page) {
  const text = await page.locator('.lesson-progress').innerText();
  const [, i, n] = text.match(/(\d+)\D+(\d+)/);
  return [Number(i), Number(n)];
}

test('each lesson runs through with Next and back with Back', async () => {
  const { context, page, problems } = await open();
  for (const id of LESSONS) {
    await page.locator(`.btn-lesson[data-lesson="${id}"]`).click();
    await page.locator(`.lesson-active[data-lesson="${id}"]`).waitFor();
    const [, count] = await progress(page);
    const clocks = [];
    for (let i = 1; i <= count; i++) {
      assert.deepEqual(await progress(page), [i, count], `${id} forward`);
      assert.match(page.url(), new RegExp(`lesson=${id}&step=${i}$`));
      clocks.push(await page.locator('.clock').innerText());
      const choices = page.locator('.btn-choice');
      if (await choices.count()) {
        await choices.first().click();
        await page.locator('.lesson-reveal').waitFor();
        assert.match(await page.locator('.lesson-reveal').innerText(), /^(Right|Not quite)\./);
      }
      if (i < count) await page.locator('.btn-lesson-next').click();
    }
    assert.equal(await page.locator('.btn-lesson-next').innerText(), 'Finish');
    for (let i = count; i > 1; i--) {
      await page.locator('.btn-lesson-back').click();
      assert.deepEqual(await progress(page), [i - 1, count], `${id} back`);
      await page.locator('.clock').filter({ hasText: clocks[i - 2] }).waitFor();
      assert.equal(await page.locator('.lesson-reveal').count(), 0, 'a revisited step asks again');
    }
    await page.locator('.btn-lesson-back').click();
    await page.locator('.lesson-list').waitFor();
  }
  await page.locator('.btn-lesson[data-lesson="consumer-groups"]').click();
  await screenshot(page, 'lesson-groups');
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});

test('a lesson step opened from a link shows that step', async () => {
  const { context, page, problems } = await open('?lesson=ordering&step=2');
  assert.deepEqual(await progress(page), [2, 3]);
  assert.match(await page.locator('.lesson-watch').innerText(), /five requests in flight/);
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});

// Names that stay as they are in Russian: Kafka's own terms and request names, config keys, node
// and record names.
// Names from the scenarios are allowed too: group ids (billing, audit; rc and ru, the
// read_committed and read_uncommitted groups) and app, owners the internal-topics panel shows.
const ALLOWED = new Set(`Delivery Lab Kafka ISR HW LEO GC pid acks all none true false poll commitSync
  read_committed fsync send close range murmur2 mod NOT_ENOUGH_REPLICAS group id billing audit user order t ms
  earliest latest sync async RU EN Ctrl C JSON SVG PNG KIP English Space Home Esc fetch ok producer offsets retries read_committed read_uncommitted ABORT COMMIT commitTransaction INVALID_PRODUCER_EPOCH CompleteCommit PrepareCommit CompleteAbort PrepareAbort Ongoing Empty PrepareEpochFence
  OffsetsForLeaderEpoch ru rc app`.split(/\s+/));

/**
 * English-looking words in the rendered text (innerText: what is visible, with names broken by
 * <wbr> joined again), leaving out elements marked lang="en" (scenario files are in English).
 */
async function englishWords(page) {
  const text = await page.evaluate(() => {
    const english = [...document.querySelectorAll('[lang="en"]')];
    const saved = english.map((el) => el.style.display);
    english.forEach((el) => { el.style.display = 'none'; });
    const all = document.body.innerText;
    english.forEach((el, i) => { el.style.display = saved[i]; });
    return all;
  });
  const words = [...text.matchAll(/[A-Za-z][A-Za-z0-9._\-=]*/g)].map((m) => m[0]);
  // Identifiers (with a digit, dot, underscore, dash or =) are names, not words.
  return [...new Set(words.filter((w) => !/[0-9._\-=]/.test(w) && w.length > 1 && !ALLOWED.has(w)))];
}

test('in Russian, no English UI word remains in any panel or lesson step', async () => {
  const { context, page, problems } = await open();
  await page.getByRole('button', { name: /RU/ }).click();
  await page.locator('html[lang="ru"]').waitFor();
  const found = new Map();
  const look = async (where) => {
    for (const w of await englishWords(page)) if (!found.has(w)) found.set(w, where);
  };
  await look('main page');
  await page.locator('.btn-help').click();
  await look('help');
  await page.keyboard.press('Escape');
  await page.locator('.btn-copy-link').click();
  await look('share');
  for (const id of LESSONS) {
    await page.locator(`.btn-lesson[data-lesson="${id}"]`).click();
    const [, count] = await progress(page);
    for (let i = 1; i <= count; i++) {
      const choices = page.locator('.btn-choice');
      if (await choices.count()) await choices.last().click();
      await look(`${id} step ${i}`);
      if (i < count) await page.locator('.btn-lesson-next').click();
    }
    await page.locator('.btn-lesson-leave').click();
  }
  await screenshot(page, 'russian-lessons');
  assert.deepEqual(Object.fromEntries(found), {}, 'English words on the Russian page');
  assert.deepEqual(problems, { consoleErrors: [], foreignRequests: [] });
  await context.close();
});
