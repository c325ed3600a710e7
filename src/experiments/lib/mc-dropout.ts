/**
 * MC dropout (Gal & Ghahramani 2016): average `samples` predictions made with
 * dropout active (training mode) and no retraining. The model must not contain
 * BatchNormalization, whose moving statistics a training-mode call would update.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { Sequential } from '../../nn/model.js';
import { averageProbabilities } from './calibration.js';

export interface McPrediction {
  mean: Tensor;
  /** Mean over examples and classes of the std across samples. */ meanStd: number;
}

export function mcPredict(model: Sequential, x: Tensor, samples: number): McPrediction {
  if (model.layers.some((l) => l.doctorFacts().role === 'batch_normalization'))
    throw new Error(
      'mcPredict: the model has BatchNormalization layers; training-mode calls would update their moving statistics',
    );
  const runs = Array.from({ length: samples }, () => model.predict(x, { training: true, batchSize: 500 }));
  const mean = averageProbabilities(runs);
  let s = 0;
  for (let i = 0; i < mean.length; i++) {
    let q = 0;
    for (const r of runs) q += (r.data[i]! - mean[i]!) ** 2;
    s += Math.sqrt(q / samples);
  }
  return { mean: new Tensor(mean, runs[0]!.shape), meanStd: s / mean.length };
}
