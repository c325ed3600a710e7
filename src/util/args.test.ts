/** checkArgs / checkArg / formatValue: messages, ranges, unknown names with suggestions, values printed as received. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkArg, checkArgs, checkAtMostOne, describeRule, formatValue, suggestOption, type ArgSpec } from './args.js';

test('formatValue prints values as received', () => {
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), 'Infinity');
  assert.equal(formatValue(-Infinity), '-Infinity');
  assert.equal(formatValue(-0), '-0');
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(1.5), '1.5');
  assert.equal(formatValue('relu'), "'relu'");
  assert.equal(formatValue("it's"), "'it\\'s'");
  assert.equal(formatValue(undefined), 'undefined');
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue(true), 'true');
  assert.equal(formatValue(3n), '3n');
  function relu(): void {
    /* */
  }
  assert.equal(formatValue(relu), 'function relu');
  assert.equal(formatValue([1, NaN, -0]), '[1,NaN,-0]');
  assert.equal(formatValue({ a: 1, b: 'x', c: NaN, d: null }), '{"a":1,"b":"x","c":NaN,"d":null}');
  assert.equal(formatValue(new Float32Array([1, 2])), 'Float32Array(2) [1,2]');
  class Point {
    x = 1;
  }
  assert.equal(formatValue(new Point()), 'Point {"x":1}');
});

test('formatValue shortens long values and survives cycles', () => {
  const long = formatValue(Array.from({ length: 500 }, (_v, i) => i));
  assert.ok(long.length <= 100, long);
  assert.ok(long.endsWith('...'));
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  assert.equal(formatValue(cyclic), '{"a":1,"self":[Circular]}');
});

test('describeRule uses interval notation', () => {
  assert.equal(describeRule({ type: 'number', min: 0, max: 1, maxExclusive: true }), 'a number in [0, 1)');
  assert.equal(describeRule({ type: 'number', min: 0, max: 1, minExclusive: true }), 'a number in (0, 1]');
  assert.equal(describeRule({ type: 'number', min: 0, minExclusive: true }), 'a number > 0');
  assert.equal(describeRule({ type: 'number', min: 0 }), 'a number ≥ 0');
  assert.equal(describeRule({ type: 'number', max: 1, maxExclusive: true }), 'a number < 1');
  assert.equal(describeRule({ type: 'number' }), 'a finite number');
  assert.equal(describeRule({ type: 'number', integer: true, min: 1 }), 'a positive integer');
  assert.equal(describeRule({ type: 'number', integer: true, min: 0, minExclusive: true }), 'a positive integer');
  assert.equal(describeRule({ type: 'number', integer: true, min: 0 }), 'an integer ≥ 0');
  assert.equal(describeRule({ type: 'number', integer: true }), 'an integer');
  assert.equal(describeRule({ type: 'number', integer: true, nullable: true }), 'an integer or null');
  assert.equal(describeRule({ type: 'boolean' }), 'true or false');
  assert.equal(describeRule({ type: 'string', oneOf: ['a', 'b'] }), "one of 'a', 'b'");
  assert.equal(describeRule({ type: 'string' }), 'a string');
});

test('checkArg: the message shape, with help', () => {
  const rate = { type: 'number', min: 0, max: 1, maxExclusive: true } as const;
  assert.equal(checkArg(0.5, rate, 'rate', "Dropout 'dropout_2'"), 0.5);
  assert.equal(checkArg(0, rate, 'rate', "Dropout 'dropout_2'"), 0);
  assert.throws(() => checkArg(1.5, rate, 'rate', "Dropout 'dropout_2'"), {
    message: "Invalid rate for Dropout 'dropout_2': expected a number in [0, 1); received 1.5",
  });
  assert.throws(() => checkArg(1, rate, 'rate', 'Dropout'), /expected a number in \[0, 1\); received 1$/);
  assert.throws(() => checkArg(NaN, rate, 'rate', 'Dropout'), /received NaN$/);
  assert.throws(() => checkArg('0.5', rate, 'rate', 'Dropout'), /received '0.5'$/);
  assert.throws(() => checkArg(1, { ...rate, help: 'use a smaller rate.' }, 'rate', 'Dropout'), {
    message: 'Invalid rate for Dropout: expected a number in [0, 1); received 1\nhelp: use a smaller rate.',
  });
});

