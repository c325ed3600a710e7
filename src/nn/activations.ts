/**
 * Activation functions (Keras 3 `keras.activations`), usable as functions on
 * tensors and by name: `activations.selu(x)`, `activations.get('selu')(x)`.
 * Formulas and constants are in kernels/activation-math.ts.
 */
import type { Tensor } from '../tensor/tensor.js';
import { ActivationCode } from '../kernels/backend.js';
import { activation as activationOp, softmax as softmaxOp } from '../ops/activation.js';
import { Registry } from './registry.js';

/** Keras activation identifiers (plus 'silu', Keras 3's own name for swish). */
export type ActivationIdentifier =
  | 'elu' | 'exponential' | 'gelu' | 'hard_sigmoid' | 'linear' | 'relu' | 'selu' | 'sigmoid'
  | 'softmax' | 'softplus' | 'softsign' | 'swish' | 'silu' | 'tanh' | 'leaky_relu'
  | 'hardSigmoid' | 'leakyRelu';

/** An activation as the fused kernels see it: a code and its parameter, or softmax. */
export interface ActivationSpec { name: string; code: ActivationCode | 'softmax'; param: number }

/** A callable activation that also carries its spec (so Dense can fuse it). */
export interface ActivationFunction {
  (x: Tensor): Tensor;
  readonly spec: ActivationSpec;
}

function make(name: string, code: ActivationCode | 'softmax', param = 0): ActivationFunction {
  const fn = ((x: Tensor) => (code === 'softmax' ? softmaxOp(x) : activationOp(x, code, param))) as ActivationFunction;
  Object.defineProperty(fn, 'spec', { value: { name, code, param } });
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** x if x > 0 else α(eˣ − 1) (Clevert et al. 2016). */
export const elu = (x: Tensor, alpha = 1): Tensor => activationOp(x, ActivationCode.Elu, alpha);
/** eˣ. */
export const exponential = make('exponential', ActivationCode.Exponential);
/** x·Φ(x) exactly, or the tanh approximation (Hendrycks & Gimpel 2016). */
export const gelu = (x: Tensor, approximate = false): Tensor =>
  activationOp(x, approximate ? ActivationCode.GeluTanh : ActivationCode.GeluErf);
/** Keras 3: clip(x/6 + 1/2, 0, 1). (tf.keras 2 and TF.js used 0.2·x + 0.5.) */
export const hardSigmoid = make('hard_sigmoid', ActivationCode.HardSigmoid);
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
export const leakyRelu = (x: Tensor, negativeSlope = 0.2): Tensor => activationOp(x, ActivationCode.LeakyRelu, negativeSlope);

const registry = new Registry<ActivationFunction>('activation');
registry.add('elu', make('elu', ActivationCode.Elu, 1));
registry.add('exponential', exponential);
registry.add('gelu', make('gelu', ActivationCode.GeluErf));
registry.add('gelu_approximate', make('gelu_approximate', ActivationCode.GeluTanh), ['gelu_new']);
registry.add('hard_sigmoid', hardSigmoid);
registry.add('linear', linear);
registry.add('relu', relu);
registry.add('selu', selu);
registry.add('sigmoid', sigmoid);
registry.add('softmax', softmax);
registry.add('softplus', softplus);
registry.add('softsign', softsign);
registry.add('swish', swish, ['silu']);
registry.add('tanh', tanh);
registry.add('leaky_relu', make('leaky_relu', ActivationCode.LeakyRelu, 0.2));

/**
 * An activation by Keras name (or camelCase); null/undefined gives 'linear'.
 * @example activations.get('selu')(tensor([-1, 0, 1]))
 */
export function get(identifier: string | ActivationFunction | null | undefined, where?: string): ActivationFunction {
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'function') {
    if (!('spec' in identifier)) throw new Error(`${where ?? 'activations.get'}: a custom activation function must come from keel's activations`);
    return identifier;
  }
  return registry.get(identifier, where);
}

export function activationNames(): readonly string[] { return registry.names(); }
