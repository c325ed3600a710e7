/**
 * Accuracy and calibration of predicted class probabilities.
 * ECE (Guo et al. 2017, eq. 3; Naeini et al. 2015): Σ_b (|B_b|/n)·|acc(B_b) − conf(B_b)|
 * over equal-width confidence bins of the top-class probability.
 * NLL: mean −log p(true class), probabilities floored at 1e-7 as Keras does.
 */
import type { Tensor } from '../../tensor/tensor.js';

export interface Calibration {
  accuracy: number;
  nll: number;
  ece: number;
}

export function calibration(probs: Tensor, labels: Tensor, bins = 15): Calibration {
  const n = labels.size,
    k = probs.size / n;
  const count = new Float64Array(bins),
    conf = new Float64Array(bins),
    hit = new Float64Array(bins);
  let correct = 0,
    nll = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs.data[i * k + c]! > probs.data[i * k + best]!) best = c;
    const p = probs.data[i * k + best]!;
    const truth = labels.data[i]!;
    const ok = best === truth ? 1 : 0;
    correct += ok;
    nll -= Math.log(Math.max(1e-7, probs.data[i * k + truth]!));
    if (!(p >= 0)) throw new Error(`calibration: example ${i} has top-class probability ${p}; expected a probability`);
    const b = Math.min(bins - 1, Math.floor(p * bins)); // in [0, bins) since p ≥ 0
    count[b]!++;
    conf[b]! += p;
    hit[b]! += ok;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(hit[b]! - conf[b]!) / n;
  return { accuracy: correct / n, nll: nll / n, ece };
}

/** Mean of `samples` training-mode predictions (MC dropout, Gal & Ghahramani 2016). */
export function averageProbabilities(samples: readonly Tensor[]): Float32Array {
  const out = new Float32Array(samples[0]!.size);
  for (const s of samples) for (let i = 0; i < out.length; i++) out[i]! += s.data[i]! / samples.length;
  return out;
}