test('checkArg: numbers must be finite, NaN never passes, -0 prints as -0', () => {
  const positive = { type: 'number', min: 0, minExclusive: true } as const;
  assert.throws(() => checkArg(Infinity, positive, 'epsilon', 'Adam'), {
    message: 'Invalid epsilon for Adam: expected a number > 0; received Infinity',
  });
  assert.throws(() => checkArg(-0, positive, 'epsilon', 'Adam'), {
    message: 'Invalid epsilon for Adam: expected a number > 0; received -0',
  });
  assert.throws(
    () => checkArg(Infinity, { type: 'number' }, 'value', 'Constant'),
    /expected a finite number; received Infinity/,
  );
  assert.equal(checkArg(Infinity, { type: 'number', allowInfinity: true }, 'baseline', 'X'), Infinity);
  assert.throws(() => checkArg(NaN, { type: 'number', allowInfinity: true }, 'baseline', 'X'), /received NaN/);
  assert.equal(checkArg(-0, { type: 'number', min: 0 }, 'momentum', 'SGD'), -0);
});

test('checkArg: integers, booleans, strings, nullable, any', () => {
  const patience = { type: 'number', integer: true, min: 0 } as const;
  assert.equal(checkArg(3, patience, 'patience', 'EarlyStopping'), 3);
  assert.throws(() => checkArg(2.5, patience, 'patience', 'EarlyStopping'), {
    message: 'Invalid patience for EarlyStopping: expected an integer ≥ 0; received 2.5',
  });
  assert.throws(() => checkArg(-1, patience, 'patience', 'EarlyStopping'), /received -1$/);
  assert.throws(() => checkArg(1, { type: 'boolean' }, 'nesterov', 'SGD'), {
    message: 'Invalid nesterov for SGD: expected true or false; received 1',
  });
  assert.throws(() => checkArg('true', { type: 'boolean' }, 'nesterov', 'SGD'), /received 'true'$/);
  assert.throws(() => checkArg('maximum', { type: 'string', oneOf: ['auto', 'min', 'max'] }, 'mode', 'EarlyStopping'), {
    message: "Invalid mode for EarlyStopping: expected one of 'auto', 'min', 'max'; received 'maximum'",
  });
  assert.throws(() => checkArg(null, { type: 'number' }, 'seed', 'X'), /expected a finite number; received null$/);
  assert.equal(checkArg(null, { type: 'number', integer: true, nullable: true }, 'seed', 'X'), null);
  assert.throws(() => checkArg(1.5, { type: 'number', integer: true, nullable: true }, 'seed', 'X'), {
    message: 'Invalid seed for X: expected an integer or null; received 1.5',
  });
  assert.equal(checkArg(null, { type: 'string', nullable: true }, 'name', 'X'), null);
  assert.equal(checkArg(null, { type: 'boolean', nullable: true }, 'b', 'X'), null);
  assert.equal(checkArg(undefined, { type: 'boolean' }, 'b', 'X'), undefined);
  const anything = { weird: true };
  assert.equal(checkArg(anything, { type: 'any' }, 'a', 'X'), anything);
});

const SPEC: ArgSpec = {
  learningRate: { type: 'number', min: 0, minExclusive: true },
  momentum: { type: 'number', min: 0, max: 1 },
  nesterov: { type: 'boolean' },
  globalClipnorm: { type: 'number', min: 0, minExclusive: true, nullable: true },
  name: { type: 'any' },
};

test('checkArgs: unknown options get the camelCase spelling or the closest name', () => {
  assert.throws(() => checkArgs({ learning_rate: 0.1 } as object, SPEC, 'SGD'), {
    message:
      "SGD: unknown option 'learning_rate'. Did you mean 'learningRate'? Known: learningRate, momentum, " +
      'nesterov, globalClipnorm, name',
  });
  assert.throws(() => checkArgs({ global_clipnorm: 1 } as object, SPEC, 'SGD'), /Did you mean 'globalClipnorm'\?/);
  assert.throws(() => checkArgs({ learningrate: 0.1 } as object, SPEC, 'SGD'), /Did you mean 'learningRate'\?/);
  assert.throws(() => checkArgs({ momentom: 0.1 } as object, SPEC, 'SGD'), /Did you mean 'momentum'\?/);
  assert.throws(() => checkArgs({ zzzzzzzz: 1 } as object, SPEC, 'SGD'), {
    message: "SGD: unknown option 'zzzzzzzz'. Known: learningRate, momentum, nesterov, globalClipnorm, name",
  });
  assert.equal(suggestOption('learning_rate', ['learningRate', 'rho']), 'learningRate');
  assert.equal(suggestOption('Epsilon', ['epsilon']), 'epsilon');
});

