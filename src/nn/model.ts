/**
 * Sequential: a stack of layers (Keras `models/sequential.py`). Building,
 * calling, predicting and weights live here; compile/fit/evaluate in training.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { withArena, alloc } from '../tensor/arena.js';
import type { Variable } from '../autograd/variable.js';
import { Layer, uniqueLayerName } from './layers/layer.js';
import { formatSummary } from './summary.js';
import type { CallbackLike } from './callbacks.js';
import type { History } from './history.js';
import type { Optimizer, OptimizerIdentifier } from './optimizers/index.js';
import type { KerasObject } from './keras-config.js';
import type { LossFunction, LossIdentifier } from './losses.js';
import { compileModel, evaluateModel, fitModel, trainOnBatch, type CompiledState, type FitResume } from './training.js';
import { saveModel } from './serialization/save.js';

export interface CompileArgs {
  optimizer: Optimizer | OptimizerIdentifier | KerasObject;
  /**
   * A Keras loss name ('sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy', 'mse'),
   * a {class_name, config} object, or a loss function.
   */
  loss: LossIdentifier | KerasObject | LossFunction;
  /**
   * Accuracy metrics, logged under the name as written. 'accuracy'/'acc' resolve from the
   * targets' and predictions' shapes as Keras 3 does: binary when the prediction's last
   * dimension is 1, sparse categorical when the targets are integer labels, else categorical.
   */
  metrics?: import('./metrics.js').MetricIdentifier[];
  /** Treat predictions as logits in the loss (the cross-entropies). Default false. */
  fromLogits?: boolean;
}

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  /** Fraction of the data (the last examples, before shuffling) held out for validation. */
  validationSplit?: number;
  validationData?: [Tensor, Tensor];
  /** Shuffle the training examples every epoch (seeded by the global generator). Default true. */
  shuffle?: boolean;
  callbacks?: CallbackLike[];
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
  /** Continue a run from a checkpoint: `(await loadCheckpoint(dir, model)).resume` (see nn/checkpoint). */
  resumeFrom?: FitResume | null;
  /** When the loss or a weight becomes NaN/Inf: 'stop' (default) or 'rollback' to the last checkpoint in
   * `checkpointDir` with half the learning rate. */
  onNaN?: 'stop' | 'rollback';
  /** Where 'rollback' keeps its checkpoints (required with onNaN 'rollback'). */
  checkpointDir?: string;
  /** With onNaN 'rollback': checkpoint every epoch (default) or every this many batches. */
  checkpointFreq?: 'epoch' | number;
  /** With onNaN 'rollback': give up (stop as 'stop' would) after this many rollbacks. Default 5. */
  maxRollbacks?: number;
}

export interface PredictArgs {
  batchSize?: number;
  /** Run layers in training mode: Dropout/AlphaDropout sample masks (MC dropout); BatchNormalization uses batch
   * statistics and updates its moving averages, exactly as Keras's model(x, training=True). */
  training?: boolean;
}

/** Inspects each layer's output during a call (used by the gradient monitor). */
export type LayerOutputObserver = (layer: Layer, output: Tensor) => void;

export class Sequential {
  readonly name: string;
  readonly layers: Layer[] = [];
  stopTraining = false;
  /** @internal compile() state. */
  compiled: CompiledState | null = null;
  private inputShape: number[] | null = null;

