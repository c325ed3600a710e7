/**
 * Every setting of the lab, their defaults, the seed's presets, and the URL
 * form (every setting and the seed are in the query string, so a view can be
 * shared). Parsing never trusts the URL: a value it cannot use falls back to the default and is reported.
 */

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'elu', 'selu'] as const;
export const INITIALIZERS = [
  'normal1',
  'glorot_uniform',
  'glorot_normal',
  'he_normal',
  'he_uniform',
  'lecun_normal',
] as const;
export const BATCH_NORMS = ['off', 'before', 'after'] as const;
export const DROPOUTS = ['none', 'dropout', 'alpha'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'nadam'] as const;
export const CLIPS = ['none', 'clipnorm', 'clipvalue', 'global_clipnorm'] as const;
export const DATASETS = ['spirals', 'circles', 'blobs', 'fashion', 'adding'] as const;
/** Sequence tasks: a SimpleRNN reads them step by step (the other sets go through the Dense stack). */
export const isSequence = (d: LabSettings['dataset']): boolean => d === 'adding';

export interface LabSettings {
  dataset: (typeof DATASETS)[number];
  standardize: boolean;
  depth: number;
  width: number;
  activation: (typeof ACTIVATIONS)[number];
  initializer: (typeof INITIALIZERS)[number];
  batchNorm: (typeof BATCH_NORMS)[number];
  dropout: (typeof DROPOUTS)[number];
  dropoutRate: number;
  optimizer: (typeof OPTIMIZERS)[number];
  learningRate: number;
  clip: (typeof CLIPS)[number];
  clipValue: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Sequence length T of the adding problem. */
  seqLength: number;
  /** Gain of the SimpleRNN's orthogonal recurrent kernel (its spectral radius). */
  recurrentGain: number;
}

export const DEFAULTS: LabSettings = {
  dataset: 'spirals',
  standardize: false,
  depth: 20,
  width: 16,
  activation: 'elu',
  initializer: 'he_normal',
  batchNorm: 'off',
  dropout: 'none',
  dropoutRate: 0.1,
  optimizer: 'sgd',
  learningRate: 0.05,
  clip: 'none',
  clipValue: 1,
  batchSize: 32,
  epochs: 500,
  seed: 42,
  seqLength: 20,
  recurrentGain: 1,
};

export interface Preset {
  id: string;
  label: string;
  story: string;
  settings: Partial<LabSettings>;
  /** 'rnn': the SimpleRNN on a sequence task; the others are the deep Dense stack on a 2-D or image set. */
  kind?: 'rnn';
}

