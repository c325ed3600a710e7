/**
 * Gradient checks: the tape's gradients vs central finite differences.
 *
 * The engine computes in float32, so the difference quotient carries a
 * rounding error of about eps32·|f|/h: steps of 1e-2–1e-3 and relative
 * tolerances of ~1e-2 are what float32 allows. Each evaluation of `f` runs
 * without a tape (plain forward), perturbing one element of one variable.
 */
import assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor.js';
import { Random } from '../../src/tensor/rng.js';
import { Variable } from '../../src/autograd/variable.js';
import { valueAndGrads } from '../../src/autograd/value-and-grads.js';
import * as ops from '../../src/ops/index.js';

export interface GradcheckOptions {
  /** Finite-difference step. Default 1e-2. */
  h?: number;
  rtol?: number;
  atol?: number;
  /** Skip element i of variable v (e.g. points too close to a kink). */
  skip?: (v: number, i: number) => boolean;
}

/** A Variable of the given shape with values from `fill(i)` or N(0, 1) from a seeded generator. */
export function randomVariable(
  shape: number[],
  seed: number,
  options: { scale?: number; offset?: number; name?: string } = {},
): Variable {
  const rng = new Random(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (options.offset ?? 0) + (options.scale ?? 1) * rng.normal();
  return new Variable(data, { shape, name: options.name ?? `v${seed}` });
}

/** A fixed random tensor (a constant: no gradient flows to it). */
export function randomConstant(shape: number[], seed: number, scale = 1): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = scale * rng.normal();
  return new Tensor(data, shape);
}

/**
 * Σ r ⊙ y with a fixed random r: a scalar whose gradient w.r.t. y is r, so every
 * output element (and every path through the Jacobian) is checked, not just their sum.
 */
export function project(y: Tensor, seed = 12345): Tensor {
  return ops.sum(ops.mul(y, randomConstant(y.shape, seed)));
}

/** Numeric gradient of the scalar f w.r.t. every element of every variable (central differences). */
export function numericGrads(
  f: () => Tensor,
  variables: readonly Variable[],
  h: number,
  skip?: (v: number, i: number) => boolean,
): Float64Array[] {
  return variables.map((v, vi) => {
    const g = new Float64Array(v.size);
    for (let i = 0; i < v.size; i++) {
      if (skip?.(vi, i)) continue;
      const orig = v.data[i]!;
      v.data[i] = orig + h;
      const xp = v.data[i]!;
      const fp = f().data[0]!;
      v.data[i] = orig - h;
      const xm = v.data[i]!;
      const fm = f().data[0]!;
      v.data[i] = orig;
      g[i] = (fp - fm) / (xp - xm);
    }
    return g;
  });
}

/** Asserts the tape's gradients of f agree with central differences for every element. */
export function gradcheck(f: () => Tensor, variables: readonly Variable[], options: GradcheckOptions = {}): void {
  const h = options.h ?? 1e-2,
    rtol = options.rtol ?? 1e-2,
    atol = options.atol ?? 1e-3;
  const { grads } = valueAndGrads(f, variables);
  const numeric = numericGrads(f, variables, h, options.skip);
  let checked = 0;
  variables.forEach((v, vi) => {
    const analytic = grads[vi]!.data;
    for (let i = 0; i < v.size; i++) {
      if (options.skip?.(vi, i)) continue;
      const a = analytic[i]!,
        n = numeric[vi]![i]!;
      checked++;
      if (!(Math.abs(a - n) <= atol + rtol * Math.max(Math.abs(a), Math.abs(n)))) {
        assert.fail(
          `gradient of '${v.name}'[${i}]: tape ${a}, finite difference ${n} (h ${h}, |diff| ` +
            `${Math.abs(a - n).toExponential(3)})`,
        );
      }
    }
  });
  assert.ok(checked > 0, 'gradcheck checked no element');
}
