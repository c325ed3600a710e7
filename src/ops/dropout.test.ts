/** Dropout and AlphaDropout ops with a fixed mask (a freshly seeded generator each call). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alphaDropout, alphaDropoutAffine, dropout, ALPHA_PRIME } from './dropout.js';
import { Random } from '../tensor/rng.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';

test('dropout with a fixed mask: gradient = central differences', () => {
  const x = randomVariable([4, 5], 31, { name: 'x' });
  gradcheck(() => project(dropout(x, 0.4, new Random(9))), [x], { h: 1e-2 });
});

test('alphaDropout with a fixed mask: gradient = central differences', () => {
  const x = randomVariable([4, 5], 32, { name: 'x' });
  gradcheck(() => project(alphaDropout(x, 0.3, new Random(9))), [x], { h: 1e-2 });
});

test('dropout: kept units are x/(1 − rate), dropped units 0, both present', () => {
  const x = randomVariable([200], 33);
  const y = dropout(x, 0.25, new Random(1)).data;
  let kept = 0;
  for (let i = 0; i < 200; i++) {
    if (y[i] === 0) continue;
    kept++;
    assert.ok(
      Math.abs(y[i]! - x.data[i]! / 0.75) < 1e-5 * (1 + Math.abs(y[i]!)),
      `y[${i}] = ${y[i]}, x = ${x.data[i]}`,
    );
  }
  assert.ok(kept > 120 && kept < 180, `kept ${kept} of 200 at rate 0.25`);
});

test('alphaDropout: a and b match keras-semantics §6 and dropped units equal a·α′ + b', () => {
  assert.ok(Math.abs(ALPHA_PRIME - -1.7580993408473766) < 1e-12);
  const table: [number, number, number, number][] = [
    [0.05, 0.954844476005, 0.0839355721938, -1.59477587168],
    [0.1, 0.92128451615, 0.161970970058, -1.45773873052],
    [0.2, 0.878903583444, 0.309039962144, -1.23615984858],
    [0.5, 0.886404894666, 0.779193930518, -0.779193930518],
  ];
  for (const [rate, a, b, droppedValue] of table) {
    const ab = alphaDropoutAffine(rate);
    assert.ok(Math.abs(ab.a - a) < 1e-9 && Math.abs(ab.b - b) < 1e-9, `rate ${rate}: a ${ab.a}, b ${ab.b}`);
    const x = randomVariable([400], 34);
    const y = alphaDropout(x, rate, new Random(2)).data;
    let dropped = 0;
    for (let i = 0; i < 400; i++) {
      const keptValue = a * x.data[i]! + b;
      if (Math.abs(y[i]! - droppedValue) < 1e-5) dropped++;
      else
        assert.ok(
          Math.abs(y[i]! - keptValue) < 1e-5,
          `rate ${rate}: y[${i}] = ${y[i]} is neither a·x + b = ${keptValue} nor ${droppedValue}`,
        );
    }
    assert.ok(Math.abs(dropped / 400 - rate) < 0.08, `rate ${rate}: dropped ${dropped}/400`);
  }
});

test('rate 0 is the identity for both', () => {
  const x = randomVariable([3], 35);
  assert.equal(dropout(x, 0, new Random(1)), x);
  assert.equal(alphaDropout(x, 0, new Random(1)), x);
});