/** The seed's story: the same 20-layer network, broken and cured. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'sigmoid-normal1',
    label: 'sigmoid + N(0,1)',
    story:
      'Pre-2010 defaults: sigmoid with N(0, 1) weights. Units saturate and the gradient shrinks layer by layer ' +
      '(the per-layer factor is about 0.09·√width, far below 1 at this width): the first layers barely learn.',
    settings: {
      activation: 'sigmoid',
      initializer: 'normal1',
      batchNorm: 'off',
      dropout: 'none',
      clip: 'none',
      learningRate: 0.05,
      standardize: false,
    },
  },
  {
    id: 'he-elu',
    label: 'He + ELU',
    story:
      'He initialization keeps the variance of ELU activations constant with depth, ' +
      'so gradients reach the first layer.',
    settings: {
      activation: 'elu',
      initializer: 'he_normal',
      batchNorm: 'off',
      dropout: 'none',
      clip: 'none',
      learningRate: 0.05,
      standardize: false,
    },
  },
  {
    id: 'batchnorm',
    label: '+ BatchNorm',
    story: 'BatchNormalization before each activation re-centres and re-scales every layer, whatever the initializer.',
    settings: {
      activation: 'elu',
      initializer: 'he_normal',
      batchNorm: 'before',
      dropout: 'none',
      clip: 'none',
      learningRate: 0.05,
      standardize: false,
    },
  },
  {
    id: 'selu',
    label: 'SELU self-normalizing',
    story:
      'SELU with LeCun-normal weights and standardized inputs keeps mean 0 and variance 1 through every layer ' +
      '(AlphaDropout keeps it under dropout).',
    settings: {
      activation: 'selu',
      initializer: 'lecun_normal',
      batchNorm: 'off',
      dropout: 'none',
      clip: 'none',
      learningRate: 0.05,
      standardize: true,
    },
  },
  {
    id: 'exploding',
    label: 'exploding (lr 0.5)',
    story:
      'The He + ELU network at a learning rate of 0.5, ten times too large: the first updates overshoot and each ' +
      'makes the next gradient larger (global norm 21, 20, 413, then 1.4·10¹⁴ at step 3), the loss becomes NaN ' +
      'and training stops. Next: the same run with clipping.',
    settings: {
      activation: 'elu',
      initializer: 'he_normal',
      batchNorm: 'off',
      dropout: 'none',
      clip: 'none',
      learningRate: 0.5,
      standardize: false,
    },
  },
  {
    id: 'exploding-clipnorm',
    label: '+ global_clipnorm 1',
    story:
      'The same network and learning rate, with every update rescaled so the global norm of all gradients is at ' +
      'most 1 (global_clipnorm, Pascanu et al. 2013): the raw gradients still spike, but no step can jump off the ' +
      'cliff, and it trains. The dashed line is the clipping threshold.',
    settings: {
      activation: 'elu',
      initializer: 'he_normal',
      batchNorm: 'off',
      dropout: 'none',
      clip: 'global_clipnorm',
      clipValue: 1,
      learningRate: 0.5,
      standardize: false,
    },
  },
  {
    id: 'rnn',
    label: 'RNN through time',
    kind: 'rnn',
    story:
      'A SimpleRNN(16, relu) reads the adding problem (T = 20) one step at a time. Its recurrent kernel is ' +
      'orthogonal with gain 2, so each step back through time multiplies the gradient by up to 2: ' +
      'at the start ‖∂L/∂h₀‖ is about 100× ‖∂L/∂h₁₉‖ (the chart below). ' +
      'The first update, taken along that gradient, makes the next one about 10²⁰ times larger ' +
      '(global norm 4·10³, then 8·10²³) and the loss overflows at step 2, where training stops. ' +
      'Next: the same run with clipping.',
    settings: {
      dataset: 'adding',
      seqLength: 20,
      width: 16,
      activation: 'relu',
      initializer: 'glorot_uniform',
      recurrentGain: 2,
      optimizer: 'sgd',
      learningRate: 0.03,
      clip: 'none',
      batchNorm: 'off',
      dropout: 'none',
      standardize: false,
    },
  },
  {
    id: 'rnn-clipnorm',
    label: 'RNN + global_clipnorm 1',
    kind: 'rnn',
    story:
      'The same SimpleRNN with global_clipnorm 1, the remedy Pascanu et al. (2013) proposed for exactly this: the ' +
      'gradient through time still grows toward h₀, but every update is at most one learning rate long, and the ' +
      'loss falls to the baseline of always answering 1 (MSE 0.167, the dashed line) within a few hundred ' +
      'steps, then stays near it for about 2,000 steps before the network learns to add (about 0.05 by step 4,000).',
    settings: {
      dataset: 'adding',
      seqLength: 20,
      width: 16,
      activation: 'relu',
      initializer: 'glorot_uniform',
      recurrentGain: 2,
      optimizer: 'sgd',
      learningRate: 0.03,
      clip: 'global_clipnorm',
      clipValue: 1,
      batchNorm: 'off',
      dropout: 'none',
      standardize: false,
    },
  },
];

export function applyPreset(base: LabSettings, id: string): LabSettings {
  const p = PRESETS.find((x) => x.id === id);
  if (p === undefined) return base;
  const out = { ...base, ...p.settings };
  // A deep-network preset leaves a sequence task for the spirals (and keeps a 2-D or image set chosen before).
  if (p.kind !== 'rnn' && isSequence(out.dataset)) {
    out.dataset = 'spirals';
    out.width = DEFAULTS.width;
  }
  return out;
}

/** Which preset the settings match exactly (depth, width, data and optimizer may differ), if any. */
export function matchingPreset(s: LabSettings): Preset | undefined {
  return PRESETS.find(
    (p) =>
      (p.kind === 'rnn') === isSequence(s.dataset) &&
      Object.entries(p.settings).every(([k, v]) => s[k as keyof LabSettings] === v),
  );
}

