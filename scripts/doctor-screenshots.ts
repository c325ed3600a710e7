/**
 * Screenshots of `keel doctor --report` (docs/screenshots/doctor-report-{desktop,phone}.png): the negative-bias case
 * diagnosed and repaired, drawn by Debian's Chromium through playwright-core at 1,280 px and at phone width (390 px).
 *
 *   node --import tsx scripts/doctor-screenshots.ts
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runDoctorCommand } from '../src/cli/commands/doctor.js';

const OUT = resolve('docs/screenshots');
const work = mkdtempSync(join(tmpdir(), 'keel-doctor-shots-'));
const report = join(work, 'doctor.html');
await runDoctorCommand(
  resolve('test/cases/diagnostician/b-wine-negative-bias.json'),
  { repair: true, out: work, report },
  (line) => process.stderr.write(`${line}\n`),
);
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 1000 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    const page = await browser.newPage({ viewport });
    await page.goto(pathToFileURL(report).href);
    const path = join(OUT, `doctor-report-${device}.png`);
    await page.screenshot({ path, fullPage: false });
    process.stderr.write(`wrote ${path}\n`);
    if (device === 'desktop') {
      await page.evaluate(() => document.getElementById('repair')!.scrollIntoView());
      await page.screenshot({ path: join(OUT, 'doctor-report-repair-desktop.png'), fullPage: false });
    }
  }
} finally {
  await browser.close();
}
