/**
 * The report's per-channel view: a conv run's report has a 'channels' section (channel std heatmaps at the first and
 * last sampled step, the dead channels named), a dense run's has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSequential } from '../../src/run-config/model-spec.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/tensor/rng.js';
import * as optimizers from '../../src/nn/optimizers/index.js';
import { ReportRecorder, renderRunReport } from '../../src/report/html/index.js';
import { channelSection } from '../../src/report/html/sections.js';
import { emptyRecord } from '../../src/report/html/record.js';

test('a conv run report shows channel std per layer and names a dead channel', async () => {
  setSeed(5);
  const layers = [
    { class_name: 'Conv2D', config: { filters: 3, kernel_size: 3, activation: 'relu' } },
    { class_name: 'MaxPooling2D', config: { pool_size: 2 } },
    { class_name: 'Flatten', config: {} },
    { class_name: 'Dense', config: { units: 2, activation: 'softmax' } },
  ];
  const model = buildSequential(layers, [6, 6, 1]);
  const conv = model.layers[0]!;
  // Channel 2 can never fire on inputs in [0, 1): its bias is −100.
  conv.weights.find((w) => w.name.endsWith('/bias'))!.assign(Float32Array.from([0, 0, -100]));
  model.compile({
    optimizer: optimizers.get({ class_name: 'SGD', config: { learning_rate: 0.01 } }),
    loss: 'sparse_categorical_crossentropy',
  });
  const n = 32;
  const x = new Tensor(
    new Float32Array(n * 36).map((_v, i) => (Math.cos(i * 0.61) + 1) / 2.01),
    [n, 6, 6, 1],
  );
  const y = new Tensor(
    new Float32Array(n).map((_v, i) => i % 2),
    [n],
  );
  const rec = new ReportRecorder({ title: 'tiny cnn', x, layers, every: 1 });
  await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [rec] });
  const html = renderRunReport(rec.record());
  const body = html.slice(html.indexOf('data-section="channels"')).split('</section>')[0]!;
  assert.equal(html.split('data-section="channels"').length - 1, 1);
  assert.equal((body.match(/<svg[^>]*role="img"/g) ?? []).length, 2, 'two heatmaps');
  // Two layers with feature maps × 3 channels, drawn at two steps.
  assert.equal((body.match(/, channel \d: channel std/g) ?? []).length, 2 * 2 * 3);
  assert.match(body, /conv2d[^<]*<span class="muted">Conv2D<\/span><\/th><td>1 \/ 3 \(#2\)/);
  assert.match(body, /step 3/);
});

test('a run without feature maps has no channels section', () => {
  assert.equal(channelSection(emptyRecord('dense')), '');
});
