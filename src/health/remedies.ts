/**
 * Remedies as config rewrites: each takes a run config and returns a new one
 * (the seed's remedies: matching initializer, non-saturating activation,
 * BatchNormalization, gradient clipping, smaller learning rate, AlphaDropout
 * for SELU; plus the fixes the lint rules name).
 */
import type { KerasObject } from '../nn/keras-config.js';
import { parseRunConfig, type RunConfig } from '../run-config/run-config.js';
import * as optimizers from '../nn/optimizers/index.js';
import { viewLayers, type LayerView } from './lint/layer-view.js';
import { RELU_FAMILY, SATURATING } from './layer-activation.js';
import type { RemedyId } from './types.js';
import { lossNameOf, taskOf } from './baseline.js';
import { MIN_BN_BATCH } from './lint/output-rules.js';

type Layers = KerasObject[];
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const cfg = (l: KerasObject) => (l.config ??= {}) as Record<string, unknown>;
const setKey = (l: KerasObject, snake: string, value: unknown) => {
  const c = cfg(l);
  delete c[snake.replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase())];
  c[snake] = value;
};

function initializerFor(activation: string | null): string {
  if (activation === 'selu') return 'lecun_normal';
  if (activation !== null && RELU_FAMILY.has(activation)) return 'he_normal';
  return 'glorot_uniform';
}

function matchingInitializer(layers: Layers, views: LayerView[]): Layers {
  return layers.map((l, i) => {
    const v = views[i]!;
    if (v.role !== 'weighted') return l;
    setKey(l, 'kernel_initializer', v.isOutput ? 'glorot_uniform' : initializerFor(v.effectiveActivation));
    setKey(l, 'bias_initializer', 'zeros');
    return l;
  });
}

function nonSaturating(layers: Layers, views: LayerView[]): Layers {
  return layers.map((l, i) => {
    const v = views[i]!;
    if (v.isOutput || v.activation === null) return l;
    const replacement = SATURATING.has(v.activation) ? 'elu' : v.activation === 'relu' ? 'leaky_relu' : null;
    if (replacement === null) return l;
    setKey(l, 'activation', replacement);
    if (v.role === 'weighted') {
      setKey(l, 'kernel_initializer', 'he_normal');
      setKey(l, 'bias_initializer', 'zeros');
    }
    return l;
  });
}

function batchNormalization(layers: Layers, views: LayerView[]): Layers {
  const out: Layers = [];
  layers.forEach((l, i) => {
    const v = views[i]!;
    const nextIsBn = views[i + 1]?.role === 'batch_normalization';
    if (v.role !== 'weighted' || v.isOutput || nextIsBn || v.activation === 'linear' || v.activation === 'selu') {
      out.push(l);
      return;
    }
    setKey(l, 'activation', 'linear');
    setKey(l, 'use_bias', false);
    out.push(
      l,
      { class_name: 'BatchNormalization', config: {} },
      { class_name: 'Activation', config: { activation: v.activation } },
    );
  });
  return out;
}

function selfNormalizing(layers: Layers, views: LayerView[]): Layers {
  const out: Layers = [];
  layers.forEach((l, i) => {
    const v = views[i]!;
    if (v.role === 'batch_normalization') return;
    if (v.role === 'dropout') {
      out.push({ class_name: 'AlphaDropout', config: { rate: Math.min(0.1, v.rate ?? 0.1) } });
      return;
    }
    if (v.role === 'weighted' && !v.isOutput) {
      if (v.activation !== 'linear' || v.effectiveActivation !== 'selu') setKey(l, 'activation', 'selu');
      setKey(l, 'kernel_initializer', 'lecun_normal');
      setKey(l, 'bias_initializer', 'zeros');
      setKey(l, 'use_bias', true);
    } else if (!v.isOutput && v.activation !== null && v.role !== 'weighted') {
      // An activation layer whose config names its function is switched to selu; ELU/LeakyReLU/PReLU layers go.
      if (!('activation' in cfg(l))) return;
      setKey(l, 'activation', 'selu');
    }
    out.push(l);
  });
  return out;
}

function alphaDropout(layers: Layers, views: LayerView[]): Layers {
  return layers.map((l, i) =>
    views[i]?.role === 'dropout' ? { class_name: 'AlphaDropout', config: { rate: views[i]!.rate ?? 0.1 } } : l,
  );
}

function removeBiasBeforeBn(layers: Layers, views: LayerView[]): Layers {
  layers.forEach((l, i) => {
    if (views[i]?.role === 'weighted' && views[i + 1]?.role === 'batch_normalization') setKey(l, 'use_bias', false);
  });
  return layers;
}

