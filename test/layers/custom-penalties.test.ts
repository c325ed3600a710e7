/**
 * Custom regularizers and constraints, written as in Keras (subclass, `call` / `applyInPlace`, `getConfig`),
 * load from a Keras document through `customObjects` (Keras's `custom_objects`) and fail without them naming
 * the class; and `activityRegularizer` is a base-layer option, as in Keras, so it works on any layer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Tensor, constraints, layers, modelFromKerasJson, ops, regularizers } from '../../src/index.js';

/** factor · Σx⁴. */
class QuarticPenalty extends regularizers.Regularizer {
  readonly className = 'QuarticPenalty';
  readonly factor: number;
  constructor(args: { factor?: number } = {}) {
    super();
    this.factor = args.factor ?? 1;
  }
  call(x: Tensor): Tensor {
    return ops.mul(ops.sum(ops.square(ops.square(x))), this.factor);
  }
  getConfig(): Record<string, unknown> {
    return { factor: this.factor };
  }
}

/** Clips every weight into [−limit, limit]. */
class ClipWeights extends constraints.Constraint {
  readonly className = 'ClipWeights';
  readonly limit: number;
  constructor(args: { limit?: number } = {}) {
    super();
    this.limit = args.limit ?? 1;
  }
  applyInPlace(values: Float32Array): void {
    for (let i = 0; i < values.length; i++) values[i] = Math.min(this.limit, Math.max(-this.limit, values[i]!));
  }
  override getConfig(): Record<string, unknown> {
    return { limit: this.limit };
  }
}

const kerasDocument = {
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      { class_name: 'InputLayer', config: { batch_shape: [null, 3], name: 'input' } },
      {
        class_name: 'Dense',
        config: {
          name: 'dense',
          units: 2,
          kernel_initializer: { class_name: 'Ones', config: {} },
          kernel_regularizer: { class_name: 'QuarticPenalty', config: { factor: 0.5 } },
          kernel_constraint: { class_name: 'ClipWeights', config: { limit: 0.25 } },
        },
      },
    ],
  },
};

test('custom regularizer and constraint classes load through customObjects, and fail without them', () => {
  assert.throws(
    () => modelFromKerasJson(kerasDocument),
    (e: Error) => /QuarticPenalty/.test(e.message) && /customObjects: { QuarticPenalty }/.test(e.message),
  );
  const model = modelFromKerasJson(kerasDocument, { customObjects: { QuarticPenalty, ClipWeights } });
  const dense = model.layers[0]!;
  const config = dense.getConfig();
  assert.deepEqual(config.kernel_regularizer, { class_name: 'QuarticPenalty', config: { factor: 0.5 } });
  assert.deepEqual(config.kernel_constraint, { class_name: 'ClipWeights', config: { limit: 0.25 } });
  // Kernel of ones [3, 2]: 0.5 · Σ 1⁴ = 3.
  const penalties = dense.regularizationLosses();
  assert.equal(penalties.length, 1);
  assert.equal(penalties[0]!.data[0], 3);
  dense.applyConstraints();
  assert.deepEqual(Array.from(dense.kernelWeight!.data), [0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
});

test('activityRegularizer works on any layer (a Keras base-layer option), not only Dense', async () => {
  const act = new layers.Activation('linear', { activityRegularizer: new regularizers.L2(0.5) });
  const model = new Sequential([
    new layers.Dense(2, { inputShape: [1], kernelInitializer: 'ones', useBias: false, trainable: false }),
    act,
  ]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  // x = [1], [3]; outputs equal the targets, so the loss is the activity penalty alone:
  // 0.5 · (1² + 1² + 3² + 3²) / batch 2 = 5.
  const x = new Tensor(new Float32Array([1, 3]), [2, 1]);
  const y = new Tensor(new Float32Array([1, 1, 3, 3]), [2, 2]);
  const history = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, shuffle: false });
  assert.ok(Math.abs(history.history.loss![0]! - 5) < 1e-5, `loss ${history.history.loss![0]}`);
  assert.deepEqual(act.getConfig().activity_regularizer, { class_name: 'L2', config: { l2: 0.5 } });
  assert.throws(
    () => new layers.LeakyReLU({ activityRegularizer: 'l1' }).asActivation(),
    /activity regularizer, which would be dropped/,
  );
});
