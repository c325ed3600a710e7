/**
 * Two small models that hold every layer type Keel has (image path: convolutions, pooling, normalization,
 * dropout and noise variants, activation layers, every merge layer; sequence path: Embedding, Conv1D and the
 * three recurrent layers), used by the model-file round trips and the PyTorch comparison.
 */
import { Model, Sequential, input, layers, setSeed, tensor, type Tensor } from '../../src/index.js';

export function imageModel(): Model {
  setSeed(11);
  const x = input({ shape: [8, 8, 3], name: 'image' });
  let h = new layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  h = new layers.BatchNormalization().apply(h);
  h = new layers.MaxPooling2D({ poolSize: 2 }).apply(h);
  h = new layers.Conv2D({ filters: 5, kernelSize: 2, strides: 2, padding: 'same', activation: 'elu' }).apply(h);
  h = new layers.SpatialDropout2D(0.2).apply(h);
  h = new layers.AveragePooling2D({ poolSize: 2, strides: 1, padding: 'same' }).apply(h);
  const avg = new layers.GlobalAveragePooling2D().apply(h);
  const max = new layers.GlobalMaxPooling2D().apply(h);
  const flat = new layers.Dense(6, { activation: 'tanh' }).apply(new layers.Flatten().apply(h));
  let v = new layers.Concatenate().apply([avg, max]);
  v = new layers.Dense(6, { activation: 'selu', kernelInitializer: 'lecun_normal' }).apply(v);
  v = new layers.AlphaDropout(0.1).apply(v);
  const a = new layers.PReLU().apply(v);
  const b = new layers.LeakyReLU({ negativeSlope: 0.2 }).apply(new layers.Dense(6).apply(flat));
  const merged = new layers.Concatenate().apply([
    new layers.Add().apply([a, b]),
    new layers.Subtract().apply([a, b]),
    new layers.Multiply().apply([a, b]),
    new layers.Average().apply([a, b]),
    new layers.Maximum().apply([a, b]),
    new layers.Minimum().apply([a, b]),
  ]);
  let o = new layers.LayerNormalization().apply(merged);
  o = new layers.Dropout(0.3).apply(o);
  o = new layers.GaussianNoise(0.1).apply(o);
  o = new layers.ELU().apply(new layers.Dense(5).apply(o));
  o = new layers.Activation('swish').apply(o);
  o = new layers.Dense(3, { activation: 'softmax' }).apply(o);
  return new Model({ inputs: x, outputs: o, name: 'image_model' });
}

export function sequenceModel(): Sequential {
  setSeed(12);
  return new Sequential(
    [
      new layers.Embedding({ inputDim: 10, outputDim: 4, inputShape: [6] }),
      new layers.Conv1D({ filters: 4, kernelSize: 2, padding: 'causal', activation: 'relu' }),
      new layers.SimpleRNN({ units: 4, returnSequences: true }),
      new layers.GRU({ units: 4, returnSequences: true }),
      new layers.LSTM({ units: 3 }),
      new layers.Reshape([3, 1]),
      new layers.Flatten(),
      new layers.Dense(2, { activation: 'sigmoid' }),
    ],
    { name: 'sequence_model' },
  );
}

/** Deterministic inputs for each (no generator draw). */
export function imageInput(n = 4): Tensor {
  return tensor(
    Array.from({ length: n * 8 * 8 * 3 }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 0.11)),
    [n, 8, 8, 3],
  );
}

export function sequenceInput(n = 4): Tensor {
  return tensor(
    Array.from({ length: n * 6 }, (_, i) => (i * 7 + 3) % 10),
    [n, 6],
  );
}
