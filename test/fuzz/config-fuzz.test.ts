/**
 * The config fuzzer (test/fuzz/config-fuzz.ts) in CI: 6,000 seeded mutated configs, each through `keel summary`'s
 * plan and a tiny `keel train`, in-process. Each must train or be refused with a plain Error naming what is wrong:
 * no engine error, no invalid value accepted, under 1 GB. (Durations are reported, never asserted.) A failing
 * case replays with `node --import tsx test/fuzz/config-fuzz.ts <index>`; config-fuzz.slow.test.ts runs 14,000
 * more (npm run test:slow).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from './config-fuzz.js';

test('config fuzz: 6,000 mutated configs train or are refused with a message, never an engine error', async () => {
  const r = await runFuzz(0, 6000);
  console.log(`  ${r.summary}`);
  assert.deepEqual(r.failures, []);
  assert.ok(r.peakBytes < 2 ** 30, `peak memory ${r.peakBytes} bytes`);
  assert.ok((r.counts.trained ?? 0) > 100 && (r.counts.refused ?? 0) > 1000, JSON.stringify(r.counts));
});
