/**
 * A static view of a model config's layers for the lint rules and remedies: each
 * Keras layer object is constructed (not built: no weights) and asked what it is
 * (`Layer.doctorFacts()`, `activationSpec()`, `computeOutputShape`), so names,
 * defaults and roles come from the layer classes themselves. A class Keel cannot
 * construct (Conv2D before it exists, a custom layer not registered) is kept as an
 * unknown layer, so rules can speak about it.
 */
import type { KerasObject } from '../../nn/keras-config.js';
import type { DataSpec } from '../../run-config/data-spec.js';
import { layerFromConfig, withFreshLayerNames, type Layer, type LayerRole } from '../../nn/layers/index.js';
import { getGlobalRandom } from '../../tensor/rng.js';
import { toSnakeCase } from '../../nn/registry.js';
import { weightMoments } from '../initializer-moments.js';

export interface LayerView {
  index: number;
  name: string;
  className: string;
  /** What the layer does, from the layer itself; 'other' for unknown layers. */
  role: LayerRole;
  /** Within SELU's fully-connected proof (false for unknown layers). */
  fullyConnected: boolean;
  /** The class could not be constructed (unknown to Keel, or a bad config). */
  unknown: boolean;
  /** Activation applied by this layer itself (Dense activation, Activation, ELU...), or null. */
  activation: string | null;
  /** Its parameter (ELU alpha, leaky slope), or null. */
  activationParam: number | null;
  /** Weighted layers: the activation their output meets — their own, or the first one after them before the next
   * weighted layer. */
  effectiveActivation: string | null;
  /** A BatchNormalization sits between this weighted layer and its activation. */
  normalizedBeforeActivation: boolean;
  units: number | null;
  fanIn: number | null;
  useBias: boolean;
  /** Weighted layers: kernel initializer class (e.g. 'GlorotUniform') and gain n_in·E[w²] (1 = LeCun, 2 = He). */
  kernelInit: string | null;
  kernelGain: number | null;
  /** Weighted layers: the value of a Constant bias initializer (0 for zeros), null for any other or none. */
  biasConstant: number | null;
  rate: number | null;
  isOutput: boolean;
  /** Recurrent layers: gated (LSTM, GRU) or not (SimpleRNN), and whether they output every step; else null. */
  recurrent: { gated: boolean; returnSequences: boolean } | null;
}

function read(config: Record<string, unknown>, snake: string): unknown {
  const camel = snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return config[snake] ?? config[camel];
}

/** The input shape (without the batch axis) a data spec or the first layer gives, when known without loading data. */
function inputShapeOf(data: DataSpec | undefined, first: Record<string, unknown>): number[] | null {
  const shape = (read(first, 'batch_input_shape') ?? read(first, 'batch_shape')) as (number | null)[] | undefined;
  if (Array.isArray(shape) && shape.slice(1).every((d) => typeof d === 'number')) return shape.slice(1) as number[];
  const inputShape = read(first, 'input_shape') as number[] | undefined;
  if (Array.isArray(inputShape)) return [...inputShape];
  const inputDim = read(first, 'input_dim');
  if (typeof inputDim === 'number') return [inputDim];
  if (data?.dataset === 'fashion-mnist' || data?.dataset === 'mnist') return [784];
  if (data?.dataset === 'teacher') return [32];
  if (data?.dataset === 'adding') return [data.length ?? 100, 2];
  if (data?.dataset === 'copy-memory') return [20 + (data.delay ?? 50), 10];
  if (data?.dataset === 'spirals' || data?.dataset === 'circles' || data?.dataset === 'blobs') return [2];
  return null;
}

/** Constructs the layers of a config without touching the global generator or name counters. */
function constructQuietly(configs: readonly KerasObject[]): (Layer | null)[] {
  const rng = getGlobalRandom();
  const saved = rng.getState();
  try {
    return withFreshLayerNames(() =>
      configs.map((c, i) => {
        try {
          return layerFromConfig(c, `model[${i}]`);
        } catch {
          return null;
        }
      }),
    );
  } finally {
    rng.setState(saved);
  }
}

