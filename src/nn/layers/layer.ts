/**
 * The layer lifecycle (as Keras): the constructor validates and stores its
 * arguments; `build(inputShape)` creates weights through `addWeight`;
 * `call(x, {training})` computes; `computeOutputShape`; `getConfig`.
 * Shapes here exclude the batch axis: a Dense on 784 features has inputShape [784].
 */
import type { Tensor } from '../../tensor/tensor.js';
import { Variable } from '../../autograd/variable.js';
import { formatShape, shapesEqual, type Shape } from '../../tensor/shape.js';
import type { Initializer } from '../initializers/index.js';
import { toSnakeCase } from '../registry.js';

export interface LayerArgs {
  /** Unique layer name; default: the snake_case class name with a counter (dense, dense_1, ...). */
  name?: string;
  /** Whether the layer's weights are updated by training. Default true. */
  trainable?: boolean;
  /** Input shape without the batch axis (first layer only), e.g. [784]. */
  inputShape?: number[];
  /** Input shape with the batch axis (null), as Keras's batch_input_shape. */
  batchInputShape?: (number | null)[];
  /** Only 'float32' is supported. */
  dtype?: 'float32';
}

export interface CallContext {
  /** Training mode: dropout active, batch normalization on batch statistics. */
  training: boolean;
}

const nameCounters = new Map<string, number>();

/** Keras-style unique names: dense, dense_1, dense_2, ... */
export function uniqueLayerName(prefix: string): string {
  const n = nameCounters.get(prefix) ?? 0;
  nameCounters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Restarts automatic layer names (dense, dense_1, ...) from the beginning. */
export function resetLayerNames(): void { nameCounters.clear(); }

export function checkPositiveInteger(value: unknown, arg: string, layer: string, max = 1e8): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) {
    throw new Error(`Invalid ${arg} for ${layer}: expected a positive integer${max < Infinity ? ` up to ${max}` : ''}; received ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkRate(value: unknown, layer: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new Error(`Invalid rate for ${layer}: expected a number in [0, 1); received ${JSON.stringify(value)}`);
  }
  return value;
}

export abstract class Layer {
  /** Keras class name, e.g. 'Dense'. */
  abstract readonly className: string;
  name: string;
  trainable: boolean;
  built = false;
  /** Declared input shape (without the batch axis), if any. */
  readonly declaredInputShape: number[] | null;
  /** The input shape the layer was built for. */
  builtInputShape: number[] | null = null;
  private readonly ownWeights: Variable[] = [];

  constructor(args: LayerArgs, defaultPrefix: string) {
    this.name = args.name ?? uniqueLayerName(defaultPrefix);
    this.trainable = args.trainable ?? true;
    if (args.dtype !== undefined && args.dtype !== 'float32') throw new Error(`Layer '${this.name}': only dtype 'float32' is supported; received '${args.dtype}'`);
    const shape = args.inputShape ?? (args.batchInputShape ? (args.batchInputShape.slice(1) as number[]) : null);
    if (shape !== null) {
      if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d <= 0 || d > 1e8)) {
        throw new Error(`Invalid inputShape for layer '${this.name}': expected positive integers (without the batch axis); received ${JSON.stringify(shape)}`);
      }
    }
    this.declaredInputShape = shape;
  }

  /** The snake_case prefix used for automatic names of a class. */
  static defaultName(className: string): string { return toSnakeCase(className); }

  /** Creates a weight named `<layer>/<name>` from an initializer. */
  protected addWeight(name: string, shape: Shape, initializer: Initializer, trainable = true): Variable {
    const v = new Variable(initializer.sample(shape), { name: `${this.name}/${name}`, trainable: trainable && this.trainable });
    this.ownWeights.push(v);
    return v;
  }

  /** Creates the weights for an input shape (without the batch axis). */
  build(inputShape: number[]): void {
    this.builtInputShape = [...inputShape];
    this.built = true;
  }

  abstract call(x: Tensor, ctx: CallContext): Tensor;

  computeOutputShape(inputShape: number[]): number[] { return inputShape; }

  /** Builds on first use, checks the input shape, then calls. */
  apply(x: Tensor, ctx: CallContext = { training: false }): Tensor {
    const shape = x.shape.slice(1);
    if (!this.built) this.build(shape);
    else if (this.builtInputShape !== null && !shapesEqual(shape, this.builtInputShape)) {
      throw new Error(`Layer '${this.name}' (${this.className}) was built for inputs of shape [null, ${this.builtInputShape.join(', ')}] but received ${formatShape(x.shape)}`);
    }
    return this.call(x, ctx);
  }

  /** All weights in Keras order. */
  get weights(): Variable[] { return this.ownWeights; }
  get trainableWeights(): Variable[] { return this.trainable ? this.ownWeights.filter((w) => w.trainable) : []; }
  get nonTrainableWeights(): Variable[] { return this.ownWeights.filter((w) => !this.trainable || !w.trainable); }

  countParams(): number { return this.ownWeights.reduce((n, w) => n + w.size, 0); }

  /** Keras config: snake_case keys. Subclasses add their own. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.declaredInputShape !== null) config.batch_input_shape = [null, ...this.declaredInputShape];
    return config;
  }

  /** Turns training on or off for this layer's weights. */
  setTrainable(trainable: boolean): void {
    this.trainable = trainable;
    for (const w of this.ownWeights) { w.trainable = trainable; w.requiresGrad = trainable; }
  }
}
