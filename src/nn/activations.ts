/**
 * Activation functions (Keras 3 `keras.activations`), usable as functions on
 * tensors and by name: `activations.selu(x)`, `activations.get('selu')(x)`.
 * Formulas and constants are in kernels/activation-math.ts.
 */
import type { Tensor } from '../tensor/tensor.js';
import { ActivationCode } from '../kernels/backend.js';
import { activation as activationOp, softmax as softmaxOp } from '../ops/activation.js';
import { Registry } from './registry.js';
import { isKerasObject, type KerasObject } from './keras-config.js';
import { formatValue } from '../util/args.js';

/** Keras activation identifiers (plus 'silu', Keras 3's own name for swish). */
export type ActivationIdentifier =
  | 'elu'
  | 'exponential'
  | 'gelu'
  | 'gelu_approximate'
  | 'hard_sigmoid'
  | 'hard_sigmoid_keras2'
  | 'linear'
  | 'relu'
  | 'selu'
  | 'sigmoid'
  | 'softmax'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'silu'
  | 'tanh'
  | 'leaky_relu'
  | 'hardSigmoid'
  | 'leakyRelu';

/**
 * An activation as the fused kernels see it: a code and its parameter, or softmax.
 * `config` is how it is written in a layer config when a name alone would lose
 * something (a LeakyReLU layer object with its own slope); otherwise the name is written.
 */
export interface ActivationSpec {
  name: string;
  code: ActivationCode | 'softmax';
  param: number;
  config?: KerasObject;
}

/** A callable activation that also carries its spec (so Dense can fuse it). */
export interface ActivationFunction {
  (x: Tensor): Tensor;
  readonly spec: ActivationSpec;
}

function withSpec<F extends (x: Tensor) => Tensor>(fn: F, spec: ActivationSpec): F & { readonly spec: ActivationSpec } {
  Object.defineProperty(fn, 'spec', { value: spec });
  Object.defineProperty(fn, 'name', { value: toCamel(spec.name) });
  return fn as F & { readonly spec: ActivationSpec };
}

const toCamel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function make(name: string, code: ActivationCode | 'softmax', param = 0): ActivationFunction {
  return fromSpec({ name, code, param });
}

/** The activation function of a spec (used by layers that serve as activations, e.g. LeakyReLU objects). */
export function fromSpec(spec: ActivationSpec): ActivationFunction {
  const { code, param } = spec;
  return withSpec((x: Tensor) => (code === 'softmax' ? softmaxOp(x) : activationOp(x, code, param)), { ...spec });
}

/** x if x > 0 else α(eˣ − 1) (Clevert et al. 2016). As an activation identifier: α = 1. */
export const elu = withSpec((x: Tensor, alpha = 1): Tensor => activationOp(x, ActivationCode.Elu, alpha), {
  name: 'elu',
  code: ActivationCode.Elu,
  param: 1,
});
/** eˣ. */
export const exponential = make('exponential', ActivationCode.Exponential);
/** x·Φ(x) exactly, or the tanh approximation (Hendrycks & Gimpel 2016). */
export const gelu = withSpec(
  (x: Tensor, approximate = false): Tensor =>
    activationOp(x, approximate ? ActivationCode.GeluTanh : ActivationCode.GeluErf),
  { name: 'gelu', code: ActivationCode.GeluErf, param: 0 },
);
/** Keras 3: clip(x/6 + 1/2, 0, 1). (tf.keras 2 and TF.js used 0.2·x + 0.5.) */
export const hardSigmoid = make('hard_sigmoid', ActivationCode.HardSigmoid);
/**
 * tf.keras 2's and TF.js's hard_sigmoid, clip(0.2x + 1/2, 0, 1): what a 'hard_sigmoid' in a document of those
 * dialects means (their LSTM/GRU default recurrent_activation); Keras 3 has no such function.
 */