const SHORT: Record<keyof LabSettings, string> = {
  dataset: 'data',
  standardize: 'std',
  depth: 'depth',
  width: 'width',
  activation: 'act',
  initializer: 'init',
  batchNorm: 'bn',
  dropout: 'drop',
  dropoutRate: 'rate',
  optimizer: 'opt',
  learningRate: 'lr',
  clip: 'clip',
  clipValue: 'clipv',
  batchSize: 'batch',
  epochs: 'epochs',
  seed: 'seed',
  seqLength: 'T',
  recurrentGain: 'rgain',
};

const CHOICES: Partial<Record<keyof LabSettings, readonly string[]>> = {
  dataset: DATASETS,
  activation: ACTIVATIONS,
  initializer: INITIALIZERS,
  batchNorm: BATCH_NORMS,
  dropout: DROPOUTS,
  optimizer: OPTIMIZERS,
  clip: CLIPS,
};

/** Allowed numeric ranges (inclusive); integers where `int`. */
export const RANGES: Partial<Record<keyof LabSettings, { min: number; max: number; int: boolean }>> = {
  depth: { min: 1, max: 50, int: true },
  width: { min: 2, max: 256, int: true },
  dropoutRate: { min: 0, max: 0.9, int: false },
  learningRate: { min: 1e-6, max: 10, int: false },
  clipValue: { min: 1e-6, max: 1e6, int: false },
  batchSize: { min: 1, max: 1024, int: true },
  epochs: { min: 1, max: 10000, int: true },
  seed: { min: 0, max: 2 ** 31 - 1, int: true },
  seqLength: { min: 2, max: 200, int: true },
  recurrentGain: { min: 0.01, max: 10, int: false },
};

/** Coerces one raw value; undefined when it is not valid. */
export function coerce<K extends keyof LabSettings>(key: K, raw: string): LabSettings[K] | undefined {
  const choices = CHOICES[key];
  if (choices !== undefined) return (choices.includes(raw) ? raw : undefined) as LabSettings[K] | undefined;
  if (key === 'standardize')
    return (raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined) as
      LabSettings[K] | undefined;
  const n = Number(raw),
    r = RANGES[key];
  if (
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    r === undefined ||
    n < r.min ||
    n > r.max ||
    (r.int && !Number.isInteger(n))
  )
    return undefined;
  return n as LabSettings[K];
}

export function toQuery(s: LabSettings): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(SHORT) as (keyof LabSettings)[]) {
    const v = s[key];
    q.set(SHORT[key], typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return q.toString();
}

export function fromQuery(query: string): LabSettings {
  return parseQuery(query).settings;
}

/**
 * The settings a URL asks for, and what it asked for that the lab cannot do (each rejected parameter with
 * why), so the page can say so instead of silently falling back to the defaults.
 */
export function parseQuery(query: string): { settings: LabSettings; rejected: string[] } {
  const q = new URLSearchParams(query);
  let out: LabSettings = { ...DEFAULTS };
  const rejected: string[] = [];
  const preset = q.get('preset');
  if (preset !== null) {
    if (PRESETS.some((p) => p.id === preset)) out = applyPreset(out, preset);
    else rejected.push(`preset=${preset} (known: ${PRESETS.map((p) => p.id).join(', ')})`);
  }
  const known = new Set<string>(['preset', ...Object.values(SHORT)]);
  for (const name of q.keys()) if (!known.has(name)) rejected.push(`${name} (not a lab setting)`);
  for (const key of Object.keys(SHORT) as (keyof LabSettings)[]) {
    const raw = q.get(SHORT[key]);
    if (raw === null) continue;
    const v = coerce(key, raw);
    if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
    else rejected.push(`${SHORT[key]}=${raw} (${allowed(key)})`);
  }
  return { settings: out, rejected: [...new Set(rejected)] };
}

function allowed(key: keyof LabSettings): string {
  const choices = CHOICES[key];
  if (choices !== undefined) return `one of ${choices.join(', ')}`;
  if (key === 'standardize') return '0 or 1';
  const r = RANGES[key]!;
  return `${r.int ? 'a whole number' : 'a number'} from ${r.min} to ${r.max}`;
}
