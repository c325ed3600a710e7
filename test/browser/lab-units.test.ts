/**
 * The lab's pure parts in Node (no browser): the presets and their URL form, the network each builds, and the
 * activation histograms' robust axis with the values beyond it counted apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, PRESETS, applyPreset, matchingPreset, parseQuery, toQuery } from '../../lab/src/settings.js';
import { layerConfigs, optimizerConfig } from '../../lab/src/model-config.js';
import { robustHistogramSet, robustRange } from '../../lab/src/histograms.js';
import { ridgeline } from '../../src/report/html/charts/ridgeline.js';

test('lab presets: the exploding pair differs only by clipping, the RNN pair too; each matches itself', () => {
  const wild = applyPreset(DEFAULTS, 'exploding'),
    tame = applyPreset(DEFAULTS, 'exploding-clipnorm');
  assert.deepEqual({ ...wild, clip: 'global_clipnorm' }, tame);
  const rnn = applyPreset(DEFAULTS, 'rnn'),
    rnnClipped = applyPreset(DEFAULTS, 'rnn-clipnorm');
  assert.deepEqual({ ...rnn, clip: 'global_clipnorm' }, rnnClipped);
  for (const p of PRESETS) assert.equal(matchingPreset(applyPreset(DEFAULTS, p.id))?.id, p.id, p.id);
  // The URL carries everything: the RNN preset round-trips through it.
  assert.deepEqual(parseQuery(toQuery(rnn)), { settings: rnn, rejected: [] });
  assert.match(toQuery(rnn), /data=adding/);
  assert.match(toQuery(rnn), /rgain=2/);
  assert.match(toQuery(rnn), /T=20/);
});

test('lab presets: a deep-network preset leaves the sequence task for the spirals', () => {
  const fromRnn = applyPreset(applyPreset(DEFAULTS, 'rnn'), 'he-elu');
  assert.equal(fromRnn.dataset, 'spirals');
  assert.equal(matchingPreset(fromRnn)?.id, 'he-elu');
  // ... and keeps a 2-D set chosen before.
  assert.equal(applyPreset({ ...DEFAULTS, dataset: 'circles' }, 'exploding').dataset, 'circles');
  // A deep preset's settings on the adding problem are not that preset (it would be an RNN).
  assert.equal(matchingPreset({ ...applyPreset(DEFAULTS, 'he-elu'), dataset: 'adding' }), undefined);
});

test('lab networks: the RNN preset builds SimpleRNN(16, relu, orthogonal gain 2) → Dense(1); clipping on SGD', () => {
  const rnn = applyPreset(DEFAULTS, 'rnn-clipnorm');
  const layers = layerConfigs(rnn, 0);
  assert.equal(layers.length, 2);
  assert.equal(layers[0]!.class_name, 'SimpleRNN');
  assert.deepEqual(layers[0]!.config, {
    units: 16,
    activation: 'relu',
    kernel_initializer: 'glorot_uniform',
    recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 2 } },
  });
  assert.deepEqual(layers[1], { class_name: 'Dense', config: { units: 1 } });
  assert.deepEqual(optimizerConfig(rnn), {
    class_name: 'SGD',
    config: { learning_rate: 0.03, global_clipnorm: 1 },
  });
  const deep = layerConfigs(applyPreset(DEFAULTS, 'exploding'), 3);
  assert.equal(deep.length, 21);
  assert.deepEqual(optimizerConfig(applyPreset(DEFAULTS, 'exploding')), {
    class_name: 'SGD',
    config: { learning_rate: 0.5 },
  });
});

test('lab histograms: one long-tailed layer does not stretch the axis; its tail is counted apart', () => {
  // Nine layers of ELU-like outputs in [−1, 3], one whose values reach 80.
  const typical = Float32Array.from({ length: 1000 }, (_, i) => -1 + (4 * i) / 999);
  const tailed = Float32Array.from({ length: 1000 }, (_, i) => (i < 900 ? (3 * i) / 899 : 3 + (77 * (i - 900)) / 99));
  const layers = [
    ...Array.from({ length: 9 }, (_, i) => ({ name: `dense_${i}`, data: typical })),
    {
      name: 'dense_9',
      data: tailed,
    },
  ];
  const [lo, hi] = robustRange(layers.map((l) => l.data));
  assert.ok(lo <= -0.9 && lo > -1, `lo ${lo}: the typical layer's 2nd percentile`);
  assert.ok(hi >= 2.8 && hi < 3, `hi ${hi}: the typical layer's 98th percentile, not 80`);
  const set = robustHistogramSet(7, layers);
  assert.equal(set.step, 7);
  const last = set.layers[9]!;
  assert.equal(last.over, tailed.filter((v) => v > hi).length, 'the values beyond the axis are counted apart');
  assert.ok(last.over! >= 100, 'the whole tail among them');
  assert.equal(last.under, 0);
  assert.equal(last.max, 80);
  for (const l of set.layers) {
    const inBins = l.counts.reduce((a, b) => a + b, 0);
    assert.equal(inBins + l.under! + l.over!, 1000, `${l.layer}: every value counted once`);
  }
  // The chart marks the overflow at the row's end, with the share in its tooltip.
  const svg = ridgeline(set, { label: 'activations' });
  const shares = [...svg.matchAll(/class="overflow" data-side="over" data-share="([^"]+)"/g)].map((m) => Number(m[1]));
  assert.equal(shares.length, 10, 'every row has a tail beyond its 98th percentile');
  assert.ok(shares[9]! > 0.1 && shares.slice(0, 9).every((v) => v < 0.05), `the long tail stands out: ${shares}`);
  assert.match(svg, /dense_9: 1\d\.\d% of values above the axis \(max 80\)/);
  // The axis always takes in 0 (where ReLU's dead units and a sigmoid's saturation show).
  assert.deepEqual(robustRange([Float32Array.from([5, 6, 7])]), [0, 7]);
  assert.deepEqual(robustRange([]), [-1, 1]);
});
