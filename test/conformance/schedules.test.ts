/**
 * The six Keras 3 learning-rate schedules against test/fixtures/schedules.json (float64 transcription of
 * Keras's __call__ by test/reference/make_optimizer_fixtures.py): rates at every step, including staircase,
 * warm-up and restart boundaries; config round trips through deserialize/serialize.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { optimizers } from '../../src/index.js';
import { assertAllClose } from '../helpers/allclose.js';

const { schedules } = optimizers;

interface ScheduleCase {
  class_name: string;
  config: Record<string, unknown>;
  note: string;
  steps: number[];
  rates: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/schedules.json', import.meta.url), 'utf8')) as {
  cases: ScheduleCase[];
};

test('the fixture covers every schedule', () => {
  assert.deepEqual(new Set(fixture.cases.map((c) => c.class_name)), new Set(schedules.scheduleNames()));
});

for (const c of fixture.cases) {
  test(`${c.class_name} (${c.note}): rates at steps ${c.steps[0]}..${c.steps.at(-1)} match Keras`, () => {
    const schedule = schedules.deserialize({ class_name: c.class_name, config: c.config });
    assert.equal(schedule.className, c.class_name);
    assertAllClose(
      c.steps.map((s) => schedule.call(s)),
      c.rates,
      { rtol: 1e-6, atol: 1e-12 },
      `${c.class_name} ${JSON.stringify(c.config)}`,
    );
    assert.deepEqual(schedule.getConfig(), c.config, 'getConfig is the Keras config');
    const again = schedules.get(schedules.serialize(schedule));
    assert.deepEqual(again.getConfig(), c.config, 'serialize → get round trip');
  });
}
