/**
 * The fused hot path of a Dense layer: y = f(x·W + b) in one op, with a
 * hand-written backward rule (dZ = dY ⊙ f'(Z); dW = Xᵀ·dZ; db = Σ_rows dZ; dX = dZ·Wᵀ).
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
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
    let dz = dy;
    if (act !== ActivationCode.Linear) {
      dz = alloc(dy.length);
      k.activationBackward(dy, pre, out, dz, dy.length, act, param);
    }
    let dx: Float32Array | null = null,
      dw: Float32Array | null = null,
      db: Float32Array | null = null;
    if (kernel.requiresGrad) {
      dw = alloc(kernel.size);
      k.matmul(x.data, dz, dw, inFeatures, units, rows, true, false, false);
    }
    if (bias !== null && bias.requiresGrad) {
      db = alloc(units);
      k.columnSums(dz, db, rows, units, false);
    }
    if (x.requiresGrad) {
      dx = alloc(x.size);
      k.matmul(dz, kernel.data, dx, rows, inFeatures, units, false, true, false);
    }
    return bias === null ? [dx, dw] : [dx, dw, db];
  });
}
