/** The MLP workloads (W1, W1b, W2) as Keel models, built once for the benchmark and the profiler. */
import { Sequential, layers, optimizers, setSeed } from '../src/index.js';
import type { MlpWorkload } from './workloads.js';

/** Dense (+ BN before the activation, + Dropout) blocks, a softmax output, SGD 0.01, seed 1. */
export function buildMlp(w: MlpWorkload): Sequential {
  setSeed(1);
  const model = new Sequential();
  w.hidden.forEach((units, i) => {
    const first = i === 0 ? { inputShape: [w.input] } : {};
    if (w.batchNorm) {
      model.add(new layers.Dense(units, { useBias: false, kernelInitializer: 'he_normal', ...first }));
      model.add(new layers.BatchNormalization());
      model.add(new layers.Activation(w.activation));
    } else {
      model.add(new layers.Dense(units, { activation: w.activation, kernelInitializer: 'he_normal', ...first }));
    }
    if (w.dropout > 0) model.add(new layers.Dropout(w.dropout));
  });
  model.add(new layers.Dense(w.outputs, { activation: 'softmax' }));
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  return model;
}
