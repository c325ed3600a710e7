/**
 * The SELU mean/variance map g: (μ, ν) ↦ (μ̃, ν̃) of Klambauer et al. 2017
 * (eq. 4–5 / Theorem 1; closed forms as in docs/paper-results.md §3), in float64.
 * With m = μω and v = ντ (ω = Σw, τ = Σw²):
 *   μ̃ = ½λ[m + √(2v/π)e^{−m²/(2v)} + m·erf(m/√(2v)) − α·erfc(m/√(2v))
 *         + α·e^{m+v/2}·erfc((m+v)/√(2v))]
 *   ν̃ = ½λ²[√(2v/π)·m·e^{−m²/(2v)} + (m²+v)(1+erf(m/√(2v))) + α²erfc(m/√(2v))
 *         − 2α²e^{m+v/2}erfc((m+v)/√(2v)) + α²e^{2(m+v)}erfc((m+2v)/√(2v))] − μ̃²
 */

/** erf by its Maclaurin series (|x| ≤ 3, ~1e-15 absolute); erfc by a continued fraction beyond. */
function erf(x: number): number {
  if (Math.abs(x) > 3) return Math.sign(x) * (1 - erfcLarge(Math.abs(x)));
  let term = x,
    sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-18) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

function erfc(x: number): number {
  if (x > 3) return erfcLarge(x);
  if (x < -3) return 2 - erfcLarge(-x);
  return 1 - erf(x);
}

/** erfc(x) = e^{−x²}/(√π·K), K = x + (1/2)/(x + 1/(x + (3/2)/(x + ...))) (Abramowitz & Stegun 7.1.14), x > 3. */
function erfcLarge(x: number): number {
  let k = x;
  for (let n = 80; n >= 1; n--) k = x + n / 2 / k;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * k);
}

export interface SeluParams {
  alpha: number;
  lambda: number;
}

/**
 * α₀₁, λ₀₁ solving g(0, 1) = (0, 1) with ω = 0, τ = 1
 * (the μ̃ = 0 and ν̃ = 1 equations at m = 0, v = 1).
 */
export function solveFixedPointParams(): SeluParams {
  const a = Math.exp(0.5) * erfc(1 / Math.SQRT2);
  const alpha = Math.sqrt(2 / Math.PI) / (1 - a);
  const lambda = Math.sqrt(2 / (1 + alpha * alpha * (1 - 2 * a + Math.exp(2) * erfc(Math.SQRT2))));
  return { alpha, lambda };
}

export function seluMap(mu: number, nu: number, p: SeluParams, omega = 0, tau = 1): [number, number] {
  const { alpha: al, lambda: la } = p;
  const m = mu * omega,
    v = nu * tau,
    s = Math.sqrt(2 * v);
  const gauss = Math.sqrt((2 * v) / Math.PI) * Math.exp(-(m * m) / (2 * v));
  const e1 = Math.exp(m + v / 2) * erfc((m + v) / s);
  const muT = 0.5 * la * (m + gauss + m * erf(m / s) - al * erfc(m / s) + al * e1);
  const second =
    0.5 *
    la *
    la *
    (gauss * m +
      (m * m + v) * (1 + erf(m / s)) +
      al * al * erfc(m / s) -
      2 * al * al * e1 +
      al * al * Math.exp(2 * (m + v)) * erfc((m + 2 * v) / s));
  return [muT, second - muT * muT];
}

/** ν after each of `steps` applications of g from (0, ν₀) with ω = 0, τ = 1. */
export function iterateVariance(nu0: number, steps: number, p: SeluParams): number[] {
  const out: number[] = [];
  let mu = 0,
    nu = nu0;
  for (let i = 0; i < steps; i++) {
    [mu, nu] = seluMap(mu, nu, p);
    out.push(nu);
  }
  return out;
}
