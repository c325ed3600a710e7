/** Initializer constructors: options checked through util/args; Keras configs still build them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as init from './index.js';

test('seed: an integer or null, for every random initializer', () => {
  const seeded: [string, new (a: Record<string, unknown>) => init.Initializer][] = [
    ['RandomNormal', init.RandomNormal as never],
    ['RandomUniform', init.RandomUniform as never],
    ['TruncatedNormal', init.TruncatedNormal as never],
    ['VarianceScaling', init.VarianceScaling as never],
    ['GlorotUniform', init.GlorotUniform as never],
    ['GlorotNormal', init.GlorotNormal as never],
    ['HeNormal', init.HeNormal as never],
    ['HeUniform', init.HeUniform as never],
    ['LecunNormal', init.LecunNormal as never],
    ['LecunUniform', init.LecunUniform as never],
    ['Orthogonal', init.Orthogonal as never],
  ];
  for (const [name, C] of seeded) {
    assert.throws(
      () => new C({ seed: 1.5 }),
      (e: Error) => e.message.startsWith(`Invalid seed for ${name}: expected an integer or null; received 1.5\nhelp: `),
      name,
    );
    assert.throws(() => new C({ seed: NaN }), /received NaN\n/);
    assert.throws(() => new C({ seed: '42' }), /received '42'\n/);
    assert.doesNotThrow(() => new C({ seed: null }));
    assert.throws(
      () => new C({ sede: 1 }),
      (e: Error) => e.message.startsWith(`${name}: unknown option 'sede'. Did you mean 'seed'?`),
      name,
    );
  }
  assert.throws(() => new init.HeNormal({ scale: 3 } as object), {
    message: "HeNormal: unknown option 'scale'. Known: seed",
  });
});

test('RandomNormal / TruncatedNormal / RandomUniform', () => {
  assert.throws(
    () => new init.RandomNormal({ stddev: -1 }),
    (e: Error) => e.message.startsWith('Invalid stddev for RandomNormal: expected a number ≥ 0; received -1\nhelp: '),
  );
  assert.throws(
    () => new init.TruncatedNormal({ stddev: NaN }),
    /Invalid stddev for TruncatedNormal: expected a number ≥ 0; received NaN\n/,
  );
  assert.throws(() => new init.RandomNormal({ mean: Infinity }), {
    message: 'Invalid mean for RandomNormal: expected a finite number; received Infinity',
  });
  assert.throws(
    () => new init.RandomNormal({ std_dev: 1 } as object),
    /RandomNormal: unknown option 'std_dev'. Did you mean 'stddev'\?/,
  );
  assert.throws(() => new init.RandomUniform({ minval: NaN }), {
    message: 'Invalid minval for RandomUniform: expected a finite number; received NaN',
  });
  assert.throws(() => new init.RandomUniform({ minval: 0.5, maxval: 0.1 }), {
    message:
      'Invalid maxval for RandomUniform: expected a number ≥ minval (0.5); received 0.1\nhelp: the interval is ' +
      '[minval, maxval); swap the two if they are reversed.',
  });
  assert.throws(() => new init.RandomUniform({ min_val: 0 } as object), /Did you mean 'minval'\?/);
});

test('VarianceScaling: scale > 0, mode and distribution from fixed sets', () => {
  assert.throws(
    () => new init.VarianceScaling({ scale: 0 }),
    (e: Error) => e.message.startsWith('Invalid scale for VarianceScaling: expected a number > 0; received 0\nhelp: '),
  );
  assert.throws(() => new init.VarianceScaling({ scale: NaN }), /received NaN\n/);
  assert.throws(() => new init.VarianceScaling({ mode: 'fan_inn' as 'fan_in' }), {
    message:
      "Invalid mode for VarianceScaling: expected one of 'fan_in', 'fan_out', 'fan_avg'; received " +
      "'fan_inn'\nhelp: did you mean 'fan_in'?",
  });
  assert.throws(() => new init.VarianceScaling({ mode: 1 as unknown as 'fan_in' }), {
    message: 'Invalid mode for VarianceScaling: expected a string; received 1',
  });
  assert.throws(() => new init.VarianceScaling({ distribution: 'gaussian' as 'uniform' }), {
    message:
      "Invalid distribution for VarianceScaling: expected one of 'truncated_normal', 'untruncated_normal', " +
      "'uniform', 'normal'; received 'gaussian'",
  });
  assert.throws(
    () => new init.VarianceScaling({ distribution: 'unifrom' as 'uniform' }),
    /help: did you mean 'uniform'\?$/,
  );
  const vs = new init.VarianceScaling({ mode: 'fanAvg', distribution: 'normal', scale: 2 });
  assert.deepEqual([vs.mode, vs.distribution, vs.scale], ['fan_avg', 'truncated_normal', 2]);
});

test('Constant, Orthogonal, Identity, Zeros, Ones', () => {
  assert.throws(() => new init.Constant({ value: NaN }), {
    message: 'Invalid value for Constant: expected a finite number; received NaN',
  });
  assert.throws(() => new init.Constant({ value: '1' as unknown as number }), /received '1'$/);
  assert.throws(() => new init.Orthogonal({ gain: Infinity }), {
    message: 'Invalid gain for Orthogonal: expected a finite number; received Infinity',
  });
  assert.throws(() => new init.Identity({ gain: NaN }), {
    message: 'Invalid gain for Identity: expected a finite number; received NaN',
  });
  assert.throws(() => new init.Identity({ seed: 1 } as object), {
    message: "Identity: unknown option 'seed'. Known: gain",
  });
  assert.throws(() => new init.Zeros({ value: 1 } as unknown as Record<string, never>), {
    message: "Zeros: unknown option 'value'; it takes no options",
  });
  assert.throws(() => new init.Ones({ value: 1 } as unknown as Record<string, never>), {
    message: "Ones: unknown option 'value'; it takes no options",
  });
  assert.equal(new init.Zeros().sample([2]).data[0], 0);
});

test('Keras configs (snake_case) still build initializers, and are checked the same way', () => {
  const vs = init.get({
    class_name: 'VarianceScaling',
    config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 3 },
  });
  assert.deepEqual(init.serialize(vs), {
    class_name: 'VarianceScaling',
    config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 3 },
  });
  for (const i of [
    new init.RandomNormal({ mean: 1, stddev: 2, seed: 1 }),
    new init.RandomUniform({ minval: -1, maxval: 1, seed: 1 }),
    new init.Orthogonal({ gain: 2, seed: 1 }),
    new init.Identity({ gain: 3 }),
    new init.Constant({ value: 4 }),
    new init.HeNormal({ seed: 5 }),
    new init.Zeros(),
  ]) {
    assert.deepEqual(init.serialize(init.get(init.serialize(i))), init.serialize(i), i.className);
  }
  assert.throws(
    () => init.get({ class_name: 'RandomNormal', config: { stddev: -1 } }),
    /Invalid stddev for RandomNormal: expected a number ≥ 0; received -1/,
  );
  assert.throws(() => init.get({ class_name: 'HeNormal', config: { seed: 1.5 } }), /Invalid seed for HeNormal/);
});
