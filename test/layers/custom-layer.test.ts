/**
 * A user-defined layer, written as Keras users write one: subclass layers.Layer,
 * create weights with addWeight in build, compute with ops in call, add keys in
 * getConfig. It trains, appears in summary(), saves, loads with customObjects (and
 * fails without them, naming the class), and the doctor's theory names it as unknown
 * — or uses its own moment rule when it has one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, Tensor, layers, loadModel, ops, registerLayer, setSeed, health } from '../../src/index.js';
import type { Variable } from '../../src/autograd/variable.js';
import { runLayerTest } from '../helpers/layer-test.js';

/** y = factor · scale ⊙ x, with a learned per-feature scale (starts at 1). */
class Scale extends layers.Layer {
  readonly factor: number;
  scale: Variable | null = null;
  constructor(args: layers.LayerArgs & { factor?: number } = {}) {
    super(args);
    this.factor = args.factor ?? 1;
  }
  override build(inputShape: number[]): void {
    this.scale = this.addWeight({ name: 'scale', shape: [inputShape.at(-1)!], initializer: 'ones' });
    super.build(inputShape);
  }
  call(x: Tensor): Tensor {
    return ops.mul(ops.mul(x, this.scale!), this.factor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** The same layer with the doctor's moment rule: a scale s multiplies E[x], E[x²], E[x_a·x_b] by s, s², s². */
class ScaleWithRule extends Scale {
  override momentRule(x: layers.Moments): layers.MomentStep {
    const s = this.factor * (this.scale ? this.scale.data[0]! : 1);
    return {
      out: { mean: s * x.mean, second: s * s * x.second, cross: s * s * x.cross },
      d2: 1,
      backward: (g) => s * s * g,
      kernelFactor: null,
    };
  }
}

function data(): { x: Tensor; y: Tensor } {
  const n = 64,
    x = new Float32Array(n * 4),
    y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = Math.sin(i * 1.3 + j * 0.7);
    y[i] = x[i * 4]! + x[i * 4 + 1]! > 0 ? 1 : 0;
  }
  return { x: new Tensor(x, [n, 4]), y: new Tensor(y, [n]) };
}

function model(ScaleClass: typeof Scale): Sequential {
  setSeed(3);
  return new Sequential([
    new layers.Dense(8, { activation: 'tanh', inputShape: [4], name: 'hidden' }),
    new ScaleClass({ factor: 2, name: 'scale' }),
    new layers.Dense(2, { activation: 'softmax', name: 'out' }),
  ]);
}

test(
  'a custom layer trains, shows in summary(), saves, and loads only with customObjects (or ' + 'registerLayer)',
  async () => {
    const m = model(Scale);
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const { x, y } = data();
    const before = m.evaluate(x, y).loss!;
    await m.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    const after = m.evaluate(x, y).loss!;
    assert.ok(after < before * 0.8, `loss fell: ${before} → ${after}`);
    assert.ok(
      Array.from(m.layers[1]!.weights[0]!.data).some((v) => v !== 1),
      'the custom weight was trained',
    );
    assert.match(m.summary(null), /scale \(Scale\)\s+\(None, 8\)\s+8/);

    const dir = mkdtempSync(join(tmpdir(), 'keel-custom-'));
    try {
      await m.save(dir);
      await assert.rejects(
        loadModel(dir),
        (e: Error) => /unknown layer type 'Scale'/.test(e.message) && /customObjects: \{ Scale \}/.test(e.message),
      );
      const loaded = await loadModel(dir, { customObjects: { Scale } });
      assert.ok(loaded.layers[1] instanceof Scale);
      assert.equal((loaded.layers[1] as Scale).factor, 2);
      assert.deepEqual(loaded.predict(x).data, m.predict(x).data);
      registerLayer(Scale);
      assert.deepEqual(
        (await loadModel(dir)).predict(x).data,
        m.predict(x).data,
        'registered: loads without customObjects',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('an unknown config key of a custom layer is an error with a suggestion', () => {
  assert.throws(
    () => layers.layerFromConfig({ class_name: 'Scale', config: { factr: 2 } }, 'layer', { Scale }),
    /config key 'factr' is not one Scale\.getConfig\(\) writes.*Did you mean 'factor'\?/,
  );
});

test("the doctor's theory names a layer without a moment rule as unknown, and uses one when the layer has it", () => {
  const input = { mean: 0, secondMoment: 1 };
  const unknown = health.predictVariances(model(Scale), input, { batchSize: 16 });
  assert.deepEqual(
    unknown.unknown.map((u) => [u.layer, u.className]),
    [['scale', 'Scale']],
  );
  assert.deepEqual(
    unknown.layers.map((l) => l.layer),
    ['hidden'],
    'predictions stop before the unknown layer',
  );
  assert.ok(
    unknown.layers.every((l) => l.kernelGradNorm === null),
    'no gradient guessed through an unknown layer',
  );

  const known = health.predictVariances(model(ScaleWithRule), input, { batchSize: 16 });
  assert.deepEqual(known.unknown, []);
  const [hidden, scale] = known.layers;
  assert.ok(
    Math.abs(scale!.outputVariance - 4 * hidden!.outputVariance) < 1e-9 * Math.max(1, hidden!.outputVariance),
    'factor 2 → variance ×4',
  );
  assert.ok(known.layers.every((l) => l.gradSecondMoment !== null) && known.firstLastGradRatio !== null);
});

runLayerTest('custom Scale', {
  make: () => new Scale({ factor: 1.5 }),
  inputShape: [5],
  customObjects: { Scale },
  noMomentRule: true,
});
