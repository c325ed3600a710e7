/**
 * The lab's stories in a real browser (issue 17, and issue 13's "RNN through time" preset): each exploding
 * preset shows growing gradients without clipping and a rescue with it; the second run keeps the first on the
 * charts, faded, with a legend; the 2-D sets get a decision boundary that follows training; activation
 * histograms sit on a robust axis. Every number is read from what the lab renders (data attributes on its
 * views), and every wait is for a step count the page reports, never for a time.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveLab } from '../../src/cli/commands/lab.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';
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
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(150_000);
  await page.goto(`${url}${query}`);
  return page;
}

/**
 * Waits until the run has trained `steps` steps or ended, stops it there, and waits until the charts show
 * the last step the worker reported.
 */
async function trainTo(page: Page, steps: number): Promise<void> {
  await page.waitForFunction(
    (n) => Number(document.body.dataset['step'] ?? 0) >= n || document.body.dataset['state'] === 'done',
    steps,
  );
  if ((await page.evaluate(() => document.body.dataset['state'])) !== 'done')
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.waitForFunction(() => document.body.dataset['drawnStep'] === document.body.dataset['step']);
}

/** A view's data attributes as numbers (NaN where absent). */
async function numbers(page: Page, view: string): Promise<Record<string, number>> {
  const d = await page.locator(`[data-view="${view}"]`).evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Number(v)]));
}

const body = (page: Page, key: string) => page.evaluate((k) => document.body.dataset[k] ?? '', key);

