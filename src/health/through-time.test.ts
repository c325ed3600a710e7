import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers } from '../index.js';
import { predictThroughTime, throughTimeFindings } from './through-time.js';
import { lintConfig } from './lint.js';

test('through time: an orthogonal linear recurrence keeps the gradient norm (ratio 1, closed form)', () => {
  const m = new Sequential([new layers.SimpleRNN(16, { activation: 'linear', inputShape: [12, 3] })]);
  m.build([12, 3]);
  const [p] = predictThroughTime(m, { mean: 0, secondMoment: 1 });
  assert.ok(Math.abs(p!.recurrentGain! - 1) < 1e-5);
  assert.ok(Math.abs(p!.ratio! - 1) < 1e-4);
  assert.deepEqual(throughTimeFindings([p!]), []);
});

test('through time: relu with u·E[U²] = 4 grows √(4·½) per step back; a gated layer is not predicted', () => {
  const u = 8,
    T = 20;
  const m = new Sequential([
    new layers.SimpleRNN(u, { activation: 'relu', useBias: false, returnSequences: true, inputShape: [T, 2] }),
    new layers.LSTM(4),
  ]);
  m.build([T, 2]);
  const rnn = m.layers[0] as layers.SimpleRNN;
  // Every entry of U is ±√(4/u): E[U²] = 4/u exactly.
  rnn.recurrentKernel!.assign(new Float32Array(u * u).map((_v, i) => (i % 3 === 0 ? -1 : 1) * Math.sqrt(4 / u)));
  const [p, lstm] = predictThroughTime(m, { mean: 0, secondMoment: 1 });
  // E[relu′(z)²] = ½ for a centred Gaussian z, whatever its variance.
  assert.ok(Math.abs(p!.derivativeSecondMoment! - 0.5) < 1e-6);
  assert.ok(Math.abs(Math.log(p!.ratio!) - ((T - 1) / 2) * Math.log(2)) < 1e-3);
  assert.equal(lstm!.gated, true);
  assert.equal(lstm!.ratio, null);
  const [f] = throughTimeFindings([p!]);
  assert.equal(f!.code, 'T-EXPLODE-TIME');
  assert.deepEqual(f!.layers, [rnn.name]);
});

test('lint: BatchNormalization inside a recurrent stack; an unbounded SimpleRNN without clipping', () => {
  const stack = [
    { class_name: 'SimpleRNN', config: { units: 8, activation: 'relu', return_sequences: true } },
    { class_name: 'BatchNormalization', config: {} },
    { class_name: 'LSTM', config: { units: 4 } },
    { class_name: 'Dense', config: { units: 1 } },
  ];
  const data = { dataset: 'adding' as const, length: 10 };
  const codes = (compile: unknown) => lintConfig({ layers: stack, data, compile: compile as never }).map((f) => f.code);
  const sgd = { optimizer: { class_name: 'SGD', config: { learning_rate: 0.01 } }, loss: 'mse', metrics: [] };
  assert.ok(codes(sgd).includes('L-RNN-BN'));
  assert.ok(codes(sgd).includes('L-RNN-UNBOUNDED-NOCLIP'));
  const clipped = { ...sgd, optimizer: { class_name: 'SGD', config: { learning_rate: 0.01, global_clipnorm: 1 } } };
  assert.ok(!codes(clipped).includes('L-RNN-UNBOUNDED-NOCLIP'));
});
