/**
 * The layer protocol (Keras `Layer`: build / call / get_config / from_config).
 * A layer class is the only place that knows its layer:
 *  - `static argSpec`: the options its constructor accepts (and so the config keys
 *    it reads back: a config is camelCased and passed to the constructor, as
 *    Keras's `cls(**config)`); checked once, here, for every layer;
 *  - `weightSpecs(inputShape)`: the weights `build()` creates, also read by the
 *    loader to plan shapes before allocating anything;
 *  - `activationSpec()`: the activation it applies, if any;
 *  - `getState()` / `setState()`: non-weight state (random generators), for checkpoints;
 *  - `doctorFacts()` and `momentRule()`: what the gradient doctor may assume.
 * Shapes here exclude the batch axis: a Dense on 784 features has inputShape [784].
 *
 * A custom layer subclasses Layer, creates weights with `addWeight` in `build`,
 * computes with `ops` in `call`, adds its keys in `getConfig`, and is made
 * loadable with `registerLayer(cls)` or `loadModel(path, { customObjects })`.
 * @example
 *   class Scale extends layers.Layer {
 *     scale: Variable | null = null;
 * override build(s: number[]) { this.scale = this.addWeight({ name: 'scale', shape: [s.at(-1)!], initializer: 'ones'
 * }); super.build(s); }
 *     call(x: Tensor) { return ops.mul(x, this.scale!); }
 *   }
 */
import type { Tensor } from '../../tensor/tensor.js';
import { Variable } from '../../autograd/variable.js';
import { formatShape, shapesEqual } from '../../tensor/shape.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import { div } from '../../ops/elementwise.js';
import type { KerasObject } from '../keras-config.js';
import { fromSpec, type ActivationFunction, type ActivationSpec } from '../activations.js';
import { checkArg, checkArgs, describeRule, formatValue, invalidArgError, type ArgRule } from '../../util/args.js';
import type { MergeMomentStep, MomentStep, MomentTools, Moments } from './moments.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';
import { Node, isSymbolic, resetInputNames, type SymbolicTensor } from '../graph/symbolic.js';

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
  /**
   * Penalty on the layer's output, divided by the batch size (Keras's base-layer `activity_regularizer`, on
   * every layer), e.g. 'l1' or `regularizers.l2(1e-4)`. Default none.
   */
  activityRegularizer?: regularizers.RegularizerLike;
}

export interface CallContext {
  /** Training mode: dropout active, batch normalization on batch statistics. */
  training: boolean;
}

type InitializerId = initializers.InitializerIdentifier | KerasObject | initializers.Initializer;

/** A weight a layer creates in build(). */
export interface WeightSpec {
  /** Short name; the variable is named `<layer>/<name>`. */
  name: string;
  shape: number[];
  initializer: InitializerId;
  /** Default true; false for statistics such as BatchNormalization's moving mean. */
  trainable?: boolean;
  /** A penalty on this weight, added to the training loss while it is trainable (Keras `add_weight(regularizer)`). */
  regularizer?: regularizers.RegularizerLike;
  /** Applied to this weight's values after each optimizer update (Keras `add_weight(constraint)`). */
  constraint?: constraints.ConstraintLike;
}

/**
 * What a layer does, as far as the doctor's rules are concerned:
 * 'weighted' mixes its inputs through a kernel (Dense, and later Conv), 'activation'
 * applies an elementwise function, 'reshape' only moves values, 'merge' combines branches, 'recurrent' runs a cell
 * through time (SimpleRNN, LSTM, GRU), 'layer_normalization' normalizes each example, 'embedding' looks up ids.
 */
export type LayerRole =
  | 'weighted'
  | 'batch_normalization'
  | 'dropout'
  | 'alpha_dropout'
  | 'activation'
  | 'reshape'
  | 'merge'
  | 'recurrent'
  | 'layer_normalization'
  | 'embedding'
  | 'other';

