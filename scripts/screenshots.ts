/**
 * Regenerates docs/screenshots/: the demo report (all seven variants), a train report and the lab, each at
 * 1,280 px and at phone width (390 px), in Debian's Chromium through playwright-core.
 *
 *   npm run build && node --import tsx scripts/screenshots.ts     (a few minutes: it runs the quick demo)
 *
 * `--reuse DIR` redraws the demo from DIR/demo-records.json (an earlier run's) instead of running it again;
 * `--lab-only` takes only the lab's pictures (about a minute).
 *
 * The lab's pictures are its two stories, each a run drawn over the one before it: "exploding (lr 0.5)" then
 * "+ global_clipnorm 1" (lab-*), and "RNN through time" then "RNN + global_clipnorm 1" (lab-rnn-*). Each run is
 * stopped at a step it reports, so the pictures are the same from one machine to the next.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { serveLab } from '../src/cli/commands/lab.js';
import { runDemo } from '../src/cli/demo/run-demo.js';
import { QUICK } from '../src/cli/commands/demo.js';
import { ReportRecorder, writeReport } from '../src/report/html/index.js';
import type { RunRecord } from '../src/report/html/record.js';

const OUT = resolve('docs/screenshots');
const DEMO_INTRO =
  'The same 784 → 20×Dense(100) → 10 network on Fashion-MNIST, SGD lr 0.01, batch 32, one epoch per variant.';
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
const reuse = process.argv.indexOf('--reuse');
const labOnly = process.argv.includes('--lab-only');
const work = reuse > 0 ? resolve(process.argv[reuse + 1]!) : mkdtempSync(join(tmpdir(), 'keel-shots-'));

function keel(args: string[], cwd = process.cwd()): void {
  process.stderr.write(`screenshots: keel ${args.join(' ')}\n`);
  const main = resolve('src/cli/main.ts');
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], {
    stdio: 'inherit',
    cwd,
  });
  if (r.status !== 0) throw new Error(`keel ${args[0]} failed (exit ${r.status})`);
}

if (reuse < 0 && !labOnly) {
  // The demo in-process (as `keel demo --quick --report`), keeping the records so --reuse can redraw them.
  process.stderr.write('screenshots: the quick demo (seven variants) ...\n');
  const recorders = new Map<string, ReportRecorder>();
  const rows = await runDemo({
    limit: QUICK.limit,
    testLimit: QUICK.testLimit,
    progress: (v, data) => {
      const rec = new ReportRecorder({
        title: v.label,
        subtitle: v.expectation,
        x: data.x,
        numClasses: data.numClasses,
      });
      recorders.set(v.key, rec);
      return rec;
    },
  });
  const records = rows.map((r) =>
    recorders.get(r.variant.key)!.record({
      'test accuracy': Number.isNaN(r.testAccuracy) ? '—' : `${(r.testAccuracy * 100).toFixed(1)}%`,
      verdict: r.verdict,
    }),
  );
  writeFileSync(join(work, 'demo-records.json'), JSON.stringify(records));
}
if (!labOnly) {
  // The train report: the README's example config on 3,000 images, six epochs (run in `work`, so the report's
  // title is the config's name).
  const config = JSON.parse(readFileSync('examples/fashion-bn-elu.json', 'utf8'));
  config.data.limit = 3000;
  config.data.test_limit = 1000;
  writeFileSync(join(work, 'fashion-bn-elu.json'), JSON.stringify(config));
  keel(['train', 'fashion-bn-elu.json', '--epochs', '6', '--report', '--quiet', '--out', 'train'], work);
  const demoRecords = JSON.parse(readFileSync(join(work, 'demo-records.json'), 'utf8')) as RunRecord[];
  writeReport(join(work, 'demo.html'), demoRecords, {
    title: 'Keel demo: one deep network, several ways',
    intro: DEMO_INTRO,
  });
  process.stderr.write(`screenshots: reports in ${work}\n`);
}

/**
 * Runs a lab preset for `epochs` epochs (the lab's data sets have a fixed size, so this is a fixed number of
 * steps) and waits until it has ended and the charts show its last step.
 */
async function runPreset(page: Page, label: string, epochs: number): Promise<void> {
  await page.locator('#f-epochs').fill(String(epochs));
  await page.locator('#f-epochs').dispatchEvent('change');
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.waitForFunction(() => document.body.dataset['state'] === 'done', null, { timeout: 300_000 });
  await page.waitForFunction(() => document.body.dataset['drawnStep'] === document.body.dataset['step']);
}

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const { server, url } = await serveLab(0);
try {
  for (const [device, viewport] of Object.entries(WIDTHS)) {
    const page = await browser.newPage({ viewport });
    const phone = device === 'phone';
    const shoot = async (name: string, full: boolean) => {
      const path = join(OUT, `${name}-${device}.png`);
      await page.screenshot({ path, fullPage: full });
      process.stderr.write(`screenshots: wrote ${path}\n`);
    };
    if (!labOnly) {
      await page.goto(pathToFileURL(join(work, 'demo.html')).href);
      await shoot('demo-report', false);
      // The small multiples as the reader scrolls to them: every variant's findings, then their loss curves.
      await page.evaluate(() => document.getElementById('findings')!.scrollIntoView());
      await shoot('demo-report-variants', false);
      await page.goto(pathToFileURL(join(work, 'train', 'report.html')).href);
      await shoot('train-report', false);
    }
    // The lab at 1,280 px: the whole page; on a phone: the top (the story and the controls first), then the
    // charts the story is about.
    await page.goto(url);
    // Spirals: 15 steps an epoch; the unclipped run stops on NaN within a few steps.
    await runPreset(page, 'exploding (lr 0.5)', 10);
    await runPreset(page, '+ global_clipnorm 1', 30);
    if (phone) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await shoot('lab', false);
      await page.locator('#h-loss').evaluate((e) => e.scrollIntoView());
      await shoot('lab-charts', false);
    } else await shoot('lab', true);
    // The adding problem: 20 steps an epoch.
    await runPreset(page, 'RNN through time', 5);
    await runPreset(page, 'RNN + global_clipnorm 1', 100);
    if (phone) {
      await page.locator('#h-steps').evaluate((e) => e.scrollIntoView());
      await shoot('lab-rnn', false);
    } else await shoot('lab-rnn', true);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