function dropoutAfterBn(layers: Layers, views: LayerView[]): Layers {
  const lastBn = views.map((v) => v.role).lastIndexOf('batch_normalization');
  const moved = layers.filter((_l, i) => views[i]?.role === 'dropout' && i < lastBn);
  const kept = layers.filter((l) => !moved.includes(l));
  if (moved.length === 0) return layers;
  kept.splice(kept.length - 1, 0, {
    class_name: 'Dropout',
    config: { rate: Math.max(...moved.map((l) => Number(cfg(l).rate ?? 0.1))) },
  });
  return kept;
}

function eluAlphaOne(layers: Layers, views: LayerView[]): Layers {
  layers.forEach((l, i) => {
    if (views[i]?.activation === 'elu' && views[i]!.role === 'activation' && 'alpha' in cfg(l)) setKey(l, 'alpha', 1);
  });
  return layers;
}

/**
 * Warm-up length of the learning_rate_warmup remedy: a third of the doctor's default trial, long enough for
 * the first large gradients of a fresh network to shrink (Goyal et al. 2017 warm up over 5 epochs).
 */
const WARMUP_STEPS = 50;

/** MaxNorm(3) on every hidden weighted layer's kernel (Srivastava et al. 2014 §5.1: c of 3–4 works well). */
function maxNorm(layers: Layers, views: LayerView[]): Layers {
  return layers.map((l, i) => {
    const v = views[i]!;
    if (v.role !== 'weighted' || v.isOutput || cfg(l).kernel_constraint != null || cfg(l).kernelConstraint != null)
      return l;
    setKey(l, 'kernel_constraint', { class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } });
    return l;
  });
}

/** The optimizer as a Keras object with snake_case config. */
function optimizerObject(config: RunConfig): KerasObject {
  const spec = config.compile.optimizer;
  const instance = optimizers.get(spec, 'compile.optimizer');
  const base: Record<string, unknown> = typeof spec === 'string' ? {} : { ...(spec.config ?? {}) };
  for (const k of ['learningRate', 'globalClipnorm', 'clipnorm', 'clipvalue']) delete base[k];
  // A schedule stays a schedule (its step-0 rate would flatten it).
  const schedule = instance.learningRateSchedule;
  base.learning_rate = schedule !== null ? optimizers.schedules.serialize(schedule) : instance.learningRate;
  return { class_name: instance.className, config: base };
}

/**
 * Multiplies the optimizer's learning rate by `factor`: the number, or every rate a schedule's config holds
 * (its `rateKeys()`); a schedule that names none is left as it is.
 */
function scaleLearningRate(c: Record<string, unknown>, factor: number): void {
  const lr = c.learning_rate;
  if (typeof lr === 'number') {
    c.learning_rate = lr * factor;
    return;
  }
  const object = lr as KerasObject;
  const keys = optimizers.schedules.deserialize(object).rateKeys();
  const config: Record<string, unknown> = { ...(object.config ?? {}) };
  for (const key of keys) {
    const v = config[key];
    if (typeof v === 'number') config[key] = v * factor;
    else if (Array.isArray(v)) config[key] = v.map((x) => (typeof x === 'number' ? x * factor : x));
  }
  c.learning_rate = { ...object, config };
}

function withOptimizer(config: RunConfig, change: (c: Record<string, unknown>) => void): Record<string, unknown> {
  const opt = optimizerObject(config);
  change(opt.config!);
  return { ...((config.source.compile as Record<string, unknown>) ?? {}), optimizer: opt };
}

/** Recurrent layers start with orthogonal recurrent kernels. */
function orthogonalRecurrent(layers: Layers, views: LayerView[]): Layers {
  return layers.map((l, i) => {
    if (views[i]!.recurrent !== null) setKey(l, 'recurrent_initializer', 'orthogonal');
    return l;
  });
}

/** Ungated recurrent layers (SimpleRNN) become LSTMs of the same width (Keras defaults for the rest). */
function gatedRecurrent(layers: Layers, views: LayerView[]): Layers {
  return layers.map((l, i) => {
    const r = views[i]!.recurrent;
    if (r === null || r.gated) return l;
    const c = cfg(l);
    const keep: Record<string, unknown> = { units: c.units, return_sequences: r.returnSequences };
    for (const k of ['name', 'batch_input_shape', 'input_shape', 'inputShape', 'batchInputShape'])
      if (c[k] !== undefined) keep[k] = c[k];
    return { class_name: 'LSTM', config: keep };
  });
}

