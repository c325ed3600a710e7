/**
 * E‖p − y‖² / K for softmax cross-entropy, where p = softmax(z) with K i.i.d.
 * logits z ~ N(μ, v) and y a uniformly drawn one-hot label: the per-unit second
 * moment of the logit gradient δ = p − y. By deterministic sampling (fixed seed).
 */
const SAMPLES = 4000;

/** Per-unit E[δ²] of δ = p − y, and the pooled variance of the probabilities p. */
export function softmaxMoments(
  mean: number,
  variance: number,
  classes: number,
): { deltaSecondMoment: number; outputVariance: number } {
  const K = Math.max(2, classes);
  let state = 0x9e3779b9;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const sd = Math.sqrt(Math.max(0, variance));
  const z = new Float64Array(K);
  let total = 0,
    p2 = 0;
  for (let s = 0; s < SAMPLES; s++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      z[k] = mean + sd * normal();
      if (z[k]! > max) max = z[k]!;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      z[k] = Math.exp(z[k]! - max);
      sum += z[k]!;
    }
    const label = s % K;
    let e = 0;
    for (let k = 0; k < K; k++) {
      const p = z[k]! / sum;
      p2 += p * p;
      const d = p - (k === label ? 1 : 0);
      e += d * d;
    }
    total += e;
  }
  return { deltaSecondMoment: total / SAMPLES / K, outputVariance: p2 / (SAMPLES * K) - 1 / (K * K) };
}