test(
  'lab: "exploding (lr 0.5)" shows the gradient growing to NaN; "+ global_clipnorm 1" rescues it, drawn over it',
  { skip, timeout: 300_000 },
  async (t) => {
    // 100 epochs of 15 steps: the clipped run ends by itself at step 1,500, read at the same step everywhere.
    const page = await open('?preset=exploding&epochs=100');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await trainTo(page, 200);
    assert.equal(await body(page, 'state'), 'done', 'the unclipped run ends by itself');
    assert.equal(await body(page, 'nonFinite'), '1', 'it stopped on a NaN/Inf');
    const wild = await numbers(page, 'grad-steps');
    assert.ok(wild.records! < 20, `it stopped within a few steps (${wild.records} sampled)`);
    assert.ok(
      wild.max! > 1e6 * wild.first!,
      `the global gradient norm grows from ${wild.first} to ${wild.max} before the NaN`,
    );
    const kinds = (await page.locator('[data-view="findings"]').getAttribute('data-kinds')) ?? '';
    assert.match(kinds, /nan_or_inf|exploding_gradient/, `the doctor names it (${kinds})`);
    await page.screenshot({ path: `${ARTIFACTS}/lab-exploding.png`, fullPage: true });

    await page.getByRole('button', { name: '+ global_clipnorm 1', exact: true }).click();
    await trainTo(page, 1e9);
    assert.equal(await body(page, 'step'), '1500', 'the run ends by itself after 100 epochs');
    assert.match(page.url(), /clip=global_clipnorm/);
    assert.notEqual(await body(page, 'nonFinite'), '1', 'no NaN with clipping');
    const tame = await numbers(page, 'grad-steps');
    assert.equal(tame.first, wild.first, 'the same network and data: the same first gradient');
    assert.ok(tame.max! < 1e4, `with clipping the raw gradient norm stays below 1e4 (largest ${tame.max})`);
    const first = Number(await body(page, 'lossFirst')),
      recent = Number(await body(page, 'lossRecent')),
      accuracy = Number(await body(page, 'accuracy'));
    assert.ok(recent < first / 4, `the loss falls (first steps ${first}, latest ${recent})`);
    assert.ok(accuracy > 0.8, `training accuracy ${accuracy} is far above chance (0.33)`);
    // The unclipped run stays on the charts, faded, named in the legend.
    assert.equal(await body(page, 'compared'), 'exploding (lr 0.5)');
    for (const v of ['loss', 'grad-steps']) {
      const series = page.locator(`[data-view="${v}"] g.series[data-series="previous run: exploding (lr 0.5)"]`);
      assert.equal(await series.count(), 1, `${v}: the previous run is drawn`);
      assert.equal(Number(await series.evaluate((el) => getComputedStyle(el).opacity)), 0.4, `${v}: faded`);
      assert.match((await page.locator(`[data-view="${v}"] .legend`).textContent())!, /previous run: exploding/);
    }
    assert.ok(
      (await page.locator('[data-view="grad-steps"] .ref-line[data-ref="global_clipnorm 1"]').count()) === 1,
      'the clipping threshold is drawn',
    );
    t.diagnostic(`unclipped: ${JSON.stringify(wild)}; clipped: ${JSON.stringify(tame)}`);
    t.diagnostic(`clipped loss ${first} → ${recent}, accuracy ${accuracy}`);
    await page.screenshot({ path: `${ARTIFACTS}/lab-exploding-clipnorm.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  'lab: "RNN through time" shows ‖∂L/∂h_t‖ growing toward h₀ and exploding; clipping rescues it',
  { skip, timeout: 300_000 },
  async (t) => {
    // 200 epochs of 20 steps: the clipped run below ends by itself at step 4,000, so its loss is read at the same
    // step on every machine (stopping it by hand would land wherever the worker happened to be).
    const page = await open('?preset=rnn&epochs=200');
    await trainTo(page, 60);
    assert.equal(
      await page.locator('[data-view="boundary"]').isVisible(),
      false,
      'no decision boundary for a sequence',
    );
    const time = await numbers(page, 'through-time');
    assert.ok(time.growthFirst! > 30, `at first ‖∂L/∂h_0‖/‖∂L/∂h_19‖ = ${time.growthFirst}`);
    assert.ok((await page.locator('[data-view="through-time"] g.series').count()) >= 2, 'curves by time step');
    const wild = await numbers(page, 'grad-steps');
    assert.ok(wild.max! > 1e6 * wild.first!, `unclipped, the gradient norm explodes (${wild.first} → ${wild.max})`);
    const wildLoss = Number(await body(page, 'lossRecent'));
    const overflowed = (await body(page, 'nonFinite')) === '1';
    assert.ok(overflowed || wildLoss > 1e3, `and the loss with it (${wildLoss}, NaN/Inf stop: ${overflowed})`);
    await page.screenshot({ path: `${ARTIFACTS}/lab-rnn.png`, fullPage: true });

    await page.getByRole('button', { name: 'RNN + global_clipnorm 1', exact: true }).click();
    await trainTo(page, 1e9);
    assert.equal(await body(page, 'step'), '4000', 'the run ends by itself after 200 epochs');
    assert.notEqual(await body(page, 'nonFinite'), '1');
    const tame = await numbers(page, 'grad-steps');
    assert.equal(tame.first, wild.first, 'the same first gradient');
    assert.ok(tame.max! <= tame.first!, `clipped, the gradient never exceeds its first value (${tame.max})`);
    const clippedTime = await numbers(page, 'through-time');
    assert.ok(clippedTime.growthLast! < 10, `the growth through time settles (${clippedTime.growthLast})`);
    const loss = Number(await body(page, 'lossRecent'));
    assert.ok(loss < 0.08, `the loss falls well below the baseline of always answering 1 (0.167): ${loss}`);
    assert.equal(await body(page, 'compared'), 'RNN through time');
    t.diagnostic(`unclipped: ${JSON.stringify({ byStep: wild, throughTime: time, loss: wildLoss })}`);
    t.diagnostic(`clipped: ${JSON.stringify({ byStep: tame, throughTime: clippedTime, loss })}`);
    await page.screenshot({ path: `${ARTIFACTS}/lab-rnn-clipnorm.png`, fullPage: true });
    await page.close();
  },
);

test(
  'lab: a 2-D set shows its decision boundary as it trains; histograms sit on a robust axis',
  { skip, timeout: 300_000 },
  async (t) => {
    const page = await open('?preset=he-elu&data=circles&depth=4');
    await page.waitForFunction(() => Number(document.body.dataset['drawnStep'] ?? -1) >= 0);
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-view="boundary"]')?.dataset['gridStep'] ?? -1) >= 0,
    );
    const early = (await numbers(page, 'boundary')).gridStep!;
    await trainTo(page, early + 400);
    const late = (await numbers(page, 'boundary')).gridStep!;
    assert.ok(late > early, `the boundary is redrawn as training goes on (step ${early} → ${late})`);
    assert.equal(await page.locator('[data-view="boundary"] image').count(), 1, 'the predicted grid');
    assert.ok((await page.locator('[data-view="boundary"] circle').count()) > 100, 'the training points');
    assert.equal(await page.locator('[data-view="through-time"]').isVisible(), false, 'no time axis for a Dense net');
    const h = await numbers(page, 'activations');
    assert.ok(h.lo! <= 0 && h.lo! >= -1.5, `ELU outputs' axis starts near −1 (${h.lo})`);
    assert.ok(h.hi! > 0 && h.hi! < 20, `and ends at the typical layer's 98th percentile (${h.hi})`);
    t.diagnostic(`boundary steps ${early} → ${late}; histogram axis ${h.lo} … ${h.hi}`);
    await page.close();
  },
);