test('checkArgs: checks present values, skips undefined, returns args', () => {
  const args = { learningRate: 0.1, momentum: undefined, globalClipnorm: null };
  assert.equal(checkArgs(args, SPEC, 'SGD'), args);
  assert.deepEqual(checkArgs(undefined, SPEC, 'SGD'), {});
  assert.throws(() => checkArgs({ learningRate: NaN }, SPEC, 'SGD'), {
    message: 'Invalid learningRate for SGD: expected a number > 0; received NaN',
  });
  assert.throws(() => checkArgs({ momentum: 1.5 }, SPEC, 'SGD'), {
    message: 'Invalid momentum for SGD: expected a number in [0, 1]; received 1.5',
  });
  assert.throws(() => checkArgs({ globalClipnorm: 0 }, SPEC, 'SGD'), /expected a number > 0 or null; received 0$/);
  assert.deepEqual(checkArgs({ name: 123 }, SPEC, 'SGD'), { name: 123 });
});

test('checkArgs: a non-object where an options object is expected', () => {
  assert.throws(() => checkArgs(0.1 as unknown as object, SPEC, 'SGD'), {
    message: 'SGD: expected an options object; received 0.1',
  });
  assert.throws(() => checkArgs(null as unknown as object, SPEC, 'SGD'), {
    message: 'SGD: expected an options object; received null',
  });
  assert.throws(() => checkArgs([1] as unknown as object, SPEC, 'SGD'), {
    message: 'SGD: expected an options object; received [1]',
  });
  assert.throws(() => checkArgs('adam' as unknown as object, SPEC, 'SGD'), {
    message: "SGD: expected an options object; received 'adam'",
  });
});

test('checkAtMostOne', () => {
  checkAtMostOne(
    { clipnorm: 1, clipvalue: undefined, globalClipnorm: null },
    ['clipnorm', 'clipvalue', 'globalClipnorm'],
    'SGD',
  );
  checkAtMostOne(undefined, ['a', 'b'], 'X');
  assert.throws(
    () => checkAtMostOne({ clipnorm: 1, clipvalue: 0.5 }, ['clipnorm', 'clipvalue', 'globalClipnorm'], 'SGD'),
    { message: 'SGD: only one of clipnorm, clipvalue, globalClipnorm can be set; received clipnorm=1, clipvalue=0.5' },
  );
});

test('a oneOf string suggests the closest allowed value; an option-less constructor says so', () => {
  assert.throws(
    () => checkArg('fan_inn', { type: 'string', oneOf: ['fan_in', 'fan_out', 'fan_avg'] }, 'mode', 'VarianceScaling'),
    {
      message:
        "Invalid mode for VarianceScaling: expected one of 'fan_in', 'fan_out', 'fan_avg'; received " +
        "'fan_inn'\nhelp: did you mean 'fan_in'?",
    },
  );
  assert.throws(
    () => checkArg('maximum', { type: 'string', oneOf: ['auto', 'min', 'max'] }, 'mode', 'X'),
    (e: Error) => !e.message.includes('help:'),
  );
  assert.throws(() => checkArgs({ value: 1 } as object, {}, 'Zeros'), {
    message: "Zeros: unknown option 'value'; it takes no options",
  });
});

test('suggestOption counts swapped letters as one typo', () => {
  assert.equal(suggestOption('sede', ['scale', 'mode', 'distribution', 'seed']), 'seed');
  assert.equal(suggestOption('paitence', ['patience', 'mode']), 'patience');
  assert.equal(suggestOption('xyz', ['patience', 'mode']), null);
});
