/** Lab settings → the Keras layer configs and optimizer config Keel builds (the same format as run configs). */
import type { KerasObject } from '../../src/nn/keras-config.js';
import { isSequence, type LabSettings } from './settings.js';

function initializer(id: LabSettings['initializer']): unknown {
  return id === 'normal1' ? { class_name: 'RandomNormal', config: { mean: 0, stddev: 1 } } : id;
}

/**
 * The network for the settings: a sequence task gets one SimpleRNN (its recurrent kernel orthogonal, scaled by
 * the gain) and a linear Dense(1) regression head; the other sets the deep Dense stack and a softmax.
 */
export function layerConfigs(s: LabSettings, numClasses: number): KerasObject[] {
  if (isSequence(s.dataset)) {
    const recurrent_initializer = { class_name: 'Orthogonal', config: { gain: s.recurrentGain } };
    return [
      {
        class_name: 'SimpleRNN',
        config: {
          units: s.width,
          activation: s.activation,
          kernel_initializer: initializer(s.initializer),
          recurrent_initializer,
        },
      },
      { class_name: 'Dense', config: { units: 1 } },
    ];
  }
  const out: KerasObject[] = [];
  for (let i = 0; i < s.depth; i++) {
    const kernel_initializer = initializer(s.initializer);
    if (s.batchNorm === 'before') {
      out.push({ class_name: 'Dense', config: { units: s.width, use_bias: false, kernel_initializer } });
      out.push({ class_name: 'BatchNormalization', config: {} });
      out.push({ class_name: 'Activation', config: { activation: s.activation } });
    } else {
      out.push({ class_name: 'Dense', config: { units: s.width, activation: s.activation, kernel_initializer } });
      if (s.batchNorm === 'after') out.push({ class_name: 'BatchNormalization', config: {} });
    }
    if (s.dropout === 'dropout' && s.dropoutRate > 0)
      out.push({ class_name: 'Dropout', config: { rate: s.dropoutRate } });
    if (s.dropout === 'alpha' && s.dropoutRate > 0)
      out.push({ class_name: 'AlphaDropout', config: { rate: s.dropoutRate } });
  }
  out.push({ class_name: 'Dense', config: { units: numClasses, activation: 'softmax' } });
  return out;
}

export function optimizerConfig(s: LabSettings): KerasObject {
  const clip = s.clip === 'none' ? {} : { [s.clip]: s.clipValue };
  const common = { learning_rate: s.learningRate, ...clip };
  switch (s.optimizer) {
    case 'sgd':
      return { class_name: 'SGD', config: common };
    case 'momentum':
      return { class_name: 'SGD', config: { ...common, momentum: 0.9 } };
    case 'adam':
      return { class_name: 'Adam', config: common };
    case 'rmsprop':
      return { class_name: 'RMSprop', config: common };
    case 'nadam':
      return { class_name: 'Nadam', config: common };
  }
}

/** One line describing the network, e.g. "2 → 20×[Dense(16) sigmoid] → 3". */
export function describe(s: LabSettings, inputs: number, classes: number): string {
  if (isSequence(s.dataset))
    return (
      `${s.seqLength} steps × ${inputs} → ` +
      `SimpleRNN(${s.width}, ${s.activation}, orthogonal ×${s.recurrentGain}) → 1`
    );
  const block =
    s.batchNorm === 'before'
      ? `Dense(${s.width}) → BN → ${s.activation}`
      : s.batchNorm === 'after'
        ? `Dense(${s.width}, ${s.activation}) → BN`
        : `Dense(${s.width}, ${s.activation})`;
  const dropoutLayer = s.dropout === 'alpha' ? 'AlphaDropout' : 'Dropout';
  const drop = s.dropout === 'none' ? '' : ` → ${dropoutLayer}(${s.dropoutRate})`;
  return `${inputs} → ${s.depth}×[${block}${drop}] → ${classes}`;
}