function viewOf(
  layer: Layer | null,
  config: KerasObject,
  index: number,
  shape: number[] | null,
  counters: Map<string, number>,
): LayerView {
  const raw = (config.config ?? {}) as Record<string, unknown>;
  let name: string;
  if (layer !== null) name = layer.name;
  else {
    const prefix = toSnakeCase(config.class_name);
    const count = counters.get(prefix) ?? 0;
    counters.set(prefix, count + 1);
    name = typeof raw.name === 'string' ? raw.name : count === 0 ? prefix : `${prefix}_${count}`;
  }
  const facts = layer?.doctorFacts() ?? { role: 'other' as const, fullyConnected: false };
  const act = layer?.activationSpec() ?? null;
  const kernel = facts.kernel;
  // A convolution's fans include its window (Keras `compute_fans`): fan_in = window·channels.
  const window = kernel?.receptiveField ?? 1;
  const channels = kernel !== undefined && shape !== null ? (shape.at(-1) ?? null) : null;
  const fanIn = channels === null ? null : channels * window;
  let gain: number | null = null;
  if (kernel !== undefined && channels !== null && fanIn !== null) {
    try {
      const m = weightMoments(
        kernel.initializer,
        window === 1 ? [channels, kernel.units] : [window, channels, kernel.units],
      );
      gain = fanIn * (m.variance + m.mean * m.mean);
    } catch {
      gain = null;
    }
  }
  return {
    index,
    name,
    className: config.class_name,
    role: facts.role,
    fullyConnected: facts.fullyConnected,
    unknown: layer === null,
    activation: act?.name ?? null,
    activationParam: act?.param ?? null,
    effectiveActivation: act?.name ?? null,
    normalizedBeforeActivation: false,
    units: kernel?.units ?? null,
    fanIn,
    useBias: kernel?.useBias ?? false,
    kernelInit: kernel?.initializer.className ?? null,
    biasConstant: kernel?.useBias ? constantOf(read(raw, 'bias_initializer')) : null,
    kernelGain: gain,
    rate: facts.rate ?? null,
    isOutput: false,
    recurrent: facts.recurrent ?? null,
  };
}

/** The value of a constant initializer given as a name ('zeros', 'ones') or {class_name: 'Constant', config}. */
function constantOf(init: unknown): number | null {
  if (init === undefined || init === 'zeros' || init === 'Zeros') return 0;
  if (init === 'ones' || init === 'Ones') return 1;
  if (typeof init === 'object' && init !== null) {
    const o = init as { class_name?: string; config?: { value?: unknown } };
    if (o.class_name === 'Zeros') return 0;
    if (o.class_name === 'Ones') return 1;
    if (o.class_name === 'Constant' && typeof o.config?.value === 'number') return o.config.value;
  }
  return null;
}

export function viewLayers(configs: readonly KerasObject[], data?: DataSpec): LayerView[] {
  const layers = constructQuietly(configs);
  const counters = new Map<string, number>();
  let shape = configs.length > 0 ? inputShapeOf(data, (configs[0]!.config ?? {}) as Record<string, unknown>) : null;
  const views = configs.map((c, index) => {
    const layer = layers[index] ?? null;
    const view = viewOf(layer, c, index, shape, counters);
    try {
      shape = layer !== null && shape !== null ? layer.computeOutputShape(shape) : null;
    } catch {
      shape = null;
    }
    return view;
  });
  const lastWeighted = views.map((v) => v.role).lastIndexOf('weighted');
  if (lastWeighted >= 0) views[lastWeighted]!.isOutput = true;
  // A linear weighted layer takes the activation that follows it (through BN/Dropout) as its effective one.
  for (const v of views) {
    if (v.role !== 'weighted' || v.activation !== 'linear') continue;
    for (let j = v.index + 1; j < views.length; j++) {
      const next = views[j]!;
      if (next.role === 'batch_normalization') {
        v.normalizedBeforeActivation = true;
        continue;
      }
      if (next.role === 'dropout' || next.role === 'alpha_dropout') continue;
      if (next.activation !== null && next.role !== 'weighted') v.effectiveActivation = next.activation;
      break;
    }
  }
  return views;
}

/** Hidden layers: everything but the output layer. */
export const isHidden = (v: LayerView): boolean => !v.isOutput;