/** LayerNormalization after each recurrent layer that feeds another layer with its whole sequence. */
function layerNormalization(layers: Layers, views: LayerView[]): Layers {
  const out: Layers = [];
  layers.forEach((l, i) => {
    out.push(l);
    const r = views[i]!.recurrent;
    if (r !== null && r.returnSequences && views[i + 1]?.role !== 'layer_normalization')
      out.push({ class_name: 'LayerNormalization', config: {} });
  });
  return out;
}

/** What the doctor measured that some remedies use. */
export interface RemedyHints {
  /** The learning rate a range test suggests (for smaller_/larger_learning_rate). */
  learningRate?: number;
  /** Classes in the data (for fix_output_layer). */
  numClasses?: number;
}

/** The output activation and units a loss needs. */
function outputFor(lossName: string, numClasses: number | undefined, units: number | null) {
  const task = taskOf(lossName);
  if (task === 'binary') return { activation: 'sigmoid', units: 1 };
  if (task === 'regression') return { activation: 'linear', units: units ?? 1 };
  return { activation: 'softmax', units: Math.max(2, numClasses ?? units ?? 2) };
}

/** The output layer made to suit the loss; softmax in hidden layers becomes relu (he_normal). */
function fixOutputLayer(layers: Layers, views: LayerView[], config: RunConfig, hints: RemedyHints): Layers {
  const out = views.findIndex((v) => v.isOutput);
  if (out < 0) return layers;
  const lossName = lossNameOf(config.compile.loss);
  const logits = config.compile.from_logits === true;
  const want = outputFor(lossName, hints.numClasses, views[out]!.units);
  const kept: Layers = [];
  layers.forEach((l, i) => {
    const v = views[i]!;
    if (i > out && v.role === 'activation') return; // the output's activation is set on the output layer itself
    if (i === out) {
      setKey(l, 'activation', logits && want.activation !== 'linear' ? 'linear' : want.activation);
      if (v.units !== want.units) setKey(l, 'units', want.units);
    } else if (i < out && v.activation === 'softmax') {
      if (v.role === 'weighted') {
        setKey(l, 'activation', 'relu');
        setKey(l, 'kernel_initializer', 'he_normal');
      } else if ('activation' in cfg(l)) setKey(l, 'activation', 'relu');
      else return;
    }
    kept.push(l);
  });
  return kept;
}

/** BatchNormalization removed after the output layer, and everywhere when batches are too small for it. */
function removeMisplacedBn(layers: Layers, views: LayerView[], batchSize: number): Layers {
  const out = views.findIndex((v) => v.isOutput);
  const all = batchSize < MIN_BN_BATCH;
  const kept: Layers = [];
  layers.forEach((l, i) => {
    const v = views[i]!;
    if (v.role === 'batch_normalization' && (all || (out >= 0 && i > out))) {
      // The layer before it loses its bias only to BN: give it back.
      const prev = kept.at(-1);
      const pv = views[i - 1];
      if (prev !== undefined && pv?.role === 'weighted' && !pv.useBias) setKey(prev, 'use_bias', true);
      return;
    }
    kept.push(l);
  });
  return kept;
}

/** Dropout rates above 0.3 lowered to 0.2. */
function lowerDropout(layers: Layers, views: LayerView[]): Layers {
  layers.forEach((l, i) => {
    const v = views[i]!;
    if ((v.role === 'dropout' || v.role === 'alpha_dropout') && (v.rate ?? 0) > 0.3) setKey(l, 'rate', 0.2);
  });
  return layers;
}

