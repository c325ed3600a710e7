/**
 * Layer normalization over the last axis (Ba et al. 2016; Keras LayerNormalization): per row,
 * x̂ = (x − mean)/sqrt(var + ε) with the biased variance, y = γ·x̂ + β. Backward per row (n = width):
 * ∂x = (γ⊙∂y − mean(γ⊙∂y) − x̂·mean(γ⊙∂y⊙x̂))/sqrt(var + ε);
 * ∂γ = Σ_rows ∂y⊙x̂; ∂β = Σ_rows ∂y.
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';

/** @example layerNorm(x, gamma, beta, 1e-3) */
export function layerNorm(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): Tensor {
  const n = x.shape[x.rank - 1]!;
  const rows = x.size / n;
  const xd = x.data,
    gd = gamma?.data ?? null,
    bd = beta?.data ?? null;
  const xhat = alloc(x.size),
    out = alloc(x.size),
    inv = alloc(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let mean = 0;
    for (let j = 0; j < n; j++) mean += xd[o + j]!;
    mean /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (xd[o + j]! - mean) ** 2;
    const s = 1 / Math.sqrt(v / n + epsilon);
    inv[r] = s;
    for (let j = 0; j < n; j++) {
      const h = (xd[o + j]! - mean) * s;
      xhat[o + j] = h;
      out[o + j] = h * (gd === null ? 1 : gd[j]!) + (bd === null ? 0 : bd[j]!);
    }
  }
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  return record(new Tensor(out, x.shape), inputs, (dy) => {
    const dx = x.requiresGrad ? alloc(x.size) : null;
    const dg = gamma?.requiresGrad ? alloc(n).fill(0) : null;
    const db = beta?.requiresGrad ? alloc(n).fill(0) : null;
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let m1 = 0,
        m2 = 0;
      for (let j = 0; j < n; j++) {
        const g = dy[o + j]! * (gd === null ? 1 : gd[j]!);
        m1 += g;
        m2 += g * xhat[o + j]!;
        if (dg) dg[j]! += dy[o + j]! * xhat[o + j]!;
        if (db) db[j]! += dy[o + j]!;
      }
      m1 /= n;
      m2 /= n;
      if (dx) {
        const s = inv[r]!;
        for (let j = 0; j < n; j++) {
          const g = dy[o + j]! * (gd === null ? 1 : gd[j]!);
          dx[o + j] = (g - m1 - xhat[o + j]! * m2) * s;
        }
      }
    }
    const grads: (Float32Array | null)[] = [dx];
    if (gamma) grads.push(dg);
    if (beta) grads.push(db);
    return grads;
  });
}
