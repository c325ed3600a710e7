/** The config fuzzer's long run (npm run test:slow): 14,000 more seeded configs (indices 6,000–19,999). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from './config-fuzz.js';

test('config fuzz (slow): 14,000 more mutated configs', async () => {
  const r = await runFuzz(6000, 14_000);
  console.log(`  ${r.summary}`);
  assert.deepEqual(r.failures, []);
  assert.ok(r.peakBytes < 2 ** 30, `peak memory ${r.peakBytes} bytes`);
});