/** Applies one remedy; returns null when it changes nothing for this config. */
export function applyRemedy(config: RunConfig, id: RemedyId, hints: RemedyHints = {}): RunConfig | null {
  const layers = clone(config.layers);
  const views = viewLayers(layers, config.data);
  let model: Layers = layers,
    compile = config.source.compile as Record<string, unknown> | undefined,
    data = config.source.data as Record<string, unknown>,
    fit = config.source.fit as Record<string, unknown> | undefined;
  switch (id) {
    case 'matching_initializer':
      model = matchingInitializer(layers, views);
      break;
    case 'non_saturating_activation':
      model = nonSaturating(layers, views);
      break;
    case 'batch_normalization':
      model = batchNormalization(layers, views);
      break;
    case 'self_normalizing':
      model = selfNormalizing(layers, views);
      if (config.data.dataset !== 'teacher') data = { ...data, standardize: true };
      break;
    case 'alpha_dropout':
      model = alphaDropout(layers, views);
      break;
    case 'remove_bias_before_batch_norm':
      model = removeBiasBeforeBn(layers, views);
      break;
    case 'dropout_after_batch_norm':
      model = dropoutAfterBn(layers, views);
      break;
    case 'elu_alpha_one':
      model = eluAlphaOne(layers, views);
      break;
    case 'gradient_clipping':
      compile = withOptimizer(config, (c) => {
        c.global_clipnorm = 1.0;
      });
      break;
    case 'learning_rate_warmup':
      compile = withOptimizer(config, (c) => {
        const lr = c.learning_rate;
        if (typeof lr !== 'number' || !(lr > 0)) return; // already a schedule: nothing to add
        c.learning_rate = {
          class_name: 'CosineDecay',
          config: {
            initial_learning_rate: lr / 100,
            decay_steps: 1,
            alpha: 1,
            warmup_target: lr,
            warmup_steps: WARMUP_STEPS,
          },
        };
      });
      break;
    case 'max_norm':
      model = maxNorm(layers, views);
      break;
    case 'orthogonal_recurrent_init':
      model = orthogonalRecurrent(layers, views);
      break;
    case 'gated_recurrent':
      model = gatedRecurrent(layers, views);
      break;
    case 'layer_normalization':
      model = layerNormalization(layers, views);
      break;
    case 'smaller_learning_rate':
    case 'larger_learning_rate': {
      const lr = currentLearningRate(config);
      const target = hints.learningRate;
      const smaller = id === 'smaller_learning_rate';
      if (target !== undefined && lr !== null && (smaller ? target < lr : target > lr)) {
        compile = withOptimizer(config, (c) => scaleLearningRate(c, target / lr));
      } else if (target === undefined) compile = withOptimizer(config, (c) => scaleLearningRate(c, smaller ? 0.1 : 10));
      break;
    }
    case 'fix_output_layer':
      model = fixOutputLayer(layers, views, config, hints);
      break;
    case 'remove_misplaced_batch_norm':
      model = removeMisplacedBn(layers, views, config.fit.batch_size);
      break;
    case 'lower_dropout':
      model = lowerDropout(layers, views);
      break;
    case 'standardize_inputs':
      if (config.data.dataset !== 'teacher') data = { ...data, standardize: true };
      break;
    case 'standardize_targets':
      if (taskOf(lossNameOf(config.compile.loss)) === 'regression') data = { ...data, standardize_targets: true };
      break;
    case 'larger_batch':
      if (config.fit.batch_size < 32) fit = { ...(fit ?? {}), batch_size: 32 };
      break;
    case 'adam_optimizer': {
      const opt = optimizerObject(config);
      if (opt.class_name !== 'Adam') {
        const keep: Record<string, unknown> = { learning_rate: 1e-3 };
        for (const k of ['global_clipnorm', 'clipnorm', 'clipvalue'])
          if (opt.config?.[k] !== undefined) keep[k] = opt.config[k];
        compile = {
          ...((config.source.compile as Record<string, unknown>) ?? {}),
          optimizer: { class_name: 'Adam', config: keep },
        };
      }
      break;
    }
  }
  const source: Record<string, unknown> = { ...config.source, model, data };
  if (compile !== undefined) source.compile = compile;
  if (fit !== undefined) source.fit = fit;
  if (JSON.stringify(source) === JSON.stringify({ ...config.source, model: config.layers })) return null;
  return parseRunConfig(source, config.baseDir);
}

/** The optimizer's learning rate (a schedule's rate at step 0), or null if it cannot be read. */
export function currentLearningRate(config: RunConfig): number | null {
  try {
    const instance = optimizers.get(config.compile.optimizer, 'compile.optimizer');
    const schedule = instance.learningRateSchedule;
    const lr = schedule !== null ? schedule.call(0) : instance.learningRate;
    return Number.isFinite(lr) && lr > 0 ? lr : null;
  } catch {
    return null;
  }
}

/** Applies remedies in order, skipping those that change nothing. */
export function applyRemedies(
  config: RunConfig,
  ids: readonly RemedyId[],
  hints: RemedyHints = {},
): { config: RunConfig; applied: RemedyId[] } {
  let current = config;
  const applied: RemedyId[] = [];
  for (const id of ids) {
    const next = applyRemedy(current, id, hints);
    if (next !== null) {
      current = next;
      applied.push(id);
    }
  }
  return { config: current, applied };
}
