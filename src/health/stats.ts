/** Single-pass statistics over Float32Arrays for the probe (float64 accumulators, no allocation). */

export interface Moments {
  mean: number;
  std: number;
  nonFinite: boolean;
}

export function moments(data: Float32Array): Moments {
  let sum = 0,
    sumSq = 0,
    nonFinite = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      nonFinite = true;
      continue;
    }
    sum += v;
    sumSq += v * v;
  }
  const n = Math.max(1, data.length);
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), nonFinite };
}

/** Fraction of columns (units) of a [rows, units] buffer that are exactly 0 in every row. */
export function deadUnitFraction(data: Float32Array, rows: number): number {
  const units = rows > 0 ? data.length / rows : 0;
  if (units === 0) return 0;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let allZero = true;
    for (let r = 0; r < rows; r++)
      if (data[r * units + u] !== 0) {
        allZero = false;
        break;
      }
    if (allZero) dead++;
  }
  return dead / units;
}

/** Fraction of values outside [lo, hi]. */
export function outsideFraction(data: Float32Array, lo: number, hi: number): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo || v > hi) n++;
  }
  return data.length === 0 ? 0 : n / data.length;
}

/** ‖a − b‖ without allocating. */
export function diffNorm(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

export interface GradSummary {
  sumSq: number;
  std: number;
  zeroFraction: number;
  nonFinite: boolean;
}

/** Everything the probe wants from a gradient in one pass. */
export function summarizeGradient(g: Float32Array): GradSummary {
  let sum = 0,
    sumSq = 0,
    zeros = 0,
    nonFinite = false;
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    if (v === 0) {
      zeros++;
      continue;
    }
    if (!Number.isFinite(v)) {
      nonFinite = true;
      continue;
    }
    sum += v;
    sumSq += v * v;
  }
  const n = Math.max(1, g.length),
    mean = sum / n;
  return { sumSq, std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), zeroFraction: zeros / n, nonFinite };
}

/** Copies src into dst and returns ‖src‖² (one pass). */
export function copyWithSumSq(dst: Float32Array, src: Float32Array): number {
  let s = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    dst[i] = v;
    s += v * v;
  }
  return s;
}
