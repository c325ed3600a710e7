/**
 * The fused hot path of a Dense layer: y = f(x·W + b) in one op, with a
 * hand-written backward rule (dZ = dY ⊙ f'(Z); dW = Xᵀ·dZ; db = Σ_rows dZ; dX = dZ·Wᵀ).
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc, markFinite } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';
import { ActivationCode } from '../kernels/backend.js';
import { formatShape } from '../tensor/shape.js';

export function dense(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  act: ActivationCode = ActivationCode.Linear,
  param = 0,
): Tensor {
  const inFeatures = kernel.shape[0]!;
  const units = kernel.shape[1]!;
  const rows = x.size / inFeatures;
  if (x.shape[x.rank - 1] !== inFeatures) {
    throw new Error(
      `dense: input of shape ${formatShape(x.shape)} does not match kernel ${formatShape(kernel.shape)} (last ` +
        `axis must be ${inFeatures})`,
    );
  }
  const k = kernels();
  const pre = alloc(rows * units);
  k.matmul(x.data, kernel.data, pre, rows, units, inFeatures, false, false, false);
  const out = act === ActivationCode.Linear ? pre : alloc(rows * units);
  if (bias !== null || act !== ActivationCode.Linear) {
    k.biasActivation(pre, bias === null ? null : bias.data, pre, out, rows, units, act, param);
  }
  const shape = [...x.shape.slice(0, -1), units];
  const result = new Tensor(out, shape);
  const inputs = bias === null ? [x, kernel] : [x, kernel, bias];
  return record(result, inputs, (dy) => {
    const dz = act === ActivationCode.Linear ? dy : alloc(dy.length);
    let dx: Float32Array | null = null,
      dw: Float32Array | null = null,
      db: Float32Array | null = null;
    if (bias !== null && bias.requiresGrad) db = alloc(units);
    if (kernel.requiresGrad) {
      // dz, dw and db in one call (the wasm threads compute dz, pack it for the product and sum its columns in one
      // pass); dw is scanned for NaN/Inf as it is computed, so the training loop's check can skip it.
      dw = alloc(kernel.size);
      const first = k.denseGrads(x.data, dy, pre, out, dz, dw, db, rows, inFeatures, units, act, param);
      if (first < 0) markFinite(dw);
    } else {
      if (act !== ActivationCode.Linear) k.activationBackward(dy, pre, out, dz, dy.length, act, param);
      if (db !== null) k.columnSums(dz, db, rows, units, false);
    }
    if (x.requiresGrad) {
      dx = alloc(x.size);
      k.matmul(dz, kernel.data, dx, rows, inFeatures, units, false, true, false);
    }
    return bias === null ? [dx, dw] : [dx, dw, db];
  });
}
