/** Optimizer constructors: every option checked through util/args, with the shared message shape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SGD, Adam, Nadam, RMSprop, get } from './index.js';

type Ctor = new (args?: Record<string, unknown>) => unknown;
const ALL: [string, Ctor][] = [
  ['SGD', SGD as Ctor],
  ['Adam', Adam as Ctor],
  ['Nadam', Nadam as Ctor],
  ['RMSprop', RMSprop as Ctor],
];

test('every optimizer: learningRate must be a finite number > 0, printed as received', () => {
  for (const [name, C] of ALL) {
    assert.throws(
      () => new C({ learningRate: NaN }),
      (e: Error) =>
        e.message.startsWith(`Invalid learningRate for ${name}: expected a number > 0; received NaN\nhelp: `),
      name,
    );
    assert.throws(() => new C({ learningRate: Infinity }), /received Infinity\n/);
    assert.throws(() => new C({ learningRate: 0 }), /expected a number > 0; received 0\n/);
    assert.throws(() => new C({ learningRate: -0.1 }), /received -0.1\n/);
    assert.throws(() => new C({ learningRate: '0.01' }), /received '0.01'\n/);
  }
});

test('every optimizer: a snake_case or misspelt option gets the camelCase name', () => {
  for (const [name, C] of ALL) {
    assert.throws(
      () => new C({ learning_rate: 0.1 }),
      (e: Error) =>
        e.message.startsWith(
          `${name}: unknown option 'learning_rate'. Did you mean 'learningRate'? Known: learningRate, clipnorm, ` +
            `clipvalue, globalClipnorm, name`,
        ),
      name,
    );
    assert.throws(() => new C({ global_clipnorm: 1 }), /Did you mean 'globalClipnorm'\?/);
    assert.throws(() => new C({ clipNorm: 1 }), /Did you mean 'clipnorm'\?/);
  }
  assert.throws(() => new Adam({ beta_1: 0.9 } as object), /Adam: unknown option 'beta_1'. Did you mean 'beta1'\?/);
  assert.throws(() => new SGD({ nestrov: true } as object), /SGD: unknown option 'nestrov'. Did you mean 'nesterov'\?/);
  assert.throws(() => new SGD(0.1 as unknown as object), { message: 'SGD: expected an options object; received 0.1' });
});

test('clipping options: ≥ 0 or null (0 and null mean off), at most one set', () => {
  for (const [name, C] of ALL) {
    for (const key of ['clipnorm', 'clipvalue', 'globalClipnorm']) {
      assert.throws(
        () => new C({ [key]: -1 }),
        (e: Error) =>
          e.message.startsWith(`Invalid ${key} for ${name}: expected a number ≥ 0 or null; received -1\nhelp: `),
        `${name} ${key}`,
      );
      assert.throws(() => new C({ [key]: NaN }), /received NaN\n/);
      assert.throws(() => new C({ [key]: Infinity }), /received Infinity\n/);
    }
    assert.throws(
      () => new C({ clipnorm: 1, clipvalue: 0.5 }),
      (e: Error) =>
        e.message.startsWith(
          `${name}: set at most one of clipnorm, clipvalue and globalClipnorm; received clipnorm=1, ` +
            `clipvalue=0.5, globalClipnorm=null\nhelp: `,
        ),
    );
  }
  const off = new SGD({ clipnorm: 0, clipvalue: null, globalClipnorm: 2 });
  assert.deepEqual([off.clipnorm, off.clipvalue, off.globalClipnorm], [null, null, 2]);
});

test('SGD: momentum in [0, 1] (Keras sgd.py), nesterov a boolean', () => {
  assert.throws(
    () => new SGD({ momentum: 1.5 }),
    (e: Error) => e.message.startsWith('Invalid momentum for SGD: expected a number in [0, 1]; received 1.5\nhelp: '),
  );
  assert.throws(() => new SGD({ momentum: -0.1 }), /received -0.1\n/);
  assert.throws(() => new SGD({ momentum: NaN }), /received NaN\n/);
  assert.throws(() => new SGD({ nesterov: 1 as unknown as boolean }), {
    message: 'Invalid nesterov for SGD: expected true or false; received 1',
  });
  assert.throws(() => new SGD({ nesterov: 'true' as unknown as boolean }), /received 'true'$/);
  const sgd = new SGD({ momentum: 1, nesterov: true });
  assert.equal(sgd.momentum, 1);
});

test('Adam and Nadam: beta1, beta2 in [0, 1), epsilon > 0; Adam amsgrad a boolean', () => {
  for (const [name, C] of [
    ['Adam', Adam as Ctor],
    ['Nadam', Nadam as Ctor],
  ] as const) {
    for (const key of ['beta1', 'beta2']) {
      assert.throws(
        () => new C({ [key]: 1 }),
        (e: Error) =>
          e.message.startsWith(`Invalid ${key} for ${name}: expected a number in [0, 1); received 1\nhelp: `),
      );
      assert.throws(() => new C({ [key]: -0.5 }), /received -0.5\n/);
      assert.throws(() => new C({ [key]: NaN }), /received NaN\n/);
    }
    assert.throws(
      () => new C({ epsilon: 0 }),
      (e: Error) => e.message.startsWith(`Invalid epsilon for ${name}: expected a number > 0; received 0\nhelp: `),
    );
    assert.throws(() => new C({ epsilon: -0 }), /received -0\n/);
    assert.doesNotThrow(() => new C({ beta1: 0, beta2: 0.5, epsilon: 1e-8 }));
  }
  assert.throws(() => new Adam({ amsgrad: 'yes' as unknown as boolean }), {
    message: "Invalid amsgrad for Adam: expected true or false; received 'yes'",
  });
  assert.throws(() => new Nadam({ amsgrad: true } as object), /Nadam: unknown option 'amsgrad'/);
});

test('RMSprop: rho in [0, 1), momentum ≥ 0, epsilon > 0, centered a boolean', () => {
  assert.throws(
    () => new RMSprop({ rho: 1 }),
    (e: Error) => e.message.startsWith('Invalid rho for RMSprop: expected a number in [0, 1); received 1\nhelp: '),
  );
  assert.throws(
    () => new RMSprop({ momentum: -1 }),
    (e: Error) => e.message.startsWith('Invalid momentum for RMSprop: expected a number ≥ 0; received -1\nhelp: '),
  );
  assert.throws(
    () => new RMSprop({ epsilon: NaN }),
    /Invalid epsilon for RMSprop: expected a number > 0; received NaN\n/,
  );
  assert.throws(() => new RMSprop({ centered: null as unknown as boolean }), {
    message: 'Invalid centered for RMSprop: expected true or false; received null',
  });
});

test('Keras configs (snake_case) still build optimizers, and are checked the same way', () => {
  const adam = get({
    class_name: 'Adam',
    config: { learning_rate: 0.002, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-8, amsgrad: true, global_clipnorm: 1 },
  });
  assert.ok(adam instanceof Adam);
  assert.deepEqual(
    [adam.learningRate, adam.beta1, adam.beta2, adam.epsilon, adam.amsgrad, adam.globalClipnorm],
    [0.002, 0.8, 0.99, 1e-8, true, 1],
  );
  for (const opt of [
    new SGD({ momentum: 0.9, nesterov: true, clipnorm: 1 }),
    adam,
    new Nadam({ beta1: 0.5 }),
    new RMSprop({ centered: true, momentum: 0.5 }),
  ]) {
    const again = get({ class_name: opt.className, config: opt.getConfig() });
    assert.deepEqual(again.getConfig(), opt.getConfig(), opt.className);
  }
  assert.throws(
    () => get({ class_name: 'SGD', config: { learning_rate: -1 } }),
    /Invalid learningRate for SGD: expected a number > 0; received -1/,
  );
  assert.throws(
    () => get({ class_name: 'RMSprop', config: { rho: 1.0 } }),
    /Invalid rho for RMSprop: expected a number in \[0, 1\); received 1/,
  );
});
