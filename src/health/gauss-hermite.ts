/**
 * Gauss–Hermite quadrature for Gaussian expectations:
 *   E_{z~N(μ,q)}[g(z)] ≈ (1/√π) Σᵢ wᵢ · g(μ + √(2q)·xᵢ)
 * with nodes xᵢ and weights wᵢ of ∫ e^{−x²} f(x) dx. Nodes by Newton's method on
 * the orthonormal Hermite recurrence (Press et al., Numerical Recipes, §4.5 `gauher`).
 */

export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const cache = new Map<number, QuadratureRule>();

/** The n-point rule (n in [2, 200]); cached. */
export function gaussHermite(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 2 || n > 200)
    throw new Error(`gaussHermite: n must be an integer in [2, 200]; received ${n}`);
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n),
    w = new Float64Array(n);
  const PIM4 = Math.pow(Math.PI, -0.25);
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = PIM4,
        p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-14 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  const rule = { nodes: x, weights: w };
  cache.set(n, rule);
  return rule;
}

/** E[g(z)] for z ~ N(mean, variance) with an n-point rule (default 96). */
export function gaussianExpectation(g: (z: number) => number, mean: number, variance: number, n = 96): number {
  if (!(variance > 0)) return g(mean);
  const { nodes, weights } = gaussHermite(n);
  const s = Math.sqrt(2 * variance);
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) sum += weights[i]! * g(mean + s * nodes[i]!);
  return sum / Math.sqrt(Math.PI);
}
