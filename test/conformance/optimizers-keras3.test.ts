/**
 * AdamW, Adamax, Adagrad, Adadelta, Lion, weight decay (with exclude_from_weight_decay) on SGD and Adam,
 * and learning-rate schedules inside optimizers, against test/fixtures/optimizers-keras3.json (a float64
 * transcription of Keras 3's base optimizer and update rules by test/reference/make_optimizer_fixtures.py):
 * ten steps of two variables, the rate each step used, and the optimizer's slots at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { optimizers, Variable, tensor } from '../../src/index.js';
import { assertAllClose } from '../helpers/allclose.js';

interface OptCase {
  optimizer: string;
  config: Record<string, unknown>;
  exclude_from_weight_decay: string[];
  note: string;
  learning_rates: number[];
  theta: number[][][];
  slots: Record<string, number[]>[];
  /** With use_ema: the variables after finalize_variable_values (the averages). */
  finalized?: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/optimizers-keras3.json', import.meta.url), 'utf8')) as {
  names: string[];
  theta0: number[][];
  grads: number[][][];
  cases: OptCase[];
};
const TOL = { rtol: 1e-6, atol: 1e-7 };

test('the fixture covers the new optimizers and weight decay on SGD and Adam', () => {
  const names = new Set(fixture.cases.map((c) => c.optimizer));
  for (const n of ['AdamW', 'Adamax', 'Adagrad', 'Adadelta', 'Lion', 'SGD', 'Adam']) assert.ok(names.has(n), n);
  assert.ok(fixture.cases.filter((c) => c.finalized !== undefined).length >= 2, 'use_ema cases');
});

for (const c of fixture.cases) {
  const label = `${c.optimizer} ${c.note || JSON.stringify(c.config)}`;
  test(`${label}: ${fixture.grads.length} steps match Keras 3`, () => {
    const opt = optimizers.get({ class_name: c.optimizer, config: c.config });
    assert.equal(opt.className, c.optimizer);
    if (c.exclude_from_weight_decay.length > 0) opt.excludeFromWeightDecay(null, c.exclude_from_weight_decay);
    const vars = fixture.theta0.map((v, i) => new Variable(tensor(v), { name: fixture.names[i]! }));
    fixture.grads.forEach((step, s) => {
      assertAllClose([opt.learningRate], [c.learning_rates[s]!], { rtol: 1e-12 }, `${label} rate of step ${s + 1}`);
      opt.apply(
        step.map((g) => tensor(g)),
        vars,
      );
      vars.forEach((v, i) => assertAllClose(v.data, c.theta[s]![i]!, TOL, `${label} step ${s + 1} ${v.name}`));
    });
    assert.equal(opt.iterations, fixture.grads.length);
    vars.forEach((v, i) => {
      const expected = c.slots[i]!;
      assert.deepEqual(opt.slotNames(), Object.keys(expected), 'slot names are Keras variable names');
      opt
        .getSlots(v)!
        .forEach((slot, k) =>
          assertAllClose(slot, expected[opt.slotNames()[k]!]!, TOL, `${label} slot ${opt.slotNames()[k]} of ${v.name}`),
        );
    });
    if (c.finalized !== undefined) {
      opt.finalizeVariableValues(vars);
      vars.forEach((v, i) => assertAllClose(v.data, c.finalized![i]!, TOL, `${label} finalized ${v.name}`));
    }
    const again = optimizers.get({ class_name: c.optimizer, config: opt.getConfig() });
    assert.deepEqual(again.getConfig(), opt.getConfig(), 'config round trip');
    const lr = c.config.learning_rate;
    if (typeof lr === 'object') assert.deepEqual(opt.getConfig().learning_rate, lr, 'the schedule as Keras writes it');
  });
}
