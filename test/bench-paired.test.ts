/**
 * npm run bench's paired turns (bench/paired.ts): the per-pair summary and the idle-pair rule on hand-made pairs,
 * and the engines' `--serve` protocol on Keel's side (no timing is asserted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { summarizePairs, quietPairs, QUIET_FLOP_PER_CYCLE, type Pair } from '../bench/paired.js';

const pair = (keel: number, pytorch: number, before = 15, after = 15): Pair => ({ keel, pytorch, before, after });

test('summarizePairs: the median of the per-pair ratios PyTorch / Keel, their quartiles, each engine median', () => {
  // Ratios 0.5, 0.6, 0.75, 0.4: sorted 0.4, 0.5, 0.6, 0.75.
  const s = summarizePairs([pair(10, 5), pair(20, 12), pair(40, 30), pair(50, 20)])!;
  assert.equal(s.pairs, 4);
  assert.equal(s.ratio, (0.5 + 0.6) / 2);
  assert.equal(s.low, 0.4); // nearest rank: ⌈0.25·4⌉ = 1st
  assert.equal(s.high, 0.6); // ⌈0.75·4⌉ = 3rd
  assert.equal(s.keelMs, 30); // (20 + 40) / 2
  assert.equal(s.pytorchMs, 16); // (12 + 20) / 2
  // The median of ratios, not the ratio of medians: one slow pair moves it by one rank only.
  const one = summarizePairs([pair(10, 6), pair(10, 6), pair(100, 6)])!;
  assert.equal(one.ratio, 0.6);
  assert.equal(summarizePairs([]), null);
});

test('quietPairs keeps the pairs with the loop at the threshold or above on both sides', () => {
  const q = QUIET_FLOP_PER_CYCLE;
  const pairs = [pair(1, 1, q, q), pair(2, 1, q - 0.01, q + 1), pair(3, 1, q + 1, q - 0.01), pair(4, 1, 15.9, 15.4)];
  assert.deepEqual(
    quietPairs(pairs).map((p) => p.keel),
    [1, 4],
  );
  // Without relaxed SIMD there is no FMA loop to probe: NaN readings never count as idle.
  assert.deepEqual(quietPairs([pair(1, 1, NaN, NaN)]), []);
});

test("Keel's --serve answers `run KEY` with ms per step and a wrong request with the keys it knows", async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/engines/keel.ts', '--serve', '--quick'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  assert.equal(await next(), 'ready');
  child.stdin.write('run W1\n');
  const ms = Number(await next());
  assert.ok(Number.isFinite(ms) && ms > 0, `ms per step: ${ms}`);
  child.stdin.write('run W3\n');
  const keys = 'W1, W1b, W2, 1024x1024x1024';
  assert.equal(await next(), `error: expected \`run KEY\` with KEY one of ${keys}; received "run W3"`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end();
  assert.equal(await exited, 0);
});
