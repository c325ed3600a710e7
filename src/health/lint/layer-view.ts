/**
 * A static view of a model config's layers for the lint rules: each Keras
 * layer object read (snake_case or camelCase keys) into what the rules ask
 * about, without building the model. Unknown layer classes are kept, so rules
 * can speak about layers Keel cannot build yet (Conv2D, Add, ...).
 */
import type { KerasObject } from '../../nn/config.js';
import type { DataSpec } from '../../config/data-spec.js';
import * as initializers from '../../nn/initializers/index.js';
import { toSnakeCase } from '../../nn/registry.js';
import { weightMoments } from '../initializer-moments.js';

export interface LayerView {
  index: number;
  name: string;
  className: string;
  /** Activation applied by this layer itself (Dense activation, Activation, ELU...), or null. */
  activation: string | null;
  /** Dense: the activation its output meets — its own, or the first one after it before the next weighted layer. */
  effectiveActivation: string | null;
  /** A BatchNormalization sits between this Dense and its activation. */
  normalizedBeforeActivation: boolean;
  units: number | null;
  fanIn: number | null;
  useBias: boolean;
  /** Dense: kernel initializer class (e.g. 'GlorotUniform') and gain n_in·E[w²] (1 = LeCun, 2 = He). */
  kernelInit: string | null;
  kernelGain: number | null;
  rate: number | null;
  alpha: number | null;
  isOutput: boolean;
}

function read(config: Record<string, unknown>, snake: string): unknown {
  const camel = snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return config[snake] ?? config[camel];
}

const ACTIVATION_LAYERS: Record<string, string> = { ELU: 'elu', LeakyReLU: 'leaky_relu', PReLU: 'prelu', ReLU: 'relu' };

function activationName(value: unknown): string {
  if (value === undefined || value === null) return 'linear';
  if (typeof value === 'string') return toSnakeCase(value) === 'silu' ? 'swish' : toSnakeCase(value);
  if (typeof value === 'object' && typeof (value as KerasObject).class_name === 'string') return toSnakeCase((value as KerasObject).class_name);
  return String(value);
}

/** The input feature count a data spec gives, when known without loading it. */
export function inputDimOf(data: DataSpec | undefined, first: Record<string, unknown>): number | null {
  const shape = (read(first, 'batch_input_shape') ?? read(first, 'batch_shape')) as (number | null)[] | undefined;
  if (Array.isArray(shape) && typeof shape.at(-1) === 'number') return shape.at(-1) as number;
  const inputShape = read(first, 'input_shape') as number[] | undefined;
  if (Array.isArray(inputShape)) return inputShape.reduce((a, b) => a * b, 1);
  const inputDim = read(first, 'input_dim');
  if (typeof inputDim === 'number') return inputDim;
  if (data?.dataset === 'fashion-mnist' || data?.dataset === 'mnist') return 784;
  if (data?.dataset === 'teacher') return 32;
  if (data?.dataset === 'spirals' || data?.dataset === 'circles' || data?.dataset === 'blobs') return 2;
  return null;
}

function kernelInfo(config: Record<string, unknown>, fanIn: number | null, units: number): { name: string; gain: number | null } {
  const spec = read(config, 'kernel_initializer') ?? 'glorot_uniform';
  try {
    const init = initializers.get(spec as string, 'lint');
    if (fanIn === null) return { name: init.className, gain: null };
    const m = weightMoments(init, [fanIn, units]);
    return { name: init.className, gain: fanIn * (m.variance + m.mean * m.mean) };
  } catch {
    return { name: typeof spec === 'string' ? spec : String((spec as KerasObject).class_name), gain: null };
  }
}

export function viewLayers(layers: readonly KerasObject[], data?: DataSpec): LayerView[] {
  const counters = new Map<string, number>();
  let width = layers.length > 0 ? inputDimOf(data, (layers[0]!.config ?? {}) as Record<string, unknown>) : null;
  const lastDense = layers.map((l) => l.class_name).lastIndexOf('Dense');
  const views: LayerView[] = layers.map((l, index) => {
    const config = (l.config ?? {}) as Record<string, unknown>;
    const prefix = toSnakeCase(l.class_name);
    const count = counters.get(prefix) ?? 0;
    counters.set(prefix, count + 1);
    const name = typeof config.name === 'string' ? config.name : count === 0 ? prefix : `${prefix}_${count}`;
    const isDense = l.class_name === 'Dense';
    const units = isDense ? Number(read(config, 'units')) : null;
    const activation = isDense || l.class_name === 'Activation' ? activationName(read(config, 'activation')) : ACTIVATION_LAYERS[l.class_name] ?? null;
    const fanIn = isDense ? width : null;
    const kernel = isDense ? kernelInfo(config, fanIn, units!) : null;
    if (isDense) width = units;
    const alphaValue = read(config, 'alpha');
    const rateValue = read(config, 'rate');
    return {
      index, name, className: l.class_name, activation, effectiveActivation: activation, normalizedBeforeActivation: false,
      units, fanIn, useBias: isDense ? read(config, 'use_bias') !== false : false,
      kernelInit: kernel?.name ?? null, kernelGain: kernel?.gain ?? null,
      rate: typeof rateValue === 'number' ? rateValue : null,
      alpha: typeof alphaValue === 'number' ? alphaValue : (l.class_name === 'ELU' ? 1 : null),
      isOutput: index === lastDense,
    };
  });
  // A linear Dense takes the activation that follows it (through BN/Dropout) as its effective one.
  for (const v of views) {
    if (v.className !== 'Dense' || v.activation !== 'linear') continue;
    for (let j = v.index + 1; j < views.length; j++) {
      const next = views[j]!;
      if (next.className === 'BatchNormalization') { v.normalizedBeforeActivation = true; continue; }
      if (next.className === 'Dropout' || next.className === 'AlphaDropout') continue;
      if (next.activation !== null && next.className !== 'Dense') v.effectiveActivation = next.activation;
      break;
    }
  }
  return views;
}

/** Hidden layers: everything but the output Dense. */
export const isHidden = (v: LayerView): boolean => !v.isOutput;