  /** @example new Sequential([new layers.Dense(10, { inputShape: [4] })]) */
  constructor(layers: Layer[] = [], args: { name?: string } = {}) {
    this.name = args.name ?? uniqueLayerName('sequential');
    for (const layer of layers) this.add(layer);
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer))
      throw new Error(`Sequential '${this.name}'.add: expected a Layer; received ${String(layer)}`);
    if (this.layers.some((l) => l.name === layer.name))
      throw new Error(`Sequential '${this.name}': two layers are named '${layer.name}'; layer names must be unique`);
    if (this.layers.length > 0 && layer.declaredInputShape !== null) {
      throw new Error(`Sequential '${this.name}': only the first layer may declare inputShape; '${layer.name}' does`);
    }
    this.layers.push(layer);
    if (this.layers.length === 1 && layer.declaredInputShape !== null) this.build(layer.declaredInputShape);
    else if (this.inputShape !== null)
      this.buildFrom(this.layers.length - 1, this.outputShapeBefore(this.layers.length - 1));
  }

  /** Builds every layer for inputs of shape [batch, ...inputShape]. */
  build(inputShape: number[]): void {
    this.inputShape = [...inputShape];
    this.buildFrom(0, inputShape);
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  private outputShapeBefore(index: number): number[] {
    let shape = this.inputShape!;
    for (let i = 0; i < index; i++) shape = this.layers[i]!.computeOutputShape(shape);
    return shape;
  }

  private buildFrom(start: number, shape: number[]): void {
    let s = shape;
    for (let i = start; i < this.layers.length; i++) {
      const layer = this.layers[i]!;
      if (!layer.built) layer.build(s);
      s = layer.computeOutputShape(s);
    }
  }

  /** The input shape without the batch axis, once known. */
  getInputShape(): number[] | null {
    return this.inputShape;
  }

  /** The output shape without the batch axis. */
  getOutputShape(): number[] {
    if (this.inputShape === null)
      throw new Error(
        `Sequential '${this.name}' is not built yet: give the first layer an inputShape or call it on data`,
      );
    return this.outputShapeBefore(this.layers.length);
  }

  /** Runs the layers on a batch; differentiable under a tape. `observe` sees each layer's output. */
  apply(x: Tensor, args: { training?: boolean; observe?: LayerOutputObserver } = {}): Tensor {
    if (this.layers.length === 0) throw new Error(`Sequential '${this.name}' has no layers`);
    if (this.inputShape === null) this.build(x.shape.slice(1));
    this.checkInput(x);
    const ctx = { training: args.training ?? false };
    let h = x;
    for (const layer of this.layers) {
      h = layer.apply(h, ctx);
      args.observe?.(layer, h);
    }
    return h;
  }

  /** Throws if x is not [batch, ...inputShape]. */
  checkInput(x: Tensor, what = 'input'): void {
    const expected = this.inputShape!;
    const got = x.shape.slice(1);
    if (x.rank < 2 || got.length !== expected.length || got.some((d, i) => d !== expected[i])) {
      throw new Error(
        `Sequential '${this.name}': ${what} of shape ${formatShape(x.shape)} does not match the model's input ` +
          `shape [batch, ${expected.join(', ')}] (first layer '${this.layers[0]!.name}')`,
      );
    }
  }

  /**
   * Outputs for `x`, batch by batch. `training: true` gives MC dropout.
   * @example const probs = model.predict(xTest, { batchSize: 256 });
   */
  predict(x: Tensor, args: PredictArgs = {}): Tensor {
    if (this.inputShape === null) this.build(x.shape.slice(1));
    this.checkInput(x);
    const batchSize = args.batchSize ?? 32;
    const n = x.shape[0]!;
    const features = sizeOf(this.inputShape!);
    const outShape = this.getOutputShape();
    const outWidth = sizeOf(outShape);
    const result = new Float32Array(n * outWidth);
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      withArena(() => {
        const xb = alloc(rows * features);
        xb.set(x.data.subarray(start * features, (start + rows) * features));
        const out = this.apply(new Tensor(xb, [rows, ...this.inputShape!]), { training: args.training ?? false });
        result.set(out.data, start * outWidth);
      });
    }
    return new Tensor(result, [n, ...outShape]);
  }

  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }
  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }
  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** Copies of all weights in Keras order (Dense: kernel, bias; BatchNormalization: gamma, beta, moving_mean,
   * moving_variance). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(Float32Array.from(w.data), w.shape));
  }

  /** Sets all weights, in getWeights order; shapes must match. */
  setWeights(weights: readonly { data: Float32Array; shape: number[] }[]): void {
    const own = this.weights;
    if (weights.length !== own.length)
      throw new Error(
        `Sequential '${this.name}'.setWeights: expected ${own.length} arrays (${own.map((w) => w.name).join(', ')}` +
          `); received ${weights.length}`,
      );
    own.forEach((w, i) => {
      const src = weights[i]!;
      if (
        src.data.length !== w.size ||
        src.shape.length !== w.shape.length ||
        src.shape.some((d, j) => d !== w.shape[j])
      ) {
        throw new Error(
          `Sequential '${this.name}'.setWeights: '${w.name}' has shape ${formatShape(w.shape)}; received ` +
            `${formatShape(src.shape)}`,
        );
      }
    });
    own.forEach((w, i) => w.assign(weights[i]!.data));
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** The Keras-style table; printed with `print` (default console.log) and returned. */
  summary(print: ((text: string) => void) | null = console.log): string {
    if (this.inputShape === null)
      throw new Error(
        `Sequential '${this.name}' is not built yet: give the first layer an inputShape, or call build([features])`,
      );
    let shape = this.inputShape;
    const rows = this.layers.map((l) => {
      shape = l.computeOutputShape(shape);
      return { name: l.name, className: l.className, outputShape: shape, params: l.countParams() };
    });
    const trainable = this.trainableWeights.reduce((n, w) => n + w.size, 0);
    const text = formatSummary(this.name, rows, trainable, this.countParams() - trainable);
    print?.(text);
    return text;
  }

  compile(args: CompileArgs): void {
    this.compiled = compileModel(this, args);
  }

  /**
   * Trains for a number of epochs.
   * @example const history = await model.fit(x, y, { epochs: 5, batchSize: 32, validationSplit: 0.1 });
   */
  fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    // Loaded lazily: the rollback policy needs the file system (node:fs), the plain loop does not.
    if (args.onNaN === 'rollback')
      return import('./checkpoint/rollback.js').then((m) => m.fitWithRollback(this, x, y, args));
    return fitModel(this, x, y, args);
  }

  /**
   * Saves the model in the TensorFlow.js layers format (model.json + shards), atomically.
   * @example await model.save('out/my-model');
   */
  save(dir: string): Promise<void> {
    return saveModel(this, dir);
  }

  /** Loss and accuracy on data, in inference mode. */
  evaluate(x: Tensor, y: Tensor, args: { batchSize?: number } = {}): Record<string, number> {
    return evaluateModel(this, x, y, args.batchSize ?? 32);
  }

  /** One optimizer step on one batch; returns its loss (and accuracy). */
  trainOnBatch(x: Tensor, y: Tensor): Record<string, number> {
    return trainOnBatch(this, x, y);
  }

  /** Keras config of the model (tf.keras 2 / TF.js dialect). */
  getConfig(): { name: string; layers: { class_name: string; config: Record<string, unknown> }[] } {
    return { name: this.name, layers: this.layers.map((l) => ({ class_name: l.className, config: l.getConfig() })) };
  }
}
