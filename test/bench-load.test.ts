/** npm run bench refuses ratios on a busy machine: the load reading and the decision (no real timing here). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busyFraction, parseProcStat, ratioRefusal, BUSY_FRACTION } from '../bench/load.js';

test('parseProcStat reads the aggregate cpu line; busyFraction is busy jiffies over all jiffies', () => {
  const a = parseProcStat('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n')!;
  assert.deepEqual(a, { busy: 200, total: 1000 });
  const b = parseProcStat('cpu  350 0 150 1000 100 0 0 0 0 0\n')!;
  assert.equal(busyFraction(a, b), 0.5); // (500 − 200) busy of (1600 − 1000) elapsed
  assert.equal(parseProcStat('nothing here'), null);
});

test('ratios are printed on an idle machine and withheld, saying why, on a busy one', () => {
  assert.equal(ratioRefusal([{ fraction: 0.05, how: 'x' }]), null);
  assert.equal(ratioRefusal([{ fraction: BUSY_FRACTION, how: 'x' }]), null);
  const why = ratioRefusal([
    { fraction: 0.1, how: 'before' },
    { fraction: 0.8, how: '/proc/stat over 2 s' },
  ]);
  assert.match(
    why!,
    /ratios withheld: other processes used 80% of the CPU \(\/proc\/stat over 2 s; the limit is 25%\)/,
  );
});
