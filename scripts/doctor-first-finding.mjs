/**
 * Time from spawning the built `keel doctor` to its first finding line, for each broken case of
 * test/cases/diagnostician/; prints the median. Run after `npm run build`: node scripts/doctor-first-finding.mjs
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const dir = 'test/cases/diagnostician';
const m = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8'));
const times = [];
for (const f of Object.keys(m).filter((k) => m[k].expected !== 'healthy')) {
  const t0 = performance.now();
  const t = await new Promise((res) => {
    const c = spawn(process.execPath, ['dist/cli/main.js', 'doctor', `${dir}/${f}`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let text = '';
    c.stdout.on('data', (d) => {
      text += d;
      if (/^(ERROR|WARNING) /m.test(text)) {
        res((performance.now() - t0) / 1000);
        c.kill();
      }
    });
    c.on('exit', () => res(NaN));
  });
  times.push(t);
  console.log(f, t.toFixed(2));
}
times.sort((a, b) => a - b);
console.log('median', times[Math.floor((times.length - 1) / 2)].toFixed(2), 'max', times.at(-1).toFixed(2));
