/** Learning-rate schedules: options checked through util/args, Keras configs, get/serialize/deserialize. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  PolynomialDecay,
  deserialize,
  get,
  serialize,
} from './index.js';

const exp = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };

test('decaySteps must be > 0 (Keras: "must be > 0"), printed as received', () => {
  for (const bad of [0, -1, NaN, Infinity]) {
    assert.throws(
      () => new ExponentialDecay({ ...exp, decaySteps: bad }),
      (e: Error) =>
        e.message.startsWith(`Invalid decaySteps for ExponentialDecay: expected a number > 0; received ${bad}\nhelp: `),
    );
  }
  assert.throws(
    () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 0 }),
    /Invalid decaySteps for PolynomialDecay: expected a number > 0; received 0\n/,
  );
  assert.throws(
    () => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 0 }),
    /Invalid firstDecaySteps for CosineDecayRestarts: expected a number > 0; received 0\n/,
  );
});

test('snake_case or misspelt options get the camelCase name; missing options are named', () => {
  assert.throws(() => new ExponentialDecay({ ...exp, decay_rate: 0.9 } as never), {
    message:
      "ExponentialDecay: unknown option 'decay_rate'. Did you mean 'decayRate'? Known: initialLearningRate, " +
      'decaySteps, decayRate, staircase, name',
  });
  assert.throws(
    () => new CosineDecay({ initialLearningRate: 0, decaySteps: 5, warmup_target: 1 } as never),
    /CosineDecay: unknown option 'warmup_target'. Did you mean 'warmupTarget'\?/,
  );
  assert.throws(
    () => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 5, t_mul: 2 } as never),
    /Did you mean 'tMul'\?/,
  );
  assert.throws(() => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10 } as never), {
    message:
      "ExponentialDecay: missing option 'decayRate'; expected a number\nhelp: ExponentialDecay has no default " +
      'for decayRate (Keras: decay_rate).',
  });
  assert.throws(() => new ExponentialDecay(undefined as never), /missing option 'initialLearningRate'/);
  assert.throws(() => new ExponentialDecay(0.1 as never), /ExponentialDecay: expected an options object; received 0.1/);
});

test('value rules: rates ≥ 0, decay rates, alpha in [0, 1], booleans, strictly increasing boundaries', () => {
  assert.throws(
    () => new ExponentialDecay({ ...exp, initialLearningRate: -0.1 }),
    /Invalid initialLearningRate for ExponentialDecay: expected a number ≥ 0; received -0.1\n/,
  );
  assert.throws(() => new ExponentialDecay({ ...exp, decayRate: 0 }), /decayRate .*expected a number > 0; received 0/);
  assert.throws(() => new InverseTimeDecay({ ...exp, decayRate: -1 }), /expected a number ≥ 0; received -1/);
  assert.throws(() => new ExponentialDecay({ ...exp, staircase: 1 as never }), {
    message: 'Invalid staircase for ExponentialDecay: expected true or false; received 1',
  });
  assert.throws(
    () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5, alpha: 1.5 }),
    /Invalid alpha for CosineDecay: expected a number in \[0, 1\]; received 1.5\n/,
  );
  assert.throws(
    () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5, warmupSteps: -1 }),
    /Invalid warmupSteps for CosineDecay: expected a number ≥ 0; received -1/,
  );
  assert.throws(() => new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5] }), {
    message:
      'PiecewiseConstantDecay: the length of boundaries should be 1 less than the length of values; received 2 ' +
      'boundaries and 2 values\nhelp: values[0] applies up to boundaries[0], values[i] up to boundaries[i], the ' +
      'last value after the last boundary.',
  });
  assert.throws(
    () => new PiecewiseConstantDecay({ boundaries: [10, 5], values: [1, 0.5, 0.1] }),
    /Invalid boundaries for PiecewiseConstantDecay: expected strictly increasing numbers; received \[10, 5\]/,
  );
  assert.throws(
    () => new PiecewiseConstantDecay({ boundaries: [NaN], values: [1, 0.5] }),
    /Invalid boundaries for PiecewiseConstantDecay: expected an array of finite numbers; received \[NaN\]/,
  );
  assert.throws(
    () => new ExponentialDecay(exp).call(-1),
    /Invalid step for ExponentialDecay.call: expected a number ≥ 0; received -1\n/,
  );
  assert.throws(() => new ExponentialDecay(exp).call(NaN), /received NaN/);
});

test('defaults and configs follow Keras (names, end rate, t_mul, m_mul)', () => {
  assert.deepEqual(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 }).getConfig(), {
    initial_learning_rate: 0.1,
    decay_steps: 10,
    end_learning_rate: 0.0001,
    power: 1,
    cycle: false,
    name: 'PolynomialDecay',
  });
  assert.deepEqual(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }).getConfig(), {
    initial_learning_rate: 0.1,
    decay_steps: 10,
    alpha: 0,
    name: 'CosineDecay',
    warmup_target: null,
    warmup_steps: 0,
  });
  const sgdr = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 });
  assert.deepEqual(sgdr.getConfig(), {
    initial_learning_rate: 0.1,
    first_decay_steps: 10,
    t_mul: 2,
    m_mul: 1,
    alpha: 0,
    name: 'SGDRDecay',
  });
  assert.equal(new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2] }).name, 'PiecewiseConstant');
  assert.equal(new InverseTimeDecay(exp).getConfig().name, 'InverseTimeDecay');
});

test('serialize / deserialize / get: Keras objects, suggestions, custom schedules', () => {
  const s = new ExponentialDecay({ ...exp, staircase: true });
  assert.deepEqual(serialize(s), {
    module: 'keras.optimizers.schedules',
    class_name: 'ExponentialDecay',
    config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: true, name: 'ExponentialDecay' },
    registered_name: null,
  });
  assert.equal(get(s), s);
  assert.equal(deserialize(serialize(s)).call(25), s.call(25));
  assert.throws(
    () => deserialize({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_step: 1 } }),
    /schedules.deserialize \(ExponentialDecay\): unknown config key 'decay_step'. Did you mean 'decay_steps'\?/,
  );
  assert.throws(
    () => get({ class_name: 'CosineDecai' }),
    /unknown learning rate schedule 'CosineDecai'. Did you mean 'CosineDecay'\?/,
  );
  assert.throws(
    () =>
      deserialize({
        class_name: 'ExponentialDecay',
        config: { initial_learning_rate: 0.1, decay_steps: 0, decay_rate: 1 },
      }),
    /Invalid decaySteps for ExponentialDecay/,
  );
  assert.throws(() => get(0.1 as never), /schedules.get: expected a LearningRateSchedule or a \{class_name, config\}/);

  class Halving extends LearningRateSchedule {
    readonly className = 'Halving';
    readonly initialLearningRate: number;
    constructor(args: { initialLearningRate: number }) {
      super();
      this.initialLearningRate = args.initialLearningRate;
    }
    call(step: number): number {
      return this.initialLearningRate / 2 ** step;
    }
    getConfig(): Record<string, unknown> {
      return { initial_learning_rate: this.initialLearningRate };
    }
  }
  const custom = deserialize(serialize(new Halving({ initialLearningRate: 1 })), { Halving });
  assert.ok(custom instanceof Halving);
  assert.equal(custom.call(3), 0.125);
});
