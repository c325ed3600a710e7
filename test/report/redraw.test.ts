/**
 * The redrawn reports (issue 17): log scale when a loss spans decades, whole-number epoch ticks, accuracy on
 * 0–1 with a chance line, validation curves named only when present, findings first, variance grouped per
 * block (no Dense/BN/activation sawtooth), and the side-by-side page as wrapping small multiples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { integerTicks, lineChart, spansDecades } from '../../src/report/html/charts/line-chart.js';
import { renderComparisonReport, renderRunReport, type RunRecord } from '../../src/report/html/index.js';
import { varianceByBlock } from '../../src/report/html/series.js';
import { REPORT_CSS } from '../../src/report/html/style.js';
import { emptyRecord } from '../../src/report/html/record.js';
import type { StepRecord } from '../../src/report/doctor-adapter.js';

test('log scale when the values span two decades; a zero loss does not prevent it', () => {
  assert.equal(spansDecades([2.3, 1.1, 0.5]), false);
  assert.equal(spansDecades([2e17, 1e3, 2.3, 0]), true);
  const chart = lineChart(
    [
      {
        name: 'loss',
        points: [
          [0, 2e17],
          [1, 1e5],
          [2, 2.3],
        ],
      },
    ],
    {
      label: 'L',
      xLabel: 'step',
      yLabel: 'loss',
      logY: 'auto',
    },
  );
  assert.match(chart, /loss \(log\)/);
});

test('epoch ticks are whole numbers', () => {
  assert.deepEqual(integerTicks(1, 3, 6), [1, 2, 3]);
  assert.deepEqual(integerTicks(1, 20, 5), [1, 5, 9, 13, 17]);
  const chart = lineChart(
    [
      {
        name: 'a',
        points: [
          [1, 0.5],
          [2, 0.6],
          [3, 0.7],
        ],
      },
    ],
    {
      label: 'A',
      xLabel: 'epoch',
      yLabel: 'accuracy',
      integerX: true,
      width: 520,
    },
  );
  const ticks = [...chart.matchAll(/<text[^>]*text-anchor="middle"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.ok(!ticks.some((t) => /\d\.\d/.test(t!)), `no fractional epoch tick: ${ticks.join(' ')}`);
});

function layer(name: string, className: string, std: number, gradNorm: number | null) {
  return { layer: name, className, hasKernel: gradNorm !== null, std, gradNorm } as unknown as StepRecord['layers'][0];
}

function run(): RunRecord {
  const r = emptyRecord('deep');
  const layers = [];
  for (let b = 0; b < 3; b++)
    layers.push(
      layer(`dense_${b}`, 'Dense', 3, 0.1 * (b + 1)),
      layer(`batch_normalization_${b}`, 'BatchNormalization', 1, 0.5),
      layer(`activation_${b}`, 'Activation', 0.8, null),
    );
  r.probe.steps.push({ step: 0, layers } as unknown as StepRecord);
  r.epochs = {
    loss: [1, 0.8, 0.7],
    accuracy: [0.3, 0.5, 0.6],
    val_loss: [1.1, 0.9, 0.8],
    val_accuracy: [0.3, 0.4, 0.5],
  };
  r.chance = 0.1;
  return r;
}

test('variance and gradient by block: one point per Dense block, read at its end', () => {
  const v = varianceByBlock(run());
  assert.equal(v.blocks, 3);
  const measuredVar = v.variance.find((s) => s.name.startsWith('measured'))!;
  assert.deepEqual(
    measuredVar.points.map((p) => [p[0], Number(p[1].toFixed(2))]),
    [
      [1, 0.64],
      [2, 0.64],
      [3, 0.64],
    ],
  );
  const measuredGrad = v.gradient.find((s) => s.name.startsWith('measured'))!;
  assert.deepEqual(
    measuredGrad.points.map((p) => p[0]),
    [1, 2, 3],
  );
  assert.equal(v.example, 'dense_1 → batch_normalization_1 → activation_1');
});

test('a run report puts the findings first, draws chance and both validation curves', () => {
  const html = renderRunReport(run());
  const order = [...html.matchAll(/data-section="([a-z-]+)"/g)].map((m) => m[1]);
  assert.equal(order[0], 'findings');
  assert.match(html, /data-ref="chance 0.1"/);
  assert.match(html, /Loss by epoch \(train and validation\)/);
  assert.match(html, /data-series="validation loss"/);
  const trainOnly = run();
  delete trainOnly.epochs['val_loss'];
  assert.match(renderRunReport(trainOnly), /Loss by epoch \(train only: no validation data\)/);
});

test('the side-by-side page wraps small multiples instead of scrolling sideways', () => {
  const runs = Array.from({ length: 7 }, (_v, i) => ({ ...run(), title: `variant ${i}` }));
  const html = renderComparisonReport(runs);
  const sideBySide = /\.side-by-side \{([^}]*)\}/.exec(REPORT_CSS)![1]!;
  assert.doesNotMatch(sideBySide, /overflow-x|grid-auto-flow: column/);
  assert.match(sideBySide, /repeat\(auto-fill, minmax\(min\(100%, 160px\), 1fr\)\)/);
  // 7 × 160 px + 6 gaps of 10 px = 1,180 px: all seven fit one row of a 1,280 px window (16 px padding each side).
  assert.ok(7 * 160 + 6 * 10 <= 1280 - 32);
  const firstRow = /<h2 id="([a-z-]+)"/.exec(html)![1];
  assert.equal(firstRow, 'findings');
  assert.equal((html.match(/<h4>variant \d<\/h4>/g) ?? []).length, 7 * 5);
});
