/**
 * The lab's controls in a real browser (issue 17): a bad URL is named in a visible message; Pause holds
 * training at a step and Step advances exactly one; a changed setting marks the run stale until Train;
 * "Copy link" answers; selects show their whole text; on a phone the controls come first.
 * No wall-clock assertions: every wait is for a state the page reports.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveLab } from '../../src/cli/commands/lab.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM) && existsSync('dist/lab/main.js');
const skip = available ? false : `no ${CHROMIUM} or no dist/lab (npm run build)`;
let server: Server, url: string, browser: Browser;

before(async () => {
  if (!available) return;
  ({ server, url } = await serveLab(0));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(query = '', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(120_000);
  await page.goto(`${url}${query}`);
  return page;
}

const dataset = (page: Page, key: string) => page.evaluate((k) => document.body.dataset[k] ?? '', key);

test('lab: parameters it cannot use are named in a visible message', { skip, timeout: 180_000 }, async () => {
  const page = await open('?act=sigmoidd&depth=999&foo=1&preset=nope');
  const notice = page.locator('#notice');
  await notice.waitFor({ state: 'visible' });
  const text = await notice.textContent();
  assert.match(text!, /act=sigmoidd \(one of sigmoid, tanh, relu, elu, selu\)/);
  assert.match(text!, /depth=999 \(a whole number from 1 to 50\)/);
  assert.match(text!, /foo \(not a lab setting\)/);
  assert.match(text!, /preset=nope/);
  await page.close();
  const good = await open('?act=tanh&depth=5');
  assert.equal(await good.locator('#notice').isVisible(), false);
  await good.close();
});

test('lab: Pause holds training at a step, Step advances exactly one', { skip, timeout: 180_000 }, async () => {
  const page = await open('?preset=he-elu&epochs=10000');
  await page.waitForFunction(() => Number(document.body.dataset['step'] ?? 0) > 5);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => document.body.dataset['workerPaused'] === '1');
  const held = Number(await dataset(page, 'step'));
  for (let i = 1; i <= 3; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction((n) => Number(document.body.dataset['step']) === n, held + i);
    await page.waitForFunction(() => document.body.dataset['workerPaused'] === '1');
  }
  assert.equal(Number(await dataset(page, 'step')), held + 3);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await page.waitForFunction((n) => Number(document.body.dataset['step']) > n, held + 3);
  await page.close();
});

test('lab: changing a setting marks the run stale until Train restarts it', { skip, timeout: 180_000 }, async () => {
  const page = await open('?preset=he-elu');
  await page.waitForFunction(() => Number(document.body.dataset['step'] ?? 0) > 0);
  await page.selectOption('#f-activation', 'tanh');
  assert.equal(await dataset(page, 'stale'), '1');
  assert.match((await page.locator('#notice').textContent())!, /Press Train to restart/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  assert.equal(await dataset(page, 'stale'), '');
  assert.equal(await page.locator('#notice').isVisible(), false, 'the restart clears the stale message');
  assert.match(page.url(), /act=tanh/);
  await page.close();
});

test(
  'lab: Copy link answers; selects show their whole text; phone puts the controls first',
  {
    skip,
    timeout: 180_000,
  },
  async () => {
    const page = await open('?preset=he-elu');
    const copy = page.locator('#copy');
    await copy.click();
    await page.waitForFunction(() => (document.querySelector<HTMLElement>('#copy')?.dataset['copied'] ?? '') !== '');
    const answer = await copy.getAttribute('data-copied');
    assert.ok(answer === 'copied' || answer === 'manual', answer ?? '');
    if (answer === 'manual') assert.match((await page.locator('#notice').textContent())!, /act=elu/);
    // Every option's text fits its select (the arrow takes about 24 px).
    const clipped = await page.locator('#controls select').evaluateAll((els) =>
      els
        .filter((e) => {
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.font = getComputedStyle(e).font;
          const widest = Math.max(
            ...Array.from((e as HTMLSelectElement).options).map((o) => ctx.measureText(o.text).width),
          );
          return widest > e.clientWidth - 24;
        })
        .map((e) => e.id),
    );
    assert.deepEqual(clipped, [], 'no select truncates its text');
    await page.close();
    const phone = await open('?preset=he-elu', { width: 390, height: 844 });
    const form = await phone.locator('#controls').boundingBox();
    const views = await phone.locator('main.views').boundingBox();
    assert.ok(form !== null && views !== null && form.y < views.y, 'the controls come before the charts');
    await phone.close();
  },
);