/** What the doctor reads about a layer without running it. */
export interface LayerFacts {
  role: LayerRole;
  /** Within the SELU self-normalization proof: fully connected or elementwise (Klambauer et al. 2017). */
  fullyConnected: boolean;
  /**
   * A 'weighted' layer's kernel: its initializer, output units and whether a bias follows; for a convolution,
   * its window's size (the receptive field, a factor of both fans; default 1).
   */
  kernel?: { initializer: initializers.Initializer; units: number; useBias: boolean; receptiveField?: number };
  /** A dropout layer's rate. */
  rate?: number;
  /** A recurrent layer: gated (LSTM, GRU) or not (SimpleRNN), and whether it outputs every step. */
  recurrent?: { gated: boolean; returnSequences: boolean };
}

/** Option checks for layer constructors: an ArgRule, or 'unsupported' (accepted only as null/false/absent). */
export type LayerArgSpec = Readonly<Record<string, ArgRule | 'unsupported'>>;

/** Options every layer accepts. */
export const BASE_ARG_SPEC: LayerArgSpec = {
  name: { type: 'string' },
  trainable: { type: 'boolean' },
  inputShape: { type: 'any' },
  batchInputShape: { type: 'any' },
  dtype: { type: 'any' },
  activityRegularizer: { type: 'any' },
};

/** A layer class as the registry and loaders see it. */
export interface LayerClass {
  new (args: never): Layer;
  readonly name: string;
  readonly className?: string;
  readonly argSpec?: LayerArgSpec;
}

/** The Keras class name of a layer class: its static `className`, else its JavaScript name. */
export function classNameOf(cls: Function): string {
  const own = Object.prototype.hasOwnProperty.call(cls, 'className')
    ? (cls as { className?: unknown }).className
    : undefined;
  return typeof own === 'string' ? own : cls.name;
}

/**
 * Keras's automatic layer name prefix (`naming.to_snake_case`): no underscore before a capital that follows a
 * digit, so Conv2D → conv2d and MaxPooling2D → max_pooling2d.
 */
