/**
 * The settings form: real form elements with labels, grouped in fieldsets,
 * so every control works with the keyboard and a screen reader.
 */
import {
  ACTIVATIONS,
  BATCH_NORMS,
  CLIPS,
  DATASETS,
  DROPOUTS,
  INITIALIZERS,
  OPTIMIZERS,
  RANGES,
  coerce,
  isSequence,
  type LabSettings,
} from './settings.js';

type Key = keyof LabSettings;
interface Field {
  key: Key;
  label: string;
  options?: readonly (readonly [string, string])[];
  step?: string;
  /** Applies only to the deep Dense stack ('mlp') or only to the SimpleRNN on a sequence task ('rnn'). */
  only?: 'mlp' | 'rnn';
}

const labelled = (values: readonly string[], names: Record<string, string> = {}) =>
  values.map((v) => [v, names[v] ?? v] as const);

const GROUPS: { legend: string; fields: Field[] }[] = [
  {
    legend: 'Network',
    fields: [
      { key: 'depth', label: 'Hidden layers', only: 'mlp' },
      { key: 'width', label: 'Units per layer' },
      { key: 'activation', label: 'Activation', options: labelled(ACTIVATIONS) },
      { key: 'initializer', label: 'Initializer', options: labelled(INITIALIZERS, { normal1: 'N(0, 1)' }) },
      {
        key: 'batchNorm',
        label: 'BatchNorm',
        only: 'mlp',
        options: labelled(BATCH_NORMS, { before: 'before activation', after: 'after activation' }),
      },
      {
        key: 'dropout',
        label: 'Dropout',
        options: labelled(DROPOUTS, { dropout: 'Dropout', alpha: 'AlphaDropout' }),
        only: 'mlp',
      },
      { key: 'dropoutRate', label: 'Dropout rate', step: '0.05', only: 'mlp' },
      { key: 'recurrentGain', label: 'Recurrent gain', step: 'any', only: 'rnn' },
      { key: 'seqLength', label: 'Length T', only: 'rnn' },
    ],
  },
  {
    legend: 'Training',
    fields: [
      {
        key: 'optimizer',
        label: 'Optimizer',
        options: labelled(OPTIMIZERS, {
          sgd: 'SGD',
          momentum: 'SGD + momentum 0.9',
          adam: 'Adam',
          rmsprop: 'RMSprop',
          nadam: 'Nadam',
        }),
      },
      { key: 'learningRate', label: 'Learning rate', step: 'any' },
      { key: 'clip', label: 'Clipping', options: labelled(CLIPS) },
      { key: 'clipValue', label: 'Clip value', step: 'any' },
      { key: 'batchSize', label: 'Batch size' },
      { key: 'epochs', label: 'Epochs' },
    ],
  },
  {
    legend: 'Data',
    fields: [
      {
        key: 'dataset',
        label: 'Data set',
        options: labelled(DATASETS, { fashion: 'Fashion-MNIST (2,000)', adding: 'adding (RNN)' }),
      },
      { key: 'standardize', label: 'Standardize', only: 'mlp' },
      { key: 'seed', label: 'Seed' },
    ],
  },
];

function fieldHtml(f: Field): string {
  const id = `f-${f.key}`;
  const label = `<label for="${id}">${f.label}</label>`;
  if (f.options) {
    const options = f.options.map(([v, t]) => `<option value="${v}">${t}</option>`).join('');
    return `${label}<select id="${id}" name="${f.key}">${options}</select>`;
  }
  if (f.key === 'standardize') return `${label}<input id="${id}" name="${f.key}" type="checkbox">`;
  const r = RANGES[f.key]!;
  const step = f.step ?? (r.int ? '1' : 'any');
  const attributes = `type="number" inputmode="decimal" min="${r.min}" max="${r.max}" step="${step}" required`;
  return `${label}<input id="${id}" name="${f.key}" ${attributes}>`;
}

/** Fills the form element with the fields and the action buttons. */
export function renderControls(form: HTMLFormElement): void {
  form.innerHTML =
    GROUPS.map((g) => `<fieldset><legend>${g.legend}</legend>${g.fields.map(fieldHtml).join('')}</fieldset>`).join('') +
    '<div class="actions"><button type="submit" class="primary" id="train">Train</button>' +
    '<button type="button" id="pause" aria-pressed="false">Pause</button>' +
    '<button type="button" id="step" disabled>Step</button>' +
    '<button type="button" id="stop">Stop</button><button type="button" id="copy">Copy link</button></div>' +
    '<div class="speed"><label for="f-speed">Speed</label><select id="f-speed" name="speed">' +
    '<option value="0">as fast as it goes</option><option value="200">200 steps/s</option>' +
    '<option value="50">50 steps/s</option><option value="10">10 steps/s</option></select></div>' +
    '<div class="compare"><input id="f-compare" type="checkbox" checked>' +
    '<label for="f-compare">Keep the previous run on the charts (faded) when training again</label></div>';
}

const ONLY = new Map(GROUPS.flatMap((g) => g.fields).map((f) => [f.key, f.only]));

export function writeControls(form: HTMLFormElement, s: LabSettings): void {
  const kind = isSequence(s.dataset) ? 'rnn' : 'mlp';
  for (const key of Object.keys(s) as Key[]) {
    const el = form.elements.namedItem(key);
    const only = ONLY.get(key);
    // A setting that does not apply to this network is shown greyed out (its value is kept for later).
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement)
      el.disabled = only !== undefined && only !== kind;
    if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = s[key] === true;
    else if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) el.value = String(s[key]);
  }
}

/** Reads the form; invalid fields keep their previous value and are marked invalid. */
export function readControls(form: HTMLFormElement, previous: LabSettings): LabSettings {
  const out = { ...previous } as Record<Key, unknown>;
  for (const key of Object.keys(previous) as Key[]) {
    const el = form.elements.namedItem(key);
    if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      out[key] = el.checked;
      continue;
    }
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) continue;
    const v = coerce(key, el.value);
    el.setAttribute('aria-invalid', v === undefined ? 'true' : 'false');
    if (v !== undefined) out[key] = v;
  }
  return out as unknown as LabSettings;
}