export const hardSigmoidKeras2 = make('hard_sigmoid_keras2', ActivationCode.HardSigmoidKeras2);
export const linear = make('linear', ActivationCode.Linear);
export const relu = make('relu', ActivationCode.Relu);
/** λ·(x if x > 0 else α(eˣ − 1)), α ≈ 1.6733, λ ≈ 1.0507 (Klambauer et al. 2017). */
export const selu = make('selu', ActivationCode.Selu);
export const sigmoid = make('sigmoid', ActivationCode.Sigmoid);
/** exp(x − max)/Σ exp(x − max) over the last axis. */
export const softmax = make('softmax', 'softmax');
/** log(1 + eˣ), computed as max(x, 0) + log1p(e^(−|x|)). */
export const softplus = make('softplus', ActivationCode.Softplus);
/** x/(1 + |x|). */
export const softsign = make('softsign', ActivationCode.Softsign);
/** x·sigmoid(x) (a.k.a. silu). */
export const swish = make('swish', ActivationCode.Swish);
export const tanh = make('tanh', ActivationCode.Tanh);
/** x if x ≥ 0 else s·x; the function's default slope is 0.2 (the LeakyReLU layer's is 0.3). */
export const leakyRelu = withSpec(
  (x: Tensor, negativeSlope = 0.2): Tensor => activationOp(x, ActivationCode.LeakyRelu, negativeSlope),
  { name: 'leaky_relu', code: ActivationCode.LeakyRelu, param: 0.2 },
);
/** Keras 3's own name for swish. */
export const silu = swish;

const registry = new Registry<ActivationFunction>('activation');
registry.add('elu', elu);
registry.add('exponential', exponential);
registry.add('gelu', gelu);
registry.add('gelu_approximate', make('gelu_approximate', ActivationCode.GeluTanh), ['gelu_new']);
registry.add('hard_sigmoid', hardSigmoid);
registry.add('hard_sigmoid_keras2', hardSigmoidKeras2);
registry.add('linear', linear);
registry.add('relu', relu);
registry.add('selu', selu);
registry.add('sigmoid', sigmoid);
registry.add('softmax', softmax);
registry.add('softplus', softplus);
registry.add('softsign', softsign);
registry.add('swish', swish, ['silu']);
registry.add('tanh', tanh);
registry.add('leaky_relu', leakyRelu);

/** A layer object used as an activation (Keras accepts `activation=LeakyReLU(0.3)`). */
export interface ActivationLayerLike {
  asActivation(): ActivationFunction;
}

/** Turns a Keras layer config ({class_name: 'LeakyReLU', config}) into an activation; set by nn/layers. */
let layerActivation: ((object: KerasObject, where: string) => ActivationFunction) | null = null;

/** @internal Lets the layer registry resolve activation configs that name a layer class. */
export function setLayerActivationResolver(resolve: (object: KerasObject, where: string) => ActivationFunction): void {
  layerActivation = resolve;
}

export type ActivationLike = ActivationIdentifier | ActivationFunction | ActivationLayerLike | KerasObject;

const isLayerLike = (v: unknown): v is ActivationLayerLike =>
  typeof v === 'object' && v !== null && typeof (v as ActivationLayerLike).asActivation === 'function';

/**
 * An activation by Keras name (or camelCase); null/undefined gives 'linear'.
 * @example activations.get('selu')(tensor([-1, 0, 1]))
 */
export function get(identifier: ActivationLike | string | null | undefined, where?: string): ActivationFunction {
  const at = where ?? 'activations.get';
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'function') {
    if (!('spec' in identifier)) {
      const name = (identifier as { name?: string }).name;
      throw new Error(
        `${at}: the function ${name ? `'${name}' ` : ''}is not one of keel's activations, so it can be neither ` +
          `fused nor saved\n` +
          `help: use a name ('relu'), a function from activations (activations.elu), a layer (new ` +
          `layers.LeakyReLU()), ` +
          `or write a custom layer`,
      );
    }
    return identifier;
  }
  if (isLayerLike(identifier)) return identifier.asActivation();
  if (isKerasObject(identifier)) {
    // Keras 3 may write a plain function as {class_name: 'function', config: 'relu'}.
    if (identifier.class_name === 'function' && typeof identifier.config === 'string')
      return registry.get(identifier.config, where);
    if (layerActivation === null) throw new Error(`${at}: cannot read activation ${formatValue(identifier)}`);
    return layerActivation(identifier, at);
  }
  if (typeof identifier !== 'string') {
    throw new Error(`${at}: expected an activation name, function or layer; received ${formatValue(identifier)}`);
  }
  return registry.get(identifier, where);
}

/** How an activation is written in a layer config: its name, or the layer object it came from. */
export function serialize(fn: ActivationFunction): string | KerasObject {
  return fn.spec.config ?? fn.spec.name;
}

export function activationNames(): readonly string[] {
  return registry.names();
}