function defaultNamePrefix(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const nameCounters = new Map<string, number>();

/** Keras-style unique names: dense, dense_1, dense_2, ... */
export function uniqueLayerName(prefix: string): string {
  const n = nameCounters.get(prefix) ?? 0;
  nameCounters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Restarts automatic layer names (dense, dense_1, ...) from the beginning. */
export function resetLayerNames(): void {
  nameCounters.clear();
  resetInputNames();
}

/** Runs `fn` with automatic names counted from scratch, then restores the counters (for views that build nothing). */
export function withFreshLayerNames<T>(fn: () => T): T {
  const saved = new Map(nameCounters);
  nameCounters.clear();
  try {
    return fn();
  } finally {
    nameCounters.clear();
    for (const [k, v] of saved) nameCounters.set(k, v);
  }
}

/** Checks `args` against a layer's spec: unknown names get a suggestion, 'unsupported' ones must be null. */
function checkLayerArgs(args: object, spec: LayerArgSpec, where: string): void {
  const rules: Record<string, ArgRule> = {};
  for (const [key, rule] of Object.entries({ ...BASE_ARG_SPEC, ...spec })) {
    if (rule !== 'unsupported') {
      rules[key] = rule;
      continue;
    }
    rules[key] = { type: 'any' };
    const value = (args as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && value !== false) {
      throw new Error(
        `${where}: '${key}' is not supported; received ${formatValue(value)}\nhelp: leave it out or set it to null`,
      );
    }
  }
  checkArgs(args, rules, where);
}

export function checkPositiveInteger(value: unknown, arg: string, layer: string, max = 1e8): number {
  const rule: ArgRule = { type: 'number', integer: true, min: 1, max };
  // Required: checkArg lets an absent option through.
  if (value === undefined) throw invalidArgError(arg, layer, describeRule(rule), value);
  return checkArg(value, rule, arg, layer) as number;
}

/** A dropout rate: Keras accepts [0, 1] (rate 1 drops everything). */
export function checkRate(value: unknown, layer: string): number {
  return checkArg(value, { type: 'number', min: 0, max: 1 }, 'rate', layer) as number;
}

const NO_TENSORS: readonly Tensor[] = [];

export abstract class Layer {
  name: string;
  trainable: boolean;
  built = false;
  /** Declared input shape (without the batch axis), if any. */
  readonly declaredInputShape: number[] | null;
  /** The input shape the layer was built for. */
  builtInputShape: number[] | null = null;
  /**
   * A penalty on this layer's output, divided by the batch size (Keras `activity_regularizer`): set from the
   * `activityRegularizer` option every layer accepts, or assigned directly.
   */
  activityRegularizer: regularizers.Regularizer | null;
  private readonly ownWeights: Variable[] = [];
  /** Each weight's regularizer and constraint (Keras keeps them on the variable). */
  private readonly weightPenalties = new Map<
    Variable,
    { regularizer: regularizers.Regularizer | null; constraint: constraints.Constraint | null }
  >();
  /** The output of the last call, kept only while an activity regularizer is set (its penalty is computed lazily). */
  private lastOutput: Tensor | null = null;

  constructor(args: LayerArgs = {}) {
    const cls = new.target as unknown as LayerClass;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new Error(`${classNameOf(cls)}: expected an options object; received ${formatValue(args)}`);
    }
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new Error(
        `Invalid name for ${classNameOf(cls)}: expected a non-empty string; received ${formatValue(args.name)}`,
      );
    }
    this.name = args.name ?? uniqueLayerName(defaultNamePrefix(classNameOf(cls)));
    // A class that declares its options is checked against them; a custom layer without a spec checks the base ones.
    if (Object.prototype.hasOwnProperty.call(cls, 'argSpec') && cls.argSpec !== undefined) {
      checkLayerArgs(args, cls.argSpec, this.where);
    } else {
      for (const [key, rule] of Object.entries(BASE_ARG_SPEC)) {
        const value = (args as Record<string, unknown>)[key];
        if (value !== undefined && rule !== 'unsupported') checkArg(value, rule, key, this.where);
      }
    }
    this.trainable = args.trainable ?? true;
    if (args.dtype !== undefined && args.dtype !== 'float32') {
      throw new Error(`${this.where}: only dtype 'float32' is supported; received ${formatValue(args.dtype)}`);
    }
    const shape = args.inputShape ?? (args.batchInputShape ? (args.batchInputShape.slice(1) as number[]) : null);
    if (shape !== null) {
      const bad =
        !Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d <= 0 || d > 1e8);
      if (bad) {
        throw new Error(
          `Invalid inputShape for ${this.where}: expected positive integers (without the batch axis); received ` +
            `${formatValue(shape)}`,
        );
      }
    }
    this.declaredInputShape = shape;
    this.activityRegularizer = regularizers.get(args.activityRegularizer, `${this.where} activityRegularizer`);
  }

  /** Keras class name, e.g. 'Dense' (the class's static `className`, else its JavaScript name). */
  get className(): string {
    return classNameOf(this.constructor);
  }

  /** "Dense 'dense_2'": how error messages name this layer. */
  get where(): string {
    return `${this.className} '${this.name}'`;
  }

  /**
   * Creates a weight named `<layer>/<name>` (Keras `add_weight`).
   * @example this.kernel = this.addWeight({ name: 'kernel', shape: [n, units], initializer: 'he_normal' });
   */
  addWeight(spec: WeightSpec): Variable {
    const init = initializers.get(spec.initializer, `${this.where} weight '${spec.name}'`);
    if (this.ownWeights.some((w) => w.name === `${this.name}/${spec.name}`)) {
      throw new Error(`${this.where}: a weight named '${spec.name}' already exists`);
    }
    const at = `${this.where} weight '${spec.name}'`;
    const regularizer = regularizers.get(spec.regularizer, `${at} regularizer`);
    const constraint = constraints.get(spec.constraint, `${at} constraint`);
    constraint?.check(spec.shape, at);
    const trainable = (spec.trainable ?? true) && this.trainable;
    const v = new Variable(init.sample(spec.shape), { name: `${this.name}/${spec.name}`, trainable });
    this.ownWeights.push(v);
    if (regularizer !== null || constraint !== null) this.weightPenalties.set(v, { regularizer, constraint });
    return v;
  }

  /**
   * The penalties to add to the training loss (Keras `layer.losses`): each trainable weight's regularizer
   * and, with an activity regularizer, the penalty of the last call's output divided by its batch size.
   * Differentiable scalars: computed under a tape, their gradients reach the weights.
   */
  regularizationLosses(): readonly Tensor[] {
    // Most layers have none: nothing to allocate on the training step's path.
    if (this.weightPenalties.size === 0 && this.activityRegularizer === null) return NO_TENSORS;
    const out: Tensor[] = [];
    for (const w of this.trainableWeights) {
      const r = this.weightPenalties.get(w)?.regularizer;
      if (r) out.push(r.call(w));
    }
    const y = this.lastOutput;
    if (this.activityRegularizer !== null && y !== null) {
      const penalty = this.activityRegularizer.call(y);
      out.push(y.rank > 0 && y.shape[0]! > 0 ? div(penalty, y.shape[0]!) : penalty);
    }
    return out;
  }

  /**
   * Applies each trainable weight's constraint to its values (training calls it after every optimizer update).
   * Returns whether any constraint rewrote a weight.
   */
  applyConstraints(): boolean {
    if (this.weightPenalties.size === 0) return false;
    let applied = false;
    for (const w of this.trainableWeights) {
      const constraint = this.weightPenalties.get(w)?.constraint;
      if (constraint === null || constraint === undefined) continue;
      constraint.applyInPlace(w.data, w.shape);
      applied = true;
    }
    return applied;
  }

  /** The regularizer and constraint given to a weight (by `addWeight`), or nulls. */
  weightOptions(weight: Variable): {
    regularizer: regularizers.Regularizer | null;
    constraint: constraints.Constraint | null;
  } {
    return this.weightPenalties.get(weight) ?? { regularizer: null, constraint: null };
  }

  /**
   * The weights build() creates for an input shape, or null when the layer creates
   * them in its own build() (custom layers). The loader plans with these.
   */
  weightSpecs(_inputShape: readonly number[]): WeightSpec[] | null {
    return null;
  }

  /**
   * Checks loaded weight values (by short name, e.g. 'moving_variance') before a loaded model is returned, and
   * throws naming the weight and the value when the layer cannot compute with them. Default: nothing to check.
   */
  validateWeights(_values: Readonly<Record<string, Float32Array>>, _where: string): void {}

  /**
   * Where Keras 3 keeps this layer's variables in a `.keras` archive's `model.weights.h5`, relative to the
   * layer's own group: '' (its `vars` group, the default) or the sub-object that owns them (a recurrent
   * layer's 'cell'). The variables are numbered in `weights` order.
   */
  kerasVariableOwner(): string {
    return '';
  }

  /** Creates the weights of `weightSpecs` and returns them by short name (for subclasses' build). */
  protected createWeights(inputShape: readonly number[]): Record<string, Variable> {
    const out: Record<string, Variable> = {};
    for (const spec of this.weightSpecs(inputShape) ?? []) out[spec.name] = this.addWeight(spec);
    return out;
  }

  /** Creates the weights for an input shape (without the batch axis). Subclasses call super.build last. */
  build(inputShape: number[]): void {
    this.builtInputShape = [...inputShape];
    this.built = true;
  }

  abstract call(x: Tensor, ctx: CallContext): Tensor;

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape;
  }

  /**
   * Builds on first use, checks the input shape, then calls. On a SymbolicTensor (from `input()` or another
   * layer's `apply`), records a node of the functional graph and returns the output placeholder; merge layers
   * take a list (`new layers.Add().apply([a, b])`). A layer applied twice shares its weights.
   * @example const h = new layers.Dense(64, { activation: 'relu' }).apply(input({ shape: [784] }));
   */
  apply(x: Tensor, ctx?: CallContext): Tensor;
  apply(x: readonly Tensor[], ctx?: CallContext): Tensor;
  apply(x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;
  apply(
    x: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[],
    ctx: CallContext = { training: false },
  ): Tensor | SymbolicTensor {
    if (isSymbolic(x)) return this.connect(x);
    let y: Tensor;
    if (Array.isArray(x)) y = this.applyList(x as readonly Tensor[], ctx);
    else {
      const t = x as Tensor;
      if (this.takesList)
        throw new Error(`${this.where} takes a list of input tensors (e.g. apply([a, b])); received one tensor`);
      const shape = t.shape.slice(1);
      if (!this.built) this.build(shape);
      else if (this.builtInputShape !== null && !shapesEqual(shape, this.builtInputShape)) {
        throw new Error(
          `Layer '${this.name}' (${this.className}) was built for inputs of shape [null, ` +
            `${this.builtInputShape.join(', ')}] but received ${formatShape(t.shape)}`,
        );
      }
      y = this.call(t, ctx);
    }
    this.lastOutput = this.activityRegularizer !== null ? y : null;
    return y;
  }

  /** The functional graph's calls of this layer (Keras `_inbound_nodes`), in the order they were made. */
  readonly inboundNodes: Node[] = [];

  /** Records one call of this layer on placeholders: builds it, checks shapes, returns the output placeholder. */
  private connect(x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
    const list = Array.isArray(x);
    const xs = (list ? x : [x]) as readonly SymbolicTensor[];
    let out: number[];
    if (list) {
      if (!this.takesList)
        throw new Error(
          `${this.where} takes one input tensor; received a list of ${xs.length}\nhelp: merge them first ` +
            `(layers.Concatenate or layers.Add)`,
        );
      const shapes = xs.map((t) => [...t.shape]);
      this.checkListShapes(shapes);
      out = this.computeOutputShapeList(shapes);
    } else {
      if (this.takesList)
        throw new Error(`${this.where} takes a list of input tensors (e.g. apply([a, b])); received one tensor`);
      const shape = [...xs[0]!.shape];
      if (!this.built) this.build(shape);
      else if (this.builtInputShape !== null && !shapesEqual(shape, this.builtInputShape)) {
        throw new Error(
          `Layer '${this.name}' (${this.className}) was built for inputs of shape [null, ` +
            `${this.builtInputShape.join(', ')}] but is applied to ${String(xs[0])}`,
        );
      }
      out = this.computeOutputShape(shape);
    }
    const node = new Node(this, xs, list, out, this.inboundNodes.length);
    this.inboundNodes.push(node);
    return node.output;
  }

  /** True for layers called on a list of tensors (merge layers); they implement the `*List` methods. */
  get takesList(): boolean {
    return false;
  }

  /** A list-taking layer: builds on first use and checks the shapes of its inputs (without the batch axis). */
  checkListShapes(_shapes: number[][]): void {
    throw new Error(`${this.where} takes one input tensor`);
  }

  /** A list-taking layer's output shape. */
  computeOutputShapeList(_shapes: number[][]): number[] {
    throw new Error(`${this.where} takes one input tensor`);
  }

  /** A list-taking layer's computation on a batch. */
  callList(_xs: readonly Tensor[], _ctx: CallContext): Tensor {
    throw new Error(`${this.where} takes one input tensor`);
  }

  private applyList(xs: readonly Tensor[], ctx: CallContext): Tensor {
    if (!this.takesList)
      throw new Error(
        `${this.where} takes one input tensor; received a list of ${xs.length}\nhelp: merge them first ` +
          `(layers.Concatenate or layers.Add)`,
      );
    this.checkListShapes(xs.map((t) => t.shape.slice(1)));
    return this.callList(xs, ctx);
  }

  /** All weights in Keras order. */
  get weights(): Variable[] {
    return this.ownWeights;
  }
  get trainableWeights(): Variable[] {
    return this.trainable ? this.ownWeights.filter((w) => w.trainable) : [];
  }
  get nonTrainableWeights(): Variable[] {
    return this.ownWeights.filter((w) => !this.trainable || !w.trainable);
  }

  /** The weight whose gradient the doctor follows through depth (a kernel), or null. */
  get kernelWeight(): Variable | null {
    return this.ownWeights.find((w) => w.name === `${this.name}/kernel`) ?? null;
  }

  countParams(): number {
    return this.ownWeights.reduce((n, w) => n + w.size, 0);
  }

  /** Keras config: snake_case keys. Subclasses add their own. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.declaredInputShape !== null) config.batch_input_shape = [null, ...this.declaredInputShape];
    if (this.activityRegularizer !== null)
      config.activity_regularizer = regularizers.serialize(this.activityRegularizer);
    return config;
  }

  /** The activation this layer applies to its output, if any (Dense's, Activation's, ELU...). */
  activationSpec(): ActivationSpec | null {
    return null;
  }

  /**
   * This layer as an activation function (Keras accepts `activation=LeakyReLU(0.3)`): only
   * elementwise layers without weights can serve; the config keeps the layer object.
   */
  asActivation(): ActivationFunction {
    const spec = this.activationSpec();
    const weights = this.weightSpecs([1]);
    if (spec === null || this.doctorFacts().role !== 'activation' || (weights !== null && weights.length > 0)) {
      throw new Error(
        `${this.where} cannot be used as an activation: only elementwise layers without weights can (LeakyReLU, ` +
          `ELU, Activation)` +
          `\nhelp: add it as its own layer after the one it should follow`,
      );
    }
    if (this.activityRegularizer !== null) {
      throw new Error(
        `${this.where} cannot be used as an activation: it has an activity regularizer, which would be dropped` +
          `\nhelp: add it as its own layer after the one it should follow`,
      );
    }
    const config = this.getConfig();
    delete config.name;
    delete config.trainable;
    delete config.dtype;
    return fromSpec({ ...spec, config: { class_name: this.className, config } });
  }

  /** Non-weight state that a checkpoint must keep (e.g. a dropout mask generator); null when none. */
  getState(): unknown {
    return null;
  }

  /** Throws, changing nothing, unless `state` is one this layer's setState accepts (checked before any restore). */
  validateState(state: unknown, where: string): void {
    if (state !== null && state !== undefined) throw new Error(`${where}: ${this.where} keeps no state to restore`);
  }

  /** Restores what getState returned (after validateState). */
  setState(state: unknown): void {
    this.validateState(state, 'setState');
  }

  /** What the doctor's rules may assume about this layer. Unknown layers say 'other' and not fully connected. */
  doctorFacts(): LayerFacts {
    return { role: 'other', fullyConnected: false };
  }

  /**
   * How this layer maps moments (the doctor's variance theory), or null when it has no
   * rule: the theory then names the layer as unknown instead of guessing.
   */
  momentRule(_x: Moments, _tools: MomentTools): MomentStep | null {
    return null;
  }

  /**
   * A list-taking layer's moment rule: moments of each branch in, the merged moments out, and the gradient's
   * second moment sent back to each branch. Null when it has none (the theory then names it as unknown).
   */
  momentRuleList(_xs: readonly Moments[], _tools: MomentTools): MergeMomentStep | null {
    return null;
  }

  /**
   * This layer in the TF.js layers format (tf.keras 2 dialect), given its config with
   * initializers already translated: usually the config as is. A layer that TF.js reads
   * differently overrides this (and refuses what cannot be written faithfully).
   */
  tfjsEntries(config: Record<string, unknown>, _taken: Set<string>): LayerEntry[] {
    return [{ class_name: this.className, config: this.tfjsPenalties(config) }];
  }

  /**
   * The config with every `*_regularizer` and `*_constraint` key in the TF.js dialect (L1 and L2 as
   * L1L2; constraints on one axis); refuses what TF.js cannot read. For `tfjsEntries` overrides.
   */
  protected tfjsPenalties(config: Record<string, unknown>): Record<string, unknown> {
    const out = { ...config };
    const where = `saveModel: layer '${this.name}' (${this.className}) `;
    for (const [key, value] of Object.entries(config)) {
      if (value === null || value === undefined) continue;
      if (key.endsWith('_regularizer')) out[key] = regularizers.toTfjs(value as KerasObject, `${where}${key}`);
      else if (key.endsWith('_constraint')) out[key] = constraints.toTfjs(value as KerasObject, `${where}${key}`);
    }
    return out;
  }

  /** Turns training on or off for this layer's weights. */
  setTrainable(trainable: boolean): void {
    this.trainable = trainable;
    for (const w of this.ownWeights) {
      w.trainable = trainable;
      w.requiresGrad = trainable;
    }
  }
}
